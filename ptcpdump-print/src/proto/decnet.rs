//! DECnet Phase IV routing layer and NSP (Ethernet type 0x6003): "DECnet Digital Network
//! Architecture Phase IV, Routing Layer Functional Specification" (AA-X435A-TK) and "NSP
//! Functional Specification" (AA-X439A-TK); tcpdump's print-decnet.c.
//!
//! All multi-byte fields are little-endian. A packet starts with its length (2 bytes), then
//! optional padding, then a routing header (short, long, or a routing control message), then
//! for data packets an NSP message.

use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const SHORTHDR: usize = 6;
const LONGHDR: usize = 21;
const INITMSG: usize = 12;
const VERIFMSG: usize = 4;
const TESTMSG: usize = 4;
const ROUTMSG: usize = 4;
const RHELLOMSG: usize = 18;
const EHELLOMSG: usize = 32;
const NSPHDR: usize = 5;
const SEGHDR: usize = 11;
const MINSEGHDR: usize = 7;
const LSMSG: usize = 2;
const ACKMSG: usize = 9;
const CIMSG: usize = 9;
const CCMSG: usize = 10;
const DIMSG: usize = 8;

// Routing flags.
const RMF_MASK: u8 = 7;
const RMF_SHORT: u8 = 2;
const RMF_LONG: u8 = 6;
const RMF_RQR: u8 = 0o10;
const RMF_RTS: u8 = 0o20;
const RMF_IE: u8 = 0o40;
const RMF_FVER: u8 = 0o100;
const RMF_PAD: u8 = 0o200;
const RMF_PADMASK: u8 = 0o177;
const RMF_CTLMASK: u8 = 0o17;
const RMF_CTLMSG: u8 = 0o1;
const VIS_MASK: u8 = 0o77;

// NSP message flags.
const NSP_TYPEMASK: u8 = 0o14;
const NSP_SUBMASK: u8 = 0o160;
const MFT_DATA: u8 = 0;
const MFT_ACK: u8 = 0o4;
const MFT_CTL: u8 = 0o10;
const MFS_ILS: u8 = 0o20;
const MFS_BOM: u8 = 0o40;
const MFS_EOM: u8 = 0o100;
const MFS_DACK: u8 = 0;
const MFS_IACK: u8 = 0o20;
const MFS_CACK: u8 = 0o40;
const MFS_CI: u8 = 0o20;
const MFS_CC: u8 = 0o40;
const MFS_DI: u8 = 0o60;
const MFS_DC: u8 = 0o100;
const MFS_RCI: u8 = 0o140;

const SGQ_ACK: u16 = 0o100000;
const SGQ_NAK: u16 = 0o110000;
const SGQ_OACK: u16 = 0o120000;
const SGQ_ONAK: u16 = 0o130000;
const SGQ_MASK: u16 = 0o7777;

const REASON_VALUES: &[(u32, &str)] = &[
    (0, "object rejected connect"),
    (1, "insufficient resources"),
    (2, "unrecognized node name"),
    (3, "node is shutting down"),
    (4, "unrecognized object"),
    (5, "invalid object name format"),
    (6, "object too busy"),
    (7, "protocol error discovered"),
    (8, "third party abort"),
    (9, "user abort"),
    (10, "invalid node name format"),
    (11, "local node shutting down"),
    (32, "insufficient local resources"),
    (33, "insufficient remote user resources"),
    (34, "invalid access control information"),
    (36, "bad ACCOUNT information"),
    (38, "no response from object"),
    (39, "node unreachable"),
    (41, "no link terminate"),
    (42, "disconnect complete"),
    (43, "bad image data in connect"),
    (54, "cryptographic service mismatch"),
];

/// A DECnet node address: 6 bits of area, 10 of node.
fn dnaddr(ctx: &mut Ctx, a: u16) {
    pr!(ctx, "{}.{}", a >> 10, a & 0o1777);
}

/// A DECnet packet; `length`: its length.
pub fn decnet_print(ctx: &mut Ctx, ap: &[u8], length: u32) -> PResult {
    ctx.protocol = "decnet";
    if decnet_body(ctx, ap, length as usize)? {
        ctx.print_invalid();
    }
    Ok(())
}

/// Returns true when the packet is invalid (` (invalid)` follows).
fn decnet_body(ctx: &mut Ctx, ap: &[u8], mut length: usize) -> PResult<bool> {
    if length < SHORTHDR {
        pr!(ctx, " (length {} < {})", length, SHORTHDR);
        return Ok(true);
    }
    let pktlen = ap.le_u16(0)? as usize;
    if pktlen < SHORTHDR {
        pr!(ctx, " (pktlen {} < {})", pktlen, SHORTHDR);
        return Ok(true);
    }
    if pktlen > length {
        pr!(ctx, " (pktlen {} > {})", pktlen, length);
        return Ok(true);
    }
    length = pktlen;
    // `rh`: offset of the routing header.
    let mut rh = 2;
    let mut mflags = ap.u8_at(rh)?;
    if mflags & RMF_PAD != 0 {
        // Padding of `padlen` bytes (this flags byte included) before the real header.
        let padlen = (mflags & RMF_PADMASK) as usize;
        if ctx.vflag() > 0 {
            pr!(ctx, "[pad:{}] ", padlen);
        }
        if length < padlen + 2 {
            pr!(ctx, " (length {} < {})", length, padlen + 2);
            return Ok(true);
        }
        ap.sub(rh, padlen)?;
        rh += padlen;
        length -= padlen;
        mflags = ap.u8_at(rh)?;
    }
    // What the dumps below show: from the start of the (unpadded) packet.
    let pkt = ap.from(rh - 2)?;
    let shown = |n: usize| n.min(pkt.len()) as u32;
    if mflags & RMF_FVER != 0 {
        ctx.push("future-version-decnet");
        ctx.default_print(pkt, shown(length))?;
        return Ok(false);
    }
    let r = ap.from(rh)?;
    if mflags & RMF_CTLMSG != 0 {
        return ctlmsg_print(ctx, r, length, shown(length));
    }
    let (dst, src, hops, nsp, nsplen) = match mflags & RMF_MASK {
        RMF_LONG => {
            if length < LONGHDR {
                pr!(ctx, " (length {} < {})", length, LONGHDR);
                return Ok(true);
            }
            r.sub(0, LONGHDR)?;
            // Each address is a 6-byte Ethernet id whose last two bytes are the node address.
            let (dst, src) = (r.le_u16(7)?, r.le_u16(15)?);
            (
                dst,
                src,
                r.u8_at(18)? as u32,
                LONGHDR,
                length.wrapping_sub(LONGHDR),
            )
        }
        RMF_SHORT => {
            let (dst, src) = (r.le_u16(1)?, r.le_u16(3)?);
            let hops = (r.u8_at(5)? & VIS_MASK) as u32 + 1;
            // tcpdump does not check the short header against the length: its unsigned
            // difference wraps, and so does this one (fuzzing found the overflow).
            (dst, src, hops, SHORTHDR, length.wrapping_sub(SHORTHDR))
        }
        _ => {
            ctx.push("unknown message flags under mask");
            ctx.default_print(pkt, shown(length))?;
            return Ok(false);
        }
    };
    dnaddr(ctx, src);
    ctx.push(" > ");
    dnaddr(ctx, dst);
    pr!(ctx, " {} ", pktlen);
    if ctx.vflag() > 0 {
        if mflags & RMF_RQR != 0 {
            ctx.push("RQR ");
        }
        if mflags & RMF_RTS != 0 {
            ctx.push("RTS ");
        }
        if mflags & RMF_IE != 0 {
            ctx.push("IE ");
        }
        pr!(ctx, "{} hops ", hops);
    }
    Ok(!nsp_print(ctx, r.from(nsp)?, nsplen)?)
}

/// A routing control message at `r`; returns true when invalid.
fn ctlmsg_print(ctx: &mut Ctx, r: &[u8], length: usize, shown: u32) -> PResult<bool> {
    let mflags = r.u8_at(0)?;
    match mflags & RMF_CTLMASK {
        0o1 => {
            ctx.push("init ");
            if length < INITMSG {
                return Ok(true);
            }
            r.sub(0, INITMSG)?;
            let (src, info, blksize) = (r.le_u16(1)?, r.u8_at(3)?, r.le_u16(4)?);
            let (vers, eco, ueco, hello) = (r.u8_at(6)?, r.u8_at(7)?, r.u8_at(8)?, r.le_u16(9)?);
            t_info_print(ctx, info);
            ctx.push("src ");
            dnaddr(ctx, src);
            pr!(
                ctx,
                "blksize {} vers {} eco {} ueco {} hello {}",
                blksize,
                vers,
                eco,
                ueco,
                hello
            );
        }
        0o3 | 0o5 => {
            let test = mflags & RMF_CTLMASK == 0o5;
            ctx.push(if test { "test " } else { "verification " });
            if length < if test { TESTMSG } else { VERIFMSG } {
                return Ok(true);
            }
            let (src, other) = (r.le_u16(1)?, r.u8_at(3)?);
            ctx.push("src ");
            dnaddr(ctx, src);
            pr!(ctx, " {} {:o}", if test { "data" } else { "fcnval" }, other);
        }
        0o7 | 0o11 => {
            let l2 = mflags & RMF_CTLMASK == 0o11;
            ctx.push(if l2 {
                "lev-2-routing "
            } else {
                "lev-1-routing "
            });
            if length < ROUTMSG {
                return Ok(true);
            }
            r.sub(0, ROUTMSG)?;
            let src = r.le_u16(1)?;
            ctx.push("src ");
            dnaddr(ctx, src);
            ctx.push(" ");
            routes_print(ctx, r.from(ROUTMSG)?, length - ROUTMSG, l2)?;
        }
        0o13 => {
            ctx.push("router-hello ");
            if length < RHELLOMSG {
                return Ok(true);
            }
            r.sub(0, RHELLOMSG)?;
            let (vers, eco, ueco, src) = (r.u8_at(1)?, r.u8_at(2)?, r.u8_at(3)?, r.le_u16(8)?);
            let (info, blksize, pri, hello) =
                (r.u8_at(10)?, r.le_u16(11)?, r.u8_at(13)?, r.le_u16(15)?);
            i_info_print(ctx, info);
            pr!(ctx, "vers {} eco {} ueco {} src ", vers, eco, ueco);
            dnaddr(ctx, src);
            pr!(ctx, " blksize {} pri {} hello {}", blksize, pri, hello);
            // The list of routers that follows is not decoded (neither does tcpdump).
        }
        0o15 => {
            ctx.push("endnode-hello ");
            if length < EHELLOMSG {
                return Ok(true);
            }
            let (vers, eco, ueco, src) = (r.u8_at(1)?, r.u8_at(2)?, r.u8_at(3)?, r.le_u16(8)?);
            let (info, blksize) = (r.u8_at(10)?, r.le_u16(11)?);
            let (rtr, hello, data) = (r.le_u16(26)?, r.le_u16(28)?, r.u8_at(31)?);
            i_info_print(ctx, info);
            pr!(ctx, "vers {} eco {} ueco {} src ", vers, eco, ueco);
            dnaddr(ctx, src);
            pr!(ctx, " blksize {} rtr ", blksize);
            dnaddr(ctx, rtr);
            pr!(ctx, " hello {} data {:o}", hello, data);
        }
        _ => {
            ctx.push("unknown control message");
            ctx.default_print(r, shown)?;
        }
    }
    Ok(false)
}

/// The node type and flags of an initialization message.
fn t_info_print(ctx: &mut Ctx, info: u8) {
    ctx.push(["reserved-ntype? ", "l2rout ", "l1rout ", "endnode "][(info & 3) as usize]);
    if info & 0o4 != 0 {
        ctx.push("verif ");
    }
    if info & 0o10 != 0 {
        ctx.push("blo ");
    }
}

/// The node type and flags of a hello message.
fn i_info_print(ctx: &mut Ctx, info: u8) {
    ctx.push(["reserved-ntype? ", "l2rout ", "l1rout ", "endnode "][(info & 3) as usize]);
    if info & 0o4 != 0 {
        ctx.push("verif ");
    }
    if info & 0o40 != 0 {
        ctx.push("nomcast ");
    }
    if info & 0o100 != 0 {
        ctx.push("blo ");
    }
}

/// Routing message segments: (count, first id/area, cost and hops), up to the checksum.
fn routes_print(ctx: &mut Ctx, rp: &[u8], mut len: usize, l2: bool) -> PResult {
    let mut off = 0;
    while len > 6 {
        rp.sub(off, 6)?;
        let count = rp.le_u16(off)? as u32;
        if count > 1024 {
            // Bogus from here on.
            return Ok(());
        }
        let (id, info) = (rp.le_u16(off + 2)? as u32, rp.le_u16(off + 4)?);
        pr!(
            ctx,
            "{{{} {}-{} cost {} hops {}}} ",
            if l2 { "areas" } else { "ids" },
            id,
            id + count,
            info & 0o777,
            (info >> 10) & 0o37
        );
        off += 6;
        len -= 6;
    }
    Ok(())
}

/// An acknowledgement number: `ack N` / `nak N`, or with `other` the other channel's names.
fn acknum_print(ctx: &mut Ctx, ack: u16, names: (&str, &str)) {
    let nak = if names.0 == "ack" { SGQ_NAK } else { SGQ_ONAK };
    let name = if ack & nak == nak { names.1 } else { names.0 };
    pr!(ctx, "{} {} ", name, ack & SGQ_MASK);
}

/// The segment numbers of a data or interrupt message (after the NSP header): optional
/// acknum, optional other-channel ack, then the segment number. Returns false when invalid.
fn segnums_print(ctx: &mut Ctx, p: &[u8], nsplen: usize, other: (&str, &str)) -> PResult<bool> {
    let mut data_off = MINSEGHDR;
    if nsplen < data_off {
        return Ok(false);
    }
    let mut ack = p.le_u16(5)?;
    if ack & SGQ_ACK != 0 {
        acknum_print(ctx, ack, ("ack", "nak"));
        data_off += 2;
        if nsplen < data_off {
            return Ok(false);
        }
        ack = p.le_u16(7)?;
        if ack & SGQ_OACK != 0 {
            acknum_print(ctx, ack, other);
            data_off += 2;
            if nsplen < data_off {
                return Ok(false);
            }
            ack = p.le_u16(9)?;
        }
    }
    pr!(ctx, "seg {} ", ack & SGQ_MASK);
    Ok(true)
}

/// Flow control and version of a connect initiate/confirm message.
fn services_info_print(ctx: &mut Ctx, services: u8, info: u8, segsize: u16) {
    match services & 0o14 {
        0o4 => ctx.push("seg "),
        0o10 => ctx.push("msg "),
        _ => {}
    }
    ctx.push(["ver 3.2 ", "ver 3.1 ", "ver 4.0 ", "ver 4.1 "][(info & 3) as usize]);
    pr!(ctx, "segsize {} ", segsize);
}

fn reason_print(ctx: &mut Ctx, reason: u16) {
    tok2str(ctx.out, REASON_VALUES, "reason-{}", reason as u32);
    ctx.push(" ");
}

/// An NSP message; returns false when invalid.
fn nsp_print(ctx: &mut Ctx, p: &[u8], nsplen: usize) -> PResult<bool> {
    if nsplen < NSPHDR {
        pr!(ctx, " (nsplen {} < {})", nsplen, NSPHDR);
        return Ok(false);
    }
    let (flags, dst, src) = (p.u8_at(0)?, p.le_u16(1)?, p.le_u16(3)?);
    let sub = flags & NSP_SUBMASK;
    match flags & NSP_TYPEMASK {
        MFT_DATA => match sub {
            0 | MFS_BOM | MFS_EOM | 0o140 => {
                pr!(ctx, "data {}>{} ", src, dst);
                return segnums_print(ctx, p, nsplen, ("oack", "onak"));
            }
            0o60 => {
                // An interrupt message (MFS_ILS | MFS_INT).
                ctx.push("intr ");
                return segnums_print(ctx, p, nsplen, ("ackdat", "nakdat"));
            }
            MFS_ILS => {
                pr!(ctx, "link-service {}>{} ", src, dst);
                if nsplen < SEGHDR + LSMSG {
                    return Ok(false);
                }
                let mut ack = p.le_u16(5)?;
                if ack & SGQ_ACK != 0 {
                    acknum_print(ctx, ack, ("ack", "nak"));
                    ack = p.le_u16(7)?;
                    if ack & SGQ_OACK != 0 {
                        acknum_print(ctx, ack, ("ackdat", "nakdat"));
                        ack = p.le_u16(9)?;
                    }
                }
                pr!(ctx, "seg {} ", ack & SGQ_MASK);
                let (lsflags, fcval) = (p.u8_at(SEGHDR)?, p.u8_at(SEGHDR + 1)?);
                match lsflags & 0o14 {
                    0 => {
                        pr!(ctx, "dat seg count {} ", fcval);
                        match lsflags & 3 {
                            0 => {}
                            1 => ctx.push("donotsend-data "),
                            2 => ctx.push("send-data "),
                            _ => pr!(ctx, "reserved-fcmod? {:x}", lsflags),
                        }
                    }
                    0o4 => pr!(ctx, "intr req count {} ", fcval),
                    _ => pr!(ctx, "reserved-fcval-int? {:x}", lsflags),
                }
            }
            _ => pr!(ctx, "reserved-subtype? {:x} {} > {}", flags, src, dst),
        },
        MFT_ACK => match sub {
            MFS_DACK | MFS_IACK => {
                let ils = sub == MFS_IACK;
                pr!(
                    ctx,
                    "{} {}>{} ",
                    if ils { "ils-ack" } else { "data-ack" },
                    src,
                    dst
                );
                if nsplen < ACKMSG {
                    return Ok(false);
                }
                p.sub(0, ACKMSG)?;
                let ack = p.le_u16(5)?;
                if ack & SGQ_ACK != 0 {
                    acknum_print(ctx, ack, ("ack", "nak"));
                    let ack = p.le_u16(7)?;
                    if ack & SGQ_OACK != 0 {
                        let other = if ils {
                            ("ackdat", "nakdat")
                        } else {
                            ("oack", "onak")
                        };
                        acknum_print(ctx, ack, other);
                    }
                }
            }
            MFS_CACK => pr!(ctx, "conn-ack {}", dst),
            _ => pr!(ctx, "reserved-acktype? {:x} {} > {}", flags, src, dst),
        },
        MFT_CTL => match sub {
            MFS_CI | MFS_RCI => {
                ctx.push(if sub == MFS_CI {
                    "conn-initiate "
                } else {
                    "retrans-conn-initiate "
                });
                pr!(ctx, "{}>{} ", src, dst);
                if nsplen < CIMSG {
                    return Ok(false);
                }
                let (services, info, segsize) = (p.u8_at(5)?, p.u8_at(6)?, p.le_u16(7)?);
                services_info_print(ctx, services, info, segsize);
            }
            MFS_CC => {
                pr!(ctx, "conn-confirm {}>{} ", src, dst);
                if nsplen < CCMSG {
                    return Ok(false);
                }
                let (services, info, segsize) = (p.u8_at(5)?, p.u8_at(6)?, p.le_u16(7)?);
                let optlen = p.u8_at(9)?;
                services_info_print(ctx, services, info, segsize);
                if optlen != 0 {
                    pr!(ctx, "optlen {} ", optlen);
                }
            }
            MFS_DI => {
                pr!(ctx, "disconn-initiate {}>{} ", src, dst);
                if nsplen < DIMSG {
                    return Ok(false);
                }
                let (reason, optlen) = (p.le_u16(5)?, p.u8_at(7)?);
                reason_print(ctx, reason);
                if optlen != 0 {
                    pr!(ctx, "optlen {} ", optlen);
                }
            }
            MFS_DC => {
                pr!(ctx, "disconn-confirm {}>{} ", src, dst);
                let reason = p.le_u16(5)?;
                reason_print(ctx, reason);
            }
            _ => pr!(ctx, "reserved-ctltype? {:x} {} > {}", flags, src, dst),
        },
        _ => pr!(ctx, "reserved-type? {:x} {} > {}", flags, src, dst),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| decnet_print(ctx, p, p.len() as u32))
    }

    /// Short header from 1.1 to 1.2, then an NSP data segment with an acknum.
    const DATA: &[u8] = &[
        18, 0, 0x02, 0x02, 0x04, 0x01, 0x04, 0x00, 0x00, 0x04, 0x20, 0x03, 0x20, 0x01, 0x80, 0x01,
        0x00, 0xaa,
    ];

    /// An Ethernet frame with a padded short header whose length field is smaller than the
    /// header (a fuzzing find: `length - SHORTHDR` overflowed); tcpdump 4.99.3 prints this line
    /// for it (`-v`, the timestamp left out).
    #[test]
    fn short_header_longer_than_the_length() {
        use crate::proto::testutil::{assert_every_truncated_packet_is_safe, print_packet};
        let frame: &[u8] = &[
            0xaa, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0xaa, 0x04, 0x01, 0x01, 0x04, 0x60, 0x03,
            0x0d, 0x00, 0x8b, 0x3b, 0x00, 0x00, 0x04, 0xaa, 0x04, 0x02, 0x02, 0x02, 0x02, 0x02,
            0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
            0x02,
        ];
        let out = print_packet(opts(1, false), 1, frame);
        assert!(
            out.ends_with("[pad:11] 0.514 > 0.514 13 3 hops data 514>514 seg 514 \n"),
            "{out:?}"
        );
        assert_every_truncated_packet_is_safe(1, frame, &verbosities(3));
    }

    #[test]
    fn data_segment() {
        assert_eq!(run(0, DATA), "1.1 > 1.2 18 data 8195>8196 ack 1 seg 1 ");
        assert_eq!(
            run(1, DATA),
            "1.1 > 1.2 18 1 hops data 8195>8196 ack 1 seg 1 "
        );
        let mut short = DATA[..11].to_vec();
        short[0] = 9;
        assert_eq!(run(0, &short), "1.1 > 1.2 9  (nsplen 3 < 5) (invalid)");
    }

    #[test]
    fn endnode_hello() {
        let mut h = vec![34, 0, 0x0d, 2, 0, 0, 0xaa, 0, 4, 0, 1, 4, 3, 0x32, 0x40, 0];
        h.extend_from_slice(&[0; 8]);
        h.extend_from_slice(&[0xaa, 0, 4, 0, 0, 0, 10, 0, 0, 2]);
        assert_eq!(
            run(0, &h),
            "endnode-hello endnode vers 2 eco 0 ueco 0 src 1.1 blksize 16434 rtr 0.0 hello 10 data 2"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| decnet_print(ctx, &h[..20], 34)),
            "endnode-hello  [|decnet]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(DATA, &verbosities(1), |ctx, p| decnet_print(ctx, p, 18));
    }
}
