//! AHCP, the Ad-Hoc Configuration Protocol version 1 (draft-chroboczek-ahcp-00, the protocol of
//! the ahcpd daemon), UDP port 5359: header, message and, with `-vv`, options; tcpdump's
//! print-ahcp.c.

use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const MAGIC: u8 = 43;
const HEADER_FIX_LEN: u32 = 24;
const BODY_MIN_LEN: u32 = 4;

const MSG_VALUES: &[(u32, &str)] = &[
    (0, "Discover"),
    (1, "Offer"),
    (2, "Request"),
    (3, "Ack"),
    (4, "Nack"),
    (5, "Release"),
];

const OPT_PAD: u8 = 0;
const OPT_MANDATORY: u8 = 1;

const OPT_VALUES: &[(u32, &str)] = &[
    (0, "Pad"),
    (1, "Mandatory"),
    (2, "Origin Time"),
    (3, "Expires"),
    (4, "My-IPv6-Address"),
    (5, "My-IPv4-Address"),
    (6, "IPv6 Prefix"),
    (7, "IPv4 Prefix"),
    (8, "IPv6 Address"),
    (9, "IPv4 Address"),
    (10, "IPv6 Prefix Delegation"),
    (11, "IPv4 Prefix Delegation"),
    (12, "Name Server"),
    (13, "NTP Server"),
];

/// How an option's value is decoded.
#[derive(Clone, Copy)]
enum Value {
    /// Seconds since 1970, printed as a UTC date.
    Time,
    Seconds,
    /// A list of addresses (4 or 16 octets), or of prefixes (address and length octet).
    Addresses(usize),
    Prefixes(usize),
}

fn value_kind(opt: u8) -> Option<Value> {
    use Value::*;
    Some(match opt {
        2 => Time,
        3 => Seconds,
        4 | 8 | 12 | 13 => Addresses(16),
        5 | 9 => Addresses(4),
        6 | 10 => Prefixes(16),
        11 => Prefixes(4),
        // IPv4 Prefix (7) has no decoder in tcpdump.
        _ => return None,
    })
}

/// `YYYY-MM-DD HH:MM:SS` of a UTC time in seconds since 1970.
fn utc_str(t: u32) -> String {
    let days = (t / 86_400) as i64;
    let secs = t % 86_400;
    // Days to a civil date (proleptic Gregorian), counting from 0000-03-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        year,
        month,
        day,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn addr_str(a: &[u8]) -> String {
    let mut s = String::new();
    crate::addr::push_ip(&mut s, a);
    s
}

/// ` (invalid)`, then the bytes not decoded must still be captured.
fn invalid(ctx: &mut Ctx, p: &[u8], off: usize, len: usize) -> PResult {
    ctx.print_invalid();
    p.sub(off, len)?;
    Ok(())
}

/// One option value of `len` octets at `off`.
fn value_print(ctx: &mut Ctx, kind: Value, p: &[u8], off: usize, len: usize) -> PResult {
    match kind {
        Value::Time | Value::Seconds => {
            if len != 4 {
                return invalid(ctx, p, off, len);
            }
            let t = p.be_u32(off)?;
            match kind {
                Value::Time => pr!(ctx, ": {} UTC", utc_str(t)),
                _ => pr!(ctx, ": {}s", t),
            }
        }
        Value::Addresses(size) | Value::Prefixes(size) => {
            let item = if matches!(kind, Value::Prefixes(_)) {
                size + 1
            } else {
                size
            };
            let mut sep = ": ";
            let (mut o, mut left) = (off, len);
            while left != 0 {
                if left < item {
                    return invalid(ctx, p, o, left);
                }
                let a = addr_str(p.sub(o, size)?);
                if item > size {
                    pr!(ctx, "{}{}/{}", sep, a, p.u8_at(o + size)?);
                } else {
                    pr!(ctx, "{}{}", sep, a);
                }
                o += item;
                left -= item;
                sep = ", ";
            }
        }
    }
    Ok(())
}

/// The options of a message body (`len` octets at `off`).
fn options_print(ctx: &mut Ctx, p: &[u8], off: usize, len: usize) -> PResult {
    let (mut o, mut left) = (off, len);
    while left != 0 {
        let opt = p.u8_at(o)?;
        o += 1;
        left -= 1;
        ctx.push("\n\t ");
        tok2str(ctx.out, OPT_VALUES, "Unknown-{}", opt as u32);
        if opt == OPT_PAD || opt == OPT_MANDATORY {
            continue;
        }
        if left == 0 {
            return invalid(ctx, p, o, left);
        }
        let olen = p.u8_at(o)? as usize;
        o += 1;
        left -= 1;
        if olen > left {
            return invalid(ctx, p, o, left);
        }
        match value_kind(opt) {
            Some(kind) => value_print(ctx, kind, p, o, olen)?,
            None => {
                pr!(ctx, " (Length {})", olen);
                p.sub(o, olen)?;
            }
        }
        o += olen;
        left -= olen;
    }
    Ok(())
}

/// The message after the fixed header: type, length and options.
fn body_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32) -> PResult {
    if len < BODY_MIN_LEN {
        return invalid(ctx, p, off, len as usize);
    }
    let ty = p.u8_at(off)?;
    let mbz = p.u8_at(off + 1)?;
    let body_len = p.be_u16(off + 2)? as u32;
    let len = len - 4;
    if ctx.vflag() > 0 {
        ctx.push("\n\t");
        tok2str(ctx.out, MSG_VALUES, "Unknown-{}", ty as u32);
        if mbz != 0 {
            pr!(ctx, ", MBZ {}", mbz);
        }
        pr!(ctx, ", Length {}", body_len);
    }
    if body_len > len {
        return invalid(ctx, p, off + 4, len as usize);
    }
    // Only the body's own length counts; extra data is ignored.
    if ctx.vflag() >= 2 {
        options_print(ctx, p, off + 4, body_len as usize)
    } else {
        p.sub(off + 4, body_len as usize)?;
        Ok(())
    }
}

/// An AHCP packet; `p`: the captured UDP payload, `len` its length.
pub fn ahcp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "ahcp";
    ctx.push("AHCP");
    if len < 2 || p.u8_at(0)? != MAGIC {
        // tcpdump checks the magic of a packet too short for it as well.
        return invalid(ctx, p, 0, len as usize);
    }
    let version = p.u8_at(1)?;
    let len = len - 2;
    if version != 1 {
        pr!(ctx, " Version {} (unknown)", version);
        p.sub(2, len as usize)?;
        return Ok(());
    }
    ctx.push(" Version 1");
    if len < HEADER_FIX_LEN - 2 {
        return invalid(ctx, p, 2, len as usize);
    }
    if ctx.vflag() == 0 {
        p.sub(2, (HEADER_FIX_LEN - 2) as usize)?;
    } else {
        pr!(ctx, "\n\tHopcount {}", p.u8_at(2)?);
        pr!(ctx, ", Original Hopcount {}", p.u8_at(3)?);
        pr!(ctx, ", Nonce 0x{:08x}", p.be_u32(4)?);
        for (what, off) in [(", Source Id ", 8), (", Destination Id ", 16)] {
            let id = p.sub(off, 8)?;
            ctx.push(what);
            for (i, b) in id.iter().enumerate() {
                if i > 0 {
                    ctx.out.push(':');
                }
                pr!(ctx, "{:02x}", b);
            }
        }
    }
    body_print(ctx, p, HEADER_FIX_LEN as usize, len - (HEADER_FIX_LEN - 2))
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
        run_marked(&opts(v, false), |ctx| ahcp_print(ctx, p, p.len() as u32))
    }

    // An Offer with every option type, an unknown one and an Expires of the wrong size.
    const OFFER: &str = "2b010102deadbeef0001020304050607ffffffffffffffff010000b3000102044d7c6d00\
        030400000e10042020010db800000000000000000000000120010db800000000000000000000000205040a00\
        0001061120010db80000000000000000000000004007050a000000080810fe8000000000000000000000000000\
        01090801020304050607080a1120010db8000100000000000000000000300b05ac1000000c0c1020010db800\
        00000000000000000000530d1020010db8000000000000000000000123630378797a03020102";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn offer_at_each_verbosity() {
        let p = hex(OFFER);
        assert_eq!(run(0, &p), "AHCP Version 1");
        let head = "AHCP Version 1\
            \n\tHopcount 1, Original Hopcount 2, Nonce 0xdeadbeef, Source Id \
            00:01:02:03:04:05:06:07, Destination Id ff:ff:ff:ff:ff:ff:ff:ff\
            \n\tOffer, Length 179";
        assert_eq!(run(1, &p), head);
        assert_eq!(
            run(2, &p),
            format!(
                "{head}\n\t Pad\n\t Mandatory\
                 \n\t Origin Time: 2011-03-13 07:06:40 UTC\
                 \n\t Expires: 3600s\
                 \n\t My-IPv6-Address: 2001:db8::1, 2001:db8::2\
                 \n\t My-IPv4-Address: 10.0.0.1\
                 \n\t IPv6 Prefix: 2001:db8::/64\
                 \n\t IPv4 Prefix (Length 5)\
                 \n\t IPv6 Address: fe80::1\
                 \n\t IPv4 Address: 1.2.3.4, 5.6.7.8\
                 \n\t IPv6 Prefix Delegation: 2001:db8:1::/48\
                 \n\t IPv4 Prefix Delegation: 172.16.0.0/12\
                 \n\t Name Server: 2001:db8::53\
                 \n\t NTP Server: 2001:db8::123\
                 \n\t Unknown-99 (Length 3)\
                 \n\t Expires (invalid)"
            )
        );
    }

    #[test]
    fn dates() {
        assert_eq!(utc_str(0), "1970-01-01 00:00:00");
        assert_eq!(utc_str(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(utc_str(u32::MAX), "2106-02-07 06:28:15");
    }

    #[test]
    fn truncated_at_every_offset() {
        let p = hex(OFFER);
        assert_every_truncation_is_safe(&p, &verbosities(2), |ctx, q| {
            ahcp_print(ctx, q, p.len() as u32)
        });
        for n in 0..p.len() {
            let out = run_marked(&opts(2, false), |ctx| {
                ahcp_print(ctx, &p[..n], p.len() as u32)
            });
            assert!(out.ends_with(" [|ahcp]"), "{n}: {out}");
        }
    }
}
