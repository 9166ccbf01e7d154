//! Links libpcap: its compiler is the reference for the pcap-filter language, so we call it
//! instead of re-implementing gencode.c (Debian package libpcap0.8-dev provides libpcap.so).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LIBPCAP_LIBDIR");
    if let Ok(dir) = std::env::var("LIBPCAP_LIBDIR") {
        println!("cargo:rustc-link-search=native={dir}");
    }
    println!("cargo:rustc-link-lib=pcap");
}
