//! Real-time Transport Protocol RTP and its control protocol RTCP (RFC 3550; RTP version 1
//! from draft-ietf-avt-rtp-04), and the vat/vt audio tools' headers; tcpdump keeps these in
//! print-udp.c. Printed for `-T rtp`, `-T rtcp` and `-T vat`, and vat for UDP port 3456.
//!
//! ```text
//! RTP v2: V(2b) P X CC(4b) M PT(7b) sequence(2) | timestamp(4) | SSRC(4) | CSRCs, extension
//! RTCP:   V(2b) P count(5b) PT(8) length(2, words - 1) | SSRC(4) | report blocks ...
//! ```

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

/// A vat or vt audio header in a `length`-byte datagram at `p`.
pub fn vat_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "vat";
    if length < 2 {
        pr!(ctx, "udp/va/vat, length {} < 2", length);
        return Ok(());
    }
    let ts = p.be_u16(0)? as u32;
    if ts & 0xf060 != 0 {
        pr!(ctx, "udp/vt {} {} / {}", length, ts & 0x3ff, ts >> 10);
        return Ok(());
    }
    if length < 8 {
        pr!(ctx, "udp/vat, length {} < 8", length);
        return Ok(());
    }
    let i0 = p.be_u32(0)?;
    let i1 = p.be_u32(4)?;
    pr!(
        ctx,
        "udp/vat {} c{} {}{}",
        length - 8,
        i0 & 0xffff,
        i1,
        if i0 & 0x80_0000 != 0 { "*" } else { "" }
    );
    if i0 & 0x1f_0000 != 0 {
        pr!(ctx, " f{}", (i0 >> 16) & 0x1f);
    }
    if i0 & 0x3f00_0000 != 0 {
        pr!(ctx, " s{}", (i0 >> 24) & 0x3f);
    }
    Ok(())
}

/// An RTP header in a `len`-byte datagram at `p`.
pub fn rtp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "rtp";
    if len < 8 {
        pr!(ctx, "udp/rtp, length {} < 8", len);
        return Ok(());
    }
    let i0 = p.be_u32(0)?;
    let i1 = p.be_u32(4)?;
    let mut dlen = len - 8;
    // Word index of what follows the fixed header, and the words left from there.
    let mut word = 2usize;
    let mut words = len / 4 - 2;
    let (hasopt, hasext, contype, hasmarker, ptype);
    if i0 >> 30 == 1 {
        hasopt = i0 & 0x80_0000 != 0;
        hasext = false;
        contype = (i0 >> 16) & 0x3f;
        hasmarker = i0 & 0x40_0000 != 0;
        ptype = "rtpv1";
    } else {
        if dlen < 4 {
            pr!(ctx, "udp/rtp, length {} < 12", dlen + 8);
            return Ok(());
        }
        hasopt = false;
        hasext = i0 & 0x1000_0000 != 0;
        contype = (i0 >> 16) & 0x7f;
        hasmarker = i0 & 0x80_0000 != 0;
        dlen -= 4;
        ptype = "rtp";
        word += 1;
        words -= 1;
    }
    pr!(
        ctx,
        "udp/{} {} c{} {}{} {} {}",
        ptype,
        dlen,
        contype,
        if hasopt || hasext { "+" } else { "" },
        if hasmarker { "*" } else { "" },
        i0 & 0xffff,
        i1
    );
    if ctx.vflag() == 0 {
        return Ok(());
    }
    pr!(ctx, " {}", p.be_u32(8)?);
    let at = |w: usize| p.be_u32(w.checked_mul(4).ok_or(crate::cursor::Truncated)?);
    if hasopt {
        loop {
            let i2 = at(word)?;
            let optlen = (i2 >> 16) & 0xff;
            if optlen == 0 || optlen > words {
                ctx.push(" !opt");
                return Ok(());
            }
            word += optlen as usize;
            words -= optlen;
            if i2 >> 31 != 0 {
                break;
            }
        }
    }
    if hasext {
        let i2 = at(word)?;
        let extlen = (i2 & 0xffff) + 1;
        if extlen > words {
            ctx.push(" !ext");
            return Ok(());
        }
        word += extlen as usize;
    }
    if contype == 0x1f {
        pr!(ctx, " 0x{:04x}", at(word)? >> 16);
    }
    Ok(())
}

const RTCP_PT_SR: u32 = 200;
const RTCP_PT_RR: u32 = 201;
const RTCP_PT_SDES: u32 = 202;
const RTCP_PT_BYE: u32 = 203;

const RTCP_HDR_LEN: usize = 8;
const RTCP_SR_LEN: usize = 20;
const RTCP_RR_LEN: usize = 24;

/// RTCP packets from `p` to the end of the capture, one after the other.
pub fn rtcp_packets_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let mut off = 0usize;
    while off < p.len() {
        off = rtcp_print(ctx, p, off)?;
    }
    Ok(())
}

/// One RTCP packet at `p[off..]`; returns the offset of the next (the end when truncated).
fn rtcp_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<usize> {
    ctx.protocol = "rtcp";
    let trunc = |ctx: &mut Ctx| {
        ctx.print_trunc();
        Ok(p.len())
    };
    if !p.has(off, RTCP_HDR_LEN) {
        return trunc(ctx);
    }
    let len = (p.be_u16(off + 2)? as usize + 1) * 4;
    let flags = p.be_u16(off)? as u32;
    let mut cnt = ((flags >> 8) & 0x1f) as usize;
    let ssrc = p.be_u32(off + 4)?;
    let mut rr = off + RTCP_HDR_LEN;
    match flags & 0xff {
        RTCP_PT_SR => {
            ctx.push(" sr");
            if len != cnt * RTCP_RR_LEN + RTCP_SR_LEN + RTCP_HDR_LEN {
                pr!(ctx, " [{}]", len);
            }
            if ctx.vflag() > 0 {
                pr!(ctx, " {}", ssrc);
            }
            let sr = off + RTCP_HDR_LEN;
            if !p.has(sr, RTCP_SR_LEN) {
                return trunc(ctx);
            }
            let ts = p.be_u32(sr)? as f64 + p.be_u32(sr + 4)? as f64 / 4_294_967_296.0;
            pr!(
                ctx,
                " @{:.2} {} {}p {}b",
                ts,
                p.be_u32(sr + 8)?,
                p.be_u32(sr + 12)?,
                p.be_u32(sr + 16)?
            );
            rr = sr + RTCP_SR_LEN;
        }
        RTCP_PT_RR => {
            ctx.push(" rr");
            if len != cnt * RTCP_RR_LEN + RTCP_HDR_LEN {
                pr!(ctx, " [{}]", len);
            }
            if ctx.vflag() > 0 {
                pr!(ctx, " {}", ssrc);
            }
        }
        RTCP_PT_SDES | RTCP_PT_BYE => {
            let name = if flags & 0xff == RTCP_PT_SDES {
                "sdes"
            } else {
                "bye"
            };
            pr!(ctx, " {} {}", name, len);
            if ctx.vflag() > 0 {
                pr!(ctx, " {}", ssrc);
            }
            cnt = 0;
        }
        t => {
            pr!(ctx, " type-0x{:x} {}", t, len);
            cnt = 0;
        }
    }
    if cnt > 1 {
        pr!(ctx, " c{}", cnt);
    }
    while cnt != 0 {
        if !p.has(rr, RTCP_RR_LEN) {
            return trunc(ctx);
        }
        if ctx.vflag() > 0 {
            pr!(ctx, " {}", p.be_u32(rr)?);
        }
        let ts = p.be_u32(rr + 16)? as f64 / 65536.0;
        let dts = p.be_u32(rr + 20)? as f64 / 65536.0;
        pr!(
            ctx,
            " {}l {}s {}j @{:.2}+{:.2}",
            p.be_u32(rr + 4)? & 0x00ff_ffff,
            p.be_u32(rr + 8)?,
            p.be_u32(rr + 12)?,
            ts,
            dts
        );
        cnt -= 1;
    }
    // tcpdump does not move past the report blocks it printed, only by the length field.
    Ok(off + len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// RTP v2, payload type 0x1f (H.261), marker, one extension header word.
    const RTP: &[u8] = &[
        0x90, 0x9f, 0x12, 0x34, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 0, 0xab, 0xcd, 0xef, 0x01,
    ];

    /// An RTCP receiver report with one block.
    const RR: &[u8] = &[
        0x81, 0xc9, 0x00, 0x07, 0, 0, 0, 5, 0, 0, 0, 6, 0x01, 0x00, 0x00, 0x03, 0, 0, 0, 10, 0, 0,
        0, 2, 0, 2, 0x80, 0, 0, 1, 0, 0,
    ];

    #[test]
    fn rtp_and_rtcp() {
        let out = run_marked(&opts(1, false), |ctx| rtp_print(ctx, RTP, 20));
        assert_eq!(out, "udp/rtp 8 c31 +* 4660 9 7 0xabcd");
        assert_eq!(
            run_marked(&opts(0, false), |ctx| rtp_print(ctx, RTP, 9)),
            "udp/rtp, length 9 < 12"
        );
        let out = run_marked(&opts(1, false), |ctx| rtcp_packets_print(ctx, RR));
        assert_eq!(out, " rr 5 6 3l 10s 2j @2.50+1.00");
    }

    #[test]
    fn vat() {
        let v = [0x00, 0x01, 0x00, 0x05, 0, 0, 0, 9, 1, 2];
        assert_eq!(
            run_marked(&opts(0, false), |ctx| vat_print(ctx, &v, 10)),
            "udp/vat 2 c5 9 f1"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| vat_print(ctx, &[0xf0, 0x41], 2)),
            "udp/vt 2 65 / 60"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(RTP, &verbosities(1), |ctx, p| rtp_print(ctx, p, 20));
        assert_every_truncation_is_safe(RR, &verbosities(1), rtcp_packets_print);
        let mut v1 = RTP.to_vec();
        v1[0] = 0x40;
        v1[1] = 0x80;
        assert_every_truncation_is_safe(&v1, &verbosities(1), |ctx, p| rtp_print(ctx, p, 20));
    }
}
