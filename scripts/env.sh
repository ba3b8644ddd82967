# Shared build environment for Mod-Net's scripts and Makefile. Source it.
#
# The Cargo target dir lives outside the clone, in the user's cache, so every
# build after the first (CI's included) is incremental.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/modnet/target}
# Name under which Debian's rustc-web is linked into rustup when no rustup
# wasm target exists (see scripts/setup.sh and BUILDING.md).
export MODNET_WASM_TOOLCHAIN=${MODNET_WASM_TOOLCHAIN:-deb-web}
_modnet_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# substrate-wasm-builder needs the workspace root when the target dir is elsewhere.
export WASM_BUILD_WORKSPACE_HINT=${WASM_BUILD_WORKSPACE_HINT:-$_modnet_root}
if ! rustup target list --installed 2>/dev/null | grep -qE '^(wasm32v1-none|wasm32-unknown-unknown)$'; then
  export WASM_BUILD_TOOLCHAIN=${WASM_BUILD_TOOLCHAIN:-$MODNET_WASM_TOOLCHAIN}
  # rustc >= 1.96 no longer passes --allow-undefined to wasm-ld; runtimes import
  # their host functions, so the linker must allow them (polkadot-sdk PR #12440).
  export WASM_BUILD_RUSTFLAGS=${WASM_BUILD_RUSTFLAGS:-"-C link-arg=--allow-undefined"}
fi
unset _modnet_root
# Next.js must not phone home (and there is no network for it anyway).
export NEXT_TELEMETRY_DISABLED=1
