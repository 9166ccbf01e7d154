//! IEEE 802.11 wireless LAN frames (IEEE Std 802.11-2020: clause 9 MAC frame formats, 9.4.2
//! elements, 9.2.4.7.3 the mesh control field of 802.11s), and the capture headers in front
//! of them: radiotap (<https://www.radiotap.org>, little-endian fields aligned to their size
//! from the start of the header, presence bitmaps extended by bit 31 and namespaces switched by
//! bits 29/30), the 144-byte Prism monitor header and the AVS (wlancap) header. LINKTYPE 105
//! (IEEE802_11), 127 (IEEE802_11_RADIOTAP), 119 (PRISM_HEADER) and 163 (IEEE802_11_AVS);
//! tcpdump's print-802_11.c.
//!
//! Like tcpdump, management frames print their subtype and a few elements (SSID, rates, DS
//! channel), control frames their addresses when `-e` does not, data frames the LLC payload;
//! `-e` prints the MAC header (with `-v` its flags and duration), `-H` takes an 802.11s mesh
//! control field after QoS data headers.

use super::util_print::push_char;
use super::{Ctx, llc, pr, tok};
use crate::cursor::{Bytes, PResult};

// ---------------------------------------------------------------------------------------------
// The MAC header (9.2.4.1 frame control).

const T_MGMT: u16 = 0;
const T_CTRL: u16 = 1;
const T_DATA: u16 = 2;

fn fc_type(fc: u16) -> u16 {
    (fc >> 2) & 3
}
fn fc_subtype(fc: u16) -> u16 {
    (fc >> 4) & 0xf
}
const FC_TO_DS: u16 = 0x0100;
const FC_FROM_DS: u16 = 0x0200;
const FC_MORE_FLAG: u16 = 0x0400;
const FC_RETRY: u16 = 0x0800;
const FC_POWER_MGMT: u16 = 0x1000;
const FC_MORE_DATA: u16 = 0x2000;
const FC_PROTECTED: u16 = 0x4000;
const FC_ORDER: u16 = 0x8000;

// Data subtypes are four flags.
const DATA_CF_ACK: u16 = 0x1;
const DATA_CF_POLL: u16 = 0x2;
const DATA_NULL: u16 = 0x4;
const DATA_QOS: u16 = 0x8;

// Management subtypes.
const ST_ASSOC_REQUEST: u16 = 0x0;
const ST_ASSOC_RESPONSE: u16 = 0x1;
const ST_REASSOC_REQUEST: u16 = 0x2;
const ST_REASSOC_RESPONSE: u16 = 0x3;
const ST_PROBE_REQUEST: u16 = 0x4;
const ST_PROBE_RESPONSE: u16 = 0x5;
const ST_BEACON: u16 = 0x8;
const ST_ATIM: u16 = 0x9;
const ST_DISASSOC: u16 = 0xa;
const ST_AUTH: u16 = 0xb;
const ST_DEAUTH: u16 = 0xc;
const ST_ACTION: u16 = 0xd;

const MGMT_SUBTYPE_VALUES: &[(u32, &str)] = &[
    (0x0, "Assoc Request"),
    (0x1, "Assoc Response"),
    (0x2, "ReAssoc Request"),
    (0x3, "ReAssoc Response"),
    (0x4, "Probe Request"),
    (0x5, "Probe Response"),
    (0x8, "Beacon"),
    (0x9, "ATIM"),
    (0xa, "Disassociation"),
    (0xb, "Authentication"),
    (0xc, "DeAuthentication"),
    (0xd, "Action"),
];

// Control subtypes.
const CTRL_CONTROL_WRAPPER: u16 = 0x7;
const CTRL_BAR: u16 = 0x8;
const CTRL_BA: u16 = 0x9;
const CTRL_PS_POLL: u16 = 0xa;
const CTRL_RTS: u16 = 0xb;
const CTRL_CTS: u16 = 0xc;
const CTRL_ACK: u16 = 0xd;
const CTRL_CF_END: u16 = 0xe;
const CTRL_END_ACK: u16 = 0xf;

const CTRL_SUBTYPE_VALUES: &[(u32, &str)] = &[
    (0x7, "Control Wrapper"),
    (0x8, "BAR"),
    (0x9, "BA"),
    (0xa, "Power Save-Poll"),
    (0xb, "Request-To-Send"),
    (0xc, "Clear-To-Send"),
    (0xd, "Acknowledgment"),
    (0xe, "CF-End"),
    (0xf, "CF-End+CF-Ack"),
];

/// Frame control, duration, three addresses, sequence control.
const MGMT_HDRLEN: usize = 24;

/// Capability information bits (9.4.1.4).
const CAPABILITY_ESS: u16 = 0x0001;
const CAPABILITY_PRIVACY: u16 = 0x0010;

/// Authentication algorithm numbers (9.4.1.1).
const AUTH_ALG_TEXT: &[&str] = &["Open System", "Shared Key", "EAP"];

/// The MAC header length of a frame, or `None` (after saying so) for a reserved type or an
/// unknown control subtype.
fn header_length(ctx: &mut Ctx, fc: u16) -> Option<usize> {
    match fc_type(fc) {
        T_MGMT => Some(MGMT_HDRLEN),
        T_CTRL => match fc_subtype(fc) {
            // FC, duration, address 1, carried FC, HT control.
            CTRL_CONTROL_WRAPPER => Some(2 + 2 + 6 + 2 + 4),
            CTRL_BAR => Some(2 + 2 + 6 + 6 + 2 + 2),
            CTRL_BA | CTRL_CTS | CTRL_ACK => Some(2 + 2 + 6),
            CTRL_PS_POLL | CTRL_RTS | CTRL_CF_END | CTRL_END_ACK => Some(2 + 2 + 6 + 6),
            st => {
                pr!(ctx, "unknown 802.11 ctrl frame subtype ({})", st);
                None
            }
        },
        T_DATA => {
            let mut len = if fc & FC_TO_DS != 0 && fc & FC_FROM_DS != 0 {
                30
            } else {
                24
            };
            if fc_subtype(fc) & DATA_QOS != 0 {
                len += 2;
            }
            Some(len)
        }
        t => {
            pr!(ctx, "unknown 802.11 frame type ({})", t);
            None
        }
    }
}

/// The length of an 802.11s mesh control field whose flags byte is `flags`: 6 bytes, plus 6 per
/// extra address; 0 when reserved flag bits are set (then it is taken for no mesh field).
fn mesh_header_length(flags: u8) -> usize {
    if flags & !3 != 0 {
        0
    } else {
        6 * (1 + (flags & 3) as usize)
    }
}

fn mac_at(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult {
    let a = p.sub(off, 6)?;
    ctx.mac(a);
    Ok(())
}

/// `label:MAC ` for each address, at these offsets of the header.
fn addrs(ctx: &mut Ctx, p: &[u8], list: &[(&str, usize)]) -> PResult {
    for (label, off) in list {
        ctx.push(label);
        ctx.push(":");
        mac_at(ctx, p, *off)?;
        ctx.push(" ");
    }
    Ok(())
}

/// `-e`: the MAC header (with `-v`, its flags and duration first).
fn header_print(ctx: &mut Ctx, fc: u16, p: &[u8], hdrlen: usize, meshdrlen: usize) -> PResult {
    if ctx.vflag() > 0 {
        for (bit, name) in [
            (FC_MORE_DATA, "More Data "),
            (FC_MORE_FLAG, "More Fragments "),
            (FC_POWER_MGMT, "Pwr Mgmt "),
            (FC_RETRY, "Retry "),
            (FC_ORDER, "Strictly Ordered "),
            (FC_PROTECTED, "Protected "),
        ] {
            if fc & bit != 0 {
                ctx.push(name);
            }
        }
        // A PS-Poll carries the AID where the others have the duration.
        if fc_type(fc) != T_CTRL || fc_subtype(fc) != CTRL_PS_POLL {
            pr!(ctx, "{}us ", p.le_u16(2)?);
        }
    }
    if meshdrlen != 0 {
        let m = p.from(hdrlen - meshdrlen)?;
        let ae = m.u8_at(0)? & 3;
        pr!(
            ctx,
            "MeshData (AE {} TTL {} seq {}",
            ae,
            m.u8_at(1)?,
            m.le_u32(2)?
        );
        for (n, label) in [(1, " A4:"), (2, " A5:"), (3, " A6:")] {
            if ae >= n {
                ctx.push(label);
                mac_at(ctx, m, 6 * n as usize)?;
            }
        }
        ctx.push(") ");
    }
    match fc_type(fc) {
        T_MGMT => addrs(ctx, p, &[("BSSID", 16), ("DA", 4), ("SA", 10)])?,
        T_CTRL => match fc_subtype(fc) {
            CTRL_BAR => bar_print(ctx, p)?,
            CTRL_BA | CTRL_CTS | CTRL_ACK => addrs(ctx, p, &[("RA", 4)])?,
            CTRL_PS_POLL => addrs(ctx, p, &[("BSSID", 4), ("TA", 10)])?,
            CTRL_RTS => addrs(ctx, p, &[("RA", 4), ("TA", 10)])?,
            CTRL_CF_END | CTRL_END_ACK => addrs(ctx, p, &[("RA", 4), ("BSSID", 10)])?,
            _ => {}
        },
        T_DATA => {
            let st = fc_subtype(fc);
            if st & (DATA_CF_ACK | DATA_CF_POLL | DATA_QOS) != 0 {
                ctx.push("CF ");
                match (st & DATA_CF_ACK != 0, st & DATA_CF_POLL != 0) {
                    (true, true) => ctx.push("Ack/Poll"),
                    (true, false) => ctx.push("Ack"),
                    (false, true) => ctx.push("Poll"),
                    (false, false) => {}
                }
                if st & DATA_QOS != 0 {
                    ctx.push("+QoS");
                }
                ctx.push(" ");
            }
            let list: &[(&str, usize)] = match (fc & FC_TO_DS != 0, fc & FC_FROM_DS != 0) {
                (false, false) => &[("DA", 4), ("SA", 10), ("BSSID", 16)],
                (false, true) => &[("DA", 4), ("BSSID", 10), ("SA", 16)],
                (true, false) => &[("BSSID", 4), ("SA", 10), ("DA", 16)],
                (true, true) => &[("RA", 4), ("TA", 10), ("DA", 16), ("SA", 24)],
            };
            addrs(ctx, p, list)?;
        }
        _ => {}
    }
    Ok(())
}

/// A Block Ack Request's addresses, control and starting sequence.
fn bar_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.push(" ");
    addrs(ctx, p, &[("RA", 4), ("TA", 10)])?;
    pr!(ctx, "CTL({:x}) SEQ({}) ", p.le_u16(16)?, p.le_u16(18)?);
    Ok(())
}

/// The source and destination MAC of a data frame, after the DS bits (9.3.2.1 table 9-30).
fn data_src_dst(fc: u16) -> (usize, usize) {
    match (fc & FC_TO_DS != 0, fc & FC_FROM_DS != 0) {
        (false, false) => (10, 4),
        (false, true) => (16, 4),
        (true, false) => (10, 16),
        (true, true) => (24, 16),
    }
}

// ---------------------------------------------------------------------------------------------
// Management frame bodies (9.3.3).

/// The elements tcpdump reports: the first of each (a zero-length rates element does not
/// count, some devices send one before the real one).
#[derive(Default)]
struct Elements<'a> {
    ssid: Option<&'a [u8]>,
    rates: Option<&'a [u8]>,
    ds_channel: Option<u8>,
}

const E_SSID: u8 = 0;
const E_RATES: u8 = 1;
const E_DS: u8 = 3;
const E_TIM: u8 = 5;
const E_CHALLENGE: u8 = 16;

/// Walks the elements of `p` (`length` bytes of them on the wire). The flag is false when the
/// walk stopped at a truncated element or at one longer than its kind allows (SSID over 32
/// bytes, rates over 16, challenge text over 253, TIM bitmap over 251): the frame is then
/// printed with what was found and marked truncated.
fn parse_elements(p: &[u8], mut length: u32) -> (Elements<'_>, bool) {
    let mut e = Elements::default();
    let mut off = 0usize;
    while length != 0 {
        let (Ok(id), Ok(elen)) = (p.u8_at(off), p.u8_at(off + 1)) else {
            return (e, false);
        };
        if length < 2 {
            return (e, false);
        }
        let Ok(body) = p.sub(off + 2, elen as usize) else {
            return (e, false);
        };
        if length < elen as u32 + 2 {
            return (e, false);
        }
        let n = elen as usize;
        match id {
            E_SSID if n > 32 => return (e, false),
            E_SSID => {
                e.ssid.get_or_insert(body);
            }
            E_CHALLENGE if n > 253 => return (e, false),
            E_RATES if n > 16 => return (e, false),
            E_RATES if n != 0 => {
                e.rates.get_or_insert(body);
            }
            E_DS if n == 1 => {
                e.ds_channel.get_or_insert(body[0]);
            }
            E_TIM if n > 3 && n - 3 > 251 => return (e, false),
            _ => {}
        }
        off += 2 + n;
        length -= 2 + elen as u32;
    }
    (e, true)
}

fn ssid_print(ctx: &mut Ctx, e: &Elements) {
    if let Some(ssid) = e.ssid {
        ctx.push(" (");
        // Printed as a C string: up to a NUL.
        for &c in ssid.iter().take_while(|&&c| c != 0) {
            push_char(ctx.out, c);
        }
        ctx.push(")");
    }
}

fn rates_print(ctx: &mut Ctx, e: &Elements) {
    if let Some(rates) = e.rates {
        let mut sep = " [";
        for &r in rates {
            pr!(
                ctx,
                "{}{:.1}{}",
                sep,
                0.5 * f64::from(r & 0x7f),
                if r & 0x80 != 0 { "*" } else { "" }
            );
            sep = " ";
        }
        ctx.push(" Mbit]");
    }
}

fn ds_channel_print(ctx: &mut Ctx, e: &Elements, capability: u16) {
    if let Some(ch) = e.ds_channel {
        pr!(ctx, " CH: {}", ch);
    }
    if capability & CAPABILITY_PRIVACY != 0 {
        ctx.push(", PRIVACY");
    }
}

fn status_text(code: u16) -> &'static str {
    STATUS_TEXT.get(code as usize).copied().unwrap_or("n/a")
}

fn reason_text(code: u16) -> &'static str {
    REASON_TEXT
        .get(code as usize)
        .copied()
        .unwrap_or("Reserved")
}

/// Fixed fields of `n` bytes that must be both captured and inside the frame.
fn fixed(p: &[u8], length: u32, n: usize) -> Option<&[u8]> {
    if (length as usize) < n {
        return None;
    }
    p.sub(0, n).ok()
}

/// A management frame body after its subtype name; false when it is truncated.
fn mgmt_body_print(ctx: &mut Ctx, fc: u16, src: &[u8], p: &[u8], length: u32) -> bool {
    tok2str_default(
        ctx,
        MGMT_SUBTYPE_VALUES,
        fc_subtype(fc),
        "Unhandled Management subtype",
    );
    if fc & FC_PROTECTED != 0 {
        return wep_print(ctx, p);
    }
    match fc_subtype(fc) {
        ST_ASSOC_REQUEST => {
            // Capability, listen interval.
            if fixed(p, length, 4).is_none() {
                return false;
            }
            let (e, ok) = parse_elements(&p[4..], length - 4);
            ssid_print(ctx, &e);
            rates_print(ctx, &e);
            ok
        }
        ST_ASSOC_RESPONSE | ST_REASSOC_RESPONSE => {
            let Some(f) = fixed(p, length, 6) else {
                return false;
            };
            let (cap, status, aid) = (le16(f, 0), le16(f, 2), le16(f, 4));
            let (_, ok) = parse_elements(&p[6..], length - 6);
            pr!(
                ctx,
                " AID({:x}) :{}: {}",
                aid & 0x3fff,
                if cap & CAPABILITY_PRIVACY != 0 {
                    " PRIVACY "
                } else {
                    ""
                },
                status_text(status)
            );
            ok
        }
        ST_REASSOC_REQUEST => {
            let Some(f) = fixed(p, length, 10) else {
                return false;
            };
            let (e, ok) = parse_elements(&p[10..], length - 10);
            ssid_print(ctx, &e);
            ctx.push(" AP : ");
            ctx.mac(&f[4..10]);
            ok
        }
        ST_PROBE_REQUEST => {
            let (e, ok) = parse_elements(p, length);
            ssid_print(ctx, &e);
            rates_print(ctx, &e);
            ok
        }
        ST_PROBE_RESPONSE | ST_BEACON => {
            // Timestamp, beacon interval, capability.
            let Some(f) = fixed(p, length, 12) else {
                return false;
            };
            let cap = le16(f, 10);
            let (e, ok) = parse_elements(&p[12..], length - 12);
            ssid_print(ctx, &e);
            rates_print(ctx, &e);
            if fc_subtype(fc) == ST_BEACON {
                ctx.push(if cap & CAPABILITY_ESS != 0 {
                    " ESS"
                } else {
                    " IBSS"
                });
            }
            ds_channel_print(ctx, &e, cap);
            ok
        }
        ST_ATIM => true,
        ST_DISASSOC => {
            let Some(f) = fixed(p, length, 2) else {
                return false;
            };
            pr!(ctx, ": {}", reason_text(le16(f, 0)));
            true
        }
        ST_AUTH => {
            let Some(f) = fixed(p, length, 6) else {
                return false;
            };
            let (alg, seq, status) = (le16(f, 0), le16(f, 2), le16(f, 4));
            let (_, ok) = parse_elements(&p[6..], length - 6);
            let alg_name = AUTH_ALG_TEXT
                .get(alg as usize)
                .copied()
                .unwrap_or("Reserved");
            // Odd transaction numbers are the responses, with a status.
            let status = if seq % 2 == 1 {
                status_text(status)
            } else {
                ""
            };
            if alg == 1 && (seq == 2 || seq == 3) {
                pr!(ctx, " ({})-{:x} [Challenge Text] {}", alg_name, seq, status);
            } else {
                pr!(ctx, " ({})-{:x}: {}", alg_name, seq, status);
            }
            ok
        }
        ST_DEAUTH => {
            let Some(f) = fixed(p, length, 2) else {
                return false;
            };
            let reason = reason_text(le16(f, 0));
            if ctx.eflag() {
                pr!(ctx, ": {}", reason);
            } else {
                ctx.push(" (");
                ctx.mac(src);
                pr!(ctx, "): {}", reason);
            }
            true
        }
        ST_ACTION => {
            let Some(f) = fixed(p, length, 2) else {
                return false;
            };
            if ctx.eflag() {
                ctx.push(": ");
            } else {
                ctx.push(" (");
                ctx.mac(src);
                ctx.push("): ");
            }
            action_print(ctx, f[0], f[1]);
            true
        }
        _ => true,
    }
}

fn le16(p: &[u8], off: usize) -> u16 {
    u16::from_le_bytes([p[off], p[off + 1]])
}

/// `tok2str` with tcpdump's `"... (%x)"` default.
fn tok2str_default(ctx: &mut Ctx, table: &[(u32, &'static str)], v: u16, default: &str) {
    match tok(table, v as u32) {
        Some(name) => ctx.push(name),
        None => pr!(ctx, "{}({:x})", default, v),
    }
}

/// An action frame's category and action (9.4.1.11, 9.6).
fn action_print(ctx: &mut Ctx, category: u8, action: u8) {
    let names: &[&str] = match category {
        0 => return pr!(ctx, "Spectrum Management Act#{}", action),
        1 => return pr!(ctx, "QoS Act#{}", action),
        2 => return pr!(ctx, "DLS Act#{}", action),
        3 => {
            ctx.push("BA ");
            &["ADDBA Request", "ADDBA Response", "DELBA"]
        }
        7 => {
            ctx.push("HT ");
            &["TxChWidth", "MIMOPwrSave"]
        }
        13 => {
            ctx.push("MeshAction ");
            &[
                "MeshLink",
                "HWMP",
                "Gate Announcement",
                "Congestion Control",
                "MCCA Setup Request",
                "MCCA Setup Reply",
                "MCCA Advertisement Request",
                "MCCA Advertisement",
                "MCCA Teardown",
                "TBTT Adjustment Request",
                "TBTT Adjustment Response",
            ]
        }
        14 => {
            ctx.push("MultiohopAction ");
            &["Proxy Update", "Proxy Update Confirmation"]
        }
        15 => {
            ctx.push("SelfprotectAction ");
            // Self-protected actions are numbered from 1.
            match action {
                1..=5 => {
                    let n = [
                        "Peering Open",
                        "Peering Confirm",
                        "Peering Close",
                        "Group Key Inform",
                        "Group Key Acknowledge",
                    ];
                    ctx.push(n[action as usize - 1]);
                }
                _ => pr!(ctx, "Act#{}", action),
            }
            return;
        }
        127 => return pr!(ctx, "Vendor Act#{}", action),
        _ => return pr!(ctx, "Reserved({}) Act#{}", category, action),
    };
    match names.get(action as usize) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "Act#{}", action),
    }
}

/// The WEP/TKIP/CCMP IV and key ID of a protected frame (9.3.2.1, 12.3.2.2); false when they
/// are not captured.
fn wep_print(ctx: &mut Ctx, p: &[u8]) -> bool {
    let Ok(iv) = p.le_u32(0) else { return false };
    pr!(
        ctx,
        " IV:{:3x} Pad {:x} KeyID {:x}",
        iv & 0xff_ffff,
        (iv >> 24) & 0x3f,
        (iv >> 30) & 3
    );
    true
}

// ---------------------------------------------------------------------------------------------
// Control frame bodies (9.3.1).

/// A control frame: its name, and its addresses when `-e` did not print them.
fn ctrl_body_print(ctx: &mut Ctx, fc: u16, p: &[u8]) -> PResult {
    let st = fc_subtype(fc);
    match tok(CTRL_SUBTYPE_VALUES, st as u32) {
        Some(name) => ctx.push(name),
        None => ctx.push("Unknown Ctrl Subtype"),
    }
    if st == CTRL_PS_POLL {
        pr!(ctx, " AID({:x})", p.le_u16(2)?);
        return Ok(());
    }
    if ctx.eflag() {
        return Ok(());
    }
    match st {
        CTRL_BAR => bar_print(ctx, p)?,
        CTRL_BA | CTRL_CTS | CTRL_ACK | CTRL_CF_END | CTRL_END_ACK => {
            ctx.push(" ");
            addrs(ctx, p, &[("RA", 4)])?;
        }
        CTRL_RTS => {
            ctx.push(" ");
            addrs(ctx, p, &[("TA", 10)])?;
        }
        _ => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The frame.

/// An 802.11 frame of `length` bytes on the wire (`p` is what was captured), of which the last
/// `fcslen` are the FCS; `pad`: the header is padded to a multiple of 4 (Atheros). Returns the
/// header length (for `-x`).
fn ieee802_11_print(ctx: &mut Ctx, p: &[u8], length: u32, pad: bool, fcslen: u32) -> PResult<u32> {
    ctx.protocol = "802.11";
    let orig_caplen = p.len() as u32;
    if length < fcslen {
        ctx.print_trunc();
        return Ok(orig_caplen);
    }
    let mut length = length - fcslen;
    // The FCS is not printed as frame bytes.
    let p = &p[..p.len().min(length as usize)];
    let mut caplen = p.len() as u32;
    if caplen < 2 {
        ctx.print_trunc();
        return Ok(orig_caplen);
    }
    let fc = p.le_u16(0)?;
    let Some(mut hdrlen) = header_length(ctx, fc) else {
        return Ok(0);
    };
    if pad {
        hdrlen = hdrlen.next_multiple_of(4);
    }
    let mut meshdrlen = 0;
    if ctx.opts.mesh_headers && fc_type(fc) == T_DATA && fc_subtype(fc) & DATA_QOS != 0 {
        let Ok(flags) = p.u8_at(hdrlen) else {
            ctx.print_trunc();
            return Ok(hdrlen as u32);
        };
        meshdrlen = mesh_header_length(flags);
        hdrlen += meshdrlen;
    }
    if (caplen as usize) < hdrlen {
        ctx.print_trunc();
        return Ok(hdrlen as u32);
    }
    if ctx.eflag() {
        header_print(ctx, fc, p, hdrlen, meshdrlen)?;
    }
    let hdr = p;
    let body = &p[hdrlen..];
    length = length.wrapping_sub(hdrlen as u32);
    caplen -= hdrlen as u32;
    let mut hdrlen = hdrlen as u32;
    // false: the body printer stopped at a truncation of its own (the header length stands).
    let complete = match fc_type(fc) {
        T_MGMT => mgmt_body_print(ctx, fc, &hdr[10..16], body, length),
        T_CTRL => ctrl_body_print(ctx, fc, hdr).is_ok(),
        // A null (no data) frame has no body.
        T_DATA if fc_subtype(fc) & DATA_NULL != 0 => true,
        T_DATA if fc & FC_PROTECTED != 0 => {
            ctx.push("Data");
            wep_print(ctx, body)
        }
        T_DATA => {
            let (src, dst) = data_src_dst(fc);
            let src = hdr.sub(src, 6)?;
            let dst = hdr.sub(dst, 6)?;
            let n = llc::llc_or_default_print(ctx, body, length, caplen, Some((src, dst)))?;
            hdrlen += n.unsigned_abs();
            true
        }
        _ => true,
    };
    if !complete {
        ctx.print_trunc();
    }
    Ok(hdrlen)
}

/// LINKTYPE_IEEE802_11: a bare 802.11 frame, without FCS.
pub fn ieee802_11_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ieee802_11_print(ctx, p, len, false, 0)
}

/// IEEE 802.11 status codes as tcpdump prints them (index = code).
const STATUS_TEXT: &[&str] = &[
    "Successful",                                                                    // 0
    "Unspecified failure",                                                           // 1
    "TDLS wakeup schedule rejected but alternative schedule provided",               // 2
    "TDLS wakeup schedule rejected",                                                 // 3
    "Reserved",                                                                      // 4
    "Security disabled",                                                             // 5
    "Unacceptable lifetime",                                                         // 6
    "Not in same BSS",                                                               // 7
    "Reserved",                                                                      // 8
    "Reserved",                                                                      // 9
    "Cannot Support all requested capabilities in the Capability Information field", // 10
    "Reassociation denied due to inability to confirm that association exists",      // 11
    "Association denied due to reason outside the scope of this standard",           // 12
    "Responding STA does not support the specified authentication algorithm",        // 13
    "Received an Authentication frame with authentication transaction sequence number out of expected sequence", // 14
    "Authentication rejected because of challenge failure", // 15
    "Authentication rejected due to timeout waiting for next frame in sequence", // 16
    "Association denied because AP is unable to handle additional associated STAs", // 17
    "Association denied due to requesting STA not supporting all of the data rates in the BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or the Basic VHT-MCS and NSS Set field in the VHT Operation parameter", // 18
    "Association denied due to requesting STA not supporting the short preamble option", // 19
    "Reserved",                                                                          // 20
    "Reserved",                                                                          // 21
    "Association request rejected because Spectrum Management capability is required",   // 22
    "Association request rejected because the information in the Power Capability element is unacceptable", // 23
    "Association request rejected because the information in the Supported Channels element is unacceptable", // 24
    "Association denied due to requesting STA not supporting the Short Slot Time option", // 25
    "Reserved",                                                                           // 26
    "Association denied because the requested STA does not support HT features",          // 27
    "R0KH unreachable",                                                                   // 28
    "Association denied because the requesting STA does not support the phased coexistence operation (PCO) transition time required by the AP", // 29
    "Association request rejected temporarily; try again later", // 30
    "Robust management frame policy violation",                  // 31
    "Unspecified, QoS-related failure",                          // 32
    "Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA", // 33
    "Association denied due to excessive frame loss rates and/or poor conditions on current operating channel", // 34
    "Association (with QoS BSS) denied because the requesting STA does not support the QoS facility", // 35
    "Reserved",                      // 36
    "The request has been declined", // 37
    "The request has not been successful as one or more parameters have invalid values", // 38
    "The allocation or TS has not been created because the request cannot be honored; however, a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC", // 39
    "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9", // 40
    "Invalid group cipher",                             // 41
    "Invalid pairwise cipher",                          // 42
    "Invalid AKMP",                                     // 43
    "Unsupported RSNE version",                         // 44
    "Invalid RSNE capabilities",                        // 45
    "Cipher suite rejected because of security policy", // 46
    "The TS or allocation has not been created; however, the HC or PCP might be capable of creating a TS or allocation, in response to a request, after the time indicated in the TS Delay element", // 47
    "Direct Link is not allowed in the BSS by policy", // 48
    "The Destination STA is not present within this BSS", // 49
    "The Destination STA is not a QoS STA",            // 50
    "Association denied because the listen interval is too large", // 51
    "Invalid FT Action frame count",                   // 52
    "Invalid pairwise master key identifier (PMKID)",  // 53
    "Invalid MDE",                                     // 54
    "Invalid FTE",                                     // 55
    "Requested TCLAS processing is not supported by the AP or PCP", // 56
    "The AP or PCP has insufficient TCLAS processing resources to satisfy the request", // 57
    "The TS has not been created because the request cannot be honored; however, the HC or PCP suggests that the STA transition to a different BSS to set up the TS", // 58
    "GAS Advertisement Protocol not supported", // 59
    "No outstanding GAS request",               // 60
    "GAS Response not received from the Advertisement Server", // 61
    "STA timed out waiting for GAS Query Response", // 62
    "LARGE GAS Response is larger than query response length limit", // 63
    "Request refused because home network does not support request", // 64
    "Advertisement Server in the network is not currently reachable", // 65
    "Reserved",                                 // 66
    "Request refused due to permissions received via SSPN interface", // 67
    "Request refused because the AP or PCP does not support unauthenticated access", // 68
    "Reserved",                                 // 69
    "Reserved",                                 // 70
    "Reserved",                                 // 71
    "Invalid contents of RSNE",                 // 72
    "U-APSD coexistence is not supported",      // 73
    "Requested U-APSD coexistence mode is not supported", // 74
    "Requested Interval/Duration value cannot be supported with U-APSD coexistence", // 75
    "Authentication is rejected because an Anti-Clogging Token is required", // 76
    "Authentication is rejected because the offered finite cyclic group is not supported", // 77
    "The TBTT adjustment request has not been successful because the STA could not find an alternative TBTT", // 78
    "Transmission failure",                                       // 79
    "Requested TCLAS Not Supported",                              // 80
    "TCLAS Resources Exhausted",                                  // 81
    "Rejected with Suggested BSS transition",                     // 82
    "Reject with recommended schedule",                           // 83
    "Reject because no wakeup schedule specified",                // 84
    "Success, the destination STA is in power save mode",         // 85
    "FST pending, in process of admitting FST session",           // 86
    "Performing FST now",                                         // 87
    "FST pending, gap(s) in block ack window",                    // 88
    "Reject because of U-PID setting",                            // 89
    "Reserved",                                                   // 90
    "Reserved",                                                   // 91
    "(Re)Association refused for some external reason",           // 92
    "(Re)Association refused because of memory limits at the AP", // 93
    "(Re)Association refused because emergency services are not supported at the AP", // 94
    "GAS query response not yet received",                        // 95
    "Reject since the request is for transition to a frequency band subject to DSE procedures and FST Initiator is a dependent STA", // 96
    "Requested TCLAS processing has been terminated by the AP", // 97
    "The TS schedule conflicts with an existing schedule; an alternative schedule is provided", // 98
    "The association has been denied; however, one or more Multi-band elements are included that can be used by the receiving STA to join the BSS", // 99
    "The request failed due to a reservation conflict", // 100
    "The request failed due to exceeded MAF limit",     // 101
    "The request failed due to exceeded MCCA track limit", // 102
    "Association denied because the information in theSpectrum Management field is unacceptable", // 103
    "Association denied because the requesting STA does not support VHT features", // 104
    "Enablement denied",                                                           // 105
    "Enablement denied due to restriction from an authorized GDB",                 // 106
    "Authorization deenabled",                                                     // 107
];
/// IEEE 802.11 reason codes as tcpdump prints them (index = code).
const REASON_TEXT: &[&str] = &[
    "Reserved",                                                                    // 0
    "Unspecified reason",                                                          // 1
    "Previous authentication no longer valid",                                     // 2
    "Deauthenticated because sending STA is leaving (or has left) IBSS or ESS",    // 3
    "Disassociated due to inactivity",                                             // 4
    "Disassociated because AP is unable to handle all currently  associated STAs", // 5
    "Class 2 frame received from nonauthenticated STA",                            // 6
    "Class 3 frame received from nonassociated STA",                               // 7
    "Disassociated because sending STA is leaving (or has left) BSS",              // 8
    "STA requesting (re)association is not authenticated with responding STA",     // 9
    "Disassociated because the information in the Power Capability element is unacceptable", // 10
    "Disassociated because the information in the Supported Channels element is unacceptable", // 11
    "Disassociated due to BSS transition management",                              // 12
    "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9", // 13
    "Message integrity code (MIC) failure", // 14
    "4-Way Handshake timeout",              // 15
    "Group key handshake timeout",          // 16
    "Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe Response/Beacon frame", // 17
    "Invalid group cipher",                                 // 18
    "Invalid pairwise cipher",                              // 19
    "Invalid AKMP",                                         // 20
    "Unsupported RSNE version",                             // 21
    "Invalid RSNE capabilities",                            // 22
    "IEEE 802.1X authentication failed",                    // 23
    "Cipher suite rejected because of the security policy", // 24
    "TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link", // 25
    "TDLS direct-link teardown for unspecified reason",     // 26
    "Disassociated because session terminated by SSP request", // 27
    "Disassociated because of lack of SSP roaming agreement", // 28
    "Requested service rejected because of SSP cipher suite or AKM requirement", // 29
    "Requested service not authorized in this location",    // 30
    "TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel to 20 MHz channel)", // 31
    "Disassociated for unspecified, QoS-related reason", // 32
    "Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA", // 33
    "Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions", // 34
    "Disassociated because STA is transmitting outside the limits of its TXOPs", // 35
    "Requested from peer STA as the STA is leaving the BSS (or resetting)",      // 36
    "Requested from peer STA as it does not want to use the mechanism",          // 37
    "Requested from peer STA as the STA received frames using the mechanism for which a set up is required", // 38
    "Requested from peer STA due to time out", // 39
    "Reserved",                                // 40
    "Reserved",                                // 41
    "Reserved",                                // 42
    "Reserved",                                // 43
    "Reserved",                                // 44
    "Peer STA does not support the requested cipher suite", // 45
    "In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation frame: Disassociated because authorized access limit reached", // 46
    "In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: Disassociated due to external service requirements", // 47
    "Invalid FT Action frame count",                  // 48
    "Invalid pairwise master key identifier (PMKID)", // 49
    "Invalid MDE",                                    // 50
    "Invalid FTE",                                    // 51
    "Mesh peering canceled for unknown reasons",      // 52
    "The mesh STA has reached the supported maximum number of peer mesh STAs", // 53
    "The received information violates the Mesh Configuration policy configured in the mesh STA profile", // 54
    "The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering", // 55
    "The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a Mesh Peering Confirm frame", // 56
    "The confirmTimer for the mesh peering instance times out", // 57
    "The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match", // 58
    "The mesh STA receives inconsistent information about the mesh parameters between mesh peering Management frames", // 59
    "The mesh STA fails the authenticated mesh peering exchange because due to failure in selecting either the pairwise ciphersuite or group ciphersuite", // 60
    "The mesh STA does not have proxy information for this external destination", // 61
    "The mesh STA does not have forwarding information for this destination",     // 62
    "The mesh STA determines that the link to the next hop of an active path in its forwarding information is no longer usable", // 63
    "The Deauthentication frame was sent because the MAC address of the STA already exists in the mesh BSS", // 64
    "The mesh STA performs channel switch to meet regulatory requirements", // 65
    "The mesh STA performs channel switching with unspecified reason",      // 66
];
// ---------------------------------------------------------------------------------------------
// Radiotap.

/// Reads radiotap fields: each aligned to its own size, counted from the start of the header,
/// and all inside the header's `it_len` bytes.
struct Fields<'a> {
    buf: &'a [u8],
    next: usize,
}

impl Fields<'_> {
    /// Where a field of `size` bytes starts, if it fits.
    fn reserve(&self, size: usize) -> Option<usize> {
        let at = self.next.next_multiple_of(size);
        (at + size <= self.buf.len()).then_some(at)
    }
    fn advance(&mut self, n: usize) -> bool {
        if self.next + n > self.buf.len() {
            return false;
        }
        self.next += n;
        true
    }
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let at = if N == 1 {
            (self.next < self.buf.len()).then_some(self.next)?
        } else {
            self.reserve(N)?
        };
        self.next = at + N;
        self.buf[at..at + N].try_into().ok()
    }
    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|b| b[0])
    }
    fn i8(&mut self) -> Option<i8> {
        self.u8().map(|v| v as i8)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take().map(u16::from_le_bytes)
    }
    fn i16(&mut self) -> Option<i16> {
        self.take().map(i16::from_le_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
}

const RT_TSFT: u32 = 0;
const RT_FLAGS: u32 = 1;
const RT_RATE: u32 = 2;
const RT_CHANNEL: u32 = 3;
const RT_FHSS: u32 = 4;
const RT_DBM_ANTSIGNAL: u32 = 5;
const RT_DBM_ANTNOISE: u32 = 6;
const RT_LOCK_QUALITY: u32 = 7;
const RT_TX_ATTENUATION: u32 = 8;
const RT_DB_TX_ATTENUATION: u32 = 9;
const RT_DBM_TX_POWER: u32 = 10;
const RT_ANTENNA: u32 = 11;
const RT_DB_ANTSIGNAL: u32 = 12;
const RT_DB_ANTNOISE: u32 = 13;
const RT_RX_FLAGS: u32 = 14;
const RT_XCHANNEL: u32 = 18;
const RT_MCS: u32 = 19;
const RT_AMPDU_STATUS: u32 = 20;
const RT_VHT: u32 = 21;
const RT_NAMESPACE: u32 = 29;
const RT_VENDOR_NAMESPACE: u32 = 30;
const RT_EXT: u32 = 31;

// Flags field bits.
const RT_F_CFP: u8 = 0x01;
const RT_F_SHORTPRE: u8 = 0x02;
const RT_F_WEP: u8 = 0x04;
const RT_F_FRAG: u8 = 0x08;
const RT_F_FCS: u8 = 0x10;
const RT_F_DATAPAD: u8 = 0x20;
const RT_F_BADFCS: u8 = 0x40;

// Channel flags.
const CHAN_TURBO: u32 = 0x00010;
const CHAN_CCK: u32 = 0x00020;
const CHAN_OFDM: u32 = 0x00040;
const CHAN_2GHZ: u32 = 0x00080;
const CHAN_5GHZ: u32 = 0x00100;
const CHAN_DYN: u32 = 0x00400;
const CHAN_GFSK: u32 = 0x00800;
const CHAN_HALF: u32 = 0x04000;
const CHAN_QUARTER: u32 = 0x08000;
const CHAN_HT20: u32 = 0x10000;
const CHAN_HT40U: u32 = 0x20000;
const CHAN_HT40D: u32 = 0x40000;

// MCS field: "known" bits, then flag bits.
const MCS_BANDWIDTH_KNOWN: u8 = 0x01;
const MCS_INDEX_KNOWN: u8 = 0x02;
const MCS_GI_KNOWN: u8 = 0x04;
const MCS_FORMAT_KNOWN: u8 = 0x08;
const MCS_FEC_KNOWN: u8 = 0x10;
const MCS_STBC_KNOWN: u8 = 0x20;
const MCS_BANDWIDTH_MASK: u8 = 0x03;
const MCS_BANDWIDTH_40: u8 = 1;
const MCS_SHORT_GI: u8 = 0x04;
const MCS_GREENFIELD: u8 = 0x08;
const MCS_FEC_LDPC: u8 = 0x10;
const MCS_STBC_MASK: u8 = 0x60;

const HT_BANDWIDTH: [&str; 4] = ["20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)"];

const VHT_BANDWIDTH_KNOWN: u16 = 0x0040;
const VHT_GI_KNOWN: u16 = 0x0004;
const VHT_SHORT_GI: u8 = 0x04;

/// The VHT bandwidth field's values (radiotap VHT field). tcpdump names 21 "(UUU)" like 25.
const VHT_BANDWIDTH: [&str; 32] = [
    "20 MHz",
    "40 MHz",
    "20 MHz (L)",
    "20 MHz (U)",
    "80 MHz",
    "80 MHz (L)",
    "80 MHz (U)",
    "80 MHz (LL)",
    "80 MHz (LU)",
    "80 MHz (UL)",
    "80 MHz (UU)",
    "160 MHz",
    "160 MHz (L)",
    "160 MHz (U)",
    "160 MHz (LL)",
    "160 MHz (LU)",
    "160 MHz (UL)",
    "160 MHz (UU)",
    "160 MHz (LLL)",
    "160 MHz (LLU)",
    "160 MHz (LUL)",
    "160 MHz (UUU)",
    "160 MHz (ULL)",
    "160 MHz (ULU)",
    "160 MHz (UUL)",
    "160 MHz (UUU)",
    "unknown (26)",
    "unknown (27)",
    "unknown (28)",
    "unknown (29)",
    "unknown (30)",
    "unknown (31)",
];

/// The highest 802.11n MCS index (IEEE Std 802.11-2020 19.5).
const MAX_MCS_INDEX: u8 = 76;

/// The data rate in Mb/s of an HT MCS (19.5 tables 19-27 to 19-38), from the modulation and
/// coding of each spatial stream: 52 data subcarriers at 20 MHz, 108 at 40 MHz, a 4 us symbol
/// (3.6 us with the short guard interval). MCS 32 is the 40 MHz duplicate BPSK 1/2 mode (48
/// subcarriers, no 20 MHz rate: 0). `None` past MCS 76.
fn ht_rate(mcs: u8, wide: bool, short_gi: bool) -> Option<f64> {
    // Coded bits per subcarrier per symbol of one stream, MCS 0-7 (BPSK 1/2 ... 64-QAM 5/6).
    const EQUAL: [f64; 8] = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 4.5, 5.0];
    // MCS 33-76, unequal modulation: the same per-symbol sums over all streams, in order.
    const UNEQUAL: [f64; 44] = [
        3.0, 4.0, 5.0, 4.5, 6.0, 7.5, // 2 streams
        4.0, 5.0, 5.0, 6.0, 7.0, 7.0, 8.0, 6.0, 7.5, 7.5, 9.0, 10.5, 10.5, 12.0, // 3 streams
        5.0, 6.0, 7.0, 6.0, 7.0, 8.0, 9.0, 8.0, 9.0, 10.0, 10.0, 11.0, // 4 streams, 1/2
        7.5, 9.0, 10.5, 9.0, 10.5, 12.0, 13.5, 12.0, 13.5, 15.0, 15.0, 16.5, // 4 streams, 3/4
    ];
    let symbol = if short_gi { 3.6 } else { 4.0 };
    let (subcarriers, bits) = match mcs {
        0..=31 => (
            if wide { 108.0 } else { 52.0 },
            EQUAL[(mcs % 8) as usize] * f64::from(mcs / 8 + 1),
        ),
        32 => (if wide { 48.0 } else { 0.0 }, 0.5),
        33..=MAX_MCS_INDEX => (
            if wide { 108.0 } else { 52.0 },
            UNEQUAL[(mcs - 33) as usize],
        ),
        _ => return None,
    };
    Some(subcarriers * bits / symbol)
}

/// The channel's frequency and band/modulation (from CHANNEL or XCHANNEL).
fn chaninfo_print(ctx: &mut Ctx, freq: u16, flags: u32, present: u32) {
    pr!(ctx, "{} MHz", freq);
    let has = |f: u32| flags & f == f;
    if present & (1 << RT_MCS) != 0 {
        // An MCS field means 11n whatever the channel flags say.
        ctx.push(" 11n");
    } else {
        if has(CHAN_2GHZ | CHAN_GFSK) {
            ctx.push(" FHSS");
        }
        let width = |ctx: &mut Ctx, band: &str| {
            if flags & CHAN_HALF != 0 {
                pr!(ctx, " {}/10Mhz", band);
            } else if flags & CHAN_QUARTER != 0 {
                pr!(ctx, " {}/5Mhz", band);
            } else {
                pr!(ctx, " {}", band);
            }
        };
        if has(CHAN_5GHZ | CHAN_OFDM) {
            width(ctx, "11a");
        }
        if has(CHAN_2GHZ | CHAN_OFDM) || has(CHAN_2GHZ | CHAN_DYN) {
            width(ctx, "11g");
        } else if has(CHAN_2GHZ | CHAN_CCK) {
            ctx.push(" 11b");
        }
        if flags & CHAN_TURBO != 0 {
            ctx.push(" Turbo");
        }
    }
    if flags & CHAN_HT20 != 0 {
        ctx.push(" ht/20");
    } else if flags & CHAN_HT40D != 0 {
        ctx.push(" ht/40-");
    } else if flags & CHAN_HT40U != 0 {
        ctx.push(" ht/40+");
    }
    ctx.push(" ");
}

/// Why a radiotap namespace stopped being read.
enum FieldStop {
    /// A field ran past the header (` [|802.11_radio]` printed).
    Truncated,
    /// A field whose size is unknown: nothing after it can be located.
    Unknown,
}

/// One field of the radiotap namespace; `present` is the presence word it belongs to.
fn radiotap_field(
    ctx: &mut Ctx,
    f: &mut Fields,
    bit: u32,
    flags: &mut u8,
    present: u32,
) -> Result<(), FieldStop> {
    let r = radiotap_field_inner(ctx, f, bit, flags, present);
    if matches!(r, Err(FieldStop::Truncated)) {
        ctx.print_trunc();
    }
    r
}

fn radiotap_field_inner(
    ctx: &mut Ctx,
    f: &mut Fields,
    bit: u32,
    flags: &mut u8,
    present: u32,
) -> Result<(), FieldStop> {
    use FieldStop::Truncated as T;
    match bit {
        RT_TSFT => pr!(ctx, "{}us tsft ", f.u64().ok_or(T)?),
        RT_FLAGS => {
            let v = f.u8().ok_or(T)?;
            *flags = v;
            for (b, name) in [
                (RT_F_CFP, "cfp "),
                (RT_F_SHORTPRE, "short preamble "),
                (RT_F_WEP, "wep "),
                (RT_F_FRAG, "fragmented "),
                (RT_F_BADFCS, "bad-fcs "),
            ] {
                if v & b != 0 {
                    ctx.push(name);
                }
            }
        }
        RT_RATE => {
            let rate = f.u8().ok_or(T)?;
            // 0x80 + an index up to 15 is an MCS (FreeBSD); the channel width and guard
            // interval are not known here, so no data rate.
            if (0x80..=0x8f).contains(&rate) {
                pr!(ctx, "MCS {} ", rate & 0x7f);
            } else {
                pr!(ctx, "{:.1} Mb/s ", 0.5 * f64::from(rate));
            }
        }
        RT_CHANNEL => {
            let freq = f.u16().ok_or(T)?;
            let chflags = f.u16().ok_or(T)?;
            // XCHANNEL supersedes CHANNEL.
            if present & (1 << RT_XCHANNEL) == 0 {
                chaninfo_print(ctx, freq, u32::from(chflags), present);
            }
        }
        RT_FHSS => {
            let set = f.u8().ok_or(T)?;
            let pat = f.u8().ok_or(T)?;
            pr!(ctx, "fhset {} fhpat {} ", set, pat);
        }
        RT_DBM_ANTSIGNAL => pr!(ctx, "{}dBm signal ", f.i8().ok_or(T)?),
        RT_DBM_ANTNOISE => pr!(ctx, "{}dBm noise ", f.i8().ok_or(T)?),
        RT_LOCK_QUALITY => pr!(ctx, "{} sq ", f.u16().ok_or(T)?),
        RT_TX_ATTENUATION => pr!(ctx, "{} tx power ", -i32::from(f.i16().ok_or(T)?)),
        // A u16 in the radiotap definition; tcpdump reads one signed byte.
        RT_DB_TX_ATTENUATION => pr!(ctx, "{}dB tx attenuation ", -i32::from(f.i8().ok_or(T)?)),
        RT_DBM_TX_POWER => pr!(ctx, "{}dBm tx power ", f.i8().ok_or(T)?),
        RT_ANTENNA => pr!(ctx, "antenna {} ", f.u8().ok_or(T)?),
        RT_DB_ANTSIGNAL => pr!(ctx, "{}dB signal ", f.u8().ok_or(T)?),
        RT_DB_ANTNOISE => pr!(ctx, "{}dB noise ", f.u8().ok_or(T)?),
        RT_RX_FLAGS => {
            f.u16().ok_or(T)?;
        }
        RT_XCHANNEL => {
            let chflags = f.u32().ok_or(T)?;
            let freq = f.u16().ok_or(T)?;
            f.u8().ok_or(T)?; // channel number
            f.u8().ok_or(T)?; // maximum power
            chaninfo_print(ctx, freq, chflags, present);
        }
        RT_MCS => {
            let known = f.u8().ok_or(T)?;
            let mflags = f.u8().ok_or(T)?;
            let mcs = f.u8().ok_or(T)?;
            if known & MCS_INDEX_KNOWN != 0 {
                // tcpdump looks the rate up when either the bandwidth or the guard
                // interval is known.
                let rate = if known & (MCS_BANDWIDTH_KNOWN | MCS_GI_KNOWN) != 0 {
                    let wide = mflags & MCS_BANDWIDTH_MASK == MCS_BANDWIDTH_40;
                    ht_rate(mcs, wide, mflags & MCS_SHORT_GI != 0).unwrap_or(0.0)
                } else {
                    0.0
                };
                if rate != 0.0 {
                    pr!(ctx, "{:.1} Mb/s MCS {} ", rate, mcs);
                } else {
                    pr!(ctx, "MCS {} ", mcs);
                }
            }
            if known & MCS_BANDWIDTH_KNOWN != 0 {
                pr!(
                    ctx,
                    "{} ",
                    HT_BANDWIDTH[(mflags & MCS_BANDWIDTH_MASK) as usize]
                );
            }
            if known & MCS_GI_KNOWN != 0 {
                pr!(
                    ctx,
                    "{} GI ",
                    if mflags & MCS_SHORT_GI != 0 {
                        "short"
                    } else {
                        "long"
                    }
                );
            }
            if known & MCS_FORMAT_KNOWN != 0 {
                ctx.push(if mflags & MCS_GREENFIELD != 0 {
                    "greenfield "
                } else {
                    "mixed "
                });
            }
            if known & MCS_FEC_KNOWN != 0 {
                ctx.push(if mflags & MCS_FEC_LDPC != 0 {
                    "LDPC FEC "
                } else {
                    "BCC FEC "
                });
            }
            if known & MCS_STBC_KNOWN != 0 {
                pr!(ctx, "RX-STBC{} ", (mflags & MCS_STBC_MASK) >> 5);
            }
        }
        RT_AMPDU_STATUS => {
            f.u32().ok_or(T)?;
            f.u16().ok_or(T)?;
            f.u8().ok_or(T)?;
            f.u8().ok_or(T)?;
        }
        RT_VHT => {
            let known = f.u16().ok_or(T)?;
            let vflags = f.u8().ok_or(T)?;
            let bandwidth = f.u8().ok_or(T)?;
            let mut mcs_nss = [0u8; 4];
            for v in &mut mcs_nss {
                *v = f.u8().ok_or(T)?;
            }
            let coding = f.u8().ok_or(T)?;
            f.u8().ok_or(T)?; // group ID
            f.u16().ok_or(T)?; // partial AID
            for (i, v) in mcs_nss.iter().enumerate() {
                if v & 0x0f == 0 {
                    continue; // no spatial streams: no such user
                }
                let ldpc = coding & (1 << i) != 0;
                pr!(
                    ctx,
                    "User {} MCS {} {} FEC ",
                    i,
                    v >> 4,
                    if ldpc { "LDPC" } else { "BCC" }
                );
            }
            if known & VHT_BANDWIDTH_KNOWN != 0 {
                pr!(ctx, "{} ", VHT_BANDWIDTH[(bandwidth & 0x1f) as usize]);
            }
            if known & VHT_GI_KNOWN != 0 {
                pr!(
                    ctx,
                    "{} GI ",
                    if vflags & VHT_SHORT_GI != 0 {
                        "short"
                    } else {
                        "long"
                    }
                );
            }
        }
        _ => {
            pr!(ctx, "[bit {}] ", bit);
            return Err(FieldStop::Unknown);
        }
    }
    Ok(())
}

/// The fields of one presence word of the radiotap namespace (`bit0`: the number of its
/// first bit), lowest bit first, up to the namespace bits.
fn radiotap_namespace_print(
    ctx: &mut Ctx,
    f: &mut Fields,
    flags: &mut u8,
    present: u32,
    bit0: u32,
) -> Result<(), FieldStop> {
    let mut rest = present;
    while rest != 0 {
        let bitno = rest.trailing_zeros();
        rest &= rest - 1;
        if bitno >= RT_NAMESPACE {
            break;
        }
        radiotap_field(ctx, f, bit0 + bitno, flags, present)?;
    }
    Ok(())
}

/// A radiotap header, then the 802.11 frame. Returns the bytes of headers (for `-x`).
fn radiotap_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "802.11_radio";
    let caplen = p.len() as u32;
    if caplen < 8 {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let len = p.le_u16(2)? as usize;
    if len < 8 || p.len() < len {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let hdr = &p[..len];
    let mut f = Fields { buf: hdr, next: 8 };
    // The presence words: the first, then one more for each with bit 31 set.
    let mut last = 4;
    while last + 4 <= len && hdr.le_u32(last)? & (1 << RT_EXT) != 0 {
        f.advance(4);
        last += 4;
    }
    if last + 4 > len {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let mut bit0 = 0;
    let mut vendor_namespace = false;
    let mut skip_length = 0usize;
    let mut flags = 0u8;
    for word in (4..=last).step_by(4) {
        let present = hdr.le_u32(word)?;
        if vendor_namespace {
            // No vendor namespace is decoded: skip its data.
            if !f.advance(skip_length) {
                break;
            }
            skip_length = 0;
        } else if radiotap_namespace_print(ctx, &mut f, &mut flags, present, bit0).is_err() {
            break;
        }
        let ns = present & ((1 << RT_NAMESPACE) | (1 << RT_VENDOR_NAMESPACE));
        if ns == 0 {
            bit0 += 32;
        } else if ns == 1 << RT_NAMESPACE {
            bit0 = 0;
            vendor_namespace = false;
            skip_length = 0;
        } else if ns == 1 << RT_VENDOR_NAMESPACE {
            bit0 = 0;
            vendor_namespace = true;
            // OUI, sub-namespace, then the length of its data. tcpdump checks for room for
            // two aligned bytes but reads the OUI where the last field ended.
            let ok = f.reserve(2).is_some()
                && (0..4).all(|_| f.u8().is_some())
                && f.u16().map(|n| skip_length = n as usize).is_some();
            if !ok {
                ctx.print_trunc();
            }
        }
        // Both namespace bits at once is undefined: ignored.
    }
    let pad = flags & RT_F_DATAPAD != 0;
    let fcslen = if flags & RT_F_FCS != 0 { 4 } else { 0 };
    let n = ieee802_11_print(ctx, &p[len..], length.wrapping_sub(len as u32), pad, fcslen)?;
    Ok(len as u32 + n)
}

/// LINKTYPE_IEEE802_11_RADIOTAP.
pub fn ieee802_11_radio_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    radiotap_print(ctx, p, len)
}

// ---------------------------------------------------------------------------------------------
// AVS and Prism.

/// An AVS capture header (big-endian: version cookie, header length, radio data), then the
/// frame.
fn avs_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "802.11_radio_avs";
    let caplen = p.len() as u32;
    if caplen < 8 {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let hdrlen = p.be_u32(4)?;
    if hdrlen < 8 || caplen < hdrlen {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let n = ieee802_11_print(
        ctx,
        &p[hdrlen as usize..],
        length.wrapping_sub(hdrlen),
        false,
        0,
    )?;
    Ok(hdrlen + n)
}

/// LINKTYPE_IEEE802_11_AVS.
pub fn ieee802_11_radio_avs_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    avs_print(ctx, p, len)
}

/// The Prism monitor header's length (its radio data is not printed).
const PRISM_HDR_LEN: u32 = 144;
/// AVS version cookies: Linux has no ARPHRD for AVS, so AVS headers come as Prism.
const WLANCAP_MAGIC_COOKIE_V1: u32 = 0x8021_1001;
const WLANCAP_MAGIC_COOKIE_V2: u32 = 0x8021_1002;

/// LINKTYPE_PRISM_HEADER: a Prism header, or an AVS one, then the frame.
pub fn prism_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "prism";
    let caplen = p.len() as u32;
    if caplen < 4 {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let msgcode = p.be_u32(0)?;
    if msgcode == WLANCAP_MAGIC_COOKIE_V1 || msgcode == WLANCAP_MAGIC_COOKIE_V2 {
        return avs_print(ctx, p, len);
    }
    if caplen < PRISM_HDR_LEN {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let n = ieee802_11_print(
        ctx,
        &p[PRISM_HDR_LEN as usize..],
        len.wrapping_sub(PRISM_HDR_LEN),
        false,
        0,
    )?;
    Ok(PRISM_HDR_LEN + n)
}

#[cfg(test)]
mod tests {
    use super::ht_rate;
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    // The expected texts are what Debian's tcpdump 4.99.3 prints for the same bytes.

    /// Bytes from hex, spaces ignored.
    fn h(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    const M1: &str = "020000000001";
    const M2: &str = "020000000002";
    const M3: &str = "020000000003";
    const M4: &str = "020000000004";
    /// LLC/SNAP, then IPv4/UDP 198.18.0.1.12345 > 198.18.0.2.1024 with one byte of payload.
    const SNAP_IP: &str =
        "aaaa030000000800 4500001d0001000040110000c6120001c6120002 3039040000090000 41";
    const UDP: &str = "198.18.0.1.12345 > 198.18.0.2.1024: UDP, length 1";
    const LLC_IP: &str = "LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: \
                          oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 29: ";

    fn hx(hex: u8) -> PrintOptions {
        PrintOptions {
            hex,
            ..Default::default()
        }
    }

    fn ev(v: u8) -> PrintOptions {
        opts(v, true)
    }

    fn mesh(e: bool) -> PrintOptions {
        PrintOptions {
            mesh_headers: true,
            ..opts(0, e)
        }
    }

    fn beacon() -> Vec<u8> {
        // Timestamp, interval 100, capability ESS|PRIVACY|short slot; SSID, rates, DS.
        h(&format!(
            "8000 3a01 {M1} {M2} {M3} 1000 0000000000000000 6400 1104 \
             0004 74657374 0104 82840b16 030106"
        ))
    }

    fn data(fc: &str, extra: &str) -> Vec<u8> {
        h(&format!("{fc} 2c00 {M1} {M2} {M3} 2000 {extra} {SNAP_IP}"))
    }

    #[test]
    fn management_frames() {
        let b = beacon();
        let text = "Beacon (test) [1.0* 2.0* 5.5 11.0 Mbit] ESS CH: 6, PRIVACY\n";
        assert_eq!(print_packet(opts(0, false), 105, &b), text);
        assert_eq!(
            print_packet(ev(1), 105, &b),
            format!("314us BSSID:{} DA:{} SA:{} {text}", mac(3), mac(1), mac(2))
        );
        // -x dumps the body after the 24-byte header.
        assert_eq!(
            print_packet(hx(1), 105, &b),
            format!(
                "{}\t0x0000:  0000 0000 0000 0000 6400 1104 0004 7465\n\
                 \t0x0010:  7374 0104 8284 0b16 0301 06\n",
                text
            )
        );
        let deauth = h(&format!("c000 3a01 {M1} {M2} {M3} 1000 0300"));
        let reason = "Deauthenticated because sending STA is leaving (or has left) IBSS or ESS";
        assert_eq!(
            print_packet(opts(0, false), 105, &deauth),
            format!("DeAuthentication ({}): {reason}\n", mac(2))
        );
        assert_eq!(
            print_packet(opts(0, true), 105, &deauth),
            format!(
                "BSSID:{} DA:{} SA:{} DeAuthentication: {reason}\n",
                mac(3),
                mac(1),
                mac(2)
            )
        );
        let action = h(&format!("d000 3a01 {M1} {M2} {M3} 1000 0300"));
        assert_eq!(
            print_packet(opts(0, false), 105, &action),
            format!("Action ({}): BA ADDBA Request\n", mac(2))
        );
        // An SSID longer than 32 bytes stops the element walk: truncated.
        let long = h(&format!(
            "4000 3a01 {M1} {M2} {M3} 1000 0021 {}",
            "aa".repeat(33)
        ));
        assert_eq!(
            print_packet(opts(0, false), 105, &long),
            "Probe Request [|802.11]\n"
        );
    }

    fn mac(n: u8) -> String {
        format!("02:00:00:00:00:{n:02x}")
    }

    #[test]
    fn control_frames() {
        let ack = h(&format!("d400 0000 {M1}"));
        assert_eq!(
            print_packet(opts(0, false), 105, &ack),
            format!("Acknowledgment RA:{} \n", mac(1))
        );
        assert_eq!(
            print_packet(ev(1), 105, &ack),
            format!("0us RA:{} Acknowledgment\n", mac(1))
        );
        let rts = h(&format!("b400 1000 {M1} {M2}"));
        assert_eq!(
            print_packet(opts(0, false), 105, &rts),
            format!("Request-To-Send TA:{} \n", mac(2))
        );
        assert_eq!(
            print_packet(opts(0, true), 105, &rts),
            format!("RA:{} TA:{} Request-To-Send\n", mac(1), mac(2))
        );
        // A PS-Poll has the AID where the others have the duration.
        let ps = h(&format!("a410 05c0 {M1} {M2}"));
        assert_eq!(
            print_packet(opts(0, false), 105, &ps),
            "Power Save-Poll AID(c005)\n"
        );
        assert_eq!(
            print_packet(ev(1), 105, &ps),
            format!(
                "Pwr Mgmt BSSID:{} TA:{} Power Save-Poll AID(c005)\n",
                mac(1),
                mac(2)
            )
        );
        let bar = h(&format!("8400 1000 {M1} {M2} 0500 2001"));
        let fields = format!(" RA:{} TA:{} CTL(5) SEQ(288) ", mac(1), mac(2));
        assert_eq!(
            print_packet(opts(0, false), 105, &bar),
            format!("BAR{fields}\n")
        );
        assert_eq!(
            print_packet(opts(0, true), 105, &bar),
            format!("{fields}BAR\n")
        );
        assert_eq!(
            print_packet(opts(0, false), 105, &h("1400")),
            "unknown 802.11 ctrl frame subtype (1)\n"
        );
        assert_eq!(
            print_packet(opts(0, false), 105, &h("0c00")),
            "unknown 802.11 frame type (3)\n"
        );
    }

    #[test]
    fn data_frames() {
        let d = data("0801", "");
        assert_eq!(print_packet(opts(0, false), 105, &d), format!("IP {UDP}\n"));
        assert_eq!(
            print_packet(opts(0, true), 105, &d),
            format!(
                "BSSID:{} SA:{} DA:{} {LLC_IP}{UDP}\n",
                mac(1),
                mac(2),
                mac(3)
            )
        );
        let wep = h(&format!("0841 2c00 {M1} {M2} {M3} 2000 010203a0 0000"));
        assert_eq!(
            print_packet(opts(0, false), 105, &wep),
            "Data IV:30201 Pad 20 KeyID 2\n"
        );
        assert_eq!(
            print_packet(ev(1), 105, &wep),
            format!(
                "Protected 44us BSSID:{} SA:{} DA:{} Data IV:30201 Pad 20 KeyID 2\n",
                mac(1),
                mac(2),
                mac(3)
            )
        );
    }

    #[test]
    fn mesh_control_with_h() {
        // QoS data, both DS bits (four addresses), mesh control with AE 2 (A4, A5).
        let d = data("8803", &format!("{M4} 0000 02 05 4d000000 {M1} {M2}"));
        assert_eq!(
            print_packet(mesh(true), 105, &d),
            format!(
                "MeshData (AE 2 TTL 5 seq 77 A4:{} A5:{}) CF +QoS RA:{} TA:{} DA:{} SA:{} {LLC_IP}{UDP}\n",
                mac(1),
                mac(2),
                mac(1),
                mac(2),
                mac(3),
                mac(4)
            )
        );
        assert_eq!(print_packet(mesh(false), 105, &d), format!("IP {UDP}\n"));
        // Without -H the mesh control is taken for LLC (named with the frame's SA and DA).
        assert_eq!(
            print_packet(opts(0, false), 105, &d),
            format!(
                "{} SNA > {} 802.1B I Supervisory, ?, rcv seq 0, Flags [Response], length 55\n",
                mac(4),
                mac(3)
            )
        );
    }

    #[test]
    fn radiotap_fields() {
        let ack = format!("d400 0000 {M1}");
        // TSFT, flags, rate, channel, dBm signal and noise, antenna, padded to 28 bytes.
        let rt = h(&format!(
            "0000 1c00 6f080000 40e2010000000000 02 0c 6c09a000 c4 a0 01 000000 {ack}"
        ));
        let radio = "123456us tsft short preamble 6.0 Mb/s 2412 MHz 11b -60dBm signal -96dBm noise antenna 1 ";
        assert_eq!(
            print_packet(opts(0, false), 127, &rt),
            format!("{radio}Acknowledgment RA:{} \n", mac(1))
        );
        assert_eq!(
            print_packet(ev(1), 127, &rt),
            format!("{radio}0us RA:{} Acknowledgment\n", mac(1))
        );
        // The radiotap header and the MAC header are both link header for -x.
        assert_eq!(
            print_packet(hx(1), 127, &rt),
            format!("{radio}Acknowledgment RA:{} \n", mac(1))
        );
        // The FCS flag: the last 4 bytes are not frame bytes but are dumped.
        let fcs = h(&format!("0000 0900 02000000 10 {ack} deadbeef"));
        assert_eq!(
            print_packet(hx(1), 127, &fcs),
            format!("Acknowledgment RA:{} \n\t0x0000:  dead beef\n", mac(1))
        );
        // The data-pad flag: the 26-byte QoS header is padded to 28.
        let pad = h(&format!(
            "0000 0900 02000000 20 8801 2c00 {M1} {M2} {M3} 2000 0000 0000 {SNAP_IP}"
        ));
        assert_eq!(
            print_packet(opts(0, false), 127, &pad),
            format!("IP {UDP}\n")
        );
        let mcs = h(&format!("0000 0b00 00000800 3f 35 07 {ack}"));
        assert_eq!(
            print_packet(opts(0, false), 127, &mcs),
            format!(
                "150.0 Mb/s MCS 7 40 MHz short GI mixed LDPC FEC RX-STBC1 Acknowledgment RA:{} \n",
                mac(1)
            )
        );
        let vht = h(&format!(
            "0000 1400 00002000 4400 04 04 71920013 05 00 0000 {ack}"
        ));
        assert_eq!(
            print_packet(opts(0, false), 127, &vht),
            format!(
                "User 0 MCS 7 LDPC FEC User 1 MCS 9 BCC FEC User 3 MCS 1 BCC FEC 80 MHz short GI \
                 Acknowledgment RA:{} \n",
                mac(1)
            )
        );
        // XCHANNEL supersedes CHANNEL.
        let xch = h(&format!(
            "0000 1400 08000400 6c09a000 c0000100 5014 28 1e {ack}"
        ));
        assert_eq!(
            print_packet(opts(0, false), 127, &xch),
            format!("5200 MHz 11g ht/20 Acknowledgment RA:{} \n", mac(1))
        );
        // A field past the header's length.
        let short = h(&format!("0000 0f00 90070000 0506 2100 f9ff fe 10 {ack}"));
        assert_eq!(
            print_packet(opts(0, false), 127, &short),
            "fhset 5 fhpat 6 33 sq 7 tx power 2dB tx attenuation  [|802.11_radio] [|802.11]\n"
        );
        assert_eq!(
            print_packet(opts(0, false), 127, &h("0000 0400 00000000")),
            " [|802.11_radio]\n"
        );
    }

    #[test]
    fn radiotap_extended_bitmaps_and_namespaces() {
        let ack = format!("d400 0000 {M1}");
        // A second presence word (bit 33: no size known, the rest is skipped); TSFT aligned
        // to 8 after the two words.
        let ext = h(&format!(
            "0000 1800 01000080 02000000 00000000 0500000000000000 {ack}"
        ));
        assert_eq!(
            print_packet(opts(0, false), 127, &ext),
            format!("5us tsft [bit 33] Acknowledgment RA:{} \n", mac(1))
        );
        // TSFT, then a vendor namespace (OUI 00:10:18, 2 bytes skipped), then back to radiotap
        // for a rate.
        let vendor = h(&format!(
            "0000 2100 010000c0 000000a0 04000000 0500000000000000 001018 01 0200 aabb 0c {ack}"
        ));
        assert_eq!(
            print_packet(opts(0, false), 127, &vendor),
            format!("5us tsft 6.0 Mb/s Acknowledgment RA:{} \n", mac(1))
        );
    }

    #[test]
    fn prism_and_avs() {
        let ack = format!("d400 0000 {M1}");
        let text = format!("Acknowledgment RA:{} \n", mac(1));
        let prism = h(&format!("00000044 {} {ack}", "00".repeat(140)));
        assert_eq!(print_packet(hx(1), 119, &prism), text);
        let avs = h(&format!("80211001 00000010 0000000000000000 {ack}"));
        assert_eq!(print_packet(hx(1), 119, &avs), text);
        assert_eq!(print_packet(opts(0, false), 163, &avs), text);
        let bad = h(&format!("80211001 00000004 0000000000000000 {ack}"));
        assert_eq!(
            print_packet(opts(0, false), 163, &bad),
            " [|802.11_radio_avs]\n"
        );
        assert_eq!(
            print_packet(opts(0, false), 119, &prism[..100]),
            " [|prism]\n"
        );
    }

    #[test]
    fn ht_rates_from_the_modulation() {
        // Spot checks against IEEE Std 802.11-2020 tables 19-27 to 19-38.
        let r = |m, w, g| format!("{:.1}", ht_rate(m, w, g).unwrap());
        assert_eq!(r(0, false, false), "6.5");
        assert_eq!(r(7, false, true), "72.2");
        assert_eq!(r(15, true, true), "300.0");
        assert_eq!(r(31, true, false), "540.0");
        assert_eq!(r(32, true, true), "6.7");
        assert_eq!(r(32, false, false), "0.0");
        assert_eq!(r(33, false, false), "39.0");
        assert_eq!(r(76, true, true), "495.0");
        assert_eq!(ht_rate(77, false, false), None);
    }

    #[test]
    fn truncated_at_every_offset() {
        let variants = [opts(0, false), ev(2), mesh(true), hx(1)];
        let ack = format!("d400 0000 {M1}");
        let frames = [
            (105, beacon()),
            (105, data("0801", "")),
            (
                105,
                data("8803", &format!("{M4} 0000 02 05 4d000000 {M1} {M2}")),
            ),
            (105, h(&format!("8400 1000 {M1} {M2} 0500 2001"))),
            (
                127,
                h(&format!(
                    "0000 1c00 6f080000 40e2010000000000 12 0c 6c09a000 c4 a0 01 000000 {ack}"
                )),
            ),
            (
                127,
                h(&format!(
                    "0000 2100 010000c0 000000a0 04000000 0500000000000000 001018 01 0200 aabb 0c {ack}"
                )),
            ),
            (
                127,
                h(&format!(
                    "0000 1400 00002000 4400 04 04 71920013 05 00 0000 {ack}"
                )),
            ),
            (119, h(&format!("00000044 {} {ack}", "00".repeat(140)))),
            (163, h(&format!("80211001 00000010 0000000000000000 {ack}"))),
        ];
        for (lt, f) in &frames {
            assert_every_truncated_packet_is_safe(*lt, f, &variants);
        }
    }
}
