//! Spanning tree BPDUs: STP (IEEE 802.1D), RSTP (802.1w), MSTP (802.1s / 802.1Q-2003
//! clause 14) and SPB (802.1aq); tcpdump's print-stp.c. Carried in LLC with SAP 0x42, or in
//! SNAP with Cisco's PVST PID.

use super::util_print::printjnp;
use super::{Ctx, bittok2str, pr, tok};
use crate::cursor::{Bytes, PResult};

/// Length of the configuration BPDU up to and including the version 1 length byte.
const STP_BPDU_LEN: u32 = 36;
const STP_BPDU_MSTP_MIN_LEN: u32 = 102;
const STP_TIME_BASE: f32 = 256.0;

const PROTO_REGULAR: u8 = 0;
const PROTO_RAPID: u8 = 2;
const PROTO_MSTP: u8 = 3;
const PROTO_SPB: u8 = 4;

const STP_PROTO_VALUES: &[(u32, &str)] =
    &[(0, "802.1d"), (2, "802.1w"), (3, "802.1s"), (4, "802.1aq")];

const BPDU_TYPE_CONFIG: u8 = 0x00;
const BPDU_TYPE_RSTP: u8 = 0x02;
const BPDU_TYPE_TOPO_CHANGE: u8 = 0x80;

const STP_BPDU_FLAG_VALUES: &[(u32, &str)] = &[
    (0x01, "Topology change"),
    (0x02, "Proposal"),
    (0x10, "Learn"),
    (0x20, "Forward"),
    (0x40, "Agreement"),
    (0x80, "Topology change ACK"),
];

const STP_BPDU_TYPE_VALUES: &[(u32, &str)] = &[
    (0x00, "Config"),
    (0x02, "Rapid STP"),
    (0x80, "Topology Change"),
];

const RSTP_PORT_ROLE_VALUES: &[(u32, &str)] = &[
    (0, "Unknown"),
    (1, "Alternate"),
    (2, "Root"),
    (3, "Designated"),
];

// MSTP offsets from the start of the BPDU.
const MST_VER3_LEN: usize = 36;
const MST_CONFIG_NAME: usize = 39;
const MST_CONFIG_DIGEST: usize = 73;
const MST_CIST_INT_PATH_COST: usize = 89;
const MST_CIST_BRIDGE_ID: usize = 93;
const MST_CIST_REMAIN_HOPS: usize = 101;
const MST_MSTI: usize = 102;
const MST_MSTI_LENGTH: u32 = 16;
const MST_CONFIG_INFO_LENGTH: u32 = 64;

// SPB offsets from the start of the SPB part.
const SPB_BPDU_MIN_LEN: u32 = 87;
const SPB_CONFIG_NAME: usize = 3;
const SPB_CONFIG_REV: usize = SPB_CONFIG_NAME + 32;
const SPB_CONFIG_DIGEST: usize = SPB_CONFIG_REV + 2;
const SPB_AGREEMENT: usize = SPB_CONFIG_DIGEST + 16;
const SPB_AGREEMENT_FORMAT: usize = SPB_AGREEMENT + 2;
const SPB_AGREEMENT_CON: usize = SPB_AGREEMENT_FORMAT + 1;
const SPB_AGREEMENT_EDGE: usize = SPB_AGREEMENT_CON + 1;
const SPB_AGREEMENT_DIGEST: usize = SPB_AGREEMENT_EDGE + 2 + 8;

fn role(flags: u8) -> &'static str {
    tok(RSTP_PORT_ROLE_VALUES, ((flags & 0x0c) >> 2) as u32).unwrap_or("Unknown")
}

/// `pppp.aa:bb:cc:dd:ee:ff`, read before anything of the line is printed (tcpdump formats
/// it into a buffer first).
fn bridge_id(p: &[u8], off: usize) -> PResult<String> {
    let b = p.sub(off, 8)?;
    Ok(format!(
        "{:02x}{:02x}.{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
    ))
}

fn timers(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let (a, m, h, f) = (p.be_u16(27)?, p.be_u16(29)?, p.be_u16(31)?, p.be_u16(33)?);
    pr!(
        ctx,
        "\n\tmessage-age {:.2}s, max-age {:.2}s, hello-time {:.2}s, forwarding-delay {:.2}s",
        a as f32 / STP_TIME_BASE,
        m as f32 / STP_TIME_BASE,
        h as f32 / STP_TIME_BASE,
        f as f32 / STP_TIME_BASE
    );
    Ok(())
}

fn config_bpdu_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let flags = p.u8_at(4)?;
    ctx.push(", Flags [");
    bittok2str(ctx.out, STP_BPDU_FLAG_VALUES, "none", flags as u32, ", ");
    ctx.push("]");
    let (bid, port) = (bridge_id(p, 17)?, p.be_u16(25)?);
    pr!(ctx, ", bridge-id {}.{:04x}, length {}", bid, port, length);
    if ctx.vflag() == 0 {
        return Ok(());
    }
    timers(ctx, p)?;
    let (rid, cost) = (bridge_id(p, 5)?, p.be_u32(13)?);
    pr!(ctx, "\n\troot-id {}, root-pathcost {}", rid, cost);
    if p.u8_at(2)? == PROTO_RAPID {
        pr!(ctx, ", port-role {}", role(flags));
    }
    Ok(())
}

fn mstp_bpdu_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    let flags = p.u8_at(4)?;
    ctx.push(", CIST Flags [");
    bittok2str(ctx.out, STP_BPDU_FLAG_VALUES, "none", flags as u32, ", ");
    pr!(ctx, "], length {}", length);
    if ctx.vflag() == 0 {
        return Ok(());
    }
    pr!(ctx, "\n\tport-role {}, ", role(flags));
    let (rid, cost) = (bridge_id(p, 5)?, p.be_u32(13)?);
    pr!(ctx, "CIST root-id {}, CIST ext-pathcost {}", rid, cost);
    let rrid = bridge_id(p, 17)?;
    pr!(ctx, "\n\tCIST regional-root-id {}, ", rrid);
    pr!(ctx, "CIST port-id {:04x},", p.be_u16(25)?);
    timers(ctx, p)?;
    pr!(ctx, "\n\tv3len {}, ", p.be_u16(MST_VER3_LEN)?);
    ctx.push("MCID Name ");
    printjnp(ctx, p.from(MST_CONFIG_NAME)?, 32)?;
    pr!(
        ctx,
        ", rev {},\n\t\tdigest {:08x}{:08x}{:08x}{:08x}, ",
        p.be_u16(MST_CONFIG_NAME + 32)?,
        p.be_u32(MST_CONFIG_DIGEST)?,
        p.be_u32(MST_CONFIG_DIGEST + 4)?,
        p.be_u32(MST_CONFIG_DIGEST + 8)?,
        p.be_u32(MST_CONFIG_DIGEST + 12)?
    );
    pr!(
        ctx,
        "CIST int-root-pathcost {},",
        p.be_u32(MST_CIST_INT_PATH_COST)?
    );
    let bid = bridge_id(p, MST_CIST_BRIDGE_ID)?;
    pr!(ctx, "\n\tCIST bridge-id {}, ", bid);
    pr!(
        ctx,
        "CIST remaining-hops {}",
        p.u8_at(MST_CIST_REMAIN_HOPS)?
    );
    let v3len = p.be_u16(MST_VER3_LEN)? as u32;
    if v3len > MST_CONFIG_INFO_LENGTH {
        let mut len = v3len - MST_CONFIG_INFO_LENGTH;
        let mut off = MST_MSTI;
        while len >= MST_MSTI_LENGTH {
            let mflags = p.u8_at(off)?;
            let msti = p.be_u16(off + 1)? & 0x0fff;
            pr!(ctx, "\n\tMSTI {}, Flags [", msti);
            bittok2str(ctx.out, STP_BPDU_FLAG_VALUES, "none", mflags as u32, ", ");
            pr!(ctx, "], port-role {}", role(mflags));
            let (rid, cost) = (bridge_id(p, off + 1)?, p.be_u32(off + 9)?);
            pr!(
                ctx,
                "\n\t\tMSTI regional-root-id {}, pathcost {}",
                rid,
                cost
            );
            pr!(
                ctx,
                "\n\t\tMSTI bridge-prio {}, port-prio {}, hops {}",
                p.u8_at(off + 13)? >> 4,
                p.u8_at(off + 14)? >> 4,
                p.u8_at(off + 15)?
            );
            len -= MST_MSTI_LENGTH;
            off += MST_MSTI_LENGTH as usize;
        }
    }
    Ok(())
}

fn spb_bpdu_print(ctx: &mut Ctx, p: &[u8], off: usize) -> PResult {
    if ctx.vflag() == 0 {
        return Ok(());
    }
    pr!(ctx, "\n\tv4len {}, ", p.be_u16(off)?);
    ctx.push("AUXMCID Name ");
    printjnp(ctx, p.from(off + SPB_CONFIG_NAME)?, 32)?;
    pr!(
        ctx,
        ", Rev {},\n\t\tdigest {:08x}{:08x}{:08x}{:08x}",
        p.be_u16(off + SPB_CONFIG_REV)?,
        p.be_u32(off + SPB_CONFIG_DIGEST)?,
        p.be_u32(off + SPB_CONFIG_DIGEST + 4)?,
        p.be_u32(off + SPB_CONFIG_DIGEST + 8)?,
        p.be_u32(off + SPB_CONFIG_DIGEST + 12)?
    );
    let a = p.u8_at(off + SPB_AGREEMENT)?;
    let f = p.u8_at(off + SPB_AGREEMENT_FORMAT)?;
    let c = p.u8_at(off + SPB_AGREEMENT_CON)?;
    pr!(
        ctx,
        "\n\tAgreement num {}, Discarded Agreement num {}, Agreement valid-flag {},\
         \n\tRestricted role-flag: {}, Format id {} cap {}, Convention id {} cap {},\
         \n\tEdge count {}, Agreement digest {:08x}{:08x}{:08x}{:08x}{:08x}",
        a >> 6,
        (a >> 4) & 3,
        (a >> 3) & 1,
        (a >> 2) & 1,
        f >> 4,
        f,
        c >> 4,
        c,
        p.be_u16(off + SPB_AGREEMENT_EDGE)?,
        p.be_u32(off + SPB_AGREEMENT_DIGEST)?,
        p.be_u32(off + SPB_AGREEMENT_DIGEST + 4)?,
        p.be_u32(off + SPB_AGREEMENT_DIGEST + 8)?,
        p.be_u32(off + SPB_AGREEMENT_DIGEST + 12)?,
        p.be_u32(off + SPB_AGREEMENT_DIGEST + 16)?
    );
    Ok(())
}

/// A spanning tree BPDU.
pub fn stp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "stp";
    if length < 4 {
        ctx.print_invalid();
        return Ok(());
    }
    if p.be_u16(0)? != 0 {
        pr!(ctx, "unknown STP version, length {}", length);
        return Ok(());
    }
    let version = p.u8_at(2)?;
    ctx.push("STP ");
    match tok(STP_PROTO_VALUES, version as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "Unknown STP protocol (0x{:02x})", version),
    }
    if !matches!(
        version,
        PROTO_REGULAR | PROTO_RAPID | PROTO_MSTP | PROTO_SPB
    ) {
        return Ok(());
    }
    let bpdu_type = p.u8_at(3)?;
    ctx.push(", ");
    match tok(STP_BPDU_TYPE_VALUES, bpdu_type as u32) {
        Some(n) => ctx.push(n),
        None => pr!(ctx, "Unknown BPDU Type (0x{:02x})", bpdu_type),
    }
    match bpdu_type {
        BPDU_TYPE_CONFIG => {
            if length < STP_BPDU_LEN - 1 {
                ctx.print_invalid();
                return Ok(());
            }
            config_bpdu_print(ctx, p, length)?;
        }
        BPDU_TYPE_RSTP => {
            if version == PROTO_RAPID {
                if length < STP_BPDU_LEN {
                    ctx.print_invalid();
                    return Ok(());
                }
                config_bpdu_print(ctx, p, length)?;
            } else if version == PROTO_MSTP || version == PROTO_SPB {
                if length < STP_BPDU_MSTP_MIN_LEN || p.u8_at(35)? != 0 {
                    ctx.print_invalid();
                    return Ok(());
                }
                let mstp_len = p.be_u16(MST_VER3_LEN)? as u32 + 2;
                if length < STP_BPDU_LEN + mstp_len {
                    ctx.print_invalid();
                    return Ok(());
                }
                mstp_bpdu_print(ctx, p, length)?;
                if version == PROTO_SPB {
                    let spb_len = p.be_u16(MST_VER3_LEN + mstp_len as usize)? as u32 + 2;
                    if length < STP_BPDU_LEN + mstp_len + spb_len || spb_len < SPB_BPDU_MIN_LEN {
                        ctx.print_invalid();
                        return Ok(());
                    }
                    spb_bpdu_print(ctx, p, (STP_BPDU_LEN + mstp_len) as usize)?;
                }
            }
        }
        BPDU_TYPE_TOPO_CHANGE => {}
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with, verbosities};

    fn run(p: &[u8], verbose: u8) -> (String, PResult) {
        run_with(&opts(verbose, false), |ctx| {
            stp_print(ctx, p, p.len() as u32)
        })
    }

    const CONFIG: &[u8] = &[
        0, 0, 0, 0, 0, 0x80, 0x01, 0, 0x19, 0x06, 0xea, 0xb8, 0x80, 0, 0, 0, 0, 0x80, 0x01, 0,
        0x19, 0x06, 0xea, 0xb8, 0x80, 0x80, 0x05, 0, 0, 0x14, 0, 0x02, 0, 0x0f, 0, 0,
    ];

    #[test]
    fn config_bpdu() {
        assert_eq!(
            run(&CONFIG[..35], 1).0,
            "STP 802.1d, Config, Flags [none], bridge-id 8001.00:19:06:ea:b8:80.8005, length 35\
             \n\tmessage-age 0.00s, max-age 20.00s, hello-time 2.00s, forwarding-delay 15.00s\
             \n\troot-id 8001.00:19:06:ea:b8:80, root-pathcost 0"
        );
        assert_eq!(run(&CONFIG[..20], 0).0, "STP 802.1d, Config (invalid)");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(CONFIG, &verbosities(1), |ctx, p| stp_print(ctx, p, 36));
    }
}
