//! Kernel timestamps (CLOCK_MONOTONIC, from `bpf_ktime_get_ns`) to wall-clock time. The offset
//! between the two clocks is measured again every second, so a clock step (NTP, `date -s`) is
//! followed within a second and timestamps never drift.
fn now(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec we own.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

pub fn wall_ns_now() -> u64 {
    now(libc::CLOCK_REALTIME)
}

pub struct MonoToWall {
    offset: i128,
}

impl MonoToWall {
    pub fn new() -> Self {
        let mut c = MonoToWall { offset: 0 };
        c.refresh();
        c
    }

    /// Samples the two clocks back to back a few times and keeps the tightest pair.
    pub fn refresh(&mut self) {
        let mut best: Option<(u64, i128)> = None;
        for _ in 0..3 {
            let m1 = now(libc::CLOCK_MONOTONIC);
            let w = now(libc::CLOCK_REALTIME);
            let m2 = now(libc::CLOCK_MONOTONIC);
            let width = m2 - m1;
            let off = w as i128 - (m1 as i128 + (width / 2) as i128);
            if best.is_none_or(|(bw, _)| width < bw) {
                best = Some((width, off));
            }
        }
        self.offset = best.map(|b| b.1).unwrap_or(0);
    }

    pub fn wall_ns(&self, mono_ns: u64) -> u64 {
        (mono_ns as i128 + self.offset).max(0) as u64
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn converts_to_now() {
        let c = super::MonoToWall::new();
        let wall = c.wall_ns(super::now(libc::CLOCK_MONOTONIC));
        let real = super::wall_ns_now();
        assert!(wall.abs_diff(real) < 50_000_000, "{wall} vs {real}");
    }
}
