//! RADIUS (RFC 2865, RFC 2866, RFC 2869, RFC 3162, RFC 3576/5176, RFC 4675...); tcpdump's
//! print-radius.c. Vendor-Specific attributes show the enterprise number without its name.

use super::eap;
use super::util_print::{print_unknown_data, printn, tail};
use super::{Ctx, bittok2str, ntp, pr, tok};
use crate::cursor::{Bytes, PResult};

const MIN_RADIUS_LEN: u32 = 20;

const RADIUS_COMMAND_VALUES: &[(u32, &str)] = &[
    (1, "Access-Request"),
    (2, "Access-Accept"),
    (3, "Access-Reject"),
    (4, "Accounting-Request"),
    (5, "Accounting-Response"),
    (11, "Access-Challenge"),
    (12, "Status-Server"),
    (13, "Status-Client"),
    (40, "Disconnect-Request"),
    (41, "Disconnect-ACK"),
    (42, "Disconnect-NAK"),
    (43, "CoA-Request"),
    (44, "CoA-ACK"),
    (45, "CoA-NAK"),
    (255, "Reserved"),
];

// Attribute codes with special formatting.
const FRM_IPADDR: u8 = 8;
const LOG_IPHOST: u8 = 14;
const FRM_IPX: u8 = 23;
const SESSION_TIMEOUT: u8 = 27;
const IDLE_TIMEOUT: u8 = 28;
const FRM_ATALK_LINK: u8 = 37;
const FRM_ATALK_NETWORK: u8 = 38;
const ACCT_DELAY: u8 = 41;
const ACCT_SESSION_TIME: u8 = 46;
const EGRESS_VLAN_ID: u8 = 56;
const EGRESS_VLAN_NAME: u8 = 58;
const TUNNEL_TYPE: u8 = 64;
const TUNNEL_MEDIUM: u8 = 65;
const TUNNEL_CLIENT_END: u8 = 66;
const TUNNEL_SERVER_END: u8 = 67;
const TUNNEL_PASS: u8 = 69;
const ARAP_PASS: u8 = 70;
const ARAP_FEATURES: u8 = 71;
const EAP_MESSAGE: u8 = 79;
const TUNNEL_PRIV_GROUP: u8 = 81;
const TUNNEL_ASSIGN_ID: u8 = 82;
const TUNNEL_PREFERENCE: u8 = 83;
const ARAP_CHALLENGE_RESP: u8 = 84;
const ACCT_INT_INTERVAL: u8 = 85;
const TUNNEL_CLIENT_AUTH: u8 = 90;
const TUNNEL_SERVER_AUTH: u8 = 91;
const ERROR_CAUSE: u8 = 101;

const SERV_TYPE: &[&str] = &[
    "",
    "Login",
    "Framed",
    "Callback Login",
    "Callback Framed",
    "Outbound",
    "Administrative",
    "NAS Prompt",
    "Authenticate Only",
    "Callback NAS Prompt",
    "Call Check",
    "Callback Administrative",
    "Voice",
    "Fax",
    "Modem Relay",
    "IAPP-Register",
    "IAPP-AP-Check",
    "Authorize Only",
    "Framed-Management",
    "Additional-Authorization",
];
const FRM_PROTO: &[&str] = &[
    "",
    "PPP",
    "SLIP",
    "ARAP",
    "Gandalf proprietary",
    "Xylogics IPX/SLIP",
    "X.75 Synchronous",
    "GPRS PDP Context",
];
const FRM_ROUTING: &[&str] = &["None", "Send", "Listen", "Send&Listen"];
const FRM_COMP: &[&str] = &["None", "VJ TCP/IP", "IPX", "Stac-LZS"];
const LOGIN_SERV: &[&str] = &[
    "Telnet",
    "Rlogin",
    "TCP Clear",
    "PortMaster(proprietary)",
    "LAT",
    "X.25-PAD",
    "X.25-T3POS",
    "Unassigned",
    "TCP Clear Quiet",
];
const TERM_ACTION: &[&str] = &["Default", "RADIUS-Request"];
const INGRESS_FILTERS: &[&str] = &["", "Enabled", "Disabled"];
const NAS_PORT_TYPE: &[&str] = &[
    "Async",
    "Sync",
    "ISDN Sync",
    "ISDN Async V.120",
    "ISDN Async V.110",
    "Virtual",
    "PIAFS",
    "HDLC Clear Channel",
    "X.25",
    "X.75",
    "G.3 Fax",
    "SDSL",
    "ADSL-CAP",
    "ADSL-DMT",
    "ISDN-DSL",
    "Ethernet",
    "xDSL",
    "Cable",
    "Wireless - Other",
    "Wireless - IEEE 802.11",
    "Token-Ring",
    "FDDI",
    "Wireless - CDMA200",
    "Wireless - UMTS",
    "Wireless - 1X-EV",
    "IAPP",
    "FTTP",
    "Wireless - IEEE 802.16",
    "Wireless - IEEE 802.20",
    "Wireless - IEEE 802.22",
    "PPPoA",
    "PPPoEoA",
    "PPPoEoE",
    "PPPoEoVLAN",
    "PPPoEoQinQ",
    "xPON",
    "Wireless - XGP",
    "WiMAX Pre-Release 8 IWK Function",
    "WIMAX-WIFI-IWK",
    "WIMAX-SFF",
    "WIMAX-HA-LMA",
    "WIMAX-DHCP",
    "WIMAX-LBS",
    "WIMAX-WVS",
];
const ACCT_STATUS: &[&str] = &[
    "",
    "Start",
    "Stop",
    "Interim-Update",
    "Unassigned",
    "Unassigned",
    "Unassigned",
    "Accounting-On",
    "Accounting-Off",
    "Tunnel-Start",
    "Tunnel-Stop",
    "Tunnel-Reject",
    "Tunnel-Link-Start",
    "Tunnel-Link-Stop",
    "Tunnel-Link-Reject",
    "Failed",
];
const ACCT_AUTH: &[&str] = &["", "RADIUS", "Local", "Remote", "Diameter"];
const ACCT_TERM: &[&str] = &[
    "",
    "User Request",
    "Lost Carrier",
    "Lost Service",
    "Idle Timeout",
    "Session Timeout",
    "Admin Reset",
    "Admin Reboot",
    "Port Error",
    "NAS Error",
    "NAS Request",
    "NAS Reboot",
    "Port Unneeded",
    "Port Preempted",
    "Port Suspended",
    "Service Unavailable",
    "Callback",
    "User Error",
    "Host Request",
    "Supplicant Restart",
    "Reauthentication Failure",
    "Port Reinitialized",
    "Port Administratively Disabled",
    "Lost Power",
];
const TUNNEL_TYPE_NAMES: &[&str] = &[
    "",
    "PPTP",
    "L2F",
    "L2TP",
    "ATMP",
    "VTP",
    "AH",
    "IP-IP",
    "MIN-IP-IP",
    "ESP",
    "GRE",
    "DVS",
    "IP-in-IP Tunneling",
    "VLAN",
];
const TUNNEL_MEDIUM_NAMES: &[&str] = &[
    "",
    "IPv4",
    "IPv6",
    "NSAP",
    "HDLC",
    "BBN 1822",
    "802",
    "E.163",
    "E.164",
    "F.69",
    "X.121",
    "IPX",
    "Appletalk",
    "Decnet IV",
    "Banyan Vines",
    "E.164 with NSAP subaddress",
];
const ARAP_ZONE: &[&str] = &[
    "",
    "Only access to dfl zone",
    "Use zone filter inc.",
    "Not used",
    "Use zone filter exc.",
];
const PROMPT: &[&str] = &["No Echo", "Echo"];

const MIP6_FEATURE_VECTOR: &[(u64, &str)] = &[
    (0x0000_0000_0000_0001, "MIP6_INTEGRATED"),
    (0x0000_0000_0000_0002, "LOCAL_HOME_AGENT_ASSIGNMENT"),
    (0x0000_0100_0000_0000, "PMIP6_SUPPORTED"),
    (0x0000_0200_0000_0000, "IP4_HOA_SUPPORTED"),
    (0x0000_0400_0000_0000, "LOCAL_MAG_ROUTING_SUPPORTED"),
    (0x0000_0800_0000_0000, "ASSIGN_LOCAL_IP"),
    (0x0000_1000_0000_0000, "MIP4_SUPPORTED"),
    (0x0000_2000_0000_0000, "OPTIMIZED_IDLE_MODE_MOBILITY"),
    (0x0000_4000_0000_0000, "GTPv2_SUPPORTED"),
    (0x0000_8000_0000_0000, "IP4_TRANSPORT_SUPPORTED"),
    (0x0001_0000_0000_0000, "IP4_HOA_ONLY_SUPPORTED"),
    (0x0002_0000_0000_0000, "INTER_MAG_ROUTING_SUPPORTED"),
];

const OPERATOR_NAME_VECTOR: &[(u32, &str)] = &[
    (0x30, "TADIG"),
    (0x31, "REALM"),
    (0x32, "E212"),
    (0x33, "ICC"),
];

const BLPR_BM: &[(u32, &str)] = &[
    (0x0001, "MBZ-15"),
    (0x0002, "MBZ-14"),
    (0x0004, "MBZ-13"),
    (0x0008, "MBZ-12"),
    (0x0010, "MBZ-11"),
    (0x0020, "MBZ-10"),
    (0x0040, "MBZ-9"),
    (0x0080, "MBZ-8"),
    (0x0100, "MBZ-7"),
    (0x0200, "MBZ-6"),
    (0x0400, "MBZ-5"),
    (0x0800, "MBZ-4"),
    (0x1000, "MBZ-3"),
    (0x2000, "MBZ-2"),
    (0x4000, "MBZ-1"),
    (0x8000, "Retransmission Allowed"),
];

const RFC4675_TAGGED: &[(u32, &str)] = &[(0x31, "Tagged"), (0x32, "Untagged")];

const ERROR_CAUSE_TYPE: &[(u32, &str)] = &[
    (201, "Residual Session Context Removed"),
    (202, "Invalid EAP Packet (Ignored)"),
    (401, "Unsupported Attribute"),
    (402, "Missing Attribute"),
    (403, "NAS Identification Mismatch"),
    (404, "Invalid Request"),
    (405, "Unsupported Service"),
    (406, "Unsupported Extension"),
    (407, "Invalid Attribute Value"),
    (501, "Administratively Prohibited"),
    (502, "Request Not Routable (Proxy)"),
    (503, "Session Context Not Found"),
    (504, "Session Context Not Removable"),
    (505, "Other Proxy Processing Error"),
    (506, "Resources Unavailable"),
    (507, "Request Initiated"),
    (508, "Multiple Session Selection Unsupported"),
    (509, "Location Info Required"),
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    None,
    Str,
    /// A number; optionally with standard value names (table, first value).
    Num(Option<(&'static [&'static str], u32)>),
    Vendor,
    Addr,
    Addr6,
    Netmask6,
    Time,
    Strange,
    Vector64,
    Mip6Prefix,
    OperatorName,
    LocationInfo,
    LocationData,
    LocationPolicy,
}

/// Attribute name and value printer, indexed by type (tcpdump's `attr_type[]`).
const ATTR_TYPE: &[(&str, Kind)] = {
    use Kind::*;
    &[
        ("", None),
        ("User-Name", Str),
        ("User-Password", None),
        ("CHAP-Password", None),
        ("NAS-IP-Address", Addr),
        ("NAS-Port", Num(Option::None)),
        ("Service-Type", Num(Some((SERV_TYPE, 1)))),
        ("Framed-Protocol", Num(Some((FRM_PROTO, 1)))),
        ("Framed-IP-Address", Addr),
        ("Framed-IP-Netmask", Addr),
        ("Framed-Routing", Num(Some((FRM_ROUTING, 0)))),
        ("Filter-Id", Str),
        ("Framed-MTU", Num(Option::None)),
        ("Framed-Compression", Num(Some((FRM_COMP, 0)))),
        ("Login-IP-Host", Addr),
        ("Login-Service", Num(Some((LOGIN_SERV, 0)))),
        ("Login-TCP-Port", Num(Option::None)),
        ("Unassigned", None),
        ("Reply-Message", Str),
        ("Callback-Number", Str),
        ("Callback-Id", Str),
        ("Unassigned", None),
        ("Framed-Route", Str),
        ("Framed-IPX-Network", Num(Option::None)),
        ("State", Str),
        ("Class", Str),
        ("Vendor-Specific", Vendor),
        ("Session-Timeout", Num(Option::None)),
        ("Idle-Timeout", Num(Option::None)),
        ("Termination-Action", Num(Some((TERM_ACTION, 0)))),
        ("Called-Station-Id", Str),
        ("Calling-Station-Id", Str),
        ("NAS-Identifier", Str),
        ("Proxy-State", Str),
        ("Login-LAT-Service", Str),
        ("Login-LAT-Node", Str),
        ("Login-LAT-Group", Str),
        ("Framed-AppleTalk-Link", Num(Option::None)),
        ("Framed-AppleTalk-Network", Num(Option::None)),
        ("Framed-AppleTalk-Zone", Str),
        ("Acct-Status-Type", Num(Some((ACCT_STATUS, 1)))),
        ("Acct-Delay-Time", Num(Option::None)),
        ("Acct-Input-Octets", Num(Option::None)),
        ("Acct-Output-Octets", Num(Option::None)),
        ("Acct-Session-Id", Str),
        ("Acct-Authentic", Num(Some((ACCT_AUTH, 1)))),
        ("Acct-Session-Time", Num(Option::None)),
        ("Acct-Input-Packets", Num(Option::None)),
        ("Acct-Output-Packets", Num(Option::None)),
        ("Acct-Terminate-Cause", Num(Some((ACCT_TERM, 1)))),
        ("Acct-Multi-Session-Id", Str),
        ("Acct-Link-Count", Num(Option::None)),
        ("Acct-Input-Gigawords", Num(Option::None)),
        ("Acct-Output-Gigawords", Num(Option::None)),
        ("Unassigned", None),
        ("Event-Timestamp", Time),
        ("Egress-VLANID", Num(Option::None)),
        ("Ingress-Filters", Num(Some((INGRESS_FILTERS, 1)))),
        ("Egress-VLAN-Name", Str),
        ("User-Priority-Table", None),
        ("CHAP-Challenge", Str),
        ("NAS-Port-Type", Num(Some((NAS_PORT_TYPE, 0)))),
        ("Port-Limit", Num(Option::None)),
        ("Login-LAT-Port", Str),
        ("Tunnel-Type", Num(Some((TUNNEL_TYPE_NAMES, 1)))),
        ("Tunnel-Medium-Type", Num(Some((TUNNEL_MEDIUM_NAMES, 1)))),
        ("Tunnel-Client-Endpoint", Str),
        ("Tunnel-Server-Endpoint", Str),
        ("Acct-Tunnel-Connection", Str),
        ("Tunnel-Password", Str),
        ("ARAP-Password", Strange),
        ("ARAP-Features", Strange),
        ("ARAP-Zone-Access", Num(Some((ARAP_ZONE, 1)))),
        ("ARAP-Security", Str),
        ("ARAP-Security-Data", Str),
        ("Password-Retry", Num(Option::None)),
        ("Prompt", Num(Some((PROMPT, 0)))),
        ("Connect-Info", Str),
        ("Configuration-Token", Str),
        ("EAP-Message", Str),
        ("Message-Authenticator", Str),
        ("Tunnel-Private-Group-ID", Str),
        ("Tunnel-Assignment-ID", Str),
        ("Tunnel-Preference", Num(Option::None)),
        ("ARAP-Challenge-Response", Strange),
        ("Acct-Interim-Interval", Num(Option::None)),
        ("Acct-Tunnel-Packets-Lost", Num(Option::None)),
        ("NAS-Port-Id", Str),
        ("Framed-Pool", Str),
        ("CUI", Str),
        ("Tunnel-Client-Auth-ID", Str),
        ("Tunnel-Server-Auth-ID", Str),
        ("NAS-Filter-Rule", Str),
        ("Unassigned", None),
        ("Originating-Line-Info", None),
        ("NAS-IPv6-Address", Addr6),
        ("Framed-Interface-ID", None),
        ("Framed-IPv6-Prefix", Netmask6),
        ("Login-IPv6-Host", Addr6),
        ("Framed-IPv6-Route", Str),
        ("Framed-IPv6-Pool", Str),
        ("Error-Cause", Strange),
        ("EAP-Key-Name", None),
        ("Digest-Response", Str),
        ("Digest-Realm", Str),
        ("Digest-Nonce", Str),
        ("Digest-Response-Auth", Str),
        ("Digest-Nextnonce", Str),
        ("Digest-Method", Str),
        ("Digest-URI", Str),
        ("Digest-Qop", Str),
        ("Digest-Algorithm", Str),
        ("Digest-Entity-Body-Hash", Str),
        ("Digest-CNonce", Str),
        ("Digest-Nonce-Count", Str),
        ("Digest-Username", Str),
        ("Digest-Opaque", Str),
        ("Digest-Auth-Param", Str),
        ("Digest-AKA-Auts", Str),
        ("Digest-Domain", Str),
        ("Digest-Stale", Str),
        ("Digest-HA1", Str),
        ("SIP-AOR", Str),
        ("Delegated-IPv6-Prefix", Netmask6),
        ("MIP6-Feature-Vector", Vector64),
        ("MIP6-Home-Link-Prefix", Mip6Prefix),
        ("Operator-Name", OperatorName),
        ("Location-Information", LocationInfo),
        ("Location-Data", LocationData),
        ("Basic-Location-Policy-Rules", LocationPolicy),
    ]
};

fn push_printable(ctx: &mut Ctx, c: u8) {
    ctx.out.push(if (0x20..0x7f).contains(&c) {
        c as char
    } else {
        '.'
    });
}

/// `Ok(false)`: tcpdump's local `trunc` (prints ` [|radius]`).
fn attr_string(ctx: &mut Ctx, p: &[u8], length: usize, code: u8) -> PResult<bool> {
    if !p.has(0, length) {
        return Ok(false);
    }
    let mut off = 0usize;
    let mut length = length;
    match code {
        TUNNEL_PASS => {
            if length < 3 {
                return Ok(false);
            }
            let t = p[0];
            if t != 0 && t <= 0x1f {
                pr!(ctx, "Tag[{}] ", t);
            } else {
                ctx.push("Tag[Unused] ");
            }
            pr!(ctx, "Salt {} ", p.be_u16(1)?);
            off = 3;
            length -= 3;
        }
        TUNNEL_CLIENT_END | TUNNEL_SERVER_END | TUNNEL_PRIV_GROUP | TUNNEL_ASSIGN_ID
        | TUNNEL_CLIENT_AUTH | TUNNEL_SERVER_AUTH => {
            let t = p.u8_at(0)?;
            if t <= 0x1f {
                if t != 0 {
                    pr!(ctx, "Tag[{}] ", t);
                } else {
                    ctx.push("Tag[Unused] ");
                }
                off = 1;
                length -= 1;
            }
        }
        EGRESS_VLAN_NAME => {
            let t = p.u8_at(0)?;
            pr!(
                ctx,
                "{} (0x{:02x}) ",
                tok(RFC4675_TAGGED, t as u32).unwrap_or("Unknown tag"),
                t
            );
            off = 1;
            length -= 1;
        }
        EAP_MESSAGE => {
            eap::eap_print(ctx, p, length as u32)?;
            return Ok(true);
        }
        _ => {}
    }
    for &c in &p[off..off + length] {
        if c == 0 {
            break;
        }
        push_printable(ctx, c);
    }
    Ok(true)
}

fn attr_num(
    ctx: &mut Ctx,
    p: &[u8],
    length: usize,
    code: u8,
    names: Option<(&[&str], u32)>,
) -> PResult {
    if length != 4 {
        pr!(ctx, "ERROR: length {} != 4", length);
        return Ok(());
    }
    if let Some((table, first)) = names {
        let v = if code == TUNNEL_TYPE || code == TUNNEL_MEDIUM {
            let t = p.u8_at(0)?;
            if t == 0 {
                ctx.push("Tag[Unused] ");
            } else {
                pr!(ctx, "Tag[{}] ", t);
            }
            p.be_u24(1)?
        } else {
            p.be_u32(0)?
        };
        if v >= first && (v as usize) < table.len() {
            ctx.push(table[v as usize]);
        } else {
            pr!(ctx, "#{}", v);
        }
        return Ok(());
    }
    let v = p.be_u32(0)?;
    match code {
        FRM_IPX => {
            if v == 0xffff_fffe {
                ctx.push("NAS Select");
            } else {
                pr!(ctx, "{}", v);
            }
        }
        SESSION_TIMEOUT | IDLE_TIMEOUT | ACCT_DELAY | ACCT_SESSION_TIME | ACCT_INT_INTERVAL => {
            if v < 60 {
                pr!(ctx, "{:02} secs", v);
            } else if v < 3600 {
                pr!(ctx, "{:02}:{:02} min", v / 60, v % 60);
            } else {
                pr!(
                    ctx,
                    "{:02}:{:02}:{:02} hours",
                    v / 3600,
                    (v % 3600) / 60,
                    v % 60
                );
            }
        }
        FRM_ATALK_LINK => {
            if v != 0 {
                pr!(ctx, "{}", v);
            } else {
                ctx.push("Unnumbered");
            }
        }
        FRM_ATALK_NETWORK => {
            if v != 0 {
                pr!(ctx, "{}", v);
            } else {
                ctx.push("NAS assigned");
            }
        }
        TUNNEL_PREFERENCE => {
            if p[0] != 0 {
                pr!(ctx, "Tag[{}] ", p[0]);
            } else {
                ctx.push("Tag[Unused] ");
            }
            pr!(ctx, "{}", v & 0xff_ffff);
        }
        EGRESS_VLAN_ID => {
            pr!(
                ctx,
                "{} (0x{:02x}) ",
                tok(RFC4675_TAGGED, p[0] as u32).unwrap_or("Unknown tag"),
                p[0]
            );
            pr!(ctx, "{}", v & 0xff_ffff);
        }
        _ => pr!(ctx, "{}", v),
    }
    Ok(())
}

fn attr_vendor(ctx: &mut Ctx, p: &[u8], length: usize) -> PResult<bool> {
    if length < 4 {
        return Ok(false);
    }
    let vendor = p.be_u32(0)?;
    pr!(ctx, "Vendor: Unknown ({})", vendor);
    let mut off = 4usize;
    let mut length = length - 4;
    while length >= 2 {
        let vt = p.u8_at(off)?;
        let vl = p.u8_at(off + 1)? as usize;
        if vl < 2 {
            pr!(
                ctx,
                "\n\t    Vendor Attribute: {}, Length: {} (bogus, must be >= 2)",
                vt,
                vl
            );
            return Ok(true);
        }
        if vl > length {
            pr!(
                ctx,
                "\n\t    Vendor Attribute: {}, Length: {} (bogus, goes past end of vendor-specific attribute)",
                vt,
                vl
            );
            return Ok(true);
        }
        off += 2;
        let vl = vl - 2;
        length -= 2;
        if !p.has(off, vl) {
            return Ok(false);
        }
        pr!(
            ctx,
            "\n\t    Vendor Attribute: {}, Length: {}, Value: ",
            vt,
            vl
        );
        for &c in &p[off..off + vl] {
            push_printable(ctx, c);
        }
        off += vl;
        length -= vl;
    }
    Ok(true)
}

fn attr_strange(ctx: &mut Ctx, p: &[u8], length: usize, code: u8) -> PResult {
    let hex = |ctx: &mut Ctx, b: &[u8]| {
        for c in b {
            pr!(ctx, "{:02X}", c);
        }
    };
    match code {
        ARAP_PASS => {
            if length != 16 {
                pr!(ctx, "ERROR: length {} != 16", length);
                return Ok(());
            }
            ctx.push("User_challenge (");
            hex(ctx, p.sub(0, 8)?);
            ctx.push(") User_resp(");
            hex(ctx, p.sub(8, 8)?);
            ctx.push(")");
        }
        ARAP_FEATURES => {
            if length != 14 {
                pr!(ctx, "ERROR: length {} != 14", length);
                return Ok(());
            }
            if p.u8_at(0)? != 0 {
                ctx.push("User can change password");
            } else {
                ctx.push("User cannot change password");
            }
            pr!(ctx, ", Min password length: {}", p.u8_at(1)?);
            ctx.push(", created at: ");
            hex(ctx, p.sub(2, 4)?);
            ctx.push(", expires in: ");
            hex(ctx, p.sub(6, 4)?);
            ctx.push(", Current Time: ");
            hex(ctx, p.sub(10, 4)?);
        }
        ARAP_CHALLENGE_RESP => {
            if length < 8 {
                pr!(ctx, "ERROR: length {} != 8", length);
                return Ok(());
            }
            hex(ctx, p.sub(0, 8)?);
        }
        ERROR_CAUSE => {
            if length != 4 {
                pr!(ctx, "Error: length {} != 4", length);
                return Ok(());
            }
            let v = p.be_u32(0)?;
            pr!(ctx, "Error cause {}: ", v);
            match tok(ERROR_CAUSE_TYPE, v) {
                Some(n) => ctx.push(n),
                None => pr!(ctx, "Error-Cause {} not known", v),
            }
        }
        _ => {}
    }
    Ok(())
}

fn attr_value(ctx: &mut Ctx, kind: Kind, p: &[u8], length: usize, code: u8) -> PResult<bool> {
    match kind {
        Kind::None => {}
        Kind::Vector64 => {
            if length != 8 {
                pr!(ctx, "ERROR: length {} != 8", length);
            } else {
                let v = p.be_u64(0)?;
                ctx.push("[");
                let mut sep = "";
                for &(bit, name) in MIP6_FEATURE_VECTOR {
                    if v & bit != 0 {
                        pr!(ctx, "{}{}", sep, name);
                        sep = ", ";
                    }
                }
                ctx.push("]");
            }
        }
        Kind::Mip6Prefix => {
            if length != 17 {
                pr!(ctx, "ERROR: length {} != 17", length);
                return Ok(true);
            }
            if !p.has(0, length) {
                return Ok(false);
            }
            if p[0] > 128 {
                pr!(ctx, "ERROR: netmask {} not in range (0..128)", p[0]);
                return Ok(true);
            }
            ctx.ip(&p[1..17]);
            pr!(ctx, "/{}", p[0]);
        }
        Kind::OperatorName => {
            if !p.has(0, length) {
                return Ok(false);
            }
            if length < 2 {
                pr!(ctx, "ERROR: length {} < 2", length);
                return Ok(true);
            }
            ctx.push("[");
            match tok(OPERATOR_NAME_VECTOR, p[0] as u32) {
                Some(n) => ctx.push(n),
                None => pr!(ctx, "unknown namespace {}", p[0]),
            }
            ctx.push("] ");
            printn(ctx, &p[1..], length - 1)?;
        }
        Kind::LocationInfo => {
            if !p.has(0, length) {
                return Ok(false);
            }
            if length < 21 {
                pr!(ctx, "ERROR: length {} < 21", length);
                return Ok(true);
            }
            pr!(ctx, "index {}, code ", p.be_u16(0)?);
            match p[2] {
                0 => ctx.push("Civic"),
                1 => ctx.push("Geospatial"),
                c => pr!(ctx, "Unknown ({})", c),
            }
            ctx.push(", entity ");
            match p[3] {
                0 => ctx.push("User"),
                1 => ctx.push("RADIUS"),
                e => pr!(ctx, "Unknown ({})", e),
            }
            ctx.push(", sighting time ");
            ntp::p_ntp_time(ctx.out, p, 4)?;
            ctx.push(", time to live ");
            ntp::p_ntp_time(ctx.out, p, 12)?;
            ctx.push(", method \"");
            printn(ctx, &p[20..], length - 20)?;
            ctx.push("\"");
        }
        Kind::LocationData => {
            if !p.has(0, length) {
                return Ok(false);
            }
            if length < 3 {
                pr!(ctx, "ERROR: length {} < 3", length);
                return Ok(true);
            }
            pr!(ctx, "index {}, location", p.be_u16(0)?);
            crate::dump::hex_and_ascii_print(ctx.out, "\n\t    ", &p[2..], length - 2, 0)?;
        }
        Kind::LocationPolicy => {
            if !p.has(0, length) {
                return Ok(false);
            }
            if length < 10 {
                pr!(ctx, "ERROR: length {} < 10", length);
                return Ok(true);
            }
            ctx.push("flags [");
            bittok2str(ctx.out, BLPR_BM, "none", p.be_u16(0)? as u32, ", ");
            ctx.push("], retention expires ");
            ntp::p_ntp_time(ctx.out, p, 2)?;
            if length > 10 {
                ctx.push(", note well \"");
                printn(ctx, &p[10..], length - 10)?;
                ctx.push("\"");
            }
        }
        Kind::Str => return attr_string(ctx, p, length, code),
        Kind::Num(names) => attr_num(ctx, p, length, code, names)?,
        Kind::Vendor => return attr_vendor(ctx, p, length),
        Kind::Addr => {
            if length != 4 {
                pr!(ctx, "ERROR: length {} != 4", length);
            } else {
                let v = p.be_u32(0)?;
                if (code == FRM_IPADDR || code == LOG_IPHOST) && v == 0xffff_ffff {
                    ctx.push("User Selected");
                } else if (code == FRM_IPADDR || code == LOG_IPHOST) && v == 0xffff_fffe {
                    ctx.push("NAS Select");
                } else {
                    ctx.ip(&p[..4]);
                }
            }
        }
        Kind::Addr6 => {
            if length != 16 {
                pr!(ctx, "ERROR: length {} != 16", length);
            } else {
                let a = p.sub(0, 16)?;
                ctx.ip(a);
            }
        }
        Kind::Netmask6 => {
            if !(2..=18).contains(&length) {
                pr!(ctx, "ERROR: length {} not in range (2..18)", length);
                return Ok(true);
            }
            if !p.has(0, length) {
                return Ok(false);
            }
            let plen = p[1];
            if plen > 128 {
                pr!(ctx, "ERROR: netmask {} not in range (0..128)", plen);
                return Ok(true);
            }
            let mut a = [0u8; 16];
            a[..length - 2].copy_from_slice(&p[2..length]);
            ctx.ip(&a);
            pr!(ctx, "/{}", plen);
            if plen as usize > 8 * (length - 2) {
                ctx.push(" (inconsistent prefix length)");
            }
        }
        Kind::Time => {
            if length != 4 {
                pr!(ctx, "ERROR: length {} != 4", length);
            } else {
                let t = p.be_u32(0)? as i64;
                ctime_push(ctx, t);
            }
        }
        Kind::Strange => attr_strange(ctx, p, length, code)?,
    }
    Ok(true)
}

/// `ctime()` without the newline, in UTC (the corpus runs with TZ=UTC).
fn ctime_push(ctx: &mut Ctx, t: i64) {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    pr!(
        ctx,
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        d,
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60,
        y
    );
}

fn attrs_print(ctx: &mut Ctx, p: &[u8], length: usize) -> PResult {
    let mut off = 0usize;
    let mut length = length;
    while length > 0 {
        if length < 2 || !p.has(off, 2) {
            ctx.print_trunc();
            return Ok(());
        }
        let ty = p[off];
        let len = p[off + 1] as usize;
        let name = match ATTR_TYPE.get(ty as usize) {
            Some((n, _)) if ty != 0 => *n,
            _ => "Unknown",
        };
        pr!(ctx, "\n\t  {} Attribute ({}), length: {}", name, ty, len);
        if len < 2 {
            ctx.push(" (bogus, must be >= 2)");
            return Ok(());
        }
        if len > length {
            ctx.push(" (bogus, goes past end of packet)");
            return Ok(());
        }
        ctx.push(", Value: ");
        if let Some(&(_, kind)) = ATTR_TYPE.get(ty as usize)
            && len > 2
            && !attr_value(ctx, kind, tail(p, off + 2), len - 2, ty)?
        {
            ctx.print_trunc();
        }
        if ctx.vflag() > 1 {
            print_unknown_data(ctx, tail(p, off + 2), "\n\t    ", len - 2);
        }
        length -= len;
        off += len;
    }
    Ok(())
}

/// A RADIUS packet.
pub fn radius_print(ctx: &mut Ctx, p: &[u8], length: u32) -> PResult {
    ctx.protocol = "radius";
    if !p.has(0, MIN_RADIUS_LEN as usize) {
        ctx.print_trunc();
        return Ok(());
    }
    let mut len = p.be_u16(2)? as u32;
    if len < MIN_RADIUS_LEN {
        ctx.print_trunc();
        return Ok(());
    }
    if len > length {
        len = length;
    }
    let code = p[0];
    let cmd = tok(RADIUS_COMMAND_VALUES, code as u32).unwrap_or("Unknown Command");
    if ctx.vflag() < 1 {
        pr!(
            ctx,
            "RADIUS, {} ({}), id: 0x{:02x} length: {}",
            cmd,
            code,
            p[1],
            len
        );
        return Ok(());
    }
    pr!(
        ctx,
        "RADIUS, length: {}\n\t{} ({}), id: 0x{:02x}, Authenticator: ",
        len,
        cmd,
        code,
        p[1]
    );
    for b in &p[4..20] {
        pr!(ctx, "{:02x}", b);
    }
    if len > MIN_RADIUS_LEN {
        attrs_print(
            ctx,
            tail(p, MIN_RADIUS_LEN as usize),
            (len - MIN_RADIUS_LEN) as usize,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::testutil::{
        assert_every_truncation_is_safe, opts, run_marked, run_with, verbosities,
    };

    fn run(p: &[u8], verbose: u8) -> String {
        run_marked(&opts(verbose, false), |ctx| {
            radius_print(ctx, p, p.len() as u32)
        })
    }

    const REQ: &[u8] = &[
        1, 5, 0, 43, 0xec, 0xfe, 0x3d, 0x2f, 0xe4, 0x47, 0x3e, 0xc6, 0x29, 0x90, 0x95, 0xee, 0x46,
        0xae, 0xdf, 0x77, // header
        4, 6, 10, 0, 0, 1, // NAS-IP-Address
        61, 6, 0, 0, 0, 15, // NAS-Port-Type Ethernet
        1, 5, b'J', b'o', b'e', // User-Name
        27, 6, 0, 0, 0x0e, 0x10, // Session-Timeout 3600
    ];

    #[test]
    fn attributes() {
        assert_eq!(
            run(REQ, 0),
            "RADIUS, Access-Request (1), id: 0x05 length: 43"
        );
        assert_eq!(
            run(REQ, 1),
            "RADIUS, length: 43\n\tAccess-Request (1), id: 0x05, Authenticator: \
             ecfe3d2fe4473ec6299095ee46aedf77\
             \n\t  NAS-IP-Address Attribute (4), length: 6, Value: 10.0.0.1\
             \n\t  NAS-Port-Type Attribute (61), length: 6, Value: Ethernet\
             \n\t  User-Name Attribute (1), length: 5, Value: Joe\
             \n\t  Session-Timeout Attribute (27), length: 6, Value: 01:00:00 hours"
        );
    }

    #[test]
    fn ctime_format() {
        let (out, ()) = run_with(&opts(0, false), |ctx| ctime_push(ctx, 1_000_000_000));
        assert_eq!(out, "Sun Sep  9 01:46:40 2001");
    }

    #[test]
    fn truncated_at_every_offset() {
        assert_every_truncation_is_safe(REQ, &verbosities(2), |ctx, p| {
            radius_print(ctx, p, p.len() as u32)
        });
    }
}
