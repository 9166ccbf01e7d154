# ptcpdump developer entry points. Every target installs what it needs first (scripts/setup.sh is
# idempotent), so each works on a fresh Debian 12 machine.
SHARED ?= $(abspath $(CURDIR)/../shared)
BIN := target/release/ptcpdump
ARGS ?= -i any -c 10
export PTCPDUMP_BIN := $(abspath $(BIN))
export PTCPDUMP_SHARED := $(SHARED)

.PHONY: setup setup-test build run test unit conformance integration bench image lint clean fuzz

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

build: setup
	. "$$HOME/.cargo/env" 2>/dev/null; cargo build --release

# The main job: a live capture (as root).
run: build
	$(BIN) $(ARGS)

# Everything CI checks: unit tests, tcpdump conformance, and the root integration tests.
test: setup-test build
	bash scripts/test.sh

# Both tcpdump conformance corpora (../shared/conformance and tcpdump's own test suite in
# ../shared/conformance-upstream), each of which must pass completely (292/292, 580/580).
conformance: build
	bash scripts/conformance.sh

# Fuzz every printer for FUZZ_MINUTES on 2 cores (ptcpdump-print/fuzz/README.md), seeded with
# the packets of both conformance corpora.
FUZZ_MINUTES ?= 5
fuzz: setup
	. "$$HOME/.cargo/env" 2>/dev/null; command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	python3 ptcpdump-print/fuzz/make-seeds.py ptcpdump-print/fuzz/corpus/print_links \
		$(SHARED)/conformance/pcaps $(SHARED)/conformance-upstream/pcaps
	. "$$HOME/.cargo/env" 2>/dev/null; cd ptcpdump-print/fuzz && cargo +nightly fuzz run print_links \
		corpus/print_links -- -jobs=2 -workers=2 -max_total_time=$$(( $(FUZZ_MINUTES) * 60 )) \
		-timeout=10 -rss_limit_mb=2048 -max_len=4096

bench: build
	cargo run --release -p xtask -- bench

image:
	bash scripts/image.sh

lint:
	cargo fmt --all --check
	cargo clippy --workspace --exclude ptcpdump-ebpf --all-targets -- -D warnings
