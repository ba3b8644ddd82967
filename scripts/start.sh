#!/usr/bin/env bash
# Runs the local Mod-Net stack on embedded defaults until Ctrl-C.
# State lives under $MODNET_HOME (default .modnet/) so a restart keeps it.
#
# Ports (override with the variables): MODNET_RPC_PORT=9944, MODNET_P2P_WS_PORT=30333,
# MODNET_PROMETHEUS_PORT=9615.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/env.sh"

home=${MODNET_HOME:-$root/.modnet}
rpc_port=${MODNET_RPC_PORT:-9944}
ws_port=${MODNET_P2P_WS_PORT:-30333}
prometheus_port=${MODNET_PROMETHEUS_PORT:-9615}
node_bin=$CARGO_TARGET_DIR/release/modnet-node
mkdir -p "$home"
if [ "$ws_port" != 30333 ]; then
  # The generated dev spec names port 30333; point it at this one instead.
  "$root/node_modules/.bin/node" "$root/chain-spec/generate.ts" --bootnode-addr "/ip4/127.0.0.1/tcp/$ws_port/ws"
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo "[start] stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop_all INT TERM EXIT

"$node_bin" --dev --base-path "$home/chain" \
  --rpc-port "$rpc_port" --prometheus-port "$prometheus_port" \
  --listen-addr "/ip4/127.0.0.1/tcp/$ws_port/ws" --listen-addr "/ip4/127.0.0.1/tcp/$((ws_port + 1))" \
  --no-telemetry --no-mdns >>"$home/node.log" 2>&1 &
pids+=($!)

cat <<MSG
[start] Mod-Net dev chain (log: $home/node.log)
  JSON-RPC     ws://127.0.0.1:$rpc_port
  p2p for light clients  /ip4/127.0.0.1/tcp/$ws_port/ws  (chain spec: chain-spec/modnet-dev.raw.json)
  Prometheus   http://127.0.0.1:$prometheus_port/metrics
  Ctrl-C stops everything.
MSG
wait -n "${pids[@]}"
echo "[start] a process exited; see $home/node.log" >&2
exit 1
