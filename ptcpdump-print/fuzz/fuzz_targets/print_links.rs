//! Every printer, through every link type, with tcpdump's `-v`, `-vvv`, `-e -H` and `-X` option
//! sets (and `-T` types): no panic, no hang (libFuzzer's `-timeout`), and no byte past the
//! captured length read or shown.
//!
//! Input: link type (2 bytes, big endian, taken modulo 512 so that every LINKTYPE_* value,
//! known or not, is reachable), an options byte, then the captured packet:
//! * bits 0-4: `-T` type, 0 for none, else `PacketType::NAMES[n - 1]` (modulo its length);
//! * bit 5: `-vvvv` instead of `-vvv`;
//! * bits 6-7: the original length exceeds the capture by 0, 1, 100 or 1000 bytes (a capture
//!   cut by its snapshot length).
//!
//! The packet is handed over in a buffer of exactly its size, so a read past it cannot go
//! unnoticed (a bounds-check panic, or AddressSanitizer for unsafe code). The `-vvv` set is
//! printed a second time with bytes after the capture in the buffer: the output must not
//! change, i.e. nothing past the captured length is ever read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptcpdump_print::{PacketInfo, PacketType, PrintOptions, Printer, TsFormat};

/// Prints `data` (`caplen` of its bytes) twice with one printer, as two packets of a capture
/// (the second one sees state the first left: TCP sequence numbers, NFS calls, ...).
fn print(opts: &PrintOptions, linktype: u32, data: &[u8], caplen: usize, len: u32) -> String {
    let mut p = Printer::new(opts.clone());
    let mut out = String::new();
    let info = PacketInfo {
        ts_sec: 1,
        ts_frac: 2,
        linktype,
        caplen: caplen as u32,
        len,
        data,
        ..Default::default()
    };
    p.print(&mut out, &info);
    p.print(&mut out, &info);
    assert!(out.ends_with('\n'), "no final newline: {out:?}");
    out
}

fuzz_target!(|input: &[u8]| {
    if input.len() < 3 {
        return;
    }
    let linktype = u16::from_be_bytes([input[0], input[1]]) as u32 % 512;
    let flags = input[2];
    let packet = input[3..].to_vec();
    let packet_type = match (flags & 0x1f) as usize {
        0 => None,
        n => Some(PacketType::NAMES[(n - 1) % PacketType::NAMES.len()].1),
    };
    let extra = [0u32, 1, 100, 1000][(flags >> 6) as usize];
    let len = packet.len() as u32 + extra;
    let base = PrintOptions {
        ts_format: TsFormat::DeltaPrev,
        utc: true,
        packet_type,
        ..Default::default()
    };
    let vvv = if flags & 0x20 != 0 { 4 } else { 3 };
    let sets = [
        PrintOptions {
            verbose: 1,
            ..base.clone()
        },
        PrintOptions {
            verbose: vvv,
            ..base.clone()
        },
        // -e -H: the 802.11 MAC header with an 802.11s mesh control field.
        PrintOptions {
            link_header: true,
            mesh_headers: true,
            ..base.clone()
        },
        PrintOptions {
            hex_ascii: 1,
            ..base.clone()
        },
    ];
    for opts in &sets {
        print(opts, linktype, &packet, packet.len(), len);
    }
    // The same capture in a longer buffer: the bytes after it must change nothing.
    let exact = print(&sets[1], linktype, &packet, packet.len(), len);
    let mut padded = packet.clone();
    padded.extend(std::iter::repeat_n(0xa5u8, 64));
    let longer = print(&sets[1], linktype, &padded, packet.len(), len);
    assert_eq!(exact, longer, "output depends on bytes past the capture");
});
