//! HNCP, the Home Networking Control Protocol (RFC 7788) and its base DNCP (RFC 7787), UDP
//! port 8231: the (nested) TLVs, with the DHCPv4/DHCPv6 option data they carry; tcpdump's
//! print-hncp.c.
//!
//! TLVs nested deeper than the `-v` count are summarised on one line (`Type (xN), ...`); with
//! `-vvv` everything is printed in full.

use super::bgp::{PfxErr, decode_prefix6};
use super::dns::fqdn_print;
use super::util_print::{printjnp, tail};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const REQUEST_NETWORK_STATE: u32 = 1;
const REQUEST_NODE_STATE: u32 = 2;
const NODE_ENDPOINT: u32 = 3;
const NETWORK_STATE: u32 = 4;
const NODE_STATE: u32 = 5;
const PEER: u32 = 8;
const KEEP_ALIVE_INTERVAL: u32 = 9;
const TRUST_VERDICT: u32 = 10;
const HNCP_VERSION: u32 = 32;
const EXTERNAL_CONNECTION: u32 = 33;
const DELEGATED_PREFIX: u32 = 34;
const ASSIGNED_PREFIX: u32 = 35;
const NODE_ADDRESS: u32 = 36;
// RFC 7788 Errata ID 5113 swaps the numbers of the two DHCP data TLVs.
const DHCPV4_DATA: u32 = 37;
const DHCPV6_DATA: u32 = 38;
const DNS_DELEGATED_ZONE: u32 = 39;
const DOMAIN_NAME: u32 = 40;
const NODE_NAME: u32 = 41;
const MANAGED_PSK: u32 = 42;
const PREFIX_POLICY: u32 = 43;

// Pseudo types for the registry's ranges (above every real type).
const RANGE_DNCP_RESERVED: u32 = 0x10000;
const RANGE_HNCP_UNASSIGNED: u32 = 0x10001;
const RANGE_DNCP_PRIVATE_USE: u32 = 0x10002;
const RANGE_DNCP_FUTURE_USE: u32 = 0x10003;

const TYPE_VALUES: &[(u32, &str)] = &[
    (1, "Request network state"),
    (2, "Request node state"),
    (3, "Node endpoint"),
    (4, "Network state"),
    (5, "Node state"),
    (8, "Peer"),
    (9, "Keep-alive interval"),
    (10, "Trust-Verdict"),
    (32, "HNCP-Version"),
    (33, "External-Connection"),
    (34, "Delegated-Prefix"),
    (43, "Prefix-Policy"),
    (37, "DHCPv4-Data"),
    (38, "DHCPv6-Data"),
    (35, "Assigned-Prefix"),
    (36, "Node-Address"),
    (39, "DNS-Delegated-Zone"),
    (40, "Domain-Name"),
    (41, "Node-Name"),
    (42, "Managed-PSK"),
    (RANGE_DNCP_RESERVED, "Reserved"),
    (RANGE_HNCP_UNASSIGNED, "Unassigned"),
    (RANGE_DNCP_PRIVATE_USE, "Private use"),
    (RANGE_DNCP_FUTURE_USE, "Future use"),
];

const DH4OPT_VALUES: &[(u32, &str)] = &[(6, "DNS-server"), (42, "NTP-server"), (119, "DNS-search")];
const DH6OPT_VALUES: &[(u32, &str)] = &[
    (23, "DNS-server"),
    (24, "DNS-search-list"),
    (31, "SNTP-servers"),
];

const V4_MAPPED: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

fn name(table: &[(u32, &'static str)], v: u32, default: &'static str) -> &'static str {
    tok(table, v).unwrap_or(default)
}

/// Newline and `indent` tabs.
fn newline(ctx: &mut Ctx, indent: u32) {
    ctx.push("\n");
    for _ in 0..indent {
        ctx.out.push('\t');
    }
}

fn nid_str(p: &[u8], off: usize) -> PResult<String> {
    let b = p.sub(off, 4)?;
    Ok(format!(
        "{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3]
    ))
}

fn hex256_str(p: &[u8], off: usize) -> PResult<String> {
    let mut s = String::new();
    for i in 0..4 {
        s.push_str(&format!("{:016x}", p.be_u64(off + 8 * i)?));
    }
    Ok(s)
}

/// Milliseconds as seconds.
fn interval_str(ms: u32) -> String {
    format!("{}.{:03}s", ms / 1000, ms % 1000)
}

/// An IPv6 address, or IPv4 when it is IPv4-mapped.
fn ip6addr_str(p: &[u8], off: usize) -> PResult<String> {
    let mut s = String::new();
    if p.sub(off, 12)? == V4_MAPPED {
        crate::addr::push_ipv4(&mut s, p.sub(off + 12, 4)?);
    } else {
        crate::addr::push_ipv6(&mut s, p.sub(off, 16)?);
    }
    Ok(s)
}

/// Why a prefix could not be printed.
enum PrefixErr {
    /// The length is impossible for the family.
    Length,
    /// The prefix runs past the TLV.
    Short,
}

/// A prefix (length octet, then the significant octets; IPv4 as IPv4-mapped IPv6) of at most
/// `max` octets at `off`. Returns the octets it used.
fn prefix_print(ctx: &mut Ctx, p: &[u8], off: usize, max: u32) -> PResult<Result<u32, PrefixErr>> {
    let plen = p.u8_at(off)?;
    let mapped = plen >= 96 && max >= 13 && p.sub(off + 1, 12)? == V4_MAPPED;
    let (text, used) = if mapped {
        let plen = (plen - 96) as u32;
        if plen > 32 {
            return Ok(Err(PrefixErr::Length));
        }
        let n = plen.div_ceil(8);
        if max - 1 < n + 12 {
            return Ok(Err(PrefixErr::Short));
        }
        let mut a = [0u8; 4];
        a[..n as usize].copy_from_slice(p.sub(off + 13, n as usize)?);
        if !plen.is_multiple_of(8) {
            a[n as usize - 1] &= (0xff00u32 >> (plen % 8)) as u8;
        }
        let mut s = String::new();
        crate::addr::push_ipv4(&mut s, &a);
        (format!("{s}/{plen}"), n + 13)
    } else {
        match decode_prefix6(tail(p, off), max)? {
            Ok(r) => r,
            Err(PfxErr::Illegal) => return Ok(Err(PrefixErr::Length)),
            Err(_) => return Ok(Err(PrefixErr::Short)),
        }
    };
    ctx.push(&text);
    Ok(Ok(used))
}

/// A DNS name as a sequence of labels (no compression) in `max` octets at `off`; with
/// `print` it is printed. Returns its length, `None` when it does not end in the space.
fn dns_label_print(
    ctx: &mut Ctx,
    p: &[u8],
    off: usize,
    max: u32,
    print: bool,
) -> PResult<Option<u32>> {
    let mut len = 0u32;
    while len < max {
        let lab = p.u8_at(off + len as usize)? as u32;
        len += 1;
        if lab == 0 {
            return Ok(Some(len));
        }
        if len > 1 && print {
            ctx.push(".");
        }
        if len + lab > max {
            if print {
                printjnp(ctx, tail(p, off + len as usize), (max - len) as usize)?;
            }
            break;
        }
        if print {
            printjnp(ctx, tail(p, off + len as usize), lab as usize)?;
        }
        len += lab;
    }
    if print {
        ctx.push("[|DNS]");
    }
    Ok(None)
}

/// DHCPv4 options (RFC 2132) in `len` octets at `off`. `Ok(false)`: malformed.
fn dhcpv4_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32, indent: u32) -> PResult<bool> {
    let mut i = 0u32;
    while i < len {
        if i + 2 > len {
            return Ok(false);
        }
        let o = off + i as usize;
        let ty = p.u8_at(o)?;
        let olen = p.u8_at(o + 1)? as u32;
        let v = o + 2;
        newline(ctx, indent);
        ctx.push(name(DH4OPT_VALUES, ty as u32, "Unknown"));
        pr!(ctx, " ({})", olen + 2);
        if i + 2 + olen > len {
            return Ok(false);
        }
        match ty {
            6 | 42 => {
                if olen < 4 || !olen.is_multiple_of(4) {
                    return Ok(false);
                }
                for t in (0..olen as usize).step_by(4) {
                    let mut s = String::new();
                    crate::addr::push_ipv4(&mut s, p.sub(v + t, 4)?);
                    pr!(ctx, " {}", s);
                }
            }
            119 if !names_print(ctx, p, v, olen)? => return Ok(false),
            _ => {}
        }
        i += 2 + olen;
    }
    Ok(true)
}

/// Domain names filling `len` octets at `v` (DHCP search lists). `Ok(false)`: a bad name.
fn names_print(ctx: &mut Ctx, p: &[u8], v: usize, len: u32) -> PResult<bool> {
    let end = v + len as usize;
    let mut tp = v;
    while tp < end {
        ctx.push(" ");
        // tcpdump passes the end of the option where the message start belongs, so any
        // compression pointer is out of range.
        match fqdn_print(ctx.out, p, tp, end) {
            Ok(next) => tp = next,
            Err(_) => return Ok(false),
        }
    }
    Ok(true)
}

/// DHCPv6 options (RFC 8415) in `len` octets at `off`. `Ok(false)`: malformed.
fn dhcpv6_print(ctx: &mut Ctx, p: &[u8], off: usize, len: u32, indent: u32) -> PResult<bool> {
    let mut i = 0u32;
    while i < len {
        if i + 4 > len {
            return Ok(false);
        }
        let o = off + i as usize;
        let ty = p.be_u16(o)?;
        let olen = p.be_u16(o + 2)? as u32;
        let v = o + 4;
        newline(ctx, indent);
        ctx.push(name(DH6OPT_VALUES, ty as u32, "Unknown"));
        pr!(ctx, " ({})", olen + 4);
        if i + 4 + olen > len {
            return Ok(false);
        }
        match ty {
            23 | 31 => {
                if !olen.is_multiple_of(16) {
                    ctx.print_invalid();
                    return Ok(false);
                }
                for t in (0..olen as usize).step_by(16) {
                    let mut s = String::new();
                    crate::addr::push_ipv6(&mut s, p.sub(v + t, 16)?);
                    pr!(ctx, " {}", s);
                }
            }
            24 if !names_print(ctx, p, v, olen)? => return Ok(false),
            _ => {}
        }
        i += 4 + olen;
    }
    Ok(true)
}

/// The registry entry of a TLV type: itself when defined, else its range.
fn type_mask(ty: u16) -> u32 {
    let t = ty as u32;
    if TYPE_VALUES.iter().any(|&(k, _)| k == t) {
        return t;
    }
    match t {
        0 => RANGE_DNCP_RESERVED,
        6 | 7 => RANGE_DNCP_FUTURE_USE,
        44..=511 => RANGE_HNCP_UNASSIGNED,
        768..=1023 => RANGE_DNCP_PRIVATE_USE,
        _ => RANGE_DNCP_FUTURE_USE,
    }
}

/// One summary entry (`Type (xN)`) of the one-line form.
fn type_in_line(ctx: &mut Ctx, mask: u32, count: i32, indent: u32, first: &mut bool) {
    if count <= 0 {
        return;
    }
    if *first {
        *first = false;
        if indent > 1 {
            newline(ctx, indent);
        } else {
            ctx.push(" ");
        }
    } else {
        ctx.push(", ");
    }
    ctx.push(name(TYPE_VALUES, mask, "Easter Egg"));
    if count > 1 {
        pr!(ctx, " (x{})", count);
    }
}

/// The padding that aligns `l` to 4 octets (C's `-l & 3`).
fn pad4(l: u32) -> u32 {
    l.wrapping_neg() & 3
}

/// The TLVs in `length` octets at `off`, nested `indent` levels deep.
fn tlvs_print(ctx: &mut Ctx, p: &[u8], off: usize, length: u32, indent: u32) -> PResult {
    let v = ctx.vflag() as u32;
    // Levels deeper than the -v count are summarised (all levels print in full at -vvv).
    let in_line = indent > v && v < 3;
    let mut first = true;
    let mut last_mask = u32::MAX;
    let mut last_count: i32 = -1;
    let mut i = 0u32;
    while i < length {
        let t = off + i as usize;
        if !in_line {
            newline(ctx, indent);
        }
        if !p.has(t, 4) {
            ctx.print_trunc();
            return Ok(());
        }
        if i + 4 > length {
            ctx.print_invalid();
            return Ok(());
        }
        let ty = p.be_u16(t)?;
        let blen = p.be_u16(t + 2)? as u32;
        let val = t + 4;
        if !p.has(val, blen as usize) {
            ctx.print_trunc();
            return Ok(());
        }
        if i + blen + 4 > length {
            ctx.print_invalid();
            return Ok(());
        }
        let mask = type_mask(ty);
        if in_line {
            if last_mask == mask {
                last_count += 1;
            } else {
                type_in_line(ctx, last_mask, last_count, indent, &mut first);
                last_mask = mask;
                last_count = 1;
            }
        } else {
            ctx.push(name(TYPE_VALUES, mask, "Easter Egg (42)"));
            if mask > 0xffff {
                pr!(ctx, ": type={}", ty);
            }
            pr!(ctx, " ({})", blen + 4);
            if !tlv_print(ctx, p, mask, val, blen, indent)? {
                ctx.print_invalid();
                return Ok(());
            }
        }
        i += 4 + blen.div_ceil(4) * 4;
    }
    type_in_line(ctx, last_mask, last_count, indent, &mut first);
    Ok(())
}

/// The value of one TLV (`blen` octets at `val`). `Ok(false)`: the whole list is invalid.
fn tlv_print(
    ctx: &mut Ctx,
    p: &[u8],
    mask: u32,
    val: usize,
    blen: u32,
    indent: u32,
) -> PResult<bool> {
    let invalid = |ctx: &mut Ctx| {
        ctx.print_invalid();
        Ok(true)
    };
    match mask {
        REQUEST_NETWORK_STATE if blen != 0 => ctx.print_invalid(),
        REQUEST_NODE_STATE => {
            if blen != 4 {
                return invalid(ctx);
            }
            let nid = nid_str(p, val)?;
            pr!(ctx, " NID: {}", nid);
        }
        NODE_ENDPOINT => {
            if blen != 8 {
                return invalid(ctx);
            }
            let nid = nid_str(p, val)?;
            pr!(ctx, " NID: {} EPID: {:08x}", nid, p.be_u32(val + 4)?);
        }
        NETWORK_STATE => {
            if blen != 8 {
                return invalid(ctx);
            }
            pr!(ctx, " hash: {:016x}", p.be_u64(val)?);
        }
        NODE_STATE => {
            if blen < 20 {
                return invalid(ctx);
            }
            let nid = nid_str(p, val)?;
            let seq = p.be_u32(val + 4)?;
            let interval = interval_str(p.be_u32(val + 8)?);
            let hash = p.be_u64(val + 12)?;
            pr!(
                ctx,
                " NID: {} seqno: {} {} hash: {:016x}",
                nid,
                seq,
                interval,
                hash
            );
            tlvs_print(ctx, p, val + 20, blen - 20, indent + 1)?;
        }
        PEER => {
            if blen != 12 {
                return invalid(ctx);
            }
            let nid = nid_str(p, val)?;
            pr!(
                ctx,
                " Peer-NID: {} Peer-EPID: {:08x} Local-EPID: {:08x}",
                nid,
                p.be_u32(val + 4)?,
                p.be_u32(val + 8)?
            );
        }
        KEEP_ALIVE_INTERVAL => {
            if blen < 8 {
                return invalid(ctx);
            }
            let epid = p.be_u32(val)?;
            let interval = interval_str(p.be_u32(val + 4)?);
            pr!(ctx, " EPID: {:08x} Interval: {}", epid, interval);
        }
        TRUST_VERDICT => {
            if blen <= 36 {
                return invalid(ctx);
            }
            let verdict = p.u8_at(val)?;
            let fp = hex256_str(p, val + 4)?;
            pr!(
                ctx,
                " Verdict: {} Fingerprint: {} Common Name: ",
                verdict,
                fp
            );
            printjnp(ctx, tail(p, val + 36), (blen - 36) as usize)?;
        }
        HNCP_VERSION => {
            if blen < 5 {
                return invalid(ctx);
            }
            let caps = p.be_u16(val + 2)?;
            pr!(
                ctx,
                " M: {} P: {} H: {} L: {} User-agent: ",
                caps >> 12 & 0xf,
                caps >> 8 & 0xf,
                caps >> 4 & 0xf,
                caps & 0xf
            );
            printjnp(ctx, tail(p, val + 4), (blen - 4) as usize)?;
        }
        EXTERNAL_CONNECTION => tlvs_print(ctx, p, val, blen, indent + 1)?,
        DELEGATED_PREFIX => {
            if blen < 9 || blen < 9 + (p.u8_at(val + 8)? as u32).div_ceil(8) {
                return invalid(ctx);
            }
            let vlso = interval_str(p.be_u32(val)?);
            let plso = interval_str(p.be_u32(val + 4)?);
            pr!(ctx, " VLSO: {} PLSO: {} Prefix: ", vlso, plso);
            match prefix_print(ctx, p, val + 8, blen - 8)? {
                Err(PrefixErr::Length) => ctx.push("(length is invalid)"),
                Err(PrefixErr::Short) => ctx.print_invalid(),
                Ok(l) => {
                    let l = l + 8 + pad4(l);
                    if blen >= l {
                        tlvs_print(ctx, p, val + l as usize, blen - l, indent + 1)?;
                    }
                }
            }
        }
        PREFIX_POLICY => {
            if blen < 1 {
                return invalid(ctx);
            }
            let policy = p.u8_at(val)?;
            ctx.push(" type: ");
            match policy {
                0 => {
                    if blen != 1 {
                        return invalid(ctx);
                    }
                    ctx.push("Internet connectivity");
                }
                // The policy octet is the destination prefix's length.
                1..=128 => {
                    ctx.push("Dest-Prefix: ");
                    match prefix_print(ctx, p, val, blen)? {
                        Err(PrefixErr::Length) => ctx.push("(length is invalid)"),
                        Err(PrefixErr::Short) => ctx.print_invalid(),
                        Ok(_) => {}
                    }
                }
                129 => {
                    ctx.push("DNS domain: ");
                    dns_label_print(ctx, p, val + 1, blen - 1, true)?;
                }
                130 => {
                    ctx.push("Opaque UTF-8: ");
                    printjnp(ctx, tail(p, val + 1), (blen - 1) as usize)?;
                }
                131 => {
                    if blen != 1 {
                        return invalid(ctx);
                    }
                    ctx.push("Restrictive assignment");
                }
                _ => pr!(ctx, "Unknown ({})", policy),
            }
        }
        DHCPV4_DATA => {
            if blen == 0 {
                return invalid(ctx);
            }
            if !dhcpv4_print(ctx, p, val, blen, indent + 1)? {
                return Ok(false);
            }
        }
        DHCPV6_DATA => {
            if blen == 0 {
                return invalid(ctx);
            }
            if !dhcpv6_print(ctx, p, val, blen, indent + 1)? {
                return invalid(ctx);
            }
        }
        ASSIGNED_PREFIX => {
            if blen < 6 || blen < 6 + (p.u8_at(val + 5)? as u32).div_ceil(8) {
                return invalid(ctx);
            }
            let prty = p.u8_at(val + 4)? & 0xf;
            pr!(ctx, " EPID: {:08x} Prty: {}", p.be_u32(val)?, prty);
            ctx.push(" Prefix: ");
            match prefix_print(ctx, p, val + 5, blen - 5)? {
                Err(_) => return invalid(ctx),
                Ok(l) => {
                    let l = l + 5;
                    let l = l + pad4(l);
                    if blen >= l {
                        tlvs_print(ctx, p, val + l as usize, blen - l, indent + 1)?;
                    }
                }
            }
        }
        NODE_ADDRESS => {
            if blen < 20 {
                return invalid(ctx);
            }
            let epid = p.be_u32(val)?;
            let a = ip6addr_str(p, val + 4)?;
            pr!(ctx, " EPID: {:08x} IP Address: {}", epid, a);
            tlvs_print(ctx, p, val + 20, blen - 20, indent + 1)?;
        }
        DNS_DELEGATED_ZONE => {
            if blen < 17 {
                return invalid(ctx);
            }
            let a = ip6addr_str(p, val)?;
            let f = p.u8_at(val + 16)?;
            pr!(
                ctx,
                " IP-Address: {} {}{}{} ",
                a,
                if f & 4 != 0 { 'l' } else { '-' },
                if f & 2 != 0 { 'b' } else { '-' },
                if f & 1 != 0 { 's' } else { '-' }
            );
            match dns_label_print(ctx, p, val + 17, blen - 17, true)? {
                None => return invalid(ctx),
                Some(len) => {
                    let len = len + 17;
                    let len = len + pad4(len);
                    if blen >= len {
                        tlvs_print(ctx, p, val + len as usize, blen - len, indent + 1)?;
                    }
                }
            }
        }
        DOMAIN_NAME => {
            if blen == 0 {
                return invalid(ctx);
            }
            ctx.push(" Domain: ");
            dns_label_print(ctx, p, val, blen, true)?;
        }
        NODE_NAME => {
            if blen < 17 {
                return invalid(ctx);
            }
            let l = p.u8_at(val + 16)? as u32;
            if blen < 17 + l {
                return invalid(ctx);
            }
            let a = ip6addr_str(p, val)?;
            pr!(ctx, " IP-Address: {} Name: ", a);
            if l < 64 {
                ctx.push("\"");
                printjnp(ctx, tail(p, val + 17), l as usize)?;
                ctx.push("\"");
            } else {
                ctx.print_invalid();
            }
            let l = (l + 17).div_ceil(4) * 4;
            if blen >= l {
                tlvs_print(ctx, p, val + l as usize, blen - l, indent + 1)?;
            }
        }
        MANAGED_PSK => {
            if blen < 32 {
                return invalid(ctx);
            }
            let psk = hex256_str(p, val)?;
            pr!(ctx, " PSK: {}", psk);
            tlvs_print(ctx, p, val + 32, blen - 32, indent + 1)?;
        }
        // The registry ranges have no value decoder.
        _ => {}
    }
    Ok(true)
}

/// An HNCP packet; `p`: the captured UDP payload, `length` its length.
pub fn hncp_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "hncp";
    pr!(ctx, "hncp ({})", length);
    tlvs_print(ctx, p, 0, length, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| hncp_print(ctx, p, p.len() as u32))
    }

    // A node state TLV holding two HNCP versions and an assigned prefix.
    const NODE_STATE: &str = "000500400102030400000007000005dc22222222222222220020000600001234756100\
        000020000600001234756200000023000e000000092f4020010db8000300000000";

    // Expected texts are tcpdump 4.99.3's: deeper levels are summarised until -vv.
    #[test]
    fn nesting_by_verbosity() {
        let p = hex(NODE_STATE);
        assert_eq!(run(0, &p), "hncp (68) Node state");
        let head = "hncp (68)\
            \n\tNode state (68) NID: 01:02:03:04 seqno: 7 1.500s hash: 2222222222222222";
        assert_eq!(
            run(1, &p),
            format!("{head}\n\t\tHNCP-Version (x2), Assigned-Prefix")
        );
        let full = format!(
            "{head}\n\t\tHNCP-Version (10) M: 1 P: 2 H: 3 L: 4 User-agent: ua\
             \n\t\tHNCP-Version (10) M: 1 P: 2 H: 3 L: 4 User-agent: ub\
             \n\t\tAssigned-Prefix (18) EPID: 00000009 Prty: 15 Prefix: 2001:db8:3::/64"
        );
        assert_eq!(run(2, &p), full);
        assert_eq!(run(3, &p), full);
    }

    #[test]
    fn type_ranges() {
        assert_eq!(type_mask(0), RANGE_DNCP_RESERVED);
        assert_eq!(type_mask(7), RANGE_DNCP_FUTURE_USE);
        assert_eq!(type_mask(43), PREFIX_POLICY);
        assert_eq!(type_mask(300), RANGE_HNCP_UNASSIGNED);
        assert_eq!(type_mask(900), RANGE_DNCP_PRIVATE_USE);
        assert_eq!(type_mask(5000), RANGE_DNCP_FUTURE_USE);
    }

    #[test]
    fn truncated_at_every_offset() {
        let p = hex(NODE_STATE);
        assert_every_truncation_is_safe(&p, &verbosities(3), |ctx, q| {
            hncp_print(ctx, q, p.len() as u32)
        });
        for n in 0..p.len() {
            let out = run_marked(&opts(3, false), |ctx| hncp_print(ctx, &p[..n], 68));
            assert!(out.ends_with(" [|hncp]"), "{n}: {out}");
        }
    }
}
