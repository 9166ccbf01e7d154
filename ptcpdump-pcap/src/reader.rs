//! [`Reader`]: one type for classic pcap and pcapng files, detected from the first bytes the
//! way libpcap's `pcap_fopen_offline` does.

use std::io::Read;

use crate::input::Input;
use crate::pcap::{self, PcapState};
use crate::pcapng::{self, NgState};
use crate::{Error, Packet, Precision};

/// Contents of one pcapng Decryption Secrets Block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecryptionSecrets {
    /// e.g. [`crate::SECRETS_TYPE_TLS`] for a TLS key log.
    pub secrets_type: u32,
    pub data: Vec<u8>,
}

enum Format {
    Pcap(PcapState),
    Pcapng(NgState),
}

/// Reads packets from a classic pcap or pcapng file.
pub struct Reader<R: Read> {
    input: Input<R>,
    format: Format,
    secrets: Vec<DecryptionSecrets>,
    /// Copy of a packet whose pseudo-header had to be rewritten (byte-swapped files only).
    pseudo: Vec<u8>,
    /// Set after the end of the file or an error: like libpcap, we do not read past damage.
    done: bool,
}

impl<R: Read> Reader<R> {
    /// Detects classic pcap (all magics, both byte orders) or pcapng (both byte orders) from
    /// the first bytes and reads the file header (for pcapng: up to the first interface).
    pub fn new(r: R, precision: Precision) -> Result<Self, Error> {
        Self::with_libpcap_strict(r, precision, false)
    }

    /// Like [`Self::new`]; with `strict`, refuses pcapng files the way libpcap 1.10 (so
    /// tcpdump) does: an interface whose link type or snapshot length differs from the first
    /// one's, or a section in the other byte order, is an error with libpcap's text. By
    /// default such files are read (the format allows them, and ptcpdump writes one interface
    /// per capture device). No effect on classic pcap files.
    pub fn with_libpcap_strict(r: R, precision: Precision, strict: bool) -> Result<Self, Error> {
        let mut input = Input::new(r);
        let got = input.fill(4)?;
        if got < 4 {
            return Err(Error::TruncatedFileHeader { expected: 4, got });
        }
        let magic: [u8; 4] = [
            input.peek()[0],
            input.peek()[1],
            input.peek()[2],
            input.peek()[3],
        ];
        let mut secrets = Vec::new();
        let format = if let Some(endian) = pcap::detect(&magic) {
            Format::Pcap(PcapState::open(&mut input, endian, precision)?)
        } else if u32::from_le_bytes(magic) == pcapng::BT_SHB {
            Format::Pcapng(NgState::open(
                &mut input,
                precision.units(),
                strict,
                &mut secrets,
            )?)
        } else {
            return Err(Error::UnknownFormat);
        };
        Ok(Reader {
            input,
            format,
            secrets,
            pseudo: Vec::new(),
            done: false,
        })
    }

    /// The next packet, `Ok(None)` at the end of the file. After an error, the packets before
    /// the damage have all been returned and later calls return `Ok(None)`.
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, Error> {
        if self.done {
            return Ok(None);
        }
        // Cleared by `read_next` when it returns a packet.
        self.done = true;
        self.read_next()
    }

    fn read_next(&mut self) -> Result<Option<Packet<'_>>, Error> {
        match &mut self.format {
            Format::Pcap(st) => {
                let Some(rec) = st.next(&mut self.input)? else {
                    return Ok(None);
                };
                self.done = false;
                let data = match rec.data {
                    pcap::Data::Input(off) => &self.input.buffer()[off..off + rec.caplen as usize],
                    pcap::Data::Scratch => st.scratch(),
                };
                let data =
                    fix_pseudo_header(&mut self.pseudo, st.swapped(), st.linktype, rec.len, data);
                Ok(Some(Packet {
                    ts_sec: rec.ts_sec,
                    ts_frac: rec.ts_frac,
                    caplen: rec.caplen,
                    len: rec.len,
                    data,
                    linktype: st.linktype,
                    interface_id: 0,
                    if_name: None,
                    flags: None,
                    comments: Vec::new(),
                    application: None,
                }))
            }
            Format::Pcapng(st) => {
                let Some(loc) = st.next_packet_block(&mut self.input, &mut self.secrets)? else {
                    return Ok(None);
                };
                let rec = st.packet(self.input.buffer(), &loc)?;
                self.done = false;
                let ifc = &st.interfaces[rec.interface_id as usize];
                let data = fix_pseudo_header(
                    &mut self.pseudo,
                    st.swapped(),
                    ifc.linktype,
                    rec.len,
                    rec.data,
                );
                Ok(Some(Packet {
                    ts_sec: rec.ts_sec,
                    ts_frac: rec.ts_frac,
                    caplen: rec.caplen,
                    len: rec.len,
                    data,
                    linktype: ifc.linktype,
                    interface_id: rec.interface_id,
                    if_name: ifc.name.as_deref(),
                    flags: rec.flags,
                    comments: rec.comments,
                    application: st.application.as_deref(),
                }))
            }
        }
    }

    /// The first interface's link type (what tcpdump's "reading from file" line shows).
    pub fn linktype(&self) -> u32 {
        match &self.format {
            Format::Pcap(st) => st.linktype,
            Format::Pcapng(st) => st.first_linktype,
        }
    }

    /// The first interface's snapshot length, adjusted as libpcap does (0 means the maximum).
    pub fn snaplen(&self) -> u32 {
        match &self.format {
            Format::Pcap(st) => st.snapshot,
            Format::Pcapng(st) => st.first_snapshot,
        }
    }

    /// Decryption Secrets Blocks seen so far (pcapng only), in file order.
    pub fn decryption_secrets(&self) -> &[DecryptionSecrets] {
        &self.secrets
    }

    /// True for pcapng input.
    pub fn is_pcapng(&self) -> bool {
        matches!(self.format, Format::Pcapng(_))
    }
}

/// libpcap rewrites some pseudo-headers of byte-swapped files; we do it on a copy, since the
/// file buffer is shared with the packet's options.
fn fix_pseudo_header<'a>(
    copy: &'a mut Vec<u8>,
    swapped: bool,
    linktype: u32,
    len: u32,
    data: &'a [u8],
) -> &'a [u8] {
    if !swapped || !crate::pseudo::has_host_order_header(linktype) {
        return data;
    }
    copy.clear();
    copy.extend_from_slice(data);
    crate::pseudo::swap(linktype, len, copy);
    copy
}
