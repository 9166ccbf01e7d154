//! Process, container and Kubernetes Pod metadata for ptcpdump.
//!
//! - [`process`]: facts about a process from procfs, and the start-up scan of all processes.
//! - [`cgroup`]: container id (and Pod UID) from a cgroup path, for every runtime and driver.
//! - [`model`]: the `Container` / `Pod` records and the container filter.
//! - [`format`]: the exact text of the container and Pod parts of the output.
//! - [`runtime`]: Docker, containerd and CRI clients feeding a non-blocking cache
//!   ([`MetaStore`]).
//!
//! Nothing here touches the kernel's BPF side; the crate builds and tests without root.

pub mod cgroup;
pub mod format;
pub mod model;
pub mod process;
pub mod runtime;

pub use model::{Container, ContainerFilter, Pod, parse_pod_name};
pub use process::ProcInfo;
pub use runtime::{CriApi, MetaStore, RuntimeOptions};
