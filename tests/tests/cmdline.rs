//! Full command lines (issue 14.1): a process that forks, execs with arguments, sends one
//! datagram and exits within milliseconds is printed with all its arguments, however it
//! exec'd (execve, execveat, fexecve, a `#!` script), dynamically or statically linked, also in
//! a churn of 300 clients at 100 per second. Loopback only: runs on every kernel of the matrix.
use std::{collections::HashMap, path::PathBuf, thread, time::Duration};

use integration_tests::*;

fn root_or_skip(name: &str) -> bool {
    if !is_root() {
        eprintln!("skipping {name}: needs root");
        return false;
    }
    if !have("gcc") {
        eprintln!("skipping {name}: needs gcc");
        return false;
    }
    true
}

/// A temporary directory with the client built twice (dynamic and static).
struct Clients {
    dir: PathBuf,
}

impl Clients {
    fn build() -> Clients {
        let dir = std::env::temp_dir().join(format!("ptcpdump-it-{}", unique("fe")));
        std::fs::create_dir_all(&dir).unwrap();
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/forkexec.c");
        sh(&format!(
            "gcc -O2 -o {d}/forkexec {s} && gcc -O2 -static -o {d}/forkexec-static {s}",
            d = dir.display(),
            s = src.display()
        ));
        Clients { dir }
    }

    fn bin(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

impl Drop for Clients {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `Process (pid N, cmd C, args A)` lines of a `-v` run: pid -> every (cmd, args) printed.
fn process_lines(out: &str) -> HashMap<u32, Vec<(String, String)>> {
    let mut m: HashMap<u32, Vec<(String, String)>> = HashMap::new();
    for l in out.lines() {
        let Some(rest) = l.trim_start().strip_prefix("Process (pid ") else {
            continue;
        };
        let Some((pid, rest)) = rest.split_once(", cmd ") else {
            continue;
        };
        let Some((cmd, args)) = rest.split_once(", args ") else {
            continue;
        };
        let args = args.strip_suffix(')').unwrap_or(args);
        if let Ok(pid) = pid.parse() {
            m.entry(pid)
                .or_default()
                .push((cmd.to_string(), args.to_string()));
        }
    }
    m
}

/// The "LABEL PID" lines the driver printed.
fn children(out: &str) -> Vec<(String, u32)> {
    out.lines()
        .filter_map(|l| {
            let (label, pid) = l.split_once(' ')?;
            Some((label.to_string(), pid.parse().ok()?))
        })
        .collect()
}

fn capture(port: u16) -> Bg {
    let cap = Bg::spawn(&format!(
        "{} -i lo -l -n -v udp port {port}",
        ptcpdump_bin().display()
    ));
    cap.wait_stderr("listening on", 10);
    cap
}

#[test]
fn churn_of_fork_exec_clients_keeps_every_argument() {
    if !root_or_skip("churn_of_fork_exec_clients_keeps_every_argument") {
        return;
    }
    let c = Clients::build();
    let port = 20000 + (std::process::id() % 10000) as u16;
    let cap = capture(port);
    let mut runs = Vec::new();
    for bin in ["forkexec", "forkexec-static"] {
        let path = c.bin(bin);
        // 300 clients, one every 10 ms (100/s).
        let driver = Bg::spawn(&format!("env FE_PORT={port} {path} churn 300 10000"));
        let done = driver.wait(120);
        assert!(done.status.success(), "{bin}: {}", done.stderr);
        runs.push((path, children(&done.stdout)));
    }
    thread::sleep(Duration::from_millis(500));
    let out = cap.stop();
    let seen = process_lines(&out.stdout);
    for (path, kids) in &runs {
        assert_eq!(kids.len(), 300, "{path}: clients reported");
        let want = format!("{path} once arg2 arg3");
        let mut right = 0;
        let mut wrong = Vec::new();
        for (_, pid) in kids {
            match seen.get(pid) {
                Some(lines) if lines.iter().all(|(cmd, args)| cmd == path && *args == want) => {
                    right += 1
                }
                other => wrong.push((*pid, other.cloned())),
            }
        }
        eprintln!("{path}: {right}/300 clients printed with their full command line");
        assert!(
            wrong.is_empty(),
            "{path}: {} of 300 clients without their arguments, first: {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(3)]
        );
    }
}

#[test]
fn every_way_of_exec_keeps_the_arguments() {
    if !root_or_skip("every_way_of_exec_keeps_the_arguments") {
        return;
    }
    let c = Clients::build();
    let port = 30000 + (std::process::id() % 10000) as u16;
    let cap = capture(port);
    let mut expected: Vec<(u32, String, String)> = Vec::new();
    for bin in ["forkexec", "forkexec-static"] {
        let path = c.bin(bin);
        let script = c.bin(&format!("{bin}.sh"));
        // The kernel runs `INTERPRETER [ARG] SCRIPT ARGV[1..]`.
        std::fs::write(&script, format!("#!{path} interp-arg\n")).unwrap();
        sh(&format!("chmod +x {script}"));
        let driver = Bg::spawn(&format!("env FE_PORT={port} {path} paths {script}"));
        let done = driver.wait(60);
        assert!(done.status.success(), "{bin}: {}", done.stderr);
        let kids = children(&done.stdout);
        assert_eq!(kids.len(), 5, "{}", done.stdout);
        for (label, pid) in kids {
            let (cmd, args) = match label.as_str() {
                "execve" | "execveat" => (path.clone(), format!("{path} {label} arg2 arg3")),
                // fexecve runs /dev/fd/N; its name comes from argv[0].
                "fexecve" => (
                    String::from("/dev/fd/"),
                    format!("{path} fexecve arg2 arg3"),
                ),
                "script" => (
                    script.clone(),
                    format!("{path} interp-arg {script} script arg2 arg3"),
                ),
                // 4096 bytes: the program's path, "long", then the 'a's, cut and marked.
                "long" => {
                    let head = format!("{path} long ");
                    let a = "a".repeat(4096 - head.len());
                    (path.clone(), format!("{head}{a}..."))
                }
                other => panic!("unknown label {other}"),
            };
            expected.push((pid, cmd, args));
        }
    }
    thread::sleep(Duration::from_millis(500));
    let out = cap.stop();
    let seen = process_lines(&out.stdout);
    for (pid, cmd, args) in &expected {
        let lines = seen
            .get(pid)
            .unwrap_or_else(|| panic!("no packet of {pid} ({cmd}): {}", out.stdout));
        for (c, a) in lines {
            assert!(
                c.starts_with(cmd.as_str()),
                "pid {pid}: cmd {c}, want {cmd}"
            );
            assert_eq!(a, args, "pid {pid} ({cmd})");
        }
    }
}
