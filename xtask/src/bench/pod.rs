//! `pod`: UDP from a Kubernetes Pod (containerd CRI from tests/containers/ct-up.sh, made with the
//! `cri_pod` example of ptcpdump-meta) to the host's address on the CNI bridge, captured on the
//! bridge by ptcpdump with `--pod-name` and, at the same time, by tcpdump with a port filter.
//!
//! The sender is `xtask send-udp` moved into the Pod's container cgroups and network namespace
//! (as `runc exec` would), so ptcpdump sees it as a process of that container. A second Pod in
//! another namespace sends the same rate to another port: packets `--pod-name` must drop.
use std::{
    io::Read,
    net::{Ipv4Addr, UdpSocket},
    path::PathBuf,
    process::Command,
    thread,
    time::Duration,
};

use anyhow::{Context, Result, bail};

use super::{Opts, Tool, header, med, pct, rate_label, wait_ready};
use crate::{
    sender,
    sys::{self, Exit, Out, Proc},
};

const BRIDGE: &str = "cni-ctit0";
const HOST_IP: &str = "198.18.1.1";
const POD_PORT: u16 = 5002;
const NOISE_PORT: u16 = 5003;
const POD: &str = "bench.sender";
const NAMESPACE: &str = "bench";
const NOISE_POD: &str = "bench.noise";
const NOISE_NAMESPACE: &str = "bench-other";

/// The `cri_pod` example, built if needed.
fn cri_pod() -> Result<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let st = Command::new(cargo)
        .current_dir(&root)
        .args([
            "build",
            "--release",
            "-p",
            "ptcpdump-meta",
            "--example",
            "cri_pod",
        ])
        .status()
        .context("run cargo build for the cri_pod example")?;
    if !st.success() {
        bail!("building the cri_pod example failed");
    }
    Ok(root.join("target/release/examples/cri_pod"))
}

/// A Pod removed (CRI StopPodSandbox + RemovePodSandbox) on drop.
struct Pod {
    bin: PathBuf,
    id: String,
    /// host pid of the container `sender`
    pid: u32,
}

impl Pod {
    fn run(bin: PathBuf, name: &str, namespace: &str, uid: &str) -> Result<Pod> {
        let out = Command::new(&bin)
            .args([
                "run",
                "--label",
                "app=bench",
                name,
                namespace,
                uid,
                "sender=sleep 100000",
            ])
            .output()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut pod = Pod {
            bin,
            id: String::new(),
            pid: 0,
        };
        for l in text.lines() {
            let f: Vec<&str> = l.split(' ').collect();
            match f[..] {
                ["pod", id, _] => pod.id = id.to_string(),
                ["container", "sender", _, pid] => pod.pid = pid.parse()?,
                _ => {}
            }
        }
        if !out.status.success() || pod.id.is_empty() || pod.pid == 0 {
            bail!(
                "cri_pod run failed (is tests/containers/ct-up.sh running?): {text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(pod)
    }
}

impl Drop for Pod {
    fn drop(&mut self) {
        if let Ok(o) = Command::new(&self.bin).args(["rm", &self.id]).output()
            && !o.status.success()
        {
            eprintln!(
                "removing Pod {} failed: {}",
                self.id,
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
}

fn bridge_rx() -> Result<u64> {
    let p = format!("/sys/class/net/{BRIDGE}/statistics/rx_packets");
    Ok(std::fs::read_to_string(&p)
        .with_context(|| format!("read {p}"))?
        .trim()
        .parse()?)
}

struct PodRun {
    sent: u64,
    noise_sent: u64,
    arrived: u64,
    /// (captured, dropped, user s, sys s, whole-lifetime CPU s) per capturer
    caps: Vec<(u64, u64, f64, f64, f64)>,
}

/// Starts a sender (`sh -c 'PREFIX xtask send-udp ...'`, PREFIX ending in `exec`) and returns it with its stdout reader.
fn spawn_sender(prefix: &str, load: &sender::Args) -> Result<(Proc, thread::JoinHandle<String>)> {
    let exe = std::env::current_exe()?.to_string_lossy().into_owned();
    let script = format!("{prefix} \"$0\" \"$@\"");
    let mut argv: Vec<String> = vec!["sh".into(), "-c".into(), script, exe];
    argv.extend(load.to_argv());
    let mut p = Proc::spawn(&argv, Out::Pipe)?;
    let mut so = p.stdout.take().context("sender stdout")?;
    let reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = so.read_to_string(&mut s);
        s
    });
    Ok((p, reader))
}

/// Shell prefix that moves the shell into every cgroup hierarchy of the container with host pid
/// `pid` (the same path in each), then runs the rest in its netns; the 2 s pause lets ptcpdump's
/// once-a-second container filter refresh pick the process up before it sends.
fn join_container(pid: u32) -> String {
    format!(
        "P=$(sed -n 's/^0:://p' /proc/{pid}/cgroup); for d in /sys/fs/cgroup/*/; do \
         [ -e \"$d$P/cgroup.procs\" ] && echo $$ > \"$d$P/cgroup.procs\"; done; sleep 2; \
         exec nsenter -t {pid} -n"
    )
}

fn one_run(opts: &Opts, pod: &Pod, noise_pod: &Pod, rate: u64) -> Result<PodRun> {
    let pod_name = format!("{POD}.{NAMESPACE}");
    let ptcpdump = opts.ptcpdump.to_string_lossy().into_owned();
    let mut tcpdump_argv = vec![opts.tcpdump.clone()];
    tcpdump_argv.extend(opts.tcpdump_args.iter().cloned());
    let filter = format!("udp port {POD_PORT}");
    tcpdump_argv.extend(["-i", BRIDGE, "-n", &filter].map(String::from));
    let caps: Vec<(Tool, Vec<String>)> = vec![
        (
            Tool::Ptcpdump,
            [
                ptcpdump.as_str(),
                "-i",
                BRIDGE,
                "-n",
                "--pod-name",
                &pod_name,
            ]
            .map(String::from)
            .to_vec(),
        ),
        (Tool::Tcpdump, tcpdump_argv),
    ];
    let mut procs = Vec::new();
    for (_, argv) in &caps {
        procs.push(Proc::spawn(argv, Out::Null)?);
    }
    for (p, (tool, argv)) in procs.iter_mut().zip(&caps) {
        wait_ready(p, *tool, &argv.join(" "))?;
    }
    let load = sender::Args {
        dst: HOST_IP.parse::<Ipv4Addr>()?,
        port: POD_PORT,
        other: None,
        rate,
        secs: opts.secs,
        payload: 64,
        threads: opts.threads,
    };
    let noise = sender::Args {
        dst: load.dst,
        port: NOISE_PORT,
        other: None,
        rate,
        secs: opts.secs,
        payload: 64,
        threads: opts.threads,
    };
    let cpu0: Vec<(f64, f64)> = procs
        .iter()
        .map(|p| sys::proc_cpu(p.pid).unwrap_or_default())
        .collect();
    let before = bridge_rx()?;
    let limit = Duration::from_secs_f64(opts.secs + 60.0);
    let (mut snd, snd_out) = spawn_sender(&join_container(pod.pid), &load)?;
    let (mut nsd, nsd_out) = spawn_sender(&join_container(noise_pod.pid), &noise)?;
    let sx: Exit = snd.wait(limit);
    let nx: Exit = nsd.wait(limit);
    let (text, ntext) = (
        snd_out.join().unwrap_or_default(),
        nsd_out.join().unwrap_or_default(),
    );
    let sent = sender::parse_sent(&text)
        .with_context(|| format!("pod sender: {text} {}", sx.stderr.join(" ")))?;
    let noise_sent = sender::parse_sent(&ntext)
        .with_context(|| format!("noise sender: {ntext} {}", nx.stderr.join(" ")))?;
    thread::sleep(Duration::from_millis(1500));
    let after = bridge_rx()?;
    let cpu1: Vec<(f64, f64)> = procs
        .iter()
        .map(|p| sys::proc_cpu(p.pid).unwrap_or_default())
        .collect();
    let mut out = Vec::new();
    for (i, p) in procs.iter_mut().enumerate() {
        let e = p.stop(libc::SIGINT, Duration::from_secs(30));
        if e.stat("packets captured").is_none() {
            eprintln!(
                "warning: {} printed no statistics: {}",
                caps[i].1.join(" "),
                e.stderr.join(" | ")
            );
        }
        out.push((
            e.stat("packets captured").unwrap_or(0),
            e.stat("packets dropped by kernel").unwrap_or(0),
            cpu1[i].0 - cpu0[i].0,
            cpu1[i].1 - cpu0[i].1,
            e.cpu_s(),
        ));
    }
    Ok(PodRun {
        sent,
        noise_sent,
        arrived: after.saturating_sub(before),
        caps: out,
    })
}

pub fn run(opts: &Opts) -> Result<()> {
    if !std::path::Path::new("/run/containerd/containerd.sock").exists() {
        bail!("containerd is not running: start it with `bash tests/containers/ct-up.sh`");
    }
    let bin = cri_pod()?;
    let uid = format!("b3c0be4c-0d00-4c2b-9a77-{:012x}", std::process::id());
    let pod = Pod::run(bin.clone(), POD, NAMESPACE, &uid)?;
    let noise_uid = format!("b3c0be4c-0d01-4c2b-9a77-{:012x}", std::process::id());
    let noise_pod = Pod::run(bin, NOISE_POD, NOISE_NAMESPACE, &noise_uid)?;
    // The host end: a bound socket, so no ICMP port unreachable comes back.
    let _sinks = [POD_PORT, NOISE_PORT]
        .iter()
        .map(|p| UdpSocket::bind((HOST_IP, *p)).context("bind sink on the CNI bridge"))
        .collect::<Result<Vec<_>>>()?;
    let rates: Vec<u64> = opts.rates.iter().copied().filter(|&r| r != 1).collect();
    let mut results: Vec<Vec<PodRun>> = rates.iter().map(|_| Vec::new()).collect();
    for run in 0..opts.runs {
        for (ri, &rate) in rates.iter().enumerate() {
            sys::check_interrupted()?;
            eprintln!(
                "pod: run {}/{} rate {}",
                run + 1,
                opts.runs,
                rate_label(rate)
            );
            let r = one_run(opts, &pod, &noise_pod, rate)?;
            eprintln!(
                "  sent {} (+{} from the other Pod) arrived {} | ptcpdump {} dropped {} cpu {:.2}+{:.2}s | tcpdump {} dropped {} cpu {:.2}+{:.2}s",
                r.sent,
                r.noise_sent,
                r.arrived,
                r.caps[0].0,
                r.caps[0].1,
                r.caps[0].2,
                r.caps[0].3,
                r.caps[1].0,
                r.caps[1].1,
                r.caps[1].2,
                r.caps[1].3
            );
            results[ri].push(r);
        }
    }
    header("pod", opts);
    println!(
        "UDP, 64-byte payload, {} s per run, from `xtask send-udp` inside Pod `{POD}` (namespace",
        opts.secs
    );
    println!(
        "`{NAMESPACE}`, containerd CRI; the sender joined the container's cgroups and netns) to"
    );
    println!(
        "{HOST_IP}:{POD_PORT} on the CNI bridge `{BRIDGE}`, plus the same rate from Pod `{NOISE_POD}`"
    );
    println!(
        "(namespace `{NOISE_NAMESPACE}`) to port {NOISE_PORT}, which `--pod-name` must drop. Both capturers at the"
    );
    println!("same time on the bridge:");
    println!(
        "`ptcpdump -i {BRIDGE} -n --pod-name {POD}.{NAMESPACE} > /dev/null` and `tcpdump -i {BRIDGE} -n udp port {POD_PORT} > /dev/null`."
    );
    println!(
        "`% of Pod's` = captured / packets the Pod sent; CPU = user+sys of the capturer while the"
    );
    println!("traffic flowed (see `capture`); `whole` = its whole lifetime.");
    println!();
    println!(
        "| rate (each sender) | Pod sent pps | other Pod sent pps | bridge rx | ptcpdump captured | % of Pod's | dropped | CPU s (user/sys) | whole | tcpdump captured | % of Pod's | CPU s (user/sys) | CPU ptcpdump/tcpdump |"
    );
    println!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for (ri, &rate) in rates.iter().enumerate() {
        let rs = &results[ri];
        let cap = |i: usize, f: fn(&(u64, u64, f64, f64, f64)) -> f64| med(rs, |r| f(&r.caps[i]));
        println!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.0} | {:.2} ({:.2}/{:.2}) | {:.2} | {:.0} | {:.2} | {:.2} ({:.2}/{:.2}) | {:.2} |",
            rate_label(rate),
            med(rs, |r| r.sent as f64 / opts.secs),
            med(rs, |r| r.noise_sent as f64 / opts.secs),
            med(rs, |r| r.arrived as f64),
            cap(0, |c| c.0 as f64),
            med(rs, |r| pct(r.caps[0].0, r.sent)),
            cap(0, |c| c.1 as f64),
            cap(0, |c| c.2 + c.3),
            cap(0, |c| c.2),
            cap(0, |c| c.3),
            cap(0, |c| c.4),
            cap(1, |c| c.0 as f64),
            med(rs, |r| pct(r.caps[1].0, r.sent)),
            cap(1, |c| c.2 + c.3),
            cap(1, |c| c.2),
            cap(1, |c| c.3),
            med(rs, |r| (r.caps[0].2 + r.caps[0].3)
                / (r.caps[1].2 + r.caps[1].3).max(0.01)),
        );
    }
    println!();
    drop(noise_pod);
    drop(pod);
    Ok(())
}
