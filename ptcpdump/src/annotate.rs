//! What ptcpdump adds to tcpdump's text for one packet: interface, direction, and for each local
//! end (the one the packet is named after, and the other one when it is a local socket too)
//! process, thread, user, parent, container and Pod; rendered as the original ptcpdump renders
//! them, and carried in pcapng as comments in its key format (`PID: ...`, `Cmd: ...`; the other
//! end's keys start with `Peer`), so that a file read back with `-r` prints what the live
//! capture printed.
//!
//! Every string from a process, a runtime or a file is [`Text`]: printed in its escaped form
//! (see `ptcpdump_meta::text`), which is computed once per process or container, not per packet.
use std::{fmt::Write as _, sync::Arc};

use ptcpdump_meta::text::{self, Text};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "In",
            Direction::Out => "Out",
        }
    }

    /// pcapng `epb_flags` bits 0-1.
    pub fn epb_flags(self) -> u32 {
        match self {
            Direction::In => 1,
            Direction::Out => 2,
        }
    }

    pub fn from_epb_flags(flags: u32) -> Option<Self> {
        match flags & 3 {
            1 => Some(Direction::In),
            2 => Some(Direction::Out),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProcessInfo {
    pub pid: u32,
    /// Path of the executed file (stored form, see `ptcpdump_meta::text`).
    pub cmd: String,
    pub args: Vec<String>,
    pub cmd_truncated: bool,
    pub args_truncated: bool,
    shown: ShownProcess,
}

/// The printed forms of a process, escaped once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ShownProcess {
    comm: String,
    cmd: String,
    args: String,
}

impl ProcessInfo {
    pub fn new(
        pid: u32,
        cmd: String,
        args: Vec<String>,
        cmd_truncated: bool,
        args_truncated: bool,
    ) -> Self {
        let mut p = ProcessInfo {
            pid,
            cmd,
            args,
            cmd_truncated,
            args_truncated,
            shown: ShownProcess::default(),
        };
        p.shown = ShownProcess {
            comm: text::shown(&p.comm()).into_owned(),
            cmd: text::shown(&p.cmd_text()).into_owned(),
            args: text::shown(&p.args_text()).into_owned(),
        };
        p
    }

    /// Base name of the executed file (of argv[0] when the file is /dev/fd/N, as for fexecve,
    /// or unknown).
    pub fn comm(&self) -> String {
        let argv0 = self.args.first().map(String::as_str);
        match argv0 {
            Some(a) if self.cmd.is_empty() => ptcpdump_meta::process::comm_for_exec(a, None),
            _ => ptcpdump_meta::process::comm_for_exec(&self.cmd, argv0),
        }
    }

    /// The file name, `...` when it was cut.
    pub fn cmd_text(&self) -> String {
        let mut s = self.cmd.clone();
        if self.cmd_truncated {
            s.push_str("...");
        }
        s
    }

    /// Arguments joined by spaces, `...` when they were cut.
    pub fn args_text(&self) -> String {
        let mut s = self.args.join(" ");
        if self.args_truncated {
            s.push_str("...");
        }
        s
    }

    pub fn shown_comm(&self) -> &str {
        &self.shown.comm
    }

    pub fn shown_cmd(&self) -> &str {
        &self.shown.cmd
    }

    pub fn shown_args(&self) -> &str {
        &self.shown.args
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Thread {
    pub tid: u32,
    pub name: Text,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerView {
    pub name: Text,
    pub id: Text,
    pub image: Text,
    /// Labels as compact JSON (`{}` when none).
    pub labels: Text,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodView {
    pub name: Text,
    pub namespace: Text,
    pub uid: Text,
    pub labels: Text,
    pub annotations: Text,
}

/// Which parts to show and store (`--context`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    pub process: bool,
    pub thread: bool,
    pub parent: bool,
    pub user: bool,
    pub container: bool,
    pub pod: bool,
    /// The other local end: `-v` lines and file comments.
    pub peer: bool,
    /// The other local end on the default line too (only when `peer` is listed).
    pub peer_line: bool,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            process: true,
            thread: true,
            parent: true,
            user: true,
            container: true,
            pod: true,
            peer: true,
            peer_line: false,
        }
    }
}

impl Context {
    pub fn parse(list: &[String]) -> anyhow::Result<Self> {
        if list.is_empty() {
            return Ok(Context::default());
        }
        let mut c = Context {
            process: false,
            thread: false,
            parent: false,
            user: false,
            container: false,
            pod: false,
            peer: false,
            peer_line: false,
        };
        for item in list {
            match item.trim() {
                "process" => c.process = true,
                "thread" => c.thread = true,
                "parentproc" => c.parent = true,
                "user" => c.user = true,
                "container" => c.container = true,
                "pod" => c.pod = true,
                "peer" => {
                    c.peer = true;
                    c.peer_line = true;
                }
                other => anyhow::bail!(
                    "invalid --context value {other:?}: expected process, thread, parentproc, user, container, pod or peer"
                ),
            }
        }
        Ok(c)
    }
}

/// What is known about one local end of a packet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct End {
    pub process: Option<Arc<ProcessInfo>>,
    pub thread: Option<Thread>,
    pub uid: Option<u32>,
    pub parent: Option<Arc<ProcessInfo>>,
    pub container: Option<Arc<ContainerView>>,
    pub pod: Option<Arc<PodView>>,
}

impl End {
    /// The `-v` lines of this end (`prefix` is "" or "Peer").
    fn verbose_parts(&self, ctx: &Context, prefix: &str, parts: &mut Vec<String>) {
        let process = self.process.as_ref().filter(|_| {
            if prefix.is_empty() {
                ctx.process
            } else {
                ctx.peer
            }
        });
        if let Some(p) = process {
            parts.push(format!(
                "{prefix}Process (pid {}, cmd {}, args {})",
                p.pid,
                p.shown_cmd(),
                p.shown_args()
            ));
            if ctx.thread
                && let Some(t) = &self.thread
            {
                parts.push(format!(
                    "{prefix}Thread (tid {}, name {})",
                    t.tid,
                    t.name.shown()
                ));
            }
            if ctx.user
                && let Some(uid) = self.uid
            {
                parts.push(format!("{prefix}User (uid {uid})"));
            }
            if ctx.parent
                && let Some(pp) = &self.parent
            {
                parts.push(format!(
                    "{prefix}ParentProc (pid {}, cmd {}, args {})",
                    pp.pid,
                    pp.shown_cmd(),
                    pp.shown_args()
                ));
            }
        }
        if !prefix.is_empty() && process.is_none() {
            return;
        }
        if ctx.container
            && let Some(c) = &self.container
        {
            parts.push(format!(
                "{prefix}Container (name {}, id {}, image {}, labels {})",
                c.name.shown(),
                c.id.shown(),
                c.image.shown(),
                c.labels.shown()
            ));
        }
        if ctx.pod
            && let Some(p) = &self.pod
        {
            parts.push(format!(
                "{prefix}Pod (name {}, namespace {}, UID {}, labels {}, annotations {})",
                p.name.shown(),
                p.namespace.shown(),
                p.uid.shown(),
                p.labels.shown(),
                p.annotations.shown()
            ));
        }
    }

    /// pcapng comments of this end, one per group (`prefix` is "" or "Peer").
    fn comments(&self, ctx: &Context, prefix: &str, v: &mut Vec<String>) {
        let c = |s: &str| text::comment_value(s).into_owned();
        let process = self.process.as_ref().filter(|_| {
            if prefix.is_empty() {
                ctx.process
            } else {
                ctx.peer
            }
        });
        if let Some(p) = process {
            v.push(format!(
                "{prefix}PID: {}\n{prefix}Cmd: {}\n{prefix}Args: {}",
                p.pid,
                c(&p.cmd_text()),
                c(&p.args_text())
            ));
            if ctx.thread
                && let Some(t) = &self.thread
            {
                v.push(format!(
                    "{prefix}ThreadId: {}\n{prefix}ThreadName: {}",
                    t.tid,
                    c(t.name.as_str())
                ));
            }
            if ctx.user
                && let Some(uid) = self.uid
            {
                v.push(format!("{prefix}UserId: {uid}"));
            }
            if ctx.parent
                && let Some(pp) = &self.parent
            {
                v.push(format!(
                    "{prefix}ParentPID: {}\n{prefix}ParentCmd: {}\n{prefix}ParentArgs: {}",
                    pp.pid,
                    c(&pp.cmd_text()),
                    c(&pp.args_text())
                ));
            }
        }
        if !prefix.is_empty() && process.is_none() {
            return;
        }
        if ctx.container
            && let Some(k) = &self.container
        {
            v.push(format!(
                "{prefix}ContainerName: {}\n{prefix}ContainerId: {}\n{prefix}ContainerImage: {}\n{prefix}ContainerLabels: {}",
                c(k.name.as_str()),
                c(k.id.as_str()),
                c(k.image.as_str()),
                c(k.labels.as_str())
            ));
        }
        if ctx.pod
            && let Some(p) = &self.pod
        {
            v.push(format!(
                "{prefix}PodName: {}\n{prefix}PodNamespace: {}\n{prefix}PodUID: {}\n{prefix}PodLabels: {}\n{prefix}PodAnnotations: {}",
                c(p.name.as_str()),
                c(p.namespace.as_str()),
                c(p.uid.as_str()),
                c(p.labels.as_str()),
                c(p.annotations.as_str())
            ));
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotation {
    pub ifname: Option<String>,
    pub direction: Option<Direction>,
    /// The end the packet is named after.
    pub owner: End,
    /// The other end, when it is a local socket too.
    pub peer: End,
}

/// The three places ptcpdump's text goes (see `ptcpdump_print::PacketInfo`).
#[derive(Default, Debug)]
pub struct Rendered {
    pub prefix: String,
    pub suffix: String,
    pub extra: String,
}

impl Rendered {
    pub fn clear(&mut self) {
        self.prefix.clear();
        self.suffix.clear();
        self.extra.clear();
    }
}

impl Annotation {
    pub fn render(&self, verbose: bool, oneline: bool, ctx: &Context, out: &mut Rendered) {
        out.clear();
        if let Some(ifname) = &self.ifname {
            text::escape_into(&mut out.prefix, ifname);
            out.prefix.push(' ');
        }
        let o = &self.owner;
        let process = o.process.as_ref().filter(|_| ctx.process);
        if !verbose && let Some(p) = process {
            let _ = write!(out.prefix, "{}.{} ", p.shown_comm(), p.pid);
        }
        if let Some(d) = self.direction {
            out.prefix.push_str(d.as_str());
            out.prefix.push(' ');
        }
        if verbose {
            let mut parts: Vec<String> = Vec::new();
            o.verbose_parts(ctx, "", &mut parts);
            if ctx.peer {
                self.peer.verbose_parts(ctx, "Peer", &mut parts);
            }
            if oneline {
                for p in parts {
                    out.suffix.push_str(", ");
                    out.suffix.push_str(&p);
                }
            } else {
                for p in parts {
                    out.extra.push_str("    ");
                    out.extra.push_str(&p);
                    out.extra.push('\n');
                }
            }
            return;
        }
        if process.is_some() {
            if ctx.thread
                && let Some(t) = &o.thread
            {
                let _ = write!(out.suffix, ", Thread [{}.{}]", t.name.shown(), t.tid);
            }
            if ctx.parent
                && let Some(pp) = &o.parent
            {
                let _ = write!(out.suffix, ", ParentProc [{}.{}]", pp.shown_comm(), pp.pid);
            }
        }
        if ctx.container
            && let Some(c) = &o.container
        {
            let _ = write!(out.suffix, ", Container [{}]", c.name.shown());
        }
        if ctx.pod
            && let Some(p) = &o.pod
        {
            let _ = write!(
                out.suffix,
                ", Pod [{}.{}]",
                p.name.shown(),
                p.namespace.shown()
            );
        }
        // After everything about the named end, so that its Container and Pod parts are not
        // read as the peer's.
        if ctx.peer_line
            && let Some(p) = &self.peer.process
        {
            let _ = write!(out.suffix, ", Peer [{}.{}]", p.shown_comm(), p.pid);
        }
    }

    /// pcapng comments, one per group, in the original ptcpdump's key format; the other end's
    /// groups follow with every key prefixed by `Peer`.
    pub fn comments(&self, ctx: &Context) -> Vec<String> {
        let mut v = Vec::new();
        self.owner.comments(ctx, "", &mut v);
        if ctx.peer {
            self.peer.comments(ctx, "Peer", &mut v);
        }
        v
    }

    /// Rebuilds an annotation from what a pcapng packet carries. Comments that are not in the
    /// ptcpdump key format are ignored. Values are untrusted text (they are escaped when
    /// printed).
    pub fn from_packet(if_name: Option<&str>, flags: Option<u32>, comments: &[&str]) -> Self {
        let mut owner = EndBuilder::default();
        let mut peer = EndBuilder::default();
        for comment in comments {
            for line in comment.lines() {
                let Some((key, value)) = line
                    .split_once(": ")
                    .or_else(|| line.strip_suffix(':').map(|k| (k, "")))
                else {
                    continue;
                };
                match key.strip_prefix("Peer") {
                    Some(k) => peer.set(k, value),
                    None => owner.set(key, value),
                }
            }
        }
        Annotation {
            ifname: if_name.filter(|n| !n.is_empty()).map(str::to_owned),
            direction: flags.and_then(Direction::from_epb_flags),
            owner: owner.build(),
            peer: peer.build(),
        }
    }
}

/// One end's keys as read from comments.
#[derive(Default)]
struct EndBuilder {
    pid: Option<u32>,
    cmd: String,
    args: String,
    ppid: Option<u32>,
    pcmd: String,
    pargs: String,
    tid: Option<u32>,
    tname: String,
    uid: Option<u32>,
    container: Option<ContainerView>,
    pod: Option<PodView>,
}

impl EndBuilder {
    fn set(&mut self, key: &str, value: &str) {
        let container = || ContainerView::default();
        let pod = || PodView::default();
        match key {
            "PID" => self.pid = value.parse().ok().or(self.pid),
            "Cmd" | "Command" => self.cmd = value.to_owned(),
            "Args" => self.args = value.to_owned(),
            "ThreadId" | "TID" => self.tid = value.parse().ok(),
            "ThreadName" => self.tname = value.to_owned(),
            "UserId" => self.uid = value.parse().ok(),
            "ParentPID" => self.ppid = value.parse().ok().or(self.ppid),
            "ParentCmd" | "ParentCommand" => self.pcmd = value.to_owned(),
            "ParentArgs" => self.pargs = value.to_owned(),
            "ContainerName" => self.container.get_or_insert_with(container).name = value.into(),
            "ContainerId" => self.container.get_or_insert_with(container).id = value.into(),
            "ContainerImage" => {
                if let Some(c) = &mut self.container {
                    c.image = value.into();
                }
            }
            "ContainerLabels" => {
                if let Some(c) = &mut self.container {
                    c.labels = value.into();
                }
            }
            "PodName" => self.pod.get_or_insert_with(pod).name = value.into(),
            "PodNamespace" => {
                if let Some(p) = &mut self.pod {
                    p.namespace = value.into();
                }
            }
            "PodUID" => {
                if let Some(p) = &mut self.pod {
                    p.uid = value.into();
                }
            }
            "PodLabels" => {
                if let Some(p) = &mut self.pod {
                    p.labels = value.into();
                }
            }
            "PodAnnotations" => {
                if let Some(p) = &mut self.pod {
                    p.annotations = value.into();
                }
            }
            _ => {}
        }
    }

    fn build(self) -> End {
        End {
            process: self
                .pid
                .map(|pid| Arc::new(process_from(pid, &self.cmd, &self.args))),
            thread: self.tid.map(|tid| Thread {
                tid,
                name: Text::new(self.tname),
            }),
            uid: self.uid,
            parent: self
                .ppid
                .map(|pid| Arc::new(process_from(pid, &self.pcmd, &self.pargs))),
            container: self.container.map(Arc::new),
            pod: self.pod.map(Arc::new),
        }
    }
}

/// A process from its comment values: a trailing `...` marks truncation; arguments are split
/// on spaces (the format joins them with spaces).
fn process_from(pid: u32, cmd: &str, args: &str) -> ProcessInfo {
    let (cmd, cmd_truncated) = match cmd.strip_suffix("...") {
        Some(c) => (c, true),
        None => (cmd, false),
    };
    let (args, args_truncated) = match args.strip_suffix("...") {
        Some(t) => (t, true),
        None => (args, false),
    };
    let args = args
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    ProcessInfo::new(pid, cmd.to_owned(), args, cmd_truncated, args_truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc_(pid: u32, cmd: &str, args: &[&str]) -> Option<Arc<ProcessInfo>> {
        Some(Arc::new(ProcessInfo::new(
            pid,
            cmd.into(),
            args.iter().map(|a| a.to_string()).collect(),
            false,
            false,
        )))
    }

    fn curl() -> Annotation {
        Annotation {
            ifname: Some("lo".into()),
            direction: Some(Direction::Out),
            owner: End {
                process: proc_(345650, "/usr/bin/curl", &["curl", "http://198.18.0.2/"]),
                thread: None,
                uid: Some(0),
                parent: proc_(345626, "/usr/bin/ptcpdump", &["ptcpdump", "-i", "lo"]),
                container: None,
                pod: None,
            },
            peer: End::default(),
        }
    }

    fn with_peer() -> Annotation {
        let mut a = curl();
        a.peer = End {
            process: proc_(
                400,
                "/usr/bin/python3.11",
                &["python3", "-m", "http.server"],
            ),
            thread: Some(Thread {
                tid: 401,
                name: "python3".into(),
            }),
            uid: Some(1000),
            parent: proc_(300, "/bin/bash", &["bash"]),
            container: Some(Arc::new(ContainerView {
                name: "web".into(),
                id: "ab".repeat(32).into(),
                image: "ctit.local/busybox:1".into(),
                labels: r#"{"app":"web"}"#.into(),
            })),
            pod: Some(Arc::new(PodView {
                name: "web".into(),
                namespace: "shop".into(),
                uid: "u-1".into(),
                labels: "{}".into(),
                annotations: "{}".into(),
            })),
        };
        a
    }

    #[test]
    fn default_line_parts() {
        let mut r = Rendered::default();
        curl().render(false, false, &Context::default(), &mut r);
        assert_eq!(r.prefix, "lo curl.345650 Out ");
        assert_eq!(r.suffix, ", ParentProc [ptcpdump.345626]");
        assert_eq!(r.extra, "");
    }

    #[test]
    fn verbose_lines_and_oneline() {
        let mut r = Rendered::default();
        curl().render(true, false, &Context::default(), &mut r);
        assert_eq!(r.prefix, "lo Out ");
        assert_eq!(
            r.extra,
            "    Process (pid 345650, cmd /usr/bin/curl, args curl http://198.18.0.2/)\n    User (uid 0)\n    ParentProc (pid 345626, cmd /usr/bin/ptcpdump, args ptcpdump -i lo)\n"
        );
        curl().render(true, true, &Context::default(), &mut r);
        assert!(r.suffix.starts_with(", Process (pid 345650"));
        assert!(r.extra.is_empty());
    }

    #[test]
    fn context_hides_parts() {
        let mut r = Rendered::default();
        let ctx = Context::parse(&["process".into()]).unwrap();
        curl().render(false, false, &ctx, &mut r);
        assert_eq!(
            (r.prefix.as_str(), r.suffix.as_str()),
            ("lo curl.345650 Out ", "")
        );
        assert!(Context::parse(&["bogus".into()]).is_err());
    }

    #[test]
    fn peer_lines_follow_the_named_end() {
        let mut r = Rendered::default();
        with_peer().render(true, false, &Context::default(), &mut r);
        let lines: Vec<&str> = r.extra.lines().collect();
        assert_eq!(
            &lines[3..],
            [
                "    PeerProcess (pid 400, cmd /usr/bin/python3.11, args python3 -m http.server)",
                "    PeerThread (tid 401, name python3)",
                "    PeerUser (uid 1000)",
                "    PeerParentProc (pid 300, cmd /bin/bash, args bash)",
                &format!(
                    "    PeerContainer (name web, id {}, image ctit.local/busybox:1, labels {{\"app\":\"web\"}})",
                    "ab".repeat(32)
                ),
                "    PeerPod (name web, namespace shop, UID u-1, labels {}, annotations {})",
            ]
        );
        // --oneline: the same parts, after the named end's.
        with_peer().render(true, true, &Context::default(), &mut r);
        assert!(
            r.suffix
                .contains("ParentProc (pid 345626, cmd /usr/bin/ptcpdump, args ptcpdump -i lo), PeerProcess (pid 400,"),
            "{}",
            r.suffix
        );
        // --context without peer: nothing of the other end.
        let ctx = Context::parse(&["process".into(), "container".into()]).unwrap();
        with_peer().render(true, false, &ctx, &mut r);
        assert!(!r.extra.contains("Peer"), "{}", r.extra);
        // --context process,peer: its process line only.
        let ctx = Context::parse(&["process".into(), "peer".into()]).unwrap();
        with_peer().render(true, false, &ctx, &mut r);
        assert_eq!(r.extra.lines().filter(|l| l.contains("Peer")).count(), 1);
    }

    #[test]
    fn default_line_names_the_peer_only_when_asked() {
        let mut r = Rendered::default();
        with_peer().render(false, false, &Context::default(), &mut r);
        assert_eq!(r.suffix, ", ParentProc [ptcpdump.345626]");
        let ctx = Context::parse(&["process".into(), "parentproc".into(), "peer".into()]).unwrap();
        with_peer().render(false, false, &ctx, &mut r);
        assert_eq!(r.prefix, "lo curl.345650 Out ");
        assert_eq!(
            r.suffix,
            ", ParentProc [ptcpdump.345626], Peer [python3.11.400]"
        );
        // No other local end: nothing added.
        curl().render(false, false, &ctx, &mut r);
        assert_eq!(r.suffix, ", ParentProc [ptcpdump.345626]");
    }

    #[test]
    fn comments_round_trip() {
        let mut a = with_peer();
        a.owner.thread = Some(Thread {
            tid: 345651,
            name: "curl".into(),
        });
        a.owner.container = Some(Arc::new(ContainerView {
            name: "web".into(),
            id: "ab".repeat(32).into(),
            image: "ctit.local/busybox:1".into(),
            labels: r#"{"app":"web"}"#.into(),
        }));
        a.owner.pod = Some(Arc::new(PodView {
            name: "web.frontend.v2".into(),
            namespace: "shop".into(),
            uid: "u-1".into(),
            labels: "{}".into(),
            annotations: "{}".into(),
        }));
        let comments = a.comments(&Context::default());
        assert_eq!(comments.len(), 12);
        assert!(comments[6].starts_with("PeerPID: 400\nPeerCmd: /usr/bin/python3.11\nPeerArgs: "));
        let refs: Vec<&str> = comments.iter().map(String::as_str).collect();
        let b = Annotation::from_packet(Some("lo"), Some(2), &refs);
        assert_eq!(a, b);
        // Without peer in --context, the file has no Peer keys.
        let ctx = Context::parse(&["process".into()]).unwrap();
        assert!(a.comments(&ctx).iter().all(|c| !c.contains("Peer")));
    }

    #[test]
    fn truncated_args_keep_their_marker() {
        let b = Annotation::from_packet(None, None, &["PID: 7\nCmd: /bin/sh\nArgs: sh -c x..."]);
        let p = b.owner.process.unwrap();
        assert!(p.args_truncated);
        assert_eq!(p.args_text(), "sh -c x...");
        let a = Annotation {
            owner: End {
                process: Some(Arc::new(ProcessInfo::new(
                    1,
                    "/very/long".into(),
                    vec!["a".into()],
                    true,
                    true,
                ))),
                ..Default::default()
            },
            ..Default::default()
        };
        let comments = a.comments(&Context::default());
        assert_eq!(comments[0], "PID: 1\nCmd: /very/long...\nArgs: a...");
        let refs: Vec<&str> = comments.iter().map(String::as_str).collect();
        assert_eq!(Annotation::from_packet(None, None, &refs), a);
    }

    #[test]
    fn comm_of_fexecve_uses_argv0() {
        let p = ProcessInfo::new(
            1,
            "/dev/fd/3".into(),
            vec!["/usr/bin/python3".into()],
            false,
            false,
        );
        assert_eq!(p.comm(), "python3");
        // No file name (an unreadable /proc/PID/exe): argv[0]'s base name.
        let p = ProcessInfo::new(1, String::new(), vec!["/sbin/agetty".into()], false, false);
        assert_eq!(p.comm(), "agetty");
    }

    /// A process whose argv, comm, container name and labels carry ESC, BEL, newlines and bytes
    /// that are not UTF-8.
    fn hostile() -> Annotation {
        let t = |b: &[u8]| ptcpdump_meta::text::from_bytes(b);
        Annotation {
            ifname: Some("ve\x1bth".into()),
            direction: Some(Direction::In),
            owner: End {
                process: Some(Arc::new(ProcessInfo::new(
                    9,
                    t(b"/tmp/\x1b[2Jevil"),
                    vec![
                        t(b"\x1b]0;pwned\x07"),
                        t(b"line1\nPID: 1\nline2"),
                        t(b"\xff\xfe"),
                    ],
                    false,
                    false,
                ))),
                thread: Some(Thread {
                    tid: 9,
                    name: Text::from_bytes(b"ev\nil\x1b"),
                }),
                uid: Some(0),
                parent: None,
                container: Some(Arc::new(ContainerView {
                    name: "c\x1b[31m".into(),
                    id: "i".into(),
                    image: "im\r".into(),
                    labels: "{\"k\":\"\u{9b}31m\"}".into(),
                })),
                pod: None,
            },
            peer: End {
                process: Some(Arc::new(ProcessInfo::new(
                    10,
                    "/p\n".into(),
                    vec!["p\x07".into()],
                    false,
                    false,
                ))),
                ..Default::default()
            },
        }
    }

    fn assert_safe(s: &str) {
        for b in s.bytes() {
            assert!(
                (0x20..0x7f).contains(&b) || b == b'\n',
                "raw byte {b:#04x} in {s:?}"
            );
        }
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let ctx = Context::parse(&[
            "process".into(),
            "thread".into(),
            "container".into(),
            "peer".into(),
        ])
        .unwrap();
        let mut r = Rendered::default();
        for (verbose, oneline) in [(false, false), (true, false), (true, true)] {
            hostile().render(verbose, oneline, &ctx, &mut r);
            assert_safe(&r.prefix);
            assert_safe(&r.suffix);
            assert!(!r.prefix.contains('\n') && !r.suffix.contains('\n'));
            assert_safe(&r.extra);
            // -v: one line per part (Process, Thread, Container, PeerProcess), no more.
            assert_eq!(
                r.extra.lines().count(),
                if oneline || !verbose { 0 } else { 4 }
            );
        }
        hostile().render(true, false, &ctx, &mut r);
        assert!(
            r.extra.contains(
                r"Process (pid 9, cmd /tmp/\x1b[2Jevil, args \x1b]0;pwned\x07 line1\x0aPID: 1\x0aline2 \xff\xfe)"
            ),
            "{}",
            r.extra
        );
        assert!(r.extra.contains(
            r#"Container (name c\x1b[31m, id i, image im\x0d, labels {"k":"\xc2\x9b31m"})"#
        ));
        assert!(r.prefix.starts_with(r"ve\x1bth "));
    }

    #[test]
    fn hostile_text_round_trips_through_comments() {
        let a = hostile();
        let ctx = Context::default();
        let comments = a.comments(&ctx);
        // Comments keep the bytes (ESC, BEL) but never a newline inside a value, and are UTF-8.
        assert!(comments[0].contains("\x1b]0;pwned\x07"));
        for c in &comments {
            for line in c.lines() {
                assert!(line.contains(": "), "broken comment line {line:?}");
            }
        }
        let refs: Vec<&str> = comments.iter().map(String::as_str).collect();
        let b = Annotation::from_packet(a.ifname.as_deref(), Some(1), &refs);
        // A newline in an argument did not become a key.
        assert_eq!(b.owner.process.as_ref().unwrap().pid, 9);
        let (mut live, mut back) = (Rendered::default(), Rendered::default());
        for (verbose, oneline) in [(false, false), (true, false), (true, true)] {
            a.render(verbose, oneline, &ctx, &mut live);
            b.render(verbose, oneline, &ctx, &mut back);
            assert_eq!(
                (&live.prefix, &live.suffix, &live.extra),
                (&back.prefix, &back.suffix, &back.extra)
            );
        }
    }

    #[test]
    fn control_bytes_in_a_foreign_file_are_not_printed() {
        let b = Annotation::from_packet(
            Some("eth\x1b[0"),
            Some(1),
            &[
                "PID: 5\nCmd: /x\x1b[2J\nArgs: a\x07 b\x1b",
                "ContainerName: \x1bc\nContainerId: 1",
            ],
        );
        let mut r = Rendered::default();
        b.render(false, false, &Context::default(), &mut r);
        assert_eq!(r.prefix, r"eth\x1b[0 x\x1b[2J.5 In ");
        assert_eq!(r.suffix, r", Container [\x1bc]");
        b.render(true, false, &Context::default(), &mut r);
        assert_safe(&r.extra);
    }
}
