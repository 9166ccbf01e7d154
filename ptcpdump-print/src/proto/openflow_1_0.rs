//! OpenFlow 1.0 messages (OpenFlow Switch Specification version 1.0.0, section 5, and the Big
//! Switch Networks vendor extensions of LoxiGen); tcpdump's print-openflow-1.0.c. The common
//! header is printed by [`super::openflow`]; the bodies here only with `-v`, their details
//! with `-vv`, and frames carried in PACKET_IN/PACKET_OUT decoded with `-vvv`.

use super::ether::{self, ETHERTYPE_8021Q};
use super::openflow::{Cp, MsgType, Req, bitmap_print, data_print, vendor_name};
use super::util_print::{printjnp, printn};
use super::{Ctx, pr, tok2str};
use crate::PrintOptions;
use crate::cursor::PResult;

const OUI_BSN: u32 = 0x5c16c7;

const OFPPC: &[(u32, &str)] = &[
    (1 << 0, "PORT_DOWN"),
    (1 << 1, "NO_STP"),
    (1 << 2, "NO_RECV"),
    (1 << 3, "NO_RECV_STP"),
    (1 << 4, "NO_FLOOD"),
    (1 << 5, "NO_FWD"),
    (1 << 6, "NO_PACKET_IN"),
];
const OFPPC_U: u32 = !0x7f;

const OFPPS_LINK_DOWN: u32 = 1;
const OFPPS_STP_MASK: u32 = 3 << 8;
const OFPPS_STP: &[(u32, &str)] = &[
    (0 << 8, "STP_LISTEN"),
    (1 << 8, "STP_LEARN"),
    (2 << 8, "STP_FORWARD"),
    (3 << 8, "STP_BLOCK"),
];
const OFPPS_U: u32 = !(OFPPS_LINK_DOWN | OFPPS_STP_MASK);

const OFPP_CONTROLLER: u16 = 0xfffd;
const OFPP: &[(u32, &str)] = &[
    (0xff00, "MAX"),
    (0xfff8, "IN_PORT"),
    (0xfff9, "TABLE"),
    (0xfffa, "NORMAL"),
    (0xfffb, "FLOOD"),
    (0xfffc, "ALL"),
    (0xfffd, "CONTROLLER"),
    (0xfffe, "LOCAL"),
    (0xffff, "NONE"),
];

const OFPPF: &[(u32, &str)] = &[
    (1 << 0, "10MB_HD"),
    (1 << 1, "10MB_FD"),
    (1 << 2, "100MB_HD"),
    (1 << 3, "100MB_FD"),
    (1 << 4, "1GB_HD"),
    (1 << 5, "1GB_FD"),
    (1 << 6, "10GB_FD"),
    (1 << 7, "COPPER"),
    (1 << 8, "FIBER"),
    (1 << 9, "AUTONEG"),
    (1 << 10, "PAUSE"),
    (1 << 11, "PAUSE_ASYM"),
];
const OFPPF_U: u32 = !0xfff;

const OFPQT_NONE: u16 = 0;
const OFPQT_MIN_RATE: u16 = 1;
const OFPQT: &[(u32, &str)] = &[(0, "NONE"), (1, "MIN_RATE")];

const OFPFW_IN_PORT: u32 = 1 << 0;
const OFPFW_DL_VLAN: u32 = 1 << 1;
const OFPFW_DL_SRC: u32 = 1 << 2;
const OFPFW_DL_DST: u32 = 1 << 3;
const OFPFW_DL_TYPE: u32 = 1 << 4;
const OFPFW_NW_PROTO: u32 = 1 << 5;
const OFPFW_TP_SRC: u32 = 1 << 6;
const OFPFW_TP_DST: u32 = 1 << 7;
const OFPFW_DL_VLAN_PCP: u32 = 1 << 20;
const OFPFW_NW_TOS: u32 = 1 << 21;
const OFPFW: &[(u32, &str)] = &[
    (OFPFW_IN_PORT, "IN_PORT"),
    (OFPFW_DL_VLAN, "DL_VLAN"),
    (OFPFW_DL_SRC, "DL_SRC"),
    (OFPFW_DL_DST, "DL_DST"),
    (OFPFW_DL_TYPE, "DL_TYPE"),
    (OFPFW_NW_PROTO, "NW_PROTO"),
    (OFPFW_TP_SRC, "TP_SRC"),
    (OFPFW_TP_DST, "TP_DST"),
    (OFPFW_DL_VLAN_PCP, "DL_VLAN_PCP"),
    (OFPFW_NW_TOS, "NW_TOS"),
];
/// Bits 8-13 and 14-19 are the source and destination prefix lengths, not flags.
const OFPFW_U: u32 = !((1 << 22) - 1);

const OFPAT_OUTPUT: u16 = 0;
const OFPAT_SET_VLAN_VID: u16 = 1;
const OFPAT_SET_VLAN_PCP: u16 = 2;
const OFPAT_STRIP_VLAN: u16 = 3;
const OFPAT_SET_DL_SRC: u16 = 4;
const OFPAT_SET_DL_DST: u16 = 5;
const OFPAT_SET_NW_SRC: u16 = 6;
const OFPAT_SET_NW_DST: u16 = 7;
const OFPAT_SET_NW_TOS: u16 = 8;
const OFPAT_SET_TP_SRC: u16 = 9;
const OFPAT_SET_TP_DST: u16 = 10;
const OFPAT_ENQUEUE: u16 = 11;
const OFPAT_VENDOR: u16 = 0xffff;
const OFPAT: &[(u32, &str)] = &[
    (0, "OUTPUT"),
    (1, "SET_VLAN_VID"),
    (2, "SET_VLAN_PCP"),
    (3, "STRIP_VLAN"),
    (4, "SET_DL_SRC"),
    (5, "SET_DL_DST"),
    (6, "SET_NW_SRC"),
    (7, "SET_NW_DST"),
    (8, "SET_NW_TOS"),
    (9, "SET_TP_SRC"),
    (10, "SET_TP_DST"),
    (11, "ENQUEUE"),
    (0xffff, "VENDOR"),
];
/// Action types as a bitmap (in FEATURES_REPLY).
const OFPAT_BM: &[(u32, &str)] = &[
    (1 << 0, "OUTPUT"),
    (1 << 1, "SET_VLAN_VID"),
    (1 << 2, "SET_VLAN_PCP"),
    (1 << 3, "STRIP_VLAN"),
    (1 << 4, "SET_DL_SRC"),
    (1 << 5, "SET_DL_DST"),
    (1 << 6, "SET_NW_SRC"),
    (1 << 7, "SET_NW_DST"),
    (1 << 8, "SET_NW_TOS"),
    (1 << 9, "SET_TP_SRC"),
    (1 << 10, "SET_TP_DST"),
    (1 << 11, "ENQUEUE"),
];
const OFPAT_U: u32 = !0xfff;

const CAPABILITIES: &[(u32, &str)] = &[
    (1 << 0, "FLOW_STATS"),
    (1 << 1, "TABLE_STATS"),
    (1 << 2, "PORT_STATS"),
    (1 << 3, "STP"),
    (1 << 4, "RESERVED"),
    (1 << 5, "IP_REASM"),
    (1 << 6, "QUEUE_STATS"),
    (1 << 7, "ARP_MATCH_IP"),
];
/// RESERVED is named but counts as unassigned.
const CAPABILITIES_U: u32 = !0xef;

const CONFIG_FLAGS: &[(u32, &str)] = &[(0, "FRAG_NORMAL"), (1, "FRAG_DROP"), (2, "FRAG_REASM")];

const OFPFC_ADD: u16 = 0;
const OFPFC_MODIFY: u16 = 1;
const OFPFC_MODIFY_STRICT: u16 = 2;
const OFPFC_DELETE: u16 = 3;
const OFPFC_DELETE_STRICT: u16 = 4;
const OFPFC: &[(u32, &str)] = &[
    (0, "ADD"),
    (1, "MODIFY"),
    (2, "MODIFY_STRICT"),
    (3, "DELETE"),
    (4, "DELETE_STRICT"),
];

const BUFFER_ID: &[(u32, &str)] = &[(0xffff_ffff, "NONE")];

const OFPFF: &[(u32, &str)] = &[
    (1 << 0, "SEND_FLOW_REM"),
    (1 << 1, "CHECK_OVERLAP"),
    (1 << 2, "EMERG"),
];
const OFPFF_U: u32 = !0x7;

const OFPST_DESC: u16 = 0;
const OFPST_FLOW: u16 = 1;
const OFPST_AGGREGATE: u16 = 2;
const OFPST_TABLE: u16 = 3;
const OFPST_PORT: u16 = 4;
const OFPST_QUEUE: u16 = 5;
const OFPST_VENDOR: u16 = 0xffff;
const OFPST: &[(u32, &str)] = &[
    (0, "DESC"),
    (1, "FLOW"),
    (2, "AGGREGATE"),
    (3, "TABLE"),
    (4, "PORT"),
    (5, "QUEUE"),
    (0xffff, "VENDOR"),
];

const TABLE_ID: &[(u32, &str)] = &[(0xfe, "EMERG"), (0xff, "ALL")];
const OFPQ: &[(u32, &str)] = &[(0xffff_ffff, "ALL")];
const OFPSF_REPLY: &[(u32, &str)] = &[(1, "MORE")];
const OFPSF_REPLY_U: u32 = !1;
const OFPR: &[(u32, &str)] = &[(0, "NO_MATCH"), (1, "ACTION")];
const OFPRR: &[(u32, &str)] = &[(0, "IDLE_TIMEOUT"), (1, "HARD_TIMEOUT"), (2, "DELETE")];
const OFPPR: &[(u32, &str)] = &[(0, "ADD"), (1, "DELETE"), (2, "MODIFY")];

const OFPET: &[(u32, &str)] = &[
    (0, "HELLO_FAILED"),
    (1, "BAD_REQUEST"),
    (2, "BAD_ACTION"),
    (3, "FLOW_MOD_FAILED"),
    (4, "PORT_MOD_FAILED"),
    (5, "QUEUE_OP_FAILED"),
];
const OFPHFC: &[(u32, &str)] = &[(0, "INCOMPATIBLE"), (1, "EPERM")];
const OFPBRC: &[(u32, &str)] = &[
    (0, "BAD_VERSION"),
    (1, "BAD_TYPE"),
    (2, "BAD_STAT"),
    (3, "BAD_VENDOR"),
    (4, "BAD_SUBTYPE"),
    (5, "EPERM"),
    (6, "BAD_LEN"),
    (7, "BUFFER_EMPTY"),
    (8, "BUFFER_UNKNOWN"),
];
const OFPBAC: &[(u32, &str)] = &[
    (0, "BAD_TYPE"),
    (1, "BAD_LEN"),
    (2, "BAD_VENDOR"),
    (3, "BAD_VENDOR_TYPE"),
    (4, "BAD_OUT_PORT"),
    (5, "BAD_ARGUMENT"),
    (6, "EPERM"),
    (7, "TOO_MANY"),
    (8, "BAD_QUEUE"),
];
const OFPFMFC: &[(u32, &str)] = &[
    (0, "ALL_TABLES_FULL"),
    (1, "OVERLAP"),
    (2, "EPERM"),
    (3, "BAD_EMERG_TIMEOUT"),
    (4, "BAD_COMMAND"),
    (5, "UNSUPPORTED"),
];
const OFPPMFC: &[(u32, &str)] = &[(0, "BAD_PORT"), (1, "BAD_HW_ADDR")];
const OFPQOFC: &[(u32, &str)] = &[(0, "BAD_PORT"), (1, "BAD_QUEUE"), (2, "EPERM")];

/// The code table of each error type.
fn error_codes(ty: u16) -> Option<&'static [(u32, &'static str)]> {
    Some(match ty {
        0 => OFPHFC,
        1 => OFPBRC,
        2 => OFPBAC,
        3 => OFPFMFC,
        4 => OFPPMFC,
        5 => OFPQOFC,
        _ => return None,
    })
}

const PHY_PORT_LEN: u32 = 48;
const ACTION_MINLEN: u16 = 8;
const MATCH_LEN: u32 = 40;
const DESC_STATS_REPLY_LEN: u32 = 1056;
const FLOW_STATS_REQUEST_LEN: u32 = 44;
const FLOW_STATS_REPLY_MINLEN: u16 = 88;
const AGGREGATE_STATS_REPLY_LEN: u32 = 24;
const TABLE_STATS_REPLY_LEN: u32 = 64;
const PORT_STATS_REQUEST_LEN: u32 = 8;
const PORT_STATS_REPLY_LEN: u32 = 104;
const QUEUE_PROP_MINLEN: u16 = 8;
const QUEUE_PROP_MIN_RATE_LEN: u16 = 16;
const PACKET_QUEUE_MINLEN: u16 = 8;
const QUEUE_STATS_REQUEST_LEN: u32 = 8;
const QUEUE_STATS_REPLY_LEN: u32 = 32;
const MAX_TABLE_NAME_LEN: usize = 32;
const MAX_PORT_NAME_LEN: usize = 16;
const DESC_STR_LEN: usize = 256;
const SERIAL_NUM_LEN: usize = 32;
const VLAN_NONE: u16 = 0xffff;

const BSN_SUBTYPES: &[(u32, &str)] = &[
    (0, "SET_IP_MASK"),
    (1, "GET_IP_MASK_REQUEST"),
    (2, "GET_IP_MASK_REPLY"),
    (3, "SET_MIRRORING"),
    (4, "GET_MIRRORING_REQUEST"),
    (5, "GET_MIRRORING_REPLY"),
    (6, "SHELL_COMMAND"),
    (7, "SHELL_OUTPUT"),
    (8, "SHELL_STATUS"),
    (9, "GET_INTERFACES_REQUEST"),
    (10, "GET_INTERFACES_REPLY"),
    (11, "SET_PKTIN_SUPPRESSION_REQUEST"),
    (12, "SET_L2_TABLE_REQUEST"),
    (13, "GET_L2_TABLE_REQUEST"),
    (14, "GET_L2_TABLE_REPLY"),
    (15, "VIRTUAL_PORT_CREATE_REQUEST"),
    (16, "VIRTUAL_PORT_CREATE_REPLY"),
    (17, "VIRTUAL_PORT_REMOVE_REQUEST"),
    (18, "BW_ENABLE_SET_REQUEST"),
    (19, "BW_ENABLE_GET_REQUEST"),
    (20, "BW_ENABLE_GET_REPLY"),
    (21, "BW_CLEAR_DATA_REQUEST"),
    (22, "BW_CLEAR_DATA_REPLY"),
    (23, "BW_ENABLE_SET_REPLY"),
    (24, "SET_L2_TABLE_REPLY"),
    (25, "SET_PKTIN_SUPPRESSION_REPLY"),
    (26, "VIRTUAL_PORT_REMOVE_REPLY"),
    (27, "HYBRID_GET_REQUEST"),
    (28, "HYBRID_GET_REPLY"),
    (31, "PDU_TX_REQUEST"),
    (32, "PDU_TX_REPLY"),
    (33, "PDU_RX_REQUEST"),
    (34, "PDU_RX_REPLY"),
    (35, "PDU_RX_TIMEOUT"),
];

const BSN_ACTION_SUBTYPES: &[(u32, &str)] =
    &[(1, "MIRROR"), (2, "SET_TUNNEL_DST"), (4, "CHECKSUM")];
const BSN_COPY_STAGE: &[(u32, &str)] = &[(0, "INGRESS"), (1, "EGRESS")];
const BSN_ONOFF: &[(u32, &str)] = &[(0, "OFF"), (1, "ON")];

/// A port number, named or decimal.
fn port(ctx: &mut Ctx, p: u16) {
    tok2str(ctx.out, OFPP, "{}", p as u32);
}

fn vlan_str(ctx: &mut Ctx, vid: u16) {
    if vid == VLAN_NONE {
        ctx.push("NONE");
    } else {
        pr!(
            ctx,
            "{}{}",
            vid,
            if vid > 0 && vid < 0x0fff {
                ""
            } else {
                " (bogus)"
            }
        );
    }
}

fn pcp_str(ctx: &mut Ctx, pcp: u8) {
    pr!(ctx, "{}{}", pcp, if pcp <= 7 { "" } else { " (bogus)" });
}

/// ` (invalid)`, then the rest must be captured (tcpdump's `invalid:` labels).
fn invalid(ctx: &mut Ctx, cp: Cp) -> PResult {
    ctx.print_invalid();
    cp.tcheck(cp.len)
}

/// `'text'`: a NUL-padded string of `n` bytes.
fn quoted(ctx: &mut Ctx, label: &str, cp: &Cp, rel: usize, n: usize) -> PResult {
    ctx.push(label);
    ctx.push("'");
    printjnp(ctx, &cp.rest()[rel.min(cp.rest().len())..], n)?;
    ctx.push("'");
    Ok(())
}

fn bsn_message_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    if cp.len < 4 {
        return invalid(ctx, cp);
    }
    let subtype = cp.u32(0)?;
    cp.fwd(4);
    ctx.push("\n\t subtype ");
    tok2str(ctx.out, BSN_SUBTYPES, "unknown (0x{:08x})", subtype);
    match subtype {
        1 => {
            if cp.len != 8 {
                return invalid(ctx, cp);
            }
            pr!(ctx, ", index {}", cp.u8(0)?);
            cp.fwd(1);
            cp.tcheck(7)?;
        }
        0 | 2 => {
            if cp.len != 8 {
                return invalid(ctx, cp);
            }
            pr!(ctx, ", index {}", cp.u8(0)?);
            cp.fwd(4);
            let mask = cp.bytes(0, 4)?;
            ctx.push(", mask ");
            ctx.ip(mask);
        }
        3..=5 => {
            if cp.len != 4 {
                return invalid(ctx, cp);
            }
            let v = cp.u8(0)?;
            ctx.push(", report_mirror_ports ");
            tok2str(ctx.out, BSN_ONOFF, "bogus ({})", v as u32);
            cp.fwd(1);
            cp.tcheck(3)?;
        }
        9 | 13 | 19 | 21 | 27 => {
            if cp.len != 0 {
                return invalid(ctx, cp);
            }
        }
        17 => {
            if cp.len != 4 {
                return invalid(ctx, cp);
            }
            pr!(ctx, ", vport_no {}", cp.u32(0)?);
        }
        6 => {
            if cp.len < 4 {
                return invalid(ctx, cp);
            }
            pr!(ctx, ", service {}", cp.u32(0)?);
            cp.fwd(4);
            ctx.push(", data '");
            printn(ctx, cp.rest(), cp.len as usize)?;
            ctx.push("'");
        }
        7 => {
            ctx.push(", data '");
            printn(ctx, cp.rest(), cp.len as usize)?;
            ctx.push("'");
        }
        8 => {
            if cp.len != 4 {
                return invalid(ctx, cp);
            }
            pr!(ctx, ", status 0x{:08x}", cp.u32(0)?);
        }
        _ => cp.tcheck(cp.len)?,
    }
    Ok(())
}

fn bsn_actions_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    if cp.len < 4 {
        return invalid(ctx, cp);
    }
    let subtype = cp.u32(0)?;
    cp.fwd(4);
    ctx.push("\n\t  subtype ");
    tok2str(ctx.out, BSN_ACTION_SUBTYPES, "unknown (0x{:08x})", subtype);
    if subtype != 1 {
        return cp.tcheck(cp.len);
    }
    if cp.len != 12 {
        return invalid(ctx, cp);
    }
    pr!(ctx, ", dest_port {}", cp.u32(0)?);
    cp.fwd(4);
    let tag = cp.u32(0)?;
    cp.fwd(4);
    match (tag >> 16) as u16 {
        0 => ctx.push(", vlan_tag none"),
        ETHERTYPE_8021Q => {
            ctx.push(", vlan_tag 802.1Q (");
            ether::tci_print(ctx, tag as u16);
            ctx.push(")");
        }
        t => pr!(ctx, ", vlan_tag unknown (0x{:04x})", t),
    }
    let stage = cp.u8(0)?;
    ctx.push(", copy_stage ");
    tok2str(ctx.out, BSN_COPY_STAGE, "unknown ({})", stage as u32);
    cp.fwd(1);
    cp.tcheck(3)
}

fn vendor_action_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    if cp.len < 4 {
        return invalid(ctx, cp);
    }
    let vendor = cp.u32(0)?;
    cp.fwd(4);
    pr!(ctx, ", vendor 0x{:08x} ({})", vendor, vendor_name(vendor));
    if vendor == OUI_BSN {
        bsn_actions_print(ctx, cp)
    } else {
        data_print(ctx, cp)
    }
}

fn vendor_message_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    let vendor = cp.u32(0)?;
    cp.fwd(4);
    pr!(ctx, ", vendor 0x{:08x} ({})", vendor, vendor_name(vendor));
    if vendor == OUI_BSN {
        bsn_message_print(ctx, cp)
    } else {
        data_print(ctx, cp)
    }
}

fn vendor_data_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    if cp.len < 4 {
        return invalid(ctx, cp);
    }
    let vendor = cp.u32(0)?;
    cp.fwd(4);
    pr!(ctx, ", vendor 0x{:08x} ({})", vendor, vendor_name(vendor));
    data_print(ctx, cp)
}

/// A frame in a PACKET_IN/PACKET_OUT: its length, and with `-vvv` its Ethernet decoding
/// (printed as with three `-v` fewer).
fn packet_data_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    if cp.len == 0 {
        return Ok(());
    }
    pr!(ctx, "\n\t data ({} octets)", cp.len);
    if ctx.vflag() < 3 {
        return cp.tcheck(cp.len);
    }
    ctx.push(", frame decoding below\n");
    // The frame may be followed by more messages: it ends where its length says.
    let rest = cp.rest();
    let frame = &rest[..rest.len().min(cp.len as usize)];
    let opts = PrintOptions {
        verbose: ctx.vflag() - 3,
        ..ctx.opts.clone()
    };
    let mut inner = Ctx::new(ctx.out, &opts, ctx.state);
    inner.protocol = ctx.protocol;
    let r = ether::ether_print(&mut inner, frame, cp.len, frame.len() as u32);
    // tcpdump does not restore the protocol name the frame's printers set.
    ctx.protocol = inner.protocol;
    r.map(|_| ())
}

/// `of10_phy_port_print`: a 48-byte port description.
fn phy_port_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let no = cp.u16(0)?;
    ctx.push("\n\t  port_no ");
    port(ctx, no);
    let mac = cp.bytes(2, 6)?;
    ctx.push(", hw_addr ");
    ctx.mac(mac);
    quoted(ctx, ", name ", &cp, 8, MAX_PORT_NAME_LEN)?;
    let c = Cp {
        off: cp.off + 24,
        ..cp
    };
    if ctx.vflag() < 2 {
        return c.tcheck(24);
    }
    let config = c.u32(0)?;
    pr!(ctx, "\n\t   config 0x{:08x}", config);
    bitmap_print(ctx, OFPPC, config, OFPPC_U);
    let state = c.u32(4)?;
    pr!(ctx, "\n\t   state 0x{:08x} (", state);
    tok2str(ctx.out, OFPPS_STP, "", state & OFPPS_STP_MASK);
    pr!(
        ctx,
        "{}){}",
        if state & OFPPS_LINK_DOWN != 0 {
            ", LINK_DOWN"
        } else {
            ""
        },
        if state & OFPPS_U != 0 { " (bogus)" } else { "" }
    );
    for (i, name) in ["curr", "advertised", "supported", "peer"]
        .iter()
        .enumerate()
    {
        let v = c.u32(8 + 4 * i)?;
        pr!(ctx, "\n\t   {} 0x{:08x}", name, v);
        bitmap_print(ctx, OFPPF, v, OFPPF_U);
    }
    Ok(())
}

/// `of10_queue_props_print`.
fn queue_props_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < QUEUE_PROP_MINLEN as u32 {
            return invalid(ctx, cp);
        }
        let property = cp.u16(0)?;
        cp.fwd(2);
        ctx.push("\n\t   property ");
        tok2str(ctx.out, OFPQT, "invalid (0x{:04x})", property as u32);
        let plen = cp.u16(0)?;
        cp.fwd(2);
        pr!(ctx, ", len {}", plen);
        if plen < QUEUE_PROP_MINLEN || plen as u32 > cp.len + 4 {
            return invalid(ctx, cp);
        }
        cp.chk_fwd(4)?;
        let (bogus, mut skip) = match property {
            OFPQT_NONE => (plen != QUEUE_PROP_MINLEN, false),
            OFPQT_MIN_RATE => (plen != QUEUE_PROP_MIN_RATE_LEN, false),
            _ => (false, true),
        };
        if bogus {
            ctx.push(" (bogus)");
            skip = true;
        }
        if skip {
            cp.chk_fwd((plen - QUEUE_PROP_MINLEN) as u32)?;
            continue;
        }
        if property == OFPQT_MIN_RATE {
            let rate = cp.u16(0)?;
            cp.fwd(2);
            if rate > 1000 {
                ctx.push(", rate disabled");
            } else {
                pr!(ctx, ", rate {}.{}%", rate / 10, rate % 10);
            }
            cp.chk_fwd(6)?;
        }
    }
    Ok(())
}

/// `of10_queues_print`.
fn queues_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < PACKET_QUEUE_MINLEN as u32 {
            return invalid(ctx, cp);
        }
        pr!(ctx, "\n\t  queue_id {}", cp.u32(0)?);
        cp.fwd(4);
        let desclen = cp.u16(0)?;
        cp.fwd(2);
        pr!(ctx, ", len {}", desclen);
        if desclen < PACKET_QUEUE_MINLEN || desclen as u32 > cp.len + 6 {
            return invalid(ctx, cp);
        }
        cp.chk_fwd(2)?;
        let props = (desclen - PACKET_QUEUE_MINLEN) as u32;
        if ctx.vflag() >= 2 {
            queue_props_print(ctx, Cp { len: props, ..cp })?;
        } else {
            cp.tcheck(props)?;
        }
        cp.fwd(props);
    }
    Ok(())
}

/// `of10_match_print`: the fields the wildcards do not mask, each after `pfx`.
fn match_print(ctx: &mut Ctx, pfx: &str, cp: Cp) -> PResult {
    let w = cp.u32(0)?;
    if w & OFPFW_U != 0 {
        pr!(ctx, "{}wildcards 0x{:08x} (bogus)", pfx, w);
    }
    if w & OFPFW_IN_PORT == 0 {
        let p = cp.u16(4)?;
        pr!(ctx, "{}match in_port ", pfx);
        port(ctx, p);
    }
    if w & OFPFW_DL_SRC == 0 {
        let a = cp.bytes(6, 6)?;
        pr!(ctx, "{}match dl_src ", pfx);
        ctx.mac(a);
    }
    if w & OFPFW_DL_DST == 0 {
        let a = cp.bytes(12, 6)?;
        pr!(ctx, "{}match dl_dst ", pfx);
        ctx.mac(a);
    }
    if w & OFPFW_DL_VLAN == 0 {
        let v = cp.u16(18)?;
        pr!(ctx, "{}match dl_vlan ", pfx);
        vlan_str(ctx, v);
    }
    if w & OFPFW_DL_VLAN_PCP == 0 {
        let v = cp.u8(20)?;
        pr!(ctx, "{}match dl_vlan_pcp ", pfx);
        pcp_str(ctx, v);
    }
    let dl_type = cp.u16(22)?;
    if w & OFPFW_DL_TYPE == 0 {
        pr!(ctx, "{}match dl_type 0x{:04x}", pfx, dl_type);
    }
    if w & OFPFW_NW_TOS == 0 {
        pr!(ctx, "{}match nw_tos 0x{:02x}", pfx, cp.u8(24)?);
    }
    let nw_proto = cp.u8(25)?;
    if w & OFPFW_NW_PROTO == 0 {
        let name = if w & OFPFW_DL_TYPE == 0 && dl_type == ether::ETHERTYPE_ARP {
            "arp_opcode"
        } else {
            "nw_proto"
        };
        pr!(ctx, "{}match {} {}", pfx, name, nw_proto);
    }
    for (shift, rel, name) in [(8, 28, "nw_src"), (14, 32, "nw_dst")] {
        let bits = (w >> shift) & 0x3f;
        if bits < 32 {
            let a = cp.bytes(rel, 4)?;
            pr!(ctx, "{}match {} ", pfx, name);
            ctx.ip(a);
            pr!(ctx, "/{}", 32 - bits);
        }
    }
    let icmp = w & OFPFW_DL_TYPE == 0
        && dl_type == ether::ETHERTYPE_IP
        && w & OFPFW_NW_PROTO == 0
        && nw_proto == 1;
    if w & OFPFW_TP_SRC == 0 {
        let v = cp.u16(36)?;
        let name = if icmp { "icmp_type" } else { "tp_src" };
        pr!(ctx, "{}match {} {}", pfx, name, v);
    }
    if w & OFPFW_TP_DST == 0 {
        let v = cp.u16(38)?;
        let name = if icmp { "icmp_code" } else { "tp_dst" };
        pr!(ctx, "{}match {} {}", pfx, name, v);
    } else {
        cp.u16(38)?;
    }
    Ok(())
}

/// `of10_actions_print`: a list of actions, each after `pfx`.
fn actions_print(ctx: &mut Ctx, pfx: &str, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < ACTION_MINLEN as u32 {
            return invalid(ctx, cp);
        }
        let ty = cp.u16(0)?;
        cp.fwd(2);
        pr!(ctx, "{}action type ", pfx);
        tok2str(ctx.out, OFPAT, "invalid (0x{:04x})", ty as u32);
        let alen = cp.u16(0)?;
        cp.fwd(2);
        pr!(ctx, ", len {}", alen);
        if alen < ACTION_MINLEN || alen as u32 > cp.len + 4 {
            return invalid(ctx, cp);
        }
        let (bogus, mut skip) = match ty {
            OFPAT_OUTPUT | OFPAT_SET_VLAN_VID | OFPAT_SET_VLAN_PCP | OFPAT_STRIP_VLAN
            | OFPAT_SET_NW_SRC | OFPAT_SET_NW_DST | OFPAT_SET_NW_TOS | OFPAT_SET_TP_SRC
            | OFPAT_SET_TP_DST => (alen != 8, false),
            OFPAT_SET_DL_SRC | OFPAT_SET_DL_DST | OFPAT_ENQUEUE => (alen != 16, false),
            OFPAT_VENDOR => (alen % 8 != 0, false),
            _ => (false, true),
        };
        if bogus {
            ctx.push(" (bogus)");
            skip = true;
        }
        if skip {
            cp.chk_fwd((alen - 4) as u32)?;
            continue;
        }
        match ty {
            OFPAT_OUTPUT => {
                let out = cp.u16(0)?;
                cp.fwd(2);
                ctx.push(", port ");
                port(ctx, out);
                if out == OFPP_CONTROLLER {
                    pr!(ctx, ", max_len {}", cp.u16(0)?);
                } else {
                    cp.tcheck(2)?;
                }
                cp.fwd(2);
            }
            OFPAT_SET_VLAN_VID => {
                let v = cp.u16(0)?;
                ctx.push(", vlan_vid ");
                vlan_str(ctx, v);
                cp.fwd(2);
                cp.chk_fwd(2)?;
            }
            OFPAT_SET_VLAN_PCP => {
                let v = cp.u8(0)?;
                ctx.push(", vlan_pcp ");
                pcp_str(ctx, v);
                cp.fwd(1);
                cp.chk_fwd(3)?;
            }
            OFPAT_SET_DL_SRC | OFPAT_SET_DL_DST => {
                let a = cp.bytes(0, 6)?;
                ctx.push(", dl_addr ");
                ctx.mac(a);
                cp.fwd(6);
                cp.chk_fwd(6)?;
            }
            OFPAT_SET_NW_SRC | OFPAT_SET_NW_DST => {
                let a = cp.bytes(0, 4)?;
                ctx.push(", nw_addr ");
                ctx.ip(a);
                cp.fwd(4);
            }
            OFPAT_SET_NW_TOS => {
                pr!(ctx, ", nw_tos 0x{:02x}", cp.u8(0)?);
                cp.fwd(1);
                cp.chk_fwd(3)?;
            }
            OFPAT_SET_TP_SRC | OFPAT_SET_TP_DST => {
                pr!(ctx, ", tp_port {}", cp.u16(0)?);
                cp.fwd(2);
                cp.chk_fwd(2)?;
            }
            OFPAT_ENQUEUE => {
                let p = cp.u16(0)?;
                ctx.push(", port ");
                port(ctx, p);
                cp.fwd(8);
                let q = cp.u32(0)?;
                ctx.push(", queue_id ");
                tok2str(ctx.out, OFPQ, "{}", q);
                cp.fwd(4);
            }
            OFPAT_VENDOR => {
                vendor_action_print(
                    ctx,
                    Cp {
                        len: (alen - 4) as u32,
                        ..cp
                    },
                )?;
                cp.fwd((alen - 4) as u32);
            }
            // STRIP_VLAN: only padding.
            _ => cp.chk_fwd(4)?,
        }
    }
    Ok(())
}

fn features_reply_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    pr!(ctx, "\n\t dpid 0x{:016x}", cp.u64(0)?);
    pr!(ctx, ", n_buffers {}", cp.u32(8)?);
    pr!(ctx, ", n_tables {}", cp.u8(12)?);
    let caps = cp.u32(16)?;
    pr!(ctx, "\n\t capabilities 0x{:08x}", caps);
    bitmap_print(ctx, CAPABILITIES, caps, CAPABILITIES_U);
    let actions = cp.u32(20)?;
    pr!(ctx, "\n\t actions 0x{:08x}", actions);
    bitmap_print(ctx, OFPAT_BM, actions, OFPAT_U);
    cp.fwd(24);
    while cp.len != 0 {
        if cp.len < PHY_PORT_LEN {
            return invalid(ctx, cp);
        }
        phy_port_print(ctx, cp)?;
        cp.fwd(PHY_PORT_LEN);
    }
    Ok(())
}

fn switch_config_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let flags = cp.u16(0)?;
    ctx.push("\n\t flags ");
    tok2str(ctx.out, CONFIG_FLAGS, "invalid (0x{:04x})", flags as u32);
    pr!(ctx, ", miss_send_len {}", cp.u16(2)?);
    Ok(())
}

fn flow_mod_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    match_print(ctx, "\n\t ", cp)?;
    cp.fwd(MATCH_LEN);
    pr!(ctx, "\n\t cookie 0x{:016x}", cp.u64(0)?);
    let command = cp.u16(8)?;
    ctx.push(", command ");
    tok2str(ctx.out, OFPFC, "invalid (0x{:04x})", command as u32);
    for (rel, name) in [(10, "idle_timeout"), (12, "hard_timeout"), (14, "priority")] {
        let v = cp.u16(rel)?;
        if v != 0 {
            pr!(ctx, ", {} {}", name, v);
        }
    }
    if matches!(command, OFPFC_ADD | OFPFC_MODIFY | OFPFC_MODIFY_STRICT) {
        let b = cp.u32(16)?;
        ctx.push(", buffer_id ");
        tok2str(ctx.out, BUFFER_ID, "0x{:08x}", b);
    }
    if matches!(command, OFPFC_DELETE | OFPFC_DELETE_STRICT) {
        let p = cp.u16(20)?;
        ctx.push(", out_port ");
        port(ctx, p);
    }
    let flags = cp.u16(22)?;
    pr!(ctx, ", flags 0x{:04x}", flags);
    bitmap_print(ctx, OFPFF, flags as u32, OFPFF_U);
    cp.fwd(24);
    actions_print(ctx, "\n\t ", cp)
}

fn port_mod_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let no = cp.u16(0)?;
    ctx.push("\n\t port_no ");
    port(ctx, no);
    let mac = cp.bytes(2, 6)?;
    ctx.push(", hw_addr ");
    ctx.mac(mac);
    let config = cp.u32(8)?;
    pr!(ctx, "\n\t config 0x{:08x}", config);
    bitmap_print(ctx, OFPPC, config, OFPPC_U);
    let mask = cp.u32(12)?;
    pr!(ctx, "\n\t mask 0x{:08x}", mask);
    bitmap_print(ctx, OFPPC, mask, OFPPC_U);
    let adv = cp.u32(16)?;
    pr!(ctx, "\n\t advertise 0x{:08x}", adv);
    bitmap_print(ctx, OFPPF, adv, OFPPF_U);
    cp.bytes(20, 4)?;
    Ok(())
}

fn queue_get_config_request_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let p = cp.u16(0)?;
    ctx.push("\n\t port ");
    port(ctx, p);
    cp.bytes(2, 2)?;
    Ok(())
}

fn queue_get_config_reply_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    let p = cp.u16(0)?;
    ctx.push("\n\t port ");
    port(ctx, p);
    cp.fwd(2);
    cp.chk_fwd(6)?;
    queues_print(ctx, cp)
}

fn stats_request_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    let ty = cp.u16(0)?;
    cp.fwd(2);
    ctx.push("\n\t type ");
    tok2str(ctx.out, OFPST, "invalid (0x{:04x})", ty as u32);
    let flags = cp.u16(0)?;
    pr!(ctx, ", flags 0x{:04x}", flags);
    if flags != 0 {
        ctx.push(" (bogus)");
    }
    cp.fwd(2);
    match ty {
        OFPST_DESC | OFPST_TABLE if cp.len != 0 => return invalid(ctx, cp),
        OFPST_FLOW | OFPST_AGGREGATE => {
            if cp.len != FLOW_STATS_REQUEST_LEN {
                return invalid(ctx, cp);
            }
            match_print(ctx, "\n\t ", cp)?;
            cp.fwd(MATCH_LEN);
            let t = cp.u8(0)?;
            ctx.push("\n\t table_id ");
            tok2str(ctx.out, TABLE_ID, "{}", t as u32);
            let p = cp.u16(2)?;
            ctx.push(", out_port ");
            port(ctx, p);
        }
        OFPST_PORT => {
            if cp.len != PORT_STATS_REQUEST_LEN {
                return invalid(ctx, cp);
            }
            let p = cp.u16(0)?;
            ctx.push("\n\t port_no ");
            port(ctx, p);
            cp.fwd(2);
            cp.chk_fwd(6)?;
        }
        OFPST_QUEUE => {
            if cp.len != QUEUE_STATS_REQUEST_LEN {
                return invalid(ctx, cp);
            }
            let p = cp.u16(0)?;
            ctx.push("\n\t port_no ");
            port(ctx, p);
            let q = cp.u32(4)?;
            ctx.push(", queue_id ");
            tok2str(ctx.out, OFPQ, "{}", q);
        }
        OFPST_VENDOR => vendor_data_print(ctx, cp)?,
        _ => {}
    }
    Ok(())
}

fn desc_stats_reply_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    if cp.len != DESC_STATS_REPLY_LEN {
        return invalid(ctx, cp);
    }
    let fields = [
        ("\n\t  mfr_desc ", DESC_STR_LEN),
        ("\n\t  hw_desc ", DESC_STR_LEN),
        ("\n\t  sw_desc ", DESC_STR_LEN),
        ("\n\t  serial_num ", SERIAL_NUM_LEN),
        ("\n\t  dp_desc ", DESC_STR_LEN),
    ];
    let mut rel = 0;
    for (label, n) in fields {
        quoted(ctx, label, &cp, rel, n)?;
        rel += n;
    }
    Ok(())
}

fn flow_stats_reply_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < FLOW_STATS_REPLY_MINLEN as u32 {
            return invalid(ctx, cp);
        }
        let entry_len = cp.u16(0)?;
        pr!(ctx, "\n\t length {}", entry_len);
        if entry_len < FLOW_STATS_REPLY_MINLEN || entry_len as u32 > cp.len {
            return invalid(ctx, cp);
        }
        cp.fwd(2);
        let t = cp.u8(0)?;
        ctx.push(", table_id ");
        tok2str(ctx.out, TABLE_ID, "{}", t as u32);
        cp.fwd(2);
        match_print(ctx, "\n\t  ", cp)?;
        cp.fwd(MATCH_LEN);
        pr!(ctx, "\n\t  duration_sec {}", cp.u32(0)?);
        pr!(ctx, ", duration_nsec {}", cp.u32(4)?);
        pr!(ctx, ", priority {}", cp.u16(8)?);
        pr!(ctx, ", idle_timeout {}", cp.u16(10)?);
        pr!(ctx, ", hard_timeout {}", cp.u16(12)?);
        pr!(ctx, ", cookie 0x{:016x}", cp.u64(20)?);
        pr!(ctx, ", packet_count {}", cp.u64(28)?);
        pr!(ctx, ", byte_count {}", cp.u64(36)?);
        cp.fwd(44);
        let actions = (entry_len - FLOW_STATS_REPLY_MINLEN) as u32;
        actions_print(ctx, "\n\t  ", Cp { len: actions, ..cp })?;
        cp.fwd(actions);
    }
    Ok(())
}

fn aggregate_stats_reply_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    if cp.len != AGGREGATE_STATS_REPLY_LEN {
        return invalid(ctx, cp);
    }
    pr!(ctx, "\n\t packet_count {}", cp.u64(0)?);
    pr!(ctx, ", byte_count {}", cp.u64(8)?);
    pr!(ctx, ", flow_count {}", cp.u32(16)?);
    cp.bytes(20, 4)?;
    Ok(())
}

fn table_stats_reply_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < TABLE_STATS_REPLY_LEN {
            return invalid(ctx, cp);
        }
        let t = cp.u8(0)?;
        ctx.push("\n\t table_id ");
        tok2str(ctx.out, TABLE_ID, "{}", t as u32);
        quoted(ctx, ", name ", &cp, 4, MAX_TABLE_NAME_LEN)?;
        let w = cp.u32(36)?;
        pr!(ctx, "\n\t  wildcards 0x{:08x}", w);
        bitmap_print(ctx, OFPFW, w, OFPFW_U);
        pr!(ctx, "\n\t  max_entries {}", cp.u32(40)?);
        pr!(ctx, ", active_count {}", cp.u32(44)?);
        pr!(ctx, ", lookup_count {}", cp.u64(48)?);
        pr!(ctx, ", matched_count {}", cp.u64(56)?);
        cp.fwd(TABLE_STATS_REPLY_LEN);
    }
    Ok(())
}

const PORT_COUNTERS: [&str; 12] = [
    "rx_packets",
    "tx_packets",
    "rx_bytes",
    "tx_bytes",
    "rx_dropped",
    "tx_dropped",
    "rx_errors",
    "tx_errors",
    "rx_frame_err",
    "rx_over_err",
    "rx_crc_err",
    "collisions",
];

fn port_stats_reply_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < PORT_STATS_REPLY_LEN {
            return invalid(ctx, cp);
        }
        let p = cp.u16(0)?;
        ctx.push("\n\t  port_no ");
        port(ctx, p);
        cp.fwd(2);
        if ctx.vflag() < 2 {
            cp.chk_fwd(PORT_STATS_REPLY_LEN - 2)?;
            continue;
        }
        cp.fwd(6);
        for name in PORT_COUNTERS {
            pr!(ctx, ", {} {}", name, cp.u64(0)?);
            cp.fwd(8);
        }
    }
    Ok(())
}

fn queue_stats_reply_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    while cp.len != 0 {
        if cp.len < QUEUE_STATS_REPLY_LEN {
            return invalid(ctx, cp);
        }
        let p = cp.u16(0)?;
        ctx.push("\n\t  port_no ");
        port(ctx, p);
        pr!(ctx, ", queue_id {}", cp.u32(4)?);
        pr!(ctx, ", tx_bytes {}", cp.u64(8)?);
        pr!(ctx, ", tx_packets {}", cp.u64(16)?);
        pr!(ctx, ", tx_errors {}", cp.u64(24)?);
        cp.fwd(QUEUE_STATS_REPLY_LEN);
    }
    Ok(())
}

fn stats_reply_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    let ty = cp.u16(0)?;
    ctx.push("\n\t type ");
    tok2str(ctx.out, OFPST, "invalid (0x{:04x})", ty as u32);
    cp.fwd(2);
    let flags = cp.u16(0)?;
    pr!(ctx, ", flags 0x{:04x}", flags);
    bitmap_print(ctx, OFPSF_REPLY, flags as u32, OFPSF_REPLY_U);
    cp.fwd(2);
    if ctx.vflag() > 0 {
        let decoder: Option<fn(&mut Ctx, Cp) -> PResult> = match ty {
            OFPST_DESC => Some(desc_stats_reply_print),
            OFPST_FLOW => Some(flow_stats_reply_print),
            OFPST_AGGREGATE => Some(aggregate_stats_reply_print),
            OFPST_TABLE => Some(table_stats_reply_print),
            OFPST_PORT => Some(port_stats_reply_print),
            OFPST_QUEUE => Some(queue_stats_reply_print),
            OFPST_VENDOR => Some(vendor_data_print),
            _ => None,
        };
        if let Some(d) = decoder {
            return d(ctx, cp);
        }
    }
    cp.tcheck(cp.len)
}

fn packet_out_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    pr!(ctx, "\n\t buffer_id 0x{:08x}", cp.u32(0)?);
    let p = cp.u16(4)?;
    ctx.push(", in_port ");
    port(ctx, p);
    let actions_len = cp.u16(6)? as u32;
    cp.fwd(8);
    if actions_len > cp.len {
        return invalid(ctx, cp);
    }
    actions_print(
        ctx,
        "\n\t ",
        Cp {
            len: actions_len,
            ..cp
        },
    )?;
    cp.fwd(actions_len);
    packet_data_print(ctx, cp)
}

fn packet_in_print(ctx: &mut Ctx, mut cp: Cp) -> PResult {
    let b = cp.u32(0)?;
    ctx.push("\n\t buffer_id ");
    tok2str(ctx.out, BUFFER_ID, "0x{:08x}", b);
    pr!(ctx, ", total_len {}", cp.u16(4)?);
    let p = cp.u16(6)?;
    ctx.push(", in_port ");
    port(ctx, p);
    let reason = cp.u8(8)?;
    ctx.push(", reason ");
    tok2str(ctx.out, OFPR, "invalid (0x{:02x})", reason as u32);
    cp.fwd(9);
    cp.chk_fwd(1)?;
    packet_data_print(ctx, cp)
}

fn flow_removed_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    match_print(ctx, "\n\t ", cp)?;
    let c = Cp {
        off: cp.off + MATCH_LEN as usize,
        ..cp
    };
    pr!(ctx, "\n\t cookie 0x{:016x}", c.u64(0)?);
    let prio = c.u16(8)?;
    if prio != 0 {
        pr!(ctx, ", priority {}", prio);
    }
    let reason = c.u8(10)?;
    ctx.push(", reason ");
    tok2str(ctx.out, OFPRR, "unknown (0x{:02x})", reason as u32);
    pr!(ctx, ", duration_sec {}", c.u32(12)?);
    pr!(ctx, ", duration_nsec {}", c.u32(16)?);
    let idle = c.u16(20)?;
    if idle != 0 {
        pr!(ctx, ", idle_timeout {}", idle);
    }
    pr!(ctx, ", packet_count {}", c.u64(24)?);
    pr!(ctx, ", byte_count {}", c.u64(32)?);
    Ok(())
}

fn port_status_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    let reason = cp.u8(0)?;
    ctx.push("\n\t reason ");
    tok2str(ctx.out, OFPPR, "invalid (0x{:02x})", reason as u32);
    phy_port_print(
        ctx,
        Cp {
            off: cp.off + 8,
            ..cp
        },
    )
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

/// Message types 0 to 21 (OFPT_*), with the body lengths the specification fixes.
static MSG_TYPES: [MsgType; 22] = [
    mt("HELLO", Req::MinLen(0), Some(data_print)),
    mt("ERROR", Req::MinLen(4), Some(error_print)),
    mt("ECHO_REQUEST", Req::MinLen(0), Some(data_print)),
    mt("ECHO_REPLY", Req::MinLen(0), Some(data_print)),
    mt("VENDOR", Req::MinLen(4), Some(vendor_message_print)),
    mt("FEATURES_REQUEST", Req::FixLen(0), None),
    mt(
        "FEATURES_REPLY",
        Req::MinLen(24),
        Some(features_reply_print),
    ),
    mt("GET_CONFIG_REQUEST", Req::FixLen(0), None),
    mt(
        "GET_CONFIG_REPLY",
        Req::FixLen(4),
        Some(switch_config_print),
    ),
    mt("SET_CONFIG", Req::FixLen(4), Some(switch_config_print)),
    // 20 bytes with 2 mock octets: 10 of body.
    mt("PACKET_IN", Req::MinLen(10), Some(packet_in_print)),
    mt("FLOW_REMOVED", Req::FixLen(80), Some(flow_removed_print)),
    mt("PORT_STATUS", Req::FixLen(56), Some(port_status_print)),
    mt("PACKET_OUT", Req::MinLen(8), Some(packet_out_print)),
    mt("FLOW_MOD", Req::MinLen(64), Some(flow_mod_print)),
    mt("PORT_MOD", Req::FixLen(24), Some(port_mod_print)),
    mt("STATS_REQUEST", Req::MinLen(4), Some(stats_request_print)),
    mt("STATS_REPLY", Req::MinLen(4), Some(stats_reply_print)),
    mt("BARRIER_REQUEST", Req::FixLen(0), None),
    mt("BARRIER_REPLY", Req::FixLen(0), None),
    mt(
        "QUEUE_GET_CONFIG_REQUEST",
        Req::FixLen(4),
        Some(queue_get_config_request_print),
    ),
    mt(
        "QUEUE_GET_CONFIG_REPLY",
        Req::MinLen(8),
        Some(queue_get_config_reply_print),
    ),
];

/// `of10_identify_msgtype`.
pub fn msgtype(ty: u8) -> Option<&'static MsgType> {
    MSG_TYPES.get(ty as usize)
}

#[cfg(test)]
mod tests {
    use crate::proto::openflow::openflow_print;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A FLOW_MOD (ADD, match in_port 1 and dl_type IPv4, one OUTPUT action to port 2).
    const FLOW_MOD: &[u8] = &[
        1, 14, 0, 80, 0, 0, 0, 9, 0, 63, 255, 238, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0,
        0, 10, 0, 0, 128, 0, 255, 255, 255, 255, 0, 0, 0, 1, 0, 0, 0, 8, 0, 2, 0, 0,
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| {
            openflow_print(ctx, p, p.len() as u32)
        })
    }

    #[test]
    fn flow_mod() {
        assert_eq!(
            run(0, FLOW_MOD),
            ": OpenFlow\n\tversion 1.0, type FLOW_MOD, length 80, xid 0x00000009"
        );
        assert_eq!(
            run(1, FLOW_MOD),
            ": OpenFlow\n\tversion 1.0, type FLOW_MOD, length 80, xid 0x00000009\n\t match \
             in_port 1\n\t match dl_type 0x0800\n\t cookie 0x0000000000000007, command ADD, \
             idle_timeout 10, priority 32768, buffer_id NONE, flags 0x0001 (SEND_FLOW_REM)\
             \n\t action type OUTPUT, len 8, port 2"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(FLOW_MOD, &verbosities(3), |ctx, p| {
            openflow_print(ctx, p, 80)
        });
    }
}
