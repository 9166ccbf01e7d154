//! IPv6 Hop-by-Hop and Destination Options headers (RFC 8200 sections 4.3 and 4.6, RFC 2675
//! Jumbo Payload, RFC 2711 Router Alert, RFC 6275 Home Address); tcpdump's print-ip6opts.c.
//!
//! Options are only listed with `-v`; without it the headers print as `HBH ` / `DSTOPT `.

use super::{Ctx, pr};
use crate::cursor::{Bytes, PResult};

const IP6OPT_PAD1: u8 = 0x00;
const IP6OPT_PADN: u8 = 0x01;
const IP6OPT_JUMBO: u8 = 0xc2;
const IP6OPT_JUMBO_LEN: usize = 6;
const IP6OPT_ROUTER_ALERT: u8 = 0x05;
const IP6OPT_RTALERT_LEN: usize = 4;
const IP6OPT_HOME_ADDRESS: u8 = 0xc9;
const IP6OPT_HOMEADDR_MINLEN: usize = 18;
const IP6OPT_MINLEN: usize = 2;

/// The length of the option at `i` (1 for Pad1), or `None` when it runs past `len`.
fn opt_len(bp: &[u8], i: usize, len: usize) -> PResult<Option<usize>> {
    let optlen = if bp.u8_at(i)? == IP6OPT_PAD1 {
        1
    } else if i + 1 < len {
        usize::from(bp.u8_at(i + 1)?) + 2
    } else {
        return Ok(None);
    };
    Ok((i + optlen <= len).then_some(optlen))
}

/// `ip6_sopt_print`: sub-options of a Home Address option. `Ok(false)` means malformed.
fn sopt_print(ctx: &mut Ctx, bp: &[u8], len: usize) -> PResult<bool> {
    let mut i = 0;
    while i < len {
        let Some(optlen) = opt_len(bp, i, len)? else {
            return Ok(false);
        };
        match bp.u8_at(i)? {
            IP6OPT_PAD1 => ctx.push(", pad1"),
            IP6OPT_PADN => {
                if len - i < IP6OPT_MINLEN {
                    ctx.push(", padn: trunc");
                    return Ok(false);
                }
                ctx.push(", padn");
            }
            t => {
                if len - i < IP6OPT_MINLEN {
                    pr!(ctx, ", sopt_type {}: trunc)", t);
                    return Ok(false);
                }
                pr!(ctx, ", sopt_type 0x{:02x}: len={}", t, bp.u8_at(i + 1)?);
            }
        }
        i += optlen;
    }
    Ok(true)
}

/// `ip6_opt_process`: the options in `bp[..len]`. `payload_len` is `None` for destination
/// options (a Jumbo Payload option is only valid hop-by-hop). `Ok(false)` means malformed.
fn opt_process(
    ctx: &mut Ctx,
    bp: &[u8],
    len: usize,
    found_jumbop: &mut bool,
    payload_len: Option<&mut u32>,
) -> PResult<bool> {
    if len == 0 {
        return Ok(true);
    }
    let v = ctx.vflag();
    let mut payload_len = payload_len;
    let mut found_jumbo = false;
    let mut i = 0;
    while i < len {
        let Some(optlen) = opt_len(bp, i, len)? else {
            return Ok(false);
        };
        let t = bp.u8_at(i)?;
        match t {
            IP6OPT_PAD1 => {
                if v > 0 {
                    ctx.push("(pad1)");
                }
            }
            IP6OPT_PADN => {
                if len - i < IP6OPT_MINLEN {
                    ctx.push("(padn: trunc)");
                    return Ok(false);
                }
                if v > 0 {
                    ctx.push("(padn)");
                }
            }
            IP6OPT_ROUTER_ALERT => {
                if len - i < IP6OPT_RTALERT_LEN {
                    ctx.push("(rtalert: trunc)");
                    return Ok(false);
                }
                let l = bp.u8_at(i + 1)?;
                if usize::from(l) != IP6OPT_RTALERT_LEN - 2 {
                    pr!(ctx, "(rtalert: invalid len {})", l);
                    return Ok(false);
                }
                if v > 0 {
                    pr!(ctx, "(rtalert: 0x{:04x}) ", bp.be_u16(i + 2)?);
                }
            }
            IP6OPT_JUMBO => {
                if len - i < IP6OPT_JUMBO_LEN {
                    ctx.push("(jumbo: trunc)");
                    return Ok(false);
                }
                let l = bp.u8_at(i + 1)?;
                if usize::from(l) != IP6OPT_JUMBO_LEN - 2 {
                    pr!(ctx, "(jumbo: invalid len {})", l);
                    return Ok(false);
                }
                let jumbolen = bp.be_u32(i + 2)?;
                if found_jumbo {
                    if v > 0 {
                        pr!(ctx, "(jumbo: {} - already seen) ", jumbolen);
                    }
                } else {
                    found_jumbo = true;
                    match payload_len.as_deref_mut() {
                        None => {
                            if v > 0 {
                                pr!(ctx, "(jumbo: {} - not a hop-by-hop option) ", jumbolen);
                            }
                        }
                        Some(pl) if *pl != 0 => {
                            if v > 0 {
                                pr!(ctx, "(jumbo: {} - payload len != 0) ", jumbolen);
                            }
                        }
                        Some(pl) => {
                            if jumbolen < 65536 {
                                if v > 0 {
                                    pr!(ctx, "(jumbo: {} - < 65536) ", jumbolen);
                                }
                            } else {
                                *found_jumbop = true;
                                *pl = jumbolen;
                                if v > 0 {
                                    pr!(ctx, "(jumbo: {}) ", jumbolen);
                                }
                            }
                        }
                    }
                }
            }
            IP6OPT_HOME_ADDRESS => {
                if len - i < IP6OPT_HOMEADDR_MINLEN {
                    ctx.push("(homeaddr: trunc)");
                    return Ok(false);
                }
                let l = usize::from(bp.u8_at(i + 1)?);
                if l < IP6OPT_HOMEADDR_MINLEN - 2 {
                    pr!(ctx, "(homeaddr: invalid len {})", l);
                    return Ok(false);
                }
                if v > 0 {
                    let a = bp.sub(i + 2, 16)?;
                    ctx.push("(homeaddr: ");
                    ctx.ip(a);
                    if l > IP6OPT_HOMEADDR_MINLEN - 2 {
                        let sub = bp.from(i + IP6OPT_HOMEADDR_MINLEN)?;
                        if !sopt_print(ctx, sub, optlen - IP6OPT_HOMEADDR_MINLEN)? {
                            return Ok(false);
                        }
                    }
                    ctx.push(")");
                }
            }
            _ => {
                if len - i < IP6OPT_MINLEN {
                    pr!(ctx, "(type {}: trunc)", t);
                    return Ok(false);
                }
                if v > 0 {
                    pr!(ctx, "(opt_type 0x{:02x}: len={})", t, bp.u8_at(i + 1)?);
                }
            }
        }
        i += optlen;
    }
    if v > 0 {
        ctx.push(" ");
    }
    Ok(true)
}

/// Hop-by-Hop options. Returns the header length (or < 0 to stop); sets `found_jumbo` and
/// `payload_len` when a Jumbo Payload option is present.
pub fn hbhopt_process(
    ctx: &mut Ctx,
    bp: &[u8],
    found_jumbo: &mut bool,
    payload_len: &mut u32,
) -> PResult<i32> {
    ctx.protocol = "hbhopt";
    let len = (usize::from(bp.u8_at(1)?) + 1) << 3;
    if !bp.has(0, len) {
        ctx.print_trunc();
        return Ok(-1);
    }
    ctx.push("HBH ");
    if !opt_process(ctx, &bp[2..len], len - 2, found_jumbo, Some(payload_len))? {
        ctx.print_trunc();
        return Ok(-1);
    }
    Ok(len as i32)
}

/// Destination options. Returns the header length (or < 0 to stop).
pub fn dstopt_process(ctx: &mut Ctx, bp: &[u8]) -> PResult<i32> {
    ctx.protocol = "dstopt";
    let len = (usize::from(bp.u8_at(1)?) + 1) << 3;
    if !bp.has(0, len) {
        ctx.print_trunc();
        return Ok(-1);
    }
    ctx.push("DSTOPT ");
    if ctx.vflag() > 0 {
        let mut unused = false;
        if !opt_process(ctx, &bp[2..len], len - 2, &mut unused, None)? {
            ctx.print_trunc();
            return Ok(-1);
        }
    }
    Ok(len as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    /// Runs `f` with a context at `-v` level `v`; returns the text and the result.
    fn with_ctx<T>(v: u8, f: impl FnOnce(&mut Ctx) -> T) -> (String, T) {
        run_with(&opts(v, false), f)
    }

    // Next header 58, length 0 (8 bytes): router alert (MLD), PadN of 0.
    const HBH_RTALERT: [u8; 8] = [58, 0, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00];
    // Next header 17, length 0: jumbo payload of 70000.
    const HBH_JUMBO: [u8; 8] = [17, 0, 0xc2, 0x04, 0x00, 0x01, 0x11, 0x70];

    #[test]
    fn hop_by_hop() {
        let (s, r) = with_ctx(0, |c| hbhopt_process(c, &HBH_RTALERT, &mut false, &mut 8));
        assert_eq!((s.as_str(), r), ("HBH ", Ok(8)));
        let (s, _) = with_ctx(1, |c| hbhopt_process(c, &HBH_RTALERT, &mut false, &mut 8));
        assert_eq!(s, "HBH (rtalert: 0x0000) (padn) ");
    }

    #[test]
    fn jumbo_payload_only_with_zero_payload_length() {
        let (mut found, mut plen) = (false, 0u32);
        let (s, r) = with_ctx(1, |c| hbhopt_process(c, &HBH_JUMBO, &mut found, &mut plen));
        assert_eq!(
            (s.as_str(), r, found, plen),
            ("HBH (jumbo: 70000)  ", Ok(8), true, 70000)
        );
        let (mut found, mut plen) = (false, 40u32);
        let (s, _) = with_ctx(1, |c| hbhopt_process(c, &HBH_JUMBO, &mut found, &mut plen));
        assert_eq!(
            (s.as_str(), found),
            ("HBH (jumbo: 70000 - payload len != 0)  ", false)
        );
        let (s, _) = with_ctx(1, |c| dstopt_process(c, &HBH_JUMBO));
        assert_eq!(s, "DSTOPT (jumbo: 70000 - not a hop-by-hop option)  ");
    }

    #[test]
    fn bad_option_length_is_truncation() {
        let mut h = HBH_RTALERT;
        h[3] = 3; // a router alert is 2 bytes long
        let (s, r) = with_ctx(1, |c| hbhopt_process(c, &h, &mut false, &mut 8));
        assert_eq!(
            (s.as_str(), r),
            ("HBH (rtalert: invalid len 3) [|hbhopt]", Ok(-1))
        );
        h[3] = 5; // runs past the header
        let (s, r) = with_ctx(1, |c| hbhopt_process(c, &h, &mut false, &mut 8));
        assert_eq!((s.as_str(), r), ("HBH  [|hbhopt]", Ok(-1)));
    }

    #[test]
    fn truncated_at_every_offset_never_panics() {
        for h in [HBH_RTALERT, HBH_JUMBO] {
            for cut in 0..h.len() {
                for v in 0..2 {
                    let _ = with_ctx(v, |c| hbhopt_process(c, &h[..cut], &mut false, &mut 0));
                    let _ = with_ctx(v, |c| dstopt_process(c, &h[..cut]));
                }
            }
        }
    }
}
