//! MACsec, IEEE 802.1AE-2006 (SecTAG in section 9); tcpdump's print-macsec.c. Called by
//! [`super::ether::ether_print`] for Ethernet type 0x88e5; the frame continues after the SecTAG
//! unless it is encrypted (or its text was changed).
//!
//! ```text
//! SecTAG: TCI(V ES SC SCB E C)+AN(1) short length(1) packet number(4) [SCI(8) when SC]
//! ... secure data ... ICV(16)
//! ```

use super::{Ctx, bittok2str, pr};
use crate::cursor::{Bytes, PResult};

pub const ETHERTYPE_MACSEC: u16 = 0x88e5;

/// The integrity check value at the end of the frame.
pub const ICV_LEN: u32 = 16;
const SECTAG_LEN_NOSCI: u32 = 6;
const SECTAG_LEN_SCI: u32 = 14;

const TCI_VERSION: u8 = 0x80;
const TCI_ES: u8 = 0x40;
const TCI_SC: u8 = 0x20;
const TCI_SCB: u8 = 0x10;
const TCI_E: u8 = 0x08;
const TCI_C: u8 = 0x04;
const AN_MASK: u8 = 0x03;
const TCI_FLAGS: u8 = TCI_ES | TCI_SC | TCI_SCB | TCI_E | TCI_C;
const TCI_CONFID: u8 = TCI_E | TCI_C;
const SL_MASK: u8 = 0x3f;

const FLAG_NAMES: &[(u32, &str)] = &[
    (TCI_E as u32, "E"),
    (TCI_C as u32, "C"),
    (TCI_ES as u32, "S"),
    (TCI_SCB as u32, "B"),
    (TCI_SC as u32, "I"),
];

/// What the Ethernet printer does after the SecTAG.
pub enum Sectag {
    /// The header is truncated or invalid (already reported): stop.
    Stop,
    /// The payload is encrypted or changed: dump the `sectag_len`-byte-later rest raw.
    Encrypted { sectag_len: u32 },
    /// Go on with the type field after `sectag_len` bytes; the secure data is `length` bytes
    /// (`caplen` of them captured), and the capture ends `ICV_LEN` bytes earlier.
    Clear {
        sectag_len: u32,
        length: u32,
        caplen: u32,
    },
}

fn header_print(ctx: &mut Ctx, p: &[u8], short_length: u8) -> PResult {
    let tci = p.u8_at(0)?;
    let pn = p.be_u32(2)?;
    pr!(ctx, "an {}, pn {}, flags ", tci & AN_MASK, pn);
    bittok2str(ctx.out, FLAG_NAMES, "none", (tci & TCI_FLAGS) as u32, "");
    if short_length != 0 {
        pr!(ctx, ", sl {}", short_length);
    }
    if tci & TCI_SC != 0 {
        pr!(ctx, ", sci {:016x}", p.be_u64(6)?);
    }
    ctx.push(", ");
    Ok(())
}

/// The SecTAG at `p`; `length`/`caplen`: the frame's bytes from there, on the wire / captured.
/// `addrs`: the Ethernet source and destination, printed before an encrypted payload without
/// `-e`.
pub fn macsec_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    addrs: (&[u8], &[u8]),
) -> PResult<Sectag> {
    let save = ctx.protocol;
    ctx.protocol = "macsec";
    let r = sectag_print(ctx, p, length, caplen, addrs);
    ctx.protocol = save;
    r
}

fn sectag_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    caplen: u32,
    (src, dst): (&[u8], &[u8]),
) -> PResult<Sectag> {
    let trunc = |ctx: &mut Ctx| {
        ctx.print_trunc();
        Ok(Sectag::Stop)
    };
    if caplen < SECTAG_LEN_NOSCI || length < SECTAG_LEN_NOSCI {
        return trunc(ctx);
    }
    let tci = p.u8_at(0)?;
    let sectag_len = if tci & TCI_SC != 0 {
        if caplen < SECTAG_LEN_SCI || length < SECTAG_LEN_SCI {
            return trunc(ctx);
        }
        SECTAG_LEN_SCI
    } else {
        SECTAG_LEN_NOSCI
    };
    let sl = p.u8_at(1)?;
    if sl & !SL_MASK != 0 || tci & TCI_VERSION != 0 {
        ctx.print_invalid();
        return Ok(Sectag::Stop);
    }
    let short_length = sl & SL_MASK;
    if ctx.eflag() {
        header_print(ctx, p, short_length)?;
    }
    let mut length = length - sectag_len;
    let mut caplen = caplen - sectag_len;
    if tci & TCI_CONFID != 0 {
        if !ctx.eflag() {
            ctx.mac(src);
            ctx.push(" > ");
            ctx.mac(dst);
            ctx.push(" 802.1AE MACsec, ");
            header_print(ctx, p, short_length)?;
        }
        return Ok(Sectag::Encrypted { sectag_len });
    }
    if length < ICV_LEN || caplen < ICV_LEN {
        return trunc(ctx);
    }
    length -= ICV_LEN;
    caplen -= ICV_LEN;
    if short_length != 0 {
        let sl = short_length as u32;
        if sl > length || sl > caplen {
            return trunc(ctx);
        }
        length = length.min(sl);
        caplen = caplen.min(sl);
    }
    Ok(Sectag::Clear {
        sectag_len,
        length,
        caplen,
    })
}

#[cfg(test)]
mod tests {
    use crate::proto::testutil::{assert_every_truncated_packet_is_safe, opts, print_packet};

    const MACS: [u8; 12] = [
        0x3e, 0x6f, 0xf3, 0x74, 0x23, 0x7c, 0x2e, 0xb7, 0x3f, 0x39, 0x95, 0xc3,
    ];

    /// Ethernet + SecTAG (`tci`, `sl`, pn 68, SCI) + `payload` + ICV.
    fn frame(tci: u8, sl: u8, payload: &[u8]) -> Vec<u8> {
        let mut d = MACS.to_vec();
        d.extend_from_slice(&[0x88, 0xe5, tci, sl, 0, 0, 0, 68]);
        d.extend_from_slice(&[0x2e, 0xb7, 0x3f, 0x39, 0x95, 0xc3, 0x00, 0x01]);
        d.extend_from_slice(payload);
        d.extend_from_slice(&[0xee; 16]);
        d
    }

    /// An unknown Ethernet type with two bytes of data.
    const INNER: &[u8] = &[0x12, 0x34, 0xaa, 0xbb];

    #[test]
    fn clear_payload_continues_with_its_type() {
        let d = frame(0x20, 0, INNER);
        assert_eq!(
            print_packet(opts(0, true), 1, &d),
            "2e:b7:3f:39:95:c3 > 3e:6f:f3:74:23:7c, ethertype 802.1AE MACsec (0x88e5), \
             length 48: an 0, pn 68, flags I, sci 2eb73f3995c30001, ethertype Unknown (0x1234), \
             \n\t0x0000:  aabb                                     ..\n"
        );
        // The short length cuts the secure data; one byte is too short for a type field.
        let d = frame(0x20, 1, INNER);
        assert!(
            print_packet(opts(0, true), 1, &d)
                .contains("sl 1, sci 2eb73f3995c30001,  [caplen 1 < 2]\n")
        );
    }

    #[test]
    fn encrypted_payload_is_dumped() {
        let d = frame(0x2c, 0, INNER);
        assert_eq!(
            print_packet(opts(0, false), 1, &d),
            "2e:b7:3f:39:95:c3 > 3e:6f:f3:74:23:7c 802.1AE MACsec, an 0, pn 68, flags ECI, \
             sci 2eb73f3995c30001, \n\t0x0000:  1234 aabb eeee eeee eeee eeee eeee eeee  \
             .4..............\n\t0x0010:  eeee eeee                                ....\n"
        );
    }

    #[test]
    fn bad_headers() {
        let d = frame(0xa0, 0, INNER);
        assert!(print_packet(opts(0, true), 1, &d).ends_with("length 48:  (invalid)\n"));
        let d = frame(0x20, 40, INNER);
        assert!(print_packet(opts(0, true), 1, &d).ends_with(",  [|macsec]\n"));
    }

    #[test]
    fn truncated_at_every_offset() {
        for tci in [0x20, 0x2c, 0x00] {
            let d = frame(tci, 0, &[0x08, 0x00, 0x45, 0, 0, 20]);
            assert_every_truncated_packet_is_safe(1, &d, &[opts(0, false), opts(1, true)]);
        }
    }
}
