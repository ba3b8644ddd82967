#!/usr/bin/env bash
# Installs everything Mod-Net needs on a fresh Debian/Ubuntu machine, idempotently.
# Safe to re-run: every step checks first and says what it does.
#
#   scripts/setup.sh            # all steps
#   scripts/setup.sh system     # only apt packages
#   scripts/setup.sh wasm       # only the runtime's wasm toolchain
#   scripts/setup.sh node       # only npm dependencies
#   scripts/setup.sh kubo       # only Kubo (IPFS daemon used by tests)
#
# Environment: MODNET_SKIP_APT=1 skips apt (for machines set up another way).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"

log() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. System packages -------------------------------------------------------
# protoc (libp2p/litep2p build scripts), a C/C++ toolchain (ring, zstd, wasm-opt),
# pkg-config, Chromium for the web app's end-to-end tests (Playwright
# cannot download a browser here; playwright-core drives Debian's), promtool
# (package prometheus) to check the alert rules, HAProxy for `make cluster`.
apt_packages=(protobuf-compiler build-essential pkg-config chromium prometheus haproxy)
# The Debian rustc-web route for the wasm runtime (see BUILDING.md).
wasm_apt_packages=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22)

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then log "apt: already installed: $*"; return; fi
  if [ "${MODNET_SKIP_APT:-0}" = 1 ]; then log "apt: MODNET_SKIP_APT=1, not installing: ${missing[*]}"; return; fi
  log "apt: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

step_system() {
  apt_install "${apt_packages[@]}"
  # Only their binaries are wanted: Mod-Net starts its own HAProxy, and no
  # Prometheus server should be left listening on :9090 by the package.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    for service in prometheus haproxy; do
      if systemctl is-enabled --quiet "$service" 2>/dev/null || systemctl is-active --quiet "$service" 2>/dev/null; then
        log "apt: disabling the $service service the package set up"
        as_root systemctl disable --now "$service" >/dev/null 2>&1 || true
      fi
    done
  fi
}

# --- 2. Wasm toolchain for the runtime ---------------------------------------
# Prefer an installed rustup wasm target. Otherwise use Debian's rustc-web
# (1.96) with core/alloc/compiler_builtins built once for the wasm targets from
# its vendored library source, linked into rustup as the toolchain `deb-web`.
have_rustup_wasm() {
  rustup target list --installed 2>/dev/null | grep -qE '^(wasm32v1-none|wasm32-unknown-unknown)$'
}

build_wasm_sysroot() {
  local target=$1 stamp sysroot_lib rustc_id work flags
  rustc_id=$(rustup run "$MODNET_WASM_TOOLCHAIN" rustc -vV | sed -n 's/^commit-hash: //p')
  sysroot_lib=/usr/lib/rustlib/$target/lib
  # Bump the recipe tag when the recipe changes, so machines rebuild.
  stamp=$sysroot_lib/.modnet-sysroot-v2-$rustc_id
  if [ -f "$stamp" ]; then log "wasm: sysroot for $target already built for rustc $rustc_id"; return; fi
  log "wasm: building core/alloc for $target with rustc-web (about a minute)"
  work=$(mktemp -d)
  mkdir -p "$work/src"
  cat >"$work/Cargo.toml" <<'EOF'
[package]
name = "modnet-wasm-sysroot"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
crate-type = ["rlib"]
[profile.release]
panic = "abort"
EOF
  printf '#![no_std]\nextern crate alloc;\n' >"$work/src/lib.rs"
  # Keep LLVM bitcode in the rlibs: the runtime blob is linked with LTO
  # (cargo would otherwise pass -C embed-bitcode=no for a plain rlib build).
  flags="-C embed-bitcode=yes"
  [ "$target" = wasm32-unknown-unknown ] && flags="$flags -C target-cpu=mvp"
  (cd "$work" && RUSTC_BOOTSTRAP=1 RUSTFLAGS="$flags" CARGO_TARGET_DIR="$work/target" \
    rustup run "$MODNET_WASM_TOOLCHAIN" cargo build -q --release --offline --target "$target" \
      -Zbuild-std=core,alloc \
      --config "source.crates-io.replace-with='stdvendor'" \
      --config "source.stdvendor.directory='/usr/lib/rustlib/src/rust/library/vendor'")
  as_root mkdir -p "$sysroot_lib"
  as_root rm -f "$sysroot_lib"/lib{core,alloc,compiler_builtins}-*.rlib "$sysroot_lib"/.modnet-sysroot-*
  as_root cp "$work/target/$target/release/deps/"lib{core,alloc,compiler_builtins}-*.rlib "$sysroot_lib/"
  as_root touch "$stamp"
  rm -rf "$work"
  # Runtime builds against the old sysroot no longer link: start them afresh.
  rm -rf "$CARGO_TARGET_DIR"/*/wbuild/*/target
}

step_wasm() {
  if have_rustup_wasm; then log "wasm: rustup has a wasm target; nothing to do"; return; fi
  apt_install "${wasm_apt_packages[@]}"
  if ! rustup toolchain list | grep -q "^$MODNET_WASM_TOOLCHAIN"; then
    log "wasm: linking Debian's rustc-web as rustup toolchain $MODNET_WASM_TOOLCHAIN"
    rustup toolchain link "$MODNET_WASM_TOOLCHAIN" /usr
  fi
  build_wasm_sysroot wasm32v1-none
  build_wasm_sysroot wasm32-unknown-unknown
}

# --- 3. JavaScript dependencies ----------------------------------------------
step_node() {
  if [ -d "$root/node_modules" ] && [ "$root/node_modules/.package-lock.json" -nt "$root/package-lock.json" ]; then
    log "npm: node_modules is up to date"
  else
    log "npm: installing dependencies (npm ci)"
    (cd "$root" && npm ci --no-audit --no-fund)
  fi
}

# --- 4. Kubo, the reference IPFS daemon the tests also run against -----------
# Built from the Go module proxy into the cache (scripts/install-kubo.sh).
step_kubo() {
  if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
    log "kubo: no Go toolchain found (need Go >= 1.25 on PATH or in /usr/local/go)" >&2
    exit 1
  fi
  PATH="$PATH:/usr/local/go/bin" bash "$root/scripts/install-kubo.sh"
}

case "${1:-all}" in
  system) step_system ;;
  wasm) step_wasm ;;
  node) step_node ;;
  kubo) step_kubo ;;
  all) step_system; step_wasm; step_node; step_kubo ;;
  *) echo "usage: $0 [all|system|wasm|node|kubo]" >&2; exit 2 ;;
esac
log "done: ${1:-all}"
