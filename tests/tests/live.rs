//! Live capture (issue 2): ptcpdump and tcpdump on the same veth at the same time see the same
//! packets, and print the same text after the direction. Needs root; skipped otherwise.
use std::{thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    true
}

/// TCP, UDP, ICMP, ARP and IPv6 traffic from namespace a to namespace b.
fn traffic(p: &Pair) {
    // Forget the neighbour so that ARP and ND are on the wire too.
    p.a.sh(&format!("ip neigh flush dev {}", p.a_if));
    p.a.sh(&format!("ping -c 2 -i 0.2 -W 2 {}", p.b_ip));
    p.a.sh(&format!("ping -6 -c 2 -i 0.2 -W 2 {}", p.b_ip6));
    let server = Bg::spawn(&p.b.exec(&format!(
        "python3 -c \"
import socket
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('{ip}', 8080)); t.listen(1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('{ip}', 9999))
print('ready', flush=True)
c, _ = t.accept(); c.sendall(c.recv(100).upper()); c.close()
d, a = u.recvfrom(100); u.sendto(d.upper(), a)
\"",
        ip = p.b_ip
    )));
    thread::sleep(Duration::from_millis(400));
    p.a.sh(&format!(
        "python3 -c \"
import socket
s = socket.create_connection(('{ip}', 8080), timeout=5); s.sendall(b'hello'); s.recv(100); s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5); u.sendto(b'ping', ('{ip}', 9999)); u.recv(100)
\"",
        ip = p.b_ip
    ));
    let done = server.wait(10);
    assert!(done.status.success(), "server failed: {}", done.stderr);
}

/// Background IPv6 housekeeping (MLD reports, router solicitations) can fall on either side of
/// the two tools' start and stop; it is left out of the comparison on both sides alike.
fn comparable(text: &str) -> bool {
    !text.contains("multicast listener report") && !text.contains("router solicitation")
}

#[test]
fn same_packets_and_text_as_tcpdump() {
    if !root_or_skip("same_packets_and_text_as_tcpdump") || !have("tcpdump") {
        return;
    }
    let p = Pair::new();
    let tcpdump = Bg::spawn(&p.a.exec(&format!("tcpdump -i {} -n -l", p.a_if)));
    tcpdump.wait_stderr("listening on", 10);
    // Process names stay (prefix), the suffixes after tcpdump's text are switched off.
    let ours = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} -l --context process",
        ptcpdump_bin().display(),
        p.a_if
    )));
    ours.wait_stderr("listening on", 10);
    thread::sleep(Duration::from_millis(200));
    traffic(&p);
    thread::sleep(Duration::from_millis(500));
    let ours = ours.stop();
    let theirs = tcpdump.stop();
    assert!(ours.status.success(), "ptcpdump failed: {}", ours.stderr);

    let mut mine: Vec<String> = Vec::new();
    for line in ours.stdout.lines() {
        let (_, text) = ptcpdump_text(line).unwrap_or_else(|| panic!("no direction in {line:?}"));
        assert!(
            line.split(' ').nth(1) == Some(p.a_if.as_str()),
            "interface name missing: {line}"
        );
        if comparable(text) {
            mine.push(text.to_string());
        }
    }
    let mut want: Vec<String> = theirs
        .stdout
        .lines()
        // tcpdump ends an interrupted capture with an empty line; it is not a packet.
        .filter(|l| !l.is_empty())
        .map(|l| after_timestamp(l).to_string())
        .filter(|t| comparable(t))
        .collect();
    mine.sort();
    want.sort();
    for needle in [
        "ARP, Request",
        "ICMP echo request",
        "ICMP6, echo request",
        "Flags [S]",
        "UDP, length 4",
    ] {
        assert!(
            want.iter().any(|l| l.contains(needle)),
            "tcpdump saw no {needle:?}: {want:#?}"
        );
    }
    assert_eq!(mine, want, "ptcpdump and tcpdump differ");
    // tcpdump's three statistics lines, with a real drop count.
    assert!(ours.stderr.contains(&format!(
        "{} packets captured",
        mine.len() + count_skipped(&ours.stdout)
    )));
    assert!(ours.stderr.contains("packets received by filter"));
    assert!(ours.stderr.contains("0 packets dropped by kernel"));
}

fn count_skipped(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(ptcpdump_text)
        .filter(|(_, t)| !comparable(t))
        .count()
}

#[test]
fn two_instances_and_kill_9_leave_nothing_behind() {
    if !root_or_skip("two_instances_and_kill_9_leave_nothing_behind") {
        return;
    }
    let p = Pair::new();
    let cmd = format!("{} -i {} -l icmp", ptcpdump_bin().display(), p.a_if);
    let first = Bg::spawn(&p.a.exec(&cmd));
    let second = Bg::spawn(&p.a.exec(&cmd));
    first.wait_stderr("listening on", 10);
    second.wait_stderr("listening on", 10);
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    first.signal("KILL");
    let first = first.wait(5);
    assert!(
        first.stdout.contains("ICMP echo request"),
        "first instance: {}",
        first.stdout
    );
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    let second = second.stop();
    assert_eq!(
        second.stdout.matches("ICMP echo request").count(),
        2,
        "the surviving instance must see both pings: {}",
        second.stdout
    );
    // A TCX link goes with its process; a tc filter (clsact, before 6.6) stays after `kill -9`
    // and is removed by the next ptcpdump on the interface: after one more start, nothing of
    // either is attached, whichever backend the kernel has.
    let next = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} -c 2 icmp",
        ptcpdump_bin().display(),
        p.a_if
    )));
    next.wait_stderr("listening on", 10);
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    assert!(next.wait(10).status.success());
    if have("bpftool") {
        let net = p.a.sh(&format!("bpftool net show dev {}", p.a_if));
        assert!(!net.contains("ptcpdump"), "programs left attached: {net}");
    }
    if have("tc") {
        let f = p.a.sh(&format!("tc filter show dev {} ingress", p.a_if))
            + &p.a.sh(&format!("tc filter show dev {} egress", p.a_if));
        assert!(!f.contains("ptcpdump"), "tc filters left: {f}");
    }
}

#[test]
fn unknown_interface_is_one_line_and_exit_1() {
    if !root_or_skip("unknown_interface_is_one_line_and_exit_1") {
        return;
    }
    let out = std::process::Command::new(ptcpdump_bin())
        .args(["-i", "eth9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ptcpdump: eth9: No such device exists\n"
    );
}

#[test]
fn bad_filter_is_tcpdumps_error_and_exit_1() {
    if !root_or_skip("bad_filter_is_tcpdumps_error_and_exit_1") {
        return;
    }
    let out = std::process::Command::new(ptcpdump_bin())
        .args(["-i", "lo", "tcp", "and", "and"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    if have("tcpdump") {
        // The oracle's words for the same mistake, after the program name.
        let theirs = std::process::Command::new("tcpdump")
            .args(["-d", "-i", "lo", "tcp", "and", "and"])
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&theirs.stderr);
        let theirs = theirs
            .lines()
            .last()
            .unwrap_or("")
            .strip_prefix("tcpdump: ")
            .unwrap();
        assert_eq!(err.trim_end().strip_prefix("ptcpdump: "), Some(theirs));
    } else {
        assert!(err.contains("syntax error"), "{err}");
    }
}

#[test]
fn interface_added_during_capture_is_picked_up() {
    if !root_or_skip("interface_added_during_capture_is_picked_up") {
        return;
    }
    let a = Netns::new("ptN");
    let c = Netns::new("ptC");
    let ours = Bg::spawn(&a.exec(&format!("{} -i any -l icmp", ptcpdump_bin().display())));
    ours.wait_stderr("listening on", 10);
    let (x, y) = (unique("vx"), unique("vy"));
    sh(&format!(
        "ip link add {x} netns {} type veth peer name {y} netns {}",
        a.name, c.name
    ));
    a.sh(&format!("ip addr add 198.19.77.1/24 dev {x}"));
    c.sh(&format!("ip addr add 198.19.77.2/24 dev {y}"));
    a.sh(&format!("ip link set {x} up"));
    c.sh(&format!("ip link set {y} up"));
    // Picked up within a second.
    thread::sleep(Duration::from_millis(1000));
    a.sh("ping -c 1 -W 2 198.19.77.2");
    thread::sleep(Duration::from_millis(300));
    let out = ours.stop();
    let on_x = |dir: &str, text: &str| {
        out.stdout.lines().any(|l| {
            l.split(' ').nth(1) == Some(x.as_str())
                && ptcpdump_text(l).is_some_and(|(d, t)| d == dir && t.starts_with(text))
        })
    };
    assert!(
        on_x("Out", "IP 198.19.77.1 > 198.19.77.2: ICMP echo request"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    assert!(
        on_x("In", "IP 198.19.77.2 > 198.19.77.1: ICMP echo reply"),
        "{}",
        out.stdout
    );
}
