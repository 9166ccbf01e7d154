//! `-w FILE`: classic pcap for `*.pcap` (nanosecond timestamps), pcapng with ptcpdump's metadata
//! otherwise, `-` for pcapng on stdout; and tcpdump's file rotation (`-C`, `-W`, `-G`, `-z`).
//!
//! Owns the output files. Guarantees, whatever ends the capture (signal, `-c`, a full disk):
//! - every file ends on a complete record/block: blocks reach the file whole, and when the
//!   disk fills in the middle of one, the file is cut back to the last complete block;
//! - every rotated file stands alone: pcap files repeat the file header, pcapng files the
//!   section header, every interface block and the TLS secrets seen so far;
//! - every packet is decoded with its own link type: pcapng has one interface block per
//!   (interface, link type); a classic pcap, which holds one link type, is written in
//!   LINUX_SLL2 for all packets when the interfaces' link types differ or may (`-i any`), as
//!   tcpdump writes `-i any` ([`PcapLink`], sll2.rs).
//!
//! The per-packet path allocates nothing once warm: interface ids are found by a short scan
//! of (name, link type) pairs, and pcapng comments are rendered once per distinct
//! process/container/Pod and reused.
use std::{
    fs::File,
    io::{self, Write},
    process::{Child, Command, Stdio},
    time::{SystemTime, UNIX_EPOCH},
};

use anyhow::{Result, anyhow, bail};
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
    /// The interface as a LINUX_SLL2 header describes it ([`PcapLink::Cooked`]).
    pub device: crate::sll2::Device,
    /// Equal for packets whose annotation is the same one (the capture loop's cache entry),
    /// so that the comments are found without comparing annotations; 0 when unknown.
    pub source: u64,
}

/// What a classic pcap file (one link type for all packets) does with packets of interfaces
/// whose link types differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PcapLink {
    /// One link type: the first packet's. Packets of another link type are not written (and
    /// counted, see [`Sink::finish`]); callers choose this only when none can come.
    #[default]
    Native,
    /// LINUX_SLL2 for every packet, as tcpdump writes `-i any`.
    Cooked,
}

impl PcapLink {
    /// For a capture on interfaces of these link types; `may_grow` when more interfaces can
    /// join later (`-i any`, `--netns any|newly`), which tcpdump's `-i any` always writes cooked.
    pub fn for_interfaces(may_grow: bool, linktypes: impl IntoIterator<Item = u32>) -> Self {
        let mut it = linktypes.into_iter();
        let first = it.next();
        if may_grow || it.any(|lt| Some(lt) != first) {
            PcapLink::Cooked
        } else {
            PcapLink::Native
        }
    }
}

/// Per-interface totals written as Interface Statistics Blocks when the file is closed.
pub struct IfStats {
    pub ifname: String,
    pub linktype: u32,
    pub received: u64,
    pub dropped: u64,
}

/// Longest file name tcpdump builds (PATH_MAX).
const PATH_MAX: usize = 4096;
/// Most comments one packet carries (process, thread, user, parent, container, Pod; for both
/// ends).
const MAX_COMMENTS: usize = 12;

/// `-C`, `-W`, `-G`, `-z` as tcpdump reads them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rotation {
    /// `-C`: a new file once the current one is larger than this many bytes.
    pub size: Option<u64>,
    /// `-W`: number of files (a ring with `-C`; the end of the capture with `-G` alone).
    pub count: Option<u32>,
    /// `-G`: a new file every this many seconds; the name is a strftime pattern.
    pub seconds: Option<u64>,
    /// `-z`: run as `COMMAND FILE` on each file closed by a rotation.
    pub command: Option<String>,
}

impl Rotation {
    /// Reads and checks the flags with tcpdump's rules and error texts.
    pub fn from_flags(flags: &Flags) -> Result<Self> {
        let size = flags
            .file_size
            .as_deref()
            .map(parse_file_size)
            .transpose()?;
        let count = match flags.file_count {
            Some(0) => bail!("invalid number of output files 0"),
            c => c,
        };
        let seconds = flags.rotate_seconds.filter(|s| *s > 0);
        let r = Rotation {
            size,
            count,
            seconds,
            command: flags.postrotate_command.clone(),
        };
        let writing = flags.write_file.is_some();
        if r.size.is_some() && !writing {
            bail!("-C cannot be used without -w.");
        }
        if r.seconds.is_some() && !writing {
            bail!("-G cannot be used without -w.");
        }
        if r.command.is_some() && (!writing || (r.size.is_none() && r.seconds.is_none())) {
            bail!("-z cannot be used without -w and (-C or -G).");
        }
        if r.rotates() && flags.write_file.as_deref() == Some("-") {
            bail!("-C and -G need a file name, not -w -");
        }
        Ok(r)
    }

    fn rotates(&self) -> bool {
        self.size.is_some() || self.seconds.is_some()
    }

    /// Digits of the file number: tcpdump pads to the width of `-W COUNT - 1`.
    fn width(&self) -> usize {
        let mut x = self.count.unwrap_or(0).saturating_sub(1);
        let mut c = 0;
        while x > 0 {
            c += 1;
            x /= 10;
        }
        c
    }
}

/// tcpdump's `-C`: millions of bytes; with `k`, `m`, `g` (or `kb`, `mb`, `gb`, any case)
/// KiB, MiB, GiB.
pub fn parse_file_size(s: &str) -> Result<u64> {
    let invalid = || anyhow!("invalid file size {s}");
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let n: u64 = s[..digits].parse().map_err(|_| invalid())?;
    if n == 0 {
        return Err(invalid());
    }
    let mult: u64 = match s[digits..].to_ascii_lowercase().as_str() {
        "" => 1_000_000,
        "k" | "kb" => 1 << 10,
        "m" | "mb" => 1 << 20,
        "g" | "gb" => 1 << 30,
        _ => return Err(invalid()),
    };
    n.checked_mul(mult)
        .filter(|v| *v <= i64::MAX as u64)
        .ok_or_else(|| anyhow!("file size {s} is too large"))
}

/// tcpdump's file names: `NAME` (strftime'd at `time` with `-G`), then the number `cnt` padded
/// to `width` digits; no number at all for the first file when there is no width.
pub fn file_name(base: &str, time: Option<i64>, cnt: u32, width: usize) -> Result<String> {
    if base.is_empty() {
        bail!("an empty string is not a valid file name");
    }
    let mut name = match time {
        Some(t) => strftime_local(base, t)?,
        None => base.to_string(),
    };
    if cnt != 0 || width != 0 {
        use std::fmt::Write as _;
        let _ = write!(name, "{cnt:0width$}");
    }
    if name.len() > PATH_MAX {
        bail!("too many output files or filename is too long (> {PATH_MAX})");
    }
    Ok(name)
}

unsafe extern "C" {
    fn tzset();
}

/// `strftime(3)` of `pattern` at `t` (seconds since the epoch) in local time.
fn strftime_local(pattern: &str, t: i64) -> Result<String> {
    let c = std::ffi::CString::new(pattern).map_err(|_| anyhow!("{pattern}: invalid file name"))?;
    let time: libc::time_t = t as libc::time_t;
    // SAFETY: zeroed `tm` is a valid value; localtime_r fills it from a valid time_t.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: tzset has no preconditions; localtime_r writes only into `tm`.
    if unsafe {
        tzset();
        libc::localtime_r(&time, &mut tm)
    }
    .is_null()
    {
        bail!("MakeFilename: localtime");
    }
    let mut buf = vec![0u8; PATH_MAX + 1];
    // SAFETY: buf holds buf.len() bytes; pattern is NUL-terminated; tm is initialised.
    let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), buf.len(), c.as_ptr(), &tm) };
    if n == 0 {
        bail!("MakeFilename: strftime");
    }
    buf.truncate(n);
    String::from_utf8(buf).map_err(|_| anyhow!("{pattern}: file name is not UTF-8"))
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

enum Dest {
    File(File),
    Stdout(io::Stdout),
}

/// A buffered output that only ever holds whole blocks (the pcap writers hand over each
/// record or block with a single `write_all`). When the system refuses part of a flush (full
/// disk), the file is cut back to the last block that reached it whole.
struct BlockOut {
    dest: Dest,
    buf: Vec<u8>,
    /// End offset in `buf` of each block it holds.
    ends: Vec<usize>,
    /// Bytes in the file so far, always at a block boundary.
    on_disk: u64,
}

const BUF_BYTES: usize = 1 << 16;

impl BlockOut {
    fn new(dest: Dest) -> Self {
        BlockOut {
            dest,
            buf: Vec::with_capacity(BUF_BYTES),
            ends: Vec::with_capacity(1024),
            on_disk: 0,
        }
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        let mut off = 0;
        while off < self.buf.len() {
            let r = match &mut self.dest {
                Dest::File(f) => f.write(&self.buf[off..]),
                Dest::Stdout(s) => s.lock().write(&self.buf[off..]),
            };
            match r {
                Ok(0) => return Err(self.cut(off, io::ErrorKind::WriteZero.into())),
                Ok(n) => off += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.cut(off, e)),
            }
        }
        self.on_disk += self.buf.len() as u64;
        self.buf.clear();
        self.ends.clear();
        Ok(())
    }

    /// After `off` bytes of the buffer went out and the rest could not: drop the partial
    /// block from the file, so that it ends on a complete one.
    fn cut(&mut self, off: usize, e: io::Error) -> io::Error {
        let whole = self
            .ends
            .iter()
            .rev()
            .find(|end| **end <= off)
            .copied()
            .unwrap_or(0);
        if let Dest::File(f) = &mut self.dest {
            use std::io::Seek as _;
            // Also back the position up: a later write must not leave a hole.
            let len = self.on_disk + whole as u64;
            let _ = f.set_len(len);
            let _ = f.seek(io::SeekFrom::Start(len));
        }
        self.on_disk += whole as u64;
        self.buf.clear();
        self.ends.clear();
        e
    }
}

impl Write for BlockOut {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        if !self.buf.is_empty() && self.buf.len() + b.len() > BUF_BYTES {
            self.flush_buf()?;
        }
        self.buf.extend_from_slice(b);
        self.ends.push(self.buf.len());
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_buf()?;
        match &mut self.dest {
            Dest::File(_) => Ok(()),
            Dest::Stdout(s) => s.flush(),
        }
    }
}

/// The file being written.
enum Writer {
    /// Classic pcap: the header needs the link type, known with the first packet.
    PcapPending(BlockOut),
    Pcap(PcapWriter<BlockOut>),
    Pcapng(PcapngWriter<BlockOut>),
}

impl Writer {
    fn bytes_written(&self) -> u64 {
        match self {
            Writer::PcapPending(_) => 0,
            Writer::Pcap(w) => w.bytes_written(),
            Writer::Pcapng(w) => w.bytes_written(),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Writer::PcapPending(o) => o.flush(),
            Writer::Pcap(w) => w.flush(),
            Writer::Pcapng(w) => w.flush(),
        }
    }
}

/// An interface as the pcapng files number it (index = interface id in every file).
struct IfaceEntry {
    name: Box<str>,
    linktype: u32,
}

/// pcapng comments of the last few distinct processes (a capture is usually a handful of
/// flows: re-rendering them for every packet was most of the writer's cost).
struct CommentCache {
    ctx: Context,
    slots: Vec<(Annotation, Vec<String>, Vec<u8>)>,
    next: usize,
    last: usize,
    /// `PacketMeta::source` of the packet that last used slot `last` (0: none).
    last_source: u64,
}

const COMMENT_SLOTS: usize = 16;

impl CommentCache {
    /// The comments for `a`, as text and as encoded pcapng options.
    fn get(&mut self, a: &Annotation, source: u64) -> (&[String], &[u8]) {
        // Packets come in runs of one flow: the last hit first, by its source when known.
        if source != 0 && source == self.last_source && self.last < self.slots.len() {
            let s = &self.slots[self.last];
            return (&s.1, &s.2);
        }
        self.last_source = source;
        if self
            .slots
            .get(self.last)
            .is_some_and(|(k, _, _)| same_source(k, a))
        {
            let s = &self.slots[self.last];
            return (&s.1, &s.2);
        }
        let hit = self.slots.iter().position(|(k, _, _)| same_source(k, a));
        let i = match hit {
            Some(i) => i,
            None => {
                let key = Annotation {
                    ifname: None,
                    direction: None,
                    owner: a.owner.clone(),
                    peer: a.peer.clone(),
                };
                let comments = a.comments(&self.ctx);
                let refs: Vec<&str> = comments
                    .iter()
                    .take(MAX_COMMENTS)
                    .map(String::as_str)
                    .collect();
                let encoded = ptcpdump_pcap::encode_comments(&refs);
                if self.slots.len() < COMMENT_SLOTS {
                    self.slots.push((key, comments, encoded));
                    self.slots.len() - 1
                } else {
                    let i = self.next;
                    self.next = (self.next + 1) % COMMENT_SLOTS;
                    self.slots[i] = (key, comments, encoded);
                    i
                }
            }
        };
        self.last = i;
        let s = &self.slots[i];
        (&s.1, &s.2)
    }
}

/// Same comments: everything but the interface and direction (not carried in comments).
fn same_source(a: &Annotation, b: &Annotation) -> bool {
    a.owner == b.owner && a.peer == b.peer
}

pub struct Sink {
    files: Files,
    comments: CommentCache,
    /// With --embed-keylog-to-pcapng (keylog.rs): packets wait here a moment, so that the
    /// Decryption Secrets Block of a TLS connection lands before its encrypted handshake.
    hold: Option<crate::keylog::PacketHold>,
}

/// The output files: the current one, what every new one starts with, when to rotate.
struct Files {
    /// `-w` as typed; the base of rotated names.
    base: String,
    to_stdout: bool,
    pcap: bool,
    /// Current file's name (for messages and `-z`).
    path: String,
    /// None once the capture ended on `-G`/`-W`.
    writer: Option<Writer>,
    /// A write failed: nothing more is written, `finish` leaves the file as it is.
    failed: bool,
    limit_reached: bool,
    rot: Rotation,
    width: usize,
    /// tcpdump's Cflag_count, Gflag_count and Gflag_time.
    c_count: u32,
    g_count: u32,
    g_time: i64,
    postrotate: Vec<Child>,
    section: SectionInfo,
    snaplen: u32,
    filter: Option<String>,
    os: String,
    ifaces: Vec<IfaceEntry>,
    last_iface: usize,
    /// Link type of a classic pcap's header (the first packet's, or LINUX_SLL2).
    pcap_linktype: Option<u32>,
    /// Classic pcap in LINUX_SLL2 ([`PcapLink::Cooked`]); `cooked_buf` holds each rewritten
    /// packet (reused: no allocation per packet once warm).
    cooked: bool,
    cooked_buf: Vec<u8>,
    /// Packets a classic pcap could not hold (another link type than its own), per link type.
    not_written: Vec<(u32, u64)>,
    /// TLS key log lines written as Decryption Secrets Blocks, repeated in every new file.
    secrets: Vec<String>,
    flush_each: bool,
}

impl Sink {
    pub fn create(flags: &Flags, path: &str, ctx: &Context, link: PcapLink) -> Result<Self> {
        let rot = Rotation::from_flags(flags)?;
        let to_stdout = path == "-";
        let pcap = !to_stdout && path.ends_with(".pcap");
        let width = if rot.size.is_some() { rot.width() } else { 0 };
        let os = os_name();
        let mut files = Files {
            base: path.to_string(),
            to_stdout,
            pcap,
            path: String::new(),
            writer: None,
            failed: false,
            limit_reached: false,
            width,
            c_count: 0,
            g_count: 0,
            g_time: now_secs(),
            postrotate: Vec::new(),
            section: SectionInfo {
                hardware: std::env::consts::ARCH.to_string(),
                os: os.clone(),
                application: format!("ptcpdump {}", env!("CARGO_PKG_VERSION")),
                comment: None,
            },
            snaplen: flags.snaplen(),
            filter: flags.expression().ok().flatten(),
            os,
            ifaces: Vec::new(),
            last_iface: 0,
            pcap_linktype: pcap
                .then_some(crate::sll2::LINKTYPE_LINUX_SLL2)
                .filter(|_| link == PcapLink::Cooked),
            cooked: pcap && link == PcapLink::Cooked,
            cooked_buf: Vec::new(),
            not_written: Vec::new(),
            secrets: Vec::new(),
            flush_each: flags.packet_buffered,
            rot,
        };
        let first = if to_stdout {
            "-".to_string()
        } else {
            files.name_for(0, width)?
        };
        files.open(first)?;
        Ok(Sink {
            files,
            comments: CommentCache {
                ctx: *ctx,
                slots: Vec::new(),
                next: 0,
                last: 0,
                last_source: 0,
            },
            hold: (flags.embed_keylog && !pcap).then(crate::keylog::PacketHold::default),
        })
    }

    /// True when a classic pcap is written in LINUX_SLL2 ([`PcapLink::Cooked`]).
    pub fn cooked_pcap(&self) -> bool {
        self.files.cooked
    }

    /// True once `-G` with `-W` (without `-C`) wrote its last file: the capture ends, as
    /// tcpdump's does. The packet that found the limit was not written.
    pub fn limit_reached(&self) -> bool {
        self.files.limit_reached
    }

    pub fn write(&mut self, meta: &PacketMeta<'_>, data: &[u8], len: u32) -> Result<()> {
        let f = &mut self.files;
        if f.failed {
            bail!("{}: output file closed after an error", f.path);
        }
        if f.limit_reached {
            return Ok(());
        }
        let flags = meta.annotation.direction.map(|d| d.epb_flags());
        if f.pcap {
            let opts = EpbOptions {
                flags,
                ..Default::default()
            };
            if f.cooked {
                let mut buf = std::mem::take(&mut f.cooked_buf);
                let r = match crate::sll2::cook(
                    &mut buf,
                    meta.linktype,
                    data,
                    len,
                    meta.annotation.direction,
                    &meta.device,
                ) {
                    Some(len) => f.emit(
                        0,
                        crate::sll2::LINKTYPE_LINUX_SLL2,
                        meta.ts_ns,
                        &buf,
                        len,
                        &opts,
                    ),
                    None => {
                        f.not_written(meta.linktype);
                        Ok(())
                    }
                };
                f.cooked_buf = buf;
                return r;
            }
            if f.pcap_linktype.is_some_and(|lt| lt != meta.linktype) {
                f.not_written(meta.linktype);
                return Ok(());
            }
            return f.emit(0, meta.linktype, meta.ts_ns, data, len, &opts);
        }
        let id = f.iface_id(meta.ifname, meta.linktype)?;
        let (comments, encoded) = self.comments.get(meta.annotation, meta.source);
        if let Some(hold) = &mut self.hold {
            hold.push(crate::keylog::HeldPacket {
                iface: id,
                ts_ns: meta.ts_ns,
                data: data.to_vec(),
                len,
                flags,
                comments: comments.to_vec(),
            });
            return self.release_held(false);
        }
        let opts = EpbOptions {
            flags,
            encoded,
            ..Default::default()
        };
        f.emit(id, meta.linktype, meta.ts_ns, data, len, &opts)
    }

    /// One NSS key log line as a Decryption Secrets Block (pcapng only), ahead of the packets
    /// still held; repeated at the start of every later file.
    pub fn write_keylog(&mut self, line: &str) -> Result<()> {
        let f = &mut self.files;
        if f.pcap || f.failed {
            return Ok(());
        }
        f.secrets.push(line.to_string());
        if let Some(Writer::Pcapng(w)) = &mut f.writer
            && let Err(e) =
                w.write_decryption_secrets(crate::keylog::SECRETS_TYPE_TLS, line.as_bytes())
        {
            return Err(f.io_error(e));
        }
        Ok(())
    }

    /// Writes the held packets that have waited long enough (all of them with `all`).
    fn release_held(&mut self, all: bool) -> Result<()> {
        let Some(hold) = &mut self.hold else {
            return Ok(());
        };
        while let Some(p) = hold.pop_ready(all) {
            let mut refs: [&str; MAX_COMMENTS] = [""; MAX_COMMENTS];
            let n = p.comments.len().min(MAX_COMMENTS);
            for (r, c) in refs.iter_mut().zip(&p.comments) {
                *r = c;
            }
            let opts = EpbOptions {
                flags: p.flags,
                comments: &refs[..n],
                ..Default::default()
            };
            self.files
                .emit(p.iface, 0, p.ts_ns, &p.data, p.len, &opts)?;
        }
        Ok(())
    }

    /// Called regularly by the capture loop: held packets go out even when no new one comes.
    pub fn tick(&mut self) -> Result<()> {
        if self.files.failed {
            return Ok(());
        }
        self.release_held(false)
    }

    /// Called by the capture loop after each batch of packets: standard output gets the batch
    /// at once (one write instead of one per packet), so that a reader downstream sees the
    /// packets as they come.
    pub fn batch_done(&mut self) -> Result<()> {
        if self.files.to_stdout {
            self.flush()?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        if self.files.failed {
            return Ok(());
        }
        self.release_held(true)?;
        self.files.flush()
    }

    /// Writes statistics blocks (pcapng) and flushes everything. After a write error the
    /// file is left as it is (complete blocks only) and the error is the caller's to report.
    pub fn finish(mut self, stats: &[IfStats]) -> Result<()> {
        if self.files.failed {
            return Ok(());
        }
        self.release_held(true)?;
        let f = &mut self.files;
        for (lt, n) in &f.not_written {
            log::warn!(
                "{}: {n} packet{} of link type {} not written: a pcap file holds one link type ({}); write pcapng to keep them",
                f.path,
                if *n == 1 { "" } else { "s" },
                crate::linktype::describe(*lt),
                crate::linktype::describe(f.pcap_linktype.unwrap_or(0)),
            );
        }
        if let Some(Writer::PcapPending(_)) = &f.writer {
            // No packet arrived: still leave a valid (empty) pcap file behind.
            f.start_pcap(crate::linktype::ETHERNET)?;
        }
        if let Some(Writer::Pcapng(w)) = &mut f.writer {
            let now = crate::clock::wall_ns_now();
            for s in stats {
                let Some(id) = f
                    .ifaces
                    .iter()
                    .position(|e| e.linktype == s.linktype && *e.name == *s.ifname)
                else {
                    continue;
                };
                if let Err(e) = w.write_interface_statistics(id as u32, now, s.received, s.dropped)
                {
                    return Err(f.io_error(e));
                }
            }
        }
        f.flush()
    }
}

impl Files {
    fn not_written(&mut self, linktype: u32) {
        match self.not_written.iter_mut().find(|(lt, _)| *lt == linktype) {
            Some((_, n)) => *n += 1,
            None => self.not_written.push((linktype, 1)),
        }
    }

    fn name_for(&self, cnt: u32, width: usize) -> Result<String> {
        let time = self.rot.seconds.map(|_| self.g_time);
        file_name(&self.base, time, cnt, width)
    }

    /// An I/O error as the user sees it: `ptcpdump: PATH: No space left on device`. A closed
    /// stdout keeps its io::Error, so that the caller ends quietly.
    fn io_error(&mut self, e: io::Error) -> anyhow::Error {
        self.failed = true;
        if e.kind() == io::ErrorKind::BrokenPipe {
            return anyhow::Error::new(e);
        }
        anyhow!("{}: {}", self.path, crate::errno_text(&e))
    }

    /// Creates `path` and writes what a file starts with: headers, interfaces, secrets.
    fn open(&mut self, path: String) -> Result<()> {
        self.path = path;
        let dest = if self.to_stdout {
            Dest::Stdout(io::stdout())
        } else {
            match File::create(&self.path) {
                Ok(f) => Dest::File(f),
                Err(e) => {
                    self.failed = true;
                    bail!("{}: {}", self.path, crate::errno_text(&e));
                }
            }
        };
        let out = BlockOut::new(dest);
        self.writer = Some(Writer::PcapPending(out));
        if self.pcap {
            if let Some(lt) = self.pcap_linktype {
                self.start_pcap(lt)?;
            }
            return Ok(());
        }
        let Some(Writer::PcapPending(out)) = self.writer.take() else {
            unreachable!("set above")
        };
        match self.start_pcapng(out) {
            Ok(w) => {
                self.writer = Some(Writer::Pcapng(w));
                Ok(())
            }
            Err(e) => Err(self.io_error(e)),
        }
    }

    /// Turns a pending classic pcap into a started one (file header written).
    fn start_pcap(&mut self, linktype: u32) -> Result<()> {
        let Some(Writer::PcapPending(out)) = self.writer.take() else {
            return Ok(());
        };
        self.pcap_linktype = Some(linktype);
        // libpcap's cooked captures keep room for the header and at least a byte.
        let snaplen = if linktype == crate::sll2::LINKTYPE_LINUX_SLL2 {
            self.snaplen.max(crate::sll2::HDR_LEN as u32 + 1)
        } else {
            self.snaplen
        };
        match PcapWriter::new(out, linktype, snaplen) {
            Ok(w) => {
                self.writer = Some(Writer::Pcap(w));
                Ok(())
            }
            Err(e) => Err(self.io_error(e)),
        }
    }

    fn start_pcapng(&self, out: BlockOut) -> io::Result<PcapngWriter<BlockOut>> {
        let mut w = PcapngWriter::new(out, &self.section)?;
        for i in &self.ifaces {
            w.add_interface(&self.interface_info(i))?;
        }
        for line in &self.secrets {
            w.write_decryption_secrets(crate::keylog::SECRETS_TYPE_TLS, line.as_bytes())?;
        }
        Ok(w)
    }

    fn interface_info(&self, i: &IfaceEntry) -> InterfaceInfo {
        InterfaceInfo {
            linktype: i.linktype,
            snaplen: self.snaplen,
            name: i.name.to_string(),
            description: None,
            filter: self.filter.clone(),
            os: Some(self.os.clone()),
            comment: None,
        }
    }

    fn flush(&mut self) -> Result<()> {
        if let Some(w) = self.writer.as_mut()
            && let Err(e) = w.flush()
        {
            return Err(self.io_error(e));
        }
        Ok(())
    }

    /// Closes the current file (flushed, complete) and hands it to `-z`.
    fn close_current(&mut self) -> Result<()> {
        self.flush()?;
        self.writer = None;
        self.postrotate_command();
        Ok(())
    }

    /// tcpdump's `-z`: `COMMAND FILE`, detached, at the lowest priority, not waited for.
    fn postrotate_command(&mut self) {
        let Some(cmd) = &self.rot.command else {
            return;
        };
        // Reap the ones that are done (no zombies pile up during a long capture).
        self.postrotate
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
        let mut c = Command::new(cmd);
        c.arg(&self.path).stdin(Stdio::null());
        // SAFETY: setpriority is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            use std::os::unix::process::CommandExt as _;
            c.pre_exec(|| {
                libc::setpriority(libc::PRIO_PROCESS, 0, 19);
                Ok(())
            });
        }
        match c.spawn() {
            Ok(child) => self.postrotate.push(child),
            Err(e) => eprintln!(
                "ptcpdump: -z {cmd} {}: {}",
                self.path,
                crate::errno_text(&e)
            ),
        }
    }

    /// tcpdump's checks before each packet: time first (`-G`), then size (`-C`).
    fn rotate_if_due(&mut self) -> Result<()> {
        if let Some(g) = self.rot.seconds {
            let t = now_secs();
            if t - self.g_time >= g as i64 {
                self.g_time = t;
                self.g_count += 1;
                self.close_current()?;
                if self.rot.size.is_none()
                    && let Some(w) = self.rot.count
                    && self.g_count >= w
                {
                    eprintln!("Maximum file limit reached: {w}");
                    self.limit_reached = true;
                    return Ok(());
                }
                self.c_count = 0;
                let name = self.name_for(0, self.width)?;
                self.open(name)?;
            }
        }
        if let Some(c) = self.rot.size
            && self.writer.as_ref().is_some_and(|w| w.bytes_written() > c)
        {
            self.close_current()?;
            self.c_count += 1;
            if self.rot.count.is_some_and(|w| self.c_count >= w) {
                self.c_count = 0;
            }
            let name = self.name_for(self.c_count, self.width)?;
            self.open(name)?;
        }
        Ok(())
    }

    /// The pcapng interface id of (name, link type), announced in the current file when new.
    fn iface_id(&mut self, name: &str, linktype: u32) -> Result<u32> {
        let is = |e: &IfaceEntry| e.linktype == linktype && *e.name == *name;
        if let Some(e) = self.ifaces.get(self.last_iface)
            && is(e)
        {
            return Ok(self.last_iface as u32);
        }
        if let Some(i) = self.ifaces.iter().position(is) {
            self.last_iface = i;
            return Ok(i as u32);
        }
        let entry = IfaceEntry {
            name: name.into(),
            linktype,
        };
        let info = self.interface_info(&entry);
        self.ifaces.push(entry);
        self.last_iface = self.ifaces.len() - 1;
        if let Some(Writer::Pcapng(w)) = &mut self.writer {
            match w.add_interface(&info) {
                Ok(id) => debug_assert_eq!(id as usize, self.last_iface),
                Err(e) => return Err(self.io_error(e)),
            }
        }
        Ok(self.last_iface as u32)
    }

    /// Writes one packet into the current file, rotating first when it is due.
    fn emit(
        &mut self,
        id: u32,
        linktype: u32,
        ts_ns: u64,
        data: &[u8],
        len: u32,
        opts: &EpbOptions<'_>,
    ) -> Result<()> {
        if self.rot.rotates() {
            self.rotate_if_due()?;
            if self.limit_reached {
                return Ok(());
            }
        }
        if let Some(Writer::PcapPending(_)) = &self.writer {
            self.start_pcap(linktype)?;
        }
        let r = match self.writer.as_mut() {
            None | Some(Writer::PcapPending(_)) => return Ok(()),
            Some(Writer::Pcapng(w)) => w.write_packet(id, ts_ns, data, len, opts),
            Some(Writer::Pcap(w)) => w.write_packet(ts_ns, data, len),
        };
        let r = r.and_then(|()| match (&mut self.writer, self.flush_each) {
            (Some(w), true) => w.flush(),
            _ => Ok(()),
        });
        r.map_err(|e| self.io_error(e))
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

#[cfg(test)]
mod tests {
    use ptcpdump_pcap::{Precision, Reader};

    use super::*;
    use crate::annotate::{Direction, End, ProcessInfo};

    struct TempDir(std::path::PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let d =
                std::env::temp_dir().join(format!("ptcpdump-write-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).unwrap();
            TempDir(d)
        }

        fn path(&self, f: &str) -> String {
            self.0.join(f).to_str().unwrap().to_string()
        }

        /// File names in the directory, sorted.
        fn names(&self) -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(&self.0)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn annotation(pid: u32) -> Annotation {
        Annotation {
            ifname: Some("veth0".into()),
            direction: Some(if pid.is_multiple_of(2) {
                Direction::In
            } else {
                Direction::Out
            }),
            owner: End {
                process: Some(std::sync::Arc::new(ProcessInfo::new(
                    pid,
                    "/usr/bin/ping".into(),
                    vec!["ping".into(), format!("198.18.0.{}", pid % 250)],
                    false,
                    false,
                ))),
                uid: Some(0),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// Writes `n` packets of 100 bytes alternating between two interfaces and `procs`
    /// processes; packet i carries i in its first 4 bytes and in its timestamp.
    fn write_packets(sink: &mut Sink, n: u32, procs: u32) {
        for i in 0..n {
            let mut data = [0u8; 100];
            data[..4].copy_from_slice(&i.to_be_bytes());
            let ann = annotation(1000 + i % procs);
            let ifname = if i % 2 == 0 { "veth0" } else { "lo" };
            sink.write(
                &PacketMeta {
                    ts_ns: 1_700_000_000_000_000_000 + u64::from(i),
                    linktype: 1,
                    ifname,
                    annotation: &ann,
                    device: Default::default(),
                    source: 0,
                },
                &data,
                120,
            )
            .unwrap();
        }
    }

    /// Reads a whole file: (packet numbers, interface names, annotations), or the error.
    fn read_all(path: &str) -> (Vec<u32>, Vec<String>, Vec<Annotation>) {
        let f = std::fs::read(path).unwrap();
        let mut r = Reader::new(&f[..], Precision::Nano).unwrap();
        let (mut nums, mut ifs, mut anns) = (Vec::new(), Vec::new(), Vec::new());
        while let Some(p) = r.next_packet().unwrap() {
            nums.push(u32::from_be_bytes(p.data[..4].try_into().unwrap()));
            assert_eq!(p.ts_frac, nums[nums.len() - 1], "timestamp of {path}");
            ifs.push(p.if_name.unwrap_or("").to_string());
            anns.push(Annotation::from_packet(p.if_name, p.flags, &p.comments));
        }
        (nums, ifs, anns)
    }

    fn flags(w: &str) -> Flags {
        Flags {
            write_file: Some(w.into()),
            ..Default::default()
        }
    }

    #[test]
    fn refused_write_leaves_whole_blocks_only() {
        let d = TempDir::new("cut");
        let path = d.path("cut");
        let mut o = BlockOut::new(Dest::File(File::create(&path).unwrap()));
        // Blocks of 10, 20 and 30 bytes; a flush that stops 35 bytes in (a full disk).
        for n in [10, 20, 30] {
            o.write_all(&vec![n as u8; n]).unwrap();
        }
        if let Dest::File(f) = &mut o.dest {
            f.write_all(&o.buf[..35]).unwrap();
        }
        let e = o.cut(35, io::Error::from_raw_os_error(libc::ENOSPC));
        assert_eq!(e.raw_os_error(), Some(libc::ENOSPC));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            [[10u8; 10].as_slice(), &[20; 20]].concat()
        );
        assert_eq!(o.on_disk, 30);
        // Nothing whole went out: the file is empty again.
        o.write_all(&[1; 8]).unwrap();
        if let Dest::File(f) = &mut o.dest {
            f.write_all(&[1; 3]).unwrap();
        }
        o.cut(3, io::ErrorKind::WriteZero.into());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 30);
        // And writing on continues right after the last whole block.
        o.write_all(&[7; 4]).unwrap();
        o.flush().unwrap();
        assert_eq!(std::fs::read(&path).unwrap()[28..], [20, 20, 7, 7, 7, 7]);
    }

    #[test]
    fn file_size_units_as_tcpdump() {
        assert_eq!(parse_file_size("1").unwrap(), 1_000_000);
        assert_eq!(parse_file_size("20").unwrap(), 20_000_000);
        assert_eq!(parse_file_size("3k").unwrap(), 3 * 1024);
        assert_eq!(parse_file_size("3K").unwrap(), 3 * 1024);
        assert_eq!(parse_file_size("2kb").unwrap(), 2048);
        assert_eq!(parse_file_size("2m").unwrap(), 2 << 20);
        assert_eq!(parse_file_size("2MB").unwrap(), 2 << 20);
        assert_eq!(parse_file_size("1g").unwrap(), 1 << 30);
        assert_eq!(parse_file_size("1Gb").unwrap(), 1 << 30);
        for bad in ["", "0", "k", "1x", "1kk", "-1", "1 k", "1.5"] {
            assert_eq!(
                parse_file_size(bad).unwrap_err().to_string(),
                format!("invalid file size {bad}")
            );
        }
        assert!(
            parse_file_size("99999999999999g")
                .unwrap_err()
                .to_string()
                .contains("too large")
        );
    }

    #[test]
    fn names_as_tcpdump_makes_them() {
        // -C alone: NAME, NAME1, NAME2 ...
        assert_eq!(file_name("x.pcap", None, 0, 0).unwrap(), "x.pcap");
        assert_eq!(file_name("x.pcap", None, 12, 0).unwrap(), "x.pcap12");
        // -W pads to the digits of COUNT-1.
        let w = |count| {
            Rotation {
                count: Some(count),
                ..Default::default()
            }
            .width()
        };
        assert_eq!(
            (w(1), w(2), w(10), w(11), w(100), w(101)),
            (0, 1, 1, 2, 2, 3)
        );
        assert_eq!(file_name("x", None, 0, 1).unwrap(), "x0");
        assert_eq!(file_name("x", None, 7, 2).unwrap(), "x07");
        // -G: strftime on the name (%s is the same in every time zone).
        assert_eq!(
            file_name("cap-%s-%%.pcapng", Some(1_700_000_000), 0, 0).unwrap(),
            "cap-1700000000-%.pcapng"
        );
        assert_eq!(
            file_name("cap-%s", Some(1_700_000_000), 3, 2).unwrap(),
            "cap-170000000003"
        );
        assert!(file_name("", None, 0, 0).is_err());
        assert!(file_name(&"a".repeat(5000), None, 0, 0).is_err());
    }

    #[test]
    fn flag_combinations_tcpdump_refuses() {
        let f = Flags {
            file_size: Some("1".into()),
            ..Default::default()
        };
        assert_eq!(
            Rotation::from_flags(&f).unwrap_err().to_string(),
            "-C cannot be used without -w."
        );
        let f = Flags {
            rotate_seconds: Some(5),
            ..Default::default()
        };
        assert_eq!(
            Rotation::from_flags(&f).unwrap_err().to_string(),
            "-G cannot be used without -w."
        );
        let mut f = flags("x");
        f.postrotate_command = Some("gzip".into());
        assert_eq!(
            Rotation::from_flags(&f).unwrap_err().to_string(),
            "-z cannot be used without -w and (-C or -G)."
        );
        let mut f = flags("x");
        f.file_count = Some(0);
        assert!(Rotation::from_flags(&f).is_err());
        // -W alone is accepted and does nothing, as in tcpdump; -G 0 is no rotation.
        let mut f = flags("x");
        f.file_count = Some(3);
        f.rotate_seconds = Some(0);
        assert!(!Rotation::from_flags(&f).unwrap().rotates());
    }

    #[test]
    fn size_rotation_repeats_headers_and_loses_nothing() {
        let d = TempDir::new("size");
        let base = d.path("x.pcapng");
        let mut f = flags(&base);
        f.file_size = Some("2k".into());
        let mut s = Sink::create(&f, &base, &Context::default(), PcapLink::Native).unwrap();
        write_packets(&mut s, 100, 3);
        s.finish(&[IfStats {
            ifname: "lo".into(),
            linktype: 1,
            received: 50,
            dropped: 0,
        }])
        .unwrap();
        let names = d.names();
        assert!(names.len() > 5, "{names:?}");
        let mut all = Vec::new();
        for (i, _) in names.iter().enumerate() {
            let name = if i == 0 {
                "x.pcapng".to_string()
            } else {
                format!("x.pcapng{i}")
            };
            assert!(names.contains(&name), "{name} missing in {names:?}");
            let path = d.path(&name);
            let (nums, ifs, anns) = read_all(&path);
            assert!(!nums.is_empty(), "{name} is empty");
            // Every file names its interfaces itself, and carries the process comments.
            for ((n, ifname), ann) in nums.iter().zip(&ifs).zip(&anns) {
                assert_eq!(ifname, if n % 2 == 0 { "veth0" } else { "lo" });
                let want = Annotation {
                    ifname: Some(ifname.clone()),
                    ..annotation(1000 + n % 3)
                };
                assert_eq!(*ann, want);
            }
            // A file is closed once it is larger than 2 KiB, not before.
            let len = std::fs::metadata(&path).unwrap().len();
            if i + 1 < names.len() {
                assert!(len > 2048, "{name}: {len} bytes");
            }
            all.extend(nums);
        }
        assert_eq!(all, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn tls_secrets_are_repeated_in_every_rotated_file() {
        let d = TempDir::new("dsb");
        let base = d.path("k.pcapng");
        let mut f = flags(&base);
        f.file_size = Some("1k".into());
        f.embed_keylog = true;
        let mut s = Sink::create(&f, &base, &Context::default(), PcapLink::Native).unwrap();
        s.write_keylog("CLIENT_RANDOM 00 11\n").unwrap();
        write_packets(&mut s, 30, 1);
        s.finish(&[]).unwrap();
        let names = d.names();
        assert!(names.len() >= 3, "{names:?}");
        let mut total = 0;
        for n in &names {
            let f = std::fs::read(d.path(n)).unwrap();
            let mut r = Reader::new(&f[..], Precision::Nano).unwrap();
            while r.next_packet().unwrap().is_some() {
                total += 1;
            }
            let secrets = r.decryption_secrets();
            assert_eq!(secrets.len(), 1, "{n}");
            assert_eq!(secrets[0].data, b"CLIENT_RANDOM 00 11\n");
        }
        assert_eq!(total, 30);
    }

    #[test]
    fn ring_of_files_wraps_around() {
        let d = TempDir::new("ring");
        let base = d.path("r.pcap");
        let mut f = flags(&base);
        f.file_size = Some("1k".into());
        f.file_count = Some(3);
        let mut s = Sink::create(&f, &base, &Context::default(), PcapLink::Native).unwrap();
        write_packets(&mut s, 200, 1);
        s.finish(&[]).unwrap();
        assert_eq!(d.names(), ["r.pcap0", "r.pcap1", "r.pcap2"]);
        // The newest packets are all there, in order, across the ring.
        let mut files: Vec<Vec<u32>> = d.names().iter().map(|n| read_all(&d.path(n)).0).collect();
        files.sort_by_key(|v| v[0]);
        let kept: Vec<u32> = files.concat();
        assert_eq!(*kept.last().unwrap(), 199);
        assert!(kept.windows(2).all(|w| w[1] == w[0] + 1), "{kept:?}");
        // Classic pcap: each file has its own header with the packets' link type.
        for n in d.names() {
            let f = std::fs::read(d.path(&n)).unwrap();
            let r = Reader::new(&f[..], Precision::Nano).unwrap();
            assert_eq!((r.linktype(), r.snaplen()), (1, 262_144));
        }
    }

    /// An Ethernet frame and a raw IP packet (a tun device) of the same ICMP echo, `i` in its
    /// sequence number.
    fn mixed_packet(i: u16) -> (u32, &'static str, Vec<u8>) {
        let mut ip = vec![
            0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2, 8, 0, 0, 0, 0, 7,
        ];
        ip.extend_from_slice(&i.to_be_bytes());
        if i.is_multiple_of(2) {
            let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
            f.extend_from_slice(&ip);
            (1, "veth0", f)
        } else {
            (101, "tun0", ip)
        }
    }

    fn write_mixed(sink: &mut Sink, n: u16) {
        for i in 0..n {
            let (linktype, ifname, data) = mixed_packet(i);
            let ann = Annotation {
                ifname: Some(ifname.into()),
                direction: Some(Direction::Out),
                ..annotation(1000)
            };
            sink.write(
                &PacketMeta {
                    ts_ns: 1_700_000_000_000_000_000 + u64::from(i),
                    linktype,
                    ifname,
                    annotation: &ann,
                    device: crate::sll2::Device {
                        ifindex: 3 + linktype,
                        hatype: if linktype == 1 { 1 } else { 0xfffe },
                        hwaddr: [2, 0, 0, 0, 0, 1],
                    },
                    source: 0,
                },
                &data,
                data.len() as u32,
            )
            .unwrap();
        }
    }

    /// tcpdump's text for one packet (timestamp and link-layer prefix cut off).
    fn text(linktype: u32, data: &[u8]) -> String {
        let mut p = ptcpdump_print::Printer::new(ptcpdump_print::PrintOptions {
            ts_format: ptcpdump_print::TsFormat::None,
            ..Default::default()
        });
        let mut out = String::new();
        p.print(
            &mut out,
            &ptcpdump_print::PacketInfo {
                linktype,
                caplen: data.len() as u32,
                len: data.len() as u32,
                data,
                ..Default::default()
            },
        );
        out[out.find("IP ").unwrap()..].to_string()
    }

    #[test]
    fn pcap_of_mixed_link_types_is_cooked_and_decodes_the_same() {
        let d = TempDir::new("sll2");
        let path = d.path("m.pcap");
        let mut s =
            Sink::create(&flags(&path), &path, &Context::default(), PcapLink::Cooked).unwrap();
        assert!(s.cooked_pcap());
        write_mixed(&mut s, 6);
        s.finish(&[]).unwrap();
        let f = std::fs::read(&path).unwrap();
        let mut r = Reader::new(&f[..], Precision::Nano).unwrap();
        assert_eq!(r.linktype(), crate::sll2::LINKTYPE_LINUX_SLL2);
        let mut i = 0;
        while let Some(p) = r.next_packet().unwrap() {
            let (linktype, _, orig) = mixed_packet(i);
            assert_eq!(p.linktype, 276);
            // Outgoing, the interface's index and type; the same IP packet behind the header.
            assert_eq!(p.data[10], 4, "packet type");
            assert_eq!(
                u32::from_be_bytes(p.data[4..8].try_into().unwrap()),
                3 + linktype
            );
            assert_eq!(text(276, p.data), text(linktype, &orig));
            let strip = if linktype == 1 { 14 } else { 0 };
            assert_eq!(p.len as usize, orig.len() - strip + 20);
            i += 1;
        }
        assert_eq!(i, 6);
    }

    #[test]
    fn pcapng_keeps_each_interfaces_link_type() {
        let d = TempDir::new("mixedng");
        let path = d.path("m.pcapng");
        let mut s =
            Sink::create(&flags(&path), &path, &Context::default(), PcapLink::Cooked).unwrap();
        assert!(!s.cooked_pcap());
        write_mixed(&mut s, 6);
        s.finish(&[]).unwrap();
        let f = std::fs::read(&path).unwrap();
        let mut r = Reader::new(&f[..], Precision::Nano).unwrap();
        let mut i = 0;
        while let Some(p) = r.next_packet().unwrap() {
            let (linktype, ifname, orig) = mixed_packet(i);
            assert_eq!(
                (p.linktype, p.if_name, p.data),
                (linktype, Some(ifname), &orig[..])
            );
            i += 1;
        }
        assert_eq!(i, 6);
    }

    #[test]
    fn native_pcap_counts_what_it_cannot_hold() {
        let d = TempDir::new("native");
        let path = d.path("n.pcap");
        let mut s =
            Sink::create(&flags(&path), &path, &Context::default(), PcapLink::Native).unwrap();
        write_mixed(&mut s, 5);
        assert_eq!(s.files.not_written, [(101, 2)]);
        s.finish(&[]).unwrap();
        // Only the Ethernet frames (the first packet's link type), in order.
        let f = std::fs::read(&path).unwrap();
        let mut r = Reader::new(&f[..], Precision::Nano).unwrap();
        let mut fracs = Vec::new();
        while let Some(p) = r.next_packet().unwrap() {
            assert_eq!((p.linktype, p.data.len()), (1, 42));
            fracs.push(p.ts_frac);
        }
        assert_eq!(fracs, [0, 2, 4]);
    }

    #[test]
    fn link_choice_for_a_capture() {
        assert_eq!(PcapLink::for_interfaces(false, [1, 1, 1]), PcapLink::Native);
        assert_eq!(PcapLink::for_interfaces(false, []), PcapLink::Native);
        assert_eq!(PcapLink::for_interfaces(false, [1, 101]), PcapLink::Cooked);
        assert_eq!(PcapLink::for_interfaces(true, [1]), PcapLink::Cooked);
    }

    #[test]
    fn many_processes_get_their_own_comments() {
        // More processes than cache slots, interleaved: each packet keeps its own process.
        let d = TempDir::new("procs");
        let base = d.path("p.pcapng");
        let mut s =
            Sink::create(&flags(&base), &base, &Context::default(), PcapLink::Native).unwrap();
        write_packets(&mut s, 300, COMMENT_SLOTS as u32 * 2 + 3);
        s.finish(&[]).unwrap();
        let (nums, ifs, anns) = read_all(&base);
        assert_eq!(nums.len(), 300);
        for ((n, ifname), ann) in nums.iter().zip(&ifs).zip(&anns) {
            let want = Annotation {
                ifname: Some(ifname.clone()),
                ..annotation(1000 + n % (COMMENT_SLOTS as u32 * 2 + 3))
            };
            assert_eq!(*ann, want);
        }
    }

    #[test]
    fn time_rotation_with_count_stops_after_the_last_file() {
        let d = TempDir::new("time");
        let base = d.path("t-%s.pcapng");
        let mut f = flags(&base);
        f.rotate_seconds = Some(1);
        f.file_count = Some(2);
        let next_second = || {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            std::thread::sleep(std::time::Duration::from_nanos(
                1_000_000_000 - u64::from(now.subsec_nanos()) + 10_000_000,
            ));
        };
        let mut s = Sink::create(&f, &base, &Context::default(), PcapLink::Native).unwrap();
        next_second();
        write_packets(&mut s, 1, 1);
        assert!(!s.limit_reached());
        next_second();
        write_packets(&mut s, 1, 1);
        assert!(s.limit_reached());
        s.finish(&[]).unwrap();
        // The first file (opened at start) was empty, the second holds one packet.
        let names = d.names();
        assert_eq!(names.len(), 2, "{names:?}");
        let counts: Vec<usize> = names.iter().map(|n| read_all(&d.path(n)).0.len()).collect();
        assert_eq!(counts.iter().sum::<usize>(), 1, "{names:?} {counts:?}");
        assert!(
            names
                .iter()
                .all(|n| n.starts_with("t-1") && !n.contains('%'))
        );
    }

    #[test]
    fn postrotate_command_gets_each_closed_file() {
        let d = TempDir::new("z");
        let log = d.path("log");
        let script = d.path("record.sh");
        std::fs::write(&script, format!("#!/bin/sh\necho \"$1\" >> {log}\n")).unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let base = d.path("z.pcapng");
        let mut f = flags(&base);
        f.file_size = Some("1k".into());
        f.postrotate_command = Some(script.clone());
        let mut s = Sink::create(&f, &base, &Context::default(), PcapLink::Native).unwrap();
        write_packets(&mut s, 40, 1);
        s.finish(&[]).unwrap();
        let files = d
            .names()
            .iter()
            .filter(|n| n.starts_with("z.pcapng"))
            .count();
        assert!(files >= 3);
        let mut got = String::new();
        for _ in 0..100 {
            got = std::fs::read_to_string(&log).unwrap_or_default();
            if got.lines().count() == files - 1 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // Every file but the last one, by its full name (tcpdump leaves the last one alone).
        let mut lines: Vec<&str> = got.lines().collect();
        lines.sort();
        let mut want: Vec<String> = (0..files - 1)
            .map(|i| {
                if i == 0 {
                    base.clone()
                } else {
                    format!("{base}{i}")
                }
            })
            .collect();
        want.sort();
        assert_eq!(lines, want);
    }
}
