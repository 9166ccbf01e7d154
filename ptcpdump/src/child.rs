//! `ptcpdump [flags] [expression] -- CMD ARGS`: the command is started held at the door (its
//! child process waits on a pipe before exec), its pid is put into the kernel's process filter,
//! and only then is it let go, so its very first packet is captured. Its output goes to our
//! stderr, keeping stdout for packets.
use std::{
    io::Read as _,
    os::{
        fd::{AsRawFd as _, FromRawFd as _, OwnedFd},
        unix::process::CommandExt as _,
    },
    process::{Child, Command, Stdio},
};

use anyhow::{Context as _, Result};

pub struct HeldChild {
    pub child: Child,
    gate: Option<OwnedFd>,
}

impl HeldChild {
    pub fn spawn(argv: &[String]) -> Result<HeldChild> {
        let mut fds = [0i32; 2];
        // SAFETY: pipe2 fills two fds we then own.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error()).context("pipe");
        }
        let (read_end, write_end) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let read_raw = read_end.as_raw_fd();
        let write_raw = write_end.as_raw_fd();
        let stderr_dup = std::io::stderr().as_raw_fd();
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).stdin(Stdio::inherit());
        // SAFETY: dup of our own stderr; the Stdio takes ownership of the new fd.
        cmd.stdout(unsafe { Stdio::from_raw_fd(libc::dup(stderr_dup)) });
        // SAFETY: only async-signal-safe calls (close, read) between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                libc::close(write_raw);
                let mut b = [0u8; 1];
                let mut f = std::fs::File::from_raw_fd(read_raw);
                let r = f.read(&mut b);
                std::mem::forget(f);
                match r {
                    Ok(1) => Ok(()),
                    _ => Err(std::io::Error::other("ptcpdump went away before starting the command")),
                }
            });
        }
        let child = cmd.spawn().with_context(|| format!("{}: cannot run", argv[0]))?;
        drop(read_end);
        Ok(HeldChild { child, gate: Some(write_end) })
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
        Some(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0)))
    }
}
