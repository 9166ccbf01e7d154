//! Live capture: load the eBPF programs, attach one generated entry program per interface and
//! direction (TCX), then read the ring buffer and print or write each packet.
//!
//! Packet path: skb -> entry program (pcap filter, generated per link type) -> tail call ->
//! `ptcpdump_capture` (copies the packet into the ring buffer) -> this loop -> printer / writer.
use std::{
    collections::HashMap,
    os::fd::{AsFd as _, AsRawFd as _, OwnedFd},
    sync::atomic::Ordering,
    time::{Duration, Instant},
};

use anyhow::{Context as _, Result, anyhow, bail};
use aya::{
    Ebpf, EbpfLoader,
    maps::{Array, MapData, PerCpuArray, ProgramArray, RingBuf},
    programs::SchedClassifier,
};
use ptcpdump_common::{
    COUNTER_DROPPED, COUNTER_EVENTS_DROPPED, COUNTER_MATCHED, Config, DIR_IN, DIR_OUT, EVENT_EXEC,
    EVENT_EXIT, EVENT_FORK, EVENT_PACKET, ExecEvent, LINK_ETHERNET, LINK_RAW_IP, Owner,
    PacketEvent, TaskEvent, attach_ctx,
};
use ptcpdump_filter::Program;
use ptcpdump_print::{PacketInfo, Printer};

use crate::{
    annotate::{Annotation, Context, Direction, Rendered},
    clock::MonoToWall,
    containers::Containers,
    flags::{self, Flags},
    ifaces::{self, Iface},
    linktype,
    output::Output,
    printopts,
    procs::ProcTable,
    write::{IfStats, PacketMeta, Sink},
};

static OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/ptcpdump"));

/// One entry program attached to one interface in one direction.
struct Attachment {
    iface: Iface,
    /// Name as printed (`IFNAME` or `IFNAME@NETNS_INODE`).
    display: String,
    dir: Direction,
    _prog: OwnedFd,
    _link: OwnedFd,
}

struct Kernel {
    _ebpf: Ebpf,
    /// Owns the ATTACH_CTX map; its fd is baked into every entry program.
    _attach_ctx: aya::maps::Map,
    attach_ctx_fd: i32,
    /// Owns the CAPTURE_PROGS map, the entry programs' tail-call target.
    _capture_progs: ProgramArray<MapData>,
    capture_progs_fd: i32,
    counters: PerCpuArray<MapData, u64>,
    filter_pids: aya::maps::HashMap<MapData, u32, u8>,
    attach_netns: Array<MapData, u64>,
}

impl Kernel {
    fn select_pid(&mut self, pid: u32) {
        if let Err(e) = self.filter_pids.insert(pid, 1, 0) {
            log::warn!("cannot select pid {pid}: {e}");
        }
    }

    fn counter(&self, index: u32) -> u64 {
        self.counters
            .get(&index, 0)
            .map(|v| v.iter().sum())
            .unwrap_or(0)
    }
}

pub fn run(flags: &Flags) -> Result<i32> {
    if OBJECT.is_empty() {
        bail!(
            "this ptcpdump was built with AYA_BUILD_SKIP=1, without its eBPF programs: live capture is not available"
        );
    }
    check_privileges()?;
    let nano = flags.nano()?;
    let snaplen = flags.snaplen();
    let sel = crate::netns::Selection::parse(&flags.netns);
    let (mut spaces, mut seen_named) = crate::netns::initial(&sel)?;
    let own_inode = ifaces::current_netns_inode();
    let mut wanted: Vec<(usize, Iface)> = Vec::new();
    let mut any = false;
    let mut missing: Vec<String> = Vec::new();
    for (n, ns) in spaces.iter().enumerate() {
        let all = ns.run(|| ifaces::list_in(own_inode))?;
        let (a, found, miss) = resolve_interfaces(flags, &all);
        any |= a;
        wanted.extend(found.into_iter().map(|i| (n, i)));
        missing = if n == 0 {
            miss
        } else {
            missing.into_iter().filter(|m| miss.contains(m)).collect()
        };
    }
    // A name must exist in at least one of the namespaces.
    if let Some(name) = missing.first() {
        bail!("{name}: No such device exists");
    }
    if wanted.is_empty() && !sel.watches() {
        bail!("no suitable device found");
    }

    // A bad expression must fail before anything is attached.
    let expr = flags.expression()?;
    let mut filters: HashMap<u32, Option<Program>> = HashMap::new();
    let first_linktype = wanted
        .first()
        .map(|(_, i)| i.linktype)
        .unwrap_or(linktype::ETHERNET);
    filters.insert(first_linktype, compile(&expr, first_linktype, snaplen)?);
    if flags.dump_filter > 0 {
        let prog = match &filters[&first_linktype] {
            Some(p) => p.clone(),
            None => {
                compile(&Some(String::new()), first_linktype, snaplen)?.context("empty filter")?
            }
        };
        print!("{}", prog.dump(flags.dump_filter));
        return Ok(0);
    }

    ensure_tracefs();
    let ring_bytes = flags
        .buffer_size
        .map(|k| (k as usize * 1024).next_power_of_two())
        .unwrap_or(32 << 20);
    let pf = ProcessFilter::from_flags(flags)?;
    let mut kernel = load(snaplen, ring_bytes, flags, &pf)?;
    // TLS key log (keylog.rs): uprobes go in before the command is let go.
    let mut keylog = crate::keylog::KeyLog::start(flags, &mut kernel._ebpf)?;
    // Owners of sockets opened before now, in the background: capture starts at once.
    if let Some(map) = kernel._ebpf.take_map("SOCK_OWNER") {
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
    let mut ring = RingBuf::try_from(kernel._ebpf.take_map("EVENTS").context("EVENTS map")?)?;

    let mut attachments: Vec<Attachment> = Vec::new();
    for (n, iface) in &wanted {
        let r = spaces[*n].run(|| {
            attach_iface(
                &mut kernel,
                &mut filters,
                &expr,
                snaplen,
                flags.direction,
                iface,
                &mut attachments,
            )
        });
        match r.and_then(|r| r) {
            Ok(()) => {}
            // With -i any, an interface may go away between listing and attaching: skip it.
            Err(e) if any => log::warn!("{}: {e:#}", iface.shown_name()),
            Err(e) => return Err(e),
        }
    }

    let ctx = Context::parse(&flags.context)?;
    let mut containers = Containers::start(flags, &ctx)?;
    if let Some(c) = &containers {
        c.drain_warnings();
        for pid in c.matching_pids() {
            kernel.select_pid(pid);
        }
    }
    let mut sink = match &flags.write_file {
        Some(w) => Some(Sink::create(flags, w, &ctx)?),
        None => None,
    };
    let print = sink.is_none() || flags.print;
    let mut out = Output::new(flags.line_buffered || (sink.is_some() && flags.print));
    let mut printer = Printer::new(printopts::from_flags(flags, nano)?);
    if print && flags.verbose == 0 {
        eprintln!("ptcpdump: verbose output suppressed, use -v[v]... for full protocol decode");
    }
    {
        let names: Vec<String> = if any {
            vec!["any".to_string()]
        } else {
            wanted.iter().map(|(_, i)| i.shown_name()).collect()
        };
        // write.rs: a capture that only writes a file is announced too, after the program's
        // name, as tcpdump does.
        eprintln!(
            "{}listening on {}, link-type {}, snapshot length {snaplen} bytes",
            if print { "" } else { "ptcpdump: " },
            names.join(","),
            linktype::describe(first_linktype)
        );
    }

    let stop = crate::signals::install()?;
    let mut child = if flags.command.is_empty() {
        None
    } else {
        let mut c = crate::child::HeldChild::spawn(&flags.command)?;
        kernel.select_pid(c.pid());
        c.release()?;
        Some(c)
    };
    let mut child_exit: Option<(i32, Instant)> = None;
    let mut clock = MonoToWall::new();
    let mut procs = ProcTable::new();
    let mut captured: u64 = 0;
    let mut last_tick = Instant::now();
    let mut last_clock = Instant::now();
    let mut per_iface: HashMap<u32, u64> = HashMap::new();
    // Key: attachment, the named end's pid and tid, the other end's pid and tid.
    let mut ann_cache: HashMap<(u32, u32, u32, u32, u32), (Annotation, Rendered)> = HashMap::new();
    let verbose = flags.verbose > 0;
    let limit = flags.count;
    let mut failure: Option<anyhow::Error> = None;

    'outer: loop {
        let mut pfd = libc::pollfd {
            fd: ring.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&mut pfd, 1, 10) };
        while let Some(item) = ring.next() {
            let bytes: &[u8] = &item;
            if bytes.len() < 4 {
                continue;
            }
            let kind = u32::from_ne_bytes(bytes[..4].try_into().expect("4 bytes"));
            match kind {
                EVENT_PACKET => {
                    if bytes.len() < size_of::<PacketEvent>() {
                        continue;
                    }
                    // SAFETY: the kernel wrote a PacketEvent header; read it unaligned.
                    let ev: PacketEvent =
                        unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
                    let end = (size_of::<PacketEvent>() + ev.caplen as usize).min(bytes.len());
                    let data = &bytes[size_of::<PacketEvent>()..end];
                    let Some(att) = attachments.get(ev.attach_id as usize) else {
                        continue;
                    };
                    captured += 1;
                    *per_iface.entry(ev.attach_id).or_default() += 1;
                    let ts = clock.wall_ns(ev.ts_ns);
                    // One annotation (and its rendering) per attachment and thread, until the
                    // process table changes: no per-packet formatting or allocation.
                    let peer = if ctx.peer { ev.peer } else { Owner::default() };
                    let key = (ev.attach_id, ev.owner.pid, ev.owner.tid, peer.pid, peer.tid);
                    let cached = ann_cache.entry(key).or_insert_with(|| {
                        let mut ann = Annotation {
                            ifname: Some(att.display.clone()),
                            direction: Some(att.dir),
                            owner: procs.annotate(&ev.owner),
                            peer: procs.annotate(&peer),
                        };
                        if let Some(c) = containers.as_mut() {
                            c.annotate(ev.owner.pid, &mut ann.owner);
                            c.annotate(peer.pid, &mut ann.peer);
                        }
                        let mut r = Rendered::default();
                        if print {
                            ann.render(verbose, flags.oneline, &ctx, &mut r);
                        }
                        (ann, r)
                    });
                    let (ann, rendered) = (&cached.0, &cached.1);
                    if let Some(s) = sink.as_mut()
                        && let Err(e) = s.write(
                            &PacketMeta {
                                ts_ns: ts,
                                linktype: att.iface.linktype,
                                ifname: &att.display,
                                annotation: ann,
                            },
                            data,
                            ev.len,
                        )
                    {
                        failure = Some(e);
                        break 'outer;
                    }
                    // write.rs: -G with -W wrote its last file; this packet is not in it.
                    if sink.as_ref().is_some_and(Sink::limit_reached) {
                        captured -= 1;
                        break 'outer;
                    }
                    if print {
                        let (sec, frac) = if nano {
                            (ts / 1_000_000_000, (ts % 1_000_000_000) as u32)
                        } else {
                            (ts / 1_000_000_000, (ts % 1_000_000_000 / 1000) as u32)
                        };
                        printer.print(
                            out.buf(),
                            &PacketInfo {
                                ts_sec: sec,
                                ts_frac: frac,
                                linktype: att.iface.linktype,
                                caplen: data.len() as u32,
                                len: ev.len,
                                data,
                                prefix: &rendered.prefix,
                                suffix: &rendered.suffix,
                                extra: &rendered.extra,
                            },
                        );
                        if out.commit().is_err() && out.closed() {
                            break 'outer;
                        }
                    }
                    if limit.is_some_and(|l| captured >= l) {
                        break 'outer;
                    }
                }
                EVENT_EXEC if bytes.len() >= size_of::<ExecEvent>() => {
                    // SAFETY: the kernel wrote an ExecEvent.
                    let ev: ExecEvent = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
                    procs.on_exec(&ev);
                    ann_cache.clear();
                    // TLS key log (keylog.rs): a selected process runs a new program.
                    if let Some(k) = keylog.as_mut()
                        && kernel.filter_pids.get(&ev.pid, 0).is_ok()
                    {
                        k.on_exec(&mut kernel._ebpf, ev.pid);
                    }
                }
                // TLS key log (keylog.rs).
                ptcpdump_common::EVENT_KEYLOG => {
                    if let Some(k) = keylog.as_mut() {
                        k.on_event(bytes, sink.as_mut());
                    }
                }
                EVENT_FORK | EVENT_EXIT if bytes.len() >= size_of::<TaskEvent>() => {
                    // SAFETY: the kernel wrote a TaskEvent.
                    let ev: TaskEvent = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
                    ann_cache.clear();
                    if kind == EVENT_FORK {
                        procs.on_fork(ev.pid, ev.ppid);
                    } else {
                        procs.on_exit(ev.pid);
                        if let Some(c) = containers.as_mut() {
                            c.forget(ev.pid);
                        }
                    }
                }
                _ => {}
            }
        }
        if print && out.flush().is_err() && out.closed() {
            break;
        }
        // write.rs: `-w -` gets each drained batch in one write.
        if let Some(s) = sink.as_mut()
            && let Err(e) = s.batch_done()
        {
            failure = Some(e);
            break;
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if let Some(c) = child.as_mut() {
            match child_exit {
                None => {
                    if let Some(code) = c.try_exit_code() {
                        child_exit = Some((code, Instant::now()));
                    }
                }
                // The command is gone: give its last packets (and its children's) a moment to
                // come through the ring buffer, then stop.
                Some((_, at)) if at.elapsed() >= Duration::from_millis(500) => break,
                Some(_) => {}
            }
        }
        if last_tick.elapsed() >= Duration::from_millis(250) {
            last_tick = Instant::now();
            // Container metadata may have arrived since the annotations were rendered.
            ann_cache.clear();
            // Packets held back for the TLS key log (keylog.rs, --embed-keylog-to-pcapng).
            if let Some(s) = sink.as_mut()
                && let Err(e) = s.tick()
            {
                failure = Some(e);
                break;
            }
            // Namespaces created since the last look (--netns any / newly).
            if sel.watches() {
                for path in crate::netns::named() {
                    if seen_named.insert(path.clone())
                        && let Ok(ns) = crate::netns::Netns::open(&path)
                        && !spaces.iter().any(|s| s.inode == ns.inode)
                    {
                        spaces.push(ns);
                    }
                }
            }
            // Interfaces created since the last look (-i any; named interfaces in new
            // namespaces).
            for ns in &spaces {
                let Ok(all) = ns.run(|| ifaces::list_in(own_inode)) else {
                    continue;
                };
                let (_, found, _) = resolve_interfaces(flags, &all);
                for iface in found {
                    if attachments.iter().any(|a| {
                        a.iface.netns_inode == iface.netns_inode
                            && a.iface.index == iface.index
                            && a.iface.name == iface.name
                    }) {
                        continue;
                    }
                    let r = ns.run(|| {
                        attach_iface(
                            &mut kernel,
                            &mut filters,
                            &expr,
                            snaplen,
                            flags.direction,
                            &iface,
                            &mut attachments,
                        )
                    });
                    if let Err(e) = r.and_then(|r| r) {
                        log::warn!("{}: {e:#}", iface.shown_name());
                    }
                }
            }
            procs.expire();
        }
        if last_clock.elapsed() >= Duration::from_secs(1) {
            last_clock = Instant::now();
            clock.refresh();
            if let Some(c) = &containers {
                c.drain_warnings();
                // Containers of the filter started since the last look.
                for pid in c.matching_pids() {
                    kernel.select_pid(pid);
                }
            }
        }
    }
    let _ = out.flush();
    // Detach first, then read the counters: nothing more can be counted after this.
    let attachments_info: Vec<(String, u32)> = attachments
        .iter()
        .map(|a| (a.display.clone(), a.iface.linktype))
        .collect();
    drop(attachments);
    let matched = kernel.counter(COUNTER_MATCHED);
    let dropped = kernel.counter(COUNTER_DROPPED);
    let events_dropped = kernel.counter(COUNTER_EVENTS_DROPPED);
    if let Some(s) = sink {
        // Per interface: attachments of one interface (in and out) add up.
        let mut totals: HashMap<(String, u32), u64> = HashMap::new();
        for (id, n) in per_iface {
            if let Some(a) = attachments_info.get(id as usize) {
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
    eprintln!("{captured} packets captured");
    eprintln!("{matched} packets received by filter");
    eprintln!("{dropped} packets dropped by kernel");
    if events_dropped > 0 {
        log::warn!("{events_dropped} process events lost (ring buffer full)");
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some(mut c) = child {
        if child_exit.is_none() {
            // Stopped by a signal or -c while the command still runs: it keeps running, as it
            // would under tcpdump; report its status only if it already ended.
            child_exit = c.try_exit_code().map(|code| (code, Instant::now()));
        }
        if let Some((code, _)) = child_exit {
            return Ok(code);
        }
    }
    Ok(0)
}

fn compile(expr: &Option<String>, linktype: u32, snaplen: u32) -> Result<Option<Program>> {
    match expr {
        None => Ok(None),
        Some(e) => ptcpdump_filter::compile(e, linktype, snaplen)
            .map(Some)
            .map_err(|e| anyhow!("{e}")),
    }
}

/// The interfaces `-i` selects among `all` (one namespace): (any, found, names not found).
/// Without `-i`, tcpdump's default interface.
fn resolve_interfaces(flags: &Flags, all: &[Iface]) -> (bool, Vec<Iface>, Vec<String>) {
    if flags.interfaces.is_empty() {
        return (
            false,
            ifaces::default_iface(all).cloned().into_iter().collect(),
            Vec::new(),
        );
    }
    if flags.interfaces.iter().any(|n| n == "any") {
        return (true, all.to_vec(), Vec::new());
    }
    let mut found: Vec<Iface> = Vec::new();
    let mut missing = Vec::new();
    for name in &flags.interfaces {
        match all
            .iter()
            .find(|i| &i.name == name || i.index.to_string() == *name)
        {
            Some(i) if !found.contains(i) => found.push(i.clone()),
            Some(_) => {}
            None => missing.push(name.clone()),
        }
    }
    (false, found, missing)
}

/// What the process filters (`--pid`, `--pname`, `--uid`, `-f`, `-- CMD`) ask the kernel for.
struct ProcessFilter {
    active: bool,
    follow_forks: bool,
    pname: Option<[u8; 16]>,
}

impl ProcessFilter {
    fn from_flags(flags: &Flags) -> Result<Self> {
        let pname = match &flags.pname {
            Some(n) if n.is_empty() => bail!("--pname: empty process name"),
            Some(n) => {
                // The kernel compares comm, which holds at most 15 bytes.
                let mut b = [0u8; 16];
                let n = n.as_bytes();
                b[..n.len().min(15)].copy_from_slice(&n[..n.len().min(15)]);
                Some(b)
            }
            None => None,
        };
        let command = !flags.command.is_empty();
        let containers = !flags.container_ids.is_empty()
            || !flags.container_names.is_empty()
            || !flags.pod_names.is_empty();
        Ok(ProcessFilter {
            active: !flags.pids.is_empty()
                || pname.is_some()
                || !flags.uids.is_empty()
                || command
                || containers,
            // A container's processes fork: their children belong to the container too.
            follow_forks: flags.follow_forks || command || containers,
            pname,
        })
    }
}

fn load(snaplen: u32, ring_bytes: usize, flags: &Flags, pf: &ProcessFilter) -> Result<Kernel> {
    let mut ebpf = EbpfLoader::new()
        .map_max_entries("EVENTS", ring_bytes as u32)
        .load(OBJECT)
        .map_err(|e| kernel_error("load the eBPF object", e.into()))?;
    let mut config: Array<_, Config> =
        Array::try_from(ebpf.map_mut("CONFIG").context("CONFIG map")?)?;
    config.set(
        0,
        Config {
            snaplen,
            filter: u32::from(pf.active),
            follow_forks: u32::from(pf.follow_forks),
            pname_enabled: u32::from(pf.pname.is_some()),
            wakeup_bytes: (ring_bytes / 8) as u64,
            pname: pf.pname.unwrap_or([0; 16]),
        },
        0,
    )?;
    {
        let prog: &mut SchedClassifier = ebpf
            .program_mut("ptcpdump_capture")
            .context("capture program")?
            .try_into()?;
        prog.load()
            .map_err(|e| kernel_error("load the capture program", e.into()))?;
    }
    let capture_map = ebpf
        .take_map("CAPTURE_PROGS")
        .context("CAPTURE_PROGS map")?;
    let capture_progs_fd = map_fd(&capture_map)?;
    let mut capture_progs = ProgramArray::try_from(capture_map)?;
    {
        let prog: &SchedClassifier = ebpf
            .program("ptcpdump_capture")
            .context("capture program")?
            .try_into()?;
        capture_progs.set(0, prog.fd()?, 0)?;
    }
    crate::procevents::attach(&mut ebpf);
    {
        let mut uids: aya::maps::HashMap<_, u32, u8> =
            aya::maps::HashMap::try_from(ebpf.map_mut("FILTER_UIDS").context("FILTER_UIDS map")?)?;
        for uid in &flags.uids {
            uids.insert(uid, 1, 0)?;
        }
    }
    attach_attribution(&mut ebpf);
    let attach_ctx = ebpf.take_map("ATTACH_CTX").context("ATTACH_CTX map")?;
    let attach_ctx_fd = map_fd(&attach_ctx)?;
    let counters = PerCpuArray::try_from(ebpf.take_map("COUNTERS").context("COUNTERS map")?)?;
    let attach_netns = Array::try_from(ebpf.take_map("ATTACH_NETNS").context("ATTACH_NETNS map")?)?;
    let mut filter_pids =
        aya::maps::HashMap::try_from(ebpf.take_map("FILTER_PIDS").context("FILTER_PIDS map")?)?;
    for pid in &flags.pids {
        filter_pids.insert(pid, 1, 0)?;
    }
    if let Some(pname) = &flags.pname {
        for p in ptcpdump_meta::process::scan_processes() {
            if proc_comm(p.pid).as_deref() == Some(truncate_comm(pname)) {
                filter_pids.insert(p.pid, 1, 0)?;
            }
        }
    }
    Ok(Kernel {
        _ebpf: ebpf,
        _attach_ctx: attach_ctx,
        attach_ctx_fd,
        _capture_progs: capture_progs,
        capture_progs_fd,
        counters,
        filter_pids,
        attach_netns,
    })
}

fn proc_comm(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|s| s.trim_end().to_string())
}

fn truncate_comm(name: &str) -> &str {
    let mut end = name.len().min(15);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// The hooks that tell which process a packet belongs to. (`Single` is the mode without flags:
/// on 5.7+ aya attaches through bpf links, which coexist with other programs and instances;
/// the kernel refuses BPF_F_ALLOW_MULTI on links.) Each one that cannot be attached
/// costs some attribution, which is said once, and capture goes on.
fn attach_attribution(ebpf: &mut Ebpf) {
    use aya::programs::{
        BtfTracePoint, CgroupAttachMode, CgroupSkb, CgroupSkbAttachType, CgroupSock,
    };
    let Some(cgroup) = open_cgroup2_root() else {
        log::warn!(
            "no cgroup v2 hierarchy: new sockets are attributed from their second packet on, and not across network namespaces"
        );
        return;
    };
    let r: Result<()> = (|| {
        let p: &mut CgroupSock = ebpf
            .program_mut("ptcpdump_sock_create")
            .context("program missing")?
            .try_into()?;
        p.load()?;
        p.attach(&cgroup, CgroupAttachMode::Single)?;
        Ok(())
    })();
    if let Err(e) = r {
        log::warn!(
            "cgroup/sock_create unavailable ({e:#}): new sockets are attributed when they first send or receive"
        );
    }
    for (name, ty) in [
        ("ptcpdump_cgroup_egress", CgroupSkbAttachType::Egress),
        ("ptcpdump_cgroup_ingress", CgroupSkbAttachType::Ingress),
    ] {
        let r: Result<()> = (|| {
            let p: &mut CgroupSkb = ebpf
                .program_mut(name)
                .context("program missing")?
                .try_into()?;
            p.load()?;
            p.attach(&cgroup, ty, CgroupAttachMode::Single)?;
            Ok(())
        })();
        if let Err(e) = r {
            log::warn!(
                "cgroup_skb unavailable ({e:#}): packets of other network namespaces are not attributed"
            );
        }
    }
    let btf = match aya::Btf::from_sys_fs() {
        Ok(b) => b,
        Err(e) => {
            log::warn!(
                "no kernel BTF ({e}): sockets are attributed to their creator, not to the process using them"
            );
            return;
        }
    };
    for (name, tp) in [
        ("ptcpdump_sock_send", "sock_send_length"),
        ("ptcpdump_sock_recv", "sock_recv_length"),
    ] {
        let r: Result<()> = (|| {
            let p: &mut BtfTracePoint = ebpf
                .program_mut(name)
                .context("program missing")?
                .try_into()?;
            p.load(tp, &btf)?;
            p.attach()?;
            Ok(())
        })();
        if let Err(e) = r {
            log::warn!(
                "tp_btf/{tp} unavailable ({e:#}): sockets are attributed to their creator, not to the process using them"
            );
        }
    }
}

/// The cgroup v2 hierarchy's root, opened. Looked for in our mount namespace, then in PID 1's
/// (`ip netns exec` runs us in a private mount namespace with a fresh /sys), and as a last
/// resort mounted on a temporary directory that is detached again as soon as it is open.
fn open_cgroup2_root() -> Option<std::fs::File> {
    let find = |mounts: &str| {
        mounts.lines().find_map(|l| {
            let mut f = l.split_whitespace();
            let (_, dir, fstype) = (f.next()?, f.next()?, f.next()?);
            (fstype == "cgroup2").then(|| dir.to_string())
        })
    };
    if let Some(dir) = std::fs::read_to_string("/proc/self/mounts")
        .ok()
        .and_then(|m| find(&m))
        && let Ok(f) = std::fs::File::open(&dir)
    {
        return Some(f);
    }
    if let Some(dir) = std::fs::read_to_string("/proc/1/mounts")
        .ok()
        .and_then(|m| find(&m))
        && let Ok(f) = std::fs::File::open(format!("/proc/1/root{dir}"))
    {
        return Some(f);
    }
    let tmp = std::env::temp_dir().join(format!("ptcpdump-cgroup2-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).ok()?;
    let c = |s: &str| std::ffi::CString::new(s).ok();
    let (src, target, fstype) = (c("none")?, c(tmp.to_str()?)?, c("cgroup2")?);
    // SAFETY: C strings we own; no mount data.
    let mounted = unsafe {
        libc::mount(
            src.as_ptr(),
            target.as_ptr(),
            fstype.as_ptr(),
            0,
            std::ptr::null(),
        )
    } == 0;
    let f = if mounted {
        std::fs::File::open(&tmp).ok()
    } else {
        None
    };
    if mounted {
        // SAFETY: detaching the mount we just made; the open directory keeps it usable.
        unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
    }
    let _ = std::fs::remove_dir(&tmp);
    f
}

/// SO_NETNS_COOKIE of a socket made in our own network namespace.
fn current_netns_cookie() -> u64 {
    const SO_NETNS_COOKIE: libc::c_int = 71;
    // SAFETY: a throwaway socket we close below; getsockopt writes at most len bytes.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return 0;
        }
        let mut v: u64 = 0;
        let mut len = std::mem::size_of::<u64>() as libc::socklen_t;
        let rc = libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            SO_NETNS_COOKIE,
            (&mut v as *mut u64).cast(),
            &mut len,
        );
        libc::close(fd);
        if rc == 0 { v } else { 0 }
    }
}

/// The raw fd of a map this process keeps open for as long as the fd is used.
fn map_fd(map: &aya::maps::Map) -> Result<i32> {
    use aya::maps::Map;
    let data = match map {
        Map::PerCpuArray(d) | Map::ProgramArray(d) | Map::Array(d) | Map::HashMap(d) => d,
        _ => bail!("unexpected map type"),
    };
    Ok(data.fd().as_fd().as_raw_fd())
}

fn attach_iface(
    kernel: &mut Kernel,
    filters: &mut HashMap<u32, Option<Program>>,
    expr: &Option<String>,
    snaplen: u32,
    direction: flags::Direction,
    iface: &Iface,
    attachments: &mut Vec<Attachment>,
) -> Result<()> {
    if let std::collections::hash_map::Entry::Vacant(e) = filters.entry(iface.linktype) {
        e.insert(compile(expr, iface.linktype, snaplen)?);
    }
    let filter = filters[&iface.linktype].as_ref();
    let dirs: &[Direction] = match direction {
        flags::Direction::In => &[Direction::In],
        flags::Direction::Out => &[Direction::Out],
        flags::Direction::Inout => &[Direction::In, Direction::Out],
    };
    for &dir in dirs {
        let attach_id = attachments.len() as u32;
        kernel
            .attach_netns
            .set(attach_id, current_netns_cookie(), 0)
            .map_err(|e| anyhow!("too many interfaces ({attach_id}): {e}"))?;
        let link = if iface.linktype == linktype::ETHERNET {
            LINK_ETHERNET
        } else {
            LINK_RAW_IP
        };
        let dir_bit = if dir == Direction::In {
            DIR_IN
        } else {
            DIR_OUT
        };
        let hook = if dir == Direction::In {
            ptcpdump_filter::ebpf::Hook::Ingress
        } else {
            ptcpdump_filter::ebpf::Hook::Egress
        };
        let insns = ptcpdump_filter::ebpf::entry_program_at(
            hook,
            filter,
            kernel.attach_ctx_fd,
            attach_ctx(attach_id, dir_bit, link),
            kernel.capture_progs_fd,
            0,
        )
        .map_err(|e| anyhow!("translate the filter: {e}"))?;
        let prog = ptcpdump_filter::ebpf::load_sched_cls(&insns, "ptcpdump_entry")
            .map_err(|e| anyhow!("load the filter program: {e}"))?;
        let link =
            ptcpdump_filter::ebpf::attach_tcx(prog.as_fd(), iface.index, dir == Direction::In)
                .map_err(|e| {
                    anyhow!(
                        "{}: attach TCX {}: {e}",
                        iface.name,
                        if dir == Direction::In {
                            "ingress"
                        } else {
                            "egress"
                        }
                    )
                })?;
        attachments.push(Attachment {
            display: iface.display_name(),
            iface: iface.clone(),
            dir,
            _prog: prog,
            _link: link,
        });
    }
    Ok(())
}

/// One clear line instead of a verifier dump (the dump is logged at debug level).
fn kernel_error(what: &str, e: anyhow::Error) -> anyhow::Error {
    let full = format!("{e:#}");
    log::debug!("{what}: {full}");
    let first = full
        .split(". Verifier output")
        .next()
        .unwrap_or(&full)
        .lines()
        .next()
        .unwrap_or("");
    anyhow!("cannot {what}: {first} (run with --log-level debug for the verifier log)")
}

/// Root, or CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN.
fn check_privileges() -> Result<()> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let cap_eff = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .unwrap_or(0);
    const CAP_NET_ADMIN: u64 = 12;
    const CAP_SYS_ADMIN: u64 = 21;
    const CAP_PERFMON: u64 = 38;
    const CAP_BPF: u64 = 39;
    let has = |c: u64| cap_eff & (1 << c) != 0;
    let bpf_ok = has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON));
    if !(bpf_ok && has(CAP_NET_ADMIN)) {
        bail!(
            "you don't have permission to capture: run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN"
        );
    }
    Ok(())
}

/// The tracepoint programs need tracefs; mount it where the machine has not.
fn ensure_tracefs() {
    if std::path::Path::new("/sys/kernel/tracing/events").exists() {
        return;
    }
    let src = c"nodev";
    let target = c"/sys/kernel/tracing";
    let fstype = c"tracefs";
    // SAFETY: constant C strings, no data argument.
    let rc = unsafe {
        libc::mount(
            src.as_ptr(),
            target.as_ptr(),
            fstype.as_ptr(),
            0,
            std::ptr::null(),
        )
    };
    if rc != 0 {
        log::warn!(
            "tracefs is not mounted and mounting it failed: {}",
            std::io::Error::last_os_error()
        );
    }
}
