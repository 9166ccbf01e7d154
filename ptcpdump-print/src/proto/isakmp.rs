//! ISAKMP / IKE: IKEv1 (RFC 2408, RFC 2409) and IKEv2 (RFC 7296) on UDP port 500, and the
//! UDP encapsulation of RFC 3948 on port 4500; tcpdump's print-isakmp.c.
//!
//! IKEv2 encrypted payloads are decrypted with the `-E` keys of their IKE SA (esp.rs).

use super::{Ctx, IpHdr, pr};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: usize = 28;
const GEN_LEN: usize = 4;

const FLAG_E: u8 = 0x01;
const FLAG_C: u8 = 0x02;
const FLAG_I: u8 = 0x08;
const FLAG_V: u8 = 0x10;
const FLAG_R: u8 = 0x20;

const NPTYPE_T: u8 = 3;
const NPTYPE_P: u8 = 2;
const NPTYPE_N: u8 = 11;
const NPTYPE_V2E: u8 = 46;

const MAXINITIATORS: usize = 20;

const PROTOIDSTR: &[Option<&str>] = &[
    None,
    Some("isakmp"),
    Some("ipsec-ah"),
    Some("ipsec-esp"),
    Some("ipcomp"),
];

const NPSTR: &[&str] = &[
    "none", "sa", "p", "t", "ke", "id", "cert", "cr", "hash", "sig", "nonce", "n", "d", "vid",
    "pay14", "pay15", "pay16", "pay17", "pay18", "pay19", "pay20", "pay21", "pay22", "pay23",
    "pay24", "pay25", "pay26", "pay27", "pay28", "pay29", "pay30", "pay31", "pay32", "v2sa",
    "v2ke", "v2IDi", "v2IDr", "v2cert", "v2cr", "v2auth", "v2nonce", "v2n", "v2d", "v2vid",
    "v2TSi", "v2TSr", "v2e", "v2cp", "v2eap",
];

const ETYPESTR: &[(u32, &str)] = &[
    (0, "none"),
    (1, "base"),
    (2, "ident"),
    (3, "auth"),
    (4, "agg"),
    (5, "inf"),
    (32, "oakley-quick"),
    (33, "oakley-newgroup"),
    (34, "ikev2_init"),
    (35, "ikev2_auth"),
    (36, "child_sa"),
    (37, "inf2"),
];

const IKEV2_T_TYPE_MAP: &[Option<&str>] = &[
    None,
    Some("encr"),
    Some("prf"),
    Some("integ"),
    Some("dh"),
    Some("esn"),
];
const PRF_P_MAP: &[Option<&str>] = &[
    None,
    Some("hmac-md5"),
    Some("hmac-sha"),
    Some("hmac-tiger"),
    Some("aes128_xcbc"),
];
const INTEG_P_MAP: &[Option<&str>] = &[
    None,
    Some("hmac-md5"),
    Some("hmac-sha"),
    Some("dec-mac"),
    Some("kpdk-md5"),
    Some("aes-xcbc"),
];
const ESN_P_MAP: &[Option<&str>] = &[Some("no-esn"), Some("esn")];
const DH_P_MAP: &[Option<&str>] = &[
    None,
    Some("modp768"),
    Some("modp1024"),
    Some("EC2N 2^155"),
    Some("EC2N 2^185"),
    Some("modp1536"),
    Some("iana-grp06"),
    Some("iana-grp07"),
    Some("iana-grp08"),
    Some("iana-grp09"),
    Some("iana-grp10"),
    Some("iana-grp11"),
    Some("iana-grp12"),
    Some("iana-grp13"),
    Some("modp2048"),
    Some("modp3072"),
    Some("modp4096"),
    Some("modp6144"),
    Some("modp8192"),
];
const ESP_P_MAP: &[Option<&str>] = &[
    None,
    Some("1des-iv64"),
    Some("1des"),
    Some("3des"),
    Some("rc5"),
    Some("idea"),
    Some("cast"),
    Some("blowfish"),
    Some("3idea"),
    Some("1des-iv32"),
    Some("rc4"),
    Some("null"),
    Some("aes"),
];
const V2_AUTH: &[Option<&str>] = &[
    Some("invalid"),
    Some("rsasig"),
    Some("shared-secret"),
    Some("dsssig"),
];

/// Notify message types with a name, and whether the SPI is shown.
const NOTIFY: &[(u16, &str, bool)] = &[
    (1, "unsupported_critical_payload", false),
    (4, "invalid_ike_spi", true),
    (5, "invalid_major_version", false),
    (7, "invalid_syntax", true),
    (9, "invalid_message_id", true),
    (11, "invalid_spi", true),
    (14, "no_protocol_chosen", true),
    (17, "invalid_ke_payload", true),
    (24, "authentication_failed", true),
    (34, "single_pair_required", true),
    (35, "no_additional_sas", false),
    (36, "internal_address_failure", false),
    (37, "failed:cp_required", false),
    (39, "invalid_selectors", false),
    (16384, "initial_contact", false),
    (16385, "set_window_size", false),
    (16386, "additional_ts_possible", false),
    (16387, "ipcomp_supported", false),
    (16388, "nat_detection_source_ip", true),
    (16389, "nat_detection_destination_ip", true),
    (16390, "cookie", true),
    (16391, "use_transport_mode", false),
    (16392, "http_cert_lookup_supported", false),
    (16393, "rekey_sa", true),
    (16394, "tfc_padding_not_supported", false),
    (16395, "non_first_fragment_also", false),
];
const NOTIFY_COOKIE: u16 = 16390;

/// tcpdump's cache of IKEv1 initiator cookies and the addresses that used them.
pub struct CookieCache {
    slots: [CookieSlot; MAXINITIATORS],
    next: usize,
}

#[derive(Clone, Copy, Default)]
struct CookieSlot {
    initiator: [u8; 8],
    version: u8,
    iaddr: [u8; 16],
    raddr: [u8; 16],
}

impl Default for CookieCache {
    fn default() -> Self {
        CookieCache {
            slots: [CookieSlot::default(); MAXINITIATORS],
            next: 0,
        }
    }
}

impl CookieCache {
    fn find(&self, c: &[u8]) -> Option<usize> {
        self.slots.iter().position(|s| s.initiator[..] == *c)
    }
    fn record(&mut self, c: &[u8], ip: &IpHdr) {
        if let Some(i) = self.find(c) {
            self.next = (i + 1) % MAXINITIATORS;
            return;
        }
        let n = ip.src.len().min(16);
        let s = &mut self.slots[self.next];
        s.version = ip.ver;
        s.iaddr = [0; 16];
        s.raddr = [0; 16];
        s.iaddr[..n].copy_from_slice(&ip.src[..n]);
        s.raddr[..n].copy_from_slice(&ip.dst[..ip.dst.len().min(16)]);
        s.initiator.copy_from_slice(c);
        self.next = (self.next + 1) % MAXINITIATORS;
    }
    fn side(&self, i: usize, ip: &IpHdr, initiator: bool) -> bool {
        let s = &self.slots[i];
        if s.version != ip.ver || !matches!(ip.ver, 4 | 6) {
            return false;
        }
        let n = ip.src.len().min(16);
        let want = if initiator { &s.iaddr } else { &s.raddr };
        want[..n] == ip.src[..n]
    }
}

fn str_or_id(ctx: &mut Ctx, tab: &[Option<&str>], x: u32) {
    match tab.get(x as usize) {
        Some(Some(n)) => ctx.push(n),
        _ => pr!(ctx, "#{}", x),
    }
}

fn npstr(ctx: &mut Ctx, np: u8) {
    match NPSTR.get(np as usize) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "#{}", np),
    }
}

fn hexprint(ctx: &mut Ctx, b: &[u8]) {
    for x in b {
        pr!(ctx, "{:02x}", x);
    }
}

/// `rawprint`: false when the bytes are not captured.
fn rawprint(ctx: &mut Ctx, p: &[u8], off: usize, len: usize) -> bool {
    match p.sub(off, len) {
        Ok(b) => {
            hexprint(ctx, b);
            true
        }
        Err(_) => false,
    }
}

/// `ike_show_somedata`: the first 10 bytes from `off`, "...", then the last 20 bytes of the
/// captured message (not of the payload), as tcpdump does.
fn show_somedata(ctx: &mut Ctx, p: &[u8], off: usize) -> bool {
    let ep = p.len();
    let mut len = ep.saturating_sub(off);
    if len > 10 {
        len = 10;
    }
    let mut end = ep.saturating_sub(20);
    let mut elen = 20usize;
    if end < off + len {
        end = off + len;
        elen = ep.saturating_sub(end);
    }
    ctx.push(" data=(");
    if !rawprint(ctx, p, off, len) {
        return false;
    }
    ctx.push("...");
    if elen > 0 && !rawprint(ctx, p, end, elen) {
        return false;
    }
    ctx.push(")");
    true
}

fn pay_print(ctx: &mut Ctx, name_np: u8, critical: u8) {
    npstr(ctx, name_np);
    if critical & 0x80 != 0 {
        ctx.push("[C]");
    }
    ctx.push(":");
}

/// An ISAKMP message. `ip`: the enclosing IP header (for IKEv1's initiator cookie cache).
pub fn isakmp_print(ctx: &mut Ctx, p: &[u8], length: u32, ip: Option<&IpHdr>) -> PResult {
    ctx.protocol = "isakmp";
    if p.len() < HDR_LEN {
        ctx.print_trunc();
        return Ok(());
    }
    ctx.push("isakmp");
    let vers = p[17];
    let (major, minor) = (vers >> 4, vers & 0x0f);
    if ctx.vflag() > 0 {
        pr!(ctx, " {}.{}", major, minor);
        ctx.push(" msgid ");
        hexprint(ctx, &p[20..24]);
    }
    if ctx.vflag() > 1 {
        ctx.push(" cookie ");
        hexprint(ctx, &p[0..8]);
        ctx.push("->");
        hexprint(ctx, &p[8..16]);
    }
    ctx.push(":");
    match major {
        1 => ikev1_print(ctx, p, length, ip),
        2 => ikev2_print(ctx, p, length),
        _ => Ok(()),
    }
}

fn etype(ctx: &mut Ctx, e: u8) {
    ctx.push(" ");
    match ETYPESTR.iter().find(|(k, _)| *k == e as u32) {
        Some((_, n)) => ctx.push(n),
        None => pr!(ctx, "#{}", e),
    }
}

fn len_mismatch(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    if ctx.vflag() > 0 {
        let l = p.be_u32(24)?;
        if l != length {
            pr!(ctx, " (len mismatch: isakmp {}/ip {})", l, length);
        }
    }
    Ok(())
}

fn ikev1_print(ctx: &mut Ctx, p: &[u8], length: u32, ip: Option<&IpHdr>) -> PResult {
    let msgid = p.be_u32(20)?;
    if msgid == 0 {
        ctx.push(" phase 1");
    } else {
        ctx.push(" phase 2/others");
    }
    let icookie = &p[0..8];
    let found = ctx.state.isakmp.find(icookie);
    match found {
        None => {
            if p[8..16].iter().all(|&b| b == 0) {
                ctx.push(" I");
                if let Some(ip) = ip {
                    ctx.state.isakmp.record(icookie, ip);
                }
            } else {
                ctx.push(" ?");
            }
        }
        Some(i) => match ip {
            Some(ip) if ctx.state.isakmp.side(i, ip, true) => ctx.push(" I"),
            Some(ip) if ctx.state.isakmp.side(i, ip, false) => ctx.push(" R"),
            _ => ctx.push(" ?"),
        },
    }
    etype(ctx, p[18]);
    let flags = p[19];
    if flags != 0 {
        pr!(
            ctx,
            "[{}{}]",
            if flags & FLAG_E != 0 { "E" } else { "" },
            if flags & FLAG_C != 0 { "C" } else { "" }
        );
    }
    payloads(ctx, p, flags, |ctx, np| {
        sub_print(ctx, p, np, HDR_LEN, 0, 0).map(|_| ())
    })?;
    len_mismatch(ctx, p, length)
}

/// With -v, the payload chain after the header, or its first payload's name when the message
/// is encrypted (both IKE versions).
fn payloads(
    ctx: &mut Ctx,
    p: &[u8],
    flags: u8,
    sub: impl FnOnce(&mut Ctx, u8) -> PResult,
) -> PResult {
    if ctx.vflag() == 0 {
        return Ok(());
    }
    ctx.push(":");
    let np = p[16];
    if flags & FLAG_E != 0 {
        ctx.push(" [encrypted ");
        npstr(ctx, np);
        ctx.push("]");
        Ok(())
    } else {
        sub(ctx, np)
    }
}

fn ikev2_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let msgid = p.be_u32(20)?;
    if msgid == 0 {
        ctx.push(" parent_sa");
    } else {
        ctx.push(" child_sa ");
    }
    etype(ctx, p[18]);
    let flags = p[19];
    if flags != 0 {
        pr!(
            ctx,
            "[{}{}{}]",
            if flags & FLAG_I != 0 { "I" } else { "" },
            if flags & FLAG_V != 0 { "V" } else { "" },
            if flags & FLAG_R != 0 { "R" } else { "" }
        );
    }
    payloads(ctx, p, flags, |ctx, np| {
        ikev2_sub_print(ctx, p, p, np, HDR_LEN, 0).map(|_| ())
    })?;
    len_mismatch(ctx, p, length)
}

/// A chain of payloads starting at `off`. Returns the end offset, or None (tcpdump's NULL).
/// `base`: the message's header (`p` itself, except inside a decrypted payload).
fn ikev2_sub_print(
    ctx: &mut Ctx,
    base: &[u8],
    p: &[u8],
    np: u8,
    off: usize,
    depth: usize,
) -> PResult<Option<usize>> {
    let mut np = np;
    let mut off = off;
    let mut depth = depth;
    while np != 0 {
        let ok = p.has(off, GEN_LEN) && p.has(off, p.be_u16(off + 2).unwrap_or(0) as usize);
        if !ok {
            return Ok(trunc(ctx, np));
        }
        depth += 1;
        open_item(ctx, depth);
        let cp = ikev2_sub0_print(ctx, base, p, np, off, depth)?;
        ctx.push(")");
        depth -= 1;
        let Some(cp) = cp else { return Ok(None) };
        np = p[off];
        off = cp;
    }
    Ok(Some(off))
}

fn ikev2_sub0_print(
    ctx: &mut Ctx,
    base: &[u8],
    p: &[u8],
    np: u8,
    off: usize,
    depth: usize,
) -> PResult<Option<usize>> {
    let item_len = p.be_u16(off + 2)? as usize;
    if item_len <= 4 {
        return Ok(None);
    }
    let r = match np {
        33 => ikev2_sa_print(ctx, p, np, off, item_len, depth)?,
        34 => ikev2_ke_print(ctx, p, np, off, item_len)?,
        35 | 36 => ikev2_id_print(ctx, p, np, off, item_len)?,
        37 | 38 | 42 | 44 | 45 | 47 | 48 => ikev2_gen_print(ctx, p, np, off, item_len)?,
        39 => ikev2_auth_print(ctx, p, np, off, item_len)?,
        40 => ikev2_nonce_print(ctx, p, np, off, item_len)?,
        41 => ikev2_n_print(ctx, p, off, item_len)?,
        43 => ikev2_vid_print(ctx, p, np, off, item_len)?,
        NPTYPE_V2E => {
            ikev2_e_print(ctx, base, p, np, off, item_len, depth)?;
            None
        }
        1..=13 => ikev1_pay_print(ctx, p, np, off, item_len, 0, depth)?,
        _ => {
            npstr(ctx, np);
            Some(off + item_len)
        }
    };
    Ok(r)
}

/// `ikev1_sub_print`: a chain of IKEv1 payloads; `proto` is the protocol of the enclosing
/// proposal (for transform names).
fn sub_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    proto: u8,
    depth: usize,
) -> PResult<Option<usize>> {
    let mut np = np;
    let mut off = off;
    let mut depth = depth;
    let mut cp = off;
    while np != 0 {
        let ok = p.has(off, GEN_LEN) && p.has(off, p.be_u16(off + 2).unwrap_or(0) as usize);
        if !ok {
            return Ok(trunc(ctx, np));
        }
        depth += 1;
        open_item(ctx, depth);
        let item_len = p.be_u16(off + 2)? as usize;
        let r = if item_len <= 4 {
            None
        } else if (1..=13).contains(&np) {
            ikev1_pay_print(ctx, p, np, off, item_len, proto, depth)?
        } else if (33..=48).contains(&np) && np != NPTYPE_V2E {
            ikev2_sub0_print(ctx, p, p, np, off, depth)?
        } else {
            npstr(ctx, np);
            Some(off + item_len)
        };
        ctx.push(")");
        depth -= 1;
        let Some(c) = r else { return Ok(None) };
        cp = c;
        np = p[off];
        off = c;
    }
    Ok(Some(cp))
}

const IKEV1_P_MAP: &[Option<&str>] = &[None, Some("ike")];
const AH_P_MAP: &[Option<&str>] = &[
    None,
    Some("(reserved)"),
    Some("md5"),
    Some("sha"),
    Some("1des"),
    Some("sha2-256"),
    Some("sha2-384"),
    Some("sha2-512"),
];
const IPCOMP_P_MAP: &[Option<&str>] = &[None, Some("oui"), Some("deflate"), Some("lzs")];
const CERTSTR: &[Option<&str>] = &[
    Some("none"),
    Some("pkcs7"),
    Some("pgp"),
    Some("dns"),
    Some("x509sign"),
    Some("x509ke"),
    Some("kerberos"),
    Some("crl"),
    Some("arl"),
    Some("spki"),
    Some("x509attr"),
];

/// Attribute type name and value names (tcpdump's `struct attrmap`).
type AttrMap = &'static [(Option<&'static str>, &'static [Option<&'static str>])];

const GROUP_DESC: &[Option<&str>] = DH_P_MAP;

const IPSEC_T_MAP: AttrMap = &[
    (None, &[]),
    (Some("lifetype"), &[None, Some("sec"), Some("kb")]),
    (Some("life"), &[]),
    (Some("group desc"), GROUP_DESC),
    (Some("enc mode"), &[None, Some("tunnel"), Some("transport")]),
    (
        Some("auth"),
        &[
            None,
            Some("hmac-md5"),
            Some("hmac-sha1"),
            Some("1des-mac"),
            Some("keyed"),
        ],
    ),
    (Some("keylen"), &[]),
    (Some("rounds"), &[]),
    (Some("dictsize"), &[]),
    (Some("privalg"), &[]),
];

const OAKLEY_T_MAP: AttrMap = &[
    (None, &[]),
    (
        Some("enc"),
        &[
            None,
            Some("1des"),
            Some("idea"),
            Some("blowfish"),
            Some("rc5"),
            Some("3des"),
            Some("cast"),
            Some("aes"),
        ],
    ),
    (
        Some("hash"),
        &[
            None,
            Some("md5"),
            Some("sha1"),
            Some("tiger"),
            Some("sha2-256"),
            Some("sha2-384"),
            Some("sha2-512"),
        ],
    ),
    (
        Some("auth"),
        &[
            None,
            Some("preshared"),
            Some("dss"),
            Some("rsa sig"),
            Some("rsa enc"),
            Some("rsa enc revised"),
        ],
    ),
    (Some("group desc"), GROUP_DESC),
    (
        Some("group type"),
        &[None, Some("MODP"), Some("ECP"), Some("EC2N")],
    ),
    (Some("group prime"), &[]),
    (Some("group gen1"), &[]),
    (Some("group gen2"), &[]),
    (Some("group curve A"), &[]),
    (Some("group curve B"), &[]),
    (Some("lifetype"), &[None, Some("sec"), Some("kb")]),
    (Some("lifeduration"), &[]),
    (Some("prf"), &[]),
    (Some("keylen"), &[]),
    (Some("field"), &[]),
    (Some("order"), &[]),
];

/// `ikev1_attrmap_print` (or `ikev1_attr_print` without a map).
fn attrmap_print(
    ctx: &mut Ctx,
    p: &[u8],
    cp: usize,
    ep2: usize,
    map: Option<AttrMap>,
) -> PResult<Option<usize>> {
    let b0 = p.u8_at(cp)?;
    let totlen = if b0 & 0x80 != 0 {
        4
    } else {
        4 + p.be_u16(cp + 2)? as usize
    };
    if ep2 < cp + totlen {
        ctx.push("[|attr]");
        return Ok(Some(ep2 + 1));
    }
    ctx.push("(");
    let t = (p.be_u16(cp)? & 0x7fff) as usize;
    let entry = map.and_then(|m| m.get(t));
    match entry {
        Some((Some(n), _)) => pr!(ctx, "type={} ", n),
        _ => pr!(ctx, "type=#{} ", t),
    }
    attr_value_print(ctx, p, cp, b0, totlen, || {
        let v = p.be_u16(cp + 2)? as usize;
        Ok(entry.and_then(|(_, vals)| vals.get(v)).copied().flatten())
    })
}

/// The value of the attribute at `cp` (`b0` its first byte, `totlen` its length), then `)`:
/// a TV value by the name `tv_name` gives it, else raw; a TLV value as its length and raw
/// bytes. Returns where the next attribute starts, None if the value ran past the data.
fn attr_value_print(
    ctx: &mut Ctx,
    p: &[u8],
    cp: usize,
    b0: u8,
    totlen: usize,
    tv_name: impl FnOnce() -> PResult<Option<&'static str>>,
) -> PResult<Option<usize>> {
    if b0 & 0x80 != 0 {
        ctx.push("value=");
        match tv_name()? {
            Some(n) => ctx.push(n),
            None => {
                if !rawprint(ctx, p, cp + 2, 2) {
                    ctx.push(")");
                    return Ok(None);
                }
            }
        }
    } else {
        pr!(ctx, "len={} value=", totlen - 4);
        if !rawprint(ctx, p, cp + 4, totlen - 4) {
            ctx.push(")");
            return Ok(None);
        }
    }
    ctx.push(")");
    Ok(Some(cp + totlen))
}

/// An IKEv1 payload of type `np` (1..=13) at `off`.
fn ikev1_pay_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
    proto: u8,
    depth: usize,
) -> PResult<Option<usize>> {
    npstr(ctx, np);
    ctx.push(":");
    let end = off + item_len;
    let hex_all = |ctx: &mut Ctx| -> bool {
        if ctx.vflag() > 2 && item_len > 4 {
            ctx.push(" ");
            return rawprint(ctx, p, off + 4, item_len - 4);
        }
        true
    };
    match np {
        1 => {
            if !p.has(off, 12) {
                return Ok(trunc(ctx, np));
            }
            let doi = p.be_u32(off + 4)?;
            let sit = p.be_u32(off + 8)?;
            if doi != 1 {
                pr!(ctx, " doi={} situation={}", doi, sit);
                return Ok(Some(off + 12));
            }
            ctx.push(" doi=ipsec situation=");
            let mut t = 0;
            if sit & 1 != 0 {
                ctx.push("identity");
                t += 1;
            }
            if sit & 2 != 0 {
                pr!(ctx, "{}secrecy", if t > 0 { "+" } else { "" });
                t += 1;
            }
            if sit & 4 != 0 {
                pr!(ctx, "{}integrity", if t > 0 { "+" } else { "" });
            }
            let mut next = off + 12;
            if sit != 1 {
                pr!(ctx, " ident={}", p.be_u32(off + 4)?);
                next += 4;
            }
            if !p.has(next, GEN_LEN) {
                return Ok(trunc(ctx, np));
            }
            sub_print(ctx, p, NPTYPE_P, next, proto, depth)
        }
        2 => {
            if !p.has(off, 8) {
                return Ok(trunc(ctx, np));
            }
            pr!(ctx, " #{} protoid=", p[off + 4]);
            str_or_id(ctx, PROTOIDSTR, p[off + 5] as u32);
            pr!(ctx, " transform={}", p[off + 7]);
            let spi_size = p[off + 6] as usize;
            if spi_size > 0 {
                ctx.push(" spi=");
                if !rawprint(ctx, p, off + 8, spi_size) {
                    return Ok(trunc(ctx, np));
                }
            }
            let next = off + 8 + spi_size;
            if !p.has(next, GEN_LEN) {
                return Ok(trunc(ctx, np));
            }
            sub_print(ctx, p, NPTYPE_T, next, p[off + 5], depth)
        }
        3 => {
            if !p.has(off, 8) {
                return Ok(trunc(ctx, np));
            }
            let (t_no, t_id) = (p[off + 4], p[off + 5] as u32);
            let (idmap, map): (Option<&[Option<&str>]>, Option<AttrMap>) = match proto {
                1 => (Some(IKEV1_P_MAP), Some(OAKLEY_T_MAP)),
                2 => (Some(AH_P_MAP), Some(IPSEC_T_MAP)),
                3 => (Some(ESP_P_MAP), Some(IPSEC_T_MAP)),
                4 => (Some(IPCOMP_P_MAP), Some(IPSEC_T_MAP)),
                _ => (None, None),
            };
            pr!(ctx, " #{} id=", t_no);
            match idmap {
                Some(m) => str_or_id(ctx, m, t_id),
                None => pr!(ctx, "{}", t_id),
            }
            ctx.push(" ");
            let ep = p.len();
            let mut cp = off + 8;
            while cp < ep && cp < end {
                match attrmap_print(ctx, p, cp, end, map)? {
                    Some(c) => cp = c,
                    None => return Ok(trunc(ctx, np)),
                }
            }
            if ep < end {
                ctx.push("...");
            }
            Ok(Some(cp))
        }
        4 => {
            pr!(ctx, " key len={}", item_len - 4);
            if !hex_all(ctx) {
                return Ok(trunc(ctx, np));
            }
            Ok(Some(end))
        }
        6 | 7 => {
            if !p.has(off, 5) {
                return Ok(trunc(ctx, np));
            }
            pr!(ctx, " len={} type=", item_len - 4);
            str_or_id(ctx, CERTSTR, p[off + 4] as u32);
            if !hex_all(ctx) {
                return Ok(trunc(ctx, np));
            }
            Ok(Some(end))
        }
        8 | 9 | 13 => {
            pr!(ctx, " len={}", item_len - 4);
            if !hex_all(ctx) {
                return Ok(trunc(ctx, np));
            }
            Ok(Some(end))
        }
        10 => {
            pr!(ctx, " n len={}", item_len - 4);
            if item_len > 4 {
                if ctx.vflag() > 2 {
                    ctx.push(" ");
                    if !rawprint(ctx, p, off + 4, item_len - 4) {
                        return Ok(trunc(ctx, np));
                    }
                } else if ctx.vflag() > 1 {
                    ctx.push(" ");
                    if !show_somedata(ctx, p, off + 4) {
                        return Ok(trunc(ctx, np));
                    }
                }
            }
            Ok(Some(end))
        }
        12 => {
            if !p.has(off, 12) {
                return Ok(trunc(ctx, np));
            }
            let doi = p.be_u32(off + 4)?;
            let proto = p[off + 8];
            if doi != 1 {
                pr!(ctx, " doi={} proto={}", doi, proto);
            } else {
                ctx.push(" doi=ipsec proto=");
                str_or_id(ctx, PROTOIDSTR, proto as u32);
            }
            let spi_size = p[off + 9] as usize;
            let num_spi = p.be_u16(off + 10)?;
            pr!(ctx, " spilen={} nspi={} spi=", spi_size, num_spi);
            let mut q = off + 12;
            for i in 0..num_spi {
                if i != 0 {
                    ctx.push(",");
                }
                if !rawprint(ctx, p, q, spi_size) {
                    return Ok(trunc(ctx, np));
                }
                q += spi_size;
            }
            Ok(Some(q))
        }
        5 => ikev1_id_print(ctx, p, off, item_len),
        11 => ikev1_n_print(ctx, p, off, item_len),
        _ => Ok(Some(end)),
    }
}

const IPSECIDTYPESTR: &[Option<&str>] = &[
    None,
    Some("IPv4"),
    Some("FQDN"),
    Some("user FQDN"),
    Some("IPv4net"),
    Some("IPv6"),
    Some("IPv6net"),
    Some("IPv4range"),
    Some("IPv6range"),
    Some("ASN1 DN"),
    Some("ASN1 GN"),
    Some("keyid"),
];

/// IKEv1 identification in the IPsec DOI (RFC 2407 section 4.6.2), as tcpdump prints it in
/// phases 1 and 2.
fn ikev1_id_print(ctx: &mut Ctx, p: &[u8], off: usize, item_len: usize) -> PResult<Option<usize>> {
    const NP: u8 = 5;
    if !p.has(off, 8) {
        return Ok(trunc(ctx, NP));
    }
    let data = off + 8;
    let mut len = item_len.saturating_sub(8);
    let ty = p[off + 4];
    ctx.push(" idtype=");
    str_or_id(ctx, IPSECIDTYPESTR, ty as u32);
    pr!(ctx, " protoid={} port={}", p[off + 5], p.be_u16(off + 6)?);
    if len > 0 {
        let Ok(d) = p.sub(data, len) else {
            return Ok(trunc(ctx, NP));
        };
        match ty {
            1 => {
                if len < 4 {
                    pr!(ctx, " len={} [bad: < 4]", len);
                } else {
                    pr!(ctx, " len={} ", len);
                    ctx.ip(&d[..4]);
                }
                len = 0;
            }
            2 | 3 => {
                pr!(ctx, " len={} ", len);
                for &c in d {
                    super::util_print::push_char(ctx.out, c);
                }
                len = 0;
            }
            4 => {
                if len < 8 {
                    pr!(ctx, " len={} [bad: < 8]", len);
                } else {
                    pr!(ctx, " len={} ", len);
                    ctx.ip(&d[..4]);
                    pr!(ctx, "/{}.{}.{}.{}", d[4], d[5], d[6], d[7]);
                }
                len = 0;
            }
            5 => {
                if len < 16 {
                    pr!(ctx, " len={} [bad: < 16]", len);
                } else {
                    pr!(ctx, " len={} ", len);
                    ctx.ip(&d[..16]);
                }
                len = 0;
            }
            6 => {
                if len < 32 {
                    pr!(ctx, " len={} [bad: < 32]", len);
                } else {
                    pr!(ctx, " len={} ", len);
                    ctx.ip(&d[..16]);
                    ctx.push("/0x");
                    hexprint(ctx, &d[16..32]);
                }
                len = 0;
            }
            7 | 8 => {
                let n = if ty == 7 { 4 } else { 16 };
                if len < 2 * n {
                    pr!(ctx, " len={} [bad: < {}]", len, 2 * n);
                } else {
                    pr!(ctx, " len={} ", len);
                    ctx.ip(&d[..n]);
                    ctx.push("-");
                    ctx.ip(&d[n..2 * n]);
                }
                len = 0;
            }
            _ => {}
        }
        if len > 0 {
            pr!(ctx, " len={}", len);
            if ctx.vflag() > 2 {
                ctx.push(" ");
                hexprint(ctx, d);
            }
        }
    }
    Ok(Some(off + item_len))
}

const NOTIFY_ERROR_STR: &[Option<&str>] = &[
    None,
    Some("INVALID-PAYLOAD-TYPE"),
    Some("DOI-NOT-SUPPORTED"),
    Some("SITUATION-NOT-SUPPORTED"),
    Some("INVALID-COOKIE"),
    Some("INVALID-MAJOR-VERSION"),
    Some("INVALID-MINOR-VERSION"),
    Some("INVALID-EXCHANGE-TYPE"),
    Some("INVALID-FLAGS"),
    Some("INVALID-MESSAGE-ID"),
    Some("INVALID-PROTOCOL-ID"),
    Some("INVALID-SPI"),
    Some("INVALID-TRANSFORM-ID"),
    Some("ATTRIBUTES-NOT-SUPPORTED"),
    Some("NO-PROPOSAL-CHOSEN"),
    Some("BAD-PROPOSAL-SYNTAX"),
    Some("PAYLOAD-MALFORMED"),
    Some("INVALID-KEY-INFORMATION"),
    Some("INVALID-ID-INFORMATION"),
    Some("INVALID-CERT-ENCODING"),
    Some("INVALID-CERTIFICATE"),
    Some("CERT-TYPE-UNSUPPORTED"),
    Some("INVALID-CERT-AUTHORITY"),
    Some("INVALID-HASH-INFORMATION"),
    Some("AUTHENTICATION-FAILED"),
    Some("INVALID-SIGNATURE"),
    Some("ADDRESS-NOTIFICATION"),
    Some("NOTIFY-SA-LIFETIME"),
    Some("CERTIFICATE-UNAVAILABLE"),
    Some("UNSUPPORTED-EXCHANGE-TYPE"),
    Some("UNEQUAL-PAYLOAD-LENGTHS"),
];
const IPSEC_NOTIFY_ERROR_STR: &[Option<&str>] = &[Some("RESERVED")];
const NOTIFY_STATUS_STR: &[Option<&str>] = &[Some("CONNECTED")];
const IPSEC_NOTIFY_STATUS_STR: &[Option<&str>] = &[
    Some("RESPONDER-LIFETIME"),
    Some("REPLAY-STATUS"),
    Some("INITIAL-CONTACT"),
];

/// IKEv1 notification.
fn ikev1_n_print(ctx: &mut Ctx, p: &[u8], off: usize, item_len: usize) -> PResult<Option<usize>> {
    const NP: u8 = 11;
    if !p.has(off, 12) {
        return Ok(trunc(ctx, NP));
    }
    let doi = p.be_u32(off + 4)?;
    let proto = p[off + 8];
    let spi_size = p[off + 9] as usize;
    let ty = p.be_u16(off + 10)? as u32;
    let ipsec = doi == 1;
    if ipsec {
        ctx.push(" doi=ipsec proto=");
        str_or_id(ctx, PROTOIDSTR, proto as u32);
    } else {
        pr!(ctx, " doi={} proto={}", doi, proto);
    }
    ctx.push(" type=");
    match ty {
        0..=8191 => str_or_id(ctx, NOTIFY_ERROR_STR, ty),
        8192..=16383 if ipsec => str_or_id(ctx, IPSEC_NOTIFY_ERROR_STR, ty - 8192),
        16384..=24575 => str_or_id(ctx, NOTIFY_STATUS_STR, ty - 16384),
        24576..=32767 if ipsec => str_or_id(ctx, IPSEC_NOTIFY_STATUS_STR, ty - 24576),
        _ => pr!(ctx, "#{}", ty),
    }
    if spi_size > 0 {
        ctx.push(" spi=");
        if !rawprint(ctx, p, off + 12, spi_size) {
            return Ok(trunc(ctx, NP));
        }
    }
    let cp = off + 12 + spi_size;
    if !ipsec {
        return Ok(Some(cp));
    }
    let ep = p.len();
    let ep2 = off + item_len;
    if cp < ep {
        match ty {
            24576 => {
                ctx.push(" attrs=(");
                let mut c = cp;
                while c < ep && c < ep2 {
                    match attrmap_print(ctx, p, c, ep2, Some(OAKLEY_T_MAP))? {
                        Some(n) => c = n,
                        None => {
                            ctx.push(")");
                            return Ok(trunc(ctx, NP));
                        }
                    }
                }
                ctx.push(")");
            }
            24577 => {
                ctx.push(" status=(");
                let v = p.be_u32(cp)?;
                pr!(
                    ctx,
                    "replay detection {}abled)",
                    if v != 0 { "en" } else { "dis" }
                );
            }
            _ => {
                if ctx.vflag() > 3 {
                    ctx.push(" data=(");
                    if !rawprint(ctx, p, cp, ep - cp) {
                        return Ok(trunc(ctx, NP));
                    }
                    ctx.push(")");
                } else if !show_somedata(ctx, p, cp) {
                    return Ok(trunc(ctx, NP));
                }
            }
        }
    }
    Ok(Some(off + item_len))
}

/// The start of a nested payload: a new line indented by `depth` levels, then `(`.
fn open_item(ctx: &mut Ctx, depth: usize) {
    ctx.push("\n");
    for _ in 0..depth {
        ctx.push("    ");
    }
    ctx.push("(");
}

/// ` [|payload]`, tcpdump's `trunc:` in the payload printers.
fn trunc(ctx: &mut Ctx, np: u8) -> Option<usize> {
    ctx.push(" [|");
    npstr(ctx, np);
    ctx.push("]");
    None
}

fn ikev2_gen_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
) -> PResult<Option<usize>> {
    pay_print(ctx, np, p.u8_at(off + 1)?);
    pr!(ctx, " len={}", item_len - 4);
    if ctx.vflag() > 2 && item_len > 4 {
        ctx.push(" ");
        if !rawprint(ctx, p, off + 4, item_len - 4) {
            return Ok(trunc(ctx, np));
        }
    }
    Ok(Some(off + item_len))
}

fn ikev2_sa_print(
    ctx: &mut Ctx,
    p: &[u8],
    tpay: u8,
    off: usize,
    item_len: usize,
    depth: usize,
) -> PResult<Option<usize>> {
    pay_print(ctx, 1, p.u8_at(off + 1)?);
    let sa_length = item_len - 4;
    pr!(ctx, " len={}", sa_length);
    ikev2_subs_print(
        ctx,
        p,
        tpay,
        off + 4,
        sa_length,
        NPTYPE_P,
        depth,
        |ctx, pcount, ext, len, depth| ikev2_p_print(ctx, p, pcount, ext, len, depth),
    )
}

/// The loop shared by tcpdump's `ikev2_sa_print` and `ikev2_p_print` over the sub-payloads of
/// one payload (proposals, resp. transforms): `rest` bytes from `cp`, the first of type `first`.
/// `sub` prints one of type `first` (its count, offset, length and depth) and returns where the
/// next one starts; `tpay` names the payload in ` [|...]` markers.
#[allow(clippy::too_many_arguments)]
fn ikev2_subs_print(
    ctx: &mut Ctx,
    p: &[u8],
    tpay: u8,
    mut cp: usize,
    mut rest: usize,
    first: u8,
    mut depth: usize,
    mut sub: impl FnMut(&mut Ctx, u32, usize, usize, usize) -> PResult<Option<usize>>,
) -> PResult<Option<usize>> {
    let mut np = first;
    let mut count = 0;
    while np != 0 {
        count += 1;
        let ext = cp;
        if rest < GEN_LEN {
            return Ok(Some(toolong(ctx, tpay, cp, rest)));
        }
        if !p.has(ext, GEN_LEN) {
            return Ok(trunc(ctx, tpay));
        }
        let len = p.be_u16(ext + 2)? as usize;
        if len <= 4 {
            return Ok(trunc(ctx, tpay));
        }
        if rest < len {
            return Ok(Some(toolong(ctx, tpay, cp, rest)));
        }
        if !p.has(cp, len) {
            return Ok(trunc(ctx, tpay));
        }
        depth += 1;
        open_item(ctx, depth);
        if np == first {
            match sub(ctx, count, ext, len, depth)? {
                Some(c) => cp = c,
                None => return Ok(None),
            }
        } else {
            npstr(ctx, np);
            cp += len;
        }
        ctx.push(")");
        depth -= 1;
        rest -= len;
        np = p.u8_at(ext)?;
    }
    Ok(Some(cp))
}

/// tcpdump's `toolong:` label: skip the rest and mark it.
fn toolong(ctx: &mut Ctx, np: u8, cp: usize, rest: usize) -> usize {
    trunc(ctx, np);
    cp + rest
}

fn ikev2_p_print(
    ctx: &mut Ctx,
    p: &[u8],
    _pcount: u32,
    off: usize,
    oprop_length: usize,
    depth: usize,
) -> PResult<Option<usize>> {
    if !p.has(off, 8) {
        return Ok(trunc(ctx, NPTYPE_P));
    }
    pay_print(ctx, NPTYPE_P, p[off + 1]);
    let mut prop_length = oprop_length - 4;
    pr!(ctx, " #{} protoid=", p[off + 4]);
    str_or_id(ctx, PROTOIDSTR, p[off + 5] as u32);
    pr!(ctx, " transform={} len={}", p[off + 7], oprop_length);
    let mut cp = off + 8;
    let spi_size = p[off + 6] as usize;
    if spi_size > 0 {
        if prop_length < spi_size {
            return Ok(Some(toolong(ctx, NPTYPE_P, cp, prop_length)));
        }
        ctx.push(" spi=");
        if !rawprint(ctx, p, cp, spi_size) {
            return Ok(trunc(ctx, NPTYPE_P));
        }
        cp += spi_size;
        prop_length -= spi_size;
    }
    ikev2_subs_print(
        ctx,
        p,
        NPTYPE_P,
        cp,
        prop_length,
        NPTYPE_T,
        depth,
        |ctx, tcount, ext, len, _| ikev2_t_print(ctx, p, tcount, ext, len),
    )
}

fn ikev2_t_print(
    ctx: &mut Ctx,
    p: &[u8],
    tcount: u32,
    off: usize,
    item_len: usize,
) -> PResult<Option<usize>> {
    if !p.has(off, 8) {
        return Ok(trunc(ctx, NPTYPE_T));
    }
    pay_print(ctx, NPTYPE_T, p[off + 1]);
    let t_type = p[off + 4];
    let t_id = p.be_u16(off + 6)? as u32;
    let map = match t_type {
        1 => Some(ESP_P_MAP),
        2 => Some(PRF_P_MAP),
        3 => Some(INTEG_P_MAP),
        4 => Some(DH_P_MAP),
        5 => Some(ESN_P_MAP),
        _ => None,
    };
    pr!(ctx, " #{} type=", tcount);
    str_or_id(ctx, IKEV2_T_TYPE_MAP, t_type as u32);
    ctx.push(" id=");
    match map {
        Some(m) => str_or_id(ctx, m, t_id),
        None => pr!(ctx, "{}", t_id),
    }
    ctx.push(" ");
    let ep = p.len();
    let ep2 = off + item_len;
    let mut cp = off + 8;
    while cp < ep && cp < ep2 {
        match attr_print(ctx, p, cp, ep2, t_type == 1)? {
            Some(c) => cp = c,
            None => return Ok(trunc(ctx, NPTYPE_T)),
        }
    }
    if ep < ep2 {
        ctx.push("...");
    }
    Ok(Some(cp))
}

/// A transform attribute (`ikev1_attrmap_print` with IKEv2's encryption map when `encr`,
/// else `ikev1_attr_print`).
fn attr_print(
    ctx: &mut Ctx,
    p: &[u8],
    cp: usize,
    ep2: usize,
    encr: bool,
) -> PResult<Option<usize>> {
    let b0 = p.u8_at(cp)?;
    let totlen = if b0 & 0x80 != 0 {
        4
    } else {
        4 + p.be_u16(cp + 2)? as usize
    };
    if ep2 < cp + totlen {
        ctx.push("[|attr]");
        return Ok(Some(ep2 + 1));
    }
    ctx.push("(");
    let t = p.be_u16(cp)? & 0x7fff;
    if encr && t == 14 {
        ctx.push("type=keylen ");
    } else {
        pr!(ctx, "type=#{} ", t);
    }
    attr_value_print(ctx, p, cp, b0, totlen, || Ok(None))
}

fn ikev2_ke_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
) -> PResult<Option<usize>> {
    if !p.has(off, 8) {
        return Ok(trunc(ctx, np));
    }
    pay_print(ctx, np, p[off + 1]);
    if item_len < 8 {
        pr!(ctx, " len={} < 8", item_len);
        return Ok(Some(off + item_len));
    }
    pr!(ctx, " len={} group=", item_len - 8);
    str_or_id(ctx, DH_P_MAP, p.be_u16(off + 4)? as u32);
    if ctx.vflag() > 2 && item_len > 8 {
        ctx.push(" ");
        if !rawprint(ctx, p, off + 8, item_len - 8) {
            return Ok(trunc(ctx, np));
        }
    }
    Ok(Some(off + item_len))
}

fn ikev2_id_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
) -> PResult<Option<usize>> {
    if !p.has(off, 8) {
        return Ok(trunc(ctx, np));
    }
    pay_print(ctx, np, p[off + 1]);
    pr!(ctx, " len={}", item_len - 4);
    if ctx.vflag() > 2 && item_len > 4 {
        ctx.push(" ");
        if !rawprint(ctx, p, off + 4, item_len - 4) {
            return Ok(trunc(ctx, np));
        }
    }
    let idtype_len = item_len.saturating_sub(8);
    let data = off + 8;
    let (label, ascii) = match p[off + 4] {
        1 => (" ipv4:", false),
        2 => (" fqdn:", true),
        3 => (" rfc822:", true),
        5 => (" ipv6:", false),
        9 => (" dn:", false),
        10 => (" gn:", false),
        11 => (" keyid:", false),
        _ => return Ok(Some(off + item_len)),
    };
    ctx.push(label);
    if ascii {
        let Ok(b) = p.sub(data, idtype_len) else {
            return Ok(trunc(ctx, np));
        };
        for &c in b {
            ctx.out.push(if (0x20..0x7f).contains(&c) {
                c as char
            } else {
                '.'
            });
        }
    } else if !rawprint(ctx, p, data, idtype_len) {
        return Ok(trunc(ctx, np));
    }
    Ok(Some(off + item_len))
}

fn ikev2_auth_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
) -> PResult<Option<usize>> {
    if !p.has(off, 8) {
        return Ok(trunc(ctx, np));
    }
    pay_print(ctx, np, p[off + 1]);
    pr!(ctx, " len={} method=", item_len - 4);
    str_or_id(ctx, V2_AUTH, p[off + 4] as u32);
    if item_len > 4 {
        if ctx.vflag() > 1 {
            ctx.push(" authdata=(");
            if !rawprint(ctx, p, off + 8, item_len.saturating_sub(8)) {
                return Ok(trunc(ctx, np));
            }
            ctx.push(") ");
        } else if ctx.vflag() > 0 && !show_somedata(ctx, p, off + 8) {
            return Ok(trunc(ctx, np));
        }
    }
    Ok(Some(off + item_len))
}

fn ikev2_nonce_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
) -> PResult<Option<usize>> {
    pay_print(ctx, 10, p.u8_at(off + 1)?);
    pr!(ctx, " len={}", item_len - 4);
    if ctx.vflag() > 1 && item_len > 4 {
        ctx.push(" nonce=(");
        if !rawprint(ctx, p, off + 4, item_len - 4) {
            return Ok(trunc(ctx, np));
        }
        ctx.push(") ");
    } else if ctx.vflag() > 0 && item_len > 4 && !show_somedata(ctx, p, off + 4) {
        return Ok(trunc(ctx, np));
    }
    Ok(Some(off + item_len))
}

fn ikev2_n_print(ctx: &mut Ctx, p: &[u8], off: usize, item_len: usize) -> PResult<Option<usize>> {
    if !p.has(off, 8) {
        return Ok(trunc(ctx, NPTYPE_N));
    }
    pay_print(ctx, NPTYPE_N, p[off + 1]);
    ctx.push(" prot_id=");
    str_or_id(ctx, PROTOIDSTR, p[off + 4] as u32);
    let ty = p.be_u16(off + 6)?;
    let (name, showspi) = match NOTIFY.iter().find(|(t, _, _)| *t == ty) {
        Some(&(_, n, s)) => (n, s),
        None if ty < 8192 => ("error", true),
        None if ty < 16384 => ("private-error", true),
        None if ty < 40960 => ("status", true),
        None => ("private-status", true),
    };
    let showsomedata = ty == NOTIFY_COOKIE;
    pr!(ctx, " type={}({})", ty, name);
    let spi_size = p[off + 5] as usize;
    if showspi && spi_size > 0 {
        ctx.push(" spi=");
        if !rawprint(ctx, p, off + 8, spi_size) {
            return Ok(trunc(ctx, NPTYPE_N));
        }
    }
    let cp = off + 8 + spi_size;
    let ep = p.len();
    if cp < ep {
        if ctx.vflag() > 3 || (showsomedata && ep - cp < 30) {
            ctx.push(" data=(");
            if !rawprint(ctx, p, cp, ep - cp) {
                return Ok(trunc(ctx, NPTYPE_N));
            }
            ctx.push(")");
        } else if showsomedata && !show_somedata(ctx, p, cp) {
            return Ok(trunc(ctx, NPTYPE_N));
        }
    }
    Ok(Some(off + item_len))
}

fn ikev2_vid_print(
    ctx: &mut Ctx,
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
) -> PResult<Option<usize>> {
    pay_print(ctx, np, p.u8_at(off + 1)?);
    let len = item_len - 4;
    pr!(ctx, " len={} vid=", len);
    let Ok(b) = p.sub(off + 4, len) else {
        return Ok(trunc(ctx, np));
    };
    for &c in b {
        ctx.out.push(if (0x20..0x7f).contains(&c) {
            c as char
        } else {
            '.'
        });
    }
    if ctx.vflag() > 2 && len > 4 {
        ctx.push(" ");
        hexprint(ctx, b);
    }
    Ok(Some(off + item_len))
}

/// The encrypted payload: its length, with -vvv its bytes, then with `-E` keys for this side
/// of the IKE SA the payloads it carries. Always ends the chain.
fn ikev2_e_print(
    ctx: &mut Ctx,
    base: &[u8],
    p: &[u8],
    np: u8,
    off: usize,
    item_len: usize,
    depth: usize,
) -> PResult {
    pay_print(ctx, np, p.u8_at(off + 1)?);
    let dlen = item_len - 4;
    pr!(ctx, " len={}", dlen);
    if ctx.vflag() > 2 && dlen > 4 {
        ctx.push(" ");
        if !rawprint(ctx, p, off + 4, dlen) {
            trunc(ctx, np);
            return Ok(());
        }
    }
    let Ok(data) = p.sub(off + 4, dlen) else {
        trunc(ctx, np);
        return Ok(());
    };
    let opts = ctx.opts;
    let initiator = base.u8_at(19)? & FLAG_I != 0;
    let (spii, spir) = (base.sub(0, 8)?, base.sub(8, 8)?);
    // The first inner payload's type is this payload's "next payload".
    let inner_np = p.u8_at(off)?;
    if let Some(pt) = opts.esp_secrets.ikev2_decrypt(initiator, spii, spir, data) {
        ikev2_sub_print(ctx, base, &pt, inner_np, 0, depth + 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::State;
    use crate::proto::testutil::{opts, run_in};

    fn run(st: &mut State, p: &[u8], verbose: u8) -> String {
        let src = [192, 168, 1, 2];
        let dst = [192, 168, 1, 1];
        let ip = IpHdr {
            ver: 4,
            src: &src,
            dst: &dst,
            cksum_dst: &dst,
            nh: 17,
            payload_len: 0,
        };
        run_in(st, &opts(verbose, false), |ctx| {
            if isakmp_print(ctx, p, p.len() as u32, Some(&ip)).is_err() {
                ctx.print_trunc();
            }
        })
        .0
    }

    fn hdr(vers: u8, np: u8, etype: u8, flags: u8, len: u32) -> Vec<u8> {
        let mut v = vec![
            1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, np, vers, etype, flags,
        ];
        v.extend_from_slice(&[0, 0, 0, 0]);
        v.extend_from_slice(&len.to_be_bytes());
        v
    }

    #[test]
    fn ikev2_encrypted_payload_with_keys() {
        use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::NoPadding};
        // Inside: a nonce payload (4 bytes of nonce), 2 pad bytes, pad length, and 16 bytes
        // in all; encrypted with AES-128-CBC under key 0..16 and IV 7s, then a 12-byte ICV.
        let mut pt = vec![0, 0, 0, 8, 0xde, 0xad, 0xbe, 0xef];
        pt.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 7]);
        let key: Vec<u8> = (0..16).collect();
        let iv = [7u8; 16];
        cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded::<NoPadding>(&mut pt, 16)
            .unwrap();
        let mut m = hdr(0x20, 46, 35, 0x08, 28 + 4 + 16 + 16 + 12);
        m.extend_from_slice(&[40, 0, 0, 48]);
        m.extend_from_slice(&iv);
        m.extend_from_slice(&pt);
        m.extend_from_slice(&[0xee; 12]);
        let (secrets, w) = crate::proto::esp::Secrets::parse(
            "ikev2 I 0x0102030405060708 0x0000000000000000 sha1:0x00 \
             aes128:0x000102030405060708090a0b0c0d0e0f",
            &mut |_| unreachable!(),
        )
        .unwrap();
        assert!(w.is_empty());
        let o = PrintOptions {
            verbose: 1,
            esp_secrets: secrets,
            ..Default::default()
        };
        let out = run_in(&mut State::default(), &o, |ctx| {
            isakmp_print(ctx, &m, m.len() as u32, None)
        })
        .0;
        assert_eq!(
            out,
            "isakmp 2.0 msgid 00000000: parent_sa ikev2_auth[I]:\n    (v2e: len=44\n            \
             (nonce: len=4 data=(deadbeef010203040506...0707)))"
        );
        // Without the keys only the length.
        assert!(run(&mut State::default(), &m, 1).ends_with("(v2e: len=44)"));
    }

    #[test]
    fn ikev2_sa_and_ke() {
        let mut m = hdr(0x20, 33, 34, 0x08, 0);
        // SA: one proposal with one transform (encr aes, keylen 128).
        m.extend_from_slice(&[34, 0, 0, 24]);
        m.extend_from_slice(&[0, 0, 0, 20, 1, 1, 0, 1]);
        m.extend_from_slice(&[0, 0, 0, 12, 1, 0, 0, 12, 0x80, 14, 0, 128]);
        // KE: group 2, 4 bytes of data.
        m.extend_from_slice(&[0, 0, 0, 12, 0, 2, 0, 0, 1, 2, 3, 4]);
        let len = m.len() as u32;
        m[24..28].copy_from_slice(&len.to_be_bytes());
        let out = run(&mut State::default(), &m, 1);
        assert_eq!(
            out,
            "isakmp 2.0 msgid 00000000: parent_sa ikev2_init[I]:\
             \n    (sa: len=20\n        (p: #1 protoid=isakmp transform=1 len=20\
             \n            (t: #1 type=encr id=aes (type=keylen value=0080))))\
             \n    (v2ke: len=4 group=modp1024)"
        );
    }

    #[test]
    fn ikev1_initiator_then_responder() {
        let mut st = State::default();
        let m = hdr(0x10, 0, 2, 0, 28);
        assert_eq!(run(&mut st, &m, 0), "isakmp: phase 1 I ident");
        let mut r = m.clone();
        r[8] = 9;
        // Same addresses: still the initiator's side.
        assert_eq!(run(&mut st, &r, 0), "isakmp: phase 1 I ident");
        assert_eq!(run(&mut st, &hdr(0xbe, 0, 0, 0, 28), 0), "isakmp:");
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut m = hdr(0x20, 41, 34, 0x20, 40);
        m.extend_from_slice(&[0, 0, 0, 12, 0, 0, 0x40, 0x06, 0xde, 0xad, 0xbe, 0xef]);
        for n in 0..=m.len() {
            for v in 0..5 {
                let _ = run(&mut State::default(), &m[..n], v);
            }
        }
    }
}
