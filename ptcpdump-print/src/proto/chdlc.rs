//! Cisco HDLC framing and its SLARP keepalives (no RFC; see tcpdump's print-chdlc.c), as found
//! in LINKTYPE_C_HDLC captures and in PPP-over-serial ones.
//!
//! Header: address (0x0f unicast, 0x8f broadcast), control (0), protocol (an Ethernet type).

use super::util_print::{print_unknown_data_at, tail};
use super::{Ctx, ether, ip, ip6, isoclns, mpls, pr, tok};
use crate::cursor::{Bytes, PResult};

const CHDLC_HDRLEN: u32 = 4;
const CHDLC_TYPE_SLARP: u16 = 0x8035;
const SLARP_MIN_LEN: u32 = 14;
const SLARP_MAX_LEN: u32 = 18;

/// Top-level printer for LINKTYPE_C_HDLC.
pub fn chdlc_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "chdlc";
    chdlc_print(ctx, p, len)
}

/// A Cisco HDLC frame. Returns the header length.
pub fn chdlc_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<u32> {
    ctx.protocol = "chdlc";
    if length < CHDLC_HDRLEN {
        ctx.print_trunc();
        return Ok(p.len() as u32);
    }
    let proto = p.be_u16(2)?;
    if ctx.eflag() {
        match p[0] {
            0x0f => ctx.push("unicast"),
            0x8f => ctx.push("bcast"),
            a => pr!(ctx, "0x{:02x}", a),
        }
        pr!(
            ctx,
            ", ethertype {} (0x{:04x}), length {}: ",
            tok(ether::ETHERTYPE_VALUES, proto as u32).unwrap_or("Unknown"),
            proto,
            length
        );
    }
    let b = tail(p, 4);
    let len = length - CHDLC_HDRLEN;
    match proto {
        0x0800 => ip::ip_print(ctx, b, len)?,
        0x86dd => ip6::ip6_print(ctx, b, len)?,
        CHDLC_TYPE_SLARP => slarp_print(ctx, b, len)?,
        0x8847 | 0x8848 => mpls::mpls_print(ctx, b, len)?,
        0xfefe => {
            // A fudge byte may precede the NLPID.
            if len < 2 {
                ctx.print_trunc();
                return Ok(p.len() as u32);
            }
            if matches!(b.u8_at(1)?, 0x81..=0x83) {
                isoclns::isoclns_print(ctx, tail(b, 1), len - 1)?;
            } else {
                isoclns::isoclns_print(ctx, b, len)?;
            }
        }
        _ => {
            if !ctx.eflag() {
                pr!(ctx, "unknown CHDLC protocol (0x{:04x})", proto);
            }
        }
    }
    Ok(CHDLC_HDRLEN)
}

fn slarp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "chdlc_slarp";
    pr!(ctx, "SLARP (length: {}), ", length);
    if length < SLARP_MIN_LEN || !p.has(0, SLARP_MIN_LEN as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    // tcpdump advances its pointer past the uptime before the -vv dump.
    let mut base = 0usize;
    let code = p.be_u32(0)?;
    match code {
        0 => ctx.push("request"),
        1 => {
            ctx.push("reply ");
            ctx.ip(&p[4..8]);
            ctx.push("/");
            ctx.ip(&p[8..12]);
        }
        2 => {
            pr!(
                ctx,
                "keepalive: mineseen=0x{:08x}, yourseen=0x{:08x}, reliability=0x{:04x}",
                p.be_u32(4)?,
                p.be_u32(8)?,
                p.be_u16(12)?
            );
            if length >= SLARP_MAX_LEN {
                base = SLARP_MIN_LEN as usize;
                let mut sec = p.be_u32(base)? / 1000;
                let mut min = sec / 60;
                sec -= min * 60;
                let mut hrs = min / 60;
                min -= hrs * 60;
                let days = hrs / 24;
                hrs -= days * 24;
                pr!(ctx, ", link uptime={}d{}h{}m{}s", days, hrs, min, sec);
            }
        }
        _ => {
            pr!(ctx, "0x{:02x} unknown", code);
            if ctx.vflag() <= 1 {
                print_unknown_data_at(ctx, p, 4, "\n\t", (length - 4) as usize);
            }
        }
    }
    if SLARP_MAX_LEN < length && ctx.vflag() > 0 {
        pr!(ctx, ", (trailing junk: {} bytes)", length - SLARP_MAX_LEN);
    }
    if ctx.vflag() > 1 {
        print_unknown_data_at(ctx, p, base + 4, "\n\t", (length - 4) as usize);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_marked};

    fn run(p: &[u8], e: bool) -> String {
        run_marked(&opts(0, e), |ctx| chdlc_print(ctx, p, p.len() as u32))
    }

    const KEEPALIVE: &[u8] = &[
        0x8f, 0, 0x80, 0x35, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 4, 0xff, 0xff, 0, 0x36, 0xee, 0x80,
    ];

    #[test]
    fn slarp_keepalive() {
        assert_eq!(
            run(KEEPALIVE, false),
            "SLARP (length: 18), keepalive: mineseen=0x00000005, yourseen=0x00000004, \
             reliability=0xffff, link uptime=0d1h0m0s"
        );
        assert!(
            run(KEEPALIVE, true)
                .starts_with("bcast, ethertype Reverse ARP (0x8035), length 22: SLARP")
        );
        for n in 0..KEEPALIVE.len() {
            let _ = run(&KEEPALIVE[..n], n % 2 == 0);
        }
    }
}
