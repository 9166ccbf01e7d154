//! Expression → classic BPF with libpcap's compiler.
//!
//! libpcap 1.10's `pcap_compile()` keeps parser state in globals shared by all `pcap_t`s, and
//! `bpf_image()` formats into a static buffer, so every call into libpcap goes through [`LOCK`].

use std::ffi::{CStr, CString, c_int};
use std::sync::Mutex;

use thiserror::Error;

use crate::ffi;
use crate::{Insn, Program};

/// Serializes all calls into libpcap (see the module doc).
pub(crate) static LOCK: Mutex<()> = Mutex::new(());

/// Why an expression could not be compiled.
///
/// `Display` is the message tcpdump prints after `tcpdump: `, so the binary can print
/// `ptcpdump: {err}` and match tcpdump's stderr.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FilterError {
    /// libpcap rejected the expression; the text is `pcap_geterr()`'s, e.g.
    /// `can't parse filter expression: syntax error`.
    #[error("{0}")]
    Compile(String),
    /// The expression contains a NUL byte, which cannot reach libpcap's C string API.
    #[error("can't parse filter expression: embedded NUL character")]
    Nul,
    /// `pcap_open_dead()` failed (out of memory).
    #[error("can't allocate a pcap handle for link type {0}")]
    Open(u32),
}

/// What libpcap's compiler is told about where packets come from.
///
/// libpcap generates different code for a capture file than for a live device (or a dead
/// handle, as `tcpdump -d` uses): on BSD loopback (`NULL`) files it accepts every OS's address
/// family values and byte-swaps them when the file's byte order is not the host's, and
/// `inbound`/`outbound` are errors when reading files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompileOptions {
    /// `LINKTYPE_*` value as stored in capture files (1 Ethernet, 101 raw IP, 113 Linux SLL...);
    /// mapped to libpcap's `DLT_*` where those differ.
    pub linktype: u32,
    /// Snapshot length: the value the accepting `ret` returns.
    pub snaplen: u32,
    /// IPv4 netmask for `ip broadcast` (host byte order, as `pcap_lookupnet` returns it);
    /// tcpdump uses 0 unless it looked up a live IPv4 interface. [`crate::NETMASK_UNKNOWN`]
    /// turns `ip broadcast` into an error.
    pub netmask: u32,
    /// `Some(swapped)` to compile like `tcpdump -r FILE`, where `swapped` says whether the file's
    /// byte order differs from the host's; `None` for a live capture or `tcpdump -d`.
    pub savefile: Option<bool>,
}

impl CompileOptions {
    /// Live capture or `tcpdump -d -y LINKTYPE` with netmask 0.
    pub fn live(linktype: u32, snaplen: u32) -> Self {
        CompileOptions {
            linktype,
            snaplen,
            netmask: 0,
            savefile: None,
        }
    }

    /// `tcpdump -r FILE` with netmask 0.
    pub fn savefile(linktype: u32, snaplen: u32, swapped: bool) -> Self {
        CompileOptions {
            savefile: Some(swapped),
            ..Self::live(linktype, snaplen)
        }
    }
}

/// Compiles `expr` the way `tcpdump -d -y LINKTYPE EXPR` and a live capture do (optimizer on,
/// netmask 0, see [`CompileOptions::live`]). For filtering a capture file use
/// [`compile_offline`], which matches `tcpdump -r` exactly.
pub fn compile(expr: &str, linktype: u32, snaplen: u32) -> Result<Program, FilterError> {
    compile_with(expr, &CompileOptions::live(linktype, snaplen))
}

/// Compiles `expr` the way `tcpdump -r FILE EXPR` does for a file of that link type, snapshot
/// length and byte order (`swapped`: the file's byte order is not the host's).
pub fn compile_offline(
    expr: &str,
    linktype: u32,
    snaplen: u32,
    swapped: bool,
) -> Result<Program, FilterError> {
    compile_with(expr, &CompileOptions::savefile(linktype, snaplen, swapped))
}

/// Compiles `expr` with explicit options.
pub fn compile_with(expr: &str, opts: &CompileOptions) -> Result<Program, FilterError> {
    let c_expr = CString::new(expr).map_err(|_| FilterError::Nul)?;
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let handle = Handle::open(opts)?;
    let p = handle.pcap;
    let mut prog = ffi::BpfProgram {
        bf_len: 0,
        bf_insns: std::ptr::null_mut(),
    };
    // SAFETY: p is a live handle, prog a valid out-pointer, c_expr NUL-terminated; libpcap's
    // globals are protected by LOCK.
    let rc = unsafe { ffi::pcap_compile(p, &mut prog, c_expr.as_ptr(), 1, opts.netmask) };
    if rc < 0 {
        // SAFETY: pcap_geterr returns the handle's NUL-terminated error buffer.
        let msg = unsafe { CStr::from_ptr(ffi::pcap_geterr(p)) }
            .to_string_lossy()
            .into_owned();
        return Err(FilterError::Compile(msg));
    }
    let insns = if prog.bf_insns.is_null() || prog.bf_len == 0 {
        Vec::new()
    } else {
        // SAFETY: libpcap returned bf_len instructions at bf_insns (same layout as Insn).
        unsafe { std::slice::from_raw_parts(prog.bf_insns, prog.bf_len as usize) }.to_vec()
    };
    // SAFETY: prog was filled by a successful pcap_compile.
    unsafe { ffi::pcap_freecode(&mut prog) };
    Ok(Program::from_insns(insns, opts.linktype, opts.snaplen))
}

/// A `pcap_t` to compile against: dead, or reading an empty in-memory capture file whose header
/// carries the link type, snapshot length and byte order.
struct Handle {
    pcap: *mut ffi::PcapT,
    /// Backing store of the `FILE *` the savefile handle reads (must outlive it).
    _header: Box<[u8; 24]>,
}

impl Handle {
    fn open(opts: &CompileOptions) -> Result<Handle, FilterError> {
        let snap = c_int::try_from(opts.snaplen).unwrap_or(c_int::MAX);
        let mut header = Box::new([0u8; 24]);
        let pcap = match opts.savefile {
            None => {
                let dlt = linktype_to_dlt(opts.linktype);
                // SAFETY: pcap_open_dead only allocates; a null return is handled below.
                unsafe { ffi::pcap_open_dead(dlt as c_int, snap) }
            }
            Some(swapped) => {
                // The file stores LINKTYPE values: libpcap maps them to DLTs itself.
                let u32s = |v: u32| if swapped { v.swap_bytes() } else { v }.to_ne_bytes();
                let u16s = |v: u16| if swapped { v.swap_bytes() } else { v }.to_ne_bytes();
                header[0..4].copy_from_slice(&u32s(0xa1b2_c3d4));
                header[4..6].copy_from_slice(&u16s(2));
                header[6..8].copy_from_slice(&u16s(4));
                header[16..20].copy_from_slice(&u32s(opts.snaplen));
                header[20..24].copy_from_slice(&u32s(opts.linktype));
                // SAFETY: header is a live 24-byte buffer kept in the returned Handle for as
                // long as the FILE exists; pcap_fopen_offline takes ownership of the FILE
                // (pcap_close fcloses it) and writes at most PCAP_ERRBUF_SIZE bytes of errbuf.
                unsafe {
                    let f =
                        libc::fmemopen(header.as_mut_ptr().cast(), header.len(), c"rb".as_ptr());
                    if f.is_null() {
                        return Err(FilterError::Open(opts.linktype));
                    }
                    let mut errbuf = [0 as std::ffi::c_char; ffi::PCAP_ERRBUF_SIZE];
                    let p = ffi::pcap_fopen_offline(f.cast(), errbuf.as_mut_ptr());
                    if p.is_null() {
                        libc::fclose(f);
                    }
                    p
                }
            }
        };
        if pcap.is_null() {
            return Err(FilterError::Open(opts.linktype));
        }
        Ok(Handle {
            pcap,
            _header: header,
        })
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: pcap came from pcap_open_dead/pcap_fopen_offline and is not used afterwards.
        unsafe { ffi::pcap_close(self.pcap) };
    }
}

/// libpcap's `linktype_to_dlt()` for Linux: the LINKTYPE values below 104 that differ from the
/// DLT values, and the few in the matching range that are special.
pub(crate) fn linktype_to_dlt(linktype: u32) -> u32 {
    match linktype {
        100 => 11, // ATM_RFC1483
        101 => 12, // RAW
        102 => 15, // SLIP_BSDOS
        103 => 16, // PPP_BSDOS
        106 => 19, // ATM_CLIP
        other => other,
    }
}

/// Formats one instruction with libpcap's `bpf_image()` (the `-d` line without newline).
pub(crate) fn image(insn: &Insn, n: usize) -> String {
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let n = c_int::try_from(n).unwrap_or(c_int::MAX);
    // SAFETY: insn points to one valid instruction; the returned static buffer is copied out
    // while LOCK is held.
    unsafe { CStr::from_ptr(ffi::bpf_image(insn, n)) }
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linktype;

    #[test]
    fn syntax_error_is_libpcaps_message() {
        let err = compile("foo bar", linktype::ETHERNET, 262144).unwrap_err();
        assert_eq!(
            err.to_string(),
            "can't parse filter expression: syntax error"
        );
    }

    #[test]
    fn empty_expression_accepts_all() {
        let p = compile("", linktype::ETHERNET, 262144).unwrap();
        assert!(p.accepts_all());
        assert_eq!(p.insns()[0].k, 262144);
    }

    #[test]
    fn raw_linktype_is_mapped_to_dlt_raw() {
        // With LINKTYPE_RAW passed through unmapped libpcap would answer "unknown data link type".
        let p = compile("ip", linktype::RAW, 65535).unwrap();
        assert!(!p.accepts_all());
        assert_eq!(p.linktype(), linktype::RAW);
    }

    #[test]
    fn savefile_semantics_differ_like_tcpdump_r() {
        assert!(compile("inbound", linktype::ETHERNET, 65535).is_ok());
        let err = compile_offline("inbound", linktype::ETHERNET, 65535, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "inbound/outbound not supported on Ethernet when reading savefiles"
        );
        // BSD loopback files may come from any OS: several AF_INET6 values, byte-swapped when
        // the file's byte order is not ours.
        let live = compile("ip6", linktype::NULL, 65535).unwrap();
        let file = compile_offline("ip6", linktype::NULL, 65535, false).unwrap();
        let swapped = compile_offline("ip6", linktype::NULL, 65535, true).unwrap();
        assert_ne!(live, file);
        assert_ne!(file, swapped);
        let af_inet6_bsd = 24u32;
        let pkt = |family: [u8; 4]| {
            let mut p = family.to_vec();
            p.extend_from_slice(&[0x60; 40]);
            p
        };
        let ne = pkt(af_inet6_bsd.to_ne_bytes());
        let swp = pkt(af_inet6_bsd.swap_bytes().to_ne_bytes());
        assert!(file.matches(&ne, 44) && !file.matches(&swp, 44));
        assert!(swapped.matches(&swp, 44) && !swapped.matches(&ne, 44));
    }

    #[test]
    fn nul_is_rejected() {
        assert_eq!(
            compile("ip\0", linktype::ETHERNET, 65535),
            Err(FilterError::Nul)
        );
    }

    #[test]
    fn compiles_from_many_threads() {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                std::thread::spawn(move || {
                    for j in 0..50 {
                        let e = format!("tcp port {} or udp port {}", i * 100 + j, j);
                        compile(&e, linktype::ETHERNET, 65535).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    }
}
