//! Bounds-checked access to captured bytes.
//!
//! tcpdump reads packet fields with `GET_*` macros that `longjmp` out of the printer when a
//! field lies past the end of the captured data; the top level then prints ` [|proto]`.
//! Here every read returns [`PResult`], `?` propagates [`Truncated`] up to
//! [`crate::Printer::print`], which prints ` [|proto]` with the protocol name the innermost
//! printer registered in [`crate::proto::Ctx::protocol`]. A printer that, like tcpdump, has its
//! own `trunc:` label simply matches on the error instead of using `?`.
//!
//! Two styles are offered and mix freely:
//! * [`Bytes`]: offset-based reads on a slice (`p.be_u16(2)?`), the analogue of
//!   `GET_BE_U_2(p + 2)`; the slice ends where the capture (or a pushed snapend) ends.
//! * [`Cursor`]: a sequential reader over such a slice.

/// A read went past the captured data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truncated;

impl std::fmt::Display for Truncated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("packet truncated")
    }
}

impl std::error::Error for Truncated {}

/// Result of any read or printer that may hit the end of the captured data.
pub type PResult<T = ()> = Result<T, Truncated>;

/// Offset-based, bounds-checked reads (tcpdump's `GET_U_1`, `GET_BE_U_2`, `ND_TTEST_LEN`...).
pub trait Bytes {
    /// `ND_TTEST_LEN(p + off, len)`: are these bytes captured?
    fn has(&self, off: usize, len: usize) -> bool;
    /// The bytes `off..off+len`.
    fn sub(&self, off: usize, len: usize) -> PResult<&[u8]>;
    /// The bytes from `off` to the end of the capture (empty if `off` is exactly the end).
    fn from(&self, off: usize) -> PResult<&[u8]>;
    fn u8_at(&self, off: usize) -> PResult<u8>;
    fn be_u16(&self, off: usize) -> PResult<u16>;
    fn be_u24(&self, off: usize) -> PResult<u32>;
    fn be_u32(&self, off: usize) -> PResult<u32>;
    fn be_u64(&self, off: usize) -> PResult<u64>;
    fn le_u16(&self, off: usize) -> PResult<u16>;
    fn le_u32(&self, off: usize) -> PResult<u32>;
    fn le_u64(&self, off: usize) -> PResult<u64>;
    /// Four bytes as an IPv4 address.
    fn ipv4_at(&self, off: usize) -> PResult<[u8; 4]>;
    /// Sixteen bytes as an IPv6 address.
    fn ipv6_at(&self, off: usize) -> PResult<[u8; 16]>;
}

impl Bytes for [u8] {
    #[inline]
    fn has(&self, off: usize, len: usize) -> bool {
        off.checked_add(len).is_some_and(|end| end <= self.len())
    }
    #[inline]
    fn sub(&self, off: usize, len: usize) -> PResult<&[u8]> {
        let end = off.checked_add(len).ok_or(Truncated)?;
        self.get(off..end).ok_or(Truncated)
    }
    #[inline]
    fn from(&self, off: usize) -> PResult<&[u8]> {
        self.get(off..).ok_or(Truncated)
    }
    #[inline]
    fn u8_at(&self, off: usize) -> PResult<u8> {
        self.get(off).copied().ok_or(Truncated)
    }
    #[inline]
    fn be_u16(&self, off: usize) -> PResult<u16> {
        let b = self.sub(off, 2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    #[inline]
    fn be_u24(&self, off: usize) -> PResult<u32> {
        let b = self.sub(off, 3)?;
        Ok(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
    #[inline]
    fn be_u32(&self, off: usize) -> PResult<u32> {
        let b = self.sub(off, 4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    #[inline]
    fn be_u64(&self, off: usize) -> PResult<u64> {
        let b = self.sub(off, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    #[inline]
    fn le_u16(&self, off: usize) -> PResult<u16> {
        let b = self.sub(off, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    #[inline]
    fn le_u32(&self, off: usize) -> PResult<u32> {
        let b = self.sub(off, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    #[inline]
    fn le_u64(&self, off: usize) -> PResult<u64> {
        let b = self.sub(off, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    #[inline]
    fn ipv4_at(&self, off: usize) -> PResult<[u8; 4]> {
        let b = self.sub(off, 4)?;
        Ok([b[0], b[1], b[2], b[3]])
    }
    #[inline]
    fn ipv6_at(&self, off: usize) -> PResult<[u8; 16]> {
        let b = self.sub(off, 16)?;
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        Ok(a)
    }
}

/// Sequential reader over captured bytes.
#[derive(Clone, Copy, Debug)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }
    /// Bytes consumed so far.
    pub fn pos(&self) -> usize {
        self.pos
    }
    /// Captured bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
    /// The unconsumed captured bytes.
    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }
    /// The whole underlying slice.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
    pub fn skip(&mut self, n: usize) -> PResult {
        if n > self.remaining() {
            return Err(Truncated);
        }
        self.pos += n;
        Ok(())
    }
    pub fn bytes(&mut self, n: usize) -> PResult<&'a [u8]> {
        let b = self.data.sub(self.pos, n)?;
        self.pos += n;
        Ok(b)
    }
    pub fn u8(&mut self) -> PResult<u8> {
        let v = self.data.u8_at(self.pos)?;
        self.pos += 1;
        Ok(v)
    }
    pub fn be_u16(&mut self) -> PResult<u16> {
        let v = self.data.be_u16(self.pos)?;
        self.pos += 2;
        Ok(v)
    }
    pub fn be_u24(&mut self) -> PResult<u32> {
        let v = self.data.be_u24(self.pos)?;
        self.pos += 3;
        Ok(v)
    }
    pub fn be_u32(&mut self) -> PResult<u32> {
        let v = self.data.be_u32(self.pos)?;
        self.pos += 4;
        Ok(v)
    }
    pub fn be_u64(&mut self) -> PResult<u64> {
        let v = self.data.be_u64(self.pos)?;
        self.pos += 8;
        Ok(v)
    }
    pub fn le_u16(&mut self) -> PResult<u16> {
        let v = self.data.le_u16(self.pos)?;
        self.pos += 2;
        Ok(v)
    }
    pub fn le_u32(&mut self) -> PResult<u32> {
        let v = self.data.le_u32(self.pos)?;
        self.pos += 4;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_reads_are_bounds_checked() {
        let b: &[u8] = &[1, 2, 3, 4, 5];
        assert_eq!(b.u8_at(4), Ok(5));
        assert_eq!(b.u8_at(5), Err(Truncated));
        assert_eq!(b.be_u16(3), Ok(0x0405));
        assert_eq!(b.be_u16(4), Err(Truncated));
        assert_eq!(b.be_u32(1), Ok(0x0203_0405));
        assert_eq!(b.be_u24(0), Ok(0x01_0203));
        assert_eq!(b.le_u16(0), Ok(0x0201));
        assert_eq!(b.le_u64(0), Err(Truncated));
        assert_eq!(
            [1u8, 0, 0, 0, 0, 0, 0, 2].le_u64(0),
            Ok(0x0200_0000_0000_0001)
        );
        assert!(b.has(5, 0));
        assert!(!b.has(usize::MAX, 2));
        assert_eq!(b.sub(usize::MAX, 2), Err(Truncated));
        assert_eq!(b.from(5), Ok(&[][..]));
        assert_eq!(b.from(6), Err(Truncated));
    }

    #[test]
    fn cursor_reads_in_order_and_stops_at_the_end() {
        let mut c = Cursor::new(&[0xde, 0xad, 0xbe, 0xef, 9]);
        assert_eq!(c.be_u16(), Ok(0xdead));
        assert_eq!(c.u8(), Ok(0xbe));
        assert_eq!(c.be_u32(), Err(Truncated));
        assert_eq!(c.pos(), 3);
        assert_eq!(c.bytes(2), Ok(&[0xef, 9][..]));
        assert_eq!(c.remaining(), 0);
        assert_eq!(c.skip(1), Err(Truncated));
    }
}
