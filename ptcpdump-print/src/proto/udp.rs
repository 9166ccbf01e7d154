//! User Datagram Protocol (RFC 768); tcpdump's print-udp.c. Payload printers are chosen by port
//! in [`super::udp_port_print`].

use super::{Ctx, IPPROTO_UDP, IpHdr, in_cksum_shouldbe, nextproto_cksum, pr};
use super::{nfs, udp_packettype_print, udp_port_print};
use crate::cursor::{Bytes, PResult};

const UDP_HDRLEN: u32 = 8;

/// `udpipaddr_print`: `src.sport > dst.dport: ` (only ports when UDP is not the IP header's own
/// protocol, e.g. after IPv6 extension headers; only addresses when the ports are unknown).
pub(crate) fn ipaddr_print(ctx: &mut Ctx, ip: &IpHdr, ports: Option<(u16, u16)>) {
    if ip.nh == IPPROTO_UDP {
        match ports {
            None => {
                ctx.ip(ip.src);
                ctx.push(" > ");
                ctx.ip(ip.dst);
                ctx.push(": ");
            }
            Some((s, d)) => {
                ctx.ip(ip.src);
                pr!(ctx, ".{} > ", s);
                ctx.ip(ip.dst);
                pr!(ctx, ".{}: ", d);
            }
        }
    } else if let Some((s, d)) = ports {
        pr!(ctx, "{} > {}: ", s, d);
    }
}

/// A UDP datagram. `p`: captured bytes from the UDP header on; `length`: its length.
/// `ttl_hl`: the IP TTL or hop limit (for what ESP over UDP carries).
pub fn udp_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
    fragmented: bool,
    ttl_hl: u8,
) -> PResult {
    ctx.protocol = "udp";
    if !p.has(2, 2) {
        ipaddr_print(ctx, ip, None);
        ctx.print_trunc();
        return Ok(());
    }
    let sport = p.be_u16(0)?;
    let dport = p.be_u16(2)?;
    if length < UDP_HDRLEN {
        ipaddr_print(ctx, ip, Some((sport, dport)));
        pr!(ctx, "truncated-udp {}", length);
        return Ok(());
    }
    if !p.has(4, 2) {
        ipaddr_print(ctx, ip, Some((sport, dport)));
        ctx.print_trunc();
        return Ok(());
    }
    let mut ulen = p.be_u16(4)? as u32;
    if ulen == 0 && length > 65535 {
        ulen = length;
    }
    if ulen < UDP_HDRLEN {
        ipaddr_print(ctx, ip, Some((sport, dport)));
        pr!(ctx, "truncated-udplength {}", ulen);
        return Ok(());
    }
    ulen -= UDP_HDRLEN;
    let mut length = length - UDP_HDRLEN;
    if ulen < length {
        length = ulen;
    }
    if p.len() < UDP_HDRLEN as usize {
        ipaddr_print(ctx, ip, Some((sport, dport)));
        ctx.print_trunc();
        return Ok(());
    }
    let cp = &p[UDP_HDRLEN as usize..];
    if let Some(pt) = ctx.opts.packet_type
        && udp_packettype_print(ctx, pt, sport, dport, cp, length, ip)?
    {
        return Ok(());
    }
    ipaddr_print(ctx, ip, Some((sport, dport)));
    if !ctx.qflag() && nfs::udp_nfs_print(ctx, sport, dport, cp, length, ip)? {
        return Ok(());
    }

    if ctx.vflag() > 0 && !ctx.opts.no_checksum && !fragmented {
        let seg_ok = cp.has(0, length as usize);
        if ip.ver == 4 && ctx.vflag() > 1 {
            let udp_sum = p.be_u16(6)?;
            if udp_sum == 0 {
                ctx.push("[no cksum] ");
            } else if seg_ok {
                cksum_print(ctx, ip, p, length, udp_sum);
            }
        } else if ip.ver == 6 && seg_ok {
            cksum_print(ctx, ip, p, length, p.be_u16(6)?);
        }
    }

    if !ctx.qflag() && udp_port_print(ctx, sport, dport, cp, length, ip, fragmented, ttl_hl)? {
        return Ok(());
    }
    if ulen > length && !fragmented {
        pr!(ctx, "UDP, bad length {} > {}", ulen, length);
    } else {
        pr!(ctx, "UDP, length {}", ulen);
    }
    Ok(())
}

/// Verifies the checksum `udp_sum` of the datagram in `p` (header and `length` bytes of
/// payload, all captured): `[bad udp cksum ...]` or `[udp sum ok]`.
fn cksum_print(ctx: &mut Ctx, ip: &IpHdr, p: &[u8], length: u32, udp_sum: u16) {
    let sum = nextproto_cksum(
        ip,
        &p[..(length + UDP_HDRLEN) as usize],
        length + UDP_HDRLEN,
        IPPROTO_UDP,
    );
    if sum != 0 {
        pr!(
            ctx,
            "[bad udp cksum 0x{:04x} -> 0x{:04x}!] ",
            udp_sum,
            in_cksum_shouldbe(udp_sum, sum)
        );
    } else {
        ctx.push("[udp sum ok] ");
    }
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::print_packets;

    fn pkt(udp: &[u8], ip_len_extra: usize) -> Vec<u8> {
        let total = 20 + udp.len() + ip_len_extra;
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
            17,
            0,
            0,
        ];
        d.extend_from_slice(&[192, 168, 1, 10, 203, 0, 113, 80]);
        d.extend_from_slice(udp);
        d
    }

    fn print(opts: PrintOptions, d: &[u8], len: u32) -> String {
        print_packets(opts, 101, [(d, len)])
    }

    const UDP: &[u8] = &[0x04, 0x57, 0x08, 0xae, 0, 10, 0, 0, 0xab, 0xcd];

    #[test]
    fn plain_and_bad_length() {
        let d = pkt(UDP, 0);
        assert_eq!(
            print(PrintOptions::default(), &d, 30),
            "IP 192.168.1.10.1111 > 203.0.113.80.2222: UDP, length 2\n"
        );
        assert_eq!(
            print(
                PrintOptions {
                    verbose: 2,
                    ..Default::default()
                },
                &d,
                30
            )
            .lines()
            .nth(1)
            .unwrap(),
            "    192.168.1.10.1111 > 203.0.113.80.2222: [no cksum] UDP, length 2"
        );
        let mut u = UDP.to_vec();
        u[5] = 11;
        assert_eq!(
            print(PrintOptions::default(), &pkt(&u, 0), 30),
            "IP 192.168.1.10.1111 > 203.0.113.80.2222: UDP, bad length 3 > 2\n"
        );
    }

    #[test]
    fn packet_type_forces_the_printer_whatever_the_ports() {
        use crate::PacketType;
        // Ports 1111 > 2222 carrying a TFTP read request for "f" in octet mode.
        let mut u = vec![0x04, 0x57, 0x08, 0xae, 0, 18, 0, 0, 0, 1, b'f', 0];
        u.extend_from_slice(b"octet\0");
        let d = pkt(&u, 0);
        let with = |t: Option<PacketType>, quiet: bool| {
            print(
                PrintOptions {
                    packet_type: t,
                    quiet,
                    ..Default::default()
                },
                &d,
                d.len() as u32,
            )
        };
        assert_eq!(
            with(None, false),
            "IP 192.168.1.10.1111 > 203.0.113.80.2222: UDP, length 10\n"
        );
        let tftp = "IP 192.168.1.10.1111 > 203.0.113.80.2222: TFTP, length 10, RRQ \"f\" octet\n";
        assert_eq!(with(Some(PacketType::Tftp), false), tftp);
        // -q does not stop a forced printer, as in tcpdump.
        assert_eq!(with(Some(PacketType::Tftp), true), tftp);
        // tcpdump has no UDP printer for CARP: nothing follows "IP ".
        assert_eq!(with(Some(PacketType::Carp), false), "IP \n");
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = pkt(UDP, 0);
        for n in 0..=d.len() {
            for v in 0..3 {
                let _ = print(
                    PrintOptions {
                        verbose: v,
                        ..Default::default()
                    },
                    &d[..n],
                    30,
                );
            }
        }
        assert_eq!(
            print(PrintOptions::default(), &d[..22], 30),
            "IP 192.168.1.10 > 203.0.113.80:  [|udp]\n"
        );
    }
}
