//! UDLD, Cisco's UniDirectional Link Detection (RFC 5171); tcpdump's print-udld.c. SNAP OUI
//! 0x00000c, PID 0x0111.

use super::util_print::{printjnp, printn, tail};
use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult, Truncated};

const HEADER_LEN: u32 = 4;
const TLV_HEADER_LEN: u32 = 4;

const DEVICE_ID_TLV: u16 = 0x0001;
const PORT_ID_TLV: u16 = 0x0002;
const ECHO_TLV: u16 = 0x0003;
const MESSAGE_INTERVAL_TLV: u16 = 0x0004;
const TIMEOUT_INTERVAL_TLV: u16 = 0x0005;
const DEVICE_NAME_TLV: u16 = 0x0006;
const SEQ_NUMBER_TLV: u16 = 0x0007;

const TLV_VALUES: &[(u32, &str)] = &[
    (0x0001, "Device-ID TLV"),
    (0x0002, "Port-ID TLV"),
    (0x0003, "Echo TLV"),
    (0x0004, "Message Interval TLV"),
    (0x0005, "Timeout Interval TLV"),
    (0x0006, "Device Name TLV"),
    (0x0007, "Sequence Number TLV"),
];

const CODE_VALUES: &[(u32, &str)] = &[
    (0x00, "Reserved"),
    (0x01, "Probe message"),
    (0x02, "Echo message"),
    (0x03, "Flush message"),
];

const FLAGS_BITMAP_STR: &[(u32, &str)] = &[
    (1 << 0, "RT"),
    (1 << 1, "RSY"),
    (1 << 2, "MBZ-2"),
    (1 << 3, "MBZ-3"),
    (1 << 4, "MBZ-4"),
    (1 << 5, "MBZ-5"),
    (1 << 6, "MBZ-6"),
    (1 << 7, "MBZ-7"),
];

/// A UDLD PDU (RFC 5171 section 6).
pub fn udld_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "udld";
    let mut off = 0usize;
    let mut length = length;
    let invalid = 'decode: {
        if length < HEADER_LEN {
            break 'decode true;
        }
        let (b0, flags) = (p.u8_at(0)?, p.u8_at(1)?);
        let (ver, code) = (b0 >> 5, b0 & 0x1f);
        off = 2;
        length -= 2;
        pr!(
            ctx,
            "UDLDv{}, Code {} ({:x}), Flags [",
            ver,
            tok(CODE_VALUES, code as u32).unwrap_or("Reserved"),
            code
        );
        bittok2str(ctx.out, FLAGS_BITMAP_STR, "none", flags as u32, ", ");
        pr!(ctx, "] (0x{:02x}), length {}", flags, length + 2);
        if ctx.vflag() < 1 {
            break 'decode false;
        }
        pr!(ctx, "\n\tChecksum 0x{:04x} (unverified)", p.be_u16(off)?);
        off += 2;
        length -= 2;
        while length > 0 {
            if length < TLV_HEADER_LEN {
                break 'decode true;
            }
            let ty = p.be_u16(off)?;
            let len = p.be_u16(off + 2)? as u32;
            off += 4;
            length -= 4;
            pr!(
                ctx,
                "\n\t{} (0x{:04x}) TLV, length {}",
                tok(TLV_VALUES, ty as u32).unwrap_or("Unknown"),
                ty,
                len
            );
            if len <= TLV_HEADER_LEN {
                break 'decode true;
            }
            let len = len - TLV_HEADER_LEN;
            if length < len {
                break 'decode true;
            }
            match ty {
                DEVICE_ID_TLV | PORT_ID_TLV | DEVICE_NAME_TLV => {
                    ctx.push(", ");
                    printjnp(ctx, tail(p, off), len as usize)?;
                }
                ECHO_TLV => {
                    ctx.push(", ");
                    printn(ctx, tail(p, off), len as usize)?;
                }
                MESSAGE_INTERVAL_TLV | TIMEOUT_INTERVAL_TLV => {
                    if len != 1 {
                        break 'decode true;
                    }
                    pr!(ctx, ", {}s", p.u8_at(off)?);
                }
                SEQ_NUMBER_TLV => {
                    if len != 4 {
                        break 'decode true;
                    }
                    pr!(ctx, ", {}", p.be_u32(off)?);
                }
                _ => _ = p.sub(off, len as usize)?,
            }
            off += len as usize;
            length -= len;
        }
        return Ok(());
    };
    if invalid {
        ctx.print_invalid();
    }
    // The rest of the PDU must have been captured, as tcpdump checks.
    if !p.has(off, length as usize) {
        return Err(Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    // A probe with a device ID "FOX" and a message interval of 7s.
    const PROBE: &[u8] = &[
        0x21, 0x01, 0x12, 0x34, 0x00, 0x01, 0x00, 0x07, b'F', b'O', b'X', 0x00, 0x04, 0x00, 0x05,
        0x07,
    ];

    #[test]
    fn probe() {
        let run = |p: &[u8], v| run_marked(&opts(v, false), |ctx| udld_print(ctx, p, 16));
        assert_eq!(
            run(PROBE, 0),
            "UDLDv1, Code Probe message (1), Flags [RT] (0x01), length 16"
        );
        assert_eq!(
            run(PROBE, 1),
            "UDLDv1, Code Probe message (1), Flags [RT] (0x01), length 16\
             \n\tChecksum 0x1234 (unverified)\n\tDevice-ID TLV (0x0001) TLV, length 7, FOX\
             \n\tMessage Interval TLV (0x0004) TLV, length 5, 7s"
        );
        assert_eq!(
            run(&PROBE[..8], 0),
            "UDLDv1, Code Probe message (1), Flags [RT] (0x01), length 16 [|udld]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(PROBE, &verbosities(1), |ctx, p| udld_print(ctx, p, 16));
    }
}
