//! Container runtimes (Docker Engine, containerd, CRI) and the cache that answers "which
//! container is this process in?" without ever waiting for a runtime.
//!
//! [`MetaStore::start`] returns at once. A background thread runs a small tokio runtime with one
//! task per runtime API; each task connects with short timeouts, lists what is running, then
//! follows changes (Docker and containerd events, CRI polling) and publishes an immutable
//! [`View`] behind an `RwLock<Arc<View>>`. Lookups clone that `Arc` and read it, so the packet
//! path never waits on I/O to a runtime. A lookup that meets a container id nobody knows yet
//! nudges the tasks to re-list (rate-limited).
//!
//! A runtime that cannot be reached produces one warning string on the channel returned by
//! `start`; the task keeps retrying quietly, so a daemon started later is picked up.

// With some sources compiled out, parts of the shared plumbing have no user.
#![cfg_attr(
    not(all(feature = "docker", feature = "cri", feature = "containerd")),
    allow(dead_code)
)]

#[cfg(feature = "containerd")]
mod containerd;
#[cfg(feature = "cri")]
mod cri;
#[cfg(feature = "docker")]
mod docker;
#[cfg(feature = "grpc")]
mod grpc;
#[cfg(feature = "grpc")]
pub mod proto;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::cgroup;
use crate::model::{Container, ContainerFilter, Pod, is_sandbox_labels};
use crate::process::{self, ProcInfo};

/// Where to find the runtimes. `None` for CRI means "probe the usual sockets".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeOptions {
    pub docker_address: PathBuf,
    pub containerd_address: PathBuf,
    pub cri_runtime_address: Option<PathBuf>,
    /// Turn off one source entirely (no connection attempt, no warning).
    pub enable_docker: bool,
    pub enable_containerd: bool,
    pub enable_cri: bool,
    /// Which CRI API version to speak; `Auto` tries v1, then v1alpha2.
    pub cri_api: CriApi,
    /// Timeout of each connection attempt (and of the first request that checks it).
    pub connect_timeout: Duration,
}

/// CRI API version choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CriApi {
    #[default]
    Auto,
    V1,
    V1alpha2,
}

/// CRI sockets tried in this order when no address is given.
pub const CRI_CANDIDATES: &[&str] = &[
    "/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/var/run/dockershim.sock",
];

impl Default for RuntimeOptions {
    fn default() -> Self {
        RuntimeOptions {
            docker_address: PathBuf::from("/var/run/docker.sock"),
            containerd_address: PathBuf::from("/run/containerd/containerd.sock"),
            cri_runtime_address: None,
            enable_docker: true,
            enable_containerd: true,
            enable_cri: true,
            cri_api: CriApi::Auto,
            connect_timeout: Duration::from_millis(300),
        }
    }
}

/// Which API a record came from; also the merge priority (lower wins for name and image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Source {
    Docker,
    Cri,
    Containerd,
}

/// What one source knows about one container id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Record {
    pub id: String,
    pub name: String,
    pub image: String,
    pub labels: BTreeMap<String, String>,
    /// Pod with labels and annotations (CRI); Pods derived from labels are filled in at merge.
    pub pod: Option<Arc<Pod>>,
    pub pid: u32,
    pub sandbox: bool,
}

impl Record {
    pub fn is_sandbox(&self) -> bool {
        self.sandbox || is_sandbox_labels(&self.labels)
    }
}

/// An immutable snapshot of everything known, indexed for the lookups of the packet path.
#[derive(Debug, Default)]
pub struct View {
    by_id: HashMap<String, Arc<Container>>,
    sandboxes: HashSet<String>,
    by_pid: HashMap<u32, Arc<Container>>,
    by_mntns: HashMap<u64, Arc<Container>>,
    by_netns: HashMap<u64, Arc<Container>>,
}

impl View {
    pub fn containers(&self) -> impl Iterator<Item = &Arc<Container>> {
        self.by_id.values()
    }
}

#[derive(Debug, Default)]
struct ReadyState {
    pending: usize,
}

pub(crate) struct Shared {
    view: RwLock<Arc<View>>,
    records: Mutex<HashMap<Source, HashMap<String, Record>>>,
    host_mntns: u64,
    host_netns: u64,
    ready: (Mutex<ReadyState>, Condvar),
    epoch: Instant,
    last_nudge_ms: AtomicU64,
    /// Docker answers for its own containers; containerd's anonymous copies of them (namespace
    /// `moby`) are only used while Docker itself cannot be reached.
    pub(crate) docker_connected: AtomicBool,
    #[cfg(feature = "runtime-base")]
    pub nudge: [tokio::sync::Notify; 3],
}

impl Shared {
    fn new(pending: usize) -> Shared {
        Shared {
            view: RwLock::new(Arc::new(View::default())),
            records: Mutex::new(HashMap::new()),
            host_mntns: process::ns_inode(1, "mnt"),
            host_netns: process::ns_inode(1, "net"),
            ready: (Mutex::new(ReadyState { pending }), Condvar::new()),
            epoch: Instant::now(),
            last_nudge_ms: AtomicU64::new(0),
            docker_connected: AtomicBool::new(false),
            #[cfg(feature = "runtime-base")]
            nudge: Default::default(),
        }
    }

    /// Replaces everything a source knows (after a full listing).
    pub(crate) fn replace_source(&self, src: Source, recs: HashMap<String, Record>) {
        let mut all = self.records.lock().unwrap_or_else(|e| e.into_inner());
        // Polling sources re-list every second: rebuild the view only when something changed.
        if all.get(&src) == Some(&recs) {
            return;
        }
        all.insert(src, recs);
        self.publish(&all);
    }

    pub(crate) fn upsert(&self, src: Source, rec: Record) {
        let mut all = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let slot = all.entry(src).or_default();
        if slot.get(&rec.id) == Some(&rec) {
            return;
        }
        slot.insert(rec.id.clone(), rec);
        self.publish(&all);
    }

    pub(crate) fn remove(&self, src: Source, id: &str) {
        let mut all = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if all.get_mut(&src).and_then(|m| m.remove(id)).is_some() {
            self.publish(&all);
        }
    }

    /// Marks a container as stopped: its id stays known (late packets), but its pid and
    /// namespaces are dropped, since the kernel may reuse them.
    pub(crate) fn stopped(&self, src: Source, id: &str) {
        let mut all = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = all.get_mut(&src).and_then(|m| m.get_mut(id)) {
            r.pid = 0;
            self.publish(&all);
        }
    }

    /// What a source currently knows (to skip re-reading unchanged containers).
    pub(crate) fn source_records(&self, src: Source) -> HashMap<String, Record> {
        let all = self.records.lock().unwrap_or_else(|e| e.into_inner());
        all.get(&src).cloned().unwrap_or_default()
    }

    /// One source finished its first listing, or gave up for now.
    pub(crate) fn mark_ready(&self) {
        let (lock, cv) = &self.ready;
        let mut st = lock.lock().unwrap_or_else(|e| e.into_inner());
        st.pending = st.pending.saturating_sub(1);
        cv.notify_all();
    }

    fn publish(&self, all: &HashMap<Source, HashMap<String, Record>>) {
        let view = Arc::new(merge(all, self.host_mntns, self.host_netns));
        *self.view.write().unwrap_or_else(|e| e.into_inner()) = view;
    }

    fn snapshot(&self) -> Arc<View> {
        self.view.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Asks every source to re-list soon; at most twice a second, whatever the packet rate.
    fn nudge(&self) {
        let now = self.epoch.elapsed().as_millis() as u64 + 1;
        let last = self.last_nudge_ms.load(Ordering::Relaxed);
        if last != 0 && now.saturating_sub(last) < 500 {
            return;
        }
        if self
            .last_nudge_ms
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        #[cfg(feature = "runtime-base")]
        for n in &self.nudge {
            n.notify_one();
        }
    }
}

/// Builds the lookup view from every source's records.
fn merge(all: &HashMap<Source, HashMap<String, Record>>, host_mntns: u64, host_netns: u64) -> View {
    let mut per_id: HashMap<&str, Vec<(Source, &Record)>> = HashMap::new();
    for (src, recs) in all {
        for (id, r) in recs {
            per_id.entry(id.as_str()).or_default().push((*src, r));
        }
    }
    let mut view = View::default();
    let mut netns_owner: HashMap<u64, Arc<Container>> = HashMap::new();
    for (id, mut recs) in per_id {
        recs.sort_by_key(|(s, _)| *s);
        if recs.iter().any(|(_, r)| r.is_sandbox()) {
            view.sandboxes.insert(id.to_string());
            continue;
        }
        let first_nonempty = |f: fn(&Record) -> &str| {
            recs.iter()
                .map(|(_, r)| f(r))
                .find(|s| !s.is_empty())
                .unwrap_or("")
                .to_string()
        };
        let name = first_nonempty(|r| r.name.as_str());
        let image = first_nonempty(|r| r.image.as_str());
        let labels = recs
            .iter()
            .map(|(_, r)| &r.labels)
            .find(|l| !l.is_empty())
            .cloned()
            .unwrap_or_default();
        let pod = recs.iter().find_map(|(_, r)| r.pod.clone()).or_else(|| {
            recs.iter()
                .find_map(|(_, r)| Pod::from_container_labels(&r.labels).map(Arc::new))
        });
        let pid = recs
            .iter()
            .map(|(_, r)| r.pid)
            .find(|&p| p != 0)
            .unwrap_or(0);
        let (pidns, mntns, netns) = if pid != 0 {
            (
                process::ns_inode(pid, "pid"),
                process::ns_inode(pid, "mnt"),
                process::ns_inode(pid, "net"),
            )
        } else {
            (0, 0, 0)
        };
        let c = Arc::new(Container {
            id: id.to_string(),
            name,
            image,
            labels,
            pod,
            pid,
            pidns,
            mntns,
            netns,
        });
        if pid != 0 {
            view.by_pid.insert(pid, c.clone());
        }
        if mntns != 0 && mntns != host_mntns {
            view.by_mntns.insert(mntns, c.clone());
        }
        if netns != 0 && netns != host_netns {
            // Containers of one Pod share a netns: keep a stable choice (smallest id).
            netns_owner
                .entry(netns)
                .and_modify(|cur| {
                    if c.id < cur.id {
                        *cur = c.clone();
                    }
                })
                .or_insert_with(|| c.clone());
        }
        view.by_id.insert(id.to_string(), c);
    }
    view.by_netns = netns_owner;
    view
}

/// Process, container and Pod metadata, fed by the container runtimes in the background.
/// Cheap to clone; the background work stops when the last clone is dropped.
#[derive(Clone)]
pub struct MetaStore {
    shared: Arc<Shared>,
    _stop: Arc<StopGuard>,
}

struct StopGuard {
    #[cfg(feature = "runtime-base")]
    tx: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for StopGuard {
    fn drop(&mut self) {
        #[cfg(feature = "runtime-base")]
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(());
        }
    }
}

impl MetaStore {
    /// Starts the runtime integrations in the background and returns immediately.
    /// Warnings (one per runtime that cannot be reached) arrive on the receiver; print them.
    pub fn start(opts: RuntimeOptions) -> (MetaStore, mpsc::Receiver<String>) {
        let (warn_tx, warn_rx) = mpsc::channel();
        let sources = Self::enabled_sources(&opts);
        let shared = Arc::new(Shared::new(sources));
        #[cfg(feature = "runtime-base")]
        let stop = {
            let (tx, rx) = tokio::sync::oneshot::channel();
            if sources > 0 {
                spawn_background(shared.clone(), opts, warn_tx, rx);
            }
            StopGuard { tx: Some(tx) }
        };
        #[cfg(not(feature = "runtime-base"))]
        let stop = {
            let _ = (opts, warn_tx);
            StopGuard {}
        };
        (
            MetaStore {
                shared,
                _stop: Arc::new(stop),
            },
            warn_rx,
        )
    }

    /// A store that never contacts a runtime (no `--context container/pod`, or tests).
    pub fn empty() -> MetaStore {
        MetaStore {
            shared: Arc::new(Shared::new(0)),
            _stop: Arc::new(StopGuard {
                #[cfg(feature = "runtime-base")]
                tx: None,
            }),
        }
    }

    fn enabled_sources(opts: &RuntimeOptions) -> usize {
        let mut n = 0;
        if cfg!(feature = "docker") && opts.enable_docker {
            n += 1;
        }
        if cfg!(feature = "cri") && opts.enable_cri {
            n += 1;
        }
        if cfg!(feature = "containerd") && opts.enable_containerd {
            n += 1;
        }
        n
    }

    /// Waits until every runtime has either been listed once or failed to connect, at most
    /// `timeout`. Only for start-up work that needs the full picture (container filters).
    pub fn wait_ready(&self, timeout: Duration) -> bool {
        let (lock, cv) = &self.shared.ready;
        let st = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (st, _) = cv
            .wait_timeout_while(st, timeout, |s| s.pending > 0)
            .unwrap_or_else(|e| e.into_inner());
        st.pending == 0
    }

    /// The current snapshot of all known containers.
    pub fn view(&self) -> Arc<View> {
        self.shared.snapshot()
    }

    /// A container by its full id (sandbox containers are never returned).
    pub fn container_by_id(&self, id: &str) -> Option<Arc<Container>> {
        self.shared.snapshot().by_id.get(id).cloned()
    }

    /// The container of a cgroup path (see [`cgroup::container_from_path`]).
    pub fn container_for_cgroup_path(&self, path: &str) -> Option<Arc<Container>> {
        let r = cgroup::container_from_path(path)?;
        let view = self.shared.snapshot();
        self.by_id_or_nudge(&view, &r.id)
    }

    /// The container of a process that was already read (no I/O): cgroup path, then the
    /// container's own pid, then its mount namespace, then its network namespace.
    pub fn container_for_process(&self, p: &ProcInfo) -> Option<Arc<Container>> {
        let view = self.shared.snapshot();
        if let Some(r) = cgroup::container_from_path(&p.cgroup_path) {
            if view.sandboxes.contains(&r.id) {
                return None;
            }
            if let Some(c) = self.by_id_or_nudge(&view, &r.id) {
                return Some(c);
            }
        }
        self.by_namespaces(&view, p.pid, p.mntns, p.netns)
    }

    /// The container of a live process: reads `/proc/PID/cgroup` (and its namespace links if
    /// the cgroup says nothing). A few small procfs reads; callers cache per PID.
    pub fn container_for_pid(&self, pid: u32) -> Option<Arc<Container>> {
        let view = self.shared.snapshot();
        let proc_dir = format!("/proc/{pid}");
        let text = std::fs::read_to_string(format!("{proc_dir}/cgroup")).unwrap_or_default();
        if let Some(r) = cgroup::container_from_proc_cgroup(&text) {
            if view.sandboxes.contains(&r.id) {
                return None;
            }
            if let Some(c) = self.by_id_or_nudge(&view, &r.id) {
                return Some(c);
            }
        }
        let mntns = process::ns_inode(pid, "mnt");
        let netns = process::ns_inode(pid, "net");
        self.by_namespaces(&view, pid, mntns, netns)
    }

    fn by_id_or_nudge(&self, view: &View, id: &str) -> Option<Arc<Container>> {
        let hit = view.by_id.get(id).cloned();
        if hit.is_none() && !view.sandboxes.contains(id) {
            self.shared.nudge();
        }
        hit
    }

    fn by_namespaces(
        &self,
        view: &View,
        pid: u32,
        mntns: u64,
        netns: u64,
    ) -> Option<Arc<Container>> {
        if let Some(c) = view.by_pid.get(&pid) {
            return Some(c.clone());
        }
        if let Some(c) = view
            .by_mntns
            .get(&mntns)
            .filter(|_| mntns != 0 && mntns != self.shared.host_mntns)
        {
            return Some(c.clone());
        }
        if netns != 0 && netns != self.shared.host_netns {
            return view.by_netns.get(&netns).cloned();
        }
        None
    }

    /// Whether a container is selected by the command-line container filters.
    pub fn matches_filter(&self, filter: &ContainerFilter, c: &Container) -> bool {
        filter.matches(c)
    }

    /// All known containers selected by a filter, sorted by id.
    pub fn resolve_filter(&self, filter: &ContainerFilter) -> Vec<Arc<Container>> {
        let view = self.shared.snapshot();
        let mut hits: Vec<_> = view
            .by_id
            .values()
            .filter(|c| filter.matches(c))
            .cloned()
            .collect();
        hits.sort_by(|a, b| a.id.cmp(&b.id));
        hits
    }
}

#[cfg(feature = "runtime-base")]
fn spawn_background(
    shared: Arc<Shared>,
    opts: RuntimeOptions,
    warn: mpsc::Sender<String>,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    let fallback = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("ptcpdump-meta".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = warn.send(format!("container metadata disabled: {e}"));
                    return;
                }
            };
            rt.block_on(async move {
                #[cfg(feature = "docker")]
                if opts.enable_docker {
                    tokio::spawn(docker::run(shared.clone(), opts.clone(), warn.clone()));
                }
                #[cfg(feature = "cri")]
                if opts.enable_cri {
                    tokio::spawn(cri::run(shared.clone(), opts.clone(), warn.clone()));
                }
                #[cfg(feature = "containerd")]
                if opts.enable_containerd {
                    tokio::spawn(containerd::run(shared.clone(), opts.clone(), warn.clone()));
                }
                let _ = stop.await;
            });
            // Dropping the runtime cancels the tasks at their next await point.
            rt.shutdown_timeout(Duration::from_millis(100));
        });
    if spawned.is_err() {
        // Nothing will ever connect: do not let wait_ready() hang.
        for _ in 0..3 {
            fallback.mark_ready();
        }
    }
}

/// Nudge slot of each source in `Shared::nudge`.
#[cfg(feature = "runtime-base")]
pub(crate) fn nudge_slot(src: Source) -> usize {
    match src {
        Source::Docker => 0,
        Source::Cri => 1,
        Source::Containerd => 2,
    }
}

/// Sleeps `d`, or less if someone nudges this source.
#[cfg(feature = "runtime-base")]
pub(crate) async fn sleep_or_nudge(shared: &Shared, src: Source, d: Duration) {
    tokio::select! {
        _ = tokio::time::sleep(d) => {}
        _ = shared.nudge[nudge_slot(src)].notified() => {}
    }
}

/// Label map from a runtime's `HashMap`.
pub(crate) fn sorted(m: HashMap<String, String>) -> BTreeMap<String, String> {
    m.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, name: &str, image: &str, labels: &[(&str, &str)]) -> Record {
        Record {
            id: id.into(),
            name: name.into(),
            image: image.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn merge_prefers_docker_names_and_skips_sandboxes() {
        let id = "a".repeat(64);
        let sb = "b".repeat(64);
        let mut all: HashMap<Source, HashMap<String, Record>> = HashMap::new();
        all.entry(Source::Containerd).or_default().insert(
            id.clone(),
            rec(&id, "", "", &[("com.docker/engine.bundle.path", "/x")]),
        );
        all.entry(Source::Docker)
            .or_default()
            .insert(id.clone(), rec(&id, "web", "busybox", &[("app", "web")]));
        all.entry(Source::Containerd).or_default().insert(
            sb.clone(),
            rec(&sb, "", "pause", &[("io.cri-containerd.kind", "sandbox")]),
        );
        let v = merge(&all, 1, 2);
        let c = &v.by_id[&id];
        assert_eq!((c.name.as_str(), c.image.as_str()), ("web", "busybox"));
        assert_eq!(c.labels.get("app").map(String::as_str), Some("web"));
        assert!(!v.by_id.contains_key(&sb));
        assert!(v.sandboxes.contains(&sb));
    }

    #[test]
    fn merge_pod_from_labels_or_cri() {
        let id = "c".repeat(64);
        let labels = [
            ("io.kubernetes.pod.name", "web"),
            ("io.kubernetes.pod.namespace", "shop"),
            ("io.kubernetes.pod.uid", "u1"),
        ];
        let mut all: HashMap<Source, HashMap<String, Record>> = HashMap::new();
        all.entry(Source::Containerd)
            .or_default()
            .insert(id.clone(), rec(&id, "server", "img", &labels));
        let v = merge(&all, 1, 2);
        let pod = v.by_id[&id].pod.clone().unwrap();
        assert_eq!(
            (pod.name.as_str(), pod.namespace.as_str(), pod.uid.as_str()),
            ("web", "shop", "u1")
        );
        assert!(pod.labels.is_empty());

        let mut cri = rec(&id, "server", "img", &labels);
        cri.pod = Some(Arc::new(Pod::with_labels(
            "web",
            "shop",
            "u1",
            [("app".to_string(), "web".to_string())],
            [],
        )));
        all.entry(Source::Cri).or_default().insert(id.clone(), cri);
        let v = merge(&all, 1, 2);
        assert_eq!(v.by_id[&id].pod.as_ref().unwrap().labels.len(), 1);
    }

    #[test]
    fn empty_store_answers_nothing_and_is_ready() {
        let s = MetaStore::empty();
        assert!(s.wait_ready(Duration::from_millis(1)));
        assert!(s.container_by_id("x").is_none());
        assert!(s.container_for_pid(std::process::id()).is_none());
        let p = ProcInfo {
            cgroup_path: format!("/docker/{}", "d".repeat(64)),
            ..Default::default()
        };
        assert!(s.container_for_process(&p).is_none());
    }

    #[test]
    fn lookups_through_shared_records() {
        let s = MetaStore::empty();
        let id = "e".repeat(64);
        s.shared
            .upsert(Source::Docker, rec(&id, "web", "busybox", &[]));
        let p = ProcInfo {
            pid: u32::MAX,
            cgroup_path: format!("/docker/{id}"),
            ..Default::default()
        };
        assert_eq!(s.container_for_process(&p).unwrap().name, "web");
        assert_eq!(
            s.container_for_cgroup_path(&format!("/system.slice/docker-{id}.scope"))
                .unwrap()
                .id,
            id
        );
        let f = ContainerFilter {
            names: vec!["web".into()],
            ..Default::default()
        };
        assert_eq!(s.resolve_filter(&f).len(), 1);
        s.shared.remove(Source::Docker, &id);
        assert!(s.container_by_id(&id).is_none());
    }
}
