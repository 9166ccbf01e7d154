//! libpcap as the oracle: `tcpdump -r FILE -w OUT` writes back exactly what libpcap read
//! (timestamps already scaled to the requested precision, caplen, len, data). Reading every
//! capture of the conformance corpus with our reader must give the same packets as reading
//! tcpdump's rewrite of it, at both precisions. Skipped, with a note, without tcpdump or the
//! corpus.

use std::path::{Path, PathBuf};
use std::process::Command;

use ptcpdump_pcap::{Precision, Reader};

const CORPUS: &str = "/work/shared/conformance/pcaps";

/// (ts_sec, ts_frac, caplen, len, data, linktype) of every packet; panics on a read error.
fn packets(path: &Path, precision: Precision) -> Vec<(u64, u32, u32, u32, Vec<u8>, u32)> {
    let f = std::fs::File::open(path).unwrap();
    let mut r = Reader::new(f, precision).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    while let Some(p) = r
        .next_packet()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    {
        out.push((
            p.ts_sec,
            p.ts_frac,
            p.caplen,
            p.len,
            p.data.to_vec(),
            p.linktype,
        ));
    }
    out
}

#[test]
fn corpus_reads_like_libpcap() {
    let corpus = Path::new(CORPUS);
    if !corpus.is_dir() || Command::new("tcpdump").arg("--version").output().is_err() {
        eprintln!("note: tcpdump or {CORPUS} missing; skipping");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("ptcpdump-pcap-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut checked = 0;
    for file in &files {
        for (precision, flag) in [(Precision::Micro, "--micro"), (Precision::Nano, "--nano")] {
            let out = tmp.join("rewrite.pcap");
            let st = Command::new("tcpdump")
                .arg(flag)
                .arg("-r")
                .arg(file)
                .arg("-w")
                .arg(&out)
                .output()
                .unwrap();
            assert!(
                st.status.success(),
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&st.stderr)
            );
            let ours = packets(file, precision);
            let theirs = packets(&out, precision);
            assert_eq!(ours.len(), theirs.len(), "{}", file.display());
            for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                // libpcap writes seconds as 32 bits; pcapng files may carry more.
                assert_eq!(a.0 as u32 as u64, b.0, "{} #{i} seconds", file.display());
                assert_eq!(
                    (a.1, a.2, a.3, a.5),
                    (b.1, b.2, b.3, b.5),
                    "{} #{i} {flag}",
                    file.display()
                );
                assert_eq!(a.4, b.4, "{} #{i} data", file.display());
            }
            checked += 1;
        }
    }
    std::fs::remove_dir_all(&tmp).unwrap();
    assert!(checked > 100, "only {checked} files checked");
}

/// What tcpdump would say on stderr about a damaged file, from our reader.
fn our_error(data: &[u8]) -> (usize, Option<String>) {
    let mut r = match Reader::with_libpcap_strict(data, Precision::Micro, true) {
        Ok(r) => r,
        Err(e) => return (0, Some(format!("tcpdump: {e}"))),
    };
    let mut n = 0;
    loop {
        match r.next_packet() {
            Ok(Some(_)) => n += 1,
            Ok(None) => return (n, None),
            Err(e) => return (n, Some(format!("tcpdump: pcap_loop: {e}"))),
        }
    }
}

#[test]
fn truncated_files_fail_like_libpcap() {
    let corpus = Path::new(CORPUS);
    if !corpus.is_dir() || Command::new("tcpdump").arg("--version").output().is_err() {
        eprintln!("note: tcpdump or {CORPUS} missing; skipping");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("ptcpdump-pcap-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let cut_file = tmp.join("cut");
    let out = tmp.join("out.pcap");
    let mut checked = 0;
    for name in [
        "live-lo-nano.pcap",
        "live-lo-nano.pcapng",
        "live-any-sll.pcap",
        "time_2107.pcapng",
    ] {
        let full = std::fs::read(corpus.join(name)).unwrap();
        // Every offset in the first 300 bytes (headers, first records), then a spread.
        let mut cuts: Vec<usize> = (0..300.min(full.len())).collect();
        cuts.extend((300..full.len()).step_by(997));
        for cut in cuts {
            std::fs::write(&cut_file, &full[..cut]).unwrap();
            let st = Command::new("tcpdump")
                .arg("-r")
                .arg(&cut_file)
                .arg("-w")
                .arg(&out)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&st.stderr);
            let theirs: Vec<&str> = stderr
                .lines()
                .filter(|l| !l.starts_with("reading from file"))
                .collect();
            let (n, ours) = our_error(&full[..cut]);
            assert_eq!(
                ours.as_deref(),
                theirs.first().copied(),
                "{name} cut at {cut}"
            );
            if out.exists() && ours.as_deref().is_none_or(|e| e.contains("pcap_loop")) {
                let written = std::fs::read(&out).unwrap();
                let (m, err) = our_error(&written);
                assert_eq!(
                    (m, err),
                    (n, None),
                    "{name} cut at {cut}: packets before the damage"
                );
            }
            let _ = std::fs::remove_file(&out);
            checked += 1;
        }
    }
    std::fs::remove_dir_all(&tmp).unwrap();
    assert!(checked > 500, "{checked}");
}

/// The fuzz regression inputs (some found by differential fuzzing) against tcpdump itself.
#[test]
fn fuzz_regressions_fail_like_libpcap() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        eprintln!("note: tcpdump missing; skipping");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let tmp = std::env::temp_dir().join(format!("ptcpdump-pcap-regr-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let out = tmp.join("out.pcap");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let st = Command::new("tcpdump")
            .arg("-r")
            .arg(&path)
            .arg("-w")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&st.stderr);
        let theirs: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("reading from file"))
            .collect();
        if theirs
            .first()
            .is_some_and(|l| l.starts_with("tcpdump: unknown data link type"))
        {
            // tcpdump itself refuses the link type before libpcap reads a packet.
            continue;
        }
        let (n, ours) = our_error(&data);
        assert_eq!(
            ours.as_deref(),
            theirs.first().copied(),
            "{}",
            path.display()
        );
        checked += 1;
        if out.exists() {
            let (m, _) = our_error(&std::fs::read(&out).unwrap());
            assert_eq!(m, n, "{}", path.display());
        }
        let _ = std::fs::remove_file(&out);
    }
    std::fs::remove_dir_all(&tmp).unwrap();
    assert!(checked >= 5, "{checked}");
}

/// Big-endian files whose pseudo-headers libpcap rewrites (SLL/SLL2 CAN IDs, NFLOG TLVs):
/// tcpdump's rewrite (in our byte order) must hold the same bytes we hand out.
#[test]
fn swapped_pseudo_headers_like_libpcap() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        eprintln!("note: tcpdump missing; skipping");
        return;
    }
    let mut sll_can = vec![0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x00, 0x0C];
    sll_can.extend_from_slice(&[0x12, 0x34, 0x56, 0x78, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    let mut sll2_can = vec![
        0x00, 0x0D, 0, 0, 0, 0, 0, 1, 1, 0x18, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0,
    ];
    sll2_can.extend_from_slice(&[0x12, 0x34, 0x56, 0x78, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // NFLOG: header, a prefix TLV ("ab", length 6 padded to 8), a payload TLV of 8.
    let nflog = vec![
        2, 0, 0, 0, 0, 6, 0, 10, b'a', b'b', 0, 0, 0, 8, 0, 9, 0x45, 0, 0, 0,
    ];
    let tmp = std::env::temp_dir().join(format!("ptcpdump-pcap-swap-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for (linktype, pkt) in [(113u32, sll_can), (276, sll2_can), (239, nflog)] {
        let mut f = Vec::new();
        for v in [0xa1b2c3d4u32, 0x0002_0004, 0, 0, 65535, linktype] {
            f.extend_from_slice(&v.to_be_bytes());
        }
        for v in [1u32, 0, pkt.len() as u32, pkt.len() as u32] {
            f.extend_from_slice(&v.to_be_bytes());
        }
        f.extend_from_slice(&pkt);
        let (src, out) = (tmp.join("be.pcap"), tmp.join("out.pcap"));
        std::fs::write(&src, &f).unwrap();
        let st = Command::new("tcpdump")
            .arg("-r")
            .arg(&src)
            .arg("-w")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        let ours = packets(&src, Precision::Micro);
        let theirs = packets(&out, Precision::Micro);
        assert_eq!(ours.len(), 1);
        assert_ne!(
            ours[0].4, pkt,
            "linktype {linktype}: the pseudo-header was rewritten"
        );
        assert_eq!(ours[0].4, theirs[0].4, "linktype {linktype}");
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}
