//! What ptcpdump adds to tcpdump's text for one packet: interface, direction, process, thread,
//! user, parent, container and Pod; rendered exactly as the original ptcpdump renders them, and
//! carried in pcapng as comments in its key format (`PID: ...`, `Cmd: ...`), so that a file read
//! back with `-r` prints what the live capture printed.
use std::fmt::Write as _;

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
    /// Path of the executed file.
    pub cmd: String,
    pub args: Vec<String>,
    pub args_truncated: bool,
}

impl ProcessInfo {
    /// Base name of the executed file (of argv[0] when the file is /dev/fd/N, as for fexecve).
    pub fn comm(&self) -> &str {
        let path = if self.cmd.starts_with("/dev/fd/") || self.cmd.is_empty() {
            self.args.first().map(String::as_str).unwrap_or(&self.cmd)
        } else {
            &self.cmd
        };
        path.rsplit('/').next().unwrap_or(path)
    }

    pub fn args_text(&self) -> String {
        let mut s = self.args.join(" ");
        if self.args_truncated {
            s.push_str("...");
        }
        s
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerView {
    pub name: String,
    pub id: String,
    pub image: String,
    /// Labels as compact JSON (`{}` when none).
    pub labels: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodView {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub labels: String,
    pub annotations: String,
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
        };
        for item in list {
            match item.trim() {
                "process" => c.process = true,
                "thread" => c.thread = true,
                "parentproc" => c.parent = true,
                "user" => c.user = true,
                "container" => c.container = true,
                "pod" => c.pod = true,
                other => anyhow::bail!(
                    "invalid --context value {other:?}: expected process, thread, parentproc, user, container or pod"
                ),
            }
        }
        Ok(c)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotation {
    pub ifname: Option<String>,
    pub direction: Option<Direction>,
    pub process: Option<ProcessInfo>,
    pub thread: Option<(u32, String)>,
    pub uid: Option<u32>,
    pub parent: Option<ProcessInfo>,
    pub container: Option<ContainerView>,
    pub pod: Option<PodView>,
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
            out.prefix.push_str(ifname);
            out.prefix.push(' ');
        }
        let process = self.process.as_ref().filter(|_| ctx.process);
        if !verbose && let Some(p) = process {
            let _ = write!(out.prefix, "{}.{} ", p.comm(), p.pid);
        }
        if let Some(d) = self.direction {
            out.prefix.push_str(d.as_str());
            out.prefix.push(' ');
        }
        if verbose {
            let mut parts: Vec<String> = Vec::new();
            if let Some(p) = process {
                parts.push(format!(
                    "Process (pid {}, cmd {}, args {})",
                    p.pid,
                    p.cmd,
                    p.args_text()
                ));
                if ctx.thread
                    && let Some((tid, name)) = &self.thread
                {
                    parts.push(format!("Thread (tid {tid}, name {name})"));
                }
                if ctx.user
                    && let Some(uid) = self.uid
                {
                    parts.push(format!("User (uid {uid})"));
                }
                if ctx.parent
                    && let Some(pp) = &self.parent
                {
                    parts.push(format!(
                        "ParentProc (pid {}, cmd {}, args {})",
                        pp.pid,
                        pp.cmd,
                        pp.args_text()
                    ));
                }
            }
            if ctx.container
                && let Some(c) = &self.container
            {
                parts.push(format!(
                    "Container (name {}, id {}, image {}, labels {})",
                    c.name, c.id, c.image, c.labels
                ));
            }
            if ctx.pod
                && let Some(p) = &self.pod
            {
                parts.push(format!(
                    "Pod (name {}, namespace {}, UID {}, labels {}, annotations {})",
                    p.name, p.namespace, p.uid, p.labels, p.annotations
                ));
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
                && let Some((tid, name)) = &self.thread
            {
                let _ = write!(out.suffix, ", Thread [{name}.{tid}]");
            }
            if ctx.parent
                && let Some(pp) = &self.parent
            {
                let _ = write!(out.suffix, ", ParentProc [{}.{}]", pp.comm(), pp.pid);
            }
        }
        if ctx.container
            && let Some(c) = &self.container
        {
            let _ = write!(out.suffix, ", Container [{}]", c.name);
        }
        if ctx.pod
            && let Some(p) = &self.pod
        {
            let _ = write!(out.suffix, ", Pod [{}.{}]", p.name, p.namespace);
        }
    }

    /// pcapng comments, one per group, in the original ptcpdump's key format.
    pub fn comments(&self, ctx: &Context) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(p) = self.process.as_ref().filter(|_| ctx.process) {
            v.push(format!(
                "PID: {}\nCmd: {}\nArgs: {}",
                p.pid,
                p.cmd,
                p.args_text()
            ));
            if ctx.thread
                && let Some((tid, name)) = &self.thread
            {
                v.push(format!("ThreadId: {tid}\nThreadName: {name}"));
            }
            if ctx.user
                && let Some(uid) = self.uid
            {
                v.push(format!("UserId: {uid}"));
            }
            if ctx.parent
                && let Some(pp) = &self.parent
            {
                v.push(format!(
                    "ParentPID: {}\nParentCmd: {}\nParentArgs: {}",
                    pp.pid,
                    pp.cmd,
                    pp.args_text()
                ));
            }
        }
        if ctx.container
            && let Some(c) = &self.container
        {
            v.push(format!(
                "ContainerName: {}\nContainerId: {}\nContainerImage: {}\nContainerLabels: {}",
                c.name, c.id, c.image, c.labels
            ));
        }
        if ctx.pod
            && let Some(p) = &self.pod
        {
            v.push(format!(
                "PodName: {}\nPodNamespace: {}\nPodUID: {}\nPodLabels: {}\nPodAnnotations: {}",
                p.name, p.namespace, p.uid, p.labels, p.annotations
            ));
        }
        v
    }

    /// Rebuilds an annotation from what a pcapng packet carries. Comments that are not in the
    /// ptcpdump key format are ignored.
    pub fn from_packet(if_name: Option<&str>, flags: Option<u32>, comments: &[&str]) -> Self {
        let mut a = Annotation {
            ifname: if_name.filter(|n| !n.is_empty()).map(str::to_owned),
            direction: flags.and_then(Direction::from_epb_flags),
            ..Default::default()
        };
        let mut proc_ = ProcessInfo::default();
        let mut parent = ProcessInfo::default();
        let (mut have_proc, mut have_parent) = (false, false);
        let mut tid = None;
        let mut tname = String::new();
        let mut container = ContainerView::default();
        let mut pod = PodView::default();
        let (mut have_container, mut have_pod) = (false, false);
        for comment in comments {
            for line in comment.lines() {
                let Some((key, value)) = line
                    .split_once(": ")
                    .or_else(|| line.strip_suffix(':').map(|k| (k, "")))
                else {
                    continue;
                };
                match key {
                    "PID" => {
                        if let Ok(pid) = value.parse() {
                            proc_.pid = pid;
                            have_proc = true;
                        }
                    }
                    "Cmd" | "Command" => proc_.cmd = value.to_owned(),
                    "Args" => split_args(value, &mut proc_),
                    "ThreadId" | "TID" => tid = value.parse().ok(),
                    "ThreadName" => tname = value.to_owned(),
                    "UserId" => a.uid = value.parse().ok(),
                    "ParentPID" => {
                        if let Ok(pid) = value.parse() {
                            parent.pid = pid;
                            have_parent = true;
                        }
                    }
                    "ParentCmd" | "ParentCommand" => parent.cmd = value.to_owned(),
                    "ParentArgs" => split_args(value, &mut parent),
                    "ContainerName" => {
                        container.name = value.to_owned();
                        have_container = true;
                    }
                    "ContainerId" => {
                        container.id = value.to_owned();
                        have_container = true;
                    }
                    "ContainerImage" => container.image = value.to_owned(),
                    "ContainerLabels" => container.labels = value.to_owned(),
                    "PodName" => {
                        pod.name = value.to_owned();
                        have_pod = true;
                    }
                    "PodNamespace" => pod.namespace = value.to_owned(),
                    "PodUID" => pod.uid = value.to_owned(),
                    "PodLabels" => pod.labels = value.to_owned(),
                    "PodAnnotations" => pod.annotations = value.to_owned(),
                    _ => {}
                }
            }
        }
        if have_proc {
            a.process = Some(proc_);
        }
        if have_parent {
            a.parent = Some(parent);
        }
        if let Some(tid) = tid {
            a.thread = Some((tid, tname));
        }
        if have_container {
            a.container = Some(container);
        }
        if have_pod {
            a.pod = Some(pod);
        }
        a
    }
}

fn split_args(value: &str, p: &mut ProcessInfo) {
    let (text, truncated) = match value.strip_suffix("...") {
        Some(t) => (t, true),
        None => (value, false),
    };
    p.args = text
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    p.args_truncated = truncated;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curl() -> Annotation {
        Annotation {
            ifname: Some("lo".into()),
            direction: Some(Direction::Out),
            process: Some(ProcessInfo {
                pid: 345650,
                cmd: "/usr/bin/curl".into(),
                args: vec!["curl".into(), "http://198.18.0.2/".into()],
                args_truncated: false,
            }),
            thread: None,
            uid: Some(0),
            parent: Some(ProcessInfo {
                pid: 345626,
                cmd: "/usr/bin/ptcpdump".into(),
                args: vec!["ptcpdump".into(), "-i".into(), "lo".into()],
                args_truncated: false,
            }),
            container: None,
            pod: None,
        }
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
    fn comments_round_trip() {
        let mut a = curl();
        a.thread = Some((345651, "curl".into()));
        a.container = Some(ContainerView {
            name: "web".into(),
            id: "ab".repeat(32),
            image: "ctit.local/busybox:1".into(),
            labels: r#"{"app":"web"}"#.into(),
        });
        a.pod = Some(PodView {
            name: "web.frontend.v2".into(),
            namespace: "shop".into(),
            uid: "u-1".into(),
            labels: "{}".into(),
            annotations: "{}".into(),
        });
        let comments = a.comments(&Context::default());
        let refs: Vec<&str> = comments.iter().map(String::as_str).collect();
        let b = Annotation::from_packet(Some("lo"), Some(2), &refs);
        assert_eq!(a, b);
    }

    #[test]
    fn truncated_args_keep_their_marker() {
        let b = Annotation::from_packet(None, None, &["PID: 7\nCmd: /bin/sh\nArgs: sh -c x..."]);
        let p = b.process.unwrap();
        assert!(p.args_truncated);
        assert_eq!(p.args_text(), "sh -c x...");
    }

    #[test]
    fn comm_of_fexecve_uses_argv0() {
        let p = ProcessInfo {
            pid: 1,
            cmd: "/dev/fd/3".into(),
            args: vec!["/usr/bin/python3".into()],
            args_truncated: false,
        };
        assert_eq!(p.comm(), "python3");
    }
}
