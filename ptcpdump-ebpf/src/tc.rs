//! The capture program (sched_cls). It is never attached directly: user space attaches a
//! generated entry program per interface and direction, which runs the pcap filter and then
//! tail-calls this program (slot 0 of `CAPTURE_PROGS`). Packets are copied straight from the skb
//! into a ring buffer slot sized for them (the verifier needs a constant reservation size, so the
//! size is picked from a ladder of buckets), and the consumer is only woken up when enough data
//! waits, which keeps wakeups rare at high packet rates.
use core::mem::size_of;

use aya_ebpf::helpers::generated::{bpf_get_listener_sock, bpf_sk_fullsock};
use aya_ebpf::{
    bindings::{BPF_RB_AVAIL_DATA, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP},
    helpers::{bpf_ktime_get_ns, bpf_ringbuf_reserve, bpf_ringbuf_submit, bpf_skb_load_bytes},
    macros::{classifier, map},
    maps::{PerCpuArray, ProgramArray},
    programs::TcContext,
};
use ptcpdump_common::{
    COUNTER_DROPPED, COUNTER_MATCHED, DIR_OUT, EVENT_PACKET, LINK_ETHERNET, Owner, PEER_NONE,
    PEER_NSID_BASE, PEER_SAME_NETNS, PacketEvent,
};

use crate::{
    maps::{ATTACH_CTX, ATTACH_NETNS, ATTACH_PEER, EVENTS, PEERS, config, count, selected},
    owner::{self, Scratch},
};

/// Slot 0: this capture program. User space fills it; entry programs tail-call through it.
#[map]
pub static CAPTURE_PROGS: ProgramArray = ProgramArray::with_max_entries(1, 0);

const TC_ACT_UNSPEC: i32 = -1;
const HDR: usize = size_of::<PacketEvent>();

#[classifier]
pub fn ptcpdump_capture(ctx: TcContext) -> i32 {
    capture(&ctx);
    TC_ACT_UNSPEC
}

#[inline(always)]
fn capture(ctx: &TcContext) {
    let Some(cfg) = config() else { return };
    let actx = match ATTACH_CTX.get(0) {
        Some(v) => *v,
        None => return,
    };
    let attach_id = actx as u32;
    let out = (actx >> 32) as u8 == DIR_OUT;
    let link = (actx >> 40) as u8;
    let len = ctx.len();
    let mut caplen = len;
    if caplen > cfg.snaplen {
        caplen = cfg.snaplen;
    }
    if caplen == 0 {
        return;
    }

    let Some(sc) = owner::scratch() else { return };
    let ts_ns = unsafe { bpf_ktime_get_ns() };
    let parsed = attribute(ctx, out, link, attach_id, ts_ns, cfg, sc);
    if cfg.filter != 0 && !keep(ctx, link, parsed, sc) {
        return;
    }
    count(COUNTER_MATCHED);
    let hdr = &mut sc.hdr;
    hdr.kind = EVENT_PACKET;
    hdr.attach_id = attach_id;
    hdr.ts_ns = ts_ns;
    hdr.len = len;
    hdr.caplen = caplen;
    if sc.mine.pid != 0 {
        hdr.owner = sc.mine;
        hdr.peer = sc.other;
    } else {
        hdr.owner = sc.other;
        hdr.peer = Owner::default();
    }
    let hdr = &sc.hdr;
    let wake = if EVENTS.query(BPF_RB_AVAIL_DATA as u64) >= cfg.wakeup_bytes {
        BPF_RB_FORCE_WAKEUP
    } else {
        BPF_RB_NO_WAKEUP
    } as u64;
    let ok = if caplen <= 128 {
        emit::<{ HDR + 128 }>(ctx, hdr, wake)
    } else if caplen <= 256 {
        emit::<{ HDR + 256 }>(ctx, hdr, wake)
    } else if caplen <= 512 {
        emit::<{ HDR + 512 }>(ctx, hdr, wake)
    } else if caplen <= 1024 {
        emit::<{ HDR + 1024 }>(ctx, hdr, wake)
    } else if caplen <= 1536 {
        emit::<{ HDR + 1536 }>(ctx, hdr, wake)
    } else if caplen <= 2048 {
        emit::<{ HDR + 2048 }>(ctx, hdr, wake)
    } else if caplen <= 4096 {
        emit::<{ HDR + 4096 }>(ctx, hdr, wake)
    } else if caplen <= 9216 {
        emit::<{ HDR + 9216 }>(ctx, hdr, wake)
    } else if caplen <= 16384 {
        emit::<{ HDR + 16384 }>(ctx, hdr, wake)
    } else if caplen <= 32768 {
        emit::<{ HDR + 32768 }>(ctx, hdr, wake)
    } else if caplen <= 65536 {
        emit::<{ HDR + 65536 }>(ctx, hdr, wake)
    } else if caplen <= 131072 {
        emit::<{ HDR + 131072 }>(ctx, hdr, wake)
    } else {
        emit::<{ HDR + 262144 }>(ctx, hdr, wake)
    };
    if !ok {
        count(COUNTER_DROPPED);
    }
}

/// Offset of the IP header, or None for non-IP frames (ARP ...).
#[inline(always)]
fn l3_offset<F: Fn(usize, &mut [u8]) -> bool>(load: &F, link: u8) -> Option<usize> {
    if link != LINK_ETHERNET {
        return Some(0);
    }
    let mut off = 12;
    for _ in 0..2 {
        let mut b = [0u8; 2];
        if !load(off, &mut b) {
            return None;
        }
        let et = u16::from_be_bytes(b);
        match et {
            0x0800 | 0x86dd => return Some(off + 2),
            0x8100 | 0x88a8 => off += 4,
            _ => return None,
        }
    }
    None
}

/// One answer of [`resolve`]: the owners of a packet's sender and receiver, for one attachment
/// and one address/port tuple. Answers are cached per CPU (direct-mapped on a hash of the
/// tuple), so a flow's later packets cost one map slot and no socket lookup; an answer is used
/// for at most [`ANSWER_TTL_NS`] and never after a socket changed process (`OWNER_GEN`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Answer {
    /// Attachment id + 1 (0: empty slot).
    tag: u32,
    /// `Parsed::proto`, `v6`, `icmp_err`, `echo_request` (see [`flags_of`]).
    flags: u32,
    sport: u16,
    dport: u16,
    _pad: u32,
    saddr: [u8; 16],
    daddr: [u8; 16],
    generation: u64,
    at_ns: u64,
    sender: Owner,
    receiver: Owner,
}

const ANSWERS: u32 = 256;
/// Long enough for a burst of a flow, short enough that a socket that appears (a server that
/// binds after its first datagram arrived) or goes away is seen soon.
const ANSWER_TTL_NS: u64 = 50_000_000;

#[map]
static ANSWER_CACHE: PerCpuArray<Answer> = PerCpuArray::with_max_entries(ANSWERS, 0);

#[inline(always)]
fn flags_of(p: &owner::Parsed) -> u32 {
    p.proto as u32 | (p.v6 as u32) << 8 | (p.icmp_err as u32) << 9 | (p.echo_request as u32) << 10
}

#[inline(always)]
fn word(a: &[u8; 16], i: usize) -> u32 {
    u32::from_ne_bytes([a[i], a[i + 1], a[i + 2], a[i + 3]])
}

#[inline(always)]
fn slot_of(p: &owner::Parsed, attach_id: u32) -> u32 {
    let mut h = attach_id ^ flags_of(p) ^ ((p.sport as u32) << 16 | p.dport as u32);
    h ^= word(&p.saddr, 0) ^ word(&p.saddr, 4) ^ word(&p.saddr, 8) ^ word(&p.saddr, 12);
    h = h.rotate_left(13);
    h ^= word(&p.daddr, 0) ^ word(&p.daddr, 4) ^ word(&p.daddr, 8) ^ word(&p.daddr, 12);
    h.wrapping_mul(0x9e37_79b1) >> 24
}

/// Fills `sc.mine` (the end the packet is named after) and `sc.other` (the other end, when
/// that is a local socket too). Returns whether `sc.parsed` holds the packet's IP header.
#[inline(always)]
fn attribute(
    ctx: &TcContext,
    out: bool,
    link: u8,
    attach_id: u32,
    now: u64,
    cfg: &ptcpdump_common::Config,
    sc: &mut Scratch,
) -> bool {
    sc.skb_sender = Owner::default();
    sc.receiver = Owner::default();
    // An outgoing packet's socket is the surest and cheapest answer for its sender; for a
    // SYN-ACK it is the request socket, whose listener owns it.
    if out {
        // SAFETY: reading the context's socket pointer; the helpers check it.
        let sk = unsafe { (*ctx.skb.skb).__bindgen_anon_2.sk };
        if !sk.is_null() {
            let mut full = unsafe { bpf_sk_fullsock(sk) };
            if full.is_null() {
                full = unsafe { bpf_get_listener_sock(sk) };
            }
            if let Some(o) = owner::of_sock(full as *mut _) {
                sc.skb_sender = o;
            }
        }
    }
    sc.sender = sc.skb_sender;
    // One helper call per header read. (Reading the first 96 bytes at once and parsing from
    // there saved about 40 ns per captured packet, but the verifiers of 5.10 to 6.12 lose track
    // of the pointer into that copy and refuse the program.)
    let skb = ctx.skb.skb as *mut core::ffi::c_void;
    let load = |off: usize, buf: &mut [u8]| owner::load(skb, off, buf);
    let parsed = match l3_offset(&load, link) {
        Some(l3) => owner::parse(load, l3, &mut sc.parsed, &mut sc.quoted, &mut sc.buf),
        None => false,
    };
    sc.fresh = false;
    if parsed && sc.parsed.has_ports {
        let slot = slot_of(&sc.parsed, attach_id);
        let g = owner::generation();
        if let Some(a) = ANSWER_CACHE.get_ptr_mut(slot) {
            // SAFETY: per-CPU slot; the capture program does not nest on one CPU.
            let a = unsafe { &mut *a };
            let p = &sc.parsed;
            if a.tag == attach_id + 1
                && a.flags == flags_of(p)
                && a.sport == p.sport
                && a.dport == p.dport
                && a.saddr == p.saddr
                && a.daddr == p.daddr
                && a.generation == g
                && now.wrapping_sub(a.at_ns) < ANSWER_TTL_NS
            {
                sc.sender = a.sender;
                sc.receiver = a.receiver;
                // An end not known then may be known now: another interface the packets cross
                // first, or the other end's namespace, may have seen its socket since.
                if sc.sender.pid == 0 && !sc.parsed.icmp_err {
                    sc.parsed.key_into(true, &mut sc.key);
                    if let Some(o) = owner::of_flow(&sc.key) {
                        sc.sender = o;
                        a.sender = o;
                    }
                }
                if sc.receiver.pid == 0 {
                    sc.parsed.key_into(false, &mut sc.key);
                    if let Some(o) = owner::of_flow(&sc.key) {
                        sc.receiver = o;
                        a.receiver = o;
                    }
                }
            } else {
                resolve(ctx, out, attach_id, sc);
                sc.fresh = true;
                let p = &sc.parsed;
                a.tag = attach_id + 1;
                a.flags = flags_of(p);
                a.sport = p.sport;
                a.dport = p.dport;
                a.saddr = p.saddr;
                a.daddr = p.daddr;
                a.generation = g;
                a.at_ns = now;
                a.sender = sc.sender;
                a.receiver = sc.receiver;
            }
        }
        // The socket's owner now, not when the answer was cached.
        if sc.skb_sender.pid != 0 {
            sc.sender = sc.skb_sender;
        }
        // The kernel answers an echo request: its receiver and its reply's sender are no
        // process. (On loopback both ends' keys are the ping's own, which would name it twice.)
        let icmp =
            sc.parsed.proto == owner::IPPROTO_ICMP || sc.parsed.proto == owner::IPPROTO_ICMPV6;
        if icmp && !sc.parsed.icmp_err {
            if sc.parsed.echo_request {
                sc.receiver = Owner::default();
            } else {
                sc.sender = Owner::default();
            }
        }
    }
    if out {
        sc.mine = sc.sender;
        sc.other = sc.receiver;
    } else {
        sc.mine = sc.receiver;
        sc.other = sc.sender;
    }
    // Under a process filter, the end the filter selected, so that the line names the process
    // the user asked for (when both ends are selected, the rule below decides).
    if cfg.filter != 0 {
        let m = selected(sc.mine.pid, sc.mine.uid);
        let o = selected(sc.other.pid, sc.other.uid);
        if m != o {
            if o {
                core::mem::swap(&mut sc.mine, &mut sc.other);
            }
            return parsed;
        }
    }
    // Which end to name: the direction's own end (sender for Out, receiver for In) when its
    // socket lives in this interface's namespace; else the other end when that one does; when
    // neither does (traffic forwarded or bridged to other namespaces, as on a container's veth),
    // the sender.
    let dev_ns = ATTACH_NETNS.get(attach_id).copied().unwrap_or(0);
    let mine_local = sc.mine.pid != 0 && sc.mine.netns == dev_ns;
    let other_local = sc.other.pid != 0 && sc.other.netns == dev_ns;
    let swap = if mine_local {
        false
    } else if other_local {
        true
    } else {
        // The sender is `mine` for Out and `other` for In.
        (!out && sc.other.pid != 0) || sc.mine.pid == 0
    };
    if swap {
        core::mem::swap(&mut sc.mine, &mut sc.other);
    }
    parsed
}

/// Finds the owners of the packet's sender and receiver (`sc.sender`, `sc.receiver`; pid 0:
/// not a local socket, or not found): the near end (sender of an outgoing packet, receiver of
/// an incoming one) in the interface's namespace, the far end where `ATTACH_PEER` says (the
/// peer namespace of a veth, the same namespace for loopback), then `FLOWS` for whatever is
/// still missing. An ICMP error is a reply to the packet it quotes: only its receiver, the
/// quoted packet's sender, is looked for (its own sender is a kernel).
#[inline(always)]
fn resolve(ctx: &TcContext, out: bool, attach_id: u32, sc: &mut Scratch) {
    let skb = ctx.skb.skb as *mut core::ffi::c_void;
    let err = sc.parsed.icmp_err;
    let proto = sc.parsed.proto;
    if proto == owner::IPPROTO_TCP || proto == owner::IPPROTO_UDP {
        if !out {
            if let Some(o) = owner::lookup(skb, &sc.parsed, true, owner::CURRENT_NETNS) {
                sc.receiver = o;
            }
        } else if sc.sender.pid == 0
            && !err
            && let Some(o) = owner::lookup(skb, &sc.parsed, false, owner::CURRENT_NETNS)
        {
            sc.sender = o;
        }
        let peer = ATTACH_PEER
            .get(attach_id)
            .map(|p| p.far)
            .unwrap_or(PEER_NONE);
        if peer != PEER_NONE && (out || !err) {
            let ns = if peer == PEER_SAME_NETNS {
                owner::CURRENT_NETNS
            } else {
                peer - PEER_NSID_BASE
            };
            if let Some(o) = owner::lookup(skb, &sc.parsed, out, ns) {
                if out {
                    sc.receiver = o;
                } else {
                    sc.sender = o;
                }
            }
        }
    }
    // What the sockets said is remembered: for the next interface the packet crosses, where
    // its ends may not be found (a bridge), for a socket closed since (a port unreachable for
    // a datagram whose sender is gone, TIME_WAIT), and for the reply to an echo request (no
    // lookup finds a ping socket). What they did not say is taken from there. Once per answer.
    if sc.sender.pid != 0 {
        if !err {
            sc.parsed.key_into(true, &mut sc.key);
            owner::remember(&sc.key, &sc.sender);
        }
    } else if !err {
        sc.parsed.key_into(true, &mut sc.key);
        if let Some(o) = owner::of_flow(&sc.key) {
            sc.sender = o;
        }
    }
    sc.parsed.key_into(false, &mut sc.key);
    if sc.receiver.pid != 0 {
        owner::remember(&sc.key, &sc.receiver);
    } else if let Some(o) = owner::of_flow(&sc.key) {
        sc.receiver = o;
    }
    // An echo exchange with a ping whose namespace no capture of ours saw: the peer
    // namespace's newest ICMP socket, remembered for the rest of the exchange.
    let far = if out { sc.receiver } else { sc.sender };
    if far.pid == 0
        && !err
        && (proto == owner::IPPROTO_ICMP || proto == owner::IPPROTO_ICMPV6)
        && let Some(peer) = ATTACH_PEER.get(attach_id)
        && peer.netns_cookie != 0
        && let Some(o) = unsafe { owner::ICMP_OWNERS.get(peer.netns_cookie) }.copied()
    {
        // The far end is the ping for a request coming in, or for a reply going out.
        if out != sc.parsed.echo_request {
            sc.parsed.key_into(!out, &mut sc.key);
            owner::remember(&sc.key, &o);
            if out {
                sc.receiver = o;
            } else {
                sc.sender = o;
            }
        }
    }
}

/// Under a process filter: keep packets of selected processes (either end), and ARP, ND and
/// ICMP packets that concern addresses selected processes talk to.
#[inline(always)]
fn keep(ctx: &TcContext, link: u8, parsed: bool, sc: &Scratch) -> bool {
    if selected(sc.mine.pid, sc.mine.uid) || selected(sc.other.pid, sc.other.uid) {
        // Once per answer, not per packet: the addresses stay fresh in the LRU all the same.
        if parsed && sc.fresh {
            let _ = PEERS.insert(sc.parsed.saddr, 1, 0);
            let _ = PEERS.insert(sc.parsed.daddr, 1, 0);
        }
        return true;
    }
    let peer = |a: &[u8; 16]| unsafe { PEERS.get(a) }.is_some();
    if link == LINK_ETHERNET && u16::from_be(ctx.load::<u16>(12).unwrap_or(0)) == 0x0806 {
        // ARP: sender and target protocol addresses (IPv4 over Ethernet).
        let mut a = [0u8; 16];
        let skb = ctx.skb.skb as *mut _;
        if owner::load(skb, 28, &mut a[..4]) && peer(&a) {
            return true;
        }
        return owner::load(skb, 38, &mut a[..4]) && peer(&a);
    }
    // ND, and ICMP errors whose quoted flow has no socket left, about a selected process's
    // peers; echo requests and replies, and errors about a live flow, were decided above.
    let p = &sc.parsed;
    parsed
        && (p.icmp_err
            || (!p.has_ports
                && (p.proto == owner::IPPROTO_ICMP || p.proto == owner::IPPROTO_ICMPV6)))
        && (peer(&p.saddr) || peer(&p.daddr))
}

/// Reserves `N` bytes, writes the header and `hdr.caplen` packet bytes, submits.
#[inline(always)]
fn emit<const N: usize>(ctx: &TcContext, hdr: &PacketEvent, wake: u64) -> bool {
    // SAFETY: plain helper call; a null return means the ring buffer is full.
    let p = unsafe { bpf_ringbuf_reserve(EVENTS_PTR(), N as u64, 0) } as *mut u8;
    if p.is_null() {
        return false;
    }
    // In [1, N - HDR] in a form the verifier can follow. caplen is read back from the record
    // with a volatile load so the compiler cannot reuse a bound the verifier does not see.
    // SAFETY: p points at N >= HDR writable bytes.
    let caplen = unsafe {
        core::ptr::write_unaligned(p as *mut PacketEvent, *hdr);
        core::ptr::read_volatile(core::ptr::addr_of!((*(p as *const PacketEvent)).caplen))
    };
    let mut m = (caplen as usize).wrapping_sub(1);
    if m > N - HDR - 1 {
        m = N - HDR - 1;
    }
    let n = m + 1;
    // SAFETY: p points at N writable bytes; HDR + n <= N.
    unsafe {
        let data = p.add(HDR);
        if bpf_skb_load_bytes(ctx.skb.skb as *const _, 0, data as *mut _, n as u32) < 0 {
            // Keep the record well-formed: say nothing was copied.
            (*(p as *mut PacketEvent)).caplen = 0;
        }
        bpf_ringbuf_submit(p as *mut _, wake);
    }
    true
}

#[inline(always)]
#[allow(non_snake_case)]
fn EVENTS_PTR() -> *mut core::ffi::c_void {
    &EVENTS as *const _ as *mut core::ffi::c_void
}
