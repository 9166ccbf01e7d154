//! Microsoft Network Load Balancing heartbeats (Ethernet type 0x886f). The protocol is not
//! documented; the layout below (two unknown words, the host priority little-endian, the
//! cluster's virtual IP and the host's IP) is what tcpdump's print-msnlb.c decodes.

use super::Ctx;
use crate::cursor::{Bytes, PResult};

pub fn msnlb_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.protocol = "msnlb";
    ctx.push("MS NLB heartbeat");
    let prio = p.le_u32(8)?;
    super::pr!(ctx, ", host priority: {}", prio);
    let cluster = p.sub(12, 4)?;
    ctx.push(", cluster IP: ");
    ctx.ip(cluster);
    let host = p.sub(16, 4)?;
    ctx.push(", host IP: ");
    ctx.ip(host);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    const HB: &[u8] = &[
        0xbf, 1, 0xde, 0xc0, 6, 2, 0, 0, 2, 0, 0, 0, 198, 18, 100, 80, 198, 18, 100, 82,
    ];

    #[test]
    fn heartbeat() {
        assert_eq!(
            run_marked(&opts(0, false), |ctx| msnlb_print(ctx, HB)),
            "MS NLB heartbeat, host priority: 2, cluster IP: 198.18.100.80, host IP: 198.18.100.82"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| msnlb_print(ctx, &HB[..11])),
            "MS NLB heartbeat [|msnlb]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(HB, &verbosities(1), msnlb_print);
    }
}
