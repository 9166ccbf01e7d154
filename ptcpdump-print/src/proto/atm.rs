//! ATM: LINKTYPE_SUNATM (123, a 4-byte pseudo-header: direction and traffic type, VPI, VCI)
//! and LINKTYPE_ATM_RFC1483 (100, RFC 2684 LLC encapsulation); signalling (Q.2931, ITU-T),
//! OAM cells (ITU-T I.610, with its CRC-10) and LAN emulation (ATM Forum LANE v1);
//! tcpdump's print-atm.c, print-sunatm.c and print-lane.c.

use super::{Ctx, ether, isoclns, llc, pr, snmp, tok, tok2str};
use crate::cursor::{Bytes, PResult};

const SUNATM_HDRLEN: usize = 4;
const PT_LANE: u8 = 0x01;
const PT_LLC: u8 = 0x02;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Traffic {
    Unknown,
    Lane,
    Llc,
}

// Well-known VCIs of VPI 0.
const VCI_METAC: u16 = 1;
const VCI_BCC: u16 = 2;
const VCI_OAMF4SC: u16 = 3;
const VCI_OAMF4EC: u16 = 4;
const VCI_PPC: u16 = 5;
const VCI_ILMIC: u16 = 16;

const Q2931: u8 = 0x09;

const MSGTYPE_VALUES: &[(u32, &str)] = &[
    (0x02, "Call_proceeding"),
    (0x07, "Connect"),
    (0x0f, "Connect_ack"),
    (0x05, "Setup"),
    (0x4d, "Release"),
    (0x5a, "Release_complete"),
    (0x46, "Restart"),
    (0x4e, "Restart_ack"),
    (0x7d, "Status"),
    (0x75, "Status_enquiry"),
    (0x80, "Add_party"),
    (0x81, "Add_party_ack"),
    (0x82, "Add_party_reject"),
    (0x83, "Drop_party"),
    (0x84, "Drop_party_ack"),
];

const OAM_F_VALUES: &[(u32, &str)] = &[(3, "OAM F4 (segment)"), (4, "OAM F4 (end)")];

const PTY_VALUES: &[(u32, &str)] = &[
    (0, "user data, uncongested, SDU 0"),
    (1, "user data, uncongested, SDU 1"),
    (2, "user data, congested, SDU 0"),
    (3, "user data, congested, SDU 1"),
    (4, "VCC OAM F5 flow segment"),
    (5, "VCC OAM F5 flow end-to-end"),
    (6, "Traffic Control and resource Mgmt"),
];

const CELLTYPE_FM: u8 = 1;
const CELLTYPE_PM: u8 = 2;
const CELLTYPE_AD: u8 = 8;

const CELLTYPE_VALUES: &[(u32, &str)] = &[
    (1, "Fault Management"),
    (2, "Performance Management"),
    (8, "activate/deactivate"),
    (15, "System Management"),
];

const FM_FUNCTYPE_VALUES: &[(u32, &str)] = &[
    (0, "AIS"),
    (1, "RDI"),
    (4, "Continuity Check"),
    (8, "Loopback"),
];
const PM_FUNCTYPE_VALUES: &[(u32, &str)] = &[
    (0, "Forward Monitoring"),
    (1, "Backward Reporting"),
    (2, "Monitoring and Reporting"),
];
const AD_FUNCTYPE_VALUES: &[(u32, &str)] =
    &[(0, "Performance Monitoring"), (1, "Continuity Check")];

const LECOP_VALUES: &[(u32, &str)] = &[
    (0x0001, "configure request"),
    (0x0101, "configure response"),
    (0x0002, "join request"),
    (0x0102, "join response"),
    (0x0003, "ready query"),
    (0x0103, "ready indication"),
    (0x0004, "register request"),
    (0x0104, "register response"),
    (0x0005, "unregister request"),
    (0x0105, "unregister response"),
    (0x0006, "ARP request"),
    (0x0106, "ARP response"),
    (0x0007, "flush request"),
    (0x0107, "flush response"),
    (0x0008, "NARP request"),
    (0x0009, "topology request"),
];

/// I.610's CRC-10 (generator x^10 + x^9 + x^5 + x^4 + x + 1) over `p`: 0 when the cell's
/// CRC field (its last 10 bits) is right.
fn crc10(p: &[u8]) -> u16 {
    const POLY: u16 = 0x633;
    let mut acc: u16 = 0;
    for &b in p {
        for i in (0..8).rev() {
            let bit = (b >> i) & 1;
            let top = (acc >> 9) & 1;
            acc = ((acc << 1) & 0x3ff) | bit as u16;
            if top != 0 {
                acc ^= POLY & 0x3ff;
            }
        }
    }
    acc
}

/// LINKTYPE_SUNATM.
pub fn sunatm_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "sunatm";
    let dir = p.u8_at(0)?;
    if ctx.eflag() {
        ctx.push(if dir & 0x80 != 0 { "Tx: " } else { "Rx: " });
    }
    let traffic = match dir & 0x0f {
        PT_LANE => Traffic::Lane,
        PT_LLC => Traffic::Llc,
        _ => Traffic::Unknown,
    };
    let (vpi, vci) = (p.u8_at(1)?, p.be_u16(2)?);
    let rest = p.from(SUNATM_HDRLEN)?;
    let n = atm_print(ctx, vpi, vci, traffic, rest, len.wrapping_sub(4))?;
    Ok(SUNATM_HDRLEN as u32 + n)
}

/// LINKTYPE_ATM_RFC1483: LLC-encapsulated frames (or Cisco's NLPID, or a Fore 802.6 header).
pub fn atm_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "atm";
    if p.u8_at(0)? == 0x03 {
        // Cisco-style NLPID.
        if ctx.eflag() {
            ctx.push("CNLPID ");
        }
        isoclns::isoclns_print(ctx, p.from(1)?, len.wrapping_sub(1))?;
        return Ok(1);
    }
    let llchdr = p.be_u24(0)?;
    let ui = |sap: u32| (sap << 16) | (sap << 8) | 0x03;
    let mut off = 0;
    if llchdr != ui(0xaa) && llchdr != ui(0xfe) && llchdr != ui(0x06) {
        // Assumed to be an 802.6 MAC header from the Fore driver.
        if ctx.eflag() {
            let (a, b, c, d) = (p.be_u32(0)?, p.be_u32(4)?, p.be_u32(8)?, p.be_u32(12)?);
            pr!(ctx, "{:08x}{:08x} {:08x}{:08x} ", a, b, c, d);
        }
        p.sub(0, 20)?;
        off = 20;
    }
    let rest = &p[off..];
    let n = llc_print(ctx, rest, len.wrapping_sub(off as u32))?;
    Ok(off as u32 + n)
}

/// An LLC-encapsulated PDU; an unknown one is dumped. Returns the LLC header length.
fn llc_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    let n = llc::llc_or_default_print(ctx, p, length, p.len() as u32, None)?;
    Ok(n.unsigned_abs())
}

/// An ATM PDU on this VPI/VCI. Returns the header bytes taken (for -x).
fn atm_print(
    ctx: &mut Ctx,
    vpi: u8,
    vci: u16,
    traffic: Traffic,
    p: &[u8],
    length: u32,
) -> PResult<u32> {
    ctx.protocol = "atm";
    if ctx.eflag() {
        pr!(ctx, "VPI:{} VCI:{} ", vpi, vci);
    }
    if vpi == 0 {
        match vci {
            VCI_PPC => {
                sig_print(ctx, p)?;
                return Ok(0);
            }
            VCI_BCC => {
                ctx.push("broadcast sig: ");
                return Ok(0);
            }
            VCI_OAMF4SC | VCI_OAMF4EC => {
                oam_print(ctx, p, length, 1)?;
                return Ok(0);
            }
            VCI_METAC => {
                ctx.push("meta: ");
                return Ok(0);
            }
            VCI_ILMIC => {
                ctx.push("ilmi: ");
                snmp::snmp_print(ctx, p, length)?;
                return Ok(0);
            }
            _ => {}
        }
    }
    match traffic {
        Traffic::Lane => lane_print(ctx, p, length),
        Traffic::Llc | Traffic::Unknown => llc_print(ctx, p, length),
    }
}

/// Signalling on VCI 5: Q.2931 (UNI 3.1) or SSCOP with something else on top.
fn sig_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let proto = p.u8_at(0)?;
    if proto == Q2931 {
        ctx.push("Q.2931");
        let t = p.u8_at(5)?;
        ctx.push(":");
        tok2str(ctx.out, MSGTYPE_VALUES, "msgtype#{}", t as u32);
        ctx.push(" ");
        pr!(ctx, "CALL_REF:0x{:06x}", p.be_u24(2)?);
    } else {
        pr!(ctx, "SSCOP, proto {} ", proto);
    }
    Ok(())
}

/// A 16-bit word per pair of bytes of an identifier field, as tcpdump reads them (from the
/// odd offsets).
fn id_print(ctx: &mut Ctx, p: &[u8], off: usize, n: usize) -> PResult {
    for idx in (1..n).step_by(2) {
        pr!(ctx, "{:04x} ", p.be_u16(off + idx)?);
    }
    Ok(())
}

/// An OAM cell; `hec`: 1 when the cell header still has its HEC byte.
pub fn oam_print(ctx: &mut Ctx, p: &[u8], length: u32, hec: usize) -> PResult {
    ctx.protocol = "oam";
    let cell_header = p.be_u32(hec)?;
    let b = p.u8_at(4 + hec)?;
    let (cell_type, func_type) = (b >> 4, b & 0x0f);
    let (vpi, vci) = ((cell_header >> 20) & 0xff, (cell_header >> 4) & 0xffff);
    let (payload, clp) = ((cell_header >> 1) & 7, cell_header & 1);
    pr!(
        ctx,
        "{}, vpi {}, vci {}, payload [ {} ], clp {}, length {}",
        tok(OAM_F_VALUES, vci).unwrap_or("OAM F5"),
        vpi,
        vci,
        tok(PTY_VALUES, payload).unwrap_or("Unknown"),
        clp,
        length
    );
    if ctx.vflag() == 0 {
        return Ok(());
    }
    pr!(
        ctx,
        "\n\tcell-type {} ({})",
        tok(CELLTYPE_VALUES, cell_type as u32).unwrap_or("unknown"),
        cell_type
    );
    let functypes = match cell_type {
        CELLTYPE_FM => Some(FM_FUNCTYPE_VALUES),
        CELLTYPE_PM => Some(PM_FUNCTYPE_VALUES),
        CELLTYPE_AD => Some(AD_FUNCTYPE_VALUES),
        _ => None,
    };
    match functypes {
        None => pr!(ctx, ", func-type unknown ({})", func_type),
        Some(t) => pr!(
            ctx,
            ", func-type {} ({})",
            tok(t, func_type as u32).unwrap_or("none"),
            func_type
        ),
    }
    // The 48-byte payload: cell/function type, 45 function-specific bytes, CRC-10.
    let pl = p.from(4 + hec)?;
    match (cell_type, func_type) {
        (CELLTYPE_FM, 8) => {
            pl.sub(1, 45)?;
            let ind = pl.u8_at(1)? & 1;
            pr!(
                ctx,
                "\n\tLoopback-Indicator {}, Correlation-Tag 0x{:08x}",
                if ind == 1 { "Request" } else { "Reply" },
                pl.be_u32(2)?
            );
            ctx.push("\n\tLocation-ID ");
            id_print(ctx, pl, 6, 12)?;
            ctx.push("\n\tSource-ID   ");
            id_print(ctx, pl, 18, 12)?;
        }
        (CELLTYPE_FM, 0 | 1) => {
            pl.sub(1, 45)?;
            pr!(ctx, "\n\tFailure-type 0x{:02x}", pl.u8_at(1)?);
            ctx.push("\n\tLocation-ID ");
            id_print(ctx, pl, 2, 16)?;
        }
        _ => {}
    }
    let cksum = pl.be_u16(46)? & 0x3ff;
    let ok = crc10(pl.sub(0, 48)?) == 0;
    pr!(
        ctx,
        "\n\tcksum 0x{:03x} ({}correct)",
        cksum,
        if ok { "" } else { "in" }
    );
    Ok(())
}

/// LAN emulation: a control frame (marker 0xff00), or a 2-byte LEC id before an Ethernet
/// frame. Returns the header bytes taken.
fn lane_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "lane";
    if p.be_u16(0)? == 0xff00 {
        let (proto, vers, op) = (p.u8_at(2)?, p.u8_at(3)?, p.be_u16(4)?);
        pr!(ctx, "lec: proto {:x} vers {:x} ", proto, vers);
        tok2str(ctx.out, LECOP_VALUES, "opcode-#{}", op as u32);
        return Ok(0);
    }
    p.sub(0, 2)?;
    let lecid = p.be_u16(0)?;
    let rest = &p[2..];
    let n = ether::ether_encap_print(
        ctx,
        rest,
        length.wrapping_sub(2),
        rest.len() as u32,
        &|ctx: &mut Ctx| pr!(ctx, "lecid:{:x} ", lecid),
    )?;
    Ok(2 + n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    /// An OAM F4 end-to-end loopback cell on VPI 0 VCI 4, CRC-10 made right.
    fn oam_cell() -> Vec<u8> {
        // tcpdump reads the 4-byte cell header after one byte.
        let mut d = vec![0, 0, 0, 4, 0];
        let hdr: u32 = (4 << 4) | (5 << 1);
        d.extend_from_slice(&hdr.to_be_bytes());
        let mut pl = vec![0x18, 1, 0, 0, 0, 9];
        pl.extend_from_slice(&[0xaa; 40]);
        pl.extend_from_slice(&[0, 0]);
        let c = crc10(&pl);
        pl[46] = (c >> 8) as u8;
        pl[47] = c as u8;
        d.extend_from_slice(&pl);
        d
    }

    #[test]
    fn crc10_of_a_right_cell_is_zero() {
        let d = oam_cell();
        assert_eq!(crc10(&d[9..57]), 0);
    }

    #[test]
    fn sunatm() {
        let d = oam_cell();
        assert_eq!(
            print_packet(opts(0, true), 123, &d),
            "Rx: VPI:0 VCI:4 OAM F4 (end), vpi 0, vci 4, payload [ VCC OAM F5 flow end-to-end ], \
             clp 0, length 53\n"
        );
        let v = print_packet(opts(1, false), 123, &d);
        assert!(v.contains("cell-type Fault Management (1), func-type Loopback (8)"));
        assert!(v.contains("Loopback-Indicator Request, Correlation-Tag 0x00000009"));
        assert!(v.ends_with("(correct)\n"), "{v}");
        let sig = [0, 0, 0, 5, Q2931, 0, 0, 0, 1, 0x05];
        assert_eq!(
            print_packet(opts(0, true), 123, &sig),
            "Rx: VPI:0 VCI:5 Q.2931:Setup CALL_REF:0x000001\n"
        );
        assert_eq!(
            print_packet(opts(0, true), 123, &sig[..8]),
            "Rx: VPI:0 VCI:5 Q.2931 [|atm]\n"
        );
        assert_eq!(
            print_packet(opts(0, true), 123, &sig[..4]),
            "Rx: VPI:0 VCI:5  [|atm]\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = oam_cell();
        assert_every_truncated_packet_is_safe(123, &d, &[opts(0, true), opts(1, false)]);
        let lane = [
            0x81, 1, 0, 32, 0, 1, 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0, 0x45,
        ];
        assert_every_truncated_packet_is_safe(123, &lane, &[opts(0, true), opts(1, false)]);
        assert_every_truncated_packet_is_safe(100, &lane[4..], &[opts(0, true)]);
    }
}
