//! A small CRI client over this crate's public gRPC API: creates and removes Kubernetes-style Pods
//! on a CRI runtime (containerd), the way kubelet fills in the requests.
//!
//! ```text
//! cri_pod [--socket PATH] run [--label K=V]... [--annotation K=V]... NAME NAMESPACE UID CONTAINER=CMD...
//! cri_pod [--socket PATH] rm POD_ID
//! ```
//!
//! `run` starts a sandbox (cgroup parent `/kubepods/besteffort/pod<UID>`, kubelet's
//! `io.kubernetes.pod.*` labels) and one container per `CONTAINER=CMD` (image
//! `ctit.local/busybox:1`, `sh -c CMD`), then prints one line each:
//!
//! ```text
//! pod <POD_ID> <PAUSE_PID>
//! container <NAME> <CONTAINER_ID> <HOST_PID>
//! ip <POD_IP>
//! ```
//!
//! `rm` stops and removes the sandbox with its containers (which also runs CNI DEL).
//! Exit status 1 with a message on stderr on any error; a half-created Pod is removed again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use ptcpdump_meta::runtime::proto::cri::{self, *};
use ptcpdump_meta::runtime::proto::{GrpcChannel, ProstMessage, call, connect_unix};

const DEFAULT_SOCKET: &str = "/run/containerd/containerd.sock";
const IMAGE: &str = "ctit.local/busybox:1";
const USAGE: &str = "usage: cri_pod [--socket PATH] run [--label K=V]... [--annotation K=V]... \
                     NAME NAMESPACE UID CONTAINER=CMD...\n       cri_pod [--socket PATH] rm POD_ID";

/// `PodSandboxStatusResponse.status` (field 1) with only the network status: the crate's own
/// response type declares just the verbose `info` map.
#[derive(Clone, PartialEq, prost::Message)]
struct SandboxStatusResponse {
    #[prost(message, optional, tag = "1")]
    status: Option<SandboxStatus>,
}
#[derive(Clone, PartialEq, prost::Message)]
struct SandboxStatus {
    #[prost(message, optional, tag = "5")]
    network: Option<SandboxNetworkStatus>,
}
#[derive(Clone, PartialEq, prost::Message)]
struct SandboxNetworkStatus {
    #[prost(string, tag = "1")]
    ip: String,
}

type Error = Box<dyn std::error::Error>;

struct RunArgs {
    name: String,
    namespace: String,
    uid: String,
    labels: HashMap<String, String>,
    annotations: HashMap<String, String>,
    containers: Vec<(String, String)>,
}

enum Cmd {
    Run(RunArgs),
    Rm(String),
}

fn key_value(s: &str, what: &str) -> Result<(String, String), Error> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("{what} {s:?}: expected KEY=VALUE").into()),
    }
}

fn parse(args: &[String]) -> Result<(PathBuf, Cmd), Error> {
    let mut socket = PathBuf::from(DEFAULT_SOCKET);
    let mut it = args.iter().peekable();
    while let Some(a) = it.next_if(|a| a.starts_with("--")) {
        match a.as_str() {
            "--socket" => socket = it.next().ok_or("--socket needs a path")?.into(),
            _ => return Err(format!("unknown option {a}").into()),
        }
    }
    match it.next().map(String::as_str) {
        Some("rm") => match (it.next(), it.next()) {
            (Some(id), None) => Ok((socket, Cmd::Rm(id.clone()))),
            _ => Err("rm takes one POD_ID".into()),
        },
        Some("run") => {
            let mut labels = HashMap::new();
            let mut annotations = HashMap::new();
            let mut positional = Vec::new();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--label" => {
                        let (k, v) = key_value(it.next().ok_or("--label needs K=V")?, "label")?;
                        labels.insert(k, v);
                    }
                    "--annotation" => {
                        let kv = it.next().ok_or("--annotation needs K=V")?;
                        let (k, v) = key_value(kv, "annotation")?;
                        annotations.insert(k, v);
                    }
                    _ => positional.push(a.clone()),
                }
            }
            if positional.len() < 4 {
                return Err("run needs NAME NAMESPACE UID and at least one CONTAINER=CMD".into());
            }
            let containers = positional[3..]
                .iter()
                .map(|c| key_value(c, "container"))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((
                socket,
                Cmd::Run(RunArgs {
                    name: positional[0].clone(),
                    namespace: positional[1].clone(),
                    uid: positional[2].clone(),
                    labels,
                    annotations,
                    containers,
                }),
            ))
        }
        _ => Err(USAGE.into()),
    }
}

/// kubelet's defaults: network and IPC shared by the Pod, one PID namespace per container.
fn pod_namespaces() -> NamespaceOption {
    NamespaceOption {
        network: NAMESPACE_POD,
        pid: NAMESPACE_CONTAINER,
        ipc: NAMESPACE_POD,
    }
}

fn kubelet_labels(md: &PodSandboxMetadata) -> HashMap<String, String> {
    [
        ("io.kubernetes.pod.name", &md.name),
        ("io.kubernetes.pod.namespace", &md.namespace),
        ("io.kubernetes.pod.uid", &md.uid),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect()
}

fn pod_config(a: &RunArgs) -> PodSandboxConfig {
    let metadata = PodSandboxMetadata {
        name: a.name.clone(),
        uid: a.uid.clone(),
        namespace: a.namespace.clone(),
        attempt: 0,
    };
    let mut labels = a.labels.clone();
    labels.extend(kubelet_labels(&metadata));
    let hostname: String = a.name.chars().take_while(|c| *c != '.').take(63).collect();
    PodSandboxConfig {
        hostname,
        log_directory: format!("/var/log/pods/{}_{}_{}", a.namespace, a.name, a.uid),
        labels,
        annotations: a.annotations.clone(),
        linux: Some(LinuxPodSandboxConfig {
            cgroup_parent: format!("/kubepods/besteffort/pod{}", a.uid),
            security_context: Some(LinuxSandboxSecurityContext {
                namespace_options: Some(pod_namespaces()),
            }),
        }),
        metadata: Some(metadata),
    }
}

async fn cri_call<Req, Resp>(ch: &GrpcChannel, name: &str, req: Req) -> Result<Resp, Error>
where
    Req: ProstMessage + Send + Sync + 'static,
    Resp: ProstMessage + Default + Send + Sync + 'static,
{
    call(ch, &cri::method("v1", name), req)
        .await
        .map_err(|e| format!("CRI {name}: {}", e.message()).into())
}

/// The `pid` in a verbose status's `info["info"]` JSON.
fn info_pid(info: &HashMap<String, String>) -> Result<u32, Error> {
    let v: serde_json::Value = serde_json::from_str(info.get("info").ok_or("no verbose info")?)?;
    let pid = v["pid"].as_u64().ok_or("no pid in verbose info")?;
    Ok(u32::try_from(pid)?)
}

/// Creates and starts one container; returns its id and host pid.
async fn add_container(
    ch: &GrpcChannel,
    pod_id: &str,
    cfg: &PodSandboxConfig,
    name: &str,
    cmd: &str,
) -> Result<(String, u32), Error> {
    let md = cfg.metadata.clone().unwrap_or_default();
    let mut labels = kubelet_labels(&md);
    labels.insert("io.kubernetes.container.name".into(), name.into());
    let ccfg = ContainerConfig {
        metadata: Some(ContainerMetadata {
            name: name.into(),
            attempt: 0,
        }),
        image: Some(ImageSpec {
            image: IMAGE.into(),
        }),
        command: vec!["sh".into(), "-c".into(), cmd.into()],
        labels,
        log_path: format!("{name}/0.log"),
        linux: Some(LinuxContainerConfig {
            security_context: Some(LinuxContainerSecurityContext {
                namespace_options: Some(pod_namespaces()),
            }),
        }),
        ..Default::default()
    };
    let created: CreateContainerResponse = cri_call(
        ch,
        "CreateContainer",
        CreateContainerRequest {
            pod_sandbox_id: pod_id.into(),
            config: Some(ccfg),
            sandbox_config: Some(cfg.clone()),
        },
    )
    .await?;
    let id = created.container_id;
    let _: () = cri_call(
        ch,
        "StartContainer",
        StartContainerRequest {
            container_id: id.clone(),
        },
    )
    .await?;
    let st: ContainerStatusResponse = cri_call(
        ch,
        "ContainerStatus",
        ContainerStatusRequest {
            container_id: id.clone(),
            verbose: true,
        },
    )
    .await?;
    Ok((id, info_pid(&st.info)?))
}

async fn remove(ch: &GrpcChannel, pod_id: &str) -> Result<(), Error> {
    let req = StopPodSandboxRequest {
        pod_sandbox_id: pod_id.into(),
    };
    let _: () = cri_call(ch, "StopPodSandbox", req.clone()).await?;
    let _: () = cri_call(ch, "RemovePodSandbox", req).await?;
    Ok(())
}

/// Everything after RunPodSandbox; the caller removes the sandbox if this fails.
async fn fill_pod(
    ch: &GrpcChannel,
    pod_id: &str,
    cfg: &PodSandboxConfig,
    a: &RunArgs,
) -> Result<(), Error> {
    let st: PodSandboxStatusResponse = cri_call(
        ch,
        "PodSandboxStatus",
        PodSandboxStatusRequest {
            pod_sandbox_id: pod_id.into(),
            verbose: true,
        },
    )
    .await?;
    println!("pod {pod_id} {}", info_pid(&st.info)?);
    for (name, cmd) in &a.containers {
        let (id, pid) = add_container(ch, pod_id, cfg, name, cmd).await?;
        println!("container {name} {id} {pid}");
    }
    let net: SandboxStatusResponse = cri_call(
        ch,
        "PodSandboxStatus",
        PodSandboxStatusRequest {
            pod_sandbox_id: pod_id.into(),
            verbose: false,
        },
    )
    .await?;
    let ip = net
        .status
        .and_then(|s| s.network)
        .map(|n| n.ip)
        .unwrap_or_default();
    println!("ip {}", if ip.is_empty() { "-" } else { &ip });
    Ok(())
}

async fn run(socket: PathBuf, cmd: Cmd) -> Result<(), Error> {
    let ch = connect_unix(&socket, Duration::from_secs(2))
        .await
        .map_err(|e| format!("connect to {}: {e}", socket.display()))?;
    match cmd {
        Cmd::Rm(id) => remove(&ch, &id).await,
        Cmd::Run(a) => {
            let cfg = pod_config(&a);
            let r: RunPodSandboxResponse = cri_call(
                &ch,
                "RunPodSandbox",
                RunPodSandboxRequest {
                    config: Some(cfg.clone()),
                    runtime_handler: String::new(),
                },
            )
            .await?;
            let pod_id = r.pod_sandbox_id;
            if let Err(e) = fill_pod(&ch, &pod_id, &cfg, &a).await {
                if let Err(e2) = remove(&ch, &pod_id).await {
                    eprintln!("cri_pod: removing Pod {pod_id} failed too: {e2}");
                }
                return Err(e);
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (socket, cmd) = match parse(&args) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cri_pod: {e}");
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cri_pod: tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(socket, cmd)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cri_pod: {e}");
            ExitCode::FAILURE
        }
    }
}
