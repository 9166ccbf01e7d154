//! SIP (RFC 3261) request and status lines; tcpdump's print-sip.c.

use super::Ctx;
use super::textutil::txtproto_print;
use crate::cursor::PResult;

/// Request methods tcpdump recognises.
const SIP_CMDS: &[&str] = &[
    "ACK",
    "BYE",
    "CANCEL",
    "DO",
    "INFO",
    "INVITE",
    "MESSAGE",
    "NOTIFY",
    "OPTIONS",
    "PRACK",
    "QAUTH",
    "REFER",
    "REGISTER",
    "SPRACK",
    "SUBSCRIBE",
    "UPDATE",
    "PUBLISH",
];

/// `sip_print`: `p` holds the captured payload of `len` bytes.
pub fn sip_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "sip";
    txtproto_print(ctx, p, len, Some(SIP_CMDS), true)
}
