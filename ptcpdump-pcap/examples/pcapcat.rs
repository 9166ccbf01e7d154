//! Prints one line per packet of a capture file (timestamp, lengths, link type, interface,
//! flags, comments), then the error if the file is damaged. Used to compare against
//! `tcpdump -tt` and `tshark` by hand.
//!
//! Usage: pcapcat FILE [--nano]

use std::fs::File;
use std::io::BufWriter;
use std::io::Write;

use ptcpdump_pcap::{Precision, Reader};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: pcapcat FILE [--nano]");
        std::process::exit(2);
    };
    let nano = args.iter().any(|a| a == "--nano");
    let precision = if nano {
        Precision::Nano
    } else {
        Precision::Micro
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("pcapcat: {path}: {e}");
            std::process::exit(1);
        }
    };
    let mut reader = match Reader::new(file, precision) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pcapcat: {e}");
            std::process::exit(1);
        }
    };
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let _ = writeln!(
        out,
        "# linktype {} snaplen {}",
        reader.linktype(),
        reader.snaplen()
    );
    loop {
        match reader.next_packet() {
            Ok(Some(p)) => {
                let frac = if nano {
                    format!("{:09}", p.ts_frac)
                } else {
                    format!("{:06}", p.ts_frac)
                };
                let _ = writeln!(
                    out,
                    "{}.{} caplen {} len {} linktype {} if {} {:?} {:?} {:?}",
                    p.ts_sec,
                    frac,
                    p.caplen,
                    p.len,
                    p.linktype,
                    p.interface_id,
                    p.if_name,
                    p.flags,
                    p.comments
                );
            }
            Ok(None) => break,
            Err(e) => {
                let _ = out.flush();
                eprintln!("pcapcat: pcap_loop: {e}");
                std::process::exit(1);
            }
        }
    }
}
