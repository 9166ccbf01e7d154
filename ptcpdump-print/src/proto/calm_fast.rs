//! CALM FAST (Ethernet type 0x1111): ISO 29281:2009, "Intelligent transport systems —
//! Communications access for land mobiles (CALM) — Non-IP networking"; tcpdump's
//! print-calm-fast.c. Only the source and destination network references are decoded.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

/// A CALM FAST packet; `src`: the link-layer source address when known.
pub fn calm_fast_print(ctx: &mut Ctx, p: &[u8], length: u32, src: Option<&[u8]>) -> PResult {
    ctx.protocol = "calm_fast";
    ctx.push("CALM FAST");
    if let Some(a) = src {
        ctx.push(" src:");
        ctx.mac(a);
    }
    ctx.push("; ");
    if length < 2 {
        pr!(ctx, " (length {} < 2)", length);
        ctx.print_invalid();
        return p.sub(0, length as usize).map(|_| ());
    }
    pr!(ctx, "SrcNwref:{}; ", p.u8_at(0)?);
    pr!(ctx, "DstNwref:{}; ", p.u8_at(1)?);
    if ctx.vflag() > 0 {
        ctx.default_print(p.from(2)?, length - 2)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    #[test]
    fn references() {
        let src = [0, 0x0c, 0x42, 0x69, 0x68, 0xbe];
        let d = [0, 0, 0xab];
        assert_eq!(
            run_marked(&opts(0, false), |ctx| calm_fast_print(
                ctx,
                &d,
                3,
                Some(&src)
            )),
            "CALM FAST src:00:0c:42:69:68:be; SrcNwref:0; DstNwref:0; "
        );
        assert_eq!(
            run_marked(&opts(1, false), |ctx| calm_fast_print(ctx, &d, 4, None)),
            "CALM FAST; SrcNwref:0; DstNwref:0; \n\t0x0000:  ab                                       . [|calm_fast]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(&[1, 2, 3, 4], &verbosities(1), |ctx, p| {
            calm_fast_print(ctx, p, 4, None)
        });
    }
}
