//! OpenFlow switch protocol, the version-independent part (OpenFlow Switch Specification 1.0.0
//! section 5.1 and 1.3.x section 7.1: the common header); tcpdump's print-openflow.c. TCP
//! ports 6633 and 6653; the messages of versions 1.0 and 1.3 are decoded in
//! [`super::openflow_1_0`] and [`super::openflow_1_3`].
//!
//! ```text
//! header: version(1) type(1) length(2, header included) xid(4), then the body
//! ```
//!
//! A TCP segment may hold several messages, the last one possibly continuing in the next
//! segment: each is decoded as far as it goes.

use super::oui::OUI_VALUES;
use super::{Ctx, bittok2str, openflow_1_0, openflow_1_3, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};
use crate::dump::hex_and_ascii_print;

pub const OF_VER_1_0: u8 = 0x01;
pub const OF_VER_1_3: u8 = 0x04;
pub const HEADER_LEN: u32 = 8;

const VERSIONS: &[(u32, &str)] = &[
    (0x01, "1.0"),
    (0x02, "1.1"),
    (0x03, "1.2"),
    (0x04, "1.3"),
    (0x05, "1.4"),
    (0x06, "1.5"),
];

/// ONF experimenter IDs (those with a non-zero high octet).
const ONF_EXPERIMENTERS: &[(u32, &str)] = &[
    (0x4f4e_4600, "ONF Extensions"),
    (
        0xff00_0001,
        "Budapest University of Technology and Economics",
    ),
    (0xff00_0002, "NoviFlow"),
    (0xff00_0003, "L3+ Extensions, Vendor Neutral"),
    (0xff00_0004, "L4-L7 Extensions"),
    (0xff00_0005, "Wireless and Mobility Extensions"),
    (0xff00_0006, "Forwarding Abstractions Extensions"),
    (0xff00_0007, "Optical Transport Extensions"),
    (0xff00_0008, "Network Benchmarking Lab, NCTU"),
    (0xff00_0009, "Mobile Packet Core Extensions"),
    (0xff00_000a, "MPLS-TP OpenFlow Extensions for SPTN"),
];

/// The cursor of tcpdump's OpenFlow printers: a position `off` in the captured bytes `p`
/// (which may run past them: reads there fail) and the bytes `len` left of the structure.
#[derive(Clone, Copy)]
pub struct Cp<'a> {
    pub p: &'a [u8],
    pub off: usize,
    pub len: u32,
}

impl<'a> Cp<'a> {
    pub fn new(p: &'a [u8], len: u32) -> Self {
        Cp { p, off: 0, len }
    }
    /// `OF_FWD`: moves on by `n` (the length is unsigned, as in tcpdump).
    pub fn fwd(&mut self, n: u32) {
        self.off += n as usize;
        self.len = self.len.wrapping_sub(n);
    }
    /// `OF_CHK_FWD`: the `n` bytes must be captured.
    pub fn chk_fwd(&mut self, n: u32) -> PResult {
        self.tcheck(n)?;
        self.fwd(n);
        Ok(())
    }
    /// `ND_TCHECK_LEN(cp, n)`.
    pub fn tcheck(&self, n: u32) -> PResult {
        self.p.sub(self.off, n as usize)?;
        Ok(())
    }
    pub fn u8(&self, rel: usize) -> PResult<u8> {
        self.p.u8_at(self.off + rel)
    }
    pub fn u16(&self, rel: usize) -> PResult<u16> {
        self.p.be_u16(self.off + rel)
    }
    pub fn u32(&self, rel: usize) -> PResult<u32> {
        self.p.be_u32(self.off + rel)
    }
    pub fn u64(&self, rel: usize) -> PResult<u64> {
        self.p.be_u64(self.off + rel)
    }
    pub fn bytes(&self, rel: usize, n: usize) -> PResult<&'a [u8]> {
        self.p.sub(self.off + rel, n)
    }
    /// The captured bytes from the current position on.
    pub fn rest(&self) -> &'a [u8] {
        self.p.get(self.off..).unwrap_or(&[])
    }
}

/// `of_vendor_name`: an OUI or an ONF experimenter ID.
pub fn vendor_name(vendor: u32) -> &'static str {
    let table = if vendor & 0xff00_0000 == 0 {
        OUI_VALUES
    } else {
        ONF_EXPERIMENTERS
    };
    tok(table, vendor).unwrap_or("unknown")
}

/// `of_bitmap_print`: the names of the assigned bits of `v` (not in `unassigned`), and
/// ` (bogus)` when unassigned bits are set.
pub fn bitmap_print(ctx: &mut Ctx, table: &[(u32, &'static str)], v: u32, unassigned: u32) {
    if v & !unassigned != 0 {
        ctx.push(" (");
        bittok2str(ctx.out, table, "", v, ", ");
        ctx.push(")");
    }
    if v & unassigned != 0 {
        ctx.push(" (bogus)");
    }
}

/// `of_data_print`: `len` bytes of opaque data, dumped with `-vv`.
pub fn data_print(ctx: &mut Ctx, cp: Cp) -> PResult {
    if cp.len == 0 {
        return Ok(());
    }
    pr!(ctx, "\n\t data ({} octets)", cp.len);
    if ctx.vflag() >= 2 {
        hex_and_ascii_print(ctx.out, "\n\t  ", cp.rest(), cp.len as usize, 0)
    } else {
        cp.tcheck(cp.len)
    }
}

/// How a message type's body is checked before its decoder runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Req {
    None,
    FixLen(u32),
    MinLen(u32),
}

/// A message type of one version: name, body length rule, decoder (`None`: not decoded).
pub struct MsgType {
    pub name: &'static str,
    pub req: Req,
    pub decoder: Option<fn(&mut Ctx, Cp) -> PResult>,
}

/// `of_message_print`: the body after the common header.
fn message_print(ctx: &mut Ctx, cp: Cp, mt: Option<&MsgType>) -> PResult {
    if let Some(mt) = mt {
        let bad = match mt.req {
            Req::FixLen(n) => cp.len != n,
            Req::MinLen(n) => cp.len < n,
            Req::None => false,
        };
        if bad {
            ctx.print_invalid();
        } else if ctx.vflag() > 0
            && let Some(decode) = mt.decoder
        {
            return decode(ctx, cp);
        }
    }
    cp.tcheck(cp.len)
}

/// A TCP segment of OpenFlow messages: `p` the captured payload, `len` its length.
pub fn openflow_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "openflow";
    ctx.push(": OpenFlow");
    let mut cp = Cp::new(p, len);
    while cp.len != 0 {
        let version = cp.u8(0)?;
        cp.fwd(1);
        ctx.push("\n\tversion ");
        tok2str(ctx.out, VERSIONS, "unknown (0x{:02x})", version as u32);
        if cp.len < 1 {
            return partial_header(ctx, cp);
        }
        let ty = cp.u8(0)?;
        cp.fwd(1);
        let mt = match version {
            OF_VER_1_0 => openflow_1_0::msgtype(ty),
            OF_VER_1_3 => openflow_1_3::msgtype(ty),
            _ => None,
        };
        match mt {
            Some(m) => pr!(ctx, ", type {}", m.name),
            None => pr!(ctx, ", type unknown (0x{:02x})", ty),
        }
        if cp.len < 2 {
            return partial_header(ctx, cp);
        }
        let length = cp.u16(0)? as u32;
        cp.fwd(2);
        pr!(
            ctx,
            ", length {}{}",
            length,
            if length < HEADER_LEN {
                " (too short!)"
            } else {
                ""
            }
        );
        if cp.len < 4 {
            return partial_header(ctx, cp);
        }
        pr!(ctx, ", xid 0x{:08x}", cp.u32(0)?);
        cp.fwd(4);
        if length < HEADER_LEN {
            ctx.print_invalid();
            return cp.tcheck(cp.len);
        }
        let body = length - HEADER_LEN;
        message_print(ctx, Cp { len: body, ..cp }, mt)?;
        if body > cp.len {
            break;
        }
        cp.fwd(body);
    }
    Ok(())
}

fn partial_header(ctx: &mut Ctx, cp: Cp) -> PResult {
    ctx.push(" (end of TCP payload)");
    cp.tcheck(cp.len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// An OpenFlow 1.0 HELLO, ECHO_REQUEST with 2 data bytes, and a 1.3 header cut short.
    const SEGMENT: &[u8] = &[
        1, 0, 0, 8, 0, 0, 0, 1, 1, 2, 0, 10, 0, 0, 0, 2, 0xab, 0xcd, 4, 0, 0,
    ];

    fn run(v: u8, p: &[u8], len: u32) -> String {
        run_marked(&opts(v, false), |ctx| openflow_print(ctx, p, len))
    }

    #[test]
    fn messages_in_a_segment() {
        assert_eq!(
            run(1, SEGMENT, 21),
            ": OpenFlow\n\tversion 1.0, type HELLO, length 8, xid 0x00000001\n\tversion 1.0, \
             type ECHO_REQUEST, length 10, xid 0x00000002\n\t data (2 octets)\n\tversion 1.3, \
             type HELLO (end of TCP payload)"
        );
        assert_eq!(
            run(0, &[7, 0, 0, 4, 0, 0, 0, 0], 8),
            ": OpenFlow\n\tversion unknown (0x07), type unknown (0x00), length 4 (too short!), \
             xid 0x00000000 (invalid)"
        );
        assert_eq!(vendor_name(0x5c16c7), "Big Switch Networks");
        assert_eq!(vendor_name(0xff00_0002), "NoviFlow");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(SEGMENT, &verbosities(3), |ctx, p| {
            openflow_print(ctx, p, 21)
        });
    }
}
