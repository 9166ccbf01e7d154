//! Classic BPF interpreter with the semantics of libpcap's `bpf_filter()` (bpf_filter.c in
//! libpcap 1.10): A and X start at 0, loads outside the captured bytes reject the packet, so does
//! a division or modulus by zero, shifts by 32 or more give 0, `len` is the length on the wire,
//! `ja` may jump backwards (libpcap's `ip6 protochain` loops). The Linux-only ancillary loads
//! (`SKF_AD_*`) are not supported: libpcap never generates them for offline filtering.

use thiserror::Error;

use crate::bpf::*;
use crate::{Insn, Program};

/// Why a program cannot be run (only possible for programs not made by [`crate::compile`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidProgram {
    #[error("empty program")]
    Empty,
    #[error("instruction {0}: unknown opcode {1:#x}")]
    Opcode(usize, u16),
    #[error("instruction {0}: jump out of the program")]
    Jump(usize),
    #[error("instruction {0}: scratch memory index out of range")]
    Mem(usize),
    #[error("instruction {0}: division or modulus by constant zero")]
    DivZero(usize),
    #[error("program does not end with a return")]
    NoReturn,
}

/// Budget of executed instructions per packet: only backward `ja`s can loop, and libpcap's
/// protochain loop advances through the packet, so this only stops hostile hand-made programs.
const STEP_LIMIT: u32 = 1 << 20;

impl Program {
    /// Checks what the interpreter and the eBPF translator rely on: known opcodes, jump targets
    /// inside the program, scratch indexes below 16, no constant division by zero, a final
    /// return.
    pub fn validate(&self) -> Result<(), InvalidProgram> {
        let insns = &self.insns;
        let n = insns.len();
        if n == 0 {
            return Err(InvalidProgram::Empty);
        }
        for (pc, i) in insns.iter().enumerate() {
            if !opcode_known(i.code) {
                return Err(InvalidProgram::Opcode(pc, i.code));
            }
            match i.code & 0x07 {
                JMP => {
                    if i.code == JMP | JA {
                        let target = pc as i64 + 1 + i64::from(i.k as i32);
                        if target < 0 || target >= n as i64 {
                            return Err(InvalidProgram::Jump(pc));
                        }
                    } else if pc + 1 + usize::from(i.jt.max(i.jf)) >= n {
                        return Err(InvalidProgram::Jump(pc));
                    }
                }
                LD | LDX if i.code & 0xe0 == MEM && i.k >= MEMWORDS => {
                    return Err(InvalidProgram::Mem(pc));
                }
                ST | STX if i.k >= MEMWORDS => return Err(InvalidProgram::Mem(pc)),
                ALU if (i.code == ALU | DIV | K || i.code == ALU | MOD | K) && i.k == 0 => {
                    return Err(InvalidProgram::DivZero(pc));
                }
                _ => {}
            }
        }
        if insns[n - 1].code & 0x07 != RET {
            return Err(InvalidProgram::NoReturn);
        }
        Ok(())
    }

    /// Runs the filter on one packet: `packet` holds the captured bytes, `wirelen` the length on
    /// the wire (what `len`, `less` and `greater` see). Returns whether the filter accepts it.
    /// Never panics: a malformed instruction that is reached (see [`Program::validate`]) rejects.
    pub fn matches(&self, packet: &[u8], wirelen: u32) -> bool {
        run(&self.insns, packet, wirelen) != 0
    }

    /// Like [`Program::matches`] but returns the filter's return value (the snapshot length to
    /// keep, 0 for "reject"), as `bpf_filter()` does.
    pub fn run(&self, packet: &[u8], wirelen: u32) -> u32 {
        run(&self.insns, packet, wirelen)
    }
}

fn opcode_known(code: u16) -> bool {
    match code & 0x07 {
        LD => matches!(
            code,
            0x20 | 0x28 | 0x30 | 0x40 | 0x48 | 0x50 | 0x00 | 0x60 | 0x80
        ),
        LDX => matches!(code, 0x01 | 0x61 | 0x81 | 0xb1),
        ST | STX => code & !0x07 == 0,
        ALU => {
            let op = code & 0xf0;
            if op == NEG {
                code == ALU | NEG
            } else {
                op <= XOR && code & !0xf8 == ALU && op != 0xb0
            }
        }
        JMP => {
            let op = code & 0xf0;
            if op == JA {
                code == JMP | JA
            } else {
                op <= JSET && code & !0xf8 == JMP
            }
        }
        RET => matches!(code, 0x06 | 0x16),
        _ => matches!(code, 0x07 | 0x87),
    }
}

#[inline]
fn load(p: &[u8], k: u32, size: usize) -> Option<u32> {
    let k = k as usize;
    let bytes = p.get(k..k.checked_add(size)?)?;
    Some(match size {
        1 => u32::from(bytes[0]),
        2 => u32::from(u16::from_be_bytes([bytes[0], bytes[1]])),
        _ => u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
    })
}

#[inline]
fn load_ind(p: &[u8], x: u32, k: u32, size: usize) -> Option<u32> {
    // libpcap rejects when X + k overflows instead of wrapping.
    load(p, x.checked_add(k)?, size)
}

fn run(insns: &[Insn], p: &[u8], wirelen: u32) -> u32 {
    let mut a: u32 = 0;
    let mut x: u32 = 0;
    let mut mem = [0u32; MEMWORDS as usize];
    let mut pc: usize = 0;
    let mut steps: u32 = 0;
    macro_rules! ld {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return 0,
            }
        };
    }
    loop {
        let Some(i) = insns.get(pc) else { return 0 };
        pc += 1;
        steps += 1;
        if steps > STEP_LIMIT {
            return 0;
        }
        let k = i.k;
        match i.code {
            0x06 => return k,               // ret #k
            0x16 => return a,               // ret a
            0x20 => a = ld!(load(p, k, 4)), // ld [k]
            0x28 => a = ld!(load(p, k, 2)), // ldh [k]
            0x30 => a = ld!(load(p, k, 1)), // ldb [k]
            0x80 => a = wirelen,            // ld len
            0x81 => x = wirelen,            // ldx len
            0x40 => a = ld!(load_ind(p, x, k, 4)),
            0x48 => a = ld!(load_ind(p, x, k, 2)),
            0x50 => a = ld!(load_ind(p, x, k, 1)),
            0xb1 => x = (ld!(load(p, k, 1)) & 0xf) << 2, // ldxb 4*([k]&0xf)
            0x00 => a = k,
            0x01 => x = k,
            0x60 => a = ld!(mem.get(k as usize).copied()),
            0x61 => x = ld!(mem.get(k as usize).copied()),
            0x02 => *ld!(mem.get_mut(k as usize)) = a,
            0x03 => *ld!(mem.get_mut(k as usize)) = x,
            0x05 => pc = ld!(pc.checked_add_signed(k as i32 as isize)), // ja
            0x15 => pc += usize::from(if a == k { i.jt } else { i.jf }),
            0x25 => pc += usize::from(if a > k { i.jt } else { i.jf }),
            0x35 => pc += usize::from(if a >= k { i.jt } else { i.jf }),
            0x45 => pc += usize::from(if a & k != 0 { i.jt } else { i.jf }),
            0x1d => pc += usize::from(if a == x { i.jt } else { i.jf }),
            0x2d => pc += usize::from(if a > x { i.jt } else { i.jf }),
            0x3d => pc += usize::from(if a >= x { i.jt } else { i.jf }),
            0x4d => pc += usize::from(if a & x != 0 { i.jt } else { i.jf }),
            0x0c => a = a.wrapping_add(x),
            0x1c => a = a.wrapping_sub(x),
            0x2c => a = a.wrapping_mul(x),
            0x3c => a = ld!(a.checked_div(x)),
            0x9c => a = ld!(a.checked_rem(x)),
            0x5c => a &= x,
            0x4c => a |= x,
            0xac => a ^= x,
            0x6c => a = a.checked_shl(x).unwrap_or(0),
            0x7c => a = a.checked_shr(x).unwrap_or(0),
            0x04 => a = a.wrapping_add(k),
            0x14 => a = a.wrapping_sub(k),
            0x24 => a = a.wrapping_mul(k),
            0x34 => a = ld!(a.checked_div(k)),
            0x94 => a = ld!(a.checked_rem(k)),
            0x54 => a &= k,
            0x44 => a |= k,
            0xa4 => a ^= k,
            0x64 => a = a.checked_shl(k).unwrap_or(0),
            0x74 => a = a.checked_shr(k).unwrap_or(0),
            0x84 => a = a.wrapping_neg(),
            0x07 => x = a, // tax
            0x87 => a = x, // txa
            _ => return 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compile, linktype};

    fn prog(insns: &[(u16, u8, u8, u32)]) -> Program {
        Program::from_insns(
            insns
                .iter()
                .map(|&(code, jt, jf, k)| Insn { code, jt, jf, k })
                .collect(),
            linktype::ETHERNET,
            65535,
        )
    }

    /// Ethernet + IPv4 + TCP SYN 198.18.0.1:40000 -> 198.18.0.2:80.
    const SYN: [u8; 54] = [
        0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00, // ethernet
        0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2, // ipv4
        0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0, // tcp
    ];

    #[test]
    fn compiled_filters_decide_on_a_syn() {
        let yes = [
            "tcp",
            "tcp port 80",
            "dst port 80",
            "src host 198.18.0.1",
            "net 198.18.0.0/15",
            "tcp[tcpflags] & tcp-syn != 0",
            "less 54",
            "greater 54",
            "ip[9] = 6",
        ];
        let no = [
            "udp",
            "tcp port 81",
            "src port 80",
            "host 198.18.0.3",
            "ip6",
            "tcp[tcpflags] & tcp-ack != 0",
            "greater 55",
            "less 53",
            "vlan",
        ];
        for e in yes {
            let p = compile(e, linktype::ETHERNET, 262144).unwrap();
            assert!(p.matches(&SYN, SYN.len() as u32), "{e}");
        }
        for e in no {
            let p = compile(e, linktype::ETHERNET, 262144).unwrap();
            assert!(!p.matches(&SYN, SYN.len() as u32), "{e}");
        }
    }

    #[test]
    fn truncated_at_every_offset_never_panics_and_rejects_when_needed() {
        let p = compile("tcp dst port 80", linktype::ETHERNET, 262144).unwrap();
        for cut in 0..SYN.len() {
            // The destination port ends at byte 38: shorter captures cannot match.
            assert_eq!(p.matches(&SYN[..cut], 54), cut >= 38, "cut {cut}");
        }
    }

    #[test]
    fn len_is_the_wire_length() {
        let p = compile("greater 1000", linktype::ETHERNET, 262144).unwrap();
        assert!(p.matches(&SYN, 1500));
        assert!(!p.matches(&SYN, 54));
    }

    #[test]
    fn division_by_zero_rejects() {
        // ldx #0; ld #7; div x; ret #1
        let p = prog(&[
            (0x01, 0, 0, 0),
            (0x00, 0, 0, 7),
            (0x3c, 0, 0, 0),
            (0x06, 0, 0, 1),
        ]);
        assert!(!p.matches(&[], 0));
        let p = prog(&[
            (0x01, 0, 0, 0),
            (0x00, 0, 0, 7),
            (0x9c, 0, 0, 0),
            (0x06, 0, 0, 1),
        ]);
        assert!(!p.matches(&[], 0));
        let p = prog(&[
            (0x01, 0, 0, 2),
            (0x00, 0, 0, 7),
            (0x3c, 0, 0, 0),
            (0x16, 0, 0, 0),
        ]);
        assert_eq!(p.run(&[], 0), 3);
    }

    #[test]
    fn shifts_of_32_or_more_give_zero() {
        let p = prog(&[
            (0x01, 0, 0, 32),
            (0x00, 0, 0, 7),
            (0x6c, 0, 0, 0),
            (0x16, 0, 0, 0),
        ]);
        assert_eq!(p.run(&[], 0), 0);
        let p = prog(&[
            (0x01, 0, 0, 31),
            (0x00, 0, 0, 1),
            (0x6c, 0, 0, 0),
            (0x16, 0, 0, 0),
        ]);
        assert_eq!(p.run(&[], 0), 0x8000_0000);
    }

    #[test]
    fn indirect_load_overflow_rejects() {
        // ldx #0xffffffff; ldb [x + 1]; ret #1
        let p = prog(&[(0x01, 0, 0, u32::MAX), (0x50, 0, 0, 1), (0x06, 0, 0, 1)]);
        assert!(!p.matches(&[1, 2, 3], 3));
    }

    #[test]
    fn scratch_memory_round_trips() {
        // ld #5; st M[3]; ld #0; ldx M[3]; txa; ret a
        let p = prog(&[
            (0x00, 0, 0, 5),
            (0x02, 0, 0, 3),
            (0x00, 0, 0, 0),
            (0x61, 0, 0, 3),
            (0x87, 0, 0, 0),
            (0x16, 0, 0, 0),
        ]);
        assert_eq!(p.run(&[], 0), 5);
    }

    #[test]
    fn hostile_programs_are_rejected_without_panicking() {
        let bad = [
            prog(&[]),
            prog(&[(0x15, 5, 0, 0), (0x06, 0, 0, 1)]),
            prog(&[(0x60, 0, 0, 16), (0x06, 0, 0, 1)]),
            prog(&[(0xff, 0, 0, 0), (0x06, 0, 0, 1)]),
            prog(&[(0x34, 0, 0, 0), (0x06, 0, 0, 1)]),
            prog(&[(0x00, 0, 0, 0)]),
        ];
        for p in &bad {
            assert!(p.validate().is_err(), "{p:?}");
            assert!(!p.matches(&SYN, 54));
        }
        // An endless backward loop stops.
        let p = prog(&[(0x05, 0, 0, u32::MAX), (0x06, 0, 0, 1)]);
        assert!(p.validate().is_ok());
        assert!(!p.matches(&SYN, 54));
    }
}
