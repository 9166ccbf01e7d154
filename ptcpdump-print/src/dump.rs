//! Raw packet dumps for `-x`, `-X` and `-A` (tcpdump's print-ascii.c).
//!
//! Each function dumps `min(length, data.len())` bytes and returns `Err(Truncated)` when
//! `length` went past the captured data, after printing what was there (tcpdump prints the
//! captured part and then longjmps to its ` [|proto]`).

use crate::cursor::{PResult, Truncated};

const HEX: &[u8; 16] = b"0123456789abcdef";

#[inline]
fn is_graph(c: u8) -> bool {
    (0x21..=0x7e).contains(&c)
}

#[inline]
fn push_hex2(out: &mut String, b: u8) {
    out.push(HEX[(b >> 4) as usize] as char);
    out.push(HEX[(b & 15) as usize] as char);
}

fn push_offset(out: &mut String, ident: &str, oset: usize) {
    use std::fmt::Write;
    out.push_str(ident);
    let _ = write!(out, "0x{:04x}: ", oset);
}

/// `-x`: 16 bytes per line as groups of 4 hex digits (`hex_print_with_offset`).
pub fn hex_print(
    out: &mut String,
    ident: &str,
    data: &[u8],
    length: usize,
    oset: usize,
) -> PResult {
    let n = length.min(data.len());
    let mut oset = oset;
    for (i, chunk) in data[..n].chunks(16).enumerate() {
        let _ = i;
        push_offset(out, ident, oset);
        oset += 16;
        for pair in chunk.chunks(2) {
            out.push(' ');
            for &b in pair {
                push_hex2(out, b);
            }
        }
    }
    if length > data.len() {
        Err(Truncated)
    } else {
        Ok(())
    }
}

/// `-X`: hex plus an ASCII column (`hex_and_ascii_print_with_offset`).
pub fn hex_and_ascii_print(
    out: &mut String,
    ident: &str,
    data: &[u8],
    length: usize,
    oset: usize,
) -> PResult {
    let n = length.min(data.len());
    let mut oset = oset;
    for chunk in data[..n].chunks(16) {
        push_offset(out, ident, oset);
        oset += 16;
        // The hex column is padded to 40 characters (8 groups of " xxxx").
        let start = out.len();
        for pair in chunk.chunks(2) {
            out.push(' ');
            for &b in pair {
                push_hex2(out, b);
            }
        }
        let width = out.len() - start;
        for _ in width..40 {
            out.push(' ');
        }
        out.push_str("  ");
        for &b in chunk {
            out.push(if is_graph(b) { b as char } else { '.' });
        }
    }
    if length > data.len() {
        Err(Truncated)
    } else {
        Ok(())
    }
}

/// `-A`: printable characters, `.` for the rest, CRs before LFs dropped (`ascii_print`).
pub fn ascii_print(out: &mut String, data: &[u8], length: usize) -> PResult {
    let n = length.min(data.len());
    out.push('\n');
    let d = &data[..n];
    for (i, &s) in d.iter().enumerate() {
        let left = n - i - 1;
        if s == b'\r' {
            if left > 1 && d[i + 1] != b'\n' {
                out.push('.');
            }
        } else if is_graph(s) || s == b'\t' || s == b' ' || s == b'\n' {
            out.push(s as char);
        } else {
            out.push('.');
        }
    }
    if length > data.len() {
        Err(Truncated)
    } else {
        Ok(())
    }
}

/// Whole-slice helpers used by the packet frame, where nothing can be truncated.
pub fn hex(out: &mut String, ident: &str, data: &[u8], oset: usize) {
    let _ = hex_print(out, ident, data, data.len(), oset);
}

pub fn hex_and_ascii(out: &mut String, ident: &str, data: &[u8], oset: usize) {
    let _ = hex_and_ascii_print(out, ident, data, data.len(), oset);
}

pub fn ascii(out: &mut String, data: &[u8]) {
    let _ = ascii_print(out, data, data.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_lines() {
        let mut s = String::new();
        hex(&mut s, "\n\t", b"Hello, World!\n", 0);
        assert_eq!(s, "\n\t0x0000:  4865 6c6c 6f2c 2057 6f72 6c64 210a");
        let mut s = String::new();
        let data: Vec<u8> = (0..17).collect();
        hex(&mut s, "\n\t", &data, 0);
        assert_eq!(
            s,
            "\n\t0x0000:  0001 0203 0405 0607 0809 0a0b 0c0d 0e0f\n\t0x0010:  10"
        );
    }

    #[test]
    fn hex_ascii_lines_are_padded() {
        let mut s = String::new();
        hex_and_ascii(&mut s, "\n\t", b"Hello, World!\n", 0);
        assert_eq!(
            s,
            "\n\t0x0000:  4865 6c6c 6f2c 2057 6f72 6c64 210a       Hello,.World!."
        );
        let mut s = String::new();
        hex_and_ascii(&mut s, "\n\t", b"0123456789abcdefg", 0x100);
        assert_eq!(
            s,
            "\n\t0x0100:  3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef\
             \n\t0x0110:  67                                       g"
        );
    }

    #[test]
    fn ascii_drops_cr_before_lf() {
        let mut s = String::new();
        ascii(&mut s, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n\x01\r");
        assert_eq!(s, "\nGET / HTTP/1.1\nHost: x\n\n.");
        let mut s = String::new();
        ascii(&mut s, b"a\rbc");
        assert_eq!(s, "\na.bc");
    }

    #[test]
    fn truncation_is_reported_after_printing() {
        let mut s = String::new();
        assert_eq!(hex_print(&mut s, " ", &[1, 2, 3], 5, 0), Err(Truncated));
        assert_eq!(s, " 0x0000:  0102 03");
    }
}
