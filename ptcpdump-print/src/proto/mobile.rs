//! Minimal Encapsulation within IP (RFC 2004), IP protocol 55; tcpdump's print-mobile.c.
//!
//! ```text
//! | Protocol  |S| reserved      |        Header Checksum        |
//! |                 Original Destination Address                  |
//! :            (optional) Original Source Address                 :
//! ```

use super::{Ctx, in_cksum, pr};
use crate::cursor::{Bytes, PResult};

const MOBILE_SIZE: u32 = 8;
const OSRC_PRES: u16 = 0x0080;

/// A minimal encapsulation header.
pub fn mobile_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "mobile";
    // tcpdump checks the whole 12-byte structure, source address included.
    if length < MOBILE_SIZE || p.len() < 12 {
        ctx.print_trunc();
        return Ok(());
    }
    ctx.push("mobile: ");
    let proto = p.be_u16(0)?;
    let crc = p.be_u16(2)?;
    let osp = proto & OSRC_PRES != 0;
    if osp {
        ctx.push("[S] ");
        if ctx.vflag() > 0 {
            ctx.ip(&p[8..12]);
            ctx.push(" ");
        }
    } else {
        ctx.push("[] ");
    }
    if ctx.vflag() > 0 {
        ctx.push("> ");
        ctx.ip(&p[4..8]);
        pr!(ctx, " (oproto={})", proto >> 8);
    }
    let n = if osp { 12 } else { 8 };
    if in_cksum(&[&p[..n]]) != 0 {
        pr!(ctx, " (bad checksum {})", crc);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(p: &[u8], verbose: u8) -> String {
        run_with(&opts(verbose, false), |ctx| {
            mobile_print(ctx, p, p.len() as u32)
        })
        .0
    }

    #[test]
    fn header() {
        // Protocol 6, no source, checksum over the 8 bytes made valid.
        let mut p = [6u8, 0, 0, 0, 10, 0, 0, 1, 0, 0, 0, 0];
        let c = in_cksum(&[&p[..8]]);
        p[2..4].copy_from_slice(&c.to_be_bytes());
        assert_eq!(run(&p, 0), "mobile: [] ");
        assert_eq!(run(&p, 1), "mobile: [] > 10.0.0.1 (oproto=6)");
        for n in 0..12 {
            assert_eq!(run(&p[..n], 0), " [|mobile]");
        }
    }
}
