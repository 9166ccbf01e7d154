//! Integration tests against real runtimes.
//!
//! `no_runtime_*` run everywhere. The others need root, `PTCPDUMP_CONTAINER_IT=1` and the
//! daemons of `tests/containers/ct-up.sh` (dockerd and containerd with CRI, images
//! `ctit.local/busybox:1` and `ctit.local/pause:1`); without them they print why and return.
//! Everything a test creates is removed by a guard, also when an assertion fails.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use ptcpdump_meta::model::ContainerFilter;
use ptcpdump_meta::runtime::proto::cri::{self, *};
use ptcpdump_meta::runtime::proto::{GrpcChannel as Channel, ProstMessage, call, connect_unix};
use ptcpdump_meta::{Container, MetaStore, RuntimeOptions};

const DOCKER: &str = "/usr/bin/docker";
const CONTAINERD: &str = "/run/containerd/containerd.sock";
const IMAGE: &str = "ctit.local/busybox:1";

fn enabled() -> bool {
    let on = std::env::var("PTCPDUMP_CONTAINER_IT").is_ok_and(|v| v == "1");
    // procfs shows a process's own directory as owned by its effective uid
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !on || !root {
        eprintln!("skipped: needs root, PTCPDUMP_CONTAINER_IT=1 and tests/containers/ct-up.sh");
    }
    on && root
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ptcpdump-meta-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// No daemon anywhere: start() returns at once, each source warns once within a second,
/// and lookups answer "nothing" without blocking.
#[test]
fn no_runtime_warns_quickly() {
    let dir = scratch("none");
    // a stale socket file (connection refused) and a listener that never answers
    let stale = dir.join("stale.sock");
    drop(UnixListener::bind(&stale).unwrap());
    let silent = dir.join("silent.sock");
    let _silent = UnixListener::bind(&silent).unwrap();
    let opts = RuntimeOptions {
        docker_address: silent.clone(),
        containerd_address: stale.clone(),
        cri_runtime_address: Some(dir.join("missing.sock")),
        ..RuntimeOptions::default()
    };
    let t = Instant::now();
    let (store, warnings) = MetaStore::start(opts);
    let started = t.elapsed();
    assert!(
        started < Duration::from_millis(50),
        "start() took {started:?}"
    );
    assert!(store.container_for_pid(std::process::id()).is_none());
    let mut got = Vec::new();
    while got.len() < 3 {
        let left = Duration::from_secs(1).saturating_sub(t.elapsed());
        match warnings.recv_timeout(left) {
            Ok(w) => got.push(w),
            Err(_) => break,
        }
    }
    let took = t.elapsed();
    assert_eq!(got.len(), 3, "warnings after {took:?}: {got:?}");
    assert!(store.wait_ready(Duration::from_millis(100)));
    got.sort();
    assert!(
        got[0].starts_with("skip Docker Engine integration due to "),
        "{got:?}"
    );
    assert!(got[0].contains("silent.sock"), "{got:?}");
    assert!(
        got[1].starts_with("skip Kubernetes integration due to "),
        "{got:?}"
    );
    assert!(got[1].contains("missing.sock"), "{got:?}");
    assert!(
        got[2].starts_with("skip containerd integration due to "),
        "{got:?}"
    );
    eprintln!("3 warnings in {took:?}: {got:#?}");
    // retries stay silent
    std::thread::sleep(Duration::from_millis(200));
    assert!(warnings.try_recv().is_err());
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_runtime_default_candidates_bounded() {
    // With every source disabled nothing is contacted and the store is ready at once.
    let opts = RuntimeOptions {
        enable_docker: false,
        enable_containerd: false,
        enable_cri: false,
        ..RuntimeOptions::default()
    };
    let (store, warnings) = MetaStore::start(opts);
    assert!(store.wait_ready(Duration::ZERO));
    assert!(warnings.recv_timeout(Duration::from_millis(100)).is_err());
}

// ---------------------------------------------------------------- real daemons

fn docker(args: &[&str]) -> String {
    let out = Command::new(DOCKER)
        .args(args)
        .output()
        .expect("run docker");
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

async fn cri_channel() -> Channel {
    connect_unix(std::path::Path::new(CONTAINERD), Duration::from_secs(1))
        .await
        .expect("connect to containerd CRI")
}

/// One CRI v1 call; panics with the method name on error.
async fn cri_call<Req, Resp>(ch: &Channel, name: &str, req: Req) -> Resp
where
    Req: ProstMessage + Send + Sync + 'static,
    Resp: ProstMessage + Default + Send + Sync + 'static,
{
    call(ch, &cri::method("v1", name), req)
        .await
        .unwrap_or_else(|e| panic!("CRI {name}: {e}"))
}

fn pod_config(name: &str, ns: &str, uid: &str) -> PodSandboxConfig {
    let labels: HashMap<String, String> = [
        ("app", "web"),
        ("tier", "frontend"),
        ("io.kubernetes.pod.name", name),
        ("io.kubernetes.pod.namespace", ns),
        ("io.kubernetes.pod.uid", uid),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let annotations: HashMap<String, String> = [("ctit/note".to_string(), "meta <it>".to_string())]
        .into_iter()
        .collect();
    PodSandboxConfig {
        metadata: Some(PodSandboxMetadata {
            name: name.into(),
            uid: uid.into(),
            namespace: ns.into(),
            attempt: 0,
        }),
        hostname: "web".into(),
        log_directory: format!("/var/log/pods/{ns}_{name}_{uid}"),
        labels,
        annotations,
        linux: Some(LinuxPodSandboxConfig {
            cgroup_parent: format!("/kubepods/besteffort/pod{uid}"),
            security_context: Some(LinuxSandboxSecurityContext {
                namespace_options: Some(pod_namespaces()),
            }),
        }),
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

async fn add_container(
    ch: &Channel,
    pod_id: &str,
    cfg: &PodSandboxConfig,
    name: &str,
) -> (String, u32) {
    let md = cfg.metadata.clone().unwrap();
    let labels: HashMap<String, String> = [
        ("io.kubernetes.container.name", name),
        ("io.kubernetes.pod.name", md.name.as_str()),
        ("io.kubernetes.pod.namespace", md.namespace.as_str()),
        ("io.kubernetes.pod.uid", md.uid.as_str()),
        ("role", name),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let ccfg = ContainerConfig {
        metadata: Some(ContainerMetadata {
            name: name.into(),
            attempt: 0,
        }),
        image: Some(ImageSpec {
            image: IMAGE.into(),
        }),
        command: vec!["sleep".into(), "600".into()],
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
    .await;
    let id = created.container_id;
    let _: () = cri_call(
        ch,
        "StartContainer",
        StartContainerRequest {
            container_id: id.clone(),
        },
    )
    .await;
    let st: ContainerStatusResponse = cri_call(
        ch,
        "ContainerStatus",
        ContainerStatusRequest {
            container_id: id.clone(),
            verbose: true,
        },
    )
    .await;
    let info: serde_json::Value = serde_json::from_str(&st.info["info"]).unwrap();
    (id, info["pid"].as_u64().unwrap() as u32)
}

/// Removes what the test created, whatever happens.
struct Cleanup {
    docker_names: Vec<String>,
    pod_ids: Vec<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for n in &self.docker_names {
            let _ = Command::new(DOCKER).args(["rm", "-f", n]).output();
        }
        if self.pod_ids.is_empty() {
            return;
        }
        let ids = std::mem::take(&mut self.pod_ids);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let ch = cri_channel().await;
            for id in ids {
                let req = StopPodSandboxRequest { pod_sandbox_id: id };
                let stop: Result<(), _> =
                    call(&ch, &cri::method("v1", "StopPodSandbox"), req.clone()).await;
                let rm: Result<(), _> =
                    call(&ch, &cri::method("v1", "RemovePodSandbox"), req).await;
                if let Err(e) = stop.and(rm) {
                    eprintln!("cleanup of Pod failed: {e}");
                }
            }
        });
    }
}

fn wait_for<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<(T, Duration)> {
    let t = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some((v, t.elapsed()));
        }
        if t.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn pod_of(c: &Container) -> (&str, &str, &str) {
    let p = c.pod.as_deref().expect("container has a Pod");
    (&p.name, &p.namespace, &p.uid)
}

#[test]
fn docker_and_cri_pod() {
    if !enabled() {
        return;
    }
    assert!(
        std::path::Path::new("/var/run/docker.sock").exists()
            && std::path::Path::new(CONTAINERD).exists(),
        "dockerd/containerd are not running: run tests/containers/ct-up.sh first"
    );
    let tag = std::process::id();
    let uid = format!("3f1c2a8e-1111-4c2b-9a77-{tag:012x}");
    let mut cleanup = Cleanup {
        docker_names: Vec::new(),
        pod_ids: Vec::new(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    // A Docker container and a two-container Pod, both before the store starts.
    let dname = format!("ctit-meta-web-{tag}");
    cleanup.docker_names.push(dname.clone());
    let did = docker(&[
        "run",
        "-d",
        "--name",
        &dname,
        "--label",
        "app=web",
        "--label",
        "ctit=meta",
        IMAGE,
        "sleep",
        "600",
    ]);
    let dpid: u32 = docker(&["inspect", "-f", "{{.State.Pid}}", &did])
        .parse()
        .unwrap();

    let cfg = pod_config("web.frontend.v2", "shop", &uid);
    let cri = rt.block_on(cri_channel());
    let pod_id = rt.block_on(async {
        let r: RunPodSandboxResponse = cri_call(
            &cri,
            "RunPodSandbox",
            RunPodSandboxRequest {
                config: Some(cfg.clone()),
                runtime_handler: String::new(),
            },
        )
        .await;
        r.pod_sandbox_id
    });
    cleanup.pod_ids.push(pod_id.clone());
    let (server_id, server_pid) = rt.block_on(add_container(&cri, &pod_id, &cfg, "server"));
    let (sidecar_id, sidecar_pid) = rt.block_on(add_container(&cri, &pod_id, &cfg, "sidecar"));
    let pause_pid: u32 = rt.block_on(async {
        let st: PodSandboxStatusResponse = cri_call(
            &cri,
            "PodSandboxStatus",
            PodSandboxStatusRequest {
                pod_sandbox_id: pod_id.clone(),
                verbose: true,
            },
        )
        .await;
        let v: serde_json::Value = serde_json::from_str(&st.info["info"]).unwrap();
        v["pid"].as_u64().unwrap() as u32
    });

    let t = Instant::now();
    let (store, warnings) = MetaStore::start(RuntimeOptions::default());
    assert!(t.elapsed() < Duration::from_millis(50));
    assert!(
        store.wait_ready(Duration::from_secs(3)),
        "runtimes not listed in 3 s"
    );
    eprintln!("store ready after {:?}", t.elapsed());
    let warns: Vec<String> = warnings.try_iter().collect();
    assert!(warns.is_empty(), "{warns:?}");

    // Docker container
    let d = store
        .container_by_id(&did)
        .expect("docker container listed");
    assert_eq!(d.name, dname);
    assert_eq!(d.image, IMAGE);
    assert_eq!(d.labels.get("app").map(String::as_str), Some("web"));
    assert_eq!(d.labels.get("ctit").map(String::as_str), Some("meta"));
    assert!(d.pod.is_none());
    assert_eq!(d.pid, dpid);
    assert_eq!(
        store.container_for_pid(dpid).map(|c| c.id.clone()),
        Some(did.clone())
    );

    // a process added with `docker exec` is in the container too
    docker(&["exec", "-d", &dname, "sleep", "599"]);
    let exec_pid = wait_for(Duration::from_secs(2), || {
        ptcpdump_meta::process::scan_processes()
            .into_iter()
            .find(|p| p.args == ["sleep", "599"] && p.cgroup_path.contains(&did))
            .map(|p| p.pid)
    })
    .expect("docker exec'd process visible in /proc")
    .0;
    assert_ne!(exec_pid, dpid);
    let c = store
        .container_for_pid(exec_pid)
        .expect("exec'd process in a container");
    assert_eq!(c.name, dname);
    let info = ptcpdump_meta::process::read_process(exec_pid).unwrap();
    assert_eq!(
        info.comm, "busybox",
        "sleep is a busybox applet: COMM is the executed file"
    );
    assert_eq!(
        store.container_for_process(&info).map(|c| c.id.clone()),
        Some(did.clone())
    );

    // the Pod's two containers
    for (id, pid, name) in [
        (&server_id, server_pid, "server"),
        (&sidecar_id, sidecar_pid, "sidecar"),
    ] {
        let c = store
            .container_by_id(id)
            .unwrap_or_else(|| panic!("CRI container {name} listed"));
        assert_eq!(c.name, name);
        assert_eq!(c.image, IMAGE);
        assert_eq!(c.labels.get("role").map(String::as_str), Some(name));
        assert_eq!(pod_of(&c), ("web.frontend.v2", "shop", uid.as_str()));
        let pod = c.pod.as_deref().unwrap();
        let keys: Vec<&str> = pod.labels.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["app", "tier"],
            "pod labels without io.kubernetes.pod.*"
        );
        assert_eq!(
            pod.annotations.get("ctit/note").map(String::as_str),
            Some("meta <it>")
        );
        assert_eq!(c.pid, pid);
        let by_pid = store.container_for_pid(pid).expect("container_for_pid");
        assert_eq!(by_pid.id, *id);
        let line = ptcpdump_meta::format::oneline_suffix(Some(&by_pid));
        assert_eq!(
            line,
            format!(", Container [{name}], Pod [web.frontend.v2.shop]")
        );
    }
    // the sandbox is known but never reported as a container
    assert!(store.container_by_id(&pod_id).is_none());
    assert!(store.container_for_pid(pause_pid).is_none());
    // a host process is in no container
    assert!(store.container_for_pid(std::process::id()).is_none());
    assert!(store.container_for_pid(1).is_none());

    // namespace fallback: a process of the Pod seen only through its namespaces
    let fake = ptcpdump_meta::ProcInfo {
        pid: u32::MAX,
        mntns: ptcpdump_meta::process::ns_inode(sidecar_pid, "mnt"),
        ..Default::default()
    };
    assert_eq!(
        store.container_for_process(&fake).map(|c| c.id.clone()),
        Some(sidecar_id.clone())
    );
    let netns_only = ptcpdump_meta::ProcInfo {
        pid: u32::MAX,
        netns: ptcpdump_meta::process::ns_inode(server_pid, "net"),
        ..Default::default()
    };
    let c = store
        .container_for_process(&netns_only)
        .expect("netns fallback");
    assert_eq!(pod_of(&c).0, "web.frontend.v2");

    // filters
    let (pname, pns) = ptcpdump_meta::parse_pod_name("web.frontend.v2.shop");
    let by_pod = store.resolve_filter(&ContainerFilter {
        pods: vec![(pname, pns)],
        ..Default::default()
    });
    let mut want = vec![server_id.clone(), sidecar_id.clone()];
    want.sort();
    assert_eq!(
        by_pod.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        want
    );
    let by_prefix = store.resolve_filter(&ContainerFilter {
        ids: vec![did[..12].to_string()],
        names: vec!["server".into()],
        ..Default::default()
    });
    assert_eq!(by_prefix.len(), 2);
    assert!(store.matches_filter(
        &ContainerFilter {
            names: vec![dname.clone()],
            ..Default::default()
        },
        &d
    ));

    // The same Pod through each other source alone.
    // CRI v1alpha2 only:
    let (alpha, w) = MetaStore::start(RuntimeOptions {
        enable_docker: false,
        enable_containerd: false,
        cri_api: ptcpdump_meta::CriApi::V1alpha2,
        ..RuntimeOptions::default()
    });
    assert!(alpha.wait_ready(Duration::from_secs(3)));
    assert!(w.try_recv().is_err());
    let c = alpha
        .container_by_id(&server_id)
        .expect("server via CRI v1alpha2");
    assert_eq!(
        (c.name.as_str(), c.image.as_str(), c.pid),
        ("server", IMAGE, server_pid)
    );
    assert_eq!(pod_of(&c), ("web.frontend.v2", "shop", uid.as_str()));
    assert_eq!(c.pod.as_ref().unwrap().labels.len(), 2);
    assert!(
        alpha.container_by_id(&did).is_none(),
        "CRI does not list Docker's containers"
    );
    drop(alpha);
    // containerd's native API only: Pod identity from kubelet's labels (no Pod labels),
    // Docker's container visible but anonymous, as in the original.
    let (native, w) = MetaStore::start(RuntimeOptions {
        enable_docker: false,
        enable_cri: false,
        ..RuntimeOptions::default()
    });
    assert!(native.wait_ready(Duration::from_secs(3)));
    assert!(w.try_recv().is_err());
    let c = native
        .container_by_id(&sidecar_id)
        .expect("sidecar via containerd");
    assert_eq!((c.name.as_str(), c.pid), ("sidecar", sidecar_pid));
    assert!(c.image.ends_with(IMAGE), "{}", c.image);
    assert_eq!(pod_of(&c), ("web.frontend.v2", "shop", uid.as_str()));
    assert!(native.container_by_id(&pod_id).is_none(), "sandbox skipped");
    assert!(native.container_for_pid(pause_pid).is_none());
    let anon = native
        .container_by_id(&did)
        .expect("Docker container in namespace moby");
    assert_eq!((anon.name.as_str(), anon.pid), ("", dpid));
    assert_eq!(
        native.container_for_pid(dpid).map(|c| c.id.clone()),
        Some(did.clone())
    );
    drop(native);

    // new containers appear within a second: Docker (events) and CRI (containerd events)
    let late = format!("ctit-meta-late-{tag}");
    cleanup.docker_names.push(late.clone());
    let t = Instant::now();
    let late_id = docker(&["run", "-d", "--name", &late, IMAGE, "sleep", "600"]);
    let (c, after) = wait_for(Duration::from_secs(1), || store.container_by_id(&late_id))
        .expect("late Docker container seen within 1 s");
    eprintln!(
        "late Docker container seen {after:?} after `docker run` returned ({:?} in all)",
        t.elapsed()
    );
    assert_eq!(c.name, late);
    assert!(c.pid > 0);

    let (late_cri, late_pid) = rt.block_on(add_container(&cri, &pod_id, &cfg, "late"));
    let (c, after) = wait_for(Duration::from_secs(1), || {
        store.container_by_id(&late_cri).filter(|c| c.pid != 0)
    })
    .expect("late CRI container seen within 1 s");
    eprintln!("late CRI container seen {after:?} after StartContainer returned");
    assert_eq!(c.pid, late_pid);
    assert_eq!(pod_of(&c).1, "shop");

    // a stopped Docker container keeps its id but loses its pid
    docker(&["rm", "-f", &late]);
    let gone = wait_for(Duration::from_secs(2), || {
        match store.container_by_id(&late_id) {
            None => Some(()),
            Some(c) if c.pid == 0 => Some(()),
            _ => None,
        }
    });
    assert!(gone.is_some(), "removed container still has a pid");

    drop(store);
    drop(cleanup);
}
