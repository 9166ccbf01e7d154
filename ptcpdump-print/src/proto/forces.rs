//! Forwarding and Control Element Separation, ForCES (RFC 5810; LFB classes RFC 5812, TLV
//! and operation registries at IANA "forces"); tcpdump's print-forces.c. Carried in SCTP on
//! ports 6704-6706 or with PPIDs 21-23.
//!
//! ```text
//! header: version(4b) rsvd(4b) message type(1) length in words(2) source ID(4)
//!         destination ID(4) correlator(8) flags(4)
//! TLV:    type(2) length(2, includes the header) value, padded to 4 bytes
//! ILV:    type(4) length(4, includes the header) value, padded to 4 bytes
//! ```
//!
//! The message's top-level TLVs hold LFB selectors, which hold operation TLVs, which hold
//! PATH-DATA TLVs (recursively) ending in FULLDATA, SPARSEDATA, KEYINFO or RESULT TLVs.
//! Everything below the header is shown only with `-vvv`, except tcpdump's complaints.

use super::{Ctx, pr, tok2str, tok2str_with};
use crate::cursor::{Bytes, PResult, Truncated};
use crate::dump::hex_print;

const HDR_LEN: u32 = 24;
const TLV_HDRL: u32 = 4;
const ILV_HDRL: u32 = 8;

/// How a printer stopped early.
enum Stop {
    /// tcpdump's `return -1`: something was invalid (and said so, or printed ` [|forces]`).
    Fail,
    /// A read past the capture: tcpdump longjmps to the top level.
    Trunc,
}

impl From<Truncated> for Stop {
    fn from(_: Truncated) -> Self {
        Stop::Trunc
    }
}

type R<T = ()> = Result<T, Stop>;

/// A `-1` that only the caller's caller would notice: tcpdump ignores it in a few places.
fn ignore_fail(r: R) -> R {
    match r {
        Err(Stop::Fail) => Ok(()),
        r => r,
    }
}

/// `goto trunc` in print-forces.c: ` [|forces]`, then `-1`.
fn local_trunc<T>(ctx: &mut Ctx) -> R<T> {
    ctx.print_trunc();
    Err(Stop::Fail)
}

// Top-level message flags: at most this many TLVs (high nibble) and the minimum.
const ZERO_TTLV: u16 = 0x01;
const ZERO_MORE_TTLV: u16 = 0x02;
const ONE_MORE_TTLV: u16 = 0x04;
const ONE_TLV: u16 = 0x10;
const TWO_TLV: u16 = 0x20;
const MAX_TLV: u16 = 0xf0;
const TTLV_T1: u16 = ONE_MORE_TTLV | ONE_TLV;
const TTLV_T2: u16 = ONE_MORE_TTLV | MAX_TLV;

// Operation bits (bit op-1 for operation op), and path-data selection bits.
const B_OP_SET: u16 = 1 << 0;
const B_OP_SETPROP: u16 = 1 << 1;
const B_OP_SETRESP: u16 = 1 << 2;
const B_OP_SETPRESP: u16 = 1 << 3;
const B_OP_DEL: u16 = 1 << 4;
const B_OP_DELRESP: u16 = 1 << 5;
const B_OP_GET: u16 = 1 << 6;
const B_OP_GETPROP: u16 = 1 << 7;
const B_OP_GETRESP: u16 = 1 << 8;
const B_OP_GETPRESP: u16 = 1 << 9;
const B_OP_REPORT: u16 = 1 << 10;
const B_OP_COMMIT: u16 = 1 << 11;
const B_OP_RCOMMIT: u16 = 1 << 12;
const B_OP_RTRCOMP: u16 = 1 << 13;

const B_FULLD: u16 = 0x1;
const B_SPARD: u16 = 0x2;
const B_RESTV: u16 = 0x4;
const B_KEYIN: u16 = 0x8;
const B_APPND: u16 = 0x10;
const B_TRNG: u16 = 0x20;

/// What a TLV's body holds, i.e. which printer decodes it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    None,
    LfbSelect,
    AssocTeardown,
    Redirect,
    AssocResult,
    InvalidOp,
    PathData,
    GenOp,
    KeyInfo,
    FullData,
    SparseData,
    Result,
}

/// A message type: value, TLV count flags, allowed operations, name, body printer.
struct MsgType {
    v: u8,
    flags: u16,
    ops: u16,
    name: &'static str,
    body: Body,
}

const MSG_TYPES: &[MsgType] = &[
    MsgType {
        v: 0x01,
        flags: ZERO_MORE_TTLV | TWO_TLV,
        ops: B_OP_REPORT,
        name: "Association Setup",
        body: Body::LfbSelect,
    },
    MsgType {
        v: 0x02,
        flags: TTLV_T1,
        ops: 0,
        name: "Association TearDown",
        body: Body::AssocTeardown,
    },
    MsgType {
        v: 0x03,
        flags: TTLV_T2,
        ops: B_OP_SET | B_OP_SETPROP | B_OP_DEL | B_OP_COMMIT | B_OP_RTRCOMP,
        name: "Config",
        body: Body::LfbSelect,
    },
    MsgType {
        v: 0x04,
        flags: TTLV_T2,
        ops: B_OP_GET | B_OP_GETPROP,
        name: "Query",
        body: Body::LfbSelect,
    },
    MsgType {
        v: 0x05,
        flags: TTLV_T1,
        ops: B_OP_REPORT,
        name: "Event Notification",
        body: Body::LfbSelect,
    },
    MsgType {
        v: 0x06,
        flags: TTLV_T2,
        ops: 0,
        name: "Packet Redirect",
        body: Body::Redirect,
    },
    MsgType {
        v: 0x0f,
        flags: ZERO_TTLV,
        ops: 0,
        name: "HeartBeat",
        body: Body::None,
    },
    MsgType {
        v: 0x11,
        flags: TTLV_T1,
        ops: 0,
        name: "Association Response",
        body: Body::AssocResult,
    },
    MsgType {
        v: 0x13,
        flags: TTLV_T2,
        ops: B_OP_SETRESP | B_OP_SETPRESP | B_OP_DELRESP | B_OP_RCOMMIT,
        name: "Config Response",
        body: Body::LfbSelect,
    },
    MsgType {
        v: 0x14,
        flags: TTLV_T2,
        ops: B_OP_GETRESP | B_OP_GETPRESP,
        name: "Query Response",
        body: Body::LfbSelect,
    },
];

/// Types tcpdump accepts before looking them up (0x12 passes here but has no entry).
fn msg_type_valid(t: u8) -> bool {
    matches!(t, 0x01..=0x06 | 0x0f | 0x11..=0x14)
}

/// Operation TLVs (index = type): allowed data encodings, name, body printer.
const OPERATIONS: &[(u16, &str, Body)] = &[
    (0, "Invalid OPTLV", Body::InvalidOp),
    (B_FULLD | B_SPARD, " Set", Body::PathData),
    (B_FULLD | B_SPARD, " SetProp", Body::PathData),
    (B_RESTV, " SetResp", Body::PathData),
    (B_RESTV, " SetPropResp", Body::PathData),
    (0, " Del", Body::PathData),
    (B_RESTV, " DelResp", Body::PathData),
    (0, " Get", Body::PathData),
    (0, " GetProp", Body::PathData),
    (B_FULLD | B_SPARD | B_RESTV, " GetResp", Body::PathData),
    (B_FULLD | B_RESTV, " GetPropResp", Body::PathData),
    (B_FULLD | B_SPARD, " Report", Body::PathData),
    (0, " Commit", Body::None),
    (B_RESTV, " RCommit", Body::GenOp),
    (0, " RTRCOMP", Body::None),
];

fn operation(t: u16) -> (u16, &'static str, Body) {
    OPERATIONS.get(t as usize).copied().unwrap_or(OPERATIONS[0])
}

/// May operation `op` appear where `mask` is allowed? (Vendor operations always may.)
fn op_valid(op: u16, mask: u16) -> bool {
    match op {
        0 => false,
        1..=14 => (1 << (op - 1)) & mask != 0,
        0x8000.. => true,
        _ => false,
    }
}

const F_TLV_PDAT: u16 = 0x0110;
const F_TLV_KEYI: u16 = 0x0111;
const F_TLV_FULD: u16 = 0x0112;
const F_TLV_SPAD: u16 = 0x0113;
const F_TLV_REST: u16 = 0x0114;
const F_TLV_METD: u16 = 0x0115;
const F_TLV_REDD: u16 = 0x0116;

const TLV_NAMES: &[(u32, &str)] = &[
    (0x0000, "Invalid TLV"),
    (0x0001, "REDIRECT TLV"),
    (0x0010, "ASResult TLV"),
    (0x0011, "ASTreason TLV"),
    (0x1000, "LFBselect TLV"),
    (0x0110, "PATH-DATA TLV"),
    (0x0111, "KEYINFO TLV"),
    (0x0112, "FULLDATA TLV"),
    (0x0113, "SPARSEDATA TLV"),
    (0x0114, "RESULT TLV"),
    (0x0115, "METADATA TLV"),
    (0x0116, "REDIRECTDATA TLV"),
];

/// Top-level TLV types tcpdump accepts (0x117, TRANSACTION, is not among them).
fn top_tlv_valid(t: u16) -> bool {
    matches!(t, 0x0001 | 0x1000 | 0x0010..=0x0011 | 0x0110..=0x0116)
}

/// Path-data content TLVs: name, the encoding bit it needs, body printer.
fn path_content(t: u16) -> Option<(&'static str, u16, Body)> {
    Some(match t {
        F_TLV_KEYI => ("KEYINFO TLV", 0, Body::KeyInfo),
        F_TLV_FULD => ("FULLDATA TLV", B_FULLD, Body::FullData),
        F_TLV_SPAD => ("SPARSEDATA TLV", B_SPARD, Body::SparseData),
        F_TLV_REST => ("RESULT TLV", B_RESTV, Body::Result),
        F_TLV_PDAT => ("Inner PATH-DATA TLV", 0, Body::PathData),
        _ => return None,
    })
}

const LFB_NAMES: &[(u32, &str)] = &[(0, "Invalid TLV"), (1, "FEObj LFB"), (2, "FEProtoObj LFB")];

const ACKS: &[(u32, &str)] = &[
    (0, "NoACK"),
    (1, "SuccessACK"),
    (2, "FailureACK"),
    (3, "AlwaysACK"),
];
const EXEC_MODES: &[(u32, &str)] = &[
    (0, "EMReserved"),
    (1, "execute-all-or-none"),
    (2, "execute-until-failure"),
    (3, "continue-execute-on-failure"),
];
const ATOMICITY: &[(u32, &str)] = &[(0, "Standalone"), (1, "2PCtransaction")];
const TRANSACTION_PHASES: &[(u32, &str)] = &[
    (0, "StartofTransaction"),
    (1, "MiddleofTransaction"),
    (2, "EndofTransaction"),
    (3, "abort"),
];

const XLV_ERRORS: &[(u32, &str)] = &[
    (1, "Invalid total length"),
    (2, "xLV too short"),
    (3, "xLV too long"),
    (4, "data padding missing"),
];

const RESULT_CODES: &[(u32, &str)] = &[
    (0x00, "SUCCESS"),
    (0x01, "INVALID HEADER"),
    (0x02, "LENGTH MISMATCH"),
    (0x03, "VERSION MISMATCH"),
    (0x04, "INVALID DESTINATION PID"),
    (0x05, "LFB UNKNOWN"),
    (0x06, "LFB NOT FOUND"),
    (0x07, "LFB INSTANCE ID NOT FOUND"),
    (0x08, "INVALID PATH"),
    (0x09, "COMPONENT DOES NOT EXIST"),
    (0x0a, "EXISTS ALREADY"),
    (0x0b, "NOT FOUND"),
    (0x0c, "READ ONLY"),
    (0x0d, "INVALID ARRAY CREATION"),
    (0x0e, "VALUE OUT OF RANGE"),
    (0x0f, "CONTENTS TOO LONG"),
    (0x10, "INVALID PARAMETERS"),
    (0x11, "INVALID MESSAGE TYPE"),
    (0x12, "INVALID FLAGS"),
    (0x13, "INVALID TLV"),
    (0x14, "EVENT ERROR"),
    (0x15, "NOT SUPPORTED"),
    (0x16, "MEMORY ERROR"),
    (0x17, "INTERNAL ERROR"),
    (0xff, "UNSPECIFIED ERROR"),
];

/// Who a 32-bit ForCES ID designates (RFC 5810 section 4.2.1.3).
fn node_name(id: u32) -> &'static str {
    match id {
        0..=0x3fff_ffff => "FE",
        0x4000_0000..=0x7fff_ffff => "CE",
        0xc000_0000..=0xffff_ffef => "AllMulticast",
        0xffff_fffd => "AllCEsBroadcast",
        0xffff_fffe => "AllFEsBroadcast",
        0xffff_ffff => "AllBroadcast",
        _ => "ForCESreserved",
    }
}

/// Lengths are padded to 4 bytes (with C's unsigned wrap-around).
fn aligned(len: u32) -> u32 {
    len.wrapping_add(3) & !3
}

/// Why an xLV of length `len` does not fit in `rlen` bytes (an [`XLV_ERRORS`] key), or 0.
fn xlv_invalid(len: u32, rlen: u32, hdrl: u32) -> u32 {
    if rlen < hdrl {
        1
    } else if len < hdrl {
        2
    } else if len > rlen {
        3
    } else if rlen < aligned(len) {
        4
    } else {
        0
    }
}

const SPACES: &str = "\n                                                                                                                                                                                                                                                               ";

/// tcpdump's `indent_pr`: `indent` spaces, or a newline and `indent - 1` spaces.
fn ind(indent: u32, newline: bool) -> &'static str {
    let n = indent.min(255) as usize;
    if newline {
        &SPACES[..n.max(1)]
    } else {
        &SPACES[1..=n]
    }
}

/// `tok2str(table, NULL, v)`: the name or `#v`, `v` printed as a signed int.
fn name_or_number(ctx: &mut Ctx, table: &[(u32, &'static str)], v: u32) {
    tok2str_with(ctx.out, table, v, |o| {
        use std::fmt::Write;
        let _ = write!(o, "#{}", v as i32);
    });
}

/// `hex_print`: failing when the bytes are not all captured (a longjmp in tcpdump).
fn hex(ctx: &mut Ctx, ident: &str, p: &[u8], len: u32) -> R {
    hex_print(ctx.out, ident, p, len as usize, 0)?;
    Ok(())
}

/// The bytes from `off` on (empty past the capture, so that reads there fail).
fn at(p: &[u8], off: u32) -> &[u8] {
    p.get(off as usize..).unwrap_or(&[])
}

/// A ForCES message: `p` the captured bytes from its header on, `len` its length.
pub fn forces_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "forces";
    match message_print(ctx, p, len) {
        Err(Stop::Trunc) => Err(Truncated),
        Ok(()) | Err(Stop::Fail) => Ok(()),
    }
}

fn message_print(ctx: &mut Ctx, p: &[u8], len: u32) -> R {
    if !p.has(0, HDR_LEN as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    let tom = p[1];
    let r = if !msg_type_valid(tom) {
        pr!(ctx, "Invalid ForCES message type {}\n", tom);
        Err(Stop::Fail)
    } else {
        header_print(ctx, p, len, tom)
    };
    match r {
        Err(Stop::Fail) => {
            hex(ctx, "\n\t[", p, len)?;
            ctx.push("\n\t]");
            Ok(())
        }
        r => r,
    }
}

fn header_print(ctx: &mut Ctx, p: &[u8], len: u32, tom: u8) -> R {
    let mlen = (p.be_u16(2)? as u32) << 2;
    let Some(mt) = MSG_TYPES.iter().find(|m| m.v == tom) else {
        pr!(ctx, "\n\tUnknown ForCES message type=0x{:x}", tom);
        return Err(Stop::Fail);
    };
    pr!(ctx, "\n\tForCES {} ", mt.name);
    if !(len >= HDR_LEN && mlen >= HDR_LEN && mlen == len) {
        pr!(
            ctx,
            "Illegal ForCES pkt len - min {}, total recvd {}, advertised {} ",
            HDR_LEN,
            len,
            mlen
        );
        return Err(Stop::Fail);
    }
    let flags = p.be_u32(20)?;
    if ctx.vflag() >= 1 {
        let (sid, did, cor) = (p.be_u32(4)?, p.be_u32(8)?, p.be_u64(12)?);
        pr!(
            ctx,
            "\n\tForCES Version {} len {}B flags 0x{:08x} ",
            p[0] >> 4,
            mlen,
            flags
        );
        pr!(
            ctx,
            "\n\tSrcID 0x{:x}({}) DstID 0x{:x}({}) Correlator 0x{:x}",
            sid,
            node_name(sid),
            did,
            node_name(did),
            cor
        );
    }
    if ctx.vflag() >= 2 {
        let ack = (flags & 0xc000_0000) >> 30;
        let em = (flags & 0x00c0_0000) >> 22;
        let at = (flags & 0x0020_0000) >> 21;
        let tp = (flags & 0x0018_0000) >> 19;
        ctx.push("\n\tForCES flags:\n\t  ");
        tok2str(ctx.out, ACKS, "ACKUnknown", ack);
        pr!(ctx, "(0x{:x}), prio={}, ", ack, (flags & 0x3800_0000) >> 27);
        tok2str(ctx.out, EXEC_MODES, "EMUnknown", em);
        pr!(ctx, "(0x{:x}),\n\t  ", em);
        tok2str(ctx.out, ATOMICITY, "ATUnknown", at);
        pr!(ctx, "(0x{:x}), ", at);
        tok2str(ctx.out, TRANSACTION_PHASES, "TPUnknown", tp);
        pr!(ctx, "(0x{:x})\n", tp);
        pr!(
            ctx,
            "\t  Extra flags: rsv(b5-7) 0x{:x} rsv(b13-31) 0x{:x}\n",
            (flags & 0x0700_0000) >> 24,
            flags & 0x0007_ffff
        );
    }
    top_tlvs_print(ctx, p, mlen, mt)?;
    if ctx.vflag() >= 4 {
        ctx.push("\n\t  Raw ForCES message\n\t [");
        hex(ctx, "\n\t ", p, len)?;
        ctx.push("\n\t ]");
    }
    Ok(())
}

/// `forces_type_print`: the top-level TLVs after the header.
fn top_tlvs_print(ctx: &mut Ctx, p: &[u8], mlen: u32, mt: &MsgType) -> R {
    let mut rlen = mlen - HDR_LEN;
    if rlen > TLV_HDRL {
        if mt.flags & ZERO_TTLV != 0 {
            pr!(ctx, "<0x{:x}>Illegal Top level TLV!\n", mt.flags);
            return Err(Stop::Fail);
        }
    } else {
        if mt.flags & ZERO_MORE_TTLV != 0 {
            return Ok(());
        }
        if mt.flags & ONE_MORE_TTLV != 0 {
            ctx.push("\tTop level TLV Data missing!\n");
            return Err(Stop::Fail);
        }
    }
    if mt.flags & ZERO_TTLV != 0 {
        return Ok(());
    }
    let mut left = mt.flags >> 4;
    let mut off = HDR_LEN;
    while rlen != 0 {
        let ty = p.be_u16(off as usize)?;
        let tlvl = p.be_u16(off as usize + 2)? as u32;
        if xlv_invalid(tlvl, rlen, TLV_HDRL) != 0 {
            break;
        }
        if !top_tlv_valid(ty) {
            pr!(ctx, "\n\tInvalid ForCES Top TLV type=0x{:x}", ty);
            return Err(Stop::Fail);
        }
        if ctx.vflag() >= 3 {
            ctx.push("\t");
            name_or_number(ctx, TLV_NAMES, ty as u32);
            pr!(
                ctx,
                ", length {} (data length {} Bytes)",
                tlvl,
                tlvl - TLV_HDRL
            );
        }
        let data = at(p, off + TLV_HDRL);
        match mt.body {
            Body::LfbSelect => lfbselect_print(ctx, data, tlvl, mt.ops, 9)?,
            Body::AssocTeardown => teardown_print(ctx, data, tlvl, 9)?,
            Body::Redirect => redirect_print(ctx, data, tlvl, 9)?,
            _ => assoc_result_print(ctx, data, tlvl, 9)?,
        }
        rlen = rlen.wrapping_sub(aligned(tlvl));
        off = off.wrapping_add(aligned(tlvl));
        left = left.wrapping_sub(1);
        if left == 0 {
            break;
        }
    }
    if rlen != 0 {
        let l = p.be_u16(off as usize + 2)?;
        pr!(
            ctx,
            "\tMess TopTLV header: min {}, total {} advertised {} ",
            TLV_HDRL,
            rlen,
            l
        );
        return Err(Stop::Fail);
    }
    Ok(())
}

/// An LFB selector (class, instance) and its operation TLVs; `len` includes the TLV header.
fn lfbselect_print(ctx: &mut Ctx, p: &[u8], len: u32, ops: u16, indent: u32) -> R {
    let ib = ind(indent, false);
    let dlen = len - TLV_HDRL;
    if dlen <= 12 {
        pr!(
            ctx,
            "\n\t\ttruncated lfb selector: {} bytes missing! ",
            12 - dlen
        );
        return Err(Stop::Fail);
    }
    let mut rlen = dlen - 8;
    if !p.has(0, 8) {
        return local_trunc(ctx);
    }
    if ctx.vflag() >= 3 {
        let (class, instance) = (p.be_u32(0)?, p.be_u32(4)?);
        pr!(ctx, "\n{}", ib);
        name_or_number(ctx, LFB_NAMES, class);
        pr!(ctx, "(Classid {:x}) instance {:x}\n", class, instance);
    }
    let indent = indent + 1;
    let mut off = 8;
    while rlen != 0 {
        let ty = p.be_u16(off as usize)?;
        let tlvl = p.be_u16(off as usize + 2)? as u32;
        if xlv_invalid(tlvl, rlen, TLV_HDRL) != 0 {
            break;
        }
        let otlv = at(p, off);
        if op_valid(ty, ops) {
            ignore_fail(oper_tlv_print(ctx, otlv, indent))?;
        } else {
            if ctx.vflag() < 3 {
                ctx.push("\n");
            }
            pr!(
                ctx,
                "\t\tINValid oper-TLV type 0x{:x} length {} for this ForCES message\n",
                ty,
                tlvl
            );
            ignore_fail(invalid_op_print(ctx, otlv, rlen, indent))?;
        }
        rlen = rlen.wrapping_sub(aligned(tlvl));
        off = off.wrapping_add(aligned(tlvl));
    }
    if rlen != 0 {
        let (ty, l) = (p.be_u16(off as usize)?, p.be_u16(off as usize + 2)?);
        pr!(
            ctx,
            "\n\t\tMessy oper TLV header, type (0x{:x})\n\t\texcess of {} Bytes ",
            ty,
            rlen.wrapping_sub(l as u32)
        );
        return Err(Stop::Fail);
    }
    Ok(())
}

/// `otlv_print`: an operation TLV at `p` (header included).
fn oper_tlv_print(ctx: &mut Ctx, p: &[u8], indent: u32) -> R {
    let ty = p.be_u16(0)?;
    let l = p.be_u16(2)?;
    let tll = (l as u32).wrapping_sub(TLV_HDRL);
    let (mask, name, body) = operation(ty);
    if ctx.vflag() >= 3 {
        pr!(
            ctx,
            "{}Oper TLV {}(0x{:x}) length {}\n",
            ind(indent, false),
            name,
            ty,
            l
        );
    }
    let dp = at(p, TLV_HDRL);
    if tll < 8 {
        pr!(ctx, "\t\tOper TLV {}(0x{:x}) length {}\n", name, ty, l);
        pr!(
            ctx,
            "\t\tTruncated data size {} minimum required {}\n",
            tll,
            8
        );
        return invalid_op_print(ctx, dp, tll, indent);
    }
    body_print(ctx, body, dp, tll, mask, indent + 1)
}

/// Runs the printer of a path-data level body.
fn body_print(ctx: &mut Ctx, body: Body, p: &[u8], len: u32, mask: u16, indent: u32) -> R {
    match body {
        Body::PathData => path_tlvs_print(ctx, p, len, mask, indent),
        Body::GenOp => gen_op_print(ctx, p, len, mask, indent),
        Body::InvalidOp => invalid_op_print(ctx, p, len, indent),
        Body::KeyInfo => keyinfo_print(ctx, p, len, indent),
        Body::FullData => fulldata_print(ctx, p, len, indent),
        Body::SparseData => sparsedata_print(ctx, p, len, indent),
        Body::Result => result_print(ctx, p, len, indent),
        _ => Ok(()),
    }
}

/// `invoptlv_print`: the bytes as a hex dump (with `-vvv`); always a failure.
fn invalid_op_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    if ctx.vflag() >= 3 {
        let ib = ind(indent, true);
        pr!(ctx, "{}Data[", &ib[1..]);
        hex(ctx, ib, p, len)?;
        pr!(ctx, "{}]\n", ib);
    }
    Err(Stop::Fail)
}

/// `recpdoptlv_print`: a run of PATH-DATA TLVs (headers included) filling `len` bytes.
fn path_tlvs_print(ctx: &mut Ctx, p: &[u8], mut len: u32, mask: u16, indent: u32) -> R {
    let mut off = 0u32;
    while len != 0 {
        let tlvl = p.be_u16(off as usize + 2)? as u32;
        if xlv_invalid(tlvl, len, TLV_HDRL) != 0 {
            break;
        }
        let ty = p.be_u16(off as usize)?;
        if ctx.vflag() >= 3 {
            ctx.push(ind(indent, false));
            name_or_number(ctx, TLV_NAMES, ty as u32);
            pr!(
                ctx,
                ", length {} (data encapsulated {} Bytes)",
                tlvl,
                tlvl - TLV_HDRL
            );
        }
        pathdata_print(
            ctx,
            at(p, off + TLV_HDRL),
            tlvl - TLV_HDRL,
            mask,
            indent + 1,
        )?;
        len = len.wrapping_sub(aligned(tlvl));
        off = off.wrapping_add(aligned(tlvl));
    }
    if len != 0 {
        let (ty, l) = (p.be_u16(off as usize)?, p.be_u16(off as usize + 2)?);
        pr!(
            ctx,
            "\n\t\tMessy PATHDATA TLV header, type (0x{:x})\n\t\texcess of {} Bytes ",
            ty,
            len.wrapping_sub(l as u32)
        );
        return Err(Stop::Fail);
    }
    Ok(())
}

/// `genoptlv_print`: the body of an RCommit operation, one TLV holding path data.
fn gen_op_print(ctx: &mut Ctx, p: &[u8], len: u32, mask: u16, indent: u32) -> R {
    let ty = p.be_u16(0)?;
    let tlvl = p.be_u16(2)? as u32;
    let inv = xlv_invalid(tlvl, len, TLV_HDRL);
    ctx.push("genoptlvprint - ");
    name_or_number(ctx, TLV_NAMES, ty as u32);
    pr!(ctx, " TLV type 0x{:x} len {}\n", ty, tlvl);
    if inv != 0 {
        pr!(ctx, "\t\t\tInvalid ForCES TLV type={:x}", ty);
        return Err(Stop::Fail);
    }
    if !top_tlv_valid(ty) {
        name_or_number(ctx, XLV_ERRORS, inv);
        pr!(ctx, " TLV type 0x{:x} len {}\n", ty, tlvl);
        return Err(Stop::Fail);
    }
    if ctx.vflag() >= 3 {
        ctx.push(ind(indent, false));
        name_or_number(ctx, TLV_NAMES, ty as u32);
        pr!(
            ctx,
            ", length {} (data length {} Bytes)",
            tlvl,
            tlvl - TLV_HDRL
        );
    }
    pathdata_print(ctx, at(p, TLV_HDRL), tlvl - TLV_HDRL, mask, indent + 1)
}

const F_SELKEY: u16 = 1;
const F_SELTABRANGE: u16 = 2;
const F_TABAPPEND: u16 = 4;

/// `pdata_print`: path flags and ID count, the IDs, then the content.
fn pathdata_print(ctx: &mut Ctx, p: &[u8], len: u32, mut mask: u16, indent: u32) -> R {
    if !p.has(0, 4) || len < 4 {
        return local_trunc(ctx);
    }
    let pflags = p.be_u16(0)?;
    let idcnt = p.be_u16(2)?;
    if ctx.vflag() >= 3 {
        pr!(
            ctx,
            "\n{}Pathdata: Flags 0x{:x} ID count {}\n",
            ind(indent, false),
            pflags,
            idcnt
        );
    }
    if pflags & F_SELKEY != 0 {
        mask |= B_KEYIN;
    }
    if pflags & F_SELTABRANGE != 0 {
        mask |= B_TRNG;
    }
    if pflags & F_TABAPPEND != 0 {
        mask |= B_APPND;
    }
    let p = at(p, 4);
    let len = len - 4;
    let minsize = idcnt as u32 * 4;
    if len < minsize {
        pr!(
            ctx,
            "\t\t\ttruncated IDs expected {}B got {}B\n",
            minsize,
            len
        );
        hex(ctx, "\t\t\tID Data[", p, len)?;
        ctx.push("]\n");
        return Err(Stop::Fail);
    }
    if mask & B_TRNG != 0 && mask & B_KEYIN != 0 {
        ctx.push("\t\t\tIllegal to have both Table ranges and keys\n");
        return Err(Stop::Fail);
    }
    match content_print(ctx, p, len, idcnt, mask, indent) {
        Ok(more) if more > 0 => path_tlvs_print(ctx, at(p, len - more), more, mask, indent + 1),
        // tcpdump turns the content's failure into success here.
        Ok(_) | Err(Stop::Fail) => Ok(()),
        Err(Stop::Trunc) => Err(Stop::Trunc),
    }
}

/// `pdatacnt_print`: the IDs, table range or key, and one content TLV; returns the bytes left.
fn content_print(
    ctx: &mut Ctx,
    p: &[u8],
    mut len: u32,
    idcnt: u16,
    mask: u16,
    indent: u32,
) -> R<u32> {
    let ib = ind(indent, false);
    if mask & B_APPND != 0 && ctx.vflag() >= 3 {
        pr!(ctx, "{}TABLE APPEND\n", ib);
    }
    let mut off = 0u32;
    for i in 0..idcnt {
        if !p.has(off as usize, 4) || len < 4 {
            return local_trunc(ctx);
        }
        let id = p.be_u32(off as usize)?;
        if ctx.vflag() >= 3 {
            pr!(ctx, "{}ID#{:02}: {}\n", ib, i + 1, id);
        }
        len -= 4;
        off += 4;
    }
    if mask & B_TRNG != 0 {
        if len < 12 {
            pr!(ctx, "pathlength {} with key/range too short {}\n", len, 12);
            return Err(Stop::Fail);
        }
        let start = p.be_u32(off as usize + 4)?;
        let end = p.be_u32(off as usize + 8)?;
        off += 12;
        len -= 12;
        if ctx.vflag() >= 3 {
            pr!(ctx, "{}Table range: [{},{}]\n", ib, start, end);
        }
    }
    if mask & B_KEYIN != 0 {
        if len < 12 {
            pr!(ctx, "pathlength {} with key/range too short {}\n", len, 12);
            return Err(Stop::Fail);
        }
        // The key ID, then the key TLV whose content is skipped.
        let tll = p.be_u16(off as usize + 6)? as u32;
        off += 8;
        len -= 8;
        if tll < TLV_HDRL {
            pr!(ctx, "key content length {} < {}\n", tll, TLV_HDRL);
            return Err(Stop::Fail);
        }
        let tll = tll - TLV_HDRL;
        if len < tll {
            ctx.push("key content too short\n");
            return Err(Stop::Fail);
        }
        off += tll;
        len -= tll;
    }
    if len == 0 {
        return Ok(0);
    }
    let pd = at(p, off);
    let ty = pd.be_u16(0)?;
    let tlvl = pd.be_u16(2)? as u32;
    let inv = xlv_invalid(tlvl, len, TLV_HDRL);
    let content = if inv != 0 {
        name_or_number(ctx, XLV_ERRORS, inv);
        pr!(
            ctx,
            " Outstanding bytes {} for TLV type 0x{:x} TLV len {}\n",
            len,
            ty,
            tlvl
        );
        None
    } else {
        let c = path_content(ty);
        if c.is_none() {
            pr!(
                ctx,
                "Invalid path data content type 0x{:x} len {}\n",
                ty,
                tlvl
            );
        }
        c
    };
    let Some((name, encoding, body)) = content else {
        if tlvl != 0 {
            hex(ctx, "Bad Data val\n\t  [", pd, len)?;
            ctx.push("]\n");
            return Err(Stop::Fail);
        }
        return Ok(len);
    };
    let tll = tlvl - TLV_HDRL;
    let aln = aligned(tlvl);
    let mut pad = 0;
    if aln > tlvl {
        if aln > len {
            pr!(
                ctx,
                "Invalid padded pathdata TLV type 0x{:x} len {} missing {} pad bytes\n",
                ty,
                tlvl,
                aln - len
            );
        } else {
            pad = aln - tlvl;
        }
    }
    if ctx.vflag() >= 3 && ty != F_TLV_PDAT {
        if pad != 0 {
            pr!(
                ctx,
                "{}  {} (Length {} DataLen {} pad {} Bytes)\n",
                ib,
                name,
                tlvl,
                tll,
                pad
            );
        } else {
            pr!(
                ctx,
                "{}  {} (Length {} DataLen {} Bytes)\n",
                ib,
                name,
                tlvl,
                tll
            );
        }
    }
    if ty != F_TLV_PDAT {
        if mask & B_KEYIN != 0 {
            if ty != F_TLV_KEYI {
                ctx.push("Based on flags expected KEYINFO TLV!\n");
            }
        } else if mask & encoding == 0 {
            pr!(
                ctx,
                "Illegal DATA encoding for type 0x{:x} programmed {:x} got {:x}\n",
                ty,
                encoding,
                mask
            );
        }
    }
    body_print(ctx, body, pd, tll + pad + TLV_HDRL, mask, indent + 2)?;
    Ok(len - (TLV_HDRL + pad + tll))
}

/// `prestlv_print`: a RESULT TLV at `p` (header included).
fn result_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let dlen = len - TLV_HDRL;
    if dlen != 4 {
        pr!(ctx, "illegal RESULT-TLV: {} bytes!\n", dlen);
        return Err(Stop::Fail);
    }
    if !p.has(TLV_HDRL as usize, 4) {
        return local_trunc(ctx);
    }
    let result = p[TLV_HDRL as usize];
    if (0x18..=0xfe).contains(&result) {
        pr!(ctx, "illegal reserved result code: 0x{:x}!\n", result);
        return Err(Stop::Fail);
    }
    if ctx.vflag() >= 3 {
        pr!(ctx, "{}  Result: ", ind(indent, false));
        name_or_number(ctx, RESULT_CODES, result as u32);
        pr!(ctx, " (code 0x{:x})\n", result);
    }
    Ok(())
}

/// `fdatatlv_print`: a FULLDATA TLV at `p` (header included), shown as a hex dump.
fn fulldata_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let rlen = len.wrapping_sub(TLV_HDRL);
    if !p.has(0, 4) {
        return local_trunc(ctx);
    }
    if p.be_u16(0)? != F_TLV_FULD {
        ctx.push("Error: expecting FULLDATA!\n");
        return Err(Stop::Fail);
    }
    if ctx.vflag() >= 3 {
        let ib = ind(indent + 2, true);
        pr!(ctx, "{}[", &ib[1..]);
        hex(ctx, ib, at(p, TLV_HDRL), rlen)?;
        pr!(ctx, "\n{}]", &ib[1..]);
    }
    Ok(())
}

/// `sdatatlv_print`: a SPARSEDATA TLV at `p` (header included): a run of ILVs.
fn sparsedata_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let rlen = len - TLV_HDRL;
    if !p.has(0, 4) {
        return local_trunc(ctx);
    }
    if p.be_u16(0)? != F_TLV_SPAD {
        ctx.push("Error: expecting SPARSEDATA!\n");
        return Err(Stop::Fail);
    }
    let p = at(p, TLV_HDRL);
    if rlen < ILV_HDRL {
        ctx.push("Error: BAD SPARSEDATA-TLV!\n");
        return Err(Stop::Fail);
    }
    let indent = indent + 1;
    let mut rlen = rlen;
    let mut off = 0u32;
    while rlen != 0 {
        let ib = ind(indent, true);
        let inv = ilv_invalid(p, off, rlen)?;
        if inv != 0 {
            ctx.push("Error: ");
            name_or_number(ctx, XLV_ERRORS, inv);
            pr!(ctx, ", rlen {}\n", rlen);
            return Err(Stop::Fail);
        }
        let ilvl = p.be_u32(off as usize + 4)?;
        if ctx.vflag() >= 3 {
            let ty = p.be_u32(off as usize)?;
            pr!(ctx, "\n{} ILV: type {:x} length {}\n", &ib[1..], ty, ilvl);
            hex(ctx, "\t\t[", at(p, off + ILV_HDRL), ilvl - ILV_HDRL)?;
        }
        rlen = rlen.wrapping_sub(aligned(ilvl));
        off = off.wrapping_add(aligned(ilvl));
    }
    Ok(())
}

/// `ilv_valid` on the ILV at `p[off..]` with `rlen` bytes left (its length read only if needed).
fn ilv_invalid(p: &[u8], off: u32, rlen: u32) -> PResult<u32> {
    if rlen < ILV_HDRL {
        return Ok(1);
    }
    Ok(xlv_invalid(p.be_u32(off as usize + 4)?, rlen, ILV_HDRL))
}

/// `pkeyitlv_print`: a KEYINFO TLV at `p`: key ID, then a FULLDATA TLV.
fn keyinfo_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let id = p.be_u32(4)?;
    pr!(ctx, "{}Keyinfo: Key 0x{:x}\n", ind(indent, false), id);
    let ty = p.be_u16(8)?;
    let tll = p.be_u16(10)? as u32;
    let inv = xlv_invalid(tll, len, TLV_HDRL);
    if inv != 0 {
        name_or_number(ctx, XLV_ERRORS, inv);
        pr!(ctx, " TLV type 0x{:x} len {}\n", ty, tll);
        return Err(Stop::Fail);
    }
    // tcpdump hands the FULLDATA printer the key TLV's value, not its header.
    fulldata_print(ctx, at(p, 12), tll, indent)
}

/// `asttlv_print`: the teardown reason of an Association TearDown.
fn teardown_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let ib = ind(indent, false);
    let dlen = len - TLV_HDRL;
    if dlen != 4 {
        pr!(ctx, "illegal ASTresult-TLV: {} bytes!\n", dlen);
        return Err(Stop::Fail);
    }
    let code = p.be_u32(0)?;
    if code > 255 {
        pr!(ctx, "illegal ASTresult result code: {}!\n", code);
        return Err(Stop::Fail);
    }
    if ctx.vflag() >= 3 {
        pr!(ctx, "Teardown reason:\n{}", ib);
        ctx.push(match code {
            0 => "Normal Teardown",
            1 => "Loss of Heartbeats",
            2 => "Out of bandwidth",
            3 => "Out of Memory",
            4 => "Application Crash",
            _ => "Unknown Teardown reason",
        });
        pr!(ctx, "({:x})\n{}", code, ib);
    }
    Ok(())
}

/// `asrtlv_print`: the result of an Association Setup.
fn assoc_result_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let ib = ind(indent, false);
    let dlen = len - TLV_HDRL;
    if dlen != 4 {
        pr!(ctx, "illegal ASRresult-TLV: {} bytes!\n", dlen);
        return Err(Stop::Fail);
    }
    let code = p.be_u32(0)?;
    if code > 3 {
        pr!(ctx, "illegal ASRresult result code: {}!\n", code);
        return Err(Stop::Fail);
    }
    if ctx.vflag() >= 3 {
        pr!(ctx, "\n{}", ib);
        ctx.push(match code {
            0 => "Success ",
            1 => "FE ID invalid ",
            2 => "permission denied ",
            _ => "Unknown ",
        });
        pr!(ctx, "({:x})\n{}", code, ib);
    }
    Ok(())
}

/// `redirect_print`: METADATA and REDIRECTDATA TLVs of a Packet Redirect.
fn redirect_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let dlen = len - TLV_HDRL;
    if dlen <= 8 {
        pr!(
            ctx,
            "\n\t\ttruncated Redirect TLV: {} bytes missing! ",
            8 - dlen
        );
        return Err(Stop::Fail);
    }
    let mut rlen = dlen;
    let indent = indent + 1;
    let mut off = 0u32;
    while rlen != 0 {
        let ty = p.be_u16(off as usize)?;
        let tlvl = p.be_u16(off as usize + 2)? as u32;
        if xlv_invalid(tlvl, rlen, TLV_HDRL) != 0 {
            ctx.push("Bad Redirect data\n");
            break;
        }
        let data = at(p, off + TLV_HDRL);
        match ty {
            F_TLV_METD => metadata_print(ctx, data, tlvl, indent)?,
            F_TLV_REDD => {
                let rlen = tlvl - TLV_HDRL;
                pr!(
                    ctx,
                    "\n{} Redirect Data length {}\n",
                    ind(indent, false),
                    rlen
                );
                if ctx.vflag() >= 3 {
                    ctx.push("\t\t[");
                    hex(ctx, "\n\t\t", data, rlen)?;
                    ctx.push("\n\t\t]");
                }
            }
            _ => pr!(ctx, "Unknown REDIRECT TLV 0x{:x} len {}\n", ty, tlvl),
        }
        rlen = rlen.wrapping_sub(aligned(tlvl));
        off = off.wrapping_add(aligned(tlvl));
    }
    if rlen != 0 {
        let (ty, l) = (p.be_u16(off as usize)?, p.be_u16(off as usize + 2)?);
        pr!(
            ctx,
            "\n\t\tMessy Redirect TLV header, type (0x{:x})\n\t\texcess of {} Bytes ",
            ty,
            rlen.wrapping_sub(l as u32)
        );
        return Err(Stop::Fail);
    }
    Ok(())
}

/// `print_metatlv`: the metadata ILVs of a redirected packet.
fn metadata_print(ctx: &mut Ctx, p: &[u8], len: u32, indent: u32) -> R {
    let mut rlen = len - TLV_HDRL;
    pr!(ctx, "\n{} METADATA length {}\n", ind(indent, false), rlen);
    let mut off = 0u32;
    while rlen != 0 {
        if ilv_invalid(p, off, rlen)? != 0 {
            break;
        }
        let ty = p.be_u32(off as usize)?;
        let l = p.be_u32(off as usize + 4)?;
        pr!(
            ctx,
            "{}MetaID 0x{:x} length {}\n",
            ind(indent + 1, false),
            ty,
            l
        );
        if ctx.vflag() >= 3 {
            hex(ctx, "\t\t[", at(p, off + ILV_HDRL), l - ILV_HDRL)?;
            ctx.push(" ]\n");
        }
        rlen = rlen.wrapping_sub(aligned(l));
        off = off.wrapping_add(aligned(l));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A Query (GET of path 1 of LFB FEObj, instance 1).
    const QUERY: &[u8] = &[
        0x10, 0x04, 0x00, 0x0d, 0x40, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0, 0, 0, 0, 0, 0,
        0, 3, 0xf8, 0x40, 0x00, 0x00, // header
        0x10, 0x00, 0x00, 0x1c, 0, 0, 0, 1, 0, 0, 0, 1, // LFBselect, class 1, instance 1
        0x00, 0x07, 0x00, 0x10, // Get
        0x01, 0x10, 0x00, 0x0c, 0, 0, 0, 1, 0, 0, 0, 1, // PATH-DATA, 1 ID: 1
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| forces_print(ctx, p, p.len() as u32))
    }

    #[test]
    fn query_at_each_verbosity() {
        assert_eq!(run(0, QUERY), "\n\tForCES Query ");
        let out = run(3, QUERY);
        assert!(
            out.ends_with(
                "\tLFBselect TLV, length 28 (data length 24 Bytes)\n         FEObj LFB(Classid 1) \
                 instance 1\n          Oper TLV  Get(0x7) length 16\n           PATH-DATA TLV, \
                 length 12 (data encapsulated 8 Bytes)\n            Pathdata: Flags 0x0 ID count \
                 1\n            ID#01: 1\n"
            ),
            "{out}"
        );
        assert!(out.contains(
            "\n\tSrcID 0x40000001(CE) DstID 0x2(FE) Correlator 0x3\n\tForCES flags:\n\t  \
             AlwaysACK(0x3), prio=7, execute-all-or-none(0x1),\n\t  Standalone(0x0), \
             StartofTransaction(0x0)\n"
        ));
        assert!(run(4, QUERY).ends_with("\n\t 0x0030:  0000 0001\n\t ]"));
    }

    #[test]
    fn bad_messages_are_dumped() {
        let mut m = QUERY.to_vec();
        m[1] = 0x07;
        assert_eq!(
            run(0, &m[..24]),
            "Invalid ForCES message type 7\n\n\t[0x0000:  1007 000d 4000 0001 0000 0002 0000 \
             0000\n\t[0x0010:  0000 0003 f840 0000\n\t]"
        );
        assert!(run(0, &QUERY[..40]).starts_with(
            "\n\tForCES Query Illegal ForCES pkt len - min 24, total recvd 40, advertised 52 "
        ));
        // A Get where only Set-like operations are allowed.
        let mut m = QUERY.to_vec();
        m[1] = 0x03;
        assert!(
            run(0, &m)
                .contains("\n\t\tINValid oper-TLV type 0x7 length 16 for this ForCES message\n")
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(QUERY, &verbosities(4), |ctx, p| {
            forces_print(ctx, p, QUERY.len() as u32)
        });
        assert_eq!(run(0, &QUERY[..10]), " [|forces]");
    }
}
