//! AODV, Ad hoc On-Demand Distance Vector routing (RFC 3561), UDP port 654: route requests,
//! replies, errors and acknowledgements over IPv4, over IPv6 (the same messages with IPv6
//! addresses) and in the layout of draft-perkins-manet-aodv6-01 (types 16-19); tcpdump's
//! print-aodv.c.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const RREQ: u8 = 1;
const RREP: u8 = 2;
const RERR: u8 = 3;
const RREP_ACK: u8 = 4;
const V6_DRAFT_01_RREQ: u8 = 16;
const V6_DRAFT_01_RREP: u8 = 17;
const V6_DRAFT_01_RERR: u8 = 18;
const V6_DRAFT_01_RREP_ACK: u8 = 19;

const RREQ_JOIN: u8 = 0x80;
const RREQ_REPAIR: u8 = 0x40;
const RREQ_GRAT: u8 = 0x20;
const RREQ_DEST: u8 = 0x10;
const RREQ_UNKNOWN: u8 = 0x08;
const RREP_REPAIR: u8 = 0x80;
const RREP_ACK_FLAG: u8 = 0x40;
const RREP_PREFIX_MASK: u8 = 0x1f;
const RERR_NODELETE: u8 = 0x80;

const EXT_HELLO: u8 = 1;

/// Where the fields of a route request or reply are, per layout.
struct Layout {
    /// Message size.
    size: usize,
    /// Address size (4 or 16).
    alen: usize,
    /// Offsets of the destination address, destination sequence number, originator address
    /// and originator sequence number (RREQ) or lifetime (RREP).
    da: usize,
    ds: usize,
    oa: usize,
    os: usize,
}

const RREQ4: Layout = Layout {
    size: 24,
    alen: 4,
    da: 8,
    ds: 12,
    oa: 16,
    os: 20,
};
const RREQ6: Layout = Layout {
    size: 48,
    alen: 16,
    da: 8,
    ds: 24,
    oa: 28,
    os: 44,
};
const RREQ6_DRAFT: Layout = Layout {
    size: 48,
    alen: 16,
    da: 16,
    ds: 8,
    oa: 32,
    os: 12,
};
const RREP4: Layout = Layout {
    size: 20,
    alen: 4,
    da: 4,
    ds: 8,
    oa: 12,
    os: 16,
};
const RREP6: Layout = Layout {
    size: 44,
    alen: 16,
    da: 4,
    ds: 20,
    oa: 24,
    os: 40,
};
const RREP6_DRAFT: Layout = Layout {
    size: 44,
    alen: 16,
    da: 8,
    ds: 4,
    oa: 24,
    os: 40,
};

fn addr_str(p: &[u8], off: usize, len: usize) -> PResult<String> {
    let mut s = String::new();
    crate::addr::push_ip(&mut s, p.sub(off, len)?);
    Ok(s)
}

/// The extension after a request or reply (`length` octets at `off`).
fn extension_print(ctx: &mut Ctx, p: &[u8], off: usize, length: u32) -> PResult {
    if !p.has(off, 2) {
        ctx.print_trunc();
        return Ok(());
    }
    let ty = p.u8_at(off)?;
    let len = p.u8_at(off + 1)?;
    if ty == EXT_HELLO {
        if !p.has(off, 6) || length < 6 {
            ctx.print_trunc();
            return Ok(());
        }
        if len < 4 {
            pr!(ctx, "\n\text HELLO - bad length {}", len);
        } else {
            pr!(ctx, "\n\text HELLO {} ms", p.be_u32(off + 2)?);
        }
    } else {
        pr!(ctx, "\n\text {} {}", ty, len);
    }
    Ok(())
}

/// A route request (`what` is ` rreq` or ` v6 rreq`).
fn rreq_print(ctx: &mut Ctx, p: &[u8], length: u32, l: &Layout, what: &str) -> PResult {
    if !p.has(0, l.size) || (length as usize) < l.size {
        ctx.print_trunc();
        return Ok(());
    }
    // tcpdump takes the flags from the type octet.
    let f = p.u8_at(0)?;
    let flag = |bit: u8, s: &'static str| if f & bit != 0 { s } else { "" };
    pr!(
        ctx,
        "{} {} {}{}{}{}{}hops {} id 0x{:08x}\n\tdst {} seq {} src {} seq {}",
        what,
        length,
        flag(RREQ_JOIN, "[J]"),
        flag(RREQ_REPAIR, "[R]"),
        flag(RREQ_GRAT, "[G]"),
        flag(RREQ_DEST, "[D]"),
        if f & RREQ_UNKNOWN != 0 { "[U] " } else { " " },
        p.u8_at(3)?,
        p.be_u32(4)?,
        addr_str(p, l.da, l.alen)?,
        p.be_u32(l.ds)?,
        addr_str(p, l.oa, l.alen)?,
        p.be_u32(l.os)?
    );
    let rest = length - l.size as u32;
    if rest >= 2 {
        extension_print(ctx, p, l.size, rest)?;
    }
    Ok(())
}

/// A route reply.
fn rrep_print(ctx: &mut Ctx, p: &[u8], length: u32, l: &Layout) -> PResult {
    if !p.has(0, l.size) || (length as usize) < l.size {
        ctx.print_trunc();
        return Ok(());
    }
    let f = p.u8_at(0)?;
    pr!(
        ctx,
        " rrep {} {}{}prefix {} hops {}\n\tdst {} dseq {} src {} {} ms",
        length,
        if f & RREP_REPAIR != 0 { "[R]" } else { "" },
        if f & RREP_ACK_FLAG != 0 { "[A] " } else { " " },
        p.u8_at(2)? & RREP_PREFIX_MASK,
        p.u8_at(3)?,
        addr_str(p, l.da, l.alen)?,
        p.be_u32(l.ds)?,
        addr_str(p, l.oa, l.alen)?,
        p.be_u32(l.os)?
    );
    let rest = length - l.size as u32;
    if rest >= 2 {
        extension_print(ctx, p, l.size, rest)?;
    }
    Ok(())
}

/// A route error: the unreachable destinations (`alen`-octet address and sequence number).
fn rerr_print(ctx: &mut Ctx, p: &[u8], length: u32, alen: usize) -> PResult {
    if !p.has(0, 4) || length < 4 {
        ctx.print_trunc();
        return Ok(());
    }
    let count = p.u8_at(3)?;
    pr!(
        ctx,
        " rerr {} [items {}] [{}]:",
        if p.u8_at(1)? & RERR_NODELETE != 0 {
            "[D]"
        } else {
            ""
        },
        count,
        length
    );
    let item = alen + 4;
    let mut o = 4;
    let mut left = length - 4;
    for _ in 0..count {
        if !p.has(o, item) || (left as usize) < item {
            ctx.print_trunc();
            return Ok(());
        }
        let a = addr_str(p, o, alen)?;
        pr!(ctx, " {{{}}}({})", a, p.be_u32(o + alen)?);
        o += item;
        left -= item as u32;
    }
    Ok(())
}

/// An AODV message; `p`: the captured UDP payload, `length` its length; `is_ip6`: carried over
/// IPv6.
pub fn aodv_print(ctx: &mut Ctx, p: &[u8], length: u32, is_ip6: bool) -> PResult {
    ctx.protocol = "aodv";
    let ty = p.u8_at(0)?;
    ctx.push(" aodv");
    match ty {
        RREQ if is_ip6 => rreq_print(ctx, p, length, &RREQ6, " v6 rreq"),
        RREQ => rreq_print(ctx, p, length, &RREQ4, " rreq"),
        RREP if is_ip6 => rrep_print(ctx, p, length, &RREP6),
        RREP => rrep_print(ctx, p, length, &RREP4),
        RERR => rerr_print(ctx, p, length, if is_ip6 { 16 } else { 4 }),
        V6_DRAFT_01_RREQ => rreq_print(ctx, p, length, &RREQ6_DRAFT, " rreq"),
        V6_DRAFT_01_RREP => rrep_print(ctx, p, length, &RREP6_DRAFT),
        V6_DRAFT_01_RERR => rerr_print(ctx, p, length, 16),
        RREP_ACK | V6_DRAFT_01_RREP_ACK => {
            pr!(ctx, " rrep-ack {}", length);
            Ok(())
        }
        _ => {
            pr!(ctx, " type {} {}", ty, length);
            Ok(())
        }
    }
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

    fn run(p: &[u8], v6: bool) -> String {
        run_marked(&opts(0, false), |ctx| {
            aodv_print(ctx, p, p.len() as u32, v6)
        })
    }

    // A route request with a hello extension, a route error with two destinations, and an
    // IPv6 (draft 01) route reply with a hello extension.
    const RREQ: &str = "01f80003000012340a000009000000050a000001000000060104000003e8";
    const RERR: &str = "038000020a000009000000050a00000800000006";
    const RREP6: &str = "114003010000000220010db800000000000000000000000920010db80000000000000000\
                         000000010000000901040000";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn messages() {
        assert_eq!(
            run(&hex(RREQ), false),
            " aodv rreq 30  hops 3 id 0x00001234\n\tdst 10.0.0.9 seq 5 src 10.0.0.1 seq 6\
             \n\text HELLO 1000 ms"
        );
        assert_eq!(
            run(&hex(RERR), false),
            " aodv rerr [D] [items 2] [20]: {10.0.0.9}(5) {10.0.0.8}(6)"
        );
        let mut r = hex(RREP6);
        r.extend_from_slice(&[0x03, 0xe8]);
        assert_eq!(
            run(&r, true),
            " aodv rrep 50  prefix 3 hops 1\n\tdst 2001:db8::9 dseq 2 src 2001:db8::1 9 ms\
             \n\text HELLO 1000 ms"
        );
        assert_eq!(run(&[4, 0], false), " aodv rrep-ack 2");
    }

    #[test]
    fn truncated_at_every_offset() {
        for (m, v6) in [(RREQ, false), (RERR, false), (RERR, true), (RREP6, true)] {
            let p = hex(m);
            assert_every_truncation_is_safe(&p, &verbosities(1), |ctx, q| {
                aodv_print(ctx, q, p.len() as u32, v6)
            });
        }
        let p = hex(RREQ);
        for n in 0..p.len() {
            let out = run_marked(&opts(0, false), |ctx| {
                aodv_print(ctx, &p[..n], p.len() as u32, false)
            });
            assert!(out.ends_with(" [|aodv]"), "{n}: {out}");
        }
    }
}
