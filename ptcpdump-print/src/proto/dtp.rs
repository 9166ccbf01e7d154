//! Cisco's Dynamic Trunking Protocol (no public specification; the layout is the one tcpdump
//! and Wireshark decode); tcpdump's print-dtp.c. SNAP OUI 0x00000c, PID 0x2004.

use super::util_print::{printjnp, tail};
use super::{Ctx, pr, tok};
use crate::addr::Mac;
use crate::cursor::{Bytes, PResult, Truncated};

const DTP_DOMAIN_TLV: u16 = 0x0001;
const DTP_STATUS_TLV: u16 = 0x0002;
const DTP_DTP_TYPE_TLV: u16 = 0x0003;
const DTP_NEIGHBOR_TLV: u16 = 0x0004;

const TLV_VALUES: &[(u32, &str)] = &[
    (0x0001, "Domain"),
    (0x0002, "Status"),
    (0x0003, "DTP type"),
    (0x0004, "Neighbor"),
];

/// A DTP frame: a version octet, then type-length-value fields (the length counts the
/// 4-octet header).
pub fn dtp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "dtp";
    let mut off = 0usize;
    let mut length = length;
    let ok = 'decode: {
        if length < 1 {
            ctx.push("[zero packet length]");
            break 'decode false;
        }
        pr!(ctx, "DTPv{}, length {}", p.u8_at(0)?, length);
        if ctx.vflag() < 1 {
            return Ok(());
        }
        off = 1;
        length -= 1;
        while length > 0 {
            if length < 4 {
                pr!(ctx, "[{} bytes remaining]", length);
                break 'decode false;
            }
            let ty = p.be_u16(off)?;
            let len = p.be_u16(off + 2)? as u32;
            // Seen in captures: zero padding after the last TLV.
            if ty == 0 {
                return Ok(());
            }
            pr!(
                ctx,
                "\n\t{} (0x{:04x}) TLV, length {}",
                tok(TLV_VALUES, ty as u32).unwrap_or("Unknown"),
                ty,
                len
            );
            if len < 4 || len > length {
                pr!(ctx, "[invalid TLV length {}]", len);
                break 'decode false;
            }
            match ty {
                DTP_DOMAIN_TLV => {
                    ctx.push(", ");
                    printjnp(ctx, tail(p, off + 4), len as usize - 4)?;
                }
                DTP_STATUS_TLV | DTP_DTP_TYPE_TLV => {
                    if len != 5 {
                        break 'decode false;
                    }
                    pr!(ctx, ", 0x{:x}", p.u8_at(off + 4)?);
                }
                DTP_NEIGHBOR_TLV => {
                    if len != 10 {
                        break 'decode false;
                    }
                    pr!(ctx, ", {}", Mac(p.sub(off + 4, 6)?));
                }
                _ => _ = p.sub(off, len as usize)?,
            }
            off += len as usize;
            length -= len;
        }
        true
    };
    if !ok {
        ctx.print_invalid();
        // tcpdump then insists on the rest being captured.
        if !p.has(off, length as usize) {
            return Err(Truncated);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    const DTP: &[u8] = &[
        0x01, 0x00, 0x01, 0x00, 0x08, b'L', b'a', b'b', 0x00, 0x00, 0x02, 0x00, 0x05, 0x04, 0x00,
        0x03, 0x00, 0x05, 0x40, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x85,
    ];

    #[test]
    fn tlvs() {
        let run = |p: &[u8], v| run_marked(&opts(v, false), |ctx| dtp_print(ctx, p, 29));
        assert_eq!(run(DTP, 0), "DTPv1, length 29");
        assert_eq!(
            run(DTP, 1),
            "DTPv1, length 29\n\tDomain (0x0001) TLV, length 8, Lab\
             \n\tStatus (0x0002) TLV, length 5, 0x4\n\tDTP type (0x0003) TLV, length 5, 0x40\
             \n\tNeighbor (0x0004) TLV, length 10, 00:19:06:ea:b8:85"
        );
        assert_eq!(
            run(&DTP[..13], 1),
            "DTPv1, length 29\n\tDomain (0x0001) TLV, length 8, Lab\
             \n\tStatus (0x0002) TLV, length 5 [|dtp]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(DTP, &verbosities(1), |ctx, p| dtp_print(ctx, p, 29));
    }
}
