//! VRRP, Virtual Router Redundancy Protocol version 2 (RFC 3768) and 3 (RFC 5798), IP
//! protocol 112; tcpdump's print-vrrp.c.

use super::util_print::{printjnp, tail};
use super::{Ctx, IpHdr, in_cksum, nextproto_cksum, pr};
use crate::cursor::{Bytes, PResult};

const IPPROTO_VRRP: u8 = 112;
const VRRP_TYPE_ADVERTISEMENT: u8 = 1;
const VRRP_AUTH_SIMPLE: u8 = 1;

/// A VRRP packet; `ttl` is the IP TTL / hop limit (tcpdump flags anything but 255).
pub fn vrrp_print(ctx: &mut Ctx, bp: &[u8], len: u32, ip: &IpHdr, ttl: u8) -> PResult {
    ctx.protocol = "vrrp";
    ctx.push("VRRP");
    let b0 = bp.u8_at(0)?;
    let version = b0 >> 4;
    let ty = b0 & 0x0f;
    pr!(ctx, "v{}, ", version);
    if ty == VRRP_TYPE_ADVERTISEMENT {
        ctx.push("Advertisement");
    } else {
        pr!(ctx, "unknown type ({})", ty);
    }
    if ttl != 255 {
        pr!(ctx, ", (ttl {})", ttl);
    }
    if !(2..=3).contains(&version) || ty != VRRP_TYPE_ADVERTISEMENT {
        return Ok(());
    }
    pr!(ctx, ", vrid {}, prio {}", bp.u8_at(1)?, bp.u8_at(2)?);
    let mut auth_type = 0;
    if version == 2 {
        auth_type = bp.u8_at(4)?;
        ctx.push(", authtype ");
        match auth_type {
            0 => ctx.push("none"),
            1 => ctx.push("simple"),
            2 => ctx.push("ah"),
            t => pr!(ctx, "#{}", t),
        }
        pr!(ctx, ", intvl {}s, length {}", bp.u8_at(5)?, len);
    } else {
        let intvl = ((bp.u8_at(4)? as u16 & 0x0f) << 8) | bp.u8_at(5)? as u16;
        pr!(ctx, ", intvl {}cs, length {}", intvl, len);
    }
    if ctx.vflag() == 0 {
        return Ok(());
    }
    let naddrs = bp.u8_at(3)? as usize;
    if bp.has(0, len as usize) {
        let data = &bp[..len as usize];
        let bad = if version == 2 {
            in_cksum(&[data]) != 0
        } else {
            nextproto_cksum(ip, data, len, IPPROTO_VRRP) != 0
        };
        if bad {
            pr!(ctx, ", (bad vrrp cksum {:x})", bp.be_u16(6)?);
        }
    }
    ctx.push(", addrs");
    if naddrs > 1 {
        pr!(ctx, "({})", naddrs);
    }
    ctx.push(":");
    let mut c = ' ';
    let mut off = 8usize;
    let alen = if ip.ver == 4 { 4 } else { 16 };
    for _ in 0..naddrs {
        let a = bp.sub(off, alen)?;
        ctx.out.push(c);
        ctx.ip(a);
        off += alen;
        c = ',';
    }
    if version == 2 && auth_type == VRRP_AUTH_SIMPLE {
        ctx.push(" auth \"");
        printjnp(ctx, tail(bp, off), 8)?;
        ctx.push("\"");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(p: &[u8], verbose: u8, ttl: u8) -> String {
        let src = [10, 0, 0, 1];
        let dst = [224, 0, 0, 18];
        let ip = IpHdr {
            ver: 4,
            src: &src,
            dst: &dst,
            cksum_dst: &dst,
            nh: IPPROTO_VRRP,
            payload_len: p.len() as u32,
        };
        run_marked(&opts(verbose, false), |ctx| {
            vrrp_print(ctx, p, p.len() as u32, &ip, ttl)
        })
    }

    // VRRPv2 advertisement, vrid 1, prio 100, one address, simple auth "secret".
    const V2: &[u8] = &[
        0x21, 1, 100, 1, 1, 1, 0, 0, 10, 0, 0, 254, b's', b'e', b'c', b'r', b'e', b't', 0, 0,
    ];

    #[test]
    fn version_2() {
        assert_eq!(
            run(V2, 0, 255),
            "VRRPv2, Advertisement, vrid 1, prio 100, authtype simple, intvl 1s, length 20"
        );
        let out = run(V2, 1, 64);
        assert!(
            out.starts_with("VRRPv2, Advertisement, (ttl 64), vrid 1, prio 100"),
            "{out}"
        );
        assert!(
            out.ends_with(", addrs: 10.0.0.254 auth \"secret\""),
            "{out}"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        // The password ends at its first NUL (offset 18).
        for n in 0..V2.len() - 1 {
            assert!(run(&V2[..n], 1, 255).ends_with(" [|vrrp]"), "{n}");
        }
    }
}
