//! Cisco HSRP, the Hot Standby Router Protocol version 0 (RFC 2281), UDP port 1985;
//! tcpdump's print-hsrp.c. Version 1 and later are only named.

use super::textutil::relts;
use super::util_print::printjnp;
use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const OP_CODES: [&str; 3] = ["hello", "coup", "resign"];

const STATE_VALUES: &[(u32, &str)] = &[
    (0, "initial"),
    (1, "learn"),
    (2, "listen"),
    (4, "speak"),
    (8, "standby"),
    (16, "active"),
];

const AUTH_LEN: usize = 8;

/// An HSRP message; `p`: the captured UDP payload, `len` its length.
pub fn hsrp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "hsrp";
    let version = p.u8_at(0)?;
    pr!(ctx, "HSRPv{}", version);
    if version != 0 {
        return Ok(());
    }
    ctx.push("-");
    let op = p.u8_at(1)?;
    match OP_CODES.get(op as usize) {
        Some(s) => pr!(ctx, "{} ", s),
        None => pr!(ctx, "unknown ({}) ", op),
    }
    pr!(ctx, "{}: ", len);
    let state = p.u8_at(2)?;
    ctx.push("state=");
    tok2str(ctx.out, STATE_VALUES, "Unknown ({})", state as u32);
    ctx.push(" ");
    pr!(ctx, "group={} ", p.u8_at(6)?);
    let reserved = p.u8_at(7)?;
    if reserved != 0 {
        pr!(ctx, "[reserved={}!] ", reserved);
    }
    let addr = p.sub(16, 4)?;
    ctx.push("addr=");
    ctx.ip(addr);
    if ctx.vflag() > 0 {
        let hello = p.u8_at(3)?;
        ctx.push(" hellotime=");
        relts(ctx.out, hello as u32);
        let hold = p.u8_at(4)?;
        ctx.push(" holdtime=");
        relts(ctx.out, hold as u32);
        pr!(ctx, " priority={}", p.u8_at(5)?);
        // RFC 2281 5.1 implies zero padding of the authentication data.
        ctx.push(" auth=\"");
        printjnp(ctx, super::util_print::tail(p, 8), AUTH_LEN)?;
        ctx.push("\"");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    // A hello from the active router of group 1 (tcpdump's hsrp_1 test capture).
    const HELLO: &[u8] = &[
        0, 0, 16, 3, 10, 100, 1, 0, b'c', b'i', b's', b'c', b'o', 0, 0, 0, 192, 168, 0, 1,
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| hsrp_print(ctx, p, 20))
    }

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn hello() {
        assert_eq!(
            run(0, HELLO),
            "HSRPv0-hello 20: state=active group=1 addr=192.168.0.1"
        );
        assert_eq!(
            run(1, HELLO),
            "HSRPv0-hello 20: state=active group=1 addr=192.168.0.1 hellotime=3s \
             holdtime=10s priority=100 auth=\"cisco\""
        );
        let mut odd = HELLO.to_vec();
        odd[1] = 7;
        odd[2] = 3;
        odd[7] = 9;
        assert_eq!(
            run(0, &odd),
            "HSRPv0-unknown (7) 20: state=Unknown (3) group=1 [reserved=9!] addr=192.168.0.1"
        );
        assert_eq!(run(1, &[1]), "HSRPv1");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(HELLO, &verbosities(1), |ctx, p| hsrp_print(ctx, p, 20));
        for n in 0..20 {
            assert!(run(1, &HELLO[..n]).ends_with(" [|hsrp]"), "{n}");
        }
    }
}
