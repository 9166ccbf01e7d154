//! Linux vsock monitoring, LINKTYPE_VSOCK (271): the `af_vsockmon_hdr` of the Linux kernel's
//! include/uapi/linux/vsockmon.h (little-endian), then the transport's header, for virtio
//! the `virtio_vsock_hdr` of include/uapi/linux/virtio_vsock.h; tcpdump's print-vsock.c.

use super::{Ctx, pr, tok2str_with, util_print};
use crate::cursor::{Bytes, PResult};
use std::fmt::Write as _;

const VSOCKMON_HDRLEN: usize = 32;
const VIRTIO_HDRLEN: usize = 44;
const TRANSPORT_VIRTIO: u16 = 2;
const OP_PAYLOAD: u16 = 4;

const TRANSPORT_VALUES: &[(u32, &str)] = &[(0, "UNKNOWN"), (1, "NO_INFO"), (2, "VIRTIO")];

const OP_VALUES: &[(u32, &str)] = &[
    (0, "UNKNOWN"),
    (1, "CONNECT"),
    (2, "DISCONNECT"),
    (3, "CONTROL"),
    (4, "PAYLOAD"),
];

const VIRTIO_TYPE_VALUES: &[(u32, &str)] = &[(1, "STREAM")];

const VIRTIO_OP_VALUES: &[(u32, &str)] = &[
    (0, "INVALID"),
    (1, "REQUEST"),
    (2, "RESPONSE"),
    (3, "RST"),
    (4, "SHUTDOWN"),
    (5, "RW"),
    (6, "CREDIT UPDATE"),
    (7, "CREDIT REQUEST"),
];

fn transport_hdr_len(transport: u16) -> usize {
    if transport == TRANSPORT_VIRTIO {
        VIRTIO_HDRLEN
    } else {
        0
    }
}

fn virtio_hdr_print(ctx: &mut Ctx, h: &[u8]) -> PResult {
    pr!(ctx, "len {}", h.le_u32(24)?);
    let ty = h.le_u16(28)?;
    ctx.push(", type ");
    tok2str_with(ctx.out, VIRTIO_TYPE_VALUES, ty as u32, |o| {
        let _ = write!(o, "Invalid type ({ty})");
    });
    let op = h.le_u16(30)?;
    ctx.push(", op ");
    tok2str_with(ctx.out, VIRTIO_OP_VALUES, op as u32, |o| {
        let _ = write!(o, "Invalid op ({op})");
    });
    pr!(ctx, ", flags {:x}", h.le_u32(32)?);
    pr!(ctx, ", buf_alloc {}", h.le_u32(36)?);
    pr!(ctx, ", fwd_cnt {}", h.le_u32(40)?);
    Ok(())
}

/// LINKTYPE_VSOCK.
pub fn vsock_if_print(ctx: &mut Ctx, p: &[u8], _len: u32) -> PResult<u32> {
    ctx.protocol = "vsock";
    let caplen = p.len();
    if caplen < VSOCKMON_HDRLEN {
        ctx.print_trunc();
        return Ok(caplen as u32);
    }
    let transport = p.le_u16(26)?;
    tok2str_with(ctx.out, TRANSPORT_VALUES, transport as u32, |o| {
        let _ = write!(o, "Invalid transport ({transport})");
    });
    // Is the transport's header captured? (Only asked, and only matters, with -v.)
    let mut truncated = false;
    if ctx.vflag() > 0 {
        if caplen < VSOCKMON_HDRLEN + transport_hdr_len(transport) {
            truncated = true;
        } else {
            if transport == TRANSPORT_VIRTIO {
                ctx.push(" (");
                virtio_hdr_print(ctx, &p[VSOCKMON_HDRLEN..])?;
                ctx.push(")");
            }
            ctx.push("\n\t");
        }
    } else {
        ctx.push(" ");
    }
    let (src_cid, dst_cid) = (p.le_u64(0)?, p.le_u64(8)?);
    let (src_port, dst_port, op) = (p.le_u32(16)?, p.le_u32(20)?, p.le_u16(24)?);
    pr!(ctx, "{}.{} > {}.{} ", src_cid, src_port, dst_cid, dst_port);
    tok2str_with(ctx.out, OP_VALUES, op as u32, |o| {
        let _ = write!(o, " invalid op ({op})");
    });
    // tcpdump prints the captured length here.
    pr!(ctx, ", length {}", caplen);
    if truncated {
        ctx.print_trunc();
        return Ok(VSOCKMON_HDRLEN as u32);
    }
    let total = VSOCKMON_HDRLEN + transport_hdr_len(transport);
    if ctx.vflag() > 1 && op == OP_PAYLOAD {
        if caplen > total {
            ctx.push("\n");
            util_print::print_unknown_data(ctx, &p[total..], "\t", caplen - total);
        } else {
            ctx.print_trunc();
        }
    }
    Ok(VSOCKMON_HDRLEN as u32)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    /// 3.1024 > 2.1234, PAYLOAD over virtio (RW), with `data`.
    fn frame(data: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        d.extend_from_slice(&3u64.to_le_bytes());
        d.extend_from_slice(&2u64.to_le_bytes());
        d.extend_from_slice(&1024u32.to_le_bytes());
        d.extend_from_slice(&1234u32.to_le_bytes());
        d.extend_from_slice(&[4, 0, 2, 0, 44, 0, 0, 0]);
        d.extend_from_slice(&[0; 24]);
        d.extend_from_slice(&(data.len() as u32).to_le_bytes());
        d.extend_from_slice(&[1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0]);
        d.extend_from_slice(data);
        d
    }

    #[test]
    fn payload() {
        let d = frame(b"Hi");
        assert_eq!(
            print_packet(opts(0, false), 271, &d),
            "VIRTIO 3.1024 > 2.1234 PAYLOAD, length 78\n"
        );
        assert_eq!(
            print_packet(opts(2, false), 271, &d),
            "VIRTIO (len 2, type STREAM, op RW, flags 0, buf_alloc 262144, fwd_cnt 0)\n\t3.1024 \
             > 2.1234 PAYLOAD, length 78\n\t0x0000:  4869\n"
        );
        assert_eq!(
            print_packet(opts(1, false), 271, &d[..40]),
            "VIRTIO3.1024 > 2.1234 PAYLOAD, length 40 [|vsock]\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = frame(b"Hi");
        assert_every_truncated_packet_is_safe(271, &d, &[opts(0, false), opts(2, false)]);
    }
}
