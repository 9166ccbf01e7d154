//! Kubernetes CRI (runtime.v1, then runtime.v1alpha2): Pods from `ListPodSandbox`, containers
//! from `ListContainers`, host PIDs from `ContainerStatus(verbose)`.
//!
//! CRI has no event stream that every runtime implements, so the list is polled (once a
//! second, and at once when nudged by a lookup miss or by containerd's events). Only
//! containers not seen before cost a `ContainerStatus` call.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use tonic::transport::Channel;

use super::grpc::{error_chain, unix_channel};
use super::proto::{cri, unary};
use super::{
    CRI_CANDIDATES, CriApi, Record, RuntimeOptions, Shared, Source, sleep_or_nudge, sorted,
};
use crate::model::Pod;

const RETRY: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_secs(1);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// A Pod sandbox as listed.
struct SandboxInfo {
    id: String,
    pod: Pod,
}

/// A container as listed.
struct ContainerInfo {
    id: String,
    sandbox_id: String,
    name: String,
    image: String,
    labels: BTreeMap<String, String>,
    running: bool,
}

/// A connected CRI endpoint and the API version it answered.
struct Client {
    ch: Channel,
    version: &'static str,
}

impl Client {
    async fn version(ch: &Channel, version: &'static str) -> Result<String, tonic::Status> {
        let req = cri::VersionRequest {
            version: version.into(),
        };
        let v: cri::VersionResponse = unary(
            ch,
            &cri::method(version, "Version"),
            tonic::Request::new(req),
        )
        .await?;
        Ok(format!(
            "{} {} ({version})",
            v.runtime_name, v.runtime_version
        ))
    }

    async fn list(&mut self) -> Result<(Vec<SandboxInfo>, Vec<ContainerInfo>), tonic::Status> {
        let v = self.version;
        let pods: cri::ListPodSandboxResponse = unary(
            &self.ch,
            &cri::method(v, "ListPodSandbox"),
            tonic::Request::new(cri::ListRequest {}),
        )
        .await?;
        let ctrs: cri::ListContainersResponse = unary(
            &self.ch,
            &cri::method(v, "ListContainers"),
            tonic::Request::new(cri::ListRequest {}),
        )
        .await?;
        let pods = pods
            .items
            .into_iter()
            .map(|p| {
                let md = p.metadata.unwrap_or_default();
                SandboxInfo {
                    id: p.id,
                    pod: Pod::with_labels(
                        &md.name,
                        &md.namespace,
                        &md.uid,
                        p.labels,
                        p.annotations,
                    ),
                }
            })
            .collect();
        let ctrs = ctrs
            .containers
            .into_iter()
            .map(|c| ContainerInfo {
                running: c.state == cri::CONTAINER_RUNNING,
                name: c.metadata.map(|m| m.name).unwrap_or_default(),
                image: c.image.map(|i| i.image).unwrap_or_default(),
                labels: sorted(c.labels),
                sandbox_id: c.pod_sandbox_id,
                id: c.id,
            })
            .collect();
        Ok((pods, ctrs))
    }

    /// (host pid, image name) of a container.
    async fn status(&mut self, id: &str) -> Result<(u32, String), tonic::Status> {
        let req = cri::ContainerStatusRequest {
            container_id: id.to_string(),
            verbose: true,
        };
        let r: cri::ContainerStatusResponse = unary(
            &self.ch,
            &cri::method(self.version, "ContainerStatus"),
            tonic::Request::new(req),
        )
        .await?;
        let image = r
            .status
            .and_then(|s| s.image)
            .map(|i| i.image)
            .unwrap_or_default();
        Ok((pid_from_info(&r.info), image))
    }
}

/// `info["info"]` of a verbose status is a JSON document with the task's `pid`.
fn pid_from_info(info: &HashMap<String, String>) -> u32 {
    info.get("info")
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        .and_then(|v| v.get("pid")?.as_u64())
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or(0)
}

pub(crate) async fn run(shared: Arc<Shared>, opts: RuntimeOptions, warn: mpsc::Sender<String>) {
    let mut warned = false;
    let mut first = true;
    loop {
        match find_endpoint(&opts).await {
            Ok(mut client) => {
                let mut cache: HashMap<String, (u32, String)> = HashMap::new();
                loop {
                    match sync(&mut client, &mut cache).await {
                        Ok(recs) => shared.replace_source(Source::Cri, recs),
                        Err(_) => break,
                    }
                    if std::mem::take(&mut first) {
                        shared.mark_ready();
                    }
                    sleep_or_nudge(&shared, Source::Cri, POLL).await;
                }
            }
            Err(e) => {
                if !warned {
                    let _ = warn.send(format!("skip Kubernetes integration due to {e}"));
                    warned = true;
                }
            }
        }
        // Also when the endpoint answered Version but the first listing failed.
        if std::mem::take(&mut first) {
            shared.mark_ready();
        }
        sleep_or_nudge(&shared, Source::Cri, RETRY).await;
    }
}

/// The configured endpoint, or the first of [`CRI_CANDIDATES`] that answers `Version`.
async fn find_endpoint(opts: &RuntimeOptions) -> Result<Client, String> {
    let candidates: Vec<PathBuf> = match &opts.cri_runtime_address {
        Some(p) => vec![p.clone()],
        None => CRI_CANDIDATES.iter().map(PathBuf::from).collect(),
    };
    let mut errors = Vec::new();
    for path in &candidates {
        match probe(path, opts.connect_timeout, opts.cri_api).await {
            Ok(c) => return Ok(c),
            Err(e) => errors.push(e),
        }
    }
    Err(format!("no CRI runtime answered: {}", errors.join("; ")))
}

async fn probe(path: &Path, timeout: Duration, api: CriApi) -> Result<Client, String> {
    let shown = path.display();
    let ch: Channel = unix_channel(path, timeout, Some(REQUEST_TIMEOUT))
        .await
        .map_err(|e| format!("{shown}: {e}"))?;
    let e1 = if api == CriApi::V1alpha2 {
        "not tried".to_string()
    } else {
        match tokio::time::timeout(timeout, Client::version(&ch, "v1")).await {
            Ok(Ok(_)) => return Ok(Client { ch, version: "v1" }),
            Ok(Err(e)) if api == CriApi::V1 => {
                return Err(format!("{shown}: v1: {}", error_chain(&e)));
            }
            Ok(Err(e)) => error_chain(&e),
            // A socket that does not answer at all will not answer v1alpha2 either.
            Err(_) => return Err(format!("{shown}: no answer within {timeout:?}")),
        }
    };
    match tokio::time::timeout(timeout, Client::version(&ch, "v1alpha2")).await {
        Ok(Ok(_)) => Ok(Client {
            ch,
            version: "v1alpha2",
        }),
        Ok(Err(e)) => Err(format!("{shown}: v1: {e1}; v1alpha2: {}", error_chain(&e))),
        Err(_) => Err(format!(
            "{shown}: v1: {e1}; v1alpha2: no answer within {timeout:?}"
        )),
    }
}

/// One listing: Pods and containers as records (sandboxes marked, so pause is skipped).
async fn sync(
    client: &mut Client,
    cache: &mut HashMap<String, (u32, String)>,
) -> Result<HashMap<String, Record>, tonic::Status> {
    let (sandboxes, containers) = client.list().await?;
    let pods: HashMap<String, Arc<Pod>> = sandboxes
        .into_iter()
        .map(|s| (s.id, Arc::new(s.pod)))
        .collect();
    let mut out = HashMap::new();
    for (id, pod) in &pods {
        out.insert(
            id.clone(),
            Record {
                id: id.clone(),
                pod: Some(pod.clone()),
                sandbox: true,
                ..Default::default()
            },
        );
    }
    cache.retain(|id, _| containers.iter().any(|c| &c.id == id && c.running));
    for c in containers {
        let (pid, status_image) = if c.running {
            match cache.get(&c.id) {
                Some(v) => v.clone(),
                None => {
                    // A container that vanished between the two calls is simply skipped.
                    let Ok(v) = client.status(&c.id).await else {
                        continue;
                    };
                    cache.insert(c.id.clone(), v.clone());
                    v
                }
            }
        } else {
            (0, String::new())
        };
        // ListContainers often gives the image id; the status has the name the Pod asked for.
        let image = if !status_image.is_empty() && !status_image.starts_with("sha256:") {
            status_image
        } else {
            c.image
        };
        out.insert(
            c.id.clone(),
            Record {
                id: c.id,
                name: c.name,
                image,
                labels: c.labels,
                pod: pods.get(&c.sandbox_id).cloned(),
                pid,
                sandbox: false,
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_from_verbose_info() {
        let mut m = HashMap::new();
        assert_eq!(pid_from_info(&m), 0);
        m.insert(
            "info".to_string(),
            r#"{"pid": 4242, "sandboxID": "x"}"#.to_string(),
        );
        assert_eq!(pid_from_info(&m), 4242);
        m.insert("info".to_string(), "not json".to_string());
        assert_eq!(pid_from_info(&m), 0);
        m.insert("info".to_string(), r#"{"pid": -1}"#.to_string());
        assert_eq!(pid_from_info(&m), 0);
    }

    #[test]
    fn sorted_labels() {
        let m: HashMap<String, String> = [("b", "2"), ("a", "1")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let s = sorted(m);
        assert_eq!(s.keys().collect::<Vec<_>>(), ["a", "b"]);
    }
}
