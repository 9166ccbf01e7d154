//! Inputs kept from fuzzing (`fuzz/regressions/`): each must read without panicking, end, and
//! hand out packets whose data matches their caplen. The same checks as the `read` fuzz target.
//! The `hand-*` files are well-formed (both byte orders, every block type) and must read fully.

use ptcpdump_pcap::{Precision, Reader};

#[test]
fn fuzz_regressions_read_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let want = match name.as_str() {
            "hand-le-pcap.bin" | "hand-be-pcap.bin" => Some(2),
            "hand-le-pcapng.bin" | "hand-be-pcapng.bin" => Some(4),
            _ => None,
        };
        for precision in [Precision::Micro, Precision::Nano] {
            let Ok(mut r) = Reader::new(&data[..], precision) else {
                assert!(want.is_none(), "{name}");
                continue;
            };
            let mut count = 0;
            loop {
                match r.next_packet() {
                    Ok(Some(p)) => {
                        assert_eq!(p.data.len(), p.caplen as usize, "{name}");
                        count += 1;
                    }
                    Ok(None) => {
                        if let Some(w) = want {
                            assert_eq!(count, w, "{name}");
                        }
                        break;
                    }
                    Err(e) => {
                        assert!(want.is_none(), "{name}: {e}");
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
