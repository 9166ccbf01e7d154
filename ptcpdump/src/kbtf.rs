//! Byte offsets of kernel struct members, read from the running kernel's BTF
//! (`/sys/kernel/btf/vmlinux`), for the few places where a kernel program must follow a pointer
//! that no helper or tracepoint field gives (`task_struct.mm`, `mm_struct.arg_start`).
//!
//! Rust eBPF code carries no CO-RE relocations, so the offsets are found here at start-up and
//! handed to the programs in a map: the same object then works on every kernel, as CO-RE would.
//! Only what is needed is parsed: the type section's records (to walk them) and the names and
//! offsets of struct and union members. Format: the kernel's Documentation/bpf/btf.rst.
use std::collections::HashMap;

const MAGIC: u16 = 0xeb9f;

const KIND_INT: u32 = 1;
const KIND_ARRAY: u32 = 3;
const KIND_STRUCT: u32 = 4;
const KIND_UNION: u32 = 5;
const KIND_ENUM: u32 = 6;
const KIND_FUNC_PROTO: u32 = 13;
const KIND_VAR: u32 = 14;
const KIND_DATASEC: u32 = 15;
const KIND_DECL_TAG: u32 = 17;
const KIND_ENUM64: u32 = 19;

#[derive(Clone, Debug)]
struct Member {
    name: u32,
    ty: u32,
    bit_offset: u32,
}

#[derive(Clone, Debug)]
struct Composite {
    name: u32,
    members: Vec<Member>,
}

/// The structs and unions of one BTF blob, by type id.
pub struct Btf {
    strings: Vec<u8>,
    composites: HashMap<u32, Composite>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum BtfError {
    Malformed(&'static str),
    NoStruct(String),
    NoMember(String, String),
}

impl std::fmt::Display for BtfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BtfError::Malformed(what) => write!(f, "malformed BTF: {what}"),
            BtfError::NoStruct(s) => write!(f, "no struct {s} in the kernel's BTF"),
            BtfError::NoMember(s, m) => write!(f, "no member {m} in struct {s}"),
        }
    }
}

impl std::error::Error for BtfError {}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

impl Btf {
    pub fn from_sys_fs() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let data = std::fs::read(crate::kernel_btf::path())?;
        Ok(Self::parse(&data)?)
    }

    /// Parses a little-endian BTF blob (the only byte order of the kernels ptcpdump runs on).
    pub fn parse(data: &[u8]) -> Result<Self, BtfError> {
        let bad = BtfError::Malformed;
        if u16_at(data, 0) != Some(MAGIC) {
            return Err(bad("bad magic"));
        }
        let hdr_len = u32_at(data, 4).ok_or(bad("short header"))? as usize;
        let field = |off| {
            u32_at(data, off)
                .map(|v| v as usize)
                .ok_or(bad("short header"))
        };
        let (type_off, type_len, str_off, str_len) =
            (field(8)?, field(12)?, field(16)?, field(20)?);
        let section = |off: usize, len: usize| {
            data.get(hdr_len + off..hdr_len + off + len)
                .ok_or(bad("section out of bounds"))
        };
        let types = section(type_off, type_len)?;
        let strings = section(str_off, str_len)?.to_vec();
        let mut composites = HashMap::new();
        let mut pos = 0usize;
        let mut id = 1u32;
        while pos < types.len() {
            let name = u32_at(types, pos).ok_or(bad("truncated type"))?;
            let info = u32_at(types, pos + 4).ok_or(bad("truncated type"))?;
            let vlen = (info & 0xffff) as usize;
            let kind = (info >> 24) & 0x1f;
            let kind_flag = info >> 31 != 0;
            pos += 12;
            let extra = match kind {
                KIND_INT | KIND_VAR | KIND_DECL_TAG => 4,
                KIND_ARRAY => 12,
                KIND_STRUCT | KIND_UNION | KIND_DATASEC | KIND_ENUM64 => 12 * vlen,
                KIND_ENUM | KIND_FUNC_PROTO => 8 * vlen,
                0 | 2 | 7..=12 | 16 | 18 => 0,
                _ => return Err(bad("unknown type kind")),
            };
            if kind == KIND_STRUCT || kind == KIND_UNION {
                let mut members = Vec::with_capacity(vlen);
                for i in 0..vlen {
                    let m = pos + 12 * i;
                    let (Some(name), Some(ty), Some(off)) =
                        (u32_at(types, m), u32_at(types, m + 4), u32_at(types, m + 8))
                    else {
                        return Err(bad("truncated member"));
                    };
                    // With kind_flag the top 8 bits hold a bitfield's size.
                    let bit_offset = if kind_flag { off & 0x00ff_ffff } else { off };
                    members.push(Member {
                        name,
                        ty,
                        bit_offset,
                    });
                }
                composites.insert(id, Composite { name, members });
            }
            pos += extra;
            id += 1;
        }
        Ok(Btf {
            strings,
            composites,
        })
    }

    fn name(&self, off: u32) -> &[u8] {
        let s = self.strings.get(off as usize..).unwrap_or(&[]);
        let end = s.iter().position(|b| *b == 0).unwrap_or(s.len());
        &s[..end]
    }

    /// Byte offset of `member` in `struct name`, looking into anonymous structs and unions
    /// (`mm_struct` keeps its fields in one since 5.x).
    pub fn member_offset(&self, name: &str, member: &str) -> Result<u32, BtfError> {
        let (_, c) = self
            .composites
            .iter()
            .find(|(_, c)| self.name(c.name) == name.as_bytes() && !c.members.is_empty())
            .ok_or_else(|| BtfError::NoStruct(name.to_string()))?;
        self.find_in(c, member.as_bytes(), 0)
            .map(|bits| bits / 8)
            .ok_or_else(|| BtfError::NoMember(name.to_string(), member.to_string()))
    }

    fn find_in(&self, c: &Composite, member: &[u8], depth: u32) -> Option<u32> {
        if depth > 8 {
            return None;
        }
        for m in &c.members {
            if m.name != 0 && self.name(m.name) == member {
                return Some(m.bit_offset);
            }
            if m.name == 0
                && let Some(inner) = self.composites.get(&m.ty)
                && let Some(off) = self.find_in(inner, member, depth + 1)
            {
                return Some(m.bit_offset + off);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A BTF blob with: 1 = int, 2 = anonymous struct { long pad; long arg_start; long arg_end },
    /// 3 = struct mm_struct { <anon 2> at byte 8 }, 4 = struct task_struct { int a; ptr mm at 16 },
    /// 5 = ptr to 3.
    fn blob() -> Vec<u8> {
        let mut strings = vec![0u8];
        let mut s = |name: &str| {
            let off = strings.len() as u32;
            strings.extend_from_slice(name.as_bytes());
            strings.push(0);
            off
        };
        let names = [
            s("int"),
            s("pad"),
            s("arg_start"),
            s("arg_end"),
            s("mm_struct"),
            s("task_struct"),
            s("a"),
            s("mm"),
        ];
        let [int, pad, arg_start, arg_end, mm_struct, task_struct, a, mm] = names;
        let mut t: Vec<u8> = Vec::new();
        let mut push = |vals: &[u32]| {
            for v in vals {
                t.extend_from_slice(&v.to_le_bytes());
            }
        };
        // 1: int (size 8) and its encoding word.
        push(&[int, KIND_INT << 24, 8, 64]);
        // 2: anonymous struct of three members.
        push(&[0, KIND_STRUCT << 24 | 3, 24]);
        push(&[pad, 1, 0, arg_start, 1, 64, arg_end, 1, 128]);
        // 3: struct mm_struct { <2> at bit 64 }.
        push(&[mm_struct, KIND_STRUCT << 24 | 1, 32]);
        push(&[0, 2, 64]);
        // 4: struct task_struct { a: 3-bit bitfield (kind_flag), mm at bit 128 }.
        push(&[task_struct, 1 << 31 | KIND_STRUCT << 24 | 2, 24]);
        push(&[a, 1, 3 << 24, mm, 5, 128]);
        // 5: pointer to 3.
        push(&[0, 2 << 24, 3]);
        let mut b = Vec::new();
        b.extend_from_slice(&MAGIC.to_le_bytes());
        b.extend_from_slice(&[1, 0]);
        for v in [
            24u32,
            0,
            t.len() as u32,
            t.len() as u32,
            strings.len() as u32,
        ] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&t);
        b.extend_from_slice(&strings);
        b
    }

    #[test]
    fn offsets_through_anonymous_members() {
        let btf = Btf::parse(&blob()).unwrap();
        assert_eq!(btf.member_offset("task_struct", "mm"), Ok(16));
        assert_eq!(btf.member_offset("mm_struct", "arg_start"), Ok(16));
        assert_eq!(btf.member_offset("mm_struct", "arg_end"), Ok(24));
        assert_eq!(
            btf.member_offset("mm_struct", "env_start"),
            Err(BtfError::NoMember("mm_struct".into(), "env_start".into()))
        );
        assert!(matches!(
            btf.member_offset("files_struct", "fdt"),
            Err(BtfError::NoStruct(_))
        ));
    }

    #[test]
    fn truncated_blobs_are_errors_not_panics() {
        let b = blob();
        for n in 0..b.len() {
            let _ = Btf::parse(&b[..n]);
        }
        assert!(Btf::parse(&b[..b.len() - 1]).is_err());
        assert!(Btf::parse(b"\x9f\xeb").is_err());
    }

    #[test]
    fn running_kernel_has_the_exec_members() {
        // Every kernel ptcpdump supports has BTF; skip quietly on a build machine without it.
        let Ok(btf) = Btf::from_sys_fs() else {
            eprintln!("no /sys/kernel/btf/vmlinux: skipped");
            return;
        };
        let mm = btf.member_offset("task_struct", "mm").unwrap();
        let start = btf.member_offset("mm_struct", "arg_start").unwrap();
        let end = btf.member_offset("mm_struct", "arg_end").unwrap();
        eprintln!("task_struct.mm at {mm}, mm_struct.arg_start at {start}");
        assert!(mm > 0 && start > 0);
        assert_eq!(end, start + 8, "arg_end follows arg_start in mm_struct");
    }
}
