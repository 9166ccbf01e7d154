//! Reader errors. Each `Display` text is libpcap's own message for the same condition
//! (libpcap 1.10 `savefile.c`, `sf-pcap.c`, `sf-pcapng.c`), because tcpdump prints those texts
//! verbatim (`tcpdump: pcap_loop: <text>`) and ptcpdump must say the same thing.

use std::io;

/// Errors while reading a capture file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("error reading dump file: {}", strerror(.0))]
    Io(#[from] io::Error),
    #[error("truncated dump file; tried to read {expected} file header bytes, only got {got}")]
    TruncatedFileHeader { expected: usize, got: usize },
    #[error("unknown file format")]
    UnknownFormat,

    // Classic pcap.
    #[error("archaic pcap savefile format")]
    ArchaicFormat,
    #[error("unsupported pcap savefile version {major}.{minor}")]
    UnsupportedVersion { major: u16, minor: u16 },
    #[error("truncated dump file; tried to read {expected} header bytes, only got {got}")]
    TruncatedRecordHeader { expected: usize, got: usize },
    #[error("truncated dump file; tried to read {expected} captured bytes, only got {got}")]
    TruncatedPacket { expected: u32, got: usize },
    #[error("invalid packet capture length {caplen}, bigger than snaplen of {snaplen}")]
    CaplenOverSnaplen { caplen: u32, snaplen: u32 },
    #[error("invalid packet capture length {caplen}, bigger than maximum of {max}")]
    CaplenOverMaximum { caplen: u32, max: u32 },

    // pcapng.
    #[error(
        "Section Header Block in pcapng dump file has invalid length 28 < _{len}_ < 1048576 (BT_SHB_INSANE_MAX)"
    )]
    ShbInvalidLength { len: u32 },
    #[error("unsupported pcapng savefile version {major}.{minor}")]
    UnsupportedPcapngVersion { major: u16, minor: u16 },
    #[error("unknown pcapng savefile major version number {major}")]
    UnknownPcapngMajor { major: u16 },
    #[error("the file has a section with a bad byte order magic field")]
    BadByteOrderMagic,
    #[error("the file has sections with different byte orders")]
    DifferentByteOrders,
    #[error("an interface has a type {linktype} different from the type of the first interface")]
    InterfaceLinktypeDiffers { linktype: u32 },
    #[error(
        "an interface has a snapshot length {snaplen} different from the snapshot length of the first interface"
    )]
    InterfaceSnaplenDiffers { snaplen: u32 },
    #[error("truncated pcapng dump file; tried to read {expected} bytes, only got {got}")]
    TruncatedBlock { expected: usize, got: usize },
    #[error("block in pcapng dump file has a length of {len} < 12")]
    BlockTooSmall { len: u32 },
    #[error("block in pcapng dump file has a length of {len} that is not a multiple of 4")]
    BlockLengthNotMultipleOf4 { len: u32 },
    #[error("pcapng block size {len} > maximum {max}")]
    BlockTooBig { len: u32, max: u32 },
    #[error("block total length in header and trailer don't match")]
    BlockLengthMismatch,
    #[error("block of type {block_type} in pcapng dump file is too short")]
    BlockTooShort { block_type: u32 },
    #[error("the capture file has no Interface Description Blocks")]
    NoInterfaces,
    #[error("the capture file has a packet block before any Interface Description Blocks")]
    PacketBeforeInterface,
    #[error(
        "a packet arrived on interface {id}, but there's no Interface Description Block for that interface"
    )]
    UnknownInterface { id: u32 },
    #[error("Interface Description Block has opt_endofopt option with length {len} != 0")]
    IdbEndOfOptLength { len: u16 },
    #[error("Interface Description Block has if_tsresol option with length {len} != 1")]
    IdbTsresolLength { len: u16 },
    #[error("Interface Description Block has more than one if_tsresol option")]
    IdbTsresolTwice,
    #[error("Interface Description Block if_tsresol option resolution 2^-{0} is too high")]
    IdbTsresolBinTooHigh(u8),
    #[error("Interface Description Block if_tsresol option resolution 10^-{0} is too high")]
    IdbTsresolDecTooHigh(u8),
    #[error("Interface Description Block has if_tsoffset option with length {len} != 8")]
    IdbTsoffsetLength { len: u16 },
    #[error("Interface Description Block has more than one if_tsoffset option")]
    IdbTsoffsetTwice,
}

/// The C library's text for an OS error (what libpcap prints), without Rust's " (os error N)".
fn strerror(e: &io::Error) -> String {
    let s = e.to_string();
    match e.raw_os_error() {
        Some(code) => s
            .strip_suffix(&format!(" (os error {code})"))
            .unwrap_or(&s)
            .to_owned(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_like_libpcap() {
        let e = Error::from(io::Error::from_raw_os_error(21));
        assert_eq!(e.to_string(), "error reading dump file: Is a directory");
        let e = Error::from(io::Error::other("boom"));
        assert_eq!(e.to_string(), "error reading dump file: boom");
    }
}
