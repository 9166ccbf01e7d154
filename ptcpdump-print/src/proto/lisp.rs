//! Locator/ID Separation Protocol control messages, LISP (RFC 6830 section 6.1: Map-Register
//! and Map-Notify; xTR-ID/Site-ID from RFC 8061/draft-ermagan-lisp-nat-traversal); tcpdump's
//! print-lisp.c. UDP port 4342. Other message types print only their name.
//!
//! ```text
//! header: type(4b) flags ... record count(1) nonce(8) key ID(2) auth data length(2) auth
//! record: TTL(4) locator count(1) EID mask length(1) ACT/A(1) rsvd(1) version(2) AFI(2) EID
//! locator: priority weight m-priority m-weight(1 each) flags(2) AFI(2) address
//! ```

use super::{Ctx, bittok2str, pr, tok2str};
use crate::cursor::{Bytes, PResult};
use crate::dump::hex_print;

const HDR_LEN: u16 = 16;
const EID_LEN: u16 = 12;
const LOC_LEN: u16 = 8;

const MAP_REGISTER: u8 = 3;
const MAP_NOTIFY: u8 = 4;

const AFI_IPV4: u16 = 1;
const AFI_IPV6: u16 = 2;

const TYPES: &[(u32, &str)] = &[
    (0, "LISP-Reserved"),
    (1, "LISP-Map-Request"),
    (2, "LISP-Map-Reply"),
    (3, "LISP-Map-Register"),
    (4, "LISP-Map-Notify"),
    (8, "LISP-Encapsulated-Contol-Message"),
];

const MAP_REGISTER_FLAGS: &[(u32, &str)] = &[
    (0x0800_0000, "P-Proxy-Map-Reply"),
    (0x0400_0000, "S-LISP-SEC-Capable"),
    (0x0200_0000, "I-xTR-ID-Present"),
    (0x0100_0000, "R-Build-For-RTR"),
    (0x0000_0100, "M-Want-Map-Notify"),
];

const MAP_NOTIFY_FLAGS: &[(u32, &str)] = &[
    (0x0800_0000, "I-xTR-ID-Present"),
    (0x0400_0000, "R-Build-For-RTR"),
];

const AUTH_TYPES: &[(u32, &str)] = &[(0, "None"), (1, "SHA1"), (2, "SHA256")];

const EID_ACTIONS: &[(u32, &str)] = &[
    (0, "No-Action"),
    (1, "Natively-Forward"),
    (2, "Send-Map-Request"),
    (3, "Drop"),
];

const LOCATOR_FLAGS: &[(u32, &str)] = &[
    (0x0004, "Local-Locator"),
    (0x0002, "RLoc-Probed"),
    (0x0001, "Reachable"),
];

/// How the message ended early.
enum End {
    /// An `ND_TCHECK` failed: ` [|lisp]`, printed here.
    Trunc,
    /// ` (invalid)`.
    Invalid,
}

/// A LISP control message of `length` bytes at `p`.
pub fn lisp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "lisp";
    match message_print(ctx, p, length)? {
        Some(End::Trunc) => ctx.print_trunc(),
        Some(End::Invalid) => ctx.print_invalid(),
        None => {}
    }
    Ok(())
}

fn message_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<Option<End>> {
    if !p.has(0, HDR_LEN as usize) {
        return Ok(Some(End::Trunc));
    }
    let first = p[0];
    let ty = first >> 4;
    tok2str(ctx.out, TYPES, "unknown-type-{}", ty as u32);
    ctx.push(",");
    if ctx.vflag() > 0 {
        let flags = match ty {
            MAP_REGISTER => Some(MAP_REGISTER_FLAGS),
            MAP_NOTIFY => Some(MAP_NOTIFY_FLAGS),
            _ => None,
        };
        if let Some(table) = flags {
            ctx.push(" flags [");
            bittok2str(ctx.out, table, "none", p.be_u32(0)?, ", ");
            ctx.push("],");
        }
    }
    let xtr_present = match ty {
        MAP_REGISTER => first & 0x02 != 0,
        MAP_NOTIFY => first & 0x08 != 0,
        _ => return Ok(None),
    };
    let auth_len = p.be_u16(14)?;
    let mut records = p[3];
    // tcpdump keeps the offset in 16 bits.
    let mut off: u16 = HDR_LEN;
    if ctx.vflag() > 0 {
        let key_id = p.be_u16(12)?;
        pr!(ctx, "\n    {} record(s), Authentication ", records);
        tok2str(ctx.out, AUTH_TYPES, "unknown-type", key_id as u32);
        ctx.push(",");
        hex_print(
            ctx.out,
            "\n    Authentication-Data: ",
            at(p, off),
            auth_len as usize,
            0,
        )?;
    } else {
        pr!(ctx, " {} record(s),", records);
    }
    off = off.wrapping_add(auth_len);
    if records == 0 {
        return Ok(Some(End::Invalid));
    }
    while length > off as u32 && records != 0 {
        records -= 1;
        if !p.has(off as usize, EID_LEN as usize) {
            return Ok(Some(End::Trunc));
        }
        ctx.push("\n");
        let rec = &p[off as usize..];
        off = off.wrapping_add(EID_LEN);
        let mask_len = rec[5];
        let afi = p.be_u16(off as usize - 2)?;
        let mut locators = rec[4];
        if ctx.vflag() > 0 {
            pr!(ctx, "      Record TTL {},", rec.be_u32(0)?);
            let act = rec[6];
            ctx.push(if (act >> 4) & 1 != 0 {
                " Authoritative,"
            } else {
                " Non-Authoritative,"
            });
            ctx.push(" ");
            tok2str(ctx.out, EID_ACTIONS, "unknown", (act >> 5) as u32);
            ctx.push(",");
            pr!(ctx, " Map Version: {},", rec.be_u16(8)? & 0x0fff);
        }
        match afi {
            AFI_IPV4 => {
                let a = p.sub(off as usize, 4)?;
                ctx.push(" EID ");
                ctx.ip(a);
                pr!(ctx, "/{},", mask_len);
                off = off.wrapping_add(4);
            }
            AFI_IPV6 => {
                let a = p.sub(off as usize, 16)?;
                ctx.push(" EID ");
                ctx.ip(a);
                pr!(ctx, "/{},", mask_len);
                off = off.wrapping_add(16);
            }
            // LCAF and other address families are not decoded.
            _ => return Ok(None),
        }
        pr!(ctx, " {} locator(s)", locators);
        while locators != 0 {
            locators -= 1;
            if !p.has(off as usize, LOC_LEN as usize) {
                return Ok(Some(End::Trunc));
            }
            let loc = &p[off as usize..];
            off = off.wrapping_add(LOC_LEN);
            let loc_afi = loc.be_u16(6)?;
            if ctx.vflag() > 0 {
                ctx.push("\n       ");
            }
            let alen = match loc_afi {
                AFI_IPV4 => 4,
                AFI_IPV6 => 16,
                _ => 0,
            };
            if alen > 0 {
                if !p.has(off as usize, alen) {
                    return Ok(Some(End::Trunc));
                }
                ctx.push(" LOC ");
                ctx.ip(&loc[8..8 + alen]);
                off = off.wrapping_add(alen as u16);
            }
            if ctx.vflag() > 0 {
                pr!(
                    ctx,
                    "\n          Priority/Weight {}/{}, Multicast Priority/Weight {}/{},",
                    loc[0],
                    loc[1],
                    loc[2],
                    loc[3]
                );
                ctx.push(" flags [");
                bittok2str(ctx.out, LOCATOR_FLAGS, "none", loc.be_u16(4)? as u32, ", ");
                ctx.push("],");
            }
        }
    }
    let rest = at(p, off);
    if xtr_present {
        if rest.len() < 24 {
            return Ok(Some(End::Invalid));
        }
        hex_print(ctx.out, "\n    xTR-ID: ", rest, 16, 0)?;
        pr!(ctx, "\n    SITE-ID: {}", rest.be_u64(16)?);
    } else if !rest.is_empty() {
        hex_print(ctx.out, "\n    Data: ", rest, rest.len(), 0)?;
    }
    Ok(None)
}

/// The bytes from `off` on (empty past the capture).
fn at(p: &[u8], off: u16) -> &[u8] {
    p.get(off as usize..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A Map-Register with one IPv4 EID record and one IPv4 locator, no xTR-ID.
    const REGISTER: &[u8] = &[
        0x30, 0x00, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x00, 0x00, 0x00, // header
        0x00, 0x00, 0x05, 0xa0, 0x01, 0x20, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 30, 1, 100,
        0x01, 0x64, 0xff, 0x00, 0x00, 0x05, 0x00, 0x01, 20, 20, 8, 253, // locator
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| lisp_print(ctx, p, p.len() as u32))
    }

    #[test]
    fn map_register() {
        assert_eq!(
            run(0, REGISTER),
            "LISP-Map-Register, 1 record(s),\n EID 10.30.1.100/32, 1 locator(s) LOC 20.20.8.253"
        );
        assert_eq!(
            run(1, REGISTER),
            "LISP-Map-Register, flags [M-Want-Map-Notify],\n    1 record(s), Authentication \
             None,\n      Record TTL 1440, Authoritative, No-Action, Map Version: 0, EID \
             10.30.1.100/32, 1 locator(s)\n        LOC 20.20.8.253\n          Priority/Weight \
             1/100, Multicast Priority/Weight 255/0, flags [Local-Locator, Reachable],"
        );
        assert_eq!(run(0, &[0x10; 16]), "LISP-Map-Request,");
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut m = REGISTER.to_vec();
        m[0] = 0x32;
        m.extend_from_slice(&[0xab; 24]);
        assert_every_truncation_is_safe(&m, &verbosities(1), |ctx, p| {
            lisp_print(ctx, p, m.len() as u32)
        });
        // As tcpdump 4.99.3 prints it: the EID address is read with GET_* (longjmp).
        assert!(run(0, &REGISTER[..30]).ends_with("1 record(s),\n [|lisp]"));
    }
}
