#!/usr/bin/env bash
# Build the ptcpdump container image without a registry or internet access (`make image`).
#
#   scripts/image.sh                 build IMAGE (default ptcpdump:local) unless it is up to date
#   IMAGE=name:tag scripts/image.sh  another tag
#   PTCPDUMP_BIN=path                the binary to put in the image (default target/release/ptcpdump,
#                                    built with `cargo build --release` when missing)
#   FORCE=1                          rebuild even when the image is up to date
#
# 1. Base images. `FROM debian:bookworm` cannot be pulled here, so a Debian 12 root filesystem is
#    made with debootstrap (the Debian mirror is reachable with apt) and imported with
#    `docker import` as ptcpdump-base:bookworm (minbase + libpcap0.8) and
#    ptcpdump-build-base:bookworm (the same + binutils). The root filesystems are kept as tars in
#    $IMG_CACHE, so after ct-down.sh wiped /var/lib/docker they are re-imported in seconds.
# 2. The image: `docker build` of the repository's two-stage Dockerfile with a small context
#    holding only the Dockerfile and target/release/ptcpdump. The image carries the sha256 of
#    both as a label; when the label matches, nothing is rebuilt.
#
# Uses Debian's /usr/bin/docker against the dockerd of tests/containers/ct-up.sh, which is started
# when no dockerd answers (stop it with tests/containers/ct-down.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DOCKER=/usr/bin/docker
IMAGE=${IMAGE:-ptcpdump:local}
BASE=ptcpdump-base:bookworm
BUILD_BASE=ptcpdump-build-base:bookworm
IMG_CACHE=${IMG_CACHE:-/var/cache/ptcpdump-image}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BIN=${PTCPDUMP_BIN:-$ROOT/target/release/ptcpdump}
export DEBIAN_FRONTEND=noninteractive DOCKER_BUILDKIT=0
log() { echo "image: $*" >&2; }

[ "$(id -u)" = 0 ] || { log "must run as root (debootstrap, docker)"; exit 1; }
mkdir -p "$IMG_CACHE"
# One build at a time (tests and `make image` may run together). Daemons started below must not
# inherit the lock's descriptor (they would hold it forever): they get 9>&-.
exec 9>"$IMG_CACHE/build.lock"
flock -w 600 9 || { log "another image build holds $IMG_CACHE/build.lock"; exit 1; }

if ! $DOCKER version >/dev/null 2>&1; then
  log "no dockerd answers; starting tests/containers/ct-up.sh"
  bash tests/containers/ct-up.sh >&2 9>&-
fi

if [ ! -x "$BIN" ]; then
  log "$BIN missing; building it (cargo build --release -p ptcpdump)"
  . "$HOME/.cargo/env" 2>/dev/null || true
  cargo build --release -p ptcpdump
  BIN=$ROOT/target/release/ptcpdump
fi

# --- 1. base images
make_rootfs() {  # make_rootfs DIR: Debian 12 minbase with libpcap0.8
  local dir=$1
  command -v debootstrap >/dev/null || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  rm -rf "$dir"
  log "debootstrap bookworm (minbase + libpcap0.8) from $MIRROR, about a minute"
  debootstrap --variant=minbase --include=libpcap0.8 bookworm "$dir" "$MIRROR" >"$IMG_CACHE/debootstrap.log" 2>&1 \
    || { log "debootstrap failed, see $IMG_CACHE/debootstrap.log"; exit 1; }
}
slim() {  # drop package caches and docs from a root filesystem
  local dir=$1
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/var/log/*.log "$dir"/etc/resolv.conf
  : > "$dir/etc/resolv.conf"
}
if [ ! -s "$IMG_CACHE/base.tar" ] || [ ! -s "$IMG_CACHE/build-base.tar" ]; then
  work=$(mktemp -d "$IMG_CACHE/rootfs.XXXX")
  make_rootfs "$work/base"
  cp -a "$work/base" "$work/build"
  cp /etc/resolv.conf "$work/build/etc/resolv.conf"
  log "adding binutils to the build base"
  chroot "$work/build" sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils' \
    >"$IMG_CACHE/build-base.log" 2>&1 || { log "apt in the build root failed, see $IMG_CACHE/build-base.log"; exit 1; }
  slim "$work/base"
  slim "$work/build"
  tar -C "$work/base" --numeric-owner -cf "$IMG_CACHE/base.tar.new" . && mv "$IMG_CACHE/base.tar.new" "$IMG_CACHE/base.tar"
  tar -C "$work/build" --numeric-owner -cf "$IMG_CACHE/build-base.tar.new" . && mv "$IMG_CACHE/build-base.tar.new" "$IMG_CACHE/build-base.tar"
  rm -rf "$work"
fi
import() {  # import TAR TAG, unless TAG exists
  $DOCKER image inspect "$2" >/dev/null 2>&1 && return 0
  log "docker import $1 as $2"
  $DOCKER import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["/bin/bash"]' "$1" "$2" >/dev/null
}
import "$IMG_CACHE/base.tar" "$BASE"
import "$IMG_CACHE/build-base.tar" "$BUILD_BASE"

# --- 2. the image
stamp=$(cat "$BIN" Dockerfile | sha256sum | cut -c1-64)
have=$($DOCKER image inspect -f '{{index .Config.Labels "org.ptcpdump.source-sha256"}}' "$IMAGE" 2>/dev/null || true)
if [ "$have" = "$stamp" ] && [ "${FORCE:-0}" != 1 ]; then
  log "$IMAGE is up to date ($BIN)"
  echo "$IMAGE"
  exit 0
fi
ctx=$(mktemp -d "$IMG_CACHE/context.XXXX")
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/target/release"
cp Dockerfile "$ctx/Dockerfile"
cp "$BIN" "$ctx/target/release/ptcpdump"
log "docker build -t $IMAGE (binary $BIN)"
$DOCKER build -q --label "org.ptcpdump.source-sha256=$stamp" \
  --build-arg BUILD_BASE="$BUILD_BASE" --build-arg RUNTIME_BASE="$BASE" -t "$IMAGE" "$ctx" >&2
log "built $IMAGE: $($DOCKER image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.1f MB", $1/1e6}')"
echo "$IMAGE"
