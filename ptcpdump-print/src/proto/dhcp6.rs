//! DHCPv6 printer (tcpdump's print-dhcp6.c).
//!
//! RFC 8415 (DHCPv6, formerly RFC 3315/3633), RFC 3319 (SIP servers), RFC 3646 (DNS),
//! RFC 4075 (SNTP), RFC 4242 (lifetime), RFC 5007 (leasequery), RFC 5908 (NTP server),
//! RFC 6334 (AFTR-Name), RFC 4833 (timezones), RFC 8520 (MUD URL).
//!
//! Offsets index `buf`, which ends at the end of the capture (tcpdump's `snapend`).

use std::fmt::Write;

use super::Ctx;
use super::dns::fqdn_print;
use super::textutil::{Tok, ipv6_str, printjnp, tok};
use crate::cursor::{Bytes, PResult};

const DH6_RENEW: u8 = 5;
const DH6_INFORM_REQ: u8 = 11;
const DH6_RELAY_FORW: u8 = 12;
const DH6_RELAY_REPLY: u8 = 13;

const MSGTYPES: &[Tok] = &[
    (1, "solicit"),
    (2, "advertise"),
    (3, "request"),
    (4, "confirm"),
    (5, "renew"),
    (6, "rebind"),
    (7, "reply"),
    (8, "release"),
    (9, "decline"),
    (10, "reconfigure"),
    (11, "inf-req"),
    (12, "relay-fwd"),
    (13, "relay-reply"),
    (14, "leasequery"),
    (15, "leasequery-reply"),
];

const OPTS: &[Tok] = &[
    (1, "client-ID"),
    (2, "server-ID"),
    (3, "IA_NA"),
    (4, "IA_TA"),
    (5, "IA_ADDR"),
    (6, "option-request"),
    (7, "preference"),
    (8, "elapsed-time"),
    (9, "relay-message"),
    (11, "authentication"),
    (12, "server-unicast"),
    (13, "status-code"),
    (14, "rapid-commit"),
    (15, "user-class"),
    (16, "vendor-class"),
    (17, "vendor-specific-info"),
    (18, "interface-ID"),
    (19, "reconfigure-message"),
    (20, "reconfigure-accept"),
    (21, "SIP-servers-domain"),
    (22, "SIP-servers-address"),
    (23, "DNS-server"),
    (24, "DNS-search-list"),
    (25, "IA_PD"),
    (26, "IA_PD-prefix"),
    (31, "SNTP-servers"),
    (32, "lifetime"),
    (27, "NIS-server"),
    (28, "NIS+-server"),
    (29, "NIS-domain-name"),
    (30, "NIS+-domain-name"),
    (33, "BCMCS-domain-name"),
    (34, "BCMCS-server"),
    (36, "Geoconf-Civic"),
    (37, "Remote-ID"),
    (38, "Subscriber-ID"),
    (39, "Client-FQDN"),
    (40, "PANA-agent"),
    (41, "POSIX-timezone"),
    (42, "POSIX-tz-database"),
    (43, "Echo-request-option"),
    (44, "Lease-query"),
    (45, "LQ-client-data"),
    (46, "Clt-time"),
    (47, "LQ-relay-data"),
    (48, "LQ-client-link"),
    (56, "NTP-server"),
    (64, "AFTR-Name"),
    (112, "MUD-URL"),
];

const STATUS_CODES: &[Tok] = &[
    (0, "Success"),
    (1, "UnspecFail"),
    (2, "NoAddrsAvail"),
    (3, "NoBinding"),
    (4, "NotOnLink"),
    (5, "UseMulticast"),
    (6, "NoPrefixAvail"),
    (7, "UnknownQueryType"),
    (8, "MalformedQuery"),
    (9, "NotConfigured"),
    (10, "NotAllowed"),
];

fn opt_name(t: u16) -> String {
    tok(OPTS, t.into()).map_or_else(|| format!("opt_{t}"), str::to_string)
}

/// print-dhcp6.c's local `trunc:` label: the marker, then the enclosing printers go on
/// (closing their parentheses), unlike a failed read.
fn local_trunc(out: &mut String) -> PResult {
    out.push_str(" [|dhcp6]");
    Ok(())
}

fn hex(out: &mut String, buf: &[u8], from: usize, to: usize) -> PResult {
    for i in from..to {
        let _ = write!(out, "{:02x}", buf.u8_at(i)?);
    }
    Ok(())
}

/// `dhcp6opt_print`: the options in `cp..ep`. A malformed or short option ends the output
/// with the truncation marker, as in tcpdump.
fn opt_print(out: &mut String, buf: &[u8], cp: usize, ep: usize) -> PResult {
    let mut cp = cp;
    while cp < ep {
        if ep < cp + 4 {
            return local_trunc(out);
        }
        let optlen = usize::from(buf.be_u16(cp + 2)?);
        if ep < cp + 4 + optlen {
            return local_trunc(out);
        }
        let opttype = buf.be_u16(cp)?;
        let _ = write!(out, " ({}", opt_name(opttype));
        if !buf.has(cp + 4, optlen) {
            return local_trunc(out);
        }
        let tp = cp + 4;
        let oend = tp + optlen;
        match opttype {
            1 | 2 => {
                if optlen < 2 {
                    out.push_str(" ?)");
                } else {
                    match buf.be_u16(tp)? {
                        1 if optlen >= 8 => {
                            let _ = write!(
                                out,
                                " hwaddr/time type {} time {} ",
                                buf.be_u16(tp + 2)?,
                                buf.be_u32(tp + 4)?
                            );
                            hex(out, buf, tp + 8, oend)?;
                            out.push(')');
                        }
                        2 if optlen >= 10 => {
                            out.push_str(" vid ");
                            hex(out, buf, tp + 2, tp + 10)?;
                            out.push(')');
                        }
                        3 if optlen >= 4 => {
                            let _ = write!(out, " hwaddr type {} ", buf.be_u16(tp + 2)?);
                            hex(out, buf, tp + 4, oend)?;
                            out.push(')');
                        }
                        1..=3 => out.push_str(" ?)"),
                        t => {
                            let _ = write!(out, " type {t})");
                        }
                    }
                }
            }
            5 => {
                if optlen < 24 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(
                        out,
                        " {} pltime:{} vltime:{}",
                        ipv6_str(buf.ipv6_at(tp)?),
                        buf.be_u32(tp + 16)?,
                        buf.be_u32(tp + 20)?
                    );
                    if optlen > 24 {
                        opt_print(out, buf, tp + 24, oend)?;
                    }
                    out.push(')');
                }
            }
            6 | 43 => {
                if optlen % 2 != 0 {
                    out.push_str(" ?)");
                } else {
                    for i in (0..optlen).step_by(2) {
                        let _ = write!(out, " {}", opt_name(buf.be_u16(tp + i)?));
                    }
                    out.push(')');
                }
            }
            7 => {
                if optlen != 1 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(out, " {})", buf.u8_at(tp)?);
                }
            }
            8 => {
                if optlen != 2 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(out, " {})", buf.be_u16(tp)?);
                }
            }
            9 => {
                out.push_str(" (");
                let inner = &buf[..oend.min(buf.len())];
                dhcp6_print_at(out, 1, inner, tp, optlen as u32)?;
                out.push(')');
            }
            11 => auth_print(out, buf, tp, optlen)?,
            14 | 20 => out.push(')'),
            18 | 38 => {
                out.push(' ');
                hex(out, buf, tp, tp + optlen.min(10))?;
                out.push_str("...)");
            }
            19 => {
                if optlen != 1 {
                    out.push_str(" ?)");
                } else {
                    match buf.u8_at(tp)? {
                        DH6_RENEW => out.push_str(" for renew)"),
                        DH6_INFORM_REQ => out.push_str(" for inf-req)"),
                        t => {
                            let _ = write!(out, " for ???({t:02x}))");
                        }
                    }
                }
            }
            22 | 23 | 31 | 27 | 28 | 34 | 40 | 48 => {
                if optlen % 16 != 0 {
                    out.push_str(" ?)");
                } else {
                    for i in (0..optlen).step_by(16) {
                        let _ = write!(out, " {}", ipv6_str(buf.ipv6_at(tp + i)?));
                    }
                    out.push(')');
                }
            }
            21 | 24 => {
                let mut t = tp;
                while t < oend {
                    out.push(' ');
                    match fqdn_print(out, buf, t, oend) {
                        Ok(n) => t = n,
                        Err(_) => return local_trunc(out),
                    }
                }
                out.push(')');
            }
            13 => {
                if optlen < 2 {
                    out.push_str(" ?)");
                } else {
                    let code = buf.be_u16(tp)?;
                    let s = if code > 255 {
                        "INVALID code".to_string()
                    } else {
                        tok(STATUS_CODES, code.into())
                            .map_or_else(|| format!("code{code}"), str::to_string)
                    };
                    let _ = write!(out, " {s})");
                }
            }
            3 | 25 => {
                if optlen < 12 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(
                        out,
                        " IAID:{} T1:{} T2:{}",
                        buf.be_u32(tp)?,
                        buf.be_u32(tp + 4)?,
                        buf.be_u32(tp + 8)?
                    );
                    if optlen > 12 {
                        opt_print(out, buf, tp + 12, oend)?;
                    }
                    out.push(')');
                }
            }
            4 => {
                if optlen < 4 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(out, " IAID:{}", buf.be_u32(tp)?);
                    if optlen > 4 {
                        opt_print(out, buf, tp + 4, oend)?;
                    }
                    out.push(')');
                }
            }
            26 => {
                if optlen < 25 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(
                        out,
                        " {}/{} pltime:{} vltime:{}",
                        ipv6_str(buf.ipv6_at(tp + 9)?),
                        buf.u8_at(tp + 8)?,
                        buf.be_u32(tp)?,
                        buf.be_u32(tp + 4)?
                    );
                    if optlen > 25 {
                        opt_print(out, buf, tp + 25, oend)?;
                    }
                    out.push(')');
                }
            }
            32 | 46 => {
                if optlen != 4 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(out, " {})", buf.be_u32(tp)?);
                }
            }
            37 => {
                if optlen < 4 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(out, " {} ", buf.be_u32(tp)?);
                    hex(out, buf, tp + 4, tp + optlen.min(14))?;
                    out.push_str("...)");
                }
            }
            44 => {
                if optlen < 17 {
                    out.push_str(" ?)");
                } else {
                    match buf.u8_at(tp)? {
                        1 => out.push_str(" by-address"),
                        2 => out.push_str(" by-clientID"),
                        t => {
                            let _ = write!(out, " type_{t}");
                        }
                    }
                    let _ = write!(out, " {}", ipv6_str(buf.ipv6_at(tp + 1)?));
                    if optlen > 17 {
                        opt_print(out, buf, tp + 17, oend)?;
                    }
                    out.push(')');
                }
            }
            45 => {
                if optlen > 0 {
                    opt_print(out, buf, tp, oend)?;
                }
                out.push(')');
            }
            47 => {
                if optlen < 16 {
                    out.push_str(" ?)");
                } else {
                    let _ = write!(out, " {} ", ipv6_str(buf.ipv6_at(tp)?));
                    hex(out, buf, tp + 16, tp + optlen.min(26))?;
                    out.push_str("...)");
                }
            }
            56 => {
                if optlen < 4 {
                    out.push_str(" ?)");
                } else {
                    let mut t = tp;
                    while t < oend - 4 {
                        let code = buf.be_u16(t)?;
                        let sublen = usize::from(buf.be_u16(t + 2)?);
                        t += 4;
                        if t + sublen > oend {
                            return local_trunc(out);
                        }
                        let _ = write!(out, " subopt:{code}");
                        match code {
                            1 | 2 => {
                                if sublen != 16 {
                                    out.push_str(" ?");
                                } else {
                                    let _ = write!(out, " {}", ipv6_str(buf.ipv6_at(t)?));
                                }
                            }
                            3 => {
                                out.push(' ');
                                if fqdn_print(out, buf, t, t + sublen).is_err() {
                                    return local_trunc(out);
                                }
                            }
                            _ => out.push_str(" ?"),
                        }
                        t += sublen;
                    }
                    out.push(')');
                }
            }
            64 => {
                if optlen < 3 {
                    out.push_str(" ?)");
                } else {
                    let mut t = tp;
                    let mut remain = optlen;
                    out.push(' ');
                    while remain > 0 && buf.u8_at(t)? != 0 {
                        let label_len = usize::from(buf.u8_at(t)?);
                        t += 1;
                        if label_len < remain - 1 {
                            printjnp(out, buf, t, label_len)?;
                            t += label_len;
                            remain -= label_len + 1;
                            if buf.u8_at(t)? != 0 {
                                out.push('.');
                            }
                        } else {
                            out.push_str(" ?");
                            break;
                        }
                    }
                    out.push(')');
                }
            }
            41 | 42 | 112 => {
                if optlen < 5 {
                    out.push_str(" ?)");
                } else {
                    out.push(' ');
                    printjnp(out, buf, tp, optlen)?;
                    out.push(')');
                }
            }
            _ => out.push(')'),
        }
        cp = oend;
    }
    Ok(())
}

fn auth_print(out: &mut String, buf: &[u8], tp: usize, optlen: usize) -> PResult {
    if optlen < 11 {
        out.push_str(" ?)");
        return Ok(());
    }
    let mut tp = tp;
    let proto = buf.u8_at(tp)?;
    let _ = match proto {
        2 => write!(out, " proto: delayed"),
        3 => write!(out, " proto: reconfigure"),
        p => write!(out, " proto: {p}"),
    };
    tp += 1;
    let _ = match buf.u8_at(tp)? {
        1 => write!(out, ", alg: HMAC-MD5"),
        a => write!(out, ", alg: {a}"),
    };
    tp += 1;
    let _ = match buf.u8_at(tp)? {
        0 => write!(out, ", RDM: mono"),
        r => write!(out, ", RDM: {r}"),
    };
    tp += 1;
    out.push_str(", RD:");
    for _ in 0..4 {
        let _ = write!(out, " {:04x}", buf.be_u16(tp)?);
        tp += 2;
    }
    let authinfolen = optlen - 11;
    match proto {
        2 => {
            if authinfolen != 0 {
                if authinfolen < 20 {
                    out.push_str(" ??");
                } else {
                    let realmlen = authinfolen - 20;
                    if realmlen > 0 {
                        out.push_str(", realm: ");
                    }
                    hex(out, buf, tp, tp + realmlen)?;
                    tp += realmlen;
                    let _ = write!(out, ", key ID: {:08x}", buf.be_u32(tp)?);
                    tp += 4;
                    out.push_str(", HMAC-MD5:");
                    for _ in 0..4 {
                        let _ = write!(out, " {:08x}", buf.be_u32(tp)?);
                        tp += 4;
                    }
                }
            }
        }
        3 => {
            if authinfolen != 17 {
                out.push_str(" ??");
            } else {
                out.push_str(match buf.u8_at(tp)? {
                    1 => " reconfig-key",
                    2 => " type: HMAC-MD5",
                    _ => " type: ??",
                });
                tp += 1;
                out.push_str(" value:");
                for _ in 0..4 {
                    let _ = write!(out, " {:08x}", buf.be_u32(tp)?);
                    tp += 4;
                }
            }
        }
        _ => out.push_str(" ??"),
    }
    out.push(')');
    Ok(())
}

/// `dhcp6_print` for a message starting at offset `cp` of `buf`.
fn dhcp6_print_at(out: &mut String, v: u8, buf: &[u8], cp: usize, length: u32) -> PResult {
    out.push_str("dhcp6");
    let ep = buf.len().min(cp + length as usize);
    if !buf.has(cp, 4) {
        return local_trunc(out);
    }
    let msgtype = buf.u8_at(cp)?;
    let name =
        tok(MSGTYPES, msgtype.into()).map_or_else(|| format!("msgtype-{msgtype}"), str::to_string);
    if v == 0 {
        let _ = write!(out, " {name}");
        return Ok(());
    }
    let _ = write!(out, " {name} (");
    if msgtype != DH6_RELAY_FORW && msgtype != DH6_RELAY_REPLY {
        let _ = write!(out, "xid={:x}", buf.be_u32(cp)? & 0x00ff_ffff);
        opt_print(out, buf, cp + 4, ep)?;
    } else {
        let _ = write!(out, "linkaddr={}", ipv6_str(buf.ipv6_at(cp + 2)?));
        let _ = write!(out, " peeraddr={}", ipv6_str(buf.ipv6_at(cp + 18)?));
        opt_print(out, buf, cp + 34, ep)?;
    }
    out.push(')');
    Ok(())
}

/// `dhcp6_print`: a DHCPv6 message of `length` bytes; `bp` holds its captured bytes.
pub fn dhcp6_print(ctx: &mut Ctx, bp: &[u8], length: u32) -> PResult {
    ctx.protocol = "dhcp6";
    let v = ctx.vflag();
    print(ctx.out, v, bp, length)
}

fn print(out: &mut String, v: u8, bp: &[u8], length: u32) -> PResult {
    dhcp6_print_at(out, v, bp, 0, length)
}

#[cfg(test)]
mod tests {
    use super::*;

    // solicit: client-ID (DUID-LL), option-request, elapsed-time, IA_NA.
    const SOLICIT: &[u8] = &[
        0x01, 0x90, 0xb4, 0x5c, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x01, 0x00, 0x01, 0x02,
        0x03, 0x04, 0x05, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x18, 0x00, 0x08, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x03, 0x00, 0x0c, 0x02, 0x03, 0x04, 0x05, 0x00, 0x00, 0x0e, 0x10, 0x00,
        0x00, 0x15, 0x18,
    ];

    #[test]
    fn solicit() {
        let mut s = String::new();
        print(&mut s, 0, SOLICIT, SOLICIT.len() as u32).unwrap();
        assert_eq!(s, "dhcp6 solicit");
        let mut s = String::new();
        print(&mut s, 1, SOLICIT, SOLICIT.len() as u32).unwrap();
        assert_eq!(
            s,
            "dhcp6 solicit (xid=90b45c (client-ID hwaddr type 1 000102030405) \
             (option-request DNS-server DNS-search-list) (elapsed-time 0) \
             (IA_NA IAID:33752069 T1:3600 T2:5400))"
        );
    }

    #[test]
    fn option_past_message_end_is_truncation() {
        let mut s = String::new();
        let r = print(&mut s, 1, SOLICIT, 20);
        assert_eq!(r, Ok(()));
        assert_eq!(
            s,
            "dhcp6 solicit (xid=90b45c (client-ID hwaddr type 1 000102030405) [|dhcp6])"
        );
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for cut in 0..SOLICIT.len() {
            let mut s = String::new();
            let _ = print(&mut s, 1, &SOLICIT[..cut], SOLICIT.len() as u32);
        }
    }
}
