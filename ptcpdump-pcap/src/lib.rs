//! pcap and pcapng reading and writing.
//!
//! This crate owns the on-disk capture formats: it turns files into [`Packet`]s the way libpcap
//! does (same timestamp scaling, same limits, same error texts, so `ptcpdump -r` behaves like
//! `tcpdump -r`), and it writes classic pcap and pcapng files for live capture. It knows nothing
//! about protocols above the link-layer type number and never prints anything.
//!
//! Reading follows libpcap 1.10 (Debian's tcpdump 4.99.3 is the oracle; see
//! `tests/libpcap_oracle.rs` and the `libpcap_diff` fuzz target):
//! - [`Error`]'s `Display` is libpcap's message. tcpdump prints errors from opening as
//!   `tcpdump: <text>` and errors from a later packet as `tcpdump: pcap_loop: <text>`, after
//!   the packets before the damage; [`Reader::next_packet`] returns those packets first.
//! - Timestamps: classic pcap seconds are the stored u32 (tcpdump shows values >= 2^31 as
//!   `[Error converting time]`), fractions are scaled with libpcap's 32-bit quirks; pcapng
//!   ticks are scaled from `if_tsresol`/`if_tsoffset` with libpcap's truncating arithmetic.
//! - By default pcapng interfaces may differ in link type and snapshot length and sections in
//!   byte order (libpcap refuses those); [`Reader::with_libpcap_strict`] refuses them with
//!   libpcap's texts.
//!
//! Writing: little-endian, nanosecond timestamps, one block per `write_all`.

mod endian;
mod error;
mod input;
mod pcap;
mod pcapng;
mod pseudo;
mod reader;
#[cfg(test)]
mod testutil;
mod writer;

pub use error::Error;
pub use reader::{DecryptionSecrets, Reader};
pub use writer::{
    EpbOptions, InterfaceInfo, InterfaceStatistics, PcapWriter, PcapngWriter, SectionInfo,
    encode_comments,
};

/// pcapng DSB secrets type of a TLS key log (NSS key log format).
pub const SECRETS_TYPE_TLS: u32 = 0x544c_534b;

/// Timestamp precision requested by the reader of a file (tcpdump's `--micro`/`--nano`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precision {
    #[default]
    Micro,
    Nano,
}

impl Precision {
    /// Units per second of the fractional part.
    pub(crate) fn units(self) -> u64 {
        match self {
            Precision::Micro => 1_000_000,
            Precision::Nano => 1_000_000_000,
        }
    }
}

/// A packet read from a file, timestamps already converted to the requested precision the way
/// libpcap converts them (including libpcap's quirks: a classic micro file read with Nano
/// multiplies the usec field by 1000 in 32 bits; seconds kept as the file stores them (u32 for
/// classic pcap, 64-bit for pcapng)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet<'a> {
    pub ts_sec: u64,
    /// usec or nsec, per the reader's [`Precision`].
    pub ts_frac: u32,
    pub caplen: u32,
    /// Original length on the wire.
    pub len: u32,
    pub data: &'a [u8],
    /// `LINKTYPE_*` of this packet's interface.
    pub linktype: u32,
    /// 0 for classic pcap.
    pub interface_id: u32,
    /// pcapng `if_name` of that interface.
    pub if_name: Option<&'a str>,
    /// pcapng `epb_flags` (bits 0-1 direction: 1 inbound, 2 outbound).
    pub flags: Option<u32>,
    /// pcapng `opt_comment` values of the packet, in order.
    pub comments: Vec<&'a str>,
    /// pcapng `shb_userappl` of the packet's section: the program that wrote it.
    pub application: Option<&'a str>,
}

/// `LINKTYPE_*` values this crate needs to know about (libpcap's `max_snaplen_for_dlt`).
pub(crate) mod linktype {
    pub const DBUS: u32 = 231;
    pub const USBPCAP: u32 = 249;
    pub const EBHSCR: u32 = 279;
    pub const ETHERNET: u32 = 1;
}

/// libpcap's `MAXIMUM_SNAPLEN`.
pub const MAXIMUM_SNAPLEN: u32 = 262_144;

/// libpcap's `max_snaplen_for_dlt`: the largest packet considered sane for a link type.
pub fn max_snaplen_for_linktype(linktype: u32) -> u32 {
    match linktype {
        linktype::DBUS => 128 * 1024 * 1024,
        linktype::EBHSCR => 8 * 1024 * 1024,
        linktype::USBPCAP => 1024 * 1024,
        _ => MAXIMUM_SNAPLEN,
    }
}

/// libpcap's `linktype_to_dlt` on Linux: the few `LINKTYPE_*` values whose `DLT_*` differs.
/// Only libpcap-strict checks need it (libpcap compares a new IDB's LINKTYPE with the first
/// IDB's DLT, so a second raw-IP interface is "different" for libpcap).
pub fn linktype_to_dlt(linktype: u32) -> u32 {
    match linktype {
        100 => 11, // ATM_RFC1483
        101 => 12, // RAW
        102 => 15, // SLIP_BSDOS
        103 => 16, // PPP_BSDOS
        106 => 19, // ATM_CLIP
        lt => lt,
    }
}

/// The `LINKTYPE_*` value a classic pcap file's link-type field means, as libpcap reads it:
/// only the low 16 bits are the link type (`LT_LINKTYPE`; the upper bits carry the FCS length),
/// and a value that is an old platform `DLT_*` number rather than a `LINKTYPE_*` one (files
/// written by old libpcaps store `DLT_RAW` 12, `DLT_ATM_CLIP` 19, ...) is read as that DLT,
/// so it gets the `LINKTYPE_*` value libpcap would write for it.
pub(crate) fn linktype_from_file_field(field: u32) -> u32 {
    match field & 0xFFFF {
        11 => 100, // DLT_ATM_RFC1483
        12 => 101, // DLT_RAW
        15 => 102, // DLT_SLIP_BSDOS
        16 => 103, // DLT_PPP_BSDOS
        19 => 106, // DLT_ATM_CLIP
        lt => lt,
    }
}

/// libpcap's `pcap_adjust_snapshot`: a zero or absurd snapshot length in a file means "the
/// maximum for this link type".
pub(crate) fn adjust_snapshot(linktype: u32, snaplen: u32) -> u32 {
    if snaplen == 0 || snaplen > i32::MAX as u32 {
        max_snaplen_for_linktype(linktype)
    } else {
        snaplen
    }
}
