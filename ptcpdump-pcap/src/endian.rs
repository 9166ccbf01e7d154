//! Byte order of a capture file (or of one pcapng section).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

impl Endian {
    /// The byte order of the machine we run on.
    pub(crate) const NATIVE: Endian = if cfg!(target_endian = "little") {
        Endian::Little
    } else {
        Endian::Big
    };

    /// Reads a u16 at `off`; the caller has checked the bounds.
    pub(crate) fn u16(self, b: &[u8], off: usize) -> u16 {
        let a = [b[off], b[off + 1]];
        match self {
            Endian::Little => u16::from_le_bytes(a),
            Endian::Big => u16::from_be_bytes(a),
        }
    }

    /// Reads a u32 at `off`; the caller has checked the bounds.
    pub(crate) fn u32(self, b: &[u8], off: usize) -> u32 {
        let a = [b[off], b[off + 1], b[off + 2], b[off + 3]];
        match self {
            Endian::Little => u32::from_le_bytes(a),
            Endian::Big => u32::from_be_bytes(a),
        }
    }

    /// Reads a u64 at `off`; the caller has checked the bounds.
    pub(crate) fn u64(self, b: &[u8], off: usize) -> u64 {
        let mut a = [0u8; 8];
        a.copy_from_slice(&b[off..off + 8]);
        match self {
            Endian::Little => u64::from_le_bytes(a),
            Endian::Big => u64::from_be_bytes(a),
        }
    }
}
