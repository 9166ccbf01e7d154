//! End to end on a real interface: entry programs attached with TCX links to `lo` of a private
//! network namespace see the loopback UDP traffic the filter selects, pass the attachment
//! context to the tail-called program, leave the traffic alone (it is still delivered), and
//! detach when their links are closed. Needs root; skipped otherwise.

use std::net::UdpSocket;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::process::Command;
use std::time::Duration;

mod common;

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

fn ip(args: &str) {
    let ok = Command::new("ip")
        .args(args.split_whitespace())
        .status()
        .unwrap()
        .success();
    assert!(ok, "ip {args}");
}

/// VLAN tags the kernel keeps in skb metadata: the receiving side moves the outer tag of every
/// frame out of the packet bytes before TC ingress. Tagged frames are sent raw on one end of a
/// veth pair; with `vlan_tag_in_packet` the program on the other end must decide exactly as the
/// interpreter decides on the frame as sent (which is what tcpdump shows, libpcap putting the
/// tag back), for every expression of the list.
#[test]
fn vlan_tags_from_metadata() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIP: not root, cannot create namespaces or load eBPF programs");
        return;
    }
    std::thread::spawn(vlan_in_private_netns).join().unwrap();
}

/// Ethernet frames from 02:..:0a to 02:..:0b with the given tags (TPID, TCI) before `rest`.
fn frame(tags: &[(u16, u16)], rest: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a];
    for &(tpid, tci) in tags {
        f.extend_from_slice(&tpid.to_be_bytes());
        f.extend_from_slice(&tci.to_be_bytes());
    }
    f.extend_from_slice(rest);
    f
}

/// Ethertype + IPv4 + UDP 198.18.100.1:40000 -> 198.18.100.2:47001 with a payload.
fn udp4(payload_len: usize) -> Vec<u8> {
    let total = (20 + 8 + payload_len) as u16;
    let mut p = vec![0x08, 0x00, 0x45, 0];
    p.extend_from_slice(&total.to_be_bytes());
    p.extend_from_slice(&[0, 1, 0, 0, 64, 17, 0, 0, 198, 18, 100, 1, 198, 18, 100, 2]);
    p.extend_from_slice(&40000u16.to_be_bytes());
    p.extend_from_slice(&47001u16.to_be_bytes());
    p.extend_from_slice(&((8 + payload_len) as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend((0..payload_len).map(|i| i as u8));
    p
}

/// Ethertype + IPv6 + TCP SYN 2001:db8::1 -> 2001:db8::2 port 80.
fn tcp6() -> Vec<u8> {
    let mut p = vec![0x86, 0xdd, 0x60, 0, 0, 0, 0, 20, 6, 64];
    p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    p.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    p.extend_from_slice(&[
        0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff,
    ]);
    p.extend_from_slice(&[0, 0, 0, 0]);
    p
}

fn vlan_in_private_netns() {
    // SAFETY: unshare only changes this thread's network namespace.
    assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0, "unshare");
    // No IPv6 autoconfiguration chatter on the new links (this namespace's sysctls).
    std::fs::write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1").ok();
    ip("link add va address 02:00:00:00:00:0a type veth peer name vb address 02:00:00:00:00:0b");
    ip("link set va up");
    ip("link set vb up");
    // Until the kernel's link watcher has activated both ends (operstate UP), they have no
    // queueing discipline yet and drop what is sent: wait for it.
    for dev in ["va", "vb"] {
        let start = std::time::Instant::now();
        loop {
            let out = Command::new("ip")
                .args(["-o", "link", "show", dev])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains(" state UP ") {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{dev} never came up"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    // SAFETY: the arguments are NUL-terminated strings.
    let (va, vb) = unsafe {
        (
            libc::if_nametoindex(c"va".as_ptr()),
            libc::if_nametoindex(c"vb".as_ptr()),
        )
    };
    assert!(va != 0 && vb != 0);

    let ctx_map = create_map(MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, "ptf_vlan_ctx").unwrap();
    let counters = create_map(MAP_TYPE_ARRAY, 4, 8, 2, "ptf_vlan_cnt").unwrap();
    let jmp = create_map(MAP_TYPE_PROG_ARRAY, 4, 4, 1, "ptf_vlan_jmp").unwrap();
    let target = load_sched_cls(&counting_target(&ctx_map, &counters), "ptf_vlan_target")
        .unwrap_or_else(|e| panic!("{e:#}"));
    map_update(
        jmp.as_fd(),
        &0u32.to_ne_bytes(),
        &(target.as_raw_fd() as u32).to_ne_bytes(),
    )
    .unwrap();
    // Counts every frame arriving (counter 1), after the filtered program (counter 0), so
    // that the test knows when a frame has been seen.
    let all = entry_program(None, ctx_map.as_raw_fd(), 1, jmp.as_raw_fd(), 0).unwrap();
    let all = load_sched_cls(&all, "ptf_vlan_all").unwrap_or_else(|e| panic!("{e:#}"));

    // SAFETY: plain socket creation; the fd is owned right away.
    let sock = unsafe {
        let fd = libc::socket(libc::AF_PACKET, libc::SOCK_RAW, 0);
        assert!(fd >= 0, "AF_PACKET socket");
        OwnedFd::from_raw_fd(fd)
    };
    let send_raw = |f: &[u8]| {
        // SAFETY: sockaddr_ll is plain data, fully initialized before use.
        let rc = unsafe {
            let mut sll: libc::sockaddr_ll = std::mem::zeroed();
            sll.sll_family = libc::AF_PACKET as u16;
            sll.sll_ifindex = va as i32;
            sll.sll_halen = 6;
            sll.sll_addr[..6].copy_from_slice(&f[..6]);
            libc::sendto(
                sock.as_raw_fd(),
                f.as_ptr().cast(),
                f.len(),
                0,
                (&raw const sll).cast(),
                std::mem::size_of::<libc::sockaddr_ll>() as u32,
            )
        };
        assert_eq!(rc, f.len() as isize, "sendto");
    };

    let frames = [
        frame(&[(0x8100, 100)], &udp4(32)),
        frame(&[(0x8100, 0x2000 | 200)], &udp4(400)),
        frame(&[(0x88a8, 10), (0x8100, 100)], &udp4(8)),
        frame(&[(0x8100, 7)], &tcp6()),
        frame(&[], &udp4(32)),
    ];
    let filters: Vec<(String, ptcpdump_filter::Program)> = common::expressions()
        .into_iter()
        .filter_map(|e| compile(&e, linktype::ETHERNET, 262144).ok().map(|p| (e, p)))
        .filter(|(_, p)| {
            !p.insns()
                .iter()
                .any(|i| i.code == 0x28 && i.k == 0xffff_f004)
        })
        .collect();
    let mut failures = Vec::new();
    let mut seen = 0u64;
    for (expr, prog) in &filters {
        let attach = Attach {
            hook: Hook::Ingress,
            vlan_tag_in_packet: true,
        };
        let insns = entry_program_for(
            attach,
            Some(prog),
            ctx_map.as_raw_fd(),
            0,
            jmp.as_raw_fd(),
            0,
        )
        .unwrap();
        let entry =
            load_sched_cls(&insns, "ptf_vlan_entry").unwrap_or_else(|e| panic!("{expr:?}: {e:#}"));
        let links = [
            attach_tcx(entry.as_fd(), vb, true).unwrap(),
            attach_tcx(all.as_fd(), vb, true).unwrap(),
        ];
        for (n, f) in frames.iter().enumerate() {
            let before = counter(&counters, 0);
            send_raw(f);
            seen += 1;
            let start = std::time::Instant::now();
            while counter(&counters, 1) < seen {
                assert!(
                    start.elapsed() < Duration::from_secs(5),
                    "frame never arrived"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
            let got = counter(&counters, 0) - before == 1;
            if got != prog.matches(f, f.len() as u32) {
                failures.push(format!("{expr:?} frame {n}: kernel {got}"));
            }
        }
        drop(links);
    }
    // Control: without the emulation the tag is really gone from the bytes at TC ingress, so
    // the cases above did go through the emulated path.
    let vlan = compile("vlan", linktype::ETHERNET, 262144).unwrap();
    let insns = entry_program_for(
        Attach {
            hook: Hook::Ingress,
            vlan_tag_in_packet: false,
        },
        Some(&vlan),
        ctx_map.as_raw_fd(),
        0,
        jmp.as_raw_fd(),
        0,
    )
    .unwrap();
    let entry = load_sched_cls(&insns, "ptf_vlan_plain").unwrap_or_else(|e| panic!("{e:#}"));
    let links = [
        attach_tcx(entry.as_fd(), vb, true).unwrap(),
        attach_tcx(all.as_fd(), vb, true).unwrap(),
    ];
    let before = counter(&counters, 0);
    send_raw(&frames[0]);
    seen += 1;
    while counter(&counters, 1) < seen {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(
        counter(&counters, 0),
        before,
        "tag still in the packet bytes"
    );
    drop(links);

    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} filters x {} tagged/untagged frames agree",
        filters.len(),
        frames.len()
    );
}
