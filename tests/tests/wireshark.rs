//! The Wireshark plugin (issue 16, contrib/wireshark/ptcpdump.lua) under real tshark: a file in
//! the original ptcpdump's layout (built here with ptcpdump-pcap, comment for comment as the
//! original's internal/writer/pcapng.go formats them, also an early version's keys), peer
//! comments, and a live capture of ours in a test namespace; every value is checked against
//! what the packet was made with or the process that sent it, and against `ptcpdump -r`.
//! The file tests need tshark only; the live one needs root.
use std::{path::PathBuf, process::Command, thread, time::Duration};

use integration_tests::*;
use ptcpdump_pcap::{EpbOptions, InterfaceInfo, PcapngWriter, SectionInfo};

fn plugin() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../contrib/wireshark/ptcpdump.lua")
}

fn have_tshark(name: &str) -> bool {
    if !have("tshark") {
        eprintln!("skipping {name}: needs tshark");
        return false;
    }
    true
}

/// `tshark -X lua_script:ptcpdump.lua -r PATH [ARGS]`: its stdout lines; stderr must hold
/// nothing but tshark's note about running as root (a Lua error would show there).
fn tshark(path: &str, args: &[&str]) -> Vec<String> {
    let out = Command::new("tshark")
        .arg("-X")
        .arg(format!("lua_script:{}", plugin().display()))
        .args(["-n", "-r", path])
        .args(args)
        .output()
        .expect("run tshark");
    let err = String::from_utf8_lossy(&out.stderr);
    let complaints: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("Running as user"))
        .collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "tshark -r {path} {args:?}: {err}"
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// tshark's `-T fields` for packets matching `filter`, one Vec per packet.
fn fields(path: &str, filter: &str, names: &[&str]) -> Vec<Vec<String>> {
    let mut args = vec!["-Y", filter, "-T", "fields"];
    for n in names {
        args.extend(["-e", n]);
    }
    tshark(path, &args)
        .into_iter()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

struct TempFile(String);

impl TempFile {
    fn new(name: &str) -> TempFile {
        TempFile(format!("/tmp/ptcpdump-ws-{}-{name}", unique("f")))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// What one packet's process, parent, container and Pod are (the test's truth).
#[derive(Clone)]
struct Who {
    pid: u32,
    cmd: &'static str,
    args: &'static str,
    tid: Option<(u32, &'static str)>,
    uid: u32,
    parent: Option<(u32, &'static str, &'static str)>,
    container: Option<(&'static str, &'static str, &'static str)>,
    pod: Option<(&'static str, &'static str, &'static str)>,
}

/// The comments the original ptcpdump (v0.37, internal/writer/pcapng.go) writes for `w`: one
/// per group, in its order and with its keys.
fn original_comments(w: &Who) -> Vec<String> {
    let mut v = vec![format!("PID: {}\nCmd: {}\nArgs: {}", w.pid, w.cmd, w.args)];
    if let Some((tid, name)) = w.tid {
        v.push(format!("ThreadId: {tid}\nThreadName: {name}"));
    }
    v.push(format!("UserId: {}", w.uid));
    if let Some((pid, cmd, args)) = w.parent {
        v.push(format!(
            "ParentPID: {pid}\nParentCmd: {cmd}\nParentArgs: {args}"
        ));
    }
    if let Some((name, id, image)) = w.container {
        v.push(format!(
            "ContainerName: {name}\nContainerId: {id}\nContainerImage: {image}\nContainerLabels: {{\"io.kubernetes.pod.name\":\"x\"}}"
        ));
    }
    if let Some((name, ns, uid)) = w.pod {
        v.push(format!(
            "PodName: {name}\nPodNamespace: {ns}\nPodUID: {uid}\nPodLabels: {{\"run\":\"{name}\"}}\nPodAnnotations: {{}}"
        ));
    }
    v
}

/// An Ethernet + IPv4 + UDP frame from 198.18.0.1:`sport` to 198.18.0.2:53.
fn frame(sport: u16) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
    let mut ip = vec![
        0x45, 0, 0, 32, 0, 1, 0x40, 0, 64, 17, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2,
    ];
    let sum = !ip
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .fold(0u32, |a, b| {
            let s = a + b;
            (s & 0xffff) + (s >> 16)
        }) as u16;
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    f.extend_from_slice(&ip);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&[0, 53, 0, 12, 0, 0, b'p', b't', b'c', b'p']);
    f
}

/// A file as the original ptcpdump lays it out: its section header, the dummy interface 0,
/// `lo` with the original's interface comment, then one packet per entry (no comments for
/// `None`, the given ones otherwise).
fn original_file(path: &str, packets: &[Option<Vec<String>>]) {
    let f = std::fs::File::create(path).unwrap();
    let mut w = PcapngWriter::new(
        f,
        &SectionInfo {
            hardware: "amd64".into(),
            os: "linux".into(),
            application: "ptcpdump v0.37.0".into(),
            comment: Some("ptcpdump: https://github.com/mozillazg/ptcpdump".into()),
        },
    )
    .unwrap();
    for (name, comment) in [
        ("dummy-0", None),
        (
            "lo",
            Some("ifIndex: 1, netNsInode: 4026531840, netNsPath: /proc/self/ns/net"),
        ),
    ] {
        w.add_interface(&InterfaceInfo {
            linktype: 1,
            snaplen: 65535,
            name: name.into(),
            description: None,
            filter: Some("udp".into()),
            os: Some("linux".into()),
            comment: comment.map(str::to_string),
        })
        .unwrap();
    }
    for (i, comments) in packets.iter().enumerate() {
        let data = frame(40000 + i as u16);
        let refs: Vec<&str> = comments.iter().flatten().map(String::as_str).collect();
        w.write_packet(
            1,
            1_700_000_000_000_000_000 + i as u64 * 1000,
            &data,
            data.len() as u32,
            &EpbOptions {
                flags: Some(2),
                comments: &refs,
                ..Default::default()
            },
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn curl() -> Who {
    Who {
        pid: 4242,
        cmd: "/usr/bin/curl",
        args: "curl -s http://198.18.0.2/",
        tid: Some((4243, "curl-worker")),
        uid: 1000,
        parent: Some((4200, "/bin/bash", "bash -l")),
        container: Some((
            "web",
            "d9028334568b4a0c6e2f0a8d4c3b9e95d9028334568b4a0c6e2f0a8d4c3b9e95",
            "docker.io/library/alpine:3.18",
        )),
        pod: Some(("web-0", "shop", "9e4bc54b-de48-4b1c-8b9e-54709f67ed0c")),
    }
}

fn wget() -> Who {
    Who {
        pid: 77,
        cmd: "/bin/busybox",
        args: "wget -q -O - http://198.18.0.2/",
        tid: None,
        uid: 0,
        parent: None,
        container: None,
        pod: None,
    }
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap()
}

#[test]
fn original_ptcpdump_file_becomes_fields() {
    if !have_tshark("original_ptcpdump_file_becomes_fields") {
        return;
    }
    let file = TempFile::new("orig.pcapng");
    let (c, w) = (curl(), wget());
    // Packets 1, 3: curl; 2: wget; 4: nothing known; 5: an early original's keys.
    let early = vec![
        format!("PID: 31\nCommand: /usr/sbin/sshd\nArgs: sshd: root@pts/0"),
        "UserId: 0\nGroupId: 50".to_string(),
    ];
    original_file(
        &file.0,
        &[
            Some(original_comments(&c)),
            Some(original_comments(&w)),
            Some(original_comments(&c)),
            None,
            Some(early),
        ],
    );
    let names = [
        "frame.number",
        "ptcpdump.comm",
        "ptcpdump.cmd",
        "ptcpdump.args",
        "ptcpdump.tid",
        "ptcpdump.tname",
        "ptcpdump.uid",
        "ptcpdump.ppid",
        "ptcpdump.pcomm",
        "ptcpdump.pargs",
        "ptcpdump.container.id",
        "ptcpdump.container.name",
        "ptcpdump.container.image",
        "ptcpdump.pod.name",
        "ptcpdump.pod.namespace",
        "ptcpdump.pod.uid",
    ];
    let got = fields(&file.0, &format!("ptcpdump.pid == {}", c.pid), &names);
    let (parent, container, pod) = (c.parent.unwrap(), c.container.unwrap(), c.pod.unwrap());
    let tid = c.tid.unwrap();
    for (n, row) in ["1", "3"].iter().zip(&got) {
        let want = [
            n.to_string(),
            base(c.cmd).to_string(),
            c.cmd.to_string(),
            c.args.to_string(),
            tid.0.to_string(),
            tid.1.to_string(),
            c.uid.to_string(),
            parent.0.to_string(),
            base(parent.1).to_string(),
            parent.2.to_string(),
            container.1.to_string(),
            container.0.to_string(),
            container.2.to_string(),
            pod.0.to_string(),
            pod.1.to_string(),
            pod.2.to_string(),
        ];
        assert_eq!(row, &want);
    }
    assert_eq!(got.len(), 2, "{got:?}");

    // Fields combine in filters like any other; a process without parent or Pod has none.
    let by_pod = fields(
        &file.0,
        r#"ptcpdump.pod.name == "web-0" && ptcpdump.pod.namespace == "shop""#,
        &["frame.number"],
    );
    assert_eq!(by_pod, [["1"], ["3"]]);
    let busybox = fields(
        &file.0,
        r#"ptcpdump.comm == "busybox""#,
        &[
            "ptcpdump.pid",
            "ptcpdump.args",
            "ptcpdump.ppid",
            "ptcpdump.pod.name",
        ],
    );
    assert_eq!(
        busybox,
        [vec![
            w.pid.to_string(),
            w.args.into(),
            String::new(),
            String::new()
        ]]
    );
    assert_eq!(fields(&file.0, "!ptcpdump", &["frame.number"]), [["4"]]);
    // The early original's "Command" key and its group id.
    assert_eq!(
        fields(
            &file.0,
            "ptcpdump.pid == 31",
            &[
                "ptcpdump.comm",
                "ptcpdump.cmd",
                "ptcpdump.args",
                "ptcpdump.gid"
            ]
        ),
        [["sshd", "/usr/sbin/sshd", "sshd: root@pts/0", "50"]]
    );

    // As columns (what a Wireshark profile's column preferences hold).
    let cols = tshark(
        &file.0,
        &[
            "-o",
            r#"gui.column.format:"No.","%m","Process","%Cus:ptcpdump.process:0:R","Pod","%Cus:ptcpdump.pod.name:0:R""#,
        ],
    );
    let cols: Vec<Vec<&str>> = cols
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        cols,
        [
            vec!["1", "curl.4242", "web-0"],
            vec!["2", "busybox.77"],
            vec!["3", "curl.4242", "web-0"],
            vec!["4"],
            vec!["5", "sshd.31"],
        ]
    );

    // The "ptcpdump" tree of a packet, and ptcpdump -r naming the same processes.
    let tree = tshark(&file.0, &["-V", "-Y", "frame.number == 1"]).join("\n");
    assert!(
        tree.contains("\nptcpdump: curl.4242, container web, Pod web-0.shop\n"),
        "{tree}"
    );
    let ours = Command::new(ptcpdump_bin())
        .args(["-n", "-r", &file.0])
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&ours.stdout).into_owned();
    let procs: Vec<Option<&str>> = lines
        .lines()
        .map(|l| {
            ["curl.4242", "busybox.77", "sshd.31"]
                .into_iter()
                .find(|p| l.contains(&format!(" {p} Out ")))
        })
        .collect();
    assert_eq!(
        procs,
        [
            Some("curl.4242"),
            Some("busybox.77"),
            Some("curl.4242"),
            None,
            Some("sshd.31")
        ],
        "{lines}"
    );
}

#[test]
fn peer_comments_become_peer_fields() {
    if !have_tshark("peer_comments_become_peer_fields") {
        return;
    }
    let file = TempFile::new("peer.pcapng");
    let c = curl();
    let mut comments = original_comments(&wget());
    // The other local end, with the same keys prefixed by "Peer".
    comments.extend(original_comments(&c).iter().map(|g| {
        g.lines()
            .map(|l| format!("Peer{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    }));
    original_file(&file.0, &[Some(comments)]);
    let got = fields(
        &file.0,
        &format!("ptcpdump.peer.pid == {} && ptcpdump.pid == 77", c.pid),
        &[
            "ptcpdump.comm",
            "ptcpdump.peer.comm",
            "ptcpdump.peer.args",
            "ptcpdump.peer.tid",
            "ptcpdump.peer.ppid",
            "ptcpdump.peer.pcomm",
            "ptcpdump.peer.container.name",
            "ptcpdump.peer.pod.name",
            "ptcpdump.pod.name",
        ],
    );
    assert_eq!(
        got,
        [[
            "busybox", "curl", c.args, "4243", "4200", "bash", "web", "web-0", ""
        ]]
    );
}

/// The binary's name of a pid (what ptcpdump's comm is made of).
fn exe_name(pid: u32) -> String {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn live_capture_fields_name_the_process() {
    if !is_root() || !have_tshark("live_capture_fields_name_the_process") {
        eprintln!("skipping live_capture_fields_name_the_process: needs root and tshark");
        return;
    }
    let p = Pair::new();
    let file = TempFile::new("live.pcapng");
    let cap = Bg::spawn(&p.a.exec(&format!(
        "{} -i {} -w {} icmp",
        ptcpdump_bin().display(),
        p.a_if,
        file.0
    )));
    cap.wait_stderr("listening on", 10);
    thread::sleep(Duration::from_millis(200));
    // `sh -c exec ip netns exec ... ping`: ping keeps the pid Bg saw, and its parent is us.
    let ping = Bg::spawn(&p.a.exec(&format!("ping -c 3 -i 0.2 -W 2 {}", p.b_ip)));
    let pid = ping.pid();
    let args = format!("ping -c 3 -i 0.2 -W 2 {}", p.b_ip);
    let ping = ping.wait(10);
    assert!(ping.status.success(), "{}", ping.stderr);
    thread::sleep(Duration::from_millis(300));
    let cap = cap.stop();
    assert!(cap.status.success(), "{}", cap.stderr);

    let me = std::process::id();
    let got = fields(
        &file.0,
        &format!("ptcpdump.pid == {pid}"),
        &[
            "icmp.type",
            "ptcpdump.comm",
            "ptcpdump.args",
            "ptcpdump.uid",
            "ptcpdump.ppid",
            "ptcpdump.pcomm",
        ],
    );
    // Three requests out, three replies in, each named after ping.
    let types: Vec<&str> = got.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(types, ["8", "0", "8", "0", "8", "0"], "{got:?}");
    for row in &got {
        assert_eq!(
            row[1..],
            [
                "ping".to_string(),
                args.clone(),
                "0".into(),
                me.to_string(),
                exe_name(me)
            ]
        );
    }
    // Every packet of the file has a ptcpdump tree, and ptcpdump -r agrees on the process.
    let all = fields(&file.0, "ptcpdump", &["ptcpdump.process"]);
    assert_eq!(all.len(), 6);
    let ours = Command::new(ptcpdump_bin())
        .args(["-r", &file.0])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&ours.stdout);
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(&format!(" ping.{pid} ")))
            .count(),
        6,
        "{text}"
    );
}

#[test]
fn installed_plugin_is_found_by_tshark_without_options() {
    if !have_tshark("installed_plugin_is_found_by_tshark_without_options") {
        return;
    }
    // A user's home: `ptcpdump --install-wireshark-plugin` puts the plugin where Wireshark
    // looks for personal Lua plugins, and plain tshark then has the fields.
    let home = format!("/tmp/ptcpdump-ws-home-{}", unique("h"));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let out = Command::new(ptcpdump_bin())
        .arg("--install-wireshark-plugin")
        .env("HOME", &home)
        .env_remove("SUDO_USER")
        .output()
        .unwrap();
    let file = format!("{home}/.local/lib/wireshark/plugins/ptcpdump.lua");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("ptcpdump: Wireshark plugin installed: {file}\n")
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(plugin()).unwrap()
    );
    let capture = TempFile::new("home.pcapng");
    original_file(&capture.0, &[Some(original_comments(&curl()))]);
    let ts = Command::new("tshark")
        .args([
            "-n",
            "-r",
            &capture.0,
            "-T",
            "fields",
            "-e",
            "ptcpdump.process",
        ])
        .env("HOME", &home)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&home);
    assert_eq!(String::from_utf8_lossy(&ts.stdout), "curl.4242\n");
    // `=-` prints it, for a copy taken out of a container.
    let printed = Command::new(ptcpdump_bin())
        .arg("--install-wireshark-plugin=-")
        .output()
        .unwrap();
    assert_eq!(printed.stdout, std::fs::read(plugin()).unwrap());
}
