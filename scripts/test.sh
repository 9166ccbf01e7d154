#!/usr/bin/env bash
# The test suite CI runs (`make test`): unit tests of every crate, tcpdump's output conformance,
# and the integration tests that need root, the kernel and real tcpdump/tshark as oracles.
set -euo pipefail
cd "$(dirname "$0")/.."
. "$HOME/.cargo/env" 2>/dev/null || true
export PTCPDUMP_BIN="${PTCPDUMP_BIN:-$PWD/target/release/ptcpdump}"
export PTCPDUMP_SHARED="${PTCPDUMP_SHARED:-$(cd .. && pwd)/shared}"

echo "== container runtimes (real dockerd and containerd with CRI)"
trap 'bash tests/containers/ct-down.sh >/dev/null 2>&1 || true' EXIT
# A failed start is not hidden: the container tests then fail with the reason.
bash tests/containers/ct-up.sh || echo "container runtimes failed to start" >&2
export PTCPDUMP_CONTAINER_IT=1

echo "== unit and integration tests (cargo test)"
# Integration tests create network namespaces; run them one at a time.
cargo test --release --workspace -- --test-threads=1

echo "== tcpdump conformance"
bash scripts/conformance.sh

# The clsact + cls_bpf backend is what kernels before 6.6 use; this kernel has TCX, so it is
# forced here to keep it tested on the host too.
echo "== live capture and attribution again through clsact (PTCPDUMP_ATTACH=clsact)"
PTCPDUMP_ATTACH=clsact cargo test --release -p integration-tests \
  --test live --test attribution --test filter_live -- --test-threads=1

echo "== kernel matrix: 5.10, 6.1, 6.12 in QEMU guests (scripts/kernels.sh)"
bash scripts/kernels.sh run
