//! IEEE "slow protocols" (Ethernet type 0x8809): LACP and Marker (IEEE 802.3ad / 802.1AX)
//! and Ethernet OAM (IEEE 802.3ah); tcpdump's print-slow.c.

use super::oui::OUI_VALUES;
use super::util_print::{print_unknown_data, tail};
use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult, Truncated};

const SLOW_PROTO_LACP: u8 = 1;
const SLOW_PROTO_MARKER: u8 = 2;
const SLOW_PROTO_OAM: u8 = 3;

const SLOW_PROTO_VALUES: &[(u32, &str)] = &[(1, "LACP"), (2, "MARKER"), (3, "OAM")];

const SLOW_TLV_VALUES: &[(u32, &str)] = &[
    (0x100, "Terminator"),
    (0x101, "Actor Information"),
    (0x102, "Partner Information"),
    (0x103, "Collector Information"),
    (0x200, "Terminator"),
    (0x201, "Marker Information"),
];

const ACTOR_PARTNER_STATE_VALUES: &[(u32, &str)] = &[
    (0x01, "Activity"),
    (0x02, "Timeout"),
    (0x04, "Aggregation"),
    (0x08, "Synchronization"),
    (0x10, "Collecting"),
    (0x20, "Distributing"),
    (0x40, "Default"),
    (0x80, "Expired"),
];

const OAM_FLAG_VALUES: &[(u32, &str)] = &[
    (0x0001, "Link Fault"),
    (0x0002, "Dying Gasp"),
    (0x0004, "Critical Event"),
    (0x0008, "Local Evaluating"),
    (0x0010, "Local Stable"),
    (0x0020, "Remote Evaluating"),
    (0x0040, "Remote Stable"),
];

const OAM_CODE_VALUES: &[(u32, &str)] = &[
    (0x00, "Information"),
    (0x01, "Event Notification"),
    (0x02, "Variable Request"),
    (0x03, "Variable Response"),
    (0x04, "Loopback Control"),
    (0xfe, "Vendor Private"),
];

const OAM_INFO_TYPE_VALUES: &[(u32, &str)] = &[
    (0x00, "End of TLV marker"),
    (0x01, "Local"),
    (0x02, "Remote"),
    (0xfe, "Organization specific"),
];

const OAM_PARSER_VALUES: &[(u32, &str)] = &[
    (0, "forwarding"),
    (1, "looping back"),
    (2, "discarding"),
    (3, "reserved"),
];

const OAM_MUX_VALUES: &[(u32, &str)] = &[(0, "forwarding"), (4, "discarding")];

const OAM_CONFIG_VALUES: &[(u32, &str)] = &[
    (0x01, "Active"),
    (0x02, "Unidirectional"),
    (0x04, "Remote-Loopback"),
    (0x08, "Link-Events"),
    (0x10, "Variable-Retrieval"),
];

const OAM_LINK_EVENT_VALUES: &[(u32, &str)] = &[
    (0x00, "End of TLV marker"),
    (0x01, "Errored Symbol Period Event"),
    (0x02, "Errored Frame Event"),
    (0x03, "Errored Frame Period Event"),
    (0x04, "Errored Frame Seconds Summary Event"),
    (0xfe, "Organization specific"),
];

const OAM_LOOPBACK_CMD_VALUES: &[(u32, &str)] = &[
    (0x01, "Enable OAM Remote Loopback"),
    (0x02, "Disable OAM Remote Loopback"),
];

/// Why a TLV walk stopped early.
enum Short {
    /// "packet is too short".
    TooShort,
    Trunc(Truncated),
}

impl From<Truncated> for Short {
    fn from(t: Truncated) -> Self {
        Short::Trunc(t)
    }
}

/// A slow protocols PDU.
pub fn slow_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "slow";
    let too_short = |ctx: &mut Ctx| {
        if ctx.vflag() == 0 {
            ctx.push(" (packet is too short)");
        } else {
            ctx.push("\n\t\t packet is too short");
        }
    };
    if len < 1 {
        too_short(ctx);
        return Ok(());
    }
    let subtype = p.u8_at(0)?;
    let print_version = match subtype {
        SLOW_PROTO_LACP | SLOW_PROTO_MARKER => {
            if len < 2 {
                too_short(ctx);
                return Ok(());
            }
            let v = p.u8_at(1)?;
            if v != 1 {
                let what = if subtype == SLOW_PROTO_LACP {
                    "LACP"
                } else {
                    "MARKER"
                };
                pr!(ctx, "{} version {} packet not supported", what, v);
                return Ok(());
            }
            Some(true)
        }
        SLOW_PROTO_OAM => Some(false),
        _ => None,
    };
    match tok(SLOW_PROTO_VALUES, subtype as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "unknown ({})", subtype),
    }
    if print_version == Some(true) {
        pr!(ctx, "v{}, length {}", p.u8_at(1)?, len);
    } else {
        pr!(ctx, ", length {}", len);
    }
    if print_version.is_none() {
        print_unknown_data(ctx, p, "\n\t", len as usize);
        return Ok(());
    }
    if ctx.vflag() == 0 {
        return Ok(());
    }
    let r = if subtype == SLOW_PROTO_OAM {
        oam_print(ctx, tail(p, 1), len - 1)
    } else {
        marker_lacp_print(ctx, tail(p, 2), len - 2, subtype)
    };
    match r {
        Ok(()) => Ok(()),
        Err(Short::TooShort) => {
            ctx.push("\n\t\t packet is too short");
            Ok(())
        }
        Err(Short::Trunc(t)) => Err(t),
    }
}

/// The checks after a TLV's line (`tlen`: the bytes left from the TLV on): false (stop) at
/// the terminator (type 0) or on an illegal length; `TooShort` when it runs past the PDU.
fn tlv_ok(ctx: &mut Ctx, ty: u8, len: usize, tlen: usize) -> Result<bool, Short> {
    if ty == 0 {
        return Ok(false);
    }
    if len < 2 {
        ctx.push("\n\t    ERROR: illegal length - should be >= 2");
        return Ok(false);
    }
    if tlen < len {
        return Err(Short::TooShort);
    }
    Ok(true)
}

fn marker_lacp_print(ctx: &mut Ctx, p: &[u8], tlen: u32, subtype: u8) -> Result<(), Short> {
    let mut tlen = tlen as usize;
    let mut off = 0usize;
    while tlen > 0 {
        if tlen < 2 {
            return Err(Short::TooShort);
        }
        let ty = p.u8_at(off)?;
        let len = p.u8_at(off + 1)? as usize;
        let key = ((subtype as u32) << 8) + ty as u32;
        pr!(
            ctx,
            "\n\t{} TLV (0x{:02x}), length {}",
            tok(SLOW_TLV_VALUES, key).unwrap_or("Unknown"),
            ty,
            len
        );
        if !tlv_ok(ctx, ty, len, tlen)? {
            return Ok(());
        }
        let t = p.sub(off, len)?;
        let v = &t[2..];
        match key {
            0x101 | 0x102 => {
                if v.len() != 18 {
                    ctx.push("\n\t    ERROR: illegal length - should be 20");
                } else {
                    ctx.push("\n\t  System ");
                    ctx.mac(&v[2..8]);
                    pr!(
                        ctx,
                        ", System Priority {}, Key {}, Port {}, Port Priority {}\n\t  State Flags [",
                        v.be_u16(0)?,
                        v.be_u16(8)?,
                        v.be_u16(12)?,
                        v.be_u16(10)?
                    );
                    bittok2str(
                        ctx.out,
                        ACTOR_PARTNER_STATE_VALUES,
                        "none",
                        v[14] as u32,
                        ", ",
                    );
                    ctx.push("]");
                }
            }
            0x103 => {
                if v.len() != 14 {
                    ctx.push("\n\t    ERROR: illegal length - should be 16");
                } else {
                    pr!(ctx, "\n\t  Max Delay {}", v.be_u16(0)?);
                }
            }
            0x201 => {
                if v.len() != 14 {
                    ctx.push("\n\t    ERROR: illegal length - should be 16");
                } else {
                    ctx.push("\n\t  Request System ");
                    ctx.mac(&v[2..8]);
                    pr!(
                        ctx,
                        ", Request Port {}, Request Transaction ID 0x{:08x}",
                        v.be_u16(0)?,
                        v.be_u32(8)?
                    );
                }
            }
            _ => {
                if ctx.vflag() <= 1 {
                    print_unknown_data(ctx, v, "\n\t  ", v.len());
                }
            }
        }
        if ctx.vflag() > 1 {
            print_unknown_data(ctx, v, "\n\t  ", v.len());
        }
        off += len;
        tlen -= len;
    }
    Ok(())
}

fn oam_print(ctx: &mut Ctx, p: &[u8], tlen: u32) -> Result<(), Short> {
    let mut tlen = tlen as usize;
    if tlen < 3 {
        return Err(Short::TooShort);
    }
    let flags = p.be_u16(0)?;
    let code = p.u8_at(2)?;
    ctx.push("\n\tCode ");
    match tok(OAM_CODE_VALUES, code as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "Unknown ({})", code),
    }
    ctx.push(" OAM PDU, Flags [");
    bittok2str(ctx.out, OAM_FLAG_VALUES, "none", flags as u32, ", ");
    ctx.push("]");
    let mut off = 3usize;
    tlen -= 3;
    match code {
        0x00 | 0x01 => {
            let event = code == 0x01;
            if event {
                if tlen < 2 {
                    return Err(Short::TooShort);
                }
                pr!(ctx, "\n\t  Sequence Number {}", p.be_u16(off)?);
                off += 2;
                tlen -= 2;
            }
            while tlen > 0 {
                if tlen < 2 {
                    return Err(Short::TooShort);
                }
                let ty = p.u8_at(off)?;
                let len = p.u8_at(off + 1)? as usize;
                if event {
                    pr!(
                        ctx,
                        "\n\t  {} Link Event Type ({}), length {}",
                        tok(OAM_LINK_EVENT_VALUES, ty as u32).unwrap_or("Reserved"),
                        ty,
                        len
                    );
                } else {
                    pr!(
                        ctx,
                        "\n\t  {} Information Type ({}), length {}",
                        tok(OAM_INFO_TYPE_VALUES, ty as u32).unwrap_or("Reserved"),
                        ty,
                        len
                    );
                }
                if !tlv_ok(ctx, ty, len, tlen)? {
                    return Ok(());
                }
                let t = p.sub(off, len)?;
                let mut hexdump = false;
                if !event && (ty == 1 || ty == 2) {
                    if t.u8_at(1)? != 16 {
                        ctx.push("\n\t    ERROR: illegal length - should be 16");
                        hexdump = true;
                    } else {
                        pr!(
                            ctx,
                            "\n\t    OAM-Version {}, Revision {}",
                            t.u8_at(2)?,
                            t.be_u16(3)?
                        );
                        let state = t.u8_at(5)?;
                        pr!(
                            ctx,
                            "\n\t    State-Parser-Action {}, State-MUX-Action {}",
                            tok(OAM_PARSER_VALUES, (state & 3) as u32).unwrap_or("Reserved"),
                            tok(OAM_MUX_VALUES, (state & 4) as u32).unwrap_or("Reserved")
                        );
                        ctx.push("\n\t    OAM-Config Flags [");
                        bittok2str(ctx.out, OAM_CONFIG_VALUES, "none", t.u8_at(6)? as u32, ", ");
                        pr!(
                            ctx,
                            "], OAM-PDU-Config max-PDU size {}",
                            t.be_u16(7)? & 0x7ff
                        );
                        let oui = t.be_u24(9)?;
                        pr!(
                            ctx,
                            "\n\t    OUI {} (0x{:06x}), Vendor-Private 0x{:08x}",
                            tok(OUI_VALUES, oui).unwrap_or("Unknown"),
                            oui,
                            t.be_u32(12)?
                        );
                    }
                } else if event && (1..=4).contains(&ty) {
                    if t.u8_at(1)? != 40 {
                        ctx.push("\n\t    ERROR: illegal length - should be 40");
                        hexdump = true;
                    } else {
                        pr!(
                            ctx,
                            "\n\t    Timestamp {} ms, Errored Window {}\n\t    Errored Threshold {}\
                             \n\t    Errors {}\n\t    Error Running Total {}\
                             \n\t    Event Running Total {}",
                            t.be_u16(2)? as u32 * 100,
                            t.be_u64(4)?,
                            t.be_u64(12)?,
                            t.be_u64(20)?,
                            t.be_u64(28)?,
                            t.be_u32(36)?
                        );
                    }
                } else {
                    hexdump = true;
                }
                if ctx.vflag() > 1 || hexdump {
                    print_unknown_data(ctx, t, "\n\t  ", len);
                }
                off += len;
                tlen -= len;
            }
        }
        0x04 => {
            if tlen < 1 {
                return Err(Short::TooShort);
            }
            let c = p.u8_at(off)?;
            pr!(
                ctx,
                "\n\t  Command {} ({})",
                tok(OAM_LOOPBACK_CMD_VALUES, c as u32).unwrap_or("Unknown"),
                c
            );
        }
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data(ctx, tail(p, off), "\n\t  ", tlen);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8], verbose: u8) -> (String, PResult) {
        run_with(&opts(verbose, false), |ctx| {
            slow_print(ctx, p, p.len() as u32)
        })
    }

    const LACP: &[u8] = &[
        1, 1, // LACPv1
        1, 20, 0x80, 0, 0, 0x13, 0xc4, 0x12, 0x0f, 0, 0, 13, 0x80, 0, 0, 22, 0x85, 0, 0, 0, 3, 16,
        0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // collector
        0, 0, // terminator
    ];

    #[test]
    fn lacp() {
        assert_eq!(run(LACP, 0).0, "LACPv1, length 40");
        assert_eq!(
            run(LACP, 1).0,
            "LACPv1, length 40\n\tActor Information TLV (0x01), length 20\
             \n\t  System 00:13:c4:12:0f:00, System Priority 32768, Key 13, Port 22, Port Priority 32768\
             \n\t  State Flags [Activity, Aggregation, Expired]\
             \n\tCollector Information TLV (0x03), length 16\n\t  Max Delay 32768\
             \n\tTerminator TLV (0x00), length 0"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(LACP, &verbosities(2), |ctx, p| {
            slow_print(ctx, p, LACP.len() as u32)
        });
    }
}
