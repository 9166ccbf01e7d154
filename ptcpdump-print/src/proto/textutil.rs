//! Offset-based text helpers after tcpdump's util-print.c (the printers using them keep a
//! whole message in one slice and walk it by offset, as DNS name compression requires):
//! safe character output, counted/NUL-terminated string printing from packet bytes,
//! relative-time formatting and value-to-name table lookups.
//!
//! Everything here writes into a `String` and never panics on short input: string printers
//! stop at the end of the captured bytes and report truncation to their caller.

use std::fmt::Write;

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult, Truncated};

/// A value-to-name table entry (tcpdump's `struct tok`).
pub type Tok = (u32, &'static str);

pub use super::tok;

/// tcpdump's `bittok2str` as a value (for use inside a larger format).
pub fn bittok(table: &[Tok], none: &str, v: u32, sep: &str) -> String {
    let mut s = String::new();
    super::bittok2str(&mut s, table, none, v, sep);
    s
}

pub use super::util_print::push_char as print_char;

/// tcpdump's `nd_printn`: up to `n` bytes from `off`, stopping at the end of `buf`.
/// Returns true when the end of the captured data came first.
pub fn printn(out: &mut String, buf: &[u8], off: usize, n: usize) -> bool {
    let mut n = n;
    let mut s = off;
    while n > 0 && s < buf.len() {
        print_char(out, buf[s]);
        s += 1;
        n -= 1;
    }
    n != 0
}

/// tcpdump's `nd_printztn`: a NUL-terminated string in a field of `n` bytes. Returns the
/// number of bytes used including the NUL, or 0 when no NUL was found within the field or
/// the captured data.
pub fn printztn(out: &mut String, buf: &[u8], off: usize, n: usize) -> usize {
    let mut bytes = 0;
    let mut n = n;
    let mut s = off;
    loop {
        if n == 0 || s >= buf.len() {
            return 0;
        }
        let c = buf[s];
        s += 1;
        bytes += 1;
        n -= 1;
        if c == 0 {
            return bytes;
        }
        print_char(out, c);
    }
}

/// tcpdump's `nd_printjnp`: up to `n` bytes or the first NUL; truncation is an error.
pub fn printjnp(out: &mut String, buf: &[u8], off: usize, n: usize) -> PResult {
    for i in 0..n {
        let c = buf.u8_at(off.checked_add(i).ok_or(Truncated)?)?;
        if c == 0 {
            break;
        }
        print_char(out, c);
    }
    Ok(())
}

/// tcpdump's `unsigned_relts_print`: seconds as `1y2w3d4h5m6s`, `0s` for zero.
pub fn relts(out: &mut String, secs: u32) {
    const UNITS: [(u32, &str); 6] = [
        (31_536_000, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    if secs == 0 {
        out.push_str("0s");
        return;
    }
    let mut secs = secs;
    for (len, unit) in UNITS {
        if secs >= len {
            let _ = write!(out, "{}{}", secs / len, unit);
            secs %= len;
        }
    }
}

/// tcpdump's `hex_print`: `len` bytes from `off` as hex lines of 16 bytes, each starting
/// with `indent`. Prints what was captured and reports truncation.
pub fn hex_print(out: &mut String, indent: &str, buf: &[u8], off: usize, len: usize) -> PResult {
    let data = buf.get(off..).unwrap_or(&[]);
    crate::dump::hex_print(out, indent, data, len, 0)
}

/// `print_unknown_data`: like [`hex_print`] but a short capture is not an error.
pub fn unknown_data(out: &mut String, indent: &str, buf: &[u8], off: usize, len: usize) {
    if off > buf.len() {
        let _ = write!(
            out,
            "{indent}Dissector error: print_unknown_data called with pointer past end of packet"
        );
        return;
    }
    let _ = hex_print(out, indent, buf, off, len.min(buf.len() - off));
}

/// IPv4 address text.
pub fn ipv4_str(a: [u8; 4]) -> String {
    let mut s = String::new();
    crate::addr::push_ipv4(&mut s, &a);
    s
}

/// IPv6 address text as tcpdump's `addrtostr6` writes it.
pub fn ipv6_str(a: [u8; 16]) -> String {
    let mut s = String::new();
    crate::addr::push_ipv6(&mut s, &a);
    s
}

/// Longest command or response-code token `txtproto_print` looks at (tcpdump's MAX_TOKEN).
const MAX_TOKEN: usize = 128;

/// `fetch_token`: the printable token starting at `idx` (ended by white space), and the index
/// of the next token on the same line; `None` when there is no valid token.
fn fetch_token(p: &[u8], idx: usize, len: usize) -> Option<(&[u8], usize)> {
    let start = idx;
    let mut idx = idx;
    while idx < len {
        let c = *p.get(idx)?;
        if !c.is_ascii() {
            return None;
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        if !(0x20..0x7f).contains(&c) || idx - start + 2 > MAX_TOKEN + 1 {
            return None;
        }
        idx += 1;
    }
    if idx == start {
        return None;
    }
    let token = &p[start..idx];
    while idx < len {
        let Some(&c) = p.get(idx) else { break };
        if c == b'\r' || c == b'\n' || !(0x20..0x7f).contains(&c) || (c != b' ' && c != b'\t') {
            break;
        }
        idx += 1;
    }
    Some((token, idx))
}

/// `print_txt_line`: the line at `idx` (ended by LF or CRLF) after `prefix`; returns the index
/// after the line end, or 0 when the line holds binary data or has no end (the latter is
/// printed and marked truncated).
fn print_txt_line(ctx: &mut Ctx, prefix: &str, p: &[u8], idx: usize, len: usize) -> PResult<usize> {
    let start = idx;
    let mut idx = idx;
    while idx < len {
        let c = p.u8_at(idx)?;
        if c == b'\n' {
            ctx.push(prefix);
            push_text(ctx.out, &p[start..idx]);
            return Ok(idx + 1);
        } else if c == b'\r' {
            if idx + 1 >= len {
                return Ok(0);
            }
            if p.u8_at(idx + 1)? == b'\n' {
                ctx.push(prefix);
                push_text(ctx.out, &p[start..idx]);
                return Ok(idx + 2);
            }
            return Ok(0);
        } else if !(0x20..0x7f).contains(&c) && c != b'\t' {
            return Ok(0);
        }
        idx += 1;
    }
    ctx.push(prefix);
    push_text(ctx.out, &p[start..idx]);
    ctx.print_trunc();
    Ok(0)
}

/// Bytes already checked to be printable ASCII or tabs.
fn push_text(out: &mut String, b: &[u8]) {
    out.extend(b.iter().map(|&c| c as char));
}

/// `txtproto_print`: text protocols (HTTP, SIP, RTSP, FTP, SMTP, WHOIS). With `cmds`, only a
/// payload starting with one of them (case-insensitive) or with a 3-digit response code (the
/// second token when `resp_code_second`) is shown as text. Set `ctx.protocol` first: its
/// upper-case form names the protocol.
pub fn txtproto_print(
    ctx: &mut Ctx,
    p: &[u8],
    len: u32,
    cmds: Option<&[&str]>,
    resp_code_second: bool,
) -> PResult {
    let len = len as usize;
    let print_this = match cmds {
        None => true,
        Some(cmds) => match fetch_token(p, 0, len) {
            None => false,
            Some((token, idx)) => {
                let is_cmd = cmds
                    .iter()
                    .any(|c| c.as_bytes().eq_ignore_ascii_case(token));
                let code = if resp_code_second {
                    fetch_token(p, idx, len).map(|(t, _)| t)
                } else {
                    Some(token)
                };
                is_cmd || code.is_some_and(|t| t.len() == 3 && t.iter().all(u8::is_ascii_digit))
            }
        },
    };
    let name = ctx.protocol.to_ascii_uppercase();
    ctx.push(&name);
    if print_this {
        if ctx.vflag() > 0 {
            pr!(ctx, ", length: {}", len);
            let mut idx = 0;
            while idx < len {
                let eol = print_txt_line(ctx, "\n\t", p, idx, len)?;
                if eol == 0 {
                    break;
                }
                idx = eol;
            }
        } else {
            print_txt_line(ctx, ": ", p, 0, len)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relts_units() {
        let mut s = String::new();
        relts(&mut s, 0);
        s.push(' ');
        relts(&mut s, 3072);
        s.push(' ');
        relts(&mut s, 86400 + 7200 + 1);
        assert_eq!(s, "0s 51m12s 1d2h1s");
    }

    #[test]
    fn ipv6_text() {
        let p = |s: &str| s.parse::<std::net::Ipv6Addr>().unwrap().octets();
        assert_eq!(
            ipv6_str(p("2001:db8:85a3::8a2e:0:0")),
            "2001:db8:85a3::8a2e:0:0"
        );
        assert_eq!(ipv6_str(p("::")), "::");
        assert_eq!(ipv6_str(p("::1")), "::1");
        assert_eq!(ipv6_str(p("fe80::1:0:0:1")), "fe80::1:0:0:1");
        assert_eq!(ipv6_str(p("::ffff:1.2.3.4")), "::ffff:1.2.3.4");
        assert_eq!(ipv6_str(p("1:0:2:3:4:5:6:7")), "1:0:2:3:4:5:6:7");
        assert_eq!(ipv6_str(p("ff02::1:ffcc:e546")), "ff02::1:ffcc:e546");
    }

    #[test]
    fn chars_and_strings() {
        let mut s = String::new();
        print_char(&mut s, b'a');
        print_char(&mut s, 0x01);
        print_char(&mut s, 0xff);
        assert_eq!(s, "a^AM-^?");
        let mut s = String::new();
        assert!(printn(&mut s, b"abc", 1, 5));
        assert_eq!(s, "bc");
        let mut s = String::new();
        assert_eq!(printztn(&mut s, b"ab\0c", 0, 4), 3);
        assert_eq!(printztn(&mut s, b"ab", 0, 4), 0);
    }

    #[test]
    fn hex_lines() {
        let mut s = String::new();
        let data: Vec<u8> = (0..19).collect();
        assert!(hex_print(&mut s, "\n\t", &data, 0, 19).is_ok());
        assert_eq!(
            s,
            "\n\t0x0000:  0001 0203 0405 0607 0809 0a0b 0c0d 0e0f\n\t0x0010:  1011 12"
        );
        let mut s = String::new();
        assert!(hex_print(&mut s, " ", &data, 18, 4).is_err());
        assert_eq!(s, " 0x0000:  12");
    }
}
