//! Process, container and Kubernetes Pod metadata for ptcpdump.
//!
//! - [`process`]: facts about a process from procfs, and the start-up scan of all processes.
//! - [`cgroup`]: container id (and Pod UID) from a cgroup path, for every runtime and driver.
//! - [`model`]: the `Container` / `Pod` records and the container filter.
//! - [`mod@format`]: the exact text of the container and Pod parts of the output.
//! - [`runtime`]: Docker, containerd and CRI clients feeding a non-blocking cache
//!   ([`MetaStore`]).
//! - [`text`]: how that untrusted text is stored (files) and shown (terminals).
//!
//! Nothing here touches the kernel's BPF side; the crate builds and tests without root, and
//! without `protoc` (the CRI and containerd messages are declared by hand in
//! [`runtime::proto`]).
//!
//! Typical use by the binary:
//!
//! ```no_run
//! use ptcpdump_meta::{format, MetaStore, RuntimeOptions};
//!
//! // Returns at once; runtimes are contacted on a background thread.
//! let (store, warnings) = MetaStore::start(RuntimeOptions::default());
//! // Only when container filters must be resolved before capturing:
//! store.wait_ready(std::time::Duration::from_secs(2));
//! for w in warnings.try_iter() {
//!     eprintln!("WARN {w}");
//! }
//! // Per packet (never blocks on a runtime; reads /proc/PID/cgroup once, cache it per PID):
//! let c = store.container_for_pid(1234);
//! let line_suffix = format::oneline_suffix(c.as_deref()); // ", Container [web], Pod [web.shop]"
//! # let _ = line_suffix;
//! ```

pub mod cgroup;
pub mod format;
pub mod model;
pub mod process;
pub mod runtime;
pub mod text;

pub use model::{Container, ContainerFilter, Pod, parse_pod_name};
pub use process::ProcInfo;
pub use runtime::{CriApi, MetaStore, RuntimeOptions};
