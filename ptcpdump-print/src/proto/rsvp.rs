//! RSVP (RFC 2205) with IntServ (RFC 2210, RFC 2215), refresh reduction (RFC 2961),
//! integrity (RFC 2747), RSVP-TE (RFC 3209), GMPLS (RFC 3473), fast reroute (RFC 4090),
//! DiffServ-TE (RFC 4124), P2MP (RFC 4875), the capability object (RFC 5063) and the OIF UNI
//! 1.0 generalized UNI object; tcpdump's print-rsvp.c. IP protocol 46.

use super::af::{AF_VALUES, AFNUM_INET, AFNUM_INET6};
use super::ether::ETHERTYPE_VALUES;
use super::gmpls;
use super::util_print::{fmt_g, print_unknown_data_at, push_char};
use super::{Ctx, bittok2str, pr, tok, tok2str};
use crate::addr::Ip;
use crate::cursor::{Bytes, PResult};

const COMMON_HDR: usize = 8;
const OBJ_HDR: usize = 4;
const RSVP_VERSION: u8 = 1;

const MSGTYPE_PATH: u8 = 1;
const MSGTYPE_RESV: u8 = 2;
const MSGTYPE_PATHERR: u8 = 3;
const MSGTYPE_RESVERR: u8 = 4;
const MSGTYPE_PATHTEAR: u8 = 5;
const MSGTYPE_RESVTEAR: u8 = 6;
const MSGTYPE_RESVCONF: u8 = 7;
const MSGTYPE_BUNDLE: u8 = 12;
const MSGTYPE_ACK: u8 = 13;
const MSGTYPE_HELLO_OLD: u8 = 14;
const MSGTYPE_SREFRESH: u8 = 15;
const MSGTYPE_HELLO: u8 = 20;

const MSG_TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Path"),
    (2, "Resv"),
    (3, "PathErr"),
    (4, "ResvErr"),
    (5, "PathTear"),
    (6, "ResvTear"),
    (7, "ResvConf"),
    (12, "Bundle"),
    (13, "Acknowledgement"),
    (14, "Hello (Old)"),
    (15, "Refresh"),
    (20, "Hello"),
];

const HEADER_FLAG_VALUES: &[(u32, &str)] = &[(0x01, "Refresh reduction capable")];

const CAPABILITY_FLAG_VALUES: &[(u32, &str)] = &[
    (0x0004, "RecoveryPath Transmit Enabled"),
    (0x0002, "RecoveryPath Desired"),
    (0x0001, "RecoveryPath Srefresh Capable"),
];

const OBJ_SESSION: u8 = 1;
const OBJ_RSVP_HOP: u8 = 3;
const OBJ_INTEGRITY: u8 = 4;
const OBJ_TIME_VALUES: u8 = 5;
const OBJ_ERROR_SPEC: u8 = 6;
const OBJ_STYLE: u8 = 8;
const OBJ_FLOWSPEC: u8 = 9;
const OBJ_FILTERSPEC: u8 = 10;
const OBJ_SENDER_TEMPLATE: u8 = 11;
const OBJ_SENDER_TSPEC: u8 = 12;
const OBJ_ADSPEC: u8 = 13;
const OBJ_CONFIRM: u8 = 15;
const OBJ_LABEL: u8 = 16;
const OBJ_LABEL_REQ: u8 = 19;
const OBJ_ERO: u8 = 20;
const OBJ_RRO: u8 = 21;
const OBJ_HELLO: u8 = 22;
const OBJ_MESSAGE_ID: u8 = 23;
const OBJ_MESSAGE_ID_ACK: u8 = 24;
const OBJ_MESSAGE_ID_LIST: u8 = 25;
const OBJ_RECOVERY_LABEL: u8 = 34;
const OBJ_UPSTREAM_LABEL: u8 = 35;
const OBJ_LABEL_SET: u8 = 36;
const OBJ_S2L: u8 = 50;
const OBJ_DETOUR: u8 = 63;
const OBJ_CLASSTYPE: u8 = 66;
const OBJ_CLASSTYPE_OLD: u8 = 125;
const OBJ_SUGGESTED_LABEL: u8 = 129;
const OBJ_RESTART_CAPABILITY: u8 = 131;
const OBJ_CAPABILITY: u8 = 134;
const OBJ_NOTIFY_REQ: u8 = 195;
const OBJ_ADMIN_STATUS: u8 = 196;
const OBJ_PROPERTIES: u8 = 204;
const OBJ_FASTREROUTE: u8 = 205;
const OBJ_SESSION_ATTRIBUTE: u8 = 207;
const OBJ_GENERALIZED_UNI: u8 = 229;

const OBJ_VALUES: &[(u32, &str)] = &[
    (1, "Session"),
    (3, "RSVP Hop"),
    (4, "Integrity"),
    (5, "Time Values"),
    (6, "Error Spec"),
    (7, "Scope"),
    (8, "Style"),
    (9, "Flowspec"),
    (10, "FilterSpec"),
    (11, "Sender Template"),
    (12, "Sender TSpec"),
    (13, "Adspec"),
    (14, "Policy Data"),
    (15, "Confirm"),
    (16, "Label"),
    (19, "Label Request"),
    (20, "ERO"),
    (21, "RRO"),
    (22, "Hello"),
    (23, "Message ID"),
    (24, "Message ID Ack"),
    (25, "Message ID List"),
    (34, "Recovery Label"),
    (35, "Upstream Label"),
    (36, "Label Set"),
    (130, "Acceptable Label Set"),
    (63, "Detour"),
    (66, "Class Type"),
    (125, "Class Type (old)"),
    (129, "Suggested Label"),
    (204, "Properties"),
    (205, "Fast Re-Route"),
    (207, "Session Attribute"),
    (229, "Generalized UNI"),
    (230, "Call-ID"),
    (236, "Call Capability"),
    (131, "Restart Capability"),
    (134, "Capability"),
    (195, "Notify Request"),
    (37, "Protection"),
    (196, "Administrative Status"),
    (50, "Sub-LSP to LSP"),
];

const CTYPE_IPV4: u8 = 1;
const CTYPE_IPV6: u8 = 2;
const CTYPE_TUNNEL_IPV4: u8 = 7;
const CTYPE_TUNNEL_IPV6: u8 = 8;
const CTYPE_UNI_IPV4: u8 = 11;
const CTYPE_1: u8 = 1;
const CTYPE_2: u8 = 2;
const CTYPE_3: u8 = 3;
const CTYPE_4: u8 = 4;
const CTYPE_12: u8 = 12;
const CTYPE_13: u8 = 13;
const CTYPE_14: u8 = 14;

/// C-type names, keyed by class number * 256 + C-type.
const CTYPE_VALUES: &[(u32, &str)] = &[
    (256 * 3 + 1, "IPv4"),
    (256 * 3 + 2, "IPv6"),
    (256 * 3 + 3, "IPv4 plus opt. TLVs"),
    (256 * 3 + 4, "IPv6 plus opt. TLVs"),
    (256 * 195 + 1, "IPv4"),
    (256 * 195 + 2, "IPv6"),
    (256 * 15 + 1, "IPv4"),
    (256 * 15 + 2, "IPv6"),
    (256 * 5 + 1, "1"),
    (256 * 9 + 1, "obsolete"),
    (256 * 9 + 2, "IntServ"),
    (256 * 12 + 2, "IntServ"),
    (256 * 13 + 2, "IntServ"),
    (256 * 10 + 1, "IPv4"),
    (256 * 10 + 2, "IPv6"),
    (256 * 10 + 3, "IPv6 Flow-label"),
    (256 * 10 + 7, "Tunnel IPv4"),
    (256 * 10 + 12, "IPv4 P2MP LSP Tunnel"),
    (256 * 10 + 13, "IPv6 P2MP LSP Tunnel"),
    (256 + 1, "IPv4"),
    (256 + 2, "IPv6"),
    (256 + 7, "Tunnel IPv4"),
    (256 + 11, "UNI IPv4"),
    (256 + 13, "IPv4 P2MP LSP Tunnel"),
    (256 + 14, "IPv6 P2MP LSP Tunnel"),
    (256 * 11 + 1, "IPv4"),
    (256 * 11 + 2, "IPv6"),
    (256 * 11 + 7, "Tunnel IPv4"),
    (256 * 11 + 12, "IPv4 P2MP LSP Tunnel"),
    (256 * 11 + 13, "IPv6 P2MP LSP Tunnel"),
    (256 * 23 + 1, "1"),
    (256 * 24 + 1, "Message id ack"),
    (256 * 24 + 2, "Message id nack"),
    (256 * 25 + 1, "1"),
    (256 * 8 + 1, "1"),
    (256 * 22 + 1, "Hello Request"),
    (256 * 22 + 2, "Hello Ack"),
    (256 * 19 + 1, "without label range"),
    (256 * 19 + 2, "with ATM label range"),
    (256 * 19 + 3, "with FR label range"),
    (256 * 19 + 4, "Generalized Label"),
    (256 * 16 + 1, "Label"),
    (256 * 16 + 2, "Generalized Label"),
    (256 * 16 + 3, "Waveband Switching"),
    (256 * 129 + 1, "Label"),
    (256 * 129 + 2, "Generalized Label"),
    (256 * 129 + 3, "Waveband Switching"),
    (256 * 35 + 1, "Label"),
    (256 * 35 + 2, "Generalized Label"),
    (256 * 35 + 3, "Waveband Switching"),
    (256 * 34 + 1, "Label"),
    (256 * 34 + 2, "Generalized Label"),
    (256 * 34 + 3, "Waveband Switching"),
    (256 * 20 + 1, "IPv4"),
    (256 * 21 + 1, "IPv4"),
    (256 * 6 + 1, "IPv4"),
    (256 * 6 + 2, "IPv6"),
    (256 * 6 + 3, "IPv4 plus opt. TLVs"),
    (256 * 6 + 4, "IPv6 plus opt. TLVs"),
    (256 * 131 + 1, "IPv4"),
    (256 * 134 + 1, "1"),
    (256 * 207 + 7, "Tunnel IPv4"),
    (256 * 205 + 7, "Tunnel IPv4"),
    (256 * 205 + 1, "1"),
    (256 * 63 + 7, "Tunnel IPv4"),
    (256 * 204 + 1, "1"),
    (256 * 196 + 1, "1"),
    (256 * 66 + 1, "1"),
    (256 * 125 + 1, "1"),
    (256 * 36 + 1, "1"),
    (256 * 229 + 1, "1"),
    (256 * 50 + 1, "IPv4 sub-LSP"),
    (256 * 50 + 2, "IPv6 sub-LSP"),
];

const INTEGRITY_FLAG_VALUES: &[(u32, &str)] = &[(0x80, "Handshake")];

const XRO_IPV4: u8 = 1;
const XRO_LABEL: u8 = 3;

const XRO_VALUES: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "IPv4 prefix"),
    (2, "IPv6 prefix"),
    (3, "Label"),
    (32, "Autonomous system number"),
    (64, "MPLS label switched path termination"),
];

const RRO_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Local protection available"),
    (0x02, "Local protection in use"),
    (0x04, "Bandwidth protection"),
    (0x08, "Node protection"),
];

const RRO_LABEL_FLAG_VALUES: &[(u32, &str)] = &[(0x01, "Global")];

const RESSTYLE_VALUES: &[(u32, &str)] = &[
    (17, "Wildcard Filter"),
    (10, "Fixed Filter"),
    (18, "Shared Explicit"),
];

const INTSERV_SERVICE_TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Default/Global Information"),
    (2, "Guaranteed Service"),
    (5, "Controlled Load"),
];

const INTSERV_PARAMETER_ID_VALUES: &[(u32, &str)] = &[
    (4, "IS hop cnt"),
    (6, "Path b/w estimate"),
    (8, "Minimum path latency"),
    (10, "Composed MTU"),
    (127, "Token Bucket TSpec"),
    (130, "Guaranteed Service RSpec"),
    (133, "End-to-end composed value for C"),
    (134, "End-to-end composed value for D"),
    (135, "Since-last-reshaping point composed C"),
    (136, "Since-last-reshaping point composed D"),
];

const SESSION_ATTRIBUTE_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Local Protection"),
    (0x02, "Label Recording"),
    (0x04, "SE Style"),
    (0x08, "Bandwidth protection"),
    (0x10, "Node protection"),
];

const PROP_TLV_VALUES: &[(u32, &str)] = &[
    (0x01, "Cos"),
    (0x02, "Metric 1"),
    (0x04, "Metric 2"),
    (0x08, "CCC Status"),
    (0x10, "Path Type"),
];

const ERROR_CODE_ROUTING: u8 = 24;
const ERROR_CODE_DIFFSERV_TE: u8 = 28;
const ERROR_CODE_DIFFSERV_TE_OLD: u8 = 125;

const ERROR_CODE_VALUES: &[(u32, &str)] = &[
    (24, "Routing Problem"),
    (25, "Notify Error"),
    (28, "Diffserv TE Error"),
    (125, "Diffserv TE Error (Old)"),
];

const ERROR_CODE_ROUTING_VALUES: &[(u32, &str)] = &[
    (1, "Bad EXPLICIT_ROUTE object"),
    (2, "Bad strict node"),
    (3, "Bad loose node"),
    (4, "Bad initial subobject"),
    (5, "No route available toward destination"),
    (6, "Unacceptable label value"),
    (7, "RRO indicated routing loops"),
    (8, "non-RSVP-capable router in the path"),
    (9, "MPLS label allocation failure"),
    (10, "Unsupported L3PID"),
];

const ERROR_CODE_DIFFSERV_TE_VALUES: &[(u32, &str)] = &[
    (1, "Unexpected CT object"),
    (2, "Unsupported CT"),
    (3, "Invalid CT value"),
    (4, "CT/setup priority do not form a configured TE-Class"),
    (5, "CT/holding priority do not form a configured TE-Class"),
    (
        6,
        "CT/setup priority and CT/holding priority do not form a configured TE-Class",
    ),
    (7, "Inconsistency between signaled PSC and signaled CT"),
    (8, "Inconsistency between signaled PHBs and signaled CT"),
];

const ADMIN_STATUS_FLAG_VALUES: &[(u32, &str)] = &[
    (0x8000_0000, "Reflect"),
    (0x0000_0004, "Testing"),
    (0x0000_0002, "Admin-down"),
    (0x0000_0001, "Delete-in-progress"),
];

const LABEL_SET_INCLUSIVE_RANGE: u32 = 2;
const LABEL_SET_EXCLUSIVE_RANGE: u32 = 3;

const LABEL_SET_ACTION_VALUES: &[(u32, &str)] = &[
    (0, "Inclusive list"),
    (1, "Exclusive list"),
    (2, "Inclusive range"),
    (3, "Exclusive range"),
];

const GEN_UNI_SOURCE_TNA_ADDRESS: u32 = 1;
const GEN_UNI_DESTINATION_TNA_ADDRESS: u32 = 2;
const GEN_UNI_DIVERSITY: u32 = 3;
const GEN_UNI_EGRESS_LABEL: u32 = 4;
const GEN_UNI_SERVICE_LEVEL: u32 = 5;
const AFNUM_NSAP: u32 = 3;

const GENERALIZED_UNI_VALUES: &[(u32, &str)] = &[
    (1, "Source TNA address"),
    (2, "Destination TNA address"),
    (3, "Diversity"),
    (4, "Egress label"),
    (5, "Service level"),
];

/// `%#x`: C's alternate hex form, which has no prefix for zero.
fn alt_hex(v: u8) -> String {
    if v == 0 {
        "0".to_string()
    } else {
        format!("{v:#x}")
    }
}

/// A 32-bit IEEE float from the wire.
fn float_at(p: &[u8], off: usize) -> PResult<f32> {
    Ok(f32::from_bits(p.be_u32(off)?))
}

/// An RSVP message.
pub fn rsvp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "rsvp";
    if !p.has(0, COMMON_HDR) {
        ctx.print_trunc();
        return Ok(());
    }
    let version = p[0] >> 4;
    if version != RSVP_VERSION {
        pr!(ctx, "ERROR: RSVP version {} packet not supported", version);
        return Ok(());
    }
    let msg_type = p[1];
    if ctx.vflag() < 1 {
        pr!(ctx, "RSVPv{} ", version);
        tok2str(ctx.out, MSG_TYPE_VALUES, "unknown ({})", msg_type as u32);
        pr!(ctx, " Message, length: {}", len);
        return Ok(());
    }
    let plen = p.be_u16(6)?;
    header_line(ctx, p, 0, "\n\t")?;
    if (plen as usize) < COMMON_HDR {
        pr!(
            ctx,
            "ERROR: common header too short {} < {}",
            plen,
            COMMON_HDR
        );
        return Ok(());
    }
    let mut t = COMMON_HDR;
    let mut tlen = plen - COMMON_HDR as u16;
    match msg_type {
        MSGTYPE_BUNDLE => {
            // Sub-messages, each with its own header (RFC 2961 section 3.3); never nested.
            while tlen > 0 {
                let sub = t;
                if !p.has(sub, COMMON_HDR) {
                    ctx.print_trunc();
                    return Ok(());
                }
                let v = p[sub] >> 4;
                if v != RSVP_VERSION {
                    pr!(ctx, "ERROR: RSVP version {} packet not supported", v);
                    return Ok(());
                }
                let sublen = p.be_u16(sub + 6)?;
                header_line(ctx, p, sub, "\n\t  ")?;
                if (sublen as usize) < COMMON_HDR {
                    pr!(
                        ctx,
                        "ERROR: common header too short {} < {}",
                        sublen,
                        COMMON_HDR
                    );
                    return Ok(());
                }
                if tlen < sublen {
                    pr!(ctx, "ERROR: common header too large {} > {}", sublen, tlen);
                    return Ok(());
                }
                let objs = sublen - COMMON_HDR as u16;
                if !objects(ctx, p, sub + COMMON_HDR, "\n\t    ", objs as u32)? {
                    return Ok(());
                }
                t += sublen as usize;
                tlen -= sublen;
            }
        }
        MSGTYPE_PATH | MSGTYPE_RESV | MSGTYPE_PATHERR | MSGTYPE_RESVERR | MSGTYPE_PATHTEAR
        | MSGTYPE_RESVTEAR | MSGTYPE_RESVCONF | MSGTYPE_HELLO_OLD | MSGTYPE_HELLO | MSGTYPE_ACK
        | MSGTYPE_SREFRESH => {
            objects(ctx, p, t, "\n\t  ", tlen as u32)?;
        }
        _ => {
            print_unknown_data_at(ctx, p, t, "\n\t    ", tlen as usize);
        }
    }
    Ok(())
}

/// The verbose line of a (sub-)message header at `h`.
fn header_line(ctx: &mut Ctx, p: &[u8], h: usize, lead: &str) -> PResult {
    let (vf, ty) = (p.u8_at(h)?, p.u8_at(h + 1)?);
    let (len, ttl, cksum) = (p.be_u16(h + 6)?, p.u8_at(h + 4)?, p.be_u16(h + 2)?);
    pr!(ctx, "{}RSVPv{} ", lead, vf >> 4);
    tok2str(ctx.out, MSG_TYPE_VALUES, "unknown, type: {}", ty as u32);
    pr!(ctx, " Message ({}), Flags: [", ty);
    bittok2str(
        ctx.out,
        HEADER_FLAG_VALUES,
        "none",
        (vf & 0x0f) as u32,
        ", ",
    );
    pr!(
        ctx,
        "], length: {}, ttl: {}, checksum: 0x{:04x}",
        len,
        ttl,
        cksum
    );
    Ok(())
}

/// How an object's decoding ended early.
enum ObjStop {
    TooShort,
    SubobjTooShort,
    Invalid,
    Trunc,
    /// Already reported.
    Quiet,
}

/// The objects from `t` on, `tlen` octets. Returns false when an error ended the walk.
fn objects(ctx: &mut Ctx, p: &[u8], t0: usize, indent: &str, tlen: u32) -> PResult<bool> {
    let mut t = t0;
    let mut tlen = tlen;
    while tlen >= OBJ_HDR as u32 {
        if !p.has(t, OBJ_HDR) {
            ctx.print_trunc();
            return Ok(false);
        }
        let obj_len = p.be_u16(t)?;
        let ctype = p[t + 3];
        if !obj_len.is_multiple_of(4) {
            pr!(
                ctx,
                "{}ERROR: object header size {} not a multiple of 4",
                indent,
                obj_len
            );
            return Ok(false);
        }
        if (obj_len as usize) < OBJ_HDR {
            pr!(
                ctx,
                "{}ERROR: object header too short {} < {}",
                indent,
                obj_len,
                OBJ_HDR
            );
            return Ok(false);
        }
        let class = p[t + 2];
        pr!(
            ctx,
            "{}{} Object ({}) Flags: [{}",
            indent,
            tok(OBJ_VALUES, class as u32).unwrap_or("Unknown"),
            class,
            // RFC 2205 section 3.10: the top two bits say what to do with an unknown class.
            if class & 0x80 != 0 {
                if class & 0x40 != 0 {
                    "ignore and forward"
                } else {
                    "ignore silently"
                }
            } else {
                "reject"
            }
        );
        pr!(
            ctx,
            " if unknown], Class-Type: {} ({}), length: {}",
            tok(CTYPE_VALUES, ((class as u32) << 8) + ctype as u32).unwrap_or("Unknown"),
            ctype,
            obj_len
        );
        if tlen < obj_len as u32 {
            pr!(ctx, "{}ERROR: object goes past end of objects TLV", indent);
            return Ok(false);
        }
        if !p.has(t, obj_len as usize) {
            ctx.print_trunc();
            return Ok(false);
        }
        let v = t + OBJ_HDR;
        let vlen = obj_len as u32 - OBJ_HDR as u32;
        match object(ctx, p, v, class, ctype, vlen, indent)? {
            Ok(hexdump) => {
                if ctx.vflag() > 1 || hexdump {
                    print_unknown_data_at(ctx, p, v, "\n\t    ", vlen as usize);
                }
            }
            Err(stop) => {
                match stop {
                    ObjStop::TooShort => pr!(ctx, "{}ERROR: object is too short", indent),
                    ObjStop::SubobjTooShort => {
                        pr!(ctx, "{}ERROR: sub-object is too short", indent)
                    }
                    ObjStop::Invalid => ctx.print_invalid(),
                    ObjStop::Trunc => ctx.print_trunc(),
                    ObjStop::Quiet => {}
                }
                return Ok(false);
            }
        }
        t += obj_len as usize;
        tlen -= obj_len as u32;
    }
    Ok(true)
}

/// One object's value at `o`, `len` octets, all captured. `Ok(Ok(true))` asks for a hex
/// dump of the value.
fn object(
    ctx: &mut Ctx,
    p: &[u8],
    o: usize,
    class: u8,
    ctype: u8,
    len: u32,
    indent: &str,
) -> PResult<Result<bool, ObjStop>> {
    macro_rules! need {
        ($n:expr) => {
            if len < $n {
                return Ok(Err(ObjStop::TooShort));
            }
        };
    }
    let ip4 = |off: usize| -> PResult<Ip<'_>> { Ok(Ip(p.sub(off, 4)?)) };
    let ip6 = |off: usize| -> PResult<Ip<'_>> { Ok(Ip(p.sub(off, 16)?)) };
    let i = indent;
    match (class, ctype) {
        (OBJ_SESSION, CTYPE_IPV4) => {
            need!(8);
            pr!(
                ctx,
                "{i}  IPv4 DestAddress: {}, Protocol ID: 0x{:02x}",
                ip4(o)?,
                p.u8_at(o + 4)?
            );
            pr!(
                ctx,
                "{i}  Flags: [0x{:02x}], DestPort {}",
                p.u8_at(o + 5)?,
                p.be_u16(o + 6)?
            );
        }
        (OBJ_SESSION, CTYPE_IPV6) => {
            need!(20);
            pr!(
                ctx,
                "{i}  IPv6 DestAddress: {}, Protocol ID: 0x{:02x}",
                ip6(o)?,
                p.u8_at(o + 16)?
            );
            pr!(
                ctx,
                "{i}  Flags: [0x{:02x}], DestPort {}",
                p.u8_at(o + 17)?,
                p.be_u16(o + 18)?
            );
        }
        (OBJ_SESSION, CTYPE_TUNNEL_IPV6) => {
            need!(36);
            pr!(
                ctx,
                "{i}  IPv6 Tunnel EndPoint: {}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {}",
                ip6(o)?,
                p.be_u16(o + 18)?,
                ip6(o + 20)?
            );
        }
        (OBJ_SESSION, CTYPE_14) => {
            need!(26);
            pr!(
                ctx,
                "{i}  IPv6 P2MP LSP ID: 0x{:08x}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {}",
                p.be_u32(o)?,
                p.be_u16(o + 6)?,
                ip6(o + 8)?
            );
        }
        (OBJ_SESSION, CTYPE_13) => {
            need!(12);
            pr!(
                ctx,
                "{i}  IPv4 P2MP LSP ID: {}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {}",
                ip4(o)?,
                p.be_u16(o + 6)?,
                ip4(o + 8)?
            );
        }
        (OBJ_SESSION, CTYPE_TUNNEL_IPV4 | CTYPE_UNI_IPV4) => {
            need!(12);
            pr!(
                ctx,
                "{i}  IPv4 Tunnel EndPoint: {}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {}",
                ip4(o)?,
                p.be_u16(o + 6)?,
                ip4(o + 8)?
            );
        }
        (OBJ_CONFIRM, CTYPE_IPV4) => {
            need!(4);
            pr!(ctx, "{i}  IPv4 Receiver Address: {}", ip4(o)?);
        }
        (OBJ_CONFIRM, CTYPE_IPV6) => {
            need!(16);
            pr!(ctx, "{i}  IPv6 Receiver Address: {}", ip6(o)?);
        }
        (OBJ_NOTIFY_REQ, CTYPE_IPV4) => {
            need!(4);
            pr!(ctx, "{i}  IPv4 Notify Node Address: {}", ip4(o)?);
        }
        (OBJ_NOTIFY_REQ, CTYPE_IPV6) => {
            need!(16);
            pr!(ctx, "{i}  IPv6 Notify Node Address: {}", ip6(o)?);
        }
        (
            OBJ_SUGGESTED_LABEL | OBJ_UPSTREAM_LABEL | OBJ_RECOVERY_LABEL | OBJ_LABEL,
            CTYPE_1 | CTYPE_2 | CTYPE_3,
        ) => match ctype {
            CTYPE_1 => {
                let mut off = o;
                let mut n = len;
                while n >= 4 {
                    pr!(ctx, "{i}  Label: {}", p.be_u32(off)?);
                    off += 4;
                    n -= 4;
                }
            }
            CTYPE_2 => {
                need!(4);
                pr!(ctx, "{i}  Generalized Label: {}", p.be_u32(o)?);
            }
            _ => {
                need!(12);
                pr!(
                    ctx,
                    "{i}  Waveband ID: {}{i}  Start Label: {}, Stop Label: {}",
                    p.be_u32(o)?,
                    p.be_u32(o + 4)?,
                    p.be_u32(o + 8)?
                );
            }
        },
        (OBJ_STYLE, CTYPE_1) => {
            need!(4);
            pr!(
                ctx,
                "{i}  Reservation Style: {}, Flags: [0x{:02x}]",
                tok(RESSTYLE_VALUES, p.be_u24(o + 1)?).unwrap_or("Unknown"),
                p.u8_at(o)?
            );
        }
        (OBJ_SENDER_TEMPLATE | OBJ_FILTERSPEC, CTYPE_IPV4) => {
            need!(8);
            pr!(
                ctx,
                "{i}  Source Address: {}, Source Port: {}",
                ip4(o)?,
                p.be_u16(o + 6)?
            );
        }
        (OBJ_SENDER_TEMPLATE | OBJ_FILTERSPEC, CTYPE_IPV6) => {
            need!(20);
            pr!(
                ctx,
                "{i}  Source Address: {}, Source Port: {}",
                ip6(o)?,
                p.be_u16(o + 18)?
            );
        }
        (OBJ_SENDER_TEMPLATE | OBJ_FILTERSPEC, CTYPE_13) => {
            need!(40);
            pr!(
                ctx,
                "{i}  IPv6 Tunnel Sender Address: {}, LSP ID: 0x{:04x}\
                 {i}  Sub-Group Originator ID: {}, Sub-Group ID: 0x{:04x}",
                ip6(o)?,
                p.be_u16(o + 18)?,
                ip6(o + 20)?,
                p.be_u16(o + 38)?
            );
        }
        (OBJ_SENDER_TEMPLATE, CTYPE_TUNNEL_IPV4) => {
            need!(8);
            pr!(
                ctx,
                "{i}  IPv4 Tunnel Sender Address: {}, LSP-ID: 0x{:04x}",
                ip4(o)?,
                p.be_u16(o + 6)?
            );
        }
        (OBJ_SENDER_TEMPLATE | OBJ_FILTERSPEC, CTYPE_12) => {
            need!(16);
            pr!(
                ctx,
                "{i}  IPv4 Tunnel Sender Address: {}, LSP ID: 0x{:04x}\
                 {i}  Sub-Group Originator ID: {}, Sub-Group ID: 0x{:04x}",
                ip4(o)?,
                p.be_u16(o + 6)?,
                ip4(o + 8)?,
                p.be_u16(o + 12)?
            );
        }
        (OBJ_FILTERSPEC, CTYPE_3) => {
            need!(20);
            pr!(
                ctx,
                "{i}  Source Address: {}, Flow Label: {}",
                ip6(o)?,
                p.be_u24(o + 17)?
            );
        }
        (OBJ_FILTERSPEC, CTYPE_TUNNEL_IPV6) => {
            need!(20);
            // sic: tcpdump prints an IPv4 address here.
            pr!(
                ctx,
                "{i}  Source Address: {}, LSP-ID: 0x{:04x}",
                ip4(o)?,
                p.be_u16(o + 18)?
            );
        }
        (OBJ_FILTERSPEC, CTYPE_TUNNEL_IPV4) => {
            need!(8);
            pr!(
                ctx,
                "{i}  Source Address: {}, LSP-ID: 0x{:04x}",
                ip4(o)?,
                p.be_u16(o + 6)?
            );
        }
        (OBJ_LABEL_REQ, CTYPE_1..=CTYPE_4) => {
            let l3 = |ctx: &mut Ctx, off: usize| -> PResult {
                let et = p.be_u16(off)? as u32;
                pr!(ctx, "{i}  L3 Protocol ID: ");
                tok2str(ctx.out, ETHERTYPE_VALUES, "Unknown Protocol (0x{:04x})", et);
                Ok(())
            };
            match ctype {
                CTYPE_1 => {
                    let mut off = o;
                    let mut n = len;
                    while n >= 4 {
                        l3(ctx, off + 2)?;
                        off += 4;
                        n -= 4;
                    }
                }
                CTYPE_2 => {
                    need!(12);
                    l3(ctx, o + 2)?;
                    pr!(
                        ctx,
                        ",{} merge capability",
                        if p.u8_at(o + 4)? & 0x80 != 0 {
                            "no"
                        } else {
                            ""
                        }
                    );
                    pr!(
                        ctx,
                        "{i}  Minimum VPI/VCI: {}/{}",
                        p.be_u16(o + 4)? & 0xfff,
                        p.be_u16(o + 6)? & 0xfff
                    );
                    pr!(
                        ctx,
                        "{i}  Maximum VPI/VCI: {}/{}",
                        p.be_u16(o + 8)? & 0xfff,
                        p.be_u16(o + 10)? & 0xfff
                    );
                }
                CTYPE_3 => {
                    need!(12);
                    l3(ctx, o + 2)?;
                    let dlci_len = (p.be_u16(o + 4)? >> 7) & 3;
                    pr!(
                        ctx,
                        "{i}  Minimum/Maximum DLCI: {}/{}, {}{} bit DLCI",
                        p.be_u32(o + 4)? & 0x7fffff,
                        p.be_u32(o + 8)? & 0x7fffff,
                        if dlci_len == 0 { "10" } else { "" },
                        if dlci_len == 2 { "23" } else { "" }
                    );
                }
                _ => {
                    need!(4);
                    let enc = p.u8_at(o)?;
                    pr!(
                        ctx,
                        "{i}  LSP Encoding Type: {} ({})",
                        tok(gmpls::ENCODING_VALUES, enc as u32).unwrap_or("Unknown"),
                        enc
                    );
                    let sw = p.u8_at(o + 1)?;
                    let gpid = p.be_u16(o + 2)?;
                    pr!(
                        ctx,
                        "{i}  Switching Type: {} ({}), Payload ID: {} (0x{:04x})",
                        tok(gmpls::SWITCH_CAP_VALUES, sw as u32).unwrap_or("Unknown"),
                        sw,
                        tok(gmpls::PAYLOAD_VALUES, gpid as u32).unwrap_or("Unknown"),
                        gpid
                    );
                }
            }
        }
        (OBJ_RRO | OBJ_ERO, CTYPE_IPV4) => {
            let mut off = o;
            let mut n = len;
            while n >= 4 {
                if !p.has(off, 4) {
                    return Ok(Err(ObjStop::Trunc));
                }
                let sub = p[off];
                let slen = p[off + 1] as u32;
                pr!(ctx, "{i}  Subobject Type: ");
                tok2str(ctx.out, XRO_VALUES, "Unknown {}", (sub & 0x7f) as u32);
                pr!(ctx, ", length {}", slen);
                if n < slen {
                    pr!(ctx, "{i}  ERROR: ERO subobject length > object length");
                    break;
                }
                if slen == 0 {
                    pr!(ctx, "{i}  ERROR: zero length ERO subtype");
                    break;
                }
                match sub & 0x7f {
                    XRO_IPV4 => {
                        if slen != 8 {
                            ctx.push(" ERROR: length != 8");
                            return Ok(Err(ObjStop::Invalid));
                        }
                        if !p.has(off, 8) {
                            return Ok(Err(ObjStop::Trunc));
                        }
                        let plen = p[off + 6];
                        if plen != 32 {
                            pr!(ctx, " ERROR: Prefix length {} != 32", plen);
                            return Ok(Err(ObjStop::Invalid));
                        }
                        pr!(
                            ctx,
                            ", {}, {}/{}, Flags: [",
                            if sub & 0x80 != 0 { "Loose" } else { "Strict" },
                            ip4(off + 2)?,
                            plen
                        );
                        bittok2str(ctx.out, RRO_FLAG_VALUES, "none", p[off + 7] as u32, ", ");
                        ctx.push("]");
                    }
                    XRO_LABEL => {
                        if slen != 8 {
                            ctx.push(" ERROR: length != 8");
                            return Ok(Err(ObjStop::Invalid));
                        }
                        if !p.has(off, 8) {
                            return Ok(Err(ObjStop::Trunc));
                        }
                        let (f, ct) = (p[off + 2], p[off + 3]);
                        ctx.push(", Flags: [");
                        bittok2str(ctx.out, RRO_LABEL_FLAG_VALUES, "none", f as u32, ", ");
                        pr!(
                            ctx,
                            "] ({}), Class-Type: {} ({}), {}",
                            alt_hex(f),
                            tok(CTYPE_VALUES, ct as u32 + 256 * OBJ_RRO as u32)
                                .unwrap_or("Unknown"),
                            ct,
                            p.be_u32(off + 4)?
                        );
                    }
                    _ => {}
                }
                n -= slen;
                off += slen as usize;
            }
        }
        (OBJ_HELLO, CTYPE_1 | CTYPE_2) => {
            need!(8);
            pr!(
                ctx,
                "{i}  Source Instance: 0x{:08x}, Destination Instance: 0x{:08x}",
                p.be_u32(o)?,
                p.be_u32(o + 4)?
            );
        }
        (OBJ_RESTART_CAPABILITY, CTYPE_1) => {
            need!(8);
            pr!(
                ctx,
                "{i}  Restart  Time: {}ms, Recovery Time: {}ms",
                p.be_u32(o)?,
                p.be_u32(o + 4)?
            );
        }
        (OBJ_CAPABILITY, CTYPE_1) => {
            need!(4);
            let v = p.be_u32(o)?;
            if v & !7 != 0 {
                pr!(ctx, "{i}  [reserved=0x{:08x} must be zero]", v & !7);
            }
            pr!(ctx, "{i}  Flags: [");
            bittok2str(ctx.out, CAPABILITY_FLAG_VALUES, "none", v & 7, ", ");
            ctx.push("]");
        }
        (OBJ_SESSION_ATTRIBUTE, CTYPE_TUNNEL_IPV4) => {
            need!(4);
            let namelen = p.u8_at(o + 3)? as u32;
            need!(4 + namelen);
            pr!(ctx, "{i}  Session Name: ");
            for k in 0..namelen as usize {
                let c = p.u8_at(o + 4 + k)?;
                push_char(ctx.out, c);
            }
            let (setup, hold, f) = (p.u8_at(o)?, p.u8_at(o + 1)?, p.u8_at(o + 2)?);
            pr!(
                ctx,
                "{i}  Setup Priority: {}, Holding Priority: {}, Flags: [",
                setup,
                hold
            );
            bittok2str(
                ctx.out,
                SESSION_ATTRIBUTE_FLAG_VALUES,
                "none",
                f as u32,
                ", ",
            );
            pr!(ctx, "] ({})", alt_hex(f));
        }
        (OBJ_GENERALIZED_UNI, CTYPE_1) => return generalized_uni(ctx, p, o, len, i),
        (OBJ_RSVP_HOP, CTYPE_3 | CTYPE_IPV4) => {
            need!(8);
            pr!(
                ctx,
                "{i}  Previous/Next Interface: {}, Logical Interface Handle: 0x{:08x}",
                ip4(o)?,
                p.be_u32(o + 4)?
            );
            // The TLVs of C-types 3 and 4 (RFC 3473 section 9.1.2) are only dumped.
            return Ok(Ok(len > 8));
        }
        (OBJ_RSVP_HOP, CTYPE_4 | CTYPE_IPV6) => {
            need!(20);
            pr!(
                ctx,
                "{i}  Previous/Next Interface: {}, Logical Interface Handle: 0x{:08x}",
                ip6(o)?,
                p.be_u32(o + 16)?
            );
            return Ok(Ok(true));
        }
        (OBJ_TIME_VALUES, CTYPE_1) => {
            need!(4);
            pr!(ctx, "{i}  Refresh Period: {}ms", p.be_u32(o)?);
        }
        (OBJ_SENDER_TSPEC | OBJ_ADSPEC | OBJ_FLOWSPEC, CTYPE_2) => {
            need!(4);
            pr!(
                ctx,
                "{i}  Msg-Version: {}, length: {}",
                (p.u8_at(o)? & 0xf0) >> 4,
                (p.be_u16(o + 2)? as u32) << 2
            );
            let mut off = o + 4;
            let mut n = len - 4;
            while n >= 4 {
                let mut serv_len = (p.be_u16(off + 2)? as u32) << 2;
                let st = p.u8_at(off)?;
                pr!(
                    ctx,
                    "{i}  Service Type: {} ({}), break bit {}set, Service length: {}",
                    tok(INTSERV_SERVICE_TYPE_VALUES, st as u32).unwrap_or("unknown"),
                    st,
                    if p.u8_at(off + 1)? & 0x80 != 0 {
                        ""
                    } else {
                        "not "
                    },
                    serv_len
                );
                off += 4;
                n -= 4;
                while serv_len >= 4 {
                    let done = intserv(ctx, p, off, n)?;
                    if done == 0 {
                        break;
                    }
                    n -= done;
                    // Unsigned as in tcpdump: a parameter longer than the service wraps it.
                    serv_len = serv_len.wrapping_sub(done);
                    off += done as usize;
                }
            }
        }
        (OBJ_FASTREROUTE, CTYPE_1 | CTYPE_TUNNEL_IPV4) => {
            let new_style = ctype == CTYPE_1;
            need!(if new_style { 20 } else { 16 });
            let bw = float_at(p, o + 4)? * 8.0 / 1_000_000.0;
            pr!(
                ctx,
                "{i}  Setup Priority: {}, Holding Priority: {}, Hop-limit: {}, Bandwidth: {} Mbps",
                p[o],
                p[o + 1],
                p[o + 2],
                fmt_g(bw as f64, 10)
            );
            if new_style {
                pr!(
                    ctx,
                    "{i}  Include-any: 0x{:08x}, Exclude-any: 0x{:08x}, Include-all: 0x{:08x}",
                    p.be_u32(o + 8)?,
                    p.be_u32(o + 12)?,
                    p.be_u32(o + 16)?
                );
            } else {
                pr!(
                    ctx,
                    "{i}  Include Colors: 0x{:08x}, Exclude Colors: 0x{:08x}",
                    p.be_u32(o + 8)?,
                    p.be_u32(o + 12)?
                );
            }
        }
        (OBJ_DETOUR, CTYPE_TUNNEL_IPV4) => {
            let mut off = o;
            let mut n = len;
            while n >= 8 {
                pr!(
                    ctx,
                    "{i}  PLR-ID: {}, Avoid-Node-ID: {}",
                    ip4(off)?,
                    ip4(off + 4)?
                );
                off += 8;
                n -= 8;
            }
        }
        (OBJ_CLASSTYPE | OBJ_CLASSTYPE_OLD, CTYPE_1) => {
            need!(4);
            pr!(ctx, "{i}  CT: {}", p.be_u32(o)? & 0x7);
        }
        (OBJ_ERROR_SPEC, CTYPE_3 | CTYPE_IPV4 | CTYPE_4 | CTYPE_IPV6) => {
            let v6 = matches!(ctype, CTYPE_4 | CTYPE_IPV6);
            let a = if v6 { 16 } else { 4 };
            need!(a as u32 + 4);
            let code = p.u8_at(o + a + 1)?;
            let value = p.be_u16(o + a + 2)?;
            pr!(
                ctx,
                "{i}  Error Node Address: {}, Flags: [0x{:02x}]{i}  Error Code: {} ({})",
                Ip(p.sub(o, a)?),
                p.u8_at(o + a)?,
                tok(ERROR_CODE_VALUES, code as u32).unwrap_or("unknown"),
                code
            );
            match code {
                ERROR_CODE_ROUTING => pr!(
                    ctx,
                    ", Error Value: {} ({})",
                    tok(ERROR_CODE_ROUTING_VALUES, value as u32).unwrap_or("unknown"),
                    value
                ),
                // tcpdump names the DiffServ-TE values for IPv4 error nodes only.
                ERROR_CODE_DIFFSERV_TE | ERROR_CODE_DIFFSERV_TE_OLD if !v6 => pr!(
                    ctx,
                    ", Error Value: {} ({})",
                    tok(ERROR_CODE_DIFFSERV_TE_VALUES, value as u32).unwrap_or("unknown"),
                    value
                ),
                _ if !v6 => pr!(ctx, ", Unknown Error Value ({})", value),
                _ => {}
            }
        }
        (OBJ_PROPERTIES, CTYPE_1) => {
            need!(4);
            let pad = p.be_u16(o + 2)? as u32;
            pr!(
                ctx,
                "{i}  TLV count: {}, padding bytes: {}",
                p.be_u16(o)?,
                pad
            );
            let mut off = o + 4;
            let mut n = len - 4;
            while n >= 2 + pad {
                let (ty, tl) = (p.u8_at(off)?, p.u8_at(off + 1)? as u32);
                pr!(
                    ctx,
                    "{i}    {} TLV (0x{:02x}), length: {}",
                    tok(PROP_TLV_VALUES, ty as u32).unwrap_or("unknown"),
                    ty,
                    tl
                );
                if n < tl {
                    return Ok(Err(ObjStop::TooShort));
                }
                if tl < 2 {
                    pr!(ctx, "{i}ERROR: property TLV is too short");
                    return Ok(Err(ObjStop::Quiet));
                }
                print_unknown_data_at(ctx, p, off + 2, "\n\t\t", tl as usize - 2);
                n -= tl;
                off += tl as usize;
            }
        }
        (OBJ_MESSAGE_ID | OBJ_MESSAGE_ID_ACK | OBJ_MESSAGE_ID_LIST, CTYPE_1 | CTYPE_2) => {
            need!(4);
            pr!(
                ctx,
                "{i}  Flags [0x{:02x}], epoch: {}",
                p.u8_at(o)?,
                p.be_u24(o + 1)?
            );
            let mut off = o + 4;
            let mut n = len - 4;
            while n >= 4 {
                let id = p.be_u32(off)?;
                pr!(ctx, "{i}    Message-ID 0x{:08x} ({})", id, id);
                off += 4;
                n -= 4;
            }
        }
        (OBJ_INTEGRITY, CTYPE_1) => {
            // Flags, reserved, 48-bit key ID, 64-bit sequence number, 128-bit digest.
            need!(32);
            pr!(
                ctx,
                "{i}  Key-ID 0x{:04x}{:08x}, Sequence 0x{:08x}{:08x}, Flags [",
                p.be_u16(o + 2)?,
                p.be_u32(o + 4)?,
                p.be_u32(o + 8)?,
                p.be_u32(o + 12)?
            );
            bittok2str(ctx.out, INTEGRITY_FLAG_VALUES, "none", p[o] as u32, ", ");
            pr!(
                ctx,
                "]{i}  MD5-sum 0x{:08x}{:08x}{:08x}{:08x} ",
                p.be_u32(o + 16)?,
                p.be_u32(o + 20)?,
                p.be_u32(o + 24)?,
                p.be_u32(o + 28)?
            );
            // Checking the digest needs the shared key (tcpdump's -M), not supported.
            ctx.push(" (unchecked)");
        }
        (OBJ_ADMIN_STATUS, CTYPE_1) => {
            need!(4);
            pr!(ctx, "{i}  Flags [");
            bittok2str(
                ctx.out,
                ADMIN_STATUS_FLAG_VALUES,
                "none",
                p.be_u32(o)?,
                ", ",
            );
            ctx.push("]");
        }
        (OBJ_LABEL_SET, CTYPE_1) => {
            need!(4);
            let action = (p.be_u16(o)? >> 8) as u32;
            pr!(
                ctx,
                "{i}  Action: {} ({}), Label type: {}",
                tok(LABEL_SET_ACTION_VALUES, action).unwrap_or("Unknown"),
                action,
                p.be_u32(o)? & 0x7f
            );
            if matches!(
                action,
                LABEL_SET_INCLUSIVE_RANGE | LABEL_SET_EXCLUSIVE_RANGE
            ) {
                need!(12);
                pr!(
                    ctx,
                    "{i}  Start range: {}, End range: {}",
                    p.be_u32(o + 4)?,
                    p.be_u32(o + 8)?
                );
            } else {
                let mut off = o + 4;
                let mut n = len - 4;
                let mut sub = 1;
                while n >= 4 {
                    pr!(ctx, "{i}  Subchannel #{}: {}", sub, p.be_u32(off)?);
                    off += 4;
                    n -= 4;
                    sub += 1;
                }
            }
        }
        (OBJ_S2L, CTYPE_IPV4) => {
            need!(4);
            pr!(ctx, "{i}  Sub-LSP destination address: {}", ip4(o)?);
        }
        (OBJ_S2L, CTYPE_IPV6) => {
            need!(16);
            pr!(ctx, "{i}  Sub-LSP destination address: {}", ip6(o)?);
        }
        // A known class with a C-type that has no decoder: dump it.
        (
            OBJ_SESSION
            | OBJ_CONFIRM
            | OBJ_NOTIFY_REQ
            | OBJ_SUGGESTED_LABEL
            | OBJ_UPSTREAM_LABEL
            | OBJ_RECOVERY_LABEL
            | OBJ_LABEL
            | OBJ_STYLE
            | OBJ_SENDER_TEMPLATE
            | OBJ_LABEL_REQ
            | OBJ_RRO
            | OBJ_ERO
            | OBJ_HELLO
            | OBJ_RESTART_CAPABILITY
            | OBJ_CAPABILITY
            | OBJ_SESSION_ATTRIBUTE
            | OBJ_GENERALIZED_UNI
            | OBJ_RSVP_HOP
            | OBJ_TIME_VALUES
            | OBJ_SENDER_TSPEC
            | OBJ_ADSPEC
            | OBJ_FLOWSPEC
            | OBJ_FILTERSPEC
            | OBJ_FASTREROUTE
            | OBJ_DETOUR
            | OBJ_CLASSTYPE
            | OBJ_CLASSTYPE_OLD
            | OBJ_ERROR_SPEC
            | OBJ_PROPERTIES
            | OBJ_MESSAGE_ID
            | OBJ_MESSAGE_ID_ACK
            | OBJ_MESSAGE_ID_LIST
            | OBJ_INTEGRITY
            | OBJ_ADMIN_STATUS
            | OBJ_LABEL_SET
            | OBJ_S2L,
            _,
        ) => return Ok(Ok(true)),
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data_at(ctx, p, o, "\n\t    ", len as usize);
            }
        }
    }
    Ok(Ok(false))
}

/// The generalized UNI object's sub-objects (OIF UNI 1.0 section 12.5.2.3).
fn generalized_uni(
    ctx: &mut Ctx,
    p: &[u8],
    o: usize,
    len: u32,
    i: &str,
) -> PResult<Result<bool, ObjStop>> {
    if len < 4 {
        return Ok(Err(ObjStop::TooShort));
    }
    let mut hexdump = false;
    let mut off = o;
    let mut total = len;
    // tcpdump adds each sub-object's length to the object's remaining length instead of
    // taking it off; the check against it below keeps that behaviour.
    let mut obj_tlen = len;
    while total > 0 {
        if total < 4 {
            return Ok(Err(ObjStop::Invalid));
        }
        let slen = p.be_u16(off)? as u32;
        let ty = (p.be_u16(off + 2)? >> 8) as u32;
        let af = (p.be_u16(off + 2)? & 0xff) as u32;
        pr!(
            ctx,
            "{i}  Subobject Type: {} ({}), AF: {} ({}), length: {}",
            tok(GENERALIZED_UNI_VALUES, ty).unwrap_or("Unknown"),
            ty,
            tok(AF_VALUES, af).unwrap_or("Unknown"),
            af,
            slen
        );
        if slen < 4 || slen > total || obj_tlen < slen {
            return Ok(Err(ObjStop::Invalid));
        }
        match ty {
            GEN_UNI_SOURCE_TNA_ADDRESS | GEN_UNI_DESTINATION_TNA_ADDRESS => match af {
                a if a == AFNUM_INET as u32 => {
                    if slen < 8 {
                        return Ok(Err(ObjStop::SubobjTooShort));
                    }
                    pr!(
                        ctx,
                        "{i}    UNI IPv4 TNA address: {}",
                        Ip(p.sub(off + 4, 4)?)
                    );
                }
                a if a == AFNUM_INET6 as u32 => {
                    if slen < 20 {
                        return Ok(Err(ObjStop::SubobjTooShort));
                    }
                    pr!(
                        ctx,
                        "{i}    UNI IPv6 TNA address: {}",
                        Ip(p.sub(off + 4, 16)?)
                    );
                }
                AFNUM_NSAP => hexdump = true,
                _ => {}
            },
            GEN_UNI_DIVERSITY => {
                if slen > 4 {
                    hexdump = true;
                }
            }
            GEN_UNI_EGRESS_LABEL => {
                if slen < 16 {
                    return Ok(Err(ObjStop::SubobjTooShort));
                }
                let v = p.be_u32(off + 4)?;
                pr!(
                    ctx,
                    "{i}    U-bit: {:x}, Label type: {}, Logical port id: {}, Label: {}",
                    v >> 31,
                    v & 0xff,
                    p.be_u32(off + 8)?,
                    p.be_u32(off + 12)?
                );
            }
            GEN_UNI_SERVICE_LEVEL => {
                if slen < 8 {
                    return Ok(Err(ObjStop::SubobjTooShort));
                }
                pr!(ctx, "{i}    Service level: {}", p.be_u32(off + 4)? >> 24);
            }
            _ => hexdump = true,
        }
        total -= slen;
        off += slen as usize;
        obj_tlen = obj_tlen.wrapping_add(slen);
    }
    Ok(Ok(hexdump))
}

/// One IntServ parameter (RFC 2210 section 3, RFC 2212, RFC 2215) at `t` with `obj_tlen`
/// octets left in the object; returns its length with the header, 0 to stop.
fn intserv(ctx: &mut Ctx, p: &[u8], t: usize, obj_tlen: u32) -> PResult<u32> {
    if obj_tlen < 4 {
        return Ok(0);
    }
    let id = p.u8_at(t)?;
    let plen = (p.be_u16(t + 2)? as u32) << 2;
    pr!(
        ctx,
        "\n\t      Parameter ID: {} ({}), length: {}, Flags: [0x{:02x}]",
        tok(INTSERV_PARAMETER_ID_VALUES, id as u32).unwrap_or("unknown"),
        id,
        plen,
        p.u8_at(t + 1)?
    );
    if obj_tlen < plen + 4 {
        return Ok(0);
    }
    let mbps = |f: f32| fmt_g((f / 125000.0) as f64, 10);
    match id {
        4 if plen == 4 => pr!(ctx, "\n\t\tIS hop count: {}", p.be_u32(t + 4)?),
        6 if plen == 4 => pr!(
            ctx,
            "\n\t\tPath b/w estimate: {} Mbps",
            mbps(float_at(p, t + 4)?)
        ),
        8 if plen == 4 => {
            ctx.push("\n\t\tMinimum path latency: ");
            match p.be_u32(t + 4)? {
                0xffff_ffff => ctx.push("don't care"),
                v => pr!(ctx, "{}", v),
            }
        }
        10 if plen == 4 => pr!(ctx, "\n\t\tComposed MTU: {} bytes", p.be_u32(t + 4)?),
        127 if plen == 20 => {
            if !p.has(t + 4, 20) {
                ctx.print_trunc();
                return Ok(0);
            }
            pr!(
                ctx,
                "\n\t\tToken Bucket Rate: {} Mbps",
                mbps(float_at(p, t + 4)?)
            );
            pr!(
                ctx,
                "\n\t\tToken Bucket Size: {} bytes",
                fmt_g(float_at(p, t + 8)? as f64, 10)
            );
            pr!(
                ctx,
                "\n\t\tPeak Data Rate: {} Mbps",
                mbps(float_at(p, t + 12)?)
            );
            pr!(
                ctx,
                "\n\t\tMinimum Policed Unit: {} bytes",
                p.be_u32(t + 16)?
            );
            pr!(
                ctx,
                "\n\t\tMaximum Packet Size: {} bytes",
                p.be_u32(t + 20)?
            );
        }
        130 if plen == 8 => {
            if !p.has(t + 4, 8) {
                ctx.print_trunc();
                return Ok(0);
            }
            pr!(ctx, "\n\t\tRate: {} Mbps", mbps(float_at(p, t + 4)?));
            pr!(ctx, "\n\t\tSlack Term: {}", p.be_u32(t + 8)?);
        }
        133..=136 if plen == 4 => pr!(ctx, "\n\t\tValue: {}", p.be_u32(t + 4)?),
        4 | 6 | 8 | 10 | 127 | 130 | 133..=136 => {}
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data_at(ctx, p, t + 4, "\n\t\t", plen as usize);
            }
        }
    }
    Ok(plen + 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], v: u8) -> String {
        run_marked(&opts(v, false), |ctx| rsvp_print(ctx, p, p.len() as u32))
    }

    // A Path message for an LSP tunnel: session, hop, time values, label request, session
    // attribute "t1", sender template and a token bucket TSpec.
    const PATH: &[u8] = &[
        0x10, 0x01, 0x00, 0x00, 0x40, 0x00, 0x00, 0x70, // header
        0x00, 0x10, 0x01, 0x07, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00,
        0x01, // session
        0x00, 0x0c, 0x03, 0x01, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, // hop
        0x00, 0x08, 0x05, 0x01, 0x00, 0x00, 0x75, 0x30, // time values
        0x00, 0x08, 0x13, 0x01, 0x00, 0x00, 0x08, 0x00, // label request
        0x00, 0x0c, 0xcf, 0x07, 0x07, 0x07, 0x00, 0x02, b't', b'1', 0x00, 0x00, // attr
        0x00, 0x0c, 0x0b, 0x07, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, // sender
        0x00, 0x24, 0x0c, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00, 0x06, 0x7f, 0x00, 0x00,
        0x05, 0x4c, 0xbe, 0xbc, 0x20, 0x4a, 0x00, 0x00, 0x00, 0x7f, 0x80, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0xdc, // TSpec
    ];

    #[test]
    fn path() {
        assert_eq!(run(PATH, 0), "RSVPv1 Path Message, length: 112");
        let out = run(PATH, 1);
        assert!(
            out.starts_with(
                "\n\tRSVPv1 Path Message (1), Flags: [none], length: 112, ttl: 64, checksum: \
                 0x0000\n\t  Session Object (1) Flags: [reject if unknown], Class-Type: \
                 Tunnel IPv4 (7), length: 16\n\t    IPv4 Tunnel EndPoint: 10.0.0.2, Tunnel ID: \
                 0x0001, Extended Tunnel ID: 10.0.0.1"
            ),
            "{out}"
        );
        assert!(out.contains("\n\t    L3 Protocol ID: IPv4"), "{out}");
        assert!(
            out.contains("\n\t    Session Name: t1\n\t    Setup Priority: 7"),
            "{out}"
        );
        assert!(
            out.contains(
                "\n\t\tToken Bucket Rate: 800 Mbps\n\t\tToken Bucket Size: 2097152 bytes\
                 \n\t\tPeak Data Rate: inf Mbps"
            ),
            "{out}"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(PATH, &verbosities(2), |ctx, p| {
            rsvp_print(ctx, p, PATH.len() as u32)
        });
    }
}
