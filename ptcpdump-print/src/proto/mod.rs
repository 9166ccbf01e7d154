//! Protocol printers, one module per protocol, named after tcpdump's `print-*.c` files.
//!
//! # How a printer looks
//!
//! ```ignore
//! //! FOO (RFC 9999).
//! use super::{Ctx, pr};
//! use crate::cursor::PResult;
//!
//! /// `p`: the captured bytes from the start of the FOO header to the end of the capture
//! /// (tcpdump's `bp` .. `ndo_snapend`); `length`: the on-the-wire length from there.
//! pub fn foo_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
//!     ctx.protocol = "foo";                 // ndo->ndo_protocol: used by " [|foo]"
//!     let kind = p.be_u16(0)?;              // GET_BE_U_2(bp): `?` = longjmp on truncation
//!     pr!(ctx, "FOO {}, length {}", kind, length);   // ND_PRINT
//!     Ok(())
//! }
//! ```
//!
//! * Reads go through [`crate::cursor::Bytes`] / [`crate::cursor::Cursor`]; a failed read returns
//!   `Err(Truncated)` and `?` carries it up to [`crate::Printer::print`], which prints
//!   ` [|<ctx.protocol>]` exactly like tcpdump's `nd_trunc_longjmp`. Where tcpdump has a local
//!   `trunc:` label (prints the marker itself and returns normally), match on the error instead.
//!   The difference is visible: a longjmp also forgets the link-layer header length, so `-x`,
//!   `-X` and `-A` then dump the whole packet. In tcpdump, `GET_*` macros always longjmp,
//!   `ND_TCHECK_*` longjmp only in files that define `ND_LONGJMP_FROM_TCHECK` (print-ether.c,
//!   print-arp.c, print-sll.c, print-null.c, ...) and otherwise `goto trunc`.
//! * Mind C's evaluation order: tcpdump formats a whole `ND_PRINT` after reading all its
//!   arguments, so a field that turns out truncated prints nothing of that call.
//! * `nd_push_snaplen(bp, len)` is `let p = &p[..p.len().min(len)]`.
//! * Name tables are `const` slices of `(value, name)` searched with [`tok2str`] /
//!   [`bittok2str`] (tcpdump's `tok2str`, `bittok2str`, `bittok2str_nosep`).
//! * Print with [`pr!`] (`write!` into `ctx.out`); never allocate per packet when avoidable.
//! * Put unit tests (static byte arrays, and a "truncated at every offset" check that must not
//!   panic) at the bottom of the file. `testutil` (test builds only) has the helpers:
//!   `run_with`/`run_marked` run a printer on a fresh [`Ctx`], `print_packet(s)` go through
//!   [`crate::Printer`], `assert_every_truncation_is_safe` feeds every prefix of a packet.
//!
//! # Adding a protocol
//!
//! 1. Create `proto/foo.rs` (RFC reference first, then tables, then printers, then tests).
//! 2. Add `pub mod foo;` below.
//! 3. Add ONE line in the matching dispatch point:
//!    * link-layer type: [`link_print`] (this file),
//!    * Ethernet type: [`ethertype_print`] (this file),
//!    * IP protocol / IPv6 next header: [`ip_demux_print`] (this file),
//!    * UDP port: [`udp_port_print`] (this file; order matters, it mirrors print-udp.c),
//!    * TCP port: [`tcp_port_print`] (this file; mirrors print-tcp.c).
//!    * LLC SAP / SNAP OUI and protocol ID: `sap_dispatch` and `snap_print` in llc.rs.
//!
//! # Checking a printer
//!
//! * `cargo build --release -p ptcpdump-print --example print` builds a minimal
//!   `tcpdump -n -r FILE [flags]` (no filters) over this crate alone; run the corpus with
//!   `/work/shared/conformance/run.sh target/release/examples/print`.
//! * `make fuzz FUZZ_MINUTES=N` fuzzes every printer through every link type
//!   (`ptcpdump-print/fuzz`, target `print_links`; see its README). Its corpus, turned into
//!   pcap files, is also a good differential test against tcpdump.
//!
//! Cross-packet state a printer needs (like TCP's relative sequence numbers) goes into
//! [`State`].

use crate::PrintOptions;
use crate::cursor::PResult;

pub mod af;
pub mod ah;
pub mod ahcp;
pub mod aodv;
pub mod aoe;
pub mod arcnet;
pub mod arista;
pub mod arp;
pub mod atalk;
pub mod atm;
pub mod babel;
pub mod bcm_li;
pub mod bfd;
pub mod bgp;
pub mod bootp;
pub mod brcmtag;
pub mod calm_fast;
pub mod carp;
pub mod cdp;
pub mod cfm;
pub mod chdlc;
pub mod cip;
pub mod dccp;
pub mod decnet;
pub mod dhcp6;
pub mod dns;
pub mod dsa;
pub mod dtp;
pub mod dvmrp;
pub mod eap;
pub mod egp;
pub mod eigrp;
pub mod esp;
pub mod ether;
pub mod forces;
pub mod fr;
pub mod frag6;
pub mod ftp;
pub mod geneve;
pub mod geonet;
pub mod gmpls;
pub mod gre;
pub mod hncp;
pub mod hsrp;
pub mod http;
pub mod icmp;
pub mod icmp6;
pub mod ieee802_11;
pub mod ieee802_15_4;
pub mod igmp;
pub mod igrp;
pub mod ip;
pub mod ip6;
pub mod ip6opts;
pub mod ipcomp;
pub mod ipnet;
pub mod ipoib;
pub mod ipx;
pub mod isakmp;
pub mod isis;
pub mod isoclns;
pub mod juniper;
pub mod krb;
pub mod l2tp;
pub mod l2vpn;
pub mod ldp;
pub mod lisp;
pub mod llc;
pub mod lldp;
pub mod lmp;
pub mod loopback;
pub mod lspping;
pub mod lwres;
pub mod m3ua;
pub mod macsec;
pub mod mobile;
pub mod mobility;
pub mod mpls;
pub mod mptcp;
pub mod msnlb;
pub mod nflog;
pub mod nfs;
pub mod nsh;
pub mod ntp;
pub mod null;
pub mod olsr;
pub mod openflow;
pub mod openflow_1_0;
pub mod openflow_1_3;
pub mod ospf;
pub mod ospf6;
pub mod otv;
pub mod oui;
pub mod pgm;
pub mod pim;
pub mod pktap;
pub mod ppp;
pub mod pppoe;
pub mod pptp;
pub mod ptp;
pub mod radius;
pub mod resp;
pub mod rip;
pub mod ripng;
pub mod rpki_rtr;
pub mod rsvp;
pub mod rt6;
pub mod rtp;
pub mod rtsp;
pub mod rx;
pub mod sctp;
pub mod sflow;
pub mod sip;
pub mod sl;
pub mod sll;
pub mod slow;
pub mod smtp;
pub mod snmp;
pub mod someip;
pub mod ssh;
pub mod stp;
pub mod sunrpc;
pub mod syslog;
pub mod tcp;
pub mod telnet;
pub mod textutil;
pub mod tftp;
pub mod timed;
pub mod tipc;
pub mod udld;
pub mod udp;
pub mod util_print;
pub mod vqp;
pub mod vrrp;
pub mod vsock;
pub mod vtp;
pub mod vxlan;
pub mod vxlan_gpe;
pub mod wb;
pub mod whois;
pub mod zephyr;
pub mod zeromq;

#[cfg(test)]
pub(crate) mod testutil;

/// `ND_PRINT`: formatted output into the packet's text.
#[macro_export]
macro_rules! pr {
    ($ctx:expr, $($arg:tt)*) => {{
        use ::std::fmt::Write as _;
        let _ = ::std::write!($ctx.out, $($arg)*);
    }};
}
pub use crate::pr;

/// Per-packet printing context (tcpdump's `netdissect_options` plus the output sink).
pub struct Ctx<'a> {
    /// The packet's text is appended here.
    pub out: &'a mut String,
    pub opts: &'a PrintOptions,
    /// State kept across packets.
    pub state: &'a mut State,
    /// `ndo_protocol`: the name printed by ` [|proto]` if the packet turns out truncated.
    pub protocol: &'static str,
}

/// State kept across packets (tcpdump keeps these in static variables).
#[derive(Default)]
pub struct State {
    /// TCP relative sequence numbers, per connection.
    pub tcp_seq: tcp::SeqTable,
    /// IKEv1 initiator cookies (isakmp.rs).
    pub isakmp: isakmp::CookieCache,
    /// Van Jacobson compressed SLIP: last connection and lengths (sl.rs).
    pub slip: sl::SlipState,
    /// NFS calls, to decode their replies (nfs.rs).
    pub nfs: nfs::XidMap,
    /// Rx calls, to decode their replies (rx.rs).
    pub rx: rx::CallCache,
}

impl<'a> Ctx<'a> {
    pub fn new(out: &'a mut String, opts: &'a PrintOptions, state: &'a mut State) -> Self {
        Ctx {
            out,
            opts,
            state,
            protocol: "",
        }
    }
    /// `-v` count.
    #[inline]
    pub fn vflag(&self) -> u8 {
        self.opts.verbose
    }
    /// `-e`.
    #[inline]
    pub fn eflag(&self) -> bool {
        self.opts.link_header
    }
    /// `-q`.
    #[inline]
    pub fn qflag(&self) -> bool {
        self.opts.quiet
    }
    /// `ndo_suppress_default_print`: set by -q, -x and -X (not -A).
    #[inline]
    pub fn suppress_default_print(&self) -> bool {
        self.opts.quiet || self.opts.hex > 0 || self.opts.hex_ascii > 0
    }
    #[inline]
    pub fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }
    /// `nd_print_trunc`: ` [|proto]`.
    pub fn print_trunc(&mut self) {
        self.out.push_str(" [|");
        self.out.push_str(self.protocol);
        self.out.push(']');
    }
    /// `nd_print_invalid`: ` (invalid)`.
    pub fn print_invalid(&mut self) {
        self.out.push_str(" (invalid)");
    }
    /// `ND_DEFAULTPRINT`: hex and ASCII dump of `length` bytes (truncation is an error).
    pub fn default_print(&mut self, p: &[u8], length: u32) -> PResult {
        crate::dump::hex_and_ascii_print(self.out, "\n\t", p, length as usize, 0)
    }
    /// Appends an IPv4/IPv6 address.
    #[inline]
    pub fn ip(&mut self, a: &[u8]) {
        crate::addr::push_ip(self.out, a)
    }
    /// Appends a MAC address.
    #[inline]
    pub fn mac(&mut self, a: &[u8]) {
        crate::addr::push_mac(self.out, a)
    }
}

/// `tok2str`: the name of `v` in `table`, or `None`.
#[inline]
pub fn tok(table: &[(u32, &'static str)], v: u32) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, n)| *n)
}

/// `tok2str(table, "fmt %u", v)`: appends the name of `v`, or `default` formatted with `v`
/// (`default` may contain one `{}` placeholder for the decimal value, or `{:x}`/`{:04x}` ...:
/// use [`tok2str_with`] for anything else).
pub fn tok2str(out: &mut String, table: &[(u32, &'static str)], default: &str, v: u32) {
    match tok(table, v) {
        Some(n) => out.push_str(n),
        None => push_fmt_u32(out, default, v),
    }
}

/// Like [`tok2str`] with a closure for the unknown case.
pub fn tok2str_with(
    out: &mut String,
    table: &[(u32, &'static str)],
    v: u32,
    unknown: impl FnOnce(&mut String),
) {
    match tok(table, v) {
        Some(n) => out.push_str(n),
        None => unknown(out),
    }
}

/// Substitutes the first `{}` (decimal), `{:x}` or `{:0Nx}` in `fmt` with `v`.
fn push_fmt_u32(out: &mut String, fmt: &str, v: u32) {
    use std::fmt::Write;
    let Some(start) = fmt.find('{') else {
        out.push_str(fmt);
        return;
    };
    let Some(len) = fmt[start..].find('}') else {
        out.push_str(fmt);
        return;
    };
    let spec = &fmt[start + 1..start + len];
    out.push_str(&fmt[..start]);
    match spec {
        "" => {
            let _ = write!(out, "{v}");
        }
        ":x" => {
            let _ = write!(out, "{v:x}");
        }
        s if s.starts_with(":0") && s.ends_with('x') => {
            let w: usize = s[2..s.len() - 1].parse().unwrap_or(0);
            let _ = write!(out, "{v:0w$x}");
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
    out.push_str(&fmt[start + len + 1..]);
}

/// `bittok2str` (`sep` = ", ") / `bittok2str_nosep` (`sep` = ""): the names of the bits set in
/// `v`, in table order, or `none` when no bit matches.
pub fn bittok2str(out: &mut String, table: &[(u32, &'static str)], none: &str, v: u32, sep: &str) {
    let mut first = true;
    for &(bit, name) in table {
        if bit != 0 && v & bit == bit {
            if !first {
                out.push_str(sep);
            }
            out.push_str(name);
            first = false;
        }
    }
    if first {
        push_fmt_u32(out, none, v);
    }
}

// ---------------------------------------------------------------------------------------------
// Link-layer types (LINKTYPE_* values as stored in pcap/pcapng files).

pub const LINKTYPE_NULL: u32 = 0;
pub const LINKTYPE_ETHERNET: u32 = 1;
pub const LINKTYPE_RAW: u32 = 101;
pub const LINKTYPE_LOOP: u32 = 108;
pub const LINKTYPE_LINUX_SLL: u32 = 113;
pub const LINKTYPE_IPV4: u32 = 228;
pub const LINKTYPE_IPV6: u32 = 229;
pub const LINKTYPE_LINUX_SLL2: u32 = 276;
pub const LINKTYPE_NFLOG: u32 = 239;

/// DISPATCH POINT: link-layer type -> printer (tcpdump's `printers[]` table in print.c).
/// `p` is the captured packet, `len` its on-the-wire length. Returns the link-layer header
/// length (what `-x`/`-X`/`-A` skip).
pub fn link_print(ctx: &mut Ctx, linktype: u32, p: &[u8], len: u32) -> PResult<u32> {
    match link_known_print(ctx, linktype, p, len) {
        Some(r) => r,
        None => {
            // print-unsupported.c: the protocol name in capitals, then the whole packet.
            ctx.protocol = "unsupported";
            ctx.push("UNSUPPORTED");
            ctx.default_print(p, p.len() as u32)?;
            Ok(0)
        }
    }
}

/// [`link_print`] for a link type that has a printer; `None` (nothing printed) for the others
/// (tcpdump's `lookup_printer`).
pub fn link_known_print(ctx: &mut Ctx, linktype: u32, p: &[u8], len: u32) -> Option<PResult<u32>> {
    Some(match linktype {
        LINKTYPE_ETHERNET => ether::ether_if_print(ctx, p, len),
        LINKTYPE_LINUX_SLL => sll::sll_if_print(ctx, p, len),
        LINKTYPE_LINUX_SLL2 => sll::sll2_if_print(ctx, p, len),
        LINKTYPE_RAW | LINKTYPE_IPV4 | LINKTYPE_IPV6 => null::raw_if_print(ctx, p, len),
        LINKTYPE_NULL | LINKTYPE_LOOP => null::null_if_print(ctx, p, len),
        LINKTYPE_NFLOG => nflog::nflog_if_print(ctx, p, len),
        9 | 166 => ppp::ppp_if_print(ctx, p, len),
        50 => ppp::ppp_hdlc_if_print(ctx, p, len),
        104 => chdlc::chdlc_if_print(ctx, p, len),
        105 => ieee802_11::ieee802_11_if_print(ctx, p, len),
        106 => cip::cip_if_print(ctx, p, len),
        107 => fr::fr_if_print(ctx, p, len),
        51 => pppoe::pppoe_if_print(ctx, p, len),
        7 => arcnet::arcnet_if_print(ctx, p, len),
        8 => sl::sl_if_print(ctx, p, len),
        // A file's link type 11 is DLT_ATM_RFC1483 itself, which libpcap passes through.
        11 | 100 => atm::atm_if_print(ctx, p, len),
        102 => sl::sl_bsdos_if_print(ctx, p, len),
        123 => atm::sunatm_if_print(ctx, p, len),
        127 => ieee802_11::ieee802_11_radio_if_print(ctx, p, len),
        114 => atalk::ltalk_if_print(ctx, p, len),
        119 => ieee802_11::prism_if_print(ctx, p, len),
        129 => arcnet::arcnet_linux_if_print(ctx, p, len),
        130 => juniper::juniper_mlppp_if_print(ctx, p, len),
        131 => juniper::juniper_mlfr_if_print(ctx, p, len),
        132 => juniper::juniper_es_if_print(ctx, p, len),
        133 => juniper::juniper_ggsn_if_print(ctx, p, len),
        134 => juniper::juniper_mfr_if_print(ctx, p, len),
        135 => juniper::juniper_atm2_if_print(ctx, p, len),
        136 => juniper::juniper_services_if_print(ctx, p, len),
        137 => juniper::juniper_atm1_if_print(ctx, p, len),
        163 => ieee802_11::ieee802_11_radio_avs_if_print(ctx, p, len),
        164 => juniper::juniper_monitor_if_print(ctx, p, len),
        167 => juniper::juniper_pppoe_if_print(ctx, p, len),
        168 => juniper::juniper_pppoe_atm_if_print(ctx, p, len),
        178 => juniper::juniper_ether_if_print(ctx, p, len),
        179 => juniper::juniper_ppp_if_print(ctx, p, len),
        180 => juniper::juniper_frelay_if_print(ctx, p, len),
        181 => juniper::juniper_chdlc_if_print(ctx, p, len),
        226 => ipnet::ipnet_if_print(ctx, p, len),
        242 => ipoib::ipoib_if_print(ctx, p, len),
        149 | 258 => pktap::pktap_if_print(ctx, p, len),
        182 => fr::mfr_if_print(ctx, p, len),
        195 | 230 => ieee802_15_4::ieee802_15_4_if_print(ctx, p, len),
        283 => ieee802_15_4::ieee802_15_4_tap_if_print(ctx, p, len),
        271 => vsock::vsock_if_print(ctx, p, len),
        281 => brcmtag::brcm_tag_if_print(ctx, p, len),
        282 => brcmtag::brcm_tag_prepend_if_print(ctx, p, len),
        284 => dsa::dsa_if_print(ctx, p, len),
        285 => dsa::edsa_if_print(ctx, p, len),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Ethernet types.

/// DISPATCH POINT: Ethernet type -> printer (tcpdump's `ethertype_print` in print-ether.c).
/// `length` is the on-the-wire length from `p`, `caplen` the captured length (`p.len()`).
/// Returns `Ok(false)` for an unknown type (the caller then prints the raw packet).
pub fn ethertype_print(
    ctx: &mut Ctx,
    ether_type: u16,
    p: &[u8],
    length: u32,
    caplen: u32,
) -> PResult<bool> {
    ethertype_src_print(ctx, ether_type, p, length, caplen, None)
}

/// [`ethertype_print`] for a frame whose link-layer source address `src` is known (Ethernet
/// and LLC pass it, GeoNet and CALM FAST print it; tcpdump's `lladdr_info`).
pub fn ethertype_src_print(
    ctx: &mut Ctx,
    ether_type: u16,
    p: &[u8],
    length: u32,
    caplen: u32,
    src: Option<&[u8]>,
) -> PResult<bool> {
    match ether_type {
        ether::ETHERTYPE_IP => ip::ip_print(ctx, p, length)?,
        ether::ETHERTYPE_IPV6 => ip6::ip6_print(ctx, p, length)?,
        ether::ETHERTYPE_ARP | ether::ETHERTYPE_REVARP => arp::arp_print(ctx, p, length)?,
        0x8137 => {
            ctx.push("(NOV-ETHII) ");
            ipx::ipx_print(ctx, p, length)?
        }
        0x88cc => lldp::lldp_print(ctx, p, length)?,
        0x894f => nsh::nsh_print(ctx, p, length)?,
        0x888e => eap::eapol_print(ctx, p)?,
        0x8809 => slow::slow_print(ctx, p, length)?,
        0x8863 | 0x8864 => _ = pppoe::pppoe_print(ctx, p, length)?,
        0x880b => {
            if length > 0 {
                ctx.push(": ");
                ppp::ppp_print(ctx, p, length)?;
            }
        }
        0x8847 | 0x8848 => mpls::mpls_print(ctx, p, length)?,
        0x88ca => tipc::tipc_print(ctx, p)?,
        0x88f7 => ptp::ptp_print(ctx, p, length)?,
        0x0707 | 0x8947 => geonet::geonet_print(ctx, p, length, src)?,
        0x1111 => calm_fast::calm_fast_print(ctx, p, length, src)?,
        0x6003 => decnet::decnet_print(ctx, p, length)?,
        0x809b => {
            if ctx.vflag() > 0 {
                ctx.push("et1 ");
            }
            atalk::atalk_print(ctx, p, length)?
        }
        0x80f3 => atalk::aarp_print(ctx, p, length)?,
        0x886f => msnlb::msnlb_print(ctx, p)?,
        0x88a2 => aoe::aoe_print(ctx, p, length)?,
        0x9000 => loopback::loopback_print(ctx, p, length)?,
        0x8902 | 0xabcd => cfm::cfm_print(ctx, p, length)?,
        0xfefe => {
            // An unexplained octet precedes the NLPID.
            if length == 0 || caplen == 0 {
                ctx.protocol = "isoclns";
                ctx.print_trunc();
            } else {
                isoclns::isoclns_print(ctx, util_print::tail(p, 1), length - 1)?;
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// IP protocols.

/// What upper layers need to know about the enclosing IPv4/IPv6 header (tcpdump's `bp2`).
#[derive(Clone, Copy, Debug)]
pub struct IpHdr<'a> {
    /// 4 or 6.
    pub ver: u8,
    /// Source address (4 or 16 bytes).
    pub src: &'a [u8],
    /// Destination address (4 or 16 bytes).
    pub dst: &'a [u8],
    /// Destination for pseudo-header checksums (the last hop of a source route / routing header).
    pub cksum_dst: &'a [u8],
    /// Protocol / next header field of the fixed header (`ip_p` / `ip6_nxt`): TCP and UDP
    /// print addresses only when it is their own protocol.
    pub nh: u8,
    /// IPv4 total length minus header length / IPv6 payload length (for TCP-MD5).
    pub payload_len: u32,
}

pub const IPPROTO_HOPOPTS: u8 = 0;
pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_IGMP: u8 = 2;
pub const IPPROTO_IPV4: u8 = 4;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;
pub const IPPROTO_DCCP: u8 = 33;
pub const IPPROTO_IPV6: u8 = 41;
pub const IPPROTO_ROUTING: u8 = 43;
pub const IPPROTO_FRAGMENT: u8 = 44;
pub const IPPROTO_GRE: u8 = 47;
pub const IPPROTO_ESP: u8 = 50;
pub const IPPROTO_AH: u8 = 51;
pub const IPPROTO_ICMPV6: u8 = 58;
pub const IPPROTO_NONE: u8 = 59;
pub const IPPROTO_DSTOPTS: u8 = 60;
pub const IPPROTO_SCTP: u8 = 132;
pub const IPPROTO_MOBILITY: u8 = 135;

/// tcpdump's `ipproto_values`.
pub const IPPROTO_VALUES: &[(u32, &str)] = &[
    (0, "Options"),
    (1, "ICMP"),
    (2, "IGMP"),
    (4, "IPIP"),
    (6, "TCP"),
    (8, "EGP"),
    (9, "IGRP"),
    (17, "UDP"),
    (33, "DCCP"),
    (41, "IPv6"),
    (43, "Routing"),
    (44, "Fragment"),
    (46, "RSVP"),
    (47, "GRE"),
    (50, "ESP"),
    (51, "AH"),
    (55, "Mobile IP"),
    (58, "ICMPv6"),
    (62, "Mobile IP (old)"),
    (88, "EIGRP"),
    (89, "OSPF"),
    (103, "PIM"),
    (108, "Compressed IP"),
    (112, "VRRP"),
    (113, "PGM"),
    (132, "SCTP"),
    (135, "Mobility"),
    (143, "Ethernet"),
];

/// DISPATCH POINT: IP protocol / IPv6 next header -> printer (tcpdump's print-ip-demux.c).
/// `p`: captured bytes of the payload; `length`: payload length; `fragmented`: not the first
/// fragment or more fragments follow (disables checksum checks); `ttl_hl`: TTL / hop limit.
pub fn ip_demux_print(
    ctx: &mut Ctx,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
    fragmented: bool,
    ttl_hl: u8,
    nh: u8,
) -> PResult {
    match nh {
        IPPROTO_TCP => tcp::tcp_print(ctx, p, length, ip, fragmented),
        IPPROTO_UDP => udp::udp_print(ctx, p, length, ip, fragmented, ttl_hl),
        IPPROTO_ICMP if ip.ver == 4 => icmp::icmp_print(ctx, p, length, ip, fragmented),
        IPPROTO_IGMP if ip.ver == 4 => igmp::igmp_print(ctx, p, length),
        IPPROTO_ICMPV6 if ip.ver == 6 => icmp6::icmp6_print(ctx, p, length, ip, fragmented),
        IPPROTO_AH => ah::ah_demux(ctx, p, length, ip, fragmented, ttl_hl),
        46 => rsvp::rsvp_print(ctx, p, length),
        103 => pim::pim_print(ctx, p, length, ip),
        143 if ip.ver == 6 => ether::ether_print(ctx, p, length, p.len() as u32).map(|_| ()),
        IPPROTO_IPV4 => ip::ip_print(ctx, p, length),
        IPPROTO_IPV6 => ip6::ip6_print(ctx, p, length),
        IPPROTO_GRE => gre::gre_print(ctx, p, length),
        IPPROTO_ESP => esp::esp_print(ctx, p, length, ip, fragmented, ttl_hl),
        IPPROTO_SCTP => sctp::sctp_print(ctx, p, length, ip),
        IPPROTO_DCCP => dccp::dccp_print(ctx, p, length, ip),
        113 => pgm::pgm_print(ctx, p, length, ip),
        8 => egp::egp_print(ctx, p, length),
        112 if ctx.opts.packet_type == Some(crate::PacketType::Carp) => {
            carp::carp_print(ctx, p, length, ttl_hl)
        }
        112 => vrrp::vrrp_print(ctx, p, length, ip, ttl_hl),
        108 => ipcomp::ipcomp_print(ctx, p),
        55 => mobile::mobile_print(ctx, p, length),
        9 => igrp::igrp_print(ctx, p, length),
        88 => eigrp::eigrp_print(ctx, p, length),
        89 if ip.ver == 6 => ospf6::ospf6_print(ctx, p, length),
        89 => ospf::ospf_print(ctx, p, length),
        IPPROTO_ICMP | IPPROTO_IGMP if ip.ver != 4 => {
            pr!(
                ctx,
                "[{} requires IPv4]",
                tok(IPPROTO_VALUES, nh as u32).unwrap_or("unknown")
            );
            ctx.print_invalid();
            Ok(())
        }
        IPPROTO_ICMPV6 | 143 if ip.ver != 6 => {
            pr!(
                ctx,
                "[{} requires IPv6]",
                tok(IPPROTO_VALUES, nh as u32).unwrap_or("unknown")
            );
            ctx.print_invalid();
            Ok(())
        }
        IPPROTO_NONE => {
            ctx.push("no next header");
            Ok(())
        }
        // IPPROTO_ND: Sun's "network disk" protocol.
        77 => {
            pr!(ctx, " nd {}", length);
            Ok(())
        }
        _ => {
            pr!(ctx, " ip-proto-{} {}", nh, length);
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// UDP and TCP ports.

/// DISPATCH POINT: UDP payload by port (the `IS_SRC_OR_DST_PORT` chain of print-udp.c), called
/// after the addresses and ports were printed, only without `-q`. `p`/`length`: the payload.
/// Returns `Ok(false)` when no printer claims the ports (then `UDP, length N` is printed).
#[expect(
    clippy::too_many_arguments,
    reason = "tcpdump's udp_print context: ports, payload, IP header, fragment flag, TTL"
)]
pub fn udp_port_print(
    ctx: &mut Ctx,
    sport: u16,
    dport: u16,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
    fragmented: bool,
    ttl_hl: u8,
) -> PResult<bool> {
    let _ = (ip, fragmented);
    let port = |n: u16| sport == n || dport == n;
    // tcpdump's order; the first match wins. Replace a `return Ok(false)` by the printer call
    // (followed by `return Ok(true)`) when adding it. Ports are print-udp.c's.
    if port(53) {
        dns::domain_print(ctx, p, length, false, false)?;
        return Ok(true);
    } else if port(5353) {
        dns::domain_print(ctx, p, length, false, true)?;
        return Ok(true);
    } else if port(525) {
        timed::timed_print(ctx, p)?;
        return Ok(true);
    } else if port(69) {
        tftp::tftp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(68) || port(67) {
        bootp::bootp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(520) {
        rip::rip_print(ctx, p, length)?;
        return Ok(true);
    } else if port(654) {
        aodv::aodv_print(ctx, p, length, ip.ver == 6)?;
        return Ok(true);
    } else if port(500) {
        isakmp::isakmp_print(ctx, p, length, Some(ip))?;
        return Ok(true);
    } else if port(4500) {
        esp::rfc3948_print(ctx, p, length, ip, fragmented, ttl_hl)?;
        return Ok(true);
    } else if port(7500) || port(8500) {
        isakmp::isakmp_print(ctx, p, length, Some(ip))?;
        return Ok(true);
    } else if port(161) || port(162) {
        snmp::snmp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(123) {
        ntp::ntp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(88) || port(750) {
        krb::krb_print(ctx, p)?;
        return Ok(true);
    } else if port(1701) {
        l2tp::l2tp_print(ctx, p, length)?;
        return Ok(true);
    } else if dport == 3456 {
        rtp::vat_print(ctx, p, length)?;
        return Ok(true);
    } else if port(2103) || port(2104) {
        zephyr::zephyr_print(ctx, p, length)?;
        return Ok(true);
    } else if (7000..=7009).contains(&sport) || (7000..=7009).contains(&dport) {
        rx::rx_print(ctx, p, length, sport, dport, ip)?;
        return Ok(true);
    } else if port(521) {
        ripng::ripng_print(ctx, p, length)?;
        return Ok(true);
    } else if port(547) || port(546) {
        dhcp6::dhcp6_print(ctx, p, length)?;
        return Ok(true);
    } else if port(5359) {
        ahcp::ahcp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(6696) || port(6697) {
        babel::babel_print(ctx, p, length)?;
        return Ok(true);
    } else if port(8231) {
        hncp::hncp_print(ctx, p, length)?;
        return Ok(true);
    } else if dport == 4567 {
        wb::wb_print(ctx, p, length)?;
        return Ok(true);
    } else if port(496) {
        pim::cisco_autorp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(1645) || port(1812) || port(1646) || port(1813) || port(1700) || port(3799) {
        radius::radius_print(ctx, p, length)?;
        return Ok(true);
    } else if dport == 1985 {
        hsrp::hsrp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(921) {
        lwres::lwres_print(ctx, p, length)?;
        return Ok(true);
    } else if port(646) {
        ldp::ldp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(698) {
        olsr::olsr_print(ctx, p, length, ip.ver == 6)?;
        return Ok(true);
    } else if port(3503) {
        lspping::lspping_print(ctx, p, length)?;
        return Ok(true);
    } else if sport == 49152 {
        bcm_li::bcm_li_print(ctx, p, length)?;
        return Ok(true);
    } else if dport == 3784 || dport == 4784 || dport == 6784 || dport == 3785 {
        bfd::bfd_print(ctx, p, length, dport)?;
        return Ok(true);
    } else if port(701) {
        lmp::lmp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(1589) {
        vqp::vqp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(6343) {
        sflow::sflow_print(ctx, p, length)?;
        return Ok(true);
    } else if dport == 12223 || sport == 12223 {
        // lwapp_control_print
    } else if port(12222) {
        // lwapp_data_print
    } else if port(5060) {
        sip::sip_print(ctx, p, length)?;
        return Ok(true);
    } else if port(514) {
        syslog::syslog_print(ctx, p, length)?;
        return Ok(true);
    } else if port(8472) {
        otv::otv_print(ctx, p, length)?;
        return Ok(true);
    } else if port(4789) {
        vxlan::vxlan_print(ctx, p, length)?;
        return Ok(true);
    } else if port(6081) {
        geneve::geneve_print(ctx, p, length)?;
        return Ok(true);
    } else if port(4342) {
        lisp::lisp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(4790) {
        vxlan_gpe::vxlan_gpe_print(ctx, p, length)?;
        return Ok(true);
    } else if port(17754) {
        // zep_print
    } else if port(6635) {
        mpls::mpls_print(ctx, p, length)?;
        return Ok(true);
    } else if port(319) || port(320) {
        // (after the AppleTalk kip check, which is not supported)
        ptp::ptp_print(ctx, p, length)?;
        return Ok(true);
    } else if port(30490) {
        someip::someip_print(ctx, p, length)?;
        return Ok(true);
    }
    Ok(false)
}

/// DISPATCH POINT: `-T TYPE` for UDP (the `ndo_packettype` switch of print-udp.c), tried
/// before the checksum and the port dispatch, also with `-q`. `p`/`length`: the payload.
/// Prints the addresses and ports itself (as the printer wants them). Returns `Ok(false)` when
/// the type's printer is not written yet: the packet is then printed as without `-T`. Add ONE
/// line per printer (replace its `return Ok(false)` arm).
pub fn udp_packettype_print(
    ctx: &mut Ctx,
    pt: crate::PacketType,
    sport: u16,
    dport: u16,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
) -> PResult<bool> {
    use crate::PacketType as T;
    let ports = Some((sport, dport));
    match pt {
        T::Vat => {
            udp::ipaddr_print(ctx, ip, ports);
            rtp::vat_print(ctx, p, length)?;
        }
        T::Wb => return Ok(false), // wb_print
        T::Rpc => sunrpc::rpc_print(ctx, p, length, ip)?,
        T::Rtp => {
            udp::ipaddr_print(ctx, ip, ports);
            rtp::rtp_print(ctx, p, length)?;
        }
        T::Rtcp => {
            udp::ipaddr_print(ctx, ip, ports);
            rtp::rtcp_packets_print(ctx, p)?;
        }
        T::Snmp => {
            udp::ipaddr_print(ctx, ip, ports);
            snmp::snmp_print(ctx, p, length)?;
        }
        T::Cnfp => return Ok(false), // cnfp_print
        T::Tftp => {
            udp::ipaddr_print(ctx, ip, ports);
            tftp::tftp_print(ctx, p, length)?;
        }
        T::Aodv => return Ok(false), // aodv_print (IPv6 or not)
        T::Radius => {
            udp::ipaddr_print(ctx, ip, ports);
            radius::radius_print(ctx, p, length)?;
        }
        T::Vxlan => {
            udp::ipaddr_print(ctx, ip, ports);
            vxlan::vxlan_print(ctx, p, length)?;
        }
        T::Pgm | T::PgmZmtp1 => {
            udp::ipaddr_print(ctx, ip, ports);
            pgm::pgm_print(ctx, p, length, ip)?;
        }
        T::Lmp => {
            udp::ipaddr_print(ctx, ip, ports);
            lmp::lmp_print(ctx, p, length)?;
        }
        T::Ptp => {
            udp::ipaddr_print(ctx, ip, ports);
            ptp::ptp_print(ctx, p, length)?;
        }
        T::Someip => {
            udp::ipaddr_print(ctx, ip, ports);
            someip::someip_print(ctx, p, length)?;
        }
        T::Domain => {
            udp::ipaddr_print(ctx, ip, ports);
            dns::domain_print(ctx, p, length, false, false)?;
        }
        // tcpdump has no UDP printer for these: nothing at all follows the IP header's text.
        T::Carp | T::Zmtp1 | T::Resp => {}
    }
    Ok(true)
}

/// DISPATCH POINT: `-T TYPE` for TCP (the `ndo_packettype` switch of print-tcp.c), tried
/// instead of the port dispatch when the segment carries data. Returns `Ok(false)` when the
/// type's printer is not written yet (the port dispatch then runs as without `-T`).
pub fn tcp_packettype_print(
    ctx: &mut Ctx,
    pt: crate::PacketType,
    p: &[u8],
    length: u32,
) -> PResult<bool> {
    use crate::PacketType as T;
    match pt {
        T::Zmtp1 => zeromq::zmtp1_print(ctx, p, length)?,
        T::Resp => resp::resp_print(ctx, p, length)?,
        T::Domain => dns::domain_print(ctx, p, length, true, false)?,
        // tcpdump's TCP switch has no case for the others: the payload is not printed.
        _ => {}
    }
    Ok(true)
}

/// DISPATCH POINT: TCP payload by port (the `IS_SRC_OR_DST_PORT` chain of print-tcp.c), called
/// when the segment carries data. `p`/`length`: the payload.
pub fn tcp_port_print(
    ctx: &mut Ctx,
    sport: u16,
    dport: u16,
    p: &[u8],
    length: u32,
    ip: &IpHdr,
) -> PResult {
    let _ = ip;
    let port = |n: u16| sport == n || dport == n;
    // tcpdump's order; the first match wins. Uncomment/replace a line when adding its printer.
    // Printers of text protocols (SMTP, WHOIS, FTP, HTTP, RTSP) get ": " printed first.
    if port(23) {
        telnet::telnet_print(ctx, p, length)?;
    } else if port(25) {
        ctx.push(": ");
        smtp::smtp_print(ctx, p, length)?;
    } else if port(43) {
        ctx.push(": ");
        whois::whois_print(ctx, p, length)?;
    } else if port(179) {
        bgp::bgp_print(ctx, p, length)?;
    } else if port(1723) {
        pptp::pptp_print(ctx, p)?;
    } else if port(6379) {
        resp::resp_print(ctx, p, length)?;
    } else if port(22) {
        ssh::ssh_print(ctx, p, length)?;
    } else if port(10288) {
        // beep_print
    } else if port(6633) || port(6653) {
        openflow::openflow_print(ctx, p, length)?;
    } else if port(21) {
        ctx.push(": ");
        ftp::ftp_print(ctx, p, length)?;
    } else if port(80) || port(8080) {
        ctx.push(": ");
        http::http_print(ctx, p, length)?;
    } else if port(554) || port(8554) {
        ctx.push(": ");
        rtsp::rtsp_print(ctx, p, length)?;
    } else if port(53) {
        dns::domain_print(ctx, p, length, true, false)?;
    } else if port(639) {
        // msdp_print
    } else if port(323) {
        rpki_rtr::rpki_rtr_print(ctx, p, length)?;
    } else if port(646) {
        ldp::ldp_print(ctx, p, length)?;
    } else if port(2049) {
        nfs::tcp_nfs_print(ctx, sport, dport, p, length, ip)?;
    }
    Ok(())
}

/// Internet checksum (RFC 1071) over several pieces, as tcpdump's `in_cksum`; 0 means correct.
pub fn in_cksum(pieces: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    let mut odd: Option<u8> = None;
    for piece in pieces {
        let mut d: &[u8] = piece;
        if let Some(hi) = odd.take() {
            if let Some((&lo, rest)) = d.split_first() {
                sum += u16::from_be_bytes([hi, lo]) as u64;
                d = rest;
            } else {
                odd = Some(hi);
                continue;
            }
        }
        let mut chunks = d.chunks_exact(8);
        for c in &mut chunks {
            sum += u16::from_be_bytes([c[0], c[1]]) as u64
                + u16::from_be_bytes([c[2], c[3]]) as u64
                + u16::from_be_bytes([c[4], c[5]]) as u64
                + u16::from_be_bytes([c[6], c[7]]) as u64;
        }
        let mut pairs = chunks.remainder().chunks_exact(2);
        for c in &mut pairs {
            sum += u16::from_be_bytes([c[0], c[1]]) as u64;
        }
        if let [b] = pairs.remainder() {
            odd = Some(*b);
        }
    }
    if let Some(hi) = odd {
        sum += (hi as u64) << 8;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// `in_cksum_shouldbe`: the checksum value that would have been correct.
pub fn in_cksum_shouldbe(sum: u16, computed: u16) -> u16 {
    let mut s = sum as u32 + computed as u32;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s as u16
}

/// Checksum of an upper-layer packet with the IPv4/IPv6 pseudo-header
/// (`nextproto4_cksum` / `nextproto6_cksum`).
pub fn nextproto_cksum(ip: &IpHdr, data: &[u8], len: u32, proto: u8) -> u16 {
    if ip.ver == 6 {
        let mut ph = [0u8; 40];
        ph[..16].copy_from_slice(ip.src);
        ph[16..32].copy_from_slice(ip.cksum_dst);
        ph[32..36].copy_from_slice(&len.to_be_bytes());
        ph[39] = proto;
        in_cksum(&[&ph, data])
    } else {
        let mut ph = [0u8; 12];
        ph[..4].copy_from_slice(ip.src);
        ph[4..8].copy_from_slice(ip.cksum_dst);
        ph[9] = proto;
        ph[10..12].copy_from_slice(&(len as u16).to_be_bytes());
        in_cksum(&[&ph, data])
    }
}

/// `print_unknown_data`: hex dump of up to `len` bytes (as many as were captured).
pub fn print_unknown_data(ctx: &mut Ctx, p: &[u8], ident: &str, len: u32) -> PResult {
    let n = (len as usize).min(p.len());
    crate::dump::hex_print(ctx.out, ident, p, n, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &[(u32, &str)] = &[(1, "F"), (2, "S"), (0x10, ".")];

    #[test]
    fn tables() {
        let mut s = String::new();
        tok2str(&mut s, T, "unknown-{}", 2);
        s.push(' ');
        tok2str(&mut s, T, "unknown-{}", 7);
        s.push(' ');
        tok2str(&mut s, T, "0x{:04x}", 7);
        s.push(' ');
        bittok2str(&mut s, T, "none", 0x13, "");
        s.push(' ');
        bittok2str(&mut s, T, "none", 0x13, ", ");
        s.push(' ');
        bittok2str(&mut s, T, "none", 0x20, "");
        assert_eq!(s, "S unknown-7 0x0007 FS. F, S, . none");
    }

    #[test]
    fn checksum() {
        // RFC 1071 example words: 0001 f203 f4f5 f6f7 -> sum ddf2 -> checksum 220d
        assert_eq!(
            in_cksum(&[&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]]),
            0x220d
        );
        // Split at odd boundaries gives the same result.
        assert_eq!(
            in_cksum(&[&[0x00], &[0x01, 0xf2], &[], &[0x03, 0xf4, 0xf5, 0xf6, 0xf7]]),
            0x220d
        );
        assert_eq!(in_cksum_shouldbe(0x1234, 0x0001), 0x1235);
    }
}
