//! SSH protocol version exchange (RFC 4253 section 4.2); tcpdump's print-ssh.c. Only the
//! identification string is printed; the binary packets that follow are not decoded.

use super::Ctx;
use crate::cursor::{Bytes, PResult};

/// Prints `: SSH: SSH-2.0-...` when the payload starts with a complete identification line.
pub fn ssh_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "ssh";
    let len = len as usize;
    for (i, &c) in b"SSH-".iter().enumerate() {
        if p.u8_at(i)? != c {
            return Ok(());
        }
    }
    let mut idx = 4;
    while idx < len {
        let c = p.u8_at(idx)?;
        if c == b'\n' {
            break;
        } else if c == b'\r' {
            if idx + 1 >= len || p.u8_at(idx + 1)? != b'\n' {
                return Ok(());
            }
            break;
        } else if !(0x20..=0x7e).contains(&c) {
            return Ok(());
        }
        idx += 1;
    }
    if idx >= len {
        // No end of line in this segment.
        return Ok(());
    }
    ctx.push(": SSH: ");
    // Only printable ASCII was accepted above.
    ctx.push(std::str::from_utf8(&p[..idx]).unwrap_or(""));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8], len: u32) -> (String, PResult) {
        run_with(&opts(0, false), |ctx| ssh_print(ctx, p, len))
    }

    #[test]
    fn banner() {
        let b = b"SSH-2.0-OpenSSH_9.2\r\n";
        assert_eq!(run(b, b.len() as u32).0, ": SSH: SSH-2.0-OpenSSH_9.2");
        assert_eq!(run(b"SSH-2.0-x", 9).0, "");
        assert_eq!(run(b"\x00\x00\x01\x2c", 4).0, "");
    }

    #[test]
    fn truncated_at_every_offset() {
        let b = b"SSH-2.0-OpenSSH_9.2\r\n";
        assert_every_truncation_is_safe(b, &verbosities(0), |ctx, p| {
            ssh_print(ctx, p, b.len() as u32)
        });
    }
}
