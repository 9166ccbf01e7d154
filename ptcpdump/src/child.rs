//! `ptcpdump [flags] [expression] -- CMD ARGS`: the command is started held at the door, its pid
//! is put into the kernel's process filter, and only then is it let go, so its very first packet
//! is captured. Holding is done by re-executing ptcpdump itself as a tiny loader (environment
//! variable `PTCPDUMP_HELD_FD`): the loader waits for one byte on a pipe, then execs the command
//! in the same process, so the pid we selected is the command's. (A `pre_exec` hook cannot wait:
//! `Command::spawn` itself waits for the exec.) The command's output goes to our stderr, keeping
//! stdout for packets.
use std::{
    ffi::{CString, OsString},
    os::{
        fd::{AsRawFd as _, FromRawFd as _, OwnedFd},
        unix::ffi::OsStrExt as _,
    },
    process::{Child, Command, Stdio},
};

use anyhow::{Context as _, Result, bail};

const HELD_FD: &str = "PTCPDUMP_HELD_FD";

/// Called first thing in `main`: when this process is a held loader, wait and exec the command
/// (never returns in that case).
pub fn run_loader_if_held() {
    let Some(fd) = std::env::var_os(HELD_FD) else {
        return;
    };
    // SAFETY: removing our own environment variable before anything else runs.
    unsafe { std::env::remove_var(HELD_FD) };
    let code = loader(fd).unwrap_or_else(|e| {
        eprintln!("ptcpdump: {e:#}");
        127
    });
    std::process::exit(code);
}

fn loader(fd: OsString) -> Result<i32> {
    let fd: i32 = fd.to_string_lossy().parse().context("bad held fd")?;
    let mut b = [0u8; 1];
    // SAFETY: reading one byte from the pipe fd we were given.
    let n = unsafe { libc::read(fd, b.as_mut_ptr().cast(), 1) };
    unsafe { libc::close(fd) };
    if n != 1 {
        bail!("ptcpdump went away before starting the command");
    }
    let args: Vec<CString> = std::env::args_os()
        .skip(1)
        .map(|a| CString::new(a.as_bytes()).context("NUL in argument"))
        .collect::<Result<_>>()?;
    let Some(prog) = args.first() else {
        bail!("no command")
    };
    let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // SAFETY: NUL-terminated argv of CStrings that outlive the call.
    unsafe { libc::execvp(prog.as_ptr(), argv.as_ptr()) };
    let e = std::io::Error::last_os_error();
    bail!("{}: {}", prog.to_string_lossy(), crate::errno_text(&e))
}

pub struct HeldChild {
    pub child: Child,
    gate: Option<OwnedFd>,
}

impl HeldChild {
    pub fn spawn(argv: &[String]) -> Result<HeldChild> {
        let mut fds = [0i32; 2];
        // SAFETY: pipe2 fills two fds we then own; only the write end is close-on-exec.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), 0) } != 0 {
            return Err(std::io::Error::last_os_error()).context("pipe");
        }
        let (read_end, write_end) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        // SAFETY: setting FD_CLOEXEC on the write end we own.
        unsafe { libc::fcntl(write_end.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
        let stderr = std::io::stderr().as_raw_fd();
        let child = Command::new("/proc/self/exe")
            .args(argv)
            .env(HELD_FD, read_end.as_raw_fd().to_string())
            .stdin(Stdio::inherit())
            // SAFETY: a dup of our own stderr, owned by the Stdio.
            .stdout(unsafe { Stdio::from_raw_fd(libc::dup(stderr)) })
            .spawn()
            .with_context(|| format!("{}: cannot run", argv[0]))?;
        drop(read_end);
        Ok(HeldChild {
            child,
            gate: Some(write_end),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Lets the command exec.
    pub fn release(&mut self) -> Result<()> {
        if let Some(gate) = self.gate.take() {
            let b = [1u8];
            // SAFETY: writing one byte to a pipe we own.
            let n = unsafe { libc::write(gate.as_raw_fd(), b.as_ptr().cast(), 1) };
            if n != 1 {
                return Err(std::io::Error::last_os_error()).context("start the command");
            }
        }
        Ok(())
    }

    /// The exit code once the command has exited (128+signal when killed, as shells report).
    pub fn try_exit_code(&mut self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt as _;
        let status = self.child.try_wait().ok()??;
        Some(
            status
                .code()
                .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)),
        )
    }
}
