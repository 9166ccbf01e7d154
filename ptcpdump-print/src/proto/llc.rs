//! IEEE 802.2 Logical Link Control (ISO/IEC 8802-2) and SNAP (RFC 1042); tcpdump's print-llc.c.

use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const LLC_U_FMT: u16 = 3;
const LLC_GSAP: u8 = 1;
const LLC_IG: u8 = 1;
const LLC_S_FMT: u16 = 1;
const LLC_U_POLL: u16 = 0x10;
const LLC_IS_POLL: u16 = 0x0100;
const LLC_XID_FI: u8 = 0x81;
const LLC_UI: u16 = 0x03;
const LLC_XID: u16 = 0xaf;

pub const LLCSAP_GLOBAL: u8 = 0xff;
pub const LLCSAP_IP: u8 = 0x06;
pub const LLCSAP_8021D: u8 = 0x42;
pub const LLCSAP_SNAP: u8 = 0xaa;
pub const LLCSAP_IPX: u8 = 0xe0;
pub const LLCSAP_ISONS: u8 = 0xfe;

pub const LLC_VALUES: &[(u32, &str)] = &[
    (0x00, "Null"),
    (0xff, "Global"),
    (0x02, "802.1B I"),
    (0x03, "802.1B G"),
    (0x06, "IP"),
    (0x04, "SNA"),
    (0x0e, "ProWay NM"),
    (0x42, "STP"),
    (0x4e, "RS511"),
    (0x7e, "ISO8208"),
    (0x8e, "ProWay"),
    (0xaa, "SNAP"),
    (0xe0, "IPX"),
    (0xf0, "NetBeui"),
    (0xfe, "OSI"),
];

const LLC_FLAG_VALUES: &[(u32, &str)] = &[
    (0, "Command"),
    (1, "Response"),
    (0x10, "Poll"),
    (0x11, "Final"),
    (0x0100, "Poll"),
    (0x0101, "Final"),
];

const LLC_IG_FLAG_VALUES: &[(u32, &str)] = &[(0, "Individual"), (1, "Group")];

const LLC_CMD_VALUES: &[(u32, &str)] = &[
    (0x03, "ui"),
    (0xe3, "test"),
    (0xaf, "xid"),
    (0x63, "ua"),
    (0x43, "disc"),
    (0x0f, "dm"),
    (0x6f, "sabme"),
    (0x87, "frmr"),
];

const LLC_SUPERVISORY_VALUES: &[(u32, &str)] = &[
    (0, "Receiver Ready"),
    (1, "Receiver not Ready"),
    (2, "Reject"),
];

fn name_or(ctx: &mut Ctx, v: u8, what: &str) {
    match tok(LLC_VALUES, v as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "Unknown {} 0x{:02x}", what, v),
    }
}

/// DISPATCH POINT for LLC payloads by SAP. Returns `Ok(true)` when a printer took the payload.
fn sap_dispatch(
    ctx: &mut Ctx,
    dsap: u8,
    ssap: u8,
    control: u16,
    p: &[u8],
    length: u32,
) -> PResult<bool> {
    if control != LLC_UI || dsap != ssap {
        return Ok(false);
    }
    match dsap {
        LLCSAP_IP => super::ip::ip_print(ctx, p, length)?,
        LLCSAP_8021D => super::stp::stp_print(ctx, p, length)?,
        LLCSAP_IPX => {
            if ctx.eflag() {
                ctx.push("IPX 802.2: ");
            }
            super::ipx::ipx_print(ctx, p, length)?
        }
        LLCSAP_ISONS => super::isoclns::isoclns_print(ctx, p, length)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// SNAP header (RFC 1042). Returns `Ok(false)` when the OUI/type is unknown.
/// Tier-3 protocols (CDP, PVST, ...) plug in here.
pub fn snap_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    lladdrs: Option<(&[u8], &[u8])>,
    bridge_pad: u32,
) -> PResult<bool> {
    use super::oui;
    ctx.protocol = "snap";
    if !p.has(0, 5) || caplen < 5 || length < 5 {
        ctx.print_trunc();
        return Ok(true);
    }
    let oui = p.be_u24(0)?;
    let et = p.be_u16(3)?;
    let pid_name = tok(oui::pid_table(oui), et as u32).unwrap_or("Unknown");
    if ctx.eflag() {
        pr!(
            ctx,
            "oui {} (0x{:06x}), {} {} (0x{:04x}), length {}: ",
            tok(oui::OUI_VALUES, oui).unwrap_or("Unknown"),
            oui,
            if oui == 0 { "ethertype" } else { "pid" },
            pid_name,
            et,
            length - 5
        );
    }
    let rest = &p[5..];
    let (length, caplen) = (length - 5, caplen - 5);
    // DISPATCH POINT for SNAP payloads by (OUI, protocol ID).
    match (oui, et) {
        (oui::OUI_ENCAP_ETHER | oui::OUI_CISCO_90, _) | (oui::OUI_APPLETALK, 0x809b) => {
            // An unknown Ethernet type falls through to the SNAP summary below.
            let src = lladdrs.map(|(s, _)| s);
            let known = super::ethertype_src_print(ctx, et, rest, length, caplen, src)?;
            if known {
                return Ok(true);
            }
        }
        (oui::OUI_CISCO, oui::PID_CISCO_CDP) => {
            super::cdp::cdp_print(ctx, rest, length)?;
            return Ok(true);
        }
        (oui::OUI_CISCO, oui::PID_CISCO_DTP) => {
            super::dtp::dtp_print(ctx, rest, length)?;
            return Ok(true);
        }
        (oui::OUI_CISCO, oui::PID_CISCO_UDLD) => {
            super::udld::udld_print(ctx, rest, length)?;
            return Ok(true);
        }
        (oui::OUI_CISCO, oui::PID_CISCO_VTP) => {
            super::vtp::vtp_print(ctx, rest, length)?;
            return Ok(true);
        }
        (oui::OUI_CISCO, oui::PID_CISCO_PVST | oui::PID_CISCO_VLANBRIDGE)
        | (oui::OUI_RFC2684, PID_RFC2684_BPDU) => {
            super::stp::stp_print(ctx, rest, length)?;
            return Ok(true);
        }
        (oui::OUI_RFC2684, PID_RFC2684_ETH_FCS | PID_RFC2684_ETH_NOFCS) => {
            let pad = bridge_pad as usize;
            if !rest.has(0, pad) {
                ctx.print_trunc();
                return Ok(true);
            }
            super::ether::ether_print(
                ctx,
                &rest[pad..],
                length.wrapping_sub(bridge_pad),
                caplen.wrapping_sub(bridge_pad),
            )?;
            return Ok(true);
        }
        _ => {}
    }
    if !ctx.eflag() {
        if let Some((src, dst)) = lladdrs {
            ctx.mac(src);
            ctx.push(" > ");
            ctx.mac(dst);
            ctx.push(" ");
        }
        if oui == 0 {
            pr!(
                ctx,
                "SNAP, ethertype {} (0x{:04x}), length {}: ",
                super::ether::ethertype_name(et),
                et,
                length
            );
        } else {
            pr!(
                ctx,
                "SNAP, oui {} (0x{:06x}), pid {} (0x{:04x}), length {}: ",
                tok(oui::OUI_VALUES, oui).unwrap_or("Unknown"),
                oui,
                pid_name,
                et,
                length
            );
        }
    }
    Ok(false)
}

const PID_RFC2684_ETH_FCS: u16 = 0x0001;
const PID_RFC2684_ETH_NOFCS: u16 = 0x0007;
const PID_RFC2684_BPDU: u16 = 0x000e;

/// [`llc_print`], then the default print (the hex dump of `-x`) of `p` when it did not decode
/// the payload (a negative return), as tcpdump's callers do; returns what `llc_print` returned.
pub fn llc_or_default_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    lladdrs: Option<(&[u8], &[u8])>,
) -> PResult<i32> {
    let n = llc_print(ctx, p, length, caplen, lladdrs)?;
    if n < 0 && !ctx.suppress_default_print() {
        ctx.default_print(p, caplen)?;
    }
    Ok(n)
}

/// Prints an LLC frame. Returns the header length, negated when the payload is unknown (the
/// caller then dumps it), like tcpdump's `llc_print`. `lladdrs`: (source, destination) MAC.
pub fn llc_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    lladdrs: Option<(&[u8], &[u8])>,
) -> PResult<i32> {
    ctx.protocol = "llc";
    let caplen = caplen.min(p.len() as u32);
    if caplen < 3 || length < 3 {
        ctx.print_trunc();
        ctx.default_print(p, caplen)?;
        return Ok(caplen.min(length) as i32);
    }
    let dsap_field = p.u8_at(0)?;
    let ssap_field = p.u8_at(1)?;
    let mut control = p.u8_at(2)? as u16;
    let is_u;
    let hdrlen: u32;
    if control & LLC_U_FMT == LLC_U_FMT {
        is_u = true;
        hdrlen = 3;
    } else {
        if caplen < 4 || length < 4 {
            ctx.print_trunc();
            ctx.default_print(p, caplen)?;
            return Ok(caplen.min(length) as i32);
        }
        control = p.le_u16(2)?;
        is_u = false;
        hdrlen = 4;
    }
    if ssap_field == LLCSAP_GLOBAL && dsap_field == LLCSAP_GLOBAL {
        // Novell "raw" 802.3 IPX: no printer here.
        if ctx.eflag() {
            ctx.push("IPX 802.3: ");
        }
        super::ipx::ipx_print(ctx, p, length)?;
        return Ok(0);
    }
    let dsap = dsap_field & !LLC_IG;
    let ssap = ssap_field & !LLC_GSAP;
    if ctx.eflag() {
        pr!(
            ctx,
            "LLC, dsap {} (0x{:02x}) {}, ssap {} (0x{:02x}) {}",
            tok(LLC_VALUES, dsap as u32).unwrap_or("Unknown"),
            dsap,
            tok(LLC_IG_FLAG_VALUES, (dsap_field & LLC_IG) as u32).unwrap_or("Unknown"),
            tok(LLC_VALUES, ssap as u32).unwrap_or("Unknown"),
            ssap,
            tok(LLC_FLAG_VALUES, (ssap_field & LLC_GSAP) as u32).unwrap_or("Unknown"),
        );
        if is_u {
            pr!(ctx, ", ctrl 0x{:02x}: ", control);
        } else {
            pr!(ctx, ", ctrl 0x{:04x}: ", control);
        }
    }
    let body = p.from(hdrlen as usize)?;
    let length = length - hdrlen;
    let caplen = caplen - hdrlen;
    if ssap == LLCSAP_SNAP && dsap == LLCSAP_SNAP && control == LLC_UI {
        return Ok(if snap_print(ctx, body, length, caplen, lladdrs, 2)? {
            hdrlen as i32 + 5
        } else {
            -(hdrlen as i32 + 5)
        });
    }
    if sap_dispatch(ctx, dsap, ssap, control, body, length)? {
        return Ok(hdrlen as i32);
    }
    if !ctx.eflag() {
        if ssap == dsap {
            if let Some((src, dst)) = lladdrs {
                ctx.mac(src);
                ctx.push(" > ");
                ctx.mac(dst);
                ctx.push(" ");
            }
            name_or(ctx, dsap, "DSAP");
            ctx.push(" ");
        } else {
            if let Some((src, _)) = lladdrs {
                ctx.mac(src);
                ctx.push(" ");
            }
            name_or(ctx, ssap, "SSAP");
            ctx.push(" > ");
            if let Some((_, dst)) = lladdrs {
                ctx.mac(dst);
                ctx.push(" ");
            }
            name_or(ctx, dsap, "DSAP");
            ctx.push(" ");
        }
    }
    let flags =
        |v: u16| tok(LLC_FLAG_VALUES, ((ssap_field & LLC_GSAP) as u16 | v) as u32).unwrap_or("?");
    if is_u {
        ctx.push("Unnumbered, ");
        match tok(LLC_CMD_VALUES, (control & 0xef) as u32) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "{:02x}", control & 0xef),
        }
        pr!(
            ctx,
            ", Flags [{}], length {}",
            flags(control & LLC_U_POLL),
            length + hdrlen
        );
        if control & !LLC_U_POLL == LLC_XID {
            if length == 0 {
                return Ok(hdrlen as i32);
            }
            if caplen < 1 {
                ctx.print_trunc();
                return Ok(hdrlen as i32);
            }
            if body.u8_at(0)? == LLC_XID_FI {
                if caplen < 3 || length < 3 {
                    ctx.print_trunc();
                    if caplen > 0 {
                        ctx.default_print(body, caplen)?;
                    }
                } else {
                    pr!(ctx, ": {:02x} {:02x}", body.u8_at(1)?, body.u8_at(2)?);
                }
                return Ok(hdrlen as i32);
            }
        }
    } else if control & LLC_S_FMT == LLC_S_FMT {
        pr!(
            ctx,
            "Supervisory, {}, rcv seq {}, Flags [{}], length {}",
            tok(LLC_SUPERVISORY_VALUES, ((control >> 2) & 3) as u32).unwrap_or("?"),
            (control >> 9) & 0x7f,
            flags(control & LLC_IS_POLL),
            length + hdrlen
        );
        return Ok(hdrlen as i32);
    } else {
        pr!(
            ctx,
            "Information, send seq {}, rcv seq {}, Flags [{}], length {}",
            (control >> 1) & 0x7f,
            (control >> 9) & 0x7f,
            flags(control & LLC_IS_POLL),
            length + hdrlen
        );
    }
    Ok(-(hdrlen as i32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with};

    #[test]
    fn unnumbered_frame() {
        let (out, r) = run_with(&opts(0, false), |ctx| {
            llc_print(ctx, &[0xf0, 0xf0, 0x03, 1, 2], 5, 5, None)
        });
        assert_eq!(r, Ok(-3));
        assert_eq!(out, "NetBeui Unnumbered, ui, Flags [Command], length 5");
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = [0x42u8, 0x42, 0x03, 0, 0, 0, 0];
        assert_every_truncation_is_safe(&d, &[opts(0, true)], |ctx, p| {
            llc_print(ctx, p, 7, p.len() as u32, None)
        });
    }
}
