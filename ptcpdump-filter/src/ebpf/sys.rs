//! The raw `bpf(2)` commands the entry program needs (and the tests use): load, TCX link,
//! map create/update/lookup, test run. The attribute layouts are those of `union bpf_attr` in
//! include/uapi/linux/bpf.h; unused fields stay zero, which the kernel requires.

use std::ffi::c_void;
use std::fmt;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::insn::Insn;

const BPF_MAP_CREATE: u32 = 0;
const BPF_MAP_LOOKUP_ELEM: u32 = 1;
const BPF_MAP_UPDATE_ELEM: u32 = 2;
const BPF_PROG_LOAD: u32 = 5;
const BPF_PROG_TEST_RUN: u32 = 10;
const BPF_PROG_GET_FD_BY_ID: u32 = 13;
const BPF_MAP_GET_FD_BY_ID: u32 = 14;
const BPF_OBJ_GET_INFO_BY_FD: u32 = 15;
const BPF_LINK_CREATE: u32 = 28;

/// `BPF_PROG_TYPE_SCHED_CLS`.
pub const PROG_TYPE_SCHED_CLS: u32 = 3;
/// `BPF_MAP_TYPE_PROG_ARRAY`.
pub const MAP_TYPE_PROG_ARRAY: u32 = 3;
/// `BPF_MAP_TYPE_PERCPU_ARRAY`.
pub const MAP_TYPE_PERCPU_ARRAY: u32 = 6;
/// `BPF_MAP_TYPE_ARRAY`.
pub const MAP_TYPE_ARRAY: u32 = 2;
/// `BPF_TCX_INGRESS`.
pub const TCX_INGRESS: u32 = 46;
/// `BPF_TCX_EGRESS`.
pub const TCX_EGRESS: u32 = 47;

/// Size of the verifier log buffer used when a load fails.
const LOG_SIZE: usize = 4 << 20;

/// A zeroed `union bpf_attr` with typed field setters.
struct Attr([u64; 20]);

impl Attr {
    fn new() -> Self {
        Attr([0; 20])
    }

    fn bytes(&mut self) -> &mut [u8] {
        // SAFETY: [u64; 20] is 160 plain bytes.
        unsafe { std::slice::from_raw_parts_mut(self.0.as_mut_ptr().cast::<u8>(), 160) }
    }

    fn u32(&mut self, off: usize, v: u32) -> &mut Self {
        self.bytes()[off..off + 4].copy_from_slice(&v.to_ne_bytes());
        self
    }

    fn u64(&mut self, off: usize, v: u64) -> &mut Self {
        self.bytes()[off..off + 8].copy_from_slice(&v.to_ne_bytes());
        self
    }

    fn get_u32(&mut self, off: usize) -> u32 {
        u32::from_ne_bytes(self.bytes()[off..off + 4].try_into().unwrap_or([0; 4]))
    }

    fn call(&mut self, cmd: u32) -> io::Result<i64> {
        // SAFETY: the attribute buffer is valid for its whole size for the duration of the call
        // and every pointer stored in it refers to memory the caller keeps alive.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_bpf,
                cmd as libc::c_long,
                self.0.as_mut_ptr().cast::<c_void>(),
                std::mem::size_of_val(&self.0) as libc::c_long,
            )
        };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(rc)
        }
    }

    fn call_fd(&mut self, cmd: u32) -> io::Result<OwnedFd> {
        let fd = self.call(cmd)?;
        // SAFETY: these commands return a new file descriptor that nobody else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
    }
}

/// A failed program load. `Display` is one line; the alternate form (`{:#}`) appends the
/// verifier log, for `--log-level debug` style output.
#[derive(Debug)]
pub struct LoadError {
    pub name: String,
    pub source: io::Error,
    /// The verifier's log (possibly truncated), empty if the kernel gave none.
    pub log: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "loading eBPF program {}: {}", self.name, self.source)?;
        if f.alternate() && !self.log.is_empty() {
            write!(f, "\nverifier log:\n{}", self.log.trim_end())?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Kernel object names: at most 15 bytes of `[A-Za-z0-9_.]`.
fn object_name(name: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (o, b) in out[..15].iter_mut().zip(
        name.bytes()
            .filter(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.'),
    ) {
        *o = b;
    }
    out
}

fn prog_load(insns: &[Insn], name: &[u8; 16], log: Option<&mut [u8]>) -> io::Result<OwnedFd> {
    let license = c"GPL";
    let mut a = Attr::new();
    a.u32(0, PROG_TYPE_SCHED_CLS)
        .u32(4, insns.len() as u32)
        .u64(8, insns.as_ptr() as u64)
        .u64(16, license.as_ptr() as u64);
    if let Some(buf) = log {
        a.u32(24, 1)
            .u32(28, buf.len() as u32)
            .u64(32, buf.as_mut_ptr() as u64);
    }
    a.bytes()[48..64].copy_from_slice(name);
    a.call_fd(BPF_PROG_LOAD)
}

/// Loads `insns` as a `sched_cls` program (license GPL). On failure the load is retried with
/// a verifier log, which the error carries.
pub fn load_sched_cls(insns: &[Insn], name: &str) -> Result<OwnedFd, LoadError> {
    let obj = object_name(name);
    match prog_load(insns, &obj, None) {
        Ok(fd) => Ok(fd),
        Err(first) => {
            let mut buf = vec![0u8; LOG_SIZE];
            // The retry's own error may differ (ENOSPC when the log overflows): report the
            // first one, with whatever log the retry produced.
            let _ = prog_load(insns, &obj, Some(&mut buf));
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            Err(LoadError {
                name: name.to_string(),
                source: first,
                log: String::from_utf8_lossy(&buf[..end]).into_owned(),
            })
        }
    }
}

/// A failed `bpf(2)` command other than a program load.
#[derive(Debug, thiserror::Error)]
#[error("{op}: {source}")]
pub struct SysError {
    pub op: &'static str,
    #[source]
    pub source: io::Error,
}

fn sys<T>(op: &'static str, r: io::Result<T>) -> Result<T, SysError> {
    r.map_err(|source| SysError { op, source })
}

/// Attaches a `sched_cls` program to interface `ifindex` with a TCX link (kernel 6.6+), after
/// the programs already there. Closing the returned link (or exiting) detaches it.
pub fn attach_tcx(prog: BorrowedFd<'_>, ifindex: u32, ingress: bool) -> Result<OwnedFd, SysError> {
    let attach_type = if ingress { TCX_INGRESS } else { TCX_EGRESS };
    let mut a = Attr::new();
    a.u32(0, prog.as_raw_fd() as u32)
        .u32(4, ifindex)
        .u32(8, attach_type);
    sys("creating TCX link", a.call_fd(BPF_LINK_CREATE))
}

/// `BPF_MAP_CREATE` with no flags.
pub fn create_map(
    map_type: u32,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    name: &str,
) -> Result<OwnedFd, SysError> {
    let mut a = Attr::new();
    a.u32(0, map_type)
        .u32(4, key_size)
        .u32(8, value_size)
        .u32(12, max_entries);
    let obj = object_name(name);
    a.bytes()[28..44].copy_from_slice(&obj);
    sys("creating map", a.call_fd(BPF_MAP_CREATE))
}

/// `BPF_MAP_UPDATE_ELEM` (`BPF_ANY`). `key` and `value` must have the map's sizes (for per-CPU
/// maps, `value` holds one 8-byte-aligned slot per possible CPU).
pub fn map_update(map: BorrowedFd<'_>, key: &[u8], value: &[u8]) -> Result<(), SysError> {
    let mut a = Attr::new();
    a.u32(0, map.as_raw_fd() as u32)
        .u64(8, key.as_ptr() as u64)
        .u64(16, value.as_ptr() as u64);
    sys("updating map", a.call(BPF_MAP_UPDATE_ELEM)).map(|_| ())
}

/// `BPF_MAP_LOOKUP_ELEM` into `value` (sized like [`map_update`]'s).
pub fn map_lookup(map: BorrowedFd<'_>, key: &[u8], value: &mut [u8]) -> Result<(), SysError> {
    let mut a = Attr::new();
    a.u32(0, map.as_raw_fd() as u32)
        .u64(8, key.as_ptr() as u64)
        .u64(16, value.as_mut_ptr() as u64);
    sys("looking up map", a.call(BPF_MAP_LOOKUP_ELEM)).map(|_| ())
}

/// A file descriptor of the program with kernel id `id` (`BPF_PROG_GET_FD_BY_ID`).
pub fn prog_fd_by_id(id: u32) -> Result<OwnedFd, SysError> {
    let mut a = Attr::new();
    a.u32(0, id);
    sys("opening program by id", a.call_fd(BPF_PROG_GET_FD_BY_ID))
}

/// A file descriptor of the map with kernel id `id` (`BPF_MAP_GET_FD_BY_ID`).
pub fn map_fd_by_id(id: u32) -> Result<OwnedFd, SysError> {
    let mut a = Attr::new();
    a.u32(0, id);
    sys("opening map by id", a.call_fd(BPF_MAP_GET_FD_BY_ID))
}

fn obj_info(fd: BorrowedFd<'_>, info: &mut [u8]) -> Result<(), SysError> {
    let mut a = Attr::new();
    a.u32(0, fd.as_raw_fd() as u32)
        .u32(4, info.len() as u32)
        .u64(8, info.as_mut_ptr() as u64);
    sys("reading object info", a.call(BPF_OBJ_GET_INFO_BY_FD)).map(|_| ())
}

/// Ids of the maps a program uses (`struct bpf_prog_info`: `nr_map_ids` at 52, `map_ids` at
/// 56; at most 64 are read).
pub fn prog_map_ids(prog: BorrowedFd<'_>) -> Result<Vec<u32>, SysError> {
    let mut ids = [0u32; 64];
    let mut info = [0u8; 64];
    info[52..56].copy_from_slice(&(ids.len() as u32).to_ne_bytes());
    info[56..64].copy_from_slice(&(ids.as_mut_ptr() as u64).to_ne_bytes());
    obj_info(prog, &mut info)?;
    let n = u32::from_ne_bytes(info[52..56].try_into().unwrap_or([0; 4])) as usize;
    Ok(ids[..n.min(ids.len())].to_vec())
}

/// The type of a map (`struct bpf_map_info`: `type` at 0).
pub fn map_type(map: BorrowedFd<'_>) -> Result<u32, SysError> {
    let mut info = [0u8; 24];
    obj_info(map, &mut info)?;
    Ok(u32::from_ne_bytes(info[..4].try_into().unwrap_or([0; 4])))
}

/// Runs a `sched_cls` program once on `packet` (an Ethernet frame of at least 14 bytes) with
/// `BPF_PROG_TEST_RUN` and returns its return value.
pub fn test_run(prog: BorrowedFd<'_>, packet: &[u8]) -> Result<u32, SysError> {
    let mut a = Attr::new();
    a.u32(0, prog.as_raw_fd() as u32)
        .u32(8, packet.len() as u32)
        .u64(16, packet.as_ptr() as u64)
        .u32(32, 1);
    sys("test-running program", a.call(BPF_PROG_TEST_RUN))?;
    Ok(a.get_u32(4))
}
