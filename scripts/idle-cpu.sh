#!/usr/bin/env bash
# Idle cost of a capture (issue 13, point 4): CPU time an idle `ptcpdump -i any` uses over
# SECONDS (default 60), in a namespace of its own with 20 veth interfaces and no traffic, from
# /proc/PID/stat (utime + stime of all its threads). Prints the share of one core. It sees a
# private, empty /run/netns, so that namespaces other programs create (with `--netns newly`)
# do not count as work.
#   scripts/idle-cpu.sh [BINARY] [SECONDS] [EXTRA PTCPDUMP ARGS...]
set -euo pipefail
BIN=${1:-target/release/ptcpdump}
SECS=${2:-60}
shift 2 2>/dev/null || shift $#
NS=ptidle$$
cleanup() {
  [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  ip netns delete "$NS" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
for i in $(seq 1 10); do
  ip -n "$NS" link add "ia$i" type veth peer name "ib$i"
  ip -n "$NS" link set "ia$i" up
  ip -n "$NS" link set "ib$i" up
done
# ip netns exec, unshare and sh all exec: $! is ptcpdump's PID.
ip netns exec "$NS" unshare -m --propagation private \
  sh -c 'mount -t tmpfs none /run/netns && exec "$0" -i any -n "$@"' "$BIN" "$@" >/dev/null 2>&1 &
PID=$!
sleep 3  # past the start (loading, attaching, seeding sockets)
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
t0=$(ticks)
sleep "$SECS"
t1=$(ticks)
hz=$(getconf CLK_TCK)
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$SECS" \
  'BEGIN { printf "idle CPU over %d s: %.2f s = %.2f%% of one core\n", s, d / hz, 100 * d / hz / s }'
