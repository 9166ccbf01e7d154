//! Datagram Congestion Control Protocol, DCCP (RFC 4340; checksum coverage section 9.2,
//! options section 5.8, feature numbers section 6, timestamps section 13); tcpdump's
//! print-dccp.c.
//!
//! ```text
//! generic header: source port(2) destination port(2) data offset(1, words) CCVal(4b)
//!                 CsCov(4b) checksum(2) res(3b) type(4b) X(1b) then
//!                 X=1: reserved(1) sequence number(6)   X=0: sequence number(3)
//! then per type: acknowledgement (8 or 4 bytes), service code (4), reset code (4) ...
//! ```

use super::{Ctx, IPPROTO_DCCP, IpHdr, in_cksum_shouldbe, nextproto_cksum, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

/// The generic header without the extended sequence number.
const HDR_LEN: u32 = 12;
const HDR_EXT_LEN: u32 = 16;

const PKT_REQUEST: u8 = 0;
const PKT_RESPONSE: u8 = 1;
const PKT_DATA: u8 = 2;
const PKT_RESET: u8 = 7;

const PKT_TYPES: &[(u32, &str)] = &[
    (0, "DCCP-Request"),
    (1, "DCCP-Response"),
    (2, "DCCP-Data"),
    (3, "DCCP-Ack"),
    (4, "DCCP-DataAck"),
    (5, "DCCP-CloseReq"),
    (6, "DCCP-Close"),
    (7, "DCCP-Reset"),
    (8, "DCCP-Sync"),
    (9, "DCCP-SyncAck"),
];

const RESET_CODES: &[&str] = &[
    "unspecified",
    "closed",
    "aborted",
    "no_connection",
    "packet_error",
    "option_error",
    "mandatory_error",
    "connection_refused",
    "bad_service_code",
    "too_busy",
    "bad_init_cookie",
    "aggression_penalty",
];

const FEATURES: &[&str] = &[
    "reserved",
    "ccid",
    "allow_short_seqno",
    "sequence_window",
    "ecn_incapable",
    "ack_ratio",
    "send_ack_vector",
    "send_ndp_count",
    "minimum checksum coverage",
    "check data checksum",
];

const OPTIONS: &[(u32, &str)] = &[
    (0, "nop"),
    (1, "mandatory"),
    (2, "slowreceiver"),
    (32, "change_l"),
    (33, "confirm_l"),
    (34, "change_r"),
    (35, "confirm_r"),
    (36, "initcookie"),
    (37, "ndp_count"),
    (38, "ack_vector0"),
    (39, "ack_vector1"),
    (40, "data_dropped"),
    (41, "timestamp"),
    (42, "timestamp_echo"),
    (43, "elapsed_time"),
    (44, "data_checksum"),
];

fn type_name(t: u8) -> &'static str {
    tok(PKT_TYPES, t as u32).unwrap_or("")
}

/// A DCCP packet. `p`: captured bytes from the DCCP header on; `len`: its length.
pub fn dccp_print(ctx: &mut Ctx, p: &[u8], len: u32, ip: &IpHdr) -> PResult {
    ctx.protocol = "dccp";
    if p.len() < HDR_LEN as usize {
        ctx.print_trunc();
        return Ok(());
    }
    if len < HDR_LEN {
        pr!(ctx, "truncated-dccp - {} bytes missing!", HDR_LEN - len);
        return Ok(());
    }
    let extended = p[8] & 1 != 0;
    let mut fixed = if extended { HDR_EXT_LEN } else { HDR_LEN };
    if len < fixed {
        pr!(ctx, "truncated-dccp - {} bytes missing!", fixed - len);
        return Ok(());
    }
    if !p.has(0, fixed as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    let sport = p.be_u16(0)?;
    let dport = p.be_u16(2)?;
    let mut hlen = p[4] as u32 * 4;
    ctx.ip(ip.src);
    pr!(ctx, ".{} > ", sport);
    ctx.ip(ip.dst);
    pr!(ctx, ".{}: DCCP", dport);
    if ctx.qflag() {
        pr!(ctx, " {}", len.wrapping_sub(hlen));
        if hlen > len {
            pr!(ctx, " [bad hdr length {} - too long, > {}]", hlen, len);
        }
        return Ok(());
    }
    let cscov = p[5] & 0xf;
    if ctx.vflag() > 0 {
        pr!(ctx, " (CCVal {}, CsCov {}", p[5] >> 4, cscov);
        if let Ok(all) = p.sub(0, len as usize) {
            let sum_field = p.be_u16(6)?;
            pr!(ctx, ", cksum 0x{:04x} ", sum_field);
            // Only the first CsCov - 1 words of the payload are covered (RFC 4340 9.2).
            let cov = if cscov == 0 {
                len
            } else {
                ((p[4] as u32 + cscov as u32 - 1) * 4).min(len)
            };
            let sum = nextproto_cksum(ip, &all[..cov as usize], len, IPPROTO_DCCP);
            if sum != 0 {
                pr!(
                    ctx,
                    "(incorrect -> 0x{:04x})",
                    in_cksum_shouldbe(sum_field, sum)
                );
            } else {
                ctx.push("(correct)");
            }
        }
        ctx.push(")");
    }
    ctx.push(" ");

    let ty = (p[8] >> 1) & 0xf;
    // Bytes each type adds after the generic header (acknowledgement, service, reset code).
    let extra = match ty {
        PKT_REQUEST => 4,
        PKT_RESPONSE | PKT_RESET => 12,
        PKT_DATA => 0,
        3..=9 => 8,
        _ => 0,
    };
    if ty <= 9 && extra > 0 {
        let body = fixed;
        fixed += extra;
        if len < fixed {
            pr!(
                ctx,
                "truncated-{} - {} bytes missing!",
                type_name(ty),
                fixed - len
            );
            return Ok(());
        }
        match ty {
            PKT_REQUEST | PKT_RESPONSE | PKT_RESET => {
                let off = body as usize;
                if !p.has(off, extra as usize) {
                    ctx.print_trunc();
                    return Ok(());
                }
                if ty == PKT_RESET {
                    let code = p.u8_at(off + 8)?;
                    let name = RESET_CODES.get(code as usize).unwrap_or(&"invalid");
                    pr!(ctx, "{} (code={}) ", type_name(ty), name);
                } else {
                    let service = p.be_u32(off + extra as usize - 4)?;
                    pr!(ctx, "{} (service={}) ", type_name(ty), service);
                }
            }
            _ => pr!(ctx, "{} ", type_name(ty)),
        }
    } else {
        tok2str(ctx.out, PKT_TYPES, "unknown-type-{}", ty as u32);
        ctx.push(" ");
    }

    if ty != PKT_DATA && ty != PKT_REQUEST {
        let ack_off = if extended { HDR_EXT_LEN } else { HDR_LEN } as usize;
        let ack = if extended {
            u48(p, ack_off + 2)?
        } else {
            p.be_u24(ack_off + 1)? as u64
        };
        pr!(ctx, "(ack={}) ", ack);
    }
    if ctx.vflag() < 2 {
        return Ok(());
    }
    let seq = if extended {
        u48(p, 10)?
    } else {
        p.be_u24(9)? as u64
    };
    pr!(ctx, "seq {}", seq);

    if hlen > fixed {
        ctx.push(" <");
        hlen -= fixed;
        let mut off = fixed as usize;
        loop {
            let optlen = option_print(ctx, p.get(off..).unwrap_or(&[]), hlen)?;
            if optlen == 0 || hlen <= optlen {
                break;
            }
            hlen -= optlen;
            off += optlen as usize;
            ctx.push(", ");
        }
        ctx.push(">");
    }
    Ok(())
}

fn u48(p: &[u8], off: usize) -> PResult<u64> {
    let b = p.sub(off, 6)?;
    Ok(b.iter().fold(0, |v, &x| v << 8 | x as u64))
}

fn option_name(ctx: &mut Ctx, kind: u8) {
    if kind >= 128 {
        pr!(ctx, "CCID option {}", kind);
    } else {
        tok2str(ctx.out, OPTIONS, "Option {}", kind as u32);
    }
}

/// One option at `o` with `hlen` header bytes left; returns its length, 0 to stop.
fn option_print(ctx: &mut Ctx, o: &[u8], hlen: u32) -> PResult<u32> {
    let kind = o.u8_at(0)?;
    let optlen = if kind >= 32 {
        let l = o.u8_at(1)?;
        if l < 2 {
            option_name(ctx, kind);
            ctx.push(" optlen too short");
            return Ok(0);
        }
        l
    } else {
        1
    };
    if hlen < optlen as u32 {
        option_name(ctx, kind);
        ctx.push(" optlen goes past header length");
        return Ok(0);
    }
    let Ok(o) = o.sub(0, optlen as usize) else {
        ctx.print_trunc();
        return Ok(0);
    };
    let n = optlen as usize;
    option_name(ctx, kind);
    if kind >= 128 {
        match optlen {
            4 => pr!(ctx, " {}", o.be_u16(2)?),
            6 => pr!(ctx, " {}", o.be_u32(2)?),
            _ => {}
        }
        return Ok(optlen as u32);
    }
    let hex = |ctx: &mut Ctx, pre: &str| {
        if n > 2 {
            ctx.push(pre);
            for b in &o[2..] {
                pr!(ctx, "{:02x}", b);
            }
        }
    };
    match kind {
        32..=35 => {
            if n < 3 {
                ctx.push(" optlen too short");
                return Ok(optlen as u32);
            }
            if let Some(f) = FEATURES.get(o[2] as usize) {
                pr!(ctx, " {}", f);
                for b in &o[3..] {
                    pr!(ctx, " {}", b);
                }
            }
        }
        36 | 38..=40 => hex(ctx, " 0x"),
        37 => {
            for b in o.get(2..).unwrap_or(&[]) {
                pr!(ctx, " {}", b);
            }
        }
        41 => {
            if n == 6 {
                pr!(ctx, " {}", o.be_u32(2)?);
            } else {
                ctx.push(" [optlen != 6]");
            }
        }
        42 => match n {
            6 => pr!(ctx, " {}", o.be_u32(2)?),
            8 => pr!(ctx, " {} (elapsed time {})", o.be_u32(2)?, o.be_u16(6)?),
            10 => pr!(ctx, " {} (elapsed time {})", o.be_u32(2)?, o.be_u32(6)?),
            _ => ctx.push(" [optlen != 6 or 8 or 10]"),
        },
        43 => match n {
            6 => pr!(ctx, " {}", o.be_u32(2)?),
            4 => pr!(ctx, " {}", o.be_u16(2)?),
            _ => ctx.push(" [optlen != 4 or 6]"),
        },
        44 => hex(ctx, " "),
        _ => {}
    }
    Ok(optlen as u32)
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    /// IPv4 + a DCCP-Request with X=1, seq 8, service 7 and two options.
    fn request() -> Vec<u8> {
        let dccp: &[u8] = &[
            0x99, 0xfc, 0x13, 0x89, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0, 0, 0, 0, 0, 8, 0, 0, 0,
            7, 0x00, 0x20, 0x04, 0x05, 0x02, 0x29, 0x06, 0, 0, 0, 9, 0x00,
        ];
        let total = 20 + dccp.len();
        let mut d = vec![0x45, 0, 0, total as u8, 0, 0, 0x40, 0, 64, 33, 0, 0];
        d.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
        let sum = crate::proto::in_cksum(&[&d]);
        d[10..12].copy_from_slice(&sum.to_be_bytes());
        d.extend_from_slice(dccp);
        d
    }

    fn print(o: PrintOptions, d: &[u8]) -> String {
        print_packet(o, 101, d)
    }

    #[test]
    fn request_at_each_verbosity() {
        let d = request();
        assert_eq!(
            print(opts(0, false), &d),
            "IP 10.0.0.1.39420 > 10.0.0.2.5001: DCCP DCCP-Request (service=7) \n"
        );
        let out = print(opts(2, false), &d);
        assert!(
            out.ends_with(
                "10.0.0.1.39420 > 10.0.0.2.5001: DCCP (CCVal 0, CsCov 0, cksum 0x0000 \
                 (incorrect -> 0x1fd9)) DCCP-Request (service=7) seq 8 <nop, change_l \
                 ack_ratio 2, timestamp 9, nop>\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn short_captures() {
        // Outputs of tcpdump 4.99.3 for the same bytes.
        let d = request();
        assert_eq!(
            print(opts(0, false), &d[..30]),
            "IP truncated-ip - 22 bytes missing!  [|dccp]\n"
        );
        let mut d = request();
        d[3] = 30;
        assert_eq!(print(opts(0, false), &d[..30]), "IP  [|dccp]\n");
    }

    #[test]
    fn truncated_at_every_offset() {
        let variants = [opts(0, false), opts(2, false), opts(3, false)];
        assert_every_truncated_packet_is_safe(101, &request(), &variants);
    }
}
