//! DVMRP (draft-ietf-idmr-dvmrp-v3, RFC 1075) carried in IGMP type 0x13; tcpdump's
//! print-dvmrp.c.

use std::fmt::Write;

use super::textutil::{Tok, ipv4_str, relts, tok};
use crate::cursor::{Bytes, PResult};

const PROBE: u8 = 1;
const REPORT: u8 = 2;
const NEIGHBORS: u8 = 4;
const NEIGHBORS2: u8 = 6;
const PRUNE: u8 = 7;
const GRAFT: u8 = 8;
const GRAFT_ACK: u8 = 9;

const TYPES: &[Tok] = &[
    (1, "Probe"),
    (2, "Report"),
    (3, "Ask-neighbors(old)"),
    (4, "Neighbors(old)"),
    (5, "Ask-neighbors2"),
    (6, "Neighbors2"),
    (7, "Prune"),
    (8, "Graft"),
    (9, "Graft-ACK"),
];

/// Neighbor flags and their names, in tcpdump's print order.
const NF_FLAGS: [(u8, &str); 5] = [
    (0x01, "/tunnel"),
    (0x02, "/srcrt"),
    (0x40, "/querier"),
    (0x20, "/disabled"),
    (0x10, "/down"),
];

fn addr(bp: &[u8], off: usize) -> PResult<String> {
    Ok(ipv4_str(bp.ipv4_at(off)?))
}

fn invalid(out: &mut String) -> PResult {
    out.push_str(" (invalid)");
    Ok(())
}

/// `dvmrp_print`: `bp` starts at the IGMP header; `len` is the IGMP length.
pub fn dvmrp_print(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult {
    if len < 8 {
        let _ = write!(out, " [length {len} < 8]");
        return invalid(out);
    }
    let typ = bp.u8_at(1)?;
    let body = bp.from(8).unwrap_or(&[]);
    let len = len - 8;
    match tok(TYPES, typ.into()) {
        Some(s) => {
            let _ = write!(out, " {s}");
        }
        None => {
            let _ = write!(out, " [type {typ}]");
        }
    }
    match typ {
        PROBE if v > 0 => probe(out, v, body, len),
        REPORT if v > 1 => report(out, body, len),
        NEIGHBORS => neighbors(out, body, len),
        NEIGHBORS2 => neighbors2(out, body, len, bp.u8_at(7)?, bp.u8_at(6)?),
        PRUNE => {
            let _ = write!(out, " src {} grp {}", addr(body, 0)?, addr(body, 4)?);
            out.push_str(" timer ");
            relts(out, body.be_u32(8)?);
            Ok(())
        }
        GRAFT | GRAFT_ACK => {
            let _ = write!(out, " src {} grp {}", addr(body, 0)?, addr(body, 4)?);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn report(out: &mut String, bp: &[u8], len: u32) -> PResult {
    let mut off = 0usize;
    let mut len = len;
    while len > 0 {
        if len < 3 {
            let _ = write!(out, " [length {len} < 3]");
            return invalid(out);
        }
        let m = bp.sub(off, 3)?;
        let mask = [0xff, m[0], m[1], m[2]];
        let width = if m[2] != 0 {
            4
        } else if m[1] != 0 {
            3
        } else if m[0] != 0 {
            2
        } else {
            1
        };
        let _ = write!(out, "\n\tMask {}", ipv4_str(mask));
        off += 3;
        len -= 3;
        loop {
            if len < width as u32 + 1 {
                out.push_str("\n\t  [Truncated Report]");
                return invalid(out);
            }
            let mut origin = [0u8; 4];
            origin[..width].copy_from_slice(bp.sub(off, width)?);
            off += width;
            let metric = bp.u8_at(off)?;
            off += 1;
            let _ = write!(out, "\n\t  {} metric {}", ipv4_str(origin), metric & 0x7f);
            len -= width as u32 + 1;
            if metric & 0x80 != 0 {
                break;
            }
        }
    }
    Ok(())
}

fn probe(out: &mut String, v: u8, bp: &[u8], len: u32) -> PResult {
    if len < 4 {
        let _ = write!(out, " [full length {len} < 4]");
        return invalid(out);
    }
    out.push_str(if v > 1 { "\n\t" } else { " " });
    let _ = write!(out, "genid {}", bp.be_u32(0)?);
    if v < 2 {
        return Ok(());
    }
    let mut off = 4usize;
    let mut len = len - 4;
    while len > 0 {
        if len < 4 {
            let _ = write!(out, "[remaining length {len} < 4]");
            return invalid(out);
        }
        let _ = write!(out, "\n\tneighbor {}", addr(bp, off)?);
        off += 4;
        len -= 4;
    }
    Ok(())
}

fn neighbors(out: &mut String, bp: &[u8], len: u32) -> PResult {
    let mut off = 0usize;
    let mut len = len;
    while len > 0 {
        if len < 7 {
            let _ = write!(out, " [length {len} < 7]");
            return invalid(out);
        }
        let laddr = off;
        let metric = bp.u8_at(off + 4)?;
        let thresh = bp.u8_at(off + 5)?;
        let ncount = bp.u8_at(off + 6)?;
        off += 7;
        len -= 7;
        for _ in 0..ncount {
            if len < 4 {
                let _ = write!(out, " [length {len} < 4]");
                return invalid(out);
            }
            let _ = write!(out, " [{} ->", addr(bp, laddr)?);
            let _ = write!(out, " {}, ({metric}/{thresh})]", addr(bp, off)?);
            off += 4;
            len -= 4;
        }
    }
    Ok(())
}

fn neighbors2(out: &mut String, bp: &[u8], len: u32, major: u8, minor: u8) -> PResult {
    let _ = write!(out, " (v {major}.{minor}):");
    let mut off = 0usize;
    let mut len = len;
    while len > 0 {
        if len < 8 {
            let _ = write!(out, " [length {len} < 8]");
            return invalid(out);
        }
        let laddr = off;
        let metric = bp.u8_at(off + 4)?;
        let thresh = bp.u8_at(off + 5)?;
        let flags = bp.u8_at(off + 6)?;
        let mut ncount = i32::from(bp.u8_at(off + 7)?);
        off += 8;
        len -= 8;
        loop {
            ncount -= 1;
            if ncount < 0 || len == 0 {
                break;
            }
            if len < 4 {
                let _ = write!(out, " [length {len} < 4]");
                return invalid(out);
            }
            let _ = write!(out, " [{} -> ", addr(bp, laddr)?);
            let _ = write!(out, "{} ({metric}/{thresh}", addr(bp, off)?);
            for (bit, name) in NF_FLAGS {
                if flags & bit != 0 {
                    out.push_str(name);
                }
            }
            out.push_str(")]");
            off += 4;
            len -= 4;
        }
        if ncount != -1 {
            out.push_str(" [invalid ncount]");
            return invalid(out);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: u8, p: &[u8]) -> String {
        let mut s = String::new();
        if dvmrp_print(&mut s, v, p, p.len() as u32).is_err() {
            s.push_str(" [|dvmrp]");
        }
        s
    }

    #[test]
    fn prune_and_probe() {
        let prune = [
            0x13, 7, 0, 0, 0, 0, 3, 0xff, 10, 0, 0, 1, 224, 1, 1, 1, 0, 0, 0x0e, 0x10,
        ];
        assert_eq!(run(0, &prune), " Prune src 10.0.0.1 grp 224.1.1.1 timer 1h");
        let probe = [0x13, 1, 0, 0, 0, 0, 3, 0xff, 0, 0, 0, 5, 10, 0, 0, 2];
        assert_eq!(run(0, &probe), " Probe");
        assert_eq!(run(1, &probe), " Probe genid 5");
        assert_eq!(run(2, &probe), " Probe\n\tgenid 5\n\tneighbor 10.0.0.2");
    }

    #[test]
    fn neighbors2_flags() {
        let p = [
            0x13, 6, 0, 0, 0, 0, 3, 0xff, 10, 0, 0, 1, 1, 2, 0x41, 1, 10, 0, 0, 2,
        ];
        assert_eq!(
            run(0, &p),
            " Neighbors2 (v 255.3): [10.0.0.1 -> 10.0.0.2 (1/2/tunnel/querier)]"
        );
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let p = [0x13, 2, 0, 0, 0, 0, 3, 0xff, 0xff, 0, 0, 10, 1, 0x81];
        for cut in 0..p.len() {
            for v in 0..3 {
                let mut s = String::new();
                let _ = dvmrp_print(&mut s, v, &p[..cut], p.len() as u32);
            }
        }
        assert_eq!(
            run(2, &p),
            " Report\n\tMask 255.255.0.0\n\t  10.1.0.0 metric 1"
        );
    }
}
