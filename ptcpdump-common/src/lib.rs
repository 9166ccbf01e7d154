//! Types shared by the eBPF programs (`ptcpdump-ebpf`) and user space (`ptcpdump`).
//!
//! Everything here is `#[repr(C)]` with explicit padding and a size assertion, because the same
//! bytes are written by the kernel programs and read by user space. Nothing here may allocate or
//! depend on `std`.
#![no_std]

use core::mem::size_of;

/// Every record in the event ring buffer starts with one of these kinds (first `u32`).
pub const EVENT_PACKET: u32 = 1;
pub const EVENT_EXEC: u32 = 2;
pub const EVENT_EXIT: u32 = 3;
pub const EVENT_FORK: u32 = 4;
pub const EVENT_KEYLOG: u32 = 5;

/// Packet direction as seen by the hook that captured it.
pub const DIR_IN: u8 = 1;
pub const DIR_OUT: u8 = 2;

/// How the packet bytes begin.
pub const LINK_ETHERNET: u8 = 1;
pub const LINK_RAW_IP: u8 = 2;

/// Largest snapshot length (`-s`), as tcpdump's MAXIMUM_SNAPLEN.
pub const MAX_SNAPLEN: u32 = 262_144;

/// The process a packet belongs to, as the kernel knew it when it saw the packet.
/// `pid == 0` means "no local process".
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Owner {
    /// Thread group id (the user-visible pid), in the initial pid namespace.
    pub pid: u32,
    /// Thread id of the last thread seen using the socket (0 if unknown).
    pub tid: u32,
    /// Parent's thread group id at the time the owner was recorded.
    pub ppid: u32,
    pub uid: u32,
    /// Kernel comm of the thread `tid` (NUL padded).
    pub comm: [u8; 16],
    /// Cookie of the socket's network namespace (0 if unknown): a packet seen on an interface
    /// is shown with the end whose socket lives in that interface's namespace.
    pub netns: u64,
}
const _: () = assert!(size_of::<Owner>() == 40);

/// Header of a captured packet; `caplen` packet bytes follow it in the ring buffer record.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct PacketEvent {
    pub kind: u32,
    /// Index into user space's table of attachments (interface, namespace, direction, link type).
    pub attach_id: u32,
    /// `bpf_ktime_get_ns()` when the hook ran (CLOCK_MONOTONIC).
    pub ts_ns: u64,
    /// Length of the packet on the wire (`skb->len`).
    pub len: u32,
    /// Number of bytes that follow this header.
    pub caplen: u32,
    /// The end the packet is named after (see docs/ARCHITECTURE.md for the rule).
    pub owner: Owner,
    /// The other end, when it is a local socket too (loopback, a container talking to the
    /// host, two Pods on one node); `pid == 0` otherwise.
    pub peer: Owner,
}
const _: () = assert!(size_of::<PacketEvent>() == 104);

/// Maximum bytes of a file name and of the argument block carried by an exec event: the original
/// ptcpdump's limits (longer ones are cut and marked with `...`).
pub const EXEC_FILENAME_LEN: usize = 512;
pub const EXEC_ARGS_LEN: usize = 4096;

/// A process called execve successfully (`sched:sched_process_exec`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ExecEvent {
    pub kind: u32,
    pub pid: u32,
    pub ppid: u32,
    pub uid: u32,
    pub ts_ns: u64,
    /// Bytes used in `args` (arguments separated by NUL, as in `/proc/PID/cmdline`).
    pub args_len: u32,
    /// Non-zero when `args` was cut at `EXEC_ARGS_LEN`.
    pub args_truncated: u8,
    /// Non-zero when `filename` was cut at `EXEC_FILENAME_LEN - 1` bytes.
    pub filename_truncated: u8,
    pub _pad: [u8; 2],
    pub filename: [u8; EXEC_FILENAME_LEN],
    pub args: [u8; EXEC_ARGS_LEN],
}
const _: () = assert!(size_of::<ExecEvent>() == 32 + EXEC_FILENAME_LEN + EXEC_ARGS_LEN);

/// Where the exec program finds the new program's arguments (`current->mm->arg_start` ..
/// `arg_end`): byte offsets user space reads from the kernel's BTF, since Rust eBPF code has no
/// CO-RE relocations. `task_mm == 0`: unknown, the arguments copied at execve entry are used.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExecLayout {
    pub task_mm: u32,
    pub mm_arg_start: u32,
    pub mm_arg_end: u32,
    pub _pad: u32,
}
const _: () = assert!(size_of::<ExecLayout>() == 16);

/// A process was created (`sched:sched_process_fork`) or ended (`sched:sched_process_exit`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct TaskEvent {
    pub kind: u32,
    pub pid: u32,
    pub ppid: u32,
    pub _pad: u32,
    pub ts_ns: u64,
}
const _: () = assert!(size_of::<TaskEvent>() == 24);

/// Largest label, client random and secret a key log event carries. Labels are at most 31 bytes
/// (`CLIENT_HANDSHAKE_TRAFFIC_SECRET`), client randoms 32, secrets 48 (SHA-384 suites).
pub const KEYLOG_LABEL_LEN: usize = 32;
pub const KEYLOG_RANDOM_LEN: usize = 32;
pub const KEYLOG_SECRET_LEN: usize = 64;

/// One TLS secret, taken from a Go program's `crypto/tls.(*Config).writeKeyLog` call (uprobe).
/// The `*_len` fields are the lengths the program passed (may exceed the arrays: then the line is
/// not written).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct KeylogEvent {
    pub kind: u32,
    pub pid: u32,
    pub ts_ns: u64,
    pub label_len: u32,
    pub random_len: u32,
    pub secret_len: u32,
    pub _pad: u32,
    pub label: [u8; KEYLOG_LABEL_LEN],
    pub client_random: [u8; KEYLOG_RANDOM_LEN],
    pub secret: [u8; KEYLOG_SECRET_LEN],
}
const _: () = assert!(
    size_of::<KeylogEvent>() == 32 + KEYLOG_LABEL_LEN + KEYLOG_RANDOM_LEN + KEYLOG_SECRET_LEN
);

/// Indices of the per-CPU counters in the `COUNTERS` map.
pub const COUNTER_MATCHED: u32 = 0;
pub const COUNTER_DROPPED: u32 = 1;
pub const COUNTER_EVENTS_DROPPED: u32 = 2;
pub const COUNTERS_LEN: u32 = 4;

/// Configuration written by user space before the programs are attached (a one-slot array,
/// so one object file serves every run).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Config {
    pub snaplen: u32,
    /// Non-zero: a process filter is active; packets with no selected process at either end
    /// (`FILTER_PIDS`, `FILTER_UIDS`), and no ARP/ND/ICMP about a selected flow, are dropped in
    /// the kernel.
    pub filter: u32,
    /// Non-zero: children of selected processes become selected (`-f`, `-- CMD`, `--pname`).
    pub follow_forks: u32,
    /// Non-zero: a process whose new program's comm equals `pname` becomes selected at exec.
    pub pname_enabled: u32,
    /// Ring buffer fill level (bytes) above which the producer wakes the consumer up.
    pub wakeup_bytes: u64,
    pub pname: [u8; 16],
}
const _: () = assert!(size_of::<Config>() == 40);

#[cfg(feature = "user")]
mod user {
    // SAFETY: plain old data, all bit patterns valid, no padding holes left uninitialised.
    unsafe impl aya::Pod for super::Config {}
    unsafe impl aya::Pod for super::Owner {}
    unsafe impl aya::Pod for super::ExecLayout {}
}

/// A connection or echo exchange seen from its local socket: local address and port first.
/// Addresses are 16 bytes (IPv4 in the first 4). For ICMP echo, `lport` is the echo id and
/// `rport` is 0 in both directions.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FlowKey {
    pub laddr: [u8; 16],
    pub raddr: [u8; 16],
    pub lport: u16,
    pub rport: u16,
    pub proto: u8,
    pub _pad: [u8; 3],
}
const _: () = assert!(size_of::<FlowKey>() == 40);

/// Encoding of the per-CPU attachment context the entry program stores before its tail call:
/// bits 0-31 attachment id, bits 32-39 direction (`DIR_*`), bits 40-47 link (`LINK_*`).
pub const fn attach_ctx(attach_id: u32, dir: u8, link: u8) -> u64 {
    attach_id as u64 | (dir as u64) << 32 | (link as u64) << 40
}

#[cfg(feature = "user")]
mod user_flow {
    // SAFETY: plain old data.
    unsafe impl aya::Pod for super::FlowKey {}
}
