//! The container and Pod records that the rest of ptcpdump prints and filters on, and the
//! container filter (`--container-id`, `--container-name`, `--pod-name`).
//!
//! Plain data: no I/O here. Records are built by `runtime` and shared as `Arc`s.

use std::collections::BTreeMap;
use std::sync::Arc;

/// Label keys kubelet puts on every container of a Pod.
pub const LABEL_POD_NAME: &str = "io.kubernetes.pod.name";
pub const LABEL_POD_NAMESPACE: &str = "io.kubernetes.pod.namespace";
pub const LABEL_POD_UID: &str = "io.kubernetes.pod.uid";
pub const LABEL_CONTAINER_NAME: &str = "io.kubernetes.container.name";

/// A running (or recently running) container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Container {
    /// Full id (64 hex for Docker/CRI).
    pub id: String,
    /// Name without Docker's leading `/`.
    pub name: String,
    pub image: String,
    pub labels: BTreeMap<String, String>,
    pub pod: Option<Arc<Pod>>,
    /// Host PID of the container's first process; 0 when unknown.
    pub pid: u32,
    /// Namespace inodes of that process (0 when unknown).
    pub pidns: u64,
    pub mntns: u64,
    pub netns: u64,
}

/// A Kubernetes Pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pod {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    /// Pod labels without kubelet's `io.kubernetes.pod.{name,namespace,uid}`.
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

impl Pod {
    /// Builds a Pod from its labels, dropping the three kubelet bookkeeping keys.
    pub fn with_labels(
        name: &str,
        namespace: &str,
        uid: &str,
        labels: impl IntoIterator<Item = (String, String)>,
        annotations: impl IntoIterator<Item = (String, String)>,
    ) -> Pod {
        Pod {
            name: name.to_string(),
            namespace: namespace.to_string(),
            uid: uid.to_string(),
            labels: labels
                .into_iter()
                .filter(|(k, _)| !is_pod_identity_label(k))
                .collect(),
            annotations: annotations.into_iter().collect(),
        }
    }

    /// Pod identity from kubelet's container labels, when all of name and namespace are there.
    pub fn from_container_labels(labels: &BTreeMap<String, String>) -> Option<Pod> {
        let name = labels.get(LABEL_POD_NAME)?;
        let namespace = labels.get(LABEL_POD_NAMESPACE)?;
        let uid = labels.get(LABEL_POD_UID).map(String::as_str).unwrap_or("");
        Some(Pod::with_labels(name, namespace, uid, [], []))
    }
}

fn is_pod_identity_label(k: &str) -> bool {
    matches!(k, LABEL_POD_NAME | LABEL_POD_NAMESPACE | LABEL_POD_UID)
}

/// True for sandbox ("pause") containers, as CRI runtimes and dockershim label them.
pub fn is_sandbox_labels(labels: &BTreeMap<String, String>) -> bool {
    labels.get("io.cri-containerd.kind").map(String::as_str) == Some("sandbox")
        || matches!(
            labels.get("io.kubernetes.docker.type").map(String::as_str),
            Some("sandbox" | "podsandbox")
        )
}

/// `--pod-name NAME.NAMESPACE`: the last dot splits; without a dot the namespace is `default`.
pub fn parse_pod_name(s: &str) -> (String, String) {
    match s.rsplit_once('.') {
        Some((name, ns)) if !name.is_empty() && !ns.is_empty() => {
            (name.to_string(), ns.to_string())
        }
        _ => (s.to_string(), "default".to_string()),
    }
}

/// Shortest id prefix accepted by `--container-id` (Docker's short id length).
pub const MIN_ID_PREFIX: usize = 12;

/// The container filters of the command line. A container matches when any entry matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerFilter {
    /// Full ids or prefixes of at least [`MIN_ID_PREFIX`] characters.
    pub ids: Vec<String>,
    /// Container names (a leading `/` is ignored).
    pub names: Vec<String>,
    /// Pods as (name, namespace).
    pub pods: Vec<(String, String)>,
}

impl ContainerFilter {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.names.is_empty() && self.pods.is_empty()
    }

    pub fn matches(&self, c: &Container) -> bool {
        let id_hit = self.ids.iter().any(|want| {
            let want = want.to_ascii_lowercase();
            !c.id.is_empty()
                && (want == c.id || (want.len() >= MIN_ID_PREFIX && c.id.starts_with(&want)))
        });
        let name_hit = self
            .names
            .iter()
            .any(|n| !c.name.is_empty() && n.trim_start_matches('/') == c.name);
        let pod_hit = c.pod.as_ref().is_some_and(|p| {
            self.pods
                .iter()
                .any(|(name, ns)| *name == p.name && *ns == p.namespace)
        });
        id_hit || name_hit || pod_hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pod_names() {
        let p = |s: &str| parse_pod_name(s);
        assert_eq!(
            p("web.frontend.v2.shop"),
            ("web.frontend.v2".into(), "shop".into())
        );
        assert_eq!(p("web.shop"), ("web".into(), "shop".into()));
        assert_eq!(p("web"), ("web".into(), "default".into()));
        assert_eq!(p("web."), ("web.".into(), "default".into()));
        assert_eq!(p(".shop"), (".shop".into(), "default".into()));
        assert_eq!(p(""), ("".into(), "default".into()));
    }

    #[test]
    fn pod_labels_drop_identity_keys() {
        let l = labels(&[
            (LABEL_POD_NAME, "web"),
            (LABEL_POD_NAMESPACE, "shop"),
            (LABEL_POD_UID, "u"),
            ("app", "web"),
        ]);
        let pod = Pod::with_labels("web", "shop", "u", l.clone(), []);
        assert_eq!(pod.labels, labels(&[("app", "web")]));
        let from = Pod::from_container_labels(&l).unwrap();
        assert_eq!(
            (
                from.name.as_str(),
                from.namespace.as_str(),
                from.uid.as_str()
            ),
            ("web", "shop", "u")
        );
        assert!(Pod::from_container_labels(&labels(&[(LABEL_POD_NAME, "x")])).is_none());
    }

    #[test]
    fn sandboxes() {
        assert!(is_sandbox_labels(&labels(&[(
            "io.cri-containerd.kind",
            "sandbox"
        )])));
        assert!(is_sandbox_labels(&labels(&[(
            "io.kubernetes.docker.type",
            "podsandbox"
        )])));
        assert!(!is_sandbox_labels(&labels(&[(
            "io.cri-containerd.kind",
            "container"
        )])));
        assert!(!is_sandbox_labels(&BTreeMap::new()));
    }

    #[test]
    fn filters() {
        let id = "fabc7386af4a6bb89158fa9e269409c45d5546bab3e476314b52a5306757b26b";
        let pod = Arc::new(Pod::with_labels("web.frontend.v2", "shop", "u", [], []));
        let c = Container {
            id: id.into(),
            name: "server".into(),
            pod: Some(pod),
            ..Default::default()
        };
        let f = |ids: &[&str], names: &[&str], pods: &[(&str, &str)]| ContainerFilter {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            names: names.iter().map(|s| s.to_string()).collect(),
            pods: pods
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        };
        assert!(f(&[id], &[], &[]).matches(&c));
        assert!(f(&["fabc7386af4a"], &[], &[]).matches(&c));
        assert!(f(&["FABC7386AF4A6"], &[], &[]).matches(&c));
        assert!(
            !f(&["fabc7386af4"], &[], &[]).matches(&c),
            "11 chars is too short"
        );
        assert!(!f(&["0abc7386af4a"], &[], &[]).matches(&c));
        assert!(f(&[], &["server"], &[]).matches(&c));
        assert!(f(&[], &["/server"], &[]).matches(&c));
        assert!(!f(&[], &["serve"], &[]).matches(&c));
        assert!(f(&[], &[], &[("web.frontend.v2", "shop")]).matches(&c));
        assert!(!f(&[], &[], &[("web.frontend.v2", "default")]).matches(&c));
        assert!(!f(&[], &[], &[]).matches(&c));
        assert!(f(&[], &[], &[]).is_empty());
        let anon = Container::default();
        assert!(!f(&[""], &[""], &[("", "")]).matches(&anon));
    }
}
