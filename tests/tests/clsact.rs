//! The clsact + cls_bpf attach backend (issue 12), forced with `PTCPDUMP_ATTACH=clsact` so that
//! kernels with TCX test it too; on kernels before 6.6 it is what ptcpdump picks by itself.
//! Several instances share an interface, a `kill -9`'d instance's filters are removed by the next
//! start, other users' filters and qdiscs are left alone. Needs root, tc; skipped otherwise.
use std::{thread, time::Duration};

use integration_tests::*;

fn ready(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    if !have("tc") {
        eprintln!("skipping {name}: tc is not installed");
        return false;
    }
    true
}

fn capture(ns: &Netns, args: &str) -> Bg {
    let b = Bg::spawn(&ns.exec(&format!(
        "env PTCPDUMP_ATTACH=clsact {} {args}",
        ptcpdump_bin().display()
    )));
    b.wait_stderr("listening on", 20);
    b
}

/// `tc filter show` of both hooks of `dev` in `ns`.
fn filters(ns: &Netns, dev: &str) -> String {
    ns.sh(&format!("tc filter show dev {dev} ingress"))
        + &ns.sh(&format!("tc filter show dev {dev} egress"))
}

fn qdiscs(ns: &Netns, dev: &str) -> String {
    ns.sh(&format!("tc qdisc show dev {dev}"))
}

#[test]
fn kill_9_leaves_a_filter_that_the_next_start_removes() {
    if !ready("kill_9_leaves_a_filter_that_the_next_start_removes") {
        return;
    }
    let p = Pair::new();
    let args = format!("-i {} -l icmp", p.a_if);
    let first = capture(&p.a, &args);
    let second = capture(&p.a, &args);
    let (first_pid, second_pid) = (first.pid(), second.pid());
    let f = filters(&p.a, &p.a_if);
    assert_eq!(
        f.matches(&format!("ptcpdump:{first_pid} ")).count(),
        2,
        "{f}"
    );
    assert_eq!(
        f.matches(&format!("ptcpdump:{second_pid} ")).count(),
        2,
        "{f}"
    );
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    first.signal("KILL");
    let first = first.wait(5);
    assert!(
        first.stdout.contains("ICMP echo request"),
        "{}",
        first.stdout
    );
    // The killed instance's filters stay until somebody removes them...
    let f = filters(&p.a, &p.a_if);
    assert!(f.contains(&format!("ptcpdump:{first_pid} ")), "{f}");
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    // ...which the next start on the interface does.
    let third = capture(&p.a, &format!("--log-level info {args}"));
    let f = filters(&p.a, &p.a_if);
    assert!(!f.contains(&format!("ptcpdump:{first_pid} ")), "{f}");
    assert!(f.contains(&format!("ptcpdump:{second_pid} ")), "{f}");
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    let second = second.stop();
    let third = third.stop();
    assert_eq!(
        second.stdout.matches("ICMP echo request").count(),
        3,
        "the surviving instance sees every ping: {}",
        second.stdout
    );
    assert_eq!(third.stdout.matches("ICMP echo request").count(), 1);
    assert!(
        third.stderr.contains(&format!(
            "removed the tc filter ptcpdump:{first_pid} (ingress) left by a ptcpdump that was killed"
        )),
        "{}",
        third.stderr
    );
    let f = filters(&p.a, &p.a_if);
    assert!(!f.contains("ptcpdump"), "filters left: {f}");
    if have("bpftool") {
        let net = p.a.sh(&format!("bpftool net show dev {}", p.a_if));
        assert!(!net.contains("ptcpdump"), "programs left attached: {net}");
    }
}

#[test]
fn qdisc_of_ours_goes_and_other_users_filters_stay() {
    if !ready("qdisc_of_ours_goes_and_other_users_filters_stay") {
        return;
    }
    let p = Pair::new();
    // Nobody's qdisc: ptcpdump creates it and removes it at the end.
    let ours = capture(&p.a, &format!("-i {} -c 2 icmp", p.a_if));
    assert!(qdiscs(&p.a, &p.a_if).contains("clsact"));
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    let out = ours.wait(10);
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    let q = qdiscs(&p.a, &p.a_if);
    assert!(!q.contains("clsact"), "our qdisc is left: {q}");

    // Another user's qdisc and filters (one at priority 1, shared with ours, one at 5): ours come
    // and go, theirs stay.
    p.a.sh(&format!("tc qdisc add dev {} clsact", p.a_if));
    p.a.sh(&format!(
        "tc filter add dev {} ingress prio 1 protocol all bpf bytecode '1,6 0 0 0,'",
        p.a_if
    ));
    p.a.sh(&format!(
        "tc filter add dev {} egress prio 5 protocol ip bpf bytecode '1,6 0 0 0,'",
        p.a_if
    ));
    let before = filters(&p.a, &p.a_if);
    let ours = capture(&p.a, &format!("-i {} -c 4 icmp", p.a_if));
    p.a.sh(&format!("ping -c 2 -i 0.2 -W 2 {}", p.b_ip));
    let out = ours.wait(10);
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stdout.matches("ICMP echo").count(), 4, "{}", out.stdout);
    assert!(qdiscs(&p.a, &p.a_if).contains("clsact"));
    assert_eq!(
        filters(&p.a, &p.a_if),
        before,
        "other users' filters changed"
    );
}
