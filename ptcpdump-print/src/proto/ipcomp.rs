//! IPComp, IP Payload Compression (RFC 3173), IP protocol 108; tcpdump's print-ipcomp.c.
//! The payload is not decompressed.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

/// An IPComp header: only its compression parameter index.
pub fn ipcomp_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.protocol = "ipcomp";
    let cpi = p.be_u16(2)?;
    pr!(ctx, "IPComp(cpi=0x{:04x})", cpi);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::State;

    #[test]
    fn cpi() {
        let mut out = String::new();
        let opts = PrintOptions::default();
        let mut st = State::default();
        let mut ctx = Ctx::new(&mut out, &opts, &mut st);
        assert!(ipcomp_print(&mut ctx, &[4, 0, 0x12, 0x34]).is_ok());
        assert!(ipcomp_print(&mut ctx, &[4, 0, 0x12]).is_err());
        assert_eq!(out, "IPComp(cpi=0x1234)");
    }
}
