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
    /// With --embed-keylog-to-pcapng (keylog.rs): packets wait here a moment, so that the
    /// Decryption Secrets Block of a TLS connection lands before its encrypted handshake.
    hold: Option<crate::keylog::PacketHold>,
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
        let hold = (flags.embed_keylog && matches!(kind, Kind::Pcapng { .. }))
            .then(crate::keylog::PacketHold::default);
        Ok(Sink {
            kind,
            ctx: *ctx,
            snaplen,
            filter: flags.expression().ok().flatten(),
            flush_each: to_stdout || flags.packet_buffered,
            comments: Vec::new(),
            hold,
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
                if let Some(hold) = &mut self.hold {
                    hold.push(crate::keylog::HeldPacket {
                        iface: id,
                        ts_ns: meta.ts_ns,
                        data: data.to_vec(),
                        len,
                        flags: meta.annotation.direction.map(|d| d.epb_flags()),
                        comments: meta.annotation.comments(&self.ctx),
                    });
                    return self.release_held(false);
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

    /// One NSS key log line as a Decryption Secrets Block (pcapng only), ahead of the packets
    /// still held.
    pub fn write_keylog(&mut self, line: &str) -> Result<()> {
        if let Kind::Pcapng { w, .. } = &mut self.kind {
            w.write_decryption_secrets(crate::keylog::SECRETS_TYPE_TLS, line.as_bytes())
                .context("write decryption secrets")?;
        }
        Ok(())
    }

    /// Writes the held packets that have waited long enough (all of them with `all`).
    fn release_held(&mut self, all: bool) -> Result<()> {
        let (Some(hold), Kind::Pcapng { w, .. }) = (&mut self.hold, &mut self.kind) else {
            return Ok(());
        };
        let mut wrote = false;
        while let Some(p) = hold.pop_ready(all) {
            let refs: Vec<&str> = p.comments.iter().map(String::as_str).collect();
            let opts = EpbOptions {
                flags: p.flags,
                comments: &refs,
            };
            w.write_packet(p.iface, p.ts_ns, &p.data, p.len, &opts)
                .context("write packet")?;
            wrote = true;
        }
        if wrote && self.flush_each {
            w.flush().context("flush")?;
        }
        Ok(())
    }

    /// Called regularly by the capture loop: held packets go out even when no new one comes.
    pub fn tick(&mut self) -> Result<()> {
        self.release_held(false)
    }

    pub fn flush(&mut self) -> Result<()> {
        self.release_held(true)?;
        match &mut self.kind {
            Kind::Pcap { w: Some(w), .. } => w.flush()?,
            Kind::Pcap { .. } => {}
            Kind::Pcapng { w, .. } => w.flush()?,
        }
        Ok(())
    }

    /// Writes statistics blocks (pcapng) and flushes everything.
    pub fn finish(mut self, stats: &[IfStats]) -> Result<()> {
        self.release_held(true)?;
        if let Kind::Pcapng { w, ifaces } = &mut self.kind {
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
