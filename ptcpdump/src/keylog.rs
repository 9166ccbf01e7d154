//! TLS key log of captured Go programs (`--write-keylog-file PATH` or `$SSLKEYLOGFILE`,
//! `--embed-keylog-to-pcapng`).
//!
//! Owns: choosing the executables to probe (the `-- CMD` binary, `/proc/PID/exe` of each
//! `--pid` and `--pname` process, programs that selected processes execute later), attaching
//! the `ptcpdump_go_keylog` uprobe to them (at the file offset of
//! `crypto/tls.(*Config).writeKeyLog` found by `ptcpdump-gotls`), turning the kernel's
//! `KeylogEvent`s into NSS key log lines, writing those to the file and handing them to the
//! pcapng writer, and the short hold of packets that lets their Decryption Secrets Blocks go
//! first. It must not parse packets. The kernel program only reports selected processes
//! (`FILTER_PIDS`), so a shared executable does not leak other processes' keys.
use std::{
    collections::{HashSet, VecDeque},
    fmt::Write as _,
    fs::{File, OpenOptions},
    io::Write as _,
    os::unix::fs::{MetadataExt as _, PermissionsExt as _},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context as _, Result};
use aya::{
    Ebpf,
    programs::{UProbe, uprobe::UProbeScope},
};
use ptcpdump_common::{KEYLOG_LABEL_LEN, KEYLOG_RANDOM_LEN, KEYLOG_SECRET_LEN, KeylogEvent};

use crate::{flags::Flags, write::Sink};

const PROGRAM: &str = "ptcpdump_go_keylog";

/// The pcapng Decryption Secrets Block type of an NSS key log (`TLSK`).
pub const SECRETS_TYPE_TLS: u32 = 0x544c_534b;

pub struct KeyLog {
    file: Option<(String, File)>,
    embed: bool,
    loaded: bool,
    /// Executables already probed, by (device, inode).
    probed: HashSet<(u64, u64)>,
    /// Executables that cannot be probed (not Go, no crypto/tls ...), not read again.
    rejected: HashSet<(u64, u64)>,
}

impl KeyLog {
    /// The key log the flags ask for, probes attached; `None` when no key log was asked for.
    /// Call after the eBPF object is loaded and before the command is let go.
    pub fn start(flags: &Flags, ebpf: &mut Ebpf) -> Result<Option<KeyLog>> {
        let path = flags.keylog_file.clone().or_else(|| {
            std::env::var("SSLKEYLOGFILE")
                .ok()
                .filter(|p| !p.is_empty())
        });
        let embed = flags.embed_keylog && embeddable(flags);
        if path.is_none() && !embed {
            return Ok(None);
        }
        let file = match path {
            Some(p) => {
                // Appended to, as every program that honours SSLKEYLOGFILE does.
                let f = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&p)
                    .map_err(|e| anyhow::anyhow!("{p}: {}", crate::errno_text(&e)))?;
                Some((p, f))
            }
            None => None,
        };
        let mut k = KeyLog {
            file,
            embed,
            loaded: false,
            probed: HashSet::new(),
            rejected: HashSet::new(),
        };
        let mut targets: Vec<(String, PathBuf)> = Vec::new();
        if let Some(cmd) = flags.command.first() {
            match resolve_command(cmd) {
                Some(p) => targets.push((cmd.clone(), p)),
                None => log::warn!("{cmd}: not found: no TLS key log for it"),
            }
        }
        let mut pids = flags.pids.clone();
        if let Some(pname) = &flags.pname {
            // The kernel compares comm, at most 15 bytes; later processes come through on_exec.
            let mut end = pname.len().min(15);
            while !pname.is_char_boundary(end) {
                end -= 1;
            }
            for p in ptcpdump_meta::process::scan_processes() {
                let comm =
                    std::fs::read_to_string(format!("/proc/{}/comm", p.pid)).unwrap_or_default();
                if comm.trim_end() == &pname[..end] && p.pid != std::process::id() {
                    pids.push(p.pid);
                }
            }
        }
        for pid in pids {
            targets.push((
                format!("pid {pid}"),
                PathBuf::from(format!("/proc/{pid}/exe")),
            ));
        }
        if targets.is_empty() && flags.pname.is_none() {
            log::warn!(
                "the TLS key log needs a program to watch: give -- COMMAND, --pid PID or --pname NAME"
            );
        }
        for (name, path) in targets {
            k.probe(ebpf, &name, &path, false);
        }
        Ok(Some(k))
    }

    /// A selected process (`-- CMD`'s descendants, `--pid`) executed a new program: probe it too
    /// (best effort: the program already runs, so a handshake in its first milliseconds can be
    /// missed). Programs that are not Go are common here (shells) and are only logged at debug
    /// level.
    pub fn on_exec(&mut self, ebpf: &mut Ebpf, pid: u32) {
        let path = PathBuf::from(format!("/proc/{pid}/exe"));
        let name = std::fs::read_link(&path)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| format!("pid {pid}"));
        self.probe(ebpf, &name, &path, true);
    }

    /// Probes one executable; every failure is said once (at debug level when `quiet`) and
    /// capture goes on.
    fn probe(&mut self, ebpf: &mut Ebpf, name: &str, path: &Path, quiet: bool) {
        let id = match std::fs::metadata(path) {
            Ok(m) => (m.dev(), m.ino()),
            Err(e) => {
                let why = format!("{name}: {}: no TLS key log for it", crate::errno_text(&e));
                if quiet {
                    log::debug!("{why}")
                } else {
                    log::warn!("{why}")
                }
                return;
            }
        };
        if self.probed.contains(&id) || self.rejected.contains(&id) {
            return;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                log::warn!("{name}: {}: no TLS key log for it", crate::errno_text(&e));
                return;
            }
        };
        let loc = match ptcpdump_gotls::locate_write_key_log(&bytes) {
            Ok(l) => l,
            Err(e) => {
                let why = match e {
                    ptcpdump_gotls::Error::NotElf | ptcpdump_gotls::Error::NotGo => {
                        "not a Go program: TLS keys are logged for Go programs only".to_string()
                    }
                    ptcpdump_gotls::Error::FunctionMissing { .. } => {
                        "Go program without crypto/tls: it has no TLS keys to log".to_string()
                    }
                    other => format!("{other}: no TLS key log for it"),
                };
                if quiet {
                    log::debug!("{name}: {why}");
                } else {
                    log::warn!("{name}: {why}");
                }
                self.rejected.insert(id);
                return;
            }
        };
        if loc.arch != host_arch() {
            log::warn!("{name}: built for {:?}: no TLS key log for it", loc.arch);
            return;
        }
        let r: Result<()> = (|| {
            let prog: &mut UProbe = ebpf
                .program_mut(PROGRAM)
                .context("uprobe program missing")?
                .try_into()?;
            if !self.loaded {
                prog.load()?;
                self.loaded = true;
            }
            // Any process of this file may hit the probe; the program keeps selected ones.
            prog.attach(loc.file_offset, path, UProbeScope::AllProcesses)?;
            Ok(())
        })();
        match r {
            Ok(()) => {
                self.probed.insert(id);
                log::info!(
                    "{name}: TLS key log probe at {:#x} (found in the {}, {})",
                    loc.vaddr,
                    match loc.source {
                        ptcpdump_gotls::Source::Symtab => "symbol table",
                        ptcpdump_gotls::Source::Pclntab => "Go function table",
                    },
                    loc.go_version.as_deref().unwrap_or("unknown Go version")
                );
            }
            Err(e) => log::warn!(
                "{name}: cannot attach the TLS key log uprobe ({e:#}): no TLS key log for it"
            ),
        }
    }

    /// One record of kind `EVENT_KEYLOG` from the ring buffer.
    pub fn on_event(&mut self, bytes: &[u8], sink: Option<&mut Sink>) {
        if bytes.len() < size_of::<KeylogEvent>() {
            return;
        }
        // SAFETY: the kernel wrote a KeylogEvent; read it unaligned.
        let ev: KeylogEvent = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast()) };
        let Some(line) = nss_line(&ev) else {
            log::debug!(
                "pid {}: key log record with unexpected sizes dropped",
                ev.pid
            );
            return;
        };
        if let Some((path, f)) = &mut self.file
            && let Err(e) = f.write_all(line.as_bytes())
        {
            log::warn!(
                "{path}: {}: key log no longer written",
                crate::errno_text(&e)
            );
            self.file = None;
        }
        if self.embed
            && let Some(s) = sink
            && let Err(e) = s.write_keylog(&line)
        {
            log::warn!("{e:#}: keys are no longer embedded");
            self.embed = false;
        }
    }
}

/// A packet kept back from the pcapng file (see `PacketHold`).
pub struct HeldPacket {
    pub iface: u32,
    pub ts_ns: u64,
    pub data: Vec<u8>,
    pub len: u32,
    pub flags: Option<u32>,
    pub comments: Vec<String>,
}

/// Packets wait here for `PacketHold::DELAY` before they are written, so that key log lines
/// arriving meanwhile are written before them. Needed because a TLS 1.3 client derives its
/// handshake secrets only after the server's first flight (ServerHello and the encrypted
/// handshake) has been captured, and Wireshark must know the secrets when it reads that flight.
#[derive(Default)]
pub struct PacketHold {
    queue: VecDeque<(Instant, HeldPacket)>,
    bytes: usize,
}

impl PacketHold {
    pub const DELAY: Duration = Duration::from_secs(1);
    /// Beyond this, the oldest packets go out early: memory stays bounded at high rates.
    pub const MAX_BYTES: usize = 64 << 20;

    pub fn push(&mut self, p: HeldPacket) {
        self.bytes += p.data.len();
        self.queue.push_back((Instant::now(), p));
    }

    /// The oldest packet, if it has waited long enough (or memory is short, or `all`).
    pub fn pop_ready(&mut self, all: bool) -> Option<HeldPacket> {
        let (at, _) = self.queue.front()?;
        if all || self.bytes > Self::MAX_BYTES || at.elapsed() >= Self::DELAY {
            let (_, p) = self.queue.pop_front()?;
            self.bytes -= p.data.len();
            return Some(p);
        }
        None
    }
}

/// The output is a pcapng file (not classic pcap), which can hold secrets.
fn embeddable(flags: &Flags) -> bool {
    match &flags.write_file {
        None => {
            log::warn!("--embed-keylog-to-pcapng needs -w FILE (pcapng): keys are not embedded");
            false
        }
        Some(w) if w != "-" && w.ends_with(".pcap") => {
            log::warn!(
                "--embed-keylog-to-pcapng: {w} is a classic pcap file, which cannot hold keys: use a pcapng name"
            );
            false
        }
        Some(_) => true,
    }
}

fn host_arch() -> ptcpdump_gotls::Arch {
    if cfg!(target_arch = "aarch64") {
        ptcpdump_gotls::Arch::Aarch64
    } else {
        ptcpdump_gotls::Arch::X86_64
    }
}

/// The executable `execvp` would run for `cmd`.
fn resolve_command(cmd: &str) -> Option<PathBuf> {
    let executable = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if cmd.contains('/') {
        let p = PathBuf::from(cmd);
        return executable(&p).then(|| std::fs::canonicalize(&p).unwrap_or(p));
    }
    let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
    path.split(':')
        .map(|d| Path::new(if d.is_empty() { "." } else { d }).join(cmd))
        .find(|p| executable(p))
}

/// `LABEL <client random, hex> <secret, hex>\n`, the NSS key log format; `None` for records a
/// TLS stack cannot have produced (sizes beyond what the event holds, non-label characters).
pub fn nss_line(ev: &KeylogEvent) -> Option<String> {
    let (ll, rl, sl) = (
        ev.label_len as usize,
        ev.random_len as usize,
        ev.secret_len as usize,
    );
    if ll == 0
        || ll > KEYLOG_LABEL_LEN
        || rl != KEYLOG_RANDOM_LEN
        || sl == 0
        || sl > KEYLOG_SECRET_LEN
    {
        return None;
    }
    let label = &ev.label[..ll];
    if !label
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
    {
        return None;
    }
    let mut s = String::with_capacity(ll + 2 * (rl + sl) + 3);
    s.push_str(std::str::from_utf8(label).ok()?);
    s.push(' ');
    for b in &ev.client_random[..rl] {
        let _ = write!(s, "{b:02x}");
    }
    s.push(' ');
    for b in &ev.secret[..sl] {
        let _ = write!(s, "{b:02x}");
    }
    s.push('\n');
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(label: &str, random: &[u8], secret: &[u8]) -> KeylogEvent {
        let mut e = KeylogEvent {
            kind: ptcpdump_common::EVENT_KEYLOG,
            pid: 1,
            ts_ns: 0,
            label_len: label.len() as u32,
            random_len: random.len() as u32,
            secret_len: secret.len() as u32,
            _pad: 0,
            label: [0; KEYLOG_LABEL_LEN],
            client_random: [0; KEYLOG_RANDOM_LEN],
            secret: [0; KEYLOG_SECRET_LEN],
        };
        let n = label.len().min(KEYLOG_LABEL_LEN);
        e.label[..n].copy_from_slice(&label.as_bytes()[..n]);
        let n = random.len().min(KEYLOG_RANDOM_LEN);
        e.client_random[..n].copy_from_slice(&random[..n]);
        let n = secret.len().min(KEYLOG_SECRET_LEN);
        e.secret[..n].copy_from_slice(&secret[..n]);
        e
    }

    #[test]
    fn nss_lines() {
        let random: Vec<u8> = (0..32).collect();
        let secret: Vec<u8> = (0xd0..=0xff).collect();
        let line = nss_line(&event("CLIENT_HANDSHAKE_TRAFFIC_SECRET", &random, &secret)).unwrap();
        assert_eq!(
            line,
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
             d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\n"
        );
        // TLS 1.2: 48-byte master secret.
        let l = nss_line(&event("CLIENT_RANDOM", &random, &[0xab; 48])).unwrap();
        assert_eq!(l.split(' ').map(str::len).collect::<Vec<_>>(), [13, 64, 97]);
    }

    #[test]
    fn impossible_records_are_dropped() {
        let r = [1u8; 32];
        assert!(nss_line(&event("", &r, &[1; 32])).is_none());
        assert!(nss_line(&event("CLIENT_RANDOM", &r[..31], &[1; 48])).is_none());
        assert!(nss_line(&event("CLIENT_RANDOM", &r, &[])).is_none());
        assert!(nss_line(&event("client random", &r, &[1; 48])).is_none());
        let mut e = event("CLIENT_RANDOM", &r, &[1; 48]);
        e.secret_len = 65;
        assert!(nss_line(&e).is_none());
        e.secret_len = 48;
        e.label_len = 33;
        assert!(nss_line(&e).is_none());
    }

    fn held(n: usize) -> HeldPacket {
        HeldPacket {
            iface: 0,
            ts_ns: n as u64,
            data: vec![0; n],
            len: n as u32,
            flags: None,
            comments: Vec::new(),
        }
    }

    #[test]
    fn packets_are_held_in_order_until_released() {
        let mut h = PacketHold::default();
        h.push(held(10));
        h.push(held(20));
        assert!(h.pop_ready(false).is_none(), "released before the delay");
        assert_eq!(h.pop_ready(true).map(|p| p.ts_ns), Some(10));
        assert_eq!(h.pop_ready(true).map(|p| p.ts_ns), Some(20));
        assert!(h.pop_ready(true).is_none());
        // Over the memory budget, the oldest goes out at once.
        h.push(held(PacketHold::MAX_BYTES));
        h.push(held(1));
        assert_eq!(
            h.pop_ready(false).map(|p| p.len as usize),
            Some(PacketHold::MAX_BYTES)
        );
        assert!(h.pop_ready(false).is_none());
    }

    #[test]
    fn commands_resolve_like_execvp() {
        assert_eq!(
            resolve_command("sh").and_then(|p| p.file_name().map(|n| n.to_owned())),
            Some("sh".into())
        );
        assert!(resolve_command("/bin/sh").is_some_and(|p| p.is_absolute()));
        assert!(resolve_command("no-such-command-ptcpdump").is_none());
        assert!(resolve_command("./no-such-file").is_none());
    }
}
