#!/usr/bin/env bash
# The kernel matrix: boot Debian's stock 5.10, 6.1 and 6.12 kernels in QEMU (TCG) guests that see
# this machine's root filesystem (virtme-ng), and run the root integration tests that need no
# container runtime inside each guest, with the test binaries built here once.
#
#   scripts/kernels.sh setup          install qemu, virtme-ng and the kernels (idempotent)
#   scripts/kernels.sh run [SERIES..] setup, build the test binaries, run them in each guest
#                                     (default: 5.10 6.1 6.12), print one verdict per kernel
#
# Everything downloaded lives in $KAPT (default /var/tmp/kapt), with its own apt source list
# kept out of /etc/apt. A failing kernel makes `run` exit 1 and names the kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
KAPT=${KAPT:-/var/tmp/kapt}
SERIES_ALL=(5.10 6.1 6.12)
# Which Debian suite carries each series.
declare -A SUITE=([5.10]=bullseye [6.1]=bookworm [6.12]=bookworm-backports)
export DEBIAN_FRONTEND=noninteractive
APT=(-o "Dir::Etc::sourcelist=$KAPT/sources.list" -o Dir::Etc::sourceparts=-
  -o "Dir::State::Lists=$KAPT/lists" -o "Dir::Cache=$KAPT/cache" -o APT::Sandbox::User=root)
VNG=$KAPT/venv/bin/vng

log() { echo "kernels: $*" >&2; }

# Newest `linux-image-SERIES.*-amd64-unsigned` package name in the private lists.
newest_pkg() {
  local re="^linux-image-${1//./\\.}\\.[0-9]+(-[0-9]+)?(\\+deb[0-9]+)?-amd64-unsigned\$"
  apt-cache "${APT[@]}" search --names-only "^linux-image-" 2>/dev/null \
    | awk '{print $1}' | grep -E "$re" | sort -V | tail -n 1
}

setup() {
  local need=()
  command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
  command -v depmod >/dev/null || need+=(kmod)
  # virtme-ng's guest needs these tools from the host's root filesystem.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "ok installed" || need+=(busybox-static)
  if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ ! -x "$VNG" ]; then
    log "installing virtme-ng (pip, in $KAPT/venv)"
    mkdir -p "$KAPT"
    python3 -m venv "$KAPT/venv"
    "$KAPT/venv/bin/pip" install -q virtme-ng
  fi
  mkdir -p "$KAPT/lists/partial" "$KAPT/cache/archives/partial"
  cat >"$KAPT/sources.list.new" <<'X'
deb http://deb.debian.org/debian bullseye main
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-backports main
X
  mv "$KAPT/sources.list.new" "$KAPT/sources.list"
  local s
  for s in "${SERIES_ALL[@]}"; do
    [ -f "$KAPT/k-$s/version" ] && [ -d "/lib/modules/$(cat "$KAPT/k-$s/version")" ] && continue
    if [ ! -f "$KAPT/lists.updated" ]; then
      log "apt update (private lists in $KAPT)"
      apt-get "${APT[@]}" update -qq
      touch "$KAPT/lists.updated"
    fi
    local pkg ver
    pkg=$(newest_pkg "$s")
    [ -n "$pkg" ] || { log "no linux-image-$s package found"; return 1; }
    ver=${pkg#linux-image-}
    ver=${ver%-unsigned}
    log "$s: $pkg"
    (cd "$KAPT/cache" && rm -f "${pkg}"_*.deb && apt-get "${APT[@]}" download -qq "$pkg")
    rm -rf "$KAPT/k-$s"
    dpkg -x "$KAPT/cache/${pkg}"_*.deb "$KAPT/k-$s"
    rm -f "$KAPT/cache/${pkg}"_*.deb
    rm -rf "/lib/modules/$ver"
    mkdir -p /lib/modules
    cp -a "$KAPT/k-$s/lib/modules/$ver" /lib/modules/
    depmod "$ver"
    # virtme-ng looks for modules beside the kernel image first, in a folder the guest cannot
    # see (/var/tmp is a tmpfs there): keep only the copy in /lib/modules.
    rm -rf "$KAPT/k-$s/lib"
    echo "$ver" >"$KAPT/k-$s/version"
  done
}

case "${1:-run}" in
  setup) setup ;;
  run) shift || true; setup; exec bash scripts/kernel-tests.sh "$@" ;;
  *) echo "usage: $0 setup|run [SERIES...]" >&2; exit 2 ;;
esac
