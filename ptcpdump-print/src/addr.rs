//! Address formatting as tcpdump does it with `-n` (addrtoname.c, addrtostr.c).
//!
//! Names are never resolved: IPv4 is dotted quad, IPv6 follows tcpdump's `addrtostr6`
//! (longest run of two or more zero groups becomes `::`, first run wins ties, `::a.b.c.d` and
//! `::ffff:a.b.c.d` for compatible/mapped addresses), MAC addresses are `xx:xx:xx:xx:xx:xx`.

use std::fmt::{self, Write};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends an IPv4 address.
pub fn push_ipv4(out: &mut String, a: &[u8]) {
    let _ = write!(out, "{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
}

/// Appends an IPv6 address.
pub fn push_ipv6(out: &mut String, a: &[u8]) {
    let mut words = [0u16; 8];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    }
    let (mut best_base, mut best_len) = (-1i32, 0i32);
    let (mut cur_base, mut cur_len) = (-1i32, 0i32);
    for (i, &w) in words.iter().enumerate() {
        if w == 0 {
            if cur_base == -1 {
                cur_base = i as i32;
                cur_len = 1;
            } else {
                cur_len += 1;
            }
        } else if cur_base != -1 {
            if best_base == -1 || cur_len > best_len {
                best_base = cur_base;
                best_len = cur_len;
            }
            cur_base = -1;
        }
    }
    if cur_base != -1 && (best_base == -1 || cur_len > best_len) {
        best_base = cur_base;
        best_len = cur_len;
    }
    if best_base != -1 && best_len < 2 {
        best_base = -1;
    }
    for i in 0..8i32 {
        if best_base != -1 && i >= best_base && i < best_base + best_len {
            if i == best_base {
                out.push(':');
            }
            continue;
        }
        if i != 0 {
            out.push(':');
        }
        if i == 6 && best_base == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff)) {
            push_ipv4(out, &a[12..16]);
            break;
        }
        let _ = write!(out, "{:x}", words[i as usize]);
    }
    if best_base != -1 && best_base + best_len == 8 {
        out.push(':');
    }
}

/// Appends an IPv4 (4 bytes) or IPv6 (16 bytes) address.
pub fn push_ip(out: &mut String, a: &[u8]) {
    if a.len() == 16 {
        push_ipv6(out, a)
    } else {
        push_ipv4(out, a)
    }
}

/// Appends a MAC address.
pub fn push_mac(out: &mut String, a: &[u8]) {
    for (i, &b) in a.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
}

/// `Display` adapters, for use inside `write!`.
pub struct Ip<'a>(pub &'a [u8]);
impl fmt::Display for Ip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(40);
        push_ip(&mut s, self.0);
        f.write_str(&s)
    }
}

pub struct Mac<'a>(pub &'a [u8]);
impl fmt::Display for Mac<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(18);
        push_mac(&mut s, self.0);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(s: &str) -> String {
        let a: std::net::Ipv6Addr = s.parse().unwrap();
        let mut o = String::new();
        push_ipv6(&mut o, &a.octets());
        o
    }

    #[test]
    fn ipv6_forms() {
        assert_eq!(v6("::1"), "::1");
        assert_eq!(v6("::"), "::");
        assert_eq!(v6("2001:db8::1"), "2001:db8::1");
        assert_eq!(v6("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
        assert_eq!(v6("fe80::"), "fe80::");
        assert_eq!(v6("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
        assert_eq!(v6("1:0:0:2:3:0:0:4"), "1::2:3:0:0:4");
        assert_eq!(v6("::ffff:10.1.2.3"), "::ffff:10.1.2.3");
        assert_eq!(v6("::10.1.2.3"), "::10.1.2.3");
        assert_eq!(v6("ff02::1:ff00:1"), "ff02::1:ff00:1");
    }

    #[test]
    fn mac_and_v4() {
        let mut o = String::new();
        push_mac(&mut o, &[0, 0x1b, 0x21, 0x3a, 0x4c, 0xff]);
        o.push(' ');
        push_ipv4(&mut o, &[192, 168, 1, 10]);
        assert_eq!(o, "00:1b:21:3a:4c:ff 192.168.1.10");
    }
}
