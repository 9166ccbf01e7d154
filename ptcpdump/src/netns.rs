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
