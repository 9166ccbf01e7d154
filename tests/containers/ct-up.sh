#!/bin/bash
# ct-up.sh: install and start a real containerd (with CRI v1/v1alpha2) and a real dockerd on
# top of it, for the container integration tests. Debian 12, root, no systemd, no registry.
#
# Safe to run twice: a daemon that already answers is left alone, and only daemons started
# here get a pid file in $CT_WORK (ct-down.sh stops exactly those, by pid).
# Networking stays on 198.18.0.0/15 and net.ipv4.ip_forward is never switched on.
#
#   bash tests/containers/ct-up.sh
#   PTCPDUMP_CONTAINER_IT=1 cargo test -p ptcpdump-meta --test containers_it
#   bash tests/containers/ct-down.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
W=${CT_WORK:-/tmp/ct-it}
DOCKER=/usr/bin/docker            # Debian's client; /usr/local/bin may hold a newer one
SOCK=/run/containerd/containerd.sock
mkdir -p "$W"
export DEBIAN_FRONTEND=noninteractive
T0=$(date +%s.%N)
step() { awk -v now="$(date +%s.%N)" -v t0="$T0" -v what="$1" 'BEGIN{printf "ct-up: %-26s %5.1fs\n", what, now-t0}'; }

# 1. Configuration before packages, so no daemon can ever run with Docker's defaults
#    (172.17.0.0/16, NAT rules, ip_forward=1).
mkdir -p /etc/docker /etc/containerd /etc/cni/net.d
cat > /etc/docker/daemon.json <<'EOF'
{
  "bip": "198.18.0.1/24",
  "default-address-pools": [{"base": "198.18.16.0/20", "size": 24}],
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "ipv6": false,
  "storage-driver": "overlay2",
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "log-driver": "json-file"
}
EOF
# Our own file, passed with --config: /etc/containerd/config.toml belongs to the package and
# writing it first makes dpkg stop at a conffile question.
cat > /etc/containerd/ctit.toml <<'EOF'
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"

[grpc]
  address = "/run/containerd/containerd.sock"

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "ctit.local/pause:1"
    # root here lacks CAP_SYS_RESOURCE, so the sandbox's oom_score_adj of -998 cannot be
    # set and every RunPodSandbox fails; this clamps it to containerd's own value.
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "/etc/cni/net.d"
  [plugins."io.containerd.internal.v1.opt"]
    path = "/var/lib/containerd/opt"
EOF
# isGateway stays false: the bridge plugin would otherwise turn on ip_forward. The bridge and
# its host address are created below instead.
cat > /etc/cni/net.d/10-ctit.conflist <<'EOF'
{
  "cniVersion": "1.0.0",
  "name": "ctit-pods",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni-ctit0",
      "isGateway": false,
      "isDefaultGateway": false,
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "198.18.1.0/24", "rangeStart": "198.18.1.10", "rangeEnd": "198.18.1.250"}]],
        "dataDir": "/run/ctit-cni-ipam"
      }
    }
  ]
}
EOF
step "configuration"

# 2. Packages (apt's policy-rc.d here keeps them from starting services on their own).
need=()
for p in docker.io containerd runc containernetworking-plugins busybox-static gcc libc6-dev curl iproute2; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${need[@]}" >/dev/null
fi
step "packages"

# 3. Images, built here: a busybox root filesystem and a static pause binary.
if [ ! -s "$W/img/busybox.tar" ] || [ ! -s "$W/img/pause.tar" ]; then
  rm -rf "$W/img"
  mkdir -p "$W/img/rootfs/bin" "$W/img/rootfs/www" "$W/img/rootfs/tmp" "$W/img/pause"
  cp /bin/busybox "$W/img/rootfs/bin/busybox"
  chroot "$W/img/rootfs" /bin/busybox --install -s /bin
  echo 'hello from container' > "$W/img/rootfs/www/index.html"
  gcc -Os -static -o "$W/img/pause/pause" "$HERE/pause.c"
  strip "$W/img/pause/pause"
  python3 "$HERE/mkimage.py" "$W/img/pause" ctit.local/pause:1 "$W/img/pause.tar" '["/pause"]' >/dev/null
  python3 "$HERE/mkimage.py" "$W/img/rootfs" ctit.local/busybox:1 "$W/img/busybox.tar" '[]' '["/bin/sh"]' >/dev/null
fi
step "images"

# 4. The Pod bridge, holding the host's address.
ip link show cni-ctit0 >/dev/null 2>&1 || ip link add cni-ctit0 type bridge
ip addr replace 198.18.1.1/24 dev cni-ctit0
ip link set cni-ctit0 up

# 5. containerd. `ctr version` without a socket hangs for 10 s, so look for the socket first.
containerd_up() { [ -S "$SOCK" ] && ctr --connect-timeout 1s version >/dev/null 2>&1; }
if ! containerd_up; then
  setsid nohup /usr/bin/containerd --config /etc/containerd/ctit.toml >"$W/containerd.log" 2>&1 </dev/null &
  echo $! > "$W/containerd.pid"
  for _ in $(seq 1 100); do containerd_up && break; sleep 0.1; done
fi
containerd_up || { echo "ct-up: containerd did not come up, see $W/containerd.log" >&2; exit 1; }
for img in pause busybox; do
  ctr -n k8s.io images import "$W/img/$img.tar" >/dev/null
done
step "containerd + CRI images"

# 6. dockerd on the same containerd (its containers go to containerd namespace "moby").
if ! $DOCKER version >/dev/null 2>&1; then
  setsid nohup /usr/sbin/dockerd --containerd="$SOCK" >"$W/dockerd.log" 2>&1 </dev/null &
  echo $! > "$W/dockerd.pid"
  for _ in $(seq 1 200); do $DOCKER version >/dev/null 2>&1 && break; sleep 0.1; done
fi
$DOCKER version >/dev/null || { echo "ct-up: dockerd did not come up, see $W/dockerd.log" >&2; exit 1; }
$DOCKER load -i "$W/img/busybox.tar" >/dev/null
step "dockerd + image"
echo "ct-up: ready; net.ipv4.ip_forward=$(cat /proc/sys/net/ipv4/ip_forward) (must be 0)"
