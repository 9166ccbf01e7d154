//! IGMP printer (tcpdump's print-igmp.c).
//!
//! RFC 1112 (IGMPv1), RFC 2236 (IGMPv2), RFC 3376 (IGMPv3), draft-ietf-idmr-traceroute-ipm
//! (mtrace). DVMRP and PIMv1 carried in IGMP are only named.

use std::fmt::Write;

use super::Ctx;
use super::in_cksum;
use super::textutil::{Tok, ipv4_str, relts, tok};
use crate::cursor::{Bytes, PResult};

const V3_REPORT_TYPES: &[Tok] = &[
    (1, "is_in"),
    (2, "is_ex"),
    (3, "to_in"),
    (4, "to_ex"),
    (5, "allow"),
    (6, "block"),
];

fn addr(bp: &[u8], off: usize) -> PResult<String> {
    Ok(ipv4_str(bp.ipv4_at(off)?))
}

fn mtrace(out: &mut String, name: &str, bp: &[u8], len: u32) -> PResult {
    // 8 bytes of IGMP header, then the 16-byte query (source, destination, response
    // address, response TTL and 24-bit query id); the response blocks that may follow are not
    // decoded.
    if len < 8 + 16 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    let _ = write!(
        out,
        "{name} {}: {} to {} reply-to {}",
        bp.be_u24(8 + 13)?,
        addr(bp, 8)?,
        addr(bp, 8 + 4)?,
        addr(bp, 8 + 8)?
    );
    if bp.u8_at(8 + 8)? & 0xf0 == 0xe0 {
        let _ = write!(out, " with-ttl {}", bp.u8_at(8 + 12)?);
    }
    Ok(())
}

fn v3_report(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult {
    if len < 16 || len & 3 != 0 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    let ngroups = bp.be_u16(6)?;
    let _ = write!(out, ", {ngroups} group record(s)");
    if v == 0 {
        return Ok(());
    }
    group_records_print(
        out,
        v,
        bp,
        len as usize,
        ngroups,
        4,
        V3_REPORT_TYPES,
        "v3-report",
        addr,
    )
}

/// The group records of an IGMPv3 or MLDv2 report (RFC 3376 4.2, RFC 3810 5.2), from offset 8
/// of the `len` bytes of the message: each a type (named by `types`, else `[tag-#N]`), an
/// ignored auxiliary length, a source count, the group address and the sources, addresses
/// being `asize` bytes, written by `addr`. `-v` prints the number of sources, `-vv` them.
#[allow(clippy::too_many_arguments)]
pub(super) fn group_records_print(
    out: &mut String,
    v: u8,
    bp: &[u8],
    len: usize,
    ngroups: u16,
    asize: usize,
    types: &[Tok],
    tag: &str,
    addr: fn(&[u8], usize) -> PResult<String>,
) -> PResult {
    let mut group = 8usize;
    for _ in 0..ngroups {
        if len < group + 4 + asize {
            out.push_str(" [invalid number of groups]");
            return Ok(());
        }
        let _ = write!(out, " [gaddr {}", addr(bp, group + 4)?);
        let t = bp.u8_at(group)?;
        match tok(types, t.into()) {
            Some(s) => {
                let _ = write!(out, " {s}");
            }
            None => {
                let _ = write!(out, "  [{tag}-#{t}]");
            }
        }
        let nsrcs = usize::from(bp.be_u16(group + 2)?);
        if len < group + 4 + asize + nsrcs * asize {
            let _ = write!(out, " [invalid number of sources {nsrcs}]");
            return Ok(());
        }
        if v == 1 {
            let _ = write!(out, ", {nsrcs} source(s)");
        } else {
            out.push_str(" {");
            for j in 0..nsrcs {
                let _ = write!(out, " {}", addr(bp, group + 4 + asize + j * asize)?);
            }
            out.push_str(" }");
        }
        group += 4 + asize + nsrcs * asize;
        out.push(']');
    }
    Ok(())
}

fn v3_query(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult {
    out.push_str(" v3");
    if len < 12 || len & 3 != 0 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    let mrc = u32::from(bp.u8_at(1)?);
    let mrt = if mrc < 128 {
        mrc
    } else {
        ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
    };
    if mrc != 100 {
        out.push_str(" [max resp time ");
        if mrt < 600 {
            let _ = write!(out, "{:.1}s", f64::from(mrt) * 0.1);
        } else {
            relts(out, mrt / 10);
        }
        out.push(']');
    }
    if bp.be_u32(4)? == 0 {
        return Ok(());
    }
    let _ = write!(out, " [gaddr {}", addr(bp, 4)?);
    let nsrcs = u32::from(bp.be_u16(10)?);
    if nsrcs > 0 {
        if len < 12 + (nsrcs << 2) {
            out.push_str(" [invalid number of sources]");
        } else if v > 1 {
            out.push_str(" {");
            for i in 0..nsrcs as usize {
                let _ = write!(out, " {}", addr(bp, 12 + (i << 2))?);
            }
            out.push_str(" }");
        } else {
            let _ = write!(out, ", {nsrcs} source(s)");
        }
    }
    out.push(']');
    Ok(())
}

/// `igmp_print`: an IGMP message of `len` bytes; `bp` holds its captured bytes.
pub fn igmp_print(ctx: &mut Ctx, bp: &[u8], len: u32) -> PResult {
    ctx.protocol = "igmp";
    let (v, quiet) = (ctx.vflag(), ctx.qflag());
    if !quiet && bp.first() == Some(&0x13) && len >= 8 {
        // dvmrp_print names itself in truncation markers.
        ctx.protocol = "dvmrp";
    } else if !quiet && bp.first() == Some(&0x14) {
        ctx.protocol = "pimv1";
    }
    print(ctx.out, v, quiet, bp, len)
}

fn print(out: &mut String, v: u8, quiet: bool, bp: &[u8], len: u32) -> PResult {
    if quiet {
        out.push_str("igmp");
        return Ok(());
    }
    match bp.u8_at(0)? {
        0x11 => {
            out.push_str("igmp query");
            if len >= 12 {
                v3_query(out, v, bp, len)?;
            } else {
                let mrt = bp.u8_at(1)?;
                if mrt != 0 {
                    out.push_str(" v2");
                    if mrt != 100 {
                        let _ = write!(out, " [max resp time {mrt}]");
                    }
                } else {
                    out.push_str(" v1");
                }
                if bp.be_u32(4)? != 0 {
                    let _ = write!(out, " [gaddr {}]", addr(bp, 4)?);
                }
                if len != 8 {
                    let _ = write!(out, " [len {len}]");
                }
            }
        }
        0x12 => {
            let _ = write!(out, "igmp v1 report {}", addr(bp, 4)?);
            if len != 8 {
                let _ = write!(out, " [len {len}]");
            }
        }
        0x16 => {
            let _ = write!(out, "igmp v2 report {}", addr(bp, 4)?);
        }
        0x22 => {
            out.push_str("igmp v3 report");
            v3_report(out, v, bp, len)?;
        }
        0x17 => {
            let _ = write!(out, "igmp leave {}", addr(bp, 4)?);
        }
        0x13 => {
            out.push_str("igmp dvmrp");
            if len < 8 {
                let _ = write!(out, " [len {len}]");
            } else {
                super::dvmrp::dvmrp_print(out, v, bp, len)?;
            }
        }
        0x14 => {
            out.push_str("igmp pimv1");
            if !super::pim::pimv1_print(out, v, bp, len)? {
                out.push_str(" [|pimv1]");
                return Ok(());
            }
        }
        0x1e => mtrace(out, "mresp", bp, len)?,
        0x1f => mtrace(out, "mtrace", bp, len)?,
        t => {
            let _ = write!(out, "igmp-{t}");
        }
    }
    if v > 0 && len >= 4 && bp.has(0, len as usize) && in_cksum(&[&bp[..len as usize]]) != 0 {
        let _ = write!(out, " bad igmp cksum {:x}!", bp.be_u16(2)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cksum(mut p: Vec<u8>) -> Vec<u8> {
        let c = in_cksum(&[&p]);
        p[2..4].copy_from_slice(&c.to_be_bytes());
        p
    }

    fn run(v: u8, p: &[u8]) -> String {
        let mut s = String::new();
        print(&mut s, v, false, p, p.len() as u32).unwrap();
        s
    }

    #[test]
    fn queries_and_reports() {
        let q1 = with_cksum(vec![0x11, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(run(1, &q1), "igmp query v1");
        let q3 = with_cksum(vec![0x11, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(run(0, &q3), "igmp query v3 [max resp time 51m12s]");
        let r2 = with_cksum(vec![0x16, 0, 0, 0, 239, 255, 255, 250]);
        assert_eq!(run(0, &r2), "igmp v2 report 239.255.255.250");
        let mut bad = r2.clone();
        bad[2] ^= 1;
        assert!(
            run(1, &bad).contains(" bad igmp cksum "),
            "{}",
            run(1, &bad)
        );
    }

    #[test]
    fn v3_report_sources() {
        let p = with_cksum(vec![
            0x22, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 239, 1, 1, 1, 10, 0, 0, 1,
        ]);
        assert_eq!(
            run(1, &p),
            "igmp v3 report, 1 group record(s) [gaddr 239.1.1.1 is_in, 1 source(s)]"
        );
        assert_eq!(
            run(2, &p),
            "igmp v3 report, 1 group record(s) [gaddr 239.1.1.1 is_in { 10.0.0.1 }]"
        );
    }

    #[test]
    fn mtrace_query() {
        // tcpdump 4.99.3's text for the same messages.
        let q = with_cksum(vec![
            0x1f, 0x20, 0, 0, 0, 0, 0, 0, 172, 16, 40, 1, 172, 16, 20, 1, 172, 16, 40, 1, 0x40, 0,
            0, 7,
        ]);
        assert_eq!(
            run(0, &q),
            "mtrace 7: 172.16.40.1 to 172.16.20.1 reply-to 172.16.40.1"
        );
        let mut m = q.clone();
        m[16..20].copy_from_slice(&[224, 0, 0, 1]);
        m[20] = 64;
        assert!(run(0, &m).ends_with("reply-to 224.0.0.1 with-ttl 64"));
        assert_eq!(run(0, &q[..23]), " [invalid len 23]");
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let p = vec![
            0x22, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 239, 1, 1, 1, 10, 0, 0, 1,
        ];
        for cut in 0..p.len() {
            for v in 0..3 {
                let mut s = String::new();
                let _ = print(&mut s, v, false, &p[..cut], p.len() as u32);
            }
        }
    }
}
