//! Cisco IGRP (Cisco's "An Introduction to IGRP", 1991), IP protocol 9: the header and the
//! interior, system and exterior routes; tcpdump's print-igrp.c.

use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: u32 = 12;
const RTE_LEN: u32 = 14;

const OP_VALUES: &[(u32, &str)] = &[(1, "update"), (2, "request")];

/// The metric of a route entry at `o`: delay (tens of microseconds), bandwidth (inverse,
/// in units of 1 kbit/s), reliability, load, the composite metric, MTU and hops.
fn entry_print(ctx: &mut Ctx, p: &[u8], o: usize) -> PResult {
    let delay = p.be_u24(o + 3)?;
    let bw = p.be_u24(o + 6)?;
    let metric = (bw + delay).min(0xff_ffff);
    let mtu = p.be_u16(o + 9)?;
    pr!(
        ctx,
        " d={} b={} r={} l={} M={} mtu={} in {} hops",
        10 * delay,
        10_000_000u32.checked_div(bw).unwrap_or(0),
        p.u8_at(o + 11)?,
        p.u8_at(o + 12)?,
        metric,
        mtu,
        p.u8_at(o + 13)?
    );
    Ok(())
}

/// An IGRP packet; `p`: captured bytes from the header, `length` its length.
pub fn igrp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "igrp";
    ctx.push("igrp:");
    let mut nint = p.be_u16(4)?;
    let mut nsys = p.be_u16(6)?;
    let mut next = p.be_u16(8)?;
    let vop = p.u8_at(0)?;
    ctx.push(" ");
    tok2str(ctx.out, OP_VALUES, "op-#{}", (vop & 0x0f) as u32);
    pr!(
        ctx,
        " V{} edit={} AS={} ({}/{}/{})",
        vop >> 4,
        p.u8_at(1)?,
        p.be_u16(2)?,
        nint,
        nsys,
        next
    );
    let cksum = p.be_u16(10)?;
    if ctx.vflag() > 0 {
        pr!(ctx, " checksum=0x{:04x}", cksum);
    }
    // A length below the header's wraps, as in tcpdump: entries are then read until the
    // capture ends.
    let mut length = length.wrapping_sub(HDR_LEN);
    let mut o = HDR_LEN as usize;
    while length >= RTE_LEN {
        let net = p.sub(o, 3)?;
        let (a, b, c) = (net[0], net[1], net[2]);
        if nint > 0 {
            pr!(ctx, " *.{}.{}.{}", a, b, c);
            nint -= 1;
        } else if nsys > 0 {
            pr!(ctx, " {}.{}.{}.0", a, b, c);
            nsys -= 1;
        } else if next > 0 {
            pr!(ctx, " X{}.{}.{}.0", a, b, c);
            next -= 1;
        } else {
            pr!(ctx, " [extra bytes {}]", length);
            break;
        }
        entry_print(ctx, p, o)?;
        o += RTE_LEN as usize;
        length -= RTE_LEN;
    }
    if nint != 0 || nsys != 0 || next != 0 || length != 0 {
        ctx.print_invalid();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    // Update with one interior, one system and one exterior route, and one entry too many.
    const UPDATE: &[u8] = &[
        0x11, 3, 0, 100, 0, 1, 0, 1, 0, 1, 0, 0, //
        1, 2, 3, 0, 3, 0xe8, 0, 6, 8, 5, 0xdc, 0xff, 1, 2, //
        1, 2, 3, 0, 3, 0xe8, 0, 6, 8, 5, 0xdc, 0xff, 1, 2, //
        1, 2, 3, 0, 3, 0xe8, 0, 6, 8, 5, 0xdc, 0xff, 1, 2, //
        1, 2, 3, 0, 3, 0xe8, 0, 6, 8, 5, 0xdc, 0xff, 1, 2,
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| {
            igrp_print(ctx, p, UPDATE.len() as u32)
        })
    }

    // tcpdump 4.99.3's text.
    #[test]
    fn update() {
        let route = "d=10000 b=6476 r=255 l=1 M=2544 mtu=1500 in 2 hops";
        assert_eq!(
            run(0, UPDATE),
            format!(
                "igrp: update V1 edit=3 AS=100 (1/1/1) *.1.2.3 {route} 1.2.3.0 {route} \
                 X1.2.3.0 {route} [extra bytes 14] (invalid)"
            )
        );
        assert!(
            run(1, UPDATE).starts_with("igrp: update V1 edit=3 AS=100 (1/1/1) checksum=0x0000 *")
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(UPDATE, &verbosities(1), |ctx, p| {
            igrp_print(ctx, p, UPDATE.len() as u32)
        });
        for n in 0..UPDATE.len() - 14 {
            assert!(run(0, &UPDATE[..n]).ends_with(" [|igrp]"), "{n}");
        }
    }
}
