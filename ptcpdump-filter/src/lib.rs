//! pcap-filter expressions (to be written).
