//! Helpers shared by the integration tests: a tiny classic-pcap reader/writer (pcapng files are
//! first converted by tcpdump itself), the corpus location, the expression list.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Record {
    pub ts_sec: u32,
    pub ts_frac: u32,
    pub len: u32,
    pub data: Vec<u8>,
}

pub struct Capture {
    pub linktype: u32,
    pub snaplen: u32,
    pub records: Vec<Record>,
}

/// Parses a classic pcap file (either byte order, micro or nano magic). `None` if it is not one
/// or is truncated inside the file header; a truncated last record is dropped like libpcap's
/// reader would stop there.
pub fn read_pcap(bytes: &[u8]) -> Option<Capture> {
    let magic = bytes.get(..4)?;
    let big = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => false,
        [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => true,
        _ => return None,
    };
    let u32_at = |off: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(off..off + 4)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let snaplen = u32_at(16)?;
    let linktype = u32_at(20)? & 0x03ff_ffff;
    let mut records = Vec::new();
    let mut off = 24;
    while off + 16 <= bytes.len() {
        let (ts_sec, ts_frac, caplen, len) = (
            u32_at(off)?,
            u32_at(off + 4)?,
            u32_at(off + 8)?,
            u32_at(off + 12)?,
        );
        let start = off + 16;
        let Some(data) = bytes.get(start..start + caplen as usize) else {
            break;
        };
        records.push(Record {
            ts_sec,
            ts_frac,
            len,
            data: data.to_vec(),
        });
        off = start + caplen as usize;
    }
    Some(Capture {
        linktype,
        snaplen,
        records,
    })
}

/// Writes a microsecond classic pcap file in big- or little-endian byte order.
pub fn write_pcap(path: &Path, big: bool, linktype: u32, snaplen: u32, records: &[&Record]) {
    let w32 = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let w16 = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut out = Vec::new();
    out.extend_from_slice(&w32(0xa1b2_c3d4));
    out.extend_from_slice(&w16(2));
    out.extend_from_slice(&w16(4));
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&w32(snaplen));
    out.extend_from_slice(&w32(linktype));
    for r in records {
        for v in [r.ts_sec, r.ts_frac, r.data.len() as u32, r.len] {
            out.extend_from_slice(&w32(v));
        }
        out.extend_from_slice(&r.data);
    }
    std::fs::write(path, out).unwrap();
}

/// $PTCPDUMP_SHARED/conformance/pcaps (as scripts/test.sh exports it), else
/// ../shared/conformance/pcaps next to the repository.
pub fn corpus_dir() -> Option<PathBuf> {
    let shared = match std::env::var_os("PTCPDUMP_SHARED") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    let dir = shared.join("conformance/pcaps");
    dir.is_dir().then_some(dir)
}

pub fn corpus_files() -> Vec<PathBuf> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

pub fn tcpdump_available() -> bool {
    Command::new("tcpdump")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The expressions of tests/data/expressions.txt.
pub fn expressions() -> Vec<String> {
    let text = include_str!("../data/expressions.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// A fresh temporary directory for this test process.
pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ptcpdump-filter-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The message tcpdump printed after "tcpdump: " on its last such stderr line.
pub fn tcpdump_error(stderr: &[u8]) -> Option<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("tcpdump: ").map(String::from))
}

/// Ethernet packets of the classic pcap files of the corpus that BPF_PROG_TEST_RUN accepts
/// (at least a 14-byte header, at most about a page).
pub fn ethernet_packets() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for f in corpus_files() {
        let Some(cap) = std::fs::read(&f).ok().and_then(|b| read_pcap(&b)) else {
            continue;
        };
        if cap.linktype != 1 {
            continue;
        }
        out.extend(
            cap.records
                .into_iter()
                .map(|r| r.data)
                .filter(|d| d.len() >= 14 && d.len() <= 3000),
        );
    }
    out
}
