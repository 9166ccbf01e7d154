//! RIPng (RFC 2080), UDP port 521: requests (or a whole-table request) and responses with
//! their route table entries; tcpdump's print-ripng.c.
//!
//! With `-vv` each entry is on its own line.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const VERSION: u8 = 1;
const REQUEST: u8 = 1;
const RESPONSE: u8 = 2;
const HDR_LEN: u32 = 4;
/// Prefix, route tag, prefix length, metric.
const ENTRY_LEN: u32 = 20;
const HOPCNT_INFINITY: u8 = 16;

/// One route table entry at `off`; the metric only for responses.
fn entry_print(ctx: &mut Ctx, p: &[u8], off: usize, metric: bool) -> PResult {
    let mut a = String::new();
    crate::addr::push_ipv6(&mut a, p.sub(off, 16)?);
    pr!(ctx, "{}/{}", a, p.u8_at(off + 18)?);
    let tag = p.be_u16(off + 16)?;
    if tag != 0 {
        pr!(ctx, " [{}]", tag);
    }
    let m = p.u8_at(off + 19)?;
    if m != 0 && metric {
        pr!(ctx, " ({})", m);
    }
    Ok(())
}

/// A RIPng message; `p`: the captured UDP payload, `length` its length.
pub fn ripng_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "ripng";
    let vers = p.u8_at(1)?;
    if vers != VERSION {
        pr!(ctx, " [vers {}]", vers);
        ctx.print_invalid();
        return Ok(());
    }
    let cmd = p.u8_at(0)?;
    let (what, metric) = match cmd {
        REQUEST => ("req", false),
        RESPONSE => ("resp", true),
        _ => {
            pr!(ctx, " ripng-{} ?? {}", cmd, length);
            ctx.print_invalid();
            return Ok(());
        }
    };
    if length < HDR_LEN {
        ctx.print_invalid();
        return Ok(());
    }
    let mut left = length - HDR_LEN;
    let n = left / ENTRY_LEN;
    // A request for the whole table: one entry, prefix ::, metric infinity.
    if cmd == REQUEST
        && n == 1
        && p.u8_at(4 + 19)? == HOPCNT_INFINITY
        && p.sub(4, 16)?.iter().all(|&b| b == 0)
    {
        ctx.push(" ripng-req dump");
        return Ok(());
    }
    if n * ENTRY_LEN != left {
        pr!(ctx, " ripng-{} {}[{}]:", what, n, length);
    } else {
        pr!(ctx, " ripng-{} {}:", what, n);
    }
    let mut o = HDR_LEN as usize;
    while left >= ENTRY_LEN {
        ctx.push(if ctx.vflag() > 1 { "\n\t" } else { " " });
        entry_print(ctx, p, o, metric)?;
        left -= ENTRY_LEN;
        o += ENTRY_LEN as usize;
    }
    if left != 0 {
        ctx.print_invalid();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| ripng_print(ctx, p, p.len() as u32))
    }

    const REQUEST: &str = "0101000020010db80000000000000000000000000005200120010db800010000000000\
                           000000000000003000";
    // A response with two entries and two octets too many.
    const RESPONSE: &str = "0201000020010db800000000000000000000000000052003000000000000000000000000\
                            00000000000000107879";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn requests_and_responses() {
        assert_eq!(
            run(0, &hex(REQUEST)),
            " ripng-req 2: 2001:db8::/32 [5] 2001:db8:1::/48"
        );
        assert_eq!(
            run(0, &hex(RESPONSE)),
            " ripng-resp 2[46]: 2001:db8::/32 [5] (3) ::/0 (16) (invalid)"
        );
        assert_eq!(
            run(2, &hex(RESPONSE)),
            " ripng-resp 2[46]:\n\t2001:db8::/32 [5] (3)\n\t::/0 (16) (invalid)"
        );
        let mut dump = hex(REQUEST)[..24].to_vec();
        dump[4..20].fill(0);
        dump[23] = 16;
        assert_eq!(run(0, &dump), " ripng-req dump");
    }

    #[test]
    fn truncated_at_every_offset() {
        for m in [REQUEST, RESPONSE] {
            let p = hex(m);
            assert_every_truncation_is_safe(&p, &verbosities(2), |ctx, q| {
                ripng_print(ctx, q, p.len() as u32)
            });
            for n in 0..p.len() - 2 {
                let out = run_marked(&opts(0, false), |ctx| {
                    ripng_print(ctx, &p[..n], p.len() as u32)
                });
                assert!(out.ends_with(" [|ripng]"), "{n}: {out}");
            }
        }
    }
}
