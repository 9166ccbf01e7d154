//! PIM (tcpdump's print-pim.c): version 1 messages carried in IGMP type 0x14
//! (draft-ietf-idmr-pim-*-01) and PIMv2 as IP protocol 103 (RFC 7761 sparse mode, RFC 3973
//! dense mode, RFC 5015 bidirectional DF election, RFC 5059 bootstrap).

use std::fmt::Write;

use super::textutil::{Tok, ipv4_str, ipv6_str, relts, tok, unknown_data};
use super::{Ctx, IpHdr, in_cksum, ip, ip6, nextproto_cksum, pr};
use crate::cursor::{Bytes, PResult};

const QUERY: u8 = 0;
const REGISTER: u8 = 1;
const REGISTER_STOP: u8 = 2;
const JOIN_PRUNE: u8 = 3;
const RP_REACHABILITY: u8 = 4;
const ASSERT: u8 = 5;
const GRAFT: u8 = 6;
const GRAFT_ACK: u8 = 7;

const TYPES: &[Tok] = &[
    (0, "Query"),
    (1, "Register"),
    (2, "Register-Stop"),
    (3, "Join/Prune"),
    (4, "RP-reachable"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft-ACK"),
];

fn addr(bp: &[u8], off: usize) -> PResult<String> {
    Ok(ipv4_str(bp.ipv4_at(off)?))
}

/// `pimv1_print`: `bp` starts at the IGMP header; `len` is the IGMP length. Returns `Ok(false)`
/// after printing tcpdump's local truncation marker.
pub fn pimv1_print(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult<bool> {
    let typ = bp.u8_at(1)?;
    match tok(TYPES, typ.into()) {
        Some(s) => {
            let _ = write!(out, " {s}");
        }
        None => {
            let _ = write!(out, " [type {typ}]");
        }
    }
    match typ {
        QUERY => {
            if let Ok(m) = bp.u8_at(8) {
                let _ = match m >> 4 {
                    0 => write!(out, " Dense-mode"),
                    1 => write!(out, " Sparse-mode"),
                    2 => write!(out, " Sparse-Dense-mode"),
                    n => write!(out, " mode-{n}"),
                };
            }
            if v > 0 {
                let hold = bp.be_u16(10)?;
                out.push_str(" (Hold-time ");
                relts(out, hold.into());
                out.push(')');
            }
        }
        REGISTER => {
            if !bp.has(8, 20) {
                return Ok(false);
            }
            let _ = write!(out, " for {} > {}", addr(bp, 20)?, addr(bp, 24)?);
        }
        REGISTER_STOP => {
            let _ = write!(out, " for {} > {}", addr(bp, 8)?, addr(bp, 12)?);
        }
        RP_REACHABILITY if v > 0 => {
            let _ = write!(out, " group {}", addr(bp, 8)?);
            if bp.be_u32(12)? != 0xffff_ffff {
                let _ = write!(out, "/{}", addr(bp, 12)?);
            }
            let _ = write!(out, " RP {} hold ", addr(bp, 16)?);
            relts(out, bp.be_u16(22)?.into());
        }
        ASSERT => {
            let _ = write!(out, " for {} > {}", addr(bp, 16)?, addr(bp, 8)?);
            if bp.be_u32(12)? != 0xffff_ffff {
                let _ = write!(out, "/{}", addr(bp, 12)?);
            }
            let _ = write!(
                out,
                " {} pref {} metric {}",
                if bp.u8_at(20)? & 0x80 != 0 {
                    "RP-tree"
                } else {
                    "SPT"
                },
                bp.be_u32(20)? & 0x7fff_ffff,
                bp.be_u32(24)?
            );
        }
        JOIN_PRUNE | GRAFT | GRAFT_ACK if v > 0 => {
            let printed = len >= 8 && join_prune(out, v, bp.from(8).unwrap_or(&[]), len - 8)?;
            if !printed {
                return Ok(false);
            }
        }
        _ => {}
    }
    let version = bp.u8_at(4)? >> 4;
    if version != 1 {
        let _ = write!(out, " [v{version}]");
    }
    Ok(true)
}

/// `pimv1_join_prune_print`; `Ok(false)` means a local truncation.
fn join_prune(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult<bool> {
    if bp.has(0, 30) && bp[11] == 1 {
        let njoin = bp.be_u16(20)?;
        if u32::from(njoin) + u32::from(bp.be_u16(22)?) == 1 {
            let _ = write!(out, " RPF {} ", addr(bp, 0)?);
            let hold = bp.be_u16(6)?;
            if hold != 180 {
                out.push_str("Hold ");
                relts(out, hold.into());
            }
            let _ = write!(
                out,
                "{} ({}/{}, {}",
                if njoin != 0 { "Join" } else { "Prune" },
                addr(bp, 26)?,
                bp[25] & 0x3f,
                addr(bp, 12)?
            );
            if bp.be_u32(16)? != 0xffff_ffff {
                let _ = write!(out, "/{}", addr(bp, 16)?);
            }
            let _ = write!(
                out,
                ") {}{} {}",
                if bp[24] & 0x01 != 0 {
                    "Sparse"
                } else {
                    "Dense"
                },
                if bp[25] & 0x80 != 0 { " WC" } else { "" },
                if bp[25] & 0x40 != 0 { "RP" } else { "SPT" }
            );
            return Ok(true);
        }
    }
    let nl = if v > 1 { "\n" } else { "" };
    if len < 4 {
        return Ok(false);
    }
    let _ = write!(out, "{nl} Upstream Nbr: {}", addr(bp, 0)?);
    let mut off = 4usize;
    let mut len = len - 4;
    if len < 4 {
        return Ok(false);
    }
    let _ = write!(out, "{nl} Hold time: ");
    relts(out, bp.be_u16(off + 2)?.into());
    if v < 2 {
        return Ok(true);
    }
    off += 4;
    len -= 4;
    if len < 4 {
        return Ok(false);
    }
    let mut ngroups = bp.u8_at(off + 3)?;
    off += 4;
    len -= 4;
    while ngroups != 0 {
        if len < 4 {
            return Ok(false);
        }
        let _ = write!(out, "\n\tGroup: {}", addr(bp, off)?);
        off += 4;
        len -= 4;
        if len < 4 {
            return Ok(false);
        }
        if bp.be_u32(off)? != 0xffff_ffff {
            let _ = write!(out, "/{}", addr(bp, off)?);
        }
        off += 4;
        len -= 4;
        if len < 4 {
            return Ok(false);
        }
        let njoin = u32::from(bp.be_u16(off)?);
        let nprune = u32::from(bp.be_u16(off + 2)?);
        let _ = write!(out, " joined: {njoin} pruned: {nprune}");
        off += 4;
        len -= 4;
        for njp in 0..njoin + nprune {
            if len < 6 {
                return Ok(false);
            }
            let (f0, f1) = (bp.u8_at(off)?, bp.u8_at(off + 1)?);
            let _ = write!(
                out,
                "\n\t{} {}{}{}{}/{}",
                if njp < njoin { "Join " } else { "Prune" },
                if f0 & 0x01 != 0 { "Sparse " } else { "Dense " },
                if f1 & 0x80 != 0 { "WC " } else { "" },
                if f1 & 0x40 != 0 { "RP " } else { "SPT " },
                addr(bp, off + 2)?,
                f1 & 0x3f
            );
            off += 6;
            len -= 6;
        }
        ngroups -= 1;
    }
    Ok(true)
}

const V2_TYPES: &[Tok] = &[
    (0, "Hello"),
    (1, "Register"),
    (2, "Register Stop"),
    (3, "Join / Prune"),
    (4, "Bootstrap"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft Acknowledgement"),
    (8, "Candidate RP Advertisement"),
    (9, "Prune Refresh"),
    (10, "DF Election"),
    (11, "ECMP Redirect"),
];

const HELLO_OPTS: &[Tok] = &[
    (1, "Hold Time"),
    (2, "LAN Prune Delay"),
    (18, "DR Priority (Old)"),
    (19, "DR Priority"),
    (20, "Generation ID"),
    (21, "State Refresh Capability"),
    (22, "Bi-Directional Capability"),
    (24, "Address List"),
    (65001, "Address List (Old)"),
];

const REGISTER_FLAGS: &[Tok] = &[(0x8000_0000, "Border"), (0x4000_0000, "Null")];

const DF_ELECTION: &[Tok] = &[(1, "Offer"), (2, "Winner"), (3, "Backoff"), (4, "Pass")];

/// `pim_print`: a PIM message of `len` bytes (IP protocol 103).
pub fn pim_print(ctx: &mut Ctx, bp: &[u8], len: u32, iph: &IpHdr) -> PResult {
    ctx.protocol = "pim";
    let typever = bp.u8_at(0)?;
    let ver = typever >> 4;
    if ver != 2 {
        pr!(ctx, "PIMv{}, length {}", ver, len);
        return Ok(());
    }
    let name = tok(V2_TYPES, u32::from(typever & 0x0f)).unwrap_or("Unknown Type");
    if ctx.vflag() == 0 {
        pr!(ctx, "PIMv{}, {}, length {}", ver, name, len);
        return Ok(());
    }
    pr!(ctx, "PIMv{}, length {}\n\t{}", ver, len, name);
    ctx.protocol = "pimv2";
    if !pimv2_print(ctx, bp, len, iph)? {
        ctx.print_trunc();
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AddrType {
    Unicast,
    Group,
    Source,
}

/// `pimv2_addr_print`: an encoded address at `off` (`len` bytes left in the message);
/// returns its size, or `None` when it is malformed or runs past the message.
fn addr_print(
    out: &mut String,
    bp: &[u8],
    off: usize,
    len: u32,
    at: AddrType,
    addr_len: u8,
) -> PResult<Option<u32>> {
    let (v6, alen, hdrlen) = if addr_len == 0 {
        if len < 2 {
            return Ok(None);
        }
        let v6 = match bp.u8_at(off)? {
            1 => false,
            2 => true,
            _ => return Ok(None),
        };
        if bp.u8_at(off + 1)? != 0 {
            return Ok(None);
        }
        (v6, if v6 { 16 } else { 4 }, 2u32)
    } else {
        match addr_len {
            4 => (false, 4, 0),
            16 => (true, 16, 0),
            _ => return Ok(None),
        }
    };
    let p = off + hdrlen as usize;
    let len = len - hdrlen;
    let text = |o: usize| -> PResult<String> {
        Ok(if v6 {
            ipv6_str(bp.ipv6_at(o)?)
        } else {
            ipv4_str(bp.ipv4_at(o)?)
        })
    };
    if at == AddrType::Unicast {
        if len < alen || !bp.has(p, alen as usize) {
            return Ok(None);
        }
        out.push_str(&text(p)?);
        return Ok(Some(hdrlen + alen));
    }
    if len < alen + 2 || !bp.has(p, alen as usize + 2) {
        return Ok(None);
    }
    out.push_str(&text(p + 2)?);
    let mlen = bp[p + 1];
    if u32::from(mlen) != alen * 8 {
        let _ = write!(out, "/{mlen}");
    }
    let flags = bp[p];
    if flags != 0 {
        if at == AddrType::Group {
            let _ = write!(out, "(0x{flags:02x})");
        } else {
            out.push('(');
            for (bit, c) in [(0x04, 'S'), (0x02, 'W'), (0x01, 'R')] {
                if flags & bit != 0 {
                    out.push(c);
                }
            }
            if flags & 0xf8 != 0 {
                let _ = write!(out, "+0x{:02x}", flags & 0xf8);
            }
            out.push(')');
        }
    }
    Ok(Some(hdrlen + 2 + alen))
}

/// `pimv2_check_checksum`: `None` when the bytes are not all captured.
fn checksum_ok(bp: &[u8], len: u32, iph: &IpHdr) -> Option<bool> {
    let d = bp.sub(0, len as usize).ok()?;
    match iph.ver {
        4 => Some(in_cksum(&[d]) == 0),
        6 => Some(nextproto_cksum(iph, d, len, 103) == 0),
        _ => None,
    }
}

/// `pimv2_print`; `Ok(false)` means tcpdump's local truncation.
#[expect(
    unused_assignments,
    reason = "the address macro keeps the offset and length current even after the last field"
)]
fn pimv2_print(ctx: &mut Ctx, bp: &[u8], len: u32, iph: &IpHdr) -> PResult<bool> {
    if len < 2 {
        pr!(ctx, "[length {} < 2]", len);
        ctx.print_invalid();
        return Ok(true);
    }
    let typever = bp.u8_at(0)?;
    let typ = typever & 0x0f;
    let rsv = bp.u8_at(1)?;
    let addr_len = rsv & 0x0f;
    if addr_len != 0 {
        ctx.push(", RFC2117-encoding");
    }
    if len < 4 {
        pr!(ctx, "[length {} < 4]", len);
        ctx.print_invalid();
        return Ok(true);
    }
    let cksum = bp.be_u16(2)?;
    pr!(ctx, ", cksum 0x{:04x} ", cksum);
    if cksum == 0 {
        ctx.push("(unverified)");
    } else {
        let mut status = checksum_ok(bp, if typ == 1 { 8 } else { len }, iph);
        if typ == 1 && status == Some(false) {
            // RFC 4601 also accepts a checksum over the whole Register message.
            status = checksum_ok(bp, len, iph);
        }
        ctx.push(match status {
            Some(true) => "(correct)",
            Some(false) => "(incorrect)",
            None => "(unverified)",
        });
    }
    let mut off = 4usize;
    let mut len = len - 4;
    let v = ctx.vflag();
    // Prints an encoded address and moves past it; a bad one ends the message.
    macro_rules! addr {
        ($at:expr) => {
            match addr_print(ctx.out, bp, off, len, $at, addr_len)? {
                Some(n) => {
                    off += n as usize;
                    len -= n;
                }
                None => return Ok(false),
            }
        };
    }
    match typ {
        0 => {
            while len > 0 {
                if len < 4 {
                    return Ok(false);
                }
                let otype = bp.be_u16(off)?;
                let olen = bp.be_u16(off + 2)?;
                pr!(
                    ctx,
                    "\n\t  {} Option ({}), length {}, Value: ",
                    tok(HELLO_OPTS, otype.into()).unwrap_or("Unknown"),
                    otype,
                    olen
                );
                off += 4;
                len -= 4;
                if len < u32::from(olen) || !bp.has(off, olen.into()) {
                    return Ok(false);
                }
                let bad_len = |ctx: &mut Ctx, want: u16| {
                    pr!(ctx, "[option length {} != {}]", olen, want);
                    ctx.print_invalid();
                };
                match otype {
                    1 => {
                        if olen != 2 {
                            bad_len(ctx, 2);
                            return Ok(true);
                        }
                        relts(ctx.out, bp.be_u16(off)?.into());
                    }
                    2 => {
                        if olen != 4 {
                            bad_len(ctx, 4);
                            return Ok(true);
                        }
                        let lan_delay = bp.be_u16(off)?;
                        let override_interval = bp.be_u16(off + 2)?;
                        pr!(
                            ctx,
                            "\n\t    T-bit={}, LAN delay {}ms, Override interval {}ms",
                            lan_delay >> 15,
                            lan_delay & 0x7fff,
                            override_interval
                        );
                    }
                    18 | 19 => match olen {
                        0 => ctx.push("Bi-Directional Capability (Old)"),
                        4 => pr!(ctx, "{}", bp.be_u32(off)?),
                        _ => {
                            bad_len(ctx, 4);
                            return Ok(true);
                        }
                    },
                    20 => {
                        if olen != 4 {
                            bad_len(ctx, 4);
                            return Ok(true);
                        }
                        pr!(ctx, "0x{:08x}", bp.be_u32(off)?);
                    }
                    21 => {
                        if olen != 4 {
                            bad_len(ctx, 4);
                            return Ok(true);
                        }
                        pr!(ctx, "v{}", bp.u8_at(off)?);
                        let interval = bp.u8_at(off + 1)?;
                        if interval != 0 {
                            ctx.push(", interval ");
                            relts(ctx.out, interval.into());
                        }
                        let rest = bp.be_u16(off + 2)?;
                        if rest != 0 {
                            pr!(ctx, " ?0x{:04x}?", rest);
                        }
                    }
                    22 => {}
                    24 | 65001 => {
                        if v > 1 {
                            let end = off + usize::from(olen);
                            let mut ptr = off;
                            let mut plen = len;
                            while ptr < end {
                                ctx.push("\n\t    ");
                                match addr_print(
                                    ctx.out,
                                    bp,
                                    ptr,
                                    plen,
                                    AddrType::Unicast,
                                    addr_len,
                                )? {
                                    Some(n) => {
                                        ptr += n as usize;
                                        plen -= n;
                                    }
                                    None => return Ok(false),
                                }
                            }
                        }
                    }
                    _ => {
                        if v <= 1 {
                            unknown_data(ctx.out, "\n\t    ", bp, off, olen.into());
                        }
                    }
                }
                if v > 1 {
                    unknown_data(ctx.out, "\n\t    ", bp, off, olen.into());
                }
                off += usize::from(olen);
                len -= u32::from(olen);
            }
        }
        1 => {
            if len < 4 || !bp.has(off, 4) {
                return Ok(false);
            }
            let flags = bp.be_u32(off)?;
            pr!(
                ctx,
                ", Flags [ {} ]\n\t",
                tok(REGISTER_FLAGS, flags).unwrap_or("none")
            );
            off += 4;
            len -= 4;
            if len == 0 {
                return Ok(false);
            }
            let inner = bp.from(off).unwrap_or(&[]);
            match inner.u8_at(0)? >> 4 {
                0 => {
                    let (src, dst) = (inner.ipv4_at(12)?, inner.ipv4_at(16)?);
                    pr!(ctx, "IP-Null-header {} > {}", ipv4_str(src), ipv4_str(dst));
                }
                4 => ip::ip_print(ctx, inner, len)?,
                6 => ip6::ip6_print(ctx, inner, len)?,
                n => pr!(ctx, "IP ver {}", n),
            }
        }
        2 => {
            ctx.push(" group=");
            addr!(AddrType::Group);
            ctx.push(" source=");
            addr!(AddrType::Unicast);
        }
        3 | 6 | 7 => {
            if typ != 7 {
                ctx.push(", upstream-neighbor: ");
                addr!(AddrType::Unicast);
            }
            if len < 4 || !bp.has(off, 4) {
                return Ok(false);
            }
            let ngroup = bp.u8_at(off + 1)?;
            let holdtime = bp.be_u16(off + 2)?;
            pr!(ctx, "\n\t  {} group(s)", ngroup);
            if typ != 7 {
                ctx.push(", holdtime: ");
                if holdtime == 0xffff {
                    ctx.push("infinite");
                } else {
                    relts(ctx.out, holdtime.into());
                }
            }
            off += 4;
            len -= 4;
            for i in 0..ngroup {
                pr!(ctx, "\n\t    group #{}: ", u32::from(i) + 1);
                addr!(AddrType::Group);
                if len < 4 || !bp.has(off, 4) {
                    return Ok(false);
                }
                let njoin = bp.be_u16(off)?;
                let nprune = bp.be_u16(off + 2)?;
                pr!(
                    ctx,
                    ", joined sources: {}, pruned sources: {}",
                    njoin,
                    nprune
                );
                off += 4;
                len -= 4;
                for j in 0..njoin {
                    pr!(ctx, "\n\t      joined source #{}: ", u32::from(j) + 1);
                    addr!(AddrType::Source);
                }
                for j in 0..nprune {
                    pr!(ctx, "\n\t      pruned source #{}: ", u32::from(j) + 1);
                    addr!(AddrType::Source);
                }
            }
        }
        4 => {
            if len < 2 {
                return Ok(false);
            }
            pr!(ctx, " tag={:x}", bp.be_u16(off)?);
            off += 2;
            len -= 2;
            if len < 1 {
                return Ok(false);
            }
            pr!(ctx, " hashmlen={}", bp.u8_at(off)?);
            if len < 2 || !bp.has(off + 2, 1) {
                return Ok(false);
            }
            pr!(ctx, " BSRprio={}", bp.u8_at(off + 1)?);
            off += 2;
            len -= 2;
            ctx.push(" BSR=");
            addr!(AddrType::Unicast);
            let mut i = 0u32;
            while len > 0 {
                pr!(ctx, " (group{}: ", i);
                addr!(AddrType::Group);
                if len < 1 {
                    return Ok(false);
                }
                pr!(ctx, " RPcnt={}", bp.u8_at(off)?);
                if len < 2 {
                    return Ok(false);
                }
                let frpcnt = bp.u8_at(off + 1)?;
                pr!(ctx, " FRPcnt={}", frpcnt);
                if len < 4 {
                    return Ok(false);
                }
                off += 4;
                len -= 4;
                let mut j = 0u8;
                while j < frpcnt && len > 0 {
                    pr!(ctx, " RP{}=", j);
                    addr!(AddrType::Unicast);
                    if len < 2 {
                        return Ok(false);
                    }
                    ctx.push(",holdtime=");
                    relts(ctx.out, bp.be_u16(off)?.into());
                    if len < 3 {
                        return Ok(false);
                    }
                    pr!(ctx, ",prio={}", bp.u8_at(off + 2)?);
                    if len < 4 {
                        return Ok(false);
                    }
                    off += 4;
                    len -= 4;
                    j += 1;
                }
                ctx.push(")");
                i += 1;
            }
        }
        5 => {
            ctx.push(" group=");
            addr!(AddrType::Group);
            ctx.push(" src=");
            addr!(AddrType::Unicast);
            if len < 8 || !bp.has(off, 8) {
                return Ok(false);
            }
            if bp.u8_at(off)? & 0x80 != 0 {
                ctx.push(" RPT");
            }
            pr!(ctx, " pref={}", bp.be_u32(off)? & 0x7fff_ffff);
            pr!(ctx, " metric={}", bp.be_u32(off + 4)?);
        }
        8 => {
            if len < 1 {
                return Ok(false);
            }
            let pfxcnt = bp.u8_at(off)?;
            pr!(ctx, " prefix-cnt={}", pfxcnt);
            if len < 2 {
                return Ok(false);
            }
            pr!(ctx, " prio={}", bp.u8_at(off + 1)?);
            if len < 4 {
                return Ok(false);
            }
            ctx.push(" holdtime=");
            relts(ctx.out, bp.be_u16(off + 2)?.into());
            off += 4;
            len -= 4;
            ctx.push(" RP=");
            addr!(AddrType::Unicast);
            let mut i = 0u8;
            while i < pfxcnt && len > 0 {
                pr!(ctx, " Group{}=", i);
                addr!(AddrType::Group);
                i += 1;
            }
        }
        9 => {
            ctx.push(" src=");
            addr!(AddrType::Unicast);
            ctx.push(" grp=");
            addr!(AddrType::Group);
            ctx.push(" forwarder=");
            addr!(AddrType::Unicast);
            if len < 2 {
                return Ok(false);
            }
            ctx.push(" TUNR ");
            relts(ctx.out, bp.be_u16(off)?.into());
        }
        10 => {
            let subtype = rsv >> 4;
            pr!(
                ctx,
                "\n\t  {},",
                tok(DF_ELECTION, subtype.into()).unwrap_or("Unknown")
            );
            ctx.push(" rpa=");
            addr!(AddrType::Unicast);
            pr!(ctx, " sender pref={}", bp.be_u32(off)?);
            pr!(ctx, " sender metric={}", bp.be_u32(off + 4)?);
            off += 8;
            len = len.wrapping_sub(8);
            if subtype == 3 || subtype == 4 {
                let what = if subtype == 3 { "offer" } else { "new winner" };
                pr!(ctx, "\n\t  {} addr=", what);
                addr!(AddrType::Unicast);
                pr!(ctx, " {} pref={}", what, bp.be_u32(off)?);
                pr!(ctx, " {} metric={}", what, bp.be_u32(off + 4)?);
                off += 8;
                if subtype == 3 {
                    pr!(ctx, " interval {}ms", bp.be_u16(off)?);
                }
            }
        }
        _ => pr!(ctx, " [type {}]", typ),
    }
    Ok(true)
}

/// Cisco Auto-RP (Cisco's proprietary RP discovery, UDP port 496): candidate RP
/// announcements and RP mappings with their group ranges. Lengths are checked against the
/// datagram; a shortfall ends the text with ` [|cisco_autorp]`.
pub fn cisco_autorp_print(ctx: &mut Ctx, bp: &[u8], len: u32) -> PResult {
    ctx.protocol = "cisco_autorp";
    if len < 8 {
        ctx.print_trunc();
        return Ok(());
    }
    ctx.push(" auto-rp ");
    match bp.u8_at(0)? {
        0x11 => ctx.push("candidate-advert"),
        0x12 => ctx.push("mapping"),
        t => pr!(ctx, "type-0x{:02x}", t),
    }
    let mut rps = bp.u8_at(1)?;
    ctx.push(" Hold ");
    let hold = bp.be_u16(2)?;
    if hold != 0 {
        relts(ctx.out, hold as u32);
    } else {
        ctx.push("FOREVER");
    }
    // Four reserved octets, then the RPs.
    let mut o = 8usize;
    let mut len = len - 8;
    while rps != 0 {
        if len < 4 {
            ctx.print_trunc();
            return Ok(());
        }
        pr!(ctx, " RP {}", ipv4_str(bp.ipv4_at(o)?));
        o += 4;
        len -= 4;
        if len < 1 {
            ctx.print_trunc();
            return Ok(());
        }
        let v = bp.u8_at(o)?;
        ctx.push(match v & 3 {
            0 => " PIMv?",
            1 => " PIMv1",
            2 => " PIMv2",
            _ => " PIMv1+2",
        });
        if v & 0xfc != 0 {
            pr!(ctx, " [rsvd=0x{:02x}]", v & 0xfc);
        }
        o += 1;
        len -= 1;
        if len < 1 {
            ctx.print_trunc();
            return Ok(());
        }
        let mut entries = bp.u8_at(o)?;
        o += 1;
        len -= 1;
        let mut sep = ' ';
        while entries != 0 {
            if len < 6 {
                ctx.print_trunc();
                return Ok(());
            }
            let f = bp.u8_at(o)?;
            let group = ipv4_str(bp.ipv4_at(o + 2)?);
            pr!(
                ctx,
                "{}{}{}/{}",
                sep,
                if f & 1 != 0 { "!" } else { "" },
                group,
                bp.u8_at(o + 1)?
            );
            if f & 0x02 != 0 {
                ctx.push(" bidir");
            }
            if f & 0xfc != 0 {
                pr!(ctx, "[rsvd=0x{:02x}]", f & 0xfc);
            }
            sep = ',';
            o += 6;
            len -= 6;
            entries -= 1;
        }
        rps -= 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(v: u8, p: &[u8]) -> String {
        let mut s = String::new();
        match pimv1_print(&mut s, v, p, p.len() as u32) {
            Ok(true) => {}
            _ => s.push_str(" [|pimv1]"),
        }
        s
    }

    #[test]
    fn query_and_register_stop() {
        let q = [0x14, 0, 0, 0, 0x10, 0, 0, 0, 0x10, 0, 0, 105];
        assert_eq!(run(0, &q), " Query Sparse-mode");
        assert_eq!(run(1, &q), " Query Sparse-mode (Hold-time 1m45s)");
        let rs = [0x14, 2, 0, 0, 0x20, 0, 0, 0, 224, 1, 1, 1, 10, 0, 0, 1];
        assert_eq!(run(0, &rs), " Register-Stop for 224.1.1.1 > 10.0.0.1 [v2]");
    }

    fn v2(v: u8, p: &[u8]) -> String {
        let src = [10, 0, 0, 1];
        let dst = [224, 0, 0, 13];
        let iph = IpHdr {
            ver: 4,
            src: &src,
            dst: &dst,
            cksum_dst: &dst,
            nh: 103,
            payload_len: 0,
        };
        run_marked(&opts(v, false), |ctx| {
            pim_print(ctx, p, p.len() as u32, &iph)
        })
    }

    fn hello() -> Vec<u8> {
        let mut p = vec![
            0x20, 0, 0, 0, 0, 1, 0, 2, 0, 105, 0, 20, 0, 4, 0x12, 0x34, 0x56, 0x78,
        ];
        let c = in_cksum(&[&p]);
        p[2..4].copy_from_slice(&c.to_be_bytes());
        p
    }

    #[test]
    fn pimv2_hello() {
        let p = hello();
        assert_eq!(v2(0, &p), "PIMv2, Hello, length 18");
        let c = u16::from_be_bytes([p[2], p[3]]);
        assert_eq!(
            v2(1, &p),
            format!(
                "PIMv2, length 18\n\tHello, cksum 0x{c:04x} (correct)\n\t  Hold Time Option (1), \
                 length 2, Value: 1m45s\n\t  Generation ID Option (20), length 4, Value: 0x12345678"
            )
        );
        for cut in 0..p.len() {
            for v in 0..3 {
                v2(v, &p[..cut]);
            }
        }
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let mut p = vec![
            0x14, 3, 0, 0, 0x10, 0, 0, 0, 10, 0, 0, 1, 0, 0, 0, 180, 0, 0, 0, 1,
        ];
        p.extend_from_slice(&[
            224, 1, 1, 1, 255, 255, 255, 255, 0, 1, 0, 0, 1, 0x40, 10, 0, 0, 2,
        ]);
        for cut in 0..p.len() {
            for v in 0..3 {
                let mut s = String::new();
                let _ = pimv1_print(&mut s, v, &p[..cut], p.len() as u32);
            }
        }
        assert_eq!(
            run(1, &p),
            " Join/Prune RPF 10.0.0.1 Join (10.0.0.2/0, 224.1.1.1) Sparse RP"
        );
    }

    #[test]
    fn cisco_autorp() {
        // tcpdump 4.99.3's text: a mapping with one RP serving two ranges, one bidir.
        let m = [
            0x12, 1, 0, 60, 0, 0, 0, 0, 10, 0, 0, 1, 2, 2, 0, 4, 224, 0, 0, 0, 3, 8, 239, 0, 0, 0,
        ];
        let out =
            crate::proto::testutil::run_marked(&crate::proto::testutil::opts(0, false), |ctx| {
                cisco_autorp_print(ctx, &m, m.len() as u32)
            });
        assert_eq!(
            out,
            " auto-rp mapping Hold 1m RP 10.0.0.1 PIMv2 224.0.0.0/4,!239.0.0.0/8 bidir"
        );
        for n in 0..m.len() {
            let out = crate::proto::testutil::run_marked(
                &crate::proto::testutil::opts(0, false),
                |ctx| cisco_autorp_print(ctx, &m[..n], n as u32),
            );
            assert!(out.ends_with(" [|cisco_autorp]"), "{n}: {out}");
        }
    }
}
