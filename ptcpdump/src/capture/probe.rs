//! What this kernel offers, probed once at start, before anything is loaded: the facts every
//! later choice (attach backend, attribution hooks) is made from, and the one clear error for a
//! kernel ptcpdump cannot run on. Each probe is side-effect free: BTF lookups, a throwaway map,
//! files in /sys.
use anyhow::{Result, bail};
use aya::{Btf, maps::MapType, sys::is_map_supported};
use aya_obj::btf::BtfKind;

/// The kernel's facilities, as far as ptcpdump's choices depend on them.
pub struct Features {
    pub release: String,
    /// The kernel's BTF (`--kernel-btf`, else `/sys/kernel/btf/vmlinux`), for tp_btf and fentry
    /// programs.
    pub btf: Option<Btf>,
    /// TCX links (6.6); `None` without BTF to tell.
    pub tcx: Option<bool>,
    /// `BPF_MAP_TYPE_RINGBUF` (5.8).
    pub ringbuf: bool,
    /// `BPF_MAP_TYPE_SK_STORAGE` (5.2).
    pub sk_storage: bool,
    /// BTF tracepoints `sock:sock_send_length` / `sock_recv_length` (6.3).
    pub tp_btf_sock_length: bool,
    /// A kprobe PMU (`CONFIG_KPROBES`).
    pub kprobe: bool,
}

impl Features {
    /// `user_btf`: the `--kernel-btf` file, already parsed (kernel_btf.rs); else the running
    /// kernel's own.
    pub fn probe(user_btf: Option<Btf>) -> Features {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        // PTCPDUMP_NO_KERNEL_BTF=1 acts as a kernel without BTF (tests of that degradation).
        let btf = if std::env::var_os("PTCPDUMP_NO_KERNEL_BTF").is_some() {
            None
        } else {
            user_btf.or_else(|| crate::kernel_btf::aya().ok())
        };
        let has = |name: &str, kind: BtfKind| {
            btf.as_ref()
                .map(|b| b.id_by_type_name_kind(name, kind).is_ok())
        };
        Features {
            release,
            tcx: has("tcx_link", BtfKind::Struct),
            tp_btf_sock_length: has("btf_trace_sock_send_length", BtfKind::Typedef)
                .unwrap_or(false),
            ringbuf: is_map_supported(MapType::RingBuf).unwrap_or(false),
            sk_storage: is_map_supported(MapType::SkStorage).unwrap_or(false),
            kprobe: std::path::Path::new("/sys/bus/event_source/devices/kprobe").exists(),
            btf,
        }
    }

    /// (major, minor) of the running kernel, for the words of a message: choices are made from
    /// probes, never from the version.
    pub fn version(&self) -> (u32, u32) {
        version(&self.release)
    }

    /// One clear line for a kernel ptcpdump cannot run on, instead of a verifier dump.
    pub fn require(&self) -> Result<()> {
        if !self.ringbuf {
            bail!(
                "this kernel ({}) has no BPF ring buffer (Linux 5.8 and later have one): ptcpdump needs Linux 5.10 or later",
                self.release
            );
        }
        Ok(())
    }

    /// The facts, for `--log-level info`.
    pub fn log(&self) {
        let yn = |b: bool| if b { "yes" } else { "no" };
        let opt = |b: Option<bool>| b.map_or("unknown", yn);
        log::info!(
            "kernel {}: BTF {}, ring buffer {}, sk_storage {}, TCX {}, tp_btf sock_send_length {}, kprobes {}",
            self.release,
            yn(self.btf.is_some()),
            yn(self.ringbuf),
            yn(self.sk_storage),
            opt(self.tcx),
            yn(self.tp_btf_sock_length),
            yn(self.kprobe),
        );
    }
}

/// (major, minor) of a release string such as `6.1.0-50-amd64`.
fn version(release: &str) -> (u32, u32) {
    let mut it = release.split(|c: char| !c.is_ascii_digit());
    let major = it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
    let minor = it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
    (major, minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_agrees_with_the_kernel_version() {
        let f = Features::probe(None);
        let v = version(&f.release);
        assert!(
            v >= (5, 8),
            "the tests run on kernels with a ring buffer: {}",
            f.release
        );
        assert!(f.ringbuf && f.require().is_ok());
        if f.btf.is_some() {
            assert_eq!(f.tcx, Some(v >= (6, 6)), "TCX on {}", f.release);
            assert_eq!(f.tp_btf_sock_length, v >= (6, 3), "tp_btf on {}", f.release);
        } else {
            assert_eq!(f.tcx, None);
        }
    }

    #[test]
    fn a_kernel_without_ring_buffer_is_one_line() {
        let f = Features {
            release: "4.19.0-27-amd64".into(),
            btf: None,
            tcx: None,
            ringbuf: false,
            sk_storage: true,
            tp_btf_sock_length: false,
            kprobe: true,
        };
        let e = f.require().unwrap_err().to_string();
        assert_eq!(
            e,
            "this kernel (4.19.0-27-amd64) has no BPF ring buffer (Linux 5.8 and later have one): ptcpdump needs Linux 5.10 or later"
        );
    }

    #[test]
    fn release_versions_parse() {
        assert_eq!(version("6.12.95+deb12-amd64"), (6, 12));
        assert_eq!(version("5.10.0-32-amd64"), (5, 10));
        assert_eq!(version(""), (0, 0));
    }
}
