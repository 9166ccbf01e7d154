//! Pragmatic General Multicast, PGM (RFC 3208: header section 8, packet types 8.1 to 8.5,
//! options section 9; PGMCC options from RFC 3208's successor drafts); tcpdump's print-pgm.c.
//! IP protocol 113, and UDP with `-T pgm` (Encapsulated PGM).
//!
//! ```text
//! header: source port(2) destination port(2) type(1) options(1) checksum(2)
//!         global source ID(6) TSDU length(2), then the type's fields, then options
//! option: type(1, bit 7 = last) length(1) reserved(2)...
//! ```
//!
//! tcpdump's quirks are kept: options after an SPMR or an unknown type are read from the start
//! of the header, a NAK's group AFI is read from the first bytes of the group address, and a
//! NAK list does not count its option header in the options' total length.

use super::{Ctx, IpHdr, pr, zeromq};
use crate::cursor::{Bytes, PResult};

const IPPROTO_PGM: u8 = 113;
const HDR_LEN: usize = 16;

const SPM: u8 = 0;
const POLL: u8 = 1;
const POLR: u8 = 2;
const ODATA: u8 = 4;
const RDATA: u8 = 5;
const NAK: u8 = 8;
const NULLNAK: u8 = 9;
const NCF: u8 = 10;
const ACK: u8 = 11;
const SPMR: u8 = 12;

const OPT_BIT_PRESENT: u8 = 0x01;
const OPT_MASK: u8 = 0x7f;
const OPT_END: u8 = 0x80;
const MIN_OPT_LEN: u8 = 4;

const AFNUM_INET: u16 = 1;
const AFNUM_INET6: u16 = 2;

/// tcpdump's `goto trunc`: ` [|pgm]` and a normal return.
struct Trunc;

/// `Err(Ok(Trunc))`: local truncation; `Err(Err(_))`: a read past the capture (longjmp).
type R<T = ()> = Result<T, PResult<Trunc>>;

fn get<T>(r: PResult<T>) -> R<T> {
    r.map_err(Err)
}

/// `ND_TCHECK_LEN`: local truncation when the bytes are not captured.
fn tcheck(p: &[u8], off: usize, len: usize) -> R {
    if p.has(off, len) {
        Ok(())
    } else {
        Err(Ok(Trunc))
    }
}

/// A network-layer address of family `afi` at `p[off..]`; `Ok(None)` for another family.
fn nla(p: &[u8], off: usize, afi: u16) -> R<&[u8]> {
    let n = match afi {
        AFNUM_INET => 4,
        AFNUM_INET6 => 16,
        _ => return Err(Ok(Trunc)),
    };
    tcheck(p, off, n)?;
    Ok(&p[off..off + n])
}

/// A PGM packet: `p` the captured bytes from its header, `length` its length, `ip` the
/// enclosing IP header (for the addresses).
pub fn pgm_print(ctx: &mut Ctx, p: &[u8], length: u32, ip: &IpHdr) -> PResult {
    ctx.protocol = "pgm";
    match packet_print(ctx, p, length, ip) {
        Ok(()) => Ok(()),
        Err(Ok(Trunc)) => {
            ctx.print_trunc();
            Ok(())
        }
        Err(Err(e)) => Err(e),
    }
}

fn packet_print(ctx: &mut Ctx, p: &[u8], length: u32, ip: &IpHdr) -> R {
    if !p.has(2, 2) {
        ctx.ip(ip.src);
        ctx.push(" > ");
        ctx.ip(ip.dst);
        ctx.push(":");
        return Err(Ok(Trunc));
    }
    let sport = p.be_u16(0).map_err(Err)?;
    let dport = p.be_u16(2).map_err(Err)?;
    if ip.nh == IPPROTO_PGM {
        ctx.ip(ip.src);
        pr!(ctx, ".{} > ", sport);
        ctx.ip(ip.dst);
        pr!(ctx, ".{}: ", dport);
    } else {
        pr!(ctx, "{} > {}: ", sport, dport);
    }
    tcheck(p, 0, HDR_LEN)?;
    pr!(ctx, "PGM, length {}", p.be_u16(14).map_err(Err)?);
    if ctx.vflag() == 0 {
        return Ok(());
    }
    let ty = p[4];
    ctx.push(" 0x");
    for b in &p[8..14] {
        pr!(ctx, "{:02x}", b);
    }
    ctx.push(" ");
    let body = HDR_LEN;
    // Where the options start (tcpdump's `bp`): the packet start for types without fields.
    let mut bp = 0usize;
    match ty {
        SPM => {
            tcheck(p, body, 16)?;
            let a = nla(p, body + 16, get(p.be_u16(body + 12))?)?;
            bp = body + 16 + a.len();
            pr!(
                ctx,
                "SPM seq {} trail {} lead {} nla ",
                get(p.be_u32(body))?,
                get(p.be_u32(body + 4))?,
                get(p.be_u32(body + 8))?
            );
            ctx.ip(a);
        }
        POLL => {
            tcheck(p, body, 12)?;
            let a = nla(p, body + 12, get(p.be_u16(body + 8))?)?;
            let o = body + 12 + a.len();
            let (ivl, rnd, mask) = (
                get(p.be_u32(o))?,
                get(p.be_u32(o + 4))?,
                get(p.be_u32(o + 8))?,
            );
            bp = o + 12;
            pr!(
                ctx,
                "POLL seq {} round {} nla ",
                get(p.be_u32(body))?,
                get(p.be_u16(body + 4))?
            );
            ctx.ip(a);
            pr!(ctx, " ivl {} rnd 0x{:08x} mask 0x{:08x}", ivl, rnd, mask);
        }
        POLR => {
            tcheck(p, body, 8)?;
            pr!(
                ctx,
                "POLR seq {} round {}",
                get(p.be_u32(body))?,
                get(p.be_u16(body + 4))?
            );
            bp = body + 8;
        }
        ODATA | RDATA => {
            tcheck(p, body, 8)?;
            pr!(
                ctx,
                "{} trail {} seq {}",
                if ty == ODATA { "ODATA" } else { "RDATA" },
                get(p.be_u32(body + 4))?,
                get(p.be_u32(body))?
            );
            bp = body + 8;
        }
        NAK | NULLNAK | NCF => {
            tcheck(p, body, 8)?;
            let src = nla(p, body + 8, get(p.be_u16(body + 4))?)?;
            // Past the group's AFI and reserved field, tcpdump reads the "AFI" again.
            let g = body + 8 + src.len() + 4;
            let group = nla(p, g, get(p.be_u16(g))?)?;
            bp = g + group.len();
            ctx.push(match ty {
                NAK => "NAK ",
                NULLNAK => "NNAK ",
                _ => "NCF ",
            });
            let seq = get(p.be_u32(body))?;
            ctx.push("(");
            ctx.ip(src);
            ctx.push(" -> ");
            ctx.ip(group);
            pr!(ctx, "), seq {}", seq);
        }
        ACK => {
            tcheck(p, body, 8)?;
            pr!(ctx, "ACK seq {}", get(p.be_u32(body))?);
            bp = body + 8;
        }
        SPMR => ctx.push("SPMR"),
        _ => pr!(ctx, "UNKNOWN type 0x{:02x}", ty),
    }
    if p[5] & OPT_BIT_PRESENT != 0 && !options_print(ctx, p, &mut bp)? {
        return Ok(());
    }
    pr!(ctx, " [{}]", length);
    if ctx.opts.packet_type == Some(crate::PacketType::PgmZmtp1) && (ty == ODATA || ty == RDATA) {
        let tsdu = get(p.be_u16(14))?;
        get(zeromq::zmtp1_datagram_print(
            ctx,
            p.get(bp..).unwrap_or(&[]),
            tsdu as u32,
        ))?;
    }
    Ok(())
}

/// The options at `p[*bp..]`, advancing `bp` as tcpdump's pointer goes. `Ok(false)`: a
/// complaint was printed and the packet ends there.
fn options_print(ctx: &mut Ctx, p: &[u8], bp: &mut usize) -> R<bool> {
    tcheck(p, *bp, MIN_OPT_LEN as usize)?;
    let ty = p[*bp];
    if ty & OPT_MASK != 0 {
        pr!(
            ctx,
            "[First option bad, should be PGM_OPT_LENGTH, is {}]",
            ty & OPT_MASK
        );
        return Ok(false);
    }
    let len = p[*bp + 1];
    if len != 4 {
        pr!(ctx, "[Bad OPT_LENGTH option, length {} != 4]", len);
        return Ok(false);
    }
    let mut opts_len = get(p.be_u16(*bp + 2))? as u32;
    *bp += 4;
    if opts_len < 4 {
        pr!(ctx, "[Bad total option length {} < 4]", opts_len);
        return Ok(false);
    }
    pr!(ctx, " OPTS LEN {}", opts_len);
    opts_len -= 4;
    while opts_len != 0 {
        if opts_len < MIN_OPT_LEN as u32 {
            ctx.push("[Total option length leaves no room for final option]");
            return Ok(false);
        }
        let ty = get(p.u8_at(*bp))?;
        let len = get(p.u8_at(*bp + 1))?;
        *bp += 2;
        if len < MIN_OPT_LEN {
            pr!(ctx, "[Bad option, length {} < {}]", len, MIN_OPT_LEN);
            break;
        }
        if opts_len < len as u32 {
            ctx.push("[Total option length leaves no room for final option]");
            return Ok(false);
        }
        tcheck(p, *bp, len as usize - 2)?;
        // Fixed-length options: name, expected length.
        let fixed = |ctx: &mut Ctx, name: &str, want: u8| -> bool {
            if len != want {
                pr!(ctx, "[Bad {} option, length {} != {}]", name, len, want);
                false
            } else {
                true
            }
        };
        let u32_at = |o: usize| get(p.be_u32(o));
        match ty & OPT_MASK {
            0x00 => {
                if !fixed(ctx, "OPT_LENGTH", 4) {
                    return Ok(false);
                }
                pr!(ctx, " OPTS LEN (extra?) {}", get(p.be_u16(*bp))?);
                *bp += 2;
                opts_len -= 4;
            }
            0x01 => {
                if !fixed(ctx, "OPT_FRAGMENT", 16) {
                    return Ok(false);
                }
                let (seq, off, l) = (u32_at(*bp + 2)?, u32_at(*bp + 6)?, u32_at(*bp + 10)?);
                *bp += 14;
                pr!(ctx, " FRAG seq {} off {} len {}", seq, off, l);
                opts_len -= 16;
            }
            0x02 => {
                *bp += 2;
                let mut l = len - 4;
                ctx.push(" NAK LIST");
                while l != 0 {
                    if l < 4 {
                        ctx.push("[Option length not a multiple of 4]");
                        return Ok(false);
                    }
                    pr!(ctx, " {}", u32_at(*bp)?);
                    *bp += 4;
                    l -= 4;
                    opts_len -= 4;
                }
            }
            0x03 => {
                if !fixed(ctx, "OPT_JOIN", 8) {
                    return Ok(false);
                }
                let seq = u32_at(*bp + 2)?;
                *bp += 6;
                pr!(ctx, " JOIN {}", seq);
                opts_len -= 8;
            }
            0x04 | 0x05 => {
                let (name, a, b) = if ty & OPT_MASK == 0x04 {
                    ("OPT_NAK_BO_IVL", "ivl", "ivlseq")
                } else {
                    ("OPT_NAK_BO_RNG", "max", "min")
                };
                if !fixed(ctx, name, 12) {
                    return Ok(false);
                }
                let (x, y) = (u32_at(*bp + 2)?, u32_at(*bp + 6)?);
                *bp += 10;
                pr!(ctx, " BACKOFF {} {} {} {}", a, x, b, y);
                opts_len -= 12;
            }
            0x07 => {
                if len < 8 {
                    pr!(ctx, "[Bad OPT_REDIRECT option, length {} < {}]", len, 8);
                    return Ok(false);
                }
                let afi = get(p.be_u16(*bp + 2))?;
                *bp += 6;
                let Some(a) = nla_option(ctx, p, bp, afi, len, 8, "OPT_REDIRECT")? else {
                    return Ok(false);
                };
                opts_len -= 8 + a.len() as u32;
                ctx.push(" REDIRECT ");
                ctx.ip(a);
            }
            0x08..=0x0a => {
                let (name, label) = match ty & OPT_MASK {
                    0x08 => ("OPT_PARITY_PRM", "PARITY MAXTGS"),
                    0x09 => ("OPT_PARITY_GRP", "PARITY GROUP"),
                    _ => ("OPT_CURR_TGSIZE", "PARITY ATGS"),
                };
                if !fixed(ctx, name, 8) {
                    return Ok(false);
                }
                let v = u32_at(*bp + 2)?;
                *bp += 6;
                pr!(ctx, " {} {}", label, v);
                opts_len -= 8;
            }
            0x0b | 0x0d | 0x0e | 0x0f | 0x11 => {
                let (name, label) = match ty & OPT_MASK {
                    0x0b => ("OPT_NBR_UNREACH", "NBR_UNREACH"),
                    0x0d => ("OPT_SYN", "SYN"),
                    0x0e => ("OPT_FIN", "FIN"),
                    0x0f => ("OPT_RST", "RST"),
                    _ => ("OPT_CRQST", "CRQST"),
                };
                if !fixed(ctx, name, 4) {
                    return Ok(false);
                }
                *bp += 2;
                pr!(ctx, " {}", label);
                opts_len -= 4;
            }
            0x0c => {
                pr!(ctx, " PATH_NLA [{}]", len);
                *bp += len as usize;
                opts_len -= len as u32;
            }
            0x10 => {
                ctx.push(" CR");
                *bp += len as usize;
                opts_len -= len as u32;
            }
            0x12 | 0x13 => {
                let (name, short_name, label) = if ty & OPT_MASK == 0x12 {
                    ("OPT_PGMCC_DATA", "OPT_PGMCC_DATA", "PGMCC DATA")
                } else {
                    (
                        "PGM_OPT_PGMCC_FEEDBACK",
                        "OPT_PGMCC_FEEDBACK",
                        "PGMCC FEEDBACK",
                    )
                };
                if len < 12 {
                    pr!(ctx, "[Bad {} option, length {} < {}]", name, len, 12);
                    return Ok(false);
                }
                let v = u32_at(*bp + 2)?;
                let afi = get(p.be_u16(*bp + 6))?;
                *bp += 10;
                let Some(a) = nla_option(ctx, p, bp, afi, len, 12, short_name)? else {
                    return Ok(false);
                };
                opts_len -= 12 + a.len() as u32;
                pr!(ctx, " {} {} ", label, v);
                ctx.ip(a);
            }
            _ => {
                pr!(ctx, " OPT_{:02X} [{}] ", ty, len);
                *bp += len as usize;
                opts_len -= len as u32;
            }
        }
        if ty & OPT_END != 0 {
            break;
        }
    }
    Ok(true)
}

/// The address of a REDIRECT or PGMCC option, whose fixed part is `fixed` bytes; `Ok(None)`
/// when the option's length does not match the family (already reported).
fn nla_option<'a>(
    ctx: &mut Ctx,
    p: &'a [u8],
    bp: &mut usize,
    afi: u16,
    len: u8,
    fixed: u8,
    name: &str,
) -> R<Option<&'a [u8]>> {
    let n = match afi {
        AFNUM_INET => 4,
        AFNUM_INET6 => 16,
        _ => return Err(Ok(Trunc)),
    };
    if len as usize != fixed as usize + n {
        pr!(
            ctx,
            "[Bad {} option, length {} != {} + address size]",
            name,
            len,
            fixed
        );
        return Ok(None);
    }
    tcheck(p, *bp, n)?;
    let a = &p[*bp..*bp + n];
    *bp += n;
    Ok(Some(a))
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    /// IPv4 (protocol 113) + a PGM SPM with an OPT_LENGTH and a JOIN option.
    fn spm() -> Vec<u8> {
        let pgm: &[u8] = &[
            0x34, 0x08, 0x15, 0x7b, 0x00, 0x01, 0x00, 0x00, 0x33, 0x29, 0x04, 0x1e, 0xba, 0x74,
            0x00, 0x00, // header: SPM, options present
            0, 1, 0x68, 0x1e, 0, 0, 0x54, 0x72, 0, 0, 0xd6, 0xa6, 0, 1, 0, 0, 10, 0, 0, 45, 0x00,
            0x04, 0x00, 0x0c, 0x83, 0x08, 0x00, 0x00, 0, 0, 0, 7, // options
        ];
        let total = 20 + pgm.len();
        let mut d = vec![0x45, 0, 0, total as u8, 0, 0, 0x40, 0, 16, 113, 0, 0];
        d.extend_from_slice(&[10, 0, 0, 45, 239, 255, 0, 16]);
        let sum = crate::proto::in_cksum(&[&d]);
        d[10..12].copy_from_slice(&sum.to_be_bytes());
        d.extend_from_slice(pgm);
        d
    }

    fn print(o: PrintOptions, d: &[u8]) -> String {
        print_packet(o, 101, d)
    }

    #[test]
    fn spm_with_options() {
        let d = spm();
        assert_eq!(
            print(opts(0, false), &d),
            "IP 10.0.0.45 > 239.255.0.16: 10.0.0.45.13320 > 239.255.0.16.5499: PGM, length 0\n"
        );
        assert!(
            print(opts(1, false), &d).ends_with(
                "10.0.0.45 > 239.255.0.16: 10.0.0.45.13320 > 239.255.0.16.5499: PGM, length 0 \
                 0x3329041eba74 SPM seq 92190 trail 21618 lead 54950 nla 10.0.0.45 OPTS LEN 12 \
                 JOIN 7 [48]\n"
            ),
            "{}",
            print(opts(1, false), &d)
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = spm();
        let variants = [opts(0, false), opts(1, false), opts(2, false)];
        assert_every_truncated_packet_is_safe(101, &d, &variants);
        let mut d = spm();
        for ty in [1u8, 2, 4, 8, 11, 12, 0x77] {
            d[20 + 4] = ty;
            assert_every_truncated_packet_is_safe(101, &d, &variants);
        }
    }
}
