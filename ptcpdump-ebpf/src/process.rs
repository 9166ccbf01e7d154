//! Process bookkeeping from tracepoints (no kprobes needed). When an exec commits
//! (`sched_process_exec`), the new program's arguments are read from its own stack, where the
//! kernel has just copied them (`current->mm->arg_start..arg_end`, what /proc/PID/cmdline
//! shows): so a process that execs, sends one packet and exits within milliseconds is known by
//! its full command line, whether it came through execve, execveat, fexecve or a `#!` script.
//!
//! Reading the caller's argv at `sys_enter_execve` instead is not enough: a child that execs
//! right after fork often has no page table entries yet for its parent's read-only data (fork
//! copies none for file-backed mappings), where `execl(self, self, "once", ...)`'s string
//! literals live, and a tracepoint may not fault pages in. That copy is kept only as the
//! fallback for kernels whose BTF does not give the `mm` offsets ([`EXEC_LAYOUT`]).
//! Tracepoint field offsets are those of each event's `format` file, stable across kernels.
use aya_ebpf::{
    EbpfContext as _,
    helpers::{
        bpf_get_current_pid_tgid, bpf_get_current_task, bpf_get_current_uid_gid, bpf_ktime_get_ns,
        bpf_probe_read_kernel, bpf_probe_read_kernel_str_bytes, bpf_probe_read_user,
        bpf_ringbuf_reserve, bpf_ringbuf_submit, generated,
    },
    macros::{map, tracepoint},
    maps::{Array, LruHashMap, PerCpuArray},
    programs::TracePointContext,
};
use ptcpdump_common::{
    EVENT_EXEC, EVENT_EXIT, EVENT_FORK, EXEC_ARGS_LEN, EXEC_FILENAME_LEN, ExecEvent, ExecLayout,
    TaskEvent,
};

use crate::maps::{EVENTS, FILTER_PIDS, config};

/// Offsets of `task_struct.mm` and `mm_struct.arg_start/arg_end`, written by user space from the
/// kernel's BTF before the exec program is attached.
#[map]
static EXEC_LAYOUT: Array<ExecLayout> = Array::with_max_entries(1, 0);

/// Fallback copy at execve entry (no BTF): at most this many arguments and bytes.
const MAX_ARGS: usize = 64;
const PENDING_ARGS_LEN: usize = 1024;

/// Arguments copied at execve entry, keyed by the calling thread id. The buffer is twice the
/// published size so that every `bpf_probe_read_user_str` has a verifier-provable bound.
#[repr(C)]
pub struct PendingArgs {
    len: u32,
    truncated: u32,
    buf: [u8; 2 * PENDING_ARGS_LEN],
}

/// An entry lives from execve entry to its exec event (microseconds): 1024 concurrent execs.
#[map]
static PENDING_EXEC: LruHashMap<u32, PendingArgs> = LruHashMap::with_max_entries(1024, 0);

#[map]
static ARGS_SCRATCH: PerCpuArray<PendingArgs> = PerCpuArray::with_max_entries(1, 0);

#[tracepoint(category = "syscalls", name = "sys_enter_execve")]
pub fn ptcpdump_sys_enter_execve(ctx: TracePointContext) -> u32 {
    stash_args(&ctx, 24);
    0
}

#[tracepoint(category = "syscalls", name = "sys_enter_execveat")]
pub fn ptcpdump_sys_enter_execveat(ctx: TracePointContext) -> u32 {
    stash_args(&ctx, 32);
    0
}

#[inline(always)]
fn stash_args(ctx: &TracePointContext, argv_offset: usize) {
    let Some(scratch) = ARGS_SCRATCH.get_ptr_mut(0) else {
        return;
    };
    // SAFETY: offsets come from the tracepoint's format file.
    let argv: u64 = match unsafe { ctx.read_at::<u64>(argv_offset) } {
        Ok(v) => v,
        Err(_) => return,
    };
    let a = unsafe { &mut *scratch };
    a.len = 0;
    a.truncated = 0;
    let mut off: usize = 0;
    for i in 0..MAX_ARGS {
        let ptr = match unsafe { bpf_probe_read_user((argv as *const u64).wrapping_add(i)) } {
            Ok(p) => p,
            Err(_) => break,
        };
        if ptr == 0 {
            break;
        }
        if off >= PENDING_ARGS_LEN {
            a.truncated = 1;
            break;
        }
        let o = off & (PENDING_ARGS_LEN - 1);
        // SAFETY: o < PENDING_ARGS_LEN and the buffer holds 2 * PENDING_ARGS_LEN bytes.
        let n = unsafe {
            generated::bpf_probe_read_user_str(
                a.buf.as_mut_ptr().add(o) as *mut _,
                PENDING_ARGS_LEN as u32,
                ptr as *const _,
            )
        };
        if n <= 0 {
            break;
        }
        off = o + n as usize;
    }
    if off > PENDING_ARGS_LEN {
        off = PENDING_ARGS_LEN;
        a.truncated = 1;
    }
    a.len = off as u32;
    let tid = bpf_get_current_pid_tgid() as u32;
    let _ = PENDING_EXEC.insert(tid, a, 0);
}

#[tracepoint(category = "sched", name = "sched_process_exec")]
pub fn ptcpdump_sched_process_exec(ctx: TracePointContext) -> u32 {
    // SAFETY: offsets from sched/sched_process_exec/format.
    let (loc, pid, old_pid) = unsafe {
        (
            ctx.read_at::<u32>(8).unwrap_or(0),
            ctx.read_at::<i32>(12).unwrap_or(0) as u32,
            ctx.read_at::<i32>(16).unwrap_or(0) as u32,
        )
    };
    let size = core::mem::size_of::<ExecEvent>() as u64;
    // SAFETY: constant-size reservation, released by submit below.
    let p =
        unsafe { bpf_ringbuf_reserve(&EVENTS as *const _ as *mut _, size, 0) } as *mut ExecEvent;
    if p.is_null() {
        crate::maps::count(ptcpdump_common::COUNTER_EVENTS_DROPPED);
        return 0;
    }
    let e = unsafe { &mut *p };
    e.kind = EVENT_EXEC;
    e.pid = pid;
    e.ppid = 0;
    e.uid = bpf_get_current_uid_gid() as u32;
    e.ts_ns = unsafe { bpf_ktime_get_ns() };
    e.args_len = 0;
    e.args_truncated = 0;
    // `__data_loc`: offset in the low 16 bits, length with its NUL in the high 16.
    e.filename_truncated = u8::from((loc >> 16) as usize > EXEC_FILENAME_LEN);
    e._pad = [0; 2];
    e.filename[0] = 0;
    let fname = (ctx.as_ptr() as usize + (loc & 0xffff) as usize) as *const u8;
    let _ = unsafe { bpf_probe_read_kernel_str_bytes(fname, &mut e.filename) };
    if let Some(cfg) = config()
        && cfg.pname_enabled != 0
        && let Ok(comm) = aya_ebpf::helpers::bpf_get_current_comm()
        && comm == cfg.pname
    {
        let _ = FILTER_PIDS.insert(pid, 1, 0);
    }
    let from_mm = match EXEC_LAYOUT.get(0) {
        Some(l) if l.task_mm != 0 => args_from_mm(l, e),
        _ => false,
    };
    if let Some(a) = unsafe { PENDING_EXEC.get(old_pid) } {
        if !from_mm {
            e.args_len = a.len;
            e.args_truncated = a.truncated as u8;
            // SAFETY: both buffers hold at least PENDING_ARGS_LEN bytes.
            unsafe {
                let _ = generated::bpf_probe_read_kernel(
                    e.args.as_mut_ptr() as *mut _,
                    PENDING_ARGS_LEN as u32,
                    a.buf.as_ptr() as *const _,
                );
            }
        }
        let _ = PENDING_EXEC.remove(old_pid);
    }
    unsafe { bpf_ringbuf_submit(p as *mut _, 0) };
    0
}

/// Copies the new program's argument block (`mm->arg_start..arg_end`) into the event. The pages
/// were written by the kernel a moment ago, in this mm: they are present.
#[inline(always)]
fn args_from_mm(l: &ExecLayout, e: &mut ExecEvent) -> bool {
    // SAFETY: kernel reads through bpf_probe_read_kernel (faults return errors); offsets are
    // the running kernel's, from its BTF.
    let task = unsafe { bpf_get_current_task() } as usize;
    let Ok(mm) = (unsafe { bpf_probe_read_kernel((task + l.task_mm as usize) as *const usize) })
    else {
        return false;
    };
    if mm == 0 {
        return false;
    }
    // SAFETY: as above.
    let start = unsafe { bpf_probe_read_kernel((mm + l.mm_arg_start as usize) as *const u64) };
    let end = unsafe { bpf_probe_read_kernel((mm + l.mm_arg_end as usize) as *const u64) };
    let (Ok(start), Ok(end)) = (start, end) else {
        return false;
    };
    if end <= start {
        return false;
    }
    let mut len = end - start;
    let mut truncated = 0;
    if len > EXEC_ARGS_LEN as u64 {
        len = EXEC_ARGS_LEN as u64;
        truncated = 1;
    }
    // SAFETY: len <= EXEC_ARGS_LEN, the size of `args`.
    let r = unsafe {
        generated::bpf_probe_read_user(e.args.as_mut_ptr() as *mut _, len as u32, start as *const _)
    };
    if r != 0 {
        return false;
    }
    e.args_len = len as u32;
    e.args_truncated = truncated;
    true
}

#[tracepoint(category = "sched", name = "sched_process_fork")]
pub fn ptcpdump_sched_process_fork(ctx: TracePointContext) -> u32 {
    let child = unsafe { ctx.read_at::<i32>(20).unwrap_or(0) } as u32;
    let parent = (bpf_get_current_pid_tgid() >> 32) as u32;
    if let Some(cfg) = config()
        && cfg.follow_forks != 0
        && unsafe { FILTER_PIDS.get(parent) }.is_some()
    {
        let _ = FILTER_PIDS.insert(child, 1, 0);
    }
    task_event(EVENT_FORK, child, parent);
    0
}

#[tracepoint(category = "sched", name = "sched_process_exit")]
pub fn ptcpdump_sched_process_exit(ctx: TracePointContext) -> u32 {
    let group_dead = unsafe { ctx.read_at::<u8>(32).unwrap_or(0) };
    if group_dead != 0 {
        let pid = (bpf_get_current_pid_tgid() >> 32) as u32;
        task_event(EVENT_EXIT, pid, 0);
    }
    0
}

#[inline(always)]
fn task_event(kind: u32, pid: u32, ppid: u32) {
    let e = TaskEvent {
        kind,
        pid,
        ppid,
        _pad: 0,
        ts_ns: unsafe { bpf_ktime_get_ns() },
    };
    if EVENTS.output::<TaskEvent>(&e, 0).is_err() {
        crate::maps::count(ptcpdump_common::COUNTER_EVENTS_DROPPED);
    }
}
