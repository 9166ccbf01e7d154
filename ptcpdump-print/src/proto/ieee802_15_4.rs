//! IEEE 802.15.4 (IEEE Std 802.15.4-2015): MAC frames of versions 2003, 2006 and 2015 —
//! beacon, data, acknowledgement and MAC command frames, multipurpose frames, their addressing
//! (with the 2015 PAN ID compression rules), the auxiliary security header, header and payload
//! information elements (MLME, TSCH, DSME, 802.15.9 multiplexed IEs) and the 2- or 4-octet FCS
//! (found by checking which one matches); LINKTYPE_IEEE802_15_4_WITHFCS (195),
//! LINKTYPE_IEEE802_15_4_NOFCS (230) and LINKTYPE_IEEE802_15_4_TAP (283, the TLV pseudo-header
//! of github.com/jkcko/ieee802.15.4-tap); tcpdump's print-802_15_4.c.
//!
//! Lengths here count captured octets, as tcpdump's printer does: the on-the-wire length is
//! never used.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

/// Frame types (Table 7-1).
const FTYPES: [&str; 8] = [
    "Beacon",
    "Data",
    "ACK",
    "Command",
    "Reserved",
    "Multipurpose",
    "Fragment",
    "Extended",
];

/// Header IE element IDs (Table 7-7) that have a name.
const H_IE_NAMES: &[(u32, &str)] = &[
    (0x00, "Vendor Specific Header IE"),
    (0x1a, "LE CSL IE"),
    (0x1b, "LE RIT IE"),
    (0x1c, "DSME PAN descriptor IE"),
    (0x1d, "Rendezvous Time IE"),
    (0x1e, "Time Correction IE"),
    (0x21, "Extended DSME PAN descriptor IE"),
    (0x22, "Fragment Sequence Context Description IE"),
    (0x23, "Simplified Superframe Specification IE"),
    (0x24, "Simplified GTS Specification IE"),
    (0x25, "LECIM Capabilities IE"),
    (0x26, "TRLE Descriptor IE"),
    (0x27, "RCC Capabilities IE"),
    (0x28, "RCCN Descriptor IE"),
    (0x29, "Global Time IE"),
    (0x2a, "Omnibus Header IE"),
    (0x2b, "DA IE"),
    (0x7e, "Header Termination 1 IE"),
    (0x7f, "Header Termination 2 IE"),
];

/// Payload IE group IDs (Table 7-15).
const P_IE_NAMES: &[(u32, &str)] = &[
    (0x00, "ESDU IE"),
    (0x01, "MLME IE"),
    (0x02, "Vendor Specific Nested IE"),
    (0x03, "Multiplexed IE (802.15.9)"),
    (0x04, "Omnibus Payload Group IE"),
    (0x05, "IETF IE"),
    (0x0f, "List termination"),
];

/// Short-format MLME sub-IDs (Table 7-16); 0x00-0x0f are the long format's.
const P_MLME_SHORT_NAMES: &[(u32, &str)] = &[
    (0x1a, "TSCH Synchronization IE"),
    (0x1b, "TSCH Slotframe and Link IE"),
    (0x1c, "TSCH Timeslot IE"),
    (0x1d, "Hopping timing IE"),
    (0x1e, "Enhanced Beacon Filter IE"),
    (0x1f, "MAC Metrics IE"),
    (0x20, "All MAC Metrics IE"),
    (0x21, "Coexistence Specification IE"),
    (0x22, "SUN Device Capabilities IE"),
    (0x23, "SUN FSK Generic PHY IE"),
    (0x24, "Mode Switch Parameter IE"),
    (0x25, "PHY Parameter Change IE"),
    (0x26, "O-QPSK PHY Mode IE"),
    (0x27, "PCA Allocation IE"),
    (0x28, "LECIM DSSS Operating Mode IE"),
    (0x29, "LECIM FSK Operating Mode IE"),
    (0x2b, "TVWS PHY Operating Mode Description IE"),
    (0x2c, "TVWS Device Capabilities IE"),
    (0x2d, "TVWS Device Category IE"),
    (0x2e, "TVWS Device Identiication IE"),
    (0x2f, "TVWS Device Location IE"),
    (0x30, "TVWS Channel Information Query IE"),
    (0x31, "TVWS Channel Information Source IE"),
    (0x32, "CTM IE"),
    (0x33, "Timestamp IE"),
    (0x34, "Timestamp Difference IE"),
    (0x35, "TMCTP Specification IE"),
    (0x36, "RCC PHY Operating Mode IE"),
];

/// Long-format MLME sub-IDs (Table 7-17).
const P_MLME_LONG_NAMES: &[(u32, &str)] = &[
    (0x08, "Vendor Specific MLME Nested IE"),
    (0x09, "Channel Hopping IE"),
];

/// MAC commands (Table 7-49); IDs up to 0x2f are named, unassigned ones "Reserved".
const MAC_C_NAMES: &[(u32, &str)] = &[
    (0x01, "Association Request command"),
    (0x02, "Association Response command"),
    (0x03, "Disassociation Notification command"),
    (0x04, "Data Request command"),
    (0x05, "PAN ID Conflict Notification command"),
    (0x06, "Orphan Notification command"),
    (0x07, "Beacon Request command"),
    (0x08, "Coordinator realignment command"),
    (0x09, "GTS request command"),
    (0x0a, "TRLE Management Request command"),
    (0x0b, "TRLE Management Response command"),
    (0x13, "DSME Association Request command"),
    (0x14, "DSME Association Response command"),
    (0x15, "DSME GTS Request command"),
    (0x16, "DSME GTS Response command"),
    (0x17, "DSME GTS Notify command"),
    (0x18, "DSME Information Request command"),
    (0x19, "DSME Information Response command"),
    (0x1a, "DSME Beacon Allocation Notification command"),
    (0x1b, "DSME Beacon Collision Notification command"),
    (0x1c, "DSME Link Report command"),
    (0x20, "RIT Data Request command"),
    (0x21, "DBS Request command"),
    (0x22, "DBS Response command"),
    (0x23, "RIT Data Response command"),
    (0x24, "Vendor Specific command"),
];

/// A name from `table`, or `Reserved 0xNN`.
fn name_or_reserved(ctx: &mut Ctx, table: &[(u32, &'static str)], v: u32) {
    match super::tok(table, v) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "Reserved 0x{:02x}", v),
    }
}

#[inline]
fn bit(v: u32, b: u32) -> bool {
    (v >> b) & 1 != 0
}

/// Bit-reversed CRC-16 of 802.15.4 (ITU-T polynomial 0x1021, initial value 0; section 7.2.10).
fn crc16(p: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in p {
        let y = b.reverse_bits();
        let mut x = ((crc >> 8) as u8) ^ y;
        x ^= x >> 4;
        crc = (crc << 8) ^ ((x as u16) << 12) ^ ((x as u16) << 5) ^ x as u16;
    }
    crc.reverse_bits()
}

/// Bit-reversed CRC-32 of 802.15.4 (ANSI X3.66 polynomial 0x04c11db7, initial value 0).
fn crc32(p: &[u8]) -> u32 {
    let mut crc: u32 = 0;
    for &b in p {
        let mut byte = (b as u32).reverse_bits();
        for _ in 0..8 {
            crc = if (crc ^ byte) & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04c1_1db7
            } else {
                crc << 1
            };
            byte <<= 1;
        }
    }
    crc.reverse_bits()
}

/// Address length of an addressing mode (Table 7-3); `None` for the reserved mode.
fn addr_len(mode: u16) -> Option<usize> {
    match mode {
        0 => Some(0),
        2 => Some(2),
        3 => Some(8),
        _ => None,
    }
}

/// An extended address, stored little-endian, printed most significant octet first.
fn le64addr(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult {
    let a = p.sub(off, 8)?;
    for (i, b) in a.iter().rev().enumerate() {
        if i > 0 {
            ctx.push(":");
        }
        pr!(ctx, "{:02x}", b);
    }
    Ok(())
}

fn print_addr(ctx: &mut Ctx, p: &[u8], off: usize, len: usize) -> PResult {
    match len {
        0 => ctx.push("none"),
        2 => pr!(ctx, "{:04x}", p.le_u16(off)?),
        8 => le64addr(ctx, p, off)?,
        _ => {}
    }
    Ok(())
}

/// `n` octets from `off` as `xx ` each.
fn hex_octets(ctx: &mut Ctx, p: &[u8], off: usize, n: usize) -> PResult {
    for i in 0..n {
        pr!(ctx, "{:02x} ", p.u8_at(off + i)?);
    }
    Ok(())
}

/// The superframe specification of beacons and DSME PAN descriptors (7.3.1.3).
fn superframe_spec_print(ctx: &mut Ctx, ss: u16) {
    if ctx.vflag() < 1 {
        return;
    }
    pr!(
        ctx,
        "\n\tBeacon order = {}, Superframe order = {}, Final CAP Slot = {}",
        ss & 0xf,
        (ss >> 4) & 0xf,
        (ss >> 8) & 0xf
    );
    let ss = ss as u32;
    if bit(ss, 12) {
        ctx.push(", BLE enabled");
    }
    if bit(ss, 14) {
        ctx.push(", PAN Coordinator");
    }
    if bit(ss, 15) {
        ctx.push(", Association Permit");
    }
}

/// GTS information of a beacon (7.3.1.4). Returns the octets used, `None` on error.
fn gts_info_print(ctx: &mut Ctx, p: &[u8], off: usize, data_len: u32) -> PResult<Option<u32>> {
    let gts_spec = p.u8_at(off)?;
    let cnt = (gts_spec & 0x7) as usize;
    if cnt == 0 {
        if ctx.vflag() > 0 {
            pr!(ctx, "\n\tGTS Descriptor Count = {}, ", cnt);
        }
        return Ok(Some(1));
    }
    let len = 1 + 1 + cnt as u32 * 3;
    if data_len < len {
        ctx.push(" [ERROR: Truncated GTS Info List]");
        return Ok(None);
    }
    if ctx.vflag() < 2 {
        return Ok(Some(len));
    }
    pr!(ctx, "GTS Descriptor Count = {}, ", cnt);
    pr!(
        ctx,
        "GTS Directions Mask = {:02x}, [ ",
        p.u8_at(off + 1)? & 0x7f
    );
    for i in 0..cnt {
        let d = off + 2 + i * 3;
        ctx.push("[ ");
        print_addr(ctx, p, d, 2)?;
        let b = p.u8_at(d + 1)?;
        pr!(
            ctx,
            ", Start slot = {}, Length = {} ] ",
            b & 0x0f,
            (b >> 4) & 0x0f
        );
    }
    ctx.push("]");
    Ok(Some(len))
}

/// The pending address list of a beacon (7.3.1.5). Returns the octets used, `None` on error.
fn pending_addresses_print(
    ctx: &mut Ctx,
    p: &[u8],
    off: usize,
    data_len: u32,
) -> PResult<Option<u32>> {
    let pas = p.u8_at(off)?;
    let s_cnt = (pas & 0x7) as usize;
    let e_cnt = ((pas >> 4) & 0x7) as usize;
    let len = (1 + s_cnt * 2 + e_cnt * 8) as u32;
    if ctx.vflag() > 0 {
        pr!(
            ctx,
            "\n\tPending address list, # short addresses = {}, # extended addresses = {}",
            s_cnt,
            e_cnt
        );
    }
    if data_len < len {
        ctx.push(" [ERROR: Pending address list truncated]");
        return Ok(None);
    }
    if ctx.vflag() < 2 {
        return Ok(Some(len));
    }
    if s_cnt != 0 {
        ctx.push(", Short address list = [ ");
        for i in 0..s_cnt {
            print_addr(ctx, p, off + 1 + i * 2, 2)?;
            ctx.push(" ");
        }
        ctx.push("]");
    }
    if e_cnt != 0 {
        ctx.push(", Extended address list = [ ");
        for i in 0..e_cnt {
            print_addr(ctx, p, off + 1 + s_cnt * 2 + i * 8, 8)?;
            ctx.push(" ");
        }
        ctx.push("]");
    }
    Ok(Some(len))
}

/// A vendor-specific IE body: the OUI, then the data.
fn vendor_print(ctx: &mut Ctx, p: &[u8], off: usize, len: usize) -> PResult {
    if len < 3 {
        ctx.push("[ERROR: Vendor OUI missing]");
        return Ok(());
    }
    let o = p.sub(off, 3)?;
    pr!(ctx, "OUI = 0x{:02x}{:02x}{:02x}, Data = ", o[0], o[1], o[2]);
    hex_octets(ctx, p, off + 3, len - 3)
}

/// The content of a header IE (with `-vvvv`).
fn header_ie_print(ctx: &mut Ctx, p: &[u8], off: usize, ie_len: usize, id: u32) -> PResult {
    match id {
        0x00 => vendor_print(ctx, p, off, ie_len)?,
        0x1a => {
            if ie_len < 4 {
                ctx.push("[ERROR: Truncated CSL IE]");
            } else {
                let (phase, period) = (p.le_u16(off)?, p.le_u16(off + 2)?);
                pr!(ctx, "CSL Phase = {}, CSL Period = {}", phase, period);
                if ie_len >= 6 {
                    pr!(ctx, ", Rendezvous time = {}", p.le_u16(off + 4)?);
                }
                if ie_len != 4 && ie_len != 6 {
                    ctx.push(" [ERROR: CSL IE length wrong]");
                }
            }
        }
        0x1b => {
            if ie_len < 4 {
                ctx.push("[ERROR: Truncated RIT IE]");
            } else {
                let (a, b, c) = (p.u8_at(off)?, p.u8_at(off + 1)?, p.le_u16(off + 2)?);
                pr!(
                    ctx,
                    "Time to First Listen = {}, # of Repeat Listen = {}, Repeat Listen Interval = {}",
                    a,
                    b,
                    c
                );
            }
        }
        0x1c | 0x21 => {
            if ie_len < 2 {
                ctx.push("[ERROR: Truncated DSME PAN IE]");
            } else {
                dsme_pan_print(ctx, p, off, ie_len, id == 0x21)?;
            }
        }
        0x1d => {
            if ie_len != 4 {
                ctx.push("[ERROR: Length != 2]");
            } else {
                let (r, w) = (p.le_u16(off)?, p.le_u16(off + 2)?);
                pr!(ctx, "Rendezvous time = {}, Wake-up Interval = {}", r, w);
            }
        }
        0x1e => {
            if ie_len != 2 {
                ctx.push("[ERROR: Length != 2]");
            } else {
                let val = p.le_u16(off)?;
                if val & 0x8000 != 0 {
                    ctx.push("Negative ");
                }
                // A 12-bit two's complement value.
                let timecorr = (((val & 0xfff) << 4) as i16) >> 4;
                pr!(ctx, "Ack time correction = {}, ", timecorr);
            }
        }
        _ => {
            ctx.push("IE Data = ");
            hex_octets(ctx, p, off, ie_len)?;
        }
    }
    Ok(())
}

/// The (extended) DSME PAN descriptor IE.
fn dsme_pan_print(ctx: &mut Ctx, p: &[u8], off: usize, ie_len: usize, ext: bool) -> PResult {
    let ss = p.le_u16(off)?;
    superframe_spec_print(ctx, ss);
    if ie_len < 3 {
        ctx.push("[ERROR: Truncated before pending addresses field]");
        return Ok(());
    }
    let mut ptr = 2usize;
    let Some(n) = pending_addresses_print(ctx, p, off + ptr, (ie_len - ptr) as u32)? else {
        return Ok(());
    };
    ptr += n as usize;
    let mut hopping_present = false;
    if ext {
        if ie_len < ptr + 2 {
            ctx.push("[ERROR: Truncated before DSME Superframe Specification]");
            return Ok(());
        }
        let ss = p.le_u16(off + ptr)?;
        ptr += 2;
        pr!(ctx, "Multi-superframe Order = {}", ss & 0xff);
        pr!(
            ctx,
            ", {}",
            if ss & 0x100 != 0 {
                "Channel hopping mode"
            } else {
                "Channel adaptation mode"
            }
        );
        if ss & 0x400 != 0 {
            ctx.push(", CAP reduction enabled");
        }
        if ss & 0x800 != 0 {
            ctx.push(", Deferred beacon enabled");
        }
        if ss & 0x1000 != 0 {
            ctx.push(", Hopping Sequence Present");
            hopping_present = true;
        }
    } else {
        if ie_len < ptr + 1 {
            ctx.push("[ERROR: Truncated before DSME Superframe Specification]");
            return Ok(());
        }
        let ss = p.u8_at(off + ptr)?;
        ptr += 1;
        pr!(ctx, "Multi-superframe Order = {}", ss & 0x0f);
        pr!(
            ctx,
            ", {}",
            if ss & 0x10 != 0 {
                "Channel hopping mode"
            } else {
                "Channel adaptation mode"
            }
        );
        if ss & 0x40 != 0 {
            ctx.push(", CAP reduction enabled");
        }
        if ss & 0x80 != 0 {
            ctx.push(", Deferred beacon enabled");
        }
    }
    if ie_len < ptr + 8 {
        ctx.push(" [ERROR: Truncated before Time synchronization specification]");
        return Ok(());
    }
    let ts = p.sub(off + ptr, 6)?;
    let ts = u64::from_le_bytes([ts[0], ts[1], ts[2], ts[3], ts[4], ts[5], 0, 0]);
    let offset = p.le_u16(off + ptr + 6)?;
    pr!(ctx, "Beacon timestamp = {}, offset = {}", ts, offset);
    ptr += 8;
    if ie_len < ptr + 4 {
        ctx.push(" [ERROR: Truncated before Beacon Bitmap]");
        return Ok(());
    }
    let ulen = p.le_u16(off + ptr + 2)? as usize;
    let sd_index = p.le_u16(off + ptr)?;
    pr!(ctx, "SD Index = {}, Bitmap len = {}, ", sd_index, ulen);
    ptr += 4;
    if ie_len < ptr + ulen {
        ctx.push(" [ERROR: Truncated in SD bitmap]");
        return Ok(());
    }
    ctx.push(" SD Bitmap = ");
    hex_octets(ctx, p, off + ptr, ulen)?;
    ptr += ulen;
    if ie_len < ptr + 5 {
        ctx.push(" [ERROR: Truncated before Channel hopping specification]");
        return Ok(());
    }
    let ulen = p.le_u16(off + ptr + 4)? as usize;
    let (seq_id, bsn, choff) = (
        p.u8_at(off + ptr)?,
        p.u8_at(off + ptr + 1)?,
        p.le_u16(off + ptr + 2)?,
    );
    pr!(
        ctx,
        "Hopping Seq ID = {}, PAN Coordinator BSN = {}, Channel offset = {}, Bitmap length = {}, ",
        seq_id,
        bsn,
        choff,
        ulen
    );
    ptr += 5;
    if ie_len < ptr + ulen {
        ctx.push(" [ERROR: Truncated in Channel offset bitmap]");
        return Ok(());
    }
    ctx.push(" Channel offset bitmap = ");
    hex_octets(ctx, p, off + ptr, ulen)?;
    ptr += ulen;
    if hopping_present {
        if ie_len < ptr + 1 {
            ctx.push(" [ERROR: Truncated in Hopping Sequence length]");
            return Ok(());
        }
        let ulen = p.u8_at(off + ptr)? as usize;
        ptr += 1;
        pr!(ctx, "Hopping Seq length = {} [ ", ulen);
        // Two octets per channel (the standard does not say).
        if ie_len < ptr + ulen * 2 {
            ctx.push(" [ERROR: Truncated in Channel offset bitmap]");
            return Ok(());
        }
        for i in 0..ulen {
            pr!(ctx, "{:02x} ", p.le_u16(off + ptr + i * 2)?);
        }
        ctx.push("]");
    }
    Ok(())
}

/// The header IE list (7.4.2). Returns the octets used and whether payload IEs follow, `None`
/// on error.
fn header_ie_list_print(
    ctx: &mut Ctx,
    p: &[u8],
    mut off: usize,
    mut caplen: u32,
) -> PResult<Option<(u32, bool)>> {
    let mut len = 0u32;
    loop {
        if caplen < 2 {
            ctx.push("[ERROR: Truncated header IE]");
            return Ok(None);
        }
        let ie = p.le_u16(off)? as u32;
        if bit(ie, 15) {
            ctx.push("[ERROR: Header IE with type 1] ");
        }
        let ie_len = (ie & 0x7f) as usize;
        let id = (ie >> 7) & 0xff;
        if id > 127 {
            pr!(ctx, "Reserved Element ID {:02x}, length = {} ", id, ie_len);
        } else {
            ctx.push("\n\t");
            name_or_reserved(ctx, H_IE_NAMES, id);
            if ie_len == 0 {
                ctx.push(" [");
            } else {
                pr!(ctx, " [ length = {}, ", ie_len);
            }
        }
        if caplen < 2 + ie_len as u32 {
            ctx.push("[ERROR: Truncated IE data]");
            return Ok(None);
        }
        off += 2;
        if ie_len != 0 {
            if ctx.vflag() > 3 {
                header_ie_print(ctx, p, off, ie_len, id)?;
            } else {
                ctx.push("IE Data = ");
                hex_octets(ctx, p, off, ie_len)?;
            }
        }
        ctx.push("] ");
        len += 2 + ie_len as u32;
        off += ie_len;
        caplen -= 2 + ie_len as u32;
        match id {
            0x7e => return Ok(Some((len, true))),
            0x7f => return Ok(Some((len, false))),
            _ => {}
        }
        if caplen == 0 {
            return Ok(Some((len, false)));
        }
    }
}

/// The content of an MLME sub-IE (with `-vvvv`); short and long sub-IDs do not overlap.
fn mlme_ie_print(ctx: &mut Ctx, p: &[u8], off: usize, sub_len: usize, sub_id: u32) -> PResult {
    match sub_id {
        0x08 => vendor_print(ctx, p, off, sub_len)?,
        0x09 => channel_hopping_print(ctx, p, off, sub_len)?,
        0x1a => {
            if sub_len < 6 {
                ctx.push("[ERROR: Length != 6]");
            }
            let a = p.sub(off, 5)?;
            let asn = u64::from_le_bytes([a[0], a[1], a[2], a[3], a[4], 0, 0, 0]);
            let jm = p.u8_at(off + 5)?;
            pr!(ctx, "ASN = {:010x}, Join Metric = {} ", asn, jm);
        }
        0x1b => {
            if sub_len < 1 {
                ctx.push("[ERROR: Truncated IE]");
                return Ok(());
            }
            let sf_num = p.u8_at(off)?;
            pr!(ctx, "Slotframes = {} ", sf_num);
            let mut o = 1usize;
            for _ in 0..sf_num {
                if sub_len < o + 4 {
                    ctx.push("[ERROR: Truncated IE before slotframes]");
                    break;
                }
                let links = p.u8_at(off + o + 3)?;
                let (handle, size) = (p.u8_at(off + o)?, p.le_u16(off + o + 1)?);
                pr!(
                    ctx,
                    "\n\t\t\t[ Handle {}, size = {}, links = {} ",
                    handle,
                    size,
                    links
                );
                o += 4;
                for _ in 0..links {
                    if sub_len < o + 5 {
                        ctx.push("[ERROR: Truncated IE links]");
                        break;
                    }
                    let opts = p.u8_at(off + o + 4)?;
                    let (ts, choff) = (p.le_u16(off + o)?, p.le_u16(off + o + 2)?);
                    pr!(
                        ctx,
                        "\n\t\t\t\t[ Timeslot =  {}, Offset = {}, Options = ",
                        ts,
                        choff
                    );
                    for (b, n) in [
                        (0x1, "TX "),
                        (0x2, "RX "),
                        (0x4, "Shared "),
                        (0x8, "Timekeeping "),
                        (0x10, "Priority "),
                    ] {
                        if opts & b != 0 {
                            ctx.push(n);
                        }
                    }
                    o += 5;
                    ctx.push("] ");
                }
                ctx.push("] ");
            }
        }
        0x1c => match sub_len {
            1 => pr!(ctx, "Time slot ID = {} ", p.u8_at(off)?),
            25 | 27 => {
                let id = p.u8_at(off)?;
                let mut v = [0u32; 12];
                for (i, slot) in v.iter_mut().enumerate().take(10) {
                    *slot = p.le_u16(off + 1 + i * 2)? as u32;
                }
                if sub_len == 25 {
                    v[10] = p.le_u16(off + 21)? as u32;
                    v[11] = p.le_u16(off + 23)? as u32;
                } else {
                    let a = p.sub(off + 21, 6)?;
                    v[10] = u32::from_le_bytes([a[0], a[1], a[2], 0]);
                    v[11] = u32::from_le_bytes([a[3], a[4], a[5], 0]);
                }
                pr!(
                    ctx,
                    "Time slot ID = {}, CCA Offset = {}, CCA = {}, TX Offset = {}, RX Offset = {}, \
                     RX Ack Delay = {}, TX Ack Delay = {}, RX Wait = {}, Ack Wait = {}, RX TX = {}, \
                     Max Ack = {}, Max TX = {}, Time slot Length = {} ",
                    id,
                    v[0],
                    v[1],
                    v[2],
                    v[3],
                    v[4],
                    v[5],
                    v[6],
                    v[7],
                    v[8],
                    v[9],
                    v[10],
                    v[11]
                );
            }
            _ => {
                ctx.push("[ERROR: Length not 1, 25, or 27]\n\t\t\tIE Data = ");
                hex_octets(ctx, p, off, sub_len)?;
            }
        },
        _ => {
            ctx.push("IE Data = ");
            hex_octets(ctx, p, off, sub_len)?;
        }
    }
    Ok(())
}

/// The channel hopping MLME IE.
fn channel_hopping_print(ctx: &mut Ctx, p: &[u8], off: usize, sub_len: usize) -> PResult {
    if sub_len < 1 {
        ctx.push("[ERROR: Hopping sequence ID missing]");
        return Ok(());
    }
    pr!(ctx, "Hopping Sequence ID = {}", p.u8_at(off)?);
    if sub_len == 1 {
        return Ok(());
    }
    let (mut o, mut left) = (off + 1, sub_len - 1);
    if left < 7 {
        ctx.push("[ERROR: IE truncated]");
        return Ok(());
    }
    let page = p.u8_at(o)?;
    let nchan = p.le_u16(o + 1)? as usize;
    pr!(
        ctx,
        "Channel Page = {}, Number of Channels = {}, ",
        page,
        nchan
    );
    pr!(ctx, "Phy Configuration = 0x{:08x}, ", p.le_u32(o + 3)?);
    o += 7;
    left -= 7;
    if page == 9 || page == 10 {
        let len = nchan.div_ceil(8);
        if left < len {
            ctx.push("[ERROR: IE truncated]");
            return Ok(());
        }
        ctx.push("Extended bitmap = 0x");
        for i in 0..len {
            pr!(ctx, "{:02x}", p.u8_at(o + i)?);
        }
        ctx.push(", ");
        o += len;
        left -= len;
    }
    if left < 2 {
        ctx.push("[ERROR: IE truncated]");
        return Ok(());
    }
    let len = p.le_u16(o)? as usize;
    o += 2;
    left -= 2;
    pr!(ctx, "Hopping Seq length = {} [ ", len);
    if left < len * 2 {
        ctx.push(" [ERROR: IE truncated]");
        return Ok(());
    }
    for i in 0..len {
        pr!(ctx, "{:02x} ", p.le_u16(o + i * 2)?);
    }
    ctx.push("]");
    o += len * 2;
    left -= len * 2;
    if left < 2 {
        ctx.push("[ERROR: IE truncated]");
        return Ok(());
    }
    pr!(ctx, "Current hop = {}", p.le_u16(o)?);
    Ok(())
}

/// The MLME IE list inside a payload IE (7.4.3.2).
fn mlme_ie_list_print(ctx: &mut Ctx, p: &[u8], mut off: usize, mut ie_len: usize) -> PResult {
    loop {
        if ie_len < 2 {
            ctx.push("[ERROR: Truncated MLME IE]");
            return Ok(());
        }
        let ie = p.le_u16(off)? as u32;
        let long = bit(ie, 15);
        let (sub_len, sub_id) = if long {
            ((ie & 0x3ff) as usize, (ie >> 11) & 0x0f)
        } else {
            ((ie & 0xff) as usize, (ie >> 8) & 0x7f)
        };
        off += 2;
        ctx.push("\n\t\t");
        if long {
            name_or_reserved(ctx, P_MLME_LONG_NAMES, sub_id);
        } else if sub_id < 0x10 {
            pr!(ctx, "Reserved for long format 0x{:x}", sub_id);
        } else {
            name_or_reserved(ctx, P_MLME_SHORT_NAMES, sub_id);
        }
        pr!(ctx, " [ length = {}, ", sub_len);
        if ie_len < 2 + sub_len {
            ctx.push("[ERROR: Truncated IE data]");
            return Ok(());
        }
        if sub_len != 0 {
            if ctx.vflag() > 3 {
                mlme_ie_print(ctx, p, off, sub_len, sub_id)?;
            } else if ctx.vflag() > 2 {
                ctx.push("IE Data = ");
                hex_octets(ctx, p, off, sub_len)?;
            }
        }
        ctx.push("] ");
        off += sub_len;
        ie_len -= 2 + sub_len;
        if ie_len == 0 {
            return Ok(());
        }
    }
}

/// A multiplexed IE (IEEE 802.15.9).
fn mpx_ie_print(ctx: &mut Ctx, p: &[u8], off: usize, ie_len: usize) -> PResult {
    if ie_len < 1 {
        ctx.push("[ERROR: Transaction control byte missing]");
        return Ok(());
    }
    let tc = p.u8_at(off)?;
    let (transfer_type, tid) = (tc & 0x7, tc >> 3);
    let data_start;
    match transfer_type {
        0 | 1 => {
            pr!(
                ctx,
                "Type = Full upper layer fragment{}, ",
                if transfer_type == 1 {
                    " with small Multiplex ID"
                } else {
                    ""
                }
            );
            if transfer_type == 0 {
                if ie_len < 3 {
                    ctx.push("[ERROR: Multiplex ID missing]");
                    return Ok(());
                }
                data_start = 3;
                pr!(
                    ctx,
                    "tid = 0x{:02x}, Multiplex ID = 0x{:04x}, ",
                    tid,
                    p.le_u16(off + 1)?
                );
            } else {
                data_start = 1;
                pr!(ctx, "Multiplex ID = 0x{:04x}, ", tid);
            }
        }
        2 | 4 => {
            if ie_len < 2 {
                ctx.push("[ERROR: fragment number missing]");
                return Ok(());
            }
            let frag = p.u8_at(off + 1)?;
            let kind = match (transfer_type, frag) {
                (2, 0) => "First fragment",
                (2, _) => "Middle fragment",
                _ => "Last fragment",
            };
            pr!(
                ctx,
                "Type = {}, tid = 0x{:02x}, fragment = 0x{:02x}, ",
                kind,
                tid,
                frag
            );
            if frag == 0 {
                if ie_len < 6 {
                    ctx.push("[ERROR: Total upper layer size or multiplex ID missing]");
                    return Ok(());
                }
                let (total, mid) = (p.le_u16(off + 2)?, p.le_u16(off + 4)?);
                pr!(
                    ctx,
                    "Total upper layer size = 0x{:04x}, Multiplex ID = 0x{:04x}, ",
                    total,
                    mid
                );
                data_start = 6;
            } else {
                data_start = 2;
            }
        }
        6 => {
            match ie_len {
                1 => pr!(ctx, "Type = Abort, tid = 0x{:02x}, no max size given", tid),
                3 => pr!(
                    ctx,
                    "Type = Abort, tid = 0x{:02x}, max size = 0x{:04x}",
                    tid,
                    p.le_u16(off + 1)?
                ),
                _ => {
                    pr!(
                        ctx,
                        "Type = Abort, tid = 0x{:02x}, invalid length = {} (not 1 or 3)Abort data = ",
                        tid,
                        ie_len
                    );
                    hex_octets(ctx, p, off + 1, ie_len - 1)?;
                }
            }
            return Ok(());
        }
        _ => {
            pr!(
                ctx,
                "Type = {} (Reserved), tid = 0x{:02x}, ",
                transfer_type,
                tid
            );
            data_start = 1;
        }
    }
    ctx.push("Upper layer data = ");
    hex_octets(ctx, p, off + data_start, ie_len.saturating_sub(data_start))
}

/// The payload IE list (7.4.3). Returns the octets used, `None` on error.
fn payload_ie_list_print(
    ctx: &mut Ctx,
    p: &[u8],
    mut off: usize,
    mut caplen: u32,
) -> PResult<Option<u32>> {
    let mut len = 0u32;
    loop {
        if caplen < 2 {
            ctx.push("[ERROR: Truncated header IE]");
            return Ok(None);
        }
        let ie = p.le_u16(off)? as u32;
        if !bit(ie, 15) {
            ctx.push("[ERROR: Payload IE with type 0] ");
        }
        let ie_len = (ie & 0x3ff) as usize;
        let group = (ie >> 11) & 0x0f;
        off += 2;
        ctx.push("\n\t");
        name_or_reserved(ctx, P_IE_NAMES, group);
        if ie_len == 0 {
            ctx.push(" [");
        } else {
            pr!(ctx, " [ length = {}, ", ie_len);
        }
        if caplen < 2 + ie_len as u32 {
            ctx.push("[ERROR: Truncated IE data]");
            return Ok(None);
        }
        if ctx.vflag() > 3 && ie_len != 0 {
            match group {
                0x1 => mlme_ie_list_print(ctx, p, off, ie_len)?,
                0x2 => vendor_print(ctx, p, off, ie_len)?,
                0x3 => mpx_ie_print(ctx, p, off, ie_len)?,
                0x5 => {
                    pr!(
                        ctx,
                        "Subtype ID = 0x{:02x}, Subtype content = ",
                        p.u8_at(off)?
                    );
                    hex_octets(ctx, p, off + 1, ie_len - 1)?;
                }
                _ => {
                    ctx.push("IE Data = ");
                    hex_octets(ctx, p, off, ie_len)?;
                }
            }
        } else if ie_len != 0 {
            ctx.push("IE Data = ");
            hex_octets(ctx, p, off, ie_len)?;
        }
        ctx.push("]\n\t");
        len += 2 + ie_len as u32;
        off += ie_len;
        caplen -= 2 + ie_len as u32;
        if group == 0xf || caplen == 0 {
            return Ok(Some(len));
        }
    }
}

/// The auxiliary security header (9.4). Returns its length and the security level, `None`
/// on error.
fn aux_sec_header_print(
    ctx: &mut Ctx,
    p: &[u8],
    mut off: usize,
    mut caplen: u32,
) -> PResult<Option<(u32, u8)>> {
    if caplen < 1 {
        ctx.push("[ERROR: Truncated before Aux Security Header]");
        return Ok(None);
    }
    let sc = p.u8_at(off)?;
    let mut len = 1u32;
    let level = sc & 0x7;
    let key_id_mode = (sc >> 3) & 0x3;
    caplen -= 1;
    off += 1;
    if ctx.vflag() > 0 {
        pr!(
            ctx,
            "\n\tSecurity Level {}, Key Id Mode {}, ",
            level,
            key_id_mode
        );
    }
    // Frame counter, unless suppressed.
    if sc & 0x20 == 0 {
        if caplen < 4 {
            ctx.push("[ERROR: Truncated before Frame Counter]");
            return Ok(None);
        }
        if ctx.vflag() > 1 {
            pr!(ctx, "Frame Counter 0x{:08x} ", p.le_u32(off)?);
        }
        off += 4;
        caplen -= 4;
        len += 4;
    }
    match key_id_mode {
        0 => {
            if ctx.vflag() > 1 {
                ctx.push("Implicit");
            }
            return Ok(Some((len, level)));
        }
        1 => {}
        2 => {
            if caplen < 4 {
                ctx.push("[ERROR: Truncated before Key Source]");
                return Ok(None);
            }
            if ctx.vflag() > 1 {
                let (a, b) = (p.le_u16(off)?, p.le_u16(off + 2)?);
                // tcpdump's format string has "%0x4x" here: hex, then a literal "4x".
                pr!(ctx, "KeySource 0x{:04x}:{:x}4x, ", a, b);
            }
            off += 4;
            caplen -= 4;
            len += 4;
        }
        _ => {
            if caplen < 8 {
                ctx.push("[ERROR: Truncated before Key Source]");
                return Ok(None);
            }
            if ctx.vflag() > 1 {
                ctx.push("KeySource ");
                le64addr(ctx, p, off)?;
                ctx.push(", ");
            }
            // tcpdump skips only 4 of the 8 octets of the key source.
            off += 4;
            caplen -= 4;
            len += 4;
        }
    }
    if caplen < 1 {
        ctx.push("[ERROR: Truncated before Key Index]");
        return Ok(None);
    }
    if ctx.vflag() > 1 {
        pr!(ctx, "KeyIndex 0x{:02x}, ", p.u8_at(off)?);
    }
    Ok(Some((len + 1, level)))
}

/// The data of a MAC command. Returns the octets it used (0 when the default dump should
/// show them), `None` on error.
fn command_data_print(
    ctx: &mut Ctx,
    command_id: u8,
    p: &[u8],
    off: usize,
    caplen: u32,
) -> PResult<Option<u32>> {
    match command_id {
        0x01 => {
            if caplen != 1 {
                ctx.push("Invalid Association request command length");
                return Ok(None);
            }
            let c = p.u8_at(off)?;
            ctx.push(if c & 0x02 != 0 { "FFD, " } else { "RFD, " });
            for (b, n) in [
                (0x04, "AC powered, "),
                (0x08, "Receiver on when idle, "),
                (0x10, "Fast association, "),
                (0x40, "Security supported, "),
                (0x80, "Allocate address, "),
            ] {
                if c & b != 0 {
                    ctx.push(n);
                }
            }
            Ok(Some(caplen))
        }
        0x02 => {
            if caplen != 3 {
                ctx.push("Invalid Association response command length");
                return Ok(None);
            }
            ctx.push("Short address = ");
            print_addr(ctx, p, off, 2)?;
            match p.u8_at(off + 2)? {
                0x00 => ctx.push(", Association successful"),
                0x01 => ctx.push(", PAN at capacity"),
                0x02 => ctx.push(", PAN access denied"),
                0x03 => ctx.push(", Hooping sequence offset duplication"),
                0x80 => ctx.push(", Fast association successful"),
                s => pr!(ctx, ", Status = 0x{:02x}", s),
            }
            Ok(Some(caplen))
        }
        0x03 => {
            if caplen != 1 {
                ctx.push("Invalid Disassociation Notification command length");
                return Ok(None);
            }
            match p.u8_at(off)? {
                0x00 => ctx.push("Reserved"),
                0x01 => ctx.push("Reason = The coordinator wishes the device to leave PAN"),
                0x02 => ctx.push("Reason = The device wishes to leave the PAN"),
                // tcpdump prints the octet two further on here.
                _ => pr!(ctx, "Reason = 0x{:02x}", p.u8_at(off + 2)?),
            }
            Ok(Some(caplen))
        }
        // Data request, PAN ID conflict, orphan notification, beacon request: no data.
        0x04..=0x07 => Ok(Some(0)),
        0x08 => {
            if !(7..=8).contains(&caplen) {
                ctx.push("Invalid Coordinator Realignment command length");
                return Ok(None);
            }
            pr!(
                ctx,
                "Pan ID = 0x{:04x}, Coordinator short address = ",
                p.le_u16(off)?
            );
            print_addr(ctx, p, off + 2, 2)?;
            let mut channel = p.u8_at(off + 4)? as u16;
            let page = if caplen == 8 {
                p.u8_at(off + 7)? as u16
            } else {
                0x80
            };
            if page & 0x80 != 0 {
                // No channel page: the channel number's high bits instead.
                channel |= (page & 0x7f) << 8;
                pr!(ctx, ", Channel Number = {}", channel);
            } else {
                pr!(ctx, ", Channel Number = {}, page = {}", channel, page);
            }
            ctx.push(", Short address = ");
            print_addr(ctx, p, off + 5, 2)?;
            Ok(Some(caplen))
        }
        0x09 => {
            if caplen != 1 {
                ctx.push("Invalid GTS Request command length");
                return Ok(None);
            }
            let g = p.u8_at(off)?;
            pr!(
                ctx,
                "GTS Length = {}, {}, {}",
                g & 0xf,
                if g & 0x10 != 0 {
                    "Receive-only GTS"
                } else {
                    "Transmit-only GTS"
                },
                if g & 0x20 != 0 {
                    "GTS allocation"
                } else {
                    "GTS deallocations"
                }
            );
            Ok(Some(caplen))
        }
        _ => {
            ctx.push("Command Data = ");
            hex_octets(ctx, p, off, caplen as usize)?;
            Ok(Some(0))
        }
    }
}

/// What the frame check sequence test found: the stored value and the computed one.
struct Fcs {
    stored: u32,
    computed: u32,
}

/// Finds the FCS: a 4-octet one if it matches, else a 2-octet one if it matches (either is
/// then removed from `caplen`), else none. `four`: whether to try the 4-octet one.
fn fcs_check(p: &[u8], caplen: &mut u32, four: bool) -> PResult<Fcs> {
    let n = *caplen as usize;
    if four {
        let stored = p.le_u32(n - 4)?;
        let computed = crc32(p.sub(0, n - 4)?);
        if computed == stored {
            *caplen -= 4;
            return Ok(Fcs { stored, computed });
        }
    }
    let stored = p.le_u16(n - 2)? as u32;
    let computed = crc16(p.sub(0, n - 2)?) as u32;
    if computed == stored {
        *caplen -= 2;
    }
    Ok(Fcs { stored, computed })
}

/// The MIC length of a security level.
fn mic_len(level: u8) -> u32 {
    match level & 3 {
        0 => 0,
        1 => 4,
        2 => 8,
        _ => 16,
    }
}

/// What follows the addresses of standard and multipurpose frames: the security header, the
/// IEs, the MIC and the FCS. Returns the offset and captured length of the payload, `None` on
/// error.
fn after_addresses(
    ctx: &mut Ctx,
    p: &[u8],
    mut off: usize,
    mut caplen: u32,
    security: bool,
    ie_present: bool,
    fcs: &Fcs,
) -> PResult<Option<(usize, u32)>> {
    let mut level = 0u8;
    if security {
        let Some((len, l)) = aux_sec_header_print(ctx, p, off, caplen)? else {
            return Ok(None);
        };
        p.sub(off, len as usize)?;
        level = l;
        off += len as usize;
        caplen -= len;
    }
    let miclen = mic_len(level);
    let mut mic_start = 0;
    if miclen != 0 {
        if caplen < miclen {
            ctx.push("[ERROR: Truncated before MIC]");
            return Ok(None);
        }
        caplen -= miclen;
        mic_start = off + caplen as usize;
    }
    let mut payload_ie_present = false;
    if ie_present {
        let Some((len, payload)) = header_ie_list_print(ctx, p, off, caplen)? else {
            return Ok(None);
        };
        payload_ie_present = payload;
        off += len as usize;
        caplen -= len;
    }
    if payload_ie_present {
        if level >= 4 {
            ctx.push("Payload IEs present, but encrypted, cannot print ");
        } else {
            let Some(len) = payload_ie_list_print(ctx, p, off, caplen)? else {
                return Ok(None);
            };
            off += len as usize;
            caplen -= len;
        }
    }
    if ctx.vflag() > 2 && miclen != 0 {
        ctx.push("\n\tMIC ");
        for i in 0..miclen as usize {
            pr!(ctx, "{:02x}", p.u8_at(mic_start + i)?);
        }
        ctx.push(" ");
    }
    if ctx.vflag() > 2 {
        if fcs.computed == fcs.stored {
            pr!(ctx, "FCS {:x} ", fcs.stored);
        } else {
            pr!(
                ctx,
                "wrong FCS {:x} vs {:x} (assume no FCS stored) ",
                fcs.stored,
                fcs.computed
            );
        }
    }
    Ok(Some((off, caplen)))
}

/// `PAN:address` of one end, or `-:address` without a PAN ID. Returns the octets used, `None`
/// when the frame ends first.
fn pan_and_addr(
    ctx: &mut Ctx,
    p: &[u8],
    off: usize,
    caplen: u32,
    pan: bool,
    alen: usize,
) -> PResult<Option<usize>> {
    let mut used = 0;
    if pan {
        if caplen < 2 {
            // Both ends say "dst_pan" in tcpdump.
            ctx.push("[ERROR: Truncated before dst_pan]");
            return Ok(None);
        }
        pr!(ctx, "{:04x}:", p.le_u16(off)?);
        used = 2;
    } else {
        ctx.push("-:");
    }
    if caplen - (used as u32) < alen as u32 {
        ctx.push("[ERROR: Truncated before dst_addr]");
        return Ok(None);
    }
    print_addr(ctx, p, off + used, alen)?;
    Ok(Some(used + alen))
}

/// Beacon, data, acknowledgement and MAC command frames. Returns 1, or 0 on error (what
/// tcpdump adds to the link-layer header length).
fn std_frames(ctx: &mut Ctx, p: &[u8], mut caplen: u32, fc: u16) -> PResult<u32> {
    let fcs = if caplen < 4 {
        Fcs {
            stored: 0,
            computed: 0,
        }
    } else {
        fcs_check(p, &mut caplen, true)?
    };
    let fcv = fc as u32;
    let version = (fc >> 12) & 0x3;
    let ftype = fc & 0x7;
    pr!(ctx, "v{} ", version);
    if ctx.vflag() > 2 {
        for (b, n) in [
            (3, "Security Enabled, "),
            (4, "Frame Pending, "),
            (5, "AR, "),
            (6, "PAN ID Compression, "),
            (8, "Sequence Number Suppression, "),
            (9, "IE present, "),
        ] {
            if bit(fcv, b) {
                ctx.push(n);
            }
        }
    }
    let mut off;
    if bit(fcv, 8) {
        if version < 2 {
            ctx.push("[ERROR: Sequence number suppressed on frames where version < 2]");
        }
        if ctx.vflag() > 0 {
            ctx.push("seq suppressed ");
        }
        if caplen < 2 {
            ctx.print_trunc();
            return Ok(0);
        }
        off = 2;
        caplen -= 2;
    } else {
        let seq = p.u8_at(2)?;
        if ctx.vflag() > 0 {
            pr!(ctx, "seq {:02x} ", seq);
        }
        if caplen < 3 {
            ctx.print_trunc();
            return Ok(0);
        }
        off = 3;
        caplen -= 3;
    }

    let dst_len = addr_len((fc >> 10) & 0x3);
    let src_len = addr_len((fc >> 14) & 0x3);
    let Some(src_len) = src_len else {
        ctx.push("[ERROR: Invalid src address mode]");
        return Ok(0);
    };
    let Some(dst_len) = dst_len else {
        ctx.push("[ERROR: Invalid dst address mode]");
        return Ok(0);
    };
    let comp = bit(fcv, 6);
    let (mut src_pan, mut dst_pan) = if comp { (false, true) } else { (true, true) };
    if version < 2 {
        if comp && (dst_len == 0 || src_len == 0) {
            ctx.push(
                "[ERROR: PAN ID Compression != 0, and only one address with frame version < 2]",
            );
        }
        if dst_len == 0 {
            dst_pan = false;
        }
        if src_len == 0 {
            src_pan = false;
        }
    } else {
        // The 2015 rules (Table 7-2), with their special cases.
        if dst_len == 0 {
            dst_pan = false;
        }
        if src_len == 0 {
            src_pan = false;
        }
        if comp {
            if src_len == 0 && dst_len == 0 {
                dst_pan = true;
            } else if (src_len == 0) != (dst_len == 0) || (src_len == 8 && dst_len == 8) {
                dst_pan = false;
                src_pan = false;
            }
        } else {
            if src_len == 8 && dst_len == 8 {
                dst_pan = true;
                src_pan = false;
            }
            // Broken 6TiSCH implementations send no source PAN ID here.
            if src_len == 8 && dst_len == 2 {
                src_pan = false;
            }
        }
    }

    let Some(n) = pan_and_addr(ctx, p, off, caplen, dst_pan, dst_len)? else {
        return Ok(0);
    };
    off += n;
    caplen -= n as u32;
    ctx.push(" < ");
    let Some(n) = pan_and_addr(ctx, p, off, caplen, src_pan, src_len)? else {
        return Ok(0);
    };
    ctx.push(" ");
    off += n;
    caplen -= n as u32;

    let Some((mut off, mut caplen)) =
        after_addresses(ctx, p, off, caplen, bit(fcv, 3), bit(fcv, 9), &fcs)?
    else {
        return Ok(0);
    };

    match ftype {
        // The 2003/2006 beacon payload: superframe, GTS and pending addresses.
        0 if version < 2 => {
            if caplen < 2 {
                ctx.push("[ERROR: Truncated before beacon information]");
                return Ok(1);
            }
            superframe_spec_print(ctx, p.le_u16(off)?);
            off += 2;
            caplen -= 2;
            if caplen < 1 {
                ctx.push("[ERROR: Truncated before GTS info]");
                return Ok(1);
            }
            let Some(len) = gts_info_print(ctx, p, off, caplen)? else {
                return Ok(1);
            };
            off += len as usize;
            caplen -= len;
            if caplen < 1 {
                ctx.push("[ERROR: Truncated before pending addresses]");
                return Ok(1);
            }
            let Some(len) = pending_addresses_print(ctx, p, off, caplen)? else {
                return Ok(1);
            };
            p.sub(off, len as usize)?;
            off += len as usize;
            caplen -= len;
        }
        3 => {
            if caplen < 1 {
                ctx.push("[ERROR: Truncated before Command ID]");
            } else {
                let id = p.u8_at(off)?;
                ctx.push("Command ID = ");
                if id >= 0x30 {
                    pr!(ctx, "Reserved 0x{:02x} ", id);
                } else {
                    name_or_reserved(ctx, MAC_C_NAMES, id as u32);
                    ctx.push(" ");
                }
                off += 1;
                caplen -= 1;
                if caplen != 0
                    && let Some(len) = command_data_print(ctx, id, p, off, caplen)?
                {
                    off += len as usize;
                    caplen -= len;
                }
            }
        }
        _ => {}
    }
    if !ctx.suppress_default_print() {
        ctx.default_print(p.from(off)?, caplen)?;
    }
    Ok(1)
}

/// Multipurpose frames (7.3.5). Returns 1, or 0 on error.
fn mp_frame(ctx: &mut Ctx, p: &[u8], mut caplen: u32, fc: u16) -> PResult<u32> {
    let fcs = if caplen < 3 {
        Fcs {
            stored: 0,
            computed: 0,
        }
    } else {
        let four = caplen > 4;
        fcs_check(p, &mut caplen, four)?
    };
    let fcv = fc as u32;
    let mut pan_id_present = false;
    let mut ie_present = false;
    let mut security = false;
    let mut off;
    if bit(fcv, 3) {
        // The long frame control.
        pr!(ctx, "v{} ", (fc >> 12) & 0x3);
        pan_id_present = bit(fcv, 8);
        ie_present = bit(fcv, 15);
        security = bit(fcv, 9);
        if ctx.vflag() > 2 {
            for (on, n) in [
                (security, "Security Enabled, "),
                (bit(fcv, 11), "Frame Pending, "),
                (bit(fcv, 14), "AR, "),
                (pan_id_present, "PAN ID Present, "),
                (bit(fcv, 10), "Sequence Number Suppression, "),
                (ie_present, "IE present, "),
            ] {
                if on {
                    ctx.push(n);
                }
            }
        }
        if bit(fcv, 10) {
            if caplen < 2 {
                ctx.print_trunc();
                return Ok(0);
            }
            off = 2;
            caplen -= 2;
        } else {
            let seq = p.u8_at(2)?;
            if ctx.vflag() > 0 {
                pr!(ctx, "seq {:02x} ", seq);
            }
            if caplen < 3 {
                ctx.print_trunc();
                return Ok(0);
            }
            off = 3;
            caplen -= 3;
        }
    } else {
        // The short frame control, then the sequence number.
        let seq = p.u8_at(1)?;
        off = 2;
        caplen -= 2;
        if ctx.vflag() > 0 {
            pr!(ctx, "seq {:02x} ", seq);
        }
    }

    let Some(src_len) = addr_len((fc >> 6) & 0x3) else {
        ctx.push("[ERROR: Invalid src address mode]");
        return Ok(0);
    };
    let Some(dst_len) = addr_len((fc >> 4) & 0x3) else {
        ctx.push("[ERROR: Invalid dst address mode]");
        return Ok(0);
    };
    let Some(n) = pan_and_addr(ctx, p, off, caplen, pan_id_present, dst_len)? else {
        return Ok(0);
    };
    off += n;
    caplen -= n as u32;
    ctx.push(" <  -:");
    if caplen < src_len as u32 {
        ctx.push("[ERROR: Truncated before dst_addr]");
        return Ok(0);
    }
    print_addr(ctx, p, off, src_len)?;
    ctx.push(" ");
    off += src_len;
    caplen -= src_len as u32;

    let Some((off, caplen)) = after_addresses(ctx, p, off, caplen, security, ie_present, &fcs)?
    else {
        return Ok(0);
    };
    if !ctx.suppress_default_print() {
        ctx.default_print(p.from(off)?, caplen)?;
    }
    Ok(1)
}

/// An 802.15.4 frame of `caplen` captured octets. Returns what tcpdump counts as the link
/// header (the frame length when it is too short, else 1 or 0).
pub fn ieee802_15_4_print(ctx: &mut Ctx, p: &[u8], caplen: u32) -> PResult<u32> {
    ctx.protocol = "802.15.4";
    let caplen = caplen.min(p.len() as u32);
    if caplen < 2 {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let p = &p[..caplen as usize];
    let fc = p.le_u16(0)?;
    let ftype = fc & 0x7;
    pr!(ctx, "IEEE 802.15.4 {} packet ", FTYPES[ftype as usize]);
    match ftype {
        0..=3 => std_frames(ctx, p, caplen, fc),
        5 => mp_frame(ctx, p, caplen, fc),
        // Fragments need the context of an earlier frame's IE; extended and reserved frame
        // types are not decoded.
        _ => Ok(0),
    }
}

/// LINKTYPE_IEEE802_15_4_WITHFCS and LINKTYPE_IEEE802_15_4_NOFCS (the FCS is detected).
pub fn ieee802_15_4_if_print(ctx: &mut Ctx, p: &[u8], _len: u32) -> PResult<u32> {
    ctx.protocol = "802.15.4";
    ieee802_15_4_print(ctx, p, p.len() as u32)
}

/// LINKTYPE_IEEE802_15_4_TAP: a version octet, a reserved octet, the header length (TLVs
/// follow, not decoded), then the frame.
pub fn ieee802_15_4_tap_if_print(ctx: &mut Ctx, p: &[u8], _len: u32) -> PResult<u32> {
    ctx.protocol = "802.15.4_tap";
    let caplen = p.len() as u32;
    if caplen < 4 {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let version = p.u8_at(0)?;
    let length = p.le_u16(2)? as u32;
    if version != 0 || length < 4 {
        ctx.print_invalid();
        return Ok(0);
    }
    if caplen < length {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let n = ieee802_15_4_print(ctx, &p[length as usize..], caplen - length)?;
    Ok(n + length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    const WITHFCS: u32 = 195;
    const TAP: u32 = 283;

    fn with_fcs16(d: &[u8]) -> Vec<u8> {
        let mut v = d.to_vec();
        v.extend_from_slice(&crc16(d).to_le_bytes());
        v
    }

    #[test]
    fn crcs() {
        // The check values of the reflected CRC-16 (CRC-16/KERMIT) and of the reflected
        // CRC-32 with initial value 0 and no final XOR, over "123456789".
        assert_eq!(crc16(b"123456789"), 0x2189);
        assert_eq!(crc32(b"123456789"), 0x2dfd_2d88);
        // An acknowledgement (02 00 56) carries 0x820b, little-endian.
        assert_eq!(crc16(&[0x02, 0x00, 0x56]), 0x820b);
        assert_eq!(crc16(&[]), 0);
        assert_eq!(crc32(&[]), 0);
        assert_ne!(crc32(&[1, 2, 3]), crc32(&[1, 2, 4]));
    }

    #[test]
    fn data_frame_short_addresses_with_fcs() {
        // Data, PAN ID compression, short addresses, v0, seq 0x56; payload "hi".
        let d = with_fcs16(&[
            0x41, 0x88, 0x56, 0xcd, 0xab, 0x02, 0x00, 0x01, 0x00, b'h', b'i',
        ]);
        assert_eq!(
            print_packet(opts(0, false), WITHFCS, &d),
            "IEEE 802.15.4 Data packet v0 abcd:0002 < -:0001 \
             \n\t0x0000:  6869                                     hi\n"
        );
        let fcs = crc16(&d[..11]);
        assert_eq!(
            print_packet(opts(3, false), WITHFCS, &d),
            format!(
                "IEEE 802.15.4 Data packet v0 PAN ID Compression, seq 56 abcd:0002 < -:0001 \
                 FCS {fcs:x} \n\t0x0000:  6869                                     hi\n"
            )
        );
        // -x starts after the first octet of a decoded frame (tcpdump counts 1 octet of link
        // header then), at the first of one that is not.
        let x = PrintOptions {
            hex: 1,
            ..Default::default()
        };
        assert_eq!(
            print_packet(x.clone(), WITHFCS, &d),
            "IEEE 802.15.4 Data packet v0 abcd:0002 < -:0001 \n\t0x0000:  8856 cdab 0200 0100 6869 ce28\n"
        );
        assert_eq!(
            print_packet(x, WITHFCS, &d[..5]),
            "IEEE 802.15.4 Data packet v0 abcd:[ERROR: Truncated before dst_addr]\n\t0x0000:  4188 56cd ab\n"
        );
    }

    #[test]
    fn acknowledgement_and_truncation() {
        assert_eq!(
            print_packet(opts(1, false), WITHFCS, &[0x02, 0x00, 0x56, 0x0b, 0x82]),
            "IEEE 802.15.4 ACK packet v0 seq 56 -:none < -:none \n"
        );
        assert_eq!(
            print_packet(opts(1, false), WITHFCS, &[0x02, 0x00]),
            "IEEE 802.15.4 ACK packet v0  [|802.15.4]\n"
        );
        assert_eq!(
            print_packet(opts(0, false), WITHFCS, &[0x02]),
            " [|802.15.4]\n"
        );
    }

    #[test]
    fn beacon_v0_superframe_and_command() {
        // Beacon from 0x1234 in PAN 0xabcd: superframe 0xcfff, no GTS, no pending addresses.
        let d = with_fcs16(&[
            0x00, 0x80, 0x01, 0xcd, 0xab, 0x34, 0x12, 0xff, 0xcf, 0x00, 0x00,
        ]);
        assert_eq!(
            print_packet(opts(2, false), WITHFCS, &d),
            "IEEE 802.15.4 Beacon packet v0 seq 01 -:none < abcd:1234 \n\tBeacon order = 15, \
             Superframe order = 15, Final CAP Slot = 15, PAN Coordinator, Association Permit\n\t\
             GTS Descriptor Count = 0, \n\tPending address list, # short addresses = 0, \
             # extended addresses = 0\n"
        );
        // Association request command with capability info.
        let d = with_fcs16(&[
            0x23, 0xc8, 0x07, 0xcd, 0xab, 0x00, 0x00, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 0x01,
            0x8e,
        ]);
        assert_eq!(
            print_packet(opts(0, false), WITHFCS, &d),
            "IEEE 802.15.4 Command packet v0 abcd:0000 < ffff:08:07:06:05:04:03:02:01 \
             Command ID = Association Request command FFD, AC powered, Receiver on when idle, \
             Allocate address, \n"
        );
    }

    // A v2 data frame with security (level 5, key id mode 1), a header IE list ending in
    // Header Termination 1, and payload IEs (MLME with a TSCH synchronization IE).
    fn v2_frame() -> Vec<u8> {
        let mut d = vec![0x49, 0xaa, 0x10, 0xcd, 0xab, 0x02, 0x00, 0x01, 0x00];
        d.extend_from_slice(&[0x0d, 0x01, 0, 0, 0, 0x07]);
        d.extend_from_slice(&[0x00, 0x3f]); // Header Termination 1, length 0
        d.extend_from_slice(&[0x08, 0x88, 0x06, 0x1a, 1, 2, 3, 4, 5, 9]); // MLME, TSCH sync
        d.extend_from_slice(&[0x00, 0xf8]); // payload IE list termination
        d.extend_from_slice(b"xy");
        d.extend_from_slice(&[0xaa, 0xbb, 0xcc, 0xdd]); // MIC
        with_fcs16(&d)
    }

    #[test]
    fn v2_security_and_ies() {
        let d = v2_frame();
        let out = print_packet(opts(4, false), WITHFCS, &d);
        assert!(
            out.starts_with(
                "IEEE 802.15.4 Data packet v2 Security Enabled, PAN ID Compression, IE present, \
                 seq 10 abcd:0002 < -:0001 \n\tSecurity Level 5, Key Id Mode 1, Frame Counter \
                 0x00000001 KeyIndex 0x07, \n\tHeader Termination 1 IE [] Payload IEs present, \
                 but encrypted, cannot print \n\tMIC aabbccdd FCS "
            ),
            "{out}"
        );
        // Level 1 (MIC only): the payload IEs are printed.
        let mut d = v2_frame();
        d[9] = 0x09;
        let n = d.len() - 2;
        let f = crc16(&d[..n]).to_le_bytes();
        d[n..].copy_from_slice(&f);
        let out = print_packet(opts(4, false), WITHFCS, &d);
        assert!(
            out.contains(
                "\n\tMLME IE [ length = 8, \n\t\tTSCH Synchronization IE [ length = 6, ASN = \
                 0504030201, Join Metric = 9 ] ]\n\t"
            ),
            "{out}"
        );
        let out = print_packet(opts(3, false), WITHFCS, &d);
        assert!(
            out.contains(
                "\n\tMLME IE [ length = 8, IE Data = 06 1a 01 02 03 04 05 09 ]\n\t\n\t\
                 List termination []\n\t\n\tMIC aabbccdd FCS "
            ),
            "{out}"
        );
    }

    #[test]
    fn tap_header() {
        let mut d = vec![0, 0, 4, 0];
        d.extend_from_slice(&[0x02, 0x00, 0x56, 0x0b, 0x82]);
        assert_eq!(
            print_packet(opts(1, false), TAP, &d),
            "IEEE 802.15.4 ACK packet v0 seq 56 -:none < -:none \n"
        );
        d[0] = 1;
        assert_eq!(print_packet(opts(1, false), TAP, &d), " (invalid)\n");
        assert_eq!(
            print_packet(opts(1, false), TAP, &[0, 0, 9, 0, 1]),
            " [|802.15.4_tap]\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let v = [
            opts(0, false),
            opts(1, true),
            opts(2, false),
            opts(3, true),
            opts(4, false),
        ];
        let mut frames = vec![v2_frame()];
        let mut mp = vec![0x2d, 0xc9, 0x05, 0xcd, 0xab, 0x02, 0x00, 0x01, 0x00, 0x09];
        mp.extend_from_slice(&[1, 0, 0, 0, 0x7f, 0x00, 0x3f, 0x55, 0x66, 0x77, 0x88]);
        frames.push(mp);
        frames.push(vec![
            0x00, 0x80, 0x01, 0xcd, 0xab, 0x34, 0x12, 0xff, 0xcf, 0x02, 0x03, 0x11, 0x22, 0x33,
            0x44, 0x55, 0x66, 0x21, 0xaa, 0xbb, 1, 2, 3, 4, 5, 6, 7, 8,
        ]);
        for f in &frames {
            assert_every_truncated_packet_is_safe(WITHFCS, f, &v);
            assert_every_truncated_packet_is_safe(WITHFCS, &with_fcs16(f), &v);
        }
    }
}
