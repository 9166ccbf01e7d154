//! `write`: 200k pps captured to files on disk by both at the same time:
//! `ptcpdump -w f.pcapng` and `tcpdump -w f.pcap`.
use std::net::Ipv4Addr;

use anyhow::Result;

use super::{Capturer, Net, Opts, PORT, Tool, header, med, pct, run_side_by_side};
use crate::{sender, sys::file_size};

pub fn run(opts: &Opts) -> Result<()> {
    let net = Net::new()?;
    let ifname = net.pair.b_if.clone();
    let fp = opts.workdir.join("write-ptcpdump.pcapng");
    let ft = opts.workdir.join("write-tcpdump.pcap");
    let (sp, st) = (
        fp.to_string_lossy().into_owned(),
        ft.to_string_lossy().into_owned(),
    );
    let caps = [
        Capturer::new(Tool::Ptcpdump, &["-i", &ifname, "-w", &sp]),
        Capturer::new(Tool::Tcpdump, &["-i", &ifname, "-w", &st]),
    ];
    let load = sender::Args {
        dst: net.pair.b_ip.parse::<Ipv4Addr>()?,
        port: PORT,
        other: None,
        rate: super::filter::RATE,
        secs: opts.secs,
        payload: 64,
        threads: opts.threads,
    };
    let mut rs = Vec::new();
    let mut sizes = Vec::new();
    for run in 0..opts.runs {
        crate::sys::check_interrupted()?;
        eprintln!("write: run {}/{}", run + 1, opts.runs);
        let r = run_side_by_side(opts, &net, &caps, &load)?;
        eprintln!("  {}", super::capture::one_line(&r));
        sizes.push((file_size(&fp), file_size(&ft)));
        rs.push(r);
    }
    let _ = std::fs::remove_file(&fp);
    let _ = std::fs::remove_file(&ft);
    header("write", opts);
    println!(
        "UDP at a target of {}k pps for {} s (64-byte payload), both capturers at the same time writing",
        super::filter::RATE / 1000,
        opts.secs
    );
    println!(
        "to files in {} (ext4 on the VM disk). CPU as in `capture` (while traffic flowed).",
        opts.workdir.display()
    );
    println!();
    println!(
        "Commands: `{}` and `{}`",
        caps[0].display(),
        caps[1].display()
    );
    println!();
    println!(
        "| sent pps | arrived | tool | captured | % | dropped | CPU s (user/sys) | file MB | bytes/packet |"
    );
    println!("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (i, name) in ["ptcpdump", "tcpdump"].iter().enumerate() {
        let size = |k: usize| if i == 0 { sizes[k].0 } else { sizes[k].1 };
        let mb = super::median((0..sizes.len()).map(|k| size(k) as f64 / 1e6).collect());
        let per = super::median(
            (0..sizes.len())
                .map(|k| size(k) as f64 / rs[k].samples[i].captured.max(1) as f64)
                .collect(),
        );
        println!(
            "| {:.0} | {:.0} | {name} | {:.0} | {:.2} | {:.0} | {:.2} ({:.2}/{:.2}) | {mb:.1} | {per:.0} |",
            med(&rs, |r| r.sent as f64 / opts.secs),
            med(&rs, |r| r.arrived as f64),
            med(&rs, |r| r.samples[i].captured as f64),
            med(&rs, |r| pct(r.samples[i].captured, r.arrived)),
            med(&rs, |r| r.samples[i].dropped as f64),
            med(&rs, |r| r.samples[i].cpu_s()),
            med(&rs, |r| r.samples[i].user_s),
            med(&rs, |r| r.samples[i].sys_s),
        );
    }
    println!();
    Ok(())
}
