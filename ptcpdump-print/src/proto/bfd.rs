//! BFD, Bidirectional Forwarding Detection: version 1 (RFC 5880) over single-hop (RFC 5881,
//! UDP port 3784, echo 3785), multihop (RFC 5883, port 4784) and LAG (RFC 7130, port 6784),
//! and the version 0 of draft-katz-ward-bfd-01; tcpdump's print-bfd.c.

use super::util_print::{print_unknown_data, printn, tail};
use super::{Ctx, bittok2str, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

pub const BFD_CONTROL_PORT: u16 = 3784;
pub const BFD_ECHO_PORT: u16 = 3785;
pub const BFD_MULTIHOP_PORT: u16 = 4784;
pub const BFD_LAG_PORT: u16 = 6784;

const HDR_LEN: usize = 24;

const AUTH_PASSWORD: u8 = 1;
const AUTH_MD5: u8 = 2;
const AUTH_MET_MD5: u8 = 3;
const AUTH_SHA1: u8 = 4;
const AUTH_MET_SHA1: u8 = 5;

const AUTH_VALUES: &[(u32, &str)] = &[
    (1, "Simple Password"),
    (2, "Keyed MD5"),
    (3, "Meticulous Keyed MD5"),
    (4, "Keyed SHA1"),
    (5, "Meticulous Keyed SHA1"),
];

const DIAG_VALUES: &[(u32, &str)] = &[
    (0, "No Diagnostic"),
    (1, "Control Detection Time Expired"),
    (2, "Echo Function Failed"),
    (3, "Neighbor Signaled Session Down"),
    (4, "Forwarding Plane Reset"),
    (5, "Path Down"),
    (6, "Concatenated Path Down"),
    (7, "Administratively Down"),
    (8, "Reverse Concatenated Path Down"),
];

const PORT_VALUES: &[(u32, &str)] = &[(3784, "Control"), (4784, "Multihop"), (6784, "Lag")];

const FLAG_AUTH: u8 = 0x04;

const V0_FLAG_VALUES: &[(u32, &str)] = &[
    (0x80, "I Hear You"),
    (0x40, "Demand"),
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Reserved"),
    (0x01, "Reserved"),
];

const V1_FLAG_VALUES: &[(u32, &str)] = &[
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Demand"),
    (0x01, "Multipoint"),
];

const V1_STATE_VALUES: &[(u32, &str)] = &[(0, "AdminDown"), (1, "Down"), (2, "Init"), (3, "Up")];

/// A BFD packet sent to UDP port `port`.
pub fn bfd_print(ctx: &mut Ctx, p: &[u8], len: u32, port: u16) -> PResult {
    ctx.protocol = "bfd";
    if !matches!(port, BFD_CONTROL_PORT | BFD_MULTIHOP_PORT | BFD_LAG_PORT) {
        if port == BFD_ECHO_PORT {
            pr!(ctx, "BFD, Echo, length: {}", len);
        } else {
            pr!(ctx, "BFD, unknown ({}), length: {}", port, len);
        }
        if ctx.vflag() >= 1 {
            print_unknown_data(ctx, p, "\n\t", len as usize);
        }
        return Ok(());
    }
    p.sub(0, HDR_LEN)?;
    let version = p[0] >> 5;
    let diag = p[0] & 0x1f;
    let flags = p[1];
    match version {
        0 => {
            if ctx.vflag() < 1 {
                ctx.push("BFDv0, Control, Flags: [");
                bittok2str(ctx.out, V0_FLAG_VALUES, "none", flags as u32, ", ");
                pr!(ctx, "], length: {}", len);
                return Ok(());
            }
            pr!(ctx, "BFDv0, length: {}\n\tControl, Flags: [", len);
            bittok2str(ctx.out, V0_FLAG_VALUES, "none", flags as u32, ", ");
        }
        1 => {
            let state = ((flags & 0xc0) >> 6) as u32;
            if ctx.vflag() < 1 {
                ctx.push("BFDv1, ");
            } else {
                pr!(ctx, "BFDv1, length: {}\n\t", len);
            }
            tok2str(ctx.out, PORT_VALUES, "unknown ({})", port as u32);
            ctx.push(", State ");
            tok2str(ctx.out, V1_STATE_VALUES, "unknown ({})", state);
            ctx.push(", Flags: [");
            bittok2str(ctx.out, V1_FLAG_VALUES, "none", (flags & 0x3f) as u32, ", ");
            if ctx.vflag() < 1 {
                pr!(ctx, "], length: {}", len);
                return Ok(());
            }
        }
        _ => {
            pr!(ctx, "BFDv{}, Control, length: {}", version, len);
            if ctx.vflag() >= 1 {
                print_unknown_data(ctx, p, "\n\t", len as usize);
            }
            return Ok(());
        }
    }
    pr!(
        ctx,
        "], Diagnostic: {} (0x{:02x})",
        tok(DIAG_VALUES, diag as u32).unwrap_or("unknown"),
        diag
    );
    let mult = p[2] as u32;
    let tx = p.be_u32(12)?;
    pr!(
        ctx,
        "\n\tDetection Timer Multiplier: {} ({} ms Detection time), BFD Length: {}",
        mult,
        mult.wrapping_mul(tx) / 1000,
        p[3]
    );
    pr!(ctx, "\n\tMy Discriminator: 0x{:08x}", p.be_u32(4)?);
    pr!(ctx, ", Your Discriminator: 0x{:08x}", p.be_u32(8)?);
    pr!(ctx, "\n\t  Desired min Tx Interval:    {:4} ms", tx / 1000);
    pr!(
        ctx,
        "\n\t  Required min Rx Interval:   {:4} ms",
        p.be_u32(16)? / 1000
    );
    pr!(
        ctx,
        "\n\t  Required min Echo Interval: {:4} ms",
        p.be_u32(20)? / 1000
    );
    if flags & FLAG_AUTH != 0 {
        auth_print(ctx, tail(p, HDR_LEN))?;
    }
    Ok(())
}

/// The authentication section after the mandatory header (RFC 5880 section 4.2).
fn auth_print(ctx: &mut Ctx, a: &[u8]) -> PResult {
    a.sub(0, 4)?;
    let (ty, len) = (a[0], a[1]);
    pr!(
        ctx,
        "\n\tAuthentication: {} ({}), length: {}",
        tok(AUTH_VALUES, ty as u32).unwrap_or("Unknown"),
        ty,
        len
    );
    pr!(ctx, "\n\t  Auth Key ID: {}", a[2]);
    let invalid = |ctx: &mut Ctx| pr!(ctx, "[invalid length {}]", len);
    match ty {
        AUTH_PASSWORD => {
            // Type, length and key ID, then 1 to 16 octets of password.
            if !(4..=19).contains(&len) {
                invalid(ctx);
                return Ok(());
            }
            ctx.push(", Password: ");
            printn(ctx, tail(a, 3), len as usize - 3)?;
        }
        AUTH_MD5 | AUTH_MET_MD5 | AUTH_SHA1 | AUTH_MET_SHA1 => {
            let md5 = matches!(ty, AUTH_MD5 | AUTH_MET_MD5);
            let (field, hash) = if md5 { (24, 16) } else { (28, 20) };
            if len != field {
                invalid(ctx);
                return Ok(());
            }
            pr!(ctx, ", Sequence Number: 0x{:08x}", a.be_u32(4)?);
            let h = a.sub(8, hash)?;
            ctx.push(if md5 {
                "\n\t  Digest: "
            } else {
                "\n\t  Hash: "
            });
            for b in h {
                pr!(ctx, "{:02x}", b);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], v: u8, port: u16) -> String {
        run_marked(&opts(v, false), |ctx| {
            bfd_print(ctx, p, p.len() as u32, port)
        })
    }

    // Version 1, Down, with keyed MD5 authentication (key 2, sequence 5).
    const MD5: &[u8] = &[
        0x20, 0x44, 0x05, 0x30, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x42,
        0x40, 0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0x00, 0x00, 0x02, 0x18, 0x02, 0x00, 0x00, 0x00,
        0x00, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x10, 0x11, 0x12, 0x13,
        0x14, 0x15, 0x16,
    ];

    #[test]
    fn control_with_md5() {
        assert_eq!(
            run(MD5, 0, BFD_CONTROL_PORT),
            "BFDv1, Control, State Down, Flags: [Authentication Present], length: 48"
        );
        assert_eq!(
            run(MD5, 1, BFD_CONTROL_PORT),
            "BFDv1, length: 48\n\tControl, State Down, Flags: [Authentication Present], \
             Diagnostic: No Diagnostic (0x00)\n\tDetection Timer Multiplier: 5 (5000 ms \
             Detection time), BFD Length: 48\n\tMy Discriminator: 0x00000001, Your \
             Discriminator: 0x00000000\n\t  Desired min Tx Interval:    1000 ms\
             \n\t  Required min Rx Interval:   1000 ms\n\t  Required min Echo Interval:    0 \
             ms\n\tAuthentication: Keyed MD5 (2), length: 24\n\t  Auth Key ID: 2, Sequence \
             Number: 0x00000005\n\t  Digest: 01020304050607080910111213141516"
        );
        assert_eq!(run(&MD5[..30], 0, BFD_ECHO_PORT), "BFD, Echo, length: 30");
    }

    #[test]
    fn truncated_at_every_offset() {
        for port in [BFD_CONTROL_PORT, BFD_ECHO_PORT, BFD_LAG_PORT, 9] {
            assert_every_truncation_is_safe(MD5, &verbosities(1), |ctx, p| {
                bfd_print(ctx, p, MD5.len() as u32, port)
            });
        }
    }
}
