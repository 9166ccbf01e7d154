//! `Program::dump` prints what `tcpdump -d/-dd/-ddd -y LINKTYPE EXPR` prints, and compile errors
//! are tcpdump's, for every expression of tests/data/expressions.txt.

mod common;

use std::process::Command;

use common::*;
use ptcpdump_filter::compile;

/// tcpdump's -y name and the LINKTYPE value a capture file would store.
const LINKTYPES: &[(&str, u32, &[u8])] = &[
    ("EN10MB", 1, &[1, 2, 3]),
    ("LINUX_SLL", 113, &[1]),
    ("LINUX_SLL2", 276, &[1]),
    ("RAW", 101, &[1]),
    ("NULL", 0, &[1]),
    ("IPV4", 228, &[1]),
    ("IPV6", 229, &[1]),
];

#[test]
fn dump_matches_tcpdump() {
    if !tcpdump_available() {
        eprintln!("SKIP: tcpdump is not installed");
        return;
    }
    let exprs = expressions();
    let mut failures = Vec::new();
    let (mut listings, mut errors) = (0, 0);
    for &(name, linktype, levels) in LINKTYPES {
        for expr in &exprs {
            let ours = compile(expr, linktype, 262144);
            for &level in levels {
                let flag = "-".to_string() + &"d".repeat(level as usize);
                let o = Command::new("tcpdump")
                    .args([flag.as_str(), "-y", name, expr])
                    .output()
                    .unwrap();
                match (&ours, o.status.success()) {
                    (Ok(p), true) => {
                        let theirs = String::from_utf8_lossy(&o.stdout);
                        if p.dump(level) != theirs {
                            failures.push(format!(
                                "{name} {flag} {expr:?}:\nours:\n{}tcpdump:\n{theirs}",
                                p.dump(level)
                            ));
                        }
                        listings += 1;
                    }
                    (Err(e), false) => {
                        let theirs = tcpdump_error(&o.stderr).unwrap_or_default();
                        if e.to_string() != theirs {
                            failures.push(format!("{name} {expr:?}: {e} vs {theirs}"));
                        }
                        errors += 1;
                    }
                    (Ok(_), false) => failures.push(format!(
                        "{name} {expr:?}: we compiled, tcpdump: {:?}",
                        tcpdump_error(&o.stderr)
                    )),
                    (Err(e), true) => failures.push(format!("{name} {expr:?}: we failed: {e}")),
                }
            }
        }
    }
    eprintln!("{listings} listings and {errors} errors compared with tcpdump");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(listings > 500);
}

/// `tcpdump -r FILE -d EXPR` compiles for the file (see `compile_offline`): compare on empty
/// files of each link type, and a big-endian BSD loopback one (its code depends on byte order).
#[test]
fn offline_dump_matches_tcpdump_r() {
    if !tcpdump_available() {
        eprintln!("SKIP: tcpdump is not installed");
        return;
    }
    let tmp = temp_dir("dump-offline");
    let exprs = expressions();
    let mut failures = Vec::new();
    let mut compared = 0;
    let variants = LINKTYPES
        .iter()
        .map(|&(_, lt, _)| (lt, false))
        .chain([(0, true)]);
    for (lt, big) in variants {
        let file = tmp.join(format!("empty-{lt}-{big}.pcap"));
        write_pcap(&file, big, lt, 262144, &[]);
        let swapped = big != cfg!(target_endian = "big");
        for expr in &exprs {
            let o = Command::new("tcpdump")
                .arg("-r")
                .arg(&file)
                .args(["-d", expr])
                .output()
                .unwrap();
            let ours = ptcpdump_filter::compile_offline(expr, lt, 262144, swapped);
            let theirs = if o.status.success() {
                Ok(String::from_utf8_lossy(&o.stdout).into_owned())
            } else {
                Err(tcpdump_error(&o.stderr).unwrap_or_default())
            };
            let ours = ours.map(|p| p.dump(1)).map_err(|e| e.to_string());
            if ours != theirs {
                failures.push(format!(
                    "linktype {lt} big {big} {expr:?}: {ours:?} vs {theirs:?}"
                ));
            }
            compared += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    eprintln!("{compared} offline listings/errors compared with tcpdump -r -d");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
