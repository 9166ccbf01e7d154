//! cgroup hooks on the cgroup v2 root: they run for sockets of every network namespace, once per
//! socket or per connection, never per packet.
//!
//! - `sock_create` names a socket's owner the moment it exists (in the creating process);
//! - `sock_ops` sees every TCP connection start (`connect`) and get established on either side, and remembers its owner in `FLOWS` by its addresses and ports:
//!   a capture on an interface where that socket cannot be looked up (a bridge, a physical
//!   device carrying a container's traffic) still names it, and a connection in TIME_WAIT keeps
//!   its name.
//!
//! Neither ever refuses anything (both return 1).
use aya_ebpf::{
    bindings::{
        BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB, BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,
        BPF_SOCK_OPS_TCP_CONNECT_CB,
    },
    macros::{cgroup_sock, sock_ops},
    programs::{SockContext, SockOpsContext},
};
use ptcpdump_common::FlowKey;

use crate::owner;

#[cgroup_sock(sock_create)]
pub fn ptcpdump_sock_create(ctx: SockContext) -> i32 {
    // SAFETY: helper call on the hook's own socket context.
    let netns = unsafe { aya_ebpf::helpers::generated::bpf_get_netns_cookie(ctx.sock as *mut _) };
    owner::claim(ctx.sock as *mut _, Some(netns));
    // SAFETY: the hook's own socket.
    let (family, ty, proto) = unsafe {
        let s = &*ctx.sock;
        (s.family, s.type_, s.protocol)
    };
    // ping sockets (SOCK_DGRAM) and raw ICMP sockets.
    let icmp = (family == AF_INET && proto == owner::IPPROTO_ICMP as u32)
        || (family == AF_INET6 && proto == owner::IPPROTO_ICMPV6 as u32);
    if icmp
        && (ty == SOCK_DGRAM || ty == SOCK_RAW)
        && let Some(o) = owner::of_sock(ctx.sock as *mut _)
    {
        let _ = owner::ICMP_OWNERS.insert(netns, o, 0);
    }
    1
}

const SOCK_DGRAM: u32 = 2;
const SOCK_RAW: u32 = 3;

const AF_INET: u32 = 2;
const AF_INET6: u32 = 10;

#[sock_ops]
pub fn ptcpdump_sock_ops(ctx: SockOpsContext) -> u32 {
    let op = ctx.op();
    if op != BPF_SOCK_OPS_TCP_CONNECT_CB
        && op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB
        && op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB
    {
        return 1;
    }
    // SAFETY: reading the context's socket pointer (null-checked by `of_sock`/`claim`).
    let sk = unsafe { (*ctx.ops).__bindgen_anon_2.sk } as *mut core::ffi::c_void;
    // No `owner::claim` at connect(2): before 6.x a sock_ops program may not call
    // bpf_get_current_uid_gid/comm (the verifier refuses the whole program). The socket keeps
    // what sock_create and the send/receive hooks recorded.
    let Some(o) = owner::of_sock(sk) else {
        return 1;
    };
    let mut k = FlowKey {
        lport: ctx.local_port() as u16,
        // In network byte order in the upper half (the kernel shifts skc_dport left by 16).
        rport: u16::from_be((ctx.remote_port() >> 16) as u16),
        proto: owner::IPPROTO_TCP,
        ..FlowKey::default()
    };
    match ctx.family() {
        AF_INET => {
            k.laddr[..4].copy_from_slice(&ctx.local_ip4().to_ne_bytes());
            k.raddr[..4].copy_from_slice(&ctx.remote_ip4().to_ne_bytes());
        }
        AF_INET6 => {
            let (l, r) = (ctx.local_ip6(), ctx.remote_ip6());
            // An IPv6 socket talking IPv4 (::ffff:a.b.c.d): its packets are IPv4.
            if l[0] == 0 && l[1] == 0 && l[2].to_ne_bytes() == [0, 0, 0xff, 0xff] {
                k.laddr[..4].copy_from_slice(&l[3].to_ne_bytes());
                k.raddr[..4].copy_from_slice(&r[3].to_ne_bytes());
            } else {
                for i in 0..4 {
                    k.laddr[i * 4..i * 4 + 4].copy_from_slice(&l[i].to_ne_bytes());
                    k.raddr[i * 4..i * 4 + 4].copy_from_slice(&r[i].to_ne_bytes());
                }
            }
        }
        _ => return 1,
    }
    owner::remember(&k, &o);
    1
}
