//! `capture`: UDP at fixed rates from one namespace to the other; ptcpdump and tcpdump capture
//! the receiving veth at the same time, printing to /dev/null or writing to /dev/null.
use std::net::Ipv4Addr;

use anyhow::Result;

use super::{
    Capturer, Net, Opts, PORT, RunResult, Tool, header, med, pct, rate_label, run_side_by_side,
};
use crate::sender;

pub fn run(opts: &Opts) -> Result<()> {
    let net = Net::new()?;
    let ifname = net.pair.b_if.clone();
    let modes: Vec<(&str, Vec<&str>)> = vec![
        ("print", vec!["-n"]),
        ("-w /dev/null", vec!["-w", "/dev/null"]),
    ];
    // results[mode][rate] = runs
    let mut results: Vec<Vec<Vec<RunResult>>> = modes
        .iter()
        .map(|_| opts.rates.iter().map(|_| Vec::new()).collect())
        .collect();
    for run in 0..opts.runs {
        crate::sys::check_interrupted()?;
        for (mi, (mname, extra)) in modes.iter().enumerate() {
            for (ri, &rate) in opts.rates.iter().enumerate() {
                let caps = capturers(&ifname, extra);
                let load = sender::Args {
                    dst: net.pair.b_ip.parse::<Ipv4Addr>()?,
                    port: PORT,
                    other: None,
                    rate,
                    secs: opts.secs,
                    payload: 64,
                    threads: opts.threads,
                };
                eprintln!(
                    "capture: run {}/{} {mname} rate {}",
                    run + 1,
                    opts.runs,
                    rate_label(rate)
                );
                let r = run_side_by_side(opts, &net, &caps, &load)?;
                eprintln!("  {}", one_line(&r));
                results[mi][ri].push(r);
            }
        }
    }
    header("capture", opts);
    println!(
        "UDP, 64-byte payload (106-byte frames), {} s per run, sender in one namespace, both",
        opts.secs
    );
    println!(
        "capturers at the same time on the receiving veth `{ifname}`. `arrived` = rx_packets delta"
    );
    println!(
        "of that veth (what a capturer can see); `%` = captured / arrived; CPU = user+sys seconds"
    );
    println!(
        "of the capturer process while the traffic flowed (/proc/PID/stat before the sender starts"
    );
    println!(
        "and after a 1.5 s drain; 10 ms resolution), so loading eBPF programs and exiting are not"
    );
    println!(
        "counted; `whole` = the whole process lifetime (wait4 rusage). In-kernel per-packet work (eBPF"
    );
    println!(
        "program, AF_PACKET copy) runs in softirq and is charged to the sender, not to the capturer."
    );
    println!();
    for (mi, (mname, extra)) in modes.iter().enumerate() {
        let caps = capturers(&ifname, extra);
        println!(
            "Commands ({mname}): `{}` and `{}`",
            caps[0].display(),
            caps[1].display()
        );
        println!();
        println!(
            "| rate | sent pps | arrived | ptcpdump captured | % | dropped | CPU s (user/sys) | whole | tcpdump captured | % | dropped | CPU s (user/sys) | whole | CPU ptcpdump/tcpdump |"
        );
        println!(
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        for (ri, &rate) in opts.rates.iter().enumerate() {
            let rs = &results[mi][ri];
            let sent_pps = med(rs, |r| r.sent as f64 / opts.secs);
            let arrived = med(rs, |r| r.arrived as f64);
            let col = |i: usize| {
                format!(
                    "{:.0} | {:.2} | {:.0} | {:.2} ({:.2}/{:.2}) | {:.2}",
                    med(rs, |r| r.samples[i].captured as f64),
                    med(rs, |r| pct(r.samples[i].captured, r.arrived)),
                    med(rs, |r| r.samples[i].dropped as f64),
                    med(rs, |r| r.samples[i].cpu_s()),
                    med(rs, |r| r.samples[i].user_s),
                    med(rs, |r| r.samples[i].sys_s),
                    med(rs, |r| r.samples[i].exit.cpu_s()),
                )
            };
            let ratio = med(rs, |r| {
                r.samples[0].cpu_s() / r.samples[1].cpu_s().max(0.01)
            });
            println!(
                "| {} | {:.0} | {:.0} | {} | {} | {:.2} |",
                rate_label(rate),
                sent_pps,
                arrived,
                col(0),
                col(1),
                ratio
            );
        }
        println!();
    }
    Ok(())
}

fn capturers(ifname: &str, extra: &[&str]) -> Vec<Capturer> {
    let mut a = vec!["-i", ifname];
    a.extend_from_slice(extra);
    vec![
        Capturer::new(Tool::Ptcpdump, &a),
        Capturer::new(Tool::Tcpdump, &a),
    ]
}

pub fn one_line(r: &RunResult) -> String {
    let mut s = format!(
        "sent {} arrived {} backlog-dropped {} sender-cpu {:.2}s",
        r.sent, r.arrived, r.backlog_dropped, r.sender_cpu_s
    );
    for x in &r.samples {
        s += &format!(
            " | captured {} recv {} dropped {} cpu {:.2}+{:.2}s whole {:.2}s",
            x.captured,
            x.received,
            x.dropped,
            x.user_s,
            x.sys_s,
            x.exit.cpu_s()
        );
    }
    s
}
