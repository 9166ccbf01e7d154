//! Attribution (issue 4): every packet of a local socket names its process and parent, on both
//! sides of a veth pair, for TCP (including the first SYN to a listener), UDP and ping; process
//! filters select exactly their packets; `-- CMD` catches a short program's first SYN.
use std::{thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    true
}

const SERVER: &str = r#"
import socket, sys
ip = sys.argv[1]
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind((ip, 8080)); t.listen(8)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((ip, 9999))
print('ready', flush=True)
for _ in range(int(sys.argv[2])):
    c, _ = t.accept(); c.sendall(c.recv(100).upper()); c.close()
    d, a = u.recvfrom(100); u.sendto(d.upper(), a)
"#;

const CLIENT: &str = r#"
import socket, sys, time
ip = sys.argv[1]
time.sleep(float(sys.argv[2]))
s = socket.create_connection((ip, 8080), timeout=5); s.sendall(b'hello'); s.recv(100); s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5); u.sendto(b'ping', (ip, 9999)); u.recv(100)
"#;

struct Scripts {
    dir: String,
}

impl Scripts {
    fn new() -> Scripts {
        let dir = format!("/tmp/ptcpdump-it-{}", unique("s"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/server.py"), SERVER).unwrap();
        std::fs::write(format!("{dir}/client.py"), CLIENT).unwrap();
        Scripts { dir }
    }
}

impl Drop for Scripts {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Lines of a ptcpdump run as (direction, process part "comm.pid" or "", whole line).
fn lines(out: &str) -> Vec<(String, String, String)> {
    out.lines()
        .filter_map(|l| {
            let mut words = l.split(' ');
            let _ts = words.next()?;
            let _ifname = words.next()?;
            let third = words.next()?;
            if third == "In" || third == "Out" {
                Some((third.to_string(), String::new(), l.to_string()))
            } else {
                let dir = words.next()?;
                Some((dir.to_string(), third.to_string(), l.to_string()))
            }
        })
        .collect()
}

#[test]
fn both_sides_carry_the_right_process() {
    if !root_or_skip("both_sides_carry_the_right_process") {
        return;
    }
    let p = Pair::new();
    let s = Scripts::new();
    let bin = ptcpdump_bin();
    let cap_a = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} -l -n 'tcp or udp or icmp'",
        bin.display(),
        p.a_if
    )));
    let cap_b = Bg::spawn(&p.b.exec(&format!(
        "{} -i {} -l -n -v --oneline 'tcp or udp or icmp'",
        bin.display(),
        p.b_if
    )));
    cap_a.wait_stderr("listening on", 10);
    cap_b.wait_stderr("listening on", 10);
    let server = Bg::spawn(&p.b.exec(&format!("python3 {}/server.py {} 1", s.dir, p.b_ip)));
    let client = Bg::spawn(&p.a.exec(&format!("python3 {}/client.py {} 0.5", s.dir, p.b_ip)));
    let ping = Bg::spawn(&p.a.exec(&format!("ping -c 2 -i 0.2 -W 2 {}", p.b_ip)));
    let (spid, cpid, ppid) = (server.pid(), client.pid(), ping.pid());
    assert!(ping.wait(10).status.success());
    assert!(client.wait(10).status.success());
    assert!(server.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let a = cap_a.stop();
    let b = cap_b.stop();
    let me = std::process::id();
    let exe = std::env::current_exe().unwrap();
    let my_name = exe.file_name().unwrap().to_string_lossy().into_owned();

    // Side a: every TCP/UDP packet is the client's, every ICMP packet ping's, with the parent.
    let la = lines(&a.stdout);
    assert!(la.len() >= 16, "too few lines: {}", a.stdout);
    for (_, proc_, line) in &la {
        let want = if line.contains(": ICMP echo") {
            format!("ping.{ppid}")
        } else {
            format!("python3.{cpid}")
        };
        assert_eq!(proc_, &want, "wrong process: {line}");
        // Started through `sh -c exec ip netns exec ...`, which all exec: the parent is this test.
        assert!(
            line.ends_with(&format!(", ParentProc [{my_name}.{me}]")),
            "wrong parent: {line}"
        );
    }
    assert!(
        la.iter()
            .any(|(d, _, l)| d == "Out" && l.contains("Flags [S],")),
        "client SYN missing"
    );
    assert!(
        la.iter()
            .any(|(d, _, l)| d == "In" && l.contains("UDP, length 4")),
        "UDP reply missing"
    );
    assert!(
        la.iter()
            .any(|(d, _, l)| d == "In" && l.contains("ICMP echo reply")),
        "echo reply missing"
    );

    // Side b (-v --oneline): the server's packets, starting with the first SYN to the listener.
    let server_part = format!("Process (pid {spid}, cmd ");
    let mut tcp_udp = 0;
    for line in b
        .stdout
        .lines()
        .filter(|l| l.contains(" > ") && (l.contains("Flags [") || l.contains("UDP,")))
    {
        tcp_udp += 1;
        assert!(line.contains(&server_part), "not the server's: {line}");
        assert!(
            line.contains(&format!("python3 {}/server.py {} 1), ", s.dir, p.b_ip)),
            "{line}"
        );
    }
    assert!(tcp_udp >= 10, "{}", b.stdout);
    // With -v the packet's first line has the interface and direction, the next one the TCP part.
    let bl: Vec<&str> = b.stdout.lines().collect();
    let i = bl
        .iter()
        .position(|l| l.contains("Flags [S],"))
        .expect("SYN on b");
    assert!(
        i > 0 && bl[i - 1].contains(" In IP "),
        "{}",
        bl[i.saturating_sub(1)]
    );
    assert!(bl[i].contains(&server_part), "{}", bl[i]);
}

#[test]
fn pid_filter_selects_exactly_one_process() {
    if !root_or_skip("pid_filter_selects_exactly_one_process") {
        return;
    }
    let p = Pair::new();
    let s = Scripts::new();
    let server = Bg::spawn(&p.b.exec(&format!("python3 {}/server.py {} 2", s.dir, p.b_ip)));
    thread::sleep(Duration::from_millis(300));
    // Two clients; only the first is selected. It waits for the capture to be up.
    let chosen = Bg::spawn(&p.a.exec(&format!("python3 {}/client.py {} 2", s.dir, p.b_ip)));
    let cap = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} -l -n --pid {}",
        ptcpdump_bin().display(),
        p.a_if,
        chosen.pid()
    )));
    cap.wait_stderr("listening on", 10);
    let cpid = chosen.pid();
    assert!(chosen.wait(15).status.success());
    let other = Bg::spawn(&p.a.exec(&format!("python3 {}/client.py {} 0", s.dir, p.b_ip)));
    let opid = other.pid();
    assert!(other.wait(15).status.success());
    assert!(server.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let out = cap.stop();
    let l = lines(&out.stdout);
    // The client may have exec'd before the capture started: then its name comes from /proc's
    // resolved executable (python3.11), else from the exec event (python3). The pid decides.
    let chosen = |pr: &str| pr.starts_with("python3") && pr.ends_with(&format!(".{cpid}"));
    assert!(
        l.iter().filter(|(_, pr, _)| chosen(pr)).count() >= 10,
        "{}",
        out.stdout
    );
    for (_, pr, line) in &l {
        assert!(
            chosen(pr) || line.contains("ARP,"),
            "packet of another process under --pid: {line}"
        );
        assert!(!pr.ends_with(&format!(".{opid}")));
    }
}

#[test]
fn command_mode_catches_the_first_syn_of_a_short_program() {
    if !root_or_skip("command_mode_catches_the_first_syn_of_a_short_program") {
        return;
    }
    let p = Pair::new();
    let s = Scripts::new();
    let server = Bg::spawn(&p.b.exec(&format!("python3 {}/server.py {} 1", s.dir, p.b_ip)));
    thread::sleep(Duration::from_millis(300));
    let cap = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} -l -n -- python3 {}/client.py {} 0",
        ptcpdump_bin().display(),
        p.a_if,
        s.dir,
        p.b_ip
    )));
    let out = cap.wait(20);
    assert!(out.status.success(), "{}", out.stderr);
    assert!(server.wait(10).status.success());
    let l = lines(&out.stdout);
    let first = l.first().expect("no packets");
    assert!(
        first.2.contains("Flags [S],"),
        "first packet is not the SYN: {}",
        out.stdout
    );
    assert!(first.1.starts_with("python3."), "{}", first.2);
    assert!(
        l.iter()
            .all(|(_, pr, line)| pr == &first.1 || line.contains("ARP,")),
        "{}",
        out.stdout
    );
}

#[test]
fn command_mode_returns_the_commands_exit_status() {
    if !root_or_skip("command_mode_returns_the_commands_exit_status") {
        return;
    }
    let out = std::process::Command::new(ptcpdump_bin())
        .args(["-i", "lo", "--", "sh", "-c", "exit 7"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn connection_opened_before_the_capture_is_attributed() {
    if !root_or_skip("connection_opened_before_the_capture_is_attributed") {
        return;
    }
    let p = Pair::new();
    // A connection that is set up, then idle, before ptcpdump starts; it sends once ptcpdump
    // has started and attributed the existing sockets (3 s, longer on a slow machine).
    let server = Bg::spawn(&p.b.exec(&format!(
        "python3 -c \"
import socket, time
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(('{ip}', 7070)); t.listen(1)
c, _ = t.accept(); time.sleep({idle}); c.sendall(b'late'); time.sleep(1)
\"",
        ip = p.b_ip,
        idle = 3 * slowness()
    )));
    thread::sleep(Duration::from_millis(300));
    let client = Bg::spawn(&p.a.exec(&format!(
        "python3 -c \"
import socket, time
s = socket.create_connection(('{ip}', 7070)); s.recv(10); time.sleep(0.5)
\"",
        ip = p.b_ip
    )));
    thread::sleep(Duration::from_millis(800));
    let cap = Bg::spawn(&p.b.exec(&format!(
        "{} -i {} -l -n tcp port 7070",
        ptcpdump_bin().display(),
        p.b_if
    )));
    cap.wait_stderr("listening on", 10);
    let (spid, cpid) = (server.pid(), client.pid());
    assert!(client.wait(10).status.success());
    assert!(server.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let out = cap.stop();
    let push = lines(&out.stdout)
        .into_iter()
        .find(|(d, _, l)| d == "Out" && l.contains("Flags [P.]"))
        .unwrap_or_else(|| panic!("no data packet: {}", out.stdout));
    // Known from /proc (the exec happened before the capture): the name is the executable's.
    assert!(
        push.1.starts_with("python3") && push.1.ends_with(&format!(".{spid}")),
        "{}",
        push.2
    );
    let _ = cpid;
}
