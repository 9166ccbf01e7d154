//! Step 3 of a live capture: one generated entry program (the pcap filter, then a tail call into
//! the capture program) per interface and direction, attached to the interface's TC hook.
//! Must be called on a thread inside the interface's network namespace (`netns::Netns::run`):
//! ifindexes and the namespace cookie are those of the calling thread.
use std::{collections::HashMap, os::fd::AsFd as _, os::fd::OwnedFd};

use anyhow::{Result, anyhow};
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
    _prog: OwnedFd,
    _link: OwnedFd,
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
}

impl Attacher {
    pub fn new(
        expr: Option<String>,
        filters: HashMap<u32, Option<Program>>,
        snaplen: u32,
        direction: flags::Direction,
    ) -> Attacher {
        Attacher {
            filters,
            expr,
            snaplen,
            direction,
            list: Vec::new(),
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
        let far_end = super::peer::far_end(iface);
        for &dir in dirs {
            let attach_id = self.list.len() as u32;
            kernel
                .attach_netns
                .set(attach_id, current_netns_cookie(), 0)
                .map_err(|e| anyhow!("too many interfaces ({attach_id}): {e}"))?;
            kernel
                .attach_peer
                .set(attach_id, far_end, 0)
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
            let link =
                ptcpdump_filter::ebpf::attach_tcx(prog.as_fd(), iface.index, dir == Direction::In)
                    .map_err(|e| {
                        anyhow!(
                            "{}: attach TCX {}: {e}",
                            iface.name,
                            if dir == Direction::In {
                                "ingress"
                            } else {
                                "egress"
                            }
                        )
                    })?;
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

/// SO_NETNS_COOKIE of a socket made in our own network namespace.
fn current_netns_cookie() -> u64 {
    const SO_NETNS_COOKIE: libc::c_int = 71;
    // SAFETY: a throwaway socket we close below; getsockopt writes at most len bytes.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return 0;
        }
        let mut v: u64 = 0;
        let mut len = std::mem::size_of::<u64>() as libc::socklen_t;
        let rc = libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            SO_NETNS_COOKIE,
            (&mut v as *mut u64).cast(),
            &mut len,
        );
        libc::close(fd);
        if rc == 0 { v } else { 0 }
    }
}
