//! containerd's native API: containers and tasks of every containerd namespace (`moby`,
//! `k8s.io`, `default`, ...), refreshed on task/container events.
//!
//! containerd's events also nudge the CRI source, so Pods served by containerd show up as
//! soon as their task starts instead of at the next CRI poll.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use futures_util::StreamExt;
use tonic::Request;
use tonic::metadata::MetadataValue;
use tonic::transport::Channel;

use super::grpc::{error_chain, unix_channel};
use super::proto::containerd::{self as pb, FilterRequest, FiltersRequest};
use super::proto::{server_streaming, unary};
use super::{Record, RuntimeOptions, Shared, Source, nudge_slot, sleep_or_nudge, sorted};

const RETRY: Duration = Duration::from_secs(3);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// Safety net when events are lost (for example a subscription that silently broke).
const RESYNC: Duration = Duration::from_secs(10);

pub(crate) async fn run(shared: Arc<Shared>, opts: RuntimeOptions, warn: mpsc::Sender<String>) {
    let mut warned = false;
    let mut first = true;
    loop {
        match connect(&opts).await {
            Ok((ch, events_ch)) => follow(&shared, ch, events_ch, &mut first).await,
            Err(e) => {
                if !warned {
                    let _ = warn.send(format!("skip containerd integration due to {e}"));
                    warned = true;
                }
            }
        }
        if std::mem::take(&mut first) {
            shared.mark_ready();
        }
        sleep_or_nudge(&shared, Source::Containerd, RETRY).await;
    }
}

/// A channel for requests and one without request timeout for the event stream.
async fn connect(opts: &RuntimeOptions) -> Result<(Channel, Channel), String> {
    let path = &opts.containerd_address;
    let t = opts.connect_timeout;
    let shown = path.display();
    let ch = unix_channel(path, t, Some(REQUEST_TIMEOUT))
        .await
        .map_err(|e| format!("{shown}: {e}"))?;
    let version = unary::<(), pb::VersionResponse>(&ch, pb::VERSION, Request::new(()));
    match tokio::time::timeout(t, version).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(format!("{shown}: {}", error_chain(&e))),
        Err(_) => return Err(format!("{shown}: no answer within {t:?}")),
    }
    let events = unix_channel(path, t, None)
        .await
        .map_err(|e| format!("{shown}: {e}"))?;
    Ok((ch, events))
}

async fn follow(shared: &Shared, ch: Channel, events_ch: Channel, first: &mut bool) {
    // containerd sends the stream's headers only with the first event, so the subscription
    // lives in its own task and reports through a channel; dropping `rx` ends it.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    let watcher = tokio::spawn(watch_events(events_ch, tx));
    match list_all(shared, &ch).await {
        Ok(recs) => shared.replace_source(Source::Containerd, recs),
        Err(_) => {
            watcher.abort();
            return;
        }
    }
    if std::mem::take(first) {
        shared.mark_ready();
    }
    loop {
        tokio::select! {
            ev = rx.recv() => {
                if ev.is_none() {
                    // The stream ended: reconnect from scratch.
                    break;
                }
                shared.nudge[nudge_slot(Source::Cri)].notify_one();
            }
            _ = shared.nudge[nudge_slot(Source::Containerd)].notified() => {}
            _ = tokio::time::sleep(RESYNC) => {}
        }
        match list_all(shared, &ch).await {
            Ok(recs) => shared.replace_source(Source::Containerd, recs),
            Err(_) => break,
        }
    }
    watcher.abort();
}

async fn watch_events(ch: Channel, tx: tokio::sync::mpsc::Sender<()>) {
    let req = FiltersRequest {
        filters: vec![
            r#"topic~="^/tasks/(start|exit|delete)$""#.to_string(),
            r#"topic~="^/containers/(create|update|delete)$""#.to_string(),
        ],
    };
    let Ok(mut stream) =
        server_streaming::<_, pb::Envelope>(&ch, pb::SUBSCRIBE, Request::new(req)).await
    else {
        return;
    };
    while let Some(Ok(_)) = stream.next().await {
        // A full channel already holds a pending refresh: dropping this one loses nothing.
        if let Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) = tx.try_send(()) {
            return;
        }
    }
}

fn namespaced<T>(msg: T, ns: &str) -> Option<Request<T>> {
    let mut req = Request::new(msg);
    let value = MetadataValue::try_from(ns).ok()?;
    req.metadata_mut().insert("containerd-namespace", value);
    Some(req)
}

/// containerd namespace of Docker's containers.
const DOCKER_NAMESPACE: &str = "moby";

async fn list_all(shared: &Shared, ch: &Channel) -> Result<HashMap<String, Record>, tonic::Status> {
    let namespaces: pb::ListNamespacesResponse = unary(
        ch,
        pb::LIST_NAMESPACES,
        Request::new(FilterRequest::default()),
    )
    .await?;
    let docker_up = shared.docker_connected.load(Ordering::Relaxed);
    let mut out = HashMap::new();
    for ns in namespaces.namespaces {
        if docker_up && ns.name == DOCKER_NAMESPACE {
            continue;
        }
        let (Some(creq), Some(treq)) = (
            namespaced(FiltersRequest::default(), &ns.name),
            namespaced(FilterRequest::default(), &ns.name),
        ) else {
            continue;
        };
        let containers: pb::ListContainersResponse = unary(ch, pb::LIST_CONTAINERS, creq).await?;
        let tasks: pb::ListTasksResponse = unary(ch, pb::LIST_TASKS, treq).await?;
        let pids: HashMap<String, u32> = tasks
            .tasks
            .into_iter()
            .filter(|t| t.status == pb::TASK_RUNNING && t.pid != 0)
            .map(|t| (t.id, t.pid))
            .collect();
        let containers = containers.containers;
        for c in containers {
            let labels = sorted(c.labels);
            let name = labels
                .get("nerdctl/name")
                .or_else(|| labels.get(crate::model::LABEL_CONTAINER_NAME))
                .cloned()
                .unwrap_or_default();
            let pid = pids.get(&c.id).copied().unwrap_or(0);
            out.insert(
                c.id.clone(),
                Record {
                    id: c.id,
                    name,
                    image: c.image,
                    labels,
                    pod: None,
                    pid,
                    sandbox: false,
                },
            );
        }
    }
    Ok(out)
}
