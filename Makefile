# Mod-Net. On a fresh machine: `make start` (run the local stack) and `make test` (everything).
# Every target installs or builds what it needs first (scripts/setup.sh is idempotent).

SHELL := /bin/bash
ENV := source scripts/env.sh &&
CARGO := $(ENV) cargo
NPM_NODE := node_modules/.bin/node

.PHONY: start test setup build chain-spec cli web test-rust test-benchmarks test-js test-e2e test-python typecheck weights clean-chain

start: build
	scripts/start.sh

# The same stack scaled out on loopback: the dev chain, two replicas (Kubo +
# gateway each) and HAProxy in front (scripts/cluster.sh; docs/cluster.md).
.PHONY: cluster
cluster: build
	scripts/cluster.sh

# A real network on loopback: 4 validators and an RPC/bootnode for browsers
# (scripts/network.ts; roles and operator steps in docs/operators.md).
.PHONY: network
network: build
	$(ENV) $(NPM_NODE) scripts/network.ts

test: build test-rust test-benchmarks test-js test-python

setup:
	scripts/setup.sh

# The node, the runtime (native + wasm) and the pallet, all in the release
# profile tests use too, so one build serves everything; then the try-runtime
# checker of runtime upgrades (scripts/try-upgrade.ts; native only, so it does
# not touch the wasm the node embeds).
build: setup
	$(CARGO) build --release --locked --workspace
	$(ENV) SKIP_WASM_BUILD=1 cargo build --release --locked -p modnet-runtime --features try-runtime --example try_upgrade
	$(MAKE) --no-print-directory chain-spec
	$(MAKE) --no-print-directory cli
	$(MAKE) --no-print-directory web

chain-spec:
	$(ENV) $(NPM_NODE) chain-spec/generate.ts

# The `modnet` CLI in one file (dist/modnet.mjs): bin/modnet starts it in a
# fraction of the time the sources take.
cli:
	$(ENV) $(NPM_NODE) scripts/build-cli.ts

# The web app's static export in out/ (it ships public/chain-specs/, so after chain-spec).
web:
	$(ENV) npm run --silent build:web
	$(ENV) $(NPM_NODE) scripts/report-bundle.ts out

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
	$(MAKE) --no-print-directory test-e2e

# The web app in Debian's Chromium against a real node, gateway and export.
test-e2e: setup
	$(ENV) npm run --silent test:e2e

# The Python client (python/): a project-local venv (scripts/python-env.sh),
# mypy --strict, then pytest (unit tests, and tests against a real node and gateway).
test-python: setup
	@py=$$(scripts/python-env.sh) && $(ENV) cd python && $$py -m mypy && $$py -m pytest -q

typecheck: setup
	npm run --silent typecheck
	npm run --silent typecheck:web

# Regenerates pallet/src/weights.rs from the benchmarks (a separate, slow build).
weights: setup
	scripts/weights.sh

# Deletes the local stack's chain data (keeps nothing of $MODNET_HOME/chain).
clean-chain:
	rm -rf "$${MODNET_HOME:-.modnet}/chain"
