//! LDP, the Label Distribution Protocol (RFC 5036), with the fault tolerant session TLV of
//! RFC 3479, the MTU TLV of RFC 3988 and the PWid FEC element of RFC 8077 (with the VCCV
//! interface parameter of RFC 5085); tcpdump's print-ldp.c. Carried over UDP (discovery) and
//! TCP (sessions) port 646.

use super::af::{self, AF_VALUES, AFNUM_INET, AFNUM_INET6, PrefixError};
use super::l2vpn::MPLS_PW_TYPES_VALUES;
use super::util_print::{print_unknown_data_at, push_char, tail};
use super::{Ctx, bittok2str, pr, tok, tok2str};
use crate::addr::Ip;
use crate::cursor::{Bytes, PResult, Truncated};

/// Version, PDU length, LSR ID and label space.
const COMMON_HDR: usize = 10;
/// Message type, length and ID.
const MSG_HDR: usize = 8;
const LDP_VERSION: u16 = 1;

const MSG_NOTIF: u16 = 0x0001;
const MSG_HELLO: u16 = 0x0100;
const MSG_INIT: u16 = 0x0200;
const MSG_KEEPALIVE: u16 = 0x0201;
const MSG_ADDRESS: u16 = 0x0300;
const MSG_ADDRESS_WITHDRAW: u16 = 0x0301;
const MSG_LABEL_MAPPING: u16 = 0x0400;
const MSG_LABEL_WITHDRAW: u16 = 0x0402;

const MSG_VALUES: &[(u32, &str)] = &[
    (0x0001, "Notification"),
    (0x0100, "Hello"),
    (0x0200, "Initialization"),
    (0x0201, "Keepalive"),
    (0x0300, "Address"),
    (0x0301, "Address Withdraw"),
    (0x0400, "Label Mapping"),
    (0x0401, "Label Request"),
    (0x0402, "Label Withdraw"),
    (0x0403, "Label Release"),
    (0x0404, "Label Abort Request"),
];

const TLV_FEC: u16 = 0x0100;
const TLV_ADDRESS_LIST: u16 = 0x0101;
const TLV_GENERIC_LABEL: u16 = 0x0200;
const TLV_STATUS: u16 = 0x0300;
const TLV_COMMON_HELLO: u16 = 0x0400;
const TLV_IPV4_TRANSPORT_ADDR: u16 = 0x0401;
const TLV_CONFIG_SEQ_NUMBER: u16 = 0x0402;
const TLV_IPV6_TRANSPORT_ADDR: u16 = 0x0403;
const TLV_COMMON_SESSION: u16 = 0x0500;
const TLV_FT_SESSION: u16 = 0x0503;
const TLV_MTU: u16 = 0x0601;

const TLV_VALUES: &[(u32, &str)] = &[
    (0x0100, "FEC"),
    (0x0101, "Address List"),
    (0x0103, "Hop Count"),
    (0x0104, "Path Vector"),
    (0x0200, "Generic Label"),
    (0x0201, "ATM Label"),
    (0x0202, "Frame-Relay Label"),
    (0x0300, "Status"),
    (0x0301, "Extended Status"),
    (0x0302, "Returned PDU"),
    (0x0303, "Returned Message"),
    (0x0400, "Common Hello Parameters"),
    (0x0401, "IPv4 Transport Address"),
    (0x0402, "Configuration Sequence Number"),
    (0x0403, "IPv6 Transport Address"),
    (0x0500, "Common Session Parameters"),
    (0x0501, "ATM Session Parameters"),
    (0x0502, "Frame-Relay Session Parameters"),
    (0x0503, "Fault-Tolerant Session Parameters"),
    (0x0600, "Label Request Message ID"),
    (0x0601, "MTU"),
];

const FEC_PREFIX: u8 = 0x02;
const FEC_MARTINI_VC: u8 = 0x80;

const FEC_VALUES: &[(u32, &str)] = &[
    (0x01, "Wildcard"),
    (0x02, "Prefix"),
    (0x03, "Host address"),
    (0x80, "Martini VC"),
];

const IFPARM_MTU: u8 = 0x01;
const IFPARM_DESC: u8 = 0x03;
const IFPARM_VCCV: u8 = 0x0c;

const IFPARM_VALUES: &[(u32, &str)] = &[(0x01, "MTU"), (0x03, "Description"), (0x0c, "VCCV")];

const VCCV_CC_VALUES: &[(u32, &str)] = &[
    (0x01, "PWE3 control word"),
    (0x02, "MPLS Router Alert Label"),
    (0x04, "MPLS inner label TTL = 1"),
];

const VCCV_CV_VALUES: &[(u32, &str)] = &[(0x01, "ICMP Ping"), (0x02, "LSP Ping"), (0x04, "BFD")];

/// LDP PDUs back to back (a TCP segment may carry several).
pub fn ldp_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "ldp";
    let mut len = len;
    let mut off = 0usize;
    while len > (COMMON_HDR + MSG_HDR) as u32 {
        let processed = pdu_print(ctx, tail(p, off))?;
        if processed == 0 {
            return Ok(());
        }
        if len < processed {
            pr!(ctx, " [remaining length {} < {}]", len, processed);
            ctx.print_invalid();
            break;
        }
        len -= processed;
        off += processed as usize;
    }
    Ok(())
}

/// One PDU; returns its length (0: stop, the PDU was refused or only summarised).
fn pdu_print(ctx: &mut Ctx, p: &[u8]) -> PResult<u32> {
    if !p.has(0, COMMON_HDR) {
        return Err(Truncated);
    }
    let nl = if ctx.vflag() < 1 { "" } else { "\n\t" };
    let version = p.be_u16(0)?;
    if version != LDP_VERSION {
        pr!(ctx, "{}LDP version {} packet not supported", nl, version);
        return Ok(0);
    }
    let pdu_len = p.be_u16(2)?;
    if pdu_len < (COMMON_HDR - 4) as u16 {
        pr!(
            ctx,
            "{}LDP, pdu-length: {} (too short, < {})",
            nl,
            pdu_len,
            COMMON_HDR - 4
        );
        return Ok(0);
    }
    pr!(
        ctx,
        "{}LDP, Label-Space-ID: {}:{}, pdu-length: {}",
        nl,
        Ip(p.sub(4, 4)?),
        p.be_u16(8)?,
        pdu_len
    );
    if ctx.vflag() < 1 {
        return Ok(0);
    }
    let mut off = COMMON_HDR;
    // 16 bits as in tcpdump: a message longer than the PDU makes it wrap, and the walk then
    // goes on until the capture ends.
    let mut tlen: u16 = pdu_len - (COMMON_HDR - 4) as u16;
    while tlen > 0 {
        if !p.has(off, MSG_HDR) {
            return Err(Truncated);
        }
        let ty = p.be_u16(off)?;
        let msg_len = p.be_u16(off + 2)?;
        let msg_type = ty & 0x7fff;
        let name = tok(MSG_VALUES, msg_type as u32).unwrap_or("Unknown");
        if msg_len < (MSG_HDR - 4) as u16 {
            pr!(
                ctx,
                "\n\t  {} Message (0x{:04x}), length: {} (too short, < {})",
                name,
                msg_type,
                msg_len,
                MSG_HDR - 4
            );
            return Ok(0);
        }
        pr!(
            ctx,
            "\n\t  {} Message (0x{:04x}), length: {}, Message ID: 0x{:08x}, Flags: [{} if unknown]",
            name,
            msg_type,
            msg_len,
            p.be_u32(off + 4)?,
            if ty & 0x8000 != 0 {
                "continue processing"
            } else {
                "ignore"
            }
        );
        let mut mt = off + MSG_HDR;
        let mut msg_tlen = msg_len as u32 - (MSG_HDR - 4) as u32;
        if !p.has(off, msg_len as usize) {
            return Err(Truncated);
        }
        match msg_type {
            MSG_NOTIF | MSG_HELLO | MSG_INIT | MSG_KEEPALIVE | MSG_ADDRESS | MSG_LABEL_MAPPING
            | MSG_ADDRESS_WITHDRAW | MSG_LABEL_WITHDRAW => {
                while msg_tlen >= 4 {
                    let n = tlv_print(ctx, p, mt, msg_tlen)?;
                    if n == 0 {
                        break;
                    }
                    msg_tlen -= n;
                    mt += n as usize;
                }
            }
            _ => {
                if ctx.vflag() <= 1 {
                    print_unknown_data_at(ctx, p, mt, "\n\t  ", msg_tlen as usize);
                }
            }
        }
        if ctx.vflag() > 1 {
            print_unknown_data_at(ctx, p, off + MSG_HDR, "\n\t  ", msg_len as usize);
        }
        off += msg_len as usize + 4;
        tlen = tlen.wrapping_sub(msg_len.wrapping_add(4));
    }
    Ok(pdu_len as u32 + 4)
}

/// One TLV at `t` of a message with `msg_tlen` octets left; returns its length with the
/// header, 0 when it does not fit the message.
fn tlv_print(ctx: &mut Ctx, p: &[u8], t: usize, msg_tlen: u32) -> PResult<u32> {
    if !p.has(t, 4) {
        return Err(Truncated);
    }
    let tlv_len = p.be_u16(t + 2)?;
    if tlv_len as u32 + 4 > msg_tlen {
        ctx.push("\n\t\t TLV contents go past end of message");
        return Ok(0);
    }
    let raw = p.be_u16(t)?;
    let ty = raw & 0x3fff;
    pr!(
        ctx,
        "\n\t    {} TLV (0x{:04x}), length: {}, Flags: [{} and {} forward if unknown]",
        tok(TLV_VALUES, ty as u32).unwrap_or("Unknown"),
        ty,
        tlv_len,
        if raw & 0x8000 != 0 {
            "continue processing"
        } else {
            "ignore"
        },
        if raw & 0x4000 != 0 { "do" } else { "don't" }
    );
    tlv_value(ctx, p, t + 4, ty, tlv_len)?;
    Ok(tlv_len as u32 + 4)
}

/// A TLV's value; a value too short for its type is flagged ` [tlv length ...] (invalid)`
/// and skipped.
fn tlv_value(ctx: &mut Ctx, p: &[u8], t0: usize, ty: u16, tlv_len: u16) -> PResult {
    let mut t = t0;
    let mut tlen = tlv_len as u32;
    macro_rules! need {
        ($min:expr) => {
            if tlen < $min {
                pr!(ctx, " [tlv length {} < {}]", tlen, $min);
                ctx.print_invalid();
                return Ok(());
            }
        };
    }
    match ty {
        TLV_COMMON_HELLO => {
            need!(4);
            let (hold, flags) = (p.be_u16(t)?, p.be_u16(t + 2)?);
            pr!(
                ctx,
                "\n\t      Hold Time: {}s, Flags: [{} Hello{}]",
                hold,
                if flags & 0x8000 != 0 {
                    "Targeted"
                } else {
                    "Link"
                },
                if flags & 0x4000 != 0 {
                    ", Request for targeted Hellos"
                } else {
                    ""
                }
            );
        }
        TLV_IPV4_TRANSPORT_ADDR => {
            need!(4);
            pr!(
                ctx,
                "\n\t      IPv4 Transport Address: {}",
                Ip(p.sub(t, 4)?)
            );
        }
        TLV_IPV6_TRANSPORT_ADDR => {
            need!(16);
            pr!(
                ctx,
                "\n\t      IPv6 Transport Address: {}",
                Ip(p.sub(t, 16)?)
            );
        }
        TLV_CONFIG_SEQ_NUMBER => {
            need!(4);
            pr!(ctx, "\n\t      Sequence Number: {}", p.be_u32(t)?);
        }
        TLV_ADDRESS_LIST => {
            need!(2);
            let afi = p.be_u16(t)?;
            t += 2;
            tlen -= 2;
            ctx.push("\n\t      Address Family: ");
            tok2str(ctx.out, AF_VALUES, "Unknown ({})", afi as u32);
            ctx.push(", addresses");
            let alen = match afi {
                AFNUM_INET => 4,
                AFNUM_INET6 => 16,
                _ => return Ok(()),
            };
            while tlen >= alen {
                pr!(ctx, " {}", Ip(p.sub(t, alen as usize)?));
                tlen -= alen;
                t += alen as usize;
            }
        }
        TLV_COMMON_SESSION => {
            need!(8);
            let (ver, ka, flags) = (p.be_u16(t)?, p.be_u16(t + 2)?, p.be_u16(t + 6)?);
            pr!(
                ctx,
                "\n\t      Version: {}, Keepalive: {}s, Flags: [Downstream {}, Loop Detection {}]",
                ver,
                ka,
                if flags & 0x8000 != 0 {
                    "On Demand"
                } else {
                    "Unsolicited"
                },
                if flags & 0x4000 != 0 {
                    "Enabled"
                } else {
                    "Disabled"
                }
            );
        }
        TLV_FEC => {
            need!(1);
            let fec = p.u8_at(t)?;
            pr!(
                ctx,
                "\n\t      {} FEC (0x{:02x})",
                tok(FEC_VALUES, fec as u32).unwrap_or("Unknown"),
                fec
            );
            t += 1;
            tlen -= 1;
            match fec {
                FEC_PREFIX => {
                    need!(2);
                    let afi = p.be_u16(t)?;
                    t += 2;
                    tlen -= 2;
                    if afi == AFNUM_INET || afi == AFNUM_INET6 {
                        let v6 = afi == AFNUM_INET6;
                        let fam = if v6 { "IPv6" } else { "IPv4" };
                        match af::decode_prefix(tail(p, t), tlen, v6)? {
                            Ok((s, _)) => pr!(ctx, ": {} prefix {}", fam, s),
                            Err(PrefixError::BadLength) => {
                                pr!(ctx, ": {} prefix (invalid length)", fam)
                            }
                            // tcpdump treats a prefix cut by the TLV as cut by the capture.
                            Err(PrefixError::ShortItem) => return Err(Truncated),
                        }
                    } else {
                        pr!(ctx, ": Address family {} prefix", afi);
                    }
                }
                FEC_MARTINI_VC => martini_vc(ctx, p, t, tlen)?,
                _ => {}
            }
        }
        TLV_GENERIC_LABEL => {
            need!(4);
            pr!(ctx, "\n\t      Label: {}", p.be_u32(t)? & 0xfffff);
        }
        TLV_STATUS => {
            need!(8);
            let ui = p.be_u32(t)?;
            pr!(
                ctx,
                "\n\t      Status: 0x{:02x}, Flags: [{} and {} forward]",
                ui & 0x3fff_ffff,
                if ui & 0x8000_0000 != 0 {
                    "Fatal error"
                } else {
                    "Advisory Notification"
                },
                if ui & 0x4000_0000 != 0 { "do" } else { "don't" }
            );
            let id = p.be_u32(t + 4)?;
            if id != 0 {
                pr!(ctx, ", causing Message ID: 0x{:08x}", id);
            }
        }
        TLV_FT_SESSION => {
            need!(12);
            let f = p.be_u16(t)?;
            pr!(
                ctx,
                "\n\t      Flags: [{}Reconnect, {}Save State, {}All-Label Protection, {} \
                 Checkpoint, {}Re-Learn State]",
                if f & 0x8000 != 0 { "" } else { "No " },
                if f & 0x8 != 0 { "" } else { "Don't " },
                if f & 0x4 != 0 { "" } else { "No " },
                if f & 0x2 != 0 {
                    "Sequence Numbered Label"
                } else {
                    "All Labels"
                },
                if f & 0x1 != 0 { "" } else { "Don't " }
            );
            let reconnect = p.be_u32(t + 4)?;
            if reconnect != 0 {
                pr!(ctx, ", Reconnect Timeout: {}ms", reconnect);
            }
            let recovery = p.be_u32(t + 8)?;
            if recovery != 0 {
                pr!(ctx, ", Recovery Time: {}ms", recovery);
            }
        }
        TLV_MTU => {
            need!(2);
            pr!(ctx, "\n\t      MTU: {}", p.be_u16(t)?);
        }
        _ => {
            if ctx.vflag() <= 1 {
                print_unknown_data_at(ctx, p, t, "\n\t      ", tlen as usize);
            }
        }
    }
    Ok(())
}

/// The PWid FEC element (RFC 8077 section 6.1) after its type octet: PW type with the
/// control word bit, VC info length, group ID, PW ID and interface parameters.
fn martini_vc(ctx: &mut Ctx, p: &[u8], t0: usize, tlen0: u32) -> PResult {
    let mut t = t0;
    let mut tlen = tlen0;
    let short = |ctx: &mut Ctx, tlen: u32, min: u32| {
        if tlen < min {
            pr!(ctx, " [tlv length {} < {}]", tlen, min);
            ctx.print_invalid();
            true
        } else {
            false
        }
    };
    if short(ctx, tlen, 7) {
        return Ok(());
    }
    let mut vc_info_len = p.u8_at(t + 2)? as u32;
    let pw = p.be_u16(t)?;
    let pw_name = tok(MPLS_PW_TYPES_VALUES, (pw & 0x7fff) as u32).unwrap_or("Unknown");
    let cw = if pw & 0x8000 != 0 { "" } else { "no " };
    // RFC 4908: a zero VC info length means no PW ID and no interface parameters.
    if vc_info_len == 0 {
        pr!(
            ctx,
            ": {}, {}control word, group-ID {}, VC-info-length: {}",
            pw_name,
            cw,
            p.be_u32(t + 3)?,
            vc_info_len
        );
        return Ok(());
    }
    if short(ctx, tlen, 11) {
        return Ok(());
    }
    pr!(
        ctx,
        ": {}, {}control word, group-ID {}, VC-ID {}, VC-info-length: {}",
        pw_name,
        cw,
        p.be_u32(t + 3)?,
        p.be_u32(t + 7)?,
        vc_info_len
    );
    if vc_info_len < 4 {
        // sic: tcpdump leaves the parenthesis open.
        ctx.push(" (invalid, < 4");
        return Ok(());
    }
    vc_info_len -= 4;
    t += 11;
    tlen -= 11;
    if short(ctx, tlen, vc_info_len) {
        return Ok(());
    }
    while vc_info_len > 2 {
        let pty = p.u8_at(t)?;
        let plen = p.u8_at(t + 1)? as u32;
        if plen < 2 || vc_info_len < plen {
            break;
        }
        pr!(
            ctx,
            "\n\t\tInterface Parameter: {} (0x{:02x}), len {}",
            tok(IFPARM_VALUES, pty as u32).unwrap_or("Unknown"),
            pty,
            plen
        );
        match pty {
            IFPARM_MTU => pr!(ctx, ": {}", p.be_u16(t + 2)?),
            IFPARM_DESC => {
                ctx.push(": ");
                for i in 2..plen as usize {
                    let c = p.u8_at(t + i)?;
                    push_char(ctx.out, c);
                }
            }
            IFPARM_VCCV => {
                let cc = p.u8_at(t + 2)?;
                pr!(ctx, "\n\t\t  Control Channels (0x{:02x}) = [", cc);
                bittok2str(ctx.out, VCCV_CC_VALUES, "none", cc as u32, ", ");
                let cv = p.u8_at(t + 3)?;
                pr!(ctx, "]\n\t\t  CV Types (0x{:02x}) = [", cv);
                bittok2str(ctx.out, VCCV_CV_VALUES, "none", cv as u32, ", ");
                ctx.push("]");
            }
            _ => {
                print_unknown_data_at(ctx, p, t + 2, "\n\t\t  ", plen as usize - 2);
            }
        }
        vc_info_len -= plen;
        t += plen as usize;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn run(p: &[u8], v: u8) -> String {
        run_marked(&opts(v, false), |ctx| ldp_print(ctx, p, p.len() as u32))
    }

    // A link Hello from LSR 10.1.0.2 (RFC 5036 section 3.5.2).
    const HELLO: &[u8] = &[
        0x00, 0x01, 0x00, 0x26, 0x0a, 0x01, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x1c, 0x00,
        0x01, 0x19, 0x70, 0x04, 0x00, 0x00, 0x04, 0x00, 0x0f, 0x00, 0x00, 0x04, 0x01, 0x00, 0x04,
        0x0a, 0x01, 0x00, 0x02, 0x04, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
    ];

    #[test]
    fn hello() {
        assert_eq!(
            run(HELLO, 0),
            "LDP, Label-Space-ID: 10.1.0.2:0, pdu-length: 38"
        );
        assert_eq!(
            run(HELLO, 1),
            "\n\tLDP, Label-Space-ID: 10.1.0.2:0, pdu-length: 38\
             \n\t  Hello Message (0x0100), length: 28, Message ID: 0x00011970, Flags: [ignore \
             if unknown]\
             \n\t    Common Hello Parameters TLV (0x0400), length: 4, Flags: [ignore and don't \
             forward if unknown]\n\t      Hold Time: 15s, Flags: [Link Hello]\
             \n\t    IPv4 Transport Address TLV (0x0401), length: 4, Flags: [ignore and don't \
             forward if unknown]\n\t      IPv4 Transport Address: 10.1.0.2\
             \n\t    Configuration Sequence Number TLV (0x0402), length: 4, Flags: [ignore and \
             don't forward if unknown]\n\t      Sequence Number: 1"
        );
        assert!(
            run(&HELLO[..30], 1)
                .ends_with("Message ID: 0x00011970, Flags: [ignore if unknown] [|ldp]")
        );
    }

    // A Label Mapping with a prefix FEC (10.1.240.0/20) and a generic label 17, then a
    // PWid FEC with an MTU parameter.
    const MAPPING: &[u8] = &[
        0x00, 0x01, 0x00, 0x35, 0x0a, 0x01, 0x00, 0x02, 0x00, 0x00, // header
        0x04, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x07, // label mapping
        0x01, 0x00, 0x00, 0x07, 0x02, 0x00, 0x01, 0x14, 0x0a, 0x01, 0xf0, // prefix FEC
        0x02, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x11, // label
        0x01, 0x00, 0x00, 0x10, 0x80, 0x00, 0x05, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x64, 0x01, 0x04, 0x05, 0xdc, // PWid FEC
    ];

    #[test]
    fn label_mapping() {
        let out = run(MAPPING, 1);
        assert!(
            out.contains("\n\t      Prefix FEC (0x02): IPv4 prefix 10.1.240.0/20"),
            "{out}"
        );
        assert!(out.contains("\n\t      Label: 17"), "{out}");
        assert!(
            out.ends_with(
                "\n\t      Martini VC FEC (0x80): Ethernet, no control word, group-ID 1, \
                 VC-ID 100, VC-info-length: 8\n\t\tInterface Parameter: MTU (0x01), len 4: 1500"
            ),
            "{out}"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        for pkt in [HELLO, MAPPING] {
            assert_every_truncation_is_safe(pkt, &verbosities(2), |ctx, p| {
                ldp_print(ctx, p, pkt.len() as u32)
            });
        }
    }
}
