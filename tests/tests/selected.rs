//! The process a filter selects is the one every line names (issue 14.2), also when the other
//! end of the packet is a local process too: a client and a server on the loopback of a fresh
//! namespace, each packet seen twice (Out and In), half of them sent by the server. Checked for
//! `--pid`, `--pname`, `--uid` and `-- CMD`, in the default line, in `-v` blocks and after a
//! pcapng round trip. ICMP errors name the process whose packet caused them (14.5): a port
//! unreachable on both sides of a veth pair. Needs root; no container runtime (also run in the
//! kernel-matrix guests).
use std::{thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    true
}

const PORT: u16 = 8181;

/// TCP echo (accept, echo, close) and UDP echo on 127.0.0.1, `rounds` times each.
const SERVER: &str = r#"
import socket, sys
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('127.0.0.1', int(sys.argv[1]))); t.listen(8)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', int(sys.argv[1])))
print('ready', flush=True)
for _ in range(int(sys.argv[2])):
    c, _ = t.accept(); c.sendall(c.recv(100).upper()); c.close()
    d, a = u.recvfrom(100); u.sendto(d.upper(), a)
"#;

/// Waits, then talks to the server `rounds` times over TCP and UDP.
const CLIENT: &str = r#"
import socket, sys, time
time.sleep(float(sys.argv[2]))
for _ in range(int(sys.argv[3])):
    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=5)
    s.sendall(b'hello'); s.recv(100); s.close()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)
    u.sendto(b'ping', ('127.0.0.1', int(sys.argv[1]))); u.recv(100); u.close()
"#;

/// Scripts, and python3 under two other names: `ptsrv` and `ptcli` are what the kernel calls
/// the two processes (comm), so `--pname` can tell them apart.
struct Setup {
    dir: String,
}

impl Setup {
    fn new() -> Setup {
        let dir = format!("/tmp/ptcpdump-it-{}", unique("sel"));
        std::fs::create_dir_all(&dir).unwrap();
        // Mode 0755 so that the unprivileged client can read and run them.
        sh(&format!("chmod 755 {dir}"));
        std::fs::write(format!("{dir}/server.py"), SERVER).unwrap();
        std::fs::write(format!("{dir}/client.py"), CLIENT).unwrap();
        let python = sh("python3 -c 'import os, sys; print(os.path.realpath(sys.executable))'");
        for name in ["ptsrv", "ptcli"] {
            std::os::unix::fs::symlink(python.trim(), format!("{dir}/{name}")).unwrap();
        }
        sh(&format!("chmod 644 {dir}/server.py {dir}/client.py"));
        Setup { dir }
    }

    fn server(&self, ns: &Netns, rounds: u32) -> Bg {
        let s = Bg::spawn(&ns.exec(&format!(
            "{d}/ptsrv {d}/server.py {PORT} {rounds}",
            d = self.dir
        )));
        thread::sleep(Duration::from_millis(400));
        s
    }

    fn client_cmd(&self, delay: f64, rounds: u32) -> String {
        format!(
            "{d}/ptcli {d}/client.py {PORT} {delay} {rounds}",
            d = self.dir
        )
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Default lines as (process part `COMM.PID`, or "" when there is none; whole line).
fn default_lines(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|l| {
            let mut w = l.split(' ');
            let (_ts, _if, third) = (w.next()?, w.next()?, w.next()?);
            Some(if third == "In" || third == "Out" {
                (String::new(), l.to_string())
            } else {
                (third.to_string(), l.to_string())
            })
        })
        .collect()
}

/// Every default line names the client (`ptcli.PID`, or the pid the exec event or /proc
/// gave); some of them are packets the server sent.
fn assert_all_name(out: &str, pid: u32, what: &str) {
    let l = default_lines(out);
    assert!(l.len() >= 20, "{what}: too few lines:\n{out}");
    for (proc_, line) in &l {
        assert!(
            proc_.ends_with(&format!(".{pid}")),
            "{what}: a line that does not name the selected process {pid}: {line}\n{out}"
        );
    }
    let from_server = format!(" 127.0.0.1.{PORT} > ");
    assert!(
        l.iter().any(|(_, line)| line.contains(&from_server)),
        "{what}: no packet sent by the server:\n{out}"
    );
}

/// Every `-v` block has the client's Process line.
fn assert_all_blocks_name(out: &str, pid: u32, what: &str) {
    let lines: Vec<&str> = out.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].starts_with(' '))
        .collect();
    assert!(starts.len() >= 20, "{what}: too few packets:\n{out}");
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let block = &lines[s..end];
        assert!(
            block
                .iter()
                .any(|l| l.starts_with(&format!("    Process (pid {pid}, "))),
            "{what}: a block without the selected process {pid}:\n{}",
            block.join("\n")
        );
    }
}

fn read_back(file: &str, verbose: bool) -> String {
    let mut args = vec!["-n", "-r", file];
    if verbose {
        args.insert(0, "-v");
    }
    let out = std::process::Command::new(ptcpdump_bin())
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One filter: the capture (`--print -w FILE`, default lines) and, if `verbose`, a second
/// live capture with `-v`; then the file read back, default and `-v`.
fn check_filter(filter: &str, client_as: &str, verbose_live: bool) {
    let ns = Netns::new("ptS");
    let s = Setup::new();
    let rounds = if verbose_live { 6 } else { 3 };
    let server = s.server(&ns, rounds);
    let file = format!("{}/out.pcapng", s.dir);
    let bin = ptcpdump_bin();
    let cap = Bg::spawn(&ns.exec(&format!(
        "{} -i lo -l -n --print -w {file} {filter}",
        bin.display()
    )));
    cap.wait_stderr("listening on", 10);
    let capv = verbose_live.then(|| {
        let c = Bg::spawn(&ns.exec(&format!("{} -i lo -l -n -v {filter}", bin.display())));
        c.wait_stderr("listening on", 10);
        c
    });
    let client = Bg::spawn(&ns.exec(&format!("{client_as}{}", s.client_cmd(0.3, rounds))));
    let cpid = client.pid();
    let c = client.wait(20);
    assert!(c.status.success(), "client: {}", c.stderr);
    assert!(server.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let out = cap.stop();
    assert_all_name(&out.stdout, cpid, filter);
    if let Some(c) = capv {
        let v = c.stop();
        assert_all_blocks_name(&v.stdout, cpid, &format!("{filter} -v"));
    }
    // The file says the same: every packet, default and -v.
    assert_eq!(read_back(&file, false), out.stdout, "{filter}: -r");
    assert_all_blocks_name(&read_back(&file, true), cpid, &format!("{filter} -r -v"));
}

#[test]
fn pid_filter_names_the_selected_end_on_loopback() {
    if !root_or_skip("pid_filter_names_the_selected_end_on_loopback") {
        return;
    }
    // The client waits for the capture; its pid is known before it starts talking. (`sh -c
    // exec` makes the Bg's pid the client's.)
    let ns = Netns::new("ptS");
    let s = Setup::new();
    let server = s.server(&ns, 3);
    let client = Bg::spawn(&ns.exec(&s.client_cmd(2.5, 3)));
    let cpid = client.pid();
    let file = format!("{}/out.pcapng", s.dir);
    let bin = ptcpdump_bin();
    let cap = Bg::spawn(&ns.exec(&format!(
        "{} -i lo -l -n --print -w {file} --pid {cpid}",
        bin.display()
    )));
    let capv = Bg::spawn(&ns.exec(&format!("{} -i lo -l -n -v --pid {cpid}", bin.display())));
    cap.wait_stderr("listening on", 10);
    capv.wait_stderr("listening on", 10);
    let c = client.wait(20);
    assert!(c.status.success(), "client: {}", c.stderr);
    assert!(server.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let out = cap.stop();
    assert_all_name(&out.stdout, cpid, "--pid");
    assert_all_blocks_name(&capv.stop().stdout, cpid, "--pid -v");
    assert_eq!(read_back(&file, false), out.stdout, "--pid: -r");
    assert_all_blocks_name(&read_back(&file, true), cpid, "--pid -r -v");
}

#[test]
fn pname_filter_names_the_selected_end_on_loopback() {
    if !root_or_skip("pname_filter_names_the_selected_end_on_loopback") {
        return;
    }
    check_filter("--pname ptcli", "", true);
}

#[test]
fn uid_filter_names_the_selected_end_on_loopback() {
    if !root_or_skip("uid_filter_names_the_selected_end_on_loopback") {
        return;
    }
    // The server runs as root, the client as nobody (65534).
    check_filter(
        "--uid 65534",
        "setpriv --reuid=65534 --regid=65534 --clear-groups ",
        false,
    );
}

#[test]
fn command_mode_names_the_command_on_loopback() {
    if !root_or_skip("command_mode_names_the_command_on_loopback") {
        return;
    }
    let ns = Netns::new("ptS");
    let s = Setup::new();
    let server = s.server(&ns, 3);
    let file = format!("{}/out.pcapng", s.dir);
    let cap = Bg::spawn(&ns.exec(&format!(
        "{} -i lo -l -n --print -w {file} -- {}",
        ptcpdump_bin().display(),
        s.client_cmd(0.0, 3)
    )));
    let out = cap.wait(30);
    assert!(out.status.success(), "{}", out.stderr);
    assert!(server.wait(10).status.success());
    // The command's pid: the one the first line names.
    let first = default_lines(&out.stdout)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no packets: {}", out.stderr));
    let pid: u32 = first
        .0
        .rsplit('.')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no process on the first line: {}", first.1));
    assert!(first.0.starts_with("ptcli."), "{}", first.1);
    assert_all_name(&out.stdout, pid, "-- CMD");
    assert_eq!(read_back(&file, false), out.stdout, "-- CMD: -r");
    assert_all_blocks_name(&read_back(&file, true), pid, "-- CMD -r -v");
}

/// A client in namespace a sends a datagram to a closed port in b, connected (it waits for
/// the refusal), then another one unconnected to another closed port and exits at once. The
/// port unreachable errors name the client on both sides: where they arrive (a), and where
/// the kernel sends them (b, whose peer namespace holds the client).
#[test]
fn port_unreachable_names_the_sender_on_both_sides() {
    if !root_or_skip("port_unreachable_names_the_sender_on_both_sides") {
        return;
    }
    let p = Pair::new();
    let bin = ptcpdump_bin();
    let cap_a = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} -l -n 'icmp or udp'",
        bin.display(),
        p.a_if
    )));
    let cap_b = Bg::spawn(&p.b.exec(&format!(
        "{} -i {} -l -n 'icmp or udp'",
        bin.display(),
        p.b_if
    )));
    cap_a.wait_stderr("listening on", 10);
    cap_b.wait_stderr("listening on", 10);
    let client = Bg::spawn(&p.a.exec(&format!(
        "python3 -c \"
import socket, time
time.sleep(0.3)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)
s.connect(('{ip}', 9)); s.send(b'x')
try:
    s.recv(10)
except ConnectionRefusedError:
    print('refused', flush=True)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'y', ('{ip}', 10))
\"",
        ip = p.b_ip
    )));
    let cpid = client.pid();
    let c = client.wait(10);
    assert!(c.status.success(), "{}", c.stderr);
    assert_eq!(c.stdout.trim(), "refused");
    thread::sleep(Duration::from_millis(500));
    let (a, b) = (cap_a.stop(), cap_b.stop());
    for (side, out, dir) in [("a", &a.stdout, "In"), ("b", &b.stdout, "Out")] {
        for port in [9, 10] {
            let want = format!(": ICMP {} udp port {port} unreachable", p.b_ip);
            let line = default_lines(out)
                .into_iter()
                .find(|(_, l)| l.contains(&want))
                .unwrap_or_else(|| panic!("side {side}: no {want}:\n{out}"));
            assert!(
                line.0.ends_with(&format!(".{cpid}")) && line.1.contains(&format!(" {dir} IP ")),
                "side {side}: the error does not name the sender {cpid}: {}",
                line.1
            );
        }
    }
}
