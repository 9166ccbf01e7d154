//! SS7 MTP3 User Adaptation Layer, M3UA (RFC 4666); tcpdump's print-m3ua.c. Carried in SCTP
//! DATA chunks with PPID 3, decoded with `-vv`.
//!
//! ```text
//! common header: version(1) reserved(1) message class(1) message type(1) length(4)
//! parameter:     tag(2) length(2) value, padded to 4 bytes
//! ```

use super::{Ctx, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: u32 = 8;
const PARAM_HDR_LEN: u32 = 4;

const MESSAGE_CLASSES: &[(u32, &str)] = &[
    (0, "Management"),
    (1, "Transfer"),
    (2, "SS7"),
    (3, "ASP"),
    (4, "ASP"),
    (9, "Routing Key Management"),
];

const MGMT_MESSAGES: &[(u32, &str)] = &[(0, "Error"), (1, "Notify")];
const TRANSFER_MESSAGES: &[(u32, &str)] = &[(1, "Data")];
const SS7_MESSAGES: &[(u32, &str)] = &[
    (1, "Destination Unavailable"),
    (2, "Destination Available"),
    (3, "Destination State Audit"),
    (4, "Signalling Congestion"),
    (5, "Destination User Part Unavailable"),
    (6, "Destination Restricted"),
];
const ASP_STATE_MESSAGES: &[(u32, &str)] = &[
    (1, "Up"),
    (2, "Down"),
    (3, "Heartbeat"),
    (4, "Up Acknowledgement"),
    (5, "Down Acknowledgement"),
    (6, "Heartbeat Acknowledgement"),
];
const ASP_TRAFFIC_MESSAGES: &[(u32, &str)] = &[
    (1, "Active"),
    (2, "Inactive"),
    (3, "Active Acknowledgement"),
    (4, "Inactive Acknowledgement"),
];
const RKM_MESSAGES: &[(u32, &str)] = &[
    (1, "Registration Request"),
    (2, "Registration Response"),
    (3, "Deregistration Request"),
    (4, "Deregistration Response"),
];

/// The message type table of each message class.
fn messages_of(class: u8) -> Option<&'static [(u32, &'static str)]> {
    Some(match class {
        0 => MGMT_MESSAGES,
        1 => TRANSFER_MESSAGES,
        2 => SS7_MESSAGES,
        3 => ASP_STATE_MESSAGES,
        4 => ASP_TRAFFIC_MESSAGES,
        9 => RKM_MESSAGES,
        _ => return None,
    })
}

const PARAM_ROUTING_CTX: u16 = 0x0006;
const PARAM_CORR_ID: u16 = 0x0013;
const PARAM_NETWORK_APPEARANCE: u16 = 0x0200;

const PARAM_NAMES: &[(u32, &str)] = &[
    (0x0004, "INFO String"),
    (0x0006, "Routing Context"),
    (0x0007, "Diagnostic Info"),
    (0x0009, "Heartbeat Data"),
    (0x000b, "Traffic Mode Type"),
    (0x000c, "Error Code"),
    (0x000d, "Status"),
    (0x0011, "ASP Identifier"),
    (0x0012, "Affected Point Code"),
    (0x0013, "Correlation ID"),
    (0x0200, "Network Appearance"),
    (0x0204, "User/Cause"),
    (0x0205, "Congestion Indications"),
    (0x0206, "Concerned Destination"),
    (0x0207, "Routing Key"),
    (0x0208, "Registration Result"),
    (0x0209, "Deregistration Result"),
    (0x020a, "Local Routing Key Identifier"),
    (0x020b, "Destination Point Code"),
    (0x020c, "Service Indicators"),
    (0x020e, "Originating Point Code List"),
    (0x0210, "Protocol Data"),
    (0x0212, "Registration Status"),
    (0x0213, "Deregistration Status"),
];

/// ` (invalid)`, and the whole of `p[..len]` must still be captured.
fn invalid(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.print_invalid();
    p.sub(0, len as usize)?;
    Ok(())
}

/// An M3UA message of `size` bytes (header included) at `p`.
pub fn m3ua_print(ctx: &mut Ctx, p: &[u8], size: u32) -> PResult {
    ctx.protocol = "m3ua";
    if size < HDR_LEN {
        return invalid(ctx, p, size);
    }
    p.sub(0, HDR_LEN as usize)?;
    if p[0] != 1 {
        return Ok(());
    }
    let class = p[2];
    ctx.push("\n\t\t");
    tok2str(
        ctx.out,
        MESSAGE_CLASSES,
        "Unknown message class {}",
        class as u32,
    );
    if let Some(dict) = messages_of(class) {
        ctx.push(" ");
        tok2str(ctx.out, dict, "Unknown (0x{:02x})", p[3] as u32);
        ctx.push(" Message");
    }
    let len = p.be_u32(4)?;
    if size != len {
        pr!(
            ctx,
            "\n\t\t\t@@@@@@ Corrupted length {} of message @@@@@@",
            len
        );
        return Ok(());
    }
    tags_print(ctx, &p[HDR_LEN as usize..], len - HDR_LEN)
}

fn tags_print(ctx: &mut Ctx, buf: &[u8], size: u32) -> PResult {
    let mut off: u32 = 0;
    while off < size {
        if off + PARAM_HDR_LEN > size {
            return invalid(ctx, buf, size);
        }
        let tag = buf.be_u16(off as usize)?;
        ctx.push("\n\t\t\t");
        match tok(PARAM_NAMES, tag as u32) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "Unknown Parameter (0x{:04x})", tag),
        }
        ctx.push(": ");
        let hdr_len = buf.be_u16(off as usize + 2)? as u32;
        if hdr_len < PARAM_HDR_LEN {
            return invalid(ctx, buf, size);
        }
        let align = match (off + hdr_len) % 4 {
            0 => 0,
            a => 4 - a,
        };
        buf.sub(off as usize, (hdr_len + align) as usize)?;
        value_print(ctx, &buf[off as usize..], tag, hdr_len - PARAM_HDR_LEN)?;
        off += hdr_len + align;
    }
    Ok(())
}

/// A parameter's value. tcpdump hands the value printer the parameter's header rather than
/// its value, so the 32-bit values it shows are the tag and length; kept for fidelity.
fn value_print(ctx: &mut Ctx, p: &[u8], tag: u16, size: u32) -> PResult {
    match tag {
        PARAM_NETWORK_APPEARANCE | PARAM_ROUTING_CTX | PARAM_CORR_ID => {
            if size < 4 {
                return invalid(ctx, p, size);
            }
            pr!(ctx, "0x{:08x}", p.be_u32(0)?);
        }
        _ => pr!(ctx, "(length {})", size + PARAM_HDR_LEN),
    }
    p.sub(0, size as usize)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    const MSG: &[u8] = &[
        1, 0, 1, 1, 0, 0, 0, 28, // Transfer Data, length 28
        0x02, 0x00, 0, 8, 0, 0, 0, 5, // Network Appearance
        0x00, 0x02, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0, // Unknown, padded
    ];

    fn run(p: &[u8], size: u32) -> String {
        run_marked(&opts(2, false), |ctx| m3ua_print(ctx, p, size))
    }

    #[test]
    fn message_and_parameters() {
        assert_eq!(
            run(MSG, 28),
            "\n\t\tTransfer Data Message\n\t\t\tNetwork Appearance: 0x02000008\
             \n\t\t\tUnknown Parameter (0x0002): (length 9)"
        );
        assert_eq!(
            run(MSG, 27),
            "\n\t\tTransfer Data Message\n\t\t\t@@@@@@ Corrupted length 28 of message @@@@@@"
        );
        let mut m = MSG.to_vec();
        m[2] = 7;
        assert!(run(&m, 28).starts_with("\n\t\tUnknown message class 7\n"));
        assert_eq!(run(MSG, 4), " (invalid)");
        assert_eq!(run(&MSG[..3], 4), " (invalid) [|m3ua]");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(MSG, &verbosities(2), |ctx, p| m3ua_print(ctx, p, 28));
        assert!(run(&MSG[..20], 28).ends_with(" [|m3ua]"));
    }
}
