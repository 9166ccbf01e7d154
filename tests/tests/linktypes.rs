//! Files that stay valid whatever the interfaces (issue 16): one capture over a tun device (raw
//! IP), a veth and lo (Ethernet) in a test namespace, written as pcap, pcapng and `-w -`.
//! pcapng keeps each interface's link type (tshark and `ptcpdump -r` decode each packet with
//! it); a classic pcap holds one link type, so it is written in LINUX_SLL2 as tcpdump writes
//! `-i any`, and tcpdump, tshark and `ptcpdump -r` read every packet of it. (tcpdump 4.99 with
//! libpcap 1.10 does not read a pcapng whose interfaces differ in link type at all: that is
//! libpcap's limit, so tcpdump is the oracle for the pcap files here.) Needs root.
use std::{collections::BTreeMap, process::Command, thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() || !have("tcpdump") || !have("tshark") || !have("python3") {
        eprintln!("skipping {name}: needs root, tcpdump, tshark and python3");
        return false;
    }
    true
}

/// A directory for one test's files, removed on drop.
struct Dir(String);

impl Dir {
    fn new() -> Dir {
        let d = format!("/tmp/ptcpdump-lt-{}", unique("d"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.0)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Answers ICMP echo requests that the kernel routes into tun device argv[1] (which it creates;
/// the device goes away with the process), so that the tun has traffic both ways.
const TUN_ECHO: &str = r#"
import fcntl, os, struct, sys
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", sys.argv[1].encode(), 0x0001 | 0x1000))
sys.stderr.write("ready\n"); sys.stderr.flush()
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
while True:
    p = bytearray(os.read(fd, 65536))
    if len(p) < 28 or p[0] >> 4 != 4 or p[9] != 1: continue
    h = (p[0] & 15) * 4
    if p[h] != 8: continue
    p[12:16], p[16:20] = p[16:20], p[12:16]
    p[h] = 0; p[h+2:h+4] = b"\0\0"; p[h+2:h+4] = struct.pack("!H", csum(bytes(p[h:])))
    p[10:12] = b"\0\0"; p[10:12] = struct.pack("!H", csum(bytes(p[:h])))
    os.write(fd, bytes(p))
"#;

/// The N of "N packets captured" ("1 packet captured").
fn captured(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| {
            l.strip_suffix(" packets captured")
                .or_else(|| l.strip_suffix(" packet captured"))
        })
        .unwrap_or_else(|| panic!("no 'packets captured' line in {stderr:?}"))
        .parse()
        .unwrap()
}

/// stdout of a reader run in namespace `ns` (so that SLL2 interface indexes resolve to the
/// names they had), asserting it succeeded and said nothing on stderr but `allowed` lines.
fn read(ns: &Netns, cmd: &str, allowed: &[&str]) -> String {
    let out = Command::new("sh")
        .args(["-c", &ns.exec(cmd)])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let bad: Vec<&str> = err
        .lines()
        .filter(|l| !allowed.iter().any(|a| l.starts_with(a)))
        .collect();
    assert!(out.status.success() && bad.is_empty(), "{cmd}: {err}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const READ_NOTES: &[&str] = &[
    "reading from file",
    "Running as user",
    // tcpdump (and ptcpdump, as tcpdump) on an SLL2 file.
    "Warning: interface names might be incorrect",
];

/// (interface, direction, tcpdump's text) of each line `TS IFNAME [COMM.PID] In|Out TEXT`,
/// counted: tcpdump pads SLL2's name and direction, ptcpdump does not.
fn parts(out: &str) -> BTreeMap<(String, String, String), usize> {
    let mut m = BTreeMap::new();
    for line in out.lines() {
        let (dir, text) = ptcpdump_text(line).unwrap_or_else(|| panic!("no direction: {line}"));
        let ifname = after_timestamp(line)
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        *m.entry((ifname, dir.to_string(), text.trim().to_string()))
            .or_default() += 1;
    }
    m
}

#[test]
fn tun_veth_and_lo_in_one_file() {
    if !root_or_skip("tun_veth_and_lo_in_one_file") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let net: u32 = p.a_ip.split('.').nth(2).unwrap().parse().unwrap();
    let tun = unique("tn");
    let script = d.path("tun_echo.py");
    std::fs::write(&script, TUN_ECHO).unwrap();
    let echo = Bg::spawn(&p.a.exec(&format!("python3 {script} {tun}")));
    echo.wait_stderr("ready", 10);
    let (tun_local, tun_peer) = (format!("198.19.{net}.1"), format!("198.19.{net}.2"));
    p.a.sh(&format!("sysctl -qw net.ipv6.conf.{tun}.disable_ipv6=1"));
    p.a.sh(&format!(
        "ip addr add {tun_local} peer {tun_peer}/32 dev {tun}"
    ));
    p.a.sh(&format!("ip link set {tun} up"));

    let bin = ptcpdump_bin().display().to_string();
    let named = format!("{},lo,{tun}", p.a_if);
    let runs = [
        ("any.pcap", "-i any"),
        ("any.pcapng", "-i any"),
        ("named.pcap", &format!("-i {named}") as &str),
    ];
    let mut caps: Vec<Bg> = runs
        .iter()
        .map(|(f, i)| Bg::spawn(&p.a.exec(&format!("{bin} {i} -w {} icmp", d.path(f)))))
        .collect();
    // -w -: pcapng on standard output, the same rules.
    let stdout_file = d.path("stdout.pcapng");
    caps.push(Bg::spawn(&format!(
        "{} > {stdout_file}",
        p.a.exec(&format!("{bin} -i any -w - icmp"))
    )));
    for c in &caps {
        c.wait_stderr("listening on", 10);
    }
    thread::sleep(Duration::from_millis(300));
    for dst in [tun_peer.as_str(), p.b_ip.as_str(), "127.0.0.1"] {
        p.a.sh(&format!("ping -c 3 -i 0.2 -W 2 {dst}"));
    }
    thread::sleep(Duration::from_millis(300));
    let done: Vec<Finished> = caps.into_iter().map(Bg::stop).collect();
    for (w, name) in done
        .iter()
        .zip(["any.pcap", "any.pcapng", "named.pcap", "-"])
    {
        assert!(w.status.success(), "{name}: {}", w.stderr);
    }
    // Classic pcap, mixed link types: LINUX_SLL2 is said, as tcpdump says it for -i any.
    assert!(
        done[0]
            .stderr
            .contains("link-type LINUX_SLL2 (Linux cooked v2)"),
        "{}",
        done[0].stderr
    );
    let n = captured(&done[1].stderr);
    // 3 pings each way on tun and veth; on lo each packet passes egress and ingress.
    assert_eq!(n, 24, "{}", done[1].stderr);
    for w in &done {
        assert_eq!(captured(&w.stderr), n, "{}", w.stderr);
    }

    // pcapng: one interface block per interface, with its own link type; tshark decodes
    // every packet with it.
    for f in [d.path("any.pcapng"), stdout_file.clone()] {
        let rows = read(
            &p.a,
            &format!(
                "tshark -n -r {f} -T fields -e frame.interface_name -e frame.protocols -e icmp.type"
            ),
            READ_NOTES,
        );
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for row in rows.lines() {
            let v: Vec<&str> = row.split('\t').collect();
            let want = if v[0] == tun {
                "raw:ip:icmp"
            } else {
                "eth:ethertype:ip:icmp"
            };
            // ICMP echoes carry data: "...:icmp:data".
            assert!(v[1].starts_with(want), "{f}: {row}");
            assert!(v[2] == "8" || v[2] == "0", "{f}: {row}");
            *seen.entry(v[0].to_string()).or_default() += 1;
        }
        let want: BTreeMap<String, usize> =
            [(tun.clone(), 6), (p.a_if.clone(), 6), ("lo".into(), 12)]
                .into_iter()
                .collect();
        assert_eq!(seen, want, "{f}");
    }

    // The pcapng read back by ptcpdump: every packet decoded, named after its process (and
    // nothing after tcpdump's text: only the process part of the context).
    let ng = read(
        &p.a,
        &format!("{bin} -n -r {} --context process", d.path("any.pcapng")),
        READ_NOTES,
    );
    assert_eq!(ng.lines().count(), n, "{ng}");
    assert!(ng.lines().all(|l| l.contains(" ping.")), "{ng}");
    let ng_parts = parts(&ng);
    // A filter applies to each packet with its own link type's compiled program (the raw IP
    // and the Ethernet ones): the echo requests, as tshark counts them.
    let requests = read(
        &p.a,
        &format!(
            "{bin} -n -r {} 'icmp[icmptype] = icmp-echo'",
            d.path("any.pcapng")
        ),
        READ_NOTES,
    );
    let ts_requests = read(
        &p.a,
        &format!("tshark -n -r {} -Y 'icmp.type == 8'", d.path("any.pcapng")),
        READ_NOTES,
    );
    assert_eq!(requests.lines().count(), 12, "{requests}");
    assert_eq!(ts_requests.lines().count(), 12, "{ts_requests}");
    assert!(requests.lines().all(|l| l.contains("ICMP echo request")));

    // Classic pcap: tcpdump and tshark read every packet, ptcpdump prints what tcpdump prints,
    // and each packet's text is the one its own link type gave in the pcapng.
    let converted = d.path("converted.pcap");
    read(
        &p.a,
        &format!("{bin} -r {} -w {converted}", d.path("any.pcapng")),
        READ_NOTES,
    );
    for f in ["any.pcap", "named.pcap", "converted.pcap"] {
        let path = d.path(f);
        let td = read(&p.a, &format!("tcpdump -n -r {path}"), READ_NOTES);
        let header = read(
            &p.a,
            &format!("tcpdump -n -r {path} -c 1 2>&1 >/dev/null"),
            &[],
        );
        assert!(
            header.contains("link-type LINUX_SLL2 (Linux cooked v2)"),
            "{f}: {header}"
        );
        assert_eq!(td.lines().count(), n, "{f}: {td}");
        let ours = read(&p.a, &format!("{bin} -n -r {path}"), READ_NOTES);
        assert_eq!(ours, td, "{f}: ptcpdump -r and tcpdump -r differ");
        let stderr = |cmd: &str| read(&p.a, &format!("{cmd} -n -r {path} 2>&1 >/dev/null"), &[]);
        assert_eq!(stderr(&bin), stderr("tcpdump"), "{f}");
        assert_eq!(parts(&td), ng_parts, "{f}: not the pcapng's packets");
        let ts = read(
            &p.a,
            &format!("tshark -n -r {path} -T fields -e frame.protocols"),
            READ_NOTES,
        );
        assert_eq!(ts.lines().count(), n, "{f}");
        assert!(
            ts.lines().all(|l| l.starts_with("sll:ethertype:ip:icmp")),
            "{f}: {ts}"
        );
    }
    // The tun device lived until here: SLL2 interface indexes name it.
    drop(echo);
}
