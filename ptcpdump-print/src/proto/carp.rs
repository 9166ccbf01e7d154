//! CARP, the Common Address Redundancy Protocol (OpenBSD's carp(4); IP protocol 112, shared
//! with VRRP, so only decoded with `-T carp`); tcpdump's print-carp.c.
//!
//! Header: version (4 bits) and type (4 bits), vhid, advskew, authlen, a pad byte, advbase,
//! checksum (over the whole message), an 8-byte counter and a 20-byte HMAC.

use super::{Ctx, in_cksum, pr};
use crate::cursor::{Bytes, PResult};

const CARP_ADVERTISEMENT: u8 = 1;

/// `p`: the CARP message; `length`: its length; `ttl`: the IP TTL (CARP requires 255).
pub fn carp_print(ctx: &mut Ctx, p: &[u8], length: u32, ttl: u8) -> PResult {
    ctx.protocol = "carp";
    let vt = p.u8_at(0)?;
    let (version, ty) = (vt >> 4, vt & 0x0f);
    let name = if ty == CARP_ADVERTISEMENT {
        "advertise"
    } else {
        "unknown"
    };
    pr!(ctx, "CARPv{}-{} {}: ", version, name, length);
    if ttl != 255 {
        pr!(ctx, "[ttl={}!] ", ttl);
    }
    if version != 2 || ty != CARP_ADVERTISEMENT {
        return Ok(());
    }
    let (vhid, advskew, authlen, advbase) = (p.u8_at(1)?, p.u8_at(2)?, p.u8_at(3)?, p.u8_at(5)?);
    pr!(
        ctx,
        "vhid={} advbase={} advskew={} authlen={} ",
        vhid,
        advbase,
        advskew,
        authlen
    );
    if ctx.vflag() > 0
        && let Ok(all) = p.sub(0, length as usize)
        && in_cksum(&[all]) != 0
    {
        pr!(ctx, " (bad carp cksum {:x}!)", p.be_u16(6)?);
    }
    pr!(ctx, "counter={}", p.be_u64(8)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// vhid 7, advskew 100, authlen 7, advbase 1, counter 0x0102, checksum made valid below.
    fn advert() -> Vec<u8> {
        let mut d = vec![0x21, 7, 100, 7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2];
        d.extend_from_slice(&[0xab; 20]);
        let c = in_cksum(&[&d]);
        d[6..8].copy_from_slice(&c.to_be_bytes());
        d
    }

    #[test]
    fn advertisement() {
        let d = advert();
        assert_eq!(
            run_marked(&opts(1, false), |ctx| carp_print(ctx, &d, 36, 255)),
            "CARPv2-advertise 36: vhid=7 advbase=1 advskew=100 authlen=7 counter=258"
        );
        let mut bad = d.clone();
        bad[7] ^= 1;
        assert_eq!(
            run_marked(&opts(1, false), |ctx| carp_print(ctx, &bad, 36, 64)),
            format!(
                "CARPv2-advertise 36: [ttl=64!] vhid=7 advbase=1 advskew=100 authlen=7  \
                 (bad carp cksum {:x}!)counter=258",
                u16::from_be_bytes([bad[6], bad[7]])
            )
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| carp_print(ctx, &[0x32], 1, 255)),
            "CARPv3-unknown 1: "
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = advert();
        assert_every_truncation_is_safe(&d, &verbosities(1), |ctx, p| carp_print(ctx, p, 36, 255));
        assert_eq!(
            run_marked(&opts(0, false), |ctx| carp_print(ctx, &d[..12], 36, 255)),
            "CARPv2-advertise 36: vhid=7 advbase=1 advskew=100 authlen=7  [|carp]"
        );
    }
}
