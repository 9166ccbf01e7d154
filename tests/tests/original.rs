//! The original ptcpdump's habits (issue 16): SIGUSR1 prints the statistics and the capture
//! goes on; `-v --oneline` prints one line per packet; the original's long flag names mean
//! their letters; `--backend`, `--kernel-btf` and the tuning flags are accepted. Live tests need
//! root (skipped otherwise); file tests run anywhere.
use std::{process::Command, thread, time::Duration};

use integration_tests::*;
use ptcpdump_pcap::PcapWriter;

struct TempFile(String);

impl TempFile {
    fn new(name: &str) -> TempFile {
        TempFile(format!("/tmp/ptcpdump-orig-{}-{name}", unique("f")))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A classic pcap with three Ethernet + IPv4 + UDP packets carrying a little text.
fn udp_file() -> TempFile {
    let f = TempFile::new("udp.pcap");
    let mut w = PcapWriter::new(std::fs::File::create(&f.0).unwrap(), 1, 262_144).unwrap();
    for i in 0..3u8 {
        let mut p = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        p.extend_from_slice(&[
            0x45, 0, 0, 33, 0, i, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2,
        ]);
        p.extend_from_slice(&[0x9c, 0x40 + i, 0x1f, 0x90, 0, 13, 0, 0]);
        p.extend_from_slice(b"hello");
        w.write_packet(
            1_700_000_000_000_000_000 + u64::from(i) * 1_500_000,
            &p,
            p.len() as u32,
        )
        .unwrap();
    }
    w.flush().unwrap();
    f
}

/// `ptcpdump -r FILE ARGS`: (stdout, stderr), asserting success.
fn read(file: &str, args: &[&str]) -> (String, String) {
    let out = Command::new(ptcpdump_bin())
        .args(["-r", file])
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "-r {file} {args:?}: {err}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

#[test]
fn long_names_of_the_original_mean_their_letters() {
    let f = udp_file();
    for (long, short) in [
        (
            &[
                "--print-timestamp",
                "--print-timestamp",
                "--no-convert-addr",
            ][..],
            &["-tt", "-n"][..],
        ),
        (&["--print-data-in-hex"], &["-x"]),
        (&["--print-data-in-hex", "--print-data-in-hex"], &["-xx"]),
        (&["--print-data-in-hex-ascii"], &["-X"]),
        (&["--print-data-in-ascii"], &["-A"]),
        (&["--receive-count", "2"], &["-c", "2"]),
        (&["--receive-count=1", "--verbose"], &["-c1", "-v"]),
    ] {
        let (a, _) = read(&f.0, long);
        let (b, _) = read(&f.0, short);
        assert_eq!(a, b, "{long:?} vs {short:?}");
        assert!(!a.is_empty());
    }
    // And they do what the letters do: -c 2 is two packets, -tt epoch seconds.
    assert_eq!(read(&f.0, &["--receive-count", "2"]).0.lines().count(), 2);
    assert!(
        read(&f.0, &["--print-timestamp", "--print-timestamp"])
            .0
            .starts_with("1700000000.000000 IP ")
    );
}

#[test]
fn tuning_flags_are_accepted_and_said_to_be_ignored_once() {
    let f = udp_file();
    let (plain, _) = read(&f.0, &[]);
    let (out, err) = read(
        &f.0,
        &[
            "--event-chan-size",
            "20",
            "--exec-events-worker-number",
            "50",
            "--delay-before-handle-packet-events",
            "3s",
            "--disable-reverse-match",
        ],
    );
    assert_eq!(out, plain);
    let notes: Vec<&str> = err.lines().filter(|l| l.contains("ignored")).collect();
    assert_eq!(
        notes,
        [
            "ptcpdump: warn: --disable-reverse-match, --event-chan-size, --exec-events-worker-number, --delay-before-handle-packet-events: the original ptcpdump's tuning, not needed by this one; ignored"
        ],
        "{err}"
    );
    // A value the original would refuse is refused here too.
    let bad = Command::new(ptcpdump_bin())
        .args(["-r", &f.0, "--delay-before-handle-packet-events", "3"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("invalid duration"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

fn root_or_skip(name: &str) -> bool {
    if !is_root() || !have("tcpdump") {
        eprintln!("skipping {name}: needs root and tcpdump");
        return false;
    }
    true
}

fn capture(p: &Pair, args: &str) -> Bg {
    let b = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} {args}",
        ptcpdump_bin().display(),
        p.a_if
    )));
    b.wait_stderr("listening on", 10);
    thread::sleep(Duration::from_millis(200));
    b
}

/// The numbers of a "ptcpdump: N packets captured, N packets received by filter, N packets
/// dropped by kernel" line.
fn stats_line(line: &str) -> Option<(u64, u64, u64)> {
    let rest = line.strip_prefix("ptcpdump: ")?;
    let mut it = rest.split(", ");
    let mut num = |suffix: &str| -> Option<u64> {
        let part = it.next()?;
        let (n, what) = part.split_once(' ')?;
        (what == format!("packets {suffix}") || what == format!("packet {suffix}"))
            .then(|| n.parse().ok())?
    };
    let v = (
        num("captured")?,
        num("received by filter")?,
        num("dropped by kernel")?,
    );
    it.next().is_none().then_some(v)
}

#[test]
fn sigusr1_prints_the_statistics_and_the_capture_goes_on() {
    if !root_or_skip("sigusr1_prints_the_statistics_and_the_capture_goes_on") {
        return;
    }
    let p = Pair::new();
    let cap = capture(&p, "-l icmp");
    p.a.sh(&format!("ping -c 2 -i 0.1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    cap.signal("USR1");
    thread::sleep(Duration::from_millis(300));
    // Still capturing: more packets after the signal are printed.
    p.a.sh(&format!("ping -c 3 -i 0.1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    cap.signal("USR1");
    thread::sleep(Duration::from_millis(300));
    let done = cap.stop();
    assert!(done.status.success(), "{}", done.stderr);
    let lines: Vec<(u64, u64, u64)> = done.stderr.lines().filter_map(stats_line).collect();
    // One line per signal, counting what was captured by then, nothing dropped.
    assert_eq!(lines.len(), 2, "{}", done.stderr);
    assert_eq!((lines[0].0, lines[0].2), (4, 0), "{}", done.stderr);
    assert_eq!((lines[1].0, lines[1].2), (10, 0), "{}", done.stderr);
    assert!(lines[0].1 >= 4 && lines[1].1 >= 10);
    assert_eq!(done.stdout.lines().count(), 10, "{}", done.stdout);
    // The three lines at the end, as always.
    assert!(
        done.stderr.contains("\n10 packets captured\n"),
        "{}",
        done.stderr
    );
}

/// tcpdump's records of `tcpdump -n -v -r FILE`: each line that starts a packet (a timestamp)
/// with its continuation lines.
fn records(text: &str) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        if line.starts_with(|c: char| c.is_ascii_digit()) {
            v.push(vec![line.to_string()]);
        } else {
            v.last_mut().unwrap().push(line.to_string());
        }
    }
    v
}

#[test]
fn verbose_oneline_is_one_line_per_packet() {
    if !root_or_skip("verbose_oneline_is_one_line_per_packet") {
        return;
    }
    let p = Pair::new();
    let file = TempFile::new("oneline.pcapng");
    let cap = capture(&p, &format!("-w {} --print -l -v --oneline icmp", file.0));
    let ping = Bg::spawn(&p.a.exec(&format!("ping -c 3 -i 0.1 -W 2 {}", p.b_ip)));
    let pid = ping.pid();
    assert!(ping.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let done = cap.stop();
    assert!(done.status.success(), "{}", done.stderr);
    let live: Vec<&str> = done.stdout.lines().collect();
    assert_eq!(live.len(), 6, "{}", done.stdout);

    // tcpdump's own -v text of the same packets, its lines joined by ", " as the original
    // ptcpdump joins them; then the process parts.
    let td = Command::new("tcpdump")
        .args(["-n", "-v", "-r", &file.0])
        .output()
        .unwrap();
    let recs = records(&String::from_utf8_lossy(&td.stdout));
    assert_eq!(recs.len(), 6);
    for (line, rec) in live.iter().zip(&recs) {
        assert!(
            rec.len() >= 2,
            "tcpdump -v prints ICMP on two lines: {rec:?}"
        );
        let (ts, first) = rec[0].split_once(' ').unwrap();
        let mut joined = vec![first.trim().to_string()];
        joined.extend(rec[1..].iter().map(|l| l.trim().to_string()));
        let dir = if line.contains(" Out ") { "Out" } else { "In" };
        let want = format!(
            "{ts} {} {dir} {}, Process (pid {pid}, cmd ",
            p.a_if,
            joined.join(", ")
        );
        assert!(line.starts_with(&want), "{line}\nwant prefix: {want}");
        assert!(line.contains(", User (uid 0), ParentProc (pid "), "{line}");
    }
    // Read back, the file prints the same lines.
    let again = Command::new(ptcpdump_bin())
        .args(["-r", &file.0, "-v", "--oneline"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout), done.stdout);
}

#[test]
fn backend_of_the_original_is_one_line() {
    if !root_or_skip("backend_of_the_original_is_one_line") {
        return;
    }
    let p = Pair::new();
    let other = capture(&p, "--backend cgroup-skb icmp");
    let tc = capture(&p, "--backend tc icmp");
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    let (other, tc) = (other.stop(), tc.stop());
    assert!(other.status.success() && tc.status.success());
    let notes: Vec<&str> = other
        .stderr
        .lines()
        .filter(|l| l.contains("--backend"))
        .collect();
    assert_eq!(
        notes,
        [
            "ptcpdump: warn: --backend cgroup-skb is not available in this ptcpdump: capturing with tc (TC/TCX hooks; cgroup and tracepoint hooks name the processes)"
        ],
        "{}",
        other.stderr
    );
    assert!(!tc.stderr.contains("--backend"), "{}", tc.stderr);
    // Both captured the ping, attributed.
    for r in [&other, &tc] {
        assert_eq!(r.stdout.matches(" ping.").count(), 2, "{}", r.stdout);
    }
}

#[test]
fn kernel_btf_file_is_used_and_a_bad_one_is_one_line() {
    if !root_or_skip("kernel_btf_file_is_used_and_a_bad_one_is_one_line") {
        return;
    }
    let vmlinux = "/sys/kernel/btf/vmlinux";
    if !std::path::Path::new(vmlinux).exists() {
        eprintln!("skipping: no {vmlinux}");
        return;
    }
    let p = Pair::new();
    // The running kernel's BTF extracted to a file, as --kernel-btf users have it, and a
    // mount namespace where /sys/kernel/btf is empty (a container without the host's /sys).
    let copy = TempFile::new("vmlinux");
    std::fs::copy(vmlinux, &copy.0).unwrap();
    let hidden = |args: &str| {
        let b = Bg::spawn(&p.a.exec(&format!(
            "unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec {} -i {} {args} icmp'",
            ptcpdump_bin().display(),
            p.a_if
        )));
        b.wait_stderr("listening on", 10);
        b
    };
    let without = hidden("");
    let with = hidden(&format!("--kernel-btf {}", copy.0));
    thread::sleep(Duration::from_millis(200));
    p.a.sh(&format!("ping -c 1 -W 2 {}", p.b_ip));
    thread::sleep(Duration::from_millis(300));
    let (without, with) = (without.stop(), with.stop());
    assert!(without.status.success(), "{}", without.stderr);
    assert!(with.status.success(), "{}", with.stderr);
    // Without the file the tp_btf programs cannot load, and that is said; with it they do.
    assert!(
        without.stderr.contains("no kernel BTF"),
        "{}",
        without.stderr
    );
    assert!(!with.stderr.contains("no kernel BTF"), "{}", with.stderr);
    assert!(!with.stderr.contains("tp_btf/"), "{}", with.stderr);
    assert_eq!(with.stdout.matches(" ping.").count(), 2, "{}", with.stdout);

    let garbage = TempFile::new("garbage");
    std::fs::write(&garbage.0, b"this is not BTF").unwrap();
    for (path, why) in [
        (
            "/nonexistent/vmlinux",
            "No such file or directory".to_string(),
        ),
        (garbage.0.as_str(), "not a usable BTF file".to_string()),
    ] {
        let out = Command::new("sh")
            .args([
                "-c",
                &p.a.exec(&format!(
                    "{} -i {} --kernel-btf {path} icmp",
                    ptcpdump_bin().display(),
                    p.a_if
                )),
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(
            lines[0].starts_with(&format!("ptcpdump: --kernel-btf {path}: {why}")),
            "{err}"
        );
    }
}
