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
    use crate::PrintOptions;
    use crate::proto::State;

    #[test]
    fn every_payload_is_text() {
        let opts = PrintOptions {
            verbose: 1,
            ..Default::default()
        };
        let mut state = State::default();
        let mut out = String::new();
        let mut ctx = Ctx::new(&mut out, &opts, &mut state);
        let p = b"domain example.net\r\n";
        whois_print(&mut ctx, p, p.len() as u32).unwrap();
        assert_eq!(out, "WHOIS, length: 20\n\tdomain example.net");
    }
}
