//! Mobile IPv6 Mobility Header (RFC 6275 section 6.1); tcpdump's print-mobility.c.

use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult};

const IP6M_MINLEN: u32 = 8;

const TYPES: &[(u32, &str)] = &[
    (0, "BRR"),
    (1, "HoTI"),
    (2, "CoTI"),
    (3, "HoT"),
    (4, "CoT"),
    (5, "BU"),
    (6, "BA"),
    (7, "BE"),
];

/// Smallest header length for each known message type.
const HDRLEN: [u32; 8] = [
    IP6M_MINLEN,
    IP6M_MINLEN + 8,
    IP6M_MINLEN + 8,
    IP6M_MINLEN + 16,
    IP6M_MINLEN + 16,
    IP6M_MINLEN + 4,
    IP6M_MINLEN + 4,
    IP6M_MINLEN + 16,
];

const BU_BITS: &[(u32, &str)] = &[(0x08, "A"), (0x04, "H"), (0x02, "L"), (0x01, "K")];

/// `mobility_opt_print`: the mobility options in `bp[..len]`; `Ok(false)` when malformed.
fn opt_print(ctx: &mut Ctx, bp: &[u8], len: usize) -> PResult<bool> {
    let mut i = 0;
    while i < len {
        let t = bp.u8_at(i)?;
        let optlen = if t == 0 {
            1
        } else if i + 1 < len {
            usize::from(bp.u8_at(i + 1)?) + 2
        } else {
            return Ok(false);
        };
        if i + optlen > len {
            return Ok(false);
        }
        bp.u8_at(i + optlen)?;
        let short = |min: usize| len - i < min;
        match t {
            0 => ctx.push("(pad1)"),
            1 => {
                if short(2) {
                    ctx.push("(padn: trunc)");
                    return Ok(false);
                }
                ctx.push("(padn)");
            }
            2 => {
                if short(4) {
                    ctx.push("(refresh: trunc)");
                    return Ok(false);
                }
                pr!(ctx, "(refresh: {})", u32::from(bp.be_u16(i + 2)?) << 2);
            }
            3 => {
                if short(18) {
                    ctx.push("(altcoa: trunc)");
                    return Ok(false);
                }
                let a = bp.sub(i + 2, 16)?;
                ctx.push("(alt-CoA: ");
                ctx.ip(a);
                ctx.push(")");
            }
            4 => {
                if short(6) {
                    ctx.push("(ni: trunc)");
                    return Ok(false);
                }
                pr!(
                    ctx,
                    "(ni: ho=0x{:04x} co=0x{:04x})",
                    bp.be_u16(i + 2)?,
                    bp.be_u16(i + 4)?
                );
            }
            5 => {
                if short(12) {
                    ctx.push("(auth: trunc)");
                    return Ok(false);
                }
                ctx.push("(auth)");
            }
            _ => {
                if short(2) {
                    pr!(ctx, "(sopt_type {}: trunc)", t);
                    return Ok(false);
                }
                pr!(ctx, "(type-0x{:02x}: len={})", t, bp.u8_at(i + 1)?);
            }
        }
        i += optlen;
    }
    Ok(true)
}

/// Prints the mobility header at `bp`; returns its length, or -1 after printing a
/// truncation or length complaint. Nothing after it is decoded.
pub fn mobility_print(ctx: &mut Ctx, bp: &[u8]) -> PResult<i32> {
    ctx.protocol = "mobility";
    let Ok(l) = bp.u8_at(1) else {
        ctx.print_trunc();
        return Ok(-1);
    };
    let mhlen = (u32::from(l) + 1) << 3;
    let typ = bp.u8_at(2)?;
    if let Some(&min) = HDRLEN.get(usize::from(typ))
        && mhlen < min
    {
        pr!(
            ctx,
            "(header length {} is too small for type {})",
            mhlen,
            typ
        );
        ctx.print_trunc();
        return Ok(-1);
    }
    ctx.push("mobility: ");
    match tok(TYPES, typ.into()) {
        Some(s) => ctx.push(s),
        None => pr!(ctx, "type-#{}", typ),
    }
    let v = ctx.vflag();
    let side = |home: bool| if home { "Home" } else { "Care-of" };
    let hlen: u32 = match typ {
        0 => IP6M_MINLEN,
        1 | 2 => {
            if v > 0 {
                id_pair(ctx, side(typ == 1), "Init Cookie", bp, 8)?;
            }
            IP6M_MINLEN + 8
        }
        3 | 4 => {
            pr!(ctx, " nonce id=0x{:x}", bp.be_u16(6)?);
            if v > 0 {
                id_pair(ctx, side(typ == 3), "Init Cookie", bp, 8)?;
                id_pair(ctx, side(typ == 3), "Keygen Token", bp, 16)?;
            }
            IP6M_MINLEN + 16
        }
        5 => {
            pr!(ctx, " seq#={}", bp.be_u16(6)?);
            if !bp.has(8, 2) {
                ctx.print_trunc();
                return Ok(-1);
            }
            let bits = u32::from(bp[8] & 0xf0) >> 4;
            if bits != 0 {
                ctx.push(" ");
                bittok2str(ctx.out, BU_BITS, "bits-#0x{:x}", bits, "");
            }
            pr!(ctx, " lifetime={}", u32::from(bp.be_u16(10)?) << 2);
            IP6M_MINLEN + 4
        }
        6 => {
            pr!(ctx, " status={}", bp.u8_at(6)?);
            if bp.u8_at(7)? & 0x80 != 0 {
                ctx.push(" K");
            }
            pr!(ctx, " seq#={}", bp.be_u16(8)?);
            pr!(ctx, " lifetime={}", u32::from(bp.be_u16(10)?) << 2);
            IP6M_MINLEN + 4
        }
        7 => {
            pr!(ctx, " status={}", bp.u8_at(6)?);
            let a = bp.sub(8, 16)?;
            ctx.push(" homeaddr ");
            ctx.ip(a);
            IP6M_MINLEN + 16
        }
        _ => {
            pr!(ctx, " len={}", l);
            return Ok(mhlen as i32);
        }
    };
    if v > 0 {
        let opts = bp.from(hlen as usize).unwrap_or(&[]);
        if !opt_print(ctx, opts, (mhlen - hlen) as usize)? {
            ctx.print_trunc();
            return Ok(-1);
        }
    }
    Ok(mhlen as i32)
}

/// ` SIDE WHAT=xxxxxxxx:xxxxxxxx`, the 64-bit cookie or token at `off`.
fn id_pair(ctx: &mut Ctx, side: &str, what: &str, bp: &[u8], off: usize) -> PResult {
    pr!(
        ctx,
        " {} {}={:08x}:{:08x}",
        side,
        what,
        bp.be_u32(off)?,
        bp.be_u32(off + 4)?
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| mobility_print(ctx, p))
    }

    // Binding Update, seq 1000, A bit, lifetime 3600 units of 4 s, PadN option; one more
    // byte follows (tcpdump checks that the byte after each option is captured).
    const BU: [u8; 17] = [
        59, 1, 5, 0, 0, 0, 0x03, 0xe8, 0x80, 0, 0x0e, 0x10, 1, 2, 0, 0, 0,
    ];

    #[test]
    fn binding_update() {
        assert_eq!(run(0, &BU), "mobility: BU seq#=1000 A lifetime=14400");
        assert_eq!(run(1, &BU), "mobility: BU seq#=1000 A lifetime=14400(padn)");
        assert_eq!(
            run(1, &BU[..16]),
            "mobility: BU seq#=1000 A lifetime=14400 [|mobility]"
        );
        let mut short = BU;
        short[1] = 0;
        assert_eq!(
            run(0, &short),
            "(header length 8 is too small for type 5) [|mobility]"
        );
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for cut in 0..BU.len() {
            for v in 0..2 {
                run(v, &BU[..cut]);
            }
        }
    }
}
