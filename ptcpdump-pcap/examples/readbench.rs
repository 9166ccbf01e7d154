//! Prints how fast the reader goes: writes a 1,000,000-packet pcap and pcapng file (96-byte
//! packets, one comment on every tenth pcapng packet) to the temp directory, reads each back
//! at both precisions and prints packets/s. Or reads the files given on the command line.
//!
//! Usage: cargo run --release -p ptcpdump-pcap --example readbench [FILE...]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use ptcpdump_pcap::{
    EpbOptions, InterfaceInfo, PcapWriter, PcapngWriter, Precision, Reader, SectionInfo,
};

const N: u64 = 1_000_000;

fn generate() -> std::io::Result<Vec<PathBuf>> {
    let dir = std::env::temp_dir();
    let data = [0x5a; 96];
    let p1 = dir.join("readbench.pcap");
    let mut w = PcapWriter::new(BufWriter::new(File::create(&p1)?), 1, 262_144)?;
    let t = Instant::now();
    for i in 0..N {
        w.write_packet(1_700_000_000_000_000_000 + i * 1000, &data, 96)?;
    }
    w.into_inner().flush()?;
    println!("write pcap   {N} packets in {:?}", t.elapsed());
    let p2 = dir.join("readbench.pcapng");
    let mut w = PcapngWriter::new(BufWriter::new(File::create(&p2)?), &SectionInfo::default())?;
    let id = w.add_interface(&InterfaceInfo {
        linktype: 1,
        name: "eth0".into(),
        ..Default::default()
    })?;
    let t = Instant::now();
    for i in 0..N {
        let comments: &[&str] = if i % 10 == 0 { &["curl.1234"] } else { &[] };
        w.write_packet(
            id,
            1_700_000_000_000_000_000 + i * 1000,
            &data,
            96,
            &EpbOptions {
                flags: Some(1),
                comments,
                ..Default::default()
            },
        )?;
    }
    w.into_inner().flush()?;
    println!("write pcapng {N} packets in {:?}", t.elapsed());
    Ok(vec![p1, p2])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let files = if args.is_empty() { generate()? } else { args };
    for path in &files {
        for precision in [Precision::Micro, Precision::Nano] {
            let t = Instant::now();
            let mut r = Reader::new(File::open(path)?, precision)?;
            let (mut n, mut bytes, mut comments) = (0u64, 0u64, 0usize);
            while let Some(p) = r.next_packet()? {
                n += 1;
                bytes += u64::from(p.caplen);
                comments += p.comments.len();
            }
            let el = t.elapsed();
            println!(
                "read {} ({precision:?}): {n} packets, {bytes} bytes, {comments} comments in {el:?} = {:.1} Mpkt/s",
                path.display(),
                n as f64 / el.as_secs_f64() / 1e6
            );
        }
    }
    Ok(())
}
