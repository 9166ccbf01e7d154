//! ptcpdump's kernel programs. One module per attach point:
//!
//! - `tc`: the capture program, reached by tail call from the per-interface entry program that
//!   user space generates (it runs the pcap filter first, see `ptcpdump-filter`).
//! - `process`: exec/fork/exit tracepoints that keep user space's process table exact, even for
//!   processes that live a few milliseconds.
//! - `gotls`: a uprobe on Go's TLS stack that sends the secrets of captured Go programs
//!   (`--write-keylog-file`, `--embed-keylog-to-pcapng`).
//!
//! All programs write into one ring buffer (`EVENTS`), so user space sees a process's exec event
//! before the first packet that process sends.
#![no_std]
#![no_main]

mod cgroup;
mod gotls;
mod maps;
mod owner;
mod process;
mod sock;
mod tc;

#[cfg(not(test))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 4] = *b"GPL\0";
