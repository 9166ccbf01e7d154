//! TFTP, Trivial File Transfer Protocol (RFC 1350) with option acknowledgment (RFC 2347);
//! tcpdump's print-tftp.c. Only packets to or from UDP port 69 are recognized.

use super::util_print::{printztn, tail};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const RRQ: u16 = 1;
const WRQ: u16 = 2;
const DATA: u16 = 3;
const ACK: u16 = 4;
const TFTP_ERROR: u16 = 5;
const OACK: u16 = 6;

const OP2STR: &[(u32, &str)] = &[
    (1, "RRQ"),
    (2, "WRQ"),
    (3, "DATA"),
    (4, "ACK"),
    (5, "ERROR"),
    (6, "OACK"),
];

const ERR2STR: &[(u32, &str)] = &[
    (0, "EUNDEF"),
    (1, "ENOTFOUND"),
    (2, "EACCESS"),
    (3, "ENOSPACE"),
    (4, "EBADOP"),
    (5, "EBADID"),
    (6, "EEXISTS"),
    (7, "ENOUSER"),
];

/// A TFTP packet.
pub fn tftp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "tftp";
    pr!(ctx, "TFTP, length {}", length);
    if tftp_body(ctx, p, length as usize)?.is_none() {
        ctx.print_trunc();
    }
    Ok(())
}

/// Prints everything after the length; `Ok(None)` is tcpdump's `goto trunc`.
fn tftp_body(ctx: &mut Ctx, p: &[u8], length: usize) -> PResult<Option<()>> {
    if length < 2 {
        return Ok(None);
    }
    let opcode = p.be_u16(0)?;
    ctx.push(", ");
    match tok(OP2STR, opcode as u32) {
        Some(n) => ctx.push(n),
        None => {
            pr!(ctx, "tftp-#{}", opcode);
            return Ok(Some(()));
        }
    }
    let mut off = 2usize;
    let mut length = length - 2;
    // `nd_printztn` bounded by the capture: consumed bytes, 0 when no NUL was found.
    let ztn = |ctx: &mut Ctx, off: &mut usize, length: &mut usize| -> usize {
        let n = printztn(ctx, tail(p, *off), *length);
        *off += n;
        *length -= n;
        n
    };
    // ` "string"`; false when it ran past the capture or is empty.
    let quoted = |ctx: &mut Ctx, off: &mut usize, length: &mut usize| -> bool {
        if *length == 0 {
            return false;
        }
        ctx.push(" \"");
        let n = ztn(ctx, off, length);
        ctx.push("\"");
        n != 0
    };
    // The options: NUL-terminated strings, separated by spaces; false when one ran past the
    // capture.
    let options = |ctx: &mut Ctx, off: &mut usize, length: &mut usize| -> PResult<bool> {
        while *length != 0 {
            if p.u8_at(*off)? != 0 {
                ctx.push(" ");
            }
            if ztn(ctx, off, length) == 0 {
                return Ok(false);
            }
        }
        Ok(true)
    };
    match opcode {
        RRQ | WRQ => {
            if !quoted(ctx, &mut off, &mut length) {
                return Ok(None);
            }
            if length == 0 {
                return Ok(None);
            }
            ctx.push(" ");
            if ztn(ctx, &mut off, &mut length) == 0 {
                return Ok(None);
            }
            if !options(ctx, &mut off, &mut length)? {
                return Ok(None);
            }
        }
        OACK => {
            if !options(ctx, &mut off, &mut length)? {
                return Ok(None);
            }
        }
        ACK | DATA => {
            if length < 2 {
                return Ok(None);
            }
            pr!(ctx, " block {}", p.be_u16(off)?);
        }
        TFTP_ERROR => {
            if length < 2 {
                return Ok(None);
            }
            let code = p.be_u16(off)?;
            ctx.push(" ");
            match tok(ERR2STR, code as u32) {
                Some(n) => ctx.push(n),
                None => pr!(ctx, "tftp-err-#{} \"", code),
            }
            off += 2;
            length -= 2;
            if !quoted(ctx, &mut off, &mut length) {
                return Ok(None);
            }
        }
        _ => pr!(ctx, "(unknown #{})", opcode),
    }
    Ok(Some(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| tftp_print(ctx, p, p.len() as u32))
    }

    const RRQ_PKT: &[u8] = b"\x00\x01file1\x00octet\x00blksize\x00512\x00";

    #[test]
    fn requests_and_errors() {
        assert_eq!(
            run(RRQ_PKT),
            "TFTP, length 26, RRQ \"file1\" octet blksize 512"
        );
        assert_eq!(run(b"\x00\x04\x00\x07"), "TFTP, length 4, ACK block 7");
        assert_eq!(
            run(b"\x00\x05\x00\x01nope\x00"),
            "TFTP, length 9, ERROR ENOTFOUND \"nope\""
        );
        assert_eq!(run(b"\x00\x09"), "TFTP, length 2, tftp-#9");
    }

    #[test]
    fn truncated_at_every_offset() {
        // Lengths 14 and 22 end on a NUL: complete requests.
        for n in (0..RRQ_PKT.len()).filter(|n| *n != 14 && *n != 22) {
            assert!(run(&RRQ_PKT[..n]).ends_with(" [|tftp]"), "{n}");
        }
    }
}
