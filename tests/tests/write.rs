//! Writing files (issue 6): live captures in two namespaces joined by a veth, written as pcap,
//! pcapng and `-w -`, read back by tcpdump and tshark with the packet count ptcpdump reported;
//! tcpdump's rotation modes (-C, -C -W, -G, -G -W, -z); nothing lost on SIGINT, SIGTERM, a
//! closed pipe; one error line and a readable file on a full disk. Needs root; skipped otherwise.
use std::{
    process::Command,
    thread,
    time::{Duration, Instant},
};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    if !have("tcpdump") || !have("tshark") {
        eprintln!("skipping {name}: needs tcpdump and tshark");
        return false;
    }
    true
}

/// A directory for one test's files, removed on drop.
struct Dir(String);

impl Dir {
    fn new() -> Dir {
        let d = format!("/tmp/ptcpdump-wt-{}", unique("w"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.0)
    }

    /// Names of the files in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        sh_quiet(&format!("umount {}/* 2>/dev/null", self.0));
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small tmpfs, unmounted on drop.
struct Tmpfs(String);

impl Tmpfs {
    fn new(dir: &str, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).unwrap();
        sh(&format!("mount -t tmpfs -o size={size} tmpfs {dir}"));
        Tmpfs(dir.to_string())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        sh_quiet(&format!("umount {}", self.0));
    }
}

fn ptcpdump(p: &Pair, args: &str) -> String {
    p.a.exec(&format!(
        "{} -i {} {args}",
        ptcpdump_bin().display(),
        p.a_if
    ))
}

/// The N of ptcpdump's "N packets captured" line ("1 packet captured", as tcpdump).
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

/// Packets tcpdump reads from `path`; it must say nothing but its "reading from file" line.
fn tcpdump_count(path: &str) -> usize {
    let out = Command::new("tcpdump")
        .args(["-n", "-r", path])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("reading from file"))
        .collect();
    assert!(
        out.status.success() && warnings.is_empty(),
        "tcpdump -r {path}: {err}"
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

/// Packets tshark reads from `path`, with no complaint on stderr.
fn tshark_count(path: &str) -> usize {
    let out = Command::new("tshark")
        .args(["-n", "-r", path, "-T", "fields", "-e", "frame.number"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("Running as user \"root\""))
        .collect();
    assert!(
        out.status.success() && warnings.is_empty(),
        "tshark -r {path}: {err}"
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

/// Both readers agree with ptcpdump's count.
fn assert_holds(path: &str, n: usize) {
    assert_eq!(tcpdump_count(path), n, "tcpdump on {path}");
    assert_eq!(tshark_count(path), n, "tshark on {path}");
}

fn ping(p: &Pair, args: &str) -> Bg {
    Bg::spawn(&p.a.exec(&format!("ping -q {args} {}", p.b_ip)))
}

#[test]
fn pcap_pcapng_and_stdout_hold_every_packet() {
    if !root_or_skip("pcap_pcapng_and_stdout_hold_every_packet") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let (pcap, ng) = (d.path("live.pcap"), d.path("live.pcapng"));
    let w1 = Bg::spawn(&ptcpdump(&p, &format!("-w {pcap} icmp")));
    let w2 = Bg::spawn(&ptcpdump(&p, &format!("-w {ng} icmp")));
    // -w - into tcpdump; -c 40 ends the pipeline.
    let piped = Bg::spawn(&format!(
        "sh -c '{} | tcpdump -n -r - > {} 2> {}'",
        ptcpdump(&p, "-w - -c 40 icmp"),
        d.path("piped.out"),
        d.path("piped.err")
    ));
    for w in [&w1, &w2, &piped] {
        w.wait_stderr("ptcpdump: listening on", 10);
    }
    thread::sleep(Duration::from_millis(200));
    p.a.sh(&format!("ping -c 30 -i 0.02 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    let (w1, w2) = (w1.stop(), w2.stop());
    let piped = piped.wait(10);
    for (w, path) in [(&w1, &pcap), (&w2, &ng)] {
        assert!(w.status.success(), "{}", w.stderr);
        // Every ping request and reply, no more.
        assert_eq!(captured(&w.stderr), 60, "{}", w.stderr);
        assert_holds(path, 60);
    }
    assert!(piped.status.success(), "{}", piped.stderr);
    assert_eq!(captured(&piped.stderr), 40);
    let out = std::fs::read_to_string(d.path("piped.out")).unwrap();
    let err = std::fs::read_to_string(d.path("piped.err")).unwrap();
    assert_eq!(out.lines().count(), 40, "{out}");
    assert!(out.lines().all(|l| l.contains(": ICMP echo ")), "{out}");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        ["reading from file -, link-type EN10MB (Ethernet), snapshot length 262144"]
    );
}

#[test]
fn pcapng_read_back_prints_what_the_live_capture_printed() {
    if !root_or_skip("pcapng_read_back_prints_what_the_live_capture_printed") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let (plain, verbose) = (d.path("plain.pcapng"), d.path("verbose.pcapng"));
    let w1 = Bg::spawn(&ptcpdump(&p, &format!("-w {plain} --print -l icmp")));
    let w2 = Bg::spawn(&ptcpdump(&p, &format!("-w {verbose} --print -l -v icmp")));
    w1.wait_stderr("listening on", 10);
    w2.wait_stderr("listening on", 10);
    thread::sleep(Duration::from_millis(200));
    p.a.sh(&format!("ping -c 3 -i 0.1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    for (w, path, v) in [(w1.stop(), &plain, ""), (w2.stop(), &verbose, "-v")] {
        assert!(w.status.success(), "{}", w.stderr);
        let again = Command::new(ptcpdump_bin())
            .args(["-r", path])
            .args(if v.is_empty() { vec![] } else { vec![v] })
            .output()
            .unwrap();
        assert!(again.status.success());
        assert_eq!(String::from_utf8_lossy(&again.stdout), w.stdout);
        // The process is named: the read-back carries more than tcpdump's text.
        assert!(
            w.stdout.contains("ping.")
                || w.stdout.contains("cmd /usr/bin/ping")
                || w.stdout.contains("cmd /bin/ping"),
            "{}",
            w.stdout
        );
        assert!(w.stdout.matches("ICMP echo request").count() == 3);
    }
}

/// Rotated files in creation order: NAME, NAME1, NAME2... (no gap).
fn numbered(d: &Dir, base: &str) -> Vec<String> {
    let names = d.names();
    let mut v = Vec::new();
    for i in 0.. {
        let n = if i == 0 {
            base.to_string()
        } else {
            format!("{base}{i}")
        };
        if !names.contains(&n) {
            break;
        }
        v.push(n);
    }
    assert_eq!(v.len(), names.len(), "unexpected names: {names:?}");
    v
}

#[test]
fn size_rotation_files_stand_alone_and_add_up() {
    if !root_or_skip("size_rotation_files_stand_alone_and_add_up") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    for base in ["c.pcapng", "c.pcap"] {
        let w = Bg::spawn(&ptcpdump(&p, &format!("-w {} -C 30k icmp", d.path(base))));
        w.wait_stderr("listening on", 10);
        p.a.sh(&format!("ping -f -c 1500 -q {} > /dev/null", p.b_ip));
        thread::sleep(Duration::from_millis(300));
        let w = w.stop();
        assert!(w.status.success(), "{}", w.stderr);
        let files: Vec<String> = numbered(&d, base)
            .into_iter()
            .filter(|n| n.starts_with(base))
            .collect();
        assert!(files.len() >= 4, "{files:?}");
        let mut total = 0;
        for (i, f) in files.iter().enumerate() {
            let path = d.path(f);
            let n = tcpdump_count(&path);
            assert!(n > 0, "{f} is empty");
            total += n;
            let len = std::fs::metadata(&path).unwrap().len();
            if i + 1 < files.len() {
                // Closed at the first packet after 30 KiB, as tcpdump does.
                assert!(len > 30 * 1024 && len < 31 * 1024, "{f}: {len} bytes");
            }
            if i < 2 {
                assert_eq!(tshark_count(&path), n, "tshark on {f}");
            }
        }
        assert_eq!(total, captured(&w.stderr), "{}", w.stderr);
        for f in files {
            std::fs::remove_file(d.path(&f)).unwrap();
        }
    }
}

/// `d.names()` without a script or log that lives next to the capture files.
fn captures(d: &Dir, prefix: &str) -> Vec<String> {
    d.names()
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect()
}

#[test]
fn ring_of_files_and_postrotate_command() {
    if !root_or_skip("ring_of_files_and_postrotate_command") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let script = d.path("record.sh");
    let log = d.path("zlog");
    std::fs::write(&script, format!("#!/bin/sh\necho \"$1\" >> {log}\n")).unwrap();
    sh(&format!("chmod 755 {script}"));
    let w = Bg::spawn(&ptcpdump(
        &p,
        &format!("-w {} -C 20k -W 3 -z {script} icmp", d.path("r.pcapng")),
    ));
    w.wait_stderr("listening on", 10);
    p.a.sh(&format!("ping -f -c 1500 -q {} > /dev/null", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    let w = w.stop();
    assert!(w.status.success(), "{}", w.stderr);
    let total = captured(&w.stderr);
    // Names padded to the width of -W - 1, and no more than 3 of them.
    assert_eq!(
        captures(&d, "r.pcapng"),
        ["r.pcapng0", "r.pcapng1", "r.pcapng2"]
    );
    let mut kept = 0;
    for f in captures(&d, "r.pcapng") {
        let n = tcpdump_count(&d.path(&f));
        assert!(n > 0);
        kept += n;
    }
    assert!(kept < total, "the ring kept {kept} of {total}");
    // -z ran on every closed file (all rotations), by full name, the ring's names in turn.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut lines: Vec<String>;
    loop {
        lines = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect();
        if lines.len() >= 5 || Instant::now() > deadline {
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    assert!(lines.len() >= 5, "{lines:?}");
    let mut sorted = lines.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted,
        ["r.pcapng0", "r.pcapng1", "r.pcapng2"].map(|n| d.path(n)),
        "{lines:?}"
    );
}

/// `date -u` for a file-name timestamp `YYYYmmdd-HHMMSS`, as seconds since the epoch.
fn utc_seconds(stamp: &str) -> i64 {
    let (d, t) = stamp.split_once('-').unwrap();
    let iso = format!(
        "{}-{}-{} {}:{}:{}",
        &d[..4],
        &d[4..6],
        &d[6..8],
        &t[..2],
        &t[2..4],
        &t[4..6]
    );
    sh(&format!("date -u -d '{iso}' +%s"))
        .trim()
        .parse()
        .unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn time_rotation_names_files_by_strftime() {
    if !root_or_skip("time_rotation_names_files_by_strftime") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let start = now();
    let w = Bg::spawn(&format!(
        "env TZ=UTC {}",
        ptcpdump(
            &p,
            &format!("-w {} -G 1 icmp", d.path("g-%Y%m%d-%H%M%S.pcapng"))
        )
    ));
    w.wait_stderr("listening on", 10);
    ping(&p, "-i 0.05 -w 4").wait(10);
    let w = w.stop();
    let end = now();
    assert!(w.status.success(), "{}", w.stderr);
    let files = d.names();
    assert!(files.len() >= 3, "{files:?}");
    let mut total = 0;
    let mut last = 0;
    for f in &files {
        let stamp = f
            .strip_prefix("g-")
            .and_then(|s| s.strip_suffix(".pcapng"))
            .unwrap_or_else(|| panic!("{f}"));
        let t = utc_seconds(stamp);
        assert!(
            t >= start - 1 && t <= end && t > last,
            "{f}: {start}..{end}"
        );
        last = t;
        total += tcpdump_count(&d.path(f));
    }
    assert_eq!(total, captured(&w.stderr), "{}", w.stderr);
}

#[test]
fn time_rotation_with_file_count_ends_the_capture() {
    if !root_or_skip("time_rotation_with_file_count_ends_the_capture") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let w = Bg::spawn(&ptcpdump(
        &p,
        &format!("-w {} -G 1 -W 2 icmp", d.path("t-%s.pcap")),
    ));
    w.wait_stderr("listening on", 10);
    let traffic = ping(&p, "-i 0.05 -w 6");
    // Ends by itself after the second file's second.
    let w = w.wait(8);
    drop(traffic);
    assert!(w.status.success(), "{}", w.stderr);
    assert!(
        w.stderr.contains("Maximum file limit reached: 2"),
        "{}",
        w.stderr
    );
    let files = d.names();
    assert_eq!(files.len(), 2, "{files:?}");
    let total: usize = files.iter().map(|f| tcpdump_count(&d.path(f))).sum();
    assert_eq!(total, captured(&w.stderr), "{}", w.stderr);
}

#[test]
fn sigint_and_sigterm_during_a_flood_lose_nothing() {
    if !root_or_skip("sigint_and_sigterm_during_a_flood_lose_nothing") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let runs = [
        ("INT", "int.pcapng"),
        ("INT", "int.pcap"),
        ("TERM", "term.pcapng"),
        ("TERM", "term.pcap"),
    ];
    let ws: Vec<Bg> = runs
        .iter()
        .map(|(_, f)| Bg::spawn(&ptcpdump(&p, &format!("-w {}", d.path(f)))))
        .collect();
    for w in &ws {
        w.wait_stderr("listening on", 10);
    }
    // A slow machine (a TCG guest) floods longer, but at most 20,000 echoes (40,000 packets):
    // a fast flood would otherwise fill the files with millions of packets that tcpdump and
    // tshark then take many minutes to count in a guest.
    let flood = ping(&p, &format!("-f -c 20000 -w {}", 6 * slowness()));
    thread::sleep(Duration::from_millis(1500 * slowness()));
    for (w, (sig, _)) in ws.iter().zip(&runs) {
        w.signal(sig);
    }
    let done: Vec<Finished> = ws.into_iter().map(|w| w.wait(20)).collect();
    drop(flood);
    for (w, (sig, f)) in done.iter().zip(&runs) {
        assert!(w.status.success(), "SIG{sig} {f}: {}", w.stderr);
        let n = captured(&w.stderr);
        assert!(n > 1000, "SIG{sig} {f}: only {n} packets");
        assert_holds(&d.path(f), n);
    }
}

#[test]
fn closed_pipes_end_cleanly_with_complete_files() {
    if !root_or_skip("closed_pipes_end_cleanly_with_complete_files") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    let file = d.path("printed.pcapng");
    // --print into a reader that goes away: the file still holds every captured packet.
    let printed = Bg::spawn(&format!(
        "sh -c '{} | head -n 5 > /dev/null'",
        ptcpdump(&p, &format!("-w {file} --print -l icmp"))
    ));
    // -w - into a reader that goes away: a quiet end.
    let raw = Bg::spawn(&format!(
        "sh -c '{} | head -c 2000 > /dev/null; echo head done >&2'",
        ptcpdump(&p, "-w - icmp")
    ));
    printed.wait_stderr("listening on", 10);
    raw.wait_stderr("listening on", 10);
    let traffic = ping(&p, "-i 0.02 -w 8");
    let printed = printed.wait(10);
    let raw = raw.wait(10);
    drop(traffic);
    let n = captured(&printed.stderr);
    assert!(n >= 5, "{}", printed.stderr);
    assert_holds(&file, n);
    assert!(
        !printed.stderr.contains("ptcpdump: error") && !printed.stderr.contains("Broken pipe"),
        "{}",
        printed.stderr
    );
    assert!(raw.stderr.contains("packets captured"), "{}", raw.stderr);
    assert!(!raw.stderr.contains("Broken pipe"), "{}", raw.stderr);
}

#[test]
fn full_disk_is_one_error_line_and_a_readable_file() {
    if !root_or_skip("full_disk_is_one_error_line_and_a_readable_file") {
        return;
    }
    let p = Pair::new();
    let d = Dir::new();
    for name in ["f.pcapng", "f.pcap"] {
        let mnt = d.path(&format!("mnt-{name}"));
        let _fs = Tmpfs::new(&mnt, "256k");
        let path = format!("{mnt}/{name}");
        let w = Bg::spawn(&ptcpdump(&p, &format!("-w {path} icmp")));
        w.wait_stderr("listening on", 10);
        let flood = ping(&p, "-f -w 10");
        let w = w.wait(15);
        drop(flood);
        assert_eq!(w.status.code(), Some(1), "{}", w.stderr);
        let err_lines: Vec<&str> = w
            .stderr
            .lines()
            .filter(|l| l.starts_with("ptcpdump:") && !l.contains("listening on"))
            .collect();
        assert_eq!(
            err_lines,
            [format!("ptcpdump: {path}: No space left on device")],
            "{}",
            w.stderr
        );
        // What reached the disk is whole: no warning from either reader.
        let n = tcpdump_count(&path);
        // The disk really filled up: most of the 256 KiB is packets (how many depends on the
        // size of each packet's process comments).
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(
            n > 100 && size > 200 * 1024,
            "{n} packets, {size} bytes in {path}"
        );
        assert_eq!(tshark_count(&path), n);
        assert!(captured(&w.stderr) >= n);
    }
}
