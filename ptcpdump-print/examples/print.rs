//! Minimal `tcpdump -n -r FILE [flags]` over this crate, to run the conformance corpus and
//! benchmarks without building the full binary (no filters, no live capture). It carries its own
//! small pcap/pcapng reader so that this crate keeps no dependency on ptcpdump-pcap.
//!
//!     cargo build --release -p ptcpdump-print --example print
//!     /work/shared/conformance/run.sh target/release/examples/print '^s-'

use ptcpdump_print::{PacketInfo, PrintOptions, Printer, TsFormat};
use std::io::Write;

struct Rec<'a> {
    sec: u64,
    frac: u32,
    caplen: u32,
    len: u32,
    linktype: u32,
    data: &'a [u8],
}

fn u32_at(b: &[u8], off: usize, be: bool) -> u32 {
    let a = [b[off], b[off + 1], b[off + 2], b[off + 3]];
    if be {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    }
}

fn u16_at(b: &[u8], off: usize, be: bool) -> u16 {
    let a = [b[off], b[off + 1]];
    if be {
        u16::from_be_bytes(a)
    } else {
        u16::from_le_bytes(a)
    }
}

/// Calls `f` for each record of a classic pcap or pcapng file held in memory.
fn for_each(buf: &[u8], nano: bool, mut f: impl FnMut(&Rec<'_>) -> bool) {
    if buf.len() < 4 {
        return;
    }
    let magic = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]);
    match magic {
        0xa1b2c3d4 | 0xd4c3b2a1 | 0xa1b23c4d | 0x4d3cb2a1 => {
            let be = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
            let file_nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
            if buf.len() < 24 {
                return;
            }
            let linktype = u32_at(buf, 20, be) & 0x03ff_ffff;
            let snaplen = u32_at(buf, 16, be);
            let mut off = 24;
            while off + 16 <= buf.len() {
                let sec = u32_at(buf, off, be) as u64;
                let mut frac = u32_at(buf, off + 4, be);
                let caplen = u32_at(buf, off + 8, be);
                let len = u32_at(buf, off + 12, be);
                off += 16;
                let Some(data) = buf.get(off..off + caplen as usize) else {
                    return;
                };
                off += caplen as usize;
                // libpcap drops what exceeds the file's snapshot length.
                let caplen = caplen.min(snaplen.max(1));
                let data = &data[..caplen as usize];
                if file_nano && !nano {
                    frac /= 1000;
                } else if !file_nano && nano {
                    frac = frac.wrapping_mul(1000);
                }
                if !f(&Rec {
                    sec,
                    frac,
                    caplen,
                    len,
                    linktype,
                    data,
                }) {
                    return;
                }
            }
        }
        0x0a0d0d0a => {
            let mut be = false;
            let mut ifaces: Vec<(u32, u64)> = Vec::new();
            let mut off = 0;
            while off + 12 <= buf.len() {
                // The block type of a section header reads the same in both byte orders.
                let ty = u32_at(buf, off, be);
                if ty == 0x0a0d0d0a {
                    be = buf[off + 8..off + 12] == [0x1a, 0x2b, 0x3c, 0x4d];
                    ifaces.clear();
                }
                let blen = u32_at(buf, off + 4, be) as usize;
                if blen < 12 || off + blen > buf.len() {
                    return;
                }
                let b = &buf[off..off + blen];
                match ty {
                    1 => {
                        let lt = u16_at(b, 8, be) as u32;
                        let mut units = 1_000_000u64;
                        let mut o = 16;
                        while o + 4 <= blen - 4 {
                            let code = u16_at(b, o, be);
                            let l = u16_at(b, o + 2, be) as usize;
                            if code == 0 {
                                break;
                            }
                            if code == 9 && l >= 1 {
                                let r = b[o + 4];
                                units = if r & 0x80 != 0 {
                                    1 << (r & 0x7f)
                                } else {
                                    10u64.pow(r as u32)
                                };
                            }
                            o += 4 + l.div_ceil(4) * 4;
                        }
                        ifaces.push((lt, units));
                    }
                    6 => {
                        let id = u32_at(b, 8, be) as usize;
                        let ts = (u32_at(b, 12, be) as u64) << 32 | u32_at(b, 16, be) as u64;
                        let caplen = u32_at(b, 20, be);
                        let len = u32_at(b, 24, be);
                        let Some(&(lt, units)) = ifaces.get(id) else {
                            return;
                        };
                        let Some(data) = b.get(28..28 + caplen as usize) else {
                            return;
                        };
                        let sec = ts / units;
                        let rem = ts % units;
                        let want = if nano { 1_000_000_000u64 } else { 1_000_000 };
                        let frac = (rem as u128 * want as u128 / units as u128) as u32;
                        if !f(&Rec {
                            sec,
                            frac,
                            caplen,
                            len,
                            linktype: lt,
                            data,
                        }) {
                            return;
                        }
                    }
                    _ => {}
                }
                off += blen;
            }
        }
        _ => eprintln!("unknown file format"),
    }
}

fn main() {
    let mut opts = PrintOptions::default();
    let mut file = None;
    let mut count: Option<u64> = None;
    let mut nano = false;
    let mut tcount = 0;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-r" => {
                i += 1;
                file = args.get(i).cloned();
            }
            "-c" => {
                i += 1;
                count = args.get(i).and_then(|s| s.parse().ok());
            }
            "-T" => {
                i += 1;
                opts.packet_type = args
                    .get(i)
                    .and_then(|s| ptcpdump_print::PacketType::from_name(s));
            }
            "--nano" => nano = true,
            "--micro" => nano = false,
            "--" => break,
            s if s.starts_with('-') && !s.starts_with("--") => {
                for c in s[1..].chars() {
                    match c {
                        'v' => opts.verbose += 1,
                        'q' => opts.quiet = true,
                        'e' => opts.link_header = true,
                        'S' => opts.absolute_seq = true,
                        'x' => opts.hex += 1,
                        'X' => opts.hex_ascii += 1,
                        'A' => opts.ascii += 1,
                        'n' => opts.numeric += 1,
                        't' => tcount += 1,
                        '#' => opts.number = true,
                        'K' => opts.no_checksum = true,
                        'b' => opts.asdot = true,
                        'H' => opts.mesh_headers = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    opts.ts_format = match tcount {
        0 => TsFormat::Default,
        1 => TsFormat::None,
        2 => TsFormat::Epoch,
        3 => TsFormat::DeltaPrev,
        4 => TsFormat::Date,
        _ => TsFormat::DeltaFirst,
    };
    opts.nano = nano;
    let buf = std::fs::read(file.expect("-r FILE")).expect("read");
    let mut printer = Printer::new(opts);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut out = String::with_capacity(1 << 16);
    let mut n = 0u64;
    for_each(&buf, nano, |r| {
        if count.is_some_and(|c| n >= c) {
            return false;
        }
        n += 1;
        printer.print(
            &mut out,
            &PacketInfo {
                ts_sec: r.sec,
                ts_frac: r.frac,
                linktype: r.linktype,
                caplen: r.caplen,
                len: r.len,
                data: r.data,
                ..Default::default()
            },
        );
        if out.len() > 1 << 15 {
            w.write_all(out.as_bytes()).unwrap();
            out.clear();
        }
        true
    });
    w.write_all(out.as_bytes()).unwrap();
    w.flush().unwrap();
}
