#!/usr/bin/env bash
# Install everything ptcpdump needs to build, run and test on Debian 12, idempotently.
#   scripts/setup.sh          build + run dependencies
#   scripts/setup.sh --test   also the oracles and peers the tests use (tcpdump, tshark, ...)
set -euo pipefail
want_test=0
[ "${1:-}" = "--test" ] && want_test=1
export DEBIAN_FRONTEND=noninteractive

pkgs=(build-essential pkg-config libpcap0.8-dev llvm-22-dev libpolly-22-dev libzstd-dev zlib1g-dev iproute2)
if [ "$want_test" = 1 ]; then
  pkgs+=(tcpdump tshark bpftool iperf3 python3 procps iputils-ping curl netcat-openbsd socat golang-go)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  # tshark asks whether non-root users may capture: answer no, without a prompt
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
fi

if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  echo "setup: adding rust-src to the nightly toolchain" >&2
  rustup component add rust-src --toolchain nightly
fi

if ! command -v bpf-linker >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/bpf-linker" ]; then
  echo "setup: building bpf-linker against LLVM 22 (about a minute)" >&2
  LLVM_PREFIX=/usr/lib/llvm-22 cargo +stable install --locked bpf-linker --no-default-features --features llvm-22
fi

# tracefs is needed by the tracepoint programs; mount it when the machine has not
if [ ! -d /sys/kernel/tracing/events ] && [ "$(id -u)" = 0 ]; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi
echo "setup: done" >&2
