//! Cisco EIGRP (RFC 7868), IP protocol 88: the common header and the TLVs of IPv4 and
//! AppleTalk routes; tcpdump's print-eigrp.c. IPv6 routes and authentication are only dumped.
//!
//! Without `-v` only the opcode and length are printed; `-vv` adds a hex dump of every TLV.

use super::util_print::print_unknown_data;
use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: usize = 20;
const TLV_HDR_LEN: u32 = 4;

const OPCODE_VALUES: &[(u32, &str)] = &[
    (1, "Update"),
    (3, "Query"),
    (4, "Reply"),
    (5, "Hello"),
    (6, "IPX SAP"),
    (7, "Probe"),
];

const FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Init"),
    (0x02, "Conditionally Received"),
    (0x04, "Restart"),
    (0x08, "End-of-Table"),
];

const TLV_GENERAL_PARM: u16 = 0x0001;
const TLV_SW_VERSION: u16 = 0x0004;
const TLV_IP_INT: u16 = 0x0102;
const TLV_IP_EXT: u16 = 0x0103;
const TLV_AT_INT: u16 = 0x0202;
const TLV_AT_EXT: u16 = 0x0203;
const TLV_AT_CABLE_SETUP: u16 = 0x0204;

const TLV_VALUES: &[(u32, &str)] = &[
    (0x0001, "General Parameters"),
    (0x0002, "Authentication"),
    (0x0003, "Sequence"),
    (0x0004, "Software Version"),
    (0x0005, "Next Multicast Sequence"),
    (0x0102, "IP Internal routes"),
    (0x0103, "IP External routes"),
    (0x0202, "AppleTalk Internal routes"),
    (0x0203, "AppleTalk External routes"),
    (0x0204, "AppleTalk Cable setup"),
    (0x0302, "IPX Internal routes"),
    (0x0303, "IPX External routes"),
];

const EXT_PROTO_ID_VALUES: &[(u32, &str)] = &[
    (0x01, "IGRP"),
    (0x02, "EIGRP"),
    (0x03, "Static"),
    (0x04, "RIP"),
    (0x05, "Hello"),
    (0x06, "OSPF"),
    (0x07, "IS-IS"),
    (0x08, "EGP"),
    (0x09, "BGP"),
    (0x0a, "IDRP"),
    (0x0b, "Connected"),
];

/// Minimum value sizes of the TLVs that are decoded.
fn min_len(ty: u16) -> Option<u32> {
    Some(match ty {
        TLV_GENERAL_PARM => 8,
        TLV_SW_VERSION => 4,
        TLV_IP_INT => 22,
        TLV_IP_EXT => 42,
        TLV_AT_CABLE_SETUP => 8,
        TLV_AT_INT => 24,
        TLV_AT_EXT => 40,
        _ => return None,
    })
}

fn opcode_name(op: u8, default: &str) -> String {
    match tok(OPCODE_VALUES, op as u32) {
        Some(n) => n.to_string(),
        None => default.replace("{}", &op.to_string()),
    }
}

/// The metric fields shared by route TLVs, at `o`: delay, bandwidth, MTU, hops, reliability,
/// load.
fn metric_print(ctx: &mut Ctx, v: &[u8], o: usize) -> PResult {
    let (delay, bw, mtu) = (v.be_u32(o)?, v.be_u32(o + 4)?, v.be_u24(o + 8)?);
    let (hop, rel, load) = (v.u8_at(o + 11)?, v.u8_at(o + 12)?, v.u8_at(o + 13)?);
    pr!(
        ctx,
        "\n\t      delay {} ms, bandwidth {} Kbps, mtu {}, hop {}, reliability {}, load {}",
        delay / 100,
        bw,
        mtu,
        hop,
        rel,
        load
    );
    Ok(())
}

/// `IPv4 prefix: a.b.c.d/n, nexthop: x` of an IP route TLV: the next hop at 0, the prefix
/// length at `plen_off` and the significant octets after it. `Ok(false)`: bad length.
fn ip_route_print(ctx: &mut Ctx, v: &[u8], plen_off: usize) -> PResult<bool> {
    let bits = v.u8_at(plen_off)? as u32;
    if bits > 32 {
        pr!(ctx, "\n\t    illegal prefix length {}", bits);
        return Ok(false);
    }
    let mut prefix = [0u8; 4];
    let n = bits.div_ceil(8) as usize;
    prefix[..n].copy_from_slice(v.sub(plen_off + 1, n)?);
    let mut a = String::new();
    crate::addr::push_ipv4(&mut a, &prefix);
    pr!(ctx, "\n\t    IPv4 prefix: {:>15}/{}, nexthop: ", a, bits);
    if v.be_u32(0)? == 0 {
        ctx.push("self");
    } else {
        ctx.ip(v.sub(0, 4)?);
    }
    Ok(true)
}

/// An AppleTalk next hop (network.node) or `self`.
fn at_nexthop_print(ctx: &mut Ctx, v: &[u8]) -> PResult {
    if v.be_u32(0)? == 0 {
        ctx.push("self");
    } else {
        pr!(ctx, "{}.{}", v.be_u16(0)?, v.be_u16(2)?);
    }
    Ok(())
}

/// One TLV: `v` from its value to the end of the capture, `len` the value's length.
fn tlv_print(ctx: &mut Ctx, ty: u16, v: &[u8], len: u32) -> PResult {
    if let Some(min) = min_len(ty)
        && len < min
    {
        pr!(ctx, " (too short, < {})", TLV_HDR_LEN + min);
        return Ok(());
    }
    match ty {
        TLV_GENERAL_PARM => {
            let k = v.sub(0, 5)?;
            pr!(
                ctx,
                "\n\t    holdtime: {}s, k1 {}, k2 {}, k3 {}, k4 {}, k5 {}",
                v.be_u16(6)?,
                k[0],
                k[1],
                k[2],
                k[3],
                k[4]
            );
        }
        TLV_SW_VERSION => {
            let s = v.sub(0, 4)?;
            pr!(
                ctx,
                "\n\t    IOS version: {}.{}, EIGRP version {}.{}",
                s[0],
                s[1],
                s[2],
                s[3]
            );
        }
        TLV_IP_INT => {
            if ip_route_print(ctx, v, 20)? {
                metric_print(ctx, v, 4)?;
            }
        }
        TLV_IP_EXT => {
            if ip_route_print(ctx, v, 40)? {
                let mut origin = String::new();
                crate::addr::push_ipv4(&mut origin, v.sub(4, 4)?);
                let proto = v.u8_at(22)?;
                pr!(
                    ctx,
                    "\n\t      origin-router {}, origin-as {}, origin-proto {}, flags [0x{:02x}], \
                     tag 0x{:08x}, metric {}",
                    origin,
                    v.be_u32(8)?,
                    tok(EXT_PROTO_ID_VALUES, proto as u32).unwrap_or("unknown"),
                    v.u8_at(23)?,
                    v.be_u32(12)?,
                    v.be_u32(16)?
                );
                metric_print(ctx, v, 24)?;
            }
        }
        TLV_AT_CABLE_SETUP => {
            pr!(
                ctx,
                "\n\t    Cable-range: {}-{}, Router-ID {}",
                v.be_u16(0)?,
                v.be_u16(2)?,
                v.be_u32(4)?
            );
        }
        TLV_AT_INT => {
            pr!(
                ctx,
                "\n\t     Cable-Range: {}-{}, nexthop: ",
                v.be_u16(20)?,
                v.be_u16(22)?
            );
            at_nexthop_print(ctx, v)?;
            metric_print(ctx, v, 4)?;
        }
        TLV_AT_EXT => {
            pr!(
                ctx,
                "\n\t     Cable-Range: {}-{}, nexthop: ",
                v.be_u16(36)?,
                v.be_u16(38)?
            );
            at_nexthop_print(ctx, v)?;
            let proto = v.u8_at(16)?;
            pr!(
                ctx,
                "\n\t      origin-router {}, origin-as {}, origin-proto {}, flags [0x{:02x}], \
                 tag 0x{:08x}, metric {}",
                v.be_u32(4)?,
                v.be_u32(8)?,
                tok(EXT_PROTO_ID_VALUES, proto as u32).unwrap_or("unknown"),
                v.u8_at(17)?,
                v.be_u32(12)?,
                v.be_u16(18)?
            );
            metric_print(ctx, v, 20)?;
        }
        // Authentication, sequence, multicast sequence, IPX and unknown TLVs.
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data(ctx, v, "\n\t    ", len as usize);
            }
        }
    }
    Ok(())
}

/// An EIGRP packet; `p`: captured bytes from the header, `len` its length.
pub fn eigrp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "eigrp";
    if !p.has(0, HDR_LEN) {
        ctx.print_trunc();
        return Ok(());
    }
    let version = p.u8_at(0)?;
    if version != 2 {
        pr!(ctx, "EIGRP version {} packet not supported", version);
        return Ok(());
    }
    let op = p.u8_at(1)?;
    if ctx.vflag() < 1 {
        pr!(
            ctx,
            "EIGRP {}, length: {}",
            opcode_name(op, "unknown ({})"),
            len
        );
        return Ok(());
    }
    if (len as usize) < HDR_LEN {
        pr!(
            ctx,
            "EIGRP {}, length: {} (too short, < {})",
            opcode_name(op, "unknown ({})"),
            len,
            HDR_LEN
        );
        return Ok(());
    }
    let mut tlen = len - HDR_LEN as u32;
    pr!(
        ctx,
        "\n\tEIGRP v{}, opcode: {} ({}), chksum: 0x{:04x}, Flags: [",
        version,
        opcode_name(op, "unknown, type: {}"),
        op,
        p.be_u16(2)?
    );
    bittok2str(ctx.out, FLAG_VALUES, "none", p.be_u32(4)?, ", ");
    pr!(
        ctx,
        "]\n\tseq: 0x{:08x}, ack: 0x{:08x}, VRID: {}, AS: {}, length: {}",
        p.be_u32(8)?,
        p.be_u32(12)?,
        p.be_u16(16)?,
        p.be_u16(18)?,
        tlen
    );
    let mut o = HDR_LEN;
    while tlen > 0 {
        if !p.has(o, TLV_HDR_LEN as usize) {
            ctx.print_trunc();
            return Ok(());
        }
        let ty = p.be_u16(o)?;
        let tl = p.be_u16(o + 2)? as u32;
        if tl < TLV_HDR_LEN || tl > tlen {
            let rest = super::util_print::tail(p, o + TLV_HDR_LEN as usize);
            print_unknown_data(ctx, rest, "\n\t    ", tlen as usize);
            return Ok(());
        }
        pr!(
            ctx,
            "\n\t  {} TLV (0x{:04x}), length: {}",
            tok(TLV_VALUES, ty as u32).unwrap_or("Unknown"),
            ty,
            tl
        );
        if !p.has(o, tl as usize) {
            ctx.print_trunc();
            return Ok(());
        }
        // Decoders read from the value on, bounded by the capture only (a prefix may run
        // past the TLV, as in tcpdump).
        let v = &p[o + TLV_HDR_LEN as usize..];
        tlv_print(ctx, ty, v, tl - TLV_HDR_LEN)?;
        if ctx.vflag() > 1 {
            print_unknown_data(ctx, v, "\n\t    ", (tl - TLV_HDR_LEN) as usize);
        }
        o += tl as usize;
        tlen -= tl;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| eigrp_print(ctx, p, p.len() as u32))
    }

    const HELLO: &str =
        "02051234000000090000000500000006000000640001000c010001000000000f000400080c040102";
    // Two internal routes (one via self) and an external one learned from OSPF.
    const UPDATE: &str = "02011234000000090000000500000006000000640102001c0a00000100271000000003e8\
                          0005dc01ff01000018c0a8010102001d0000000000271000000003e80005dc01ff010000\
                          200a0102030103002f00000000090909090000fde800000abc0000004d00000601002710\
                          00000003e80005dc01ff01000010ac10";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn hello() {
        let p = hex(HELLO);
        assert_eq!(run(0, &p), "EIGRP Hello, length: 40");
        assert_eq!(
            run(1, &p),
            "\n\tEIGRP v2, opcode: Hello (5), chksum: 0x1234, Flags: [Init, End-of-Table]\
             \n\tseq: 0x00000005, ack: 0x00000006, VRID: 0, AS: 100, length: 20\
             \n\t  General Parameters TLV (0x0001), length: 12\
             \n\t    holdtime: 15s, k1 1, k2 0, k3 1, k4 0, k5 0\
             \n\t  Software Version TLV (0x0004), length: 8\
             \n\t    IOS version: 12.4, EIGRP version 1.2"
        );
        assert!(run(2, &p).ends_with("EIGRP version 1.2\n\t    0x0000:  0c04 0102"));
    }

    #[test]
    fn routes() {
        let v = run(1, &hex(UPDATE));
        assert!(v.contains(
            "\n\t  IP Internal routes TLV (0x0102), length: 28\
             \n\t    IPv4 prefix:     192.168.1.0/24, nexthop: 10.0.0.1\
             \n\t      delay 25600 ms, bandwidth 1000 Kbps, mtu 1500, hop 1, reliability 255, \
             load 1\
             \n\t  IP Internal routes TLV (0x0102), length: 29\
             \n\t    IPv4 prefix:        10.1.2.3/32, nexthop: self\n"
        ));
        assert!(v.ends_with(
            "\n\t  IP External routes TLV (0x0103), length: 47\
             \n\t    IPv4 prefix:      172.16.0.0/16, nexthop: self\
             \n\t      origin-router 9.9.9.9, origin-as 65000, origin-proto OSPF, flags [0x01], \
             tag 0x00000abc, metric 77\
             \n\t      delay 25600 ms, bandwidth 1000 Kbps, mtu 1500, hop 1, reliability 255, \
             load 1"
        ));
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [HELLO, UPDATE] {
            let p = hex(pkt);
            assert_every_truncation_is_safe(&p, &verbosities(3), |ctx, q| {
                eigrp_print(ctx, q, p.len() as u32)
            });
            for n in 0..p.len() {
                let out = run_marked(&opts(1, false), |ctx| {
                    eigrp_print(ctx, &p[..n], p.len() as u32)
                });
                assert!(out.ends_with(" [|eigrp]"), "{n}: {out}");
            }
        }
    }
}
