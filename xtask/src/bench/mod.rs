//! Benchmarks: programs that print figures as Markdown tables (for docs/BENCHMARKS.md), with
//! ptcpdump and tcpdump measured in the same run. No assertions: a benchmark reports what it sees.
pub mod attribution;
pub mod capture;
pub mod cost;
pub mod filter;
pub mod pod;
pub mod read;
pub mod startup;
pub mod write;

use std::{
    io::Read,
    net::UdpSocket,
    path::PathBuf,
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

use crate::{
    sender,
    sys::{self, Exit, Netns, Out, Pair, Proc},
};

pub struct Opts {
    pub runs: usize,
    pub secs: f64,
    pub rates: Vec<u64>,
    /// `--rates` was given (`cost` runs at one rate: the first above 1, else 200k).
    pub rates_given: bool,
    /// Sender threads (each paced at rate/threads).
    pub threads: usize,
    pub ptcpdump: PathBuf,
    pub tcpdump: String,
    /// Extra arguments for every live tcpdump (e.g. `-B 32768` for a buffer as large as ptcpdump's).
    pub tcpdump_args: Vec<String>,
    pub workdir: PathBuf,
}

/// The veth pair plus UDP sockets bound in the receiver namespace, so packets are dropped at
/// a socket instead of answered with ICMP port unreachable (which would add packets).
pub struct Net {
    pub pair: Pair,
    _sinks: Vec<UdpSocket>,
}

pub const PORT: u16 = 5002;
pub const MATCH_PORT: u16 = 5001;

impl Net {
    pub fn new() -> Result<Net> {
        let pair = Pair::new()?;
        let b_ip = pair.b_ip.clone();
        let ns = pair.b.name.clone();
        let sinks = thread::spawn(move || -> Result<Vec<UdpSocket>> {
            // This thread enters the namespace and ends; the sockets stay there.
            crate::sys::Netns::enter_thread_named(&ns)?;
            [PORT, MATCH_PORT]
                .iter()
                .map(|p| UdpSocket::bind((b_ip.as_str(), *p)).context("bind sink"))
                .collect()
        })
        .join()
        .map_err(|_| anyhow::anyhow!("sink thread panicked"))??;
        Ok(Net {
            pair,
            _sinks: sinks,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Ptcpdump,
    Tcpdump,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Ptcpdump => "ptcpdump",
            Tool::Tcpdump => "tcpdump",
        }
    }
}

/// One capturer in a run: which tool, its arguments after the binary, where stdout goes.
pub struct Capturer {
    pub tool: Tool,
    pub args: Vec<String>,
    pub out: Option<PathBuf>,
}

impl Capturer {
    pub fn new(tool: Tool, args: &[&str]) -> Capturer {
        Capturer {
            tool,
            args: args.iter().map(|s| s.to_string()).collect(),
            out: None,
        }
    }

    fn argv(&self, opts: &Opts, ns: &Netns) -> Vec<String> {
        let mut v = ns.exec_prefix();
        match self.tool {
            Tool::Ptcpdump => {
                v.extend(in_ns_with_cgroup2());
                v.push(opts.ptcpdump.to_string_lossy().into_owned());
            }
            Tool::Tcpdump => {
                v.push(opts.tcpdump.clone());
                v.extend(opts.tcpdump_args.iter().cloned());
            }
        }
        v.extend(self.args.iter().cloned());
        v
    }

    /// The command line as a reader would type it (for the docs).
    pub fn display(&self) -> String {
        let mut s = format!("{} {}", self.tool.name(), self.args.join(" "));
        if let Some(o) = &self.out {
            s += &format!(" > {}", o.display());
        } else if !self.args.iter().any(|a| a == "-w") {
            s += " > /dev/null";
        }
        s
    }
}

/// `ip netns exec` gives the command a private mount namespace with a fresh sysfs (so /sys/class/net
/// lists the namespace's interfaces) but without the cgroup2 mount, and ptcpdump without cgroup2
/// attributes nothing. Mount it again, inside that private mount namespace only, as on a normal
/// host, then exec (same PID).
pub fn in_ns_with_cgroup2() -> Vec<String> {
    [
        "sh",
        "-c",
        "mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; exec \"$0\" \"$@\"",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// What one capturer reported in one run.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    pub captured: u64,
    pub received: u64,
    pub dropped: u64,
    /// CPU seconds used while the traffic flowed (from just before the sender started to the
    /// end of the drain pause): excludes loading eBPF programs and exiting.
    pub user_s: f64,
    pub sys_s: f64,
    /// The whole process lifetime (wait4 rusage).
    pub exit: Exit,
}

impl Sample {
    pub fn cpu_s(&self) -> f64 {
        self.user_s + self.sys_s
    }
}

pub struct RunResult {
    pub sent: u64,
    /// Packets the receiving veth accepted (rx_packets delta): what a capturer could see.
    pub arrived: u64,
    /// Packets the receiving side dropped before any hook (backlog full).
    pub backlog_dropped: u64,
    pub sender_cpu_s: f64,
    pub load_stdout: String,
    pub samples: Vec<Sample>,
}

/// What a load generator did: packets (or processes) it sent, its CPU, its stdout.
pub struct Loaded {
    pub sent: u64,
    pub cpu_s: f64,
    pub stdout: String,
}

/// Runs an xtask subcommand (`args`) in the sender namespace and waits for it.
pub fn xtask_in_a(net: &Net, args: Vec<String>, limit: Duration) -> Result<(Exit, String)> {
    let mut argv = net.pair.a.exec_prefix();
    argv.push(std::env::current_exe()?.to_string_lossy().into_owned());
    argv.extend(args);
    let mut snd = Proc::spawn(&argv, Out::Pipe)?;
    let mut so = snd.stdout.take().context("load stdout")?;
    let reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = so.read_to_string(&mut s);
        s
    });
    let sx = snd.wait(limit);
    let text = reader.join().unwrap_or_default();
    Ok((sx, text))
}

/// [`run_with`] with the paced UDP sender as the load.
pub fn run_side_by_side(
    opts: &Opts,
    net: &Net,
    caps: &[Capturer],
    load: &sender::Args,
) -> Result<RunResult> {
    run_with(opts, net, caps, &net.pair.b, || {
        let (sx, text) = xtask_in_a(
            net,
            load.to_argv(),
            Duration::from_secs_f64(load.secs + 60.0),
        )?;
        let sent = sender::parse_sent(&text)
            .with_context(|| format!("sender output: {text} {}", sx.stderr.join(" ")))?;
        Ok(Loaded {
            sent,
            cpu_s: sx.cpu_s(),
            stdout: text,
        })
    })
}

fn wait_ready(p: &mut Proc, tool: Tool, what: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen_one: Option<Instant> = None;
    while Instant::now() < deadline {
        sys::check_interrupted()?;
        if let Some(e) = p.exited() {
            bail!("{what} exited early ({}): {}", e.code, e.stderr.join("\n"));
        }
        match tool {
            Tool::Tcpdump => {
                if p.stderr_has("listening on") {
                    return Ok(());
                }
            }
            // Attached when it holds a TCX link per direction (or one, for -Q, after a moment).
            Tool::Ptcpdump => match sys::tcx_links(p.pid) {
                0 => {}
                1 => {
                    let t = *seen_one.get_or_insert_with(Instant::now);
                    if t.elapsed() > Duration::from_millis(500) {
                        return Ok(());
                    }
                }
                _ => return Ok(()),
            },
        }
        thread::sleep(Duration::from_millis(10));
    }
    bail!("{what} not ready after 60 s: {}", p.stderr_text())
}

/// Starts every capturer on the receiving veth, waits until all are attached, sends `load`
/// from the other namespace, lets the capturers drain, stops them with SIGINT and collects
/// their statistics lines and rusage.
pub fn run_with(
    opts: &Opts,
    net: &Net,
    caps: &[Capturer],
    ns: &Netns,
    load: impl FnOnce() -> Result<Loaded>,
) -> Result<RunResult> {
    let mut procs = Vec::new();
    for c in caps {
        let out = match &c.out {
            Some(p) => Out::File(p.clone()),
            None => Out::Null,
        };
        procs.push(Proc::spawn(&c.argv(opts, ns), out)?);
    }
    for (p, c) in procs.iter_mut().zip(caps) {
        wait_ready(p, c.tool, &c.display())?;
    }
    sys::check_interrupted()?;
    thread::sleep(Duration::from_millis(300));
    let before = net.pair.rx_counters()?;
    let cpu0: Vec<(f64, f64)> = procs
        .iter()
        .map(|p| sys::proc_cpu(p.pid).unwrap_or_default())
        .collect();
    let loaded = load()?;
    sys::check_interrupted()?;
    // tcpdump delivers at the latest after its 1 s buffer timeout; ptcpdump polls every 10 ms.
    thread::sleep(Duration::from_millis(1500));
    let after = net.pair.rx_counters()?;
    let cpu1: Vec<(f64, f64)> = procs
        .iter()
        .map(|p| sys::proc_cpu(p.pid).unwrap_or_default())
        .collect();
    let mut samples = Vec::new();
    for (i, (p, c)) in procs.iter_mut().zip(caps).enumerate() {
        let e = p.stop(libc::SIGINT, Duration::from_secs(30));
        let s = Sample {
            captured: e.stat("packets captured").unwrap_or(0),
            received: e.stat("packets received by filter").unwrap_or(0),
            dropped: e.stat("packets dropped by kernel").unwrap_or(0),
            user_s: cpu1[i].0 - cpu0[i].0,
            sys_s: cpu1[i].1 - cpu0[i].1,
            exit: e,
        };
        if s.exit.stat("packets captured").is_none() {
            eprintln!(
                "warning: {} printed no statistics (exit {}): {}",
                c.display(),
                s.exit.code,
                s.exit.stderr.join(" | ")
            );
        }
        samples.push(s);
    }
    Ok(RunResult {
        sent: loaded.sent,
        arrived: after.0.saturating_sub(before.0),
        backlog_dropped: after.1.saturating_sub(before.1),
        sender_cpu_s: loaded.cpu_s,
        load_stdout: loaded.stdout,
        samples,
    })
}

pub fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Median of `f` over the runs.
pub fn med<T>(runs: &[T], f: impl Fn(&T) -> f64) -> f64 {
    median(runs.iter().map(f).collect())
}

pub fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        f64::NAN
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

pub fn rate_label(rate: u64) -> String {
    match rate {
        0 => "max".into(),
        1 => "idle (1 pps)".into(),
        r if r % 1000 == 0 => format!("{}k", r / 1000),
        r => r.to_string(),
    }
}

pub fn header(name: &str, opts: &Opts) {
    println!();
    println!("### {name}");
    println!();
    println!(
        "{} UTC, {} cores, load average at start {}, {} run(s), medians",
        utc_now(),
        sys::cores(),
        sys::loadavg(),
        opts.runs
    );
    if !opts.tcpdump_args.is_empty() {
        println!();
        println!(
            "Every live tcpdump ran with `{}` before the arguments shown.",
            opts.tcpdump_args.join(" ")
        );
    }
    println!();
}

pub fn utc_now() -> String {
    sys::sh("date -u '+%Y-%m-%d %H:%M'")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}
