//! Pseudo-headers stored in the capturing host's byte order. libpcap rewrites them to the
//! reading host's order when a file comes from a host of the other byte order
//! (`swap_pseudo_headers`), and tcpdump's printers rely on that, so we do the same for the
//! link types ptcpdump prints: Linux cooked SLL/SLL2 carrying CAN frames (CAN ID) and NFLOG
//! (TLV lengths and types). USB and PFLOG headers are left as stored.

const LINKTYPE_LINUX_SLL: u32 = 113;
const LINKTYPE_NFLOG: u32 = 239;
const LINKTYPE_LINUX_SLL2: u32 = 276;
const SLL_P_CAN: u16 = 0x000C;
const SLL_P_CANFD: u16 = 0x000D;

/// Whether packets of this link type may need rewriting in a byte-swapped file.
pub(crate) fn has_host_order_header(linktype: u32) -> bool {
    matches!(
        linktype,
        LINKTYPE_LINUX_SLL | LINKTYPE_LINUX_SLL2 | LINKTYPE_NFLOG
    )
}

/// Rewrites the pseudo-header of one packet from a byte-swapped file, in place. `data` is the
/// captured part; `len` is the length on the wire (libpcap checks both).
pub(crate) fn swap(linktype: u32, len: u32, data: &mut [u8]) {
    let caplen = data.len();
    let len = len as usize;
    let fits = |n: usize| caplen >= n && len >= n;
    match linktype {
        LINKTYPE_LINUX_SLL | LINKTYPE_LINUX_SLL2 => {
            let (hdr, proto_at) = if linktype == LINKTYPE_LINUX_SLL {
                (16, 14)
            } else {
                (20, 0)
            };
            if !fits(hdr) {
                return;
            }
            let proto = u16::from_be_bytes([data[proto_at], data[proto_at + 1]]);
            if (proto == SLL_P_CAN || proto == SLL_P_CANFD) && fits(hdr + 4) {
                data[hdr..hdr + 4].reverse();
            }
        }
        LINKTYPE_NFLOG => {
            if !fits(4) || data[1] != 0 {
                return;
            }
            let (mut off, mut caplen, mut len) = (4, caplen - 4, len - 4);
            while caplen >= 4 {
                data[off..off + 2].reverse(); // tlv_length
                data[off + 2..off + 4].reverse(); // tlv_type
                let size = usize::from(u16::from_ne_bytes([data[off], data[off + 1]]));
                let size = size.div_ceil(4) * 4;
                if size < 4 || caplen < size || len < size {
                    return;
                }
                caplen -= size;
                len -= size;
                off += size;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sll_can_id_is_swapped() {
        let mut sll = vec![0u8; 24];
        sll[14..16].copy_from_slice(&SLL_P_CAN.to_be_bytes());
        sll[16..20].copy_from_slice(&[1, 2, 3, 4]);
        swap(LINKTYPE_LINUX_SLL, 24, &mut sll);
        assert_eq!(sll[16..20], [4, 3, 2, 1]);
        // Not CAN: untouched; cut before the ID: untouched.
        let mut ip = sll.clone();
        ip[14..16].copy_from_slice(&0x0800u16.to_be_bytes());
        swap(LINKTYPE_LINUX_SLL, 24, &mut ip);
        assert_eq!(ip[16..20], [4, 3, 2, 1]);
        let mut short = sll[..18].to_vec();
        swap(LINKTYPE_LINUX_SLL, 24, &mut short);
        assert_eq!(short, sll[..18]);

        let mut sll2 = vec![0u8; 24];
        sll2[0..2].copy_from_slice(&SLL_P_CANFD.to_be_bytes());
        sll2[20..24].copy_from_slice(&[1, 2, 3, 4]);
        swap(LINKTYPE_LINUX_SLL2, 24, &mut sll2);
        assert_eq!(sll2[20..24], [4, 3, 2, 1]);
    }

    #[test]
    fn nflog_tlvs_are_swapped_until_one_does_not_fit() {
        let other_order = |v: u16| {
            if cfg!(target_endian = "little") {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut p = vec![2, 0, 0, 0];
        // TLV of 6 bytes (padded to 8), then one of 8, then one claiming 100.
        for (l, t) in [(6u16, 1u16), (8, 9), (100, 10)] {
            p.extend_from_slice(&other_order(l));
            p.extend_from_slice(&other_order(t));
            p.extend_from_slice(&[0xaa; 4]);
        }
        swap(LINKTYPE_NFLOG, p.len() as u32, &mut p);
        let ne = |o: usize| u16::from_ne_bytes([p[o], p[o + 1]]);
        assert_eq!((ne(4), ne(6)), (6, 1));
        assert_eq!((ne(12), ne(14)), (8, 9));
        // The third TLV header is swapped, then the walk stops: it does not fit.
        assert_eq!((ne(20), ne(22)), (100, 10));
        // Version other than 0: untouched.
        let mut v1 = vec![2, 1, 0, 0, 0, 6, 0, 1, 0, 0, 0, 0];
        let before = v1.clone();
        swap(LINKTYPE_NFLOG, 12, &mut v1);
        assert_eq!(v1, before);
    }
}
