//! REdis Serialization Protocol, RESP (<https://redis.io/docs/reference/protocol-spec/>,
//! version 2: simple strings, errors, integers, bulk strings, arrays and inline commands);
//! tcpdump's print-resp.c. TCP port 6379.
//!
//! ```text
//! +OK\r\n   -ERR text\r\n   :42\r\n   $5\r\nhello\r\n   *2\r\n<item><item>   PING\r\n
//! ```
//!
//! Several commands may be pipelined in one segment; each item is printed as ` "text"` (or
//! ` empty`, ` null`, ` invalid` ...). Any error ends the segment with ` [|resp]`.

use super::Ctx;
use super::util_print::printn_snap;
use crate::cursor::{Bytes, PResult};

/// tcpdump's `goto trunc` inside the RESP printers: the segment ends with ` [|resp]`.
struct Stop;

/// Reads return `Err(Err(Truncated))` past the capture (a longjmp), `Err(Ok(Stop))` for
/// tcpdump's local truncation.
type R<T> = Result<T, PResult<Stop>>;

fn byte(p: &[u8], off: usize) -> R<u8> {
    p.u8_at(off).map_err(Err)
}

const STOP: PResult<Stop> = Ok(Stop);

/// A RESP segment of `length` bytes at `p`.
pub fn resp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "resp";
    ctx.push(": RESP");
    let mut off = 0usize;
    let mut length = length as i64;
    while length > 0 {
        match parse(ctx, p.get(off..).unwrap_or(&[]), length) {
            Ok(n) => {
                off += n as usize;
                length -= n;
            }
            Err(Ok(Stop)) => {
                ctx.print_trunc();
                return Ok(());
            }
            Err(Err(e)) => return Err(e),
        }
    }
    Ok(())
}

/// One item at `p` (with `length` bytes left); returns the bytes it took.
fn parse(ctx: &mut Ctx, p: &[u8], length: i64) -> R<i64> {
    if length < 1 {
        return Err(STOP);
    }
    match byte(p, 0)? {
        b'+' | b'-' | b':' => line_print(ctx, p, length),
        b'$' => bulk_string_print(ctx, p, length),
        b'*' => array_print(ctx, p, length),
        _ => inline_print(ctx, p, length),
    }
}

/// ` "text"`: the bytes must be captured.
fn segment(ctx: &mut Ctx, p: &[u8], len: usize) -> R<()> {
    ctx.push(" \"");
    if printn_snap(ctx, p, len) {
        return Err(STOP);
    }
    ctx.push("\"");
    Ok(())
}

/// The offset of the next CR LF at or after `off` (`len`: bytes left from `off`); the offset
/// moves and `len` shrinks as it scans.
fn find_crlf(p: &[u8], off: &mut usize, len: &mut i64) -> R<()> {
    loop {
        if *len < 2 || !p.has(*off, 2) {
            return Err(STOP);
        }
        if p[*off] == b'\r' && p[*off + 1] == b'\n' {
            return Ok(());
        }
        *off += 1;
        *len -= 1;
    }
}

/// Skips a run of CR and LF bytes; there must be at least one unless data remains.
fn consume_cr_or_lf(p: &[u8], off: &mut usize, len: &mut i64) -> R<()> {
    let mut found = false;
    loop {
        if *len == 0 || !p.has(*off, 1) {
            return if found { Ok(()) } else { Err(STOP) };
        }
        if p[*off] != b'\r' && p[*off] != b'\n' {
            return Ok(());
        }
        found = true;
        *off += 1;
        *len -= 1;
    }
}

/// `+`, `-` and `:` items: the text up to CR LF.
fn line_print(ctx: &mut Ctx, p: &[u8], length: i64) -> R<i64> {
    let mut end = 1;
    let mut left = length - 1;
    find_crlf(p, &mut end, &mut left)?;
    let len = end - 1;
    segment(ctx, &p[1..], len)?;
    Ok(1 + len as i64 + 2)
}

/// What a `$` or `*` length field said.
enum Length {
    Value(i64),
    Null,
    Truncated,
    TooLarge,
    Negative,
    Invalid,
}

/// A decimal length followed by CR LF at `p[*off..]`, `len` bytes left; both are advanced
/// past what was read.
fn get_length(p: &[u8], off: &mut usize, len: &mut i64) -> R<Length> {
    if *len == 0 {
        return Ok(Length::Truncated);
    }
    let mut neg = false;
    if byte(p, *off)? == b'-' {
        neg = true;
        *off += 1;
        *len -= 1;
    }
    let mut value: i64 = 0;
    let mut too_large = false;
    let mut saw_digit = false;
    let c = loop {
        if *len == 0 {
            return Ok(Length::Truncated);
        }
        let c = byte(p, *off)?;
        if !c.is_ascii_digit() {
            if !saw_digit {
                *off += 1;
                *len -= 1;
                return Ok(Length::Invalid);
            }
            break c;
        }
        // tcpdump's int: anything above INT_MAX is "too large".
        if !too_large {
            value = value * 10 + (c - b'0') as i64;
            if value > i32::MAX as i64 {
                too_large = true;
            }
        }
        *off += 1;
        *len -= 1;
        saw_digit = true;
    };
    if c != b'\r' {
        *off += 1;
        *len -= 1;
        return Ok(Length::Invalid);
    }
    *off += 1;
    *len -= 1;
    if *len == 0 {
        return Ok(Length::Truncated);
    }
    if byte(p, *off)? != b'\n' {
        *off += 1;
        *len -= 1;
        return Ok(Length::Invalid);
    }
    *off += 1;
    *len -= 1;
    Ok(if neg {
        if too_large || value != 1 {
            Length::Negative
        } else {
            Length::Null
        }
    } else if too_large {
        Length::TooLarge
    } else {
        Length::Value(value)
    })
}

/// The word tcpdump prints for a length that is not a usable count.
fn length_word(ctx: &mut Ctx, l: &Length) -> R<()> {
    ctx.push(match l {
        Length::Null => " null",
        Length::Truncated => return Err(STOP),
        Length::TooLarge => " length too large",
        Length::Negative => " length negative and not -1",
        _ => " invalid",
    });
    Ok(())
}

/// `$` items: a length, CR LF, that many bytes, CR LF.
fn bulk_string_print(ctx: &mut Ctx, p: &[u8], length: i64) -> R<i64> {
    let mut off = 1;
    let mut left = length - 1;
    let l = get_length(p, &mut off, &mut left)?;
    match l {
        Length::Value(n) => {
            if n == 0 {
                ctx.push(" empty");
            } else {
                if left < n || !p.has(off, n as usize) {
                    return Err(STOP);
                }
                segment(ctx, &p[off..], n as usize)?;
                off += n as usize;
                left -= n;
            }
            find_crlf(p, &mut off, &mut left)?;
            left -= 2;
        }
        l => length_word(ctx, &l)?,
    }
    Ok(length - left)
}

/// `*` items: a count, then that many items.
fn array_print(ctx: &mut Ctx, p: &[u8], length: i64) -> R<i64> {
    let mut off = 1;
    let mut left = length - 1;
    let l = get_length(p, &mut off, &mut left)?;
    match l {
        Length::Value(0) => ctx.push(" empty"),
        Length::Value(n) => {
            for _ in 0..n {
                let used = parse(ctx, p.get(off..).unwrap_or(&[]), left)?;
                off += used as usize;
                left -= used;
            }
        }
        l => length_word(ctx, &l)?,
    }
    Ok(length - left)
}

/// Inline commands: text ended by CR and/or LF, after any leading CR/LF.
fn inline_print(ctx: &mut Ctx, p: &[u8], length: i64) -> R<i64> {
    let mut left = length;
    let mut start = 0;
    consume_cr_or_lf(p, &mut start, &mut left)?;
    let mut end = start;
    loop {
        if left < 1 {
            return Err(STOP);
        }
        let c = byte(p, end)?;
        if c == b'\r' || c == b'\n' {
            break;
        }
        end += 1;
        left -= 1;
    }
    segment(ctx, &p[start..], end - start)?;
    consume_cr_or_lf(p, &mut end, &mut left)?;
    Ok(length - left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| resp_print(ctx, p, p.len() as u32))
    }

    #[test]
    fn items() {
        assert_eq!(
            run(b"*3\r\n$3\r\nset\r\n$4\r\ntest\r\n:1\r\n+OK\r\n"),
            ": RESP \"set\" \"test\" \"1\" \"OK\""
        );
        assert_eq!(run(b"PING\r\nPING\n"), ": RESP \"PING\" \"PING\"");
        assert_eq!(run(b"$-1\r\n*0\r\n$0\r\n\r\n"), ": RESP null empty empty");
        assert_eq!(
            run(b"$-2\r\n$99999999999\r\n$x"),
            ": RESP length negative and not -1 length too large invalid"
        );
        assert_eq!(run(b"-ERR x"), ": RESP [|resp]");
        assert_eq!(run(b"$5\r\nab"), ": RESP [|resp]");
    }

    #[test]
    fn truncated_at_every_offset() {
        let m = b"*2\r\n$4\r\nINCR\r\n$1\r\nz\r\n-ERR no\r\nPING\r\n";
        assert_every_truncation_is_safe(m, &verbosities(1), |ctx, p| {
            resp_print(ctx, p, m.len() as u32)
        });
        // A segment cut short by the capture (its length says more) is a RESP truncation.
        assert_eq!(
            run_marked(&opts(0, false), |ctx| resp_print(ctx, &m[..10], 40)),
            ": RESP [|resp]"
        );
    }
}
