//! LLDP, Link Layer Discovery Protocol (IEEE 802.1AB), with the IEEE 802.1 and 802.3
//! organizationally specific TLVs (802.1AB annexes E and F); tcpdump's print-lldp.c.
//! Other organizations' TLVs (TIA LLDP-MED, DCBX, IANA) are shown as hex dumps.

use super::oui::OUI_VALUES;
use super::util_print::{print_unknown_data, printjnp, printn, tail};
use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult};

const TLV_CHASSIS_ID: u16 = 1;
const TLV_PORT_ID: u16 = 2;
const TLV_TTL: u16 = 3;
const TLV_PORT_DESCR: u16 = 4;
const TLV_SYSTEM_NAME: u16 = 5;
const TLV_SYSTEM_DESCR: u16 = 6;
const TLV_SYSTEM_CAP: u16 = 7;
const TLV_MGMT_ADDR: u16 = 8;
const TLV_PRIVATE: u16 = 127;

const OUI_IEEE_8021_PRIVATE: u32 = 0x0080c2;
const OUI_IEEE_8023_PRIVATE: u32 = 0x00120f;

const LLDP_TLV_VALUES: &[(u32, &str)] = &[
    (0, "End"),
    (1, "Chassis ID"),
    (2, "Port ID"),
    (3, "Time to Live"),
    (4, "Port Description"),
    (5, "System Name"),
    (6, "System Description"),
    (7, "System Capabilities"),
    (8, "Management Address"),
    (127, "Organization specific"),
];

const CHASSIS_SUBTYPE_VALUES: &[(u32, &str)] = &[
    (1, "Chassis component"),
    (2, "Interface alias"),
    (3, "Port component"),
    (4, "MAC address"),
    (5, "Network address"),
    (6, "Interface name"),
    (7, "Local"),
];

const PORT_SUBTYPE_VALUES: &[(u32, &str)] = &[
    (1, "Interface alias"),
    (2, "Port component"),
    (3, "MAC address"),
    (4, "Network Address"),
    (5, "Interface Name"),
    (6, "Agent circuit ID"),
    (7, "Local"),
];

const CAP_VALUES: &[(u32, &str)] = &[
    (1 << 0, "Other"),
    (1 << 1, "Repeater"),
    (1 << 2, "Bridge"),
    (1 << 3, "WLAN AP"),
    (1 << 4, "Router"),
    (1 << 5, "Telephone"),
    (1 << 6, "Docsis"),
    (1 << 7, "Station Only"),
];

const SUBTYPE_8021_VALUES: &[(u32, &str)] = &[
    (1, "Port VLAN Id"),
    (2, "Port and Protocol VLAN ID"),
    (3, "VLAN name"),
    (4, "Protocol Identity"),
    (7, "Link aggregation"),
    (8, "Congestion Notification"),
    (9, "ETS Configuration"),
    (10, "ETS Recommendation"),
    (11, "Priority Flow Control Configuration"),
    (12, "Application Priority"),
    (13, "EVB"),
    (14, "CDCP"),
];

const PORT_PROTOCOL_ID_VALUES: &[(u32, &str)] = &[(1 << 1, "supported"), (1 << 2, "enabled")];

const SUBTYPE_8023_VALUES: &[(u32, &str)] = &[
    (1, "MAC/PHY configuration/status"),
    (2, "Power via MDI"),
    (3, "Link aggregation"),
    (4, "Max frame size"),
];

const MAU_TYPES_VALUES: &[(u32, &str)] = &[
    (0, "Unknown"),
    (1, "AUI"),
    (2, "10BASE_5"),
    (3, "FOIRL"),
    (4, "10BASE2"),
    (5, "10BASET duplex mode unknown"),
    (6, "10BASEFP"),
    (7, "10BASEFB"),
    (8, "10BASEFL duplex mode unknown"),
    (9, "10BROAD36"),
    (10, "10BASET hdx"),
    (11, "10BASET fdx"),
    (12, "10BASEFL hdx"),
    (13, "10BASEFL fdx"),
    (14, "100BASET4"),
    (15, "100BASETX hdx"),
    (16, "100BASETX fdx"),
    (17, "100BASEFX hdx"),
    (18, "100BASEFX fdx"),
    (19, "100BASET2 hdx"),
    (20, "100BASET2 fdx"),
    (21, "1000BASEX hdx"),
    (22, "1000BASEX fdx"),
    (23, "1000BASELX hdx"),
    (24, "1000BASELX fdx"),
    (25, "1000BASESX hdx"),
    (26, "1000BASESX fdx"),
    (27, "1000BASECX hdx"),
    (28, "1000BASECX fdx"),
    (29, "1000BASET hdx"),
    (30, "1000BASET fdx"),
    (31, "10GBASEX"),
    (32, "10GBASELX4"),
    (33, "10GBASER"),
    (34, "10GBASEER"),
    (35, "10GBASELR"),
    (36, "10GBASESR"),
    (37, "10GBASEW"),
    (38, "10GBASEEW"),
    (39, "10GBASELW"),
    (40, "10GBASESW"),
];

const AUTONEGOTIATION_VALUES: &[(u32, &str)] = &[(1 << 0, "supported"), (1 << 1, "enabled")];

const PMD_CAPABILITY_VALUES: &[(u32, &str)] = &[
    (1 << 14, "10BASE-T hdx"),
    (1 << 13, "10BASE-T fdx"),
    (1 << 12, "100BASE-T4"),
    (1 << 11, "100BASE-TX hdx"),
    (1 << 10, "100BASE-TX fdx"),
    (1 << 9, "100BASE-T2 hdx"),
    (1 << 8, "100BASE-T2 fdx"),
    (1 << 7, "Pause for fdx links"),
    (1 << 6, "Asym PAUSE for fdx"),
    (1 << 5, "Sym PAUSE for fdx"),
    (1 << 4, "Asym and Sym PAUSE for fdx"),
    (1 << 3, "1000BASE-{X LX SX CX} hdx"),
    (1 << 2, "1000BASE-{X LX SX CX} fdx"),
    (1 << 1, "1000BASE-T hdx"),
    (1 << 0, "1000BASE-T fdx"),
];

const MDI_VALUES: &[(u32, &str)] = &[
    (1 << 0, "PSE"),
    (1 << 1, "supported"),
    (1 << 2, "enabled"),
    (1 << 3, "can be controlled"),
];

const MDI_POWER_PAIRS_VALUES: &[(u32, &str)] = &[(1, "signal"), (2, "spare")];

const MDI_POWER_CLASS_VALUES: &[(u32, &str)] = &[
    (1, "class0"),
    (2, "class1"),
    (3, "class2"),
    (4, "class3"),
    (5, "class4"),
];

const AGGREGATION_VALUES: &[(u32, &str)] = &[(1 << 0, "supported"), (1 << 1, "enabled")];

const INTF_NUMB_SUBTYPE_VALUES: &[(u32, &str)] =
    &[(2, "Interface Index"), (3, "System Port Number")];

/// tcpdump's `af_values` (IANA address family numbers).
const AF_VALUES: &[(u32, &str)] = &[
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
    (25, "Layer-2 VPN"),
    (26, "VPLS"),
];

/// `lldp_network_addr_print`: false when the address does not fit.
fn network_addr_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult<bool> {
    if len < 1 {
        return Ok(false);
    }
    let len = len - 1;
    let af = p.u8_at(0)?;
    let need = match af {
        1 => Some(4),
        2 => Some(16),
        6 => Some(6),
        _ => None,
    };
    let name = tok(AF_VALUES, af as u32).unwrap_or("Unknown");
    match need {
        Some(n) if len < n => Ok(false),
        Some(n) => {
            let a = p.sub(1, n)?;
            pr!(ctx, "AFI {} ({}): ", name, af);
            if n == 6 {
                ctx.mac(a)
            } else {
                ctx.ip(a)
            }
            Ok(true)
        }
        None => {
            pr!(ctx, "AFI {} ({}), no AF printer !", name, af);
            Ok(true)
        }
    }
}

fn mgmt_addr_tlv_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult<bool> {
    if len < 1 {
        return Ok(false);
    }
    let addr_len = p.u8_at(0)? as usize;
    let mut tlen = len - 1;
    if tlen < addr_len {
        return Ok(false);
    }
    // Checks the address before printing the line it goes into, as tcpdump does.
    let mut scratch = String::new();
    {
        let mut tmp = Ctx::new(&mut scratch, ctx.opts, ctx.state);
        if !network_addr_print(&mut tmp, tail(p, 1), addr_len)? {
            return Ok(false);
        }
    }
    pr!(
        ctx,
        "\n\t  Management Address length {}, {}",
        addr_len,
        scratch
    );
    let mut off = 1 + addr_len;
    tlen -= addr_len;
    if tlen < 5 {
        return Ok(false);
    }
    let st = p.u8_at(off)?;
    pr!(
        ctx,
        "\n\t  {} Interface Numbering ({}): {}",
        tok(INTF_NUMB_SUBTYPE_VALUES, st as u32).unwrap_or("Unknown"),
        st,
        p.be_u32(off + 1)?
    );
    off += 5;
    tlen -= 5;
    if tlen > 0 {
        let oid_len = p.u8_at(off)? as usize;
        if tlen < 1 + oid_len {
            return Ok(false);
        }
        if oid_len > 0 {
            pr!(ctx, "\n\t  OID length {}", oid_len);
            printjnp(ctx, tail(p, off + 1), oid_len)?;
        }
    }
    Ok(true)
}

/// The subtype line of an organisation-specific TLV (`names`: that organisation's subtypes);
/// `None` if the TLV is too short to have one.
fn private_subtype(
    ctx: &mut Ctx,
    p: &[u8],
    tlv_len: usize,
    names: &[(u32, &'static str)],
) -> PResult<Option<u8>> {
    if tlv_len < 4 {
        return Ok(None);
    }
    let subtype = p.u8_at(3)?;
    pr!(
        ctx,
        "\n\t  {} Subtype ({})",
        tok(names, subtype as u32).unwrap_or("unknown"),
        subtype
    );
    Ok(Some(subtype))
}

/// IEEE 802.1 TLVs; returns whether a hex dump should follow.
fn private_8021_print(ctx: &mut Ctx, p: &[u8], tlv_len: usize) -> PResult<bool> {
    let Some(subtype) = private_subtype(ctx, p, tlv_len, SUBTYPE_8021_VALUES)? else {
        return Ok(false);
    };
    match subtype {
        1 => {
            if tlv_len < 6 {
                return Ok(false);
            }
            pr!(ctx, "\n\t    port vlan id (PVID): {}", p.be_u16(4)?);
        }
        2 => {
            if tlv_len < 7 {
                return Ok(false);
            }
            let f = p.u8_at(4)?;
            pr!(
                ctx,
                "\n\t    port and protocol vlan id (PPVID): {}, flags [",
                p.be_u16(5)?
            );
            bittok2str(ctx.out, PORT_PROTOCOL_ID_VALUES, "none", f as u32, ", ");
            pr!(ctx, "] (0x{:02x})", f);
        }
        3 => {
            if tlv_len < 6 {
                return Ok(false);
            }
            pr!(ctx, "\n\t    vlan id (VID): {}", p.be_u16(4)?);
            if tlv_len < 7 {
                return Ok(false);
            }
            let sublen = p.u8_at(6)? as usize;
            if tlv_len < 7 + sublen {
                return Ok(false);
            }
            ctx.push("\n\t    vlan name: ");
            printjnp(ctx, tail(p, 7), sublen)?;
        }
        4 => {
            if tlv_len < 5 {
                return Ok(false);
            }
            let sublen = p.u8_at(4)? as usize;
            if tlv_len < 5 + sublen {
                return Ok(false);
            }
            ctx.push("\n\t    protocol identity: ");
            printjnp(ctx, tail(p, 5), sublen)?;
        }
        7 => {
            if tlv_len < 9 {
                return Ok(false);
            }
            aggregation_print(ctx, p)?;
        }
        8 => {
            if tlv_len < 6 {
                return Ok(false);
            }
            let (a, b) = (p.u8_at(4)?, p.u8_at(5)?);
            ctx.push("\n\t    Pre-Priority CNPV Indicator");
            bits_row(ctx, a);
            ctx.push("\n\t    Pre-Priority Ready Indicator");
            bits_row(ctx, b);
        }
        9 | 10 => {
            if tlv_len < 25 {
                return Ok(false);
            }
            let t = p.u8_at(4)?;
            if subtype == 9 {
                pr!(
                    ctx,
                    "\n\t    Willing:{}, CBS:{}, RES:{}, Max TCs:{}",
                    t >> 7,
                    (t >> 6) & 0x02,
                    (t >> 3) & 0x07,
                    t & 0x07
                );
            } else {
                pr!(ctx, "\n\t    RES: {}", t);
            }
            let pa = p.sub(5, 4)?;
            ctx.push("\n\t    Priority Assignment Table");
            ctx.push("\n\t     Priority : 0   1   2   3   4   5   6   7");
            ctx.push("\n\t     Value    : ");
            let vals: Vec<u8> = pa.iter().flat_map(|b| [b >> 4, b & 0x0f]).collect();
            row3(ctx, &vals);
            let bw = p.sub(9, 8)?;
            ctx.push("\n\t    TC Bandwidth Table");
            ctx.push("\n\t     TC%   : 0   1   2   3   4   5   6   7");
            ctx.push("\n\t     Value : ");
            row3(ctx, bw);
            let tsa = p.sub(17, 8)?;
            ctx.push("\n\t    TSA Assignment Table");
            ctx.push("\n\t     Traffic Class: 0   1   2   3   4   5   6   7");
            ctx.push("\n\t     Value        : ");
            row3(ctx, tsa);
        }
        11 => {
            if tlv_len < 6 {
                return Ok(false);
            }
            let t = p.u8_at(4)?;
            pr!(
                ctx,
                "\n\t    Willing: {}, MBC: {}, RES: {}, PFC cap:{} ",
                t >> 7,
                (t >> 6) & 0x01,
                (t >> 4) & 0x03,
                t & 0x0f
            );
            ctx.push("\n\t    PFC Enable");
            bits_row(ctx, p.u8_at(5)?);
        }
        12 => {
            if tlv_len < 5 {
                return Ok(false);
            }
            pr!(ctx, "\n\t    RES: {}", p.u8_at(4)?);
            if tlv_len <= 5 {
                return Ok(false);
            }
            let sublen = tlv_len - 5;
            if !sublen.is_multiple_of(3) {
                return Ok(false);
            }
            ctx.push("\n\t    Application Priority Table");
            for i in (0..sublen).step_by(3) {
                let t = p.u8_at(i + 5)?;
                pr!(
                    ctx,
                    "\n\t      Priority: {}, RES: {}, Sel: {}, Protocol ID: {}",
                    t >> 5,
                    (t >> 3) & 0x03,
                    t & 0x07,
                    p.be_u16(i + 6)?
                );
            }
        }
        13 => {
            if tlv_len < 9 {
                return Ok(false);
            }
            let t = p.u8_at(4)?;
            ctx.push("\n\t    EVB Bridge Status");
            pr!(
                ctx,
                "\n\t      RES: {}, BGID: {}, RRCAP: {}, RRCTR: {}",
                t >> 3,
                (t >> 2) & 1,
                (t >> 1) & 1,
                t & 1
            );
            let t = p.u8_at(5)?;
            ctx.push("\n\t    EVB Station Status");
            pr!(
                ctx,
                "\n\t      RES: {}, SGID: {}, RRREQ: {},RRSTAT: {}",
                t >> 4,
                (t >> 3) & 1,
                (t >> 2) & 1,
                t & 3
            );
            let t = p.u8_at(6)?;
            pr!(ctx, "\n\t    R: {}, RTE: {}, ", t >> 5, t & 0x1f);
            let t = p.u8_at(7)?;
            pr!(
                ctx,
                "EVB Mode: {} [{}]",
                tok(EVB_MODE_VALUES, (t >> 6) as u32).unwrap_or("unknown"),
                t >> 6
            );
            pr!(ctx, "\n\t    ROL: {}, RWD: {}, ", (t >> 5) & 1, t & 0x1f);
            let t = p.u8_at(8)?;
            pr!(
                ctx,
                "RES: {}, ROL: {}, RKA: {}",
                t >> 6,
                (t >> 5) & 1,
                t & 0x1f
            );
        }
        14 => {
            if tlv_len < 8 {
                return Ok(false);
            }
            let t = p.u8_at(4)?;
            pr!(
                ctx,
                "\n\t    Role: {}, RES: {}, Scomp: {} ",
                t >> 7,
                (t >> 4) & 0x07,
                (t >> 3) & 0x01
            );
            pr!(ctx, "ChnCap: {}", p.be_u16(6)? & 0x0fff);
            let sublen = tlv_len - 8;
            if !sublen.is_multiple_of(3) {
                return Ok(false);
            }
            for i in (0..sublen).step_by(3) {
                let v = p.be_u24(i + 8)?;
                pr!(ctx, "\n\t    SCID: {}, SVID: {}", v >> 12, v & 0xfff);
            }
        }
        _ => return Ok(true),
    }
    Ok(false)
}

/// "Priority : 0 .. 7" then one bit per priority.
fn bits_row(ctx: &mut Ctx, v: u8) {
    ctx.push("\n\t     Priority : 0  1  2  3  4  5  6  7");
    ctx.push("\n\t     Value    : ");
    for i in 0..8 {
        pr!(ctx, "{:<2} ", (v >> i) & 1);
    }
}

/// Eight values as `%-3d` columns.
fn row3(ctx: &mut Ctx, vals: &[u8]) {
    for (i, v) in vals.iter().enumerate() {
        if i > 0 {
            ctx.push(" ");
        }
        pr!(ctx, "{:<3}", v);
    }
}

const EVB_MODE_VALUES: &[(u32, &str)] = &[
    (0, "Not Supported"),
    (1, "EVB Bridge"),
    (2, "EVB Station"),
    (3, "Reserved for future Standardization"),
];

/// IANA TLVs (MUD URL, RFC 8520); returns whether a hex dump should follow.
fn private_iana_print(ctx: &mut Ctx, p: &[u8], tlv_len: usize) -> PResult<bool> {
    if tlv_len < 8 {
        return Ok(false);
    }
    let subtype = p.u8_at(3)?;
    pr!(
        ctx,
        "\n\t  {} Subtype ({})",
        if subtype == 1 { "MUD-URL" } else { "unknown" },
        subtype
    );
    if subtype == 1 {
        ctx.push("\n\t  MUD-URL=");
        printn(ctx, tail(p, 4), tlv_len - 4)?;
        Ok(false)
    } else {
        Ok(true)
    }
}

/// IEEE 802.3 TLVs; returns whether a hex dump should follow.
fn private_8023_print(ctx: &mut Ctx, p: &[u8], tlv_len: usize) -> PResult<bool> {
    let Some(subtype) = private_subtype(ctx, p, tlv_len, SUBTYPE_8023_VALUES)? else {
        return Ok(false);
    };
    match subtype {
        1 => {
            if tlv_len < 9 {
                return Ok(false);
            }
            let an = p.u8_at(4)?;
            ctx.push("\n\t    autonegotiation [");
            bittok2str(ctx.out, AUTONEGOTIATION_VALUES, "none", an as u32, ", ");
            pr!(ctx, "] (0x{:02x})", an);
            let pmd = p.be_u16(5)?;
            ctx.push("\n\t    PMD autoneg capability [");
            bittok2str(ctx.out, PMD_CAPABILITY_VALUES, "unknown", pmd as u32, ", ");
            pr!(ctx, "] (0x{:04x})", pmd);
            let mau = p.be_u16(7)?;
            pr!(
                ctx,
                "\n\t    MAU type {} (0x{:04x})",
                tok(MAU_TYPES_VALUES, mau as u32).unwrap_or("unknown"),
                mau
            );
        }
        2 => {
            if tlv_len < 7 {
                return Ok(false);
            }
            ctx.push("\n\t    MDI power support [");
            bittok2str(ctx.out, MDI_VALUES, "none", p.u8_at(4)? as u32, ", ");
            pr!(
                ctx,
                "], power pair {}, power class {}",
                tok(MDI_POWER_PAIRS_VALUES, p.u8_at(5)? as u32).unwrap_or("unknown"),
                tok(MDI_POWER_CLASS_VALUES, p.u8_at(6)? as u32).unwrap_or("unknown")
            );
        }
        3 => {
            if tlv_len < 9 {
                return Ok(false);
            }
            aggregation_print(ctx, p)?;
        }
        4 => {
            if tlv_len < 6 {
                return Ok(false);
            }
            pr!(ctx, "\n\t    MTU size {}", p.be_u16(4)?);
        }
        _ => return Ok(true),
    }
    Ok(false)
}

fn id_subtype_print(ctx: &mut Ctx, t: &[u8], tlv_len: usize, port: bool) -> PResult<Option<bool>> {
    if tlv_len < 2 {
        return Ok(None);
    }
    let subtype = t.u8_at(0)?;
    let table = if port {
        PORT_SUBTYPE_VALUES
    } else {
        CHASSIS_SUBTYPE_VALUES
    };
    pr!(
        ctx,
        "\n\t  Subtype {} ({}): ",
        tok(table, subtype as u32).unwrap_or("Unknown"),
        subtype
    );
    let (mac, net) = if port { (3, 4) } else { (4, 5) };
    match subtype {
        s if s == mac => {
            if tlv_len < 7 {
                return Ok(None);
            }
            let a = t.sub(1, 6)?;
            ctx.mac(a);
        }
        s if s == net => {
            let mut scratch = String::new();
            {
                let mut tmp = Ctx::new(&mut scratch, ctx.opts, ctx.state);
                if !network_addr_print(&mut tmp, tail(t, 1), tlv_len - 1)? {
                    return Ok(None);
                }
            }
            ctx.push(&scratch);
        }
        1..=7 => printjnp(ctx, tail(t, 1), tlv_len - 1)?,
        _ => return Ok(Some(true)),
    }
    Ok(Some(false))
}

/// An LLDP PDU (Ethernet type 0x88cc).
pub fn lldp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "lldp";
    let mut off = 0usize;
    let mut tlen = len as usize;
    pr!(ctx, "LLDP, length {}", len);
    while tlen >= 2 {
        let tlv = p.be_u16(off)?;
        let tlv_type = (tlv & 0xfe00) >> 9;
        let tlv_len = (tlv & 0x01ff) as usize;
        let mut hexdump = false;
        tlen -= 2;
        off += 2;
        if ctx.vflag() > 0 {
            pr!(
                ctx,
                "\n\t{} TLV ({}), length {}",
                tok(LLDP_TLV_VALUES, tlv_type as u32).unwrap_or("Unknown"),
                tlv_type,
                tlv_len
            );
        }
        if tlv_type == 0 || tlv_len == 0 {
            break;
        }
        if !p.has(off, tlv_len) || tlen < tlv_len {
            ctx.print_trunc();
            return Ok(());
        }
        let t = &p[off..off + tlv_len];
        let v = ctx.vflag() > 0;
        match tlv_type {
            TLV_CHASSIS_ID | TLV_PORT_ID if v => {
                match id_subtype_print(ctx, t, tlv_len, tlv_type == TLV_PORT_ID)? {
                    Some(h) => hexdump = h,
                    None => {
                        ctx.print_trunc();
                        return Ok(());
                    }
                }
            }
            TLV_TTL if v => {
                if tlv_len < 2 {
                    ctx.print_trunc();
                    return Ok(());
                }
                pr!(ctx, ": TTL {}s", t.be_u16(0)?);
            }
            TLV_PORT_DESCR if v => {
                ctx.push(": ");
                printjnp(ctx, t, tlv_len)?;
            }
            TLV_SYSTEM_NAME => {
                ctx.push(": ");
                printjnp(ctx, t, tlv_len)?;
            }
            TLV_SYSTEM_DESCR if v => {
                ctx.push("\n\t  ");
                printjnp(ctx, t, tlv_len)?;
            }
            TLV_SYSTEM_CAP if v => {
                if tlv_len < 4 {
                    ctx.print_trunc();
                    return Ok(());
                }
                let cap = t.be_u16(0)?;
                let ena = t.be_u16(2)?;
                ctx.push("\n\t  System  Capabilities [");
                bittok2str(ctx.out, CAP_VALUES, "none", cap as u32, ", ");
                pr!(ctx, "] (0x{:04x})", cap);
                ctx.push("\n\t  Enabled Capabilities [");
                bittok2str(ctx.out, CAP_VALUES, "none", ena as u32, ", ");
                pr!(ctx, "] (0x{:04x})", ena);
            }
            TLV_MGMT_ADDR if v => {
                if !mgmt_addr_tlv_print(ctx, t, tlv_len)? {
                    ctx.print_trunc();
                    return Ok(());
                }
            }
            TLV_PRIVATE if v => {
                if tlv_len < 3 {
                    ctx.print_trunc();
                    return Ok(());
                }
                let oui = t.be_u24(0)?;
                pr!(
                    ctx,
                    ": OUI {} (0x{:06x})",
                    tok(OUI_VALUES, oui).unwrap_or("Unknown"),
                    oui
                );
                hexdump = match oui {
                    OUI_IEEE_8021_PRIVATE => private_8021_print(ctx, t, tlv_len)?,
                    OUI_IEEE_8023_PRIVATE => private_8023_print(ctx, t, tlv_len)?,
                    0x00005e => private_iana_print(ctx, t, tlv_len)?,
                    _ => true,
                };
            }
            TLV_CHASSIS_ID | TLV_PORT_ID | TLV_TTL | TLV_PORT_DESCR | TLV_SYSTEM_DESCR
            | TLV_SYSTEM_CAP | TLV_MGMT_ADDR | TLV_PRIVATE => {}
            _ => hexdump = true,
        }
        if ctx.vflag() > 1 || (ctx.vflag() > 0 && hexdump) {
            print_unknown_data(ctx, t, "\n\t  ", tlv_len);
        }
        tlen -= tlv_len;
        off += tlv_len;
    }
    Ok(())
}

/// The link aggregation TLV's value (IEEE 802.1 subtype 7 and its older IEEE 802.3 form,
/// subtype 3): status flags and port ID.
fn aggregation_print(ctx: &mut Ctx, p: &[u8]) -> PResult<()> {
    ctx.push("\n\t    aggregation status [");
    bittok2str(
        ctx.out,
        AGGREGATION_VALUES,
        "none",
        p.u8_at(4)? as u32,
        ", ",
    );
    pr!(ctx, "], aggregation port ID {}", p.be_u32(5)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8], verbose: u8) -> (String, PResult) {
        run_with(&opts(verbose, false), |ctx| {
            lldp_print(ctx, p, p.len() as u32)
        })
    }

    const PDU: &[u8] = &[
        0x02, 0x07, 0x04, 0, 0x19, 0x2f, 0xa7, 0xb2, 0x8d, // chassis: MAC
        0x04, 0x03, 0x07, b'F', b'a', // port: local
        0x06, 0x02, 0, 120, // TTL
        0x0a, 0x02, b'S', b'2', // system name
        0xfe, 0x06, 0, 0x80, 0xc2, 1, 0, 1, // 802.1 PVID
        0, 0, // end
    ];

    #[test]
    fn tlvs() {
        assert_eq!(run(PDU, 0).0, "LLDP, length 32: S2");
        assert_eq!(
            run(PDU, 1).0,
            "LLDP, length 32\n\tChassis ID TLV (1), length 7\n\t  Subtype MAC address (4): \
             00:19:2f:a7:b2:8d\n\tPort ID TLV (2), length 3\n\t  Subtype Local (7): Fa\
             \n\tTime to Live TLV (3), length 2: TTL 120s\n\tSystem Name TLV (5), length 2: S2\
             \n\tOrganization specific TLV (127), length 6: OUI Ethernet bridged (0x0080c2)\
             \n\t  Port VLAN Id Subtype (1)\n\t    port vlan id (PVID): 1\n\tEnd TLV (0), length 0"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(PDU, &verbosities(2), |ctx, p| {
            lldp_print(ctx, p, PDU.len() as u32)
        });
    }
}
