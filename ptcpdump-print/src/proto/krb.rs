//! Kerberos (UDP ports 88 and 750): version 4 messages (the MIT Project Athena Kerberos v4
//! protocol, "Kerberos Authentication and Authorization System", Athena Technical Plan E.2.1)
//! are decoded, version 5 (RFC 4120, ASN.1) is only named; tcpdump's print-krb.c.

use super::util_print::push_char;
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const KDC_REQUEST: u8 = 1 << 1;
const KDC_REPLY: u8 = 2 << 1;
const APPL_REQUEST: u8 = 3 << 1;
const ERR_REPLY: u8 = 5 << 1;

const TYPE_VALUES: &[(u32, &str)] = &[
    (1 << 1, "KDC_REQUEST"),
    (2 << 1, "KDC_REPLY"),
    (3 << 1, "APPL_REQUEST"),
    (4 << 1, "APPL_REQUEST_MUTUAL"),
    (5 << 1, "ERR_REPLY"),
    (6 << 1, "PRIVATE"),
    (7 << 1, "SAFE"),
    (8 << 1, "APPL_ERR"),
    (63 << 1, "DIE"),
];

const KERR_VALUES: &[(u32, &str)] = &[
    (0, "OK"),
    (1, "NAME_EXP"),
    (2, "SERVICE_EXP"),
    (3, "AUTH_EXP"),
    (4, "PKT_VER"),
    (5, "NAME_MAST_KEY_VER"),
    (6, "SERV_MAST_KEY_VER"),
    (7, "BYTE_ORDER"),
    (8, "PRINCIPAL_UNKNOWN"),
    (9, "PRINCIPAL_NOT_UNIQUE"),
    (10, "NULL_KEY"),
];

/// tcpdump's `tok2str` with no format: the name or `#N`.
fn name(table: &[(u32, &'static str)], v: u32) -> String {
    match tok(table, v) {
        Some(n) => n.into(),
        None => format!("#{}", v as i32),
    }
}

/// A NUL-terminated string at `off`; returns the offset after its NUL, `None` when the capture
/// ends first.
fn cstr(ctx: &mut Ctx, p: &[u8], off: usize) -> Option<usize> {
    let mut o = off;
    while o < p.len() {
        let c = p[o];
        o += 1;
        if c == 0 {
            return Some(o);
        }
        push_char(ctx.out, c);
    }
    None
}

/// `name.instance@realm` after the two header octets. `None`: truncated (marker printed).
fn principal(ctx: &mut Ctx, p: &[u8]) -> Option<usize> {
    let mut o = 2;
    for sep in [".", "@", ""] {
        match cstr(ctx, p, o) {
            Some(n) => o = n,
            None => {
                ctx.print_trunc();
                return None;
            }
        }
        ctx.push(sep);
    }
    Some(o)
}

/// A version 4 message.
fn krb4_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let b = p.u8_at(1)?;
    let little = b & 1 != 0;
    let ty = b & 0xfe;
    let u16_at = |o: usize| -> PResult<u16> { if little { p.le_u16(o) } else { p.be_u16(o) } };
    pr!(
        ctx,
        " {} {}: ",
        if little { "le" } else { "be" },
        name(TYPE_VALUES, ty as u32)
    );
    // A string cut by the capture ends the message with the marker.
    macro_rules! string {
        ($o:expr) => {
            match cstr(ctx, p, $o) {
                Some(n) => n,
                None => {
                    ctx.print_trunc();
                    return Ok(());
                }
            }
        };
    }
    match ty {
        KDC_REQUEST => {
            let Some(o) = principal(ctx, p) else {
                return Ok(());
            };
            // Skip the client's time; the lifetime is in units of 5 minutes.
            let o = o + 4;
            pr!(ctx, " {}min ", p.u8_at(o)? as u32 * 5);
            let o = string!(o + 1);
            ctx.push(".");
            string!(o);
        }
        APPL_REQUEST => {
            pr!(ctx, "v{} ", p.u8_at(2)?);
            let o = string!(3);
            pr!(ctx, " ({})", p.u8_at(o)?);
            pr!(ctx, " ({})", p.u8_at(o + 1)?);
        }
        KDC_REPLY => {
            let Some(o) = principal(ctx, p) else {
                return Ok(());
            };
            // Timestamp, ticket count, expiration and key version.
            pr!(ctx, " ({})", u16_at(o + 10)?);
        }
        ERR_REPLY => {
            let Some(o) = principal(ctx, p) else {
                return Ok(());
            };
            let code = u16_at(o + 4)?;
            pr!(ctx, " {} ", name(KERR_VALUES, code as u32));
            string!(o + 8);
        }
        _ => ctx.push("(unknown)"),
    }
    Ok(())
}

/// A Kerberos message; `p`: the captured UDP payload.
pub fn krb_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.protocol = "krb";
    if p.is_empty() {
        ctx.print_trunc();
        return Ok(());
    }
    match p[0] {
        v @ 1..=3 => pr!(ctx, " v{}", v),
        4 => {
            ctx.push(" v4");
            krb4_print(ctx, p)?;
        }
        106 | 107 => ctx.push(" v5"),
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| krb_print(ctx, p))
    }

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn version_4_messages() {
        // A KDC request (big endian) for bob.@ATHENA, ticket for krbtgt.ATHENA, 8 hours.
        let req = b"\x04\x02bob\0\0ATHENA\0\x01\x02\x03\x04\x60krbtgt\0ATHENA\0";
        assert_eq!(
            run(req),
            " v4 be KDC_REQUEST: bob.@ATHENA 480min krbtgt.ATHENA"
        );
        // An error reply, little endian.
        let err = b"\x04\x0bbob\0\0ATHENA\0\x01\x02\x03\x04\x08\0\0\0no such user\0";
        assert_eq!(
            run(err),
            " v4 le ERR_REPLY: bob.@ATHENA PRINCIPAL_UNKNOWN no such user"
        );
        // A reply with a 16-bit length, and an application request.
        assert_eq!(
            run(b"\x04\x04bob\0x\0ATHENA\0\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x02"),
            " v4 be KDC_REPLY: bob.x@ATHENA (258)"
        );
        assert_eq!(
            run(b"\x04\x06\x00\x05ATHENA\0\x07\x09"),
            " v4 be APPL_REQUEST: v0 ^EATHENA (7) (9)"
        );
        assert_eq!(run(b"\x04\x7b"), " v4 le #122: (unknown)");
        assert_eq!(run(b"\x6a\x01"), " v5");
        assert_eq!(run(b"\x09"), "");
    }

    #[test]
    fn truncated_at_every_offset() {
        let req = b"\x04\x02bob\0\0ATHENA\0\x01\x02\x03\x04\x60krbtgt\0ATHENA\0";
        assert_every_truncation_is_safe(req, &verbosities(1), krb_print);
        for n in 0..req.len() {
            assert!(run(&req[..n]).ends_with(" [|krb]"), "{n}");
        }
    }
}
