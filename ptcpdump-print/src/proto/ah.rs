//! IP Authentication Header (RFC 4302); tcpdump's print-ah.c.

use super::{Ctx, IpHdr, ip_demux_print, pr};
use crate::cursor::{Bytes, PResult, Truncated};

/// Prints the AH header at `bp`; returns its length (the payload follows).
pub fn ah_print(ctx: &mut Ctx, bp: &[u8]) -> PResult<u32> {
    ctx.protocol = "ah";
    ctx.push("AH");
    let ah_len = bp.u8_at(1)?;
    let hdr_len = (u32::from(ah_len) + 2) * 4;
    ctx.push("(");
    if ctx.vflag() > 0 {
        pr!(ctx, "length={}({}-bytes),", ah_len, hdr_len);
    }
    let reserved = bp.be_u16(2)?;
    if reserved != 0 {
        pr!(ctx, "reserved=0x{:x}[MustBeZero],", reserved);
    }
    pr!(ctx, "spi=0x{:08x},", bp.be_u32(4)?);
    pr!(ctx, "seq=0x{:x},", bp.be_u32(8)?);
    ctx.push("icv=0x");
    for i in 12..hdr_len as usize {
        pr!(ctx, "{:02x}", bp.u8_at(i)?);
    }
    ctx.push("): ");
    Ok(hdr_len)
}

/// The `IPPROTO_AH` case of tcpdump's `ip_demux_print`: the AH header, then the protocol it
/// protects.
pub fn ah_demux(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
    fragmented: bool,
    ttl_hl: u8,
) -> PResult {
    let Some(&nh) = p.first() else {
        ctx.protocol = "ah";
        ctx.print_trunc();
        return Ok(());
    };
    let advance = ah_print(ctx, p)?;
    let rest = p.get(advance as usize..).ok_or(Truncated)?;
    ip_demux_print(
        ctx,
        rest,
        length.wrapping_sub(advance),
        ip,
        fragmented,
        ttl_hl,
        nh,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(v: u8, p: &[u8]) -> (String, PResult<u32>) {
        run_with(&opts(v, false), |ctx| ah_print(ctx, p))
    }

    const AH: [u8; 24] = [
        17, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
        0x11, 0x11, 0x11,
    ];

    #[test]
    fn header() {
        assert_eq!(
            run(1, &AH),
            (
                "AH(length=4(24-bytes),spi=0x00000100,seq=0x1,icv=0x111111111111111111111111): "
                    .into(),
                Ok(24)
            )
        );
        assert_eq!(
            run(0, &AH).0,
            "AH(spi=0x00000100,seq=0x1,icv=0x111111111111111111111111): "
        );
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for cut in 0..AH.len() {
            assert!(run(1, &AH[..cut]).1.is_err());
        }
    }
}
