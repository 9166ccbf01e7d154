//! Builds the eBPF programs (crate `ptcpdump-ebpf`) for the bpf target with aya-build, on the
//! nightly toolchain (see ../shared/MACHINE.md for the recipe), and places the object in OUT_DIR.
//!
//! `AYA_BUILD_SKIP=1` skips that step and embeds an empty object: the binary then still reads and
//! writes files (`-r`, `-w`) but refuses live capture. Printer and file work can so be built
//! without nightly or bpf-linker.
use std::{env, fs, path::PathBuf};

use anyhow::{Context as _, anyhow};

fn main() -> anyhow::Result<()> {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").context("OUT_DIR not set")?);
    let object = out_dir.join("ptcpdump");
    let skip = env::var("AYA_BUILD_SKIP").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
    println!("cargo:rerun-if-env-changed=AYA_BUILD_SKIP");
    if skip {
        fs::write(&object, b"").context("write empty eBPF object")?;
        return Ok(());
    }
    let cargo_metadata::Metadata { packages, .. } = cargo_metadata::MetadataCommand::new()
        .no_deps()
        .exec()
        .context("cargo metadata")?;
    let ebpf = packages
        .into_iter()
        .find(|p| p.name.as_str() == "ptcpdump-ebpf")
        .ok_or_else(|| anyhow!("ptcpdump-ebpf package not found"))?;
    let root_dir = ebpf
        .manifest_path
        .parent()
        .ok_or_else(|| anyhow!("ptcpdump-ebpf manifest has no parent"))?
        .as_str()
        .to_owned();
    aya_build::build_ebpf(
        [aya_build::Package {
            name: ebpf.name.as_str(),
            root_dir: &root_dir,
            ..Default::default()
        }],
        aya_build::Toolchain::default(),
    )
}
