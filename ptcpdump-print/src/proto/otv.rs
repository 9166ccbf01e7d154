//! OTV, Overlay Transport Virtualization (draft-hasmit-otv-04), UDP port 8472; tcpdump's
//! print-otv.c.
//!
//! ```text
//! |R|R|R|R|I|R|R|R|           Overlay ID                          |
//! |          Instance ID                          | Reserved      |
//! ```

use super::util_print::{avail, tail};
use super::{Ctx, ether, pr};
use crate::cursor::{Bytes, PResult, Truncated};

const OTV_HDR_LEN: u32 = 8;

/// An OTV header and the Ethernet frame it carries.
pub fn otv_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "otv";
    ctx.push("OTV, ");
    if length < OTV_HDR_LEN {
        pr!(ctx, "[length {} < {}]", length, OTV_HDR_LEN);
        ctx.print_invalid();
        return if p.has(0, length as usize) {
            Ok(())
        } else {
            Err(Truncated)
        };
    }
    let flags = p.u8_at(0)?;
    pr!(
        ctx,
        "flags [{}] (0x{:02x}), ",
        if flags & 0x08 != 0 { "I" } else { "." },
        flags
    );
    pr!(ctx, "overlay {}, ", p.be_u24(1)?);
    pr!(ctx, "instance {}\n", p.be_u24(4)?);
    p.u8_at(7)?;
    ether::ether_print(ctx, tail(p, 8), length - OTV_HDR_LEN, avail(p, 8))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(p: &[u8], length: u32) -> String {
        run_marked(&opts(0, false), |ctx| otv_print(ctx, p, length))
    }

    #[test]
    fn header() {
        let p = [0x08, 0, 0, 5, 0, 0, 9, 0];
        assert_eq!(
            run(&p, 8),
            "OTV, flags [I] (0x08), overlay 5, instance 9\n [|ether]"
        );
        for n in 0..p.len() {
            assert!(run(&p[..n], 8).ends_with(" [|otv]"));
        }
    }
}
