//! NSH, Network Service Header (RFC 8300), Ethernet type 0x894f or inside VXLAN-GPE;
//! tcpdump's print-nsh.c.

use super::util_print::{avail, tail};
use super::{Ctx, bittok2str, ether, ip, ip6, pr, tok};
use crate::cursor::{Bytes, PResult, Truncated};

const NSH_FLAGS: &[(u32, &str)] = &[(0x2, "O")];
const MD_STR: &[(u32, &str)] = &[
    (0x00, "reserved"),
    (0x01, "1"),
    (0x02, "2"),
    (0x0f, "experimental"),
];
const NP_STR: &[(u32, &str)] = &[
    (0x01, "IPv4"),
    (0x02, "IPv6"),
    (0x03, "Ethernet"),
    (0x04, "NSH"),
    (0x05, "MPLS"),
    (0xfe, "Experiment 1"),
    (0xff, "Experiment 2"),
];

/// An NSH header, its context headers and the packet it carries.
pub fn nsh_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "nsh";
    if len < 8 {
        pr!(ctx, " (packet length {} < 8)", len);
        ctx.print_invalid();
        return Ok(());
    }
    let base = p.be_u32(0)?;
    let ver = base >> 30;
    let length = (base >> 16) & 0x3f;
    let md_type = (base >> 8) & 0x0f;
    let next_protocol = base & 0xff;
    ctx.push("NSH, ");
    if ctx.vflag() > 1 {
        pr!(ctx, "ver {}, ", ver);
    }
    if ver != 0 {
        return Ok(());
    }
    ctx.push("flags [");
    bittok2str(ctx.out, NSH_FLAGS, "none", (base >> 28) & 3, "");
    ctx.push("], ");
    if ctx.vflag() > 2 {
        pr!(
            ctx,
            "TTL {}, length {}, md type ",
            (base >> 22) & 0x3f,
            length
        );
        match tok(MD_STR, md_type) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "unknown (0x{:02x})", md_type),
        }
        ctx.push(", ");
    }
    if ctx.vflag() > 1 {
        ctx.push("next-protocol ");
        match tok(NP_STR, next_protocol) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "unknown (0x{:02x})", next_protocol),
        }
        ctx.push(", ");
    }
    if len < length * 4 {
        pr!(ctx, " (too many headers for packet length {})", len);
        ctx.print_invalid();
        return Ok(());
    }
    pr!(ctx, "service-path-id 0x{:06x}, ", p.be_u24(4)?);
    pr!(ctx, "service-index 0x{:x}", p.u8_at(7)?);
    if length < 2 {
        ctx.push(" (less than two headers)");
        ctx.print_invalid();
        return Ok(());
    }
    let mut off = 8usize;
    let mut past_headers = false;
    if ctx.vflag() > 2 {
        if md_type == 1 {
            if length != 6 {
                ctx.push(" (invalid length for the MD type)");
                ctx.print_invalid();
                return Ok(());
            }
            for n in 0..length - 2 {
                pr!(ctx, "\n        Context[{:02}]: 0x{:08x}", n, p.be_u32(off)?);
                off += 4;
            }
            past_headers = true;
        } else if md_type == 2 {
            let mut n = 0u32;
            while n < length - 2 {
                let class = p.be_u16(off)?;
                let ty = p.u8_at(off + 2)?;
                let tlv_len = (p.u8_at(off + 3)? & 0x7f) as u32;
                off += 4;
                let padded = (tlv_len + 3) & !3;
                pr!(
                    ctx,
                    "\n        TLV Class {}, Type {}, Len {}",
                    class,
                    ty,
                    tlv_len
                );
                n += 1;
                if length - 2 < n + padded / 4 {
                    ctx.push(" (length too big)");
                    ctx.print_invalid();
                    return Ok(());
                }
                if tlv_len > 0 {
                    ctx.push("\n            Value: ");
                    let mut sep = "0x";
                    for _ in 0..tlv_len {
                        pr!(ctx, "{}{:02x}", sep, p.u8_at(off)?);
                        off += 1;
                        sep = ":";
                    }
                    if !p.has(off, (padded - tlv_len) as usize) {
                        return Err(Truncated);
                    }
                    off += (padded - tlv_len) as usize;
                    n += padded / 4;
                }
            }
            past_headers = true;
        }
    }
    if !past_headers {
        let skip = ((length - 2) * 4) as usize;
        if !p.has(off, skip) {
            return Err(Truncated);
        }
        off += skip;
    }
    ctx.push(if ctx.vflag() > 0 { "\n    " } else { ": " });
    let next_len = len - length * 4;
    let rest = tail(p, off);
    match next_protocol {
        1 => ip::ip_print(ctx, rest, next_len)?,
        2 => ip6::ip6_print(ctx, rest, next_len)?,
        3 => _ = ether::ether_print(ctx, rest, next_len, avail(p, off))?,
        _ => ctx.push("ERROR: unknown-next-protocol"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], verbose: u8) -> String {
        run_marked(&opts(verbose, false), |ctx| {
            nsh_print(ctx, p, p.len() as u32)
        })
    }

    // Version 0, O flag, length 2, MD type 2, next protocol 0x09 (unknown), SPI 1, SI 255.
    const PKT: &[u8] = &[0x20, 0x02, 0x02, 0x09, 0, 0, 1, 0xff];

    #[test]
    fn header() {
        assert_eq!(
            run(PKT, 0),
            "NSH, flags [O], service-path-id 0x000001, service-index 0xff: ERROR: unknown-next-protocol"
        );
        assert_every_truncation_is_safe(PKT, &verbosities(3), |ctx, p| {
            nsh_print(ctx, p, p.len() as u32)
        });
    }
}
