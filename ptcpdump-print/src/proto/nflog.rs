//! LINKTYPE_NFLOG (239): Linux netfilter NFLOG messages, a 4-byte header then TLVs, one of
//! which holds the packet (<https://www.tcpdump.org/linktypes/LINKTYPE_NFLOG.html>);
//! tcpdump's print-nflog.c. The header is big-endian; TLV lengths and types are in the byte
//! order of the capturing host (little-endian on the hosts this runs on).

use super::util_print::tail;
use super::{Ctx, ip, ip6, pr, tok};
use crate::cursor::{Bytes, PResult};

const NFLOG_HDR_LEN: u32 = 4;
const NFLOG_TLV_LEN: u32 = 4;
const NFULA_PAYLOAD: u16 = 9;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

const NFLOG_VALUES: &[(u32, &str)] = &[(AF_INET as u32, "IPv4"), (AF_INET6 as u32, "IPv6")];

fn hdr_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let family = p.u8_at(0)?;
    pr!(ctx, "version {}, resource ID {}", p.u8_at(1)?, p.be_u16(2)?);
    if !ctx.qflag() {
        pr!(
            ctx,
            ", family {} ({})",
            tok(NFLOG_VALUES, family as u32).unwrap_or("Unknown"),
            family
        );
    } else {
        match tok(NFLOG_VALUES, family as u32) {
            Some(n) => pr!(ctx, ", {}", n),
            None => pr!(ctx, ", Unknown NFLOG (0x{:02x})", family),
        }
    }
    pr!(ctx, ", length {}: ", length);
    Ok(())
}

/// Top-level printer for LINKTYPE_NFLOG. Returns the link-layer header length (up to the
/// payload TLV's value).
pub fn nflog_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "nflog";
    let mut caplen = p.len() as u32;
    let mut length = len;
    if caplen < NFLOG_HDR_LEN {
        ctx.print_trunc();
        return Ok(caplen);
    }
    let version = p.u8_at(1)?;
    if version != 0 {
        pr!(ctx, "version {} (unknown)", version);
        return Ok(NFLOG_HDR_LEN);
    }
    if ctx.eflag() {
        hdr_print(ctx, p, length)?;
    }
    let mut off = NFLOG_HDR_LEN as usize;
    let mut h_size = NFLOG_HDR_LEN;
    length = length.saturating_sub(NFLOG_HDR_LEN);
    caplen -= NFLOG_HDR_LEN;
    while length > 0 {
        if caplen < NFLOG_TLV_LEN {
            ctx.print_trunc();
            return Ok(h_size);
        }
        let mut size = p.le_u16(off)? as u32;
        if !size.is_multiple_of(4) {
            size += 4 - size % 4;
        }
        if size < NFLOG_TLV_LEN || caplen < size {
            ctx.print_trunc();
            return Ok(h_size);
        }
        if p.le_u16(off + 2)? == NFULA_PAYLOAD {
            off += NFLOG_TLV_LEN as usize;
            h_size += NFLOG_TLV_LEN;
            length = length.saturating_sub(NFLOG_TLV_LEN);
            caplen -= NFLOG_TLV_LEN;
            break;
        }
        off += size as usize;
        h_size += size;
        length = length.saturating_sub(size);
        caplen -= size;
    }
    let rest = tail(p, off);
    match p.u8_at(0)? {
        AF_INET => ip::ip_print(ctx, rest, length)?,
        AF_INET6 => ip6::ip6_print(ctx, rest, length)?,
        _ => {
            if !ctx.eflag() {
                hdr_print(ctx, p, length + NFLOG_HDR_LEN)?;
            }
            if !ctx.suppress_default_print() {
                ctx.default_print(rest, caplen)?;
            }
        }
    }
    Ok(h_size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::run_with;

    fn run(p: &[u8], e: bool) -> (String, PResult<u32>) {
        run_with(
            &PrintOptions {
                link_header: e,
                quiet: true,
                ..Default::default()
            },
            |ctx| nflog_if_print(ctx, p, p.len() as u32),
        )
    }

    // Family 7 (unknown), resource 20; a prefix TLV of 5 bytes (padded to 8), then the payload.
    const PKT: &[u8] = &[
        7, 0, 0, 20, 5, 0, 10, 0, b'a', 0, 0, 0, 6, 0, 9, 0, 0xaa, 0xbb, 0, 0,
    ];

    #[test]
    fn header_and_payload_tlv() {
        let (out, r) = run(PKT, true);
        assert_eq!(
            out,
            "version 0, resource ID 20, Unknown NFLOG (0x07), length 20: "
        );
        assert_eq!(r, Ok(16));
        let (out, _) = run(PKT, false);
        assert_eq!(
            out,
            "version 0, resource ID 20, Unknown NFLOG (0x07), length 8: "
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        for n in 0..=PKT.len() {
            for e in [false, true] {
                let _ = run(&PKT[..n], e);
            }
        }
    }
}
