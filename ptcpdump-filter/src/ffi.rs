//! The handful of libpcap entry points we use, declared by hand (pcap/pcap.h, pcap/bpf.h of
//! libpcap 1.10). Everything here is unsafe and only called from `compile.rs` under its lock.

use std::ffi::{c_char, c_int, c_uint};

use crate::Insn;

/// `struct bpf_program`.
#[repr(C)]
pub(crate) struct BpfProgram {
    pub bf_len: c_uint,
    pub bf_insns: *mut Insn,
}

/// Opaque `pcap_t`.
#[repr(C)]
pub(crate) struct PcapT {
    _private: [u8; 0],
}

/// `PCAP_ERRBUF_SIZE`.
pub(crate) const PCAP_ERRBUF_SIZE: usize = 256;

unsafe extern "C" {
    /// Takes ownership of `fp` (`FILE *`), closed by `pcap_close`.
    pub(crate) fn pcap_fopen_offline(fp: *mut std::ffi::c_void, errbuf: *mut c_char) -> *mut PcapT;
    pub(crate) fn pcap_open_dead(linktype: c_int, snaplen: c_int) -> *mut PcapT;
    pub(crate) fn pcap_close(p: *mut PcapT);
    pub(crate) fn pcap_compile(
        p: *mut PcapT,
        fp: *mut BpfProgram,
        expr: *const c_char,
        optimize: c_int,
        netmask: u32,
    ) -> c_int;
    pub(crate) fn pcap_geterr(p: *mut PcapT) -> *mut c_char;
    pub(crate) fn pcap_freecode(fp: *mut BpfProgram);
    /// Returns a pointer to a static buffer: callers must hold the libpcap lock.
    pub(crate) fn bpf_image(insn: *const Insn, n: c_int) -> *mut c_char;
}
