//! EAP, Extensible Authentication Protocol (RFC 3748), as carried in RADIUS EAP-Message
//! attributes, and EAPOL (IEEE 802.1X, Ethernet type 0x888e); tcpdump's print-eap.c.

use super::util_print::{printjnp, tail};
use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult};

const EAP_REQUEST: u8 = 1;
const EAP_RESPONSE: u8 = 2;

const EAP_CODE_VALUES: &[(u32, &str)] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Success"),
    (4, "Failure"),
];

const EAP_TYPE_VALUES: &[(u32, &str)] = &[
    (0, "No proposed"),
    (1, "Identity"),
    (2, "Notification"),
    (3, "Nak"),
    (4, "MD5-challenge"),
    (5, "OTP"),
    (6, "GTC"),
    (13, "TLS"),
    (18, "SIM"),
    (21, "TTLS"),
    (23, "AKA"),
    (43, "FAST"),
    (254, "Expanded types"),
    (255, "Experimental"),
];

const EAP_TLS_FLAGS_VALUES: &[(u32, &str)] = &[
    (0x80, "L bit"),
    (0x40, "More fragments bit"),
    (0x20, "Start bit"),
];

const EAP_AKA_SUBTYPE_VALUES: &[(u32, &str)] = &[
    (1, "Challenge"),
    (2, "Auth reject"),
    (4, "Sync failure"),
    (5, "Identity"),
    (10, "Start"),
    (11, "Challenge"),
    (12, "Notification"),
    (13, "Reauth"),
    (14, "Client error"),
];

const EAP_FRAME_TYPE_VALUES: &[(u32, &str)] = &[
    (0, "EAP packet"),
    (1, "EAPOL start"),
    (2, "EAPOL logoff"),
    (3, "EAPOL key"),
    (4, "Encapsulated ASF alert"),
];

/// An EAPOL frame (`eapol_print`).
pub fn eapol_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.protocol = "eap";
    if !p.has(0, 4) {
        // tcpdump's own truncation exit, not a longjmp: the link header length stands (the
        // -x dump starts after it).
        ctx.print_trunc();
        return Ok(());
    }
    let ty = p[1];
    let len = p.be_u16(2)?;
    pr!(
        ctx,
        "{} ({}) v{}, len {}",
        tok(EAP_FRAME_TYPE_VALUES, ty as u32).unwrap_or("unknown"),
        ty,
        p[0],
        len
    );
    if ctx.vflag() < 1 {
        return Ok(());
    }
    if ty == 0 {
        if len == 0 {
            ctx.print_trunc();
            return Ok(());
        }
        ctx.push(", ");
        eap_print(ctx, tail(p, 4), len as u32)?;
    }
    Ok(())
}

/// An EAP packet of `length` bytes.
pub fn eap_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let code = p.u8_at(0)?;
    let len = p.be_u16(2)? as u32;
    if len != length {
        ctx.push("EAP fragment?");
        return Ok(());
    }
    pr!(
        ctx,
        "{} ({}), id {}, len {}",
        tok(EAP_CODE_VALUES, code as u32).unwrap_or("unknown"),
        code,
        p.u8_at(1)?,
        len
    );
    if len < 4 {
        ctx.push(" (too short for EAP header)");
        return Ok(());
    }
    if !p.has(0, len as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    if code != EAP_REQUEST && code != EAP_RESPONSE {
        return Ok(());
    }
    if len < 5 {
        ctx.push(" (too short for EAP request/response)");
        return Ok(());
    }
    let subtype = p[4];
    pr!(
        ctx,
        "\n\t\t Type {} ({})",
        tok(EAP_TYPE_VALUES, subtype as u32).unwrap_or("unknown"),
        subtype
    );
    let tls_flags = |ctx: &mut Ctx, f: u8| {
        ctx.push(" flags [");
        bittok2str(ctx.out, EAP_TLS_FLAGS_VALUES, "none", f as u32, ", ");
        pr!(ctx, "] 0x{:02x}", f);
    };
    match subtype {
        1 if len > 5 => {
            ctx.push(", Identity: ");
            printjnp(ctx, tail(p, 5), len as usize - 5)?;
        }
        1 => {}
        2 => {
            if len < 6 {
                ctx.push(" (too short for EAP Notification request/response)");
                return Ok(());
            }
            ctx.push(", Notification: ");
            printjnp(ctx, tail(p, 5), len as usize - 5)?;
        }
        3 => {
            if len < 6 {
                ctx.push(" (too short for EAP Legacy NAK request/response)");
                return Ok(());
            }
            let mut sep = "";
            for &t in &p[5..len as usize] {
                pr!(
                    ctx,
                    "{} {} ({})",
                    sep,
                    tok(EAP_TYPE_VALUES, t as u32).unwrap_or("unknown"),
                    t
                );
                sep = ",";
            }
        }
        13 | 21 | 43 => {
            if len < 6 {
                let what = match subtype {
                    43 => "EAP FAST",
                    _ => "EAP TLS/TTLS",
                };
                pr!(ctx, " (too short for {} request/response)", what);
                return Ok(());
            }
            let f = p[5];
            if subtype == 21 {
                pr!(ctx, " TTLSv{}", f & 7);
            } else if subtype == 43 {
                pr!(ctx, " FASTv{}", f & 7);
            }
            tls_flags(ctx, f);
            if f & 0x80 != 0 {
                if len < 10 {
                    let what = if subtype == 43 {
                        "EAP FAST"
                    } else {
                        "EAP TLS/TTLS"
                    };
                    pr!(
                        ctx,
                        " (too short for {} request/response with length)",
                        what
                    );
                    return Ok(());
                }
                pr!(ctx, ", len {}", p.be_u32(6)?);
            }
        }
        18 | 23 => {
            if len < 6 {
                ctx.push(" (too short for EAP SIM/AKA request/response)");
                return Ok(());
            }
            pr!(
                ctx,
                " subtype [{}] 0x{:02x}",
                tok(EAP_AKA_SUBTYPE_VALUES, p[5] as u32).unwrap_or("unknown"),
                p[5]
            );
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], length: u32) -> String {
        run_marked(&opts(0, false), |ctx| eap_print(ctx, p, length))
    }

    #[test]
    fn identity_and_success() {
        let id = b"\x02\x00\x00\x08\x01bob";
        assert_eq!(
            run(id, 8),
            "Response (2), id 0, len 8\n\t\t Type Identity (1), Identity: bob"
        );
        assert_eq!(run(b"\x03\x01\x00\x04", 4), "Success (3), id 1, len 4");
        assert_eq!(run(b"\x03\x01\x00\x05", 4), "EAP fragment?");
        assert_every_truncation_is_safe(id, &verbosities(0), |ctx, p| eap_print(ctx, p, 8));
    }

    #[test]
    fn eapol_header_truncated_keeps_the_link_header_out_of_the_dump() {
        // As tcpdump 4.99.3 prints an Ethernet frame whose EAPOL header is cut after 1 byte.
        let f = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0x8e, 1];
        let o = crate::PrintOptions {
            hex: 1,
            ..Default::default()
        };
        assert_eq!(
            crate::proto::testutil::print_packet(o, 1, &f),
            " [|eap]\n\t0x0000:  01\n"
        );
    }
}
