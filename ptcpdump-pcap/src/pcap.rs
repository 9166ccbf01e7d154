//! Classic pcap (libpcap savefile) reading, following libpcap's `sf-pcap.c`: the four magics
//! (micro/nano, both byte orders) plus the old Kuznetzov variant, pre-2.3 swapped length
//! fields, and libpcap's handling of records longer than the snapshot length.

use std::io::Read;

use crate::endian::Endian;
use crate::input::Input;
use crate::{
    Error, Precision, adjust_snapshot, linktype, linktype_from_file_field, max_snaplen_for_linktype,
};

pub(crate) const MAGIC_MICRO: u32 = 0xa1b2_c3d4;
pub(crate) const MAGIC_NANO: u32 = 0xa1b2_3c4d;
/// Files from Alexey Kuznetzov's patched libpcap: 8 more bytes per record header.
pub(crate) const MAGIC_KUZNETZOV: u32 = 0xa1b2_cd34;

pub(crate) const FILE_HEADER_LEN: usize = 24;

/// How libpcap fixes up the timestamp fraction for the requested precision.
#[derive(Clone, Copy, Debug)]
enum Scale {
    Pass,
    /// usec file read as nsec: multiply by 1000 (wrapping at 32 bits, like libpcap+tcpdump).
    Up,
    /// nsec file read as usec: signed 32-bit divide by 1000, like libpcap.
    Down,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LengthsSwapped {
    No,
    Yes,
    Maybe,
}

pub(crate) struct PcapState {
    endian: Endian,
    record_len: usize,
    scale: Scale,
    lengths: LengthsSwapped,
    pub(crate) linktype: u32,
    pub(crate) snapshot: u32,
    /// Holds a record cut to the snapshot length while the rest of it is skipped.
    scratch: Vec<u8>,
}

/// Returns the byte order if `magic` (the first 4 file bytes) is a classic pcap magic.
pub(crate) fn detect(magic: &[u8; 4]) -> Option<Endian> {
    let is = |m: u32| matches!(m, MAGIC_MICRO | MAGIC_NANO | MAGIC_KUZNETZOV);
    if is(u32::from_le_bytes(*magic)) {
        Some(Endian::Little)
    } else if is(u32::from_be_bytes(*magic)) {
        Some(Endian::Big)
    } else {
        None
    }
}

impl PcapState {
    /// Parses the file header; the caller has seen a pcap magic in the first 4 bytes.
    pub(crate) fn open<R: Read>(
        input: &mut Input<R>,
        endian: Endian,
        precision: Precision,
    ) -> Result<Self, Error> {
        let got = input.fill(FILE_HEADER_LEN)?;
        if got < FILE_HEADER_LEN {
            // libpcap reports only what it got after the 4 magic bytes.
            return Err(Error::TruncatedFileHeader {
                expected: FILE_HEADER_LEN,
                got: got - 4,
            });
        }
        let h = input.peek();
        let magic = endian.u32(h, 0);
        let major = endian.u16(h, 4);
        let minor = endian.u16(h, 6);
        let snaplen = endian.u32(h, 16);
        let raw_linktype = endian.u32(h, 20);
        input.consume(FILE_HEADER_LEN);
        if major < 2 {
            return Err(Error::ArchaicFormat);
        }
        if !((major == 2 && minor <= 4) || (major == 543 && minor == 0)) {
            return Err(Error::UnsupportedVersion { major, minor });
        }
        let lt = linktype_from_file_field(raw_linktype);
        let mut snapshot = adjust_snapshot(lt, snaplen);
        let scale = match (precision, magic == MAGIC_NANO) {
            (Precision::Micro, true) => Scale::Down,
            (Precision::Nano, false) => Scale::Up,
            _ => Scale::Pass,
        };
        let lengths = match (major, minor) {
            (2, 0..=2) | (543, _) => LengthsSwapped::Yes,
            (2, 3) => LengthsSwapped::Maybe,
            _ => LengthsSwapped::No,
        };
        let record_len = if magic == MAGIC_KUZNETZOV {
            // Possibly a cooked capture with a faked Ethernet header in front (libpcap's guess).
            if lt == linktype::ETHERNET {
                snapshot = snapshot.saturating_add(14).min(i32::MAX as u32);
            }
            24
        } else {
            16
        };
        Ok(PcapState {
            endian,
            record_len,
            scale,
            lengths,
            linktype: lt,
            snapshot,
            scratch: Vec::new(),
        })
    }
}

/// Where the current record's bytes are.
pub(crate) enum Data {
    /// `len` bytes at this offset of the input buffer.
    Input(usize),
    /// In `PcapState::scratch`.
    Scratch,
}

pub(crate) struct Record {
    pub(crate) ts_sec: u64,
    pub(crate) ts_frac: u32,
    pub(crate) caplen: u32,
    pub(crate) len: u32,
    pub(crate) data: Data,
}

impl PcapState {
    pub(crate) fn next<R: Read>(&mut self, input: &mut Input<R>) -> Result<Option<Record>, Error> {
        let hl = self.record_len;
        let got = input.fill(hl)?;
        if got == 0 {
            return Ok(None);
        }
        if got < hl {
            return Err(Error::TruncatedRecordHeader { expected: hl, got });
        }
        let h = input.peek();
        let e = self.endian;
        let sec = e.u32(h, 0);
        let raw_frac = e.u32(h, 4);
        let mut caplen = e.u32(h, 8);
        let mut len = e.u32(h, 12);
        input.consume(hl);

        let ts_frac = match self.scale {
            Scale::Pass => raw_frac,
            Scale::Up => raw_frac.wrapping_mul(1000),
            // libpcap's field is a signed 32-bit int, but its byte swap yields an unsigned
            // value: a native-order file divides signed, a swapped one unsigned.
            Scale::Down if e == Endian::NATIVE => ((raw_frac as i32) / 1000) as u32,
            Scale::Down => raw_frac / 1000,
        };
        let swap = match self.lengths {
            LengthsSwapped::No => false,
            LengthsSwapped::Yes => true,
            LengthsSwapped::Maybe => caplen > len,
        };
        if swap {
            std::mem::swap(&mut caplen, &mut len);
        }
        let max = max_snaplen_for_linktype(self.linktype);
        if caplen > max {
            return Err(if caplen > self.snapshot {
                Error::CaplenOverSnaplen {
                    caplen,
                    snaplen: self.snapshot,
                }
            } else {
                Error::CaplenOverMaximum { caplen, max }
            });
        }
        let mut rec = Record {
            ts_sec: u64::from(sec),
            ts_frac,
            caplen,
            len,
            data: Data::Scratch,
        };
        if caplen > self.snapshot {
            // libpcap keeps the first snapshot bytes, drops the rest and reports caplen=snapshot.
            let snap = self.snapshot as usize;
            let got = input.fill(snap)?;
            if got < snap {
                return Err(Error::TruncatedPacket {
                    expected: self.snapshot,
                    got,
                });
            }
            self.scratch.clear();
            self.scratch.extend_from_slice(&input.peek()[..snap]);
            input.consume(snap);
            let rest = (caplen - self.snapshot) as usize;
            let skipped = input.skip(rest)?;
            if skipped < rest {
                return Err(Error::TruncatedPacket {
                    expected: caplen,
                    got: snap + skipped,
                });
            }
            rec.caplen = self.snapshot;
        } else {
            let n = caplen as usize;
            let got = input.fill(n)?;
            if got < n {
                return Err(Error::TruncatedPacket {
                    expected: caplen,
                    got,
                });
            }
            rec.data = Data::Input(input.pos());
            input.consume(n);
        }
        Ok(Some(rec))
    }

    /// Written on a host of the other byte order (libpcap's `pcap_is_swapped`).
    pub(crate) fn swapped(&self) -> bool {
        self.endian != Endian::NATIVE
    }

    pub(crate) fn scratch(&self) -> &[u8] {
        &self.scratch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::{Packet, Reader};

    const LE: Endian = Endian::Little;
    const BE: Endian = Endian::Big;

    /// (ts_sec, ts_frac, caplen, len, data)
    type Rec = (u64, u32, u32, u32, Vec<u8>);

    /// Every packet, then the error text if any.
    fn read_all(file: &[u8], p: Precision) -> (Vec<Rec>, Option<String>) {
        let mut r = match Reader::new(file, p) {
            Ok(r) => r,
            Err(e) => return (Vec::new(), Some(e.to_string())),
        };
        let mut out = Vec::new();
        loop {
            match r.next_packet() {
                Ok(Some(Packet {
                    ts_sec,
                    ts_frac,
                    caplen,
                    len,
                    data,
                    ..
                })) => out.push((ts_sec, ts_frac, caplen, len, data.to_vec())),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    #[test]
    fn all_magics_both_orders_and_precisions() {
        for e in [LE, BE] {
            for (magic, file_nano) in [(MAGIC_MICRO, false), (MAGIC_NANO, true)] {
                let mut f = pcap_header(e, magic, 2, 4, 65535, 1);
                let frac = if file_nano { 123_456_789 } else { 123_456 };
                pcap_record(&mut f, e, 1_700_000_000, frac, 3, 60, b"abc");
                pcap_record(&mut f, e, 4_000_000_000, 0, 0, 0, b"");
                let r = Reader::new(&f[..], Precision::Micro).unwrap();
                assert_eq!((r.linktype(), r.snaplen()), (1, 65535));
                let (pk, err) = read_all(&f, Precision::Micro);
                assert_eq!(err, None);
                assert_eq!(pk.len(), 2);
                assert_eq!(pk[0], (1_700_000_000, 123_456, 3, 60, b"abc".to_vec()));
                assert_eq!(pk[1].0, 4_000_000_000, "seconds stay unsigned 32-bit");
                let (pk, _) = read_all(&f, Precision::Nano);
                let want = if file_nano { 123_456_789 } else { 123_456_000 };
                assert_eq!(pk[0].1, want, "{e:?} nano={file_nano}");
            }
        }
    }

    #[test]
    fn libpcap_fraction_quirks() {
        let mut f = pcap_header(LE, MAGIC_MICRO, 2, 4, 65535, 1);
        for frac in [1_000_000u32, 2_147_483_648, 999_999] {
            pcap_record(&mut f, LE, 1, frac, 0, 0, b"");
        }
        let (pk, _) = read_all(&f, Precision::Micro);
        let fr: Vec<u32> = pk.iter().map(|p| p.1).collect();
        assert_eq!(
            fr,
            [1_000_000, 2_147_483_648, 999_999],
            "micro passes through as is"
        );
        let (pk, _) = read_all(&f, Precision::Nano);
        let fr: Vec<u32> = pk.iter().map(|p| p.1).collect();
        // 2147483648 * 1000 wraps to 0 in 32 bits (tcpdump prints .000000000).
        assert_eq!(fr, [1_000_000_000, 0, 999_999_000]);

        // libpcap divides the signed 32-bit field of a native-order file, but the unsigned
        // result of its byte swap for the other order (found by differential fuzzing).
        let (native, other) = if cfg!(target_endian = "little") {
            (LE, BE)
        } else {
            (BE, LE)
        };
        let mut f = pcap_header(native, MAGIC_NANO, 2, 4, 65535, 1);
        pcap_record(&mut f, native, 1, 0x8000_0000, 0, 0, b"");
        let (pk, _) = read_all(&f, Precision::Micro);
        assert_eq!(pk[0].1, (-2_147_483i32) as u32);
        let mut f = pcap_header(other, MAGIC_NANO, 2, 4, 65535, 1);
        pcap_record(&mut f, other, 1, 0x8000_0000, 0, 0, b"");
        let (pk, _) = read_all(&f, Precision::Micro);
        assert_eq!(pk[0].1, 2_147_483);
    }

    #[test]
    fn linktype_fcs_bits_masked_and_snaplen_adjusted() {
        let f = pcap_header(LE, MAGIC_MICRO, 2, 4, 0, 0x1400_0000 | 113);
        let r = Reader::new(&f[..], Precision::Micro).unwrap();
        assert_eq!(r.linktype(), 113);
        assert_eq!(r.snaplen(), 262_144);
        let f = pcap_header(LE, MAGIC_MICRO, 2, 4, 0x8000_0000, 231);
        assert_eq!(
            Reader::new(&f[..], Precision::Micro).unwrap().snaplen(),
            128 * 1024 * 1024
        );
    }

    #[test]
    fn linktype_is_the_low_16_bits_and_old_dlt_values_are_mapped() {
        // FCS-length bits (0x3000_0000) above DLT_RAW (12) and DLT_ATM_CLIP (19), as in
        // tcpdump's heap-overflow-1/2 captures: libpcap reads them as raw IP and CLIP.
        for (field, want) in [
            (0x3000_000C, 101),
            (0x3000_0013, 106),
            (0x0001_0001, 1),
            (0x0400_0069, 105),
            (12, 101),
            (101, 101),
            (11, 100),
            (147, 147),
        ] {
            let f = pcap_header(LE, MAGIC_MICRO, 2, 4, 65535, field);
            let r = Reader::new(&f[..], Precision::Micro).unwrap();
            assert_eq!(r.linktype(), want, "field {field:#x}");
        }
    }

    #[test]
    fn old_versions_swap_lengths() {
        // 2.2: always swapped; 2.3: swapped only when caplen > len.
        let mut f = pcap_header(LE, MAGIC_MICRO, 2, 2, 65535, 1);
        pcap_record(&mut f, LE, 1, 0, 100, 2, b"xy");
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!(err, None);
        assert_eq!((pk[0].2, pk[0].3), (2, 100));
        let mut f = pcap_header(LE, MAGIC_MICRO, 2, 3, 65535, 1);
        pcap_record(&mut f, LE, 1, 0, 100, 2, b"xy");
        pcap_record(&mut f, LE, 1, 0, 2, 100, b"xy");
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!(err, None);
        assert_eq!((pk[0].2, pk[0].3, pk[1].2, pk[1].3), (2, 100, 2, 100));
    }

    #[test]
    fn kuznetzov_records_are_24_bytes() {
        let mut f = pcap_header(LE, MAGIC_KUZNETZOV, 2, 4, 100, 1);
        pcap_record(&mut f, LE, 5, 6, 2, 2, b"");
        f.extend_from_slice(&[9; 8]); // ifindex, protocol, pkt_type, padding
        f.extend_from_slice(b"hi");
        let r = Reader::new(&f[..], Precision::Micro).unwrap();
        assert_eq!(
            r.snaplen(),
            114,
            "libpcap adds 14 for a possible cooked capture"
        );
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!(err, None);
        assert_eq!(pk, [(5, 6, 2, 2, b"hi".to_vec())]);
    }

    #[test]
    fn caplen_over_snaplen_is_cut_like_libpcap() {
        let mut f = pcap_header(LE, MAGIC_MICRO, 2, 4, 4, 1);
        pcap_record(&mut f, LE, 1, 0, 10, 10, b"0123456789");
        pcap_record(&mut f, LE, 2, 0, 3, 3, b"abc");
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!(err, None);
        assert_eq!(
            pk,
            [
                (1, 0, 4, 10, b"0123".to_vec()),
                (2, 0, 3, 3, b"abc".to_vec())
            ]
        );
        // Cut inside the kept part, then inside the skipped part.
        let (pk, err) = read_all(&f[..24 + 16 + 2], Precision::Micro);
        assert!(pk.is_empty());
        assert_eq!(
            err.unwrap(),
            "truncated dump file; tried to read 4 captured bytes, only got 2"
        );
        let (_, err) = read_all(&f[..24 + 16 + 7], Precision::Micro);
        assert_eq!(
            err.unwrap(),
            "truncated dump file; tried to read 10 captured bytes, only got 7"
        );
    }

    #[test]
    fn oversized_caplen_is_an_error() {
        let mut f = pcap_header(LE, MAGIC_MICRO, 2, 4, 65535, 1);
        pcap_record(&mut f, LE, 1, 0, 300_000, 300_000, b"");
        let (_, err) = read_all(&f, Precision::Micro);
        assert_eq!(
            err.unwrap(),
            "invalid packet capture length 300000, bigger than snaplen of 65535"
        );
        let mut f = pcap_header(LE, MAGIC_MICRO, 2, 4, 0x7fff_ffff, 1);
        pcap_record(&mut f, LE, 1, 0, 300_000, 300_000, b"");
        let (_, err) = read_all(&f, Precision::Micro);
        assert_eq!(
            err.unwrap(),
            "invalid packet capture length 300000, bigger than maximum of 262144"
        );
    }

    #[test]
    fn header_errors() {
        let cases: &[(&[u8], &str)] = &[
            (
                b"",
                "truncated dump file; tried to read 4 file header bytes, only got 0",
            ),
            (
                b"\xd4\xc3",
                "truncated dump file; tried to read 4 file header bytes, only got 2",
            ),
            (
                b"\xd4\xc3\xb2\xa1\x02\x00",
                "truncated dump file; tried to read 24 file header bytes, only got 2",
            ),
            (b"GET / HTTP/1.1\r\n\r\n......", "unknown file format"),
        ];
        for (f, want) in cases {
            assert_eq!(read_all(f, Precision::Micro).1.as_deref(), Some(*want));
        }
        let f = pcap_header(BE, MAGIC_MICRO, 3, 0, 65535, 1);
        assert_eq!(
            read_all(&f, Precision::Micro).1.unwrap(),
            "unsupported pcap savefile version 3.0"
        );
        let f = pcap_header(LE, MAGIC_NANO, 1, 9, 65535, 1);
        assert_eq!(
            read_all(&f, Precision::Micro).1.unwrap(),
            "archaic pcap savefile format"
        );
        let f = pcap_header(BE, MAGIC_MICRO, 543, 0, 65535, 1);
        assert_eq!(
            read_all(&f, Precision::Micro).1,
            None,
            "DG/UX 543.0 is accepted"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut f = pcap_header(LE, MAGIC_NANO, 2, 4, 65535, 1);
        let mut ends = Vec::new();
        for i in 0..4u8 {
            let data = vec![i; 7 + i as usize];
            pcap_record(
                &mut f,
                LE,
                100 + u32::from(i),
                5,
                data.len() as u32,
                99,
                &data,
            );
            ends.push(f.len());
        }
        for cut in 0..=f.len() {
            let (pk, err) = read_all(&f[..cut], Precision::Nano);
            let complete = ends.iter().filter(|&&e| e <= cut).count();
            assert_eq!(pk.len(), complete, "cut {cut}");
            for (i, p) in pk.iter().enumerate() {
                assert_eq!(p.0, 100 + i as u64);
                assert_eq!(p.4, vec![i as u8; 7 + i]);
            }
            let at_boundary = cut == 24 || ends.contains(&cut);
            assert_eq!(err.is_none(), at_boundary, "cut {cut}: {err:?}");
            if let Some(err) = err {
                assert!(
                    err.starts_with("truncated dump file; tried to read "),
                    "{err}"
                );
            }
        }
        // Exact texts at a few offsets.
        let (_, err) = read_all(&f[..24 + 5], Precision::Nano);
        assert_eq!(
            err.unwrap(),
            "truncated dump file; tried to read 16 header bytes, only got 5"
        );
        let (_, err) = read_all(&f[..24 + 16 + 3], Precision::Nano);
        assert_eq!(
            err.unwrap(),
            "truncated dump file; tried to read 7 captured bytes, only got 3"
        );
    }
}
