//! `-w FILE`: classic pcap for `*.pcap` (nanosecond timestamps), pcapng with ptcpdump's metadata
//! otherwise, `-` for pcapng on stdout flushed after every packet.
use std::{
    collections::HashMap,
    fs::File,
    io::{self, BufWriter, Write},
};

use anyhow::{Context as _, Result};
use ptcpdump_pcap::{EpbOptions, InterfaceInfo, PcapWriter, PcapngWriter, SectionInfo};

use crate::{
    annotate::{Annotation, Context},
    flags::Flags,
};

pub struct PacketMeta<'a> {
    /// Nanoseconds since the Unix epoch.
    pub ts_ns: u64,
    pub linktype: u32,
    pub ifname: &'a str,
    pub annotation: &'a Annotation,
}

/// Per-interface totals written as Interface Statistics Blocks when the file is closed.
pub struct IfStats {
    pub ifname: String,
    pub linktype: u32,
    pub received: u64,
    pub dropped: u64,
}

type Out = BufWriter<Box<dyn Write + Send>>;

enum Kind {
    /// Classic pcap: the header needs the link type, known with the first packet.
    Pcap {
        pending: Option<Out>,
        w: Option<PcapWriter<Out>>,
    },
    Pcapng {
        w: PcapngWriter<Out>,
        ifaces: HashMap<(String, u32), u32>,
    },
}

pub struct Sink {
    kind: Kind,
    ctx: Context,
    snaplen: u32,
    filter: Option<String>,
    flush_each: bool,
    comments: Vec<String>,
    /// TLS key log lines not yet written (keylog.rs): they go into one Decryption Secrets Block
    /// right before the next packet.
    keylog: String,
}

impl Sink {
    pub fn create(flags: &Flags, path: &str, ctx: &Context) -> Result<Self> {
        let (out, to_stdout): (Box<dyn Write + Send>, bool) = if path == "-" {
            (Box::new(io::stdout()), true)
        } else {
            let f = File::create(path)
                .map_err(|e| anyhow::anyhow!("{path}: {}", crate::errno_text(&e)))?;
            (Box::new(f), false)
        };
        let out = BufWriter::with_capacity(1 << 16, out);
        let snaplen = flags.snaplen();
        let kind = if !to_stdout && path.ends_with(".pcap") {
            Kind::Pcap {
                pending: Some(out),
                w: None,
            }
        } else {
            let section = SectionInfo {
                hardware: std::env::consts::ARCH.to_string(),
                os: os_name(),
                application: format!("ptcpdump {}", env!("CARGO_PKG_VERSION")),
                comment: None,
            };
            Kind::Pcapng {
                w: PcapngWriter::new(out, &section).context("write pcapng header")?,
                ifaces: HashMap::new(),
            }
        };
        Ok(Sink {
            kind,
            ctx: *ctx,
            snaplen,
            filter: flags.expression().ok().flatten(),
            flush_each: to_stdout || flags.packet_buffered,
            comments: Vec::new(),
            keylog: String::new(),
        })
    }

    pub fn write(&mut self, meta: &PacketMeta<'_>, data: &[u8], len: u32) -> Result<()> {
        match &mut self.kind {
            Kind::Pcap { pending, w } => {
                if w.is_none() {
                    let out = pending.take().context("pcap output already closed")?;
                    *w = Some(
                        PcapWriter::new(out, meta.linktype, self.snaplen)
                            .context("write pcap header")?,
                    );
                }
                let w = w.as_mut().expect("just set");
                w.write_packet(meta.ts_ns, data, len)
                    .context("write packet")?;
                if self.flush_each {
                    w.flush().context("flush")?;
                }
            }
            Kind::Pcapng { w, ifaces } => {
                let key = (meta.ifname.to_string(), meta.linktype);
                let id = match ifaces.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = w
                            .add_interface(&InterfaceInfo {
                                linktype: meta.linktype,
                                snaplen: self.snaplen,
                                name: meta.ifname.to_string(),
                                description: None,
                                filter: self.filter.clone(),
                                os: Some(os_name()),
                                comment: None,
                            })
                            .context("write interface block")?;
                        ifaces.insert(key, id);
                        id
                    }
                };
                if !self.keylog.is_empty() {
                    w.write_decryption_secrets(crate::keylog::SECRETS_TYPE_TLS, self.keylog.as_bytes())
                        .context("write decryption secrets")?;
                    self.keylog.clear();
                }
                self.comments = meta.annotation.comments(&self.ctx);
                let refs: Vec<&str> = self.comments.iter().map(String::as_str).collect();
                let opts = EpbOptions {
                    flags: meta.annotation.direction.map(|d| d.epb_flags()),
                    comments: &refs,
                };
                w.write_packet(id, meta.ts_ns, data, len, &opts)
                    .context("write packet")?;
                if self.flush_each {
                    w.flush().context("flush")?;
                }
            }
        }
        Ok(())
    }

    /// Queues one NSS key log line for the pcapng file (classic pcap cannot hold it).
    pub fn write_keylog(&mut self, line: &str) {
        if matches!(self.kind, Kind::Pcapng { .. }) {
            self.keylog.push_str(line);
        }
    }

    pub fn flush(&mut self) -> Result<()> {
        match &mut self.kind {
            Kind::Pcap { w: Some(w), .. } => w.flush()?,
            Kind::Pcap { .. } => {}
            Kind::Pcapng { w, .. } => w.flush()?,
        }
        Ok(())
    }

    /// Writes statistics blocks (pcapng) and flushes everything.
    pub fn finish(mut self, stats: &[IfStats]) -> Result<()> {
        if let Kind::Pcapng { w, ifaces } = &mut self.kind {
            if !self.keylog.is_empty() {
                w.write_decryption_secrets(crate::keylog::SECRETS_TYPE_TLS, self.keylog.as_bytes())?;
            }
            let now = crate::clock::wall_ns_now();
            for s in stats {
                if let Some(id) = ifaces.get(&(s.ifname.clone(), s.linktype)) {
                    w.write_interface_statistics(*id, now, s.received, s.dropped)?;
                }
            }
        }
        if let Kind::Pcap { pending, w } = &mut self.kind
            && let Some(out) = pending.take()
        {
            // No packet arrived: still leave a valid (empty) pcap file behind.
            *w = Some(PcapWriter::new(
                out,
                crate::linktype::ETHERNET,
                self.snaplen,
            )?);
        }
        self.flush().context("flush output file")
    }
}

fn os_name() -> String {
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: uname fills the struct we own.
    if unsafe { libc::uname(&mut u) } != 0 {
        return "Linux".into();
    }
    let s = |b: &[libc::c_char]| {
        let bytes: Vec<u8> = b
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    format!("{} {}", s(&u.sysname), s(&u.release))
}
