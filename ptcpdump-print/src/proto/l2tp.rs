//! L2TP, Layer Two Tunneling Protocol version 2 (RFC 2661) on UDP port 1701, with the PPP
//! Disconnect Cause Code AVP (RFC 3145); tcpdump's print-l2tp.c.

use super::util_print::{push_char, tail};
use super::{Ctx, ppp, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const FLAG_TYPE: u16 = 0x8000;
const FLAG_LENGTH: u16 = 0x4000;
const FLAG_SEQUENCE: u16 = 0x0800;
const FLAG_OFFSET: u16 = 0x0200;
const FLAG_PRIORITY: u16 = 0x0100;

const MSGTYPE2STR: &[(u32, &str)] = &[
    (1, "SCCRQ"),
    (2, "SCCRP"),
    (3, "SCCCN"),
    (4, "StopCCN"),
    (6, "HELLO"),
    (7, "OCRQ"),
    (8, "OCRP"),
    (9, "OCCN"),
    (10, "ICRQ"),
    (11, "ICRP"),
    (12, "ICCN"),
    (14, "CDN"),
    (15, "WEN"),
    (16, "SLI"),
];

const AVP2STR: &[(u32, &str)] = &[
    (0, "MSGTYPE"),
    (1, "RESULT_CODE"),
    (2, "PROTO_VER"),
    (3, "FRAMING_CAP"),
    (4, "BEARER_CAP"),
    (5, "TIE_BREAKER"),
    (6, "FIRM_VER"),
    (7, "HOST_NAME"),
    (8, "VENDOR_NAME"),
    (9, "ASSND_TUN_ID"),
    (10, "RECV_WIN_SIZE"),
    (11, "CHALLENGE"),
    (12, "Q931_CC"),
    (13, "CHALLENGE_RESP"),
    (14, "ASSND_SESS_ID"),
    (15, "CALL_SER_NUM"),
    (16, "MINIMUM_BPS"),
    (17, "MAXIMUM_BPS"),
    (18, "BEARER_TYPE"),
    (19, "FRAMING_TYPE"),
    (20, "PACKET_PROC_DELAY"),
    (21, "CALLED_NUMBER"),
    (22, "CALLING_NUMBER"),
    (23, "SUB_ADDRESS"),
    (24, "TX_CONN_SPEED"),
    (25, "PHY_CHANNEL_ID"),
    (26, "INI_RECV_LCP"),
    (27, "LAST_SENT_LCP"),
    (28, "LAST_RECV_LCP"),
    (29, "PROXY_AUTH_TYPE"),
    (30, "PROXY_AUTH_NAME"),
    (31, "PROXY_AUTH_CHAL"),
    (32, "PROXY_AUTH_ID"),
    (33, "PROXY_AUTH_RESP"),
    (34, "CALL_ERRORS"),
    (35, "ACCM"),
    (36, "RANDOM_VECTOR"),
    (37, "PRIVATE_GRP_ID"),
    (38, "RX_CONN_SPEED"),
    (39, "SEQ_REQUIRED"),
    (46, "PPP_DISCON_CC"),
];

const AUTHENTYPE2STR: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "Textual"),
    (2, "CHAP"),
    (3, "PAP"),
    (4, "No Auth"),
    (5, "MS-CHAPv1"),
];

const CC_DIRECTION2STR: &[(u32, &str)] = &[(0, "global error"), (1, "at peer"), (2, "at local")];

fn print_string(ctx: &mut Ctx, d: &[u8], n: usize) -> PResult {
    for i in 0..n {
        push_char(ctx.out, d.u8_at(i)?);
    }
    Ok(())
}

fn print_octets(ctx: &mut Ctx, d: &[u8], n: usize) -> PResult {
    for i in 0..n {
        pr!(ctx, "{:02x}", d.u8_at(i)?);
    }
    Ok(())
}

fn too_short(ctx: &mut Ctx) {
    ctx.push("AVP too short");
}

/// A 16-bit value (`d` holding `n` bytes) by its name in `names`, else `default` with `{}` the
/// number.
fn named_u16(
    ctx: &mut Ctx,
    d: &[u8],
    n: usize,
    names: &[(u32, &'static str)],
    default: &str,
) -> PResult {
    if n < 2 {
        too_short(ctx);
    } else {
        tok2str(ctx.out, names, default, d.be_u16(0)? as u32);
    }
    Ok(())
}

/// The value of an IETF AVP of type `ty`, `d` holding `n` bytes.
fn avp_value(ctx: &mut Ctx, ty: u16, d: &[u8], n: usize) -> PResult {
    match ty {
        0 => {
            named_u16(ctx, d, n, MSGTYPE2STR, "MSGTYPE-#{}")?;
        }
        1 => {
            if n < 2 {
                too_short(ctx);
                return Ok(());
            }
            pr!(ctx, "{}", d.be_u16(0)?);
            if n == 2 {
                return Ok(());
            }
            if n < 4 {
                ctx.push(" AVP too short");
                return Ok(());
            }
            pr!(ctx, "/{}", d.be_u16(2)?);
            if n > 4 {
                ctx.push(" ");
                print_string(ctx, tail(d, 4), n - 4)?;
            }
        }
        2 => {
            if n < 2 {
                too_short(ctx);
            } else {
                let v = d.be_u16(0)?;
                pr!(ctx, "{}.{}", v >> 8, v & 0xff);
            }
        }
        3 | 19 => {
            if n < 4 {
                too_short(ctx);
            } else {
                let v = d.be_u32(0)?;
                if v & 2 != 0 {
                    ctx.push("A");
                }
                if v & 1 != 0 {
                    ctx.push("S");
                }
            }
        }
        4 | 18 => {
            if n < 4 {
                too_short(ctx);
            } else {
                let v = d.be_u32(0)?;
                if v & 2 != 0 {
                    ctx.push("A");
                }
                if v & 1 != 0 {
                    ctx.push("D");
                }
            }
        }
        5 => {
            if n < 8 {
                too_short(ctx);
            } else {
                print_octets(ctx, d, 8)?;
            }
        }
        6 | 9 | 10 | 14 => {
            if n < 2 {
                too_short(ctx);
            } else {
                pr!(ctx, "{}", d.be_u16(0)?);
            }
        }
        7 | 8 | 21 | 22 | 23 | 30 | 37 => print_string(ctx, d, n)?,
        11 | 26 | 27 | 28 | 31 | 33 | 36 => print_octets(ctx, d, n)?,
        12 => {
            if n < 3 {
                too_short(ctx);
                return Ok(());
            }
            pr!(ctx, "{}", d.be_u16(0)?);
            pr!(ctx, ", {:02x}", d.u8_at(2)?);
            if n > 3 {
                ctx.push(" ");
                print_string(ctx, tail(d, 3), n - 3)?;
            }
        }
        13 => {
            if n < 16 {
                too_short(ctx);
            } else {
                print_octets(ctx, d, 16)?;
            }
        }
        15 | 16 | 17 | 24 | 25 | 38 => {
            if n < 4 {
                too_short(ctx);
            } else {
                pr!(ctx, "{}", d.be_u32(0)?);
            }
        }
        20 => ctx.push("obsolete"),
        29 => {
            named_u16(ctx, d, n, AUTHENTYPE2STR, "AuthType-#{}")?;
        }
        32 => {
            if n < 2 {
                too_short(ctx);
            } else {
                pr!(ctx, "{}", d.be_u16(0)? & 0xff);
            }
        }
        34 => {
            if n < 2 {
                too_short(ctx);
                return Ok(());
            }
            let mut off = 2;
            for name in [
                "CRCErr", "FrameErr", "HardOver", "BufOver", "Timeout", "AlignErr",
            ] {
                if n < off + 4 {
                    too_short(ctx);
                    return Ok(());
                }
                pr!(ctx, "{}={} ", name, d.be_u32(off)?);
                off += 4;
            }
        }
        35 => {
            if n < 2 {
                too_short(ctx);
                return Ok(());
            }
            let mut off = 2;
            for name in ["send", "recv"] {
                if n < off + 4 {
                    too_short(ctx);
                    return Ok(());
                }
                pr!(ctx, "{}={:08x} ", name, d.be_u32(off)?);
                off += 4;
            }
        }
        46 => {
            if n < 5 {
                too_short(ctx);
                return Ok(());
            }
            pr!(ctx, "{:04x}, ", d.be_u16(0)?);
            pr!(ctx, "{:04x} ", d.be_u16(2)?);
            let dir = d.u8_at(4)?;
            tok2str(ctx.out, CC_DIRECTION2STR, "Direction-#{}", dir as u32);
            if n > 5 {
                ctx.push(" ");
                print_string(ctx, tail(d, 5), n - 5)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One AVP; returns its length, or 0 when it is malformed or truncated (after printing the
/// truncation marker).
fn avp_print(ctx: &mut Ctx, d: &[u8], length: u32) -> PResult<u32> {
    ctx.push(" ");
    let hdr = d.be_u16(0)?;
    let len = (hdr & 0x03ff) as u32;
    if len < 6 || len > length || !d.has(0, len as usize) {
        ctx.print_trunc();
        return Ok(0);
    }
    if hdr & 0x8000 != 0 {
        ctx.push("*");
    }
    let hidden = hdr & 0x4000 != 0;
    if hidden {
        ctx.push("?");
    }
    let vendor = d.be_u16(2)?;
    let n = (len - 6) as usize;
    if vendor != 0 {
        pr!(ctx, "VENDOR{:04x}:", vendor);
        pr!(ctx, "ATTR{:04x}", d.be_u16(4)?);
        ctx.push("(");
        print_octets(ctx, tail(d, 6), n)?;
        ctx.push(")");
    } else {
        let ty = d.be_u16(4)?;
        tok2str(ctx.out, AVP2STR, "AVP-#{}", ty as u32);
        ctx.push("(");
        if hidden {
            ctx.push("???");
        } else {
            avp_value(ctx, ty, tail(d, 6), n)?;
        }
        ctx.push(")");
    }
    Ok(len)
}

/// An L2TP (or L2F) packet.
pub fn l2tp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "l2tp";
    let flags = p.be_u16(0)?;
    match flags & 0x000f {
        2 => ctx.push(" l2tp:"),
        1 => {
            ctx.push(" l2f:");
            return Ok(());
        }
        _ => {
            ctx.push(" Unknown Version, neither L2F(1) nor L2TP(2)");
            return Ok(());
        }
    }
    ctx.push("[");
    for (bit, c) in [
        (FLAG_TYPE, "T"),
        (FLAG_LENGTH, "L"),
        (FLAG_SEQUENCE, "S"),
        (FLAG_OFFSET, "O"),
        (FLAG_PRIORITY, "P"),
    ] {
        if flags & bit != 0 {
            ctx.push(c);
        }
    }
    ctx.push("]");
    let mut off = 2usize;
    let mut l2tp_len = 0u32;
    if flags & FLAG_LENGTH != 0 {
        l2tp_len = p.be_u16(off)? as u32;
        off += 2;
    }
    pr!(ctx, "({}/", p.be_u16(off)?);
    pr!(ctx, "{})", p.be_u16(off + 2)?);
    off += 4;
    if flags & FLAG_SEQUENCE != 0 {
        pr!(ctx, "Ns={},", p.be_u16(off)?);
        pr!(ctx, "Nr={}", p.be_u16(off + 2)?);
        off += 4;
    }
    if flags & FLAG_OFFSET != 0 {
        let pad = p.be_u16(off)? as usize;
        if !p.has(off + 2, pad) {
            ctx.print_trunc();
            return Ok(());
        }
        off += 2 + pad;
    }
    let mut length = length;
    if flags & FLAG_LENGTH != 0 {
        if length < l2tp_len {
            pr!(ctx, " Length {} larger than packet", l2tp_len);
            return Ok(());
        }
        length = l2tp_len;
    }
    let cnt = off as u32;
    if length < cnt {
        pr!(ctx, " Length {} smaller than header length", length);
        return Ok(());
    }
    if flags & FLAG_TYPE != 0 {
        if flags & FLAG_LENGTH == 0 {
            ctx.push(" No length");
            return Ok(());
        }
        if length == cnt {
            ctx.push(" ZLB");
        } else {
            let mut cnt = cnt;
            while length > cnt {
                let n = avp_print(ctx, tail(p, cnt as usize), length - cnt)?;
                if n == 0 {
                    break;
                }
                cnt += n;
            }
        }
    } else {
        ctx.push(" {");
        ppp::ppp_print(ctx, tail(p, off), length - cnt)?;
        ctx.push("}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| l2tp_print(ctx, p, p.len() as u32))
    }

    // Control message: SCCRQ with a host name AVP.
    const SCCRQ: &[u8] = &[
        0xc8, 0x02, 0, 30, 0, 0, 0, 0, 0, 0, 0, 0, // header, Ns 0, Nr 0
        0x80, 8, 0, 0, 0, 0, 0, 1, // MSGTYPE SCCRQ
        0x80, 10, 0, 0, 0, 7, b'l', b'a', b'c', b'1', // HOST_NAME
    ];

    #[test]
    fn control() {
        assert_eq!(
            run(SCCRQ),
            " l2tp:[TLS](0/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ) *HOST_NAME(lac1)"
        );
        let zlb = &SCCRQ[..12];
        let mut z = zlb.to_vec();
        z[3] = 12;
        assert_eq!(run(&z), " l2tp:[TLS](0/0)Ns=0,Nr=0 ZLB");
        assert_every_truncation_is_safe(SCCRQ, &verbosities(0), |ctx, p| {
            l2tp_print(ctx, p, p.len() as u32)
        });
    }
}
