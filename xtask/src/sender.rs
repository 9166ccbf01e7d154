//! `xtask send-udp`: a paced UDP sender (sendmmsg in batches). Run inside the sender namespace;
//! prints `sent N errors E secs S` when done.
use std::{
    net::{Ipv4Addr, UdpSocket},
    os::fd::AsRawFd,
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

const BATCH: usize = 64;

pub struct Args {
    pub dst: Ipv4Addr,
    pub port: u16,
    /// Every `every`-th packet goes to `other_port` instead (the 1% that match a filter).
    pub other: Option<(u16, u64)>,
    /// Packets per second; 0 = as fast as possible.
    pub rate: u64,
    pub secs: f64,
    pub payload: usize,
    /// Sending threads, each with rate/threads (one busy thread gets a small share of a busy machine).
    pub threads: usize,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Args> {
        let mut a = Args {
            dst: Ipv4Addr::LOCALHOST,
            port: 5002,
            other: None,
            rate: 0,
            secs: 10.0,
            payload: 64,
            threads: 1,
        };
        let mut it = args.iter();
        while let Some(k) = it.next() {
            let mut v = || it.next().context("missing value");
            match k.as_str() {
                "--dst" => a.dst = v()?.parse()?,
                "--port" => a.port = v()?.parse()?,
                "--rate" => a.rate = v()?.parse()?,
                "--secs" => a.secs = v()?.parse()?,
                "--payload" => a.payload = v()?.parse()?,
                "--threads" => a.threads = v()?.parse::<usize>()?.max(1),
                "--other" => {
                    let s = v()?;
                    let (p, e) = s.split_once(':').context("--other PORT:EVERY")?;
                    a.other = Some((p.parse()?, e.parse()?));
                }
                _ => bail!("send-udp: unknown argument {k}"),
            }
        }
        Ok(a)
    }

    pub fn to_argv(&self) -> Vec<String> {
        let mut v = vec![
            "send-udp".into(),
            "--dst".into(),
            self.dst.to_string(),
            "--port".into(),
            self.port.to_string(),
            "--rate".into(),
            self.rate.to_string(),
            "--secs".into(),
            self.secs.to_string(),
            "--payload".into(),
            self.payload.to_string(),
            "--threads".into(),
            self.threads.to_string(),
        ];
        if let Some((p, e)) = self.other {
            v.extend(["--other".into(), format!("{p}:{e}")]);
        }
        v
    }
}

fn sockaddr(ip: Ipv4Addr, port: u16) -> libc::sockaddr_in {
    // SAFETY: sockaddr_in is plain data.
    let mut sa: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    sa.sin_family = libc::AF_INET as libc::sa_family_t;
    sa.sin_port = port.to_be();
    sa.sin_addr.s_addr = u32::from(ip).to_be();
    sa
}

pub fn run(a: &Args) -> Result<()> {
    let start = Instant::now();
    let n = a.threads as u64;
    let handles: Vec<_> = (0..n)
        .map(|k| {
            // Thread k sends sequence numbers k, k+n, k+2n... (so `--other` keeps its 1 in EVERY).
            let rate = if a.rate == 0 {
                0
            } else {
                (a.rate + n - 1 - k) / n
            };
            let (dst, port, other, secs, payload) = (a.dst, a.port, a.other, a.secs, a.payload);
            thread::spawn(move || {
                one(
                    &Args {
                        dst,
                        port,
                        other,
                        rate,
                        secs,
                        payload,
                        threads: 1,
                    },
                    k,
                    n,
                )
            })
        })
        .collect();
    let (mut sent, mut errors) = (0, 0);
    for h in handles {
        let (s, e) = h
            .join()
            .map_err(|_| anyhow::anyhow!("sender thread panicked"))??;
        sent += s;
        errors += e;
    }
    println!(
        "sent {sent} errors {errors} secs {:.3}",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One sending thread: packets number `first`, `first + step`, ...; returns (sent, errors).
fn one(a: &Args, first: u64, step: u64) -> Result<(u64, u64)> {
    let sock = UdpSocket::bind("0.0.0.0:0").context("bind")?;
    let fd = sock.as_raw_fd();
    let main = sockaddr(a.dst, a.port);
    let other = a.other.map(|(p, _)| sockaddr(a.dst, p));
    let every = a.other.map(|(_, e)| e.max(1)).unwrap_or(0);
    let payload = vec![0x5au8; a.payload];
    let mut iov = libc::iovec {
        iov_base: payload.as_ptr() as *mut libc::c_void,
        iov_len: payload.len(),
    };
    // SAFETY: mmsghdr is plain data; every pointer set below outlives the sendmmsg calls.
    let mut msgs: Vec<libc::mmsghdr> = (0..BATCH).map(|_| unsafe { std::mem::zeroed() }).collect();
    let mut addrs = vec![main; BATCH];
    for m in msgs.iter_mut() {
        m.msg_hdr.msg_iov = &mut iov;
        m.msg_hdr.msg_iovlen = 1;
        m.msg_hdr.msg_namelen = size_of::<libc::sockaddr_in>() as u32;
    }
    let start = Instant::now();
    let end = Duration::from_secs_f64(a.secs);
    let (mut sent, mut errors) = (0u64, 0u64);
    loop {
        let el = start.elapsed();
        if el >= end {
            break;
        }
        let due = if a.rate == 0 {
            u64::MAX
        } else {
            (el.as_secs_f64() * a.rate as f64) as u64
        };
        if sent >= due {
            // Ahead of schedule: sleep until the next packet is due (short sleeps keep pacing smooth).
            let ahead = (sent + 1 - due) as f64 / a.rate as f64;
            thread::sleep(Duration::from_secs_f64(ahead.min(0.0005)));
            continue;
        }
        let n = (due - sent).min(BATCH as u64) as usize;
        for (i, addr) in addrs.iter_mut().take(n).enumerate() {
            let seq = first + (sent + i as u64) * step;
            *addr = match other {
                Some(o) if seq.is_multiple_of(every) => o,
                _ => main,
            };
        }
        for (m, addr) in msgs.iter_mut().zip(addrs.iter_mut()) {
            m.msg_hdr.msg_name = (addr as *mut libc::sockaddr_in).cast();
        }
        // SAFETY: n <= BATCH initialised headers pointing at live buffers.
        let r = unsafe { libc::sendmmsg(fd, msgs.as_mut_ptr(), n as u32, 0) };
        if r < 0 {
            errors += 1;
            thread::yield_now();
        } else {
            sent += r as u64;
        }
    }
    Ok((sent, errors))
}

/// Parses the sender's summary line.
pub fn parse_sent(stdout: &str) -> Option<u64> {
    let mut it = stdout.split_whitespace();
    while let Some(w) = it.next() {
        if w == "sent" {
            return it.next()?.parse().ok();
        }
    }
    None
}
