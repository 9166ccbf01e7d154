//! SIGINT/SIGTERM/SIGHUP end a capture cleanly (files flushed, statistics printed); SIGUSR1
//! asks a live capture for its statistics and lets it go on, as tcpdump and the original
//! ptcpdump do.
use std::sync::{Arc, atomic::AtomicBool};

use anyhow::{Context as _, Result};

pub fn install() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).context("install signal handler")?;
    }
    Ok(stop)
}

/// Set by each SIGUSR1; the capture loop clears it when it has printed the statistics.
/// (Only live capture installs it: tcpdump reading a file dies of SIGUSR1 too.)
pub fn install_info() -> Result<Arc<AtomicBool>> {
    let info = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGUSR1, Arc::clone(&info))
        .context("install SIGUSR1 handler")?;
    Ok(info)
}
