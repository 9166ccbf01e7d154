//! cgroup hooks on the cgroup v2 root: they run for sockets of every network namespace.
//! `sock_create` names a socket's owner the moment it exists; the `cgroup_skb` hooks remember,
//! per flow, the owner of the local socket that sent or received a packet, so the TC programs
//! can attribute the same packet when they see it on another interface (a container's veth).
//! They never drop anything: both skb hooks always return 1.
use aya_ebpf::{
    helpers::generated::bpf_sk_fullsock,
    macros::{cgroup_skb, cgroup_sock},
    programs::{SkBuffContext, SockContext},
};

use crate::owner;

#[cgroup_sock(sock_create)]
pub fn ptcpdump_sock_create(ctx: SockContext) -> i32 {
    // SAFETY: helper call on the hook's own socket context.
    let netns = unsafe { aya_ebpf::helpers::generated::bpf_get_netns_cookie(ctx.sock as *mut _) };
    owner::claim(ctx.sock as *mut _, Some(netns));
    1
}

#[cgroup_skb]
pub fn ptcpdump_cgroup_egress(ctx: SkBuffContext) -> i32 {
    record(&ctx, true);
    1
}

#[cgroup_skb]
pub fn ptcpdump_cgroup_ingress(ctx: SkBuffContext) -> i32 {
    record(&ctx, false);
    1
}

#[inline(always)]
fn record(ctx: &SkBuffContext, egress: bool) {
    // SAFETY: reading the context's socket pointer; fullsock checks it.
    let sk = unsafe { (*ctx.skb.skb).__bindgen_anon_2.sk };
    if sk.is_null() {
        return;
    }
    let full = unsafe { bpf_sk_fullsock(sk) };
    let Some(o) = owner::of_sock(full as *mut _) else {
        return;
    };
    let Some(s) = owner::scratch() else { return };
    let load = |off: usize, buf: &mut [u8]| owner::load(ctx.skb.skb as *mut _, off, buf);
    if owner::parse(load, 0, &mut s.parsed, &mut s.buf) && s.parsed.has_ports {
        s.parsed.key_into(egress, &mut s.own_key);
        owner::remember(&s.own_key, &o);
    }
}
