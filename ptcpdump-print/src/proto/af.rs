//! Address family numbers (IANA "Address Family Numbers", RFC 1700) and the length-prefixed
//! IPv4/IPv6 prefixes of RFC 4271 section 4.3 that BGP, LDP and LSP ping share; tcpdump's af.c
//! and the `decode_prefix4`/`decode_prefix6` helpers of its print-bgp.c.

use crate::addr::Ip;
use crate::cursor::{Bytes, PResult};

pub const AFNUM_INET: u16 = 1;
pub const AFNUM_INET6: u16 = 2;

/// tcpdump's `af_values`.
pub const AF_VALUES: &[(u32, &str)] = &[
    (0, "Reserved"),
    (1, "IPv4"),
    (2, "IPv6"),
    (3, "NSAP"),
    (4, "HDLC"),
    (5, "BBN 1822"),
    (6, "802"),
    (7, "E.163"),
    (8, "E.164"),
    (9, "F.69"),
    (10, "X.121"),
    (11, "Novell IPX"),
    (12, "Appletalk"),
    (13, "Decnet IV"),
    (14, "Banyan Vines"),
    (15, "E.164 with NSAP subaddress"),
    (196, "Layer-2 VPN"),
    (25, "VPLS"),
];

/// Why a length-prefixed prefix could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefixError {
    /// The length octet is larger than the address (tcpdump's -1).
    BadLength,
    /// The item is shorter than the prefix it announces (tcpdump's -2).
    ShortItem,
}

/// A prefix as a length octet (bits) and that many bits of address, the unused bits of the
/// last octet cleared, within `itemlen` octets at the start of `p`. Returns `a.b.c.d/n` (or the
/// IPv6 form) and the octets used; `Err` only when a needed octet was not captured.
pub fn decode_prefix(
    p: &[u8],
    itemlen: u32,
    v6: bool,
) -> PResult<Result<(String, u32), PrefixError>> {
    let max = if v6 { 128 } else { 32 };
    if itemlen < 1 {
        return Ok(Err(PrefixError::ShortItem));
    }
    let plen = p.u8_at(0)? as u32;
    if plen > max {
        return Ok(Err(PrefixError::BadLength));
    }
    let bytes = plen.div_ceil(8);
    if itemlen - 1 < bytes {
        return Ok(Err(PrefixError::ShortItem));
    }
    let mut addr = [0u8; 16];
    addr[..bytes as usize].copy_from_slice(p.sub(1, bytes as usize)?);
    if !plen.is_multiple_of(8) {
        addr[bytes as usize - 1] &= (0xff00u32 >> (plen % 8)) as u8;
    }
    let a = if v6 { &addr[..] } else { &addr[..4] };
    Ok(Ok((format!("{}/{}", Ip(a), plen), 1 + bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(
            decode_prefix(&[20, 10, 1, 0xff], 4, false),
            Ok(Ok(("10.1.240.0/20".into(), 4)))
        );
        assert_eq!(
            decode_prefix(&[0], 1, false),
            Ok(Ok(("0.0.0.0/0".into(), 1)))
        );
        assert_eq!(
            decode_prefix(&[33], 5, false),
            Ok(Err(PrefixError::BadLength))
        );
        assert_eq!(
            decode_prefix(&[24, 10, 1], 3, false),
            Ok(Err(PrefixError::ShortItem))
        );
        assert!(decode_prefix(&[24, 10, 1], 4, false).is_err());
        assert_eq!(
            decode_prefix(&[64, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 1], 9, true),
            Ok(Ok(("2001:db8:0:1::/64".into(), 9)))
        );
    }
}
