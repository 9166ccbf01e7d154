//! IPv6 Hop-by-Hop and Destination Options headers (RFC 8200 section 4.3, 4.6, RFC 2675 jumbo);
//! tcpdump's print-ip6opts.c.
//!
//! STUB owned by the tier-2 helper: only skips the headers for now.

use super::Ctx;
use crate::cursor::{Bytes, PResult};

/// Hop-by-Hop options. Returns the header length (or < 0 to stop); sets `found_jumbo` and
/// `payload_len` when a Jumbo Payload option is present.
pub fn hbhopt_process(
    ctx: &mut Ctx,
    bp: &[u8],
    found_jumbo: &mut bool,
    payload_len: &mut u32,
) -> PResult<i32> {
    let _ = (found_jumbo, payload_len);
    ctx.protocol = "hbhopt";
    let len = (bp.u8_at(1)? as i32 + 1) * 8;
    bp.sub(0, len as usize)?;
    ctx.push("HBH ");
    Ok(len)
}

/// Destination options. Returns the header length (or < 0 to stop).
pub fn dstopt_process(ctx: &mut Ctx, bp: &[u8]) -> PResult<i32> {
    ctx.protocol = "dstopt";
    let len = (bp.u8_at(1)? as i32 + 1) * 8;
    bp.sub(0, len as usize)?;
    ctx.push("DSTOPT ");
    Ok(len)
}
