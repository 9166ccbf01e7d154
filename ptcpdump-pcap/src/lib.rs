//! pcap and pcapng reading and writing (to be written).
