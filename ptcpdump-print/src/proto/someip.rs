//! Scalable service-Oriented MiddlewarE over IP, SOME/IP (AUTOSAR "SOME/IP Protocol
//! Specification", R19-11, section 4.1.2 header format); tcpdump's print-someip.c. UDP port
//! 30490.
//!
//! ```text
//! message ID: service(2) E(1b) method/event(15b)   length(4)
//! request ID: client(2) session(2)
//! protocol version(1) interface version(1) message type(1) return code(1)
//! ```

use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const MESSAGE_TYPES: &[(u32, &str)] = &[
    (0x00, "REQUEST"),
    (0x01, "REQUEST_NO_RETURN"),
    (0x02, "NOTIFICATION"),
    (0x80, "RESPONSE"),
    (0x81, "ERROR"),
    (0x20, "TP_REQUEST"),
    (0x21, "TP_REQUEST_NO_RETURN"),
    (0x22, "TP_NOTIFICATION"),
    (0xa0, "TP_RESPONSE"),
    (0xa1, "TP_ERROR"),
];

const RETURN_CODES: &[(u32, &str)] = &[
    (0x00, "E_OK"),
    (0x01, "E_NOT_OK"),
    (0x02, "E_UNKNOWN_SERVICE"),
    (0x03, "E_UNKNOWN_METHOD"),
    (0x04, "E_NOT_READY"),
    (0x05, "E_NOT_REACHABLE"),
    (0x06, "E_TIMEOUT"),
    (0x07, "E_WRONG_PROTOCOL_VERSION"),
    (0x08, "E_WRONG_INTERFACE_VERSION"),
    (0x09, "E_MALFORMED_MESSAGE"),
    (0x0a, "E_WRONG_MESSAGE_TYPE"),
    (0x0b, "E_E2E_REPEATED"),
    (0x0c, "E_E2E_WRONG_SEQUENCE"),
    (0x0d, "E_E2E"),
    (0x0e, "E_E2E_NOT_AVAILABLE"),
    (0x0f, "E_E2E_NO_NEW_DATA"),
];

/// A SOME/IP header of a `len`-byte message at `p` (the payload is not decoded).
pub fn someip_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "someip";
    ctx.push("SOMEIP");
    if len < 16 {
        ctx.print_invalid();
        return Ok(());
    }
    let message_id = p.be_u32(0)?;
    pr!(
        ctx,
        ", service {}, {} {}",
        message_id >> 16,
        if message_id & 0x8000 != 0 {
            "event"
        } else {
            "method"
        },
        message_id & 0x7fff
    );
    pr!(ctx, ", len {}", p.be_u32(4)?);
    let request_id = p.be_u32(8)?;
    pr!(
        ctx,
        ", client {}, session {}",
        request_id >> 16,
        request_id & 0xffff
    );
    pr!(ctx, ", pver {}", p.u8_at(12)?);
    pr!(ctx, ", iver {}", p.u8_at(13)?);
    let message_type = p.u8_at(14)?;
    ctx.push(", msgtype ");
    tok2str(ctx.out, MESSAGE_TYPES, "Unknown", message_type as u32);
    let return_code = p.u8_at(15)?;
    ctx.push(", retcode ");
    tok2str(ctx.out, RETURN_CODES, "Unknown", return_code as u32);
    ctx.push("\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    const MSG: &[u8] = &[0, 1, 0, 2, 0, 0, 0, 8, 0, 8, 0, 5, 1, 1, 1, 0];

    fn run(p: &[u8], len: u32) -> String {
        run_marked(&opts(0, false), |ctx| someip_print(ctx, p, len))
    }

    #[test]
    fn header() {
        // tcpdump's someip2 test.
        assert_eq!(
            run(MSG, 16),
            "SOMEIP, service 1, method 2, len 8, client 8, session 5, pver 1, iver 1, \
             msgtype REQUEST_NO_RETURN, retcode E_OK\n"
        );
        assert_eq!(run(MSG, 15), "SOMEIP (invalid)");
        assert!(run(&MSG[..14], 16).ends_with(", iver 1 [|someip]"));
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(MSG, &verbosities(1), |ctx, p| someip_print(ctx, p, 16));
    }
}
