//! The capture program (sched_cls). It is never attached directly: user space attaches a
//! generated entry program per interface and direction, which runs the pcap filter and then
//! tail-calls this program (slot 0 of `CAPTURE_PROGS`). Packets are copied straight from the skb
//! into a ring buffer slot sized for them (the verifier needs a constant reservation size, so the
//! size is picked from a ladder of buckets), and the consumer is only woken up when enough data
//! waits, which keeps wakeups rare at high packet rates.
use core::mem::size_of;

use aya_ebpf::helpers::generated::bpf_sk_fullsock;
use aya_ebpf::{
    bindings::{BPF_RB_AVAIL_DATA, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP},
    helpers::{bpf_ktime_get_ns, bpf_ringbuf_reserve, bpf_ringbuf_submit, bpf_skb_load_bytes},
    macros::{classifier, map},
    maps::ProgramArray,
    programs::TcContext,
};
use ptcpdump_common::{
    COUNTER_DROPPED, COUNTER_MATCHED, DIR_OUT, EVENT_PACKET, LINK_ETHERNET, Owner, PacketEvent,
};

use crate::{
    maps::{ATTACH_CTX, ATTACH_NETNS, EVENTS, PEERS, config, count, selected},
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
    let dev_ns = ATTACH_NETNS.get(attach_id).copied().unwrap_or(0);
    let parsed = attribute(ctx, out, link, dev_ns, sc);
    if cfg.filter != 0 && !keep(ctx, link, parsed, sc) {
        return;
    }
    count(COUNTER_MATCHED);
    let hdr = PacketEvent {
        kind: EVENT_PACKET,
        attach_id,
        ts_ns: unsafe { bpf_ktime_get_ns() },
        len,
        caplen,
        owner: if sc.mine.pid != 0 { sc.mine } else { sc.other },
        peer: if sc.mine.pid != 0 {
            sc.other
        } else {
            Owner::default()
        },
    };
    let wake = if EVENTS.query(BPF_RB_AVAIL_DATA as u64) >= cfg.wakeup_bytes {
        BPF_RB_FORCE_WAKEUP
    } else {
        BPF_RB_NO_WAKEUP
    } as u64;
    let ok = if caplen <= 128 {
        emit::<{ HDR + 128 }>(ctx, &hdr, wake)
    } else if caplen <= 256 {
        emit::<{ HDR + 256 }>(ctx, &hdr, wake)
    } else if caplen <= 512 {
        emit::<{ HDR + 512 }>(ctx, &hdr, wake)
    } else if caplen <= 1024 {
        emit::<{ HDR + 1024 }>(ctx, &hdr, wake)
    } else if caplen <= 1536 {
        emit::<{ HDR + 1536 }>(ctx, &hdr, wake)
    } else if caplen <= 2048 {
        emit::<{ HDR + 2048 }>(ctx, &hdr, wake)
    } else if caplen <= 4096 {
        emit::<{ HDR + 4096 }>(ctx, &hdr, wake)
    } else if caplen <= 9216 {
        emit::<{ HDR + 9216 }>(ctx, &hdr, wake)
    } else if caplen <= 16384 {
        emit::<{ HDR + 16384 }>(ctx, &hdr, wake)
    } else if caplen <= 32768 {
        emit::<{ HDR + 32768 }>(ctx, &hdr, wake)
    } else if caplen <= 65536 {
        emit::<{ HDR + 65536 }>(ctx, &hdr, wake)
    } else if caplen <= 131072 {
        emit::<{ HDR + 131072 }>(ctx, &hdr, wake)
    } else {
        emit::<{ HDR + 262144 }>(ctx, &hdr, wake)
    };
    if !ok {
        count(COUNTER_DROPPED);
    }
}

/// Offset of the IP header, or None for non-IP frames (ARP ...).
#[inline(always)]
fn l3_offset(ctx: &TcContext, link: u8) -> Option<usize> {
    if link != LINK_ETHERNET {
        return Some(0);
    }
    let mut off = 12;
    for _ in 0..2 {
        let et = u16::from_be(ctx.load::<u16>(off).ok()?);
        match et {
            0x0800 | 0x86dd => return Some(off + 2),
            0x8100 | 0x88a8 => off += 4,
            _ => return None,
        }
    }
    None
}

/// Fills `sc.mine` (the owner of the end the packet belongs to by direction: the sender for Out,
/// the receiver for In) and `sc.other` (the other end's, when that is local too). Returns whether
/// `sc.parsed` holds the packet's IP header.
#[inline(always)]
fn attribute(ctx: &TcContext, out: bool, link: u8, dev_ns: u64, sc: &mut Scratch) -> bool {
    sc.mine = Owner::default();
    sc.other = Owner::default();
    let mut found = false;
    if out {
        // SAFETY: reading the context's socket pointer; fullsock checks it.
        let sk = unsafe { (*ctx.skb.skb).__bindgen_anon_2.sk };
        if !sk.is_null() {
            let full = unsafe { bpf_sk_fullsock(sk) };
            if let Some(o) = owner::of_sock(full as *mut _) {
                sc.mine = o;
                found = true;
            }
        }
    }
    let Some(l3) = l3_offset(ctx, link) else {
        return false;
    };
    let load = |off: usize, buf: &mut [u8]| owner::load(ctx.skb.skb as *mut _, off, buf);
    if !owner::parse(load, l3, &mut sc.parsed, &mut sc.buf) {
        return false;
    }
    if !sc.parsed.has_ports {
        return true;
    }
    sc.parsed.key_into(out, &mut sc.own_key);
    sc.parsed.key_into(!out, &mut sc.other_key);
    if found {
        owner::remember(&sc.own_key, &sc.mine);
    } else if let Some(o) = owner::of_flow(&sc.own_key) {
        sc.mine = o;
        found = true;
    }
    if !found && (sc.parsed.proto == owner::IPPROTO_TCP || sc.parsed.proto == owner::IPPROTO_UDP) {
        // A socket in this device's namespace that has not sent or received yet: a listener
        // getting its first SYN, a UDP server getting its first datagram.
        if let Some(o) = owner::lookup(ctx.skb.skb as *mut _, &sc.parsed, out) {
            sc.mine = o;
            owner::remember(&sc.own_key, &o);
        }
    }
    if let Some(o) = owner::of_flow(&sc.other_key) {
        sc.other = o;
    }
    // Which end to name: the direction's own end (sender for Out, receiver for In) when its
    // socket lives in this interface's namespace; else the other end when that one does; when
    // neither does (traffic forwarded or bridged to other namespaces, as on a container's veth),
    // the sender.
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
    true
}

/// Under a process filter: keep packets of selected processes (either end), and ARP, ND and
/// ICMP packets that concern addresses selected processes talk to.
#[inline(always)]
fn keep(ctx: &TcContext, link: u8, parsed: bool, sc: &Scratch) -> bool {
    if selected(sc.mine.pid, sc.mine.uid) || selected(sc.other.pid, sc.other.uid) {
        if parsed {
            let _ = PEERS.insert(&sc.parsed.saddr, &1, 0);
            let _ = PEERS.insert(&sc.parsed.daddr, &1, 0);
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
    // ICMP errors and ND (no echo id to key a flow on) about a selected process's peers; echo
    // requests and replies are flows of their own and were decided above.
    parsed
        && !sc.parsed.has_ports
        && (sc.parsed.proto == owner::IPPROTO_ICMP || sc.parsed.proto == owner::IPPROTO_ICMPV6)
        && (peer(&sc.parsed.saddr) || peer(&sc.parsed.daddr))
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
