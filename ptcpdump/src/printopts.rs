//! Flags to `ptcpdump_print::PrintOptions`.
use anyhow::Result;
use ptcpdump_print::proto::esp::Secrets;
use ptcpdump_print::{PrintOptions, TsFormat};

use crate::flags::Flags;

pub fn from_flags(flags: &Flags, nano: bool) -> Result<PrintOptions> {
    let ts_format = match flags.timestamp {
        0 => TsFormat::Default,
        1 => TsFormat::None,
        2 => TsFormat::Epoch,
        3 => TsFormat::DeltaPrev,
        4 => TsFormat::Date,
        _ => TsFormat::DeltaFirst,
    };
    Ok(PrintOptions {
        verbose: flags.verbose,
        quiet: flags.quiet,
        link_header: flags.link_header,
        absolute_seq: flags.absolute_seq,
        hex: flags.hex,
        hex_ascii: flags.hex_ascii,
        ascii: flags.ascii,
        numeric: flags.numeric,
        ts_format,
        nano,
        number: flags.number,
        snaplen: flags.snaplen(),
        utc: flags.utc_time,
        no_checksum: flags.no_checksum,
        oneline: flags.oneline,
        packet_type: flags.packet_type()?,
        esp_secrets: esp_secrets(flags)?,
        tcp_md5_secret: flags.tcp_md5_secret.clone(),
        asdot: flags.asdot,
        mesh_headers: flags.mesh_headers,
    })
}

/// `-E`: the secrets, with tcpdump's warnings for the ones that cannot be used.
fn esp_secrets(flags: &Flags) -> Result<Secrets> {
    let Some(spec) = &flags.esp_secret else {
        return Ok(Secrets::default());
    };
    let (secrets, warnings) = Secrets::parse(spec, &mut |path| std::fs::read_to_string(path))?;
    for w in warnings {
        eprintln!("ptcpdump: WARNING: {w}");
    }
    Ok(secrets)
}
