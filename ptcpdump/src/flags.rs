//! Command-line flags, phase one: what the user typed. One definition per flag, with its help
//! text, following tcpdump's letters and getopt habits (`-vvv`, `-XX`, `-nn`, `-w -`, a trailing
//! filter expression, `-- CMD ARGS` for a command to run and capture).
//! Phase two (resolving interfaces, filters and writers) lives in the modes that use them.
use clap::{ArgAction, Parser, ValueEnum};

#[derive(Parser, Debug, Default)]
#[command(
    name = "ptcpdump",
    about = "Capture packets like tcpdump, and name the process, container and Pod of each one.",
    override_usage = "ptcpdump [flags] [expression] [-- command [args]]",
    disable_version_flag = true,
    max_term_width = 100
)]
pub struct Flags {
    /// Interfaces to capture (repeatable or comma-separated); `any` = every interface, including
    /// ones created while capturing
    #[arg(
        short = 'i',
        long = "interface",
        value_delimiter = ',',
        value_name = "IFACE"
    )]
    pub interfaces: Vec<String>,

    /// Exit after receiving COUNT packets
    #[arg(short = 'c', long = "receive-count", value_name = "COUNT")]
    pub count: Option<u64>,

    /// Direction of packets to capture
    #[arg(short = 'Q', long = "direction", value_enum, default_value_t = Direction::Inout)]
    pub direction: Direction,

    /// Bytes of each packet to capture (0 = 262144)
    #[arg(short = 's', long = "snapshot-length", value_name = "SNAPLEN")]
    pub snaplen: Option<u32>,

    /// Kernel buffer size in KiB (the ring buffer shared by all interfaces)
    #[arg(short = 'B', long = "buffer-size", value_name = "KIB")]
    pub buffer_size: Option<u32>,

    /// Don't convert addresses to names (ptcpdump never resolves names; accepted for tcpdump's sake)
    #[arg(short = 'n', long = "no-convert-addr", action = ArgAction::Count)]
    pub numeric: u8,

    /// Don't print domain names' qualification (ptcpdump never resolves names; accepted)
    #[arg(short = 'N', action = ArgAction::Count)]
    pub no_domain: u8,

    /// Make stdout line buffered
    #[arg(short = 'l')]
    pub line_buffered: bool,

    /// Write each packet to the output file as soon as it is captured (packet-buffered)
    #[arg(short = 'U', long = "packet-buffered")]
    pub packet_buffered: bool,

    /// List the interfaces that can be captured, then exit
    #[arg(short = 'D', long = "list-interfaces")]
    pub list_interfaces: bool,

    /// Print the version, then exit
    #[arg(long = "version")]
    pub version: bool,

    /// Install the Wireshark plugin that turns ptcpdump's pcapng comments into fields
    /// (ptcpdump.pid, ptcpdump.comm, ptcpdump.pod.name ...) into Wireshark's personal Lua plugin
    /// folder, or into DIR (`=-`: print it), then exit
    #[arg(
        long = "install-wireshark-plugin",
        value_name = "DIR",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    pub install_wireshark_plugin: Option<String>,

    /// Verbose output (repeat for more)
    #[arg(short = 'v', long = "verbose", action = ArgAction::Count)]
    pub verbose: u8,

    /// Quick output: less protocol information
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,

    /// Print the link-level header on each line
    #[arg(short = 'e')]
    pub link_header: bool,

    /// Print absolute, not relative, TCP sequence numbers
    #[arg(short = 'S', long = "absolute-tcp-sequence-numbers")]
    pub absolute_seq: bool,

    /// Print each packet in hex (-xx: with its link-level header)
    #[arg(short = 'x', long = "print-data-in-hex", action = ArgAction::Count)]
    pub hex: u8,

    /// Print each packet in hex and ASCII (-XX: with its link-level header)
    #[arg(short = 'X', long = "print-data-in-hex-ascii", action = ArgAction::Count)]
    pub hex_ascii: u8,

    /// Print each packet in ASCII (-AA: with its link-level header)
    #[arg(short = 'A', long = "print-data-in-ascii", action = ArgAction::Count)]
    pub ascii: u8,

    /// Timestamp format: -t none, -tt epoch, -ttt delta, -tttt date, -ttttt since first
    #[arg(short = 't', long = "print-timestamp", action = ArgAction::Count)]
    pub timestamp: u8,

    /// Print timestamps with microsecond precision (the default)
    #[arg(long = "micro")]
    pub micro: bool,

    /// Print timestamps with nanosecond precision
    #[arg(long = "nano")]
    pub nano: bool,

    /// Timestamp precision: micro or nano
    #[arg(long = "time-stamp-precision", value_name = "PRECISION")]
    pub time_stamp_precision: Option<String>,

    /// Print timestamps in UTC instead of local time
    #[arg(long = "utc-time")]
    pub utc_time: bool,

    /// Print a packet number at the beginning of each line
    #[arg(short = '#', long = "number")]
    pub number: bool,

    /// Don't verify IP, TCP or UDP checksums
    #[arg(short = 'K', long = "dont-verify-checksums")]
    pub no_checksum: bool,

    /// Decrypt ESP (and IKEv2) with these secrets: SPI@ADDR ALGO:KEY, ALGO:KEY, `file PATH` or
    /// `ikev2 I|R 0xSPII 0xSPIR INTEG:KEY ENCR:KEY`, separated by commas (ALGO: 3des, aes128,
    /// aes192, aes256 with optional -cbc, -hmac96; des-ede3, aes-128-ecb ...)
    #[arg(short = 'E', value_name = "SECRET")]
    pub esp_secret: Option<String>,

    /// Check TCP-MD5 signatures (RFC 2385) with this shared secret
    #[arg(short = 'M', value_name = "SECRET")]
    pub tcp_md5_secret: Option<String>,

    /// Decode packets as TYPE whatever their ports: aodv, carp, cnfp, domain, lmp, pgm,
    /// pgm_zmtp1, ptp, radius, resp, rpc, rtcp, rtp, snmp, someip, tftp, vat, vxlan, wb, zmtp1
    #[arg(short = 'T', value_name = "TYPE")]
    pub packet_type: Option<String>,
    /// Print the AS number in BGP packets in ASDOT notation rather than ASPLAIN notation
    #[arg(short = 'b')]
    pub asdot: bool,
    /// Attempt to detect 802.11s draft mesh headers
    #[arg(short = 'H')]
    pub mesh_headers: bool,

    /// Don't put the interface into promiscuous mode (ptcpdump never does; accepted)
    #[arg(short = 'p', long = "no-promiscuous-mode")]
    pub no_promisc: bool,

    /// Print only the number of packets read (with -r)
    #[arg(long = "count")]
    pub count_only: bool,

    /// Read packets from FILE (pcap or pcapng; - for stdin)
    #[arg(short = 'r', long = "read-file", value_name = "FILE")]
    pub read_file: Option<String>,

    /// Write packets to FILE: pcapng with process data, classic pcap for *.pcap, - for stdout
    #[arg(short = 'w', long = "write-file", value_name = "FILE")]
    pub write_file: Option<String>,

    /// Also print packets while writing them with -w
    #[arg(long = "print")]
    pub print: bool,

    /// Read the filter expression from FILE
    #[arg(short = 'F', long = "expression-file", value_name = "FILE")]
    pub expression_file: Option<String>,

    /// Dump the compiled filter program (-dd: as C, -ddd: as decimal), then exit
    #[arg(short = 'd', action = ArgAction::Count)]
    pub dump_filter: u8,

    /// Rotate the output file after SIZE (millions of bytes; k, m, g suffixes also accepted)
    #[arg(short = 'C', long = "file-size", value_name = "SIZE")]
    pub file_size: Option<String>,

    /// Keep at most COUNT rotated files (a ring)
    #[arg(short = 'W', long = "file-count", value_name = "COUNT")]
    pub file_count: Option<u32>,

    /// Rotate the output file every SECONDS (strftime patterns in the file name)
    #[arg(short = 'G', long = "rotate-seconds", value_name = "SECONDS")]
    pub rotate_seconds: Option<u64>,

    /// Run COMMAND FILE on each finished output file
    #[arg(short = 'z', long = "postrotate-command", value_name = "COMMAND")]
    pub postrotate_command: Option<String>,

    /// Capture only packets of these processes (repeatable or comma-separated)
    #[arg(long = "pid", value_delimiter = ',', value_name = "PID")]
    pub pids: Vec<u32>,

    /// Capture only packets of processes with this name
    #[arg(long = "pname", alias = "comm", value_name = "NAME")]
    pub pname: Option<String>,

    /// Capture only packets of processes of these users (repeatable or comma-separated)
    #[arg(long = "uid", value_delimiter = ',', value_name = "UID")]
    pub uids: Vec<u32>,

    /// Also capture the children the selected processes create after the start
    #[arg(short = 'f', long = "follow-forks")]
    pub follow_forks: bool,

    /// Network namespaces to capture in (path, name under /run/netns, `any`, `newly`;
    /// repeatable or comma-separated)
    #[arg(long = "netns", value_delimiter = ',', value_name = "NETNS")]
    pub netns: Vec<String>,

    /// Capture only packets of these containers (id or a prefix of at least 12 characters)
    #[arg(long = "container-id", value_name = "ID")]
    pub container_ids: Vec<String>,

    /// Capture only packets of these containers (by name)
    #[arg(long = "container-name", value_name = "NAME")]
    pub container_names: Vec<String>,

    /// Capture only packets of these Pods: NAME.NAMESPACE (no dot: namespace `default`)
    #[arg(long = "pod-name", value_name = "NAME.NAMESPACE")]
    pub pod_names: Vec<String>,

    /// Docker Engine address
    #[arg(
        long = "docker-address",
        value_name = "ADDR",
        default_value = "/var/run/docker.sock"
    )]
    pub docker_address: String,

    /// containerd address
    #[arg(
        long = "containerd-address",
        value_name = "ADDR",
        default_value = "/run/containerd/containerd.sock"
    )]
    pub containerd_address: String,

    /// CRI runtime address (default: the first that answers)
    #[arg(long = "cri-runtime-address", value_name = "ADDR")]
    pub cri_runtime_address: Option<String>,

    /// Which metadata to show and store: process, thread, parentproc, user, container, pod,
    /// peer (the other local end; with it listed, also on the default line)
    #[arg(long = "context", value_delimiter = ',', value_name = "LIST")]
    pub context: Vec<String>,

    /// One line per packet, as the original ptcpdump prints it: the packet's lines (with -v,
    /// also the process/container/Pod details) joined by ", "
    #[arg(long = "oneline")]
    pub oneline: bool,

    /// Write the TLS key log of the captured programs to PATH (also $SSLKEYLOGFILE)
    #[arg(long = "write-keylog-file", value_name = "PATH")]
    pub keylog_file: Option<String>,

    /// Put the TLS key log into the pcapng file (Decryption Secrets Blocks)
    #[arg(long = "embed-keylog-to-pcapng")]
    pub embed_keylog: bool,

    /// Log level: debug, info, warn, error
    #[arg(long = "log-level", default_value = "warn")]
    pub log_level: String,

    /// Capture backend, as the original ptcpdump names them. This ptcpdump has one: `tc`
    /// (TC/TCX hooks, with cgroup and tracepoint hooks naming the processes); the others are
    /// accepted, said once, and captured with `tc`
    #[arg(
        long = "backend",
        value_enum,
        default_value_t = Backend::Tc,
        help_heading = "The original ptcpdump's flags"
    )]
    pub backend: Backend,

    /// Kernel BTF file to read instead of /sys/kernel/btf/vmlinux (e.g. where /sys is not
    /// mounted in a container)
    #[arg(
        long = "kernel-btf",
        value_name = "FILE",
        help_heading = "The original ptcpdump's flags"
    )]
    pub kernel_btf: Option<std::path::PathBuf>,

    /// The original ptcpdump's reverse flow lookup: accepted and ignored (packets are named
    /// after their local socket here)
    #[arg(
        long = "disable-reverse-match",
        help_heading = "The original ptcpdump's flags"
    )]
    pub disable_reverse_match: bool,

    /// The original ptcpdump's event channel size: accepted and ignored (one ring buffer, read
    /// in place)
    #[arg(
        long = "event-chan-size",
        value_name = "N",
        value_parser = parse_uint,
        help_heading = "The original ptcpdump's flags"
    )]
    pub event_chan_size: Option<u64>,

    /// The original ptcpdump's exec event workers: accepted and ignored (exec events are read
    /// in order with the packets)
    #[arg(
        long = "exec-events-worker-number",
        value_name = "N",
        value_parser = parse_uint,
        help_heading = "The original ptcpdump's flags"
    )]
    pub exec_events_worker_number: Option<u64>,

    /// The original ptcpdump's delay before packets are handled (a Go duration such as `3s`):
    /// accepted and ignored
    #[arg(
        long = "delay-before-handle-packet-events",
        value_name = "DURATION",
        value_parser = parse_go_duration,
        help_heading = "The original ptcpdump's flags"
    )]
    pub delay_before_handle_packet_events: Option<std::time::Duration>,

    /// Filter expression (pcap-filter(7))
    #[arg(value_name = "EXPRESSION")]
    pub expression: Vec<String>,

    /// Command to run; only its traffic (and its descendants') is captured
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    #[default]
    Inout,
}

/// `--backend` values of the original ptcpdump.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backend {
    #[default]
    Tc,
    CgroupSkb,
    TpBtf,
    SocketFilter,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Tc => "tc",
            Backend::CgroupSkb => "cgroup-skb",
            Backend::TpBtf => "tp-btf",
            Backend::SocketFilter => "socket-filter",
        }
    }
}

/// An unsigned number as Go's flag package reads one (decimal, `0x` hex, `0o`/`0` octal, `0b`).
fn parse_uint(s: &str) -> Result<u64, String> {
    let t = s.replace('_', "");
    let (digits, radix) = if let Some(h) = t.strip_prefix("0x").or(t.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(b) = t.strip_prefix("0b").or(t.strip_prefix("0B")) {
        (b, 2)
    } else if let Some(o) = t.strip_prefix("0o").or(t.strip_prefix("0O")) {
        (o, 8)
    } else if t.len() > 1 && t.starts_with('0') {
        (&t[1..], 8)
    } else {
        (t.as_str(), 10)
    };
    u64::from_str_radix(digits, radix).map_err(|_| format!("invalid number {s:?}"))
}

/// A duration as Go's `time.ParseDuration` reads one: `300ms`, `1.5h`, `2h45m`, `0`.
fn parse_go_duration(s: &str) -> Result<std::time::Duration, String> {
    let invalid = || format!("invalid duration {s:?} (e.g. 500ms, 3s, 1m30s)");
    let t = s.strip_prefix('+').unwrap_or(s);
    if t == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    if t.is_empty() || t.starts_with('-') {
        return Err(invalid());
    }
    let mut rest = t;
    let mut total = 0f64;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(invalid)?;
        let (num, tail) = rest.split_at(n);
        if num.is_empty() || num == "." {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        let u = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(u);
        let scale = match unit {
            "ns" => 1e-9,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(invalid()),
        };
        total += value * scale;
        rest = tail;
    }
    std::time::Duration::try_from_secs_f64(total).map_err(|_| invalid())
}

impl Flags {
    /// The original ptcpdump's tuning flags given on the command line: they have no meaning
    /// here and are said to be ignored once (main.rs).
    pub fn ignored_tuning(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.disable_reverse_match {
            v.push("--disable-reverse-match");
        }
        if self.event_chan_size.is_some() {
            v.push("--event-chan-size");
        }
        if self.exec_events_worker_number.is_some() {
            v.push("--exec-events-worker-number");
        }
        if self.delay_before_handle_packet_events.is_some() {
            v.push("--delay-before-handle-packet-events");
        }
        v
    }

    /// The line that says a `--backend` this ptcpdump does not have is replaced by `tc`.
    pub fn backend_note(&self) -> Option<String> {
        (self.backend != Backend::Tc).then(|| {
            format!(
                "--backend {} is not available in this ptcpdump: capturing with tc (TC/TCX hooks; cgroup and tracepoint hooks name the processes)",
                self.backend.name()
            )
        })
    }

    /// The filter expression: `-F FILE` wins, as in tcpdump; words are joined by spaces.
    /// When reading a file there is no command to run, so words after `--` are expression
    /// words, as tcpdump reads them.
    pub fn expression(&self) -> anyhow::Result<Option<String>> {
        if let Some(path) = &self.expression_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("can't open {path}: {e}"))?;
            // tcpdump strips '#' comments from expression files.
            let text: Vec<&str> = text
                .lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .collect();
            let joined = text.join(" ").trim().to_string();
            return Ok((!joined.is_empty()).then_some(joined));
        }
        let mut words = self.expression.clone();
        if self.read_file.is_some() {
            words.extend(self.command.iter().cloned());
        }
        let joined = words.join(" ");
        Ok((!joined.trim().is_empty()).then_some(joined))
    }

    pub fn nano(&self) -> anyhow::Result<bool> {
        match self.time_stamp_precision.as_deref() {
            Some("nano") => Ok(true),
            Some("micro") => Ok(false),
            Some(other) => anyhow::bail!("unsupported time stamp precision {other}"),
            None => Ok(self.nano && !self.micro),
        }
    }

    /// `-T TYPE`, checked the way tcpdump checks it (ASCII case ignored).
    pub fn packet_type(&self) -> anyhow::Result<Option<ptcpdump_print::PacketType>> {
        match &self.packet_type {
            None => Ok(None),
            Some(name) => match ptcpdump_print::PacketType::from_name(name) {
                Some(t) => Ok(Some(t)),
                None => anyhow::bail!("unknown packet type `{name}'"),
            },
        }
    }

    pub fn snaplen(&self) -> u32 {
        match self.snaplen {
            None | Some(0) => ptcpdump_common::MAX_SNAPLEN,
            Some(n) => n.min(ptcpdump_common::MAX_SNAPLEN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Flags {
        Flags::try_parse_from(std::iter::once("ptcpdump").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn counted_flags_as_tcpdump() {
        let f = parse(&["-vvv", "-XX", "-nn", "-ttt", "-#", "-ev"]);
        assert_eq!(
            (f.verbose, f.hex_ascii, f.numeric, f.timestamp),
            (4, 2, 2, 3)
        );
        assert!(f.number && f.link_header);
    }

    #[test]
    fn interfaces_repeat_and_split_on_commas() {
        let f = parse(&["-i", "lo,eth0", "-i", "any"]);
        assert_eq!(f.interfaces, ["lo", "eth0", "any"]);
    }

    #[test]
    fn expression_words_and_command() {
        let f = parse(&[
            "-i",
            "any",
            "tcp",
            "port",
            "80",
            "--",
            "curl",
            "-s",
            "http://x/",
        ]);
        assert_eq!(f.expression().unwrap().as_deref(), Some("tcp port 80"));
        assert_eq!(f.command, ["curl", "-s", "http://x/"]);
    }

    #[test]
    fn words_after_double_dash_are_expression_when_reading() {
        let f = parse(&["-n", "-r", "x.pcap", "--", "geneve", "0xb"]);
        assert_eq!(f.expression().unwrap().as_deref(), Some("geneve 0xb"));
    }

    #[test]
    fn options_after_expression_still_count() {
        let f = parse(&["tcp", "-c", "10", "-w", "-"]);
        assert_eq!(f.count, Some(10));
        assert_eq!(f.write_file.as_deref(), Some("-"));
        assert_eq!(f.expression().unwrap().as_deref(), Some("tcp"));
    }

    #[test]
    fn pids_repeat_and_split() {
        let f = parse(&["--pid", "1,2", "--pid", "3"]);
        assert_eq!(f.pids, [1, 2, 3]);
    }

    #[test]
    fn snaplen_zero_means_maximum() {
        assert_eq!(parse(&["-s", "0"]).snaplen(), 262_144);
        assert_eq!(parse(&["-s", "96"]).snaplen(), 96);
        assert_eq!(parse(&[]).snaplen(), 262_144);
    }

    #[test]
    fn nano_precision_flags() {
        assert!(parse(&["--nano"]).nano().unwrap());
        assert!(!parse(&["--time-stamp-precision", "micro"]).nano().unwrap());
        assert!(parse(&["--time-stamp-precision", "bogus"]).nano().is_err());
    }

    #[test]
    fn packet_type_names_as_tcpdump() {
        use ptcpdump_print::PacketType;
        assert_eq!(parse(&[]).packet_type().unwrap(), None);
        assert_eq!(
            parse(&["-T", "domain"]).packet_type().unwrap(),
            Some(PacketType::Domain)
        );
        assert_eq!(
            parse(&["-T", "PGM_zmtp1"]).packet_type().unwrap(),
            Some(PacketType::PgmZmtp1)
        );
        assert_eq!(PacketType::NAMES.len(), 20);
        for (name, t) in PacketType::NAMES {
            assert_eq!(parse(&["-T", name]).packet_type().unwrap(), Some(*t));
        }
        assert_eq!(
            parse(&["-T", "dns"]).packet_type().unwrap_err().to_string(),
            "unknown packet type `dns'"
        );
    }

    #[test]
    fn b_prints_bgp_as_numbers_in_asdot() {
        let f = parse(&["-vb", "-r", "x.pcap"]);
        assert!(f.asdot);
        assert_eq!(f.verbose, 1);
        assert!(!parse(&["-v"]).asdot);
    }

    #[test]
    fn capital_h_detects_802_11s_mesh_headers() {
        let f = parse(&["-eH", "-r", "x.pcap"]);
        assert!(f.mesh_headers && f.link_header);
        assert!(!parse(&["-e"]).mesh_headers);
    }

    #[test]
    fn esp_secret_is_kept_as_typed() {
        let f = parse(&["-E", "0x1@198.18.0.2 3des-cbc-hmac96:0x00,file /x"]);
        assert_eq!(
            f.esp_secret.as_deref(),
            Some("0x1@198.18.0.2 3des-cbc-hmac96:0x00,file /x")
        );
        assert_eq!(parse(&[]).esp_secret, None);
    }

    #[test]
    fn no_domain_is_accepted_like_tcpdump() {
        assert_eq!(parse(&["-NN", "-n"]).no_domain, 2);
    }

    #[test]
    fn tcp_md5_secret() {
        assert_eq!(
            parse(&["-M", "s3cret"]).tcp_md5_secret.as_deref(),
            Some("s3cret")
        );
        assert_eq!(parse(&[]).tcp_md5_secret, None);
    }

    #[test]
    fn direction_values() {
        assert_eq!(parse(&["-Q", "in"]).direction, Direction::In);
        assert!(Flags::try_parse_from(["ptcpdump", "-Q", "sideways"]).is_err());
    }

    // The original ptcpdump's long names (cmd/root.go registers them with cobra): each one
    // is the same flag as its letter.

    #[test]
    fn receive_count_is_c() {
        assert_eq!(parse(&["--receive-count", "7"]).count, Some(7));
        assert_eq!(parse(&["--receive-count=8"]).count, Some(8));
    }

    #[test]
    fn no_convert_addr_is_n() {
        assert_eq!(parse(&["--no-convert-addr"]).numeric, 1);
        assert_eq!(parse(&["--no-convert-addr", "-n"]).numeric, 2);
    }

    #[test]
    fn print_timestamp_is_t() {
        assert_eq!(parse(&["--print-timestamp"]).timestamp, 1);
        assert_eq!(
            parse(&["--print-timestamp", "--print-timestamp", "-t"]).timestamp,
            3
        );
    }

    #[test]
    fn print_data_in_hex_is_x() {
        assert_eq!(parse(&["--print-data-in-hex"]).hex, 1);
        assert_eq!(parse(&["--print-data-in-hex", "-x"]).hex, 2);
    }

    #[test]
    fn print_data_in_hex_ascii_is_capital_x() {
        assert_eq!(parse(&["--print-data-in-hex-ascii"]).hex_ascii, 1);
        assert_eq!(
            parse(&["--print-data-in-hex-ascii", "--print-data-in-hex-ascii"]).hex_ascii,
            2
        );
    }

    #[test]
    fn print_data_in_ascii_is_capital_a() {
        assert_eq!(parse(&["--print-data-in-ascii"]).ascii, 1);
    }

    #[test]
    fn other_long_names_of_the_original() {
        let f = parse(&[
            "--interface",
            "lo",
            "--direction",
            "out",
            "--snapshot-length",
            "96",
            "--verbose",
            "--quiet",
            "--number",
            "--absolute-tcp-sequence-numbers",
            "--list-interfaces",
            "--follow-forks",
            "--read-file",
            "r.pcapng",
            "--write-file",
            "w.pcapng",
            "--file-size",
            "1k",
            "--file-count",
            "2",
            "--expression-file",
            "f",
        ]);
        assert_eq!(f.interfaces, ["lo"]);
        assert_eq!(f.direction, Direction::Out);
        assert_eq!(f.snaplen, Some(96));
        assert!(f.verbose == 1 && f.quiet && f.number && f.absolute_seq);
        assert!(f.list_interfaces && f.follow_forks);
        assert_eq!(f.read_file.as_deref(), Some("r.pcapng"));
        assert_eq!(f.write_file.as_deref(), Some("w.pcapng"));
        assert_eq!(f.file_size.as_deref(), Some("1k"));
        assert_eq!(f.file_count, Some(2));
        assert_eq!(f.expression_file.as_deref(), Some("f"));
    }

    #[test]
    fn netns_takes_comma_lists_as_the_original() {
        let f = parse(&["--netns", "a,/run/netns/b", "--netns", "any"]);
        assert_eq!(f.netns, ["a", "/run/netns/b", "any"]);
    }

    #[test]
    fn backend_values_of_the_original() {
        assert_eq!(parse(&[]).backend, Backend::Tc);
        assert_eq!(parse(&[]).backend_note(), None);
        assert_eq!(parse(&["--backend", "tc"]).backend_note(), None);
        for (v, b) in [
            ("cgroup-skb", Backend::CgroupSkb),
            ("tp-btf", Backend::TpBtf),
            ("socket-filter", Backend::SocketFilter),
        ] {
            let f = parse(&["--backend", v]);
            assert_eq!(f.backend, b);
            let note = f.backend_note().unwrap();
            assert!(note.starts_with(&format!("--backend {v} is not available")));
            assert!(!note.contains('\n'));
        }
        assert!(Flags::try_parse_from(["ptcpdump", "--backend", "ebpf"]).is_err());
    }

    #[test]
    fn kernel_btf_takes_a_path() {
        assert_eq!(parse(&[]).kernel_btf, None);
        let f = parse(&["--kernel-btf", "/var/lib/ptcpdump/btf/vmlinux"]);
        assert_eq!(
            f.kernel_btf.as_deref(),
            Some(std::path::Path::new("/var/lib/ptcpdump/btf/vmlinux"))
        );
    }

    #[test]
    fn disable_reverse_match_is_ignored() {
        assert!(parse(&[]).ignored_tuning().is_empty());
        let f = parse(&["--disable-reverse-match"]);
        assert!(f.disable_reverse_match);
        assert_eq!(f.ignored_tuning(), ["--disable-reverse-match"]);
    }

    #[test]
    fn event_chan_size_is_a_go_uint_and_ignored() {
        assert_eq!(
            parse(&["--event-chan-size", "20"]).event_chan_size,
            Some(20)
        );
        assert_eq!(
            parse(&["--event-chan-size", "0x10"]).event_chan_size,
            Some(16)
        );
        assert_eq!(
            parse(&["--event-chan-size", "20"]).ignored_tuning(),
            ["--event-chan-size"]
        );
        for bad in ["-1", "x", ""] {
            assert!(
                Flags::try_parse_from(["ptcpdump", "--event-chan-size", bad]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn exec_events_worker_number_is_a_go_uint_and_ignored() {
        let f = parse(&["--exec-events-worker-number", "50"]);
        assert_eq!(f.exec_events_worker_number, Some(50));
        assert_eq!(f.ignored_tuning(), ["--exec-events-worker-number"]);
        assert!(Flags::try_parse_from(["ptcpdump", "--exec-events-worker-number", "5x"]).is_err());
    }

    #[test]
    fn delay_before_handle_packet_events_is_a_go_duration_and_ignored() {
        use std::time::Duration;
        let d = |v: &str| {
            parse(&["--delay-before-handle-packet-events", v]).delay_before_handle_packet_events
        };
        assert_eq!(d("0"), Some(Duration::ZERO));
        assert_eq!(d("3s"), Some(Duration::from_secs(3)));
        assert_eq!(d("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(d("1.5h"), Some(Duration::from_secs(5400)));
        assert_eq!(d("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(d("10us"), Some(Duration::from_micros(10)));
        assert_eq!(d("1\u{b5}s"), Some(Duration::from_micros(1)));
        for bad in ["3", "s", "3x", "-1s", "", "1..5s"] {
            assert!(
                Flags::try_parse_from(["ptcpdump", "--delay-before-handle-packet-events", bad])
                    .is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            parse(&[
                "--delay-before-handle-packet-events",
                "3s",
                "--disable-reverse-match"
            ])
            .ignored_tuning(),
            [
                "--disable-reverse-match",
                "--delay-before-handle-packet-events"
            ]
        );
    }

    #[test]
    fn install_wireshark_plugin_takes_an_optional_dir() {
        assert_eq!(parse(&[]).install_wireshark_plugin, None);
        assert_eq!(
            parse(&["--install-wireshark-plugin"])
                .install_wireshark_plugin
                .as_deref(),
            Some("")
        );
        let f = parse(&["--install-wireshark-plugin=/usr/lib/wireshark/plugins"]);
        assert_eq!(
            f.install_wireshark_plugin.as_deref(),
            Some("/usr/lib/wireshark/plugins")
        );
        // A word after it stays a word (the value needs '='), as for any optional value.
        let f = parse(&["--install-wireshark-plugin", "tcp"]);
        assert_eq!(f.install_wireshark_plugin.as_deref(), Some(""));
        assert_eq!(f.expression, ["tcp"]);
    }
}
