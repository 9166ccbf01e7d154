//! Solaris IPNET, LINKTYPE_IPNET (226): a 24-byte header (version, address family, hardware
//! type, packet length, interface and group interface index, source and destination zone)
//! before an IPv4 or IPv6 packet (<https://www.tcpdump.org/linktypes/LINKTYPE_IPNET.html>);
//! tcpdump's print-ipnet.c.

use super::{Ctx, ip, ip6, pr, tok};
use crate::cursor::{Bytes, PResult};

const IPNET_HDRLEN: usize = 24;
/// Solaris's address family numbers.
const IPH_AF_INET: u8 = 2;
const IPH_AF_INET6: u8 = 26;

const FAMILY_VALUES: &[(u32, &str)] = &[(2, "IPv4"), (26, "IPv6")];

fn hdr_print(ctx: &mut Ctx, h: &[u8], length: u32) -> PResult {
    pr!(ctx, "{} > {}", h.be_u32(16)?, h.be_u32(20)?);
    let family = h.u8_at(1)?;
    match (ctx.qflag(), tok(FAMILY_VALUES, family as u32)) {
        (false, name) => pr!(ctx, ", family {} ({})", name.unwrap_or("Unknown"), family),
        (true, Some(name)) => pr!(ctx, ", {}", name),
        (true, None) => pr!(ctx, ", Unknown Ethertype (0x{:04x})", family),
    }
    pr!(ctx, ", length {}: ", length);
    Ok(())
}

/// LINKTYPE_IPNET.
pub fn ipnet_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "ipnet";
    let h = p.sub(0, IPNET_HDRLEN)?;
    if ctx.eflag() {
        hdr_print(ctx, h, len)?;
    }
    let rest = &p[IPNET_HDRLEN..];
    let length = len.wrapping_sub(IPNET_HDRLEN as u32);
    match h.u8_at(1)? {
        IPH_AF_INET => ip::ip_print(ctx, rest, length)?,
        IPH_AF_INET6 => ip6::ip6_print(ctx, rest, length)?,
        _ => {
            if !ctx.eflag() {
                hdr_print(ctx, h, len)?;
            }
            if !ctx.suppress_default_print() {
                ctx.default_print(rest, rest.len() as u32)?;
            }
        }
    }
    Ok(IPNET_HDRLEN as u32)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    fn frame(family: u8) -> Vec<u8> {
        let mut d = vec![1, family, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0, 0, 0];
        d.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
        d
    }

    #[test]
    fn header() {
        let mut d = frame(7);
        d.push(0xab);
        assert_eq!(
            print_packet(opts(0, false), 226, &d),
            "4294967295 > 0, family Unknown (7), length 25: \n\t0x0000:  ab                                       .\n"
        );
        let q = crate::PrintOptions {
            quiet: true,
            link_header: true,
            ..Default::default()
        };
        assert_eq!(
            print_packet(q, 226, &d),
            "4294967295 > 0, Unknown Ethertype (0x0007), length 25: \n"
        );
        assert_eq!(print_packet(opts(0, false), 226, &d[..23]), " [|ipnet]\n");
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut d = frame(2);
        d.extend_from_slice(&[0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1]);
        assert_every_truncated_packet_is_safe(226, &d, &[opts(0, false), opts(1, true)]);
    }
}
