//! Exterior Gateway Protocol, EGP version 2 (RFC 904); tcpdump's print-egp.c. IP protocol 8.
//!
//! ```text
//! version(1) type(1) code(1) status(1) checksum(2) AS(2) sequence(2)
//! hello interval / gateway counts / reason (2), poll interval / source network (2 or 4)
//! update: per gateway its host part, then distances, each with its networks
//! ```

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const EGP_LEN: u32 = 16;
const EGP_VERSION: u8 = 2;

const ACQUIRE_CODES: [&str; 5] = ["request", "confirm", "refuse", "cease", "cease_ack"];
const ACQUIRE_STATUS: [&str; 8] = [
    "unspecified",
    "active_mode",
    "passive_mode",
    "insufficient_resources",
    "administratively_prohibited",
    "going_down",
    "parameter_violation",
    "protocol_violation",
];
const REACH_CODES: [&str; 2] = ["hello", "i-h-u"];
const UPDOWN: [&str; 3] = ["indeterminate", "up", "down"];
const REASONS: [&str; 7] = [
    "unspecified",
    "bad_EGP_header_format",
    "bad_EGP_data_field_format",
    "reachability_info_unavailable",
    "excessive_polling_rate",
    "no_response",
    "unsupported_version",
];

fn state(ctx: &mut Ctx, status: u8) {
    match UPDOWN.get(status as usize) {
        Some(s) => pr!(ctx, " state:{}", s),
        None => pr!(ctx, " [status {}]", status),
    }
}

/// An EGP message of `length` bytes at `p`.
pub fn egp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "egp";
    if length < EGP_LEN || !p.has(0, EGP_LEN as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    let version = p[0];
    if ctx.vflag() == 0 {
        pr!(
            ctx,
            "EGPv{}, AS {}, seq {}, length {}",
            version,
            p.be_u16(6)?,
            p.be_u16(8)?,
            length
        );
        return Ok(());
    }
    pr!(ctx, "EGPv{}, length {}", version, length);
    if version != EGP_VERSION {
        pr!(ctx, "[version {}]", version);
        return Ok(());
    }
    let (ty, code, mut status) = (p[1], p[2], p[3]);
    match ty {
        // Acquisition.
        3 => {
            ctx.push(" acquire");
            match code {
                0 | 1 => {
                    pr!(ctx, " {}", ACQUIRE_CODES[code as usize]);
                    if status <= 2 {
                        pr!(ctx, " {}", ACQUIRE_STATUS[status as usize]);
                    } else {
                        pr!(ctx, " [status {}]", status);
                    }
                    pr!(ctx, " hello:{} poll:{}", p.be_u16(10)?, p.be_u16(12)?);
                }
                2..=4 => {
                    pr!(ctx, " {}", ACQUIRE_CODES[code as usize]);
                    if status == 0 || (3..=7).contains(&status) {
                        pr!(ctx, " {}", ACQUIRE_STATUS[status as usize]);
                    } else {
                        pr!(ctx, "[status {}]", status);
                    }
                }
                _ => pr!(ctx, "[code {}]", code),
            }
        }
        // Neighbor reachability.
        5 => match code {
            0 | 1 => {
                pr!(ctx, " {}", REACH_CODES[code as usize]);
                state(ctx, status);
            }
            _ => pr!(ctx, "[reach code {}]", code),
        },
        2 => {
            ctx.push(" poll");
            state(ctx, status);
            ctx.push(" net:");
            ctx.ip(&p[12..16]);
        }
        1 => {
            ctx.push(" update");
            if status & 0x80 != 0 {
                status &= !0x80;
                ctx.push(" unsolicited");
            }
            state(ctx, status);
            ctx.push(" ");
            ctx.ip(&p[12..16]);
            pr!(ctx, " int {} ext {}", p[10], p[11]);
            networks_print(ctx, p, length)?;
        }
        8 => {
            ctx.push(" error");
            state(ctx, status);
            let reason = p.be_u16(10)?;
            match REASONS.get(reason as usize) {
                Some(r) => pr!(ctx, " {}", r),
                None => pr!(ctx, " [reason {}]", reason),
            }
        }
        _ => pr!(ctx, "[type {}]", ty),
    }
    Ok(())
}

/// The 32-bit value tcpdump holds for four address bytes copied into memory (it runs on
/// little-endian hosts for the outputs this matches), and the address text of such a value.
fn mem_u32(b: [u8; 4]) -> u32 {
    u32::from_le_bytes(b)
}

fn ip_of_mem(ctx: &mut Ctx, v: u32) {
    ctx.ip(&v.to_le_bytes());
}

fn class_a(a: u32) -> bool {
    a & 0x8000_0000 == 0
}
fn class_b(a: u32) -> bool {
    a & 0xc000_0000 == 0x8000_0000
}
fn class_c(a: u32) -> bool {
    a & 0xe000_0000 == 0xc000_0000
}

/// `egpnr_print`: an update's gateways and their networks (with `-v`). tcpdump mixes the host
/// and network byte orders here (classful tests on the in-memory source network, addresses
/// built in host order and printed from memory); the result is reproduced as a little-endian
/// host prints it.
fn networks_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let src = mem_u32([p[12], p[13], p[14], p[15]]);
    let (net, netlen) = if class_a(src) {
        (src & 0xff00_0000, 1)
    } else if class_b(src) {
        (src & 0xffff_0000, 2)
    } else if class_c(src) {
        (src & 0xffff_ff00, 3)
    } else {
        (0, 0)
    };
    let mut off = EGP_LEN as usize;
    let mut length = length - EGP_LEN;
    let (intgw, extgw) = (p[10] as u32, p[11] as u32);
    for gw in 0..intgw + extgw {
        let host_len = 4 - netlen;
        if length < host_len || !p.has(off, host_len as usize) {
            ctx.print_trunc();
            return Ok(());
        }
        // Without a classful source network tcpdump reads no host part but still counts four
        // bytes of it.
        let mut addr = 0u32;
        if netlen != 0 {
            for _ in 0..host_len {
                addr = (addr << 8) | p[off] as u32;
                off += 1;
            }
        }
        addr |= net;
        length -= host_len;
        if length < 1 {
            ctx.print_trunc();
            return Ok(());
        }
        let mut distances = p.u8_at(off)?;
        off += 1;
        length -= 1;
        pr!(ctx, " {} ", if gw < intgw { "int" } else { "ext" });
        ip_of_mem(ctx, addr);
        ctx.push(" (");
        let mut comma = "";
        while distances != 0 {
            if length < 2 {
                ctx.print_trunc();
                return Ok(());
            }
            let d = p.u8_at(off)?;
            pr!(ctx, "{}d{}:", comma, d);
            comma = ", ";
            let mut networks = p.u8_at(off + 1)?;
            off += 2;
            length -= 2;
            while networks != 0 {
                if length < 1 {
                    ctx.print_trunc();
                    return Ok(());
                }
                let mut a = (p.u8_at(off)? as u32) << 24;
                off += 1;
                length -= 1;
                if class_b(a) {
                    if length < 1 {
                        ctx.print_trunc();
                        return Ok(());
                    }
                    a |= (p.u8_at(off)? as u32) << 16;
                    off += 1;
                    length -= 1;
                } else if !class_a(a) {
                    if length < 2 {
                        ctx.print_trunc();
                        return Ok(());
                    }
                    a |= (p.u8_at(off)? as u32) << 16;
                    a |= (p.u8_at(off + 1)? as u32) << 8;
                    off += 2;
                    length -= 2;
                }
                ctx.push(" ");
                ip_of_mem(ctx, a);
                networks -= 1;
            }
            distances -= 1;
        }
        ctx.push(")");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// An update from a class C source network with one interior gateway, one distance, one
    /// network.
    const UPDATE: &[u8] = &[
        2, 1, 0, 1, 0, 0, 0, 1, 0, 7, 1, 0, 198, 18, 0, 0, // header
        5, 1, 2, 10, // gateway .5, distance 1 with 2 networks: 10 (class A) ...
        0xc6, 0x12, 0x01, // ... and 198.18.1 (class C)
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| egp_print(ctx, p, p.len() as u32))
    }

    #[test]
    fn update() {
        assert_eq!(run(0, UPDATE), "EGPv2, AS 1, seq 7, length 23");
        assert!(
            run(1, UPDATE).starts_with("EGPv2, length 23 update state:up 198.18.0.0 int 1 ext 0"),
            "{}",
            run(1, UPDATE)
        );
        assert_eq!(run(0, &UPDATE[..15]), " [|egp]");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(UPDATE, &verbosities(1), |ctx, p| egp_print(ctx, p, 23));
        for ty in [2u8, 3, 5, 8, 9] {
            let mut m = UPDATE.to_vec();
            m[1] = ty;
            assert_every_truncation_is_safe(&m, &verbosities(1), |ctx, p| egp_print(ctx, p, 23));
        }
    }
}
