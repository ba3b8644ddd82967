#!/usr/bin/env bash
# Runs the local Mod-Net stack on embedded defaults until Ctrl-C.
# State lives under $MODNET_HOME (default .modnet/) so a restart keeps it.
#
# It runs the dev chain (modnet-node --dev), the gateway (embedded Helia,
# following the chain) and the web app (the static export in out/).
# Ports (override with the variables): MODNET_RPC_PORT=9944,
# MODNET_P2P_WS_PORT=30333 (and MODNET_P2P_TCP_PORT, default the next one),
# MODNET_PROMETHEUS_PORT=9615, MODNET_GATEWAY_PORT=8088, MODNET_WEB_PORT=3000.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/env.sh"

home=${MODNET_HOME:-$root/.modnet}
rpc_port=${MODNET_RPC_PORT:-9944}
ws_port=${MODNET_P2P_WS_PORT:-30333}
tcp_port=${MODNET_P2P_TCP_PORT:-$((ws_port + 1))}
prometheus_port=${MODNET_PROMETHEUS_PORT:-9615}
gateway_port=${MODNET_GATEWAY_PORT:-8088}
web_port=${MODNET_WEB_PORT:-3000}
node_js=$root/node_modules/.bin/node
node_bin=$CARGO_TARGET_DIR/release/modnet-node
mkdir -p "$home"
chain_spec=$root/chain-spec/modnet-dev.raw.json
if [ "$ws_port" != 30333 ]; then
  # The generated dev spec names port 30333: make one for this port, in $home.
  "$node_js" "$root/chain-spec/generate.ts" --bootnode-addr "/ip4/127.0.0.1/tcp/$ws_port/ws" \
    --out "$home/chain-spec" --no-publish >/dev/null
  chain_spec=$home/chain-spec/modnet-dev.raw.json
fi

# A dev chain made by an older build has another genesis than this build's dev
# chain spec: the node would carry on with the old runtime, and light clients
# booted from the new spec would never find it. It is dev data (public dev
# keys), so it is set aside, never deleted, and a new dev chain starts.
genesis_mark=$home/chain/genesis.sha256
spec_genesis=$("$node_js" -e 'const spec = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
process.stdout.write(require("crypto").createHash("sha256").update(JSON.stringify(spec.genesis)).digest("hex"))' "$chain_spec")
if [ -d "$home/chain/chains" ] && [ "$(cat "$genesis_mark" 2>/dev/null)" != "$spec_genesis" ]; then
  aside=$home/chain.old-$(date +%Y%m%d-%H%M%S)
  mv "$home/chain" "$aside"
  echo "[start] the dev chain in $home/chain was made by an older build (its genesis is not this build's);" \
    "it is dev data, so it was moved to $aside and a new dev chain starts (modules registered there are not carried over)" >&2
fi
mkdir -p "$home/chain"
echo "$spec_genesis" >"$genesis_mark"

# shellcheck source=scripts/supervise.sh
source "$root/scripts/supervise.sh"
stopping=0
stop_all() {
  trap - INT TERM HUP EXIT
  stopping=1
  echo "[start] stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM HUP
trap stop_all EXIT

run node "$home/node.log" "$node_bin" --dev --base-path "$home/chain" \
  --rpc-port "$rpc_port" --prometheus-port "$prometheus_port" \
  --listen-addr "/ip4/127.0.0.1/tcp/$ws_port/ws" --listen-addr "/ip4/127.0.0.1/tcp/$tcp_port" \
  --no-telemetry --no-mdns

run gateway "$home/gateway.log" "$node_js" "$root/gateway/main.ts" --port "$gateway_port" --data-dir "$home/gateway" \
  --rpc "ws://127.0.0.1:$rpc_port"

# The web app: the export as a deployer ships it, its config.json pointing at this stack.
rm -rf "$home/web"
cp -R "$root/out" "$home/web"
mkdir -p "$home/web/chain-specs"
cp "$chain_spec" "$home/web/chain-specs/modnet-dev.raw.json"
printf '{"chainSpec":"chain-specs/modnet-dev.raw.json","gateway":"http://127.0.0.1:%s","devAccounts":true}\n' "$gateway_port" >"$home/web/config.json"
run web "$home/web.log" "$node_js" "$root/scripts/serve-static.ts" "$home/web" --port "$web_port"

cli=bin/modnet
[ "$chain_spec" != "$root/chain-spec/modnet-dev.raw.json" ] && cli="MODNET_CHAIN_SPEC=$chain_spec $cli"
[ "$gateway_port" != 8088 ] && cli="$cli --ipfs gateway:http://127.0.0.1:$gateway_port"
cat <<MSG
[start] Mod-Net local stack (state in $home; logs node.log, gateway.log, web.log)
  chain JSON-RPC         ws://127.0.0.1:$rpc_port
  p2p for light clients  /ip4/127.0.0.1/tcp/$ws_port/ws  (chain spec: $chain_spec)
  chain Prometheus       http://127.0.0.1:$prometheus_port/metrics
  gateway                http://127.0.0.1:$gateway_port  (/ipfs/<cid>, /healthz, /metrics)
  web app                http://127.0.0.1:$web_port/
  From another terminal (dev accounts only):
    $cli register --metadata examples/hello-module.json --key-uri //Alice
    $cli get 0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d
  Ctrl-C stops everything.
MSG
set +e
wait -n -p crashed "${pids[@]}"
status=$?
set -e
[ "$stopping" = 1 ] && exit 130
# Nobody asked it to stop: a crash (an error exit, a signal, or an unexpected clean exit).
{
  report_exit "$crashed" "$status" "[start] CRASH:"
  echo "[start] stopping the rest"
} >&2
stop_all
exit 1
