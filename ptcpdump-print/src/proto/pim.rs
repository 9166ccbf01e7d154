//! PIM version 1 messages carried in IGMP type 0x14 (draft-ietf-idmr-pim-*-01); the PIMv1 part
//! of tcpdump's print-pim.c. PIMv2 (IP protocol 103) is not decoded here.

use std::fmt::Write;

use super::textutil::{Tok, ipv4_str, relts, tok};
use crate::cursor::{Bytes, PResult};

const QUERY: u8 = 0;
const REGISTER: u8 = 1;
const REGISTER_STOP: u8 = 2;
const JOIN_PRUNE: u8 = 3;
const RP_REACHABILITY: u8 = 4;
const ASSERT: u8 = 5;
const GRAFT: u8 = 6;
const GRAFT_ACK: u8 = 7;

const TYPES: &[Tok] = &[
    (0, "Query"),
    (1, "Register"),
    (2, "Register-Stop"),
    (3, "Join/Prune"),
    (4, "RP-reachable"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft-ACK"),
];

fn addr(bp: &[u8], off: usize) -> PResult<String> {
    Ok(ipv4_str(bp.ipv4_at(off)?))
}

/// `pimv1_print`: `bp` starts at the IGMP header; `len` is the IGMP length. Returns `Ok(false)`
/// after printing tcpdump's local truncation marker.
pub fn pimv1_print(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult<bool> {
    let typ = bp.u8_at(1)?;
    match tok(TYPES, typ.into()) {
        Some(s) => {
            let _ = write!(out, " {s}");
        }
        None => {
            let _ = write!(out, " [type {typ}]");
        }
    }
    match typ {
        QUERY => {
            if let Ok(m) = bp.u8_at(8) {
                let _ = match m >> 4 {
                    0 => write!(out, " Dense-mode"),
                    1 => write!(out, " Sparse-mode"),
                    2 => write!(out, " Sparse-Dense-mode"),
                    n => write!(out, " mode-{n}"),
                };
            }
            if v > 0 {
                let hold = bp.be_u16(10)?;
                out.push_str(" (Hold-time ");
                relts(out, hold.into());
                out.push(')');
            }
        }
        REGISTER => {
            if !bp.has(8, 20) {
                return Ok(false);
            }
            let _ = write!(out, " for {} > {}", addr(bp, 20)?, addr(bp, 24)?);
        }
        REGISTER_STOP => {
            let _ = write!(out, " for {} > {}", addr(bp, 8)?, addr(bp, 12)?);
        }
        RP_REACHABILITY if v > 0 => {
            let _ = write!(out, " group {}", addr(bp, 8)?);
            if bp.be_u32(12)? != 0xffff_ffff {
                let _ = write!(out, "/{}", addr(bp, 12)?);
            }
            let _ = write!(out, " RP {} hold ", addr(bp, 16)?);
            relts(out, bp.be_u16(22)?.into());
        }
        ASSERT => {
            let _ = write!(out, " for {} > {}", addr(bp, 16)?, addr(bp, 8)?);
            if bp.be_u32(12)? != 0xffff_ffff {
                let _ = write!(out, "/{}", addr(bp, 12)?);
            }
            let _ = write!(
                out,
                " {} pref {} metric {}",
                if bp.u8_at(20)? & 0x80 != 0 {
                    "RP-tree"
                } else {
                    "SPT"
                },
                bp.be_u32(20)? & 0x7fff_ffff,
                bp.be_u32(24)?
            );
        }
        JOIN_PRUNE | GRAFT | GRAFT_ACK if v > 0 => {
            let printed = len >= 8 && join_prune(out, v, bp.from(8).unwrap_or(&[]), len - 8)?;
            if !printed {
                return Ok(false);
            }
        }
        _ => {}
    }
    let version = bp.u8_at(4)? >> 4;
    if version != 1 {
        let _ = write!(out, " [v{version}]");
    }
    Ok(true)
}

/// `pimv1_join_prune_print`; `Ok(false)` means a local truncation.
fn join_prune(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult<bool> {
    if bp.has(0, 30) && bp[11] == 1 {
        let njoin = bp.be_u16(20)?;
        if u32::from(njoin) + u32::from(bp.be_u16(22)?) == 1 {
            let _ = write!(out, " RPF {} ", addr(bp, 0)?);
            let hold = bp.be_u16(6)?;
            if hold != 180 {
                out.push_str("Hold ");
                relts(out, hold.into());
            }
            let _ = write!(
                out,
                "{} ({}/{}, {}",
                if njoin != 0 { "Join" } else { "Prune" },
                addr(bp, 26)?,
                bp[25] & 0x3f,
                addr(bp, 12)?
            );
            if bp.be_u32(16)? != 0xffff_ffff {
                let _ = write!(out, "/{}", addr(bp, 16)?);
            }
            let _ = write!(
                out,
                ") {}{} {}",
                if bp[24] & 0x01 != 0 {
                    "Sparse"
                } else {
                    "Dense"
                },
                if bp[25] & 0x80 != 0 { " WC" } else { "" },
                if bp[25] & 0x40 != 0 { "RP" } else { "SPT" }
            );
            return Ok(true);
        }
    }
    let nl = if v > 1 { "\n" } else { "" };
    if len < 4 {
        return Ok(false);
    }
    let _ = write!(out, "{nl} Upstream Nbr: {}", addr(bp, 0)?);
    let mut off = 4usize;
    let mut len = len - 4;
    if len < 4 {
        return Ok(false);
    }
    let _ = write!(out, "{nl} Hold time: ");
    relts(out, bp.be_u16(off + 2)?.into());
    if v < 2 {
        return Ok(true);
    }
    off += 4;
    len -= 4;
    if len < 4 {
        return Ok(false);
    }
    let mut ngroups = bp.u8_at(off + 3)?;
    off += 4;
    len -= 4;
    while ngroups != 0 {
        if len < 4 {
            return Ok(false);
        }
        let _ = write!(out, "\n\tGroup: {}", addr(bp, off)?);
        off += 4;
        len -= 4;
        if len < 4 {
            return Ok(false);
        }
        if bp.be_u32(off)? != 0xffff_ffff {
            let _ = write!(out, "/{}", addr(bp, off)?);
        }
        off += 4;
        len -= 4;
        if len < 4 {
            return Ok(false);
        }
        let njoin = u32::from(bp.be_u16(off)?);
        let nprune = u32::from(bp.be_u16(off + 2)?);
        let _ = write!(out, " joined: {njoin} pruned: {nprune}");
        off += 4;
        len -= 4;
        for njp in 0..njoin + nprune {
            if len < 6 {
                return Ok(false);
            }
            let (f0, f1) = (bp.u8_at(off)?, bp.u8_at(off + 1)?);
            let _ = write!(
                out,
                "\n\t{} {}{}{}{}/{}",
                if njp < njoin { "Join " } else { "Prune" },
                if f0 & 0x01 != 0 { "Sparse " } else { "Dense " },
                if f1 & 0x80 != 0 { "WC " } else { "" },
                if f1 & 0x40 != 0 { "RP " } else { "SPT " },
                addr(bp, off + 2)?,
                f1 & 0x3f
            );
            off += 6;
            len -= 6;
        }
        ngroups -= 1;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: u8, p: &[u8]) -> String {
        let mut s = String::new();
        match pimv1_print(&mut s, v, p, p.len() as u32) {
            Ok(true) => {}
            _ => s.push_str(" [|pimv1]"),
        }
        s
    }

    #[test]
    fn query_and_register_stop() {
        let q = [0x14, 0, 0, 0, 0x10, 0, 0, 0, 0x10, 0, 0, 105];
        assert_eq!(run(0, &q), " Query Sparse-mode");
        assert_eq!(run(1, &q), " Query Sparse-mode (Hold-time 1m45s)");
        let rs = [0x14, 2, 0, 0, 0x20, 0, 0, 0, 224, 1, 1, 1, 10, 0, 0, 1];
        assert_eq!(run(0, &rs), " Register-Stop for 224.1.1.1 > 10.0.0.1 [v2]");
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let mut p = vec![
            0x14, 3, 0, 0, 0x10, 0, 0, 0, 10, 0, 0, 1, 0, 0, 0, 180, 0, 0, 0, 1,
        ];
        p.extend_from_slice(&[
            224, 1, 1, 1, 255, 255, 255, 255, 0, 1, 0, 0, 1, 0x40, 10, 0, 0, 2,
        ]);
        for cut in 0..p.len() {
            for v in 0..3 {
                let mut s = String::new();
                let _ = pimv1_print(&mut s, v, &p[..cut], p.len() as u32);
            }
        }
        assert_eq!(
            run(1, &p),
            " Join/Prune RPF 10.0.0.1 Join (10.0.0.2/0, 224.1.1.1) Sparse RP"
        );
    }
}
