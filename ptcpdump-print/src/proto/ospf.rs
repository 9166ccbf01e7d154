//! OSPF version 2 (RFC 2328), IP protocol 89: Hello, Database Description, LS Request, LS
//! Update with its LSAs (NSSA RFC 3101, opaque RFC 5250 with traffic engineering RFC 3630 and
//! GMPLS RFC 4203, graceful restart RFC 3623, router information RFC 7770, multi-topology
//! RFC 4915), LS Ack, and link-local signalling (RFC 5613, RFC 4811/4812/4813); tcpdump's
//! print-ospf.c. The TE and grace LSA printers are shared with OSPFv3 (ospf6.rs).
//!
//! Without `-v` only the type and length are printed; `-vv` adds a hex dump of each LSA.
//! Truncation ends the packet with ` [|ospf2]`.

use super::util_print::{plural, printjnp};
use super::{Ctx, bittok2str, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

const TYPE_HELLO: u8 = 1;
const TYPE_DD: u8 = 2;
const TYPE_LS_REQ: u8 = 3;
const TYPE_LS_UPDATE: u8 = 4;
const TYPE_LS_ACK: u8 = 5;

const TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Hello"),
    (2, "Database Description"),
    (3, "LS-Request"),
    (4, "LS-Update"),
    (5, "LS-Ack"),
];

const OPTION_L: u8 = 0x10;

const OPTION_VALUES: &[(u32, &str)] = &[
    (0x01, "MultiTopology"),
    (0x02, "External"),
    (0x04, "Multicast"),
    (0x08, "NSSA"),
    (0x10, "LLS"),
    (0x20, "Demand Circuit"),
    (0x40, "Opaque"),
    (0x80, "Up/Down"),
];

const AUTH_NONE: u16 = 0;
const AUTH_SIMPLE: u16 = 1;
const AUTH_MD5: u16 = 2;
const AUTH_SIMPLE_LEN: usize = 8;
/// The MD5 digest that follows the packet (RFC 2328 appendix D.3).
const AUTH_MD5_LEN: u32 = 16;

const AUTHTYPE_VALUES: &[(u32, &str)] = &[(0, "none"), (1, "simple"), (2, "MD5")];

const RLA_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "ABR"),
    (0x02, "ASBR"),
    (0x04, "Virtual"),
    (0x08, "Wildcard"),
    (0x10, "Nt"),
    (0x80, "Host"),
];

const LS_TYPE_ROUTER: u8 = 1;
const LS_TYPE_NETWORK: u8 = 2;
const LS_TYPE_SUM_IP: u8 = 3;
const LS_TYPE_SUM_ABR: u8 = 4;
const LS_TYPE_ASE: u8 = 5;
const LS_TYPE_GROUP: u8 = 6;
const LS_TYPE_NSSA: u8 = 7;
const LS_TYPE_OPAQUE_LL: u8 = 9;
const LS_TYPE_OPAQUE_DW: u8 = 11;

const LSA_VALUES: &[(u32, &str)] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Summary"),
    (4, "ASBR Summary"),
    (5, "External"),
    (6, "Multicast Group"),
    (7, "NSSA"),
    (9, "Link Local Opaque"),
    (10, "Area Local Opaque"),
    (11, "Domain Wide Opaque"),
];

const DD_FLAG_VALUES: &[(u32, &str)] = &[
    (0x04, "Init"),
    (0x02, "More"),
    (0x01, "Master"),
    (0x08, "OOBResync"),
];

const OPAQUE_TYPE_TE: u8 = 1;
const OPAQUE_TYPE_GRACE: u8 = 3;
const OPAQUE_TYPE_RI: u8 = 4;

const LSA_OPAQUE_VALUES: &[(u32, &str)] = &[
    (1, "Traffic Engineering"),
    (3, "Graceful restart"),
    (4, "Router Information"),
];

const TE_TLV_ROUTER: u16 = 1;
const TE_TLV_LINK: u16 = 2;

const TE_TLV_VALUES: &[(u32, &str)] = &[(1, "Router Address"), (2, "Link")];

const TE_LINK_SUBTLV_VALUES: &[(u32, &str)] = &[
    (1, "Link Type"),
    (2, "Link ID"),
    (3, "Local Interface IP address"),
    (4, "Remote Interface IP address"),
    (5, "Traffic Engineering Metric"),
    (6, "Maximum Bandwidth"),
    (7, "Maximum Reservable Bandwidth"),
    (8, "Unreserved Bandwidth"),
    (9, "Administrative Group"),
    (11, "Link Local/Remote Identifier"),
    (14, "Link Protection Type"),
    (15, "Interface Switching Capability"),
    (16, "Shared Risk Link Group"),
    (17, "Bandwidth Constraints"),
];

const GRACE_TLV_VALUES: &[(u32, &str)] = &[
    (1, "Grace Period"),
    (2, "Graceful restart Reason"),
    (3, "IPv4 interface address"),
];

const GRACE_REASON_VALUES: &[(u32, &str)] = &[
    (0, "Unknown"),
    (1, "Software Restart"),
    (2, "Software Reload/Upgrade"),
    (3, "Control Processor Switch"),
];

const TE_LINK_TYPE_VALUES: &[(u32, &str)] = &[(1, "Point-to-point"), (2, "Multi-Access")];

const RI_TLV_CAP: u16 = 1;
const RI_TLV_VALUES: &[(u32, &str)] = &[(1, "Router Capabilities")];

const RI_CAP_VALUES: &[(u32, &str)] = &[
    (1, "Reserved"),
    (2, "Reserved"),
    (4, "Reserved"),
    (8, "Reserved"),
    (16, "graceful restart capable"),
    (32, "graceful restart helper"),
    (64, "Stub router support"),
    (128, "Traffic engineering"),
    (256, "p2p over LAN"),
    (512, "path computation server"),
];

const LLS_EO: u16 = 1;
const LLS_MD5: u16 = 2;
const LLS_TLV_VALUES: &[(u32, &str)] = &[(1, "Extended Options"), (2, "MD5 Authentication")];
const LLS_EO_OPTIONS: &[(u32, &str)] = &[(0x0000_0001, "LSDB resync"), (0x0000_0002, "Restart")];

/// Multi-topology identifiers (RFC 4915).
const TOPOLOGY_VALUES: &[(u32, &str)] = &[(0, "default"), (1, "multicast"), (2, "management")];

// GMPLS names (RFC 3471, RFC 4124), as tcpdump's gmpls.c has them.
const GMPLS_LINK_PROT_VALUES: &[(u32, &str)] = &[
    (0x01, "Extra Traffic"),
    (0x02, "Unprotected"),
    (0x04, "Shared"),
    (0x08, "Dedicated 1:1"),
    (0x10, "Dedicated 1+1"),
    (0x20, "Enhanced"),
    (0x40, "Reserved"),
    (0x80, "Reserved"),
];

const GMPLS_SWITCH_CAP_VALUES: &[(u32, &str)] = &[
    (1, "Packet-Switch Capable-1"),
    (2, "Packet-Switch Capable-2"),
    (3, "Packet-Switch Capable-3"),
    (4, "Packet-Switch Capable-4"),
    (51, "Layer-2 Switch Capable"),
    (100, "Time-Division-Multiplex"),
    (150, "Lambda-Switch Capable"),
    (200, "Fiber-Switch Capable"),
];

const GMPLS_ENCODING_VALUES: &[(u32, &str)] = &[
    (1, "Packet"),
    (2, "Ethernet V2/DIX"),
    (3, "ANSI/ETSI PDH"),
    (4, "Reserved"),
    (5, "SDH ITU-T G.707/SONET ANSI T1.105"),
    (6, "Reserved"),
    (7, "Digital Wrapper"),
    (8, "Lambda (photonic)"),
    (9, "Fiber"),
    (10, "Reserved"),
    (11, "FiberChannel"),
];

const DIFFSERV_TE_BC_VALUES: &[(u32, &str)] = &[
    (0, "Russian dolls"),
    (1, "Maximum allocation"),
    (254, "Maximum allocation with E-LSP support"),
];

/// LSA header size (RFC 2328 A.4.1); the same in OSPFv3.
const LSA_HDR_LEN: u32 = 20;

fn name(table: &[(u32, &'static str)], v: u32, default: &'static str) -> &'static str {
    tok(table, v).unwrap_or(default)
}

fn ipv4_str(p: &[u8], off: usize) -> PResult<String> {
    let a = p.sub(off, 4)?;
    let mut s = String::new();
    crate::addr::push_ipv4(&mut s, a);
    Ok(s)
}

/// `print_unknown_data` at `off`: `false` (after tcpdump's complaint) when `off` is past the
/// capture.
pub(crate) fn unknown_data(ctx: &mut Ctx, p: &[u8], off: usize, ident: &str, len: u32) -> bool {
    if off > p.len() {
        super::util_print::print_unknown_data_at(ctx, p, off, ident, len as usize);
        return false;
    }
    super::util_print::print_unknown_data(ctx, &p[off..], ident, len as usize);
    true
}

/// Bandwidth fields are IEEE floats in bytes per second; tcpdump prints Mbit/s from the
/// single-precision product.
fn mbps(bits: u32) -> f64 {
    (f32::from_bits(bits) * 8.0 / 1_000_000.0) as f64
}

/// TLVs are padded to 4 octets.
fn pad4(n: u32) -> u32 {
    n.div_ceil(4) * 4
}

/// The graceful restart LSA's TLVs (RFC 3623) at `off`, `ls_length` octets. `Ok(false)`:
/// stopped (bogus length or truncated).
pub(crate) fn grace_lsa_print(
    ctx: &mut Ctx,
    p: &[u8],
    off: usize,
    ls_length: u32,
) -> PResult<bool> {
    let mut o = off;
    let mut left = ls_length;
    while left > 0 {
        if !p.has(o, 4) {
            return Ok(false);
        }
        if left < 4 {
            pr!(ctx, "\n\t    Remaining LS length {} < 4", left);
            return Ok(false);
        }
        let ty = p.be_u16(o)?;
        let len = p.be_u16(o + 2)? as u32;
        o += 4;
        left -= 4;
        pr!(
            ctx,
            "\n\t    {} TLV ({}), length {}, value: ",
            name(GRACE_TLV_VALUES, ty as u32, "unknown"),
            ty,
            len
        );
        if len > left {
            pr!(ctx, "\n\t    Bogus length {} > {}", len, left);
            return Ok(false);
        }
        // A zero type or length would loop for ever.
        if ty == 0 || len == 0 {
            return Ok(false);
        }
        if !p.has(o, len as usize) {
            return Ok(false);
        }
        match ty {
            1 | 3 => {
                if len != 4 {
                    pr!(ctx, "\n\t    Bogus length {} != 4", len);
                    return Ok(false);
                }
                if ty == 1 {
                    pr!(ctx, "{}s", p.be_u32(o)?);
                } else {
                    let a = ipv4_str(p, o)?;
                    ctx.push(&a);
                }
            }
            2 => {
                if len != 1 {
                    pr!(ctx, "\n\t    Bogus length {} != 1", len);
                    return Ok(false);
                }
                let r = p.u8_at(o)?;
                pr!(
                    ctx,
                    "{} ({})",
                    name(GRACE_REASON_VALUES, r as u32, "Unknown"),
                    r
                );
            }
            _ => {
                if ctx.vflag() <= 1 && !unknown_data(ctx, p, o, "\n\t      ", len) {
                    return Ok(false);
                }
            }
        }
        let padded = pad4(len);
        left = left.wrapping_sub(padded);
        o += padded as usize;
    }
    Ok(true)
}

/// Why a TE LSA stopped early.
enum TeStop {
    /// Bogus lengths or truncation: just stop.
    Quiet,
    /// A sub-TLV of the wrong size: ` (invalid)`.
    Invalid,
}

/// The traffic engineering LSA's TLVs (RFC 3630, GMPLS RFC 4203, DiffServ-TE RFC 4124) at
/// `off`, `ls_length` octets. `Ok(false)`: stopped.
pub(crate) fn te_lsa_print(ctx: &mut Ctx, p: &[u8], off: usize, ls_length: u32) -> PResult<bool> {
    match te_tlvs(ctx, p, off, ls_length)? {
        Ok(()) => Ok(true),
        Err(TeStop::Quiet) => Ok(false),
        Err(TeStop::Invalid) => {
            ctx.print_invalid();
            Ok(false)
        }
    }
}

fn te_tlvs(ctx: &mut Ctx, p: &[u8], off: usize, ls_length: u32) -> PResult<Result<(), TeStop>> {
    let mut o = off;
    let mut left = ls_length;
    while left != 0 {
        if !p.has(o, 4) {
            return Ok(Err(TeStop::Quiet));
        }
        if left < 4 {
            pr!(ctx, "\n\t    Remaining LS length {} < 4", left);
            return Ok(Err(TeStop::Quiet));
        }
        let ty = p.be_u16(o)?;
        let mut tlv_len = p.be_u16(o + 2)? as u32;
        o += 4;
        left -= 4;
        pr!(
            ctx,
            "\n\t    {} TLV ({}), length: {}",
            name(TE_TLV_VALUES, ty as u32, "unknown"),
            ty,
            tlv_len
        );
        if tlv_len > left {
            pr!(ctx, "\n\t    Bogus length {} > {}", tlv_len, left);
            return Ok(Err(TeStop::Quiet));
        }
        if ty == 0 || tlv_len == 0 {
            return Ok(Err(TeStop::Quiet));
        }
        match ty {
            TE_TLV_LINK => {
                // The sub-TLVs advance `o` themselves; what is left of the TLV stays in
                // `tlv_len` (0 when all were read), as tcpdump pads and skips only that.
                while tlv_len != 0 {
                    if tlv_len < 4 {
                        pr!(ctx, "\n\t    Remaining TLV length {} < 4", tlv_len);
                        return Ok(Err(TeStop::Quiet));
                    }
                    let st = p.be_u16(o)?;
                    let mut sl = p.be_u16(o + 2)? as u32;
                    o += 4;
                    tlv_len -= 4;
                    if st == 0 || sl == 0 {
                        return Ok(Err(TeStop::Invalid));
                    }
                    pr!(
                        ctx,
                        "\n\t      {} subTLV ({}), length: {}",
                        name(TE_LINK_SUBTLV_VALUES, st as u32, "unknown"),
                        st,
                        sl
                    );
                    if tlv_len < sl {
                        pr!(
                            ctx,
                            "\n\t    Remaining TLV length {} < {}",
                            tlv_len + 4,
                            sl + 4
                        );
                        return Ok(Err(TeStop::Quiet));
                    }
                    if !p.has(o, sl as usize) {
                        return Ok(Err(TeStop::Quiet));
                    }
                    // Octets of the sub-TLV the printer stepped over itself (SRLGs).
                    let mut consumed = 0usize;
                    match te_link_subtlv(ctx, p, o, st, sl, &mut consumed)? {
                        Ok(true) => {}
                        Ok(false) => return Ok(Err(TeStop::Quiet)),
                        Err(()) => return Ok(Err(TeStop::Invalid)),
                    }
                    o += consumed;
                    sl = pad4(sl);
                    if tlv_len < sl {
                        pr!(
                            ctx,
                            "\n\t    Remaining TLV length {} < {}",
                            tlv_len + 4,
                            sl + 4
                        );
                        return Ok(Err(TeStop::Quiet));
                    }
                    tlv_len -= sl;
                    o += sl as usize;
                }
            }
            TE_TLV_ROUTER => {
                if tlv_len < 4 {
                    pr!(ctx, "\n\t    TLV length {} < 4", tlv_len);
                    return Ok(Err(TeStop::Quiet));
                }
                let a = ipv4_str(p, o)?;
                pr!(ctx, ", {}", a);
            }
            _ => {
                if ctx.vflag() <= 1 && !unknown_data(ctx, p, o, "\n\t      ", tlv_len) {
                    return Ok(Err(TeStop::Quiet));
                }
            }
        }
        let padded = pad4(tlv_len);
        if padded > left {
            pr!(ctx, "\n\t    Bogus padded length {} > {}", padded, left);
            return Ok(Err(TeStop::Quiet));
        }
        left -= padded;
        o += padded as usize;
    }
    Ok(Ok(()))
}

/// One sub-TLV of a TE Link TLV, value at `o`, `sl` octets (captured). `Ok(Err(()))`: a
/// wrong size (the size complaint was printed); `Ok(Ok(false))`: stop.
fn te_link_subtlv(
    ctx: &mut Ctx,
    p: &[u8],
    o: usize,
    st: u16,
    sl: u32,
    consumed: &mut usize,
) -> PResult<Result<bool, ()>> {
    let bad = |ctx: &mut Ctx, what: &str| {
        ctx.push(what);
        Ok(Err(()))
    };
    match st {
        // Administrative group.
        9 => {
            if sl != 4 {
                return bad(ctx, " != 4");
            }
            pr!(ctx, ", 0x{:08x}", p.be_u32(o)?);
        }
        // Link ID; link local/remote identifiers (RFC 4203: two of them).
        2 | 11 => {
            if sl != 4 && sl != 8 {
                return bad(ctx, " != 4 && != 8");
            }
            let a = ipv4_str(p, o)?;
            pr!(ctx, ", {} (0x{:08x})", a, p.be_u32(o)?);
            if sl == 8 {
                let b = ipv4_str(p, o + 4)?;
                pr!(ctx, ", {} (0x{:08x})", b, p.be_u32(o + 4)?);
            }
        }
        // Local / remote interface address.
        3 | 4 => {
            if sl != 4 {
                return bad(ctx, " != 4");
            }
            let a = ipv4_str(p, o)?;
            pr!(ctx, ", {}", a);
        }
        // Maximum (reservable) bandwidth.
        6 | 7 => {
            if sl != 4 {
                return bad(ctx, " != 4");
            }
            pr!(ctx, ", {:.3} Mbps", mbps(p.be_u32(o)?));
        }
        // Unreserved bandwidth per TE class.
        8 => {
            if sl != 32 {
                return bad(ctx, " != 32");
            }
            for class in 0..8 {
                let bw = mbps(p.be_u32(o + class * 4)?);
                pr!(ctx, "\n\t\tTE-Class {}: {:.3} Mbps", class, bw);
            }
        }
        // Bandwidth constraints (RFC 4124): model, then up to 8 constraints.
        17 => {
            if sl < 4 {
                return bad(ctx, " < 4");
            }
            let model = p.u8_at(o)?;
            pr!(
                ctx,
                "\n\t\tBandwidth Constraints Model ID: {} ({})",
                name(DIFFSERV_TE_BC_VALUES, model as u32, "unknown"),
                model
            );
            if !sl.is_multiple_of(4) {
                pr!(ctx, "\n\t\tlength {} != N x 4", sl);
                return Ok(Err(()));
            }
            if sl > 36 {
                pr!(ctx, "\n\t\tlength {} > 36", sl);
                return Ok(Err(()));
            }
            for ct in 0..(sl as usize - 4) / 4 {
                let bw = mbps(p.be_u32(o + 4 + ct * 4)?);
                pr!(ctx, "\n\t\t  Bandwidth constraint CT{}: {:.3} Mbps", ct, bw);
            }
        }
        // TE metric.
        5 => {
            if sl != 4 {
                return bad(ctx, " != 4");
            }
            pr!(ctx, ", Metric {}", p.be_u32(o)?);
        }
        // Link protection type.
        14 => {
            if sl != 4 {
                return bad(ctx, " != 4");
            }
            let v = p.u8_at(o)?;
            ctx.push(", ");
            bittok2str(ctx.out, GMPLS_LINK_PROT_VALUES, "none", v as u32, ", ");
        }
        // Interface switching capability descriptor.
        15 => {
            if sl < 36 {
                return bad(ctx, " < 36");
            }
            let cap = p.u8_at(o)?;
            pr!(
                ctx,
                "\n\t\tInterface Switching Capability: {}",
                name(GMPLS_SWITCH_CAP_VALUES, cap as u32, "Unknown")
            );
            let enc = p.u8_at(o + 1)?;
            pr!(
                ctx,
                "\n\t\tLSP Encoding: {}\n\t\tMax LSP Bandwidth:",
                name(GMPLS_ENCODING_VALUES, enc as u32, "Unknown")
            );
            for level in 0..8 {
                let bw = mbps(p.be_u32(o + 4 + level * 4)?);
                pr!(ctx, "\n\t\t  priority level {}: {:.3} Mbps", level, bw);
            }
        }
        // Link type.
        1 => {
            if sl != 1 {
                return bad(ctx, " != 1");
            }
            let t = p.u8_at(o)?;
            pr!(
                ctx,
                ", {} ({})",
                name(TE_LINK_TYPE_VALUES, t as u32, "unknown"),
                t
            );
        }
        // Shared risk link groups. tcpdump steps over them as it prints them, and then over
        // the sub-TLV's length once more.
        16 => {
            if !sl.is_multiple_of(4) {
                return bad(ctx, " != N x 4");
            }
            let n = sl / 4;
            if n != 0 {
                ctx.push("\n\t\t  Shared risk group: ");
            }
            for i in 0..n as usize {
                pr!(ctx, "{}", p.be_u32(o + i * 4)?);
                *consumed += 4;
                if i + 1 < n as usize {
                    ctx.push(", ");
                }
            }
        }
        _ => {
            if ctx.vflag() <= 1 && !unknown_data(ctx, p, o, "\n\t\t", sl) {
                return Ok(Ok(false));
            }
        }
    }
    Ok(Ok(true))
}

/// An LSA header at `off` (RFC 2328 A.4.1). `Ok(None)`: its length is below the header's.
fn lshdr_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<Option<u32>> {
    let ls_length = p.be_u16(off + 18)? as u32;
    if ls_length < LSA_HDR_LEN {
        pr!(
            ctx,
            "\n\t    Bogus length {} < header ({})",
            ls_length,
            LSA_HDR_LEN
        );
        return Ok(None);
    }
    let router = ipv4_str(p, off + 8)?;
    pr!(
        ctx,
        "\n\t  Advertising Router {}, seq 0x{:08x}, age {}s, length {}",
        router,
        p.be_u32(off + 12)?,
        p.be_u16(off)?,
        ls_length - LSA_HDR_LEN
    );
    let ls_type = p.u8_at(off + 3)?;
    match ls_type {
        // Opaque LSAs split the LSA ID into a type and an ID.
        9..=11 => {
            let ot = p.u8_at(off + 4)?;
            let oid = p.be_u24(off + 5)?;
            pr!(
                ctx,
                "\n\t    {} LSA ({}), Opaque-Type {} LSA ({}), Opaque-ID {}",
                name(LSA_VALUES, ls_type as u32, "unknown"),
                ls_type,
                name(LSA_OPAQUE_VALUES, ot as u32, "unknown"),
                ot,
                oid
            );
        }
        _ => {
            let id = ipv4_str(p, off + 4)?;
            pr!(
                ctx,
                "\n\t    {} LSA ({}), LSA-ID: {}",
                name(LSA_VALUES, ls_type as u32, "unknown"),
                ls_type,
                id
            );
        }
    }
    let opts = p.u8_at(off + 2)?;
    ctx.push("\n\t    Options: [");
    bittok2str(ctx.out, OPTION_VALUES, "none", opts as u32, ", ");
    ctx.push("]");
    Ok(Some(ls_length))
}

/// The metrics of a router link at `off`: its own (topology 0), then one per TOS/topology.
fn tos_metrics_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult {
    let count = p.u8_at(off + 1)? as usize + 1;
    for i in 0..count {
        let o = off + i * 4;
        let topology = if i == 0 { 0 } else { p.u8_at(o)? as u32 };
        pr!(
            ctx,
            "\n\t\ttopology {} ({}), metric {}",
            name(TOPOLOGY_VALUES, topology, "Unknown"),
            topology,
            p.be_u16(o + 2)?
        );
    }
    Ok(())
}

/// `(TOS, metric)` words of summary LSAs from `o` to the LSA's end.
fn summary_metrics_print(ctx: &mut Ctx, p: &[u8], mut o: usize, end: usize) -> PResult {
    while o < end {
        let w = p.be_u32(o)?;
        let topology = (w & 0x7f00_0000) >> 24;
        pr!(
            ctx,
            "\n\t\ttopology {} ({}) metric {}",
            name(TOPOLOGY_VALUES, topology, "Unknown"),
            topology,
            w & 0x00ff_ffff
        );
        o += 4;
    }
    Ok(())
}

/// One LSA at `off`; returns where the next one starts (by the LSA's length field).
fn lsa_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult<usize> {
    let Some(ls_length) = lshdr_print(ctx, p, off)? else {
        return Err(crate::cursor::Truncated);
    };
    let end = off + ls_length as usize;
    let body = off + LSA_HDR_LEN as usize;
    let len = ls_length - LSA_HDR_LEN;
    let ls_type = p.u8_at(off + 3)?;
    match ls_type {
        LS_TYPE_ROUTER => {
            let flags = p.u8_at(body)?;
            ctx.push("\n\t    Router LSA Options: [");
            bittok2str(ctx.out, RLA_FLAG_VALUES, "none", flags as u32, ", ");
            ctx.push("]");
            let count = p.be_u16(body + 2)?;
            let mut l = body + 4;
            p.sub(l, 12)?;
            for _ in 0..count {
                p.sub(l, 12)?;
                let id = ipv4_str(p, l)?;
                let data = ipv4_str(p, l + 4)?;
                match p.u8_at(l + 8)? {
                    4 => pr!(
                        ctx,
                        "\n\t      Virtual Link: Neighbor Router-ID: {}, Interface Address: {}",
                        id,
                        data
                    ),
                    1 => pr!(
                        ctx,
                        "\n\t      Neighbor Router-ID: {}, Interface Address: {}",
                        id,
                        data
                    ),
                    2 => pr!(
                        ctx,
                        "\n\t      Neighbor Network-ID: {}, Interface Address: {}",
                        id,
                        data
                    ),
                    3 => pr!(ctx, "\n\t      Stub Network: {}, Mask: {}", id, data),
                    t => {
                        pr!(ctx, "\n\t      Unknown Router Link Type ({})", t);
                        return Ok(end);
                    }
                }
                tos_metrics_print(ctx, p, l + 8)?;
                l += 12 + p.u8_at(l + 9)? as usize * 4;
            }
        }
        LS_TYPE_NETWORK => {
            let mask = ipv4_str(p, body)?;
            pr!(ctx, "\n\t    Mask {}\n\t    Connected Routers:", mask);
            let mut o = body + 4;
            while o < end {
                let a = ipv4_str(p, o)?;
                pr!(ctx, "\n\t      {}", a);
                o += 4;
            }
        }
        LS_TYPE_SUM_IP => {
            let mask = ipv4_str(p, body)?;
            pr!(ctx, "\n\t    Mask {}", mask);
            p.sub(body + 4, 4)?;
            summary_metrics_print(ctx, p, body + 4, end)?;
        }
        LS_TYPE_SUM_ABR => {
            p.sub(body + 4, 4)?;
            summary_metrics_print(ctx, p, body + 4, end)?;
        }
        LS_TYPE_ASE | LS_TYPE_NSSA => {
            let mask = ipv4_str(p, body)?;
            pr!(ctx, "\n\t    Mask {}", mask);
            p.sub(body + 4, 4)?;
            let mut o = body + 4;
            while o < end {
                let w = p.be_u32(o)?;
                let topology = (w & 0x7f00_0000) >> 24;
                pr!(
                    ctx,
                    "\n\t\ttopology {} ({}), type {}, metric",
                    name(TOPOLOGY_VALUES, topology, "Unknown"),
                    topology,
                    if w & 0x8000_0000 != 0 { 2 } else { 1 }
                );
                if w & 0x00ff_ffff == 0xff_ffff {
                    ctx.push(" infinite");
                } else {
                    pr!(ctx, " {}", w & 0x00ff_ffff);
                }
                if p.be_u32(o + 4)? != 0 {
                    let a = ipv4_str(p, o + 4)?;
                    pr!(ctx, ", forward {}", a);
                }
                if p.be_u32(o + 8)? != 0 {
                    let a = ipv4_str(p, o + 8)?;
                    pr!(ctx, ", tag {}", a);
                }
                o += 12;
            }
        }
        // Multicast extensions (RFC 1584).
        LS_TYPE_GROUP => {
            let mut o = body;
            while o < end {
                match p.be_u32(o)? {
                    1 => {
                        let a = ipv4_str(p, o + 4)?;
                        pr!(ctx, "\n\t    Router Router-ID {}", a);
                    }
                    2 => {
                        let a = ipv4_str(p, o + 4)?;
                        pr!(ctx, "\n\t    Network Designated Router {}", a);
                    }
                    t => pr!(ctx, "\n\t    unknown VertexType ({})", t),
                }
                o += 8;
            }
        }
        LS_TYPE_OPAQUE_LL..=LS_TYPE_OPAQUE_DW => match p.u8_at(off + 4)? {
            OPAQUE_TYPE_RI => {
                let mut o = body;
                let mut left = len;
                while left != 0 {
                    p.sub(o, 4)?;
                    if left < 4 {
                        pr!(ctx, "\n\t    Remaining LS length {} < 4", left);
                        return Ok(end);
                    }
                    let ty = p.be_u16(o)?;
                    let tl = p.be_u16(o + 2)? as u32;
                    o += 4;
                    left -= 4;
                    pr!(
                        ctx,
                        "\n\t    {} TLV ({}), length: {}, value: ",
                        name(RI_TLV_VALUES, ty as u32, "unknown"),
                        ty,
                        tl
                    );
                    if tl > left {
                        pr!(
                            ctx,
                            "\n\t    Bogus length {} > remaining LS length {}",
                            tl,
                            left
                        );
                        return Ok(end);
                    }
                    p.sub(o, tl as usize)?;
                    if ty == RI_TLV_CAP {
                        if tl != 4 {
                            pr!(ctx, "\n\t    Bogus length {} != 4", tl);
                            return Ok(end);
                        }
                        ctx.push("Capabilities: ");
                        bittok2str(ctx.out, RI_CAP_VALUES, "Unknown", p.be_u32(o)?, ", ");
                    } else if ctx.vflag() <= 1 && !unknown_data(ctx, p, o, "\n\t      ", tl) {
                        return Ok(end);
                    }
                    o += tl as usize;
                    left -= tl;
                }
            }
            OPAQUE_TYPE_GRACE => {
                if !grace_lsa_print(ctx, p, body, len)? {
                    return Ok(end);
                }
            }
            OPAQUE_TYPE_TE => {
                if !te_lsa_print(ctx, p, body, len)? {
                    return Ok(end);
                }
            }
            _ => {
                if ctx.vflag() <= 1 && !unknown_data(ctx, p, body, "\n\t    ", len) {
                    return Ok(end);
                }
            }
        },
        _ => {}
    }
    if ctx.vflag() > 1 && !unknown_data(ctx, p, body, "\n\t    ", len) {
        return Ok(end);
    }
    Ok(end)
}

/// Link-local signalling data after the packet (RFC 5613) of Hello and DD packets with the
/// L option.
fn lls_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let options = match p.u8_at(1)? {
        TYPE_HELLO => p.u8_at(30)?,
        TYPE_DD => p.u8_at(26)?,
        _ => return Ok(()),
    };
    if options & OPTION_L == 0 {
        return Ok(());
    }
    let mut len2 = p.be_u16(2)? as u32;
    let mut d = len2 as usize;
    let end = length as usize;
    // An MD5 digest sits between the packet and the LLS block.
    if p.be_u16(14)? == AUTH_MD5 {
        let alen = p.u8_at(16 + 3)?;
        d += alen as usize;
        len2 += alen as u32;
    }
    if len2 >= length {
        ctx.push("\n\t[LLS truncated]");
        return Ok(());
    }
    pr!(ctx, "\n\t  LLS: checksum: 0x{:04x}", p.be_u16(d)?);
    d += 2;
    pr!(ctx, ", length: {}", p.be_u16(d)?);
    d += 2;
    while d < end {
        let ty = p.be_u16(d)?;
        pr!(
            ctx,
            "\n\t    {} ({})",
            name(LLS_TLV_VALUES, ty as u32, "Unknown TLV"),
            ty
        );
        d += 2;
        let mut len = p.be_u16(d)?;
        pr!(ctx, ", length: {}", len);
        d += 2;
        match ty {
            LLS_EO => {
                if len != 4 {
                    ctx.push(" [should be 4]");
                    len = 4;
                }
                let flags = p.be_u32(d)?;
                pr!(ctx, "\n\t      Options: 0x{:08x} [", flags);
                bittok2str(ctx.out, LLS_EO_OPTIONS, "?", flags, ", ");
                ctx.push("]");
            }
            LLS_MD5 => {
                if len != 20 {
                    ctx.push(" [should be 20]");
                    len = 20;
                }
                pr!(ctx, "\n\t      Sequence number: 0x{:08x}", p.be_u32(d)?);
            }
            _ => {}
        }
        d += len as usize;
    }
    Ok(())
}

/// The body of an OSPFv2 packet; `dataend` bounds the lists of the packet's own length.
fn decode_v2(ctx: &mut Ctx, p: &[u8], dataend: usize) -> PResult {
    match p.u8_at(1)? {
        TYPE_HELLO => {
            let opts = p.u8_at(30)?;
            ctx.push("\n\tOptions [");
            bittok2str(ctx.out, OPTION_VALUES, "none", opts as u32, ", ");
            ctx.push("]");
            let (hello, dead) = (p.be_u16(28)?, p.be_u32(32)?);
            let mask = ipv4_str(p, 24)?;
            let prio = p.u8_at(31)?;
            pr!(
                ctx,
                "\n\t  Hello Timer {}s, Dead Timer {}s, Mask {}, Priority {}",
                hello,
                dead,
                mask,
                prio
            );
            if p.be_u32(36)? != 0 {
                let a = ipv4_str(p, 36)?;
                pr!(ctx, "\n\t  Designated Router {}", a);
            }
            if p.be_u32(40)? != 0 {
                let a = ipv4_str(p, 40)?;
                pr!(ctx, ", Backup Designated Router {}", a);
            }
            let mut o = 44;
            if o < dataend {
                ctx.push("\n\t  Neighbor List:");
            }
            while o < dataend {
                let a = ipv4_str(p, o)?;
                pr!(ctx, "\n\t    {}", a);
                o += 4;
            }
        }
        TYPE_DD => {
            let opts = p.u8_at(26)?;
            ctx.push("\n\tOptions [");
            bittok2str(ctx.out, OPTION_VALUES, "none", opts as u32, ", ");
            ctx.push("]");
            let flags = p.u8_at(27)?;
            ctx.push(", DD Flags [");
            bittok2str(ctx.out, DD_FLAG_VALUES, "none", flags as u32, ", ");
            ctx.push("]");
            let mtu = p.be_u16(24)?;
            if mtu != 0 {
                pr!(ctx, ", MTU: {}", mtu);
            }
            pr!(ctx, ", Sequence: 0x{:08x}", p.be_u32(28)?);
            let mut o = 32;
            while o < dataend && lshdr_print(ctx, p, o)?.is_some() {
                o += LSA_HDR_LEN as usize;
            }
        }
        TYPE_LS_REQ => {
            let mut o = 24;
            while o < dataend {
                p.sub(o, 12)?;
                let ty = p.be_u32(o)?;
                let router = ipv4_str(p, o + 8)?;
                pr!(
                    ctx,
                    "\n\t  Advertising Router: {}, {} LSA ({})",
                    router,
                    name(LSA_VALUES, ty, "unknown"),
                    ty
                );
                match ty {
                    9..=11 => {
                        let ot = p.u8_at(o + 4)?;
                        let oid = p.be_u24(o + 5)?;
                        pr!(
                            ctx,
                            ", Opaque-Type: {} LSA ({}), Opaque-ID: {}",
                            name(LSA_OPAQUE_VALUES, ot as u32, "unknown"),
                            ot,
                            oid
                        );
                    }
                    _ => {
                        let id = ipv4_str(p, o + 4)?;
                        pr!(ctx, ", LSA-ID: {}", id);
                    }
                }
                o += 12;
            }
        }
        TYPE_LS_UPDATE => {
            let count = p.be_u32(24)?;
            pr!(ctx, ", {} LSA{}", count, plural(count));
            let mut o = 28;
            for i in 1..=count {
                pr!(ctx, "\n\t  LSA #{}", i);
                o = lsa_print(ctx, p, o)?;
            }
        }
        TYPE_LS_ACK => {
            // No bound but the capture: headers are printed until one cannot be read.
            let mut o = 24;
            while lshdr_print(ctx, p, o)?.is_some() {
                o += LSA_HDR_LEN as usize;
            }
        }
        _ => {}
    }
    Ok(())
}

/// An OSPF packet over IPv4; `p`: captured bytes from the OSPF header, `length` its length.
pub fn ospf_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "ospf2";
    let mut p = p;
    let mut length = length;
    // The MD5 digest trails the packet: leave it out of everything that follows.
    if p.be_u16(14)? == AUTH_MD5 {
        length = length.wrapping_sub(AUTH_MD5_LEN);
        p = &p[..p.len().saturating_sub(AUTH_MD5_LEN as usize)];
    }
    let ty = p.u8_at(1)?;
    let version = p.u8_at(0)?;
    pr!(ctx, "OSPFv{}, ", version);
    tok2str(ctx.out, TYPE_VALUES, "unknown LS-type {}", ty as u32);
    pr!(ctx, ", length {}", length);
    if tok(TYPE_VALUES, ty as u32).is_none() || ctx.vflag() == 0 {
        return Ok(());
    }
    let ospf_len = p.be_u16(2)? as u32;
    if length != ospf_len {
        pr!(ctx, " [len {}]", ospf_len);
    }
    let dataend = length.min(ospf_len) as usize;
    let router = ipv4_str(p, 4)?;
    pr!(ctx, "\n\tRouter-ID {}", router);
    if p.be_u32(8)? != 0 {
        let a = ipv4_str(p, 8)?;
        pr!(ctx, ", Area {}", a);
    } else {
        ctx.push(", Backbone Area");
    }
    p.sub(16, 8)?;
    let auth = p.be_u16(14)?;
    pr!(
        ctx,
        ", Authentication Type: {} ({})",
        name(AUTHTYPE_VALUES, auth as u32, "unknown"),
        auth
    );
    match auth {
        AUTH_NONE => {}
        AUTH_SIMPLE => {
            ctx.push("\n\tSimple text password: ");
            printjnp(ctx, &p[16..], AUTH_SIMPLE_LEN)?;
        }
        AUTH_MD5 => {
            pr!(
                ctx,
                "\n\tKey-ID: {}, Auth-Length: {}, Crypto Sequence Number: 0x{:08x}",
                p.u8_at(18)?,
                p.u8_at(19)?,
                p.be_u32(20)?
            );
        }
        _ => return Ok(()),
    }
    if version == 2 {
        decode_v2(ctx, p, dataend)?;
        if length > ospf_len {
            lls_print(ctx, p, length)?;
        }
    } else {
        pr!(ctx, " ospf [version {}]", version);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| ospf_print(ctx, p, p.len() as u32))
    }

    // Hello (E and L options, DR, BDR, two neighbors) with an LLS block: extended options and
    // an MD5 sequence number.
    const HELLO: &str = "020100340101010100000001000000000000000000000000ffffff00000a12010000002\
                         80a0000010a0000020303030304040404000000030001000400000003000200140000\
                         000700000000000000000000000000000000";
    // LS Update: a router LSA (point-to-point link with a second topology metric, stub, virtual
    // link) and a grace LSA (period, reason, address, an unknown TLV).
    const LSU: &str = "0204009001010101000000010000000000000000000000000000000200052201020202\
                       0202020202800000010000004003000003030303030a0000010101000a010000140a00\
                       0000ffffff0003000001050505050a010101040000070005220903000000020202028000\
                       00010000003400010004000000780002000101000000000300040a0000010007000278790000";

    // Expected texts are tcpdump 4.99.3's for the same packets.
    #[test]
    fn hello_with_lls() {
        let p = hex(HELLO);
        assert_eq!(run(0, &p), "OSPFv2, Hello, length 88");
        assert_eq!(
            run(1, &p),
            "OSPFv2, Hello, length 88 [len 52]\
             \n\tRouter-ID 1.1.1.1, Area 0.0.0.1, Authentication Type: none (0)\
             \n\tOptions [External, LLS]\
             \n\t  Hello Timer 10s, Dead Timer 40s, Mask 255.255.255.0, Priority 1\
             \n\t  Designated Router 10.0.0.1, Backup Designated Router 10.0.0.2\
             \n\t  Neighbor List:\
             \n\t    3.3.3.3\
             \n\t    4.4.4.4\
             \n\t  LLS: checksum: 0x0000, length: 3\
             \n\t    Extended Options (1), length: 4\
             \n\t      Options: 0x00000003 [LSDB resync, Restart]\
             \n\t    MD5 Authentication (2), length: 20\
             \n\t      Sequence number: 0x00000007"
        );
    }

    #[test]
    fn ls_update_router_and_grace_lsas() {
        let p = hex(LSU);
        let v = run(1, &p);
        assert_eq!(
            v,
            "OSPFv2, LS-Update, length 144\
             \n\tRouter-ID 1.1.1.1, Area 0.0.0.1, Authentication Type: none (0), 2 LSAs\
             \n\t  LSA #1\
             \n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 5s, length 44\
             \n\t    Router LSA (1), LSA-ID: 2.2.2.2\
             \n\t    Options: [External, Demand Circuit]\
             \n\t    Router LSA Options: [ABR, ASBR]\
             \n\t      Neighbor Router-ID: 3.3.3.3, Interface Address: 10.0.0.1\
             \n\t\ttopology default (0), metric 10\
             \n\t\ttopology multicast (1), metric 20\
             \n\t      Stub Network: 10.0.0.0, Mask: 255.255.255.0\
             \n\t\ttopology default (0), metric 1\
             \n\t      Virtual Link: Neighbor Router-ID: 5.5.5.5, Interface Address: 10.1.1.1\
             \n\t\ttopology default (0), metric 7\
             \n\t  LSA #2\
             \n\t  Advertising Router 2.2.2.2, seq 0x80000001, age 5s, length 32\
             \n\t    Link Local Opaque LSA (9), Opaque-Type Graceful restart LSA (3), Opaque-ID 0\
             \n\t    Options: [External, Demand Circuit]\
             \n\t    Grace Period TLV (1), length 4, value: 120s\
             \n\t    Graceful restart Reason TLV (2), length 1, value: Software Restart (1)\
             \n\t    IPv4 interface address TLV (3), length 4, value: 10.0.0.1\
             \n\t    unknown TLV (7), length 2, value: \
             \n\t      0x0000:  7879"
        );
        // -vv: no dump of unknown TLVs, but one of every LSA.
        assert!(run(2, &p).ends_with(
            "unknown TLV (7), length 2, value: \
             \n\t    0x0000:  0001 0004 0000 0078 0002 0001 0100 0000\
             \n\t    0x0010:  0003 0004 0a00 0001 0007 0002 7879 0000"
        ));
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [HELLO, LSU] {
            assert_every_truncation_is_safe(&hex(pkt), &verbosities(3), |ctx, p| {
                ospf_print(ctx, p, 144)
            });
        }
        // Cut in the header or the router LSA: the packet ends with tcpdump's marker.
        let p = hex(LSU);
        for n in 24..72 {
            assert!(run(1, &p[..n]).ends_with(" [|ospf2]"), "{n}");
        }
        // A cut grace TLV only ends that LSA's decoding, quietly (as in tcpdump).
        assert!(run(1, &p[..112]).ends_with("\n\t    Options: [External, Demand Circuit]"));
    }
}
