//! Prints how long the start-up /proc scan takes here:
//! `cargo run --release -p ptcpdump-meta --example proc-scan [EXTRA_PROCESSES]`
//! (EXTRA_PROCESSES idle children are started first to grow the process table).

use std::process::{Child, Command, Stdio};
use std::time::Instant;

fn main() {
    let extra: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let mut kids: Vec<Child> = (0..extra)
        .filter_map(|_| {
            Command::new("sleep")
                .arg("30")
                .stdin(Stdio::null())
                .spawn()
                .ok()
        })
        .collect();
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let all = ptcpdump_meta::process::spawn_scan()
            .join()
            .unwrap_or_default();
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        n = all.len();
    }
    println!("{n} processes: best of 5 scans {best:.2} ms");
    for k in &mut kids {
        let _ = k.kill();
        let _ = k.wait();
    }
}
