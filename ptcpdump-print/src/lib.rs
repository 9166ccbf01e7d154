//! tcpdump-compatible packet printers (to be written).
