//! Zephyr, MIT Project Athena's notification service ("Zephyr" in the Athena Technical Plan,
//! section E.4.1), UDP ports 2103/2104: the notice header and a summary of well-known classes
//! (locations, subscriptions, host manager and login notices); tcpdump's print-zephyr.c.

use super::util_print::push_char;
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const Z_PACKET_SERVACK: i32 = 5;

const TYPE_VALUES: &[(u32, &str)] = &[
    (0, "unsafe"),
    (1, "unacked"),
    (2, "acked"),
    (3, "hm-ack"),
    (4, "hm-ctl"),
    (5, "serv-ack"),
    (6, "serv-nak"),
    (7, "client-ack"),
    (8, "stat"),
];

/// tcpdump formats some fields into a 256-byte buffer: longer text is cut to 255 bytes.
const ZBUF: usize = 255;

/// The NUL-terminated fields of a notice, in order.
struct Fields<'a> {
    p: &'a [u8],
    off: usize,
    /// Octets of the datagram left.
    left: i64,
    /// A field did not end before the datagram (tcpdump's `lose`).
    lost: bool,
}

impl<'a> Fields<'a> {
    /// The next field (without its NUL); `None` (and `lost`) when the datagram ends first.
    fn next(&mut self) -> PResult<Option<&'a [u8]>> {
        let start = self.off;
        loop {
            if self.left == 0 {
                self.lost = true;
                return Ok(None);
            }
            if self.p.u8_at(self.off)? == 0 {
                break;
            }
            self.off += 1;
            self.left -= 1;
        }
        let s = &self.p[start..self.off];
        self.off += 1;
        self.left -= 1;
        Ok(Some(s))
    }
    fn str(&mut self) -> PResult<&'a [u8]> {
        Ok(self.next()?.unwrap_or(b""))
    }
    /// A number in hex, as C's `strtol(s, 0, 16)` stored in an `int`.
    fn int(&mut self) -> PResult<i32> {
        Ok(self.next()?.map(strtol16).unwrap_or(0))
    }
}

/// `strtol(s, NULL, 16)` truncated to 32 bits: spaces, a sign, an optional `0x`, hex digits;
/// overflow saturates to the 64-bit limits.
fn strtol16(s: &[u8]) -> i32 {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    if s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && s.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
    {
        i += 2;
    }
    let mut v: i128 = 0;
    while let Some(d) = s.get(i).and_then(|c| (*c as char).to_digit(16)) {
        v = (v * 16 + d as i128).min(i64::MAX as i128 + 1);
        i += 1;
    }
    let v = if neg {
        (-v).max(i64::MIN as i128) as i64
    } else {
        v.min(i64::MAX as i128) as i64
    };
    v as i32
}

fn lower(s: &[u8]) -> Vec<u8> {
    s.iter()
        .take(ZBUF)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `<class,instance,recipient>` (`*` for no recipient), cut like tcpdump's buffer.
fn triple(class: &[u8], inst: &[u8], recipient: &[u8]) -> Vec<u8> {
    let recipient: &[u8] = if recipient.is_empty() {
        b"*"
    } else {
        recipient
    };
    let mut v = Vec::new();
    v.push(b'<');
    v.extend_from_slice(class);
    v.push(b',');
    v.extend_from_slice(inst);
    v.push(b',');
    v.extend_from_slice(recipient);
    v.push(b'>');
    v.truncate(ZBUF);
    v
}

/// `lead` then `s` with tcpdump's escaping of unprintable bytes.
fn zprint(ctx: &mut Ctx, lead: &str, s: &[u8]) {
    ctx.push(lead);
    for &c in s {
        push_char(ctx.out, c);
    }
}

/// A Zephyr notice; `p`: the captured UDP payload, `length` its length.
pub fn zephyr_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "zephyr";
    let mut f = Fields {
        p,
        off: 0,
        left: length as i32 as i64,
        lost: false,
    };
    let Some(version) = f.next()? else {
        ctx.print_invalid();
        return Ok(());
    };
    if !version.starts_with(b"ZEPH") {
        return Ok(());
    }
    let _numfields = f.int()?;
    let kind = f.int()?;
    let _uid = f.str()?;
    let _port = f.int()?;
    let _auth = f.int()?;
    let _authlen = f.int()?;
    let _authdata = f.str()?;
    let class = f.str()?;
    let inst = f.str()?;
    let opcode = f.str()?;
    let sender = f.str()?;
    let recipient = f.str()?;
    let _format = f.str()?;
    let _cksum = f.int()?;
    let _multi = f.int()?;
    let _multi_uid = f.str()?;
    if f.lost {
        ctx.print_invalid();
        return Ok(());
    }
    ctx.push(" zephyr");
    if !version[4..].starts_with(b"0.2") {
        zprint(ctx, " v", &version[4..]);
        return Ok(());
    }
    match tok(TYPE_VALUES, kind as u32) {
        Some(n) => pr!(ctx, " {}", n),
        None => pr!(ctx, " type {}", kind),
    }
    if kind == Z_PACKET_SERVACK
        && let Some(ack) = f.next()?
        && ack != b"SENT"
    {
        zprint(ctx, "/", &lower(ack));
    }
    if !sender.is_empty() {
        zprint(ctx, " ", sender);
    }
    match class {
        b"USER_LOCATE" => {
            match opcode {
                b"USER_HIDE" => ctx.push(" hide"),
                b"USER_UNHIDE" => ctx.push(" unhide"),
                _ => zprint(ctx, " locate ", inst),
            }
            return Ok(());
        }
        b"ZEPHYR_ADMIN" => {
            zprint(ctx, " zephyr-admin ", &lower(opcode));
            return Ok(());
        }
        b"ZEPHYR_CTL" => match inst {
            b"CLIENT" => {
                match opcode {
                    b"SUBSCRIBE" | b"SUBSCRIBE_NODEFS" | b"UNSUBSCRIBE" => {
                        pr!(
                            ctx,
                            " {}sub{}",
                            if opcode == b"SUBSCRIBE" { "" } else { "un" },
                            if opcode == b"SUBSCRIBE_NODEFS" {
                                "-nodefs"
                            } else {
                                ""
                            }
                        );
                        if kind != Z_PACKET_SERVACK {
                            let c = f.str()?;
                            let i = f.str()?;
                            let r = f.str()?;
                            if !f.lost {
                                zprint(ctx, " ", &triple(c, i, r));
                            }
                        }
                    }
                    b"GIMME" => ctx.push(" ret"),
                    b"GIMMEDEFS" => ctx.push(" gimme-defs"),
                    b"CLEARSUB" => ctx.push(" clear-subs"),
                    _ => zprint(ctx, " ", &lower(opcode)),
                }
                return Ok(());
            }
            b"HM" => {
                zprint(ctx, " ", &lower(opcode));
                return Ok(());
            }
            b"REALM" => {
                match opcode {
                    b"ADD_SUBSCRIBE" => ctx.push(" realm add-subs"),
                    b"REQ_SUBSCRIBE" => ctx.push(" realm req-subs"),
                    b"RLM_SUBSCRIBE" => ctx.push(" realm rlm-sub"),
                    b"RLM_UNSUBSCRIBE" => ctx.push(" realm rlm-unsub"),
                    _ => {}
                }
                return Ok(());
            }
            _ => {}
        },
        b"HM_CTL" | b"WG_CTL" => {
            let lead = if class == b"HM_CTL" {
                " hm_ctl "
            } else {
                " wg_ctl "
            };
            zprint(ctx, lead, &lower(inst));
            zprint(ctx, " ", &lower(opcode));
            return Ok(());
        }
        b"HM_STAT" if inst == b"HMST_CLIENT" && opcode == b"GIMMESTATS" => {
            ctx.push(" get-client-stats");
            return Ok(());
        }
        b"LOGIN" => match opcode {
            b"USER_FLUSH" => {
                ctx.push(" flush_locs");
                return Ok(());
            }
            b"NONE" | b"OPSTAFF" | b"REALM-VISIBLE" | b"REALM-ANNOUNCED" | b"NET-VISIBLE"
            | b"NET-ANNOUNCED" => {
                zprint(ctx, " set-exposure ", &lower(opcode));
                return Ok(());
            }
            _ => {}
        },
        _ => {}
    }
    zprint(ctx, " to ", &triple(class, inst, recipient));
    if !opcode.is_empty() {
        zprint(ctx, " op ", opcode);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A notice of kind `kind`, class, instance, opcode, sender and recipient, then `extra`
    /// fields.
    fn notice(kind: &str, f: [&str; 5], extra: &[&str]) -> Vec<u8> {
        let mut fields = vec!["ZEPH0.2", "1a", kind, "uid", "0x1f", "1", "0", ""];
        fields.extend_from_slice(&f);
        fields.extend_from_slice(&["", "abc", "0", ""]);
        fields.extend_from_slice(extra);
        let mut v = Vec::new();
        for s in fields {
            v.extend_from_slice(s.as_bytes());
            v.push(0);
        }
        v
    }

    fn run(p: &[u8]) -> String {
        run_marked(&opts(0, false), |ctx| zephyr_print(ctx, p, p.len() as u32))
    }

    // Expected texts are tcpdump 4.99.3's.
    #[test]
    fn notices() {
        let sender = "user@ATHENA";
        assert_eq!(
            run(&notice(
                "2",
                ["USER_LOCATE", "bob", "LOCATE", sender, ""],
                &[]
            )),
            " zephyr acked user@ATHENA locate bob"
        );
        assert_eq!(
            run(&notice(
                "2",
                ["ZEPHYR_CTL", "CLIENT", "SUBSCRIBE_NODEFS", sender, ""],
                &["message", "*", ""]
            )),
            " zephyr acked user@ATHENA unsub-nodefs <message,*,*>"
        );
        assert_eq!(
            run(&notice("5", ["x", "y", "z", sender, ""], &["LOST"])),
            " zephyr serv-ack/lost user@ATHENA to <x,y,*> op z"
        );
        assert_eq!(
            run(&notice("2", ["HM_CTL", "SERVER", "BOOT", sender, ""], &[])),
            " zephyr acked user@ATHENA hm_ctl server boot"
        );
        assert_eq!(
            run(&notice(
                "-0x10",
                ["ZEPHYR_ADMIN", "x", "HELLO\x01", sender, ""],
                &[]
            )),
            " zephyr type -16 user@ATHENA zephyr-admin hello^A"
        );
        assert_eq!(
            run(&notice("2", ["MESSAGE", "PERSONAL", "", "", "bob@X"], &[])),
            " zephyr acked to <MESSAGE,PERSONAL,bob@X>"
        );
        assert_eq!(run(b"ZEPHX\0"), " (invalid)");
        assert_eq!(run(b"HTTP\0"), "");
    }

    #[test]
    fn hex_numbers_as_strtol() {
        assert_eq!(strtol16(b"1a"), 26);
        assert_eq!(strtol16(b" -0x10"), -16);
        assert_eq!(strtol16(b"0xg"), 0);
        assert_eq!(strtol16(b"ffffffffffffffffff"), -1);
        assert_eq!(strtol16(b"zz"), 0);
    }

    #[test]
    fn truncated_at_every_offset() {
        let p = notice("2", ["USER_LOCATE", "bob", "LOCATE", "u", ""], &[]);
        assert_every_truncation_is_safe(&p, &verbosities(1), |ctx, q| {
            zephyr_print(ctx, q, p.len() as u32)
        });
        for n in 0..p.len() {
            let out = run_marked(&opts(0, false), |ctx| {
                zephyr_print(ctx, &p[..n], p.len() as u32)
            });
            assert!(out.ends_with(" [|zephyr]"), "{n}: {out}");
        }
    }
}
