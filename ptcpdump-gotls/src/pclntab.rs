//! Go's function table (`runtime.pclntab`), which every Go executable keeps, stripped or not,
//! because the runtime needs it for stack traces and garbage collection. Layout of Go 1.18 and
//! later (`runtime/symtab.go`, `pcHeader`; magic `0xfffffff0` for 1.18/1.19, `0xfffffff1` since
//! 1.20):
//!
//! ```text
//! pcHeader: magic u32, pad1 u8, pad2 u8, minLC u8, ptrSize u8,
//!           then ptrSize-wide words: nfunc, nfiles, textStart, funcnameOffset, cuOffset,
//!           filetabOffset, pctabOffset, pclnOffset   (offsets from the header)
//! pclntab (at pclnOffset): functab[nfunc + 1] of {entryOff u32, funcOff u32}, then the _func
//!           records; _func (at pclnOffset + funcOff) starts with {entryOff u32, nameOff i32}
//! funcnametab (at funcnameOffset): NUL-terminated names, indexed by nameOff
//! ```
//!
//! A function's address is `textStart + entryOff`. Older tables (magic `0xfffffffa` for 1.16/1.17,
//! `0xfffffffb` for 1.2-1.15) are recognised only to say that the Go version is too old.
use crate::elf::{u32_at, u64_at};

pub const MAGIC_GO118: u32 = 0xffff_fff0;
pub const MAGIC_GO120: u32 = 0xffff_fff1;
pub const MAGIC_GO116: u32 = 0xffff_fffa;
pub const MAGIC_GO12: u32 = 0xffff_fffb;

/// A validated Go 1.18+ function table.
#[derive(Debug)]
pub struct Pclntab<'a> {
    /// From the header to the end of the section or segment holding it.
    data: &'a [u8],
    ptr_size: usize,
    nfunc: usize,
    /// `pcHeader.textStart` as stored in the file (0 in position-independent executables, where
    /// the loader fills it in through a relocation).
    pub text_start: u64,
    funcname_off: usize,
    pcln_off: usize,
}

/// What the magic number at the start of a candidate header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magic {
    Supported,
    /// Go 1.2 to 1.17: another layout, and (before 1.17) the stack-based calling convention.
    TooOld(&'static str),
    None,
}

pub fn classify(magic: u32) -> Magic {
    match magic {
        MAGIC_GO118 | MAGIC_GO120 => Magic::Supported,
        MAGIC_GO116 => Magic::TooOld("go1.16/go1.17"),
        MAGIC_GO12 => Magic::TooOld("go1.2-go1.15"),
        _ => Magic::None,
    }
}

/// Offset of `pcHeader.textStart` from the header.
pub fn text_start_field(ptr_size: usize) -> usize {
    8 + 2 * ptr_size
}

impl<'a> Pclntab<'a> {
    /// Parses and checks a header at the start of `data`; `None` when these bytes are not a
    /// plausible Go 1.18+ function table (used to scan sections for the magic).
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let magic = u32_at(data, 0)?;
        if data.len() < 8 || classify(magic) != Magic::Supported {
            return None;
        }
        let (pad1, pad2, min_lc, ptr_size) = (data[4], data[5], data[6], data[7]);
        if pad1 != 0 || pad2 != 0 || !matches!(min_lc, 1 | 2 | 4) || !matches!(ptr_size, 4 | 8) {
            return None;
        }
        let ptr_size = usize::from(ptr_size);
        let word = |i: usize| -> Option<u64> {
            let off = 8 + i * ptr_size;
            if ptr_size == 8 {
                u64_at(data, off)
            } else {
                u32_at(data, off).map(u64::from)
            }
        };
        let nfunc = usize::try_from(word(0)?).ok()?;
        let text_start = word(2)?;
        let funcname_off = usize::try_from(word(3)?).ok()?;
        let pcln_off = usize::try_from(word(7)?).ok()?;
        let header_len = 8 + 8 * ptr_size;
        if nfunc == 0 || funcname_off < header_len || pcln_off < header_len {
            return None;
        }
        // The functab must fit, and its entries are sorted by address.
        let functab_len = nfunc.checked_add(1)?.checked_mul(8)?;
        if pcln_off.checked_add(functab_len)? > data.len() || funcname_off >= data.len() {
            return None;
        }
        let t = Pclntab {
            data,
            ptr_size,
            nfunc,
            text_start,
            funcname_off,
            pcln_off,
        };
        let (first_entry, first_func) = t.functab(0)?;
        let (last_entry, _) = t.functab(nfunc)?;
        if last_entry < first_entry {
            return None;
        }
        // The first _func record repeats its functab entry: a strong check against a random
        // match of the magic in data.
        if t.func_entry_and_name(first_func)?.0 != first_entry {
            return None;
        }
        Some(t)
    }

    pub fn ptr_size(&self) -> usize {
        self.ptr_size
    }

    fn functab(&self, i: usize) -> Option<(u32, u32)> {
        let off = self.pcln_off.checked_add(i.checked_mul(8)?)?;
        Some((u32_at(self.data, off)?, u32_at(self.data, off + 4)?))
    }

    fn func_entry_and_name(&self, func_off: u32) -> Option<(u32, &'a [u8])> {
        let rec = self.pcln_off.checked_add(func_off as usize)?;
        let entry = u32_at(self.data, rec)?;
        let name_off = u32_at(self.data, rec + 4)? as i32;
        let name_off = usize::try_from(name_off).ok()?;
        let name = crate::elf::cstr_at(self.data, self.funcname_off.checked_add(name_off)?)?;
        Some((entry, name))
    }

    /// Names and entry offsets (from `textStart`) of all functions; malformed records are skipped.
    pub fn functions(&self) -> impl Iterator<Item = (&'a [u8], u32)> + '_ {
        (0..self.nfunc).filter_map(|i| {
            let (_, func_off) = self.functab(i)?;
            let (entry, name) = self.func_entry_and_name(func_off)?;
            Some((name, entry))
        })
    }

    /// Entry offset (from `textStart`) of the function called `name`.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.functions()
            .find(|(n, _)| *n == name.as_bytes())
            .map(|(_, e)| e)
    }
}

/// Offsets in `data` where a Go 1.18+ table starts, and the first too-old magic seen (for the
/// error message). Tables are aligned to at least 4 bytes.
pub fn scan(data: &[u8]) -> (Option<usize>, Option<&'static str>) {
    let mut too_old = None;
    let mut off = 0;
    while off + 64 <= data.len() {
        // Every magic we know has 0xff in its three high bytes: skip the rest cheaply.
        if data[off + 1..off + 4] != [0xff, 0xff, 0xff] {
            off += 4;
            continue;
        }
        if let Some(m) = u32_at(data, off) {
            match classify(m) {
                Magic::Supported => {
                    if Pclntab::parse(&data[off..]).is_some() {
                        return (Some(off), too_old);
                    }
                }
                Magic::TooOld(v) => {
                    if too_old.is_none()
                        && data[off + 4] == 0
                        && data[off + 5] == 0
                        && matches!(data[off + 7], 4 | 8)
                    {
                        too_old = Some(v);
                    }
                }
                Magic::None => {}
            }
        }
        off += 4;
    }
    (None, too_old)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A Go 1.20-style table with the given functions (name, entry offset), 8-byte pointers.
    pub(crate) fn table(magic: u32, text_start: u64, funcs: &[(&str, u32)]) -> Vec<u8> {
        let header_len = 8 + 8 * 8;
        let mut names = Vec::new();
        let mut name_offs = Vec::new();
        for (n, _) in funcs {
            name_offs.push(names.len() as u32);
            names.extend(n.as_bytes());
            names.push(0);
        }
        let funcname_off = header_len;
        let pcln_off = funcname_off + names.len().next_multiple_of(8);
        let functab_len = (funcs.len() + 1) * 8;
        let mut functab = Vec::new();
        let mut records = Vec::new();
        for (i, (_, entry)) in funcs.iter().enumerate() {
            let func_off = (functab_len + records.len()) as u32;
            functab.extend(entry.to_le_bytes());
            functab.extend(func_off.to_le_bytes());
            records.extend(entry.to_le_bytes());
            records.extend(name_offs[i].to_le_bytes());
            records.extend([0u8; 8]);
        }
        let end = funcs.last().map(|f| f.1 + 0x10).unwrap_or(0);
        functab.extend(end.to_le_bytes());
        functab.extend(0u32.to_le_bytes());
        let mut t = Vec::new();
        t.extend(magic.to_le_bytes());
        t.extend([0, 0, 1, 8]);
        for w in [
            funcs.len() as u64,
            0,
            text_start,
            funcname_off as u64,
            0,
            0,
            0,
            pcln_off as u64,
        ] {
            t.extend(w.to_le_bytes());
        }
        t.extend(&names);
        t.resize(pcln_off, 0);
        t.extend(functab);
        t.extend(records);
        t
    }

    #[test]
    fn finds_functions_by_name() {
        let t = table(
            MAGIC_GO120,
            0x40_1000,
            &[
                ("runtime.text", 0),
                ("main.main", 0x40),
                ("crypto/tls.(*Config).writeKeyLog", 0x1230),
            ],
        );
        let p = Pclntab::parse(&t).unwrap();
        assert_eq!(p.text_start, 0x40_1000);
        assert_eq!(p.find("crypto/tls.(*Config).writeKeyLog"), Some(0x1230));
        assert_eq!(p.find("main.main"), Some(0x40));
        assert_eq!(p.find("main.mai"), None);
        assert_eq!(p.functions().count(), 3);
    }

    #[test]
    fn rejects_look_alikes() {
        let good = table(MAGIC_GO118, 0, &[("a", 0), ("b", 8)]);
        assert!(Pclntab::parse(&good).is_some());
        for (i, v) in [(4usize, 1u8), (6, 3), (7, 2)] {
            let mut t = good.clone();
            t[i] = v;
            assert!(Pclntab::parse(&t).is_none(), "byte {i} = {v} accepted");
        }
        // First _func record disagreeing with the functab.
        let mut t = good.clone();
        let pcln_off = u64::from_le_bytes(t[64..72].try_into().unwrap()) as usize;
        let first_func =
            u32::from_le_bytes(t[pcln_off + 4..pcln_off + 8].try_into().unwrap()) as usize;
        t[pcln_off + first_func] = 0x55;
        assert!(Pclntab::parse(&t).is_none());
        assert!(Pclntab::parse(&table(MAGIC_GO116, 0, &[("a", 0)])).is_none());
    }

    #[test]
    fn scan_finds_the_table_inside_other_data_and_reports_old_ones() {
        let mut d = vec![0x11u8; 36];
        d.extend(0xffff_fff0u32.to_le_bytes()); // a stray magic with a bad header
        d.extend([0x22u8; 60]);
        let at = d.len();
        d.extend(table(MAGIC_GO120, 0, &[("x", 0), ("y", 4)]));
        d.extend([0u8; 16]);
        assert_eq!(scan(&d), (Some(at), None));

        let mut old = vec![0u8; 8];
        old.extend(MAGIC_GO116.to_le_bytes());
        old.extend([0, 0, 1, 8]);
        old.extend([0u8; 100]);
        assert_eq!(scan(&old), (None, Some("go1.16/go1.17")));
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let t = table(
            MAGIC_GO120,
            0x1000,
            &[("a", 0), ("crypto/tls.(*Config).writeKeyLog", 0x20)],
        );
        for n in 0..t.len() {
            if let Some(p) = Pclntab::parse(&t[..n]) {
                let _ = p.find("crypto/tls.(*Config).writeKeyLog");
            }
            let _ = scan(&t[..n]);
        }
        // Every single-byte corruption.
        for i in 0..t.len() {
            let mut c = t.clone();
            c[i] ^= 0xa5;
            if let Some(p) = Pclntab::parse(&c) {
                let _ = p.functions().count();
            }
        }
    }
}
