//! Maps shared by the programs. Sizes marked "set by user space" are overridden at load time.
use aya_ebpf::{
    macros::map,
    maps::{Array, HashMap, LruHashMap, PerCpuArray, RingBuf},
};
use ptcpdump_common::{AttachPeer, COUNTERS_LEN, Config};

/// All events for user space: packets and process events, in the order they happened.
/// Size set by user space (`-B`).
#[map]
pub static EVENTS: RingBuf = RingBuf::with_byte_size(1 << 22, 0);

/// One-slot configuration written by user space before attaching anything.
#[map]
pub static CONFIG: Array<Config> = Array::with_max_entries(1, 0);

/// Per-CPU counters (`ptcpdump_common::COUNTER_*`).
#[map]
pub static COUNTERS: PerCpuArray<u64> = PerCpuArray::with_max_entries(COUNTERS_LEN, 0);

/// Slot 0 is written by the generated entry program right before it tail-calls the capture
/// program: attachment id (low 32 bits). Per CPU, and the tail call runs on the same CPU without
/// preemption, so the value cannot be overwritten in between.
#[map]
pub static ATTACH_CTX: PerCpuArray<u64> = PerCpuArray::with_max_entries(1, 0);

/// Network namespace cookie of each attachment's interface (index: attachment id), written by
/// user space: the end of a packet whose socket lives there is the one named.
#[map]
pub static ATTACH_NETNS: Array<u64> = Array::with_max_entries(MAX_ATTACHMENTS, 0);

pub const MAX_ATTACHMENTS: u32 = 4096;

/// Where the far end of each attachment's packets may be looked up (index: attachment id),
/// written by user space (the namespace id of a veth's peer, see `ptcpdump_common::PEER_*`).
#[map]
pub static ATTACH_PEER: Array<AttachPeer> = Array::with_max_entries(MAX_ATTACHMENTS, 0);

/// Processes whose packets are captured when `Config::filter_pids` is set (key: tgid).
#[map]
pub static FILTER_PIDS: HashMap<u32, u8> = HashMap::with_max_entries(65536, 0);

/// Users whose processes' packets are captured when `Config::filter` is set.
#[map]
pub static FILTER_UIDS: HashMap<u32, u8> = HashMap::with_max_entries(1024, 0);

/// Addresses that selected processes talked to recently: ARP, ND and ICMP errors about them are
/// kept under a process filter.
#[map]
pub static PEERS: LruHashMap<[u8; 16], u8> = LruHashMap::with_max_entries(4096, 0);

#[inline(always)]
pub fn selected(pid: u32, uid: u32) -> bool {
    // SAFETY: map reads.
    pid != 0
        && (unsafe { FILTER_PIDS.get(pid) }.is_some() || unsafe { FILTER_UIDS.get(uid) }.is_some())
}

#[inline(always)]
pub fn config() -> Option<&'static Config> {
    CONFIG.get(0)
}

#[inline(always)]
pub fn count(index: u32) {
    if let Some(p) = COUNTERS.get_ptr_mut(index) {
        // SAFETY: per-CPU slot, programs do not nest on one CPU for the same slot.
        unsafe { *p += 1 };
    }
}
