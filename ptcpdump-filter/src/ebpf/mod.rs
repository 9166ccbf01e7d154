//! eBPF (placeholder).
