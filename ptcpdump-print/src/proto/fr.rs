//! Frame Relay: the ITU-T Q.922 address (2 to 4 octets), RFC 2427 multiprotocol encapsulation
//! (UI control, optional pad, NLPID or SNAP) and Cisco's encapsulation with an Ethernet type
//! after the address; ITU-T Q.933 signalling and its Annex A / ANSI T1.617 Annex D link
//! management (report type, link verify, PVC status); FRF.15 end-to-end fragmentation (NLPID
//! 0xb1) and FRF.16 multilink frame relay (LINKTYPE_MFR: fragments and link integrity control
//! messages of FRF.16.1); tcpdump's print-fr.c.

use super::isoclns::NLPID_VALUES;
use super::util_print::{print_unknown_data, push_char};
use super::{Ctx, bittok2str, ether, ethertype_print, ip, ip6, isoclns, llc, ppp, pr, tok};
use crate::cursor::{Bytes, PResult};

const FR_EA_BIT: u8 = 0x01;
const LLC_UI: u8 = 0x03;

// The flag bits of a parsed address, where tcpdump packs them: C/R of the first octet, FECN,
// BECN and DE of the second, the DLCI-or-DL-CORE bit of a 3/4-octet address's last octet.
const FR_CR_BIT: u32 = 0x0200_0000;
const FR_DE_BIT: u32 = 0x0002_0000;
const FR_BECN_BIT: u32 = 0x0004_0000;
const FR_FECN_BIT: u32 = 0x0008_0000;
const FR_SDLC_BIT: u32 = 0x0000_0002;

const FR_HEADER_FLAG_VALUES: &[(u32, &str)] = &[
    (FR_CR_BIT, "C!"),
    (FR_DE_BIT, "DE"),
    (FR_BECN_BIT, "BECN"),
    (FR_FECN_BIT, "FECN"),
    (FR_SDLC_BIT, "sdlcore"),
];

const NLPID_IP: u8 = 0xcc;
const NLPID_IP6: u8 = 0x8e;
const NLPID_CLNP: u8 = 0x81;
const NLPID_ESIS: u8 = 0x82;
const NLPID_ISIS: u8 = 0x83;
const NLPID_SNAP: u8 = 0x80;
const NLPID_Q933: u8 = 0x08;
const NLPID_MFR: u8 = 0xb1;
const NLPID_PPP: u8 = 0xcf;

// FRF.15 / FRF.16 first octet: Begin, End, Control.
const MFR_B_BIT: u8 = 0x80;
const MFR_E_BIT: u8 = 0x40;
const MFR_C_BIT: u8 = 0x20;
const MFR_BEC_MASK: u8 = MFR_B_BIT | MFR_E_BIT | MFR_C_BIT;
const MFR_CTRL_FRAME: u8 = MFR_BEC_MASK;
const MFR_FRAG_FRAME: u8 = MFR_B_BIT | MFR_E_BIT;

const FRF_FLAG_VALUES: &[(u32, &str)] = &[
    (MFR_B_BIT as u32, "Begin"),
    (MFR_E_BIT as u32, "End"),
    (MFR_C_BIT as u32, "Control"),
];

/// A parsed Q.922 address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Q922 {
    dlci: u32,
    addr_len: u32,
    flags: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Q922Parse {
    Addr(Q922),
    /// The EA bits end the address at the first octet or after the fourth.
    Invalid,
    /// The address runs past the capture or past `length`.
    Truncated,
}

/// The Q.922 address at the start of `p`; `length` is the on-the-wire length from there (an
/// address longer than it counts as truncated, as a captured one would).
fn parse_q922(p: &[u8], length: u32) -> Q922Parse {
    let octet = |i: usize| p.get(i).copied().filter(|_| (length as usize) > i);
    let Some(b0) = octet(0) else {
        return Q922Parse::Truncated;
    };
    if b0 & FR_EA_BIT != 0 {
        return Q922Parse::Invalid;
    }
    let Some(b1) = octet(1) else {
        return Q922Parse::Truncated;
    };
    let mut dlci = (((b0 & 0xfc) as u32) << 2) | ((b1 & 0xf0) >> 4) as u32;
    let mut flags = (((b0 & 0x02) as u32) << 24) | (((b1 & 0x0e) as u32) << 16);
    if b1 & FR_EA_BIT != 0 {
        return Q922Parse::Addr(Q922 {
            dlci,
            addr_len: 2,
            flags,
        });
    }
    let Some(b2) = octet(2) else {
        return Q922Parse::Truncated;
    };
    let mut addr_len = 3;
    let mut last = 2;
    if b2 & FR_EA_BIT == 0 {
        // A 4-octet address: 7 more DLCI bits here.
        dlci = (dlci << 7) | (b2 >> 1) as u32;
        addr_len = 4;
        last = 3;
    }
    let Some(bl) = octet(last) else {
        return Q922Parse::Truncated;
    };
    if bl & FR_EA_BIT == 0 {
        return Q922Parse::Invalid;
    }
    flags |= (bl & 0x02) as u32;
    dlci = (dlci << 6) | (bl >> 2) as u32;
    Q922Parse::Addr(Q922 {
        dlci,
        addr_len,
        flags,
    })
}

/// `q922_string`: a Frame Relay link-layer address as ARP prints it (`DLCI 16`).
pub fn q922_string(out: &mut String, p: &[u8]) {
    match parse_q922(p, p.len() as u32) {
        Q922Parse::Addr(q) => {
            use std::fmt::Write;
            let _ = write!(out, "DLCI {}", q.dlci);
        }
        Q922Parse::Invalid => out.push_str("<Invalid DLCI>"),
        Q922Parse::Truncated => out.push_str("<Truncated>"),
    }
}

/// `fr_hdr_print`: the address line of `-e` (and of frames whose payload is not decoded).
/// `nlpid` above 0xff is a Cisco-style Ethernet type.
fn fr_hdr_print(ctx: &mut Ctx, length: u32, addr_len: u32, q: &Q922, nlpid: u16) {
    if ctx.qflag() {
        pr!(ctx, "Q.922, DLCI {}, length {}: ", q.dlci, length);
        return;
    }
    pr!(ctx, "Q.922, hdr-len {}, DLCI {}, Flags [", addr_len, q.dlci);
    bittok2str(ctx.out, FR_HEADER_FLAG_VALUES, "none", q.flags, ", ");
    if nlpid <= 0xff {
        pr!(
            ctx,
            "], NLPID {} (0x{:02x}), length {}: ",
            tok(NLPID_VALUES, nlpid as u32).unwrap_or("unknown"),
            nlpid,
            length
        );
    } else {
        pr!(
            ctx,
            "], cisco-ethertype {} (0x{:04x}), length {}: ",
            tok(ether::ETHERTYPE_VALUES, nlpid as u32).unwrap_or("unknown"),
            nlpid,
            length
        );
    }
}

/// Top-level printer for LINKTYPE_FRELAY.
pub fn fr_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "fr";
    // The shortest frame: a 2-octet address, the control and the NLPID.
    if p.len() < 4 {
        ctx.print_trunc();
        return Ok(p.len() as u32);
    }
    fr_print(ctx, p, len)
}

/// A Frame Relay frame from its Q.922 address on. Returns the length of the Frame Relay header
/// (0 when it could not be parsed).
pub fn fr_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "fr";
    // tcpdump's own `trunc:` label: the marker, and no header length.
    let trunc = |ctx: &mut Ctx| {
        ctx.print_trunc();
        Ok(0)
    };
    let q = match parse_q922(p, length) {
        Q922Parse::Addr(q) => q,
        Q922Parse::Invalid => {
            ctx.push("Q.922, invalid address");
            return Ok(0);
        }
        Q922Parse::Truncated => return trunc(ctx),
    };
    let al = q.addr_len;
    let Ok(control) = p.u8_at(al as usize) else {
        return trunc(ctx);
    };
    if length < al + 1 {
        return trunc(ctx);
    }

    if control != LLC_UI && q.dlci != 0 {
        // Cisco's encapsulation: an Ethernet type right after the address.
        if !p.has(al as usize, 2) || length < al + 2 {
            pr!(ctx, "UI {:02x}! ", control);
        } else {
            let et = p.be_u16(al as usize)?;
            if ctx.eflag() {
                fr_hdr_print(ctx, length, al, &q, et);
            }
            let rest = &p[al as usize + 2..];
            if ethertype_print(ctx, et, rest, length - al - 2, rest.len() as u32)? {
                return Ok(al + 2);
            }
            // Not an Ethernet type after all.
            pr!(ctx, "UI {:02x}! ", control);
        }
    }

    let Ok(pad) = p.u8_at(al as usize + 1) else {
        return trunc(ctx);
    };
    if length < al + 2 {
        return trunc(ctx);
    }
    // RFC 2427 puts a pad octet after the control only with a 3-octet address.
    let hdr_len = if pad == 0 {
        if al != 3 {
            ctx.push("Pad! ");
        }
        al + 3
    } else {
        if al == 3 {
            ctx.push("No pad! ");
        }
        al + 2
    };
    let Ok(nlpid) = p.u8_at(hdr_len as usize - 1) else {
        return trunc(ctx);
    };
    if length < hdr_len {
        return trunc(ctx);
    }
    if ctx.eflag() {
        fr_hdr_print(ctx, length, al, &q, nlpid as u16);
    }
    let rest = &p[hdr_len as usize..];
    let length = length - hdr_len;
    match nlpid {
        NLPID_IP => ip::ip_print(ctx, rest, length)?,
        NLPID_IP6 => ip6::ip6_print(ctx, rest, length)?,
        // The OSI printers want the NLPID too.
        NLPID_CLNP | NLPID_ESIS | NLPID_ISIS => {
            isoclns::isoclns_print(ctx, &p[hdr_len as usize - 1..], length + 1)?
        }
        NLPID_SNAP => {
            if !llc::snap_print(ctx, rest, length, rest.len() as u32, None, 0)? {
                if !ctx.eflag() {
                    // tcpdump passes the whole header length as the address length here.
                    fr_hdr_print(ctx, length + hdr_len, hdr_len, &q, nlpid as u16);
                }
                if !ctx.suppress_default_print() {
                    ctx.default_print(p, length + hdr_len)?;
                }
            }
        }
        NLPID_Q933 => q933_print(ctx, rest, length)?,
        NLPID_MFR => frf15_print(ctx, rest, length)?,
        NLPID_PPP => _ = ppp::ppp_print(ctx, rest, length)?,
        _ => {
            if !ctx.eflag() {
                fr_hdr_print(ctx, length + hdr_len, al, &q, nlpid as u16);
            }
            // Only -x (not -X, -q) suppresses this dump.
            if ctx.opts.hex == 0 {
                ctx.default_print(rest, length)?;
            }
        }
    }
    Ok(hdr_len)
}

// ---------------------------------------------------------------------------------------------
// FRF.16 multilink frame relay.

const MFR_CTRL_MSG_VALUES: &[(u32, &str)] = &[
    (1, "Add Link"),
    (2, "Add Link ACK"),
    (3, "Add Link Reject"),
    (4, "Hello"),
    (5, "Hello ACK"),
    (6, "Remove Link"),
    (7, "Remove Link ACK"),
];

const MFR_CTRL_IE_BUNDLE_ID: u8 = 1;
const MFR_CTRL_IE_LINK_ID: u8 = 2;
const MFR_CTRL_IE_MAGIC_NUM: u8 = 3;
const MFR_CTRL_IE_TIMESTAMP: u8 = 5;

const MFR_CTRL_IE_VALUES: &[(u32, &str)] = &[
    (1, "Bundle ID"),
    (2, "Link ID"),
    (3, "Magic Number"),
    (5, "Timestamp"),
    (6, "Vendor Extension"),
    (7, "Cause"),
];

/// Longest bundle or link identifier printed.
const MFR_ID_STRING_MAXLEN: usize = 50;
/// An IE's type and length octets (its length counts them).
const IE_HDR_LEN: u32 = 2;
/// The Timestamp IE that tcpdump decodes: a host `struct timeval` (two 64-bit words here).
const TIMEVAL_LEN: usize = 16;

/// Top-level printer for LINKTYPE_MFR.
pub fn mfr_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "mfr";
    if p.len() < 2 {
        ctx.print_trunc();
        return Ok(p.len() as u32);
    }
    mfr_print(ctx, p, len)
}

/// An FRF.16 frame: a link integrity control message or a fragment. Returns the header length.
pub fn mfr_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "mfr";
    if length < 4 {
        pr!(ctx, "[length {} < 4]", length);
        ctx.print_invalid();
        return Ok(length);
    }
    if !p.has(0, 4) {
        ctx.print_trunc();
        return Ok(length);
    }
    let b0 = p[0];
    let bec = b0 & MFR_BEC_MASK;
    if bec == MFR_CTRL_FRAME && p[1] == 0 {
        ctx.push("FRF.16 Control, Flags [");
        bittok2str(ctx.out, FRF_FLAG_VALUES, "none", bec as u32, ", ");
        ctx.push("], ");
        match tok(MFR_CTRL_MSG_VALUES, p[2] as u32) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "Unknown Message (0x{:02x})", p[2]),
        }
        pr!(ctx, ", length {}", length);
        let hdr_len = 3;
        if ctx.vflag() == 0 {
            return Ok(hdr_len);
        }
        if mfr_ies_print(ctx, p, length).is_err() {
            ctx.print_trunc();
            return Ok(length);
        }
        return Ok(hdr_len);
    }

    let seq = (((b0 & 0x1e) as u32) << 7) | p[1] as u32;
    ctx.push("FRF.16 Frag, seq ");
    pr!(ctx, "{}, Flags [", seq);
    bittok2str(ctx.out, FRF_FLAG_VALUES, "none", bec as u32, ", ");
    ctx.push("]");
    if bec == MFR_FRAG_FRAME || bec == MFR_B_BIT {
        // A whole frame or a first fragment: the Frame Relay header follows.
        ctx.push(", ");
        fr_print(ctx, &p[2..], length - 2)?;
        return Ok(2);
    }
    // A middle or last fragment.
    print_unknown_data(ctx, p, "\n\t", length as usize);
    Ok(0)
}

/// The information elements of a link integrity control message (after its 3 octets).
fn mfr_ies_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let mut off = 3usize;
    let mut tlen = length - 3;
    while tlen > IE_HDR_LEN {
        p.sub(off, IE_HDR_LEN as usize)?;
        let ie_type = p[off];
        let ie_len = p[off + 1];
        pr!(
            ctx,
            "\n\tIE {} ({}), length {}: ",
            tok(MFR_CTRL_IE_VALUES, ie_type as u32).unwrap_or("Unknown"),
            ie_type,
            ie_len
        );
        // An IE too short to hold its own header would loop forever.
        if ie_type == 0 || (ie_len as u32) <= IE_HDR_LEN {
            return Ok(());
        }
        p.sub(off, ie_len as usize)?;
        off += IE_HDR_LEN as usize;
        let data_len = ie_len as usize - IE_HDR_LEN as usize;
        tlen -= IE_HDR_LEN;
        let data = &p[off..off + data_len];
        match ie_type {
            MFR_CTRL_IE_MAGIC_NUM => {
                // FRF.16.1 section 3.4.3: four octets.
                if data_len != 4 {
                    pr!(ctx, "[IE data length {} != 4]", data_len);
                    ctx.print_invalid();
                } else {
                    pr!(ctx, "0x{:08x}", data.be_u32(0)?);
                }
            }
            MFR_CTRL_IE_BUNDLE_ID | MFR_CTRL_IE_LINK_ID => {
                for &c in data.iter().take(MFR_ID_STRING_MAXLEN) {
                    if c == 0 {
                        break;
                    }
                    push_char(ctx.out, c);
                }
            }
            MFR_CTRL_IE_TIMESTAMP if data_len == TIMEVAL_LEN => {
                // The sender's struct timeval, printed like a packet's timestamp (without the
                // -ttt/-ttttt reference of the packets: deltas are from the IE itself).
                let sec = data.le_u64(0)?;
                let usec = data.le_u64(8)?;
                let mut st = crate::ts::TsState::default();
                crate::ts::ts_print(ctx.out, ctx.opts, &mut st, sec, usec as u32);
            }
            _ => {
                if ctx.vflag() <= 1 {
                    print_unknown_data(ctx, data, "\n\t  ", data_len);
                }
            }
        }
        if ctx.vflag() > 1 {
            print_unknown_data(ctx, data, "\n\t  ", data_len);
        }
        // tcpdump does not check the IE against the message length: a longer IE makes the
        // remaining length wrap, and the loop then ends at the end of the capture.
        tlen = tlen.wrapping_sub(data_len as u32);
        off += data_len;
    }
    Ok(())
}

/// FRF.15 end-to-end fragmentation header (after NLPID 0xb1).
fn frf15_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    if length < 2 {
        ctx.print_trunc();
        return Ok(());
    }
    let b0 = p.u8_at(0)?;
    let seq = (((b0 & 0x1e) as u32) << 7) | p.u8_at(1)? as u32;
    pr!(ctx, "FRF.15, seq 0x{:03x}, Flags [", seq);
    bittok2str(
        ctx.out,
        FRF_FLAG_VALUES,
        "none",
        (b0 & MFR_BEC_MASK) as u32,
        ", ",
    );
    pr!(
        ctx,
        "],{} Fragmentation, length {}",
        if b0 & 0x01 != 0 {
            "Interface"
        } else {
            "End-to-End"
        },
        length
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Q.933 (and Q.931-style) signalling.

const Q933_MSG_VALUES: &[(u32, &str)] = &[
    (0x00, "ESC to National"),
    (0x01, "Alert"),
    (0x02, "Call proceeding"),
    (0x07, "Connect"),
    (0x0f, "Connect ACK"),
    (0x03, "Progress"),
    (0x05, "Setup"),
    (0x45, "Disconnect"),
    (0x4d, "Release"),
    (0x5a, "Release Complete"),
    (0x46, "Restart"),
    (0x4e, "Restart ACK"),
    (0x7d, "Status Reply"),
    (0x75, "Status Enquiry"),
];

const LMI_ANSI_REPORT_TYPE_IE: u8 = 0x01;
const LMI_ANSI_LINK_VERIFY_IE_91: u8 = 0x19;
const LMI_ANSI_LINK_VERIFY_IE: u8 = 0x03;
const LMI_ANSI_PVC_STATUS_IE: u8 = 0x07;
const LMI_CCITT_REPORT_TYPE_IE: u8 = 0x51;
const LMI_CCITT_LINK_VERIFY_IE: u8 = 0x53;
const LMI_CCITT_PVC_STATUS_IE: u8 = 0x57;

/// IE names of codesets 0 (Q.933) and 5 (national: ANSI T1.617).
const Q933_IE_VALUES_CODESET_0_5: &[(u32, &str)] = &[
    (0x01, "ANSI Report Type"),
    (0x19, "ANSI Link Verify"),
    (0x03, "ANSI Link Verify"),
    (0x07, "ANSI PVC Status"),
    (0x51, "CCITT Report Type"),
    (0x53, "CCITT Link Verify"),
    (0x57, "CCITT PVC Status"),
];

const LMI_REPORT_TYPE_VALUES: &[(u32, &str)] = &[
    (0, "Full Status"),
    (1, "Link verify"),
    (2, "Async PVC Status"),
];

/// A single-octet IE (bit 8 set)?
fn ie_is_single_octet(c: u8) -> bool {
    c & 0x80 != 0
}

/// A shift IE (1001 xxxx)?
fn ie_is_shift(c: u8) -> bool {
    c & 0xf0 == 0x90
}

fn ie_shift_is_locking(c: u8) -> bool {
    c & 0x08 == 0
}

/// A Q.933 message from the octet holding the call reference length on (`p`), as tcpdump's
/// `q933_print`: also used for Q.931 over other links.
pub fn q933_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "q.933";
    if !ctx.eflag() {
        ctx.push("Q.933");
    }
    // Truncated before the header could be printed: its length, then the marker.
    let early_trunc = |ctx: &mut Ctx, len: u32| {
        if !ctx.eflag() {
            ctx.push(", ");
        }
        pr!(ctx, "length {}", len);
        ctx.print_trunc();
        Ok(())
    };
    let olen = length;
    let Some(&b) = p.first().filter(|_| length != 0) else {
        return early_trunc(ctx, length);
    };
    let call_ref_length = (b & 0x0f) as usize;
    let mut off = 1usize;
    let mut length = length - 1;

    let mut call_ref = [0u8; 15];
    for slot in call_ref.iter_mut().take(call_ref_length) {
        let Some(&c) = p.get(off).filter(|_| length != 0) else {
            return early_trunc(ctx, olen);
        };
        *slot = c;
        off += 1;
        length -= 1;
    }

    let Some(&msgtype) = p.get(off).filter(|_| length != 0) else {
        return early_trunc(ctx, olen);
    };
    off += 1;
    length -= 1;

    // A leading shift decides the codeset (a locking shift to 5 means T1.617 Annex D).
    let mut codeset = 0u8;
    let mut is_ansi = false;
    let mut non_locking_shift = 0u8;
    let mut unshift_codeset = codeset;
    if length != 0 {
        let Some(&iecode) = p.get(off) else {
            return early_trunc(ctx, olen);
        };
        if ie_is_shift(iecode) {
            off += 1;
            length -= 1;
            codeset = iecode & 0x07;
            if ie_shift_is_locking(iecode) {
                if codeset == 5 {
                    is_ansi = true;
                }
            } else {
                non_locking_shift = 1;
                unshift_codeset = 0;
            }
        }
    }

    if !ctx.eflag() {
        ctx.push(", ");
    }
    pr!(
        ctx,
        "{}, codeset {}",
        if is_ansi { "ANSI" } else { "CCITT" },
        codeset
    );
    if call_ref_length != 0 {
        // tcpdump looks at the octet after the message type here, not at the call reference,
        // to tell a dummy call reference: keep that (it also longjmps at the capture's end).
        if call_ref_length > 1 || p.u8_at(off)? != 0 {
            ctx.push(", Call Ref: 0x");
            for c in &call_ref[..call_ref_length] {
                pr!(ctx, "{:02x}", c);
            }
        }
    }
    if ctx.vflag() > 0 {
        pr!(
            ctx,
            ", {} (0x{:02x}), length {}",
            tok(Q933_MSG_VALUES, msgtype as u32).unwrap_or("unknown message"),
            msgtype,
            olen
        );
    } else {
        ctx.push(", ");
        match tok(Q933_MSG_VALUES, msgtype as u32) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "unknown message 0x{:02x}", msgtype),
        }
    }

    // Truncated inside the IEs: the length when it was not printed yet, then the marker.
    let ie_trunc = |ctx: &mut Ctx| {
        if ctx.vflag() == 0 {
            pr!(ctx, ", length {}", olen);
        }
        ctx.print_trunc();
        Ok(())
    };
    while length != 0 {
        if non_locking_shift == 1 {
            // The shift applies to this IE only.
            non_locking_shift = 2;
        } else if non_locking_shift == 2 {
            codeset = unshift_codeset;
            non_locking_shift = 0;
        }
        let Some(&iecode) = p.get(off) else {
            return ie_trunc(ctx);
        };
        off += 1;
        length -= 1;
        if ie_is_single_octet(iecode) {
            if ie_is_shift(iecode) {
                if ie_shift_is_locking(iecode) {
                    non_locking_shift = 0;
                } else {
                    non_locking_shift = 1;
                    unshift_codeset = codeset;
                }
                codeset = iecode & 0x07;
            }
            continue;
        }
        let Some(&ielength) = p.get(off).filter(|_| length != 0) else {
            return ie_trunc(ctx);
        };
        off += 1;
        length -= 1;
        let names = if codeset == 0 || codeset == 5 {
            Some(Q933_IE_VALUES_CODESET_0_5)
        } else {
            None
        };
        if ctx.vflag() > 0 {
            pr!(
                ctx,
                "\n\t{} IE (0x{:02x}), length {}: ",
                names
                    .and_then(|t| tok(t, iecode as u32))
                    .unwrap_or("unknown"),
                iecode,
                ielength
            );
        }
        if iecode == 0 || ielength == 0 {
            return Ok(());
        }
        let Some(ie) = p
            .get(off..off + ielength as usize)
            .filter(|_| length >= ielength as u32)
        else {
            return ie_trunc(ctx);
        };
        let known = names.is_some() && q933_ie_codeset_0_5_print(ctx, iecode, ie)?;
        if known {
            if ctx.vflag() > 1 {
                print_unknown_data(ctx, ie, "\n\t  ", ie.len());
            }
        } else if ctx.vflag() >= 1 {
            print_unknown_data(ctx, ie, "\n\t", ie.len());
        }
        length -= ielength as u32;
        off += ielength as usize;
    }
    if ctx.vflag() == 0 {
        pr!(ctx, ", length {}", olen);
    }
    Ok(())
}

/// The LMI IEs of codesets 0 and 5, some of which print even without `-v`. Returns whether
/// the IE is one of them.
fn q933_ie_codeset_0_5_print(ctx: &mut Ctx, iecode: u8, ie: &[u8]) -> PResult<bool> {
    let v = ctx.vflag() > 0;
    match iecode {
        LMI_ANSI_REPORT_TYPE_IE | LMI_CCITT_REPORT_TYPE_IE => {
            // The IE is never empty here (the caller stops at a zero length).
            if v {
                let t = ie.u8_at(0)?;
                pr!(
                    ctx,
                    "{} ({})",
                    tok(LMI_REPORT_TYPE_VALUES, t as u32).unwrap_or("unknown"),
                    t
                );
            }
        }
        LMI_ANSI_LINK_VERIFY_IE | LMI_CCITT_LINK_VERIFY_IE | LMI_ANSI_LINK_VERIFY_IE_91 => {
            if !v {
                ctx.push(", ");
            }
            if ie.len() < 2 {
                ctx.push("Invalid LINK VERIFY IE");
            } else {
                pr!(ctx, "TX Seq: {:3}, RX Seq: {:3}", ie[0], ie[1]);
            }
        }
        LMI_ANSI_PVC_STATUS_IE | LMI_CCITT_PVC_STATUS_IE => {
            if !v {
                ctx.push(", ");
            }
            match pvc_status_dlci(ie) {
                Some(dlci) => {
                    let st = ie[ie.len() - 1];
                    pr!(
                        ctx,
                        "DLCI {}: status {}{}",
                        dlci,
                        if st & 0x08 != 0 { "New, " } else { "" },
                        if st & 0x02 != 0 { "Active" } else { "Inactive" }
                    );
                }
                None => ctx.push("Invalid DLCI in PVC STATUS IE"),
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The DLCI of a PVC status IE (Q.933 Annex A.3.3: 2 to 4 DLCI octets, the extension bit set
/// on the last of them, then the status octet, also with it set), or `None` when the IE is
/// malformed.
fn pvc_status_dlci(ie: &[u8]) -> Option<u32> {
    let n = ie.len();
    if !(3..=5).contains(&n) || ie[0] & 0x80 != 0 {
        return None;
    }
    if ie[1..n - 2].iter().any(|b| b & 0x80 != 0) || ie[n - 2] & 0x80 == 0 || ie[n - 1] & 0x80 == 0
    {
        return None;
    }
    let mut dlci = (((ie[0] & 0x3f) as u32) << 4) | ((ie[1] & 0x78) >> 3) as u32;
    if n == 4 {
        dlci = (dlci << 6) | ((ie[2] & 0x7e) >> 1) as u32;
    } else if n == 5 {
        // tcpdump's arithmetic (not Q.922's bit layout) for the 4-octet DLCI.
        dlci = (dlci << 13) | (ie[2] & 0x7f) as u32 | ((ie[3] & 0x7e) >> 1) as u32;
    }
    Some(dlci)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::{
        assert_every_truncated_packet_is_safe, opts, print_packet, print_packets, verbosities,
    };

    const FRELAY: u32 = 107;
    const MFR: u32 = 182;

    fn fr(o: PrintOptions, d: &[u8]) -> String {
        print_packet(o, FRELAY, d)
    }

    #[test]
    fn q922_addresses() {
        // DLCI 16, 2 octets; C/R, FECN and DE set.
        assert_eq!(
            parse_q922(&[0x04, 0x0b], 2),
            Q922Parse::Addr(Q922 {
                dlci: 16,
                addr_len: 2,
                flags: FR_FECN_BIT | FR_DE_BIT
            })
        );
        assert_eq!(parse_q922(&[0x05, 0x01], 2), Q922Parse::Invalid);
        assert_eq!(parse_q922(&[0x04], 2), Q922Parse::Truncated);
        assert_eq!(parse_q922(&[0x04, 0x01], 1), Q922Parse::Truncated);
        // 3 octets: 10 + 6 DLCI bits, DL-CORE bit set.
        assert_eq!(
            parse_q922(&[0x04, 0x00, 0x07], 3),
            Q922Parse::Addr(Q922 {
                dlci: 16 << 6 | 1,
                addr_len: 3,
                flags: FR_SDLC_BIT
            })
        );
        // 4 octets, and 5 (invalid).
        assert_eq!(
            parse_q922(&[0x00, 0x00, 0x02, 0x05], 4),
            Q922Parse::Addr(Q922 {
                dlci: (1 << 6) | 1,
                addr_len: 4,
                flags: 0
            })
        );
        assert_eq!(parse_q922(&[0, 0, 0, 0], 4), Q922Parse::Invalid);
        let mut s = String::new();
        q922_string(&mut s, &[0x04, 0x01]);
        s.push(' ');
        q922_string(&mut s, &[0x04]);
        s.push(' ');
        q922_string(&mut s, &[0x01]);
        assert_eq!(s, "DLCI 16 <Truncated> <Invalid DLCI>");
    }

    // DLCI 16, UI, NLPID IPv4, then an IPv4 header with protocol 253 and no payload.
    const IP_FRAME: &[u8] = &[
        0x04, 0x01, 0x03, 0xcc, 0x45, 0, 0, 20, 0, 1, 0, 0, 64, 253, 0, 0, 198, 18, 0, 1, 198, 18,
        0, 2,
    ];

    #[test]
    fn nlpid_ip_with_and_without_e() {
        let o = PrintOptions {
            no_checksum: true,
            ..Default::default()
        };
        assert_eq!(
            fr(o.clone(), IP_FRAME),
            "IP 198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
        assert_eq!(
            fr(
                PrintOptions {
                    link_header: true,
                    ..o.clone()
                },
                IP_FRAME
            ),
            "Q.922, hdr-len 2, DLCI 16, Flags [none], NLPID IPv4 (0xcc), length 24: \
             198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
        assert_eq!(
            fr(
                PrintOptions {
                    link_header: true,
                    quiet: true,
                    ..o
                },
                IP_FRAME
            ),
            "Q.922, DLCI 16, length 24: 198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
    }

    #[test]
    fn cisco_ethertype_and_unknown_nlpid() {
        // Cisco encapsulation: an IPv4 Ethernet type after the address.
        let mut d = vec![0x04, 0x01, 0x08, 0x00];
        d.extend_from_slice(&IP_FRAME[4..]);
        assert_eq!(
            fr(opts(0, true), &d),
            "Q.922, hdr-len 2, DLCI 16, Flags [none], cisco-ethertype IPv4 (0x0800), length 24: \
             198.18.0.1 > 198.18.0.2:  ip-proto-253 0\n"
        );
        // Not an Ethernet type; then a pad and an unknown NLPID, dumped.
        assert_eq!(
            fr(opts(0, false), &[0x04, 0x01, 0x11, 0x00, 0x77, 0xab]),
            "UI 11! Pad! Q.922, hdr-len 2, DLCI 16, Flags [none], NLPID unknown (0x77), \
             length 6: \n\t0x0000:  ab                                       .\n"
        );
        // A 3-octet address without its pad.
        assert_eq!(
            fr(opts(0, false), &[0x04, 0x00, 0x07, 0x03, 0x77]),
            "No pad! Q.922, hdr-len 3, DLCI 1025, Flags [sdlcore], NLPID unknown (0x77), \
             length 5: \n"
        );
        assert_eq!(
            fr(opts(0, false), &[0x05, 0x00, 0x00, 0x00]),
            "Q.922, invalid address\n"
        );
        assert_eq!(fr(opts(0, false), &[0x04, 0x01, 0x03]), " [|fr]\n");
    }

    #[test]
    fn frf15_fragment() {
        assert_eq!(
            fr(opts(0, false), &[0x04, 0x01, 0x03, 0xb1, 0xc1, 0x23]),
            "FRF.15, seq 0x023, Flags [Begin, End],Interface Fragmentation, length 2\n"
        );
        assert_eq!(
            fr(opts(0, false), &[0x04, 0x01, 0x03, 0xb1, 0x80]),
            " [|fr]\n"
        );
    }

    // LMI full status enquiry, ANSI (locking shift to codeset 5): report type, link verify.
    const LMI_ANSI: &[u8] = &[
        0x00, 0x01, 0x03, 0x08, 0x00, 0x75, 0x95, 0x01, 0x01, 0x00, 0x03, 0x02, 0x05, 0x04,
    ];

    #[test]
    fn q933_lmi() {
        assert_eq!(
            fr(opts(0, false), LMI_ANSI),
            "Q.933, ANSI, codeset 5, Status Enquiry, TX Seq:   5, RX Seq:   4, length 10\n"
        );
        assert_eq!(
            fr(opts(1, false), LMI_ANSI),
            "Q.933, ANSI, codeset 5, Status Enquiry (0x75), length 10\n\
             \tANSI Report Type IE (0x01), length 1: Full Status (0)\n\
             \tANSI Link Verify IE (0x03), length 2: TX Seq:   5, RX Seq:   4\n"
        );
        assert_eq!(
            fr(opts(2, false), LMI_ANSI),
            "Q.933, ANSI, codeset 5, Status Enquiry (0x75), length 10\n\
             \tANSI Report Type IE (0x01), length 1: Full Status (0)\n\t  0x0000:  00\n\
             \tANSI Link Verify IE (0x03), length 2: TX Seq:   5, RX Seq:   4\n\t  0x0000:  0504\n"
        );
        // CCITT PVC status (3-octet DLCI IE) with a call reference, and a truncated IE.
        let d = [
            0x00,
            0x01,
            0x03,
            0x08,
            0x01,
            0x5a,
            0x7d,
            0x57,
            0x03,
            0x01,
            0x80 | (6 << 3),
            0x8a,
        ];
        assert_eq!(
            fr(opts(0, false), &d),
            "Q.933, CCITT, codeset 0, Call Ref: 0x5a, Status Reply, DLCI 22: status New, \
             Active, length 8\n"
        );
        assert_eq!(
            fr(opts(0, false), &d[..11]),
            "Q.933, CCITT, codeset 0, Call Ref: 0x5a, Status Reply, length 7 [|q.933]\n"
        );
        assert_eq!(
            fr(opts(0, true), &d[..5]),
            "Q.922, hdr-len 2, DLCI 0, Flags [none], NLPID Q.933 (0x08), length 5: \
             length 1 [|q.933]\n"
        );
    }

    #[test]
    fn pvc_status_dlci_lengths() {
        assert_eq!(pvc_status_dlci(&[0x01, 0xb0, 0x82]), Some(22));
        assert_eq!(pvc_status_dlci(&[0x01, 0x30, 0x82]), None);
        assert_eq!(
            pvc_status_dlci(&[0x01, 0x30, 0x84, 0x82]),
            Some(22 << 6 | 2)
        );
        assert_eq!(pvc_status_dlci(&[0x01, 0xb0, 0x84, 0x82]), None);
        assert_eq!(pvc_status_dlci(&[0x81, 0x30, 0x82]), None);
        assert_eq!(pvc_status_dlci(&[0x01, 0x30]), None);
    }

    #[test]
    fn mfr_control_and_fragments() {
        // Hello with a magic number and a link ID.
        let d = [
            0xe1, 0x00, 0x04, 0x03, 0x06, 0xde, 0xad, 0xbe, 0xef, 0x02, 0x05, b'l', b'1', 0,
        ];
        assert_eq!(
            print_packet(opts(0, false), MFR, &d),
            "FRF.16 Control, Flags [Begin, End, Control], Hello, length 14\n"
        );
        assert_eq!(
            print_packet(opts(1, false), MFR, &d),
            "FRF.16 Control, Flags [Begin, End, Control], Hello, length 14\n\
             \tIE Magic Number (3), length 6: 0xdeadbeef\n\tIE Link ID (2), length 5: l1\n"
        );
        // A whole frame around an unknown NLPID; a middle fragment.
        assert_eq!(
            print_packet(opts(0, false), MFR, &[0xc0, 0x05, 0x04, 0x01, 0x03, 0x77]),
            "FRF.16 Frag, seq 5, Flags [Begin, End], Q.922, hdr-len 2, DLCI 16, Flags [none], \
             NLPID unknown (0x77), length 4: \n"
        );
        assert_eq!(
            print_packet(opts(0, false), MFR, &[0x02, 0x05, 0xaa, 0xbb]),
            "FRF.16 Frag, seq 261, Flags [none]\n\t0x0000:  0205 aabb\n"
        );
        assert_eq!(
            print_packet(opts(0, false), MFR, &[0x02, 0x05, 0xaa]),
            "[length 3 < 4] (invalid)\n"
        );
        assert_eq!(
            print_packets(opts(0, false), MFR, [(&[0x02, 0x05, 0xaa][..], 9)]),
            " [|mfr]\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut v = verbosities(3);
        v.push(opts(2, true));
        v.push(PrintOptions {
            quiet: true,
            link_header: true,
            ..Default::default()
        });
        for d in [
            IP_FRAME,
            LMI_ANSI,
            &[0x04, 0x00, 0x02, 0x05, 0x00, 0x03, 0x80],
        ] {
            assert_every_truncated_packet_is_safe(FRELAY, d, &v);
        }
        let mfr = [
            0xe1, 0x00, 0x04, 0x03, 0x06, 0xde, 0xad, 0xbe, 0xef, 0x05, 0x12, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0x06, 0xff,
        ];
        assert_every_truncated_packet_is_safe(MFR, &mfr, &v);
        assert_every_truncated_packet_is_safe(MFR, &[0xc0, 0x05, 0x04, 0x01, 0x03, 0xcc], &v);
    }
}
