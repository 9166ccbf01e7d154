//! ESP, IP Encapsulating Security Payload (RFC 4303), its UDP encapsulation (RFC 3948), and
//! decryption with `-E` secrets; tcpdump's print-esp.c.
//!
//! Secrets (`-E`, parsed once by [`Secrets::parse`]): a list separated by commas or newlines
//! of `SPI@DSTADDR ALGO:KEY` (an SA), `ALGO:KEY` (the default SA), `file PATH` (more lines
//! from a file, `#` comments) and `ikev2 I|R 0xSPII 0xSPIR INTEG:KEY ENCR:KEY` (IKEv2 SA keys,
//! used by isakmp.rs). `ALGO` names a cipher (`3des`, `aes128`, ...) with optional `-cbc` and
//! `-hmac96` suffixes; `-hmac96` means a 12-byte integrity check value to strip (it is never
//! verified, as in tcpdump). `KEY` is `0x` and hex digits, or the key's bytes as they are.

use super::{Ctx, IpHdr, ip_demux_print, pr};
use crate::cursor::{Bytes, PResult};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit};

const ESP_HDRLEN: usize = 8;
/// tcpdump keeps keys in 256-byte buffers.
const MAX_SECRET: usize = 256;

/// The ciphers `-E` knows, by the names OpenSSL gives them (what tcpdump looks up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cipher {
    /// `3des`: DES-EDE3-CBC.
    TdesCbc,
    /// `des-ede3`, `des-ede3-ecb`: DES-EDE3 without chaining.
    TdesEcb,
    /// `aes128`, `aes192`, `aes256`: AES-CBC.
    AesCbc(usize),
    /// `aes-128-ecb`, `aes-192-ecb`, `aes-256-ecb`.
    AesEcb(usize),
}

impl Cipher {
    fn by_name(name: &str) -> Option<Cipher> {
        let n = name.to_ascii_lowercase();
        Some(match n.as_str() {
            "3des" => Cipher::TdesCbc,
            "des-ede3" | "des-ede3-ecb" => Cipher::TdesEcb,
            "aes128" => Cipher::AesCbc(16),
            "aes192" => Cipher::AesCbc(24),
            "aes256" => Cipher::AesCbc(32),
            "aes-128-ecb" => Cipher::AesEcb(16),
            "aes-192-ecb" => Cipher::AesEcb(24),
            "aes-256-ecb" => Cipher::AesEcb(32),
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            Cipher::TdesCbc | Cipher::TdesEcb => 24,
            Cipher::AesCbc(k) | Cipher::AesEcb(k) => k,
        }
    }

    pub fn iv_len(self) -> usize {
        match self {
            Cipher::TdesCbc => 8,
            Cipher::AesCbc(_) => 16,
            Cipher::TdesEcb | Cipher::AesEcb(_) => 0,
        }
    }

    fn block_size(self) -> usize {
        match self {
            Cipher::TdesCbc | Cipher::TdesEcb => 8,
            Cipher::AesCbc(_) | Cipher::AesEcb(_) => 16,
        }
    }

    /// Decrypts `ct` (a whole number of blocks) with `key` (zero-padded or cut to the key
    /// length, as OpenSSL reads it from tcpdump's buffer) and `iv`.
    fn decrypt(self, key: &[u8], iv: &[u8], ct: &[u8]) -> Vec<u8> {
        let mut k = [0u8; 32];
        let n = key.len().min(self.key_len());
        k[..n].copy_from_slice(&key[..n]);
        let k = &k[..self.key_len()];
        let mut buf = ct.to_vec();
        fn cbc<C: BlockCipherDecrypt + KeyInit>(k: &[u8], iv: &[u8], buf: &mut [u8]) {
            if let Ok(d) = cbc::Decryptor::<C>::new_from_slices(k, iv) {
                let _ = d.decrypt_padded::<NoPadding>(buf);
            }
        }
        fn ecb<C: BlockCipherDecrypt + KeyInit>(k: &[u8], bs: usize, buf: &mut [u8]) {
            if let Ok(c) = C::new_from_slice(k) {
                for b in buf.chunks_exact_mut(bs) {
                    if let Ok(block) = b.try_into() {
                        c.decrypt_block(block);
                    }
                }
            }
        }
        match self {
            Cipher::TdesCbc => cbc::<des::TdesEde3>(k, iv, &mut buf),
            Cipher::AesCbc(16) => cbc::<aes::Aes128>(k, iv, &mut buf),
            Cipher::AesCbc(24) => cbc::<aes::Aes192>(k, iv, &mut buf),
            Cipher::AesCbc(_) => cbc::<aes::Aes256>(k, iv, &mut buf),
            Cipher::TdesEcb => ecb::<des::TdesEde3>(k, 8, &mut buf),
            Cipher::AesEcb(16) => ecb::<aes::Aes128>(k, 16, &mut buf),
            Cipher::AesEcb(24) => ecb::<aes::Aes192>(k, 16, &mut buf),
            Cipher::AesEcb(_) => ecb::<aes::Aes256>(k, 16, &mut buf),
        }
        buf
    }
}

/// Which security association a secret is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Selector {
    /// `ALGO:KEY`: every ESP packet without a more specific SA.
    Default,
    /// `SPI@ADDR`: ESP with this SPI to this destination (4 or 16 address bytes).
    Esp { spi: u32, daddr: Vec<u8> },
    /// `ikev2 ...`: IKEv2 encrypted payloads of this side of this IKE SA.
    Ikev2 {
        initiator: bool,
        spii: [u8; 8],
        spir: [u8; 8],
    },
}

#[derive(Clone, Debug)]
struct Sa {
    sel: Selector,
    cipher: Cipher,
    authlen: usize,
    key: Vec<u8>,
}

/// The SAs of `-E`. Later secrets win over earlier ones, as in tcpdump (which prepends).
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    sas: Vec<Sa>,
}

/// A mistake in `-E` that stops tcpdump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// A character that is not a hex digit after `0x`.
    BadHexDigit(char),
    /// `file PATH` could not be read.
    CantOpen { path: String, reason: String },
}

impl std::fmt::Display for SecretError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretError::BadHexDigit(c) => write!(f, "invalid hex digit {c} in espsecret"),
            SecretError::CantOpen { path, reason } => write!(f, "can't open {path}: {reason}"),
        }
    }
}

impl std::error::Error for SecretError {}

/// Hex digits to bytes (a last odd digit is ignored); `None` when longer than tcpdump's buffer.
fn decode_hex(hex: &str, warnings: &mut Vec<String>) -> Result<Option<Vec<u8>>, SecretError> {
    let len = hex.len() / 2;
    if len > MAX_SECRET {
        warnings.push(format!("secret is too big: {len}"));
        return Ok(None);
    }
    let digit = |c: u8| -> Result<u8, SecretError> {
        (c as char)
            .to_digit(16)
            .map(|d| d as u8)
            .ok_or(SecretError::BadHexDigit(c as char))
    };
    let b = hex.as_bytes();
    let mut out = Vec::with_capacity(len);
    for pair in b.chunks_exact(2) {
        out.push(digit(pair[0])? << 4 | digit(pair[1])?);
    }
    Ok(Some(out))
}

/// `ALGO[-cbc][-hmac96]:KEY` into a cipher, ICV length and key; `None` (after a warning where
/// tcpdump gives one) when unusable.
fn decode_encalgo(
    s: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<(Cipher, usize, Vec<u8>)>, SecretError> {
    let Some((name, key)) = s.split_once(':') else {
        warnings.push(format!("failed to decode espsecret: {s}"));
        return Ok(None);
    };
    let mut name = name;
    let mut authlen = 0;
    if name.len() > "-hmac96".len()
        && let Some(n) = name.strip_suffix("-hmac96")
    {
        name = n;
        authlen = 12;
    }
    if name.len() > "-cbc".len()
        && let Some(n) = name.strip_suffix("-cbc")
    {
        name = n;
    }
    let Some(cipher) = Cipher::by_name(name) else {
        warnings.push(format!("failed to find cipher algo {name}"));
        return Ok(None);
    };
    let key = match key.strip_prefix("0x") {
        Some(hex) => match decode_hex(hex, warnings)? {
            Some(k) if !k.is_empty() => k,
            _ => return Ok(None),
        },
        None => key.as_bytes()[..key.len().min(MAX_SECRET)].to_vec(),
    };
    Ok(Some((cipher, authlen, key)))
}

/// C's `strtoul(s, &end, 0)` on the leading part of `s`: the value and whether any digits
/// were read (and what was left).
fn strtoul(s: &str) -> (u32, bool, &str) {
    let (radix, digits) = if let Some(h) = s.strip_prefix("0x").or(s.strip_prefix("0X")) {
        (16, h)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if end == 0 {
        // "0x" alone reads as 0, "0" too; anything else reads nothing.
        return if radix != 10 {
            (0, true, digits)
        } else {
            (0, false, s)
        };
    }
    let v = u64::from_str_radix(&digits[..end], radix).unwrap_or(u64::MAX);
    (v.min(u32::MAX as u64) as u32, true, &digits[end..])
}

impl Secrets {
    /// True when no secret was given (or none was usable).
    pub fn is_empty(&self) -> bool {
        self.sas.is_empty()
    }

    /// Parses `-E`'s argument; `read_file` reads `file PATH` secrets. Returns the SAs and the
    /// warnings tcpdump prints for secrets it skips.
    pub fn parse(
        spec: &str,
        read_file: &mut dyn FnMut(&str) -> std::io::Result<String>,
    ) -> Result<(Secrets, Vec<String>), SecretError> {
        let mut s = Secrets::default();
        let mut warnings = Vec::new();
        for line in spec.split(['\n', ',']) {
            if !line.is_empty() {
                s.one(line, read_file, &mut warnings, "cmdline", 0)?;
            }
        }
        Ok((s, warnings))
    }

    fn one(
        &mut self,
        line: &str,
        read_file: &mut dyn FnMut(&str) -> std::io::Result<String>,
        warnings: &mut Vec<String>,
        file: &str,
        lineno: u32,
    ) -> Result<(), SecretError> {
        // The first word, split at the first space or tab; without one, the default SA.
        let (spikey, decode) = match line.split_once([' ', '\t']) {
            Some((k, rest)) => (Some(k), rest),
            None => (None, line),
        };
        if let Some(k) = spikey
            && k.eq_ignore_ascii_case("file")
        {
            let path = decode;
            let text = read_file(path).map_err(|e| SecretError::CantOpen {
                path: path.to_string(),
                reason: crate::proto::esp::io_reason(&e),
            })?;
            for (i, l) in text.lines().enumerate() {
                if l.starts_with('#') || l.is_empty() {
                    continue;
                }
                self.one(l, read_file, warnings, path, i as u32 + 1)?;
            }
            return Ok(());
        }
        if let Some(k) = spikey
            && k.eq_ignore_ascii_case("ikev2")
        {
            return self.ikeline(decode, warnings, file, lineno);
        }
        let sel = match spikey {
            None => Selector::Default,
            Some(k) => {
                let (spistr, addr) = match k.split_once('@') {
                    Some((s, a)) => (s, Some(a)),
                    None => (k, None),
                };
                let (spi, ok, rest) = strtoul(spistr);
                let Some(addr) = addr.filter(|_| ok) else {
                    warnings.push(format!("print_esp: failed to decode spi# {rest}"));
                    return Ok(());
                };
                let daddr = if let Ok(a) = addr.parse::<std::net::Ipv6Addr>() {
                    a.octets().to_vec()
                } else if let Ok(a) = addr.parse::<std::net::Ipv4Addr>() {
                    a.octets().to_vec()
                } else {
                    warnings.push(format!("print_esp: can not decode IP# {addr}"));
                    return Ok(());
                };
                Selector::Esp { spi, daddr }
            }
        };
        let decode = decode.trim_start_matches([' ', '\t', '\r', '\n']);
        let Some((cipher, authlen, key)) = decode_encalgo(decode, warnings)? else {
            return Ok(());
        };
        self.sas.push(Sa {
            sel,
            cipher,
            authlen,
            key,
        });
        Ok(())
    }

    /// `I|R 0xSPII 0xSPIR INTEG:KEY ENCR:KEY` (fields separated by single spaces or tabs).
    fn ikeline(
        &mut self,
        line: &str,
        warnings: &mut Vec<String>,
        file: &str,
        lineno: u32,
    ) -> Result<(), SecretError> {
        let mut f = line.split([' ', '\t']);
        let (Some(init), Some(icookie), Some(rcookie), Some(authkey), Some(enckey)) =
            (f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            warnings.push(format!(
                "print_esp: failed to find all fields for ikev2 at {file}:{lineno}"
            ));
            return Ok(());
        };
        let cookie = |c: &str| c.len() == 18 && c.starts_with("0x");
        if !(init.starts_with('I') || init.starts_with('R')) || !cookie(icookie) || !cookie(rcookie)
        {
            warnings.push(format!(
                "print_esp: line {file}:{lineno} improperly formatted."
            ));
            warnings.push(format!(
                "init={init} icookie={icookie}({}) rcookie={rcookie}({})",
                icookie.len(),
                rcookie.len()
            ));
            return Ok(());
        }
        let spi8 = |c: &str, w: &mut Vec<String>| -> Result<Option<[u8; 8]>, SecretError> {
            Ok(decode_hex(&c[2..], w)?.and_then(|v| v.try_into().ok()))
        };
        let Some(spii) = spi8(icookie, warnings)? else {
            return Ok(());
        };
        let Some(spir) = spi8(rcookie, warnings)? else {
            return Ok(());
        };
        let Some((cipher, mut authlen, key)) = decode_encalgo(enckey, warnings)? else {
            return Ok(());
        };
        // Only the integrity algorithm's ICV length matters (nothing is verified).
        let Some((integ, _)) = authkey.split_once(':') else {
            warnings.push(format!("failed to decode espsecret: {authkey}"));
            return Ok(());
        };
        if integ.eq_ignore_ascii_case("sha1") || integ.eq_ignore_ascii_case("md5") {
            authlen = 12;
        }
        self.sas.push(Sa {
            sel: Selector::Ikev2 {
                initiator: init.starts_with('I'),
                spii,
                spir,
            },
            cipher,
            authlen,
            key,
        });
        Ok(())
    }

    /// The SA for an ESP packet: the latest one for this SPI and destination, else the latest
    /// default one.
    fn esp_sa(&self, spi: u32, daddr: &[u8]) -> Option<&Sa> {
        let specific = self.sas.iter().rev().find(
            |sa| matches!(&sa.sel, Selector::Esp { spi: s, daddr: d } if *s == spi && d == daddr),
        );
        specific.or_else(|| self.sas.iter().rev().find(|sa| sa.sel == Selector::Default))
    }

    /// Decrypts an IKEv2 encrypted payload's data (IV, ciphertext, ICV) with the keys of this
    /// side of this IKE SA; the plaintext (padding included), or `None`.
    pub(crate) fn ikev2_decrypt(
        &self,
        initiator: bool,
        spii: &[u8],
        spir: &[u8],
        data: &[u8],
    ) -> Option<Vec<u8>> {
        let sa = self.sas.iter().rev().find(|sa| {
            matches!(&sa.sel, Selector::Ikev2 { initiator: i, spii: a, spir: b }
                if *i == initiator && a[..] == *spii && b[..] == *spir)
        })?;
        let end = data.len().checked_sub(sa.authlen)?;
        let iv_len = sa.cipher.iv_len();
        if end <= iv_len {
            return None;
        }
        let ct = &data[iv_len..end];
        if !ct.len().is_multiple_of(sa.cipher.block_size()) {
            return None;
        }
        Some(sa.cipher.decrypt(&sa.key, &data[..iv_len], ct))
    }
}

/// An I/O error as C's strerror words it.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// An ESP packet (IP protocol 50, or UDP-encapsulated on port 4500). `ip`: the enclosing IP
/// header; `fragmented` and `ttl_hl` as for [`ip_demux_print`], which decodes the decrypted
/// payload when an SA of `-E` matches.
pub fn esp_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
    fragmented: bool,
    ttl_hl: u8,
) -> PResult {
    ctx.protocol = "esp";
    // tcpdump wants at least one byte past the 8-byte header.
    if p.len() <= ESP_HDRLEN {
        ctx.print_trunc();
        return Ok(());
    }
    let spi = p.be_u32(0)?;
    pr!(
        ctx,
        "ESP(spi=0x{:08x},seq=0x{:x}), length {}",
        spi,
        p.be_u32(4)?,
        length
    );
    let opts = ctx.opts;
    let secrets = &opts.esp_secrets;
    if secrets.is_empty() {
        return Ok(());
    }
    // Neither IPv6 jumbograms nor IPv4 fragments (the pad and next header are in the last).
    if (ip.ver == 6 && ip.payload_len == 0) || (ip.ver == 4 && fragmented) {
        return Ok(());
    }
    let Some(sa) = secrets.esp_sa(spi, ip.dst) else {
        return Ok(());
    };
    let (cipher, authlen) = (sa.cipher, sa.authlen);
    let ct_off = ESP_HDRLEN + cipher.iv_len();
    // The ICV must fit after the IV; then the ciphertext lies between them.
    let avail = p.len() as isize - ct_off as isize;
    if avail < authlen as isize {
        ctx.print_trunc();
        return Ok(());
    }
    let ct = &p[ct_off..p.len() - authlen];
    // A ciphertext that is not whole blocks is refused (tcpdump warns on stderr).
    if !ct.len().is_multiple_of(cipher.block_size()) {
        return Ok(());
    }
    let pt = cipher.decrypt(&sa.key, &p[ESP_HDRLEN..ct_off], ct);
    let n = pt.len();
    let padlen = pt.u8_at(n.wrapping_sub(2))? as usize;
    if padlen + 2 > n {
        ctx.print_trunc();
        return Ok(());
    }
    let nh = pt[n - 1];
    ctx.push(": ");
    let inner = n - (padlen + 2);
    ip_demux_print(ctx, &pt[..inner], inner as u32, ip, fragmented, ttl_hl, nh)
}

/// UDP port 4500 (RFC 3948 NAT traversal; tcpdump's `isakmp_rfc3948_print`): a NAT
/// keep-alive, IKE behind a zero non-ESP marker, or ESP.
pub fn rfc3948_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
    fragmented: bool,
    ttl_hl: u8,
) -> PResult {
    ctx.protocol = "isakmp_rfc3948";
    if length == 1 && p.u8_at(0)? == 0xff {
        ctx.push("isakmp-nat-keep-alive");
        return Ok(());
    }
    if length < 4 {
        ctx.print_trunc();
        return Ok(());
    }
    if p.be_u32(0)? == 0 {
        ctx.push("NONESP-encap: ");
        return super::isakmp::isakmp_print(ctx, p.get(4..).unwrap_or(&[]), length - 4, Some(ip));
    }
    ctx.push("UDP-encap: ");
    esp_print(ctx, p, length, ip, fragmented, ttl_hl)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintOptions;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_with};
    use cbc::cipher::BlockModeEncrypt;

    const SRC: [u8; 4] = [198, 18, 0, 1];
    const DST: [u8; 4] = [198, 18, 0, 2];

    fn ip() -> IpHdr<'static> {
        IpHdr {
            ver: 4,
            src: &SRC,
            dst: &DST,
            cksum_dst: &DST,
            nh: 50,
            payload_len: 0,
        }
    }

    fn run(o: &PrintOptions, p: &[u8]) -> String {
        run_with(o, |ctx| {
            if esp_print(ctx, p, p.len() as u32, &ip(), false, 64).is_err() {
                ctx.print_trunc();
            }
        })
        .0
    }

    fn parse(spec: &str) -> (Secrets, Vec<String>) {
        Secrets::parse(spec, &mut |path| match path {
            "/secrets" => Ok(
                "# x\n\n0x1@198.18.0.2 aes128-cbc-hmac96:0x000102030405060708090a0b0c0d0e0f\n"
                    .into(),
            ),
            _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        })
        .unwrap()
    }

    /// ESP with SPI 1 carrying `inner` (next header `nh`) under AES-128-CBC and a 12-byte ICV.
    fn esp_aes(inner: &[u8], nh: u8) -> Vec<u8> {
        let key: Vec<u8> = (0..16).collect();
        let iv = [7u8; 16];
        let mut pt = inner.to_vec();
        let pad = (16 - (pt.len() + 2) % 16) % 16;
        pt.extend((1..=pad as u8).collect::<Vec<_>>());
        pt.push(pad as u8);
        pt.push(nh);
        let n = pt.len();
        let enc = cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv).unwrap();
        enc.encrypt_padded::<NoPadding>(&mut pt, n).unwrap();
        let mut d = vec![0, 0, 0, 1, 0, 0, 0, 9];
        d.extend_from_slice(&iv);
        d.extend_from_slice(&pt);
        d.extend_from_slice(&[0xee; 12]);
        d
    }

    #[test]
    fn header_without_secrets() {
        let p = [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 0xaa];
        assert_eq!(
            run(&opts(0, false), &p),
            "ESP(spi=0x12345678,seq=0x1), length 9"
        );
        for n in 0..p.len() {
            assert_eq!(run(&opts(0, false), &p[..n]), " [|esp]");
        }
    }

    #[test]
    fn parsing() {
        let (s, w) = parse("file /secrets,3des-cbc-hmac96:0x00,foo:0x00,nocolon,zz@1.2.3.4 3des:1");
        assert_eq!(s.sas.len(), 2);
        assert_eq!(s.sas[0].cipher, Cipher::AesCbc(16));
        assert_eq!(
            s.sas[0].sel,
            Selector::Esp {
                spi: 1,
                daddr: DST.to_vec()
            }
        );
        assert_eq!(
            (s.sas[1].sel.clone(), s.sas[1].authlen),
            (Selector::Default, 12)
        );
        assert_eq!(
            w,
            [
                "failed to find cipher algo foo",
                "failed to decode espsecret: nocolon",
                "print_esp: failed to decode spi# zz",
            ]
        );
        let mut nofile = |_: &str| Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(
            Secrets::parse("3des:0x1z", &mut nofile)
                .unwrap_err()
                .to_string(),
            "invalid hex digit z in espsecret"
        );
        assert_eq!(
            Secrets::parse("file /nope", &mut nofile)
                .unwrap_err()
                .to_string(),
            "can't open /nope: entity not found"
        );
        let (s, w) = parse("ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x00 aes128:0x01");
        assert!(w.is_empty());
        assert_eq!((s.sas.len(), s.sas[0].authlen), (1, 12));
        let (_, w) = parse("ikev2 X 0x00 0x00 sha1:0x00 aes128:0x01");
        assert_eq!(w[0], "print_esp: line cmdline:0 improperly formatted.");
    }

    #[test]
    fn decryption() {
        let o = PrintOptions {
            esp_secrets: parse("file /secrets").0,
            ..Default::default()
        };
        // An inner "network disk" (IP protocol 77) payload of 5 bytes.
        let d = esp_aes(&[1, 2, 3, 4, 5], 77);
        assert_eq!(run(&o, &d), "ESP(spi=0x00000001,seq=0x9), length 52:  nd 5");
        // The ICV does not fit: truncated.
        assert_eq!(
            run(&o, &d[..30]),
            "ESP(spi=0x00000001,seq=0x9), length 30 [|esp]"
        );
        // Another SPI and no default SA: only the header.
        let mut other = d.clone();
        other[3] = 2;
        assert_eq!(run(&o, &other), "ESP(spi=0x00000002,seq=0x9), length 52");
    }

    #[test]
    fn truncated_at_every_offset() {
        let o = PrintOptions {
            esp_secrets: parse("file /secrets,aes256:0x01").0,
            ..Default::default()
        };
        let d = esp_aes(&[0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1], 4);
        assert_every_truncation_is_safe(&d, &[o], |ctx, p| esp_print(ctx, p, 60, &ip(), false, 64));
    }

    #[test]
    fn nat_traversal() {
        let ip = ip();
        let (out, ()) = run_with(&opts(0, false), |ctx| {
            rfc3948_print(ctx, &[0xff], 1, &ip, false, 64).unwrap();
            ctx.push("|");
            rfc3948_print(ctx, &[0, 0, 4, 0, 0, 0, 0, 3, 0xaa], 9, &ip, false, 64).unwrap();
            ctx.push("|");
            rfc3948_print(ctx, &[0, 0], 2, &ip, false, 64).unwrap();
        });
        assert_eq!(
            out,
            "isakmp-nat-keep-alive|UDP-encap: ESP(spi=0x00000400,seq=0x3), length 9| [|isakmp_rfc3948]"
        );
    }
}
