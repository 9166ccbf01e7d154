//! Helpers shared by the printers' unit tests (test builds only).

use super::{Ctx, State};
use crate::PrintOptions;
use crate::cursor::PResult;

/// Options with `-v` count `verbose` and `-e` when `link_header`; everything else default.
pub(crate) fn opts(verbose: u8, link_header: bool) -> PrintOptions {
    PrintOptions {
        verbose,
        link_header,
        ..Default::default()
    }
}

/// Runs `f` on a fresh [`Ctx`] (empty output, fresh [`State`]) with `opts`; returns the text it
/// printed and what it returned.
pub(crate) fn run_with<R>(opts: &PrintOptions, f: impl FnOnce(&mut Ctx<'_>) -> R) -> (String, R) {
    let mut st = State::default();
    run_in(&mut st, opts, f)
}

/// [`run_with`] on a caller's [`State`] (for printers that remember earlier packets).
pub(crate) fn run_in<R>(
    st: &mut State,
    opts: &PrintOptions,
    f: impl FnOnce(&mut Ctx<'_>) -> R,
) -> (String, R) {
    let mut out = String::new();
    let r = f(&mut Ctx::new(&mut out, opts, st));
    (out, r)
}

/// [`run_with`], then ` [|proto]` if `f` failed, as [`crate::Printer::print`] does.
pub(crate) fn run_marked<T>(
    opts: &PrintOptions,
    f: impl FnOnce(&mut Ctx<'_>) -> PResult<T>,
) -> String {
    run_with(opts, |ctx| {
        if f(ctx).is_err() {
            ctx.print_trunc();
        }
    })
    .0
}

/// Feeds every prefix of `pkt` (empty to whole) to `f` once per options in `variants`; the
/// test fails if `f` panics.
pub(crate) fn assert_every_truncation_is_safe<R>(
    pkt: &[u8],
    variants: &[PrintOptions],
    mut f: impl FnMut(&mut Ctx<'_>, &[u8]) -> R,
) {
    for n in 0..=pkt.len() {
        for o in variants {
            let _ = run_with(o, |ctx| f(ctx, &pkt[..n]));
        }
    }
}

/// `-v` counts `0..=max`, without `-e`: the usual `variants` of
/// [`assert_every_truncation_is_safe`].
pub(crate) fn verbosities(max: u8) -> Vec<PrintOptions> {
    (0..=max).map(|v| opts(v, false)).collect()
}

/// Prints packets through a [`crate::Printer`] (so with its ` [|proto]` handling and `-e`/`-x`
/// output) without timestamps: each `(captured bytes, on-the-wire length)` as a packet of link
/// type `linktype`. Returns all the text.
pub(crate) fn print_packets<'d>(
    opts: PrintOptions,
    linktype: u32,
    pkts: impl IntoIterator<Item = (&'d [u8], u32)>,
) -> String {
    let mut p = crate::Printer::new(PrintOptions {
        ts_format: crate::TsFormat::None,
        ..opts
    });
    let mut out = String::new();
    for (data, len) in pkts {
        p.print(
            &mut out,
            &crate::PacketInfo {
                linktype,
                caplen: data.len() as u32,
                len,
                data,
                ..Default::default()
            },
        );
    }
    out
}

/// [`print_packets`] of one whole packet.
pub(crate) fn print_packet(opts: PrintOptions, linktype: u32, data: &[u8]) -> String {
    print_packets(opts, linktype, [(data, data.len() as u32)])
}

/// Prints every prefix of `pkt` (empty to whole) as a whole packet of link type `linktype`
/// ([`print_packet`]) once per options in `variants`; the test fails if printing panics.
pub(crate) fn assert_every_truncated_packet_is_safe(
    linktype: u32,
    pkt: &[u8],
    variants: &[PrintOptions],
) {
    for n in 0..=pkt.len() {
        for o in variants {
            let _ = print_packet(o.clone(), linktype, &pkt[..n]);
        }
    }
}
