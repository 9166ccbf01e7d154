//! Capture file writers: classic pcap (nanosecond magic) and pcapng (one section, interfaces
//! added at any time, nanosecond timestamps). Output is in little-endian byte order.
//!
//! Every record or block is built in memory first and handed to the sink with one
//! `write_all`, so an error we detect (unknown interface, oversized option) never leaves half a
//! block in the file, and a file cut at a write boundary still ends on a block boundary.

use std::io::{self, Write};

use crate::pcap::MAGIC_NANO;
use crate::pcapng::{BT_DSB, BT_EPB, BT_IDB, BT_SHB, BYTE_ORDER_MAGIC};

const BT_ISB: u32 = 0x0000_0005;

const OPT_ENDOFOPT: u16 = 0;
const OPT_COMMENT: u16 = 1;
const SHB_HARDWARE: u16 = 2;
const SHB_OS: u16 = 3;
const SHB_USERAPPL: u16 = 4;
const IF_NAME: u16 = 2;
const IF_DESCRIPTION: u16 = 3;
const IF_TSRESOL: u16 = 9;
const IF_FILTER: u16 = 11;
const IF_OS: u16 = 12;
const EPB_FLAGS: u16 = 2;
const ISB_STARTTIME: u16 = 2;
const ISB_ENDTIME: u16 = 3;
const ISB_IFRECV: u16 = 4;
const ISB_IFDROP: u16 = 5;

/// Writes a classic pcap file with nanosecond timestamps.
pub struct PcapWriter<W: Write> {
    w: W,
    snaplen: u32,
    rec: Vec<u8>,
    written: u64,
}

impl<W: Write> PcapWriter<W> {
    /// Writes the file header. A `snaplen` of 0 is written as libpcap's maximum (262144).
    pub fn new(mut w: W, linktype: u32, snaplen: u32) -> io::Result<Self> {
        let snaplen = if snaplen == 0 {
            crate::MAXIMUM_SNAPLEN
        } else {
            snaplen
        };
        let mut h = Vec::with_capacity(24);
        h.extend_from_slice(&MAGIC_NANO.to_le_bytes());
        h.extend_from_slice(&2u16.to_le_bytes());
        h.extend_from_slice(&4u16.to_le_bytes());
        h.extend_from_slice(&0i32.to_le_bytes()); // thiszone
        h.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
        h.extend_from_slice(&snaplen.to_le_bytes());
        h.extend_from_slice(&linktype.to_le_bytes());
        w.write_all(&h)?;
        Ok(PcapWriter {
            w,
            snaplen,
            rec: Vec::with_capacity(2048),
            written: 24,
        })
    }

    /// Writes one record. `data` is cut to the snapshot length; `len` is the length on the
    /// wire. Seconds past 2106 do not fit the format and wrap, as in any pcap writer.
    pub fn write_packet(&mut self, ts_ns: u64, data: &[u8], len: u32) -> io::Result<()> {
        let data = &data[..data.len().min(self.snaplen as usize)];
        self.rec.clear();
        self.rec
            .extend_from_slice(&((ts_ns / 1_000_000_000) as u32).to_le_bytes());
        self.rec
            .extend_from_slice(&((ts_ns % 1_000_000_000) as u32).to_le_bytes());
        self.rec
            .extend_from_slice(&(data.len() as u32).to_le_bytes());
        self.rec
            .extend_from_slice(&len.max(data.len() as u32).to_le_bytes());
        self.rec.extend_from_slice(data);
        self.w.write_all(&self.rec)?;
        self.written += self.rec.len() as u64;
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// Bytes written so far (file header included).
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    pub fn get_ref(&self) -> &W {
        &self.w
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.w
    }

    pub fn into_inner(self) -> W {
        self.w
    }
}

/// Section Header Block contents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionInfo {
    pub hardware: String,
    pub os: String,
    pub application: String,
    pub comment: Option<String>,
}

/// Interface Description Block contents. `if_tsresol` is always 9 (nanoseconds).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InterfaceInfo {
    pub linktype: u32,
    /// 0 means libpcap's maximum (262144).
    pub snaplen: u32,
    pub name: String,
    pub description: Option<String>,
    /// Capture filter in libpcap syntax (written with the "libpcap string" type byte 0).
    pub filter: Option<String>,
    pub os: Option<String>,
    pub comment: Option<String>,
}

/// Per-packet options of an Enhanced Packet Block.
#[derive(Clone, Copy, Debug, Default)]
pub struct EpbOptions<'a> {
    /// `epb_flags`: bits 0-1 direction (1 inbound, 2 outbound).
    pub flags: Option<u32>,
    /// One `opt_comment` each, in order.
    pub comments: &'a [&'a str],
}

/// Interface Statistics Block contents; absent fields are not written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterfaceStatistics {
    pub start_ns: Option<u64>,
    pub end_ns: Option<u64>,
    pub received: Option<u64>,
    pub dropped: Option<u64>,
}

/// Builds one block: header, body, options, end marker, trailer.
struct BlockBuilder<'b> {
    buf: &'b mut Vec<u8>,
    has_options: bool,
}

impl<'b> BlockBuilder<'b> {
    fn new(buf: &'b mut Vec<u8>, block_type: u32) -> Self {
        buf.clear();
        buf.extend_from_slice(&block_type.to_le_bytes());
        buf.extend_from_slice(&0u32.to_le_bytes()); // length, patched in finish()
        BlockBuilder {
            buf,
            has_options: false,
        }
    }

    fn u16(&mut self, v: u16) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    fn u64(&mut self, v: u64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// A 64-bit timestamp as pcapng stores it: high word first.
    fn ts(&mut self, ts: u64) -> &mut Self {
        self.u32((ts >> 32) as u32).u32(ts as u32)
    }

    fn pad(&mut self) {
        while !self.buf.len().is_multiple_of(4) {
            self.buf.push(0);
        }
    }

    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self.pad();
        self
    }

    fn opt(&mut self, code: u16, val: &[u8]) -> &mut Self {
        debug_assert!(val.len() <= usize::from(u16::MAX));
        self.has_options = true;
        self.u16(code).u16(val.len() as u16).bytes(val)
    }

    /// A string option, cut (at a character boundary) to what an option can hold.
    fn opt_str(&mut self, code: u16, s: &str) -> &mut Self {
        self.opt(code, fit_option(s).as_bytes())
    }

    fn finish(&mut self) -> &[u8] {
        if self.has_options {
            self.u16(OPT_ENDOFOPT).u16(0);
        }
        let total = (self.buf.len() + 4) as u32;
        self.u32(total);
        self.buf[4..8].copy_from_slice(&total.to_le_bytes());
        self.buf
    }
}

fn fit_option(s: &str) -> &str {
    let max = usize::from(u16::MAX);
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Writes a pcapng file: one section, interfaces added whenever a new one shows up.
pub struct PcapngWriter<W: Write> {
    w: W,
    /// Snapshot length of each interface, by id.
    snaplens: Vec<u32>,
    block: Vec<u8>,
    written: u64,
}

impl<W: Write> PcapngWriter<W> {
    /// Writes the Section Header Block.
    pub fn new(w: W, section: &SectionInfo) -> io::Result<Self> {
        let mut wr = PcapngWriter {
            w,
            snaplens: Vec::new(),
            block: Vec::with_capacity(4096),
            written: 0,
        };
        let mut b = BlockBuilder::new(&mut wr.block, BT_SHB);
        b.u32(BYTE_ORDER_MAGIC).u16(1).u16(0).u64(u64::MAX); // section length unknown
        if let Some(c) = &section.comment {
            b.opt_str(OPT_COMMENT, c);
        }
        for (code, s) in [
            (SHB_HARDWARE, &section.hardware),
            (SHB_OS, &section.os),
            (SHB_USERAPPL, &section.application),
        ] {
            if !s.is_empty() {
                b.opt_str(code, s);
            }
        }
        b.finish();
        wr.emit()?;
        Ok(wr)
    }

    fn emit(&mut self) -> io::Result<()> {
        self.w.write_all(&self.block)?;
        self.written += self.block.len() as u64;
        Ok(())
    }

    /// Writes an Interface Description Block; returns the new interface's id.
    pub fn add_interface(&mut self, info: &InterfaceInfo) -> io::Result<u32> {
        let linktype = u16::try_from(info.linktype).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("link type {} does not fit pcapng", info.linktype),
            )
        })?;
        let snaplen = if info.snaplen == 0 {
            crate::MAXIMUM_SNAPLEN
        } else {
            info.snaplen
        };
        let mut b = BlockBuilder::new(&mut self.block, BT_IDB);
        b.u16(linktype).u16(0).u32(snaplen);
        if !info.name.is_empty() {
            b.opt_str(IF_NAME, &info.name);
        }
        if let Some(d) = &info.description {
            b.opt_str(IF_DESCRIPTION, d);
        }
        b.opt(IF_TSRESOL, &[9]);
        if let Some(f) = &info.filter {
            let mut v = vec![0u8]; // 0: libpcap filter string
            v.extend_from_slice(fit_option(f).as_bytes());
            v.truncate(usize::from(u16::MAX));
            b.opt(IF_FILTER, &v);
        }
        if let Some(o) = &info.os {
            b.opt_str(IF_OS, o);
        }
        if let Some(c) = &info.comment {
            b.opt_str(OPT_COMMENT, c);
        }
        b.finish();
        self.emit()?;
        self.snaplens.push(snaplen);
        Ok(self.snaplens.len() as u32 - 1)
    }

    fn snaplen_of(&self, interface_id: u32) -> io::Result<u32> {
        self.snaplens
            .get(interface_id as usize)
            .copied()
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("pcapng: no interface {interface_id}"),
                )
            })
    }

    /// Writes an Enhanced Packet Block. `data` is cut to the interface's snapshot length.
    pub fn write_packet(
        &mut self,
        interface_id: u32,
        ts_ns: u64,
        data: &[u8],
        len: u32,
        opts: &EpbOptions<'_>,
    ) -> io::Result<()> {
        let snaplen = self.snaplen_of(interface_id)?;
        let data = &data[..data.len().min(snaplen as usize)];
        let caplen = data.len() as u32;
        let mut b = BlockBuilder::new(&mut self.block, BT_EPB);
        b.u32(interface_id)
            .ts(ts_ns)
            .u32(caplen)
            .u32(len.max(caplen))
            .bytes(data);
        for c in opts.comments {
            b.opt_str(OPT_COMMENT, c);
        }
        if let Some(f) = opts.flags {
            b.opt(EPB_FLAGS, &f.to_le_bytes());
        }
        b.finish();
        self.emit()
    }

    /// Writes a Decryption Secrets Block (`secrets_type` [`crate::SECRETS_TYPE_TLS`] for a TLS
    /// key log). Wireshark wants it before the packets it decrypts.
    pub fn write_decryption_secrets(&mut self, secrets_type: u32, data: &[u8]) -> io::Result<()> {
        let len = u32::try_from(data.len()).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidInput, "decryption secrets too large")
        })?;
        let mut b = BlockBuilder::new(&mut self.block, BT_DSB);
        b.u32(secrets_type).u32(len).bytes(data);
        b.finish();
        self.emit()
    }

    /// Writes an Interface Statistics Block with `isb_ifrecv` and `isb_ifdrop`.
    pub fn write_interface_statistics(
        &mut self,
        interface_id: u32,
        ts_ns: u64,
        received: u64,
        dropped: u64,
    ) -> io::Result<()> {
        let stats = InterfaceStatistics {
            received: Some(received),
            dropped: Some(dropped),
            ..Default::default()
        };
        self.write_interface_statistics_with(interface_id, ts_ns, &stats)
    }

    /// Writes an Interface Statistics Block with any of `isb_starttime`, `isb_endtime`,
    /// `isb_ifrecv`, `isb_ifdrop`.
    pub fn write_interface_statistics_with(
        &mut self,
        interface_id: u32,
        ts_ns: u64,
        stats: &InterfaceStatistics,
    ) -> io::Result<()> {
        self.snaplen_of(interface_id)?;
        let mut b = BlockBuilder::new(&mut self.block, BT_ISB);
        b.u32(interface_id).ts(ts_ns);
        let ts_opt = |t: u64| {
            let mut v = [0u8; 8];
            v[..4].copy_from_slice(&((t >> 32) as u32).to_le_bytes());
            v[4..].copy_from_slice(&(t as u32).to_le_bytes());
            v
        };
        if let Some(t) = stats.start_ns {
            b.opt(ISB_STARTTIME, &ts_opt(t));
        }
        if let Some(t) = stats.end_ns {
            b.opt(ISB_ENDTIME, &ts_opt(t));
        }
        if let Some(n) = stats.received {
            b.opt(ISB_IFRECV, &n.to_le_bytes());
        }
        if let Some(n) = stats.dropped {
            b.opt(ISB_IFDROP, &n.to_le_bytes());
        }
        b.finish();
        self.emit()
    }

    /// Number of interfaces added so far.
    pub fn interface_count(&self) -> u32 {
        self.snaplens.len() as u32
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// Bytes written so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    pub fn get_ref(&self) -> &W {
        &self.w
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.w
    }

    pub fn into_inner(self) -> W {
        self.w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Precision, Reader, SECRETS_TYPE_TLS};

    fn section() -> SectionInfo {
        SectionInfo {
            hardware: "x86_64".into(),
            os: "Linux 6.1".into(),
            application: "ptcpdump test".into(),
            comment: Some("section comment".into()),
        }
    }

    fn iface(name: &str, linktype: u32, snaplen: u32) -> InterfaceInfo {
        InterfaceInfo {
            linktype,
            snaplen,
            name: name.into(),
            description: Some(format!("{name} description")),
            filter: Some("tcp port 80".into()),
            os: Some("Linux".into()),
            comment: Some("if comment".into()),
        }
    }

    /// Every block starts and ends with the same length, a multiple of 4, and they tile the file.
    fn assert_blocks_tile(f: &[u8]) -> Vec<u32> {
        let mut types = Vec::new();
        let mut off = 0;
        while off < f.len() {
            let t = u32::from_le_bytes(f[off..off + 4].try_into().unwrap());
            let len = u32::from_le_bytes(f[off + 4..off + 8].try_into().unwrap()) as usize;
            assert!(
                len >= 12 && len.is_multiple_of(4),
                "block at {off}: length {len}"
            );
            let trailer = u32::from_le_bytes(f[off + len - 4..off + len].try_into().unwrap());
            assert_eq!(trailer as usize, len);
            types.push(t);
            off += len;
        }
        assert_eq!(off, f.len());
        types
    }

    #[test]
    fn pcap_round_trip() {
        let mut w = PcapWriter::new(Vec::new(), 1, 96).unwrap();
        w.write_packet(1_700_000_000_123_456_789, b"abc", 3)
            .unwrap();
        w.write_packet(5_000_000_999, &[7; 200], 1500).unwrap();
        assert_eq!(w.bytes_written(), 24 + 19 + 16 + 96);
        let f = w.into_inner();
        assert_eq!(f.len(), 24 + 19 + 16 + 96);
        let mut r = Reader::new(&f[..], Precision::Nano).unwrap();
        assert_eq!((r.linktype(), r.snaplen()), (1, 96));
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(
            (p.ts_sec, p.ts_frac, p.caplen, p.len, p.data),
            (1_700_000_000, 123_456_789, 3, 3, &b"abc"[..])
        );
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(
            (p.ts_sec, p.ts_frac, p.caplen, p.len),
            (5, 999, 96, 1500),
            "cut to snaplen"
        );
        assert!(r.next_packet().unwrap().is_none());
        let mut r = Reader::new(&f[..], Precision::Micro).unwrap();
        assert_eq!(r.next_packet().unwrap().unwrap().ts_frac, 123_456);
    }

    #[test]
    fn pcapng_round_trip() {
        let mut w = PcapngWriter::new(Vec::new(), &section()).unwrap();
        let lo = w.add_interface(&iface("lo", 1, 0)).unwrap();
        w.write_decryption_secrets(SECRETS_TYPE_TLS, b"CLIENT_RANDOM 00 11\n")
            .unwrap();
        let opts = EpbOptions {
            flags: Some(2),
            comments: &["curl.1234", "container abc"],
        };
        w.write_packet(lo, 1_700_000_000_000_000_001, b"hello", 70, &opts)
            .unwrap();
        let any = w.add_interface(&iface("any", 276, 10)).unwrap();
        assert_eq!((lo, any, w.interface_count()), (0, 1, 2));
        w.write_packet(
            any,
            2_000_000_000,
            b"0123456789abc",
            13,
            &EpbOptions::default(),
        )
        .unwrap();
        w.write_interface_statistics(lo, 3_000_000_000, 10, 1)
            .unwrap();
        let stats = InterfaceStatistics {
            start_ns: Some(1),
            end_ns: Some(2),
            received: None,
            dropped: Some(0),
        };
        w.write_interface_statistics_with(any, 3_000_000_000, &stats)
            .unwrap();
        let err = w
            .write_packet(7, 0, b"x", 1, &EpbOptions::default())
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let n = w.bytes_written();
        let f = w.into_inner();
        assert_eq!(n, f.len() as u64, "a refused packet writes nothing");
        assert_eq!(
            assert_blocks_tile(&f),
            [
                BT_SHB, BT_IDB, BT_DSB, BT_EPB, BT_IDB, BT_EPB, BT_ISB, BT_ISB
            ]
        );

        let mut r = Reader::new(&f[..], Precision::Nano).unwrap();
        assert_eq!((r.linktype(), r.snaplen()), (1, 262_144));
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(
            (p.ts_sec, p.ts_frac, p.caplen, p.len, p.data),
            (1_700_000_000, 1, 5, 70, &b"hello"[..])
        );
        assert_eq!((p.interface_id, p.if_name, p.linktype), (0, Some("lo"), 1));
        assert_eq!(p.application, Some("ptcpdump test"));
        assert_eq!(
            (p.flags, p.comments),
            (Some(2), vec!["curl.1234", "container abc"])
        );
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(
            (p.ts_sec, p.ts_frac, p.caplen, p.len, p.data),
            (2, 0, 10, 13, &b"0123456789"[..])
        );
        assert_eq!(
            (p.interface_id, p.if_name, p.linktype, p.flags),
            (1, Some("any"), 276, None)
        );
        assert!(p.comments.is_empty());
        assert!(r.next_packet().unwrap().is_none());
        assert_eq!(r.decryption_secrets().len(), 1);
        assert_eq!(r.decryption_secrets()[0].data, b"CLIENT_RANDOM 00 11\n");
    }

    #[test]
    fn pcapng_options_are_encoded_as_specified() {
        let mut w = PcapngWriter::new(Vec::new(), &section()).unwrap();
        let shb_len = w.bytes_written() as usize;
        w.add_interface(&iface("eth0", 1, 65535)).unwrap();
        let f = w.into_inner();
        let idb = &f[shb_len..];
        let body_end = u32::from_le_bytes(idb[4..8].try_into().unwrap()) as usize - 4;
        let mut opts = Vec::new();
        let mut off = 16;
        while off < body_end {
            let code = u16::from_le_bytes([idb[off], idb[off + 1]]);
            let len = u16::from_le_bytes([idb[off + 2], idb[off + 3]]) as usize;
            opts.push((code, idb[off + 4..off + 4 + len].to_vec()));
            off += 4 + len.div_ceil(4) * 4;
        }
        assert_eq!(
            opts,
            [
                (IF_NAME, b"eth0".to_vec()),
                (IF_DESCRIPTION, b"eth0 description".to_vec()),
                (IF_TSRESOL, vec![9]),
                (IF_FILTER, b"\0tcp port 80".to_vec()),
                (IF_OS, b"Linux".to_vec()),
                (OPT_COMMENT, b"if comment".to_vec()),
                (OPT_ENDOFOPT, vec![]),
            ]
        );
        // SHB options.
        let shb = &f[..shb_len];
        assert!(shb.windows(6).any(|w| w == b"x86_64"));
        assert!(shb.windows(13).any(|w| w == b"ptcpdump test"));
    }

    #[test]
    fn overlong_comment_is_cut_at_a_char_boundary() {
        let long = "é".repeat(40_000); // 80000 bytes
        let mut w = PcapngWriter::new(Vec::new(), &SectionInfo::default()).unwrap();
        w.add_interface(&InterfaceInfo {
            linktype: 1,
            ..Default::default()
        })
        .unwrap();
        w.write_packet(
            0,
            0,
            b"",
            0,
            &EpbOptions {
                flags: None,
                comments: &[&long],
            },
        )
        .unwrap();
        let f = w.into_inner();
        assert_blocks_tile(&f);
        let mut r = Reader::new(&f[..], Precision::Micro).unwrap();
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(p.comments[0].len(), 65534);
        assert!(long.starts_with(p.comments[0]));
    }
}
