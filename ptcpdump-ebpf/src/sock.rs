//! Hooks in the socket layer, called in the context of the process that sends or receives: the
//! socket's owner becomes that process (and thread), through `owner::claim`. This covers sockets
//! passed to children, pre-forked servers and sockets opened before the capture started. Each
//! kernel gets the best of these it has (user space picks, `capture/load.rs`):
//!
//! - BTF tracepoints `sock_send_length` / `sock_recv_length` (6.3+): every socket family, one
//!   program each;
//! - fentry on the TCP and UDP send/receive functions (BPF trampolines; `bpf_sk_storage_get`
//!   from tracing programs needs 5.11+): TCP and UDP over IPv4 and IPv6.
//!
//! kprobes cannot be used: kprobe programs have no `bpf_sk_storage_get` on any kernel.
use aya_ebpf::{
    macros::{btf_tracepoint, fentry},
    programs::{BtfTracePointContext, FEntryContext},
};

use crate::owner;

#[btf_tracepoint(function = "sock_send_length")]
pub fn ptcpdump_sock_send(ctx: BtfTracePointContext) -> i32 {
    let sk: *mut core::ffi::c_void = ctx.arg(0);
    owner::claim(sk, None);
    0
}

#[btf_tracepoint(function = "sock_recv_length")]
pub fn ptcpdump_sock_recv(ctx: BtfTracePointContext) -> i32 {
    let sk: *mut core::ffi::c_void = ctx.arg(0);
    owner::claim(sk, None);
    0
}

/// fentry programs on functions whose first argument is the `struct sock *` (all of
/// `tcp_sendmsg`, `udp_sendmsg`, `udpv6_sendmsg`, `tcp_recvmsg`, `udp_recvmsg`, `udpv6_recvmsg`
/// from 5.10 to 6.12).
macro_rules! claim_first_arg {
    ($($name:ident => $func:literal),* $(,)?) => {
        $(
            #[fentry(function = $func)]
            pub fn $name(ctx: FEntryContext) -> i32 {
                let sk: *mut core::ffi::c_void = ctx.arg(0);
                owner::claim(sk, None);
                0
            }
        )*
    };
}

claim_first_arg! {
    ptcpdump_fentry_tcp_sendmsg => "tcp_sendmsg",
    ptcpdump_fentry_udp_sendmsg => "udp_sendmsg",
    ptcpdump_fentry_udpv6_sendmsg => "udpv6_sendmsg",
    ptcpdump_fentry_tcp_recvmsg => "tcp_recvmsg",
    ptcpdump_fentry_udp_recvmsg => "udp_recvmsg",
    ptcpdump_fentry_udpv6_recvmsg => "udpv6_recvmsg",
}
