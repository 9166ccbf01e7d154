//! Arbitrary expression text and packet bytes: compiling, dumping, interpreting and translating
//! to eBPF never panics, and whatever libpcap compiles is a program our interpreter and
//! translator accept.
//!
//! Input layout: byte 0 picks the link type, then the expression up to the first NUL, then the
//! packet.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptcpdump_filter::{compile, compile_offline, ebpf, linktype};

const LINKTYPES: [u32; 7] = [
    linktype::ETHERNET,
    linktype::RAW,
    linktype::LINUX_SLL,
    linktype::LINUX_SLL2,
    linktype::NULL,
    linktype::IPV4,
    linktype::IPV6,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let lt = LINKTYPES[usize::from(pick) % LINKTYPES.len()];
    let (expr, packet) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let expr = String::from_utf8_lossy(expr);
    let result = if pick & 0x80 != 0 {
        compile_offline(&expr, lt, 262144, pick & 0x40 != 0)
    } else {
        compile(&expr, lt, 262144)
    };
    let Ok(prog) = result else {
        return;
    };
    prog.validate()
        .expect("libpcap produced a program we call invalid");
    let wirelen = packet.len() as u32 + u32::from(pick & 0x0f);
    let _ = prog.matches(packet, wirelen);
    for level in 1..=3 {
        let _ = prog.dump(level);
    }
    ebpf::translate(&prog).expect("translation of a libpcap program failed");
    ebpf::entry_program(Some(&prog), 3, 7, 4, 0).expect("entry program failed");
    let attach = ebpf::Attach {
        hook: ebpf::Hook::Egress,
        vlan_tag_in_packet: true,
    };
    ebpf::entry_program_for(attach, Some(&prog), 3, 7, 4, 0).expect("tagged entry program failed");
});
