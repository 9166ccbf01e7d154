//! PPP, the Point-to-Point Protocol (RFC 1661) with its control protocols: LCP (RFC 1661),
//! IPCP (RFC 1332, RFC 1877), IP6CP (RFC 5072), CCP (RFC 1962), CHAP (RFC 1994), PAP
//! (RFC 1334), multilink (RFC 1990) and HDLC-like framing (RFC 1662); tcpdump's print-ppp.c.

use super::oui::OUI_VALUES;
use super::util_print::{print_unknown_data, print_unknown_data_at, push_char, tail};
use super::{Ctx, bittok2str, ip, ip6, mpls, pr, tok};
use crate::cursor::{Bytes, PResult, Truncated};

pub const PPP_IP: u32 = 0x0021;
pub const PPP_OSI: u32 = 0x0023;
pub const PPP_IPX: u32 = 0x002b;
pub const PPP_VJC: u32 = 0x002d;
pub const PPP_VJNC: u32 = 0x002f;
pub const PPP_ML: u32 = 0x003d;
pub const PPP_IPV6: u32 = 0x0057;
pub const PPP_COMP: u32 = 0x00fd;
pub const PPP_MPLS_UCAST: u32 = 0x0281;
pub const PPP_MPLS_MCAST: u32 = 0x0283;
pub const PPP_IPCP: u32 = 0x8021;
pub const PPP_OSICP: u32 = 0x8023;
pub const PPP_IPV6CP: u32 = 0x8057;
pub const PPP_CCP: u32 = 0x80fd;
pub const PPP_MPLSCP: u32 = 0x8281;
pub const PPP_LCP: u32 = 0xc021;
pub const PPP_PAP: u32 = 0xc023;
pub const PPP_LQM: u32 = 0xc025;
pub const PPP_SPAP: u32 = 0xc027;
pub const PPP_CHAP: u32 = 0xc223;
pub const PPP_BACP: u32 = 0xc02b;
pub const PPP_BAP: u32 = 0xc02d;
pub const PPP_SPAP_OLD: u32 = 0xc123;
pub const PPP_EAP: u32 = 0xc227;

const ETHERTYPE_IP: u32 = 0x0800;
const ETHERTYPE_IPV6: u32 = 0x86dd;
const ETHERTYPE_IPX: u32 = 0x8137;

/// tcpdump's `ppptype2str`.
pub const PPPTYPE2STR: &[(u32, &str)] = &[
    (PPP_IP, "IP"),
    (PPP_OSI, "OSI"),
    (0x0025, "NS"),
    (0x0027, "DECNET"),
    (0x0029, "APPLE"),
    (PPP_IPX, "IPX"),
    (PPP_VJC, "VJC IP"),
    (PPP_VJNC, "VJNC IP"),
    (0x0031, "BRPDU"),
    (0x0033, "STII"),
    (0x0035, "VINES"),
    (PPP_MPLS_UCAST, "MPLS"),
    (PPP_MPLS_MCAST, "MPLS"),
    (PPP_COMP, "Compressed"),
    (PPP_ML, "MLPPP"),
    (PPP_IPV6, "IP6"),
    (0x0201, "HELLO"),
    (0x0231, "LUXCOM"),
    (0x0233, "SNS"),
    (PPP_IPCP, "IPCP"),
    (PPP_OSICP, "OSICP"),
    (0x8025, "NSCP"),
    (0x8027, "DECNETCP"),
    (0x8029, "APPLECP"),
    (0x802b, "IPXCP"),
    (0x8033, "STIICP"),
    (0x8035, "VINESCP"),
    (PPP_IPV6CP, "IP6CP"),
    (PPP_MPLSCP, "MPLSCP"),
    (PPP_LCP, "LCP"),
    (PPP_PAP, "PAP"),
    (PPP_LQM, "LQM"),
    (PPP_CHAP, "CHAP"),
    (PPP_EAP, "EAP"),
    (PPP_SPAP, "SPAP"),
    (PPP_SPAP_OLD, "Old-SPAP"),
    (PPP_BACP, "BACP"),
    (PPP_BAP, "BAP"),
    (0xc03d, "MLPPP-CP"),
    (PPP_CCP, "CCP"),
];

const CPCODES: &[(u32, &str)] = &[
    (0, "Vendor-Extension"),
    (1, "Conf-Request"),
    (2, "Conf-Ack"),
    (3, "Conf-Nack"),
    (4, "Conf-Reject"),
    (5, "Term-Request"),
    (6, "Term-Ack"),
    (7, "Code-Reject"),
    (8, "Prot-Reject"),
    (9, "Echo-Request"),
    (10, "Echo-Reply"),
    (11, "Disc-Req"),
    (12, "Ident"),
    (13, "Time-Rem"),
    (14, "Reset-Req"),
    (15, "Reset-Ack"),
];

const LCPCONFOPTS: &[&str] = &[
    "Vend-Ext",
    "MRU",
    "ACCM",
    "Auth-Prot",
    "Qual-Prot",
    "Magic-Num",
    "deprecated(6)",
    "PFC",
    "ACFC",
    "FCS-Alt",
    "SDP",
    "Num-Mode",
    "deprecated(12)",
    "Call-Back",
    "deprecated(14)",
    "deprecated(15)",
    "deprecated(16)",
    "MRRU",
    "12-Bit seq #",
    "End-Disc",
    "Proprietary",
    "DCE-Id",
    "MP+",
    "Link-Disc",
    "LCP-Auth-Opt",
    "COBS",
    "Prefix-elision",
    "Multilink-header-Form",
    "I18N",
    "SDL-over-SONET/SDH",
    "PPP-Muxing",
];

const CCPCONFOPTS: &[(u32, &str)] = &[
    (0, "OUI"),
    (1, "Pred-1"),
    (2, "Pred-2"),
    (3, "Puddle"),
    (16, "HP-PPC"),
    (17, "Stac-LZS"),
    (18, "MPPC"),
    (19, "Gand-FZA"),
    (20, "V.42bis"),
    (21, "BSD-Comp"),
    (23, "LZS-DCP"),
    (24, "MVRCA"),
    (25, "DEC"),
    (26, "Deflate"),
    (255, "Reserved"),
];

const BACCONFOPTS: &[(u32, &str)] = &[(1, "Favored-Peer")];

const IPCPOPT_VALUES: &[(u32, &str)] = &[
    (1, "IP-Addrs"),
    (2, "IP-Comp"),
    (3, "IP-Addr"),
    (4, "Home-Addr"),
    (129, "Pri-DNS"),
    (130, "Pri-NBNS"),
    (131, "Sec-DNS"),
    (132, "Sec-NBNS"),
];

const IPCPOPT_COMPPROTO: &[(u32, &str)] = &[(PPP_VJC, "VJ-Comp"), (0x61, "IP Header Compression")];

const IPCPOPT_COMPPROTO_SUBOPT: &[(u32, &str)] =
    &[(1, "RTP-Compression"), (2, "Enhanced RTP-Compression")];

const IP6CPOPT_VALUES: &[(u32, &str)] = &[(1, "Interface-ID")];

const AUTHALG_VALUES: &[(u32, &str)] = &[(5, "MD5"), (128, "MS-CHAPv1"), (129, "MS-CHAPv2")];

const CALLBACK_VALUES: &[(u32, &str)] = &[
    (0, "UserAuth"),
    (1, "DialString"),
    (2, "LocalID"),
    (3, "E.164"),
    (4, "X.500"),
    (6, "CBCP"),
];

const CHAPCODE_VALUES: &[(u32, &str)] = &[
    (1, "Challenge"),
    (2, "Response"),
    (3, "Success"),
    (4, "Fail"),
];

const PAPCODE_VALUES: &[(u32, &str)] = &[(1, "Auth-Req"), (2, "Auth-ACK"), (3, "Auth-NACK")];

const ML_FLAG_VALUES: &[(u32, &str)] = &[(0x80, "begin"), (0x40, "end")];

/// PPP with optional address/control fields and a (possibly compressed) protocol field
/// (`ppp_print`). Returns the header length.
pub fn ppp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "ppp";
    let olen = length;
    let mut length = length;
    let mut off = 0usize;
    if length < 2 {
        ctx.print_trunc();
        return Ok(0);
    }
    match p.be_u16(0)? {
        0x0003 => {
            if ctx.eflag() {
                ctx.push("In  ");
            }
            off = 2;
        }
        0x0103 => {
            if ctx.eflag() {
                ctx.push("Out ");
            }
            off = 2;
        }
        0xff03 => off = 2,
        _ => {}
    }
    length -= off as u32;
    if length < 2 {
        ctx.print_trunc();
        return Ok(0);
    }
    let proto;
    if p.u8_at(off)? % 2 == 1 {
        proto = p.u8_at(off)? as u32;
        off += 1;
        length -= 1;
    } else {
        proto = p.be_u16(off)? as u32;
        off += 2;
        length -= 2;
    }
    if ctx.eflag() {
        let name = tok(PPPTYPE2STR, proto);
        pr!(
            ctx,
            "{} (0x{:04x}), length {}",
            name.unwrap_or("unknown"),
            proto,
            olen
        );
        if name.is_none() {
            return Ok(off as u32);
        }
        ctx.push(": ");
    }
    handle_ppp(ctx, proto, p, off, length)?;
    Ok(off as u32)
}

/// Top-level printer for LINKTYPE_PPP and LINKTYPE_PPP_PPPD (`ppp_if_print`).
pub fn ppp_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "ppp";
    if p.len() < 4 {
        ctx.print_trunc();
        return Ok(p.len() as u32);
    }
    ppp_print(ctx, p, len)?;
    Ok(4)
}

/// Top-level printer for LINKTYPE_PPP_HDLC (`ppp_hdlc_if_print`): PPP in HDLC-like framing,
/// or Cisco HDLC.
pub fn ppp_hdlc_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "ppp_hdlc";
    if p.len() < 2 {
        ctx.print_trunc();
        return Ok(p.len() as u32);
    }
    match p[0] {
        0xff => {
            if p.len() < 4 {
                ctx.print_trunc();
                return Ok(p.len() as u32);
            }
            if ctx.eflag() {
                pr!(ctx, "{:02x} {:02x} {} ", p[0], p[1], len);
            }
            let proto = p.be_u16(2)? as u32;
            match tok(PPPTYPE2STR, proto) {
                Some(n) => pr!(ctx, "{}: ", n),
                None => pr!(ctx, "unknown PPP protocol (0x{:04x}): ", proto),
            }
            handle_ppp(ctx, proto, p, 4, len.saturating_sub(4))?;
            Ok(4)
        }
        0x0f | 0x8f => super::chdlc::chdlc_print(ctx, p, len),
        _ => {
            if p.len() < 4 {
                ctx.print_trunc();
                return Ok(p.len() as u32);
            }
            if ctx.eflag() {
                pr!(ctx, "{:02x} {:02x} {} ", p[0], p[1], len);
            }
            pr!(ctx, "unknown addr {:02x}; ctrl {:02x}", p[2], p[3]);
            Ok(2)
        }
    }
}

/// The payload of protocol `proto` at `p[off..]` (`handle_ppp`); `p` from the start of the
/// PPP frame, so that an escaped frame can be re-read from the byte before `off`.
pub fn handle_ppp(ctx: &mut Ctx, proto: u32, p: &[u8], off: usize, length: u32) -> PResult {
    if proto & 0xff00 == 0x7e00 {
        return ppp_hdlc(ctx, tail(p, off.saturating_sub(1)), length);
    }
    let b = tail(p, off);
    match proto {
        PPP_LCP | PPP_IPCP | PPP_OSICP | PPP_MPLSCP | PPP_IPV6CP | PPP_CCP | PPP_BACP => {
            // tcpdump's -vv dumps start at the protocol field, 2 bytes back.
            handle_ctrl_proto(ctx, proto, tail(p, off.saturating_sub(2)), b, length)
        }
        PPP_ML => {
            handle_mlppp(ctx, b, length);
            Ok(())
        }
        PPP_CHAP => handle_chap(ctx, b, length),
        PPP_PAP => handle_pap(ctx, b, length),
        PPP_BAP => Ok(()),
        ETHERTYPE_IP | PPP_VJNC | PPP_IP => ip::ip_print(ctx, b, length),
        ETHERTYPE_IPV6 | PPP_IPV6 => ip6::ip6_print(ctx, b, length),
        PPP_MPLS_UCAST | PPP_MPLS_MCAST => mpls::mpls_print(ctx, b, length),
        PPP_COMP => {
            ctx.push("compressed PPP data");
            Ok(())
        }
        ETHERTYPE_IPX | PPP_IPX => super::ipx::ipx_print(ctx, b, length),
        PPP_OSI => super::isoclns::isoclns_print(ctx, b, length),
        _ => {
            match tok(PPPTYPE2STR, proto) {
                Some(n) => pr!(ctx, "{} ", n),
                None => pr!(ctx, "unknown PPP protocol (0x{:04x}) ", proto),
            }
            print_unknown_data(ctx, b, "\n\t", length as usize);
            Ok(())
        }
    }
}

/// Generic control protocol packet: LCP, IPCP, CCP... (`handle_ctrl_proto`).
fn handle_ctrl_proto(ctx: &mut Ctx, proto: u32, back2: &[u8], p: &[u8], length: u32) -> PResult {
    let typestr_owned;
    let typestr: &str = match tok(PPPTYPE2STR, proto) {
        Some(n) => n,
        None => {
            typestr_owned = format!("unknown ctrl-proto (0x{:04x})", proto);
            &typestr_owned
        }
    };
    pr!(ctx, "{}, ", typestr);
    if length < 4 || !p.has(0, 2) {
        pr!(ctx, "[|{}]", typestr);
        return Ok(());
    }
    let code = p.u8_at(0)?;
    pr!(
        ctx,
        "{} (0x{:02x}), id {}, length {}",
        tok(CPCODES, code as u32).unwrap_or("Unknown Opcode"),
        code,
        p.u8_at(1)?,
        length + 2
    );
    if ctx.vflag() == 0 {
        return Ok(());
    }
    let len = p.be_u16(2)? as u32;
    let t = 4usize;
    if len < 4 {
        pr!(ctx, "\n\tencoded length {} (< 4))", len);
        return Ok(());
    }
    if len > length {
        pr!(
            ctx,
            "\n\tencoded length {} (> packet length {}))",
            len,
            length
        );
        return Ok(());
    }
    let length = len;
    pr!(
        ctx,
        "\n\tencoded length {} (=Option(s) length {})",
        len,
        len - 4
    );
    if length == 4 {
        return Ok(());
    }
    if ctx.vflag() > 1 {
        print_unknown_data(ctx, back2, "\n\t", 6);
    }
    match code {
        0 => {
            if length < 11 {
                return Ok(());
            }
            pr!(ctx, "\n\t  Magic-Num 0x{:08x}", p.be_u32(t)?);
            let oui = p.be_u24(t + 4)?;
            pr!(
                ctx,
                " Vendor: {} ({})",
                tok(OUI_VALUES, oui).unwrap_or("Unknown"),
                oui
            );
        }
        1..=4 => {
            let mut tlen = len - 4;
            let mut off = t;
            loop {
                let advance = match proto {
                    PPP_LCP => print_lcp_config_options(ctx, tail(p, off), len)?,
                    PPP_IPCP => print_ipcp_config_options(ctx, tail(p, off), len)?,
                    PPP_IPV6CP => print_ip6cp_config_options(ctx, tail(p, off), len)?,
                    PPP_CCP => print_ccp_config_options(ctx, tail(p, off), len)?,
                    PPP_BACP => print_bacp_config_options(ctx, tail(p, off), len)?,
                    _ => break,
                };
                if advance == 0 {
                    break;
                }
                if tlen < advance {
                    pr!(ctx, " [remaining options length {} < {}]", tlen, advance);
                    ctx.print_invalid();
                    break;
                }
                tlen -= advance;
                off += advance as usize;
                if tlen == 0 {
                    break;
                }
            }
        }
        5..=7 => {}
        8 => {
            if length < 6 {
                return Ok(());
            }
            let rp = p.be_u16(t)? as u32;
            pr!(
                ctx,
                "\n\t  Rejected {} Protocol (0x{:04x})",
                tok(PPPTYPE2STR, rp).unwrap_or("unknown"),
                rp
            );
            if len > 6 {
                ctx.push("\n\t  Rejected Packet");
                print_unknown_data_at(ctx, p, t + 2, "\n\t    ", (len - 2) as usize);
            }
        }
        9..=11 => {
            if length < 8 {
                return Ok(());
            }
            pr!(ctx, "\n\t  Magic-Num 0x{:08x}", p.be_u32(t)?);
            if len > 8 {
                ctx.push("\n\t  -----trailing data-----");
                if !p.has(t + 4, (len - 8) as usize) {
                    pr!(ctx, "[|{}]", typestr);
                    return Ok(());
                }
                print_unknown_data_at(ctx, p, t + 4, "\n\t  ", (len - 8) as usize);
            }
        }
        12 => {
            if length < 8 {
                return Ok(());
            }
            pr!(ctx, "\n\t  Magic-Num 0x{:08x}", p.be_u32(t)?);
            if len > 8 {
                ctx.push("\n\t  Message\n\t    ");
                let s = tail(p, t + 4);
                if super::util_print::printn_snap(ctx, s, (len - 4) as usize) {
                    pr!(ctx, "[|{}]", typestr);
                    return Ok(());
                }
            }
        }
        13 => {
            if length < 12 {
                return Ok(());
            }
            pr!(ctx, "\n\t  Magic-Num 0x{:08x}", p.be_u32(t)?);
            pr!(ctx, ", Seconds-Remaining {}s", p.be_u32(t + 4)?);
        }
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data(ctx, back2, "\n\t  ", (length + 2) as usize);
            }
        }
    }
    Ok(())
}

/// Option header shared by the option printers: `Ok(None)` means "stop" (return 0).
fn opt_header(ctx: &mut Ctx, p: &[u8], length: u32, trunc: &str) -> PResult<Option<(u8, u32)>> {
    if length < 2 {
        return Ok(None);
    }
    if !p.has(0, 2) {
        pr!(ctx, "[|{}]", trunc);
        return Ok(None);
    }
    let opt = p[0];
    let len = p[1] as u32;
    if length < len {
        return Ok(None);
    }
    Ok(Some((opt, len)))
}

/// [`opt_header`], then the option's ` NAME Option (0x..), length N` line (`names`, else
/// `unknown`); `None` (print nothing more, consume nothing) also when the length is bogus.
fn named_opt_header(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    trunc: &str,
    names: &[(u32, &'static str)],
    unknown: &str,
) -> PResult<Option<(u8, u32)>> {
    let Some((opt, len)) = opt_header(ctx, p, length, trunc)? else {
        return Ok(None);
    };
    let name = tok(names, opt as u32).unwrap_or(unknown);
    pr!(ctx, "\n\t  {} Option (0x{:02x}), length {}", name, opt, len);
    if len < 2 {
        ctx.push(" (length bogus, should be >= 2)");
        return Ok(None);
    }
    Ok(Some((opt, len)))
}

/// The end of an option printer: the hex dump of the value (from `base` + 2, after the 2-byte
/// header) of an option it did not decode (`known` false), and at `-vv` of every option's.
/// Returns `len`, the bytes consumed.
fn opt_done(ctx: &mut Ctx, p: &[u8], base: usize, len: u32, known: bool) -> u32 {
    if !known || ctx.vflag() > 1 {
        print_unknown_data_at(ctx, p, base + 2, "\n\t    ", len as usize - 2);
    }
    len
}

fn print_lcp_config_options(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    let Some((opt, len)) = opt_header(ctx, p, length, "lcp")? else {
        return Ok(0);
    };
    let name = LCPCONFOPTS.get(opt as usize);
    if len < 2 {
        match name {
            Some(n) => pr!(
                ctx,
                "\n\t  {} Option (0x{:02x}), length {} (length bogus, should be >= 2)",
                n,
                opt,
                len
            ),
            None => pr!(ctx, "\n\tunknown LCP option 0x{:02x}", opt),
        }
        return Ok(0);
    }
    match name {
        Some(n) => pr!(ctx, "\n\t  {} Option (0x{:02x}), length {}", n, opt, len),
        None => {
            pr!(ctx, "\n\tunknown LCP option 0x{:02x}", opt);
            return Ok(len);
        }
    }
    match opt {
        0 => {
            if len < 6 {
                ctx.push(" (length bogus, should be >= 6)");
                return Ok(len);
            }
            let oui = p.be_u24(2)?;
            pr!(
                ctx,
                ": Vendor: {} ({})",
                tok(OUI_VALUES, oui).unwrap_or("Unknown"),
                oui
            );
        }
        1 => {
            if len != 4 {
                ctx.push(" (length bogus, should be = 4)");
                return Ok(len);
            }
            pr!(ctx, ": {}", p.be_u16(2)?);
        }
        2 => {
            if len != 6 {
                ctx.push(" (length bogus, should be = 6)");
                return Ok(len);
            }
            pr!(ctx, ": 0x{:08x}", p.be_u32(2)?);
        }
        3 => {
            if len < 4 {
                ctx.push(" (length bogus, should be >= 4)");
                return Ok(len);
            }
            let ap = p.be_u16(2)? as u32;
            ctx.push(": ");
            // tcpdump's format string here lacks a '%': the value is never shown.
            ctx.push(tok(PPPTYPE2STR, ap).unwrap_or("Unknown Auth Proto (0x04x)"));
            match ap {
                PPP_CHAP => {
                    let alg = p.u8_at(4)? as u32;
                    ctx.push(", ");
                    match tok(AUTHALG_VALUES, alg) {
                        Some(n) => ctx.push(n),
                        None => pr!(ctx, "Unknown Auth Alg {}", alg),
                    }
                }
                PPP_PAP | PPP_EAP | PPP_SPAP | PPP_SPAP_OLD => {}
                _ => print_unknown_data(ctx, p, "\n\t", len as usize),
            }
        }
        4 => {
            if len < 4 {
                ctx.push(" (length bogus, should be >= 4)");
                return Ok(0);
            }
            if p.be_u16(2)? as u32 == PPP_LQM {
                ctx.push(": LQR");
            } else {
                ctx.push(": unknown");
            }
        }
        5 => {
            if len != 6 {
                ctx.push(" (length bogus, should be = 6)");
                return Ok(0);
            }
            pr!(ctx, ": 0x{:08x}", p.be_u32(2)?);
        }
        7 | 8 => {}
        23 => {
            if len != 4 {
                ctx.push(" (length bogus, should be = 4)");
                return Ok(0);
            }
            pr!(ctx, ": 0x{:04x}", p.be_u16(2)?);
        }
        13 => {
            if len < 3 {
                ctx.push(" (length bogus, should be >= 3)");
                return Ok(0);
            }
            let op = p.u8_at(2)? as u32;
            pr!(
                ctx,
                ": : Callback Operation {} ({})",
                tok(CALLBACK_VALUES, op).unwrap_or("Unknown"),
                op
            );
        }
        17 => {
            if len != 4 {
                ctx.push(" (length bogus, should be = 4)");
                return Ok(0);
            }
            pr!(ctx, ": {}", p.be_u16(2)?);
        }
        19 => {
            if len < 3 {
                ctx.push(" (length bogus, should be >= 3)");
                return Ok(0);
            }
            match p.u8_at(2)? {
                0 => ctx.push(": Null"),
                1 => ctx.push(": Local"),
                2 => {
                    if len != 7 {
                        ctx.push(" (length bogus, should be = 7)");
                        return Ok(0);
                    }
                    let a = p.sub(3, 4)?;
                    ctx.push(": IPv4 ");
                    ctx.ip(a);
                }
                3 => {
                    if len != 9 {
                        ctx.push(" (length bogus, should be = 9)");
                        return Ok(0);
                    }
                    let a = p.sub(3, 6)?;
                    ctx.push(": MAC ");
                    ctx.mac(a);
                }
                4 => ctx.push(": Magic-Num-Block"),
                5 => ctx.push(": PSNDN"),
                c => pr!(ctx, ": Unknown class {}", c),
            }
        }
        _ => return Ok(opt_done(ctx, p, 0, len, false)),
    }
    Ok(opt_done(ctx, p, 0, len, true))
}

fn print_ipcp_config_options(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    let Some((opt, len)) = named_opt_header(ctx, p, length, "ipcp", IPCPOPT_VALUES, "unknown")?
    else {
        return Ok(0);
    };
    // tcpdump walks the IP-Comp suboptions by advancing its option pointer, so its -vv dump
    // starts after them.
    let mut dump_base = 0usize;
    match opt {
        1 => {
            if len != 10 {
                ctx.push(" (length bogus, should be = 10)");
                return Ok(len);
            }
            let (s, d) = (p.sub(2, 4)?, p.sub(6, 4)?);
            ctx.push(": src ");
            ctx.ip(s);
            ctx.push(", dst ");
            ctx.ip(d);
        }
        2 => {
            if len < 4 {
                ctx.push(" (length bogus, should be >= 4)");
                return Ok(0);
            }
            let cp = p.be_u16(2)? as u32;
            pr!(
                ctx,
                ": {} (0x{:02x}):",
                tok(IPCPOPT_COMPPROTO, cp).unwrap_or("Unknown"),
                cp
            );
            if cp == 0x61 {
                if len < 14 {
                    ctx.push(" (length bogus, should be >= 14)");
                    return Ok(0);
                }
                if !p.has(2, 14) {
                    ctx.push("[|ipcp]");
                    return Ok(0);
                }
                pr!(
                    ctx,
                    "\n\t    TCP Space {}, non-TCP Space {}, maxPeriod {}, maxTime {}, maxHdr {}",
                    p.be_u16(4)?,
                    p.be_u16(6)?,
                    p.be_u16(8)?,
                    p.be_u16(10)?,
                    p.be_u16(12)?
                );
                if len > 14 {
                    let mut total = len - 14;
                    let mut off = 14usize;
                    pr!(ctx, "\n\t      Suboptions, length {}", total);
                    while total >= 2 {
                        if !p.has(off, 2) {
                            ctx.push("[|ipcp]");
                            return Ok(0);
                        }
                        let (so, sl) = (p[off], p[off + 1] as u32);
                        if so == 0 || sl == 0 {
                            break;
                        }
                        pr!(
                            ctx,
                            "\n\t\t{} Suboption #{}, length {}",
                            tok(IPCPOPT_COMPPROTO_SUBOPT, so as u32).unwrap_or("Unknown"),
                            so,
                            sl
                        );
                        if total < sl {
                            pr!(ctx, " [remaining suboptions length {} < {}]", total, sl);
                            ctx.print_invalid();
                            break;
                        }
                        total -= sl;
                        off += sl as usize;
                    }
                    dump_base = off;
                }
            }
        }
        3 | 4 | 129..=132 => {
            if len != 6 {
                ctx.push(" (length bogus, should be = 6)");
                return Ok(0);
            }
            let a = p.sub(2, 4)?;
            ctx.push(": ");
            ctx.ip(a);
        }
        _ => return Ok(opt_done(ctx, p, 0, len, false)),
    }
    Ok(opt_done(ctx, p, dump_base, len, true))
}

fn print_ip6cp_config_options(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    let Some((opt, len)) = named_opt_header(ctx, p, length, "ip6cp", IP6CPOPT_VALUES, "unknown")?
    else {
        return Ok(0);
    };
    match opt {
        1 => {
            if len != 10 {
                ctx.push(" (length bogus, should be = 10)");
                return Ok(len);
            }
            if !p.has(2, 8) {
                ctx.push("[|ip6cp]");
                return Ok(0);
            }
            pr!(
                ctx,
                ": {:04x}:{:04x}:{:04x}:{:04x}",
                p.be_u16(2)?,
                p.be_u16(4)?,
                p.be_u16(6)?,
                p.be_u16(8)?
            );
        }
        _ => return Ok(opt_done(ctx, p, 0, len, false)),
    }
    Ok(opt_done(ctx, p, 0, len, true))
}

fn print_ccp_config_options(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    let Some((opt, len)) = named_opt_header(ctx, p, length, "ccp", CCPCONFOPTS, "Unknown")? else {
        return Ok(0);
    };
    match opt {
        21 => {
            if len < 3 {
                ctx.push(" (length bogus, should be >= 3)");
                return Ok(len);
            }
            let b = p.u8_at(2)?;
            pr!(ctx, ": Version: {}, Dictionary Bits: {}", b >> 5, b & 0x1f);
        }
        24 => {
            if len < 4 {
                ctx.push(" (length bogus, should be >= 4)");
                return Ok(len);
            }
            let b = p.u8_at(2)?;
            pr!(
                ctx,
                ": Features: {}, PxP: {}, History: {}, #CTX-ID: {}",
                (b & 0xc0) >> 6,
                if b & 0x20 != 0 { "Enabled" } else { "Disabled" },
                b & 0x1f,
                p.u8_at(3)?
            );
        }
        26 => {
            if len < 4 {
                ctx.push(" (length bogus, should be >= 4)");
                return Ok(len);
            }
            let (b, c) = (p.u8_at(2)?, p.u8_at(3)?);
            pr!(
                ctx,
                ": Window: {}K, Method: {} (0x{:x}), MBZ: {}, CHK: {}",
                (b & 0xf0) >> 4,
                if b & 0x0f == 8 { "zlib" } else { "unknown" },
                b & 0x0f,
                (c & 0xfc) >> 2,
                c & 0x03
            );
        }
        _ => return Ok(opt_done(ctx, p, 0, len, false)),
    }
    Ok(opt_done(ctx, p, 0, len, true))
}

fn print_bacp_config_options(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    let Some((opt, len)) = named_opt_header(ctx, p, length, "bacp", BACCONFOPTS, "Unknown")? else {
        return Ok(0);
    };
    match opt {
        1 => {
            if len != 6 {
                ctx.push(" (length bogus, should be = 6)");
                return Ok(len);
            }
            pr!(ctx, ": Magic-Num 0x{:08x}", p.be_u32(2)?);
        }
        _ => return Ok(opt_done(ctx, p, 0, len, false)),
    }
    Ok(opt_done(ctx, p, 0, len, true))
}

fn handle_mlppp(ctx: &mut Ctx, p: &[u8], length: u32) {
    if !ctx.eflag() {
        ctx.push("MLPPP, ");
    }
    if length < 2 || !p.has(0, 2) {
        ctx.push("[|mlppp]");
        return;
    }
    let v = u16::from_be_bytes([p[0], p[1]]);
    pr!(ctx, "seq 0x{:03x}, Flags [", v & 0x0fff);
    bittok2str(ctx.out, ML_FLAG_VALUES, "none", (p[0] & 0xc0) as u32, ", ");
    pr!(ctx, "], length {}", length);
}

fn handle_chap(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    if length < 1 {
        ctx.push("[|chap]");
        return Ok(());
    } else if length < 4 {
        pr!(ctx, "[|chap 0x{:02x}]", p.u8_at(0)?);
        return Ok(());
    }
    let code = p.u8_at(0)?;
    pr!(
        ctx,
        "CHAP, {} (0x{:02x})",
        tok(CHAPCODE_VALUES, code as u32).unwrap_or("unknown"),
        code
    );
    pr!(ctx, ", id {}", p.u8_at(1)?);
    let len = p.be_u16(2)? as usize;
    let mut off = 4usize;
    let length = length as usize;
    match code {
        1 | 2 => {
            if length < off + 1 {
                return Ok(());
            }
            let val_size = p.u8_at(off)? as usize;
            off += 1;
            if length - off < val_size {
                return Ok(());
            }
            ctx.push(", Value ");
            for _ in 0..val_size {
                pr!(ctx, "{:02x}", p.u8_at(off)?);
                off += 1;
            }
            let name_size = len.wrapping_sub(off);
            ctx.push(", Name ");
            for _ in 0..name_size {
                let c = p.u8_at(off)?;
                push_char(ctx.out, c);
                off += 1;
            }
        }
        3 | 4 => {
            let msg_size = len.wrapping_sub(off);
            ctx.push(", Msg ");
            for _ in 0..msg_size {
                let c = p.u8_at(off)?;
                push_char(ctx.out, c);
                off += 1;
            }
        }
        _ => {}
    }
    Ok(())
}

fn handle_pap(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    if length < 1 {
        ctx.push("[|pap]");
        return Ok(());
    } else if length < 4 {
        pr!(ctx, "[|pap 0x{:02x}]", p.u8_at(0)?);
        return Ok(());
    }
    let code = p.u8_at(0)?;
    pr!(
        ctx,
        "PAP, {} (0x{:02x})",
        tok(PAPCODE_VALUES, code as u32).unwrap_or("unknown"),
        code
    );
    pr!(ctx, ", id {}", p.u8_at(1)?);
    let len = p.be_u16(2)? as usize;
    let mut off = 4usize;
    if len > length as usize {
        pr!(ctx, ", length {} > packet size", len);
        return Ok(());
    }
    let length = len;
    if length < off {
        pr!(ctx, ", length {} < PAP header length", length);
        return Ok(());
    }
    let field = |ctx: &mut Ctx, label: &str, off: &mut usize| -> PResult<bool> {
        if length - *off < 1 {
            return Ok(false);
        }
        let n = p.u8_at(*off)? as usize;
        *off += 1;
        if length - *off < n {
            return Ok(false);
        }
        ctx.push(label);
        for _ in 0..n {
            let c = p.u8_at(*off)?;
            push_char(ctx.out, c);
            *off += 1;
        }
        Ok(true)
    };
    match code {
        1 => {
            if len < 6 {
                ctx.push("[|pap]");
                return Ok(());
            }
            if field(ctx, ", Peer ", &mut off)? {
                field(ctx, ", Name ", &mut off)?;
            }
        }
        2 | 3 => {
            if len < 5 {
                ctx.push("[|pap]");
                return Ok(());
            }
            field(ctx, ", Msg ", &mut off)?;
        }
        _ => {}
    }
    Ok(())
}

/// HDLC-like framing with 0x7d escapes (`ppp_hdlc`): un-escapes the captured bytes and guesses
/// the protocol field.
fn ppp_hdlc(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    if p.is_empty() || length == 0 {
        return Ok(());
    }
    let mut b = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        let mut c = p[i];
        i += 1;
        if c == 0x7d {
            if i >= p.len() {
                break;
            }
            c = p[i] ^ 0x20;
            i += 1;
        }
        b.push(c);
    }
    let length = b.len() as u32;
    let r = (|| -> PResult<bool> {
        if length < 1 {
            return Ok(false);
        }
        match b[0] as u32 {
            PPP_IP => {
                ip::ip_print(ctx, &b[1..], length - 1)?;
                return Ok(true);
            }
            PPP_IPV6 => {
                ip6::ip6_print(ctx, &b[1..], length - 1)?;
                return Ok(true);
            }
            _ => {}
        }
        if length < 2 {
            return Ok(false);
        }
        let proto = u16::from_be_bytes([b[0], b[1]]) as u32;
        if proto == 0xff03 {
            if length < 4 {
                return Ok(false);
            }
            let proto = u16::from_be_bytes([b[2], b[3]]) as u32;
            if proto & 0xff00 == 0x7e00 {
                pr!(ctx, "(protocol 0x{:04x} invalid)", proto);
            } else {
                handle_ppp(ctx, proto, &b, 4, length - 4)?;
            }
        } else if proto & 0xff00 == 0x7e00 {
            pr!(ctx, "(protocol 0x{:04x} invalid)", proto);
        } else {
            handle_ppp(ctx, proto, &b, 2, length - 2)?;
        }
        Ok(true)
    })();
    match r {
        Ok(true) => Ok(()),
        Ok(false) => {
            ctx.print_trunc();
            Ok(())
        }
        Err(Truncated) => Err(Truncated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with};

    fn run(p: &[u8], verbose: u8, e: bool) -> (String, PResult<u32>) {
        run_with(&opts(verbose, e), |ctx| ppp_print(ctx, p, p.len() as u32))
    }

    // LCP Conf-Request: Magic-Num, PFC, ACFC, MRU.
    const CONFREQ: &[u8] = &[
        0xc0, 0x21, 0x01, 0x00, 0x00, 0x12, 0x05, 0x06, 0x02, 0x19, 0x52, 0xcf, 0x07, 0x02, 0x08,
        0x02, 0x01, 0x04, 0x05, 0xdc,
    ];

    #[test]
    fn lcp() {
        assert_eq!(
            run(CONFREQ, 0, false).0,
            "LCP, Conf-Request (0x01), id 0, length 20"
        );
        assert_eq!(
            run(CONFREQ, 1, false).0,
            "LCP, Conf-Request (0x01), id 0, length 20\n\tencoded length 18 (=Option(s) length 14)\
             \n\t  Magic-Num Option (0x05), length 6: 0x021952cf\n\t  PFC Option (0x07), length 2\
             \n\t  ACFC Option (0x08), length 2\n\t  MRU Option (0x01), length 4: 1500"
        );
        assert_eq!(
            run(CONFREQ, 0, true).0,
            "LCP (0xc021), length 20: LCP, Conf-Request (0x01), id 0, length 20"
        );
    }

    #[test]
    fn echo_request_in_address_control_frame() {
        let p = [
            0xff, 0x03, 0xc0, 0x21, 0x09, 0x6a, 0x00, 0x0c, 0, 0, 0, 1, 0, 0, 0, 0,
        ];
        assert_eq!(
            run(&p, 0, false).0,
            "LCP, Echo-Request (0x09), id 106, length 14"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let variants = [opts(0, false), opts(1, true), opts(2, false)];
        assert_every_truncation_is_safe(CONFREQ, &variants, |ctx, p| {
            ppp_print(ctx, p, p.len() as u32)
        });
    }
}
