//! Telnet commands and option negotiation (RFC 854, RFC 855; option names from the IANA
//! registry, authentication RFC 2941, encryption RFC 2946) at the start of a TCP port 23
//! segment; tcpdump's print-telnet.c. Only the IAC sequences that start the segment are
//! printed; with `-X -vvv` each one is preceded by its hex dump.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const IAC: u8 = 255;
const SB: u8 = 250;
const SE: u8 = 240;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
/// The lowest command code (EOF).
const TELCMD_FIRST: u8 = 236;

/// Command names from EOF (236) to IAC (255).
const TELCMDS: [&str; 20] = [
    "EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DMARK", "BRK", "IP", "AO", "AYT", "EC", "EL",
    "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC",
];

const TELOPTS: [&str; 40] = [
    "BINARY",
    "ECHO",
    "RCP",
    "SUPPRESS GO AHEAD",
    "NAME",
    "STATUS",
    "TIMING MARK",
    "RCTE",
    "NAOL",
    "NAOP",
    "NAOCRD",
    "NAOHTS",
    "NAOHTD",
    "NAOFFD",
    "NAOVTS",
    "NAOVTD",
    "NAOLFD",
    "EXTEND ASCII",
    "LOGOUT",
    "BYTE MACRO",
    "DATA ENTRY TERMINAL",
    "SUPDUP",
    "SUPDUP OUTPUT",
    "SEND LOCATION",
    "TERMINAL TYPE",
    "END OF RECORD",
    "TACACS UID",
    "OUTPUT MARKING",
    "TTYLOC",
    "3270 REGIME",
    "X.3 PAD",
    "NAWS",
    "TSPEED",
    "LFLOW",
    "LINEMODE",
    "XDISPLOC",
    "OLD-ENVIRON",
    "AUTHENTICATION",
    "ENCRYPT",
    "NEW-ENVIRON",
];

const TELOPT_AUTHENTICATION: u8 = 37;
const TELOPT_ENCRYPT: u8 = 38;

const CMDS: &[Option<&str>] = &[Some("IS"), Some("SEND"), Some("INFO")];
const AUTHCMD: &[Option<&str>] = &[Some("IS"), Some("SEND"), Some("REPLY"), Some("NAME")];
const AUTHTYPE: &[Option<&str>] = &[
    Some("NULL"),
    Some("KERBEROS_V4"),
    Some("KERBEROS_V5"),
    Some("SPX"),
    Some("MINK"),
    Some("SRP"),
    Some("RSA"),
    Some("SSL"),
    None,
    None,
    Some("LOKI"),
    Some("SSA"),
    Some("KEA_SJ"),
    Some("KEA_SJ_INTEG"),
    Some("DSS"),
    Some("NTLM"),
];
const ENCCMD: &[Option<&str>] = &[
    Some("IS"),
    Some("SUPPORT"),
    Some("REPLY"),
    Some("START"),
    Some("END"),
    Some("REQUEST-START"),
    Some("REQUEST-END"),
    Some("END_KEYID"),
    Some("DEC_KEYID"),
];
const ENCTYPE: &[Option<&str>] = &[
    Some("NULL"),
    Some("DES_CFB64"),
    Some("DES_OFB64"),
    Some("DES3_CFB64"),
    Some("DES3_OFB64"),
    None,
    Some("CAST5_40_CFB64"),
    Some("CAST5_40_OFB64"),
    Some("CAST128_CFB64"),
    Some("CAST128_OFB64"),
];

/// C's `%#x`: `0x`-prefixed hex, but plain `0` for zero.
fn alt_hex(v: u8) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

fn str_or_id(v: u8, table: &[Option<&str>]) -> String {
    match table.get(v as usize) {
        Some(Some(s)) => (*s).into(),
        _ => alt_hex(v),
    }
}

/// Parses (and with `print`, prints) the command at `p[0..]`, `length` octets left. Returns
/// its length, `None` when it is not a complete command.
fn parse(ctx: &mut Ctx, p: &[u8], length: u32, print: bool) -> PResult<Option<usize>> {
    let mut sp = 0usize;
    let mut left = length;
    // One octet of the command, or the end of the message.
    macro_rules! fetch {
        () => {{
            if left < 1 {
                return Ok(None);
            }
            let c = p.u8_at(sp)?;
            sp += 1;
            left -= 1;
            c
        }};
    }
    if fetch!() != IAC {
        return Ok(None);
    }
    let c = fetch!();
    if c == IAC {
        if print {
            ctx.push("IAC IAC");
        }
        return Ok(Some(sp));
    }
    if c < TELCMD_FIRST {
        return Ok(None);
    }
    let cmd = TELCMDS[(c - TELCMD_FIRST) as usize];
    match c {
        DONT | DO | WONT | WILL | SB => {
            let x = fetch!();
            if print {
                match TELOPTS.get(x as usize) {
                    Some(o) => pr!(ctx, "{} {}", cmd, o),
                    None => pr!(ctx, "{} {}", cmd, alt_hex(x)),
                }
            }
            if c != SB {
                return Ok(Some(sp));
            }
            // The subnegotiation runs to IAC SE.
            let mut e = sp;
            while left as usize > e + 1 - sp {
                if p.u8_at(e)? == IAC && p.u8_at(e + 1)? == SE {
                    break;
                }
                e += 1;
            }
            if p.u8_at(e)? != IAC {
                return Ok(None);
            }
            let (first, second) = match x {
                TELOPT_AUTHENTICATION => (AUTHCMD, Some(AUTHTYPE)),
                TELOPT_ENCRYPT => (ENCCMD, Some(ENCTYPE)),
                _ => (CMDS, None),
            };
            if e > sp {
                let v = fetch!();
                if print {
                    pr!(ctx, " {}", str_or_id(v, first));
                }
                if let Some(second) = second
                    && e > sp
                {
                    let v = fetch!();
                    if print {
                        pr!(ctx, " {}", str_or_id(v, second));
                    }
                }
            }
            while e > sp {
                let v = fetch!();
                if print {
                    pr!(ctx, " {}", alt_hex(v));
                }
            }
            if print {
                ctx.push(" SE");
            }
            // The terminating IAC SE is stepped over without counting it off `left`.
            sp += 2;
        }
        _ => {
            if print {
                ctx.push(cmd);
            }
        }
    }
    Ok(Some(sp))
}

/// The Telnet commands at the start of a segment; `p`: the captured payload, `length` its
/// length.
pub fn telnet_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "telnet";
    let dump = ctx.opts.hex_ascii > 0 && ctx.vflag() > 2;
    let mut first = true;
    let mut o = 0usize;
    let mut length = length;
    while length > 0 && p.u8_at(o)? == IAC {
        let q = super::util_print::tail(p, o);
        let Some(l) = parse(ctx, q, length, false)? else {
            break;
        };
        if dump {
            if first {
                ctx.push("\nTelnet:");
            }
            crate::dump::hex_print(ctx.out, "\n", q, l, o)?;
            if l > 8 {
                ctx.push("\n\t\t\t\t");
            } else {
                pr!(ctx, "{:w$}\t", "", w = (8 - l) * 3);
            }
        } else {
            ctx.push(if first { " [telnet " } else { ", " });
        }
        parse(ctx, q, length, true)?;
        first = false;
        o += l;
        length = length.wrapping_sub(l as u32);
    }
    if !first {
        ctx.push(if dump { "\n" } else { "]" });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    // DO ECHO, WILL NAWS, SB TERMINAL TYPE SEND IAC SE, SB AUTHENTICATION IS KERBEROS_V5 with
    // two data octets, IAC IAC, and data.
    const NEGOTIATION: &[u8] = &[
        255, 253, 1, 255, 251, 31, 255, 250, 24, 1, 255, 240, 255, 250, 37, 0, 2, 0, 9, 255, 240,
        255, 255, b'h', b'i',
    ];

    fn run(o: &PrintOptions, p: &[u8]) -> String {
        run_marked(o, |ctx| telnet_print(ctx, p, p.len() as u32))
    }

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn commands() {
        assert_eq!(
            run(&opts(0, false), NEGOTIATION),
            " [telnet DO ECHO, WILL NAWS, SB TERMINAL TYPE SEND SE, SB AUTHENTICATION IS \
             KERBEROS_V5 0 0x9 SE, IAC IAC]"
        );
        assert_eq!(run(&opts(0, false), b"hello"), "");
    }

    #[test]
    fn hex_with_x_and_vvv() {
        let o = PrintOptions {
            hex_ascii: 1,
            ..opts(3, false)
        };
        assert_eq!(
            run(&o, &NEGOTIATION[..6]),
            "\nTelnet:\n0x0000:  fffd 01               \tDO ECHO\
             \n0x0003:  fffb 1f               \tWILL NAWS\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut v = verbosities(3);
        v.push(PrintOptions {
            hex_ascii: 1,
            ..opts(3, false)
        });
        assert_every_truncation_is_safe(NEGOTIATION, &v, |ctx, p| {
            telnet_print(ctx, p, NEGOTIATION.len() as u32)
        });
        // A command cut by the capture ends the segment's text with the marker.
        assert_eq!(
            run_marked(&opts(0, false), |ctx| telnet_print(
                ctx,
                &NEGOTIATION[..2],
                25
            )),
            " [|telnet]"
        );
    }
}
