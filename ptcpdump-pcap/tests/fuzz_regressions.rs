//! Inputs kept from fuzzing (`fuzz/regressions/`): each must read without panicking, end, and
//! hand out packets whose data matches their caplen. The same checks as the `read` fuzz target.

use ptcpdump_pcap::{Precision, Reader};

#[test]
fn fuzz_regressions_read_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        for precision in [Precision::Micro, Precision::Nano] {
            let Ok(mut r) = Reader::new(&data[..], precision) else {
                continue;
            };
            loop {
                match r.next_packet() {
                    Ok(Some(p)) => {
                        assert_eq!(p.data.len(), p.caplen as usize, "{}", path.display())
                    }
                    Ok(None) => break,
                    Err(_) => {
                        assert!(r.next_packet().unwrap().is_none());
                        break;
                    }
                }
            }
        }
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}
