//! tcpdump-compatible packet printers.
//!
//! This crate turns captured packets into exactly the text tcpdump 4.99.3 prints for them
//! (`tcpdump -n -r FILE [flags]`). It owns the per-packet frame (packet number, timestamp,
//! link-layer dispatch, truncation marker, hex/ASCII dumps) and one module per protocol under
//! [`proto`]. It never touches stdout, files or the kernel: [`Printer::print`] appends to a
//! `String` that the caller writes out and flushes as it sees fit.
//!
//! ```
//! use ptcpdump_print::{PacketInfo, PrintOptions, Printer};
//! let mut p = Printer::new(PrintOptions { utc: true, ..Default::default() });
//! let mut out = String::new();
//! // A raw IPv4 packet (LINKTYPE_RAW) with no payload, protocol 253.
//! let data = [0x45, 0, 0, 20, 0, 1, 0, 0, 64, 253, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
//! p.print(&mut out, &PacketInfo { ts_sec: 0, ts_frac: 0, linktype: 101, caplen: 20, len: 20,
//!                                 data: &data, ..Default::default() });
//! assert_eq!(out, "00:00:00.000000 IP 10.0.0.1 > 10.0.0.2:  ip-proto-253 0\n");
//! ```

pub mod addr;
pub mod cursor;
pub mod dlt;
pub mod dump;
pub mod proto;
pub mod ts;

use proto::{Ctx, State};

/// How timestamps are printed (tcpdump's `-t` count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TsFormat {
    /// `HH:MM:SS.frac`, local time (no `-t`).
    #[default]
    Default,
    /// No timestamp (`-t`).
    None,
    /// Seconds since the epoch (`-tt`).
    Epoch,
    /// Delta since the previous packet (`-ttt`).
    DeltaPrev,
    /// Date and time (`-tttt`).
    Date,
    /// Delta since the first packet (`-ttttt`).
    DeltaFirst,
}

/// Output flags, named after tcpdump's options.
#[derive(Clone, Debug, Default)]
pub struct PrintOptions {
    /// `-v` count.
    pub verbose: u8,
    /// `-q`.
    pub quiet: bool,
    /// `-e`.
    pub link_header: bool,
    /// `-S`.
    pub absolute_seq: bool,
    /// `-x` count (1: without link header, 2: with).
    pub hex: u8,
    /// `-X` count.
    pub hex_ascii: u8,
    /// `-A` count.
    pub ascii: u8,
    /// `-n` count. Names are never resolved; kept for fidelity.
    pub numeric: u8,
    /// `-t` count.
    pub ts_format: TsFormat,
    /// Timestamps carry nanoseconds (`--nano`): 9 fraction digits.
    pub nano: bool,
    /// `-#`.
    pub number: bool,
    /// Snapshot length of the capture (informational).
    pub snaplen: u32,
    /// Print UTC instead of local time (ptcpdump's `--utc-time`).
    pub utc: bool,
    /// `-K`: do not verify IP, TCP and UDP checksums.
    pub no_checksum: bool,
    /// `-T TYPE`: decode UDP/TCP payloads (and IP protocol 112) as this protocol whatever the
    /// ports; see [`proto::udp_packettype_print`] and [`proto::tcp_packettype_print`].
    pub packet_type: Option<PacketType>,
    /// `-b`: BGP AS numbers above 65535 in ASDOT notation (`1.10`), not ASPLAIN (`65546`).
    pub asdot: bool,
    /// `-H`: look for an 802.11s mesh control field after the header of QoS data frames.
    pub mesh_headers: bool,
    /// `-M`: the TCP-MD5 (RFC 2385) shared secret to check signatures with.
    pub tcp_md5_secret: Option<String>,
    /// `-E`: the ESP and IKEv2 secrets to decrypt with.
    pub esp_secrets: proto::esp::Secrets,
    /// ptcpdump's `--oneline` (the original ptcpdump's): the packet's lines, and the caller's
    /// suffix and extra lines, each trimmed and joined by `", "` into one line; a `-x`/`-X`/`-A`
    /// dump still follows on its own lines.
    pub oneline: bool,
}

/// tcpdump's `-T` packet types (`ndo_packettype`, the `PT_*` values of netdissect.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketType {
    Vat,
    Wb,
    Rpc,
    Rtp,
    Rtcp,
    Snmp,
    Cnfp,
    Tftp,
    Aodv,
    Carp,
    Radius,
    Zmtp1,
    Vxlan,
    Pgm,
    PgmZmtp1,
    Lmp,
    Resp,
    Ptp,
    Someip,
    Domain,
}

impl PacketType {
    /// The names `-T` accepts, as tcpdump 4.99.3 spells them.
    pub const NAMES: &'static [(&'static str, PacketType)] = &[
        ("vat", PacketType::Vat),
        ("wb", PacketType::Wb),
        ("rpc", PacketType::Rpc),
        ("rtp", PacketType::Rtp),
        ("rtcp", PacketType::Rtcp),
        ("snmp", PacketType::Snmp),
        ("cnfp", PacketType::Cnfp),
        ("tftp", PacketType::Tftp),
        ("aodv", PacketType::Aodv),
        ("carp", PacketType::Carp),
        ("radius", PacketType::Radius),
        ("zmtp1", PacketType::Zmtp1),
        ("vxlan", PacketType::Vxlan),
        ("pgm", PacketType::Pgm),
        ("pgm_zmtp1", PacketType::PgmZmtp1),
        ("lmp", PacketType::Lmp),
        ("resp", PacketType::Resp),
        ("ptp", PacketType::Ptp),
        ("someip", PacketType::Someip),
        ("domain", PacketType::Domain),
    ];

    /// The type named `name`, compared without regard to ASCII case as tcpdump does.
    pub fn from_name(name: &str) -> Option<PacketType> {
        Self::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, t)| *t)
    }
}

/// What the caller knows about one packet.
#[derive(Clone, Copy, Debug, Default)]
pub struct PacketInfo<'a> {
    /// Seconds since the epoch, as the file stores them.
    pub ts_sec: u64,
    /// Fraction: microseconds, or nanoseconds when [`PrintOptions::nano`].
    pub ts_frac: u32,
    /// LINKTYPE_* value of the packet's interface.
    pub linktype: u32,
    /// Captured length.
    pub caplen: u32,
    /// Original length on the wire.
    pub len: u32,
    /// Captured bytes (only the first `caplen` are used).
    pub data: &'a [u8],
    /// ptcpdump: inserted right after the timestamp, e.g. `"lo curl.123 Out "`.
    pub prefix: &'a str,
    /// ptcpdump: appended to the end of the packet's text, e.g. `", ParentProc [sh.1]"`.
    pub suffix: &'a str,
    /// ptcpdump: extra lines (each ending in `'\n'`) printed after the text and before any
    /// `-x`/`-X`/`-A` dump.
    pub extra: &'a str,
}

/// libpcap's MAXIMUM_SNAPLEN: bigger caplen/len values make tcpdump reject the header.
const MAXIMUM_SNAPLEN: u32 = 262_144;

/// Prints packets one after the other, keeping tcpdump's cross-packet state.
pub struct Printer {
    opts: PrintOptions,
    state: State,
    count: u64,
    ts: ts::TsState,
    /// Reused by `--oneline` (no allocation per packet once warm).
    joined: String,
}

impl Printer {
    pub fn new(opts: PrintOptions) -> Self {
        Printer {
            opts,
            state: State::default(),
            count: 0,
            ts: ts::TsState::default(),
            joined: String::new(),
        }
    }

    pub fn options(&self) -> &PrintOptions {
        &self.opts
    }

    /// Appends exactly what tcpdump prints for this packet (timestamp, text, dumps, final '\n').
    pub fn print(&mut self, out: &mut String, pkt: &PacketInfo<'_>) {
        use std::fmt::Write;
        self.count += 1;
        if self.opts.number {
            let _ = write!(out, "{:5}  ", self.count as u32);
        }
        if header_invalid(out, pkt) {
            return;
        }
        let text_start = out.len();
        ts::ts_print(out, &self.opts, &mut self.ts, pkt.ts_sec, pkt.ts_frac);
        out.push_str(pkt.prefix);

        let caplen = (pkt.caplen as usize).min(pkt.data.len());
        let data = &pkt.data[..caplen];
        let mut ctx = Ctx::new(out, &self.opts, &mut self.state);
        let hdrlen = match proto::link_print(&mut ctx, pkt.linktype, data, pkt.len) {
            Ok(n) => n as usize,
            Err(_) => {
                ctx.print_trunc();
                0
            }
        };
        out.push_str(pkt.suffix);
        if !pkt.extra.is_empty() {
            out.push('\n');
            out.push_str(pkt.extra.strip_suffix('\n').unwrap_or(pkt.extra));
        }
        if self.opts.oneline {
            join_lines(out, text_start, &mut self.joined);
        }

        let o = &self.opts;
        let body = data.get(hdrlen..).unwrap_or(&[]);
        if o.hex_ascii > 0 {
            if o.hex_ascii > 1 {
                dump::hex_and_ascii(out, "\n\t", data, 0);
            } else if !body.is_empty() {
                dump::hex_and_ascii(out, "\n\t", body, 0);
            }
        } else if o.hex > 0 {
            if o.hex > 1 {
                dump::hex(out, "\n\t", data, 0);
            } else if !body.is_empty() {
                dump::hex(out, "\n\t", body, 0);
            }
        } else if o.ascii > 0 {
            if o.ascii > 1 {
                dump::ascii(out, data);
            } else if !body.is_empty() {
                dump::ascii(out, body);
            }
        }
        out.push('\n');
    }
}

/// `--oneline`: the text from `start` on, its lines trimmed, empty ones dropped, joined by
/// `", "` (what the original ptcpdump does to a record before printing it).
fn join_lines(out: &mut String, start: usize, joined: &mut String) {
    joined.clear();
    for line in out[start..].split('\n') {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push_str(", ");
        }
        joined.push_str(line);
    }
    out.truncate(start);
    out.push_str(joined);
}

/// tcpdump's sanity checks on the record header; prints the complaint and returns true when
/// the packet must not be decoded.
fn header_invalid(out: &mut String, pkt: &PacketInfo<'_>) -> bool {
    use std::fmt::Write;
    let mut invalid = false;
    let mut open = |out: &mut String| {
        out.push_str(if invalid { "," } else { "[Invalid header:" });
        invalid = true;
    };
    if pkt.caplen == 0 {
        open(out);
        out.push_str(" caplen==0");
    }
    if pkt.len == 0 {
        open(out);
        out.push_str(" len==0");
    } else if pkt.len < pkt.caplen {
        open(out);
        let _ = write!(out, " len({}) < caplen({})", pkt.len, pkt.caplen);
    }
    if pkt.caplen > MAXIMUM_SNAPLEN {
        open(out);
        let _ = write!(out, " caplen({}) > {}", pkt.caplen, MAXIMUM_SNAPLEN);
    }
    if pkt.len > MAXIMUM_SNAPLEN {
        open(out);
        let _ = write!(out, " len({}) > {}", pkt.len, MAXIMUM_SNAPLEN);
    }
    if invalid {
        out.push_str("]\n");
    }
    invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(opts: PrintOptions, pkts: &[PacketInfo<'_>]) -> String {
        let mut p = Printer::new(PrintOptions { utc: true, ..opts });
        let mut out = String::new();
        for pkt in pkts {
            p.print(&mut out, pkt);
        }
        out
    }

    #[test]
    fn invalid_headers_are_reported() {
        let d = [0u8; 4];
        let out = run(
            PrintOptions::default(),
            &[
                PacketInfo {
                    caplen: 0,
                    len: 0,
                    data: &d,
                    ..Default::default()
                },
                PacketInfo {
                    caplen: 4,
                    len: 2,
                    data: &d,
                    ..Default::default()
                },
            ],
        );
        assert_eq!(
            out,
            "[Invalid header: caplen==0, len==0]\n[Invalid header: len(2) < caplen(4)]\n"
        );
    }

    #[test]
    fn unsupported_link_type_dumps_the_packet() {
        let d = [1u8, 2, 3];
        let pkt = PacketInfo {
            linktype: 147,
            caplen: 3,
            len: 3,
            data: &d,
            ..Default::default()
        };
        let out = run(
            PrintOptions {
                ts_format: TsFormat::None,
                ..Default::default()
            },
            &[pkt],
        );
        assert_eq!(
            out,
            "UNSUPPORTED\n\t0x0000:  0102 03                                  ...\n"
        );
    }

    #[test]
    fn oneline_joins_the_lines_before_the_dump() {
        // IPv4 + UDP 1 -> 2 with 2 payload bytes; -v prints it on two lines.
        let data = [
            0x45, 0, 0, 30, 0, 1, 0, 0, 64, 17, 0x66, 0xcb, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 2,
            0, 10, 0, 0, b'h', b'i',
        ];
        let pkt = PacketInfo {
            linktype: 101,
            caplen: 30,
            len: 30,
            data: &data,
            prefix: "tun0 Out ",
            suffix: "",
            extra: "    Process (pid 1, cmd /bin/x, args x)\n    User (uid 0)\n",
            ..Default::default()
        };
        let opts = |oneline| PrintOptions {
            verbose: 1,
            hex_ascii: 1,
            number: true,
            no_checksum: true,
            oneline,
            ..Default::default()
        };
        let lines = run(opts(false), &[pkt]);
        let joined = run(opts(true), &[pkt]);
        let (text, dump) = lines.split_at(lines.find("\n\t0x0000").unwrap());
        // Without --oneline: tcpdump's two lines, then ptcpdump's, then the dump.
        assert_eq!(text.lines().count(), 4, "{lines}");
        let want = format!(
            "    1  {}{dump}",
            text.strip_prefix("    1  ")
                .unwrap()
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(joined, want);
        assert!(joined.starts_with("    1  00:00:00.000000 tun0 Out IP (tos 0x0, ttl 64"));
        assert!(
            joined.contains("length 30), 10.0.0.1.1 > 10.0.0.2.2: UDP, length 2, Process (pid 1")
        );
        assert_eq!(joined.lines().filter(|l| !l.starts_with('\t')).count(), 1);
    }

    #[test]
    fn packet_number_prefix_and_suffix() {
        let data = [
            0x45, 0, 0, 20, 0, 1, 0, 0, 64, 253, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        let pkt = PacketInfo {
            linktype: 101,
            caplen: 20,
            len: 20,
            data: &data,
            prefix: "lo x.1 Out ",
            suffix: ", ParentProc [sh.1]",
            extra: "    Process (pid 1)\n",
            ..Default::default()
        };
        let out = run(
            PrintOptions {
                number: true,
                ..Default::default()
            },
            &[pkt],
        );
        assert_eq!(
            out,
            "    1  00:00:00.000000 lo x.1 Out IP 10.0.0.1 > 10.0.0.2:  ip-proto-253 0, \
             ParentProc [sh.1]\n    Process (pid 1)\n"
        );
    }
}
