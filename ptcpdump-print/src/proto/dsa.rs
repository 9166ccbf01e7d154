//! Marvell DSA and EDSA switch tags, LINKTYPE_DSA_TAG_DSA (284) and LINKTYPE_DSA_TAG_EDSA
//! (285) (<https://www.tcpdump.org/linktypes/LINKTYPE_DSA_TAG_DSA.html>, the layout is the
//! Linux kernel's net/dsa/tag_dsa.c); tcpdump's print-dsa.c.
//!
//! A 4-byte DSA tag sits between the source address and the type: mode (2 bits), IEEE tag
//! mode, switch device (5 bits); port or trunk (5 bits), three mode-specific bits, CFI;
//! priority (3 bits), a code bit, VID (12 bits). EDSA puts a programmable Ethernet type and
//! two reserved bytes in front of it.

use super::ether::{ETHERTYPE_VALUES, ether_switch_tag_print};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const DSA_LEN: u32 = 4;
const EDSA_LEN: u32 = 8;

const MODE_TO_CPU: u8 = 0;
const MODE_FROM_CPU: u8 = 1;
const MODE_TO_SNIFFER: u8 = 2;
const MODE_FORWARD: u8 = 3;

const MODE_VALUES: &[(u32, &str)] = &[
    (0, "To CPU"),
    (1, "From CPU"),
    (2, "To Sniffer"),
    (3, "Forward"),
];

const CODE_VALUES: &[(u32, &str)] = &[
    (0, "BPDU (MGMT) Trap"),
    (1, "Frame2Reg"),
    (2, "IGMP/MLD Trap"),
    (3, "Policy Trap"),
    (4, "ARP Mirror"),
    (5, "Policy Mirror"),
];

/// The fields of a 4-byte DSA tag.
struct Tag {
    mode: u8,
    tagged: bool,
    dev: u8,
    port: u8,
    /// Trunk (Forward), Rx sniff (To Sniffer) or code bit 2 (To CPU).
    b18: bool,
    cfi: bool,
    pri: u8,
    vid: u16,
    code: u8,
}

impl Tag {
    fn read(p: &[u8]) -> PResult<Tag> {
        let (b0, b1, b2, b3) = (p.u8_at(0)?, p.u8_at(1)?, p.u8_at(2)?, p.u8_at(3)?);
        Ok(Tag {
            mode: b0 >> 6,
            tagged: b0 & 0x20 != 0,
            dev: b0 & 0x1f,
            port: b1 >> 3,
            b18: b1 & 0x04 != 0,
            cfi: b1 & 0x01 != 0,
            pri: b2 >> 5,
            vid: ((b2 as u16 & 0x0f) << 8) | b3 as u16,
            code: ((b1 & 0x06) >> 1) << 1 | (b2 & 0x10) >> 4,
        })
    }
}

fn common_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let t = Tag::read(p)?;
    if ctx.eflag() {
        ctx.push("mode ");
        ctx.push(tok(MODE_VALUES, t.mode as u32).unwrap_or("unknown"));
        ctx.push(", ");
        match t.mode {
            MODE_FORWARD => pr!(
                ctx,
                "dev {}, {} {}, ",
                t.dev,
                if t.b18 { "trunk" } else { "port" },
                t.port
            ),
            MODE_FROM_CPU => pr!(ctx, "target dev {}, port {}, ", t.dev, t.port),
            MODE_TO_CPU => {
                pr!(ctx, "source dev {}, port {}, ", t.dev, t.port);
                ctx.push("code ");
                ctx.push(tok(CODE_VALUES, t.code as u32).unwrap_or("reserved"));
                ctx.push(", ");
            }
            _ => pr!(
                ctx,
                "source dev {}, port {}, {} sniff, ",
                t.dev,
                t.port,
                if t.b18 { "ingress" } else { "egress" }
            ),
        }
        ctx.push(if t.tagged { "tagged, " } else { "untagged, " });
        if t.cfi {
            ctx.push("CFI, ");
        }
        pr!(ctx, "VID {}, FPri {}, ", t.vid, t.pri);
    } else {
        match t.mode {
            MODE_FORWARD => pr!(
                ctx,
                "Forward {} {}.{}, ",
                if t.b18 { "trunk" } else { "port" },
                t.dev,
                t.port
            ),
            MODE_FROM_CPU => pr!(ctx, "CPU > port {}.{}, ", t.dev, t.port),
            MODE_TO_CPU => pr!(ctx, "port {}.{} > CPU, ", t.dev, t.port),
            MODE_TO_SNIFFER => pr!(
                ctx,
                "port {}.{} > {} Sniffer, ",
                t.dev,
                t.port,
                if t.b18 { "Rx" } else { "Tx" }
            ),
            _ => {}
        }
        pr!(ctx, "VLAN {}{}, ", t.vid, if t.tagged { 't' } else { 'u' });
    }
    Ok(())
}

fn dsa_tag_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.push(if ctx.eflag() { "Marvell DSA " } else { "DSA " });
    common_print(ctx, p)
}

fn edsa_tag_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let etype = p.be_u16(0)?;
    if ctx.eflag() {
        pr!(
            ctx,
            "Marvell EDSA ethertype 0x{:04x} ({}), ",
            etype,
            tok(ETHERTYPE_VALUES, etype as u32).unwrap_or("Unknown")
        );
        pr!(ctx, "rsvd {} {}, ", p.u8_at(2)?, p.u8_at(3)?);
    } else {
        pr!(ctx, "EDSA 0x{:04x}, ", etype);
    }
    common_print(ctx, p.from(4)?)
}

/// LINKTYPE_DSA_TAG_DSA.
pub fn dsa_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "dsa";
    ether_switch_tag_print(ctx, p, len, p.len() as u32, (dsa_tag_print, DSA_LEN))
}

/// LINKTYPE_DSA_TAG_EDSA.
pub fn edsa_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "edsa";
    ether_switch_tag_print(ctx, p, len, p.len() as u32, (edsa_tag_print, EDSA_LEN))
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    /// A DSA-tagged frame of an unknown type: Forward from device 1 port 2, VID 0xabc.
    fn frame(tag: &[u8]) -> Vec<u8> {
        let mut d = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
        d.extend_from_slice(tag);
        d.extend_from_slice(&[0x12, 0x34, 0xee]);
        d
    }

    #[test]
    fn dsa_forward_and_to_cpu() {
        let d = frame(&[0xe1, 0x10, 0x4a, 0xbc]);
        assert_eq!(
            print_packet(opts(0, true), 284, &d),
            "02:00:00:00:00:02 > 02:00:00:00:00:01, Marvell DSA mode Forward, dev 1, port 2, \
             tagged, VID 2748, FPri 2, ethertype Unknown (0x1234), length 19: \
             \n\t0x0000:  ee                                       .\n"
        );
        let d = frame(&[0x01, 0x14, 0x10, 0x05]);
        assert_eq!(
            print_packet(opts(0, true), 284, &d)
                .split("ethertype")
                .next()
                .unwrap(),
            "02:00:00:00:00:02 > 02:00:00:00:00:01, Marvell DSA mode To CPU, source dev 1, port \
             2, code Policy Mirror, untagged, VID 5, FPri 0, "
        );
        assert!(print_packet(opts(0, false), 284, &d).starts_with("DSA port 1.2 > CPU, VLAN 5u, "));
    }

    #[test]
    fn edsa() {
        let d = frame(&[0xda, 0xda, 0, 0, 0x80, 0x0c, 0, 0]);
        assert!(
            print_packet(opts(0, false), 285, &d)
                .starts_with("EDSA 0xdada, port 0.1 > Rx Sniffer, VLAN 0u, ")
        );
        assert!(print_packet(opts(0, true), 285, &d).contains(
            "Marvell EDSA ethertype 0xdada (Unknown), rsvd 0 0, mode To Sniffer, source dev 0, \
             port 1, ingress sniff, untagged, VID 0, FPri 0, "
        ));
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = frame(&[0xda, 0xda, 0, 0, 0x80, 0x0c, 0, 0]);
        for lt in [284, 285] {
            assert_every_truncated_packet_is_safe(lt, &d, &[opts(0, false), opts(0, true)]);
        }
    }
}
