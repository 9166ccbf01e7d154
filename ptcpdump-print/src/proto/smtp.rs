//! SMTP (RFC 5321); tcpdump's print-smtp.c.

use super::Ctx;
use super::textutil::txtproto_print;
use crate::cursor::PResult;

/// `smtp_print`: `p` holds the captured payload of `len` bytes.
pub fn smtp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "smtp";
    txtproto_print(ctx, p, len, None, false)
}
