//! Sockets that existed before the capture started get their owner from /proc: each process's
//! socket descriptors are duplicated into ptcpdump with pidfd_getfd(2) and the owner is written
//! into the socket's storage (`SOCK_OWNER`, keyed by a socket fd from user space). From then on
//! the kernel programs attribute their packets like any other socket's, from the very first one.
use std::{fs, os::fd::FromRawFd as _, os::fd::OwnedFd};

use aya::maps::{MapData, SkStorage};
use ptcpdump_common::Owner;

/// Walks /proc once; returns how many sockets were seeded. Errors per process are skipped
/// (processes come and go while we walk).
pub fn seed_existing_sockets(map: &mut SkStorage<MapData, Owner>, skip_pid: u32) -> usize {
    let mut n = 0;
    let Ok(dir) = fs::read_dir("/proc") else {
        return 0;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == skip_pid {
            continue;
        }
        let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        let mut pidfd: Option<OwnedFd> = None;
        let mut owner: Option<Owner> = None;
        for fd in fds.flatten() {
            let Ok(target) = fs::read_link(fd.path()) else {
                continue;
            };
            if !target.to_string_lossy().starts_with("socket:") {
                continue;
            }
            let Some(num) = fd.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            if pidfd.is_none() {
                // SAFETY: plain syscall; a non-negative result is a new fd we own.
                let raw =
                    unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::c_int, 0) } as i32;
                if raw < 0 {
                    break;
                }
                pidfd = Some(unsafe { OwnedFd::from_raw_fd(raw) });
                owner = Some(owner_of(pid));
            }
            let (Some(pfd), Some(o)) = (&pidfd, &owner) else {
                break;
            };
            // SAFETY: plain syscall; a non-negative result is a new fd we own.
            let raw = unsafe {
                libc::syscall(
                    libc::SYS_pidfd_getfd,
                    std::os::fd::AsRawFd::as_raw_fd(pfd),
                    num,
                    0,
                )
            } as i32;
            if raw < 0 {
                continue;
            }
            let sock = unsafe { OwnedFd::from_raw_fd(raw) };
            let mut o = *o;
            o.netns = netns_cookie(&sock);
            // Only sockets of families the kernel gives storage to succeed; others are skipped.
            if map.insert(&sock, o, 0).is_ok() {
                n += 1;
            }
        }
    }
    n
}

/// SO_NETNS_COOKIE of a socket (0 if the kernel cannot tell).
fn netns_cookie(sock: &OwnedFd) -> u64 {
    const SO_NETNS_COOKIE: libc::c_int = 71;
    let mut v: u64 = 0;
    let mut len = std::mem::size_of::<u64>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most len bytes into v.
    let rc = unsafe {
        libc::getsockopt(
            std::os::fd::AsRawFd::as_raw_fd(sock),
            libc::SOL_SOCKET,
            SO_NETNS_COOKIE,
            (&mut v as *mut u64).cast(),
            &mut len,
        )
    };
    if rc == 0 { v } else { 0 }
}

fn owner_of(pid: u32) -> Owner {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let comm_s = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    let mut comm = [0u8; 16];
    let b = comm_s.trim_end().as_bytes();
    let n = b.len().min(15);
    comm[..n].copy_from_slice(&b[..n]);
    Owner {
        pid,
        tid: 0,
        ppid: 0,
        uid,
        comm,
        netns: 0,
    }
}
