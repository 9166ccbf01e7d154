//! Multipath TCP option (RFC 8684, RFC 6824); tcpdump's print-mptcp.c.
//!
//! STUB owned by the tier-2 helper: prints only the option length for now.

use super::{Ctx, pr};
use crate::cursor::PResult;

/// `opt`: the whole option (kind, length, data) as captured; `len`: its length field;
/// `flags`: the TCP flags. Returns `Ok(false)` for a malformed option (`[bad opt]`).
pub fn mptcp_print(ctx: &mut Ctx, opt: &[u8], len: u32, flags: u8) -> PResult<bool> {
    let _ = (opt, flags);
    pr!(ctx, " {}", len);
    Ok(true)
}
