//! Cisco VLAN Query Protocol, VQP (no public specification; the layout follows the
//! OpenVMPS implementation: a common header, then type/length/value objects); tcpdump's
//! print-vqp.c. UDP port 1589.
//!
//! ```text
//! header: version(1) message type(1) error code(1) item count(1) sequence(4)
//! object: type(4) length(2) value
//! ```

use super::util_print::{print_unknown_data, printjnp};
use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: u32 = 8;
const OBJ_HDR_LEN: u32 = 6;

const MSG_TYPES: &[(u32, &str)] = &[
    (0x01, "Request, Join Port"),
    (0x02, "Response, VLAN"),
    (0x03, "Request, Reconfirm"),
    (0x04, "Response, Reconfirm"),
];

const ERROR_CODES: &[(u32, &str)] = &[
    (0x00, "No error"),
    (0x03, "Access denied"),
    (0x04, "Shutdown port"),
    (0x05, "Wrong VTP domain"),
];

const OBJ_IP_ADDRESS: u32 = 0x0c01;
const OBJ_PORT_NAME: u32 = 0x0c02;
const OBJ_VLAN_NAME: u32 = 0x0c03;
const OBJ_VTP_DOMAIN: u32 = 0x0c04;
const OBJ_ETHERNET_PKT: u32 = 0x0c05;
const OBJ_MAC_NULL: u32 = 0x0c06;
const OBJ_MAC_ADDRESS: u32 = 0x0c08;

const OBJECTS: &[(u32, &str)] = &[
    (OBJ_IP_ADDRESS, "Client IP Address"),
    (OBJ_PORT_NAME, "Port Name"),
    (OBJ_VLAN_NAME, "VLAN Name"),
    (OBJ_VTP_DOMAIN, "VTP Domain"),
    (OBJ_ETHERNET_PKT, "Ethernet Packet"),
    (OBJ_MAC_NULL, "MAC Null"),
    (OBJ_MAC_ADDRESS, "MAC Address"),
];

/// A VQP message of `len` bytes at `p`.
pub fn vqp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "vqp";
    p.sub(0, HDR_LEN as usize)?;
    if len < HDR_LEN {
        ctx.print_invalid();
        return Ok(());
    }
    let version = p[0];
    if version != 1 {
        pr!(ctx, "VQP version {} packet not supported", version);
        return Ok(());
    }
    let (msg_type, error) = (p[1] as u32, p[2] as u32);
    if ctx.vflag() < 1 {
        pr!(ctx, "VQPv{} ", version);
        tok2str(ctx.out, MSG_TYPES, "unknown ({})", msg_type);
        ctx.push(" Message, error-code ");
        tok2str(ctx.out, ERROR_CODES, "unknown", error);
        pr!(ctx, " ({}), length {}", error, len);
        return Ok(());
    }
    let mut nitems = p[3];
    pr!(ctx, "\n\tVQPv{}, ", version);
    tok2str(ctx.out, MSG_TYPES, "unknown ({})", msg_type);
    ctx.push(" Message, error-code ");
    tok2str(ctx.out, ERROR_CODES, "unknown", error);
    pr!(
        ctx,
        " ({}), seq 0x{:08x}, items {}, length {}",
        error,
        p.be_u32(4)?,
        nitems,
        len
    );
    let mut off = HDR_LEN as usize;
    let mut tlen = len - HDR_LEN;
    while nitems != 0 && tlen != 0 {
        p.sub(off, OBJ_HDR_LEN as usize)?;
        if tlen < OBJ_HDR_LEN {
            ctx.print_invalid();
            return Ok(());
        }
        let ty = p.be_u32(off)?;
        let olen = p.be_u16(off + 4)?;
        off += OBJ_HDR_LEN as usize;
        tlen -= OBJ_HDR_LEN;
        ctx.push("\n\t  ");
        tok2str(ctx.out, OBJECTS, "Unknown", ty);
        pr!(ctx, " Object (0x{:08x}), length {}, value: ", ty, olen);
        if ty == 0 || olen == 0 {
            return Ok(());
        }
        let v = p.sub(off, olen as usize)?;
        if olen as u32 > tlen {
            ctx.print_invalid();
            return Ok(());
        }
        match ty {
            OBJ_IP_ADDRESS => {
                if olen != 4 {
                    ctx.print_invalid();
                    return Ok(());
                }
                ctx.ip(v);
                pr!(ctx, " (0x{:08x})", v.be_u32(0)?);
            }
            OBJ_PORT_NAME | OBJ_VLAN_NAME | OBJ_VTP_DOMAIN | OBJ_ETHERNET_PKT => {
                printjnp(ctx, v, olen as usize)?;
            }
            OBJ_MAC_ADDRESS | OBJ_MAC_NULL => {
                if olen != 6 {
                    ctx.print_invalid();
                    return Ok(());
                }
                ctx.mac(v);
            }
            _ => {
                if ctx.vflag() <= 1 {
                    print_unknown_data(ctx, v, "\n\t    ", olen as usize);
                }
            }
        }
        off += olen as usize;
        tlen -= olen as u32;
        nitems -= 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    const JOIN: &[u8] = &[
        0x01, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x2a, // header: 3 items
        0x00, 0x00, 0x0c, 0x01, 0x00, 0x04, 198, 18, 0, 1, // client IP
        0x00, 0x00, 0x0c, 0x02, 0x00, 0x04, b'F', b'a', b'0', 0, // port name
        0x00, 0x00, 0x0c, 0x08, 0x00, 0x06, 0, 0x11, 0x22, 0x33, 0x44, 0x55, // MAC
    ];

    fn run(v: u8, p: &[u8], len: u32) -> String {
        run_marked(&opts(v, false), |ctx| vqp_print(ctx, p, len))
    }

    #[test]
    fn join_request() {
        let l = JOIN.len() as u32;
        assert_eq!(
            run(0, JOIN, l),
            "VQPv1 Request, Join Port Message, error-code No error (0), length 40"
        );
        assert_eq!(
            run(1, JOIN, l),
            "\n\tVQPv1, Request, Join Port Message, error-code No error (0), seq 0x0000002a, \
             items 3, length 40\n\t  Client IP Address Object (0x00000c01), length 4, value: \
             198.18.0.1 (0xc6120001)\n\t  Port Name Object (0x00000c02), length 4, value: Fa0\
             \n\t  MAC Address Object (0x00000c08), length 6, value: 00:11:22:33:44:55"
        );
        assert!(run(1, JOIN, 30).ends_with("value: Fa0 (invalid)"));
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(JOIN, &verbosities(2), |ctx, p| vqp_print(ctx, p, 40));
        assert!(run(1, &JOIN[..16], 40).ends_with(" [|vqp]"));
    }
}
