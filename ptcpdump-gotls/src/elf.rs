//! The few parts of a 64-bit little-endian ELF file (System V gABI, "ELF-64 Object File Format")
//! that locating a function needs: section and program headers, the symbol table, and the
//! `R_*_RELATIVE` relocations of position-independent executables. Every read is bounds-checked:
//! a truncated or hostile file gives `Error::Malformed`, never a panic.
use crate::Error;

pub const EM_X86_64: u16 = 62;
pub const EM_AARCH64: u16 = 183;

const SHT_SYMTAB: u32 = 2;
const SHT_RELA: u32 = 4;
const SHT_NOBITS: u32 = 8;
const PT_LOAD: u32 = 1;
const STT_FUNC: u8 = 2;
const R_X86_64_RELATIVE: u32 = 8;
const R_AARCH64_RELATIVE: u32 = 1027;

/// Little-endian reads that return `None` past the end.
pub fn u16_at(d: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(off..off.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(off..off.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub fn u64_at(d: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        d.get(off..off.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The NUL-terminated string at `off` (without the NUL); `None` when it runs past the end.
pub fn cstr_at(d: &[u8], off: usize) -> Option<&[u8]> {
    let rest = d.get(off..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    Some(&rest[..end])
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub kind: u32,
    pub addr: u64,
    pub offset: u64,
    pub size: u64,
    pub link: u32,
}

impl Section {
    /// The section's bytes in the file (empty for `SHT_NOBITS`, e.g. `.bss`).
    pub fn data<'a>(&self, file: &'a [u8]) -> Result<&'a [u8], Error> {
        if self.kind == SHT_NOBITS {
            return Ok(&[]);
        }
        range(file, self.offset, self.size).ok_or(Error::Malformed("section outside the file"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub value: u64,
    pub is_func: bool,
}

/// A parsed ELF header with its section and loadable-segment tables.
#[derive(Debug)]
pub struct Elf<'a> {
    pub data: &'a [u8],
    pub machine: u16,
    pub sections: Vec<Section>,
    pub loads: Vec<Segment>,
}

fn range(d: &[u8], off: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(off).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    d.get(start..end)
}

impl<'a> Elf<'a> {
    pub fn parse(data: &'a [u8]) -> Result<Self, Error> {
        if data.len() < 64 || &data[..4] != b"\x7fELF" {
            return Err(Error::NotElf);
        }
        if data[4] != 2 || data[5] != 1 {
            return Err(Error::Unsupported(
                "only 64-bit little-endian ELF files are supported".into(),
            ));
        }
        let bad = Error::Malformed("ELF header");
        let machine = u16_at(data, 18).ok_or(bad.clone())?;
        let phoff = u64_at(data, 32).ok_or(bad.clone())?;
        let shoff = u64_at(data, 40).ok_or(bad.clone())?;
        let phentsize = u64::from(u16_at(data, 54).ok_or(bad.clone())?);
        let phnum = u64::from(u16_at(data, 56).ok_or(bad.clone())?);
        let shentsize = u64::from(u16_at(data, 58).ok_or(bad.clone())?);
        let shnum = u64::from(u16_at(data, 60).ok_or(bad.clone())?);
        let shstrndx = usize::from(u16_at(data, 62).ok_or(bad)?);

        let mut loads = Vec::new();
        if phnum > 0 {
            if phentsize < 56 {
                return Err(Error::Malformed("program header size"));
            }
            for i in 0..phnum {
                let ph = range(data, phoff + i * phentsize, 56)
                    .ok_or(Error::Malformed("program header outside the file"))?;
                if u32_at(ph, 0) == Some(PT_LOAD) {
                    loads.push(Segment {
                        offset: u64_at(ph, 8).unwrap_or(0),
                        vaddr: u64_at(ph, 16).unwrap_or(0),
                        filesz: u64_at(ph, 32).unwrap_or(0),
                    });
                }
            }
        }

        // Section headers are optional for execution (sstrip removes them): an empty list is fine.
        let mut raw = Vec::new();
        if shoff != 0 && shnum > 0 {
            if shentsize < 64 {
                return Err(Error::Malformed("section header size"));
            }
            for i in 0..shnum {
                let sh = range(data, shoff + i * shentsize, 64)
                    .ok_or(Error::Malformed("section header outside the file"))?;
                raw.push((
                    u32_at(sh, 0).unwrap_or(0),
                    Section {
                        name: String::new(),
                        kind: u32_at(sh, 4).unwrap_or(0),
                        addr: u64_at(sh, 16).unwrap_or(0),
                        offset: u64_at(sh, 24).unwrap_or(0),
                        size: u64_at(sh, 32).unwrap_or(0),
                        link: u32_at(sh, 40).unwrap_or(0),
                    },
                ));
            }
        }
        let names: &[u8] = match raw.get(shstrndx) {
            Some((_, s)) => s.data(data).unwrap_or(&[]),
            None => &[],
        };
        let sections = raw
            .into_iter()
            .map(|(name_off, mut s)| {
                if let Some(n) = cstr_at(names, name_off as usize) {
                    s.name = String::from_utf8_lossy(n).into_owned();
                }
                s
            })
            .collect();
        Ok(Elf {
            data,
            machine,
            sections,
            loads,
        })
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// File offset of a virtual address, through the loadable segment that maps it from the file.
    /// This is the offset the kernel's uprobe interface wants.
    pub fn file_offset(&self, vaddr: u64) -> Option<u64> {
        self.loads
            .iter()
            .find(|p| vaddr >= p.vaddr && vaddr - p.vaddr < p.filesz)
            .map(|p| vaddr - p.vaddr + p.offset)
    }

    /// The file bytes that back `[vaddr, end of its segment)`.
    pub fn bytes_at_vaddr(&self, vaddr: u64) -> Option<&'a [u8]> {
        let p = self
            .loads
            .iter()
            .find(|p| vaddr >= p.vaddr && vaddr - p.vaddr < p.filesz)?;
        range(
            self.data,
            vaddr - p.vaddr + p.offset,
            p.filesz - (vaddr - p.vaddr),
        )
    }

    /// Function symbols of `.symtab` whose name is `name` (absent in stripped files).
    pub fn find_symbol(&self, name: &str) -> Result<Option<Symbol>, Error> {
        let Some(symtab) = self.sections.iter().find(|s| s.kind == SHT_SYMTAB) else {
            return Ok(None);
        };
        let strtab = self
            .sections
            .get(symtab.link as usize)
            .ok_or(Error::Malformed("symbol table without string table"))?
            .data(self.data)?;
        let syms = symtab.data(self.data)?;
        for sym in syms.chunks_exact(24) {
            let name_off = u32_at(sym, 0).unwrap_or(0) as usize;
            if cstr_at(strtab, name_off) == Some(name.as_bytes()) {
                return Ok(Some(Symbol {
                    name: name.to_string(),
                    value: u64_at(sym, 8).unwrap_or(0),
                    is_func: sym[4] & 0xf == STT_FUNC,
                }));
            }
        }
        Ok(None)
    }

    /// The addend of the `R_*_RELATIVE` relocation that patches the 8 bytes at `vaddr` when a
    /// position-independent executable is loaded (the value the loader writes there, minus the
    /// load base).
    pub fn relative_reloc_at(&self, vaddr: u64) -> Option<u64> {
        let want = match self.machine {
            EM_X86_64 => R_X86_64_RELATIVE,
            EM_AARCH64 => R_AARCH64_RELATIVE,
            _ => return None,
        };
        for s in self.sections.iter().filter(|s| s.kind == SHT_RELA) {
            let Ok(d) = s.data(self.data) else { continue };
            for r in d.chunks_exact(24) {
                let offset = u64_at(r, 0)?;
                let info = u64_at(r, 8)?;
                if offset == vaddr && (info & 0xffff_ffff) as u32 == want {
                    return u64_at(r, 16);
                }
            }
        }
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal ELF64 file: one PT_LOAD segment mapping the whole file at `base`, section headers
    /// for `.shstrtab`, `.symtab` (one function symbol), `.strtab`, `.rela.dyn` (one relocation)
    /// and `.data` holding `payload`.
    pub(crate) fn tiny_elf(
        base: u64,
        payload: &[u8],
        sym: (&str, u64),
        rela: (u64, u64),
    ) -> Vec<u8> {
        let mut f = vec![0u8; 64];
        let ph_off = f.len();
        f.extend([0u8; 56]);
        let shstr = b"\0.shstrtab\0.symtab\0.strtab\0.rela.dyn\0.data\0".to_vec();
        let shstr_off = f.len();
        f.extend(&shstr);
        let mut strtab = vec![0u8];
        strtab.extend(sym.0.as_bytes());
        strtab.push(0);
        let strtab_off = f.len();
        f.extend(&strtab);
        while !f.len().is_multiple_of(8) {
            f.push(0);
        }
        let symtab_off = f.len();
        f.extend([0u8; 24]); // the null symbol
        let mut s = [0u8; 24];
        s[0..4].copy_from_slice(&1u32.to_le_bytes());
        s[4] = STT_FUNC;
        s[8..16].copy_from_slice(&sym.1.to_le_bytes());
        f.extend(s);
        let rela_off = f.len();
        let mut r = [0u8; 24];
        r[0..8].copy_from_slice(&rela.0.to_le_bytes());
        r[8..16].copy_from_slice(&u64::from(R_X86_64_RELATIVE).to_le_bytes());
        r[16..24].copy_from_slice(&rela.1.to_le_bytes());
        f.extend(r);
        let data_off = f.len();
        f.extend(payload);
        while !f.len().is_multiple_of(8) {
            f.push(0);
        }
        let sh_off = f.len();
        let sh = |name: u32, kind: u32, off: usize, size: usize, link: u32| {
            let mut h = [0u8; 64];
            h[0..4].copy_from_slice(&name.to_le_bytes());
            h[4..8].copy_from_slice(&kind.to_le_bytes());
            h[16..24].copy_from_slice(&(base + off as u64).to_le_bytes());
            h[24..32].copy_from_slice(&(off as u64).to_le_bytes());
            h[32..40].copy_from_slice(&(size as u64).to_le_bytes());
            h[40..44].copy_from_slice(&link.to_le_bytes());
            h
        };
        let headers = [
            sh(0, 0, 0, 0, 0),
            sh(1, 3, shstr_off, shstr.len(), 0),
            sh(11, SHT_SYMTAB, symtab_off, 48, 3),
            sh(19, 3, strtab_off, strtab.len(), 0),
            sh(27, SHT_RELA, rela_off, 24, 0),
            sh(37, 1, data_off, payload.len(), 0),
        ];
        for h in headers {
            f.extend(h);
        }
        let total = f.len() as u64;
        f[..4].copy_from_slice(b"\x7fELF");
        f[4] = 2;
        f[5] = 1;
        f[6] = 1;
        f[16..18].copy_from_slice(&3u16.to_le_bytes());
        f[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        f[32..40].copy_from_slice(&(ph_off as u64).to_le_bytes());
        f[40..48].copy_from_slice(&(sh_off as u64).to_le_bytes());
        f[54..56].copy_from_slice(&56u16.to_le_bytes());
        f[56..58].copy_from_slice(&1u16.to_le_bytes());
        f[58..60].copy_from_slice(&64u16.to_le_bytes());
        f[60..62].copy_from_slice(&(headers.len() as u16).to_le_bytes());
        f[62..64].copy_from_slice(&1u16.to_le_bytes());
        let ph = &mut f[ph_off..ph_off + 56];
        ph[0..4].copy_from_slice(&PT_LOAD.to_le_bytes());
        ph[16..24].copy_from_slice(&base.to_le_bytes());
        ph[32..40].copy_from_slice(&total.to_le_bytes());
        ph[40..48].copy_from_slice(&total.to_le_bytes());
        f
    }

    #[test]
    fn sections_symbols_relocations_and_offsets() {
        let f = tiny_elf(
            0x40_0000,
            b"payload!",
            ("main.f", 0x40_0123),
            (0x40_0200, 0x1234),
        );
        let e = Elf::parse(&f).unwrap();
        assert_eq!(e.machine, EM_X86_64);
        let d = e.section(".data").unwrap();
        assert_eq!(d.data(&f).unwrap(), b"payload!");
        let s = e.find_symbol("main.f").unwrap().unwrap();
        assert_eq!(s.value, 0x40_0123);
        assert!(s.is_func);
        assert_eq!(e.find_symbol("main.g").unwrap(), None);
        assert_eq!(e.file_offset(0x40_0123), Some(0x123));
        assert_eq!(e.file_offset(0x3f_ffff), None);
        assert_eq!(e.file_offset(0x40_0000 + f.len() as u64), None);
        assert_eq!(e.relative_reloc_at(0x40_0200), Some(0x1234));
        assert_eq!(e.relative_reloc_at(0x40_0208), None);
        assert_eq!(
            &e.bytes_at_vaddr(0x40_0000 + d.offset).unwrap()[..8],
            b"payload!"
        );
    }

    #[test]
    fn not_elf_and_other_classes() {
        assert!(matches!(
            Elf::parse(b"#!/bin/sh\necho hi\n"),
            Err(Error::NotElf)
        ));
        let mut f = tiny_elf(0, b"x", ("a", 0), (0, 0));
        f[4] = 1;
        assert!(matches!(Elf::parse(&f), Err(Error::Unsupported(_))));
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let f = tiny_elf(
            0x1000,
            b"0123456789abcdef",
            ("crypto/tls.x", 0x1010),
            (0x1100, 7),
        );
        for n in 0..f.len() {
            if let Ok(e) = Elf::parse(&f[..n]) {
                let _ = e.find_symbol("crypto/tls.x");
                let _ = e.relative_reloc_at(0x1100);
                for s in &e.sections {
                    let _ = s.data(&f[..n]);
                }
            }
        }
    }
}
