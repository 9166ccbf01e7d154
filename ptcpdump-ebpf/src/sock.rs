//! BTF tracepoints in the socket layer, called in the context of the process that sends or
//! receives: the socket's owner becomes that process (and thread). This covers sockets passed to
//! children, pre-forked servers and sockets opened before the capture started.
use aya_ebpf::{macros::btf_tracepoint, programs::BtfTracePointContext};

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
