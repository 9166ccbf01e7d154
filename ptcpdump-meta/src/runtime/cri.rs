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

/// The same calls for both API versions: the generated types differ only by module.
macro_rules! cri_api {
    ($modname:ident, $api:ident, $version:literal) => {
        mod $modname {
            use super::{ContainerInfo, SandboxInfo};
            use crate::model::Pod;
            use k8s_cri::$api as api;
            use tonic::transport::Channel;

            pub(super) type Client = api::runtime_service_client::RuntimeServiceClient<Channel>;

            pub(super) async fn version(c: &mut Client) -> Result<String, tonic::Status> {
                let v = c
                    .version(api::VersionRequest {
                        version: $version.into(),
                    })
                    .await?
                    .into_inner();
                Ok(format!(
                    "{} {} ({})",
                    v.runtime_name, v.runtime_version, $version
                ))
            }

            pub(super) async fn list(
                c: &mut Client,
            ) -> Result<(Vec<SandboxInfo>, Vec<ContainerInfo>), tonic::Status> {
                let pods = c
                    .list_pod_sandbox(api::ListPodSandboxRequest { filter: None })
                    .await?
                    .into_inner()
                    .items;
                let ctrs = c
                    .list_containers(api::ListContainersRequest { filter: None })
                    .await?
                    .into_inner()
                    .containers;
                let pods = pods
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
                    .into_iter()
                    .map(|c| ContainerInfo {
                        running: c.state == api::ContainerState::ContainerRunning as i32,
                        name: c.metadata.map(|m| m.name).unwrap_or_default(),
                        image: c.image.map(|i| i.image).unwrap_or_default(),
                        labels: super::sorted(c.labels),
                        sandbox_id: c.pod_sandbox_id,
                        id: c.id,
                    })
                    .collect();
                Ok((pods, ctrs))
            }

            /// (host pid, image name) of a container.
            pub(super) async fn status(
                c: &mut Client,
                id: &str,
            ) -> Result<(u32, String), tonic::Status> {
                let r = c
                    .container_status(api::ContainerStatusRequest {
                        container_id: id.to_string(),
                        verbose: true,
                    })
                    .await?
                    .into_inner();
                let image = r
                    .status
                    .and_then(|s| s.image)
                    .map(|i| i.image)
                    .unwrap_or_default();
                Ok((super::pid_from_info(&r.info), image))
            }
        }
    };
}

cri_api!(v1, v1, "v1");
cri_api!(v1alpha2, v1alpha2, "v1alpha2");

enum Client {
    V1(v1::Client),
    V1alpha2(v1alpha2::Client),
}

impl Client {
    async fn list(&mut self) -> Result<(Vec<SandboxInfo>, Vec<ContainerInfo>), tonic::Status> {
        match self {
            Client::V1(c) => v1::list(c).await,
            Client::V1alpha2(c) => v1alpha2::list(c).await,
        }
    }

    async fn status(&mut self, id: &str) -> Result<(u32, String), tonic::Status> {
        match self {
            Client::V1(c) => v1::status(c, id).await,
            Client::V1alpha2(c) => v1alpha2::status(c, id).await,
        }
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
                if std::mem::take(&mut first) {
                    shared.mark_ready();
                }
            }
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
        let mut c1 = v1::Client::new(ch.clone());
        match tokio::time::timeout(timeout, v1::version(&mut c1)).await {
            Ok(Ok(_)) => return Ok(Client::V1(c1)),
            Ok(Err(e)) if api == CriApi::V1 => {
                return Err(format!("{shown}: v1: {}", error_chain(&e)));
            }
            Ok(Err(e)) => error_chain(&e),
            // A socket that does not answer at all will not answer v1alpha2 either.
            Err(_) => return Err(format!("{shown}: no answer within {timeout:?}")),
        }
    };
    let mut c2 = v1alpha2::Client::new(ch);
    match tokio::time::timeout(timeout, v1alpha2::version(&mut c2)).await {
        Ok(Ok(_)) => Ok(Client::V1alpha2(c2)),
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
