//! The eBPF instruction encoding (Linux `struct bpf_insn`, include/uapi/linux/bpf.h) and the few
//! constructors the translator and the entry program need.

/// One eBPF instruction (8 bytes; `BPF_LD_IMM64` takes two).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct Insn {
    pub code: u8,
    /// dst_reg in the low nibble, src_reg in the high nibble.
    pub regs: u8,
    pub off: i16,
    pub imm: i32,
}

const _: () = assert!(std::mem::size_of::<Insn>() == 8);

impl Insn {
    pub const fn new(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
        Insn {
            code,
            regs: (src << 4) | (dst & 0x0f),
            off,
            imm,
        }
    }

    pub fn dst(&self) -> u8 {
        self.regs & 0x0f
    }

    pub fn src(&self) -> u8 {
        self.regs >> 4
    }
}

// Instruction classes and fields.
pub const LD: u8 = 0x00;
pub const LDX: u8 = 0x01;
pub const ST: u8 = 0x02;
pub const STX: u8 = 0x03;
pub const ALU: u8 = 0x04;
pub const JMP: u8 = 0x05;
pub const JMP32: u8 = 0x06;
pub const ALU64: u8 = 0x07;

pub const W: u8 = 0x00;
pub const H: u8 = 0x08;
pub const B: u8 = 0x10;
pub const DW: u8 = 0x18;

pub const IMM: u8 = 0x00;
pub const ABS: u8 = 0x20;
pub const IND: u8 = 0x40;
pub const MEM: u8 = 0x60;

pub const K: u8 = 0x00;
pub const X: u8 = 0x08;

pub const ADD: u8 = 0x00;
pub const SUB: u8 = 0x10;
pub const MUL: u8 = 0x20;
pub const DIV: u8 = 0x30;
pub const OR: u8 = 0x40;
pub const AND: u8 = 0x50;
pub const LSH: u8 = 0x60;
pub const RSH: u8 = 0x70;
pub const NEG: u8 = 0x80;
pub const MOD: u8 = 0x90;
pub const XOR: u8 = 0xa0;
pub const MOV: u8 = 0xb0;
/// Byte swap (`BPF_END`), with [`TO_BE`] or `TO_LE` (0) in the source bit.
pub const END: u8 = 0xd0;
pub const TO_BE: u8 = 0x08;

pub const JA: u8 = 0x00;
pub const JEQ: u8 = 0x10;
pub const JGT: u8 = 0x20;
pub const JGE: u8 = 0x30;
pub const JSET: u8 = 0x40;
pub const JNE: u8 = 0x50;
pub const CALL: u8 = 0x80;
pub const EXIT: u8 = 0x90;
pub const JLT: u8 = 0xa0;
pub const JLE: u8 = 0xb0;

/// `src_reg` of a `BPF_LD_IMM64` whose immediate is a map file descriptor.
pub const PSEUDO_MAP_FD: u8 = 1;

// Helper function ids (include/uapi/linux/bpf.h).
pub const FN_MAP_LOOKUP_ELEM: i32 = 1;
pub const FN_TAIL_CALL: i32 = 12;

pub const R0: u8 = 0;
pub const R1: u8 = 1;
pub const R2: u8 = 2;
pub const R3: u8 = 3;
pub const R6: u8 = 6;
pub const R7: u8 = 7;
pub const R8: u8 = 8;
pub const R9: u8 = 9;
pub const R10: u8 = 10;

pub fn alu32_imm(op: u8, dst: u8, imm: i32) -> Insn {
    Insn::new(ALU | op | K, dst, 0, 0, imm)
}

pub fn alu32_reg(op: u8, dst: u8, src: u8) -> Insn {
    Insn::new(ALU | op | X, dst, src, 0, 0)
}

pub fn alu64_imm(op: u8, dst: u8, imm: i32) -> Insn {
    Insn::new(ALU64 | op | K, dst, 0, 0, imm)
}

pub fn alu64_reg(op: u8, dst: u8, src: u8) -> Insn {
    Insn::new(ALU64 | op | X, dst, src, 0, 0)
}

/// `*(size *)(src + off)` into dst.
pub fn ldx_mem(size: u8, dst: u8, src: u8, off: i16) -> Insn {
    Insn::new(LDX | MEM | size, dst, src, off, 0)
}

/// `*(size *)(dst + off) = src`.
pub fn stx_mem(size: u8, dst: u8, src: u8, off: i16) -> Insn {
    Insn::new(STX | MEM | size, dst, src, off, 0)
}

/// `*(size *)(dst + off) = imm`.
pub fn st_mem(size: u8, dst: u8, off: i16, imm: i32) -> Insn {
    Insn::new(ST | MEM | size, dst, 0, off, imm)
}

/// The two halves of `BPF_LD_IMM64`.
pub fn ld_imm64(dst: u8, src: u8, value: u64) -> [Insn; 2] {
    [
        Insn::new(LD | IMM | DW, dst, src, 0, value as u32 as i32),
        Insn::new(0, 0, 0, 0, (value >> 32) as u32 as i32),
    ]
}

/// Legacy packet load into r0 (`BPF_LD | BPF_ABS`): reads from the skb through the kernel's
/// `bpf_skb_load_helper_*`, network byte order converted to host.
pub fn ld_abs(size: u8, k: u32) -> Insn {
    Insn::new(LD | ABS | size, 0, 0, 0, k as i32)
}

/// `BPF_LD | BPF_IND`: like [`ld_abs`] at `src + k`.
pub fn ld_ind(size: u8, src: u8, k: u32) -> Insn {
    Insn::new(LD | IND | size, 0, src, 0, k as i32)
}

pub fn call(helper: i32) -> Insn {
    Insn::new(JMP | CALL, 0, 0, 0, helper)
}

pub fn exit() -> Insn {
    Insn::new(JMP | EXIT, 0, 0, 0, 0)
}
