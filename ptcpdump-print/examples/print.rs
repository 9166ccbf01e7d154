//! Minimal `tcpdump -n -r FILE [flags]` over this crate, to run the conformance corpus and
//! benchmarks without building the full binary (no filters, no live capture):
//!
//!     cargo build --release -p ptcpdump-print --example print
//!     /work/shared/conformance/run.sh target/release/examples/print '^s-'

use ptcpdump_pcap::{Precision, Reader};
use ptcpdump_print::{PacketInfo, PrintOptions, Printer, TsFormat};
use std::io::Write;

fn main() {
    let mut opts = PrintOptions::default();
    let mut file = None;
    let mut count: Option<u64> = None;
    let mut precision = Precision::Micro;
    let mut tcount = 0;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-r" => {
                i += 1;
                file = args.get(i).cloned();
            }
            "-c" => {
                i += 1;
                count = args.get(i).and_then(|s| s.parse().ok());
            }
            "--nano" => precision = Precision::Nano,
            "--micro" => precision = Precision::Micro,
            "--" => break,
            s if s.starts_with('-') && !s.starts_with("--") => {
                for c in s[1..].chars() {
                    match c {
                        'v' => opts.verbose += 1,
                        'q' => opts.quiet = true,
                        'e' => opts.link_header = true,
                        'S' => opts.absolute_seq = true,
                        'x' => opts.hex += 1,
                        'X' => opts.hex_ascii += 1,
                        'A' => opts.ascii += 1,
                        'n' => opts.numeric += 1,
                        't' => tcount += 1,
                        '#' => opts.number = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    opts.ts_format = match tcount {
        0 => TsFormat::Default,
        1 => TsFormat::None,
        2 => TsFormat::Epoch,
        3 => TsFormat::DeltaPrev,
        4 => TsFormat::Date,
        _ => TsFormat::DeltaFirst,
    };
    opts.nano = precision == Precision::Nano;
    let f = std::fs::File::open(file.expect("-r FILE")).expect("open");
    let mut rd = Reader::new(std::io::BufReader::new(f), precision).expect("reader");
    let mut printer = Printer::new(opts);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut out = String::with_capacity(1 << 16);
    let mut n = 0u64;
    while let Ok(Some(p)) = rd.next_packet() {
        if count.is_some_and(|c| n >= c) {
            break;
        }
        n += 1;
        printer.print(
            &mut out,
            &PacketInfo {
                ts_sec: p.ts_sec,
                ts_frac: p.ts_frac,
                linktype: p.linktype,
                caplen: p.caplen,
                len: p.len,
                data: p.data,
                ..Default::default()
            },
        );
        if out.len() > 1 << 15 {
            w.write_all(out.as_bytes()).unwrap();
            out.clear();
        }
    }
    w.write_all(out.as_bytes()).unwrap();
    w.flush().unwrap();
}
