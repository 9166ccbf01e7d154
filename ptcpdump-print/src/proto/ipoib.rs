//! IP over InfiniBand, LINKTYPE_IPOIB (242): RFC 4391 section 6 (the 4-byte encapsulation
//! header: Ethernet type and reserved) behind the 40-byte pseudo-header Linux adds
//! (<https://www.tcpdump.org/linktypes/LINKTYPE_IPOIB.html>); tcpdump's print-ipoib.c.

use super::ether::ETHERTYPE_VALUES;
use super::{Ctx, ethertype_print, pr, tok};
use crate::cursor::{Bytes, PResult};

const IPOIB_HDRLEN: u32 = 44;

fn hdr_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let et = p.be_u16(40)?;
    let name = tok(ETHERTYPE_VALUES, et as u32).unwrap_or("Unknown");
    if !ctx.qflag() {
        pr!(ctx, ", ethertype {} (0x{:04x})", name, et);
    } else {
        pr!(ctx, ", ethertype {}", name);
    }
    pr!(ctx, ", length {}: ", length);
    Ok(())
}

/// LINKTYPE_IPOIB.
pub fn ipoib_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "ipoib";
    let caplen = p.len() as u32;
    if caplen < IPOIB_HDRLEN {
        ctx.print_trunc();
        return Ok(caplen);
    }
    if len < IPOIB_HDRLEN {
        ctx.print_trunc();
        return Ok(len);
    }
    if ctx.eflag() {
        ctx.push("IPOIB");
        hdr_print(ctx, p, len)?;
    }
    let et = p.be_u16(40)?;
    let rest = &p[IPOIB_HDRLEN as usize..];
    if !ethertype_print(ctx, et, rest, len - IPOIB_HDRLEN, caplen - IPOIB_HDRLEN)? {
        if !ctx.eflag() {
            hdr_print(ctx, p, len)?;
        }
        if !ctx.suppress_default_print() {
            ctx.default_print(rest, caplen - IPOIB_HDRLEN)?;
        }
    }
    Ok(IPOIB_HDRLEN)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    fn frame(et: [u8; 2], payload: &[u8]) -> Vec<u8> {
        let mut d = vec![0u8; 40];
        d.extend_from_slice(&et);
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(payload);
        d
    }

    #[test]
    fn unknown_type() {
        let d = frame([0x12, 0x34], &[0xab]);
        assert_eq!(
            print_packet(opts(0, false), 242, &d),
            ", ethertype Unknown (0x1234), length 45: \n\t0x0000:  ab                                       .\n"
        );
        assert_eq!(
            print_packet(opts(0, true), 242, &d[..44]),
            "IPOIB, ethertype Unknown (0x1234), length 44: \n"
        );
        assert_eq!(print_packet(opts(0, false), 242, &d[..43]), " [|ipoib]\n");
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = frame([0x08, 0x00], &[0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1]);
        assert_every_truncated_packet_is_safe(242, &d, &[opts(0, false), opts(1, true)]);
    }
}
