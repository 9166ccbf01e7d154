//! Linux "cooked" capture headers LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2
//! (<https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html>, `.../LINKTYPE_LINUX_SLL2.html`);
//! tcpdump's print-sll.c.

use super::ether::{ETHERTYPE_8021Q, MAX_ETHERNET_LENGTH_VAL, ethertype_name, tci_print};
use super::{Ctx, ethertype_print, llc, pr, tok};
use crate::cursor::{Bytes, PResult};

const SLL_HDR_LEN: usize = 16;
const SLL2_HDR_LEN: usize = 20;
const LINUX_SLL_P_802_3: u16 = 0x0001;
const LINUX_SLL_P_802_2: u16 = 0x0004;
const MAC_ADDR_LEN: u16 = 6;

const SLL_PKTTYPE_VALUES: &[(u32, &str)] = &[(0, "In"), (1, "B"), (2, "M"), (3, "P"), (4, "Out")];

fn pkttype(v: u32) -> &'static str {
    tok(SLL_PKTTYPE_VALUES, v).unwrap_or("?")
}

/// The protocol part shared by `sll_print` and `sll2_print` (with `-e`, or for unknown types).
fn proto_print(ctx: &mut Ctx, ether_type: u16, length: u32) {
    if ctx.qflag() {
        return;
    }
    if ether_type <= MAX_ETHERNET_LENGTH_VAL {
        match ether_type {
            LINUX_SLL_P_802_3 => ctx.push("802.3"),
            LINUX_SLL_P_802_2 => ctx.push("802.2"),
            _ => pr!(ctx, "ethertype Unknown (0x{:04x})", ether_type),
        }
    } else {
        pr!(
            ctx,
            "ethertype {} (0x{:04x})",
            ethertype_name(ether_type),
            ether_type
        );
    }
    pr!(ctx, ", length {}: ", length);
}

fn sll_print(ctx: &mut Ctx, h: &[u8], length: u32) -> PResult {
    ctx.protocol = "sll";
    pr!(ctx, "{:>3} ", pkttype(h.be_u16(0)? as u32));
    if h.be_u16(4)? == MAC_ADDR_LEN {
        ctx.mac(h.sub(6, 6)?);
        ctx.push(" ");
    }
    proto_print(ctx, h.be_u16(14)?, length);
    Ok(())
}

fn sll2_print(ctx: &mut Ctx, h: &[u8], length: u32) -> PResult {
    ctx.protocol = "sll2";
    pr!(ctx, "ifindex {} ", h.be_u32(4)?);
    if h.u8_at(11)? as u16 == MAC_ADDR_LEN {
        ctx.mac(h.sub(12, 6)?);
        ctx.push(" ");
    }
    proto_print(ctx, h.be_u16(0)?, length);
    Ok(())
}

/// The part after the cooked header, common to SLL and SLL2. Returns the extra header bytes
/// consumed (VLAN tags, LLC).
fn payload_print(
    ctx: &mut Ctx,
    hdr: &[u8],
    v2: bool,
    mut ether_type: u16,
    p: &[u8],
    mut length: u32,
) -> PResult<u32> {
    let hdr_len = if v2 { SLL2_HDR_LEN } else { SLL_HDR_LEN } as u32;
    let mut off = 0usize;
    loop {
        let rest = &p[off..];
        let caplen = rest.len() as u32;
        if ether_type <= MAX_ETHERNET_LENGTH_VAL {
            match ether_type {
                LINUX_SLL_P_802_3 => {
                    super::ipx::ipx_print(ctx, rest, length)?;
                }
                LINUX_SLL_P_802_2 => {
                    let n = llc::llc_or_default_print(ctx, rest, length, caplen, None)?;
                    if n >= 0 {
                        off += n as usize;
                    }
                }
                _ => {
                    if !ctx.suppress_default_print() {
                        ctx.default_print(rest, caplen)?;
                    }
                }
            }
            return Ok(off as u32);
        }
        if ether_type == ETHERTYPE_8021Q {
            if caplen < 4 {
                ctx.protocol = "vlan";
                ctx.print_trunc();
                return Ok(off as u32 + caplen);
            }
            if ctx.eflag() {
                let tag = rest.be_u16(0)?;
                tci_print(ctx, tag);
                ctx.push(", ");
            }
            ether_type = rest.be_u16(2)?;
            if ether_type <= MAX_ETHERNET_LENGTH_VAL {
                ether_type = LINUX_SLL_P_802_2;
            }
            if !ctx.qflag() {
                pr!(ctx, "ethertype {}, ", ethertype_name(ether_type));
            }
            off += 4;
            length = length.wrapping_sub(4);
            continue;
        }
        if !ethertype_print(ctx, ether_type, rest, length, caplen)? {
            if !ctx.eflag() {
                if v2 {
                    sll2_print(ctx, hdr, length + hdr_len)?;
                } else {
                    sll_print(ctx, hdr, length + hdr_len)?;
                }
            }
            if !ctx.suppress_default_print() {
                ctx.default_print(rest, caplen)?;
            }
        }
        return Ok(off as u32);
    }
}

/// Top-level printer for LINKTYPE_LINUX_SLL.
pub fn sll_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "sll";
    let hdr = p.sub(0, SLL_HDR_LEN)?;
    if ctx.eflag() {
        sll_print(ctx, hdr, len)?;
    }
    let length = len.wrapping_sub(SLL_HDR_LEN as u32);
    let hatype = hdr.be_u16(2)?;
    if hatype == 803 {
        // 802.11 radiotap: no printer; dump like an unknown payload.
        return Ok(SLL_HDR_LEN as u32);
    }
    let et = hdr.be_u16(14)?;
    let n = payload_print(ctx, hdr, false, et, &p[SLL_HDR_LEN..], length)?;
    Ok(SLL_HDR_LEN as u32 + n)
}

/// The interface name for an SLL2 ifindex, looked up on this host like tcpdump 4.99.3 does.
fn if_name(ifindex: u32, buf: &mut [u8; 64]) -> &str {
    let mut raw = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: `raw` has IF_NAMESIZE bytes as if_indextoname requires.
    let r = unsafe { libc::if_indextoname(ifindex, raw.as_mut_ptr()) };
    if r.is_null() {
        return "?";
    }
    let mut n = 0;
    while n < raw.len() && raw[n] != 0 {
        buf[n] = raw[n] as u8;
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).unwrap_or("?")
}

/// Top-level printer for LINKTYPE_LINUX_SLL2.
pub fn sll2_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "sll2";
    let hdr = p.sub(0, SLL2_HDR_LEN)?;
    let ifindex = hdr.be_u32(4)?;
    let mut buf = [0u8; 64];
    let name = if_name(ifindex, &mut buf);
    pr!(ctx, "{:<5} ", name);
    pr!(ctx, "{:<3} ", pkttype(hdr.u8_at(10)? as u32));
    if ctx.eflag() {
        sll2_print(ctx, hdr, len)?;
    }
    let length = len.wrapping_sub(SLL2_HDR_LEN as u32);
    let hatype = hdr.be_u16(8)?;
    if hatype == 803 {
        return Ok(SLL2_HDR_LEN as u32);
    }
    let et = hdr.be_u16(0)?;
    let n = payload_print(ctx, hdr, true, et, &p[SLL2_HDR_LEN..], length)?;
    Ok(SLL2_HDR_LEN as u32 + n)
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    fn print(linktype: u32, e: bool, data: &[u8]) -> String {
        print_packet(opts(0, e), linktype, data)
    }

    const SLL_UNKNOWN: &[u8] = &[
        0, 4, 0, 1, 0, 6, 0, 0x1b, 0x21, 0x3a, 0x4c, 0x5d, 0, 0, 0x12, 0x34, 0xaa,
    ];

    #[test]
    fn sll_unknown_type() {
        assert_eq!(
            print(113, false, SLL_UNKNOWN),
            "Out 00:1b:21:3a:4c:5d ethertype Unknown (0x1234), length 17: \
             \n\t0x0000:  aa                                       .\n"
        );
    }

    #[test]
    fn sll2_missing_ifindex_prints_question_mark() {
        let d = [
            0x12, 0x34, 0, 0, 0x7f, 0xff, 0xff, 0xf0, 0, 1, 0, 6, 0, 0x1b, 0x21, 0x3a, 0x4c, 0x5d,
            0, 0,
        ];
        assert_eq!(
            print(276, false, &d),
            "?     In  ifindex 2147483632 00:1b:21:3a:4c:5d ethertype Unknown (0x1234), length 20: \n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut d = SLL_UNKNOWN[..14].to_vec();
        d.extend_from_slice(&[0x81, 0x00, 0, 5, 0x08, 0x00, 0x45, 0, 0, 20]);
        for linktype in [113, 276] {
            assert_every_truncated_packet_is_safe(linktype, &d, &[opts(0, false), opts(0, true)]);
        }
    }
}
