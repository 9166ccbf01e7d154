//! `-r FILE`: read a pcap or pcapng file (or stdin), filter it, print it or write it again.
//! A pcapng file may mix link types (one per interface): each packet is filtered with the
//! expression compiled for its own link type and printed with its own decoder.
use std::{
    collections::HashMap,
    fs::File,
    io::{self, BufReader, Read},
};

use anyhow::{Context as _, Result};
use ptcpdump_pcap::{Precision, Reader};
use ptcpdump_print::{PacketInfo, Printer};

use crate::{
    annotate::{Annotation, Context, Rendered},
    flags::Flags,
    linktype,
    output::Output,
    printopts,
    write::{PacketMeta, PcapLink, Sink},
};

pub fn run(flags: &Flags, path: &str) -> Result<i32> {
    let input: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(
            File::open(path).map_err(|e| anyhow::anyhow!("{path}: {}", crate::errno_text(&e)))?,
        )
    };
    let nano = flags.nano()?;
    let precision = if nano {
        Precision::Nano
    } else {
        Precision::Micro
    };
    let mut reader = Reader::new(BufReader::with_capacity(1 << 18, input), precision)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let file_linktype = reader.linktype();
    let snaplen = reader.snaplen();

    let expr = flags.expression()?;
    // The first interface's link type fails as tcpdump fails; another one's later (pcapng)
    // leaves its packets unmatched, said once.
    let first_filter = match &expr {
        Some(e) => Some(
            ptcpdump_filter::compile_offline(e, file_linktype, snaplen, false)
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        ),
        None => None,
    };
    let mut other_filters: HashMap<u32, Option<ptcpdump_filter::Program>> = HashMap::new();
    if flags.dump_filter > 0 {
        let program = match &first_filter {
            Some(p) => p.clone(),
            None => ptcpdump_filter::compile("", file_linktype, snaplen)
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        print!("{}", program.dump(flags.dump_filter));
        return Ok(0);
    }

    if !flags.count_only {
        eprintln!(
            "reading from file {path}, link-type {}, snapshot length {snaplen}",
            linktype::describe(file_linktype)
        );
        // tcpdump's words: SLL2 carries interface indexes, named from this host's interfaces.
        if file_linktype == crate::sll2::LINKTYPE_LINUX_SLL2 {
            eprintln!("Warning: interface names might be incorrect");
        }
    }

    let ctx = Context::parse(&flags.context)?;
    let mut sink = match &flags.write_file {
        Some(w) => {
            // write.rs writes classic pcap for *.pcap files.
            let link = if reader.is_pcapng() && w != "-" && w.ends_with(".pcap") {
                pcapng_link(path)
            } else {
                PcapLink::Native
            };
            Some(Sink::create(flags, w, &ctx, link)?)
        }
        None => None,
    };
    let print = sink.is_none() || flags.print;
    let mut out = Output::new(flags.line_buffered || (sink.is_some() && flags.print));
    let mut printer = Printer::new(printopts::from_flags(flags, nano)?);
    let mut anns = AnnotationCache::default();
    // SLL2 headers of a cooked pcap written from a pcapng, per interface of the file.
    let mut devices: HashMap<u32, crate::sll2::Device> = HashMap::new();
    let mut n: u64 = 0;
    let stop = crate::signals::install()?;

    let result: Result<()> = loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break Ok(());
        }
        if flags.count.is_some_and(|c| n >= c) {
            break Ok(());
        }
        let pkt = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break Ok(()),
            Err(e) => break Err(anyhow::anyhow!("pcap_loop: {e}")),
        };
        if let Some(e) = &expr {
            let f = if pkt.linktype == file_linktype {
                first_filter.as_ref()
            } else {
                other_filters
                    .entry(pkt.linktype)
                    .or_insert_with(|| {
                        ptcpdump_filter::compile_offline(e, pkt.linktype, snaplen, false)
                            .map_err(|err| {
                                log::warn!(
                                    "{err}: packets of link type {} do not match",
                                    linktype::describe(pkt.linktype)
                                )
                            })
                            .ok()
                    })
                    .as_ref()
            };
            if !f.is_some_and(|f| f.matches(pkt.data, pkt.len)) {
                continue;
            }
        }
        n += 1;
        if flags.count_only {
            continue;
        }
        // The interface, direction and process of a packet are printed only for files ptcpdump
        // wrote: tcpdump prints none of them, and other writers' pcapng carry interface names.
        let ours = pkt.application.is_some_and(written_by_ptcpdump);
        let (if_name, epb_flags, comments) = if ours {
            (pkt.if_name, pkt.flags, &pkt.comments[..])
        } else {
            (None, None, &[][..])
        };
        let (ann, rendered) = anns.get(&if_name, epb_flags, comments, |a, r| {
            if print {
                a.render(flags.verbose > 0, flags.oneline, &ctx, r);
            }
        });
        if let Some(sink) = sink.as_mut() {
            let ts_ns = ts_to_ns(pkt.ts_sec, pkt.ts_frac, nano);
            // Another writer's pcapng: nothing is printed of it, but its direction flags are
            // written again (and give SLL2's packet type).
            let foreign;
            let written = if ann.direction.is_none() && pkt.flags.is_some() {
                foreign = Annotation {
                    direction: pkt
                        .flags
                        .and_then(crate::annotate::Direction::from_epb_flags),
                    ..Default::default()
                };
                &foreign
            } else {
                ann
            };
            let meta = PacketMeta {
                ts_ns,
                linktype: pkt.linktype,
                ifname: pkt.if_name.unwrap_or(""),
                annotation: written,
                device: *devices
                    .entry(pkt.interface_id)
                    .or_insert_with(|| device_of(pkt.if_name, pkt.linktype)),
            };
            if let Err(e) = sink.write(&meta, pkt.data, pkt.len) {
                break Err(e);
            }
            // write.rs: -G with -W wrote its last file.
            if sink.limit_reached() {
                break Ok(());
            }
        }
        if print {
            let info = PacketInfo {
                ts_sec: pkt.ts_sec,
                ts_frac: pkt.ts_frac,
                linktype: pkt.linktype,
                caplen: pkt.caplen,
                len: pkt.len,
                data: pkt.data,
                prefix: &rendered.prefix,
                suffix: &rendered.suffix,
                extra: &rendered.extra,
            };
            printer.print(out.buf(), &info);
            if out.commit().is_err() && out.closed() {
                break Ok(());
            }
        }
    };
    let flushed = out.flush();
    if let Some(sink) = sink {
        sink.finish(&[])?;
    }
    if flags.count_only {
        println!("{n} packet{}", if n == 1 { "" } else { "s" });
    }
    result?;
    match flushed {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e).context("write to stdout"),
        _ => Ok(0),
    }
}

/// Annotations (and their rendering) of the last few distinct comment sets: a file is usually
/// a handful of flows, and parsing and escaping the comments of every packet again was most of
/// the work of `-r -v`.
#[derive(Default)]
struct AnnotationCache {
    slots: Vec<Slot>,
    next: usize,
    last: usize,
}

struct Slot {
    if_name: Option<String>,
    flags: Option<u32>,
    comments: Vec<String>,
    ann: Annotation,
    rendered: Rendered,
}

const SLOTS: usize = 16;

impl AnnotationCache {
    fn get(
        &mut self,
        if_name: &Option<&str>,
        flags: Option<u32>,
        comments: &[&str],
        render: impl FnOnce(&Annotation, &mut Rendered),
    ) -> (&Annotation, &Rendered) {
        let same = |s: &Slot| {
            s.flags == flags
                && s.if_name.as_deref() == *if_name
                && s.comments.len() == comments.len()
                && s.comments.iter().zip(comments).all(|(a, b)| a == b)
        };
        let i = if self.slots.get(self.last).is_some_and(same) {
            self.last
        } else if let Some(i) = self.slots.iter().position(same) {
            i
        } else {
            let ann = Annotation::from_packet(*if_name, flags, comments);
            let mut rendered = Rendered::default();
            render(&ann, &mut rendered);
            let slot = Slot {
                if_name: if_name.map(str::to_owned),
                flags,
                comments: comments.iter().map(|c| c.to_string()).collect(),
                ann,
                rendered,
            };
            if self.slots.len() < SLOTS {
                self.slots.push(slot);
                self.slots.len() - 1
            } else {
                let i = self.next;
                self.next = (self.next + 1) % SLOTS;
                self.slots[i] = slot;
                i
            }
        };
        self.last = i;
        (&self.slots[i].ann, &self.slots[i].rendered)
    }
}

/// A classic pcap written from a pcapng file: cooked (LINUX_SLL2) when the file's interfaces
/// have different link types. A file is looked through first; standard input cannot be, and
/// is written with its first link type (packets of another one are counted, not written).
fn pcapng_link(path: &str) -> PcapLink {
    if path == "-" {
        return PcapLink::Native;
    }
    let Ok(f) = File::open(path) else {
        return PcapLink::Native;
    };
    let Ok(mut r) = Reader::new(BufReader::with_capacity(1 << 18, f), Precision::Nano) else {
        return PcapLink::Native;
    };
    let mut seen: Vec<u32> = Vec::new();
    while let Ok(Some(p)) = r.next_packet() {
        if !seen.contains(&p.linktype) {
            seen.push(p.linktype);
        }
    }
    PcapLink::for_interfaces(false, seen)
}

/// An interface of a file as an SLL2 header describes it. pcapng names interfaces but gives
/// no index: the index of the interface of that name on this host, which is what tcpdump
/// turns back into a name when it reads the file here (0, printed `?`, when there is none).
fn device_of(if_name: Option<&str>, linktype: u32) -> crate::sll2::Device {
    let mut d = crate::sll2::Device::from_linktype(linktype);
    if let Some(name) = if_name
        && let Ok(c) = std::ffi::CString::new(name)
    {
        // SAFETY: a NUL-terminated name; if_nametoindex only reads it.
        d.ifindex = unsafe { libc::if_nametoindex(c.as_ptr()) };
    }
    d
}

/// Is this pcapng `shb_userappl` ptcpdump's (this one's or the original's, `ptcpdump VERSION`)?
fn written_by_ptcpdump(application: &str) -> bool {
    application == "ptcpdump" || application.starts_with("ptcpdump ")
}

/// File timestamps back to nanoseconds since the epoch, for writing.
fn ts_to_ns(sec: u64, frac: u32, nano: bool) -> u64 {
    let frac_ns = if nano {
        frac as u64
    } else {
        frac as u64 * 1000
    };
    sec.saturating_mul(1_000_000_000).saturating_add(frac_ns)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_ptcpdump_files_carry_printed_interfaces() {
        assert!(super::written_by_ptcpdump("ptcpdump 0.1.0"));
        assert!(super::written_by_ptcpdump("ptcpdump"));
        assert!(!super::written_by_ptcpdump(
            "Dumpcap 1.8.4 (SVN Rev 46250 from /trunk-1.8)"
        ));
        assert!(!super::written_by_ptcpdump("ptcpdumpish"));
    }
}
