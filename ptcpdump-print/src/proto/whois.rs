//! WHOIS (RFC 3912); tcpdump's print-whois.c.

use super::Ctx;
use super::textutil::txtproto_print;
use crate::cursor::PResult;

/// `whois_print`: `p` holds the captured payload of `len` bytes.
pub fn whois_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "whois";
    txtproto_print(ctx, p, len, None, false)
}
