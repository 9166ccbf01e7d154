#!/usr/bin/env bash
# The test suite CI runs (`make test`): unit tests of every crate, tcpdump's output conformance,
# and the integration tests that need root, the kernel and real tcpdump/tshark as oracles.
set -euo pipefail
cd "$(dirname "$0")/.."
. "$HOME/.cargo/env" 2>/dev/null || true
export PTCPDUMP_BIN="${PTCPDUMP_BIN:-$PWD/target/release/ptcpdump}"
export PTCPDUMP_SHARED="${PTCPDUMP_SHARED:-$(cd .. && pwd)/shared}"

echo "== unit and integration tests (cargo test)"
# Integration tests create network namespaces; run them one at a time.
cargo test --release --workspace -- --test-threads=1

echo "== tcpdump conformance"
bash scripts/conformance.sh
