//! Namespaces, veth pairs and processes for the benchmarks. Everything created here is removed or
//! stopped on drop (also when a benchmark fails), processes are signalled by PID only, and the
//! only addresses used are in 198.18.0.0/15.
use std::{
    fs,
    io::{BufRead, BufReader},
    os::fd::AsRawFd,
    path::{Path, PathBuf},
    process::{ChildStdout, Command, Stdio},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// SIGINT/SIGTERM only set a flag: waits end early and the benchmark returns an error, so every
/// Drop guard runs (namespaces deleted, children killed) instead of the process dying with them.
pub fn install_signal_handlers() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the handler only stores to an atomic (async-signal-safe).
        unsafe { libc::signal(sig, on_signal as *const () as libc::sighandler_t) };
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Fails once a signal asked to stop.
pub fn check_interrupted() -> Result<()> {
    if interrupted() {
        bail!("interrupted");
    }
    Ok(())
}

/// Runs a shell command and returns its stdout; fails with its stderr.
pub fn sh(cmd: &str) -> Result<String> {
    let out = Command::new("sh")
        .args(["-c", cmd])
        .output()
        .with_context(|| format!("spawn sh -c {cmd}"))?;
    if !out.status.success() {
        bail!(
            "`{cmd}` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a shell command, ignoring failure (cleanup paths).
pub fn sh_quiet(cmd: &str) {
    let _ = Command::new("sh")
        .args(["-c", cmd])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A named network namespace, deleted on drop (which also deletes the veth ends inside it).
pub struct Netns {
    pub name: String,
}

impl Netns {
    fn new(name: String) -> Result<Netns> {
        sh(&format!("ip netns add {name}"))?;
        let ns = Netns { name };
        ns.sh("ip link set lo up")?;
        // No IPv6 at all: no DAD, router solicitations or MLD reports among the measured packets.
        ns.sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1")?;
        Ok(ns)
    }

    /// argv prefix running a command in this namespace (`ip netns exec` execs it: same PID).
    pub fn exec_prefix(&self) -> Vec<String> {
        vec![
            "ip".into(),
            "netns".into(),
            "exec".into(),
            self.name.clone(),
        ]
    }

    pub fn sh(&self, cmd: &str) -> Result<String> {
        sh(&format!("ip netns exec {} {cmd}", self.name))
    }

    /// Moves the calling thread into namespace `name` (sockets it opens afterwards live there).
    pub fn enter_thread_named(name: &str) -> Result<()> {
        let f = fs::File::open(format!("/var/run/netns/{name}")).context("open netns")?;
        // SAFETY: a valid namespace fd; CLONE_NEWNET only changes this thread's network namespace.
        if unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
            bail!("setns: {}", std::io::Error::last_os_error());
        }
        Ok(())
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        sh_quiet(&format!("ip netns delete {}", self.name));
    }
}

/// Sender namespace `a` (198.19.N.1 on `a_if`) joined by a veth pair to receiver namespace `b`
/// (198.19.N.2 on `b_if`), where the capturers run.
pub struct Pair {
    pub b: Netns,
    pub a: Netns,
    pub a_if: String,
    pub b_if: String,
    pub a_ip: String,
    pub b_ip: String,
}

impl Pair {
    pub fn new() -> Result<Pair> {
        let id = std::process::id() % 10000;
        // 198.19.0.0/16 (upper half of the benchmarking range): the integration tests use 198.18.
        let n = std::process::id() % 250 + 1;
        let a = Netns::new(format!("xbenchA{id}"))?;
        let b = Netns::new(format!("xbenchB{id}"))?;
        let (a_if, b_if) = (format!("xba{id}"), format!("xbb{id}"));
        sh(&format!(
            "ip link add {a_if} netns {} type veth peer name {b_if} netns {}",
            a.name, b.name
        ))?;
        let (a_ip, b_ip) = (format!("198.19.{n}.1"), format!("198.19.{n}.2"));
        a.sh(&format!("ip addr add {a_ip}/24 dev {a_if}"))?;
        b.sh(&format!("ip addr add {b_ip}/24 dev {b_if}"))?;
        a.sh(&format!("ip link set {a_if} up"))?;
        b.sh(&format!("ip link set {b_if} up"))?;
        // Static neighbours: no ARP among the measured packets.
        let mac_a = a
            .sh(&format!("cat /sys/class/net/{a_if}/address"))?
            .trim()
            .to_string();
        let mac_b = b
            .sh(&format!("cat /sys/class/net/{b_if}/address"))?
            .trim()
            .to_string();
        a.sh(&format!(
            "ip neigh replace {b_ip} lladdr {mac_b} dev {a_if} nud permanent"
        ))?;
        b.sh(&format!(
            "ip neigh replace {a_ip} lladdr {mac_a} dev {b_if} nud permanent"
        ))?;
        Ok(Pair {
            b,
            a,
            a_if,
            b_if,
            a_ip,
            b_ip,
        })
    }

    /// (rx_packets, rx_dropped) of the receiving veth end.
    pub fn rx_counters(&self) -> Result<(u64, u64)> {
        let out = self.b.sh(&format!(
            "cat /sys/class/net/{0}/statistics/rx_packets /sys/class/net/{0}/statistics/rx_dropped",
            self.b_if
        ))?;
        let v: Vec<u64> = out
            .split_whitespace()
            .filter_map(|s| s.parse().ok())
            .collect();
        match v.as_slice() {
            [p, d] => Ok((*p, *d)),
            _ => bail!("bad counters: {out}"),
        }
    }
}

/// CPU and exit of a process reaped with wait4.
#[derive(Clone, Debug, Default)]
pub struct Exit {
    pub user_s: f64,
    pub sys_s: f64,
    pub wall_s: f64,
    pub stderr: Vec<String>,
    pub code: i32,
}

impl Exit {
    pub fn cpu_s(&self) -> f64 {
        self.user_s + self.sys_s
    }

    /// The number before `suffix` on a stderr line ("N packets captured" and friends).
    pub fn stat(&self, suffix: &str) -> Option<u64> {
        self.stderr
            .iter()
            .find_map(|l| l.trim().strip_suffix(suffix)?.trim().parse().ok())
    }
}

pub enum Out {
    Null,
    File(PathBuf),
    Pipe,
}

/// A child process, SIGKILLed and reaped on drop unless it was reaped before.
pub struct Proc {
    pub pid: i32,
    reaped: bool,
    started: Instant,
    pub stdout: Option<ChildStdout>,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<thread::JoinHandle<()>>,
}

impl Proc {
    pub fn spawn(argv: &[String], out: Out) -> Result<Proc> {
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..])
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        match out {
            Out::Null => cmd.stdout(Stdio::null()),
            Out::File(p) => {
                cmd.stdout(fs::File::create(&p).with_context(|| format!("create {}", p.display()))?)
            }
            Out::Pipe => cmd.stdout(Stdio::piped()),
        };
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .with_context(|| format!("spawn {}", argv.join(" ")))?;
        let pid = child.id() as i32;
        let err = child.stderr.take().context("stderr")?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let l2 = lines.clone();
        let reader = thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                l2.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        // The std Child is dropped without waiting: wait4 below reaps the PID and reads rusage.
        Ok(Proc {
            pid,
            reaped: false,
            started,
            stdout: child.stdout.take(),
            lines,
            reader: Some(reader),
        })
    }

    pub fn stderr_has(&self, needle: &str) -> bool {
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|l| l.contains(needle))
    }

    pub fn stderr_text(&self) -> String {
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .join("\n")
    }

    fn try_reap(&mut self, block: bool) -> Option<(i32, libc::rusage)> {
        let mut status = 0;
        // SAFETY: rusage is plain data filled by the kernel.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if block { 0 } else { libc::WNOHANG };
        // SAFETY: our own child's PID, valid out-pointers.
        let r = unsafe { libc::wait4(self.pid, &mut status, flags, &mut ru) };
        if r == self.pid {
            self.reaped = true;
            let code = if libc::WIFEXITED(status) {
                libc::WEXITSTATUS(status)
            } else {
                128 + libc::WTERMSIG(status)
            };
            Some((code, ru))
        } else {
            None
        }
    }

    pub fn exited(&mut self) -> Option<Exit> {
        let (code, ru) = self.try_reap(false)?;
        Some(self.finish(code, ru))
    }

    fn finish(&mut self, code: i32, ru: libc::rusage) -> Exit {
        let wall_s = self.started.elapsed().as_secs_f64();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        Exit {
            user_s: tv(ru.ru_utime),
            sys_s: tv(ru.ru_stime),
            wall_s,
            stderr: self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone(),
            code,
        }
    }

    /// Sends `sig`, waits up to `grace` for the exit, then SIGKILLs.
    pub fn stop(&mut self, sig: i32, grace: Duration) -> Exit {
        if !self.reaped {
            // SAFETY: signalling our own unreaped child by PID.
            unsafe { libc::kill(self.pid, sig) };
        }
        self.wait(grace)
    }

    /// Waits up to `limit` for the process to end by itself, then SIGKILLs it.
    pub fn wait(&mut self, limit: Duration) -> Exit {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline && !interrupted() {
            if let Some((code, ru)) = self.try_reap(false) {
                return self.finish(code, ru);
            }
            thread::sleep(Duration::from_millis(5));
        }
        // SAFETY: as above.
        unsafe { libc::kill(self.pid, libc::SIGKILL) };
        match self.try_reap(true) {
            Some((code, ru)) => self.finish(code, ru),
            None => Exit {
                code: -1,
                ..Exit::default()
            },
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if !self.reaped {
            // SAFETY: our own unreaped child.
            unsafe { libc::kill(self.pid, libc::SIGKILL) };
            let _ = self.try_reap(true);
        }
    }
}

/// Number of TCX links (bpf_link fds of type tcx) process `pid` holds: ptcpdump is attached
/// when it holds one per direction.
pub fn tcx_links(pid: i32) -> usize {
    let Ok(dir) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    let mut n = 0;
    for e in dir.flatten() {
        let Ok(target) = fs::read_link(e.path()) else {
            continue;
        };
        if target.to_string_lossy() != "anon_inode:bpf_link" {
            continue;
        }
        let info = fs::read_to_string(format!(
            "/proc/{pid}/fdinfo/{}",
            e.file_name().to_string_lossy()
        ));
        if info.is_ok_and(|s| {
            s.lines()
                .any(|l| l.starts_with("link_type:") && l.contains("tcx"))
        }) {
            n += 1;
        }
    }
    n
}

pub fn cores() -> usize {
    thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

pub fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn file_size(p: &Path) -> u64 {
    fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// (user, sys) CPU seconds a process has used so far, all threads, from /proc/PID/stat.
pub fn proc_cpu(pid: i32) -> Option<(f64, f64)> {
    let s = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start at state (field 3).
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let ut: f64 = f.get(11)?.parse().ok()?;
    let st: f64 = f.get(12)?.parse().ok()?;
    Some((ut / hz, st / hz))
}
