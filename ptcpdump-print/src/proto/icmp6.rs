//! ICMPv6 printer (tcpdump's print-icmp6.c).
//!
//! RFC 4443 (ICMPv6), RFC 4861 (Neighbor Discovery), RFC 2710 and RFC 3810 (MLDv1/MLDv2),
//! RFC 4620 (node information queries), RFC 3122 (inverse ND), RFC 6275 (mobile IPv6 home
//! agent discovery), RFC 4191 (route information), RFC 8106 (RDNSS/DNSSL), RFC 7112,
//! RFC 2894 (router renumbering), RFC 6550 (RPL control messages).

use std::fmt::Write;

use super::dns::fqdn_print;
use super::igmp::group_records_print;
use super::textutil::{Tok, bittok, ipv4_str, ipv6_str, print_char, tok, unknown_data};
use super::{Ctx, IpHdr, in_cksum_shouldbe, nextproto_cksum};
use crate::cursor::{Bytes, PResult, Truncated};

const DST_UNREACH: u8 = 1;
const PACKET_TOO_BIG: u8 = 2;
const TIME_EXCEEDED: u8 = 3;
const PARAM_PROB: u8 = 4;
const ECHO_REQUEST: u8 = 128;
const ECHO_REPLY: u8 = 129;
const MLD_QUERY: u8 = 130;
const MLD_REPORT: u8 = 131;
const MLD_DONE: u8 = 132;
const ND_ROUTER_SOLICIT: u8 = 133;
const ND_ROUTER_ADVERT: u8 = 134;
const ND_NEIGHBOR_SOLICIT: u8 = 135;
const ND_NEIGHBOR_ADVERT: u8 = 136;
const ND_REDIRECT: u8 = 137;
const ROUTER_RENUMBERING: u8 = 138;
const NI_QUERY: u8 = 139;
const NI_REPLY: u8 = 140;
const IND_SOLICIT: u8 = 141;
const IND_ADVERT: u8 = 142;
const MLDV2_REPORT: u8 = 143;
const HADISCOV_REQUEST: u8 = 144;
const HADISCOV_REPLY: u8 = 145;
const MOBILEPREFIX_SOLICIT: u8 = 146;
const MOBILEPREFIX_ADVERT: u8 = 147;
const RPL_MESSAGE: u8 = 155;

const MLD_MINLEN: u32 = 24;
const MLDV2_MINLEN: u32 = 28;

const TYPES: &[Tok] = &[
    (1, "destination unreachable"),
    (2, "packet too big"),
    (3, "time exceeded in-transit"),
    (4, "parameter problem"),
    (128, "echo request"),
    (129, "echo reply"),
    (130, "multicast listener query"),
    (131, "multicast listener report"),
    (132, "multicast listener done"),
    (133, "router solicitation"),
    (134, "router advertisement"),
    (135, "neighbor solicitation"),
    (136, "neighbor advertisement"),
    (137, "redirect"),
    (138, "router renumbering"),
    (141, "inverse neighbor solicitation"),
    (142, "inverse neighbor advertisement"),
    (143, "multicast listener report v2"),
    (144, "ha discovery request"),
    (145, "ha discovery reply"),
    (146, "mobile router solicitation"),
    (147, "mobile router advertisement"),
    (139, "who-are-you request"),
    (140, "who-are-you reply"),
    (200, "mtrace response"),
    (201, "mtrace message"),
    (155, "RPL"),
];

const UNREACH_CODES: &[Tok] = &[
    (0, "unreachable route"),
    (1, " unreachable prohibited"),
    (2, "beyond scope"),
    (3, "unreachable address"),
    (4, "unreachable port"),
];

const PI_FLAGS: &[Tok] = &[(0x80, "onlink"), (0x40, "auto"), (0x20, "router")];

const RA_FLAGS: &[Tok] = &[
    (0x80, "managed"),
    (0x40, "other stateful"),
    (0x20, "home agent"),
    (0x02, "ipv6 only"),
];

const NA_FLAGS: &[Tok] = &[
    (0x8000_0000, "router"),
    (0x4000_0000, "solicited"),
    (0x2000_0000, "override"),
];

const ND_OPTS: &[Tok] = &[
    (1, "source link-address"),
    (2, "destination link-address"),
    (3, "prefix info"),
    (4, "redirected header"),
    (5, "mtu"),
    (25, "rdnss"),
    (31, "dnssl"),
    (7, "advertisement interval"),
    (8, "homeagent information"),
    (24, "route info"),
];

const MLDV2_REPORT_TYPES: &[Tok] = &[
    (1, "is_in"),
    (2, "is_ex"),
    (3, "to_in"),
    (4, "to_ex"),
    (5, "allow"),
    (6, "block"),
];

fn rtpref(v: u8) -> &'static str {
    ["medium", "high", "rsv", "low"][usize::from((v & 0x18) >> 3)]
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "infinity".to_string()
    } else {
        format!("{v}s")
    }
}

fn a6(bp: &[u8], off: usize) -> PResult<String> {
    Ok(ipv6_str(bp.ipv6_at(off)?))
}

/// `icmp6_print`: an ICMPv6 message of `length` bytes; `bp` holds its captured bytes.
pub fn icmp6_print(ctx: &mut Ctx, bp: &[u8], length: u32, ip: &IpHdr, fragmented: bool) -> PResult {
    ctx.protocol = "icmp6";
    let v = ctx.vflag();
    print(ctx.out, v, bp, length, ip, fragmented)
}

fn print(out: &mut String, v: u8, bp: &[u8], length: u32, ip: &IpHdr, fragmented: bool) -> PResult {
    if length == 0 {
        out.push_str("ICMP6, length 0 (invalid)");
        return Ok(());
    }
    if v > 0 && !fragmented && bp.has(0, length as usize) {
        let udp_sum = bp.be_u16(2)?;
        let sum = nextproto_cksum(ip, &bp[..length as usize], length, 58);
        if sum != 0 {
            let _ = write!(
                out,
                "[bad icmp6 cksum 0x{udp_sum:04x} -> 0x{:04x}!] ",
                in_cksum_shouldbe(udp_sum, sum)
            );
        } else {
            out.push_str("[icmp6 sum ok] ");
        }
    }
    let t = bp.u8_at(0)?;
    match tok(TYPES, t.into()) {
        Some(s) => {
            let _ = write!(out, "ICMP6, {s}");
        }
        None => {
            let _ = write!(out, "ICMP6, unknown icmp6 type ({t})");
        }
    }
    if v > 0
        && matches!(
            t,
            ND_ROUTER_SOLICIT
                | ND_ROUTER_ADVERT
                | ND_NEIGHBOR_ADVERT
                | ND_NEIGHBOR_SOLICIT
                | ND_REDIRECT
                | HADISCOV_REPLY
                | MOBILEPREFIX_ADVERT
        )
    {
        let _ = write!(out, ", length {length}");
    }
    let code = bp.u8_at(1)?;
    // icmp6_opt_print reports every problem through icmp6_print's local `trunc:` label, which
    // prints the marker and ends the packet's text (no trailing length).
    let opts = |out: &mut String, off: u32| -> bool {
        v == 0 || opt_print(out, v, bp, off as usize, length as i64 - i64::from(off)).is_ok()
    };
    let trunc = |out: &mut String| {
        out.push_str(" [|icmp6]");
        Ok(())
    };
    match t {
        DST_UNREACH => {
            match tok(UNREACH_CODES, code.into()) {
                Some(s) => {
                    let _ = write!(out, ", {s}");
                }
                None => {
                    let _ = write!(out, ", unknown unreach code ({code})");
                }
            }
            match code {
                0 | 1 | 3 => {
                    let _ = write!(out, " {}", a6(bp, 8 + 24)?);
                }
                2 => {
                    let _ = write!(
                        out,
                        " {}, source address {}",
                        a6(bp, 8 + 24)?,
                        a6(bp, 8 + 8)?
                    );
                }
                4 => {
                    let (prot, uh) = get_upperlayer(bp, 8);
                    let Some(uh) = uh else {
                        return trunc(out);
                    };
                    let dport = bp.be_u16(uh + 2)?;
                    let dst = a6(bp, 8 + 24)?;
                    let _ = match prot {
                        6 => write!(out, ", {dst} tcp port {dport}"),
                        17 => write!(out, ", {dst} udp port {dport}"),
                        _ => write!(out, ", {dst} protocol {prot} port {dport} unreachable"),
                    };
                }
                _ => {
                    if v <= 1 {
                        unknown_data(out, "\n\t", bp, 0, length as usize);
                        return Ok(());
                    }
                }
            }
        }
        PACKET_TOO_BIG => {
            let _ = write!(out, ", mtu {}", bp.be_u32(4)?);
        }
        TIME_EXCEEDED => match code {
            0 => {
                let _ = write!(out, " for {}", a6(bp, 8 + 24)?);
            }
            1 => out.push_str(" (reassembly)"),
            _ => {
                let _ = write!(out, ", unknown code ({code})");
            }
        },
        PARAM_PROB => {
            if !bp.has(8 + 24, 16) {
                return trunc(out);
            }
            let pptr = bp.be_u32(4)?;
            let _ = match code {
                0 => write!(out, ", erroneous - octet {pptr}"),
                1 => write!(out, ", next header - octet {pptr}"),
                2 => write!(out, ", option - octet {pptr}"),
                3 => write!(out, ", incomplete header chain - octet {pptr}"),
                _ => write!(out, ", code-#{code}"),
            };
        }
        ECHO_REQUEST | ECHO_REPLY => {
            let _ = write!(out, ", id {}, seq {}", bp.be_u16(4)?, bp.be_u16(6)?);
        }
        MLD_QUERY => {
            if length == MLD_MINLEN {
                mld6_print(out, bp)?;
            } else if length >= MLDV2_MINLEN {
                out.push_str(" v2");
                mldv2_query_print(out, v, bp, length)?;
            } else {
                let _ = write!(out, " unknown-version (len {length}) ");
            }
        }
        MLD_REPORT | MLD_DONE => mld6_print(out, bp)?,
        ND_ROUTER_SOLICIT => {
            if !opts(out, 8) {
                return trunc(out);
            }
        }
        ND_ROUTER_ADVERT => {
            if v > 0 {
                let flags = bp.u8_at(5)?;
                let _ = write!(
                    out,
                    "\n\thop limit {}, Flags [{}], pref {}, router lifetime {}s, reachable time {}ms, retrans timer {}ms",
                    bp.u8_at(4)?,
                    bittok(RA_FLAGS, "none", flags.into(), ", "),
                    rtpref(flags),
                    bp.be_u16(6)?,
                    bp.be_u32(8)?,
                    bp.be_u32(12)?
                );
                if !opts(out, 16) {
                    return trunc(out);
                }
            }
        }
        ND_NEIGHBOR_SOLICIT => {
            let _ = write!(out, ", who has {}", a6(bp, 8)?);
            if !opts(out, 24) {
                return trunc(out);
            }
        }
        ND_NEIGHBOR_ADVERT => {
            let _ = write!(out, ", tgt is {}", a6(bp, 8)?);
            if v > 0 {
                let _ = write!(
                    out,
                    ", Flags [{}]",
                    bittok(NA_FLAGS, "none", bp.be_u32(4)?, ", ")
                );
                if !opts(out, 24) {
                    return trunc(out);
                }
            }
        }
        ND_REDIRECT => {
            let _ = write!(out, ", {}", a6(bp, 24)?);
            let _ = write!(out, " to {}", a6(bp, 8)?);
            if !opts(out, 40) {
                return trunc(out);
            }
        }
        ROUTER_RENUMBERING => {
            if rrenum_print(out, v, bp).is_err() {
                out.push_str(" [|icmp6]");
            }
        }
        NI_QUERY | NI_REPLY => nodeinfo_print(out, v, length, bp)?,
        IND_SOLICIT | IND_ADVERT => {}
        MLDV2_REPORT => mldv2_report_print(out, v, bp, length)?,
        MOBILEPREFIX_SOLICIT | HADISCOV_REQUEST => {
            let _ = write!(out, ", id 0x{:04x}", bp.be_u16(4)?);
        }
        HADISCOV_REPLY => {
            if v > 0 {
                let _ = write!(out, ", id 0x{:04x}", bp.be_u16(4)?);
                let mut p = 8usize;
                while p < length as usize {
                    let _ = write!(out, ", {}", a6(bp, p)?);
                    p += 16;
                }
            }
        }
        MOBILEPREFIX_ADVERT => {
            if v > 0 {
                let _ = write!(out, ", id 0x{:04x}", bp.be_u16(4)?);
                let flags = bp.be_u16(6)?;
                if flags & 0xc000 != 0 {
                    out.push(' ');
                }
                if flags & 0x8000 != 0 {
                    out.push('M');
                }
                if flags & 0x4000 != 0 {
                    out.push('O');
                }
                if !opts(out, 8) {
                    return trunc(out);
                }
            }
        }
        RPL_MESSAGE => rpl_print(
            out,
            v,
            code,
            bp.from(4).unwrap_or(&[]),
            length.wrapping_sub(4),
        )?,
        _ => {
            let _ = write!(out, ", length {length}");
            if v <= 1 {
                unknown_data(out, "\n\t", bp, 0, length as usize);
            }
            return Ok(());
        }
    }
    if v == 0 {
        let _ = write!(out, ", length {length}");
    }
    Ok(())
}

/// `get_upperlayer`: walks the IPv6 header at `off` (and its extension headers) of a packet
/// quoted in an error message; returns the final next-header value and the offset of the
/// TCP/UDP header when one was found with its ports captured.
fn get_upperlayer(bp: &[u8], off: usize) -> (u8, Option<usize>) {
    let Ok(mut nh) = bp.u8_at(off + 6) else {
        return (0, None);
    };
    let mut p = off;
    let mut hlen = 40usize;
    while p < bp.len() {
        p += hlen;
        match nh {
            6 | 17 => {
                return (nh, bp.has(p + 2, 2).then_some(p));
            }
            0 | 60 | 43 => {
                let (Ok(n), Ok(l)) = (bp.u8_at(p), bp.u8_at(p + 1)) else {
                    return (nh, None);
                };
                nh = n;
                hlen = (usize::from(l) + 1) << 3;
            }
            44 => {
                let Ok(offlg) = bp.be_u16(p + 2) else {
                    return (nh, None);
                };
                if offlg & 0xfff8 != 0 {
                    return (nh, None);
                }
                nh = bp[p];
                hlen = 8;
            }
            51 => {
                let (Ok(n), Ok(l)) = (bp.u8_at(p), bp.u8_at(p + 1)) else {
                    return (nh, None);
                };
                nh = n;
                hlen = (usize::from(l) + 2) << 2;
            }
            _ => return (nh, None),
        }
    }
    (nh, None)
}

/// `icmp6_opt_print`: Neighbor Discovery options from `off`; `resid` bytes remain in the
/// message. A malformed option is reported as truncation.
fn opt_print(out: &mut String, v: u8, bp: &[u8], off: usize, resid: i64) -> PResult {
    let mut cp = off;
    let mut resid = resid;
    let ep = bp.len();
    while cp < ep {
        bp.u8_at(cp + 1)?;
        if resid <= 0 {
            return Ok(());
        }
        let opt_type = bp[cp];
        let opt_len = usize::from(bp[cp + 1]);
        if opt_len == 0 || cp + (opt_len << 3) > ep {
            return Err(Truncated);
        }
        let _ = write!(
            out,
            "\n\t  {} option ({opt_type}), length {} ({opt_len}): ",
            tok(ND_OPTS, opt_type.into()).unwrap_or("unknown"),
            opt_len << 3
        );
        match opt_type {
            1 | 2 => {
                let l = (opt_len << 3) - 2;
                for (i, b) in bp[cp + 2..cp + 2 + l].iter().enumerate() {
                    if i > 0 {
                        out.push(':');
                    }
                    let _ = write!(out, "{b:02x}");
                }
            }
            3 => {
                let _ = write!(
                    out,
                    "{}/{}{}, Flags [{}], valid time {}",
                    a6(bp, cp + 16)?,
                    bp.u8_at(cp + 2)?,
                    if opt_len != 4 { "badlen" } else { "" },
                    bittok(PI_FLAGS, "none", bp.u8_at(cp + 3)?.into(), ", "),
                    lifetime(bp.be_u32(cp + 4)?)
                );
                let _ = write!(out, ", pref. time {}", lifetime(bp.be_u32(cp + 8)?));
            }
            4 => unknown_data(out, "\n\t    ", bp, off, opt_len << 3),
            5 => {
                let _ = write!(
                    out,
                    " {}{}",
                    bp.be_u32(cp + 4)?,
                    if opt_len != 1 {
                        "bad option length"
                    } else {
                        ""
                    }
                );
            }
            25 => {
                let l = (opt_len - 1) / 2;
                let _ = write!(out, " lifetime {}s,", bp.be_u32(cp + 4)?);
                for i in 0..l {
                    let _ = write!(out, " addr: {}", a6(bp, cp + 8 + 16 * i)?);
                }
            }
            31 => {
                let _ = write!(out, " lifetime {}s, domain(s):", bp.be_u32(cp + 4)?);
                let mut domp = cp + 8;
                while domp < cp + (opt_len << 3) && bp.u8_at(domp)? != 0 {
                    out.push(' ');
                    domp = fqdn_print(out, bp, domp, off)?;
                }
            }
            7 => {
                let _ = write!(out, " {}ms", bp.be_u32(cp + 4)?);
            }
            8 => {
                let _ = write!(
                    out,
                    " preference {}, lifetime {}",
                    bp.be_u16(cp + 4)?,
                    bp.be_u16(cp + 6)?
                );
            }
            24 => {
                bp.sub(cp + 4, 4)?;
                let mut in6 = [0u8; 16];
                match opt_len {
                    1 => {}
                    2 => in6[..8].copy_from_slice(bp.sub(cp + 8, 8)?),
                    3 => in6.copy_from_slice(bp.sub(cp + 8, 16)?),
                    _ => return Err(Truncated),
                }
                let _ = write!(out, " {}/{}", ipv6_str(in6), bp.u8_at(cp + 2)?);
                let _ = write!(out, ", pref={}", rtpref(bp.u8_at(cp + 3)?));
                let _ = write!(out, ", lifetime={}", lifetime(bp.be_u32(cp + 4)?));
            }
            _ => {
                if v <= 1 {
                    unknown_data(out, "\n\t  ", bp, cp + 2, (opt_len << 3) - 2);
                    return Ok(());
                }
            }
        }
        if v > 1 {
            unknown_data(out, "\n\t    ", bp, cp + 2, (opt_len << 3) - 2);
        }
        cp += opt_len << 3;
        resid -= (opt_len << 3) as i64;
    }
    Ok(())
}

fn mld6_print(out: &mut String, bp: &[u8]) -> PResult {
    if bp.len() < MLD_MINLEN as usize {
        return Ok(());
    }
    let _ = write!(out, "max resp delay: {} ", bp.be_u16(4)?);
    let _ = write!(out, "addr: {}", a6(bp, 8)?);
    Ok(())
}

fn mldv2_report_print(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult {
    if len < 8 {
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
        16,
        MLDV2_REPORT_TYPES,
        "v2-report",
        a6,
    )
}

fn mldv2_query_print(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult {
    if len < 28 {
        let _ = write!(out, " [invalid len {len}]");
        return Ok(());
    }
    let mrc = u32::from(bp.be_u16(4)?);
    let mrt = if mrc < 32768 {
        mrc
    } else {
        ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
    };
    if v > 0 {
        let _ = write!(out, " [max resp delay={mrt}]");
    }
    let _ = write!(out, " [gaddr {}", a6(bp, 8)?);
    if v > 0 {
        let f = bp.u8_at(24)?;
        if f & 0x08 != 0 {
            out.push_str(" sflag");
        }
        if f & 0x07 != 0 {
            let _ = write!(out, " robustness={}", f & 0x07);
        }
        let q = u32::from(bp.u8_at(25)?);
        let qqi = if q < 128 {
            q
        } else {
            ((q & 0x0f) | 0x10) << (((q & 0x70) >> 4) + 3)
        };
        let _ = write!(out, " qqi={qqi}");
    }
    let nsrcs = usize::from(bp.be_u16(26)?);
    if nsrcs > 0 {
        if (len as usize) < 28 + nsrcs * 16 {
            out.push_str(" [invalid number of sources]");
        } else if v > 1 {
            out.push_str(" {");
            for i in 0..nsrcs {
                let _ = write!(out, " {}", a6(bp, 28 + i * 16)?);
            }
            out.push_str(" }");
        } else {
            let _ = write!(out, ", {nsrcs} source(s)");
        }
    }
    out.push(']');
    Ok(())
}

/// `dnsname_print`: an uncompressed DNS name in `cp..ep`, quoted.
fn dnsname_print(out: &mut String, bp: &[u8], cp: usize, ep: usize) -> PResult {
    out.push_str(", \"");
    let mut cp = cp;
    while cp < ep {
        let i = usize::from(bp.u8_at(cp)?);
        cp += 1;
        if i != 0 {
            if i > ep - cp {
                out.push_str("???");
                break;
            }
            let mut n = i;
            while n > 0 && cp < ep {
                print_char(out, bp.u8_at(cp)?);
                cp += 1;
                n -= 1;
            }
            if cp + 1 < ep && bp.u8_at(cp)? != 0 {
                out.push('.');
            }
        } else {
            if cp == ep {
                out.push('.');
            } else if cp + 1 == ep && bp.u8_at(cp)? == 0 {
                // truncated
            } else {
                out.push_str("???");
            }
            break;
        }
    }
    out.push('"');
    Ok(())
}

/// A name that is either a length-prefixed string (icmp-name-lookup-03) or DNS labels.
fn ni_name(out: &mut String, v: u8, bp: &[u8], cp: usize, ep: usize) -> PResult {
    if usize::from(bp.u8_at(cp)?) + cp + 1 == ep {
        if v > 0 {
            out.push_str(", 03 draft");
        }
        out.push_str(", \"");
        for c in cp + 1..ep {
            print_char(out, bp.u8_at(c)?);
        }
        out.push('"');
        Ok(())
    } else {
        dnsname_print(out, bp, cp, ep)
    }
}

fn nodeaddr_flags(out: &mut String, i: u16, with_truncate: bool) {
    out.push_str(" [");
    for (bit, c) in [
        (0x40, "a"),
        (0x20, "G"),
        (0x10, "S"),
        (0x08, "L"),
        (0x04, "C"),
        (0x02, "A"),
    ] {
        if i & bit != 0 {
            out.push_str(c);
        }
    }
    if with_truncate && i & 0x01 != 0 {
        out.push('T');
    }
    out.push(']');
}

fn nodeinfo_print(out: &mut String, v: u8, icmp6len: u32, bp: &[u8]) -> PResult {
    let ep = bp.len();
    let siz = ep;
    const NI_SIZE: usize = 16;
    match bp.u8_at(0)? {
        NI_QUERY => {
            if siz == 8 + 4 {
                out.push_str(" who-are-you request");
                return Ok(());
            }
            out.push_str(" node information query");
            if !bp.has(0, NI_SIZE) {
                out.push_str(" [|icmp6]");
                return Ok(());
            }
            out.push_str(" (");
            let qtype = bp.be_u16(4)?;
            let flags = bp.be_u16(6)?;
            match qtype {
                0 => out.push_str("noop"),
                1 => {
                    out.push_str("supported qtypes");
                    if flags != 0 {
                        let _ = write!(out, " [{}]", if flags & 1 != 0 { "C" } else { "" });
                    }
                }
                2 => out.push_str("DNS name"),
                3 => {
                    out.push_str("node addresses");
                    if flags != 0 {
                        nodeaddr_flags(out, flags, false);
                    }
                }
                _ => out.push_str("unknown"),
            }
            if qtype == 0 || qtype == 1 {
                if siz != NI_SIZE && v > 0 {
                    out.push_str(", invalid len");
                }
                out.push(')');
                return Ok(());
            }
            if siz == NI_SIZE {
                out.push_str(", 03 draft)");
                return Ok(());
            }
            let cp = NI_SIZE;
            match bp.u8_at(1)? {
                0 => {
                    if bp.has(0, NI_SIZE + 16) {
                        if siz != NI_SIZE + 16 {
                            if v > 0 {
                                out.push_str(", invalid subject len");
                            }
                        } else {
                            let _ = write!(out, ", subject={}", a6(bp, cp)?);
                        }
                    }
                }
                1 => {
                    out.push_str(", subject=DNS name");
                    ni_name(out, v, bp, cp, ep)?;
                }
                2 => {
                    if bp.has(0, NI_SIZE + 4) {
                        if siz != NI_SIZE + 4 {
                            if v > 0 {
                                out.push_str(", invalid subject len");
                            }
                        } else {
                            let _ = write!(out, ", subject={}", ipv4_str(bp.ipv4_at(cp)?));
                        }
                    }
                }
                _ => out.push_str(", unknown subject"),
            }
            out.push(')');
        }
        NI_REPLY => {
            if icmp6len as usize > siz || !bp.has(0, NI_SIZE) {
                out.push_str(" [|icmp6]");
                return Ok(());
            }
            out.push_str(" node information reply (");
            let code = bp.u8_at(1)?;
            let mut needcomma = false;
            match code {
                0 if v > 0 => {
                    out.push_str("success");
                    needcomma = true;
                }
                1 | 2 => {
                    out.push_str(if code == 1 { "refused" } else { "unknown" });
                    needcomma = true;
                    if siz != NI_SIZE && v > 0 {
                        out.push_str(", invalid length");
                    }
                }
                _ => {}
            }
            if code != 0 {
                out.push(')');
                return Ok(());
            }
            if needcomma {
                out.push_str(", ");
            }
            let flags = bp.be_u16(6)?;
            match bp.be_u16(4)? {
                0 => {
                    out.push_str("noop");
                    if siz != NI_SIZE && v > 0 {
                        out.push_str(", invalid length");
                    }
                }
                1 => {
                    out.push_str("supported qtypes");
                    if flags != 0 {
                        let _ = write!(out, " [{}]", if flags & 1 != 0 { "C" } else { "" });
                    }
                }
                2 => {
                    out.push_str("DNS name");
                    ni_name(out, v, bp, NI_SIZE + 4, ep)?;
                    if flags & 1 != 0 {
                        let _ = write!(out, " [TTL={}]", bp.be_u32(NI_SIZE)?);
                    }
                }
                3 => {
                    out.push_str("node addresses");
                    let mut i = NI_SIZE;
                    while i < siz && i + 20 <= siz {
                        let _ = write!(out, " {}({})", a6(bp, i + 4)?, bp.be_u32(i)?);
                        i += 20;
                    }
                    if flags != 0 {
                        nodeaddr_flags(out, flags, true);
                    }
                }
                _ => out.push_str("unknown"),
            }
            out.push(')');
        }
        _ => {}
    }
    Ok(())
}

/// `icmp6_rrenum_print`: a router renumbering message (RFC 2894). Truncation is reported
/// by the caller, which then goes on as tcpdump does.
fn rrenum_print(out: &mut String, v: u8, bp: &[u8]) -> PResult {
    bp.sub(12, 4)?;
    let code = bp.u8_at(1)?;
    let _ = match code {
        0 => write!(out, ", command"),
        1 => write!(out, ", result"),
        255 => write!(out, ", sequence number reset"),
        c => write!(out, ", code-#{c}"),
    };
    let _ = write!(out, ", seq={}", bp.be_u32(4)?);
    if v > 0 {
        let flags = bp.u8_at(9)?;
        out.push('[');
        if flags != 0 {
            for (bit, c) in [
                (0x80, 'T'),
                (0x40, 'R'),
                (0x20, 'A'),
                (0x10, 'S'),
                (0x08, 'P'),
            ] {
                if flags & bit != 0 {
                    out.push(c);
                }
            }
            out.push(',');
        }
        let _ = write!(out, "seg={},", bp.u8_at(8)?);
        let _ = write!(out, "maxdelay={}", bp.be_u16(10)?);
        let rsvd = bp.be_u32(12)?;
        if rsvd != 0 {
            let _ = write!(out, "rsvd=0x{rsvd:x}");
        }
        out.push(']');
    }
    if code != 0 {
        return Ok(());
    }
    // Match-Prefix part at 16, Use-Prefix parts of 32 bytes after it.
    let m = 16usize;
    bp.sub(m + 8, 16)?;
    out.push_str(if v > 1 { "\n\t" } else { " " });
    out.push_str("match(");
    let _ = match bp.u8_at(m)? {
        1 => write!(out, "add"),
        2 => write!(out, "change"),
        3 => write!(out, "setglobal"),
        c => write!(out, "#{c}"),
    };
    if v > 0 {
        let _ = write!(
            out,
            ",ord={},min={},max={}",
            bp.u8_at(m + 2)?,
            bp.u8_at(m + 4)?,
            bp.u8_at(m + 5)?
        );
    }
    let _ = write!(out, ",{}/{})", a6(bp, m + 8)?, bp.u8_at(m + 3)?);
    let n = i32::from(bp.u8_at(m + 1)?) - 3;
    if n % 4 != 0 {
        return Err(Truncated);
    }
    let mut u = m + 24;
    for _ in 0..n / 4 {
        bp.sub(u + 16, 16)?;
        out.push_str(if v > 1 { "\n\t" } else { " " });
        out.push_str("use(");
        let f = bp.u8_at(u + 12)?;
        if f != 0 {
            let _ = write!(
                out,
                "{}{},",
                if f & 0x80 != 0 { "V" } else { "" },
                if f & 0x40 != 0 { "P" } else { "" }
            );
        }
        if v > 0 {
            let _ = write!(out, "mask=0x{:x},", bp.u8_at(u + 2)?);
            let _ = write!(out, "raflags=0x{:x},", bp.u8_at(u + 3)?);
            for (off, name) in [(4, "vltime"), (8, "pltime")] {
                let t = bp.be_u32(u + off)?;
                if t == u32::MAX {
                    let _ = write!(out, "{name}=infty,");
                } else {
                    let _ = write!(out, "{name}={t},");
                }
            }
        }
        let _ = write!(
            out,
            "{}/{}/{})",
            a6(bp, u + 16)?,
            bp.u8_at(u)?,
            bp.u8_at(u + 1)?
        );
        u += 32;
    }
    Ok(())
}

const RPL_MOP: &[Tok] = &[
    (0, "nonstoring"),
    (1, "storing"),
    (2, "nonstoring-multicast"),
    (3, "storing-multicast"),
];

const RPL_SUBOPTS: &[Tok] = &[
    (0, "pad1"),
    (1, "padN"),
    (2, "metrics"),
    (3, "routinginfo"),
    (4, "config"),
    (5, "rpltarget"),
    (6, "transitinfo"),
    (8, "destprefix"),
    (9, "rpltargetdesc"),
];

/// `rpl_printopts`: the options of an RPL message in `bp[..length]`.
fn rpl_printopts(out: &mut String, v: u8, bp: &[u8], length: u32) -> PResult {
    let mut off = 0usize;
    let mut length = length;
    while length != 0 {
        let t = bp.u8_at(off)?;
        let optlen = if t == 0 {
            out.push_str(" opt:pad1");
            1
        } else {
            if length < 2 {
                out.push_str(" [|icmp6]");
                return Ok(());
            }
            let optlen = u32::from(bp.u8_at(off + 1)?) + 2;
            match tok(RPL_SUBOPTS, t.into()) {
                Some(n) => {
                    let _ = write!(out, " opt:{n} len:{optlen} ");
                }
                None => {
                    let _ = write!(out, " opt:subopt:{t} len:{optlen} ");
                }
            }
            if !bp.has(off, optlen as usize) || length < optlen {
                out.push_str(" [|icmp6]");
                return Ok(());
            }
            if v > 2 {
                super::textutil::hex_print(out, " ", bp, off + 2, optlen as usize - 2)?;
            }
            optlen
        };
        off += optlen as usize;
        length -= optlen;
    }
    Ok(())
}

/// `rpl_print`: an RPL control message body (`bp` starts after the ICMPv6 checksum).
fn rpl_print(out: &mut String, v: u8, code: u8, bp: &[u8], length: u32) -> PResult {
    if code & 0x80 != 0 {
        out.push_str(", (SEC) [worktodo]");
        return Ok(());
    }
    out.push_str(", (CLR)");
    match code {
        0 => out.push_str("DODAG Information Solicitation"),
        1 => {
            out.push_str("DODAG Information Object");
            if v > 0 {
                if length < 24 {
                    out.push_str(" (invalid)");
                    return Ok(());
                }
                let mopprf = bp.u8_at(4)?;
                let mop = (mopprf >> 3) & 7;
                let _ = write!(
                    out,
                    " [dagid:{},seq:{},instance:{},rank:{},{}mop:{},prf:{}]",
                    a6(bp, 8)?,
                    bp.u8_at(5)?,
                    bp.u8_at(0)?,
                    bp.be_u16(2)?,
                    if mopprf & 0x80 != 0 { "grounded," } else { "" },
                    tok(RPL_MOP, mop.into()).map_or_else(|| format!("mop{mop}"), str::to_string),
                    mopprf & 7
                );
                if v > 1 {
                    rpl_printopts(out, v, bp.from(24).unwrap_or(&[]), length - 24)?;
                }
            }
        }
        2 | 3 => {
            let ack = code == 3;
            out.push_str(if ack {
                "Destination Advertisement Object Ack"
            } else {
                "Destination Advertisement Object"
            });
            if v == 0 {
                return Ok(());
            }
            // tcpdump checks the whole DAO structure (DODAGID included), only 4 bytes of a
            // DAO-ACK.
            if !bp.has(0, if ack { 4 } else { 20 }) {
                out.push_str(" [|icmp6]");
                return Ok(());
            }
            let too_short = if ack {
                " [|dao-length too short]"
            } else {
                " [|length too short]"
            };
            if length < 4 {
                out.push_str(too_short);
                return Ok(());
            }
            let mut off = 4usize;
            let mut length = length - 4;
            let flags = bp.u8_at(1)?;
            let has_dagid = if ack {
                flags & 0x80 != 0
            } else {
                flags & 0x40 != 0
            };
            let mut dagid = "<elided>".to_string();
            if has_dagid {
                if !bp.has(4, 16) {
                    out.push_str(" [|icmp6]");
                    return Ok(());
                }
                if length < 16 {
                    out.push_str(too_short);
                    return Ok(());
                }
                dagid = a6(bp, 4)?;
                off += 16;
                length -= 16;
            }
            if ack {
                let _ = write!(
                    out,
                    " [dagid:{dagid},seq:{},instance:{},status:{}]",
                    bp.u8_at(2)?,
                    bp.u8_at(0)?,
                    bp.u8_at(3)?
                );
            } else {
                let _ = write!(
                    out,
                    " [dagid:{dagid},seq:{},instance:{}{}{},{flags:02x}]",
                    bp.u8_at(3)?,
                    bp.u8_at(0)?,
                    if flags & 0x80 != 0 { ",acK" } else { "" },
                    if flags & 0x40 != 0 { ",Dagid" } else { "" },
                );
            }
            if v > 1 {
                rpl_printopts(out, v, bp.from(off).unwrap_or(&[]), length)?;
            }
        }
        _ => {
            let _ = write!(out, "RPL message, unknown code {code}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: [u8; 16] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const DST: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

    fn hdr() -> IpHdr<'static> {
        IpHdr {
            ver: 6,
            src: &SRC,
            dst: &DST,
            cksum_dst: &DST,
            nh: 58,
            payload_len: 0,
        }
    }

    fn with_cksum(mut p: Vec<u8>) -> Vec<u8> {
        let c = nextproto_cksum(&hdr(), &p, p.len() as u32, 58);
        p[2..4].copy_from_slice(&c.to_be_bytes());
        p
    }

    fn run(v: u8, p: &[u8]) -> String {
        let mut s = String::new();
        print(&mut s, v, p, p.len() as u32, &hdr(), false).unwrap();
        s
    }

    fn ra() -> Vec<u8> {
        with_cksum(vec![
            134, 0, 0, 0, 64, 0x40, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, // RA header
            1, 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56, // source link-address
            5, 1, 0, 0, 0, 0, 0x05, 0xdc, // mtu
        ])
    }

    #[test]
    fn router_advertisement() {
        let p = ra();
        assert_eq!(run(0, &p), "ICMP6, router advertisement, length 32");
        assert_eq!(
            run(1, &p),
            "[icmp6 sum ok] ICMP6, router advertisement, length 32\n\thop limit 64, Flags [other stateful], \
             pref medium, router lifetime 1800s, reachable time 0ms, retrans timer 0ms\n\t  \
             source link-address option (1), length 8 (1): 52:54:00:12:34:56\n\t  \
             mtu option (5), length 8 (1):  1500"
        );
    }

    #[test]
    fn rpl_dio() {
        let mut p = vec![155, 1, 0, 0, 42, 0, 0x01, 0x00, 0x88, 10, 0, 0];
        p.extend_from_slice(&SRC);
        p.extend_from_slice(&[0, 0]); // a Pad1 option, then a PadN of length 0
        p[28] = 0;
        p[29] = 1;
        p.push(0);
        let p = with_cksum(p);
        assert_eq!(
            run(0, &p),
            "ICMP6, RPL, (CLR)DODAG Information Object, length 31"
        );
        assert_eq!(
            run(2, &p),
            "[icmp6 sum ok] ICMP6, RPL, (CLR)DODAG Information Object [dagid:fe80::1,seq:10,\
             instance:42,rank:256,grounded,mop:storing,prf:0] opt:pad1 opt:padN len:2 "
        );
    }

    #[test]
    fn zero_length_option_ends_the_packet() {
        let mut p = ra();
        p[25] = 0; // mtu option length 0
        let p = with_cksum(p);
        assert!(
            run(1, &p).ends_with("(1): 52:54:00:12:34:56 [|icmp6]"),
            "{}",
            run(1, &p)
        );
    }

    #[test]
    fn echo_and_bad_checksum() {
        let mut p = with_cksum(vec![128, 0, 0, 0, 0x42, 0x43, 0, 1]);
        assert_eq!(
            run(1, &p),
            "[icmp6 sum ok] ICMP6, echo request, id 16963, seq 1"
        );
        p[3] ^= 0xff;
        assert!(run(1, &p).starts_with("[bad icmp6 cksum 0x"));
    }

    fn rrenum() -> Vec<u8> {
        let mut p = vec![138, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        // match(add, ord 0, matchlen 48, min 0, max 128) fec0::, one use part (rpm_len 7)
        p.extend_from_slice(&[1, 7, 0, 48, 0, 128, 0, 0, 0xfe, 0xc0]);
        p.extend_from_slice(&[0; 14]);
        // use: uselen 48, keeplen 16, vltime 2592000, pltime infinity, prefix 3ffe:501:fffe::
        p.extend_from_slice(&[
            48, 16, 0, 0, 0, 0x27, 0x8d, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
        ]);
        p.extend_from_slice(&[0x3f, 0xfe, 5, 1, 0xff, 0xfe]);
        p.extend_from_slice(&[0; 10]);
        with_cksum(p)
    }

    #[test]
    fn router_renumbering() {
        let p = rrenum();
        assert_eq!(
            run(0, &p),
            "ICMP6, router renumbering, command, seq=0 match(add,fec0::/48) use(3ffe:501:fffe::/48/16), length 72"
        );
        assert_eq!(
            run(1, &p),
            "[icmp6 sum ok] ICMP6, router renumbering, command, seq=0[seg=0,maxdelay=0] \
             match(add,ord=0,min=0,max=128,fec0::/48) \
             use(mask=0x0,raflags=0x0,vltime=2592000,pltime=infty,3ffe:501:fffe::/48/16)"
        );
        assert!(
            run(0, &p[..40]).ends_with("fec0::/48) [|icmp6], length 40"),
            "{}",
            run(0, &p[..40])
        );
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for p in [rrenum(), ra()] {
            for cut in 0..p.len() {
                for v in 0..3 {
                    let mut s = String::new();
                    let _ = print(&mut s, v, &p[..cut], p.len() as u32, &hdr(), false);
                }
            }
        }
        let p = ra();
        for cut in 0..p.len() {
            for v in 0..3 {
                let mut s = String::new();
                let _ = print(&mut s, v, &p[..cut], p.len() as u32, &hdr(), false);
            }
        }
    }
}
