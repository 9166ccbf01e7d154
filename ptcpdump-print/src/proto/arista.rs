//! Arista Networks' vendor Ethernet type 0xd28b: the TapAgg timestamp header ("Overview of
//! Arista Ethernet Timestamps", Arista white paper); tcpdump's print-arista.c.
//!
//! After the type: a subtype (2 bytes, 1 = timestamp), a version (2 bytes: timescale in the
//! first byte, then format in 4 bits and hardware info in 4 bits), then a 64-bit timestamp
//! (32 bits of seconds, 32 of nanoseconds) or a 48-bit one (16 bits of seconds, 32 of
//! nanoseconds), then the original Ethernet type.

use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const SUBTYPE_TIMESTAMP: u16 = 1;
const FORMAT_64BIT: u8 = 1;
const FORMAT_48BIT: u8 = 2;

const SUBTYPE_VALUES: &[(u32, &str)] = &[(1, "Timestamp")];
const TIMESCALE_VALUES: &[(u32, &str)] = &[(0, "TAI"), (1, "UTC")];
const FORMAT_VALUES: &[(u32, &str)] = &[(1, "64-bit"), (2, "48-bit")];
const HW_INFO_VALUES: &[(u32, &str)] = &[(0, "R/R2"), (1, "R3")];

fn name(table: &[(u32, &'static str)], v: u32) -> &'static str {
    tok(table, v).unwrap_or("Unknown")
}

/// The header after the type field. Returns the bytes it takes (the next type field follows
/// them), or `None` for a subtype or format this does not know.
pub fn arista_ethertype_print(ctx: &mut Ctx, p: &[u8]) -> PResult<Option<u32>> {
    ctx.protocol = "arista";
    let subtype = p.be_u16(0)?;
    pr!(
        ctx,
        "SubType {} (0x{:04x}), ",
        name(SUBTYPE_VALUES, subtype as u32),
        subtype
    );
    if subtype != SUBTYPE_TIMESTAMP {
        return Ok(None);
    }
    let timescale = p.u8_at(2)?;
    pr!(
        ctx,
        "Timescale {} ({}), ",
        name(TIMESCALE_VALUES, timescale as u32),
        timescale
    );
    let b = p.u8_at(3)?;
    let (format, hw) = (b >> 4, b & 0x0f);
    pr!(
        ctx,
        "Format {} ({}), HwInfo {} ({}), Timestamp ",
        name(FORMAT_VALUES, format as u32),
        format,
        name(HW_INFO_VALUES, hw as u32),
        hw
    );
    let used = match format {
        FORMAT_64BIT => {
            let (sec, ns) = (p.be_u32(4)?, p.be_u32(8)?);
            let sec = sec as i64 + (ns / 1_000_000_000) as i64;
            if !crate::ts::utc_date_time(ctx.out, sec) {
                ctx.push("gmtime() error");
            } else {
                pr!(ctx, ".{:09}", ns % 1_000_000_000);
            }
            12
        }
        FORMAT_48BIT => {
            let (sec, ns) = (p.be_u16(4)? as u64, p.be_u32(6)?);
            pr!(
                ctx,
                "{}.{:09}",
                sec + (ns / 1_000_000_000) as u64,
                ns % 1_000_000_000
            );
            10
        }
        _ => return Ok(None),
    };
    ctx.push(": ");
    Ok(Some(used))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    #[test]
    fn timestamps() {
        let ts64 = [
            0, 1, 0, 0x10, 0x5c, 0xee, 0xed, 0x37, 0x38, 0x4f, 0x0a, 0xc8,
        ];
        let (out, r) = run_with(&opts(0, false), |ctx| arista_ethertype_print(ctx, &ts64));
        assert_eq!(r, Ok(Some(12)));
        assert_eq!(
            out,
            "SubType Timestamp (0x0001), Timescale TAI (0), Format 64-bit (1), HwInfo R/R2 (0), \
             Timestamp 2019-05-29 20:36:07.944704200: "
        );
        let ts48 = [0, 1, 1, 0x21, 0, 5, 0x3b, 0x9a, 0xca, 0x01];
        let (out, r) = run_with(&opts(0, false), |ctx| arista_ethertype_print(ctx, &ts48));
        assert_eq!(r, Ok(Some(10)));
        assert_eq!(
            out,
            "SubType Timestamp (0x0001), Timescale UTC (1), Format 48-bit (2), HwInfo R3 (1), \
             Timestamp 6.000000001: "
        );
        let (out, r) = run_with(&opts(0, false), |ctx| arista_ethertype_print(ctx, &[0, 2]));
        assert_eq!((out.as_str(), r), ("SubType Unknown (0x0002), ", Ok(None)));
    }

    #[test]
    fn truncated_at_every_offset() {
        let ts64 = [
            0, 1, 0, 0x10, 0x5c, 0xee, 0xed, 0x37, 0x38, 0x4f, 0x0a, 0xc8,
        ];
        assert_every_truncation_is_safe(&ts64, &verbosities(1), arista_ethertype_print);
    }
}
