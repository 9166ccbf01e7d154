//! Simple Network Management Protocol v1/v2c/v3 (RFC 1157, RFC 3416, RFC 3412/3414) over a
//! small BER decoder (X.690); tcpdump's print-snmp.c as built without libsmi. Object
//! identifiers are always numeric (tcpdump with `-n`).

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const UNIVERSAL_IDS: &[&str] = &[
    "U-0",
    "Boolean",
    "Integer",
    "Bitstring",
    "String",
    "Null",
    "ObjID",
    "ObjectDes",
    "U-8",
    "U-9",
    "U-10",
    "U-11",
    "U-12",
    "U-13",
    "U-14",
    "U-15",
    "Sequence",
    "Set",
];
const APPLICATION_IDS: &[&str] = &[
    "IpAddress",
    "Counter",
    "Gauge",
    "TimeTicks",
    "Opaque",
    "C-5",
    "Counter64",
];
const CONTEXT_IDS: &[&str] = &[
    "GetRequest",
    "GetNextRequest",
    "GetResponse",
    "SetRequest",
    "Trap",
    "GetBulk",
    "Inform",
    "V2Trap",
    "Report",
];
const PRIVATE_IDS: &[&str] = &["P-0"];
const EXCEPTION_IDS: &[&str] = &["noSuchObject", "noSuchInstance", "endOfMibView"];
/// Indexed by the BER class (universal, application, context, private).
const CLASS_IDS: [&[&str]; 4] = [UNIVERSAL_IDS, APPLICATION_IDS, CONTEXT_IDS, PRIVATE_IDS];
/// tcpdump's class table names every class "x" (its stringizing macro is not ANSI C).
const CLASS_NAME: &str = "x";

const ERROR_STATUS: &[&str] = &[
    "noError",
    "tooBig",
    "noSuchName",
    "badValue",
    "readOnly",
    "genErr",
    "noAccess",
    "wrongType",
    "wrongLength",
    "wrongEncoding",
    "wrongValue",
    "noCreation",
    "inconsistentValue",
    "resourceUnavailable",
    "commitFailed",
    "undoFailed",
    "authorizationError",
    "notWritable",
    "inconsistentName",
];

const GENERIC_TRAP: &[&str] = &[
    "coldStart",
    "warmStart",
    "linkDown",
    "linkUp",
    "authenticationFailure",
    "egpNeighborLoss",
    "enterpriseSpecific",
];
const GT_ENTERPRISE: i32 = 6;

const SNMP_VERSION: &[&str] = &["SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3"];

const GETREQ: u8 = 0;
const GETNEXTREQ: u8 = 1;
const SETREQ: u8 = 3;
const TRAP: u8 = 4;
const GETBULKREQ: u8 = 5;
const INFORMREQ: u8 = 6;
const V2TRAP: u8 = 7;
const REPORT: u8 = 8;

/// A decoded BER element (tcpdump's `struct be`).
#[derive(Clone, Copy)]
enum Val<'a> {
    Any,
    Null,
    Octet(&'a [u8]),
    Oid(&'a [u8]),
    Int(i32),
    Uns(u32),
    Uns64(u64),
    Str(&'a [u8]),
    Seq(&'a [u8]),
    InetAddr(&'a [u8]),
    Pdu(&'a [u8]),
    Exception,
}

#[derive(Clone, Copy)]
struct Be<'a> {
    asnlen: u32,
    id: u8,
    val: Val<'a>,
}

impl Be<'_> {
    fn int(&self) -> i32 {
        match self.val {
            Val::Int(i) => i,
            _ => 0,
        }
    }
}

/// `asn1_parse`: one element from `p` (of which `len` bytes belong to the enclosing element).
/// `Ok(None)` is tcpdump's -1 (a complaint or ` [|snmp]` was printed); `Err` is a longjmp.
fn parse<'a>(ctx: &mut Ctx, p: &'a [u8], len: u32) -> PResult<Option<(u32, Be<'a>)>> {
    if len < 1 {
        ctx.push("[nothing to parse]");
        return Ok(None);
    }
    let b0 = p.u8_at(0)?;
    let mut id = b0 & 0x1f;
    let form = (b0 & 0x20) >> 5;
    let class = (b0 & 0xc0) >> 6;
    let mut off = 1usize;
    let mut len = len - 1;
    if id == 0x1f {
        id = 0;
        while p.u8_at(off)? & 0x80 != 0 {
            if len < 1 {
                ctx.push("[Xtagfield?]");
                return Ok(None);
            }
            id = (id << 7) | (p.u8_at(off)? & 0x7f);
            len -= 1;
            off += 1;
        }
        if len < 1 {
            ctx.push("[Xtagfield?]");
            return Ok(None);
        }
        id = (id << 7) | p.u8_at(off)?;
        len -= 1;
        off += 1;
    }
    if len < 1 {
        ctx.push("[no asnlen]");
        return Ok(None);
    }
    let mut asnlen = p.u8_at(off)? as u32;
    off += 1;
    len -= 1;
    if asnlen & 0x80 != 0 {
        let noct = asnlen % 0x80;
        asnlen = 0;
        if len < noct {
            pr!(ctx, "[asnlen? {}<{}]", len as i32, noct as i32);
            return Ok(None);
        }
        if !p.has(off, noct as usize) {
            ctx.print_trunc();
            return Ok(None);
        }
        for _ in 0..noct {
            asnlen = (asnlen << 8) | p.u8_at(off)? as u32;
            off += 1;
            len -= 1;
        }
    }
    if len < asnlen {
        pr!(ctx, "[len{}<asnlen{}]", len as i32, asnlen);
        return Ok(None);
    }
    let form_c = if form == 0 { 'P' } else { 'C' };
    let ids = CLASS_IDS[class as usize];
    if id as usize >= ids.len() {
        pr!(ctx, "[id?{}/{}/{}]", form_c, CLASS_NAME, id);
        return Ok(None);
    }
    if !p.has(off, asnlen as usize) {
        ctx.print_trunc();
        return Ok(None);
    }
    let data = &p[off..off + asnlen as usize];
    let val = if form == 0 {
        match (class, id) {
            (0, 4) => Val::Str(data),
            (0, 2) => {
                if asnlen == 0 {
                    ctx.push("[asnlen=0]");
                    return Ok(None);
                }
                let mut v: i32 = if data[0] & 0x80 != 0 { -1 } else { 0 };
                for &b in data {
                    v = (v << 8) | b as i32;
                }
                Val::Int(v)
            }
            (0, 6) => Val::Oid(data),
            (0, 5) => Val::Null,
            (0, _) => {
                pr!(ctx, "[P/U/{}]", ids[id as usize]);
                Val::Octet(data)
            }
            (1, 0) => Val::InetAddr(data),
            (1, 1..=3) => {
                let mut v: u32 = 0;
                for &b in data {
                    v = (v << 8).wrapping_add(b as u32);
                }
                Val::Uns(v)
            }
            (1, 6) => {
                let mut v: u64 = 0;
                for &b in data {
                    v = (v << 8).wrapping_add(b as u64);
                }
                Val::Uns64(v)
            }
            (1, _) => {
                pr!(ctx, "[P/A/{}]", ids[id as usize]);
                Val::Octet(data)
            }
            (2, 0..=2) => Val::Exception,
            (2, _) => Val::Any,
            _ => {
                pr!(ctx, "[P/{}/{}]", CLASS_NAME, ids[id as usize]);
                Val::Octet(data)
            }
        }
    } else {
        match (class, id) {
            (0, 16) => Val::Seq(data),
            (0, _) => {
                pr!(ctx, "C/U/{}", ids[id as usize]);
                Val::Octet(data)
            }
            (2, _) => Val::Pdu(data),
            _ => {
                pr!(ctx, "C/{}/{}", CLASS_NAME, ids[id as usize]);
                Val::Octet(data)
            }
        }
    };
    Ok(Some((asnlen + off as u32, Be { asnlen, id, val })))
}

/// `asn1_print_string`: quoted when printable, else hex bytes joined by `_`.
fn print_string(ctx: &mut Ctx, s: &[u8]) {
    if s.iter().all(|&c| (0x20..=0x7e).contains(&c)) {
        ctx.push("\"");
        for &c in s {
            super::tcp::fn_print_char(ctx.out, c);
        }
        ctx.push("\"");
    } else {
        for (i, &c) in s.iter().enumerate() {
            if i == 0 {
                pr!(ctx, "{:02x}", c);
            } else {
                pr!(ctx, "_{:02x}", c);
            }
        }
    }
}

fn print_octets(ctx: &mut Ctx, s: &[u8]) {
    for &c in s {
        pr!(ctx, "_{:02x}", c);
    }
}

/// `asn1_print`.
fn print(ctx: &mut Ctx, e: &Be) {
    match e.val {
        Val::Octet(d) => print_octets(ctx, d),
        Val::Null => {}
        Val::Oid(d) => {
            // Subidentifiers, the first one split into two (X.690 8.19.4).
            let mut o: u32 = 0;
            let mut first = true;
            for &b in d {
                o = (o << 7).wrapping_add((b & 0x7f) as u32);
                if b & 0x80 != 0 {
                    continue;
                }
                if first {
                    first = false;
                    let s = (o as i32 / 40).min(2);
                    pr!(ctx, ".{}", s as u32);
                    o = (o as i32 - s * 40) as u32;
                }
                pr!(ctx, ".{}", o);
                o = 0;
            }
        }
        Val::Int(i) => pr!(ctx, "{}", i),
        Val::Uns(u) => pr!(ctx, "{}", u),
        Val::Uns64(u) => pr!(ctx, "{}", u),
        Val::Str(s) => print_string(ctx, s),
        Val::Seq(_) => pr!(ctx, "Seq({})", e.asnlen),
        Val::InetAddr(d) => {
            if e.asnlen != 4 {
                ctx.push("[inetaddr len!=4]");
            }
            for (i, &b) in d.iter().enumerate() {
                if i == 0 {
                    pr!(ctx, "{}", b);
                } else {
                    pr!(ctx, ".{}", b);
                }
            }
        }
        Val::Exception => pr!(ctx, "[{}]", EXCEPTION_IDS[e.id as usize]),
        Val::Pdu(_) => pr!(ctx, "{}({})", CONTEXT_IDS[e.id as usize], e.asnlen),
        Val::Any => ctx.push("[BE_ANY!?]"),
    }
}

/// Parses the next element; on a complaint returns `None` from the enclosing printer.
macro_rules! next {
    ($ctx:expr, $p:expr, $len:expr) => {
        match parse($ctx, $p, $len)? {
            Some(x) => x,
            None => return Ok(()),
        }
    };
}

/// Requires a type, else prints the complaint and the element and returns.
macro_rules! expect {
    ($ctx:expr, $e:expr, $pat:pat, $msg:expr) => {
        if !matches!($e.val, $pat) {
            $ctx.push($msg);
            print($ctx, &$e);
            return Ok(());
        }
    };
}

fn varbind_print(ctx: &mut Ctx, pduid: u8, np: &[u8], length: u32) -> PResult {
    let (count, e) = next!(ctx, np, length);
    let Val::Seq(mut np) = e.val else {
        ctx.push("[!SEQ of varbind]");
        print(ctx, &e);
        return Ok(());
    };
    if count < length {
        pr!(ctx, "[{} extra after SEQ of varbind]", length - count);
    }
    let mut length = e.asnlen;
    let read = matches!(pduid, GETREQ | GETNEXTREQ | GETBULKREQ);
    while length > 0 {
        ctx.push(" ");
        let (count, e) = next!(ctx, np, length);
        let Val::Seq(vb) = e.val else {
            ctx.push("[!varbind]");
            print(ctx, &e);
            return Ok(());
        };
        let vbend = &np[count as usize..];
        let vblength = length - count;
        let mut length2 = e.asnlen;
        let (count, e) = next!(ctx, vb, length2);
        expect!(ctx, e, Val::Oid(_), "[objName!=OID]");
        print(ctx, &e);
        length2 -= count;
        let vb = &vb[count as usize..];
        if !read {
            ctx.push("=");
        }
        let (_, e) = next!(ctx, vb, length2);
        if read {
            if !matches!(e.val, Val::Null) {
                ctx.push("[objVal!=NULL]");
                print(ctx, &e);
            }
        } else if !matches!(e.val, Val::Null) {
            print(ctx, &e);
        }
        length = vblength;
        np = vbend;
    }
    Ok(())
}

fn error_status(ctx: &mut Ctx, e: i32) {
    match ERROR_STATUS.get(e as usize).filter(|_| e >= 0) {
        Some(s) => ctx.push(s),
        None => pr!(ctx, "err={}", e as u32),
    }
}

fn snmppdu_print(ctx: &mut Ctx, pduid: u8, np: &[u8], length: u32) -> PResult {
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[reqId!=INT]");
    if ctx.vflag() > 0 {
        pr!(ctx, "R={} ", e.int());
    }
    let (mut np, mut length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[errorStatus!=INT]");
    let strict = matches!(
        pduid,
        GETREQ | GETNEXTREQ | SETREQ | INFORMREQ | V2TRAP | REPORT
    );
    let mut err = 0;
    if strict && e.int() != 0 {
        ctx.push("[errorStatus(");
        error_status(ctx, e.int());
        ctx.push(")!=0]");
    } else if pduid == GETBULKREQ {
        pr!(ctx, " N={}", e.int());
    } else if e.int() != 0 {
        ctx.push(" ");
        error_status(ctx, e.int());
        err = e.int();
    }
    np = &np[count as usize..];
    length -= count;
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[errorIndex!=INT]");
    if strict && e.int() != 0 {
        pr!(ctx, "[errorIndex({})!=0]", e.int());
    } else if pduid == GETBULKREQ {
        pr!(ctx, " M={}", e.int());
    } else if e.int() != 0 {
        if err == 0 {
            pr!(ctx, "[errorIndex({}) w/o errorStatus]", e.int());
        } else {
            pr!(ctx, "@{}", e.int());
        }
    } else if err != 0 {
        ctx.push("[errorIndex==0]");
    }
    varbind_print(ctx, pduid, &np[count as usize..], length - count)
}

fn trappdu_print(ctx: &mut Ctx, np: &[u8], length: u32) -> PResult {
    ctx.push(" ");
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Oid(_), "[enterprise!=OID]");
    print(ctx, &e);
    let (np, length) = (&np[count as usize..], length - count);
    ctx.push(" ");
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::InetAddr(_), "[agent-addr!=INETADDR]");
    print(ctx, &e);
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[generic-trap!=INT]");
    let generic = e.int();
    match GENERIC_TRAP.get(generic as usize).filter(|_| generic >= 0) {
        Some(s) => pr!(ctx, " {}", s),
        None => pr!(ctx, " gt={}", generic),
    }
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[specific-trap!=INT]");
    if generic != GT_ENTERPRISE {
        if e.int() != 0 {
            pr!(ctx, "[specific-trap({})!=0]", e.int());
        }
    } else {
        pr!(ctx, " s={}", e.int());
    }
    let (np, length) = (&np[count as usize..], length - count);
    ctx.push(" ");
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Uns(_), "[time-stamp!=TIMETICKS]");
    print(ctx, &e);
    varbind_print(ctx, TRAP, &np[count as usize..], length - count)
}

fn pdu_print(ctx: &mut Ctx, np: &[u8], length: u32, version: i32) -> PResult {
    let (count, pdu) = next!(ctx, np, length);
    let Val::Pdu(body) = pdu.val else {
        ctx.push("[no PDU]");
        return Ok(());
    };
    if count < length {
        pr!(ctx, "[{} extra after PDU]", length - count);
    }
    if ctx.vflag() > 0 {
        ctx.push("{ ");
    }
    print(ctx, &pdu);
    ctx.push(" ");
    if version == 0 && matches!(pdu.id, GETBULKREQ | INFORMREQ | V2TRAP | REPORT) {
        ctx.push("[v2 PDU in v1 message]");
        return Ok(());
    }
    if version == 1 && pdu.id == TRAP {
        ctx.push("[v1 PDU in v2 message]");
        return Ok(());
    }
    match pdu.id {
        TRAP => trappdu_print(ctx, body, pdu.asnlen)?,
        0..=8 => snmppdu_print(ctx, pdu.id, body, pdu.asnlen)?,
        _ => {}
    }
    if ctx.vflag() > 0 {
        ctx.push(" } ");
    }
    Ok(())
}

fn scopedpdu_print(ctx: &mut Ctx, np: &[u8], length: u32, version: i32) -> PResult {
    let (_, e) = next!(ctx, np, length);
    let Val::Seq(np) = e.val else {
        ctx.push("[!scoped PDU]");
        print(ctx, &e);
        return Ok(());
    };
    let length = e.asnlen;
    let (count, e) = next!(ctx, np, length);
    let Val::Str(engine) = e.val else {
        ctx.push("[contextEngineID!=STR]");
        print(ctx, &e);
        return Ok(());
    };
    let (np, length) = (&np[count as usize..], length - count);
    ctx.push("E=");
    print_octets(ctx, engine);
    ctx.push(" ");
    let (count, e) = next!(ctx, np, length);
    let Val::Str(name) = e.val else {
        ctx.push("[contextName!=STR]");
        print(ctx, &e);
        return Ok(());
    };
    ctx.push("C=");
    print_string(ctx, name);
    ctx.push(" ");
    pdu_print(ctx, &np[count as usize..], length - count, version)
}

fn community_print(ctx: &mut Ctx, np: &[u8], length: u32, version: i32) -> PResult {
    let (count, e) = next!(ctx, np, length);
    let Val::Str(c) = e.val else {
        ctx.push("[comm!=STR]");
        print(ctx, &e);
        return Ok(());
    };
    if c != b"public" {
        ctx.push("C=");
        print_string(ctx, c);
        ctx.push(" ");
    }
    pdu_print(ctx, &np[count as usize..], length - count, version)
}

fn usm_print(ctx: &mut Ctx, np: &[u8], length: u32) -> PResult {
    let (_, e) = next!(ctx, np, length);
    let Val::Seq(np) = e.val else {
        ctx.push("[!usm]");
        print(ctx, &e);
        return Ok(());
    };
    let length = e.asnlen;
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Str(_), "[msgAuthoritativeEngineID!=STR]");
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[msgAuthoritativeEngineBoots!=INT]");
    if ctx.vflag() > 0 {
        pr!(ctx, "B={} ", e.int());
    }
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[msgAuthoritativeEngineTime!=INT]");
    if ctx.vflag() > 0 {
        pr!(ctx, "T={} ", e.int());
    }
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    let Val::Str(user) = e.val else {
        ctx.push("[msgUserName!=STR]");
        print(ctx, &e);
        return Ok(());
    };
    let (np, length) = (&np[count as usize..], length - count);
    ctx.push("U=");
    print_string(ctx, user);
    ctx.push(" ");
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Str(_), "[msgAuthenticationParameters!=STR]");
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Str(_), "[msgPrivacyParameters!=STR]");
    let length = length - count;
    if count < length {
        pr!(ctx, "[{} extra after usm SEQ]", length - count);
    }
    Ok(())
}

fn v3msg_print(ctx: &mut Ctx, xnp: &[u8], xlength: u32) -> PResult {
    let (_, e) = next!(ctx, xnp, xlength);
    let Val::Seq(np) = e.val else {
        ctx.push("[!message]");
        print(ctx, &e);
        return Ok(());
    };
    let length = e.asnlen;
    if ctx.vflag() > 0 {
        ctx.push("{ ");
    }
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[msgID!=INT]");
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[msgMaxSize!=INT]");
    let (np, length) = (&np[count as usize..], length - count);
    let (count, e) = next!(ctx, np, length);
    let Val::Str(f) = e.val else {
        ctx.push("[msgFlags!=STR]");
        print(ctx, &e);
        return Ok(());
    };
    if e.asnlen != 1 {
        pr!(ctx, "[msgFlags size {}]", e.asnlen as i32);
        return Ok(());
    }
    let flags = f[0];
    if !matches!(flags, 0x00 | 0x01 | 0x03 | 0x04 | 0x05 | 0x07) {
        pr!(ctx, "[msgFlags=0x{:02X}]", flags);
        return Ok(());
    }
    let (np, length) = (&np[count as usize..], length - count);
    pr!(
        ctx,
        "F={}{}{} ",
        if flags & 1 != 0 { "a" } else { "" },
        if flags & 2 != 0 { "p" } else { "" },
        if flags & 4 != 0 { "r" } else { "" }
    );
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[msgSecurityModel!=INT]");
    let model = e.int();
    // Offset in the whole message of what follows msgSecurityModel (`np` is a subslice of
    // `xnp`).
    let np_off = np.as_ptr() as usize - xnp.as_ptr() as usize + count as usize;
    let length_after = length - count;
    if count < length_after {
        pr!(ctx, "[{} extra after message SEQ]", length_after - count);
    }
    if ctx.vflag() > 0 {
        ctx.push("} ");
    }
    if model == 3 {
        if ctx.vflag() > 0 {
            ctx.push("{ USM ");
        }
    } else {
        pr!(ctx, "[security model {}]", model);
        return Ok(());
    }
    // The security parameters follow the header SEQUENCE in the whole message.
    let np = &xnp[np_off.min(xnp.len())..];
    let length = xlength.wrapping_sub(np_off as u32);
    let (count, e) = next!(ctx, np, length);
    let Val::Str(sp) = e.val else {
        ctx.push("[msgSecurityParameters!=STR]");
        print(ctx, &e);
        return Ok(());
    };
    usm_print(ctx, sp, e.asnlen)?;
    if ctx.vflag() > 0 {
        ctx.push("} ");
    }
    if ctx.vflag() > 0 {
        ctx.push("{ ScopedPDU ");
    }
    scopedpdu_print(ctx, &np[count as usize..], length - count, 3)?;
    if ctx.vflag() > 0 {
        ctx.push("} ");
    }
    Ok(())
}

/// An SNMP message (UDP ports 161 and 162). `np`: captured payload; `length`: its length.
pub fn snmp_print(ctx: &mut Ctx, np: &[u8], length: u32) -> PResult {
    ctx.protocol = "snmp";
    ctx.push(" ");
    let (count, e) = next!(ctx, np, length);
    let Val::Seq(np) = e.val else {
        ctx.push("[!init SEQ]");
        print(ctx, &e);
        return Ok(());
    };
    if count < length {
        pr!(ctx, "[{} extra after iSEQ]", length - count);
    }
    let length = e.asnlen;
    let (count, e) = next!(ctx, np, length);
    expect!(ctx, e, Val::Int(_), "[version!=INT]");
    let version = e.int();
    match version {
        0 | 1 | 3 => {
            if ctx.vflag() > 0 {
                pr!(ctx, "{{ {} ", SNMP_VERSION[version as usize]);
            }
        }
        _ => {
            pr!(ctx, "SNMP [version = {}]", version);
            return Ok(());
        }
    }
    let (np, length) = (&np[count as usize..], length - count);
    match version {
        0 | 1 => community_print(ctx, np, length, version)?,
        _ => v3msg_print(ctx, np, length)?,
    }
    if ctx.vflag() > 0 {
        ctx.push("} ");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8], v: u8) -> (String, PResult) {
        run_len(p, p.len() as u32, v)
    }

    fn run_len(p: &[u8], len: u32, v: u8) -> (String, PResult) {
        run_with(&opts(v, false), |ctx| snmp_print(ctx, p, len))
    }

    /// GetRequest for sysDescr.0 (1.3.6.1.2.1.1.1.0), community "private", request id 1.
    const GET: &[u8] = &[
        0x30, 0x27, 0x02, 0x01, 0x00, 0x04, 0x07, b'p', b'r', b'i', b'v', b'a', b't', b'e', 0xa0,
        0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06,
        0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
    ];

    #[test]
    fn get_request() {
        assert_eq!(
            run(GET, 0).0,
            " C=\"private\" GetRequest(25)  .1.3.6.1.2.1.1.1.0"
        );
        assert_eq!(
            run(GET, 1).0,
            " { SNMPv1 C=\"private\" { GetRequest(25) R=1  .1.3.6.1.2.1.1.1.0 } } "
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(GET, &verbosities(1), |ctx, p| {
            snmp_print(ctx, p, p.len() as u32)
        });
        assert_every_truncation_is_safe(GET, &verbosities(1), |ctx, p| {
            snmp_print(ctx, p, GET.len() as u32)
        });
    }
}
