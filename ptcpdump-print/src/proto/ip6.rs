//! Internet Protocol version 6 (RFC 8200); tcpdump's print-ip6.c.
//!
//! Extension headers are printed by `ip6opts.rs` (Hop-by-Hop, Destination Options),
//! `rt6.rs` (Routing) and `frag6.rs` (Fragment).

use super::{Ctx, IPPROTO_DCCP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_VALUES, IpHdr};
use super::{IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_ROUTING};
use super::{frag6, ip_demux_print, ip6opts, pr, rt6, tok};
use crate::cursor::{Bytes, PResult};

const IP6_HDRLEN: usize = 40;

/// An IPv6 packet. `p`: captured bytes from the IPv6 header on; `length`: on-the-wire length.
pub fn ip6_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "ip6";
    if !p.has(0, IP6_HDRLEN) {
        // ND_TCHECK_SIZE: local trunc label, the link-layer header length is kept.
        ctx.print_trunc();
        return Ok(());
    }
    if (length as usize) < IP6_HDRLEN {
        pr!(ctx, "truncated-ip6 {}", length);
        return Ok(());
    }
    if !ctx.eflag() {
        ctx.push("IP6 ");
    }
    let ver = p.u8_at(0)? >> 4;
    if ver != 6 {
        pr!(ctx, "version error: {} != 6", ver);
        return Ok(());
    }
    let mut payload_len = p.be_u16(4)? as u32;
    let mut len = if payload_len != 0 {
        let l = payload_len + IP6_HDRLEN as u32;
        if length < l {
            pr!(ctx, "truncated-ip6 - {} bytes missing!", l - length);
        }
        l
    } else {
        length + IP6_HDRLEN as u32
    };
    let mut ph: u8 = 255;
    let mut nh = p.u8_at(6)?;
    let hlim = p.u8_at(7)?;
    if ctx.vflag() > 0 {
        let flow = p.be_u32(0)?;
        ctx.push("(");
        if flow & 0x0ff0_0000 != 0 {
            pr!(ctx, "class 0x{:02x}, ", (flow & 0x0ff0_0000) >> 20);
        }
        if flow & 0x000f_ffff != 0 {
            pr!(ctx, "flowlabel 0x{:05x}, ", flow & 0x000f_ffff);
        }
        pr!(
            ctx,
            "hlim {}, next-header {} ({}) payload length: {}) ",
            hlim,
            tok(IPPROTO_VALUES, nh as u32).unwrap_or("unknown"),
            nh,
            payload_len
        );
    }
    // nd_push_snaplen
    let p = &p[..p.len().min(len as usize)];
    let src = &p[8..24];
    let dst = &p[24..40];
    let ip = IpHdr {
        ver: 6,
        src,
        dst,
        cksum_dst: if matches!(
            nh,
            IPPROTO_HOPOPTS | IPPROTO_DSTOPTS | IPPROTO_FRAGMENT | IPPROTO_ROUTING | 135 | 62
        ) {
            rt6::ip6_finddst(p)
        } else {
            dst
        },
        nh,
        payload_len,
    };

    let mut off = 0usize;
    let mut advance = IP6_HDRLEN as i64;
    let mut total_advance = 0u32;
    let mut fragmented = false;
    let mut found_extension_header = false;
    let mut found_jumbo = false;
    let mut found_hbh = false;
    // tcpdump loops while the next header starts inside the capture.
    while off < p.len() && advance > 0 {
        if (len as i64) < advance {
            ctx.print_trunc();
            return Ok(());
        }
        off += advance as usize;
        len -= advance as u32;
        total_advance += advance as u32;
        if off == IP6_HDRLEN
            && !matches!(nh, IPPROTO_TCP | IPPROTO_UDP | IPPROTO_DCCP | IPPROTO_SCTP)
        {
            ctx.ip(src);
            ctx.push(" > ");
            ctx.ip(dst);
            ctx.push(": ");
        }
        let cp = p.from(off).unwrap_or(&[]);
        match nh {
            IPPROTO_HOPOPTS => {
                if found_hbh {
                    ctx.push("[The Hop-by-Hop Options header was already found]");
                    ctx.print_invalid();
                    return Ok(());
                }
                if ph != 255 {
                    ctx.push("[The Hop-by-Hop Options header don't follow the IPv6 header]");
                    ctx.print_invalid();
                    return Ok(());
                }
                advance =
                    ip6opts::hbhopt_process(ctx, cp, &mut found_jumbo, &mut payload_len)? as i64;
                if payload_len == 0 && !found_jumbo {
                    ctx.push("[No valid Jumbo Payload Hop-by-Hop option found]");
                    ctx.print_invalid();
                    return Ok(());
                }
                if advance < 0 {
                    return Ok(());
                }
                found_extension_header = true;
                found_hbh = true;
                nh = cp.u8_at(0)?;
            }
            IPPROTO_DSTOPTS => {
                advance = ip6opts::dstopt_process(ctx, cp)? as i64;
                if advance < 0 {
                    return Ok(());
                }
                found_extension_header = true;
                nh = cp.u8_at(0)?;
            }
            IPPROTO_FRAGMENT => {
                advance = frag6::frag6_print(ctx, cp, p, off)? as i64;
                if advance < 0 || p.len() <= off + advance as usize {
                    return Ok(());
                }
                found_extension_header = true;
                nh = cp.u8_at(0)?;
                fragmented = true;
            }
            super::IPPROTO_MOBILITY | 62 => {
                return super::mobility::mobility_print(ctx, cp).map(|_| ());
            }
            IPPROTO_ROUTING => {
                if cp.is_empty() {
                    ctx.print_trunc();
                    return Ok(());
                }
                advance = rt6::rt6_print(ctx, cp, p)? as i64;
                if advance < 0 {
                    return Ok(());
                }
                found_extension_header = true;
                nh = cp.u8_at(0)?;
            }
            _ => {
                let mut p_end = p.len();
                if found_jumbo {
                    len = payload_len + IP6_HDRLEN as u32;
                    if len < total_advance {
                        ctx.print_trunc();
                        return Ok(());
                    }
                    if length < len {
                        pr!(ctx, "truncated-ip6 - {} bytes missing!", len - length);
                    }
                    // nd_change_snaplen
                    p_end = (len as usize).min(p_end);
                    len -= total_advance;
                } else if payload_len == 0 {
                    if found_extension_header {
                        ctx.print_trunc();
                        return Ok(());
                    }
                    len = IP6_HDRLEN as u32;
                    p_end = p_end.min(IP6_HDRLEN);
                    len -= total_advance;
                }
                let payload = p.get(off..p_end).unwrap_or(&[]);
                return ip_demux_print(ctx, payload, len, &ip, fragmented, hlim, nh);
            }
        }
        ph = nh;
        ctx.protocol = "ip6";
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::{
        assert_every_truncated_packet_is_safe, print_packet, verbosities,
    };

    fn print(opts: PrintOptions, data: &[u8]) -> String {
        print_packet(opts, 229, data)
    }

    fn pkt(nh: u8, payload: &[u8]) -> Vec<u8> {
        let mut d = vec![0x60, 0, 0, 1, 0, payload.len() as u8, nh, 64];
        d.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        d.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        d.extend_from_slice(payload);
        d
    }

    #[test]
    fn unknown_next_header() {
        let d = pkt(253, &[1, 2, 3]);
        assert_eq!(
            print(PrintOptions::default(), &d),
            "IP6 2001:db8::1 > 2001:db8::2:  ip-proto-253 3\n"
        );
        assert_eq!(
            print(
                PrintOptions {
                    verbose: 1,
                    ..Default::default()
                },
                &d
            ),
            "IP6 (flowlabel 0x00001, hlim 64, next-header unknown (253) payload length: 3) \
             2001:db8::1 > 2001:db8::2:  ip-proto-253 3\n"
        );
        assert_eq!(
            print(PrintOptions::default(), &pkt(59, &[])),
            "IP6 2001:db8::1 > 2001:db8::2: no next header\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = pkt(44, &[253, 0, 0, 0, 0, 0, 0, 1, 9, 9]);
        assert_every_truncated_packet_is_safe(229, &d, &verbosities(1));
    }
}
