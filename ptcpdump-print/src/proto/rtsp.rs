//! RTSP (RFC 2326) request and status lines; tcpdump's print-rtsp.c.

use super::Ctx;
use super::textutil::txtproto_print;
use crate::cursor::PResult;

/// Request methods tcpdump recognises.
const RTSP_CMDS: &[&str] = &[
    "DESCRIBE",
    "ANNOUNCE",
    "GET_PARAMETER",
    "OPTIONS",
    "PAUSE",
    "PLAY",
    "RECORD",
    "REDIRECT",
    "SETUP",
    "SET_PARAMETER",
    "TEARDOWN",
];

/// `rtsp_print`: `p` holds the captured payload of `len` bytes.
pub fn rtsp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "rtsp";
    txtproto_print(ctx, p, len, Some(RTSP_CMDS), true)
}
