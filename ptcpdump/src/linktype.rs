//! Names of link types as tcpdump prints them in "reading from file ..., link-type NAME (DESC)":
//! libpcap maps the file's `LINKTYPE_*` value to its `DLT_*` value and names that.
pub const ETHERNET: u32 = 1;
pub const RAW: u32 = 101;

/// `NAME (DESC)` for a LINKTYPE_ value, or the number as tcpdump prints unknown ones.
pub fn describe(linktype: u32) -> String {
    let dlt = ptcpdump_pcap::linktype_to_dlt(linktype);
    match ptcpdump_print::dlt::name(dlt) {
        Some((name, desc)) => format!("{name} ({desc})"),
        None => format!("{dlt}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_and_unknown() {
        assert_eq!(super::describe(1), "EN10MB (Ethernet)");
        assert_eq!(super::describe(101), "RAW (Raw IP)");
        assert_eq!(super::describe(276), "LINUX_SLL2 (Linux cooked v2)");
        assert_eq!(super::describe(271), "VSOCK (Linux vsock)");
        assert_eq!(super::describe(4242), "4242");
    }
}
