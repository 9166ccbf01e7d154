//! ETSI GeoNetworking (Ethernet types 0x8947 and the older 0x0707): ETSI TS 102 636-4-1
//! V1.1.1 (common and extended headers) and the Basic Transport Protocol of ETSI TS 102
//! 636-5-1 V1.1.1; tcpdump's print-geonet.c.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const COMMON_HDR_LEN: usize = 36;
const GEONET_ADDR_LEN: usize = 8;

const MSG_TYPE_VALUES: &[(u32, &str)] = &[
    (0, "CAM"),
    (1, "DENM"),
    (101, "TPEGM"),
    (102, "TSPDM"),
    (103, "VPM"),
    (104, "SRM"),
    (105, "SLAM"),
    (106, "ecoCAM"),
    (107, "ITM"),
    (150, "SA"),
];

fn next_hdr_name(nh: u8) -> &'static str {
    match nh {
        0 => "Any",
        1 => "BTP-A",
        2 => "BTP-B",
        3 => "IPv6",
        _ => "Unknown",
    }
}

fn hdr_type_name(ht: u8, sub: u8) -> &'static str {
    match (ht, sub) {
        (0, _) => "Any",
        (1, _) => "Beacon",
        (2, _) => "GeoUnicast",
        (3, 0) => "GeoAnycastCircle",
        (3, 1) => "GeoAnycastRect",
        (3, 2) => "GeoAnycastElipse",
        (4, 0) => "GeoBroadcastCircle",
        (4, 1) => "GeoBroadcastRect",
        (4, 2) => "GeoBroadcastElipse",
        (5, 0) => "TopoScopeBcast-SH",
        (5, 1) => "TopoScopeBcast-MH",
        (6, 0) => "LocService-Request",
        (6, 1) => "LocService-Reply",
        _ => "Unknown",
    }
}

/// Length of the extended header of a header type, when it is known (only the ones tcpdump
/// knows: none for Any, Beacon and single-hop broadcast, 32 bytes for multi-hop broadcast).
fn ext_hdr_len(ht: u8, sub: u8) -> Option<u32> {
    match (ht, sub) {
        (0 | 1, _) | (5, 0) => Some(0),
        (5, 1) => Some(68 - 36),
        _ => None,
    }
}

/// A GeoNetworking packet; `src`: the link-layer source address when known.
pub fn geonet_print(ctx: &mut Ctx, p: &[u8], length: u32, src: Option<&[u8]>) -> PResult {
    ctx.protocol = "geonet";
    ctx.push("GeoNet ");
    if let Some(a) = src {
        ctx.push("src:");
        ctx.mac(a);
    }
    ctx.push("; ");
    if (length as usize) < COMMON_HDR_LEN {
        pr!(ctx, " (common header length {} < 36)", length);
        ctx.print_invalid();
        return Ok(());
    }
    let (b0, b1) = (p.u8_at(0)?, p.u8_at(1)?);
    let (version, nh, ht, sub) = (b0 >> 4, b0 & 0x0f, b1 >> 4, b1 & 0x0f);
    let payload = p.be_u16(4)?;
    let hop_limit = p.u8_at(7)?;
    pr!(
        ctx,
        "v:{} NH:{}-{} HT:{}-{}-{} HopLim:{} Payload:{} ",
        version,
        nh,
        next_hdr_name(nh),
        ht,
        sub,
        hdr_type_name(ht, sub),
        hop_limit,
        payload
    );
    // The source's long position vector: GN address, timestamp, latitude, longitude.
    let addr = p.sub(8, GEONET_ADDR_LEN)?;
    ctx.push("GN_ADDR:");
    ctx.mac(addr);
    ctx.push(" ");
    pr!(ctx, "lat:{} ", p.be_u32(20)?);
    pr!(ctx, "lon:{}", p.be_u32(24)?);
    p.sub(0, COMMON_HDR_LEN)?;
    let mut length = length - COMMON_HDR_LEN as u32;
    let mut off = COMMON_HDR_LEN;
    if let Some(n) = ext_hdr_len(ht, sub) {
        if length < n {
            pr!(ctx, " (header size {} > {})", n, length);
            ctx.print_invalid();
            return Ok(());
        }
        p.sub(off, n as usize)?;
        length -= n;
        off += n as usize;
        if nh == 1 || nh == 2 {
            if length < 4 {
                pr!(ctx, " (BTP length {} < 4)", length);
                ctx.print_invalid();
                return Ok(());
            }
            pr!(ctx, "; BTP Dst:{}", p.be_u16(off)?);
            pr!(ctx, " Src:{}", p.be_u16(off + 2)?);
            length -= 4;
            off += 4;
            if length >= 2 {
                // Assumed to be an ITS PDU header.
                pr!(ctx, "; ItsPduHeader v:{}", p.u8_at(off)?);
                let t = p.u8_at(off + 1)?;
                pr!(ctx, " t:{}-", t);
                super::tok2str(ctx.out, MSG_TYPE_VALUES, "unknown ({})", t as u32);
            }
        }
    }
    if ctx.vflag() > 0 {
        ctx.default_print(p.from(off)?, length)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn beacon() -> Vec<u8> {
        let mut d = vec![0x00, 0x10, 0, 0, 0, 0, 0, 1];
        d.extend_from_slice(&[0, 0, 0, 0x0c, 0x42, 0x6d, 0x54, 0xd5]);
        d.extend_from_slice(&[0, 0, 0, 0, 0x1e, 0xae, 0x6e, 0x9a, 0x03, 0x5f, 0xa1, 0x1b]);
        d.extend_from_slice(&[0; 8]);
        d
    }

    #[test]
    fn beacon_and_invalid() {
        let src = [0, 0x0c, 0x42, 0x6d, 0x54, 0xd5];
        let d = beacon();
        assert_eq!(
            run_marked(&opts(0, false), |ctx| geonet_print(ctx, &d, 36, Some(&src))),
            "GeoNet src:00:0c:42:6d:54:d5; v:0 NH:0-Any HT:1-0-Beacon HopLim:1 Payload:0 \
             GN_ADDR:00:00:00:0c:42:6d:54:d5 lat:514748058 lon:56598811"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| geonet_print(ctx, &d, 20, None)),
            "GeoNet ;  (common header length 20 < 36) (invalid)"
        );
        let mut mh = d.clone();
        mh[0] = 0x01;
        mh[1] = 0x51;
        assert_eq!(
            run_marked(&opts(0, false), |ctx| geonet_print(ctx, &mh, 40, None)),
            "GeoNet ; v:0 NH:1-BTP-A HT:5-1-TopoScopeBcast-MH HopLim:1 Payload:0 \
             GN_ADDR:00:00:00:0c:42:6d:54:d5 lat:514748058 lon:56598811 (header size 32 > 4) \
             (invalid)"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut d = beacon();
        d[0] = 0x01;
        d[1] = 0x50;
        d.extend_from_slice(&[0x13, 0x88, 0x13, 0x88, 0, 0, 1, 2]);
        assert_every_truncation_is_safe(&d, &verbosities(1), |ctx, p| {
            geonet_print(ctx, p, 44, None)
        });
    }
}
