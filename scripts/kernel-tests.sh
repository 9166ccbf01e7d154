#!/usr/bin/env bash
# The kernel matrix's test run (called by `scripts/kernels.sh run`, after its setup): builds
# ptcpdump and the integration test binaries once, here, then boots every kernel in a TCG guest
# at the same time (the tests wait for packets and processes much more than they compute) and
# runs the root tests that need no container runtime inside each. One verdict line per kernel;
# exit 1 when any kernel failed, naming it.
#   scripts/kernel-tests.sh [SERIES...]   (default: 5.10 6.1 6.12)
set -euo pipefail
cd "$(dirname "$0")/.."
. "$HOME/.cargo/env" 2>/dev/null || true
KAPT=${KAPT:-/var/tmp/kapt}
SERIES=("$@")
[ "${#SERIES[@]}" -gt 0 ] || SERIES=(5.10 6.1 6.12)
# The test files run in the guests: live capture vs tcpdump, attribution (the selected end under
# filters, both ends, ICMP errors, exec arguments), filters, writing, namespaces, TLS key log, and
# the clsact backend. `FILE:TEST,TEST` runs only those tests of a
# file: what differs between kernels (capture, attribution, uprobes, writing what the kernel
# copied) is tested on each; file rotation, pipes, reading back and the ELF variants of the Go
# key log are user-space logic, tested on the host only; so are signals during a flood (its
# four files take tshark many minutes to count under TCG). (TCG is slow: the matrix must leave
# CI under 45 minutes.)
TESTS=(live attribution socket_users selected peer cmdline:every_way_of_exec_keeps_the_arguments clsact filter_live netns kernel_btf
  write:pcap_pcapng_and_stdout_hold_every_packet)
# Not in the guests for now: gotls (the Go key log). On 2026-12-02 its first test had run more
# than 12 minutes in every guest without a result (it passes on the host); until it is found
# out whether that is a hang or Go building under TCG, it would risk the CI time.
# Outside target/ (an overlay in the guest, so writes there never reach this machine).
OUT=${KERNEL_OUT:-$PWD/kernels-out}
MEM=${KERNEL_GUEST_MEM:-3G}
export PATH="$KAPT/venv/bin:$PATH"

echo "== kernel matrix: building ptcpdump and the test binaries once"
cargo build --release -p ptcpdump >/dev/null
# The guests read files over 9p, slowly: a copy without debug information starts much faster.
objcopy --strip-debug target/release/ptcpdump target/ptcpdump-guest
cargo test --release -p integration-tests --no-run --message-format=json 2>/dev/null \
  | python3 -c '
import json, sys
want, found = {}, {}
for t in sys.argv[1:]:
    name, _, only = t.partition(":")
    want[name] = " ".join(only.split(",")) if only else ""
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    name = m.get("target", {}).get("name")
    if m.get("reason") == "compiler-artifact" and m.get("executable") and name in want:
        found[name] = m["executable"]
# In the order of TESTS: the slowest (Go builds) last.
for name in want:
    if name in found:
        print(name, found[name], want[name])
' "${TESTS[@]}" >"$PWD/target/kernel-test-bins.txt"
if [ "$(wc -l <"$PWD/target/kernel-test-bins.txt")" -ne "${#TESTS[@]}" ]; then
  echo "kernel matrix: test binaries missing: $(cat "$PWD/target/kernel-test-bins.txt")" >&2
  exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT"
# Runs inside the guest, as root, with this machine's files read-only (target/ and /tmp are
# writable overlays). Its verdict goes to $OUT/$SERIES/verdict.
cat >"$OUT/guest.sh" <<'GUEST'
#!/bin/bash
dir=$1 bins=$2 bin=$3
exec >"$dir/guest.log" 2>&1
set -u
echo "kernel $(uname -r)"
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing
ip link set lo up
for m in veth sch_ingress cls_bpf tun; do modprobe "$m" 2>/dev/null; done
export PTCPDUMP_BIN=$bin PTCPDUMP_TEST_SLOW=${PTCPDUMP_TEST_SLOW:-8} PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
failed=()
# What this kernel gets, and the README's first command: `-i any -c 10` ends by itself.
echo "== ptcpdump --log-level info -i any -c 10"
"$bin" --log-level info -i any -c 10 -n >"$dir/any.out" 2>"$dir/any.err" &
p=$!
for _ in $(seq 1 240); do grep -q "listening on" "$dir/any.err" && break; sleep 0.5; done
ping -c 12 -i 0.2 127.0.0.1 >/dev/null
for _ in $(seq 1 120); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
kill "$p" 2>/dev/null
wait "$p"
rc=$?
grep "info: \(kernel\|attach\|attribution\|owners\)" "$dir/any.err"
echo "any: exit $rc, $(wc -l <"$dir/any.out") lines"
[ "$rc" = 0 ] && [ "$(wc -l <"$dir/any.out")" = 10 ] || failed+=("any")
while read -r name exe only; do
  start=$(date +%s)
  # One test at a time: a TCG guest has little CPU to share.
  # shellcheck disable=SC2086 # the test names are words
  timeout 1800 "$exe" --test-threads=1 ${only:+--exact $only} >"$dir/$name.log" 2>&1
  rc=$?
  echo "$name: exit $rc in $(( $(date +%s) - start )) s"
  [ "$rc" = 0 ] || failed+=("$name")
done <"$bins"
if [ "${#failed[@]}" = 0 ]; then echo ok >"$dir/verdict"; else echo "failed: ${failed[*]}" >"$dir/verdict"; fi
GUEST
chmod +x "$OUT/guest.sh"

run_guest() {  # SERIES
  local s=$1 ver dir start
  ver=$(cat "$KAPT/k-$s/version")
  dir=$OUT/$s
  mkdir -p "$dir"
  start=$(date +%s)
  timeout 2400 vng --run "$KAPT/k-$s/boot/vmlinuz-$ver" --disable-kvm --force-9p \
    --memory "$MEM" --cpus 2 --verbose --rwdir "$OUT" --overlay-rwdir "$PWD/target" \
    -- "$OUT/guest.sh" "$dir" "$PWD/target/kernel-test-bins.txt" "$PWD/target/ptcpdump-guest" \
    2>&1 | grep -av '^\[ *[0-9.]*\]' >"$dir/console.log" || true
  echo "$(( $(date +%s) - start ))" >"$dir/seconds"
}

echo "== kernel matrix: ${SERIES[*]} in TCG guests (logs in $OUT)"
for s in "${SERIES[@]}"; do run_guest "$s" & done
wait
bad=()
for s in "${SERIES[@]}"; do
  v=$(cat "$OUT/$s/verdict" 2>/dev/null || echo "no verdict (guest did not finish; see $OUT/$s/console.log)")
  echo "kernel $s ($(cat "$KAPT/k-$s/version")): $v, $(cat "$OUT/$s/seconds") s"
  sed 's/^/    /' "$OUT/$s/guest.log" 2>/dev/null | grep -v '^    kernel ' || true
  if [ "$v" != ok ]; then
    bad+=("$s")
    for f in "$OUT/$s"/*.log; do
      case $f in */guest.log | */console.log) continue ;; esac
      grep -q "test result: ok" "$f" && continue
      echo "---- $s: $(basename "$f")"
      grep -E "^test .*FAILED|panicked|^failures:|assert" -A6 "$f" | head -60
    done
  fi
done
if [ "${#bad[@]}" -gt 0 ]; then
  echo "kernel matrix: FAILED on ${bad[*]}" >&2
  exit 1
fi
echo "kernel matrix: all kernels passed"
