//! IPv6 Routing header (RFC 8200 section 4.4, RFC 8754 SRH); tcpdump's print-rt6.c.
//!
//! STUB owned by the tier-2 helper: only skips the header for now.

use super::Ctx;
use crate::cursor::{Bytes, PResult};

/// Prints the routing header at `bp` inside the IPv6 packet `ip6`. Returns its length, or < 0.
pub fn rt6_print(ctx: &mut Ctx, bp: &[u8], ip6: &[u8]) -> PResult<i32> {
    let _ = ip6;
    ctx.protocol = "rt6";
    let len = (bp.u8_at(1)? as i32 + 1) * 8;
    bp.sub(0, len as usize)?;
    Ok(len)
}

/// The destination used in upper-layer checksums: the final address of a routing header if
/// there is one (`ip6_finddst`), else the header's destination. `ip6`: the IPv6 packet.
pub fn ip6_finddst(ip6: &[u8]) -> &[u8] {
    &ip6[24..40]
}
