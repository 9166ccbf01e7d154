//! ESP, IP Encapsulating Security Payload (RFC 4303); tcpdump's print-esp.c, without
//! decryption (ptcpdump has no `-E`): only the SPI and sequence number are shown.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

/// An ESP header (IP protocol 50, or UDP-encapsulated on port 4500).
pub fn esp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "esp";
    // tcpdump wants at least one byte past the 8-byte header.
    if p.len() <= 8 {
        ctx.print_trunc();
        return Ok(());
    }
    pr!(
        ctx,
        "ESP(spi=0x{:08x},seq=0x{:x}), length {}",
        p.be_u32(0)?,
        p.be_u32(4)?,
        length
    );
    Ok(())
}

/// UDP port 4500 (RFC 3948 NAT traversal; tcpdump's `isakmp_rfc3948_print`): a NAT
/// keep-alive, IKE behind a zero non-ESP marker, or ESP. IKE itself is not decoded here.
pub fn rfc3948_print(ctx: &mut Ctx, p: &[u8], length: u32, ip: &super::IpHdr) -> PResult {
    ctx.protocol = "isakmp_rfc3948";
    if length == 1 && p.u8_at(0)? == 0xff {
        ctx.push("isakmp-nat-keep-alive");
        return Ok(());
    }
    if length < 4 {
        ctx.print_trunc();
        return Ok(());
    }
    if p.be_u32(0)? == 0 {
        ctx.push("NONESP-encap: ");
        return super::isakmp::isakmp_print(ctx, p.get(4..).unwrap_or(&[]), length - 4, Some(ip));
    }
    ctx.push("UDP-encap: ");
    esp_print(ctx, p, length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(p: &[u8]) -> String {
        run_with(&opts(0, false), |ctx| esp_print(ctx, p, 116)).0
    }

    #[test]
    fn header() {
        let p = [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 0xaa];
        assert_eq!(run(&p), "ESP(spi=0x12345678,seq=0x1), length 116");
        for n in 0..p.len() {
            assert_eq!(run(&p[..n]), " [|esp]");
        }
    }

    #[test]
    fn nat_traversal() {
        let (src, dst) = ([10, 0, 0, 1], [10, 0, 0, 2]);
        let ip = crate::proto::IpHdr {
            ver: 4,
            src: &src,
            dst: &dst,
            cksum_dst: &dst,
            nh: 17,
            payload_len: 0,
        };
        let (out, ()) = run_with(&opts(0, false), |ctx| {
            rfc3948_print(ctx, &[0xff], 1, &ip).unwrap();
            ctx.push("|");
            rfc3948_print(ctx, &[0, 0, 4, 0, 0, 0, 0, 3, 0xaa], 9, &ip).unwrap();
            ctx.push("|");
            rfc3948_print(ctx, &[0, 0], 2, &ip).unwrap();
        });
        assert_eq!(
            out,
            "isakmp-nat-keep-alive|UDP-encap: ESP(spi=0x00000400,seq=0x3), length 9| [|isakmp_rfc3948]"
        );
    }
}
