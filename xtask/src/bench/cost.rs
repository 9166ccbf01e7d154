//! `cost`: what capturing costs the machine per packet, kernel included.
//!
//! A UDP flood (64-byte payloads, 1 in 100 packets to port 5001, the rest to 5002) crosses a
//! veth pair from the sender's namespace to the receiver's. The receive path of a veth runs in
//! softirq, mostly in the sender's own context (when it re-enables bottom halves after sending)
//! and otherwise in ksoftirqd: every eBPF program and AF_PACKET copy the capturers add there is
//! charged to one of the two. So the cost of a capturer is
//!
//! ```text
//! (sender CPU + ksoftirqd CPU + capturer CPU) per packet, minus the same without any capturer
//! ```
//!
//! measured in the same round: no capturer, ptcpdump alone, tcpdump alone (the order rotates
//! from round to round), each round once per row, medians of the rounds. Rows: every packet
//! printed, written to a file, written to /dev/null; a filter matching 1 %; a filter matching
//! nothing; a capture on another interface (`lo`), for what ptcpdump costs packets it does not
//! capture. Then one more ptcpdump run per row with `kernel.bpf_stats_enabled` gives the time
//! of each of its programs per run and per packet, next to a two-instruction program on the
//! same veth whose time is what the statistics themselves cost (subtracted).
use std::{
    net::Ipv4Addr,
    path::PathBuf,
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context as _, Result};

use super::{Capturer, MATCH_PORT, Net, Opts, PORT, Tool, header, median, wait_ready, xtask_in_a};
use crate::{
    bpfstats, sender,
    sys::{self, Out, Proc},
};

/// One line of the tables: the arguments after `-i IF` and where stdout goes.
struct Row {
    name: &'static str,
    /// The capture is on the receiver's `lo`, not on the veth.
    other_iface: bool,
    args: Vec<String>,
    /// `-w` to a file (`.pcapng` for ptcpdump, `.pcap` for tcpdump), removed after each run.
    file: bool,
}

fn rows() -> Vec<Row> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect();
    vec![
        Row {
            name: "every packet, printed (`-n > /dev/null`)",
            other_iface: false,
            args: v(&["-n"]),
            file: false,
        },
        Row {
            name: "every packet, written (`-w FILE`)",
            other_iface: false,
            args: v(&[]),
            file: true,
        },
        Row {
            name: "every packet, `-w /dev/null`",
            other_iface: false,
            args: v(&["-w", "/dev/null"]),
            file: false,
        },
        Row {
            name: "filter matching 1 % (`udp port 5001`)",
            other_iface: false,
            args: v(&["-n", "udp", "port", &MATCH_PORT.to_string()]),
            file: false,
        },
        Row {
            name: "filter matching nothing (`udp port 5555`)",
            other_iface: false,
            args: v(&["-n", "udp", "port", "5555"]),
            file: false,
        },
        Row {
            name: "traffic on an interface not captured (`-i lo`)",
            other_iface: true,
            args: v(&["-n"]),
            file: false,
        },
    ]
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Nobody,
    Tool(Tool),
}

/// One flood with one capturer (or none).
#[derive(Clone, Debug, Default)]
struct Run {
    sent: u64,
    secs: f64,
    /// Sender process (all threads, wait4 rusage) + ksoftirqd threads, seconds.
    kernel_s: f64,
    capturer_s: f64,
    captured: u64,
    dropped: u64,
}

impl Run {
    fn ns_per_packet(&self, s: f64) -> f64 {
        s * 1e9 / self.sent.max(1) as f64
    }
}

/// One row's program statistics: (program name, runs, ns) deltas over the flood, the flood's
/// seconds and packets sent.
type ProgStats = Option<(Vec<(String, u64, u64)>, f64, u64)>;

pub fn run(opts: &Opts) -> Result<()> {
    let net = Net::new()?;
    let rate = if opts.rates_given {
        opts.rates.iter().copied().find(|&r| r > 1).unwrap_or(0)
    } else {
        200_000
    };
    let rows = rows();
    // results[row] = rounds of (baseline, ptcpdump, tcpdump)
    let mut results: Vec<Vec<[Run; 3]>> = rows.iter().map(|_| Vec::new()).collect();
    for round in 0..opts.runs {
        for (ri, row) in rows.iter().enumerate() {
            sys::check_interrupted()?;
            let mut order = [
                Who::Nobody,
                Who::Tool(Tool::Ptcpdump),
                Who::Tool(Tool::Tcpdump),
            ];
            order.rotate_left(round % 3);
            let mut got: [Run; 3] = Default::default();
            for who in order {
                let slot = match who {
                    Who::Nobody => 0,
                    Who::Tool(Tool::Ptcpdump) => 1,
                    Who::Tool(Tool::Tcpdump) => 2,
                };
                let r = one(opts, &net, row, who, rate, None)?;
                eprintln!(
                    "cost: round {}/{} {} {}: sent {} ({:.0} pps) kernel {:.3}s capturer {:.3}s captured {} dropped {}",
                    round + 1,
                    opts.runs,
                    row.name,
                    match who {
                        Who::Nobody => "no capturer",
                        Who::Tool(t) => t.name(),
                    },
                    r.sent,
                    r.sent as f64 / r.secs.max(0.001),
                    r.kernel_s,
                    r.capturer_s,
                    r.captured,
                    r.dropped
                );
                got[slot] = r;
            }
            results[ri].push(got);
        }
    }
    // Per-program times: one more ptcpdump run per row with statistics on.
    let mut progs: Vec<ProgStats> = Vec::new();
    for row in &rows {
        sys::check_interrupted()?;
        let mut st = Stats::default();
        let r = one(
            opts,
            &net,
            row,
            Who::Tool(Tool::Ptcpdump),
            rate,
            Some(&mut st),
        );
        match r {
            Ok(r) => {
                eprintln!("cost: statistics {}: sent {}", row.name, r.sent);
                progs.push(Some((st.progs, st.floor_ns, r.sent)));
            }
            Err(e) => {
                eprintln!("cost: statistics {}: {e:#}", row.name);
                progs.push(None);
            }
        }
    }
    print(opts, &net, &rows, rate, &results, &progs);
    Ok(())
}

/// What the statistics run collects.
#[derive(Default)]
struct Stats {
    /// (program name, runs, ns) deltas over the flood, summed by name.
    progs: Vec<(String, u64, u64)>,
    /// ns per run of the two-instruction program.
    floor_ns: f64,
}

fn ksoftirqd_pids() -> Vec<i32> {
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|c| c.starts_with("ksoftirqd/"))
        {
            v.push(pid);
        }
    }
    v
}

/// CPU time of every thread of `pid`, in seconds (scheduler run time, nanosecond precise).
fn task_cpu_s(pid: i32) -> f64 {
    let mut ns = 0u64;
    for e in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if let Ok(s) = std::fs::read_to_string(e.path().join("schedstat")) {
            ns += s
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    ns as f64 / 1e9
}

fn one(
    opts: &Opts,
    net: &Net,
    row: &Row,
    who: Who,
    rate: u64,
    stats: Option<&mut Stats>,
) -> Result<Run> {
    let ifname = if row.other_iface {
        "lo".to_string()
    } else {
        net.pair.b_if.clone()
    };
    let mut cap = match who {
        Who::Nobody => None,
        Who::Tool(tool) => {
            let c = capturer(opts, tool, &ifname, row);
            let mut p = Proc::spawn(&c.argv(opts, &net.pair.b), Out::Null)?;
            wait_ready(&mut p, tool, &c.display())?;
            Some((p, c))
        }
    };
    let floor = match &stats {
        Some(_) => {
            let ns = net.pair.b.name.clone();
            let ifname = net.pair.b_if.clone();
            let f = thread::spawn(move || -> Result<bpfstats::Floor> {
                sys::Netns::enter_thread_named(&ns)?;
                let index = nix_if_index(&ifname)?;
                bpfstats::Floor::attach(index)
            })
            .join()
            .map_err(|_| anyhow::anyhow!("floor thread panicked"))??;
            Some(f)
        }
        None => None,
    };
    let enabled = match &stats {
        Some(_) => Some(bpfstats::enable()?),
        None => None,
    };
    thread::sleep(Duration::from_millis(300));
    let ids = cap
        .as_ref()
        .map(|(p, _)| bpfstats::prog_ids_of(p.pid))
        .unwrap_or_default();
    let before = bpfstats::snapshot(&ids);
    let floor0 = floor.as_ref().and_then(|f| f.stats());
    let ksoft = ksoftirqd_pids();
    let k0: f64 = ksoft.iter().map(|&p| task_cpu_s(p)).sum();
    let c0 = cap.as_ref().map(|(p, _)| task_cpu_s(p.pid)).unwrap_or(0.0);
    let load = sender::Args {
        dst: net.pair.b_ip.parse::<Ipv4Addr>()?,
        port: PORT,
        other: Some((MATCH_PORT, 100)),
        rate,
        secs: opts.secs,
        payload: 64,
        threads: opts.threads,
    };
    let t0 = Instant::now();
    let (sx, text) = xtask_in_a(
        net,
        load.to_argv(),
        Duration::from_secs_f64(opts.secs + 60.0),
    )?;
    let secs = t0.elapsed().as_secs_f64();
    let sent = sender::parse_sent(&text)
        .with_context(|| format!("sender output: {text} {}", sx.stderr.join(" ")))?;
    // tcpdump hands packets over within its 1 s buffer timeout; ptcpdump polls every 10 ms.
    thread::sleep(Duration::from_millis(1500));
    let k1: f64 = ksoft.iter().map(|&p| task_cpu_s(p)).sum();
    let c1 = cap.as_ref().map(|(p, _)| task_cpu_s(p.pid)).unwrap_or(0.0);
    if let Some(st) = stats {
        let after = bpfstats::snapshot(&ids);
        for a in &after {
            let Some(b) = before.iter().find(|b| b.id == a.id) else {
                continue;
            };
            let (n, t) = (a.run_cnt - b.run_cnt, a.run_time_ns - b.run_time_ns);
            if n == 0 {
                continue;
            }
            match st.progs.iter_mut().find(|p| p.0 == a.name) {
                Some(p) => {
                    p.1 += n;
                    p.2 += t;
                }
                None => st.progs.push((a.name.clone(), n, t)),
            }
        }
        st.progs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if let (Some(f0), Some(f1)) = (floor0, floor.as_ref().and_then(|f| f.stats())) {
            let n = f1.run_cnt - f0.run_cnt;
            st.floor_ns = (f1.run_time_ns - f0.run_time_ns) as f64 / n.max(1) as f64;
        }
    }
    drop(enabled);
    drop(floor);
    let mut run = Run {
        sent,
        secs,
        kernel_s: sx.cpu_s() + (k1 - k0),
        capturer_s: c1 - c0,
        ..Run::default()
    };
    if let Some((mut p, c)) = cap.take() {
        let e = p.stop(libc::SIGINT, Duration::from_secs(30));
        run.captured = e.stat("packets captured").unwrap_or(0);
        run.dropped = e.stat("packets dropped by kernel").unwrap_or(0);
        if let Some(f) = output_file(opts, c.tool, row) {
            let _ = std::fs::remove_file(f);
        }
    }
    Ok(run)
}

/// The kernel keeps 15 characters of a program's name; what they stand for.
fn describe(name: &str) -> String {
    let what = match name {
        "ptcpdump_entry" => "entry + capture (pcap filter, tail call into `ptcpdump_capture`)",
        "ptcpdump_sock_s" => "`ptcpdump_sock_send` (tp_btf, owner of a socket that sends)",
        "ptcpdump_sock_r" => "`ptcpdump_sock_recv` (tp_btf, owner of a socket that receives)",
        "ptcpdump_fentry" => "`ptcpdump_fentry_*` (fentry on TCP/UDP send/receive)",
        "ptcpdump_sock_c" => "`ptcpdump_sock_create` (cgroup, per new socket)",
        "ptcpdump_sock_o" => "`ptcpdump_sock_ops` (cgroup, per TCP connection event)",
        "ptcpdump_cgroup" => "`ptcpdump_cgroup_egress` + `_ingress` (cgroup_skb)",
        "ptcpdump_sched_" => "`ptcpdump_sched_process_*` (exec, fork, exit)",
        "ptcpdump_sys_en" => "`ptcpdump_sys_enter_execve*`",
        _ => "",
    };
    if what.is_empty() {
        format!("`{name}`")
    } else {
        what.to_string()
    }
}

fn nix_if_index(name: &str) -> Result<u32> {
    let c = std::ffi::CString::new(name)?;
    // SAFETY: a NUL-terminated name.
    let i = unsafe { libc::if_nametoindex(c.as_ptr()) };
    if i == 0 {
        anyhow::bail!("{name}: {}", std::io::Error::last_os_error());
    }
    Ok(i)
}

fn output_file(opts: &Opts, tool: Tool, row: &Row) -> Option<PathBuf> {
    row.file.then(|| {
        opts.workdir.join(match tool {
            Tool::Ptcpdump => "cost-ptcpdump.pcapng",
            Tool::Tcpdump => "cost-tcpdump.pcap",
        })
    })
}

fn capturer(opts: &Opts, tool: Tool, ifname: &str, row: &Row) -> Capturer {
    let mut a = vec!["-i".to_string(), ifname.to_string()];
    if let Some(f) = output_file(opts, tool, row) {
        a.push("-w".into());
        a.push(f.to_string_lossy().into_owned());
    }
    a.extend(row.args.iter().cloned());
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    Capturer::new(tool, &refs)
}

fn print(
    opts: &Opts,
    net: &Net,
    rows: &[Row],
    rate: u64,
    results: &[Vec<[Run; 3]>],
    progs: &[ProgStats],
) {
    header("cost", opts);
    let ifname = &net.pair.b_if;
    println!(
        "UDP flood at a target of {} pps for {} s per run ({} sender thread(s), 64-byte payloads, 1 in 100 to port {MATCH_PORT}, the rest to {PORT}) over a veth pair; capturers in the receiver's namespace on `{ifname}`.",
        if rate == 0 {
            "max".to_string()
        } else {
            rate.to_string()
        },
        opts.secs,
        opts.threads
    );
    println!(
        "Per round and row: no capturer, ptcpdump alone, tcpdump alone (order rotating). `kernel` = sender process + ksoftirqd CPU (where the veth's receive path and every hook in it run), `capturer` = the capturer's own CPU (all threads), both per packet sent; `extra` = kernel + capturer minus the no-capturer run of the same round. Medians of {} rounds.",
        opts.runs
    );
    println!();
    println!(
        "| row | sent pps | no capturer ns/pkt | ptcpdump captured | extra ns/pkt (kernel + capturer) | tcpdump captured | extra ns/pkt (kernel + capturer) | ptcpdump/tcpdump |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (row, rs) in rows.iter().zip(results) {
        let m = |f: &dyn Fn(&[Run; 3]) -> f64| median(rs.iter().map(f).collect());
        let base = |r: &[Run; 3]| r[0].ns_per_packet(r[0].kernel_s);
        let kern = |r: &[Run; 3], i: usize| r[i].ns_per_packet(r[i].kernel_s) - base(r);
        let capt = |r: &[Run; 3], i: usize| r[i].ns_per_packet(r[i].capturer_s);
        let extra = |r: &[Run; 3], i: usize| kern(r, i) + capt(r, i);
        let pct = |r: &[Run; 3], i: usize| {
            // What could be captured: every packet, 1 %, none, none.
            let want = if row.other_iface || row.args.iter().any(|a| a == "5555") {
                0
            } else if row.args.iter().any(|a| a == &MATCH_PORT.to_string()) {
                r[i].sent.div_ceil(100)
            } else {
                r[i].sent
            };
            if want == 0 {
                f64::NAN
            } else {
                r[i].captured as f64 * 100.0 / want as f64
            }
        };
        let cap_col = |i: usize| {
            let p = m(&|r| pct(r, i));
            let dropped = m(&|r| r[i].dropped as f64);
            let p = if p.is_nan() {
                format!("{:.0}", m(&|r| r[i].captured as f64))
            } else {
                format!("{p:.2} %")
            };
            if dropped > 0.0 {
                format!("{p} ({dropped:.0} dropped)")
            } else {
                p
            }
        };
        println!(
            "| {} | {:.0} | {:.0} | {} | {:.0} ({:.0} + {:.0}) | {} | {:.0} ({:.0} + {:.0}) | {:.2} |",
            row.name,
            m(&|r| r[1].sent as f64 / r[1].secs.max(0.001)),
            m(&base),
            cap_col(1),
            m(&|r| extra(r, 1)),
            m(&|r| kern(r, 1)),
            m(&|r| capt(r, 1)),
            cap_col(2),
            m(&|r| extra(r, 2)),
            m(&|r| kern(r, 2)),
            m(&|r| capt(r, 2)),
            m(&|r| extra(r, 1) / extra(r, 2).max(1.0)),
        );
    }
    println!();
    println!(
        "Commands (IF = `{ifname}`, or `lo` for the last row; FILE in {}):",
        opts.workdir.display()
    );
    println!();
    for row in rows {
        let c = |t| capturer(opts, t, if row.other_iface { "lo" } else { "IF" }, row).display();
        println!(
            "- {}: `{}` / `{}`",
            row.name,
            c(Tool::Ptcpdump),
            c(Tool::Tcpdump)
        );
    }
    println!();
    println!(
        "ptcpdump's eBPF programs with `kernel.bpf_stats_enabled` (one run per row, same flood): `ns/run` as the kernel counts it, `net` = minus the two-instruction program's ns/run on the same veth (the cost of the statistics themselves), `per packet` = net ns/run x runs per packet sent; the total adds the programs that ran for at least 1 packet in 10 (the others follow the machine's other events). The capture program is reached by tail call: its time is in the entry program's."
    );
    println!();
    println!("| row | program | runs/packet | ns/run | net ns/run | net ns/packet |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for (row, p) in rows.iter().zip(progs) {
        let Some((list, floor, sent)) = p else {
            println!("| {} | (statistics unavailable) | | | | |", row.name);
            continue;
        };
        let mut total = 0.0;
        let mut any = false;
        for (name, n, t) in list {
            let per_run = *t as f64 / *n as f64;
            let per_pkt = *n as f64 / (*sent).max(1) as f64;
            // Programs that ran for fewer than 1 packet in 10 follow the machine's other events
            // (process exec/exit, new sockets, other traffic): listed, not added up.
            let net = (per_run - floor).max(0.0);
            if per_pkt >= 0.1 {
                total += net * per_pkt;
                any = true;
            }
            println!(
                "| {} | {} | {per_pkt:.3} | {per_run:.0} | {net:.0} | {:.0} |",
                row.name,
                describe(name),
                net * per_pkt
            );
        }
        println!(
            "| {} | **per-packet programs** (floor {floor:.0} ns/run) | | | | **{}** |",
            row.name,
            if any {
                format!("{total:.0}")
            } else {
                "0".to_string()
            }
        );
    }
    println!();
}
