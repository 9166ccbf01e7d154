//! Filters in the kernel (issue 5): on a veth, on `lo` and on a tun device (no Ethernet header),
//! ptcpdump with an expression selects the same packets as tcpdump with it.
use std::{thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() || !have("tcpdump") {
        eprintln!("skipping {name}: needs root and tcpdump");
        return false;
    }
    true
}

/// Runs both tools in `ns` on `iface` with `expr` around `traffic`; returns (ours, tcpdump's)
/// texts after the direction / timestamp, sorted. `only_dir` keeps one direction of ours (lo:
/// tcpdump sees each packet once, as it arrives).
fn both(
    ns: &Netns,
    iface: &str,
    expr: &str,
    only_dir: Option<&str>,
    traffic: impl FnOnce(),
) -> (Vec<String>, Vec<String>) {
    let tcpdump = Bg::spawn(&ns.exec(&format!("tcpdump -i {iface} -n -l '{expr}'")));
    tcpdump.wait_stderr("listening on", 10);
    let ours = Bg::spawn(&ns.exec(&format!(
        "{} -i {iface} -n -l --context process '{expr}'",
        ptcpdump_bin().display()
    )));
    ours.wait_stderr("listening on", 10);
    thread::sleep(Duration::from_millis(200));
    traffic();
    thread::sleep(Duration::from_millis(500));
    let o = ours.stop();
    let t = tcpdump.stop();
    assert!(o.status.success(), "{}", o.stderr);
    let mut mine: Vec<String> = o
        .stdout
        .lines()
        .filter_map(ptcpdump_text)
        .filter(|(d, _)| only_dir.is_none_or(|w| w == *d))
        .map(|(_, t)| t.to_string())
        .collect();
    let mut theirs: Vec<String> = t
        .stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| after_timestamp(l).to_string())
        .collect();
    mine.sort();
    theirs.sort();
    (mine, theirs)
}

const UDP_SEND: &str = "python3 -c \"import socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); [s.sendto(b'x'*n,(sys.argv[1],p)) for p in (9999,7777) for n in (10,20)]\"";

#[test]
fn veth_filter_matches_tcpdump() {
    if !root_or_skip("veth_filter_matches_tcpdump") {
        return;
    }
    let p = Pair::new();
    let expr = format!(
        "(udp port 9999 and greater 40) or (icmp and host {})",
        p.b_ip
    );
    let (mine, theirs) = both(&p.a, &p.a_if, &expr, None, || {
        p.a.sh(&format!("ping -c 2 -i 0.2 -W 2 {}", p.b_ip));
        p.a.sh(&format!("{UDP_SEND} {}", p.b_ip));
    });
    assert!(
        theirs.iter().any(|l| l.contains("ICMP echo request")),
        "{theirs:#?}"
    );
    assert!(
        theirs.iter().any(|l| l.contains(".9999: UDP")),
        "{theirs:#?}"
    );
    assert!(!theirs.iter().any(|l| l.contains(".7777:")), "{theirs:#?}");
    assert_eq!(mine, theirs);
}

#[test]
fn loopback_filter_matches_tcpdump() {
    if !root_or_skip("loopback_filter_matches_tcpdump") {
        return;
    }
    let ns = Netns::new("ptL");
    let (mine, theirs) = both(
        &ns,
        "lo",
        "udp dst port 9999 or icmp[icmptype] = icmp-echo",
        Some("In"),
        || {
            ns.sh("ping -c 2 -i 0.2 -W 2 127.0.0.1");
            ns.sh(&format!("{UDP_SEND} 127.0.0.1"));
        },
    );
    assert!(
        theirs.iter().any(|l| l.contains("ICMP echo request")),
        "{theirs:#?}"
    );
    assert!(
        !theirs.iter().any(|l| l.contains("echo reply")),
        "{theirs:#?}"
    );
    assert_eq!(mine, theirs);
}

#[test]
fn tun_filter_matches_tcpdump() {
    if !root_or_skip("tun_filter_matches_tcpdump") {
        return;
    }
    let ns = Netns::new("ptT");
    let tun = unique("tn");
    ns.sh(&format!("ip tuntap add mode tun dev {tun}"));
    ns.sh(&format!("ip addr add 198.19.88.1/24 dev {tun}"));
    ns.sh(&format!("ip link set {tun} up"));
    // A reader keeps the carrier up; what it reads is thrown away.
    let reader = Bg::spawn(&ns.exec(&format!(
        "python3 -c \"
import fcntl, os, struct, time
fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b'{tun}', 0x0001 | 0x1000))
print('ready', flush=True)
end = time.time() + {secs}
while time.time() < end:
    os.read(fd, 65536)
\"",
        secs = 30 * slowness()
    )));
    thread::sleep(Duration::from_millis(500));
    let (mine, theirs) = both(&ns, &tun, "udp and dst port 9999", None, || {
        ns.sh(&format!("{UDP_SEND} 198.19.88.2"));
    });
    drop(reader);
    assert_eq!(theirs.len(), 2, "{theirs:#?}");
    assert_eq!(mine, theirs);
}
