//! SLIP, LINKTYPE_SLIP (8) and LINKTYPE_SLIP_BSDOS (102): the 16-byte pseudo-header BPF
//! puts before SLIP packets (direction, then the first bytes of the link-level header, which
//! for Van Jacobson compressed TCP/IP (RFC 1144) is the compressed header); tcpdump's
//! print-sl.c.

use super::{Ctx, ip, ip6, pr};
use crate::cursor::{Bytes, PResult};

const SLIP_HDRLEN: usize = 16;
const SLX_DIR: usize = 0;
const SLX_CHDR: usize = 1;
const IP_HDRLEN: usize = 20;
const TCP_HDRLEN: usize = 20;

// RFC 1144 packet types (the top bits of the first header byte) and change mask bits.
const TYPE_IP: u8 = 0x40;
const TYPE_UNCOMPRESSED_TCP: u8 = 0x70;
const TYPE_COMPRESSED_TCP: u8 = 0x80;
const NEW_C: u8 = 0x40;
const NEW_I: u8 = 0x20;
const NEW_S: u8 = 0x08;
const NEW_A: u8 = 0x04;
const NEW_W: u8 = 0x02;
const NEW_U: u8 = 0x01;
const SPECIAL_I: u8 = NEW_S | NEW_W | NEW_U;
const SPECIAL_D: u8 = NEW_S | NEW_A | NEW_W | NEW_U;
const SPECIALS_MASK: u8 = NEW_S | NEW_A | NEW_W | NEW_U;

/// What compressed packets refer to: the last connection id seen and, per direction and
/// connection, the data length of the last packet (tcpdump keeps these in statics).
pub struct SlipState {
    lastconn: u8,
    lastlen: Vec<u32>,
}

impl Default for SlipState {
    fn default() -> Self {
        SlipState {
            lastconn: 255,
            lastlen: vec![0; 2 * 256],
        }
    }
}

impl SlipState {
    fn lastlen(&mut self, dir: usize) -> &mut u32 {
        &mut self.lastlen[dir * 256 + self.lastconn as usize]
    }
}

/// The data length of the TCP/IP packet at `ip` (IP header and TCP header from their length
/// fields taken off `length`), wrapping as tcpdump's unsigned arithmetic does.
fn data_len(ip: &[u8], length: u32) -> PResult<u32> {
    ip.sub(0, IP_HDRLEN)?;
    let hl = (ip.u8_at(0)? & 0x0f) as usize;
    ip.sub(hl * 4, TCP_HDRLEN)?;
    let words = hl as u32 + (ip.u8_at(hl * 4 + 12)? >> 4) as u32;
    Ok(length.wrapping_sub(words << 2))
}

/// LINKTYPE_SLIP.
pub fn sl_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "slip";
    p.sub(0, SLIP_HDRLEN)?;
    let length = len.wrapping_sub(SLIP_HDRLEN as u32);
    let ip = &p[SLIP_HDRLEN..];
    if ctx.eflag() {
        sliplink_print(ctx, p, ip, length)?;
    }
    match ip.u8_at(0)? >> 4 {
        4 => ip::ip_print(ctx, ip, length)?,
        6 => ip6::ip6_print(ctx, ip, length)?,
        v => pr!(ctx, "ip v{}", v),
    }
    Ok(SLIP_HDRLEN as u32)
}

/// LINKTYPE_SLIP_BSDOS: the same pseudo-header, always IPv4, no `-e` text.
pub fn sl_bsdos_if_print(ctx: &mut Ctx, p: &[u8], len: u32) -> PResult<u32> {
    ctx.protocol = "slip_bsdos";
    p.sub(0, SLIP_HDRLEN)?;
    ip::ip_print(ctx, &p[SLIP_HDRLEN..], len.wrapping_sub(SLIP_HDRLEN as u32))?;
    Ok(SLIP_HDRLEN as u32)
}

fn sliplink_print(ctx: &mut Ctx, p: &[u8], ip: &[u8], length: u32) -> PResult {
    let dir = match p.u8_at(SLX_DIR)? {
        0 => {
            ctx.push("I ");
            Some(0)
        }
        1 => {
            ctx.push("O ");
            Some(1)
        }
        d => {
            pr!(ctx, "Invalid direction {} ", d);
            None
        }
    };
    let chdr = p.u8_at(SLX_CHDR)?;
    match chdr & 0xf0 {
        TYPE_IP => pr!(ctx, "ip {}: ", length + SLIP_HDRLEN as u32),
        TYPE_UNCOMPRESSED_TCP => {
            // The connection id is in the IP protocol field of the header copy (the header
            // itself already has IPPROTO_TCP back).
            let conn = p.u8_at(SLX_CHDR + 9)?;
            ctx.state.slip.lastconn = conn;
            pr!(ctx, "utcp {}: ", conn);
            let Some(dir) = dir else { return Ok(()) };
            let n = data_len(ip, length)?;
            *ctx.state.slip.lastlen(dir) = n;
        }
        _ => {
            let Some(dir) = dir else { return Ok(()) };
            if chdr & TYPE_COMPRESSED_TCP != 0 {
                compressed_print(ctx, &p[SLX_CHDR..], ip, length, dir)?;
                ctx.push(": ");
            } else {
                pr!(ctx, "slip-{}!: ", chdr);
            }
        }
    }
    Ok(())
}

/// A changed field: one byte, or 0 and then two bytes. Like tcpdump, a one-byte change does
/// not move past its byte, so the next field is read from the same place.
fn change(ctx: &mut Ctx, what: &str, c: &[u8], off: &mut usize) -> PResult {
    let mut v = c.u8_at(*off)? as u32;
    if v == 0 {
        v = c.be_u16(*off + 1)? as u32;
        *off += 3;
    }
    pr!(ctx, " {}{}", what, v);
    Ok(())
}

/// The window change, which is signed (and, as [`change`], one byte does not advance).
fn winchange(ctx: &mut Ctx, c: &[u8], off: &mut usize) -> PResult {
    let mut v = c.u8_at(*off)? as i16;
    if v == 0 {
        v = c.be_u16(*off + 1)? as i16;
        *off += 3;
    }
    if v >= 0 {
        pr!(ctx, " W+{}", v);
    } else {
        pr!(ctx, " W{}", v);
    }
    Ok(())
}

fn compressed_print(ctx: &mut Ctx, c: &[u8], ip: &[u8], length: u32, dir: usize) -> PResult {
    let flags = c.u8_at(0)?;
    let mut off = 1;
    if flags & NEW_C != 0 {
        let conn = c.u8_at(off)?;
        off += 1;
        ctx.state.slip.lastconn = conn;
        pr!(ctx, "ctcp {}", conn);
    } else {
        ctx.push("ctcp *");
    }
    // The TCP checksum.
    off += 2;
    match flags & SPECIALS_MASK {
        SPECIAL_I => {
            let n = *ctx.state.slip.lastlen(dir);
            pr!(ctx, " *SA+{}", n);
        }
        SPECIAL_D => {
            let n = *ctx.state.slip.lastlen(dir);
            pr!(ctx, " *S+{}", n);
        }
        _ => {
            if flags & NEW_U != 0 {
                change(ctx, "U=", c, &mut off)?;
            }
            if flags & NEW_W != 0 {
                winchange(ctx, c, &mut off)?;
            }
            if flags & NEW_A != 0 {
                change(ctx, "A+", c, &mut off)?;
            }
            if flags & NEW_S != 0 {
                change(ctx, "S+", c, &mut off)?;
            }
        }
    }
    if flags & NEW_I != 0 {
        change(ctx, "I+", c, &mut off)?;
    }
    // The data length of the uncompressed packet, and the compressed header's length.
    let n = data_len(ip, length)?;
    *ctx.state.slip.lastlen(dir) = n;
    pr!(ctx, " {} ({})", n, off);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{
        assert_every_truncated_packet_is_safe, opts, print_packet, print_packets,
    };

    /// A pseudo-header (direction, link header byte) and an IPv4 TCP packet with 4 data bytes.
    fn frame(dir: u8, chdr: &[u8]) -> Vec<u8> {
        let mut d = vec![0u8; 16];
        d[0] = dir;
        d[1..1 + chdr.len()].copy_from_slice(chdr);
        d.extend_from_slice(&[
            0x45, 0, 0, 44, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ]);
        d.extend_from_slice(&[
            0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x10, 0, 0, 0, 0, 0, 0,
        ]);
        d.extend_from_slice(b"abcd");
        d
    }

    #[test]
    fn link_header() {
        let utcp = frame(1, &[0x70, 0, 0, 0, 0, 0, 0, 0, 0, 57]);
        let ctcp = frame(0, &[0x80 | 0x40 | 0x02, 57, 0, 0, 48]);
        let out = print_packets(
            opts(0, true),
            8,
            [(&utcp[..], 60), (&ctcp[..], 60), (&utcp[..40], 60)],
        );
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("O utcp 57: 10.0.0.1.1 > 10.0.0.2.2: "));
        assert!(lines[1].starts_with("I ctcp 57 W+48 4 (4): 10.0.0.1.1 > 10.0.0.2.2: "));
        assert_eq!(lines[2], "O utcp 57:  [|slip]");
        let mut bad = frame(7, &[0x40]);
        bad[16] = 0x05;
        assert_eq!(
            print_packet(opts(0, true), 8, &bad[..17]),
            "Invalid direction 7 ip 17: ip v0\n"
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        let d = frame(0, &[0x80 | 0x40 | 0x20 | 0x0f, 57, 0, 0, 0, 1, 2, 3]);
        for lt in [8, 102] {
            assert_every_truncated_packet_is_safe(lt, &d, &[opts(0, false), opts(1, true)]);
        }
    }
}
