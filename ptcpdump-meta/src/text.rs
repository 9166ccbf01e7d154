//! Text that comes from processes and container runtimes (comm, command lines, user, container
//! and Pod names, labels, image names, interface names), and from the comments of files being
//! read: whoever starts a process controls it, so it never reaches a terminal raw.
//!
//! Three forms of one string:
//! - **stored**: what ptcpdump keeps and writes into pcapng comments: the bytes as they were,
//!   except that invalid UTF-8 (comments must be UTF-8) is written as `\xHH`, byte by byte;
//! - **comment value**: the stored form with LF and CR as `\x0a` and `\x0d`, because each
//!   comment is one `Key: value` per line (a newline in an argument must not start a key);
//! - **shown**: what is printed: every byte that is not printable ASCII (C0 controls, DEL and
//!   every byte >= 0x80, so also each byte of a multi-byte UTF-8 character) as `\xHH` with two
//!   lowercase hex digits. A newline can therefore never start an output line.
//!
//! The escaped forms are computed once per process or container (see [`Text`]), not per
//! packet.
use std::borrow::Cow;
use std::fmt::Write as _;

fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Appends `s` escaped for a terminal (the shown form).
pub fn escape_into(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if printable(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
}

/// `s` escaped for a terminal; borrowed when it is printable ASCII already.
pub fn shown(s: &str) -> Cow<'_, str> {
    if s.bytes().all(printable) {
        Cow::Borrowed(s)
    } else {
        let mut out = String::with_capacity(s.len() + 8);
        escape_into(&mut out, s);
        Cow::Owned(out)
    }
}

/// The stored form of raw bytes: valid UTF-8 kept as it is, every byte of an invalid sequence
/// as `\xHH`.
pub fn from_bytes(mut b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    loop {
        match std::str::from_utf8(b) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, rest) = b.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len());
                for byte in &rest[..bad] {
                    let _ = write!(out, "\\x{byte:02x}");
                }
                b = &rest[bad..];
            }
        }
    }
}

/// A stored value as a comment value: one line.
pub fn comment_value(s: &str) -> Cow<'_, str> {
    if !s.contains(['\n', '\r']) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace('\n', "\\x0a").replace('\r', "\\x0d"))
}

/// An untrusted string in its stored form, with its shown form computed once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    stored: String,
    /// None when the stored form is printable ASCII (shown as it is).
    escaped: Option<Box<str>>,
}

impl Text {
    pub fn new(stored: impl Into<String>) -> Self {
        let stored = stored.into();
        let escaped = match shown(&stored) {
            Cow::Borrowed(_) => None,
            Cow::Owned(s) => Some(s.into_boxed_str()),
        };
        Text { stored, escaped }
    }

    pub fn from_bytes(b: &[u8]) -> Self {
        Text::new(from_bytes(b))
    }

    /// The stored form (for files).
    pub fn as_str(&self) -> &str {
        &self.stored
    }

    /// The form to print.
    pub fn shown(&self) -> &str {
        self.escaped.as_deref().unwrap_or(&self.stored)
    }

    pub fn is_empty(&self) -> bool {
        self.stored.is_empty()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_del_and_high_bytes_are_escaped() {
        assert_eq!(shown("curl -s"), "curl -s");
        assert!(matches!(shown("plain"), Cow::Borrowed(_)));
        assert_eq!(
            shown("a\x1b[31mb\x07c\nd\x7f"),
            "a\\x1b[31mb\\x07c\\x0ad\\x7f"
        );
        assert_eq!(shown("café"), "caf\\xc3\\xa9");
        assert_eq!(shown("\t\r\0"), "\\x09\\x0d\\x00");
    }

    #[test]
    fn shown_text_has_no_byte_a_terminal_interprets() {
        let all: Vec<u8> = (0..=255u8).collect();
        let t = Text::from_bytes(&all);
        assert!(t.shown().bytes().all(|b| (0x20..0x7f).contains(&b)));
        assert!(!t.shown().contains('\n'));
    }

    #[test]
    fn invalid_utf8_is_stored_as_hex_valid_utf8_kept() {
        assert_eq!(from_bytes(b"ok"), "ok");
        assert_eq!(from_bytes(b"a\xffb"), "a\\xffb");
        assert_eq!(from_bytes("é\x1b".as_bytes()), "é\x1b");
        // A sequence cut at the end of the buffer (an argument truncated at 4096 bytes).
        assert_eq!(from_bytes(b"x\xe2\x82"), "x\\xe2\\x82");
        assert_eq!(from_bytes(b"\xc3\x28"), "\\xc3(");
        // The shown form of stored hex is the shown form of the byte itself.
        assert_eq!(Text::from_bytes(b"\xff").shown(), shown_of_byte(0xff));
    }

    fn shown_of_byte(b: u8) -> String {
        format!("\\x{b:02x}")
    }

    #[test]
    fn comment_values_stay_on_one_line() {
        assert_eq!(comment_value("a b"), "a b");
        assert_eq!(comment_value("a\nPID: 1\r"), "a\\x0aPID: 1\\x0d");
        // Other controls stay raw in files (comments are UTF-8 text, not a terminal).
        assert_eq!(comment_value("\x1b\x07"), "\x1b\x07");
    }

    #[test]
    fn text_keeps_both_forms() {
        let t = Text::from_bytes(b"x\x1by\xff");
        assert_eq!(t.as_str(), "x\x1by\\xff");
        assert_eq!(t.shown(), "x\\x1by\\xff");
        let plain = Text::new("nginx");
        assert_eq!((plain.as_str(), plain.shown()), ("nginx", "nginx"));
    }
}
