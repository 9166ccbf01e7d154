//! Step 4 of a live capture: read the ring buffer until the capture ends (`-c`, a signal, the
//! command of `-- CMD` ended, a closed pipe, a write error), and print or write every packet.
//! Besides the events, once per tick: container metadata, packets held for the TLS key log,
//! new namespaces and interfaces, the clock offset.
use std::{
    collections::HashMap,
    os::fd::AsRawFd as _,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use aya::maps::{MapData, RingBuf};
use ptcpdump_common::{
    EVENT_EXEC, EVENT_EXIT, EVENT_FORK, EVENT_PACKET, ExecEvent, Owner, PacketEvent, TaskEvent,
};
use ptcpdump_print::{PacketInfo, Printer};

use super::{attach::Attacher, discover::Plan, load::Kernel};
use crate::{
    annotate::{Annotation, Context, Rendered},
    child::HeldChild,
    clock::MonoToWall,
    containers::Containers,
    flags::Flags,
    keylog::KeyLog,
    output::Output,
    procs::ProcTable,
    write::{PacketMeta, Sink},
};

/// Attachment, the named end's pid and tid, the other end's pid and tid: one annotation (and
/// its rendering) each.
pub type AnnKey = (u32, u32, u32, u32, u32);

/// Everything the loop reads and updates; what `finish` reports from.
pub struct Live<'f> {
    pub flags: &'f Flags,
    pub nano: bool,
    /// Lines are printed (no `-w`, or `-w` with `--print`).
    pub print: bool,
    pub ctx: Context,
    pub printer: Printer,
    pub out: Output,
    pub sink: Option<Sink>,
    pub containers: Option<Containers>,
    pub keylog: Option<KeyLog>,
    pub stop: Arc<AtomicBool>,
    /// SIGUSR1 arrived: print the statistics and go on.
    pub info: Arc<AtomicBool>,
    pub child: Option<HeldChild>,
    pub child_exit: Option<(i32, Instant)>,
    pub clock: MonoToWall,
    pub procs: ProcTable,
    pub captured: u64,
    /// Packets per attachment id.
    pub per_iface: HashMap<u32, u64>,
    /// One annotation (and its rendering) per attachment and thread, until the process table
    /// changes: no per-packet formatting or allocation.
    pub ann_cache: HashMap<AnnKey, (Annotation, Rendered)>,
    /// Why the loop stopped, when that is an error.
    pub failure: Option<anyhow::Error>,
}

/// What an event tells the loop.
#[derive(PartialEq)]
enum Flow {
    Go,
    Stop,
}

impl Live<'_> {
    /// Runs until the capture ends.
    pub fn run(
        &mut self,
        ring: &mut RingBuf<MapData>,
        kernel: &mut Kernel,
        attacher: &mut Attacher,
        plan: &mut Plan,
    ) {
        let mut last_tick = Instant::now();
        let mut last_clock = Instant::now();
        // Polls in a row that found nothing. The kernel wakes us only when 1/8 of the ring
        // buffer waits (batched wakeups), so the poll timeout is what delivers a trickle of
        // packets: 10 ms while events come, 100 ms after 100 ms of quiet, which keeps an idle
        // capture at about 10 wakeups a second (tcpdump's own buffer timeout is 1 s).
        let mut quiet = 0u32;
        'outer: loop {
            let mut pfd = libc::pollfd {
                fd: ring.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let timeout = if quiet < 10 { 10 } else { 100 };
            // SAFETY: one valid pollfd.
            unsafe { libc::poll(&mut pfd, 1, timeout) };
            quiet = quiet.saturating_add(1);
            while let Some(item) = ring.next() {
                quiet = 0;
                if self.on_event(&item, kernel, attacher) == Flow::Stop {
                    break 'outer;
                }
            }
            if self.print && self.out.flush().is_err() && self.out.closed() {
                break;
            }
            // write.rs: `-w -` gets each drained batch in one write.
            if let Some(s) = self.sink.as_mut()
                && let Err(e) = s.batch_done()
            {
                self.failure = Some(e);
                break;
            }
            if self.info.swap(false, Ordering::Relaxed) {
                eprint!(
                    "{}",
                    super::statistics(
                        self.captured,
                        kernel.counter(ptcpdump_common::COUNTER_MATCHED),
                        kernel.counter(ptcpdump_common::COUNTER_DROPPED),
                        true
                    )
                );
            }
            if self.stop.load(Ordering::Relaxed) || self.child_done() {
                break;
            }
            if last_tick.elapsed() >= Duration::from_millis(250) {
                last_tick = Instant::now();
                if self.tick(kernel, attacher, plan) == Flow::Stop {
                    break;
                }
            }
            if last_clock.elapsed() >= Duration::from_secs(1) {
                last_clock = Instant::now();
                self.clock.refresh();
                if let Some(c) = &self.containers {
                    c.drain_warnings();
                    // Containers of the filter started since the last look.
                    for pid in c.matching_pids() {
                        kernel.select_pid(pid);
                    }
                }
            }
        }
        let _ = self.out.flush();
    }

    fn on_event(&mut self, bytes: &[u8], kernel: &mut Kernel, attacher: &Attacher) -> Flow {
        if bytes.len() < 4 {
            return Flow::Go;
        }
        let kind = u32::from_ne_bytes(bytes[..4].try_into().expect("4 bytes"));
        match kind {
            EVENT_PACKET => return self.on_packet(bytes, attacher),
            EVENT_EXEC if bytes.len() >= size_of::<ExecEvent>() => {
                // SAFETY: the kernel wrote an ExecEvent.
                let ev: ExecEvent = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
                self.procs.on_exec(&ev);
                self.ann_cache.clear();
                // TLS key log (keylog.rs): a selected process runs a new program.
                if let Some(k) = self.keylog.as_mut()
                    && kernel.filter_pids.get(&ev.pid, 0).is_ok()
                {
                    k.on_exec(&mut kernel.ebpf, ev.pid);
                }
            }
            // TLS key log (keylog.rs).
            ptcpdump_common::EVENT_KEYLOG => {
                if let Some(k) = self.keylog.as_mut() {
                    k.on_event(bytes, self.sink.as_mut());
                }
            }
            EVENT_FORK | EVENT_EXIT if bytes.len() >= size_of::<TaskEvent>() => {
                // SAFETY: the kernel wrote a TaskEvent.
                let ev: TaskEvent = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
                self.ann_cache.clear();
                if kind == EVENT_FORK {
                    self.procs.on_fork(ev.pid, ev.ppid);
                } else {
                    self.procs.on_exit(ev.pid);
                    if let Some(c) = self.containers.as_mut() {
                        c.forget(ev.pid);
                    }
                }
            }
            _ => {}
        }
        Flow::Go
    }

    fn on_packet(&mut self, bytes: &[u8], attacher: &Attacher) -> Flow {
        if bytes.len() < size_of::<PacketEvent>() {
            return Flow::Go;
        }
        // SAFETY: the kernel wrote a PacketEvent header; read it unaligned.
        let ev: PacketEvent = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
        let end = (size_of::<PacketEvent>() + ev.caplen as usize).min(bytes.len());
        let data = &bytes[size_of::<PacketEvent>()..end];
        let Some(att) = attacher.get(ev.attach_id) else {
            return Flow::Go;
        };
        self.captured += 1;
        *self.per_iface.entry(ev.attach_id).or_default() += 1;
        let ts = self.clock.wall_ns(ev.ts_ns);
        let peer = if self.ctx.peer {
            ev.peer
        } else {
            Owner::default()
        };
        let key = (ev.attach_id, ev.owner.pid, ev.owner.tid, peer.pid, peer.tid);
        let (print, verbose, oneline) = (self.print, self.flags.verbose > 0, self.flags.oneline);
        let cached = self.ann_cache.entry(key).or_insert_with(|| {
            let mut ann = Annotation {
                ifname: Some(att.display.clone()),
                direction: Some(att.dir),
                owner: self.procs.annotate(&ev.owner),
                peer: self.procs.annotate(&peer),
            };
            if let Some(c) = self.containers.as_mut() {
                c.annotate(ev.owner.pid, &mut ann.owner);
                c.annotate(peer.pid, &mut ann.peer);
            }
            let mut r = Rendered::default();
            if print {
                ann.render(verbose, oneline, &self.ctx, &mut r);
            }
            (ann, r)
        });
        let (ann, rendered) = (&cached.0, &cached.1);
        if let Some(s) = self.sink.as_mut()
            && let Err(e) = s.write(
                &PacketMeta {
                    ts_ns: ts,
                    linktype: att.iface.linktype,
                    ifname: &att.display,
                    annotation: ann,
                    device: att.iface.sll2_device(),
                },
                data,
                ev.len,
            )
        {
            self.failure = Some(e);
            return Flow::Stop;
        }
        // write.rs: -G with -W wrote its last file; this packet is not in it.
        if self.sink.as_ref().is_some_and(Sink::limit_reached) {
            self.captured -= 1;
            return Flow::Stop;
        }
        if print {
            let (sec, frac) = if self.nano {
                (ts / 1_000_000_000, (ts % 1_000_000_000) as u32)
            } else {
                (ts / 1_000_000_000, (ts % 1_000_000_000 / 1000) as u32)
            };
            self.printer.print(
                self.out.buf(),
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
            if self.out.commit().is_err() && self.out.closed() {
                return Flow::Stop;
            }
        }
        if self.flags.count.is_some_and(|l| self.captured >= l) {
            return Flow::Stop;
        }
        Flow::Go
    }

    /// The command of `-- CMD` is gone: its last packets (and its children's) get a moment to
    /// come through the ring buffer, then the capture stops.
    fn child_done(&mut self) -> bool {
        let Some(c) = self.child.as_mut() else {
            return false;
        };
        match self.child_exit {
            None => {
                if let Some(code) = c.try_exit_code() {
                    self.child_exit = Some((code, Instant::now()));
                }
                false
            }
            Some((_, at)) => at.elapsed() >= Duration::from_millis(500),
        }
    }

    fn tick(&mut self, kernel: &mut Kernel, attacher: &mut Attacher, plan: &mut Plan) -> Flow {
        // Container metadata may have arrived since the annotations were rendered.
        self.ann_cache.clear();
        // Packets held back for the TLS key log (keylog.rs, --embed-keylog-to-pcapng).
        if let Some(s) = self.sink.as_mut()
            && let Err(e) = s.tick()
        {
            self.failure = Some(e);
            return Flow::Stop;
        }
        super::attach_new(self.flags, kernel, attacher, plan);
        self.procs.expire();
        Flow::Go
    }
}

/// The command's exit status if it ended, else 0 (`-- CMD` returns the command's status).
pub fn exit_code(live: &mut Live<'_>) -> i32 {
    if let Some(c) = live.child.as_mut() {
        if live.child_exit.is_none() {
            // Stopped by a signal or -c while the command still runs: it keeps running, as it
            // would under tcpdump; report its status only if it already ended.
            live.child_exit = c.try_exit_code().map(|code| (code, Instant::now()));
        }
        if let Some((code, _)) = live.child_exit {
            return code;
        }
    }
    0
}
