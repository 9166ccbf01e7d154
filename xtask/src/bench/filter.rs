//! `filter`: UDP at 200k pps of which 1% goes to port 5001; both capturers run `udp port 5001`
//! at the same time. Shows what reaches user space and what that costs there.
use std::net::Ipv4Addr;

use anyhow::Result;

use super::{Capturer, MATCH_PORT, Net, Opts, PORT, Tool, header, med, pct, run_side_by_side};
use crate::sender;

pub const RATE: u64 = 200_000;

pub fn run(opts: &Opts) -> Result<()> {
    let net = Net::new()?;
    let ifname = net.pair.b_if.clone();
    let expr = format!("udp port {MATCH_PORT}");
    let args = ["-i", ifname.as_str(), "-n", expr.as_str()];
    let caps = [
        Capturer::new(Tool::Ptcpdump, &args),
        Capturer::new(Tool::Tcpdump, &args),
    ];
    let load = sender::Args {
        dst: net.pair.b_ip.parse::<Ipv4Addr>()?,
        port: PORT,
        other: Some((MATCH_PORT, 100)),
        rate: RATE,
        secs: opts.secs,
        payload: 64,
        threads: opts.threads,
    };
    let mut rs = Vec::new();
    for run in 0..opts.runs {
        crate::sys::check_interrupted()?;
        eprintln!("filter: run {}/{}", run + 1, opts.runs);
        let r = run_side_by_side(opts, &net, &caps, &load)?;
        eprintln!("  {}", super::capture::one_line(&r));
        rs.push(r);
    }
    header("filter", opts);
    println!(
        "UDP at a target of {}k pps for {} s, every 100th packet to port {MATCH_PORT}, the rest to {PORT};",
        RATE / 1000,
        opts.secs
    );
    println!(
        "both capturers at the same time with the same filter. `matching` = packets the sender sent to"
    );
    println!("port {MATCH_PORT}; CPU as in `capture` (while traffic flowed).");
    println!();
    println!(
        "Commands: `{}` and `{}`",
        caps[0].display(),
        caps[1].display()
    );
    println!();
    println!(
        "| sent pps | arrived | matching | tool | captured | % of matching | received by filter | dropped | user CPU s | sys CPU s |"
    );
    println!("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (i, name) in ["ptcpdump", "tcpdump"].iter().enumerate() {
        println!(
            "| {:.0} | {:.0} | {:.0} | {name} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} | {:.2} |",
            med(&rs, |r| r.sent as f64 / opts.secs),
            med(&rs, |r| r.arrived as f64),
            med(&rs, |r| r.sent.div_ceil(100) as f64),
            med(&rs, |r| r.samples[i].captured as f64),
            med(&rs, |r| pct(r.samples[i].captured, r.sent.div_ceil(100))),
            med(&rs, |r| r.samples[i].received as f64),
            med(&rs, |r| r.samples[i].dropped as f64),
            med(&rs, |r| r.samples[i].user_s),
            med(&rs, |r| r.samples[i].sys_s),
        );
    }
    println!();
    Ok(())
}
