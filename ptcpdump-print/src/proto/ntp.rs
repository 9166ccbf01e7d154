//! NTP printer (tcpdump's print-ntp.c and ntp.c).
//!
//! RFC 5905 (NTPv4 time messages), RFC 1305 appendix B and draft-ietf-ntp-mode-6-cmds
//! (mode 6 control messages). Mode 7 (private) messages are not decoded, as in tcpdump.

use std::fmt::Write;

use super::Ctx;
use super::textutil::{Tok, ipv4_str, printn, tok};
use crate::cursor::{Bytes, PResult};

const TIMEMSG_MINLEN: u32 = 48;
const CTRLMSG_MINLEN: u32 = 12;
/// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01.
const JAN_1970: i64 = 2_208_988_800;
const FMAXINT: f64 = 4_294_967_296.0;

const MODES: &[Tok] = &[
    (0, "unspecified"),
    (1, "symmetric active"),
    (2, "symmetric passive"),
    (3, "Client"),
    (4, "Server"),
    (5, "Broadcast"),
    (6, "Control Message"),
    (7, "Reserved"),
];

const LEAP: &[Tok] = &[
    (0, ""),
    (0x40, "+1s"),
    (0x80, "-1s"),
    (0xc0, "clock unsynchronized"),
];

const STRATUM: &[Tok] = &[(0, "unspecified"), (1, "primary reference")];

/// `ntp_print`: an NTP message of `length` bytes; `bp` holds its captured bytes.
pub fn ntp_print(ctx: &mut Ctx, bp: &[u8], length: u32) -> PResult {
    ctx.protocol = "ntp";
    let v = ctx.vflag();
    print(ctx.out, v, bp, length)
}

fn print(out: &mut String, v: u8, bp: &[u8], length: u32) -> PResult {
    let status = bp.u8_at(0)?;
    let version = (status & 0x38) >> 3;
    let mode = status & 0x07;
    let mode_name = tok(MODES, mode.into()).unwrap_or("Unknown mode");
    let _ = write!(out, "NTPv{version}, {mode_name}, length {length}");
    if v == 0 {
        return Ok(());
    }
    out.push('\n');
    let leap = status & 0xc0;
    let _ = write!(
        out,
        "\tLeap indicator: {} ({leap})",
        tok(LEAP, leap.into()).unwrap_or("Unknown")
    );
    match mode {
        0..=5 => time_print(out, bp, length),
        6 => control_print(out, bp, length),
        _ => Ok(()),
    }
}

/// print-ntp.c's local `trunc:` label (a failed read unwinds instead).
fn local_trunc(out: &mut String) -> PResult {
    out.push_str(" [|ntp]");
    Ok(())
}

fn invalid(out: &mut String, bp: &[u8], length: u32) -> PResult {
    out.push_str(" (invalid)");
    if !bp.has(0, length as usize) {
        return local_trunc(out);
    }
    Ok(())
}

fn time_print(out: &mut String, bp: &[u8], length: u32) -> PResult {
    if length < TIMEMSG_MINLEN {
        return invalid(out, bp, length);
    }
    let stratum = bp.u8_at(1)?;
    let sname = tok(STRATUM, stratum.into()).unwrap_or(if (2..=15).contains(&stratum) {
        "secondary reference"
    } else {
        "reserved"
    });
    let _ = write!(out, ", Stratum {stratum} ({sname})");
    let poll = bp.u8_at(2)? as i8;
    let _ = write!(out, ", poll {poll}");
    if poll > -32 && poll < 32 {
        if poll >= 0 {
            let _ = write!(out, " ({}s)", 1u32 << poll);
        } else {
            let _ = write!(out, " (1/{}s)", 1u32 << -poll);
        }
    }
    let _ = write!(out, ", precision {}", bp.u8_at(3)? as i8);
    if !bp.has(4, 4) {
        return local_trunc(out);
    }
    out.push_str("\n\tRoot Delay: ");
    p_sfix(out, bp, 4)?;
    if !bp.has(8, 4) {
        return local_trunc(out);
    }
    out.push_str(", Root dispersion: ");
    p_sfix(out, bp, 8)?;
    if !bp.has(12, 4) {
        return local_trunc(out);
    }
    out.push_str(", Reference-ID: ");
    match stratum {
        0 => out.push_str("(unspec)"),
        1 => {
            if printn(out, bp, 12, 4) {
                return local_trunc(out);
            }
        }
        62 => {
            let _ = write!(out, "{} INFO_QUERY", ipv4_str(bp.ipv4_at(12)?));
            return Ok(());
        }
        63 => {
            let _ = write!(out, "{} INFO_REPLY", ipv4_str(bp.ipv4_at(12)?));
            return Ok(());
        }
        _ => {
            let _ = write!(out, "0x{:08x}", bp.be_u32(12)?);
        }
    }
    for (off, label) in [
        (16, "\n\t  Reference Timestamp:  "),
        (24, "\n\t  Originator Timestamp: "),
        (32, "\n\t  Receive Timestamp:    "),
        (40, "\n\t  Transmit Timestamp:   "),
    ] {
        if !bp.has(off, 8) {
            return local_trunc(out);
        }
        out.push_str(label);
        p_ntp_time(out, bp, off)?;
    }
    out.push_str("\n\t    Originator - Receive Timestamp:  ");
    p_ntp_delta(out, bp, 24, 32)?;
    out.push_str("\n\t    Originator - Transmit Timestamp: ");
    p_ntp_delta(out, bp, 24, 40)?;
    if length == TIMEMSG_MINLEN + 4 {
        let _ = write!(out, "\n\tKey id: {}", bp.be_u32(48)?);
    } else if length == TIMEMSG_MINLEN + 4 + 16 || length == TIMEMSG_MINLEN + 4 + 20 {
        let _ = write!(out, "\n\tKey id: {}", bp.be_u32(48)?);
        let words = if length == TIMEMSG_MINLEN + 4 + 16 {
            4
        } else {
            5
        };
        if !bp.has(52, words * 4) {
            return local_trunc(out);
        }
        out.push_str("\n\tAuthentication: ");
        for k in 0..words {
            let _ = write!(out, "{:08x}", bp.be_u32(52 + 4 * k)?);
        }
    } else if length > TIMEMSG_MINLEN {
        let _ = write!(
            out,
            "\n\t({} more bytes after the header)",
            length - TIMEMSG_MINLEN
        );
    }
    Ok(())
}

fn control_print(out: &mut String, bp: &[u8], length: u32) -> PResult {
    if length < CTRLMSG_MINLEN {
        return invalid(out, bp, length);
    }
    let control = bp.u8_at(1)?;
    let _ = writeln!(
        out,
        ", {}, {}, {}, OpCode={}",
        if control & 0x80 != 0 {
            "Response"
        } else {
            "Request"
        },
        if control & 0x40 != 0 { "Error" } else { "OK" },
        if control & 0x20 != 0 { "More" } else { "Last" },
        control & 0x1f
    );
    let _ = write!(out, "\tSequence={}", bp.be_u16(2)?);
    let status = bp.be_u16(4)?;
    if status == 0 {
        out.push_str(", Status=0");
    } else {
        let _ = write!(out, ", Status={status:#x}");
    }
    let _ = write!(out, ", Assoc.={}", bp.be_u16(6)?);
    let _ = write!(out, ", Offset={}", bp.be_u16(8)?);
    let count = bp.be_u16(10)?;
    let _ = write!(out, ", Count={count}");
    if CTRLMSG_MINLEN + u32::from(count) > length {
        return invalid(out, bp, length);
    }
    if count != 0 {
        if !bp.has(12, count.into()) {
            return local_trunc(out);
        }
        out.push_str("\n\tTO-BE-DONE: data not interpreted");
    }
    Ok(())
}

/// `p_sfix`: a 16.16 fixed-point value.
fn p_sfix(out: &mut String, bp: &[u8], off: usize) -> PResult {
    let i = bp.be_u16(off)?;
    let f = bp.be_u16(off + 2)?;
    let ff = f64::from(f) / 65536.0;
    let _ = write!(out, "{}.{:06}", i, (ff * 1_000_000.0) as i32);
    Ok(())
}

fn frac_ns(uf: u32) -> u32 {
    ((f64::from(uf) / FMAXINT) * 1_000_000_000.0) as u32
}

/// `p_ntp_time`: a 32.32 timestamp, plus its UTC date when the seconds are not zero.
pub fn p_ntp_time(out: &mut String, bp: &[u8], off: usize) -> PResult {
    let i = bp.be_u32(off)?;
    let uf = bp.be_u32(off + 4)?;
    let _ = write!(out, "{}.{:09}", i, frac_ns(uf));
    if i != 0 {
        let secs = i64::from(i) - JAN_1970;
        out.push_str(" (");
        push_utc_iso8601(out, secs);
        out.push(')');
    }
    Ok(())
}

/// `p_ntp_delta`: the difference between the timestamps at `ooff` and `off`.
fn p_ntp_delta(out: &mut String, bp: &[u8], ooff: usize, off: usize) -> PResult {
    let u = bp.be_u32(off)?;
    let ou = bp.be_u32(ooff)?;
    let uf = bp.be_u32(off + 4)?;
    let ouf = bp.be_u32(ooff + 4)?;
    if ou == 0 && ouf == 0 {
        return p_ntp_time(out, bp, off);
    }
    let (neg, i, f) = if u > ou {
        let mut i = u - ou;
        if ouf > uf {
            i -= 1;
        }
        (false, i, uf.wrapping_sub(ouf))
    } else if u < ou {
        let mut i = ou - u;
        if uf > ouf {
            i -= 1;
        }
        (true, i, ouf.wrapping_sub(uf))
    } else if uf > ouf {
        (false, 0, uf - ouf)
    } else {
        (true, 0, ouf - uf)
    };
    let _ = write!(
        out,
        "{}{}.{:09}",
        if neg { "-" } else { "+" },
        i,
        frac_ns(f)
    );
    Ok(())
}

/// `%Y-%m-%dT%H:%M:%SZ` of seconds since the Unix epoch (proleptic Gregorian, UTC).
fn push_utc_iso8601(out: &mut String, secs: i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Vec<u8> {
        let mut p = vec![0u8; 48];
        p[0] = 0xe3; // LI 3, v4, client
        p[2] = 8;
        p[40..44].copy_from_slice(&3_712_483_316u32.to_be_bytes());
        p[44..48].copy_from_slice(&0xedb0_ccb8u32.to_be_bytes());
        p
    }

    #[test]
    fn client_request() {
        let p = client();
        let mut s = String::new();
        print(&mut s, 0, &p, 48).unwrap();
        assert_eq!(s, "NTPv4, Client, length 48");
        let mut s = String::new();
        print(&mut s, 1, &p, 48).unwrap();
        assert_eq!(
            s,
            "NTPv4, Client, length 48\n\tLeap indicator: clock unsynchronized (192), Stratum 0 \
             (unspecified), poll 8 (256s), precision 0\n\tRoot Delay: 0.000000, Root dispersion: \
             0.000000, Reference-ID: (unspec)\n\t  Reference Timestamp:  0.000000000\n\t  \
             Originator Timestamp: 0.000000000\n\t  Receive Timestamp:    0.000000000\n\t  \
             Transmit Timestamp:   3712483316.928478999 (2017-08-23T13:21:56Z)\n\t    \
             Originator - Receive Timestamp:  0.000000000\n\t    Originator - Transmit \
             Timestamp: 3712483316.928478999 (2017-08-23T13:21:56Z)"
        );
    }

    #[test]
    fn dates() {
        let mut s = String::new();
        push_utc_iso8601(&mut s, 0);
        s.push(' ');
        push_utc_iso8601(&mut s, -JAN_1970);
        s.push(' ');
        push_utc_iso8601(&mut s, 951_782_400); // 2000-02-29
        assert_eq!(
            s,
            "1970-01-01T00:00:00Z 1900-01-01T00:00:00Z 2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        let p = client();
        for cut in 0..p.len() {
            for v in 0..3 {
                let mut s = String::new();
                let _ = print(&mut s, v, &p[..cut], 48);
            }
        }
    }
}
