//! The Go toolchain version recorded in an executable (`.go.buildinfo`, read by `go version
//! FILE`; format of `debug/buildinfo`). A 32-byte header:
//!
//! ```text
//! "\xff Go buildinf:" (14 bytes), ptrSize u8, flags u8,
//! flags & 2 (Go 1.18+): the version string follows at offset 32, prefixed by its uvarint length
//! otherwise: at offset 16, a pointer to a Go string header {data pointer, length}
//! ```
//!
//! Used for messages and to refuse toolchains older than the register calling convention.
use crate::elf::{Elf, u32_at, u64_at};

pub const MAGIC: &[u8; 14] = b"\xff Go buildinf:";

/// The version string (`go1.19.8`), if the file has a readable build-info block.
pub fn go_version(elf: &Elf<'_>) -> Option<String> {
    if let Some(s) = elf.section(".go.buildinfo")
        && let Ok(d) = s.data(elf.data)
        && d.starts_with(MAGIC)
    {
        return parse(elf, d);
    }
    // No section headers: the block is 16-byte aligned in a writable data segment.
    elf.loads.iter().find_map(|seg| {
        let d = elf.bytes_at_vaddr(seg.vaddr)?;
        let mut off = 0;
        while off + 32 <= d.len() {
            if d[off..].starts_with(MAGIC)
                && let Some(v) = parse(elf, &d[off..])
            {
                return Some(v);
            }
            off += 16;
        }
        None
    })
}

fn parse(elf: &Elf<'_>, d: &[u8]) -> Option<String> {
    let ptr_size = usize::from(*d.get(14)?);
    let flags = *d.get(15)?;
    if flags & 2 != 0 {
        let (len, n) = uvarint(d.get(32..)?)?;
        let start = 32 + n;
        let v = d.get(start..start.checked_add(usize::try_from(len).ok()?)?)?;
        return text(v);
    }
    if flags & 1 != 0 {
        return None; // big-endian: not a target of this tool
    }
    let read_ptr = |b: &[u8], off: usize| -> Option<u64> {
        match ptr_size {
            8 => u64_at(b, off),
            4 => u32_at(b, off).map(u64::from),
            _ => None,
        }
    };
    let hdr = read_ptr(d, 16)?;
    let hdr = elf.bytes_at_vaddr(hdr)?;
    let (data, len) = (read_ptr(hdr, 0)?, read_ptr(hdr, ptr_size)?);
    let s = elf.bytes_at_vaddr(data)?;
    text(s.get(..usize::try_from(len).ok()?)?)
}

fn text(b: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(b).ok()?;
    (!s.is_empty() && s.len() < 128).then(|| s.to_string())
}

fn uvarint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, &byte) in b.iter().enumerate().take(10) {
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// `(major, minor)` of a `goX.Y[.Z]` version; `None` for development builds (`devel ...`).
pub fn major_minor(version: &str) -> Option<(u32, u32)> {
    let rest = version.strip_prefix("go")?;
    let mut parts = rest.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elf::tests::tiny_elf;

    #[test]
    fn inline_version_of_go_1_18_and_later() {
        let mut b = MAGIC.to_vec();
        b.extend([8, 2]);
        b.resize(32, 0);
        b.push(8);
        b.extend(b"go1.19.8");
        b.push(0);
        let f = tiny_elf(0x40_0000, &b, ("x", 0), (0, 0));
        let e = Elf::parse(&f).unwrap();
        // Found by scanning the segment (the section is called .data in this file).
        assert_eq!(go_version(&e).as_deref(), Some("go1.19.8"));
    }

    #[test]
    fn pointer_version_of_older_toolchains() {
        // The header points (by virtual address) at a string header inside the same block.
        let base = 0x40_0000u64;
        let probe = tiny_elf(base, &[0u8; 64], ("x", 0), (0, 0));
        let data_off = Elf::parse(&probe).unwrap().section(".data").unwrap().offset;
        let at = base + data_off;
        let mut b = MAGIC.to_vec();
        b.extend([8, 0]);
        b.extend((at + 32).to_le_bytes());
        b.resize(32, 0);
        b.extend((at + 48).to_le_bytes());
        b.extend(9u64.to_le_bytes());
        b.extend(b"go1.16.15");
        b.resize(64, 0);
        let f = tiny_elf(base, &b, ("x", 0), (0, 0));
        assert_eq!(
            go_version(&Elf::parse(&f).unwrap()).as_deref(),
            Some("go1.16.15")
        );
    }

    #[test]
    fn versions() {
        assert_eq!(major_minor("go1.19.8"), Some((1, 19)));
        assert_eq!(major_minor("go1.21rc2"), Some((1, 21)));
        assert_eq!(major_minor("go1.20"), Some((1, 20)));
        assert_eq!(major_minor("devel go1.22-abc"), None);
        assert_eq!(uvarint(&[0x96, 0x01]), Some((150, 2)));
        assert_eq!(uvarint(&[0x80; 12]), None);
    }
}
