//! Builders for hand-made capture files in tests (independent of the crate's writers, so the
//! reader tests do not trust the writer and vice versa).

use crate::endian::Endian;

pub(crate) fn put16(out: &mut Vec<u8>, e: Endian, v: u16) {
    out.extend_from_slice(&match e {
        Endian::Little => v.to_le_bytes(),
        Endian::Big => v.to_be_bytes(),
    });
}

pub(crate) fn put32(out: &mut Vec<u8>, e: Endian, v: u32) {
    out.extend_from_slice(&match e {
        Endian::Little => v.to_le_bytes(),
        Endian::Big => v.to_be_bytes(),
    });
}

pub(crate) fn put64(out: &mut Vec<u8>, e: Endian, v: u64) {
    out.extend_from_slice(&match e {
        Endian::Little => v.to_le_bytes(),
        Endian::Big => v.to_be_bytes(),
    });
}

/// Classic pcap file header.
pub(crate) fn pcap_header(
    e: Endian,
    magic: u32,
    major: u16,
    minor: u16,
    snaplen: u32,
    lt: u32,
) -> Vec<u8> {
    let mut v = Vec::new();
    put32(&mut v, e, magic);
    put16(&mut v, e, major);
    put16(&mut v, e, minor);
    put32(&mut v, e, 0);
    put32(&mut v, e, 0);
    put32(&mut v, e, snaplen);
    put32(&mut v, e, lt);
    v
}

/// Classic pcap record.
pub(crate) fn pcap_record(
    out: &mut Vec<u8>,
    e: Endian,
    sec: u32,
    frac: u32,
    caplen: u32,
    len: u32,
    data: &[u8],
) {
    put32(out, e, sec);
    put32(out, e, frac);
    put32(out, e, caplen);
    put32(out, e, len);
    out.extend_from_slice(data);
}

/// One option (code, value) padded to 32 bits.
pub(crate) fn opt(out: &mut Vec<u8>, e: Endian, code: u16, val: &[u8]) {
    put16(out, e, code);
    put16(out, e, val.len() as u16);
    out.extend_from_slice(val);
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

/// A pcapng block with the given body (padded to 32 bits).
pub(crate) fn block(e: Endian, btype: u32, body: &[u8]) -> Vec<u8> {
    let mut b = body.to_vec();
    while !b.len().is_multiple_of(4) {
        b.push(0);
    }
    let total = (b.len() + 12) as u32;
    let mut v = Vec::new();
    put32(&mut v, e, btype);
    put32(&mut v, e, total);
    v.extend_from_slice(&b);
    put32(&mut v, e, total);
    v
}

pub(crate) fn shb(e: Endian) -> Vec<u8> {
    let mut b = Vec::new();
    put32(&mut b, e, 0x1A2B_3C4D);
    put16(&mut b, e, 1);
    put16(&mut b, e, 0);
    put64(&mut b, e, u64::MAX);
    block(e, 0x0A0D_0D0A, &b)
}

/// IDB with raw, already-encoded options (without the end marker).
pub(crate) fn idb(e: Endian, lt: u16, snaplen: u32, opts: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    put16(&mut b, e, lt);
    put16(&mut b, e, 0);
    put32(&mut b, e, snaplen);
    b.extend_from_slice(opts);
    block(e, 1, &b)
}

pub(crate) fn epb(e: Endian, ifc: u32, ts: u64, data: &[u8], len: u32, opts: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    put32(&mut b, e, ifc);
    put32(&mut b, e, (ts >> 32) as u32);
    put32(&mut b, e, ts as u32);
    put32(&mut b, e, data.len() as u32);
    put32(&mut b, e, len);
    b.extend_from_slice(data);
    while !b.len().is_multiple_of(4) {
        b.push(0);
    }
    b.extend_from_slice(opts);
    block(e, 6, &b)
}
