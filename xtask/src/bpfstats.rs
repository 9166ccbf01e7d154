//! Run-time statistics of eBPF programs (`kernel.bpf_stats_enabled`): the kernel counts, per
//! program, how often it ran and the nanoseconds it spent (`run_cnt`, `run_time_ns` of
//! `bpf_prog_info`) while statistics are on. They are switched on with `BPF_ENABLE_STATS`,
//! which holds them on while its file descriptor is open (so a benchmark that fails cannot
//! leave them on; the sysctl shows 1 meanwhile), and a process's programs are the ones its
//! file descriptors (programs, links) name in /proc/PID/fdinfo. Raw bpf(2) calls: xtask needs
//! no eBPF library for this.
use std::{
    collections::BTreeSet,
    fs,
    os::fd::{AsRawFd as _, FromRawFd as _, OwnedFd},
};

use anyhow::{Result, bail};

const BPF_PROG_LOAD: libc::c_long = 5;
const BPF_PROG_GET_FD_BY_ID: libc::c_long = 13;
const BPF_OBJ_GET_INFO_BY_FD: libc::c_long = 15;
const BPF_LINK_CREATE: libc::c_long = 28;
const BPF_ENABLE_STATS: libc::c_long = 32;
const BPF_PROG_TYPE_SCHED_CLS: u32 = 3;
const BPF_TCX_INGRESS: u32 = 46;

fn bpf(cmd: libc::c_long, attr: &mut [u8]) -> std::io::Result<OwnedFd> {
    // SAFETY: bpf(2) reads and writes at most attr.len() bytes of our buffer.
    let r = unsafe { libc::syscall(libc::SYS_bpf, cmd, attr.as_mut_ptr(), attr.len() as u32) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the commands used here return a new file descriptor on success.
    Ok(unsafe { OwnedFd::from_raw_fd(r as i32) })
}

/// Statistics are on while this lives.
pub struct Enabled(#[allow(dead_code, reason = "held for its lifetime")] OwnedFd);

pub fn enable() -> Result<Enabled> {
    let mut attr = [0u8; 8]; // enable_stats.type = BPF_STATS_RUN_TIME (0)
    match bpf(BPF_ENABLE_STATS, &mut attr) {
        Ok(fd) => Ok(Enabled(fd)),
        Err(e) => bail!("BPF_ENABLE_STATS: {e} (needs Linux 5.8+)"),
    }
}

/// One program's counters at one moment.
#[derive(Clone, Debug, Default)]
pub struct ProgStats {
    pub id: u32,
    pub name: String,
    pub run_cnt: u64,
    pub run_time_ns: u64,
}

/// `bpf_prog_info` up to `run_cnt` (the layout of include/uapi/linux/bpf.h, stable).
const INFO_LEN: usize = 208;
const OFF_ID: usize = 4;
const OFF_NAME: usize = 64;
const OFF_RUN_TIME_NS: usize = 192;
const OFF_RUN_CNT: usize = 200;

pub fn prog_stats(id: u32) -> Option<ProgStats> {
    let mut attr = [0u8; 12];
    attr[0..4].copy_from_slice(&id.to_ne_bytes());
    let fd = bpf(BPF_PROG_GET_FD_BY_ID, &mut attr).ok()?;
    stats_of_fd(fd.as_raw_fd())
}

fn stats_of_fd(fd: i32) -> Option<ProgStats> {
    let mut info = [0u8; INFO_LEN];
    // bpf_attr.info: bpf_fd u32, info_len u32, info u64.
    let mut attr = [0u8; 16];
    attr[0..4].copy_from_slice(&(fd as u32).to_ne_bytes());
    attr[4..8].copy_from_slice(&(INFO_LEN as u32).to_ne_bytes());
    attr[8..16].copy_from_slice(&(info.as_mut_ptr() as u64).to_ne_bytes());
    // SAFETY: the kernel writes at most info_len bytes to `info`, which outlives the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            BPF_OBJ_GET_INFO_BY_FD,
            attr.as_mut_ptr(),
            attr.len() as u32,
        )
    };
    if r < 0 {
        return None;
    }
    let u64_at = |o: usize| u64::from_ne_bytes(info[o..o + 8].try_into().expect("8 bytes"));
    let name = &info[OFF_NAME..OFF_NAME + 16];
    let end = name.iter().position(|&b| b == 0).unwrap_or(16);
    Some(ProgStats {
        id: u32::from_ne_bytes(info[OFF_ID..OFF_ID + 4].try_into().expect("4 bytes")),
        name: String::from_utf8_lossy(&name[..end]).into_owned(),
        run_time_ns: u64_at(OFF_RUN_TIME_NS),
        run_cnt: u64_at(OFF_RUN_CNT),
    })
}

/// Ids of the programs process `pid` holds: program file descriptors and the programs of its
/// links (TCX, cgroup, tracing).
pub fn prog_ids_of(pid: i32) -> BTreeSet<u32> {
    let mut ids = BTreeSet::new();
    let Ok(dir) = fs::read_dir(format!("/proc/{pid}/fdinfo")) else {
        return ids;
    };
    for e in dir.flatten() {
        let Ok(info) = fs::read_to_string(e.path()) else {
            continue;
        };
        for l in info.lines() {
            if let Some(v) = l.strip_prefix("prog_id:")
                && let Ok(id) = v.trim().parse()
            {
                ids.insert(id);
            }
        }
    }
    ids
}

pub fn snapshot(ids: &BTreeSet<u32>) -> Vec<ProgStats> {
    ids.iter().filter_map(|&id| prog_stats(id)).collect()
}

/// A two-instruction program (`return TCX_NEXT`) attached at TCX ingress of an interface: what
/// the statistics themselves cost per run (two clock reads on this machine) is its run time,
/// to be subtracted from every program's figure. Detached on drop.
pub struct Floor {
    prog: OwnedFd,
    _link: OwnedFd,
}

impl Floor {
    /// Attaches to interface `ifindex` of the calling thread's namespace.
    pub fn attach(ifindex: u32) -> Result<Floor> {
        // r0 = -1 (TCX_NEXT); exit
        let insns: [u64; 2] = [
            u64::from_le_bytes([0xb7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
            u64::from_le_bytes([0x95, 0, 0, 0, 0, 0, 0, 0]),
        ];
        let license = c"GPL";
        let mut attr = [0u8; 128];
        attr[0..4].copy_from_slice(&BPF_PROG_TYPE_SCHED_CLS.to_ne_bytes());
        attr[4..8].copy_from_slice(&2u32.to_ne_bytes());
        attr[8..16].copy_from_slice(&(insns.as_ptr() as u64).to_ne_bytes());
        attr[16..24].copy_from_slice(&(license.as_ptr() as u64).to_ne_bytes());
        attr[48..58].copy_from_slice(b"xtask_null");
        let prog = match bpf(BPF_PROG_LOAD, &mut attr) {
            Ok(fd) => fd,
            Err(e) => bail!("load the floor program: {e}"),
        };
        let mut la = [0u8; 64];
        la[0..4].copy_from_slice(&(prog.as_raw_fd() as u32).to_ne_bytes());
        la[4..8].copy_from_slice(&ifindex.to_ne_bytes());
        la[8..12].copy_from_slice(&BPF_TCX_INGRESS.to_ne_bytes());
        let link = match bpf(BPF_LINK_CREATE, &mut la) {
            Ok(fd) => fd,
            Err(e) => bail!("attach the floor program (TCX, Linux 6.6+): {e}"),
        };
        Ok(Floor { prog, _link: link })
    }

    pub fn stats(&self) -> Option<ProgStats> {
        stats_of_fd(self.prog.as_raw_fd())
    }
}
