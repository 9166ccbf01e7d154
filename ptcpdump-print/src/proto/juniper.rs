//! Juniper Networks' link types (LINKTYPE_JUNIPER_*): the pseudo-header JUNOS puts in front of
//! captured frames ("MGC" magic, flags, optional extension TLVs), the PIC cookies of the
//! service PICs, and the frame that follows (ATM1/ATM2 cells and AAL5 frames, Ethernet, PPP,
//! Multilink PPP and Frame Relay, Cisco HDLC, PPPoE, GGSN, encryption services, monitoring and
//! advanced services PICs); tcpdump's print-juniper.c. The format is documented only by
//! libpcap's LINKTYPE_JUNIPER_* notes and the captures JUNOS writes.

use super::util_print::tail;
use super::{Ctx, atm, bittok2str, chdlc, ether, ethertype_print, fr, ip, ip6, isoclns, llc};
use super::{mpls, ppp, pr, tok};
use crate::cursor::{Bytes, PResult};

/// The PIC (or interface family) a link type comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pic {
    Mlppp,
    Mlfr,
    Es,
    Ggsn,
    Mfr,
    Atm2,
    Services,
    Atm1,
    Monitor,
    Pppoe,
    PppoeAtm,
    Ether,
    Ppp,
    Frelay,
    Chdlc,
}

impl Pic {
    /// The PIC cookie: its length and the name `-e` prints, for the PICs that have one.
    fn cookie(self) -> Option<(u32, &'static str)> {
        Some(match self {
            Pic::Atm1 => (4, "ATM1"),
            Pic::Atm2 => (8, "ATM2"),
            Pic::Mlppp => (2, "MLPPP"),
            Pic::Mlfr => (2, "MLFR"),
            Pic::Mfr => (4, "MFR"),
            Pic::Pppoe => (0, "PPPoE"),
            Pic::PppoeAtm => (0, "PPPoE ATM"),
            Pic::Ggsn => (8, "GGSN"),
            Pic::Monitor => (8, "MONITOR"),
            Pic::Services => (8, "AS"),
            Pic::Es => (0, "ES"),
            Pic::Ether | Pic::Ppp | Pic::Frelay | Pic::Chdlc => return None,
        })
    }
}

const JUNIPER_BPF_IN: u8 = 1;
const JUNIPER_BPF_PKT_IN: u8 = 0x01;
const JUNIPER_BPF_NO_L2: u8 = 0x02;
const JUNIPER_BPF_EXT: u8 = 0x80;
const JUNIPER_MGC_NUMBER: u32 = 0x4d4743; // "MGC"

const JUNIPER_LSQ_COOKIE_RE: u8 = 1 << 3;
const JUNIPER_LSQ_COOKIE_DIR: u8 = 1 << 2;
const JUNIPER_LSQ_L3_PROTO_MASK: u16 = 0x17 << 4;
const JUNIPER_LSQ_L3_PROTO_IPV4: u16 = 0;
const JUNIPER_LSQ_L3_PROTO_IPV6: u16 = 1 << 4;
const JUNIPER_LSQ_L3_PROTO_MPLS: u16 = 2 << 4;
const JUNIPER_LSQ_L3_PROTO_ISO: u16 = 3 << 4;
const AS_PIC_COOKIE_LEN: u32 = 8;

const LS_COOKIE_ID: u8 = 0x54;
const AS_COOKIE_ID: u8 = 0x47;

const ATM2_PKT_TYPE_MASK: u8 = 0x70;
const ATM2_GAP_COUNT_MASK: u32 = 0x3f;
const MFR_BE_MASK: u8 = 0xc0;

const LLC_UI: u16 = 0x03;
const LLCSAP_ISONS: u16 = 0xfe;
const NLPID_Q933: u16 = 0x08;
const NLPID_IP: u16 = 0xcc;
const NLPID_IP6: u16 = 0x8e;

const PPP_OSI: u16 = 0x0023;
const PPP_ADDRESS_CONTROL: u16 = 0xff03;

const JUNIPER_IPSEC_TYPE_VALUES: &[(u32, &str)] = &[
    (1, "ESP ENCR-AUTH"),
    (2, "ESP ENCR-AH AUTH"),
    (3, "ESP AUTH"),
    (4, "AH AUTH"),
    (5, "ESP ENCR"),
];

const JUNIPER_DIRECTION_VALUES: &[(u32, &str)] = &[(1, "In"), (0, "Out")];

const JNX_FLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "Ext"),
    (0x40, "Filter"),
    (0x04, "IIF"),
    (0x02, "no-L2"),
    (0x01, "In"),
];

// Extension TLV types.
const EXT_TLV_IFD_NAME: u8 = 2;
const EXT_TLV_IFD_MEDIATYPE: u8 = 3;
const EXT_TLV_IFL_ENCAPS: u8 = 6;
const EXT_TLV_TTP_IFD_MEDIATYPE: u8 = 7;
const EXT_TLV_TTP_IFL_ENCAPS: u8 = 8;
/// A TLV's type and length octets.
const EXT_TLV_OVERHEAD: u32 = 2;

const JNX_EXT_TLV_VALUES: &[(u32, &str)] = &[
    (1, "Device Interface Index"),
    (2, "Device Interface Name"),
    (3, "Device Media Type"),
    (4, "Logical Interface Index"),
    (5, "Logical Unit Number"),
    (6, "Logical Interface Encapsulation"),
    (7, "TTP derived Device Media Type"),
    (8, "TTP derived Logical Interface Encapsulation"),
];

/// Interface media types (IFD media types).
const JUNIPER_IFMT_VALUES: &[(u32, &str)] = &[
    (1, "Ethernet"),
    (2, "FDDI"),
    (3, "Token-Ring"),
    (4, "PPP"),
    (57, "PPP-Subordinate"),
    (5, "Frame-Relay"),
    (6, "Cisco-HDLC"),
    (7, "SMDS-DXI"),
    (8, "ATM-PVC"),
    (9, "PPP-CCC"),
    (10, "Frame-Relay-CCC"),
    (48, "Extended FR-CCC"),
    (11, "IP-over-IP"),
    (12, "GRE"),
    (13, "PIM-Encapsulator"),
    (14, "PIM-Decapsulator"),
    (15, "Cisco-HDLC-CCC"),
    (16, "VLAN-CCC"),
    (32, "Extended-VLAN-CCC"),
    (17, "Multilink-PPP"),
    (18, "Multilink-FR"),
    (39, "Multilink-FR-UNI-NNI"),
    (19, "Multilink"),
    (40, "LinkService"),
    (20, "LSI"),
    (22, "ATM-CCC-Cell-Relay"),
    (23, "IPSEC-over-IP"),
    (24, "GGSN"),
    (27, "PPP-TCC"),
    (28, "Frame-Relay-TCC"),
    (49, "Extended FR-TCC"),
    (29, "Cisco-HDLC-TCC"),
    (30, "Ethernet-CCC"),
    (31, "VPN-Loopback-tunnel"),
    (33, "Ethernet-over-ATM"),
    (46, "Ethernet-VPLS-over-ATM"),
    (34, "Monitor"),
    (35, "Ethernet-TCC"),
    (36, "VLAN-TCC"),
    (37, "Extended-VLAN-TCC"),
    (38, "Controller"),
    (41, "VPLS"),
    (42, "VLAN-VPLS"),
    (43, "Extended-VLAN-VPLS"),
    (44, "Logical-tunnel"),
    (45, "General-Services"),
    (56, "PPPoE"),
    (52, "Flexible-Ethernet-Services"),
    (50, "Flexible-FrameRelay"),
    (53, "Flow-collection"),
    (60, "PIC Peer"),
    (59, "Dynamic-Flow-Capture"),
];

/// Logical interface encapsulations (IFL encapsulations).
const JUNIPER_IFLE_VALUES: &[(u32, &str)] = &[
    (59, "Aggregator"),
    (9, "CCC over ATM"),
    (32, "ATM CCC Cell Relay"),
    (26, "CISCO compatible NLPID"),
    (56, "Ethernet over ATM CCC"),
    (41, "Ethernet over ATM LLC"),
    (53, "Ethernet VPLS over ATM LLC"),
    (5, "ATM LLC"),
    (55, "MLPPP over ATM LLC"),
    (3, "ATM NLPID"),
    (61, "PPPoE over ATM LLC"),
    (8, "PPP over FUNI"),
    (7, "PPP over ATM LLC"),
    (6, "PPP over ATM VCMUX"),
    (2, "ATM SNAP"),
    (43, "ATM SNAP TCC"),
    (35, "ATM VCMUX TCC"),
    (4, "ATM VCMUX"),
    (18, "C-HDLC"),
    (25, "C-HDLC CCC"),
    (65, "C-HDLC via dialer"),
    (38, "C-HDLC TCC"),
    (58, "Collector"),
    (33, "Crypto"),
    (14, "Ethernet"),
    (39, "Ethernet CCC"),
    (51, "Extended VLAN VPLS"),
    (62, "PPPoE over Ethernet"),
    (45, "Ethernet TCC"),
    (50, "VLAN VPLS"),
    (49, "VPLS"),
    (42, "Extended VLAN CCC"),
    (47, "Extended VLAN TCC"),
    (13, "FR CCC"),
    (10, "FR NLPID"),
    (54, "FR CCC"),
    (12, "FR PPP"),
    (11, "FR SNAP"),
    (36, "FR TCC"),
    (34, "GGSN"),
    (22, "GRE NULL"),
    (23, "PPP over GRE"),
    (20, "IPIP"),
    (60, "LAPD"),
    (30, "LSI Null"),
    (57, "LT VLAN"),
    (48, "MFR"),
    (29, "MLFR"),
    (28, "MLPPP"),
    (44, "Monitor"),
    (24, "PIMd"),
    (21, "PIM Null"),
    (17, "PPP"),
    (63, "PPPoE"),
    (19, "PPP CCC"),
    (64, ""),
    (37, "PPP TCC"),
    (52, "General Services"),
    (27, "VLAN CCC"),
    (46, "VLAN TCC"),
    (40, "VT"),
];

const JUNIPER_PROTOCOL_VALUES: &[(u32, &str)] = &[(1, "Null"), (2, "IPv4"), (6, "IPv6")];

/// What the pseudo-header and the PIC cookie said (tcpdump's `juniper_l2info_t`).
#[derive(Clone, Copy, Debug, Default)]
struct L2Info {
    /// On-the-wire and captured lengths after the header.
    length: u32,
    caplen: u32,
    direction: u8,
    /// Pseudo-header plus cookie (plus what the PIC adds): where the frame starts.
    header_len: u32,
    cookie_len: u32,
    cookie_type: u8,
    cookie: [u8; 8],
    bundle: u32,
    proto: u16,
}

impl L2Info {
    fn cookie_be16(&self, off: usize) -> u16 {
        u16::from_be_bytes([self.cookie[off], self.cookie[off + 1]])
    }
    fn cookie_be32(&self) -> u32 {
        u32::from_be_bytes([
            self.cookie[0],
            self.cookie[1],
            self.cookie[2],
            self.cookie[3],
        ])
    }
}

/// Either the frame follows, or the header said all there is (its length is what `-x` skips).
enum Parsed {
    Frame(L2Info),
    Done(u32),
}

/// A TLV value: little-endian below type 128, big-endian from it; `None` for lengths other
/// than 1 to 4.
fn tlv_value(p: &[u8], off: usize, tlv_type: u8, tlv_len: u8) -> PResult<Option<u32>> {
    let le = tlv_type < 128;
    Ok(Some(match (tlv_len, le) {
        (1, _) => p.u8_at(off)? as u32,
        (2, true) => p.le_u16(off)? as u32,
        (2, false) => p.be_u16(off)? as u32,
        (3, true) => {
            let b = p.sub(off, 3)?;
            u32::from_le_bytes([b[0], b[1], b[2], 0])
        }
        (3, false) => p.be_u24(off)?,
        (4, true) => p.le_u32(off)?,
        (4, false) => p.be_u32(off)?,
        _ => return Ok(None),
    }))
}

/// `juniper_parse_header`: the pseudo-header and the cookie of `pic`.
fn parse_header(ctx: &mut Ctx, p: &[u8], len: u32, pic: Pic) -> PResult<Parsed> {
    let mut l2 = L2Info {
        length: len,
        caplen: p.len() as u32,
        ..Default::default()
    };
    let flags = p.u8_at(3)?;
    l2.direction = flags & JUNIPER_BPF_PKT_IN;
    if p.be_u24(0)? != JUNIPER_MGC_NUMBER {
        ctx.push("no magic-number found!");
        return Ok(Parsed::Done(0));
    }
    if ctx.eflag() {
        pr!(
            ctx,
            "{:>3} ",
            tok(JUNIPER_DIRECTION_VALUES, l2.direction as u32).unwrap_or("---")
        );
    }
    let vv = ctx.vflag() > 1;
    let mut jnx_header_len: u32 = 4;
    if vv {
        ctx.push("\n\tJuniper PCAP Flags [");
        bittok2str(ctx.out, JNX_FLAG_VALUES, "none", flags as u32, ", ");
        ctx.push("]");
    }

    if flags & JUNIPER_BPF_EXT != 0 {
        let mut ext_len = p.be_u16(4)? as u32;
        jnx_header_len += 2 + ext_len;
        if vv {
            pr!(ctx, ", PCAP Extension(s) total length {}", ext_len);
        }
        let mut off = 6usize;
        p.sub(off, ext_len as usize)?;
        while ext_len > EXT_TLV_OVERHEAD {
            let tlv_type = p.u8_at(off)?;
            let tlv_len = p.u8_at(off + 1)?;
            off += 2;
            if tlv_type == 0 || tlv_len == 0 {
                break;
            }
            let need = tlv_len as u32 + EXT_TLV_OVERHEAD;
            if ext_len < need {
                pr!(ctx, " [extension_length {} < {}]", ext_len, need);
                ctx.print_invalid();
                return Ok(Parsed::Done(0));
            }
            if vv {
                pr!(
                    ctx,
                    "\n\t  {} Extension TLV #{}, length {}, value ",
                    tok(JNX_EXT_TLV_VALUES, tlv_type as u32).unwrap_or("Unknown"),
                    tlv_type,
                    tlv_len
                );
            }
            let value = tlv_value(p, off, tlv_type, tlv_len)?;
            if let (true, Some(v)) = (vv, value) {
                match tlv_type {
                    // The interface name is not decoded.
                    EXT_TLV_IFD_NAME => {}
                    EXT_TLV_IFD_MEDIATYPE | EXT_TLV_TTP_IFD_MEDIATYPE => pr!(
                        ctx,
                        "{} ({})",
                        tok(JUNIPER_IFMT_VALUES, v).unwrap_or("Unknown"),
                        v
                    ),
                    EXT_TLV_IFL_ENCAPS | EXT_TLV_TTP_IFL_ENCAPS => pr!(
                        ctx,
                        "{} ({})",
                        tok(JUNIPER_IFLE_VALUES, v).unwrap_or("Unknown"),
                        v
                    ),
                    _ => pr!(ctx, "{}", v),
                }
            }
            off += tlv_len as usize;
            ext_len -= need;
        }
        if vv {
            ctx.push("\n\t-----original packet-----\n\t");
        }
    }

    if flags & JUNIPER_BPF_NO_L2 != 0 {
        if ctx.eflag() {
            ctx.push("no-L2-hdr, ");
        }
        // No link layer: guess IPv4 or IPv6 from what follows.
        let start = jnx_header_len as usize + 4;
        p.u8_at(start)?;
        if !ip_heuristic_guess(ctx, &p[start..], l2.length.wrapping_sub(start as u32))? {
            ctx.push("no IP-hdr found!");
        }
        return Ok(Parsed::Done(start as u32));
    }
    l2.header_len = jnx_header_len;
    let mut off = jnx_header_len as usize;
    l2.length = l2.length.wrapping_sub(jnx_header_len);
    l2.caplen = l2.caplen.wrapping_sub(jnx_header_len);

    if let Some((cookie_len, name)) = pic.cookie() {
        l2.cookie_len = cookie_len;
        let first = p.u8_at(off)?;
        match first {
            LS_COOKIE_ID => {
                l2.cookie_type = LS_COOKIE_ID;
                l2.cookie_len += 2;
            }
            AS_COOKIE_ID => {
                l2.cookie_type = AS_COOKIE_ID;
                l2.cookie_len = AS_PIC_COOKIE_LEN;
            }
            // tcpdump takes the bundle from the cookie before it has copied it: 0.
            _ => l2.bundle = l2.cookie[0] as u32,
        }
        // MFR child links carry no cookie.
        if pic == Pic::Mfr && first & MFR_BE_MASK == MFR_BE_MASK {
            l2.cookie_len = 0;
        }
        l2.header_len += l2.cookie_len;
        l2.length = l2.length.wrapping_sub(l2.cookie_len);
        l2.caplen = l2.caplen.wrapping_sub(l2.cookie_len);
        if ctx.eflag() {
            pr!(ctx, "{}-PIC, cookie-len {}", name, l2.cookie_len);
        }
        if l2.cookie_len > 8 {
            ctx.print_invalid();
            return Ok(Parsed::Done(l2.header_len));
        }
        if l2.cookie_len > 0 {
            let c = p.sub(off, l2.cookie_len as usize)?;
            if ctx.eflag() {
                ctx.push(", cookie 0x");
            }
            for (i, &b) in c.iter().enumerate() {
                l2.cookie[i] = b;
                if ctx.eflag() {
                    pr!(ctx, "{:02x}", b);
                }
            }
        }
        if ctx.eflag() {
            ctx.push(": ");
        }
        l2.proto = p.be_u16(off + l2.cookie_len as usize)?;
    }
    off += l2.cookie_len as usize;

    // What each PIC adds.
    let lsq_bundle = |l2: &L2Info| ((l2.cookie_be16(6) >> 3) & 0xfff) as u32;
    let lsq_proto = |l2: &L2Info| (l2.cookie[5] as u16) & JUNIPER_LSQ_L3_PROTO_MASK;
    match pic {
        Pic::Mlppp => match l2.cookie_type {
            LS_COOKIE_ID => l2.bundle = l2.cookie[1] as u32,
            AS_COOKIE_ID => {
                l2.bundle = lsq_bundle(&l2);
                l2.proto = lsq_proto(&l2);
            }
            _ => l2.bundle = l2.cookie[0] as u32,
        },
        Pic::Mlfr | Pic::Mfr => match l2.cookie_type {
            LS_COOKIE_ID => {
                l2.bundle = l2.cookie[1] as u32;
                l2.proto = p.be_u16(off)?;
                l2.header_len += 2;
                l2.length = l2.length.wrapping_sub(2);
                l2.caplen = l2.caplen.wrapping_sub(2);
            }
            AS_COOKIE_ID => {
                l2.bundle = lsq_bundle(&l2);
                l2.proto = lsq_proto(&l2);
            }
            _ => {
                l2.bundle = l2.cookie[0] as u32;
                // The MLFR header's protocol field (read above) is part of the header.
                if pic == Pic::Mlfr {
                    l2.header_len += 2;
                    l2.length = l2.length.wrapping_sub(2);
                    l2.caplen = l2.caplen.wrapping_sub(2);
                }
            }
        },
        Pic::Atm2 => {
            p.sub(off, 4)?;
            // An ATM cell relay control word?
            if l2.cookie[7] & ATM2_PKT_TYPE_MASK != 0 {
                let control_word = p.be_u32(off)?;
                // Zero, JUNOS before 7.4, or with the cell length (56) from 7.4 on. The
                // length is not reduced (as tcpdump does not).
                if matches!(control_word, 0 | 0x0800_0000 | 0x0838_0000) {
                    l2.header_len += 4;
                }
                if ctx.eflag() {
                    pr!(ctx, "control-word 0x{:08x} ", control_word);
                }
            }
        }
        _ => {}
    }
    if ctx.eflag() {
        pr!(ctx, "hlen {}, proto 0x{:04x}, ", l2.header_len, l2.proto);
    }
    Ok(Parsed::Frame(l2))
}

/// The frame after the header, or the header length to return when there is none.
fn frame<'a>(
    ctx: &mut Ctx,
    p: &'a [u8],
    len: u32,
    pic: Pic,
) -> PResult<Result<(L2Info, &'a [u8]), u32>> {
    Ok(match parse_header(ctx, p, len, pic)? {
        Parsed::Done(n) => Err(n),
        Parsed::Frame(l2) => Ok((l2, tail(p, l2.header_len as usize))),
    })
}

/// IPv4 or IPv6, guessed from the version nibble (and, for IPv4, a header of 5+ words).
fn ip_heuristic_guess(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<bool> {
    match p.u8_at(0)? {
        0x45..=0x4f => ip::ip_print(ctx, p, length)?,
        0x60..=0x6f => ip6::ip6_print(ctx, p, length)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// PPP (without address and control), guessed from the protocols a Juniper router uses.
fn ppp_heuristic_guess(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<bool> {
    match p.be_u16(0)? {
        // IP, OSI, MPLS unicast/multicast, IPCP, OSICP, MPLSCP, LCP, PAP, CHAP, ML, IPv6,
        // IPv6CP.
        0x0021 | 0x0023 | 0x0281 | 0x0283 | 0x8021 | 0x8023 | 0x8281 | 0xc021 | 0xc023 | 0xc223
        | 0x003d | 0x0057 | 0x8057 => {
            ppp::ppp_print(ctx, p, length)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// The L3 protocol a link services (LSQ) cookie named. Returns whether it was one.
fn lsq_print(ctx: &mut Ctx, proto: u16, p: &[u8], length: u32) -> PResult<bool> {
    match proto {
        JUNIPER_LSQ_L3_PROTO_IPV4 => ip::ip_print(ctx, p, length)?,
        JUNIPER_LSQ_L3_PROTO_IPV6 => ip6::ip6_print(ctx, p, length)?,
        JUNIPER_LSQ_L3_PROTO_MPLS => mpls::mpls_print(ctx, p, length)?,
        JUNIPER_LSQ_L3_PROTO_ISO => isoclns::isoclns_print(ctx, p, length)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// LINKTYPE_JUNIPER_GGSN (133).
pub fn juniper_ggsn_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_ggsn";
    let (l2, f) = match frame(ctx, p, len, Pic::Ggsn)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    // The cookie: service id, flags and length, protocol, flags, VLAN id.
    let proto = l2.cookie[2];
    if ctx.eflag() {
        pr!(
            ctx,
            "proto {} ({}), vlan {}: ",
            tok(JUNIPER_PROTOCOL_VALUES, proto as u32).unwrap_or("Unknown"),
            proto,
            l2.cookie_be16(4)
        );
    }
    match proto {
        2 => ip::ip_print(ctx, f, l2.length)?,
        6 => ip6::ip6_print(ctx, f, l2.length)?,
        _ => {
            if !ctx.eflag() {
                pr!(ctx, "unknown GGSN proto ({})", proto);
            }
        }
    }
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_ES (132): the encryption services PIC's IPsec header, then IPv4.
pub fn juniper_es_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_es";
    let (mut l2, f) = match frame(ctx, p, len, Pic::Es)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    // SA index, TTL, type, SPI, tunnel source and destination.
    let ih = f.sub(0, 16)?;
    let es_type = ih[3];
    let (rewrite_len, bundle) = match es_type {
        1 | 2 => (0u32, true),
        3..=5 => (16, false),
        _ => {
            pr!(ctx, "ES Invalid type {}, length {}", es_type, l2.length);
            return Ok(l2.header_len);
        }
    };
    l2.length = l2.length.wrapping_sub(rewrite_len);
    let f = tail(f, rewrite_len as usize);
    if ctx.eflag() {
        let name = tok(JUNIPER_IPSEC_TYPE_VALUES, es_type as u32).unwrap_or("Unknown");
        pr!(
            ctx,
            "ES SA, index {}, ttl {} type {} ({}), ",
            ih.be_u16(0)?,
            ih[2],
            name,
            es_type
        );
        if !bundle {
            pr!(ctx, "spi {}, Tunnel ", ih.be_u32(4)?);
            ctx.ip(&ih[8..12]);
            ctx.push(" > ");
            ctx.ip(&ih[12..16]);
            ctx.push(", ");
        }
        pr!(ctx, "length {}\n", l2.length);
    }
    ip::ip_print(ctx, f, l2.length)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_MONITOR (164).
pub fn juniper_monitor_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_monitor";
    let (l2, f) = match frame(ctx, p, len, Pic::Monitor)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    // Packet type, padding, input interface, service id; tcpdump reads them from the frame
    // after the cookie and then guesses the IP version from the same place.
    let mh = f.sub(0, 8)?;
    if ctx.eflag() {
        pr!(
            ctx,
            "service-id {}, iif {}, pkt-type {}: ",
            mh.be_u32(4)?,
            mh.be_u16(2)?,
            mh[0]
        );
    }
    ip_heuristic_guess(ctx, f, l2.length)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_SERVICES (136).
pub fn juniper_services_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_services";
    let (l2, f) = match frame(ctx, p, len, Pic::Services)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    // Service id, flags, service set id, padding, direction and input interface (read from
    // the frame, as for the monitor PIC).
    let sh = f.sub(0, 8)?;
    if ctx.eflag() {
        pr!(
            ctx,
            "service-id {} flags 0x{:02x} service-set-id 0x{:04x} iif {}: ",
            sh[0],
            sh[1],
            sh.be_u16(2)?,
            sh.be_u24(5)?
        );
    }
    ip_heuristic_guess(ctx, f, l2.length)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_PPPOE (167): Ethernet frames.
pub fn juniper_pppoe_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_pppoe";
    let (l2, f) = match frame(ctx, p, len, Pic::Pppoe)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    ether::ether_print(ctx, f, l2.length, l2.caplen)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_ETHER (178).
pub fn juniper_ether_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_ether";
    let (l2, f) = match frame(ctx, p, len, Pic::Ether)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    let n = ether::ether_print(ctx, f, l2.length, l2.caplen)?;
    Ok(l2.header_len + n)
}

/// LINKTYPE_JUNIPER_PPP (179).
pub fn juniper_ppp_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_ppp";
    let (l2, f) = match frame(ctx, p, len, Pic::Ppp)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    ppp::ppp_print(ctx, f, l2.length)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_FRELAY (180).
pub fn juniper_frelay_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_frelay";
    let (l2, f) = match frame(ctx, p, len, Pic::Frelay)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    fr::fr_print(ctx, f, l2.length)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_CHDLC (181).
pub fn juniper_chdlc_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_chdlc";
    let (l2, f) = match frame(ctx, p, len, Pic::Chdlc)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    chdlc::chdlc_print(ctx, f, l2.length)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_PPPOE_ATM (168): PPPoE frames after an Ethernet type.
pub fn juniper_pppoe_atm_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_pppoe_atm";
    let (l2, f) = match frame(ctx, p, len, Pic::PppoeAtm)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    let et = f.be_u16(0)?;
    let rest = &f[2..];
    if !ethertype_print(
        ctx,
        et,
        rest,
        l2.length.wrapping_sub(2),
        l2.caplen.wrapping_sub(2),
    )? {
        pr!(ctx, "unknown ethertype 0x{:04x}", et);
    }
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_MLPPP (130).
pub fn juniper_mlppp_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_mlppp";
    let (l2, f) = match frame(ctx, p, len, Pic::Mlppp)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    let cookie16 = l2.cookie_be16(0);
    // A cookie that looks like a PPP header: captured on a child link, no bundle.
    if ctx.eflag() && cookie16 != PPP_OSI && cookie16 != PPP_ADDRESS_CONTROL {
        pr!(ctx, "Bundle-ID {}: ", l2.bundle);
    }
    if l2.proto == JUNIPER_LSQ_L3_PROTO_IPV4
        && l2.cookie[4] == JUNIPER_LSQ_COOKIE_RE | JUNIPER_LSQ_COOKIE_DIR
    {
        // IP to the routing engine has no cookie: this is IS-IS over PPP coming in.
        ppp::ppp_print(ctx, f, l2.length)?;
        return Ok(l2.header_len);
    }
    if lsq_print(ctx, l2.proto, f, l2.length)? {
        return Ok(l2.header_len);
    }
    if cookie16 == PPP_OSI {
        // The "cookie" was the PPP protocol field.
        let h = l2.header_len as usize - 2;
        ppp::ppp_print(ctx, tail(p, h), l2.length.wrapping_add(2))?;
    } else {
        ppp::ppp_print(ctx, f, l2.length)?;
    }
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_MFR (134).
pub fn juniper_mfr_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_mfr";
    let (l2, f) = match frame(ctx, p, len, Pic::Mfr)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    // A child link: FRF.16 frames.
    if l2.cookie_len == 0 {
        fr::mfr_print(ctx, f, l2.length)?;
        return Ok(l2.header_len);
    }
    if l2.cookie_len == AS_PIC_COOKIE_LEN {
        lsq_print(ctx, l2.proto, f, l2.length)?;
        return Ok(l2.header_len);
    }
    if ctx.eflag() && l2.cookie_be32() != 1 {
        pr!(ctx, "Bundle-ID {}, ", l2.bundle);
    }
    mlfr_proto_print(ctx, p, &l2, true)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_MLFR (131).
pub fn juniper_mlfr_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_mlfr";
    let (l2, _) = match frame(ctx, p, len, Pic::Mlfr)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    if ctx.eflag() && l2.cookie_be32() != 1 {
        pr!(ctx, "Bundle-ID {}, ", l2.bundle);
    }
    mlfr_proto_print(ctx, p, &l2, false)?;
    Ok(l2.header_len)
}

/// The frame of an (M)FR bundle by the protocol field after the cookie: OSI, or Q.933 and IP
/// through the OSI dispatch (which prints their link-layer names).
fn mlfr_proto_print(ctx: &mut Ctx, p: &[u8], l2: &L2Info, mfr: bool) -> PResult {
    let h = l2.header_len as usize;
    let f = tail(p, h);
    match l2.proto {
        v if mfr && v == (LLCSAP_ISONS << 8 | LLCSAP_ISONS) => {
            f.u8_at(0)?;
            isoclns::isoclns_print(ctx, &f[1..], l2.length.wrapping_sub(1))?;
        }
        v if !mfr && (v == LLC_UI || v == LLC_UI << 8) => {
            isoclns::isoclns_print(ctx, f, l2.length)?;
        }
        v if v == (LLC_UI << 8 | NLPID_Q933)
            || v == (LLC_UI << 8 | NLPID_IP)
            || v == (LLC_UI << 8 | NLPID_IP6) =>
        {
            isoclns::isoclns_print(ctx, tail(p, h - 1), l2.length.wrapping_add(1))?;
        }
        v => pr!(ctx, "unknown protocol 0x{:04x}, length {}", v, l2.length),
    }
    Ok(())
}

/// LINKTYPE_JUNIPER_ATM1 (137).
pub fn juniper_atm1_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_atm1";
    let (l2, f) = match frame(ctx, p, len, Pic::Atm1)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    // The cookie: format id, VC index, channel id.
    if l2.cookie[0] == 0x80 {
        atm::oam_print(ctx, f, l2.length, 0)?;
        return Ok(l2.header_len);
    }
    if atm_llc_print(ctx, f, &l2)? {
        return Ok(l2.header_len);
    }
    if cisco_nlpid_print(ctx, f, &l2)? {
        return Ok(l2.header_len);
    }
    // Last try: VC multiplexing.
    ip_heuristic_guess(ctx, f, l2.length)?;
    Ok(l2.header_len)
}

/// LINKTYPE_JUNIPER_ATM2 (135).
pub fn juniper_atm2_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "juniper_atm2";
    let (l2, f) = match frame(ctx, p, len, Pic::Atm2)? {
        Ok(x) => x,
        Err(n) => return Ok(n),
    };
    // The cookie: channel id, reserved, AAL, CCRQ, gap count.
    if l2.cookie[7] & ATM2_PKT_TYPE_MASK != 0 {
        atm::oam_print(ctx, f, l2.length, 0)?;
        return Ok(l2.header_len);
    }
    if atm_llc_print(ctx, f, &l2)? {
        return Ok(l2.header_len);
    }
    // Ethernet over RFC 1483?
    if l2.direction != JUNIPER_BPF_IN && l2.cookie_be32() & ATM2_GAP_COUNT_MASK != 0 {
        ether::ether_print(ctx, f, l2.length, l2.caplen)?;
        return Ok(l2.header_len);
    }
    if cisco_nlpid_print(ctx, f, &l2)? {
        return Ok(l2.header_len);
    }
    // PPP over ATM with VC multiplexing, or IP.
    if !ppp_heuristic_guess(ctx, f, l2.length)? {
        ip_heuristic_guess(ctx, f, l2.length)?;
    }
    Ok(l2.header_len)
}

/// RFC 2684 LLC encapsulation (NLPID or SNAP) on an ATM PIC. Returns whether the LLC printer
/// took the frame.
fn atm_llc_print(ctx: &mut Ctx, f: &[u8], l2: &L2Info) -> PResult<bool> {
    let llc = f.be_u24(0)?;
    if llc == 0xfefe03 || llc == 0xaaaa03 {
        return Ok(llc::llc_print(ctx, f, l2.length, l2.caplen, None)? > 0);
    }
    Ok(false)
}

/// Cisco's NLPID encapsulation (a UI control octet, then the NLPID). Returns whether it was.
fn cisco_nlpid_print(ctx: &mut Ctx, f: &[u8], l2: &L2Info) -> PResult<bool> {
    if f.u8_at(0)? != 0x03 {
        return Ok(false);
    }
    isoclns::isoclns_print(ctx, &f[1..], l2.length.wrapping_sub(1))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    const ATM1: u32 = 137;
    const ES: u32 = 132;
    const ETHER: u32 = 178;
    const MLPPP: u32 = 130;

    const IPV4: &[u8] = &[
        0x45, 0, 0, 20, 0, 1, 0, 0, 64, 253, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2,
    ];

    fn with(head: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut v = head.to_vec();
        v.extend_from_slice(tail);
        v
    }

    fn o(verbose: u8, e: bool) -> PrintOptions {
        PrintOptions {
            no_checksum: true,
            ..opts(verbose, e)
        }
    }

    #[test]
    fn atm1_vc_mux_ip_and_the_header_with_e_and_vv() {
        let d = with(&[b'M', b'G', b'C', 0x00, 0x11, 0x22, 0x33, 0x44], IPV4);
        assert_eq!(
            print_packet(o(0, false), ATM1, &d),
            "IP 198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
        assert_eq!(
            print_packet(o(2, true), ATM1, &d),
            "Out \n\tJuniper PCAP Flags [none]ATM1-PIC, cookie-len 4, cookie 0x11223344: \
             hlen 8, proto 0x4500, (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto \
             unknown (253), length 20)\n    198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
        let mut bad = d.clone();
        bad[0] = b'X';
        assert_eq!(
            print_packet(o(0, false), ATM1, &bad),
            "no magic-number found!\n"
        );
        // An OAM cell (format id 0x80).
        let oam = with(
            &[b'M', b'G', b'C', 0x01, 0x80, 0, 0, 0],
            &[0x00, 0x00, 0x00, 0x40, 0x18, 0, 0, 0],
        );
        assert_eq!(
            print_packet(o(0, true), ATM1, &oam),
            " In ATM1-PIC, cookie-len 4, cookie 0x80000000: hlen 8, proto 0x0000, OAM F4 (end), \
             vpi 0, vci 4, payload [ user data, uncongested, SDU 0 ], clp 0, length 8\n"
        );
    }

    #[test]
    fn extensions_and_no_l2() {
        // Ext flag: media type (Ethernet) and an interface index; then an Ethernet frame.
        let mut d = vec![b'M', b'G', b'C', 0x80, 0, 7, 3, 1, 1, 1, 2, 0x8c, 0];
        d.extend_from_slice(&[0xff; 6]);
        d.extend_from_slice(&[0x02, 0, 0, 0, 0, 1, 0x12, 0x34]);
        assert_eq!(
            print_packet(o(2, false), ETHER, &d),
            "\n\tJuniper PCAP Flags [Ext], PCAP Extension(s) total length 7\n\
             \t  Device Media Type Extension TLV #3, length 1, value Ethernet (1)\n\
             \t  Device Interface Index Extension TLV #1, length 2, value 140\n\
             \t-----original packet-----\n\t02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, \
             ethertype Unknown (0x1234), length 14: \n"
        );
        // A TLV longer than the extensions.
        let d = [b'M', b'G', b'C', 0x80, 0, 3, 1, 2, 0];
        assert_eq!(
            print_packet(o(0, false), ETHER, &d),
            " [extension_length 3 < 4] (invalid)\n"
        );
        // No L2 header: IP after 4 more octets.
        let d = with(&[b'M', b'G', b'C', 0x02, 0, 0, 0, 0], IPV4);
        assert_eq!(
            print_packet(o(0, true), ETHER, &d),
            "Out no-L2-hdr, 198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
    }

    #[test]
    fn es_tunnel_header() {
        let mut d = vec![b'M', b'G', b'C', 0x00];
        d.extend_from_slice(&[0, 7, 64, 3, 0, 0, 1, 0, 198, 18, 1, 1, 198, 18, 2, 2]);
        d.extend_from_slice(IPV4);
        assert_eq!(
            print_packet(o(0, true), ES, &d),
            "Out ES-PIC, cookie-len 0: hlen 4, proto 0x0007, ES SA, index 7, ttl 64 type ESP \
             AUTH (3), spi 256, Tunnel 198.18.1.1 > 198.18.2.2, length 20\n\
             198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
        d[7] = 9;
        assert_eq!(
            print_packet(o(0, false), ES, &d),
            "ES Invalid type 9, length 36\n"
        );
    }

    #[test]
    fn mlppp_bundle_and_lsq() {
        // A 2-octet cookie (bundle from its first octet), then PPP with protocol IP.
        let d = with(&[b'M', b'G', b'C', 0x00, 0x05, 0x00, 0x00, 0x21], IPV4);
        assert_eq!(
            print_packet(o(0, true), MLPPP, &d),
            "Out MLPPP-PIC, cookie-len 2, cookie 0x0500: hlen 6, proto 0x0021, Bundle-ID 5: \
             IP (0x0021), length 22: 198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut v = vec![o(0, false), o(1, true), o(2, true), o(3, false)];
        v.push(PrintOptions {
            quiet: true,
            ..o(2, true)
        });
        let ip = with(&[b'M', b'G', b'C', 0x80, 0, 6, 3, 1, 1, 0x84, 1, 7], IPV4);
        for lt in [
            130, 131, 132, 133, 134, 135, 136, 137, 164, 167, 168, 178, 179, 180, 181,
        ] {
            assert_every_truncated_packet_is_safe(lt, &ip, &v);
            for first in [LS_COOKIE_ID, AS_COOKIE_ID, 0xc0, 0x80, 0x03] {
                let d = with(
                    &[b'M', b'G', b'C', 0x00, first, 0x47, 3, 0, 0, 0, 0, 0x70],
                    IPV4,
                );
                assert_every_truncated_packet_is_safe(lt, &d, &v);
            }
        }
    }
}
