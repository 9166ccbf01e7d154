//! Helpers for the integration tests: network namespaces joined by veth pairs (198.18.0.0/15 and
//! 2001:db8::/32 only), processes started and stopped by PID, and the ptcpdump binary under test.
//! Everything created here is removed on drop, also when a test fails (panics unwind).
use std::{
    io::{BufRead, BufReader, Read},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        Mutex,
        atomic::{AtomicU32, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

/// The binary under test: $PTCPDUMP_BIN, else target/release/ptcpdump of this workspace.
pub fn ptcpdump_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("PTCPDUMP_BIN") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for profile in ["release", "debug"] {
        let p = root.join("target").join(profile).join("ptcpdump");
        if p.exists() {
            return p;
        }
    }
    panic!("ptcpdump binary not found: build it first or set PTCPDUMP_BIN");
}

/// Root tests are skipped (with a message) when not root; CI runs as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc_geteuid() == 0 }
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

pub fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs a shell command, panicking with its output if it fails.
pub fn sh(cmd: &str) -> String {
    let out = Command::new("sh")
        .args(["-c", cmd])
        .output()
        .expect("spawn sh");
    assert!(
        out.status.success(),
        "command failed: {cmd}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a shell command, ignoring failure (cleanup paths).
pub fn sh_quiet(cmd: &str) {
    let _ = Command::new("sh")
        .args(["-c", cmd])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A unique short name prefix for this process's test objects (interface names are <= 15 chars).
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}{}{}",
        std::process::id() % 10000,
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

/// A named network namespace, deleted on drop.
pub struct Netns {
    pub name: String,
}

impl Netns {
    pub fn new(prefix: &str) -> Netns {
        let name = unique(prefix);
        sh(&format!("ip netns add {name}"));
        sh(&format!("ip -n {name} link set lo up"));
        Netns { name }
    }

    /// `ip netns exec NAME` prefix for shell commands.
    pub fn exec(&self, cmd: &str) -> String {
        format!("ip netns exec {} {cmd}", self.name)
    }

    pub fn sh(&self, cmd: &str) -> String {
        sh(&self.exec(cmd))
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        sh_quiet(&format!("ip netns delete {}", self.name));
    }
}

/// Two namespaces joined by a veth pair: `a` has 198.18.N.1 / 2001:db8:N::1 on `a_if`, `b` has
/// .2 / ::2 on `b_if`.
pub struct Pair {
    pub a: Netns,
    pub b: Netns,
    pub a_if: String,
    pub b_if: String,
    pub a_ip: String,
    pub b_ip: String,
    pub a_ip6: String,
    pub b_ip6: String,
}

static NET: Mutex<u32> = Mutex::new(0);

impl Pair {
    pub fn new() -> Pair {
        let n = {
            let mut g = NET.lock().unwrap_or_else(|e| e.into_inner());
            *g += 1;
            (std::process::id() + *g) % 200 + 20
        };
        let a = Netns::new("ptA");
        let b = Netns::new("ptB");
        let a_if = unique("va");
        let b_if = unique("vb");
        sh(&format!(
            "ip link add {a_if} netns {} type veth peer name {b_if} netns {}",
            a.name, b.name
        ));
        let (a_ip, b_ip) = (format!("198.18.{n}.1"), format!("198.18.{n}.2"));
        let (a_ip6, b_ip6) = (format!("2001:db8:{n}::1"), format!("2001:db8:{n}::2"));
        // No link-local address: no DAD, router solicitations or MLD reports at random times.
        a.sh(&format!("sysctl -qw net.ipv6.conf.{a_if}.addr_gen_mode=1"));
        b.sh(&format!("sysctl -qw net.ipv6.conf.{b_if}.addr_gen_mode=1"));
        a.sh(&format!("ip addr add {a_ip}/24 dev {a_if}"));
        b.sh(&format!("ip addr add {b_ip}/24 dev {b_if}"));
        a.sh(&format!("ip addr add {a_ip6}/64 dev {a_if} nodad"));
        b.sh(&format!("ip addr add {b_ip6}/64 dev {b_if} nodad"));
        a.sh(&format!("ip link set {a_if} up"));
        b.sh(&format!("ip link set {b_if} up"));
        Pair {
            a,
            b,
            a_if,
            b_if,
            a_ip,
            b_ip,
            a_ip6,
            b_ip6,
        }
    }
}

impl Default for Pair {
    fn default() -> Self {
        Pair::new()
    }
}

/// How much slower than this machine the tests run: `PTCPDUMP_TEST_SLOW` (a factor, default 1).
/// The kernel matrix sets it in its TCG guests, where loading the eBPF programs takes several
/// times longer; every wait for a process's output or exit is multiplied by it.
pub fn slowness() -> u64 {
    std::env::var("PTCPDUMP_TEST_SLOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&f| f >= 1)
        .unwrap_or(1)
}

/// A background process whose stdout and stderr are collected; stopped by PID on drop.
pub struct Bg {
    child: Option<Child>,
    stdout: Option<thread::JoinHandle<String>>,
    stderr_lines: std::sync::Arc<Mutex<Vec<String>>>,
    stderr: Option<thread::JoinHandle<()>>,
}

pub struct Finished {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Bg {
    pub fn spawn(cmd: &str) -> Bg {
        let mut child = Command::new("sh")
            .args(["-c", &format!("exec {cmd}")])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut out = child.stdout.take().expect("stdout");
        let stdout = thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_to_string(&mut s);
            s
        });
        let err = child.stderr.take().expect("stderr");
        let lines = std::sync::Arc::new(Mutex::new(Vec::new()));
        let l2 = lines.clone();
        let stderr = thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                l2.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        Bg {
            child: Some(child),
            stdout: Some(stdout),
            stderr_lines: lines,
            stderr: Some(stderr),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// Waits until a stderr line contains `needle` (e.g. "listening on"); panics after `secs`.
    pub fn wait_stderr(&self, needle: &str, secs: u64) {
        let secs = secs * slowness();
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if self
                .stderr_lines
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .any(|l| l.contains(needle))
            {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "no stderr line containing {needle:?} within {secs}s; stderr so far: {:?}",
            self.stderr_lines.lock().unwrap_or_else(|e| e.into_inner())
        );
    }

    pub fn signal(&self, sig: &str) {
        sh_quiet(&format!("kill -{sig} {}", self.pid()));
    }

    /// Sends SIGINT and collects the output.
    pub fn stop(mut self) -> Finished {
        self.signal("INT");
        self.finish(Duration::from_secs(20 * slowness()))
    }

    /// Waits for the process to exit by itself.
    pub fn wait(mut self, secs: u64) -> Finished {
        self.finish(Duration::from_secs(secs * slowness()))
    }

    fn finish(&mut self, timeout: Duration) -> Finished {
        let mut child = self.child.take().expect("child");
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait") {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                break child.wait().expect("wait");
            }
            thread::sleep(Duration::from_millis(20));
        };
        let stdout = self
            .stdout
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        if let Some(h) = self.stderr.take() {
            let _ = h.join();
        }
        let stderr = self
            .stderr_lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .join("\n");
        Finished {
            status,
            stdout,
            stderr,
        }
    }
}

impl Drop for Bg {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The text tcpdump prints after the timestamp (`HH:MM:SS.ffffff `) of a line.
pub fn after_timestamp(line: &str) -> &str {
    line.split_once(' ').map(|(_, rest)| rest).unwrap_or(line)
}

/// For a ptcpdump line `TS IFNAME [COMM.PID] In|Out TEXT`: (direction, TEXT).
pub fn ptcpdump_text(line: &str) -> Option<(&str, &str)> {
    let rest = after_timestamp(line);
    for dir in [" In ", " Out "] {
        if let Some(i) = rest.find(dir) {
            return Some((dir.trim(), &rest[i + dir.len()..]));
        }
    }
    None
}

/// The `cri_pod` example of ptcpdump-meta (makes CRI Pods for the container tests):
/// $PTCPDUMP_CRI_POD_BIN, else built once per test binary with cargo.
pub fn cri_pod_bin() -> &'static PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("PTCPDUMP_CRI_POD_BIN") {
            return PathBuf::from(p);
        }
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = Command::new(cargo)
            .current_dir(&root)
            .args([
                "build",
                "--release",
                "-p",
                "ptcpdump-meta",
                "--example",
                "cri_pod",
            ])
            .output()
            .expect("run cargo");
        assert!(
            out.status.success(),
            "building the cri_pod example failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        root.join("target/release/examples/cri_pod")
    })
}
