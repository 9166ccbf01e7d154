//! LMP, the Link Management Protocol (RFC 4204), with the data link sub-objects of RFC 4204
//! section 12.12 and the service discovery objects of the OIF UNI 1.0 (section 9); tcpdump's
//! print-lmp.c. UDP port 701 (and `-T lmp`).

use super::gmpls;
use super::util_print::print_unknown_data_at;
use super::{Ctx, bittok2str, pr, tok, tok2str};
use crate::addr::Ip;
use crate::cursor::{Bytes, PResult};

const COMMON_HDR: usize = 8;
const OBJ_HDR: usize = 4;
const LMP_VERSION: u16 = 1;

const HEADER_FLAG_VALUES: &[(u32, &str)] = &[(0x01, "Control Channel Down"), (0x02, "LMP restart")];

const TE_LINK_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Fault Management Supported"),
    (0x02, "Link Verification Supported"),
];

const DATA_LINK_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Data Link Port"),
    (0x02, "Allocated for user traffic"),
    (0x04, "Failed link"),
];

const CHANNEL_STATUS_VALUES: &[(u32, &str)] = &[
    (1, "Signal Okay"),
    (2, "Signal Degraded"),
    (3, "Signal Fail"),
];

const BEGIN_VERIFY_FLAG_VALUES: &[(u32, &str)] =
    &[(0x0001, "Verify all links"), (0x0002, "Data link type")];

const BEGIN_VERIFY_ERROR_VALUES: &[(u32, &str)] = &[
    (0x01, "Link Verification Procedure Not supported"),
    (0x02, "Unwilling to verify"),
    (0x04, "Unsupported verification transport mechanism"),
    (0x08, "Link-Id configuration error"),
    (0x10, "Unknown object c-type"),
];

const LINK_SUMMARY_ERROR_VALUES: &[(u32, &str)] = &[
    (0x01, "Unacceptable non-negotiable LINK-SUMMARY parameters"),
    (0x02, "Renegotiate LINK-SUMMARY parameters"),
    (0x04, "Invalid TE-LINK Object"),
    (0x08, "Invalid DATA-LINK Object"),
    (0x10, "Unknown TE-LINK Object c-type"),
    (0x20, "Unknown DATA-LINK Object c-type"),
];

const SERVICE_CONFIG_SP_FLAG_VALUES: &[(u32, &str)] =
    &[(0x01, "RSVP Supported"), (0x02, "LDP Supported")];

const SERVICE_CONFIG_CPSA_TP_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Path/VC Overhead Transparency Supported"),
    (0x02, "Line/MS Overhead Transparency Supported"),
    (0x04, "Section/RS Overhead Transparency Supported"),
];

const SERVICE_CONFIG_CPSA_CCT_FLAG_VALUES: &[(u32, &str)] =
    &[(0x01, "Contiguous Concatenation Types Supported")];

const SERVICE_CONFIG_NSA_TRANSPARENCY_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Standard SOH/RSOH Transparency Supported"),
    (0x02, "Standard LOH/MSOH Transparency Supported"),
];

const SERVICE_CONFIG_NSA_TCM_FLAG_VALUES: &[(u32, &str)] =
    &[(0x01, "Transparent Tandem Connection Monitoring Supported")];

const SERVICE_CONFIG_NSA_NETWORK_DIVERSITY_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Node Diversity Supported"),
    (0x02, "Link Diversity Supported"),
    (0x04, "SRLG Diversity Supported"),
];

const MSG_TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Config"),
    (2, "Config ACK"),
    (3, "Config NACK"),
    (4, "Hello"),
    (5, "Begin Verify"),
    (6, "Begin Verify ACK"),
    (7, "Begin Verify NACK"),
    (8, "End Verify"),
    (9, "End Verify ACK"),
    (10, "Test"),
    (11, "Test Status Success"),
    (12, "Test Status Failure"),
    (13, "Test Status ACK"),
    (14, "Link Summary"),
    (15, "Link Summary ACK"),
    (16, "Link Summary NACK"),
    (17, "Channel Status"),
    (18, "Channel Status ACK"),
    (19, "Channel Status Request"),
    (20, "Channel Status Response"),
    (50, "Service Config"),
    (51, "Service Config ACK"),
    (52, "Service Config NACK"),
];

const OBJ_CC_ID: u8 = 1;
const OBJ_NODE_ID: u8 = 2;
const OBJ_LINK_ID: u8 = 3;
const OBJ_INTERFACE_ID: u8 = 4;
const OBJ_MESSAGE_ID: u8 = 5;
const OBJ_CONFIG: u8 = 6;
const OBJ_HELLO: u8 = 7;
const OBJ_VERIFY_BEGIN: u8 = 8;
const OBJ_VERIFY_BEGIN_ACK: u8 = 9;
const OBJ_VERIFY_ID: u8 = 10;
const OBJ_TE_LINK: u8 = 11;
const OBJ_DATA_LINK: u8 = 12;
const OBJ_CHANNEL_STATUS: u8 = 13;
const OBJ_CHANNEL_STATUS_REQ: u8 = 14;
const OBJ_ERROR_CODE: u8 = 20;
const OBJ_SERVICE_CONFIG: u8 = 51;

const OBJ_VALUES: &[(u32, &str)] = &[
    (1, "Control Channel ID"),
    (2, "Node ID"),
    (3, "Link ID"),
    (4, "Interface ID"),
    (5, "Message ID"),
    (6, "Configuration"),
    (7, "Hello"),
    (8, "Verify Begin"),
    (9, "Verify Begin ACK"),
    (10, "Verify ID"),
    (11, "TE Link"),
    (12, "Data Link"),
    (13, "Channel Status"),
    (14, "Channel Status Request"),
    (20, "Error Code"),
    (51, "Service Config"),
];

const INT_SWITCHING_TYPE_SUBOBJ: u8 = 1;
const WAVELENGTH_SUBOBJ: u8 = 2;

const DATA_LINK_SUBOBJ: &[(u32, &str)] = &[(1, "Interface Switching Type"), (2, "Wavelength")];

/// C-type names, keyed by class * 256 + C-type.
const CTYPE_VALUES: &[(u32, &str)] = &[
    (256 + 1, "Local"),
    (256 + 2, "Remote"),
    (256 * 2 + 1, "Local"),
    (256 * 2 + 2, "Remote"),
    (256 * 3 + 1, "IPv4 Local"),
    (256 * 3 + 2, "IPv4 Remote"),
    (256 * 3 + 3, "IPv6 Local"),
    (256 * 3 + 4, "IPv6 Remote"),
    (256 * 3 + 5, "Unnumbered Local"),
    (256 * 3 + 6, "Unnumbered Remote"),
    (256 * 4 + 1, "IPv4 Local"),
    (256 * 4 + 2, "IPv4 Remote"),
    (256 * 4 + 3, "IPv6 Local"),
    (256 * 4 + 4, "IPv6 Remote"),
    (256 * 4 + 5, "Unnumbered Local"),
    (256 * 4 + 6, "Unnumbered Remote"),
    (256 * 5 + 1, "1"),
    (256 * 5 + 2, "2"),
    (256 * 6 + 1, "1"),
    (256 * 7 + 1, "1"),
    (256 * 8 + 1, "1"),
    (256 * 9 + 1, "1"),
    (256 * 10 + 1, "1"),
    (256 * 11 + 1, "IPv4"),
    (256 * 11 + 2, "IPv6"),
    (256 * 11 + 3, "Unnumbered"),
    (256 * 12 + 1, "IPv4"),
    (256 * 12 + 2, "IPv6"),
    (256 * 12 + 3, "Unnumbered"),
    (256 * 13 + 1, "IPv4"),
    (256 * 13 + 2, "IPv6"),
    (256 * 13 + 3, "Unnumbered"),
    (256 * 14 + 1, "IPv4"),
    (256 * 14 + 2, "IPv6"),
    (256 * 14 + 3, "Unnumbered"),
    (256 * 20 + 1, "1"),
    (256 * 20 + 2, "2"),
    (256 * 51 + 1, "1"),
    (256 * 51 + 2, "2"),
    (256 * 51 + 3, "3"),
    (256 * 51 + 4, "4"),
];

/// A 32-bit IEEE float of bytes per second, in megabits with 3 decimals (single precision
/// arithmetic as in C).
fn mbps(p: &[u8], off: usize) -> PResult<String> {
    let f = f32::from_bits(p.be_u32(off)?);
    Ok(format!("{:.3}", (f * 8.0 / 1_000_000.0) as f64))
}

/// An LMP message.
pub fn lmp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "lmp";
    p.sub(0, COMMON_HDR)?;
    let version = (p.be_u16(0)? & 0xf000) >> 12;
    if version != LMP_VERSION {
        pr!(ctx, "LMP version {} packet not supported", version);
        return Ok(());
    }
    let msg_type = p[3] as u32;
    if ctx.vflag() < 1 {
        pr!(ctx, "LMPv{} ", version);
        tok2str(ctx.out, MSG_TYPE_VALUES, "unknown ({})", msg_type);
        pr!(ctx, " Message, length: {}", length);
        return Ok(());
    }
    let mut tlen = p.be_u16(4)? as u32;
    pr!(ctx, "\n\tLMPv{}, msg-type: ", version);
    tok2str(ctx.out, MSG_TYPE_VALUES, "unknown, type: {}", msg_type);
    ctx.push(", Flags: [");
    bittok2str(ctx.out, HEADER_FLAG_VALUES, "none", p[2] as u32, ", ");
    pr!(ctx, "], length: {}", tlen);
    if tlen < COMMON_HDR as u32 {
        ctx.push(" (too short)");
        return Ok(());
    }
    if tlen > length {
        ctx.push(" (too long)");
        tlen = length;
    }
    let mut t = COMMON_HDR;
    tlen -= COMMON_HDR as u32;
    while tlen > 0 {
        let obj_len = p.be_u16(t + 2)? as u32;
        let raw_ctype = p.u8_at(t)?;
        let ctype = raw_ctype & 0x7f;
        let class = p.u8_at(t + 1)?;
        pr!(
            ctx,
            "\n\t  {} Object ({}), Class-Type: {} ({}) Flags: [{}negotiable], length: {}",
            tok(OBJ_VALUES, class as u32).unwrap_or("Unknown"),
            class,
            tok(CTYPE_VALUES, ((class as u32) << 8) + ctype as u32).unwrap_or("Unknown"),
            ctype,
            if raw_ctype & 0x80 != 0 { "" } else { "non-" },
            obj_len
        );
        if obj_len < OBJ_HDR as u32 {
            ctx.push(" (too short)");
            return Ok(());
        }
        if !obj_len.is_multiple_of(4) {
            ctx.push(" (not a multiple of 4)");
            return Ok(());
        }
        p.sub(t, obj_len as usize)?;
        let o = t + OBJ_HDR;
        let olen = obj_len - OBJ_HDR as u32;
        let hexdump = object(ctx, p, o, class, ctype, olen)?;
        if ctx.vflag() > 1 || hexdump {
            print_unknown_data_at(ctx, p, o, "\n\t    ", olen as usize);
        }
        if tlen < obj_len {
            pr!(ctx, " [remaining objects length {} < {}]", tlen, obj_len);
            ctx.print_invalid();
            break;
        }
        t += obj_len as usize;
        tlen -= obj_len;
    }
    Ok(())
}

/// One object's value (captured); true asks for a hex dump.
fn object(ctx: &mut Ctx, p: &[u8], o: usize, class: u8, ctype: u8, len: u32) -> PResult<bool> {
    // Objects of a fixed size say so when they are not.
    macro_rules! exactly {
        ($n:expr) => {
            if len != $n {
                ctx.push(" (not correct for object)");
                return Ok(false);
            }
        };
    }
    macro_rules! at_least {
        ($n:expr) => {
            if len < $n {
                ctx.push(" (not correct for object)");
                return Ok(false);
            }
        };
    }
    let ip4 = |off: usize| -> PResult<Ip<'_>> { Ok(Ip(p.sub(off, 4)?)) };
    let ip6 = |off: usize| -> PResult<Ip<'_>> { Ok(Ip(p.sub(off, 16)?)) };
    match (class, ctype) {
        (OBJ_CC_ID, 1 | 2) => {
            exactly!(4);
            let v = p.be_u32(o)?;
            pr!(ctx, "\n\t    Control Channel ID: {} (0x{:08x})", v, v);
        }
        (OBJ_LINK_ID | OBJ_INTERFACE_ID, 1 | 2) => {
            exactly!(4);
            pr!(
                ctx,
                "\n\t    IPv4 Link ID: {} (0x{:08x})",
                ip4(o)?,
                p.be_u32(o)?
            );
        }
        (OBJ_LINK_ID | OBJ_INTERFACE_ID, 3 | 4) => {
            exactly!(16);
            pr!(
                ctx,
                "\n\t    IPv6 Link ID: {} (0x{:08x})",
                ip6(o)?,
                p.be_u32(o)?
            );
        }
        (OBJ_LINK_ID | OBJ_INTERFACE_ID, 5 | 6) => {
            exactly!(4);
            let v = p.be_u32(o)?;
            pr!(ctx, "\n\t    Link ID: {} (0x{:08x})", v, v);
        }
        (OBJ_MESSAGE_ID, 1 | 2) => {
            exactly!(4);
            let v = p.be_u32(o)?;
            let what = if ctype == 1 {
                "Message ID"
            } else {
                "Message ID Ack"
            };
            pr!(ctx, "\n\t    {}: {} (0x{:08x})", what, v, v);
        }
        (OBJ_NODE_ID, 1 | 2) => {
            exactly!(4);
            pr!(ctx, "\n\t    Node ID: {} (0x{:08x})", ip4(o)?, p.be_u32(o)?);
        }
        (OBJ_CONFIG, 1) => {
            exactly!(4);
            pr!(
                ctx,
                "\n\t    Hello Interval: {}\n\t    Hello Dead Interval: {}",
                p.be_u16(o)?,
                p.be_u16(o + 2)?
            );
        }
        (OBJ_HELLO, 1) => {
            exactly!(8);
            pr!(
                ctx,
                "\n\t    Tx Seq: {}, Rx Seq: {}",
                p.be_u32(o)?,
                p.be_u32(o + 4)?
            );
        }
        (OBJ_TE_LINK, 1..=3) => {
            exactly!(if ctype == 2 { 36 } else { 12 });
            ctx.push("\n\t    Flags: [");
            bittok2str(
                ctx.out,
                TE_LINK_FLAG_VALUES,
                "none",
                p.u8_at(o)? as u32,
                ", ",
            );
            ctx.push("]");
            link_ids(ctx, p, o, ctype, "Link-ID")?;
        }
        (OBJ_DATA_LINK, 1..=3) => {
            let fixed = if ctype == 2 { 36 } else { 12 };
            at_least!(fixed);
            ctx.push("\n\t    Flags: [");
            bittok2str(
                ctx.out,
                DATA_LINK_FLAG_VALUES,
                "none",
                p.u8_at(o)? as u32,
                ", ",
            );
            ctx.push("]");
            link_ids(ctx, p, o, ctype, "Interface ID")?;
            return data_link_subobjs(ctx, p, o + fixed as usize, len - fixed);
        }
        (OBJ_VERIFY_BEGIN, 1) => {
            exactly!(20);
            ctx.push("\n\t    Flags: ");
            bittok2str(
                ctx.out,
                BEGIN_VERIFY_FLAG_VALUES,
                "none",
                p.be_u16(o)? as u32,
                ", ",
            );
            pr!(ctx, "\n\t    Verify Interval: {}", p.be_u16(o + 2)?);
            pr!(ctx, "\n\t    Data links: {}", p.be_u32(o + 4)?);
            pr!(
                ctx,
                "\n\t    Encoding type: {}",
                tok(gmpls::ENCODING_VALUES, p.u8_at(o + 8)? as u32).unwrap_or("Unknown")
            );
            let vtm = p.be_u16(o + 10)?;
            // sic: tcpdump masks with decimal 8000 where the payload bit is meant.
            pr!(
                ctx,
                "\n\t    Verify Transport Mechanism: {} (0x{:x}){}",
                vtm,
                vtm,
                if vtm & 8000 != 0 {
                    " (Payload test messages capable)"
                } else {
                    ""
                }
            );
            pr!(ctx, "\n\t    Transmission Rate: {} Mbps", mbps(p, o + 12)?);
            pr!(ctx, "\n\t    Wavelength: {}", p.be_u32(o + 16)?);
        }
        (OBJ_VERIFY_BEGIN_ACK, 1) => {
            exactly!(4);
            pr!(
                ctx,
                "\n\t    Verify Dead Interval: {}\n\t    Verify Transport Response: {}",
                p.be_u16(o)?,
                p.be_u16(o + 2)?
            );
        }
        (OBJ_VERIFY_ID, 1) => {
            exactly!(4);
            pr!(ctx, "\n\t    Verify ID: {}", p.be_u32(o)?);
        }
        (OBJ_CHANNEL_STATUS, 1..=3) => {
            // <interface ID, channel status> pairs.
            let id_len = if ctype == 2 { 16 } else { 4 };
            let mut off = 0u32;
            while off + id_len + 4 <= len {
                let at = o + off as usize;
                interface_id(ctx, p, at, ctype)?;
                let st = p.be_u32(at + id_len as usize)?;
                pr!(
                    ctx,
                    "\n\t\t    Active: {} ({})",
                    if st >> 31 != 0 {
                        "Allocated"
                    } else {
                        "Non-allocated"
                    },
                    st >> 31
                );
                pr!(
                    ctx,
                    "\n\t\t    Direction: {} ({})",
                    if (st >> 30) & 1 != 0 {
                        "Transmit"
                    } else {
                        "Receive"
                    },
                    (st >> 30) & 1
                );
                pr!(
                    ctx,
                    "\n\t\t    Channel Status: {} ({})",
                    tok(CHANNEL_STATUS_VALUES, st & 0x3ff_ffff).unwrap_or("Unknown"),
                    st & 0x3ff_ffff
                );
                off += id_len + 4;
            }
        }
        (OBJ_CHANNEL_STATUS_REQ, 1..=3) => {
            let id_len = if ctype == 2 { 16 } else { 4 };
            let mut off = 0u32;
            while off + id_len <= len {
                interface_id(ctx, p, o + off as usize, ctype)?;
                off += id_len;
            }
        }
        (OBJ_ERROR_CODE, 1 | 2) => {
            exactly!(4);
            let table = if ctype == 1 {
                BEGIN_VERIFY_ERROR_VALUES
            } else {
                LINK_SUMMARY_ERROR_VALUES
            };
            ctx.push("\n\t    Error Code: ");
            bittok2str(ctx.out, table, "none", p.be_u32(o)?, ", ");
        }
        (OBJ_SERVICE_CONFIG, 1) => {
            exactly!(4);
            ctx.push("\n\t Flags: ");
            bittok2str(
                ctx.out,
                SERVICE_CONFIG_SP_FLAG_VALUES,
                "none",
                p.u8_at(o)? as u32,
                ", ",
            );
            pr!(ctx, "\n\t  UNI Version: {}", p.u8_at(o + 1)?);
        }
        (OBJ_SERVICE_CONFIG, 2) => {
            exactly!(16);
            let link_type = p.u8_at(o)? as u32;
            pr!(
                ctx,
                "\n\t Link Type: {} ({})",
                tok(gmpls::LMP_SD_CPSA_LINK_TYPE_VALUES, link_type).unwrap_or("Unknown"),
                link_type
            );
            let signals = match link_type {
                5 => Some(gmpls::LMP_SD_CPSA_SIGNAL_TYPE_SDH_VALUES),
                6 => Some(gmpls::LMP_SD_CPSA_SIGNAL_TYPE_SONET_VALUES),
                _ => None,
            };
            if let Some(table) = signals {
                let s = p.u8_at(o + 1)? as u32;
                pr!(
                    ctx,
                    "\n\t Signal Type: {} ({})",
                    tok(table, s).unwrap_or("Unknown"),
                    s
                );
            }
            ctx.push("\n\t Transparency: ");
            bittok2str(
                ctx.out,
                SERVICE_CONFIG_CPSA_TP_FLAG_VALUES,
                "none",
                p.u8_at(o + 2)? as u32,
                ", ",
            );
            ctx.push("\n\t Contiguous Concatenation Types: ");
            bittok2str(
                ctx.out,
                SERVICE_CONFIG_CPSA_CCT_FLAG_VALUES,
                "none",
                p.u8_at(o + 3)? as u32,
                ", ",
            );
            pr!(ctx, "\n\t Minimum NCC: {}", p.be_u16(o + 4)?);
            pr!(ctx, "\n\t Maximum NCC: {}", p.be_u16(o + 6)?);
            pr!(ctx, "\n\t Minimum NVC:{}", p.be_u16(o + 8)?);
            pr!(ctx, "\n\t Maximum NVC:{}", p.be_u16(o + 10)?);
            pr!(
                ctx,
                "\n\t    Local Interface ID: {} (0x{:08x})",
                ip4(o + 12)?,
                p.be_u32(o + 12)?
            );
        }
        (OBJ_SERVICE_CONFIG, 3) => {
            exactly!(8);
            ctx.push("\n\t Transparency Flags: ");
            bittok2str(
                ctx.out,
                SERVICE_CONFIG_NSA_TRANSPARENCY_FLAG_VALUES,
                "none",
                p.be_u32(o)?,
                ", ",
            );
            ctx.push("\n\t TCM Monitoring Flags: ");
            bittok2str(
                ctx.out,
                SERVICE_CONFIG_NSA_TCM_FLAG_VALUES,
                "none",
                p.u8_at(o + 7)? as u32,
                ", ",
            );
        }
        (OBJ_SERVICE_CONFIG, 4) => {
            exactly!(4);
            ctx.push("\n\t Diversity: Flags: ");
            bittok2str(
                ctx.out,
                SERVICE_CONFIG_NSA_NETWORK_DIVERSITY_FLAG_VALUES,
                "none",
                p.u8_at(o + 3)? as u32,
                ", ",
            );
        }
        // A known class with a C-type that has no decoder is dumped.
        (
            OBJ_CC_ID
            | OBJ_LINK_ID
            | OBJ_INTERFACE_ID
            | OBJ_MESSAGE_ID
            | OBJ_NODE_ID
            | OBJ_CONFIG
            | OBJ_HELLO
            | OBJ_TE_LINK
            | OBJ_DATA_LINK
            | OBJ_VERIFY_BEGIN
            | OBJ_VERIFY_BEGIN_ACK
            | OBJ_VERIFY_ID
            | OBJ_CHANNEL_STATUS
            | OBJ_CHANNEL_STATUS_REQ
            | OBJ_ERROR_CODE
            | OBJ_SERVICE_CONFIG,
            _,
        ) => return Ok(true),
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data_at(ctx, p, o, "\n\t    ", len as usize);
            }
        }
    }
    Ok(false)
}

/// The local and remote IDs of a TE link or data link object: IPv4 (C-type 1), IPv6 (2) or
/// unnumbered (3), after 4 octets of flags.
fn link_ids(ctx: &mut Ctx, p: &[u8], o: usize, ctype: u8, what: &str) -> PResult {
    let (local, remote) = match ctype {
        2 => (o + 4, o + 20),
        _ => (o + 4, o + 8),
    };
    let (lv, rv) = (p.be_u32(local)?, p.be_u32(remote)?);
    match ctype {
        1 => pr!(
            ctx,
            "\n\t    Local {what}: {} (0x{:08x})\n\t    Remote {what}: {} (0x{:08x})",
            Ip(p.sub(local, 4)?),
            lv,
            Ip(p.sub(remote, 4)?),
            rv
        ),
        2 => pr!(
            ctx,
            "\n\t    Local {what}: {} (0x{:08x})\n\t    Remote {what}: {} (0x{:08x})",
            Ip(p.sub(local, 16)?),
            lv,
            Ip(p.sub(remote, 16)?),
            rv
        ),
        _ => pr!(
            ctx,
            "\n\t    Local {what}: {} (0x{:08x})\n\t    Remote {what}: {} (0x{:08x})",
            lv,
            lv,
            rv,
            rv
        ),
    }
    Ok(())
}

/// An interface ID of a channel status (request) object.
fn interface_id(ctx: &mut Ctx, p: &[u8], at: usize, ctype: u8) -> PResult {
    let v = p.be_u32(at)?;
    match ctype {
        1 => pr!(
            ctx,
            "\n\t    Interface ID: {} (0x{:08x})",
            Ip(p.sub(at, 4)?),
            v
        ),
        2 => pr!(
            ctx,
            "\n\t    Interface ID: {} (0x{:08x})",
            Ip(p.sub(at, 16)?),
            v
        ),
        _ => pr!(ctx, "\n\t    Interface ID: {} (0x{:08x})", v, v),
    }
    Ok(())
}

/// The sub-objects of a data link object (RFC 4204 section 12.12.1); true when an unknown
/// one asks for a hex dump of the object.
fn data_link_subobjs(ctx: &mut Ctx, p: &[u8], s0: usize, total: u32) -> PResult<bool> {
    let mut s = s0;
    let mut total = total;
    while total > 0 {
        let ty = p.u8_at(s)?;
        let len = p.u8_at(s + 1)? as u32;
        pr!(
            ctx,
            "\n\t    Subobject, Type: {} ({}), Length: {}",
            tok(DATA_LINK_SUBOBJ, ty as u32).unwrap_or("Unknown"),
            ty,
            len
        );
        if len < 4 {
            ctx.push(" (too short)");
            break;
        }
        if !len.is_multiple_of(4) {
            ctx.push(" (not a multiple of 4)");
            break;
        }
        if total < len {
            ctx.push(" (goes past the end of the object)");
            break;
        }
        match ty {
            INT_SWITCHING_TYPE_SUBOBJ => {
                let sw = p.u8_at(s + 2)?;
                pr!(
                    ctx,
                    "\n\t      Switching Type: {} ({})",
                    tok(gmpls::SWITCH_CAP_VALUES, sw as u32).unwrap_or("Unknown"),
                    sw
                );
                let enc = p.u8_at(s + 3)?;
                pr!(
                    ctx,
                    "\n\t      Encoding Type: {} ({})",
                    tok(gmpls::ENCODING_VALUES, enc as u32).unwrap_or("Unknown"),
                    enc
                );
                pr!(
                    ctx,
                    "\n\t      Min Reservable Bandwidth: {} Mbps",
                    mbps(p, s + 4)?
                );
                pr!(
                    ctx,
                    "\n\t      Max Reservable Bandwidth: {} Mbps",
                    mbps(p, s + 8)?
                );
            }
            WAVELENGTH_SUBOBJ => pr!(ctx, "\n\t      Wavelength: {}", p.be_u32(s + 4)?),
            // An unknown sub-object ends the walk; the object is then dumped.
            _ => return Ok(true),
        }
        total -= len;
        s += len as usize;
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], v: u8) -> String {
        run_marked(&opts(v, false), |ctx| lmp_print(ctx, p, p.len() as u32))
    }

    // A Hello: control channel ID 1, hello sequence numbers 1 and 0.
    const HELLO: &[u8] = &[
        0x10, 0x00, 0x00, 0x04, 0x00, 0x1c, 0x00, 0x00, 0x01, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00,
        0x01, 0x01, 0x07, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn hello() {
        assert_eq!(run(HELLO, 0), "LMPv1 Hello Message, length: 28");
        assert_eq!(
            run(HELLO, 1),
            "\n\tLMPv1, msg-type: Hello, Flags: [none], length: 28\
             \n\t  Control Channel ID Object (1), Class-Type: Local (1) Flags: [non-negotiable], \
             length: 8\n\t    Control Channel ID: 1 (0x00000001)\
             \n\t  Hello Object (7), Class-Type: 1 (1) Flags: [non-negotiable], length: 12\
             \n\t    Tx Seq: 1, Rx Seq: 0"
        );
        assert_eq!(
            run_marked(&opts(1, false), |ctx| lmp_print(ctx, &HELLO[..20], 28)),
            "\n\tLMPv1, msg-type: Hello, Flags: [none], length: 28\
             \n\t  Control Channel ID Object (1), Class-Type: Local (1) Flags: [non-negotiable], \
             length: 8\n\t    Control Channel ID: 1 (0x00000001)\
             \n\t  Hello Object (7), Class-Type: 1 (1) Flags: [non-negotiable], length: 12 [|lmp]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(HELLO, &verbosities(2), |ctx, p| {
            lmp_print(ctx, p, HELLO.len() as u32)
        });
    }
}
