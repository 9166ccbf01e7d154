//! Containers (issue 7) with a real dockerd: each packet of a container names it, the container
//! filters select exactly its packets, and a pcapng keeps the container comments for `-r`.
//! Needs root and the daemons of tests/containers/ct-up.sh; enabled by PTCPDUMP_CONTAINER_IT=1
//! (scripts/test.sh starts the daemons and sets it).
use integration_tests::*;

const DOCKER: &str = "/usr/bin/docker";

fn enabled(name: &str) -> bool {
    if !is_root() || std::env::var("PTCPDUMP_CONTAINER_IT").as_deref() != Ok("1") {
        eprintln!(
            "skipping {name}: needs root and PTCPDUMP_CONTAINER_IT=1 (daemons from tests/containers/ct-up.sh)"
        );
        return false;
    }
    true
}

/// A container removed on drop.
struct Ctr(String);

impl Ctr {
    fn run(name: &str, cmd: &str) -> Ctr {
        sh(&format!(
            "{DOCKER} run -d --name {name} --label app=ptcpdump-it ctit.local/busybox:1 sh -c '{cmd}' >/dev/null 2>&1"
        ));
        Ctr(name.to_string())
    }
}

impl Drop for Ctr {
    fn drop(&mut self) {
        sh_quiet(&format!("{DOCKER} rm -f {} >/dev/null 2>&1", self.0));
    }
}

#[test]
fn container_name_filter_and_metadata() {
    if !enabled("container_name_filter_and_metadata") {
        return;
    }
    // b serves HTTP; a and c fetch from it. Only a is selected.
    let (a, b, c) = (unique("ptcwa"), unique("ptcwb"), unique("ptcwc"));
    let _cb = Ctr::run(&b, "httpd -f -p 8080 -h /www");
    let ip = |n: &str| {
        sh(&format!(
            "{DOCKER} inspect -f '{{{{.NetworkSettings.IPAddress}}}}' {n}"
        ))
        .trim()
        .to_string()
    };
    let ip_b = ip(&b);
    let loop_cmd =
        format!("while true; do wget -q -O /dev/null http://{ip_b}:8080/; sleep 0.3; done");
    let _ca = Ctr::run(&a, &loop_cmd);
    let _cc = Ctr::run(&c, &loop_cmd);
    let (ip_a, ip_c) = (ip(&a), ip(&c));
    let file = format!("/tmp/{}.pcapng", unique("ptc"));
    let out = Bg::spawn(&format!(
        "{} -i any -l -n -c 40 --print -w {file} --container-name {a} tcp",
        ptcpdump_bin().display()
    ))
    .wait(30);
    assert!(out.status.success(), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 40, "{}", out.stdout);
    for l in &lines {
        assert!(
            l.contains(&format!("{ip_a}.")),
            "not container {a}'s traffic: {l}"
        );
        assert!(!l.contains(&format!("{ip_c}.")) && !l.contains(&c), "{l}");
    }
    // The filter selected container a: every line names a's end, also the packets b's httpd
    // sends to it (on the host side of the veths neither end is local; without a filter they
    // would be named after their sender).
    for l in &lines {
        assert!(
            // busybox runs its applets through /proc/self/exe: the file name is "exe", the
            // thread name says wget.
            l.contains("Thread [wget.") && l.ends_with(&format!(", Container [{a}]")),
            "not a's wget: {l}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!(" {ip_b}.8080 > {ip_a}."))),
        "no packet from b's httpd to a: {}",
        out.stdout
    );
    // The file reads back with the same lines.
    let back = std::process::Command::new(ptcpdump_bin())
        .args(["-n", "-r", &file])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&back.stdout), out.stdout);
    // -v shows the container's id, image and labels.
    let v = std::process::Command::new(ptcpdump_bin())
        .args(["-n", "-v", "-r", &file])
        .output()
        .unwrap();
    let v = String::from_utf8_lossy(&v.stdout);
    let id = sh(&format!("{DOCKER} inspect -f '{{{{.Id}}}}' {a}"))
        .trim()
        .to_string();
    assert!(
        v.contains(&format!("    Container (name {a}, id {id}, image ctit.local/busybox:1, labels {{\"app\":\"ptcpdump-it\"}})")),
        "{v}"
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn container_id_prefix_filter() {
    if !enabled("container_id_prefix_filter") {
        return;
    }
    let name = unique("ptcid");
    let _c = Ctr::run(
        &name,
        "while true; do ping -c 1 -W 1 198.18.0.1 >/dev/null; sleep 0.2; done",
    );
    let id = sh(&format!("{DOCKER} inspect -f '{{{{.Id}}}}' {name}"))
        .trim()
        .to_string();
    let _other = Ctr::run(
        &unique("ptcio"),
        "while true; do ping -c 1 -W 1 198.18.0.1 >/dev/null; sleep 0.2; done",
    );
    let ip = sh(&format!(
        "{DOCKER} inspect -f '{{{{.NetworkSettings.IPAddress}}}}' {name}"
    ))
    .trim()
    .to_string();
    let out = Bg::spawn(&format!(
        "{} -i any -l -n -c 8 --container-id {} icmp",
        ptcpdump_bin().display(),
        &id[..12]
    ))
    .wait(30);
    assert!(out.status.success(), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 8, "{}", out.stdout);
    assert!(
        out.stdout
            .lines()
            .all(|l| l.contains(&format!(" {ip} > ")) || l.contains(&format!(" > {ip}: "))),
        "{}",
        out.stdout
    );
    // The echo requests leave the container: on its veth and on docker0 they are the ping's.
    assert!(
        out.stdout
            .lines()
            .any(|l| l.contains("echo request") && l.contains(&format!(", Container [{name}]"))),
        "{}",
        out.stdout
    );
}

/// A host process serving a container (issue 14.2): both ends are local, but under
/// `--container-name` / `--container-id` every line, `-v` block and pcapng comment names the
/// container's process, never the host's server.
#[test]
fn container_filters_name_the_container_not_its_host_peer() {
    if !enabled("container_filters_name_the_container_not_its_host_peer") {
        return;
    }
    let port = 18000 + (std::process::id() % 1000) as u16;
    // The host's server, on docker0's address (tests/containers/ct-up.sh: 198.18.0.1).
    let server = Bg::spawn(&format!(
        "python3 -c \"
import http.server, socketserver
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')
    def log_message(self, *a): pass
socketserver.TCPServer.allow_reuse_address = True
socketserver.TCPServer(('198.18.0.1', {port}), H).serve_forever()
\""
    ));
    let name = unique("ptchost");
    let _c = Ctr::run(
        &name,
        &format!("while true; do wget -q -O /dev/null http://198.18.0.1:{port}/; sleep 0.3; done"),
    );
    let id = sh(&format!("{DOCKER} inspect -f '{{{{.Id}}}}' {name}"))
        .trim()
        .to_string();
    let file = format!("/tmp/{}.pcapng", unique("ptch"));
    let bin = ptcpdump_bin();
    let out = Bg::spawn(&format!(
        "{} -i any -l -n -c 30 --print -w {file} --container-name {name} tcp port {port}",
        bin.display()
    ))
    .wait(30);
    assert!(out.status.success(), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 30, "{}", out.stdout);
    for l in &lines {
        assert!(
            l.contains("Thread [wget.") && l.ends_with(&format!(", Container [{name}]")),
            "not the container's wget: {l}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!(" 198.18.0.1.{port} > "))),
        "no packet sent by the host's server: {}",
        out.stdout
    );
    // The file reads back with the same lines, and with -v every block has the container.
    let back = std::process::Command::new(&bin)
        .args(["-n", "-r", &file])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&back.stdout), out.stdout);
    let v = std::process::Command::new(&bin)
        .args(["-n", "-v", "-r", &file])
        .output()
        .unwrap();
    let v = String::from_utf8_lossy(&v.stdout).into_owned();
    assert_every_block_has(&v, &format!("    Container (name {name}, id {id}, "));
    // Live -v under --container-id: the same.
    let live = Bg::spawn(&format!(
        "{} -i any -l -n -v -c 12 --container-id {} tcp port {port}",
        bin.display(),
        &id[..12]
    ))
    .wait(30);
    assert!(live.status.success(), "{}", live.stderr);
    assert_every_block_has(
        &live.stdout,
        &format!("    Container (name {name}, id {id}, "),
    );
    let _ = std::fs::remove_file(&file);
    drop(server);
}

/// Every `-v` packet block (a line that does not start with a space and the indented lines
/// after it) has a line starting with `want`; there are some.
fn assert_every_block_has(v: &str, want: &str) {
    let lines: Vec<&str> = v.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].starts_with(' '))
        .collect();
    assert!(starts.len() >= 10, "too few packets:\n{v}");
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        assert!(
            lines[s..end].iter().any(|l| l.starts_with(want)),
            "a block without {want:?}:\n{}",
            lines[s..end].join("\n")
        );
    }
}
