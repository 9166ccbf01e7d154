//! AppleTalk: the Datagram Delivery Protocol (DDP) over EtherTalk (Ethernet type 0x809b) and
//! LocalTalk's LLAP, the AppleTalk ARP (AARP, Ethernet type 0x80f3), and above DDP the
//! Transaction Protocol (ATP) and Name Binding Protocol (NBP); "Inside AppleTalk", second
//! edition (Apple, 1990); tcpdump's print-atalk.c. Names are never looked up
//! (`/etc/atalk.names`): nodes print as `net.node`, sockets as numbers.

use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const ETHERTYPE_ATALK: u16 = 0x809b;
/// DDP long (extended) and short header sizes.
const DDP_SIZE: usize = 13;
const DDP_SSIZE: usize = 5;
const LAP_SIZE: usize = 3;
const AARP_SIZE: usize = 28;
const ATP_SIZE: usize = 8;
const NBP_HEADER_SIZE: usize = 2;
const NBP_TUPLE_SIZE: usize = 5;

const LAP_SHORT_DDP: u8 = 1;
const LAP_DDP: u8 = 2;

const DDP_NBP: u8 = 2;
const DDP_ATP: u8 = 3;
const DDP_EIGRP: u8 = 88;

const ATP_REQ: u8 = 0x40;
const ATP_RSP: u8 = 0x80;
const ATP_REL: u8 = 0xc0;
const ATP_XO: u8 = 0x20;
const ATP_EOM: u8 = 0x10;
const ATP_STS: u8 = 0x08;

const NBP_BRRQ: u8 = 0x10;
const NBP_LKUP: u8 = 0x20;
const NBP_LKUP_REPLY: u8 = 0x30;

/// DDP protocol types without a decoder here.
const TYPE_VALUES: &[(u32, &str)] = &[
    (1, "rtmp"),
    (5, "rtmpReq"),
    (4, "echo"),
    (22, "IP"),
    (23, "ARP"),
    (0x4b, "KLAP"),
];

/// An AppleTalk node address: `net.node`, or only `net` for the broadcast node 255.
fn ataddr(ctx: &mut Ctx, net: u16, node: u8) {
    if node != 255 {
        pr!(ctx, "{}.{}", net, node);
    } else {
        pr!(ctx, "{}", net);
    }
}

/// `src.skt > dst.skt:` of a DDP datagram.
fn endpoints(ctx: &mut Ctx, s: (u16, u8, u8), d: (u16, u8, u8)) {
    ataddr(ctx, s.0, s.1);
    pr!(ctx, ".{} > ", s.2);
    ataddr(ctx, d.0, d.1);
    pr!(ctx, ".{}:", d.2);
}

/// EtherTalk: a long DDP header, then its payload.
pub fn atalk_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "atalk";
    if !ctx.eflag() {
        ctx.push("AT ");
    }
    if (length as usize) < DDP_SIZE {
        pr!(ctx, " [|ddp {}]", length);
        return Ok(());
    }
    if !p.has(0, DDP_SIZE) {
        ctx.push(" [|ddp]");
        return Ok(());
    }
    let snet = p.be_u16(6)?;
    let (snode, sskt) = (p.u8_at(9)?, p.u8_at(11)?);
    endpoints(
        ctx,
        (snet, snode, sskt),
        (p.be_u16(4)?, p.u8_at(8)?, p.u8_at(10)?),
    );
    ctx.push(" ");
    ddp_print(
        ctx,
        &p[DDP_SIZE..],
        length - DDP_SIZE as u32,
        p.u8_at(12)?,
        (snet, snode, sskt),
    )
}

/// LLAP (LocalTalk): destination and source node, type, then a short or long DDP header.
/// Returns the header length, 0 when the capture ends inside it.
pub fn llap_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "llap";
    let length = length as usize;
    if length < LAP_SIZE {
        pr!(ctx, " [|llap {}]", length);
        return Ok(length as u32);
    }
    if !p.has(0, LAP_SIZE) {
        ctx.print_trunc();
        return Ok(0);
    }
    let (dst, src, ty) = (p.u8_at(0)?, p.u8_at(1)?, p.u8_at(2)?);
    let (bp, length) = (&p[LAP_SIZE..], length - LAP_SIZE);
    match ty {
        LAP_SHORT_DDP => {
            if length < DDP_SSIZE {
                pr!(ctx, " [|sddp {}]", length);
                return Ok(length as u32);
            }
            if !bp.has(0, DDP_SSIZE) {
                ctx.push(" [|sddp]");
                return Ok(0);
            }
            let (dskt, sskt) = (bp.u8_at(2)?, bp.u8_at(3)?);
            endpoints(ctx, (0, src, sskt), (0, dst, dskt));
            let t = bp.u8_at(4)?;
            ddp_print(
                ctx,
                &bp[DDP_SSIZE..],
                (length - DDP_SSIZE) as u32,
                t,
                (0, src, sskt),
            )?;
            Ok((LAP_SIZE + DDP_SSIZE) as u32)
        }
        LAP_DDP => {
            if length < DDP_SIZE {
                pr!(ctx, " [|ddp {}]", length);
                return Ok(length as u32);
            }
            if !bp.has(0, DDP_SIZE) {
                ctx.push(" [|ddp]");
                return Ok(0);
            }
            let snet = bp.be_u16(6)?;
            let (snode, sskt) = (bp.u8_at(9)?, bp.u8_at(11)?);
            endpoints(
                ctx,
                (snet, snode, sskt),
                (bp.be_u16(4)?, bp.u8_at(8)?, bp.u8_at(10)?),
            );
            let t = bp.u8_at(12)?;
            ddp_print(
                ctx,
                &bp[DDP_SIZE..],
                (length - DDP_SIZE) as u32,
                t,
                (snet, snode, sskt),
            )?;
            Ok((LAP_SIZE + DDP_SIZE) as u32)
        }
        _ => {
            pr!(ctx, "{} > {} at-lap#{} {}", src, dst, ty, length);
            Ok(LAP_SIZE as u32)
        }
    }
}

/// LINKTYPE_LTALK: LLAP frames from a LocalTalk interface.
pub fn ltalk_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "ltalk";
    match llap_print(ctx, p, len)? {
        // Cut short by the snapshot length: the whole capture counts as header.
        0 => Ok(p.len() as u32),
        n => Ok(n),
    }
}

/// AARP: AppleTalk addresses resolved to Ethernet addresses.
pub fn aarp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "aarp";
    ctx.push("aarp ");
    if !p.has(0, AARP_SIZE) {
        ctx.print_trunc();
        return Ok(());
    }
    if (length as usize) < AARP_SIZE {
        pr!(ctx, " [|aarp {}]", length);
        return Ok(());
    }
    let (htype, ptype, halen, palen, op) = (
        p.be_u16(0)?,
        p.be_u16(2)?,
        p.u8_at(4)?,
        p.u8_at(5)?,
        p.be_u16(6)?,
    );
    // Protocol addresses are 4 bytes: a zero pad, the net (2) and the node.
    let at = |ctx: &mut Ctx, off: usize| ataddr(ctx, p.be_u16(off + 1).unwrap_or(0), p[off + 3]);
    let (psaddr, pdaddr) = (14, 24);
    if htype == 1 && ptype == ETHERTYPE_ATALK && halen == 6 && palen == 4 {
        match op {
            1 | 3 => {
                ctx.push(if op == 1 { "who-has " } else { "probe " });
                at(ctx, pdaddr);
                ctx.push(" tell ");
                at(ctx, psaddr);
                return Ok(());
            }
            2 => {
                ctx.push("reply ");
                at(ctx, psaddr);
                ctx.push(" is-at ");
                ctx.mac(&p[8..14]);
                return Ok(());
            }
            _ => {}
        }
    }
    pr!(
        ctx,
        "len {} op {} htype {} ptype {:#x} halen {} palen {}",
        length,
        op,
        htype,
        ptype,
        halen,
        palen
    );
    Ok(())
}

/// The DDP payload of protocol type `t`; `src`: the sender (net, node, socket), which NBP
/// compares with the addresses it carries.
fn ddp_print(ctx: &mut Ctx, p: &[u8], length: u32, t: u8, src: (u16, u8, u8)) -> PResult {
    match t {
        DDP_NBP => nbp_print(ctx, p, length, src),
        DDP_ATP => atp_print(ctx, p, length),
        // EIGRP over AppleTalk: no EIGRP printer yet, printed as an unknown type.
        DDP_EIGRP => {
            pr!(ctx, " at-#{} {}", t, length);
            Ok(())
        }
        _ => {
            match tok(TYPE_VALUES, t as u32) {
                Some(n) => pr!(ctx, " at-{} {}", n, length),
                None => pr!(ctx, " at-#{} {}", t, length),
            }
            Ok(())
        }
    }
}

/// ATP's bitmap of wanted/sent packets: `<0-N>` when contiguous from 0, else the list.
fn atp_bitmap_print(ctx: &mut Ctx, bm: u8) {
    let bm16 = bm as u16;
    if (bm16 + 1) & bm16 != 0 {
        let mut c = '<';
        for i in 0..8 {
            if bm & (1 << i) != 0 {
                pr!(ctx, "{}{}", c, i);
                c = ',';
            }
        }
        ctx.push(">");
    } else {
        let n = 8 - bm.leading_zeros();
        if n > 1 {
            pr!(ctx, "<0-{}>", n - 1);
        } else {
            ctx.push("<0>");
        }
    }
}

fn atp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    if !p.has(0, ATP_SIZE) {
        ctx.print_trunc();
        return Ok(());
    }
    if (length as usize) < ATP_SIZE {
        pr!(ctx, " [|atp {}]", length);
        return Ok(());
    }
    let length = length - ATP_SIZE as u32;
    let (control, bitmap, tid) = (p.u8_at(0)?, p.u8_at(1)?, p.be_u16(2)?);
    match control & 0xc0 {
        ATP_REQ => {
            pr!(
                ctx,
                " atp-req{} {}",
                if control & ATP_XO != 0 { " " } else { "*" },
                tid
            );
            atp_bitmap_print(ctx, bitmap);
            if length != 0 {
                pr!(ctx, " [len={}]", length);
            }
            match control & (ATP_EOM | ATP_STS) {
                ATP_EOM => ctx.push(" [EOM]"),
                ATP_STS => ctx.push(" [STS]"),
                0x18 => ctx.push(" [EOM,STS]"),
                _ => {}
            }
        }
        ATP_RSP => {
            pr!(
                ctx,
                " atp-resp{}{}:{} ({})",
                if control & ATP_EOM != 0 { "*" } else { " " },
                tid,
                bitmap,
                length
            );
            match control & (ATP_XO | ATP_STS) {
                ATP_XO => ctx.push(" [XO]"),
                ATP_STS => ctx.push(" [STS]"),
                0x28 => ctx.push(" [XO,STS]"),
                _ => {}
            }
        }
        ATP_REL => {
            pr!(ctx, " atp-rel  {}", tid);
            atp_bitmap_print(ctx, bitmap);
            if length != 0 {
                pr!(ctx, " [len={}]", length);
            }
            let flags = [(ATP_XO, "XO"), (ATP_EOM, "EOM"), (ATP_STS, "STS")];
            let mut c = '[';
            for (bit, name) in flags {
                if control & bit != 0 {
                    pr!(ctx, "{}{}", c, name);
                    c = ',';
                }
            }
            if c == ',' {
                ctx.push("]");
            }
        }
        _ => pr!(ctx, " atp-0x{:x}  {} ({})", control, tid, length),
    }
    let data = p.be_u32(4)?;
    if data != 0 {
        pr!(ctx, " 0x{:x}", data);
    }
    Ok(())
}

/// A counted string of at most 32 characters; `None` when it ended the name (truncated or
/// too long), after saying so.
fn cstring(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<Option<usize>> {
    if off >= p.len() {
        ctx.print_trunc();
        return Ok(None);
    }
    let n = p.u8_at(off)? as usize;
    if n > 32 {
        pr!(ctx, "[len={}]", n);
        return Ok(None);
    }
    for i in 0..n {
        let Some(&c) = p.get(off + 1 + i) else {
            ctx.print_trunc();
            return Ok(None);
        };
        super::util_print::push_char(ctx.out, c);
    }
    Ok(Some(off + 1 + n))
}

/// ` "object:type@zone"` of the tuple at `off`; returns the offset after it.
fn nbp_name_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<Option<usize>> {
    ctx.push(" \"");
    let Some(o) = cstring(ctx, p, off + NBP_TUPLE_SIZE)? else {
        return Ok(None);
    };
    ctx.push(":");
    let Some(o) = cstring(ctx, p, o)? else {
        return Ok(None);
    };
    ctx.push("@");
    let Some(o) = cstring(ctx, p, o)? else {
        return Ok(None);
    };
    ctx.push("\"");
    Ok(Some(o))
}

fn nbp_print(ctx: &mut Ctx, p: &[u8], length: u32, src: (u16, u8, u8)) -> PResult {
    let length = length as usize;
    if length < NBP_HEADER_SIZE {
        pr!(ctx, " truncated-nbp {}", length);
        return Ok(());
    }
    // Room for at least one tuple.
    if length - NBP_HEADER_SIZE < 8 {
        pr!(ctx, " truncated-nbp {}", length);
        return Ok(());
    }
    if p.len() < NBP_HEADER_SIZE {
        ctx.print_trunc();
        return Ok(());
    }
    let (control, id) = (p.u8_at(0)?, p.u8_at(1)?);
    let tp = NBP_HEADER_SIZE;
    match control & 0xf0 {
        NBP_BRRQ | NBP_LKUP => {
            let what = if control & 0xf0 == NBP_LKUP {
                "lkup"
            } else {
                "brRq"
            };
            pr!(ctx, " nbp-{} {}:", what, id);
            if !p.has(tp, NBP_TUPLE_SIZE) {
                ctx.print_trunc();
                return Ok(());
            }
            nbp_name_print(ctx, p, tp)?;
            // The spec allows one tuple, with the sender's address and enumerator 0.
            if control & 0xf != 1 {
                pr!(ctx, " [ntup={}]", control & 0xf);
            }
            let e = p.u8_at(tp + 4)?;
            if e != 0 {
                pr!(ctx, " [enum={}]", e);
            }
            let (net, node, skt) = (p.be_u16(tp)?, p.u8_at(tp + 2)?, p.u8_at(tp + 3)?);
            if (net, node, skt) != src {
                ctx.push(" [addr=");
                ataddr(ctx, net, node);
                pr!(ctx, ".{}]", skt);
            }
        }
        NBP_LKUP_REPLY => {
            pr!(ctx, " nbp-reply {}:", id);
            let mut off = Some(tp);
            for _ in 0..(control & 0xf) {
                let Some(t) = off else { break };
                if !p.has(t, NBP_TUPLE_SIZE) {
                    ctx.print_trunc();
                    break;
                }
                off = nbp_name_print(ctx, p, t)?;
                let e = p.u8_at(t + 4)?;
                if e != 1 {
                    pr!(ctx, "({})", e);
                }
                let (net, node, skt) = (p.be_u16(t)?, p.u8_at(t + 2)?, p.u8_at(t + 3)?);
                if skt != src.2 {
                    pr!(ctx, " {}", skt);
                }
                if (net, node) != (src.0, src.1) {
                    ctx.push(" [addr=");
                    ataddr(ctx, net, node);
                    ctx.push("]");
                }
            }
        }
        _ => pr!(
            ctx,
            " nbp-0x{:x}  {} ({})",
            control,
            id,
            length - NBP_HEADER_SIZE
        ),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// DDP 1.2.3 > 4.5.6, NBP lookup "a:b@*" from the sender's own address.
    fn nbp_lookup() -> Vec<u8> {
        let mut d = vec![0, 0, 0, 0, 0, 4, 0, 1, 5, 2, 6, 3, DDP_NBP];
        d.extend_from_slice(&[0x21, 7, 0, 1, 2, 3, 0, 1, b'a', 1, b'b', 1, b'*']);
        d
    }

    #[test]
    fn ddp_and_nbp() {
        let d = nbp_lookup();
        assert_eq!(
            run_marked(&opts(0, false), |ctx| atalk_print(ctx, &d, d.len() as u32)),
            "AT 1.2.3 > 4.5.6:  nbp-lkup 7: \"a:b@*\""
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| atalk_print(ctx, &d[..12], 40)),
            "AT  [|ddp]"
        );
    }

    #[test]
    fn atp_and_aarp() {
        let mut d = vec![0, 0, 0, 0, 0, 4, 0, 1, 255, 2, 6, 3, DDP_ATP];
        d.extend_from_slice(&[0x40 | 0x20, 0x0f, 0, 9, 0, 0, 0, 0]);
        assert_eq!(
            run_marked(&opts(0, true), |ctx| atalk_print(ctx, &d, d.len() as u32)),
            "1.2.3 > 4.6:  atp-req  9<0-3>"
        );
        let mut a = vec![0, 1, 0x80, 0x9b, 6, 4, 0, 1, 0, 1, 2, 3, 4, 5, 0, 0, 1, 2];
        a.extend_from_slice(&[0; 6]);
        a.extend_from_slice(&[0, 0, 4, 5]);
        assert_eq!(
            run_marked(&opts(0, false), |ctx| aarp_print(ctx, &a, 28)),
            "aarp who-has 4.5 tell 1.2"
        );
        assert_eq!(
            run_marked(&opts(0, false), |ctx| aarp_print(ctx, &a[..27], 28)),
            "aarp  [|aarp]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = nbp_lookup();
        assert_every_truncation_is_safe(&d, &verbosities(1), |ctx, p| atalk_print(ctx, p, 26));
        let mut l = vec![5, 6, LAP_DDP];
        l.extend_from_slice(&d);
        assert_every_truncation_is_safe(&l, &verbosities(1), |ctx, p| llap_print(ctx, p, 29));
    }
}
