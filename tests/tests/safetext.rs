//! Safe text (issue 14.4): a process whose file name, argv and comm hold ESC, BEL, a newline
//! and bytes that are not UTF-8 never puts a raw control byte on stdout nor splits a line, in
//! the default line, `-v`, `--oneline`, and `-w` then `-r`; nor does a file whose comments hold
//! such bytes. Loopback only: runs on every kernel of the matrix.
use std::{path::PathBuf, process::Command, thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    if !have("gcc") {
        eprintln!("skipping {name}: needs gcc");
        return false;
    }
    true
}

/// Every byte printable ASCII or a line end; every line a packet line (starts with the time)
/// or, with -v, one of its indented lines.
fn assert_clean(out: &[u8], what: &str) {
    for (i, b) in out.iter().enumerate() {
        assert!(
            (0x20..0x7f).contains(b) || *b == b'\n',
            "{what}: raw byte {b:#04x} at {i}: {:?}",
            String::from_utf8_lossy(&out[i.saturating_sub(60)..(i + 20).min(out.len())])
        );
    }
    let text = std::str::from_utf8(out).unwrap();
    for l in text.lines() {
        let time = l.len() > 9 && l.as_bytes()[2] == b':' && l.as_bytes()[5] == b':';
        assert!(time || l.starts_with("    "), "{what}: broken line {l:?}");
    }
}

/// (packet lines, `-v` Process lines) of an output.
fn counts(out: &str) -> (usize, usize) {
    let heads = out.lines().filter(|l| !l.starts_with(' ')).count();
    let procs = out
        .lines()
        .filter(|l| l.starts_with("    Process (") || l.contains(", Process ("))
        .count();
    (heads, procs)
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn hostile_process_text_never_reaches_stdout_raw() {
    if !root_or_skip("hostile_process_text_never_reaches_stdout_raw") {
        return;
    }
    let dir = Dir(std::env::temp_dir().join(unique("ptsafe")));
    std::fs::create_dir_all(&dir.0).unwrap();
    let bin = dir.0.join("forkexec");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/forkexec.c");
    sh(&format!("gcc -O2 -o {} {}", bin.display(), src.display()));
    // The program is exec'd through a link whose name holds an ESC sequence.
    let link = dir.0.join("fe\x1b[31mx");
    std::os::unix::fs::symlink(&bin, &link).unwrap();
    let port = 42000 + (std::process::id() % 10000) as u16;
    let file = dir.0.join("h.pcapng").display().to_string();
    let ptcpdump = ptcpdump_bin();
    let modes: [&[&str]; 4] = [
        &[],
        &["-v"],
        &["-v", "--oneline"],
        &["--context", "process,thread,parentproc,peer"],
    ];
    let mut caps = Vec::new();
    for (i, m) in modes.iter().enumerate() {
        let w = if i == 1 {
            format!("--print -w {file}")
        } else {
            String::new()
        };
        let c = Bg::spawn(&format!(
            "{} -i lo -l -n {} {w} udp port {port}",
            ptcpdump.display(),
            m.join(" ")
        ));
        c.wait_stderr("listening on", 10);
        caps.push(c);
    }
    // A receiver that is a process too: its end shows as the peer.
    let receiver = Bg::spawn(&format!(
        "python3 -c \"import socket, sys; u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', {port})); print('ready', file=sys.stderr, flush=True); u.recvfrom(10)\""
    ));
    receiver.wait_stderr("ready", 10);
    let out = Command::new(&bin)
        .args(["hostile", link.to_str().unwrap()])
        .env("FE_PORT", port.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(receiver.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let outs: Vec<Finished> = caps.into_iter().map(Bg::stop).collect();

    let want_args = r"args \x1b]0;pwned\x07 a\x0ab \xff\xfe";
    let want_cmd = format!(r"cmd {}/fe\x1b[31mx", dir.0.display());
    for (m, o) in modes.iter().zip(&outs) {
        let what = format!("live {m:?}");
        assert_clean(o.stdout.as_bytes(), &what);
        let (heads, procs) = counts(&o.stdout);
        // Out and In on lo.
        assert_eq!(heads, 2, "{what}: {}", o.stdout);
        if m.contains(&"-v") {
            assert_eq!(procs, 2, "{what}: {}", o.stdout);
            assert!(o.stdout.contains(want_args), "{what}: {}", o.stdout);
            assert!(o.stdout.contains(&want_cmd), "{what}: {}", o.stdout);
            assert!(o.stdout.contains(r"name \x1b[2J\x0a\x07\xff)"), "{what}");
        } else {
            assert!(o.stdout.contains(r" fe\x1b[31mx."), "{what}: {}", o.stdout);
            assert!(
                o.stdout.contains(r", Thread [\x1b[2J\x0a\x07\xff."),
                "{what}: {}",
                o.stdout
            );
        }
    }
    assert!(
        outs[3].stdout.contains(r", Peer [fe\x1b[31mx."),
        "{}",
        outs[3].stdout
    );

    // The file keeps the bytes (valid UTF-8 comments) and prints back what was printed live.
    let raw = std::fs::read(&file).unwrap();
    assert!(
        raw.windows(12).any(|w| w == b"\x1b]0;pwned\x07 a"),
        "the file lost the raw argument"
    );
    for m in modes {
        let back = Command::new(&ptcpdump)
            .args(["-n", "-r", &file])
            .args(m)
            .output()
            .unwrap();
        assert!(back.status.success());
        assert_clean(&back.stdout, &format!("-r {m:?}"));
        let (heads, _) = counts(&String::from_utf8_lossy(&back.stdout));
        assert_eq!(heads, 2, "-r {m:?}");
    }
    let back_v = Command::new(&ptcpdump)
        .args(["-n", "-v", "-r", &file])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&back_v.stdout), outs[1].stdout);
}

/// A pcapng block: type, total length, body (padded to 4), total length.
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let pad = (4 - body.len() % 4) % 4;
    let len = (12 + body.len() + pad) as u32;
    let mut b = Vec::new();
    b.extend_from_slice(&kind.to_le_bytes());
    b.extend_from_slice(&len.to_le_bytes());
    b.extend_from_slice(body);
    b.extend(std::iter::repeat_n(0u8, pad));
    b.extend_from_slice(&len.to_le_bytes());
    b
}

fn option(code: u16, value: &[u8]) -> Vec<u8> {
    let mut o = Vec::new();
    o.extend_from_slice(&code.to_le_bytes());
    o.extend_from_slice(&(value.len() as u16).to_le_bytes());
    o.extend_from_slice(value);
    o.extend(std::iter::repeat_n(0u8, (4 - value.len() % 4) % 4));
    o
}

/// A file as someone else may have written it, claiming to be ptcpdump's: comments with raw
/// newlines, ESC and BEL inside values, an interface name with an ESC, and comments that are not
/// ptcpdump's at all.
fn hostile_file() -> Vec<u8> {
    let mut f = Vec::new();
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    // Claims to be ptcpdump's (shb_userappl): its comments are then read as ptcpdump's.
    shb.extend(option(4, b"ptcpdump 0.1.0"));
    shb.extend(option(0, b""));
    f.extend(block(0x0a0d_0d0a, &shb));
    let mut idb = Vec::new();
    idb.extend_from_slice(&1u16.to_le_bytes()); // Ethernet
    idb.extend_from_slice(&0u16.to_le_bytes());
    idb.extend_from_slice(&262_144u32.to_le_bytes());
    idb.extend(option(2, b"eth\x1b]0;x\x07"));
    idb.extend(option(0, b""));
    f.extend(block(1, &idb));
    // Ethernet + IPv4 + UDP 127.0.0.1.1000 > 127.0.0.1.2000, 1 byte.
    let mut pkt = vec![0u8; 12];
    pkt.extend_from_slice(&[0x08, 0x00]);
    let mut ip = vec![
        0x45, 0, 0, 29, 0, 1, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
    ];
    let sum: u32 = ip
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum();
    let sum = !(((sum & 0xffff) + (sum >> 16)) as u16);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    pkt.extend(ip);
    pkt.extend_from_slice(&[0x03, 0xe8, 0x07, 0xd0, 0, 9, 0, 0, b'x']);
    for comments in [
        &[
            &b"PID: 5\nCmd: /x\x1b[2J\nArgs: a\x07\nb\x1b[1;1H\nPeerPID: 6\nPeerCmd: \xc2\x9b31m\nPeerArgs: \r"[..],
            &b"ThreadId: 5\nThreadName: \x1b\x07"[..],
            &b"ContainerName: c\x1b[0m\nContainerId: 1\nContainerImage: \x07\nContainerLabels: {\"\x1b\":1}"[..],
            &b"PodName: p\x1b\nPodNamespace: n\x07\nPodUID: \x1b\nPodLabels: {}\nPodAnnotations: \x1b"[..],
        ][..],
        &[&b"just a note\x1b[2J\nwith\x07lines"[..]][..],
    ] {
        let mut epb = Vec::new();
        epb.extend_from_slice(&0u32.to_le_bytes());
        epb.extend_from_slice(&0u32.to_le_bytes());
        epb.extend_from_slice(&1u32.to_le_bytes());
        epb.extend_from_slice(&(pkt.len() as u32).to_le_bytes());
        epb.extend_from_slice(&(pkt.len() as u32).to_le_bytes());
        epb.extend_from_slice(&pkt);
        epb.extend(std::iter::repeat_n(0u8, (4 - pkt.len() % 4) % 4));
        for c in comments {
            epb.extend(option(1, c));
        }
        epb.extend(option(2, &1u32.to_le_bytes()));
        epb.extend(option(0, b""));
        f.extend(block(6, &epb));
    }
    f
}

#[test]
fn control_bytes_in_file_comments_are_not_printed() {
    // Reading files needs no privileges and no kernel.
    let dir = Dir(std::env::temp_dir().join(unique("ptsafer")));
    std::fs::create_dir_all(&dir.0).unwrap();
    let file = dir.0.join("foreign.pcapng");
    std::fs::write(&file, hostile_file()).unwrap();
    let modes: [&[&str]; 4] = [
        &[],
        &["-v"],
        &["-v", "--oneline"],
        &["--context", "process,thread,container,pod,peer"],
    ];
    for m in modes {
        let out = Command::new(ptcpdump_bin())
            .args(["-n", "-r", file.to_str().unwrap()])
            .args(m)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{m:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(&out.stdout, &format!("{m:?}"));
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(counts(&text).0, 2, "{m:?}: {text}");
        // The ptcpdump comments were read (not skipped), escaped.
        assert!(text.contains(r"eth\x1b]0;x\x07 "), "{m:?}: {text}");
        if m.contains(&"-v") {
            assert!(
                text.contains(r"Process (pid 5, cmd /x\x1b[2J, args a\x07)"),
                "{text}"
            );
            assert!(
                text.contains(r"PeerProcess (pid 6, cmd \xc2\x9b31m, args \x0d)"),
                "{text}"
            );
        } else {
            assert!(text.contains(r" x\x1b[2J.5 In "), "{m:?}: {text}");
        }
    }
}

/// Interface names are chosen by whoever is root in a network namespace (a container's, too):
/// `-D` and the packet lines escape them.
#[test]
fn interface_names_are_escaped() {
    if !is_root() {
        eprintln!("skipping interface_names_are_escaped: needs root");
        return;
    }
    let ns = Netns::new("ptesc");
    let name = "d\x1b[31mx";
    let peer = unique("pte");
    sh(&format!(
        "ip -n {n} link add name '{name}' type veth peer name {peer} && ip -n {n} link set '{name}' up && ip -n {n} link set {peer} up && ip -n {n} addr add 198.18.77.1/24 dev '{name}'",
        n = ns.name
    ));
    let list = Command::new(ptcpdump_bin())
        .args(["-D", "--netns", &ns.name])
        .output()
        .unwrap();
    assert!(list.status.success());
    assert_clean_listing(&list.stdout);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains(r".d\x1b[31mx@"), "{text}");
    let cap = Bg::spawn(&format!(
        "{} --netns {} -i any -l -n -c 1 arp",
        ptcpdump_bin().display(),
        ns.name
    ));
    cap.wait_stderr("listening on", 10);
    // An ARP request leaves through the interface (nobody answers: the peer has no address).
    sh_quiet(&ns.exec("ping -c 1 -W 1 198.18.77.2"));
    let out = cap.wait(10);
    assert_clean(out.stdout.as_bytes(), "arp line");
    assert!(
        out.stdout.contains(r" d\x1b[31mx@") && out.stdout.contains(" Out ARP, Request who-has"),
        "{}",
        out.stdout
    );
}

/// `-D` lines: printable ASCII only.
fn assert_clean_listing(out: &[u8]) {
    for b in out {
        assert!((0x20..0x7f).contains(b) || *b == b'\n', "raw byte {b:#04x}");
    }
}
