//! Classical IP over ATM (RFC 2225), LINKTYPE_ATM_CLIP (106, Linux's DLT 19): an IPv4 packet,
//! or one behind an RFC 1483 LLC/SNAP header (`AA AA 03 00 00 00`, then the Ethernet type);
//! tcpdump's print-cip.c.

use super::{Ctx, ip, llc, pr};
use crate::cursor::{Bytes, PResult};

/// The LLC/SNAP header of routed non-ISO PDUs (RFC 1483 section 4.1) up to the Ethernet type.
const RFC_LLC: [u8; 6] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00];

/// LINKTYPE_ATM_CLIP. Returns the LLC header length (0 for bare IP).
pub fn cip_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "cip";
    if ctx.eflag() {
        // There is no MAC header: only the length.
        pr!(ctx, "{}: ", len);
    }
    // Even bare IP needs as many bytes as the LLC header would take before tcpdump decides.
    if p.sub(0, RFC_LLC.len())? == RFC_LLC {
        let n = llc::llc_or_default_print(ctx, p, len, p.len() as u32, None)?;
        Ok(n.unsigned_abs())
    } else {
        ip::ip_print(ctx, p, len)?;
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    const IP_UDP: [u8; 28] = [
        0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2, 0x30, 0x39, 0x00,
        0x35, 0, 8, 0, 0,
    ];

    #[test]
    fn bare_ip_and_llc_snap() {
        // As Debian's tcpdump 4.99.3 prints them.
        let udp = "198.18.0.1.12345 > 198.18.0.2.53: domain [length 0 < 12] (invalid)\n";
        let mut snap = vec![0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00];
        snap.extend_from_slice(&IP_UDP);
        assert_eq!(
            print_packet(opts(0, false), 106, &IP_UDP),
            format!("IP {udp}")
        );
        assert_eq!(
            print_packet(opts(0, false), 106, &snap),
            format!("IP {udp}")
        );
        assert_eq!(
            print_packet(opts(0, true), 106, &IP_UDP),
            format!("28: {udp}")
        );
        assert_eq!(
            print_packet(opts(0, true), 106, &snap),
            format!(
                "36: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: \
                 oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 28: {udp}"
            )
        );
    }

    #[test]
    fn shorter_than_the_llc_header() {
        assert_eq!(print_packet(opts(0, false), 106, &[0x30]), " [|cip]\n");
        assert_eq!(print_packet(opts(1, false), 106, &IP_UDP[..5]), " [|cip]\n");
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut snap = vec![0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00];
        snap.extend_from_slice(&IP_UDP);
        for o in [opts(0, false), opts(2, true)] {
            assert_every_truncated_packet_is_safe(106, &snap, std::slice::from_ref(&o));
            assert_every_truncated_packet_is_safe(106, &IP_UDP, std::slice::from_ref(&o));
        }
    }
}
