//! End to end on a real interface: entry programs attached with TCX links to `lo` of a private
//! network namespace see the loopback UDP traffic the filter selects, pass the attachment
//! context to the tail-called program, leave the traffic alone (it is still delivered), and
//! detach when their links are closed. Needs root; skipped otherwise.

use std::net::UdpSocket;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::Command;
use std::time::Duration;

use ptcpdump_filter::ebpf::*;
use ptcpdump_filter::{compile, linktype};

/// Target: counters[ctx & 1] += 1 (0 ingress, 1 egress); return -1 (TCX_NEXT).
fn counting_target(ctx_map: &OwnedFd, counters: &OwnedFd) -> Vec<Insn> {
    let mut p = vec![st_mem(W, R10, -4, 0)];
    p.extend(ld_imm64(R1, PSEUDO_MAP_FD, ctx_map.as_raw_fd() as u64));
    p.push(alu64_reg(MOV, R2, R10));
    p.push(alu64_imm(ADD, R2, -4));
    p.push(call(FN_MAP_LOOKUP_ELEM));
    p.push(Insn::new(JMP | JEQ | K, R0, 0, 12, 0)); // -> out
    p.push(ldx_mem(DW, R7, R0, 0));
    p.push(alu64_imm(AND, R7, 1));
    p.push(stx_mem(W, R10, R7, -8));
    p.extend(ld_imm64(R1, PSEUDO_MAP_FD, counters.as_raw_fd() as u64));
    p.push(alu64_reg(MOV, R2, R10));
    p.push(alu64_imm(ADD, R2, -8));
    p.push(call(FN_MAP_LOOKUP_ELEM));
    p.push(Insn::new(JMP | JEQ | K, R0, 0, 2, 0)); // -> out
    p.push(alu64_imm(MOV, R1, 1));
    p.push(Insn::new(STX | 0xc0 | DW, R0, R1, 0, 0)); // lock *(u64 *)(r0 + 0) += r1
    p.push(alu64_imm(MOV, R0, -1)); // out
    p.push(exit());
    p
}

fn counter(map: &OwnedFd, i: u32) -> u64 {
    let mut v = [0u8; 8];
    map_lookup(map.as_fd(), &i.to_ne_bytes(), &mut v).unwrap();
    u64::from_ne_bytes(v)
}

fn send(to_port: u16, n: usize, rx: &UdpSocket) -> usize {
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..n {
        tx.send_to(format!("ptf {i}").as_bytes(), ("127.0.0.1", to_port))
            .unwrap();
    }
    let mut got = 0;
    let mut buf = [0u8; 64];
    while got < n && rx.recv_from(&mut buf).is_ok() {
        got += 1;
    }
    got
}

#[test]
fn tcx_links_filter_live_loopback_traffic() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIP: not root, cannot create namespaces or load eBPF programs");
        return;
    }
    // The namespace belongs to this thread only and disappears with it.
    std::thread::spawn(run_in_private_netns).join().unwrap();
}

fn run_in_private_netns() {
    // SAFETY: unshare only changes this thread's network namespace.
    assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0, "unshare");
    let up = Command::new("ip")
        .args(["link", "set", "lo", "up"])
        .status()
        .unwrap();
    assert!(up.success());
    // SAFETY: the argument is a NUL-terminated string.
    let lo = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
    assert_ne!(lo, 0);

    let ctx_map = create_map(MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, "ptf_tcx_ctx").unwrap();
    let counters = create_map(MAP_TYPE_ARRAY, 4, 8, 2, "ptf_tcx_cnt").unwrap();
    let jmp = create_map(MAP_TYPE_PROG_ARRAY, 4, 4, 1, "ptf_tcx_jmp").unwrap();
    let target = load_sched_cls(&counting_target(&ctx_map, &counters), "ptf_tcx_target")
        .unwrap_or_else(|e| panic!("{e:#}"));
    map_update(
        jmp.as_fd(),
        &0u32.to_ne_bytes(),
        &(target.as_raw_fd() as u32).to_ne_bytes(),
    )
    .unwrap();

    let rx1 = UdpSocket::bind("127.0.0.1:47001").unwrap();
    let rx2 = UdpSocket::bind("127.0.0.1:47002").unwrap();
    for rx in [&rx1, &rx2] {
        rx.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    }
    let attach = |expr: Option<&str>| {
        let filter = expr.map(|e| compile(e, linktype::ETHERNET, 262144).unwrap());
        let mut links = Vec::new();
        for (hook, dir) in [(Hook::Ingress, 0), (Hook::Egress, 1)] {
            let ctx = (u64::from(lo) << 1) | dir;
            let insns = entry_program_at(
                hook,
                filter.as_ref(),
                ctx_map.as_raw_fd(),
                ctx,
                jmp.as_raw_fd(),
                0,
            )
            .unwrap();
            let prog = load_sched_cls(&insns, "ptf_tcx_entry").unwrap_or_else(|e| panic!("{e:#}"));
            links.push(attach_tcx(prog.as_fd(), lo, hook == Hook::Ingress).unwrap());
        }
        links
    };
    let reset = || {
        for i in 0..2u32 {
            map_update(counters.as_fd(), &i.to_ne_bytes(), &0u64.to_ne_bytes()).unwrap();
        }
    };

    // (filter, packets seen at ingress, at egress) for 10 datagrams to 47001 and 7 to 47002.
    let cases: [(Option<&str>, u64, u64); 5] = [
        (Some("udp dst port 47001"), 10, 10),
        (Some("outbound and udp dst port 47001"), 0, 10),
        (Some("inbound and udp dst port 47001"), 10, 0),
        (Some("udp and not port 47001"), 7, 7),
        (None, 17, 17),
    ];
    for (expr, ingress, egress) in cases {
        reset();
        let links = attach(expr);
        // Everything is still delivered: returning -1 never drops or redirects.
        assert_eq!(send(47001, 10, &rx1), 10, "{expr:?}");
        assert_eq!(send(47002, 7, &rx2), 7, "{expr:?}");
        assert_eq!(counter(&counters, 0), ingress, "ingress {expr:?}");
        assert_eq!(counter(&counters, 1), egress, "egress {expr:?}");
        drop(links);
    }

    // Closing the links detached the programs.
    reset();
    assert_eq!(send(47001, 5, &rx1), 5);
    assert_eq!(counter(&counters, 0), 0);
    assert_eq!(counter(&counters, 1), 0);
}
