//! VTP, Cisco's VLAN Trunking Protocol (versions 1 and 2, as documented by Cisco and decoded
//! by tcpdump and Wireshark); tcpdump's print-vtp.c. SNAP OUI 0x00000c, PID 0x2003.

use super::util_print::{print_unknown_data_at, printjnp, tail};
use super::{Ctx, pr, tok, tok2str};
use crate::addr::Ip;
use crate::cursor::{Bytes, PResult, Truncated};

const HEADER_LEN: usize = 36;
const DOMAIN_NAME_LEN: u32 = 32;
const VLAN_INFO_FIXED_PART_LEN: u32 = 12;

const SUMMARY_ADV: u32 = 0x01;
const SUBSET_ADV: u32 = 0x02;
const ADV_REQUEST: u32 = 0x03;

const MESSAGE_TYPE_VALUES: &[(u32, &str)] = &[
    (0x01, "Summary advertisement"),
    (0x02, "Subset advertisement"),
    (0x03, "Advertisement request"),
    (0x04, "Join message"),
];

/// What the third octet of the header means for each message type.
const HEADER_VALUES: &[(u32, &str)] = &[
    (0x01, "Followers"),
    (0x02, "Seq number"),
    (0x03, "Rsvd"),
    (0x04, "Rsvd"),
];

const VLAN_TYPE_VALUES: &[(u32, &str)] = &[
    (0x01, "Ethernet"),
    (0x02, "FDDI"),
    (0x03, "TrCRF"),
    (0x04, "FDDI-net"),
    (0x05, "TrBRF"),
];

const VLAN_STATUS: &[(u32, &str)] = &[(0x00, "Operational"), (0x01, "Suspended")];

const VLAN_STP_TYPE: u8 = 0x03;
const VLAN_PRUNING: u8 = 0x06;
const VLAN_BRIDGE_TYPE: u8 = 0x07;
const VLAN_STE_HOP_COUNT: u8 = 0x09;
const VLAN_BACKUP_CRF_MODE: u8 = 0x0a;

const VLAN_TLV_VALUES: &[(u32, &str)] = &[
    (0x01, "Source-Routing Ring Number TLV"),
    (0x02, "Source-Routing Bridge Number TLV"),
    (0x03, "STP type TLV"),
    (0x04, "Parent VLAN TLV"),
    (0x05, "Translationally bridged VLANs TLV"),
    (0x06, "Pruning TLV"),
    (0x07, "Bridge Type TLV"),
    (0x08, "Max ARP Hop Count TLV"),
    (0x09, "Max STE Hop Count TLV"),
    (0x0a, "Backup CRF Mode TLV"),
];

const STP_TYPE_VALUES: &[(u32, &str)] = &[(1, "SRT"), (2, "SRB"), (3, "Auto")];

/// A VTP message.
pub fn vtp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "vtp";
    let invalid = length < HEADER_LEN as u32 || {
        p.sub(0, HEADER_LEN)?;
        match message(ctx, p, length)? {
            Some(invalid) => invalid,
            None => return Ok(()),
        }
    };
    if invalid {
        ctx.print_invalid();
    }
    // tcpdump ends by checking that the whole message was captured.
    if !p.has(0, length as usize) {
        return Err(Truncated);
    }
    Ok(())
}

/// The message after its header was found captured. `Some(invalid)` asks for the final
/// capture check (after ` (invalid)` if true); `None` ends the message here.
fn message(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult<Option<bool>> {
    let ty = p[1] as u32;
    pr!(ctx, "VTPv{}, Message ", p[0]);
    tok2str(ctx.out, MESSAGE_TYPE_VALUES, "Unknown message type", ty);
    pr!(ctx, " (0x{:02x}), length {}", ty, length);
    if ctx.vflag() < 1 {
        return Ok(Some(false));
    }
    ctx.push("\n\tDomain name: ");
    let mgmtd_len = p[3] as u32;
    if !(1..=DOMAIN_NAME_LEN).contains(&mgmtd_len) {
        pr!(ctx, " [invalid MgmtD Len {}]", mgmtd_len);
        return Ok(Some(true));
    }
    printjnp(ctx, &p[4..], mgmtd_len as usize)?;
    pr!(
        ctx,
        ", {}: {}",
        tok(HEADER_VALUES, ty).unwrap_or("Unknown"),
        p[2]
    );
    let mut t = HEADER_LEN;
    match ty {
        SUMMARY_ADV => {
            // Configuration revision, updater, 12-octet timestamp, MD5 digest.
            pr!(
                ctx,
                "\n\t  Config Rev {:x}, Updater {}",
                p.be_u32(t)?,
                Ip(p.sub(t + 4, 4)?)
            );
            t += 8;
            pr!(
                ctx,
                ", Timestamp 0x{:08x} 0x{:08x} 0x{:08x}",
                p.be_u32(t)?,
                p.be_u32(t + 4)?,
                p.be_u32(t + 8)?
            );
            t += 12;
            pr!(
                ctx,
                ", MD5 digest: {:08x}{:08x}{:08x}{:08x}",
                p.be_u32(t)?,
                p.be_u32(t + 4)?,
                p.be_u32(t + 8)?,
                p.be_u32(t + 12)?
            );
        }
        SUBSET_ADV => {
            pr!(ctx, ", Config Rev {:x}", p.be_u32(t)?);
            t += 4;
            while (t as u32) < length {
                let mut len = p.u8_at(t)? as u32;
                if len == 0 {
                    break;
                }
                p.sub(t, len as usize)?;
                if len < VLAN_INFO_FIXED_PART_LEN {
                    return Ok(Some(true));
                }
                // Length, status, type, name length, ISL VLAN ID, MTU, 802.10 SAID.
                pr!(
                    ctx,
                    "\n\tVLAN info status {}, type {}, VLAN-id {}, MTU {}, SAID 0x{:08x}, Name ",
                    tok(VLAN_STATUS, p[t + 1] as u32).unwrap_or("Unknown"),
                    tok(VLAN_TYPE_VALUES, p[t + 2] as u32).unwrap_or("Unknown"),
                    p.be_u16(t + 4)?,
                    p.be_u16(t + 6)?,
                    p.be_u32(t + 8)?
                );
                let name_len = p[t + 3] as u32;
                len -= VLAN_INFO_FIXED_PART_LEN;
                t += VLAN_INFO_FIXED_PART_LEN as usize;
                // Names are padded to 32-bit boundaries.
                let padded = name_len.div_ceil(4) * 4;
                if len < padded {
                    return Ok(Some(true));
                }
                printjnp(ctx, tail(p, t), name_len as usize)?;
                len -= padded;
                t += padded as usize;
                // One octet of type and one of length (in 16-bit words) in practice, not
                // the two of each that Cisco documents.
                while len > 0 {
                    if len < 2 {
                        return Ok(Some(true));
                    }
                    let tty = p.u8_at(t)?;
                    let tlv_len = p.u8_at(t + 1)? as u32;
                    pr!(
                        ctx,
                        "\n\t\t{} (0x{:04x}) TLV",
                        tok(VLAN_TLV_VALUES, tty as u32).unwrap_or("Unknown"),
                        tty
                    );
                    if len < tlv_len * 2 + 2 {
                        ctx.push(" (TLV goes past the end of the packet)");
                        return Ok(Some(true));
                    }
                    p.sub(t, (tlv_len * 2 + 2) as usize)?;
                    if tlv_len != 1 {
                        pr!(ctx, " (invalid TLV length {} != 1)", tlv_len);
                        return Ok(Some(true));
                    }
                    let v = p.be_u16(t + 2)? as u32;
                    match tty {
                        VLAN_STE_HOP_COUNT => pr!(ctx, ", {}", v),
                        VLAN_PRUNING => pr!(
                            ctx,
                            ", {} ({})",
                            if v == 1 { "Enabled" } else { "Disabled" },
                            v
                        ),
                        VLAN_STP_TYPE => pr!(
                            ctx,
                            ", {} ({})",
                            tok(STP_TYPE_VALUES, v).unwrap_or("Unknown"),
                            v
                        ),
                        VLAN_BRIDGE_TYPE => {
                            pr!(ctx, ", {} ({})", if v == 1 { "SRB" } else { "SRT" }, v)
                        }
                        VLAN_BACKUP_CRF_MODE => pr!(
                            ctx,
                            ", {} ({})",
                            if v == 1 { "Backup" } else { "Not backup" },
                            v
                        ),
                        _ => {
                            print_unknown_data_at(
                                ctx,
                                p,
                                t,
                                "\n\t\t  ",
                                (2 + tlv_len * 2) as usize,
                            );
                        }
                    }
                    len -= 2 + tlv_len * 2;
                    t += (2 + tlv_len * 2) as usize;
                }
            }
        }
        ADV_REQUEST => pr!(ctx, "\n\tStart value: {}", p.be_u32(t)?),
        _ => {}
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn request() -> Vec<u8> {
        let mut p = vec![0x01, 0x03, 0x00, 0x03];
        p.extend_from_slice(b"lab");
        p.resize(HEADER_LEN, 0);
        p.extend_from_slice(&[0, 0, 0, 1]);
        p
    }

    #[test]
    fn advertisement_request() {
        let p = request();
        let run = |p: &[u8], v| run_marked(&opts(v, false), |ctx| vtp_print(ctx, p, 40));
        assert_eq!(
            run(&p, 0),
            "VTPv1, Message Advertisement request (0x03), length 40"
        );
        assert_eq!(
            run(&p, 1),
            "VTPv1, Message Advertisement request (0x03), length 40\n\tDomain name: lab, \
             Rsvd: 0\n\tStart value: 1"
        );
        assert_eq!(
            run(&p[..38], 0),
            "VTPv1, Message Advertisement request (0x03), length 40 [|vtp]"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let p = request();
        assert_every_truncation_is_safe(&p, &verbosities(1), |ctx, b| vtp_print(ctx, b, 40));
    }
}
