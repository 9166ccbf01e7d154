//! Precision Time Protocol, PTP version 2 (IEEE 1588-2008: common header 13.3, message bodies
//! 13.5 to 13.12); tcpdump's print-ptp.c. UDP ports 319/320 and Ethernet type 0x88f7.
//!
//! ```text
//! 0  transportSpecific(4b) messageType(4b)   1 versionPTP     2 messageLength(2)
//! 4  domainNumber   5 reserved   6 flags(2)  8 correctionField(8: 48-bit ns, 16-bit sub-ns)
//! 16 reserved(4)   20 sourcePortIdentity(clock identity 8, port number 2)
//! 30 sequenceId(2) 32 controlField  33 logMessageInterval   34 message body
//! ```

use super::{Ctx, bittok2str, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const HDR_LEN: u32 = 34;

const MSG_TYPES: &[(u32, &str)] = &[
    (0x0, "sync msg"),
    (0x1, "delay req msg"),
    (0x2, "peer delay req msg"),
    (0x3, "peer delay resp msg"),
    (0x8, "follow up msg"),
    (0x9, "delay resp msg"),
    (0xa, "pdelay resp fup msg"),
    (0xb, "announce msg"),
    (0xc, "signalling msg"),
    (0xd, "management msg"),
];

const CONTROL_FIELDS: &[(u32, &str)] = &[
    (0, "Sync"),
    (1, "Delay_Req"),
    (2, "Follow_Up"),
    (3, "Delay_Resp"),
    (4, "Management"),
    (5, "Other"),
];

const FLAGS: &[(u32, &str)] = &[
    (0x1, "l1 61"),
    (0x2, "l1 59"),
    (0x4, "utc reasonable"),
    (0x8, "timescale"),
    (0x10, "time tracable"),
    (0x20, "frequency tracable"),
    (0x100, "alternate master"),
    (0x200, "two step"),
    (0x400, "unicast"),
    (0x1000, "profile specific 1"),
    (0x2000, "profile specific 2"),
    (0x4000, "security mask"),
    (0x18c0, "unknown"),
];

const PRECISE_ORIGIN_TS: &str = "preciseOriginTimeStamp";
const ORIGIN_TS: &str = "originTimeStamp";
const RECEIVE_TS: &str = "receiveTimeStamp";

fn u48(p: &[u8], off: usize) -> PResult<u64> {
    let b = p.sub(off, 6)?;
    Ok(b.iter().fold(0, |v, &x| v << 8 | x as u64))
}

/// A PTP message of `length` bytes at `p`.
pub fn ptp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "ptp";
    if length < HDR_LEN {
        pr!(ctx, " [length {} < {}]", length, HDR_LEN);
        ctx.print_invalid();
        return Ok(());
    }
    let version = p.be_u16(0)? & 0xff;
    pr!(ctx, "PTPv{}", version);
    match version {
        1 => ctx.push(" (not implemented)"),
        2 => v2_print(ctx, p)?,
        _ => {}
    }
    Ok(())
}

fn v2_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let first = p.u8_at(0)?;
    pr!(
        ctx,
        ", v1 compat : {}",
        if first & 0x10 != 0 { "yes" } else { "no" }
    );
    let msg_type = first & 0x0f;
    ctx.push(", msg type : ");
    tok2str(ctx.out, MSG_TYPES, "Reserved", msg_type as u32);
    pr!(ctx, ", length : {}", p.be_u16(2)?);
    pr!(ctx, ", domain : {}", p.be_u16(4)? >> 8);
    pr!(ctx, ", reserved1 : {}", p.be_u16(4)? & 0xff);
    let flags = p.be_u16(6)?;
    ctx.push(", Flags [");
    bittok2str(ctx.out, FLAGS, "none", flags as u32, ", ");
    ctx.push("]");
    pr!(ctx, ", NS correction : {}", u48(p, 8)?);
    pr!(ctx, ", sub NS correction : {}", p.be_u16(14)?);
    pr!(ctx, ", reserved2 : {}", p.be_u32(16)?);
    pr!(ctx, ", clock identity : 0x{:x}", p.be_u64(20)?);
    pr!(ctx, ", port id : {}", p.be_u16(28)?);
    pr!(ctx, ", seq id : {}", p.be_u16(30)?);
    let control = p.u8_at(32)?;
    pr!(ctx, ", control : {} (", control);
    tok2str(ctx.out, CONTROL_FIELDS, "Reserved", control as u32);
    ctx.push(")");
    pr!(ctx, ", log message interval : {}", p.be_u16(32)? & 0xff);
    let body = p.get(HDR_LEN as usize..).unwrap_or(&[]);
    match msg_type {
        0x0 | 0x1 => timestamp_print(ctx, body, ORIGIN_TS)?,
        0x8 => timestamp_print(ctx, body, PRECISE_ORIGIN_TS)?,
        0x2 | 0xa => {
            timestamp_print(ctx, body, PRECISE_ORIGIN_TS)?;
            port_identity_print(ctx, body.get(10..).unwrap_or(&[]))?;
        }
        0x3 | 0x9 => {
            timestamp_print(ctx, body, RECEIVE_TS)?;
            port_identity_print(ctx, body.get(10..).unwrap_or(&[]))?;
        }
        0xb => announce_print(ctx, body)?,
        0xc => port_identity_print(ctx, body)?,
        0xd => {
            port_identity_print(ctx, body)?;
            // tcpdump prints these four fields from the start of the body again, each
            // label with a doubled comma.
            for (label, hex) in [
                ("start boundary hops ", false),
                ("boundary hops ", false),
                ("flags ", true),
                ("reserved ", true),
            ] {
                let v = body.u8_at(0)?;
                if hex {
                    pr!(ctx, ", , {} 0x{:x}", label, v);
                } else {
                    pr!(ctx, ", , {} {}", label, v);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A timestamp: 48-bit seconds and 32-bit nanoseconds.
fn timestamp_print(ctx: &mut Ctx, p: &[u8], name: &str) -> PResult {
    pr!(ctx, ", {} :", name);
    pr!(ctx, " {} seconds,", u48(p, 0)?);
    pr!(ctx, " {} nanoseconds", p.be_u32(6)?);
    Ok(())
}

/// A port identity: clock identity and port number.
fn port_identity_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    pr!(ctx, ", port identity : 0x{:x}", p.be_u64(0)?);
    pr!(ctx, ", port id : {}", p.be_u16(8)?);
    Ok(())
}

fn announce_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    pr!(ctx, ", {} :", ORIGIN_TS);
    pr!(ctx, " {} seconds", u48(p, 0)?);
    pr!(ctx, " {} nanoseconds", p.be_u32(6)?);
    pr!(ctx, ", origin cur utc :{}", p.be_u16(10)?);
    pr!(ctx, ", rsvd : {}", p.u8_at(12)?);
    pr!(ctx, ", gm priority_1 : {}", p.u8_at(13)?);
    pr!(ctx, ", gm clock class : {}", p.u8_at(14)?);
    pr!(ctx, ", gm clock accuracy : {}", p.u8_at(15)?);
    pr!(ctx, ", gm clock variance : {}", p.be_u16(16)?);
    pr!(ctx, ", gm priority_2 : {}", p.u8_at(18)?);
    pr!(ctx, ", gm clock id : 0x{:x}", p.be_u64(19)?);
    pr!(ctx, ", steps removed : {}", p.be_u16(27)?);
    pr!(ctx, ", time source : 0x{:x}", p.u8_at(29)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A Delay_Resp (type 9).
    const DELAY_RESP: &[u8] = &[
        0x09, 0x02, 0x00, 0x36, 0x2c, 0x00, 0x04, 0x00, 0, 0, 0, 0, 0x8c, 0xc3, 0, 0, 0, 0, 0, 0,
        0xe8, 0xc5, 0x7a, 0xff, 0xff, 0x01, 0x31, 0x3f, 0x00, 0x03, 0x04, 0xb3, 0x03, 0x7f, 0x00,
        0x00, 0x63, 0x45, 0xad, 0x7f, 0x28, 0x78, 0xf4, 0x4d, 0xa0, 0x36, 0x9f, 0xff, 0xfe, 0x85,
        0x6e, 0x8a, 0x00, 0x01,
    ];

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| ptp_print(ctx, p, p.len() as u32))
    }

    #[test]
    fn delay_response() {
        // tcpdump's ptp_corrections test, packet 2.
        assert_eq!(
            run(DELAY_RESP),
            "PTPv2, v1 compat : no, msg type : delay resp msg, length : 54, domain : 44, \
             reserved1 : 0, Flags [unicast], NS correction : 36035, sub NS correction : 0, \
             reserved2 : 0, clock identity : 0xe8c57affff01313f, port id : 3, seq id : 1203, \
             control : 3 (Delay_Resp), log message interval : 127, receiveTimeStamp : 1665510783 \
             seconds, 679015501 nanoseconds, port identity : 0xa0369ffffe856e8a, port id : 1"
        );
        assert_eq!(run(&DELAY_RESP[..20]), " [length 20 < 34] (invalid)");
    }

    #[test]
    fn truncated_at_every_offset() {
        for t in [0x00, 0x02, 0x09, 0x0b, 0x0c, 0x0d, 0x0f] {
            let mut m = DELAY_RESP.to_vec();
            m.resize(80, 0);
            m[0] = t;
            assert_every_truncation_is_safe(&m, &verbosities(1), |ctx, p| ptp_print(ctx, p, 80));
        }
        let out = run_marked(&opts(0, false), |ctx| ptp_print(ctx, &DELAY_RESP[..40], 54));
        assert!(
            out.ends_with(", receiveTimeStamp : 1665510783 seconds, [|ptp]"),
            "{out}"
        );
    }
}
