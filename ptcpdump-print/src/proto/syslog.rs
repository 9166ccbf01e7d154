//! Syslog over UDP (RFC 3164, RFC 5424: the priority part); tcpdump's print-syslog.c.

use super::util_print::{print_unknown_data, printn, tail};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const SYSLOG_MAX_DIGITS: usize = 3;

const SEVERITY_VALUES: &[(u32, &str)] = &[
    (0, "emergency"),
    (1, "alert"),
    (2, "critical"),
    (3, "error"),
    (4, "warning"),
    (5, "notice"),
    (6, "info"),
    (7, "debug"),
];

const FACILITY_VALUES: &[(u32, &str)] = &[
    (0, "kernel"),
    (1, "user"),
    (2, "mail"),
    (3, "daemon"),
    (4, "auth"),
    (5, "syslog"),
    (6, "lpr"),
    (7, "news"),
    (8, "uucp"),
    (9, "cron"),
    (10, "authpriv"),
    (11, "ftp"),
    (12, "ntp"),
    (13, "security"),
    (14, "console"),
    (15, "cron"),
    (16, "local0"),
    (17, "local1"),
    (18, "local2"),
    (19, "local3"),
    (20, "local4"),
    (21, "local5"),
    (22, "local6"),
    (23, "local7"),
];

fn name(ctx: &mut Ctx, table: &[(u32, &'static str)], v: u32) {
    match tok(table, v) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "unknown ({})", v),
    }
}

/// A syslog message (UDP port 514).
pub fn syslog_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "syslog";
    if p.u8_at(0)? != b'<' {
        ctx.print_invalid();
        return Ok(());
    }
    let mut off = 1usize;
    let mut pri: u32 = 0;
    while off <= SYSLOG_MAX_DIGITS && p.u8_at(off)?.is_ascii_digit() {
        pri = pri * 10 + (p[off] - b'0') as u32;
        off += 1;
    }
    if p.u8_at(off)? != b'>' {
        ctx.print_invalid();
        return Ok(());
    }
    off += 1;
    let facility = (pri & 0x03f8) >> 3;
    let severity = pri & 0x0007;
    if ctx.vflag() < 1 {
        ctx.push("SYSLOG ");
        name(ctx, FACILITY_VALUES, facility);
        ctx.push(".");
        name(ctx, SEVERITY_VALUES, severity);
        pr!(ctx, ", length: {}", len);
        return Ok(());
    }
    pr!(ctx, "SYSLOG, length: {}\n\tFacility ", len);
    name(ctx, FACILITY_VALUES, facility);
    pr!(ctx, " ({}), Severity ", facility);
    name(ctx, SEVERITY_VALUES, severity);
    pr!(ctx, " ({})\n\tMsg: ", severity);
    if len as usize > off {
        printn(ctx, tail(p, off), len as usize - off)?;
    }
    if ctx.vflag() > 1 {
        print_unknown_data(ctx, p, "\n\t", len as usize);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(p: &[u8], verbose: u8) -> (String, PResult) {
        run_with(&opts(verbose, false), |ctx| {
            syslog_print(ctx, p, p.len() as u32)
        })
    }

    #[test]
    fn priority_and_message() {
        assert_eq!(run(b"<13>hi\0", 0).0, "SYSLOG user.notice, length: 7");
        assert_eq!(
            run(b"<13>hi\0", 1).0,
            "SYSLOG, length: 7\n\tFacility user (1), Severity notice (5)\n\tMsg: hi^@"
        );
        assert_eq!(run(b"<1234>", 0).0, " (invalid)");
        assert_eq!(run(b"x", 0).0, " (invalid)");
    }

    #[test]
    fn truncated_at_every_offset() {
        let m = b"<13>hi";
        for n in 0..4 {
            assert!(run(&m[..n], 1).1.is_err());
        }
    }
}
