//! BGP-4 (RFC 4271) over TCP port 179: OPEN with optional parameters and capabilities
//! (RFC 5492: multiprotocol RFC 4760, graceful restart RFC 4724, 4-octet AS RFC 6793, ADD-PATH
//! RFC 7911, multiple labels RFC 8277), UPDATE with path attributes (communities RFC 1997,
//! route reflection RFC 4456, extended communities RFC 4360, PMSI tunnel RFC 6514, AIGP
//! RFC 7311, ATTR_SET RFC 6368, large communities RFC 8092) and multiprotocol NLRI (labeled
//! RFC 8277, VPN RFC 4364, route target constraint RFC 4684, MVPN RFC 6514, MDT RFC 6037,
//! L2VPN RFC 4761/6074), NOTIFICATION (RFC 4486, shutdown communication RFC 9003) and ROUTE
//! REFRESH (RFC 2918); tcpdump's print-bgp.c.
//!
//! Without `-v` only `: BGP` is printed. With `-v` every message found in the segment is
//! decoded; `-vv` adds a hex dump of each attribute and capability. `-b` prints 4-octet AS
//! numbers in ASDOT notation.
//!
//! Truncation: a field that is not captured ends the packet with ` [|bgp]` (`?`), except where
//! tcpdump checks lengths itself: then the message printer prints ` [|bgp]` and the next
//! message of the segment is still decoded.

use super::util_print::{print_unknown_data, printn};
use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult};
use std::fmt::Write as _;

const MARKER: [u8; 16] = [0xff; 16];
/// Marker, length and type.
const HDR_LEN: usize = 19;
const OPEN_LEN: usize = 29;
const NOTIFICATION_LEN: usize = 21;
const ROUTE_REFRESH_LEN: usize = 23;
const RD_LEN: usize = 8;

const MSG_OPEN: u8 = 1;
const MSG_UPDATE: u8 = 2;
const MSG_NOTIFICATION: u8 = 3;
const MSG_KEEPALIVE: u8 = 4;
const MSG_ROUTE_REFRESH: u8 = 5;

const MSG_VALUES: &[(u32, &str)] = &[
    (1, "Open"),
    (2, "Update"),
    (3, "Notification"),
    (4, "Keepalive"),
    (5, "Route Refresh"),
];

const ATTR_ORIGIN: u8 = 1;
const ATTR_AS_PATH: u8 = 2;
const ATTR_NEXT_HOP: u8 = 3;
const ATTR_MULTI_EXIT_DISC: u8 = 4;
const ATTR_LOCAL_PREF: u8 = 5;
const ATTR_ATOMIC_AGGREGATE: u8 = 6;
const ATTR_AGGREGATOR: u8 = 7;
const ATTR_COMMUNITIES: u8 = 8;
const ATTR_ORIGINATOR_ID: u8 = 9;
const ATTR_CLUSTER_LIST: u8 = 10;
const ATTR_MP_REACH_NLRI: u8 = 14;
const ATTR_MP_UNREACH_NLRI: u8 = 15;
const ATTR_EXTD_COMMUNITIES: u8 = 16;
const ATTR_AS4_PATH: u8 = 17;
const ATTR_AGGREGATOR4: u8 = 18;
const ATTR_PMSI_TUNNEL: u8 = 22;
const ATTR_AIGP: u8 = 26;
const ATTR_LARGE_COMMUNITY: u8 = 32;
const ATTR_ATTR_SET: u8 = 128;

const ATTR_VALUES: &[(u32, &str)] = &[
    (1, "Origin"),
    (2, "AS Path"),
    (17, "AS4 Path"),
    (3, "Next Hop"),
    (4, "Multi Exit Discriminator"),
    (5, "Local Preference"),
    (6, "Atomic Aggregate"),
    (7, "Aggregator"),
    (18, "Aggregator4"),
    (8, "Community"),
    (9, "Originator ID"),
    (10, "Cluster List"),
    (11, "DPA"),
    (12, "Advertisers"),
    (13, "RCID Path / Cluster ID"),
    (14, "Multi-Protocol Reach NLRI"),
    (15, "Multi-Protocol Unreach NLRI"),
    (16, "Extended Community"),
    (22, "PMSI Tunnel"),
    (23, "Tunnel Encapsulation"),
    (24, "Traffic Engineering"),
    (25, "IPv6 Extended Community"),
    (26, "Accumulated IGP Metric"),
    (27, "PE Distinguisher Label"),
    (28, "Entropy Label"),
    (32, "Large Community"),
    (128, "Attribute Set"),
    (255, "Reserved for development"),
];

/// AS_PATH segment types: text before and after the segment's numbers.
fn as_segment_brackets(ty: u8) -> (&'static str, &'static str) {
    match ty {
        1 => ("{ ", "}"),   // AS_SET
        2 => ("", ""),      // AS_SEQUENCE
        3 => ("( ", ")"),   // AS_CONFED_SEQUENCE
        4 => ("({ ", "})"), // AS_CONFED_SET
        _ => ("?", "?"),
    }
}

const OPT_CAP: u8 = 2;
const OPT_VALUES: &[(u32, &str)] = &[
    (1, "Authentication Information"),
    (2, "Capabilities Advertisement"),
];

const CAP_MP: u8 = 1;
const CAP_RR: u8 = 2;
const CAP_ML: u8 = 8;
const CAP_RESTART: u8 = 64;
const CAP_AS_NEW: u8 = 65;
const CAP_ADD_PATH: u8 = 69;
const CAP_LLGR: u8 = 71;
const CAP_RR_CISCO: u8 = 128;

const CAPCODE_VALUES: &[(u32, &str)] = &[
    (1, "Multiprotocol Extensions"),
    (2, "Route Refresh"),
    (3, "Cooperative Route Filtering"),
    (4, "Multiple Routes to a Destination"),
    (5, "Extended Next Hop Encoding"),
    (8, "Multiple Labels"),
    (64, "Graceful Restart"),
    (65, "32-Bit AS Number"),
    (67, "Dynamic Capability"),
    (68, "Multisession BGP"),
    (69, "Multiple Paths"),
    (70, "Enhanced Route Refresh"),
    (71, "Long-lived Graceful Restart"),
    (128, "Route Refresh (Cisco)"),
];

const NOTIFY_MAJOR_VALUES: &[(u32, &str)] = &[
    (1, "Message Header Error"),
    (2, "OPEN Message Error"),
    (3, "UPDATE Message Error"),
    (4, "Hold Timer Expired"),
    (5, "Finite State Machine Error"),
    (6, "Cease"),
    (7, "Capability Message Error"),
];

const NOTIFY_MINOR_MSG_VALUES: &[(u32, &str)] = &[
    (1, "Connection Not Synchronized"),
    (2, "Bad Message Length"),
    (3, "Bad Message Type"),
];

const NOTIFY_MINOR_OPEN_VALUES: &[(u32, &str)] = &[
    (1, "Unsupported Version Number"),
    (2, "Bad Peer AS"),
    (3, "Bad BGP Identifier"),
    (4, "Unsupported Optional Parameter"),
    (5, "Authentication Failure"),
    (6, "Unacceptable Hold Time"),
    (7, "Capability Message Error"),
];

const NOTIFY_MINOR_UPDATE_VALUES: &[(u32, &str)] = &[
    (1, "Malformed Attribute List"),
    (2, "Unrecognized Well-known Attribute"),
    (3, "Missing Well-known Attribute"),
    (4, "Attribute Flags Error"),
    (5, "Attribute Length Error"),
    (6, "Invalid ORIGIN Attribute"),
    (7, "AS Routing Loop"),
    (8, "Invalid NEXT_HOP Attribute"),
    (9, "Optional Attribute Error"),
    (10, "Invalid Network Field"),
    (11, "Malformed AS_PATH"),
];

const NOTIFY_MINOR_FSM_VALUES: &[(u32, &str)] = &[
    (0, "Unspecified Error"),
    (1, "In OpenSent State"),
    (2, "In OpenConfirm State"),
    (3, "In Established State"),
];

const NOTIFY_MINOR_CAP_VALUES: &[(u32, &str)] = &[
    (1, "Invalid Action Value"),
    (2, "Invalid Capability Length"),
    (3, "Malformed Capability Value"),
    (4, "Unsupported Capability Code"),
];

const CEASE_MAXPRFX: u8 = 1;
const CEASE_SHUT: u8 = 2;
const CEASE_RESET: u8 = 4;
const NOTIFY_MINOR_CEASE_VALUES: &[(u32, &str)] = &[
    (1, "Maximum Number of Prefixes Reached"),
    (2, "Administrative Shutdown"),
    (3, "Peer Unconfigured"),
    (4, "Administrative Reset"),
    (5, "Connection Rejected"),
    (6, "Other Configuration Change"),
    (7, "Connection Collision Resolution"),
];

const ORIGIN_VALUES: &[(u32, &str)] = &[(0, "IGP"), (1, "EGP"), (2, "Incomplete")];

const PMSI_TUNNEL_VALUES: &[(u32, &str)] = &[
    (1, "RSVP-TE P2MP LSP"),
    (2, "LDP P2MP LSP"),
    (3, "PIM-SSM Tree"),
    (4, "PIM-SM Tree"),
    (5, "PIM-Bidir Tree"),
    (6, "Ingress Replication"),
    (7, "LDP MP2MP LSP"),
];

const PMSI_FLAG_VALUES: &[(u32, &str)] = &[(0x01, "Leaf Information required")];

/// Address family numbers (IANA; tcpdump's af.c `af_values`).
pub const AF_VALUES: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "IPv4"),
    (2, "IPv6"),
    (3, "NSAP"),
    (4, "HDLC"),
    (5, "BBN 1822"),
    (6, "802"),
    (7, "E.163"),
    (8, "E.164"),
    (9, "F.69"),
    (10, "X.121"),
    (11, "Novell IPX"),
    (12, "Appletalk"),
    (13, "Decnet IV"),
    (14, "Banyan Vines"),
    (15, "E.164 with NSAP subaddress"),
    (196, "Layer-2 VPN"),
    (25, "VPLS"),
];

const AFNUM_INET: u16 = 1;
const AFNUM_INET6: u16 = 2;
const AFNUM_NSAP: u16 = 3;
const AFNUM_VPLS: u16 = 25;
const AFNUM_L2VPN: u16 = 196;

/// Subsequent address family identifiers (RFC 4760 and the registry).
const SAFI_VALUES: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "Unicast"),
    (2, "Multicast"),
    (3, "Unicast+Multicast"),
    (4, "labeled Unicast"),
    (64, "Tunnel"),
    (65, "VPLS"),
    (66, "MDT"),
    (70, "EVPN"),
    (128, "labeled VPN Unicast"),
    (129, "labeled VPN Multicast"),
    (130, "labeled VPN Unicast+Multicast"),
    (132, "Route Target Routing Information"),
    (5, "Multicast VPN"),
];

const EXTD_COMM_FLAG_VALUES: &[(u32, &str)] =
    &[(0x8000, "vendor-specific"), (0x4000, "non-transitive")];

const EXT_RT_0: u16 = 0x0002;
const EXT_RT_1: u16 = 0x0102;
const EXT_RT_2: u16 = 0x0202;
const EXT_OSPF_RTYPE_EXT: u8 = 5;
const EXT_OSPF_RTYPE_NSSA: u8 = 7;

const EXTD_COMM_SUBTYPE_VALUES: &[(u32, &str)] = &[
    (0x0002, "target"),
    (0x0102, "target"),
    (0x0202, "target"),
    (0x0003, "origin"),
    (0x0103, "origin"),
    (0x0203, "origin"),
    (0x4004, "link-BW"),
    (0x0005, "ospf-domain"),
    (0x0105, "ospf-domain"),
    (0x0205, "ospf-domain"),
    (0x8005, "ospf-domain"),
    (0x0306, "ospf-route-type"),
    (0x8000, "ospf-route-type"),
    (0x030c, "encapsulation"),
    (0x0107, "ospf-router-id"),
    (0x8001, "ospf-router-id"),
    (0x800a, "layer2-info"),
    (0x8800, "eigrp-general-route (flag, tag)"),
    (0x8801, "eigrp-route-metric (AS, delay)"),
    (
        0x8802,
        "eigrp-route-metric (reliability, nexthop, bandwidth)",
    ),
    (0x8803, "eigrp-route-metric (load, MTU)"),
    (0x8804, "eigrp-external-route (remote-AS, remote-ID)"),
    (0x8805, "eigrp-external-route (remote-proto, remote-metric)"),
    (0x0009, "source-AS"),
    (0x010b, "vrf-route-import"),
    (0x000a, "l2vpn-id"),
    (0xf10a, "l2vpn-id"),
];

const ENCAP_TUNNEL_VALUES: &[(u32, &str)] = &[
    (1, "L2TPv3 over IP"),
    (2, "GRE"),
    (3, "Transmit Tunnel"),
    (4, "IPsec"),
    (5, "IP in IP with IPsec"),
    (6, "MPLS in IP with IPsec"),
    (7, "IP in IP"),
    (8, "VXLAN"),
    (9, "NVGRE"),
    (10, "MPLS"),
    (11, "MPLS in GRE"),
    (12, "VXLAN GPE"),
    (13, "MPLS in UDP"),
    (14, "IPv6"),
    (15, "SR TE"),
    (16, "Bare"),
    (17, "SR"),
];

const OSPF_RTYPE_VALUES: &[(u32, &str)] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Summary"),
    (5, "External"),
    (7, "NSSA External"),
    (129, "MPLS-VPN Sham"),
];

/// Layer-2 encapsulation types (RFC 4446; tcpdump's l2vpn.c).
pub const L2VPN_ENCAPS_VALUES: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "Frame Relay"),
    (2, "ATM AAL5 SDU VCC transport"),
    (3, "ATM transparent cell transport"),
    (4, "Ethernet (VLAN) Tagged Mode"),
    (5, "Ethernet Raw Mode"),
    (6, "Cisco HDLC"),
    (7, "PPP"),
    (8, "SONET/SDH Circuit Emulation Service over MPLS"),
    (9, "ATM n-to-one VCC cell transport"),
    (10, "ATM n-to-one VPC cell transport"),
    (11, "IP layer 2 transport"),
    (15, "Frame Relay Port mode"),
    (17, "Structure-agnostic E1 over packet"),
    (18, "Structure-agnostic T1 (DS1) over packet"),
    (19, "VPLS"),
    (20, "Structure-agnostic T3 (DS3) over packet"),
    (21, "Nx64kbit/s Basic Service using Structure-aware"),
    (25, "Frame Relay DLCI"),
    (40, "Structure-agnostic E3 over packet"),
    (
        41,
        "Octet-aligned playload for Structure-agnostic DS1 circuits",
    ),
    (42, "E1 Nx64kbit/s with CAS using Structure-aware"),
    (43, "DS1 (ESF) Nx64kbit/s with CAS using Structure-aware"),
    (44, "DS1 (SF) Nx64kbit/s with CAS using Structure-aware"),
];

const ADD_PATH_VALUES: &[(u32, &str)] = &[(1, "Receive"), (2, "Send"), (3, "Both")];

const MVPN_ROUTE_TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Intra-AS I-PMSI"),
    (2, "Inter-AS I-PMSI"),
    (3, "S-PMSI"),
    (4, "Intra-AS Segment-Leaf"),
    (5, "Source-Active"),
    (6, "Shared Tree Join"),
    (7, "Source Tree Join"),
];

/// tcpdump formats NLRI into a buffer of `MAXHOSTNAMELEN + 100` bytes; longer text is cut.
const NLRI_BUF: usize = 64 + 100;

/// ATTR_SET may nest; tcpdump stops recursing at this depth.
const MAX_ATTR_SET_DEPTH: u32 = 10;

fn name(table: &[(u32, &'static str)], v: u32, default: &'static str) -> &'static str {
    tok(table, v).unwrap_or(default)
}

/// An AS number: ASPLAIN, or ASDOT (`high.low`) for 4-octet numbers with `-b`.
fn as_str(ctx: &Ctx, asn: u32) -> String {
    if ctx.opts.asdot && asn > 0xffff {
        format!("{}.{}", asn >> 16, asn & 0xffff)
    } else {
        asn.to_string()
    }
}

fn ipv4_str(a: &[u8]) -> String {
    let mut s = String::new();
    crate::addr::push_ipv4(&mut s, a);
    s
}

fn ipv6_str(a: &[u8]) -> String {
    let mut s = String::new();
    crate::addr::push_ipv6(&mut s, a);
    s
}

/// `isonsap_string`: hex octets, a dot after the first and then after every second one.
fn nsap_str(a: &[u8]) -> String {
    if a.is_empty() || a.len() > 20 {
        return "isonsap_string: illegal length".into();
    }
    let mut s = String::new();
    for (i, b) in a.iter().enumerate() {
        let _ = write!(s, "{b:02x}");
        if i % 2 == 0 && i + 1 < a.len() {
            s.push('.');
        }
    }
    s
}

/// The first `(plen + 7) / 8` octets of a prefix at `off`, bits past `plen` cleared.
fn prefix_octets<const N: usize>(p: &[u8], off: usize, plen: u32) -> PResult<[u8; N]> {
    let n = plen.div_ceil(8) as usize;
    let mut a = [0u8; N];
    a[..n].copy_from_slice(p.sub(off, n)?);
    if !plen.is_multiple_of(8) {
        a[n - 1] &= (0xff00u32 >> (plen % 8)) as u8;
    }
    Ok(a)
}

/// A 3-octet MPLS label field: the label and whether its bottom-of-stack bit is set.
fn label_str(p: &[u8], off: usize) -> PResult<String> {
    let label = p.be_u24(off)? >> 4;
    let bottom = p.u8_at(off + 2)? & 1 != 0;
    Ok(format!(
        "label:{} {}",
        label,
        if bottom {
            "(bottom)"
        } else {
            "(BOGUS: Bottom of Stack NOT set!)"
        }
    ))
}

/// A route distinguisher (RFC 4364 section 4.2).
fn rd_str(ctx: &Ctx, p: &[u8], off: usize) -> PResult<String> {
    let r = p.sub(off, 8);
    Ok(match p.be_u16(off)? {
        0 => {
            let r = r?;
            format!(
                "{}:{} (= {}.{}.{}.{})",
                p.be_u16(off + 2)?,
                p.be_u32(off + 4)?,
                r[4],
                r[5],
                r[6],
                r[7]
            )
        }
        1 => {
            let r = r?;
            format!("{}.{}.{}.{}:{}", r[2], r[3], r[4], r[5], p.be_u16(off + 6)?)
        }
        2 => {
            let r = r?;
            format!(
                "{}:{} ({}.{}.{}.{}:{})",
                as_str(ctx, p.be_u32(off + 2)?),
                p.be_u16(off + 6)?,
                r[2],
                r[3],
                r[4],
                r[5],
                p.be_u16(off + 6)?
            )
        }
        _ => "unknown RD format".into(),
    })
}

/// Public for the printers that carry route distinguishers too (tcpdump's `bgp_vpn_rd_print`).
pub fn route_distinguisher(ctx: &Ctx, p: &[u8], off: usize) -> PResult<String> {
    rd_str(ctx, p, off)
}

/// An IPv4 or IPv6 address whose length is given in bits.
fn vpn_ip_str(p: &[u8], off: usize, bits: u32) -> PResult<String> {
    Ok(match bits {
        32 => ipv4_str(p.sub(off, 4)?),
        128 => ipv6_str(p.sub(off, 16)?),
        _ => format!("bogus address length {bits}"),
    })
}

/// Text bounded like a C buffer filled with `snprintf`: once full, the rest is cut off.
struct BoundedBuf {
    s: String,
    /// Bytes left including the terminating NUL; 0 once something did not fit.
    room: usize,
}

impl BoundedBuf {
    fn new() -> Self {
        BoundedBuf {
            s: String::new(),
            room: NLRI_BUF,
        }
    }
    fn full(&self) -> bool {
        self.room == 0
    }
    /// `snprintf` then tcpdump's `UPDATE_BUF_BUFLEN`.
    fn push(&mut self, t: &str) {
        if self.room == 0 {
            return;
        }
        let fit = t.len().min(self.room - 1);
        self.s.push_str(&t[..fit]);
        if t.len() > self.room {
            self.room = 0;
        } else {
            self.room -= t.len();
        }
    }
    /// `snprintf(buf + strlen(buf), buflen - strlen(buf), ...)`.
    fn append(&mut self, t: &str) {
        let room = NLRI_BUF - self.s.len();
        let fit = t.len().min(room - 1);
        self.s.push_str(&t[..fit]);
    }
}

// ---------------------------------------------------------------------------------------------
// NLRI decoders. Each works on `p` (captured bytes from the prefix on) and returns the bytes it
// used, or why it could not.

/// Why a prefix could not be decoded.
#[derive(Debug, PartialEq, Eq)]
enum PfxErr {
    /// The prefix length is impossible for the family: `(illegal prefix length)`.
    Illegal,
    /// The prefix runs past the item's length (or, for labeled prefixes, past the capture).
    Short,
    /// A labeled prefix shorter than its label.
    NoRoom,
}

/// An IPv4 prefix (length octet, then the significant octets); `itemlen` bounds it.
fn decode_prefix4(p: &[u8], itemlen: u32) -> PResult<Result<(String, u32), PfxErr>> {
    if itemlen < 1 {
        return Ok(Err(PfxErr::Short));
    }
    let plen = p.u8_at(0)? as u32;
    if plen > 32 {
        return Ok(Err(PfxErr::Illegal));
    }
    let n = plen.div_ceil(8);
    if itemlen - 1 < n {
        return Ok(Err(PfxErr::Short));
    }
    let a: [u8; 4] = prefix_octets(p, 1, plen)?;
    Ok(Ok((format!("{}/{}", ipv4_str(&a), plen), 1 + n)))
}

/// An IPv6 prefix.
fn decode_prefix6(p: &[u8], itemlen: u32) -> PResult<Result<(String, u32), PfxErr>> {
    if itemlen < 1 {
        return Ok(Err(PfxErr::Short));
    }
    let plen = p.u8_at(0)? as u32;
    if plen > 128 {
        return Ok(Err(PfxErr::Illegal));
    }
    let n = plen.div_ceil(8);
    if itemlen - 1 < n {
        return Ok(Err(PfxErr::Short));
    }
    let a: [u8; 16] = prefix_octets(p, 1, plen)?;
    Ok(Ok((format!("{}/{}", ipv6_str(&a), plen), 1 + n)))
}

/// A labeled prefix (RFC 8277): the length counts the 24-bit label too. `v6` picks the family.
fn decode_labeled_prefix(
    p: &[u8],
    itemlen: u32,
    v6: bool,
) -> PResult<Result<(String, u32), PfxErr>> {
    if !p.has(0, 4) {
        return Ok(Err(PfxErr::Short));
    }
    if itemlen < 4 {
        return Ok(Err(PfxErr::NoRoom));
    }
    let plen = p.u8_at(0)? as u32;
    if plen < 24 {
        return Ok(Err(PfxErr::Illegal));
    }
    let plen = plen - 24;
    let n = plen.div_ceil(8);
    let addr = if v6 {
        if plen > 128 {
            return Ok(Err(PfxErr::Illegal));
        }
        // tcpdump checks the item length for IPv4 only.
        ipv6_str(&prefix_octets::<16>(p, 4, plen)?)
    } else {
        if plen > 32 {
            return Ok(Err(PfxErr::Illegal));
        }
        if itemlen - 4 < n {
            return Ok(Err(PfxErr::NoRoom));
        }
        ipv4_str(&prefix_octets::<4>(p, 4, plen)?)
    };
    Ok(Ok((
        format!("{}/{}, {}", addr, plen, label_str(p, 1)?),
        4 + n,
    )))
}

/// Address kinds of the VPN prefixes.
#[derive(Clone, Copy)]
enum Addr {
    V4,
    V6,
    Nsap,
}

/// A labeled VPN prefix (RFC 4364): length, label, route distinguisher, prefix.
fn decode_labeled_vpn_prefix(ctx: &Ctx, p: &[u8], kind: Addr) -> PResult<Option<(String, u32)>> {
    let plen = p.u8_at(0)? as u32;
    if plen < 24 + 64 {
        return Ok(None);
    }
    let plen = plen - (24 + 64);
    let n = plen.div_ceil(8);
    let addr = match kind {
        Addr::V4 if plen <= 32 => ipv4_str(&prefix_octets::<4>(p, 12, plen)?),
        Addr::V6 if plen <= 128 => ipv6_str(&prefix_octets::<16>(p, 12, plen)?),
        Addr::Nsap if plen <= 152 => {
            let a: [u8; 19] = prefix_octets(p, 12, plen)?;
            nsap_str(&a[..n as usize])
        }
        _ => return Ok(None),
    };
    Ok(Some((
        format!(
            "RD: {}, {}/{}, {}",
            rd_str(ctx, p, 4)?,
            addr,
            plen,
            label_str(p, 1)?
        ),
        12 + n,
    )))
}

/// A CLNP (NSAP) prefix.
fn decode_clnp_prefix(p: &[u8]) -> PResult<Option<(String, u32)>> {
    let plen = p.u8_at(0)? as u32;
    if plen > 152 {
        return Ok(None);
    }
    let n = plen.div_ceil(8);
    // tcpdump copies the address from 4 octets past the length octet.
    let a: [u8; 19] = prefix_octets(p, 4, plen)?;
    Ok(Some((
        format!("{}/{}", nsap_str(&a[..n as usize]), plen),
        1 + n,
    )))
}

/// RFC 4684 route target membership: origin AS and a (prefix of a) route target. Prints
/// itself; `None` after `(illegal prefix length)`.
fn decode_rt_routing_info(ctx: &mut Ctx, p: &[u8]) -> PResult<Option<u32>> {
    let plen = p.u8_at(0)? as u32;
    if plen == 0 {
        ctx.push("\n\t      default route target");
        return Ok(Some(1));
    }
    if plen < 32 {
        ctx.push("\n\t      (illegal prefix length)");
        return Ok(None);
    }
    let origin = as_str(ctx, p.be_u32(1)?);
    let plen = plen - 32;
    if plen > 64 {
        ctx.push("\n\t      (illegal prefix length)");
        return Ok(None);
    }
    let rt: [u8; 8] = prefix_octets(p, 5, plen)?;
    let text = rt_prefix_str(ctx, &rt, plen);
    pr!(ctx, "\n\t      origin AS: {}, {}", origin, text);
    Ok(Some(5 + plen.div_ceil(8)))
}

/// The route target part of an RFC 4684 NLRI (`rt` zero-padded to 8 octets).
fn rt_prefix_str(ctx: &Ctx, rt: &[u8; 8], plen: u32) -> String {
    if plen == 0 {
        return "route-target: 0:0/0".into();
    }
    let n = plen.div_ceil(8) as usize;
    let mut hex = String::new();
    for (i, b) in rt[..n].iter().enumerate() {
        let _ = write!(hex, "{b:02x}");
        if i % 2 == 1 && i + 1 < n {
            hex.push(' ');
        }
    }
    if plen < 16 {
        return format!("route-target: partial-type: ({hex}/{plen})");
    }
    let u16_at = |o: usize| u16::from_be_bytes([rt[o], rt[o + 1]]);
    let u32_at = |o: usize| u32::from_be_bytes([rt[o], rt[o + 1], rt[o + 2], rt[o + 3]]);
    match u16_at(0) {
        EXT_RT_0 => format!(
            "route-target: {}:{}/{} ({})",
            u16_at(2),
            u32_at(4),
            plen,
            hex
        ),
        EXT_RT_1 => format!(
            "route-target: {}.{}.{}.{}:{}/{} ({})",
            rt[2],
            rt[3],
            rt[4],
            rt[5],
            u16_at(6),
            plen,
            hex
        ),
        EXT_RT_2 => format!(
            "route-target: {}:{}/{} ({})",
            as_str(ctx, u32_at(2)),
            u16_at(6),
            plen,
            hex
        ),
        t => format!("route target: unknown-type({t:04x}) ({hex}/{plen})"),
    }
}

/// An MDT SAFI NLRI (RFC 6037): RD, IPv4 address, group.
fn decode_mdt_vpn_nlri(ctx: &Ctx, p: &[u8]) -> PResult<Result<String, PfxErr>> {
    if p.u8_at(0)? != 16 * 8 {
        return Ok(Err(PfxErr::Illegal));
    }
    if !p.has(1, 8) {
        return Ok(Err(PfxErr::Short));
    }
    Ok(Ok(format!(
        "RD: {}, VPN IP Address: {}, MC Group Address: {}",
        rd_str(ctx, p, 1)?,
        ipv4_str(p.sub(9, 4)?),
        ipv4_str(p.sub(13, 4)?)
    )))
}

/// A multicast source and group (each a bit length and an address) appended to `buf`;
/// returns the octets they take. Stops quietly where the capture ends.
fn mvpn_sg(p: &[u8], off: usize, buf: &mut BoundedBuf) -> PResult<u32> {
    let mut total = 0u32;
    let mut off = off;
    for what in [", Source ", ", Group "] {
        let bits = p.u8_at(off)? as u32;
        off += 1;
        if !p.has(off, (bits >> 3) as usize) {
            return Ok(total);
        }
        total += (bits >> 3) + 1;
        if bits != 0 {
            let a = vpn_ip_str(p, off, bits)?;
            buf.append(what);
            buf.append(&a);
            off += (bits >> 3) as usize;
        }
    }
    Ok(total)
}

/// A multicast VPN route (RFC 6514 section 4). `Err(())` when truncated.
fn decode_multicast_vpn(ctx: &Ctx, p: &[u8]) -> PResult<Result<(String, u32), ()>> {
    let route_type = p.u8_at(0)?;
    let route_len = p.u8_at(1)?;
    let mut buf = BoundedBuf::new();
    buf.append(&format!(
        "Route-Type: {} ({}), length: {}",
        name(MVPN_ROUTE_TYPE_VALUES, route_type as u32, "Unknown"),
        route_type,
        route_len
    ));
    let r = 2usize;
    match route_type {
        // Intra-AS I-PMSI: RD, originating router.
        1 => {
            if !p.has(r, RD_LEN) {
                return Ok(Err(()));
            }
            // The address length is what is left of the route, in bits (wrapping like C's).
            let bits = ((route_len as i32 - RD_LEN as i32) << 3) as u32;
            let t = format!(
                ", RD: {}, Originator {}",
                rd_str(ctx, p, r)?,
                vpn_ip_str(p, r + RD_LEN, bits)?
            );
            buf.append(&t);
        }
        // Inter-AS I-PMSI, and the C-multicast routes with their S,G: RD, source AS.
        2 | 6 | 7 => {
            if !p.has(r, RD_LEN + 4) {
                return Ok(Err(()));
            }
            let t = format!(
                ", RD: {}, Source-AS {}",
                rd_str(ctx, p, r)?,
                as_str(ctx, p.be_u32(r + RD_LEN)?)
            );
            buf.append(&t);
            if route_type != 2 {
                mvpn_sg(p, r + RD_LEN + 4, &mut buf)?;
            }
        }
        // S-PMSI: RD, S,G, originating router.
        3 => {
            if !p.has(r, RD_LEN) {
                return Ok(Err(()));
            }
            let t = format!(", RD: {}", rd_str(ctx, p, r)?);
            buf.append(&t);
            let sg_len = mvpn_sg(p, r + RD_LEN, &mut buf)?;
            let alen = (route_len as u32).wrapping_sub(sg_len);
            // tcpdump reads the originator where the S,G starts.
            if !p.has(r + RD_LEN, alen as usize) {
                return Ok(Err(()));
            }
            let a = vpn_ip_str(p, r + RD_LEN, alen << 3)?;
            buf.append(", Originator ");
            buf.append(&a);
        }
        // Source Active: RD, S,G.
        5 => {
            if !p.has(r, RD_LEN) {
                return Ok(Err(()));
            }
            let t = format!(", RD: {}", rd_str(ctx, p, r)?);
            buf.append(&t);
            mvpn_sg(p, r + RD_LEN, &mut buf)?;
        }
        // Intra-AS Segment-Leaf and unknown types: the header only.
        _ => {}
    }
    Ok(Ok((buf.s, route_len as u32 + 2)))
}

/// An L2VPN NLRI (RFC 6074 auto-discovery, or RFC 4761 with its TLVs). `Err(())` when
/// truncated or of a length that fits neither.
fn decode_labeled_vpn_l2(ctx: &Ctx, p: &[u8]) -> PResult<Result<(String, u32), ()>> {
    let plen = p.be_u16(0)? as u32;
    let mut buf = BoundedBuf::new();
    if plen == 12 {
        if !p.has(2, 12) {
            return Ok(Err(()));
        }
        let t = format!(
            "RD: {}, BGPNH: {}",
            rd_str(ctx, p, 2)?,
            ipv4_str(p.sub(10, 4)?)
        );
        buf.push(&t);
        return Ok(Ok((buf.s, plen + 2)));
    }
    if plen <= 17 {
        return Ok(Err(()));
    }
    if !p.has(2, 15) {
        return Ok(Err(()));
    }
    let t = format!(
        "RD: {}, CE-ID: {}, Label-Block Offset: {}, Label Base {}",
        rd_str(ctx, p, 2)?,
        p.be_u16(10)?,
        p.be_u16(12)?,
        p.be_u24(14)? >> 4
    );
    buf.push(&t);
    let mut off = 17usize;
    let mut tlen = plen - 15;
    // tcpdump does not count the TLV headers against the length, and steps over the value of
    // a circuit status vector only (and only while its text still fits).
    while tlen != 0 {
        if tlen < 3 {
            buf.push("\n\t\tran past the end");
            return Ok(Ok((buf.s, plen + 2)));
        }
        let ty = p.u8_at(off)?;
        let bits = p.be_u16(off + 1)?;
        let mut octets = (bits as u32).div_ceil(8);
        off += 3;
        if ty == 1 {
            buf.push(&format!(
                "\n\t\tcircuit status vector ({ty}) length: {bits}: 0x"
            ));
            while octets != 0 {
                if tlen < 1 {
                    buf.push(" (ran past the end)");
                    return Ok(Ok((buf.s, plen + 2)));
                }
                if !p.has(off, 1) {
                    return Ok(Err(()));
                }
                if !buf.full() {
                    buf.push(&format!("{:02x}", p.u8_at(off)?));
                    off += 1;
                }
                octets -= 1;
                tlen -= 1;
            }
        } else {
            buf.push(&format!("\n\t\tunknown TLV #{ty}, length: {bits}"));
            if tlen < octets {
                buf.push(" (ran past the end)");
                return Ok(Ok((buf.s, plen + 2)));
            }
            tlen -= octets;
        }
    }
    Ok(Ok((buf.s, plen + 2)))
}

// ---------------------------------------------------------------------------------------------
// Multiprotocol NLRI.

/// The NLRI encodings tcpdump decodes, by AFI/SAFI.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// IPv4 unicast/multicast.
    Inet,
    InetLabeled,
    InetVpn,
    InetRtc,
    InetMvpn,
    InetMdt,
    Inet6,
    Inet6Labeled,
    Inet6Vpn,
    L2vpn,
    Nsap,
    NsapVpn,
}

fn family(af: u16, safi: u8) -> Option<Family> {
    use Family::*;
    Some(match (af, safi) {
        (AFNUM_INET, 1..=3) => Inet,
        (AFNUM_INET, 4) => InetLabeled,
        (AFNUM_INET, 128..=130) => InetVpn,
        (AFNUM_INET, 132) => InetRtc,
        (AFNUM_INET, 5) => InetMvpn,
        (AFNUM_INET, 66) => InetMdt,
        (AFNUM_INET6, 1..=3) => Inet6,
        (AFNUM_INET6, 4) => Inet6Labeled,
        (AFNUM_INET6, 128..=130) => Inet6Vpn,
        (AFNUM_NSAP, 1..=3) => Nsap,
        (AFNUM_NSAP, 128..=130) => NsapVpn,
        (AFNUM_L2VPN, 128..=130) | (AFNUM_VPLS, 65) => L2vpn,
        _ => return None,
    })
}

/// `AFI: ..., SAFI: ...` of an MP_REACH/MP_UNREACH attribute. `Ok(Ok(None))`: no decoder
/// (a hex dump was printed at `-v`); `Ok(Err(()))`: truncated.
fn mp_af_print(ctx: &mut Ctx, p: &[u8], tlen: u32) -> PResult<Result<Option<Family>, ()>> {
    let af = p.be_u16(0)?;
    let safi = p.u8_at(2)?;
    pr!(
        ctx,
        "\n\t    AFI: {} ({}), {}SAFI: {} ({})",
        name(AF_VALUES, af as u32, "Unknown AFI"),
        af,
        if safi > 128 { "vendor specific " } else { "" },
        name(SAFI_VALUES, safi as u32, "Unknown SAFI"),
        safi
    );
    match family(af, safi) {
        Some(f) => Ok(Ok(Some(f))),
        None => {
            if !p.has(0, tlen as usize) {
                return Ok(Err(()));
            }
            pr!(ctx, "\n\t    no AFI {} / SAFI {} decoder", af, safi);
            if ctx.vflag() <= 1 {
                print_unknown_data(ctx, p, "\n\t    ", tlen as usize);
            }
            Ok(Ok(None))
        }
    }
}

/// Result of one NLRI entry.
enum Step {
    Advance(u32),
    /// Stop decoding this attribute's NLRI.
    Stop,
    /// Truncated: the attribute (and the message) end with ` [|bgp]`.
    Trunc,
}

/// One NLRI entry of `fam` at `p`; `len` is the whole attribute's length (tcpdump bounds each
/// prefix by it, not by what is left).
fn nlri_print(
    ctx: &mut Ctx,
    fam: Family,
    p: &[u8],
    len: u32,
    add_path4: bool,
    add_path6: bool,
) -> PResult<Step> {
    use Family::*;
    let illegal = |ctx: &mut Ctx| {
        ctx.push("\n\t    (illegal prefix length)");
        Step::Stop
    };
    Ok(match fam {
        Inet | Inet6 => {
            let add_path = if fam == Inet { add_path4 } else { add_path6 };
            let (path_id, q) = if add_path {
                (p.be_u32(0)?, super::util_print::tail(p, 4))
            } else {
                (0, p)
            };
            let r = if fam == Inet {
                decode_prefix4(q, len)?
            } else {
                decode_prefix6(q, len)?
            };
            // tcpdump adds the path identifier's 4 octets to whatever the decoder returned,
            // its error codes included (-1 + 4, -2 + 4).
            let adv: i64 = match r {
                Ok((s, n)) => {
                    pr!(ctx, "\n\t      {}", s);
                    n as i64
                }
                Err(PfxErr::Illegal) => {
                    ctx.push("\n\t    (illegal prefix length)");
                    -1
                }
                Err(_) => -2,
            };
            if add_path {
                pr!(ctx, "   Path Id: {}", path_id);
                Step::Advance((adv + 4) as u32)
            } else if adv < 0 {
                Step::Stop
            } else {
                Step::Advance(adv as u32)
            }
        }
        InetLabeled | Inet6Labeled => match decode_labeled_prefix(p, len, fam == Inet6Labeled)? {
            Ok((s, n)) => {
                pr!(ctx, "\n\t      {}", s);
                Step::Advance(n)
            }
            Err(PfxErr::Illegal) => illegal(ctx),
            Err(PfxErr::Short) => Step::Trunc,
            Err(PfxErr::NoRoom) => Step::Stop,
        },
        InetVpn | Inet6Vpn | NsapVpn => {
            let kind = match fam {
                InetVpn => Addr::V4,
                Inet6Vpn => Addr::V6,
                _ => Addr::Nsap,
            };
            match decode_labeled_vpn_prefix(ctx, p, kind)? {
                Some((s, n)) => {
                    pr!(ctx, "\n\t      {}", s);
                    Step::Advance(n)
                }
                None => illegal(ctx),
            }
        }
        InetRtc => match decode_rt_routing_info(ctx, p)? {
            Some(n) => Step::Advance(n),
            None => Step::Stop,
        },
        InetMvpn => match decode_multicast_vpn(ctx, p)? {
            Ok((s, n)) => {
                pr!(ctx, "\n\t      {}", s);
                Step::Advance(n)
            }
            Err(()) => Step::Trunc,
        },
        InetMdt => match decode_mdt_vpn_nlri(ctx, p)? {
            Ok(s) => {
                pr!(ctx, "\n\t      {}", s);
                Step::Advance(17)
            }
            Err(PfxErr::Illegal) => illegal(ctx),
            Err(_) => Step::Trunc,
        },
        L2vpn => match decode_labeled_vpn_l2(ctx, p)? {
            Ok((s, n)) => {
                pr!(ctx, "\n\t      {}", s);
                Step::Advance(n)
            }
            Err(()) => Step::Trunc,
        },
        Nsap => match decode_clnp_prefix(p)? {
            Some((s, n)) => {
                pr!(ctx, "\n\t      {}", s);
                Step::Advance(n)
            }
            None => illegal(ctx),
        },
    })
}

/// Decodes NLRI entries from `off` to the end of the attribute (`len`). `false`: truncated.
fn nlri_list_print(ctx: &mut Ctx, fam: Family, p: &[u8], off: usize, len: u32) -> PResult<bool> {
    let rest = len.saturating_sub(off as u32);
    let add_path4 = check_add_path(p, off, rest, 32);
    let add_path6 = check_add_path(p, off, rest, 128);
    let mut off = off;
    while (off as u64) < len as u64 {
        match nlri_print(
            ctx,
            fam,
            super::util_print::tail(p, off),
            len,
            add_path4,
            add_path6,
        )? {
            Step::Advance(n) => off += n as usize,
            Step::Stop => break,
            Step::Trunc => return Ok(false),
        }
    }
    Ok(true)
}

/// Whether NLRI of `length` octets at `off` look like ADD-PATH ones (RFC 7911: a 4-octet path
/// identifier before each prefix): the OPEN that announced it may not be in the capture, so
/// tcpdump guesses from the encoding. `max` is the family's longest prefix in bits.
fn check_add_path(p: &[u8], off: usize, length: u32, max: u32) -> bool {
    if length < 5 {
        return false;
    }
    let length = length as usize;
    // Does it parse with path identifiers?
    let mut o = 0usize;
    while o < length {
        o += 4;
        let Ok(plen) = p.u8_at(off + o) else {
            break;
        };
        if plen as u32 > max {
            return false;
        }
        o += 1 + (plen as usize).div_ceil(8);
    }
    if o > length {
        return false;
    }
    // And does it not parse without them?
    let mut o = 0usize;
    while o < length {
        let Ok(plen) = p.u8_at(off + o) else {
            break;
        };
        if plen < 1 || plen as u32 > max {
            return true;
        }
        o += 1 + (plen as usize).div_ceil(8);
    }
    o > length
}

// ---------------------------------------------------------------------------------------------
// Path attributes.

/// The octets of one AS number in an AS_PATH: AS4_PATH always has 4; AS_PATH has 2 when the
/// segments parse with 2-octet numbers, else 4 (both speakers support 4-octet AS numbers).
fn as_path_as_size(atype: u8, p: &[u8], len: u32) -> PResult<usize> {
    if atype == ATTR_AS4_PATH {
        return Ok(4);
    }
    let mut o = 0usize;
    while o < len as usize {
        let ty = p.u8_at(o)?;
        if !(1..=4).contains(&ty) {
            return Ok(4);
        }
        o += 2 + p.u8_at(o + 1)? as usize * 2;
    }
    Ok(if o == len as usize { 2 } else { 4 })
}

/// `, Flags [OTPE+x]` of an attribute.
fn attr_flags_print(ctx: &mut Ctx, flags: u8) {
    ctx.push(", Flags [");
    for (bit, c) in [(0x80, 'O'), (0x40, 'T'), (0x20, 'P'), (0x10, 'E')] {
        if flags & bit != 0 {
            ctx.out.push(c);
        }
    }
    if flags & 0xf != 0 {
        pr!(ctx, "+{:x}", flags & 0xf);
    }
    ctx.push("]");
}

/// Reads an attribute header at `off`: flags, type, and the length (1 or 2 octets, the latter
/// with the extended length flag). Returns (flags, type, length-field size).
fn attr_header(p: &[u8], off: usize) -> PResult<(u8, u8, usize)> {
    let flags = p.u8_at(off)?;
    let ty = p.u8_at(off + 1)?;
    Ok((flags, ty, if flags & 0x10 != 0 { 2 } else { 1 }))
}

fn attr_len(p: &[u8], off: usize, lenlen: usize) -> PResult<u32> {
    Ok(if lenlen == 2 {
        p.be_u16(off)? as u32
    } else {
        p.u8_at(off)? as u32
    })
}

/// One path attribute's value: `p` from the value on, `len` its length. `Ok(false)`:
/// truncated (the caller prints ` [|bgp]`).
fn attr_print(ctx: &mut Ctx, atype: u8, p: &[u8], len: u32, depth: u32) -> PResult<bool> {
    // What is left of `len` for the -vv hex dump: attributes that consume it (ATTR_SET,
    // large communities) get no dump.
    let mut dump_len = len;
    match atype {
        ATTR_ORIGIN => {
            if len != 1 {
                ctx.push("invalid len");
            } else {
                let v = p.u8_at(0)?;
                ctx.push(name(ORIGIN_VALUES, v as u32, "Unknown Origin Typecode"));
            }
        }
        ATTR_AS_PATH | ATTR_AS4_PATH => {
            if !len.is_multiple_of(2) {
                ctx.push("invalid len");
            } else if len == 0 {
                ctx.push("empty");
            } else {
                let size = as_path_as_size(atype, p, len)?;
                let mut o = 0usize;
                while o < len as usize {
                    let ty = p.u8_at(o)?;
                    let (open, close) = as_segment_brackets(ty);
                    ctx.push(open);
                    let n = p.u8_at(o + 1)? as usize;
                    for i in 0..n {
                        let at = o + 2 + i * size;
                        if !p.has(at, size) {
                            return Ok(false);
                        }
                        let asn = if size == 2 {
                            p.be_u16(at)? as u32
                        } else {
                            p.be_u32(at)?
                        };
                        let s = as_str(ctx, asn);
                        pr!(ctx, "{} ", s);
                    }
                    ctx.push(close);
                    o += 2 + n * size;
                }
            }
        }
        ATTR_NEXT_HOP | ATTR_ORIGINATOR_ID => {
            if len != 4 {
                ctx.push("invalid len");
            } else {
                ctx.ip(p.sub(0, 4)?);
            }
        }
        ATTR_MULTI_EXIT_DISC | ATTR_LOCAL_PREF => {
            if len != 4 {
                ctx.push("invalid len");
            } else {
                pr!(ctx, "{}", p.be_u32(0)?);
            }
        }
        ATTR_ATOMIC_AGGREGATE => {
            if len != 0 {
                ctx.push("invalid len");
            }
        }
        ATTR_AGGREGATOR | ATTR_AGGREGATOR4 => {
            // AGGREGATOR has a 2- or 4-octet AS number (6 or 8 octets), AGGREGATOR4 a 4-octet
            // one.
            let ok = if atype == ATTR_AGGREGATOR {
                len == 6 || len == 8
            } else {
                len == 8
            };
            if !ok {
                ctx.push("invalid len");
            } else {
                if atype == ATTR_AGGREGATOR && !p.has(0, len as usize) {
                    return Ok(false);
                }
                let (asn, at) = if len == 6 {
                    (p.be_u16(0)? as u32, 2)
                } else {
                    (p.be_u32(0)?, 4)
                };
                let s = as_str(ctx, asn);
                let a = ipv4_str(p.sub(at, 4)?);
                pr!(ctx, " AS #{}, origin {}", s, a);
            }
        }
        ATTR_COMMUNITIES => {
            if !len.is_multiple_of(4) {
                ctx.push("invalid len");
            } else {
                let mut o = 0usize;
                let mut tlen = len;
                while tlen != 0 {
                    if !p.has(o, 4) {
                        return Ok(false);
                    }
                    match p.be_u32(o)? {
                        0xffff_ff01 => ctx.push(" NO_EXPORT"),
                        0xffff_ff02 => ctx.push(" NO_ADVERTISE"),
                        0xffff_ff03 => ctx.push(" NO_EXPORT_SUBCONFED"),
                        c => pr!(
                            ctx,
                            "{}:{}{}",
                            c >> 16,
                            c & 0xffff,
                            if tlen > 4 { ", " } else { "" }
                        ),
                    }
                    tlen -= 4;
                    o += 4;
                }
            }
        }
        ATTR_CLUSTER_LIST => {
            if !len.is_multiple_of(4) {
                ctx.push("invalid len");
            } else {
                let mut o = 0usize;
                let mut tlen = len;
                while tlen != 0 {
                    let a = ipv4_str(p.sub(o, 4)?);
                    pr!(ctx, "{}{}", a, if tlen > 4 { ", " } else { "" });
                    tlen -= 4;
                    o += 4;
                }
            }
        }
        ATTR_MP_REACH_NLRI => {
            if !p.has(0, 3) || len < 3 {
                return Ok(false);
            }
            match mp_af_print(ctx, p, len)? {
                Err(()) => return Ok(false),
                Ok(None) => {}
                Ok(Some(fam)) => {
                    if !mp_reach_print(ctx, p, len, fam)? {
                        return Ok(false);
                    }
                }
            }
        }
        ATTR_MP_UNREACH_NLRI => {
            if !p.has(0, 3) {
                return Ok(false);
            }
            match mp_af_print(ctx, p, len)? {
                Err(()) => return Ok(false),
                Ok(None) => {}
                Ok(Some(fam)) => {
                    if len == 3 {
                        ctx.push("\n\t      End-of-Rib Marker (empty NLRI)");
                    }
                    if !nlri_list_print(ctx, fam, p, 3, len)? {
                        return Ok(false);
                    }
                }
            }
        }
        ATTR_EXTD_COMMUNITIES => {
            if !len.is_multiple_of(8) {
                ctx.push("invalid len");
            } else {
                let mut o = 0usize;
                let mut tlen = len;
                while tlen != 0 {
                    if !p.has(o, 2) {
                        return Ok(false);
                    }
                    let ty = p.be_u16(o)?;
                    pr!(
                        ctx,
                        "\n\t    {} (0x{:04x}), Flags [",
                        name(
                            EXTD_COMM_SUBTYPE_VALUES,
                            ty as u32,
                            "unknown extd community typecode"
                        ),
                        ty
                    );
                    bittok2str(ctx.out, EXTD_COMM_FLAG_VALUES, "none", ty as u32, ", ");
                    ctx.push("]");
                    if !p.has(o, 8) {
                        return Ok(false);
                    }
                    ctx.push(": ");
                    extended_community_print(ctx, p, o)?;
                    tlen -= 8;
                    o += 8;
                }
            }
        }
        ATTR_PMSI_TUNNEL => {
            if !p.has(0, 5) || len < 5 {
                return Ok(false);
            }
            let flags = p.u8_at(0)?;
            let ty = p.u8_at(1)?;
            pr!(
                ctx,
                "\n\t    Tunnel-type {} ({}), Flags [",
                name(PMSI_TUNNEL_VALUES, ty as u32, "Unknown"),
                ty
            );
            bittok2str(ctx.out, PMSI_FLAG_VALUES, "none", flags as u32, ", ");
            pr!(ctx, "], MPLS Label {}", p.be_u24(2)? >> 4);
            let two_addrs = |ctx: &mut Ctx, first: &str, second: &str| -> PResult {
                let a = ipv4_str(p.sub(5, 4)?);
                let b = ipv4_str(p.sub(9, 4)?);
                pr!(ctx, "\n\t      {} {}, {} {}", first, a, second, b);
                Ok(())
            };
            let addr_id = |ctx: &mut Ctx, first: &str, second: &str| -> PResult {
                let a = ipv4_str(p.sub(5, 4)?);
                let id = p.be_u32(9)?;
                pr!(ctx, "\n\t      {} {}, {} 0x{:08x}", first, a, second, id);
                Ok(())
            };
            match ty {
                4 | 5 => two_addrs(ctx, "Sender", "P-Group")?,
                3 => two_addrs(ctx, "Root-Node", "P-Group")?,
                6 => {
                    let a = ipv4_str(p.sub(5, 4)?);
                    pr!(ctx, "\n\t      Tunnel-Endpoint {}", a);
                }
                2 | 7 => addr_id(ctx, "Root-Node", "LSP-ID")?,
                1 => addr_id(ctx, "Extended-Tunnel-ID", "P2MP-ID")?,
                _ => {
                    if ctx.vflag() <= 1 {
                        print_unknown_data(
                            ctx,
                            super::util_print::tail(p, 5),
                            "\n\t      ",
                            (len - 5) as usize,
                        );
                    }
                }
            }
        }
        ATTR_AIGP => {
            let mut o = 0usize;
            let mut tlen = len;
            while tlen >= 3 {
                let ty = p.u8_at(o)?;
                let tl = p.be_u16(o + 1)?;
                o += 3;
                tlen -= 3;
                pr!(
                    ctx,
                    "\n\t    {} TLV ({}), length {}",
                    if ty == 1 { "AIGP" } else { "Unknown" },
                    ty,
                    tl
                );
                if tl < 3 {
                    return Ok(false);
                }
                let vlen = tl as u32 - 3;
                if tlen < vlen {
                    return Ok(false);
                }
                if ty == 1 {
                    if vlen < 8 {
                        return Ok(false);
                    }
                    pr!(ctx, ", metric {}", p.be_u64(o)?);
                } else if ctx.vflag() <= 1 {
                    print_unknown_data(
                        ctx,
                        super::util_print::tail(p, o),
                        "\n\t      ",
                        vlen as usize,
                    );
                }
                o += vlen as usize;
                tlen -= vlen;
            }
        }
        ATTR_ATTR_SET => {
            if !p.has(0, 4) || len < 4 {
                return Ok(false);
            }
            let origin = as_str(ctx, p.be_u32(0)?);
            pr!(ctx, "\n\t    Origin AS: {}", origin);
            let mut o = 4usize;
            let mut rest = len - 4;
            while rest != 0 {
                if !p.has(o, 2) {
                    return Ok(false);
                }
                if rest < 2 {
                    ctx.push(" [path attr too short]");
                    break;
                }
                let (aflags, aty, lenlen) = attr_header(p, o)?;
                o += 2;
                rest -= 2;
                if !p.has(o, lenlen) {
                    return Ok(false);
                }
                if rest < lenlen as u32 {
                    ctx.push(" [path attr too short]");
                    break;
                }
                let alen = attr_len(p, o, lenlen)?;
                o += lenlen;
                rest -= lenlen as u32;
                pr!(
                    ctx,
                    "\n\t      {} ({}), length: {}",
                    name(ATTR_VALUES, aty as u32, "Unknown Attribute"),
                    aty,
                    alen
                );
                if aflags != 0 {
                    attr_flags_print(ctx, aflags);
                }
                ctx.push(": ");
                if rest < alen {
                    ctx.push(" [path attr too short]");
                    break;
                }
                if depth == MAX_ATTR_SET_DEPTH {
                    ctx.push("(too many nested levels, not recursing)");
                } else if !attr_print(ctx, aty, super::util_print::tail(p, o), alen, depth + 1)? {
                    return Ok(false);
                }
                o += alen as usize;
                rest -= alen;
            }
            // The -vv dump covers what the loop did not consume.
            dump_len = rest;
        }
        ATTR_LARGE_COMMUNITY => {
            if len == 0 || !len.is_multiple_of(12) {
                ctx.push("invalid len");
            } else {
                ctx.push("\n\t    ");
                let mut o = 0usize;
                let mut rest = len;
                while rest != 0 {
                    let (a, b, c) = (p.be_u32(o)?, p.be_u32(o + 4)?, p.be_u32(o + 8)?);
                    pr!(
                        ctx,
                        "{}:{}:{}{}",
                        a,
                        b,
                        c,
                        if rest > 12 { ", " } else { "" }
                    );
                    o += 12;
                    rest -= 12;
                }
                dump_len = 0;
            }
        }
        _ => {
            if !p.has(0, len as usize) {
                return Ok(false);
            }
            pr!(ctx, "\n\t    no Attribute {} decoder", atype);
            if ctx.vflag() <= 1 {
                print_unknown_data(ctx, p, "\n\t    ", len as usize);
            }
        }
    }
    if ctx.vflag() > 1 && dump_len != 0 {
        if !p.has(0, dump_len as usize) {
            return Ok(false);
        }
        print_unknown_data(ctx, p, "\n\t    ", dump_len as usize);
    }
    Ok(true)
}

/// The rest of MP_REACH_NLRI after AFI/SAFI: next hops, SNPAs, NLRI. `Ok(false)`: truncated.
fn mp_reach_print(ctx: &mut Ctx, p: &[u8], len: u32, fam: Family) -> PResult<bool> {
    use Family::*;
    let mut o = 3usize;
    let mut tlen = len - 3;
    if !p.has(o, 1) || tlen < 1 {
        return Ok(false);
    }
    let nhlen = p.u8_at(o)? as u32;
    o += 1;
    tlen -= 1;
    if nhlen != 0 {
        if tlen < nhlen {
            return Ok(false);
        }
        ctx.push("\n\t    nexthop: ");
        let mut left = nhlen;
        let mut first = true;
        while left != 0 {
            if !first {
                ctx.push(", ");
            }
            first = false;
            // (address size, with a route distinguisher) of one next hop.
            let (size, rd) = match fam {
                Inet | InetLabeled | InetRtc | InetMvpn | InetMdt | L2vpn => (4, false),
                InetVpn => (4, true),
                Inet6 | Inet6Labeled => (16, false),
                Inet6Vpn => (16, true),
                Nsap => {
                    let a = nsap_str(p.sub(o, left as usize)?);
                    ctx.push(&a);
                    o += left as usize;
                    tlen -= left;
                    left = 0;
                    continue;
                }
                NsapVpn => {
                    if left < RD_LEN as u32 + 1 {
                        ctx.push("invalid len");
                    } else {
                        if !p.has(o, left as usize) {
                            return Ok(false);
                        }
                        let rd = rd_str(ctx, p, o)?;
                        let a = nsap_str(p.sub(o + RD_LEN, left as usize - RD_LEN)?);
                        pr!(ctx, "RD: {}, {}", rd, a);
                        // An IPv4 (RFC 986) or IPv6 (RFC 1888) address mapped into an NSAP.
                        if p.be_u32(o + RD_LEN)? == 0x4700_0601 {
                            let a = ipv4_str(p.sub(o + RD_LEN + 4, 4)?);
                            pr!(ctx, " = {}", a);
                        } else if p.be_u24(o + RD_LEN)? == 0x35_0000 {
                            let a = ipv6_str(p.sub(o + RD_LEN + 3, 16)?);
                            pr!(ctx, " = {}", a);
                        }
                    }
                    o += left as usize;
                    tlen -= left;
                    left = 0;
                    continue;
                }
            };
            let need = size + if rd { RD_LEN as u32 } else { 0 };
            if left < need {
                ctx.push("invalid len");
                o += left as usize;
                tlen -= left;
                left = 0;
                continue;
            }
            let at = o + if rd { RD_LEN } else { 0 };
            let a = if size == 4 {
                ipv4_str(p.sub(at, 4)?)
            } else {
                ipv6_str(p.sub(at, 16)?)
            };
            if rd {
                let r = rd_str(ctx, p, o)?;
                pr!(ctx, "RD: {}, {}", r, a);
            } else {
                ctx.push(&a);
            }
            o += need as usize;
            tlen -= need;
            left -= need;
        }
    }
    pr!(ctx, ", nh-length: {}", nhlen);
    // SNPAs (RFC 2858; reserved in RFC 4760).
    if tlen < 1 {
        return Ok(false);
    }
    let snpa = p.u8_at(o)?;
    o += 1;
    tlen -= 1;
    if snpa != 0 {
        pr!(ctx, "\n\t    {} SNPA", snpa);
        for _ in 0..snpa {
            if tlen < 1 {
                return Ok(false);
            }
            let l = p.u8_at(o)? as u32;
            pr!(ctx, "\n\t      {} bytes", l);
            o += 1;
            tlen -= 1;
            if tlen < l || !p.has(o, l as usize) {
                return Ok(false);
            }
            o += l as usize;
            tlen -= l;
        }
    } else {
        ctx.push(", no SNPA");
    }
    nlri_list_print(ctx, fam, p, o, len)
}

/// The 6 octets after the type of an extended community (RFC 4360 and later registrations).
fn extended_community_print(ctx: &mut Ctx, p: &[u8], o: usize) -> PResult {
    let ty = p.be_u16(o)?;
    match ty {
        // Two-octet AS specific: route target / origin, L2VPN identifier.
        0x0002 | 0x0003 | 0x000a => {
            let (asn, v) = (p.be_u16(o + 2)?, p.be_u32(o + 4)?);
            let a = ipv4_str(p.sub(o + 4, 4)?);
            pr!(ctx, "{}:{} (= {})", asn, v, a);
        }
        // IPv4 address specific.
        0x0102 | 0x0103 | 0xf10a | 0x010b => {
            let a = ipv4_str(p.sub(o + 2, 4)?);
            pr!(ctx, "{}:{}", a, p.be_u16(o + 6)?);
        }
        // Four-octet AS specific.
        0x0202 | 0x0203 => {
            let s = as_str(ctx, p.be_u32(o + 2)?);
            pr!(ctx, "{}:{}", s, p.be_u16(o + 6)?);
        }
        // Link bandwidth: an IEEE float in bytes per second.
        0x4004 => {
            let bw = f32::from_bits(p.be_u32(o + 4)?);
            pr!(
                ctx,
                "bandwidth: {:.3} Mbps",
                (bw * 8.0 / 1_000_000.0) as f64
            );
        }
        // OSPF domain identifier, OSPF router ID.
        0x0005 | 0x0105 | 0x0205 | 0x8005 | 0x0107 | 0x8001 => {
            ctx.ip(p.sub(o + 2, 4)?);
        }
        // OSPF route type.
        0x0306 | 0x8000 => {
            let area = ipv4_str(p.sub(o + 2, 4)?);
            let rtype = p.u8_at(o + 6)?;
            let opts = p.u8_at(o + 7)?;
            ctx.push("area:");
            ctx.push(&area);
            ctx.push(", router-type:");
            super::tok2str(
                ctx.out,
                OSPF_RTYPE_VALUES,
                "unknown (0x{:02x})",
                rtype as u32,
            );
            pr!(
                ctx,
                ", metric-type:{}{}",
                if opts & 1 != 0 { "E2" } else { "" },
                if rtype == EXT_OSPF_RTYPE_EXT || rtype == EXT_OSPF_RTYPE_NSSA {
                    "E1"
                } else {
                    ""
                }
            );
        }
        // Layer 2 info (draft-kompella-ppvpn-l2vpn).
        0x800a => {
            let enc = p.u8_at(o + 2)?;
            let flags = p.u8_at(o + 3)?;
            let mtu = p.be_u16(o + 4)?;
            pr!(
                ctx,
                "{} Control Flags [0x{:02x}]:MTU {}",
                name(L2VPN_ENCAPS_VALUES, enc as u32, "unknown encaps"),
                flags,
                mtu
            );
        }
        0x0009 => pr!(ctx, "AS {}", p.be_u16(o + 2)?),
        // Encapsulation (RFC 5512).
        0x030c => {
            let t = p.be_u16(o + 6)?;
            ctx.push("Tunnel type: ");
            ctx.push(name(ENCAP_TUNNEL_VALUES, t as u32, "unknown encaps"));
        }
        _ => {
            let v = p.sub(o + 2, 6)?;
            for b in v {
                pr!(ctx, "{:02x}", b);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Messages. Each gets `m`: the captured bytes from the message's marker on (possibly more than
// the message: tcpdump bounds reads by the capture, not by the message), and `length`, the
// message's length field.

/// OPEN: version, AS, hold time, identifier, optional parameters.
fn open_print(ctx: &mut Ctx, m: &[u8], length: u32) -> PResult {
    if !m.has(0, OPEN_LEN) || (length as usize) < OPEN_LEN {
        ctx.print_trunc();
        return Ok(());
    }
    pr!(ctx, "\n\t  Version {}, ", m.u8_at(19)?);
    let my_as = as_str(ctx, m.be_u16(20)? as u32);
    pr!(ctx, "my AS {}, ", my_as);
    pr!(ctx, "Holdtime {}s, ", m.be_u16(22)?);
    ctx.push("ID ");
    ctx.ip(m.sub(24, 4)?);
    let optslen = m.u8_at(28)? as usize;
    pr!(ctx, "\n\t  Optional parameters, length: {}", optslen);
    let opts = super::util_print::tail(m, OPEN_LEN);
    let length = length as usize - OPEN_LEN;
    let mut i = 0usize;
    while i < optslen {
        if !opts.has(i, 2) || length < 2 + i {
            ctx.print_trunc();
            return Ok(());
        }
        let ty = opts.u8_at(i)?;
        let len = opts.u8_at(i + 1)? as usize;
        if 2 + i + len > optslen {
            pr!(
                ctx,
                "\n\t     Option {}, length: {}, goes past the end of the options",
                ty,
                len
            );
            break;
        }
        pr!(
            ctx,
            "\n\t    Option {} ({}), length: {}",
            name(OPT_VALUES, ty as u32, "Unknown"),
            ty,
            len
        );
        if ty == OPT_CAP {
            capabilities_print(ctx, super::util_print::tail(opts, i + 2), len)?;
        } else {
            pr!(ctx, "\n\t      no decoder for option {}", ty);
        }
        i += 2 + len;
    }
    Ok(())
}

/// `AFI x (n), SAFI y (n)` as capabilities print it.
fn afi_safi_str(af: u16, safi: u8) -> String {
    format!(
        "AFI {} ({}), SAFI {} ({})",
        name(AF_VALUES, af as u32, "Unknown"),
        af,
        name(SAFI_VALUES, safi as u32, "Unknown"),
        safi
    )
}

/// The capabilities of one Capabilities optional parameter (`caps_len` octets at `c`).
fn capabilities_print(ctx: &mut Ctx, c: &[u8], caps_len: usize) -> PResult {
    let mut i = 0usize;
    while i < caps_len {
        if !c.has(i, 2) {
            ctx.print_trunc();
            return Ok(());
        }
        let ty = c.u8_at(i)?;
        let len = c.u8_at(i + 1)? as usize;
        pr!(
            ctx,
            "\n\t      {} ({}), length: {}",
            name(CAPCODE_VALUES, ty as u32, "Unknown"),
            ty,
            len
        );
        if !c.has(i + 2, len) {
            ctx.print_trunc();
            return Ok(());
        }
        let v = i + 2;
        match ty {
            CAP_MP => {
                if len < 4 {
                    ctx.push(" (too short, < 4)");
                    return Ok(());
                }
                let s = afi_safi_str(c.be_u16(v)?, c.u8_at(v + 3)?);
                pr!(ctx, "\n\t\t{}", s);
            }
            CAP_ML => {
                let mut o = v;
                let mut left = len;
                while left >= 4 {
                    let s = afi_safi_str(c.be_u16(o)?, c.u8_at(o + 2)?);
                    pr!(ctx, "\n\t\t{}, Count: {}", s, c.u8_at(o + 3)?);
                    left -= 4;
                    o += 4;
                }
            }
            CAP_RESTART => {
                if len < 2 {
                    ctx.push(" (too short, < 2)");
                    return Ok(());
                }
                let flags = c.u8_at(v)?;
                let time = c.be_u16(v)? & 0xfff;
                pr!(
                    ctx,
                    "\n\t\tRestart Flags: [{}], Restart Time {}s",
                    if flags & 0x80 != 0 { "R" } else { "none" },
                    time
                );
                let mut o = v + 2;
                let mut left = len - 2;
                while left >= 4 {
                    let s = afi_safi_str(c.be_u16(o)?, c.u8_at(o + 2)?);
                    let fwd = c.u8_at(o + 3)? & 0x80 != 0;
                    pr!(
                        ctx,
                        "\n\t\t  {}, Forwarding state preserved: {}",
                        s,
                        if fwd { "yes" } else { "no" }
                    );
                    left -= 4;
                    o += 4;
                }
            }
            CAP_RR | CAP_LLGR | CAP_RR_CISCO => {}
            CAP_AS_NEW => {
                if len < 4 {
                    ctx.push(" (too short, < 4)");
                    return Ok(());
                }
                let s = as_str(ctx, c.be_u32(v)?);
                pr!(ctx, "\n\t\t 4 Byte AS {}", s);
            }
            CAP_ADD_PATH => {
                if len == 0 {
                    ctx.push(" (bogus)");
                } else {
                    let mut o = v;
                    let mut left = len;
                    while left != 0 {
                        if left < 4 {
                            ctx.print_invalid();
                            break;
                        }
                        let s = afi_safi_str(c.be_u16(o)?, c.u8_at(o + 2)?);
                        let sr = c.u8_at(o + 3)?;
                        pr!(ctx, "\n\t\t{}, Send/Receive: ", s);
                        super::tok2str(ctx.out, ADD_PATH_VALUES, "Bogus (0x{:02x})", sr as u32);
                        left -= 4;
                        o += 4;
                    }
                }
            }
            _ => {
                pr!(ctx, "\n\t\tno decoder for Capability {}", ty);
                if ctx.vflag() <= 1 {
                    print_unknown_data(ctx, super::util_print::tail(c, v), "\n\t\t", len);
                }
            }
        }
        if ctx.vflag() > 1 && len != 0 {
            print_unknown_data(ctx, super::util_print::tail(c, v), "\n\t\t", len);
        }
        i += 2 + len;
    }
    Ok(())
}

/// UPDATE: withdrawn routes, path attributes, NLRI (IPv4 unicast).
fn update_print(ctx: &mut Ctx, m: &[u8], length: u32) -> PResult {
    if update_body_print(ctx, m, length)? {
        return Ok(());
    }
    ctx.print_trunc();
    Ok(())
}

/// [`update_print`]; `Ok(false)` when it stopped on a truncation.
fn update_body_print(ctx: &mut Ctx, m: &[u8], length: u32) -> PResult<bool> {
    if !m.has(0, HDR_LEN) || (length as usize) < HDR_LEN {
        return Ok(false);
    }
    let mut o = HDR_LEN;
    let mut length = length - HDR_LEN as u32;

    if !m.has(o, 2) || length < 2 {
        return Ok(false);
    }
    let mut withdrawn = m.be_u16(o)? as u32;
    o += 2;
    length -= 2;
    if withdrawn > 1 {
        // Without the OPEN (or the announcement) the family of withdrawn routes is unknown;
        // they are decoded as IPv4.
        if !m.has(o, withdrawn as usize) || length < withdrawn {
            return Ok(false);
        }
        ctx.push("\n\t  Withdrawn routes:");
        let add_path = check_add_path(m, o, withdrawn, 32);
        while withdrawn != 0 {
            let mut path_id = 0;
            if add_path {
                if withdrawn < 4 {
                    o += withdrawn as usize;
                    length -= withdrawn;
                    break;
                }
                path_id = m.be_u32(o)?;
                o += 4;
                length -= 4;
                withdrawn -= 4;
            }
            match decode_prefix4(super::util_print::tail(m, o), withdrawn)? {
                Err(PfxErr::Illegal) => {
                    ctx.push("\n\t    (illegal prefix length)");
                    break;
                }
                Err(_) => return Ok(false),
                Ok((s, n)) => {
                    pr!(ctx, "\n\t    {}", s);
                    if add_path {
                        pr!(ctx, "   Path Id: {}", path_id);
                    }
                    o += n as usize;
                    length -= n;
                    withdrawn -= n;
                }
            }
        }
    } else {
        if !m.has(o, withdrawn as usize) || length < withdrawn {
            return Ok(false);
        }
        o += withdrawn as usize;
        length -= withdrawn;
    }

    if !m.has(o, 2) || length < 2 {
        return Ok(false);
    }
    let mut alen_total = m.be_u16(o)? as u32;
    o += 2;
    length -= 2;

    if withdrawn == 0 && alen_total == 0 && length == 0 {
        ctx.push("\n\t  End-of-Rib Marker (empty NLRI)");
        return Ok(true);
    }

    if alen_total != 0 {
        if length < alen_total {
            return Ok(false);
        }
        while alen_total != 0 {
            if !m.has(o, 2) || length < 2 {
                return Ok(false);
            }
            if alen_total < 2 {
                ctx.push("\n\t  [path attrs too short]");
                o += alen_total as usize;
                length -= alen_total;
                break;
            }
            let (aflags, aty, lenlen) = attr_header(m, o)?;
            o += 2;
            alen_total -= 2;
            length -= 2;
            if !m.has(o, lenlen) || length < lenlen as u32 {
                return Ok(false);
            }
            if alen_total < lenlen as u32 {
                ctx.push("\n\t  [path attrs too short]");
                o += alen_total as usize;
                length -= alen_total;
                break;
            }
            let alen = attr_len(m, o, lenlen)?;
            o += lenlen;
            alen_total -= lenlen as u32;
            length -= lenlen as u32;
            pr!(
                ctx,
                "\n\t  {} ({}), length: {}",
                name(ATTR_VALUES, aty as u32, "Unknown Attribute"),
                aty,
                alen
            );
            if aflags != 0 {
                attr_flags_print(ctx, aflags);
                ctx.push(": ");
            }
            if alen_total < alen {
                ctx.push(" [path attrs too short]");
                o += alen_total as usize;
                length -= alen_total;
                break;
            }
            if length < alen {
                return Ok(false);
            }
            if !attr_print(ctx, aty, super::util_print::tail(m, o), alen, 0)? {
                return Ok(false);
            }
            o += alen as usize;
            alen_total -= alen;
            length -= alen;
        }
    }

    if length != 0 {
        let add_path = check_add_path(m, o, length, 32);
        ctx.push("\n\t  Updated routes:");
        while length != 0 {
            let mut path_id = 0;
            if add_path {
                if !m.has(o, 4) || length < 4 {
                    return Ok(false);
                }
                path_id = m.be_u32(o)?;
                o += 4;
                length -= 4;
            }
            match decode_prefix4(super::util_print::tail(m, o), length)? {
                Err(PfxErr::Illegal) => {
                    ctx.push("\n\t    (illegal prefix length)");
                    break;
                }
                Err(_) => return Ok(false),
                Ok((s, n)) => {
                    pr!(ctx, "\n\t    {}", s);
                    if add_path {
                        pr!(ctx, "   Path Id: {}", path_id);
                    }
                    o += n as usize;
                    length -= n;
                }
            }
        }
    }
    Ok(true)
}

/// NOTIFICATION: error code and subcode, and the data some subcodes carry.
fn notification_print(ctx: &mut Ctx, m: &[u8], length: u32) -> PResult {
    if !m.has(0, NOTIFICATION_LEN) {
        ctx.print_trunc();
        return Ok(());
    }
    if (length as usize) < NOTIFICATION_LEN {
        return Ok(());
    }
    let major = m.u8_at(19)?;
    let minor = m.u8_at(20)?;
    pr!(
        ctx,
        ", {} ({})",
        name(NOTIFY_MAJOR_VALUES, major as u32, "Unknown Error"),
        major
    );
    // FSM and capability errors print no comma before the subcode.
    let (sep, table) = match major {
        1 => (", ", NOTIFY_MINOR_MSG_VALUES),
        2 => (", ", NOTIFY_MINOR_OPEN_VALUES),
        3 => (", ", NOTIFY_MINOR_UPDATE_VALUES),
        5 => (" ", NOTIFY_MINOR_FSM_VALUES),
        7 => (" ", NOTIFY_MINOR_CAP_VALUES),
        6 => (", ", NOTIFY_MINOR_CEASE_VALUES),
        _ => return Ok(()),
    };
    pr!(
        ctx,
        "{}subcode {} ({})",
        sep,
        name(table, minor as u32, "Unknown"),
        minor
    );
    if major != 6 {
        return Ok(());
    }
    let d = NOTIFICATION_LEN;
    // RFC 4486: AFI, SAFI and the prefix limit may follow.
    if minor == CEASE_MAXPRFX && length as usize >= d + 7 {
        let af = m.be_u16(d)?;
        let safi = m.u8_at(d + 2)?;
        let max = m.be_u32(d + 3)?;
        pr!(
            ctx,
            ", AFI {} ({}), SAFI {} ({}), Max Prefixes: {}",
            name(AF_VALUES, af as u32, "Unknown"),
            af,
            name(SAFI_VALUES, safi as u32, "Unknown"),
            safi,
            max
        );
    }
    // RFC 9003: a shutdown communication for humans.
    if (minor == CEASE_SHUT || minor == CEASE_RESET) && length as usize > d {
        let clen = m.u8_at(d)? as u32;
        let mut rest_off = 0u32;
        if clen > length - (d as u32 + 1) {
            ctx.push(", invalid Shutdown Communication length");
        } else if clen == 0 {
            ctx.push(", empty Shutdown Communication");
            rest_off = 1;
        } else {
            pr!(ctx, ", Shutdown Communication (length: {}): \"", clen);
            printn(ctx, super::util_print::tail(m, d + 1), clen as usize)?;
            ctx.push("\"");
            rest_off = clen + 1;
        }
        let rest = length - (rest_off + d as u32);
        if rest > 0 {
            pr!(ctx, ", Data: (length: {})", rest);
            crate::dump::hex_print(
                ctx.out,
                "\n\t\t",
                super::util_print::tail(m, d + rest_off as usize),
                rest as usize,
                0,
            )?;
        }
    }
    Ok(())
}

/// ROUTE-REFRESH: AFI and SAFI.
fn route_refresh_print(ctx: &mut Ctx, m: &[u8], length: u32) -> PResult {
    if !m.has(0, ROUTE_REFRESH_LEN) {
        ctx.print_trunc();
        return Ok(());
    }
    if (length as usize) < ROUTE_REFRESH_LEN {
        return Ok(());
    }
    let s = afi_safi_str(m.be_u16(19)?, m.u8_at(22)?);
    pr!(ctx, "\n\t  {}", s);
    if ctx.vflag() > 1 {
        if !m.has(0, length as usize) {
            ctx.print_trunc();
            return Ok(());
        }
        print_unknown_data(ctx, m, "\n\t  ", length as usize);
    }
    Ok(())
}

/// One message (the header is captured, and `length` octets of it).
fn pdu_print(ctx: &mut Ctx, m: &[u8], length: u32) -> PResult {
    let ty = m.u8_at(18)?;
    pr!(
        ctx,
        "\n\t{} Message ({}), length: {}",
        name(MSG_VALUES, ty as u32, "Unknown"),
        ty,
        length
    );
    match ty {
        MSG_OPEN => open_print(ctx, m, length),
        MSG_UPDATE => update_print(ctx, m, length),
        MSG_NOTIFICATION => notification_print(ctx, m, length),
        MSG_KEEPALIVE => Ok(()),
        MSG_ROUTE_REFRESH => route_refresh_print(ctx, m, length),
        _ => {
            pr!(ctx, "\n\t  no Message {} decoder", ty);
            print_unknown_data(ctx, m, "\n\t  ", length as usize);
            Ok(())
        }
    }
}

/// The BGP messages of a TCP segment's payload `p` (captured bytes).
pub fn bgp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let _ = length;
    ctx.protocol = "bgp";
    ctx.push(": BGP");
    if ctx.vflag() < 1 {
        return Ok(());
    }
    let mut off = 0usize;
    // Where the last message ended: bytes skipped before the next marker mean that a message
    // was cut off, which tcpdump flags with ` [|bgp]`.
    let mut start = 0usize;
    while off < p.len() {
        if p[off] != 0xff {
            off += 1;
            continue;
        }
        let Ok(m) = p.sub(off, MARKER.len()) else {
            break;
        };
        if m != MARKER {
            off += 1;
            continue;
        }
        if !p.has(off, HDR_LEN) {
            ctx.print_trunc();
            return Ok(());
        }
        if start != off {
            ctx.print_trunc();
        }
        let hlen = p.be_u16(off + 16)? as u32;
        if (hlen as usize) < HDR_LEN {
            pr!(ctx, "\nmessage length {} < {}", hlen, HDR_LEN);
            ctx.print_invalid();
            break;
        }
        if p.has(off, hlen as usize) {
            pdu_print(ctx, &p[off..], hlen)?;
            off += hlen as usize;
            start = off;
        } else {
            let ty = p.u8_at(off + 18)?;
            pr!(
                ctx,
                "\n[|BGP {}]",
                name(MSG_VALUES, ty as u32, "Unknown Message Type")
            );
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn run(o: &PrintOptions, p: &[u8]) -> String {
        run_marked(o, |ctx| bgp_print(ctx, p, p.len() as u32))
    }

    // OPEN, AS 23456, hold time 180, id 10.0.0.1: multiprotocol IPv4 unicast, 4-octet AS 65537.
    const OPEN: &str = "ffffffffffffffffffffffffffffffff002d01045ba000b40a000001\
                        1002060104000100010206410400010001";
    // UPDATE: ORIGIN IGP, AS_PATH 65000 65537 (4-octet), NEXT_HOP, COMMUNITIES 65000:100
    // NO_EXPORT, NLRI 192.0.2.0/24; then a KEEPALIVE.
    const UPDATE: &str = "ffffffffffffffffffffffffffffffff003e02000000234001010040020a02020000fde8\
                          000100014003040a000001c00808fde80064ffffff0118c00002\
                          ffffffffffffffffffffffffffffffff001304";
    // UPDATE with MP_REACH_NLRI: IPv6 unicast, next hop 2001:db8::1, 2001:db8::/32.
    const UPDATE6: &str = "ffffffffffffffffffffffffffffffff0034020000001d800e1a0002011020010db8\
                           000000000000000000000001002020010db8";
    // NOTIFICATION Cease / Administrative Shutdown with the communication "bye".
    const NOTIFICATION: &str = "ffffffffffffffffffffffffffffffff001903060203627965";

    // Expected texts are tcpdump 4.99.3's for the same bytes (in a TCP segment to port 179).
    #[test]
    fn open_with_capabilities() {
        assert_eq!(run(&opts(0, false), &hex(OPEN)), ": BGP");
        assert_eq!(
            run(&opts(1, false), &hex(OPEN)),
            ": BGP\n\tOpen Message (1), length: 45\
             \n\t  Version 4, my AS 23456, Holdtime 180s, ID 10.0.0.1\
             \n\t  Optional parameters, length: 16\
             \n\t    Option Capabilities Advertisement (2), length: 6\
             \n\t      Multiprotocol Extensions (1), length: 4\
             \n\t\tAFI IPv4 (1), SAFI Unicast (1)\
             \n\t    Option Capabilities Advertisement (2), length: 6\
             \n\t      32-Bit AS Number (65), length: 4\
             \n\t\t 4 Byte AS 65537"
        );
        let vv = run(&opts(2, false), &hex(OPEN));
        assert!(
            vv.ends_with("\n\t\t 4 Byte AS 65537\n\t\t0x0000:  0001 0001"),
            "{vv}"
        );
        let asdot = PrintOptions {
            asdot: true,
            ..opts(1, false)
        };
        assert!(run(&asdot, &hex(OPEN)).ends_with(" 4 Byte AS 1.1"));
    }

    #[test]
    fn update_attributes_and_nlri() {
        assert_eq!(
            run(&opts(1, false), &hex(UPDATE)),
            ": BGP\n\tUpdate Message (2), length: 62\
             \n\t  Origin (1), length: 1, Flags [T]: IGP\
             \n\t  AS Path (2), length: 10, Flags [T]: 65000 65537 \
             \n\t  Next Hop (3), length: 4, Flags [T]: 10.0.0.1\
             \n\t  Community (8), length: 8, Flags [OT]: 65000:100,  NO_EXPORT\
             \n\t  Updated routes:\
             \n\t    192.0.2.0/24\
             \n\tKeepalive Message (4), length: 19"
        );
        let asdot = PrintOptions {
            asdot: true,
            ..opts(1, false)
        };
        assert!(run(&asdot, &hex(UPDATE)).contains("Flags [T]: 65000 1.1 \n"));
        let vv = run(&opts(2, false), &hex(UPDATE));
        assert!(
            vv.contains("65000 65537 \n\t    0x0000:  0202 0000 fde8 0001 0001\n"),
            "{vv}"
        );
    }

    #[test]
    fn multiprotocol_reach() {
        assert_eq!(
            run(&opts(1, false), &hex(UPDATE6)),
            ": BGP\n\tUpdate Message (2), length: 52\
             \n\t  Multi-Protocol Reach NLRI (14), length: 26, Flags [O]: \
             \n\t    AFI: IPv6 (2), SAFI: Unicast (1)\
             \n\t    nexthop: 2001:db8::1, nh-length: 16, no SNPA\
             \n\t      2001:db8::/32"
        );
        assert!(run(&opts(2, false), &hex(UPDATE6)).ends_with(
            "\n\t    0x0000:  0002 0110 2001 0db8 0000 0000 0000 0000\
             \n\t    0x0010:  0000 0001 0020 2001 0db8"
        ));
    }

    #[test]
    fn notification_with_shutdown_communication() {
        assert_eq!(
            run(&opts(1, false), &hex(NOTIFICATION)),
            ": BGP\n\tNotification Message (3), length: 25, Cease (6), subcode Administrative \
             Shutdown (2), Shutdown Communication (length: 3): \"bye\""
        );
    }

    #[test]
    fn cut_messages_and_garbage() {
        let u = hex(UPDATE);
        // The message's length goes past the capture.
        assert_eq!(run(&opts(1, false), &u[..40]), ": BGP\n[|BGP Update]");
        // Bytes before the marker: the previous message was cut.
        let mut g = vec![1, 2, 3];
        g.extend_from_slice(&hex(NOTIFICATION));
        assert!(run(&opts(1, false), &g).starts_with(": BGP [|bgp]\n\tNotification"));
        // A length below the header's.
        let mut bad = hex(NOTIFICATION);
        bad[17] = 5;
        assert_eq!(
            run(&opts(1, false), &bad),
            ": BGP\nmessage length 5 < 19 (invalid)"
        );
    }

    #[test]
    fn add_path_is_guessed_from_the_encoding() {
        // 192.0.2.0/24 with path id 1: only parses with the path identifier.
        let ap = [0, 0, 0, 1, 24, 192, 0, 2];
        assert!(check_add_path(&ap, 0, ap.len() as u32, 32));
        // Two plain prefixes: parse without identifiers.
        let plain = [24, 192, 0, 2, 8, 10];
        assert!(!check_add_path(&plain, 0, plain.len() as u32, 32));
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut variants = verbosities(3);
        variants.push(PrintOptions {
            asdot: true,
            ..opts(2, false)
        });
        for m in [OPEN, UPDATE, UPDATE6, NOTIFICATION] {
            assert_every_truncation_is_safe(&hex(m), &variants, |ctx, p| {
                bgp_print(ctx, p, p.len() as u32)
            });
        }
        // Any cut inside a message's length leaves it undecoded, with its type named.
        let u = hex(UPDATE);
        for n in 19..62 {
            assert!(
                run(&opts(1, false), &u[..n]).ends_with("\n[|BGP Update]"),
                "{n}"
            );
        }
    }
}
