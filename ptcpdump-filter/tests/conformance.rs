//! The interpreter selects exactly the packets tcpdump selects, and expressions tcpdump rejects
//! fail with the same message, for every capture of the shared corpus and every expression of
//! tests/data/expressions.txt.
//!
//! Each corpus file (pcap or pcapng) is first normalized by `tcpdump -r FILE -w ALL` (so pcapng
//! needs no reader here); the packets of all files with the same link type are then merged into
//! one file, which is filtered by `tcpdump -r MERGED -w OUT EXPR` and by `Program::matches`.
//! Every merged file is written in little-endian byte order, and the BSD loopback one (whose
//! filter code depends on the file's byte order) in big-endian order too.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::*;
use ptcpdump_filter::compile_offline;

#[test]
fn interpreter_selects_what_tcpdump_selects() {
    if !tcpdump_available() {
        eprintln!("SKIP: tcpdump is not installed");
        return;
    }
    let files = corpus_files();
    if files.is_empty() {
        eprintln!("SKIP: no conformance corpus (../shared/conformance/pcaps)");
        return;
    }
    let tmp = temp_dir("conformance");

    // linktype -> (max snaplen, records)
    let mut groups: BTreeMap<u32, (u32, Vec<Record>)> = BTreeMap::new();
    let mut unreadable = 0;
    for (n, file) in files.iter().enumerate() {
        let all = tmp.join(format!("all-{n}.pcap"));
        let _ = Command::new("tcpdump")
            .arg("-r")
            .arg(file)
            .arg("-w")
            .arg(&all)
            .output()
            .unwrap();
        // tcpdump may stop early on a damaged file but still writes what it read.
        let Some(cap) = std::fs::read(&all).ok().and_then(|b| read_pcap(&b)) else {
            unreadable += 1;
            continue;
        };
        let g = groups.entry(cap.linktype).or_insert((0, Vec::new()));
        g.0 = g.0.max(cap.snaplen);
        g.1.extend(cap.records);
    }

    let exprs = expressions();
    assert!(exprs.len() >= 150);
    let mut checked = 0usize;
    let mut errors_checked = 0usize;
    let mut packets_compared = 0usize;
    let mut failures = Vec::new();
    let variants = groups.iter().flat_map(|(&linktype, (snaplen, records))| {
        let orders: &[bool] = if linktype == 0 {
            &[false, true]
        } else {
            &[false]
        };
        orders
            .iter()
            .map(move |&big| (linktype, *snaplen, records, big))
    });
    for (linktype, snaplen, records, big) in variants {
        let merged = tmp.join(format!("merged-{linktype}-{big}.pcap"));
        let refs: Vec<&Record> = records.iter().collect();
        write_pcap(&merged, big, linktype, snaplen, &refs);
        let swapped = big != cfg!(target_endian = "big");
        let out = tmp.join("out.pcap");
        for expr in &exprs {
            let _ = std::fs::remove_file(&out);
            let o = Command::new("tcpdump")
                .arg("-r")
                .arg(&merged)
                .arg("-w")
                .arg(&out)
                .arg(expr)
                .output()
                .unwrap();
            let ours = compile_offline(expr, linktype, snaplen, swapped);
            checked += 1;
            if !o.status.success() {
                let theirs = tcpdump_error(&o.stderr).unwrap_or_default();
                match ours {
                    Err(e) if e.to_string() == theirs => errors_checked += 1,
                    Err(e) => failures.push(format!(
                        "linktype {linktype} big-endian {big} {expr:?}: error {e:?}, tcpdump: {theirs:?}"
                    )),
                    Ok(_) => failures.push(format!(
                        "linktype {linktype} big-endian {big} {expr:?}: compiled, tcpdump failed: {theirs:?}"
                    )),
                }
                continue;
            }
            let prog = match ours {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!(
                        "linktype {linktype} big-endian {big} {expr:?}: tcpdump accepted, we failed: {e}"
                    ));
                    continue;
                }
            };
            let selected: Vec<(u32, &[u8])> = records
                .iter()
                .filter(|r| prog.matches(&r.data, r.len))
                .map(|r| (r.len, r.data.as_slice()))
                .collect();
            let theirs = read_pcap(&std::fs::read(&out).unwrap()).unwrap();
            let expected: Vec<(u32, &[u8])> = theirs
                .records
                .iter()
                .map(|r| (r.len, r.data.as_slice()))
                .collect();
            packets_compared += records.len();
            if selected != expected {
                failures.push(format!(
                    "linktype {linktype} big-endian {big} {expr:?}: we select {} packets, tcpdump {}",
                    selected.len(),
                    expected.len()
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    eprintln!(
        "{} files ({unreadable} unreadable) in {} link types, {} expressions: {checked} runs, \
         {errors_checked} identical errors, {packets_compared} packet decisions compared",
        files.len(),
        groups.len(),
        exprs.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(packets_compared > 10_000);
}
