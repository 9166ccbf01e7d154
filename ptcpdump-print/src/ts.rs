//! Packet timestamps, as tcpdump's `ts_print` (util-print.c) formats them for every `-t` count.
//!
//! Quirks kept on purpose because tcpdump 4.99.3 has them: a seconds value whose low 32 bits
//! have the top bit set prints `[Error converting time]`; a fraction field is printed as stored
//! even when it is out of range (`12:00:01.1000000`); deltas (`-ttt`, `-ttttt`) are computed
//! with a single borrow and printed as a UTC time of day, negative ones with a leading `-`.

use crate::{PrintOptions, TsFormat};
use std::fmt::Write;

/// Cross-packet timestamp state (the reference for `-ttt` / `-ttttt`).
#[derive(Clone, Copy, Debug, Default)]
pub struct TsState {
    ref_sec: i64,
    ref_frac: i64,
}

const ERR: &str = "[Error converting time]";

/// Broken-down time fields we need (also for dates inside packets, e.g. rx.rs).
pub(crate) struct Tm {
    pub(crate) year: i64,
    pub(crate) mon: u32,
    pub(crate) mday: u32,
    pub(crate) hour: u32,
    pub(crate) min: u32,
    pub(crate) sec: u32,
}

/// `localtime_r` / `gmtime_r` of `sec`.
pub(crate) fn broken_down(sec: i64, local: bool) -> Option<Tm> {
    let t: libc::time_t = sec as libc::time_t;
    // SAFETY: `tm` is a plain C struct, valid when zeroed; localtime_r/gmtime_r only write it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the duration of the call.
    let r = unsafe {
        if local {
            libc::localtime_r(&t, &mut tm)
        } else {
            libc::gmtime_r(&t, &mut tm)
        }
    };
    if r.is_null() {
        return None;
    }
    Some(Tm {
        year: tm.tm_year as i64 + 1900,
        mon: (tm.tm_mon + 1) as u32,
        mday: tm.tm_mday as u32,
        hour: tm.tm_hour as u32,
        min: tm.tm_min as u32,
        sec: tm.tm_sec as u32,
    })
}

fn frac_print(out: &mut String, nano: bool, frac: i64) {
    // tcpdump prints the fraction through an `unsigned` conversion.
    let v = frac as u32;
    if nano {
        let _ = write!(out, ".{v:09}");
    } else {
        let _ = write!(out, ".{v:06}");
    }
}

fn date_hms_print(out: &mut String, nano: bool, sec: i64, frac: i64, date: bool, local: bool) {
    if (sec as u32) & 0x8000_0000 != 0 {
        out.push_str(ERR);
        return;
    }
    let Some(tm) = broken_down(sec, local) else {
        out.push_str(ERR);
        return;
    };
    if date {
        let _ = write!(
            out,
            "{}-{:02}-{:02} {:02}:{:02}:{:02}",
            tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec
        );
    } else {
        let _ = write!(out, "{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec);
    }
    frac_print(out, nano, frac);
}

/// `YYYY-MM-DD HH:MM:SS` of `sec` seconds since the epoch in UTC (strftime's
/// `%Y-%m-%d %H:%M:%S` over gmtime); false when the time cannot be broken down.
pub fn utc_date_time(out: &mut String, sec: i64) -> bool {
    let Some(tm) = broken_down(sec, false) else {
        return false;
    };
    let _ = write!(
        out,
        "{}-{:02}-{:02} {:02}:{:02}:{:02}",
        tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec
    );
    true
}

/// Appends the timestamp and its trailing space (nothing at all for `-t`).
pub fn ts_print(out: &mut String, opts: &PrintOptions, st: &mut TsState, sec: u64, frac: u32) {
    // libpcap keeps a classic pcap record's seconds and fraction as signed 32-bit values
    // (struct pcap_timeval), so values with the top bit set are negative in the deltas below;
    // pcapng's 64-bit seconds (above u32::MAX) are kept as they are.
    let sec = if sec <= u32::MAX as u64 {
        sec as u32 as i32 as i64
    } else {
        sec as i64
    };
    let frac = frac as i32 as i64;
    let local = !opts.utc;
    match opts.ts_format {
        TsFormat::Default => {
            date_hms_print(out, opts.nano, sec, frac, false, local);
            out.push(' ');
        }
        TsFormat::None => {}
        TsFormat::Epoch => {
            if (sec as u32) & 0x8000_0000 != 0 {
                out.push_str(ERR);
            } else {
                let _ = write!(out, "{}", sec as u32);
                frac_print(out, opts.nano, frac);
            }
            out.push(' ');
        }
        TsFormat::DeltaPrev | TsFormat::DeltaFirst => {
            if st.ref_sec == 0 && st.ref_frac == 0 {
                st.ref_sec = sec;
                st.ref_frac = frac;
            }
            let negative = if sec == st.ref_sec {
                frac < st.ref_frac
            } else {
                sec < st.ref_sec
            };
            let (a, b) = if negative {
                ((st.ref_sec, st.ref_frac), (sec, frac))
            } else {
                ((sec, frac), (st.ref_sec, st.ref_frac))
            };
            let mut dsec = a.0.wrapping_sub(b.0);
            let mut dfrac = a.1 - b.1;
            if dfrac < 0 {
                dsec = dsec.wrapping_sub(1);
                dfrac += if opts.nano { 1_000_000_000 } else { 1_000_000 };
            }
            out.push(if negative { '-' } else { ' ' });
            date_hms_print(out, opts.nano, dsec, dfrac, false, false);
            out.push(' ');
            if opts.ts_format == TsFormat::DeltaPrev {
                st.ref_sec = sec;
                st.ref_frac = frac;
            }
        }
        TsFormat::Date => {
            date_hms_print(out, opts.nano, sec, frac, true, local);
            out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(opts: &PrintOptions, st: &mut TsState, sec: u64, frac: u32) -> String {
        let mut s = String::new();
        ts_print(&mut s, opts, st, sec, frac);
        s
    }

    fn o(ts_format: TsFormat, nano: bool) -> PrintOptions {
        PrintOptions {
            ts_format,
            nano,
            utc: true,
            ..Default::default()
        }
    }

    #[test]
    fn formats() {
        let mut st = TsState::default();
        // 2024-01-01 12:00:00 UTC
        let t = 1_704_110_400;
        assert_eq!(
            fmt(&o(TsFormat::Default, false), &mut st, t, 42),
            "12:00:00.000042 "
        );
        assert_eq!(fmt(&o(TsFormat::None, false), &mut st, t, 42), "");
        assert_eq!(
            fmt(&o(TsFormat::Epoch, true), &mut st, t, 42),
            "1704110400.000000042 "
        );
        assert_eq!(
            fmt(&o(TsFormat::Date, false), &mut st, t, 1),
            "2024-01-01 12:00:00.000001 "
        );
        assert_eq!(
            fmt(&o(TsFormat::Default, false), &mut st, t, 1_000_000),
            "12:00:00.1000000 "
        );
    }

    #[test]
    fn errors_for_high_bit_seconds() {
        let mut st = TsState::default();
        assert_eq!(
            fmt(&o(TsFormat::Default, false), &mut st, 0x8000_0000, 0),
            "[Error converting time] "
        );
        assert_eq!(
            fmt(&o(TsFormat::Epoch, false), &mut st, 0xffff_ffff, 0),
            "[Error converting time] "
        );
        // Only the low 32 bits are checked (pcapng 64-bit seconds).
        assert_eq!(
            fmt(&o(TsFormat::Epoch, false), &mut st, 0x1_0000_0001, 0),
            "1.000000 "
        );
    }

    #[test]
    fn deltas() {
        let mut st = TsState::default();
        let p = o(TsFormat::DeltaPrev, false);
        assert_eq!(fmt(&p, &mut st, 100, 500), " 00:00:00.000000 ");
        assert_eq!(fmt(&p, &mut st, 101, 400), " 00:00:00.999900 ");
        assert_eq!(fmt(&p, &mut st, 99, 0), "-00:00:02.000400 ");
        let mut st = TsState::default();
        let f = o(TsFormat::DeltaFirst, true);
        assert_eq!(fmt(&f, &mut st, 100, 5), " 00:00:00.000000000 ");
        assert_eq!(fmt(&f, &mut st, 3700, 4), " 00:59:59.999999999 ");
        assert_eq!(fmt(&f, &mut st, 3701, 6), " 01:00:01.000000001 ");
    }
}
