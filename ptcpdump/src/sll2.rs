//! LINUX_SLL2 ("Linux cooked v2") headers, for classic pcap files that hold packets of
//! interfaces with different link types (a tun device and Ethernet ones under `-i any`): a pcap
//! file has one link type, so every packet is rewritten as libpcap's `-i any` capture would have
//! delivered it, and tcpdump, tshark and `ptcpdump -r` decode each one right.
//!
//! Format (<https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html>), big-endian:
//! protocol (2), reserved (2), interface index (4), ARPHRD_ type (2), packet type (1),
//! link-layer address length (1), link-layer address (8, zero padded), then the packet from
//! its network-layer header on.
use crate::annotate::Direction;

pub const LINKTYPE_LINUX_SLL2: u32 = 276;
pub const HDR_LEN: usize = 20;

pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_LOOPBACK: u16 = 772;
/// Devices without a link-layer header (tun, wireguard).
pub const ARPHRD_NONE: u16 = 0xfffe;

// linux/if_packet.h
const PACKET_HOST: u8 = 0;
const PACKET_BROADCAST: u8 = 1;
const PACKET_MULTICAST: u8 = 2;
const PACKET_OTHERHOST: u8 = 3;
const PACKET_OUTGOING: u8 = 4;

// linux/if_ether.h
const ETH_HLEN: usize = 14;
const ETH_P_802_3: u16 = 0x0001;
const ETH_P_802_2: u16 = 0x0004;
const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;
/// Values up to this are 802.3 lengths, not EtherTypes.
const ETH_MAX_LENGTH_FIELD: u16 = 1500;

const LINKTYPE_ETHERNET: u32 = 1;
const LINKTYPE_RAW: u32 = 101;
const LINKTYPE_LINUX_SLL: u32 = 113;
const LINKTYPE_IPV4: u32 = 228;
const LINKTYPE_IPV6: u32 = 229;

/// What the header says about the interface a packet was captured on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Device {
    /// Interface index in its network namespace (0 when unknown, e.g. read from a file).
    pub ifindex: u32,
    /// ARPHRD_ type of the device.
    pub hatype: u16,
    /// The device's own MAC address (zero when unknown): incoming frames addressed to another
    /// station are marked "otherhost" as the kernel marks them.
    pub hwaddr: [u8; 6],
}

impl Device {
    /// A device seen only through a file: the link type gives the ARPHRD_ type.
    pub fn from_linktype(linktype: u32) -> Device {
        Device {
            ifindex: 0,
            hatype: if linktype == LINKTYPE_ETHERNET {
                ARPHRD_ETHER
            } else {
                ARPHRD_NONE
            },
            hwaddr: [0; 6],
        }
    }
}

/// Writes the packet `data` (of `linktype`, `len` bytes on the wire) into `out` as an SLL2
/// packet; returns its length on the wire, or `None` for a link type it cannot rewrite
/// (Ethernet, raw IP, LINUX_SLL and LINUX_SLL2 can be).
pub fn cook(
    out: &mut Vec<u8>,
    linktype: u32,
    data: &[u8],
    len: u32,
    dir: Option<Direction>,
    dev: &Device,
) -> Option<u32> {
    out.clear();
    let grow = |strip: usize| {
        len.saturating_sub(strip as u32)
            .saturating_add(HDR_LEN as u32)
    };
    match linktype {
        LINKTYPE_LINUX_SLL2 => {
            out.extend_from_slice(data);
            Some(len)
        }
        LINKTYPE_ETHERNET if data.len() >= ETH_HLEN => {
            let field = u16::from_be_bytes([data[12], data[13]]);
            let protocol = if field > ETH_MAX_LENGTH_FIELD {
                field
            } else if data.get(14..16) == Some(&[0xff, 0xff]) {
                // Novell "raw" 802.3: IPX right after the length, as the kernel tells it apart.
                ETH_P_802_3
            } else {
                ETH_P_802_2
            };
            let dst = &data[..6];
            let pkttype = match dir {
                Some(Direction::Out) => PACKET_OUTGOING,
                _ if dst == [0xff; 6] => PACKET_BROADCAST,
                _ if dst[0] & 1 == 1 => PACKET_MULTICAST,
                _ if dev.hwaddr != [0; 6] && dst != dev.hwaddr => PACKET_OTHERHOST,
                _ => PACKET_HOST,
            };
            header(
                out,
                protocol,
                dev.ifindex,
                dev.hatype,
                pkttype,
                &data[6..12],
            );
            out.extend_from_slice(&data[ETH_HLEN..]);
            Some(grow(ETH_HLEN))
        }
        // A runt frame: nothing to take a protocol from; kept whole behind an empty protocol.
        LINKTYPE_ETHERNET => {
            header(out, 0, dev.ifindex, dev.hatype, pkttype(dir), &[]);
            out.extend_from_slice(data);
            Some(grow(0))
        }
        LINKTYPE_RAW | LINKTYPE_IPV4 | LINKTYPE_IPV6 => {
            let protocol = match (linktype, data.first().map(|b| b >> 4)) {
                (LINKTYPE_IPV4, _) | (_, Some(4)) => ETH_P_IP,
                (LINKTYPE_IPV6, _) | (_, Some(6)) => ETH_P_IPV6,
                _ => 0,
            };
            header(out, protocol, dev.ifindex, dev.hatype, pkttype(dir), &[]);
            out.extend_from_slice(data);
            Some(grow(0))
        }
        LINKTYPE_LINUX_SLL if data.len() >= 16 => {
            // v1: packet type (2), ARPHRD_ (2), address length (2), address (8), protocol (2).
            let halen = usize::from(data[5]).min(8);
            let hatype = u16::from_be_bytes([data[2], data[3]]);
            let protocol = u16::from_be_bytes([data[14], data[15]]);
            header(
                out,
                protocol,
                dev.ifindex,
                hatype,
                data[1],
                &data[6..6 + halen],
            );
            out.extend_from_slice(&data[16..]);
            Some(grow(16))
        }
        _ => None,
    }
}

fn pkttype(dir: Option<Direction>) -> u8 {
    match dir {
        Some(Direction::Out) => PACKET_OUTGOING,
        _ => PACKET_HOST,
    }
}

fn header(out: &mut Vec<u8>, protocol: u16, ifindex: u32, hatype: u16, pkttype: u8, addr: &[u8]) {
    out.extend_from_slice(&protocol.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&ifindex.to_be_bytes());
    out.extend_from_slice(&hatype.to_be_bytes());
    out.push(pkttype);
    out.push(addr.len() as u8);
    let mut a = [0u8; 8];
    a[..addr.len()].copy_from_slice(addr);
    out.extend_from_slice(&a);
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAC_A: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0a];
    const MAC_B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0b];

    /// An IPv4 header (20 bytes, protocol 253) from 198.18.0.1 to 198.18.0.2.
    fn ipv4() -> Vec<u8> {
        vec![
            0x45, 0, 0, 20, 0, 1, 0, 0, 64, 253, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2,
        ]
    }

    fn ether(dst: [u8; 6], src: [u8; 6], ethertype: u16, payload: &[u8]) -> Vec<u8> {
        let mut f = dst.to_vec();
        f.extend_from_slice(&src);
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.extend_from_slice(payload);
        f
    }

    fn dev(hatype: u16, hwaddr: [u8; 6]) -> Device {
        Device {
            ifindex: 7,
            hatype,
            hwaddr,
        }
    }

    #[test]
    fn ethernet_frames_keep_protocol_source_and_direction() {
        let mut out = Vec::new();
        let f = ether(MAC_B, MAC_A, ETH_P_IP, &ipv4());
        let d = dev(ARPHRD_ETHER, MAC_A);
        let len = cook(&mut out, 1, &f, 60, Some(Direction::Out), &d).unwrap();
        // 60 on the wire, the 14-byte Ethernet header replaced by the 20-byte SLL2 one.
        assert_eq!(len, 66);
        assert_eq!(
            out[..HDR_LEN],
            [
                0x08,
                0x00,
                0,
                0,
                0,
                0,
                0,
                7,
                0,
                1,
                PACKET_OUTGOING,
                6,
                2,
                0,
                0,
                0,
                0,
                0x0a,
                0,
                0
            ]
        );
        assert_eq!(out[HDR_LEN..], ipv4()[..]);
        // Incoming: to us, to another station, broadcast, multicast.
        let pkt = |dst, d: &Device| {
            let mut o = Vec::new();
            cook(
                &mut o,
                1,
                &ether(dst, MAC_B, ETH_P_IP, &ipv4()),
                34,
                Some(Direction::In),
                d,
            );
            o[10]
        };
        assert_eq!(pkt(MAC_A, &d), PACKET_HOST);
        assert_eq!(pkt(MAC_B, &d), PACKET_OTHERHOST);
        assert_eq!(pkt([0xff; 6], &d), PACKET_BROADCAST);
        assert_eq!(pkt([0x33, 0x33, 0, 0, 0, 1], &d), PACKET_MULTICAST);
        // A device whose MAC is unknown (lo, a file): never "otherhost".
        assert_eq!(pkt(MAC_B, &dev(ARPHRD_LOOPBACK, [0; 6])), PACKET_HOST);
    }

    #[test]
    fn llc_frames_get_the_kernels_pseudo_protocols() {
        let mut out = Vec::new();
        let llc = [0x42, 0x42, 0x03, 0, 0];
        let f = ether(MAC_B, MAC_A, llc.len() as u16, &llc);
        cook(&mut out, 1, &f, 19, None, &dev(ARPHRD_ETHER, [0; 6])).unwrap();
        assert_eq!(out[..2], ETH_P_802_2.to_be_bytes());
        assert_eq!(out[HDR_LEN..], llc);
        let ipx = [0xff, 0xff, 0, 30];
        let f = ether(MAC_B, MAC_A, 30, &ipx);
        cook(&mut out, 1, &f, 18, None, &dev(ARPHRD_ETHER, [0; 6])).unwrap();
        assert_eq!(out[..2], ETH_P_802_3.to_be_bytes());
    }

    #[test]
    fn raw_ip_gets_its_protocol_from_the_version() {
        let mut out = Vec::new();
        let d = dev(ARPHRD_NONE, [0; 6]);
        assert_eq!(
            cook(&mut out, 101, &ipv4(), 20, Some(Direction::In), &d),
            Some(40)
        );
        assert_eq!(
            out[..HDR_LEN],
            [
                0x08,
                0,
                0,
                0,
                0,
                0,
                0,
                7,
                0xff,
                0xfe,
                PACKET_HOST,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0
            ]
        );
        assert_eq!(out[HDR_LEN..], ipv4()[..]);
        let v6 = [0x60u8, 0, 0, 0, 0, 0, 59, 64];
        cook(&mut out, 101, &v6, 40, Some(Direction::Out), &d).unwrap();
        assert_eq!(
            (out[..2].to_vec(), out[10]),
            (vec![0x86, 0xdd], PACKET_OUTGOING)
        );
        // LINKTYPE_IPV4/IPV6 name the protocol themselves.
        cook(&mut out, 229, &[0u8; 4], 4, None, &d).unwrap();
        assert_eq!(out[..2], [0x86, 0xdd]);
    }

    #[test]
    fn sll_v1_becomes_v2_and_v2_stays() {
        let mut out = Vec::new();
        let mut v1 = vec![0, PACKET_BROADCAST, 0, 1, 0, 6];
        v1.extend_from_slice(&MAC_A);
        v1.extend_from_slice(&[0, 0, 0x08, 0x00]);
        v1.extend_from_slice(&ipv4());
        let len = cook(&mut out, 113, &v1, 36, None, &Device::default()).unwrap();
        assert_eq!(len, 40);
        assert_eq!(
            out[..HDR_LEN],
            [
                0x08,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                1,
                PACKET_BROADCAST,
                6,
                2,
                0,
                0,
                0,
                0,
                0x0a,
                0,
                0
            ]
        );
        let v2 = out.clone();
        assert_eq!(
            cook(&mut out, 276, &v2, 40, None, &Device::default()),
            Some(40)
        );
        assert_eq!(out, v2);
    }

    #[test]
    fn other_link_types_are_refused_and_nothing_panics() {
        let mut out = Vec::new();
        assert_eq!(
            cook(&mut out, 105, &[1, 2, 3], 3, None, &Device::default()),
            None
        );
        // Truncated at every length: never a panic, always a whole header.
        let f = ether(MAC_B, MAC_A, ETH_P_IP, &ipv4());
        for lt in [1, 101, 113, 228, 229, 276] {
            for n in 0..f.len() {
                if let Some(len) = cook(&mut out, lt, &f[..n], n as u32, None, &dev(1, MAC_A)) {
                    assert!(lt == 276 || out.len() >= HDR_LEN, "{lt} {n}");
                    assert!(len as usize >= out.len().min(HDR_LEN) || lt == 276);
                }
            }
        }
    }
}
