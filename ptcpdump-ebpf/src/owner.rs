//! Which process a packet belongs to, without kprobes:
//!
//! - every socket carries its owner in socket-local storage (`SOCK_OWNER`): set when the socket
//!   is created (`cgroup/sock_create`), refreshed by the process that sends or receives on it
//!   (`tp_btf/sock_send_length`, `tp_btf/sock_recv_length`), copied to accepted children
//!   (`BPF_F_CLONE`), and filled by user space for sockets that existed before the capture;
//! - `FLOWS` remembers, per connection (local end first), the owner last seen by the cgroup_skb
//!   hooks, which run for sockets in every network namespace, and by the TC programs; that is how
//!   a container's packets are attributed on the host side of its veth;
//! - a packet arriving for a local socket that has not been seen yet (the first SYN to a
//!   listener, the first datagram to a UDP server) is matched to its socket with
//!   `bpf_sk_lookup_*` in the interface's namespace.
use aya_ebpf::{
    bindings::{BPF_F_CURRENT_NETNS, bpf_sock, bpf_sock_tuple},
    helpers::{
        bpf_get_current_comm, bpf_get_current_pid_tgid, bpf_get_current_uid_gid,
        generated::{bpf_sk_lookup_tcp, bpf_sk_lookup_udp, bpf_sk_release, bpf_sk_storage_get},
    },
    macros::{btf_map, map},
    maps::LruHashMap,
};
use ptcpdump_common::{FlowKey, Owner};

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

/// Records the current task as the owner of `sk` (creating the storage if needed); cheap when
/// the same thread already owns it. `netns` is the socket's namespace cookie when the hook
/// knows it (kept from before otherwise).
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
    o.pid = pid;
    o.tid = tid;
    o.ppid = 0;
    o.uid = bpf_get_current_uid_gid() as u32;
    o.comm = bpf_get_current_comm().unwrap_or([0; 16]);
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

/// Looks up the local socket a packet is addressed to (`saddr/sport` = the packet's source) in
/// the namespace of the device `ctx` belongs to, and returns its owner.
#[inline(always)]
pub fn lookup(ctx: *mut core::ffi::c_void, pkt: &Parsed, reverse: bool) -> Option<Owner> {
    let mut t: bpf_sock_tuple = unsafe { core::mem::zeroed() };
    let (sa, da, sp, dp) = if reverse {
        (&pkt.daddr, &pkt.saddr, pkt.dport, pkt.sport)
    } else {
        (&pkt.saddr, &pkt.daddr, pkt.sport, pkt.dport)
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
    let netns = BPF_F_CURRENT_NETNS as u64;
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
    pub saddr: [u8; 16],
    pub daddr: [u8; 16],
    pub sport: u16,
    pub dport: u16,
    /// False when the packet has no ports/ids we can key on (fragments, other protocols).
    pub has_ports: bool,
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

/// Reads the L3/L4 headers at `l3` through `load(offset, buf)` into `p` (kept in per-CPU
/// scratch memory by the callers: the BPF stack is only 512 bytes).
#[inline(always)]
pub fn parse<F: Fn(usize, &mut [u8]) -> bool>(
    load: F,
    l3: usize,
    p: &mut Parsed,
    b: &mut [u8; 40],
) -> bool {
    if !load(l3, &mut b[..20]) {
        return false;
    }
    p.v6 = false;
    p.proto = 0;
    p.saddr = [0; 16];
    p.daddr = [0; 16];
    p.sport = 0;
    p.dport = 0;
    p.has_ports = false;
    let l4;
    match b[0] >> 4 {
        4 => {
            let ihl = ((b[0] & 0x0f) as usize) * 4;
            p.proto = b[9];
            p.saddr[..4].copy_from_slice(&b[12..16]);
            p.daddr[..4].copy_from_slice(&b[16..20]);
            let frag = u16::from_be_bytes([b[6], b[7]]) & 0x1fff;
            if frag != 0 || ihl < 20 {
                return true;
            }
            l4 = l3 + ihl;
        }
        6 => {
            if !load(l3, &mut b[..40]) {
                return false;
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
                            return true;
                        }
                        p.proto = e[0];
                        off += (e[1] as usize + 1) * 8;
                    }
                    44 => {
                        let mut e = [0u8; 4];
                        if !load(off, &mut e) {
                            return true;
                        }
                        p.proto = e[0];
                        if u16::from_be_bytes([e[2], e[3]]) & 0xfff8 != 0 {
                            return true;
                        }
                        off += 8;
                    }
                    _ => break,
                }
            }
            l4 = off;
        }
        _ => return false,
    }
    let h = &mut b[..8];
    match p.proto {
        IPPROTO_TCP | IPPROTO_UDP => {
            if load(l4, &mut h[..4]) {
                p.sport = u16::from_be_bytes([h[0], h[1]]);
                p.dport = u16::from_be_bytes([h[2], h[3]]);
                p.has_ports = true;
            }
        }
        IPPROTO_ICMP | IPPROTO_ICMPV6 => {
            if load(l4, h) {
                let t = h[0];
                let echo = matches!(t, 0 | 8 | 128 | 129);
                if echo {
                    let id = u16::from_be_bytes([h[4], h[5]]);
                    p.sport = id;
                    p.dport = id;
                    p.has_ports = true;
                }
            }
        }
        _ => {}
    }
    true
}

/// Per-CPU working memory of the capture and cgroup programs.
#[repr(C)]
pub struct Scratch {
    pub parsed: Parsed,
    pub buf: [u8; 40],
    pub own_key: FlowKey,
    pub other_key: FlowKey,
    pub mine: Owner,
    pub other: Owner,
}

#[map]
pub static SCRATCH: aya_ebpf::maps::PerCpuArray<Scratch> =
    aya_ebpf::maps::PerCpuArray::with_max_entries(1, 0);

#[inline(always)]
pub fn scratch() -> Option<&'static mut Scratch> {
    // SAFETY: per-CPU slot; programs using it do not nest on one CPU.
    SCRATCH.get_ptr_mut(0).map(|p| unsafe { &mut *p })
}
