//! IPv6 Routing header (RFC 8200 section 4.4; type 0 deprecated by RFC 5095, type 2 from
//! RFC 6275, type 4 Segment Routing Header from RFC 8754); tcpdump's print-rt6.c.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const IPV6_RTHDR_TYPE_0: u8 = 0;
const IPV6_RTHDR_TYPE_2: u8 = 2;
const IPV6_RTHDR_TYPE_4: u8 = 4;

/// Prints the routing header at `bp` inside the IPv6 packet `ip6`. Returns its length, or < 0.
pub fn rt6_print(ctx: &mut Ctx, bp: &[u8], ip6: &[u8]) -> PResult<i32> {
    let _ = ip6;
    ctx.protocol = "rt6";
    ctx.push("RT6");
    let len = bp.u8_at(1)?;
    pr!(ctx, " (len={}", len);
    let typ = bp.u8_at(2)?;
    pr!(ctx, ", type={}", typ);
    if typ == IPV6_RTHDR_TYPE_0 {
        ctx.push(" [Deprecated]");
    }
    pr!(ctx, ", segleft={}", bp.u8_at(3)?);
    match typ {
        IPV6_RTHDR_TYPE_0 | IPV6_RTHDR_TYPE_2 => {
            let rsv = bp.be_u32(4)?;
            if rsv != 0 || ctx.vflag() > 0 {
                pr!(ctx, ", rsv=0x{:x}", rsv);
            }
        }
        IPV6_RTHDR_TYPE_4 => {
            pr!(ctx, ", last-entry={}", bp.u8_at(4)?);
            let flags = bp.u8_at(5)?;
            if flags != 0 || ctx.vflag() > 0 {
                pr!(ctx, ", flags=0x{:x}", flags);
            }
            pr!(ctx, ", tag={:x}", bp.be_u16(6)?);
        }
        _ => {
            ctx.push(" (unknown type)");
            ctx.print_invalid();
            return Ok(-1);
        }
    }
    if len % 2 == 1 {
        pr!(ctx, " (invalid length {})", len);
        ctx.print_invalid();
        return Ok(-1);
    }
    for i in 0..usize::from(len >> 1) {
        // The address is read before anything of this entry is printed (one ND_PRINT).
        let a = bp.sub(8 + 16 * i, 16)?;
        pr!(ctx, ", [{}]", i);
        ctx.ip(a);
    }
    ctx.push(") ");
    Ok((i32::from(len) + 1) << 3)
}

/// The destination used in upper-layer checksums: the final address of a routing header if
/// there is one (`ip6_finddst`), else the header's destination. `ip6`: the IPv6 packet.
pub fn ip6_finddst(ip6: &[u8]) -> &[u8] {
    let fixed = &ip6[24..40];
    let Ok(mut nh) = ip6.u8_at(6) else {
        return fixed;
    };
    let mut cp = 0usize;
    let mut advance = 40usize;
    while cp < ip6.len() {
        cp += advance;
        match nh {
            // Hop-by-Hop, Destination, Mobility (old and new).
            0 | 60 | 62 | 135 => {
                let (Ok(n), Ok(l)) = (ip6.u8_at(cp), ip6.u8_at(cp + 1)) else {
                    return fixed;
                };
                advance = (usize::from(l) + 1) << 3;
                nh = n;
            }
            44 => {
                let Ok(n) = ip6.u8_at(cp) else {
                    return fixed;
                };
                advance = 8;
                nh = n;
            }
            43 => {
                let Ok(hdr) = ip6.sub(cp, 4) else {
                    return fixed;
                };
                let len = usize::from(hdr[1]);
                return match hdr[2] {
                    IPV6_RTHDR_TYPE_0 | IPV6_RTHDR_TYPE_2 if len % 2 == 0 => {
                        // The last address captured wins, as tcpdump stops at truncation.
                        let mut dst = fixed;
                        for i in 0..len / 2 {
                            match ip6.sub(cp + 8 + 16 * i, 16) {
                                Ok(a) => dst = a,
                                Err(_) => break,
                            }
                        }
                        dst
                    }
                    IPV6_RTHDR_TYPE_4 if len % 2 == 0 => ip6.sub(cp + 8, 16).unwrap_or(fixed),
                    _ => fixed,
                };
            }
            _ => return fixed,
        }
    }
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(v: u8, rh: &[u8]) -> (String, PResult<i32>) {
        run_with(&opts(v, false), |ctx| rt6_print(ctx, rh, &[]))
    }

    fn addr(last: u8) -> [u8; 16] {
        [
            0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, last,
        ]
    }

    /// A type 0 header with two addresses, or an SRH (type 4) with two segments.
    fn header(typ: u8) -> Vec<u8> {
        let mut h = vec![17, 4, typ, 1, 0, 0, 0, 0];
        if typ == 4 {
            h[4] = 1; // last entry
        }
        h.extend_from_slice(&addr(1));
        h.extend_from_slice(&addr(2));
        h
    }

    #[test]
    fn type0_and_srh() {
        assert_eq!(
            run(0, &header(0)),
            (
                "RT6 (len=4, type=0 [Deprecated], segleft=1, [0]2001:db8:2::1, [1]2001:db8:2::2) "
                    .into(),
                Ok(40)
            )
        );
        assert_eq!(
            run(1, &header(4)).0,
            "RT6 (len=4, type=4, segleft=1, last-entry=1, flags=0x0, tag=0, [0]2001:db8:2::1, \
             [1]2001:db8:2::2) "
        );
        let mut odd = header(0);
        odd[1] = 3;
        assert_eq!(
            run(0, &odd),
            (
                "RT6 (len=3, type=0 [Deprecated], segleft=1 (invalid length 3) (invalid)".into(),
                Ok(-1)
            )
        );
    }

    #[test]
    fn final_destination_for_checksums() {
        let mut ip6 = vec![0x60, 0, 0, 0, 0, 40, 43, 64];
        ip6.extend_from_slice(&[0; 16]);
        ip6.extend_from_slice(&addr(9));
        ip6.extend_from_slice(&header(0));
        assert_eq!(ip6_finddst(&ip6), addr(2));
        let srh_at = ip6.len() - 40;
        ip6[srh_at + 2] = 4;
        assert_eq!(ip6_finddst(&ip6), addr(1));
        ip6[6] = 17;
        assert_eq!(ip6_finddst(&ip6), addr(9));
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for typ in [0, 4] {
            let h = header(typ);
            for cut in 0..h.len() {
                assert!(run(1, &h[..cut]).1.is_err());
            }
        }
    }
}
