//! The Babel routing protocol version 2 (RFC 8966) over UDP ports 6696/6697, with the
//! source-specific extension (draft-boutier-babel-source-specific-01), timestamps (RFC 9616's
//! predecessor draft-jonglez-babel-rtt-extension), diversity (draft-chroboczek-babel-diversity-
//! routing), HMAC (RFC 7298) and MAC/PC/challenge (RFC 8967) TLVs; tcpdump's print-babel.c.
//!
//! Without `-v` each TLV is named on the line; with `-v` one TLV per line with its fields.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const PAD1: u8 = 0;
const PADN: u8 = 1;
const ACK_REQ: u8 = 2;
const ACK: u8 = 3;
const HELLO: u8 = 4;
const IHU: u8 = 5;
const ROUTER_ID: u8 = 6;
const NH: u8 = 7;
const UPDATE: u8 = 8;
const ROUTE_REQUEST: u8 = 9;
const SEQNO_REQUEST: u8 = 10;
const TSPC: u8 = 11;
const HMAC: u8 = 12;
const UPDATE_SRC_SPECIFIC: u8 = 13;
const REQUEST_SRC_SPECIFIC: u8 = 14;
const MH_REQUEST_SRC_SPECIFIC: u8 = 15;
const MAC: u8 = 16;
const PC: u8 = 17;
const CHALLENGE_REQUEST: u8 = 18;
const CHALLENGE_REPLY: u8 = 19;

const SUB_PAD1: u8 = 0;
const SUB_PADN: u8 = 1;
const SUB_DIVERSITY: u8 = 2;
const SUB_TIMESTAMP: u8 = 3;

const MANDATORY_MASK: u8 = 0x80;
const UNICAST_MASK: u16 = 0x8000;

const DIVERSITY_VALUES: &[(u32, &str)] = &[(0, "reserved"), (255, "all")];

/// An IPv4 address as an IPv4-mapped IPv6 one (::ffff:a.b.c.d), how Babel stores both.
const V4_PREFIX: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0];

/// Why a TLV list stopped.
enum Stop {
    /// Cut by the capture: ` [|babel]`.
    Trunc,
    /// Malformed: ` (invalid)`.
    Invalid,
}

fn id_str(p: &[u8], off: usize) -> PResult<String> {
    let b = p.sub(off, 8)?;
    Ok(format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
    ))
}

/// An address: IPv4 when it is IPv4-mapped.
fn address_str(a: &[u8; 16]) -> String {
    let mut s = String::new();
    if a[..12] == V4_PREFIX[..12] {
        crate::addr::push_ipv4(&mut s, &a[12..]);
    } else {
        crate::addr::push_ipv6(&mut s, a);
    }
    s
}

/// A prefix; IPv4-mapped ones are printed as IPv4 with 96 bits less.
fn prefix_str(a: &[u8; 16], plen: u8) -> String {
    if plen >= 96 && a[..12] == V4_PREFIX[..12] {
        let mut s = String::new();
        crate::addr::push_ipv4(&mut s, &a[12..]);
        format!("{}/{}", s, plen - 96)
    } else {
        let mut s = String::new();
        crate::addr::push_ipv6(&mut s, a);
        format!("{s}/{plen}")
    }
}

/// An interval in centiseconds.
fn interval_str(i: u16) -> String {
    if i == 0 {
        "0.0s (bogus)".into()
    } else {
        format!("{}.{:02}s", i / 100, i % 100)
    }
}

fn interval_update_str(i: u16) -> String {
    if i == 0xffff {
        "infinity".into()
    } else {
        interval_str(i)
    }
}

/// A timestamp in microseconds.
fn timestamp_str(t: u32) -> String {
    format!("{}.{:06}s", t / 1_000_000, t % 1_000_000)
}

/// Decodes a (possibly compressed) prefix of address encoding `ae` (RFC 8966 section 4.1.1):
/// `plen` bits (`None`: a whole address), the first `omitted` octets taken from `default`
/// (the previous prefix of the same encoding), the rest from `p[off..]` of which `len` octets
/// belong to the TLV. Returns the address and the octets read, `None` when it cannot be.
fn network_prefix(
    ae: u8,
    plen: Option<u8>,
    omitted: u32,
    p: &[u8],
    off: usize,
    default: Option<&[u8; 16]>,
    len: u32,
) -> PResult<Option<([u8; 16], u32)>> {
    let pb = match plen {
        Some(l) => (l as u32).div_ceil(8),
        None if ae == 1 => 4,
        None => 16,
    };
    if pb > 16 {
        return Ok(None);
    }
    let mut a = [0u8; 16];
    let mut consumed = 0;
    // The octets of the prefix in the packet: from `start` to `pb` (relative to where the
    // family's address starts in `a`).
    let from_packet = |a: &mut [u8; 16], at: usize, n: u32| -> PResult {
        a[at..at + n as usize].copy_from_slice(p.sub(off, n as usize)?);
        Ok(())
    };
    match ae {
        0 => {}
        1 => {
            if omitted > 4 || pb > 4 || (pb > omitted && len < pb - omitted) {
                return Ok(None);
            }
            a[..12].copy_from_slice(&V4_PREFIX[..12]);
            if omitted > 0 {
                let Some(d) = default else {
                    return Ok(None);
                };
                a[..12 + omitted as usize].copy_from_slice(&d[..12 + omitted as usize]);
            }
            if pb > omitted {
                from_packet(&mut a, 12 + omitted as usize, pb - omitted)?;
                consumed = pb - omitted;
            }
        }
        2 => {
            if omitted > 16 || (pb > omitted && len < pb - omitted) {
                return Ok(None);
            }
            if omitted > 0 {
                let Some(d) = default else {
                    return Ok(None);
                };
                a[..omitted as usize].copy_from_slice(&d[..omitted as usize]);
            }
            if pb > omitted {
                from_packet(&mut a, omitted as usize, pb - omitted)?;
                consumed = pb - omitted;
            }
        }
        // Link-local IPv6: fe80::/64 and the interface identifier.
        3 => {
            if pb > 8 && len < pb - 8 {
                return Ok(None);
            }
            a[0] = 0xfe;
            a[1] = 0x80;
            if pb > 8 {
                from_packet(&mut a, 8, pb - 8)?;
                consumed = pb - 8;
            }
        }
        _ => return Ok(None),
    }
    Ok(Some((a, consumed)))
}

/// Sub-TLVs from `off` to `end` (RFC 8966 section 4.4) of a TLV of type `ty`.
fn subtlvs_print(ctx: &mut Ctx, p: &[u8], off: usize, end: usize, ty: u8) -> PResult {
    let mut o = off;
    while o < end {
        let st = p.u8_at(o)?;
        o += 1;
        if st == SUB_PAD1 {
            ctx.push(" sub-pad1");
            continue;
        }
        if st & MANDATORY_MASK != 0 {
            ctx.push(" (M)");
        }
        if o == end {
            ctx.print_invalid();
            return Ok(());
        }
        let sl = p.u8_at(o)? as usize;
        o += 1;
        if o + sl > end {
            ctx.print_invalid();
            return Ok(());
        }
        match st {
            SUB_PADN => ctx.push(" sub-padn"),
            SUB_DIVERSITY => {
                ctx.push(" sub-diversity");
                if sl == 0 {
                    ctx.push(" empty");
                } else {
                    let mut sep = " ";
                    for i in 0..sl {
                        let v = p.u8_at(o + i)?;
                        ctx.push(sep);
                        super::tok2str(ctx.out, DIVERSITY_VALUES, "{}", v as u32);
                        sep = "-";
                    }
                    if ty != UPDATE && ty != UPDATE_SRC_SPECIFIC {
                        ctx.push(" (bogus)");
                    }
                }
            }
            SUB_TIMESTAMP => {
                ctx.push(" sub-timestamp");
                if ty == HELLO {
                    if sl < 4 {
                        ctx.print_invalid();
                        return Ok(());
                    }
                    let t = p.be_u32(o)?;
                    pr!(ctx, " {}", timestamp_str(t));
                } else if ty == IHU {
                    if sl < 8 {
                        ctx.print_invalid();
                        return Ok(());
                    }
                    let t1 = p.be_u32(o)?;
                    pr!(ctx, " {}", timestamp_str(t1));
                    let t2 = p.be_u32(o + 4)?;
                    pr!(ctx, "|{}", timestamp_str(t2));
                } else {
                    ctx.push(" (bogus)");
                }
            }
            _ => pr!(ctx, " sub-unknown-0x{:02x}", st),
        }
        o += sl;
    }
    Ok(())
}

/// The TLVs of `p[off..off + tlvs_len]`; `remaining` bounds them too (the UDP payload left).
fn tlvs_print(
    ctx: &mut Ctx,
    p: &[u8],
    off: usize,
    tlvs_len: u32,
    remaining: u32,
) -> PResult<Result<(), Stop>> {
    let v = ctx.vflag() > 0;
    // The previous prefix of each family, for compressed updates.
    let mut v4_prefix = V4_PREFIX;
    let mut v6_prefix = [0u8; 16];
    let mut i = 0u32;
    let fits = |i: u32, l: u32| i + l <= tlvs_len && i + l <= remaining;
    while i < tlvs_len {
        let m = off + i as usize;
        if !fits(i, 1) {
            return Ok(Err(Stop::Invalid));
        }
        let ty = p.u8_at(m)?;
        if ty == PAD1 {
            ctx.push(if v { "\n\tPad 1" } else { " pad1" });
            i += 1;
            continue;
        }
        if !fits(i, 2) {
            return Ok(Err(Stop::Invalid));
        }
        if !p.has(m, 2) {
            return Ok(Err(Stop::Trunc));
        }
        let len = p.u8_at(m + 1)? as u32;
        if !fits(i, 2 + len) {
            return Ok(Err(Stop::Invalid));
        }
        if !p.has(m, 2 + len as usize) {
            return Ok(Err(Stop::Trunc));
        }
        let end = m + 2 + len as usize;
        let u8_at = |o: usize| p.u8_at(m + o);
        let u16_at = |o: usize| p.be_u16(m + o);
        let invalid = Ok(Err(Stop::Invalid));
        match ty {
            PADN => {
                if v {
                    pr!(ctx, "\n\tPad {}", len + 2);
                } else {
                    ctx.push(" padN");
                }
            }
            ACK_REQ if !v => ctx.push(" ack-req"),
            ACK_REQ => {
                ctx.push("\n\tAcknowledgment Request ");
                if len < 6 {
                    return invalid;
                }
                let (nonce, interval) = (u16_at(4)?, u16_at(6)?);
                pr!(ctx, "{:04x} {}", nonce, interval_str(interval));
            }
            ACK if !v => ctx.push(" ack"),
            ACK => {
                ctx.push("\n\tAcknowledgment ");
                if len < 2 {
                    return invalid;
                }
                pr!(ctx, "{:04x}", u16_at(2)?);
            }
            HELLO if !v => ctx.push(" hello"),
            HELLO => {
                ctx.push("\n\tHello ");
                if len < 6 {
                    return invalid;
                }
                let unicast = u16_at(2)? & UNICAST_MASK != 0;
                let (seqno, interval) = (u16_at(4)?, u16_at(6)?);
                if unicast {
                    ctx.push("(Unicast) ");
                }
                pr!(ctx, "seqno {} ", seqno);
                if interval != 0 {
                    pr!(ctx, "interval {}", interval_str(interval));
                } else {
                    ctx.push("unscheduled");
                }
                if len > 6 {
                    subtlvs_print(ctx, p, m + 8, end, ty)?;
                }
            }
            IHU if !v => ctx.push(" ihu"),
            IHU => {
                ctx.push("\n\tIHU ");
                if len < 6 {
                    return invalid;
                }
                let (rxcost, interval) = (u16_at(4)?, u16_at(6)?);
                let ae = u8_at(2)?;
                match network_prefix(ae, None, 0, p, m + 8, None, len - 6)? {
                    // A bad address only cuts this TLV short.
                    None => ctx.print_trunc(),
                    Some((a, rc)) => {
                        pr!(
                            ctx,
                            "{} rxcost {} interval {}",
                            if ae == 0 {
                                "any".into()
                            } else {
                                address_str(&a)
                            },
                            rxcost,
                            interval_str(interval)
                        );
                        if rc < len - 6 {
                            subtlvs_print(ctx, p, m + 8 + rc as usize, end, ty)?;
                        }
                    }
                }
            }
            ROUTER_ID if !v => ctx.push(" router-id"),
            ROUTER_ID => {
                ctx.push("\n\tRouter Id");
                if len < 10 {
                    return invalid;
                }
                let id = id_str(p, m + 4)?;
                pr!(ctx, " {}", id);
            }
            NH if !v => ctx.push(" nh"),
            NH => {
                ctx.push("\n\tNext Hop");
                if len < 2 {
                    return invalid;
                }
                let ae = u8_at(2)?;
                let Some((a, _)) = network_prefix(ae, None, 0, p, m + 4, None, len - 2)? else {
                    return invalid;
                };
                pr!(
                    ctx,
                    " {}",
                    if ae == 0 {
                        "invalid AE 0".into()
                    } else {
                        address_str(&a)
                    }
                );
            }
            UPDATE => {
                let flags = |f: u8| {
                    format!(
                        "{}{}{}",
                        if f & 0x80 != 0 { "/prefix" } else { "" },
                        if f & 0x40 != 0 { "/id" } else { "" },
                        if f & 0x3f != 0 { "/unknown" } else { "" }
                    )
                };
                if !v {
                    ctx.push(" update");
                    if len < 10 {
                        return invalid;
                    }
                    let f = u8_at(3)?;
                    ctx.push(&flags(f));
                } else {
                    ctx.push("\n\tUpdate");
                    if len < 10 {
                        return invalid;
                    }
                    let ae = u8_at(2)?;
                    let raw_plen = u8_at(4)?;
                    // The printed length counts the IPv4-mapped part (in 8 bits, as tcpdump).
                    let plen = raw_plen.wrapping_add(if ae == 1 { 96 } else { 0 });
                    let omitted = u8_at(5)? as u32;
                    let default = if ae == 1 { &v4_prefix } else { &v6_prefix };
                    let Some((a, rc)) = network_prefix(
                        ae,
                        Some(raw_plen),
                        omitted,
                        p,
                        m + 12,
                        Some(default),
                        len - 10,
                    )?
                    else {
                        return invalid;
                    };
                    let (interval, seqno, metric) = (u16_at(6)?, u16_at(8)?, u16_at(10)?);
                    let f = u8_at(3)?;
                    pr!(
                        ctx,
                        "{} {} metric {} seqno {} interval {}",
                        flags(f),
                        if ae == 0 {
                            "any".into()
                        } else {
                            prefix_str(&a, plen)
                        },
                        metric,
                        seqno,
                        interval_update_str(interval)
                    );
                    // The prefix flag makes this the default for later compressed updates.
                    if f & 0x80 != 0 {
                        if ae == 1 {
                            v4_prefix = a;
                        } else {
                            v6_prefix = a;
                        }
                    }
                    if rc < len - 10 {
                        subtlvs_print(ctx, p, m + 12 + rc as usize, end, ty)?;
                    }
                }
            }
            ROUTE_REQUEST if !v => ctx.push(" route-request"),
            ROUTE_REQUEST => {
                ctx.push("\n\tRoute Request ");
                if len < 2 {
                    return invalid;
                }
                let ae = u8_at(2)?;
                let raw_plen = u8_at(3)?;
                let plen = raw_plen.wrapping_add(if ae == 1 { 96 } else { 0 });
                let Some((a, _)) = network_prefix(ae, Some(raw_plen), 0, p, m + 4, None, len - 2)?
                else {
                    return invalid;
                };
                pr!(
                    ctx,
                    "for {}",
                    if ae == 0 {
                        "any".into()
                    } else {
                        prefix_str(&a, plen)
                    }
                );
            }
            SEQNO_REQUEST if !v => ctx.push(" seqno-request"),
            SEQNO_REQUEST => {
                ctx.push("\n\tSeqno Request ");
                if len < 14 {
                    return invalid;
                }
                let ae = u8_at(2)?;
                let seqno = u16_at(4)?;
                let raw_plen = u8_at(3)?;
                let Some((a, _)) =
                    network_prefix(ae, Some(raw_plen), 0, p, m + 16, None, len - 14)?
                else {
                    return invalid;
                };
                let plen = raw_plen.wrapping_add(if ae == 1 { 96 } else { 0 });
                let hops = u8_at(6)?;
                let id = id_str(p, m + 8)?;
                pr!(
                    ctx,
                    "({} hops) for {} seqno {} id {}",
                    hops,
                    if ae == 0 {
                        "invalid AE 0".into()
                    } else {
                        prefix_str(&a, plen)
                    },
                    seqno,
                    id
                );
            }
            TSPC if !v => ctx.push(" tspc"),
            TSPC => {
                ctx.push("\n\tTS/PC ");
                if len < 6 {
                    return invalid;
                }
                pr!(
                    ctx,
                    "timestamp {} packetcounter {}",
                    p.be_u32(m + 4)?,
                    u16_at(2)?
                );
            }
            HMAC if !v => ctx.push(" hmac"),
            HMAC => {
                ctx.push("\n\tHMAC ");
                if len < 18 {
                    return invalid;
                }
                pr!(ctx, "key-id {} digest-{} ", u16_at(2)?, len - 2);
                for b in p.sub(m + 4, len as usize - 2)? {
                    pr!(ctx, "{:02X}", b);
                }
            }
            UPDATE_SRC_SPECIFIC if !v => ctx.push(" ss-update"),
            UPDATE_SRC_SPECIFIC => {
                ctx.push("\n\tSS-Update");
                if len < 10 {
                    return invalid;
                }
                let ae = u8_at(2)?;
                let mut src_plen = u8_at(3)?;
                let mut plen = u8_at(4)?;
                let omitted = u8_at(5)? as u32;
                let (interval, seqno, metric) = (u16_at(6)?, u16_at(8)?, u16_at(10)?);
                let mut parsed = 10u32;
                let default = if ae == 1 { &v4_prefix } else { &v6_prefix };
                let Some((a, rc)) = network_prefix(
                    ae,
                    Some(plen),
                    omitted,
                    p,
                    m + 2 + parsed as usize,
                    Some(default),
                    len - parsed,
                )?
                else {
                    return invalid;
                };
                if ae == 1 {
                    plen = plen.wrapping_add(96);
                }
                parsed += rc;
                let Some((src, rc)) = network_prefix(
                    ae,
                    Some(src_plen),
                    0,
                    p,
                    m + 2 + parsed as usize,
                    None,
                    len - parsed,
                )?
                else {
                    return invalid;
                };
                if ae == 1 {
                    src_plen = src_plen.wrapping_add(96);
                }
                parsed += rc;
                pr!(ctx, " {} from", prefix_str(&a, plen));
                pr!(
                    ctx,
                    " {} metric {} seqno {} interval {}",
                    prefix_str(&src, src_plen),
                    metric,
                    seqno,
                    interval_update_str(interval)
                );
                if parsed < len {
                    subtlvs_print(ctx, p, m + 2 + parsed as usize, end, ty)?;
                }
            }
            REQUEST_SRC_SPECIFIC if !v => ctx.push(" ss-request"),
            REQUEST_SRC_SPECIFIC => {
                ctx.push("\n\tSS-Request ");
                if len < 3 {
                    return invalid;
                }
                let ae = u8_at(2)?;
                let mut plen = u8_at(3)?;
                let mut src_plen = u8_at(4)?;
                let mut parsed = 3u32;
                let Some((a, rc)) = network_prefix(
                    ae,
                    Some(plen),
                    0,
                    p,
                    m + 2 + parsed as usize,
                    None,
                    len - parsed,
                )?
                else {
                    return invalid;
                };
                if ae == 1 {
                    plen = plen.wrapping_add(96);
                }
                parsed += rc;
                let Some((src, _)) = network_prefix(
                    ae,
                    Some(src_plen),
                    0,
                    p,
                    m + 2 + parsed as usize,
                    None,
                    len - parsed,
                )?
                else {
                    return invalid;
                };
                if ae == 1 {
                    src_plen = src_plen.wrapping_add(96);
                }
                if ae == 0 {
                    ctx.push("for any");
                } else {
                    pr!(ctx, "for ({}, ", prefix_str(&a, plen));
                    pr!(ctx, "{})", prefix_str(&src, src_plen));
                }
            }
            MH_REQUEST_SRC_SPECIFIC if !v => ctx.push(" ss-mh-request"),
            MH_REQUEST_SRC_SPECIFIC => {
                ctx.push("\n\tSS-MH-Request ");
                if len < 14 {
                    return invalid;
                }
                let ae = u8_at(2)?;
                let mut plen = u8_at(3)?;
                let seqno = u16_at(4)?;
                let hops = u8_at(6)?;
                let mut src_plen = u8_at(7)?;
                let mut parsed = 14u32;
                let Some((a, rc)) = network_prefix(
                    ae,
                    Some(plen),
                    0,
                    p,
                    m + 2 + parsed as usize,
                    None,
                    len - parsed,
                )?
                else {
                    return invalid;
                };
                if ae == 1 {
                    plen = plen.wrapping_add(96);
                }
                parsed += rc;
                let Some((src, _)) = network_prefix(
                    ae,
                    Some(src_plen),
                    0,
                    p,
                    m + 2 + parsed as usize,
                    None,
                    len - parsed,
                )?
                else {
                    return invalid;
                };
                if ae == 1 {
                    src_plen = src_plen.wrapping_add(96);
                }
                pr!(ctx, "({} hops) for ({}, ", hops, prefix_str(&a, plen));
                let id = id_str(p, m + 8)?;
                pr!(
                    ctx,
                    "{}) seqno {} id {}",
                    prefix_str(&src, src_plen),
                    seqno,
                    id
                );
            }
            MAC if !v => ctx.push(" mac"),
            MAC => pr!(ctx, "\n\tMAC len {}", len),
            PC if !v => ctx.push(" pc"),
            PC => {
                ctx.push("\n\tPC");
                if len < 4 {
                    return invalid;
                }
                pr!(ctx, " value {}", p.be_u32(m + 2)?);
                pr!(ctx, " index len {}", len - 4);
            }
            CHALLENGE_REQUEST | CHALLENGE_REPLY => {
                let what = if ty == CHALLENGE_REQUEST {
                    "request"
                } else {
                    "reply"
                };
                if !v {
                    pr!(ctx, " challenge_{}", what);
                } else {
                    pr!(
                        ctx,
                        "\n\tChallenge {}",
                        if ty == CHALLENGE_REQUEST {
                            "Request"
                        } else {
                            "Reply"
                        }
                    );
                    if len > 192 {
                        return invalid;
                    }
                    pr!(ctx, " len {}", len);
                }
            }
            _ => {
                if v {
                    pr!(ctx, "\n\tUnknown message type {}", ty);
                } else {
                    ctx.push(" unknown");
                }
            }
        }
        i += len + 2;
    }
    Ok(Ok(()))
}

/// A Babel packet; `p`: captured bytes from the header, `length` the UDP payload's length.
pub fn babel_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "babel";
    ctx.push("babel");
    if !p.has(0, 4) {
        ctx.print_trunc();
        return Ok(());
    }
    if p.u8_at(0)? != 42 {
        ctx.push(" invalid header");
        return Ok(());
    }
    let version = p.u8_at(1)?;
    pr!(ctx, " {}", version);
    if version != 2 {
        ctx.push(" unknown version");
        return Ok(());
    }
    if length < 4 {
        ctx.print_invalid();
        return Ok(());
    }
    let body_len = p.be_u16(2)? as u32;
    pr!(ctx, " ({})", body_len);
    let mut length = length - 4;
    if length < body_len {
        ctx.print_invalid();
        return Ok(());
    }
    let mut r = tlvs_print(ctx, p, 4, body_len, length)?;
    if r.is_ok() {
        length -= body_len;
        // The packet trailer (RFC 8966 section 4.2) also holds TLVs.
        if length != 0 {
            ctx.push(if ctx.vflag() > 0 { "\n\t----" } else { " |" });
            r = tlvs_print(ctx, p, 4 + body_len as usize, length, length)?;
        }
    }
    match r {
        Ok(()) => {}
        Err(Stop::Trunc) => ctx.print_trunc(),
        Err(Stop::Invalid) => ctx.print_invalid(),
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
        run_marked(&opts(v, false), |ctx| babel_print(ctx, p, p.len() as u32))
    }

    // Hellos with sub-TLVs, IHUs (IPv6, link-local, any, a bad IPv4 address), router id and
    // next hops.
    const NEIGHBOURS: &str = "2a020085041080000007019003040012d6870085010904060000000800000520020000\
        600190fe800000000000000000000000000001030800000001001e8481050e03000060019000010002000300\
        040506000000010002050701000001000201060a00000001020304050607070601000a000001071202002001\
        0db8000000000000000000000001";
    // Updates (prefix and router-id flags, a compressed one, diversity, any), route and seqno
    // requests.
    const ROUTES: &str = "2a020079080d01801800019000050060c00002081101402002ffff0006ffff0709020300\
        05ff081202c1400000640007010020010db80001000008140200800600640007010000010002000300040005\
        080a000000000001000200030908023020010db80002090200000a1101180009030000010203040506070a01\
        01";
    // Acks, TS/PC, HMAC, padding, an unknown TLV, and a trailer with MAC and PC.
    const MISC: &str = "2a02003002060000beef012c0302beef0b0600050000004d0c1200030001020304050607\
        08090a0b0c0d0e0f000103000000630010087878787878787878110600000009616200";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn names_without_v() {
        assert_eq!(
            run(0, &hex(NEIGHBOURS)),
            "babel 2 (133) hello hello ihu ihu ihu ihu router-id nh nh"
        );
        assert_eq!(
            run(0, &hex(ROUTES)),
            "babel 2 (121) update/prefix update/id update/prefix/id/unknown update update \
             route-request route-request seqno-request"
        );
        assert_eq!(
            run(0, &hex(MISC)),
            "babel 2 (48) ack-req ack tspc hmac pad1 padN unknown | mac pc pad1"
        );
    }

    #[test]
    fn fields_with_v() {
        assert_eq!(
            run(1, &hex(NEIGHBOURS)),
            "babel 2 (133)\
             \n\tHello (Unicast) seqno 7 interval 4.00s sub-timestamp 1.234567s sub-pad1 (M) \
             sub-unknown-0x85\
             \n\tHello seqno 8 unscheduled\
             \n\tIHU fe80::1 rxcost 96 interval 4.00s sub-timestamp 0.000001s|2.000001s\
             \n\tIHU fe80::1:2:3:4 rxcost 96 interval 4.00s\
             \n\tIHU any rxcost 1 interval 0.02s\
             \n\tIHU  [|babel]\
             \n\tRouter Id 00:01:02:03:04:05:06:07\
             \n\tNext Hop 10.0.0.1\
             \n\tNext Hop 2001:db8::1"
        );
        assert_eq!(
            run(1, &hex(ROUTES)),
            "babel 2 (121)\
             \n\tUpdate/prefix 192.0.2.0/24 metric 96 seqno 5 interval 4.00s\
             \n\tUpdate/id 192.0.7.9/32 metric 65535 seqno 6 interval infinity sub-diversity \
             reserved-5-all\
             \n\tUpdate/prefix/id/unknown 2001:db8:1::/64 metric 256 seqno 7 interval 1.00s\
             \n\tUpdate 2001:db8:1:1:2:3:4:5/128 metric 256 seqno 7 interval 1.00s\
             \n\tUpdate any metric 3 seqno 2 interval 0.01s\
             \n\tRoute Request for 2001:db8:2::/48\
             \n\tRoute Request for any\
             \n\tSeqno Request (3 hops) for 10.1.1.0/24 seqno 9 id 00:01:02:03:04:05:06:07"
        );
        assert_eq!(
            run(1, &hex(MISC)),
            "babel 2 (48)\
             \n\tAcknowledgment Request beef 3.00s\
             \n\tAcknowledgment beef\
             \n\tTS/PC timestamp 77 packetcounter 5\
             \n\tHMAC key-id 3 digest-16 000102030405060708090A0B0C0D0E0F\
             \n\tPad 1\
             \n\tPad 5\
             \n\tUnknown message type 99\
             \n\t----\
             \n\tMAC len 8\
             \n\tPC value 9 index len 2\
             \n\tPad 1"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [NEIGHBOURS, ROUTES, MISC] {
            let p = hex(pkt);
            assert_every_truncation_is_safe(&p, &verbosities(2), |ctx, q| {
                babel_print(ctx, q, p.len() as u32)
            });
            for n in 0..p.len() - 1 {
                let out = run_marked(&opts(1, false), |ctx| {
                    babel_print(ctx, &p[..n], p.len() as u32)
                });
                assert!(out.ends_with(" [|babel]"), "{n}: {out}");
            }
        }
    }
}
