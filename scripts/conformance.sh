#!/usr/bin/env bash
# Runs both conformance corpora against target/release/ptcpdump and enforces the floors the
# project has reached. A regression below these numbers fails CI.
#   ../shared/conformance           all 292 tests (issue 3: all of tier 1, 102/107 of tier 2,
#                                   70/88 of tier 3; now every one of them)
#   ../shared/conformance-upstream  tcpdump's own test suite (issue 15): all 580 tests
# Environment: PTCPDUMP_SHARED, PTCPDUMP_BIN, MIN_TIER1/2/3, MIN_UPSTREAM.
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED="${PTCPDUMP_SHARED:-$(cd .. && pwd)/shared}"
BIN="${PTCPDUMP_BIN:-$PWD/target/release/ptcpdump}"
MIN1="${MIN_TIER1:-97}" MIN2="${MIN_TIER2:-107}" MIN3="${MIN_TIER3:-88}"
MINU="${MIN_UPSTREAM:-580}"
out=$(bash "$SHARED/conformance/run.sh" "$BIN" 2>&1)
echo "$out" | grep -v '^pass ' | tail -n 60
t() { echo "$out" | sed -n "s/^tier $1: \([0-9]*\)\/.*/\1/p"; }
p1=$(t 1); p2=$(t 2); p3=$(t 3)
up=$(bash "$SHARED/conformance-upstream/run.sh" "$BIN" 2>&1)
echo "$up" | tail -n 40
pu=$(echo "$up" | sed -n 's/^upstream: \([0-9]*\) passed.*/\1/p')
echo "conformance floor: tier1 ${p1:-0}/$MIN1 tier2 ${p2:-0}/$MIN2 tier3 ${p3:-0}/$MIN3 upstream ${pu:-0}/$MINU"
if [ "${p1:-0}" -lt "$MIN1" ] || [ "${p2:-0}" -lt "$MIN2" ] || [ "${p3:-0}" -lt "$MIN3" ] ||
    [ "${pu:-0}" -lt "$MINU" ]; then
  echo "conformance: below the floor" >&2
  exit 1
fi
