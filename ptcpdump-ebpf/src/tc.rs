//! The capture program (sched_cls). It is never attached directly: user space attaches a
//! generated entry program per interface and direction, which runs the pcap filter and then
//! tail-calls this program (slot 0 of `CAPTURE_PROGS`). Packets are copied straight from the skb
//! into a ring buffer slot sized for them (the verifier needs a constant reservation size, so the
//! size is picked from a ladder of buckets), and the consumer is only woken up when enough data
//! waits, which keeps wakeups rare at high packet rates.
use core::mem::size_of;

use aya_ebpf::{
    bindings::{BPF_RB_AVAIL_DATA, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP},
    helpers::{bpf_ktime_get_ns, bpf_ringbuf_reserve, bpf_ringbuf_submit, bpf_skb_load_bytes},
    macros::{classifier, map},
    maps::ProgramArray,
    programs::TcContext,
};
use ptcpdump_common::{COUNTER_DROPPED, COUNTER_MATCHED, EVENT_PACKET, Owner, PacketEvent};

use crate::maps::{ATTACH_CTX, EVENTS, config, count};

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
    let attach_id = match ATTACH_CTX.get(0) {
        Some(v) => *v as u32,
        None => return,
    };
    let len = ctx.len();
    let mut caplen = len;
    if caplen > cfg.snaplen {
        caplen = cfg.snaplen;
    }
    if caplen == 0 {
        return;
    }
    count(COUNTER_MATCHED);
    let hdr = PacketEvent {
        kind: EVENT_PACKET,
        attach_id,
        ts_ns: unsafe { bpf_ktime_get_ns() },
        len,
        caplen,
        owner: Owner::default(),
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

/// Reserves `N` bytes, writes the header and `hdr.caplen` packet bytes, submits.
#[inline(always)]
fn emit<const N: usize>(ctx: &TcContext, hdr: &PacketEvent, wake: u64) -> bool {
    // SAFETY: plain helper call; a null return means the ring buffer is full.
    let p = unsafe { bpf_ringbuf_reserve(EVENTS_PTR(), N as u64, 0) } as *mut u8;
    if p.is_null() {
        return false;
    }
    let mut n = hdr.caplen as usize;
    if n > N - HDR {
        n = N - HDR;
    }
    if n == 0 {
        n = 1;
    }
    // SAFETY: p points at N writable bytes; HDR + n <= N.
    unsafe {
        core::ptr::write_unaligned(p as *mut PacketEvent, *hdr);
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
