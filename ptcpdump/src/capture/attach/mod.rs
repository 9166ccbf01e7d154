//! Step 3 of a live capture: one generated entry program (the pcap filter, then a tail call into
//! the capture program) per interface and direction, attached to the interface's TC hook by one
//! of two backends behind [`Backends::attach`]:
//!
//! - TCX links (6.6+), the first choice: owned by a file descriptor, so nothing stays attached
//!   when ptcpdump ends, even by `kill -9`;
//! - a `clsact` qdisc with `cls_bpf` filters in direct-action mode (every kernel ptcpdump runs
//!   on), made over rtnetlink; see `clsact.rs` for how several processes share it and how
//!   filters of killed processes are found and removed.
//!
//! `PTCPDUMP_ATTACH=clsact` (or `tcx`) forces a backend: the tests use it to exercise the
//! clsact backend on kernels that have TCX.
//!
//! Must be called on a thread inside the interface's network namespace (`netns::Netns::run`):
//! ifindexes and the namespace cookie are those of the calling thread.
mod clsact;

use std::{
    collections::HashMap,
    os::fd::{AsFd as _, AsRawFd as _, BorrowedFd, OwnedFd},
};

use anyhow::{Result, anyhow, bail};
use ptcpdump_common::{DIR_IN, DIR_OUT, LINK_ETHERNET, LINK_RAW_IP, attach_ctx};
use ptcpdump_filter::Program;

use super::load::Kernel;
use crate::{annotate::Direction, flags, ifaces::Iface, linktype};

/// One entry program attached to one interface in one direction; detached on drop.
pub struct Attachment {
    pub iface: Iface,
    /// Name as printed (`IFNAME` or `IFNAME@NETNS_INODE`).
    pub display: String,
    pub dir: Direction,
    // Detached before the program's fd closes (field order).
    _link: Link,
    _prog: OwnedFd,
}

/// Where an entry program is attached; detached on drop.
enum Link {
    Tcx(#[expect(dead_code, reason = "owns the link: closing it detaches")] OwnedFd),
    Clsact(#[expect(dead_code, reason = "deleted on drop")] clsact::Filter),
}

/// Which attach backend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Tcx,
    Clsact,
}

/// The attach backends and the choice between them, made once and said once.
pub struct Backends {
    chosen: Backend,
    /// Chosen by `PTCPDUMP_ATTACH`: no fallback.
    forced: bool,
    /// Whether the choice was said (`--log-level info`).
    said: bool,
    clsact: clsact::Clsact,
}

impl Backends {
    /// `tcx`: whether the kernel has TCX links, when the probe could tell (from BTF).
    pub fn new(tcx: Option<bool>) -> Backends {
        let forced = match std::env::var("PTCPDUMP_ATTACH").ok().as_deref() {
            Some("clsact") => Some(Backend::Clsact),
            Some("tcx") => Some(Backend::Tcx),
            _ => None,
        };
        let mut b = Backends {
            chosen: forced.unwrap_or(if tcx == Some(false) {
                Backend::Clsact
            } else {
                Backend::Tcx
            }),
            forced: forced.is_some(),
            said: false,
            clsact: clsact::Clsact::default(),
        };
        match (forced, tcx) {
            (Some(f), _) => {
                b.said = true;
                log::info!("attach: {} (PTCPDUMP_ATTACH)", f.name());
            }
            (None, Some(true)) => {
                b.said = true;
                log::info!("attach: tcx");
            }
            (None, Some(false)) => {
                b.said = true;
                log::info!("attach: clsact (no TCX before 6.6)");
            }
            // No BTF to tell: TCX is tried on the first interface.
            (None, None) => {}
        }
        b
    }

    fn attach(&mut self, prog: BorrowedFd<'_>, iface: &Iface, ingress: bool) -> Result<Link> {
        let hook = if ingress { "ingress" } else { "egress" };
        if self.chosen == Backend::Tcx {
            match ptcpdump_filter::ebpf::attach_tcx(prog, iface.index, ingress) {
                Ok(fd) => {
                    if !self.said {
                        self.said = true;
                        log::info!("attach: tcx");
                    }
                    return Ok(Link::Tcx(fd));
                }
                // A kernel without TCX does not know the attach type (EINVAL; 524 is the
                // kernel-internal ENOTSUPP).
                Err(e)
                    if !self.forced
                        && matches!(
                            e.source.raw_os_error(),
                            Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) | Some(524)
                        ) =>
                {
                    self.chosen = Backend::Clsact;
                    self.said = true;
                    log::info!(
                        "attach: clsact (TCX link refused: {}; TCX arrived in 6.6)",
                        e.source
                    );
                }
                Err(e) => bail!("{}: attach TCX {hook}: {e}", iface.name),
            }
        }
        let f = self
            .clsact
            .attach(prog, iface.netns_inode, iface.index, ingress)
            .map_err(|e| anyhow!("{}: attach tc filter ({hook}, clsact): {e}", iface.name))?;
        Ok(Link::Clsact(f))
    }
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Tcx => "tcx",
            Backend::Clsact => "clsact",
        }
    }
}

/// The attachments of this capture, indexed by attachment id (the id the entry program hands
/// the capture program), and what is needed to make more (new interfaces, new namespaces).
pub struct Attacher {
    /// Compiled filter per link type (compiled on first use).
    filters: HashMap<u32, Option<Program>>,
    expr: Option<String>,
    snaplen: u32,
    direction: flags::Direction,
    list: Vec<Attachment>,
    backends: Backends,
}

impl Attacher {
    pub fn new(
        expr: Option<String>,
        filters: HashMap<u32, Option<Program>>,
        snaplen: u32,
        direction: flags::Direction,
        backends: Backends,
    ) -> Attacher {
        Attacher {
            filters,
            expr,
            snaplen,
            direction,
            list: Vec::new(),
            backends,
        }
    }

    pub fn get(&self, attach_id: u32) -> Option<&Attachment> {
        self.list.get(attach_id as usize)
    }

    /// Whether `iface` (same namespace, index and name) is attached already.
    pub fn has(&self, iface: &Iface) -> bool {
        self.list.iter().any(|a| {
            a.iface.netns_inode == iface.netns_inode
                && a.iface.index == iface.index
                && a.iface.name == iface.name
        })
    }

    /// Detaches everything; returns (display name, link type) per attachment id.
    pub fn detach_all(&mut self) -> Vec<(String, u32)> {
        self.list
            .drain(..)
            .map(|a| (a.display, a.iface.linktype))
            .collect()
    }

    /// Attaches `iface` in each direction asked for. Runs in the interface's namespace.
    pub fn attach(&mut self, kernel: &mut Kernel, iface: &Iface) -> Result<()> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.filters.entry(iface.linktype) {
            e.insert(super::compile(&self.expr, iface.linktype, self.snaplen)?);
        }
        let filter = self.filters[&iface.linktype].as_ref();
        let dirs: &[Direction] = match self.direction {
            flags::Direction::In => &[Direction::In],
            flags::Direction::Out => &[Direction::Out],
            flags::Direction::Inout => &[Direction::In, Direction::Out],
        };
        for &dir in dirs {
            let attach_id = self.list.len() as u32;
            kernel
                .attach_netns
                .set(attach_id, current_netns_cookie(kernel.sock_owner_fd()), 0)
                .map_err(|e| anyhow!("too many interfaces ({attach_id}): {e}"))?;
            let link = if iface.linktype == linktype::ETHERNET {
                LINK_ETHERNET
            } else {
                LINK_RAW_IP
            };
            let dir_bit = if dir == Direction::In {
                DIR_IN
            } else {
                DIR_OUT
            };
            let hook = if dir == Direction::In {
                ptcpdump_filter::ebpf::Hook::Ingress
            } else {
                ptcpdump_filter::ebpf::Hook::Egress
            };
            let insns = ptcpdump_filter::ebpf::entry_program_at(
                hook,
                filter,
                kernel.attach_ctx_fd,
                attach_ctx(attach_id, dir_bit, link),
                kernel.capture_progs_fd,
                0,
            )
            .map_err(|e| anyhow!("translate the filter: {e}"))?;
            let prog = ptcpdump_filter::ebpf::load_sched_cls(&insns, "ptcpdump_entry")
                .map_err(|e| anyhow!("load the filter program: {e}"))?;
            let link = self
                .backends
                .attach(prog.as_fd(), iface, dir == Direction::In)?;
            self.list.push(Attachment {
                display: iface.display_name(),
                iface: iface.clone(),
                dir,
                _prog: prog,
                _link: link,
            });
        }
        Ok(())
    }
}

/// The network namespace cookie of the calling thread's namespace: `SO_NETNS_COOKIE` of a
/// throwaway socket (5.14+); before 5.14, the cookie `cgroup/sock_create` recorded in that
/// socket's storage (`sock_owner`: an fd of the `SOCK_OWNER` map), read back by socket fd.
/// 0 when neither works (then the sender of a packet is named).
fn current_netns_cookie(sock_owner: Option<BorrowedFd<'_>>) -> u64 {
    const SO_NETNS_COOKIE: libc::c_int = 71;
    // SAFETY: a throwaway socket, owned below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return 0;
    }
    // SAFETY: a new fd nobody else owns.
    let sock = unsafe { <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd) };
    let mut v: u64 = 0;
    let mut len = std::mem::size_of::<u64>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most len bytes into v.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            SO_NETNS_COOKIE,
            (&mut v as *mut u64).cast(),
            &mut len,
        )
    };
    if rc == 0 {
        return v;
    }
    let Some(map) = sock_owner else { return 0 };
    let mut owner = [0u8; size_of::<ptcpdump_common::Owner>()];
    let key = (sock.as_raw_fd() as u32).to_ne_bytes();
    if ptcpdump_filter::ebpf::map_lookup(map, &key, &mut owner).is_err() {
        return 0;
    }
    // SAFETY: the map's values are Owners; read unaligned from the byte copy.
    let o: ptcpdump_common::Owner = unsafe { std::ptr::read_unaligned(owner.as_ptr().cast()) };
    o.netns
}
