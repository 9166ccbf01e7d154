//! wb, the LBL whiteboard's transport (the "wb" of the MBone tools; no RFC), UDP destination
//! port 4567: session announcements, page requests and replies, repair requests and replies,
//! drawing operations; tcpdump's print-wb.c. Drawing operations are listed with `-v`.

use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: u32 = 12;

const PT_DRAWOP: u8 = 0;
const PT_ID: u8 = 1;
const PT_RREQ: u8 = 2;
const PT_RREP: u8 = 3;
const PT_KILL: u8 = 4;
const PT_PREQ: u8 = 5;
const PT_PREP: u8 = 7;

const DT_SKIP: u8 = 14;
const DT_HOLE: u8 = 15;

const DOP_VALUES: &[(u32, &str)] = &[
    (2, "RECT"),
    (3, "LINE"),
    (4, "ML"),
    (5, "DEL"),
    (6, "XFORM"),
    (7, "ELL"),
    (8, "CHAR"),
    (9, "STR"),
    (10, "NOP"),
    (11, "PSCODE"),
    (12, "PSCOMP"),
    (13, "REF"),
    (14, "SKIP"),
    (15, "HOLE"),
];

// Structure sizes.
const PAGE_ID: usize = 8;
const PGSTATE: usize = 16;
const PKT_ID: u32 = 28;
const ID_OFF: usize = 8;
const PKT_RREQ: u32 = 20;
const PKT_DOP: u32 = 16;
const PKT_RREP: u32 = 20;
const PKT_PREQ: u32 = 16;
const PKT_PREP: u32 = 4;

fn ip_str(p: &[u8], off: usize) -> PResult<String> {
    let mut s = String::new();
    crate::addr::push_ipv4(&mut s, p.sub(off, 4)?);
    Ok(s)
}

/// `site:page` of a page id at `off`.
fn page_str(p: &[u8], off: usize) -> PResult<String> {
    Ok(format!("{}:{}", ip_str(p, off)?, p.be_u32(off + 4)?))
}

/// A session announcement. `Ok(false)`: too short.
fn id_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<bool> {
    ctx.push(" wb-id:");
    if len < PKT_ID {
        return Ok(false);
    }
    let len = len - PKT_ID;
    pr!(
        ctx,
        " {}/{} (max {}/{}) ",
        p.be_u32(12)?,
        page_str(p, 16)?,
        p.be_u32(0)?,
        page_str(p, 4)?
    );
    p.sub(0, PKT_ID as usize)?;
    let nid = p.be_u16(24)? as u32;
    if len < ID_OFF as u32 * nid {
        return Ok(false);
    }
    let len = len - ID_OFF as u32 * nid;
    let mut o = PKT_ID as usize;
    let mut c = '<';
    for _ in 0..nid {
        pr!(ctx, "{}{}:{}", c, ip_str(p, o)?, p.be_u32(o + 4)?);
        c = ',';
        o += ID_OFF;
    }
    ctx.push("> \"");
    super::util_print::printjnp(ctx, super::util_print::tail(p, o), len as usize)?;
    ctx.push("\"");
    Ok(true)
}

/// The drawing operations of a drawop or repair reply (`ops` is where they start), from
/// sequence number `ss` to `es`.
fn dops_print(ctx: &mut Ctx, p: &[u8], ops: usize, ss: u32, es: u32) -> PResult {
    ctx.push(" <");
    let mut o = ops;
    let mut ss = ss;
    while ss <= es {
        let t = p.u8_at(o + 7)?;
        ctx.push(" ");
        tok2str(ctx.out, DOP_VALUES, "dop-{}!", t as u32);
        // Skips and holes cover the operations up to their timestamp.
        if t == DT_SKIP || t == DT_HOLE {
            let ts = p.be_u32(o)?;
            pr!(ctx, "{}", ts.wrapping_sub(ss).wrapping_add(1));
            if ss > ts || ts > es {
                ctx.push("[|]");
                if ts < ss {
                    return Ok(());
                }
            }
            ss = ts;
        }
        o += (p.be_u16(o + 4)? as usize + 8).div_ceil(4) * 4;
        // A 32-bit counter, as tcpdump's: the end of the capture ends the walk.
        ss = ss.wrapping_add(1);
    }
    ctx.push(" >");
    Ok(())
}

/// A drawop (`base` 0) or a repair reply (`base` 4, after the original site id): `lead`, the
/// page and the sequence range, then with `-v` the operations.
fn dop_print(ctx: &mut Ctx, p: &[u8], base: usize, lead: &str) -> PResult {
    let page = page_str(p, base)?;
    let (ss, es) = (p.be_u32(base + PAGE_ID)?, p.be_u32(base + PAGE_ID + 4)?);
    pr!(ctx, "{}{}<{}:{}>", lead, page, ss, es);
    if ctx.vflag() > 0 {
        dops_print(ctx, p, base + PKT_DOP as usize, ss, es)?;
    }
    Ok(())
}

/// A page state reply: page states with their id/offset lists.
fn prep_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<bool> {
    ctx.push(" wb-prep:");
    if len < PKT_PREP {
        return Ok(false);
    }
    let mut n = p.be_u32(0)?;
    let mut o = PKT_PREP as usize;
    while n != 0 {
        pr!(ctx, " {}/{}", p.be_u32(o)?, page_str(p, o + 4)?);
        p.sub(o, PGSTATE)?;
        // tcpdump reads one octet of the 16-bit count.
        let nid = p.u8_at(o + 12)? as usize;
        o += PGSTATE;
        let mut c = '<';
        for _ in 0..nid {
            pr!(ctx, "{}{}:{}", c, ip_str(p, o)?, p.be_u32(o + 4)?);
            c = ',';
            o += ID_OFF;
        }
        ctx.push(">");
        n -= 1;
    }
    Ok(true)
}

/// A wb packet; `p`: the captured UDP payload, `len` its length.
pub fn wb_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "wb";
    if len < HDR_LEN {
        ctx.print_invalid();
        return Ok(());
    }
    p.sub(0, HDR_LEN as usize)?;
    let len = len - HDR_LEN;
    if p.u8_at(11)? != 0 {
        ctx.push("*");
    }
    let b = super::util_print::tail(p, HDR_LEN as usize);
    let ok = match p.u8_at(10)? {
        PT_KILL => {
            ctx.push(" wb-kill");
            return Ok(());
        }
        PT_ID => id_print(ctx, b, len)?,
        PT_RREQ => {
            ctx.push(" wb-rreq:");
            if len < PKT_RREQ {
                false
            } else {
                pr!(
                    ctx,
                    " please repair {} {}<{}:{}>",
                    ip_str(b, 0)?,
                    page_str(b, 4)?,
                    b.be_u32(12)?,
                    b.be_u32(16)?
                );
                true
            }
        }
        PT_RREP => {
            ctx.push(" wb-rrep:");
            if len < PKT_RREP {
                false
            } else {
                let lead = format!(" for {} ", ip_str(b, 0)?);
                dop_print(ctx, b, 4, &lead)?;
                true
            }
        }
        PT_DRAWOP => {
            ctx.push(" wb-dop:");
            if len < PKT_DOP {
                false
            } else {
                dop_print(ctx, b, 0, " ")?;
                true
            }
        }
        PT_PREQ => {
            ctx.push(" wb-preq:");
            if len < PKT_PREQ {
                false
            } else {
                pr!(ctx, " need {}/{}", b.be_u32(8)?, page_str(b, 0)?);
                b.sub(0, PKT_PREQ as usize)?;
                true
            }
        }
        PT_PREP => prep_print(ctx, b, len)?,
        t => {
            pr!(ctx, " wb-{}!", t);
            false
        }
    };
    if !ok {
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
        run_marked(&opts(v, false), |ctx| wb_print(ctx, p, p.len() as u32))
    }

    const ID: &str = "0a0000010000000500010100000000020a00000900000003000000040a000009000000030002\
                      00000101010100000009020202020000000a7369746500";
    // A repair reply with RECT, STR, SKIP and an unknown operation.
    const RREP: &str = "0a0000010000000500010301030303030a000009000000030000000100000006000000010000\
                        0002000000020004000961626364000000050000000e0000000900000063";
    // A page state reply; tcpdump reads one octet of each 16-bit id count.
    const PREP: &str = "0a000001000000050001070000000002000000010a0000090000000300010000040404040000\
                        0001000000020a0000090000000300000000";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn messages() {
        assert_eq!(
            run(0, &hex(ID)),
            " wb-id: 4/10.0.0.9:3 (max 2/10.0.0.9:3) <1.1.1.1:9,2.2.2.2:10> \"site\""
        );
        assert_eq!(run(0, &hex(RREP)), "* wb-rrep: for 3.3.3.3 10.0.0.9:3<1:6>");
        assert_eq!(
            run(1, &hex(RREP)),
            "* wb-rrep: for 3.3.3.3 10.0.0.9:3<1:6> < RECT STR SKIP3 dop-99! >"
        );
        assert_eq!(
            run(0, &hex(PREP)),
            " wb-prep: 1/10.0.0.9:3> 67372036/0.0.0.1:2<0.0.0.3:0 [|wb]"
        );
        assert_eq!(run(0, b"short"), " (invalid)");
    }

    #[test]
    fn truncated_at_every_offset() {
        for m in [ID, RREP, PREP] {
            let p = hex(m);
            assert_every_truncation_is_safe(&p, &verbosities(1), |ctx, q| {
                wb_print(ctx, q, p.len() as u32)
            });
        }
        let p = hex(ID);
        for n in 0..p.len() - 1 {
            let out = run_marked(&opts(0, false), |ctx| {
                wb_print(ctx, &p[..n], p.len() as u32)
            });
            assert!(out.ends_with(" [|wb]"), "{n}: {out}");
        }
    }
}
