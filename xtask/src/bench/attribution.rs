//! `attribution`: short-lived client processes started at a fixed rate in the sender namespace
//! (fork + execv, part of argv in read-only data: see `clients.rs`), each making one TCP
//! connection to a server in the other namespace. ptcpdump (with `-v`, which
//! prints `Process (pid N, cmd C, args A)`) captures the client-side veth; the share of SYN
//! packets whose pid and args are those of the process that really sent them is reported, with
//! the CPU of ptcpdump with and without a process filter and of tcpdump, side by side.
use std::{
    collections::HashMap,
    fs,
    net::TcpListener,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::Duration,
};

use anyhow::{Context, Result};

use super::{Capturer, Loaded, Net, Opts, RunResult, Tool, header, med, pct, run_with, xtask_in_a};

pub const RATE: u64 = 1000;
const PORT: u16 = 8080;

/// Accepts and drops connections in the receiver namespace until dropped.
struct Server {
    stop: Arc<AtomicBool>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Server {
    fn start(net: &Net) -> Result<Server> {
        let ns = net.pair.b.name.clone();
        let ip = net.pair.b_ip.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let s2 = stop.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let handle = thread::spawn(move || {
            let l = crate::sys::Netns::enter_thread_named(&ns)
                .and_then(|()| TcpListener::bind((ip.as_str(), PORT)).context("bind server"))
                .and_then(|l| l.set_nonblocking(true).map(|()| l).context("nonblocking"));
            let l = match l {
                Ok(l) => {
                    let _ = tx.send(Ok(()));
                    l
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            while !s2.load(Ordering::Relaxed) {
                match l.accept() {
                    Ok(_) => {}
                    Err(_) => thread::sleep(Duration::from_millis(1)),
                }
            }
        });
        rx.recv().context("server thread")??;
        Ok(Server {
            stop,
            handle: Some(handle),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// SYN packets in ptcpdump's -v output: source port -> (pid, args) it printed (None if none).
fn syns(text: &str, a_ip: &str, b_ip: &str) -> HashMap<u16, Option<(u32, String)>> {
    let mut out = HashMap::new();
    // A packet starts at a line beginning with a timestamp digit; indented lines continue it.
    let mut blocks: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with(|c: char| c.is_ascii_digit()) || blocks.is_empty() {
            blocks.push(line.to_string());
        } else if let Some(b) = blocks.last_mut() {
            b.push('\n');
            b.push_str(line);
        }
    }
    let needle = format!(" > {b_ip}.{PORT}: Flags [S],");
    for b in blocks {
        let Some(at) = b.find(&needle) else { continue };
        let before = &b[..at];
        let Some(src) = before.rsplit(char::is_whitespace).next() else {
            continue;
        };
        let Some(sport) = src
            .strip_prefix(&format!("{a_ip}."))
            .and_then(|p| p.parse::<u16>().ok())
        else {
            continue;
        };
        let proc_info = b.find("Process (pid ").and_then(|i| {
            let rest = &b[i + "Process (pid ".len()..];
            let pid: u32 = rest.split(',').next()?.trim().parse().ok()?;
            let args = rest.split(", args ").nth(1)?.split(')').next()?.to_string();
            Some((pid, args))
        });
        out.insert(sport, proc_info);
    }
    out
}

struct Tally {
    spawned: u64,
    connected: u64,
    syns_seen: u64,
    right_pid: u64,
    right_args: u64,
    no_process: u64,
}

pub fn run(opts: &Opts) -> Result<()> {
    let net = Net::new()?;
    let _server = Server::start(&net)?;
    let a_if = net.pair.a_if.clone();
    let (a_ip, b_ip) = (net.pair.a_ip.clone(), net.pair.b_ip.clone());
    let out_plain = opts.workdir.join("attribution-ptcpdump.txt");
    let expr = format!("tcp dst port {PORT}");
    let mut plain = Capturer::new(Tool::Ptcpdump, &["-i", &a_if, "-n", "-v", &expr]);
    plain.out = Some(out_plain.clone());
    let filtered = Capturer::new(
        Tool::Ptcpdump,
        &["-i", &a_if, "-n", "-v", "--pname", "xtask", &expr],
    );
    let tcpdump = Capturer::new(Tool::Tcpdump, &["-i", &a_if, "-n", "-v", &expr]);
    let caps = [plain, filtered, tcpdump];
    let mut rs: Vec<(RunResult, Tally)> = Vec::new();
    for run in 0..opts.runs {
        crate::sys::check_interrupted()?;
        eprintln!("attribution: run {}/{}", run + 1, opts.runs);
        let args: Vec<String> = [
            "spawn-clients",
            "--dst",
            &b_ip,
            "--port",
            &PORT.to_string(),
            "--rate",
            &RATE.to_string(),
            "--secs",
            &opts.secs.to_string(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let r = run_with(opts, &net, &caps, &net.pair.a, || {
            let (x, text) = xtask_in_a(
                &net,
                args.clone(),
                Duration::from_secs_f64(opts.secs + 120.0),
            )?;
            let spawned = x
                .stderr
                .iter()
                .find_map(|l| {
                    l.strip_prefix("spawned ")?
                        .split_whitespace()
                        .next()?
                        .parse()
                        .ok()
                })
                .unwrap_or(0);
            Ok(Loaded {
                sent: spawned,
                cpu_s: x.cpu_s(),
                stdout: text,
            })
        })?;
        // Clients: sport -> (pid, token).
        let mut clients: HashMap<u16, (u32, String)> = HashMap::new();
        for l in r.load_stdout.lines() {
            let f: Vec<&str> = l.split_whitespace().collect();
            if let [pid, sport, token] = f.as_slice()
                && let (Ok(pid), Ok(sport)) = (pid.parse(), sport.parse())
            {
                clients.insert(sport, (pid, token.to_string()));
            }
        }
        let seen = syns(
            &fs::read_to_string(&out_plain).unwrap_or_default(),
            &a_ip,
            &b_ip,
        );
        let mut t = Tally {
            spawned: r.sent,
            connected: clients.len() as u64,
            syns_seen: 0,
            right_pid: 0,
            right_args: 0,
            no_process: 0,
        };
        for (sport, (pid, token)) in &clients {
            let Some(info) = seen.get(sport) else {
                continue;
            };
            t.syns_seen += 1;
            match info {
                None => t.no_process += 1,
                Some((p, args)) => {
                    if p == pid {
                        t.right_pid += 1;
                        if args.split_whitespace().any(|a| a == token) && args.contains("connect") {
                            t.right_args += 1;
                        }
                    }
                }
            }
        }
        eprintln!(
            "  spawned {} connected {} syns {} right pid {} right args {} no process {} | {}",
            t.spawned,
            t.connected,
            t.syns_seen,
            t.right_pid,
            t.right_args,
            t.no_process,
            super::capture::one_line(&r)
        );
        rs.push((r, t));
    }
    let _ = fs::remove_file(&out_plain);
    header("attribution", opts);
    println!(
        "Client processes started at a target of {RATE}/s for {} s in the sender namespace (`xtask connect`:",
        opts.secs
    );
    println!(
        "fork+execv with the word `connect` a string literal, one TCP connection, exit); three capturers"
    );
    println!("at the same time on the client-side veth.");
    println!(
        "A SYN counts as right when ptcpdump's `Process (pid N, ..., args A)` has the pid of the client"
    );
    println!("that owns that source port and its args contain the client's unique token.");
    println!();
    println!(
        "Commands: `{}`, `{}`, `{}`",
        caps[0].display(),
        caps[1].display(),
        caps[2].display()
    );
    println!();
    println!(
        "| clients/s | connected | SYNs captured | right pid | right pid+args | no process | CPU s ptcpdump | CPU s ptcpdump --pname | CPU s tcpdump |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {:.0} | {:.0} | {:.0} | {:.1}% | {:.1}% | {:.1}% | {:.2} | {:.2} | {:.2} |",
        med(&rs, |(_, t)| t.spawned as f64 / opts.secs),
        med(&rs, |(_, t)| t.connected as f64),
        med(&rs, |(_, t)| t.syns_seen as f64),
        med(&rs, |(_, t)| pct(t.right_pid, t.syns_seen)),
        med(&rs, |(_, t)| pct(t.right_args, t.syns_seen)),
        med(&rs, |(_, t)| pct(t.no_process, t.syns_seen)),
        med(&rs, |(r, _)| r.samples[0].cpu_s()),
        med(&rs, |(r, _)| r.samples[1].cpu_s()),
        med(&rs, |(r, _)| r.samples[2].cpu_s()),
    );
    println!();
    Ok(())
}
