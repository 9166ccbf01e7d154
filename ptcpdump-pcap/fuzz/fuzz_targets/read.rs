//! Any byte string, read as a capture file at both precisions: never panics, never hands out
//! a packet whose data disagrees with its caplen, and ends (error or end of file).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptcpdump_pcap::{Precision, Reader};

fuzz_target!(|data: &[u8]| {
    for precision in [Precision::Micro, Precision::Nano] {
        // Both pcapng modes: lenient (default) and libpcap-strict.
        let strict = data.len() % 2 == 1;
        let Ok(mut r) = Reader::with_libpcap_strict(data, precision, strict) else {
            continue;
        };
        let snaplen = r.snaplen();
        assert!(snaplen > 0);
        let mut n = 0usize;
        loop {
            match r.next_packet() {
                Ok(Some(p)) => {
                    assert_eq!(p.data.len(), p.caplen as usize);
                    n += 1;
                    // Each packet consumes at least a 12-byte block or a 16-byte record.
                    assert!(n <= data.len() / 12);
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = e.to_string();
                    assert!(
                        r.next_packet().unwrap().is_none(),
                        "no reading past an error"
                    );
                    break;
                }
            }
        }
        let _ = r.decryption_secrets();
    }
});
