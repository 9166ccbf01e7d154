//! Network File System versions 2 and 3 over ONC RPC (NFSv2 RFC 1094, NFSv3 RFC 1813, RPC
//! RFC 5531, record marking over TCP RFC 5531 section 11); tcpdump's print-nfs.c and
//! parsenfsfh.c. UDP and TCP port 2049.
//!
//! ```text
//! RPC call:  xid direction(0) rpcvers prog vers proc cred(flavor, len, body) verf(...) args
//! RPC reply: xid direction(1) reply_stat verf(flavor, len, body) accept_stat results
//! ```
//!
//! Replies carry no procedure number: requests are remembered by transaction ID, client and
//! server (tcpdump's 64-entry ring, [`XidMap`]) to decode the matching replies.

use super::util_print::push_char;
use super::{Ctx, IpHdr, pr, tok2str, tok2str_with};
use crate::cursor::{Bytes, PResult, Truncated};

pub const NFS_PORT: u16 = 2049;

const SUNRPC_CALL: u32 = 0;
const SUNRPC_REPLY: u32 = 1;

// Offsets in an RPC message.
const RM_XID: usize = 0;
const RM_DIRECTION: usize = 4;
const CB_VERS: usize = 16;
const CB_PROC: usize = 20;
const CB_CRED: usize = 24;
const RP_STAT: usize = 8;
const RJ_STAT: usize = 12;

const NFS_VER3: u32 = 3;

const PROC_NULL: u32 = 0;
const PROC_GETATTR: u32 = 1;
const PROC_SETATTR: u32 = 2;
const PROC_LOOKUP: u32 = 3;
const PROC_ACCESS: u32 = 4;
const PROC_READLINK: u32 = 5;
const PROC_READ: u32 = 6;
const PROC_WRITE: u32 = 7;
const PROC_CREATE: u32 = 8;
const PROC_MKDIR: u32 = 9;
const PROC_SYMLINK: u32 = 10;
const PROC_MKNOD: u32 = 11;
const PROC_REMOVE: u32 = 12;
const PROC_RMDIR: u32 = 13;
const PROC_RENAME: u32 = 14;
const PROC_LINK: u32 = 15;
const PROC_READDIR: u32 = 16;
const PROC_READDIRPLUS: u32 = 17;
const PROC_FSSTAT: u32 = 18;
const PROC_FSINFO: u32 = 19;
const PROC_PATHCONF: u32 = 20;
const PROC_COMMIT: u32 = 21;
const PROC_NOOP: u32 = 25;
const NFS_NPROCS: u32 = 26;

/// NFSv2 procedure numbers mapped to the NFSv3 ones used to decode them.
const V2_TO_V3: [u32; NFS_NPROCS as usize] = [
    PROC_NULL,
    PROC_GETATTR,
    PROC_SETATTR,
    PROC_NOOP,
    PROC_LOOKUP,
    PROC_READLINK,
    PROC_READ,
    PROC_NOOP,
    PROC_WRITE,
    PROC_CREATE,
    PROC_REMOVE,
    PROC_RENAME,
    PROC_LINK,
    PROC_SYMLINK,
    PROC_MKDIR,
    PROC_RMDIR,
    PROC_READDIR,
    PROC_FSSTAT,
    PROC_NOOP,
    PROC_NOOP,
    PROC_NOOP,
    PROC_NOOP,
    PROC_NOOP,
    PROC_NOOP,
    PROC_NOOP,
    PROC_NOOP,
];

const PROC_NAMES: &[(u32, &str)] = &[
    (PROC_NOOP, "nop"),
    (PROC_NULL, "null"),
    (PROC_GETATTR, "getattr"),
    (PROC_SETATTR, "setattr"),
    (PROC_LOOKUP, "lookup"),
    (PROC_ACCESS, "access"),
    (PROC_READLINK, "readlink"),
    (PROC_READ, "read"),
    (PROC_WRITE, "write"),
    (PROC_CREATE, "create"),
    (PROC_MKDIR, "mkdir"),
    (PROC_SYMLINK, "symlink"),
    (PROC_MKNOD, "mknod"),
    (PROC_REMOVE, "remove"),
    (PROC_RMDIR, "rmdir"),
    (PROC_RENAME, "rename"),
    (PROC_LINK, "link"),
    (PROC_READDIR, "readdir"),
    (PROC_READDIRPLUS, "readdirplus"),
    (PROC_FSSTAT, "fsstat"),
    (PROC_FSINFO, "fsinfo"),
    (PROC_PATHCONF, "pathconf"),
    (PROC_COMMIT, "commit"),
];

/// NFS status codes (tcpdump's `status2str`, with BSD's errno texts).
const STATUS: &[(u32, &str)] = &[
    (1, "Operation not permitted"),
    (2, "No such file or directory"),
    (5, "Input/output error"),
    (6, "Device not configured"),
    (11, "Resource deadlock avoided"),
    (12, "Cannot allocate memory"),
    (13, "Permission denied"),
    (17, "File exists"),
    (18, "Cross-device link"),
    (19, "Operation not supported by device"),
    (20, "Not a directory"),
    (21, "Is a directory"),
    (22, "Invalid argument"),
    (26, "Text file busy"),
    (27, "File too large"),
    (28, "No space left on device"),
    (30, "Read-only file system"),
    (31, "Too many links"),
    (45, "Operation not supported"),
    (62, "Too many levels of symbolic links"),
    (63, "File name too long"),
    (66, "Directory not empty"),
    (69, "Disc quota exceeded"),
    (70, "Stale NFS file handle"),
    (71, "Too many levels of remote in path"),
    (99, "Write cache flushed to disk"),
    (10001, "Illegal NFS file handle"),
    (10002, "Update synchronization mismatch"),
    (10003, "READDIR/READDIRPLUS cookie is stale"),
    (10004, "Operation not supported"),
    (10005, "Buffer or request is too small"),
    (10006, "Unspecified error on server"),
    (10007, "Object of that type not supported"),
    (10008, "Request couldn't be completed in time"),
];

const WRITE_MODES: &[(u32, &str)] = &[(0, "unstable"), (1, "datasync"), (2, "filesync")];

const FILE_TYPES: &[(u32, &str)] = &[
    (0, "NON"),
    (1, "REG"),
    (2, "DIR"),
    (3, "BLK"),
    (4, "CHR"),
    (5, "LNK"),
    (7, "FIFO"),
];

const AUTH_STATUS: &[(u32, &str)] = &[
    (0, "OK"),
    (1, "Bogus Credentials (seal broken)"),
    (2, "Rejected Credentials (client should begin new session)"),
    (3, "Bogus Verifier (seal broken)"),
    (4, "Verifier expired or was replayed"),
    (5, "Credentials are too weak"),
    (6, "Bogus response verifier"),
    (7, "Unknown failure"),
];

const ACCEPT_STATUS: &[(u32, &str)] = &[
    (1, "PROG_UNAVAIL"),
    (2, "PROG_MISMATCH"),
    (3, "PROC_UNAVAIL"),
    (4, "GARBAGE_ARGS"),
    (5, "SYSTEM_ERR"),
];

const ACCESS_READ: u32 = 0x01;
const ACCESS_FULL: u32 = 0x3f;
const ACCESS_NAMES: [&str; 6] = [
    "NFS_ACCESS_READ",
    "NFS_ACCESS_LOOKUP",
    "NFS_ACCESS_MODIFY",
    "NFS_ACCESS_EXTEND",
    "NFS_ACCESS_DELETE",
    "NFS_ACCESS_EXECUTE",
];

const V2_FH_LEN: usize = 32;
const V3_FH_MAX: usize = 64;
const V2_FATTR_LEN: usize = 68;
const V3_FATTR_LEN: usize = 84;
const V2_STATFS_LEN: usize = 20;
const V3_STATFS_LEN: usize = 52;
const FSINFO_LEN: usize = 48;
const PATHCONF_LEN: usize = 24;

/// Why a decode stopped.
enum Fail {
    /// A local `goto trunc` (or an error already explained): ` [|nfs]` unless suppressed.
    Local,
    /// A read past the capture: tcpdump's longjmp.
    Jmp,
}

impl From<Truncated> for Fail {
    fn from(_: Truncated) -> Self {
        Fail::Jmp
    }
}

type R<T = ()> = Result<T, Fail>;

/// The outcome of a decoder at the top: ` [|nfs]` for a local stop, a longjmp passed on.
fn finish(ctx: &mut Ctx, r: R, trunc_marker: bool) -> PResult {
    match r {
        Ok(()) => Ok(()),
        Err(Fail::Local) => {
            if trunc_marker {
                ctx.print_trunc();
            }
            Ok(())
        }
        Err(Fail::Jmp) => Err(Truncated),
    }
}

/// `ND_TCHECK_LEN`: the bytes must be captured, else a local stop.
fn tcheck(p: &[u8], off: usize, len: usize) -> R {
    if p.has(off, len) {
        Ok(())
    } else {
        Err(Fail::Local)
    }
}

/// `roundup2(len, 4)` with C's unsigned wrap-around.
fn round4(len: u32) -> u32 {
    len.wrapping_add(3) & !3
}

#[derive(Clone, Copy, Default)]
struct XidEntry {
    xid: u32,
    /// 0 for an unused entry.
    ipver: u8,
    client: [u8; 16],
    server: [u8; 16],
    proc_: u32,
    vers: u32,
}

/// Recent NFS calls (tcpdump's `xid_map`): a ring of 64 entries searched from the last hit.
pub struct XidMap {
    entries: [XidEntry; 64],
    next: usize,
    hint: usize,
}

impl Default for XidMap {
    fn default() -> Self {
        XidMap {
            entries: [XidEntry::default(); 64],
            next: 0,
            hint: 0,
        }
    }
}

fn addr16(a: &[u8]) -> [u8; 16] {
    let mut b = [0u8; 16];
    let n = a.len().min(16);
    b[..n].copy_from_slice(&a[..n]);
    b
}

impl XidMap {
    /// Remembers a call; `false` when its procedure number is not captured.
    fn enter(&mut self, rp: &[u8], ip: &IpHdr) -> PResult<bool> {
        if !rp.has(CB_PROC, 4) {
            return Ok(false);
        }
        if ip.ver != 4 && ip.ver != 6 {
            return Ok(true);
        }
        let slot = self.next;
        self.next = (self.next + 1) % self.entries.len();
        self.entries[slot] = XidEntry {
            xid: rp.be_u32(RM_XID)?,
            ipver: ip.ver,
            client: addr16(ip.src),
            server: addr16(ip.dst),
            proc_: rp.be_u32(CB_PROC)?,
            vers: rp.be_u32(CB_VERS)?,
        };
        Ok(true)
    }

    /// The procedure and version of the call a reply answers.
    fn find(&mut self, rp: &[u8], ip: &IpHdr) -> PResult<Option<(u32, u32)>> {
        let xid = rp.be_u32(RM_XID)?;
        let (src, dst) = (addr16(ip.src), addr16(ip.dst));
        let n = if ip.ver == 6 { 16 } else { 4 };
        let mut i = self.hint;
        loop {
            let e = &self.entries[i];
            if e.ipver == ip.ver
                && e.xid == xid
                && (ip.ver == 4 || ip.ver == 6)
                && src[..n] == e.server[..n]
                && dst[..n] == e.client[..n]
            {
                self.hint = i;
                return Ok(Some((e.proc_, e.vers)));
            }
            i = (i + 1) % self.entries.len();
            if i == self.hint {
                return Ok(None);
            }
        }
    }
}

/// The NFS part of print-udp.c: with ports 2049 and a captured direction, a call to or a
/// reply from the NFS port is printed (after the addresses). Returns `Ok(false)` otherwise.
pub fn udp_nfs_print(
    ctx: &mut Ctx,
    sport: u16,
    dport: u16,
    rp: &[u8],
    length: u32,
    ip: &IpHdr,
) -> PResult<bool> {
    if !rp.has(RM_DIRECTION, 4) {
        return Ok(false);
    }
    let direction = rp.be_u32(RM_DIRECTION)?;
    if dport == NFS_PORT && direction == SUNRPC_CALL {
        pr!(ctx, "NFS request xid {} ", rp.be_u32(RM_XID)?);
        nfsreq_noaddr_print(ctx, rp, length, ip)?;
        return Ok(true);
    }
    if sport == NFS_PORT && direction == SUNRPC_REPLY {
        pr!(ctx, "NFS reply xid {} ", rp.be_u32(RM_XID)?);
        nfsreply_noaddr_print(ctx, rp, length, ip)?;
        return Ok(true);
    }
    Ok(false)
}

/// The NFS part of print-tcp.c: a record mark (last-fragment bit and length) then an RPC
/// message to or from port 2049.
pub fn tcp_nfs_print(
    ctx: &mut Ctx,
    sport: u16,
    dport: u16,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
) -> PResult {
    if length < 4 || !p.has(0, 4) {
        return Ok(());
    }
    let fraglen = (p.be_u32(0)? & 0x7fff_ffff).min(length - 4);
    let rp = &p[4..];
    if !rp.has(RM_DIRECTION, 4) {
        return Ok(());
    }
    let direction = rp.be_u32(RM_DIRECTION)?;
    if dport == NFS_PORT && direction == SUNRPC_CALL {
        pr!(ctx, ": NFS request xid {} ", rp.be_u32(RM_XID)?);
        nfsreq_noaddr_print(ctx, rp, fraglen, ip)?;
    } else if sport == NFS_PORT && direction == SUNRPC_REPLY {
        pr!(ctx, ": NFS reply xid {} ", rp.be_u32(RM_XID)?);
        nfsreply_noaddr_print(ctx, rp, fraglen, ip)?;
    }
    Ok(())
}

/// `-T rpc` replies: `src.2049 > dst.<xid>: ` then the reply.
pub fn nfsreply_print(ctx: &mut Ctx, rp: &[u8], length: u32, ip: &IpHdr) -> PResult {
    ctx.protocol = "nfs";
    let xid = rp.be_u32(RM_XID)?;
    nfsaddr_print(ctx, ip, "2049", xid);
    nfsreply_noaddr_print(ctx, rp, length, ip)
}

fn nfsaddr_print(ctx: &mut Ctx, ip: &IpHdr, src_id: &str, dst_id: u32) {
    if ip.ver == 4 || ip.ver == 6 {
        ctx.ip(ip.src);
        pr!(ctx, ".{} > ", src_id);
        ctx.ip(ip.dst);
    } else {
        pr!(ctx, "?.{} > ?", src_id);
    }
    pr!(ctx, ".{}: ", dst_id);
}

/// A reply to an NFS call: its status and, if the call was seen, its results.
pub fn nfsreply_noaddr_print(ctx: &mut Ctx, rp: &[u8], length: u32, ip: &IpHdr) -> PResult {
    ctx.protocol = "nfs";
    let r = reply_print(ctx, rp, length, ip);
    finish(ctx, r, true)
}

fn reply_print(ctx: &mut Ctx, rp: &[u8], length: u32, ip: &IpHdr) -> R {
    tcheck(rp, RP_STAT, 4)?;
    match rp.be_u32(RP_STAT)? {
        0 => {
            pr!(ctx, "reply ok {}", length);
            if let Some((proc_, vers)) = ctx.state.nfs.find(rp, ip)? {
                let mut nfserr = false;
                let r = interp_reply(ctx, rp, proc_, vers, length, &mut nfserr);
                // A reply whose error was printed gets no truncation marker.
                return match r {
                    Err(Fail::Local) if nfserr => Ok(()),
                    r => r,
                };
            }
        }
        1 => {
            pr!(ctx, "reply ERR {}: ", length);
            tcheck(rp, RJ_STAT, 4)?;
            match rp.be_u32(RJ_STAT)? {
                0 => {
                    tcheck(rp, RJ_STAT + 8, 4)?;
                    let (low, high) = (rp.be_u32(RJ_STAT + 4)?, rp.be_u32(RJ_STAT + 8)?);
                    pr!(ctx, "RPC Version mismatch ({}-{})", low, high);
                }
                1 => {
                    tcheck(rp, RJ_STAT + 4, 4)?;
                    let why = rp.be_u32(RJ_STAT + 4)?;
                    ctx.push("Auth ");
                    tok2str(ctx.out, AUTH_STATUS, "Invalid failure code {}", why);
                }
                s => pr!(ctx, "Unknown reason for rejecting rpc message {}", s),
            }
        }
        s => pr!(ctx, "reply Unknown rpc response code={} {}", s, length),
    }
    Ok(())
}

/// A call to an NFS server: its length, procedure and arguments.
pub fn nfsreq_noaddr_print(ctx: &mut Ctx, rp: &[u8], length: u32, ip: &IpHdr) -> PResult {
    ctx.protocol = "nfs";
    pr!(ctx, "{}", length);
    let r = request_print(ctx, rp, length, ip);
    finish(ctx, r, true)
}

fn proc_name(ctx: &mut Ctx, proc_: u32) {
    ctx.push(" ");
    tok2str(ctx.out, PROC_NAMES, "proc-{}", proc_);
}

fn request_print(ctx: &mut Ctx, rp: &[u8], length: u32, ip: &IpHdr) -> R {
    if !ctx.state.nfs.enter(rp, ip)? {
        return Err(Fail::Local);
    }
    let v3 = rp.be_u32(CB_VERS)? == NFS_VER3;
    let mut proc_ = rp.be_u32(CB_PROC)?;
    if !v3 && proc_ < NFS_NPROCS {
        proc_ = V2_TO_V3[proc_ as usize];
    }
    proc_name(ctx, proc_);
    let v = ctx.vflag();
    match proc_ {
        PROC_GETATTR | PROC_SETATTR | PROC_READLINK | PROC_FSSTAT | PROC_FSINFO | PROC_PATHCONF => {
            let dp = parsereq(rp, length)?;
            parsefh(ctx, rp, dp, v3)?;
        }
        PROC_LOOKUP | PROC_CREATE | PROC_MKDIR | PROC_REMOVE | PROC_RMDIR => {
            let dp = parsereq(rp, length)?;
            parsefhn(ctx, rp, dp, v3)?;
        }
        PROC_ACCESS => {
            let dp = parsereq(rp, length)?;
            let dp = parsefh(ctx, rp, dp, v3)?;
            let flags = rp.be_u32(dp)?;
            if flags & !ACCESS_FULL != 0 {
                pr!(ctx, " {:04x}", flags);
            } else if flags & ACCESS_FULL == ACCESS_FULL {
                ctx.push(" NFS_ACCESS_FULL");
            } else {
                let mut sep = ' ';
                for (i, name) in ACCESS_NAMES.iter().enumerate() {
                    if flags & (ACCESS_READ << i) != 0 {
                        pr!(ctx, "{}{}", sep, name);
                        sep = '|';
                    }
                }
            }
        }
        PROC_READ => {
            let dp = parsereq(rp, length)?;
            let dp = parsefh(ctx, rp, dp, v3)?;
            if v3 {
                let (count, off) = (rp.be_u32(dp + 8)?, rp.be_u64(dp)?);
                pr!(ctx, " {} bytes @ {}", count, off);
            } else {
                let (count, off) = (rp.be_u32(dp + 4)?, rp.be_u32(dp)?);
                pr!(ctx, " {} bytes @ {}", count, off);
            }
        }
        PROC_WRITE => {
            let dp = parsereq(rp, length)?;
            let dp = parsefh(ctx, rp, dp, v3)?;
            if v3 {
                let (len, count, off) = (rp.be_u32(dp + 16)?, rp.be_u32(dp + 8)?, rp.be_u64(dp)?);
                pr!(ctx, " {} ({}) bytes @ {}", len, count, off);
                if v > 0 {
                    let mode = rp.be_u32(dp + 12)?;
                    ctx.push(" <");
                    write_mode(ctx, mode);
                    ctx.push(">");
                }
            } else {
                let w = [
                    rp.be_u32(dp + 12)?,
                    rp.be_u32(dp + 8)?,
                    rp.be_u32(dp + 4)?,
                    rp.be_u32(dp)?,
                ];
                pr!(ctx, " {} ({}) bytes @ {} ({})", w[0], w[1], w[2], w[3]);
            }
        }
        PROC_SYMLINK => {
            let dp = parsereq(rp, length)?;
            let mut dp = parsefhn(ctx, rp, dp, v3)?;
            ctx.push(" ->");
            let mut sa = Sattr3::default();
            if v3 {
                dp = sa.parse(rp, dp)?;
            }
            parsefn(ctx, rp, dp)?;
            if v3 && v > 0 {
                sa.print(ctx, v);
            }
        }
        PROC_MKNOD => {
            let dp = parsereq(rp, length)?;
            let dp = parsefhn(ctx, rp, dp, v3)?;
            let ty = rp.be_u32(dp)?;
            let mut sa = Sattr3::default();
            let dp = sa.parse(rp, dp + 4)?;
            ctx.push(" ");
            tok2str(ctx.out, FILE_TYPES, "unk-ft {}", ty);
            if v > 0 && (ty == 4 || ty == 3) {
                let (major, minor) = (rp.be_u32(dp)?, rp.be_u32(dp + 4)?);
                pr!(ctx, " {}/{}", major, minor);
            }
            if v > 0 {
                sa.print(ctx, v);
            }
        }
        PROC_RENAME => {
            let dp = parsereq(rp, length)?;
            let dp = parsefhn(ctx, rp, dp, v3)?;
            ctx.push(" ->");
            parsefhn(ctx, rp, dp, v3)?;
        }
        PROC_LINK => {
            let dp = parsereq(rp, length)?;
            let dp = parsefh(ctx, rp, dp, v3)?;
            ctx.push(" ->");
            parsefhn(ctx, rp, dp, v3)?;
        }
        PROC_READDIR => {
            let dp = parsereq(rp, length)?;
            let dp = parsefh(ctx, rp, dp, v3)?;
            if v3 {
                let (count, cookie) = (rp.be_u32(dp + 16)?, rp.be_u64(dp)? as i64);
                pr!(ctx, " {} bytes @ {}", count, cookie);
                if v > 0 {
                    let (a, b) = (rp.be_u32(dp + 8)?, rp.be_u32(dp + 12)?);
                    pr!(ctx, " verf {:08x}{:08x}", a, b);
                }
            } else {
                let (count, cookie) = (rp.be_u32(dp + 4)?, rp.be_u32(dp)?);
                pr!(ctx, " {} bytes @ {}", count, cookie);
            }
        }
        PROC_READDIRPLUS => {
            let dp = parsereq(rp, length)?;
            let dp = parsefh(ctx, rp, dp, v3)?;
            let (count, cookie) = (rp.be_u32(dp + 16)?, rp.be_u64(dp)? as i64);
            pr!(ctx, " {} bytes @ {}", count, cookie);
            if v > 0 {
                let (max, a, b) = (rp.be_u32(dp + 20)?, rp.be_u32(dp + 8)?, rp.be_u32(dp + 12)?);
                pr!(ctx, " max {} verf {:08x}{:08x}", max, a, b);
            }
        }
        PROC_COMMIT => {
            let dp = parsereq(rp, length)?;
            let dp = parsefh(ctx, rp, dp, v3)?;
            let (count, off) = (rp.be_u32(dp + 8)?, rp.be_u64(dp)?);
            pr!(ctx, " {} bytes @ {}", count, off);
        }
        _ => {}
    }
    Ok(())
}

/// A stable-how value (`tok2str(..., NULL, ...)`: unknown values as a signed `#N`).
fn write_mode(ctx: &mut Ctx, mode: u32) {
    tok2str_with(ctx.out, WRITE_MODES, mode, |o| {
        use std::fmt::Write;
        let _ = write!(o, "#{}", mode as i32);
    });
}

/// `parsereq`: the offset of the call's arguments, past the credentials and verifier.
fn parsereq(rp: &[u8], length: u32) -> R<usize> {
    let mut dp = CB_CRED;
    let mut length = length;
    if length < 8 {
        return Err(Fail::Local);
    }
    let len = rp.be_u32(dp + 4)?;
    let rounded = round4(len);
    tcheck(rp, dp + 8, rounded as usize)?;
    if 8 + rounded as u64 > length as u64 {
        return Err(Fail::Local);
    }
    // (len + 11) / 4 words, computed in 64 bits as tcpdump's size_t arithmetic is.
    dp += ((len as usize + 11) / 4) * 4;
    length -= 8 + rounded;
    if length < 8 {
        return Err(Fail::Local);
    }
    let len = rp.be_u32(dp + 4)?;
    let rounded = round4(len);
    tcheck(rp, dp + 8, rounded as usize)?;
    if 8 + (rounded as u64) < length as u64 {
        Ok(dp + ((len as usize + 11) / 4) * 4)
    } else {
        Err(Fail::Local)
    }
}

/// `parsefh`: a file handle (v2: 32 bytes; v3: a length then the bytes) printed as ` fh ...`.
fn parsefh(ctx: &mut Ctx, rp: &[u8], dp: usize, v3: bool) -> R<usize> {
    let (words, dp) = if v3 {
        (rp.be_u32(dp)? / 4, dp + 4)
    } else {
        ((V2_FH_LEN / 4) as u32, dp)
    };
    let n = words as usize * 4;
    let Ok(fh) = rp.sub(dp, n) else {
        return Err(Fail::Local);
    };
    printfh(ctx, fh, words);
    Ok(dp + n)
}

/// `parsefn`: a file name in quotes (a length, then the bytes padded to 4).
fn parsefn(ctx: &mut Ctx, rp: &[u8], dp: usize) -> R<usize> {
    let len = rp.be_u32(dp)?;
    let dp = dp + 4;
    if u32::MAX - len < 3 {
        ctx.push("[cannot pad to 32-bit boundaries]");
        ctx.print_invalid();
        return Err(Fail::Local);
    }
    let rounded = round4(len) as usize;
    tcheck(rp, dp, rounded)?;
    ctx.push("\"");
    for &c in &rp[dp..dp + len as usize] {
        push_char(ctx.out, c);
    }
    ctx.push("\"");
    Ok(dp + rounded)
}

/// `parsefhn`: a file handle and a name.
fn parsefhn(ctx: &mut Ctx, rp: &[u8], dp: usize, v3: bool) -> R<usize> {
    let dp = parsefh(ctx, rp, dp, v3)?;
    ctx.push(" ");
    parsefn(ctx, rp, dp)
}

/// NFSv3 settable attributes (`sattr3`): each field present only when its flag is set.
#[derive(Default)]
struct Sattr3 {
    mode: Option<u32>,
    uid: Option<u32>,
    gid: Option<u32>,
    atime: Option<(u32, u32)>,
    mtime: Option<(u32, u32)>,
}

impl Sattr3 {
    fn parse(&mut self, rp: &[u8], mut dp: usize) -> R<usize> {
        let opt = |dp: &mut usize| -> R<Option<u32>> {
            let set = rp.be_u32(*dp)?;
            *dp += 4;
            if set == 0 {
                return Ok(None);
            }
            let v = rp.be_u32(*dp)?;
            *dp += 4;
            Ok(Some(v))
        };
        self.mode = opt(&mut dp)?;
        self.uid = opt(&mut dp)?;
        self.gid = opt(&mut dp)?;
        let _size = opt(&mut dp)?;
        // A time is sent only as SET_TO_CLIENT_TIME (2).
        let time = |dp: &mut usize| -> R<Option<(u32, u32)>> {
            let how = rp.be_u32(*dp)?;
            *dp += 4;
            if how != 2 {
                return Ok(None);
            }
            let t = (rp.be_u32(*dp)?, rp.be_u32(*dp + 4)?);
            *dp += 8;
            Ok(Some(t))
        };
        self.atime = time(&mut dp)?;
        self.mtime = time(&mut dp)?;
        Ok(dp)
    }

    fn print(&self, ctx: &mut Ctx, verbose: u8) {
        if let Some(m) = self.mode {
            pr!(ctx, " mode {:o}", m);
        }
        if let Some(u) = self.uid {
            pr!(ctx, " uid {}", u);
        }
        if let Some(g) = self.gid {
            pr!(ctx, " gid {}", g);
        }
        if verbose > 1 {
            if let Some((s, ns)) = self.atime {
                pr!(ctx, " atime {}.{:06}", s, ns);
            }
            if let Some((s, ns)) = self.mtime {
                pr!(ctx, " mtime {}.{:06}", s, ns);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// File handles (parsenfsfh.c): the server's OS is guessed from the handle's layout to find its
// file system ID and inode number.

#[derive(Clone, Copy, PartialEq, Eq)]
enum FhType {
    Unknown,
    Auspex,
    DecOsf,
    Irix4,
    SunOs4,
    Ultrix,
    VmsUcx,
    SunOs5,
    HpUx9,
    Bsd44,
}

/// `is_UCX`: bytes 1..14 are printable text, possibly ended by NULs (a VMS device name).
fn is_ucx(fh: &[u8], words: u32) -> bool {
    if words < 7 {
        return false;
    }
    let mut seen_null = false;
    for &c in &fh[1..14] {
        if (0x20..0x7f).contains(&c) {
            if seen_null {
                return false;
            }
        } else if c == 0 {
            seen_null = true;
        } else {
            return false;
        }
    }
    true
}

fn fh_type(fh: &[u8], words: u32) -> FhType {
    if words < 4 {
        return FhType::Unknown;
    }
    let b = |i: usize| fh[i];
    if b(0) == 0 && b(1) == 0 {
        if b(2) == 0 && b(3) == 0 {
            FhType::Auspex
        } else if b(4) != 0 && b(5) == 0 && b(8) == 12 && b(9) == 0 {
            FhType::DecOsf
        } else if b(4) == 0 && b(5) == 8 && b(6) == 0 && b(7) == 0 {
            FhType::Irix4
        } else {
            FhType::SunOs4
        }
    } else if b(2) == 0 && b(3) == 0 {
        if b(6) == 0 && b(7) == 0 {
            FhType::Bsd44
        } else if words >= 6 && b(21) == 0 && b(23) == 0 {
            FhType::Ultrix
        } else if b(9) == 10 {
            FhType::SunOs5
        } else {
            FhType::Unknown
        }
    } else if b(8) == 12 && b(9) == 0 {
        FhType::DecOsf
    } else if b(8) == 0 && b(9) == 10 {
        if b(7) == 0 && b(6) == 0 && b(5) == 0 && b(4) == 0 {
            FhType::HpUx9
        } else {
            FhType::SunOs5
        }
    } else if is_ucx(fh, words) {
        FhType::VmsUcx
    } else {
        FhType::Unknown
    }
}

/// `nfs_printfh`: ` fh MAJOR,MINOR/INODE`, or ` fh NAME/...` for VMS and unknown layouts.
fn printfh(ctx: &mut Ctx, fh: &[u8], words: u32) {
    let le32 = |i: usize| u32::from_le_bytes([fh[i], fh[i + 1], fh[i + 2], fh[i + 3]]);
    let be32 = |i: usize| u32::from_be_bytes([fh[i], fh[i + 1], fh[i + 2], fh[i + 3]]);
    let ty = fh_type(fh, words);
    // (major, minor, inode)
    let (major, minor, ino) = match ty {
        FhType::Auspex => (fh[6] as u32, fh[7] as u32, be32(12)),
        FhType::Bsd44 => (fh[1] as u32, fh[0] as u32, le32(12)),
        FhType::DecOsf => {
            let t = le32(0);
            ((t >> 20) & 0xfff, t & 0xfffff, le32(12))
        }
        FhType::Irix4 => (fh[2] as u32, fh[3] as u32, be32(8)),
        FhType::SunOs4 => (fh[2] as u32, fh[3] as u32, be32(12)),
        FhType::SunOs5 => {
            let major = (u16::from_be_bytes([fh[0], fh[1]]) as u32 >> 2) & 0x3fff;
            let minor = u32::from_be_bytes([0, fh[1], fh[2], fh[3]]) & 0x3ffff;
            (major, minor, be32(12))
        }
        FhType::Ultrix => (fh[1] as u32, fh[0] as u32, le32(4)),
        FhType::HpUx9 => (
            fh[0] as u32,
            u32::from_be_bytes([0, fh[1], fh[2], fh[3]]),
            be32(12),
        ),
        // tcpdump copies the first 14 bytes over its (little-endian) device numbers.
        FhType::VmsUcx => (
            le32(4),
            le32(0),
            (fh[26] as u32) << 24
                | (fh[27] as u32) << 16
                | u16::from_le_bytes([fh[22], fh[23]]) as u32,
        ),
        FhType::Unknown => (257, 257, 1),
    };
    match ty {
        FhType::VmsUcx | FhType::Unknown => {
            // The server's file system name: at most `words` characters, up to a NUL or space.
            let name: &[u8] = if ty == FhType::Unknown {
                b"Unknown"
            } else {
                &fh[1..]
            };
            ctx.push(" fh ");
            let max = (words as usize).min(V3_FH_MAX);
            for &c in name.iter().take(max).take_while(|&&c| c != 0 && c != b' ') {
                push_char(ctx.out, c);
            }
            ctx.push("/");
        }
        _ => pr!(ctx, " fh {},{}/", major, minor),
    }
    if minor == 257 {
        match ty {
            FhType::Unknown => {
                for &b in fh.iter().take(32) {
                    pr!(ctx, "{:02X}", b);
                }
            }
            // The VMS handle's bytes 8..14 stand where tcpdump keeps the opaque handle.
            FhType::VmsUcx => {
                for &c in fh[8..14].iter().take_while(|&&c| c != 0) {
                    push_char(ctx.out, c);
                }
            }
            // tcpdump prints an opaque handle it never filled in for these layouts; nothing
            // is the sane reading of that.
            _ => {}
        }
    } else {
        pr!(ctx, "{}", ino);
    }
}

// ---------------------------------------------------------------------------------------------
// Replies.

/// `parserep`: the offset of the results, past the verifier and the accept status.
fn parserep(ctx: &mut Ctx, rp: &[u8], length: u32, nfserr: &mut bool) -> R<usize> {
    let dp = RP_STAT + 4;
    let len = rp.be_u32(dp + 4)?;
    if len >= length {
        return Err(Fail::Local);
    }
    let dp = dp + ((len as usize + 11) / 4) * 4;
    let astat = rp.be_u32(dp)?;
    if astat != 0 {
        ctx.push(" ");
        tok2str(ctx.out, ACCEPT_STATUS, "ar_stat {}", astat);
        *nfserr = true;
        return Err(Fail::Local);
    }
    tcheck(rp, dp, 4)?;
    Ok(dp + 4)
}

/// `parsestatus`: the NFS status; returns it and the offset after it.
fn parsestatus(ctx: &mut Ctx, rp: &[u8], dp: usize, nfserr: &mut bool) -> R<(u32, usize)> {
    let er = rp.be_u32(dp)?;
    if er != 0 {
        if !ctx.qflag() {
            ctx.push(" ERROR: ");
            tok2str(ctx.out, STATUS, "unk {}", er);
        }
        *nfserr = true;
    }
    Ok((er, dp + 4))
}

/// `parsefattr`: file attributes (v2 68 bytes, v3 84).
fn parsefattr(ctx: &mut Ctx, rp: &[u8], dp: usize, verbose: u8, v3: bool) -> R<usize> {
    tcheck(rp, dp + 16, 4)?;
    let w = |i: usize| rp.be_u32(dp + i);
    if verbose > 0 {
        let (ty, mode, uid, gid) = (w(0)?, w(4)?, w(12)? as i32, w(16)? as i32);
        ctx.push(" ");
        tok2str(ctx.out, FILE_TYPES, "unk-ft {} ", ty);
        pr!(ctx, " {:o} ids {}/{}", mode, uid, gid);
        if v3 {
            pr!(ctx, " sz {}", rp.be_u64(dp + 20)?);
        } else {
            pr!(ctx, " sz {}", w(20)?);
        }
    }
    if verbose > 1 {
        if v3 {
            tcheck(rp, dp + 76, 8)?;
            pr!(ctx, " nlink {} rdev {}/{}", w(8)?, w(36)?, w(40)?);
            pr!(ctx, " fsid {:x}", rp.be_u64(dp + 44)?);
            pr!(ctx, " fileid {:x}", rp.be_u64(dp + 52)?);
            pr!(ctx, " a/m/ctime {}.{:06}", w(60)?, w(64)?);
            pr!(ctx, " {}.{:06}", w(68)?, w(72)?);
            pr!(ctx, " {}.{:06}", w(76)?, w(80)?);
        } else {
            tcheck(rp, dp + 60, 8)?;
            pr!(
                ctx,
                " nlink {} rdev 0x{:x} fsid 0x{:x} nodeid 0x{:x} a/m/ctime",
                w(8)?,
                w(28)?,
                w(36)?,
                w(40)?
            );
            pr!(ctx, " {}.{:06}", w(44)?, w(48)?);
            pr!(ctx, " {}.{:06}", w(52)?, w(56)?);
            pr!(ctx, " {}.{:06}", w(60)?, w(64)?);
        }
    }
    Ok(dp + if v3 { V3_FATTR_LEN } else { V2_FATTR_LEN })
}

/// `parseattrstat`: a status, then attributes unless it is an error.
fn parseattrstat(
    ctx: &mut Ctx,
    rp: &[u8],
    dp: usize,
    verbose: u8,
    v3: bool,
    nfserr: &mut bool,
) -> R {
    let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
    if er == 0 {
        parsefattr(ctx, rp, dp, verbose, v3)?;
    }
    Ok(())
}

/// `parsediropres`: NFSv2 status, file handle and attributes.
fn parsediropres(ctx: &mut Ctx, rp: &[u8], dp: usize, nfserr: &mut bool) -> R {
    let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
    if er != 0 {
        return Ok(());
    }
    let dp = parsefh(ctx, rp, dp, false)?;
    parsefattr(ctx, rp, dp, ctx.vflag(), false)?;
    Ok(())
}

/// `parse_wcc_attr`: size and times before an operation.
fn wcc_attr_print(ctx: &mut Ctx, rp: &[u8], dp: usize) -> R<usize> {
    pr!(ctx, " sz {}", rp.be_u64(dp)?);
    let w = |i: usize| rp.be_u32(dp + 4 * i);
    let t = (w(2)?, w(3)?, w(4)?, w(5)?);
    pr!(ctx, " mtime {}.{:06} ctime {}.{:06}", t.0, t.1, t.2, t.3);
    Ok(dp + 24)
}

/// `parse_pre_op_attr`: printed only with `-vv`.
fn pre_op_attr(ctx: &mut Ctx, rp: &[u8], dp: usize, verbose: u8) -> R<usize> {
    if rp.be_u32(dp)? == 0 {
        return Ok(dp + 4);
    }
    let dp = dp + 4;
    tcheck(rp, dp, 24)?;
    if verbose > 1 {
        wcc_attr_print(ctx, rp, dp)
    } else {
        Ok(dp + 24)
    }
}

/// `parse_post_op_attr`: printed with `-v`.
fn post_op_attr(ctx: &mut Ctx, rp: &[u8], dp: usize, verbose: u8) -> R<usize> {
    if rp.be_u32(dp)? == 0 {
        return Ok(dp + 4);
    }
    let dp = dp + 4;
    if verbose > 0 {
        parsefattr(ctx, rp, dp, verbose, true)
    } else {
        Ok(dp + V3_FATTR_LEN)
    }
}

/// `parse_wcc_data`: attributes before and after an operation.
fn wcc_data(ctx: &mut Ctx, rp: &[u8], dp: usize, verbose: u8) -> R<usize> {
    if verbose > 1 {
        ctx.push(" PRE:");
    }
    let dp = pre_op_attr(ctx, rp, dp, verbose)?;
    if verbose > 0 {
        ctx.push(" POST:");
    }
    post_op_attr(ctx, rp, dp, verbose)
}

/// `parsewccres`: a status and wcc data.
fn wccres(ctx: &mut Ctx, rp: &[u8], dp: usize, verbose: u8, nfserr: &mut bool) -> R<usize> {
    let (_, dp) = parsestatus(ctx, rp, dp, nfserr)?;
    wcc_data(ctx, rp, dp, verbose)
}

/// `parsecreateopres`: the result of CREATE, MKDIR, SYMLINK and MKNOD.
fn createopres(ctx: &mut Ctx, rp: &[u8], dp: usize, verbose: u8, nfserr: &mut bool) -> R {
    let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
    if er != 0 {
        wcc_data(ctx, rp, dp, verbose)?;
        return Ok(());
    }
    if rp.be_u32(dp)? == 0 {
        return Ok(());
    }
    let dp = parsefh(ctx, rp, dp + 4, true)?;
    if verbose > 0 {
        let dp = post_op_attr(ctx, rp, dp, verbose)?;
        if ctx.vflag() > 1 {
            ctx.push(" dir attr:");
            wcc_data(ctx, rp, dp, verbose)?;
        }
    }
    Ok(())
}

/// `parsev3rddirres`: READDIR/READDIRPLUS results (the entries are not decoded).
fn v3_readdir_res(ctx: &mut Ctx, rp: &[u8], dp: usize, verbose: u8, nfserr: &mut bool) -> R {
    let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
    if ctx.vflag() > 0 {
        ctx.push(" POST:");
    }
    let dp = post_op_attr(ctx, rp, dp, verbose)?;
    if er != 0 {
        return Ok(());
    }
    if ctx.vflag() > 0 {
        let (a, b) = (rp.be_u32(dp)?, rp.be_u32(dp + 4)?);
        pr!(ctx, " verf {:08x}{:08x}", a, b);
    }
    Ok(())
}

/// `interp_reply`: the results of procedure `proc_` of version `vers`.
fn interp_reply(
    ctx: &mut Ctx,
    rp: &[u8],
    proc_: u32,
    vers: u32,
    length: u32,
    nfserr: &mut bool,
) -> R {
    let v3 = vers == NFS_VER3;
    let proc_ = if !v3 && proc_ < NFS_NPROCS {
        V2_TO_V3[proc_ as usize]
    } else {
        proc_
    };
    proc_name(ctx, proc_);
    let v = ctx.vflag();
    let q = ctx.qflag();
    match proc_ {
        PROC_GETATTR => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            parseattrstat(ctx, rp, dp, !q as u8, v3, nfserr)?;
        }
        PROC_SETATTR => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                wccres(ctx, rp, dp, v, nfserr)?;
            } else {
                parseattrstat(ctx, rp, dp, !q as u8, false, nfserr)?;
            }
        }
        PROC_LOOKUP => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                let (er, mut dp) = parsestatus(ctx, rp, dp, nfserr)?;
                if er == 0 {
                    dp = parsefh(ctx, rp, dp, v3)?;
                    dp = post_op_attr(ctx, rp, dp, v)?;
                }
                if v > 1 {
                    ctx.push(" post dattr:");
                    post_op_attr(ctx, rp, dp, v)?;
                }
            } else {
                parsediropres(ctx, rp, dp, nfserr)?;
            }
        }
        PROC_ACCESS => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
            if v > 0 {
                ctx.push(" attr:");
            }
            let dp = post_op_attr(ctx, rp, dp, v)?;
            if er == 0 {
                pr!(ctx, " c {:04x}", rp.be_u32(dp)?);
            }
        }
        PROC_READLINK => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            let (er, mut dp) = parsestatus(ctx, rp, dp, nfserr)?;
            if er != 0 {
                return Ok(());
            }
            if v3 {
                dp = post_op_attr(ctx, rp, dp, v)?;
            }
            ctx.push(" ");
            parsefn(ctx, rp, dp)?;
        }
        PROC_READ => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
                let dp = post_op_attr(ctx, rp, dp, v)?;
                if er == 0 && v > 0 {
                    pr!(ctx, " {} bytes", rp.be_u32(dp)?);
                    if rp.be_u32(dp + 4)? != 0 {
                        ctx.push(" EOF");
                    }
                }
            } else {
                parseattrstat(ctx, rp, dp, v, false, nfserr)?;
            }
        }
        PROC_WRITE => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
                let dp = wcc_data(ctx, rp, dp, v)?;
                if er == 0 && v > 0 {
                    pr!(ctx, " {} bytes", rp.be_u32(dp)?);
                    if v > 1 {
                        let mode = rp.be_u32(dp + 4)?;
                        ctx.push(" <");
                        write_mode(ctx, mode);
                        ctx.push(">");
                        pr!(ctx, " verf {:x}", rp.be_u64(dp + 8)?);
                    }
                }
            } else {
                parseattrstat(ctx, rp, dp, v, v3, nfserr)?;
            }
        }
        PROC_CREATE | PROC_MKDIR => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                createopres(ctx, rp, dp, v, nfserr)?;
            } else {
                parsediropres(ctx, rp, dp, nfserr)?;
            }
        }
        PROC_SYMLINK => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                createopres(ctx, rp, dp, v, nfserr)?;
            } else {
                parsestatus(ctx, rp, dp, nfserr)?;
            }
        }
        PROC_MKNOD => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            createopres(ctx, rp, dp, v, nfserr)?;
        }
        PROC_REMOVE | PROC_RMDIR => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                wccres(ctx, rp, dp, v, nfserr)?;
            } else {
                parsestatus(ctx, rp, dp, nfserr)?;
            }
        }
        PROC_RENAME => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            let (_, dp) = parsestatus(ctx, rp, dp, nfserr)?;
            if v3 && v > 0 {
                ctx.push(" from:");
                let dp = wcc_data(ctx, rp, dp, v)?;
                ctx.push(" to:");
                wcc_data(ctx, rp, dp, v)?;
            }
        }
        PROC_LINK => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            let (_, dp) = parsestatus(ctx, rp, dp, nfserr)?;
            if v3 && v > 0 {
                ctx.push(" file POST:");
                let dp = post_op_attr(ctx, rp, dp, v)?;
                ctx.push(" dir:");
                wcc_data(ctx, rp, dp, v)?;
            }
        }
        PROC_READDIR => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            if v3 {
                v3_readdir_res(ctx, rp, dp, v, nfserr)?;
            } else {
                let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
                if er == 0 && !q {
                    let (off, size) = (rp.be_u32(dp)?, rp.be_u32(dp + 4)?);
                    pr!(ctx, " offset 0x{:x} size {} ", off, size);
                    if rp.be_u32(dp + 8)? != 0 {
                        ctx.push(" eof");
                    }
                }
            }
        }
        PROC_READDIRPLUS => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            v3_readdir_res(ctx, rp, dp, v, nfserr)?;
        }
        PROC_FSSTAT => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            statfs_print(ctx, rp, dp, v3, nfserr)?;
        }
        PROC_FSINFO => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            fsinfo_print(ctx, rp, dp, nfserr)?;
        }
        PROC_PATHCONF => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            pathconf_print(ctx, rp, dp, nfserr)?;
        }
        PROC_COMMIT => {
            let dp = parserep(ctx, rp, length, nfserr)?;
            let dp = wccres(ctx, rp, dp, v, nfserr)?;
            if v > 1 {
                pr!(ctx, " verf {:x}", rp.be_u64(dp)?);
            }
        }
        _ => {}
    }
    Ok(())
}

/// `parsestatfs`: FSSTAT (v3) or STATFS (v2) results.
fn statfs_print(ctx: &mut Ctx, rp: &[u8], dp: usize, v3: bool, nfserr: &mut bool) -> R {
    let (er, mut dp) = parsestatus(ctx, rp, dp, nfserr)?;
    if (!v3 && er != 0) || ctx.qflag() {
        return Ok(());
    }
    let v = ctx.vflag();
    if v3 {
        if v > 0 {
            ctx.push(" POST:");
        }
        dp = post_op_attr(ctx, rp, dp, v)?;
    }
    tcheck(rp, dp, if v3 { V3_STATFS_LEN } else { V2_STATFS_LEN })?;
    if v3 {
        let q = |i: usize| rp.be_u64(dp + 8 * i);
        pr!(ctx, " tbytes {} fbytes {} abytes {}", q(0)?, q(1)?, q(2)?);
        if v > 0 {
            pr!(
                ctx,
                " tfiles {} ffiles {} afiles {} invar {}",
                q(3)?,
                q(4)?,
                q(5)?,
                rp.be_u32(dp + 48)?
            );
        }
    } else {
        let w = |i: usize| rp.be_u32(dp + 4 * i);
        pr!(
            ctx,
            " tsize {} bsize {} blocks {} bfree {} bavail {}",
            w(0)?,
            w(1)?,
            w(2)?,
            w(3)?,
            w(4)?
        );
    }
    Ok(())
}

/// `parsefsinfo`: FSINFO results.
fn fsinfo_print(ctx: &mut Ctx, rp: &[u8], dp: usize, nfserr: &mut bool) -> R {
    let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
    let v = ctx.vflag();
    if v > 0 {
        ctx.push(" POST:");
    }
    let dp = post_op_attr(ctx, rp, dp, v)?;
    if er != 0 {
        return Ok(());
    }
    tcheck(rp, dp, FSINFO_LEN)?;
    let w = |i: usize| rp.be_u32(dp + 4 * i);
    pr!(
        ctx,
        " rtmax {} rtpref {} wtmax {} wtpref {} dtpref {}",
        w(0)?,
        w(1)?,
        w(3)?,
        w(4)?,
        w(6)?
    );
    if v > 0 {
        pr!(
            ctx,
            " rtmult {} wtmult {} maxfsz {}",
            w(2)?,
            w(5)?,
            rp.be_u64(dp + 28)?
        );
        pr!(ctx, " delta {}.{:06} ", w(9)?, w(10)?);
    }
    Ok(())
}

/// `parsepathconf`: PATHCONF results.
fn pathconf_print(ctx: &mut Ctx, rp: &[u8], dp: usize, nfserr: &mut bool) -> R {
    let (er, dp) = parsestatus(ctx, rp, dp, nfserr)?;
    let v = ctx.vflag();
    if v > 0 {
        ctx.push(" POST:");
    }
    let dp = post_op_attr(ctx, rp, dp, v)?;
    if er != 0 {
        return Ok(());
    }
    tcheck(rp, dp, PATHCONF_LEN)?;
    let w = |i: usize| rp.be_u32(dp + 4 * i);
    let flag = |i: usize, name: &'static str| -> PResult<&'static str> {
        Ok(if w(i)? != 0 { name } else { "" })
    };
    pr!(
        ctx,
        " linkmax {} namemax {} {} {} {} {}",
        w(0)?,
        w(1)?,
        flag(2, "notrunc")?,
        flag(3, "chownres")?,
        flag(4, "igncase")?,
        flag(5, "keepcase")?
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::State;
    use crate::proto::testutil::{opts, run_in};

    const CLIENT: [u8; 4] = [10, 0, 0, 1];
    const SERVER: [u8; 4] = [10, 0, 0, 2];

    fn ip<'a>(src: &'a [u8], dst: &'a [u8]) -> IpHdr<'a> {
        IpHdr {
            ver: 4,
            src,
            dst,
            cksum_dst: dst,
            nh: 17,
            payload_len: 0,
        }
    }

    /// An NFSv3 call: xid 7, AUTH_NULL credentials and verifier, then `args`.
    fn call(proc_: u32, args: &[u8]) -> Vec<u8> {
        let mut m = Vec::new();
        for w in [7u32, 0, 2, 100_003, 3, proc_, 0, 0, 0, 0] {
            m.extend_from_slice(&w.to_be_bytes());
        }
        m.extend_from_slice(args);
        m
    }

    /// A BSD 4.4-style 16-byte file handle (bytes 2,3 and 6,7 zero): device 1,2, inode 0x1234.
    const FH: [u8; 20] = [
        0, 0, 0, 16, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0,
    ];

    fn lookup_args() -> Vec<u8> {
        let mut a = FH.to_vec();
        a.extend_from_slice(&[0, 0, 0, 3, b'e', b't', b'c', 0]);
        a
    }

    #[test]
    fn request_then_reply() {
        let mut st = State::default();
        let o = opts(0, false);
        let req = call(PROC_LOOKUP, &lookup_args());
        let (out, r) = run_in(&mut st, &o, |ctx| {
            nfsreq_noaddr_print(ctx, &req, req.len() as u32, &ip(&CLIENT, &SERVER))
        });
        assert!(r.is_ok());
        assert_eq!(out, "68 lookup fh 1,2/4660 \"etc\"");
        // A reply "ok" with an error status: the xid map gives the procedure.
        let mut rep = Vec::new();
        for w in [7u32, 1, 0, 0, 0, 0, 2] {
            rep.extend_from_slice(&w.to_be_bytes());
        }
        let (out, _) = run_in(&mut st, &o, |ctx| {
            nfsreply_noaddr_print(ctx, &rep, rep.len() as u32, &ip(&SERVER, &CLIENT))
        });
        assert_eq!(out, "reply ok 28 lookup ERROR: No such file or directory");
        // From another host, the reply is not matched.
        let other = [10, 0, 0, 9];
        let (out, _) = run_in(&mut st, &o, |ctx| {
            nfsreply_noaddr_print(ctx, &rep, rep.len() as u32, &ip(&other, &CLIENT))
        });
        assert_eq!(out, "reply ok 28");
    }

    /// Differential-fuzzing find: tcpdump prints an unknown write mode as a signed `#N`.
    #[test]
    fn unknown_write_mode_is_signed() {
        let mut args = FH.to_vec();
        args.extend_from_slice(&[
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0x80, 0, 0, 1, 0, 0, 0, 3,
        ]);
        let req = call(PROC_WRITE, &args);
        let (out, _) = run_in(&mut State::default(), &opts(1, false), |ctx| {
            nfsreq_noaddr_print(ctx, &req, req.len() as u32, &ip(&CLIENT, &SERVER))
        });
        assert_eq!(out, "80 write fh 1,2/4660 3 (3) bytes @ 0 <#-2147483647>");
    }

    #[test]
    fn file_handle_layouts() {
        let mut st = State::default();
        let o = opts(0, false);
        let run = |st: &mut State, fh: &[u8]| {
            run_in(st, &o, |ctx| printfh(ctx, fh, (fh.len() / 4) as u32)).0
        };
        assert_eq!(
            run(&mut st, &[0xbb; 32]),
            format!(" fh Unknown/{}", "BB".repeat(32))
        );
        // tcpdump's hoobr_nfs_printfh test: a text handle is taken for VMS.
        assert_eq!(run(&mut st, &[b'0'; 32]), " fh 00000000/808464432");
        // Short handles keep only as many letters of "Unknown" as they have words.
        assert_eq!(run(&mut st, &[1, 2, 3, 4]), " fh U/01020304");
        assert_eq!(run(&mut st, &[9; 8]), " fh Un/0909090909090909");
    }

    #[test]
    fn truncated_at_every_offset() {
        let o = [opts(0, false), opts(2, false)];
        for proc_ in 0..=22 {
            let mut args = lookup_args();
            args.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5]);
            let req = call(proc_, &args);
            for n in 0..=req.len() {
                for v in &o {
                    let mut st = State::default();
                    let _ = run_in(&mut st, v, |ctx| {
                        nfsreq_noaddr_print(ctx, &req[..n], req.len() as u32, &ip(&CLIENT, &SERVER))
                    });
                    // Replies to the full request, cut at every offset.
                    let mut rep = Vec::new();
                    for w in [7u32, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0] {
                        rep.extend_from_slice(&w.to_be_bytes());
                    }
                    rep.extend_from_slice(&args);
                    rep.resize(200, 0x11);
                    let _ = run_in(&mut st, v, |ctx| {
                        nfsreq_noaddr_print(ctx, &req, req.len() as u32, &ip(&CLIENT, &SERVER))
                    });
                    let cut = n.min(rep.len());
                    let _ = run_in(&mut st, v, |ctx| {
                        nfsreply_noaddr_print(ctx, &rep[..cut], 200, &ip(&SERVER, &CLIENT))
                    });
                }
            }
        }
    }
}
