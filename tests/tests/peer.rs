//! Both ends (issue 14.3): when the other end of a packet is a local socket too, `-v` adds its
//! `PeerProcess`/`PeerContainer`/`PeerPod` lines, `--context ...,peer` ends the default line
//! with `, Peer [COMM.PID]`, and a pcapng keeps it for `-r`. Loopback needs only root (every
//! kernel of the matrix); the container-host and Pod-Pod tests need the daemons of
//! tests/containers/ct-up.sh and PTCPDUMP_CONTAINER_IT=1.
use std::{
    collections::HashMap,
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
    true
}

fn containers_or_skip(name: &str) -> bool {
    if !is_root() || std::env::var("PTCPDUMP_CONTAINER_IT").as_deref() != Ok("1") {
        eprintln!(
            "skipping {name}: needs root and PTCPDUMP_CONTAINER_IT=1 (daemons from tests/containers/ct-up.sh)"
        );
        return false;
    }
    true
}

/// One packet of a `-v` run: its first line and the parts ptcpdump added, by name
/// (`Process`, `PeerProcess`, `PeerContainer`, ...) with what is inside the parentheses.
#[derive(Debug)]
struct Packet {
    head: String,
    /// All its lines.
    text: String,
    parts: HashMap<String, String>,
}

impl Packet {
    fn pid(&self, part: &str) -> Option<u32> {
        self.parts
            .get(part)?
            .strip_prefix("pid ")?
            .split(',')
            .next()?
            .parse()
            .ok()
    }

    fn out(&self) -> bool {
        self.head.contains(" Out IP ")
    }

    /// The first packet of a TCP connection, a SYN: on its way out it is seen before the
    /// kernel has met the socket that will receive it (the kernel side does not fill the
    /// other end there yet).
    fn syn(&self) -> bool {
        self.text.contains(": Flags [S],")
    }
}

fn packets(out: &str) -> Vec<Packet> {
    let mut v: Vec<Packet> = Vec::new();
    for l in out.lines() {
        // tcpdump's own -v lines (the TCP header, HTTP text after a tab) are indented too.
        if l.starts_with(char::is_whitespace) {
            let Some(p) = v.last_mut() else { continue };
            p.text.push_str(l);
            p.text.push('\n');
            if let Some(part) = l.strip_prefix("    ")
                && let Some((name, rest)) = part.split_once(" (")
                && !name.contains(' ')
            {
                p.parts
                    .insert(name.to_string(), rest.trim_end_matches(')').to_string());
            }
        } else {
            v.push(Packet {
                head: l.to_string(),
                text: format!("{l}\n"),
                parts: HashMap::new(),
            });
        }
    }
    v
}

const SERVER: &str = r#"
import socket, sys
port = int(sys.argv[1])
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('127.0.0.1', port)); t.listen(4)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', port))
print('ready', file=sys.stderr, flush=True)
c, _ = t.accept(); c.sendall(c.recv(100).upper()); c.close()
d, a = u.recvfrom(100); u.sendto(d.upper(), a)
"#;

const CLIENT: &str = r#"
import socket, sys
port = int(sys.argv[1])
s = socket.create_connection(('127.0.0.1', port), timeout=5); s.sendall(b'hello'); s.recv(100); s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)
u.sendto(b'ping', ('127.0.0.1', port)); u.recv(100)
"#;

#[test]
fn loopback_packets_name_both_ends() {
    if !root_or_skip("loopback_packets_name_both_ends") {
        return;
    }
    let dir = std::env::temp_dir().join(unique("ptpeer"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("server.py"), SERVER).unwrap();
    std::fs::write(dir.join("client.py"), CLIENT).unwrap();
    let file = dir.join("both.pcapng").display().to_string();
    let port = 40000 + (std::process::id() % 10000) as u16;
    let bin = ptcpdump_bin();
    let live = Bg::spawn(&format!(
        "{} -i lo -l -n -v --print -w {file} port {port}",
        bin.display()
    ));
    let line = Bg::spawn(&format!(
        "{} -i lo -l -n --context process,peer port {port}",
        bin.display()
    ));
    let plain = Bg::spawn(&format!("{} -i lo -l -n port {port}", bin.display()));
    for c in [&live, &line, &plain] {
        c.wait_stderr("listening on", 10);
    }
    let server = Bg::spawn(&format!("python3 {}/server.py {port}", dir.display()));
    server.wait_stderr("ready", 10);
    let client = Bg::spawn(&format!("python3 {}/client.py {port}", dir.display()));
    let (spid, cpid) = (server.pid(), client.pid());
    assert!(client.wait(15).status.success());
    assert!(server.wait(15).status.success());
    thread::sleep(Duration::from_millis(300));
    let live = live.stop();
    let line = line.stop();
    let plain = plain.stop();

    let pkts = packets(&live.stdout);
    assert!(pkts.len() >= 14, "{}", live.stdout);
    let mut without_peer = Vec::new();
    for p in &pkts {
        let owner = p
            .pid("Process")
            .unwrap_or_else(|| panic!("no process: {p:?}"));
        assert!(owner == spid || owner == cpid, "{p:?}");
        let other = if owner == spid { cpid } else { spid };
        match p.pid("PeerProcess") {
            Some(peer) => {
                assert_eq!(peer, other, "wrong other end: {p:?}");
                assert!(p.parts.contains_key("PeerParentProc"), "{p:?}");
            }
            None => without_peer.push(p),
        }
    }
    // The first packet of a connection or exchange, on its way out, is seen before the kernel
    // has met the receiving socket (the attr-kernel side fills it): at most one per flow.
    eprintln!(
        "{} of {} packets without the other end: {:?}",
        without_peer.len(),
        pkts.len(),
        without_peer.iter().map(|p| &p.head).collect::<Vec<_>>()
    );
    assert!(
        without_peer.len() <= 2 && without_peer.iter().all(|p| p.out()),
        "{without_peer:?}"
    );

    // --context process,peer: the default line ends with the other end; without it, nothing.
    let peered: Vec<&str> = line
        .stdout
        .lines()
        .filter(|l| l.contains(", Peer ["))
        .collect();
    assert!(peered.len() + 2 >= pkts.len(), "{}", line.stdout);
    for l in &peered {
        let (_, proc_part) = l.split_once(" lo ").unwrap();
        let owner: u32 = proc_part
            .split(' ')
            .next()
            .and_then(|p| p.rsplit('.').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{l}"));
        let other = if owner == spid { cpid } else { spid };
        assert!(l.ends_with(&format!(".{other}]")), "{l}");
    }
    assert!(!plain.stdout.contains("Peer"), "{}", plain.stdout);
    assert!(plain.stdout.lines().count() >= 14, "{}", plain.stdout);

    // The file prints back what the live capture printed, other end included.
    let back = Command::new(&bin)
        .args(["-n", "-v", "-r", &file])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&back.stdout), live.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The kernel answers an echo request: on loopback both ends' addresses are the ping's, but the
/// request's receiver and the reply's sender are no process, so no line names an other end, and
/// every line names the ping.
#[test]
fn ping_on_loopback_names_no_other_end() {
    if !root_or_skip("ping_on_loopback_names_no_other_end") {
        return;
    }
    // An address of 127/8 of our own, so that other pings on lo do not count.
    let n = std::process::id();
    let addr = format!("127.{}.{}.{}", 1 + n % 200, (n / 200) % 250, 2 + n % 250);
    let bin = ptcpdump_bin();
    let cap = Bg::spawn(&format!(
        "{} -i lo -l -n -v --context process,peer icmp and host {addr}",
        bin.display()
    ));
    cap.wait_stderr("listening on", 10);
    let ping = Bg::spawn(&format!("ping -c 3 -i 0.2 {addr}"));
    let pid = ping.pid();
    assert!(ping.wait(15).status.success());
    thread::sleep(Duration::from_millis(300));
    let out = cap.stop();
    let pkts = packets(&out.stdout);
    // Request and reply, each seen going out and coming in.
    assert_eq!(pkts.len(), 12, "{}", out.stdout);
    for p in &pkts {
        assert_eq!(p.pid("Process"), Some(pid), "{p:?}");
        assert!(!p.parts.contains_key("PeerProcess"), "{p:?}");
    }
}

const DOCKER: &str = "/usr/bin/docker";

struct Ctr(String);

impl Drop for Ctr {
    fn drop(&mut self) {
        sh_quiet(&format!("{DOCKER} rm -f {} >/dev/null 2>&1", self.0));
    }
}

/// A packet between a container's process and a process on the host names both, with the
/// container of the one inside.
#[test]
fn container_and_host_name_both_ends() {
    if !containers_or_skip("container_and_host_name_both_ends") {
        return;
    }
    // docker0 is 198.18.0.1 (tests/containers/ct-up.sh): the host's server listens there.
    let port = 41000 + (std::process::id() % 10000) as u16;
    let server = Bg::spawn(&format!(
        "python3 -c \"
import socket
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('198.18.0.1', {port})); t.listen(8)
for i in range(3):
    c, _ = t.accept(); c.recv(200); c.sendall(b'HTTP/1.0 200 OK\\r\\n\\r\\nok'); c.close()
\""
    ));
    let name = unique("ptpeerc");
    let cap = Bg::spawn(&format!(
        "{} -i any -l -n -v tcp port {port}",
        ptcpdump_bin().display()
    ));
    cap.wait_stderr("listening on", 10);
    let _c = Ctr(name.clone());
    let run = Command::new(DOCKER)
        .args([
            "run",
            "--name",
            &name,
            "ctit.local/busybox:1",
            "sh",
            "-c",
            &format!(
                "for i in 1 2 3; do wget -q -O /dev/null http://198.18.0.1:{port}/ || exit 1; sleep 0.3; done"
            ),
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let spid = server.pid();
    assert!(server.wait(10).status.success());
    thread::sleep(Duration::from_millis(300));
    let out = cap.stop();
    let pkts = packets(&out.stdout);
    assert!(pkts.len() >= 20, "{}", out.stdout);
    let in_ctr = format!("name {name}, ");
    // The container's first packets may come before the runtime has reported it (ptcpdump
    // started first): its Container line is then missing, never wrong.
    let ctr_ok = |c: Option<&String>| c.is_none_or(|c| c.starts_with(&in_ctr));
    let (mut both, mut with_ctr) = (0, 0);
    for p in &pkts {
        let owner = p.pid("Process").unwrap_or_else(|| panic!("{p:?}"));
        let peer = p.pid("PeerProcess");
        assert!(peer.is_some() || p.syn(), "other end missing: {p:?}");
        // Either end may be the one named; the other is the other process, and the container
        // belongs to the process inside it.
        let ctr = if owner == spid {
            assert!(!p.parts.contains_key("Container"), "{p:?}");
            p.parts.get("PeerContainer")
        } else {
            assert!(!p.parts.contains_key("PeerContainer"), "{p:?}");
            if let Some(peer) = peer {
                assert_eq!(peer, spid, "{p:?}");
            }
            p.parts.get("Container")
        };
        assert!(ctr_ok(ctr), "{p:?}");
        both += usize::from(peer.is_some());
        with_ctr += usize::from(ctr.is_some());
    }
    eprintln!("{with_ctr} of {} packets name the container", pkts.len());
    assert!(with_ctr >= pkts.len() / 2, "{}", out.stdout);
    eprintln!("{both} of {} packets name both ends", pkts.len());
    assert!(both >= pkts.len() / 2, "{}", out.stdout);
}

/// A Pod made through CRI by the `cri_pod` example; removed on drop.
struct CriPod {
    id: String,
    ip: String,
}

impl CriPod {
    fn run(name: &str, ns: &str, uid: &str, containers: &[&str]) -> CriPod {
        let out = Command::new(cri_pod_bin())
            .arg("run")
            .args([name, ns, uid])
            .args(containers)
            .output()
            .expect("run cri_pod");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut pod = CriPod {
            id: String::new(),
            ip: String::new(),
        };
        for line in text.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            match f[..] {
                ["pod", id, _] => pod.id = id.to_string(),
                ["ip", ip] => pod.ip = ip.to_string(),
                _ => {}
            }
        }
        assert!(
            out.status.success() && !pod.id.is_empty() && pod.ip.starts_with("198.18."),
            "cri_pod run {name}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        pod
    }
}

impl Drop for CriPod {
    fn drop(&mut self) {
        if !self.id.is_empty() {
            let _ = Command::new(cri_pod_bin()).args(["rm", &self.id]).output();
        }
    }
}

/// Two Pods on one node: a packet between them names both, each with its container and Pod.
#[test]
fn pods_on_one_node_name_both_ends() {
    if !containers_or_skip("pods_on_one_node_name_both_ends") {
        return;
    }
    let tag = std::process::id();
    let server = CriPod::run(
        "peer-server",
        "shop",
        &format!("5e0c1d2a-7a33-4c2b-9a77-{tag:012x}"),
        &["server=httpd -f -p 8080 -h /www"],
    );
    let client = CriPod::run(
        "peer-client",
        "shop",
        &format!("5e0c1d2a-7a44-4c2b-9a77-{tag:012x}"),
        &[&format!(
            "client=while true; do wget -q -O /dev/null http://{}:8080/; sleep 0.2; done",
            server.ip
        )],
    );
    let t = Instant::now();
    let out = Bg::spawn(&format!(
        "{} --netns any -i any -l -n -v -c 60 --pod-name peer-client.shop tcp port 8080",
        ptcpdump_bin().display()
    ))
    .wait(60);
    assert!(
        out.status.success(),
        "after {:?}: {}",
        t.elapsed(),
        out.stderr
    );
    let pkts = packets(&out.stdout);
    assert_eq!(pkts.len(), 60, "{}", out.stdout);
    let mut both = 0;
    for p in &pkts {
        let pod = |part: &str| p.parts.get(part).map(|s| s.as_str()).unwrap_or("");
        let (mine, theirs) = (pod("Pod"), pod("PeerPod"));
        assert!(!theirs.is_empty() || p.syn(), "other end missing: {p:?}");
        assert!(
            mine.starts_with("name peer-client, namespace shop")
                || mine.starts_with("name peer-server, namespace shop"),
            "{p:?}"
        );
        if !theirs.is_empty() {
            // The other end is the other Pod, never the same one.
            assert_ne!(mine.split(',').next(), theirs.split(',').next(), "{p:?}");
            assert!(theirs.starts_with("name peer-"), "{p:?}");
            assert!(p.parts.contains_key("PeerContainer"), "{p:?}");
            both += 1;
        }
    }
    eprintln!(
        "{both} of 60 packets between {} and {} name both Pods",
        client.ip, server.ip
    );
    assert!(both >= pkts.len() / 2, "{}", out.stdout);
}
