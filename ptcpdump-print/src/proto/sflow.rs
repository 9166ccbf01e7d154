//! sFlow version 5 (<https://sflow.org/sflow_version_5.txt>: datagram, flow and counter
//! samples, and the standard records of sections 5 and 6 that tcpdump decodes); tcpdump's
//! print-sflow.c. UDP port 6343.
//!
//! ```text
//! datagram: version(4) agent address type(4) agent(4|16) sub-agent(4) sequence(4)
//!           uptime(4) sample count(4), then samples: format(4) length(4) data
//! ```
//!
//! Everything after the first line is printed with `-v`; unknown samples and records are
//! hex-dumped with exactly `-v`.

use super::util_print::print_unknown_data;
use super::{Ctx, pr, tok, tok2str};
use crate::cursor::{Bytes, PResult};

const DATAGRAM_V4_LEN: u32 = 28;
const DATAGRAM_V6_LEN: u32 = 40;
const SAMPLE_HDR_LEN: u32 = 8;

const FLOW_SAMPLE: u32 = 1;
const COUNTER_SAMPLE: u32 = 2;
const EXPANDED_FLOW_SAMPLE: u32 = 3;
const EXPANDED_COUNTER_SAMPLE: u32 = 4;

const SAMPLE_FORMATS: &[(u32, &str)] = &[
    (1, "flow sample"),
    (2, "counter sample"),
    (3, "expanded flow sample"),
    (4, "expanded counter sample"),
];

const FLOW_TYPES: &[(u32, &str)] = &[
    (1, "Raw packet"),
    (2, "Ethernet frame"),
    (3, "IPv4 Data"),
    (4, "IPv6 Data"),
    (1001, "Extended Switch data"),
    (1002, "Extended Router data"),
    (1003, "Extended Gateway data"),
    (1004, "Extended User data"),
    (1005, "Extended URL data"),
    (1006, "Extended MPLS data"),
    (1007, "Extended NAT data"),
    (1008, "Extended MPLS tunnel"),
    (1009, "Extended MPLS VC"),
    (1010, "Extended MPLS FEC"),
    (1011, "Extended MPLS LVP FEC"),
    (1012, "Extended VLAN Tunnel"),
];

const RAW_PROTOCOLS: &[(u32, &str)] = &[(1, "Ethernet"), (11, "IPv4"), (12, "IPv6")];

const COUNTER_TYPES: &[(u32, &str)] = &[
    (1, "Generic counter"),
    (2, "Ethernet counter"),
    (3, "Token ring counter"),
    (4, "100 BaseVG counter"),
    (5, "Vlan counter"),
    (1001, "Processor counter"),
];

const DIRECTIONS: &[(u32, &str)] = &[
    (0, "unknown"),
    (1, "full-duplex"),
    (2, "half-duplex"),
    (3, "in"),
    (4, "out"),
];

/// `Ok(false)`: a length did not fit (tcpdump's `return 1`, ending in ` (invalid)`).
type R = PResult<bool>;

/// 32-bit big-endian words of `p` starting at word `first`.
fn words<const N: usize>(p: &[u8], first: usize) -> PResult<[u32; N]> {
    let mut w = [0u32; N];
    for (i, v) in w.iter_mut().enumerate() {
        *v = p.be_u32((first + i) * 4)?;
    }
    Ok(w)
}

/// An sFlow datagram of `len` bytes at `p`.
pub fn sflow_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult {
    ctx.protocol = "sflow";
    let ip_version = p.be_u32(4)?;
    if (len < DATAGRAM_V4_LEN && ip_version == 1) || (len < DATAGRAM_V6_LEN && ip_version == 2) {
        let version = p.be_u32(0)?;
        pr!(
            ctx,
            "sFlowv{} [length {} < {}]",
            version,
            len,
            DATAGRAM_V4_LEN
        );
        ctx.print_invalid();
        return Ok(());
    }
    p.sub(0, DATAGRAM_V4_LEN as usize)?;
    let version = p.be_u32(0)?;
    if version != 5 {
        pr!(ctx, "sFlow version {} packet not supported", version);
        return Ok(());
    }
    // Any address type but 1 is read as IPv6.
    let v4 = ip_version == 1;
    let (agent, rest) = if v4 {
        (&p[8..12], 12)
    } else {
        (p.sub(8, 16)?, 24)
    };
    let agent_id = p.be_u32(rest)?;
    if ctx.vflag() < 1 {
        pr!(
            ctx,
            "sFlowv{}, {} agent ",
            version,
            if v4 { "IPv4" } else { "IPv6" }
        );
        ctx.ip(agent);
        pr!(ctx, ", agent-id {}, length {}", agent_id, len);
        return Ok(());
    }
    let [seqnum, uptime, nsamples] = words::<3>(p, rest / 4 + 1)?;
    pr!(
        ctx,
        "sFlowv{}, {} agent ",
        version,
        if v4 { "IPv4" } else { "IPv6" }
    );
    ctx.ip(agent);
    pr!(
        ctx,
        ", agent-id {}, seqnum {}, uptime {}, samples {}, length {}",
        agent_id,
        seqnum,
        uptime,
        nsamples,
        len
    );
    let hdr_len = if v4 { DATAGRAM_V4_LEN } else { DATAGRAM_V6_LEN };
    if len < hdr_len {
        pr!(ctx, " [tlen {} < {}]", len, hdr_len);
        return invalid(ctx, p, 0, len);
    }
    let mut off = hdr_len as usize;
    let mut tlen = len - hdr_len;
    let mut nsamples = nsamples;
    while nsamples > 0 && tlen > 0 {
        let ty = p.be_u32(off)? & 0x0fff;
        let slen = p.be_u32(off + 4)?;
        if tlen < SAMPLE_HDR_LEN {
            return invalid(ctx, p, off, tlen);
        }
        off += SAMPLE_HDR_LEN as usize;
        tlen -= SAMPLE_HDR_LEN;
        ctx.push("\n\t");
        tok2str(ctx.out, SAMPLE_FORMATS, "Unknown", ty);
        pr!(ctx, " ({}), length {},", ty, slen);
        if ty == 0 || slen == 0 {
            return Ok(());
        }
        if tlen < slen {
            return invalid(ctx, p, off, tlen);
        }
        let s = p.sub(off, slen as usize)?;
        // The sample printers get all the bytes left in the datagram, as in tcpdump.
        let s_all = &p[off..];
        let ok = match ty {
            FLOW_SAMPLE => flow_sample_print(ctx, s_all, tlen, false)?,
            COUNTER_SAMPLE => counter_sample_print(ctx, s_all, tlen, false)?,
            EXPANDED_FLOW_SAMPLE => flow_sample_print(ctx, s_all, tlen, true)?,
            EXPANDED_COUNTER_SAMPLE => counter_sample_print(ctx, s_all, tlen, true)?,
            _ => {
                if ctx.vflag() <= 1 {
                    print_unknown_data(ctx, s, "\n\t    ", slen as usize);
                }
                true
            }
        };
        if !ok {
            return invalid(ctx, p, off, tlen);
        }
        off += slen as usize;
        tlen -= slen;
        nsamples -= 1;
    }
    Ok(())
}

/// ` (invalid)`; the rest of the datagram must still be captured.
fn invalid(ctx: &mut Ctx, p: &[u8], off: usize, tlen: u32) -> PResult {
    ctx.print_invalid();
    p.sub(off, tlen as usize)?;
    Ok(())
}

fn flow_sample_print(ctx: &mut Ctx, p: &[u8], len: u32, expanded: bool) -> R {
    let hdr_len = if expanded { 44 } else { 32 };
    if len < hdr_len {
        return Ok(false);
    }
    if expanded {
        let [seq, ty, idx, rate, pool, drops, _, _, _, _, n] = words::<11>(p, 0)?;
        pr!(
            ctx,
            " seqnum {}, type {}, idx {}, rate {}, pool {}, drops {}, records {}",
            seq,
            ty,
            idx,
            rate,
            pool,
            drops,
            n
        );
        flow_records_print(ctx, &p[hdr_len as usize..], len - hdr_len, n)
    } else {
        let [seq, src, rate, pool, drops, input, output, n] = words::<8>(p, 0)?;
        pr!(
            ctx,
            " seqnum {}, type {}, idx {}, rate {}, pool {}, drops {}, input {} output {} records {}",
            seq,
            src >> 24,
            src & 0xff_ffff,
            rate,
            pool,
            drops,
            input,
            output,
            n
        );
        flow_records_print(ctx, &p[hdr_len as usize..], len - hdr_len, n)
    }
}

fn flow_records_print(ctx: &mut Ctx, p: &[u8], len: u32, records: u32) -> R {
    let mut off = 0usize;
    let mut tlen = len;
    for _ in 0..records {
        if tlen < 8 {
            return Ok(false);
        }
        let format = p.be_u32(off)?;
        let ty = format & 0x0fff;
        let enterprise = format >> 12;
        let flen = p.be_u32(off + 4)?;
        pr!(
            ctx,
            "\n\t    enterprise {} {} ({}) length {}",
            enterprise,
            if enterprise == 0 {
                tok(FLOW_TYPES, ty).unwrap_or("Unknown")
            } else {
                "Unknown"
            },
            ty,
            flen
        );
        off += 8;
        tlen -= 8;
        if tlen < flen {
            return Ok(false);
        }
        if enterprise == 0 {
            let r = p.get(off..).unwrap_or(&[]);
            match ty {
                // Raw packet header.
                1 => {
                    if tlen < 16 {
                        return Ok(false);
                    }
                    let [proto, length, stripped, hsize] = words::<4>(r, 0)?;
                    ctx.push("\n\t      protocol ");
                    tok2str(ctx.out, RAW_PROTOCOLS, "Unknown", proto);
                    pr!(
                        ctx,
                        " ({}), length {}, stripped bytes {}, header_size {}",
                        proto,
                        length,
                        stripped,
                        hsize
                    );
                }
                // Ethernet frame data: length, source and destination MAC (8 each), type.
                2 => {
                    if tlen < 24 {
                        return Ok(false);
                    }
                    let flen = r.be_u32(0)?;
                    let fty = r.be_u32(20)?;
                    pr!(ctx, "\n\t      frame len {}, type {}", flen, fty);
                }
                1001 => {
                    if tlen < 16 {
                        return Ok(false);
                    }
                    let [sv, sp, dv, dp] = words::<4>(r, 0)?;
                    pr!(
                        ctx,
                        "\n\t      src vlan {}, src pri {}, dst vlan {}, dst pri {}",
                        sv,
                        sp,
                        dv,
                        dp
                    );
                }
                // Known but not decoded.
                3 | 4 | 1002..=1012 => {}
                _ => {
                    if ctx.vflag() <= 1 {
                        print_unknown_data(ctx, r, "\n\t\t", flen as usize);
                    }
                }
            }
        }
        off += flen as usize;
        tlen -= flen;
    }
    Ok(true)
}

fn counter_sample_print(ctx: &mut Ctx, p: &[u8], len: u32, expanded: bool) -> R {
    let hdr_len = if expanded { 16 } else { 12 };
    if len < hdr_len {
        return Ok(false);
    }
    let n = p.be_u32(hdr_len as usize - 4)?;
    if expanded {
        let [seq, ty, idx] = words::<3>(p, 0)?;
        pr!(
            ctx,
            " seqnum {}, type {}, idx {}, records {}",
            seq,
            ty,
            idx,
            n
        );
    } else {
        let [seq, src] = words::<2>(p, 0)?;
        pr!(
            ctx,
            " seqnum {}, type {}, idx {}, records {}",
            seq,
            src >> 24,
            src & 0xff_ffff,
            n
        );
    }
    counter_records_print(ctx, &p[hdr_len as usize..], len - hdr_len, n)
}

fn counter_records_print(ctx: &mut Ctx, p: &[u8], len: u32, records: u32) -> R {
    let mut off = 0usize;
    let mut tlen = len;
    for _ in 0..records {
        if tlen < 8 {
            return Ok(false);
        }
        let format = p.be_u32(off)?;
        let ty = format & 0x0fff;
        let enterprise = format >> 20;
        let clen = p.be_u32(off + 4)?;
        pr!(
            ctx,
            "\n\t    enterprise {}, {} ({}) length {}",
            enterprise,
            if enterprise == 0 {
                tok(COUNTER_TYPES, ty).unwrap_or("Unknown")
            } else {
                "Unknown"
            },
            ty,
            clen
        );
        off += 8;
        tlen -= 8;
        if tlen < clen {
            return Ok(false);
        }
        if enterprise == 0 {
            let r = p.get(off..).unwrap_or(&[]);
            let ok = match ty {
                1 => generic_counters_print(ctx, r, tlen)?,
                2 => ethernet_counters_print(ctx, r, tlen)?,
                3 => true,
                4 => basevg_counters_print(ctx, r, tlen)?,
                5 => vlan_counters_print(ctx, r, tlen)?,
                1001 => processor_counters_print(ctx, r, tlen)?,
                _ => {
                    if ctx.vflag() <= 1 {
                        print_unknown_data(ctx, r, "\n\t\t", clen as usize);
                    }
                    true
                }
            };
            if !ok {
                return Ok(false);
            }
        }
        off += clen as usize;
        tlen -= clen;
    }
    Ok(true)
}

fn generic_counters_print(ctx: &mut Ctx, p: &[u8], len: u32) -> R {
    if len < 88 {
        return Ok(false);
    }
    let ifindex = p.be_u32(0)?;
    let iftype = p.be_u32(4)?;
    let speed = p.be_u64(8)?;
    let direction = p.be_u32(16)?;
    pr!(
        ctx,
        "\n\t      ifindex {}, iftype {}, ifspeed {}, ifdirection {} ({})",
        ifindex,
        iftype,
        speed,
        direction,
        tok(DIRECTIONS, direction).unwrap_or("Unknown")
    );
    let status = p.be_u32(20)?;
    pr!(
        ctx,
        "\n\t      ifstatus {}, adminstatus: {}, operstatus: {}",
        status,
        if status & 1 != 0 { "up" } else { "down" },
        if (status >> 1) & 1 != 0 { "up" } else { "down" }
    );
    let in_octets = p.be_u64(24)?;
    let [uc, mc, bc, disc, errs, unknown] = words::<6>(p, 8)?;
    pr!(
        ctx,
        "\n\t      In octets {}, unicast pkts {}, multicast pkts {}, broadcast pkts {}, \
         discards {}",
        in_octets,
        uc,
        mc,
        bc,
        disc
    );
    pr!(
        ctx,
        "\n\t      In errors {}, unknown protos {}",
        errs,
        unknown
    );
    let out_octets = p.be_u64(56)?;
    let [uc, mc, bc, disc, errs, promisc] = words::<6>(p, 16)?;
    pr!(
        ctx,
        "\n\t      Out octets {}, unicast pkts {}, multicast pkts {}, broadcast pkts {}, \
         discards {}",
        out_octets,
        uc,
        mc,
        bc,
        disc
    );
    pr!(
        ctx,
        "\n\t      Out errors {}, promisc mode {}",
        errs,
        promisc
    );
    Ok(true)
}

fn ethernet_counters_print(ctx: &mut Ctx, p: &[u8], len: u32) -> R {
    if len < 52 {
        return Ok(false);
    }
    let w = words::<13>(p, 0)?;
    pr!(
        ctx,
        "\n\t      align errors {}, fcs errors {}, single collision {}, multiple collision {}, \
         test error {}",
        w[0],
        w[1],
        w[2],
        w[3],
        w[4]
    );
    pr!(
        ctx,
        "\n\t      deferred {}, late collision {}, excessive collision {}, mac trans error {}",
        w[5],
        w[6],
        w[7],
        w[8]
    );
    pr!(
        ctx,
        "\n\t      carrier error {}, frames too long {}, mac receive errors {}, symbol errors {}",
        w[9],
        w[10],
        w[11],
        w[12]
    );
    Ok(true)
}

fn basevg_counters_print(ctx: &mut Ctx, p: &[u8], len: u32) -> R {
    if len < 80 {
        return Ok(false);
    }
    pr!(
        ctx,
        "\n\t      in high prio frames {}, in high prio octets {}",
        p.be_u32(0)?,
        p.be_u64(4)?
    );
    pr!(
        ctx,
        "\n\t      in norm prio frames {}, in norm prio octets {}",
        p.be_u32(12)?,
        p.be_u64(16)?
    );
    let [ipm, oversized, data, null] = words::<4>(p, 6)?;
    pr!(
        ctx,
        "\n\t      in ipm errors {}, oversized {}, in data errors {}, null addressed frames {}",
        ipm,
        oversized,
        data,
        null
    );
    let (frames, octets, trans) = (p.be_u32(40)?, p.be_u64(44)?, p.be_u32(52)?);
    pr!(
        ctx,
        "\n\t      out high prio frames {}, out high prio octets {}, trans into frames {}",
        frames,
        octets,
        trans
    );
    let (a, b, c) = (p.be_u64(56)?, p.be_u64(64)?, p.be_u64(72)?);
    pr!(
        ctx,
        "\n\t      in hc high prio octets {}, in hc norm prio octets {}, out hc high prio \
         octets {}",
        a,
        b,
        c
    );
    Ok(true)
}

fn vlan_counters_print(ctx: &mut Ctx, p: &[u8], len: u32) -> R {
    if len < 28 {
        return Ok(false);
    }
    let vlan = p.be_u32(0)?;
    let octets = p.be_u64(4)?;
    let [uc, mc, bc, disc] = words::<4>(p, 3)?;
    pr!(
        ctx,
        "\n\t      vlan_id {}, octets {}, unicast_pkt {}, multicast_pkt {}, broadcast_pkt {}, \
         discards {}",
        vlan,
        octets,
        uc,
        mc,
        bc,
        disc
    );
    Ok(true)
}

fn processor_counters_print(ctx: &mut Ctx, p: &[u8], len: u32) -> R {
    if len < 28 {
        return Ok(false);
    }
    let [s5, m1, m5] = words::<3>(p, 0)?;
    let (total, free) = (p.be_u64(12)?, p.be_u64(20)?);
    // tcpdump labels both memory figures "total_mem".
    pr!(
        ctx,
        "\n\t      5sec {}, 1min {}, 5min {}, total_mem {}, total_mem {}",
        s5,
        m1,
        m5,
        total,
        free
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// An IPv4-agent datagram with one counter sample holding one VLAN counter record.
    fn datagram() -> Vec<u8> {
        let mut d = vec![0, 0, 0, 5, 0, 0, 0, 1, 198, 18, 0, 9, 0, 0, 0, 7];
        d.extend_from_slice(&[0, 0, 0, 42, 0, 0, 0x10, 0, 0, 0, 0, 1]); // seq, uptime, 1 sample
        d.extend_from_slice(&[0, 0, 0, 2, 0, 0, 0, 48]); // counter sample, 48 bytes
        d.extend_from_slice(&[0, 0, 0, 3, 0, 0, 0, 5, 0, 0, 0, 1]); // seq 3, idx 5, 1 record
        d.extend_from_slice(&[0, 0, 0, 5, 0, 0, 0, 28]); // VLAN counters
        d.extend_from_slice(&[0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 1, 0]);
        d.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
        d
    }

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| sflow_print(ctx, p, p.len() as u32))
    }

    #[test]
    fn counter_sample() {
        let d = datagram();
        assert_eq!(
            run(0, &d),
            "sFlowv5, IPv4 agent 198.18.0.9, agent-id 7, length 84"
        );
        assert_eq!(
            run(1, &d),
            "sFlowv5, IPv4 agent 198.18.0.9, agent-id 7, seqnum 42, uptime 4096, samples 1, \
             length 84\n\tcounter sample (2), length 48, seqnum 3, type 0, idx 5, records 1\
             \n\t    enterprise 0, Vlan counter (5) length 28\n\t      vlan_id 10, octets 256, \
             unicast_pkt 1, multicast_pkt 2, broadcast_pkt 3, discards 4"
        );
        let mut short = d.clone();
        short[27] = 2; // two samples announced, one present
        short.truncate(d.len() - 4);
        assert!(run(1, &short).ends_with(" (invalid)"));
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = datagram();
        assert_every_truncation_is_safe(&d, &verbosities(2), |ctx, p| {
            sflow_print(ctx, p, d.len() as u32)
        });
        assert!(
            run_marked(&opts(1, false), |ctx| sflow_print(ctx, &d[..60], 84))
                .ends_with(" [|sflow]")
        );
    }
}
