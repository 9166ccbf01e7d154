//! The RPKI to Router protocol version 0 (RFC 6810), TCP port 323: serial notify/query,
//! reset query, cache response/reset, IPv4/IPv6 prefixes, end of data and error reports
//! (with the erroneous PDU decoded one level deep); tcpdump's print-rpki-rtr.c.
//!
//! Without `-v` only `, RPKI-RTR` is printed; `-vv` adds a hex dump of each PDU.

use super::util_print::{print_unknown_data, printn, tail};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: u32 = 8;

const SERIAL_NOTIFY: u8 = 0;
const SERIAL_QUERY: u8 = 1;
const RESET_QUERY: u8 = 2;
const CACHE_RESPONSE: u8 = 3;
const IPV4_PREFIX: u8 = 4;
const IPV6_PREFIX: u8 = 6;
const END_OF_DATA: u8 = 7;
const CACHE_RESET: u8 = 8;
const ERROR_REPORT: u8 = 10;

const PDU_VALUES: &[(u32, &str)] = &[
    (0, "Serial Notify"),
    (1, "Serial Query"),
    (2, "Reset Query"),
    (3, "Cache Response"),
    (4, "IPV4 Prefix"),
    (6, "IPV6 Prefix"),
    (7, "End of Data"),
    (8, "Cache Reset"),
    (10, "Error Report"),
];

const ERROR_CODES: &[(u32, &str)] = &[
    (0, "Corrupt Data"),
    (1, "Internal Error"),
    (2, "No Data Available"),
    (3, "Invalid Request"),
    (4, "Unsupported Protocol Version"),
    (5, "Unsupported PDU Type"),
    (6, "Withdrawal of Unknown Record"),
    (7, "Duplicate Announcement Received"),
];

/// A newline and `indent` columns (tabs of 8, then spaces).
fn indent_str(indent: u32) -> String {
    let mut s = String::from("\n");
    for _ in 0..indent / 8 {
        s.push('\t');
    }
    for _ in 0..indent % 8 {
        s.push(' ');
    }
    s
}

/// One PDU of at most `len` octets at `p`; returns the octets it takes. `recurse`: decode an
/// erroneous PDU inside an error report.
fn pdu_print(ctx: &mut Ctx, p: &[u8], len: u32, recurse: bool, indent: u32) -> PResult<u32> {
    let version = p.u8_at(0)?;
    if version != 0 {
        // Future versions cannot be skipped reliably: the rest is not decoded.
        pr!(ctx, "{}RPKI-RTRv{} (unknown)", indent_str(8), version);
        return Ok(len);
    }
    let invalid = |ctx: &mut Ctx| -> PResult<u32> {
        ctx.print_invalid();
        p.sub(0, len as usize)?;
        Ok(len)
    };
    if len < HDR_LEN {
        pr!(ctx, "({} bytes is too few to decode)", len);
        return invalid(ctx);
    }
    p.sub(0, HDR_LEN as usize)?;
    let ty = p.u8_at(1)?;
    let plen = p.be_u32(4)?;
    pr!(
        ctx,
        "{}RPKI-RTRv{}, {} PDU ({}), length: {}",
        indent_str(8),
        version,
        tok(PDU_VALUES, ty as u32).unwrap_or("Unknown"),
        ty,
        plen
    );
    if plen < HDR_LEN || plen > len {
        return invalid(ctx);
    }
    let field = indent_str(indent + 2);
    let mut hexdump = false;
    match ty {
        SERIAL_NOTIFY | SERIAL_QUERY | END_OF_DATA => {
            if plen != HDR_LEN + 4 {
                return invalid(ctx);
            }
            pr!(
                ctx,
                "{}Session ID: 0x{:04x}, Serial: {}",
                field,
                p.be_u16(2)?,
                p.be_u32(8)?
            );
        }
        RESET_QUERY | CACHE_RESET => {
            if plen != HDR_LEN {
                return invalid(ctx);
            }
        }
        CACHE_RESPONSE => {
            if plen != HDR_LEN {
                return invalid(ctx);
            }
            pr!(ctx, "{}Session ID: 0x{:04x}", field, p.be_u16(2)?);
        }
        IPV4_PREFIX | IPV6_PREFIX => {
            let alen = if ty == IPV4_PREFIX { 4 } else { 16 };
            if plen as usize != 16 + alen {
                return invalid(ctx);
            }
            let mut a = String::new();
            crate::addr::push_ip(&mut a, p.sub(12, alen)?);
            pr!(
                ctx,
                "{}IPv{} Prefix {}/{}-{}, origin-as {}, flags 0x{:02x}",
                field,
                if ty == IPV4_PREFIX { 4 } else { 6 },
                a,
                p.u8_at(9)?,
                p.u8_at(10)?,
                p.be_u32(12 + alen)?,
                p.u8_at(8)?
            );
        }
        ERROR_REPORT => {
            let mut tlen = HDR_LEN;
            if plen < tlen + 4 {
                return invalid(ctx);
            }
            p.sub(0, (tlen + 4) as usize)?;
            let encap = p.be_u32(8)?;
            tlen += 4;
            let code = p.be_u16(2)?;
            pr!(
                ctx,
                "{}Error code: {} ({}), Encapsulated PDU length: {}",
                field,
                tok(ERROR_CODES, code as u32).unwrap_or("Unknown"),
                code,
                encap
            );
            if encap != 0 {
                // Lengths are added in 32 bits, as tcpdump does.
                if plen < tlen.wrapping_add(encap) {
                    return invalid(ctx);
                }
                if recurse {
                    pr!(ctx, "{}-----encapsulated PDU-----", indent_str(indent + 4));
                    pdu_print(ctx, tail(p, tlen as usize), encap, false, indent + 2)?;
                } else {
                    p.sub(0, tlen.wrapping_add(encap) as usize)?;
                }
                tlen = tlen.wrapping_add(encap);
            }
            if plen < tlen.wrapping_add(4) {
                return invalid(ctx);
            }
            p.sub(0, tlen.wrapping_add(4) as usize)?;
            let text_len = p.be_u32(tlen as usize)?;
            tlen = tlen.wrapping_add(4);
            if text_len != 0 {
                if plen < tlen.wrapping_add(text_len) {
                    return invalid(ctx);
                }
                pr!(ctx, "{}Error text: ", field);
                printn(ctx, tail(p, tlen as usize), text_len as usize)?;
            }
        }
        _ => {
            p.sub(0, plen as usize)?;
            hexdump = true;
        }
    }
    if ctx.vflag() > 1 || (ctx.vflag() > 0 && hexdump) {
        print_unknown_data(ctx, p, "\n\t  ", plen as usize);
    }
    Ok(plen)
}

/// The PDUs of a TCP segment's payload `p` (`len` octets).
pub fn rpki_rtr_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "rpki_rtr";
    if ctx.vflag() == 0 {
        ctx.push(", RPKI-RTR");
        return Ok(());
    }
    let mut o = 0usize;
    let mut left = len;
    while left != 0 {
        let n = pdu_print(ctx, tail(p, o), left, true, 8)?;
        left -= n;
        o += n as usize;
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
            rpki_rtr_print(ctx, p, p.len() as u32)
        })
    }

    const PREFIXES: &str = "000400000000001401182000c00002000000fde800060000000000200030400020010db8\
        00000000000000000000000000000001000700050000000c000000020008000000000008";
    // An unknown PDU, then an error report holding an IPv4 prefix PDU.
    const ERRORS: &str = "000900000000000c61626364000a00030000002900000014000400000000001401182000c0\
        0002000000fde8000000056f6f707321";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn pdus() {
        assert_eq!(run(0, &hex(PREFIXES)), ", RPKI-RTR");
        assert_eq!(
            run(1, &hex(PREFIXES)),
            "\n\tRPKI-RTRv0, IPV4 Prefix PDU (4), length: 20\
             \n\t  IPv4 Prefix 192.0.2.0/24-32, origin-as 65000, flags 0x01\
             \n\tRPKI-RTRv0, IPV6 Prefix PDU (6), length: 32\
             \n\t  IPv6 Prefix 2001:db8::/48-64, origin-as 1, flags 0x00\
             \n\tRPKI-RTRv0, End of Data PDU (7), length: 12\
             \n\t  Session ID: 0x0005, Serial: 2\
             \n\tRPKI-RTRv0, Cache Reset PDU (8), length: 8"
        );
        assert_eq!(
            run(1, &hex(ERRORS)),
            "\n\tRPKI-RTRv0, Unknown PDU (9), length: 12\
             \n\t  0x0000:  0009 0000 0000 000c 6162 6364\
             \n\tRPKI-RTRv0, Error Report PDU (10), length: 41\
             \n\t  Error code: Invalid Request (3), Encapsulated PDU length: 20\
             \n\t    -----encapsulated PDU-----\
             \n\tRPKI-RTRv0, IPV4 Prefix PDU (4), length: 20\
             \n\t    IPv4 Prefix 192.0.2.0/24-32, origin-as 65000, flags 0x01\
             \n\t  Error text: oops!"
        );
        assert_eq!(run(1, &[1, 0]), "\n\tRPKI-RTRv1 (unknown)");
    }

    #[test]
    fn truncated_at_every_offset() {
        for m in [PREFIXES, ERRORS] {
            let p = hex(m);
            assert_every_truncation_is_safe(&p, &verbosities(2), |ctx, q| {
                rpki_rtr_print(ctx, q, p.len() as u32)
            });
            for n in 0..p.len() {
                let out = run_marked(&opts(1, false), |ctx| {
                    rpki_rtr_print(ctx, &p[..n], p.len() as u32)
                });
                assert!(out.ends_with(" [|rpki_rtr]"), "{n}: {out}");
            }
        }
    }
}
