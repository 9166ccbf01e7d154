//! User space's table of processes: filled from exec/fork/exit events (so short-lived processes
//! keep their command line) and from /proc for processes that existed before the capture.
//! Exited processes are kept for a while: their last packets may still be in the ring buffer.
use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use ptcpdump_common::{EXEC_ARGS_LEN, ExecEvent, Owner};

use crate::annotate::{Annotation, ProcessInfo};

const KEEP_AFTER_EXIT: Duration = Duration::from_secs(15);

#[derive(Clone, Debug, Default)]
struct Entry {
    info: ProcessInfo,
    ppid: u32,
    uid: u32,
    exited: Option<Instant>,
}

#[derive(Default)]
pub struct ProcTable {
    procs: HashMap<u32, Entry>,
}

impl ProcTable {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn on_exec(&mut self, ev: &ExecEvent) {
        let cmd = cstr(&ev.filename);
        let used = (ev.args_len as usize).min(EXEC_ARGS_LEN);
        let mut block = &ev.args[..used];
        // A complete block ends with the last argument's NUL; a cut one does not.
        if let Some(b) = block.strip_suffix(&[0]) {
            block = b;
        }
        let args: Vec<String> = if block.is_empty() {
            Vec::new()
        } else {
            block
                .split(|b| *b == 0)
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect()
        };
        let ppid = match ev.ppid {
            0 => self
                .procs
                .get(&ev.pid)
                .map(|e| e.ppid)
                .or_else(|| read_proc(ev.pid).map(|e| e.ppid))
                .unwrap_or(0),
            p => p,
        };
        // No arguments from the kernel (on the fallback path, an execve entered before the
        // capture started): take what /proc says now (the process is alive: its exec just
        // completed).
        let (cmd, args) = if args.is_empty() || cmd.is_empty() {
            match read_proc(ev.pid) {
                Some(e) => (
                    if cmd.is_empty() { e.info.cmd } else { cmd },
                    if args.is_empty() { e.info.args } else { args },
                ),
                None => (cmd, args),
            }
        } else {
            (cmd, args)
        };
        self.procs.insert(
            ev.pid,
            Entry {
                info: ProcessInfo {
                    pid: ev.pid,
                    cmd,
                    args,
                    args_truncated: ev.args_truncated != 0,
                },
                ppid,
                uid: ev.uid,
                exited: None,
            },
        );
    }

    pub fn on_fork(&mut self, child: u32, parent: u32) {
        // A new process runs its parent's program until it execs.
        let mut e = self.lookup(parent).cloned().unwrap_or_default();
        e.info.pid = child;
        e.ppid = parent;
        e.exited = None;
        self.procs.insert(child, e);
    }

    pub fn on_exit(&mut self, pid: u32) {
        if let Some(e) = self.procs.get_mut(&pid) {
            e.exited = Some(Instant::now());
        }
    }

    /// Forgets processes that exited long enough ago.
    pub fn expire(&mut self) {
        self.procs
            .retain(|_, e| e.exited.is_none_or(|t| t.elapsed() < KEEP_AFTER_EXIT));
    }

    fn lookup(&mut self, pid: u32) -> Option<&Entry> {
        if pid == 0 {
            return None;
        }
        if let std::collections::hash_map::Entry::Vacant(v) = self.procs.entry(pid) {
            v.insert(read_proc(pid)?);
        }
        self.procs.get(&pid)
    }

    /// Process, thread, user and parent parts of a packet's annotation.
    pub fn annotate(&mut self, owner: &Owner) -> Annotation {
        let mut a = Annotation::default();
        let Some(e) = self.lookup(owner.pid).cloned() else {
            return a;
        };
        a.process = Some(e.info.clone());
        a.uid = Some(if owner.uid != 0 || e.uid == 0 {
            owner.uid
        } else {
            e.uid
        });
        if owner.tid != 0 {
            a.thread = Some((owner.tid, cstr(&owner.comm)));
        }
        let ppid = if owner.ppid != 0 { owner.ppid } else { e.ppid };
        if let Some(p) = self.lookup(ppid) {
            a.parent = Some(p.info.clone());
        }
        a
    }
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn read_proc(pid: u32) -> Option<Entry> {
    let p = ptcpdump_meta::process::read_process(pid).ok()?;
    Some(Entry {
        info: ProcessInfo {
            pid,
            cmd: p.exe_path,
            args: p.args,
            args_truncated: false,
        },
        ppid: p.ppid,
        uid: p.uid,
        exited: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exec(pid: u32, file: &str, args: &[&str]) -> ExecEvent {
        let mut ev = ExecEvent {
            kind: ptcpdump_common::EVENT_EXEC,
            pid,
            ppid: 0,
            uid: 1000,
            ts_ns: 0,
            args_len: 0,
            args_truncated: 0,
            filename_truncated: 0,
            _pad: [0; 2],
            filename: [0; ptcpdump_common::EXEC_FILENAME_LEN],
            args: [0; EXEC_ARGS_LEN],
        };
        ev.filename[..file.len()].copy_from_slice(file.as_bytes());
        let mut off = 0;
        for a in args {
            ev.args[off..off + a.len()].copy_from_slice(a.as_bytes());
            off += a.len() + 1;
        }
        ev.args_len = off as u32;
        ev
    }

    #[test]
    fn exec_then_exit_keeps_identity() {
        let mut t = ProcTable::new();
        let me = std::process::id();
        t.on_fork(4_000_000, me);
        t.on_exec(&exec(
            4_000_000,
            "/usr/bin/curl",
            &["curl", "-s", "http://198.18.0.2/"],
        ));
        t.on_exit(4_000_000);
        let a = t.annotate(&Owner {
            pid: 4_000_000,
            ..Default::default()
        });
        let p = a.process.unwrap();
        assert_eq!(p.cmd, "/usr/bin/curl");
        assert_eq!(p.args_text(), "curl -s http://198.18.0.2/");
        assert_eq!(a.parent.unwrap().pid, me);
    }

    #[test]
    fn cut_arguments_are_marked() {
        let mut t = ProcTable::new();
        let mut ev = exec(4_000_001, "/opt/x", &["x", "aaaa"]);
        // The kernel cut the block in the middle of the last argument (no closing NUL).
        ev.args_len -= 1;
        ev.args_truncated = 1;
        t.on_exec(&ev);
        let p = t
            .annotate(&Owner {
                pid: 4_000_001,
                ..Default::default()
            })
            .process
            .unwrap();
        assert_eq!(p.args_text(), "x aaaa...");
    }

    #[test]
    fn existing_process_from_proc() {
        let mut t = ProcTable::new();
        let a = t.annotate(&Owner {
            pid: std::process::id(),
            ..Default::default()
        });
        assert!(a.process.unwrap().cmd.contains("ptcpdump"));
    }

    #[test]
    fn unknown_pid_means_no_process() {
        let mut t = ProcTable::new();
        assert!(t.annotate(&Owner::default()).process.is_none());
    }
}
