//! OSI network layer: dispatch by NLPID (ISO/IEC TR 9577), CLNP (ISO 8473-1, ITU-T X.233) and
//! ES-IS (ISO 9542); tcpdump's print-isoclns.c. IS-IS (ISO 10589), the third protocol of that
//! file, lives in `isis.rs`; the NSAP and OSI checksum helpers here are shared with it.

use super::util_print::{print_unknown_data, print_unknown_data_at, tail};
use super::{Ctx, bittok2str, ip, ip6, isis, ppp, pr, tok};
use crate::cursor::{Bytes, PResult};
use std::fmt;

pub const NLPID_CLNP: u8 = 0x81;
pub const NLPID_ESIS: u8 = 0x82;
pub const NLPID_ISIS: u8 = 0x83;

pub const NLPID_VALUES: &[(u32, &str)] = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x09, "LMI"),
    (0x80, "SNAP"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0x84, "CONS"),
    (0x85, "IDRP"),
    (0xc1, "ISIS_SPB"),
    (0xb1, "FRF.15"),
    (0xcc, "IPv4"),
    (0xcf, "PPP"),
    (0x8a, "X25 ES-IS"),
    (0x8e, "IPv6"),
];

// ---------------------------------------------------------------------------------------------
// Helpers shared with IS-IS.

/// Longest NSAP (ISO 8348 Annex A): 20 octets.
const ISONSAP_MAX_LENGTH: usize = 20;

/// An NSAP or NET as tcpdump prints it: hex octets, a dot after the first and then after
/// every second one (`49.0001.1921.6800.1001.00`).
pub struct Nsap<'a>(pub &'a [u8]);

impl fmt::Display for Nsap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0;
        if a.is_empty() || a.len() > ISONSAP_MAX_LENGTH {
            return f.write_str("isonsap_string: illegal length");
        }
        for (i, b) in a.iter().enumerate() {
            write!(f, "{b:02x}")?;
            if i % 2 == 0 && i + 1 < a.len() {
                f.write_str(".")?;
            }
        }
        Ok(())
    }
}

/// `GET_ISONSAP_STRING`: the `len` bytes at `off`, which must be captured.
pub fn nsap_at(p: &[u8], off: usize, len: usize) -> PResult<Nsap<'_>> {
    Ok(Nsap(p.sub(off, len)?))
}

/// A link-layer address of another kind than Ethernet (`linkaddr_string`, LINKADDR_OTHER).
struct LinkAddr<'a>(&'a [u8]);

impl fmt::Display for LinkAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("<empty>");
        }
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// The Fletcher checksum of ISO 8473 Annex C over `data[..length]` with the two octets at
/// `off` counted as zero: the value those two octets must hold. The sums wrap like 32-bit
/// unsigned integers and the final reduction follows C's truncating remainder, because the
/// "should be" value tcpdump prints for a wrong checksum depends on both.
pub fn osi_cksum(data: &[u8], off: usize, length: usize) -> u16 {
    let (mut c0, mut c1) = (0u32, 0u32);
    for (i, &b) in data[..length].iter().enumerate() {
        if i != off && i != off + 1 {
            c0 = c0.wrapping_add(b as u32);
        }
        c1 = c1.wrapping_add(c0);
    }
    c0 %= 255;
    c1 %= 255;
    // X = (L - n - 1) * C0 - C1 and Y = C1 - (L - n) * C0, with n the 0-based offset.
    let mul = (length as u32).wrapping_sub(off as u32).wrapping_mul(c0);
    let mut x = mul.wrapping_sub(c0).wrapping_sub(c1) as i32;
    let mut y = c1.wrapping_sub(mul).wrapping_sub(1) as i32;
    if y >= 0 {
        y += 1;
    }
    if x < 0 {
        x -= 1;
    }
    x %= 255;
    y %= 255;
    if x == 0 {
        x = 255;
    }
    if y == 0 {
        y = 255;
    }
    (x.wrapping_shl(8) | (y & 0xff)) as u16
}

/// `osi_print_cksum`: ` (unverified)`, ` (correct)` or ` (incorrect should be 0x....)` for
/// the checksum at `off` of the `length` bytes starting at `start` of `p`. Unverified when the
/// checksum is zero (not computed, RFC 3358) or the bytes are not all captured.
pub fn print_cksum(ctx: &mut Ctx, p: &[u8], start: usize, cksum: u16, off: usize, length: u32) {
    let length = length as usize;
    let base = p.get(start..);
    match base {
        Some(b) if cksum != 0 && b.has(off, 2) && off <= length && b.has(0, length) => {
            let want = osi_cksum(b, off, length);
            if want == cksum {
                ctx.push(" (correct)");
            } else {
                pr!(ctx, " (incorrect should be 0x{:04x})", want);
            }
        }
        _ => ctx.push(" (unverified)"),
    }
}

/// The captured bytes from `off` in upper-case hex, as tcpdump dumps a header it refuses.
fn dump_upper(ctx: &mut Ctx, p: &[u8], off: usize) {
    for b in tail(p, off) {
        pr!(ctx, "{:02X}", b);
    }
}

// ---------------------------------------------------------------------------------------------
// Dispatch.

/// An OSI packet starting with its NLPID.
pub fn isoclns_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "isoclns";
    let nlpid = p.u8_at(0)?;
    if ctx.eflag() {
        pr!(
            ctx,
            "OSI NLPID {} (0x{:02x}): ",
            tok(NLPID_VALUES, nlpid as u32).unwrap_or("Unknown"),
            nlpid
        );
    }
    let sep = if ctx.eflag() { "" } else { ", " };
    match nlpid {
        NLPID_CLNP => {
            if !clnp_print(ctx, p, length)? {
                print_unknown_data(ctx, p, "\n\t", length as usize);
            }
        }
        NLPID_ESIS => esis_print(ctx, p, length)?,
        NLPID_ISIS => {
            if !isis::isis_print(ctx, p, length)? {
                print_unknown_data(ctx, p, "\n\t", length as usize);
            }
        }
        0x00 => pr!(ctx, "{}length: {}", sep, length),
        0x08 => super::fr::q933_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        0xcc => ip::ip_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        0x8e => ip6::ip6_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        0xcf => _ = ppp::ppp_print(ctx, tail(p, 1), length.saturating_sub(1))?,
        _ => {
            if !ctx.eflag() {
                pr!(ctx, "OSI NLPID 0x{:02x} unknown", nlpid);
            }
            pr!(ctx, "{}length: {}", sep, length);
            if length > 1 {
                print_unknown_data(ctx, p, "\n\t", length as usize);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// CLNP (ISO 8473-1).

const CLNP_VERSION: u8 = 1;
const CLNP_HDR_LEN: usize = 9;
const CLNP_SEGMENT_HDR_LEN: usize = 6;

const CLNP_PDU_ER: u8 = 1;
const CLNP_PDU_ERP: u8 = 31;

const CLNP_PDU_VALUES: &[(u32, &str)] = &[
    (1, "Error Report"),
    (29, "MD"),
    (28, "Data"),
    (30, "Echo Request"),
    (31, "Echo Response"),
];

const CLNP_SEGMENT_PART: u8 = 0x80;

const CLNP_FLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "Segmentation permitted"),
    (0x40, "more Segments"),
    (0x20, "request Error Report"),
];

const CLNP_OPTION_DISCARD_REASON: u8 = 193;
const CLNP_OPTION_QOS_MAINTENANCE: u8 = 195;
const CLNP_OPTION_SECURITY: u8 = 197;
const CLNP_OPTION_SOURCE_ROUTING: u8 = 200;
const CLNP_OPTION_ROUTE_RECORDING: u8 = 203;
const CLNP_OPTION_PADDING: u8 = 204;
const CLNP_OPTION_PRIORITY: u8 = 205;

const CLNP_OPTION_VALUES: &[(u32, &str)] = &[
    (193, "Discard Reason"),
    (205, "Priority"),
    (195, "QoS Maintenance"),
    (197, "Security"),
    (200, "Source Routing"),
    (203, "Route Recording"),
    (204, "Padding"),
];

/// Reason for discard, error classes (ISO 8473-1 section 7.5.5, the high nibble).
const CLNP_RFD_CLASS_VALUES: &[(u32, &str)] = &[
    (0x0, "General"),
    (0x8, "Address"),
    (0x9, "Source Routeing"),
    (0xa, "Lifetime"),
    (0xb, "PDU Discarded"),
    (0xc, "Reassembly"),
];

const CLNP_RFD_GENERAL_VALUES: &[(u32, &str)] = &[
    (0x0, "Reason not specified"),
    (0x1, "Protocol procedure error"),
    (0x2, "Incorrect checksum"),
    (0x3, "PDU discarded due to congestion"),
    (0x4, "Header syntax error (cannot be parsed)"),
    (0x5, "Segmentation needed but not permitted"),
    (0x6, "Incomplete PDU received"),
    (0x7, "Duplicate option"),
];

const CLNP_RFD_ADDRESS_VALUES: &[(u32, &str)] = &[
    (0x0, "Destination address unreachable"),
    (0x1, "Destination address unknown"),
];

const CLNP_RFD_SOURCE_ROUTEING_VALUES: &[(u32, &str)] = &[
    (0x0, "Unspecified source routeing error"),
    (0x1, "Syntax error in source routeing field"),
    (0x2, "Unknown address in source routeing field"),
    (0x3, "Path not acceptable"),
];

const CLNP_RFD_LIFETIME_VALUES: &[(u32, &str)] = &[
    (0x0, "Lifetime expired while data unit in transit"),
    (0x1, "Lifetime expired during reassembly"),
];

const CLNP_RFD_PDU_DISCARD_VALUES: &[(u32, &str)] = &[
    (0x0, "Unsupported option not specified"),
    (0x1, "Unsupported protocol version"),
    (0x2, "Unsupported security option"),
    (0x3, "Unsupported source routeing option"),
    (0x4, "Unsupported recording of route option"),
];

const CLNP_RFD_REASSEMBLY_VALUES: &[(u32, &str)] = &[(0x0, "Reassembly interference")];

/// The reason names of an error class.
fn rfd_reasons(class: u8) -> &'static [(u32, &'static str)] {
    match class {
        0x0 => CLNP_RFD_GENERAL_VALUES,
        0x8 => CLNP_RFD_ADDRESS_VALUES,
        0x9 => CLNP_RFD_SOURCE_ROUTEING_VALUES,
        0xa => CLNP_RFD_LIFETIME_VALUES,
        0xb => CLNP_RFD_PDU_DISCARD_VALUES,
        0xc => CLNP_RFD_REASSEMBLY_VALUES,
        _ => &[],
    }
}

const CLNP_OPTION_SCOPE_MASK: u8 = 0xc0;
const CLNP_OPTION_SCOPE_GLOBAL: u8 = 0xc0;

const CLNP_OPTION_SCOPE_VALUES: &[(u32, &str)] = &[
    (0x40, "Source Address Specific"),
    (0x80, "Destination Address Specific"),
    (0xc0, "Globally unique"),
];

const CLNP_OPTION_SR_RR_VALUES: &[(u32, &str)] = &[(0x0, "partial"), (0x1, "complete")];

const CLNP_OPTION_SR_RR_STRING_VALUES: &[(u32, &str)] = &[
    (200, "source routing"),
    (203, "recording of route in progress"),
];

const CLNP_OPTION_QOS_GLOBAL_VALUES: &[(u32, &str)] = &[
    (0x20, "reserved"),
    (0x10, "sequencing vs. delay"),
    (0x08, "congested"),
    (0x04, "delay vs. cost"),
    (0x02, "error vs. delay"),
    (0x01, "error vs. cost"),
];

/// How one CLNP header ended.
enum Clnp {
    /// The printer's verdict: `false` when the header was refused (the caller then dumps
    /// the PDU).
    Done(bool),
    /// An Error Report (or Echo Response) whose data part is the original PDU: print it
    /// from this offset with this length.
    Inner(usize, u32),
}

/// A CLNP PDU. Returns `Ok(false)` when the header is refused.
fn clnp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<bool> {
    // The original PDU inside an Error Report is printed in turn (iteratively: a crafted
    // packet may nest thousands of them).
    let (mut p, mut length, mut first) = (p, length, true);
    loop {
        match clnp_header_print(ctx, p, length)? {
            Clnp::Done(ok) => return Ok(ok || !first),
            Clnp::Inner(off, len) => {
                p = tail(p, off);
                length = len;
                first = false;
            }
        }
    }
}

fn clnp_header_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<Clnp> {
    ctx.protocol = "clnp";
    if !p.has(0, CLNP_HDR_LEN) {
        ctx.print_trunc();
        return Ok(Clnp::Done(true));
    }
    let li = p[1] as u32;
    if !ctx.eflag() {
        ctx.push("CLNP");
    }
    let version = p[2];
    if version != CLNP_VERSION {
        pr!(ctx, "version {} packet not supported", version);
        return Ok(Clnp::Done(false));
    }
    if li > length {
        pr!(ctx, " length indicator({}) > PDU size ({})!", li, length);
        return Ok(Clnp::Done(false));
    }
    if li < CLNP_HDR_LEN as u32 {
        pr!(ctx, " length indicator {} < min PDU size:", li);
        dump_upper(ctx, p, 0);
        return Ok(Clnp::Done(false));
    }
    let pdu_type = p[4] & 0x1f;
    let flags = p[4] & 0xe0;
    let mut off = CLNP_HDR_LEN;
    let mut li_rem = li - CLNP_HDR_LEN as u32;

    // Destination, then source address, each preceded by its length.
    let mut addr = [(0usize, 0usize); 2];
    for a in addr.iter_mut() {
        if li_rem < 1 {
            ctx.push("li < size of fixed part of CLNP header and addresses");
            return Ok(Clnp::Done(false));
        }
        let alen = p.u8_at(off)? as usize;
        off += 1;
        li_rem -= 1;
        if li_rem < alen as u32 {
            ctx.push("li < size of fixed part of CLNP header and addresses");
            return Ok(Clnp::Done(false));
        }
        if !p.has(off, alen) {
            ctx.print_trunc();
            return Ok(Clnp::Done(true));
        }
        *a = (off, alen);
        off += alen;
        li_rem -= alen as u32;
    }
    let [(dst_off, dst_len), (src_off, src_len)] = addr;
    let sep = if ctx.eflag() { "" } else { ", " };
    if ctx.vflag() < 1 {
        let (src, dst) = (nsap_at(p, src_off, src_len)?, nsap_at(p, dst_off, dst_len)?);
        pr!(ctx, "{}{} > {}, ", sep, src, dst);
        super::tok2str(ctx.out, CLNP_PDU_VALUES, "unknown ({})", pdu_type as u32);
        pr!(ctx, ", length {}", length);
        return Ok(Clnp::Done(true));
    }
    pr!(ctx, "{}length {}\n\t", sep, length);
    super::tok2str(ctx.out, CLNP_PDU_VALUES, "unknown ({})", pdu_type as u32);
    let lifetime = p[3];
    let cksum = p.be_u16(7)?;
    pr!(
        ctx,
        " PDU, hlen: {}, v: {}, lifetime: {}.{}s, Segment PDU length: {}, checksum: 0x{:04x}",
        li,
        version,
        lifetime / 2,
        (lifetime % 2) * 5,
        p.be_u16(5)?,
        cksum
    );
    print_cksum(ctx, p, 0, cksum, 7, li);
    ctx.push("\n\tFlags [");
    bittok2str(ctx.out, CLNP_FLAG_VALUES, "none", flags as u32, ", ");
    ctx.push("]");
    let (src, dst) = (nsap_at(p, src_off, src_len)?, nsap_at(p, dst_off, dst_len)?);
    pr!(
        ctx,
        "\n\tsource address (length {}): {}\n\tdest   address (length {}): {}",
        src_len,
        src,
        dst_len,
        dst
    );
    if flags & CLNP_SEGMENT_PART != 0 {
        if li_rem < CLNP_SEGMENT_HDR_LEN as u32 {
            ctx.push("li < size of fixed part of CLNP header, addresses, and segment part");
            return Ok(Clnp::Done(false));
        }
        if !p.has(off, CLNP_SEGMENT_HDR_LEN) {
            ctx.print_trunc();
            return Ok(Clnp::Done(true));
        }
        pr!(
            ctx,
            "\n\tData Unit ID: 0x{:04x}, Segment Offset: {}, Total PDU Length: {}",
            p.be_u16(off)?,
            p.be_u16(off + 2)?,
            p.be_u16(off + 4)?
        );
        off += CLNP_SEGMENT_HDR_LEN;
        li_rem -= CLNP_SEGMENT_HDR_LEN as u32;
    }

    while li_rem != 0 {
        if li_rem < 2 {
            ctx.push(", bad opts/li");
            return Ok(Clnp::Done(false));
        }
        let op = p.u8_at(off)?;
        let opli = p.u8_at(off + 1)? as usize;
        off += 2;
        li_rem -= 2;
        if opli as u32 > li_rem {
            pr!(ctx, ", opt ({}) too long", op);
            return Ok(Clnp::Done(false));
        }
        if !p.has(off, opli) {
            ctx.print_trunc();
            return Ok(Clnp::Done(true));
        }
        li_rem -= opli as u32;
        let v = &p[off..off + opli];
        pr!(
            ctx,
            "\n\t  {} Option #{}, length {}, value: ",
            tok(CLNP_OPTION_VALUES, op as u32).unwrap_or("Unknown"),
            op,
            opli
        );
        if !clnp_option_print(ctx, op, v)? {
            return Ok(Clnp::Done(false));
        }
        if ctx.vflag() > 1 {
            print_unknown_data(ctx, v, "\n\t  ", opli);
        }
        off += opli;
    }

    if matches!(pdu_type, CLNP_PDU_ER | CLNP_PDU_ERP) && p.u8_at(off)? == NLPID_CLNP {
        ctx.push("\n\t-----original packet-----\n\t");
        return Ok(Clnp::Inner(off, length - li));
    }
    if length as usize > off {
        pr!(
            ctx,
            "\n\t  undecoded non-header data, length {}",
            length - li
        );
        print_unknown_data_at(ctx, p, off, "\n\t  ", length as usize - off);
    }
    Ok(Clnp::Done(true))
}

/// The value of one CLNP option (all of it captured). `Ok(false)`: too short, the header
/// is refused.
fn clnp_option_print(ctx: &mut Ctx, op: u8, v: &[u8]) -> PResult<bool> {
    let bad_len = |ctx: &mut Ctx| {
        ctx.push(", bad opt len");
        Ok(false)
    };
    match op {
        CLNP_OPTION_ROUTE_RECORDING | CLNP_OPTION_SOURCE_ROUTING => {
            if v.len() < 2 {
                return bad_len(ctx);
            }
            ctx.push(tok(CLNP_OPTION_SR_RR_VALUES, v[0] as u32).unwrap_or("Unknown"));
            ctx.push(" ");
            super::tok2str(
                ctx.out,
                CLNP_OPTION_SR_RR_STRING_VALUES,
                "Unknown Option {}",
                op as u32,
            );
            let nsap_offset = v[1] as usize;
            if nsap_offset == 0 {
                ctx.push(" Bad NSAP offset (0)");
                return Ok(true);
            }
            // The offset counts from 1 and from the start of the parameter value.
            let list = nsap_offset - 1;
            if list > v.len() {
                ctx.push(" Bad NSAP offset (past end of option)");
                return Ok(true);
            }
            // tcpdump prints the first address of the list once per entry it walks.
            let mut tlen = v.len() - list;
            while tlen > 0 {
                let alen = v.u8_at(list)? as usize;
                if tlen < alen + 1 {
                    ctx.push("\n\t    NSAP address goes past end of option");
                    break;
                }
                if alen > 0 {
                    let a = nsap_at(v, list + 1, alen)?;
                    pr!(ctx, "\n\t    NSAP address (length {}): {}", alen, a);
                }
                tlen -= alen + 1;
            }
        }
        CLNP_OPTION_PRIORITY => {
            if v.is_empty() {
                return bad_len(ctx);
            }
            pr!(ctx, "0x{:x}", v[0] & 0x0f);
        }
        CLNP_OPTION_QOS_MAINTENANCE => {
            if v.is_empty() {
                return bad_len(ctx);
            }
            let scope = v[0] & CLNP_OPTION_SCOPE_MASK;
            pr!(
                ctx,
                "\n\t    Format Code: {}",
                tok(CLNP_OPTION_SCOPE_VALUES, scope as u32).unwrap_or("Reserved")
            );
            if scope == CLNP_OPTION_SCOPE_GLOBAL {
                ctx.push("\n\t    QoS Flags [");
                bittok2str(
                    ctx.out,
                    CLNP_OPTION_QOS_GLOBAL_VALUES,
                    "none",
                    (v[0] & 0x3f) as u32,
                    ", ",
                );
                ctx.push("]");
            }
        }
        CLNP_OPTION_SECURITY => {
            if v.len() < 2 {
                return bad_len(ctx);
            }
            pr!(
                ctx,
                "\n\t    Format Code: {}, Security-Level {}",
                tok(
                    CLNP_OPTION_SCOPE_VALUES,
                    (v[0] & CLNP_OPTION_SCOPE_MASK) as u32
                )
                .unwrap_or("Reserved"),
                v[1]
            );
        }
        CLNP_OPTION_DISCARD_REASON => {
            if v.is_empty() {
                return bad_len(ctx);
            }
            let (major, minor) = (v[0] >> 4, v[0] & 0x0f);
            pr!(
                ctx,
                "\n\t    Class: {} Error (0x{:x}), {} (0x{:x})",
                tok(CLNP_RFD_CLASS_VALUES, major as u32).unwrap_or("Unknown"),
                major,
                tok(rfd_reasons(major), minor as u32).unwrap_or("Unknown"),
                minor
            );
        }
        CLNP_OPTION_PADDING => ctx.push("padding data"),
        _ => print_unknown_data(ctx, v, "\n\t  ", v.len()),
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// ES-IS (ISO 9542).

const ESIS_VERSION: u8 = 1;
const ESIS_HDR_LEN: usize = 9;

const ESIS_PDU_REDIRECT: u8 = 6;
const ESIS_PDU_ESH: u8 = 2;
const ESIS_PDU_ISH: u8 = 4;

const ESIS_PDU_VALUES: &[(u32, &str)] = &[(6, "redirect"), (2, "ESH"), (4, "ISH")];

const ESIS_OPTION_PROTOCOLS: u8 = 129;
const ESIS_OPTION_ES_CONF_TIME: u8 = 198;

const ESIS_OPTION_VALUES: &[(u32, &str)] = &[
    (129, "Protocols supported"),
    (195, "QoS Maintenance"),
    (197, "Security"),
    (198, "ES Configuration Time"),
    (205, "Priority"),
    // sic: tcpdump's spelling.
    (225, "Addressk Mask"),
    (226, "SNPA Mask"),
];

/// An ES-IS PDU.
fn esis_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "esis";
    if !ctx.eflag() {
        ctx.push("ES-IS");
    }
    if length <= 2 {
        ctx.push(if ctx.qflag() {
            "bad pkt!"
        } else {
            "no header at all!"
        });
        return Ok(());
    }
    if !p.has(0, ESIS_HDR_LEN) {
        ctx.print_trunc();
        return Ok(());
    }
    let mut li = p[1] as u32;
    if p[0] != NLPID_ESIS {
        pr!(ctx, " nlpid 0x{:02x} packet not supported", p[0]);
        return Ok(());
    }
    let version = p[2];
    if version != ESIS_VERSION {
        pr!(ctx, " version {} packet not supported", version);
        return Ok(());
    }
    if li > length {
        pr!(ctx, " length indicator({}) > PDU size ({})!", li, length);
        return Ok(());
    }
    if li < ESIS_HDR_LEN as u32 + 2 {
        pr!(ctx, " length indicator {} < min PDU size:", li);
        dump_upper(ctx, p, 0);
        return Ok(());
    }
    let pdu_type = p[4] & 0x1f;
    let sep = if ctx.eflag() { "" } else { ", " };
    if ctx.vflag() < 1 {
        ctx.push(sep);
        super::tok2str(
            ctx.out,
            ESIS_PDU_VALUES,
            "unknown type ({})",
            pdu_type as u32,
        );
        pr!(ctx, ", length {}", length);
        return Ok(());
    }
    pr!(ctx, "{}length {}\n\t", sep, length);
    super::tok2str(
        ctx.out,
        ESIS_PDU_VALUES,
        "unknown type: {}",
        pdu_type as u32,
    );
    pr!(ctx, " ({}), v: {}", pdu_type, version);
    let cksum = p.be_u16(7)?;
    pr!(ctx, ", checksum: 0x{:04x}", cksum);
    print_cksum(ctx, p, 0, cksum, 7, li);
    pr!(
        ctx,
        ", holding time: {}s, length indicator: {}",
        p.be_u16(5)?,
        li
    );
    if ctx.vflag() > 1 {
        print_unknown_data(ctx, p, "\n\t", ESIS_HDR_LEN);
    }
    let mut off = ESIS_HDR_LEN;
    li -= ESIS_HDR_LEN as u32;

    // A length octet and that many octets, all captured and inside the header; `None`
    // after printing why not.
    let field = |ctx: &mut Ctx, off: &mut usize, li: &mut u32, what: &str| -> Option<usize> {
        if !p.has(*off, 1) {
            ctx.print_trunc();
            return None;
        }
        if *li < 1 {
            pr!(ctx, ", bad {}/li", what);
            return None;
        }
        let n = p[*off] as usize;
        *off += 1;
        *li -= 1;
        if !p.has(*off, n) {
            ctx.print_trunc();
            return None;
        }
        if (*li as usize) < n {
            pr!(ctx, ", bad {}/li", what);
            return None;
        }
        Some(n)
    };

    match pdu_type {
        ESIS_PDU_REDIRECT => {
            let Some(dstl) = field(ctx, &mut off, &mut li, "redirect") else {
                return Ok(());
            };
            pr!(ctx, "\n\t  {}", nsap_at(p, off, dstl)?);
            off += dstl;
            li -= dstl as u32;
            let Some(snpal) = field(ctx, &mut off, &mut li, "redirect") else {
                return Ok(());
            };
            let snpa = off;
            off += snpal;
            li -= snpal as u32;
            // The NET's length octet is not taken off `li` (as in tcpdump).
            if !p.has(off, 1) {
                ctx.print_trunc();
                return Ok(());
            }
            if li < 1 {
                ctx.push(", bad redirect/li");
                return Ok(());
            }
            let netal = p[off] as usize;
            off += 1;
            if !p.has(off, netal) {
                ctx.print_trunc();
                return Ok(());
            }
            if (li as usize) < netal {
                ctx.push(", bad redirect/li");
                return Ok(());
            }
            let neta = off;
            off += netal;
            li -= netal as u32;
            let s = p.sub(snpa, snpal)?;
            if snpal == 6 {
                pr!(
                    ctx,
                    "\n\t  SNPA (length: {}): {}",
                    snpal,
                    crate::addr::Mac(s)
                );
            } else {
                pr!(ctx, "\n\t  SNPA (length: {}): {}", snpal, LinkAddr(s));
            }
            if netal != 0 {
                pr!(
                    ctx,
                    "\n\t  NET (length: {}) {}",
                    netal,
                    nsap_at(p, neta, netal)?
                );
            }
        }
        ESIS_PDU_ESH => {
            if !p.has(off, 1) {
                ctx.print_trunc();
                return Ok(());
            }
            if li < 1 {
                ctx.push(", bad esh/li");
                return Ok(());
            }
            let mut count = p[off];
            off += 1;
            li -= 1;
            pr!(ctx, "\n\t  Number of Source Addresses: {}", count);
            while count > 0 {
                let Some(n) = field(ctx, &mut off, &mut li, "esh") else {
                    return Ok(());
                };
                pr!(ctx, "\n\t  NET (length: {}): {}", n, nsap_at(p, off, n)?);
                off += n;
                li -= n as u32;
                count -= 1;
            }
        }
        ESIS_PDU_ISH => {
            let Some(n) = field(ctx, &mut off, &mut li, "ish") else {
                return Ok(());
            };
            pr!(ctx, "\n\t  NET (length: {}): {}", n, nsap_at(p, off, n)?);
            off += n;
            li -= n as u32;
        }
        _ => {
            if ctx.vflag() <= 1 && p.has(off, 1) {
                let rest = tail(p, off);
                print_unknown_data(ctx, rest, "\n\t  ", rest.len());
            }
            return Ok(());
        }
    }

    while li != 0 {
        if li < 2 {
            ctx.push(", bad opts/li");
            return Ok(());
        }
        let op = p.u8_at(off)?;
        let mut opli = p.u8_at(off + 1)? as usize;
        off += 2;
        li -= 2;
        if opli as u32 > li {
            pr!(ctx, ", opt ({}) too long", op);
            return Ok(());
        }
        li -= opli as u32;
        pr!(
            ctx,
            "\n\t  {} Option #{}, length {}, value: ",
            tok(ESIS_OPTION_VALUES, op as u32).unwrap_or("Unknown"),
            op,
            opli
        );
        match op {
            ESIS_OPTION_ES_CONF_TIME => {
                if opli == 2 {
                    if !p.has(off, 2) {
                        ctx.print_trunc();
                        return Ok(());
                    }
                    pr!(ctx, "{}s", p.be_u16(off)?);
                } else {
                    ctx.push("(bad length)");
                }
            }
            ESIS_OPTION_PROTOCOLS => {
                // tcpdump counts `opli` down here, so the -vv dump below and the step to the
                // next option see a zero length.
                let mut t = off;
                while opli > 0 {
                    let n = p.u8_at(t)?;
                    pr!(
                        ctx,
                        "{} (0x{:02x})",
                        tok(NLPID_VALUES, n as u32).unwrap_or("unknown"),
                        n
                    );
                    if opli > 1 {
                        ctx.push(", ");
                    }
                    t += 1;
                    opli -= 1;
                }
            }
            _ => {
                print_unknown_data_at(ctx, p, off, "\n\t  ", opli);
            }
        }
        if ctx.vflag() > 1 {
            print_unknown_data_at(ctx, p, off, "\n\t  ", opli);
        }
        off += opli;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], v: u8, e: bool) -> String {
        run_len(p, p.len() as u32, v, e)
    }

    /// `p` captured of a PDU of `length` octets.
    fn run_len(p: &[u8], length: u32, v: u8, e: bool) -> String {
        run_marked(&opts(v, e), |ctx| isoclns_print(ctx, p, length))
    }

    #[test]
    fn unknown_and_null() {
        assert_eq!(
            run(&[0xfe, 0x7f], 0, false),
            "OSI NLPID 0xfe unknown, length: 2\n\t0x0000:  fe7f"
        );
        assert_eq!(
            run(&[0xfe, 0x7f], 0, true),
            "OSI NLPID Unknown (0xfe): length: 2\n\t0x0000:  fe7f"
        );
        assert_eq!(run(&[0x00], 0, false), ", length: 1");
        assert_eq!(run(&[], 0, false), " [|isoclns]");
    }

    #[test]
    fn nsap_format() {
        assert_eq!(
            Nsap(&[0x49, 0, 1, 0x19, 0x21, 0x68, 0, 0x10, 0x01, 0]).to_string(),
            "49.0001.1921.6800.1001.00"
        );
        assert_eq!(Nsap(&[0x30, 0x30, 0x30]).to_string(), "30.3030");
        assert_eq!(Nsap(&[]).to_string(), "isonsap_string: illegal length");
        assert_eq!(Nsap(&[0; 21]).to_string(), "isonsap_string: illegal length");
    }

    #[test]
    fn checksum_verifies_and_proposes() {
        // A header with checksum bytes at 7..9 filled with the computed value checks out.
        let mut h = [0x82u8, 0x0d, 1, 0, 4, 0, 30, 0, 0, 3, 0x49, 0, 1];
        let c = osi_cksum(&h, 7, h.len());
        h[7..9].copy_from_slice(&c.to_be_bytes());
        let (out, _) = crate::proto::testutil::run_with(&opts(0, false), |ctx| {
            print_cksum(ctx, &h, 0, c, 7, h.len() as u32);
            print_cksum(ctx, &h, 0, c ^ 1, 7, h.len() as u32);
            print_cksum(ctx, &h, 0, 0, 7, h.len() as u32);
            print_cksum(ctx, &h, 0, c, 7, h.len() as u32 + 1);
        });
        assert_eq!(
            out,
            format!(" (correct) (incorrect should be 0x{c:04x}) (unverified) (unverified)")
        );
        // ISO 8473 Annex C: the sums over the whole PDU are both zero mod 255.
        let (mut c0, mut c1) = (0u32, 0u32);
        for &b in &h {
            c0 = (c0 + b as u32) % 255;
            c1 = (c1 + c0) % 255;
        }
        assert_eq!((c0, c1), (0, 0));
    }

    // ES-IS ISH: NET 49.0001.1921.6800.1001.00, holding time 30s.
    const ISH: &[u8] = &[
        0x82, 0x14, 0x01, 0x00, 0x04, 0x00, 0x1e, 0x00, 0x00, 0x0a, 0x49, 0x00, 0x01, 0x19, 0x21,
        0x68, 0x00, 0x10, 0x01, 0x00,
    ];

    #[test]
    fn esis_ish() {
        assert_eq!(run(ISH, 0, false), "ES-IS, ISH, length 20");
        assert_eq!(
            run(ISH, 1, false),
            "ES-IS, length 20\n\tISH (4), v: 1, checksum: 0x0000 (unverified), holding time: \
             30s, length indicator: 20\n\t  NET (length: 10): 49.0001.1921.6800.1001.00"
        );
        assert_eq!(
            run_len(&ISH[..12], 20, 1, false),
            "ES-IS, length 20\n\tISH (4), v: 1, checksum: 0x0000 (unverified), holding time: \
             30s, length indicator: 20 [|esis]"
        );
    }

    // CLNP Echo Request from 49.0001.0000.0000.0001.00 to 49.0001.0000.0000.0002.00 with a
    // priority option and 4 data bytes.
    const ERQ: &[u8] = &[
        0x81, 0x22, 0x01, 0x3c, 0x1e, 0x00, 0x26, 0x00, 0x00, 0x0a, 0x49, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x02, 0x00, 0x0a, 0x49, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x00, 0xcd, 0x01, 0x05, 0xde, 0xad, 0xbe, 0xef,
    ];

    #[test]
    fn clnp_echo_request() {
        assert_eq!(
            run(ERQ, 0, false),
            "CLNP, 49.0001.0000.0000.0001.00 > 49.0001.0000.0000.0002.00, Echo Request, length 38"
        );
        assert_eq!(
            run(ERQ, 2, false),
            "CLNP, length 38\n\tEcho Request PDU, hlen: 34, v: 1, lifetime: 30.0s, Segment PDU \
             length: 38, checksum: 0x0000 (unverified)\n\tFlags [none]\
             \n\tsource address (length 10): 49.0001.0000.0000.0001.00\
             \n\tdest   address (length 10): 49.0001.0000.0000.0002.00\
             \n\t  Priority Option #205, length 1, value: 0x5\n\t  0x0000:  05\
             \n\t  undecoded non-header data, length 4\n\t  0x0000:  dead beef"
        );
        // A refused header: the PDU is dumped.
        let mut bad = ERQ.to_vec();
        bad[32] = 9;
        assert_eq!(
            run(&bad, 1, true),
            "OSI NLPID CLNP (0x81): length 38\n\tEcho Request PDU, hlen: 34, v: 1, lifetime: \
             30.0s, Segment PDU length: 38, checksum: 0x0000 (unverified)\n\tFlags [none]\
             \n\tsource address (length 10): 49.0001.0000.0000.0001.00\
             \n\tdest   address (length 10): 49.0001.0000.0000.0002.00, opt (205) too long\
             \n\t0x0000:  8122 013c 1e00 2600 000a 4900 0100 0000\
             \n\t0x0010:  0000 0200 0a49 0001 0000 0000 0001 00cd\
             \n\t0x0020:  0905 dead beef"
        );
    }

    #[test]
    fn clnp_error_report_nests() {
        // An Error Report whose data is the Echo Request above.
        let mut er = ERQ[..34].to_vec();
        er[4] = 0x01;
        er.extend_from_slice(ERQ);
        let out = run(&er, 1, false);
        assert!(
            out.contains(
                "value: 0x5\n\t-----original packet-----\n\tCLNP, length 38\n\tEcho Request"
            ),
            "{out}"
        );
        // Deep nesting does not overflow the stack.
        let mut deep = Vec::new();
        for _ in 0..20000 {
            deep.extend_from_slice(&er[..34]);
        }
        let out = run(&deep, 1, false);
        assert_eq!(out.matches("-----original packet-----").count(), 19999);
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [ISH, ERQ] {
            assert_every_truncation_is_safe(pkt, &verbosities(3), |ctx, p| {
                isoclns_print(ctx, p, pkt.len() as u32)
            });
        }
    }
}
