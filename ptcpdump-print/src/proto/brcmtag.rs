//! Broadcom switch tags, LINKTYPE_DSA_TAG_BRCM (281, after the source address) and
//! LINKTYPE_DSA_TAG_BRCM_PREPEND (282, before the destination address)
//! (<https://www.tcpdump.org/linktypes/LINKTYPE_DSA_TAG_BRCM.html>; the layout is the Linux
//! kernel's net/dsa/tag_brcm.c); tcpdump's print-brcmtag.c.
//!
//! Four bytes: an opcode in the top bits of the first, then for ingress (to the switch) the
//! traffic class, tag enforcement, time stamp request and destination port map, for egress
//! (to the CPU) the classification id, reason code, traffic class and source port.

use super::ether::{ether_print, ether_switch_tag_print};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const BRCM_TAG_LEN: u32 = 4;

const TE_VALUES: &[(u32, &str)] = &[(0, "None"), (1, "Untag"), (2, "Header"), (3, "Reserved")];

const RC_VALUES: &[(u32, &str)] = &[
    (1, "mirror"),
    (2, "MAC learning"),
    (4, "switching"),
    (8, "prot term"),
    (16, "prot snoop"),
    (32, "exception"),
];

fn brcm_tag_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let tag = p.sub(0, BRCM_TAG_LEN as usize)?;
    // tcpdump names the direction after the whole first byte, the fields after bit 5.
    pr!(
        ctx,
        "BRCM tag OP: {}",
        if tag[0] != 0 { "IG" } else { "EG" }
    );
    if tag[0] & 0x20 != 0 {
        pr!(ctx, ", TC: {}", (tag[1] >> 2) & 7);
        pr!(
            ctx,
            ", TE: {}",
            tok(TE_VALUES, (tag[1] & 3) as u32).unwrap_or("unknown")
        );
        pr!(ctx, ", TS: {}", tag[1] >> 7);
        let dst_map = u16::from_be_bytes([tag[2], tag[3]]);
        pr!(ctx, ", DST map: 0x{:04x}", dst_map & 0x1ff);
    } else {
        pr!(ctx, ", CID: {}", tag[1]);
        pr!(
            ctx,
            ", RC: {}",
            tok(RC_VALUES, tag[2] as u32).unwrap_or("reserved")
        );
        pr!(ctx, ", TC: {}", (tag[3] >> 5) & 7);
        pr!(ctx, ", port: {}", tag[3] & 0x1f);
    }
    ctx.push(", ");
    Ok(())
}

/// LINKTYPE_DSA_TAG_BRCM.
pub fn brcm_tag_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "brcm-tag";
    ether_switch_tag_print(ctx, p, len, p.len() as u32, (brcm_tag_print, BRCM_TAG_LEN))
}

/// LINKTYPE_DSA_TAG_BRCM_PREPEND.
pub fn brcm_tag_prepend_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "brcm-tag-prepend";
    p.sub(0, BRCM_TAG_LEN as usize)?;
    if ctx.eflag() {
        brcm_tag_print(ctx, p)?;
    }
    let rest = &p[BRCM_TAG_LEN as usize..];
    let n = ether_print(ctx, rest, len.wrapping_sub(BRCM_TAG_LEN), rest.len() as u32)?;
    Ok(BRCM_TAG_LEN + n)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    const MACS: &[u8] = &[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];

    #[test]
    fn ingress_and_egress() {
        let mut d = MACS.to_vec();
        d.extend_from_slice(&[0x20, 0x89, 0x01, 0x02, 0x12, 0x34]);
        assert_eq!(
            print_packet(opts(0, false), 281, &d),
            "BRCM tag OP: IG, TC: 2, TE: Untag, TS: 1, DST map: 0x0102, 02:00:00:00:00:02 > \
             02:00:00:00:00:01, ethertype Unknown (0x1234), length 18: \n"
        );
        let mut p = vec![0, 7, 4, 0x45];
        p.extend_from_slice(MACS);
        p.extend_from_slice(&[0x12, 0x34]);
        assert_eq!(
            print_packet(opts(0, true), 282, &p),
            "BRCM tag OP: EG, CID: 7, RC: switching, TC: 2, port: 5, 02:00:00:00:00:02 > \
             02:00:00:00:00:01, ethertype Unknown (0x1234), length 14: \n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut d = MACS.to_vec();
        d.extend_from_slice(&[0x20, 0x89, 0x01, 0x02, 0x08, 0x00, 0x45]);
        for lt in [281, 282] {
            assert_every_truncated_packet_is_safe(lt, &d, &[opts(0, false), opts(0, true)]);
        }
    }
}
