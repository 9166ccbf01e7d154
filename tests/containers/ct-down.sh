#!/bin/bash
# ct-down.sh: undo ct-up.sh. Stops only the daemons whose pid files ct-up.sh wrote, then removes
# what they leave behind (containers, Pods, bridges, CNI netns, empty cgroups, state folders).
# A daemon that ct-up.sh found already running is left running, with its containers.
set -uo pipefail
W=${CT_WORK:-/tmp/ct-it}
DOCKER=/usr/bin/docker
SOCK=/run/containerd/containerd.sock

ours() { [ -f "$W/$1.pid" ] && kill -0 "$(cat "$W/$1.pid")" 2>/dev/null; }
stop() {  # SIGTERM the pid in $W/NAME.pid, give it 20 s, then SIGKILL
  local f="$W/$1.pid" p
  [ -f "$f" ] || return 0
  p=$(cat "$f")
  if kill -0 "$p" 2>/dev/null; then
    kill "$p"
    for _ in $(seq 1 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p"
  fi
  rm -f "$f"
}

removed_docker=0
if ours dockerd; then
  ids=$($DOCKER ps -aq 2>/dev/null)
  [ -n "$ids" ] && $DOCKER rm -f $ids >/dev/null
  $DOCKER network prune -f >/dev/null 2>&1
  stop dockerd
  removed_docker=1
fi

removed_containerd=0
if ours containerd; then
  # Tests remove their Pods through CRI (that runs CNI DEL); force-remove what is left.
  if [ -S "$SOCK" ] && ctr --connect-timeout 1s version >/dev/null 2>&1; then
    for ns in $(ctr namespaces ls -q 2>/dev/null); do
      for id in $(ctr -n "$ns" tasks ls -q 2>/dev/null); do ctr -n "$ns" tasks rm -f "$id" >/dev/null 2>&1; done
      for id in $(ctr -n "$ns" containers ls -q 2>/dev/null); do ctr -n "$ns" containers rm "$id" >/dev/null 2>&1; done
    done
  fi
  stop containerd
  removed_containerd=1
fi

if [ $removed_containerd = 1 ]; then
  for n in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do ip netns delete "$n"; done
  ip link del cni-ctit0 2>/dev/null
  # A Pod not removed through CRI keeps its /dev/shm mount under the state folder.
  awk '$2 ~ "^/(run/containerd|var/lib/containerd)/" {print $2}' /proc/mounts | sort -r \
    | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  grep -qE ' /(var/lib/containerd|run/containerd)' /proc/mounts \
    || rm -rf /var/lib/containerd /run/containerd
  rm -rf /var/log/pods /run/ctit-cni-ipam
fi
if [ $removed_docker = 1 ]; then
  for b in docker0 $(ip -o link show type bridge | awk -F': ' '$2 ~ /^br-/{print $2}'); do
    ip link del "$b" 2>/dev/null
  done
  awk '$2 ~ "^/(var/lib/docker|run/docker)/" {print $2}' /proc/mounts | sort -r \
    | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  grep -qE ' /(var/lib/docker|run/docker)' /proc/mounts \
    || rm -rf /var/lib/docker /run/docker /var/run/docker.sock /var/run/docker.pid
fi
# Empty cgroup folders left by runc under kubelet-style and Docker parents (rmdir only
# removes empty ones, so a cgroup still in use elsewhere survives).
if [ $removed_docker = 1 ] || [ $removed_containerd = 1 ]; then
  for top in kubepods docker k8s.io moby default; do
    for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
      [ -d "$h$top" ] && find "$h$top" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
  done
fi
echo "ct-down: done (docker=$removed_docker containerd=$removed_containerd); net.ipv4.ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
