//! Real Go executables, built here with the installed toolchain (Debian's golang-go; the tests
//! say so and pass when `go` is missing): the function is found in every build variant, and
//! stripped builds find it where the symbol table of the same build without stripping puts it.
use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use ptcpdump_gotls::{Error, Source, WRITE_KEY_LOG, locate, locate_write_key_log};

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn have_go() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let ok = Command::new("go")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("go is not installed (apt-get install golang-go): Go binary tests skipped");
        }
        ok
    })
}

/// Builds `src` with extra `go build` arguments into the test's temporary directory.
fn build(src: &str, out: &str, args: &[&str]) -> Vec<u8> {
    // External linking (gcc) needs cgo; everything else is built without it.
    let cgo = if args.iter().any(|a| a.contains("linkmode=external")) {
        "1"
    } else {
        "0"
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gotls");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join(out);
    let o = Command::new("go")
        .arg("build")
        .args(args)
        .arg("-o")
        .arg(&exe)
        .arg(testdata(src))
        .env("GOCACHE", dir.join("cache"))
        .env("GOPATH", dir.join("gopath"))
        .env("GO111MODULE", "off")
        .env("CGO_ENABLED", cgo)
        .output()
        .expect("run go build");
    assert!(
        o.status.success(),
        "go build {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(exe).unwrap()
}

/// The symbol's address according to `go tool nm`, an independent reader of the symbol table.
fn nm_address(exe: &str, sym: &str) -> u64 {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("gotls")
        .join(exe);
    let o = Command::new("go")
        .args(["tool", "nm"])
        .arg(path)
        .output()
        .expect("go tool nm");
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text
        .lines()
        .find(|l| l.ends_with(&format!(" {sym}")))
        .unwrap_or_else(|| panic!("{sym} not in nm output"));
    u64::from_str_radix(line.split_whitespace().next().unwrap(), 16).unwrap()
}

fn check_pair(name: &str, plain_args: &[&str], stripped_args: &[&str]) {
    let plain = build("tlsapp.go", name, plain_args);
    let stripped_name = format!("{name}-stripped");
    let stripped = build("tlsapp.go", &stripped_name, stripped_args);

    let a = locate_write_key_log(&plain).unwrap();
    assert_eq!(a.source, Source::Symtab);
    assert_eq!(a.vaddr, nm_address(name, WRITE_KEY_LOG), "{name}");
    assert!(
        a.go_version
            .as_deref()
            .is_some_and(|v| v.starts_with("go1.")),
        "{:?}",
        a.go_version
    );

    let b = locate_write_key_log(&stripped).unwrap();
    assert_eq!(
        b.source,
        Source::Pclntab,
        "{stripped_name} still has a symbol table"
    );
    assert_eq!(
        b.vaddr, a.vaddr,
        "{stripped_name}: function table and symbol table disagree"
    );
    assert_eq!(b.go_version, a.go_version);
    // The same instructions are at both file offsets.
    let code = |f: &[u8], off: u64| f[off as usize..off as usize + 32].to_vec();
    assert_eq!(code(&stripped, b.file_offset), code(&plain, a.file_offset));

    // The function table gives the symbol table's answer for another function as well.
    let other = locate(&stripped, "main.main").unwrap();
    assert_eq!(other.vaddr, nm_address(name, "main.main"));
}

#[test]
fn fixed_address_executable() {
    if have_go() {
        check_pair("exe", &[], &["-ldflags=-s -w"]);
    }
}

#[test]
fn position_independent_executable() {
    if have_go() {
        check_pair(
            "pie",
            &["-buildmode=pie"],
            &["-buildmode=pie", "-ldflags=-s -w"],
        );
    }
}

/// Linked by gcc: the function table sits inside `.data.rel.ro` without a section of its own, and
/// C start-up code comes before Go's text, so only the relocation of `textStart` gives it.
#[test]
fn externally_linked_pie() {
    let gcc = Command::new("gcc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !gcc {
        eprintln!("gcc is not installed: external linking not tested");
    }
    if have_go() && gcc {
        check_pair(
            "extpie",
            &["-buildmode=pie", "-ldflags=-linkmode=external"],
            &["-buildmode=pie", "-ldflags=-linkmode=external -s -w"],
        );
    }
}

#[test]
fn program_without_tls_and_files_that_are_not_go() {
    if !have_go() {
        return;
    }
    let plain = build("plain.go", "plain", &["-ldflags=-s -w"]);
    match locate_write_key_log(&plain) {
        Err(Error::FunctionMissing { func, version }) => {
            assert_eq!(func, WRITE_KEY_LOG);
            assert!(version.is_some());
        }
        other => panic!("expected FunctionMissing, got {other:?}"),
    }
    // A C program (this machine's shell) and a script.
    let sh = std::fs::read("/bin/sh").unwrap();
    assert_eq!(locate_write_key_log(&sh), Err(Error::NotGo));
    assert_eq!(
        locate_write_key_log(b"#!/bin/sh\necho hi\n"),
        Err(Error::NotElf)
    );
}
