//! Printer::print over arbitrary packets: must never panic, loop forever or read out of bounds.
//! The first two bytes choose the link type and the output flags; the rest is the packet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptcpdump_print::{PacketInfo, PrintOptions, Printer, TsFormat};

const LINKTYPES: [u32; 8] = [1, 113, 276, 101, 228, 229, 0, 108];

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (sel, flags, pkt) = (data[0], data[1], &data[2..]);
    let opts = PrintOptions {
        verbose: flags & 3,
        quiet: flags & 4 != 0,
        link_header: flags & 8 != 0,
        absolute_seq: flags & 16 != 0,
        hex: (flags >> 5) & 1,
        hex_ascii: (flags >> 6) & 1,
        ascii: flags >> 7,
        ts_format: TsFormat::DeltaPrev,
        utc: true,
        ..Default::default()
    };
    let mut p = Printer::new(opts);
    let mut out = String::new();
    let info = PacketInfo {
        ts_sec: 1,
        ts_frac: 2,
        linktype: LINKTYPES[(sel & 7) as usize],
        caplen: pkt.len() as u32,
        // Some inputs claim a longer original length, as a snaplen-truncated capture does.
        len: pkt.len() as u32 + (sel >> 3) as u32 * 100,
        data: pkt,
        ..Default::default()
    };
    // Twice, so the TCP sequence table sees a known connection.
    p.print(&mut out, &info);
    p.print(&mut out, &info);
    assert!(out.ends_with('\n'));
});
