//! ptcpdump: tcpdump's output and flags, plus the process, container and Pod of each packet.
mod annotate;
mod capture;
mod child;
mod clock;
mod containers;
mod flags;
mod ifaces;
mod kbtf;
mod kernel_btf;
mod keylog;
mod linktype;
mod netlink;
mod netns;
mod output;
mod printopts;
mod procevents;
mod procs;
mod read;
mod seed;
mod signals;
mod sll2;
mod wireshark;
mod write;

use clap::Parser as _;

use crate::flags::Flags;

/// Text of an I/O error without Rust's " (os error N)" suffix, as C tools print it.
pub fn errno_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

unsafe extern "C" {
    fn pcap_lib_version() -> *const std::ffi::c_char;
}

/// libpcap's own version line (its filter compiler is the one ptcpdump uses).
fn libpcap_version() -> String {
    // SAFETY: libpcap returns a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(pcap_lib_version()) }
        .to_string_lossy()
        .into_owned()
}

struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::max_level()
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            // Messages quote names of processes, files, interfaces and runtime answers: one
            // line, no control byte. Debug messages keep their newlines (verifier logs).
            let msg = r.args().to_string();
            let shown = if r.level() >= log::Level::Debug {
                msg.split('\n')
                    .map(|l| ptcpdump_meta::text::shown(l).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                ptcpdump_meta::text::shown(&msg).into_owned()
            };
            eprintln!("ptcpdump: {}: {shown}", r.level().as_str().to_lowercase());
        }
    }
    fn flush(&self) {}
}

fn run() -> anyhow::Result<i32> {
    let flags = match Flags::try_parse() {
        Ok(f) => f,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => 1,
            };
            let _ = e.print();
            return Ok(code);
        }
    };
    static LOGGER: StderrLogger = StderrLogger;
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(match flags.log_level.as_str() {
        "debug" => log::LevelFilter::Debug,
        "info" => log::LevelFilter::Info,
        "warn" => log::LevelFilter::Warn,
        "error" | "fatal" => log::LevelFilter::Error,
        other => {
            anyhow::bail!("invalid --log-level {other:?}: expected debug, info, warn or error")
        }
    });
    // The original ptcpdump's tuning flags: accepted so that its scripts run, said once.
    let ignored = flags.ignored_tuning();
    if !ignored.is_empty() {
        log::warn!(
            "{}: the original ptcpdump's tuning, not needed by this one; ignored",
            ignored.join(", ")
        );
    }
    kernel_btf::set(flags.kernel_btf.clone());
    if flags.version {
        println!("ptcpdump version {}", env!("CARGO_PKG_VERSION"));
        println!("{}", libpcap_version());
        return Ok(0);
    }
    if let Some(dir) = &flags.install_wireshark_plugin {
        if let Some(file) = wireshark::install(dir)? {
            println!("ptcpdump: Wireshark plugin installed: {}", file.display());
        }
        return Ok(0);
    }
    if flags.list_interfaces {
        let sel = netns::Selection::parse(&flags.netns);
        let (spaces, _) = netns::initial(&sel)?;
        let own = ifaces::current_netns_inode();
        let mut all = Vec::new();
        for ns in &spaces {
            all.extend(ns.run(|| ifaces::list_in(own))?);
        }
        ifaces::print_list(&all);
        return Ok(0);
    }
    // -C/-W/-G/-z and -T mistakes fail before anything starts, as in tcpdump.
    write::Rotation::from_flags(&flags)?;
    flags.packet_type()?;
    if let Some(path) = &flags.read_file {
        return read::run(&flags, path);
    }
    capture::run(&flags)
}

fn main() {
    child::run_loader_if_held();
    let code = match run() {
        Ok(code) => code,
        Err(e) if output::is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("ptcpdump: {e:#}");
            1
        }
    };
    std::process::exit(code);
}
