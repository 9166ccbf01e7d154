//! A kernel without BTF (issue 12), as `PTCPDUMP_NO_KERNEL_BTF=1` makes ptcpdump see it: capture
//! and attribution by socket creation go on, and one line says what is lost. Needs root.
use integration_tests::*;

#[test]
fn without_kernel_btf_packets_are_captured_and_attributed() {
    if !is_root() {
        eprintln!("skipping: needs root");
        return;
    }
    let p = Pair::new();
    let server = Bg::spawn(&p.b.exec(&format!(
        "python3 -c \"
import socket
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('{ip}', 8080)); t.listen(1); print('ready', flush=True)
c, _ = t.accept(); c.sendall(c.recv(100).upper()); c.close()
\"",
        ip = p.b_ip
    )));
    let cap = Bg::spawn(&p.a.exec(&format!(
        "env PTCPDUMP_NO_KERNEL_BTF=1 {} -i {} -l -n tcp",
        ptcpdump_bin().display(),
        p.a_if
    )));
    cap.wait_stderr("listening on", 20);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let client = Bg::spawn(&p.a.exec(&format!(
        "python3 -c \"
import socket
s = socket.create_connection(('{ip}', 8080), timeout=5); s.sendall(b'hello'); s.recv(100); s.close()
\"",
        ip = p.b_ip
    )));
    let cpid = client.pid();
    assert!(client.wait(10).status.success());
    assert!(server.wait(10).status.success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = cap.stop();
    assert!(
        out.stderr
            .contains("warn: no kernel BTF (/sys/kernel/btf/vmlinux): packets are still captured"),
        "{}",
        out.stderr
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.len() >= 8, "{}", out.stdout);
    for l in &lines {
        assert!(
            l.contains(&format!(" python3.{cpid} ")),
            "not the client's: {l}"
        );
    }
}
