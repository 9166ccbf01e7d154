//! Transparent Inter-Process Communication, TIPC version 2 (RFC draft
//! draft-spec-tipc-10, "TIPC: Transparent Inter Process Communication Protocol", sections 3.1
//! payload messages, 3.2 internal messages, 3.3 link configuration); tcpdump's print-tipc.c.
//! Ethernet type 0x88ca.
//!
//! ```text
//! word 0: version(3b) user(4b) header size(4b, words) ... message size(17b)
//! word 1: message type(3b) ... broadcast ack(16b)
//! payload: w2 link ack/seq, previous node, originating port, destination port,
//!          originating node, destination node (in headers of more than 6 words)
//! ```

use super::{Ctx, pr, tok2str};
use crate::cursor::{Bytes, PResult};

const USERS: &[(u32, &str)] = &[
    (0, "Low Importance Data payload"),
    (1, "Medium Importance Data payload"),
    (2, "High Importance Data payload"),
    (3, "Critical Importance Data payload"),
    (5, "Broadcast Link Protocol internal"),
    (6, "Message Bundler Protocol internal"),
    (7, "Link State Protocol internal"),
    (8, "Connection Manager internal"),
    (10, "Link Changeover Protocol internal"),
    (11, "Name Table Update Protocol internal"),
    (12, "Message Fragmentation Protocol internal"),
    (13, "Neighbor Detection Protocol internal"),
];

/// Payload message types as tcpdump names them (1 and 3 are swapped there).
const MESSAGE_TYPES: &[(u32, &str)] = &[
    (0, "CONN_MSG"),
    (1, "MCAST_MSG"),
    (2, "NAMED_MSG"),
    (3, "DIRECT_MSG"),
];

const LINK_CONFIG_TYPES: &[(u32, &str)] = &[(0, "Link request"), (1, "Link response")];

/// `zone.cluster.node`.
fn addr(ctx: &mut Ctx, a: u32) {
    pr!(ctx, "{}.{}.{}", a >> 24, (a >> 12) & 0xfff, a & 0xfff);
}

/// The common start of every header line: `TIPC v2.0 `.
fn version(ctx: &mut Ctx, w0: u32) {
    pr!(ctx, "TIPC v{}.0 ", (w0 >> 29) & 7);
}

/// The sizes, the user and the message type named from `types`.
fn sizes_user_type(ctx: &mut Ctx, w0: u32, w1: u32, types: &[(u32, &'static str)]) {
    pr!(
        ctx,
        ", headerlength {} bytes, MessageSize {} bytes, ",
        ((w0 >> 21) & 0xf) * 4,
        w0 & 0x1ffff
    );
    tok2str(ctx.out, USERS, "unknown", (w0 >> 25) & 0xf);
    ctx.push(", messageType ");
    tok2str(ctx.out, types, "Unknown", w1 >> 29);
}

/// A TIPC message at `p` (its lengths are not needed).
pub fn tipc_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    ctx.protocol = "tipc";
    let w0 = p.be_u32(0)?;
    match (w0 >> 25) & 0xf {
        0..=3 | 8 | 11 => payload_print(ctx, p),
        13 => link_config_print(ctx, p),
        5 | 6 | 7 | 10 | 12 => internal_print(ctx, p),
        _ => Ok(()),
    }
}

fn payload_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let w0 = p.be_u32(0)?;
    let w1 = p.be_u32(4)?;
    let prev_node = p.be_u32(12)?;
    let orig_port = p.be_u32(16)?;
    let dest_port = p.be_u32(20)?;
    if (w0 >> 21) & 0xf <= 6 {
        version(ctx, w0);
        addr(ctx, prev_node);
        pr!(ctx, ":{} > {}", orig_port, dest_port);
        sizes_user_type(ctx, w0, w1, MESSAGE_TYPES);
        return Ok(());
    }
    let orig_node = p.be_u32(24)?;
    let dest_node = p.be_u32(28)?;
    version(ctx, w0);
    addr(ctx, orig_node);
    pr!(ctx, ":{} > ", orig_port);
    addr(ctx, dest_node);
    pr!(ctx, ":{}", dest_port);
    sizes_user_type(ctx, w0, w1, MESSAGE_TYPES);
    if ctx.vflag() > 0 {
        let w2 = p.be_u32(8)?;
        ctx.push("\n\tPrevious Node ");
        addr(ctx, prev_node);
        pr!(
            ctx,
            ", Broadcast Ack {}, Link Ack {}, Link Sequence {}",
            w1 & 0xffff,
            w2 >> 16,
            w2 & 0xffff
        );
    }
    Ok(())
}

fn internal_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let w0 = p.be_u32(0)?;
    let w1 = p.be_u32(4)?;
    let orig_node = p.be_u32(24)?;
    let dest_node = p.be_u32(28)?;
    version(ctx, w0);
    addr(ctx, orig_node);
    ctx.push(" > ");
    addr(ctx, dest_node);
    sizes_user_type(ctx, w0, w1, MESSAGE_TYPES);
    pr!(ctx, " (0x{:08x})", w1);
    if ctx.vflag() > 0 {
        let w2 = p.be_u32(8)?;
        let prev_node = p.be_u32(12)?;
        let w4 = p.be_u32(16)?;
        let w5 = p.be_u32(20)?;
        let trans_seq = p.be_u32(32)?;
        let w9 = p.be_u32(36)?;
        ctx.push("\n\tPrevious Node ");
        addr(ctx, prev_node);
        pr!(
            ctx,
            ", Session No. {}, Broadcast Ack {}, Sequence Gap {},  Broadcast Gap After {}, \
             Broadcast Gap To {}, Last Sent Packet No. {}, Next sent Packet No. {}, Transport \
             Sequence {}, msg_count {}, Link Tolerance {}",
            w5 >> 16,
            w1 & 0xffff,
            (w1 >> 16) & 0x1fff,
            w2 >> 16,
            w2 & 0xffff,
            w4 >> 16,
            w4 & 0xffff,
            trans_seq,
            w9 >> 16,
            w9 & 0xffff
        );
    }
    Ok(())
}

fn link_config_print(ctx: &mut Ctx, p: &[u8]) -> PResult {
    let w0 = p.be_u32(0)?;
    let w1 = p.be_u32(4)?;
    let dest_domain = p.be_u32(8)?;
    let prev_node = p.be_u32(12)?;
    version(ctx, w0);
    addr(ctx, prev_node);
    ctx.push(" > ");
    addr(ctx, dest_domain);
    sizes_user_type(ctx, w0, w1, LINK_CONFIG_TYPES);
    if ctx.vflag() > 0 {
        let network_id = p.be_u32(16)?;
        let w5 = p.be_u32(20)?;
        pr!(
            ctx,
            "\n\tNodeSignature {}, network_id {}, media_id {}",
            w1 & 0xffff,
            network_id,
            w5 & 0xff
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{assert_every_truncation_is_safe, opts, run_marked, verbosities};

    /// A NAMED_MSG payload message with a 40-byte header.
    const NAMED: &[u8] = &[
        0x41, 0x42, 0x00, 0x28, 0x40, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x10,
        0x02, 0xd1, 0x50, 0xac, 0x62, 0x19, 0x47, 0xc2, 0x20, 0x01, 0x00, 0x10, 0x02, 0x01, 0x00,
        0x10, 0x02, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
    ];

    fn run(v: u8, p: &[u8]) -> String {
        run_marked(&opts(v, false), |ctx| tipc_print(ctx, p))
    }

    #[test]
    fn payload_message() {
        // tcpdump's huge-tipc-messages test, packet 1.
        assert_eq!(
            run(0, NAMED),
            "TIPC v2.0 1.1.2:3511725154 > 1.1.2:424133152, headerlength 40 bytes, MessageSize \
             40 bytes, Low Importance Data payload, messageType NAMED_MSG"
        );
        assert!(
            run(1, NAMED)
                .ends_with("\n\tPrevious Node 1.1.2, Broadcast Ack 0, Link Ack 0, Link Sequence 0")
        );
    }

    #[test]
    fn truncated_at_every_offset() {
        for user in [0u8, 5, 13, 4] {
            let mut m = NAMED.to_vec();
            m[0] = 0x41 | user << 1;
            assert_every_truncation_is_safe(&m, &verbosities(1), tipc_print);
        }
        assert_eq!(run(0, &NAMED[..20]), " [|tipc]");
    }
}
