//! `xtask gen-pcap FILE COUNT`: a classic pcap (microsecond, Ethernet) of varied traffic for the
//! `read` benchmark: TCP data and handshakes, HTTP requests, UDP, DNS queries, ICMP echo and
//! IPv6, with valid checksums. Addresses are in 198.18.0.0/15 and 2001:db8::/32.
use std::{
    fs::File,
    io::{BufWriter, Write},
    path::Path,
};

use anyhow::Result;

fn csum_add(mut sum: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [b] = chunks.remainder() {
        sum += u32::from(*b) << 8;
    }
    sum
}

fn csum_fold(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

const MAC_A: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0a];
const MAC_B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0b];

fn ethernet(out: &mut Vec<u8>, reply: bool, ethertype: u16) {
    let (d, s) = if reply {
        (MAC_A, MAC_B)
    } else {
        (MAC_B, MAC_A)
    };
    out.extend_from_slice(&d);
    out.extend_from_slice(&s);
    out.extend_from_slice(&ethertype.to_be_bytes());
}

/// IPv4 packet with `l4` (whose checksum field at `csum_at`, if any, is filled in).
fn ipv4(
    out: &mut Vec<u8>,
    src: [u8; 4],
    dst: [u8; 4],
    proto: u8,
    id: u16,
    mut l4: Vec<u8>,
    csum_at: Option<usize>,
) {
    if let Some(at) = csum_at {
        let mut s = csum_add(0, &src);
        s = csum_add(s, &dst);
        s += u32::from(proto) + l4.len() as u32;
        let c = csum_fold(csum_add(s, &l4));
        l4[at..at + 2].copy_from_slice(&c.to_be_bytes());
    }
    let total = (20 + l4.len()) as u16;
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&id.to_be_bytes());
    h.extend_from_slice(&[0x40, 0, 64, proto, 0, 0]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    let c = csum_fold(csum_add(0, &h));
    h[10..12].copy_from_slice(&c.to_be_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(&l4);
}

fn ipv6(
    out: &mut Vec<u8>,
    src: [u8; 16],
    dst: [u8; 16],
    next: u8,
    mut l4: Vec<u8>,
    csum_at: usize,
) {
    let mut s = csum_add(0, &src);
    s = csum_add(s, &dst);
    s += l4.len() as u32 + u32::from(next);
    let c = csum_fold(csum_add(s, &l4));
    l4[csum_at..csum_at + 2].copy_from_slice(&c.to_be_bytes());
    out.extend_from_slice(&[0x60, 0, 0, 0]);
    out.extend_from_slice(&(l4.len() as u16).to_be_bytes());
    out.extend_from_slice(&[next, 64]);
    out.extend_from_slice(&src);
    out.extend_from_slice(&dst);
    out.extend_from_slice(&l4);
}

struct Tcp<'a> {
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: u8,
    options: &'a [u8],
    payload: &'a [u8],
}

fn tcp(t: &Tcp<'_>) -> Vec<u8> {
    let hlen = 20 + t.options.len();
    let mut v = Vec::with_capacity(hlen + t.payload.len());
    v.extend_from_slice(&t.sport.to_be_bytes());
    v.extend_from_slice(&t.dport.to_be_bytes());
    v.extend_from_slice(&t.seq.to_be_bytes());
    v.extend_from_slice(&t.ack.to_be_bytes());
    v.push(((hlen / 4) as u8) << 4);
    v.push(t.flags);
    v.extend_from_slice(&64240u16.to_be_bytes());
    v.extend_from_slice(&[0, 0, 0, 0]);
    v.extend_from_slice(t.options);
    v.extend_from_slice(t.payload);
    v
}

fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(8 + payload.len());
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(payload);
    v
}

fn dns_query(id: u16, name: &str) -> Vec<u8> {
    let mut v = id.to_be_bytes().to_vec();
    v.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in name.split('.') {
        v.push(label.len() as u8);
        v.extend_from_slice(label.as_bytes());
    }
    v.extend_from_slice(&[0, 0, 1, 0, 1]);
    v
}

const TCP_TS: [u8; 12] = [1, 1, 8, 10, 0, 0, 0x30, 0x39, 0, 0, 0x10, 0x92];
const SYN_OPTS: [u8; 20] = [
    2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0x30, 0x39, 0, 0, 0, 0, 1, 3, 3, 7,
];

/// Packet number `i` (Ethernet frame).
pub fn packet(i: u64, scratch: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(600);
    let host = (i % 200) as u8 + 1;
    let client = [198, 18, 1, host];
    let server = [198, 18, 2, 10 + (i % 7) as u8];
    let sport = 32768 + (i % 20000) as u16;
    let seq = (i as u32).wrapping_mul(2_654_435_761);
    let reply = i % 2 == 1;
    let (src, dst) = if reply {
        (server, client)
    } else {
        (client, server)
    };
    let id = i as u16;
    match i % 20 {
        0..=7 => {
            let len = (i.wrapping_mul(37) % 480) as usize;
            let (sp, dp) = if reply { (443, sport) } else { (sport, 443) };
            let t = Tcp {
                sport: sp,
                dport: dp,
                seq,
                ack: seq ^ 0x5555,
                flags: 0x18,
                options: &TCP_TS,
                payload: &scratch[..len],
            };
            ethernet(&mut f, reply, 0x0800);
            ipv4(&mut f, src, dst, 6, id, tcp(&t), Some(16));
        }
        8 | 9 => {
            let (sp, dp, flags, ack) = if reply {
                (80, sport, 0x12, seq.wrapping_add(1))
            } else {
                (sport, 80, 0x02, 0)
            };
            let t = Tcp {
                sport: sp,
                dport: dp,
                seq,
                ack,
                flags,
                options: &SYN_OPTS,
                payload: &[],
            };
            ethernet(&mut f, reply, 0x0800);
            ipv4(&mut f, src, dst, 6, id, tcp(&t), Some(16));
        }
        10 => {
            let req = format!(
                "GET /item/{i} HTTP/1.1\r\nHost: example.test\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n"
            );
            let t = Tcp {
                sport,
                dport: 80,
                seq,
                ack: !seq,
                flags: 0x18,
                options: &TCP_TS,
                payload: req.as_bytes(),
            };
            ethernet(&mut f, false, 0x0800);
            ipv4(&mut f, client, server, 6, id, tcp(&t), Some(16));
        }
        11..=13 => {
            ethernet(&mut f, false, 0x0800);
            ipv4(
                &mut f,
                client,
                server,
                17,
                id,
                udp(sport, 5001, &scratch[..64]),
                Some(6),
            );
        }
        14 | 15 => {
            let name = format!("host{}.zone{}.example.test", i % 1000, i % 13);
            ethernet(&mut f, false, 0x0800);
            ipv4(
                &mut f,
                client,
                server,
                17,
                id,
                udp(sport, 53, &dns_query(id, &name)),
                Some(6),
            );
        }
        16 | 17 => {
            let mut icmp = vec![if reply { 0 } else { 8 }, 0, 0, 0];
            icmp.extend_from_slice(&((i % 65536) as u16).to_be_bytes());
            icmp.extend_from_slice(&(((i / 2) % 65536) as u16).to_be_bytes());
            icmp.extend_from_slice(&scratch[..56]);
            let c = csum_fold(csum_add(0, &icmp));
            icmp[2..4].copy_from_slice(&c.to_be_bytes());
            ethernet(&mut f, reply, 0x0800);
            ipv4(&mut f, src, dst, 1, id, icmp, None);
        }
        _ => {
            let mut a = [0u8; 16];
            a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
            let mut b = a;
            a[15] = host;
            b[14] = 2;
            b[15] = 10;
            let t = Tcp {
                sport,
                dport: 443,
                seq,
                ack: !seq,
                flags: 0x10,
                options: &TCP_TS,
                payload: &[],
            };
            ethernet(&mut f, false, 0x86dd);
            ipv6(&mut f, a, b, 6, tcp(&t), 16);
        }
    }
    f
}

pub fn write(path: &Path, count: u64) -> Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    // Classic pcap, microsecond timestamps, snaplen 262144, LINKTYPE_ETHERNET.
    w.write_all(&0xa1b2_c3d4u32.to_le_bytes())?;
    w.write_all(&2u16.to_le_bytes())?;
    w.write_all(&4u16.to_le_bytes())?;
    w.write_all(&[0; 8])?;
    w.write_all(&262_144u32.to_le_bytes())?;
    w.write_all(&1u32.to_le_bytes())?;
    let scratch: Vec<u8> = (0..512u32)
        .map(|k| (k.wrapping_mul(7) + 0x20) as u8)
        .collect();
    for i in 0..count {
        let p = packet(i, &scratch);
        // 1.7e9 s + 7 µs per packet.
        let us = i * 7;
        w.write_all(&(1_700_000_000 + (us / 1_000_000) as u32).to_le_bytes())?;
        w.write_all(&((us % 1_000_000) as u32).to_le_bytes())?;
        w.write_all(&(p.len() as u32).to_le_bytes())?;
        w.write_all(&(p.len() as u32).to_le_bytes())?;
        w.write_all(&p)?;
    }
    w.flush()?;
    Ok(())
}
