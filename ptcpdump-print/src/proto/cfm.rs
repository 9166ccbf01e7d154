//! Connectivity Fault Management (IEEE 802.1ag / 802.1Q clause 21): continuity check,
//! loopback and linktrace messages and their TLVs; tcpdump's print-cfm.c. Ethernet types
//! 0x8902 and the pre-standard 0xabcd.

use super::af::{AF_VALUES, AFNUM_INET, AFNUM_INET6};
use super::util_print::{print_unknown_data_at, printjnp, tail};
use super::{Ctx, bittok2str, oui, pr, tok, tok2str};
use crate::addr::{Ip, Mac};
use crate::cursor::{Bytes, PResult};

const COMMON_HDR: u32 = 4;
const CFM_VERSION: u8 = 0;

const OPCODE_CCM: u8 = 1;
const OPCODE_LTR: u8 = 4;
const OPCODE_LTM: u8 = 5;

const OPCODE_VALUES: &[(u32, &str)] = &[
    (1, "Continuity Check Message"),
    (2, "Loopback Reply"),
    (3, "Loopback Message"),
    (4, "Linktrace Reply"),
    (5, "Linktrace Message"),
];

/// Sequence number, MA end point ID, 48 octets of names, 16 reserved for ITU-T Y.1731.
const CCM_LEN: u32 = 70;
const CCM_NAMES_LEN: u32 = 48;
/// Transaction ID, TTL, original MAC, target MAC.
const LTM_LEN: u32 = 17;
/// Transaction ID, TTL, relay action.
const LTR_LEN: u32 = 6;

/// CCM interval field to seconds (802.1Q table 21-16).
const CCM_INTERVAL_BASE: [f32; 8] = [0.0, 0.003333, 0.01, 0.1, 1.0, 10.0, 60.0, 600.0];
const CCM_INTERVAL_MIN_MULTIPLIER: f64 = 3.25;
const CCM_INTERVAL_MAX_MULTIPLIER: f64 = 3.5;
const CCM_RDI_FLAG: u8 = 0x80;

const MD_FORMAT_NONE: u8 = 1;
const MD_FORMAT_DNS: u8 = 2;
const MD_FORMAT_MAC: u8 = 3;
const MD_FORMAT_CHAR: u8 = 4;

const MD_NAMEFORMAT_VALUES: &[(u32, &str)] = &[
    (0, "IEEE 802.1"),
    (1, "No MD Name present"),
    (2, "DNS string"),
    (3, "MAC + 16Bit Integer"),
    (4, "Character string"),
];

const MA_FORMAT_CHAR: u8 = 2;

const MA_NAMEFORMAT_VALUES: &[(u32, &str)] = &[
    (0, "IEEE 802.1"),
    (1, "Primary VID"),
    (2, "Character string"),
    (3, "16Bit Integer"),
    (4, "RFC2685 VPN-ID"),
];

const LTM_FLAG_VALUES: &[(u32, &str)] = &[(0x80, "Use Forwarding-DB only")];

const LTR_FLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "UseFDB Only"),
    (0x40, "FwdYes"),
    (0x20, "Terminal MEP"),
];

const LTR_REPLAY_ACTION_VALUES: &[(u32, &str)] =
    &[(1, "Exact Match"), (2, "Filtering DB"), (3, "MIP CCM DB")];

const TLV_END: u8 = 0;
const TLV_SENDER_ID: u8 = 1;
const TLV_PORT_STATUS: u8 = 2;
const TLV_INTERFACE_STATUS: u8 = 3;
const TLV_PRIVATE: u8 = 31;

const TLV_VALUES: &[(u32, &str)] = &[
    (0, "End"),
    (1, "Sender ID"),
    (2, "Port status"),
    (3, "Interface status"),
    (4, "Data"),
    (5, "Reply Ingress"),
    (6, "Reply Egress"),
    (31, "Organization Specific"),
];

const PORT_STATUS_VALUES: &[(u32, &str)] = &[(1, "Blocked"), (2, "Up")];

const INTERFACE_STATUS_VALUES: &[(u32, &str)] = &[
    (1, "Up"),
    (2, "Down"),
    (3, "Testing"),
    (5, "Dormant"),
    (6, "not present"),
    (7, "lower Layer down"),
];

const CHASSIS_ID_CHASSIS_COMPONENT: u8 = 1;
const CHASSIS_ID_INTERFACE_ALIAS: u8 = 2;
const CHASSIS_ID_PORT_COMPONENT: u8 = 3;
const CHASSIS_ID_MAC_ADDRESS: u8 = 4;
const CHASSIS_ID_NETWORK_ADDRESS: u8 = 5;
const CHASSIS_ID_INTERFACE_NAME: u8 = 6;
const CHASSIS_ID_LOCAL: u8 = 7;

const CHASSIS_ID_VALUES: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "Chassis component"),
    (2, "Interface alias"),
    (3, "Port component"),
    (4, "MAC address"),
    (5, "Network address"),
    (6, "Interface name"),
    (7, "Locally assigned"),
];

/// How the message ended early.
enum End {
    TooShort,
    Trunc,
    /// Already said why.
    Quiet,
}

/// A CFM PDU.
pub fn cfm_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "cfm";
    match pdu(ctx, p, length)? {
        Some(End::TooShort) => ctx.push("\n\t\t packet is too short"),
        Some(End::Trunc) => ctx.print_trunc(),
        Some(End::Quiet) | None => {}
    }
    Ok(())
}

fn pdu(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<Option<End>> {
    if length < COMMON_HDR {
        return Ok(Some(End::TooShort));
    }
    if !p.has(0, COMMON_HDR as usize) {
        return Ok(Some(End::Trunc));
    }
    let version = p[0] & 0x1f;
    if version != CFM_VERSION {
        pr!(ctx, "CFMv{} not supported, length {}", version, length);
        return Ok(None);
    }
    let opcode = p[1];
    pr!(ctx, "CFMv{} ", version);
    tok2str(ctx.out, OPCODE_VALUES, "unknown ({})", opcode as u32);
    pr!(ctx, ", MD Level {}, length {}", p[0] >> 5, length);
    if ctx.vflag() < 1 {
        return Ok(None);
    }
    let (flags, first_tlv) = (p[2], p[3] as u32);
    pr!(ctx, "\n\tFirst TLV offset {}", first_tlv);
    let m = COMMON_HDR as usize;
    let mut tlen = length - COMMON_HDR;
    if first_tlv > tlen {
        pr!(ctx, " (too large, must be <= {})", tlen);
        return Ok(None);
    }
    // The fixed part of each message type, before the TLVs.
    let (min, which) = match opcode {
        OPCODE_CCM => (CCM_LEN, 1),
        OPCODE_LTM => (LTM_LEN, 4),
        OPCODE_LTR => (LTR_LEN, 5),
        _ => (0, 0),
    };
    if which != 0 {
        if first_tlv < min {
            pr!(ctx, " (too small {}, must be >= {})", which, min);
            return Ok(None);
        }
        if tlen < min {
            return Ok(Some(End::TooShort));
        }
        if !p.has(m, min as usize) {
            return Ok(Some(End::Trunc));
        }
    }
    match opcode {
        OPCODE_CCM => {
            if let Some(end) = ccm(ctx, p, m, flags)? {
                return Ok(Some(end));
            }
        }
        OPCODE_LTM => {
            ctx.push(", Flags [");
            bittok2str(ctx.out, LTM_FLAG_VALUES, "none", flags as u32, ", ");
            pr!(
                ctx,
                "]\n\t  Transaction-ID 0x{:08x}, ttl {}",
                p.be_u32(m)?,
                p[m + 4]
            );
            pr!(
                ctx,
                "\n\t  Original-MAC {}, Target-MAC {}",
                Mac(&p[m + 5..m + 11]),
                Mac(&p[m + 11..m + 17])
            );
        }
        OPCODE_LTR => {
            ctx.push(", Flags [");
            bittok2str(ctx.out, LTR_FLAG_VALUES, "none", flags as u32, ", ");
            pr!(
                ctx,
                "]\n\t  Transaction-ID 0x{:08x}, ttl {}",
                p.be_u32(m)?,
                p[m + 4]
            );
            pr!(
                ctx,
                "\n\t  Replay-Action {} ({})",
                tok(LTR_REPLAY_ACTION_VALUES, p[m + 5] as u32).unwrap_or("Unknown"),
                p[m + 5]
            );
        }
        // No decoder for the loopback messages: the part before the TLVs is dumped.
        _ => {
            print_unknown_data_at(ctx, p, m, "\n\t  ", (tlen - first_tlv) as usize);
        }
    }
    let mut t = m + first_tlv as usize;
    tlen -= first_tlv;
    while tlen > 0 {
        let ty = p.u8_at(t)?;
        pr!(
            ctx,
            "\n\t{} TLV (0x{:02x})",
            tok(TLV_VALUES, ty as u32).unwrap_or("Unknown"),
            ty
        );
        // The End TLV has no length field.
        if ty == TLV_END {
            return Ok(None);
        }
        if tlen < 3 {
            return Ok(Some(End::TooShort));
        }
        if !p.has(t, 3) {
            return Ok(Some(End::Trunc));
        }
        let mut len = p.be_u16(t + 1)? as u32;
        pr!(ctx, ", length {}", len);
        t += 3;
        tlen -= 3;
        let v = t;
        if tlen < len {
            return Ok(Some(End::TooShort));
        }
        if !p.has(t, len as usize) {
            return Ok(Some(End::Trunc));
        }
        let mut hexdump = false;
        // Set when tcpdump skips the optional dump and goes on with the next TLV.
        let mut next = false;
        match ty {
            TLV_PORT_STATUS | TLV_INTERFACE_STATUS => {
                if len < 1 {
                    ctx.push(" (too short, must be >= 1)");
                    return Ok(Some(End::Quiet));
                }
                let table = if ty == TLV_PORT_STATUS {
                    PORT_STATUS_VALUES
                } else {
                    INTERFACE_STATUS_VALUES
                };
                pr!(
                    ctx,
                    ", Status: {} ({})",
                    tok(table, p[t] as u32).unwrap_or("Unknown"),
                    p[t]
                );
            }
            TLV_PRIVATE => {
                if len < 4 {
                    ctx.push(" (too short, must be >= 4)");
                    return Ok(Some(End::Quiet));
                }
                let o = p.be_u24(t)?;
                pr!(
                    ctx,
                    ", Vendor: {} ({}), Sub-Type {}",
                    tok(oui::OUI_VALUES, o).unwrap_or("Unknown"),
                    o,
                    p[t + 3]
                );
                hexdump = true;
            }
            TLV_SENDER_ID => match sender_id(ctx, p, &mut t, &mut tlen, &mut len)? {
                SenderId::Done(h) => hexdump = h,
                SenderId::Next => next = true,
                SenderId::Stop => return Ok(None),
            },
            _ => hexdump = true,
        }
        if !next && (hexdump || ctx.vflag() > 1) {
            print_unknown_data_at(ctx, p, v, "\n\t  ", len as usize);
        }
        t += len as usize;
        tlen -= len;
    }
    Ok(None)
}

/// The continuity check message's fixed part at `m` (captured).
fn ccm(ctx: &mut Ctx, p: &[u8], m: usize, flags: u8) -> PResult<Option<End>> {
    let interval = (flags & 0x07) as usize;
    pr!(
        ctx,
        ", Flags [CCM Interval {}{}]",
        interval,
        if flags & CCM_RDI_FLAG != 0 {
            ", RDI"
        } else {
            ""
        }
    );
    if interval != 0 {
        let base = CCM_INTERVAL_BASE[interval] as f64;
        pr!(
            ctx,
            "\n\t  CCM Interval {:.3}s, min CCM Lifetime {:.3}s, max CCM Lifetime {:.3}s",
            base,
            base * CCM_INTERVAL_MIN_MULTIPLIER,
            base * CCM_INTERVAL_MAX_MULTIPLIER
        );
    }
    pr!(
        ctx,
        "\n\t  Sequence Number 0x{:08x}, MA-End-Point-ID 0x{:04x}",
        p.be_u32(m)?,
        p.be_u16(m + 4)?
    );
    let mut n = m + 6;
    let mut remaining = CCM_NAMES_LEN;
    let md_format = p[n];
    n += 1;
    remaining -= 1;
    if md_format != MD_FORMAT_NONE {
        let md_len = p[n] as u32;
        n += 1;
        remaining -= 1;
        pr!(
            ctx,
            "\n\t  MD Name Format {} ({}), MD Name length {}",
            tok(MD_NAMEFORMAT_VALUES, md_format as u32).unwrap_or("Unknown"),
            md_format,
            md_len
        );
        // Room must be left for the MA name format, length and one octet of name.
        if md_len > remaining - 3 {
            pr!(ctx, " (too large, must be <= {})", remaining - 2);
            return Ok(Some(End::Quiet));
        }
        ctx.push("\n\t  MD Name: ");
        match md_format {
            MD_FORMAT_DNS | MD_FORMAT_CHAR => printjnp(ctx, &p[n..], md_len as usize)?,
            MD_FORMAT_MAC => {
                if md_len == 6 {
                    pr!(ctx, "\n\t  MAC {}", Mac(&p[n..n + 6]));
                } else {
                    ctx.push("\n\t  MAC (length invalid)");
                }
            }
            _ => {
                print_unknown_data_at(ctx, p, n, "\n\t    ", md_len as usize);
            }
        }
        n += md_len as usize;
        remaining -= md_len;
    } else {
        pr!(
            ctx,
            "\n\t  MD Name Format {} ({})",
            tok(MD_NAMEFORMAT_VALUES, md_format as u32).unwrap_or("Unknown"),
            md_format
        );
    }
    let ma_format = p[n];
    let ma_len = p[n + 1] as u32;
    n += 2;
    remaining -= 2;
    pr!(
        ctx,
        "\n\t  MA Name-Format {} ({}), MA name length {}",
        tok(MA_NAMEFORMAT_VALUES, ma_format as u32).unwrap_or("Unknown"),
        ma_format,
        ma_len
    );
    if ma_len > remaining {
        pr!(ctx, " (too large, must be <= {})", remaining);
        return Ok(Some(End::Quiet));
    }
    ctx.push("\n\t  MA Name: ");
    if ma_format == MA_FORMAT_CHAR {
        printjnp(ctx, &p[n..], ma_len as usize)?;
    } else {
        print_unknown_data_at(ctx, p, n, "\n\t    ", ma_len as usize);
    }
    Ok(None)
}

enum SenderId {
    /// Decoded; whether to dump the (rest of the) TLV.
    Done(bool),
    /// Too short: on to the next TLV without the dump.
    Next,
    /// The management address does not fit: nothing more is printed.
    Stop,
}

/// The sender ID TLV (802.1Q section 21.5.3). `t`, `tlen` and `len` advance over what was
/// decoded, as tcpdump's do, so that the dump and the step to the next TLV use the rest.
fn sender_id(
    ctx: &mut Ctx,
    p: &[u8],
    t: &mut usize,
    tlen: &mut u32,
    len: &mut u32,
) -> PResult<SenderId> {
    let mut hexdump = false;
    if *len < 1 {
        ctx.push(" (too short, must be >= 1)");
        return Ok(SenderId::Next);
    }
    let chassis_len = p.u8_at(*t)? as u32;
    *t += 1;
    *tlen -= 1;
    *len -= 1;
    if chassis_len != 0 {
        if *len < 1 {
            ctx.push("\n\t  (TLV too short)");
            return Ok(SenderId::Next);
        }
        let chassis_type = p.u8_at(*t)?;
        *len -= 1;
        pr!(
            ctx,
            "\n\t  Chassis-ID Type {} ({}), Chassis-ID length {}",
            tok(CHASSIS_ID_VALUES, chassis_type as u32).unwrap_or("Unknown"),
            chassis_type,
            chassis_len
        );
        if *len < chassis_len {
            ctx.push("\n\t  (TLV too short)");
            return Ok(SenderId::Next);
        }
        let id = *t + 1;
        match chassis_type {
            CHASSIS_ID_MAC_ADDRESS => {
                if chassis_len != 6 {
                    ctx.push(" (invalid MAC address length)");
                    hexdump = true;
                } else {
                    pr!(ctx, "\n\t  MAC {}", Mac(p.sub(id, 6)?));
                }
            }
            CHASSIS_ID_NETWORK_ADDRESS => {
                hexdump |= network_addr(ctx, p, id, chassis_len)?;
            }
            CHASSIS_ID_INTERFACE_NAME
            | CHASSIS_ID_INTERFACE_ALIAS
            | CHASSIS_ID_LOCAL
            | CHASSIS_ID_CHASSIS_COMPONENT
            | CHASSIS_ID_PORT_COMPONENT => printjnp(ctx, tail(p, id), chassis_len as usize)?,
            _ => hexdump = true,
        }
        *len -= chassis_len;
        *t += 1 + chassis_len as usize;
        *tlen -= 1 + chassis_len;
    }
    // The management address fields are there only if the TLV is long enough.
    if *len == 0 {
        return Ok(SenderId::Done(hexdump));
    }
    let domain_len = p.u8_at(*t)? as u32;
    *t += 1;
    *tlen -= 1;
    *len -= 1;
    pr!(ctx, "\n\t  Management Address Domain Length {}", domain_len);
    if domain_len != 0 {
        if *len < domain_len {
            ctx.push("\n\t  (TLV too short)");
            return Ok(SenderId::Next);
        }
        *len -= domain_len;
        crate::dump::hex_print(
            ctx.out,
            "\n\t  Management Address Domain: ",
            tail(p, *t),
            domain_len as usize,
            0,
        )?;
        *t += domain_len as usize;
        *tlen -= domain_len;
        if *len < 1 {
            ctx.push(" (Management Address Length is missing)");
            return Ok(SenderId::Done(true));
        }
        let addr_len = p.u8_at(*t)? as u32;
        *t += 1;
        *tlen -= 1;
        *len -= 1;
        pr!(ctx, "\n\t  Management Address Length {}", addr_len);
        if addr_len != 0 {
            if *len < addr_len {
                ctx.push("\n\t  (TLV too short)");
                return Ok(SenderId::Stop);
            }
            *len -= addr_len;
            crate::dump::hex_print(
                ctx.out,
                "\n\t  Management Address: ",
                tail(p, *t),
                addr_len as usize,
                0,
            )?;
            *t += addr_len as usize;
            *tlen -= addr_len;
        }
    }
    Ok(SenderId::Done(hexdump))
}

/// A chassis ID of the network address kind: a one-octet address family, then the
/// address. Returns whether to dump the TLV.
fn network_addr(ctx: &mut Ctx, p: &[u8], a: usize, len: u32) -> PResult<bool> {
    if len < 1 {
        // sic: tcpdump leaves the parenthesis open.
        ctx.push("\n\t  Network Address Type (invalid, no data");
        return Ok(false);
    }
    let af = p.u8_at(a)? as u32;
    pr!(
        ctx,
        "\n\t  Network Address Type {} ({})",
        tok(AF_VALUES, af).unwrap_or("Unknown"),
        af
    );
    let alen = match af {
        x if x == AFNUM_INET as u32 => 4,
        x if x == AFNUM_INET6 as u32 => 16,
        _ => return Ok(true),
    };
    if len != 1 + alen {
        pr!(
            ctx,
            "(invalid IPv{} address length {})",
            if alen == 4 { 4 } else { 6 },
            len - 1
        );
        return Ok(true);
    }
    pr!(ctx, ", {}", Ip(p.sub(a + 1, alen as usize)?));
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    // A linktrace message with a sender ID TLV (MAC chassis ID) and the End TLV.
    const LTM: &[u8] = &[
        0x20, 0x05, 0x80, 0x11, 0x00, 0x00, 0x00, 0x07, 0x40, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
        0x00, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x01, 0x00, 0x09, 0x06, 0x04, 0x00, 0x11, 0x22, 0x33,
        0x44, 0x55, 0x00, 0x00,
    ];

    #[test]
    fn linktrace() {
        let run = |p: &[u8], v| run_marked(&opts(v, false), |ctx| cfm_print(ctx, p, 34));
        assert_eq!(
            run(LTM, 0),
            "CFMv0 Linktrace Message, MD Level 1, length 34"
        );
        assert_eq!(
            run(LTM, 1),
            "CFMv0 Linktrace Message, MD Level 1, length 34\n\tFirst TLV offset 17, Flags \
             [Use Forwarding-DB only]\n\t  Transaction-ID 0x00000007, ttl 64\
             \n\t  Original-MAC 00:11:22:33:44:55, Target-MAC 00:66:77:88:99:aa\
             \n\tSender ID TLV (0x01), length 9\n\t  Chassis-ID Type MAC address (4), \
             Chassis-ID length 6\n\t  MAC 00:11:22:33:44:55\n\t  Management Address Domain \
             Length 0\n\tEnd TLV (0x00)"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(LTM, &verbosities(2), |ctx, p| cfm_print(ctx, p, 34));
    }
}
