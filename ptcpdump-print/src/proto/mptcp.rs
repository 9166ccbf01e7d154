//! Multipath TCP option (RFC 8684, RFC 6824); tcpdump's print-mptcp.c.
//!
//! Called by the TCP option printer for option kind 30 with the whole option (kind, length,
//! data). Each subtype validates its length against the TCP flags the way tcpdump does; a
//! mismatch makes the TCP printer report `[bad opt]`.

use std::fmt::Write;

use super::Ctx;
use super::textutil::{Tok, ipv4_str, ipv6_str, tok};
use crate::cursor::{Bytes, PResult};

const TH_SYN: u8 = 0x02;
const TH_ACK: u8 = 0x10;

const SUBTYPES: [&str; 9] = [
    "capable",
    "join",
    "dss",
    "add-addr",
    "rem-addr",
    "prio",
    "fail",
    "fast-close",
    "unknown",
];

const ADDR_SUBECHO: &[Tok] = &[
    (0x6, "v0-ip6"),
    (0x4, "v0-ip4"),
    (0x1, "v1-echo"),
    (0x0, "v1"),
];

/// `opt`: the whole option (kind, length, data) as captured; `len`: its length field;
/// `flags`: the TCP flags. Returns `Ok(false)` for a malformed option (`[bad opt]`).
pub fn mptcp_print(ctx: &mut Ctx, opt: &[u8], len: u32, flags: u8) -> PResult<bool> {
    ctx.protocol = "mptcp";
    print(ctx.out, opt, len, flags)
}

fn print(out: &mut String, opt: &[u8], len: u32, flags: u8) -> PResult<bool> {
    if len < 3 {
        return Ok(false);
    }
    let subtype = usize::from((opt.u8_at(2)? >> 4) & 0xf).min(8);
    let _ = write!(out, " {len} {}", SUBTYPES[subtype]);
    match subtype {
        0 => capable(out, opt, len, flags),
        1 => join(out, opt, len, flags),
        2 => dss(out, opt, len, flags),
        3 => add_addr(out, opt, len),
        4 => {
            if len < 4 {
                return Ok(false);
            }
            out.push_str(" id");
            for i in 0..(len - 3) as usize {
                let _ = write!(out, " {}", opt.u8_at(3 + i)?);
            }
            Ok(true)
        }
        5 => {
            if len != 3 && len != 4 {
                return Ok(false);
            }
            out.push_str(if opt.u8_at(2)? & 1 != 0 {
                " backup"
            } else {
                " non-backup"
            });
            if len == 4 {
                let _ = write!(out, " id {}", opt.u8_at(3)?);
            }
            Ok(true)
        }
        6 => {
            if len != 12 {
                return Ok(false);
            }
            let _ = write!(out, " seq {}", opt.be_u64(4)?);
            Ok(true)
        }
        7 => {
            if len != 12 {
                return Ok(false);
            }
            let _ = write!(out, " key 0x{:x}", opt.be_u64(4)?);
            Ok(true)
        }
        _ => Ok(true),
    }
}

fn capable(out: &mut String, opt: &[u8], len: u32, flags: u8) -> PResult<bool> {
    if !((len == 12 || len == 4) && flags & TH_SYN != 0)
        && !((len == 20 || len == 22) && flags & (TH_SYN | TH_ACK) == TH_ACK)
    {
        return Ok(false);
    }
    let version = opt.u8_at(2)? & 0xf;
    if version > 1 {
        let _ = write!(out, " Unknown Version ({version})");
        return Ok(true);
    }
    let _ = write!(out, " v{version}");
    if opt.u8_at(3)? & 0x80 != 0 {
        out.push_str(" csum");
    }
    if len == 12 || len >= 20 {
        let _ = write!(out, " {{0x{:x}", opt.be_u64(4)?);
        if len >= 20 {
            let _ = write!(out, ",0x{:x}", opt.be_u64(12)?);
        }
        out.push('}');
    }
    Ok(true)
}

fn join(out: &mut String, opt: &[u8], len: u32, flags: u8) -> PResult<bool> {
    let valid = (len == 12 && flags & TH_SYN != 0)
        || (len == 16 && flags & (TH_SYN | TH_ACK) == (TH_SYN | TH_ACK))
        || (len == 24 && flags & TH_ACK != 0);
    if !valid {
        return Ok(false);
    }
    if len != 24 {
        if opt.u8_at(2)? & 1 != 0 {
            out.push_str(" backup");
        }
        let _ = write!(out, " id {}", opt.u8_at(3)?);
    }
    match len {
        12 => {
            let _ = write!(
                out,
                " token 0x{:x} nonce 0x{:x}",
                opt.be_u32(4)?,
                opt.be_u32(8)?
            );
        }
        16 => {
            let _ = write!(
                out,
                " hmac 0x{:x} nonce 0x{:x}",
                opt.be_u64(4)?,
                opt.be_u32(12)?
            );
        }
        _ => {
            out.push_str(" hmac 0x");
            for b in opt.sub(4, 20)? {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
    Ok(true)
}

fn dss(out: &mut String, opt: &[u8], len: u32, flags: u8) -> PResult<bool> {
    if len < 4 || flags & TH_SYN != 0 {
        return Ok(false);
    }
    let f = opt.u8_at(3)?;
    if f & 0x10 != 0 {
        out.push_str(" fin");
    }
    let mut p = 4usize;
    let mut left = len - 4;
    // Prints an 8- or 4-byte number; false when the option is too short for it.
    let number = |out: &mut String, wide: bool, p: &mut usize, left: &mut u32| -> PResult<bool> {
        if wide {
            if *left < 8 {
                return Ok(false);
            }
            let _ = write!(out, "{}", opt.be_u64(*p)?);
            *p += 8;
            *left -= 8;
        } else {
            if *left < 4 {
                return Ok(false);
            }
            let _ = write!(out, "{}", opt.be_u32(*p)?);
            *p += 4;
            *left -= 4;
        }
        Ok(true)
    };
    if f & 0x01 != 0 {
        out.push_str(" ack ");
        if !number(out, f & 0x02 != 0, &mut p, &mut left)? {
            return Ok(false);
        }
    }
    if f & 0x04 != 0 {
        out.push_str(" seq ");
        if !number(out, f & 0x08 != 0, &mut p, &mut left)? {
            return Ok(false);
        }
        if left < 4 {
            return Ok(false);
        }
        let _ = write!(out, " subseq {}", opt.be_u32(p)?);
        p += 4;
        left -= 4;
        if left < 2 {
            return Ok(false);
        }
        let _ = write!(out, " len {}", opt.be_u16(p)?);
        p += 2;
        left -= 2;
        if left >= 2 {
            let _ = write!(out, " csum 0x{:x}", opt.be_u16(p)?);
            left -= 2;
        }
    }
    Ok(left == 0)
}

fn add_addr(out: &mut String, opt: &[u8], len: u32) -> PResult<bool> {
    if ![8, 10, 16, 18, 20, 22, 28, 30].contains(&len) {
        return Ok(false);
    }
    let echo = opt.u8_at(2)? & 0xf;
    let _ = write!(
        out,
        " {}",
        tok(ADDR_SUBECHO, echo.into()).unwrap_or("[bad version/echo]")
    );
    let _ = write!(out, " id {}", opt.u8_at(3)?);
    if matches!(len, 8 | 10 | 16 | 18) {
        let _ = write!(out, " {}", ipv4_str(opt.ipv4_at(4)?));
        if len == 10 || len == 18 {
            let _ = write!(out, ":{}", opt.be_u16(8)?);
        }
        if len == 16 {
            let _ = write!(out, " hmac 0x{:x}", opt.be_u64(8)?);
        }
        if len == 18 {
            let _ = write!(out, " hmac 0x{:x}", opt.be_u64(10)?);
        }
    } else {
        let _ = write!(out, " {}", ipv6_str(opt.ipv6_at(4)?));
        if len == 22 || len == 30 {
            let _ = write!(out, ":{}", opt.be_u16(20)?);
        }
        if len == 28 {
            let _ = write!(out, " hmac 0x{:x}", opt.be_u64(20)?);
        }
        if len == 30 {
            let _ = write!(out, " hmac 0x{:x}", opt.be_u64(22)?);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(opt: &[u8], flags: u8) -> (String, PResult<bool>) {
        let mut s = String::new();
        let r = print(&mut s, opt, opt.len() as u32, flags);
        (s, r)
    }

    #[test]
    fn capable_syn_and_ack() {
        let syn = [30, 12, 0x00, 0x81, 1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(
            run(&syn, TH_SYN),
            (" 12 capable v0 csum {0x102030405060708}".into(), Ok(true))
        );
        assert_eq!(run(&syn, TH_ACK).1, Ok(false));
        let v1 = [30, 4, 0x01, 0x01];
        assert_eq!(run(&v1, TH_SYN).0, " 4 capable v1");
    }

    #[test]
    fn dss_fields() {
        // A + M, 4-byte ack and dsn, subseq, len, csum.
        let o = [
            30, 20, 0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 1, 0, 10, 0xab, 0xcd,
        ];
        assert_eq!(
            run(&o, TH_ACK),
            (
                " 20 dss ack 9 seq 7 subseq 1 len 10 csum 0xabcd".into(),
                Ok(true)
            )
        );
        assert_eq!(run(&o[..8], TH_SYN | TH_ACK).1, Ok(false));
    }

    #[test]
    fn add_addr_v4_port() {
        let o = [30, 10, 0x30, 2, 10, 0, 0, 1, 0x1f, 0x90];
        assert_eq!(run(&o, TH_ACK).0, " 10 add-addr v1 id 2 10.0.0.1:8080");
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let o = [
            30, 20, 0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 1, 0, 10, 0xab, 0xcd,
        ];
        for cut in 0..o.len() {
            let mut s = String::new();
            let _ = print(&mut s, &o[..cut], o.len() as u32, TH_ACK);
        }
    }
}
