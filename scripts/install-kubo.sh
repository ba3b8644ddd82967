#!/usr/bin/env bash
# Builds Kubo (the reference IPFS daemon) from the Go module proxy into the
# Mod-Net cache, for tests (tests/support/kubo.ts finds it there). Idempotent:
# prints nothing when the binary is already installed and runs.
#
# `go install github.com/ipfs/kubo/cmd/ipfs@v…` refuses Kubo's go.mod because
# it has a replace directive, so we build from a copy of the module's source,
# where Kubo is the main module and its go.mod applies.
set -euo pipefail

KUBO_VERSION=v0.43.1
# Kubo v0.43.1 replaces go-libp2p with github.com/lidel/go-libp2p (a fork
# pseudo-version) until "a go-libp2p release requires quic-go >= v0.62.0 and
# webtransport-go >= v0.13.0". The module proxy we can reach does not serve
# that fork (403 "This module version is not available"); go-libp2p v0.50.0
# is that release (it requires exactly those two), so we use it instead.
LIBP2P_VERSION=v0.50.0

cache=${MODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modnet}
dest=$cache/kubo-$KUBO_VERSION/ipfs
if [[ -x $dest ]] && "$dest" version >/dev/null 2>&1; then
  exit 0
fi

go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
# Never fetch another Go toolchain; Go's caches stay in their default places.
export GOTOOLCHAIN=local

work=$(mktemp -d)
tmp_bin=
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work" ${tmp_bin:+"$tmp_bin"}' EXIT

echo "install-kubo: building Kubo $KUBO_VERSION (takes minutes on a cold Go cache)" >&2
start=$SECONDS
# Outside any module, so no go.mod around us is read or changed.
cd "$work"
# On failure the reason is in the JSON on stdout, so show it.
info=$("$go" mod download -json "github.com/ipfs/kubo@$KUBO_VERSION") || { echo "$info" >&2; exit 1; }
src_dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$info")
[[ -d $src_dir ]] || { echo "install-kubo: no source dir in: $info" >&2; exit 1; }
# The module cache is read-only; the build edits go.mod/go.sum in the copy.
cp -R "$src_dir/." "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
"$go" mod edit -dropreplace=github.com/libp2p/go-libp2p
"$go" get "github.com/libp2p/go-libp2p@$LIBP2P_VERSION"

mkdir -p "$(dirname "$dest")"
tmp_bin=$(mktemp "$dest.XXXXXX")
nice "$go" build -trimpath -o "$tmp_bin" ./cmd/ipfs
"$tmp_bin" version >/dev/null
mv -f "$tmp_bin" "$dest"
tmp_bin=
echo "install-kubo: installed $dest in $((SECONDS - start)) s" >&2
