//! CDP, Cisco Discovery Protocol (no RFC; see Cisco's documentation and tcpdump's
//! print-cdp.c), carried in SNAP with OUI 00:00:0c and PID 0x2000.
//!
//! Header: version (1), TTL (1), checksum (2); then TLVs of type (2), length (2, including the
//! 4-byte TLV header) and value.

use super::util_print::{plural, print_unknown_data, printn, push_char, tail};
use super::{Ctx, bittok2str, pr};
use crate::cursor::{Bytes, PResult, Truncated};

const CDP_HEADER_LEN: u32 = 4;
const CDP_TLV_HEADER_LEN: u32 = 4;
const T_DEV_ID: u16 = 0x01;

const CDP_CAPABILITY_VALUES: &[(u32, &str)] = &[
    (0x01, "Router"),
    (0x02, "Transparent Bridge"),
    (0x04, "Source Route Bridge"),
    (0x08, "L2 Switch"),
    (0x10, "L3 capable"),
    (0x20, "IGMP snooping"),
    (0x40, "L1 capable"),
];

#[derive(Clone, Copy)]
enum Kind {
    String,
    Addr,
    Capability,
    Version,
    Prefixes,
    Uint16,
    Duplex,
    Ata186,
    Power,
    Mtu,
    Uint8x,
    PhysLoc,
}

/// Name, printer and (min, max) value length of each known TLV type (0 = no limit).
fn tlv_info(t: u16) -> Option<(&'static str, Option<Kind>, u32, u32)> {
    use Kind::*;
    Some(match t {
        0x01 => ("Device-ID", Some(String), 0, 0),
        0x02 => ("Address", Some(Addr), 0, 0),
        0x03 => ("Port-ID", Some(String), 0, 0),
        0x04 => ("Capability", Some(Capability), 4, 4),
        0x05 => ("Version String", Some(Version), 0, 0),
        0x06 => ("Platform", Some(String), 0, 0),
        0x07 => ("Prefixes", Some(Prefixes), 0, 0),
        0x08 => ("Protocol-Hello option", None, 0, 0),
        0x09 => ("VTP Management Domain", Some(String), 0, 0),
        0x0a => ("Native VLAN ID", Some(Uint16), 2, 2),
        0x0b => ("Duplex", Some(Duplex), 1, 1),
        0x0e => ("ATA-186 VoIP VLAN assignment", Some(Ata186), 3, 3),
        0x0f => ("ATA-186 VoIP VLAN request", Some(Ata186), 2, 3),
        0x10 => ("power consumption", Some(Power), 1, 3),
        0x11 => ("MTU", Some(Mtu), 4, 4),
        0x12 => ("AVVID trust bitmap", Some(Uint8x), 1, 1),
        0x13 => ("AVVID untrusted ports CoS", Some(Uint8x), 1, 1),
        0x14 => ("System Name", Some(String), 0, 0),
        0x15 => ("System Object ID (not decoded)", None, 0, 0),
        0x16 => ("Management Addresses", Some(Addr), 4, 0),
        0x17 => ("Physical Location", Some(PhysLoc), 1, 0),
        _ => return None,
    })
}

fn value_print(ctx: &mut Ctx, kind: Kind, p: &[u8], len: u32) -> PResult {
    match kind {
        Kind::String => {
            ctx.push("'");
            printn(ctx, p, len as usize)?;
            ctx.push("'");
        }
        Kind::Addr => addr_print(ctx, p, len)?,
        Kind::Capability => {
            let v = p.be_u32(0)?;
            pr!(ctx, "(0x{:08x}): ", v);
            bittok2str(ctx.out, CDP_CAPABILITY_VALUES, "none", v, ", ");
        }
        Kind::Version => {
            ctx.push("\n\t  ");
            for i in 0..len as usize {
                let c = p.u8_at(i)?;
                if c == b'\n' {
                    ctx.push("\n\t  ");
                } else {
                    push_char(ctx.out, c);
                }
            }
        }
        Kind::Prefixes => {
            if !len.is_multiple_of(5) {
                pr!(ctx, " [length {} is not a multiple of 5]", len);
                p.sub(0, len as usize)?;
                return Ok(());
            }
            pr!(ctx, " IPv4 Prefixes ({}):", len / 5);
            for i in (0..len as usize).step_by(5) {
                let b = p.sub(i, 5)?;
                pr!(ctx, " {}.{}.{}.{}/{}", b[0], b[1], b[2], b[3], b[4]);
            }
        }
        Kind::Uint16 => pr!(ctx, "{}", p.be_u16(0)?),
        Kind::Duplex => ctx.push(if p.u8_at(0)? != 0 { "full" } else { "half" }),
        Kind::Ata186 => {
            if len == 2 {
                pr!(ctx, "unknown 0x{:04x}", p.be_u16(0)?);
            } else {
                pr!(ctx, "app {}, vlan {}", p.u8_at(0)?, p.be_u16(1)?);
            }
        }
        Kind::Power => {
            let v = match len {
                1 => p.u8_at(0)? as u32,
                2 => p.be_u16(0)? as u32,
                3 => p.be_u24(0)?,
                _ => 0,
            };
            pr!(ctx, "{:1.2}W", v as f64 / 1000.0);
        }
        Kind::Mtu => pr!(ctx, "{} bytes", p.be_u32(0)?),
        Kind::Uint8x => pr!(ctx, "0x{:02x}", p.u8_at(0)?),
        Kind::PhysLoc => {
            pr!(ctx, "0x{:02x}", p.u8_at(0)?);
            if len > 1 {
                ctx.push("/");
                printn(ctx, tail(p, 1), len as usize - 1)?;
            }
        }
    }
    Ok(())
}

/// A CDP packet.
pub fn cdp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "cdp";
    let orig_length = length;
    if length < CDP_HEADER_LEN {
        pr!(ctx, " (packet length {} < {})", length, CDP_HEADER_LEN);
        ctx.print_invalid();
        p.sub(0, length as usize)?;
        return Ok(());
    }
    pr!(ctx, "CDPv{}, ttl: {}s", p.u8_at(0)?, p.u8_at(1)?);
    let checksum = p.be_u16(2)?;
    if ctx.vflag() > 0 {
        pr!(
            ctx,
            ", checksum: 0x{:04x} (unverified), length {}",
            checksum,
            orig_length
        );
    }
    let mut off = CDP_HEADER_LEN as usize;
    let mut length = length - CDP_HEADER_LEN;
    let invalid = |ctx: &mut Ctx, off: usize, length: u32| -> PResult {
        ctx.print_invalid();
        if p.has(off, length as usize) {
            Ok(())
        } else {
            Err(Truncated)
        }
    };
    while length > 0 {
        if length < CDP_TLV_HEADER_LEN {
            pr!(
                ctx,
                " (remaining packet length {} < {})",
                length,
                CDP_TLV_HEADER_LEN
            );
            return invalid(ctx, off, length);
        }
        let ty = p.be_u16(off)?;
        let mut len = p.be_u16(off + 2)? as u32;
        let info = tlv_info(ty);
        let name = info.map(|i| i.0).unwrap_or("unknown field type");
        if len < CDP_TLV_HEADER_LEN {
            if ctx.vflag() > 0 {
                pr!(
                    ctx,
                    "\n\t{} (0x{:02x}), TLV length: {} byte{} (too short)",
                    name,
                    ty,
                    len,
                    plural(len)
                );
            } else {
                pr!(ctx, ", {} TLV length {} too short", name, len);
            }
            return invalid(ctx, off, length);
        }
        if len > length {
            pr!(ctx, " (TLV length {} > {})", len, length);
            return invalid(ctx, off, length);
        }
        off += CDP_TLV_HEADER_LEN as usize;
        length -= CDP_TLV_HEADER_LEN;
        len -= CDP_TLV_HEADER_LEN;
        if ctx.vflag() == 0 && ty == T_DEV_ID {
            ctx.push(", Device-ID ");
        } else if ctx.vflag() > 0 {
            pr!(
                ctx,
                "\n\t{} (0x{:02x}), value length: {} byte{}: ",
                name,
                ty,
                len,
                plural(len)
            );
        }
        let mut covered = false;
        if let Some((_, printer, min, max)) = info {
            if (min > 0 && len < min) || (max > 0 && len > max) {
                ctx.push(" (malformed TLV)");
            } else if ctx.vflag() > 0 || ty == T_DEV_ID {
                match printer {
                    Some(k) => value_print(ctx, k, tail(p, off), len)?,
                    None => {
                        p.sub(off, len as usize)?;
                    }
                }
                covered = true;
            }
        }
        if !covered {
            p.sub(off, len as usize)?;
            print_unknown_data(ctx, tail(p, off), "\n\t  ", len as usize);
        }
        off += len as usize;
        length -= len;
    }
    if ctx.vflag() < 1 {
        pr!(ctx, ", length {}", orig_length);
    }
    Ok(())
}

fn addr_print(ctx: &mut Ctx, p: &[u8], l: u32) -> PResult {
    const PROT_IPV6: [u8; 8] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd];
    let mut l = l as usize;
    let mut off = 0usize;
    let invalid = |off: usize, l: usize| -> PResult {
        if p.has(off, l) {
            Ok(())
        } else {
            Err(Truncated)
        }
    };
    if l < 4 {
        ctx.push(" (not enough space for num)");
        return invalid(off, l);
    }
    let mut num = p.be_u32(0)?;
    off += 4;
    l -= 4;
    while num > 0 {
        if l < 2 {
            ctx.push(" (not enough space for PT+PL)");
            return invalid(off, l);
        }
        let pt = p.u8_at(off)?;
        let pl = p.u8_at(off + 1)? as usize;
        off += 2;
        l -= 2;
        if l < pl + 2 {
            ctx.push(" (not enough space for P+AL)");
            return invalid(off, l);
        }
        let al = p.be_u16(off + pl)? as usize;
        // NLPID 0xcc with a 4-byte address, or the 802.2 header of IPv6 with a 16-byte one.
        let family = if pt == 1 && pl == 1 && p.u8_at(off)? == 0xcc && al == 4 {
            Some("IPv4")
        } else if pt == 2 && pl == 8 && p.sub(off, 8)? == PROT_IPV6 && al == 16 {
            Some("IPv6")
        } else {
            None
        };
        if let Some(family) = family {
            off += pl + 2;
            l -= pl + 2;
            if l < al {
                ctx.push(" (not enough space for A)");
                return invalid(off, l);
            }
            let a = p.sub(off, al)?;
            pr!(ctx, "{} ({}) ", family, num);
            ctx.ip(a);
            off += al;
            l -= al;
        } else {
            pr!(ctx, "pt=0x{:02x}, pl={}, pb=", pt, pl);
            for _ in 0..pl {
                pr!(ctx, " {:02x}", p.u8_at(off)?);
                off += 1;
                l -= 1;
            }
            pr!(ctx, ", al={}, a=", al);
            off += 2;
            l -= 2;
            if l < al {
                ctx.push(" (not enough space for A)");
                return invalid(off, l);
            }
            for _ in 0..al {
                pr!(ctx, " {:02x}", p.u8_at(off)?);
                off += 1;
                l -= 1;
            }
        }
        num -= 1;
        if num > 0 {
            ctx.push(" ");
        }
    }
    if l > 0 {
        pr!(ctx, " ({} bytes of stray data)", l);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8], verbose: u8) -> (String, PResult) {
        run_with(&opts(verbose, false), |ctx| {
            cdp_print(ctx, p, p.len() as u32)
        })
    }

    const PKT: &[u8] = &[
        2, 180, 0x0b, 0xea, // header
        0, 1, 0, 6, b'S', b'1', // Device-ID
        0, 2, 0, 17, 0, 0, 0, 1, 1, 1, 0xcc, 0, 4, 10, 0, 0, 1, // Address
        0, 0x0b, 0, 5, 1, // Duplex
        0, 0x1a, 0, 6, 0xab, 0xcd, // unknown
    ];

    #[test]
    fn tlvs() {
        // Without -v, TLVs other than Device-ID are dumped in hex (tcpdump 4.99 does so).
        assert_eq!(
            run(PKT, 0).0,
            "CDPv2, ttl: 180s, Device-ID 'S1'\n\t  0x0000:  0000 0001 0101 cc00 040a 0000 01\
             \n\t  0x0000:  01\n\t  0x0000:  abcd, length 38"
        );
        assert_eq!(
            run(PKT, 1).0,
            "CDPv2, ttl: 180s, checksum: 0x0bea (unverified), length 38\
             \n\tDevice-ID (0x01), value length: 2 bytes: 'S1'\
             \n\tAddress (0x02), value length: 13 bytes: IPv4 (1) 10.0.0.1\
             \n\tDuplex (0x0b), value length: 1 byte: full\
             \n\tunknown field type (0x1a), value length: 2 bytes: \n\t  0x0000:  abcd"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(PKT, &verbosities(1), |ctx, p| {
            cdp_print(ctx, p, PKT.len() as u32)
        });
    }
}
