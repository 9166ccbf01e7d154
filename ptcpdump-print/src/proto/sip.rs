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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(p: &[u8]) -> String {
        run_with(&opts(0, false), |ctx| sip_print(ctx, p, p.len() as u32)).0
    }

    #[test]
    fn requests_and_status_lines() {
        assert_eq!(
            run(b"options sip:x SIP/2.0\r\n"),
            "SIP: options sip:x SIP/2.0"
        );
        assert_eq!(run(b"SIP/2.0 200 OK\r\n"), "SIP: SIP/2.0 200 OK");
        assert_eq!(run(b"binary\x00\r\n"), "SIP");
    }
}
