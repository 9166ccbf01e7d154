//! Names of link types as tcpdump prints them in "reading from file ..., link-type NAME (DESC)".
pub const ETHERNET: u32 = 1;
pub const RAW: u32 = 101;

const NAMES: &[(u32, &str, &str)] = &[
    (0, "NULL", "BSD loopback"),
    (1, "EN10MB", "Ethernet"),
    (7, "ARCNET", "BSD ARCNET"),
    (9, "PPP", "PPP"),
    (101, "RAW", "Raw IP"),
    (104, "C_HDLC", "Cisco HDLC"),
    (105, "IEEE802_11", "802.11"),
    (108, "LOOP", "OpenBSD loopback"),
    (113, "LINUX_SLL", "Linux cooked v1"),
    (114, "LTALK", "Localtalk"),
    (127, "IEEE802_11_RADIO", "802.11 plus radiotap header"),
    (129, "ARCNET_LINUX", "Linux ARCNET"),
    (228, "IPV4", "Raw IPv4"),
    (229, "IPV6", "Raw IPv6"),
    (239, "NFLOG", "Linux netfilter log messages"),
    (276, "LINUX_SLL2", "Linux cooked v2"),
    (281, "DSA_TAG_BRCM", "Broadcom tag"),
    (282, "DSA_TAG_BRCM_PREPEND", "Broadcom tag (prepended)"),
    (284, "DSA_TAG_DSA", "Marvell DSA"),
    (285, "DSA_TAG_EDSA", "Marvell EDSA"),
];

/// `NAME (DESC)` for a LINKTYPE_ value, or the number as tcpdump prints unknown ones.
pub fn describe(linktype: u32) -> String {
    match NAMES.iter().find(|(v, _, _)| *v == linktype) {
        Some((_, name, desc)) => format!("{name} ({desc})"),
        None => format!("{linktype}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_and_unknown() {
        assert_eq!(super::describe(1), "EN10MB (Ethernet)");
        assert_eq!(super::describe(276), "LINUX_SLL2 (Linux cooked v2)");
        assert_eq!(super::describe(4242), "4242");
    }
}
