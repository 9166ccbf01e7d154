//! Process facts read from procfs: pid, parent, uid, executable, argv, cgroup and namespaces.
//!
//! This module owns the parsing of `/proc/PID/{stat,status,cmdline,exe,cgroup,ns/*}` and the
//! start-up scan of every process. It never talks to a container runtime (see `runtime`) and
//! never decides which container a cgroup path belongs to (see `cgroup`).
//!
//! The scan is synchronous file I/O; callers on a latency-sensitive path run it through
//! [`spawn_scan`], which does the work on its own thread.

use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};
use std::thread;

use thiserror::Error;

use crate::{cgroup, text};

/// Everything ptcpdump prints or filters on about one process.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcInfo {
    pub pid: u32,
    /// 0 when unknown (or for PID 1 and kernel threads' parent, kthreadd's 0).
    pub ppid: u32,
    /// Real user id (first field of `Uid:` in `/proc/PID/status`).
    pub uid: u32,
    /// Thread id, only when the caller knows which thread sent a packet; a scan leaves it `None`.
    pub tid: Option<u32>,
    /// Display name: base name of the executed file, or of argv\[0\] when the file was
    /// `/dev/fd/N` (fexecve) or an anonymous memfd. See [`comm_for_exec`].
    pub comm: String,
    /// Path of the executed file ("cmd" in ptcpdump's output); empty for kernel threads.
    pub exe_path: String,
    /// argv as the process sees it (`/proc/PID/cmdline`).
    pub args: Vec<String>,
    /// The most specific cgroup path of the process (see [`cgroup::best_path`]).
    pub cgroup_path: String,
    /// Namespace inode numbers (`/proc/PID/ns/{pid,mnt,net}`); 0 when unreadable.
    pub pidns: u64,
    pub mntns: u64,
    pub netns: u64,
}

#[derive(Debug, Error)]
pub enum ProcError {
    #[error("process {pid} not found")]
    NotFound { pid: u32 },
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("malformed {path}")]
    Malformed { path: PathBuf },
}

/// Display name rule shared with the original ptcpdump: the base name of the file given to
/// execve, unless that file is `/dev/fd/N` (or a memfd, whose name says nothing useful), in which
/// case argv\[0\]'s base name is used.
pub fn comm_for_exec(filename: &str, argv0: Option<&str>) -> String {
    let anonymous = filename.starts_with("/dev/fd/")
        || filename.starts_with("/proc/self/fd/")
        || filename.starts_with("/memfd:");
    let source = match argv0 {
        Some(a) if anonymous && !a.is_empty() => a,
        _ => filename,
    };
    base_name(source).to_string()
}

fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return path;
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Reads one process from `/proc`.
pub fn read_process(pid: u32) -> Result<ProcInfo, ProcError> {
    read_process_at(Path::new("/proc"), pid)
}

/// Reads one process from a procfs mounted at `proc_root` (tests use a fake tree).
pub fn read_process_at(proc_root: &Path, pid: u32) -> Result<ProcInfo, ProcError> {
    let dir = proc_root.join(pid.to_string());
    let stat_path = dir.join("stat");
    let stat = match fs::read(&stat_path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ProcError::NotFound { pid }),
        Err(source) => {
            return Err(ProcError::Io {
                path: stat_path,
                source,
            });
        }
    };
    let (kernel_comm, ppid) = parse_stat(&stat).ok_or(ProcError::Malformed { path: stat_path })?;

    // Everything below is best effort: a process may exit, or hide parts of itself
    // (non-dumpable processes make exe and ns links unreadable).
    let uid = fs::read(dir.join("status"))
        .ok()
        .and_then(|b| parse_status_uid(&b))
        .unwrap_or(0);
    let args = fs::read(dir.join("cmdline"))
        .map(|b| parse_cmdline(&b))
        .unwrap_or_default();
    let exe_path = fs::read_link(dir.join("exe"))
        .ok()
        .map(|p| clean_exe_link(&text::from_bytes(p.as_os_str().as_bytes())))
        .unwrap_or_default();
    let comm = if !exe_path.is_empty() {
        comm_for_exec(&exe_path, args.first().map(String::as_str))
    } else if let Some(a0) = args.first().filter(|a| !a.is_empty()) {
        base_name(a0).to_string()
    } else {
        kernel_comm
    };
    let cgroup_path = fs::read_to_string(dir.join("cgroup"))
        .map(|t| cgroup::best_path(&t))
        .unwrap_or_default();
    Ok(ProcInfo {
        pid,
        ppid,
        uid,
        tid: None,
        comm,
        exe_path,
        args,
        cgroup_path,
        pidns: ns_inode_at(&dir, "pid"),
        mntns: ns_inode_at(&dir, "mnt"),
        netns: ns_inode_at(&dir, "net"),
    })
}

/// Inode of one namespace of a process (`pid`, `mnt`, `net`, ...), 0 when unreadable.
pub fn ns_inode(pid: u32, kind: &str) -> u64 {
    ns_inode_at(&Path::new("/proc").join(pid.to_string()), kind)
}

fn ns_inode_at(dir: &Path, kind: &str) -> u64 {
    fs::read_link(dir.join("ns").join(kind))
        .ok()
        .and_then(|l| parse_ns_link(&l.to_string_lossy()))
        .unwrap_or(0)
}

/// `net:[4026531840]` -> 4026531840.
pub fn parse_ns_link(link: &str) -> Option<u64> {
    let open = link.find(":[")?;
    link[open + 2..].strip_suffix(']')?.parse().ok()
}

/// `/proc/PID/stat`: `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so the
/// fields after it are located from the last `)`.
fn parse_stat(raw: &[u8]) -> Option<(String, u32)> {
    let open = raw.iter().position(|&b| b == b'(')?;
    let close = raw.iter().rposition(|&b| b == b')')?;
    if close < open {
        return None;
    }
    let comm = text::from_bytes(&raw[open + 1..close]);
    let rest = std::str::from_utf8(raw.get(close + 1..)?).ok()?;
    let mut fields = rest.split_ascii_whitespace();
    let _state = fields.next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((comm, ppid))
}

fn parse_status_uid(raw: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(raw).ok()?;
    let line = text.lines().find(|l| l.starts_with("Uid:"))?;
    line["Uid:".len()..]
        .split_ascii_whitespace()
        .next()?
        .parse()
        .ok()
}

/// NUL-separated argv; a process that rewrote its argv into one space-separated string
/// (setproctitle) comes back as a single element. Invalid UTF-8 is kept as `\xHH` (the stored
/// form of [`text`]), so that the bytes stay known.
fn parse_cmdline(raw: &[u8]) -> Vec<String> {
    let raw = raw.strip_suffix(&[0]).unwrap_or(raw);
    if raw.is_empty() {
        return Vec::new();
    }
    raw.split(|&b| b == 0).map(text::from_bytes).collect()
}

fn clean_exe_link(link: &str) -> String {
    link.strip_suffix(" (deleted)").unwrap_or(link).to_string()
}

/// Reads every process under `/proc`. Processes that vanish during the scan are skipped.
pub fn scan_processes() -> Vec<ProcInfo> {
    scan_processes_at(Path::new("/proc"))
}

/// Same as [`scan_processes`] for a procfs mounted elsewhere.
pub fn scan_processes_at(proc_root: &Path) -> Vec<ProcInfo> {
    let Ok(entries) = fs::read_dir(proc_root) else {
        return Vec::new();
    };
    let mut out: Vec<ProcInfo> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| read_process_at(proc_root, pid).ok())
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}

/// Runs [`scan_processes`] on a new thread, so start-up never waits for it.
pub fn spawn_scan() -> thread::JoinHandle<Vec<ProcInfo>> {
    thread::Builder::new()
        .name("ptcpdump-proc-scan".into())
        .spawn(scan_processes)
        .unwrap_or_else(|_| thread::spawn(Vec::new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn comm_uses_file_base_name() {
        assert_eq!(comm_for_exec("/usr/bin/curl", Some("curl")), "curl");
        assert_eq!(
            comm_for_exec("/usr/bin/python3.11", Some("python3")),
            "python3.11"
        );
        assert_eq!(comm_for_exec("wget", None), "wget");
    }

    #[test]
    fn comm_uses_argv0_for_fd_exec() {
        assert_eq!(
            comm_for_exec("/dev/fd/3", Some("/opt/app/server")),
            "server"
        );
        assert_eq!(comm_for_exec("/dev/fd/3", None), "3");
        assert_eq!(comm_for_exec("/memfd:x", Some("runc")), "runc");
    }

    #[test]
    fn stat_with_odd_comm() {
        let (comm, ppid) = parse_stat(b"42 (a (b) c) S 7 42 42 0 -1").unwrap();
        assert_eq!(comm, "a (b) c");
        assert_eq!(ppid, 7);
        assert!(parse_stat(b"42 no parens").is_none());
        assert!(parse_stat(b"42 (x)").is_none());
        assert!(parse_stat(b")(").is_none());
    }

    #[test]
    fn status_uid_and_cmdline() {
        let status = b"Name:\tbash\nUid:\t1000\t1000\t1000\t1000\nGid:\t0\n";
        assert_eq!(parse_status_uid(status), Some(1000));
        assert_eq!(parse_status_uid(b"Name: x\n"), None);
        assert_eq!(parse_cmdline(b"sh\0-c\0echo hi\0"), ["sh", "-c", "echo hi"]);
        assert_eq!(parse_cmdline(b""), Vec::<String>::new());
        assert_eq!(
            parse_cmdline(b"nginx: worker process"),
            ["nginx: worker process"]
        );
    }

    #[test]
    fn ns_links() {
        assert_eq!(parse_ns_link("net:[4026531840]"), Some(4026531840));
        assert_eq!(parse_ns_link("mnt:[12"), None);
        assert_eq!(parse_ns_link("garbage"), None);
    }

    #[test]
    fn fake_proc_tree() {
        let root = std::env::temp_dir().join(format!("ptcpdump-meta-proc-{}", std::process::id()));
        let d = root.join("123");
        fs::create_dir_all(d.join("ns")).unwrap();
        fs::write(d.join("stat"), "123 (httpd) S 99 1 1 0").unwrap();
        fs::write(d.join("status"), "Uid:\t33\t33\t33\t33\n").unwrap();
        fs::write(d.join("cmdline"), b"httpd\0-f\0").unwrap();
        fs::write(
            d.join("cgroup"),
            "12:memory:/docker/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n0::/\n",
        )
        .unwrap();
        std::os::unix::fs::symlink("/bin/busybox", d.join("exe")).unwrap();
        std::os::unix::fs::symlink("net:[4026532000]", d.join("ns/net")).unwrap();
        fs::create_dir_all(root.join("self")).unwrap();
        let all = scan_processes_at(&root);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(all.len(), 1);
        let p = &all[0];
        assert_eq!((p.pid, p.ppid, p.uid), (123, 99, 33));
        assert_eq!(p.comm, "busybox");
        assert_eq!(p.exe_path, "/bin/busybox");
        assert_eq!(p.args, ["httpd", "-f"]);
        assert_eq!(
            p.cgroup_path,
            "/docker/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        );
        assert_eq!((p.netns, p.mntns), (4026532000, 0));
    }

    #[test]
    fn reads_own_process() {
        let me = read_process(std::process::id()).unwrap();
        assert_eq!(me.pid, std::process::id());
        assert!(me.ppid > 0);
        assert!(!me.exe_path.is_empty());
        assert_eq!(me.comm, base_name(&me.exe_path));
        assert_ne!(me.netns, 0);
        assert!(matches!(
            read_process_at(Path::new("/nonexistent-proc"), 1),
            Err(ProcError::NotFound { pid: 1 })
        ));
    }

    #[test]
    fn real_scan_finds_self_and_init() {
        let t = Instant::now();
        let all = spawn_scan().join().unwrap();
        let took = t.elapsed();
        assert!(all.iter().any(|p| p.pid == std::process::id()));
        assert!(all.iter().any(|p| p.pid == 1));
        // Not a timing assertion (see BENCHMARKS): just print the figure for the log.
        eprintln!("scanned {} processes in {:?}", all.len(), took);
    }
}
