//! The Berkeley UNIX time synchronization protocol of timed(8) ("The Berkeley UNIX Time
//! Synchronization Protocol", Gusella and Zatti, 4.4BSD SMM:12); tcpdump's print-timed.c.
//! UDP port 525.

use super::util_print::{printjnp, tail};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const TSP_ADJTIME: u8 = 1;
const TSP_SETTIME: u8 = 5;
const TSP_SETDATE: u8 = 22;
const TSP_SETDATEREQ: u8 = 23;
const TSP_LOOP: u8 = 24;

const TSPTYPE_STR: &[(u32, &str)] = &[
    (0, "TSP_ANY"),
    (1, "TSP_ADJTIME"),
    (2, "TSP_ACK"),
    (3, "TSP_MASTERREQ"),
    (4, "TSP_MASTERACK"),
    (5, "TSP_SETTIME"),
    (6, "TSP_MASTERUP"),
    (7, "TSP_SLAVEUP"),
    (8, "TSP_ELECTION"),
    (9, "TSP_ACCEPT"),
    (10, "TSP_REFUSE"),
    (11, "TSP_CONFLICT"),
    (12, "TSP_RESOLVE"),
    (13, "TSP_QUIT"),
    (14, "TSP_DATE"),
    (15, "TSP_DATEREQ"),
    (16, "TSP_DATEACK"),
    (17, "TSP_TRACEON"),
    (18, "TSP_TRACEOFF"),
    (19, "TSP_MSITE"),
    (20, "TSP_MSITEREQ"),
    (21, "TSP_TEST"),
    (22, "TSP_SETDATE"),
    (23, "TSP_SETDATEREQ"),
    (24, "TSP_LOOP"),
];

/// Type, version and sequence number, then a time value (or a hop count) of 8 octets.
const NAME_OFFSET: usize = 12;
/// The name field is a NUL-terminated string of up to 256 octets.
const NAME_LEN: usize = 256;

/// A TSP message.
pub fn timed_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.protocol = "timed";
    let ty = p.u8_at(0)?;
    match tok(TSPTYPE_STR, ty as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "(tsp_type {:#x})", ty),
    }
    pr!(ctx, " vers {}", p.u8_at(1)?);
    pr!(ctx, " seq {}", p.be_u16(2)?);
    match ty {
        TSP_LOOP => pr!(ctx, " hopcnt {}", p.u8_at(4)?),
        TSP_SETTIME | TSP_ADJTIME | TSP_SETDATE | TSP_SETDATEREQ => {
            let mut sec = p.be_u32(4)? as i32;
            let mut usec = p.be_u32(8)? as i32;
            if usec < 0 {
                // Not a valid time value: nothing more is printed.
                return Ok(());
            }
            ctx.push(" time ");
            // A negative time is sec + usec with sec rounded down: show it as -s.us.
            if sec < 0 && usec != 0 {
                sec += 1;
                if sec == 0 {
                    ctx.push("-");
                }
                usec = 1_000_000 - usec;
            }
            pr!(ctx, "{}.{:06}", sec, usec);
        }
        _ => {}
    }
    ctx.push(" name ");
    printjnp(ctx, tail(p, NAME_OFFSET), NAME_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| timed_print(ctx, p))
    }

    #[test]
    fn messages() {
        let mut settime = vec![5, 1, 0, 7, 0xff, 0xff, 0xff, 0xfe, 0, 0x07, 0xa1, 0x20];
        settime.extend_from_slice(b"ns1\0");
        assert_eq!(
            run(&settime),
            "TSP_SETTIME vers 1 seq 7 time -1.500000 name ns1"
        );
        let mut lp = vec![24, 1, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0];
        lp.extend_from_slice(b"x\0");
        assert_eq!(run(&lp), "TSP_LOOP vers 1 seq 1 hopcnt 3 name x");
        assert_eq!(
            run(&[0x30; 14]),
            "(tsp_type 0x30) vers 48 seq 12336 name 00 [|timed]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut p = vec![1, 1, 0, 7, 0, 0, 0, 5, 0, 0, 0, 9];
        p.extend_from_slice(b"host\0");
        assert_every_truncation_is_safe(&p, &verbosities(0), timed_print);
    }
}
