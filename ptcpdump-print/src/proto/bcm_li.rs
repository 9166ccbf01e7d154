//! Broadcom lawful-intercept shim (UDP source port 49152): a 4-byte header (direction 3 bits,
//! packet type 4, subtype 3, reserved, intercept id 22 bits) before the intercepted packet, as
//! Broadcom's BCM-LI documentation (and Wireshark's packet-bcm-li.c) describe it; tcpdump's
//! print-bcm-li.c.

use super::{Ctx, ether, ip, ip6, pr, tok};
use crate::cursor::{Bytes, PResult};

const SHIM_LEN: u32 = 4;
const TYPE_UNDECIDED: u32 = 4;
const TYPE_IPV4: u32 = 5;
const TYPE_IPV6: u32 = 6;
const TYPE_ETHERNET: u32 = 7;

const DIRECTION_VALUES: &[(u32, &str)] = &[(1, "unused"), (2, "egress"), (3, "ingress")];

const TYPE_VALUES: &[(u32, &str)] = &[(4, "undecided"), (5, "ipv4"), (6, "ipv6"), (7, "ethernet")];

const SUBTYPE_VALUES: &[(u32, &str)] = &[
    (1, "single VLAN tag"),
    (2, "double VLAN tag"),
    (3, "untagged"),
];

pub fn bcm_li_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "bcm_li";
    if length < SHIM_LEN {
        pr!(ctx, " (length {} < {})", length, SHIM_LEN);
        ctx.print_invalid();
        return Ok(());
    }
    let shim = p.be_u32(0)?;
    let (direction, ty, subtype) = ((shim >> 29) & 7, (shim >> 25) & 0xf, (shim >> 22) & 7);
    let nl = if ctx.vflag() > 0 { "\n    " } else { "" };
    pr!(
        ctx,
        "{}BCM-LI-SHIM: direction {}, pkt-type {}, pkt-subtype {}, li-id {}{}",
        nl,
        tok(DIRECTION_VALUES, direction).unwrap_or("unknown"),
        tok(TYPE_VALUES, ty).unwrap_or("unknown"),
        tok(SUBTYPE_VALUES, subtype).unwrap_or("unknown"),
        shim & 0x3f_ffff,
        nl
    );
    let (bp, length) = (p.from(SHIM_LEN as usize)?, length - SHIM_LEN);
    if ctx.vflag() == 0 {
        return bp.sub(0, length as usize).map(|_| ());
    }
    match ty {
        TYPE_ETHERNET => _ = ether::ether_print(ctx, bp, length, bp.len() as u32)?,
        TYPE_IPV4 => ip::ip_print(ctx, bp, length)?,
        TYPE_IPV6 => ip6::ip6_print(ctx, bp, length)?,
        // The IP version is guessed from the first nibble.
        TYPE_UNDECIDED => match bp.u8_at(0)? >> 4 {
            4 => ip::ip_print(ctx, bp, length)?,
            6 => ip6::ip6_print(ctx, bp, length)?,
            _ => ctx.push("unknown payload"),
        },
        _ => ctx.print_invalid(),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    #[test]
    fn shim() {
        // ingress, undecided, double VLAN tag, li-id 66666; then 0x00: not IP.
        let d = [0x68, 0x81, 0x04, 0x6a, 0x00];
        assert_eq!(
            run_marked(&opts(0, false), |ctx| bcm_li_print(ctx, &d, 5)),
            "BCM-LI-SHIM: direction ingress, pkt-type undecided, pkt-subtype double VLAN tag, \
             li-id 66666"
        );
        assert_eq!(
            run_marked(&opts(1, false), |ctx| bcm_li_print(ctx, &d, 5)),
            "\n    BCM-LI-SHIM: direction ingress, pkt-type undecided, pkt-subtype double VLAN \
             tag, li-id 66666\n    unknown payload"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| bcm_li_print(ctx, &d, 6)),
            "BCM-LI-SHIM: direction ingress, pkt-type undecided, pkt-subtype double VLAN tag, \
             li-id 66666 [|bcm_li]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = [0x68, 0x81, 0x04, 0x6a, 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1];
        assert_every_truncation_is_safe(&d, &verbosities(1), |ctx, p| bcm_li_print(ctx, p, 14));
    }
}
