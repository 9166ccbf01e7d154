//! PPTP control connection messages, Point-to-Point Tunneling Protocol (RFC 2637), on TCP
//! port 1723; tcpdump's print-pptp.c. The data channel is enhanced GRE (see `gre.rs`).

use super::util_print::{printjnp, tail};
use super::{Ctx, pr, tok};
use crate::cursor::{Bytes, PResult};

const PPTP_MAGIC_COOKIE: u32 = 0x1a2b_3c4d;

const MSGTYPE_SCCRP: u16 = 2;
const MSGTYPE_STOPCCRP: u16 = 4;
const MSGTYPE_ECHORP: u16 = 6;
const MSGTYPE_OCRP: u16 = 8;
const MSGTYPE_ICRP: u16 = 10;
const MSGTYPE_CDN: u16 = 13;

const MESSAGE_TYPE_STRING: &[&str] = &[
    "NOT_DEFINED",
    "SCCRQ",
    "SCCRP",
    "StopCCRQ",
    "StopCCRP",
    "ECHORQ",
    "ECHORP",
    "OCRQ",
    "OCRP",
    "ICRQ",
    "ICRP",
    "ICCN",
    "CCRQ",
    "CDN",
    "WEN",
    "SLI",
];

const BTYPE_STR: &[(u32, &str)] = &[(1, "A"), (2, "D"), (3, "Any")];
const FTYPE_STR: &[(u32, &str)] = &[(1, "A"), (2, "S"), (3, "E")];

const ERRCODE_STR: &[(u32, &str)] = &[
    (0, "None"),
    (1, "Not-Connected"),
    (2, "Bad-Format"),
    (3, "Bad-Value"),
    (4, "No-Resource"),
    (5, "Bad-Call-ID"),
    (6, "PAC-Error"),
];

const SCCRP_STR: &[(u32, &str)] = &[
    (1, "Successful channel establishment"),
    (2, "General error"),
    (3, "Command channel already exists"),
    (
        4,
        "Requester is not authorized to establish a command channel",
    ),
    (5, "The protocol version of the requester is not supported"),
];
const ECHORP_STR: &[(u32, &str)] = &[(1, "OK"), (2, "General Error")];
const OCRP_STR: &[(u32, &str)] = &[
    (1, "Connected"),
    (2, "General Error"),
    (3, "No Carrier"),
    (4, "Busy"),
    (5, "No Dial Tone"),
    (6, "Time-out"),
    (7, "Do Not Accept"),
];
const ICRP_STR: &[(u32, &str)] = &[(1, "Connect"), (2, "General Error"), (3, "Do Not Accept")];
const CDN_STR: &[(u32, &str)] = &[
    (1, "Lost Carrier"),
    (2, "General Error"),
    (3, "Admin Shutdown"),
    (4, "Request"),
];

/// Field printers over the message body `d` (offsets as in RFC 2637).
struct Msg<'c, 'a, 'p> {
    ctx: &'c mut Ctx<'a>,
    d: &'p [u8],
}

impl Msg<'_, '_, '_> {
    fn u8(&self, off: usize) -> PResult<u8> {
        self.d.u8_at(off)
    }
    fn u16(&self, off: usize) -> PResult<u16> {
        self.d.be_u16(off)
    }
    fn u32(&self, off: usize) -> PResult<u32> {
        self.d.be_u32(off)
    }
    fn num16(&mut self, name: &str, off: usize) -> PResult {
        let v = self.u16(off)?;
        pr!(self.ctx, " {}({})", name, v);
        Ok(())
    }
    fn num32(&mut self, name: &str, off: usize) -> PResult {
        let v = self.u32(off)?;
        pr!(self.ctx, " {}({})", name, v);
        Ok(())
    }
    fn reserved8(&mut self, off: usize) -> PResult {
        let v = self.u8(off)?;
        self.must_be_zero(v.into());
        Ok(())
    }
    fn reserved16(&mut self, off: usize) -> PResult {
        let v = self.u16(off)?;
        self.must_be_zero(v.into());
        Ok(())
    }
    fn must_be_zero(&mut self, v: u32) {
        if v != 0 {
            pr!(self.ctx, " [ERROR: reserved={} must be zero]", v);
        }
    }
    fn string(&mut self, name: &str, off: usize, n: usize) -> PResult {
        pr!(self.ctx, " {}(", name);
        printjnp(self.ctx, tail(self.d, off), n)?;
        self.ctx.push(")");
        Ok(())
    }
    fn proto_ver(&mut self, off: usize) -> PResult {
        let v = self.u16(off)?;
        pr!(self.ctx, " PROTO_VER({}.{})", v >> 8, v & 0xff);
        Ok(())
    }
    fn framing_cap(&mut self, off: usize) -> PResult {
        self.cap_flags(" FRAME_CAP", off, [(1, "A"), (2, "S")])
    }
    fn bearer_cap(&mut self, off: usize) -> PResult {
        self.cap_flags(" BEARER_CAP", off, [(2, "D"), (1, "A")])
    }
    /// `label(XY)`: the letters of the capability bits set in the 32-bit field at `off`.
    fn cap_flags(&mut self, label: &str, off: usize, bits: [(u32, &str); 2]) -> PResult {
        let v = self.u32(off)?;
        self.ctx.push(label);
        self.ctx.push("(");
        for (bit, letter) in bits {
            if v & bit != 0 {
                self.ctx.push(letter);
            }
        }
        self.ctx.push(")");
        Ok(())
    }
    fn bearer_type(&mut self, off: usize) -> PResult {
        self.named_u32(" BEARER_TYPE", off, BTYPE_STR)
    }
    fn framing_type(&mut self, off: usize) -> PResult {
        self.named_u32(" FRAME_TYPE", off, FTYPE_STR)
    }
    /// `label(name)` of the 32-bit field at `off`, `?` when `names` lacks it.
    fn named_u32(&mut self, label: &str, off: usize, names: &[(u32, &'static str)]) -> PResult {
        let v = self.u32(off)?;
        pr!(self.ctx, "{}({})", label, tok(names, v).unwrap_or("?"));
        Ok(())
    }
    fn result_code(&mut self, off: usize, msg: u16) -> PResult {
        let v = self.u8(off)?;
        pr!(self.ctx, " RESULT_CODE({}", v);
        if self.ctx.vflag() > 0 {
            let dict = match msg {
                MSGTYPE_SCCRP => Some(SCCRP_STR),
                MSGTYPE_STOPCCRP | MSGTYPE_ECHORP => Some(ECHORP_STR),
                MSGTYPE_OCRP => Some(OCRP_STR),
                MSGTYPE_ICRP => Some(ICRP_STR),
                MSGTYPE_CDN => Some(CDN_STR),
                _ => None,
            };
            if let Some(d) = dict {
                pr!(self.ctx, ":{}", tok(d, v as u32).unwrap_or("?"));
            }
        }
        self.ctx.push(")");
        Ok(())
    }
    fn err_code(&mut self, off: usize) -> PResult {
        let v = self.u8(off)?;
        pr!(self.ctx, " ERR_CODE({}", v);
        if self.ctx.vflag() > 0 {
            pr!(self.ctx, ":{}", tok(ERRCODE_STR, v as u32).unwrap_or("?"));
        }
        self.ctx.push(")");
        Ok(())
    }
}

/// A PPTP control message (`pptp_print`): prints ": pptp ..." after the TCP header.
pub fn pptp_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.protocol = "pptp";
    ctx.push(": pptp");
    if ctx.vflag() > 0 {
        pr!(ctx, " Length={}", p.be_u16(0)?);
        match p.be_u16(2)? {
            1 => ctx.push(" CTRL-MSG"),
            2 => ctx.push(" MGMT-MSG"),
            _ => ctx.push(" UNKNOWN-MSG-TYPE"),
        }
    }
    let mc = p.be_u32(4)?;
    if mc != PPTP_MAGIC_COOKIE {
        pr!(ctx, " UNEXPECTED Magic-Cookie!!({:08x})", mc);
    }
    if ctx.vflag() > 0 || mc != PPTP_MAGIC_COOKIE {
        pr!(ctx, " Magic-Cookie={:08x}", mc);
    }
    let ty = p.be_u16(8)?;
    match MESSAGE_TYPE_STRING.get(ty as usize) {
        Some(n) => pr!(ctx, " CTRL_MSGTYPE={}", n),
        None => pr!(ctx, " UNKNOWN_CTRL_MSGTYPE({})", ty),
    }
    let r = p.be_u16(10)?;
    if r != 0 {
        pr!(ctx, " [ERROR: reserved={} must be zero]", r);
    }
    let mut m = Msg {
        ctx,
        d: tail(p, 12),
    };
    match ty {
        1 => {
            m.proto_ver(0)?;
            m.reserved16(2)?;
            m.framing_cap(4)?;
            m.bearer_cap(8)?;
            m.num16("MAX_CHAN", 12)?;
            m.num16("FIRM_REV", 14)?;
            m.string("HOSTNAME", 16, 64)?;
            m.string("VENDOR", 80, 64)?;
        }
        2 => {
            m.proto_ver(0)?;
            m.result_code(2, MSGTYPE_SCCRP)?;
            m.err_code(3)?;
            m.framing_cap(4)?;
            m.bearer_cap(8)?;
            m.num16("MAX_CHAN", 12)?;
            m.num16("FIRM_REV", 14)?;
            m.string("HOSTNAME", 16, 64)?;
            m.string("VENDOR", 80, 64)?;
        }
        3 => {
            let reason = m.u8(0)?;
            pr!(m.ctx, " REASON({}", reason);
            if m.ctx.vflag() > 0 {
                m.ctx.push(match reason {
                    1 => ":None",
                    2 => ":Stop-Protocol",
                    3 => ":Stop-Local-Shutdown",
                    _ => ":?",
                });
            }
            m.ctx.push(")");
            m.reserved8(1)?;
            m.reserved16(2)?;
        }
        4 => {
            m.result_code(0, MSGTYPE_STOPCCRP)?;
            m.err_code(1)?;
            m.reserved16(2)?;
        }
        5 => m.num32("ID", 0)?,
        6 => {
            m.num32("ID", 0)?;
            m.result_code(4, MSGTYPE_ECHORP)?;
            m.err_code(5)?;
            m.reserved16(6)?;
        }
        7 => {
            m.num16("CALL_ID", 0)?;
            m.num16("CALL_SER_NUM", 2)?;
            m.num32("MIN_BPS", 4)?;
            m.num32("MAX_BPS", 8)?;
            m.bearer_type(12)?;
            m.framing_type(16)?;
            m.num16("RECV_WIN", 20)?;
            m.num16("PROC_DELAY", 22)?;
            let n = m.u16(24)?;
            m.num16("PHONE_NO_LEN", 24)?;
            m.reserved16(26)?;
            m.string("PHONE_NO", 28, (n as usize).min(64))?;
            m.string("SUB_ADDR", 92, 64)?;
        }
        8 => {
            m.num16("CALL_ID", 0)?;
            m.num16("PEER_CALL_ID", 2)?;
            m.result_code(4, MSGTYPE_OCRP)?;
            m.err_code(5)?;
            m.num16("CAUSE_CODE", 6)?;
            m.num32("CONN_SPEED", 8)?;
            m.num16("RECV_WIN", 12)?;
            m.num16("PROC_DELAY", 14)?;
            m.num32("PHY_CHAN_ID", 16)?;
        }
        9 => {
            m.num16("CALL_ID", 0)?;
            m.num16("CALL_SER_NUM", 2)?;
            m.bearer_type(4)?;
            m.num32("PHY_CHAN_ID", 8)?;
            let dialed = m.u16(12)?;
            m.num16("DIALED_NO_LEN", 12)?;
            let dialing = m.u16(14)?;
            m.num16("DIALING_NO_LEN", 14)?;
            m.string("DIALED_NO", 16, (dialed as usize).min(64))?;
            m.string("DIALING_NO", 80, (dialing as usize).min(64))?;
            m.string("SUB_ADDR", 144, 64)?;
        }
        10 => {
            m.num16("CALL_ID", 0)?;
            m.num16("PEER_CALL_ID", 2)?;
            m.result_code(4, MSGTYPE_ICRP)?;
            m.err_code(5)?;
            m.num16("RECV_WIN", 6)?;
            m.num16("PROC_DELAY", 8)?;
            m.reserved16(10)?;
        }
        11 => {
            m.num16("PEER_CALL_ID", 0)?;
            m.reserved16(2)?;
            m.num32("CONN_SPEED", 4)?;
            m.num16("RECV_WIN", 8)?;
            m.num16("PROC_DELAY", 10)?;
            m.framing_type(12)?;
        }
        12 => {
            m.num16("CALL_ID", 0)?;
            m.reserved16(2)?;
        }
        13 => {
            m.num16("CALL_ID", 0)?;
            m.result_code(2, MSGTYPE_CDN)?;
            m.err_code(3)?;
            m.num16("CAUSE_CODE", 4)?;
            m.reserved16(6)?;
            m.string("CALL_STATS", 8, 128)?;
        }
        14 => {
            m.num16("PEER_CALL_ID", 0)?;
            m.reserved16(2)?;
            m.num32("CRC_ERR", 4)?;
            m.num32("FRAMING_ERR", 8)?;
            m.num32("HARDWARE_OVERRUN", 12)?;
            m.num32("BUFFER_OVERRUN", 16)?;
            m.num32("TIMEOUT_ERR", 20)?;
            m.num32("ALIGN_ERR", 24)?;
        }
        15 => {
            m.num16("PEER_CALL_ID", 0)?;
            m.reserved16(2)?;
            let s = m.u32(4)?;
            pr!(m.ctx, " SEND_ACCM(0x{:08x})", s);
            let r = m.u32(8)?;
            pr!(m.ctx, " RECV_ACCM(0x{:08x})", r);
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{opts, run_with};

    fn run(p: &[u8], verbose: u8) -> (String, PResult) {
        run_with(&opts(verbose, false), |ctx| pptp_print(ctx, p))
    }

    const SLI: &[u8] = &[
        0, 24, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 15, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff,
    ];

    #[test]
    fn set_link_info() {
        assert_eq!(
            run(SLI, 0).0,
            ": pptp CTRL_MSGTYPE=SLI PEER_CALL_ID(0) SEND_ACCM(0xffffffff) RECV_ACCM(0xffffffff)"
        );
        assert!(
            run(SLI, 1)
                .0
                .starts_with(": pptp Length=24 CTRL-MSG Magic-Cookie=1a2b3c4d CTRL_MSGTYPE=SLI")
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        for n in 0..SLI.len() {
            assert!(run(&SLI[..n], 1).1.is_err());
        }
    }
}
