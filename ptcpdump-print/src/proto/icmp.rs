//! Internet Control Message Protocol (RFC 792, router discovery RFC 1256, path MTU RFC 1191,
//! multi-part extensions RFC 4884/4950); tcpdump's print-icmp.c.

use super::{Ctx, IpHdr, in_cksum, in_cksum_shouldbe, ip, pr, tok};
use crate::cursor::{Bytes, PResult};
use std::fmt::Write;

const ICMP_ECHOREPLY: u8 = 0;
const ICMP_UNREACH: u8 = 3;
const ICMP_SOURCEQUENCH: u8 = 4;
const ICMP_REDIRECT: u8 = 5;
const ICMP_ECHO: u8 = 8;
const ICMP_ROUTERADVERT: u8 = 9;
const ICMP_TIMXCEED: u8 = 11;
const ICMP_PARAMPROB: u8 = 12;
const ICMP_TSTAMP: u8 = 13;
const ICMP_TSTAMPREPLY: u8 = 14;
const ICMP_MASKREPLY: u8 = 18;

/// RFC 4884: minimum length of an ICMP message carrying an extension structure.
const ICMP_EXTD_MINLEN: u32 = 156 - 20;

const ICMP2STR: &[(u32, &str)] = &[
    (0, "echo reply"),
    (4, "source quench"),
    (8, "echo request"),
    (10, "router solicitation"),
    (13, "time stamp request"),
    (14, "time stamp reply"),
    (15, "information request"),
    (16, "information reply"),
    (17, "address mask request"),
];

/// tcpdump 4.99.3's names: class 2 (RFC 5837's Interface Information) is called "Interface
/// Identification" and class 3 has no name.
const ICMP_MULTIPART_EXT_OBJ_VALUES: &[(u32, &str)] =
    &[(1, "MPLS Stack Entry"), (2, "Interface Identification")];

fn is_errtype(t: u8) -> bool {
    matches!(
        t,
        ICMP_UNREACH | ICMP_SOURCEQUENCH | ICMP_REDIRECT | ICMP_TIMXCEED | ICMP_PARAMPROB
    )
}

fn tstamp(buf: &mut String, t: u32) {
    let msec = t % 1000;
    let mut sec = t / 1000;
    let mut min = sec / 60;
    sec -= min * 60;
    let hrs = min / 60;
    min -= hrs * 60;
    let _ = write!(buf, "{hrs:02}:{min:02}:{sec:02}.{msec:03}");
}

fn ipstr(buf: &mut String, dp: &[u8], off: usize) -> PResult {
    crate::addr::push_ipv4(buf, dp.sub(off, 4)?);
    Ok(())
}

/// Builds the description (tcpdump's `buf`), reading everything before printing anything: a
/// truncated packet prints nothing but ` [|icmp]`.
/// `Ok(false)`: an `ND_TCHECK` failed (tcpdump's local `trunc:` label, no longjmp).
fn describe(buf: &mut String, dp: &[u8], ty: u8, code: u8) -> PResult<bool> {
    macro_rules! tcheck {
        ($off:expr, $len:expr) => {
            if !dp.has($off, $len) {
                return Ok(false);
            }
        };
    }
    // Offsets inside the ICMP message: the embedded IP header starts at 8.
    const IP_DST: usize = 8 + 16;
    match ty {
        ICMP_ECHO | ICMP_ECHOREPLY => {
            let _ = write!(
                buf,
                "echo {}, id {}, seq {}",
                if ty == ICMP_ECHO { "request" } else { "reply" },
                dp.be_u16(4)?,
                dp.be_u16(6)?
            );
        }
        ICMP_UNREACH => {
            let simple = |buf: &mut String, pre: &str, post: &str| -> PResult {
                buf.push_str(pre);
                ipstr(buf, dp, IP_DST)?;
                buf.push_str(post);
                Ok(())
            };
            match code {
                0 => simple(buf, "net ", " unreachable")?,
                1 => simple(buf, "host ", " unreachable")?,
                2 => {
                    ipstr(buf, dp, IP_DST)?;
                    let _ = write!(buf, " protocol {} unreachable", dp.u8_at(8 + 9)?);
                }
                3 => {
                    tcheck!(8 + 9, 1);
                    let hlen = (dp.u8_at(8)? & 0xf) as usize * 4;
                    let dport = dp.be_u16(8 + hlen + 2)?;
                    let proto = dp.u8_at(8 + 9)?;
                    ipstr(buf, dp, IP_DST)?;
                    match proto {
                        6 => {
                            let _ = write!(buf, " tcp port {dport} unreachable");
                        }
                        17 => {
                            let _ = write!(buf, " udp port {dport} unreachable");
                        }
                        _ => {
                            let _ = write!(buf, " protocol {proto} port {dport} unreachable");
                        }
                    }
                }
                4 => {
                    let mtu = dp.be_u16(6)?;
                    ipstr(buf, dp, IP_DST)?;
                    if mtu != 0 {
                        let _ = write!(buf, " unreachable - need to frag (mtu {mtu})");
                    } else {
                        buf.push_str(" unreachable - need to frag");
                    }
                }
                5 => simple(buf, "", " unreachable - source route failed")?,
                6 => simple(buf, "net ", " unreachable - unknown")?,
                7 => simple(buf, "host ", " unreachable - unknown")?,
                8 => simple(buf, "", " unreachable - source host isolated")?,
                9 => simple(buf, "net ", " unreachable - admin prohibited")?,
                10 => simple(buf, "host ", " unreachable - admin prohibited")?,
                11 => simple(buf, "net ", " unreachable - tos prohibited")?,
                12 => simple(buf, "host ", " unreachable - tos prohibited")?,
                13 => simple(buf, "host ", " unreachable - admin prohibited filter")?,
                14 => simple(buf, "host ", " unreachable - host precedence violation")?,
                15 => simple(buf, "host ", " unreachable - precedence cutoff")?,
                _ => {
                    ipstr(buf, dp, IP_DST)?;
                    let _ = write!(buf, " unreachable - #{code}");
                }
            }
        }
        ICMP_REDIRECT => {
            let (pre, mid) = match code {
                0 => ("redirect ", " to net "),
                1 => ("redirect ", " to host "),
                2 => ("redirect-tos ", " to net "),
                3 => ("redirect-tos ", " to host "),
                _ => ("", " to "),
            };
            if code > 3 {
                let _ = write!(buf, "redirect-#{code} ");
            } else {
                buf.push_str(pre);
            }
            ipstr(buf, dp, IP_DST)?;
            buf.push_str(mid);
            ipstr(buf, dp, 4)?;
        }
        ICMP_ROUTERADVERT => {
            buf.push_str("router advertisement");
            tcheck!(4, 4);
            buf.push_str(" lifetime ");
            let lifetime = dp.be_u16(6)? as u32;
            if lifetime < 60 {
                let _ = write!(buf, "{lifetime}");
            } else if lifetime < 3600 {
                let _ = write!(buf, "{}:{:02}", lifetime / 60, lifetime % 60);
            } else {
                let _ = write!(
                    buf,
                    "{}:{:02}:{:02}",
                    lifetime / 3600,
                    (lifetime % 3600) / 60,
                    lifetime % 60
                );
            }
            let num = dp.u8_at(4)?;
            let _ = write!(buf, " {num}:");
            let size = dp.u8_at(5)?;
            if size != 2 {
                let _ = write!(buf, " [size {size}]");
                return Ok(true);
            }
            let mut off = 8;
            for _ in 0..num {
                tcheck!(off, 8);
                buf.push_str(" {");
                ipstr(buf, dp, off)?;
                let _ = write!(buf, " {}}}", dp.be_u32(off + 4)?);
                off += 8;
            }
        }
        ICMP_TIMXCEED => {
            tcheck!(IP_DST, 4);
            match code {
                0 => buf.push_str("time exceeded in-transit"),
                1 => buf.push_str("ip reassembly time exceeded"),
                _ => {
                    let _ = write!(buf, "time exceeded-#{code}");
                }
            }
        }
        ICMP_PARAMPROB => {
            if code != 0 {
                let _ = write!(buf, "parameter problem - code {code}");
            } else {
                let _ = write!(buf, "parameter problem - octet {}", dp.u8_at(4)?);
            }
        }
        ICMP_MASKREPLY => {
            let _ = write!(buf, "address mask is 0x{:08x}", dp.be_u32(8)?);
        }
        ICMP_TSTAMP => {
            let _ = write!(
                buf,
                "time stamp query id {} seq {}",
                dp.be_u16(4)?,
                dp.be_u16(6)?
            );
        }
        ICMP_TSTAMPREPLY => {
            tcheck!(16, 4);
            let _ = write!(
                buf,
                "time stamp reply id {} seq {}: org ",
                dp.be_u16(4)?,
                dp.be_u16(6)?
            );
            tstamp(buf, dp.be_u32(8)?);
            buf.push_str(", recv ");
            tstamp(buf, dp.be_u32(12)?);
            buf.push_str(", xmit ");
            tstamp(buf, dp.be_u32(16)?);
        }
        _ => match tok(ICMP2STR, ty as u32) {
            Some(n) => buf.push_str(n),
            None => {
                let _ = write!(buf, "type-#{ty}");
            }
        },
    }
    Ok(true)
}

/// An ICMP message. `dp`: captured bytes from the ICMP header on; `plen`: its length.
pub fn icmp_print(ctx: &mut Ctx, dp: &[u8], plen: u32, _ip: &IpHdr, fragmented: bool) -> PResult {
    ctx.protocol = "icmp";
    let ty = dp.u8_at(0)?;
    let code = dp.u8_at(1)?;
    // The description is written in place and taken back if the message turns out truncated:
    // tcpdump formats it into a buffer first and prints nothing of it then.
    let mark = ctx.out.len();
    ctx.push("ICMP ");
    match describe(ctx.out, dp, ty, code) {
        Ok(true) => {}
        Ok(false) => {
            ctx.out.truncate(mark);
            ctx.print_trunc();
            return Ok(());
        }
        Err(e) => {
            ctx.out.truncate(mark);
            return Err(e);
        }
    }
    pr!(ctx, ", length {}", plen);
    if ctx.vflag() > 0
        && !fragmented
        && let Ok(all) = dp.sub(0, plen as usize)
    {
        let sum = in_cksum(&[all]);
        if sum != 0 {
            let icmp_sum = dp.be_u16(2)?;
            pr!(
                ctx,
                " (wrong icmp cksum {:x} (->{:x})!)",
                icmp_sum,
                in_cksum_shouldbe(icmp_sum, sum)
            );
        }
    }
    if ctx.vflag() >= 1 && is_errtype(ty) {
        ctx.push("\n\t");
        let inner = dp.from(8)?;
        let ip_len = inner.be_u16(2)? as usize;
        let inner = &inner[..inner.len().min(ip_len)];
        // tcpdump reads ip_len a second time, after shrinking the snapshot end to it: a
        // length below 4 makes that read fail while the protocol is still "icmp".
        inner.be_u16(2)?;
        ip::ip_print(ctx, inner, ip_len as u32)?;
    }
    ctx.protocol = "icmp";
    if ctx.vflag() >= 1
        && plen > ICMP_EXTD_MINLEN
        && matches!(ty, ICMP_UNREACH | ICMP_TIMXCEED | ICMP_PARAMPROB)
    {
        if !dp.has(0, 8 + 128 + 4) {
            ctx.print_trunc();
            return Ok(());
        }
        multipart_print(ctx, dp, plen)?;
    }
    Ok(())
}

/// RFC 4884 extension structure after the original datagram.
fn multipart_print(ctx: &mut Ctx, dp: &[u8], plen: u32) -> PResult {
    // icmp_ext_t: 8-byte ICMP header, 128 bytes of original datagram, then the extension.
    let ext_off = 8 + 128;
    let ext_len = (plen - ICMP_EXTD_MINLEN) as usize;
    if dp.u8_at(5)? == 0
        && let Ok(ext) = dp.sub(ext_off, ext_len)
        && in_cksum(&[ext]) != 0
    {
        return Ok(());
    }
    let ver = dp.u8_at(ext_off)? >> 4;
    pr!(ctx, "\n\tICMP Multi-Part extension v{}", ver);
    if ver != 2 {
        ctx.push(" packet not supported");
        return Ok(());
    }
    let mut hlen = ext_len as u32;
    if let Ok(ext) = dp.sub(ext_off, ext_len) {
        pr!(
            ctx,
            ", checksum 0x{:04x} ({}correct), length {}",
            dp.be_u16(ext_off + 2)?,
            if in_cksum(&[ext]) != 0 { "in" } else { "" },
            hlen
        );
    }
    hlen = hlen.wrapping_sub(4);
    let mut off = ext_off + 4;
    while hlen > 4 && hlen < 0x8000_0000 {
        if !dp.has(off, 4) {
            ctx.print_trunc();
            return Ok(());
        }
        let obj_tlen = dp.be_u16(off)? as u32;
        let class = dp.u8_at(off + 2)?;
        let ctype = dp.u8_at(off + 3)?;
        off += 4;
        pr!(
            ctx,
            "\n\t  {} Object ({}), Class-Type: {}, length {}",
            tok(ICMP_MULTIPART_EXT_OBJ_VALUES, class as u32).unwrap_or("unknown"),
            class,
            ctype,
            obj_tlen
        );
        hlen -= 4;
        if class == 0 || obj_tlen < 4 {
            return Ok(());
        }
        let obj_tlen = obj_tlen - 4;
        if class == 1 && ctype == 1 {
            let raw = dp.be_u32(off)?;
            pr!(ctx, "\n\t    label {}, tc {}", raw >> 12, (raw >> 9) & 7);
            if raw & 0x100 != 0 {
                ctx.push(", [S]");
            }
            pr!(ctx, ", ttl {}", raw & 0xff);
        } else {
            super::print_unknown_data(ctx, dp.from(off).unwrap_or(&[]), "\n\t    ", obj_tlen)?;
        }
        if hlen < obj_tlen {
            break;
        }
        hlen -= obj_tlen;
        off += obj_tlen as usize;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::print_packet;

    fn print(opts: PrintOptions, icmp: &[u8]) -> String {
        let total = 20 + icmp.len();
        let mut d = vec![
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0,
            0,
            0,
            0,
            64,
            1,
            0,
            0,
        ];
        d.extend_from_slice(&[192, 168, 1, 1, 192, 168, 1, 10]);
        let s = crate::proto::in_cksum(&[&d]);
        d[10..12].copy_from_slice(&s.to_be_bytes());
        d.extend_from_slice(icmp);
        print_packet(opts, 101, &d)
    }

    fn port_unreach() -> Vec<u8> {
        let mut m = vec![3, 3, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[
            0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 192, 168, 1, 10, 203, 0, 113, 80,
        ]);
        m.extend_from_slice(&[0x9c, 0x40, 0x82, 0x9b, 0, 8, 0, 0]);
        let s = crate::proto::in_cksum(&[&m]);
        m[2..4].copy_from_slice(&s.to_be_bytes());
        m
    }

    #[test]
    fn unreachable_with_inner_packet() {
        let m = port_unreach();
        assert_eq!(
            print(PrintOptions::default(), &m),
            "IP 192.168.1.1 > 192.168.1.10: ICMP 203.0.113.80 udp port 33435 unreachable, length 36\n"
        );
        let v = print(
            PrintOptions {
                verbose: 1,
                ..Default::default()
            },
            &m,
        );
        assert!(
            v.ends_with(
                "ICMP 203.0.113.80 udp port 33435 unreachable, length 36\n\tIP (tos 0x0, ttl 64, id 0, \
                 offset 0, flags [none], proto UDP (17), length 28, bad cksum 0 (->7cce)!)\n    \
                 192.168.1.10.40000 > 203.0.113.80.33435: UDP, length 0\n"
            ),
            "{v}"
        );
    }

    /// tcpdump's icmp-cksum-oobr-2 test (PPP header removed): a time exceeded with an RFC 4884
    /// extension holding an interface object of class 2.
    const TIME_EXCEEDED_EXT: &[u8] = &[
        0x45, 0x00, 0x80, 0xf0, 0xe7, 0x20, 0x40, 0x00, 0xfe, 0x01, 0x7a, 0xde, 0x0a, 0x04, 0x00,
        0x22, 0x0c, 0x04, 0x04, 0x04, 0x0b, 0x00, 0xcc, 0xff, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00,
        0x00, 0x28, 0xa5, 0x51, 0x00, 0x00, 0x01, 0x11, 0xf7, 0x6a, 0x0c, 0x04, 0x04, 0x04, 0x0c,
        0x01, 0x01, 0x01, 0xa5, 0x4b, 0x82, 0xa0, 0x00, 0x14, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00, 0xc4, 0xe4, 0x00, 0x50, 0x02, 0x0e, 0x00,
        0x00, 0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x0a, 0x0a, 0x0a, 0x3f, 0x54, 0x68, 0x69,
        0x73, 0x2d, 0x69, 0x73, 0x2d, 0x74, 0x68, 0x65, 0x2d, 0x6e, 0x61, 0x6d, 0x65, 0x2d, 0x6f,
        0x66, 0x2d, 0x74, 0x68, 0x65, 0x2d, 0x49, 0x6e, 0x74, 0x65, 0x72, 0x66, 0x61, 0x63, 0x65,
        0x2d, 0x74, 0x68, 0x61, 0x74, 0x2d, 0x77, 0x65, 0x2d, 0x61, 0x72, 0x65, 0x2d, 0x6c, 0x6f,
        0x6f, 0x6b, 0x69, 0x6e, 0x67, 0x2d, 0x66, 0x6f, 0x72, 0x2d, 0x5b, 0x3a, 0x2d, 0x29, 0x5d,
    ];

    #[test]
    fn extension_object_names_as_tcpdump() {
        let out = crate::proto::testutil::print_packet(
            PrintOptions {
                verbose: 1,
                ..Default::default()
            },
            101,
            TIME_EXCEEDED_EXT,
        );
        assert!(
            out.contains(
                "\n\tICMP Multi-Part extension v2\n\t  Interface Identification Object (2), \
                 Class-Type: 14, length 80\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let m = port_unreach();
        for n in 0..=m.len() {
            let _ = print(
                PrintOptions {
                    verbose: 1,
                    ..Default::default()
                },
                &m[..n],
            );
        }
        let out = print(PrintOptions::default(), &m[..20]);
        assert_eq!(out, "IP 192.168.1.1 > 192.168.1.10:  [|icmp]\n");
    }
}
