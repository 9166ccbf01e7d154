//! Finds where to put a uprobe on a Go function, in unstripped, stripped (`-ldflags=-s -w`,
//! strip(1)) and position-independent (`-buildmode=pie`) executables, without running them.
//!
//! Used by ptcpdump's TLS key log: `crypto/tls.(*Config).writeKeyLog` receives every secret a Go
//! program's TLS stack derives. The ELF symbol table names the function when it is there; otherwise
//! Go's own function table (`pclntab`), which the runtime needs and no stripping removes, does.
//! The answer is a file offset, which is what the kernel's uprobe interface takes.
//!
//! Pure: reads bytes, never the kernel or /proc. Hostile or truncated files give an error.
mod buildinfo;
mod elf;
mod pclntab;

use elf::Elf;
use pclntab::Pclntab;
use thiserror::Error;

/// The function every TLS secret of a Go program goes through (Go 1.8 and later):
/// `func (c *Config) writeKeyLog(label string, clientRandom, secret []byte) error`.
pub const WRITE_KEY_LOG: &str = "crypto/tls.(*Config).writeKeyLog";

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum Error {
    #[error("not an ELF executable")]
    NotElf,
    #[error("{0}")]
    Unsupported(String),
    #[error("not a Go program")]
    NotGo,
    #[error("built with {0}: Go 1.17 or later is needed (register calling convention)")]
    GoTooOld(String),
    #[error("Go program without {func}{}", .version.as_ref().map(|v| format!(" (built with {v})")).unwrap_or_default())]
    FunctionMissing {
        func: String,
        version: Option<String>,
    },
    #[error("malformed file: {0}")]
    Malformed(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Aarch64,
}

/// Where the function was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The ELF `.symtab`.
    Symtab,
    /// Go's function table (stripped executables).
    Pclntab,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub arch: Arch,
    /// Link-time virtual address of the function's first instruction.
    pub vaddr: u64,
    /// Offset of that instruction in the file (for the uprobe).
    pub file_offset: u64,
    pub source: Source,
    /// The toolchain that built the file (`go1.19.8`), when recorded.
    pub go_version: Option<String>,
}

/// Locates `crypto/tls.(*Config).writeKeyLog` in an executable's bytes.
pub fn locate_write_key_log(file: &[u8]) -> Result<Location, Error> {
    locate(file, WRITE_KEY_LOG)
}

/// Locates the Go function `func` (its full name as the Go runtime prints it).
pub fn locate(file: &[u8], func: &str) -> Result<Location, Error> {
    let elf = Elf::parse(file)?;
    let arch = match elf.machine {
        elf::EM_X86_64 => Arch::X86_64,
        elf::EM_AARCH64 => Arch::Aarch64,
        m => {
            return Err(Error::Unsupported(format!(
                "ELF machine {m} is not supported (x86-64 and arm64 are)"
            )));
        }
    };
    let go_version = buildinfo::go_version(&elf);
    if let Some(v) = &go_version
        && buildinfo::major_minor(v).is_some_and(|mm| mm < (1, 17))
    {
        return Err(Error::GoTooOld(v.clone()));
    }
    let (vaddr, source) = match elf.find_symbol(func)? {
        Some(sym) if sym.is_func && sym.value != 0 => (sym.value, Source::Symtab),
        _ => (from_pclntab(&elf, func, &go_version)?, Source::Pclntab),
    };
    let file_offset = elf
        .file_offset(vaddr)
        .ok_or(Error::Malformed("function outside the loadable segments"))?;
    Ok(Location {
        arch,
        vaddr,
        file_offset,
        source,
        go_version,
    })
}

/// A function table found in the file, with the virtual address of its header.
struct Found<'a> {
    table: Pclntab<'a>,
    vaddr: u64,
}

fn find_pclntab<'a>(elf: &Elf<'a>) -> (Option<Found<'a>>, Option<&'static str>) {
    // `.data.rel.ro.gopclntab` in position-independent executables of the Go linker.
    for s in elf
        .sections
        .iter()
        .filter(|s| s.name == ".gopclntab" || s.name == ".data.rel.ro.gopclntab")
    {
        let Ok(d) = s.data(elf.data) else { continue };
        if let Some(table) = Pclntab::parse(d) {
            return (
                Some(Found {
                    table,
                    vaddr: s.addr,
                }),
                None,
            );
        }
        if let Some(m) = elf::u32_at(d, 0)
            && let pclntab::Magic::TooOld(v) = pclntab::classify(m)
        {
            return (None, Some(v));
        }
    }
    // Position-independent and externally linked executables keep the table inside another
    // read-only section (`.data.rel.ro`, `.rodata`, `.noptrdata`): look for the magic there first.
    let mut too_old = None;
    let preferred = [".data.rel.ro", ".rodata", ".noptrdata"];
    let ordered = preferred.iter().filter_map(|n| elf.section(n)).chain(
        elf.sections
            .iter()
            .filter(|s| !preferred.contains(&s.name.as_str()) && s.addr != 0),
    );
    for s in ordered {
        let Ok(d) = s.data(elf.data) else { continue };
        let (at, old) = pclntab::scan(d);
        too_old = too_old.or(old);
        if let Some(at) = at
            && let Some(table) = Pclntab::parse(&d[at..])
        {
            return (
                Some(Found {
                    table,
                    vaddr: s.addr + at as u64,
                }),
                too_old,
            );
        }
    }
    if elf.sections.is_empty() {
        for seg in &elf.loads {
            let Some(d) = elf.bytes_at_vaddr(seg.vaddr) else {
                continue;
            };
            let (at, old) = pclntab::scan(d);
            too_old = too_old.or(old);
            if let Some(at) = at
                && let Some(table) = Pclntab::parse(&d[at..])
            {
                return (
                    Some(Found {
                        table,
                        vaddr: seg.vaddr + at as u64,
                    }),
                    too_old,
                );
            }
        }
    }
    (None, too_old)
}

fn from_pclntab(elf: &Elf<'_>, func: &str, version: &Option<String>) -> Result<u64, Error> {
    let (found, too_old) = find_pclntab(elf);
    let Some(Found { table, vaddr }) = found else {
        if let Some(v) = too_old {
            return Err(Error::GoTooOld(
                version.clone().unwrap_or_else(|| v.to_string()),
            ));
        }
        if version.is_some() {
            return Err(Error::Malformed(
                "Go program without a readable function table",
            ));
        }
        return Err(Error::NotGo);
    };
    let entry = table.find(func).ok_or_else(|| Error::FunctionMissing {
        func: func.to_string(),
        version: version.clone(),
    })?;
    Ok(text_start(elf, &table, vaddr)? + u64::from(entry))
}

/// `pcHeader.textStart`: stored in the file for fixed-address executables; in position-independent
/// ones it is 0 and a relative relocation supplies it at load time.
fn text_start(elf: &Elf<'_>, table: &Pclntab<'_>, header_vaddr: u64) -> Result<u64, Error> {
    if table.text_start != 0 {
        return Ok(table.text_start);
    }
    let field = header_vaddr + pclntab::text_start_field(table.ptr_size()) as u64;
    if let Some(v) = elf.relative_reloc_at(field) {
        return Ok(v);
    }
    // The Go linker puts runtime.text at the start of .text.
    if let Some(sym) = elf.find_symbol("runtime.text")? {
        return Ok(sym.value);
    }
    elf.section(".text")
        .map(|s| s.addr)
        .ok_or(Error::Malformed("cannot tell where the Go text starts"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{elf::tests::tiny_elf, pclntab::tests::table};

    #[test]
    fn symbol_table_wins() {
        let t = table(
            pclntab::MAGIC_GO120,
            0x40_0000,
            &[("runtime.text", 0), (WRITE_KEY_LOG, 0x10)],
        );
        let f = tiny_elf(0x40_0000, &t, (WRITE_KEY_LOG, 0x40_0020), (0, 0));
        let l = locate_write_key_log(&f).unwrap();
        assert_eq!(
            (l.source, l.vaddr, l.file_offset),
            (Source::Symtab, 0x40_0020, 0x20)
        );
        assert_eq!(l.arch, Arch::X86_64);
    }

    #[test]
    fn function_table_of_a_stripped_file() {
        let t = table(
            pclntab::MAGIC_GO118,
            0x40_0100,
            &[("runtime.text", 0), (WRITE_KEY_LOG, 0x10)],
        );
        let f = tiny_elf(0x40_0000, &t, ("other", 0x40_0020), (0, 0));
        let l = locate_write_key_log(&f).unwrap();
        assert_eq!(
            (l.source, l.vaddr, l.file_offset),
            (Source::Pclntab, 0x40_0110, 0x110)
        );
    }

    #[test]
    fn relocated_text_start_of_a_pie() {
        // textStart is 0 in the file; the relocation at the field gives 0x200.
        let t = table(
            pclntab::MAGIC_GO120,
            0,
            &[("runtime.text", 0), (WRITE_KEY_LOG, 0x30)],
        );
        let probe = tiny_elf(0, &t, ("other", 0), (0, 0));
        let data = Elf::parse(&probe).unwrap().section(".data").unwrap().addr;
        let f = tiny_elf(0, &t, ("other", 0), (data + 24, 0x200));
        let l = locate_write_key_log(&f).unwrap();
        assert_eq!((l.source, l.vaddr), (Source::Pclntab, 0x230));
    }

    #[test]
    fn clear_errors() {
        assert_eq!(locate_write_key_log(b"#!/bin/sh\n"), Err(Error::NotElf));
        let c = tiny_elf(0x1000, b"just a C program", ("main", 0x1000), (0, 0));
        assert_eq!(locate_write_key_log(&c), Err(Error::NotGo));
        let t = table(
            pclntab::MAGIC_GO120,
            0x1000,
            &[("runtime.text", 0), ("main.main", 0x10)],
        );
        let no_tls = tiny_elf(0x1000, &t, ("main.main", 0x1010), (0, 0));
        assert!(matches!(
            locate_write_key_log(&no_tls),
            Err(Error::FunctionMissing { .. })
        ));
        let old = table(pclntab::MAGIC_GO120, 0x1000, &[("a", 0)]);
        let mut old = old;
        old[..4].copy_from_slice(&pclntab::MAGIC_GO116.to_le_bytes());
        let f = tiny_elf(0x1000, &old, ("x", 0), (0, 0));
        assert!(matches!(locate_write_key_log(&f), Err(Error::GoTooOld(_))));
    }

    #[test]
    fn corrupted_files_never_panic() {
        let t = table(
            pclntab::MAGIC_GO120,
            0,
            &[("runtime.text", 0), (WRITE_KEY_LOG, 0x30)],
        );
        let f = tiny_elf(0x1000, &t, ("x", 0x1000), (0x1100, 0x200));
        for n in 0..f.len() {
            let _ = locate_write_key_log(&f[..n]);
        }
        for i in 0..f.len() {
            let mut c = f.clone();
            c[i] ^= 0xff;
            let _ = locate_write_key_log(&c);
        }
    }
}
