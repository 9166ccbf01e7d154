//! Address Resolution Protocol (RFC 826), Reverse ARP (RFC 903), Inverse ARP (RFC 2390),
//! ATM ARP (RFC 2225); tcpdump's print-arp.c.

use super::ether::ETHERTYPE_IP;
use super::{Ctx, ether::ETHERTYPE_VALUES, pr, tok};
use crate::cursor::{Bytes, PResult};

const ETHERTYPE_TRAIL: u16 = 0x1000;
const ARP_HDRLEN: usize = 8;
const ATMARP_HDRLEN: usize = 12;
const ARPHRD_FRELAY: u16 = 15;
const ARPHRD_ATM2225: u16 = 19;
/// Type/length octets of ATM numbers and subaddresses: the low six bits are the length.
const ATMARP_LEN_MASK: u8 = 0x3f;

const ARPOP_VALUES: &[(u32, &str)] = &[
    (1, "Request"),
    (2, "Reply"),
    (3, "Reverse Request"),
    (4, "Reverse Reply"),
    (8, "Inverse Request"),
    (9, "Inverse Reply"),
    (10, "NACK Reply"),
];

const ARPHRD_VALUES: &[(u32, &str)] = &[
    (1, "Ethernet"),
    (6, "TokenRing"),
    (7, "ArcNet"),
    (15, "FrameRelay"),
    (23, "Strip"),
    (24, "IEEE 1394"),
    (19, "ATM"),
    (32, "InfiniBand"),
];

/// `GET_LINKADDR_STRING`: `<empty>` or colon-separated hex.
fn linkaddr(ctx: &mut Ctx, a: &[u8]) {
    if a.is_empty() {
        ctx.push("<empty>");
    } else {
        ctx.mac(a);
    }
}

/// An ARP packet. `bp`: captured bytes from the ARP header on; `length`: its length.
pub fn arp_print(ctx: &mut Ctx, bp: &[u8], length: u32) -> PResult {
    ctx.protocol = "arp";
    bp.sub(0, ARP_HDRLEN)?;
    let hrd = bp.be_u16(0)?;
    let pro = bp.be_u16(2)?;
    let hln = bp.u8_at(4)? as usize;
    let pln = bp.u8_at(5)? as usize;
    let op = bp.be_u16(6)?;
    if hrd == ARPHRD_ATM2225 {
        return atmarp_print(ctx, bp, length);
    }
    let sha = ARP_HDRLEN;
    let spa = sha + hln;
    let tha = spa + pln;
    let tpa = tha + hln;
    bp.sub(tpa, pln)?;
    if !ctx.eflag() {
        ctx.push("ARP, ");
    }
    let ip_like = pro == ETHERTYPE_IP || pro == ETHERTYPE_TRAIL;
    if !ip_like || pln != 4 || hln == 0 || ctx.vflag() > 0 {
        match tok(ARPHRD_VALUES, hrd as u32) {
            Some(n) => pr!(ctx, "{} (len {}), ", n, hln),
            None => pr!(ctx, "Unknown Hardware ({}) (len {}), ", hrd, hln),
        }
        match tok(ETHERTYPE_VALUES, pro as u32) {
            Some(n) => pr!(ctx, "{} (len {})", n, pln),
            None => pr!(ctx, "Unknown Protocol (0x{:04x}) (len {})", pro, pln),
        }
        if ctx.vflag() == 0 {
            pr!(ctx, ", length {}", length);
            return Ok(());
        }
    }
    if ctx.vflag() > 0 {
        ctx.push(", ");
    }
    match tok(ARPOP_VALUES, op as u32) {
        Some(n) => pr!(ctx, "{} ", n),
        None => pr!(ctx, "Unknown ({}) ", op),
    }
    // Frame Relay hardware addresses are Q.922 addresses (tcpdump's LINKADDR_FRELAY).
    let hwaddr = |ctx: &mut Ctx, a: &[u8]| {
        if hrd == ARPHRD_FRELAY && !a.is_empty() {
            super::fr::q922_string(ctx.out, a);
        } else {
            linkaddr(ctx, a);
        }
    };
    let paddr = |ctx: &mut Ctx, off: usize| -> PResult {
        if !ip_like {
            ctx.push("<wrong proto type>");
        } else if pln != 4 {
            ctx.push("<wrong len>");
        } else {
            ctx.ip(bp.sub(off, 4)?);
        }
        Ok(())
    };
    match op {
        1 => {
            ctx.push("who-has ");
            paddr(ctx, tpa)?;
            let t = bp.sub(tha, hln)?;
            if t.iter().any(|&b| b != 0) {
                ctx.push(" (");
                hwaddr(ctx, t);
                ctx.push(")");
            }
            ctx.push(" tell ");
            paddr(ctx, spa)?;
        }
        2 => {
            paddr(ctx, spa)?;
            ctx.push(" is-at ");
            hwaddr(ctx, bp.sub(sha, hln)?);
        }
        3 | 8 => {
            ctx.push("who-is ");
            hwaddr(ctx, bp.sub(tha, hln)?);
            ctx.push(" tell ");
            hwaddr(ctx, bp.sub(sha, hln)?);
        }
        4 => {
            hwaddr(ctx, bp.sub(tha, hln)?);
            ctx.push(" at ");
            paddr(ctx, tpa)?;
        }
        9 => {
            hwaddr(ctx, bp.sub(sha, hln)?);
            ctx.push(" at ");
            paddr(ctx, spa)?;
        }
        _ => {
            return ctx.default_print(bp, bp.len() as u32);
        }
    }
    pr!(ctx, ", length {}", length);
    Ok(())
}

/// An ATM ARP packet (RFC 2225 section 8.7): instead of one hardware address length there are
/// type/length octets for the ATM number and subaddress of each side, and a protocol address
/// length per side.
fn atmarp_print(ctx: &mut Ctx, bp: &[u8], length: u32) -> PResult {
    bp.sub(0, ATMARP_HDRLEN)?;
    let pro = bp.be_u16(2)?;
    let shln = (bp.u8_at(4)? & ATMARP_LEN_MASK) as usize;
    let ssln = (bp.u8_at(5)? & ATMARP_LEN_MASK) as usize;
    let op = bp.be_u16(6)?;
    let spln = bp.u8_at(8)? as usize;
    let thln = (bp.u8_at(9)? & ATMARP_LEN_MASK) as usize;
    let tsln = (bp.u8_at(10)? & ATMARP_LEN_MASK) as usize;
    let tpln = bp.u8_at(11)? as usize;
    let sha = ATMARP_HDRLEN;
    let ssa = sha + shln;
    let spa = ssa + ssln;
    let tha = spa + spln;
    let tsa = tha + thln;
    let tpa = tsa + tsln;
    bp.sub(tpa, tpln)?;
    if !ctx.eflag() {
        ctx.push("ARP, ");
    }
    let ip_like = pro == ETHERTYPE_IP || pro == ETHERTYPE_TRAIL;
    if !ip_like || spln != 4 || tpln != 4 || ctx.vflag() > 0 {
        ctx.push("ATM, ");
        match tok(ETHERTYPE_VALUES, pro as u32) {
            Some(n) => pr!(ctx, "{} (len {}/{})", n, spln, tpln),
            None => pr!(
                ctx,
                "Unknown Protocol (0x{:04x}) (len {}/{})",
                pro,
                spln,
                tpln
            ),
        }
        if ctx.vflag() == 0 {
            pr!(ctx, ", length {}", length);
            return Ok(());
        }
    }
    if ctx.vflag() > 0 {
        ctx.push(", ");
    }
    match tok(ARPOP_VALUES, op as u32) {
        Some(n) => pr!(ctx, "{} ", n),
        None => pr!(ctx, "Unknown ({}) ", op),
    }
    let paddr = |ctx: &mut Ctx, off: usize, len: usize, what: &str| -> PResult {
        if !ip_like {
            ctx.push("<wrong proto type>");
        } else if len != 4 {
            pr!(ctx, "<wrong {}>", what);
        } else {
            ctx.ip(bp.sub(off, 4)?);
        }
        Ok(())
    };
    // An ATM number, then ",subaddress" when there is one.
    let addr = |ctx: &mut Ctx, num: usize, nlen: usize, sub: usize, slen: usize| -> PResult {
        if nlen == 0 {
            ctx.push("<No address>");
            return Ok(());
        }
        linkaddr(ctx, bp.sub(num, nlen)?);
        if slen != 0 {
            let s = bp.sub(sub, slen)?;
            ctx.push(",");
            linkaddr(ctx, s);
        }
        Ok(())
    };
    match op {
        1 => {
            ctx.push("who-has ");
            paddr(ctx, tpa, tpln, "tplen")?;
            if thln != 0 {
                ctx.push(" (");
                addr(ctx, tha, thln, tsa, tsln)?;
                ctx.push(")");
            }
            ctx.push(" tell ");
            paddr(ctx, spa, spln, "splen")?;
        }
        2 => {
            paddr(ctx, spa, spln, "splen")?;
            ctx.push(" is-at ");
            addr(ctx, sha, shln, ssa, ssln)?;
        }
        8 => {
            ctx.push("who-is ");
            addr(ctx, tha, thln, tsa, tsln)?;
            ctx.push(" tell ");
            addr(ctx, sha, shln, ssa, ssln)?;
        }
        9 => {
            addr(ctx, sha, shln, ssa, ssln)?;
            ctx.push("at ");
            paddr(ctx, spa, spln, "splen")?;
        }
        10 => {
            ctx.push("for ");
            paddr(ctx, spa, spln, "splen")?;
        }
        _ => return ctx.default_print(bp, bp.len() as u32),
    }
    pr!(ctx, ", length {}", length);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::print_packet;

    const REQ: &[u8] = &[
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x1b, 0x21, 0x3a, 0x4c, 0x5d, 0x08, 0x06, 0, 1, 8,
        0, 6, 4, 0, 1, 0, 0x1b, 0x21, 0x3a, 0x4c, 0x5d, 192, 168, 1, 10, 0, 0, 0, 0, 0, 0, 192,
        168, 1, 1,
    ];

    fn print(opts: PrintOptions, d: &[u8]) -> String {
        print_packet(opts, 1, d)
    }

    #[test]
    fn request() {
        assert_eq!(
            print(PrintOptions::default(), REQ),
            "ARP, Request who-has 192.168.1.1 tell 192.168.1.10, length 28\n"
        );
        assert_eq!(
            print(
                PrintOptions {
                    verbose: 1,
                    ..Default::default()
                },
                REQ
            ),
            "ARP, Ethernet (len 6), IPv4 (len 4), Request who-has 192.168.1.1 tell 192.168.1.10, length 28\n"
        );
    }

    /// An ATM ARP request: 20-byte source ATM number, no subaddress, IPv4 addresses.
    fn atm_request() -> Vec<u8> {
        let mut d = REQ[..14].to_vec();
        d.extend_from_slice(&[0, 19, 8, 0, 20, 0, 0, 1, 4, 0, 0, 4]);
        d.extend_from_slice(&[0x47; 20]);
        d.extend_from_slice(&[198, 18, 0, 1, 198, 18, 0, 2]);
        d
    }

    #[test]
    fn atm_arp() {
        let d = atm_request();
        assert_eq!(
            print(PrintOptions::default(), &d),
            "ARP, Request who-has 198.18.0.2 tell 198.18.0.1, length 40\n"
        );
        let v = print(
            PrintOptions {
                verbose: 1,
                ..Default::default()
            },
            &d,
        );
        assert_eq!(
            v,
            "ARP, ATM, IPv4 (len 4/4), Request who-has 198.18.0.2 tell 198.18.0.1, length 40\n"
        );
        assert_eq!(print(PrintOptions::default(), &d[..40]), " [|arp]\n");
        for n in 0..=d.len() {
            let _ = print(PrintOptions::default(), &d[..n]);
        }
    }

    #[test]
    fn truncated_at_every_offset() {
        for n in 0..=REQ.len() {
            let _ = print(PrintOptions::default(), &REQ[..n]);
        }
        assert_eq!(print(PrintOptions::default(), &REQ[..30]), " [|arp]\n");
    }
}
