//! pcap-filter expressions for ptcpdump.
//!
//! This crate owns everything between the text a user types after the options
//! (`tcp port 80 and not host 198.18.0.1`) and a yes/no decision on a packet:
//!
//! - [`compile`]: libpcap's own compiler (through FFI) turns the expression into classic BPF, so
//!   the language, its error messages and its optimizer are exactly tcpdump's;
//! - [`Program::dump`]: the `-d`/`-dd`/`-ddd` listings;
//! - [`Program::matches`]: a classic BPF interpreter with libpcap's `bpf_filter()` semantics, used
//!   when reading files (`-r FILE EXPR`);
//! - [`ebpf`]: translation of the classic program to eBPF for the in-kernel per-interface entry
//!   program, and the few raw `bpf(2)` calls needed to load and attach it.
//!
//! It does not capture, print or know about processes: the binary wires those together.

mod compile;
mod dump;
pub mod ebpf;
mod ffi;
mod interp;

pub use compile::{CompileOptions, FilterError, compile, compile_offline, compile_with};
pub use interp::InvalidProgram;

/// libpcap's `PCAP_NETMASK_UNKNOWN`, for [`CompileOptions::netmask`].
pub const NETMASK_UNKNOWN: u32 = 0xffff_ffff;

/// `DLT`/`LINKTYPE` values the rest of ptcpdump commonly passes in.
pub mod linktype {
    /// BSD loopback (4-byte host-order family).
    pub const NULL: u32 = 0;
    /// Ethernet.
    pub const ETHERNET: u32 = 1;
    /// Raw IPv4/IPv6 (LINKTYPE_RAW; libpcap's DLT_RAW is 12 on Linux).
    pub const RAW: u32 = 101;
    /// Linux "cooked" capture v1.
    pub const LINUX_SLL: u32 = 113;
    /// Raw IPv4.
    pub const IPV4: u32 = 228;
    /// Raw IPv6.
    pub const IPV6: u32 = 229;
    /// Linux "cooked" capture v2.
    pub const LINUX_SLL2: u32 = 276;
}

/// One classic BPF instruction, laid out like libpcap's `struct bpf_insn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct Insn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// A compiled filter: classic BPF instructions plus what it was compiled for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    insns: Vec<Insn>,
    linktype: u32,
    snaplen: u32,
}

impl Program {
    /// Wraps instructions obtained elsewhere. The interpreter and the eBPF translator check them
    /// (jump targets, scratch indexes, final return) instead of trusting them, see
    /// [`Program::validate`].
    pub fn from_insns(insns: Vec<Insn>, linktype: u32, snaplen: u32) -> Self {
        Program {
            insns,
            linktype,
            snaplen,
        }
    }

    /// The classic BPF instructions.
    pub fn insns(&self) -> &[Insn] {
        &self.insns
    }

    /// The `LINKTYPE_*` value the program was compiled for.
    pub fn linktype(&self) -> u32 {
        self.linktype
    }

    /// The snapshot length the program was compiled with (the value of its accepting `ret`).
    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// True when the program accepts every packet (an empty expression compiles to one `ret`).
    pub fn accepts_all(&self) -> bool {
        matches!(self.insns.as_slice(), [i] if i.code == bpf::RET | bpf::K && i.k != 0)
    }
}

/// Classic BPF opcode fields (pcap/bpf.h).
pub mod bpf {
    pub const LD: u16 = 0x00;
    pub const LDX: u16 = 0x01;
    pub const ST: u16 = 0x02;
    pub const STX: u16 = 0x03;
    pub const ALU: u16 = 0x04;
    pub const JMP: u16 = 0x05;
    pub const RET: u16 = 0x06;
    pub const MISC: u16 = 0x07;

    pub const W: u16 = 0x00;
    pub const H: u16 = 0x08;
    pub const B: u16 = 0x10;

    pub const IMM: u16 = 0x00;
    pub const ABS: u16 = 0x20;
    pub const IND: u16 = 0x40;
    pub const MEM: u16 = 0x60;
    pub const LEN: u16 = 0x80;
    pub const MSH: u16 = 0xa0;

    pub const ADD: u16 = 0x00;
    pub const SUB: u16 = 0x10;
    pub const MUL: u16 = 0x20;
    pub const DIV: u16 = 0x30;
    pub const OR: u16 = 0x40;
    pub const AND: u16 = 0x50;
    pub const LSH: u16 = 0x60;
    pub const RSH: u16 = 0x70;
    pub const NEG: u16 = 0x80;
    pub const MOD: u16 = 0x90;
    pub const XOR: u16 = 0xa0;

    pub const JA: u16 = 0x00;
    pub const JEQ: u16 = 0x10;
    pub const JGT: u16 = 0x20;
    pub const JGE: u16 = 0x30;
    pub const JSET: u16 = 0x40;

    pub const K: u16 = 0x00;
    pub const X: u16 = 0x08;
    pub const A: u16 = 0x10;

    pub const TAX: u16 = 0x00;
    pub const TXA: u16 = 0x80;

    /// Scratch memory words (`BPF_MEMWORDS`).
    pub const MEMWORDS: u32 = 16;
}
