//! `-r FILE`: read a pcap or pcapng file (or stdin), filter it, print it or write it again.
use std::{
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
    write::{PacketMeta, Sink},
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

    let filter = match flags.expression()? {
        Some(expr) => Some(
            ptcpdump_filter::compile_offline(&expr, file_linktype, snaplen, false)
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        ),
        None => None,
    };
    if flags.dump_filter > 0 {
        let program = match &filter {
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
    }

    let ctx = Context::parse(&flags.context)?;
    let mut sink = match &flags.write_file {
        Some(w) => Some(Sink::create(flags, w, &ctx)?),
        None => None,
    };
    let print = sink.is_none() || flags.print;
    let mut out = Output::new(flags.line_buffered || (sink.is_some() && flags.print));
    let mut printer = Printer::new(printopts::from_flags(flags, nano)?);
    let mut anns = AnnotationCache::default();
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
        if let Some(f) = &filter
            && !f.matches(pkt.data, pkt.len)
        {
            continue;
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
            let meta = PacketMeta {
                ts_ns,
                linktype: pkt.linktype,
                ifname: pkt.if_name.unwrap_or(""),
                annotation: ann,
                source: 0,
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
