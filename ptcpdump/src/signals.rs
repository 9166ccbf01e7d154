//! SIGINT/SIGTERM/SIGHUP end a capture cleanly (files flushed, statistics printed).
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
