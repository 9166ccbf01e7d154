//! Which process a packet belongs to, without kprobes and without any hook that runs for every
//! packet: the work is done by the capture program, only for packets that are captured.
//!
//! - every socket carries its owner in socket-local storage (`SOCK_OWNER`): set when the socket
//!   is created (`cgroup/sock_create`), refreshed by the process that sends or receives on it
//!   ([`claim`], from the hooks in `sock.rs`), copied to accepted children (`BPF_F_CLONE`), and
//!   filled by user space for sockets that existed before the capture;
//! - the capture program finds the sockets of a captured packet's ends when it needs them:
//!   `skb->sk` for an outgoing packet, [`lookup`] (`bpf_sk_lookup_*`) in the interface's
//!   namespace for the near end and, on a veth, in the peer's namespace (by its namespace id) for
//!   the far end, which is how a container's packets are named on the host side of its veth;
//! - `FLOWS` remembers ends that a lookup cannot find later or elsewhere: ICMP echo (ping
//!   sockets cannot be looked up), ends found in another namespace (for the bridge the same
//!   packet crosses next), and every TCP connection of every namespace (`sock_ops`, once per
//!   connection);
//! - ICMP errors carry the header of the packet they are about: they are attributed as a reply
//!   of the flow they quote.
use aya_ebpf::{
    bindings::{BPF_F_CURRENT_NETNS, bpf_sock, bpf_sock_tuple},
    helpers::{
        bpf_get_current_comm, bpf_get_current_pid_tgid, bpf_get_current_uid_gid,
        generated::{bpf_sk_lookup_tcp, bpf_sk_lookup_udp, bpf_sk_release, bpf_sk_storage_get},
    },
    macros::{btf_map, map},
    maps::{Array, LruHashMap, PerCpuArray},
};
use ptcpdump_common::{FlowKey, Owner, PacketEvent};

/// `BPF_MAP_TYPE_SK_STORAGE` with `BPF_F_NO_PREALLOC | BPF_F_CLONE`, declared by hand because
/// aya-ebpf's `SkStorage` does not offer the clone flag (accepted sockets inherit their
/// listener's owner until their own process touches them).
#[repr(C)]
pub struct SockOwners {
    r#type: *const [i32; 24],
    key: *const i32,
    value: *const Owner,
    max_entries: *const [i32; 0],
    map_flags: *const [i32; 513],
}
// SAFETY: placeholder pointers patched by the loader, never dereferenced.
unsafe impl Sync for SockOwners {}

#[btf_map]
pub static SOCK_OWNER: SockOwners = SockOwners {
    r#type: core::ptr::null(),
    key: core::ptr::null(),
    value: core::ptr::null(),
    max_entries: core::ptr::null(),
    map_flags: core::ptr::null(),
};

#[map]
pub static FLOWS: LruHashMap<FlowKey, Owner> = LruHashMap::with_max_entries(65536, 0);

/// Per network namespace (cookie): the owner of its newest ICMP socket (ping, raw ICMP). Ping
/// and raw sockets cannot be looked up like TCP and UDP ones: an echo request seen only from
/// the host side of a container's veth is named after this.
#[map]
pub static ICMP_OWNERS: LruHashMap<u64, Owner> = LruHashMap::with_max_entries(4096, 0);

/// Slot 0: bumped whenever a socket changes process ([`claim`]); the capture program's answers
/// cached before are not used again.
#[map]
pub static OWNER_GEN: Array<u64> = Array::with_max_entries(1, 0);

const F_CREATE: u64 = 1;

#[inline(always)]
fn storage() -> *mut core::ffi::c_void {
    &SOCK_OWNER as *const SockOwners as *mut core::ffi::c_void
}

/// The owner stored on `sk`, if any. `sk` is any socket pointer the verifier accepts.
#[inline(always)]
pub fn of_sock(sk: *mut core::ffi::c_void) -> Option<Owner> {
    if sk.is_null() {
        return None;
    }
    // SAFETY: helper call; a null result means no storage.
    let p = unsafe { bpf_sk_storage_get(storage(), sk, core::ptr::null_mut(), 0) } as *const Owner;
    if p.is_null() {
        return None;
    }
    let o = unsafe { *p };
    (o.pid != 0).then_some(o)
}

/// Per CPU: the socket (address) and thread of the last [`claim`]. A thread sending or
/// receiving on the same socket again, the common case at high rates, costs one compare and
/// no storage lookup.
#[map]
static LAST_CLAIM: PerCpuArray<[u64; 2]> = PerCpuArray::with_max_entries(1, 0);

/// Records the current task as the owner of `sk` (creating the storage if needed); cheap when
/// the same thread already owns it. `netns` is the socket's namespace cookie when the hook
/// knows it (kept from before otherwise; a hook that knows it is a socket's creation). This is
/// the one entry point of every hook that sees a process use a socket (creation, send,
/// receive, connect), whatever the kernel offers.
#[inline(always)]
pub fn claim(sk: *mut core::ffi::c_void, netns: Option<u64>) {
    if sk.is_null() {
        return;
    }
    let pid_tgid = bpf_get_current_pid_tgid();
    let (pid, tid) = ((pid_tgid >> 32) as u32, pid_tgid as u32);
    if pid == 0 {
        return;
    }
    let last = LAST_CLAIM.get_ptr_mut(0);
    if let Some(c) = last {
        // SAFETY: per-CPU slot, written below by this program only.
        let c = unsafe { &mut *c };
        if netns.is_none() && c[0] == sk as u64 && c[1] == pid_tgid {
            return;
        }
        // Whatever happens below, this thread owns this socket now. A socket freed and another
        // allocated at the same address is claimed at its creation (`netns` is set there);
        // only such a new socket handed to a thread whose last claim on this CPU was the old
        // one keeps its creator until that thread uses another socket or CPU.
        c[0] = sk as u64;
        c[1] = pid_tgid;
    }
    // SAFETY: helper call with F_CREATE: storage is zeroed when new.
    let p =
        unsafe { bpf_sk_storage_get(storage(), sk, core::ptr::null_mut(), F_CREATE) } as *mut Owner;
    if p.is_null() {
        return;
    }
    let o = unsafe { &mut *p };
    if let Some(ns) = netns {
        o.netns = ns;
    }
    if o.pid == pid && o.tid == tid {
        return;
    }
    if o.pid != 0 && o.pid != pid {
        // Another process took the socket over (a pre-forked worker, a child): answers cached
        // with the old one are stale. A new thread of the same process is not worth it.
        bump_gen();
    }
    o.pid = pid;
    o.tid = tid;
    o.ppid = 0;
    o.uid = bpf_get_current_uid_gid() as u32;
    o.comm = bpf_get_current_comm().unwrap_or([0; 16]);
}

#[inline(always)]
fn bump_gen() {
    if let Some(g) = OWNER_GEN.get_ptr_mut(0) {
        // Not atomic (the bpf target has no atomic read-modify-write in core): two CPUs bumping
        // at once may write the same value, which still differs from what the caches saw, and
        // an answer cached in that instant lives at most ANSWER_TTL_NS.
        // SAFETY: an aligned u64 in a map value.
        unsafe { core::ptr::write_volatile(g, core::ptr::read_volatile(g).wrapping_add(1)) };
    }
}

/// The current owner generation (see [`OWNER_GEN`]).
#[inline(always)]
pub fn generation() -> u64 {
    OWNER_GEN.get(0).copied().unwrap_or(0)
}

/// Remembers `owner` for the flow if it is new or changed.
#[inline(always)]
pub fn remember(key: &FlowKey, owner: &Owner) {
    // SAFETY: map value read.
    if let Some(old) = unsafe { FLOWS.get(key) }
        && old.pid == owner.pid
        && old.tid == owner.tid
    {
        return;
    }
    let _ = FLOWS.insert(key, owner, 0);
}

#[inline(always)]
pub fn of_flow(key: &FlowKey) -> Option<Owner> {
    // SAFETY: map value read.
    unsafe { FLOWS.get(key) }.copied()
}

/// `bpf_sk_lookup_*`'s namespace argument for the context's own namespace.
pub const CURRENT_NETNS: u64 = BPF_F_CURRENT_NETNS as u64;

/// The owner of the local socket at one end of the packet `pkt`: its receiver (the socket
/// bound to the destination, a listener for a first SYN) or its sender (the socket a reply to
/// the packet would reach). `netns` is [`CURRENT_NETNS`] (the namespace of the device `ctx`
/// belongs to) or the id of another namespace relative to that one.
#[inline(always)]
pub fn lookup(
    ctx: *mut core::ffi::c_void,
    pkt: &Parsed,
    receiver: bool,
    netns: u64,
) -> Option<Owner> {
    let mut t: bpf_sock_tuple = unsafe { core::mem::zeroed() };
    let (sa, da, sp, dp) = if receiver {
        (&pkt.saddr, &pkt.daddr, pkt.sport, pkt.dport)
    } else {
        (&pkt.daddr, &pkt.saddr, pkt.dport, pkt.sport)
    };
    let size;
    // SAFETY: writing the union members we pass the size of.
    unsafe {
        if pkt.v6 {
            let v6 = &mut t.__bindgen_anon_1.ipv6;
            v6.saddr = core::mem::transmute::<[u8; 16], [u32; 4]>(*sa);
            v6.daddr = core::mem::transmute::<[u8; 16], [u32; 4]>(*da);
            v6.sport = sp.to_be();
            v6.dport = dp.to_be();
            size = core::mem::size_of_val(v6);
        } else {
            let v4 = &mut t.__bindgen_anon_1.ipv4;
            v4.saddr = u32::from_ne_bytes([sa[0], sa[1], sa[2], sa[3]]);
            v4.daddr = u32::from_ne_bytes([da[0], da[1], da[2], da[3]]);
            v4.sport = sp.to_be();
            v4.dport = dp.to_be();
            size = core::mem::size_of_val(v4);
        }
    }
    // SAFETY: helper calls; a returned socket is released below.
    let sk: *mut bpf_sock = unsafe {
        match pkt.proto {
            IPPROTO_TCP => bpf_sk_lookup_tcp(ctx, &mut t, size as u32, netns, 0),
            IPPROTO_UDP => bpf_sk_lookup_udp(ctx, &mut t, size as u32, netns, 0),
            _ => return None,
        }
    };
    if sk.is_null() {
        return None;
    }
    let o = of_sock(sk as *mut _);
    unsafe { bpf_sk_release(sk as *mut _) };
    o
}

/// `bpf_skb_load_bytes` of exactly `buf.len()` bytes (a constant at every inlined call site;
/// aya's `load_bytes` shortens the read near the end of the packet, which the verifier rejects
/// when the length can become zero).
#[inline(always)]
pub fn load(skb: *mut core::ffi::c_void, off: usize, buf: &mut [u8]) -> bool {
    // SAFETY: helper call writing buf.len() bytes into buf.
    unsafe {
        aya_ebpf::helpers::generated::bpf_skb_load_bytes(
            skb,
            off as u32,
            buf.as_mut_ptr() as *mut _,
            buf.len() as u32,
        ) == 0
    }
}

pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;
pub const IPPROTO_ICMPV6: u8 = 58;

/// What attribution needs from a packet's headers.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Parsed {
    pub v6: bool,
    pub proto: u8,
    /// The packet is an ICMP error whose quoted header was readable: the fields above and below
    /// are those of a reply to the quoted packet (source and destination swapped), so the error
    /// is attributed to the flow it is about.
    pub icmp_err: bool,
    pub saddr: [u8; 16],
    pub daddr: [u8; 16],
    pub sport: u16,
    pub dport: u16,
    /// False when the packet has no ports/ids we can key on (fragments, other protocols).
    pub has_ports: bool,
    /// An ICMP or ICMPv6 echo request (its id is in both port fields).
    pub echo_request: bool,
}

impl Parsed {
    /// The flow key as seen from the source (`local_is_src`) or the destination.
    #[inline(always)]
    pub fn key_into(&self, local_is_src: bool, k: &mut FlowKey) {
        let icmp = self.proto == IPPROTO_ICMP || self.proto == IPPROTO_ICMPV6;
        if local_is_src {
            k.laddr = self.saddr;
            k.raddr = self.daddr;
            k.lport = self.sport;
            k.rport = if icmp { 0 } else { self.dport };
        } else {
            k.laddr = self.daddr;
            k.raddr = self.saddr;
            k.lport = if icmp { self.sport } else { self.dport };
            k.rport = if icmp { 0 } else { self.sport };
        }
        k.proto = self.proto;
        k._pad = [0; 3];
    }
}

/// ICMP and ICMPv6 types that carry the start of the packet they are about (RFC 792, RFC 4443):
/// destination unreachable (port unreachable, fragmentation needed ...), source quench,
/// redirect, time exceeded, parameter problem, packet too big.
#[inline(always)]
fn is_icmp_error(v6: bool, t: u8) -> bool {
    if v6 {
        matches!(t, 1..=4)
    } else {
        matches!(t, 3 | 4 | 5 | 11 | 12)
    }
}

/// Reads the L3/L4 headers at `l3` through `load(offset, buf)` into `p` (kept in per-CPU
/// scratch memory by the callers: the BPF stack is only 512 bytes). An ICMP error is followed
/// into the header it quotes (see [`Parsed::icmp_err`]).
#[inline(always)]
pub fn parse<F: Fn(usize, &mut [u8]) -> bool>(
    load: F,
    l3: usize,
    p: &mut Parsed,
    q: &mut Parsed,
    b: &mut [u8; 40],
) -> bool {
    p.icmp_err = false;
    let Some(l4) = ip_header(&load, l3, p, b) else {
        return false;
    };
    if l4 == 0 {
        return true;
    }
    if !ports(&load, l4, p, b) {
        return true;
    }
    if !p.icmp_err {
        return true;
    }
    // The quoted packet: its IP header 8 bytes into the ICMP message, then its first 8 bytes of
    // transport header (RFC 792 guarantees those; RFC 1812 and RFC 4443 quote more).
    q.icmp_err = false;
    let ok = match ip_header(&load, l4 + 8, q, b) {
        Some(ql4) if ql4 != 0 && q.v6 == p.v6 => ports(&load, ql4, q, b) && !q.icmp_err,
        _ => false,
    };
    // Only a quote of a packet with ports or an echo request names a flow (an error about an
    // error or about a reply is never sent).
    if !ok || !q.has_ports || (!q.echo_request && !matches!(q.proto, IPPROTO_TCP | IPPROTO_UDP)) {
        p.icmp_err = false;
        p.has_ports = false;
        return true;
    }
    // As a reply to the quoted packet: from its destination back to its source.
    p.v6 = q.v6;
    p.proto = q.proto;
    p.saddr = q.daddr;
    p.daddr = q.saddr;
    p.sport = q.dport;
    p.dport = q.sport;
    p.has_ports = true;
    p.echo_request = false;
    p.icmp_err = true;
    true
}

/// The IP header at `l3`: fills version, protocol and addresses, returns the transport header's
/// offset (0 for a fragment that is not the first, or when extension headers do not end), or
/// None when this is not IP.
#[inline(always)]
fn ip_header<F: Fn(usize, &mut [u8]) -> bool>(
    load: &F,
    l3: usize,
    p: &mut Parsed,
    b: &mut [u8; 40],
) -> Option<usize> {
    if !load(l3, &mut b[..20]) {
        return None;
    }
    p.v6 = false;
    p.proto = 0;
    p.saddr = [0; 16];
    p.daddr = [0; 16];
    p.sport = 0;
    p.dport = 0;
    p.has_ports = false;
    p.echo_request = false;
    match b[0] >> 4 {
        4 => {
            let ihl = ((b[0] & 0x0f) as usize) * 4;
            p.proto = b[9];
            p.saddr[..4].copy_from_slice(&b[12..16]);
            p.daddr[..4].copy_from_slice(&b[16..20]);
            let frag = u16::from_be_bytes([b[6], b[7]]) & 0x1fff;
            if frag != 0 || ihl < 20 {
                return Some(0);
            }
            Some(l3 + ihl)
        }
        6 => {
            if !load(l3, &mut b[..40]) {
                return None;
            }
            p.v6 = true;
            p.proto = b[6];
            p.saddr.copy_from_slice(&b[8..24]);
            p.daddr.copy_from_slice(&b[24..40]);
            let mut off = l3 + 40;
            // Walk a few extension headers (hop-by-hop, routing, destination options).
            for _ in 0..4 {
                match p.proto {
                    0 | 43 | 60 => {
                        let mut e = [0u8; 2];
                        if !load(off, &mut e) {
                            return Some(0);
                        }
                        p.proto = e[0];
                        off += (e[1] as usize + 1) * 8;
                    }
                    44 => {
                        let mut e = [0u8; 4];
                        if !load(off, &mut e) {
                            return Some(0);
                        }
                        p.proto = e[0];
                        if u16::from_be_bytes([e[2], e[3]]) & 0xfff8 != 0 {
                            return Some(0);
                        }
                        off += 8;
                    }
                    _ => break,
                }
            }
            Some(off)
        }
        _ => None,
    }
}

/// Ports (TCP, UDP) or echo id (ICMP echo, in both port fields) at `l4`; marks ICMP errors.
/// False when the header could not be read.
#[inline(always)]
fn ports<F: Fn(usize, &mut [u8]) -> bool>(
    load: &F,
    l4: usize,
    p: &mut Parsed,
    b: &mut [u8; 40],
) -> bool {
    let h = &mut b[..8];
    match p.proto {
        IPPROTO_TCP | IPPROTO_UDP => {
            if !load(l4, &mut h[..4]) {
                return false;
            }
            p.sport = u16::from_be_bytes([h[0], h[1]]);
            p.dport = u16::from_be_bytes([h[2], h[3]]);
            p.has_ports = true;
        }
        IPPROTO_ICMP | IPPROTO_ICMPV6 => {
            if !load(l4, h) {
                return false;
            }
            let t = h[0];
            if matches!(t, 0 | 8 | 128 | 129) {
                let id = u16::from_be_bytes([h[4], h[5]]);
                p.sport = id;
                p.dport = id;
                p.has_ports = true;
                p.echo_request = matches!(t, 8 | 128);
            } else if is_icmp_error(p.v6, t) {
                p.icmp_err = true;
            }
        }
        _ => {}
    }
    true
}

/// Per-CPU working memory of the capture program.
#[repr(C)]
pub struct Scratch {
    pub parsed: Parsed,
    /// The header an ICMP error quotes.
    pub quoted: Parsed,
    pub buf: [u8; 40],
    pub key: FlowKey,
    /// Owners of the packet's sender and receiver, and of `skb->sk`.
    pub sender: Owner,
    pub receiver: Owner,
    pub skb_sender: Owner,
    /// The end the packet is named after, and the other one.
    pub mine: Owner,
    pub other: Owner,
    /// The event header, built here (the BPF stack is small).
    pub hdr: PacketEvent,
    /// The owners were just resolved (not taken from the answer cache).
    pub fresh: bool,
}

#[map]
pub static SCRATCH: aya_ebpf::maps::PerCpuArray<Scratch> =
    aya_ebpf::maps::PerCpuArray::with_max_entries(1, 0);

#[inline(always)]
pub fn scratch() -> Option<&'static mut Scratch> {
    // SAFETY: per-CPU slot; programs using it do not nest on one CPU.
    SCRATCH.get_ptr_mut(0).map(|p| unsafe { &mut *p })
}
