//! Headerless and BSD loopback link layers: LINKTYPE_RAW / LINKTYPE_IPV4 / LINKTYPE_IPV6 (a bare
//! IP packet, tcpdump's print-raw.c) and LINKTYPE_NULL / LINKTYPE_LOOP (a 4-byte address family,
//! print-null.c). See <https://www.tcpdump.org/linktypes.html>.

use super::{Ctx, ip, ip6, pr, tok};
use crate::cursor::{Bytes, PResult};

const NULL_HDRLEN: usize = 4;

const BSD_AF_VALUES: &[(u32, &str)] = &[
    (2, "IPv4"),
    (6, "NS"),
    (7, "ISO"),
    (16, "Appletalk"),
    (23, "IPX"),
    (24, "IPv6"),
    (28, "IPv6"),
    (30, "IPv6"),
];

/// Top-level printer for LINKTYPE_RAW, LINKTYPE_IPV4 and LINKTYPE_IPV6.
pub fn raw_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "raw";
    if ctx.eflag() {
        ctx.push("ip: ");
    }
    ipn_print(ctx, p, len)?;
    Ok(0)
}

/// An IPv4 or IPv6 packet, told apart by its version nibble (`ipN_print`).
pub fn ipn_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "ipn";
    if length < 1 {
        pr!(ctx, "truncated-ip {}", length);
        return Ok(());
    }
    match p.u8_at(0)? & 0xf0 {
        0x40 => ip::ip_print(ctx, p, length),
        0x60 => ip6::ip6_print(ctx, p, length),
        v => {
            pr!(ctx, "unknown ip {}", v >> 4);
            Ok(())
        }
    }
}

fn hdr_print(ctx: &mut Ctx, family: u32, length: u32) {
    if !ctx.qflag() {
        pr!(
            ctx,
            "AF {} ({})",
            tok(BSD_AF_VALUES, family).unwrap_or("Unknown"),
            family
        );
    } else {
        match tok(BSD_AF_VALUES, family) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "Unknown AF {}", family),
        }
    }
    pr!(ctx, ", length {}: ", length);
}

/// Top-level printer for LINKTYPE_NULL and LINKTYPE_LOOP (the family is in host or network
/// byte order; a value with high bits set is byte-swapped, as tcpdump does).
pub fn null_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "null";
    let mut family = p.le_u32(0)?;
    if family & 0xffff_0000 != 0 {
        family = family.swap_bytes();
    }
    if ctx.eflag() {
        hdr_print(ctx, family, len);
    }
    let length = len.wrapping_sub(NULL_HDRLEN as u32);
    let rest = &p[NULL_HDRLEN..];
    match family {
        2 => ip::ip_print(ctx, rest, length)?,
        24 | 28 | 30 => ip6::ip6_print(ctx, rest, length)?,
        23 => super::ipx::ipx_print(ctx, rest, length)?,
        _ => {
            if !ctx.eflag() {
                hdr_print(ctx, family, length.wrapping_add(NULL_HDRLEN as u32));
            }
            if !ctx.suppress_default_print() {
                ctx.default_print(rest, rest.len() as u32)?;
            }
        }
    }
    Ok(NULL_HDRLEN as u32)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{opts, print_packet};

    fn print(linktype: u32, e: bool, data: &[u8]) -> String {
        print_packet(opts(0, e), linktype, data)
    }

    #[test]
    fn null_unknown_family() {
        assert_eq!(
            print(0, false, &[7, 0, 0, 0, 0xab]),
            "AF ISO (7), length 5: \n\t0x0000:  ab                                       .\n"
        );
        // Network byte order (LINKTYPE_LOOP) is recognised by the swapped value.
        assert_eq!(
            print(108, true, &[0, 0, 0, 99]),
            "AF Unknown (99), length 4: \n"
        );
    }

    #[test]
    fn raw_unknown_version() {
        assert_eq!(print(101, true, &[0x50]), "ip: unknown ip 5\n");
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = [
            2u8, 0, 0, 0, 0x45, 0, 0, 24, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
        ];
        for n in 0..=d.len() {
            let _ = print(0, true, &d[..n]);
            let _ = print(101, false, &d[4..n.max(4)]);
        }
    }
}
