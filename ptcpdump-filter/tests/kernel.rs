//! The translated filters decide in the kernel exactly as the interpreter (already checked
//! against tcpdump by tests/conformance.rs) decides, on the Ethernet packets of the corpus:
//!
//! - the standalone translation returns the classic program's return value;
//! - the entry program stores the attachment context and tail-calls into a target program
//!   (which returns the stored context and clears it) on a match, and returns -1 otherwise.
//!
//! Programs run with `BPF_PROG_TEST_RUN`, so no traffic is needed. Needs root; skipped otherwise.

mod common;

use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use common::*;
use ptcpdump_filter::ebpf::{self, *};
use ptcpdump_filter::{Program, compile, linktype};

const CTX_VALUE: u64 = 0x5eed_0000_1234_abcd;
/// What the target program returns when the context slot was not found.
const NO_SLOT: u32 = 0x7777;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// r0 = ctx_map[0]; ctx_map[0] = 0; return r0 (low 32 bits).
fn target_program(ctx_map: &OwnedFd) -> Vec<Insn> {
    let mut p = vec![st_mem(W, R10, -4, 0)];
    p.extend(ld_imm64(R1, PSEUDO_MAP_FD, ctx_map.as_raw_fd() as u64));
    p.push(alu64_reg(MOV, R2, R10));
    p.push(alu64_imm(ADD, R2, -4));
    p.push(call(FN_MAP_LOOKUP_ELEM));
    p.push(Insn::new(JMP | JNE | K, R0, 0, 2, 0));
    p.push(alu32_imm(MOV, R0, NO_SLOT as i32));
    p.push(exit());
    p.push(ldx_mem(DW, R1, R0, 0));
    p.push(st_mem(DW, R0, 0, 0));
    p.push(alu32_reg(MOV, R0, R1));
    p.push(exit());
    p
}

/// The expressions that compile for Ethernet, except those reading the packet type
/// (`inbound`/`outbound`): the interpreter has no direction; tests/tcx.rs covers them.
fn filters() -> Vec<(String, Program)> {
    expressions()
        .into_iter()
        .filter_map(|e| compile(&e, linktype::ETHERNET, 262144).ok().map(|p| (e, p)))
        .filter(|(_, p)| {
            !p.insns()
                .iter()
                .any(|i| i.code & 0xe0 == 0x20 && i.k == 0xffff_f004)
        })
        .collect()
}

#[test]
fn kernel_decisions_equal_the_interpreter() {
    if !is_root() {
        eprintln!("SKIP: not root, cannot load eBPF programs");
        return;
    }
    let packets = ethernet_packets();
    if packets.is_empty() {
        eprintln!("SKIP: no Ethernet packets in the conformance corpus");
        return;
    }
    let ctx_map = create_map(MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, "ptf_test_ctx").unwrap();
    let jmp = create_map(MAP_TYPE_PROG_ARRAY, 4, 4, 1, "ptf_test_jmp").unwrap();
    let target =
        load_sched_cls(&target_program(&ctx_map), "ptf_target").unwrap_or_else(|e| panic!("{e:#}"));
    map_update(
        jmp.as_fd(),
        &0u32.to_ne_bytes(),
        &(target.as_raw_fd() as u32).to_ne_bytes(),
    )
    .unwrap();

    let mut failures = Vec::new();
    let mut refused = Vec::new();
    let (mut runs, mut skipped) = (0usize, 0usize);
    let matched = std::cell::Cell::new(0usize);
    let mut check = |name: &str, expr: &str, insns: Vec<Insn>, want: &dyn Fn(&[u8]) -> u32| {
        let fd = match load_sched_cls(&insns, name) {
            Ok(fd) => fd,
            Err(e) => {
                refused.push(format!("{expr:?}: {e:#}"));
                return;
            }
        };
        for pkt in &packets {
            match test_run(fd.as_fd(), pkt) {
                Ok(got) => {
                    runs += 1;
                    let exp = want(pkt);
                    if got != exp {
                        failures.push(format!(
                            "{name} {expr:?}: kernel {got:#x}, interpreter {exp:#x}, packet {pkt:02x?}"
                        ));
                    }
                }
                Err(_) => skipped += 1,
            }
        }
    };
    let filters = filters();
    for (expr, prog) in &filters {
        let standalone = translate(prog).unwrap();
        check("ptf_standalone", expr, standalone, &|p| {
            prog.run(p, p.len() as u32)
        });
        let entry = entry_program(
            Some(prog),
            ctx_map.as_raw_fd(),
            CTX_VALUE,
            jmp.as_raw_fd(),
            0,
        )
        .unwrap();
        check("ptf_entry", expr, entry, &|p| {
            if prog.matches(p, p.len() as u32) {
                matched.set(matched.get() + 1);
                CTX_VALUE as u32
            } else {
                ebpf::RET_NEXT as u32
            }
        });
    }
    // No filter: every packet goes to the target.
    let all = entry_program(None, ctx_map.as_raw_fd(), CTX_VALUE, jmp.as_raw_fd(), 0).unwrap();
    check("ptf_entry_all", "", all, &|_| CTX_VALUE as u32);
    // A failing tail call (empty slot) falls back to "next".
    let empty_jmp = create_map(MAP_TYPE_PROG_ARRAY, 4, 4, 1, "ptf_test_empty").unwrap();
    let missing_fd = load_sched_cls(
        &entry_program(None, ctx_map.as_raw_fd(), 1, empty_jmp.as_raw_fd(), 0).unwrap(),
        "ptf_missing",
    )
    .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(
        test_run(missing_fd.as_fd(), &packets[0]).unwrap(),
        RET_NEXT as u32
    );

    eprintln!(
        "{} filters x {} packets: {runs} kernel runs, {} entry matches, {skipped} runs \
         refused by the kernel, {} programs refused by the verifier",
        filters.len(),
        packets.len(),
        matched.get(),
        refused.len()
    );
    for r in &refused {
        eprintln!("verifier refused {r}");
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(refused.is_empty(), "verifier refusals");
    assert!(runs > 100_000 && matched.get() > 1000);
}
