//! Ethernet (IEEE 802.3, RFC 894) and 802.1Q VLAN tags (IEEE 802.1Q); tcpdump's print-ether.c.

use super::macsec::{self, Sectag};
use super::{Ctx, arista, ethertype_src_print, llc, pr, tok};
use crate::cursor::{Bytes, PResult};

pub const ETHERTYPE_IP: u16 = 0x0800;
pub const ETHERTYPE_ARP: u16 = 0x0806;
pub const ETHERTYPE_REVARP: u16 = 0x8035;
pub const ETHERTYPE_IPV6: u16 = 0x86dd;
pub const ETHERTYPE_8021Q: u16 = 0x8100;
pub const ETHERTYPE_8021Q9100: u16 = 0x9100;
pub const ETHERTYPE_8021Q9200: u16 = 0x9200;
pub const ETHERTYPE_8021QINQ: u16 = 0x88a8;
pub const ETHERTYPE_JUMBO: u16 = 0x8870;
pub const ETHERTYPE_ARISTA: u16 = 0xd28b;
/// Values up to this are 802.3 lengths, not types.
pub const MAX_ETHERNET_LENGTH_VAL: u16 = 1500;

const ETHER_HDRLEN: usize = 14;
const MAC_ADDR_LEN: usize = 6;

/// tcpdump's `ethertype_values` (first match wins: 0x9100 is "802.1Q-9100", not "VMAN").
pub const ETHERTYPE_VALUES: &[(u32, &str)] = &[
    (0x0800, "IPv4"),
    (0x8847, "MPLS unicast"),
    (0x8848, "MPLS multicast"),
    (0x86dd, "IPv6"),
    (0x8100, "802.1Q"),
    (0x9100, "802.1Q-9100"),
    (0x88a8, "802.1Q-QinQ"),
    (0x9200, "802.1Q-9200"),
    (0x88e5, "802.1AE MACsec"),
    (0x9100, "VMAN"),
    (0x0200, "PUP"),
    (0x0806, "ARP"),
    (0x8035, "Reverse ARP"),
    (0x0600, "NS"),
    (0x0500, "Sprite"),
    (0x1000, "Trail"),
    (0x6001, "MOP DL"),
    (0x6002, "MOP RC"),
    (0x6003, "DN"),
    (0x6004, "LAT"),
    (0x6007, "SCA"),
    (0x6558, "TEB"),
    (0x8038, "Lanbridge"),
    (0x803c, "DEC DNS"),
    (0x803e, "DEC DTS"),
    (0x805b, "VEXP"),
    (0x805c, "VPROD"),
    (0x809b, "Appletalk"),
    (0x80f3, "Appletalk ARP"),
    (0x8137, "IPX"),
    (0x880b, "PPP"),
    (0x8808, "MPCP"),
    (0x8809, "Slow Protocols"),
    (0x8863, "PPPoE D"),
    (0x8864, "PPPoE S"),
    (0x888e, "EAPOL"),
    (0x8899, "Realtek protocols"),
    (0x886f, "MS NLB heartbeat"),
    (0x8870, "Jumbo"),
    (0x894f, "NSH"),
    (0x9000, "Loopback"),
    (0xfefe, "OSI"),
    (0x00fe, "GRE-OSI"),
    (0xabcd, "CFM (old)"),
    (0x8902, "CFM"),
    (0x893a, "IEEE1905.1"),
    (0x88cc, "LLDP"),
    (0x88ca, "TIPC"),
    (0x0707, "GeoNet (old)"),
    (0x8947, "GeoNet"),
    (0x1111, "CALM FAST"),
    (0x88a2, "AoE"),
    (0x88f7, "PTP"),
    (0xd28b, "Arista Vendor Specific Protocol"),
];

/// Name of an Ethernet type, `"Unknown"` if not in the table.
pub fn ethertype_name(t: u16) -> &'static str {
    tok(ETHERTYPE_VALUES, t as u32).unwrap_or("Unknown")
}

fn addresses_print(ctx: &mut Ctx, src: &[u8], dst: &[u8]) {
    ctx.mac(src);
    ctx.push(" > ");
    ctx.mac(dst);
    ctx.push(", ");
}

fn type_print(ctx: &mut Ctx, t: u16) {
    if !ctx.qflag() {
        pr!(ctx, "ethertype {} (0x{:04x})", ethertype_name(t), t);
    } else {
        match tok(ETHERTYPE_VALUES, t as u32) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "Unknown Ethertype (0x{:04x})", t),
        }
    }
}

/// `ieee8021q_tci_string`.
pub fn tci_print(ctx: &mut Ctx, tci: u16) {
    pr!(
        ctx,
        "vlan {}, p {}{}",
        tci & 0xfff,
        tci >> 13,
        if tci & 0x1000 != 0 { ", DEI" } else { "" }
    );
}

/// Top-level printer for LINKTYPE_ETHERNET.
pub fn ether_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "ether";
    ether_print(ctx, p, len, p.len() as u32)
}

/// An Ethernet frame (also used for encapsulated frames). Returns the header length.
pub fn ether_print(ctx: &mut Ctx, p: &[u8], length: u32, caplen: u32) -> PResult<u32> {
    ctx.protocol = "ether";
    ether_common_print(ctx, p, length, caplen, None, None)
}

/// A switch tag between the source address and the type (DSA, EDSA, Broadcom): its printer,
/// called on the tag's bytes, and its length.
pub type SwitchTag = (fn(&mut Ctx, &[u8]) -> PResult, u32);

/// `ether_switch_tag_print`: an Ethernet frame with a switch tag after the addresses.
pub fn ether_switch_tag_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    tag: SwitchTag,
) -> PResult<u32> {
    ether_common_print(ctx, p, length, caplen, Some(tag), None)
}

/// An Ethernet frame inside another link layer whose header `encap` prints (after the length
/// checks, before the addresses), such as an ATM LANE client id.
pub fn ether_encap_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    encap: &dyn Fn(&mut Ctx),
) -> PResult<u32> {
    ctx.protocol = "ether";
    ether_common_print(ctx, p, length, caplen, None, Some(encap))
}

/// tcpdump's `ether_common_print`. Returns the header length.
fn ether_common_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    tag: Option<SwitchTag>,
    encap: Option<&dyn Fn(&mut Ctx)>,
) -> PResult<u32> {
    let caplen = caplen.min(p.len() as u32);
    if length < caplen {
        pr!(ctx, "[length {} < caplen {}]", length, caplen);
        ctx.print_invalid();
        return Ok(length);
    }
    let tag_len = tag.map_or(0, |t| t.1);
    if caplen < ETHER_HDRLEN as u32 + tag_len {
        ctx.print_trunc();
        return Ok(caplen);
    }
    if let Some(encap) = encap {
        encap(ctx);
    }
    let orig_length = length;
    let dst = &p[..MAC_ADDR_LEN];
    let src = &p[MAC_ADDR_LEN..2 * MAC_ADDR_LEN];
    let mut length = length - 2 * MAC_ADDR_LEN as u32;
    let mut caplen = caplen - 2 * MAC_ADDR_LEN as u32;
    let mut off = 2 * MAC_ADDR_LEN;
    if ctx.eflag() {
        addresses_print(ctx, src, dst);
    }
    if let Some((print_tag, n)) = tag {
        print_tag(ctx, &p[off..])?;
        length -= n;
        caplen -= n;
        off += n as usize;
    }

    let mut p = p;
    // Back here after a header that announces another type field (Arista's).
    loop {
        let mut length_type = p.be_u16(off)?;
        length -= 2;
        caplen -= 2;
        off += 2;

        let mut printed_length = false;
        if length_type == macsec::ETHERTYPE_MACSEC {
            if ctx.eflag() {
                type_print(ctx, length_type);
                pr!(ctx, ", length {}: ", orig_length);
                printed_length = true;
            }
            match macsec::macsec_print(ctx, &p[off..], length, caplen, (src, dst))? {
                Sectag::Stop => return Ok(off as u32 + caplen),
                Sectag::Encrypted { sectag_len } => {
                    let n = sectag_len as usize;
                    if !ctx.suppress_default_print() {
                        ctx.default_print(&p[off + n..], caplen - sectag_len)?;
                    }
                    return Ok((off + n) as u32);
                }
                Sectag::Clear {
                    sectag_len,
                    length: l,
                    caplen: c,
                } => {
                    // The ICV is not part of the payload: the capture ends before it.
                    p = &p[..p.len() - macsec::ICV_LEN as usize];
                    off += sectag_len as usize;
                    length_type = p.be_u16(off)?;
                    if c < 2 {
                        pr!(ctx, " [caplen {} < 2]", c);
                        return Ok(off as u32);
                    }
                    length = l.wrapping_sub(2);
                    caplen = c - 2;
                    off += 2;
                }
            }
        }
        while matches!(
            length_type,
            ETHERTYPE_8021Q | ETHERTYPE_8021Q9100 | ETHERTYPE_8021Q9200 | ETHERTYPE_8021QINQ
        ) {
            if caplen < 4 {
                ctx.protocol = "vlan";
                ctx.print_trunc();
                return Ok(off as u32 + caplen);
            }
            if length < 4 {
                ctx.protocol = "vlan";
                ctx.print_trunc();
                return Ok(off as u32 + length);
            }
            if ctx.eflag() {
                let tag = p.be_u16(off)?;
                type_print(ctx, length_type);
                if !printed_length {
                    pr!(ctx, ", length {}: ", orig_length);
                    printed_length = true;
                } else {
                    ctx.push(", ");
                }
                tci_print(ctx, tag);
                ctx.push(", ");
            }
            length_type = p.be_u16(off + 2)?;
            off += 4;
            length -= 4;
            caplen -= 4;
        }

        let rest = &p[off..];
        if length_type <= MAX_ETHERNET_LENGTH_VAL {
            // A length field: an LLC header follows.
            if (length_type as u32) < length {
                length = length_type as u32;
                if caplen > length {
                    caplen = length;
                }
            }
            let rest = &rest[..(caplen as usize).min(rest.len())];
            if ctx.eflag() {
                ctx.push("802.3");
                if !printed_length {
                    pr!(ctx, ", length {}: ", length);
                }
            }
            let llc_hdrlen =
                llc::llc_or_default_print(ctx, rest, length, caplen, Some((src, dst)))?;
            return Ok(off as u32 + llc_hdrlen.unsigned_abs());
        }
        if length_type == ETHERTYPE_JUMBO {
            let llc_hdrlen =
                llc::llc_or_default_print(ctx, rest, length, caplen, Some((src, dst)))?;
            return Ok(off as u32 + llc_hdrlen.unsigned_abs());
        }
        if length_type == ETHERTYPE_ARISTA {
            if caplen < 2 {
                ctx.push("[|arista]");
                return Ok(off as u32 + caplen);
            }
            if length < 2 {
                ctx.push("[|arista]");
                return Ok(off as u32 + length);
            }
            // Printed with or without -e: the type that follows is printed like a link header.
            type_print(ctx, length_type);
            pr!(ctx, ", length {}: ", orig_length);
            match arista::arista_ethertype_print(ctx, rest)? {
                Some(n) => {
                    length -= n;
                    caplen -= n;
                    off += n as usize;
                    continue;
                }
                None => {
                    // An unknown subtype: the raw packet, introduced as for unknown types.
                    if !ctx.eflag() {
                        addresses_print(ctx, src, dst);
                        type_print(ctx, length_type);
                        pr!(ctx, ", length {}: ", orig_length);
                    }
                    if !ctx.suppress_default_print() {
                        ctx.default_print(rest, caplen)?;
                    }
                    return Ok(off as u32);
                }
            }
        }
        if ctx.eflag() {
            type_print(ctx, length_type);
            if !printed_length {
                pr!(ctx, ", length {}: ", orig_length);
            } else {
                ctx.push(", ");
            }
        }
        if !ethertype_src_print(ctx, length_type, rest, length, caplen, Some(src))? {
            if !ctx.eflag() {
                addresses_print(ctx, src, dst);
                type_print(ctx, length_type);
                pr!(ctx, ", length {}: ", orig_length);
            }
            if !ctx.suppress_default_print() {
                ctx.default_print(rest, caplen)?;
            }
        }
        return Ok(off as u32);
    }
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    fn print(opts: PrintOptions, data: &[u8]) -> String {
        print_packet(PrintOptions { utc: true, ..opts }, 1, data)
    }

    const UNKNOWN: &[u8] = &[
        0, 0x1b, 0x21, 0x3a, 0x4c, 0x5d, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0x12, 0x34, 0xaa, 0xbb,
    ];

    #[test]
    fn unknown_type_prints_addresses_and_raw_bytes() {
        assert_eq!(
            print(PrintOptions::default(), UNKNOWN),
            "52:54:00:12:34:56 > 00:1b:21:3a:4c:5d, ethertype Unknown (0x1234), length 16: \
             \n\t0x0000:  aabb                                     ..\n"
        );
        assert_eq!(
            print(
                PrintOptions {
                    quiet: true,
                    ..Default::default()
                },
                UNKNOWN
            ),
            "52:54:00:12:34:56 > 00:1b:21:3a:4c:5d, Unknown Ethertype (0x1234), length 16: \n"
        );
    }

    #[test]
    fn vlan_tags_with_e() {
        let mut d = UNKNOWN[..12].to_vec();
        d.extend_from_slice(&[0x81, 0x00, 0x20, 0x64, 0x12, 0x34]);
        assert_eq!(
            print(
                PrintOptions {
                    link_header: true,
                    quiet: true,
                    ..Default::default()
                },
                &d
            ),
            "52:54:00:12:34:56 > 00:1b:21:3a:4c:5d, 802.1Q, length 18: vlan 100, p 1, \
             Unknown Ethertype (0x1234), \n"
        );
    }

    #[test]
    fn arista_header_then_the_real_type() {
        let mut d = UNKNOWN[..12].to_vec();
        d.extend_from_slice(&[
            0xd2, 0x8b, 0, 1, 0, 0x20, 0, 5, 0, 0, 0, 1, 0x12, 0x34, 0xaa,
        ]);
        assert_eq!(
            print(PrintOptions::default(), &d),
            "ethertype Arista Vendor Specific Protocol (0xd28b), length 27: SubType Timestamp \
             (0x0001), Timescale TAI (0), Format 48-bit (2), HwInfo R/R2 (0), Timestamp \
             5.000000001: 52:54:00:12:34:56 > 00:1b:21:3a:4c:5d, ethertype Unknown (0x1234), \
             length 27: \n\t0x0000:  aa                                       .\n"
        );
        d[17] = 2;
        assert_eq!(
            print(
                PrintOptions {
                    quiet: true,
                    ..Default::default()
                },
                &d
            ),
            "Arista Vendor Specific Protocol, length 27: SubType Timestamp (0x0001), Timescale \
             TAI (0), Format Unknown (0), HwInfo Unknown (2), Timestamp 52:54:00:12:34:56 > \
             00:1b:21:3a:4c:5d, Arista Vendor Specific Protocol, length 27: \n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut d = UNKNOWN[..12].to_vec();
        d.extend_from_slice(&[0x81, 0x00, 0x20, 0x64, 0x08, 0x00, 0x45, 0, 0, 20]);
        assert_every_truncated_packet_is_safe(1, &d, &[opts(0, false), opts(0, true)]);
    }
}
