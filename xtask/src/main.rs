//! Developer tasks cargo cannot do. `cargo run --release -p xtask -- bench [NAME...]` runs the
//! benchmarks (as root: they create network namespaces) and prints Markdown tables for
//! docs/BENCHMARKS.md.
mod bench;
mod bpfstats;
mod clients;
mod pcapgen;
mod sender;
mod sys;

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

const ALL: [&str; 7] = [
    "cost",
    "capture",
    "read",
    "filter",
    "write",
    "startup",
    "attribution",
];

fn usage() -> ! {
    eprintln!(
        "usage: xtask bench [cost|capture|read|filter|write|startup|attribution|pod ...] [--runs N] [--secs S] [--rates R,R,...] [--threads N] [--tcpdump-args 'ARGS']\n\
         \x20      (rates in packets per second, 0 = as fast as possible, 1 = idle; PTCPDUMP_BIN overrides the binary)\n\
         \x20      xtask send-udp --dst IP --port P --rate PPS --secs S [--other PORT:EVERY] [--payload N] [--threads N]\n\
         \x20      xtask gen-pcap FILE COUNT"
    );
    std::process::exit(2)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => run_bench(&args[1..]),
        Some("spawn-clients") => clients::spawn(&args[1..]),
        Some("connect") => clients::connect(&args[1..]),
        Some("send-udp") => sender::run(&sender::Args::parse(&args[1..])?),
        Some("gen-pcap") => {
            let (Some(f), Some(n)) = (args.get(1), args.get(2)) else {
                usage()
            };
            pcapgen::write(&PathBuf::from(f), n.parse()?)
        }
        _ => usage(),
    }
}

fn ptcpdump_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("PTCPDUMP_BIN") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target/release/ptcpdump")
}

fn run_bench(args: &[String]) -> Result<()> {
    let mut names = Vec::new();
    let mut opts = bench::Opts {
        runs: 3,
        secs: 5.0,
        rates: vec![1, 50_000, 200_000, 500_000, 0],
        rates_given: false,
        threads: 1,
        ptcpdump: ptcpdump_bin(),
        tcpdump: "tcpdump".into(),
        tcpdump_args: Vec::new(),
        workdir: PathBuf::from("/tmp/ptcpdump-bench"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => opts.runs = it.next().context("--runs N")?.parse()?,
            "--tcpdump-args" => {
                opts.tcpdump_args = it
                    .next()
                    .context("--tcpdump-args 'ARGS'")?
                    .split_whitespace()
                    .map(str::to_string)
                    .collect()
            }
            "--threads" => {
                opts.threads = it.next().context("--threads N")?.parse::<usize>()?.max(1)
            }
            "--secs" => opts.secs = it.next().context("--secs S")?.parse()?,
            "--rates" => {
                opts.rates_given = true;
                opts.rates = it
                    .next()
                    .context("--rates R,R")?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?
            }
            // `pod` needs containerd (tests/containers/ct-up.sh): only when named.
            n if ALL.contains(&n) || n == "pod" => names.push(n.to_string()),
            "-h" | "--help" => usage(),
            other => bail!("unknown benchmark or flag: {other}"),
        }
    }
    if names.is_empty() {
        names = ALL.iter().map(|s| s.to_string()).collect();
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        bail!("benchmarks need root (network namespaces, eBPF)");
    }
    if !opts.ptcpdump.exists() {
        bail!(
            "{} not found: run `cargo build --release -p ptcpdump` or set PTCPDUMP_BIN",
            opts.ptcpdump.display()
        );
    }
    std::fs::create_dir_all(&opts.workdir)?;
    sys::install_signal_handlers();
    println!("<!-- ptcpdump: {} -->", opts.ptcpdump.display());
    for n in &names {
        let r = match n.as_str() {
            "cost" => bench::cost::run(&opts),
            "capture" => bench::capture::run(&opts),
            "read" => bench::read::run(&opts),
            "filter" => bench::filter::run(&opts),
            "write" => bench::write::run(&opts),
            "startup" => bench::startup::run(&opts),
            "attribution" => bench::attribution::run(&opts),
            "pod" => bench::pod::run(&opts),
            _ => unreachable!(),
        };
        if let Err(e) = r {
            eprintln!("bench {n}: {e:#}");
        }
        if sys::interrupted() {
            break;
        }
    }
    Ok(())
}
