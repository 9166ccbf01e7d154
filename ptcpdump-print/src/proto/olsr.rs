//! OLSR, the Optimized Link State Routing protocol (RFC 3626), UDP port 698: Hello, TC, MID,
//! HNA (with olsrd's smart gateway announcements), name service messages and olsrd's link
//! quality extensions, over IPv4 and IPv6; tcpdump's print-olsr.c.
//!
//! Without `-v` only the packet header is printed.

use super::util_print::{print_unknown_data, printn, tail};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const HELLO: u8 = 1;
const TC: u8 = 2;
const MID: u8 = 3;
const HNA: u8 = 4;
const NAMESERVICE: u8 = 130;
const HELLO_LQ: u8 = 201;
const TC_LQ: u8 = 202;

const MSG_VALUES: &[(u32, &str)] = &[
    (1, "Hello"),
    (2, "TC"),
    (3, "MID"),
    (4, "HNA"),
    (128, "Powerinfo"),
    (130, "Nameservice"),
    (201, "Hello-LQ"),
    (202, "TC-LQ"),
];

const LINK_TYPE_VALUES: &[(u32, &str)] = &[
    (0, "Unspecified"),
    (1, "Asymmetric"),
    (2, "Symmetric"),
    (3, "Lost"),
];

const NEIGHBOR_TYPE_VALUES: &[(u32, &str)] =
    &[(0, "Not-Neighbor"), (1, "Symmetric"), (2, "Symmetric-MPR")];

// olsrd smart gateway flags, in the HNA "mask" of a 0.0.0.0 network.
const GW_LINKSPEED: u8 = 1 << 0;
const GW_IPV4: u8 = 1 << 1;
const GW_IPV4_NAT: u8 = 1 << 2;
const GW_IPV6: u8 = 1 << 3;
const GW_IPV6PREFIX: u8 = 1 << 4;
const MAX_SMARTGW_SPEED: u32 = 320_000_000;

fn name(table: &[(u32, &'static str)], v: u32, default: &'static str) -> &'static str {
    tok(table, v).unwrap_or(default)
}

/// A validity time or hello interval in RFC 3626's mantissa/exponent form (section 18.3).
fn me_to_secs(me: u8) -> f64 {
    0.0625 * (1.0 + (me >> 4) as f64 / 16.0) * (1u32 << (me & 0x0f)) as f64
}

/// An olsrd smart gateway link speed: 5-bit mantissa, 3-bit decimal exponent, in kbit/s.
fn gw_speed(v: u8) -> u32 {
    match v {
        0 => 0,
        u8::MAX => MAX_SMARTGW_SPEED,
        _ => ((v >> 3) as u32 + 1) * 10u32.pow((v & 7) as u32),
    }
}

/// The prefix length of an IPv6 netmask: leading one bits, up to the first byte that is not
/// 0xff (counted when it is a contiguous mask byte).
fn mask6_plen(m: &[u8]) -> u32 {
    let mut len = 0;
    for &b in m {
        if b.leading_ones() + b.trailing_zeros() >= 8 {
            len += b.leading_ones();
        }
        if b != 0xff {
            break;
        }
    }
    len
}

/// C's `%#0Nx`: `0x`-prefixed and zero-padded to `width` characters, but a zero value gets
/// no prefix.
fn alt_hex(v: u32, width: usize) -> String {
    if v == 0 {
        format!("{:0width$}", 0)
    } else {
        format!("{v:#0width$x}")
    }
}

fn addr_str(p: &[u8], off: usize, len: usize) -> PResult<String> {
    let mut s = String::new();
    crate::addr::push_ip(&mut s, p.sub(off, len)?);
    Ok(s)
}

/// Plain neighbor addresses (IPv4, as tcpdump reads them whatever the family).
fn neighbors_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32) -> PResult {
    ctx.push("\n\t      neighbor\n\t\t");
    let (mut o, mut left) = (off, len);
    while left >= 4 {
        let a = addr_str(p, o, 4)?;
        // tcpdump meant four per line but never counts them.
        pr!(ctx, "{} ", a);
        o += 4;
        left -= 4;
    }
    Ok(())
}

/// Neighbors with link qualities (olsrd's LQ extension). `Ok(false)`: truncated.
fn lq_neighbors_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32, alen: usize) -> PResult<bool> {
    let size = alen + 4;
    let (mut o, mut left) = (off, len as usize);
    while left >= size {
        if !p.has(o, size) {
            return Ok(false);
        }
        let a = addr_str(p, o, alen)?;
        pr!(
            ctx,
            "\n\t      neighbor {}, link-quality {:.2}%, neighbor-link-quality {:.2}%",
            a,
            p.u8_at(o + alen)? as f64 / 2.55,
            p.u8_at(o + alen + 1)? as f64 / 2.55
        );
        o += size;
        left -= size;
    }
    Ok(true)
}

/// The body of one message (`tlen` octets at `d`). `Ok(false)`: truncated.
fn message_print(ctx: &mut Ctx, p: &[u8], ty: u8, d: usize, tlen: u32, v6: bool) -> PResult<bool> {
    let alen = if v6 { 16 } else { 4 };
    let (mut d, mut tlen) = (d, tlen);
    match ty {
        HELLO | HELLO_LQ => {
            if tlen < 4 || !p.has(d, 4) {
                return Ok(false);
            }
            pr!(
                ctx,
                "\n\t  hello-time {:.3}s, MPR willingness {}",
                me_to_secs(p.u8_at(d + 2)?),
                p.u8_at(d + 3)?
            );
            d += 4;
            tlen -= 4;
            while tlen >= 4 {
                if !p.has(d, 4) {
                    return Ok(false);
                }
                let mut hlen = p.be_u16(d + 2)? as u32;
                let code = p.u8_at(d)?;
                let valid = hlen <= tlen && hlen >= 4;
                pr!(
                    ctx,
                    "\n\t    link-type {}, neighbor-type {}, len {}{}",
                    name(LINK_TYPE_VALUES, (code & 3) as u32, "Unknown"),
                    name(NEIGHBOR_TYPE_VALUES, (code >> 2) as u32, "Unknown"),
                    hlen,
                    if valid { "" } else { " (invalid)" }
                );
                if !valid {
                    break;
                }
                d += 4;
                tlen -= 4;
                hlen -= 4;
                if !p.has(d, hlen as usize) {
                    return Ok(false);
                }
                if ty == HELLO {
                    neighbors_print(ctx, p, d, hlen)?;
                } else if !lq_neighbors_print(ctx, p, d, hlen, alen)? {
                    return Ok(false);
                }
                d += hlen as usize;
                tlen -= hlen;
            }
        }
        TC | TC_LQ => {
            if tlen < 4 || !p.has(d, 4) {
                return Ok(false);
            }
            pr!(
                ctx,
                "\n\t    advertised neighbor seq 0x{:04x}",
                p.be_u16(d)?
            );
            d += 4;
            tlen -= 4;
            if ty == TC {
                neighbors_print(ctx, p, d, tlen)?;
            } else if !lq_neighbors_print(ctx, p, d, tlen, alen)? {
                return Ok(false);
            }
        }
        MID => {
            while tlen >= alen as u32 {
                if !p.has(d, alen) {
                    return Ok(false);
                }
                let a = addr_str(p, d, alen)?;
                pr!(ctx, "\n\t  interface address {}", a);
                d += alen;
                tlen -= alen as u32;
            }
        }
        HNA if v6 => {
            pr!(ctx, "\n\t  Advertised networks (total {})", tlen / 32);
            while tlen >= 32 {
                if !p.has(d, 32) {
                    return Ok(false);
                }
                let a = addr_str(p, d, 16)?;
                // tcpdump numbers every network #0.
                pr!(ctx, "\n\t    #0: {}/{}", a, mask6_plen(&p[d + 16..d + 32]));
                d += 32;
                tlen -= 32;
            }
        }
        HNA => {
            pr!(ctx, "\n\t  Advertised networks (total {})", tlen / 8);
            let mut col = 0;
            while tlen >= 8 {
                if !p.has(d, 8) {
                    return Ok(false);
                }
                let net = &p[d..d + 4];
                let mask = &p[d + 4..d + 8];
                let lead = if col == 0 { "\n\t    " } else { ", " };
                if net == [0, 0, 0, 0] && mask[0] == 0 && mask[1] != 0 {
                    // An olsrd smart gateway: flags and up/down link speeds.
                    let f = mask[1];
                    let flag = |bit: u8, s: &'static str| if f & bit != 0 { s } else { "" };
                    let (up, down) = if f & GW_LINKSPEED != 0 {
                        (gw_speed(mask[2]), gw_speed(mask[3]))
                    } else {
                        (0, 0)
                    };
                    pr!(
                        ctx,
                        "{}Smart-Gateway:{}{}{}{}{} {}/{}",
                        lead,
                        flag(GW_LINKSPEED, " LINKSPEED"),
                        flag(GW_IPV4, " IPV4"),
                        flag(GW_IPV4_NAT, " IPV4-NAT"),
                        flag(GW_IPV6, " IPV6"),
                        flag(GW_IPV6PREFIX, " IPv6-PREFIX"),
                        up,
                        down
                    );
                } else {
                    let a = addr_str(p, d, 4)?;
                    let m = p.be_u32(d + 4)?;
                    let ones = m.leading_ones();
                    // A non-contiguous mask prints as tcpdump's -1 in an unsigned field.
                    let plen = if ones == 32 || m << ones == 0 {
                        ones
                    } else {
                        u32::MAX
                    };
                    pr!(ctx, "{}{}/{}", lead, a, plen);
                }
                d += 8;
                tlen -= 8;
                col = (col + 1) % 4;
            }
        }
        NAMESERVICE => {
            if tlen < 4 {
                return Ok(false);
            }
            let entries = p.be_u16(d + 2)? as u32;
            let valid = entries > 0 && entries * (4 + alen as u32) <= tlen;
            pr!(
                ctx,
                "\n\t  Version {}, Entries {}{}",
                p.be_u16(d)?,
                entries,
                if valid { "" } else { " (invalid)" }
            );
            if !valid {
                return Ok(true);
            }
            d += 4;
            tlen -= 4;
            for i in 0..entries {
                if tlen < 4 {
                    break;
                }
                let ety = p.be_u16(d)?;
                let elen = p.be_u16(d + 2)? as u32;
                d += 4;
                tlen -= 4;
                let evalid = elen > 0 && alen as u32 + elen <= tlen;
                pr!(
                    ctx,
                    "\n\t    #{}: type {}, length {}{}",
                    i,
                    alt_hex(ety as u32, 6),
                    elen,
                    if evalid { "" } else { " (invalid)" }
                );
                if !evalid {
                    break;
                }
                // Names are padded to 32 bits.
                let padded = alen as u32 + elen.div_ceil(4) * 4;
                if tlen < padded || !p.has(d, padded as usize) {
                    return Ok(false);
                }
                let a = addr_str(p, d, alen)?;
                pr!(ctx, ", address {}, name \"", a);
                printn(ctx, tail(p, d + alen), elen as usize)?;
                ctx.push("\"");
                d += padded as usize;
                tlen -= padded;
            }
        }
        // Power information and unknown messages.
        _ => print_unknown_data(ctx, tail(p, d), "\n\t    ", tlen as usize),
    }
    Ok(true)
}

/// An OLSR packet; `p`: the captured UDP payload, `length` its length; `v6`: over IPv6.
pub fn olsr_print(ctx: &mut Ctx, p: &[u8], length: u32, v6: bool) -> PResult {
    ctx.protocol = "olsr";
    pr!(ctx, "OLSRv{}", if v6 { 6 } else { 4 });
    if length < 4 || !p.has(0, 4) {
        ctx.print_trunc();
        return Ok(());
    }
    let length = length.min(p.be_u16(0)? as u32);
    pr!(ctx, ", seq 0x{:04x}, length {}", p.be_u16(2)?, length);
    if ctx.vflag() < 1 {
        return Ok(());
    }
    let (alen, hlen) = if v6 { (16, 24) } else { (4, 12) };
    let mut o = 4usize;
    while o < length as usize {
        if !p.has(o, hlen) {
            ctx.print_trunc();
            return Ok(());
        }
        let ty = p.u8_at(o)?;
        let mlen = p.be_u16(o + 2)? as u32;
        let valid = mlen >= hlen as u32 && mlen <= length;
        // A zero type or length would loop for ever.
        if ty == 0 || mlen == 0 {
            return Ok(());
        }
        let orig = addr_str(p, o + 4, alen)?;
        pr!(
            ctx,
            "\n\t{} Message ({}), originator {}, ttl {}, hop {}\
             \n\t  vtime {:.3}s, msg-seq 0x{:04x}, length {}{}",
            name(MSG_VALUES, ty as u32, "Unknown"),
            alt_hex(ty as u32, 4),
            orig,
            p.u8_at(o + 4 + alen)?,
            p.u8_at(o + 5 + alen)?,
            me_to_secs(p.u8_at(o + 1)?),
            p.be_u16(o + 6 + alen)?,
            mlen,
            if valid { "" } else { " (invalid)" }
        );
        if !valid {
            return Ok(());
        }
        if !message_print(ctx, p, ty, o + hlen, mlen - hlen as u32, v6)? {
            ctx.print_trunc();
            return Ok(());
        }
        o += mlen as usize;
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
        run_marked(&opts(v, false), |ctx| {
            olsr_print(ctx, p, p.len() as u32, false)
        })
    }

    // Hello, Hello-LQ, TC and TC-LQ messages.
    const LINKS: &str = "00741234016b00240a000001ff010007000086030600000c0a0000020a000003010000080a\
        000004c96b001c0a000001ff010007000086030a00000c0a000002ff800000026b00180a000001ff0100070009\
        00000101010102020202ca6b00180a000001ff0100070009000001010101c8640000";
    // MID, HNA with smart gateways and a non-contiguous mask, name service, power info and
    // an unknown message.
    const OTHERS: &str = "00931234036b00140a000001ff0100070a0909090a080808046b00340a000001ff0100070a\
        000000ff00000000000000001f8affc0a80000ff00ff000000000000020102ac100000ffff0000826b002c0a00\
        0001ff01000700010002000100050a000001686f737431000000000200040a00000273766332806b000f0a0000\
        01ff010007010203636b000c0a000001ff010007";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn messages() {
        assert_eq!(run(0, &hex(LINKS)), "OLSRv4, seq 0x1234, length 116");
        assert_eq!(
            run(1, &hex(LINKS)),
            "OLSRv4, seq 0x1234, length 116\
             \n\tHello Message (0x01), originator 10.0.0.1, ttl 255, hop 1\
             \n\t  vtime 176.000s, msg-seq 0x0007, length 36\
             \n\t  hello-time 6.000s, MPR willingness 3\
             \n\t    link-type Symmetric, neighbor-type Symmetric, len 12\
             \n\t      neighbor\n\t\t10.0.0.2 10.0.0.3 \
             \n\t    link-type Asymmetric, neighbor-type Not-Neighbor, len 8\
             \n\t      neighbor\n\t\t10.0.0.4 \
             \n\tHello-LQ Message (0xc9), originator 10.0.0.1, ttl 255, hop 1\
             \n\t  vtime 176.000s, msg-seq 0x0007, length 28\
             \n\t  hello-time 6.000s, MPR willingness 3\
             \n\t    link-type Symmetric, neighbor-type Symmetric-MPR, len 12\
             \n\t      neighbor 10.0.0.2, link-quality 100.00%, neighbor-link-quality 50.20%\
             \n\tTC Message (0x02), originator 10.0.0.1, ttl 255, hop 1\
             \n\t  vtime 176.000s, msg-seq 0x0007, length 24\
             \n\t    advertised neighbor seq 0x0009\
             \n\t      neighbor\n\t\t1.1.1.1 2.2.2.2 \
             \n\tTC-LQ Message (0xca), originator 10.0.0.1, ttl 255, hop 1\
             \n\t  vtime 176.000s, msg-seq 0x0007, length 24\
             \n\t    advertised neighbor seq 0x0009\
             \n\t      neighbor 1.1.1.1, link-quality 78.43%, neighbor-link-quality 39.22%"
        );
        let v = run(1, &hex(OTHERS));
        assert!(v.contains(
            "\n\t  Advertised networks (total 5)\
             \n\t    10.0.0.0/8, Smart-Gateway: LINKSPEED IPV4 IPV4-NAT IPV6 IPv6-PREFIX \
             1800/320000000, 192.168.0.0/4294967295, Smart-Gateway: IPV4 0/0\
             \n\t    172.16.0.0/16\n"
        ));
        assert!(v.contains(
            "\n\t  Version 1, Entries 2\
             \n\t    #0: type 0x0001, length 5, address 10.0.0.1, name \"host1\"\
             \n\t    #1: type 0x0002, length 4, address 10.0.0.2, name \"svc2\"\n"
        ));
        assert!(v.ends_with("length 15\n\t    0x0000:  0102 03\n\tUnknown Message (0x63), originator 10.0.0.1, ttl 255, hop 1\n\t  vtime 176.000s, msg-seq 0x0007, length 12"));
    }

    #[test]
    fn encodings() {
        assert_eq!(me_to_secs(0x6b), 176.0);
        assert_eq!(gw_speed(0x8a), 1800);
        assert_eq!(alt_hex(0, 6), "000000");
        assert_eq!(alt_hex(1, 6), "0x0001");
        assert_eq!(mask6_plen(&[0xff, 0xff, 0xf0, 0, 1]), 20);
    }

    #[test]
    fn truncated_at_every_offset() {
        for m in [LINKS, OTHERS] {
            let p = hex(m);
            for v6 in [false, true] {
                assert_every_truncation_is_safe(&p, &verbosities(1), |ctx, q| {
                    olsr_print(ctx, q, p.len() as u32, v6)
                });
            }
            for n in 0..p.len() {
                let out = run_marked(&opts(1, false), |ctx| {
                    olsr_print(ctx, &p[..n], p.len() as u32, false)
                });
                assert!(out.ends_with(" [|olsr]"), "{n}: {out}");
            }
        }
    }
}
