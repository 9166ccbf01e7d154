//! TLS key log of Go programs (issue 9): a Go HTTPS client or server (tests/testdata/gotls, built
//! here with Debian's golang-go in four variants: unstripped, stripped, PIE, stripped PIE) talks
//! TLS 1.2 and 1.3 over the loopback of a namespace of its own; tshark, given only what ptcpdump
//! wrote, must decrypt `GET /foo/bar`. Without keys it must not (so the test can fail). Needs
//! root, go and tshark (go is installed with apt-get when missing); skipped otherwise.
use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::Mutex,
    thread,
    time::{Duration, Instant},
};

use integration_tests::*;

/// Build variants: (name, `go build` arguments).
const VARIANTS: &[(&str, &[&str])] = &[
    ("unstripped", &[]),
    ("stripped", &["-ldflags=-s -w"]),
    ("pie", &["-buildmode=pie"]),
    ("stripped-pie", &["-buildmode=pie", "-ldflags=-s -w"]),
];

fn work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gotls")
}

/// Root, tshark and a Go toolchain (installed from Debian when missing), or a skip message.
fn ready(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    if !have("tshark") {
        eprintln!("skipping {name}: tshark is not installed");
        return false;
    }
    static INSTALL: Mutex<Option<bool>> = Mutex::new(None);
    let mut g = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let ok = *g.get_or_insert_with(|| {
        if !have("go") {
            sh_quiet("DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go");
        }
        have("go")
    });
    if !ok {
        eprintln!("skipping {name}: no Go toolchain (apt-get install golang-go failed)");
    }
    ok
}

/// The test program built as `variant` (once per test run; the Go build cache makes it quick).
fn go_binary(variant: &str) -> PathBuf {
    static BUILT: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    let dir = work_dir();
    let exe = dir.join(format!("gotls-{variant}"));
    if built.iter().any(|v| v == variant) {
        return exe;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let args = VARIANTS
        .iter()
        .find(|(n, _)| *n == variant)
        .expect("known variant")
        .1;
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/gotls/main.go");
    let out = Command::new("go")
        .arg("build")
        .args(args)
        .arg("-o")
        .arg(&exe)
        .arg(&src)
        .env("GOCACHE", dir.join("gocache"))
        .env("GOPATH", dir.join("gopath"))
        .env("GO111MODULE", "off")
        .env("CGO_ENABLED", "0")
        .output()
        .expect("run go build");
    assert!(
        out.status.success(),
        "go build {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    built.push(variant.to_string());
    exe
}

/// A Go HTTPS server in namespace `ns`, on 127.0.0.1:8443.
fn server(ns: &Netns, exe: &Path) -> Bg {
    let s = Bg::spawn(&ns.exec(&format!("{} server 127.0.0.1:8443", exe.display())));
    s.wait_stderr("ready", 20);
    s
}

fn tmp(name: &str) -> PathBuf {
    let p = work_dir().join(unique(name));
    let _ = std::fs::remove_file(&p);
    p
}

/// `tshark -r FILE [-o tls.keylog_file:KEYS] -Y http` output.
fn tshark_http(pcap: &Path, keys: Option<&Path>) -> String {
    let opt = keys
        .map(|k| format!("-o tls.keylog_file:{}", k.display()))
        .unwrap_or_default();
    sh(&format!(
        "tshark -n -r {} {opt} -Y http 2>/dev/null",
        pcap.display()
    ))
}

fn requests(tshark: &str) -> usize {
    tshark
        .lines()
        .filter(|l| l.contains("GET /foo/bar"))
        .count()
}

/// Labels of the NSS key log lines in `text`.
fn labels(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split(' ').next())
        .map(str::to_string)
        .collect()
}

/// `ptcpdump -i lo EXTRA -- CLIENT https://127.0.0.1:8443/foo/bar VERSION` in `ns`.
fn capture_client(ns: &Netns, client: &Path, version: &str, extra: &str) -> Finished {
    let run = Bg::spawn(&ns.exec(&format!(
        "{} -i lo {extra} -- {} client https://127.0.0.1:8443/foo/bar {version}",
        ptcpdump_bin().display(),
        client.display()
    )));
    let done = run.wait(60);
    assert!(done.status.success(), "ptcpdump failed: {}", done.stderr);
    assert!(
        done.stderr.contains("hello from /foo/bar"),
        "the client got no answer: {}",
        done.stderr
    );
    done
}

fn variant_decrypts(variant: &str) {
    let exe = go_binary(variant);
    let ns = Netns::new("ptK");
    let _srv = server(&ns, &go_binary("unstripped"));
    for version in ["tls12", "tls13"] {
        // Key log file only: tshark needs it.
        let (keys, pcap) = (tmp("keys"), tmp("f.pcapng"));
        let done = capture_client(
            &ns,
            &exe,
            version,
            &format!(
                "--write-keylog-file {} -w {}",
                keys.display(),
                pcap.display()
            ),
        );
        no_keylog_warning(&done.stderr);
        let log = std::fs::read_to_string(&keys).unwrap();
        let want: &[&str] = if version == "tls12" {
            &["CLIENT_RANDOM"]
        } else {
            &[
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                "CLIENT_TRAFFIC_SECRET_0",
                "SERVER_TRAFFIC_SECRET_0",
            ]
        };
        assert_eq!(labels(&log), want, "{variant}/{version}: key log {log}");
        assert_eq!(
            requests(&tshark_http(&pcap, None)),
            0,
            "{variant}/{version}: decrypted without keys?"
        );
        let with_keys = tshark_http(&pcap, Some(&keys));
        assert_eq!(
            requests(&with_keys),
            1,
            "{variant}/{version}: tshark with the key log:\n{with_keys}"
        );

        // Keys embedded in the pcapng only: plain tshark decrypts.
        let pcap = tmp("e.pcapng");
        capture_client(
            &ns,
            &exe,
            version,
            &format!("--embed-keylog-to-pcapng -w {}", pcap.display()),
        );
        let plain = tshark_http(&pcap, None);
        assert_eq!(
            requests(&plain),
            1,
            "{variant}/{version}: tshark on the pcapng with embedded keys:\n{plain}"
        );
    }
}

#[test]
fn keylog_of_unstripped_go_client() {
    if ready("keylog_of_unstripped_go_client") {
        variant_decrypts("unstripped");
    }
}

#[test]
fn keylog_of_stripped_go_client() {
    if ready("keylog_of_stripped_go_client") {
        variant_decrypts("stripped");
    }
}

#[test]
fn keylog_of_pie_go_client() {
    if ready("keylog_of_pie_go_client") {
        variant_decrypts("pie");
    }
}

#[test]
fn keylog_of_stripped_pie_go_client() {
    if ready("keylog_of_stripped_pie_go_client") {
        variant_decrypts("stripped-pie");
    }
}

/// No message about the key log: every probe went in.
fn no_keylog_warning(stderr: &str) {
    assert!(
        !stderr.contains("TLS key") && !stderr.contains("Go program"),
        "{stderr}"
    );
}

/// Starts `ptcpdump -i lo ARGS` in `ns` and waits until it writes its output file (created once
/// every probe and interface is attached).
fn start_capture(ns: &Netns, args: &str, out: &Path) -> Bg {
    let cap = Bg::spawn(&ns.exec(&format!(
        "{} -i lo {args} -w {}",
        ptcpdump_bin().display(),
        out.display()
    )));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !out.exists() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(out.exists(), "ptcpdump did not start");
    cap
}

/// `--pid` of a Go server that was running before the capture: its keys of a TLS 1.2 and a
/// TLS 1.3 connection. Two captures at once: one writes a key log file, the other embeds the keys.
#[test]
fn keylog_of_running_go_server_by_pid() {
    if !ready("keylog_of_running_go_server_by_pid") {
        return;
    }
    let ns = Netns::new("ptK");
    let srv = server(&ns, &go_binary("stripped-pie"));
    let client = go_binary("unstripped");
    let (keys, to_file, embedded) = (tmp("pidkeys"), tmp("pidf.pcapng"), tmp("pide.pcapng"));
    let pid = srv.pid();
    let a = start_capture(
        &ns,
        &format!("--pid {pid} --write-keylog-file {}", keys.display()),
        &to_file,
    );
    let b = start_capture(
        &ns,
        &format!("--pid {pid} --embed-keylog-to-pcapng"),
        &embedded,
    );
    thread::sleep(Duration::from_millis(300));
    for version in ["tls12", "tls13"] {
        let out = ns.sh(&format!(
            "{} client https://127.0.0.1:8443/foo/bar {version}",
            client.display()
        ));
        assert!(out.contains("hello from /foo/bar"), "{out}");
    }
    // Packets held for the embedded keys are written within about a second; then stop.
    thread::sleep(Duration::from_millis(1500));
    for cap in [a.stop(), b.stop()] {
        assert!(cap.status.success(), "ptcpdump failed: {}", cap.stderr);
        no_keylog_warning(&cap.stderr);
    }
    let log = std::fs::read_to_string(&keys).unwrap();
    let l = labels(&log);
    for label in [
        "CLIENT_RANDOM",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_TRAFFIC_SECRET_0",
    ] {
        assert_eq!(
            l.iter().filter(|l| *l == label).count(),
            1,
            "{label} in {log}"
        );
    }
    assert_eq!(
        requests(&tshark_http(&to_file, None)),
        0,
        "decrypted without keys?"
    );
    assert_eq!(
        requests(&tshark_http(&to_file, Some(&keys))),
        2,
        "with the key log file"
    );
    assert_eq!(
        requests(&tshark_http(&embedded, None)),
        2,
        "with the embedded keys"
    );
}

/// A program that is not Go: one clear message, and the capture goes on.
#[test]
fn program_that_is_not_go_is_said_once_and_captured() {
    if !ready("program_that_is_not_go_is_said_once_and_captured") || !have("curl") {
        return;
    }
    let ns = Netns::new("ptK");
    let _srv = server(&ns, &go_binary("unstripped"));
    let (keys, pcap) = (tmp("ckeys"), tmp("c.pcapng"));
    let run = Bg::spawn(&ns.exec(&format!(
        "{} -i lo --write-keylog-file {} -w {} -- curl -sk https://127.0.0.1:8443/foo/bar",
        ptcpdump_bin().display(),
        keys.display(),
        pcap.display()
    )));
    let done = run.wait(60);
    assert!(done.status.success(), "ptcpdump failed: {}", done.stderr);
    let msgs: Vec<&str> = done
        .stderr
        .lines()
        .filter(|l| l.contains("not a Go program"))
        .collect();
    assert_eq!(msgs.len(), 1, "{}", done.stderr);
    assert!(msgs[0].contains("curl"), "{}", msgs[0]);
    assert!(
        done.stderr.contains("hello from /foo/bar"),
        "{}",
        done.stderr
    );
    let n = sh(&format!(
        "tshark -n -r {} -Y 'tcp.port == 8443' 2>/dev/null | wc -l",
        pcap.display()
    ));
    assert!(
        n.trim().parse::<u32>().unwrap_or(0) >= 6,
        "capture did not go on: {n} packets"
    );
    assert_eq!(std::fs::read_to_string(&keys).unwrap_or_default(), "");
}

/// A Go server started by a shell under `-- CMD`: the shell is not Go, the program it runs is
/// probed when it starts (best effort for programs that handshake at once; a server waits).
#[test]
fn keylog_of_go_program_started_by_the_command() {
    if !ready("keylog_of_go_program_started_by_the_command") {
        return;
    }
    let ns = Netns::new("ptK");
    let srv = go_binary("stripped");
    let client = go_binary("unstripped");
    let (keys, pcap) = (tmp("execkeys"), tmp("exec.pcapng"));
    // `; true` keeps the shell from replacing itself: the server is its child.
    let cap = Bg::spawn(&ns.exec(&format!(
        "{} -i lo --log-level info --write-keylog-file {} -w {} -- sh -c '{} server 127.0.0.1:8443; true'",
        ptcpdump_bin().display(),
        keys.display(),
        pcap.display(),
        srv.display()
    )));
    cap.wait_stderr("ready 127.0.0.1:8443", 20);
    cap.wait_stderr(&format!("{}: TLS key log probe", srv.display()), 20);
    let out = ns.sh(&format!(
        "{} client https://127.0.0.1:8443/foo/bar tls13",
        client.display()
    ));
    assert!(out.contains("hello from /foo/bar"), "{out}");
    thread::sleep(Duration::from_millis(500));
    // End the command (the shell and the server, by pid: everything in our namespace but
    // ptcpdump); ptcpdump then stops by itself, as it does when its command exits.
    for pid in sh(&format!("ip netns pids {}", ns.name)).split_whitespace() {
        if pid != cap.pid().to_string() {
            sh_quiet(&format!("kill {pid}"));
        }
    }
    let done = cap.wait(20);
    // ptcpdump exits with its command's status (killed): check it ended its capture normally.
    assert!(
        done.stderr.contains("packets captured"),
        "ptcpdump failed: {}",
        done.stderr
    );
    let log = std::fs::read_to_string(&keys).unwrap();
    assert!(
        labels(&log).iter().any(|l| l == "SERVER_TRAFFIC_SECRET_0"),
        "key log: {log}"
    );
    assert_eq!(
        requests(&tshark_http(&pcap, Some(&keys))),
        1,
        "with the key log file"
    );
}
