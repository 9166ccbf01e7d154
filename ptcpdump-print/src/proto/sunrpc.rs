//! ONC RPC calls to the portmapper (RPC RFC 5531, portmapper RFC 1833 section 3); tcpdump's
//! print-sunrpc.c. Printed for UDP with `-T rpc` (replies go to the NFS reply printer).
//!
//! ```text
//! call: xid(4) direction(4, 0) rpcvers(4) prog(4) vers(4) proc(4) cred(flavor, len) ...
//! ```

use super::{Ctx, IpHdr, nfs, pr, tok};
use crate::cursor::{Bytes, PResult};

const PMAP_PORT: u32 = 111;
const RPC_VERSION: u32 = 2;

const PROCS: &[(u32, &str)] = &[
    (0, "null"),
    (1, "set"),
    (2, "unset"),
    (3, "getport"),
    (4, "dump"),
    (5, "call"),
];

/// `-T rpc` on UDP: a call (to the portmapper) or a reply (as an NFS reply).
pub fn rpc_print(ctx: &mut Ctx, rp: &[u8], length: u32, ip: &IpHdr) -> PResult {
    if rp.be_u32(4)? == 0 {
        sunrpc_print(ctx, rp, length, ip)
    } else {
        nfs::nfsreply_print(ctx, rp, length, ip)
    }
}

/// A portmapper call: `src.0xXID > dst.0x6f: LENGTH PROC`, then the program for the
/// procedures that name one.
pub fn sunrpc_print(ctx: &mut Ctx, rp: &[u8], length: u32, ip: &IpHdr) -> PResult {
    ctx.protocol = "sunrpc";
    // The call header up to the credentials' length.
    rp.sub(0, 32)?;
    let xid = rp.be_u32(0)?;
    if ip.ver == 4 || ip.ver == 6 {
        ctx.ip(ip.src);
        pr!(ctx, ".0x{:x} > ", xid);
        ctx.ip(ip.dst);
    } else {
        pr!(ctx, "?.0x{:x} > ?", xid);
    }
    pr!(ctx, ".0x{:x}: {}", PMAP_PORT, length);
    let proc_ = rp.be_u32(20)?;
    match tok(PROCS, proc_) {
        Some(n) => pr!(ctx, " {}", n),
        None => pr!(ctx, "  proc #{}", proc_),
    }
    let rpcvers = rp.be_u32(8)?;
    if rpcvers != RPC_VERSION {
        pr!(ctx, " [rpcver {}]", rpcvers);
    }
    if matches!(proc_, 1 | 2 | 3 | 5) {
        pr!(ctx, " {}", rp.be_u32(12)?);
        pr!(ctx, ".{}", rp.be_u32(16)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    const GETPORT: &[u8] = &[
        0, 0, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0x86, 0xa3, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    fn ip() -> IpHdr<'static> {
        IpHdr {
            ver: 4,
            src: &[10, 0, 0, 1],
            dst: &[10, 0, 0, 2],
            cksum_dst: &[10, 0, 0, 2],
            nh: 17,
            payload_len: 0,
        }
    }

    #[test]
    fn getport() {
        assert_eq!(
            run_marked(&opts(0, false), |ctx| rpc_print(ctx, GETPORT, 40, &ip())),
            "10.0.0.1.0x2a > 10.0.0.2.0x6f: 40 getport 100003.3"
        );
        let mut m = GETPORT.to_vec();
        m[23] = 9;
        assert_eq!(
            run_marked(&opts(0, false), |ctx| rpc_print(ctx, &m, 40, &ip())),
            "10.0.0.1.0x2a > 10.0.0.2.0x6f: 40  proc #9"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(GETPORT, &verbosities(1), |ctx, p| {
            rpc_print(ctx, p, 40, &ip())
        });
    }
}
