//! IS-IS (ISO/IEC 10589, RFC 1195) with the TLVs of RFC 5305 (TE), RFC 5120 (multi-topology),
//! RFC 5308 (IPv6), RFC 6232 (purge originator), RFC 6329 (SPB), RFC 7981 (router capability),
//! RFC 8202 (instance ID) and RFC 8667 (segment routing); the IS-IS part of tcpdump's
//! print-isoclns.c, which dispatches here by NLPID 0x83.
//!
//! The printer follows tcpdump's two ways of stopping: a field read past the capture returns
//! `Err` (` [|isis]` from the top, and nothing more), while the explicit checks print the
//! marker themselves and end the packet normally ([`Stop::Trunc`]).

use super::gmpls;
use super::isoclns::{NLPID_VALUES, nsap_at, print_cksum};
use super::util_print::{print_unknown_data_at, printjnp};
use super::{Ctx, bittok2str, oui, pr, tok, tok2str};
use crate::addr::Ip;
use crate::cursor::{Bytes, PResult};

const SYSTEM_ID_LEN: usize = 6;
const NODE_ID_LEN: usize = 7;
const LSP_ID_LEN: usize = 8;

const ISIS_VERSION: u8 = 1;
const COMMON_HDR: usize = 8;
const IIH_LAN_HDR: usize = 19;
const IIH_PTP_HDR: usize = 12;
const LSP_HDR: usize = 19;
const CSNP_HDR: usize = 25;
const PSNP_HDR: usize = 9;

const PDU_L1_LAN_IIH: u8 = 15;
const PDU_L2_LAN_IIH: u8 = 16;
const PDU_PTP_IIH: u8 = 17;
const PDU_L1_LSP: u8 = 18;
const PDU_L2_LSP: u8 = 20;
const PDU_L1_CSNP: u8 = 24;
const PDU_L2_CSNP: u8 = 25;
const PDU_L1_PSNP: u8 = 26;
const PDU_L2_PSNP: u8 = 27;

const PDU_VALUES: &[(u32, &str)] = &[
    (15, "L1 Lan IIH"),
    (16, "L2 Lan IIH"),
    (17, "p2p IIH"),
    (18, "L1 LSP"),
    (20, "L2 LSP"),
    (24, "L1 CSNP"),
    (25, "L2 CSNP"),
    (26, "L1 PSNP"),
    (27, "L2 PSNP"),
];

const TLV_AREA_ADDR: u8 = 1;
const TLV_IS_REACH: u8 = 2;
const TLV_ESNEIGH: u8 = 3;
const TLV_PART_DIS: u8 = 4;
const TLV_PREFIX_NEIGH: u8 = 5;
const TLV_ISNEIGH: u8 = 6;
const TLV_INSTANCE_ID: u8 = 7;
const TLV_PADDING: u8 = 8;
const TLV_LSP: u8 = 9;
const TLV_AUTH: u8 = 10;
const TLV_CHECKSUM: u8 = 12;
const TLV_POI: u8 = 13;
const TLV_LSP_BUFFERSIZE: u8 = 14;
const TLV_EXT_IS_REACH: u8 = 22;
const TLV_IS_ALIAS_ID: u8 = 24;
const TLV_INT_IP_REACH: u8 = 128;
const TLV_PROTOCOLS: u8 = 129;
const TLV_EXT_IP_REACH: u8 = 130;
const TLV_IDRP_INFO: u8 = 131;
const TLV_IPADDR: u8 = 132;
const TLV_TE_ROUTER_ID: u8 = 134;
const TLV_EXTD_IP_REACH: u8 = 135;
const TLV_HOSTNAME: u8 = 137;
const TLV_SHARED_RISK_GROUP: u8 = 138;
const TLV_MT_PORT_CAP: u8 = 143;
const TLV_MT_CAPABILITY: u8 = 144;
const TLV_RESTART_SIGNALING: u8 = 211;
const TLV_MT_IS_REACH: u8 = 222;
const TLV_MT_SUPPORTED: u8 = 229;
const TLV_IP6ADDR: u8 = 232;
const TLV_MT_IP_REACH: u8 = 235;
const TLV_IP6_REACH: u8 = 236;
const TLV_MT_IP6_REACH: u8 = 237;
const TLV_PTP_ADJ: u8 = 240;
const TLV_IIH_SEQNR: u8 = 241;
const TLV_ROUTER_CAPABILITY: u8 = 242;
const TLV_VENDOR_PRIVATE: u8 = 250;

const TLV_VALUES: &[(u32, &str)] = &[
    (1, "Area address(es)"),
    (2, "IS Reachability"),
    (3, "ES Neighbor(s)"),
    (4, "Partition DIS"),
    (5, "Prefix Neighbors"),
    (6, "IS Neighbor(s)"),
    (7, "Instance Identifier"),
    (8, "Padding"),
    (9, "LSP entries"),
    (10, "Authentication"),
    (12, "Checksum"),
    (13, "Purge Originator Identifier"),
    (14, "LSP Buffersize"),
    (22, "Extended IS Reachability"),
    (24, "IS Alias ID"),
    (42, "DECnet Phase IV"),
    (66, "Lucent Proprietary"),
    (128, "IPv4 Internal Reachability"),
    (129, "Protocols supported"),
    (130, "IPv4 External Reachability"),
    (131, "Inter-Domain Information Type"),
    (132, "IPv4 Interface address(es)"),
    (133, "IPv4 authentication (deprecated)"),
    (134, "Traffic Engineering Router ID"),
    (135, "Extended IPv4 Reachability"),
    (138, "Shared Risk Link Group"),
    (143, "Multi-Topology-Aware Port Capability"),
    (144, "Multi-Topology Capability"),
    (176, "Nortel Proprietary"),
    (177, "Nortel Proprietary"),
    (137, "Hostname"),
    (211, "Restart Signaling"),
    (222, "Multi Topology IS Reachability"),
    (229, "Multi Topology"),
    (232, "IPv6 Interface address(es)"),
    (235, "Multi-Topology IPv4 Reachability"),
    (236, "IPv6 reachability"),
    (237, "Multi-Topology IP6 Reachability"),
    (240, "Point-to-point Adjacency State"),
    (241, "Hello PDU Sequence Number"),
    (242, "IS-IS Router Capability"),
    (250, "Vendor Private"),
];

const ROUTER_CAPABILITY_FLAGS: &[(u32, &str)] = &[(0x01, "S bit"), (0x02, "D bit")];
const ROUTER_CAP_SUBTLV_SR: u8 = 2;
const ROUTER_CAP_SUBTLV_VALUES: &[(u32, &str)] = &[(2, "SR-Capabilities")];
const ROUTER_CAP_SR_FLAGS: &[(u32, &str)] = &[(0x80, "ipv4"), (0x40, "ipv6")];

const EXT_IS_REACH_ADMIN_GROUP: u8 = 3;
const EXT_IS_REACH_LINK_LOCAL_REMOTE_ID: u8 = 4;
const EXT_IS_REACH_LINK_REMOTE_ID: u8 = 5;
const EXT_IS_REACH_IPV4_INTF_ADDR: u8 = 6;
const EXT_IS_REACH_IPV4_NEIGHBOR_ADDR: u8 = 8;
const EXT_IS_REACH_MAX_LINK_BW: u8 = 9;
const EXT_IS_REACH_RESERVABLE_BW: u8 = 10;
const EXT_IS_REACH_UNRESERVED_BW: u8 = 11;
const EXT_IS_REACH_BW_CONSTRAINTS_OLD: u8 = 12;
const EXT_IS_REACH_TE_METRIC: u8 = 18;
const EXT_IS_REACH_LINK_ATTRIBUTE: u8 = 19;
const EXT_IS_REACH_LINK_PROTECTION_TYPE: u8 = 20;
const EXT_IS_REACH_INTF_SW_CAP_DESCR: u8 = 21;
const EXT_IS_REACH_BW_CONSTRAINTS: u8 = 22;
const EXT_IS_REACH_LAN_ADJ_SEGMENT_ID: u8 = 32;
const SUBTLV_SPB_METRIC: u8 = 29;

const EXT_IS_REACH_SUBTLV_VALUES: &[(u32, &str)] = &[
    (3, "Administrative groups"),
    (4, "Link Local/Remote Identifier"),
    (5, "Link Remote Identifier"),
    (6, "IPv4 interface address"),
    (8, "IPv4 neighbor address"),
    (9, "Maximum link bandwidth"),
    (10, "Reservable link bandwidth"),
    (11, "Unreserved bandwidth"),
    (18, "Traffic Engineering Metric"),
    (19, "Link Attribute"),
    (20, "Link Protection Type"),
    (21, "Interface Switching Capability"),
    (12, "Bandwidth Constraints (old)"),
    (22, "Bandwidth Constraints"),
    (32, "LAN Adjacency Segment Identifier"),
    (29, "SPB Metric"),
    (250, "Reserved for cisco specific extensions"),
    (251, "Reserved for cisco specific extensions"),
    (252, "Reserved for cisco specific extensions"),
    (253, "Reserved for cisco specific extensions"),
    (254, "Reserved for cisco specific extensions"),
    (255, "Reserved for future expansion"),
];

const EXTD_IP_REACH_ADMIN_TAG32: u8 = 1;
const EXTD_IP_REACH_ADMIN_TAG64: u8 = 2;
const EXTD_IP_REACH_PREFIX_SID: u8 = 3;
const EXTD_IP_REACH_MGMT_PREFIX_COLOR: u8 = 117;

const EXT_IP_REACH_SUBTLV_VALUES: &[(u32, &str)] = &[
    (1, "32-Bit Administrative tag"),
    (2, "64-Bit Administrative tag"),
    (3, "Prefix SID"),
    (117, "Management Prefix Color"),
];

const PREFIX_SID_FLAG_V: u8 = 0x08;
const PREFIX_SID_FLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "Readvertisement"),
    (0x40, "Node"),
    (0x20, "No-PHP"),
    (0x10, "Explicit NULL"),
    (0x08, "Value"),
    (0x04, "Local"),
];
const PREFIX_SID_ALGO_VALUES: &[(u32, &str)] = &[(0, "SPF"), (1, "strict-SPF")];

const LINK_ATTRIBUTE_VALUES: &[(u32, &str)] = &[
    (0x01, "Local Protection Available"),
    (0x02, "Link excluded from local protection path"),
    (0x04, "Local maintenance required"),
];

const LAN_ADJ_SID_FLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "Address family IPv6"),
    (0x40, "Backup"),
    (0x20, "Value"),
    (0x10, "Local significance"),
    (0x08, "Set of adjacencies"),
    (0x04, "Persistent"),
];

const AUTH_SIMPLE: u8 = 1;
const AUTH_GENERIC: u8 = 3;
const AUTH_MD5: u8 = 54;
const AUTH_MD5_LEN: u32 = 16;
const AUTH_VALUES: &[(u32, &str)] = &[
    (1, "simple text password"),
    (3, "Generic Crypto key-id"),
    (54, "HMAC-MD5 password"),
    (255, "Routing Domain private password"),
];

const IDRP_ASN: u8 = 2;
const IDRP_VALUES: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "Routing-Domain Specific"),
    (2, "AS Number Tag"),
];

const SPB_MCID: u8 = 4;
const SPB_DIGEST: u8 = 5;
const SPB_BVID: u8 = 6;
const SPB_INSTANCE: u8 = 1;
const SPBM_SI: u8 = 3;
const SPB_MCID_LEN: usize = 51;
const SPB_MCID_MIN_LEN: u32 = 102;
const SPB_DIGEST_MIN_LEN: u32 = 33;
const SPB_INSTANCE_MIN_LEN: u32 = 19;
const SPB_INSTANCE_VLAN_TUPLE_LEN: u32 = 8;

const MT_PORT_CAP_SUBTLV_VALUES: &[(u32, &str)] =
    &[(4, "SPB MCID"), (5, "SPB Digest"), (6, "SPB BVID")];
const MT_CAPABILITY_SUBTLV_VALUES: &[(u32, &str)] = &[
    (1, "SPB Instance"),
    (3, "SPBM Service Identifier and Unicast Address"),
];

const MT_FLAG_VALUES: &[(u32, &str)] = &[(0x4000, "ATT bit set"), (0x8000, "Overload bit set")];
const MT_VALUES: &[(u32, &str)] = &[
    (0, "IPv4 unicast"),
    (1, "In-Band Management"),
    (2, "IPv6 unicast"),
    (3, "Multicast"),
    (4095, "Development, Experimental or Proprietary"),
];

const CIRCUIT_TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Level 1 only"),
    (2, "Level 2 only"),
    (3, "Level 1, Level 2"),
];

const LSP_ISTYPE_VALUES: &[(u32, &str)] = &[
    (0, "Unused 0x0 (invalid)"),
    (1, "L1 IS"),
    (2, "Unused 0x2 (invalid)"),
    (3, "L2 IS"),
];

const PTP_ADJ_VALUES: &[(u32, &str)] = &[(0, "Up"), (1, "Initializing"), (2, "Down")];

const IS_REACH_VIRTUAL_VALUES: &[(u32, &str)] = &[(0, "IsNotVirtual"), (1, "IsVirtual")];

const RESTART_FLAG_VALUES: &[(u32, &str)] = &[
    (0x1, "Restart Request"),
    (0x2, "Restart Acknowledgement"),
    (0x4, "Suppress adjacency advertisement"),
];

/// How a part of the PDU ended, when not normally.
enum Stop {
    /// tcpdump's `goto trunc`: ` [|isis]`, then the PDU counts as printed.
    Trunc,
    /// Stop here; `false` makes the caller dump the PDU (tcpdump's `return 0`).
    Ret(bool),
}

type Step<T = ()> = PResult<Result<T, Stop>>;

/// A system ID (6 bytes, `xxxx.xxxx.xxxx`), node ID (7, `.nn` appended) or LSP ID (8, `-nn`
/// appended) at `off`, read before anything of its line is printed.
fn id(p: &[u8], off: usize, len: usize) -> PResult<String> {
    use std::fmt::Write;
    let mut s = String::with_capacity(20);
    let b = p.sub(off, len)?;
    for (i, v) in b.iter().take(SYSTEM_ID_LEN).enumerate() {
        let _ = write!(s, "{v:02x}");
        if i == 1 || i == 3 {
            s.push('.');
        }
    }
    if len >= NODE_ID_LEN {
        let _ = write!(s, ".{:02x}", b[6]);
    }
    if len == LSP_ID_LEN {
        let _ = write!(s, "-{:02x}", b[7]);
    }
    Ok(s)
}

fn ext_or_int(m: u8) -> &'static str {
    if m & 0x40 != 0 {
        "External"
    } else {
        "Internal"
    }
}

/// The 4-octet metric block of the ISO 10589 TLVs: the default metric, then each of delay,
/// expense and error that is supported (its high bit clear).
fn metric_block(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult {
    let m = p.sub(off, 4)?;
    pr!(
        ctx,
        ", Default Metric: {}, {}",
        m[0] & 0x3f,
        ext_or_int(m[0])
    );
    for (v, name) in m[1..].iter().zip(["Delay", "Expense", "Error"]) {
        if v & 0x80 == 0 {
            pr!(
                ctx,
                "\n\t\t  {} Metric: {}, {}",
                name,
                v & 0x3f,
                ext_or_int(*v)
            );
        }
    }
    Ok(())
}

/// `print_unknown_data` at `off` of the PDU: false when `off` is past the capture.
fn unknown(ctx: &mut Ctx, p: &[u8], off: usize, ident: &str, len: u32) -> bool {
    print_unknown_data_at(ctx, p, off, ident, len as usize)
}

/// An IS-IS PDU. `Ok(false)`: the header was refused (the caller dumps the PDU).
pub fn isis_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<bool> {
    ctx.protocol = "isis";
    Ok(match pdu(ctx, p, length)? {
        Ok(()) => true,
        Err(Stop::Trunc) => {
            ctx.print_trunc();
            true
        }
        Err(Stop::Ret(r)) => r,
    })
}

fn pdu(ctx: &mut Ctx, p: &[u8], length: u32) -> Step {
    let mut length = length;
    if !p.has(0, COMMON_HDR) || length < COMMON_HDR as u32 {
        return Ok(Err(Stop::Trunc));
    }
    if !ctx.eflag() {
        ctx.push("IS-IS");
    }
    let version = p[2];
    if version != ISIS_VERSION {
        pr!(ctx, "version {} packet not supported", version);
        return Ok(Err(Stop::Ret(false)));
    }
    let pdu_id_length = p[3];
    if pdu_id_length != SYSTEM_ID_LEN as u8 && pdu_id_length != 0 {
        pr!(
            ctx,
            "system ID length of {} is not supported",
            pdu_id_length
        );
        return Ok(Err(Stop::Ret(false)));
    }
    let pdu_version = p[5];
    if pdu_version != ISIS_VERSION {
        pr!(ctx, "version {} packet not supported", pdu_version);
        return Ok(Err(Stop::Ret(false)));
    }
    let fixed_len = p[1];
    if length < fixed_len as u32 {
        pr!(
            ctx,
            "fixed header length {} > packet length {}",
            fixed_len,
            length
        );
        return Ok(Err(Stop::Ret(false)));
    }
    if (fixed_len as usize) < COMMON_HDR {
        pr!(
            ctx,
            "fixed header length {} < minimum header size {}",
            fixed_len,
            COMMON_HDR
        );
        return Ok(Err(Stop::Ret(false)));
    }
    let pdu_max_area = p[7];
    let max_area = match pdu_max_area {
        // Zero means the default of three areas.
        0 => 3,
        255 => {
            ctx.push("bad packet -- 255 areas");
            return Ok(Err(Stop::Ret(false)));
        }
        n => n,
    };
    // Zero means the default system ID length, six; only six is accepted above.
    let id_length = SYSTEM_ID_LEN;
    let pdu_type = p[4];
    let sep = if ctx.eflag() { "" } else { ", " };
    if ctx.vflag() == 0 {
        ctx.push(sep);
        tok2str(ctx.out, PDU_VALUES, "unknown PDU-Type {}", pdu_type as u32);
    } else {
        pr!(ctx, "{}length {}\n\t", sep, length);
        tok2str(ctx.out, PDU_VALUES, "unknown, type {}", pdu_type as u32);
        pr!(
            ctx,
            ", hlen: {}, v: {}, pdu-v: {}, sys-id-len: {} ({}), max-area: {} ({})",
            fixed_len,
            version,
            pdu_version,
            id_length,
            pdu_id_length,
            max_area,
            pdu_max_area
        );
        if ctx.vflag() > 1 && !unknown(ctx, p, 0, "\n\t", COMMON_HDR as u32) {
            return Ok(Err(Stop::Ret(false)));
        }
    }

    let hdr_len = match pdu_type {
        PDU_L1_LAN_IIH | PDU_L2_LAN_IIH => IIH_LAN_HDR,
        PDU_PTP_IIH => IIH_PTP_HDR,
        PDU_L1_LSP | PDU_L2_LSP => LSP_HDR,
        PDU_L1_CSNP | PDU_L2_CSNP => CSNP_HDR,
        PDU_L1_PSNP | PDU_L2_PSNP => PSNP_HDR,
        _ => {
            if ctx.vflag() == 0 {
                pr!(ctx, ", length {}", length);
                return Ok(Err(Stop::Ret(true)));
            }
            unknown(ctx, p, COMMON_HDR, "\n\t  ", length);
            return Ok(Err(Stop::Ret(false)));
        }
    };
    let total = COMMON_HDR + hdr_len;
    if fixed_len as usize != total {
        match pdu_type {
            PDU_L1_PSNP | PDU_L2_PSNP => ctx.push("- "),
            _ => ctx.push(", "),
        }
        // tcpdump names the LSP header's own size for LSPs, the whole fixed part otherwise.
        let should = if matches!(pdu_type, PDU_L1_LSP | PDU_L2_LSP) {
            hdr_len
        } else {
            total
        };
        pr!(
            ctx,
            "bogus fixed header length {} should be {}",
            fixed_len,
            should
        );
        return Ok(Err(Stop::Ret(false)));
    }
    if !p.has(COMMON_HDR, hdr_len) || (length as usize) < total {
        return Ok(Err(Stop::Trunc));
    }
    let h = COMMON_HDR;
    if ctx.vflag() == 0 {
        match pdu_type {
            PDU_L1_LAN_IIH | PDU_L2_LAN_IIH => {
                pr!(ctx, ", src-id {}", id(p, h + 1, SYSTEM_ID_LEN)?);
                pr!(
                    ctx,
                    ", lan-id {}, prio {}",
                    id(p, h + 12, NODE_ID_LEN)?,
                    p[h + 11]
                );
            }
            PDU_PTP_IIH => pr!(ctx, ", src-id {}", id(p, h + 1, SYSTEM_ID_LEN)?),
            PDU_L1_LSP | PDU_L2_LSP => pr!(
                ctx,
                ", lsp-id {}, seq 0x{:08x}, lifetime {:5}s",
                id(p, h + 4, LSP_ID_LEN)?,
                p.be_u32(h + 12)?,
                p.be_u16(h + 2)?
            ),
            _ => pr!(ctx, ", src-id {}", id(p, h + 2, NODE_ID_LEN)?),
        }
        pr!(ctx, ", length {}", length);
        return Ok(Err(Stop::Ret(true)));
    }

    // The PDU length field bounds the TLVs when it is shorter than the packet.
    let pdu_len = match pdu_type {
        PDU_L1_LAN_IIH | PDU_L2_LAN_IIH | PDU_PTP_IIH => p.be_u16(h + 9)?,
        _ => p.be_u16(h)?,
    };
    let mut packet_len = length;
    if packet_len > pdu_len as u32 {
        packet_len = pdu_len as u32;
        length = pdu_len as u32;
    }
    match pdu_type {
        PDU_L1_LAN_IIH | PDU_L2_LAN_IIH => {
            pr!(
                ctx,
                "\n\t  source-id: {},  holding time: {}s, Flags: [",
                id(p, h + 1, SYSTEM_ID_LEN)?,
                p.be_u16(h + 7)?
            );
            tok2str(
                ctx.out,
                CIRCUIT_TYPE_VALUES,
                "unknown circuit type 0x{:02x}",
                p[h] as u32,
            );
            ctx.push("]");
            pr!(
                ctx,
                "\n\t  lan-id:    {}, Priority: {}, PDU length: {}",
                id(p, h + 12, NODE_ID_LEN)?,
                p[h + 11] & 0x7f,
                pdu_len
            );
        }
        PDU_PTP_IIH => {
            pr!(
                ctx,
                "\n\t  source-id: {}, holding time: {}s, Flags: [",
                id(p, h + 1, SYSTEM_ID_LEN)?,
                p.be_u16(h + 7)?
            );
            tok2str(
                ctx.out,
                CIRCUIT_TYPE_VALUES,
                "unknown circuit type 0x{:02x}",
                p[h] as u32,
            );
            ctx.push("]");
            pr!(
                ctx,
                "\n\t  circuit-id: 0x{:02x}, PDU length: {}",
                p[h + 11],
                pdu_len
            );
        }
        PDU_L1_LSP | PDU_L2_LSP => {
            let cksum = p.be_u16(h + 16)?;
            pr!(
                ctx,
                "\n\t  lsp-id: {}, seq: 0x{:08x}, lifetime: {:5}s\n\t  chksum: 0x{:04x}",
                id(p, h + 4, LSP_ID_LEN)?,
                p.be_u32(h + 12)?,
                p.be_u16(h + 2)?,
                cksum
            );
            // The checksum covers the PDU from the LSP ID on.
            print_cksum(ctx, p, h + 4, cksum, 12, length.wrapping_sub(12));
            let tb = p[h + 18];
            pr!(
                ctx,
                ", PDU length: {}, Flags: [ {}",
                pdu_len,
                if tb & 0x04 != 0 {
                    "Overload bit set, "
                } else {
                    ""
                }
            );
            if tb & 0x78 != 0 {
                for (bit, name) in [
                    (0x08, "default "),
                    (0x10, "delay "),
                    (0x20, "expense "),
                    (0x40, "error "),
                ] {
                    if tb & bit != 0 {
                        ctx.push(name);
                    }
                }
                ctx.push("ATT bit set, ");
            }
            if tb & 0x80 != 0 {
                ctx.push("P bit set, ");
            }
            tok2str(
                ctx.out,
                LSP_ISTYPE_VALUES,
                "Unknown(0x{:x})",
                (tb & 3) as u32,
            );
            ctx.push(" ]");
        }
        PDU_L1_CSNP | PDU_L2_CSNP => {
            pr!(
                ctx,
                "\n\t  source-id:    {}, PDU length: {}",
                id(p, h + 2, NODE_ID_LEN)?,
                pdu_len
            );
            pr!(ctx, "\n\t  start lsp-id: {}", id(p, h + 9, LSP_ID_LEN)?);
            pr!(ctx, "\n\t  end lsp-id:   {}", id(p, h + 17, LSP_ID_LEN)?);
        }
        _ => pr!(
            ctx,
            "\n\t  source-id:    {}, PDU length: {}",
            id(p, h + 2, NODE_ID_LEN)?,
            pdu_len
        ),
    }
    if ctx.vflag() > 1 && !unknown(ctx, p, h, "\n\t  ", hdr_len as u32) {
        return Ok(Err(Stop::Ret(false)));
    }
    if packet_len < total as u32 {
        pr!(ctx, " [packet length {} < {}]", packet_len, total);
        ctx.print_invalid();
        return Ok(Err(Stop::Ret(true)));
    }
    packet_len -= total as u32;
    let mut off = total;

    while packet_len > 0 {
        if !p.has(off, 2) || packet_len < 2 {
            return Ok(Err(Stop::Trunc));
        }
        let (ty, len) = (p[off], p[off + 1]);
        off += 2;
        packet_len -= 2;
        pr!(
            ctx,
            "\n\t    {} TLV #{}, length: {}",
            tok(TLV_VALUES, ty as u32).unwrap_or("unknown"),
            ty,
            len
        );
        if packet_len < len as u32 {
            return Ok(Err(Stop::Trunc));
        }
        if let Err(stop) = tlv(ctx, p, off, ty, len, length)? {
            return Ok(Err(stop));
        }
        if ctx.vflag() > 1 && !unknown(ctx, p, off, "\n\t      ", len as u32) {
            return Ok(Err(Stop::Ret(false)));
        }
        off += len as usize;
        packet_len -= len as u32;
    }
    Ok(Ok(()))
}

/// One TLV's value at `t`, `tlv_len` octets (within the PDU length, not necessarily
/// captured). `length`: the PDU length, for the checksum TLV. `Ok(Ok(()))` also covers
/// tcpdump's `tlv_trunc` (a value too short for its type: the rest of it is skipped).
fn tlv(ctx: &mut Ctx, p: &[u8], t0: usize, ty: u8, tlv_len: u8, length: u32) -> Step {
    const IDENT: &str = "\n\t      ";
    let mut t = t0;
    // tcpdump keeps the remaining length in an 8-bit variable.
    let mut tlen = tlv_len as u32;
    macro_rules! need {
        ($n:expr) => {
            if !p.has(t, $n) {
                return Ok(Err(Stop::Trunc));
            }
        };
    }
    match ty {
        TLV_AREA_ADDR => {
            while tlen != 0 {
                let alen = p.u8_at(t)? as u32;
                t += 1;
                tlen -= 1;
                if tlen < alen {
                    break;
                }
                pr!(
                    ctx,
                    "\n\t      Area address (length: {}): {}",
                    alen,
                    nsap_at(p, t, alen as usize)?
                );
                t += alen as usize;
                tlen -= alen;
            }
        }
        TLV_ISNEIGH => {
            while tlen != 0 {
                if tlen < 6 {
                    break;
                }
                need!(6);
                pr!(ctx, "\n\t      SNPA: {}", id(p, t, 6)?);
                tlen -= 6;
                t += 6;
            }
        }
        TLV_INSTANCE_ID => {
            if tlen >= 4 {
                let n = (tlen - 2) / 2;
                pr!(
                    ctx,
                    "\n\t      Instance ID: {}, ITIDs({}){} ",
                    p.be_u16(t)?,
                    n,
                    if n > 0 { ":" } else { "" }
                );
                t += 2;
                for i in 0..n {
                    pr!(ctx, "{}", p.be_u16(t)?);
                    if i + 1 < n {
                        ctx.push(", ");
                    }
                    t += 2;
                }
            }
        }
        TLV_PADDING => {}
        TLV_MT_IS_REACH | TLV_IS_ALIAS_ID | TLV_EXT_IS_REACH => {
            if ty == TLV_MT_IS_REACH {
                if !mtid(ctx, p, t, IDENT, tlen)? {
                    return Ok(Err(Stop::Trunc));
                }
                t += 2;
                tlen -= 2;
            }
            while tlen != 0 {
                let n = ext_is_reach(ctx, p, t, IDENT, ty, tlen)?;
                if n == 0 {
                    return Ok(Err(Stop::Trunc));
                }
                if tlen < n {
                    pr!(ctx, " [remaining tlv length {} < {}]", tlen, n);
                    ctx.print_invalid();
                    break;
                }
                tlen -= n;
                t += n as usize;
            }
        }
        TLV_IS_REACH => {
            if tlen >= 1 {
                let v = p.u8_at(t)?;
                ctx.push(IDENT);
                tok2str(
                    ctx.out,
                    IS_REACH_VIRTUAL_VALUES,
                    "bogus virtual flag 0x{:02x}",
                    v as u32,
                );
                t += 1;
                tlen -= 1;
                while tlen != 0 {
                    if tlen < 11 {
                        break;
                    }
                    need!(11);
                    pr!(ctx, "\n\t      IS Neighbor: {}", id(p, t + 4, NODE_ID_LEN)?);
                    metric_block(ctx, p, t)?;
                    tlen -= 11;
                    t += 11;
                }
            }
        }
        TLV_ESNEIGH => {
            while tlen != 0 {
                if tlen < 10 {
                    break;
                }
                need!(10);
                pr!(
                    ctx,
                    "\n\t      ES Neighbor: {}",
                    id(p, t + 4, SYSTEM_ID_LEN)?
                );
                metric_block(ctx, p, t)?;
                tlen -= 10;
                t += 10;
            }
        }
        TLV_INT_IP_REACH | TLV_EXT_IP_REACH => {
            if !ip_reach(ctx, p, t, IDENT, tlen)? {
                return Ok(Err(Stop::Ret(true)));
            }
        }
        TLV_EXTD_IP_REACH | TLV_MT_IP_REACH | TLV_IP6_REACH | TLV_MT_IP6_REACH => {
            if matches!(ty, TLV_MT_IP_REACH | TLV_MT_IP6_REACH) {
                if !mtid(ctx, p, t, IDENT, tlen)? {
                    return Ok(Err(Stop::Trunc));
                }
                t += 2;
                tlen -= 2;
            }
            let v6 = matches!(ty, TLV_IP6_REACH | TLV_MT_IP6_REACH);
            while tlen != 0 {
                let n = extd_ip_reach(ctx, p, t, IDENT, v6)?;
                if n == 0 {
                    return Ok(Err(Stop::Trunc));
                }
                if tlen < n {
                    pr!(ctx, " [remaining tlv length {} < {}]", tlen, n);
                    ctx.print_invalid();
                    break;
                }
                tlen -= n;
                t += n as usize;
            }
        }
        TLV_IP6ADDR => {
            while tlen != 0 {
                if tlen < 16 {
                    break;
                }
                pr!(
                    ctx,
                    "\n\t      IPv6 interface address: {}",
                    Ip(p.sub(t, 16)?)
                );
                t += 16;
                tlen -= 16;
            }
        }
        TLV_AUTH => {
            if tlen >= 1 {
                let auth = p.u8_at(t)?;
                t += 1;
                tlen -= 1;
                ctx.push(IDENT);
                tok2str(
                    ctx.out,
                    AUTH_VALUES,
                    "unknown Authentication type 0x{:02x}",
                    auth as u32,
                );
                ctx.push(": ");
                match auth {
                    AUTH_SIMPLE => printjnp(ctx, super::util_print::tail(p, t), tlen as usize)?,
                    AUTH_MD5 => {
                        for i in 0..tlen as usize {
                            pr!(ctx, "{:02x}", p.u8_at(t + i)?);
                        }
                        if tlen != AUTH_MD5_LEN {
                            ctx.push(", (invalid subTLV) ");
                        }
                        // Verifying the HMAC needs the shared secret (tcpdump's -M), which
                        // is not supported: tcpdump says the same without one.
                        ctx.push(" (unchecked)");
                    }
                    AUTH_GENERIC => {
                        if tlen >= 2 {
                            pr!(ctx, "{}, password: ", p.be_u16(t)?);
                            t += 2;
                            tlen -= 2;
                            for i in 0..tlen as usize {
                                pr!(ctx, "{:02x}", p.u8_at(t + i)?);
                            }
                        }
                    }
                    _ => {
                        if !unknown(ctx, p, t, "\n\t\t  ", tlen) {
                            return Ok(Err(Stop::Ret(false)));
                        }
                    }
                }
            }
        }
        TLV_PTP_ADJ => {
            // Fixed offsets: state, extended local circuit ID, neighbor system ID, neighbor
            // extended local circuit ID (RFC 5303 section 3.1), each printed if the length
            // left allows.
            if tlen >= 1 {
                let s = p.u8_at(t)?;
                pr!(
                    ctx,
                    "\n\t      Adjacency State: {} ({})",
                    tok(PTP_ADJ_VALUES, s as u32).unwrap_or("unknown"),
                    s
                );
                tlen -= 1;
            }
            if tlen > 4 {
                pr!(
                    ctx,
                    "\n\t      Extended Local circuit-ID: 0x{:08x}",
                    p.be_u32(t + 1)?
                );
                tlen -= 4;
            }
            if tlen >= 6 {
                if !p.has(t + 5, 6) {
                    return Ok(Err(Stop::Trunc));
                }
                pr!(
                    ctx,
                    "\n\t      Neighbor System-ID: {}",
                    id(p, t + 5, SYSTEM_ID_LEN)?
                );
                tlen -= 6;
            }
            if tlen >= 4 {
                pr!(
                    ctx,
                    "\n\t      Neighbor Extended Local circuit-ID: 0x{:08x}",
                    p.be_u32(t + 11)?
                );
            }
        }
        TLV_PROTOCOLS => {
            ctx.push("\n\t      NLPID(s): ");
            while tlen != 0 {
                let n = p.u8_at(t)?;
                pr!(
                    ctx,
                    "{} (0x{:02x})",
                    tok(NLPID_VALUES, n as u32).unwrap_or("unknown"),
                    n
                );
                if tlen > 1 {
                    ctx.push(", ");
                }
                t += 1;
                tlen -= 1;
            }
        }
        TLV_MT_PORT_CAP => {
            if tlen >= 2 {
                let v = p.be_u16(t)?;
                pr!(ctx, "\n\t       RES: {}, MTID(s): {}", v >> 12, v & 0x0fff);
                t += 2;
                tlen -= 2;
                if tlen != 0 {
                    mt_port_cap_subtlv(ctx, p, t, tlen)?;
                }
            }
        }
        TLV_MT_CAPABILITY => {
            if tlen >= 2 {
                let v = p.be_u16(t)?;
                pr!(
                    ctx,
                    "\n\t      O: {}, RES: {}, MTID(s): {}",
                    (v >> 15) & 1,
                    (v >> 12) & 7,
                    v & 0x0fff
                );
                t += 2;
                tlen -= 2;
                if tlen != 0 {
                    mt_capability_subtlv(ctx, p, t, tlen)?;
                }
            }
        }
        TLV_TE_ROUTER_ID => {
            if tlen >= 4 {
                pr!(
                    ctx,
                    "\n\t      Traffic Engineering Router ID: {}",
                    Ip(p.sub(t, 4)?)
                );
            }
        }
        TLV_IPADDR => {
            while tlen != 0 {
                if tlen < 4 {
                    break;
                }
                pr!(
                    ctx,
                    "\n\t      IPv4 interface address: {}",
                    Ip(p.sub(t, 4)?)
                );
                t += 4;
                tlen -= 4;
            }
        }
        TLV_HOSTNAME => {
            ctx.push("\n\t      Hostname: ");
            printjnp(ctx, super::util_print::tail(p, t), tlen as usize)?;
        }
        TLV_SHARED_RISK_GROUP => 'srlg: {
            if tlen < NODE_ID_LEN as u32 {
                break 'srlg;
            }
            need!(NODE_ID_LEN);
            pr!(ctx, "\n\t      IS Neighbor: {}", id(p, t, NODE_ID_LEN)?);
            t += NODE_ID_LEN;
            tlen -= NODE_ID_LEN as u32;
            if tlen < 1 {
                break 'srlg;
            }
            pr!(
                ctx,
                ", Flags: [{}]",
                if p.u8_at(t)? & 1 != 0 {
                    "numbered"
                } else {
                    "unnumbered"
                }
            );
            t += 1;
            tlen -= 1;
            for what in ["interface", "neighbor"] {
                if tlen < 4 {
                    break 'srlg;
                }
                pr!(ctx, "\n\t      IPv4 {} address: {}", what, Ip(p.sub(t, 4)?));
                t += 4;
                tlen -= 4;
            }
            while tlen != 0 {
                if tlen < 4 {
                    break;
                }
                pr!(ctx, "\n\t      Link-ID: 0x{:08x}", p.be_u32(t)?);
                t += 4;
                tlen -= 4;
            }
        }
        TLV_LSP => {
            while tlen != 0 {
                if tlen < 16 {
                    break;
                }
                if !p.has(t + 2 + LSP_ID_LEN - 1, 1) {
                    return Ok(Err(Stop::Trunc));
                }
                pr!(ctx, "\n\t      lsp-id: {}", id(p, t + 2, LSP_ID_LEN)?);
                pr!(ctx, ", seq: 0x{:08x}", p.be_u32(t + 10)?);
                pr!(ctx, ", lifetime: {:5}s", p.be_u16(t)?);
                pr!(ctx, ", chksum: 0x{:04x}", p.be_u16(t + 14)?);
                tlen -= 16;
                t += 16;
            }
        }
        TLV_CHECKSUM => {
            if tlen >= 2 {
                need!(2);
                let c = p.be_u16(t)?;
                pr!(ctx, "\n\t      checksum: 0x{:04x} ", c);
                // A zero checksum is not verified: RFC 3358 zeroes it when an HMAC-MD5
                // authentication TLV is present.
                print_cksum(ctx, p, 0, c, t, length);
            }
        }
        TLV_POI => {
            if tlen >= 1 {
                let n = p.u8_at(t)?;
                t += 1;
                tlen -= 1;
                if n == 0 {
                    ctx.push(" No system IDs supplied");
                } else if tlen >= 6 {
                    need!(6);
                    pr!(
                        ctx,
                        "\n\t      Purge Originator System-ID: {}",
                        id(p, t, SYSTEM_ID_LEN)?
                    );
                    t += 6;
                    tlen -= 6;
                    if n > 1 && tlen >= 6 {
                        need!(6);
                        need!(2 * SYSTEM_ID_LEN + 1);
                        pr!(
                            ctx,
                            "\n\t      Received from System-ID: {}",
                            id(p, t, SYSTEM_ID_LEN)?
                        );
                    }
                }
            }
        }
        TLV_MT_SUPPORTED => {
            while tlen != 0 {
                // An odd length leaves one octet that is not an MT ID.
                if tlen == 1 {
                    ctx.push("\n\t      invalid MT-ID");
                    break;
                }
                if !mtid(ctx, p, t, IDENT, tlen)? {
                    return Ok(Err(Stop::Trunc));
                }
                t += 2;
                tlen -= 2;
            }
        }
        TLV_RESTART_SIGNALING => 'rs: {
            if tlen < 1 {
                break 'rs;
            }
            need!(1);
            ctx.push("\n\t      Flags [");
            bittok2str(ctx.out, RESTART_FLAG_VALUES, "none", p[t] as u32, ", ");
            ctx.push("]");
            t += 1;
            tlen -= 1;
            if tlen < 2 {
                break 'rs;
            }
            need!(2);
            pr!(ctx, ", Remaining holding time {}s", p.be_u16(t)?);
            t += 2;
            tlen -= 2;
            if tlen == SYSTEM_ID_LEN as u32 {
                need!(SYSTEM_ID_LEN);
                pr!(ctx, ", for {}", id(p, t, SYSTEM_ID_LEN)?);
            }
        }
        TLV_IDRP_INFO => {
            if tlen >= 1 {
                let v = p.u8_at(t)?;
                ctx.push("\n\t      Inter-Domain Information Type: ");
                tok2str(ctx.out, IDRP_VALUES, "Unknown (0x{:02x})", v as u32);
                t += 1;
                tlen -= 1;
                if v == IDRP_ASN {
                    if tlen >= 2 {
                        pr!(ctx, "AS Number: {}", p.be_u16(t)?);
                    }
                } else if !unknown(ctx, p, t, IDENT, tlen) {
                    return Ok(Err(Stop::Ret(false)));
                }
            }
        }
        TLV_LSP_BUFFERSIZE => {
            if tlen >= 2 {
                pr!(ctx, "\n\t      LSP Buffersize: {}", p.be_u16(t)?);
            }
        }
        TLV_PART_DIS => {
            while tlen != 0 {
                if tlen < 6 {
                    break;
                }
                need!(6);
                pr!(ctx, "\n\t      {}", id(p, t, SYSTEM_ID_LEN)?);
                t += 6;
                tlen -= 6;
            }
        }
        TLV_PREFIX_NEIGH => {
            if tlen >= 4 {
                need!(4);
                ctx.push("\n\t      Metric Block");
                metric_block(ctx, p, t)?;
                t += 4;
                tlen -= 4;
                while tlen != 0 {
                    // The prefix length counts semi-octets.
                    let plen = p.u8_at(t)? as u32;
                    t += 1;
                    tlen -= 1;
                    if plen < 2 {
                        pr!(ctx, "\n\t\tAddress: prefix length {} < 2", plen);
                        break;
                    }
                    if tlen < plen / 2 {
                        break;
                    }
                    pr!(
                        ctx,
                        "\n\t\tAddress: {}/{}",
                        nsap_at(p, t, (plen / 2) as usize)?,
                        plen * 4
                    );
                    t += (plen / 2) as usize;
                    tlen -= plen / 2;
                }
            }
        }
        TLV_IIH_SEQNR => {
            if tlen >= 4 {
                pr!(ctx, "\n\t      Sequence number: {}", p.be_u32(t)?);
            }
        }
        TLV_ROUTER_CAPABILITY => {
            if tlen < 5 {
                pr!(ctx, " [object length {} < 5]", tlen);
                ctx.print_invalid();
            } else {
                pr!(ctx, "\n\t      Router-ID {}", Ip(p.sub(t, 4)?));
                let f = p.u8_at(t + 4)?;
                ctx.push(", Flags [");
                bittok2str(ctx.out, ROUTER_CAPABILITY_FLAGS, "none", f as u32, ", ");
                ctx.push("]");
                if tlen > 5 {
                    router_cap_subtlv(ctx, p, t + 5, tlen - 5)?;
                }
            }
        }
        TLV_VENDOR_PRIVATE => {
            if tlen >= 3 {
                let v = p.be_u24(t)?;
                pr!(
                    ctx,
                    "\n\t      Vendor: {} ({})",
                    tok(oui::OUI_VALUES, v).unwrap_or("Unknown"),
                    v
                );
                t += 3;
                tlen -= 3;
                if tlen != 0 && !unknown(ctx, p, t, "\n\t\t", tlen) {
                    return Ok(Err(Stop::Ret(false)));
                }
            }
        }
        _ => {
            if ctx.vflag() <= 1 && !unknown(ctx, p, t0, "\n\t\t", tlv_len as u32) {
                return Ok(Err(Stop::Ret(false)));
            }
        }
    }
    Ok(Ok(()))
}

/// A multi-topology ID (RFC 5120 section 7.2) with its flags; false when fewer than two
/// octets are left.
fn mtid(ctx: &mut Ctx, p: &[u8], t: usize, ident: &str, tlen: u32) -> PResult<bool> {
    if tlen < 2 {
        return Ok(false);
    }
    let v = p.be_u16(t)? as u32;
    ctx.push(ident);
    tok2str(
        ctx.out,
        MT_VALUES,
        "Reserved for IETF Consensus",
        v & 0x0fff,
    );
    pr!(ctx, " Topology (0x{:03x}), Flags: [", v & 0x0fff);
    bittok2str(ctx.out, MT_FLAG_VALUES, "none", v & 0xf000, ", ");
    ctx.push("]");
    Ok(true)
}

/// `f32` bits as tcpdump prints a bandwidth in bytes per second: megabits, 3 decimals
/// (computed in single precision as in C).
fn mbps(bits: u32) -> f64 {
    (f32::from_bits(bits) * 8.0 / 1_000_000.0) as f64
}

/// One neighbor of the extended IS reachability TLVs 22, 24 (no metric) and 222 with its
/// sub-TLVs (RFC 5305 section 3). Returns the octets it covered, 0 when cut short.
fn ext_is_reach(
    ctx: &mut Ctx,
    p: &[u8],
    t0: usize,
    ident: &str,
    tlv_type: u8,
    tlv_remaining: u32,
) -> PResult<u32> {
    let mut t = t0;
    let mut rem = tlv_remaining;
    let mut proc_bytes = 0u32;
    if !p.has(t, NODE_ID_LEN) || rem < NODE_ID_LEN as u32 {
        return Ok(0);
    }
    pr!(ctx, "{}IS Neighbor: {}", ident, id(p, t, NODE_ID_LEN)?);
    t += NODE_ID_LEN;
    rem -= NODE_ID_LEN as u32;
    proc_bytes += NODE_ID_LEN as u32;
    // The IS Alias ID TLV has no metric (RFC 5311 section 4.2).
    if tlv_type != TLV_IS_ALIAS_ID {
        if !p.has(t, 3) || rem < 3 {
            return Ok(0);
        }
        pr!(ctx, ", Metric: {}", p.be_u24(t)?);
        t += 3;
        rem -= 3;
        proc_bytes += 3;
    }
    if !p.has(t, 1) || rem < 1 {
        return Ok(0);
    }
    let mut sum = p[t] as u32;
    t += 1;
    rem -= 1;
    proc_bytes += 1;
    pr!(
        ctx,
        ", {}sub-TLVs present",
        if sum != 0 { "" } else { "no " }
    );
    if sum == 0 {
        return Ok(proc_bytes);
    }
    pr!(ctx, " ({})", sum);
    let ident = format!("{ident}  ");
    let ident = ident.as_str();
    while sum != 0 {
        if !p.has(t, 2) {
            return Ok(0);
        }
        if rem < 2 {
            pr!(
                ctx,
                "{}Remaining data in TLV shorter than a subTLV header",
                ident
            );
            proc_bytes += rem;
            break;
        }
        if sum < 2 {
            pr!(
                ctx,
                "{}Remaining data in subTLVs shorter than a subTLV header",
                ident
            );
            proc_bytes += sum;
            break;
        }
        let sty = p[t];
        let mut slen = p[t + 1] as u32;
        t += 2;
        rem -= 2;
        sum -= 2;
        proc_bytes += 2;
        pr!(
            ctx,
            "{}{} subTLV #{}, length: {}",
            ident,
            tok(EXT_IS_REACH_SUBTLV_VALUES, sty as u32).unwrap_or("unknown"),
            sty,
            slen
        );
        if sum < slen {
            ctx.push(" (remaining data in subTLVs shorter than the current subTLV)");
            proc_bytes += sum;
            break;
        }
        if rem < slen {
            ctx.push(" (> remaining tlv length)");
            proc_bytes += rem;
            break;
        }
        if !p.has(t, slen as usize) {
            return Ok(0);
        }
        // Sub-TLVs that print in steps move `t` and take what they used off the lengths.
        let mut step = |n: u32, t: &mut usize, slen: &mut u32, sum: &mut u32| {
            *t += n as usize;
            *slen -= n;
            *sum -= n;
            proc_bytes += n;
        };
        match sty {
            EXT_IS_REACH_ADMIN_GROUP
            | EXT_IS_REACH_LINK_LOCAL_REMOTE_ID
            | EXT_IS_REACH_LINK_REMOTE_ID => {
                if slen >= 4 {
                    pr!(ctx, ", 0x{:08x}", p.be_u32(t)?);
                    if slen == 8 {
                        pr!(ctx, ", 0x{:08x}", p.be_u32(t + 4)?);
                    }
                }
            }
            EXT_IS_REACH_IPV4_INTF_ADDR | EXT_IS_REACH_IPV4_NEIGHBOR_ADDR => {
                if slen >= 4 {
                    pr!(ctx, ", {}", Ip(p.sub(t, 4)?));
                }
            }
            EXT_IS_REACH_MAX_LINK_BW | EXT_IS_REACH_RESERVABLE_BW => {
                if slen >= 4 {
                    pr!(ctx, ", {:.3} Mbps", mbps(p.be_u32(t)?));
                }
            }
            EXT_IS_REACH_UNRESERVED_BW => {
                if slen >= 32 {
                    for class in 0..8 {
                        let bw = p.be_u32(t)?;
                        pr!(ctx, "{}  TE-Class {}: {:.3} Mbps", ident, class, mbps(bw));
                        step(4, &mut t, &mut slen, &mut sum);
                    }
                }
            }
            EXT_IS_REACH_BW_CONSTRAINTS | EXT_IS_REACH_BW_CONSTRAINTS_OLD => {
                if slen != 0 {
                    let m = p.u8_at(t)?;
                    pr!(
                        ctx,
                        "{}Bandwidth Constraints Model ID: {} ({})",
                        ident,
                        tok(gmpls::DIFFSERV_TE_BC_VALUES, m as u32).unwrap_or("unknown"),
                        m
                    );
                    step(1, &mut t, &mut slen, &mut sum);
                    let mut class = 0;
                    while slen >= 4 {
                        let bw = p.be_u32(t)?;
                        pr!(
                            ctx,
                            "{}  Bandwidth constraint CT{}: {:.3} Mbps",
                            ident,
                            class,
                            mbps(bw)
                        );
                        step(4, &mut t, &mut slen, &mut sum);
                        class += 1;
                    }
                }
            }
            EXT_IS_REACH_TE_METRIC => {
                if slen >= 3 {
                    pr!(ctx, ", {}", p.be_u24(t)?);
                }
            }
            EXT_IS_REACH_LINK_ATTRIBUTE => {
                if slen == 2 {
                    let v = p.be_u16(t)? as u32;
                    ctx.push(", [ ");
                    bittok2str(ctx.out, LINK_ATTRIBUTE_VALUES, "Unknown", v, ", ");
                    pr!(ctx, " ] (0x{:04x})", v);
                }
            }
            EXT_IS_REACH_LINK_PROTECTION_TYPE => {
                if slen >= 2 {
                    let (f, prio) = (p.u8_at(t)?, p.u8_at(t + 1)?);
                    ctx.push(", ");
                    bittok2str(ctx.out, gmpls::LINK_PROT_VALUES, "none", f as u32, ", ");
                    pr!(ctx, ", Priority {}", prio);
                }
            }
            SUBTLV_SPB_METRIC => {
                if slen >= 6 {
                    pr!(ctx, ", LM: {}", p.be_u24(t)?);
                    step(3, &mut t, &mut slen, &mut sum);
                    pr!(ctx, ", P: {}", p.u8_at(t)?);
                    step(1, &mut t, &mut slen, &mut sum);
                    pr!(ctx, ", P-ID: {}", p.be_u16(t)?);
                }
            }
            EXT_IS_REACH_INTF_SW_CAP_DESCR => {
                if slen >= 36 {
                    let cap = p.u8_at(t)? as u32;
                    pr!(
                        ctx,
                        "{}  Interface Switching Capability:{}",
                        ident,
                        tok(gmpls::SWITCH_CAP_VALUES, cap).unwrap_or("Unknown")
                    );
                    pr!(
                        ctx,
                        ", LSP Encoding: {}",
                        tok(gmpls::ENCODING_VALUES, p.u8_at(t + 1)? as u32).unwrap_or("Unknown")
                    );
                    step(4, &mut t, &mut slen, &mut sum);
                    pr!(ctx, "{}  Max LSP Bandwidth:", ident);
                    for prio in 0..8 {
                        let bw = p.be_u32(t)?;
                        pr!(
                            ctx,
                            "{}    priority level {}: {:.3} Mbps",
                            ident,
                            prio,
                            mbps(bw)
                        );
                        step(4, &mut t, &mut slen, &mut sum);
                    }
                    match cap {
                        gmpls::GMPLS_PSC1
                        | gmpls::GMPLS_PSC2
                        | gmpls::GMPLS_PSC3
                        | gmpls::GMPLS_PSC4 => {
                            if slen >= 6 {
                                let bw = p.be_u32(t)?;
                                pr!(ctx, "{}  Min LSP Bandwidth: {:.3} Mbps", ident, mbps(bw));
                                pr!(ctx, "{}  Interface MTU: {}", ident, p.be_u16(t + 4)?);
                            }
                        }
                        gmpls::GMPLS_TSC => {
                            if slen >= 8 {
                                let bw = p.be_u32(t)?;
                                pr!(ctx, "{}  Min LSP Bandwidth: {:.3} Mbps", ident, mbps(bw));
                                pr!(ctx, "{}  Indication ", ident);
                                tok2str(
                                    ctx.out,
                                    gmpls::SWITCH_CAP_TSC_INDICATION_VALUES,
                                    "Unknown ({})",
                                    p.u8_at(t + 4)? as u32,
                                );
                            }
                        }
                        _ => {
                            if slen != 0 && !unknown(ctx, p, t, "\n\t\t    ", slen) {
                                return Ok(0);
                            }
                        }
                    }
                }
            }
            EXT_IS_REACH_LAN_ADJ_SEGMENT_ID => {
                if slen >= 8 {
                    let f = p.u8_at(t)?;
                    pr!(ctx, "{}  Flags: [", ident);
                    bittok2str(ctx.out, LAN_ADJ_SID_FLAG_VALUES, "none", f as u32, ", ");
                    ctx.push("]");
                    let (v, l) = (f & 0x20 != 0, f & 0x10 != 0);
                    step(1, &mut t, &mut slen, &mut sum);
                    pr!(ctx, "{}  Weight: {}", ident, p.u8_at(t)?);
                    step(1, &mut t, &mut slen, &mut sum);
                    if slen >= SYSTEM_ID_LEN as u32 {
                        if !p.has(t, SYSTEM_ID_LEN) {
                            return Ok(0);
                        }
                        pr!(
                            ctx,
                            "{}  Neighbor System-ID: {}",
                            ident,
                            id(p, t, SYSTEM_ID_LEN)?
                        );
                    }
                    // RFC 8667 section 2.2.2: V and L set, a 3-octet label; both clear, a
                    // 4-octet index.
                    if v && l {
                        pr!(ctx, "{}  Label: {}", ident, p.be_u24(t + SYSTEM_ID_LEN)?);
                    } else if !v && !l {
                        pr!(ctx, "{}  Index: {}", ident, p.be_u32(t + SYSTEM_ID_LEN)?);
                    } else {
                        ctx.print_invalid();
                    }
                }
            }
            _ => {
                if !unknown(ctx, p, t, "\n\t\t    ", slen) {
                    return Ok(0);
                }
            }
        }
        t += slen as usize;
        rem -= slen;
        sum -= slen;
        proc_bytes += slen;
    }
    Ok(proc_bytes)
}

/// `mask2plen`: the prefix length of a contiguous IPv4 mask, `None` otherwise.
fn mask2plen(mask: u32) -> Option<u32> {
    let n = mask.leading_ones();
    (mask.checked_shl(n).unwrap_or(0) == 0).then_some(n)
}

/// The IPv4 reachability TLVs 128 and 130 (RFC 1195 section 5): prefix, mask and a metric
/// block per entry. `Ok(false)`: cut short (tcpdump then ends the PDU without a marker).
fn ip_reach(ctx: &mut Ctx, p: &[u8], t0: usize, ident: &str, len: u32) -> PResult<bool> {
    let mut t = t0;
    let mut len = len;
    while len > 0 {
        if len < 12 {
            pr!(ctx, "short IPv4 Reachability ({} vs {})", len, 12);
            return Ok(false);
        }
        if !p.has(t, 12) {
            return Ok(false);
        }
        let prefix = Ip(&p[t + 4..t + 8]);
        let mask = p.be_u32(t + 8)?;
        match mask2plen(mask) {
            None => pr!(
                ctx,
                "{}IPv4 prefix: {} mask {}",
                ident,
                prefix,
                Ip(&p[t + 8..t + 12])
            ),
            Some(n) => pr!(
                ctx,
                "{}IPv4 prefix: {:>15}/{}",
                ident,
                prefix.to_string(),
                n
            ),
        }
        let m = p[t];
        pr!(
            ctx,
            ", Distribution: {}, Metric: {}, {}",
            if m & 0x80 != 0 { "down" } else { "up" },
            m & 0x3f,
            ext_or_int(m)
        );
        for (v, name) in p[t + 1..t + 4].iter().zip(["Delay", "Expense", "Error"]) {
            if v & 0x80 == 0 {
                pr!(
                    ctx,
                    "{}  {} Metric: {}, {}",
                    ident,
                    name,
                    v & 0x3f,
                    ext_or_int(*v)
                );
            }
        }
        len -= 12;
        t += 12;
    }
    Ok(true)
}

/// One sub-TLV of the extended IP reachability TLVs (RFC 5305 section 4, RFC 7794,
/// RFC 8667 section 2.1). `Ok(false)`: cut short.
fn ip_reach_subtlv(
    ctx: &mut Ctx,
    p: &[u8],
    t0: usize,
    subt: u8,
    subl: u32,
    ident: &str,
) -> PResult<bool> {
    let mut t = t0;
    let mut subl = subl;
    pr!(
        ctx,
        "{}{} subTLV #{}, length: {}",
        ident,
        tok(EXT_IP_REACH_SUBTLV_VALUES, subt as u32).unwrap_or("unknown"),
        subt,
        subl
    );
    if !p.has(t, subl as usize) {
        ctx.print_trunc();
        return Ok(false);
    }
    match subt {
        EXTD_IP_REACH_MGMT_PREFIX_COLOR | EXTD_IP_REACH_ADMIN_TAG32 => {
            while subl >= 4 {
                let v = p.be_u32(t)?;
                pr!(ctx, ", 0x{:08x} (={})", v, v);
                t += 4;
                subl -= 4;
            }
        }
        EXTD_IP_REACH_ADMIN_TAG64 => {
            while subl >= 8 {
                pr!(ctx, ", 0x{:08x}{:08x}", p.be_u32(t)?, p.be_u32(t + 4)?);
                t += 8;
                subl -= 8;
            }
        }
        EXTD_IP_REACH_PREFIX_SID => {
            let flags = p.u8_at(t)?;
            let algo = p.u8_at(t + 1)?;
            let sid = if flags & PREFIX_SID_FLAG_V != 0 {
                if subl < 5 {
                    ctx.print_trunc();
                    return Ok(false);
                }
                p.be_u24(t + 2)?
            } else {
                if subl < 6 {
                    ctx.print_trunc();
                    return Ok(false);
                }
                p.be_u32(t + 2)?
            };
            ctx.push(", Flags [");
            bittok2str(ctx.out, PREFIX_SID_FLAG_VALUES, "None", flags as u32, ", ");
            pr!(
                ctx,
                "], Algo {} ({}), {} {}",
                tok(PREFIX_SID_ALGO_VALUES, algo as u32).unwrap_or("Unknown"),
                algo,
                if flags & PREFIX_SID_FLAG_V != 0 {
                    "label"
                } else {
                    "index"
                },
                sid
            );
        }
        _ => {
            if !unknown(ctx, p, t, "\n\t\t    ", subl) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// One prefix of the extended IPv4 (TLV 135, 235; RFC 5305 section 4) or IPv6 (TLV 236,
/// 237; RFC 5308 section 2) reachability TLVs, with its sub-TLVs. Returns the octets it
/// covered, 0 on an error (after saying why).
fn extd_ip_reach(ctx: &mut Ctx, p: &[u8], t0: usize, ident: &str, v6: bool) -> PResult<u32> {
    let mut t = t0;
    let metric = p.be_u32(t)?;
    let mut processed = 4u32;
    t += 4;
    let status = p.u8_at(t)?;
    let bits;
    if !v6 {
        t += 1;
        bits = (status & 0x3f) as u32;
        if bits > 32 {
            pr!(ctx, "{}IPv4 prefix: bad bit length {}", ident, bits);
            return Ok(0);
        }
        processed += 1;
    } else {
        bits = p.u8_at(t + 1)? as u32;
        if bits > 128 {
            pr!(ctx, "{}IPv6 prefix: bad bit length {}", ident, bits);
            return Ok(0);
        }
        t += 2;
        processed += 2;
    }
    let bytes = bits.div_ceil(8) as usize;
    let mut prefix = [0u8; 16];
    prefix[..bytes].copy_from_slice(p.sub(t, bytes)?);
    t += bytes;
    processed += bytes as u32;
    if !v6 {
        pr!(
            ctx,
            "{}IPv4 prefix: {:>15}/{}",
            ident,
            Ip(&prefix[..4]).to_string(),
            bits
        );
    } else {
        pr!(ctx, "{}IPv6 prefix: {}/{}", ident, Ip(&prefix), bits);
    }
    pr!(
        ctx,
        ", Distribution: {}, Metric: {}",
        if status & 0x80 != 0 { "down" } else { "up" },
        metric
    );
    let subtlvs = if !v6 {
        if status & 0x40 != 0 {
            ctx.push(", sub-TLVs present");
        }
        status & 0x40 != 0
    } else {
        pr!(
            ctx,
            ", {}{}",
            if status & 0x40 != 0 {
                "External"
            } else {
                "Internal"
            },
            if status & 0x20 != 0 {
                ", sub-TLVs present"
            } else {
                ""
            }
        );
        status & 0x20 != 0
    };
    if subtlvs {
        // One length octet covers all the sub-TLVs of this prefix.
        let mut sublen = p.u8_at(t)? as u32;
        t += 1;
        processed += sublen + 1;
        pr!(ctx, " ({})", sublen);
        let ident = format!("{ident}  ");
        while sublen > 0 {
            let sty = p.u8_at(t)?;
            let slen = p.u8_at(t + 1)? as u32;
            t += 2;
            if !ip_reach_subtlv(ctx, p, t, sty, slen, &ident)? {
                return Ok(0);
            }
            t += slen as usize;
            // A sub-TLV longer than the rest wraps the count, as in tcpdump: the walk then
            // goes on until the capture ends.
            sublen = sublen.wrapping_sub(slen + 2);
        }
    }
    Ok(processed)
}

/// The sub-TLVs of the router capability TLV (RFC 7981 section 2; SR capabilities, RFC 8667
/// section 3.1).
fn router_cap_subtlv(ctx: &mut Ctx, p: &[u8], t0: usize, tlen: u32) -> PResult {
    let mut t = t0;
    let mut tlen = tlen;
    while tlen >= 2 {
        let subt = p.u8_at(t)?;
        let subl = p.u8_at(t + 1)? as u32;
        tlen -= 2;
        t += 2;
        pr!(
            ctx,
            "\n\t\t{} subTLV #{}, length: {}",
            tok(ROUTER_CAP_SUBTLV_VALUES, subt as u32).unwrap_or("unknown"),
            subt,
            subl
        );
        if subl > tlen {
            break;
        }
        if !p.has(t, subl as usize) {
            return Ok(());
        }
        if subt == ROUTER_CAP_SUBTLV_SR {
            let flags = p.u8_at(t)?;
            let range = p.be_u24(t + 1)?;
            ctx.push(", Flags [");
            bittok2str(ctx.out, ROUTER_CAP_SR_FLAGS, "None", flags as u32, ", ");
            pr!(ctx, "], Range {}", range);
            let mut s = t + 4;
            // An 8-bit count in tcpdump: a sub-TLV shorter than 4 wraps it.
            let mut stlen = (subl as u8).wrapping_sub(4) as u32;
            while stlen >= 5 {
                let sty = p.u8_at(s)?;
                let sl = p.u8_at(s + 1)? as u32;
                stlen -= 2;
                s += 2;
                if sl > stlen {
                    break;
                }
                if sty == 1 {
                    match sl {
                        3 => pr!(ctx, ", SID value {}", p.be_u24(s)?),
                        4 => pr!(ctx, ", SID value {}", p.be_u32(s)?),
                        _ => pr!(ctx, ", Unknown SID length{}", sl),
                    }
                } else {
                    unknown(ctx, p, s, "\n\t\t  ", sl);
                }
                s += sl as usize;
                stlen -= sl;
            }
        } else {
            unknown(ctx, p, t, "\n\t\t", subl);
        }
        tlen -= subl;
        t += subl as usize;
    }
    Ok(())
}

/// An SPB MST configuration identifier (RFC 6329 section 16.2): 51 octets.
fn mcid(ctx: &mut Ctx, p: &[u8], t: usize) -> PResult {
    if !p.has(t, SPB_MCID_LEN) {
        ctx.print_trunc();
        return Ok(());
    }
    pr!(ctx, "ID: {}, Name: ", p[t]);
    printjnp(ctx, &p[t + 1..], 32)?;
    pr!(ctx, "\n\t              Lvl: {}", p.be_u16(t + 33)?);
    ctx.push(", Digest: ");
    for b in &p[t + 35..t + 51] {
        pr!(ctx, "{:02x} ", b);
    }
    Ok(())
}

/// How a sub-TLV walk of the SPB TLVs ended early.
#[derive(Clone, Copy)]
enum SubStop {
    Trunc,
    /// Longer than the TLV around it.
    Long,
    /// Shorter than its type needs.
    Short,
}

fn subtlv_stop(ctx: &mut Ctx, why: SubStop) {
    match why {
        SubStop::Trunc => ctx.print_trunc(),
        SubStop::Long => ctx.push(" (> containing TLV length)"),
        SubStop::Short => ctx.push(" (too short)"),
    }
}

/// The sub-TLVs of the MT port capability TLV (RFC 6165, SPB: RFC 6329 section 16).
fn mt_port_cap_subtlv(ctx: &mut Ctx, p: &[u8], t0: usize, len: u32) -> PResult {
    let mut t = t0;
    let mut len = len;
    while len > 2 {
        let sty = p.u8_at(t)?;
        let mut slen = p.u8_at(t + 1)? as u32;
        pr!(
            ctx,
            "\n\t       {} subTLV #{}, length: {}",
            tok(MT_PORT_CAP_SUBTLV_VALUES, sty as u32).unwrap_or("unknown"),
            sty,
            slen
        );
        t += 2;
        len -= 2;
        if len < slen {
            subtlv_stop(ctx, SubStop::Long);
            return Ok(());
        }
        if !p.has(t, slen as usize) {
            subtlv_stop(ctx, SubStop::Trunc);
            return Ok(());
        }
        match sty {
            SPB_MCID => {
                if slen < SPB_MCID_MIN_LEN {
                    subtlv_stop(ctx, SubStop::Short);
                    return Ok(());
                }
                ctx.push("\n\t         MCID: ");
                mcid(ctx, p, t)?;
                ctx.push("\n\t         AUX-MCID: ");
                mcid(ctx, p, t + SPB_MCID_LEN)?;
                t += SPB_MCID_MIN_LEN as usize;
                len -= SPB_MCID_MIN_LEN;
                slen -= SPB_MCID_MIN_LEN;
            }
            SPB_DIGEST => {
                if slen < SPB_DIGEST_MIN_LEN {
                    subtlv_stop(ctx, SubStop::Short);
                    return Ok(());
                }
                let b = p.u8_at(t)?;
                pr!(
                    ctx,
                    "\n\t        RES: {} V: {} A: {} D: {}",
                    b >> 5,
                    (b >> 4) & 1,
                    (b >> 2) & 3,
                    b & 3
                );
                t += 1;
                ctx.push("\n\t         Digest: ");
                for i in 1..=8 {
                    pr!(ctx, "{:08x} ", p.be_u32(t)?);
                    if i % 4 == 0 && i != 8 {
                        ctx.push("\n\t                 ");
                    }
                    t += 4;
                }
                len -= SPB_DIGEST_MIN_LEN;
                slen -= SPB_DIGEST_MIN_LEN;
            }
            SPB_BVID => {
                while slen != 0 {
                    if slen < 4 {
                        subtlv_stop(ctx, SubStop::Short);
                        return Ok(());
                    }
                    pr!(ctx, "\n\t           ECT: {:08x}", p.be_u32(t)?);
                    t += 4;
                    len -= 4;
                    slen -= 4;
                    if slen < 2 {
                        subtlv_stop(ctx, SubStop::Short);
                        return Ok(());
                    }
                    let v = p.be_u16(t)?;
                    pr!(
                        ctx,
                        " BVID: {}, U:{:x} M:{:x} ",
                        v >> 4,
                        (v >> 3) & 1,
                        (v >> 2) & 1
                    );
                    t += 2;
                    len -= 2;
                    slen -= 2;
                }
            }
            _ => {}
        }
        t += slen as usize;
        len -= slen;
    }
    Ok(())
}

/// The sub-TLVs of the MT capability TLV (RFC 6329 sections 16.1 and 16.3).
fn mt_capability_subtlv(ctx: &mut Ctx, p: &[u8], t0: usize, len: u32) -> PResult {
    let mut t = t0;
    let mut len = len;
    while len > 2 {
        let sty = p.u8_at(t)?;
        let mut slen = p.u8_at(t + 1)? as u32;
        t += 2;
        len -= 2;
        pr!(
            ctx,
            "\n\t      {} subTLV #{}, length: {}",
            tok(MT_CAPABILITY_SUBTLV_VALUES, sty as u32).unwrap_or("unknown"),
            sty,
            slen
        );
        if len < slen {
            subtlv_stop(ctx, SubStop::Long);
            return Ok(());
        }
        if !p.has(t, slen as usize) {
            subtlv_stop(ctx, SubStop::Trunc);
            return Ok(());
        }
        match sty {
            SPB_INSTANCE => {
                if slen < SPB_INSTANCE_MIN_LEN {
                    subtlv_stop(ctx, SubStop::Short);
                    return Ok(());
                }
                pr!(ctx, "\n\t        CIST Root-ID: {:08x}", p.be_u32(t)?);
                pr!(ctx, " {:08x}", p.be_u32(t + 4)?);
                pr!(ctx, ", Path Cost: {:08x}", p.be_u32(t + 8)?);
                pr!(ctx, ", Prio: {}", p.be_u16(t + 12)?);
                t += 14;
                let v = p.be_u16(t)?;
                pr!(ctx, "\n\t        RES: {}", v >> 5);
                pr!(ctx, ", V: {}", (v >> 4) & 1);
                pr!(ctx, ", SPSource-ID: {}", p.be_u32(t)? & 0x000f_ffff);
                t += 4;
                let mut trees = p.u8_at(t)?;
                pr!(ctx, ", No of Trees: {:x}", trees);
                t += 1;
                len -= SPB_INSTANCE_MIN_LEN;
                slen -= SPB_INSTANCE_MIN_LEN;
                while trees > 0 {
                    if slen < SPB_INSTANCE_VLAN_TUPLE_LEN {
                        subtlv_stop(ctx, SubStop::Trunc);
                        return Ok(());
                    }
                    let b = p.u8_at(t)?;
                    pr!(
                        ctx,
                        "\n\t         U:{}, M:{}, A:{}, RES:{}",
                        b >> 7,
                        (b >> 6) & 1,
                        (b >> 5) & 1,
                        b & 0x1f
                    );
                    t += 1;
                    pr!(ctx, ", ECT: {:08x}", p.be_u32(t)?);
                    t += 4;
                    let v = p.be_u24(t)?;
                    pr!(ctx, ", BVID: {}, SPVID: {}", (v >> 12) & 0xfff, v & 0xfff);
                    t += 3;
                    len -= SPB_INSTANCE_VLAN_TUPLE_LEN;
                    slen -= SPB_INSTANCE_VLAN_TUPLE_LEN;
                    trees -= 1;
                }
            }
            SPBM_SI => {
                if slen < 8 {
                    subtlv_stop(ctx, SubStop::Trunc);
                    return Ok(());
                }
                pr!(ctx, "\n\t        BMAC: {:08x}", p.be_u32(t)?);
                pr!(ctx, "{:04x}", p.be_u16(t + 4)?);
                t += 6;
                let v = p.be_u16(t)?;
                pr!(ctx, ", RES: {}, VID: {}", v >> 12, v & 0x0fff);
                t += 2;
                len -= 8;
                slen -= 8;
                while slen >= 4 {
                    let v = p.be_u32(t)?;
                    pr!(
                        ctx,
                        "\n\t        T: {}, R: {}, RES: {}, ISID: {}",
                        v >> 31,
                        (v >> 30) & 1,
                        (v >> 24) & 0x3f,
                        v & 0x00ff_ffff
                    );
                    t += 4;
                    len -= 4;
                    slen -= 4;
                }
            }
            _ => {}
        }
        t += slen as usize;
        len -= slen;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], v: u8) -> String {
        run_marked(&opts(v, false), |ctx| {
            super::super::isoclns::isoclns_print(ctx, p, p.len() as u32)
        })
    }

    // L1 CSNP from 3333.3333.3333.00 with one LSP entry.
    const CSNP: &[u8] = &[
        0x83, 0x21, 0x01, 0x00, 0x18, 0x01, 0x00, 0x00, 0x00, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
        0x33, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0x09, 0x10, 0x04, 0xa0, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x0e, 0x59, 0x10,
    ];

    #[test]
    fn csnp() {
        assert_eq!(
            run(CSNP, 0),
            "IS-IS, L1 CSNP, src-id 3333.3333.3333.00, length 51"
        );
        assert_eq!(
            run(CSNP, 1),
            "IS-IS, length 51\n\tL1 CSNP, hlen: 33, v: 1, pdu-v: 1, sys-id-len: 6 (0), \
             max-area: 3 (0)\n\t  source-id:    3333.3333.3333.00, PDU length: 51\
             \n\t  start lsp-id: 0000.0000.0000.00-00\n\t  end lsp-id:   ffff.ffff.ffff.ff-ff\
             \n\t    LSP entries TLV #9, length: 16\n\t      lsp-id: 2222.2222.2222.00-00, \
             seq: 0x0000000e, lifetime:  1184s, chksum: 0x5910"
        );
        // Cut inside the LSP entry.
        assert!(run(&CSNP[..45], 1).ends_with("LSP entries TLV #9, length: 16 [|isis]"));
    }

    // L2 LSP with hostname, extended IP reachability (with a prefix SID) and extended IS
    // reachability with a TE metric.
    const LSP: &[u8] = &[
        0x83, 0x1b, 0x01, 0x00, 0x14, 0x01, 0x00, 0x00, // common header
        0x00, 0x44, 0x04, 0xb0, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x00, 0x03, // LSP header
        0x89, 0x02, b'r', b'1', // hostname
        0x87, 0x11, 0x00, 0x00, 0x00, 0x0a, 0x58, 0xc0, 0x00, 0x02, 0x08, 0x03, 0x06, 0x40, 0x00,
        0x00, 0x00, 0x00, 0x01, // extended IP reachability
        0x16, 0x10, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x01, 0x00, 0x00, 0x0a, 0x05, 0x12, 0x03,
        0x00, 0x00, 0x64, // extended IS reachability
    ];

    #[test]
    fn lsp() {
        assert_eq!(
            run(LSP, 0),
            "IS-IS, L2 LSP, lsp-id 1111.1111.1111.00-00, seq 0x00000005, lifetime  1200s, \
             length 68"
        );
        assert_eq!(
            run(LSP, 1),
            "IS-IS, length 68\n\tL2 LSP, hlen: 27, v: 1, pdu-v: 1, sys-id-len: 6 (0), \
             max-area: 3 (0)\n\t  lsp-id: 1111.1111.1111.00-00, seq: 0x00000005, lifetime:  \
             1200s\n\t  chksum: 0x0000 (unverified), PDU length: 68, Flags: [ L2 IS ]\
             \n\t    Hostname TLV #137, length: 2\n\t      Hostname: r1\
             \n\t    Extended IPv4 Reachability TLV #135, length: 17\
             \n\t      IPv4 prefix:       192.0.2.0/24, Distribution: up, Metric: 10, \
             sub-TLVs present (8)\n\t        Prefix SID subTLV #3, length: 6, Flags [Node], \
             Algo SPF (0), index 1\
             \n\t    Extended IS Reachability TLV #22, length: 16\
             \n\t      IS Neighbor: 2222.2222.2222.01, Metric: 10, sub-TLVs present (5)\
             \n\t        Traffic Engineering Metric subTLV #18, length: 3, 100"
        );
    }

    #[test]
    fn refused_header_is_dumped() {
        let mut p = CSNP.to_vec();
        p[2] = 2;
        assert!(run(&p, 0).contains("version 2 packet not supported\n\t0x0000:  8321 0200"));
    }

    #[test]
    fn osi_checksum_of_an_lsp() {
        // Put the right Fletcher checksum into the LSP and check that it is recognised.
        let mut p = LSP.to_vec();
        let c = super::super::isoclns::osi_cksum(&p[12..], 12, p.len() - 12);
        p[24..26].copy_from_slice(&c.to_be_bytes());
        assert!(run(&p, 1).contains(&format!("chksum: 0x{c:04x} (correct)")));
        p[30] ^= 1;
        assert!(run(&p, 1).contains(&format!("chksum: 0x{c:04x} (incorrect should be")));
    }

    #[test]
    fn mask_lengths() {
        assert_eq!(mask2plen(0xffff_ff00), Some(24));
        assert_eq!(mask2plen(0), Some(0));
        assert_eq!(mask2plen(0xffff_ffff), Some(32));
        assert_eq!(mask2plen(0xff00_ff00), None);
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [CSNP, LSP] {
            assert_every_truncation_is_safe(pkt, &verbosities(3), |ctx, p| {
                super::super::isoclns::isoclns_print(ctx, p, pkt.len() as u32)
            });
        }
    }
}
