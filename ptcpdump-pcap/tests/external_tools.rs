//! Files written by this crate must be read by the real tools: `tcpdump -r` (libpcap) and
//! `tshark -r` (Wireshark), with the right packet count, no complaints on stderr, and (for
//! tshark) the pcapng comments, direction flags, interface names and TLS secrets visible.
//! Skipped, with a note, where a tool is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

use ptcpdump_pcap::{
    EpbOptions, InterfaceInfo, PcapWriter, PcapngWriter, SECRETS_TYPE_TLS, SectionInfo,
};

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("--version").output().is_ok();
    if !found {
        eprintln!("note: {name} is not installed; skipping its checks");
    }
    found
}

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ptcpdump-pcap-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// An Ethernet/IPv4/UDP frame (checksums are not checked by either tool).
fn frame(i: u16) -> Vec<u8> {
    let payload = format!("packet {i}");
    let udp_len = 8 + payload.len() as u16;
    let ip_len = 20 + udp_len;
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
    f.extend_from_slice(&[
        0x45,
        0,
        (ip_len >> 8) as u8,
        ip_len as u8,
        0,
        1,
        0,
        0,
        64,
        17,
        0,
        0,
    ]);
    f.extend_from_slice(&[198, 18, 0, 1, 198, 18, 0, 2]);
    f.extend_from_slice(&(40000 + i).to_be_bytes());
    f.extend_from_slice(&53u16.to_be_bytes());
    f.extend_from_slice(&udp_len.to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload.as_bytes());
    f
}

const N: u16 = 25;

fn run(cmd: &mut Command) -> (String, String) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Stderr lines that are not about the file (tshark warns when run as root).
fn file_complaints(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            !l.starts_with("reading from file ") && !l.starts_with("Running as user \"root\"")
        })
        .collect()
}

fn check_tcpdump(path: &Path) {
    if !tool("tcpdump") {
        return;
    }
    let (out, err) = run(Command::new("tcpdump")
        .arg("-n")
        .arg("-q")
        .arg("-r")
        .arg(path));
    assert_eq!(out.lines().count(), N as usize, "{out}");
    assert!(out.lines().all(|l| l.contains("198.18.0.1.")), "{out}");
    assert!(
        err.lines().any(|l| l.starts_with("reading from file ")),
        "{err}"
    );
    assert_eq!(file_complaints(&err), Vec::<&str>::new());
}

#[test]
fn pcap_is_read_by_tcpdump_and_tshark() {
    let path = temp_file("classic.pcap");
    let mut w = PcapWriter::new(std::fs::File::create(&path).unwrap(), 1, 0).unwrap();
    for i in 0..N {
        let f = frame(i);
        w.write_packet(
            1_700_000_000_000_000_000 + u64::from(i) * 1_000_123,
            &f,
            f.len() as u32,
        )
        .unwrap();
    }
    w.flush().unwrap();
    drop(w);
    check_tcpdump(&path);
    if tool("tcpdump") {
        let (out, _) = run(Command::new("tcpdump")
            .args(["-n", "-q", "--nano", "-tt", "-c", "2", "-r"])
            .arg(&path));
        let ts: Vec<&str> = out.lines().map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(ts, ["1700000000.000000000", "1700000000.001000123"]);
    }
    if tool("tshark") {
        let (out, err) = run(Command::new("tshark").arg("-r").arg(&path).args([
            "-T",
            "fields",
            "-e",
            "frame.len",
        ]));
        assert_eq!(out.lines().count(), N as usize);
        assert_eq!(file_complaints(&err), Vec::<&str>::new());
    }
    std::fs::remove_file(&path).unwrap();
    let _ = std::fs::remove_dir(path.parent().unwrap());
}

#[test]
fn pcapng_is_read_by_tcpdump_and_tshark() {
    let path = temp_file("ng.pcapng");
    let section = SectionInfo {
        hardware: "x86_64".into(),
        os: "Linux".into(),
        application: "ptcpdump-pcap test".into(),
        comment: Some("made by a test".into()),
    };
    let mut w = PcapngWriter::new(std::fs::File::create(&path).unwrap(), &section).unwrap();
    // libpcap (tcpdump) insists that all interfaces share the link type and snapshot length.
    let mut ids = Vec::new();
    for name in ["lo", "eth0"] {
        let info = InterfaceInfo {
            linktype: 1,
            snaplen: 262_144,
            name: name.into(),
            description: Some(format!("{name} interface")),
            filter: Some("udp".into()),
            os: Some("Linux".into()),
            comment: None,
        };
        ids.push(w.add_interface(&info).unwrap());
    }
    w.write_decryption_secrets(SECRETS_TYPE_TLS, b"CLIENT_RANDOM 0011 2233\n")
        .unwrap();
    for i in 0..N {
        let f = frame(i);
        let c1 = format!("process curl.{i}");
        let comments = [c1.as_str(), "container web"];
        let opts = EpbOptions {
            flags: Some(if i % 2 == 0 { 2 } else { 1 }),
            comments: &comments[..(i % 3) as usize],
            ..Default::default()
        };
        let ifc = ids[usize::from(i % 2)];
        w.write_packet(
            ifc,
            1_700_000_000_000_000_000 + u64::from(i),
            &f,
            f.len() as u32,
            &opts,
        )
        .unwrap();
    }
    w.write_interface_statistics(ids[0], 1_700_000_001_000_000_000, 13, 0)
        .unwrap();
    w.write_interface_statistics(ids[1], 1_700_000_001_000_000_000, 12, 1)
        .unwrap();
    w.flush().unwrap();
    drop(w);

    check_tcpdump(&path);
    if tool("tshark") {
        let (out, err) = run(Command::new("tshark").arg("-r").arg(&path).args([
            "-T",
            "fields",
            "-E",
            "separator=|",
            "-e",
            "frame.interface_name",
            "-e",
            "frame.packet_flags_direction",
            "-e",
            "frame.comment",
        ]));
        assert_eq!(file_complaints(&err), Vec::<&str>::new());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), N as usize, "{out}");
        for (i, line) in lines.iter().enumerate() {
            let f: Vec<&str> = line.split('|').collect();
            assert_eq!(f[0], if i % 2 == 0 { "lo" } else { "eth0" }, "{line}");
            // tshark shows the direction as its numeric value (1 inbound, 2 outbound).
            let dir = if i % 2 == 0 { 2 } else { 1 };
            assert!(
                f[1] == dir.to_string() || f[1] == format!("0x{dir:08x}"),
                "{line}"
            );
            let want = match i % 3 {
                0 => String::new(),
                1 => format!("process curl.{i}"),
                _ => format!("process curl.{i},container web"),
            };
            assert_eq!(f[2], want, "{line}");
        }
    }
    if tool("capinfos") {
        let (out, _) = run(Command::new("capinfos").arg(&path));
        assert!(out.contains("Number of packets:   25"), "{out}");
        assert!(out.contains("Number of interfaces in file: 2"), "{out}");
        assert!(out.contains("Name = eth0"), "{out}");
        assert!(out.contains("Filter string = udp"), "{out}");
        assert!(out.contains("Time precision = nanoseconds (9)"), "{out}");
        assert!(out.contains("Capture comment:     made by a test"), "{out}");
        assert!(
            out.contains("Capture application: ptcpdump-pcap test"),
            "{out}"
        );
        // The TLS key log is there for Wireshark to use, and each interface has its ISB.
        assert!(
            out.contains("Number of decryption secrets in file: 1"),
            "{out}"
        );
        assert_eq!(
            out.matches("Number of stat entries = 1").count(),
            2,
            "{out}"
        );
    }
    std::fs::remove_file(&path).unwrap();
    let _ = std::fs::remove_dir(path.parent().unwrap());
}
