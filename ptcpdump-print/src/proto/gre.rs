//! GRE, Generic Routing Encapsulation (RFC 1701, RFC 2784, RFC 2890) and the enhanced GRE of
//! PPTP (RFC 2637 section 4.1); tcpdump's print-gre.c.
//!
//! ```text
//! |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
//! |      Checksum (optional)      |       Offset (optional)       |
//! |                         Key (optional)                        |
//! |                 Sequence Number (optional)                    |
//! |                         Routing (optional)                    |
//! ```
//! In version 1 the key holds the payload length and the call ID, and an acknowledgment number
//! may follow the sequence number.

use super::util_print::{avail, tail};
use super::{Ctx, bittok2str, ether, ip, ip6, isoclns, mpls, ppp, pr, tok};
use crate::cursor::{Bytes, PResult, Truncated};

const GRE_CP: u16 = 0x8000;
const GRE_RP: u16 = 0x4000;
const GRE_KP: u16 = 0x2000;
const GRE_SP: u16 = 0x1000;
const GRE_AP: u16 = 0x0080;
const GRE_VERS_MASK: u16 = 0x0007;

const GRE_FLAG_VALUES: &[(u32, &str)] = &[
    (0x8000, "checksum present"),
    (0x4000, "routing present"),
    (0x2000, "key present"),
    (0x1000, "sequence# present"),
    (0x0800, "source routing present"),
    (0x0080, "ack present"),
];

const GRESRE_IP: u16 = 0x0800;
const GRESRE_ASN: u16 = 0xfffe;

const ETHERTYPE_IP: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_MPLS: u16 = 0x8847;
const ETHERTYPE_TEB: u16 = 0x6558;
const ETHERTYPE_PPP: u16 = 0x880b;
const ETHERTYPE_GRE_ISO: u16 = 0x00fe;

/// A GRE packet (IP protocol 47).
pub fn gre_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "gre";
    if p.len() < 2 || length < 2 {
        ctx.print_trunc();
        return Ok(());
    }
    let vers = p.be_u16(0)? & GRE_VERS_MASK;
    pr!(ctx, "GREv{}", vers);
    let r = match vers {
        0 => gre_print_0(ctx, p, length),
        1 => gre_print_1(ctx, p, length),
        _ => {
            ctx.push(" ERROR: unknown-version");
            Ok(())
        }
    };
    match r {
        Err(Local) => {
            ctx.print_trunc();
            Ok(())
        }
        Ok(()) => Ok(()),
        Err(Nested(e)) => Err(e),
    }
}

/// Why a GRE printer stopped: its own `trunc:` label, or a truncation in the payload's
/// printer (which the top level reports).
enum Stop {
    Local,
    Nested(Truncated),
}
use Stop::{Local, Nested};

impl From<Truncated> for Stop {
    fn from(_: Truncated) -> Self {
        Local
    }
}

/// Reads a field of `n` bytes at `off` that must be both captured and within `len`.
fn need(p: &[u8], off: usize, n: usize, len: u32) -> Result<(), Stop> {
    if !p.has(off, n) || (len as usize) < n {
        return Err(Local);
    }
    Ok(())
}

fn proto_name(prot: u16) -> &'static str {
    tok(ether::ETHERTYPE_VALUES, prot as u32).unwrap_or("unknown")
}

fn gre_print_0(ctx: &mut Ctx, p: &[u8], length: u32) -> Result<(), Stop> {
    let mut len = length;
    let flags = p.be_u16(0)?;
    if ctx.vflag() > 0 {
        ctx.push(", Flags [");
        bittok2str(ctx.out, GRE_FLAG_VALUES, "none", flags as u32, ", ");
        ctx.push("]");
    }
    len -= 2;
    let mut off = 2;
    need(p, off, 2, len)?;
    let prot = p.be_u16(off)?;
    len -= 2;
    off += 2;

    if flags & (GRE_CP | GRE_RP) != 0 {
        need(p, off, 2, len)?;
        if ctx.vflag() > 0 {
            pr!(ctx, ", sum 0x{:x}", p.be_u16(off)?);
        }
        off += 2;
        len -= 2;
        need(p, off, 2, len)?;
        pr!(ctx, ", off 0x{:x}", p.be_u16(off)?);
        off += 2;
        len -= 2;
    }
    if flags & GRE_KP != 0 {
        need(p, off, 4, len)?;
        pr!(ctx, ", key=0x{:x}", p.be_u32(off)?);
        off += 4;
        len -= 4;
    }
    if flags & GRE_SP != 0 {
        need(p, off, 4, len)?;
        pr!(ctx, ", seq {}", p.be_u32(off)?);
        off += 4;
        len -= 4;
    }
    if flags & GRE_RP != 0 {
        loop {
            need(p, off, 4, len)?;
            let af = p.be_u16(off)?;
            let sreoff = p.u8_at(off + 2)?;
            let srelen = p.u8_at(off + 3)?;
            off += 4;
            len -= 4;
            if af == 0 && srelen == 0 {
                break;
            }
            if !sre_print(ctx, af, sreoff, srelen, tail(p, off), len) {
                return Err(Local);
            }
            if len < srelen as u32 {
                return Err(Local);
            }
            off += srelen as usize;
            len -= srelen as u32;
        }
    }
    if ctx.eflag() {
        pr!(ctx, ", proto {} (0x{:04x})", proto_name(prot), prot);
    }
    pr!(ctx, ", length {}", length);
    if ctx.vflag() < 1 {
        ctx.push(": ");
    } else {
        ctx.push("\n\t");
    }
    let rest = tail(p, off);
    let r = match prot {
        ETHERTYPE_IP => ip::ip_print(ctx, rest, len),
        ETHERTYPE_IPV6 => ip6::ip6_print(ctx, rest, len),
        ETHERTYPE_MPLS => mpls::mpls_print(ctx, rest, len),
        ETHERTYPE_TEB => ether::ether_print(ctx, rest, len, avail(p, off)).map(|_| ()),
        ETHERTYPE_GRE_ISO => isoclns::isoclns_print(ctx, rest, len),
        _ => {
            pr!(ctx, "gre-proto-0x{:x}", prot);
            Ok(())
        }
    };
    r.map_err(Nested)
}

fn gre_print_1(ctx: &mut Ctx, p: &[u8], length: u32) -> Result<(), Stop> {
    let mut len = length;
    let flags = p.be_u16(0)?;
    len -= 2;
    let mut off = 2;
    if ctx.vflag() > 0 {
        ctx.push(", Flags [");
        bittok2str(ctx.out, GRE_FLAG_VALUES, "none", flags as u32, ", ");
        ctx.push("]");
    }
    need(p, off, 2, len)?;
    let prot = p.be_u16(off)?;
    len -= 2;
    off += 2;
    if flags & GRE_KP != 0 {
        need(p, off, 4, len)?;
        let k = p.be_u32(off)?;
        pr!(ctx, ", call {}", k & 0xffff);
        len -= 4;
        off += 4;
    }
    if flags & GRE_SP != 0 {
        need(p, off, 4, len)?;
        pr!(ctx, ", seq {}", p.be_u32(off)?);
        off += 4;
        len -= 4;
    }
    if flags & GRE_AP != 0 {
        need(p, off, 4, len)?;
        pr!(ctx, ", ack {}", p.be_u32(off)?);
        off += 4;
        len -= 4;
    }
    if flags & GRE_SP == 0 {
        ctx.push(", no-payload");
    }
    if ctx.eflag() {
        pr!(ctx, ", proto {} (0x{:04x})", proto_name(prot), prot);
    }
    pr!(ctx, ", length {}", length);
    if flags & GRE_SP == 0 {
        return Ok(());
    }
    if ctx.vflag() < 1 {
        ctx.push(": ");
    } else {
        ctx.push("\n\t");
    }
    match prot {
        ETHERTYPE_PPP => ppp::ppp_print(ctx, tail(p, off), len)
            .map(|_| ())
            .map_err(Nested),
        _ => {
            pr!(ctx, "gre-proto-0x{:x}", prot);
            Ok(())
        }
    }
}

/// A source route entry; false when it ran past the data (tcpdump's `trunc` return).
fn sre_print(ctx: &mut Ctx, af: u16, sreoff: u8, srelen: u8, p: &[u8], len: u32) -> bool {
    match af {
        GRESRE_IP => {
            ctx.push(", (rtaf=ip");
            let ret = sre_ip_print(ctx, sreoff, srelen, p, len);
            ctx.push(")");
            ret
        }
        GRESRE_ASN => {
            ctx.push(", (rtaf=asn");
            let ret = sre_asn_print(ctx, sreoff, srelen, p, len);
            ctx.push(")");
            ret
        }
        _ => {
            pr!(ctx, ", (rtaf=0x{:x})", af);
            true
        }
    }
}

fn sre_ip_print(ctx: &mut Ctx, sreoff: u8, srelen: u8, p: &[u8], len: u32) -> bool {
    sre_entries_print(ctx, sreoff, srelen, p, len, 4, |ctx, a| ctx.ip(a))
}

fn sre_asn_print(ctx: &mut Ctx, sreoff: u8, srelen: u8, p: &[u8], len: u32) -> bool {
    sre_entries_print(ctx, sreoff, srelen, p, len, 2, |ctx, a| {
        pr!(ctx, "{:x}", u16::from_be_bytes([a[0], a[1]]))
    })
}

/// The entries of a source route entry, `size` bytes each, the one at `sreoff` starred;
/// `entry` prints one. False when they ran past the data.
fn sre_entries_print(
    ctx: &mut Ctx,
    sreoff: u8,
    srelen: u8,
    p: &[u8],
    len: u32,
    size: u8,
    mut entry: impl FnMut(&mut Ctx, &[u8]),
) -> bool {
    if !sreoff.is_multiple_of(size) {
        pr!(ctx, ", badoffset={}", sreoff);
        return true;
    }
    if !srelen.is_multiple_of(size) {
        pr!(ctx, ", badlength={}", srelen);
        return true;
    }
    if sreoff >= srelen {
        pr!(ctx, ", badoff/len={}/{}", sreoff, srelen);
        return true;
    }
    let (mut off, mut len, mut srelen) = (0usize, len, srelen);
    let n = size as usize;
    while srelen != 0 {
        if !p.has(off, n) || len < size as u32 {
            return false;
        }
        ctx.push(if off == sreoff as usize { " *" } else { " " });
        entry(ctx, &p[off..off + n]);
        off += n;
        len -= size as u32;
        srelen -= size;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with};

    fn run(p: &[u8], verbose: u8, e: bool) -> (String, PResult) {
        run_with(&opts(verbose, e), |ctx| gre_print(ctx, p, p.len() as u32))
    }

    // Key and sequence present, unknown payload protocol 0x1234.
    const KS: &[u8] = &[0x30, 0x00, 0x12, 0x34, 0, 0, 0x12, 0x34, 0, 0, 0, 42];
    // Checksum and routing present with an unknown address family, then the end entry.
    const RT: &[u8] = &[
        0xc0, 0, 0x12, 0x34, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0, 0,
    ];

    #[test]
    fn version_0() {
        assert_eq!(
            run(KS, 0, false).0,
            "GREv0, key=0x1234, seq 42, length 12: gre-proto-0x1234"
        );
        assert_eq!(
            run(KS, 1, true).0,
            "GREv0, Flags [key present, sequence# present], key=0x1234, seq 42, \
             proto unknown (0x1234), length 12\n\tgre-proto-0x1234"
        );
        assert_eq!(
            run(&RT[..8], 1, false).0,
            "GREv0, Flags [checksum present, routing present], sum 0x3030, off 0x3030 [|gre]"
        );
    }

    #[test]
    fn version_1_without_sequence_has_no_payload() {
        let p = [0x20, 0x01, 0x88, 0x0b, 0, 0, 0, 7];
        assert_eq!(run(&p, 0, false).0, "GREv1, call 7, no-payload, length 8");
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [KS, RT] {
            assert_every_truncation_is_safe(pkt, &[opts(0, false), opts(1, true)], |ctx, p| {
                gre_print(ctx, p, p.len() as u32)
            });
        }
    }
}
