//! Stream Control Transmission Protocol (RFC 9260; payload protocol identifiers from IANA's
//! "SCTP Payload Protocol Identifiers" registry); tcpdump's print-sctp.c.
//!
//! ```text
//! common header: source port(2) destination port(2) verification tag(4) checksum(4)
//! chunk:         type(1) flags(1) length(2) value(length - 4), padded to 4 bytes
//! ```
//!
//! Only DATA, INIT, INIT ACK and SACK are decoded further; DATA payloads go to ForCES (its
//! ports or PPIDs) and, with `-vv`, to M3UA or a hex dump.

use super::{Ctx, IpHdr, forces, m3ua, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const SCTP_HDRLEN: u32 = 12;
const CHUNK_DESC_LEN: u32 = 4;

const SCTP_DATA: u8 = 0x00;
const SCTP_INITIATION: u8 = 0x01;
const SCTP_INITIATION_ACK: u8 = 0x02;
const SCTP_SELECTIVE_ACK: u8 = 0x03;

const CHUNK_NAMES: &[(u32, &str)] = &[
    (0x00, "DATA"),
    (0x01, "INIT"),
    (0x02, "INIT ACK"),
    (0x03, "SACK"),
    (0x04, "HB REQ"),
    (0x05, "HB ACK"),
    (0x06, "ABORT"),
    (0x07, "SHUTDOWN"),
    (0x08, "SHUTDOWN ACK"),
    (0x09, "OP ERR"),
    (0x0a, "COOKIE ECHO"),
    (0x0b, "COOKIE ACK"),
    (0x0c, "ECN ECHO"),
    (0x0d, "ECN CWR"),
    (0x0e, "SHUTDOWN COMPLETE"),
    (0xc0, "FOR CUM TSN"),
    (0xc1, "REL CTRL"),
    (0xc2, "REL CTRL ACK"),
];

const DATA_LAST_FRAG: u8 = 0x01;
const DATA_FIRST_FRAG: u8 = 0x02;
const DATA_UNORDERED: u8 = 0x04;

/// ForCES's SCTP ports (RFC 5811): high, medium and low priority channels.
const FORCES_CHANNELS: &[(u32, &str)] = &[
    (6704, "ForCES HP"),
    (6705, "ForCES MP"),
    (6706, "ForCES LP"),
];

const PPID_M3UA: u32 = 3;
const PPID_FORCES_HP: u32 = 21;
const PPID_FORCES_LP: u32 = 23;

const PPID_NAMES: &[(u32, &str)] = &[
    (1, "ISDN Q.921"),
    (2, "M2UA"),
    (3, "M3UA"),
    (4, "SUA"),
    (5, "M2PA"),
    (6, "V5.2"),
    (7, "H.248"),
    (8, "BICC"),
    (9, "TALI"),
    (10, "DUA"),
    (11, "ASAP"),
    (12, "ENRP"),
    (13, "H.323"),
    (14, "Q.IPC"),
    (15, "SIMCO"),
    (16, "DDPSC"),
    (17, "DDPSSC"),
    (18, "S1AP"),
    (19, "RUA"),
    (20, "HNBAP"),
    (21, "ForCES HP"),
    (22, "ForCES MP"),
    (23, "ForCES LP"),
    (24, "SBc-AP"),
    (25, "NBAP"),
    (27, "X2AP"),
];

fn forces_channel(port: u16) -> Option<&'static str> {
    super::tok(FORCES_CHANNELS, port as u32)
}

/// How a chunk's decoding ended.
enum Chunk {
    /// Go on with the next chunk.
    Next,
    /// tcpdump returned from the printer (a bogus length was reported).
    Stop,
}

/// An SCTP packet. `p`: captured bytes from the common header on; `length`: its length.
pub fn sctp_print(ctx: &mut Ctx, p: &[u8], length: u32, ip: &IpHdr) -> PResult {
    ctx.protocol = "sctp";
    if length < SCTP_HDRLEN {
        pr!(
            ctx,
            "truncated-sctp - {} bytes missing!",
            SCTP_HDRLEN - length
        );
        return Ok(());
    }
    if !p.has(0, SCTP_HDRLEN as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    let sport = p.be_u16(0)?;
    let dport = p.be_u16(2)?;
    ctx.ip(ip.src);
    pr!(ctx, ".{} > ", sport);
    ctx.ip(ip.dst);
    pr!(ctx, ".{}: sctp", dport);
    let mut isforces = false;
    for port in [sport, dport] {
        if let Some(n) = forces_channel(port) {
            pr!(ctx, "[{}]", n);
            isforces = true;
        }
    }
    if !chunks_print(ctx, p, length - SCTP_HDRLEN, isforces)? {
        // tcpdump's `goto trunc` (an `ND_TCHECK` failed): the marker, then a normal return.
        ctx.print_trunc();
    }
    Ok(())
}

/// The chunk loop. `Ok(false)`: an `ND_TCHECK` failed; `Err`: a `GET_*` failed (longjmp).
fn chunks_print(ctx: &mut Ctx, p: &[u8], length: u32, mut isforces: bool) -> PResult<bool> {
    let mut off = SCTP_HDRLEN as usize;
    // u_int in tcpdump: a chunk longer than the packet makes it wrap, the loop then ends on
    // truncation.
    let mut remaining = length;
    let mut sep = if ctx.vflag() >= 2 { "\n\t" } else { " (" };
    let mut count: u32 = 0;
    while remaining != 0 {
        count += 1;
        if remaining < CHUNK_DESC_LEN {
            pr!(
                ctx,
                "{}{}) [chunk descriptor cut off at end of packet]",
                sep,
                count
            );
            break;
        }
        if !p.has(off, CHUNK_DESC_LEN as usize) {
            return Ok(false);
        }
        let chunk_len = p.be_u16(off + 2)?;
        if (chunk_len as u32) < CHUNK_DESC_LEN {
            pr!(
                ctx,
                "{}{}) [Bad chunk length {}, < size of chunk descriptor]",
                sep,
                count,
                chunk_len
            );
            break;
        }
        let align = match chunk_len % 4 {
            0 => 0,
            a => 4 - a as u32,
        };
        if remaining < align {
            pr!(
                ctx,
                "{}{}) [Bad chunk length {}, > remaining data in packet]",
                sep,
                count,
                chunk_len
            );
            break;
        }
        if !p.has(off, chunk_len as usize) {
            return Ok(false);
        }
        let id = p[off];
        let flags = p[off + 1];
        let body = &p[off + 4..];
        let body_len = chunk_len - CHUNK_DESC_LEN as u16;
        remaining = remaining.wrapping_sub(CHUNK_DESC_LEN);
        pr!(ctx, "{}{}) [", sep, count);
        tok2str(
            ctx.out,
            CHUNK_NAMES,
            "Unknown chunk type: 0x{:x}",
            id as u32,
        );
        ctx.push("] ");
        if let Chunk::Stop = chunk_print(ctx, id, flags, body, body_len, chunk_len, &mut isforces)?
        {
            return Ok(true);
        }
        // Whatever the chunk's decoder used, the chunk (and its padding) is skipped whole.
        remaining = remaining.wrapping_sub(body_len as u32);
        off += chunk_len as usize;
        if ctx.vflag() < 2 {
            sep = ", (";
        }
        if align != 0 {
            if !p.has(off, align as usize) {
                return Ok(false);
            }
            off += align as usize;
            remaining = remaining.wrapping_sub(align);
        }
    }
    Ok(true)
}

/// One chunk's value: `b` from after the chunk descriptor, `len` bytes of it (all captured).
fn chunk_print(
    ctx: &mut Ctx,
    id: u8,
    flags: u8,
    b: &[u8],
    len: u16,
    chunk_len: u16,
    isforces: &mut bool,
) -> PResult<Chunk> {
    let bogus = |ctx: &mut Ctx| {
        pr!(ctx, "bogus chunk length {}]", chunk_len);
        Ok(Chunk::Stop)
    };
    match id {
        SCTP_DATA => {
            if flags & DATA_UNORDERED != 0 {
                ctx.push("(U)");
            }
            if flags & DATA_FIRST_FRAG != 0 {
                ctx.push("(B)");
            }
            if flags & DATA_LAST_FRAG != 0 {
                ctx.push("(E)");
            }
            if flags & (DATA_UNORDERED | DATA_FIRST_FRAG | DATA_LAST_FRAG) != 0 {
                ctx.push(" ");
            }
            if len < 12 {
                return bogus(ctx);
            }
            let ppid = b.be_u32(8)?;
            pr!(ctx, "[TSN: {}] ", b.be_u32(0)?);
            pr!(ctx, "[SID: {}] ", b.be_u16(4)?);
            pr!(ctx, "[SSEQ {}] ", b.be_u16(6)?);
            ctx.push("[PPID ");
            tok2str(ctx.out, PPID_NAMES, "0x{:x}", ppid);
            ctx.push("] ");
            if !*isforces {
                *isforces = (PPID_FORCES_HP..=PPID_FORCES_LP).contains(&ppid);
            }
            let payload_len = len - 12;
            if payload_len == 0 {
                return bogus(ctx);
            }
            let payload = &b[12..];
            if *isforces {
                forces::forces_print(ctx, payload, payload_len as u32)?;
                ctx.protocol = "sctp";
            } else if ctx.vflag() >= 2 {
                if ppid == PPID_M3UA {
                    m3ua::m3ua_print(ctx, payload, payload_len as u32)?;
                    ctx.protocol = "sctp";
                } else {
                    ctx.push("[Payload");
                    if !ctx.suppress_default_print() {
                        ctx.push(":");
                        ctx.default_print(payload, payload_len as u32)?;
                    }
                    ctx.push("]");
                }
            }
        }
        SCTP_INITIATION | SCTP_INITIATION_ACK => {
            if len < 16 {
                return bogus(ctx);
            }
            pr!(ctx, "[init tag: {}] ", b.be_u32(0)?);
            pr!(ctx, "[rwnd: {}] ", b.be_u32(4)?);
            pr!(ctx, "[OS: {}] ", b.be_u16(8)?);
            pr!(ctx, "[MIS: {}] ", b.be_u16(10)?);
            pr!(ctx, "[init TSN: {}] ", b.be_u32(12)?);
        }
        SCTP_SELECTIVE_ACK => {
            if len < 12 {
                return bogus(ctx);
            }
            let cum = b.be_u32(0)?;
            let gaps = b.be_u16(8)?;
            let dups = b.be_u16(10)?;
            pr!(ctx, "[cum ack {}] ", cum);
            pr!(ctx, "[a_rwnd {}] ", b.be_u32(4)?);
            pr!(ctx, "[#gap acks {}] ", gaps);
            pr!(ctx, "[#dup tsns {}] ", dups);
            let mut rem = len - 12;
            let mut off = 12;
            let mut n = 0;
            while rem != 0 && n < gaps {
                if rem < 4 {
                    return bogus(ctx);
                }
                pr!(
                    ctx,
                    "\n\t\t[gap ack block #{}: start = {}, end = {}] ",
                    n + 1,
                    cum.wrapping_add(b.be_u16(off)? as u32),
                    cum.wrapping_add(b.be_u16(off + 2)? as u32)
                );
                off += 4;
                rem -= 4;
                n += 1;
            }
            n = 0;
            while rem != 0 && n < dups {
                if rem < 4 {
                    return bogus(ctx);
                }
                pr!(ctx, "\n\t\t[dup TSN #{}: {}] ", n + 1, b.be_u32(off)?);
                off += 4;
                rem -= 4;
                n += 1;
            }
        }
        _ => {}
    }
    Ok(Chunk::Next)
}

#[cfg(test)]
mod tests {
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    /// IPv4 (raw) + SCTP common header + `chunks`.
    fn pkt(sport: u16, dport: u16, chunks: &[u8]) -> Vec<u8> {
        let total = 20 + 12 + chunks.len();
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
            132,
            0,
            0,
            10,
            28,
            6,
            42,
            10,
            28,
            6,
            44,
        ];
        d.extend_from_slice(&sport.to_be_bytes());
        d.extend_from_slice(&dport.to_be_bytes());
        d.extend_from_slice(&[0; 8]);
        d.extend_from_slice(chunks);
        d
    }

    fn print(o: PrintOptions, d: &[u8]) -> String {
        print_packet(o, 101, d)
    }

    const DATA: &[u8] = &[
        0x00, 0x03, 0x00, 0x13, 0x6c, 0xa8, 0x2c, 0xcc, 0x00, 0x06, 0x00, 0x2a, 0x00, 0x00, 0x00,
        0x2f, 0xaa, 0xbb, 0xcc, 0x00,
    ];
    const SACK: &[u8] = &[
        0x03, 0x00, 0x00, 0x18, 0, 0, 0, 10, 0, 0, 0xdf, 0xe8, 0, 1, 0, 1, 0, 2, 0, 4, 0, 0, 0, 7,
    ];

    #[test]
    fn data_and_sack_chunks() {
        let mut c = DATA.to_vec();
        c.extend_from_slice(SACK);
        assert_eq!(
            print(opts(0, false), &pkt(2905, 2905, &c)),
            "IP 10.28.6.42.2905 > 10.28.6.44.2905: sctp (1) [DATA] (B)(E) [TSN: 1822960844] \
             [SID: 6] [SSEQ 42] [PPID 0x2f] , (2) [SACK] [cum ack 10] [a_rwnd 57320] \
             [#gap acks 1] [#dup tsns 1] \n\t\t[gap ack block #1: start = 12, end = 14] \
             \n\t\t[dup TSN #1: 7] \n"
        );
        let out = print(opts(2, false), &pkt(2905, 2905, DATA));
        assert!(
            out.ends_with(
                "sctp\n\t1) [DATA] (B)(E) [TSN: 1822960844] [SID: 6] [SSEQ 42] [PPID 0x2f] \
                 [Payload:\n\t0x0000:  aabb cc                                  ...]\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn forces_ports_are_named_and_bad_lengths_reported() {
        let out = print(opts(0, false), &pkt(6704, 40000, &[0x04, 0, 0, 2]));
        assert_eq!(
            out,
            "IP 10.28.6.42.6704 > 10.28.6.44.40000: sctp[ForCES HP] (1) \
             [Bad chunk length 2, < size of chunk descriptor]\n"
        );
        let out = print(opts(0, false), &pkt(1, 2, &[0x04, 0, 0, 8, 0, 0]));
        assert!(out.ends_with(" sctp [|sctp]\n"), "{out}");
        let out = print(opts(0, false), &pkt(1, 2, &[0x00, 3, 0, 8, 0, 0, 0, 0]));
        assert!(
            out.ends_with("(1) [DATA] (B)(E) bogus chunk length 8]\n"),
            "{out}"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let mut c = DATA.to_vec();
        c.extend_from_slice(SACK);
        let variants = [opts(0, false), opts(2, false), opts(3, false)];
        assert_every_truncated_packet_is_safe(101, &pkt(2905, 6706, &c), &variants);
    }
}
