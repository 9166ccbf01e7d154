//! `xtask spawn-clients`: starts short-lived client processes at a fixed rate, each running
//! `xtask connect IP PORT TOKEN` (one TCP connection, then exit). Each client prints
//! `PID SPORT TOKEN` on the shared stdout (one short write: atomic on a pipe).
//!
//! Clients are started with fork + execv, and the word `connect` is a string literal in this
//! program's read-only data, as in C's `execl(self, self, "connect", ...)`: a child that execs
//! right after fork has no page table entries for it yet, which is what made ptcpdump lose the
//! arguments of such clients (std's `Command` copies every argument to the heap first and hid
//! it).
use std::{
    ffi::{CStr, CString},
    io::Write,
    net::{SocketAddr, TcpStream},
    os::unix::ffi::OsStrExt as _,
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

pub fn connect(args: &[String]) -> Result<()> {
    let [ip, port, token] = args else {
        bail!("connect IP PORT TOKEN")
    };
    let addr: SocketAddr = format!("{ip}:{port}").parse()?;
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).context("connect")?;
    let sport = s.local_addr()?.port();
    let line = format!("{} {sport} {token}\n", std::process::id());
    std::io::stdout().lock().write_all(line.as_bytes())?;
    Ok(())
}

pub fn spawn(args: &[String]) -> Result<()> {
    let (mut dst, mut port, mut rate, mut secs) = (String::new(), 0u16, 1000u64, 10.0f64);
    let mut it = args.iter();
    while let Some(k) = it.next() {
        let v = it.next().context("missing value")?;
        match k.as_str() {
            "--dst" => dst = v.clone(),
            "--port" => port = v.parse()?,
            "--rate" => rate = v.parse::<u64>()?.max(1),
            "--secs" => secs = v.parse()?,
            _ => bail!("spawn-clients: unknown argument {k}"),
        }
    }
    let exe = CString::new(std::env::current_exe()?.as_os_str().as_bytes())?;
    let dst = CString::new(dst)?;
    let port = CString::new(port.to_string())?;
    // SAFETY: a plain open; the descriptor is only dup2'ed in children.
    let devnull = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
    let start = Instant::now();
    let end = Duration::from_secs_f64(secs);
    let (mut spawned, mut failed, mut running) = (0u64, 0u64, 0u64);
    let reap = |running: &mut u64, block: bool| {
        let flags = if block { 0 } else { libc::WNOHANG };
        while *running > 0 {
            // SAFETY: waits for our own children.
            let r = unsafe { libc::waitpid(-1, std::ptr::null_mut(), flags) };
            if r <= 0 {
                break;
            }
            *running -= 1;
        }
    };
    while start.elapsed() < end {
        let due = (start.elapsed().as_secs_f64() * rate as f64) as u64;
        if spawned >= due {
            reap(&mut running, false);
            thread::sleep(Duration::from_micros(200));
            continue;
        }
        let token = CString::new(format!("c{spawned}"))?;
        let connect: &'static CStr = c"connect";
        let argv = [
            exe.as_ptr(),
            connect.as_ptr(),
            dst.as_ptr(),
            port.as_ptr(),
            token.as_ptr(),
            std::ptr::null(),
        ];
        // SAFETY: this program is single-threaded; the child only calls async-signal-safe
        // functions (dup2, execv, _exit) on memory prepared before the fork.
        match unsafe { libc::fork() } {
            0 => unsafe {
                if devnull >= 0 {
                    libc::dup2(devnull, 0);
                    libc::dup2(devnull, 2);
                }
                libc::execv(exe.as_ptr(), argv.as_ptr());
                libc::_exit(127);
            },
            p if p > 0 => running += 1,
            _ => failed += 1,
        }
        spawned += 1;
    }
    reap(&mut running, true);
    eprintln!(
        "spawned {spawned} failed {failed} secs {:.3}",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
