//! `startup`: time from spawning the capturer to its first packet line on stdout, while the
//! other namespace sends 1,000 packets per second (UDP, 1 ms apart) to the captured veth.
use std::{
    io::{BufRead, BufReader},
    net::Ipv4Addr,
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};

use super::{Net, Opts, PORT, Tool, header, median};
use crate::{
    sender,
    sys::{Out, Proc},
};

const RUNS: usize = 10;

pub fn run(opts: &Opts) -> Result<()> {
    let net = Net::new()?;
    let ifname = net.pair.b_if.clone();
    let load = sender::Args {
        dst: net.pair.b_ip.parse::<Ipv4Addr>()?,
        port: PORT,
        other: None,
        rate: 1000,
        secs: 3600.0,
        payload: 64,
        threads: 1,
    };
    let mut argv = net.pair.a.exec_prefix();
    argv.push(std::env::current_exe()?.to_string_lossy().into_owned());
    argv.extend(load.to_argv());
    // Stopped (SIGKILL by PID) when this guard drops.
    let _sender = Proc::spawn(&argv, Out::Null)?;
    thread::sleep(Duration::from_millis(200));
    let args = ["-i", ifname.as_str(), "-n", "-l", "-c", "1"];
    let (mut p, mut t) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        crate::sys::check_interrupted()?;
        let order = if run % 2 == 0 {
            [Tool::Ptcpdump, Tool::Tcpdump]
        } else {
            [Tool::Tcpdump, Tool::Ptcpdump]
        };
        for tool in order {
            let mut v = net.pair.b.exec_prefix();
            match tool {
                Tool::Ptcpdump => {
                    v.extend(super::in_ns_with_cgroup2());
                    v.push(opts.ptcpdump.to_string_lossy().into_owned());
                }
                Tool::Tcpdump => {
                    v.push(opts.tcpdump.clone());
                    v.extend(opts.tcpdump_args.iter().cloned());
                }
            }
            v.extend(args.iter().map(|s| s.to_string()));
            let start = Instant::now();
            let mut pr = Proc::spawn(&v, Out::Pipe)?;
            let so = pr.stdout.take().context("stdout")?;
            let (tx, rx) = mpsc::channel();
            thread::spawn(move || {
                let mut line = String::new();
                let _ = BufReader::new(so).read_line(&mut line);
                let _ = tx.send(Instant::now());
            });
            let first = rx.recv_timeout(Duration::from_secs(60)).ok();
            let e = pr.stop(libc::SIGINT, Duration::from_secs(10));
            let Some(at) = first else {
                eprintln!(
                    "startup: {} printed nothing in 60 s: {}",
                    tool.name(),
                    e.stderr.join(" | ")
                );
                continue;
            };
            let s = (at - start).as_secs_f64();
            eprintln!(
                "startup: {} {:.3}s (cpu {:.2}+{:.2}s)",
                tool.name(),
                s,
                e.user_s,
                e.sys_s
            );
            if tool == Tool::Ptcpdump {
                p.push((s, e.cpu_s()))
            } else {
                t.push((s, e.cpu_s()))
            }
        }
    }
    header("startup", opts);
    println!(
        "Time from spawn (`ip netns exec` included, same for both) to the first packet line on stdout,"
    );
    println!(
        "with 1,000 UDP packets/s arriving; {RUNS} runs each, alternating which tool goes first. CPU ="
    );
    println!("user+sys of the whole process (wait4 rusage).");
    println!();
    println!("Commands: `ptcpdump {0}` and `tcpdump {0}`", args.join(" "));
    println!();
    println!("| tool | runs | median s | min s | max s | median CPU s |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, v) in [("ptcpdump", &p), ("tcpdump", &t)] {
        let s: Vec<f64> = v.iter().map(|x| x.0).collect();
        let min = s.iter().copied().fold(f64::INFINITY, f64::min);
        let max = s.iter().copied().fold(0.0, f64::max);
        println!(
            "| {name} | {} | {:.3} | {min:.3} | {max:.3} | {:.2} |",
            s.len(),
            median(s.clone()),
            median(v.iter().map(|x| x.1).collect())
        );
    }
    println!();
    Ok(())
}
