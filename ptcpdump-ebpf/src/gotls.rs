//! TLS key log of Go programs: a uprobe at the entry of
//! `crypto/tls.(*Config).writeKeyLog(label string, clientRandom, secret []byte)`, which every
//! secret of Go's TLS stack passes through (called even when the program set no KeyLogWriter).
//!
//! Go's register calling convention (Go 1.17+ on amd64, 1.18+ on arm64) puts the arguments in
//! RAX (receiver), RBX/RCX (label ptr/len), RDI/RSI/R8 (clientRandom ptr/len/cap), R9/R10/R11
//! (secret ptr/len/cap) on amd64, and in R0..R8 in the same order on arm64. They are read at entry, where they are still in registers; the original's second
//! probe at the return is not needed, and Go's moving stacks make uretprobes unsafe anyway.
//! User space attaches this program to each captured Go executable (file offset computed by
//! `ptcpdump-gotls`, which also handles stripped and PIE builds); only selected processes
//! (`FILTER_PIDS`: `-- CMD` and its children, `--pid`) produce events.
// aya-build passes `--cfg bpf_target_arch=...` (whose registers a probe reads); the crate does not
// declare it to the check-cfg lint.
#![allow(unexpected_cfgs)]

use aya_ebpf::{
    helpers::{
        bpf_get_current_pid_tgid, bpf_ktime_get_ns, bpf_ringbuf_reserve, bpf_ringbuf_submit,
        generated,
    },
    macros::uprobe,
    programs::ProbeContext,
};
use ptcpdump_common::{
    COUNTER_EVENTS_DROPPED, EVENT_KEYLOG, KEYLOG_LABEL_LEN, KEYLOG_RANDOM_LEN, KEYLOG_SECRET_LEN,
    KeylogEvent,
};

use crate::maps::{EVENTS, FILTER_PIDS, count};

#[uprobe]
pub fn ptcpdump_go_keylog(ctx: ProbeContext) -> u32 {
    let tgid = (bpf_get_current_pid_tgid() >> 32) as u32;
    // SAFETY: map read.
    if unsafe { FILTER_PIDS.get(&tgid) }.is_none() {
        return 0;
    }
    let Some((label, label_len, random, random_len, secret, secret_len)) = go_args(&ctx) else {
        return 0;
    };

    let size = core::mem::size_of::<KeylogEvent>() as u64;
    // SAFETY: constant-size reservation, submitted below on every path.
    let p =
        unsafe { bpf_ringbuf_reserve(&EVENTS as *const _ as *mut _, size, 0) } as *mut KeylogEvent;
    if p.is_null() {
        count(COUNTER_EVENTS_DROPPED);
        return 0;
    }
    // SAFETY: p points at a reserved record of the event's size.
    let e = unsafe { &mut *p };
    e.kind = EVENT_KEYLOG;
    e.pid = tgid;
    e.ts_ns = unsafe { bpf_ktime_get_ns() };
    e.label_len = label_len as u32;
    e.random_len = random_len as u32;
    e.secret_len = secret_len as u32;
    e._pad = 0;
    copy(&mut e.label, label, label_len);
    copy(&mut e.client_random, random, random_len);
    copy(&mut e.secret, secret, secret_len);
    // SAFETY: submitting the record reserved above.
    unsafe { bpf_ringbuf_submit(p as *mut _, 0) };
    0
}

/// (label ptr, label len, clientRandom ptr, len, secret ptr, len) from Go's integer argument
/// registers: amd64 RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11; arm64 R0-R15 (receiver first).
#[inline(always)]
fn go_args(ctx: &ProbeContext) -> Option<(u64, u64, u64, u64, u64, u64)> {
    #[cfg(bpf_target_arch = "x86_64")]
    {
        // SAFETY: the context of a uprobe is the user registers at the probed instruction.
        let r = unsafe { &*ctx.regs };
        Some((r.rbx, r.rcx, r.rdi, r.rsi, r.r9, r.r10))
    }
    #[cfg(bpf_target_arch = "aarch64")]
    {
        // SAFETY: on arm64 the context is `struct user_pt_regs`.
        let r = unsafe { &*(ctx.regs as *const aya_ebpf::bindings::user_pt_regs) };
        Some((
            r.regs[1], r.regs[2], r.regs[3], r.regs[4], r.regs[6], r.regs[7],
        ))
    }
    #[cfg(not(any(bpf_target_arch = "x86_64", bpf_target_arch = "aarch64")))]
    {
        let _ = ctx;
        None
    }
}

/// Copies `min(len, N)` bytes of user memory at `src` into `dst`, zero-filled on failure.
#[inline(always)]
fn copy<const N: usize>(dst: &mut [u8; N], src: u64, len: u64) {
    const { assert!(N == KEYLOG_LABEL_LEN || N == KEYLOG_RANDOM_LEN || N == KEYLOG_SECRET_LEN) };
    let mut n = len as u32;
    if n > N as u32 {
        n = N as u32;
    }
    // SAFETY: n <= N, the size of dst; the helper checks the user address.
    let rc =
        unsafe { generated::bpf_probe_read_user(dst.as_mut_ptr() as *mut _, n, src as *const _) };
    if rc != 0 {
        *dst = [0; N];
    }
}
