//! Internet Protocol version 4 (RFC 791); tcpdump's print-ip.c.

use super::{Ctx, IPPROTO_DCCP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_VALUES, IpHdr};
use super::{bittok2str, in_cksum, in_cksum_shouldbe, ip_demux_print, pr, tok};
use crate::cursor::{Bytes, PResult, Truncated};

const IP_HDRLEN: usize = 20;
const IP_MF: u16 = 0x2000;
const IP_OFFMASK: u16 = 0x1fff;

const IPOPT_EOL: u8 = 0;
const IPOPT_NOP: u8 = 1;
const IPOPT_RR: u8 = 7;
const IPOPT_TS: u8 = 68;
const IPOPT_LSRR: u8 = 131;
const IPOPT_SSRR: u8 = 137;
const IPOPT_RA: u8 = 148;

const IP_OPTION_VALUES: &[(u32, &str)] = &[
    (0, "EOL"),
    (1, "NOP"),
    (68, "timestamp"),
    (130, "security"),
    (7, "RR"),
    (137, "SSRR"),
    (131, "LSRR"),
    (148, "RA"),
    (82, "traceroute"),
];

const IP_FRAG_VALUES: &[(u32, &str)] = &[(0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd")];

/// Record route / source route addresses (`ip_printroute`). `Err` = truncated.
fn printroute(ctx: &mut Ctx, cp: &[u8], length: u32) -> PResult {
    if length < 3 {
        pr!(ctx, " [bad length {}]", length);
        return Ok(());
    }
    if (length + 1) & 3 != 0 {
        pr!(ctx, " [bad length {}]", length);
    }
    let ptr = (cp.u8_at(2)? as u32).wrapping_sub(1);
    if ptr < 3 || (ptr.wrapping_add(1) & 3) != 0 || ptr > length + 1 {
        pr!(ctx, " [bad ptr {}]", cp.u8_at(2)?);
    }
    let mut len = 3;
    while len < length {
        let a = cp.sub(len as usize, 4)?;
        ctx.push(" ");
        ctx.ip(a);
        if ptr > len {
            ctx.push(",");
        }
        len += 4;
    }
    Ok(())
}

/// Timestamp option (`ip_printts`, RFC 781). `Err` = truncated.
fn printts(ctx: &mut Ctx, cp: &[u8], length: u32) -> PResult {
    if length < 4 {
        pr!(ctx, "[bad length {}]", length);
        return Ok(());
    }
    ctx.push(" TS{");
    let flg = cp.u8_at(3)?;
    // IPOPT_TS_TSONLY (0) records 4-byte hops, the other types 8 (address + time).
    let hoplen: u32 = if flg & 0xf != 0 { 8 } else { 4 };
    if (length - 4) & (hoplen - 1) != 0 {
        pr!(ctx, "[bad length {}]", length);
    }
    let ptr = (cp.u8_at(2)? as u32).wrapping_sub(1);
    let mut len = 0u32;
    if ptr < 4 || (ptr.wrapping_sub(4) & (hoplen - 1)) != 0 || ptr > length + 1 {
        pr!(ctx, "[bad ptr {}]", cp.u8_at(2)?);
    }
    let known = match flg & 0xf {
        0 => {
            ctx.push("TSONLY");
            true
        }
        1 => {
            ctx.push("TS+ADDR");
            true
        }
        3 => {
            ctx.push("PRESPEC");
            true
        }
        t => {
            pr!(ctx, "[bad ts type {}]", t);
            false
        }
    };
    if known {
        let mut ty = " ";
        len = 4;
        while len < length {
            if ptr == len {
                ty = " ^ ";
            }
            cp.sub(len as usize, hoplen as usize)?;
            pr!(ctx, "{}{}@", ty, cp.be_u32((len + hoplen - 4) as usize)?);
            if hoplen == 8 {
                ctx.ip(cp.sub(len as usize, 4)?);
            }
            ty = " ";
            len += hoplen;
        }
    }
    if ptr == len {
        ctx.push(" ^ ");
    }
    if flg >> 4 != 0 {
        pr!(ctx, " [{} hops not recorded]}} ", flg >> 4);
    } else {
        ctx.push("}");
    }
    Ok(())
}

/// IP options (`ip_optprint`). `Ok(false)`: an `ND_TCHECK` failed (tcpdump's -1, printed as
/// ` [truncated-option]`); `Err`: a `GET_*` failed (longjmp).
fn optprint(ctx: &mut Ctx, mut cp: &[u8], mut length: u32) -> PResult<bool> {
    let mut sep = "";
    while length > 0 {
        ctx.push(sep);
        sep = ",";
        let code = cp.u8_at(0)?;
        match tok(IP_OPTION_VALUES, code as u32) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "unknown {}", code),
        }
        let option_len = if code == IPOPT_NOP || code == IPOPT_EOL {
            1
        } else {
            let l = cp.u8_at(1)? as u32;
            if l < 2 {
                pr!(ctx, " [bad length {}]", l);
                return Ok(true);
            }
            l
        };
        if option_len > length {
            pr!(ctx, " [bad length {}]", option_len);
            return Ok(true);
        }
        let Ok(opt) = cp.sub(0, option_len as usize) else {
            return Ok(false);
        };
        // printts/printroute only fail on an ND_TCHECK (tcpdump's -1).
        let complete = match code {
            IPOPT_EOL => return Ok(true),
            IPOPT_TS => printts(ctx, opt, option_len).is_ok(),
            IPOPT_RR | IPOPT_SSRR | IPOPT_LSRR => printroute(ctx, opt, option_len).is_ok(),
            IPOPT_RA => {
                if option_len < 4 {
                    pr!(ctx, " [bad length {}]", option_len);
                } else {
                    let v = opt.be_u16(2)?;
                    if v != 0 {
                        pr!(ctx, " value {}", v);
                    }
                }
                true
            }
            _ => true,
        };
        if !complete {
            return Ok(false);
        }
        cp = &cp[option_len as usize..];
        length -= option_len;
    }
    Ok(true)
}

/// The final destination of a source-routed packet (`ip_finddst`), for pseudo-header checksums.
fn finddst(ip: &[u8], hlen: usize) -> &[u8] {
    let dst = &ip[16..20];
    let Some(opts) = ip.get(IP_HDRLEN..hlen) else {
        return dst;
    };
    let mut cp = opts;
    while !cp.is_empty() {
        let tt = cp[0];
        let len = if tt == IPOPT_EOL {
            break;
        } else if tt == IPOPT_NOP {
            1
        } else {
            match cp.get(1) {
                Some(&l) if l >= 2 => l as usize,
                _ => break,
            }
        };
        if cp.len() < len {
            return dst;
        }
        if (tt == IPOPT_SSRR || tt == IPOPT_LSRR) && len >= 7 {
            return &cp[len - 4..len];
        }
        cp = &cp[len..];
    }
    dst
}

/// An IPv4 packet. `p`: captured bytes from the IP header on; `length`: on-the-wire length.
pub fn ip_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "ip";
    let vhl = p.u8_at(0)?;
    if vhl >> 4 != 4 {
        if vhl >> 4 == 6 {
            ctx.push("IP6, wrong link-layer encapsulation");
        } else {
            pr!(ctx, "IP{}", vhl >> 4);
        }
        ctx.print_invalid();
        return Ok(());
    }
    if !ctx.eflag() {
        ctx.push("IP ");
    }
    if !p.has(0, IP_HDRLEN) {
        // ND_TCHECK_SIZE: local trunc label, the link-layer header length is kept.
        ctx.print_trunc();
        return Ok(());
    }
    if (length as usize) < IP_HDRLEN {
        pr!(ctx, "truncated-ip {}", length);
        return Ok(());
    }
    let hlen = ((vhl & 0xf) as u32) * 4;
    if (hlen as usize) < IP_HDRLEN {
        pr!(ctx, "bad-hlen {}", hlen);
        return Ok(());
    }
    let mut len = p.be_u16(2)? as u32;
    if length < len {
        pr!(ctx, "truncated-ip - {} bytes missing! ", len - length);
    }
    if len < hlen {
        // tcpdump is built without GUESS_TSO.
        pr!(ctx, "bad-len {}", len);
        return Ok(());
    }
    // nd_push_snaplen: the IP total length bounds everything inside.
    let p = &p[..p.len().min(len as usize)];
    len -= hlen;
    let off = p.be_u16(6)?;
    let proto = p.u8_at(9)?;

    if ctx.vflag() > 0 {
        let tos = p.u8_at(1)?;
        pr!(ctx, "(tos 0x{:x}", tos);
        match tos & 3 {
            1 => ctx.push(",ECT(1)"),
            2 => ctx.push(",ECT(0)"),
            3 => ctx.push(",CE"),
            _ => {}
        }
        let ttl = p.u8_at(8)?;
        if ttl >= 1 {
            pr!(ctx, ", ttl {}", ttl);
        }
        pr!(
            ctx,
            ", id {}, offset {}, flags [",
            p.be_u16(4)?,
            (off & IP_OFFMASK) as u32 * 8
        );
        bittok2str(ctx.out, IP_FRAG_VALUES, "none", (off & 0xe000) as u32, ", ");
        pr!(
            ctx,
            "], proto {} ({})",
            tok(IPPROTO_VALUES, proto as u32).unwrap_or("unknown"),
            proto
        );
        pr!(ctx, ", length {}", p.be_u16(2)?);
        let mut truncated = false;
        if hlen as usize > IP_HDRLEN {
            ctx.push(", options (");
            if !optprint(
                ctx,
                p.from(IP_HDRLEN).unwrap_or(&[]),
                hlen - IP_HDRLEN as u32,
            )? {
                ctx.push(" [truncated-option]");
                truncated = true;
            }
            ctx.push(")");
        }
        if let Ok(h) = p.sub(0, hlen as usize)
            && !ctx.opts.no_checksum
        {
            let sum = in_cksum(&[h]);
            if sum != 0 {
                let ip_sum = p.be_u16(10)?;
                pr!(
                    ctx,
                    ", bad cksum {:x} (->{:x})!",
                    ip_sum,
                    in_cksum_shouldbe(ip_sum, sum)
                );
            }
        }
        ctx.push(")\n    ");
        if truncated {
            ctx.ip(p.sub(12, 4)?);
            ctx.push(" > ");
            ctx.ip(p.sub(16, 4)?);
            ctx.push(": ");
            ctx.print_trunc();
            return Ok(());
        }
    }

    let src = p.sub(12, 4)?;
    let dst = p.sub(16, 4)?;
    if off & IP_OFFMASK == 0 {
        if !matches!(
            proto,
            IPPROTO_TCP | IPPROTO_UDP | IPPROTO_SCTP | IPPROTO_DCCP
        ) {
            ctx.ip(src);
            ctx.push(" > ");
            ctx.ip(dst);
            ctx.push(": ");
        }
        if !p.has(0, hlen as usize) {
            pr!(
                ctx,
                " [remaining caplen({}) < header length({})]",
                p.len(),
                hlen
            );
            return Err(Truncated);
        }
        let iph = IpHdr {
            ver: 4,
            src,
            dst,
            cksum_dst: if hlen as usize == IP_HDRLEN {
                dst
            } else {
                finddst(p, hlen as usize)
            },
            nh: proto,
            payload_len: len,
        };
        let payload = &p[hlen as usize..];
        ip_demux_print(
            ctx,
            payload,
            len,
            &iph,
            off & IP_MF != 0,
            p.u8_at(8)?,
            proto,
        )
    } else {
        ctx.ip(src);
        ctx.push(" > ");
        ctx.ip(dst);
        pr!(ctx, ": ip-proto-{}", proto);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::{
        assert_every_truncated_packet_is_safe, print_packet, verbosities,
    };

    pub(crate) fn print(opts: PrintOptions, data: &[u8]) -> String {
        print_packet(opts, 101, data)
    }

    // 192.168.1.10 > 203.0.113.80, proto 253, DF, with NOP NOP RA(0) EOL... options.
    const OPTS: &[u8] = &[
        0x47, 0x00, 0x00, 0x20, 0x12, 0x34, 0x40, 0x00, 0x40, 0xfd, 0x00, 0x00, 192, 168, 1, 10,
        203, 0, 113, 80, 0x01, 0x94, 0x04, 0x00, 0x01, 0x01, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef,
    ];

    #[test]
    fn plain_and_verbose() {
        assert_eq!(
            print(PrintOptions::default(), OPTS),
            "IP 192.168.1.10 > 203.0.113.80:  ip-proto-253 4\n"
        );
        let mut d = OPTS.to_vec();
        let sum = crate::proto::in_cksum(&[&d[..28]]);
        d[10..12].copy_from_slice(&sum.to_be_bytes());
        assert_eq!(
            print(
                PrintOptions {
                    verbose: 1,
                    ..Default::default()
                },
                &d
            ),
            "IP (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto unknown (253), length 32, \
             options (NOP,RA value 1,NOP,NOP,EOL))\n    192.168.1.10 > 203.0.113.80:  ip-proto-253 4\n"
        );
        d[10] ^= 1;
        assert!(
            print(
                PrintOptions {
                    verbose: 1,
                    ..Default::default()
                },
                &d
            )
            .contains(", bad cksum ")
        );
    }

    /// Fuzzer find: a record-route pointer of 0 made `ptr + 1` overflow.
    #[test]
    fn route_option_with_zero_pointer() {
        let d = [
            0x48, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x01, 0x6e, 0xc6, 0xc0, 0xa8,
            0x01, 0x55, 0xcb, 0x00, 0x84, 0x50, 0x07, 0x0b, 0x00, 0x40, 0x01, 0x6e, 0xc6, 0xc0,
            0xa8, 0x01, 0x55, 0xcb, 0x00, 0x84, 0x50, 0x07, 0x0b, 0xe9, 0x00, 0x00,
        ];
        let out = print(
            PrintOptions {
                verbose: 1,
                ..Default::default()
            },
            &d,
        );
        // tcpdump 4.99.3 prints the same.
        assert!(
            out.contains(
                "options (RR [bad ptr 0] 64.1.110.198, 192.168.1.85,,unknown 203 [bad length 0]), \
                 bad cksum 6ec6 (->993f)!)"
            ),
            "{out}"
        );
    }

    /// Differential-fuzzing find: Ethernet over IP (143) is an IPv6-only next header.
    #[test]
    fn ethernet_over_ipv4_is_invalid() {
        let mut d = OPTS[..20].to_vec();
        d[0] = 0x45;
        d[3] = 20;
        d[9] = 143;
        assert_eq!(
            print(PrintOptions::default(), &d),
            "IP 192.168.1.10 > 203.0.113.80: [Ethernet requires IPv6] (invalid)\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncated_packet_is_safe(101, OPTS, &verbosities(2));
    }
}
