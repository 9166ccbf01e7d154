//! Differential fuzzing against the system libpcap: for any input, our reader in
//! libpcap-strict mode must accept or refuse the file as libpcap does, with libpcap's error
//! text, and return the same packets (timestamps, lengths, data) before any damage.
//! Needs libpcap's shared library (Debian: libpcap0.8-dev).
#![no_main]

use std::ffi::{CStr, c_char, c_int, c_uint, c_void};

use libfuzzer_sys::fuzz_target;
use ptcpdump_pcap::{Precision, Reader};

#[repr(C)]
struct Timeval {
    tv_sec: i64,
    tv_usec: i64,
}

#[repr(C)]
struct PktHdr {
    ts: Timeval,
    caplen: u32,
    len: u32,
}

#[link(name = "pcap")]
unsafe extern "C" {
    fn pcap_fopen_offline_with_tstamp_precision(
        fp: *mut c_void,
        precision: c_uint,
        errbuf: *mut c_char,
    ) -> *mut c_void;
    fn pcap_next_ex(p: *mut c_void, hdr: *mut *mut PktHdr, data: *mut *const u8) -> c_int;
    fn pcap_geterr(p: *mut c_void) -> *const c_char;
    fn pcap_close(p: *mut c_void);
    fn pcap_is_swapped(p: *mut c_void) -> c_int;
}

unsafe extern "C" {
    fn fmemopen(buf: *mut c_void, size: usize, mode: *const c_char) -> *mut c_void;
}

/// Link types whose pseudo-header libpcap rewrites in byte-swapped files and we do not (USB,
/// PFLOG); USB_LINUX_MMAPPED (220) also has its length fixed up.
const REWRITTEN: &[u32] = &[117, 189, 220];

struct Libpcap {
    packets: Vec<(u64, u32, u32, u32, Vec<u8>)>,
    error: Option<String>,
    open_failed: bool,
    swapped: bool,
}

fn libpcap(data: &[u8], nano: bool) -> Libpcap {
    let mut copy = data.to_vec();
    let mut res = Libpcap {
        packets: Vec::new(),
        error: None,
        open_failed: false,
        swapped: false,
    };
    // fmemopen refuses a zero size; libpcap would report 0 header bytes for an empty file.
    if copy.is_empty() {
        res.error =
            Some("truncated dump file; tried to read 4 file header bytes, only got 0".into());
        res.open_failed = true;
        return res;
    }
    unsafe {
        let fp = fmemopen(copy.as_mut_ptr().cast(), copy.len(), c"rb".as_ptr());
        assert!(!fp.is_null());
        let mut errbuf = [0 as c_char; 512];
        let p = pcap_fopen_offline_with_tstamp_precision(fp, u32::from(nano), errbuf.as_mut_ptr());
        if p.is_null() {
            res.error = Some(
                CStr::from_ptr(errbuf.as_ptr())
                    .to_string_lossy()
                    .into_owned(),
            );
            res.open_failed = true;
            // libpcap closes nothing on failure; the FILE stays ours.
            libc_fclose(fp);
            return res;
        }
        res.swapped = pcap_is_swapped(p) != 0;
        loop {
            let mut hdr: *mut PktHdr = std::ptr::null_mut();
            let mut pkt: *const u8 = std::ptr::null();
            match pcap_next_ex(p, &mut hdr, &mut pkt) {
                1 => {
                    let h = &*hdr;
                    let d = std::slice::from_raw_parts(pkt, h.caplen as usize).to_vec();
                    res.packets
                        .push((h.ts.tv_sec as u64, h.ts.tv_usec as u32, h.caplen, h.len, d));
                }
                -2 => break,
                _ => {
                    res.error = Some(
                        CStr::from_ptr(pcap_geterr(p))
                            .to_string_lossy()
                            .into_owned(),
                    );
                    break;
                }
            }
        }
        pcap_close(p); // closes fp too
    }
    res
}

unsafe extern "C" {
    fn fclose(fp: *mut c_void) -> c_int;
}

unsafe fn libc_fclose(fp: *mut c_void) {
    unsafe { fclose(fp) };
}

fuzz_target!(|data: &[u8]| {
    for nano in [false, true] {
        let theirs = libpcap(data, nano);
        let precision = if nano {
            Precision::Nano
        } else {
            Precision::Micro
        };
        let mut r = match Reader::with_libpcap_strict(data, precision, true) {
            Ok(r) => r,
            Err(e) => {
                assert!(theirs.open_failed, "we refused ({e}), libpcap opened");
                assert_eq!(Some(e.to_string()), theirs.error);
                continue;
            }
        };
        assert!(
            !theirs.open_failed,
            "libpcap refused ({:?}), we opened",
            theirs.error
        );
        let classic = !r.is_pcapng();
        let mut i = 0;
        let ours_err = loop {
            match r.next_packet() {
                Ok(Some(p)) => {
                    let Some(t) = theirs.packets.get(i) else {
                        panic!("we have more packets than libpcap ({:?})", theirs.error);
                    };
                    if classic {
                        // libpcap sign-extends the 32-bit seconds; we keep them unsigned.
                        assert_eq!(p.ts_sec as u32, t.0 as u32, "#{i} sec");
                    } else {
                        assert_eq!(p.ts_sec, t.0, "#{i} sec");
                    }
                    assert_eq!(p.ts_frac, t.1, "#{i} frac");
                    assert_eq!(p.caplen, t.2, "#{i} caplen");
                    if p.linktype != 220 {
                        assert_eq!(p.len, t.3, "#{i} len");
                    }
                    if !(theirs.swapped && REWRITTEN.contains(&p.linktype)) {
                        assert_eq!(p.data, &t.4[..], "#{i} data");
                    }
                    i += 1;
                }
                Ok(None) => break None,
                Err(e) => break Some(e.to_string()),
            }
        };
        assert_eq!(
            i,
            theirs.packets.len(),
            "packet count (ours {ours_err:?}, libpcap {:?})",
            theirs.error
        );
        assert_eq!(ours_err, theirs.error);
    }
});
