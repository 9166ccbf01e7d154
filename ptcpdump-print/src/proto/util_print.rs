//! String and raw-data helpers shared by the protocol printers (tcpdump's util-print.c:
//! `fn_print_char`, `nd_printn`, `nd_printjnp`, `nd_printztn`, `print_unknown_data`).

use super::Ctx;
use crate::cursor::{Bytes, PResult};

/// `fn_print_char`: a byte as tcpdump shows untrusted text (`M-` for 8-bit, `^X` for control).
pub fn push_char(out: &mut String, c: u8) {
    let mut c = c;
    if !c.is_ascii() {
        c &= 0x7f;
        out.push_str("M-");
    }
    if !(0x20..0x7f).contains(&c) {
        c ^= 0x40;
        out.push('^');
    }
    out.push(c as char);
}

/// The captured bytes of `p` from `off` on; empty when `off` is past the capture, so that the
/// printer called on them reports the truncation with its own protocol name.
#[inline]
pub fn tail(p: &[u8], off: usize) -> &[u8] {
    p.get(off..).unwrap_or(&[])
}

/// Bytes still captured after `off` (tcpdump's `ND_BYTES_AVAILABLE_AFTER`).
#[inline]
pub fn avail(p: &[u8], off: usize) -> u32 {
    p.len().saturating_sub(off) as u32
}

/// `nd_printn(s, n, NULL)`: `n` bytes, all of which must be captured.
pub fn printn(ctx: &mut Ctx, s: &[u8], n: usize) -> PResult {
    for i in 0..n {
        let c = s.u8_at(i)?;
        push_char(ctx.out, c);
    }
    Ok(())
}

/// `nd_printn(s, n, snapend)`: up to `n` bytes, stopping quietly at the end of the capture.
/// Returns true when it stopped early.
pub fn printn_snap(ctx: &mut Ctx, s: &[u8], n: usize) -> bool {
    for &c in s.iter().take(n) {
        push_char(ctx.out, c);
    }
    s.len() < n
}

/// `nd_printjnp`: at most `n` bytes, up to the first NUL; the bytes must be captured.
pub fn printjnp(ctx: &mut Ctx, s: &[u8], n: usize) -> PResult {
    for i in 0..n {
        let c = s.u8_at(i)?;
        if c == 0 {
            break;
        }
        push_char(ctx.out, c);
    }
    Ok(())
}

/// `nd_printztn(s, n, snapend)`: a NUL-terminated string of at most `n` bytes. Returns the
/// bytes consumed including the NUL, or 0 when no NUL was found within `n` bytes or the
/// capture (tcpdump's "truncated").
pub fn printztn(ctx: &mut Ctx, s: &[u8], n: usize) -> usize {
    let mut bytes = 0;
    loop {
        if bytes == n || bytes >= s.len() {
            return 0;
        }
        let c = s[bytes];
        bytes += 1;
        if c == 0 {
            return bytes;
        }
        push_char(ctx.out, c);
    }
}

/// `print_unknown_data`: a hex dump (`-x` style) of at most `len` bytes, clipped to the
/// capture.
pub fn print_unknown_data(ctx: &mut Ctx, cp: &[u8], ident: &str, len: usize) {
    let n = len.min(cp.len());
    let _ = crate::dump::hex_print(ctx.out, ident, cp, n, 0);
}

/// `print_unknown_data` on `p[off..]`, including tcpdump's complaint when `off` is already past
/// the end of the capture; returns false after that complaint (tcpdump's return value 0).
pub fn print_unknown_data_at(ctx: &mut Ctx, p: &[u8], off: usize, ident: &str, len: usize) -> bool {
    match p.get(off..) {
        Some(cp) => {
            print_unknown_data(ctx, cp, ident, len);
            true
        }
        None => {
            ctx.push(ident);
            ctx.push("Dissector error: print_unknown_data called with pointer past end of packet");
            false
        }
    }
}

/// C's `printf("%.<prec>g", v)`: the shorter of fixed and exponent notation for `prec`
/// significant digits, trailing zeros removed (glibc's spelling of infinities and NaNs).
pub fn fmt_g(v: f64, prec: usize) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    let p = prec.max(1);
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // The exponent after rounding to `p` significant digits decides the notation.
    let e_form = format!("{:.*e}", p - 1, v);
    let (mant, exp) = e_form.split_once('e').unwrap_or((&e_form, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    let strip = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if x >= -4 && x < p as i32 {
        strip(&format!("{:.*}", (p as i32 - 1 - x) as usize, v))
    } else {
        format!(
            "{}e{}{:02}",
            strip(mant),
            if x < 0 { '-' } else { '+' },
            x.unsigned_abs()
        )
    }
}

/// `PLURAL_SUFFIX`.
#[inline]
pub fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn with_ctx(f: impl FnOnce(&mut Ctx)) -> String {
        run_with(&opts(0, false), f).0
    }

    #[test]
    fn chars_are_escaped_like_tcpdump() {
        let mut s = String::new();
        for c in [b'a', b'\n', 0, 0x7f, 0xe9, 0x8a] {
            push_char(&mut s, c);
        }
        assert_eq!(s, "a^J^@^?M-iM-^J");
    }

    #[test]
    fn printf_g() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (1.0, "1"),
            (100.0, "100"),
            (1234567890123.0, "1.23456789e+12"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (12.5, "12.5"),
            (f32::from_bits(0x4cbebc20) as f64 / 125000.0, "800"),
            (1.0 / 3.0, "0.3333333333"),
            (9999999999.5, "1e+10"),
            (f64::INFINITY, "inf"),
        ];
        for (v, want) in cases {
            assert_eq!(fmt_g(*v, 10), *want, "{v}");
        }
    }

    #[test]
    fn strings() {
        let out = with_ctx(|ctx| {
            assert_eq!(printztn(ctx, b"ab\0cd", 5), 3);
            assert_eq!(printztn(ctx, b"cd", 5), 0);
            assert!(printjnp(ctx, b"xy\0z", 4).is_ok());
            assert!(printjnp(ctx, b"xy", 4).is_err());
        });
        assert_eq!(out, "abcdxyxy");
    }
}
