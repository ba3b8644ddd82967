#!/usr/bin/env bash
# Regenerates pallet/src/weights.rs by running the pallet's benchmarks in the
# real runtime (wasm) with `modnet-node benchmark pallet`.
#
# The benchmark build has its own feature set (runtime-benchmarks), so it gets
# its own target dir: sharing one would swap the node binary back and forth.
# Two steps: the runtime wasm with benchmarks, then the node with the benchmark
# CLI but no embedded wasm (SKIP_WASM_BUILD), because frame-benchmarking-cli's
# own test runtime cannot be wasm-built from a crates.io checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/env.sh"
export CARGO_TARGET_DIR=${MODNET_BENCH_TARGET_DIR:-$CARGO_TARGET_DIR-bench}
cd "$root"

cargo build --release --locked -p modnet-runtime --features runtime-benchmarks
wasm=$CARGO_TARGET_DIR/modnet_runtime-benchmarks.wasm
cp "$CARGO_TARGET_DIR/release/wbuild/modnet-runtime/modnet_runtime.compact.compressed.wasm" "$wasm"

SKIP_WASM_BUILD=1 cargo build --release --locked -p modnet-node --features runtime-benchmarks
"$CARGO_TARGET_DIR/release/modnet-node" benchmark pallet \
  --runtime "$wasm" --genesis-builder=runtime --genesis-builder-preset=development \
  --pallet pallet_module_registry --extrinsic '*' \
  --steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
  --template .maintain/frame-weight-template.hbs \
  --output pallet/src/weights.rs
echo "[weights] wrote pallet/src/weights.rs"
