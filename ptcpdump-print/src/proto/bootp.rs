//! BOOTP/DHCP printer (tcpdump's print-bootp.c).
//!
//! RFC 951 (BOOTP), RFC 1048/1497/2132 (vendor extensions and DHCP options), RFC 3004 (user
//! class), RFC 3046 (relay agent information), RFC 3442 (classless static routes), RFC 4388
//! (leasequery), RFC 4702 (client FQDN), RFC 5859 (TFTP server address), RFC 8520 (MUD URL).

use std::fmt::Write;

use super::Ctx;
use super::textutil::{Tok, ipv4_str, printn, printztn, tok, unknown_data};
use crate::cursor::{Bytes, PResult, Truncated};

const BOOTPREQUEST: u8 = 1;

const TAG_PAD: u8 = 0;
const TAG_END: u8 = 255;
const TAG_NETBIOS_NODE: u8 = 46;
const TAG_OPT_OVERLOAD: u8 = 52;
const TAG_DHCP_MESSAGE: u8 = 53;
const TAG_PARM_REQUEST: u8 = 55;
const TAG_CLIENT_ID: u8 = 61;
const TAG_USER_CLASS: u8 = 77;
const TAG_CLIENT_FQDN: u8 = 81;
const TAG_AGENT_CIRCUIT: u8 = 82;
const TAG_CLASSLESS_STATIC_RT: u8 = 121;
const TAG_CLASSLESS_STA_RT_MS: u8 = 249;

/// Option tag, data format, name. Formats: `i` IPv4 addresses, `p` address pairs, `l`
/// unsigned 32-bit, `L` signed 32-bit, `s` 16-bit, `b` dotted bytes, `x` hex bytes, `a` text,
/// `B` booleans, `$` option-specific, ` ` no data.
const TAGS: &[(u8, u8, &str)] = &[
    (0, b' ', "PAD"),
    (1, b'i', "Subnet-Mask"),
    (2, b'L', "Time-Zone"),
    (3, b'i', "Default-Gateway"),
    (4, b'i', "Time-Server"),
    (5, b'i', "IEN-Name-Server"),
    (6, b'i', "Domain-Name-Server"),
    (7, b'i', "LOG"),
    (8, b'i', "CS"),
    (9, b'i', "LPR-Server"),
    (10, b'i', "IM"),
    (11, b'i', "RL"),
    (12, b'a', "Hostname"),
    (13, b's', "BS"),
    (255, b' ', "END"),
    (14, b'a', "DP"),
    (15, b'a', "Domain-Name"),
    (16, b'i', "SS"),
    (17, b'a', "RP"),
    (18, b'a', "EP"),
    (19, b'B', "IPF"),
    (20, b'B', "SRT"),
    (21, b'p', "PF"),
    (22, b's', "RSZ"),
    (23, b'b', "TTL"),
    (24, b'l', "MTU-Timeout"),
    (25, b's', "MTU-Table"),
    (26, b's', "MTU"),
    (27, b'B', "LSN"),
    (28, b'i', "BR"),
    (29, b'B', "MD"),
    (30, b'B', "MS"),
    (31, b'B', "Router-Discovery"),
    (32, b'i', "RSA"),
    (33, b'p', "Static-Route"),
    (34, b'B', "UT"),
    (35, b'l', "AT"),
    (36, b'B', "IE"),
    (37, b'b', "TT"),
    (38, b'l', "KI"),
    (39, b'B', "KG"),
    (40, b'a', "YD"),
    (41, b'i', "YS"),
    (42, b'i', "NTP"),
    (43, b'b', "Vendor-Option"),
    (44, b'i', "Netbios-Name-Server"),
    (45, b'i', "WDD"),
    (46, b'$', "Netbios-Node"),
    (47, b'a', "Netbios-Scope"),
    (48, b'i', "XFS"),
    (49, b'i', "XDM"),
    (64, b's', "N+D"),
    (65, b'i', "N+S"),
    (68, b'i', "MH"),
    (69, b'i', "SMTP"),
    (70, b'i', "POP3"),
    (71, b'i', "NNTP"),
    (72, b'i', "WWW"),
    (73, b'i', "FG"),
    (74, b'i', "IRC"),
    (75, b'i', "STS"),
    (76, b'i', "STDA"),
    (50, b'i', "Requested-IP"),
    (51, b'l', "Lease-Time"),
    (52, b'$', "OO"),
    (66, b'a', "TFTP"),
    (67, b'a', "BF"),
    (53, b' ', "DHCP-Message"),
    (54, b'i', "Server-ID"),
    (55, b'b', "Parameter-Request"),
    (56, b'a', "MSG"),
    (57, b's', "MSZ"),
    (58, b'l', "RN"),
    (59, b'l', "RB"),
    (60, b'a', "Vendor-Class"),
    (61, b'$', "Client-ID"),
    (98, b'a', "UAP"),
    (116, b'B', "NOAUTO"),
    (78, b'b', "SLP-DA"),
    (79, b'b', "SLP-SCOPE"),
    (117, b's', "NSSEARCH"),
    (77, b'$', "User-Class"),
    (118, b'i', "SUBNET"),
    (121, b'$', "Classless-Static-Route"),
    (249, b'$', "Classless-Static-Route-Microsoft"),
    (150, b'i', "TFTP-Server-Address"),
    (80, b'a', "SLP-NA"),
    (81, b'$', "FQDN"),
    (82, b'$', "Agent-Information"),
    (83, b'b', "ARMT"),
    (88, b'a', "TZSTR"),
    (89, b'b', "FQDNS"),
    (90, b'b', "AUTH"),
    (91, b'L', "Last-Transaction-Time"),
    (92, b'i', "Associated-IP"),
    (93, b's', "ARCH"),
    (94, b'b', "NDI"),
    (97, b'b', "GUID"),
    (95, b'a', "LDAP"),
    (100, b'a', "POSIX-TZ"),
    (101, b'a', "TZ-Name"),
    (112, b'i', "NI"),
    (113, b'a', "NITAG"),
    (114, b'a', "URL"),
    (161, b'a', "MUD-URL"),
];

const OVERLOAD: &[Tok] = &[(1, "file"), (2, "sname"), (3, "file+sname")];
const NETBIOS_NODE: &[Tok] = &[(1, "b-node"), (2, "p-node"), (4, "m-node"), (8, "h-node")];
const ARP_HW: &[Tok] = &[
    (1, "ether"),
    (6, "ieee802"),
    (7, "arcnet"),
    (0xf, "frelay"),
    (0x17, "strip"),
    (0x18, "ieee1394"),
];
const DHCP_MSG: &[Tok] = &[
    (1, "Discover"),
    (2, "Offer"),
    (3, "Request"),
    (4, "Decline"),
    (5, "ACK"),
    (6, "NACK"),
    (7, "Release"),
    (8, "Inform"),
    (10, "LeaseQuery"),
    (11, "LeaseUnassigned"),
    (12, "LeaseUnknown"),
    (13, "LeaseActive"),
];
const AGENT_SUBOPTS: &[Tok] = &[(1, "Circuit-ID"), (2, "Remote-ID"), (6, "Subscriber-ID")];

fn tag_info(tag: u8) -> (u8, &'static str) {
    TAGS.iter()
        .find(|(t, _, _)| *t == tag)
        .map_or((b'?', "Unknown"), |(_, f, n)| (*f, *n))
}

fn mac(b: &[u8]) -> String {
    let mut s = String::new();
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// print-bootp.c's local `trunc:` label: the marker, and the printer stops without unwinding
/// its callers (unlike a failed read).
fn local_trunc(out: &mut String) -> PResult {
    out.push_str(" [|bootp]");
    Ok(())
}

/// `bootp_print`: a BOOTP/DHCP message of `length` bytes; `bp` holds its captured bytes.
pub fn bootp_print(ctx: &mut Ctx, bp: &[u8], length: u32) -> PResult {
    ctx.protocol = "bootp";
    let v = ctx.vflag();
    print(ctx.out, v, bp, length)
}

fn print(out: &mut String, v: u8, bp: &[u8], length: u32) -> PResult {
    let op = bp.u8_at(0)?;
    match op {
        1 => out.push_str("BOOTP/DHCP, Request"),
        2 => out.push_str("BOOTP/DHCP, Reply"),
        _ => {
            let _ = write!(out, "BOOTP/DHCP, unknown (0x{op:02x})");
        }
    }
    let htype = bp.u8_at(1)?;
    let hlen = bp.u8_at(2)?;
    if htype == 1 && hlen == 6 && op == BOOTPREQUEST {
        let _ = write!(out, " from {}", mac(bp.sub(28, 6)?));
    }
    let _ = write!(out, ", length {length}");
    if v == 0 {
        return Ok(());
    }
    if !bp.has(8, 2) {
        return local_trunc(out);
    }
    if htype != 1 {
        let _ = write!(out, ", htype {htype}");
    }
    if htype != 1 || hlen != 6 {
        let _ = write!(out, ", hlen {hlen}");
    }
    let hops = bp.u8_at(3)?;
    if hops != 0 {
        let _ = write!(out, ", hops {hops}");
    }
    let xid = bp.be_u32(4)?;
    if xid != 0 {
        let _ = write!(out, ", xid 0x{xid:x}");
    }
    let secs = bp.be_u16(8)?;
    if secs != 0 {
        let _ = write!(out, ", secs {secs}");
    }
    let flags = bp.be_u16(10)?;
    let _ = write!(
        out,
        ", Flags [{}]",
        if flags & 0x8000 != 0 {
            "Broadcast"
        } else {
            "none"
        }
    );
    if v > 1 {
        let _ = write!(out, " (0x{flags:04x})");
    }
    for (off, name) in [
        (12, "Client-IP"),
        (16, "Your-IP"),
        (20, "Server-IP"),
        (24, "Gateway-IP"),
    ] {
        let a = bp.ipv4_at(off)?;
        if a != [0; 4] {
            let _ = write!(out, "\n\t  {name} {}", ipv4_str(a));
        }
    }
    if htype == 1 && hlen == 6 {
        let _ = write!(out, "\n\t  Client-Ethernet-Address {}", mac(bp.sub(28, 6)?));
    }
    for (off, size, name) in [(44usize, 64usize, "sname"), (108, 128, "file")] {
        if bp.u8_at(off)? != 0 {
            let _ = write!(out, "\n\t  {name} \"");
            if printztn(out, bp, off, size) == 0 {
                out.push('"');
                return local_trunc(out);
            }
            out.push('"');
        }
    }
    let Ok(magic) = bp.sub(236, 4) else {
        return local_trunc(out);
    };
    if magic == [99, 130, 83, 99] {
        rfc1048_print(out, v, bp, 236)
    } else if magic == b"CMU\0" {
        cmu_print(out, bp, 236)
    } else {
        let ul = bp.be_u32(236)?;
        if ul != 0 {
            let _ = write!(out, "\n\t  Vendor-#0x{ul:x}");
        }
        Ok(())
    }
}

fn rfc1048_print(out: &mut String, v: u8, buf: &[u8], start: usize) -> PResult {
    out.push_str("\n\t  Vendor-rfc1048 Extensions");
    let _ = write!(out, "\n\t    Magic Cookie 0x{:08x}", buf.be_u32(start)?);
    let mut bp = start + 4;
    while bp < buf.len() {
        let tag = buf[bp];
        bp += 1;
        if tag == TAG_PAD && v < 3 {
            continue;
        }
        if tag == TAG_END && v < 3 {
            return Ok(());
        }
        let (mut c, name) = tag_info(tag);
        let mut len: usize = if tag == TAG_PAD || tag == TAG_END {
            0
        } else {
            let l = buf.u8_at(bp)?;
            bp += 1;
            l.into()
        };
        let _ = write!(
            out,
            "\n\t    {name} ({tag}), length {len}{}",
            if len > 0 { ": " } else { "" }
        );
        if tag == TAG_PAD && v > 2 {
            let mut ntag = 1;
            while bp < buf.len() && buf[bp] == TAG_PAD {
                bp += 1;
                ntag += 1;
            }
            if ntag > 1 {
                let _ = write!(out, ", occurs {ntag}");
            }
        }
        if !buf.has(bp, len) {
            return local_trunc(out);
        }
        if tag == TAG_DHCP_MESSAGE && len == 1 {
            let m = buf[bp];
            match tok(DHCP_MSG, m.into()) {
                Some(s) => out.push_str(s),
                None => {
                    let _ = write!(out, "Unknown ({m})");
                }
            }
            bp += 1;
            continue;
        }
        if tag == TAG_PARM_REQUEST {
            for idx in 0..len {
                let inner = buf[bp + idx];
                out.push_str(if idx % 4 == 0 { "\n\t      " } else { ", " });
                let _ = write!(out, "{} ({inner})", tag_info(inner).1);
            }
            bp += len;
            continue;
        }
        if c == b'?' {
            c = if len & 1 != 0 {
                b'b'
            } else if len & 2 != 0 {
                b's'
            } else {
                b'l'
            };
        }
        match c {
            b'a' => {
                out.push('"');
                printn(out, buf, bp, len);
                out.push('"');
                bp += len;
                len = 0;
            }
            b'i' | b'l' | b'L' => items(out, &mut bp, &mut len, 4, ',', |out, at| {
                let w = [buf[at], buf[at + 1], buf[at + 2], buf[at + 3]];
                let _ = match c {
                    b'i' => write!(out, "{}", ipv4_str(w)),
                    b'L' => write!(out, "{}", i32::from_be_bytes(w)),
                    _ => write!(out, "{}", u32::from_be_bytes(w)),
                };
                Ok(())
            })?,
            b'p' => items(out, &mut bp, &mut len, 8, ',', |out, at| {
                let _ = write!(
                    out,
                    "({}:{})",
                    ipv4_str(buf.ipv4_at(at)?),
                    ipv4_str(buf.ipv4_at(at + 4)?)
                );
                Ok(())
            })?,
            b's' => items(out, &mut bp, &mut len, 2, ',', |out, at| {
                let _ = write!(out, "{}", buf.be_u16(at)?);
                Ok(())
            })?,
            b'B' => items(out, &mut bp, &mut len, 1, ',', |out, at| {
                let _ = match buf[at] {
                    0 => write!(out, "N"),
                    1 => write!(out, "Y"),
                    b => write!(out, "{b}?"),
                };
                Ok(())
            })?,
            b'$' => match special(out, tag, buf, bp, len) {
                Ok(r) => {
                    bp = r.0;
                    len = r.1;
                }
                // The option data was checked to be captured: only the string printers'
                // local truncation can end up here.
                Err(_) => return local_trunc(out),
            },
            _ => {
                let sep = if c == b'x' { ':' } else { '.' };
                items(out, &mut bp, &mut len, 1, sep, |out, at| {
                    let b = buf[at];
                    let _ = if c == b'x' {
                        write!(out, "{b:02x}")
                    } else {
                        write!(out, "{b}")
                    };
                    Ok(())
                })?
            }
        }
        if len > 0 {
            let _ = write!(out, "\n\t  trailing data length {len}");
            bp += len;
        }
    }
    Ok(())
}

/// The items of an option value, `size` bytes each, from `*bp` while `*len` holds one,
/// separated by `sep`; `item` prints the one at an offset of `buf`.
fn items(
    out: &mut String,
    bp: &mut usize,
    len: &mut usize,
    size: usize,
    sep: char,
    mut item: impl FnMut(&mut String, usize) -> PResult,
) -> PResult {
    let mut first = true;
    while *len >= size {
        if !first {
            out.push(sep);
        }
        item(out, *bp)?;
        *bp += size;
        *len -= size;
        first = false;
    }
    Ok(())
}

/// Options with their own layout; returns the new offset and the bytes left unprinted.
fn special(
    out: &mut String,
    tag: u8,
    buf: &[u8],
    bp: usize,
    len: usize,
) -> PResult<(usize, usize)> {
    let mut bp = bp;
    let mut len = len;
    match tag {
        TAG_NETBIOS_NODE | TAG_OPT_OVERLOAD => {
            if len < 1 {
                out.push_str("[ERROR: length < 1 bytes]");
                return Ok((bp, len));
            }
            let t = buf.u8_at(bp)?;
            bp += 1;
            len -= 1;
            let table = if tag == TAG_NETBIOS_NODE {
                NETBIOS_NODE
            } else {
                OVERLOAD
            };
            match tok(table, t.into()) {
                Some(s) => out.push_str(s),
                None => {
                    let _ = write!(out, "#{t}");
                }
            }
        }
        TAG_CLIENT_FQDN => {
            if len < 3 {
                out.push_str("[ERROR: length < 3 bytes]");
                return Ok((bp + len, 0));
            }
            let f = buf.u8_at(bp)?;
            if f & 0xf0 != 0 {
                let _ = write!(out, "[ERROR: MBZ nibble 0x{:x} != 0] ", (f & 0xf0) >> 4);
            }
            if f & 0x0f != 0 {
                out.push('[');
                for (bit, ch) in [(1, 'S'), (2, 'O'), (4, 'E'), (8, 'N')] {
                    if f & bit != 0 {
                        out.push(ch);
                    }
                }
                out.push_str("] ");
            }
            bp += 1;
            let (r1, r2) = (buf.u8_at(bp)?, buf.u8_at(bp + 1)?);
            if r1 != 0 || r2 != 0 {
                let _ = write!(out, "{r1}/{r2} ");
            }
            bp += 2;
            out.push('"');
            if printn(out, buf, bp, len - 3) {
                out.push('"');
                return Err(Truncated);
            }
            out.push('"');
            return Ok((bp + len - 3, 0));
        }
        TAG_CLIENT_ID => {
            if len < 1 {
                out.push_str("[ERROR: length < 1 bytes]");
                return Ok((bp, len));
            }
            let t = buf.u8_at(bp)?;
            bp += 1;
            len -= 1;
            if t == 0 {
                out.push('"');
                if printn(out, buf, bp, len) {
                    out.push('"');
                    return Err(Truncated);
                }
                out.push('"');
                return Ok((bp + len, 0));
            }
            match tok(ARP_HW, t.into()) {
                Some(s) => {
                    let _ = write!(out, "{s} ");
                }
                None => {
                    let _ = write!(out, "hardware-type {t}, ");
                }
            }
            for i in 0..len {
                if i > 0 {
                    out.push(':');
                }
                let _ = write!(out, "{:02x}", buf.u8_at(bp + i)?);
            }
            return Ok((bp + len, 0));
        }
        TAG_AGENT_CIRCUIT => {
            while len >= 2 {
                let subopt = buf.u8_at(bp)?;
                let sublen = usize::from(buf.u8_at(bp + 1)?);
                bp += 2;
                len -= 2;
                let name = tok(AGENT_SUBOPTS, subopt.into()).unwrap_or("Unknown");
                if sublen > len {
                    let _ = write!(
                        out,
                        "\n\t      {name} SubOption {subopt}, length {sublen}: length goes past end of option"
                    );
                    return Ok((bp + len, 0));
                }
                let _ = write!(
                    out,
                    "\n\t      {name} SubOption {subopt}, length {sublen}: "
                );
                match subopt {
                    1 | 2 | 6 => {
                        if printn(out, buf, bp, sublen) {
                            return Err(Truncated);
                        }
                    }
                    _ => unknown_data(out, "\n\t\t", buf, bp, sublen),
                }
                len -= sublen;
                bp += sublen;
            }
        }
        TAG_CLASSLESS_STATIC_RT | TAG_CLASSLESS_STA_RT_MS => {
            if len < 5 {
                out.push_str("[ERROR: length < 5 bytes]");
                return Ok((bp + len, 0));
            }
            let mut first = true;
            while len > 0 {
                if !first {
                    out.push(',');
                }
                let mask_width = usize::from(buf.u8_at(bp)?);
                bp += 1;
                len -= 1;
                if mask_width > 32 {
                    let _ = write!(out, "[ERROR: Mask width ({mask_width}) > 32]");
                    return Ok((bp + len, 0));
                }
                let sig = mask_width.div_ceil(8);
                if len < sig + 4 {
                    let _ = write!(out, "[ERROR: Remaining length ({len}) < {} bytes]", sig + 4);
                    return Ok((bp + len, 0));
                }
                out.push('(');
                if mask_width == 0 {
                    out.push_str("default");
                } else {
                    for i in 0..sig {
                        if i > 0 {
                            out.push('.');
                        }
                        let _ = write!(out, "{}", buf.u8_at(bp)?);
                        bp += 1;
                    }
                    for _ in sig..4 {
                        out.push_str(".0");
                    }
                    let _ = write!(out, "/{mask_width}");
                }
                let _ = write!(out, ":{})", ipv4_str(buf.ipv4_at(bp)?));
                bp += 4;
                len -= sig + 4;
                first = false;
            }
        }
        TAG_USER_CLASS => {
            if len < 2 {
                out.push_str("[ERROR: length < 2 bytes]");
                return Ok((bp + len, 0));
            }
            let mut n = 1;
            while len > 0 {
                let sublen = usize::from(buf.u8_at(bp)?);
                bp += 1;
                len -= 1;
                let _ = write!(out, "\n\t      instance#{n}: ");
                if sublen == 0 {
                    out.push_str("[ERROR: suboption length must be non-zero]");
                    return Ok((bp + len, 0));
                }
                if len < sublen {
                    out.push_str("[ERROR: invalid option]");
                    return Ok((bp + len, 0));
                }
                out.push('"');
                if printn(out, buf, bp, sublen) {
                    out.push('"');
                    return Err(Truncated);
                }
                let _ = write!(out, "\", length {sublen}");
                n += 1;
                len -= sublen;
                bp += sublen;
            }
        }
        _ => {
            let _ = write!(out, "[unknown special tag {tag}, size {len}]");
            return Ok((bp + len, 0));
        }
    }
    Ok((bp, len))
}

fn cmu_print(out: &mut String, buf: &[u8], start: usize) -> PResult {
    out.push_str(" vend-cmu");
    if !buf.has(start + 4, 4) {
        return local_trunc(out);
    }
    let flags = buf.u8_at(start + 4)?;
    if flags & !1 != 0 {
        let _ = write!(out, " F:0x{flags:x}");
    }
    let fields = [
        (12, "DG"),
        (8, if flags & 1 != 0 { "SM" } else { "SM*" }),
        (16, "NS1"),
        (20, "NS2"),
        (24, "IEN1"),
        (28, "IEN2"),
        (32, "TS1"),
        (36, "TS2"),
    ];
    for (off, name) in fields {
        let Ok(a) = buf.ipv4_at(start + off) else {
            return local_trunc(out);
        };
        if a != [0; 4] {
            let _ = write!(out, " {name}:{}", ipv4_str(a));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discover() -> Vec<u8> {
        let mut p = vec![0u8; 240];
        p[0] = 1;
        p[1] = 1;
        p[2] = 6;
        p[4..8].copy_from_slice(&[0x39, 0x03, 0xf3, 0x26]);
        p[28..34].copy_from_slice(&[0x00, 0x1b, 0x21, 0x3a, 0x4c, 0x5d]);
        p[236..240].copy_from_slice(&[99, 130, 83, 99]);
        p.extend_from_slice(&[53, 1, 1, 55, 3, 1, 3, 119, 12, 2, b'h', b'i', 0, 0, 255]);
        p
    }

    #[test]
    fn discover_levels() {
        let p = discover();
        let mut s = String::new();
        print(&mut s, 0, &p, p.len() as u32).unwrap();
        assert_eq!(s, "BOOTP/DHCP, Request from 00:1b:21:3a:4c:5d, length 255");
        let mut s = String::new();
        print(&mut s, 2, &p, p.len() as u32).unwrap();
        assert_eq!(
            s,
            "BOOTP/DHCP, Request from 00:1b:21:3a:4c:5d, length 255, xid 0x3903f326, Flags [none] (0x0000)\
             \n\t  Client-Ethernet-Address 00:1b:21:3a:4c:5d\
             \n\t  Vendor-rfc1048 Extensions\
             \n\t    Magic Cookie 0x63825363\
             \n\t    DHCP-Message (53), length 1: Discover\
             \n\t    Parameter-Request (55), length 3: \
             \n\t      Subnet-Mask (1), Default-Gateway (3), Unknown (119)\
             \n\t    Hostname (12), length 2: \"hi\""
        );
        let mut s = String::new();
        print(&mut s, 3, &p, p.len() as u32).unwrap();
        assert!(
            s.ends_with("\n\t    PAD (0), length 0, occurs 2\n\t    END (255), length 0"),
            "{s}"
        );
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let p = discover();
        for cut in 0..p.len() {
            for v in 0..4 {
                let mut s = String::new();
                let _ = print(&mut s, v, &p[..cut], p.len() as u32);
            }
        }
    }
}
