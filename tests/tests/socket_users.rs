//! The process that uses a socket, not only the one that made it (issue 12): a socket created by
//! a parent and written by its child is the child's. That needs a send hook, and which one the
//! kernel got (said at `--log-level info`) decides the first packet: fentry (5.11+) runs before
//! the send, so every packet is the child's; tp_btf `sock_send_length` (6.3+) fires after it, so
//! the child's first datagram still carries the creator; without either (5.10) ptcpdump says so
//! in one line and every packet names the creator. Needs root.
use integration_tests::*;

#[test]
fn a_socket_written_by_a_child_is_the_childs() {
    if !is_root() {
        eprintln!("skipping: needs root");
        return;
    }
    let p = Pair::new();
    let cap = Bg::spawn(&p.a.exec(&format!(
        "{} --log-level info -i {} -l -n 'udp and dst port 9999'",
        ptcpdump_bin().display(),
        p.a_if
    )));
    cap.wait_stderr("listening on", 20);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let script = format!(
        "python3 -c \"
import os, socket, sys, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
pid = os.fork()
if pid == 0:
    for _ in range(3):
        u.sendto(b'x', ('{ip}', 9999)); time.sleep(0.1)
    time.sleep(1)  # still alive when its packets are printed
    os._exit(0)
print(os.getpid(), pid, flush=True)
os.waitpid(pid, 0)
\"",
        ip = p.b_ip
    );
    let run = Bg::spawn(&p.a.exec(&script)).wait(20);
    assert!(run.status.success(), "{}", run.stderr);
    let mut ids = run.stdout.split_whitespace();
    let parent: u32 = ids.next().and_then(|v| v.parse().ok()).expect("parent pid");
    let child: u32 = ids.next().and_then(|v| v.parse().ok()).expect("child pid");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = cap.stop();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    let hook = if out.stderr.contains("info: attribution of sends: fentry/") {
        "fentry"
    } else if out.stderr.contains("info: attribution of sends: tp_btf/") {
        "tp_btf"
    } else {
        assert!(
            out.stderr.contains("warn: attribution of sends: no hook"),
            "{}",
            out.stderr
        );
        "none"
    };
    for (i, l) in lines.iter().enumerate() {
        let want = match hook {
            "fentry" => child,
            "tp_btf" if i > 0 => child,
            _ => parent,
        };
        // `TS IFNAME NAME.PID Out ...`; the name is the executable's or the kernel's comm
        // (python3 or python3.11), whichever the process table had: the pid decides.
        let who = l.split(' ').nth(2).unwrap_or("");
        assert!(
            who.starts_with("python3") && who.ends_with(&format!(".{want}")),
            "packet {i} with {hook}: {}",
            out.stdout
        );
    }
}
