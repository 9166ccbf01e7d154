//! ARCNET link layers LINKTYPE_ARCNET_BSD (7) and LINKTYPE_ARCNET_LINUX (129)
//! (<https://www.tcpdump.org/linktypes/LINKTYPE_ARCNET_LINUX.html>), with the RFC 1201 packet
//! header split (flag, sequence id) and the RFC 1051 old-style types; tcpdump's print-arcnet.c.

use super::{Ctx, arp, atalk, ip, ip6, ipx, pr, tok};
use crate::cursor::{Bytes, PResult};

const ARC_HDRLEN: usize = 3;
const ARC_HDRNEWLEN: usize = 6;
const ARC_HDRNEWLEN_EXC: usize = 10;
const ARC_LINUX_HDRLEN: usize = 5;
const ARC_LINUX_HDRNEWLEN: usize = 8;

const ARCTYPE_IP_OLD: u8 = 240;
const ARCTYPE_ARP_OLD: u8 = 241;
const ARCTYPE_IP: u8 = 212;
const ARCTYPE_ARP: u8 = 213;
const ARCTYPE_REVARP: u8 = 214;
const ARCTYPE_ATALK: u8 = 221;
const ARCTYPE_IPX: u8 = 250;
const ARCTYPE_INET6: u8 = 0xc4;
const ARCTYPE_DIAGNOSE: u8 = 0x80;

const ARCTYPE_VALUES: &[(u32, &str)] = &[
    (240, "oldip"),
    (241, "oldarp"),
    (212, "ip"),
    (213, "arp"),
    (214, "rarp"),
    (221, "atalk"),
    (247, "banyan"),
    (250, "ipx"),
    (0xc4, "ipv6"),
    (0x80, "diag"),
];

/// Types with the short RFC 1051 header (no split flag and sequence id).
fn old_style(t: u8) -> bool {
    matches!(t, ARCTYPE_IP_OLD | ARCTYPE_ARP_OLD | ARCTYPE_DIAGNOSE)
}

/// The `-e` header line. `split`: (flag, seqid) when the header has them.
fn header_print(ctx: &mut Ctx, p: &[u8], length: u32, split: Option<(u8, u16)>) -> PResult {
    let (src, dst) = (p.u8_at(0)?, p.u8_at(1)?);
    if ctx.qflag() {
        pr!(ctx, "{:02x} {:02x} {}: ", src, dst, length);
        return Ok(());
    }
    // The BSD layout has the type third; this is only called with it there or on Linux
    // headers rewritten to the same place by the caller.
    let t = p.u8_at(2)?;
    let mut name = String::new();
    match tok(ARCTYPE_VALUES, t as u32) {
        Some(n) => name.push_str(n),
        None => {
            let _ = std::fmt::Write::write_fmt(&mut name, format_args!("{t:02x}"));
        }
    }
    match split {
        None => pr!(ctx, "{:02x} {:02x} {} {}: ", src, dst, name, length),
        Some((0, seqid)) => pr!(
            ctx,
            "{:02x} {:02x} {} seqid {:04x} {}: ",
            src,
            dst,
            name,
            seqid,
            length
        ),
        Some((flag, seqid)) if flag & 1 != 0 => pr!(
            ctx,
            "{:02x} {:02x} {} seqid {:04x} (first of {} fragments) {}: ",
            src,
            dst,
            name,
            seqid,
            (flag as u32 + 3) / 2,
            length
        ),
        Some((flag, seqid)) => pr!(
            ctx,
            "{:02x} {:02x} {} seqid {:04x} (fragment {}) {}: ",
            src,
            dst,
            name,
            seqid,
            flag / 2 + 1,
            length
        ),
    }
    Ok(())
}

/// The payload by ARCNET system code; `false` for an unknown one.
fn encap_print(ctx: &mut Ctx, t: u8, p: &[u8], length: u32) -> PResult<bool> {
    match t {
        ARCTYPE_IP_OLD | ARCTYPE_IP => ip::ip_print(ctx, p, length)?,
        ARCTYPE_INET6 => ip6::ip6_print(ctx, p, length)?,
        ARCTYPE_ARP_OLD | ARCTYPE_ARP | ARCTYPE_REVARP => arp::arp_print(ctx, p, length)?,
        ARCTYPE_ATALK => {
            if ctx.vflag() > 0 {
                ctx.push("et1 ");
            }
            atalk::atalk_print(ctx, p, length)?
        }
        ARCTYPE_IPX => ipx::ipx_print(ctx, p, length)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// LINKTYPE_ARCNET_BSD: source, destination, type, then (RFC 1201) flag and sequence id, or
/// for exception packets (flag 0xff) the type, flag and sequence id again.
pub fn arcnet_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "arcnet";
    let t = p.u8_at(2)?;
    let mut split = None;
    let mut hdrlen = ARC_HDRLEN;
    if !old_style(t) {
        if p.len() < ARC_HDRNEWLEN {
            header_print(ctx, p, len, None)?;
            ctx.push(" phds");
            return Err(crate::cursor::Truncated);
        }
        let mut flag = p.u8_at(3)?;
        let seqid;
        if flag == 0xff {
            if p.len() < ARC_HDRNEWLEN_EXC {
                header_print(ctx, p, len, None)?;
                ctx.push(" phds extended");
                return Err(crate::cursor::Truncated);
            }
            flag = p.u8_at(7)?;
            seqid = p.be_u16(8)?;
            hdrlen = ARC_HDRNEWLEN_EXC;
        } else {
            seqid = p.be_u16(4)?;
            hdrlen = ARC_HDRNEWLEN;
        }
        split = Some((flag, seqid));
    }
    if ctx.eflag() {
        header_print(ctx, p, len, split)?;
    }
    // A middle or last fragment: nothing to decode.
    if let Some((flag, _)) = split
        && flag != 0
        && flag & 1 == 0
    {
        return Ok(hdrlen as u32);
    }
    let rest = &p[hdrlen..];
    if !encap_print(ctx, t, rest, len.wrapping_sub(hdrlen as u32))? {
        ctx.default_print(rest, rest.len() as u32)?;
    }
    Ok(hdrlen as u32)
}

/// LINKTYPE_ARCNET_LINUX: source, destination, a 2-byte offset, type, then (RFC 1201) flag
/// and sequence id; Linux hands over reassembled packets only.
pub fn arcnet_linux_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "arcnet_linux";
    p.sub(0, ARC_LINUX_HDRLEN)?;
    let t = p.u8_at(4)?;
    let hdrlen = if old_style(t) {
        ARC_LINUX_HDRLEN
    } else {
        p.sub(0, ARC_LINUX_HDRNEWLEN)?;
        ARC_LINUX_HDRNEWLEN
    };
    if ctx.eflag() {
        // tcpdump prints the Linux header with the BSD layout: its third byte (the first of
        // the offset) shows as the type.
        header_print(ctx, p, len, None)?;
    }
    let rest = &p[hdrlen..];
    if !encap_print(ctx, t, rest, len.wrapping_sub(hdrlen as u32))? {
        ctx.default_print(rest, rest.len() as u32)?;
    }
    Ok(hdrlen as u32)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    #[test]
    fn linux_atalk_and_unknown() {
        // Linux header (src 1, dst 2, offset 0, type atalk, flag 0, seqid 0) and a short DDP.
        let d = [1, 2, 0, 0, 221, 0, 0, 0, 0, 0, 0];
        assert_eq!(print_packet(opts(1, false), 129, &d), "et1 AT  [|ddp 3]\n");
        let u = [1, 2, 0, 0, 0x99, 0, 0, 0, 0xab];
        assert_eq!(
            print_packet(opts(0, true), 129, &u),
            "01 02 00 9: \n\t0x0000:  ab                                       .\n"
        );
    }

    #[test]
    fn bsd_fragments() {
        let d = [1, 2, 212, 3, 0, 7, 0x45];
        assert_eq!(
            print_packet(opts(0, true), 7, &d),
            "01 02 ip seqid 0007 (first of 3 fragments) 7:  [|ip]\n"
        );
        let mid = [1, 2, 212, 2, 0, 7, 0x45];
        assert_eq!(
            print_packet(opts(0, true), 7, &mid),
            "01 02 ip seqid 0007 (fragment 2) 7: \n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = [
            1, 2, 0, 0, 221, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0,
        ];
        for lt in [7, 129] {
            assert_every_truncated_packet_is_safe(lt, &d, &[opts(0, false), opts(1, true)]);
        }
    }
}
