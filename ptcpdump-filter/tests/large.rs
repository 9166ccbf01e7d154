//! Large filters (a hundred hosts, hundreds of ports or nets, the kind scripts generate) still translate and
//! pass the verifier quickly, and decide like the interpreter. Needs root; skipped otherwise.

mod common;

use std::os::fd::AsFd;
use std::time::Instant;

use common::*;
use ptcpdump_filter::ebpf::*;
use ptcpdump_filter::{compile, linktype};

#[test]
fn large_filters_load_and_agree() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIP: not root, cannot load eBPF programs");
        return;
    }
    let packets = ethernet_packets();
    // libpcap's optimizer takes seconds beyond ~100 `host` terms (tcpdump too).
    let hosts: Vec<String> = (0..100).map(|i| format!("host 10.0.{i}.1")).collect();
    let ports: Vec<String> = (0..100).map(|i| format!("port {}", 1 + i * 37)).collect();
    let nets: Vec<String> = (0..100)
        .map(|i| format!("net 2001:db8:{i:x}::/48"))
        .collect();
    let exprs = [
        hosts.join(" or "),
        ports.join(" or "),
        nets.join(" or "),
        format!(
            "({}) and not ({})",
            hosts[..50].join(" or "),
            ports[..50].join(" or ")
        ),
    ];
    for expr in &exprs {
        let t = Instant::now();
        let prog = compile(expr, linktype::ETHERNET, 262144).unwrap();
        let compiled = t.elapsed();
        let insns = translate(&prog).unwrap();
        let t = Instant::now();
        let fd = load_sched_cls(&insns, "ptf_large").unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "compiled in {compiled:?}: {} classic insns -> {} eBPF insns, loaded in {:?}",
            prog.insns().len(),
            insns.len(),
            t.elapsed()
        );
        for p in &packets {
            if let Ok(got) = test_run(fd.as_fd(), p) {
                assert_eq!(got, prog.run(p, p.len() as u32), "{p:02x?}");
            }
        }
    }
}
