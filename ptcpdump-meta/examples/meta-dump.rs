//! Prints what the runtimes here report: `cargo run -p ptcpdump-meta --example meta-dump [PID...]`.

use std::time::{Duration, Instant};

use ptcpdump_meta::format;
use ptcpdump_meta::{MetaStore, RuntimeOptions};

fn main() {
    let t = Instant::now();
    let mut opts = RuntimeOptions::default();
    if let Ok(only) = std::env::var("ONLY") {
        opts.enable_docker = only.contains("docker");
        opts.enable_cri = only.contains("cri");
        opts.enable_containerd = only.contains("containerd");
    }
    let (store, warnings) = MetaStore::start(opts);
    println!("start() returned after {:?}", t.elapsed());
    let ready = store.wait_ready(Duration::from_secs(3));
    println!("ready={ready} after {:?}", t.elapsed());
    for w in warnings.try_iter() {
        println!("WARN {w}");
    }
    let view = store.view();
    let mut all: Vec<_> = view.containers().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    for c in all {
        println!(
            "pid {}: {}",
            c.pid,
            format::verbose_container(Some(c)).unwrap_or_default()
        );
        if let Some(p) = format::verbose_pod(Some(c)) {
            println!("    {p}");
        }
    }
    for pid in std::env::args().skip(1).filter_map(|a| a.parse().ok()) {
        let c = store.container_for_pid(pid);
        println!("pid {pid} ->{}", format::oneline_suffix(c.as_deref()));
    }
}
