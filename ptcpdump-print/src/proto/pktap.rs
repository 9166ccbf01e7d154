//! Apple's PKTAP, LINKTYPE_PKTAP (258; Darwin's own captures use 149, LINKTYPE_USER2): a
//! little-endian header naming the packet's DLT, interface and process, then the packet
//! (<https://www.tcpdump.org/linktypes/LINKTYPE_PKTAP.html>, Darwin's bsd/net/pktap.h);
//! tcpdump's print-pktap.c.

use super::{Ctx, link_known_print, pr};
use crate::cursor::{Bytes, PResult};

/// `sizeof(struct pktap_header)`.
const PKTAP_HDRLEN: u32 = 108;
const PKT_REC_NONE: u32 = 0;
const PKT_REC_PACKET: u32 = 1;

fn hdr_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let (hdrlen, dlt) = (p.le_u32(0)?, p.le_u32(8)?);
    let name = crate::dlt::name(dlt).map_or("UNKNOWN", |(n, _)| n);
    if !ctx.qflag() {
        pr!(ctx, "DLT {} ({}) len {}", name, dlt, hdrlen);
    } else {
        ctx.push(name);
    }
    pr!(ctx, ", length {}: ", length);
    Ok(())
}

/// LINKTYPE_PKTAP.
pub fn pktap_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "pktap";
    if len < PKTAP_HDRLEN {
        pr!(ctx, " (packet too short, {} < {})", len, PKTAP_HDRLEN);
        ctx.print_invalid();
        return Ok(0);
    }
    let (hdrlen, rectype, dlt) = (p.le_u32(0)?, p.le_u32(4)?, p.le_u32(8)?);
    if hdrlen < PKTAP_HDRLEN {
        pr!(ctx, " (pkt_len too small, {} < {})", hdrlen, PKTAP_HDRLEN);
        ctx.print_invalid();
        return Ok(0);
    }
    if hdrlen > len {
        pr!(ctx, " (pkt_len too big, {} > {})", hdrlen, len);
        ctx.print_invalid();
        return Ok(0);
    }
    p.sub(0, hdrlen as usize)?;
    if ctx.eflag() {
        hdr_print(ctx, p, len)?;
    }
    let rest = &p[hdrlen as usize..];
    let length = len - hdrlen;
    let mut total = hdrlen;
    match rectype {
        PKT_REC_NONE => ctx.push("no data"),
        PKT_REC_PACKET => {
            let inner = crate::dlt::dlt_to_linktype(dlt);
            match link_known_print(ctx, inner, rest, length) {
                // tcpdump adds the inner link-layer header length twice (once in the inner
                // printer, once here): -x/-X/-A start that much later.
                Some(r) => total += 2 * r?,
                None => {
                    if !ctx.eflag() {
                        hdr_print(ctx, p, len)?;
                    }
                    if !ctx.suppress_default_print() {
                        ctx.default_print(rest, rest.len() as u32)?;
                    }
                }
            }
        }
        _ => {}
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    fn frame(rectype: u32, dlt: u32, payload: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        d.extend_from_slice(&108u32.to_le_bytes());
        d.extend_from_slice(&rectype.to_le_bytes());
        d.extend_from_slice(&dlt.to_le_bytes());
        d.resize(108, 0);
        d.extend_from_slice(payload);
        d
    }

    #[test]
    fn records() {
        assert_eq!(
            print_packet(opts(0, false), 258, &frame(0, 1, &[])),
            "no data\n"
        );
        let raw = [
            0x45, 0, 0, 20, 0, 0, 0, 0, 64, 253, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        assert_eq!(
            print_packet(opts(0, true), 149, &frame(1, 12, &raw)),
            "DLT RAW (12) len 108, length 128: ip: 10.0.0.1 > 10.0.0.2:  ip-proto-253 0\n"
        );
        assert_eq!(
            print_packet(opts(0, false), 258, &frame(1, 4242, &[0xab])),
            "DLT UNKNOWN (4242) len 108, length 109: \n\t0x0000:  ab                                       .\n"
        );
        let mut short = frame(1, 1, &[]);
        short[0] = 0;
        assert_eq!(
            print_packet(opts(0, false), 258, &short),
            " (pkt_len too small, 0 < 108) (invalid)\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = frame(1, 1, &[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0, 0x45]);
        assert_every_truncated_packet_is_safe(258, &d, &[opts(0, false), opts(1, true)]);
    }
}
