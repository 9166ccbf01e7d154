//! Which kernel BTF ptcpdump reads: the file given with `--kernel-btf FILE` (as the original
//! ptcpdump's flag), else the running kernel's own `/sys/kernel/btf/vmlinux`. This is the one
//! place that knows; everything that needs kernel BTF (the tp_btf programs' load, aya's
//! loader, offsets read from BTF) asks here instead of naming the path itself.
//!
//! Where it matters: a container that does not mount the host's /sys, or a kernel whose BTF
//! was extracted to a file. The file must describe the running kernel: the kernel checks the
//! type ids a tp_btf program is loaded with against its own BTF.
use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};

use anyhow::{Result, anyhow};

/// The running kernel's own BTF.
pub const DEFAULT: &str = "/sys/kernel/btf/vmlinux";

static CHOSEN: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Records `--kernel-btf` (called once by main, before anything reads BTF).
pub fn set(path: Option<PathBuf>) {
    let _ = CHOSEN.set(path);
}

/// The file the user gave with `--kernel-btf`, if any.
pub fn from_flag() -> Option<&'static Path> {
    CHOSEN.get().and_then(|p| p.as_deref())
}

/// The BTF file to read.
pub fn path() -> &'static Path {
    from_flag().unwrap_or(Path::new(DEFAULT))
}

/// The kernel BTF, parsed by aya.
pub fn aya() -> Result<aya::Btf, aya::BtfError> {
    aya::Btf::parse_file(path(), aya::Endianness::default())
}

/// A `--kernel-btf` the user asked for must be usable: one clear line before anything is
/// loaded (without the flag, missing BTF only costs attribution, said where it is used).
pub fn check() -> Result<Option<aya::Btf>> {
    from_flag().map(parse_checked).transpose()
}

fn parse_checked(p: &Path) -> Result<aya::Btf> {
    if let Err(e) = std::fs::metadata(p) {
        return Err(anyhow!(
            "--kernel-btf {}: {}",
            p.display(),
            crate::errno_text(&e)
        ));
    }
    aya::Btf::parse_file(p, aya::Endianness::default())
        .map_err(|e| anyhow!("--kernel-btf {}: not a usable BTF file ({e})", p.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_is_the_running_kernel() {
        // No flag recorded in this test process.
        assert_eq!(super::from_flag(), None);
        assert_eq!(
            super::path(),
            std::path::Path::new("/sys/kernel/btf/vmlinux")
        );
        assert!(super::check().unwrap().is_none());
    }

    #[test]
    fn a_missing_or_bad_file_is_one_line() {
        let e = super::parse_checked(std::path::Path::new("/nonexistent/vmlinux")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--kernel-btf /nonexistent/vmlinux: No such file or directory"
        );
        let bad = std::env::temp_dir().join(format!("ptcpdump-btf-{}", std::process::id()));
        std::fs::write(&bad, b"not BTF at all, just text").unwrap();
        let e = super::parse_checked(&bad).unwrap_err().to_string();
        let _ = std::fs::remove_file(&bad);
        assert!(e.contains("not a usable BTF file"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn the_running_kernels_file_parses() {
        let p = std::path::Path::new(super::DEFAULT);
        if !p.exists() {
            eprintln!("no {} on this kernel", super::DEFAULT);
            return;
        }
        super::parse_checked(p).unwrap();
    }
}
