//! Docker Engine API (bollard): running containers at start, then `start`/`die`/`destroy` events.
//!
//! The API version is negotiated (the daemon may be older than bollard's default; Debian 12's
//! 20.10 speaks 1.41 at most and rejects newer clients).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use bollard::Docker;
use bollard::container::{InspectContainerOptions, ListContainersOptions};
use bollard::system::EventsOptions;
use futures_util::StreamExt;

use super::{Record, RuntimeOptions, Shared, Source, sleep_or_nudge, sorted};

const RETRY: Duration = Duration::from_secs(3);
/// Whole seconds: bollard's per-request timeout unit.
const REQUEST_TIMEOUT_SECS: u64 = 2;

pub(crate) async fn run(shared: Arc<Shared>, opts: RuntimeOptions, warn: mpsc::Sender<String>) {
    let mut warned = false;
    let mut first = true;
    loop {
        match connect(&opts).await {
            Ok(docker) => {
                shared.docker_connected.store(true, Ordering::Relaxed);
                follow(&shared, &docker, &mut first).await;
                shared.docker_connected.store(false, Ordering::Relaxed);
                shared.nudge[super::nudge_slot(Source::Containerd)].notify_one();
            }
            Err(e) => {
                if !warned {
                    let _ = warn.send(format!("skip Docker Engine integration due to {e}"));
                    warned = true;
                }
                if std::mem::take(&mut first) {
                    shared.mark_ready();
                }
            }
        }
        sleep_or_nudge(&shared, Source::Docker, RETRY).await;
    }
}

async fn connect(opts: &RuntimeOptions) -> Result<Docker, String> {
    let path = opts.docker_address.to_string_lossy().into_owned();
    let docker =
        Docker::connect_with_unix(&path, REQUEST_TIMEOUT_SECS, bollard::API_DEFAULT_VERSION)
            .map_err(|e| format!("cannot connect to the Docker daemon at unix://{path}: {e}"))?;
    match tokio::time::timeout(opts.connect_timeout, docker.negotiate_version()).await {
        Ok(Ok(d)) => Ok(d),
        Ok(Err(e)) => Err(format!(
            "cannot connect to the Docker daemon at unix://{path}: {e}"
        )),
        Err(_) => Err(format!(
            "cannot connect to the Docker daemon at unix://{path}: no answer within {:?}",
            opts.connect_timeout
        )),
    }
}

/// Lists, then follows events until the daemon goes away.
async fn follow(shared: &Shared, docker: &Docker, first: &mut bool) {
    let mut filters = HashMap::new();
    filters.insert("type".to_string(), vec!["container".to_string()]);
    filters.insert(
        "event".to_string(),
        vec![
            "start".to_string(),
            "die".to_string(),
            "destroy".to_string(),
        ],
    );
    // Subscribe before listing so that nothing started in between is missed.
    let mut events = docker
        .events(Some(EventsOptions::<String> {
            filters,
            ..Default::default()
        }))
        .boxed();
    let listed = list_all(shared, docker, false).await;
    if std::mem::take(first) {
        if let Some(recs) = &listed {
            shared.replace_source(Source::Docker, recs.clone());
        }
        shared.mark_ready();
    } else if let Some(recs) = listed {
        shared.replace_source(Source::Docker, recs);
    }
    loop {
        tokio::select! {
            ev = events.next() => {
                let Some(Ok(ev)) = ev else { return };
                let Some(id) = ev.actor.and_then(|a| a.id) else { continue };
                match ev.action.as_deref() {
                    Some("start") => {
                        if let Some(r) = inspect(docker, &id).await {
                            shared.upsert(Source::Docker, r);
                        }
                    }
                    Some("die") => shared.stopped(Source::Docker, &id),
                    Some("destroy") => shared.remove(Source::Docker, &id),
                    _ => {}
                }
            }
            _ = shared.nudge[super::nudge_slot(Source::Docker)].notified() => {
                match list_all(shared, docker, true).await {
                    Some(recs) => shared.replace_source(Source::Docker, recs),
                    None => return,
                }
            }
        }
    }
}

/// Running containers. Ones already known with a pid keep their record: only new (or
/// restarted) containers cost an inspect, so a re-list on a lookup miss stays cheap.
async fn list_all(
    shared: &Shared,
    docker: &Docker,
    reuse: bool,
) -> Option<HashMap<String, Record>> {
    let list = docker
        .list_containers(Some(ListContainersOptions::<String> {
            all: false,
            ..Default::default()
        }))
        .await
        .ok()?;
    // While the event stream runs, `die`/`start` keep known pids right; after a reconnect
    // they may be stale, so everything is inspected again.
    let known = if reuse {
        shared.source_records(Source::Docker)
    } else {
        HashMap::new()
    };
    let mut out = HashMap::new();
    for c in list {
        let Some(id) = c.id else { continue };
        let rec = match known.get(&id).filter(|r| r.pid != 0) {
            Some(r) => Some(r.clone()),
            None => inspect(docker, &id).await,
        };
        if let Some(r) = rec {
            out.insert(id, r);
        }
    }
    Some(out)
}

async fn inspect(docker: &Docker, id: &str) -> Option<Record> {
    let c = docker
        .inspect_container(id, None::<InspectContainerOptions>)
        .await
        .ok()?;
    let config = c.config.unwrap_or_default();
    let running = c.state.as_ref().and_then(|s| s.running).unwrap_or(false);
    let pid = c.state.and_then(|s| s.pid).unwrap_or(0);
    Some(Record {
        id: c.id.unwrap_or_else(|| id.to_string()),
        name: c
            .name
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string(),
        image: config.image.unwrap_or_default(),
        labels: sorted(config.labels.unwrap_or_default()),
        pod: None,
        pid: if running {
            u32::try_from(pid).unwrap_or(0)
        } else {
            0
        },
        sandbox: false,
    })
}
