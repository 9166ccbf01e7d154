//! Other network namespaces (issue 8): `--netns NAME`, `--netns any`, `--netns newly`;
//! interfaces print as IFNAME@NETNS_INODE, attribution works there too.
use std::{os::unix::fs::MetadataExt as _, thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    true
}

fn inode(ns: &Netns) -> u64 {
    std::fs::metadata(format!("/run/netns/{}", ns.name))
        .unwrap()
        .ino()
}

#[test]
fn named_namespace_from_the_host() {
    if !root_or_skip("named_namespace_from_the_host") {
        return;
    }
    let p = Pair::new();
    let cap = Bg::spawn(&format!(
        "{} -i {} --netns {} -l -n icmp",
        ptcpdump_bin().display(),
        p.a_if,
        p.a.name
    ));
    cap.wait_stderr("listening on", 10);
    let ping = Bg::spawn(&p.a.exec(&format!("ping -c 2 -i 0.2 -W 2 {}", p.b_ip)));
    let ping_pid = ping.pid();
    assert!(ping.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let out = cap.stop();
    let name = format!("{}@{}", p.a_if, inode(&p.a));
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}\n{}", out.stdout, out.stderr);
    for l in &lines {
        assert_eq!(l.split(' ').nth(1), Some(name.as_str()), "{l}");
        assert_eq!(
            l.split(' ').nth(2),
            Some(format!("ping.{ping_pid}").as_str()),
            "{l}"
        );
    }
}

#[test]
fn any_and_newly_created_namespaces() {
    if !root_or_skip("any_and_newly_created_namespaces") {
        return;
    }
    let old = Pair::new();
    let any = Bg::spawn(&format!(
        "{} -i any --netns any -l -n icmp",
        ptcpdump_bin().display()
    ));
    let newly = Bg::spawn(&format!(
        "{} -i any --netns newly -l -n icmp",
        ptcpdump_bin().display()
    ));
    any.wait_stderr("listening on", 10);
    newly.wait_stderr("listening on", 10);
    let fresh = Pair::new();
    thread::sleep(Duration::from_millis(1200));
    old.a.sh(&format!("ping -c 1 -W 2 {}", old.b_ip));
    fresh.a.sh(&format!("ping -c 1 -W 2 {}", fresh.b_ip));
    thread::sleep(Duration::from_millis(400));
    let any = any.stop();
    let newly = newly.stop();
    let has = |out: &str, ip: &str| {
        out.lines()
            .any(|l| l.contains(&format!("IP {ip} > ")) && l.contains("ICMP echo request"))
    };
    assert!(
        has(&any.stdout, &old.a_ip),
        "--netns any misses an old namespace: {}",
        any.stdout
    );
    assert!(
        has(&any.stdout, &fresh.a_ip),
        "--netns any misses a new namespace: {}",
        any.stdout
    );
    assert!(
        has(&newly.stdout, &fresh.a_ip),
        "--netns newly misses a new namespace: {}",
        newly.stdout
    );
    assert!(
        !has(&newly.stdout, &old.a_ip),
        "--netns newly captured an old namespace: {}",
        newly.stdout
    );
    let fresh_name = format!("{}@{}", fresh.a_if, inode(&fresh.a));
    assert!(
        newly
            .stdout
            .lines()
            .any(|l| l.split(' ').nth(1) == Some(fresh_name.as_str())),
        "{}",
        newly.stdout
    );
}

#[test]
fn list_interfaces_across_namespaces() {
    if !root_or_skip("list_interfaces_across_namespaces") {
        return;
    }
    let p = Pair::new();
    let out = std::process::Command::new(ptcpdump_bin())
        .args(["-D", "--netns", &p.a.name, "--netns", &p.b.name])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains(&format!(".{}@{} [Up", p.a_if, inode(&p.a))),
        "{s}"
    );
    assert!(
        s.contains(&format!(".{}@{} [Up", p.b_if, inode(&p.b))),
        "{s}"
    );
}
