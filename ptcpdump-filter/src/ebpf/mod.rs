//! The in-kernel side of filtering: a small generated `sched_cls` "entry" program per attached
//! interface and direction, loaded with raw `bpf(2)` calls (no aya, no ELF):
//!
//! 1. it runs the user's filter, translated from libpcap's classic BPF ([`translate`]);
//! 2. on a match it stores a `u64` attachment context in slot 0 of a per-CPU array, which the
//!    capture program reads back (the interface/direction the packet was seen on);
//! 3. it `bpf_tail_call`s into the capture program (aya-loaded, in a `PROG_ARRAY`);
//! 4. on no match, or if the tail call fails, it returns -1: `TC_ACT_UNSPEC` for cls_bpf and
//!    `TCX_NEXT` for TCX, so the programs after ours still run and the packet is untouched.
//!
//! # Packet loads: bounds-checked `BPF_LD_ABS`/`BPF_LD_IND`
//!
//! Classic loads become the legacy eBPF packet loads, which read through
//! `skb_header_pointer`-style helpers and so work on non-linear skbs at any offset, converting
//! from network byte order like classic BPF. Their catch: a load past the end makes the program
//! return 0 on the spot. For cls_bpf that is `TC_ACT_OK`, but for TCX 0 is `TCX_PASS`, which
//! ends the TCX chain and skips every program attached after ours — a capture tool must never
//! change what happens to the traffic. So every load is preceded by an explicit check of its end
//! against `skb->len` (64-bit arithmetic, nothing wraps) that jumps to the no-match exit, which
//! is exactly libpcap's "out of bounds rejects" rule; the implicit abort can then not happen.
//! `bpf_skb_load_bytes` would also avoid the abort but refuses offsets above 0xffff (GSO/GRO
//! and BIG TCP packets are longer) and needs a stack buffer and a byte swap per load.
//!
//! `inbound`/`outbound` (which libpcap compiles, for live Linux captures, into a load of the
//! packet type at `SKF_AD_OFF + SKF_AD_PKTTYPE`) are supported, see [`Hook`]; other loads at
//! such offsets (`ether[-1]`) are out of bounds and reject, as in libpcap's interpreter.
//!
//! # VLAN tags
//!
//! At TC ingress the kernel has always moved the outer VLAN tag out of the packet bytes into
//! skb metadata (and at egress too on devices with VLAN TX offload); libpcap puts it back for
//! tcpdump. With [`Attach::vlan_tag_in_packet`] the translated filter sees the packet with the
//! tag back after the MAC addresses (two copies of the program, chosen once per packet), so
//! `vlan 100 and tcp` behaves as in tcpdump; the capture program must then re-insert the tag in
//! the bytes it captures as well.
//!
//! Other classic rules kept: division or modulus by a zero X rejects, shifts by 32 or more give
//! 0, `len` is `skb->len`. `protochain` compiles to a backward loop whose length depends on the
//! packet; the verifier needs a visible bound, so backward jumps are counted and a packet
//! needing more than [`LOOP_LIMIT`] laps is rejected (libpcap has no limit; no real stack
//! chains that many headers).
//!
//! This module must not know about the capture program's internals beyond the slot-0 contract.

mod insn;
mod sys;
mod translate;

pub use insn::*;
pub use sys::{
    LoadError, MAP_TYPE_ARRAY, MAP_TYPE_PERCPU_ARRAY, MAP_TYPE_PROG_ARRAY, PROG_TYPE_SCHED_CLS,
    SysError, TCX_EGRESS, TCX_INGRESS, attach_tcx, create_map, load_sched_cls, map_fd_by_id,
    map_lookup, map_type, map_update, prog_fd_by_id, prog_map_ids, test_run,
};
pub use translate::{Attach, Hook, LOOP_LIMIT, TranslateError, translate};

use std::os::fd::RawFd;

use crate::Program;
use translate::{Asm, Mode, emit_filter};

/// The value every non-matching path returns: `TC_ACT_UNSPEC` / `TCX_NEXT`.
pub const RET_NEXT: i32 = -1;

/// Stack offset of the map key (below the 64 bytes of classic scratch memory).
const KEY_OFF: i16 = -72;

/// Builds the entry program: filter (all packets when `filter` is `None` or accepts all), then
/// `ctx_map[0] = ctx_value` (a per-CPU array with 4-byte keys and values of at least 8 bytes),
/// then `bpf_tail_call(skb, prog_array, tail_index)`; returns [`RET_NEXT`] otherwise.
///
/// The direction is unknown here, which only matters for `inbound`/`outbound` (see [`Hook`]):
/// prefer [`entry_program_at`] when attaching to a known direction.
pub fn entry_program(
    filter: Option<&Program>,
    ctx_map_fd: RawFd,
    ctx_value: u64,
    prog_array_fd: RawFd,
    tail_index: u32,
) -> Result<Vec<Insn>, TranslateError> {
    entry_program_at(
        Hook::Unknown,
        filter,
        ctx_map_fd,
        ctx_value,
        prog_array_fd,
        tail_index,
    )
}

/// [`entry_program`] for a program attached at `hook`, so that `inbound` and `outbound` in the
/// expression (libpcap's live Linux code for them reads the packet type) mean the direction.
pub fn entry_program_at(
    hook: Hook,
    filter: Option<&Program>,
    ctx_map_fd: RawFd,
    ctx_value: u64,
    prog_array_fd: RawFd,
    tail_index: u32,
) -> Result<Vec<Insn>, TranslateError> {
    let attach = Attach {
        hook,
        vlan_tag_in_packet: false,
    };
    entry_program_for(
        attach,
        filter,
        ctx_map_fd,
        ctx_value,
        prog_array_fd,
        tail_index,
    )
}

/// [`entry_program`] with every attachment option (direction, VLAN tag emulation).
pub fn entry_program_for(
    attach: Attach,
    filter: Option<&Program>,
    ctx_map_fd: RawFd,
    ctx_value: u64,
    prog_array_fd: RawFd,
    tail_index: u32,
) -> Result<Vec<Insn>, TranslateError> {
    let mut asm = Asm::default();
    asm.push(alu64_reg(MOV, R6, R1));
    if let Some(p) = filter.filter(|p| !p.accepts_all()) {
        emit_filter(&mut asm, p, Mode::Entry, attach)?;
    }
    asm.bind_match();
    asm.push(st_mem(W, R10, KEY_OFF, 0));
    asm.extend(ld_imm64(R1, PSEUDO_MAP_FD, ctx_map_fd as u32 as u64));
    asm.push(alu64_reg(MOV, R2, R10));
    asm.push(alu64_imm(ADD, R2, i32::from(KEY_OFF)));
    asm.push(call(FN_MAP_LOOKUP_ELEM));
    asm.jump(JMP | JEQ | K, R0, 0, 0, translate::Target::NoMatch);
    asm.extend(ld_imm64(R1, 0, ctx_value));
    asm.push(stx_mem(DW, R0, R1, 0));
    asm.push(alu64_reg(MOV, R1, R6));
    asm.extend(ld_imm64(R2, PSEUDO_MAP_FD, prog_array_fd as u32 as u64));
    asm.push(alu32_imm(MOV, R3, tail_index as i32));
    asm.push(call(FN_TAIL_CALL));
    asm.bind_nomatch();
    asm.push(alu64_imm(MOV, R0, RET_NEXT));
    asm.push(exit());
    asm.finish()
}
