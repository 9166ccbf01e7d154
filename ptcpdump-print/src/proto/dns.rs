//! DNS printer (tcpdump's print-domain.c).
//!
//! RFC 1035 (message format, name compression, TCP length prefix), RFC 6891 (EDNS(0) OPT
//! pseudo-record), RFC 2673 (bit-string labels), RFC 4034 (DNSSEC types), RFC 6975 (DAU/DHU/N3U),
//! RFC 7871 (client subnet), RFC 7873 (cookies), RFC 7553 (URI), RFC 6762 (mDNS QU/cache-flush
//! bits).
//!
//! Offsets index the DNS message (`bp`): the slice starts at the header and ends where the
//! capture (or the enclosing IP datagram) ends, which is tcpdump's `snapend`.

use std::fmt::Write;

use super::Ctx;
use super::textutil::{Tok, ipv4_str, ipv6_str, printn, relts, tok};
use crate::cursor::{Bytes, PResult, Truncated};

const MAXCDNAME: u32 = 255;

const TYPE_MASK: u8 = 0xc0;
const TYPE_INDIR: u8 = 0xc0;
const TYPE_RESERVED: u8 = 0x80;
const TYPE_EDNS0: u8 = 0x40;
const EDNS0_ELT_BITLABEL: u8 = 0x01;

const T_A: u16 = 1;
const T_NS: u16 = 2;
const T_CNAME: u16 = 5;
const T_SOA: u16 = 6;
const T_PTR: u16 = 12;
const T_MX: u16 = 15;
const T_TXT: u16 = 16;
const T_AAAA: u16 = 28;
const T_SRV: u16 = 33;
const T_A6: u16 = 38;
const T_DNAME: u16 = 39;
const T_OPT: u16 = 41;
const T_UNSPECA: u16 = 104;
const T_TSIG: u16 = 250;
const T_URI: u16 = 256;

const C_IN: u16 = 1;
const C_QU: u16 = 0x8000;
const C_CACHE_FLUSH: u16 = 0x8000;
const IQUERY: u16 = 1;

const NS_OPS: [&str; 16] = [
    "",
    " inv_q",
    " stat",
    " op3",
    " notify",
    " update",
    " op6",
    " op7",
    " op8",
    " updateA",
    " updateD",
    " updateDA",
    " updateM",
    " updateMA",
    " zoneInit",
    " zoneRef",
];

// Two entries lack their leading space in tcpdump 4.99.3; kept for byte-exact output.
const NS_RESP: [&str; 24] = [
    "",
    " FormErr",
    " ServFail",
    " NXDomain",
    " NotImp",
    " Refused",
    " YXDomain",
    " YXRRSet",
    " NXRRSet",
    " NotAuth",
    " NotZone",
    " Resp11",
    " Resp12",
    " Resp13",
    " Resp14",
    " NoChange",
    " BadVers",
    "Resp17",
    " Resp18",
    " Resp19",
    " Resp20",
    "Resp21",
    " Resp22",
    " BadCookie",
];

/// Resource record types (IANA dns-parameters as tcpdump 4.99.3 knows them).
pub const NS_TYPES: &[Tok] = &[
    (1, "A"),
    (2, "NS"),
    (3, "MD"),
    (4, "MF"),
    (5, "CNAME"),
    (6, "SOA"),
    (7, "MB"),
    (8, "MG"),
    (9, "MR"),
    (10, "NULL"),
    (11, "WKS"),
    (12, "PTR"),
    (13, "HINFO"),
    (14, "MINFO"),
    (15, "MX"),
    (16, "TXT"),
    (17, "RP"),
    (18, "AFSDB"),
    (19, "X25"),
    (20, "ISDN"),
    (21, "RT"),
    (22, "NSAP"),
    (23, "NSAP_PTR"),
    (24, "SIG"),
    (25, "KEY"),
    (26, "PX"),
    (27, "GPOS"),
    (28, "AAAA"),
    (29, "LOC"),
    (30, "NXT"),
    (31, "EID"),
    (32, "NIMLOC"),
    (33, "SRV"),
    (34, "ATMA"),
    (35, "NAPTR"),
    (36, "KX"),
    (37, "CERT"),
    (38, "A6"),
    (39, "DNAME"),
    (40, "SINK"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS"),
    (44, "SSHFP"),
    (45, "IPSECKEY"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (99, "SPF"),
    (100, "UINFO"),
    (101, "UID"),
    (102, "GID"),
    (103, "UNSPEC"),
    (104, "UNSPECA"),
    (249, "TKEY"),
    (250, "TSIG"),
    (251, "IXFR"),
    (252, "AXFR"),
    (253, "MAILB"),
    (254, "MAILA"),
    (255, "ANY"),
    (256, "URI"),
];

/// Resource record classes (also used by lwres.rs).
pub const NS_CLASSES: &[Tok] = &[(1, "IN"), (3, "CHAOS"), (4, "HS"), (255, "ANY")];

const E_DAU: u16 = 5;
const E_DHU: u16 = 6;
const E_N3U: u16 = 7;
const E_ECS: u16 = 8;
const E_EXPIRE: u16 = 9;
const E_COOKIE: u16 = 10;
const E_KEEPALIVE: u16 = 11;
const E_PADDING: u16 = 12;
const E_CHAIN: u16 = 13;
const E_KEYTAG: u16 = 14;

const EDNS_OPTS: &[Tok] = &[
    (1, "LLQ"),
    (2, "UL"),
    (3, "NSID"),
    (5, "DAU"),
    (6, "DHU"),
    (7, "N3U"),
    (8, "ECS"),
    (9, "EXPIRE"),
    (10, "COOKIE"),
    (11, "KEEPALIVE"),
    (12, "PADDING"),
    (13, "CHAIN"),
    (14, "KEY-TAG"),
    (16, "CLIENT-TAG"),
    (17, "SERVER-TAG"),
];

const DAU_ALGS: &[Tok] = &[
    (0, "DELETE"),
    (1, "RSAMD5"),
    (2, "DH"),
    (3, "DS"),
    (5, "RSASHA1"),
    (6, "DSA-NSEC3-SHA1"),
    (7, "RSASHA1-NSEC3-SHA1"),
    (8, "RSASHA256"),
    (10, "RSASHA512"),
    (12, "ECC-GOST"),
    (13, "ECDSAP256SHA256"),
    (14, "ECDSAP384SHA384"),
    (15, "ED25519"),
    (16, "ED448"),
    (252, "INDIRECT"),
    (253, "PRIVATEDNS"),
    (254, "PRIVATEOID"),
];

const DHU_ALGS: &[Tok] = &[
    (1, "SHA-1"),
    (2, "SHA-256"),
    (3, "GOST_R_34.11-94"),
    (4, "SHA-384"),
];

const N3U_ALGS: &[Tok] = &[(1, "SHA-1")];

fn type_name(t: u16) -> String {
    tok(NS_TYPES, t.into()).map_or_else(|| format!("Type{t}"), str::to_string)
}

fn class_name(c: u16) -> String {
    tok(NS_CLASSES, c.into()).map_or_else(|| format!("(Class {c})"), str::to_string)
}

fn rcode_name(rcode: u16) -> String {
    match NS_RESP.get(usize::from(rcode)) {
        Some(s) => (*s).to_string(),
        None => format!(" Resp{}", rcode & 0xfff),
    }
}

/// `ns_nskip`: the offset just after the name at `cp`, without printing.
fn nskip(buf: &[u8], cp: usize) -> Option<usize> {
    let mut cp = cp;
    let mut i = *buf.get(cp)?;
    cp += 1;
    while i != 0 {
        match i & TYPE_MASK {
            TYPE_INDIR => return Some(cp + 1),
            TYPE_EDNS0 => {
                if i & !TYPE_MASK != EDNS0_ELT_BITLABEL {
                    return None;
                }
                let bitlen = match *buf.get(cp)? {
                    0 => 256,
                    b => usize::from(b),
                };
                cp += 1 + bitlen.div_ceil(8);
            }
            TYPE_RESERVED => return None,
            _ => cp += usize::from(i),
        }
        i = *buf.get(cp)?;
        cp += 1;
    }
    Some(cp)
}

/// `blabel_print`: an RFC 2673 bit-string label as `\[x<hex>/<bits>]`.
fn blabel_print(out: &mut String, buf: &[u8], cp: usize) -> PResult<usize> {
    let bitlen: u32 = match buf.u8_at(cp)? {
        0 => 256,
        b => b.into(),
    };
    let slen = (bitlen as usize).div_ceil(4);
    let lim = cp + 1 + slen;
    out.push_str("\\[x");
    let mut bitp = cp + 1;
    let mut b = bitlen;
    while bitp < lim && b > 7 {
        let _ = write!(out, "{:02x}", buf.u8_at(bitp)?);
        b -= 8;
        bitp += 1;
    }
    if b > 4 {
        let tc = u32::from(buf.u8_at(bitp)?);
        let _ = write!(out, "{:02x}", tc & (0xff << (8 - b)));
    } else if b > 0 {
        let tc = u32::from(buf.u8_at(bitp)?);
        let _ = write!(out, "{:1x}", ((tc >> 4) & 0x0f) & (0x0f << (4 - b)));
    }
    let _ = write!(out, "/{bitlen}]");
    Ok(lim)
}

/// `labellen`: the length of the label at `cp` (the raw byte for pointers).
fn labellen(out: &mut String, buf: &[u8], cp: usize) -> PResult<u32> {
    let i = buf.u8_at(cp)?;
    match i & TYPE_MASK {
        TYPE_EDNS0 => {
            let elt = i & !TYPE_MASK;
            if elt != EDNS0_ELT_BITLABEL {
                let _ = write!(out, "<ELT {elt}>");
                return Err(Truncated);
            }
            let bitlen: u32 = match buf.u8_at(cp + 1)? {
                0 => 256,
                b => b.into(),
            };
            Ok(bitlen.div_ceil(8) + 1)
        }
        TYPE_INDIR | 0 => Ok(i.into()),
        _ => {
            out.push_str("<BAD LABEL TYPE>");
            Err(Truncated)
        }
    }
}

/// `fqdn_print`: prints the domain name at `cp`, following compression pointers relative to
/// `bp`. Returns the offset just past the name as it appears at `cp`. Every failure (bad
/// pointer, bad label, short capture) is reported as [`Truncated`], as tcpdump's callers all
/// end in their truncation path.
pub fn fqdn_print(out: &mut String, buf: &[u8], cp: usize, bp: usize) -> PResult<usize> {
    let mut l = labellen(out, buf, cp)?;
    let mut cp = cp;
    let mut max_offset = cp.wrapping_sub(bp) as u32;
    let mut i = buf.u8_at(cp)?;
    cp += 1;
    let mut compress = false;
    let mut rp: Option<usize> = None;
    if i & TYPE_MASK != TYPE_INDIR {
        rp = Some(cp + l as usize);
    }
    let mut name_chars: u32 = 0;
    if i != 0 {
        while i != 0 && cp < buf.len() {
            match i & TYPE_MASK {
                TYPE_INDIR => {
                    if !compress {
                        rp = Some(cp + 1);
                        compress = true;
                    }
                    let offset = ((u32::from(i) << 8) | u32::from(buf.u8_at(cp)?)) & 0x3fff;
                    if offset >= max_offset {
                        out.push_str("<BAD PTR>");
                        return Err(Truncated);
                    }
                    max_offset = offset;
                    cp = bp.checked_add(offset as usize).ok_or(Truncated)?;
                    i = buf.u8_at(cp)?;
                    l = labellen(out, buf, cp)?;
                    cp += 1;
                    continue;
                }
                TYPE_EDNS0 => {
                    let elt = i & !TYPE_MASK;
                    if elt == EDNS0_ELT_BITLABEL {
                        blabel_print(out, buf, cp)?;
                    } else {
                        let _ = write!(out, "<ELT {elt}>");
                        return Err(Truncated);
                    }
                }
                TYPE_RESERVED => {
                    out.push_str("<BAD LABEL TYPE>");
                    return Err(Truncated);
                }
                _ => {
                    if name_chars + l <= MAXCDNAME {
                        if printn(out, buf, cp, l as usize) {
                            return Err(Truncated);
                        }
                    } else if name_chars < MAXCDNAME
                        && printn(out, buf, cp, (MAXCDNAME - name_chars) as usize)
                    {
                        return Err(Truncated);
                    }
                    name_chars += l;
                }
            }
            cp += l as usize;
            if name_chars <= MAXCDNAME {
                out.push('.');
            }
            name_chars += 1;
            i = buf.u8_at(cp)?;
            l = labellen(out, buf, cp)?;
            cp += 1;
            if !compress {
                rp = rp.map(|r| r + l as usize + 1);
            }
        }
        if name_chars > MAXCDNAME {
            out.push_str("<DOMAIN NAME TOO LONG>");
        }
    } else {
        out.push('.');
    }
    rp.ok_or(Truncated)
}

/// `ns_cprint`: a <character-string>.
fn cprint(out: &mut String, buf: &[u8], cp: usize) -> PResult<usize> {
    let i = usize::from(buf.u8_at(cp)?);
    if printn(out, buf, cp + 1, i) {
        return Err(Truncated);
    }
    Ok(cp + 1 + i)
}

fn invalid(out: &mut String) {
    out.push_str(" (invalid)");
}

/// EDNS client subnet option data.
fn print_eopt_ecs(out: &mut String, d: &[u8]) {
    if d.len() < 4 {
        invalid(out);
        return;
    }
    let family = u16::from_be_bytes([d[0], d[1]]);
    let src_len = u32::from(d[2]);
    let scope_len = u32::from(d[3]);
    let addr_bits = match family {
        1 => 32,
        2 => 128,
        _ => {
            invalid(out);
            return;
        }
    };
    let alen = d.len() - 4;
    if alen > addr_bits as usize / 8
        || src_len > addr_bits
        || scope_len > addr_bits
        || src_len.div_ceil(8) as usize != alen
    {
        invalid(out);
        return;
    }
    let mut padded = [0u8; 16];
    padded[..alen].copy_from_slice(&d[4..]);
    let a = if family == 1 {
        ipv4_str([padded[0], padded[1], padded[2], padded[3]])
    } else {
        ipv6_str(padded)
    };
    let _ = write!(out, "{a}/{src_len}/{scope_len}");
}

/// `eopt_print`: one EDNS option; returns the offset after it.
fn eopt_print(out: &mut String, buf: &[u8], cp: usize) -> PResult<usize> {
    let opt = buf.be_u16(cp)?;
    match tok(EDNS_OPTS, opt.into()) {
        Some(s) => out.push_str(s),
        None => {
            let _ = write!(out, "Opt{opt}");
        }
    }
    let data_len = usize::from(buf.be_u16(cp + 2)?);
    let cp = cp + 4;
    let d = buf.sub(cp, data_len)?;
    if data_len > 0 {
        out.push(' ');
        let algs = |out: &mut String, table: &[Tok]| {
            for (i, a) in d.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                match tok(table, (*a).into()) {
                    Some(s) => out.push_str(s),
                    None => {
                        let _ = write!(out, "Alg_{a}");
                    }
                }
            }
        };
        match opt {
            E_ECS => print_eopt_ecs(out, d),
            E_COOKIE => {
                if data_len < 8 || (data_len > 8 && data_len < 16) || data_len > 40 {
                    invalid(out);
                } else {
                    for (i, b) in d.iter().enumerate() {
                        if i == 8 {
                            out.push(' ');
                        }
                        let _ = write!(out, "{b:02x}");
                    }
                }
            }
            E_KEEPALIVE => {
                if data_len != 2 {
                    invalid(out);
                } else {
                    let v = u16::from_be_bytes([d[0], d[1]]);
                    let _ = write!(out, "{:.1} sec", f64::from(v) / 10.0);
                }
            }
            E_EXPIRE => {
                if data_len != 4 {
                    invalid(out);
                } else {
                    let _ = write!(out, "{} sec", u32::from_be_bytes([d[0], d[1], d[2], d[3]]));
                }
            }
            E_PADDING => {
                let _ = write!(out, "({data_len})");
            }
            E_KEYTAG => {
                if data_len % 2 != 0 {
                    invalid(out);
                } else {
                    for (i, w) in d.chunks_exact(2).enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        let _ = write!(out, "{}", u16::from_be_bytes([w[0], w[1]]));
                    }
                }
            }
            E_DAU => algs(out, DAU_ALGS),
            E_DHU => algs(out, DHU_ALGS),
            E_N3U => algs(out, N3U_ALGS),
            E_CHAIN => {
                // tcpdump ignores failures here (the name is bounded by the option).
                let _ = fqdn_print(out, buf, cp, cp + data_len);
            }
            _ => {
                for b in d {
                    let _ = write!(out, "{b:02x}");
                }
            }
        }
    }
    Ok(cp + data_len)
}

struct Dns<'a> {
    out: &'a mut String,
    v: u8,
    buf: &'a [u8],
    is_mdns: bool,
}

impl Dns<'_> {
    /// `ns_qprint`: one question; returns the offset after it.
    fn qprint(&mut self, cp: usize) -> PResult<usize> {
        let np = cp;
        let cp = nskip(self.buf, cp).ok_or(Truncated)?;
        if !self.buf.has(cp, 4) {
            return Err(Truncated);
        }
        let qtype = self.buf.be_u16(cp)?;
        let _ = write!(self.out, " {}", type_name(qtype));
        let i = self.buf.be_u16(cp + 2)?;
        let class = if self.is_mdns { i & !C_QU } else { i };
        if class != C_IN {
            let _ = write!(self.out, " {}", class_name(class));
        }
        if self.is_mdns {
            self.out
                .push_str(if i & C_QU != 0 { " (QU)" } else { " (QM)" });
        }
        self.out.push_str("? ");
        let end = fqdn_print(self.out, self.buf, np, 0)?;
        Ok(end + 4)
    }

    /// `ns_rprint`: one resource record; returns the offset after it. A record whose fixed
    /// part is not captured yields the end of the capture, as in tcpdump.
    fn rprint(&mut self, cp: usize) -> PResult<usize> {
        let buf = self.buf;
        let snapend = buf.len();
        let cp = if self.v > 0 {
            self.out.push(' ');
            Some(fqdn_print(self.out, buf, cp, 0)?)
        } else {
            nskip(buf, cp)
        };
        let Some(mut cp) = cp.filter(|&c| buf.has(c, 10)) else {
            return Ok(snapend);
        };
        let typ = buf.be_u16(cp)?;
        let i = buf.be_u16(cp + 2)?;
        cp += 4;
        let class = if self.is_mdns { i & !C_CACHE_FLUSH } else { i };
        if class != C_IN && typ != T_OPT {
            let _ = write!(self.out, " {}", class_name(class));
        }
        if self.is_mdns && i & C_CACHE_FLUSH != 0 {
            self.out.push_str(" (Cache flush)");
        }
        let mut opt_flags = 0;
        if typ == T_OPT {
            opt_flags = buf.be_u16(cp + 2)?;
            cp += 4;
        } else if self.v > 2 {
            self.out.push_str(" [");
            relts(self.out, buf.be_u32(cp)?);
            self.out.push(']');
            cp += 4;
        } else {
            cp += 4;
        }
        let len = usize::from(buf.be_u16(cp)?);
        cp += 2;
        let rp = cp + len;
        let _ = write!(self.out, " {}", type_name(typ));
        if rp > snapend {
            return Err(Truncated);
        }
        let out = &mut *self.out;
        match typ {
            T_A => {
                let _ = write!(out, " {}", ipv4_str(buf.ipv4_at(cp)?));
            }
            T_NS | T_CNAME | T_PTR | T_DNAME => {
                out.push(' ');
                fqdn_print(out, buf, cp, 0)?;
            }
            T_SOA if self.v > 0 => {
                out.push(' ');
                let c = fqdn_print(out, buf, cp, 0)?;
                out.push(' ');
                let c = fqdn_print(out, buf, c, 0)?;
                if !buf.has(c, 20) {
                    return Err(Truncated);
                }
                for k in 0..5 {
                    let _ = write!(out, " {}", buf.be_u32(c + 4 * k)?);
                }
            }
            T_MX => {
                out.push(' ');
                if !buf.has(cp, 2) {
                    return Err(Truncated);
                }
                fqdn_print(out, buf, cp + 2, 0)?;
                let _ = write!(out, " {}", buf.be_u16(cp)?);
            }
            T_TXT => {
                let mut c = cp;
                while c < rp {
                    out.push_str(" \"");
                    c = cprint(out, buf, c)?;
                    out.push('"');
                }
            }
            T_SRV => {
                out.push(' ');
                if !buf.has(cp, 6) {
                    return Err(Truncated);
                }
                fqdn_print(out, buf, cp + 6, 0)?;
                let _ = write!(
                    out,
                    ":{} {} {}",
                    buf.be_u16(cp + 4)?,
                    buf.be_u16(cp)?,
                    buf.be_u16(cp + 2)?
                );
            }
            T_AAAA => {
                let _ = write!(out, " {}", ipv6_str(buf.ipv6_at(cp)?));
            }
            T_A6 => {
                let pbit = usize::from(buf.u8_at(cp)?);
                let pbyte = (pbit & !7) / 8;
                if pbit > 128 {
                    let _ = write!(out, " {pbit}(bad plen)");
                } else {
                    if pbit < 128 {
                        let mut a = [0u8; 16];
                        a[pbyte..].copy_from_slice(buf.sub(cp + 1, 16 - pbyte)?);
                        let _ = write!(out, " {} {}", pbit, ipv6_str(a));
                    }
                    if pbit > 0 {
                        out.push(' ');
                        fqdn_print(out, buf, cp + 1 + 16 - pbyte, 0)?;
                    }
                }
            }
            T_URI => {
                if !buf.has(cp, len) {
                    return Err(Truncated);
                }
                let _ = write!(out, " {} {} ", buf.be_u16(cp)?, buf.be_u16(cp + 2)?);
                if printn(out, buf, cp + 4, len.wrapping_sub(4)) {
                    return Err(Truncated);
                }
            }
            T_OPT => {
                let _ = write!(out, " UDPsize={class}");
                if opt_flags & 0x8000 != 0 {
                    out.push_str(" DO");
                }
                if cp < rp {
                    out.push_str(" [");
                    let mut c = cp;
                    while c < rp {
                        c = eopt_print(out, buf, c)?;
                        if c < rp {
                            out.push(',');
                        }
                    }
                    out.push(']');
                }
            }
            T_UNSPECA if (!buf.has(cp, len) || printn(out, buf, cp, len)) => {
                return Err(Truncated);
            }
            T_TSIG if self.v > 0 => {
                out.push(' ');
                let mut c = fqdn_print(out, buf, cp, 0)?;
                c += 6;
                let _ = write!(out, " fudge={}", buf.be_u16(c)?);
                c += 2;
                let maclen = buf.be_u16(c)?;
                let _ = write!(out, " maclen={maclen}");
                c += 2 + usize::from(maclen);
                let _ = write!(out, " origid={}", buf.be_u16(c)?);
                c += 2;
                let _ = write!(out, " error={}", buf.be_u16(c)?);
                c += 2;
                let _ = write!(out, " otherlen={}", buf.be_u16(c)?);
            }
            _ => {}
        }
        Ok(rp)
    }

    /// Prints `count` records, the first one preceded by `label`, separated by commas.
    /// Returns the offset after the last one printed; stops early at the end of the capture
    /// and reports truncation when records remain.
    fn section(&mut self, cp: usize, count: u32, label: &str, check_first: bool) -> PResult<usize> {
        let mut cp = cp;
        let mut count = count;
        if count > 0 && (!check_first || cp < self.buf.len()) {
            self.out.push_str(label);
            cp = self.rprint(cp)?;
            count -= 1;
            while cp < self.buf.len() && count > 0 {
                self.out.push(',');
                cp = self.rprint(cp)?;
                count -= 1;
            }
        }
        if count > 0 {
            return Err(Truncated);
        }
        Ok(cp)
    }
}

/// `domain_print`: a DNS message of `length` bytes (including the 2-byte length prefix when
/// `over_tcp`). `bp` holds the captured bytes from the start of the message.
pub fn domain_print(
    ctx: &mut Ctx,
    bp: &[u8],
    length: u32,
    over_tcp: bool,
    is_mdns: bool,
) -> PResult {
    ctx.protocol = "domain";
    let v = ctx.vflag();
    // print-domain.c reports truncation through its local `trunc:` label (its helpers return
    // NULL), not by longjmp: the link-layer header length stays known for -x/-X/-A. Only the
    // TCP length prefix is read with a longjmp-ing GET.
    if over_tcp && length >= 2 && bp.len() < 2 {
        return Err(Truncated);
    }
    if print(ctx.out, v, bp, length, over_tcp, is_mdns).is_err() {
        ctx.print_trunc();
    }
    Ok(())
}

fn print(
    out: &mut String,
    v: u8,
    bp: &[u8],
    length: u32,
    over_tcp: bool,
    is_mdns: bool,
) -> PResult {
    let mut length = length;
    let mut bp = bp;
    if over_tcp {
        if length < 2 {
            let _ = write!(out, " [DNS over TCP: length {length} < 2]");
            invalid(out);
            return Ok(());
        }
        length -= 2;
        let prefix = bp.be_u16(0)?;
        if u32::from(prefix) != length {
            let _ = write!(out, " [prefix length({prefix}) != length({length})]");
            invalid(out);
            return Ok(());
        }
        bp = &bp[2..];
        out.push(' ');
    }
    if length < 12 {
        let _ = write!(out, "domain [length {length} < 12]");
        invalid(out);
        return Ok(());
    }
    let buf = bp;
    let snapend = buf.len();
    if !buf.has(0, 12) {
        return Err(Truncated);
    }
    let id = buf.be_u16(0)?;
    let flags = buf.be_u16(2)?;
    let qdcount = u32::from(buf.be_u16(4)?);
    let ancount = u32::from(buf.be_u16(6)?);
    let nscount = u32::from(buf.be_u16(8)?);
    let arcount = u32::from(buf.be_u16(10)?);

    // Find the OPT record to extend the rcode with its upper 8 bits.
    let mut rcode = flags & 0x000f;
    'scan: {
        let mut cp = 12usize;
        for _ in 0..qdcount {
            let Some(c) = nskip(buf, cp) else { break 'scan };
            cp = c + 4;
            if cp >= snapend {
                break 'scan;
            }
        }
        for _ in 0..ancount + nscount {
            let Some(c) = nskip(buf, cp) else { break 'scan };
            cp = c + 8;
            if cp + 2 > snapend {
                break 'scan;
            }
            cp += 2 + usize::from(buf.be_u16(cp)?);
            if cp >= snapend {
                break 'scan;
            }
        }
        for _ in 0..arcount {
            let Some(c) = nskip(buf, cp) else { break 'scan };
            cp = c;
            if cp + 2 > snapend {
                break 'scan;
            }
            let typ = buf.be_u16(cp)?;
            cp += 4;
            if cp + 1 > snapend {
                break 'scan;
            }
            if typ == T_OPT {
                rcode |= u16::from(buf.u8_at(cp)?) << 4;
                break 'scan;
            }
            cp += 4;
            if cp + 2 > snapend {
                break 'scan;
            }
            cp += 2 + usize::from(buf.be_u16(cp)?);
            if cp >= snapend {
                break 'scan;
            }
        }
    }

    let opcode = usize::from((flags >> 11) & 0xf);
    let mut d = Dns {
        out,
        v,
        buf,
        is_mdns,
    };
    if flags & 0x8000 != 0 {
        let _ = write!(
            d.out,
            "{}{}{}{}{}{}{}",
            id,
            NS_OPS[opcode],
            rcode_name(rcode),
            if flags & 0x0400 != 0 { "*" } else { "" },
            if flags & 0x0080 != 0 { "" } else { "-" },
            if flags & 0x0200 != 0 { "|" } else { "" },
            if flags & 0x0020 != 0 { "$" } else { "" },
        );
        if qdcount != 1 {
            let _ = write!(d.out, " [{qdcount}q]");
        }
        let mut cp = 12usize;
        for i in 0..qdcount {
            if i != 0 {
                d.out.push(',');
            }
            if v > 1 {
                d.out.push_str(" q:");
                cp = d.qprint(cp)?;
            } else {
                cp = nskip(buf, cp).ok_or(Truncated)? + 4;
            }
        }
        let _ = write!(d.out, " {ancount}/{nscount}/{arcount}");
        cp = d.section(cp, ancount, "", false)?;
        if v > 1 {
            cp = d.section(cp, nscount, " ns:", true)?;
            d.section(cp, arcount, " ar:", true)?;
        }
    } else {
        let _ = write!(
            d.out,
            "{}{}{}{}",
            id,
            NS_OPS[opcode],
            if flags & 0x0100 != 0 { "+" } else { "" },
            if flags & 0x0010 != 0 { "%" } else { "" },
        );
        if flags & 0x6cf != 0 {
            let _ = write!(d.out, " [b2&3=0x{flags:x}]");
        }
        if opcode == usize::from(IQUERY) {
            if qdcount != 0 {
                let _ = write!(d.out, " [{qdcount}q]");
            }
            if ancount != 1 {
                let _ = write!(d.out, " [{ancount}a]");
            }
        } else {
            if ancount != 0 {
                let _ = write!(d.out, " [{ancount}a]");
            }
            if qdcount != 1 {
                let _ = write!(d.out, " [{qdcount}q]");
            }
        }
        if nscount != 0 {
            let _ = write!(d.out, " [{nscount}n]");
        }
        if arcount != 0 {
            let _ = write!(d.out, " [{arcount}au]");
        }
        let mut cp = 12usize;
        let mut qd = qdcount;
        if qd > 0 {
            cp = d.qprint(cp)?;
            qd -= 1;
            while cp < snapend && qd > 0 {
                cp = d.qprint(cp)?;
                qd -= 1;
            }
        }
        if qd > 0 {
            return Err(Truncated);
        }
        if v > 1 {
            cp = d.section(cp, ancount, "", false)?;
            cp = d.section(cp, nscount, " ns:", true)?;
            d.section(cp, arcount, " ar:", true)?;
        }
    }
    let _ = write!(d.out, " ({length})");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: u8, msg: &[u8], tcp: bool) -> (String, PResult) {
        let mut s = String::new();
        let r = print(&mut s, v, msg, msg.len() as u32, tcp, false);
        (s, r)
    }

    // Query "www.tcpdump.org A" with an OPT record carrying a client cookie.
    const QUERY: &[u8] = &[
        0x59, 0x34, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 3, b'w', b'w',
        b'w', 7, b't', b'c', b'p', b'd', b'u', b'm', b'p', 3, b'o', b'r', b'g', 0, 0x00, 0x01,
        0x00, 0x01, 0x00, 0x00, 0x29, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a,
        0x00, 0x08, 0x42, 0xf5, 0xd0, 0x09, 0x96, 0xf9, 0x0b, 0x13,
    ];

    // Response with one compressed A answer and TTL 60.
    const RESPONSE: &[u8] = &[
        0x12, 0x34, 0x85, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 7, b'e', b'x',
        b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c,
        0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04, 93, 184, 216, 34,
    ];

    #[test]
    fn query_with_edns_cookie() {
        assert_eq!(
            run(0, QUERY, false).0,
            "22836+ [1au] A? www.tcpdump.org. (56)"
        );
        assert_eq!(
            run(2, QUERY, false).0,
            "22836+ [1au] A? www.tcpdump.org. ar: . OPT UDPsize=4096 [COOKIE 42f5d00996f90b13] (56)"
        );
    }

    #[test]
    fn response_levels() {
        assert_eq!(
            run(0, RESPONSE, false).0,
            "4660*- 1/0/0 A 93.184.216.34 (45)"
        );
        assert_eq!(
            run(1, RESPONSE, false).0,
            "4660*- 1/0/0 example.com. A 93.184.216.34 (45)"
        );
        assert_eq!(
            run(3, RESPONSE, false).0,
            "4660*- q: A? example.com. 1/0/0 example.com. [1m] A 93.184.216.34 (45)"
        );
    }

    #[test]
    fn tcp_prefix_checked() {
        let mut m = vec![0, RESPONSE.len() as u8];
        m.extend_from_slice(RESPONSE);
        assert_eq!(run(0, &m, true).0, " 4660*- 1/0/0 A 93.184.216.34 (45)");
        m[1] += 1;
        assert_eq!(
            run(0, &m, true).0,
            " [prefix length(46) != length(45)] (invalid)"
        );
    }

    #[test]
    fn forward_pointer_is_rejected() {
        let mut m = RESPONSE.to_vec();
        m[30] = 0x20; // answer name points past itself
        let (s, r) = run(1, &m, false);
        assert!(s.ends_with("<BAD PTR>"), "{s}");
        assert_eq!(r, Err(Truncated));
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for msg in [QUERY, RESPONSE] {
            for cut in 0..msg.len() {
                for v in 0..4 {
                    let mut s = String::new();
                    let _ = print(&mut s, v, &msg[..cut], msg.len() as u32, false, true);
                }
            }
        }
    }
}
