//! Transmission Control Protocol (RFC 9293), options: MSS/NOP/EOL (RFC 9293), window scale,
//! timestamps (RFC 7323), SACK (RFC 2018), MD5 signature (RFC 2385), user timeout (RFC 5482),
//! TCP-AO (RFC 5925), Fast Open (RFC 7413), MPTCP (RFC 8684, in mptcp.rs); tcpdump's print-tcp.c.

use super::{Ctx, IPPROTO_TCP, IpHdr, bittok2str, in_cksum_shouldbe, mptcp, nextproto_cksum, pr};
use super::{tcp_packettype_print, tcp_port_print, tok};
use crate::cursor::{Bytes, PResult, Truncated};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const TH_FIN: u8 = 0x01;
const TH_SYN: u8 = 0x02;
const TH_RST: u8 = 0x04;
const TH_ACK: u8 = 0x10;
const TH_URG: u8 = 0x20;

const TCP_HDRLEN: u32 = 20;
const TCP_SIGLEN: usize = 16;
const MAX_RST_DATA_LEN: u32 = 30;

const TCPOPT_EOL: u8 = 0;
const TCPOPT_NOP: u8 = 1;
const TCPOPT_MAXSEG: u8 = 2;
const TCPOPT_WSCALE: u8 = 3;
const TCPOPT_SACKOK: u8 = 4;
const TCPOPT_SACK: u8 = 5;
const TCPOPT_ECHO: u8 = 6;
const TCPOPT_ECHOREPLY: u8 = 7;
const TCPOPT_TIMESTAMP: u8 = 8;
const TCPOPT_CC: u8 = 11;
const TCPOPT_CCNEW: u8 = 12;
const TCPOPT_CCECHO: u8 = 13;
const TCPOPT_SIGNATURE: u8 = 19;
const TCPOPT_SCPS: u8 = 20;
const TCPOPT_UTO: u8 = 28;
const TCPOPT_TCPAO: u8 = 29;
const TCPOPT_MPTCP: u8 = 30;
const TCPOPT_FASTOPEN: u8 = 34;
const TCPOPT_EXPERIMENT2: u8 = 254;

const TCP_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "F"),
    (0x02, "S"),
    (0x04, "R"),
    (0x08, "P"),
    (0x10, "."),
    (0x20, "U"),
    (0x40, "E"),
    (0x80, "W"),
];

const TCP_OPTION_VALUES: &[(u32, &str)] = &[
    (0, "eol"),
    (1, "nop"),
    (2, "mss"),
    (3, "wscale"),
    (4, "sackOK"),
    (5, "sack"),
    (6, "echo"),
    (7, "echoreply"),
    (8, "TS"),
    (11, "cc"),
    (12, "ccnew"),
    (13, ""),
    (19, "md5"),
    (20, "scps"),
    (28, "uto"),
    (29, "tcp-ao"),
    (30, "mptcp"),
    (34, "tfo"),
    (254, "exp"),
];

/// FxHash: the connection table is hit once per ACK segment, SipHash is needlessly slow here.
#[derive(Default)]
pub struct FxHasher(u64);
impl Hasher for FxHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut a = [0u8; 8];
            a[..c.len()].copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(a));
        }
    }
    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A connection as tcpdump keys it: addresses and ports, ordered so both directions match.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ConnKey {
    src: [u8; 16],
    dst: [u8; 16],
    port: u32,
    v6: bool,
}

/// Initial sequence numbers per connection (tcpdump's `tcp_seq_hash4/6`).
#[derive(Default)]
pub struct SeqTable {
    map: HashMap<ConnKey, (u32, u32), BuildHasherDefault<FxHasher>>,
}

/// Appends `n` as tcpdump's `%u` would.
#[inline]
fn push_u32(out: &mut String, n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // SAFETY-free: digits are ASCII.
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

fn addrs_print(ctx: &mut Ctx, ip: &IpHdr, sport: Option<(u16, u16)>) {
    match sport {
        Some((s, d)) if ip.nh == IPPROTO_TCP => {
            ctx.ip(ip.src);
            ctx.out.push('.');
            push_u32(ctx.out, s as u32);
            ctx.push(" > ");
            ctx.ip(ip.dst);
            ctx.out.push('.');
            push_u32(ctx.out, d as u32);
            ctx.push(": ");
        }
        Some((s, d)) => {
            push_u32(ctx.out, s as u32);
            ctx.push(" > ");
            push_u32(ctx.out, d as u32);
            ctx.push(": ");
        }
        None => {
            ctx.ip(ip.src);
            ctx.push(" > ");
            ctx.ip(ip.dst);
            ctx.push(":");
        }
    }
}

/// A TCP segment. `p`: captured bytes from the TCP header on; `length`: segment length.
pub fn tcp_print(ctx: &mut Ctx, p: &[u8], length: u32, ip: &IpHdr, fragmented: bool) -> PResult {
    ctx.protocol = "tcp";
    if !p.has(0, 4) {
        addrs_print(ctx, ip, None);
        ctx.print_trunc();
        return Ok(());
    }
    let sport = p.be_u16(0)?;
    let dport = p.be_u16(2)?;
    addrs_print(ctx, ip, Some((sport, dport)));
    if !p.has(0, TCP_HDRLEN as usize) {
        // ND_TCHECK_SIZE: local trunc label, the link-layer header length is kept.
        ctx.print_trunc();
        return Ok(());
    }
    let mut hlen = (p.u8_at(12)? >> 4) as u32 * 4;
    if hlen < TCP_HDRLEN {
        pr!(
            ctx,
            " tcp {} [bad hdr length {} - too short, < {}]",
            length.wrapping_sub(hlen),
            hlen,
            TCP_HDRLEN
        );
        return Ok(());
    }
    let mut seq = p.be_u32(4)?;
    let mut ack = p.be_u32(8)?;
    let win = p.be_u16(14)?;
    let urp = p.be_u16(18)?;
    if ctx.qflag() {
        pr!(ctx, "tcp {}", length.wrapping_sub(hlen));
        if hlen > length {
            pr!(ctx, " [bad hdr length {} - too long, > {}]", hlen, length);
        }
        return Ok(());
    }
    let flags = p.u8_at(13)?;
    ctx.push("Flags [");
    bittok2str(ctx.out, TCP_FLAG_VALUES, "none", flags as u32, "");
    ctx.push("]");

    let (rev, thseq, thack);
    if !ctx.opts.absolute_seq && flags & TH_ACK != 0 {
        let (src, dst) = (ip.src, ip.dst);
        let r = if sport > dport {
            true
        } else if sport == dport {
            src > dst
        } else {
            false
        };
        let mut key = ConnKey {
            src: [0; 16],
            dst: [0; 16],
            port: 0,
            v6: ip.ver == 6,
        };
        let n = src.len().min(16);
        if r {
            key.src[..n].copy_from_slice(&dst[..n]);
            key.dst[..n].copy_from_slice(&src[..n]);
            key.port = (dport as u32) << 16 | sport as u32;
        } else {
            key.src[..n].copy_from_slice(&src[..n]);
            key.dst[..n].copy_from_slice(&dst[..n]);
            key.port = (sport as u32) << 16 | dport as u32;
        }
        let map = &mut ctx.state.tcp_seq.map;
        let entry = match map.get_mut(&key) {
            Some(e) if flags & TH_SYN == 0 => {
                if r {
                    seq = seq.wrapping_sub(e.1);
                    ack = ack.wrapping_sub(e.0);
                } else {
                    seq = seq.wrapping_sub(e.0);
                    ack = ack.wrapping_sub(e.1);
                }
                *e
            }
            _ => {
                // (seq, ack) as tcpdump stores them in th->seq / th->ack.
                let e = if r {
                    (ack.wrapping_sub(1), seq)
                } else {
                    (seq, ack.wrapping_sub(1))
                };
                map.insert(key, e);
                e
            }
        };
        rev = r;
        thseq = entry.0;
        thack = entry.1;
    } else {
        rev = false;
        thseq = 0;
        thack = 0;
    }

    if hlen > length {
        pr!(ctx, " [bad hdr length {} - too long, > {}]", hlen, length);
        return Ok(());
    }

    if ctx.vflag() > 0
        && !ctx.opts.no_checksum
        && !fragmented
        && let Ok(seg) = p.sub(0, length as usize)
    {
        let sum = nextproto_cksum(ip, seg, length, IPPROTO_TCP);
        let tcp_sum = p.be_u16(16)?;
        pr!(ctx, ", cksum 0x{:04x}", tcp_sum);
        if sum != 0 {
            pr!(
                ctx,
                " (incorrect -> 0x{:04x})",
                in_cksum_shouldbe(tcp_sum, sum)
            );
        } else {
            ctx.push(" (correct)");
        }
    }

    let length = length - hlen;
    if ctx.vflag() > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST) != 0 {
        ctx.push(", seq ");
        push_u32(ctx.out, seq);
        if length > 0 {
            ctx.out.push(':');
            push_u32(ctx.out, seq.wrapping_add(length));
        }
    }
    if flags & TH_ACK != 0 {
        ctx.push(", ack ");
        push_u32(ctx.out, ack);
    }
    ctx.push(", win ");
    push_u32(ctx.out, win as u32);
    if flags & TH_URG != 0 {
        pr!(ctx, ", urg {}", urp);
    }

    if hlen > TCP_HDRLEN {
        hlen -= TCP_HDRLEN;
        ctx.push(", options [");
        let opts = p.from(TCP_HDRLEN as usize).unwrap_or(&[]);
        let seg = SegInfo {
            ip,
            tcp: p,
            flags,
            length,
            rev,
            thseq,
            thack,
        };
        match options_print(ctx, opts, hlen, &seg) {
            Ok(OptEnd::Done) => ctx.push("]"),
            Ok(OptEnd::Bad { started }) => {
                ctx.push("[bad opt]");
                if started {
                    ctx.push("]");
                }
                return Ok(());
            }
            Err(OptTrunc::Longjmp) => return Err(Truncated),
            Err(OptTrunc::Local { started }) => {
                ctx.print_trunc();
                if started {
                    ctx.push(">");
                }
                return Ok(());
            }
        }
    }
    ctx.push(", length ");
    push_u32(ctx.out, length);
    if length == 0 {
        return Ok(());
    }
    let header_len = (p.u8_at(12)? >> 4) as usize * 4;
    if !p.has(0, header_len) {
        pr!(
            ctx,
            " [remaining caplen({}) < header length({})]",
            p.len(),
            header_len
        );
        return Err(Truncated);
    }
    let payload = &p[header_len..];
    if flags & TH_RST != 0 && ctx.vflag() > 0 {
        rst_data_print(ctx, payload, length);
        return Ok(());
    }
    if let Some(pt) = ctx.opts.packet_type
        && tcp_packettype_print(ctx, pt, payload, length)?
    {
        return Ok(());
    }
    tcp_port_print(ctx, sport, dport, payload, length, ip)
}

/// What option printers may need to know about the segment.
pub struct SegInfo<'a, 'b> {
    pub ip: &'b IpHdr<'a>,
    /// The TCP header and what follows, as captured.
    pub tcp: &'a [u8],
    pub flags: u8,
    /// Payload length.
    pub length: u32,
    rev: bool,
    thseq: u32,
    thack: u32,
}

enum OptEnd {
    Done,
    Bad { started: bool },
}

/// How the option loop ran out of data.
enum OptTrunc {
    /// `LENCHECK`'s `ND_TCHECK`: tcp_print's own `trunc:` label (` [|tcp]` plus `>` when
    /// inside the option list).
    Local { started: bool },
    /// A `GET_*` macro: longjmp to the top level.
    Longjmp,
}

fn options_print(
    ctx: &mut Ctx,
    opts: &[u8],
    mut hlen: u32,
    seg: &SegInfo,
) -> Result<OptEnd, OptTrunc> {
    let mut started = false;
    let mut cp = 0usize;
    let tr = |started| OptTrunc::Local { started };
    while hlen > 0 {
        if started {
            ctx.push(",");
        }
        let opt = opts.u8_at(cp).map_err(|_| OptTrunc::Longjmp)?;
        cp += 1;
        let zerolen = opt == TCPOPT_EOL || opt == TCPOPT_NOP;
        let len: u32 = if zerolen {
            1
        } else {
            let l = opts.u8_at(cp).map_err(|_| OptTrunc::Longjmp)? as u32;
            cp += 1;
            if l < 2 || l > hlen {
                return Ok(OptEnd::Bad { started });
            }
            hlen -= 1;
            l
        };
        hlen -= 1;
        match tok(TCP_OPTION_VALUES, opt as u32) {
            Some(n) => ctx.push(n),
            None => pr!(ctx, "unknown-{}", opt),
        }
        // LENCHECK: the option must fit in the header and in the capture.
        macro_rules! lencheck {
            ($l:expr) => {{
                let l: u32 = $l;
                if l > hlen {
                    return Ok(OptEnd::Bad { started });
                }
                if !opts.has(cp, l as usize) {
                    return Err(tr(started));
                }
            }};
        }
        let d = opts.get(cp..).unwrap_or(&[]);
        let mut datalen: u32 = 0;
        match opt {
            TCPOPT_MAXSEG => {
                datalen = 2;
                lencheck!(datalen);
                pr!(ctx, " {}", d.be_u16(0).unwrap_or(0));
            }
            TCPOPT_WSCALE => {
                datalen = 1;
                lencheck!(datalen);
                pr!(ctx, " {}", d[0]);
            }
            TCPOPT_SACK => {
                datalen = len - 2;
                if !datalen.is_multiple_of(8) {
                    ctx.push(" invalid sack");
                } else {
                    pr!(ctx, " {} ", datalen / 8);
                    let mut i = 0;
                    while i < datalen {
                        lencheck!(i + 4);
                        let mut s = d.be_u32(i as usize).unwrap_or(0);
                        lencheck!(i + 8);
                        let mut e = d.be_u32(i as usize + 4).unwrap_or(0);
                        if seg.rev {
                            s = s.wrapping_sub(seg.thseq);
                            e = e.wrapping_sub(seg.thseq);
                        } else {
                            s = s.wrapping_sub(seg.thack);
                            e = e.wrapping_sub(seg.thack);
                        }
                        pr!(ctx, "{{{}:{}}}", s, e);
                        i += 8;
                    }
                }
            }
            TCPOPT_CC | TCPOPT_CCNEW | TCPOPT_CCECHO | TCPOPT_ECHO | TCPOPT_ECHOREPLY => {
                datalen = 4;
                lencheck!(datalen);
                pr!(ctx, " {}", d.be_u32(0).unwrap_or(0));
            }
            TCPOPT_TIMESTAMP => {
                datalen = 8;
                lencheck!(datalen);
                pr!(
                    ctx,
                    " val {} ecr {}",
                    d.be_u32(0).unwrap_or(0),
                    d.be_u32(4).unwrap_or(0)
                );
            }
            TCPOPT_SIGNATURE => {
                datalen = TCP_SIGLEN as u32;
                lencheck!(datalen);
                ctx.push(" ");
                match verify_signature(ctx, seg, &d[..TCP_SIGLEN]) {
                    Some(true) => ctx.push("valid"),
                    Some(false) => ctx.print_invalid(),
                    None => {
                        ctx.push("can't check - ");
                        for &b in &d[..TCP_SIGLEN] {
                            pr!(ctx, "{:02x}", b);
                        }
                    }
                }
            }
            TCPOPT_SCPS => {
                datalen = 2;
                lencheck!(datalen);
                pr!(ctx, " cap {:02x} id {}", d[0], d[1]);
            }
            TCPOPT_TCPAO => {
                datalen = len - 2;
                if datalen < 2 {
                    ctx.print_invalid();
                } else {
                    lencheck!(1);
                    pr!(ctx, " keyid {}", d[0]);
                    lencheck!(2);
                    pr!(ctx, " rnextkeyid {}", d[1]);
                    if datalen > 2 {
                        ctx.push(" mac 0x");
                        for i in 2..datalen {
                            lencheck!(i + 1);
                            pr!(ctx, "{:02x}", d[i as usize]);
                        }
                    }
                }
            }
            TCPOPT_EOL | TCPOPT_NOP | TCPOPT_SACKOK => {}
            TCPOPT_UTO => {
                datalen = 2;
                lencheck!(datalen);
                let mut uto = d.be_u16(0).unwrap_or(0) as u32;
                pr!(ctx, " 0x{:x}", uto);
                if uto & 1 != 0 {
                    uto = (uto >> 1) * 60;
                } else {
                    uto >>= 1;
                }
                pr!(ctx, " {}", uto);
            }
            TCPOPT_MPTCP => {
                datalen = len - 2;
                lencheck!(datalen);
                // The MPTCP printer sees the whole option, kind and length included.
                let whole = &opts[cp - 2..cp + datalen as usize];
                match mptcp::mptcp_print(ctx, whole, len, seg.flags) {
                    Ok(true) => {}
                    Ok(false) => return Ok(OptEnd::Bad { started }),
                    // print-mptcp.c reads with GET_* macros.
                    Err(_) => return Err(OptTrunc::Longjmp),
                }
            }
            TCPOPT_FASTOPEN => {
                datalen = len - 2;
                lencheck!(datalen);
                ctx.push(" ");
                fastopen_print(ctx, &d[..datalen as usize], false);
            }
            TCPOPT_EXPERIMENT2 => {
                datalen = len - 2;
                lencheck!(datalen);
                if datalen < 2 {
                    return Ok(OptEnd::Bad { started });
                }
                let magic = d.be_u16(0).unwrap_or(0);
                ctx.push("-");
                if magic == 0xf989 {
                    fastopen_print(ctx, &d[2..datalen as usize], true);
                } else {
                    pr!(ctx, "{:04x}", magic);
                }
            }
            _ => {
                datalen = len - 2;
                if datalen > 0 {
                    ctx.push(" 0x");
                }
                for i in 0..datalen {
                    lencheck!(i + 1);
                    pr!(ctx, "{:02x}", d[i as usize]);
                }
            }
        }
        cp += datalen as usize;
        hlen -= datalen;
        let mut total = datalen + 1;
        if !zerolen {
            total += 1;
        }
        if total != len {
            pr!(ctx, "[len {}]", len);
        }
        started = true;
        if opt == TCPOPT_EOL {
            break;
        }
    }
    Ok(OptEnd::Done)
}

fn fastopen_print(ctx: &mut Ctx, d: &[u8], exp: bool) {
    if exp {
        ctx.push("tfo");
    }
    if d.is_empty() {
        ctx.push(" cookiereq");
    } else if !d.len().is_multiple_of(2) || d.len() < 4 || d.len() > 16 {
        ctx.print_invalid();
    } else {
        ctx.push(" cookie ");
        for &b in d {
            pr!(ctx, "{:02x}", b);
        }
    }
}

/// `fn_print_char`: printable ASCII as is, others as `M-` / `^` escapes.
pub fn fn_print_char(out: &mut String, c: u8) {
    let mut c = c;
    if !c.is_ascii() {
        c &= 0x7f;
        out.push_str("M-");
    }
    if !(0x20..=0x7e).contains(&c) {
        c ^= 0x40;
        out.push('^');
    }
    out.push(c as char);
}

/// RFC 2385: the MD5 digest of the pseudo-header, the TCP header without options and with a
/// zero checksum, the payload and the `-M` secret, compared with `rcvsig`. `None` (after the
/// reason) when it cannot be checked.
fn verify_signature(ctx: &mut Ctx, seg: &SegInfo, rcvsig: &[u8]) -> Option<bool> {
    use md5::{Digest, Md5};
    let hdr_len = (seg.tcp.u8_at(12).unwrap_or(0) >> 4) as usize * 4;
    let Ok(data) = seg.tcp.sub(hdr_len, seg.length as usize) else {
        ctx.push("snaplen too short, ");
        return None;
    };
    let Some(secret) = &ctx.opts.tcp_md5_secret else {
        ctx.push("shared secret not supplied with -M, ");
        return None;
    };
    let ip = seg.ip;
    let mut h = Md5::new();
    h.update(ip.src);
    h.update(ip.dst);
    if ip.ver == 4 {
        h.update([0, ip.nh]);
        h.update((ip.payload_len as u16).to_be_bytes());
    } else {
        h.update(ip.payload_len.to_be_bytes());
        h.update([0, 0, 0, IPPROTO_TCP]);
    }
    let mut th = [0u8; 20];
    th.copy_from_slice(seg.tcp.sub(0, 20).ok()?);
    th[16] = 0;
    th[17] = 0;
    h.update(th);
    h.update(data);
    h.update(secret.as_bytes());
    Some(h.finalize()[..] == *rcvsig)
}

fn rst_data_print(ctx: &mut Ctx, sp: &[u8], length: u32) {
    ctx.push(if sp.has(0, length as usize) {
        " [RST"
    } else {
        " [!RST"
    });
    let mut length = length;
    if length > MAX_RST_DATA_LEN {
        length = MAX_RST_DATA_LEN;
        ctx.push("+");
    }
    ctx.push(" ");
    for &c in sp.iter().take(length as usize) {
        fn_print_char(ctx.out, c);
    }
    ctx.push("]");
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::{
        assert_every_truncated_packet_is_safe, print_packets, verbosities,
    };

    fn ip4(tcp: &[u8]) -> Vec<u8> {
        let total = 20 + tcp.len();
        let mut d = vec![
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0,
            0,
            0x40,
            0,
            64,
            6,
            0,
            0,
        ];
        d.extend_from_slice(&[192, 168, 1, 10, 203, 0, 113, 80]);
        let s = crate::proto::in_cksum(&[&d]);
        d[10..12].copy_from_slice(&s.to_be_bytes());
        d.extend_from_slice(tcp);
        // TCP checksum
        let ph = [192, 168, 1, 10, 203, 0, 113, 80, 0, 6, 0, tcp.len() as u8];
        let s = crate::proto::in_cksum(&[&ph, tcp]);
        d[20 + 16..20 + 18].copy_from_slice(&s.to_be_bytes());
        d
    }

    fn run(opts: PrintOptions, pkts: &[Vec<u8>]) -> String {
        run_len(opts, pkts, None)
    }

    fn run_len(opts: PrintOptions, pkts: &[Vec<u8>], len: Option<u32>) -> String {
        print_packets(
            opts,
            101,
            pkts.iter().map(|d| (&d[..], len.unwrap_or(d.len() as u32))),
        )
    }

    fn seg(
        sport: u16,
        dport: u16,
        seq: u32,
        ack: u32,
        flags: u8,
        opts: &[u8],
        payload: &[u8],
    ) -> Vec<u8> {
        let off = (20 + opts.len()) / 4;
        let mut t = Vec::new();
        t.extend_from_slice(&sport.to_be_bytes());
        t.extend_from_slice(&dport.to_be_bytes());
        t.extend_from_slice(&seq.to_be_bytes());
        t.extend_from_slice(&ack.to_be_bytes());
        t.extend_from_slice(&[(off as u8) << 4, flags, 0xfa, 0xf0, 0, 0, 0, 0]);
        t.extend_from_slice(opts);
        t.extend_from_slice(payload);
        ip4(&t)
    }

    #[test]
    fn md5_signature_checked_with_the_secret() {
        use md5::{Digest, Md5};
        // A SYN 198.18.0.1.1000 > 198.18.0.2.2000 with an MD5 option (then two NOPs).
        let (src, dst) = ([198u8, 18, 0, 1], [198u8, 18, 0, 2]);
        let mut th = vec![
            3, 0xe8, 7, 0xd0, 0, 0, 0, 1, 0, 0, 0, 0, 0xa0, 0x02, 0xff, 0xff,
        ];
        th.extend_from_slice(&[0, 0, 0, 0]);
        let mut h = Md5::new();
        h.update(src);
        h.update(dst);
        h.update([0, 6, 0, 40]);
        h.update(&th);
        h.update(b"s3cret");
        let sig = h.finalize();
        let mut tcp = th.clone();
        tcp.extend_from_slice(&[19, 18]);
        tcp.extend_from_slice(&sig);
        tcp.extend_from_slice(&[1, 1]);
        let mut d = vec![0x45, 0, 0, 60, 0, 0, 0, 0, 64, 6, 0, 0];
        d.extend_from_slice(&src);
        d.extend_from_slice(&dst);
        d.extend_from_slice(&tcp);
        let with = |secret: Option<&str>| {
            print_packets(
                PrintOptions {
                    tcp_md5_secret: secret.map(str::to_string),
                    ts_format: crate::TsFormat::None,
                    ..Default::default()
                },
                101,
                [(&d[..], 60)],
            )
        };
        let line = |opt: &str| {
            format!(
                "IP 198.18.0.1.1000 > 198.18.0.2.2000: Flags [S], seq 1, win 65535, options \
                 [md5 {opt},nop,nop], length 0\n"
            )
        };
        assert_eq!(with(Some("s3cret")), line("valid"));
        assert_eq!(with(Some("other")), line(" (invalid)"));
        let hex: String = sig.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            with(None),
            line(&format!(
                "shared secret not supplied with -M, can't check - {hex}"
            ))
        );
    }

    #[test]
    fn relative_sequence_numbers() {
        let syn = seg(
            51000,
            443,
            1000,
            0,
            0x02,
            &[2, 4, 5, 0xb4, 4, 2, 1, 3, 3, 7, 1, 1],
            &[],
        );
        let synack = {
            // reversed direction, addresses swapped
            let mut d = seg(443, 51000, 5000, 1001, 0x12, &[], &[]);
            d.swap(12, 16);
            for i in 12..16 {
                d.swap(i, i + 4);
            }
            d
        };
        let _ = synack;
        let data = seg(
            51000,
            443,
            1001,
            5001,
            0x18,
            &[1, 1, 5, 10, 0, 0, 0x13, 0x8a, 0, 0, 0x13, 0x94],
            b"hi",
        );
        let out = run(PrintOptions::default(), &[syn, data.clone()]);
        assert_eq!(
            out,
            "IP 192.168.1.10.51000 > 203.0.113.80.443: Flags [S], seq 1000, win 64240, \
             options [mss 1460,sackOK,nop,wscale 7,nop,nop], length 0\n\
             IP 192.168.1.10.51000 > 203.0.113.80.443: Flags [P.], seq 1001:1003, ack 5001, \
             win 64240, options [nop,nop,sack 1 {2:12}], length 2\n"
        );
        // Seen twice: the second time it is relative to the first.
        let out = run(PrintOptions::default(), &[data.clone(), data.clone()]);
        assert!(
            out.ends_with(
                "Flags [P.], seq 0:2, ack 1, win 64240, options [nop,nop,sack 1 {2:12}], length 2\n"
            ),
            "{out}"
        );
        let out = run(
            PrintOptions {
                absolute_seq: true,
                ..Default::default()
            },
            &[data.clone(), data],
        );
        assert!(out.ends_with(
            "seq 1001:1003, ack 5001, win 64240, options [nop,nop,sack 1 {5002:5012}], length 2\n"
        ));
    }

    #[test]
    fn verbose_checksum_and_options() {
        let d = seg(
            1,
            2,
            7,
            0,
            0x02,
            &[
                19, 18, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 28, 4, 0x80, 0x03,
                34, 2,
            ],
            &[],
        );
        let cksum = u16::from_be_bytes([d[36], d[37]]);
        let out = run(
            PrintOptions {
                verbose: 1,
                ..Default::default()
            },
            std::slice::from_ref(&d),
        );
        assert_eq!(
            out,
            format!(
                "IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 64)\n    \
                 192.168.1.10.1 > 203.0.113.80.2: Flags [S], cksum 0x{cksum:04x} (correct), seq 7, \
                 win 64240, options [md5 shared secret not supplied with -M, can't check - \
                 0102030405060708090a0b0c0d0e0f10,uto 0x8003 983100,tfo  cookiereq], length 0\n"
            )
        );
        let mut bad = d;
        bad[37] ^= 0xff;
        let out = run(
            PrintOptions {
                verbose: 1,
                ..Default::default()
            },
            &[bad],
        );
        assert!(
            out.contains(&format!("(incorrect -> 0x{cksum:04x})")),
            "{out}"
        );
    }

    #[test]
    fn truncated_options() {
        let d = seg(
            1,
            2,
            7,
            0,
            0x02,
            &[1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2],
            &[],
        );
        let out = run_len(
            PrintOptions::default(),
            &[d[..20 + 20 + 5].to_vec()],
            Some(d.len() as u32),
        );
        assert_eq!(
            out,
            "IP 192.168.1.10.1 > 203.0.113.80.2: Flags [S], seq 7, win 64240, options [nop,nop,TS [|tcp]>\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = seg(
            80,
            2,
            7,
            9,
            0x1f,
            &[
                2, 4, 5, 0xb4, 30, 4, 0, 0, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 254, 4, 0xf9, 0x89, 0, 0,
            ],
            b"GET / HTTP/1.1\r\n",
        );
        assert_every_truncated_packet_is_safe(101, &d, &verbosities(2));
    }
}
