//! LSP ping, MPLS data plane failure detection (RFC 8029, formerly RFC 4379), with the BFD
//! discriminator TLV of RFC 5884; tcpdump's print-lspping.c. UDP port 3503.

use super::l2vpn::MPLS_PW_TYPES_VALUES;
use super::ntp::p_ntp_time;
use super::oui::SMI_VALUES;
use super::util_print::print_unknown_data_at;
use super::{Ctx, pr, tok};
use crate::addr::Ip;
use crate::cursor::{Bytes, PResult, Truncated};

const COMMON_HDR: usize = 32;
const TLV_HDR: usize = 4;
const LSPPING_VERSION: u16 = 1;

const MSG_TYPE_VALUES: &[(u32, &str)] = &[(1, "MPLS Echo Request"), (2, "MPLS Echo Reply")];

const REPLY_MODE_VALUES: &[(u32, &str)] = &[
    (1, "Do not reply"),
    (2, "Reply via an IPv4/IPv6 UDP packet"),
    (3, "Reply via an IPv4/IPv6 UDP packet with Router Alert"),
    (4, "Reply via application level control channel"),
];

const RETURN_CODE_VALUES: &[(u32, &str)] = &[
    (
        0,
        "No return code or return code contained in the Error Code TLV",
    ),
    (1, "Malformed echo request received"),
    (2, "One or more of the TLVs was not understood"),
    (3, "Replying router is an egress for the FEC at stack depth"),
    (
        4,
        "Replying router has no mapping for the FEC at stack depth",
    ),
    (5, "Reserved"),
    (6, "Reserved"),
    (7, "Reserved"),
    (8, "Label switched at stack-depth"),
    (9, "Label switched but no MPLS forwarding at stack-depth"),
    (
        10,
        "Mapping for this FEC is not the given label at stack depth",
    ),
    (11, "No label entry at stack-depth"),
    (
        12,
        "Protocol not associated with interface at FEC stack depth",
    ),
    (
        13,
        "Premature termination of ping due to label stack shrinking to a single label",
    ),
];

const TLV_TARGET_FEC_STACK: u16 = 1;
const TLV_DOWNSTREAM_MAPPING: u16 = 2;
const TLV_VENDOR_ENTERPRISE: u16 = 5;
const TLV_BFD_DISCRIMINATOR: u16 = 15;

const TLV_VALUES: &[(u32, &str)] = &[
    (1, "Target FEC Stack"),
    (2, "Downstream Mapping"),
    (3, "Pad"),
    (9, "Error Code"),
    (5, "Vendor Enterprise Code"),
    (7, "Interface Label Stack"),
    (10, "Reply TOS Byte"),
    (15, "BFD Discriminator"),
    (0xfc00, "Vendor Private Code"),
];

const FEC_LDP_IPV4: u16 = 1;
const FEC_LDP_IPV6: u16 = 2;
const FEC_RSVP_IPV4: u16 = 3;
const FEC_RSVP_IPV6: u16 = 4;
const FEC_L3VPN_IPV4: u16 = 6;
const FEC_L3VPN_IPV6: u16 = 7;
const FEC_L2VPN_ENDPT: u16 = 8;
const FEC_128_PW_OLD: u16 = 9;
const FEC_128_PW: u16 = 10;
const FEC_BGP_IPV4: u16 = 12;
const FEC_BGP_IPV6: u16 = 13;

const FEC_SUBTLV_VALUES: &[(u32, &str)] = &[
    (1, "LDP IPv4 prefix"),
    (2, "LDP IPv6 prefix"),
    (3, "RSVP IPv4 Session Query"),
    (4, "RSVP IPv6 Session Query"),
    (5, "Reserved"),
    (6, "VPN IPv4 prefix"),
    (7, "VPN IPv6 prefix"),
    (8, "L2 VPN endpoint"),
    (9, "FEC 128 pseudowire (old)"),
    (10, "FEC 128 pseudowire"),
    (12, "BGP labeled IPv4 prefix"),
    (13, "BGP labeled IPv6 prefix"),
];

const AFI_IPV4: u8 = 1;
const AFI_IPV4_UNMB: u8 = 2;
const AFI_IPV6: u8 = 3;
const AFI_IPV6_UNMB: u8 = 4;

const DOWNSTREAM_ADDR_VALUES: &[(u32, &str)] = &[
    (1, "IPv4"),
    (2, "Unnumbered IPv4"),
    (3, "IPv6"),
    (4, "IPv6"),
];

/// A route distinguisher (RFC 4364 section 4.2) as tcpdump's BGP printer shows it.
fn route_distinguisher(p: &[u8], off: usize) -> PResult<String> {
    let b = p.sub(off, 8)?;
    Ok(match u16::from_be_bytes([b[0], b[1]]) {
        0 => format!(
            "{}:{} (= {}.{}.{}.{})",
            u16::from_be_bytes([b[2], b[3]]),
            u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            b[4],
            b[5],
            b[6],
            b[7]
        ),
        1 => format!(
            "{}.{}.{}.{}:{}",
            b[2],
            b[3],
            b[4],
            b[5],
            u16::from_be_bytes([b[6], b[7]])
        ),
        2 => format!(
            "{}:{} ({}.{}.{}.{}:{})",
            u32::from_be_bytes([b[2], b[3], b[4], b[5]]),
            u16::from_be_bytes([b[6], b[7]]),
            b[2],
            b[3],
            b[4],
            b[5],
            u16::from_be_bytes([b[6], b[7]])
        ),
        _ => "unknown RD format".to_string(),
    })
}

/// How an LSP ping message ended early.
enum End {
    /// tcpdump's `tooshort`.
    TooShort,
    /// A padded sub-TLV does not fit its TLV: nothing more is printed.
    Quiet,
}

/// An LSP ping echo request or reply.
pub fn lspping_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "lspping";
    match message(ctx, p, len)? {
        Some(End::TooShort) => ctx.push("\n\t\t packet is too short"),
        Some(End::Quiet) | None => {}
    }
    Ok(())
}

fn message(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<Option<End>> {
    if len < COMMON_HDR as u32 {
        return Ok(Some(End::TooShort));
    }
    if !p.has(0, COMMON_HDR) {
        return Err(Truncated);
    }
    let version = p.be_u16(0)?;
    if version != LSPPING_VERSION {
        pr!(ctx, "LSP-PING version {} packet not supported", version);
        return Ok(None);
    }
    let msg_type = p[4];
    if ctx.vflag() < 1 {
        pr!(ctx, "LSP-PINGv{}, ", version);
        super::tok2str(ctx.out, MSG_TYPE_VALUES, "unknown ({})", msg_type as u32);
        pr!(ctx, ", seq {}, length: {}", p.be_u32(12)?, len);
        return Ok(None);
    }
    let reply_mode = p[5];
    pr!(
        ctx,
        "\n\tLSP-PINGv{}, msg-type: {} ({}), length: {}\n\t  reply-mode: {} ({})",
        version,
        tok(MSG_TYPE_VALUES, msg_type as u32).unwrap_or("unknown"),
        msg_type,
        len,
        tok(REPLY_MODE_VALUES, reply_mode as u32).unwrap_or("unknown"),
        reply_mode
    );
    let (code, subcode) = (p[6], p[7]);
    let code_name = tok(RETURN_CODE_VALUES, code as u32).unwrap_or("unknown");
    // These codes name a stack depth: the subcode (RFC 8029 section 3.1).
    if matches!(code, 3 | 4 | 8 | 10 | 11 | 12) {
        pr!(
            ctx,
            "\n\t  Return Code: {} {} ({})\n\t  Return Subcode: ({})",
            code_name,
            subcode,
            code,
            subcode
        );
    } else {
        pr!(
            ctx,
            "\n\t  Return Code: {} ({})\n\t  Return Subcode: ({})",
            code_name,
            code,
            subcode
        );
    }
    pr!(
        ctx,
        "\n\t  Sender Handle: 0x{:08x}, Sequence: {}",
        p.be_u32(8)?,
        p.be_u32(12)?
    );
    ctx.push("\n\t  Sender Timestamp: ");
    p_ntp_time(ctx.out, p, 16)?;
    ctx.push(" Receiver Timestamp: ");
    if p.be_u32(24)? == 0 && p.be_u32(28)? == 0 {
        ctx.push("no timestamp");
    } else {
        p_ntp_time(ctx.out, p, 24)?;
    }

    let mut t = COMMON_HDR;
    let mut tlen = len - COMMON_HDR as u32;
    while tlen != 0 {
        if tlen < TLV_HDR as u32 {
            return Ok(Some(End::TooShort));
        }
        let ty = p.be_u16(t)?;
        let mut tlv_len = p.be_u16(t + 2)? as u32;
        pr!(
            ctx,
            "\n\t  {} TLV ({}), length: {}",
            tok(TLV_VALUES, ty as u32).unwrap_or("Unknown"),
            ty,
            tlv_len
        );
        if tlv_len == 0 {
            t += TLV_HDR;
            tlen -= TLV_HDR as u32;
            continue;
        }
        if tlen < tlv_len + TLV_HDR as u32 {
            return Ok(Some(End::TooShort));
        }
        let v = t + TLV_HDR;
        if !p.has(v, tlv_len as usize) {
            return Err(Truncated);
        }
        let hexdump = match tlv(ctx, p, v, ty, tlv_len)? {
            Ok(h) => h,
            Err(end) => return Ok(Some(end)),
        };
        if ctx.vflag() > 1 || hexdump {
            print_unknown_data_at(ctx, p, v, "\n\t    ", tlv_len as usize);
        }
        // TLVs are padded to four octets.
        if !tlv_len.is_multiple_of(4) {
            tlv_len += 4 - tlv_len % 4;
            if tlen < tlv_len + TLV_HDR as u32 {
                return Ok(Some(End::TooShort));
            }
        }
        t += tlv_len as usize + TLV_HDR;
        tlen -= tlv_len + TLV_HDR as u32;
    }
    Ok(None)
}

/// One TLV's value (captured); `Ok(Ok(true))` asks for a hex dump of it.
fn tlv(ctx: &mut Ctx, p: &[u8], v: usize, ty: u16, tlv_len: u32) -> PResult<Result<bool, End>> {
    let too_short = |ctx: &mut Ctx| {
        ctx.push("\n\t      TLV is too short");
        Ok(Ok(true))
    };
    match ty {
        TLV_TARGET_FEC_STACK => {
            let mut s = v;
            let mut tlen = tlv_len;
            while tlen != 0 {
                if tlen < TLV_HDR as u32 {
                    return too_short(ctx);
                }
                let sty = p.be_u16(s)?;
                let mut slen = p.be_u16(s + 2)? as u32;
                if tlen < slen + TLV_HDR as u32 {
                    return too_short(ctx);
                }
                let sv = s + TLV_HDR;
                if !p.has(sv, slen as usize) {
                    return Err(Truncated);
                }
                pr!(
                    ctx,
                    "\n\t    {} subTLV ({}), length: {}",
                    tok(FEC_SUBTLV_VALUES, sty as u32).unwrap_or("Unknown"),
                    sty,
                    slen
                );
                let hexdump = fec_subtlv(ctx, p, sv, sty, slen)?;
                if ctx.vflag() > 1 || hexdump {
                    print_unknown_data_at(ctx, p, sv, "\n\t      ", slen as usize);
                }
                // Sub-TLVs are padded to four octets too.
                if !slen.is_multiple_of(4) {
                    slen += 4 - slen % 4;
                    if tlen < slen + TLV_HDR as u32 {
                        ctx.push("\n\t\t TLV is too short");
                        return Ok(Err(End::Quiet));
                    }
                }
                // tcpdump steps over the value but not the sub-TLV header.
                s += slen as usize;
                tlen -= slen + TLV_HDR as u32;
            }
            Ok(Ok(false))
        }
        TLV_DOWNSTREAM_MAPPING => {
            let mut s = v;
            let mut tlen = tlv_len;
            if tlen < 4 {
                return too_short(ctx);
            }
            if !p.has(s, 4) {
                return Err(Truncated);
            }
            let at = p[s + 2];
            pr!(
                ctx,
                "\n\t    MTU: {}, Address-Type: {} ({})",
                p.be_u16(s)?,
                tok(DOWNSTREAM_ADDR_VALUES, at as u32).unwrap_or("unknown"),
                at
            );
            let (alen, ifindex) = match at {
                AFI_IPV4 => (4, false),
                AFI_IPV4_UNMB => (4, true),
                AFI_IPV6 => (16, false),
                AFI_IPV6_UNMB => (16, true),
                _ => (0, false),
            };
            if alen != 0 {
                let size = 4 + alen + if ifindex { 4 } else { alen };
                if tlen < size as u32 {
                    return too_short(ctx);
                }
                if !p.has(s, size) {
                    return Err(Truncated);
                }
                let ip = Ip(&p[s + 4..s + 4 + alen]);
                if ifindex {
                    pr!(
                        ctx,
                        "\n\t    Downstream IP: {}\n\t    Downstream Interface Index: 0x{:08x}",
                        ip,
                        p.be_u32(s + 4 + alen)?
                    );
                } else {
                    pr!(
                        ctx,
                        "\n\t    Downstream IP: {}\n\t    Downstream Interface IP: {}",
                        ip,
                        Ip(&p[s + 4 + alen..s + 4 + 2 * alen])
                    );
                }
                s += size;
                tlen -= size as u32;
            }
            // Multipath type, depth limit and multipath length follow; the multipath
            // information and the downstream labels are shown as a hex dump only.
            if tlen < 4 {
                return too_short(ctx);
            }
            if !p.has(s, 4) {
                return Err(Truncated);
            }
            Ok(Ok(true))
        }
        TLV_BFD_DISCRIMINATOR => {
            if tlv_len < 4 {
                return too_short(ctx);
            }
            pr!(ctx, "\n\t    BFD Discriminator 0x{:08x}", p.be_u32(v)?);
            Ok(Ok(false))
        }
        TLV_VENDOR_ENTERPRISE => {
            if tlv_len < 4 {
                return too_short(ctx);
            }
            let id = p.be_u32(v)?;
            pr!(
                ctx,
                "\n\t    Vendor: {} (0x{:04x})",
                tok(SMI_VALUES, id).unwrap_or("Unknown"),
                id
            );
            Ok(Ok(false))
        }
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data_at(ctx, p, v, "\n\t    ", tlv_len as usize);
            }
            Ok(Ok(false))
        }
    }
}

/// One sub-TLV of the target FEC stack (RFC 8029 section 3.2); true asks for a hex dump.
fn fec_subtlv(ctx: &mut Ctx, p: &[u8], s: usize, ty: u16, len: u32) -> PResult<bool> {
    let want = match ty {
        FEC_LDP_IPV4 | FEC_BGP_IPV4 => 5,
        FEC_LDP_IPV6 | FEC_BGP_IPV6 => 17,
        FEC_RSVP_IPV4 => 20,
        FEC_RSVP_IPV6 => 56,
        FEC_L3VPN_IPV4 => 13,
        FEC_L3VPN_IPV6 => 25,
        FEC_L2VPN_ENDPT | FEC_128_PW => 14,
        FEC_128_PW_OLD => 10,
        _ => return Ok(true),
    };
    if len != want {
        pr!(ctx, "\n\t      invalid subTLV length, should be {}", want);
        return Ok(true);
    }
    let pw_type = |ctx: &mut Ctx, off: usize| -> PResult {
        let t = p.be_u16(off)?;
        pr!(
            ctx,
            "{} ({})",
            tok(MPLS_PW_TYPES_VALUES, t as u32).unwrap_or("unknown"),
            t
        );
        Ok(())
    };
    match ty {
        FEC_LDP_IPV4 | FEC_BGP_IPV4 | FEC_LDP_IPV6 | FEC_BGP_IPV6 => {
            let alen = want as usize - 1;
            pr!(
                ctx,
                "\n\t      {}/{}",
                Ip(p.sub(s, alen)?),
                p.u8_at(s + alen)?
            );
        }
        FEC_RSVP_IPV4 | FEC_RSVP_IPV6 => {
            // Tunnel end point, reserved, tunnel ID, extended tunnel ID, sender, reserved,
            // LSP ID.
            let a = if ty == FEC_RSVP_IPV4 { 4 } else { 16 };
            pr!(
                ctx,
                "\n\t      tunnel end-point {}, tunnel sender {}, lsp-id 0x{:04x}\
                 \n\t      tunnel-id 0x{:04x}, extended tunnel-id {}",
                Ip(p.sub(s, a)?),
                Ip(p.sub(s + 2 * a + 4, a)?),
                p.be_u16(s + 3 * a + 6)?,
                p.be_u16(s + a + 2)?,
                Ip(p.sub(s + a + 4, a)?)
            );
        }
        FEC_L3VPN_IPV4 | FEC_L3VPN_IPV6 => {
            let alen = want as usize - 9;
            let rd = route_distinguisher(p, s)?;
            pr!(
                ctx,
                "\n\t      RD: {}, {}/{}",
                rd,
                Ip(p.sub(s + 8, alen)?),
                p.u8_at(s + 8 + alen)?
            );
        }
        FEC_L2VPN_ENDPT => {
            let rd = route_distinguisher(p, s)?;
            pr!(
                ctx,
                "\n\t      RD: {}, Sender VE ID: {}, Receiver VE ID: {}\
                 \n\t      Encapsulation Type: ",
                rd,
                p.be_u16(s + 8)?,
                p.be_u16(s + 10)?
            );
            pw_type(ctx, s + 12)?;
        }
        FEC_128_PW_OLD => {
            pr!(
                ctx,
                "\n\t      Remote PE: {}\n\t      PW ID: 0x{:08x}, PW Type: ",
                Ip(p.sub(s, 4)?),
                p.be_u32(s + 4)?
            );
            pw_type(ctx, s + 8)?;
        }
        _ => {
            pr!(
                ctx,
                "\n\t      Sender PE: {}, Remote PE: {}\n\t      PW ID: 0x{:08x}, PW Type: ",
                Ip(p.sub(s, 4)?),
                Ip(p.sub(s + 4, 4)?),
                p.be_u32(s + 8)?
            );
            pw_type(ctx, s + 12)?;
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], v: u8) -> String {
        run_marked(&opts(v, false), |ctx| lspping_print(ctx, p, p.len() as u32))
    }

    // An echo request for the LDP FEC 10.0.0.1/32 with a BFD discriminator.
    const REQUEST: &[u8] = &[
        0x00, 0x01, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00,
        0x07, 0xd9, 0x3a, 0x2f, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, // header
        0x00, 0x01, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x05, 0x0a, 0x00, 0x00, 0x01, 0x20, 0x00, 0x00,
        0x00, // FEC stack
        0x00, 0x0f, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05, // BFD discriminator
    ];

    #[test]
    fn echo_request() {
        assert_eq!(
            run(REQUEST, 0),
            "LSP-PINGv1, MPLS Echo Request, seq 7, length: 56"
        );
        assert_eq!(
            run(REQUEST, 1),
            "\n\tLSP-PINGv1, msg-type: MPLS Echo Request (1), length: 56\
             \n\t  reply-mode: Reply via an IPv4/IPv6 UDP packet (2)\
             \n\t  Return Code: No return code or return code contained in the Error Code TLV \
             (0)\n\t  Return Subcode: (0)\n\t  Sender Handle: 0x0000002a, Sequence: 7\
             \n\t  Sender Timestamp: 3644468992.500000000 (2015-06-28T08:29:52Z) Receiver \
             Timestamp: no timestamp\n\t  Target FEC Stack TLV (1), length: 12\
             \n\t    LDP IPv4 prefix subTLV (1), length: 5\n\t      10.0.0.1/32\
             \n\t  BFD Discriminator TLV (15), length: 4\n\t    BFD Discriminator 0x00000005"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| lspping_print(
                ctx,
                &REQUEST[..20],
                56
            )),
            " [|lspping]"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| lspping_print(ctx, REQUEST, 20)),
            "\n\t\t packet is too short"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(REQUEST, &verbosities(2), |ctx, p| {
            lspping_print(ctx, p, REQUEST.len() as u32)
        });
    }
}
