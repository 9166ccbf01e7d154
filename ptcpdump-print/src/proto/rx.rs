//! Rx, the remote procedure call transport of AFS (the OpenAFS "Rx protocol specification";
//! no RFC), UDP ports 7000-7009: the Rx header, acknowledgements, and the calls and replies of
//! the AFS services (file server, callbacks, protection, volume location, authentication,
//! volume, basic overseer, and Ubik, their replication protocol); tcpdump's print-rx.c.
//!
//! Replies carry no opcode: the calls seen earlier are remembered ([`CallCache`]) so that a
//! reply can be decoded. `-v` adds sequence numbers, `-vv` the connection, call number, flags
//! and extra ack fields, `-vvv` the security index, service and ack buffer fields.

use super::util_print::{printn_snap, push_char, tail};
use super::{Ctx, IpHdr, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult, Truncated};

const HDR_LEN: usize = 28;

const FS_PORT: u16 = 7000;
const CB_PORT: u16 = 7001;
const PROT_PORT: u16 = 7002;
const VLDB_PORT: u16 = 7003;
const KAUTH_PORT: u16 = 7004;
const VOL_PORT: u16 = 7005;
const BOS_PORT: u16 = 7007;

const AFSOPAQUEMAX: u32 = 1024;
const AFSNAMEMAX: u32 = 256;
const PRNAMEMAX: usize = 64;
const VLNAMEMAX: usize = 65;
const KANAMEMAX: u32 = 64;
const BOSNAMEMAX: u32 = 256;
const USERNAMEMAX: usize = 1024;

const TYPE_DATA: u8 = 1;
const TYPE_ACK: u8 = 2;
const TYPE_ABORT: u8 = 4;

const CLIENT_INITIATED: u8 = 1;

const TYPE_VALUES: &[(u32, &str)] = &[
    (1, "data"),
    (2, "ack"),
    (3, "busy"),
    (4, "abort"),
    (5, "ackall"),
    (6, "challenge"),
    (7, "response"),
    (8, "debug"),
    (9, "params"),
    (13, "version"),
];

/// Header flags: (bit, only for this packet type (0: any), name).
const FLAGS: [(u8, u8, &str); 7] = [
    (1, 0, "client-init"),
    (2, 0, "req-ack"),
    (4, 0, "last-pckt"),
    (8, 0, "more-pckts"),
    (16, 0, "free-pckt"),
    (32, TYPE_ACK, "slow-start"),
    (32, TYPE_DATA, "jumbogram"),
];

const FS_REQ: &[(u32, &str)] = &[
    (130, "fetch-data"),
    (131, "fetch-acl"),
    (132, "fetch-status"),
    (133, "store-data"),
    (134, "store-acl"),
    (135, "store-status"),
    (136, "remove-file"),
    (137, "create-file"),
    (138, "rename"),
    (139, "symlink"),
    (140, "link"),
    (141, "makedir"),
    (142, "rmdir"),
    (143, "oldsetlock"),
    (144, "oldextlock"),
    (145, "oldrellock"),
    (146, "get-stats"),
    (147, "give-cbs"),
    (148, "get-vlinfo"),
    (149, "get-vlstats"),
    (150, "set-vlstats"),
    (151, "get-rootvl"),
    (152, "check-token"),
    (153, "get-time"),
    (154, "nget-vlinfo"),
    (155, "bulk-stat"),
    (156, "setlock"),
    (157, "extlock"),
    (158, "rellock"),
    (159, "xstat-ver"),
    (160, "get-xstat"),
    (161, "dfs-lookup"),
    (162, "dfs-flushcps"),
    (163, "dfs-symlink"),
    (220, "residency"),
    (65536, "inline-bulk-status"),
    (65537, "fetch-data-64"),
    (65538, "store-data-64"),
    (65539, "give-up-all-cbs"),
    (65540, "get-caps"),
    (65541, "cb-rx-conn-addr"),
];

const CB_REQ: &[(u32, &str)] = &[
    (204, "callback"),
    (205, "initcb"),
    (206, "probe"),
    (207, "getlock"),
    (208, "getce"),
    (209, "xstatver"),
    (210, "getxstat"),
    (211, "initcb2"),
    (212, "whoareyou"),
    (213, "initcb3"),
    (214, "probeuuid"),
    (215, "getsrvprefs"),
    (216, "getcellservdb"),
    (217, "getlocalcell"),
    (218, "getcacheconf"),
    (65536, "getce64"),
    (65537, "getcellbynum"),
    (65538, "tellmeaboutyourself"),
];

const PT_REQ: &[(u32, &str)] = &[
    (500, "new-user"),
    (501, "where-is-it"),
    (502, "dump-entry"),
    (503, "add-to-group"),
    (504, "name-to-id"),
    (505, "id-to-name"),
    (506, "delete"),
    (507, "remove-from-group"),
    (508, "get-cps"),
    (509, "new-entry"),
    (510, "list-max"),
    (511, "set-max"),
    (512, "list-entry"),
    (513, "change-entry"),
    (514, "list-elements"),
    (515, "same-mbr-of"),
    (516, "set-fld-sentry"),
    (517, "list-owned"),
    (518, "get-cps2"),
    (519, "get-host-cps"),
    (520, "update-entry"),
    (521, "list-entries"),
    (530, "list-super-groups"),
];

const VLDB_REQ: &[(u32, &str)] = &[
    (501, "create-entry"),
    (502, "delete-entry"),
    (503, "get-entry-by-id"),
    (504, "get-entry-by-name"),
    (505, "get-new-volume-id"),
    (506, "replace-entry"),
    (507, "update-entry"),
    (508, "setlock"),
    (509, "releaselock"),
    (510, "list-entry"),
    (511, "list-attrib"),
    (512, "linked-list"),
    (513, "get-stats"),
    (514, "probe"),
    (515, "get-addrs"),
    (516, "change-addr"),
    (517, "create-entry-n"),
    (518, "get-entry-by-id-n"),
    (519, "get-entry-by-name-n"),
    (520, "replace-entry-n"),
    (521, "list-entry-n"),
    (522, "list-attrib-n"),
    (523, "linked-list-n"),
    (524, "update-entry-by-name"),
    (525, "create-entry-u"),
    (526, "get-entry-by-id-u"),
    (527, "get-entry-by-name-u"),
    (528, "replace-entry-u"),
    (529, "list-entry-u"),
    (530, "list-attrib-u"),
    (531, "linked-list-u"),
    (532, "regaddr"),
    (533, "get-addrs-u"),
    (534, "list-attrib-n2"),
];

const KAUTH_REQ: &[(u32, &str)] = &[
    (1, "auth-old"),
    (21, "authenticate"),
    (22, "authenticate-v2"),
    (2, "change-pw"),
    (3, "get-ticket-old"),
    (23, "get-ticket"),
    (4, "set-pw"),
    (5, "set-fields"),
    (6, "create-user"),
    (7, "delete-user"),
    (8, "get-entry"),
    (9, "list-entry"),
    (10, "get-stats"),
    (11, "debug"),
    (12, "get-pw"),
    (13, "get-random-key"),
    (14, "unlock"),
    (15, "lock-status"),
];

const VOL_REQ: &[(u32, &str)] = &[
    (100, "create-volume"),
    (101, "delete-volume"),
    (102, "restore"),
    (103, "forward"),
    (104, "end-trans"),
    (105, "clone"),
    (106, "set-flags"),
    (107, "get-flags"),
    (108, "trans-create"),
    (109, "dump"),
    (110, "get-nth-volume"),
    (111, "set-forwarding"),
    (112, "get-name"),
    (113, "get-status"),
    (114, "sig-restore"),
    (115, "list-partitions"),
    (116, "list-volumes"),
    (117, "set-id-types"),
    (118, "monitor"),
    (119, "partition-info"),
    (120, "reclone"),
    (121, "list-one-volume"),
    (122, "nuke"),
    (123, "set-date"),
    (124, "x-list-volumes"),
    (125, "x-list-one-volume"),
    (126, "set-info"),
    (127, "x-list-partitions"),
    (128, "forward-multiple"),
    (65536, "convert-ro"),
    (65537, "get-size"),
    (65538, "dump-v2"),
];

const BOS_REQ: &[(u32, &str)] = &[
    (80, "create-bnode"),
    (81, "delete-bnode"),
    (82, "set-status"),
    (83, "get-status"),
    (84, "enumerate-instance"),
    (85, "get-instance-info"),
    (86, "get-instance-parm"),
    (87, "add-superuser"),
    (88, "delete-superuser"),
    (89, "list-superusers"),
    (90, "list-keys"),
    (91, "add-key"),
    (92, "delete-key"),
    (93, "set-cell-name"),
    (94, "get-cell-name"),
    (95, "get-cell-host"),
    (96, "add-cell-host"),
    (97, "delete-cell-host"),
    (98, "set-t-status"),
    (99, "shutdown-all"),
    (100, "restart-all"),
    (101, "startup-all"),
    (102, "set-noauth-flag"),
    (103, "re-bozo"),
    (104, "restart"),
    (105, "start-bozo-install"),
    (106, "uninstall"),
    (107, "get-dates"),
    (108, "exec"),
    (109, "prune"),
    (110, "set-restart-time"),
    (111, "get-restart-time"),
    (112, "start-bozo-log"),
    (113, "wait-all"),
    (114, "get-instance-strings"),
    (115, "get-restricted"),
    (116, "set-restricted"),
];

const UBIK_REQ: &[(u32, &str)] = &[
    (10000, "vote-beacon"),
    (10001, "vote-debug-old"),
    (10002, "vote-sdebug-old"),
    (10003, "vote-getsyncsite"),
    (10004, "vote-debug"),
    (10005, "vote-sdebug"),
    (10006, "vote-xdebug"),
    (10007, "vote-xsdebug"),
    (20000, "disk-begin"),
    (20001, "disk-commit"),
    (20002, "disk-lock"),
    (20003, "disk-write"),
    (20004, "disk-getversion"),
    (20005, "disk-getfile"),
    (20006, "disk-sendfile"),
    (20007, "disk-abort"),
    (20008, "disk-releaselocks"),
    (20009, "disk-truncate"),
    (20010, "disk-probe"),
    (20011, "disk-writev"),
    (20012, "disk-interfaceaddr"),
    (20013, "disk-setversion"),
];

const VOLTYPE: [&str; 3] = ["read-write", "read-only", "backup"];

const AFS_FS_ERRORS: &[(u32, &str)] = &[
    (101, "salvage volume"),
    (102, "no such vnode"),
    (103, "no such volume"),
    (104, "volume exist"),
    (105, "no service"),
    (106, "volume offline"),
    (107, "voline online"),
    (108, "diskfull"),
    (109, "diskquota exceeded"),
    (110, "volume busy"),
    (111, "volume moved"),
    (112, "AFS IO error"),
    (0xffff_ff9c, "restarting fileserver"),
];

const ACK_REASONS: &[(u32, &str)] = &[
    (1, "ack requested"),
    (2, "duplicate packet"),
    (3, "out of sequence"),
    (4, "exceeds window"),
    (5, "no buffer space"),
    (6, "ping"),
    (7, "ping response"),
    (8, "delay"),
    (9, "idle"),
];

fn name(table: &[(u32, &'static str)], v: u32) -> String {
    match tok(table, v) {
        Some(n) => n.into(),
        None => format!("op#{v}"),
    }
}

/// Ubik opcodes are shared by the replicated database services.
fn is_ubik(op: u32) -> bool {
    (10000..=10007).contains(&op) || (20000..=20013).contains(&op)
}

// ---------------------------------------------------------------------------------------------
// The call cache.

const CACHE_SIZE: usize = 64;

#[derive(Clone, Copy, Default)]
struct Call {
    callnum: u32,
    client: [u8; 4],
    server: [u8; 4],
    dport: u16,
    service: u16,
    opcode: u32,
}

/// The last 64 calls seen (tcpdump's `rx_cache`): a ring, searched from the last hit.
pub struct CallCache {
    calls: [Call; CACHE_SIZE],
    next: usize,
    hint: usize,
}

impl Default for CallCache {
    fn default() -> Self {
        CallCache {
            calls: [Call::default(); CACHE_SIZE],
            next: 0,
            hint: 0,
        }
    }
}

/// The 4-octet "source" and "destination" tcpdump reads from the IP header as if it were
/// IPv4's (for IPv6 these are octets 4-7 and 8-11 of the source address).
fn ip_pair(ip: &IpHdr) -> ([u8; 4], [u8; 4]) {
    let four = |s: &[u8]| [s[0], s[1], s[2], s[3]];
    if ip.ver == 6 {
        (four(&ip.src[4..8]), four(&ip.src[8..12]))
    } else {
        (four(ip.src), four(ip.dst))
    }
}

impl CallCache {
    fn insert(&mut self, p: &[u8], ip: &IpHdr, dport: u16) -> PResult {
        if !p.has(HDR_LEN, 4) {
            return Ok(());
        }
        let i = self.next;
        self.next = (self.next + 1) % CACHE_SIZE;
        let (client, server) = ip_pair(ip);
        self.calls[i] = Call {
            callnum: p.be_u32(8)?,
            client,
            server,
            dport,
            service: p.be_u16(26)?,
            opcode: p.be_u32(HDR_LEN)?,
        };
        Ok(())
    }

    /// The opcode of the call a reply from `sport` answers.
    fn find(&mut self, p: &[u8], ip: &IpHdr, sport: u16) -> PResult<Option<u32>> {
        let (src, dst) = ip_pair(ip);
        let (callnum, service) = (p.be_u32(8)?, p.be_u16(26)?);
        let mut i = self.hint;
        loop {
            let c = &self.calls[i];
            if c.callnum == callnum
                && c.client == dst
                && c.server == src
                && c.service == service
                && c.dport == sport
            {
                self.hint = i;
                return Ok(Some(c.opcode));
            }
            i = (i + 1) % CACHE_SIZE;
            if i == self.hint {
                return Ok(None);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Argument readers.

/// Why an argument list stopped.
enum Stop {
    /// A read past the capture: the packet ends with ` [|rx]`.
    Jmp,
    /// A length check failed: the service's ` [|fs]`-style marker, then the packet goes on.
    Trunc,
}

impl From<Truncated> for Stop {
    fn from(_: Truncated) -> Self {
        Stop::Jmp
    }
}

type Res<T = ()> = Result<T, Stop>;

/// Sequential reader of XDR-encoded arguments (32-bit big-endian words).
struct Rd<'a> {
    p: &'a [u8],
    o: usize,
}

impl Rd<'_> {
    fn check(&self, n: usize) -> Res {
        if self.p.has(self.o, n) {
            Ok(())
        } else {
            Err(Stop::Trunc)
        }
    }
    fn u32(&mut self) -> Res<u32> {
        let v = self.p.be_u32(self.o)?;
        self.o += 4;
        Ok(v)
    }
    fn fid(&mut self, ctx: &mut Ctx) -> Res {
        self.check(12)?;
        let (a, b, c) = (self.u32()?, self.u32()?, self.u32()?);
        pr!(ctx, " fid {}/{}/{}", a, b, c);
        Ok(())
    }
    /// A counted string of at most `max` octets, padded to 32 bits.
    fn string(&mut self, ctx: &mut Ctx, max: u32) -> Res {
        let n = self.p.be_u32(self.o)?;
        if n > max {
            return Err(Stop::Trunc);
        }
        self.o += 4;
        ctx.push(" \"");
        if printn_snap(ctx, tail(self.p, self.o), n as usize) {
            return Err(Stop::Trunc);
        }
        ctx.push("\"");
        self.o += n.div_ceil(4) as usize * 4;
        Ok(())
    }
    fn int(&mut self, ctx: &mut Ctx) -> Res {
        let v = self.u32()? as i32;
        pr!(ctx, " {}", v);
        Ok(())
    }
    fn uint(&mut self, ctx: &mut Ctx) -> Res {
        let v = self.u32()?;
        pr!(ctx, " {}", v);
        Ok(())
    }
    fn uint64(&mut self, ctx: &mut Ctx) -> Res {
        let v = self.p.be_u64(self.o)?;
        self.o += 8;
        pr!(ctx, " {}", v);
        Ok(())
    }
    /// Seconds since 1970, as a local date and time.
    fn date(&mut self, ctx: &mut Ctx) -> Res {
        let t = self.u32()? as i32;
        ctx.push(" ");
        if let Some(tm) = crate::ts::broken_down(t as i64, !ctx.opts.utc) {
            pr!(
                ctx,
                "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
                tm.year,
                tm.mon,
                tm.mday,
                tm.hour,
                tm.min,
                tm.sec
            );
        }
        Ok(())
    }
    /// The AFSStoreStatus structure: a mask, then the fields it selects.
    fn store_status(&mut self, ctx: &mut Ctx) -> Res {
        self.check(24)?;
        let mask = self.u32()?;
        if mask != 0 {
            ctx.push(" StoreStatus");
        }
        if mask & 1 != 0 {
            ctx.push(" date");
            self.date(ctx)?;
        } else {
            self.o += 4;
        }
        let owner = self.u32()?;
        if mask & 2 != 0 {
            pr!(ctx, " owner {}", owner);
        }
        let group = self.u32()?;
        if mask & 4 != 0 {
            pr!(ctx, " group {}", group);
        }
        let mode = self.u32()?;
        if mask & 8 != 0 {
            pr!(ctx, " mode {:o}", mode & 0o7777);
        }
        let seg = self.u32()?;
        if mask & 16 != 0 {
            pr!(ctx, " segsize {}", seg);
        }
        if mask & 1024 != 0 {
            ctx.push(" fsync");
        }
        Ok(())
    }
    fn ubik_version(&mut self, ctx: &mut Ctx) -> Res {
        self.check(8)?;
        let (epoch, counter) = (self.u32()?, self.u32()?);
        pr!(ctx, " {}.{}", epoch, counter);
        Ok(())
    }
    /// An afsUUID: time low, mid, high and version, then 8 node octets, each in a word.
    fn afsuuid(&mut self, ctx: &mut Ctx) -> Res {
        self.check(44)?;
        pr!(ctx, " {:08x}", self.u32()?);
        pr!(ctx, "{:04x}", self.u32()?);
        pr!(ctx, "{:04x}", self.u32()?);
        for _ in 0..8 {
            pr!(ctx, "{:02x}", self.u32()? as u8);
        }
        Ok(())
    }
    /// A fixed array of `max` characters, one per 32-bit word, up to the first NUL.
    fn vector(&mut self, ctx: &mut Ctx, max: usize) -> Res {
        self.check(max * 4)?;
        let mut s = Vec::with_capacity(max);
        for _ in 0..max {
            s.push(self.u32()? as u8);
        }
        ctx.push(" \"");
        for &c in s.iter().take_while(|&&c| c != 0) {
            push_char(ctx.out, c);
        }
        ctx.push("\"");
        Ok(())
    }
    fn dest_server(&mut self, ctx: &mut Ctx) -> Res {
        self.check(12)?;
        let (a, b, c) = (self.u32()?, self.u32()?, self.u32()?);
        pr!(ctx, " server {}:{}:{}", a, b, c);
        Ok(())
    }
    /// A counted list of items printed by `item`, `,`-separated, ` <none!>` when empty.
    fn list(
        &mut self,
        ctx: &mut Ctx,
        comma: bool,
        mut item: impl FnMut(&mut Self, &mut Ctx) -> Res,
    ) -> Res {
        let n = self.u32()?;
        for i in 0..n {
            item(self, ctx)?;
            if comma && i != n - 1 {
                ctx.push(",");
            }
        }
        if n == 0 {
            ctx.push(" <none!>");
        }
        Ok(())
    }
    /// `label`, then the item.
    fn labeled(
        &mut self,
        ctx: &mut Ctx,
        label: &str,
        item: impl FnOnce(&mut Self, &mut Ctx) -> Res,
    ) -> Res {
        ctx.push(label);
        item(self, ctx)
    }
}

/// Runs a service printer: a failed length check prints ` [|name]` and the packet goes on.
fn service(ctx: &mut Ctx, name: &str, f: impl FnOnce(&mut Ctx) -> Res) -> PResult {
    match f(ctx) {
        Ok(()) => Ok(()),
        Err(Stop::Trunc) => {
            pr!(ctx, " [|{}]", name);
            Ok(())
        }
        Err(Stop::Jmp) => Err(Truncated),
    }
}

// ---------------------------------------------------------------------------------------------
// AFS ACLs.

/// A C-style signed decimal as `sscanf("%d")` reads it after skipping white space: returns the
/// value and the octets used, `None` when there are no digits.
fn scan_int(s: &[u8]) -> Option<(i32, usize)> {
    let mut i = skip_ws(s, 0);
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut v: i128 = 0;
    while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
        v = (v * 10 + (c - b'0') as i128).min(i64::MAX as i128 + 1);
        i += 1;
    }
    if i == start {
        return None;
    }
    let v = if neg {
        (-v).max(i64::MIN as i128)
    } else {
        v.min(i64::MAX as i128)
    };
    Some((v as i64 as i32, i))
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while s
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
    {
        i += 1;
    }
    i
}

/// The rights of an ACL entry, in the order AFS's `fs` command prints them.
fn acl_rights(ctx: &mut Ctx, acl: i32) {
    for (bit, c) in [
        (1, 'r'),
        (8, 'l'),
        (4, 'i'),
        (16, 'd'),
        (2, 'w'),
        (32, 'k'),
        (64, 'a'),
    ] {
        if acl & bit != 0 {
            ctx.out.push(c);
        }
    }
}

/// An AFS ACL string: `npos nneg` then `name rights` lines (positive, then negative).
fn acl_print(ctx: &mut Ctx, s: &[u8]) {
    let Some((pos, n1)) = scan_int(s) else {
        return;
    };
    let Some((neg, n2)) = scan_int(&s[n1..]) else {
        return;
    };
    let mut o = skip_ws(s, n1 + n2);
    for (count, sign) in [(pos, '+'), (neg, '-')] {
        for _ in 0..count.max(0) {
            let start = skip_ws(s, o);
            let mut end = start;
            while end < s.len() && end - start < USERNAMEMAX && !skip_ws(s, end).gt(&end) {
                end += 1;
            }
            if end == start {
                return;
            }
            let Some((acl, n)) = scan_int(&s[end..]) else {
                return;
            };
            o = skip_ws(s, end + n);
            pr!(ctx, " {}{{", sign);
            for &c in &s[start..end] {
                push_char(ctx.out, c);
            }
            ctx.push(" ");
            acl_rights(ctx, acl);
            ctx.push("}");
        }
    }
}

/// An ACL of a counted length at `r`, as tcpdump copies it: up to 1024 octets, to the first NUL.
fn acl_arg(r: &mut Rd, ctx: &mut Ctx) -> Res {
    let n = r.u32()?;
    r.check(n as usize)?;
    let n = n.min(AFSOPAQUEMAX) as usize;
    let bytes = &r.p[r.o..r.o + n];
    let s = match bytes.iter().position(|&c| c == 0) {
        Some(z) => &bytes[..z],
        None => bytes,
    };
    acl_print(ctx, s);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Services. Each gets the whole Rx packet; arguments start after the header and opcode.

fn args(p: &[u8]) -> Rd<'_> {
    Rd { p, o: HDR_LEN + 4 }
}

fn fs_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    pr!(ctx, " fs call {}", name(FS_REQ, op));
    let mut r = args(p);
    match op {
        130 => {
            r.fid(ctx)?;
            r.labeled(ctx, " offset", Rd::uint)?;
            r.labeled(ctx, " length", Rd::uint)?;
        }
        131 | 132 | 143 | 144 | 145 | 156 | 157 | 158 => r.fid(ctx)?,
        135 => {
            r.fid(ctx)?;
            r.store_status(ctx)?;
        }
        133 => {
            r.fid(ctx)?;
            r.store_status(ctx)?;
            r.labeled(ctx, " offset", Rd::uint)?;
            r.labeled(ctx, " length", Rd::uint)?;
            r.labeled(ctx, " flen", Rd::uint)?;
        }
        134 => {
            r.fid(ctx)?;
            acl_arg(&mut r, ctx)?;
        }
        137 | 141 => {
            r.fid(ctx)?;
            r.string(ctx, AFSNAMEMAX)?;
            r.store_status(ctx)?;
        }
        136 | 142 => {
            r.fid(ctx)?;
            r.string(ctx, AFSNAMEMAX)?;
        }
        138 => {
            ctx.push(" old");
            r.fid(ctx)?;
            r.string(ctx, AFSNAMEMAX)?;
            ctx.push(" new");
            r.fid(ctx)?;
            r.string(ctx, AFSNAMEMAX)?;
        }
        139 => {
            r.fid(ctx)?;
            r.string(ctx, AFSNAMEMAX)?;
            ctx.push(" link to");
            r.string(ctx, AFSNAMEMAX)?;
        }
        140 => {
            r.fid(ctx)?;
            r.string(ctx, AFSNAMEMAX)?;
            ctx.push(" link to");
            r.fid(ctx)?;
        }
        148 => r.string(ctx, AFSNAMEMAX)?,
        149 | 150 => r.labeled(ctx, " volid", Rd::uint)?,
        154 => {
            ctx.push(" volname");
            r.string(ctx, AFSNAMEMAX)?;
        }
        155 | 65536 => r.list(ctx, true, Rd::fid)?,
        65537 => {
            r.fid(ctx)?;
            r.labeled(ctx, " offset", Rd::uint64)?;
            r.labeled(ctx, " length", Rd::uint64)?;
        }
        65538 => {
            r.fid(ctx)?;
            r.store_status(ctx)?;
            r.labeled(ctx, " offset", Rd::uint64)?;
            r.labeled(ctx, " length", Rd::uint64)?;
            r.labeled(ctx, " flen", Rd::uint64)?;
        }
        65541 => r.labeled(ctx, " addr", Rd::uint)?,
        _ => {}
    }
    Ok(())
}

fn fs_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    pr!(ctx, " fs reply {}", name(FS_REQ, op));
    let ty = p.u8_at(20)?;
    let mut r = Rd { p, o: HDR_LEN };
    if ty == TYPE_DATA {
        match op {
            131 => acl_arg(&mut r, ctx)?,
            137 | 141 => {
                ctx.push(" new");
                r.fid(ctx)?;
            }
            151 => {
                ctx.push(" root volume");
                r.string(ctx, AFSNAMEMAX)?;
            }
            153 => r.date(ctx)?,
            _ => {}
        }
    } else if ty == TYPE_ABORT {
        let code = r.u32()?;
        match tok(AFS_FS_ERRORS, code) {
            Some(n) => pr!(ctx, " error {}", n),
            None => pr!(ctx, " error #{}", code as i32),
        }
    } else {
        pr!(ctx, " strange fs reply of type {}", ty);
    }
    Ok(())
}

fn cb_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    pr!(ctx, " cb call {}", name(CB_REQ, op));
    let mut r = args(p);
    match op {
        204 => {
            r.list(ctx, true, Rd::fid)?;
            let n = r.u32()?;
            if n != 0 {
                ctx.push(";");
            }
            for _ in 0..n {
                r.labeled(ctx, " ver", Rd::int)?;
                r.labeled(ctx, " expires", Rd::date)?;
                // The callback type is read but, as in tcpdump, not printed.
                r.u32()?;
            }
        }
        214 => r.labeled(ctx, " afsuuid", Rd::afsuuid)?,
        _ => {}
    }
    Ok(())
}

fn cb_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    pr!(ctx, " cb reply {}", name(CB_REQ, op));
    let ty = p.u8_at(20)?;
    let mut r = Rd { p, o: HDR_LEN };
    if ty == TYPE_DATA {
        if op == 213 {
            r.afsuuid(ctx)?;
        }
    } else {
        r.labeled(ctx, " errcode", Rd::int)?;
    }
    Ok(())
}

fn prot_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    ctx.push(" pt");
    if is_ubik(op) {
        return ubik_print(ctx, p);
    }
    pr!(ctx, " call {}", name(PT_REQ, op));
    let mut r = args(p);
    match op {
        500 => {
            r.string(ctx, PRNAMEMAX as u32)?;
            r.labeled(ctx, " id", Rd::int)?;
            r.labeled(ctx, " oldid", Rd::int)?;
        }
        501 | 506 | 508 | 512 | 514 | 517 | 518 | 519 | 530 => r.labeled(ctx, " id", Rd::int)?,
        502 => r.labeled(ctx, " pos", Rd::int)?,
        503 | 507 | 515 => {
            r.labeled(ctx, " uid", Rd::int)?;
            r.labeled(ctx, " gid", Rd::int)?;
        }
        504 => r.list(ctx, false, |r, ctx| r.vector(ctx, PRNAMEMAX))?,
        505 => {
            ctx.push(" ids:");
            r.list(ctx, false, Rd::int)?;
        }
        509 => {
            r.string(ctx, PRNAMEMAX as u32)?;
            r.labeled(ctx, " flag", Rd::int)?;
            r.labeled(ctx, " oid", Rd::int)?;
        }
        511 => {
            r.labeled(ctx, " id", Rd::int)?;
            r.labeled(ctx, " gflag", Rd::int)?;
        }
        513 => {
            r.labeled(ctx, " id", Rd::int)?;
            r.string(ctx, PRNAMEMAX as u32)?;
            r.labeled(ctx, " oldid", Rd::int)?;
            r.labeled(ctx, " newid", Rd::int)?;
        }
        520 => {
            r.labeled(ctx, " id", Rd::int)?;
            r.string(ctx, PRNAMEMAX as u32)?;
        }
        _ => {}
    }
    Ok(())
}

fn prot_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    ctx.push(" pt");
    if is_ubik(op) {
        return ubik_reply_print(ctx, p, op);
    }
    pr!(ctx, " reply {}", name(PT_REQ, op));
    let ty = p.u8_at(20)?;
    let mut r = Rd { p, o: HDR_LEN };
    if ty == TYPE_DATA {
        match op {
            504 => {
                ctx.push(" ids:");
                r.list(ctx, false, Rd::int)?;
            }
            505 => r.list(ctx, false, |r, ctx| r.vector(ctx, PRNAMEMAX))?,
            508 | 514 | 517 | 518 | 519 => r.list(ctx, false, Rd::int)?,
            510 => {
                r.labeled(ctx, " maxuid", Rd::int)?;
                r.labeled(ctx, " maxgid", Rd::int)?;
            }
            _ => {}
        }
    } else {
        r.labeled(ctx, " errcode", Rd::int)?;
    }
    Ok(())
}

fn vldb_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    ctx.push(" vldb");
    if is_ubik(op) {
        return ubik_print(ctx, p);
    }
    pr!(ctx, " call {}", name(VLDB_REQ, op));
    let mut r = args(p);
    let voltype = |r: &mut Rd, ctx: &mut Ctx| -> Res {
        let t = r.u32()?;
        if let Some(n) = VOLTYPE.get(t as usize) {
            pr!(ctx, " type {}", n);
        }
        Ok(())
    };
    match op {
        501 | 517 => r.vector(ctx, VLNAMEMAX)?,
        502 | 503 | 507 | 508 | 509 | 518 => {
            r.labeled(ctx, " volid", Rd::int)?;
            voltype(&mut r, ctx)?;
        }
        504 | 519 | 524 | 527 => r.string(ctx, VLNAMEMAX as u32)?,
        505 => r.labeled(ctx, " bump", Rd::int)?,
        506 | 520 => {
            r.labeled(ctx, " volid", Rd::int)?;
            voltype(&mut r, ctx)?;
            r.vector(ctx, VLNAMEMAX)?;
        }
        510 | 521 => r.labeled(ctx, " index", Rd::int)?,
        _ => {}
    }
    Ok(())
}

/// The partitions of a VLDB entry (`n` slots, `servers` of them used).
fn partitions(r: &mut Rd, ctx: &mut Ctx, n: u32, servers: u32) -> Res {
    ctx.push(" partitions");
    for i in 0..n {
        let j = r.u32()?;
        if i < servers {
            if j <= 26 {
                pr!(ctx, " {}", (b'a' + j as u8) as char);
            } else {
                pr!(ctx, " {}", j);
            }
        }
    }
    Ok(())
}

/// The tail of a VLDB entry after the partitions: flags (skipped), volume ids.
fn volids(r: &mut Rd, ctx: &mut Ctx, n: usize) -> Res {
    r.check(n * 4)?;
    r.o += n * 4;
    r.labeled(ctx, " rwvol", Rd::uint)?;
    r.labeled(ctx, " rovol", Rd::uint)?;
    r.labeled(ctx, " backup", Rd::uint)
}

/// A vldbentry (`slots` 8) or nvldbentry (`slots` 13) with IPv4 servers.
fn vldb_entry(r: &mut Rd, ctx: &mut Ctx, slots: u32, skip_type: bool) -> Res {
    r.vector(ctx, VLNAMEMAX)?;
    if skip_type {
        // The volume type word of the old format.
        r.check(4)?;
        r.o += 4;
    }
    ctx.push(" numservers");
    let n = r.u32()?;
    pr!(ctx, " {}", n);
    ctx.push(" servers");
    for i in 0..slots {
        r.check(4)?;
        if i < n {
            let mut s = String::new();
            crate::addr::push_ipv4(&mut s, r.p.sub(r.o, 4)?);
            pr!(ctx, " {}", s);
        }
        r.o += 4;
    }
    partitions(r, ctx, slots, n)?;
    volids(r, ctx, slots as usize)
}

fn vldb_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    ctx.push(" vldb");
    if is_ubik(op) {
        return ubik_reply_print(ctx, p, op);
    }
    pr!(ctx, " reply {}", name(VLDB_REQ, op));
    let ty = p.u8_at(20)?;
    let mut r = Rd { p, o: HDR_LEN };
    if ty != TYPE_DATA {
        return r.labeled(ctx, " errcode", Rd::int);
    }
    let count = |r: &mut Rd, ctx: &mut Ctx| -> Res {
        r.labeled(ctx, " count", Rd::int)?;
        r.labeled(ctx, " nextindex", Rd::int)
    };
    match op {
        510 | 503 | 504 => {
            if op == 510 {
                count(&mut r, ctx)?;
            }
            vldb_entry(&mut r, ctx, 8, true)?;
        }
        505 => r.labeled(ctx, " newvol", Rd::uint)?,
        521 | 529 | 518 | 519 => {
            if op == 521 || op == 529 {
                count(&mut r, ctx)?;
            }
            vldb_entry(&mut r, ctx, 13, false)?;
        }
        526 | 527 => {
            r.vector(ctx, VLNAMEMAX)?;
            ctx.push(" numservers");
            let n = r.u32()?;
            pr!(ctx, " {}", n);
            ctx.push(" servers");
            for i in 0..13 {
                if i < n {
                    r.labeled(ctx, " afsuuid", Rd::afsuuid)?;
                } else {
                    r.check(44)?;
                    r.o += 44;
                }
            }
            // The unique addresses.
            r.check(4 * 13)?;
            r.o += 4 * 13;
            partitions(&mut r, ctx, 13, n)?;
            volids(&mut r, ctx, 13)?;
        }
        _ => {}
    }
    Ok(())
}

fn kauth_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    ctx.push(" kauth");
    if is_ubik(op) {
        return ubik_print(ctx, p);
    }
    pr!(ctx, " call {}", name(KAUTH_REQ, op));
    let mut r = args(p);
    let principal = |r: &mut Rd, ctx: &mut Ctx| -> Res {
        ctx.push(" principal");
        r.string(ctx, KANAMEMAX)?;
        r.string(ctx, KANAMEMAX)
    };
    match op {
        1 | 21 | 22 | 2 | 5 | 6 | 7 | 8 | 14 | 15 => principal(&mut r, ctx)?,
        3 | 23 => {
            r.labeled(ctx, " kvno", Rd::int)?;
            ctx.push(" domain");
            r.string(ctx, KANAMEMAX)?;
            // The ticket is skipped.
            let n = r.u32()?;
            r.check(n as usize)?;
            r.o += n as usize;
            principal(&mut r, ctx)?;
        }
        4 => {
            principal(&mut r, ctx)?;
            r.labeled(ctx, " kvno", Rd::int)?;
        }
        12 => {
            ctx.push(" name");
            r.string(ctx, KANAMEMAX)?;
        }
        _ => {}
    }
    Ok(())
}

/// Replies of services whose data tcpdump does not decode (kauth, bos): `lead`, the call's
/// name, and the error code of anything but data.
fn errcode_reply(
    ctx: &mut Ctx,
    p: &[u8],
    lead: &str,
    table: &[(u32, &'static str)],
    op: u32,
) -> Res {
    pr!(ctx, "{} {}", lead, name(table, op));
    let ty = p.u8_at(20)?;
    if ty != TYPE_DATA {
        let mut r = Rd { p, o: HDR_LEN };
        r.labeled(ctx, " errcode", Rd::int)?;
    }
    Ok(())
}

fn kauth_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    ctx.push(" kauth");
    if is_ubik(op) {
        return ubik_reply_print(ctx, p, op);
    }
    errcode_reply(ctx, p, " reply", KAUTH_REQ, op)
}

fn vol_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    pr!(ctx, " vol call {}", name(VOL_REQ, op));
    let mut r = args(p);
    let u = |r: &mut Rd, ctx: &mut Ctx, label: &str| r.labeled(ctx, label, Rd::uint);
    match op {
        100 => {
            u(&mut r, ctx, " partition")?;
            ctx.push(" name");
            r.string(ctx, AFSNAMEMAX)?;
            u(&mut r, ctx, " type")?;
            u(&mut r, ctx, " parent")?;
        }
        101 | 107 | 104 => u(&mut r, ctx, " trans")?,
        102 => {
            u(&mut r, ctx, " totrans")?;
            u(&mut r, ctx, " flags")?;
        }
        103 => {
            u(&mut r, ctx, " fromtrans")?;
            r.labeled(ctx, " fromdate", Rd::date)?;
            r.dest_server(ctx)?;
            r.labeled(ctx, " desttrans", Rd::int)?;
        }
        105 => {
            u(&mut r, ctx, " trans")?;
            u(&mut r, ctx, " purgevol")?;
            u(&mut r, ctx, " newtype")?;
            ctx.push(" newname");
            r.string(ctx, AFSNAMEMAX)?;
        }
        106 => {
            u(&mut r, ctx, " trans")?;
            u(&mut r, ctx, " flags")?;
        }
        108 => {
            u(&mut r, ctx, " vol")?;
            u(&mut r, ctx, " partition")?;
            u(&mut r, ctx, " flags")?;
        }
        // tcpdump lists "get size" as 655537, a typo for 65537.
        109 | 655537 => {
            u(&mut r, ctx, " fromtrans")?;
            r.labeled(ctx, " fromdate", Rd::date)?;
        }
        110 => u(&mut r, ctx, " index")?,
        111 => {
            u(&mut r, ctx, " tid")?;
            u(&mut r, ctx, " newsite")?;
        }
        112 | 113 => ctx.push(" tid"),
        114 => {
            ctx.push(" name");
            r.string(ctx, AFSNAMEMAX)?;
            u(&mut r, ctx, " type")?;
            u(&mut r, ctx, " pid")?;
            u(&mut r, ctx, " cloneid")?;
        }
        116 => {
            u(&mut r, ctx, " partition")?;
            u(&mut r, ctx, " flags")?;
        }
        117 => {
            u(&mut r, ctx, " tid")?;
            ctx.push(" name");
            r.string(ctx, AFSNAMEMAX)?;
            u(&mut r, ctx, " type")?;
            u(&mut r, ctx, " pid")?;
            u(&mut r, ctx, " clone")?;
            u(&mut r, ctx, " backup")?;
        }
        119 => {
            ctx.push(" name");
            r.string(ctx, AFSNAMEMAX)?;
        }
        120 | 126 => u(&mut r, ctx, " tid")?,
        121 | 122 | 124 | 125 | 65536 => {
            u(&mut r, ctx, " partid")?;
            u(&mut r, ctx, " volid")?;
        }
        123 => {
            u(&mut r, ctx, " tid")?;
            r.labeled(ctx, " date", Rd::date)?;
        }
        128 => {
            u(&mut r, ctx, " fromtrans")?;
            r.labeled(ctx, " fromdate", Rd::date)?;
            r.list(ctx, true, Rd::dest_server)?;
        }
        65538 => {
            u(&mut r, ctx, " fromtrans")?;
            r.labeled(ctx, " fromdate", Rd::date)?;
            u(&mut r, ctx, " flags")?;
        }
        _ => {}
    }
    Ok(())
}

fn vol_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    pr!(ctx, " vol reply {}", name(VOL_REQ, op));
    let ty = p.u8_at(20)?;
    let mut r = Rd { p, o: HDR_LEN };
    if ty != TYPE_DATA {
        return r.labeled(ctx, " errcode", Rd::int);
    }
    let u = |r: &mut Rd, ctx: &mut Ctx, label: &str| r.labeled(ctx, label, Rd::uint);
    match op {
        100 => {
            u(&mut r, ctx, " volid")?;
            u(&mut r, ctx, " trans")?;
        }
        104 | 107 => r.uint(ctx)?,
        105 => u(&mut r, ctx, " newvol")?,
        108 => u(&mut r, ctx, " trans")?,
        110 => {
            u(&mut r, ctx, " volume")?;
            u(&mut r, ctx, " partition")?;
        }
        112 => r.string(ctx, AFSNAMEMAX)?,
        113 => {
            for label in [
                " volid",
                " nextuniq",
                " type",
                " parentid",
                " clone",
                " backup",
                " restore",
                " maxquota",
                " minquota",
                " owner",
            ] {
                u(&mut r, ctx, label)?;
            }
            for label in [
                " create", " access", " update", " expire", " backup", " copy",
            ] {
                r.labeled(ctx, label, Rd::date)?;
            }
        }
        116 | 121 => {
            let n = r.u32()?;
            for i in 0..n {
                ctx.push(" name");
                r.vector(ctx, 32)?;
                u(&mut r, ctx, " volid")?;
                ctx.push(" type");
                r.o += 4 * 21;
                if i != n - 1 {
                    ctx.push(",");
                }
            }
            if n == 0 {
                ctx.push(" <none!>");
            }
        }
        _ => {}
    }
    Ok(())
}

fn bos_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    pr!(ctx, " bos call {}", name(BOS_REQ, op));
    let mut r = args(p);
    match op {
        80 => {
            ctx.push(" type");
            r.string(ctx, BOSNAMEMAX)?;
            ctx.push(" instance");
            r.string(ctx, BOSNAMEMAX)?;
        }
        81 | 83 | 85 | 87 | 88 | 93 | 96 | 97 | 104 | 106 | 108 | 112 | 114 => {
            r.string(ctx, BOSNAMEMAX)?;
        }
        82 | 98 => {
            r.string(ctx, BOSNAMEMAX)?;
            r.labeled(ctx, " status", Rd::int)?;
        }
        86 => {
            r.string(ctx, BOSNAMEMAX)?;
            r.labeled(ctx, " num", Rd::int)?;
        }
        84 | 89 | 90 | 91 | 92 | 95 => r.int(ctx)?,
        105 => {
            r.string(ctx, BOSNAMEMAX)?;
            r.labeled(ctx, " size", Rd::int)?;
            r.labeled(ctx, " flags", Rd::int)?;
            r.labeled(ctx, " date", Rd::int)?;
        }
        _ => {}
    }
    Ok(())
}

fn ubik_print(ctx: &mut Ctx, p: &[u8]) -> Res {
    let op = p.be_u32(HDR_LEN)?;
    pr!(ctx, " ubik call {}", name(UBIK_REQ, op));
    let mut r = args(p);
    match op {
        10000 => {
            let sync = r.u32()?;
            pr!(ctx, " syncsite {}", if sync != 0 { "yes" } else { "no" });
            r.labeled(ctx, " votestart", Rd::date)?;
            r.labeled(ctx, " dbversion", Rd::ubik_version)?;
            r.labeled(ctx, " tid", Rd::ubik_version)?;
        }
        10003 => r.labeled(ctx, " site", Rd::uint)?,
        20000 | 20001 | 20007 | 20008 | 20010 => r.labeled(ctx, " tid", Rd::ubik_version)?,
        20002 => {
            r.labeled(ctx, " tid", Rd::ubik_version)?;
            r.labeled(ctx, " file", Rd::int)?;
            r.labeled(ctx, " pos", Rd::int)?;
            r.labeled(ctx, " length", Rd::int)?;
            // The lock type is read but, as in tcpdump, not printed.
            r.u32()?;
        }
        20003 => {
            r.labeled(ctx, " tid", Rd::ubik_version)?;
            r.labeled(ctx, " file", Rd::int)?;
            r.labeled(ctx, " pos", Rd::int)?;
        }
        20005 => r.labeled(ctx, " file", Rd::int)?,
        20006 => {
            r.labeled(ctx, " file", Rd::int)?;
            r.labeled(ctx, " length", Rd::int)?;
            r.labeled(ctx, " dbversion", Rd::ubik_version)?;
        }
        20009 => {
            r.labeled(ctx, " tid", Rd::ubik_version)?;
            r.labeled(ctx, " file", Rd::int)?;
            r.labeled(ctx, " length", Rd::int)?;
        }
        20012 => {
            r.labeled(ctx, " tid", Rd::ubik_version)?;
            r.labeled(ctx, " oldversion", Rd::ubik_version)?;
            r.labeled(ctx, " newversion", Rd::ubik_version)?;
        }
        _ => {}
    }
    Ok(())
}

fn ubik_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    pr!(ctx, " ubik reply {}", name(UBIK_REQ, op));
    let ty = p.u8_at(20)?;
    let mut r = Rd { p, o: HDR_LEN };
    if ty == TYPE_DATA {
        match op {
            10000 => ctx.push(" vote no"),
            20004 => r.labeled(ctx, " dbversion", Rd::ubik_version)?,
            _ => {}
        }
    } else if op == 10000 {
        // Yes votes come back as aborts.
        r.labeled(ctx, " vote yes until", Rd::date)?;
    } else {
        r.labeled(ctx, " errcode", Rd::int)?;
    }
    Ok(())
}

/// Prints the `,`-separated ranges of packets whose ack octet equals `want`, e.g.
/// ` acked 1-3,5`.
fn ack_ranges(ctx: &mut Ctx, acks: &[u8], first: u32, want: u8, label: &str) {
    let (mut start, mut last): (i64, i64) = (-2, -2);
    let n = acks.len() as i64;
    for (i, &a) in acks.iter().enumerate() {
        let i = i as i64;
        if a == want {
            if last == -2 {
                pr!(ctx, " {} {}", label, first.wrapping_add(i as u32));
                start = i;
            } else if last != i - 1 {
                pr!(ctx, ",{}", first.wrapping_add(i as u32));
                start = i;
            }
            last = i;
        } else if last == i - 1 && start != last {
            pr!(ctx, "-{}", first.wrapping_add((i - 1) as u32));
        }
    }
    if last == n - 1 && start != last {
        pr!(ctx, "-{}", first.wrapping_add((n - 1) as u32));
    }
}

/// An acknowledgement packet: the ack header, the acked and nacked packet ranges, and with
/// `-vv` the optional MTU and window fields.
fn ack_print(ctx: &mut Ctx, p: &[u8], length: u32) -> Res {
    if (length as usize) < HDR_LEN {
        return Ok(());
    }
    let a = HDR_LEN;
    if !p.has(a, 18) {
        return Err(Stop::Trunc);
    }
    if ctx.vflag() > 2 {
        pr!(
            ctx,
            " bufspace {} maxskew {}",
            p.be_u16(a)?,
            p.be_u16(a + 2)?
        );
    }
    let first = p.be_u32(a + 4)?;
    let reason = p.u8_at(a + 16)?;
    pr!(ctx, " first {} serial {} reason ", first, p.be_u32(a + 12)?);
    tok2str(ctx.out, ACK_REASONS, "#{}", reason as u32);
    let n = p.u8_at(a + 17)? as usize;
    let mut o = a + 18;
    if n != 0 {
        if !p.has(o, n) {
            return Err(Stop::Trunc);
        }
        let acks = &p[o..o + n];
        ack_ranges(ctx, acks, first, 1, "acked");
        ack_ranges(ctx, acks, first, 0, "nacked");
        o += n;
    }
    // Three octets of padding, then fields older implementations omit.
    o += 3;
    if ctx.vflag() > 1 {
        let mut r = Rd { p, o };
        for label in [" ifmtu", " maxmtu", " rwind", " maxpackets"] {
            if p.len() < r.o + 4 {
                return Ok(());
            }
            r.labeled(ctx, label, Rd::uint)?;
        }
    }
    Ok(())
}

/// A service's call printer (gets the whole Rx packet).
type CallPrinter = fn(&mut Ctx, &[u8]) -> Res;
/// A service's reply printer (the whole Rx packet and the call's opcode).
type ReplyPrinter = fn(&mut Ctx, &[u8], u32) -> Res;

/// An Rx packet; `p`: the captured UDP payload, `length` its length; the ports pick the AFS
/// service; `ip` is the enclosing IP header (for the call cache).
pub fn rx_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    sport: u16,
    dport: u16,
    ip: &IpHdr,
) -> PResult {
    ctx.protocol = "rx";
    if !p.has(0, HDR_LEN) {
        pr!(ctx, " [|rx] ({})", length);
        return Ok(());
    }
    let ty = p.u8_at(20)?;
    ctx.push(" rx ");
    tok2str(ctx.out, TYPE_VALUES, "type {}", ty as u32);
    let flags = p.u8_at(21)?;
    let v = ctx.vflag();
    if v > 0 {
        if v > 1 {
            pr!(ctx, " cid {:08x} call# {}", p.be_u32(4)?, p.be_u32(8)?);
        }
        pr!(ctx, " seq {} ser {}", p.be_u32(12)?, p.be_u32(16)?);
        if v > 2 {
            pr!(
                ctx,
                " secindex {} serviceid {}",
                p.u8_at(23)?,
                p.be_u16(26)?
            );
        }
        if v > 1 {
            let mut first = true;
            for (bit, only, name) in FLAGS {
                if flags & bit != 0 && (only == 0 || only == ty) {
                    ctx.push(if first { " " } else { "," });
                    first = false;
                    pr!(ctx, "<{}>", name);
                }
            }
        }
    }
    let seq1 = p.be_u32(12)? == 1;
    let call = length as usize > HDR_LEN;
    if ty == TYPE_DATA && seq1 && flags & CLIENT_INITIATED != 0 {
        // A call: remember it to decode its reply.
        ctx.state.rx.insert(p, ip, dport)?;
        let f: Option<(&str, CallPrinter)> = match dport {
            FS_PORT => Some(("fs", fs_print)),
            CB_PORT => Some(("cb", cb_print)),
            PROT_PORT => Some(("pt", prot_print)),
            VLDB_PORT => Some(("vldb", vldb_print)),
            KAUTH_PORT => Some(("kauth", kauth_print)),
            VOL_PORT => Some(("vol", vol_print)),
            BOS_PORT => Some(("bos", bos_print)),
            _ => None,
        };
        if let Some((name, f)) = f
            && call
        {
            // Ubik calls of the database services are marked as Ubik's.
            let marker = if matches!(dport, PROT_PORT | VLDB_PORT | KAUTH_PORT)
                && is_ubik(p.be_u32(HDR_LEN)?)
            {
                "ubik"
            } else {
                name
            };
            service(ctx, marker, |ctx| f(ctx, p))?;
        }
    } else if ((ty == TYPE_DATA && seq1) || ty == TYPE_ABORT)
        && flags & CLIENT_INITIATED == 0
        && let Some(op) = ctx.state.rx.find(p, ip, sport)?
    {
        // Replies of the database services to Ubik calls are Ubik's; pt and vldb decode
        // replies from a bare header on, the others need data after it.
        let (name, f, min): (&str, ReplyPrinter, usize) = match sport {
            FS_PORT => ("fs", fs_reply_print, HDR_LEN + 1),
            CB_PORT => ("cb", cb_reply_print, HDR_LEN + 1),
            PROT_PORT => ("pt", prot_reply_print, HDR_LEN),
            VLDB_PORT => ("vldb", vldb_reply_print, HDR_LEN),
            KAUTH_PORT => ("kauth", kauth_reply_print, HDR_LEN + 1),
            VOL_PORT => ("vol", vol_reply_print, HDR_LEN + 1),
            BOS_PORT => ("bos", bos_reply_print, HDR_LEN + 1),
            _ => ("", |_, _, _| Ok(()), usize::MAX),
        };
        if length as usize >= min {
            let marker = if is_ubik(op) && matches!(sport, PROT_PORT | VLDB_PORT | KAUTH_PORT) {
                "ubik"
            } else {
                name
            };
            service(ctx, marker, |ctx| f(ctx, p, op))?;
        }
    } else if ty == TYPE_ACK {
        service(ctx, "ack", |ctx| ack_print(ctx, p, length))?;
    }
    pr!(ctx, " ({})", length);
    Ok(())
}

fn bos_reply_print(ctx: &mut Ctx, p: &[u8], op: u32) -> Res {
    errcode_reply(ctx, p, " bos reply", BOS_REQ, op)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::State;
    use crate::proto::testutil::{
        assert_every_truncation_is_safe, opts, run_in, run_marked, verbosities,
    };

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    const CLIENT: [u8; 4] = [10, 0, 0, 1];
    const SERVER: [u8; 4] = [10, 0, 0, 2];

    fn ip<'a>(src: &'a [u8; 4], dst: &'a [u8; 4]) -> IpHdr<'a> {
        IpHdr {
            ver: 4,
            src,
            dst,
            cksum_dst: dst,
            nh: 17,
            payload_len: 0,
        }
    }

    // A VLDB get-entry-by-name call and its reply (eight server slots, two used).
    const CALL: &str = "12345678000010000000003300000001000000070101000200000001000001f800000009726f6f742e63\
        656c6c000000";
    const REPLY: &str = "12345678000010000000003300000001000000070100000200000001000000720000006f0000006f0000\
        00740000002e00000063000000650000006c0000006c0000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000\
        00020a0000010a0000020a0000030a0000040a0000050a0000060a0000070a0000080000000000000001\
        00000002000000030000000400000005000000060000001e000000000000000000000000000000000000\
        0000000000000000000000000000000000010000000200000003";
    // An ack of packets 5-10 (acked 5, 6, 8), with the optional fields.
    const ACK: &str = "12345678000010000000000500000000000000070200000200000001000a001400000005000000040000\
        00630806010100010000000000000005dc000005dc0000002000000004";

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn call_then_reply_from_the_cache() {
        let mut st = State::default();
        let (call, reply) = (hex(CALL), hex(REPLY));
        let o = opts(0, false);
        let (out, _) = run_in(&mut st, &o, |ctx| {
            rx_print(
                ctx,
                &call,
                call.len() as u32,
                1792,
                7003,
                &ip(&CLIENT, &SERVER),
            )
        });
        assert_eq!(
            out,
            " rx data vldb call get-entry-by-name \"root.cell\" (48)"
        );
        let (out, _) = run_in(&mut st, &o, |ctx| {
            rx_print(
                ctx,
                &reply,
                reply.len() as u32,
                7003,
                1792,
                &ip(&SERVER, &CLIENT),
            )
        });
        assert_eq!(
            out,
            " rx data vldb reply get-entry-by-name \"root.cell\" numservers 2 servers 10.0.0.1 \
             10.0.0.2 partitions a b rwvol 1 rovol 2 backup 3 (404)"
        );
        // Without the call, the reply is just data.
        let out = run_marked(&o, |ctx| {
            rx_print(
                ctx,
                &reply,
                reply.len() as u32,
                7003,
                1792,
                &ip(&SERVER, &CLIENT),
            )
        });
        assert_eq!(out, " rx data (404)");
    }

    #[test]
    fn acks_and_header_fields() {
        let a = hex(ACK);
        let run = |v: u8| {
            run_marked(&opts(v, false), |ctx| {
                rx_print(ctx, &a, a.len() as u32, 7001, 7000, &ip(&CLIENT, &SERVER))
            })
        };
        assert_eq!(
            run(0),
            " rx ack first 5 serial 99 reason delay acked 5-6,8 nacked 7,9-10 (71)"
        );
        assert_eq!(
            run(3),
            " rx ack cid 00001000 call# 5 seq 0 ser 7 secindex 2 serviceid 1 bufspace 10 \
             maxskew 20 first 5 serial 99 reason delay acked 5-6,8 nacked 7,9-10 ifmtu 1500 \
             maxmtu 1500 rwind 32 maxpackets 4 (71)"
        );
    }

    #[test]
    fn acl_strings() {
        let mut out = String::new();
        let o = opts(0, false);
        let mut st = State::default();
        let mut ctx = Ctx::new(&mut out, &o, &mut st);
        acl_print(&mut ctx, b"2 1\nsystem:admin 127\nbob 9\n-x 1\n");
        assert_eq!(out, " +{system:admin rlidwka} +{bob rl} -{-x r}");
    }

    #[test]
    fn truncated_at_every_offset() {
        for m in [CALL, REPLY, ACK] {
            let p = hex(m);
            for (sp, dp) in [(1792, 7003), (7003, 1792), (7001, 7000)] {
                assert_every_truncation_is_safe(&p, &verbosities(3), |ctx, q| {
                    rx_print(ctx, q, p.len() as u32, sp, dp, &ip(&CLIENT, &SERVER))
                });
            }
        }
        // A call's arguments cut by the capture end the packet with the marker.
        let c = hex(CALL);
        for n in 28..c.len() - 3 {
            let out = run_marked(&opts(0, false), |ctx| {
                rx_print(
                    ctx,
                    &c[..n],
                    c.len() as u32,
                    1792,
                    7003,
                    &ip(&CLIENT, &SERVER),
                )
            });
            assert!(
                out.ends_with(" [|rx]") || out.ends_with(" [|vldb] (48)"),
                "{n}: {out}"
            );
        }
    }
}
