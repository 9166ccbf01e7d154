//! OpenFlow 1.3 messages (OpenFlow Switch Specification version 1.3.x, section 7); tcpdump's
//! print-openflow-1.3.c. The common header is printed by [`super::openflow`]; of the bodies
//! only the fixed-size ones, HELLO elements, ERROR and EXPERIMENTER are decoded (with `-v`).

use super::openflow::{Cp, MsgType, Req, bitmap_print, data_print, vendor_name};
use super::util_print::printjnp;
use super::{Ctx, pr, tok2str};
use crate::cursor::PResult;

const CAPABILITIES: &[(u32, &str)] = &[
    (1 << 0, "FLOW_STATS"),
    (1 << 1, "TABLE_STATS"),
    (1 << 2, "PORT_STATS"),
    (1 << 3, "GROUP_STATS"),
    (1 << 5, "IP_REASM"),
    (1 << 6, "QUEUE_STATS"),
    (1 << 8, "PORT_BLOCKED"),
];
const CAPABILITIES_U: u32 = !0x16f;

const CONFIG_FLAGS: &[(u32, &str)] = &[(0, "FRAG_NORMAL"), (1, "FRAG_DROP"), (2, "FRAG_REASM")];
const OFPTT: &[(u32, &str)] = &[(0xfe, "MAX"), (0xff, "ALL")];
const OFPCML: &[(u32, &str)] = &[(0xffe5, "MAX"), (0xffff, "NO_BUFFER")];

const OFPPC: &[(u32, &str)] = &[
    (1 << 0, "PORT_DOWN"),
    (1 << 2, "NO_RECV"),
    (1 << 5, "NO_FWD"),
    (1 << 6, "NO_PACKET_IN"),
];
const OFPPC_U: u32 = !0x65;

const OFPPS: &[(u32, &str)] = &[(1 << 0, "LINK_DOWN"), (1 << 1, "BLOCKED"), (1 << 2, "LIVE")];
const OFPPS_U: u32 = !0x7;

const OFPPF: &[(u32, &str)] = &[
    (1 << 0, "10MB_HD"),
    (1 << 1, "10MB_FD"),
    (1 << 2, "100MB_HD"),
    (1 << 3, "100MB_FD"),
    (1 << 4, "1GB_HD"),
    (1 << 5, "1GB_FD"),
    (1 << 6, "10GB_FD"),
    (1 << 7, "40GB_FD"),
    (1 << 8, "100GB_FD"),
    (1 << 9, "1TB_FD"),
    (1 << 10, "OTHER"),
    (1 << 11, "COPPER"),
    (1 << 12, "FIBER"),
    (1 << 13, "AUTONEG"),
    (1 << 14, "PAUSE"),
    (1 << 15, "PAUSE_ASYM"),
];
const OFPPF_U: u32 = !0xffff;

const OFPHET_VERSIONBITMAP: u16 = 1;
const OFPHET: &[(u32, &str)] = &[(1, "VERSIONBITMAP")];

const OFPP: &[(u32, &str)] = &[
    (0xffff_ff00, "MAX"),
    (0xffff_fff8, "IN_PORT"),
    (0xffff_fff9, "TABLE"),
    (0xffff_fffa, "NORMAL"),
    (0xffff_fffb, "FLOOD"),
    (0xffff_fffc, "ALL"),
    (0xffff_fffd, "CONTROLLER"),
    (0xffff_fffe, "LOCAL"),
    (0xffff_ffff, "ANY"),
];

const OFPCR: &[(u32, &str)] = &[(0, "NOCHANGE"), (1, "EQUAL"), (2, "MASTER"), (3, "SLAVE")];

const VERSION_BITMAP: &[(u32, &str)] = &[
    (1 << 0, "1.0"),
    (1 << 1, "1.1"),
    (1 << 2, "1.2"),
    (1 << 3, "1.3"),
    (1 << 4, "1.4"),
    (1 << 5, "1.5"),
];
const VERSION_BITMAP_U: u32 = !0x3f;

const ASYNC_OFPR: &[(u32, &str)] = &[
    (1 << 0, "NO_MATCH"),
    (1 << 1, "ACTION"),
    (1 << 2, "INVALID_TTL"),
];
const ASYNC_OFPR_U: u32 = !0x7;
const OFPPR: &[(u32, &str)] = &[(0, "ADD"), (1, "DELETE"), (2, "MODIFY")];
const ASYNC_OFPPR: &[(u32, &str)] = &[(1 << 0, "ADD"), (1 << 1, "DELETE"), (1 << 2, "MODIFY")];
const ASYNC_OFPPR_U: u32 = !0x7;

const OFPET: &[(u32, &str)] = &[
    (0, "HELLO_FAILED"),
    (1, "BAD_REQUEST"),
    (2, "BAD_ACTION"),
    (3, "BAD_INSTRUCTION"),
    (4, "BAD_MATCH"),
    (5, "FLOW_MOD_FAILED"),
    (6, "GROUP_MOD_FAILED"),
    (7, "PORT_MOD_FAILED"),
    (8, "TABLE_MOD_FAILED"),
    (9, "QUEUE_OP_FAILED"),
    (10, "SWITCH_CONFIG_FAILED"),
    (11, "ROLE_REQUEST_FAILED"),
    (12, "METER_MOD_FAILED"),
    (13, "TABLE_FEATURES_FAILED"),
    (0xffff, "EXPERIMENTER"),
];
const OFPHFC: &[(u32, &str)] = &[(0, "INCOMPATIBLE"), (1, "EPERM")];
const OFPBRC: &[(u32, &str)] = &[
    (0, "BAD_VERSION"),
    (1, "BAD_TYPE"),
    (2, "BAD_MULTIPART"),
    (3, "BAD_EXPERIMENTER"),
    (4, "BAD_EXP_TYPE"),
    (5, "EPERM"),
    (6, "BAD_LEN"),
    (7, "BUFFER_EMPTY"),
    (8, "BUFFER_UNKNOWN"),
    (9, "BAD_TABLE_ID"),
    (10, "IS_SLAVE"),
    (11, "BAD_PORT"),
    (12, "BAD_PACKET"),
    (13, "MULTIPART_BUFFER_OVERFLOW"),
];
const OFPBAC: &[(u32, &str)] = &[
    (0, "BAD_TYPE"),
    (1, "BAD_LEN"),
    (2, "BAD_EXPERIMENTER"),
    (3, "BAD_EXP_TYPE"),
    (4, "BAD_OUT_PORT"),
    (5, "BAD_ARGUMENT"),
    (6, "EPERM"),
    (7, "TOO_MANY"),
    (8, "BAD_QUEUE"),
    (9, "BAD_OUT_GROUP"),
    (10, "MATCH_INCONSISTENT"),
    (11, "UNSUPPORTED_ORDER"),
    (12, "BAD_TAG"),
    (13, "BAD_SET_TYPE"),
    (14, "BAD_SET_LEN"),
    (15, "BAD_SET_ARGUMENT"),
];
const OFPBIC: &[(u32, &str)] = &[
    (0, "UNKNOWN_INST"),
    (1, "UNSUP_INST"),
    (2, "BAD_TABLE_ID"),
    (3, "UNSUP_METADATA"),
    (4, "UNSUP_METADATA_MASK"),
    (5, "BAD_EXPERIMENTER"),
    (6, "BAD_EXP_TYPE"),
    (7, "BAD_LEN"),
    (8, "EPERM"),
];
const OFPBMC: &[(u32, &str)] = &[
    (0, "BAD_TYPE"),
    (1, "BAD_LEN"),
    (2, "BAD_TAG"),
    (3, "BAD_DL_ADDR_MASK"),
    (4, "BAD_NW_ADDR_MASK"),
    (5, "BAD_WILDCARDS"),
    (6, "BAD_FIELD"),
    (7, "BAD_VALUE"),
    (8, "BAD_MASK"),
    (9, "BAD_PREREQ"),
    (10, "DUP_FIELD"),
    (11, "EPERM"),
];
const OFPFMFC: &[(u32, &str)] = &[
    (0, "UNKNOWN"),
    (1, "TABLE_FULL"),
    (2, "BAD_TABLE_ID"),
    (3, "OVERLAP"),
    (4, "EPERM"),
    (5, "BAD_TIMEOUT"),
    (6, "BAD_COMMAND"),
    (7, "BAD_FLAGS"),
];
const OFPGMFC: &[(u32, &str)] = &[
    (0, "GROUP_EXISTS"),
    (1, "INVALID_GROUP"),
    (2, "WEIGHT_UNSUPPORTED"),
    (3, "OUT_OF_GROUPS"),
    (4, "OUT_OF_BUCKETS"),
    (5, "CHAINING_UNSUPPORTED"),
    (6, "WATCH_UNSUPPORTED"),
    (7, "LOOP"),
    (8, "UNKNOWN_GROUP"),
    (9, "CHAINED_GROUP"),
    (10, "BAD_TYPE"),
    (11, "BAD_COMMAND"),
    (12, "BAD_BUCKET"),
    (13, "BAD_MATCH"),
    (14, "EPERM"),
];
const OFPPMFC: &[(u32, &str)] = &[
    (0, "BAD_PORT"),
    (1, "BAD_HW_ADDR"),
    (2, "BAD_CONFIG"),
    (3, "BAD_ADVERTISE"),
    (4, "EPERM"),
];
const OFPTMFC: &[(u32, &str)] = &[(0, "BAD_TABLE"), (1, "BAD_CONFIG"), (2, "EPERM")];
const OFPQOFC: &[(u32, &str)] = &[(0, "BAD_PORT"), (1, "BAD_QUEUE"), (2, "EPERM")];
const OFPSCFC: &[(u32, &str)] = &[(0, "BAD_FLAGS"), (1, "BAD_LEN"), (2, "EPERM")];
const OFPRRFC: &[(u32, &str)] = &[(0, "STALE"), (1, "UNSUP"), (2, "BAD_ROLE")];
const OFPMMFC: &[(u32, &str)] = &[
    (0, "UNKNOWN"),
    (1, "METER_EXISTS"),
    (2, "INVALID_METER"),
    (3, "UNKNOWN_METER"),
    (4, "BAD_COMMAND"),
    (5, "BAD_FLAGS"),
    (6, "BAD_RATE"),
    (7, "BAD_BURST"),
    (8, "BAD_BAND"),
    (9, "BAD_BAND_VALUE"),
    (10, "OUT_OF_METERS"),
    (11, "OUT_OF_BANDS"),
];
const OFPTFFC: &[(u32, &str)] = &[
    (0, "BAD_TABLE"),
    (1, "BAD_METADATA"),
    (2, "BAD_TYPE"),
    (3, "BAD_LEN"),
    (4, "BAD_ARGUMENT"),
    (5, "EPERM"),
];

/// The code table of each error type (EXPERIMENTER errors define none).
fn error_codes(ty: u16) -> Option<&'static [(u32, &'static str)]> {
    Some(match ty {
        0 => OFPHFC,
        1 => OFPBRC,
        2 => OFPBAC,
        3 => OFPBIC,
        4 => OFPBMC,
        5 => OFPFMFC,
        6 => OFPGMFC,
        7 => OFPPMFC,
        8 => OFPTMFC,
        9 => OFPQOFC,
        10 => OFPSCFC,
        11 => OFPRRFC,
        12 => OFPMMFC,
        13 => OFPTFFC,
        _ => return None,
    })
}

const HELLO_ELEM_MINSIZE: u16 = 4;
const MAX_PORT_NAME_LEN: usize = 16;

fn port(ctx: &mut Ctx, p: u32) {
    tok2str(ctx.out, OFPP, "{}", p);
}

/// A named 32-bit bitmap field: `\n\t{label} 0x{v}` and its bits.
fn bitmap_field(
    ctx: &mut Ctx,
    cp: &Cp,
    rel: usize,
    label: &str,
    table: &[(u32, &'static str)],
    u: u32,
) -> PResult {
    let v = cp.u32(rel)?;
    pr!(ctx, "\n\t{} 0x{:08x}", label, v);
    bitmap_print(ctx, table, v, u);
    Ok(())
}

/// `of13_port_print`: a 64-byte port description.
fn port_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let no = cp.u32(0)?;
    ctx.push("\n\t  port_no ");
    port(ctx, no);
    let mac = cp.bytes(8, 6)?;
    ctx.push(", hw_addr ");
    ctx.mac(mac);
    ctx.push(", name '");
    printjnp(ctx, cp.rest().get(16..).unwrap_or(&[]), MAX_PORT_NAME_LEN)?;
    ctx.push("'");
    let c = Cp {
        off: cp.off + 32,
        ..cp
    };
    if ctx.vflag() < 2 {
        return c.tcheck(32);
    }
    bitmap_field(ctx, &c, 0, "   config", OFPPC, OFPPC_U)?;
    bitmap_field(ctx, &c, 4, "   state", OFPPS, OFPPS_U)?;
    for (i, name) in ["   curr", "   advertised", "   supported", "   peer"]
        .iter()
        .enumerate()
    {
        bitmap_field(ctx, &c, 8 + 4 * i, name, OFPPF, OFPPF_U)?;
    }
    pr!(ctx, "\n\t   curr_speed {}kbps", c.u32(24)?);
    pr!(ctx, "\n\t   max_speed {}kbps", c.u32(28)?);
    Ok(())
}

fn features_reply_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    pr!(ctx, "\n\t dpid 0x{:016x}", cp.u64(0)?);
    pr!(ctx, ", n_buffers {}", cp.u32(8)?);
    pr!(ctx, ", n_tables {}", cp.u8(12)?);
    pr!(ctx, ", auxiliary_id {}", cp.u8(13)?);
    bitmap_field(ctx, &cp, 16, " capabilities", CAPABILITIES, CAPABILITIES_U)?;
    cp.bytes(20, 4)?;
    Ok(())
}

fn switch_config_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let flags = cp.u16(0)?;
    ctx.push("\n\t flags ");
    tok2str(ctx.out, CONFIG_FLAGS, "invalid (0x{:04x})", flags as u32);
    let miss = cp.u16(2)?;
    ctx.push(", miss_send_len ");
    tok2str(ctx.out, OFPCML, "{}", miss as u32);
    Ok(())
}

fn table_mod_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let t = cp.u8(0)?;
    ctx.push("\n\t table_id ");
    tok2str(ctx.out, OFPTT, "{}", t as u32);
    pr!(ctx, ", config 0x{:08x}", cp.u32(4)?);
    Ok(())
}

fn role_msg_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let role = cp.u32(0)?;
    ctx.push("\n\t role ");
    tok2str(ctx.out, OFPCR, "invalid (0x{:08x})", role);
    pr!(ctx, ", generation_id 0x{:016x}", cp.u64(8)?);
    Ok(())
}

/// A mask field of SET_ASYNC/GET_ASYNC_REPLY: label, bit names, unassigned bits.
type AsyncMask = (&'static str, &'static [(u32, &'static str)], u32);

fn async_msg_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let fields: [AsyncMask; 6] = [
        (" packet_in_mask[EM]", ASYNC_OFPR, ASYNC_OFPR_U),
        (" packet_in_mask[S]", ASYNC_OFPR, ASYNC_OFPR_U),
        (" port_status_mask[EM]", ASYNC_OFPPR, ASYNC_OFPPR_U),
        (" port_status_mask[S]", ASYNC_OFPPR, ASYNC_OFPPR_U),
        (" flow_removed_mask[EM]", ASYNC_OFPPR, ASYNC_OFPPR_U),
        (" flow_removed_mask[S]", ASYNC_OFPPR, ASYNC_OFPPR_U),
    ];
    for (i, (label, table, u)) in fields.iter().enumerate() {
        bitmap_field(ctx, &cp, 4 * i, label, table, *u)?;
    }
    Ok(())
}

fn port_mod_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let no = cp.u32(0)?;
    ctx.push("\n\t port_no ");
    port(ctx, no);
    let mac = cp.bytes(8, 6)?;
    ctx.push(", hw_addr ");
    ctx.mac(mac);
    bitmap_field(ctx, &cp, 16, "  config", OFPPC, OFPPC_U)?;
    bitmap_field(ctx, &cp, 20, "  mask", OFPPC, OFPPC_U)?;
    bitmap_field(ctx, &cp, 24, "  advertise", OFPPF, OFPPF_U)?;
    cp.bytes(28, 4)?;
    Ok(())
}

fn port_status_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let reason = cp.u8(0)?;
    ctx.push("\n\t reason ");
    // tcpdump's default string has no conversion: unknown reasons print it literally.
    tok2str(ctx.out, OFPPR, "invalid (0x02x)", reason as u32);
    port_print(
        ctx,
        Cp {
            off: cp.off + 8,
            ..cp
        },
    )
}

fn hello_elements_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < HELLO_ELEM_MINSIZE as u32 {
            ctx.print_invalid();
            return cp.tcheck(cp.len);
        }
        let ty = cp.u16(0)?;
        cp.fwd(2);
        ctx.push("\n\t type ");
        tok2str(ctx.out, OFPHET, "unknown (0x{:04x})", ty as u32);
        let bmlen = cp.u16(0)?;
        cp.fwd(2);
        pr!(ctx, ", length {}", bmlen);
        if bmlen < HELLO_ELEM_MINSIZE || bmlen as u32 > HELLO_ELEM_MINSIZE as u32 + cp.len {
            ctx.print_invalid();
            return cp.tcheck(cp.len);
        }
        let body = (bmlen - HELLO_ELEM_MINSIZE) as u32;
        if ty == OFPHET_VERSIONBITMAP && bmlen == HELLO_ELEM_MINSIZE + 4 {
            let bitmap = cp.u32(0)?;
            pr!(ctx, ", bitmap 0x{:08x}", bitmap);
            bitmap_print(ctx, VERSION_BITMAP, bitmap, VERSION_BITMAP_U);
        } else {
            if ty == OFPHET_VERSIONBITMAP {
                ctx.push(" (bogus)");
            }
            cp.tcheck(body)?;
        }
        cp.fwd(body);
    }
    Ok(())
}

fn experimenter_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    let e = cp.u32(0)?;
    cp.fwd(4);
    pr!(ctx, "\n\t experimenter 0x{:08x} ({})", e, vendor_name(e));
    pr!(ctx, ", exp_type 0x{:08x}", cp.u32(0)?);
    cp.fwd(4);
    data_print(ctx, cp)
}

fn queue_get_config_request_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let p = cp.u32(0)?;
    ctx.push("\n\t port ");
    port(ctx, p);
    cp.bytes(4, 4)?;
    Ok(())
}

fn error_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    let ty = cp.u16(0)?;
    cp.fwd(2);
    ctx.push("\n\t type ");
    tok2str(ctx.out, OFPET, "invalid (0x{:04x})", ty as u32);
    let code = cp.u16(0)?;
    cp.fwd(2);
    match error_codes(ty) {
        Some(t) => {
            ctx.push(", code ");
            tok2str(ctx.out, t, "invalid (0x{:04x})", code as u32);
        }
        None => pr!(ctx, ", code invalid (0x{:04x})", code),
    }
    data_print(ctx, cp)
}

const fn mt(name: &'static str, req: Req, decoder: Option<fn(&mut Ctx, Cp) -> PResult>) -> MsgType {
    MsgType { name, req, decoder }
}

/// Message types 0 to 29 (OFPT_*); `Req::None` with no decoder where tcpdump has none yet.
static MSG_TYPES: [MsgType; 30] = [
    mt("HELLO", Req::MinLen(0), Some(hello_elements_print)),
    mt("ERROR", Req::MinLen(4), Some(error_print)),
    mt("ECHO_REQUEST", Req::MinLen(0), Some(data_print)),
    mt("ECHO_REPLY", Req::MinLen(0), Some(data_print)),
    mt("EXPERIMENTER", Req::MinLen(8), Some(experimenter_print)),
    mt("FEATURES_REQUEST", Req::FixLen(0), None),
    mt(
        "FEATURES_REPLY",
        Req::FixLen(24),
        Some(features_reply_print),
    ),
    mt("GET_CONFIG_REQUEST", Req::FixLen(0), None),
    mt(
        "GET_CONFIG_REPLY",
        Req::FixLen(4),
        Some(switch_config_print),
    ),
    mt("SET_CONFIG", Req::FixLen(4), Some(switch_config_print)),
    mt("PACKET_IN", Req::None, None),
    mt("FLOW_REMOVED", Req::None, None),
    mt("PORT_STATUS", Req::FixLen(72), Some(port_status_print)),
    mt("PACKET_OUT", Req::None, None),
    mt("FLOW_MOD", Req::None, None),
    mt("GROUP_MOD", Req::None, None),
    mt("PORT_MOD", Req::FixLen(32), Some(port_mod_print)),
    mt("TABLE_MOD", Req::FixLen(8), Some(table_mod_print)),
    mt("MULTIPART_REQUEST", Req::None, None),
    mt("MULTIPART_REPLY", Req::None, None),
    mt("BARRIER_REQUEST", Req::FixLen(0), None),
    mt("BARRIER_REPLY", Req::FixLen(0), None),
    mt(
        "QUEUE_GET_CONFIG_REQUEST",
        Req::FixLen(8),
        Some(queue_get_config_request_print),
    ),
    mt("QUEUE_GET_CONFIG_REPLY", Req::None, None),
    mt("ROLE_REQUEST", Req::FixLen(16), Some(role_msg_print)),
    mt("ROLE_REPLY", Req::FixLen(16), Some(role_msg_print)),
    mt("GET_ASYNC_REQUEST", Req::FixLen(0), None),
    mt("GET_ASYNC_REPLY", Req::FixLen(24), Some(async_msg_print)),
    mt("SET_ASYNC", Req::FixLen(24), Some(async_msg_print)),
    mt("METER_MOD", Req::None, None),
];

/// `of13_identify_msgtype`.
pub fn msgtype(ty: u8) -> Option<&'static MsgType> {
    MSG_TYPES.get(ty as usize)
}

#[cfg(test)]
mod tests {
    use crate::proto::openflow::openflow_print;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A HELLO with a version bitmap element (bits 1 and 4), then a ROLE_REQUEST.
    const MSGS: &[u8] = &[
        4, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x12, // HELLO
        4, 24, 0, 24, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        5, // ROLE_REQUEST
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| {
            openflow_print(ctx, p, p.len() as u32)
        })
    }

    #[test]
    fn hello_and_role() {
        assert_eq!(
            run(1, MSGS),
            ": OpenFlow\n\tversion 1.3, type HELLO, length 16, xid 0x00000001\n\t type \
             VERSIONBITMAP, length 8, bitmap 0x00000012 (1.1, 1.4)\n\tversion 1.3, type \
             ROLE_REQUEST, length 24, xid 0x00000002\n\t role MASTER, generation_id \
             0x0000000000000005"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(MSGS, &verbosities(2), |ctx, p| openflow_print(ctx, p, 40));
    }
}
