//! `-d`, `-dd` and `-ddd`: the listings of libpcap's `bpf_dump()` that tcpdump prints.

use std::fmt::Write as _;

use crate::Program;
use crate::compile::image;

impl Program {
    /// The text `tcpdump -d` (`level` 1), `-dd` (2) or `-ddd` (3 or more) prints for this
    /// program, every line ending in `\n`. `level` 0 yields an empty string.
    pub fn dump(&self, level: u8) -> String {
        let mut out = String::new();
        match level {
            0 => {}
            1 => {
                for (n, insn) in self.insns.iter().enumerate() {
                    out.push_str(&image(insn, n));
                    out.push('\n');
                }
            }
            2 => {
                for i in &self.insns {
                    let _ = writeln!(
                        out,
                        "{{ 0x{:x}, {}, {}, 0x{:08x} }},",
                        i.code, i.jt, i.jf, i.k
                    );
                }
            }
            _ => {
                let _ = writeln!(out, "{}", self.insns.len());
                for i in &self.insns {
                    let _ = writeln!(out, "{} {} {} {}", i.code, i.jt, i.jf, i.k);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::{compile, linktype};

    #[test]
    fn levels_have_their_shapes() {
        let p = compile("ip", linktype::ETHERNET, 262144).unwrap();
        let d = p.dump(1);
        assert_eq!(d.lines().count(), p.insns().len());
        assert!(d.starts_with("(000) ldh      [12]\n"), "{d}");
        assert!(p.dump(2).starts_with("{ 0x28, 0, 0, 0x0000000c },\n"));
        assert!(
            p.dump(3)
                .starts_with(&format!("{}\n40 0 0 12\n", p.insns().len()))
        );
        assert_eq!(p.dump(0), "");
    }
}
