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
    use crate::proto::testutil::{opts, run_with};

    #[test]
    fn cpi() {
        let (out, ()) = run_with(&opts(0, false), |ctx| {
            assert!(ipcomp_print(ctx, &[4, 0, 0x12, 0x34]).is_ok());
            assert!(ipcomp_print(ctx, &[4, 0, 0x12]).is_err());
        });
        assert_eq!(out, "IPComp(cpi=0x1234)");
    }
}
