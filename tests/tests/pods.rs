//! Kubernetes Pods (issue 7 §6) with containerd's CRI: each packet of a Pod's containers names
//! the container and the Pod, `--pod-name NAME.NAMESPACE` selects exactly that Pod's packets,
//! `-v` shows the Pod's metadata and a pcapng keeps it for `-r`.
//! The Pods are made with the example `ptcpdump-meta/examples/cri_pod.rs` (built once per run).
//! Needs root and the daemons of tests/containers/ct-up.sh; enabled by PTCPDUMP_CONTAINER_IT=1
//! (scripts/test.sh starts the daemons and sets it).
use std::{
    os::unix::fs::MetadataExt,
    process::Command,
    time::{Duration, Instant},
};

use integration_tests::*;

fn enabled(name: &str) -> bool {
    if !is_root() || std::env::var("PTCPDUMP_CONTAINER_IT").as_deref() != Ok("1") {
        eprintln!(
            "skipping {name}: needs root and PTCPDUMP_CONTAINER_IT=1 (daemons from tests/containers/ct-up.sh)"
        );
        return false;
    }
    true
}

/// A Pod made through CRI by `cri_pod run`; stopped and removed (`cri_pod rm`) on drop.
struct Pod {
    id: String,
    /// the pause process: its network namespace is the Pod's
    pause_pid: u32,
    /// (name, id, host pid) per container
    containers: Vec<(String, String, u32)>,
}

impl Pod {
    fn run(args: &[&str]) -> Pod {
        let out = Command::new(cri_pod_bin())
            .arg("run")
            .args(args)
            .output()
            .expect("run cri_pod");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        // `cri_pod run` removes a half-made Pod itself; a complete one is ours from here.
        let mut pod = Pod {
            id: String::new(),
            pause_pid: 0,
            containers: Vec::new(),
        };
        for line in text.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            match f[..] {
                ["pod", id, pid] => {
                    pod.id = id.to_string();
                    pod.pause_pid = pid.parse().unwrap();
                }
                ["container", name, id, pid] => {
                    pod.containers
                        .push((name.into(), id.into(), pid.parse().unwrap()))
                }
                _ => {}
            }
        }
        assert!(
            out.status.success() && !pod.id.is_empty(),
            "cri_pod run {args:?}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        pod
    }

    fn container_id(&self, name: &str) -> &str {
        &self
            .containers
            .iter()
            .find(|c| c.0 == name)
            .unwrap_or_else(|| panic!("no container {name}"))
            .1
    }

    /// The inode of the Pod's network namespace, as in ptcpdump's `IFNAME@INODE`.
    fn netns_inode(&self) -> u64 {
        std::fs::metadata(format!("/proc/{}/ns/net", self.pause_pid))
            .expect("pause process alive")
            .ino()
    }
}

impl Drop for Pod {
    fn drop(&mut self) {
        if self.id.is_empty() {
            return;
        }
        match Command::new(cri_pod_bin()).args(["rm", &self.id]).output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => eprintln!(
                "removing Pod {} failed: {}",
                self.id,
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => eprintln!("removing Pod {} failed: {e}", self.id),
        }
    }
}

/// `sh -c` loop of a Pod's client: fetch from the Pod's own server over its loopback.
fn client_loop(port: u16) -> String {
    format!("client=while true; do wget -q -O /dev/null http://127.0.0.1:{port}/; sleep 0.2; done")
}

fn ptcpdump(args: &[&str]) -> Finished {
    let t = Instant::now();
    let out = Bg::spawn(&format!("{} {}", ptcpdump_bin().display(), args.join(" "))).wait(30);
    assert!(
        out.status.success(),
        "ptcpdump {args:?} after {:?}: {}\n{}",
        t.elapsed(),
        out.stderr,
        out.stdout
    );
    out
}

#[test]
fn pod_name_filter_and_metadata() {
    if !enabled("pod_name_filter_and_metadata") {
        return;
    }
    assert!(
        std::path::Path::new("/run/containerd/containerd.sock").exists(),
        "containerd is not running: run tests/containers/ct-up.sh first"
    );
    let tag = std::process::id();
    let uid_shop = format!("5e0c1d2a-7a11-4c2b-9a77-{tag:012x}");
    let uid_other = format!("5e0c1d2a-7a22-4c2b-9a77-{tag:012x}");
    // The selected Pod: httpd on 8080 and a client fetching from it over the Pod's loopback.
    let shop = Pod::run(&[
        "--label",
        "app=web",
        "--label",
        "tier=frontend",
        "--annotation",
        "ctit/note=pods-it",
        "web.frontend.v2",
        "shop",
        &uid_shop,
        "server=httpd -f -p 8080 -h /www",
        &client_loop(8080),
    ]);
    // Same Pod name in another namespace, same kind of traffic on port 9090: never selected.
    let other = Pod::run(&[
        "--label",
        "app=web",
        "web.frontend.v2",
        "other",
        &uid_other,
        "server=httpd -f -p 9090 -h /www",
        &client_loop(9090),
    ]);
    let shop_lo = format!(" lo@{} ", shop.netns_inode());
    let other_lo = format!(" lo@{} ", other.netns_inode());
    assert_ne!(shop_lo, other_lo, "each Pod has its own network namespace");

    // Control: the other Pod, selected by its namespace, has its own traffic and names.
    // (Not an unfiltered capture: without a filter ptcpdump does not wait for the runtimes'
    // first listing, and a process looked up before it stays unnamed for a second.)
    let ctl = ptcpdump(&["--netns any -i any -l -n -c 20 --pod-name web.frontend.v2.other tcp"]);
    let ctl_lines: Vec<&str> = ctl.stdout.lines().collect();
    assert_eq!(ctl_lines.len(), 20, "{}", ctl.stdout);
    for l in &ctl_lines {
        assert!(l.contains(&other_lo), "not in the other Pod's netns: {l}");
        assert!(
            l.contains(" 127.0.0.1.9090 ") || l.contains(" 127.0.0.1.9090:"),
            "{l}"
        );
        assert!(
            l.ends_with(", Container [client], Pod [web.frontend.v2.other]")
                || l.ends_with(", Container [server], Pod [web.frontend.v2.other]"),
            "{l}"
        );
    }

    // Every Pod's namespace, every interface, only the shop Pod.
    let file = format!("/tmp/{}.pcapng", unique("ptpod"));
    let out = ptcpdump(&[
        "--netns any -i any -l -n -c 40 --print -w",
        &file,
        "--pod-name web.frontend.v2.shop tcp",
    ]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 40, "{}", out.stdout);
    for l in &lines {
        assert!(l.contains(&shop_lo), "not in the shop Pod's netns: {l}");
        assert!(
            !l.contains(".9090") && !l.contains("web.frontend.v2.other"),
            "{l}"
        );
        assert!(
            l.contains(" 127.0.0.1.8080 ") || l.contains(" 127.0.0.1.8080:"),
            "{l}"
        );
        assert!(
            l.ends_with(", Container [client], Pod [web.frontend.v2.shop]")
                || l.ends_with(", Container [server], Pod [web.frontend.v2.shop]"),
            "{l}"
        );
    }
    // On the Pod's loopback each end's socket is local: the client's packets are wget's, the
    // server's are httpd's (busybox applets: the thread name says which).
    assert!(
        lines.iter().any(|l| l.contains("Thread [wget.")
            && l.contains(" Out IP 127.0.0.1.")
            && l.contains(" > 127.0.0.1.8080: ")
            && l.ends_with(", Container [client], Pod [web.frontend.v2.shop]")),
        "no request sent by the client container: {}",
        out.stdout
    );
    assert!(
        lines.iter().any(|l| l.contains(" Out IP 127.0.0.1.8080 > ")
            && l.ends_with(", Container [server], Pod [web.frontend.v2.shop]")),
        "no reply sent by the server container: {}",
        out.stdout
    );

    // The file reads back with the same lines.
    let back = Command::new(ptcpdump_bin())
        .args(["-n", "-r", &file])
        .output()
        .unwrap();
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&back.stdout), out.stdout);

    // -v: the container and Pod metadata lines, from the file and live.
    let pod_line = format!(
        "    Pod (name web.frontend.v2, namespace shop, UID {uid_shop}, labels {{\"app\":\"web\",\"tier\":\"frontend\"}}, annotations {{\"ctit/note\":\"pods-it\"}})"
    );
    let v = Command::new(ptcpdump_bin())
        .args(["-n", "-v", "-r", &file])
        .output()
        .unwrap();
    let v = String::from_utf8_lossy(&v.stdout);
    assert!(v.lines().any(|l| l == pod_line), "{pod_line}\n{v}");
    assert!(!v.contains("namespace other"), "{v}");
    for name in ["client", "server"] {
        let want = format!(
            "    Container (name {name}, id {}, image ctit.local/busybox:1, labels {{",
            shop.container_id(name)
        );
        assert!(v.lines().any(|l| l.starts_with(&want)), "{want}\n{v}");
    }
    let live = ptcpdump(&["--netns any -i any -l -n -v -c 4 --pod-name web.frontend.v2.shop tcp"]);
    assert!(
        live.stdout.lines().filter(|l| *l == pod_line).count() == 4,
        "{pod_line}\n{}",
        live.stdout
    );

    let _ = std::fs::remove_file(&file);
    drop(other);
    // Removing the Pod through CRI also ran CNI DEL: its network namespace is gone.
    let shop_ns = shop.pause_pid;
    drop(shop);
    let gone = Instant::now();
    while std::path::Path::new(&format!("/proc/{shop_ns}/ns/net")).exists()
        && gone.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !std::path::Path::new(&format!("/proc/{shop_ns}")).exists(),
        "the Pod's pause process still runs after cri_pod rm"
    );
}

/// A Pod's client fetching from a server on the host (issue 14.2): under `--pod-name` every
/// line, `-v` block and pcapng comment names the Pod's process, never the host's server.
#[test]
fn pod_filter_names_the_pod_not_its_host_peer() {
    if !enabled("pod_filter_names_the_pod_not_its_host_peer") {
        return;
    }
    assert!(
        std::path::Path::new("/run/containerd/containerd.sock").exists(),
        "containerd is not running: run tests/containers/ct-up.sh first"
    );
    let port = 19000 + (std::process::id() % 1000) as u16;
    // The host's server on the CNI bridge's address (tests/containers/ct-up.sh: 198.18.1.1).
    let _server = Bg::spawn(&format!(
        "python3 -c \"
import http.server, socketserver
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')
    def log_message(self, *a): pass
socketserver.TCPServer.allow_reuse_address = True
socketserver.TCPServer(('198.18.1.1', {port}), H).serve_forever()
\""
    ));
    let tag = std::process::id();
    let uid = format!("5e0c1d2a-7a33-4c2b-9a77-{tag:012x}");
    let client = format!(
        "client=while true; do wget -q -O /dev/null http://198.18.1.1:{port}/; sleep 0.3; done"
    );
    let pod = Pod::run(&["web.hostpeer", "shop", &uid, &client]);
    let file = format!("/tmp/{}.pcapng", unique("ptpodh"));
    let sel = "--pod-name web.hostpeer.shop";
    let want_end = ", Container [client], Pod [web.hostpeer.shop]";
    let out = ptcpdump(&[
        "-i any -l -n -c 30 --print -w",
        &file,
        sel,
        &format!("tcp port {port}"),
    ]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 30, "{}", out.stdout);
    for l in &lines {
        assert!(
            l.contains("Thread [wget.") && l.ends_with(want_end),
            "not the Pod's wget: {l}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!(" 198.18.1.1.{port} > "))),
        "no packet sent by the host's server: {}",
        out.stdout
    );
    let back = Command::new(ptcpdump_bin())
        .args(["-n", "-r", &file])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&back.stdout), out.stdout);
    let v = Command::new(ptcpdump_bin())
        .args(["-n", "-v", "-r", &file])
        .output()
        .unwrap();
    let v = String::from_utf8_lossy(&v.stdout).into_owned();
    let blocks: Vec<&str> = v.split("\n").collect();
    let starts: Vec<usize> = (0..blocks.len())
        .filter(|&i| !blocks[i].is_empty() && !blocks[i].starts_with(' '))
        .collect();
    assert_eq!(starts.len(), 30, "{v}");
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(blocks.len());
        let b = &blocks[s..end];
        assert!(
            b.iter()
                .any(|l| l.starts_with("    Pod (name web.hostpeer, namespace shop, "))
                && b.iter().any(|l| l.starts_with(&format!(
                    "    Container (name client, id {}, ",
                    pod.container_id("client")
                ))),
            "a block without the Pod and its container:\n{}",
            b.join("\n")
        );
    }
    let _ = std::fs::remove_file(&file);
}
