//! RIP version 1 (RFC 1058) and 2 (RFC 2453), UDP port 520, with simple (RFC 2453) and
//! cryptographic (RFC 4822) authentication entries; tcpdump's print-rip.c.
//!
//! Without `-v` only the version, command and length are printed; `-vv` adds a hex dump of
//! the whole message.

use super::util_print::{print_unknown_data, printjnp, tail};
use super::{Ctx, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: u32 = 4;
const ROUTE_LEN: u32 = 20;
const AUTH_LEN: usize = 16;

const CMD_REQUEST: u8 = 1;
const CMD_RESPONSE: u8 = 2;
const CMD_TRACEOFF: u8 = 4;
const CMD_POLL: u8 = 5;
const CMD_POLLENTRY: u8 = 6;

const CMD_VALUES: &[(u32, &str)] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Trace on"),
    (4, "Trace off"),
    (5, "Poll"),
    (6, "Poll Entry"),
];

/// BSD address family numbers (what RIP carries; tcpdump's `bsd_af_values`).
const BSD_AF_VALUES: &[(u32, &str)] = &[
    (2, "IPv4"),
    (6, "NS"),
    (7, "ISO"),
    (16, "Appletalk"),
    (23, "IPX"),
    (24, "IPv6"),
    (28, "IPv6"),
    (30, "IPv6"),
];

const AF_INET: u16 = 2;

/// The prefix length of a contiguous netmask, -1 when it is not one (`mask2plen`).
fn mask2plen(mask: u32) -> i32 {
    let ones = mask.leading_ones();
    if ones == 32 || mask << ones == 0 {
        ones as i32
    } else {
        -1
    }
}

fn af_str(family: u16, default: &str) -> String {
    match tok(BSD_AF_VALUES, family as u32) {
        Some(n) => n.into(),
        None => default.replace("{}", &family.to_string()),
    }
}

fn ipv4_str(p: &[u8], off: usize) -> PResult<String> {
    let mut s = String::new();
    crate::addr::push_ipv4(&mut s, p.sub(off, 4)?);
    Ok(s)
}

/// A RIPv1 route entry at `p` (`remaining` octets left). Returns its size, 0 when it is cut.
fn entry_v1(ctx: &mut Ctx, p: &[u8], remaining: u32) -> PResult<u32> {
    if remaining < ROUTE_LEN || !p.has(0, ROUTE_LEN as usize) {
        return Ok(0);
    }
    let family = p.be_u16(0)?;
    if family != AF_INET && family != 0 {
        pr!(ctx, "\n\t AFI {}, ", af_str(family, "Unknown ({})"));
        print_unknown_data(ctx, tail(p, 4), "\n\t  ", 16);
        return Ok(ROUTE_LEN);
    }
    // Fields that must be zero in version 1.
    if p.be_u16(2)? != 0 || p.be_u32(8)? != 0 || p.be_u32(12)? != 0 {
        print_unknown_data(ctx, p, "\n\t  ", ROUTE_LEN as usize);
        return Ok(ROUTE_LEN);
    }
    let dest = ipv4_str(p, 4)?;
    let metric = p.be_u32(16)?;
    if family == 0 {
        pr!(ctx, "\n\t  AFI 0, {}, metric: {}", dest, metric);
    } else {
        pr!(ctx, "\n\t  {}, metric: {}", dest, metric);
    }
    Ok(ROUTE_LEN)
}

/// A RIPv2 entry: a route or an authentication entry. Returns its size, 0 when it is cut.
fn entry_v2(ctx: &mut Ctx, p: &[u8], remaining: u32) -> PResult<u32> {
    if remaining < 4 || !p.has(0, 4) {
        return Ok(0);
    }
    let family = p.be_u16(0)?;
    if family == 0xffff {
        let auth_type = p.be_u16(2)?;
        let a = tail(p, 4);
        let remaining = remaining - 4;
        match auth_type {
            2 => {
                ctx.push("\n\t  Simple Text Authentication data: ");
                printjnp(ctx, a, AUTH_LEN)?;
            }
            3 => {
                if !a.has(0, 16) || remaining < 16 {
                    return Ok(0);
                }
                ctx.push("\n\t  Auth header:");
                pr!(ctx, " Packet Len {},", a.be_u16(0)?);
                pr!(ctx, " Key-ID {},", a.u8_at(2)?);
                pr!(ctx, " Auth Data Len {},", a.u8_at(3)?);
                pr!(ctx, " SeqNo {},", a.be_u32(4)?);
                pr!(ctx, " MBZ {},", a.be_u32(8)?);
                pr!(ctx, " MBZ {}", a.be_u32(12)?);
            }
            // The trailer and unknown authentication data run to the end of the packet.
            1 => {
                ctx.push("\n\t  Auth trailer:");
                print_unknown_data(ctx, a, "\n\t  ", remaining as usize);
                return Ok(4 + remaining);
            }
            t => {
                pr!(ctx, "\n\t  Unknown ({}) Authentication data:", t);
                print_unknown_data(ctx, a, "\n\t  ", remaining as usize);
                return Ok(4 + remaining);
            }
        }
    } else if family != AF_INET && family != 0 {
        pr!(ctx, "\n\t  AFI {}", af_str(family, "Unknown ({})"));
        print_unknown_data(ctx, tail(p, 4), "\n\t  ", 16);
    } else {
        if !p.has(0, ROUTE_LEN as usize) || remaining < ROUTE_LEN {
            return Ok(0);
        }
        pr!(
            ctx,
            "\n\t  AFI {}, {:>15}/{:<2}, tag 0x{:04x}, metric: {}, next-hop: ",
            af_str(family, "{}"),
            ipv4_str(p, 4)?,
            mask2plen(p.be_u32(8)?),
            p.be_u16(2)?,
            p.be_u32(16)?
        );
        if p.be_u32(12)? != 0 {
            ctx.ip(p.sub(12, 4)?);
        } else {
            ctx.push("self");
        }
    }
    Ok(ROUTE_LEN)
}

/// A RIP message; `p`: the captured UDP payload, `length` its length.
pub fn rip_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "rip";
    let mut len = (p.len() as u32).min(length);
    if len < HDR_LEN {
        ctx.print_trunc();
        return Ok(());
    }
    len -= HDR_LEN;
    let vers = p.u8_at(1)?;
    pr!(
        ctx,
        "{}RIPv{}",
        if ctx.vflag() >= 1 { "\n\t" } else { "" },
        vers
    );
    // Version 0 is machine specific (RFC 1058 section 3.1): dump it.
    if vers == 0 {
        print_unknown_data(ctx, p, "\n\t", length as usize);
        return Ok(());
    }
    let cmd = p.u8_at(0)?;
    ctx.push(", ");
    tok2str(ctx.out, CMD_VALUES, "unknown command ({})", cmd as u32);
    pr!(ctx, ", length: {}", length);
    if ctx.vflag() < 1 {
        return Ok(());
    }
    match cmd {
        CMD_REQUEST | CMD_RESPONSE => {
            let entry: fn(&mut Ctx, &[u8], u32) -> PResult<u32> = match vers {
                1 => {
                    pr!(ctx, ", routes: {}", length / ROUTE_LEN);
                    entry_v1
                }
                2 => {
                    pr!(ctx, ", routes: {} or less", length / ROUTE_LEN);
                    entry_v2
                }
                _ => {
                    ctx.push(", unknown version");
                    |_, _, _| Ok(0)
                }
            };
            if vers == 1 || vers == 2 {
                let mut o = HDR_LEN as usize;
                while len != 0 {
                    let size = entry(ctx, tail(p, o), len)?;
                    if size == 0 {
                        ctx.print_trunc();
                        break;
                    }
                    if len < size {
                        pr!(ctx, " [remaining entries length {} < {}]", len, size);
                        ctx.print_invalid();
                        break;
                    }
                    o += size as usize;
                    len -= size;
                }
            }
        }
        CMD_TRACEOFF | CMD_POLL | CMD_POLLENTRY => {}
        // Trace on and unknown commands.
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data(ctx, p, "\n\t", length as usize);
            }
        }
    }
    if ctx.vflag() > 1 {
        print_unknown_data(ctx, p, "\n\t", length as usize);
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
        run_marked(&opts(v, false), |ctx| rip_print(ctx, p, p.len() as u32))
    }

    // RIPv2 response: simple password, a route, a route with a non-contiguous mask, an IPv6
    // (unsupported family) entry.
    const SIMPLE: &str = "02020000ffff000273656372657400000000000000000000000200070a000000ffffff00\
        0000000000000001000000000a010000ff00ff000a000009000000100018000001020304000000000000000000\
        000001";
    // RIPv2 response with a cryptographic authentication header and trailer.
    const CRYPTO: &str = "02020000ffff00030028011000000063000000000000000000020000c0a80000ffff0000\
        0000000000000002ffff000178787878787878787878787878787878";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn responses() {
        assert_eq!(run(0, &hex(SIMPLE)), "RIPv2, Response, length: 84");
        assert_eq!(
            run(1, &hex(SIMPLE)),
            "\n\tRIPv2, Response, length: 84, routes: 4 or less\
             \n\t  Simple Text Authentication data: secret\
             \n\t  AFI IPv4,        10.0.0.0/24, tag 0x0007, metric: 1, next-hop: self\
             \n\t  AFI 0,        10.1.0.0/-1, tag 0x0000, metric: 16, next-hop: 10.0.0.9\
             \n\t  AFI IPv6\
             \n\t  0x0000:  0102 0304 0000 0000 0000 0000 0000 0001"
        );
        assert_eq!(
            run(1, &hex(CRYPTO)),
            "\n\tRIPv2, Response, length: 64, routes: 3 or less\
             \n\t  Auth header: Packet Len 40, Key-ID 1, Auth Data Len 16, SeqNo 99, MBZ 0, MBZ 0\
             \n\t  AFI IPv4,     192.168.0.0/16, tag 0x0000, metric: 2, next-hop: self\
             \n\t  Auth trailer:\
             \n\t  0x0000:  7878 7878 7878 7878 7878 7878 7878 7878"
        );
    }

    #[test]
    fn masks() {
        assert_eq!(mask2plen(0), 0);
        assert_eq!(mask2plen(0xffff_ff00), 24);
        assert_eq!(mask2plen(u32::MAX), 32);
        assert_eq!(mask2plen(0xff00_ff00), -1);
    }

    #[test]
    fn truncated_at_every_offset() {
        for m in [SIMPLE, CRYPTO] {
            let p = hex(m);
            assert_every_truncation_is_safe(&p, &verbosities(2), |ctx, q| {
                rip_print(ctx, q, p.len() as u32)
            });
        }
        // A cut header or route entry ends the list with the marker; a message cut right
        // after its header just has no entries, and one cut after the password is short (as
        // in tcpdump).
        let p = hex(SIMPLE);
        assert!(!run(1, &p[..4]).contains("[|rip]"));
        for n in (0..4).chain(5..15).chain(25..44) {
            let out = run_marked(&opts(1, false), |ctx| rip_print(ctx, &p[..n], 84));
            assert!(out.ends_with(" [|rip]"), "{n}: {out}");
        }
    }
}
