//! A read buffer that hands out contiguous byte ranges, so a whole record or block can be parsed
//! (and borrowed by the returned packet) in place. One buffer is reused for the whole file; it
//! only grows as far as data actually arrives, so a hostile length field cannot make us allocate
//! memory the file does not back.

use std::io::{self, Read};

const CHUNK: usize = 256 * 1024;
const MIN_BUF: usize = 4096;

pub(crate) struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl<R: Read> Input<R> {
    pub(crate) fn new(inner: R) -> Self {
        Input {
            inner,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
        }
    }

    /// Makes up to `n` bytes available at [`Self::pos`]; returns how many are, which is less
    /// than `n` only at end of file.
    pub(crate) fn fill(&mut self, n: usize) -> io::Result<usize> {
        while self.end - self.start < n && !self.eof {
            if self.end == self.buf.len() {
                let have = self.end - self.start;
                if self.buf.len() < CHUNK || have == self.buf.len() {
                    // Start small (tiny files are common in tests and fuzzing) and grow by
                    // doubling, never past what the caller asked for.
                    let grown = (self.buf.len() * 2).max(MIN_BUF).min(n.max(CHUNK));
                    self.buf.resize(grown.max(self.buf.len() + 1), 0);
                } else {
                    self.buf.copy_within(self.start..self.end, 0);
                    self.start = 0;
                    self.end = have;
                }
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.end += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n.min(self.end - self.start))
    }

    /// The bytes available right now (after the last [`Self::fill`]).
    pub(crate) fn peek(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Offset of the next unconsumed byte inside [`Self::buffer`].
    pub(crate) fn pos(&self) -> usize {
        self.start
    }

    /// The whole buffer; ranges consumed since the last `fill` stay valid until the next `fill`.
    pub(crate) fn buffer(&self) -> &[u8] {
        &self.buf[..self.end]
    }

    pub(crate) fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.end - self.start);
        self.start += n;
    }

    /// Reads and drops up to `n` bytes; returns how many there were.
    pub(crate) fn skip(&mut self, mut n: usize) -> io::Result<usize> {
        let mut skipped = 0;
        while n > 0 {
            let got = self.fill(n.min(CHUNK))?;
            if got == 0 {
                break;
            }
            self.consume(got);
            skipped += got;
            n -= got;
        }
        Ok(skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that returns at most 3 bytes per call, to exercise refills and compaction.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let k = self.0.len().min(out.len()).min(3);
            out[..k].copy_from_slice(&self.0[..k]);
            self.0 = &self.0[k..];
            Ok(k)
        }
    }

    #[test]
    fn fill_consume_skip_across_refills() {
        let data: Vec<u8> = (0..=255).cycle().take(1000).collect();
        let mut inp = Input::new(Trickle(&data));
        assert_eq!(inp.fill(10).unwrap(), 10);
        assert_eq!(&inp.peek()[..10], &data[..10]);
        inp.consume(10);
        assert_eq!(inp.skip(500).unwrap(), 500);
        assert_eq!(inp.fill(100).unwrap(), 100);
        assert_eq!(&inp.peek()[..100], &data[510..610]);
        inp.consume(100);
        assert_eq!(inp.fill(1000).unwrap(), 390);
        assert_eq!(inp.peek(), &data[610..]);
        inp.consume(390);
        assert_eq!(inp.fill(1).unwrap(), 0);
        assert_eq!(inp.skip(5).unwrap(), 0);
    }
}
