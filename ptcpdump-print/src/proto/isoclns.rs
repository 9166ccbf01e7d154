//! OSI network-layer dispatch by NLPID (ISO/IEC TR 9577); tcpdump's `isoclns_print` in
//! print-isoclns.c. CLNP, ES-IS and IS-IS themselves have no printer here: they get the same
//! generic line and hex dump as an unknown NLPID.

use super::util_print::{print_unknown_data, tail};
use super::{Ctx, ip, ip6, ppp, pr, tok};
use crate::cursor::{Bytes, PResult};

pub const NLPID_VALUES: &[(u32, &str)] = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x09, "LMI"),
    (0x80, "SNAP"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0x84, "CONS"),
    (0x85, "IDRP"),
    (0xc1, "ISIS_SPB"),
    (0xb1, "FRF.15"),
    (0xcc, "IPv4"),
    (0xcf, "PPP"),
    (0x8a, "X25 ES-IS"),
    (0x8e, "IPv6"),
];

/// An OSI packet starting with its NLPID.
pub fn isoclns_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "isoclns";
    let nlpid = p.u8_at(0)?;
    if ctx.eflag() {
        pr!(
            ctx,
            "OSI NLPID {} (0x{:02x}): ",
            tok(NLPID_VALUES, nlpid as u32).unwrap_or("Unknown"),
            nlpid
        );
    }
    let sep = if ctx.eflag() { "" } else { ", " };
    match nlpid {
        0x00 => pr!(ctx, "{}length: {}", sep, length),
        0x08 => super::fr::q933_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        0xcc => ip::ip_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        0x8e => ip6::ip6_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        0xcf => _ = ppp::ppp_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        _ => {
            if !ctx.eflag() {
                pr!(ctx, "OSI NLPID 0x{:02x} unknown", nlpid);
            }
            pr!(ctx, "{}length: {}", sep, length);
            if length > 1 {
                print_unknown_data(ctx, p, "\n\t", length as usize);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(p: &[u8], e: bool) -> String {
        run_marked(&opts(0, e), |ctx| isoclns_print(ctx, p, p.len() as u32))
    }

    #[test]
    fn unknown_and_null() {
        assert_eq!(
            run(&[0xfe, 0x7f], false),
            "OSI NLPID 0xfe unknown, length: 2\n\t0x0000:  fe7f"
        );
        assert_eq!(
            run(&[0xfe, 0x7f], true),
            "OSI NLPID Unknown (0xfe): length: 2\n\t0x0000:  fe7f"
        );
        assert_eq!(run(&[0x00], false), ", length: 1");
        assert_eq!(run(&[], false), " [|isoclns]");
    }
}
