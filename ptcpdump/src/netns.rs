//! Network namespaces to capture in (`--netns PATH|NAME|any|newly`). Work inside another
//! namespace (listing its interfaces, attaching TCX links by ifindex, reading its cookie) runs on
//! a short-lived thread that entered it with setns(2): the namespace of the rest of ptcpdump
//! never changes.
use std::{
    collections::HashSet,
    fs::File,
    os::{fd::AsRawFd as _, unix::fs::MetadataExt as _},
};

use anyhow::{Context as _, Result, anyhow};

const NAMED_DIR: &str = "/run/netns";

pub struct Netns {
    /// None: ptcpdump's own namespace (no setns needed).
    file: Option<File>,
    pub inode: u64,
}

impl Netns {
    pub fn own() -> Netns {
        Netns {
            file: None,
            inode: crate::ifaces::current_netns_inode(),
        }
    }

    pub fn open(path: &str) -> Result<Netns> {
        let file = File::open(path).map_err(|e| anyhow!("{path}: {}", crate::errno_text(&e)))?;
        let inode = file.metadata().context("stat netns")?.ino();
        Ok(Netns {
            file: Some(file),
            inode,
        })
    }

    /// Runs `f` on a thread inside this namespace.
    pub fn run<R: Send>(&self, f: impl FnOnce() -> R + Send) -> Result<R> {
        let Some(file) = &self.file else {
            return Ok(f());
        };
        let fd = file.as_raw_fd();
        std::thread::scope(|s| {
            s.spawn(move || {
                // SAFETY: setns on this thread only; the thread ends right after `f`.
                if unsafe { libc::setns(fd, libc::CLONE_NEWNET) } != 0 {
                    return Err(anyhow!("setns: {}", std::io::Error::last_os_error()));
                }
                Ok(f())
            })
            .join()
            .map_err(|_| anyhow!("netns thread panicked"))?
        })
    }
}

/// What `--netns` asked for.
pub struct Selection {
    pub explicit: Vec<String>,
    /// `any`: every named namespace, including ones created later.
    pub any: bool,
    /// `newly`: only named namespaces created after the start.
    pub newly: bool,
}

impl Selection {
    pub fn parse(values: &[String]) -> Selection {
        let mut s = Selection {
            explicit: Vec::new(),
            any: false,
            newly: false,
        };
        for v in values {
            match v.as_str() {
                "any" => s.any = true,
                "newly" => s.newly = true,
                name if !name.contains('/') => s.explicit.push(format!("{NAMED_DIR}/{name}")),
                path => s.explicit.push(path.to_string()),
            }
        }
        s
    }

    pub fn is_default(&self) -> bool {
        self.explicit.is_empty() && !self.any && !self.newly
    }

    /// Whether named namespaces appearing later are to be captured too.
    pub fn watches(&self) -> bool {
        self.any || self.newly
    }
}

/// Notices new named namespaces: inotify on /run/netns (or on /run until `ip netns` creates
/// /run/netns), instead of listing the folder every tick.
pub struct NamedWatch {
    fd: std::os::fd::OwnedFd,
    dir: std::ffi::CString,
    /// Whether the folder itself is watched yet.
    dir_watched: bool,
}

impl NamedWatch {
    pub fn open() -> Result<NamedWatch> {
        Self::open_in(NAMED_DIR)
    }

    /// Watches `dir` (and its parent, until `dir` exists).
    fn open_in(dir: &str) -> Result<NamedWatch> {
        use std::os::fd::FromRawFd as _;
        // SAFETY: plain inotify_init1; the fd is owned below.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return Err(anyhow!("inotify: {}", std::io::Error::last_os_error()));
        }
        // SAFETY: a new fd nobody else owns.
        let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) };
        let parent = std::path::Path::new(dir)
            .parent()
            .and_then(|p| std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).ok())
            .context("namespace folder")?;
        let mut w = NamedWatch {
            fd,
            dir: std::ffi::CString::new(dir).context("namespace folder")?,
            dir_watched: false,
        };
        w.add(
            &parent,
            libc::IN_CREATE | libc::IN_MOVED_TO | libc::IN_ONLYDIR,
        )?;
        w.watch_dir();
        Ok(w)
    }

    fn watch_dir(&mut self) {
        let dir = self.dir.clone();
        self.dir_watched = self.add(&dir, libc::IN_CREATE | libc::IN_MOVED_TO).is_ok();
    }

    fn add(&mut self, path: &std::ffi::CStr, mask: u32) -> Result<()> {
        // SAFETY: a NUL-terminated path and our inotify fd.
        if unsafe { libc::inotify_add_watch(self.fd.as_raw_fd(), path.as_ptr(), mask) } < 0 {
            return Err(anyhow!(
                "inotify {path:?}: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(())
    }

    /// Whether something was created in /run/netns since the last call. Never blocks.
    pub fn changed(&mut self) -> bool {
        let mut buf = [0u8; 4096];
        let mut any = false;
        loop {
            // SAFETY: reading inotify events into our buffer.
            let n = unsafe { libc::read(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                break;
            }
            any = true;
        }
        if any && !self.dir_watched {
            self.watch_dir();
        }
        any
    }
}

/// Whether `path` is a namespace file yet: `ip netns add` creates the file first and
/// bind-mounts the namespace on it a moment later.
pub fn is_nsfs(path: &str) -> bool {
    const NSFS_MAGIC: i64 = 0x6e73_6673;
    let Ok(c) = std::ffi::CString::new(path) else {
        return false;
    };
    // SAFETY: statfs into a zeroed struct.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    (unsafe { libc::statfs(c.as_ptr(), &mut st) } == 0) && st.f_type as i64 == NSFS_MAGIC
}

/// Paths of the named namespaces (`/run/netns/*`).
pub fn named() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(NAMED_DIR)
        .map(|d| {
            d.flatten()
                .map(|e| e.path().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The namespaces to start with, and the named ones already seen (for `newly`).
pub fn initial(sel: &Selection) -> Result<(Vec<Netns>, HashSet<String>)> {
    let seen: HashSet<String> = named().into_iter().collect();
    if sel.is_default() {
        return Ok((vec![Netns::own()], seen));
    }
    let mut v = Vec::new();
    let mut inodes = HashSet::new();
    let mut add = |n: Netns| {
        if inodes.insert(n.inode) {
            v.push(n);
        }
    };
    for p in &sel.explicit {
        add(Netns::open(p)?);
    }
    if sel.any {
        for p in &seen {
            if let Ok(n) = Netns::open(p) {
                add(n);
            }
        }
    }
    Ok((v, seen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_paths_and_keywords() {
        let s = Selection::parse(&["foo".into(), "/proc/1/ns/net".into(), "any".into()]);
        assert_eq!(s.explicit, ["/run/netns/foo", "/proc/1/ns/net"]);
        assert!(s.any && !s.newly && s.watches());
        assert!(Selection::parse(&[]).is_default());
    }

    #[test]
    fn own_namespace_runs_in_place() {
        let n = Netns::own();
        assert_eq!(n.run(|| 7).unwrap(), 7);
        assert_ne!(n.inode, 0);
    }

    #[test]
    fn named_watch_sees_a_new_entry() {
        // A folder of our own: an entry in the real /run/netns would be seen by others.
        let base = std::env::temp_dir().join(format!("ptcpdump-watch-{}", std::process::id()));
        let dir = base.join("netns");
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        let mut w = NamedWatch::open_in(dir.to_str().unwrap()).unwrap();
        assert!(!w.changed());
        // The folder appears later, as /run/netns does with the first `ip netns add`.
        std::fs::create_dir(&dir).unwrap();
        assert!(w.changed());
        let p = dir.join("ns1");
        std::fs::write(&p, b"").unwrap();
        let seen = w.changed();
        let p = p.to_str().unwrap().to_string();
        assert!(seen, "a new entry is seen");
        assert!(!w.changed());
        assert!(!is_nsfs(&p));
        assert!(is_nsfs("/proc/self/ns/net"));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn missing_namespace_is_one_clear_error() {
        let e = Netns::open("/run/netns/does-not-exist-ptcpdump")
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "/run/netns/does-not-exist-ptcpdump: No such file or directory"
        );
    }
}
