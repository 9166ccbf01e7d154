//! Interpreter throughput: `cargo run --release -p ptcpdump-filter --example bench_matches`.
//! Runs a few filters over 1M synthetic Ethernet/IPv4/TCP packets and prints ns per packet.

use std::hint::black_box;
use std::time::Instant;

use ptcpdump_filter::{compile, linktype};

fn main() {
    let mut packets = Vec::new();
    for n in 0u32..1_000_000 {
        let mut p = vec![0u8; 74];
        p[12] = 0x08; // IPv4
        p[14] = 0x45;
        p[23] = if n % 3 == 0 { 17 } else { 6 };
        p[26..30].copy_from_slice(&[198, 18, (n >> 8) as u8, n as u8]);
        p[30..34].copy_from_slice(&[198, 19, 0, 1]);
        p[34..36].copy_from_slice(&((n % 2000) as u16).to_be_bytes());
        p[36..38].copy_from_slice(&80u16.to_be_bytes());
        p[46] = 0x50;
        p[47] = (n % 64) as u8;
        packets.push(p);
    }
    for expr in [
        "",
        "tcp",
        "tcp port 80",
        "host 198.18.1.2 or net 198.19.0.0/16",
        "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and not src portrange 1000-1500",
        "vlan or ip6 or (udp and port 53)",
    ] {
        let prog = compile(expr, linktype::ETHERNET, 262144).unwrap();
        let start = Instant::now();
        let mut hits = 0usize;
        for p in &packets {
            hits += usize::from(prog.matches(black_box(p), p.len() as u32));
        }
        let ns = start.elapsed().as_nanos() as f64 / packets.len() as f64;
        println!(
            "{:>6.1} ns/packet  {:>7} matches  {} insns  {expr:?}",
            ns,
            hits,
            prog.insns().len()
        );
    }
}
