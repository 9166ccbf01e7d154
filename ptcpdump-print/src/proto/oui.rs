//! Organizationally unique identifiers (IEEE OUIs) and the SNAP protocol IDs used under them;
//! tcpdump's oui.c and the PID tables of print-llc.c.

/// tcpdump's `oui_values` (first match wins: 0x0080c2 is "Ethernet bridged").
pub const OUI_VALUES: &[(u32, &str)] = &[
    (0x000000, "Ethernet"),
    (0x00000c, "Cisco"),
    (0x00005e, "IANA"),
    (0x000081, "Nortel Networks SONMP"),
    (0x0000f8, "Cisco bridged"),
    (0x0080c2, "Ethernet bridged"),
    (0x00a03e, "ATM Forum"),
    (0x00e02f, "DOCSIS Spanning Tree"),
    (0x080007, "Appletalk"),
    (0x009069, "Juniper"),
    (0x080009, "Hewlett-Packard"),
    (0x0080c2, "IEEE 802.1 Private"),
    (0x00120f, "IEEE 802.3 Private"),
    (0x0012bb, "ANSI/TIA"),
    (0x001b21, "DCBX"),
    (0x002320, "Nicira Networks"),
    (0x5c16c7, "Big Switch Networks"),
    (0xb0d2f5, "Vello Systems"),
    (0x002481, "HP"),
    (0x0004ea, "HP-Labs"),
    (0x748771, "Infoblox Inc"),
    (0xa42305, "Open Networking Lab"),
    (0x00049f, "Freescale"),
    (0x0015ad, "Netronome"),
    (0x001018, "Broadcom"),
    (0x00e004, "PMC-Sierra"),
    (0xd0f0db, "Ericsson"),
];

pub const OUI_ENCAP_ETHER: u32 = 0x000000;
pub const OUI_CISCO: u32 = 0x00000c;
pub const OUI_CISCO_90: u32 = 0x0000f8;
pub const OUI_RFC2684: u32 = 0x0080c2;
pub const OUI_APPLETALK: u32 = 0x080007;

pub const PID_CISCO_CDP: u16 = 0x2000;
pub const PID_CISCO_VTP: u16 = 0x2003;
pub const PID_CISCO_DTP: u16 = 0x2004;
pub const PID_CISCO_UDLD: u16 = 0x0111;
pub const PID_CISCO_PVST: u16 = 0x010b;
pub const PID_CISCO_VLANBRIDGE: u16 = 0x010c;

/// SNAP PIDs under Cisco's OUI.
pub const CISCO_VALUES: &[(u32, &str)] = &[
    (0x2000, "CDP"),
    (0x2003, "VTP"),
    (0x2004, "DTP"),
    (0x0111, "UDLD"),
    (0x010b, "PVST"),
    (0x010c, "VLAN Bridge"),
];

/// SNAP PIDs under the RFC 2684 (bridged) OUI.
pub const BRIDGED_VALUES: &[(u32, &str)] = &[
    (0x0001, "Ethernet + FCS"),
    (0x0007, "Ethernet w/o FCS"),
    (0x0002, "802.4 + FCS"),
    (0x0008, "802.4 w/o FCS"),
    (0x0003, "Token Ring + FCS"),
    (0x0009, "Token Ring w/o FCS"),
    (0x0004, "FDDI + FCS"),
    (0x000a, "FDDI w/o FCS"),
    (0x0005, "802.6 + FCS"),
    (0x000b, "802.6 w/o FCS"),
    (0x000e, "BPDU"),
];

/// `oui_to_struct_tok`: the PID table that goes with an OUI.
pub fn pid_table(oui: u32) -> &'static [(u32, &'static str)] {
    match oui {
        OUI_ENCAP_ETHER | OUI_CISCO_90 | OUI_APPLETALK => super::ether::ETHERTYPE_VALUES,
        OUI_CISCO => CISCO_VALUES,
        OUI_RFC2684 => BRIDGED_VALUES,
        _ => &[],
    }
}

/// IANA Private Enterprise Numbers (SMI Network Management Private Enterprise Codes) that
/// tcpdump names: its `smi_values`.
pub const SMI_VALUES: &[(u32, &str)] = &[
    (0, "IETF (reserved)"),
    (5, "ACC"),
    (9, "Cisco"),
    (11, "Hewlett Packard"),
    (42, "Sun Microsystems"),
    (61, "Merit"),
    (74, "AT&T"),
    (161, "Motorola"),
    (166, "Shiva"),
    (193, "Ericsson AB"),
    (255, "Cisco VPN 5000"),
    (307, "Livingston"),
    (311, "Microsoft"),
    (429, "3Com"),
    (529, "Ascend"),
    (1584, "Bay Networks"),
    (1991, "Foundry"),
    (2180, "Versanet"),
    (2352, "Redback"),
    (2636, "Juniper Networks"),
    (2637, "Aptis"),
    (2937, "Deutsche Telekom AG"),
    (3054, "Ixia Communications"),
    (3076, "Cisco VPN 3000"),
    (3085, "CoSine Communications"),
    (3224, "Netscreen"),
    (3199, "Shasta"),
    (3309, "Nomadix"),
    (3414, "T-Mobile"),
    (3561, "The Broadband Forum"),
    (3902, "ZTE"),
    (4329, "Siemens"),
    (4491, "CableLabs"),
    (4874, "Unisphere Networks"),
    (5263, "Cisco BBSM"),
    (5535, "3rd Generation Partnership Project 2 (3GPP2)"),
    (5806, "SK Telecom"),
    (5925, "ipUnplugged"),
    (5948, "Issanni Communications"),
    (5951, "Netscaler"),
    (6490, "T-Mobile"),
    (6618, "Quintum"),
    (6728, "Interlink"),
    (7951, "CNCTC"),
    (8164, "Starent Networks"),
    (8744, "Colubris"),
    (10415, "3GPP"),
    (10529, "Gemtek-Systems"),
    (10704, "Barracuda Networks"),
    (10923, "Ericsson AB - Packet Core Networks"),
    (11665, "dacom"),
    (11862, "Columbia University"),
    (12356, "Fortinet"),
    (12951, "Verizon Wireless"),
    (13745, "Plixer"),
    (14122, "Wi-Fi Alliance"),
    (16787, "T-Systems Nova"),
    (20942, "China Telecom - Guangzhou Research Institute"),
    (26866, "Gigamon Systems"),
    (32622, "CACE Technologies"),
    (35632, "ntop"),
    (46098, "Ericsson Canada"),
];
