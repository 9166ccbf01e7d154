//! MPLS label stack encoding (RFC 3032), also as carried over UDP (RFC 7510); tcpdump's
//! print-mpls.c.
//!
//! Each label stack entry: label (20 bits), traffic class (3), bottom of stack (1), TTL (8).

use super::util_print::tail;
use super::{Ctx, ip, ip6, isoclns, pr};
use crate::cursor::{Bytes, PResult};

const MPLS_LABELNAME: &[&str] = &[
    "IPv4 explicit NULL",
    "router alert",
    "IPv6 explicit NULL",
    "implicit NULL",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
];

enum Payload {
    Unknown,
    Ipv4,
    Ipv6,
    Osi,
}

/// An MPLS label stack and the packet below it.
pub fn mpls_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "mpls";
    ctx.push("MPLS");
    let mut length = length;
    let mut off = 0usize;
    let mut depth = 0u32;
    let label_entry = loop {
        if length < 4 {
            ctx.print_invalid();
            // tcpdump then checks that the rest is captured.
            if !p.has(off, length as usize) {
                return Err(crate::cursor::Truncated);
            }
            return Ok(());
        }
        let e = p.be_u32(off)?;
        let label = e >> 12;
        pr!(
            ctx,
            "{}(label {}",
            if depth > 0 && ctx.vflag() > 0 {
                "\n\t"
            } else {
                " "
            },
            label
        );
        depth += 1;
        if ctx.vflag() > 0 && (label as usize) < MPLS_LABELNAME.len() {
            pr!(ctx, " ({})", MPLS_LABELNAME[label as usize]);
        }
        pr!(ctx, ", tc {}", (e >> 9) & 7);
        if e & 0x100 != 0 {
            ctx.push(", [S]");
        }
        pr!(ctx, ", ttl {})", e & 0xff);
        off += 4;
        length -= 4;
        if e & 0x100 != 0 {
            break e;
        }
    };
    let pt = match label_entry >> 12 {
        0 | 3 => Payload::Ipv4,
        2 => Payload::Ipv6,
        _ => {
            if length < 1 {
                return Ok(());
            }
            match p.u8_at(off)? {
                0x45..=0x4f => Payload::Ipv4,
                0x60..=0x6f => Payload::Ipv6,
                0x81..=0x83 => Payload::Osi,
                _ => Payload::Unknown,
            }
        }
    };
    let rest = tail(p, off);
    let sep = if ctx.vflag() > 0 { "\n\t" } else { " " };
    match pt {
        Payload::Unknown => {
            if !ctx.suppress_default_print() {
                ctx.default_print(rest, length)?;
            }
        }
        Payload::Ipv4 => {
            ctx.push(sep);
            ip::ip_print(ctx, rest, length)?;
        }
        Payload::Ipv6 => {
            ctx.push(sep);
            ip6::ip6_print(ctx, rest, length)?;
        }
        Payload::Osi => {
            ctx.push(sep);
            isoclns::isoclns_print(ctx, rest, length)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::run_with;

    fn run(p: &[u8], length: u32, verbose: u8) -> (String, PResult) {
        run_with(
            &PrintOptions {
                verbose,
                quiet: true,
                ..Default::default()
            },
            |ctx| mpls_print(ctx, p, length),
        )
    }

    // Two labels: 16 (tc 1) then 21 bottom of stack, ttl 63; payload byte 0x00 (unknown).
    const TWO: &[u8] = &[0x00, 0x01, 0x02, 0x40, 0x00, 0x01, 0x51, 0x3f, 0x00];

    #[test]
    fn labels() {
        assert_eq!(
            run(TWO, 9, 0).0,
            "MPLS (label 16, tc 1, ttl 64) (label 21, tc 0, [S], ttl 63)"
        );
        assert_eq!(
            run(&[0, 0, 0x11, 0x40], 4, 1).0,
            "MPLS (label 1 (router alert), tc 0, [S], ttl 64)"
        );
        assert_eq!(run(TWO, 3, 0).0, "MPLS (invalid)");
    }

    #[test]
    fn truncated_at_every_offset() {
        for n in 0..=TWO.len() {
            for v in 0..2 {
                let _ = run(&TWO[..n], 9, v);
            }
        }
    }
}
