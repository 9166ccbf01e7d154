//! The classic attach backend, for kernels before TCX (6.6): a `clsact` qdisc on the interface
//! and one `cls_bpf` filter per entry program, in direct-action mode, made over rtnetlink (no
//! `tc` binary). Unlike a TCX link, a filter is not owned by a file descriptor: it stays when the
//! process that made it dies, so
//!
//! - every filter is named `ptcpdump:PID` (`TCA_BPF_NAME`) and deleted by handle on drop;
//! - the qdisc is deleted only by the process that created it, and only when no filter at all
//!   (ours or anybody's) is left on it;
//! - a filter left by a killed ptcpdump costs almost nothing: its entry program tail-calls
//!   through its process's `CAPTURE_PROGS` array, which the kernel empties when the last user
//!   file descriptor of that map closes, so the tail call fails and the program returns
//!   `TC_ACT_UNSPEC` after its filter, copying nothing; the next ptcpdump that attaches to the
//!   interface finds such filters (a `ptcpdump:` filter whose program's program array has an
//!   empty slot 0) and deletes them. The PID in the name is for people reading `tc filter show`:
//!   the emptied program array is the proof, which also holds across PID namespaces.
//!
//! Attach and detach of all ptcpdump processes are serialised by a lock file so that one
//! process's "is anybody still using the qdisc" cannot race with another's attach.
use std::{
    fs::File,
    io,
    os::fd::{AsFd as _, AsRawFd as _, BorrowedFd},
    sync::{Arc, Mutex},
};

use crate::netlink::{self, Attrs, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, Socket};

const RTM_NEWQDISC: u16 = 36;
const RTM_DELQDISC: u16 = 37;
const RTM_NEWTFILTER: u16 = 44;
const RTM_DELTFILTER: u16 = 45;
const RTM_GETTFILTER: u16 = 46;
const TCA_KIND: u16 = 1;
const TCA_OPTIONS: u16 = 2;
const TCA_BPF_FD: u16 = 6;
const TCA_BPF_NAME: u16 = 7;
const TCA_BPF_FLAGS: u16 = 8;
const TCA_BPF_ID: u16 = 11;
const TCA_BPF_FLAG_ACT_DIRECT: u32 = 1;
/// `TC_H_CLSACT` (= `TC_H_INGRESS`), the qdisc's parent; its handle is `ffff:`.
const TC_H_CLSACT: u32 = 0xffff_fff1;
const QDISC_HANDLE: u32 = 0xffff_0000;
/// Filter parents `ffff:fff2` (ingress) and `ffff:fff3` (egress).
const PARENT_INGRESS: u32 = 0xffff_fff2;
const PARENT_EGRESS: u32 = 0xffff_fff3;
const ETH_P_ALL: u16 = 0x0003;
/// Name prefix of our filters.
pub const NAME_PREFIX: &str = "ptcpdump:";
/// Priorities tried in order. At priority 1, shared with other `bpf` filters (Cilium uses it),
/// a new filter goes first in the list, so the capture sees packets before a program that
/// decides their fate; a priority held by another classifier kind is skipped.
const PRIOS: std::ops::RangeInclusive<u16> = 1..=16;

/// The qdisc of one interface as far as this process is concerned: deleted when the last of
/// our filters on it goes, if we created it and nobody else uses it.
struct Qdisc {
    sock: Mutex<Socket>,
    ifindex: i32,
    created: bool,
}

impl Drop for Qdisc {
    fn drop(&mut self) {
        if !self.created {
            return;
        }
        let _lock = Lock::take();
        let Ok(mut s) = self.sock.lock() else { return };
        let used = [PARENT_INGRESS, PARENT_EGRESS]
            .iter()
            .any(|&p| list(&mut s, self.ifindex, p).map_or(true, |l| !l.is_empty()));
        if !used {
            let body = tcmsg(self.ifindex, QDISC_HANDLE, TC_H_CLSACT, 0);
            if let Err(e) = s.request(RTM_DELQDISC, 0, &body) {
                log::debug!("ifindex {}: deleting clsact qdisc: {e}", self.ifindex);
            }
        }
    }
}

/// One `cls_bpf` filter of ours; deleted on drop.
pub struct Filter {
    qdisc: Arc<Qdisc>,
    parent: u32,
    prio: u16,
    handle: u32,
}

impl Drop for Filter {
    fn drop(&mut self) {
        let _lock = Lock::take();
        let Ok(mut s) = self.qdisc.sock.lock() else {
            return;
        };
        match delete(
            &mut s,
            self.qdisc.ifindex,
            self.parent,
            self.prio,
            self.handle,
        ) {
            Ok(()) => {}
            // The interface, and its filters with it, went away during the capture.
            Err(e) if matches!(e.raw_os_error(), Some(libc::ENODEV) | Some(libc::ENOENT)) => {}
            Err(e) => log::warn!(
                "ifindex {}: deleting our tc filter {:x}: {e}",
                self.qdisc.ifindex,
                self.handle
            ),
        }
    }
}

/// The backend's per-process state: one [`Qdisc`] per interface we attached to.
#[derive(Default)]
pub struct Clsact {
    /// (netns inode, ifindex) -> qdisc, while a filter of ours uses it.
    qdiscs: Vec<((u64, u32), std::sync::Weak<Qdisc>)>,
    next_handle: u32,
}

impl Clsact {
    /// Attaches `prog` to `ifindex` of the calling thread's namespace (`netns` is its inode),
    /// after removing filters that killed ptcpdump processes left there.
    pub fn attach(
        &mut self,
        prog: BorrowedFd<'_>,
        netns: u64,
        ifindex: u32,
        ingress: bool,
    ) -> io::Result<Filter> {
        let _lock = Lock::take();
        let qdisc = self.qdisc(netns, ifindex)?;
        let parent = if ingress {
            PARENT_INGRESS
        } else {
            PARENT_EGRESS
        };
        let mut s = qdisc
            .sock
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?;
        remove_orphans(&mut s, qdisc.ifindex, parent);
        let name = format!("{NAME_PREFIX}{}", std::process::id());
        let mut last = io::Error::from_raw_os_error(libc::EINVAL);
        for prio in PRIOS {
            // Handles are unique per priority: PID in the high bits, a counter in the low ones,
            // and the next one on a collision.
            for _ in 0..64 {
                self.next_handle = self.next_handle.wrapping_add(1);
                let handle = ((std::process::id() & 0xf_ffff) << 12) | (self.next_handle & 0xfff);
                let mut opts = Attrs::default();
                opts.put_u32(TCA_BPF_FD, prog.as_raw_fd() as u32)
                    .put_str(TCA_BPF_NAME, &name)
                    .put_u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
                let mut attrs = Attrs::default();
                attrs
                    .put_str(TCA_KIND, "bpf")
                    .put_nested(TCA_OPTIONS, &opts);
                let mut body = tcmsg(qdisc.ifindex, handle, parent, info(prio));
                body.extend_from_slice(&attrs.0);
                match s.request(RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, &body) {
                    Ok(_) => {
                        drop(s);
                        return Ok(Filter {
                            qdisc,
                            parent,
                            prio,
                            handle,
                        });
                    }
                    Err(e) if e.raw_os_error() == Some(libc::EEXIST) => continue,
                    Err(e) => {
                        last = e;
                        break;
                    }
                }
            }
            // EINVAL: this priority belongs to another classifier kind or protocol.
            if last.raw_os_error() != Some(libc::EINVAL) {
                break;
            }
        }
        Err(last)
    }

    /// Our qdisc record for the interface, creating the qdisc when it is not there.
    fn qdisc(&mut self, netns: u64, ifindex: u32) -> io::Result<Arc<Qdisc>> {
        self.qdiscs.retain(|(_, w)| w.strong_count() > 0);
        if let Some(q) = self
            .qdiscs
            .iter()
            .find(|(k, _)| *k == (netns, ifindex))
            .and_then(|(_, w)| w.upgrade())
        {
            return Ok(q);
        }
        let mut sock = Socket::open(0)?;
        let ifindex_i = ifindex as i32;
        let mut attrs = Attrs::default();
        attrs.put_str(TCA_KIND, "clsact");
        let mut body = tcmsg(ifindex_i, QDISC_HANDLE, TC_H_CLSACT, 0);
        body.extend_from_slice(&attrs.0);
        let created = match sock.request(RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, &body) {
            Ok(_) => true,
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => false,
            Err(e) => return Err(e),
        };
        let q = Arc::new(Qdisc {
            sock: Mutex::new(sock),
            ifindex: ifindex_i,
            created,
        });
        self.qdiscs.push(((netns, ifindex), Arc::downgrade(&q)));
        Ok(q)
    }
}

/// `struct tcmsg`: family, padding, ifindex, handle, parent, info.
fn tcmsg(ifindex: i32, handle: u32, parent: u32, info: u32) -> Vec<u8> {
    let mut b = vec![0u8; 4];
    b.extend_from_slice(&ifindex.to_ne_bytes());
    b.extend_from_slice(&handle.to_ne_bytes());
    b.extend_from_slice(&parent.to_ne_bytes());
    b.extend_from_slice(&info.to_ne_bytes());
    b
}

/// A filter's `tcm_info`: priority in the high half, protocol (network order) in the low half.
fn info(prio: u16) -> u32 {
    (u32::from(prio) << 16) | u32::from(ETH_P_ALL.to_be())
}

/// A filter on a hook, as dumped.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub prio: u16,
    pub handle: u32,
    pub kind: String,
    pub name: String,
    pub prog_id: Option<u32>,
}

/// The filters on one hook of an interface. The kernel dumps one entry per priority without a
/// handle (the classifier itself) besides the filters; those are left out.
fn list(s: &mut Socket, ifindex: i32, parent: u32) -> io::Result<Vec<Listed>> {
    let body = tcmsg(ifindex, 0, parent, 0);
    let msgs = match s.request(RTM_GETTFILTER, NLM_F_DUMP, &body) {
        Ok(m) => m,
        // No clsact qdisc (any more): nothing on it.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOENT)) => {
            return Ok(Vec::new());
        }
        Err(e) => return Err(e),
    };
    let mut v = Vec::new();
    for m in msgs {
        if m.kind != RTM_NEWTFILTER || m.payload.len() < 20 {
            continue;
        }
        let p = &m.payload;
        let handle = u32::from_ne_bytes(p[8..12].try_into().expect("4 bytes"));
        let tinfo = u32::from_ne_bytes(p[16..20].try_into().expect("4 bytes"));
        if handle == 0 {
            continue;
        }
        let mut l = Listed {
            prio: (tinfo >> 16) as u16,
            handle,
            kind: String::new(),
            name: String::new(),
            prog_id: None,
        };
        for (k, val) in netlink::attrs(&p[20..]) {
            match k {
                TCA_KIND => l.kind = netlink::attr_str(val).to_string(),
                TCA_OPTIONS => {
                    for (ok, ov) in netlink::attrs(val) {
                        match ok {
                            TCA_BPF_NAME => l.name = netlink::attr_str(ov).to_string(),
                            TCA_BPF_ID => l.prog_id = netlink::attr_u32(ov),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        v.push(l);
    }
    Ok(v)
}

fn delete(s: &mut Socket, ifindex: i32, parent: u32, prio: u16, handle: u32) -> io::Result<()> {
    let mut attrs = Attrs::default();
    attrs.put_str(TCA_KIND, "bpf");
    let mut body = tcmsg(ifindex, handle, parent, info(prio));
    body.extend_from_slice(&attrs.0);
    s.request(RTM_DELTFILTER, 0, &body).map(|_| ())
}

/// Whether a ptcpdump filter's program has lost its process: the program array it tail-calls
/// through (the only `PROG_ARRAY` among its maps) has an empty slot 0. A program that cannot be
/// inspected counts as alive.
pub fn orphaned(prog_id: u32) -> bool {
    use ptcpdump_filter::ebpf as bpf;
    let Ok(prog) = bpf::prog_fd_by_id(prog_id) else {
        return false;
    };
    let Ok(maps) = bpf::prog_map_ids(prog.as_fd()) else {
        return false;
    };
    for id in maps {
        let Ok(map) = bpf::map_fd_by_id(id) else {
            continue;
        };
        if bpf::map_type(map.as_fd()).ok() != Some(bpf::MAP_TYPE_PROG_ARRAY) {
            continue;
        }
        let mut value = [0u8; 4];
        return match bpf::map_lookup(map.as_fd(), &0u32.to_ne_bytes(), &mut value) {
            Ok(()) => false,
            Err(e) => e.source.raw_os_error() == Some(libc::ENOENT),
        };
    }
    false
}

/// Deletes the filters killed ptcpdump processes left on a hook.
fn remove_orphans(s: &mut Socket, ifindex: i32, parent: u32) {
    let Ok(all) = list(s, ifindex, parent) else {
        return;
    };
    for f in all {
        if f.kind != "bpf" || !f.name.starts_with(NAME_PREFIX) {
            continue;
        }
        if f.prog_id.is_some_and(orphaned) {
            match delete(s, ifindex, parent, f.prio, f.handle) {
                Ok(()) => log::info!(
                    "ifindex {ifindex}: removed the tc filter {} ({}) left by a ptcpdump that was killed",
                    f.name,
                    if parent == PARENT_INGRESS {
                        "ingress"
                    } else {
                        "egress"
                    }
                ),
                Err(e) => log::warn!(
                    "ifindex {ifindex}: removing stale tc filter {}: {e}",
                    f.name
                ),
            }
        }
    }
}

/// An exclusive lock shared by all ptcpdump processes (`flock` on a file in /run), held while
/// filters and qdiscs are added or removed. Taken again by the same thread (a qdisc record
/// dropped while a filter is being attached or deleted), it is already held. Without a
/// writable /run it is skipped.
struct Lock;

thread_local! {
    static HELD: std::cell::RefCell<(u32, Option<File>)> = const { std::cell::RefCell::new((0, None)) };
}

impl Lock {
    fn take() -> Lock {
        HELD.with(|h| {
            let mut h = h.borrow_mut();
            if h.0 == 0 {
                let f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open("/run/ptcpdump-clsact.lock")
                    .ok();
                if let Some(f) = &f {
                    // SAFETY: flock on a file we own; released when it closes.
                    unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
                }
                h.1 = f;
            }
            h.0 += 1;
        });
        Lock
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        HELD.with(|h| {
            let mut h = h.borrow_mut();
            h.0 -= 1;
            if h.0 == 0 {
                h.1 = None;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcmsg_and_info_follow_the_uapi_layout() {
        let b = tcmsg(7, 0x1234, PARENT_EGRESS, info(1));
        assert_eq!(b.len(), 20);
        assert_eq!(&b[4..8], &7i32.to_ne_bytes());
        assert_eq!(&b[8..12], &0x1234u32.to_ne_bytes());
        assert_eq!(&b[12..16], &0xffff_fff3u32.to_ne_bytes());
        // Priority 1, protocol ETH_P_ALL in network byte order: what `tc` shows as
        // "protocol all pref 1".
        let i = u32::from_ne_bytes(b[16..20].try_into().unwrap());
        assert_eq!(i >> 16, 1);
        assert_eq!(((i & 0xffff) as u16).to_ne_bytes(), 0x0003u16.to_be_bytes());
    }

    #[test]
    fn a_program_that_cannot_be_opened_is_not_an_orphan() {
        // Removing somebody's filter by mistake is worse than leaving a stale one.
        assert!(!orphaned(u32::MAX));
    }
}
