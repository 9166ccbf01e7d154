//! Attaches the process tracepoints (`ptcpdump-ebpf/src/process.rs`): exec, fork and exit, and
//! tells the exec program where the kernel keeps a new program's arguments (offsets from the
//! kernel's BTF, see `kbtf.rs`). Without those offsets the arguments are copied at execve entry
//! instead, which misses strings a freshly forked child has not touched yet; that is said once.
use anyhow::{Context as _, Result};
use aya::{Ebpf, maps::Array, programs::TracePoint};
use ptcpdump_common::ExecLayout;

use crate::kbtf::Btf;

/// Offsets of `task_struct.mm`, `mm_struct.arg_start` and `mm_struct.arg_end`.
pub fn exec_layout(btf: &Btf) -> Result<ExecLayout> {
    Ok(ExecLayout {
        task_mm: btf.member_offset("task_struct", "mm")?,
        mm_arg_start: btf.member_offset("mm_struct", "arg_start")?,
        mm_arg_end: btf.member_offset("mm_struct", "arg_end")?,
        _pad: 0,
    })
}

pub fn attach(ebpf: &mut Ebpf) {
    let layout = Btf::from_sys_fs()
        .map_err(|e| anyhow::anyhow!("{e}"))
        .and_then(|b| exec_layout(&b));
    let from_mm = match layout {
        Ok(l) => match set_layout(ebpf, l) {
            Ok(()) => true,
            Err(e) => {
                log::warn!("{e:#}: command lines are read at execve entry and may miss arguments");
                false
            }
        },
        Err(e) => {
            log::warn!(
                "kernel BTF without exec offsets ({e:#}): command lines are read at execve entry and may miss arguments"
            );
            false
        }
    };
    let mut tps = vec![
        ("ptcpdump_sched_process_exec", "sched", "sched_process_exec"),
        ("ptcpdump_sched_process_fork", "sched", "sched_process_fork"),
        ("ptcpdump_sched_process_exit", "sched", "sched_process_exit"),
    ];
    if !from_mm {
        tps.push(("ptcpdump_sys_enter_execve", "syscalls", "sys_enter_execve"));
        tps.push((
            "ptcpdump_sys_enter_execveat",
            "syscalls",
            "sys_enter_execveat",
        ));
    }
    for (name, category, event) in tps {
        let r: Result<()> = (|| {
            let tp: &mut TracePoint = ebpf
                .program_mut(name)
                .context("program missing")?
                .try_into()?;
            tp.load()?;
            tp.attach(category, event)?;
            Ok(())
        })();
        if let Err(e) = r {
            log::warn!(
                "tracepoint {category}:{event} unavailable ({e:#}): process details of new processes will be read from /proc"
            );
        }
    }
}

fn set_layout(ebpf: &mut Ebpf, l: ExecLayout) -> Result<()> {
    let mut m: Array<_, ExecLayout> =
        Array::try_from(ebpf.map_mut("EXEC_LAYOUT").context("EXEC_LAYOUT map")?)?;
    m.set(0, l, 0).context("EXEC_LAYOUT map")?;
    Ok(())
}
