//! pcapng reading, following libpcap's `sf-pcapng.c` for everything libpcap checks (block
//! lengths, IDB timestamp options, packet/interface consistency) and its timestamp arithmetic.
//!
//! Where libpcap refuses files that the format allows, we read them: sections may change byte
//! order, and interfaces may differ in link type and snapshot length (ptcpdump writes one IDB
//! per capture interface). Per-packet options libpcap ignores (`epb_flags`, `opt_comment`) and
//! Decryption Secrets Blocks are kept for the caller.

use std::io::Read;

use crate::endian::Endian;
use crate::input::Input;
use crate::{
    DecryptionSecrets, Error, adjust_snapshot, linktype_from_file_field, linktype_to_dlt,
    max_snaplen_for_linktype,
};

pub(crate) const BT_SHB: u32 = 0x0A0D_0D0A;
pub(crate) const BT_IDB: u32 = 0x0000_0001;
pub(crate) const BT_PB: u32 = 0x0000_0002;
pub(crate) const BT_SPB: u32 = 0x0000_0003;
pub(crate) const BT_EPB: u32 = 0x0000_0006;
pub(crate) const BT_DSB: u32 = 0x0000_000A;
pub(crate) const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;

const SHB_INSANE_MAX: u32 = 1024 * 1024;
const INITIAL_MAX_BLOCKSIZE: u32 = 16 * 1024 * 1024;
/// Block header (8) + EPB fixed part (20) + 128 KiB of options + trailer (4), as libpcap.
const fn max_blocksize_for_snaplen(snaplen: u32) -> u32 {
    8 + 20 + snaplen + 131_072 + 4
}

const OPT_ENDOFOPT: u16 = 0;
const OPT_COMMENT: u16 = 1;
const EPB_FLAGS: u16 = 2;
const IF_NAME: u16 = 2;
const SHB_USERAPPL: u16 = 4;
const IF_TSRESOL: u16 = 9;
const IF_TSOFFSET: u16 = 14;

/// How a tick count becomes the user's fraction (libpcap's `tstamp_scale_type_t`).
#[derive(Clone, Copy, Debug)]
enum Scale {
    Pass,
    UpDec(u64),
    DownDec(u64),
    /// Power-of-2 resolution: multiply by the user's units, divide by the resolution.
    Bin,
}

#[derive(Debug)]
pub(crate) struct Interface {
    pub(crate) linktype: u32,
    pub(crate) snapshot: u32,
    tsresol: u64,
    tsoffset: u64,
    scale: Scale,
    pub(crate) name: Option<String>,
}

pub(crate) struct NgState {
    endian: Endian,
    user_units: u64,
    max_blocksize: u32,
    /// Interfaces of the current section.
    pub(crate) interfaces: Vec<Interface>,
    /// First interface of the file: what `linktype()`/`snaplen()` report.
    pub(crate) first_linktype: u32,
    pub(crate) first_snapshot: u32,
    /// Past the first IDB (what libpcap's open reads).
    opened: bool,
    /// Refuse what libpcap refuses (see `Reader::with_libpcap_strict`).
    pub(crate) strict: bool,
    /// `shb_userappl` of the current section: the program that wrote it.
    pub(crate) application: Option<String>,
}

/// Where a packet block is, found by [`NgState::next_block`].
pub(crate) struct BlockLoc {
    pub(crate) offset: usize,
    pub(crate) total: usize,
    pub(crate) block_type: u32,
}

pub(crate) struct NgRecord<'a> {
    pub(crate) ts_sec: u64,
    pub(crate) ts_frac: u32,
    pub(crate) caplen: u32,
    pub(crate) len: u32,
    pub(crate) data: &'a [u8],
    pub(crate) interface_id: u32,
    pub(crate) flags: Option<u32>,
    pub(crate) comments: Vec<&'a str>,
}

fn pad4(n: usize) -> usize {
    n.div_ceil(4) * 4
}

/// Option strings are UTF-8 without terminator, but some writers add NULs; a string that is
/// not UTF-8 is cut at its first bad byte rather than dropped.
fn option_str(v: &[u8]) -> &str {
    let v = match v.iter().position(|&b| b == 0) {
        Some(i) => &v[..i],
        None => v,
    };
    match std::str::from_utf8(v) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&v[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// Iterates over well-formed options, stopping quietly at the end marker or at the first
/// option that does not fit (libpcap does not look at packet options at all).
fn options(e: Endian, mut b: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if b.len() < 4 {
            return None;
        }
        let code = e.u16(b, 0);
        let len = e.u16(b, 2) as usize;
        if code == OPT_ENDOFOPT || b.len() - 4 < pad4(len) {
            return None;
        }
        let v = &b[4..4 + len];
        b = &b[4 + pad4(len)..];
        Some((code, v))
    })
}

/// The `shb_userappl` option among a section header's options.
fn shb_application(e: Endian, opts: &[u8]) -> Option<String> {
    options(e, opts)
        .find(|(code, _)| *code == SHB_USERAPPL)
        .map(|(_, v)| option_str(v).to_owned())
}

fn endian_of_bom(bom: &[u8]) -> Option<Endian> {
    let a = [bom[0], bom[1], bom[2], bom[3]];
    if u32::from_le_bytes(a) == BYTE_ORDER_MAGIC {
        Some(Endian::Little)
    } else if u32::from_be_bytes(a) == BYTE_ORDER_MAGIC {
        Some(Endian::Big)
    } else {
        None
    }
}

impl NgState {
    /// Reads the first SHB and blocks up to the first IDB. The caller has seen the SHB type.
    pub(crate) fn open<R: Read>(
        input: &mut Input<R>,
        user_units: u64,
        strict: bool,
        secrets: &mut Vec<DecryptionSecrets>,
    ) -> Result<Self, Error> {
        if input.fill(12)? < 12 {
            return Err(Error::UnknownFormat);
        }
        let h = input.peek();
        let endian = endian_of_bom(&h[8..12]).ok_or(Error::UnknownFormat)?;
        let total = endian.u32(h, 4);
        if !(28..=SHB_INSANE_MAX).contains(&total) {
            return Err(Error::ShbInvalidLength { len: total });
        }
        let total = total as usize;
        let got = input.fill(total)?;
        if got < total {
            return Err(Error::TruncatedBlock {
                expected: total - 12,
                got: got - 12,
            });
        }
        let h = input.peek();
        let (major, minor) = (endian.u16(h, 12), endian.u16(h, 14));
        let application = shb_application(endian, &h[24.min(total - 4)..total - 4]);
        input.consume(total);
        if !(major == 1 && (minor == 0 || minor == 2)) {
            return Err(Error::UnsupportedPcapngVersion { major, minor });
        }
        let mut st = NgState {
            endian,
            user_units,
            max_blocksize: INITIAL_MAX_BLOCKSIZE,
            interfaces: Vec::new(),
            first_linktype: 0,
            first_snapshot: 0,
            opened: false,
            strict,
            application,
        };
        loop {
            let Some(loc) = st.read_block(input)? else {
                return Err(Error::NoInterfaces);
            };
            match loc.block_type {
                BT_EPB | BT_SPB | BT_PB => return Err(Error::PacketBeforeInterface),
                BT_IDB => {
                    st.control(input, &loc, secrets)?;
                    let first = &st.interfaces[0];
                    st.first_linktype = first.linktype;
                    st.first_snapshot = first.snapshot;
                    let max = max_blocksize_for_snaplen(max_snaplen_for_linktype(first.linktype));
                    st.max_blocksize = st.max_blocksize.max(max);
                    st.opened = true;
                    return Ok(st);
                }
                // libpcap ignores further SHBs until the first IDB, without checking them.
                BT_SHB => {}
                _ => st.control(input, &loc, secrets)?,
            }
        }
    }

    /// Reads blocks up to the next packet block, handling the others on the way.
    pub(crate) fn next_packet_block<R: Read>(
        &mut self,
        input: &mut Input<R>,
        secrets: &mut Vec<DecryptionSecrets>,
    ) -> Result<Option<BlockLoc>, Error> {
        loop {
            let Some(loc) = self.read_block(input)? else {
                return Ok(None);
            };
            match loc.block_type {
                BT_EPB | BT_SPB | BT_PB => return Ok(Some(loc)),
                _ => self.control(input, &loc, secrets)?,
            }
        }
    }

    /// Reads one whole block into the input buffer (and consumes it; its bytes stay valid
    /// until the next read) after libpcap's `read_block` checks.
    fn read_block<R: Read>(&mut self, input: &mut Input<R>) -> Result<Option<BlockLoc>, Error> {
        let got = input.fill(8)?;
        if got == 0 {
            return Ok(None);
        }
        if got < 8 {
            return Err(Error::TruncatedBlock { expected: 8, got });
        }
        let mut e = self.endian;
        if !self.strict && input.peek()[..4] == BT_SHB.to_le_bytes() && input.fill(12)? >= 12 {
            // A new section may use the other byte order; its SHB says which.
            if let Some(se) = endian_of_bom(&input.peek()[8..12]) {
                e = se;
            }
        }
        let h = input.peek();
        let block_type = e.u32(h, 0);
        let total = e.u32(h, 4);
        if total < 12 {
            return Err(Error::BlockTooSmall { len: total });
        }
        if !total.is_multiple_of(4) {
            return Err(Error::BlockLengthNotMultipleOf4 { len: total });
        }
        if total > self.max_blocksize {
            return Err(Error::BlockTooBig {
                len: total,
                max: self.max_blocksize,
            });
        }
        let total = total as usize;
        let got = input.fill(total)?;
        if got < total {
            return Err(Error::TruncatedBlock {
                expected: total - 8,
                got: got - 8,
            });
        }
        if e.u32(input.peek(), total - 4) as usize != total {
            return Err(Error::BlockLengthMismatch);
        }
        let offset = input.pos();
        input.consume(total);
        if block_type == BT_SHB {
            // `control` checks the rest of the SHB in its (possibly new) byte order.
            self.endian = e;
        }
        Ok(Some(BlockLoc {
            offset,
            total,
            block_type,
        }))
    }

    /// Handles a non-packet block: SHB (new section), IDB, DSB; skips the rest.
    fn control<R: Read>(
        &mut self,
        input: &Input<R>,
        loc: &BlockLoc,
        secrets: &mut Vec<DecryptionSecrets>,
    ) -> Result<(), Error> {
        let block = &input.buffer()[loc.offset..loc.offset + loc.total];
        let body = &block[8..loc.total - 4];
        let e = self.endian;
        match loc.block_type {
            BT_SHB => {
                if body.len() < 16 {
                    return Err(Error::BlockTooShort { block_type: BT_SHB });
                }
                let bom = e.u32(body, 0);
                if bom == BYTE_ORDER_MAGIC.swap_bytes() {
                    return Err(Error::DifferentByteOrders);
                }
                if bom != BYTE_ORDER_MAGIC {
                    return Err(Error::BadByteOrderMagic);
                }
                let major = e.u16(body, 4);
                if major != 1 {
                    return Err(Error::UnknownPcapngMajor { major });
                }
                self.interfaces.clear();
                self.application = shb_application(e, &body[16..]);
            }
            BT_IDB => {
                if self.strict && self.opened && body.len() >= 8 {
                    let linktype = u32::from(e.u16(body, 0));
                    if linktype != linktype_to_dlt(self.first_linktype) {
                        return Err(Error::InterfaceLinktypeDiffers { linktype });
                    }
                    let snaplen = e.u32(body, 4);
                    if adjust_snapshot(linktype, snaplen) != self.first_snapshot {
                        return Err(Error::InterfaceSnaplenDiffers { snaplen });
                    }
                }
                let ifc = self.parse_idb(body)?;
                self.interfaces.push(ifc);
            }
            BT_DSB if body.len() >= 8 => {
                let secrets_type = e.u32(body, 0);
                let len = e.u32(body, 4) as usize;
                if let Some(data) = body.get(8..8usize.saturating_add(len)) {
                    let data = data.to_vec();
                    secrets.push(DecryptionSecrets { secrets_type, data });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// libpcap's `add_interface` + `process_idb_options`, plus `if_name`.
    fn parse_idb(&self, body: &[u8]) -> Result<Interface, Error> {
        let e = self.endian;
        let too_short = Error::BlockTooShort { block_type: BT_IDB };
        if body.len() < 8 {
            return Err(too_short);
        }
        // An old DLT value is read as libpcap reads it (`linktype_to_dlt`), like in classic pcap.
        let linktype = linktype_from_file_field(u32::from(e.u16(body, 0)));
        let snaplen = e.u32(body, 4);
        let mut tsresol: u64 = 1_000_000;
        let mut binary = false;
        let mut tsoffset: u64 = 0;
        let (mut saw_tsresol, mut saw_tsoffset) = (false, false);
        let mut name = None;
        let mut rest = &body[8..];
        while !rest.is_empty() {
            if rest.len() < 4 {
                return Err(too_short);
            }
            let code = e.u16(rest, 0);
            let len = e.u16(rest, 2);
            let padded = pad4(len as usize);
            if rest.len() - 4 < padded {
                return Err(too_short);
            }
            let v = &rest[4..4 + len as usize];
            rest = &rest[4 + padded..];
            match code {
                OPT_ENDOFOPT => {
                    if len != 0 {
                        return Err(Error::IdbEndOfOptLength { len });
                    }
                    break;
                }
                IF_TSRESOL => {
                    if len != 1 {
                        return Err(Error::IdbTsresolLength { len });
                    }
                    if saw_tsresol {
                        return Err(Error::IdbTsresolTwice);
                    }
                    saw_tsresol = true;
                    let r = v[0];
                    if r & 0x80 != 0 {
                        let shift = r & 0x7f;
                        if shift > 63 {
                            return Err(Error::IdbTsresolBinTooHigh(shift));
                        }
                        binary = true;
                        tsresol = 1u64 << shift;
                    } else {
                        if r > 19 {
                            return Err(Error::IdbTsresolDecTooHigh(r));
                        }
                        binary = false;
                        tsresol = 10u64.pow(u32::from(r));
                    }
                }
                IF_TSOFFSET => {
                    if len != 8 {
                        return Err(Error::IdbTsoffsetLength { len });
                    }
                    if saw_tsoffset {
                        return Err(Error::IdbTsoffsetTwice);
                    }
                    saw_tsoffset = true;
                    tsoffset = e.u64(v, 0);
                }
                IF_NAME => name = Some(option_str(v).to_owned()),
                _ => {}
            }
        }
        let user = self.user_units;
        let scale = if tsresol == user {
            Scale::Pass
        } else if binary {
            Scale::Bin
        } else if tsresol > user {
            Scale::DownDec(tsresol / user)
        } else {
            Scale::UpDec(user / tsresol)
        };
        Ok(Interface {
            linktype,
            snapshot: adjust_snapshot(linktype, snaplen),
            tsresol,
            tsoffset,
            scale,
            name,
        })
    }

    /// The current section was written on a host of the other byte order.
    pub(crate) fn swapped(&self) -> bool {
        self.endian != Endian::NATIVE
    }

    /// Decodes a packet block found by [`Self::next_packet_block`] (libpcap's checks and
    /// timestamp arithmetic, wrapping where libpcap's 64-bit arithmetic wraps).
    pub(crate) fn packet<'a>(&self, buf: &'a [u8], loc: &BlockLoc) -> Result<NgRecord<'a>, Error> {
        let e = self.endian;
        let block = &buf[loc.offset..loc.offset + loc.total];
        let body = &block[8..loc.total - 4];
        let too_short = Error::BlockTooShort {
            block_type: loc.block_type,
        };
        let (interface_id, t, mut caplen, len, fixed) = match loc.block_type {
            BT_EPB => {
                if body.len() < 20 {
                    return Err(too_short);
                }
                let t = (u64::from(e.u32(body, 4)) << 32) | u64::from(e.u32(body, 8));
                (e.u32(body, 0), t, e.u32(body, 12), e.u32(body, 16), 20)
            }
            BT_PB => {
                if body.len() < 20 {
                    return Err(too_short);
                }
                let t = (u64::from(e.u32(body, 4)) << 32) | u64::from(e.u32(body, 8));
                (
                    u32::from(e.u16(body, 0)),
                    t,
                    e.u32(body, 12),
                    e.u32(body, 16),
                    20,
                )
            }
            _ => {
                if body.len() < 4 {
                    return Err(too_short);
                }
                let len = e.u32(body, 0);
                // No captured length in an SPB: libpcap cuts it to the file's snapshot length.
                (0, 0, len.min(self.first_snapshot), len, 4)
            }
        };
        let Some(ifc) = self.interfaces.get(interface_id as usize) else {
            return Err(Error::UnknownInterface { id: interface_id });
        };
        if loc.block_type == BT_SPB {
            caplen = caplen.min(ifc.snapshot);
        }
        if caplen > ifc.snapshot {
            return Err(Error::CaplenOverSnaplen {
                caplen,
                snaplen: ifc.snapshot,
            });
        }
        let sec = (t / ifc.tsresol).wrapping_add(ifc.tsoffset);
        let mut frac = t % ifc.tsresol;
        match ifc.scale {
            Scale::Pass => {}
            Scale::UpDec(f) => frac = frac.wrapping_mul(f),
            Scale::DownDec(f) => frac /= f,
            Scale::Bin => frac = frac.wrapping_mul(self.user_units) / ifc.tsresol,
        }
        let after = &body[fixed..];
        let data = after.get(..caplen as usize).ok_or(too_short)?;
        let mut flags = None;
        let mut comments = Vec::new();
        if loc.block_type != BT_SPB
            && let Some(opts) = after.get(pad4(caplen as usize)..)
        {
            for (code, v) in options(e, opts) {
                match code {
                    OPT_COMMENT => comments.push(option_str(v)),
                    EPB_FLAGS if v.len() == 4 => flags = Some(e.u32(v, 0)),
                    _ => {}
                }
            }
        }
        Ok(NgRecord {
            ts_sec: sec,
            // libpcap stores the fraction through an int.
            ts_frac: frac as u32,
            caplen,
            len,
            data,
            interface_id,
            flags,
            comments,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::{Precision, Reader};

    const LE: Endian = Endian::Little;
    const BE: Endian = Endian::Big;

    #[derive(Debug, PartialEq)]
    struct P {
        sec: u64,
        frac: u32,
        caplen: u32,
        len: u32,
        data: Vec<u8>,
        lt: u32,
        ifc: u32,
        name: Option<String>,
        flags: Option<u32>,
        comments: Vec<String>,
    }

    fn read_all(file: &[u8], prec: Precision) -> (Vec<P>, Option<String>) {
        let mut r = match Reader::new(file, prec) {
            Ok(r) => r,
            Err(e) => return (Vec::new(), Some(e.to_string())),
        };
        let mut out = Vec::new();
        loop {
            match r.next_packet() {
                Ok(Some(p)) => out.push(P {
                    sec: p.ts_sec,
                    frac: p.ts_frac,
                    caplen: p.caplen,
                    len: p.len,
                    data: p.data.to_vec(),
                    lt: p.linktype,
                    ifc: p.interface_id,
                    name: p.if_name.map(str::to_owned),
                    flags: p.flags,
                    comments: p.comments.iter().map(|s| s.to_string()).collect(),
                }),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    fn opts(e: Endian, list: &[(u16, &[u8])]) -> Vec<u8> {
        let mut v = Vec::new();
        for (c, val) in list {
            opt(&mut v, e, *c, val);
        }
        opt(&mut v, e, 0, b"");
        v
    }

    fn u32b(e: Endian, x: u32) -> Vec<u8> {
        let mut v = Vec::new();
        put32(&mut v, e, x);
        v
    }

    fn u64b(e: Endian, x: u64) -> Vec<u8> {
        let mut v = Vec::new();
        put64(&mut v, e, x);
        v
    }

    #[test]
    fn both_byte_orders_with_options() {
        for e in [LE, BE] {
            let mut f = shb(e);
            f.extend(block(e, 4, b"name resolution block, skipped"));
            f.extend(idb(e, 1, 65535, &opts(e, &[(2, b"eth0"), (9, &[9])])));
            f.extend(idb(e, 113, 0, &opts(e, &[(2, b"any\0")])));
            let eo = opts(
                e,
                &[(1, b"first"), (2, &u32b(e, 2)), (1, b"second comment")],
            );
            f.extend(epb(e, 0, 1_700_000_000_123_456_789, b"hello", 80, &eo));
            f.extend(block(e, 5, &[0; 24])); // ISB
            f.extend(block(e, 0x0BAD, b"custom")); // custom block
            f.extend(epb(e, 1, 1_700_000_001_000_002, b"xyz", 3, &[]));
            let (pk, err) = read_all(&f, Precision::Nano);
            assert_eq!(err, None, "{e:?}");
            assert_eq!(
                pk[0],
                P {
                    sec: 1_700_000_000,
                    frac: 123_456_789,
                    caplen: 5,
                    len: 80,
                    data: b"hello".to_vec(),
                    lt: 1,
                    ifc: 0,
                    name: Some("eth0".into()),
                    flags: Some(2),
                    comments: vec!["first".into(), "second comment".into()],
                }
            );
            // Interface 1 has the default microsecond resolution.
            assert_eq!((pk[1].sec, pk[1].frac), (1_700_000_001, 2_000));
            assert_eq!(
                (pk[1].lt, pk[1].ifc, pk[1].name.as_deref()),
                (113, 1, Some("any"))
            );
            assert_eq!((pk[1].flags, pk[1].comments.len()), (None, 0));
            let (pk, _) = read_all(&f, Precision::Micro);
            assert_eq!(
                (pk[0].frac, pk[1].frac),
                (123_456, 2),
                "nsec truncated, not rounded"
            );
            let r = Reader::new(&f[..], Precision::Micro).unwrap();
            assert_eq!((r.linktype(), r.snaplen()), (1, 65535));
        }
    }

    #[test]
    fn tsresol_and_tsoffset() {
        let e = LE;
        let mut f = shb(e);
        // 2^-10 s ticks, 100 s offset.
        f.extend(idb(e, 1, 0, &opts(e, &[(9, &[0x8a]), (14, &u64b(e, 100))])));
        // 10^-3 s ticks.
        f.extend(idb(e, 1, 0, &opts(e, &[(9, &[3])])));
        // 10^-12 s ticks.
        f.extend(idb(e, 1, 0, &opts(e, &[(9, &[12])])));
        f.extend(epb(e, 0, 5 * 1024 + 513, b"", 0, &[]));
        f.extend(epb(e, 1, 7_250, b"", 0, &[]));
        f.extend(epb(e, 2, 3_000_000_000_000 + 987_654_321_987, b"", 0, &[]));
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!(err, None);
        let ts: Vec<(u64, u32)> = pk.iter().map(|p| (p.sec, p.frac)).collect();
        // 513/1024 s = 500976.5625 us, truncated.
        assert_eq!(ts, [(105, 500_976), (7, 250_000), (3, 987_654)]);
        let (pk, _) = read_all(&f, Precision::Nano);
        let ts: Vec<(u64, u32)> = pk.iter().map(|p| (p.sec, p.frac)).collect();
        assert_eq!(ts, [(105, 500_976_562), (7, 250_000_000), (3, 987_654_321)]);
    }

    #[test]
    fn simple_and_obsolete_packet_blocks() {
        for e in [LE, BE] {
            let mut f = shb(e);
            f.extend(idb(e, 1, 4, &[]));
            let mut spb = Vec::new();
            put32(&mut spb, e, 6);
            spb.extend_from_slice(b"abcdef");
            f.extend(block(e, BT_SPB, &spb));
            let mut pb = Vec::new();
            put16(&mut pb, e, 0);
            put16(&mut pb, e, 0);
            put32(&mut pb, e, 0);
            put32(&mut pb, e, 1_000_001);
            put32(&mut pb, e, 2);
            put32(&mut pb, e, 2);
            pb.extend_from_slice(b"pb\0\0");
            pb.extend(opts(e, &[(2, &u32b(e, 1)), (1, b"old")]));
            f.extend(block(e, BT_PB, &pb));
            let (pk, err) = read_all(&f, Precision::Micro);
            assert_eq!(err, None);
            assert_eq!(
                (pk[0].caplen, pk[0].len, &pk[0].data[..]),
                (4, 6, &b"abcd"[..])
            );
            assert_eq!((pk[0].sec, pk[0].frac), (0, 0));
            assert_eq!((pk[1].sec, pk[1].frac, &pk[1].data[..]), (1, 1, &b"pb"[..]));
            assert_eq!(
                (pk[1].flags, pk[1].comments.clone()),
                (Some(1), vec!["old".to_string()])
            );
        }
    }

    #[test]
    fn sections_reset_interfaces_and_may_change_byte_order() {
        let mut f = shb(LE);
        f.extend(idb(LE, 1, 0, &opts(LE, &[(2, b"a")])));
        f.extend(epb(LE, 0, 1_000_000, b"1", 1, &[]));
        f.extend(shb(BE));
        f.extend(idb(BE, 101, 0, &opts(BE, &[(2, b"b")])));
        f.extend(epb(BE, 0, 2_000_000, b"2", 1, &[]));
        f.extend(shb(LE));
        f.extend(epb(LE, 0, 3_000_000, b"3", 1, &[]));
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!(pk.len(), 2);
        assert_eq!(
            (pk[0].lt, pk[0].name.as_deref(), pk[0].sec),
            (1, Some("a"), 1)
        );
        assert_eq!(
            (pk[1].lt, pk[1].name.as_deref(), pk[1].sec),
            (101, Some("b"), 2)
        );
        assert_eq!(
            err.unwrap(),
            "a packet arrived on interface 0, but there's no Interface Description Block for that interface"
        );
    }

    #[test]
    fn strict_mode_refuses_what_libpcap_refuses() {
        let mut f = shb(LE);
        f.extend(idb(LE, 1, 0, &[]));
        f.extend(epb(LE, 0, 0, b"a", 1, &[]));
        let mut lt = f.clone();
        lt.extend(idb(LE, 113, 0, &[]));
        let mut sl = f.clone();
        sl.extend(idb(LE, 1, 1000, &[]));
        let mut bo = f.clone();
        bo.extend(shb(BE));
        let mut bad = shb(LE);
        bad[8] = 0;
        let mut bm = f.clone();
        bm.extend(bad);
        let cases = [
            (
                lt,
                "an interface has a type 113 different from the type of the first interface",
            ),
            (
                sl,
                "an interface has a snapshot length 1000 different from the snapshot length of the first interface",
            ),
            // libpcap reads the BE length as LE, like tcpdump does.
            (bo, "pcapng block size 469762048 > maximum 16777216"),
            (
                bm,
                "the file has a section with a bad byte order magic field",
            ),
        ];
        for (file, want) in cases {
            let mut r = Reader::with_libpcap_strict(&file[..], Precision::Micro, true).unwrap();
            assert_eq!(r.next_packet().unwrap().unwrap().data, b"a");
            assert_eq!(r.next_packet().unwrap_err().to_string(), want);
            // Without strict mode, only the damaged SHB is refused.
            let (pk, err) = read_all(&file, Precision::Micro);
            assert_eq!(pk.len(), 1);
            assert_eq!(err.is_some(), want.contains("bad byte order"), "{want}");
            assert_eq!(pk[0].data, b"a");
        }
    }

    #[test]
    fn shbs_before_the_first_idb_are_not_checked() {
        // Found by differential fuzzing against libpcap: a damaged second SHB ahead of the
        // first IDB is skipped, and the next block's error is the one reported.
        let mut f = shb(LE);
        let mut bad = shb(LE);
        bad[9] = 0xbc; // byte order magic
        f.extend(bad);
        f.extend(idb(LE, 1, 0, &[]));
        f.extend(epb(LE, 0, 0, b"a", 1, &[]));
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!((pk.len(), err), (1, None));
    }

    #[test]
    fn strict_mode_keeps_byte_order_before_the_first_idb() {
        // Found by differential fuzzing: libpcap reads a big-endian SHB that follows a
        // little-endian one (before any IDB) with the little-endian length.
        let mut f = shb(LE);
        f.extend(shb(BE));
        f.extend(idb(BE, 1, 0, &[]));
        let err = Reader::with_libpcap_strict(&f[..], Precision::Micro, true)
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "pcapng block size 469762048 > maximum 16777216"
        );
        // Lenient: the second section is read in its own byte order.
        let r = Reader::new(&f[..], Precision::Micro).unwrap();
        assert_eq!(r.linktype(), 1);
    }

    #[test]
    fn old_dlt_linktypes_are_mapped_and_strict_mode_still_compares_as_libpcap() {
        // DLT_RAW (12) in an IDB is raw IP (LINKTYPE 101) for libpcap; a second IDB with the
        // same 12 is the same link type, one with 101 a different one (libpcap compares the
        // new IDB's value with the first's DLT).
        for (second, differs) in [(12u16, false), (101, true)] {
            let e = LE;
            let mut f = shb(e);
            f.extend(idb(e, 12, 0, &[]));
            f.extend(epb(e, 0, 0, b"a", 1, &[]));
            f.extend(idb(e, second, 0, &[]));
            f.extend(epb(e, 1, 0, b"b", 1, &[]));
            let (pk, err) = read_all(&f, Precision::Micro);
            assert_eq!(err, None);
            assert_eq!((pk[0].lt, pk[1].lt), (101, 101));
            let mut r = Reader::with_libpcap_strict(&f[..], Precision::Micro, true).unwrap();
            assert_eq!(r.linktype(), 101);
            assert_eq!(r.next_packet().unwrap().unwrap().data, b"a");
            assert_eq!(r.next_packet().is_err(), differs, "second IDB {second}");
        }
    }

    #[test]
    fn decryption_secrets_are_kept() {
        let e = BE;
        let mut f = shb(e);
        f.extend(idb(e, 1, 0, &[]));
        let mut dsb = Vec::new();
        put32(&mut dsb, e, crate::SECRETS_TYPE_TLS);
        put32(&mut dsb, e, 5);
        dsb.extend_from_slice(b"keys\n");
        f.extend(block(e, BT_DSB, &dsb));
        f.extend(epb(e, 0, 0, b"", 0, &[]));
        let mut r = Reader::new(&f[..], Precision::Micro).unwrap();
        assert!(r.next_packet().unwrap().is_some());
        assert_eq!(r.decryption_secrets().len(), 1);
        assert_eq!(r.decryption_secrets()[0].secrets_type, 0x544c534b);
        assert_eq!(r.decryption_secrets()[0].data, b"keys\n");
    }

    #[test]
    fn libpcap_errors() {
        let e = LE;
        let base = || {
            let mut f = shb(e);
            f.extend(idb(e, 1, 100, &[]));
            f
        };
        let check = |f: &[u8], want: &str| {
            let (_, err) = read_all(f, Precision::Micro);
            assert_eq!(err.as_deref(), Some(want));
        };
        check(
            &shb(e),
            "the capture file has no Interface Description Blocks",
        );
        let mut f = shb(e);
        f.extend(epb(e, 0, 0, b"", 0, &[]));
        check(
            &f,
            "the capture file has a packet block before any Interface Description Blocks",
        );
        let mut f = base();
        f.extend(epb(e, 3, 0, b"", 0, &[]));
        check(
            &f,
            "a packet arrived on interface 3, but there's no Interface Description Block for that interface",
        );
        let mut f = base();
        f.extend(epb(e, 0, 0, &[0; 101], 101, &[]));
        check(
            &f,
            "invalid packet capture length 101, bigger than snaplen of 100",
        );
        let mut f = base();
        f.extend([1, 0, 0, 0, 8, 0, 0, 0]);
        check(&f, "block in pcapng dump file has a length of 8 < 12");
        let mut f = base();
        f.extend([1, 0, 0, 0, 13, 0, 0, 0]);
        check(
            &f,
            "block in pcapng dump file has a length of 13 that is not a multiple of 4",
        );
        let mut f = base();
        f.extend([1, 0, 0, 0, 0, 0, 0, 2]);
        check(&f, "pcapng block size 33554432 > maximum 16777216");
        let mut f = base();
        let mut b = block(e, 99, b"abcd");
        b[12] = 99;
        f.extend(b);
        check(&f, "block total length in header and trailer don't match");
        let mut f = base();
        f.extend(block(e, BT_EPB, &[0; 8]));
        check(&f, "block of type 6 in pcapng dump file is too short");
        let mut f = base();
        let mut body = vec![0; 20];
        body[12] = 50; // caplen 50 but no data
        f.extend(block(e, BT_EPB, &body));
        check(&f, "block of type 6 in pcapng dump file is too short");
        let mut f = shb(e);
        f.extend(idb(e, 1, 0, &opts(e, &[(9, &[6]), (9, &[6])])));
        check(
            &f,
            "Interface Description Block has more than one if_tsresol option",
        );
        let mut f = shb(e);
        f.extend(idb(e, 1, 0, &opts(e, &[(9, &[0xc0])])));
        check(
            &f,
            "Interface Description Block if_tsresol option resolution 2^-64 is too high",
        );
        let mut f = shb(e);
        f.extend(idb(e, 1, 0, &opts(e, &[(9, &[20])])));
        check(
            &f,
            "Interface Description Block if_tsresol option resolution 10^-20 is too high",
        );
        let mut f = shb(e);
        f.extend(idb(e, 1, 0, &opts(e, &[(14, &[1; 4])])));
        check(
            &f,
            "Interface Description Block has if_tsoffset option with length 4 != 8",
        );
        let mut f = shb(e);
        f.extend(idb(e, 1, 0, &[2, 0, 9, 0, b'x', 0, 0, 0]));
        check(&f, "block of type 1 in pcapng dump file is too short");
        let mut f = shb(e);
        f[4] = 20;
        check(
            &f,
            "Section Header Block in pcapng dump file has invalid length 28 < _20_ < 1048576 (BT_SHB_INSANE_MAX)",
        );
        let mut f = shb(e);
        f[12] = 2;
        check(&f, "unsupported pcapng savefile version 2.0");
        check(&shb(e)[..10], "unknown file format");
        let mut f = base();
        let mut s = shb(e);
        s[12] = 7;
        f.extend(s);
        check(&f, "unknown pcapng savefile major version number 7");
    }

    #[test]
    fn malformed_packet_options_are_ignored() {
        let e = LE;
        let mut f = shb(e);
        f.extend(idb(e, 1, 0, &[]));
        // An option claiming 200 bytes in a block that has 8: options stop, packet is kept.
        f.extend(epb(e, 0, 0, b"ab", 2, &[1, 0, 200, 0, b'x', b'y', 0, 0]));
        // A comment that is not UTF-8 keeps its valid prefix.
        f.extend(epb(e, 0, 0, b"", 0, &opts(e, &[(1, b"ok\xffbad")])));
        let (pk, err) = read_all(&f, Precision::Micro);
        assert_eq!(err, None);
        assert_eq!(pk[0].comments.len(), 0);
        assert_eq!(pk[1].comments, ["ok"]);
    }

    #[test]
    fn truncated_at_every_offset() {
        for e in [LE, BE] {
            let mut f = shb(e);
            f.extend(idb(e, 1, 0, &opts(e, &[(2, b"lo")])));
            let mut boundaries = vec![f.len()];
            let mut ends = Vec::new();
            for i in 0..3u8 {
                f.extend(epb(e, 0, u64::from(i), &[i; 5], 5, &opts(e, &[(1, b"c")])));
                ends.push(f.len());
                boundaries.push(f.len());
                f.extend(block(e, 5, &[0; 8]));
                boundaries.push(f.len());
            }
            for cut in 0..=f.len() {
                let (pk, err) = read_all(&f[..cut], Precision::Micro);
                let complete = ends.iter().filter(|&&x| x <= cut).count();
                assert_eq!(pk.len(), complete, "cut {cut}");
                for (i, p) in pk.iter().enumerate() {
                    assert_eq!(p.data, [i as u8; 5]);
                    assert_eq!(p.comments, ["c"]);
                }
                if !boundaries.contains(&cut) {
                    let err = err.unwrap_or_else(|| panic!("cut {cut}: no error"));
                    assert!(
                        err.starts_with("truncated")
                            || err == "unknown file format"
                            || err.starts_with("the capture file has no"),
                        "{err}"
                    );
                }
            }
        }
    }
}
