//! Step 2 of a live capture: load the eBPF object, fill its configuration, and attach the
//! programs that do not depend on interfaces (process events, socket attribution). Every hook
//! that a kernel lacks is said once, with what it costs, and loading goes on; only the capture
//! program itself is required.
use std::os::fd::{AsFd as _, AsRawFd as _};

use anyhow::{Context as _, Result, anyhow, bail};
use aya::{
    Ebpf, EbpfLoader,
    maps::{Array, MapData, PerCpuArray, ProgramArray},
    programs::SchedClassifier,
};
use ptcpdump_common::Config;

use super::probe::Features;
use crate::flags::Flags;

static OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/ptcpdump"));

/// Whether this binary carries its eBPF programs (not built with `AYA_BUILD_SKIP=1`).
pub fn object_present() -> bool {
    !OBJECT.is_empty()
}

/// The loaded eBPF object and the maps the rest of the capture uses.
pub struct Kernel {
    pub ebpf: Ebpf,
    /// Owns the ATTACH_CTX map; its fd is baked into every entry program.
    _attach_ctx: aya::maps::Map,
    pub attach_ctx_fd: i32,
    /// Owns the CAPTURE_PROGS map, the entry programs' tail-call target.
    _capture_progs: ProgramArray<MapData>,
    pub capture_progs_fd: i32,
    counters: PerCpuArray<MapData, u64>,
    pub filter_pids: aya::maps::HashMap<MapData, u32, u8>,
    pub attach_netns: Array<MapData, u64>,
    /// A second fd of the `SOCK_OWNER` map (the map itself goes to the seeding thread): how the
    /// attach step learns a namespace's cookie before 5.14.
    sock_owner: Option<std::os::fd::OwnedFd>,
    /// Where the far end of each attachment's packets is looked up (`PEER_*`).
    pub attach_peer: Array<MapData, ptcpdump_common::AttachPeer>,
}

impl Kernel {
    pub fn select_pid(&mut self, pid: u32) {
        if let Err(e) = self.filter_pids.insert(pid, 1, 0) {
            log::warn!("cannot select pid {pid}: {e}");
        }
    }

    pub fn sock_owner_fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        use std::os::fd::AsFd as _;
        self.sock_owner.as_ref().map(|f| f.as_fd())
    }

    pub fn counter(&self, index: u32) -> u64 {
        self.counters
            .get(&index, 0)
            .map(|v| v.iter().sum())
            .unwrap_or(0)
    }
}

/// What the process filters (`--pid`, `--pname`, `--uid`, `-f`, `-- CMD`) ask the kernel for.
pub struct ProcessFilter {
    pub active: bool,
    follow_forks: bool,
    pname: Option<[u8; 16]>,
}

impl ProcessFilter {
    pub fn from_flags(flags: &Flags) -> Result<Self> {
        let pname = match &flags.pname {
            Some(n) if n.is_empty() => bail!("--pname: empty process name"),
            Some(n) => {
                // The kernel compares comm, which holds at most 15 bytes.
                let mut b = [0u8; 16];
                let n = n.as_bytes();
                b[..n.len().min(15)].copy_from_slice(&n[..n.len().min(15)]);
                Some(b)
            }
            None => None,
        };
        let command = !flags.command.is_empty();
        let containers = !flags.container_ids.is_empty()
            || !flags.container_names.is_empty()
            || !flags.pod_names.is_empty();
        Ok(ProcessFilter {
            active: !flags.pids.is_empty()
                || pname.is_some()
                || !flags.uids.is_empty()
                || command
                || containers,
            // A container's processes fork: their children belong to the container too.
            follow_forks: flags.follow_forks || command || containers,
            pname,
        })
    }
}

pub fn load(
    snaplen: u32,
    ring_bytes: usize,
    flags: &Flags,
    pf: &ProcessFilter,
    features: &Features,
) -> Result<Kernel> {
    // The kernel's BTF was parsed once by the probe (seconds on a slow machine): reused here.
    let mut ebpf = EbpfLoader::new()
        .btf(features.btf.as_ref())
        .map_max_entries("EVENTS", ring_bytes as u32)
        .load(OBJECT)
        .map_err(|e| kernel_error("load the eBPF object", e.into()))?;
    let mut config: Array<_, Config> =
        Array::try_from(ebpf.map_mut("CONFIG").context("CONFIG map")?)?;
    config.set(
        0,
        Config {
            snaplen,
            filter: u32::from(pf.active),
            follow_forks: u32::from(pf.follow_forks),
            pname_enabled: u32::from(pf.pname.is_some()),
            wakeup_bytes: (ring_bytes / 8) as u64,
            pname: pf.pname.unwrap_or([0; 16]),
        },
        0,
    )?;
    {
        let prog: &mut SchedClassifier = ebpf
            .program_mut("ptcpdump_capture")
            .context("capture program")?
            .try_into()?;
        prog.load()
            .map_err(|e| kernel_error("load the capture program", e.into()))?;
    }
    let capture_map = ebpf
        .take_map("CAPTURE_PROGS")
        .context("CAPTURE_PROGS map")?;
    let capture_progs_fd = map_fd(&capture_map)?;
    let mut capture_progs = ProgramArray::try_from(capture_map)?;
    {
        let prog: &SchedClassifier = ebpf
            .program("ptcpdump_capture")
            .context("capture program")?
            .try_into()?;
        capture_progs.set(0, prog.fd()?, 0)?;
    }
    crate::procevents::attach(&mut ebpf);
    {
        let mut uids: aya::maps::HashMap<_, u32, u8> =
            aya::maps::HashMap::try_from(ebpf.map_mut("FILTER_UIDS").context("FILTER_UIDS map")?)?;
        for uid in &flags.uids {
            uids.insert(uid, 1, 0)?;
        }
    }
    attach_attribution(&mut ebpf, features);
    let attach_ctx = ebpf.take_map("ATTACH_CTX").context("ATTACH_CTX map")?;
    let attach_ctx_fd = map_fd(&attach_ctx)?;
    let counters = PerCpuArray::try_from(ebpf.take_map("COUNTERS").context("COUNTERS map")?)?;
    let attach_netns = Array::try_from(ebpf.take_map("ATTACH_NETNS").context("ATTACH_NETNS map")?)?;
    let attach_peer = Array::try_from(ebpf.take_map("ATTACH_PEER").context("ATTACH_PEER map")?)?;
    let mut filter_pids =
        aya::maps::HashMap::try_from(ebpf.take_map("FILTER_PIDS").context("FILTER_PIDS map")?)?;
    for pid in &flags.pids {
        filter_pids.insert(pid, 1, 0)?;
    }
    if let Some(pname) = &flags.pname {
        for p in ptcpdump_meta::process::scan_processes() {
            if proc_comm(p.pid).as_deref() == Some(truncate_comm(pname)) {
                filter_pids.insert(p.pid, 1, 0)?;
            }
        }
    }
    let sock_owner = match ebpf.map("SOCK_OWNER") {
        Some(aya::maps::Map::SkStorage(d)) => d.fd().as_fd().try_clone_to_owned().ok(),
        _ => None,
    };
    Ok(Kernel {
        sock_owner,
        ebpf,
        _attach_ctx: attach_ctx,
        attach_ctx_fd,
        _capture_progs: capture_progs,
        capture_progs_fd,
        counters,
        filter_pids,
        attach_netns,
        attach_peer,
    })
}

fn proc_comm(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|s| s.trim_end().to_string())
}

fn truncate_comm(name: &str) -> &str {
    let mut end = name.len().min(15);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// The hooks that tell which process a packet belongs to. Each one that cannot be attached
/// costs some attribution, which is said once, and capture goes on; the choices are said at
/// `--log-level info`.
fn attach_attribution(ebpf: &mut Ebpf, features: &Features) {
    attach_cgroup_hooks(ebpf);
    attach_send_recv_hooks(ebpf, features);
}

/// `sock_create` and `sock_ops` on the cgroup v2 root. (`Single` is the mode without flags:
/// on 5.7+ aya attaches through bpf links, which coexist with other programs and instances;
/// the kernel refuses BPF_F_ALLOW_MULTI on links.)
fn attach_cgroup_hooks(ebpf: &mut Ebpf) {
    use aya::programs::{CgroupAttachMode, CgroupSock, SockOps};
    let Some(cgroup) = open_cgroup2_root() else {
        log::warn!(
            "no cgroup v2 hierarchy: a new socket is named only from its first send or receive on, and TCP connections are not named on bridges"
        );
        return;
    };
    // Loads program NAME of type TY and attaches it to the cgroup.
    macro_rules! attach {
        ($name:literal, $ty:ty) => {
            (|| -> Result<()> {
                let p: &mut $ty = ebpf
                    .program_mut($name)
                    .context("program missing")?
                    .try_into()?;
                p.load()?;
                p.attach(&cgroup, CgroupAttachMode::Single)?;
                Ok(())
            })()
        };
    }
    match attach!("ptcpdump_sock_create", CgroupSock) {
        Ok(()) => log::info!("owners of new sockets: cgroup/sock_create"),
        Err(e) => log::warn!(
            "cgroup/sock_create unavailable ({}): new sockets are attributed when they first send or receive",
            short(&e)
        ),
    }
    match attach!("ptcpdump_sock_ops", SockOps) {
        Ok(()) => log::info!("owners of TCP connections across namespaces: cgroup/sock_ops"),
        Err(e) => log::warn!(
            "sock_ops unavailable ({}): TCP connections are named only where their socket can be looked up (not on a bridge, not in TIME_WAIT)",
            short(&e)
        ),
    }
}

/// The process that sends or receives on a socket becomes its owner: tp_btf where the kernel
/// has the socket-layer tracepoints (6.3+), else fentry on the TCP/UDP functions (5.11+ with
/// BPF trampolines), else nothing (the socket keeps its creator).
fn attach_send_recv_hooks(ebpf: &mut Ebpf, features: &Features) {
    use aya::programs::{BtfTracePoint, FEntry};
    const SENDS: &[(&str, &str)] = &[
        ("ptcpdump_fentry_tcp_sendmsg", "tcp_sendmsg"),
        ("ptcpdump_fentry_udp_sendmsg", "udp_sendmsg"),
        ("ptcpdump_fentry_udpv6_sendmsg", "udpv6_sendmsg"),
    ];
    const RECVS: &[(&str, &str)] = &[
        ("ptcpdump_fentry_tcp_recvmsg", "tcp_recvmsg"),
        ("ptcpdump_fentry_udp_recvmsg", "udp_recvmsg"),
        ("ptcpdump_fentry_udpv6_recvmsg", "udpv6_recvmsg"),
    ];
    let Some(btf) = &features.btf else {
        log::warn!(
            "no kernel BTF (/sys/kernel/btf/vmlinux): packets are still captured and attributed to the process that created their socket, but not to another process that sends or receives on it (tp_btf and fentry need BTF)"
        );
        return;
    };
    for (what, verb, prog, tp, fentries) in [
        (
            "sends",
            "sends",
            "ptcpdump_sock_send",
            "sock_send_length",
            SENDS,
        ),
        (
            "receives",
            "receives",
            "ptcpdump_sock_recv",
            "sock_recv_length",
            RECVS,
        ),
    ] {
        let mut why = Vec::new();
        if features.tp_btf_sock_length {
            let r: Result<()> = (|| {
                let p: &mut BtfTracePoint = ebpf
                    .program_mut(prog)
                    .context("program missing")?
                    .try_into()?;
                p.load(tp, btf)?;
                p.attach()?;
                Ok(())
            })();
            match r {
                Ok(()) => {
                    log::info!("attribution of {what}: tp_btf/{tp}");
                    continue;
                }
                Err(e) => why.push(format!("tp_btf/{tp}: {}", short(&e))),
            }
        } else {
            why.push(format!("no tp_btf/{tp} before 6.3"));
        }
        let mut attached = Vec::new();
        let mut failed = Vec::new();
        for (name, func) in fentries {
            let r: Result<()> = (|| {
                let p: &mut FEntry = ebpf
                    .program_mut(name)
                    .context("program missing")?
                    .try_into()?;
                p.load(func, btf)?;
                p.attach()?;
                Ok(())
            })();
            match r {
                Ok(()) => attached.push(format!("fentry/{func}")),
                Err(e) => failed.push(format!("fentry/{func}: {}", short(&e))),
            }
        }
        if !attached.is_empty() {
            log::info!("attribution of {what}: {}", attached.join(", "));
            if !failed.is_empty() {
                log::info!("not attached: {}", failed.join("; "));
            }
            continue;
        }
        // fentry fails with EPERM without BPF trampolines, and its verifier refuses socket
        // storage before 5.11: one reason is enough.
        why.extend(failed.into_iter().take(1).map(|f| {
            if features.version() < (5, 11) {
                format!("{f}; tracing programs may use socket storage from 5.11 on")
            } else {
                f
            }
        }));
        log::warn!(
            "attribution of {what}: no hook ({}): a socket keeps the process that created it, also when another process (a child, a pre-forked worker) {verb} on it",
            why.join("; ")
        );
    }
}

/// The first line of an error, without aya's verifier log (logged at debug level).
fn short(e: &anyhow::Error) -> String {
    let full = format!("{e:#}");
    log::debug!("{full}");
    full.split(". Verifier output")
        .next()
        .unwrap_or(&full)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// The cgroup v2 hierarchy's root, opened. Looked for in our mount namespace, then in PID 1's
/// (`ip netns exec` runs us in a private mount namespace with a fresh /sys), and as a last
/// resort mounted on a temporary directory that is detached again as soon as it is open.
fn open_cgroup2_root() -> Option<std::fs::File> {
    let find = |mounts: &str| {
        mounts.lines().find_map(|l| {
            let mut f = l.split_whitespace();
            let (_, dir, fstype) = (f.next()?, f.next()?, f.next()?);
            (fstype == "cgroup2").then(|| dir.to_string())
        })
    };
    if let Some(dir) = std::fs::read_to_string("/proc/self/mounts")
        .ok()
        .and_then(|m| find(&m))
        && let Ok(f) = std::fs::File::open(&dir)
    {
        return Some(f);
    }
    if let Some(dir) = std::fs::read_to_string("/proc/1/mounts")
        .ok()
        .and_then(|m| find(&m))
        && let Ok(f) = std::fs::File::open(format!("/proc/1/root{dir}"))
    {
        return Some(f);
    }
    let tmp = std::env::temp_dir().join(format!("ptcpdump-cgroup2-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).ok()?;
    let c = |s: &str| std::ffi::CString::new(s).ok();
    let (src, target, fstype) = (c("none")?, c(tmp.to_str()?)?, c("cgroup2")?);
    // SAFETY: C strings we own; no mount data.
    let mounted = unsafe {
        libc::mount(
            src.as_ptr(),
            target.as_ptr(),
            fstype.as_ptr(),
            0,
            std::ptr::null(),
        )
    } == 0;
    let f = if mounted {
        std::fs::File::open(&tmp).ok()
    } else {
        None
    };
    if mounted {
        // SAFETY: detaching the mount we just made; the open directory keeps it usable.
        unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
    }
    let _ = std::fs::remove_dir(&tmp);
    f
}

/// The raw fd of a map this process keeps open for as long as the fd is used.
fn map_fd(map: &aya::maps::Map) -> Result<i32> {
    use aya::maps::Map;
    let data = match map {
        Map::PerCpuArray(d) | Map::ProgramArray(d) | Map::Array(d) | Map::HashMap(d) => d,
        _ => bail!("unexpected map type"),
    };
    Ok(data.fd().as_fd().as_raw_fd())
}

/// One clear line instead of a verifier dump (the dump is logged at debug level).
pub fn kernel_error(what: &str, e: anyhow::Error) -> anyhow::Error {
    let full = format!("{e:#}");
    log::debug!("{what}: {full}");
    let first = full
        .split(". Verifier output")
        .next()
        .unwrap_or(&full)
        .lines()
        .next()
        .unwrap_or("");
    anyhow!("cannot {what}: {first} (run with --log-level debug for the verifier log)")
}

/// Root, or CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN.
pub fn check_privileges() -> Result<()> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let cap_eff = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .unwrap_or(0);
    const CAP_NET_ADMIN: u64 = 12;
    const CAP_SYS_ADMIN: u64 = 21;
    const CAP_PERFMON: u64 = 38;
    const CAP_BPF: u64 = 39;
    let has = |c: u64| cap_eff & (1 << c) != 0;
    let bpf_ok = has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON));
    if !(bpf_ok && has(CAP_NET_ADMIN)) {
        bail!(
            "you don't have permission to capture: run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN"
        );
    }
    Ok(())
}

/// The tracepoint programs need tracefs; mount it where the machine has not.
pub fn ensure_tracefs() {
    if std::path::Path::new("/sys/kernel/tracing/events").exists() {
        return;
    }
    let src = c"nodev";
    let target = c"/sys/kernel/tracing";
    let fstype = c"tracefs";
    // SAFETY: constant C strings, no data argument.
    let rc = unsafe {
        libc::mount(
            src.as_ptr(),
            target.as_ptr(),
            fstype.as_ptr(),
            0,
            std::ptr::null(),
        )
    };
    if rc != 0 {
        log::warn!(
            "tracefs is not mounted and mounting it failed: {}",
            std::io::Error::last_os_error()
        );
    }
}
