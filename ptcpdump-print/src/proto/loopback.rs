//! Ethernet configuration testing protocol ("Loopback", Ethernet type 0x9000), from the
//! Ethernet Version 2.0 specification (DEC, Intel, Xerox, 1982), section 8; tcpdump's
//! print-loopback.c.
//!
//! A skip count (little-endian, bytes of the message to skip), then messages: a function code
//! (little-endian): 1 Reply (receipt number, data) or 2 Forward Data (forwarding address, data).

use super::{Ctx, pr, tok2str_with};
use crate::cursor::{Bytes, PResult};
use std::fmt::Write as _;

const LOOPBACK_REPLY: u16 = 1;
const LOOPBACK_FWDDATA: u16 = 2;

const FCODE_VALUES: &[(u32, &str)] = &[(1, "Reply"), (2, "Forward Data")];

/// A loopback message, from its skip count to `len` bytes on.
pub fn loopback_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "loopback";
    ctx.push("Loopback");
    let len = len as usize;
    if len < 2 {
        ctx.print_invalid();
        return p.sub(0, len).map(|_| ());
    }
    let skip = p.le_u16(0)? as usize;
    pr!(ctx, ", skipCount {}", skip);
    if !skip.is_multiple_of(8) {
        ctx.push(" (bogus)");
    }
    if skip > len - 2 {
        ctx.print_invalid();
        return p.sub(2, len - 2).map(|_| ());
    }
    p.sub(2, skip)?;
    message_print(ctx, p.from(2 + skip)?, len - 2 - skip)
}

fn message_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult {
    if len < 2 {
        ctx.print_invalid();
        return p.sub(0, len).map(|_| ());
    }
    let function = p.le_u16(0)?;
    ctx.push(", ");
    tok2str_with(ctx.out, FCODE_VALUES, function as u32, |o| {
        let _ = write!(o, " invalid ({function})");
    });
    let (rest, len) = (p.from(2)?, len - 2);
    let data = match function {
        LOOPBACK_REPLY if len >= 2 => {
            pr!(ctx, ", receipt number {}", rest.le_u16(0)?);
            2
        }
        LOOPBACK_FWDDATA if len >= 6 => {
            let a = rest.sub(0, 6)?;
            ctx.push(", forwarding address ");
            ctx.mac(a);
            6
        }
        LOOPBACK_REPLY | LOOPBACK_FWDDATA => {
            ctx.print_invalid();
            return rest.sub(0, len).map(|_| ());
        }
        _ => return rest.sub(0, len).map(|_| ()),
    };
    pr!(ctx, ", data ({} octets)", len - data);
    rest.sub(data, len - data).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| {
            loopback_print(ctx, p, p.len() as u32)
        })
    }

    #[test]
    fn forward_and_reply() {
        let fwd = [0, 0, 2, 0, 0xaa, 0, 4, 0, 0x1d, 4, 1, 0, 1, 0, 0x55];
        assert_eq!(
            run(&fwd),
            "Loopback, skipCount 0, Forward Data, forwarding address aa:00:04:00:1d:04, data (5 octets)"
        );
        let mut reply = vec![8, 0];
        reply.extend_from_slice(&[0; 8]);
        reply.extend_from_slice(&[1, 0, 1, 0, 0x55, 0x55]);
        assert_eq!(
            run(&reply),
            "Loopback, skipCount 8, Reply, receipt number 1, data (2 octets)"
        );
        assert_eq!(
            run(&[3, 0, 0, 0, 0, 7, 0]),
            "Loopback, skipCount 3 (bogus),  invalid (7)"
        );
        assert_eq!(run(&[16, 0, 7, 0]), "Loopback, skipCount 16 (invalid)");
    }

    #[test]
    fn truncated_at_every_offset() {
        let fwd = [0, 0, 2, 0, 0xaa, 0, 4, 0, 0x1d, 4, 1, 0, 1, 0, 0x55];
        assert_every_truncation_is_safe(&fwd, &verbosities(1), |ctx, p| loopback_print(ctx, p, 15));
        assert_eq!(
            run_marked(&opts(0, false), |ctx| loopback_print(ctx, &fwd[..8], 15)),
            "Loopback, skipCount 0, Forward Data [|loopback]"
        );
    }
}
