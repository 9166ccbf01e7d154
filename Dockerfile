# ptcpdump container image: a two-stage build made for machines without a registry or internet.
#
# Build it with `make image` (scripts/image.sh). That script first makes the two base images
# below from a Debian 12 root filesystem (debootstrap + `docker import`), because `FROM debian`
# cannot be pulled here, and it builds target/release/ptcpdump on the host (`make build`),
# because a build container has no route to crates.io, rustup or the LLVM/bpf-linker toolchain
# that the eBPF programs need. See docs/kubernetes.md ("Building the image offline").
#
#   stage "build":   takes the host-built binary, checks that it runs on Debian 12 and that
#                    every shared library resolves, and strips its debug information.
#   stage "runtime": Debian 12 minbase + libpcap0.8 (ptcpdump links libpcap dynamically), the
#                    binary and the Wireshark plugin it carries, nothing else.
#
# Run it like the original ptcpdump image (host network, host PIDs, privileged):
#   docker run --privileged --rm -t --net=host --pid=host \
#     -v /sys/fs/cgroup:/sys/fs/cgroup:ro -v /var/run/docker.sock:/var/run/docker.sock \
#     ptcpdump:local ptcpdump -i any -c 2 tcp

ARG BUILD_BASE=ptcpdump-build-base:bookworm
ARG RUNTIME_BASE=ptcpdump-base:bookworm

FROM ${BUILD_BASE} AS build
COPY target/release/ptcpdump /build/ptcpdump
RUN set -e; \
    if ldd /build/ptcpdump | grep 'not found'; then echo "missing shared libraries" >&2; exit 1; fi; \
    /build/ptcpdump --version; \
    mkdir -p /out; \
    strip --strip-debug -o /out/ptcpdump /build/ptcpdump; \
    /out/ptcpdump --version >/dev/null

FROM ${RUNTIME_BASE} AS runtime
COPY --from=build /out/ptcpdump /usr/local/bin/ptcpdump
# The Wireshark plugin (fields ptcpdump.pid, .comm, .pod.name ...), in the global Lua plugin
# folder of Debian's Wireshark: tshark installed in this image, or a copy taken out of it
# (`docker run --rm IMAGE ptcpdump --install-wireshark-plugin=- > ptcpdump.lua`), reads it.
RUN ptcpdump --install-wireshark-plugin=/usr/lib/$(uname -m)-linux-gnu/wireshark/plugins
# tracefs is mounted by ptcpdump itself when /sys/kernel/tracing is empty (needs --privileged).
WORKDIR /tmp
CMD ["ptcpdump", "--help"]
