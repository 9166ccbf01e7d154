//! WHOIS (RFC 3912); tcpdump's print-whois.c.

use super::Ctx;
use super::textutil::txtproto_print;
use crate::cursor::PResult;

/// `whois_print`: `p` holds the captured payload of `len` bytes.
pub fn whois_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "whois";
    txtproto_print(ctx, p, len, None, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    #[test]
    fn every_payload_is_text() {
        let p = b"domain example.net\r\n";
        let (out, r) = run_with(&opts(1, false), |ctx| whois_print(ctx, p, p.len() as u32));
        r.unwrap();
        assert_eq!(out, "WHOIS, length: 20\n\tdomain example.net");
    }
}
