//! HTTP (RFC 9110, RFC 9112) request and status lines; tcpdump's print-http.c.

use super::Ctx;
use super::textutil::txtproto_print;
use crate::cursor::PResult;

/// Request methods tcpdump recognises (WebDAV and friends included).
const HTTP_CMDS: &[&str] = &[
    "GET",
    "PUT",
    "COPY",
    "HEAD",
    "LOCK",
    "MOVE",
    "POLL",
    "POST",
    "BCOPY",
    "BMOVE",
    "MKCOL",
    "TRACE",
    "LABEL",
    "MERGE",
    "DELETE",
    "SEARCH",
    "UNLOCK",
    "REPORT",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CONNECT",
    "OPTIONS",
    "CHECKIN",
    "PROPFIND",
    "CHECKOUT",
    "CCM_POST",
    "SUBSCRIBE",
    "PROPPATCH",
    "BPROPFIND",
    "BPROPPATCH",
    "UNCHECKOUT",
    "MKACTIVITY",
    "MKWORKSPACE",
    "UNSUBSCRIBE",
    "RPC_CONNECT",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

/// `http_print`: `p` holds the captured TCP payload of `len` bytes.
pub fn http_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "http";
    txtproto_print(ctx, p, len, Some(HTTP_CMDS), true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(v: u8, p: &[u8], len: u32) -> String {
        run_marked(&opts(v, false), |ctx| http_print(ctx, p, len))
    }

    const REQ: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody\x01";

    #[test]
    fn request_and_response_lines() {
        assert_eq!(run(0, REQ, REQ.len() as u32), "HTTP: GET / HTTP/1.1");
        assert_eq!(
            run(1, REQ, REQ.len() as u32),
            "HTTP, length: 32\n\tGET / HTTP/1.1\n\tHost: x\n\t"
        );
        let resp = b"HTTP/1.1 200 OK\r\n";
        assert_eq!(run(0, resp, resp.len() as u32), "HTTP: HTTP/1.1 200 OK");
        // A continuation segment is only named.
        assert_eq!(run(1, b"<html>\r\n", 8), "HTTP");
    }

    #[test]
    fn line_without_end_is_truncated() {
        assert_eq!(
            run(0, b"GET /x HTTP/1.1", 15),
            "HTTP: GET /x HTTP/1.1 [|http]"
        );
        // Captured bytes end before the message does.
        assert_eq!(run(0, b"GET /x HT", 15), "HTTP [|http]");
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for cut in 0..REQ.len() {
            for v in 0..2 {
                run(v, &REQ[..cut], REQ.len() as u32);
            }
        }
    }
}
