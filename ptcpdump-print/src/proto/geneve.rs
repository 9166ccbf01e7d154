//! Geneve, Generic Network Virtualization Encapsulation (RFC 8926); tcpdump's print-geneve.c.
//!
//! ```text
//! |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
//! |        Virtual Network Identifier (VNI)       |    Reserved   |
//! |                    Variable Length Options                    |
//! ```
//! Option: class (16), type (8), R R R length (5, in 4-byte words), data.

use super::util_print::{avail, tail};
use super::{Ctx, bittok2str, ether, ethertype_print, pr, tok};
use crate::cursor::{Bytes, PResult};

const ETHERTYPE_TEB: u16 = 0x6558;
const OPT_TYPE_CRITICAL: u8 = 0x80;

const GENEVE_FLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "O"),
    (0x40, "C"),
    (0x20, "R1"),
    (0x10, "R2"),
    (0x08, "R3"),
    (0x04, "R4"),
    (0x02, "R5"),
    (0x01, "R6"),
];

fn opt_class_name(class: u16) -> &'static str {
    match class {
        0x0100 => "Linux",
        0x0101 => "Open vSwitch",
        0x0102 => "Open Virtual Networking (OVN)",
        0x0103 => "In-band Network Telemetry (INT)",
        0x0104 => "VMware",
        0..=0x00ff => "Standard",
        0xfff0..=0xffff => "Experimental",
        _ => "Unknown",
    }
}

fn opts_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult {
    let mut off = 0usize;
    let mut len = len;
    let mut sep = "";
    while len > 0 {
        ctx.push(sep);
        sep = ", ";
        let class = p.be_u16(off)?;
        let ty = p.u8_at(off + 2)?;
        let opt_len = 4 + (p.u8_at(off + 3)? as usize & 0x1f) * 4;
        pr!(
            ctx,
            "class {} (0x{:x}) type 0x{:x}{} len {}",
            opt_class_name(class),
            class,
            ty,
            if ty & OPT_TYPE_CRITICAL != 0 {
                "(C)"
            } else {
                ""
            },
            opt_len
        );
        if opt_len > len {
            ctx.push(" [bad length]");
            return Ok(());
        }
        if ctx.vflag() > 1 && opt_len > 4 {
            ctx.push(" data");
            let mut i = 4;
            while i < opt_len {
                pr!(ctx, " {:08x}", p.be_u32(off + i)?);
                i += 4;
            }
        }
        off += opt_len;
        len -= opt_len;
    }
    Ok(())
}

/// Geneve header, options and the frame it carries (UDP port 6081).
pub fn geneve_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "geneve";
    ctx.push("Geneve");
    if length < 8 {
        pr!(ctx, " [length {} < 8]", length);
        ctx.print_invalid();
        return Ok(());
    }
    if p.len() < 8 {
        ctx.print_trunc();
        return Ok(());
    }
    let ver_opt = p[0];
    let version = ver_opt >> 6;
    if version != 0 {
        pr!(ctx, " ERROR: unknown-version {}", version);
        return Ok(());
    }
    let flags = p[1];
    let prot = p.be_u16(2)?;
    let vni = p.be_u24(4)?;
    let reserved = p[7];
    let mut len = length - 8;
    ctx.push(", Flags [");
    bittok2str(ctx.out, GENEVE_FLAG_VALUES, "none", flags as u32, "");
    pr!(ctx, "], vni 0x{:x}", vni);
    if reserved != 0 {
        pr!(ctx, ", rsvd 0x{:x}", reserved);
    }
    if ctx.eflag() {
        pr!(
            ctx,
            ", proto {} (0x{:04x})",
            tok(ether::ETHERTYPE_VALUES, prot as u32).unwrap_or("unknown"),
            prot
        );
    }
    let opts_len = (ver_opt & 0x3f) as u32 * 4;
    if len < opts_len {
        pr!(ctx, " truncated-geneve - {} bytes missing", opts_len - len);
        return Ok(());
    }
    if !p.has(8, opts_len as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    if opts_len > 0 {
        ctx.push(", options [");
        if ctx.vflag() > 0 {
            opts_print(ctx, &p[8..], opts_len as usize)?;
        } else {
            pr!(ctx, "{} bytes", opts_len);
        }
        ctx.push("]");
    }
    let off = 8 + opts_len as usize;
    len -= opts_len;
    if ctx.vflag() < 1 {
        ctx.push(": ");
    } else {
        ctx.push("\n\t");
    }
    let rest = tail(p, off);
    if !ethertype_print(ctx, prot, rest, len, avail(p, off))? {
        if prot == ETHERTYPE_TEB {
            ether::ether_print(ctx, rest, len, avail(p, off))?;
        } else {
            pr!(ctx, "geneve-proto-0x{:x}", prot);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8], length: u32, verbose: u8) -> (String, PResult) {
        run_with(&opts(verbose, false), |ctx| geneve_print(ctx, p, length))
    }

    // One critical option of 8 bytes, protocol 0x1234 (unknown, so no payload printer).
    const PKT: &[u8] = &[
        0x02, 0x40, 0x12, 0x34, 0, 0, 0x0a, 0, 0, 0, 0x80, 1, 0, 0, 0, 0x0c,
    ];

    #[test]
    fn options_by_verbosity() {
        assert_eq!(
            run(PKT, 16, 0).0,
            "Geneve, Flags [C], vni 0xa, options [8 bytes]: geneve-proto-0x1234"
        );
        assert_eq!(
            run(PKT, 16, 2).0,
            "Geneve, Flags [C], vni 0xa, options [class Standard (0x0) type 0x80(C) len 8 \
             data 0000000c]\n\tgeneve-proto-0x1234"
        );
        assert_eq!(run(PKT, 7, 0).0, "Geneve [length 7 < 8] (invalid)");
        assert_eq!(
            run(PKT, 12, 0).0,
            "Geneve, Flags [C], vni 0xa truncated-geneve - 4 bytes missing"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(PKT, &verbosities(2), |ctx, p| geneve_print(ctx, p, 16));
    }
}
