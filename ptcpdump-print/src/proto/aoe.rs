//! ATA over Ethernet (Ethernet type 0x88a2), protocol version 1: "AoE: ATA over Ethernet",
//! revision 11 (Brantley Coile, 2009); tcpdump's print-aoe.c.
//!
//! Common header: version/flags, error, major (2), minor, command, tag (4); then the argument
//! of the command: Issue ATA Command, Query Config Information, MAC Mask List, Reserve/Release.

use super::{Ctx, bittok2str, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const AOE_V1: u8 = 1;
const COMMON_HDR_LEN: usize = 10;
const ISSUE_ARG_LEN: usize = 12;
const QUERY_ARG_LEN: usize = 8;
const MAC_ARG_LEN: usize = 4;
const RESERVE_ARG_LEN: usize = 2;
const MAX_CONFSTR_LEN: usize = 1024;
const FLAG_E: u8 = 0x04;
const MAC_LEN: usize = 6;

const CMD_VALUES: &[(u32, &str)] = &[
    (0, "Issue ATA Command"),
    (1, "Query Config Information"),
    (2, "MAC Mask List"),
    (3, "Reserve/Release"),
];

const FLAG_VALUES: &[(u32, &str)] = &[
    (0x08, "Response"),
    (0x04, "Error"),
    (0x02, "MBZ-1"),
    (0x01, "MBZ-0"),
];

const ERRCODE_VALUES: &[(u32, &str)] = &[
    (1, "Unrecognized command code"),
    (2, "Bad argument parameter"),
    (3, "Device unavailable"),
    (4, "Config string present"),
    (5, "Unsupported version"),
    (6, "Target is reserved"),
];

const AFLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "MBZ-7"),
    (0x40, "Ext48"),
    (0x20, "MBZ-5"),
    (0x10, "Device"),
    (0x08, "MBZ-3"),
    (0x04, "MBZ-2"),
    (0x02, "Async"),
    (0x01, "Write"),
];

const CCMD_VALUES: &[(u32, &str)] = &[
    (0, "read config string"),
    (1, "test config string"),
    (2, "test config string prefix"),
    (3, "set config string"),
    (4, "force set config string"),
];

const MCMD_VALUES: &[(u32, &str)] = &[(0, "Read Mac Mask List"), (1, "Edit Mac Mask List")];

const MERROR_VALUES: &[(u32, &str)] = &[
    (1, "Unspecified Error"),
    (2, "Bad DCmd directive"),
    (3, "Mask list full"),
];

const DCMD_VALUES: &[(u32, &str)] = &[
    (0, "No Directive"),
    (1, "Add mac address to mask list"),
    (2, "Delete mac address from mask list"),
];

const RCMD_VALUES: &[(u32, &str)] = &[
    (0, "Read reserve list"),
    (1, "Set reserve list"),
    (2, "Force set reserve list"),
];

/// ` (invalid)`, then the rest of the message must still be captured.
fn invalid(ctx: &mut Ctx, p: &[u8], off: usize, len: usize) -> PResult {
    ctx.print_invalid();
    p.sub(off, len).map(|_| ())
}

/// An AoE message of `len` bytes.
pub fn aoe_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "aoe";
    pr!(ctx, "AoE length {}", len);
    let len = len as usize;
    if len < 1 {
        return invalid(ctx, p, 0, len);
    }
    let ver = p.u8_at(0)? >> 4;
    pr!(ctx, ", Ver {}", ver);
    if ver == AOE_V1 {
        v1_print(ctx, p, len)?;
    }
    Ok(())
}

fn v1_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult {
    if len < COMMON_HDR_LEN {
        return invalid(ctx, p, 0, len);
    }
    let flags = p.u8_at(0)? & 0x0f;
    ctx.push(", Flags: [");
    bittok2str(ctx.out, FLAG_VALUES, "none", flags as u32, ", ");
    ctx.push("]");
    if ctx.vflag() == 0 {
        return Ok(());
    }
    if flags & FLAG_E != 0 {
        let e = p.u8_at(1)?;
        ctx.push("\n\tError: ");
        tok2str(ctx.out, ERRCODE_VALUES, "Invalid ({})", e as u32);
    }
    let major = p.be_u16(2)?;
    pr!(ctx, "\n\tMajor: 0x{:04x}", major);
    let minor = p.u8_at(4)?;
    pr!(ctx, ", Minor: 0x{:02x}", minor);
    let command = p.u8_at(5)?;
    ctx.push(", Command: ");
    tok2str(ctx.out, CMD_VALUES, "Unknown (0x{:02x})", command as u32);
    let tag = p.be_u32(6)?;
    pr!(ctx, ", Tag: 0x{:08x}", tag);
    let arg = p.from(COMMON_HDR_LEN)?;
    let len = len - COMMON_HDR_LEN;
    match command {
        0 => issue_print(ctx, arg, len),
        1 => query_print(ctx, arg, len),
        2 => mac_print(ctx, arg, len),
        3 => reserve_print(ctx, arg, len),
        _ => Ok(()),
    }
}

fn issue_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult {
    if len < ISSUE_ARG_LEN {
        return invalid(ctx, p, 0, len);
    }
    let aflags = p.u8_at(0)?;
    ctx.push("\n\tAFlags: [");
    bittok2str(ctx.out, AFLAG_VALUES, "none", aflags as u32, ", ");
    ctx.push("]");
    pr!(ctx, ", Err/Feature: {}", p.u8_at(1)?);
    pr!(ctx, ", Sector Count: {}", p.u8_at(2)?);
    pr!(ctx, ", Cmd/Status: {}", p.u8_at(3)?);
    for i in 0..6 {
        let lba = p.u8_at(4 + i)?;
        pr!(
            ctx,
            "{}lba{}: {}",
            if i == 0 { "\n\t" } else { ", " },
            i,
            lba
        );
    }
    // Two reserved bytes.
    p.sub(10, 2)?;
    if len > ISSUE_ARG_LEN {
        pr!(ctx, "\n\tData: {} bytes", len - ISSUE_ARG_LEN);
    }
    Ok(())
}

fn query_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult {
    if len < QUERY_ARG_LEN {
        return invalid(ctx, p, 0, len);
    }
    pr!(ctx, "\n\tBuffer Count: {}", p.be_u16(0)?);
    pr!(ctx, ", Firmware Version: {}", p.be_u16(2)?);
    pr!(ctx, ", Sector Count: {}", p.u8_at(4)?);
    let b = p.u8_at(5)?;
    pr!(ctx, ", AoE: {}, CCmd: ", b >> 4);
    // tcpdump's format for unknown values lacks its '%': it prints the text as it is.
    tok2str(ctx.out, CCMD_VALUES, "Unknown (0x02x)", (b & 0x0f) as u32);
    let cslen = p.be_u16(6)? as usize;
    let len = len - QUERY_ARG_LEN;
    if cslen > MAX_CONFSTR_LEN || cslen > len {
        return invalid(ctx, p, QUERY_ARG_LEN, len);
    }
    if cslen > 0 {
        pr!(ctx, "\n\tConfig String (length {}): ", cslen);
        super::util_print::printn(ctx, p.from(QUERY_ARG_LEN)?, cslen)?;
    }
    Ok(())
}

fn mac_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult {
    if len < MAC_ARG_LEN {
        return invalid(ctx, p, 0, len);
    }
    let mcmd = p.u8_at(1)?;
    ctx.push("\n\tMCmd: ");
    tok2str(ctx.out, MCMD_VALUES, "Unknown (0x{:02x})", mcmd as u32);
    let merr = p.u8_at(2)?;
    ctx.push(", MError: ");
    tok2str(ctx.out, MERROR_VALUES, "Unknown (0x{:02x})", merr as u32);
    let dircount = p.u8_at(3)? as usize;
    pr!(ctx, ", Dir Count: {}", dircount);
    let len = len - MAC_ARG_LEN;
    if dircount * 8 > len {
        return invalid(ctx, p, MAC_ARG_LEN, len);
    }
    for i in 0..dircount {
        let off = MAC_ARG_LEN + i * 8;
        let dcmd = p.u8_at(off + 1)?;
        ctx.push("\n\t DCmd: ");
        tok2str(ctx.out, DCMD_VALUES, "Unknown (0x{:02x})", dcmd as u32);
        let a = p.sub(off + 2, MAC_LEN)?;
        ctx.push(", Ethernet Address: ");
        ctx.mac(a);
    }
    Ok(())
}

fn reserve_print(ctx: &mut Ctx, p: &[u8], len: usize) -> PResult {
    if len < RESERVE_ARG_LEN || !(len - RESERVE_ARG_LEN).is_multiple_of(MAC_LEN) {
        return invalid(ctx, p, 0, len);
    }
    let rcmd = p.u8_at(0)?;
    ctx.push("\n\tRCmd: ");
    tok2str(ctx.out, RCMD_VALUES, "Unknown (0x{:02x})", rcmd as u32);
    let nmacs = p.u8_at(1)? as usize;
    pr!(ctx, ", NMacs: {}", nmacs);
    let len = len - RESERVE_ARG_LEN;
    if nmacs * MAC_LEN != len {
        return invalid(ctx, p, RESERVE_ARG_LEN, len);
    }
    for i in 0..nmacs {
        let a = p.sub(RESERVE_ARG_LEN + i * MAC_LEN, MAC_LEN)?;
        pr!(ctx, "\n\tEthernet Address {}: ", i);
        ctx.mac(a);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| aoe_print(ctx, p, p.len() as u32))
    }

    const ATA: &[u8] = &[
        0x10, 0, 0, 0x14, 0, 0, 0, 1, 0xcd, 0x4a, // header
        0x40, 0, 1, 0xec, 0, 0, 0, 0xa0, 0, 0, 0, 0, // ATA arg
        1, 2, 3, // data
    ];

    #[test]
    fn ata_command() {
        assert_eq!(run(0, ATA), "AoE length 25, Ver 1, Flags: [none]");
        assert_eq!(
            run(1, ATA),
            "AoE length 25, Ver 1, Flags: [none]\n\tMajor: 0x0014, Minor: 0x00, Command: Issue \
             ATA Command, Tag: 0x0001cd4a\n\tAFlags: [Ext48], Err/Feature: 0, Sector Count: 1, \
             Cmd/Status: 236\n\tlba0: 0, lba1: 0, lba2: 0, lba3: 160, lba4: 0, lba5: 0\n\tData: 3 bytes"
        );
        assert_eq!(run(1, &[0x00]), "AoE length 1, Ver 0");
    }

    #[test]
    fn query_and_reserve() {
        let q = [
            0x18, 0, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 2, 0, 9, 4, 0x07, 0, 2, b'a', b'b',
        ];
        assert_eq!(
            run(1, &q),
            "AoE length 20, Ver 1, Flags: [Response]\n\tMajor: 0xffff, Minor: 0xff, Command: \
             Query Config Information, Tag: 0x00000000\n\tBuffer Count: 2, Firmware Version: 9, \
             Sector Count: 4, AoE: 0, CCmd: Unknown (0x02x)\n\tConfig String (length 2): ab"
        );
        let r = [
            0x1b, 0, 0x40, 0xf6, 2, 3, 1, 1, 1, 1, 1, 1, 0, 1, 2, 3, 4, 5,
        ];
        let head = "AoE length 18, Ver 1, Flags: [Response, MBZ-1, MBZ-0]\n\tMajor: 0x40f6, \
                    Minor: 0x02, Command: Reserve/Release, Tag: 0x01010101\n\tRCmd: Set reserve \
                    list, NMacs: 1";
        assert_eq!(
            run(1, &r),
            format!("{head}\n\tEthernet Address 0: 00:01:02:03:04:05")
        );
        assert_eq!(
            run_marked(&opts(1, false), |ctx| aoe_print(ctx, &r[..14], 18)),
            format!("{head} [|aoe]")
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(ATA, &verbosities(1), |ctx, p| aoe_print(ctx, p, 25));
    }
}
