//! cgroup path -> container id (and Pod UID), for cgroup v1 and v2, cgroupfs and systemd drivers.
//!
//! This module only reads strings: `/proc/PID/cgroup` text and cgroup paths. It knows the path
//! shapes that Docker, containerd (CRI and native), CRI-O, Podman and nerdctl create, and nothing
//! about what the runtimes say about those ids (that is `runtime`'s job).
//!
//! Shapes handled (the id is always 64 lowercase hex digits):
//! - cgroupfs: `/docker/<id>`, `/kubepods/<qos>/pod<uid>/<id>`, `/kubepods/pod<uid>/<id>`,
//!   `/k8s.io/<id>`, `/<ctr namespace>/<id>`, and any of those under an outer prefix (kind, dind).
//! - systemd: `.../docker-<id>.scope`, `.../cri-containerd-<id>.scope`, `.../crio-<id>.scope`,
//!   `.../libpod-<id>.scope[/container]`, `.../nerdctl-<id>.scope`, with Pod slices such as
//!   `kubepods-besteffort-pod<uid with _>.slice`.
//!
//! Monitor processes (`crio-conmon-<id>.scope`, `libpod-conmon-<id>.scope`) are deliberately not
//! mapped: they are not inside the container.

/// One line of `/proc/PID/cgroup`: `hierarchy-ID:controller-list:path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgroupLine<'a> {
    pub hierarchy: &'a str,
    /// Comma-separated v1 controllers (`cpu,cpuacct`, `name=systemd`); empty for the v2 line.
    pub controllers: &'a str,
    pub path: &'a str,
}

impl CgroupLine<'_> {
    /// The cgroup v2 (unified) line is `0::PATH`.
    pub fn is_unified(&self) -> bool {
        self.hierarchy == "0" && self.controllers.is_empty()
    }
}

/// A container found in a cgroup path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRef {
    /// Full 64-hex container (or CRI sandbox) id.
    pub id: String,
    /// Pod UID when the path carries one (kubelet-created parents), dashes restored.
    pub pod_uid: Option<String>,
}

/// Parses `/proc/PID/cgroup`; malformed lines are skipped.
pub fn parse_proc_cgroup(text: &str) -> Vec<CgroupLine<'_>> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ':');
            let hierarchy = parts.next()?;
            let controllers = parts.next()?;
            let path = parts.next()?;
            if hierarchy.is_empty() || !path.starts_with('/') {
                return None;
            }
            Some(CgroupLine {
                hierarchy,
                controllers,
                path,
            })
        })
        .collect()
}

/// The container of a process, from its `/proc/PID/cgroup` text: the first line (v2 first,
/// then v1 in file order) whose path names a container.
pub fn container_from_proc_cgroup(text: &str) -> Option<ContainerRef> {
    let lines = parse_proc_cgroup(text);
    lines
        .iter()
        .filter(|l| l.is_unified())
        .chain(lines.iter().filter(|l| !l.is_unified()))
        .find_map(|l| container_from_path(l.path))
}

/// The most useful single path of a process: one that names a container if any, else the v2
/// path, else the first v1 path that is not the root, else `/` (or empty for empty input).
pub fn best_path(text: &str) -> String {
    let lines = parse_proc_cgroup(text);
    let ordered = || {
        lines
            .iter()
            .filter(|l| l.is_unified())
            .chain(lines.iter().filter(|l| !l.is_unified()))
    };
    if let Some(l) = ordered().find(|l| container_from_path(l.path).is_some()) {
        return l.path.to_string();
    }
    if let Some(l) = ordered().find(|l| l.path != "/") {
        return l.path.to_string();
    }
    lines
        .first()
        .map(|l| l.path.to_string())
        .unwrap_or_default()
}

/// The container named by a cgroup path: the deepest path segment that is a container id
/// (bare or wrapped as `<runtime>-<id>.scope`), plus the Pod UID from a segment above it.
pub fn container_from_path(path: &str) -> Option<ContainerRef> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (at, id) = segments
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, s)| segment_container_id(s).map(|id| (i, id)))?;
    let pod_uid = segments[..at].iter().rev().find_map(|s| segment_pod_uid(s));
    Some(ContainerRef {
        id: id.to_string(),
        pod_uid,
    })
}

/// Scope prefixes that wrap a container id under the systemd driver.
const SCOPE_PREFIXES: &[&str] = &[
    "docker-",
    "cri-containerd-",
    "crio-",
    "libpod-",
    "nerdctl-",
    "containerd-",
];

fn segment_container_id(seg: &str) -> Option<&str> {
    if is_container_id(seg) {
        return Some(seg);
    }
    let inner = seg.strip_suffix(".scope")?;
    SCOPE_PREFIXES
        .iter()
        .filter_map(|p| inner.strip_prefix(p))
        .find(|rest| is_container_id(rest))
}

/// `pod<uid>` (cgroupfs) or `...-pod<uid with _>.slice` (systemd).
fn segment_pod_uid(seg: &str) -> Option<String> {
    let raw = if let Some(rest) = seg.strip_prefix("pod") {
        rest
    } else {
        let slice = seg.strip_suffix(".slice")?;
        let at = slice.rfind("-pod")?;
        &slice[at + 4..]
    };
    let uid = raw.replace('_', "-");
    let plausible =
        (32..=36).contains(&uid.len()) && uid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    plausible.then_some(uid)
}

/// 64 lowercase hex digits: the id format of Docker, containerd CRI, CRI-O and Podman.
pub fn is_container_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "fabc7386af4a6bb89158fa9e269409c45d5546bab3e476314b52a5306757b26b";
    const ID2: &str = "a11c1124ed7af5b49012ad0c9159995a3d925ddbeaac4c87c77cc17b381c304d";
    const UID: &str = "3f1c2a8e-1111-4c2b-9a77-0123456789ab";

    fn id_of(path: &str) -> Option<String> {
        container_from_path(path).map(|c| c.id)
    }

    fn both(path: &str) -> (String, Option<String>) {
        let c = container_from_path(path).expect(path);
        (c.id, c.pod_uid)
    }

    #[test]
    fn docker_cgroupfs() {
        assert_eq!(id_of(&format!("/docker/{ID}")).as_deref(), Some(ID));
        assert_eq!(both(&format!("/docker/{ID}")).1, None);
    }

    #[test]
    fn docker_systemd() {
        assert_eq!(
            id_of(&format!("/system.slice/docker-{ID}.scope")).as_deref(),
            Some(ID)
        );
    }

    #[test]
    fn kubepods_cgroupfs_qos() {
        for qos in ["besteffort", "burstable"] {
            let p = format!("/kubepods/{qos}/pod{UID}/{ID2}");
            assert_eq!(both(&p), (ID2.to_string(), Some(UID.to_string())));
        }
    }

    #[test]
    fn kubepods_cgroupfs_guaranteed() {
        let p = format!("/kubepods/pod{UID}/{ID2}");
        assert_eq!(both(&p), (ID2.to_string(), Some(UID.to_string())));
    }

    #[test]
    fn kubepods_systemd_cri_containerd() {
        let u = UID.replace('-', "_");
        let p = format!(
            "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{u}.slice/cri-containerd-{ID2}.scope"
        );
        assert_eq!(both(&p), (ID2.to_string(), Some(UID.to_string())));
        let guaranteed =
            format!("/kubepods.slice/kubepods-pod{u}.slice/cri-containerd-{ID2}.scope");
        assert_eq!(both(&guaranteed), (ID2.to_string(), Some(UID.to_string())));
    }

    #[test]
    fn containerd_without_parent() {
        assert_eq!(id_of(&format!("/k8s.io/{ID2}")).as_deref(), Some(ID2));
        assert_eq!(id_of(&format!("/default/{ID2}")).as_deref(), Some(ID2));
    }

    #[test]
    fn crio_and_podman() {
        let u = UID.replace('-', "_");
        let crio = format!(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{u}.slice/crio-{ID}.scope"
        );
        assert_eq!(both(&crio), (ID.to_string(), Some(UID.to_string())));
        let podman = format!("/machine.slice/libpod-{ID}.scope/container");
        assert_eq!(id_of(&podman).as_deref(), Some(ID));
        let podman_v1 = format!("/machine.slice/libpod-{ID}.scope");
        assert_eq!(id_of(&podman_v1).as_deref(), Some(ID));
        assert_eq!(
            id_of(&format!("/user.slice/nerdctl-{ID}.scope")).as_deref(),
            Some(ID)
        );
    }

    #[test]
    fn monitors_are_not_containers() {
        assert_eq!(
            id_of(&format!("/machine.slice/crio-conmon-{ID}.scope")),
            None
        );
        assert_eq!(
            id_of(&format!("/machine.slice/libpod-conmon-{ID}.scope")),
            None
        );
    }

    #[test]
    fn nested_prefixes_take_the_innermost() {
        // kind node (a Docker container) running kubelet with the cgroupfs driver
        let kind = format!("/docker/{ID}/kubepods/besteffort/pod{UID}/{ID2}");
        assert_eq!(both(&kind), (ID2.to_string(), Some(UID.to_string())));
        // kind with systemd inside the node
        let u = UID.replace('-', "_");
        let kind_sd = format!(
            "/system.slice/docker-{ID}.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod{u}.slice/cri-containerd-{ID2}.scope"
        );
        assert_eq!(both(&kind_sd), (ID2.to_string(), Some(UID.to_string())));
        // docker-in-docker: the daemon itself sits in the outer container
        assert_eq!(
            id_of(&format!("/docker/{ID}/docker/{ID2}")).as_deref(),
            Some(ID2)
        );
        assert_eq!(id_of(&format!("/docker/{ID}")).as_deref(), Some(ID));
    }

    #[test]
    fn non_containers() {
        for p in [
            "/",
            "/user.slice/user-0.slice/session-1.scope",
            "/system.slice/containerd.service",
            "/docker",
            "/kubepods/besteffort",
            "/docker/FABC7386AF4A6BB89158FA9E269409C45D5546BAB3E476314B52A5306757B26B",
            "/docker/fabc7386af4a",
            "/system.slice/docker-.scope",
            "",
        ] {
            assert_eq!(id_of(p), None, "{p}");
        }
    }

    #[test]
    fn pod_uid_validation() {
        assert_eq!(segment_pod_uid(&format!("pod{UID}")).as_deref(), Some(UID));
        assert_eq!(segment_pod_uid("podman"), None);
        assert_eq!(segment_pod_uid("pods"), None);
        // static pods have a 32-hex uid (config hash)
        let hash = "6f2f4a8e0a9b4f1c9d0e8b7a6c5d4e3f";
        assert_eq!(
            segment_pod_uid(&format!("pod{hash}")).as_deref(),
            Some(hash)
        );
    }

    #[test]
    fn proc_cgroup_v1_hybrid() {
        let text = format!(
            "12:pids:/docker/{ID}\n11:memory:/docker/{ID}\n1:name=systemd:/docker/{ID}\n0::/docker/{ID}\n"
        );
        let lines = parse_proc_cgroup(&text);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1].controllers, "memory");
        assert!(lines[3].is_unified());
        assert_eq!(container_from_proc_cgroup(&text).unwrap().id, ID);
        assert_eq!(best_path(&text), format!("/docker/{ID}"));
    }

    #[test]
    fn proc_cgroup_v2_only() {
        let text = format!("0::/kubepods/burstable/pod{UID}/{ID2}\n");
        let c = container_from_proc_cgroup(&text).unwrap();
        assert_eq!((c.id.as_str(), c.pod_uid.as_deref()), (ID2, Some(UID)));
    }

    #[test]
    fn proc_cgroup_only_v1_names_container() {
        // systemd hybrid: the v2 line is the session scope, v1 controllers are in the container
        let text = format!("4:memory:/docker/{ID}\n0::/user.slice/session-3.scope\n");
        assert_eq!(container_from_proc_cgroup(&text).unwrap().id, ID);
        assert_eq!(best_path(&text), format!("/docker/{ID}"));
    }

    #[test]
    fn best_path_without_container() {
        assert_eq!(
            best_path("0::/user.slice/session-3.scope\n"),
            "/user.slice/session-3.scope"
        );
        assert_eq!(best_path("3:cpu:/\n2:memory:/foo\n0::/\n"), "/foo");
        assert_eq!(best_path("0::/\n"), "/");
        assert_eq!(best_path(""), "");
    }

    #[test]
    fn hostile_lines() {
        let text = "garbage\n::\n1:x\n:cpu:/a\n5:cpu:relative\n0::/ok:with:colons\n";
        let lines = parse_proc_cgroup(text);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].path, "/ok:with:colons");
        assert_eq!(container_from_proc_cgroup(text), None);
    }
}
