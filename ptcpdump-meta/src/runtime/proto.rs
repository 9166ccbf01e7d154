//! Wire messages of the CRI and containerd gRPC APIs, written by hand as prost types.
//!
//! Only the fields ptcpdump reads (and, for tests, the ones needed to create a Pod) are declared;
//! protobuf skips the rest. Field numbers come from the upstream definitions:
//! `k8s.io/cri-api/pkg/apis/runtime/v1/api.proto` (package `runtime.v1`; `runtime.v1alpha2`
//! uses the same numbers for every field here) and containerd's `api/services/*/v1/*.proto`.
//! Declaring them here keeps the build free of `protoc` and of generated code.

use std::collections::HashMap;

use tonic::codec::{ProstCodec, Streaming};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::Channel;

pub use prost::Message as ProstMessage;
pub use tonic::transport::Channel as GrpcChannel;

/// A gRPC channel to a unix socket, connected within `timeout` (requests: 2 s timeout).
pub async fn connect_unix(
    path: &std::path::Path,
    timeout: std::time::Duration,
) -> Result<Channel, String> {
    super::grpc::unix_channel(path, timeout, Some(std::time::Duration::from_secs(2))).await
}

/// [`unary`] without request metadata.
pub async fn call<Req, Resp>(ch: &Channel, path: &str, req: Req) -> Result<Resp, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    unary(ch, path, tonic::Request::new(req)).await
}

/// Calls a unary method, e.g. `/runtime.v1.RuntimeService/Version`.
pub async fn unary<Req, Resp>(
    ch: &Channel,
    path: &str,
    req: tonic::Request<Req>,
) -> Result<Resp, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let mut grpc = tonic::client::Grpc::new(ch.clone());
    grpc.ready()
        .await
        .map_err(|e| tonic::Status::unavailable(format!("channel not ready: {e}")))?;
    let path = PathAndQuery::try_from(path.to_string())
        .map_err(|e| tonic::Status::internal(format!("bad method path {path}: {e}")))?;
    let codec = ProstCodec::<Req, Resp>::default();
    Ok(grpc.unary(req, path, codec).await?.into_inner())
}

/// Calls a server-streaming method.
pub async fn server_streaming<Req, Resp>(
    ch: &Channel,
    path: &str,
    req: tonic::Request<Req>,
) -> Result<Streaming<Resp>, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let mut grpc = tonic::client::Grpc::new(ch.clone());
    grpc.ready()
        .await
        .map_err(|e| tonic::Status::unavailable(format!("channel not ready: {e}")))?;
    let path = PathAndQuery::try_from(path.to_string())
        .map_err(|e| tonic::Status::internal(format!("bad method path {path}: {e}")))?;
    let codec = ProstCodec::<Req, Resp>::default();
    Ok(grpc.server_streaming(req, path, codec).await?.into_inner())
}

/// CRI `runtime.v1` / `runtime.v1alpha2` messages.
pub mod cri {
    use super::HashMap;

    /// `/runtime.<version>.RuntimeService/<method>`.
    pub fn method(version: &str, name: &str) -> String {
        format!("/runtime.{version}.RuntimeService/{name}")
    }

    /// `ContainerState.CONTAINER_RUNNING`.
    pub const CONTAINER_RUNNING: i32 = 1;
    /// `NamespaceMode.POD` / `NamespaceMode.CONTAINER`.
    pub const NAMESPACE_POD: i32 = 0;
    pub const NAMESPACE_CONTAINER: i32 = 1;

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct VersionRequest {
        #[prost(string, tag = "1")]
        pub version: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct VersionResponse {
        #[prost(string, tag = "1")]
        pub version: String,
        #[prost(string, tag = "2")]
        pub runtime_name: String,
        #[prost(string, tag = "3")]
        pub runtime_version: String,
        #[prost(string, tag = "4")]
        pub runtime_api_version: String,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PodSandboxMetadata {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(string, tag = "2")]
        pub uid: String,
        #[prost(string, tag = "3")]
        pub namespace: String,
        #[prost(uint32, tag = "4")]
        pub attempt: u32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NamespaceOption {
        #[prost(int32, tag = "1")]
        pub network: i32,
        #[prost(int32, tag = "2")]
        pub pid: i32,
        #[prost(int32, tag = "3")]
        pub ipc: i32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct LinuxSandboxSecurityContext {
        #[prost(message, optional, tag = "1")]
        pub namespace_options: Option<NamespaceOption>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct LinuxPodSandboxConfig {
        #[prost(string, tag = "1")]
        pub cgroup_parent: String,
        #[prost(message, optional, tag = "2")]
        pub security_context: Option<LinuxSandboxSecurityContext>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PodSandboxConfig {
        #[prost(message, optional, tag = "1")]
        pub metadata: Option<PodSandboxMetadata>,
        #[prost(string, tag = "2")]
        pub hostname: String,
        #[prost(string, tag = "3")]
        pub log_directory: String,
        #[prost(map = "string, string", tag = "6")]
        pub labels: HashMap<String, String>,
        #[prost(map = "string, string", tag = "7")]
        pub annotations: HashMap<String, String>,
        #[prost(message, optional, tag = "8")]
        pub linux: Option<LinuxPodSandboxConfig>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct RunPodSandboxRequest {
        #[prost(message, optional, tag = "1")]
        pub config: Option<PodSandboxConfig>,
        #[prost(string, tag = "2")]
        pub runtime_handler: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct RunPodSandboxResponse {
        #[prost(string, tag = "1")]
        pub pod_sandbox_id: String,
    }
    /// Also the shape of `RemovePodSandboxRequest`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct StopPodSandboxRequest {
        #[prost(string, tag = "1")]
        pub pod_sandbox_id: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PodSandboxStatusRequest {
        #[prost(string, tag = "1")]
        pub pod_sandbox_id: String,
        #[prost(bool, tag = "2")]
        pub verbose: bool,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PodSandboxStatusResponse {
        #[prost(map = "string, string", tag = "2")]
        pub info: HashMap<String, String>,
    }
    /// Without a filter (field 1 left out): every sandbox / container.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ListRequest {}
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct PodSandbox {
        #[prost(string, tag = "1")]
        pub id: String,
        #[prost(message, optional, tag = "2")]
        pub metadata: Option<PodSandboxMetadata>,
        #[prost(int32, tag = "3")]
        pub state: i32,
        #[prost(map = "string, string", tag = "5")]
        pub labels: HashMap<String, String>,
        #[prost(map = "string, string", tag = "6")]
        pub annotations: HashMap<String, String>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ListPodSandboxResponse {
        #[prost(message, repeated, tag = "1")]
        pub items: Vec<PodSandbox>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ImageSpec {
        #[prost(string, tag = "1")]
        pub image: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ContainerMetadata {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(uint32, tag = "2")]
        pub attempt: u32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct LinuxContainerSecurityContext {
        #[prost(message, optional, tag = "3")]
        pub namespace_options: Option<NamespaceOption>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct LinuxContainerConfig {
        #[prost(message, optional, tag = "2")]
        pub security_context: Option<LinuxContainerSecurityContext>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ContainerConfig {
        #[prost(message, optional, tag = "1")]
        pub metadata: Option<ContainerMetadata>,
        #[prost(message, optional, tag = "2")]
        pub image: Option<ImageSpec>,
        #[prost(string, repeated, tag = "3")]
        pub command: Vec<String>,
        #[prost(string, repeated, tag = "4")]
        pub args: Vec<String>,
        #[prost(map = "string, string", tag = "9")]
        pub labels: HashMap<String, String>,
        #[prost(map = "string, string", tag = "10")]
        pub annotations: HashMap<String, String>,
        #[prost(string, tag = "11")]
        pub log_path: String,
        #[prost(message, optional, tag = "15")]
        pub linux: Option<LinuxContainerConfig>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct CreateContainerRequest {
        #[prost(string, tag = "1")]
        pub pod_sandbox_id: String,
        #[prost(message, optional, tag = "2")]
        pub config: Option<ContainerConfig>,
        #[prost(message, optional, tag = "3")]
        pub sandbox_config: Option<PodSandboxConfig>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct CreateContainerResponse {
        #[prost(string, tag = "1")]
        pub container_id: String,
    }
    /// Also the shape of `StopContainerRequest` without its timeout and `RemoveContainerRequest`.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct StartContainerRequest {
        #[prost(string, tag = "1")]
        pub container_id: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Container {
        #[prost(string, tag = "1")]
        pub id: String,
        #[prost(string, tag = "2")]
        pub pod_sandbox_id: String,
        #[prost(message, optional, tag = "3")]
        pub metadata: Option<ContainerMetadata>,
        #[prost(message, optional, tag = "4")]
        pub image: Option<ImageSpec>,
        #[prost(string, tag = "5")]
        pub image_ref: String,
        #[prost(int32, tag = "6")]
        pub state: i32,
        #[prost(map = "string, string", tag = "8")]
        pub labels: HashMap<String, String>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ListContainersResponse {
        #[prost(message, repeated, tag = "1")]
        pub containers: Vec<Container>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ContainerStatusRequest {
        #[prost(string, tag = "1")]
        pub container_id: String,
        #[prost(bool, tag = "2")]
        pub verbose: bool,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ContainerStatus {
        #[prost(string, tag = "1")]
        pub id: String,
        #[prost(int32, tag = "3")]
        pub state: i32,
        #[prost(message, optional, tag = "8")]
        pub image: Option<ImageSpec>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ContainerStatusResponse {
        #[prost(message, optional, tag = "1")]
        pub status: Option<ContainerStatus>,
        #[prost(map = "string, string", tag = "2")]
        pub info: HashMap<String, String>,
    }
}

/// containerd `containerd.services.*.v1` messages.
pub mod containerd {
    use super::HashMap;

    pub const VERSION: &str = "/containerd.services.version.v1.Version/Version";
    pub const LIST_NAMESPACES: &str = "/containerd.services.namespaces.v1.Namespaces/List";
    pub const LIST_CONTAINERS: &str = "/containerd.services.containers.v1.Containers/List";
    pub const LIST_TASKS: &str = "/containerd.services.tasks.v1.Tasks/List";
    pub const SUBSCRIBE: &str = "/containerd.services.events.v1.Events/Subscribe";
    /// `containerd.v1.types.Status.RUNNING`.
    pub const TASK_RUNNING: i32 = 2;

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct VersionResponse {
        #[prost(string, tag = "1")]
        pub version: String,
        #[prost(string, tag = "2")]
        pub revision: String,
    }
    /// `ListNamespacesRequest`, `ListTasksRequest` (a single filter string, field 1).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct FilterRequest {
        #[prost(string, tag = "1")]
        pub filter: String,
    }
    /// `ListContainersRequest`, `SubscribeRequest` (repeated filters, field 1).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct FiltersRequest {
        #[prost(string, repeated, tag = "1")]
        pub filters: Vec<String>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Namespace {
        #[prost(string, tag = "1")]
        pub name: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ListNamespacesResponse {
        #[prost(message, repeated, tag = "1")]
        pub namespaces: Vec<Namespace>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Container {
        #[prost(string, tag = "1")]
        pub id: String,
        #[prost(map = "string, string", tag = "2")]
        pub labels: HashMap<String, String>,
        #[prost(string, tag = "3")]
        pub image: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ListContainersResponse {
        #[prost(message, repeated, tag = "1")]
        pub containers: Vec<Container>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Process {
        #[prost(string, tag = "1")]
        pub container_id: String,
        #[prost(string, tag = "2")]
        pub id: String,
        #[prost(uint32, tag = "3")]
        pub pid: u32,
        #[prost(int32, tag = "4")]
        pub status: i32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ListTasksResponse {
        #[prost(message, repeated, tag = "1")]
        pub tasks: Vec<Process>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Envelope {
        #[prost(string, tag = "2")]
        pub namespace: String,
        #[prost(string, tag = "3")]
        pub topic: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    /// Hand-encoded bytes (tag<<3|wire type) check the field numbers against the .proto files.
    #[test]
    fn field_numbers_on_the_wire() {
        let req = cri::ContainerStatusRequest {
            container_id: "ab".into(),
            verbose: true,
        };
        assert_eq!(req.encode_to_vec(), [0x0a, 2, b'a', b'b', 0x10, 1]);

        // PodSandbox { id: "p", metadata: {name: "n"}, state: 1, labels: {k: v} }
        let raw = [
            0x0a, 1, b'p', 0x12, 3, 0x0a, 1, b'n', 0x18, 1, 0x2a, 6, 0x0a, 1, b'k', 0x12, 1, b'v',
        ];
        let p = cri::PodSandbox::decode(&raw[..]).unwrap();
        assert_eq!((p.id.as_str(), p.state), ("p", 1));
        assert_eq!(p.metadata.unwrap().name, "n");
        assert_eq!(p.labels["k"], "v");

        // containerd Process { id: "c" (2), pid: 7 (3), status: RUNNING (4) }; unknown field 9 skipped
        let raw = [0x12, 1, b'c', 0x18, 7, 0x20, 2, 0x48, 5];
        let t = containerd::Process::decode(&raw[..]).unwrap();
        assert_eq!(
            (t.id.as_str(), t.pid, t.status),
            ("c", 7, containerd::TASK_RUNNING)
        );

        // ContainerConfig.linux is field 15 (tag byte 0x7a)
        let cfg = cri::ContainerConfig {
            linux: Some(cri::LinuxContainerConfig::default()),
            ..Default::default()
        };
        assert_eq!(cfg.encode_to_vec(), [0x7a, 0]);
        assert_eq!(
            cri::method("v1alpha2", "Version"),
            "/runtime.v1alpha2.RuntimeService/Version"
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        for len in 0..40 {
            let junk: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let _ = cri::ListContainersResponse::decode(&junk[..]);
            let _ = containerd::ListTasksResponse::decode(&junk[..]);
        }
    }
}
