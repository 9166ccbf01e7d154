//! VXLAN, Virtual eXtensible Local Area Network (RFC 7348); tcpdump's print-vxlan.c.
//!
//! ```text
//! |R|R|R|R|I|R|R|R|            Reserved                           |
//! |                VXLAN Network Identifier (VNI) |   Reserved    |
//! ```

use super::util_print::{avail, tail};
use super::{Ctx, bittok2str, ether, pr};
use crate::cursor::{Bytes, PResult};

const VXLAN_HDR_LEN: u32 = 8;

const VXLAN_FLAGS: &[(u32, &str)] = &[(0x08, "I")];

/// VXLAN header and the Ethernet frame it carries (UDP port 4789).
pub fn vxlan_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "vxlan";
    ctx.push("VXLAN");
    if length < VXLAN_HDR_LEN {
        ctx.print_invalid();
        return Ok(());
    }
    let flags = p.u8_at(0)?;
    ctx.push(", flags [");
    bittok2str(ctx.out, VXLAN_FLAGS, "invalid", flags as u32, "");
    pr!(ctx, "] (0x{:02x}), ", flags);
    let vni = p.be_u24(4)?;
    pr!(ctx, "vni {}\n", vni);
    p.u8_at(7)?;
    ether::ether_print(ctx, tail(p, 8), length - VXLAN_HDR_LEN, avail(p, 8))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(p: &[u8], length: u32) -> (String, PResult) {
        run_with(&opts(0, false), |ctx| vxlan_print(ctx, p, length))
    }

    const HDR: &[u8] = &[0x08, 0, 0, 0, 0, 0, 100, 0];

    #[test]
    fn header() {
        let (out, _) = run(HDR, 8);
        assert!(
            out.starts_with("VXLAN, flags [I] (0x08), vni 100\n"),
            "{out}"
        );
        let (out, r) = run(&[0, 0, 0, 0, 0, 1, 0, 0], 8);
        assert!(out.starts_with("VXLAN, flags [invalid] (0x00), vni 256\n"));
        assert!(r.is_ok());
        assert_eq!(run(HDR, 7).0, "VXLAN (invalid)");
    }

    #[test]
    fn truncated_at_every_offset() {
        for n in 0..HDR.len() {
            let (_, r) = run(&HDR[..n], 50);
            assert!(r.is_err(), "{n}");
        }
    }
}
