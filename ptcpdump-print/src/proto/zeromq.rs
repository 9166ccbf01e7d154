//! ZeroMQ Message Transport Protocol 1.0, ZMTP/1.0 (<https://rfc.zeromq.org/spec/13/>), over
//! TCP (`-T zmtp1`) and as the datagrams of PGM/EPGM ODATA and RDATA packets
//! (`-T pgm_zmtp1`); tcpdump's print-zeromq.c.
//!
//! ```text
//! frame: length(1, or 0xff and 8) flags(1: MORE in bit 0) body(length - 1)
//! datagram: frame offset(2: first frame start, 0xffff = none) intermediate part, frames
//! ```

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};
use crate::dump::hex_and_ascii_print;

/// With exactly `-v`, at most this many body bytes are dumped.
const VBYTES: u64 = 128;

/// One frame at `p[off..]`; `end`: where the data ends (the declared length or the capture).
/// Returns the offset of the next frame.
fn frame_print(ctx: &mut Ctx, p: &[u8], off: usize, end: usize) -> PResult<usize> {
    ctx.push("\n\t");
    let first = p.u8_at(off)?;
    let (header_len, declared) = if first != 0xff {
        pr!(ctx, " frame flags+body  (8-bit) length {}", first);
        (1usize, first as u64)
    } else {
        ctx.push(" frame flags+body (64-bit) length");
        p.sub(off, 9)?;
        let l = p.be_u64(off + 1)?;
        pr!(ctx, " {}", l);
        (9, l)
    };
    if declared == 0 {
        return Ok(off + header_len);
    }
    p.sub(off, header_len + 1)?;
    let flags = p[off + header_len];
    // Pointer arithmetic in tcpdump: negative when the header already passed `end`.
    let captured = (end as i64 - off as i64 - header_len as i64) as u64;
    if declared > captured {
        pr!(ctx, " ({} captured)", captured);
    }
    pr!(ctx, ", flags 0x{:02x}", flags);
    if ctx.vflag() > 0 {
        let bit = |b: u8, name: &'static str| if flags & b != 0 { name } else { "-" };
        pr!(
            ctx,
            " ({}|{}|{}|{}|{}|{}|{}|{})",
            bit(0x80, "MBZ"),
            bit(0x40, "MBZ"),
            bit(0x20, "MBZ"),
            bit(0x10, "MBZ"),
            bit(0x08, "MBZ"),
            bit(0x04, "MBZ"),
            bit(0x02, "MBZ"),
            bit(0x01, "MORE")
        );
        let mut printed = captured.min(declared);
        if ctx.vflag() == 1 {
            printed = printed.min(VBYTES + 1);
        }
        if printed > 1 {
            pr!(ctx, ", first {} byte(s) of body:", printed - 1);
            let body = p.get(off + header_len + 1..).unwrap_or(&[]);
            hex_and_ascii_print(ctx.out, "\n\t ", body, (printed - 1) as usize, 0)?;
        }
    }
    let off = off + header_len;
    // The whole body must be captured for the next frame to be found.
    let Ok(n) = usize::try_from(declared) else {
        return Err(crate::cursor::Truncated);
    };
    p.sub(off, n)?;
    Ok(off + n)
}

/// ZMTP/1.0 frames in `len` bytes of a TCP segment at `p`.
pub fn zmtp1_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "zmtp1";
    ctx.push(": ZMTP/1.0");
    let end = p.len().min(len as usize);
    let mut off = 0;
    while off < end {
        off = frame_print(ctx, p, off, end)?;
    }
    Ok(())
}

/// A ZMTP/1.0 datagram of `len` bytes at `p` (the payload of a PGM data packet).
pub fn zmtp1_datagram_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "zmtp1";
    let end = p.len().min(len as usize);
    let mut frame_offset = p.be_u16(0)? as u32;
    pr!(ctx, "\n\t frame offset 0x{:04x}", frame_offset);
    let remaining = p.len().saturating_sub(2) as u32;
    if frame_offset == 0xffff {
        frame_offset = len.wrapping_sub(2);
    } else if 2 + frame_offset > len {
        ctx.push(" (exceeds datagram declared length)");
        return Err(crate::cursor::Truncated);
    }
    if frame_offset != 0 {
        pr!(ctx, "\n\t frame intermediate part, {} bytes", frame_offset);
        if frame_offset > remaining {
            pr!(ctx, " ({} captured)", remaining);
        }
        if ctx.vflag() > 0 {
            let mut printed = frame_offset.min(remaining);
            if ctx.vflag() == 1 {
                printed = printed.min(VBYTES as u32);
            }
            if printed > 1 {
                pr!(ctx, ", first {} byte(s):", printed);
                hex_and_ascii_print(ctx.out, "\n\t ", &p[2..], printed as usize, 0)?;
            }
        }
    }
    let mut off = 2 + frame_offset as usize;
    while off < end {
        off = frame_print(ctx, p, off, end)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A greeting frame (length 1, flags 0) and a 3-byte message frame with MORE.
    const FRAMES: &[u8] = &[0x01, 0x00, 0x04, 0x01, b'a', b'b', b'c'];

    #[test]
    fn frames() {
        let out = run_marked(&opts(1, false), |ctx| zmtp1_print(ctx, FRAMES, 7));
        assert_eq!(
            out,
            ": ZMTP/1.0\n\t frame flags+body  (8-bit) length 1, flags 0x00 (-|-|-|-|-|-|-|-)\
             \n\t frame flags+body  (8-bit) length 4, flags 0x01 (-|-|-|-|-|-|-|MORE), first 3 \
             byte(s) of body:\n\t 0x0000:  6162 63                                  abc"
        );
        let out = run_marked(&opts(0, false), |ctx| zmtp1_print(ctx, &FRAMES[..5], 7));
        assert_eq!(
            out,
            ": ZMTP/1.0\n\t frame flags+body  (8-bit) length 1, flags 0x00\n\t frame \
             flags+body  (8-bit) length 4 (2 captured), flags 0x01 [|zmtp1]"
        );
    }

    #[test]
    fn datagram_with_intermediate_part() {
        let mut d = vec![0x00, 0x02, 0xaa, 0xbb];
        d.extend_from_slice(FRAMES);
        let out = run_marked(&opts(0, false), |ctx| zmtp1_datagram_print(ctx, &d, 11));
        assert_eq!(
            out,
            "\n\t frame offset 0x0002\n\t frame intermediate part, 2 bytes\n\t frame \
             flags+body  (8-bit) length 1, flags 0x00\n\t frame flags+body  (8-bit) length 4, \
             flags 0x01"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut d = vec![0x00, 0x00, 0xff, 0, 0, 0, 0, 0, 0, 0, 3, 0, 1, 2];
        d.extend_from_slice(FRAMES);
        assert_every_truncation_is_safe(&d, &verbosities(2), |ctx, p| {
            zmtp1_datagram_print(ctx, p, 21)
        });
        assert_every_truncation_is_safe(&d, &verbosities(2), |ctx, p| zmtp1_print(ctx, p, 21));
    }
}
