//! `read`: `ptcpdump -r` and `tcpdump -r` over the same 1,000,000-packet classic pcap (made by
//! `xtask gen-pcap` once and kept in the work directory), to a file and to /dev/null.
use std::{fs, path::PathBuf, time::Duration};

use anyhow::Result;

use super::{Opts, Tool, header, med};
use crate::sys::{Exit, Out, Proc};

const PACKETS: u64 = 1_000_000;

pub fn run(opts: &Opts) -> Result<()> {
    let pcap = opts.workdir.join("read-1m.pcap");
    if !pcap.exists() {
        eprintln!("read: generating {} ({PACKETS} packets)", pcap.display());
        let tmp = opts.workdir.join("read-1m.pcap.tmp");
        crate::pcapgen::write(&tmp, PACKETS)?;
        fs::rename(&tmp, &pcap)?;
    }
    // Page cache warm for everyone.
    let _ = fs::read(&pcap)?;
    let f = pcap.to_string_lossy().into_owned();
    let outs = [
        Some(opts.workdir.join("read-ptcpdump.txt")),
        Some(opts.workdir.join("read-tcpdump.txt")),
    ];
    let mut rows: Vec<(String, String, Vec<Exit>, Vec<Exit>)> = Vec::new();
    for to_file in [true, false] {
        let (mut p, mut t) = (Vec::new(), Vec::new());
        for run in 0..opts.runs {
            crate::sys::check_interrupted()?;
            // Alternate who goes first, so a burst of load elsewhere hits both alike.
            let order = if run % 2 == 0 {
                [Tool::Ptcpdump, Tool::Tcpdump]
            } else {
                [Tool::Tcpdump, Tool::Ptcpdump]
            };
            for tool in order {
                let bin = match tool {
                    Tool::Ptcpdump => opts.ptcpdump.to_string_lossy().into_owned(),
                    Tool::Tcpdump => opts.tcpdump.clone(),
                };
                let out = match (to_file, tool) {
                    (true, Tool::Ptcpdump) => Out::File(outs[0].clone().unwrap_or_default()),
                    (true, Tool::Tcpdump) => Out::File(outs[1].clone().unwrap_or_default()),
                    (false, _) => Out::Null,
                };
                let mut pr = Proc::spawn(&[bin, "-r".into(), f.clone(), "-n".into()], out)?;
                let e = pr.wait(Duration::from_secs(600));
                eprintln!(
                    "read: {} {} wall {:.2}s cpu {:.2}+{:.2}s exit {}",
                    tool.name(),
                    if to_file { "file" } else { "/dev/null" },
                    e.wall_s,
                    e.user_s,
                    e.sys_s,
                    e.code
                );
                if tool == Tool::Ptcpdump {
                    p.push(e)
                } else {
                    t.push(e)
                }
            }
        }
        let dest = if to_file { "FILE" } else { "/dev/null" };
        rows.push((
            format!("ptcpdump -r {f} -n > {dest}"),
            format!("tcpdump -r {f} -n > {dest}"),
            p,
            t,
        ));
    }
    let (lines_p, lines_t, differ) = compare(
        &outs[0].clone().unwrap_or_default(),
        &outs[1].clone().unwrap_or_default(),
    );
    // The two text outputs are about 100 MB each: compared, then removed.
    for o in outs.iter().flatten() {
        let _ = fs::remove_file(o);
    }

    header("read", opts);
    println!(
        "{PACKETS} packets, {} MB classic pcap (`xtask gen-pcap`: TCP data/handshakes, HTTP, UDP, DNS, ICMP, IPv6), page cache warm.",
        crate::sys::file_size(&pcap) / 1_000_000
    );
    println!(
        "Wall time and CPU (user+sys, wait4 rusage) of each command; runs alternate which tool goes first."
    );
    println!();
    println!(
        "| output | ptcpdump wall s | CPU s | tcpdump wall s | CPU s | wall ptcpdump/tcpdump |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (cp, _ct, p, t) in &rows {
        let dest = if cp.ends_with("FILE") {
            "file"
        } else {
            "/dev/null"
        };
        let (wp, wt) = (med(p, |e| e.wall_s), med(t, |e| e.wall_s));
        println!(
            "| {dest} | {wp:.2} | {:.2} | {wt:.2} | {:.2} | {:.2} |",
            med(p, |e| e.cpu_s()),
            med(t, |e| e.cpu_s()),
            wp / wt
        );
    }
    println!();
    println!(
        "Commands: `{}`, `{}`, `{}`, `{}` (FILE on the same disk).",
        rows[0].0, rows[0].1, rows[1].0, rows[1].1
    );
    println!();
    println!(
        "Output check: ptcpdump wrote {lines_p} lines, tcpdump {lines_t}; {differ} lines differ."
    );
    println!();
    Ok(())
}

/// (lines in a, lines in b, lines that differ at the same position)
fn compare(a: &PathBuf, b: &PathBuf) -> (usize, usize, usize) {
    let (sa, sb) = (
        fs::read_to_string(a).unwrap_or_default(),
        fs::read_to_string(b).unwrap_or_default(),
    );
    let (la, lb): (Vec<&str>, Vec<&str>) = (sa.lines().collect(), sb.lines().collect());
    let differ = la.iter().zip(&lb).filter(|(x, y)| x != y).count() + la.len().abs_diff(lb.len());
    (la.len(), lb.len(), differ)
}
