//! `--install-wireshark-plugin[=DIR]`: the Lua post-dissector that turns ptcpdump's pcapng
//! comments into Wireshark fields (`contrib/wireshark/ptcpdump.lua`, carried in the binary so
//! that a lone binary or the container image can install it) is written into Wireshark's
//! personal Lua plugin folder, or into DIR; `=-` prints it.
use std::{
    io::Write as _,
    path::{Path, PathBuf},
};

use anyhow::{Result, anyhow};

pub const PLUGIN: &str = include_str!("../../contrib/wireshark/ptcpdump.lua");
pub const FILE_NAME: &str = "ptcpdump.lua";

/// Wireshark's personal Lua plugin folder under a home directory (what Help > About >
/// Folders calls "Personal Lua Plugins" on Linux).
fn personal_dir(home: &Path) -> PathBuf {
    home.join(".local/lib/wireshark/plugins")
}

/// Who runs Wireshark: under `sudo`, the user who called sudo (the plugin belongs in their
/// folder, owned by them), else the current user. (home, uid and gid to give the files to).
fn target_user() -> Result<(PathBuf, Option<(u32, u32)>)> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root
        && let (Ok(user), Ok(uid), Ok(gid)) = (
            std::env::var("SUDO_USER"),
            std::env::var("SUDO_UID"),
            std::env::var("SUDO_GID"),
        )
        && let (Ok(uid), Ok(gid)) = (uid.parse::<u32>(), gid.parse::<u32>())
        && uid != 0
        && let Some(home) = home_of(&user)
    {
        return Ok((home, Some((uid, gid))));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| (PathBuf::from(h), None))
        .ok_or_else(|| anyhow!("--install-wireshark-plugin: no home directory ($HOME is not set); give a folder: --install-wireshark-plugin=DIR"))
}

fn home_of(user: &str) -> Option<PathBuf> {
    let c = std::ffi::CString::new(user).ok()?;
    // SAFETY: getpwnam returns a pointer to static storage or NULL; read at once.
    let pw = unsafe { libc::getpwnam(c.as_ptr()) };
    if pw.is_null() {
        return None;
    }
    // SAFETY: pw_dir is a NUL-terminated string in that storage.
    let dir = unsafe { std::ffi::CStr::from_ptr((*pw).pw_dir) };
    Some(PathBuf::from(dir.to_string_lossy().into_owned()))
}

/// Installs the plugin; returns the file written (None when printed).
pub fn install(dir: &str) -> Result<Option<PathBuf>> {
    if dir == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(PLUGIN.as_bytes())?;
        out.flush()?;
        return Ok(None);
    }
    let (dir, owner) = if dir.is_empty() {
        let (home, owner) = target_user()?;
        (personal_dir(&home), owner)
    } else {
        (PathBuf::from(dir), None)
    };
    let fail = |p: &Path, e: std::io::Error| anyhow!("{}: {}", p.display(), crate::errno_text(&e));
    // Folders made for the user are theirs too (only those we create).
    let mut made = Vec::new();
    let mut d = dir.as_path();
    while !d.exists() {
        made.push(d.to_path_buf());
        match d.parent() {
            Some(p) => d = p,
            None => break,
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| fail(&dir, e))?;
    let file = dir.join(FILE_NAME);
    // Written beside and renamed: Wireshark never reads half a plugin.
    let tmp = dir.join(format!(".{FILE_NAME}.{}", std::process::id()));
    std::fs::write(&tmp, PLUGIN).map_err(|e| fail(&tmp, e))?;
    if let Some((uid, gid)) = owner {
        for p in made.iter().chain(std::iter::once(&tmp)) {
            let _ = std::os::unix::fs::chown(p, Some(uid), Some(gid));
        }
    }
    std::fs::rename(&tmp, &file).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(&file, e)
    })?;
    Ok(Some(file))
}

#[cfg(test)]
mod tests {
    #[test]
    fn installs_into_a_given_folder_and_replaces_an_old_copy() {
        let d = std::env::temp_dir().join(format!("ptcpdump-ws-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let dir = d.join("a/b");
        let f = super::install(dir.to_str().unwrap()).unwrap().unwrap();
        assert_eq!(f, dir.join("ptcpdump.lua"));
        assert_eq!(std::fs::read_to_string(&f).unwrap(), super::PLUGIN);
        std::fs::write(&f, "old").unwrap();
        super::install(dir.to_str().unwrap()).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), super::PLUGIN);
        // Nothing but the plugin is left in the folder.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn the_personal_folder_is_wiresharks() {
        assert_eq!(
            super::personal_dir(std::path::Path::new("/home/u")),
            std::path::Path::new("/home/u/.local/lib/wireshark/plugins")
        );
        assert!(super::PLUGIN.contains("register_postdissector"));
    }

    #[test]
    fn an_unwritable_folder_is_one_line() {
        let e = super::install("/proc/ptcpdump-no/plugins")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/proc/ptcpdump-no/plugins: "), "{e}");
        assert!(!e.contains('\n'));
    }
}
