//! `xtask spawn-clients`: starts short-lived client processes at a fixed rate, each running
//! `xtask connect IP PORT TOKEN` (one TCP connection, then exit). Each client prints
//! `PID SPORT TOKEN` on the shared stdout (one short write: atomic on a pipe).
use std::{
    io::Write,
    net::{SocketAddr, TcpStream},
    process::{Child, Command, Stdio},
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
    let exe = std::env::current_exe()?;
    let start = Instant::now();
    let end = Duration::from_secs_f64(secs);
    let mut running: Vec<Child> = Vec::new();
    let (mut spawned, mut failed) = (0u64, 0u64);
    while start.elapsed() < end {
        let due = (start.elapsed().as_secs_f64() * rate as f64) as u64;
        if spawned >= due {
            running.retain_mut(|c| !matches!(c.try_wait(), Ok(Some(_))));
            thread::sleep(Duration::from_micros(200));
            continue;
        }
        let token = format!("c{spawned}");
        match Command::new(&exe)
            .args(["connect", &dst, &port.to_string(), &token])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => running.push(c),
            Err(_) => failed += 1,
        }
        spawned += 1;
    }
    for mut c in running {
        let _ = c.wait();
    }
    eprintln!(
        "spawned {spawned} failed {failed} secs {:.3}",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
