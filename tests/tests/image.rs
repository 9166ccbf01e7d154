//! The container image (issue 8): `scripts/image.sh` builds it offline, the original ptcpdump's
//! `docker run` command captures with it and names host processes and containers, and the
//! Kubernetes DaemonSet manifest in deploy/ has the fields a capture Pod needs.
//! The image tests need root and the dockerd of tests/containers/ct-up.sh (PTCPDUMP_CONTAINER_IT=1,
//! set by scripts/test.sh); the manifest test runs everywhere.
use std::{path::PathBuf, process::Command};

use integration_tests::*;

const DOCKER: &str = "/usr/bin/docker";
const IMAGE: &str = "ptcpdump:local";

/// The image tests add and remove veths; a capture on `-i any` that starts while another
/// test's veth disappears fails to attach to it. One at a time, also without --test-threads=1.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn enabled(name: &str) -> bool {
    if !is_root() || std::env::var("PTCPDUMP_CONTAINER_IT").as_deref() != Ok("1") {
        eprintln!(
            "skipping {name}: needs root and PTCPDUMP_CONTAINER_IT=1 (daemons from tests/containers/ct-up.sh)"
        );
        return false;
    }
    true
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the image from the binary under test; image.sh does nothing when it is up to date.
fn build_image() {
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/image.sh"))
        .env("IMAGE", IMAGE)
        .env("PTCPDUMP_BIN", ptcpdump_bin())
        .output()
        .expect("run scripts/image.sh");
    assert!(
        out.status.success(),
        "scripts/image.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A container removed on drop.
struct Ctr(String);

impl Drop for Ctr {
    fn drop(&mut self) {
        sh_quiet(&format!("{DOCKER} rm -f {} >/dev/null 2>&1", self.0));
    }
}

/// `docker run` of the image the way the original ptcpdump documents it. This VM's root lacks
/// CAP_SYS_RESOURCE, so runc refuses `--privileged` ("unable to apply caps"); then the same
/// run is repeated with every capability the machine has, no seccomp filter and no masked
/// /proc paths, which is what --privileged gives ptcpdump.
fn run_image(name: &str, args: &str, secs: u64) -> Finished {
    let common = format!(
        "--rm -t --name {name} --net=host --pid=host -v /sys/fs/cgroup:/sys/fs/cgroup:ro \
         -v /var/run/docker.sock:/var/run/docker.sock {IMAGE} ptcpdump {args}"
    );
    let out = Bg::spawn(&format!("{DOCKER} run --privileged {common}")).wait(secs);
    if out.status.success() || !out.stderr.contains("unable to apply caps") {
        return out;
    }
    eprintln!(
        "--privileged refused on this machine ({}); retrying with explicit capabilities",
        out.stderr.trim()
    );
    sh_quiet(&format!("{DOCKER} rm -f {name} >/dev/null 2>&1"));
    Bg::spawn(&format!(
        "{DOCKER} run --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
         --security-opt systempaths=unconfined {common}"
    ))
    .wait(secs)
}

#[test]
fn image_captures_host_processes_and_containers() {
    if !enabled("image_captures_host_processes_and_containers") {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    build_image();
    // ptcpdump inside the image runs the binary under test, stripped.
    let version = sh(&format!(
        "{DOCKER} run --rm {IMAGE} sh -c 'ptcpdump --version 2>&1' 2>/dev/null"
    ));
    let want = sh(&format!("{} --version 2>&1", ptcpdump_bin().display()));
    assert_eq!(version, want);

    // Host processes: a curl loop to a Python server on the host's docker0 address (both
    // ends on lo). Containers: a busybox wget loop to a busybox httpd container; on the host's
    // veths and docker0 both sockets live in other namespaces, so each packet is named after
    // its sender's container.
    let port = 20000 + std::process::id() % 10000;
    let server = Bg::spawn(&format!(
        "python3 -m http.server {port} --bind 198.18.0.1 --directory /tmp"
    ));
    sh(&format!(
        "for i in $(seq 1 50); do python3 -c 'import socket; socket.create_connection((\"198.18.0.1\", {port}), 0.2)' 2>/dev/null && exit 0; sleep 0.1; done; exit 1"
    ));
    let _curl = Bg::spawn(&format!(
        "sh -c 'while true; do curl -s -o /dev/null http://198.18.0.1:{port}/; sleep 0.2; done'"
    ));
    let sname = unique("ptimgs");
    sh(&format!(
        "{DOCKER} run -d --name {sname} ctit.local/busybox:1 httpd -f -p 8080 -h /www >/dev/null 2>&1"
    ));
    let _s = Ctr(sname.clone());
    let sip = sh(&format!(
        "{DOCKER} inspect -f '{{{{.NetworkSettings.IPAddress}}}}' {sname}"
    ))
    .trim()
    .to_string();
    let wname = unique("ptimgw");
    sh(&format!(
        "{DOCKER} run -d --name {wname} ctit.local/busybox:1 sh -c 'while true; do wget -q -O /dev/null http://{sip}:8080/; sleep 0.2; done' >/dev/null 2>&1"
    ));
    let _w = Ctr(wname.clone());
    let pname = unique("ptimgp");
    let _p = Ctr(pname.clone());

    let out = run_image(
        &pname,
        &format!("-i any -n -c 80 'tcp[tcpflags] & tcp-syn != 0 and (port {port} or port 8080)'"),
        90,
    );
    drop(server);
    assert!(out.status.success(), "{}\n{}", out.stdout, out.stderr);
    // -t gives the container a terminal: lines end in \r\n, and stderr comes through stdout.
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| ptcpdump_text(l).is_some())
        .collect();
    assert_eq!(lines.len(), 80, "{}", out.stdout);
    assert!(out.stdout.contains("80 packets captured"), "{}", out.stdout);
    for l in &lines {
        let (_, text) = ptcpdump_text(l).unwrap();
        assert!(
            text.starts_with("IP 198.18.") && text.contains(": Flags ["),
            "not a tcpdump TCP line: {l}"
        );
        assert!(
            text.contains(&format!(".{port}")) || text.contains(".8080"),
            "other port: {l}"
        );
    }
    assert!(
        lines.iter().any(
            |l| l.contains(" curl.") && l.contains(&format!(" > 198.18.0.1.{port}: Flags [S]"))
        ),
        "no SYN of the host's curl: {}",
        out.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(" python3") && l.contains("Flags [S.]")),
        "no line of the host's python server: {}",
        out.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Thread [wget.") && l.contains(&format!(", Container [{wname}]"))),
        "no line of the container's wget with its container: {}",
        out.stdout
    );
}

/// The DaemonSet manifest, as python3's YAML parser (Debian python3-yaml) reads it.
fn manifest_json() -> Option<String> {
    let path = repo_root().join("deploy/ptcpdump-daemonset.yaml");
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))",
        ])
        .arg(&path)
        .output()
        .ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("No module named 'yaml'"),
            "{} does not parse: {err}",
            path.display()
        );
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn daemonset_manifest_has_what_a_capture_pod_needs() {
    let path = repo_root().join("deploy/ptcpdump-daemonset.yaml");
    let text = std::fs::read_to_string(&path).expect("read deploy/ptcpdump-daemonset.yaml");
    let Some(json) = manifest_json() else {
        // No PyYAML: the structural checks below run on the text alone.
        eprintln!("python3-yaml missing: checking the manifest's text only");
        for key in [
            "kind: DaemonSet",
            "hostNetwork: true",
            "hostPID: true",
            "privileged: true",
        ] {
            assert!(text.contains(key), "{key} missing");
        }
        return;
    };
    // Check the parsed document with python: exact paths, not substrings.
    let check = r#"
import json, sys
docs = [d for d in json.loads(sys.stdin.read()) if d]
ds = [d for d in docs if d.get("kind") == "DaemonSet"]
assert len(ds) == 1, "one DaemonSet expected, got %r" % [d.get("kind") for d in docs]
ds = ds[0]
assert ds["apiVersion"] == "apps/v1", ds["apiVersion"]
sel = ds["spec"]["selector"]["matchLabels"]
tpl = ds["spec"]["template"]
labels = tpl["metadata"]["labels"]
assert all(labels.get(k) == v for k, v in sel.items()), "selector does not match the template"
pod = tpl["spec"]
assert pod.get("hostNetwork") is True, "hostNetwork"
assert pod.get("hostPID") is True, "hostPID"
c = [c for c in pod["containers"] if c["name"] == "ptcpdump"]
assert len(c) == 1, "container ptcpdump"
c = c[0]
assert c["securityContext"]["privileged"] is True, "privileged"
cmd = c.get("command", []) + c.get("args", [])
assert "sleep" in " ".join(cmd) and "infinity" in " ".join(cmd), "long-running sleep: %r" % cmd
vols = {v["name"]: v for v in pod["volumes"]}
mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
def host(path):
    for name, v in vols.items():
        if v.get("hostPath", {}).get("path") == path:
            return name
    raise AssertionError("no hostPath volume for " + path)
for path, at in [("/sys/fs/cgroup", "/sys/fs/cgroup"), ("/sys/kernel/btf", "/sys/kernel/btf"),
                 ("/run/containerd", "/run/containerd"),
                 ("/var/run/docker.sock", "/var/run/docker.sock")]:
    assert mounts.get(at) == host(path), "%s must be mounted at %s" % (path, at)
for m in c["volumeMounts"]:
    assert m["name"] in vols, "mount of an undeclared volume " + m["name"]
print("ok")
"#;
    let mut child = Command::new("python3")
        .args(["-c", check])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok",
        "manifest check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--privileged`, or on a machine whose root lacks CAP_SYS_RESOURCE (runc: "unable to apply
/// caps"), the flags that give ptcpdump the same: all capabilities it has, no seccomp filter,
/// no masked /proc paths.
fn privileged_flags() -> &'static str {
    let out = Command::new(DOCKER)
        .args(["run", "--rm", "--privileged", IMAGE, "true"])
        .output()
        .expect("docker run");
    if out.status.success() {
        return "--privileged";
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unable to apply caps"), "{err}");
    "--cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined --security-opt systempaths=unconfined"
}

/// The Wireshark plugin (issue 16) is in the image, where Debian's tshark looks for Lua
/// plugins, and the image's ptcpdump prints the same plugin for a copy taken out of it.
#[test]
fn image_carries_the_wireshark_plugin() {
    if !enabled("image_carries_the_wireshark_plugin") {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    build_image();
    let want = std::fs::read_to_string(repo_root().join("contrib/wireshark/ptcpdump.lua")).unwrap();
    let installed = sh(&format!(
        "{DOCKER} run --rm {IMAGE} sh -c 'cat /usr/lib/$(uname -m)-linux-gnu/wireshark/plugins/ptcpdump.lua'"
    ));
    assert_eq!(installed, want);
    let printed = sh(&format!(
        "{DOCKER} run --rm {IMAGE} ptcpdump --install-wireshark-plugin=-"
    ));
    assert_eq!(printed, want);
}

/// The DaemonSet's way of working, with Docker in place of kubelet: an idle privileged ptcpdump
/// container on the host's network and PIDs, a capture of one container started with `exec`
/// into a pcapng file inside it, the file copied out with `cp` and read on the host.
#[test]
fn image_exec_capture_to_file_and_copy_out() {
    if !enabled("image_exec_capture_to_file_and_copy_out") {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    build_image();
    let sname = unique("ptimes");
    sh(&format!(
        "{DOCKER} run -d --name {sname} ctit.local/busybox:1 httpd -f -p 8080 -h /www >/dev/null 2>&1"
    ));
    let _s = Ctr(sname.clone());
    let ip = |n: &str| {
        sh(&format!(
            "{DOCKER} inspect -f '{{{{.NetworkSettings.IPAddress}}}}' {n}"
        ))
        .trim()
        .to_string()
    };
    let sip = ip(&sname);
    let loop_cmd =
        format!("while true; do wget -q -O /dev/null http://{sip}:8080/; sleep 0.2; done");
    let (wname, oname) = (unique("ptimew"), unique("ptimeo"));
    for n in [&wname, &oname] {
        sh(&format!(
            "{DOCKER} run -d --name {n} ctit.local/busybox:1 sh -c '{loop_cmd}' >/dev/null 2>&1"
        ));
    }
    let (_w, _o) = (Ctr(wname.clone()), Ctr(oname.clone()));
    let (wip, oip) = (ip(&wname), ip(&oname));
    let dname = unique("ptimed");
    sh(&format!(
        "{DOCKER} run -d --name {dname} {} --net=host --pid=host -v /sys/fs/cgroup:/sys/fs/cgroup:ro \
         -v /var/run/docker.sock:/var/run/docker.sock {IMAGE} sleep infinity >/dev/null 2>&1",
        privileged_flags()
    ));
    let _d = Ctr(dname.clone());
    let out = Bg::spawn(&format!(
        "{DOCKER} exec {dname} timeout -s INT 60 ptcpdump -i any -c 20 --container-name {wname} -w /tmp/x.pcapng tcp"
    ))
    .wait(90);
    assert!(out.status.success(), "{}\n{}", out.stdout, out.stderr);
    let file = format!("/tmp/{}.pcapng", unique("ptime"));
    sh(&format!("{DOCKER} cp {dname}:/tmp/x.pcapng {file}"));
    let back = Command::new(ptcpdump_bin())
        .args(["-n", "-r", &file])
        .output()
        .expect("ptcpdump -r");
    let _ = std::fs::remove_file(&file);
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    let text = String::from_utf8_lossy(&back.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 20, "{text}");
    for l in &lines {
        assert!(
            l.contains(&format!(" {wip}.")),
            "not {wname}'s traffic: {l}"
        );
        assert!(!l.contains(&format!(" {oip}.")), "{oname}'s traffic: {l}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Thread [wget.") && l.contains(&format!(", Container [{wname}]"))),
        "no line of the selected container's wget: {text}"
    );
}

/// A Pod made through CRI by `cri_pod run`: (sandbox id, Pod IP); removed on drop.
struct Pod(String, String);

impl Pod {
    fn run(args: &[&str]) -> Pod {
        let out = Command::new(cri_pod_bin())
            .arg("run")
            .args(args)
            .output()
            .expect("run cri_pod");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|r| r.split(' ').next())
                .unwrap_or("")
                .to_string()
        };
        let pod = Pod(field("pod "), field("ip "));
        assert!(
            out.status.success() && !pod.0.is_empty() && !pod.1.is_empty(),
            "cri_pod run {args:?}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        pod
    }
}

impl Drop for Pod {
    fn drop(&mut self) {
        let _ = Command::new(cri_pod_bin()).args(["rm", &self.0]).output();
    }
}

/// docs/kubernetes.md's per-Pod capture, with the DaemonSet's host mounts (cgroupfs, BTF,
/// /run/containerd, the Docker socket) and containerd's CRI in place of kubelet: `exec` of
/// `ptcpdump -i any --pod-name NAME.NS -w FILE` in the idle container, `cp` of the file.
#[test]
fn image_pod_capture_with_daemonset_mounts() {
    if !enabled("image_pod_capture_with_daemonset_mounts") {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    build_image();
    let tag = std::process::id();
    let web = Pod::run(&[
        "imgweb",
        "imgit",
        &format!("6a0c1d2a-7a11-4c2b-9a77-{tag:012x}"),
        "server=httpd -f -p 8080 -h /www",
    ]);
    let loop_cmd = format!(
        "client=while true; do wget -q -O /dev/null http://{}:8080/; sleep 0.2; done",
        web.1
    );
    let _cli = Pod::run(&[
        "imgcli",
        "imgit",
        &format!("6a0c1d2a-7a22-4c2b-9a77-{tag:012x}"),
        &loop_cmd,
    ]);
    let dname = unique("ptimek");
    sh(&format!(
        "{DOCKER} run -d --name {dname} {} --net=host --pid=host -v /sys/fs/cgroup:/sys/fs/cgroup:ro \
         -v /sys/kernel/btf:/sys/kernel/btf:ro -v /run/containerd:/run/containerd \
         -v /var/run/docker.sock:/var/run/docker.sock {IMAGE} sleep infinity >/dev/null 2>&1",
        privileged_flags()
    ));
    let _d = Ctr(dname.clone());
    let out = Bg::spawn(&format!(
        "{DOCKER} exec {dname} timeout -s INT 60 ptcpdump -i any -c 20 --pod-name imgweb.imgit -w /tmp/web.pcapng tcp"
    ))
    .wait(90);
    assert!(out.status.success(), "{}\n{}", out.stdout, out.stderr);
    let file = format!("/tmp/{}.pcapng", unique("ptimk"));
    sh(&format!("{DOCKER} cp {dname}:/tmp/web.pcapng {file}"));
    let back = Command::new(ptcpdump_bin())
        .args(["-n", "-r", &file])
        .output()
        .expect("ptcpdump -r");
    let _ = std::fs::remove_file(&file);
    let text = String::from_utf8_lossy(&back.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 20, "{text}");
    for l in &lines {
        assert!(
            l.contains(&format!(" {}.8080", web.1)),
            "not the Pod's traffic: {l}"
        );
    }
    // On the host's veths and bridge each packet is named after its sender: the replies are
    // the server container's, in Pod imgweb.imgit.
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!(" IP {}.8080 > ", web.1))
                && l.ends_with(", Container [server], Pod [imgweb.imgit]")),
        "no reply named after the Pod's server: {text}"
    );
}
