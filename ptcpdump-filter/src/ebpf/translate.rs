//! Classic BPF → eBPF, in the spirit of the kernel's own converter (net/core/filter.c,
//! `bpf_convert_filter`): A lives in r0, X in r7, the scratch words M[0..16] in the stack frame
//! at r10-64, the context (skb) in r6 as the legacy packet loads require, and r9 holds
//! `skb->len` (what `len` means in the kernel, and the limit of every packet load).
//!
//! Every `BPF_LD_ABS`/`BPF_LD_IND` is preceded by an explicit check of its end against
//! `skb->len`; see the module doc of [`crate::ebpf`] for why.

use thiserror::Error;

use super::insn::*;
use crate::bpf as c;
use crate::interp::InvalidProgram;
use crate::{Insn as CInsn, Program};

/// Why a program could not be translated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TranslateError {
    #[error("invalid classic BPF program: {0}")]
    Invalid(#[from] InvalidProgram),
    #[error("filter program too large for eBPF jump offsets")]
    TooLarge,
}

/// Where the program runs, for what libpcap's live Linux code reads as the packet type
/// (`inbound`/`outbound` compile to a load of `SKF_AD_PKTTYPE` compared with
/// `PACKET_OUTGOING`): at TC egress `skb->pkt_type` is not `PACKET_OUTGOING` (only
/// `AF_PACKET`'s copies are marked so), so on egress the packet type is the constant
/// `PACKET_OUTGOING`, elsewhere it is read from the skb.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Hook {
    /// Unknown direction: `skb->pkt_type` as is.
    #[default]
    Unknown,
    /// TC/TCX ingress: `skb->pkt_type` (never `PACKET_OUTGOING`).
    Ingress,
    /// TC/TCX egress: `PACKET_OUTGOING`.
    Egress,
}

/// Where and how the filter sees packets in the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Attach {
    /// The direction of the hook, for `inbound`/`outbound`.
    pub hook: Hook,
    /// Make a VLAN tag the kernel keeps in skb metadata (`skb->vlan_present`; always the case
    /// for the outer tag at TC ingress, and at egress on devices with VLAN TX offload) appear in
    /// the packet after the MAC addresses, where libpcap puts it back for tcpdump, so that
    /// `vlan 100` matches and offsets past the tag are right. Use it for Ethernet when the
    /// capture program re-inserts the tag into the captured bytes too, so that the filter and
    /// the written packets agree.
    pub vlan_tag_in_packet: bool,
}

/// `SKF_AD_OFF`: classic loads at or above this offset read skb metadata on Linux.
const SKF_AD_OFF: u32 = 0xffff_f000;
/// `SKF_AD_PKTTYPE`.
const SKF_AD_PKTTYPE: u32 = 4;
/// `PACKET_OUTGOING`.
const PACKET_OUTGOING: i32 = 4;
/// Offset of `pkt_type` in `struct __sk_buff`.
const SKB_PKT_TYPE: i16 = 4;
/// Offsets of `vlan_present`, `vlan_tci` and `vlan_proto` in `struct __sk_buff`.
const SKB_VLAN_PRESENT: i16 = 20;
const SKB_VLAN_TCI: i16 = 24;
const SKB_VLAN_PROTO: i16 = 28;
/// Stack slots for the tag emulation: the 4 tag bytes as a big-endian word, and A while
/// `ldxb 4*([k]&0xf)` loads.
const VLAN_TAG_OFF: i16 = -88;
/// 12 bytes: virtual packet bytes 8..20 in packet order.
const WINDOW_OFF: i16 = -108;
const SAVE_A_OFF: i16 = -92;
/// The tag goes after the two MAC addresses.
const TAG_AT: u64 = 12;

/// Where a jump goes before layout is known.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target {
    /// The first eBPF instruction of a classic instruction.
    Classic(usize),
    /// The filter accepted the packet.
    Match,
    /// The filter rejected the packet (including out-of-bounds loads and division by zero).
    NoMatch,
    /// A label inside one translated instruction (see [`Asm::label`]).
    Local(usize),
}

/// How classic `ret` instructions end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// r0 = the classic return value, exit (0 on reject).
    Standalone,
    /// Jump to [`Target::Match`] when the return value is non-zero, else [`Target::NoMatch`].
    Entry,
}

/// An instruction buffer with symbolic jump targets.
#[derive(Default)]
pub(crate) struct Asm {
    pub insns: Vec<Insn>,
    /// (instruction, target, copy of the classic program it belongs to).
    fixups: Vec<(usize, Target, usize)>,
    /// Per copy of the classic program: where each classic instruction starts.
    classic_pos: Vec<Vec<usize>>,
    match_pos: Option<usize>,
    nomatch_pos: Option<usize>,
    labels: Vec<Option<usize>>,
}

impl Asm {
    pub fn push(&mut self, i: Insn) {
        self.insns.push(i);
    }

    pub fn extend(&mut self, i: impl IntoIterator<Item = Insn>) {
        self.insns.extend(i);
    }

    /// A jump instruction whose offset is filled in by [`Asm::finish`].
    pub fn jump(&mut self, code: u8, dst: u8, src: u8, imm: i32, to: Target) {
        let copy = self.classic_pos.len().saturating_sub(1);
        self.fixups.push((self.insns.len(), to, copy));
        self.insns.push(Insn::new(code, dst, src, 0, imm));
    }

    pub fn ja(&mut self, to: Target) {
        self.jump(JMP | JA, 0, 0, 0, to);
    }

    /// A new local label, to [`Asm::bind`] later.
    pub fn label(&mut self) -> Target {
        self.labels.push(None);
        Target::Local(self.labels.len() - 1)
    }

    pub fn bind(&mut self, label: Target) {
        if let Target::Local(l) = label {
            self.labels[l] = Some(self.insns.len());
        }
    }

    pub fn bind_match(&mut self) {
        self.match_pos = Some(self.insns.len());
    }

    pub fn bind_nomatch(&mut self) {
        self.nomatch_pos = Some(self.insns.len());
    }

    /// Resolves the jumps and drops the instructions no path reaches (the verifier refuses
    /// unreachable code, and e.g. a filter that never accepts leaves the match block dead).
    pub fn finish(mut self) -> Result<Vec<Insn>, TranslateError> {
        for &(at, to, copy) in &self.fixups {
            let target = match to {
                Target::Classic(i) => self.classic_pos.get(copy).and_then(|c| c.get(i)).copied(),
                Target::Match => self.match_pos,
                Target::NoMatch => self.nomatch_pos,
                Target::Local(l) => self.labels.get(l).copied().flatten(),
            }
            .ok_or(TranslateError::TooLarge)?;
            let off = target as i64 - at as i64 - 1;
            self.insns[at].off = i16::try_from(off).map_err(|_| TranslateError::TooLarge)?;
        }
        Ok(drop_unreachable(self.insns))
    }
}

/// Instruction slots `insn` occupies (`BPF_LD_IMM64` takes two).
fn width(insn: &Insn) -> usize {
    if insn.code == LD | IMM | DW { 2 } else { 1 }
}

/// Removes unreachable instructions and rewrites jump offsets accordingly.
fn drop_unreachable(insns: Vec<Insn>) -> Vec<Insn> {
    let n = insns.len();
    let mut reachable = vec![false; n];
    let mut stack = vec![0usize];
    while let Some(pc) = stack.pop() {
        if pc >= n || reachable[pc] {
            continue;
        }
        reachable[pc] = true;
        let i = &insns[pc];
        let w = width(i);
        if w == 2 && pc + 1 < n {
            reachable[pc + 1] = true;
        }
        let class = i.code & 0x07;
        let op = i.code & 0xf0;
        if class == JMP || class == JMP32 {
            if op == EXIT {
                continue;
            }
            if op != CALL {
                stack.push((pc as i64 + 1 + i64::from(i.off)) as usize);
                if op == JA {
                    continue;
                }
            }
        }
        stack.push(pc + w);
    }
    let mut new_index = vec![0usize; n + 1];
    let mut count = 0;
    for (pc, r) in reachable.iter().enumerate() {
        new_index[pc] = count;
        count += usize::from(*r);
    }
    new_index[n] = count;
    let mut out = Vec::with_capacity(count);
    for (pc, mut i) in insns.into_iter().enumerate() {
        if !reachable[pc] {
            continue;
        }
        let class = i.code & 0x07;
        let op = i.code & 0xf0;
        if (class == JMP || class == JMP32) && op != CALL && op != EXIT {
            let target = (pc as i64 + 1 + i64::from(i.off)) as usize;
            // Offsets only shrink, so they still fit in i16.
            i.off = (new_index[target] as i64 - new_index[pc] as i64 - 1) as i16;
        }
        out.push(i);
    }
    out
}

/// Translates a classic program into a standalone eBPF `sched_cls` program that returns the
/// classic program's return value (0 when it rejects the packet, the snapshot length when it
/// accepts), like a kernel socket filter. The entry program uses the same translation with
/// jumps instead of returns, see [`super::entry_program`].
pub fn translate(prog: &Program) -> Result<Vec<Insn>, TranslateError> {
    let mut asm = Asm::default();
    asm.push(alu64_reg(MOV, R6, R1));
    emit_filter(&mut asm, prog, Mode::Standalone, Attach::default())?;
    asm.bind_nomatch();
    asm.push(alu32_imm(MOV, R0, 0));
    asm.push(exit());
    asm.finish()
}

/// Offset of scratch word `k` from r10.
fn mem_off(k: u32) -> i16 {
    -64 + 4 * k as i16
}

/// Emits the filter body; expects r6 = ctx. Returns through `mode`'s ends.
pub(crate) fn emit_filter(
    asm: &mut Asm,
    prog: &Program,
    mode: Mode,
    env: Attach,
) -> Result<(), TranslateError> {
    prog.validate()?;
    let insns = prog.insns();
    asm.push(ldx_mem(W, R9, R6, 0)); // __sk_buff.len
    if env.vlan_tag_in_packet {
        emit_vlan_prologue(asm);
    }
    asm.push(alu32_imm(MOV, R0, 0));
    asm.push(alu32_imm(MOV, R7, 0));
    if insns.iter().any(uses_scratch) {
        // The verifier refuses reads of uninitialized stack; libpcap's code never reads a word
        // it did not write, but hand-made programs might.
        for j in 1..=8 {
            asm.push(st_mem(DW, R10, -8 * j, 0));
        }
    }
    if insns.iter().any(is_backward_jump) {
        asm.push(st_mem(DW, R10, LOOP_OFF, LOOP_LIMIT));
    }
    if env.vlan_tag_in_packet {
        // Two copies of the program, chosen once: the verifier then never has to follow a
        // "tagged or not" branch at every load.
        let plain = asm.label();
        asm.jump(JMP | JEQ | K, R1, 0, 0, plain);
        if insns.iter().any(is_backward_jump) {
            asm.push(st_mem(DW, R10, LOOP_OFF, TAGGED_LOOP_LIMIT));
        }
        emit_copy(asm, insns, mode, env)?;
        asm.bind(plain);
        let plain_env = Attach {
            vlan_tag_in_packet: false,
            ..env
        };
        emit_copy(asm, insns, mode, plain_env)
    } else {
        emit_copy(asm, insns, mode, env)
    }
}

fn emit_copy(
    asm: &mut Asm,
    insns: &[CInsn],
    mode: Mode,
    env: Attach,
) -> Result<(), TranslateError> {
    asm.classic_pos.push(Vec::with_capacity(insns.len()));
    for (pc, i) in insns.iter().enumerate() {
        let pos = asm.insns.len();
        if let Some(c) = asm.classic_pos.last_mut() {
            c.push(pos);
        }
        emit_one(asm, pc, i, mode, env)?;
    }
    Ok(())
}

/// Stack slot of the backward-jump budget (below the scratch words and the entry program's
/// map key).
const LOOP_OFF: i16 = -80;

/// Backward jumps one packet may take. libpcap's `protochain` walks the header chain with a
/// backward `ja` until it finds the protocol or runs out of packet; the verifier only accepts
/// loops it can see end, so the translation counts them. Each lap consumes at least 8 bytes of
/// header, so 256 laps cover any chain in a 2 KiB packet; longer chains (which no real stack
/// emits) are rejected here while libpcap would keep walking.
pub const LOOP_LIMIT: i32 = 256;

/// [`LOOP_LIMIT`] when a VLAN tag is emulated: every load there has three cases, which the
/// verifier must follow through each lap.
pub const TAGGED_LOOP_LIMIT: i32 = 32;

fn is_backward_jump(i: &CInsn) -> bool {
    i.code == c::JMP | c::JA && (i.k as i32) < 0
}

fn uses_scratch(i: &CInsn) -> bool {
    matches!(i.code & 0x07, c::ST | c::STX)
        || (matches!(i.code & 0x07, c::LD | c::LDX) && i.code & 0xe0 == c::MEM)
}

fn size_of(code: u16) -> (u8, u32) {
    match code & 0x18 {
        c::H => (H, 2),
        c::B => (B, 1),
        _ => (W, 4),
    }
}

/// `if skb->len < k + size: no match`.
fn check_abs(asm: &mut Asm, k: u32, size: u32) {
    let end = u64::from(k) + u64::from(size);
    match i32::try_from(end) {
        Ok(end) => asm.jump(JMP | JLT | K, R9, 0, end, Target::NoMatch),
        Err(_) => {
            asm.extend(ld_imm64(R1, 0, end));
            asm.jump(JMP | JGT | X, R1, R9, 0, Target::NoMatch);
        }
    }
}

/// `if X + k + size > skb->len: no match`, in 64 bits so nothing wraps (X is zero-extended).
fn check_ind(asm: &mut Asm, k: u32, size: u32) {
    let extra = u64::from(k) + u64::from(size);
    match i32::try_from(extra) {
        Ok(extra) => {
            asm.push(alu64_reg(MOV, R1, R7));
            asm.push(alu64_imm(ADD, R1, extra));
        }
        Err(_) => {
            asm.extend(ld_imm64(R1, 0, extra));
            asm.push(alu64_reg(ADD, R1, R7));
        }
    }
    asm.jump(JMP | JGT | X, R1, R9, 0, Target::NoMatch);
}

fn emit_ret_k(asm: &mut Asm, k: u32, mode: Mode) {
    match mode {
        Mode::Standalone => {
            asm.push(alu32_imm(MOV, R0, k as i32));
            asm.push(exit());
        }
        Mode::Entry => asm.ja(if k != 0 {
            Target::Match
        } else {
            Target::NoMatch
        }),
    }
}

fn emit_one(
    asm: &mut Asm,
    pc: usize,
    i: &CInsn,
    mode: Mode,
    env: Attach,
) -> Result<(), TranslateError> {
    let k = i.k;
    let vlan = env.vlan_tag_in_packet;
    match i.code & 0x07 {
        c::RET => {
            if i.code & 0x18 == c::A {
                match mode {
                    Mode::Standalone => asm.push(exit()),
                    Mode::Entry => {
                        asm.jump(JMP32 | JEQ | K, R0, 0, 0, Target::NoMatch);
                        asm.ja(Target::Match);
                    }
                }
            } else {
                emit_ret_k(asm, k, mode);
            }
        }
        c::LD => match i.code & 0xe0 {
            // Any other offset up there (`ether[-1]`) is out of bounds, as for libpcap.
            c::ABS if k == SKF_AD_OFF + SKF_AD_PKTTYPE => match env.hook {
                Hook::Egress => asm.push(alu32_imm(MOV, R0, PACKET_OUTGOING)),
                _ => asm.push(ldx_mem(W, R0, R6, SKB_PKT_TYPE)),
            },
            c::ABS => {
                let (size, n) = size_of(i.code);
                check_abs(asm, k, n);
                if vlan {
                    emit_vlan_abs(asm, size, n, k);
                } else {
                    asm.push(ld_abs(size, k));
                }
            }
            c::IND => {
                let (size, n) = size_of(i.code);
                check_ind(asm, k, n);
                if vlan {
                    emit_vlan_ind(asm, size, n, k);
                } else {
                    asm.push(ld_ind(size, R7, k));
                }
            }
            c::MEM => asm.push(ldx_mem(W, R0, R10, mem_off(k))),
            c::LEN => asm.push(alu32_reg(MOV, R0, R9)),
            _ => asm.push(alu32_imm(MOV, R0, k as i32)),
        },
        c::LDX => match i.code & 0xe0 {
            c::MEM => asm.push(ldx_mem(W, R7, R10, mem_off(k))),
            c::LEN => asm.push(alu32_reg(MOV, R7, R9)),
            c::MSH => {
                // X = 4 * (P[k] & 0xf); the load goes through r0, which holds A.
                check_abs(asm, k, 1);
                if vlan {
                    // The tag emulation uses r8 itself.
                    asm.push(stx_mem(W, R10, R0, SAVE_A_OFF));
                    emit_vlan_abs(asm, B, 1, k);
                } else {
                    asm.push(alu64_reg(MOV, R8, R0));
                    asm.push(ld_abs(B, k));
                }
                asm.push(alu32_imm(AND, R0, 0xf));
                asm.push(alu32_imm(LSH, R0, 2));
                asm.push(alu32_reg(MOV, R7, R0));
                if vlan {
                    asm.push(ldx_mem(W, R0, R10, SAVE_A_OFF));
                } else {
                    asm.push(alu32_reg(MOV, R0, R8));
                }
            }
            _ => asm.push(alu32_imm(MOV, R7, k as i32)),
        },
        c::ST => asm.push(stx_mem(W, R10, R0, mem_off(k))),
        c::STX => asm.push(stx_mem(W, R10, R7, mem_off(k))),
        c::MISC => {
            if i.code == c::MISC | c::TAX {
                asm.push(alu32_reg(MOV, R7, R0));
            } else {
                asm.push(alu32_reg(MOV, R0, R7));
            }
        }
        c::ALU => emit_alu(asm, i),
        _ => emit_jump(asm, pc, i),
    }
    Ok(())
}

/// Tag emulation setup: when the skb carries a tag in its metadata (and has at least the two
/// MAC addresses), r9 (the length) grows by 4, the tag word is saved and r1 = 1; else r1 = 0.
fn emit_vlan_prologue(asm: &mut Asm) {
    let (untagged, short, done) = (asm.label(), asm.label(), asm.label());
    asm.push(ldx_mem(W, R1, R6, SKB_VLAN_PRESENT));
    asm.jump(JMP | JEQ | K, R1, 0, 0, untagged);
    asm.jump(JMP | JLT | K, R9, 0, TAG_AT as i32, untagged);
    // Virtual bytes 8..20 (4 packet bytes, the tag, 4 more) for loads at run-time offsets
    // that straddle the tag. The last word stays 0 in frames shorter than 16 bytes.
    asm.push(ld_abs(W, 8));
    asm.push(Insn::new(ALU | END | TO_BE, R0, 0, 0, 32));
    asm.push(stx_mem(W, R10, R0, WINDOW_OFF));
    asm.push(st_mem(W, R10, WINDOW_OFF + 8, 0));
    asm.jump(JMP | JLT | K, R9, 0, 16, short);
    asm.push(ld_abs(W, 12));
    asm.push(Insn::new(ALU | END | TO_BE, R0, 0, 0, 32));
    asm.push(stx_mem(W, R10, R0, WINDOW_OFF + 8));
    asm.bind(short);
    asm.push(alu32_imm(ADD, R9, 4));
    asm.push(ldx_mem(W, R1, R6, SKB_VLAN_PROTO));
    // vlan_proto is stored in network byte order: to host order (a no-op on big endian).
    asm.push(Insn::new(ALU | END | TO_BE, R1, 0, 0, 16));
    asm.push(alu32_imm(LSH, R1, 16));
    asm.push(ldx_mem(W, R2, R6, SKB_VLAN_TCI));
    asm.push(alu32_imm(AND, R2, 0xffff));
    asm.push(alu32_reg(OR, R1, R2));
    asm.push(stx_mem(W, R10, R1, VLAN_TAG_OFF));
    asm.push(Insn::new(ALU | END | TO_BE, R1, 0, 0, 32));
    asm.push(stx_mem(W, R10, R1, WINDOW_OFF + 4));
    asm.push(alu32_imm(MOV, R1, 1));
    asm.ja(done);
    asm.bind(untagged);
    asm.push(alu32_imm(MOV, R1, 0));
    asm.bind(done);
}

/// Loads `n` bytes at constant offset `k` of the tagged virtual packet into r0 (bounds
/// already checked against the virtual length).
fn emit_vlan_abs(asm: &mut Asm, size: u8, n: u32, k: u32) {
    emit_tagged_const(asm, size, n, u64::from(k));
}

/// The tagged case of a load at a known offset `o`: before the tag, after it (4 bytes
/// earlier in the real packet), or straddling it (assembled byte by byte in r8).
fn emit_tagged_const(asm: &mut Asm, size: u8, n: u32, o: u64) {
    let end = o + u64::from(n);
    if end <= TAG_AT {
        asm.push(ld_abs(size, o as u32));
    } else if o >= TAG_AT + 4 {
        asm.push(ld_abs(size, (o - 4) as u32));
    } else {
        asm.push(alu32_imm(MOV, R8, 0));
        for b in o..end {
            if b < TAG_AT {
                asm.push(ld_abs(B, b as u32));
            } else if b < TAG_AT + 4 {
                asm.push(ldx_mem(W, R0, R10, VLAN_TAG_OFF));
                asm.push(alu32_imm(RSH, R0, 8 * (TAG_AT + 3 - b) as i32));
                asm.push(alu32_imm(AND, R0, 0xff));
            } else {
                asm.push(ld_abs(B, (b - 4) as u32));
            }
            asm.push(alu32_imm(LSH, R8, 8));
            asm.push(alu32_reg(OR, R8, R0));
        }
        asm.push(alu32_reg(MOV, R0, R8));
    }
}

/// Loads `n` bytes at X + `k` of the tagged virtual packet into r0 (bounds already checked).
fn emit_vlan_ind(asm: &mut Asm, size: u8, n: u32, k: u32) {
    let (plain, shifted, done) = (asm.label(), asm.label(), asm.label());
    // r1 = X + k, the virtual offset (check_ind proved X + k + n <= length < 2^31).
    match i32::try_from(k) {
        Ok(k) => {
            asm.push(alu64_reg(MOV, R1, R7));
            asm.push(alu64_imm(ADD, R1, k));
        }
        Err(_) => {
            asm.extend(ld_imm64(R1, 0, u64::from(k)));
            asm.push(alu64_reg(ADD, R1, R7));
        }
    }
    asm.jump(JMP | JGE | K, R1, 0, (TAG_AT + 4) as i32, shifted);
    asm.jump(JMP | JLE | K, R1, 0, (TAG_AT - u64::from(n)) as i32, plain);
    // Straddling: r1 is in 13-n..=15 here, read the bytes from the window (virtual byte 8 at
    // WINDOW_OFF) at that run-time offset.
    asm.push(alu32_imm(MOV, R8, 0));
    for j in 0..i16::try_from(n).unwrap_or(4) {
        asm.push(alu64_reg(MOV, R2, R10));
        asm.push(alu64_reg(ADD, R2, R1));
        asm.push(ldx_mem(B, R0, R2, WINDOW_OFF - 8 + j));
        asm.push(alu32_imm(LSH, R8, 8));
        asm.push(alu32_reg(OR, R8, R0));
    }
    asm.push(alu32_reg(MOV, R0, R8));
    asm.ja(done);
    asm.bind(shifted);
    // X + (k - 4) >= 12 here, whatever k is.
    asm.push(ld_ind(size, R7, k.wrapping_sub(4)));
    asm.ja(done);
    asm.bind(plain);
    asm.push(ld_ind(size, R7, k));
    asm.bind(done);
}

fn emit_alu(asm: &mut Asm, i: &CInsn) {
    let op = (i.code & 0xf0) as u8; // classic and extended ALU op values coincide
    if i.code & 0xf0 == c::NEG {
        asm.push(Insn::new(ALU | NEG, R0, 0, 0, 0));
        return;
    }
    if i.code & 0x08 == c::X {
        match op {
            DIV | MOD => {
                asm.jump(JMP32 | JEQ | K, R7, 0, 0, Target::NoMatch);
                asm.push(alu32_reg(op, R0, R7));
            }
            LSH | RSH => {
                // libpcap: a shift by 32 or more gives 0 (eBPF would mask the count).
                asm.push(Insn::new(JMP32 | JLT | K, R7, 0, 2, 32));
                asm.push(alu32_imm(MOV, R0, 0));
                asm.push(Insn::new(JMP | JA, 0, 0, 1, 0));
                asm.push(alu32_reg(op, R0, R7));
            }
            _ => asm.push(alu32_reg(op, R0, R7)),
        }
    } else if matches!(op, LSH | RSH) && i.k >= 32 {
        asm.push(alu32_imm(MOV, R0, 0));
    } else {
        // Constant division by zero was refused by validate().
        asm.push(alu32_imm(op, R0, i.k as i32));
    }
}

fn emit_jump(asm: &mut Asm, pc: usize, i: &CInsn) {
    let next = pc + 1;
    if i.code == c::JMP | c::JA {
        let to = (next as i64 + i64::from(i.k as i32)) as usize; // in range: validated
        if is_backward_jump(i) {
            asm.push(ldx_mem(DW, R1, R10, LOOP_OFF));
            asm.jump(JMP | JEQ | K, R1, 0, 0, Target::NoMatch);
            asm.push(alu64_imm(SUB, R1, 1));
            asm.push(stx_mem(DW, R10, R1, LOOP_OFF));
        }
        asm.ja(Target::Classic(to));
        return;
    }
    let t = next + usize::from(i.jt);
    let f = next + usize::from(i.jf);
    let (src, imm) = if i.code & 0x08 == c::X {
        (R7, 0)
    } else {
        (0, i.k as i32)
    };
    let srcbit = if i.code & 0x08 == c::X { X } else { K };
    let op = (i.code & 0xf0) as u8; // JEQ/JGT/JGE/JSET coincide
    let inverse = match op {
        JEQ => Some(JNE),
        JGT => Some(JLE),
        JGE => Some(JLT),
        _ => None,
    };
    if t == f {
        if t != next {
            asm.ja(Target::Classic(t));
        }
    } else if f == next {
        asm.jump(JMP32 | op | srcbit, R0, src, imm, Target::Classic(t));
    } else if let (true, Some(inv)) = (t == next, inverse) {
        asm.jump(JMP32 | inv | srcbit, R0, src, imm, Target::Classic(f));
    } else {
        asm.jump(JMP32 | op | srcbit, R0, src, imm, Target::Classic(t));
        asm.ja(Target::Classic(f));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compile, linktype};

    /// Jump targets of a finished program, checking they stay inside it.
    fn targets(insns: &[Insn]) -> Vec<usize> {
        let mut out = Vec::new();
        for (pc, i) in insns.iter().enumerate() {
            let class = i.code & 0x07;
            let op = i.code & 0xf0;
            if (class == JMP || class == JMP32) && op != CALL && op != EXIT {
                let t = pc as i64 + 1 + i64::from(i.off);
                assert!(t >= 0 && (t as usize) < insns.len(), "jump out at {pc}");
                out.push(t as usize);
            }
        }
        out
    }

    #[test]
    fn every_packet_load_is_bounds_checked_first() {
        let exprs = [
            "tcp port 80",
            "ip[2:2] > 576",
            "tcp[tcpflags] & tcp-syn != 0",
            "udp[8:2] = 0x100",
            "vlan and ip",
            "ip6 and udp port 547",
            "ip[4000000000] = 1",
        ];
        for e in exprs {
            let p = compile(e, linktype::ETHERNET, 65535).unwrap();
            let insns = translate(&p).unwrap();
            targets(&insns);
            for (pc, i) in insns.iter().enumerate() {
                let mode = i.code & 0xe0;
                if i.code & 0x07 == LD && (mode == ABS || mode == IND) {
                    // The check right before: jlt r9, end / jgt r1, r9 (ld_abs), possibly after
                    // saving A for ldxb; its target must be the reject exit.
                    let check = insns[..pc]
                        .iter()
                        .rposition(|c| c.code & 0x07 == JMP && c.code & 0xf0 != JA)
                        .unwrap();
                    assert!(pc - check <= 2, "{e}: load at {pc} without check");
                    let c = &insns[check];
                    assert!(
                        (c.code == JMP | JLT | K && c.dst() == R9)
                            || (c.code == JMP | JGT | X && c.src() == R9),
                        "{e}: {c:?}"
                    );
                    let t = (check as i64 + 1 + i64::from(c.off)) as usize;
                    assert_eq!(insns[t], alu32_imm(MOV, R0, 0), "{e}");
                    assert_eq!(insns[t + 1], exit());
                }
            }
        }
    }

    #[test]
    fn unreachable_code_is_dropped() {
        // `len` alone never loads packet bytes: no reject exit may remain.
        let p = compile("less 60", linktype::ETHERNET, 65535).unwrap();
        let insns = translate(&p).unwrap();
        assert_eq!(drop_unreachable(insns.clone()), insns);
        let exits = insns.iter().filter(|i| **i == exit()).count();
        assert_eq!(exits, 2, "{insns:?}");
        // Never-matching filter: the entry program keeps no map access or tail call.
        let ret0 = crate::Insn {
            code: c::RET | c::K,
            jt: 0,
            jf: 0,
            k: 0,
        };
        let p = Program::from_insns(vec![ret0], linktype::ETHERNET, 65535);
        let e = crate::ebpf::entry_program(Some(&p), 3, 1, 4, 0).unwrap();
        assert!(!e.iter().any(|i| *i == call(FN_TAIL_CALL)), "{e:?}");
    }

    #[test]
    fn drop_unreachable_rewrites_offsets() {
        let prog = vec![
            Insn::new(JMP | JA, 0, 0, 1, 0),
            alu32_imm(MOV, R0, 9), // dead
            Insn::new(JMP32 | JEQ | K, R0, 0, 1, 0),
            alu32_imm(MOV, R0, 1),
            exit(),
        ];
        let out = drop_unreachable(prog);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].off, 0);
        assert_eq!(out[1].off, 1);
    }

    #[test]
    fn packet_type_depends_on_the_hook() {
        let p = compile("outbound", linktype::ETHERNET, 65535).unwrap();
        let body = |hook| {
            let mut asm = Asm::default();
            let env = Attach {
                hook,
                vlan_tag_in_packet: false,
            };
            emit_filter(&mut asm, &p, Mode::Entry, env).unwrap();
            asm.insns
        };
        assert!(body(Hook::Egress).contains(&alu32_imm(MOV, R0, PACKET_OUTGOING)));
        assert!(body(Hook::Ingress).contains(&ldx_mem(W, R0, R6, SKB_PKT_TYPE)));
        assert!(body(Hook::Unknown).contains(&ldx_mem(W, R0, R6, SKB_PKT_TYPE)));
        // Other offsets up there are plain out-of-bounds loads: checked against skb->len.
        let p = compile("ether[-1] & 1 = 0", linktype::ETHERNET, 65535).unwrap();
        let insns = translate(&p).unwrap();
        assert!(
            insns
                .iter()
                .any(|i| i.code == JMP | JGT | X && i.src() == R9)
        );
        assert!(!insns.iter().any(|i| *i == ldx_mem(W, R0, R6, SKB_PKT_TYPE)));
    }

    #[test]
    fn invalid_programs_are_refused() {
        let p = Program::from_insns(vec![], linktype::ETHERNET, 1);
        assert!(matches!(translate(&p), Err(TranslateError::Invalid(_))));
    }

    #[test]
    fn entry_program_shape() {
        let e = crate::ebpf::entry_program(None, 3, 0xabcd, 4, 7).unwrap();
        targets(&e);
        assert_eq!(e[0], alu64_reg(MOV, R6, R1));
        assert!(
            !e.iter()
                .any(|i| i.code & 0x07 == LD && i.code & 0xe0 != IMM)
        );
        assert!(e.contains(&call(FN_TAIL_CALL)));
        assert!(e.contains(&alu32_imm(MOV, R3, 7)));
        let maps: Vec<i32> = e
            .iter()
            .filter(|i| i.code == LD | IMM | DW && i.src() == PSEUDO_MAP_FD)
            .map(|i| i.imm)
            .collect();
        assert_eq!(maps, [3, 4]);
        assert_eq!(e[e.len() - 2], alu64_imm(MOV, R0, -1));
        assert_eq!(e[e.len() - 1], exit());
    }
}
