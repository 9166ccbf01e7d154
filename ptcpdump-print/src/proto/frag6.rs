//! IPv6 Fragment header (RFC 8200 section 4.5); tcpdump's print-frag6.c.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const IP6F_OFF_MASK: u16 = 0xfff8;

/// Prints the fragment header at `bp` (offset `off` in the IPv6 packet `ip6`). Returns the
/// header length, or -1 for a non-first fragment (its payload is not decoded).
pub fn frag6_print(ctx: &mut Ctx, bp: &[u8], ip6: &[u8], off: usize) -> PResult<i32> {
    ctx.protocol = "frag6";
    let offlg = bp.be_u16(2)?;
    let plen = ip6.be_u16(4)? as i64;
    let rest = 40 + plen - off as i64 - 8;
    if ctx.vflag() > 0 {
        // Only read with -v: a capture ending before the identification prints fine without.
        let ident = bp.be_u32(4)?;
        pr!(
            ctx,
            "frag (0x{:08x}:{}|{})",
            ident,
            offlg & IP6F_OFF_MASK,
            rest as u64
        );
    } else {
        pr!(ctx, "frag ({}|{})", offlg & IP6F_OFF_MASK, rest as u64);
    }
    if offlg & IP6F_OFF_MASK != 0 {
        Ok(-1)
    } else {
        ctx.push(" ");
        Ok(8)
    }
}
