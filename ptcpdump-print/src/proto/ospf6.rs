//! OSPF version 3 (RFC 5340), IP protocol 89 over IPv6: Hello, Database Description, LS
//! Request, LS Update with its LSAs, LS Ack, the link-local signalling block (RFC 5613) and the
//! authentication trailer (RFC 7166); tcpdump's print-ospf6.c. Grace (RFC 5187) and
//! intra-area TE LSAs use the OSPFv2 TLV printers of ospf.rs.
//!
//! Without `-v` only the type and length are printed; with `-v` the header and the fixed
//! fields; with `-vv` also the lists (neighbors, LSA headers, LSAs).

use super::ospf::{grace_lsa_print, te_lsa_print, unknown_data};
use super::{Ctx, bittok2str, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: usize = 16;
const LSA_HDR_LEN: usize = 20;

const TYPE_HELLO: u8 = 1;
const TYPE_DD: u8 = 2;
const TYPE_LS_REQ: u8 = 3;
const TYPE_LS_UPDATE: u8 = 4;
const TYPE_LS_ACK: u8 = 5;

const TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Hello"),
    (2, "Database Description"),
    (3, "LS-Request"),
    (4, "LS-Update"),
    (5, "LS-Ack"),
];

/// The options field is 24 bits (RFC 5340 A.2); tcpdump reads it as 32.
const OPTION_L: u32 = 0x0200;

const OPTION_VALUES: &[(u32, &str)] = &[
    (0x01, "V6"),
    (0x02, "External"),
    (0x04, "Deprecated"),
    (0x08, "NSSA"),
    (0x10, "Router"),
    (0x20, "Demand Circuit"),
    (0x0100, "AFs Support"),
    (0x0200, "LLS"),
    (0x0400, "Authentication Trailer"),
];

const RLA_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "ABR"),
    (0x02, "External"),
    (0x04, "Virtual-Link Endpoint"),
    (0x08, "Deprecated"),
    (0x10, "NSSA Translator"),
];

const ASLA_FLAG_EXTERNAL: u32 = 0x8000_0000;
const ASLA_FLAG_FWDADDR: u32 = 0x0200_0000;
const ASLA_FLAG_ROUTETAG: u32 = 0x0100_0000;

const ASLA_FLAG_VALUES: &[(u32, &str)] = &[
    (ASLA_FLAG_EXTERNAL, "External Type 2"),
    (ASLA_FLAG_FWDADDR, "Forwarding"),
    (ASLA_FLAG_ROUTETAG, "Tag"),
];

const LSA_VALUES: &[(u32, &str)] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Inter-Area Prefix"),
    (4, "Inter-Area Router"),
    (5, "External"),
    (6, "Deprecated"),
    (7, "NSSA"),
    (8, "Link"),
    (9, "Intra-Area Prefix"),
    (10, "Intra-Area TE"),
    (11, "Grace"),
    (12, "Router Information"),
    (13, "Inter-AS-TE"),
    (14, "Layer 1 VPN"),
];

const LS_TYPE_MASK: u16 = 0x1fff;
const LS_SCOPE_MASK: u16 = 0x6000;
const LS_SCOPE_AREA: u16 = 0x2000;
const LS_SCOPE_AS: u16 = 0x4000;

const LS_SCOPE_VALUES: &[(u32, &str)] = &[
    (0x0000, "Link Local"),
    (0x2000, "Area Local"),
    (0x4000, "Domain Wide"),
];

const DD_FLAG_VALUES: &[(u32, &str)] = &[
    (0x04, "Init"),
    (0x02, "More"),
    (0x01, "Master"),
    (0x10, "IPv6 MTU"),
];

const PREFIX_OPTION_VALUES: &[(u32, &str)] = &[
    (0x01, "No Unicast"),
    (0x02, "Local address"),
    (0x04, "Deprecated"),
    (0x08, "Propagate"),
    (0x10, "Down"),
    (0x20, "N-bit"),
];

const AUTH_TYPE_VALUES: &[(u32, &str)] = &[(1, "HMAC")];

const LLS_HDR_LEN: u32 = 4;
const AT_HDR_LEN: u32 = 16;

fn name(table: &[(u32, &'static str)], v: u32, default: &'static str) -> &'static str {
    tok(table, v).unwrap_or(default)
}

fn ipv4_str(p: &[u8], off: usize) -> PResult<String> {
    let a = p.sub(off, 4)?;
    let mut s = String::new();
    crate::addr::push_ipv4(&mut s, a);
    Ok(s)
}

fn options_print(ctx: &mut Ctx, lead: &str, v: u32) {
    ctx.push(lead);
    ctx.push("[");
    bittok2str(ctx.out, OPTION_VALUES, "none", v, ", ");
    ctx.push("]");
}

/// `X LSA (n), Y Scope, LSA-ID a.b.c.d` for an LS type and the link state ID at `id_off`.
fn ls_type_print(ctx: &mut Ctx, p: &[u8], ls_type: u16, id_off: usize) -> PResult {
    let id = ipv4_str(p, id_off)?;
    pr!(
        ctx,
        "\n\t    {} LSA ({}), {} Scope{}, LSA-ID {}",
        name(LSA_VALUES, (ls_type & LS_TYPE_MASK) as u32, "Unknown"),
        ls_type & LS_TYPE_MASK,
        name(LS_SCOPE_VALUES, (ls_type & LS_SCOPE_MASK) as u32, "Unknown"),
        if ls_type & 0x8000 != 0 {
            ", transitive"
        } else {
            ""
        },
        id
    );
    Ok(())
}

/// An LSA header at `off`. `Ok(false)`: it does not fit before `dataend`.
fn lshdr_print(ctx: &mut Ctx, p: &[u8], off: usize, dataend: usize) -> PResult<bool> {
    if off + LSA_HDR_LEN > dataend {
        return Ok(false);
    }
    let router = ipv4_str(p, off + 8)?;
    let (seq, age, len) = (p.be_u32(off + 12)?, p.be_u16(off)?, p.be_u16(off + 18)?);
    // tcpdump subtracts the header size as a size_t.
    pr!(
        ctx,
        "\n\t  Advertising Router {}, seq 0x{:08x}, age {}s, length {}",
        router,
        seq,
        age,
        (len as u64).wrapping_sub(LSA_HDR_LEN as u64)
    );
    let ty = p.be_u16(off + 2)?;
    ls_type_print(ctx, p, ty, off + 4)?;
    Ok(true)
}

/// An address prefix at `off` (RFC 5340 A.4.1) within `left` octets of the LSA. Returns its
/// size, or `None` when it does not fit (the LSA is then reported truncated).
fn prefix_print(ctx: &mut Ctx, p: &[u8], off: usize, left: u32) -> PResult<Option<u32>> {
    if left < 4 {
        return Ok(None);
    }
    let left = left - 4;
    if !p.has(off, 4) {
        return Ok(None);
    }
    let plen = p.u8_at(off)?;
    let words = (plen as u32).div_ceil(32);
    if words * 4 > 16 {
        pr!(ctx, " bogus prefixlen /{}", plen);
        return Ok(None);
    }
    if left < words * 4 {
        return Ok(None);
    }
    let mut a = [0u8; 16];
    a[..words as usize * 4].copy_from_slice(p.sub(off + 4, words as usize * 4)?);
    ctx.push("\n\t\t");
    crate::addr::push_ipv6(ctx.out, &a);
    pr!(ctx, "/{}", plen);
    let opt = p.u8_at(off + 1)?;
    if opt != 0 {
        ctx.push(", Options [");
        bittok2str(ctx.out, PREFIX_OPTION_VALUES, "none", opt as u32, ", ");
        ctx.push("]");
    }
    pr!(ctx, ", metric {}", p.be_u16(off + 2)?);
    Ok(Some(4 + words * 4))
}

/// `count` prefixes from `off` (`None`: no count, until `left` is used up).
fn prefixes_print(
    ctx: &mut Ctx,
    p: &[u8],
    off: usize,
    left: u32,
    count: Option<u32>,
) -> PResult<bool> {
    let mut o = off;
    let mut left = left;
    let mut n = count.unwrap_or(0);
    loop {
        let more = match count {
            Some(_) => n > 0,
            None => left != 0,
        };
        if !more {
            return Ok(true);
        }
        let Some(size) = prefix_print(ctx, p, o, left)? else {
            return Ok(false);
        };
        n = n.wrapping_sub(1);
        left -= size;
        o += size as usize;
    }
}

/// One LSA at `off`. `Ok(false)`: it is truncated or malformed.
fn lsa_print(ctx: &mut Ctx, p: &[u8], off: usize, dataend: usize) -> PResult<bool> {
    if !lshdr_print(ctx, p, off, dataend)? {
        return Ok(false);
    }
    let length = p.be_u16(off + 18)? as usize;
    if length < LSA_HDR_LEN || off + length > dataend {
        return Ok(false);
    }
    let mut left = (length - LSA_HDR_LEN) as u32;
    let body = off + LSA_HDR_LEN;
    let ty = p.be_u16(off + 2)?;
    match ty {
        t if t == 1 | LS_SCOPE_AREA => {
            if left < 4 {
                return Ok(false);
            }
            left -= 4;
            options_print(ctx, "\n\t      Options ", p.be_u32(body)?);
            let flags = p.u8_at(body)?;
            ctx.push(", RLA-Flags [");
            bittok2str(ctx.out, RLA_FLAG_VALUES, "none", flags as u32, ", ");
            ctx.push("]");
            let mut l = body + 4;
            while left != 0 {
                if left < 16 {
                    return Ok(false);
                }
                left -= 16;
                if !p.has(l, 16) {
                    return Ok(false);
                }
                let what = match p.u8_at(l)? {
                    4 => "Virtual Link: Neighbor Router-ID",
                    1 => "Neighbor Router-ID",
                    2 => "Neighbor Network-ID",
                    t => {
                        pr!(ctx, "\n\t      Unknown Router Links Type 0x{:02x}", t);
                        return Ok(true);
                    }
                };
                let nrtid = ipv4_str(p, l + 12)?;
                let nifid = ipv4_str(p, l + 8)?;
                let ifid = ipv4_str(p, l + 4)?;
                pr!(
                    ctx,
                    "\n\t      {} {}\n\t      Neighbor Interface-ID {}, Interface {}",
                    what,
                    nrtid,
                    nifid,
                    ifid
                );
                pr!(ctx, ", metric {}", p.be_u16(l + 2)?);
                l += 16;
            }
        }
        t if t == 2 | LS_SCOPE_AREA => {
            if left < 4 {
                return Ok(false);
            }
            left -= 4;
            options_print(ctx, "\n\t      Options ", p.be_u32(body)?);
            ctx.push("\n\t      Connected Routers:");
            let mut o = body + 4;
            while left != 0 {
                if left < 4 {
                    return Ok(false);
                }
                left -= 4;
                let a = ipv4_str(p, o)?;
                pr!(ctx, "\n\t\t{}", a);
                o += 4;
            }
        }
        t if t == 3 | LS_SCOPE_AREA => {
            if left < 4 {
                return Ok(false);
            }
            left -= 4;
            pr!(ctx, ", metric {}", p.be_u32(body)? & 0x00ff_ffff);
            if !prefixes_print(ctx, p, body + 4, left, None)? {
                return Ok(false);
            }
        }
        t if t == 5 | LS_SCOPE_AS => {
            if left < 4 {
                return Ok(false);
            }
            left -= 4;
            let flags = p.be_u32(body)?;
            ctx.push("\n\t     Flags [");
            bittok2str(ctx.out, ASLA_FLAG_VALUES, "none", flags, ", ");
            ctx.push("]");
            pr!(ctx, " metric {}", p.be_u32(body)? & 0x00ff_ffff);
            let pfx = body + 4;
            let Some(size) = prefix_print(ctx, p, pfx, left)? else {
                return Ok(false);
            };
            left -= size;
            let mut o = pfx + size as usize;
            if flags & ASLA_FLAG_FWDADDR != 0 {
                if left < 16 {
                    return Ok(false);
                }
                left -= 16;
                let mut s = String::new();
                crate::addr::push_ipv6(&mut s, p.sub(o, 16)?);
                pr!(ctx, " forward {}", s);
                o += 16;
            }
            if flags & ASLA_FLAG_ROUTETAG != 0 {
                if left < 4 {
                    return Ok(false);
                }
                left -= 4;
                let a = ipv4_str(p, o)?;
                pr!(ctx, " tag {}", a);
                o += 4;
            }
            // The referenced LS type is where the prefix's metric field starts (RFC 5340
            // A.4.7 puts it there in AS-external LSAs).
            if p.u8_at(pfx + 2)? != 0 {
                if left < 4 {
                    return Ok(false);
                }
                let a = ipv4_str(p, o)?;
                pr!(ctx, " RefLSID: {}", a);
            }
        }
        // Link LSA (link-local scope).
        8 => {
            if left < 4 {
                return Ok(false);
            }
            left -= 4;
            if !p.has(body, 4) {
                return Ok(false);
            }
            options_print(ctx, "\n\t      Options ", p.be_u32(body)?);
            if left < 20 {
                return Ok(false);
            }
            left -= 20;
            let n = p.be_u32(body + 20)?;
            let prio = p.u8_at(body)?;
            let mut ll = String::new();
            crate::addr::push_ipv6(&mut ll, p.sub(body + 4, 16)?);
            pr!(
                ctx,
                "\n\t      Priority {}, Link-local address {}, Prefixes {}:",
                prio,
                ll,
                n
            );
            if !prefixes_print(ctx, p, body + 24, left, Some(n))? {
                return Ok(false);
            }
        }
        t if t == 9 | LS_SCOPE_AREA => {
            if left < 4 {
                return Ok(false);
            }
            left -= 4;
            if !p.has(body + 8, 4) {
                return Ok(false);
            }
            ls_type_print(ctx, p, p.be_u16(body + 2)?, body + 4)?;
            if left < 2 {
                return Ok(false);
            }
            left -= 2;
            let n = p.be_u16(body)? as u32;
            pr!(ctx, "\n\t      Prefixes {}:", n);
            if !prefixes_print(ctx, p, body + 12, left, Some(n))? {
                return Ok(false);
            }
        }
        // Grace LSA (RFC 5187), link-local scope.
        11 => {
            if !grace_lsa_print(ctx, p, body, left)? {
                return Ok(false);
            }
        }
        // Intra-area TE LSA (RFC 5329), link-local scope.
        10 => {
            if !te_lsa_print(ctx, p, body, left)? {
                return Ok(false);
            }
        }
        _ => {
            if !unknown_data(ctx, p, body, "\n\t      ", left) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// The packet body. `Ok(false)`: truncated.
fn decode_v3(ctx: &mut Ctx, p: &[u8], dataend: usize) -> PResult<bool> {
    let vv = ctx.vflag() > 1;
    match p.u8_at(1)? {
        TYPE_HELLO => {
            options_print(ctx, "\n\tOptions ", p.be_u32(20)?);
            let (hello, dead) = (p.be_u16(24)?, p.be_u16(26)?);
            let ifid = ipv4_str(p, 16)?;
            let prio = p.u8_at(20)?;
            pr!(
                ctx,
                "\n\t  Hello Timer {}s, Dead Timer {}s, Interface-ID {}, Priority {}",
                hello,
                dead,
                ifid,
                prio
            );
            if p.be_u32(28)? != 0 {
                let a = ipv4_str(p, 28)?;
                pr!(ctx, "\n\t  Designated Router {}", a);
            }
            if p.be_u32(32)? != 0 {
                let a = ipv4_str(p, 32)?;
                pr!(ctx, ", Backup Designated Router {}", a);
            }
            if vv {
                ctx.push("\n\t  Neighbor List:");
                let mut o = 36;
                while o < dataend {
                    let a = ipv4_str(p, o)?;
                    pr!(ctx, "\n\t    {}", a);
                    o += 4;
                }
            }
        }
        TYPE_DD => {
            options_print(ctx, "\n\tOptions ", p.be_u32(16)?);
            let flags = p.u8_at(23)?;
            ctx.push(", DD Flags [");
            bittok2str(ctx.out, DD_FLAG_VALUES, "none", flags as u32, ", ");
            ctx.push("]");
            pr!(
                ctx,
                ", MTU {}, DD-Sequence 0x{:08x}",
                p.be_u16(20)?,
                p.be_u32(24)?
            );
            if vv {
                let mut o = 28;
                while o < dataend {
                    if !lshdr_print(ctx, p, o, dataend)? {
                        return Ok(false);
                    }
                    o += LSA_HDR_LEN;
                }
            }
        }
        TYPE_LS_REQ if vv => {
            let mut o = HDR_LEN;
            while o < dataend {
                if !p.has(o, 12) {
                    return Ok(false);
                }
                let a = ipv4_str(p, o + 8)?;
                pr!(ctx, "\n\t  Advertising Router {}", a);
                ls_type_print(ctx, p, p.be_u16(o + 2)?, o + 4)?;
                o += 12;
            }
        }
        TYPE_LS_UPDATE if vv => {
            let mut count = p.be_u32(16)?;
            let mut o = 20;
            while o < dataend && count != 0 {
                count -= 1;
                if !lsa_print(ctx, p, o, dataend)? {
                    return Ok(false);
                }
                o += p.be_u16(o + 18)? as usize;
            }
        }
        TYPE_LS_ACK if vv => {
            let mut o = HDR_LEN;
            while o < dataend {
                if !lshdr_print(ctx, p, o, dataend)? {
                    return Ok(false);
                }
                o += LSA_HDR_LEN;
            }
        }
        _ => {}
    }
    Ok(true)
}

/// The LLS block (RFC 5613 section 2.2, its TLVs undecoded) at `off`, `len` octets left.
/// Returns its length, or `None` when truncated.
fn lls_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32) -> PResult<Option<u32>> {
    if len == 0 {
        return Ok(Some(0));
    }
    if len < LLS_HDR_LEN {
        return Ok(None);
    }
    pr!(ctx, "\n\tLLS Checksum 0x{:04x}", p.be_u16(off)?);
    let dlen = p.be_u16(off + 2)? as u32;
    pr!(ctx, ", Data Length {}", dlen);
    if dlen < LLS_HDR_LEN || dlen > len {
        return Ok(None);
    }
    if !p.has(off + 4, (dlen - LLS_HDR_LEN) as usize) {
        return Ok(None);
    }
    Ok(Some(dlen))
}

/// The authentication trailer (RFC 7166 section 4.1) at `off`. `Ok(false)`: truncated.
fn at_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32) -> PResult<bool> {
    if len == 0 {
        return Ok(true);
    }
    if len < AT_HDR_LEN {
        return Ok(false);
    }
    let ty = p.be_u16(off)?;
    ctx.push("\n\tAuthentication Type ");
    tok2str(ctx.out, AUTH_TYPE_VALUES, "unknown (0x{:04x})", ty as u32);
    let alen = p.be_u16(off + 2)? as u32;
    pr!(ctx, ", Length {}", alen);
    if alen < AT_HDR_LEN || alen > len {
        return Ok(false);
    }
    pr!(ctx, ", SAID {}", p.be_u16(off + 6)?);
    pr!(ctx, ", CSN 0x{:08x}", p.be_u32(off + 8)?);
    pr!(ctx, ":{:08x}", p.be_u32(off + 12)?);
    if !p.has(off + 16, (alen - AT_HDR_LEN) as usize) {
        return Ok(false);
    }
    if ctx.vflag() > 1 {
        unknown_data(
            ctx,
            p,
            off + 16,
            "\n\tAuthentication Data ",
            alen - AT_HDR_LEN,
        );
    }
    Ok(true)
}

/// What follows the packet's own length: LLS (Hello and DD with the L option), then the
/// authentication trailer (looked for in every packet). `Ok(false)`: truncated.
fn trailer_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32) -> PResult<bool> {
    let lls = match p.u8_at(1)? {
        TYPE_HELLO => p.be_u32(20)? & OPTION_L != 0,
        TYPE_DD => p.be_u32(16)? & OPTION_L != 0,
        _ => false,
    };
    let mut lls_len = 0;
    if lls {
        match lls_print(ctx, p, off, len)? {
            Some(n) => lls_len = n,
            None => return Ok(false),
        }
    }
    at_print(ctx, p, off + lls_len as usize, len - lls_len)
}

/// An OSPFv3 packet; `p`: captured bytes from the OSPF header, `length` its length.
pub fn ospf6_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "ospf3";
    let ty = p.u8_at(1)?;
    let version = p.u8_at(0)?;
    pr!(ctx, "OSPFv{}, ", version);
    tok2str(ctx.out, TYPE_VALUES, "unknown packet type ({})", ty as u32);
    pr!(ctx, ", length {}", length);
    if tok(TYPE_VALUES, ty as u32).is_none() || ctx.vflag() == 0 {
        return Ok(());
    }
    let datalen = p.be_u16(2)? as u32;
    if datalen > length {
        pr!(ctx, " [len {}]", datalen);
        return Ok(());
    }
    let router = ipv4_str(p, 4)?;
    pr!(ctx, "\n\tRouter-ID {}", router);
    if p.be_u32(8)? != 0 {
        let a = ipv4_str(p, 8)?;
        pr!(ctx, ", Area {}", a);
    } else {
        ctx.push(", Backbone Area");
    }
    let instance = p.u8_at(14)?;
    if instance != 0 {
        pr!(ctx, ", Instance {}", instance);
    }
    if version == 3 {
        let dataend = datalen as usize;
        if !decode_v3(ctx, p, dataend)? || !trailer_print(ctx, p, dataend, length - datalen)? {
            ctx.print_trunc();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| ospf6_print(ctx, p, p.len() as u32))
    }

    // Hello with the L option, then an LLS block and an HMAC authentication trailer.
    const HELLO: &str = "0301002c0101010100000000000000000000000601000213000a002801010101020202020303\
                         03030404040400000008000100000001002000000005000000010000000211111111111111\
                         111111111111111111";
    // LS Update: a link LSA with two prefixes and an intra-area prefix LSA, then the trailer.
    const LSU: &str = "0304009001010101000000000000000000000002000500080000000602020202800000010000\
                       004c01000013fe800000000000000000000000000001000000024000000020010db800040000\
                       8010000020010db80005000000000000000000010005200900000003020202028000000100\
                       0000300002200100000000020202024000000a20010db80006000000000001000100200000\
                       0005000000010000000211111111111111111111111111111111";

    // Expected texts are tcpdump 4.99.3's for the same packets.
    #[test]
    fn hello_lls_and_trailer() {
        let p = hex(HELLO);
        assert_eq!(run(0, &p), "OSPFv3, Hello, length 84");
        let head = "OSPFv3, Hello, length 84\
                    \n\tRouter-ID 1.1.1.1, Backbone Area\
                    \n\tOptions [V6, External, Router, LLS]\
                    \n\t  Hello Timer 10s, Dead Timer 40s, Interface-ID 0.0.0.6, Priority 1\
                    \n\t  Designated Router 1.1.1.1, Backup Designated Router 2.2.2.2";
        let tail = "\n\tLLS Checksum 0x0000, Data Length 8\
                    \n\tAuthentication Type HMAC, Length 32, SAID 5, CSN 0x00000001:00000002";
        assert_eq!(run(1, &p), format!("{head}{tail}"));
        assert_eq!(
            run(2, &p),
            format!(
                "{head}\n\t  Neighbor List:\n\t    3.3.3.3\n\t    4.4.4.4{tail}\
                 \n\tAuthentication Data 0x0000:  1111 1111 1111 1111 1111 1111 1111 1111"
            )
        );
    }

    #[test]
    fn lsas_at_vv() {
        let p = hex(LSU);
        assert_eq!(
            run(1, &p),
            "OSPFv3, LS-Update, length 176\n\tRouter-ID 1.1.1.1, Backbone Area\
             \n\tAuthentication Type HMAC, Length 32, SAID 5, CSN 0x00000001:00000002"
        );
        let vv = run(2, &p);
        assert!(
            vv.contains(
                "\n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 5s, length 56\
                 \n\t    Link LSA (8), Link Local Scope, LSA-ID 0.0.0.6\
                 \n\t      Options [V6, External, Router]\
                 \n\t      Priority 1, Link-local address fe80::1, Prefixes 2:\
                 \n\t\t2001:db8:4::/64, metric 0\
                 \n\t\t2001:db8:5::1/128, Options [Down], metric 0\
                 \n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 5s, length 28\
                 \n\t    Intra-Area Prefix LSA (9), Area Local Scope, LSA-ID 0.0.0.3\
                 \n\t    Router LSA (1), Area Local Scope, LSA-ID 0.0.0.0\
                 \n\t      Prefixes 2:\
                 \n\t\t2001:db8:6::/64, metric 10\
                 \n\t\t::/0, metric 1\n"
            ),
            "{vv}"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [HELLO, LSU] {
            let p = hex(pkt);
            assert_every_truncation_is_safe(&p, &verbosities(3), |ctx, q| {
                ospf6_print(ctx, q, p.len() as u32)
            });
        }
        // Cut anywhere after the fixed header: the marker ends the text.
        let p = hex(LSU);
        for n in 16..p.len() {
            let out = run_marked(&opts(2, false), |ctx| ospf6_print(ctx, &p[..n], 176));
            assert!(out.ends_with(" [|ospf3]"), "{n}: {out}");
        }
    }
}
