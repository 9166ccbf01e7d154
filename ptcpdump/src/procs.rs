//! User space's table of processes: filled from exec/fork/exit events (so short-lived processes
//! keep their command line) and from /proc for processes that existed before the capture.
//! Exited processes are kept for a while: their last packets may still be in the ring buffer.
//! Each process's text is escaped for printing once, when its entry is made (`ProcessInfo`).
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use ptcpdump_common::{EXEC_ARGS_LEN, ExecEvent, Owner};
use ptcpdump_meta::text::{self, Text};

use crate::annotate::{End, ProcessInfo, Thread};

const KEEP_AFTER_EXIT: Duration = Duration::from_secs(15);

#[derive(Clone, Debug, Default)]
struct Entry {
    info: Arc<ProcessInfo>,
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

    /// Every process alive now, read from /proc: called once the exec, fork and exit hooks are
    /// attached, so that a process that was running before the capture and exits before its
    /// packets are read from the ring buffer keeps its name (its /proc entry is gone by then).
    pub fn preloaded() -> Self {
        let mut t = Self::new();
        if let Ok(dir) = std::fs::read_dir("/proc") {
            for pid in dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok()) {
                if let Some(e) = read_proc(pid) {
                    t.procs.insert(pid, e);
                }
            }
        }
        t
    }

    pub fn on_exec(&mut self, ev: &ExecEvent) {
        let cmd = text::from_bytes(cstr(&ev.filename));
        let used = (ev.args_len as usize).min(EXEC_ARGS_LEN);
        let mut block = &ev.args[..used];
        // A complete block ends with the last argument's NUL; a cut one does not.
        if let Some(b) = block.strip_suffix(&[0]) {
            block = b;
        }
        let args: Vec<String> = if block.is_empty() {
            Vec::new()
        } else {
            block.split(|b| *b == 0).map(text::from_bytes).collect()
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
        // No arguments from the kernel (an execve entered before the capture started, on the
        // fallback path): take what /proc says now (the process is alive: its exec just
        // completed).
        let (cmd, args, truncated) = if args.is_empty() || cmd.is_empty() {
            match read_proc(ev.pid) {
                Some(e) => (
                    if cmd.is_empty() {
                        e.info.cmd.clone()
                    } else {
                        cmd
                    },
                    if args.is_empty() {
                        e.info.args.clone()
                    } else {
                        args
                    },
                    false,
                ),
                None => (cmd, args, ev.args_truncated != 0),
            }
        } else {
            (cmd, args, ev.args_truncated != 0)
        };
        self.procs.insert(
            ev.pid,
            Entry {
                info: Arc::new(ProcessInfo::new(
                    ev.pid,
                    cmd,
                    args,
                    ev.filename_truncated != 0,
                    truncated,
                )),
                ppid,
                uid: ev.uid,
                exited: None,
            },
        );
    }

    pub fn on_fork(&mut self, child: u32, parent: u32) {
        // A new process runs its parent's program until it execs.
        let mut e = self.lookup(parent).cloned().unwrap_or_default();
        let mut info = (*e.info).clone();
        info.pid = child;
        e.info = Arc::new(info);
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

    /// A process we never saw exec and whose /proc entry is gone: what the kernel recorded with
    /// its socket (the thread's comm), kept for its remaining packets.
    fn entry_from_kernel(&mut self, owner: &Owner) -> Option<Entry> {
        let comm = cstr(&owner.comm);
        if owner.pid == 0 || comm.is_empty() {
            return None;
        }
        let e = Entry {
            info: Arc::new(ProcessInfo::new(
                owner.pid,
                text::from_bytes(comm),
                Vec::new(),
                false,
                false,
            )),
            ppid: owner.ppid,
            uid: owner.uid,
            exited: Some(Instant::now()),
        };
        self.procs.insert(owner.pid, e.clone());
        Some(e)
    }

    /// Process, thread, user and parent of one end of a packet.
    pub fn annotate(&mut self, owner: &Owner) -> End {
        let mut a = End::default();
        let Some(e) = self
            .lookup(owner.pid)
            .cloned()
            .or_else(|| self.entry_from_kernel(owner))
        else {
            return a;
        };
        a.process = Some(e.info.clone());
        a.uid = Some(if owner.uid != 0 || e.uid == 0 {
            owner.uid
        } else {
            e.uid
        });
        if owner.tid != 0 {
            a.thread = Some(Thread {
                tid: owner.tid,
                name: Text::from_bytes(cstr(&owner.comm)),
            });
        }
        let ppid = if owner.ppid != 0 { owner.ppid } else { e.ppid };
        if let Some(p) = self.lookup(ppid) {
            a.parent = Some(p.info.clone());
        }
        a
    }
}

fn cstr(b: &[u8]) -> &[u8] {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    &b[..end]
}

fn read_proc(pid: u32) -> Option<Entry> {
    let p = ptcpdump_meta::process::read_process(pid).ok()?;
    Some(Entry {
        info: Arc::new(ProcessInfo::new(pid, p.exe_path, p.args, false, false)),
        ppid: p.ppid,
        uid: p.uid,
        exited: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exec_bytes(pid: u32, file: &[u8], args: &[&[u8]]) -> ExecEvent {
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
        ev.filename[..file.len()].copy_from_slice(file);
        let mut off = 0;
        for a in args {
            ev.args[off..off + a.len()].copy_from_slice(a);
            off += a.len() + 1;
        }
        ev.args_len = off as u32;
        ev
    }

    fn exec(pid: u32, file: &str, args: &[&str]) -> ExecEvent {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        exec_bytes(pid, file.as_bytes(), &args)
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
    fn cut_arguments_and_file_name_are_marked() {
        let mut t = ProcTable::new();
        let mut ev = exec(4_000_001, "/opt/x", &["x", "aaaa"]);
        // The kernel cut the block in the middle of the last argument (no closing NUL).
        ev.args_len -= 1;
        ev.args_truncated = 1;
        ev.filename_truncated = 1;
        t.on_exec(&ev);
        let p = t
            .annotate(&Owner {
                pid: 4_000_001,
                ..Default::default()
            })
            .process
            .unwrap();
        assert_eq!(p.args_text(), "x aaaa...");
        assert_eq!(p.cmd_text(), "/opt/x...");
    }

    #[test]
    fn hostile_bytes_are_stored_and_shown_safely() {
        let mut t = ProcTable::new();
        t.on_exec(&exec_bytes(
            4_000_003,
            b"/tmp/e\x1b",
            &[b"e\x1b", b"a\nb", b"\x07\xff"],
        ));
        let p = t
            .annotate(&Owner {
                pid: 4_000_003,
                ..Default::default()
            })
            .process
            .unwrap();
        // Stored: raw but valid UTF-8; shown: nothing a terminal acts on.
        assert_eq!(p.args, ["e\x1b", "a\nb", "\x07\\xff"]);
        assert_eq!(p.shown_args(), r"e\x1b a\x0ab \x07\xff");
        assert_eq!(p.shown_cmd(), r"/tmp/e\x1b");
        assert_eq!(p.shown_comm(), r"e\x1b");
    }

    #[test]
    fn thread_names_are_escaped() {
        let mut t = ProcTable::new();
        t.on_exec(&exec(4_000_004, "/bin/w", &["w"]));
        let mut comm = [0u8; 16];
        comm[..4].copy_from_slice(b"w\n\x1b\xc3");
        let a = t.annotate(&Owner {
            pid: 4_000_004,
            tid: 4_000_005,
            comm,
            ..Default::default()
        });
        assert_eq!(a.thread.unwrap().name.shown(), r"w\x0a\x1b\xc3");
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
