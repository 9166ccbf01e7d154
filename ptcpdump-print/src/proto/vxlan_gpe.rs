//! VXLAN-GPE, Generic Protocol Extension for VXLAN (draft-ietf-nvo3-vxlan-gpe), UDP port
//! 4790; tcpdump's print-vxlan-gpe.c.
//!
//! ```text
//! |R|R|Ver|I|P|B|O|       Reserved                |Next Protocol  |
//! |                VXLAN Network Identifier (VNI) |   Reserved    |
//! ```

use super::util_print::{avail, tail};
use super::{Ctx, bittok2str, ether, ip, ip6, nsh, pr};
use crate::cursor::{Bytes, PResult};

const VXLAN_GPE_HDR_LEN: u32 = 8;

const VXLAN_GPE_FLAGS: &[(u32, &str)] = &[(0x08, "I"), (0x04, "P"), (0x02, "B"), (0x01, "O")];

/// A VXLAN-GPE header and its payload.
pub fn vxlan_gpe_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "vxlan_gpe";
    ctx.push("VXLAN-GPE, ");
    if length < VXLAN_GPE_HDR_LEN {
        pr!(ctx, " (len {} < {})", length, VXLAN_GPE_HDR_LEN);
        ctx.print_invalid();
        return Ok(());
    }
    let flags = p.u8_at(0)?;
    ctx.push("flags [");
    bittok2str(ctx.out, VXLAN_GPE_FLAGS, "none", flags as u32, "");
    ctx.push("], ");
    let next = p.u8_at(3)?;
    let vni = p.be_u24(4)?;
    p.u8_at(7)?;
    pr!(ctx, "vni {}", vni);
    ctx.push(if ctx.vflag() > 0 { "\n    " } else { ": " });
    let (rest, len) = (tail(p, 8), length - VXLAN_GPE_HDR_LEN);
    match next {
        1 => ip::ip_print(ctx, rest, len)?,
        2 => ip6::ip6_print(ctx, rest, len)?,
        3 => _ = ether::ether_print(ctx, rest, len, avail(p, 8))?,
        4 => nsh::nsh_print(ctx, rest, len)?,
        _ => {
            ctx.push("ERROR: unknown-next-protocol");
            ctx.print_invalid();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(p: &[u8], length: u32) -> String {
        run_marked(&opts(0, false), |ctx| vxlan_gpe_print(ctx, p, length))
    }

    #[test]
    fn header() {
        let p = [0x0c, 0, 0, 9, 0, 0, 7, 0];
        assert_eq!(
            run(&p, 8),
            "VXLAN-GPE, flags [IP], vni 7: ERROR: unknown-next-protocol (invalid)"
        );
        assert_eq!(run(&p, 7), "VXLAN-GPE,  (len 7 < 8) (invalid)");
        for n in 0..p.len() {
            assert!(run(&p[..n], 8).ends_with(" [|vxlan_gpe]"));
        }
    }
}
