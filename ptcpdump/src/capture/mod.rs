//! Live capture, in five steps that `run` calls in order:
//!
//! 1. [`discover`]: namespaces, interfaces and the compiled filter (user mistakes fail here,
//!    before anything touches the kernel);
//! 2. [`load`]: the eBPF object, its configuration, and the interface-independent hooks
//!    (process events, socket attribution) — where a kernel lacks a hook, this is where it is
//!    said and what replaces it is picked;
//! 3. [`attach`]: one generated entry program per interface and direction on the interface's
//!    TC hook;
//! 4. [`event_loop`]: read the ring buffer, print or write each packet, follow new namespaces and
//!    interfaces;
//! 5. [`finish`]: detach, then flush files and print tcpdump's statistics.
//!
//! Packet path: skb -> entry program (pcap filter, generated per link type) -> tail call ->
//! `ptcpdump_capture` (copies the packet into the ring buffer) -> the loop -> printer / writer.
mod ann_cache;
mod attach;
mod discover;
mod event_loop;
mod load;
mod peer;
mod probe;

use std::collections::HashMap;

use anyhow::{Context as _, Result, anyhow, bail};
use aya::maps::RingBuf;
use ptcpdump_common::{COUNTER_DROPPED, COUNTER_EVENTS_DROPPED, COUNTER_MATCHED};
use ptcpdump_filter::Program;
use ptcpdump_print::Printer;

use self::{
    attach::Attacher,
    discover::{Discovered, Plan, discover, resolve_interfaces},
    event_loop::Live,
    load::Kernel,
};
use crate::{
    annotate::Context, clock::MonoToWall, containers::Containers, flags::Flags, ifaces, linktype,
    output::Output, printopts, procs::ProcTable, write::IfStats, write::Sink,
};

pub fn run(flags: &Flags) -> Result<i32> {
    if !load::object_present() {
        bail!(
            "this ptcpdump was built with AYA_BUILD_SKIP=1, without its eBPF programs: live capture is not available"
        );
    }
    load::check_privileges()?;
    if let Some(note) = flags.backend_note() {
        log::warn!("{note}");
    }
    // A --kernel-btf that cannot be read fails now, in one line.
    let btf = crate::kernel_btf::check()?;
    let nano = flags.nano()?;
    let snaplen = flags.snaplen();

    // What the kernel offers, once; a kernel ptcpdump cannot run on fails here in one line.
    let features = probe::Features::probe(btf);
    features.log();
    features.require()?;

    // 1. discover
    let mut plan = match discover(flags, snaplen)? {
        Discovered::Plan(p) => *p,
        Discovered::Dumped => return Ok(0),
    };

    // 2. load
    load::ensure_tracefs();
    let ring_bytes = flags
        .buffer_size
        .map(|k| (k as usize * 1024).next_power_of_two())
        .unwrap_or(32 << 20);
    let pf = load::ProcessFilter::from_flags(flags)?;
    let mut kernel = load::load(snaplen, ring_bytes, flags, &pf, &features)?;
    // TLS key log (keylog.rs): uprobes go in before the command is let go.
    let keylog = crate::keylog::KeyLog::start(flags, &mut kernel.ebpf)?;
    seed_existing_sockets(&mut kernel);
    let mut ring = RingBuf::try_from(kernel.ebpf.take_map("EVENTS").context("EVENTS map")?)?;

    // 3. attach
    let mut attacher = Attacher::new(
        plan.expr.clone(),
        std::mem::take(&mut plan.filters),
        snaplen,
        flags.direction,
        attach::Backends::new(features.tcx),
    );
    for (n, iface) in &plan.wanted {
        let r = plan.spaces[*n].run(|| attacher.attach(&mut kernel, iface));
        match r.and_then(|r| r) {
            Ok(()) => {}
            // With -i any, an interface may go away between listing and attaching: skip it.
            Err(e) if plan.any => log::warn!("{}: {e:#}", iface.shown_name()),
            Err(e) => return Err(e),
        }
    }

    // 4. event loop
    let mut live = start_output(flags, nano, snaplen, &plan, &mut kernel, keylog)?;
    live.run(&mut ring, &mut kernel, &mut attacher, &mut plan);

    // 5. finish
    finish(live, &kernel, &mut attacher)
}

/// Owners of sockets opened before now, in the background: capture starts at once.
fn seed_existing_sockets(kernel: &mut Kernel) {
    let Some(map) = kernel.ebpf.take_map("SOCK_OWNER") else {
        return;
    };
    match aya::maps::SkStorage::<_, ptcpdump_common::Owner>::try_from(map) {
        Ok(mut m) => {
            let me = std::process::id();
            std::thread::spawn(move || {
                let n = crate::seed::seed_existing_sockets(&mut m, me);
                log::info!("{n} existing sockets attributed from /proc");
            });
        }
        Err(e) => log::warn!(
            "socket storage unavailable ({e}): existing sockets are attributed when they next send or receive"
        ),
    }
}

/// Containers, the output file or printer, the "listening on" line, signals and the command of
/// `-- CMD` (let go last: its first packet is already captured).
fn start_output<'f>(
    flags: &'f Flags,
    nano: bool,
    snaplen: u32,
    plan: &Plan,
    kernel: &mut Kernel,
    keylog: Option<crate::keylog::KeyLog>,
) -> Result<Live<'f>> {
    let ctx = Context::parse(&flags.context)?;
    let containers = Containers::start(flags, &ctx)?;
    if let Some(c) = &containers {
        c.drain_warnings();
        for pid in c.matching_pids() {
            kernel.select_pid(pid);
        }
    }
    // write.rs: a classic pcap holds one link type; mixed ones (or -i any) are written cooked.
    let link = crate::write::PcapLink::for_interfaces(
        plan.any || plan.sel.watches(),
        plan.wanted.iter().map(|(_, i)| i.linktype),
    );
    let sink = match &flags.write_file {
        Some(w) => Some(Sink::create(flags, w, &ctx, link)?),
        None => None,
    };
    let print = sink.is_none() || flags.print;
    let out = Output::new(flags.line_buffered || (sink.is_some() && flags.print));
    let printer = Printer::new(printopts::from_flags(flags, nano)?);
    // Before the "listening on" line: a signal sent as soon as it shows is not lost.
    let stop = crate::signals::install()?;
    let info = crate::signals::install_info()?;
    if print && flags.verbose == 0 {
        eprintln!("ptcpdump: verbose output suppressed, use -v[v]... for full protocol decode");
    }
    let names: Vec<String> = if plan.any {
        vec!["any".to_string()]
    } else {
        plan.wanted.iter().map(|(_, i)| i.shown_name()).collect()
    };
    // write.rs: a capture that only writes a file is announced too, after the program's
    // name, as tcpdump does.
    eprintln!(
        "{}listening on {}, link-type {}, snapshot length {snaplen} bytes",
        if print { "" } else { "ptcpdump: " },
        names.join(","),
        linktype::describe(if sink.as_ref().is_some_and(Sink::cooked_pcap) {
            crate::sll2::LINKTYPE_LINUX_SLL2
        } else {
            plan.first_linktype
        })
    );
    let child = if flags.command.is_empty() {
        None
    } else {
        let mut c = crate::child::HeldChild::spawn(&flags.command)?;
        kernel.select_pid(c.pid());
        c.release()?;
        Some(c)
    };
    Ok(Live {
        flags,
        nano,
        print,
        ctx,
        printer,
        out,
        sink,
        containers,
        keylog,
        stop,
        info,
        child,
        child_exit: None,
        clock: MonoToWall::new(),
        procs: ProcTable::preloaded(),
        captured: 0,
        per_iface: Vec::new(),
        ann_cache: Default::default(),
        failure: None,
    })
}

/// New named namespaces (`--netns any|newly`) and new interfaces (`-i any`; named interfaces in
/// new namespaces), attached as they appear. Nothing is listed unless the kernel said something
/// changed (RTNLGRP_LINK per namespace, inotify on /run/netns); without a subscription, every
/// tick.
fn attach_new(flags: &Flags, kernel: &mut Kernel, attacher: &mut Attacher, plan: &mut Plan) {
    if plan.sel.watches() {
        if plan.named_watch.as_mut().is_none_or(|w| w.changed()) {
            plan.named_pending = 8;
        }
        if plan.named_pending > 0 {
            plan.named_pending -= 1;
            for path in crate::netns::named() {
                // Not mounted yet: looked at again next tick.
                if plan.seen_named.contains(&path) || !crate::netns::is_nsfs(&path) {
                    continue;
                }
                plan.seen_named.insert(path.clone());
                if let Ok(ns) = crate::netns::Netns::open(&path)
                    && !plan.spaces.iter().any(|s| s.inode == ns.inode)
                {
                    let watch = ns.run(ifaces::LinkWatch::open).ok().and_then(|r| r.ok());
                    plan.spaces.push(ns);
                    plan.link_watches.push(watch);
                    plan.relist.push(true);
                }
            }
        }
    }
    for (i, ns) in plan.spaces.iter().enumerate() {
        let changed = std::mem::take(&mut plan.relist[i])
            | plan.link_watches[i].as_mut().is_none_or(|w| w.changed());
        if !changed {
            continue;
        }
        let Ok(all) = ns.run(|| ifaces::list_in(plan.own_inode)) else {
            continue;
        };
        let (_, found, _) = resolve_interfaces(flags, &all);
        for iface in found {
            if attacher.has(&iface) {
                continue;
            }
            let r = ns.run(|| attacher.attach(kernel, &iface));
            if let Err(e) = r.and_then(|r| r) {
                log::warn!("{}: {e:#}", iface.shown_name());
            }
        }
    }
}

/// Detach first, then read the counters (nothing more can be counted after that), close the
/// files with their interface statistics, print tcpdump's three lines.
fn finish(mut live: Live<'_>, kernel: &Kernel, attacher: &mut Attacher) -> Result<i32> {
    let attachments_info = attacher.detach_all();
    let matched = kernel.counter(COUNTER_MATCHED);
    let dropped = kernel.counter(COUNTER_DROPPED);
    let events_dropped = kernel.counter(COUNTER_EVENTS_DROPPED);
    if let Some(s) = live.sink.take() {
        // Per interface: attachments of one interface (in and out) add up.
        let mut totals: HashMap<(String, u32), u64> = HashMap::new();
        for (id, n) in live.per_iface.iter().enumerate() {
            if let Some(a) = attachments_info.get(id) {
                *totals.entry(a.clone()).or_default() += n;
            }
        }
        let stats: Vec<IfStats> = totals
            .into_iter()
            .map(|((ifname, linktype), received)| IfStats {
                ifname,
                linktype,
                received,
                dropped: 0,
            })
            .collect();
        s.finish(&stats)?;
    }
    eprint!("{}", statistics(live.captured, matched, dropped, false));
    if events_dropped > 0 {
        log::warn!("{events_dropped} process events lost (ring buffer full)");
    }
    if let Some(e) = live.failure.take() {
        return Err(e);
    }
    Ok(event_loop::exit_code(&mut live))
}

/// tcpdump's statistics: at the end three lines; on SIGUSR1 one line after the program's
/// name, the three joined by ", " (tcpdump's `info()`, and the original ptcpdump's too).
pub(super) fn statistics(captured: u64, received: u64, dropped: u64, one_line: bool) -> String {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let parts = [
        format!("{captured} packet{} captured", plural(captured)),
        format!("{received} packet{} received by filter", plural(received)),
        format!("{dropped} packet{} dropped by kernel", plural(dropped)),
    ];
    if one_line {
        format!("ptcpdump: {}\n", parts.join(", "))
    } else {
        parts.iter().map(|p| format!("{p}\n")).collect()
    }
}

fn compile(expr: &Option<String>, linktype: u32, snaplen: u32) -> Result<Option<Program>> {
    match expr {
        None => Ok(None),
        Some(e) => ptcpdump_filter::compile(e, linktype, snaplen)
            .map(Some)
            .map_err(|e| anyhow!("{e}")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn statistics_as_tcpdump_prints_them() {
        assert_eq!(
            super::statistics(1, 4, 0, false),
            "1 packet captured\n4 packets received by filter\n0 packets dropped by kernel\n"
        );
        assert_eq!(
            super::statistics(12, 1, 3, true),
            "ptcpdump: 12 packets captured, 1 packet received by filter, 3 packets dropped by kernel\n"
        );
    }
}
