//! Container and Pod metadata for packets, and the container filters (`--container-id`,
//! `--container-name`, `--pod-name`). Lookups read `ptcpdump-meta`'s cached view and never wait
//! for a runtime; a process's container is looked up once per process (a miss is retried
//! 200 ms later, for containers the runtimes have not reported yet), and its printed text is
//! escaped once per container (`ptcpdump_meta::text`). Both ends of a packet use the same
//! lookups.
use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, mpsc::Receiver},
    time::{Duration, Instant},
};

use anyhow::{Result, bail};
use ptcpdump_meta::{
    Container, ContainerFilter, MetaStore, RuntimeOptions,
    format::json_map,
    model::{MIN_ID_PREFIX, parse_pod_name},
};

use crate::{
    annotate::{ContainerView, Context, End, PodView},
    flags::Flags,
};

const RETRY_MISS: Duration = Duration::from_millis(200);

pub struct Containers {
    store: MetaStore,
    warnings: Receiver<String>,
    cache: HashMap<u32, (Instant, Option<Arc<Container>>)>,
    /// Printed forms of each container seen (key: the runtime's record, which is replaced when
    /// the runtime reports a change).
    views: Vec<(Arc<Container>, Views)>,
    pub filter: ContainerFilter,
}

type Views = (Arc<ContainerView>, Option<Arc<PodView>>);

fn address(s: &str) -> PathBuf {
    PathBuf::from(s.strip_prefix("unix://").unwrap_or(s))
}

impl Containers {
    /// None when neither container/Pod output nor a container filter needs the runtimes.
    pub fn start(flags: &Flags, ctx: &Context) -> Result<Option<Self>> {
        for id in &flags.container_ids {
            if id.len() < MIN_ID_PREFIX {
                bail!(
                    "--container-id {id}: give the full id or a prefix of at least {MIN_ID_PREFIX} characters"
                );
            }
        }
        let filter = ContainerFilter {
            ids: flags.container_ids.clone(),
            names: flags.container_names.clone(),
            pods: flags.pod_names.iter().map(|p| parse_pod_name(p)).collect(),
        };
        if !(ctx.container || ctx.pod) && filter.is_empty() {
            return Ok(None);
        }
        let opts = RuntimeOptions {
            docker_address: address(&flags.docker_address),
            containerd_address: address(&flags.containerd_address),
            cri_runtime_address: flags.cri_runtime_address.as_deref().map(address),
            ..Default::default()
        };
        let (store, warnings) = MetaStore::start(opts);
        if !filter.is_empty() {
            // Filters name containers: give the runtimes a moment to list them (they answer in
            // tens of milliseconds; a runtime that is down is reported, not waited for).
            store.wait_ready(Duration::from_millis(800));
        }
        Ok(Some(Containers {
            store,
            warnings,
            cache: HashMap::new(),
            views: Vec::new(),
            filter,
        }))
    }

    /// Prints runtime warnings (one line each) that arrived since the last call.
    pub fn drain_warnings(&self) {
        while let Ok(w) = self.warnings.try_recv() {
            // Runtimes' answers may quote names and labels: the logger escapes them.
            log::warn!("{w}");
        }
    }

    fn container_of(&mut self, pid: u32) -> Option<Arc<Container>> {
        if pid == 0 {
            return None;
        }
        if let Some((at, c)) = self.cache.get(&pid)
            && (c.is_some() || at.elapsed() < RETRY_MISS)
        {
            return c.clone();
        }
        let c = self.store.container_for_pid(pid);
        self.cache.insert(pid, (Instant::now(), c.clone()));
        c
    }

    /// Adds the container and Pod of one end of a packet; a process that already exited (a
    /// short `wget` in a container) is looked up through its parent, which is in the same
    /// container.
    pub fn annotate(&mut self, pid: u32, end: &mut End) {
        let ppid = end.parent.as_ref().map(|p| p.pid).unwrap_or(0);
        let Some(c) = self.container_of(pid).or_else(|| self.container_of(ppid)) else {
            return;
        };
        let (cv, pv) = self.views_of(&c);
        end.container = Some(cv);
        end.pod = pv;
    }

    fn views_of(&mut self, c: &Arc<Container>) -> Views {
        if let Some((_, v)) = self.views.iter().find(|(k, _)| Arc::ptr_eq(k, c)) {
            return v.clone();
        }
        let cv = Arc::new(ContainerView {
            name: c.name.clone().into(),
            id: c.id.clone().into(),
            image: c.image.clone().into(),
            labels: json_map(&c.labels).into(),
        });
        let pv = c.pod.as_ref().map(|p| {
            Arc::new(PodView {
                name: p.name.clone().into(),
                namespace: p.namespace.clone().into(),
                uid: p.uid.clone().into(),
                labels: json_map(&p.labels).into(),
                annotations: json_map(&p.annotations).into(),
            })
        });
        // Records the runtimes replaced are dropped with their last user.
        self.views.retain(|(k, _)| Arc::strong_count(k) > 1);
        self.views.push((c.clone(), (cv.clone(), pv.clone())));
        (cv, pv)
    }

    /// Host pids of processes in containers that match the filter (all containers of a Pod).
    pub fn matching_pids(&self) -> Vec<u32> {
        if self.filter.is_empty() {
            return Vec::new();
        }
        ptcpdump_meta::process::scan_processes()
            .into_iter()
            .filter(|p| {
                self.store
                    .container_for_process(p)
                    .is_some_and(|c| self.store.matches_filter(&self.filter, &c))
            })
            .map(|p| p.pid)
            .collect()
    }

    /// Forgets cached lookups of processes that ended.
    pub fn forget(&mut self, pid: u32) {
        self.cache.remove(&pid);
    }
}
