//! FTP control connection (RFC 959); tcpdump's print-ftp.c.

use super::Ctx;
use super::textutil::txtproto_print;
use crate::cursor::PResult;

/// `ftp_print`: `p` holds the captured payload of `len` bytes.
pub fn ftp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "ftp";
    txtproto_print(ctx, p, len, None, false)
}
