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
    #[arg(short = 'c', value_name = "COUNT")]
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
    #[arg(short = 'n', action = ArgAction::Count)]
    pub numeric: u8,

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
    #[arg(short = 'x', action = ArgAction::Count)]
    pub hex: u8,

    /// Print each packet in hex and ASCII (-XX: with its link-level header)
    #[arg(short = 'X', action = ArgAction::Count)]
    pub hex_ascii: u8,

    /// Print each packet in ASCII (-AA: with its link-level header)
    #[arg(short = 'A', action = ArgAction::Count)]
    pub ascii: u8,

    /// Timestamp format: -t none, -tt epoch, -ttt delta, -tttt date, -ttttt since first
    #[arg(short = 't', action = ArgAction::Count)]
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

    /// Decode packets as TYPE whatever their ports: aodv, carp, cnfp, domain, lmp, pgm,
    /// pgm_zmtp1, ptp, radius, resp, rpc, rtcp, rtp, snmp, someip, tftp, vat, vxlan, wb, zmtp1
    #[arg(short = 'T', value_name = "TYPE")]
    pub packet_type: Option<String>,
    /// Print the AS number in BGP packets in ASDOT notation rather than ASPLAIN notation
    #[arg(short = 'b')]
    pub asdot: bool,

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

    /// Network namespaces to capture in (path, name under /run/netns, `any`, `newly`)
    #[arg(long = "netns", value_name = "NETNS")]
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

    /// With -v: print the process/container/Pod details on the packet's line
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

impl Flags {
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
    fn direction_values() {
        assert_eq!(parse(&["-Q", "in"]).direction, Direction::In);
        assert!(Flags::try_parse_from(["ptcpdump", "-Q", "sideways"]).is_err());
    }
}
