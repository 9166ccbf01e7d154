//! PPPoE, PPP over Ethernet (RFC 2516): discovery (Ethernet type 0x8863) and session
//! (0x8864) stages; tcpdump's print-pppoe.c.
//!
//! ```text
//! | VER | TYPE |      CODE       |          SESSION_ID           |
//! |           LENGTH              |           payload ~
//! ```

use super::util_print::tail;
use super::{Ctx, ppp, pr, tok};
use crate::cursor::{Bytes, PResult};

const PPPOE_HDRLEN: u32 = 6;
const MAXTAGPRINT: usize = 80;
const PPPOE_PADI: u8 = 0x09;

const PPPOECODE2STR: &[(u32, &str)] = &[
    (0x09, "PADI"),
    (0x07, "PADO"),
    (0x19, "PADR"),
    (0x65, "PADS"),
    (0xa7, "PADT"),
    (0, ""),
];

const PPPOETAG2STR: &[(u32, &str)] = &[
    (0, "EOL"),
    (0x0101, "Service-Name"),
    (0x0102, "AC-Name"),
    (0x0103, "Host-Uniq"),
    (0x0104, "AC-Cookie"),
    (0x0105, "Vendor-Specific"),
    (0x0110, "Relay-Session-ID"),
    (0x0120, "PPP-Max-Payload"),
    (0x0201, "Service-Name-Error"),
    (0x0202, "AC-System-Error"),
    (0x0203, "Generic-Error"),
];

fn tag_name(ctx: &mut Ctx, t: u16) {
    match tok(PPPOETAG2STR, t as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "TAG-0x{:x}", t),
    }
}

/// Top-level printer for LINKTYPE_PPP_ETHER (`pppoe_if_print`).
pub fn pppoe_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "pppoe";
    pppoe_print(ctx, p, len)
}

/// A PPPoE packet (discovery or session). Returns the header length.
pub fn pppoe_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "pppoe";
    if length < PPPOE_HDRLEN {
        pr!(ctx, " (length {} < {})", length, PPPOE_HDRLEN);
        ctx.print_invalid();
        return Ok(0);
    }
    let length = length - PPPOE_HDRLEN;
    if !p.has(0, PPPOE_HDRLEN as usize) {
        return Err(crate::cursor::Truncated);
    }
    let ver = p[0] >> 4;
    let ty = p[0] & 0x0f;
    let code = p[1];
    let session = p.be_u16(2)?;
    let mut plen = p.be_u16(4)? as u32;
    if ver != 1 {
        pr!(ctx, " [ver {}]", ver);
    }
    if ty != 1 {
        pr!(ctx, " [type {}]", ty);
    }
    ctx.push("PPPoE ");
    match tok(PPPOECODE2STR, code as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "PAD-{:x}", code),
    }
    if code == PPPOE_PADI && plen > 1484 - PPPOE_HDRLEN {
        pr!(ctx, " [len {}!]", plen);
    }
    if plen > length {
        pr!(ctx, " [len {} > {}!]", plen, length);
        plen = length;
    }
    if session != 0 {
        pr!(ctx, " [ses 0x{:x}]", session);
    }
    let payload = tail(p, PPPOE_HDRLEN as usize);
    if code != 0 {
        // Discovery: a list of tags, up to an EOL tag.
        let mut tag_type: u16 = 0xffff;
        let mut off = 0usize;
        while tag_type != 0 && off < plen as usize {
            tag_type = payload.be_u16(off)?;
            let tag_len = payload.be_u16(off + 2)? as usize;
            off += 4;
            if tag_len > 0 {
                let v = payload.sub(off, tag_len)?;
                let shown = &v[..v.len().min(MAXTAGPRINT - 1)];
                let ascii = shown.iter().filter(|c| (0x20..0x7f).contains(*c)).count();
                let garbage = shown.len() - ascii;
                if ascii > garbage {
                    ctx.push(" [");
                    tag_name(ctx, tag_type);
                    ctx.push(" \"");
                    for &c in shown {
                        ctx.out.push(if (0x20..0x7f).contains(&c) {
                            c as char
                        } else {
                            '.'
                        });
                    }
                    ctx.push("\"]");
                } else {
                    ctx.push(" [");
                    tag_name(ctx, tag_type);
                    ctx.push(" 0x");
                    for &c in v {
                        pr!(ctx, "{:02X}", c);
                    }
                    ctx.push("]");
                }
            } else {
                ctx.push(" [");
                tag_name(ctx, tag_type);
                ctx.push("]");
            }
            off += tag_len;
        }
        Ok(PPPOE_HDRLEN)
    } else {
        ctx.push(" ");
        let n = ppp::ppp_print(ctx, payload, plen)?;
        Ok(PPPOE_HDRLEN + n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8]) -> (String, PResult<u32>) {
        run_with(&opts(0, false), |ctx| pppoe_print(ctx, p, p.len() as u32))
    }

    const PADI: &[u8] = &[
        0x11, 0x09, 0, 0, 0, 0x12, 0x01, 0x01, 0, 0, 0x01, 0x20, 0, 2, 0x05, 0xdc, 0x01, 0x03, 0,
        4, 0x16, 0x37, 0x2c, 0x16,
    ];

    #[test]
    fn discovery() {
        assert_eq!(
            run(PADI).0,
            "PPPoE PADI [Service-Name] [PPP-Max-Payload 0x05DC] [Host-Uniq 0x16372C16]"
        );
        let mut ac = PADI[..6].to_vec();
        ac[1] = 0x07;
        ac[5] = 8;
        ac.extend_from_slice(&[0x01, 0x02, 0, 4, b'i', b's', b'p', 1]);
        assert_eq!(run(&ac).0, "PPPoE PADO [AC-Name \"isp.\"]");
    }

    #[test]
    fn session() {
        let p = [0x11, 0, 0, 0x17, 0, 4, 0xc0, 0x21, 0x09, 0x6a];
        assert_eq!(run(&p).0, "PPPoE  [ses 0x17] LCP, [|LCP]");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(PADI, &verbosities(0), |ctx, p| {
            pppoe_print(ctx, p, p.len() as u32)
        });
    }
}
