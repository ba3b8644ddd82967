# Mod-Net. On a fresh machine: `make start` (run the local stack) and `make test` (everything).
# Every target installs or builds what it needs first (scripts/setup.sh is idempotent).

SHELL := /bin/bash
ENV := source scripts/env.sh &&
CARGO := $(ENV) cargo
NPM_NODE := node_modules/.bin/node

.PHONY: start test setup build chain-spec test-rust test-benchmarks test-js typecheck weights clean-chain

start: build
	scripts/start.sh

test: build test-rust test-benchmarks test-js

setup:
	scripts/setup.sh

# The node, the runtime (native + wasm) and the pallet, all in the release
# profile tests use too, so one build serves everything.
build: setup
	$(CARGO) build --release --locked --workspace
	$(MAKE) --no-print-directory chain-spec

chain-spec:
	$(ENV) $(NPM_NODE) chain-spec/generate.ts

test-rust: setup
	$(CARGO) test --release --locked --workspace

# The pallet's benchmarks run once each as tests (needs the runtime-benchmarks feature).
test-benchmarks: setup
	$(CARGO) test --release --locked -p pallet-module-registry --features runtime-benchmarks

# Unit tests, then real processes: the node smoke test and the integration
# suites (library, CLI, gateway, Kubo, the `make start` script).
test-js: setup typecheck
	$(ENV) npm run --silent test:unit
	$(ENV) npm run --silent test:node-smoke
	$(ENV) npm run --silent test:integration

typecheck: setup
	npm run --silent typecheck

# Regenerates pallet/src/weights.rs from the benchmarks (a separate, slow build).
weights: setup
	scripts/weights.sh

# Deletes the local stack's chain data (keeps nothing of $MODNET_HOME/chain).
clean-chain:
	rm -rf "$${MODNET_HOME:-.modnet}/chain"
