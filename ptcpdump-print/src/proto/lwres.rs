//! BIND 9's lightweight resolver protocol (lwres, BIND 9.10's lib/lwres; no RFC), UDP port
//! 921: the packet header and the getaddrsbyname, getnamebyaddr and getrdatabyname requests
//! and responses; tcpdump's print-lwres.c. `-vv` adds the header's serial, result and
//! receive length, `-vvv` the authentication fields and flags.

use super::dns::{NS_CLASSES, NS_TYPES};
use super::textutil::relts;
use super::util_print::{printn, tail};
use super::{Ctx, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: usize = 28;
const FLAG_RESPONSE: u16 = 0x0001;

const OP_NOOP: u32 = 0x0000_0000;
const OP_GETADDRSBYNAME: u32 = 0x0001_0001;
const OP_GETNAMEBYADDR: u32 = 0x0001_0002;
const OP_GETRDATABYNAME: u32 = 0x0001_0003;

const OPCODE_VALUES: &[(u32, &str)] = &[
    (0x0000_0000, "noop"),
    (0x0001_0001, "getaddrsbyname"),
    (0x0001_0002, "getnamebyaddr"),
    (0x0001_0003, "getrdatabyname"),
];

const ADDRTYPE_V4: u32 = 1;
const ADDRTYPE_V6: u32 = 2;
const C_IN: u16 = 1;

/// ` name` of `l` octets at `off`, which must be NUL-terminated; returns its size with the NUL.
fn name_print(ctx: &mut Ctx, p: &[u8], off: usize, l: u32) -> PResult<usize> {
    ctx.push(" ");
    printn(ctx, tail(p, off), l as usize)?;
    if p.u8_at(off + l as usize)? != 0 {
        ctx.push(" (not NUL-terminated!)");
    }
    Ok(l as usize + 1)
}

/// A length-prefixed name.
fn namelen_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<usize> {
    let l = p.be_u16(off)? as u32;
    Ok(2 + name_print(ctx, p, off + 2, l)?)
}

/// Length-prefixed binary data, in hex.
fn binlen_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<usize> {
    let l = p.be_u16(off)? as usize;
    for i in 0..l {
        pr!(ctx, "{:02x}", p.u8_at(off + 2 + i)?);
    }
    Ok(2 + l)
}

/// An address (family, length, address). `Ok(None)`: shorter than its family's addresses.
fn addr_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<Option<usize>> {
    let l = p.be_u16(off + 4)? as usize;
    let a = off + 6;
    p.sub(a, l)?;
    let family = p.be_u32(off)?;
    let used = match family {
        1 | 2 => {
            let size = if family == 1 { 4 } else { 16 };
            if l < size {
                return Ok(None);
            }
            ctx.push(" ");
            ctx.ip(p.sub(a, size)?);
            size
        }
        _ => {
            pr!(ctx, " {}/", family);
            for i in 0..l {
                pr!(ctx, "{:02x}", p.u8_at(a + i)?);
            }
            l
        }
    };
    Ok(Some(6 + used))
}

/// ` TYPE` and, unless IN, ` CLASS` of a getrdatabyname request or response at `body`.
fn type_class_print(ctx: &mut Ctx, p: &[u8], body: usize) -> PResult {
    let ty = p.be_u16(body + 6)?;
    ctx.push(" ");
    tok2str(ctx.out, NS_TYPES, "Type{}", ty as u32);
    let class = p.be_u16(body + 4)?;
    if class != C_IN {
        ctx.push(" ");
        tok2str(ctx.out, NS_CLASSES, "Class{}", class as u32);
    }
    Ok(())
}

/// ` flags:0x..` with `-vvv`.
fn flags_print(ctx: &mut Ctx, p: &[u8], body: usize) -> PResult {
    if ctx.vflag() > 2 {
        pr!(ctx, " flags:0x{:x}", p.be_u32(body)?);
    }
    Ok(())
}

/// A request's body at `b`; returns where it ends, `None` for unsupported opcodes.
fn request_print(ctx: &mut Ctx, p: &[u8], op: u32, b: usize) -> PResult<Result<Option<usize>, ()>> {
    Ok(Ok(Some(match op {
        OP_NOOP => b,
        OP_GETADDRSBYNAME => {
            p.sub(b + 8, 2)?;
            flags_print(ctx, p, b)?;
            let v = p.be_u32(b + 4)?;
            match v & (ADDRTYPE_V4 | ADDRTYPE_V6) {
                ADDRTYPE_V4 => ctx.push(" IPv4"),
                ADDRTYPE_V6 => ctx.push(" IPv6"),
                3 => ctx.push(" IPv4/6"),
                _ => {}
            }
            if v & !(ADDRTYPE_V4 | ADDRTYPE_V6) != 0 {
                pr!(ctx, "[0x{:x}]", v);
            }
            let l = p.be_u16(b + 8)? as u32;
            b + 10 + name_print(ctx, p, b + 10, l)?
        }
        OP_GETNAMEBYADDR => {
            p.sub(b, 4)?;
            flags_print(ctx, p, b)?;
            match addr_print(ctx, p, b + 4)? {
                Some(n) => b + 4 + n,
                None => return Ok(Err(())),
            }
        }
        OP_GETRDATABYNAME => {
            p.sub(b + 8, 2)?;
            flags_print(ctx, p, b)?;
            type_class_print(ctx, p, b)?;
            let l = p.be_u16(b + 8)? as u32;
            b + 10 + name_print(ctx, p, b + 10, l)?
        }
        _ => return Ok(Ok(None)),
    })))
}

/// A response's body at `b`, as [`request_print`].
fn response_print(
    ctx: &mut Ctx,
    p: &[u8],
    op: u32,
    b: usize,
) -> PResult<Result<Option<usize>, ()>> {
    Ok(Ok(Some(match op {
        OP_NOOP => b,
        OP_GETADDRSBYNAME => {
            p.sub(b + 8, 2)?;
            flags_print(ctx, p, b)?;
            pr!(ctx, " {}/{}", p.be_u16(b + 4)?, p.be_u16(b + 6)?);
            let l = p.be_u16(b + 8)? as u32;
            let mut s = b + 10 + name_print(ctx, p, b + 10, l)?;
            for _ in 0..p.be_u16(b + 4)? {
                s += namelen_print(ctx, p, s)?;
            }
            for _ in 0..p.be_u16(b + 6)? {
                match addr_print(ctx, p, s)? {
                    Some(n) => s += n,
                    None => return Ok(Err(())),
                }
            }
            s
        }
        OP_GETNAMEBYADDR => {
            p.sub(b + 6, 2)?;
            flags_print(ctx, p, b)?;
            pr!(ctx, " {}", p.be_u16(b + 4)?);
            let l = p.be_u16(b + 6)? as u32;
            let mut s = b + 8 + name_print(ctx, p, b + 8, l)?;
            for _ in 0..p.be_u16(b + 4)? {
                s += namelen_print(ctx, p, s)?;
            }
            s
        }
        OP_GETRDATABYNAME => {
            p.sub(b + 14, 2)?;
            flags_print(ctx, p, b)?;
            type_class_print(ctx, p, b)?;
            let ttl = p.be_u32(b + 8)?;
            ctx.push(" TTL ");
            relts(ctx.out, ttl);
            pr!(ctx, " {}/{}", p.be_u16(b + 12)?, p.be_u16(b + 14)?);
            let mut s = b + 16;
            s += namelen_print(ctx, p, s)?;
            // Resource data and signatures, in hex.
            for _ in 0..p.be_u16(b + 12)? as u32 + p.be_u16(b + 14)? as u32 {
                s += binlen_print(ctx, p, s)?;
            }
            s
        }
        _ => return Ok(Ok(None)),
    })))
}

/// An lwres packet; `p`: the captured UDP payload, `length` its length.
pub fn lwres_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "lwres";
    p.sub(26, 2)?;
    ctx.push(" lwres");
    let version = p.be_u16(4)?;
    if ctx.vflag() > 0 || version != 0 {
        pr!(ctx, " v{}", version);
    }
    let end = if version != 0 {
        Some(p.be_u32(0)? as usize)
    } else {
        let flags = p.be_u16(6)?;
        let response = flags & FLAG_RESPONSE != 0;
        let op = p.be_u32(12)?;
        match tok(OPCODE_VALUES, op) {
            Some(n) => pr!(ctx, " {}", n),
            None => pr!(ctx, " #0x{:x}", op),
        }
        if !response {
            ctx.push("?");
        }
        if flags & !FLAG_RESPONSE != 0 {
            pr!(ctx, "[0x{:x}]", flags);
        }
        if ctx.vflag() > 1 {
            pr!(ctx, " (serial:0x{:x}", p.be_u32(8)?);
            pr!(ctx, " result:0x{:x}", p.be_u32(16)?);
            pr!(ctx, " recvlen:{}", p.be_u32(20)?);
            if ctx.vflag() > 2 {
                pr!(ctx, " authtype:0x{:x}", p.be_u16(24)?);
                pr!(ctx, " authlen:{}", p.be_u16(26)?);
            }
            ctx.push(")");
        }
        let r = if response {
            response_print(ctx, p, op, HDR_LEN)?
        } else {
            request_print(ctx, p, op, HDR_LEN)?
        };
        match r {
            Ok(end) => end,
            Err(()) => {
                ctx.print_invalid();
                return Ok(());
            }
        }
    };
    let plen = p.be_u32(0)?;
    if plen != length {
        pr!(ctx, " [len: {} != {}]", plen, length);
    }
    // Unsupported opcodes are not checked for extra data.
    if let Some(end) = end
        && (end as u64) < plen as u64
    {
        ctx.push("[extra]");
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
        run_marked(&opts(v, false), |ctx| lwres_print(ctx, p, p.len() as u32))
    }

    // getaddrsbyname response: one alias, an IPv4 and an IPv6 address.
    const GABN: &str = "0000005200000001000012340001000100000000000004000000000000000000000100020003\
                        777777000005616c696173000000000100040a00000100000002001020010db80000000000\
                        00000000000001";
    // getrdatabyname response with one rdata and one signature.
    const GRBN: &str = "0000003b000000010000123400010003000000000000040000000000000000000001000100000e\
                        10000100010002726e0000040102030400020506";
    // A noop response two octets shorter than the datagram.
    const NOOP: &str = "00000020000000010000123400000000000000000000040000000000000278797a7a";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn responses() {
        assert_eq!(
            run(0, &hex(GABN)),
            " lwres getaddrsbyname 1/2 www alias 10.0.0.1 2001:db8::1"
        );
        assert_eq!(
            run(2, &hex(GABN)),
            " lwres v0 getaddrsbyname (serial:0x1234 result:0x0 recvlen:1024) 1/2 www alias \
             10.0.0.1 2001:db8::1"
        );
        assert_eq!(
            run(0, &hex(GRBN)),
            " lwres getrdatabyname A TTL 1h 1/1 rn010203040506"
        );
        assert_eq!(run(0, &hex(NOOP)), " lwres noop [len: 32 != 34][extra]");
    }

    #[test]
    fn truncated_at_every_offset() {
        for m in [GABN, GRBN, NOOP] {
            let p = hex(m);
            assert_every_truncation_is_safe(&p, &verbosities(3), |ctx, q| {
                lwres_print(ctx, q, p.len() as u32)
            });
        }
        let p = hex(GABN);
        for n in 0..p.len() {
            let out = run_marked(&opts(0, false), |ctx| {
                lwres_print(ctx, &p[..n], p.len() as u32)
            });
            assert!(out.ends_with(" [|lwres]"), "{n}: {out}");
        }
    }
}
