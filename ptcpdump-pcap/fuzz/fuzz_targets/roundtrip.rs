//! Packets built from fuzz input, written with both writers and read back: the reader must
//! return exactly what was written (data cut to the snapshot length).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptcpdump_pcap::{
    EpbOptions, InterfaceInfo, PcapWriter, PcapngWriter, Precision, Reader, SectionInfo,
};

fuzz_target!(
    |input: (u16, Vec<(u64, Vec<u8>, u32, Option<u32>, Vec<String>)>)| {
        let (snaplen, packets) = input;
        let snaplen = u32::from(snaplen);
        let cut = |d: &[u8]| {
            d.len().min(if snaplen == 0 {
                262_144
            } else {
                snaplen as usize
            })
        };

        let mut w = PcapWriter::new(Vec::new(), 1, snaplen).unwrap();
        for (ts, data, len, _, _) in &packets {
            w.write_packet(*ts, data, *len).unwrap();
        }
        let file = w.into_inner();
        let mut r = Reader::new(&file[..], Precision::Nano).unwrap();
        for (ts, data, len, _, _) in &packets {
            let p = r.next_packet().unwrap().unwrap();
            assert_eq!(p.data, &data[..cut(data)]);
            assert_eq!(p.len, (*len).max(p.caplen));
            assert_eq!(p.ts_sec, (ts / 1_000_000_000) as u32 as u64);
            assert_eq!(u64::from(p.ts_frac), ts % 1_000_000_000);
        }
        assert!(r.next_packet().unwrap().is_none());

        let mut w = PcapngWriter::new(Vec::new(), &SectionInfo::default()).unwrap();
        w.add_interface(&InterfaceInfo {
            linktype: 1,
            snaplen,
            name: "x".into(),
            ..Default::default()
        })
        .unwrap();
        for (ts, data, len, flags, comments) in &packets {
            let c: Vec<&str> = comments.iter().map(String::as_str).collect();
            w.write_packet(
                0,
                *ts,
                data,
                *len,
                &EpbOptions {
                    flags: *flags,
                    comments: &c,
                },
            )
            .unwrap();
        }
        let file = w.into_inner();
        let mut r = Reader::new(&file[..], Precision::Nano).unwrap();
        for (ts, data, len, flags, comments) in &packets {
            let p = r.next_packet().unwrap().unwrap();
            assert_eq!(p.data, &data[..cut(data)]);
            assert_eq!(p.len, (*len).max(p.caplen));
            assert_eq!(
                (p.ts_sec, u64::from(p.ts_frac)),
                (ts / 1_000_000_000, ts % 1_000_000_000)
            );
            assert_eq!(p.flags, *flags);
            // Comments come back up to the first NUL and within an option's 65535 bytes.
            assert_eq!(p.comments.len(), comments.len());
            for (got, want) in p.comments.iter().zip(comments) {
                let want = want.split('\0').next().unwrap();
                assert!(want.starts_with(got) && (got.len() == want.len() || want.len() > 65535));
            }
        }
        assert!(r.next_packet().unwrap().is_none());
    }
);
