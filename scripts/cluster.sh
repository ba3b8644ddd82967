#!/usr/bin/env bash
# Runs a Mod-Net cluster on loopback until Ctrl-C: the dev chain, N replicas
# (each a Kubo daemon and a gateway following the chain on its own) and
# HAProxy spreading reads and uploads over the replicas' gateways.
#
#   scripts/cluster.sh [--replicas N]   the cluster (default 2 replicas, a, b, ...)
#   scripts/cluster.sh join             one more replica next to a running cluster:
#                                       fresh Kubo peered with the others, its own
#                                       gateway, added to the balancer while it runs
#
# Every replica pins every CID the finalized chain registers; what its Kubo
# lacks it fetches from the other Kubos over bitswap (they peer with each
# other, on loopback only). The chain is the shared pin set: nothing else is
# shared or agreed on between replicas.
#
# A replica process (Kubo or gateway) that dies is reported with its log and
# the cluster keeps running: HAProxy takes that gateway out (a dead gateway
# refuses connections; one without its Kubo fails /healthz). It is not
# restarted. The node or HAProxy dying, or the last whole replica, stops
# everything, reported as in start.sh.
#
# State lives under $MODNET_HOME/cluster (default .modnet/cluster), so a
# restart keeps the chain, the pins and the Kubo repos. Ports (override with
# the variables; distinct from start.sh's so both can run):
#   MODNET_CLUSTER_RPC_PORT=9945, MODNET_CLUSTER_P2P_WS_PORT=30343 (and
#   MODNET_CLUSTER_P2P_TCP_PORT, default the next one),
#   MODNET_CLUSTER_PROMETHEUS_PORT=9616, MODNET_CLUSTER_BALANCER_PORT=8090,
#   MODNET_CLUSTER_GATEWAY_PORT=8091 (replica i, from 0, listens on +i),
#   MODNET_CLUSTER_KUBO_PORT=5101 (replica i: Kubo RPC API on +3i, Kubo's own
#   HTTP gateway on +3i+1, libp2p swarm on +3i+2).
# MODNET_CLUSTER_REPLICAS=2 is the default of --replicas;
# MODNET_CLUSTER_GATEWAY_ARGS adds options to every gateway (e.g. rate limits).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/env.sh"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
mode=cluster
replicas=${MODNET_CLUSTER_REPLICAS:-2}
while [ $# -gt 0 ]; do
  case $1 in
    --replicas) [ $# -ge 2 ] || usage; replicas=$2; shift 2 ;;
    --replicas=*) replicas=${1#--replicas=}; shift ;;
    join) mode=join; shift ;;
    -h|--help) usage ;;
    *) echo "cluster: unknown argument: $1" >&2; usage ;;
  esac
done
# At most 8: replica letters a..h, and each replica's ports are base + offset.
if ! [[ $replicas =~ ^[1-8]$ ]]; then echo "cluster: --replicas must be 1 to 8, not \"$replicas\"" >&2; exit 2; fi

home=${MODNET_HOME:-$root/.modnet}
state=$home/cluster
run_dir=$state/run
rpc_port=${MODNET_CLUSTER_RPC_PORT:-9945}
ws_port=${MODNET_CLUSTER_P2P_WS_PORT:-30343}
tcp_port=${MODNET_CLUSTER_P2P_TCP_PORT:-$((ws_port + 1))}
prometheus_port=${MODNET_CLUSTER_PROMETHEUS_PORT:-9616}
balancer_port=${MODNET_CLUSTER_BALANCER_PORT:-8090}
gateway_base=${MODNET_CLUSTER_GATEWAY_PORT:-8091}
kubo_base=${MODNET_CLUSTER_KUBO_PORT:-5101}
read -r -a gateway_extra_args <<<"${MODNET_CLUSTER_GATEWAY_ARGS:-}"
node_js=$root/node_modules/.bin/node
node_bin=$CARGO_TARGET_DIR/release/modnet-node
kubo_version=$(sed -n 's/^KUBO_VERSION=//p' "$root/scripts/install-kubo.sh")
kubo_bin=${MODNET_KUBO_BIN:-${MODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modnet}/kubo-$kubo_version/ipfs}
haproxy_bin=$(command -v haproxy || true)
haproxy_sock=$run_dir/haproxy.sock
backend=gateways

for need in "$node_js" "$kubo_bin" "$haproxy_bin"; do
  if [ -z "$need" ] || [ ! -x "$need" ]; then
    echo "cluster: missing ${need:-haproxy}: run scripts/setup.sh (or make cluster)" >&2
    exit 1
  fi
done
[ "$mode" = join ] || [ -x "$node_bin" ] || { echo "cluster: missing $node_bin: run make build" >&2; exit 1; }

letter() { printf "\\x$(printf %x $((97 + $1)))"; }
# Replica i's ports: sets gateway_port, kubo_api, kubo_gateway, kubo_swarm.
replica_ports() {
  gateway_port=$((gateway_base + $1))
  kubo_api=$((kubo_base + 3 * $1))
  kubo_gateway=$((kubo_api + 1))
  kubo_swarm=$((kubo_api + 2))
}
# Whether the process a pid file names is alive.
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
log_name() { [ "$mode" = join ] && echo "[cluster join]" || echo "[cluster]"; }

# Before anything starts: is there a cluster to join, or one running already?
if [ "$mode" = join ]; then
  [ -f "$run_dir/cluster.env" ] || { echo "cluster join: no cluster state in $state: start one with scripts/cluster.sh" >&2; exit 1; }
  # shellcheck source=/dev/null
  source "$run_dir/cluster.env"
  gateway_base=$cluster_gateway_base kubo_base=$cluster_kubo_base rpc_port=$cluster_rpc_port
  running "$run_dir/haproxy.pid" || { echo "cluster join: the cluster in $state is not running" >&2; exit 1; }
  # The first replica slot past the cluster's that no running join holds.
  index=
  for ((i = cluster_replicas; i < 8; i++)); do
    if ! running "$run_dir/join-$(letter "$i").pid"; then index=$i; break; fi
  done
  [ -n "$index" ] || { echo "cluster join: no replica slot left (8 at most)" >&2; exit 1; }
  name=$(letter "$index")
else
  if running "$run_dir/haproxy.pid"; then
    echo "cluster: a cluster already runs with its state in $state (HAProxy pid $(cat "$run_dir/haproxy.pid"))" >&2
    exit 1
  fi
  mkdir -p "$run_dir"
  rm -f "$run_dir"/*.pid "$run_dir/cluster.env" "$haproxy_sock"
fi

# --- children -------------------------------------------------------------------
# Each child runs in its own session (setsid), so Ctrl-C reaches only this
# script, which then stops the children: a child that exits by itself is
# always a crash, reported with its log, never mistaken for Ctrl-C.
# shellcheck source=scripts/supervise.sh
source "$root/scripts/supervise.sh"
supervise_pid_dir=$run_dir
stopping=0
cleanup_hooks=()
stop_all() {
  trap - INT TERM HUP EXIT
  stopping=1
  echo "$(log_name) stopping..."
  local hook
  for hook in "${cleanup_hooks[@]}"; do "$hook" || true; done
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
  for pid in "${pids[@]}"; do rm -f "$run_dir/${names[$pid]}.pid"; done
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM HUP
trap stop_all EXIT
# A start-up wait that ends in a crash report (and stops the rest) when the child dies first.
wait_until() { # wait_until WHAT SECONDS PID COMMAND...
  local what=$1 seconds=$2 pid=$3 status
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      set +e; wait "$pid"; status=$?; set -e
      unset "alive[$pid]"
      { report_exit "$pid" "$status" "$(log_name) CRASH while starting:"; echo "$(log_name) stopping the rest"; } >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      { echo "$(log_name) ${names[$pid]} did not get $what within $seconds s; the last lines of ${logs[$pid]}:"; tail -n 20 "${logs[$pid]}" | sed 's/^/  | /'; } >&2
      exit 1
    fi
    sleep 0.25
  done
}
# The HTTP status of GET http://127.0.0.1:PORT/PATH, through bash's /dev/tcp (no curl needed).
http_status() (
  exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  code=
  IFS=' ' read -r -t 5 _ code _ <&3 || true
  echo "$code"
)
http_ok() { [ "$(http_status "$1" "$2" 2>/dev/null)" = 200 ]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# One command on HAProxy's admin socket (the runtime API); prints the answer.
haproxy_cli() {
  "$node_js" -e '
    const [path, command] = process.argv.slice(1)
    const socket = require("node:net").connect(path, () => socket.end(command + "\n"))
    let answer = ""
    socket.on("data", (chunk) => { answer += chunk })
    socket.on("end", () => process.stdout.write(answer))
    socket.on("error", (error) => { console.error(`haproxy socket ${path}: ${error.message}`); process.exit(1) })
  ' "$haproxy_sock" "$*"
}

# --- a replica: Kubo + gateway ----------------------------------------------------
kubo() { IPFS_PATH=$1 IPFS_TELEMETRY=off "$kubo_bin" "${@:2}"; }
# Creates (once) and configures replica i's Kubo repo: online, but on loopback
# only, TCP only, no bootstrap/DHT/MDNS/relay/NAT traversal; it talks to the
# peers it is told about (Peering) and nobody else. The RPC API is admin-level:
# 127.0.0.1 only.
kubo_setup() { # kubo_setup I
  local repo=$state/kubo-$(letter "$1")
  replica_ports "$1"
  if [ ! -f "$repo/config" ]; then
    mkdir -p "$repo"
    kubo "$repo" init --profile=test >/dev/null
  fi
  kubo "$repo" config Addresses.API "/ip4/127.0.0.1/tcp/$kubo_api"
  kubo "$repo" config Addresses.Gateway "/ip4/127.0.0.1/tcp/$kubo_gateway"
  kubo "$repo" config --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/$kubo_swarm\"]"
  kubo "$repo" config --json Addresses.Announce '[]'
  kubo "$repo" config --json Bootstrap '[]'
  kubo "$repo" config --json Discovery.MDNS.Enabled false
  kubo "$repo" config Routing.Type none
  kubo "$repo" config --json AutoConf.Enabled false
  kubo "$repo" config AutoNAT.ServiceMode disabled
  kubo "$repo" config --json Swarm.RelayClient.Enabled false
  kubo "$repo" config --json Swarm.RelayService.Enabled false
  kubo "$repo" config --json Swarm.EnableHolePunching false
  kubo "$repo" config --json Swarm.DisableNatPortMap true
  local transport
  for transport in QUIC WebTransport WebRTCDirect Websocket Relay; do
    kubo "$repo" config --json "Swarm.Transports.Network.$transport" false
  done
  # No content routing to announce to: peers ask each other directly (bitswap).
  kubo "$repo" config --json Provide.Enabled false
  # Kubo's own HTTP gateway (loopback, for operators) serves only what this node holds.
  kubo "$repo" config --json Gateway.NoFetch true
}
kubo_peer_id() { kubo "$state/kubo-$(letter "$1")" config Identity.PeerID; }
# Peering.Peers of replica i's Kubo: every replica in PEER_INDEXES but itself.
kubo_peering() { # kubo_peering I PEER_INDEXES...
  local self=$1 peers='' j
  shift
  for j in "$@"; do
    [ "$j" = "$self" ] && continue
    replica_ports "$j"
    peers+="${peers:+,}{\"ID\":\"$(kubo_peer_id "$j")\",\"Addrs\":[\"/ip4/127.0.0.1/tcp/$kubo_swarm\"]}"
  done
  kubo "$state/kubo-$(letter "$self")" config --json Peering.Peers "[$peers]"
}
# Connects replica i's running Kubo to the others now (Peering alone takes a
# few seconds to dial, and keeps the connections up afterwards).
kubo_connect() { # kubo_connect I PEER_INDEXES...
  local self=$1 j
  shift
  for j in "$@"; do
    [ "$j" = "$self" ] && continue
    replica_ports "$j"
    kubo "$state/kubo-$(letter "$self")" swarm connect "/ip4/127.0.0.1/tcp/$kubo_swarm/p2p/$(kubo_peer_id "$j")" >/dev/null 2>&1 || true
  done
}
start_kubo() { # start_kubo I
  local name=kubo-$(letter "$1") mark
  touch "$state/$name.log"
  mark=$(wc -l <"$state/$name.log")
  run "$name" "$state/$name.log" env IPFS_PATH="$state/$name" IPFS_TELEMETRY=off "$kubo_bin" daemon
  local pid=$!
  # "Daemon is ready" in this run's part of the log.
  wait_until "ready" 60 "$pid" kubo_ready "$state/$name.log" "$mark"
}
kubo_ready() { tail -n +"$(($2 + 1))" "$1" | grep -q 'Daemon is ready'; }
start_gateway() { # start_gateway I
  local name=gateway-$(letter "$1")
  replica_ports "$1"
  run "$name" "$state/$name.log" "$node_js" "$root/gateway/main.ts" --host 127.0.0.1 --port "$gateway_port" \
    --data-dir "$state/$name" --ipfs "kubo:http://127.0.0.1:$kubo_api" --rpc "ws://127.0.0.1:$rpc_port" \
    --trusted-proxies 127.0.0.1 ${gateway_extra_args[@]+"${gateway_extra_args[@]}"}
}
gateway_pid() { cat "$run_dir/gateway-$(letter "$1").pid"; }

# --- HAProxy ----------------------------------------------------------------------
passive_check_options="observe layer4 error-limit 1 on-error mark-down"
write_haproxy_config() { # write_haproxy_config REPLICAS
  local i
  {
    cat <<CFG
# Written by scripts/cluster.sh at every start: change the script, not this file.
global
    log stderr format raw local0
    # The runtime API (admin level, owner only): server states; \`cluster.sh join\` adds servers.
    stats socket $haproxy_sock mode 600 level admin
    # Uploads are at most 64 KiB: a buffer that holds one whole (with headers)
    # lets a failed upload be sent again to another gateway.
    tune.bufsize 98304
    maxconn 2000

defaults
    mode http
    log global
    option httplog
    # Only errors, retries and redispatches are logged (not port probes).
    option dontlog-normal
    option dontlognull
    # Loopback connects take microseconds. After a failed connect HAProxy
    # waits min(timeout connect, 1 s) before the retry: this bounds that too.
    timeout connect 250ms
    timeout client 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 5s
    # A gateway gives up on an IPFS read after 10 s (504): wait a bit longer than that.
    timeout server 15s
    timeout check 2s

frontend modnet
    bind 127.0.0.1:$balancer_port
    default_backend $backend

backend $backend
    balance roundrobin
    # /healthz is 503 when a gateway's chain view is stale or its IPFS or storage fails.
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # The client's address for the gateways' rate limits (they trust 127.0.0.1
    # and take the right-most address no trusted proxy added).
    option forwardfor
    # The whole request (uploads: <= 64 KiB) is read before a gateway is
    # picked, so it can be sent again.
    option http-buffer-request
    # Reads are idempotent, and so is an upload (same bytes, same CID, a
    # provisional pin on whichever gateway takes it): a request that meets a
    # dead or failing gateway goes to another one (every retry to another).
    # That is all-retryable-errors but 504: a gateway's 504 means no IPFS node
    # it can reach had the block within 10 s, and its Kubo asks the others'
    # Kubos, so trying them all again took 4 x 10 s for one unknown CID.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout 0rtt-rejected 500 502 503
    # Checks every 0.5 s; besides, a refused or failed connection in real
    # traffic takes the gateway out at once (back after two good checks).
    default-server check inter 500ms fall 2 rise 2 $passive_check_options
CFG
    for ((i = 0; i < $1; i++)); do
      replica_ports "$i"
      echo "    server gateway-$(letter "$i") 127.0.0.1:$gateway_port"
    done
  } >"$state/haproxy.cfg"
  "$haproxy_bin" -c -q -f "$state/haproxy.cfg"
}
# Health-check options for servers added at run time (they do not inherit default-server).
dynamic_server_options="check inter 500ms fall 2 rise 2 $passive_check_options"

# --- join: one more replica next to a running cluster -----------------------------
if [ "$mode" = join ]; then
  echo $$ >"$run_dir/join-$name.pid"
  drop_join_pid() { rm -f "$run_dir/join-$name.pid"; }
  cleanup_hooks+=(drop_join_pid)
  kubo_setup "$index"
  peers=()
  peer_letters=
  for ((i = 0; i < cluster_replicas; i++)); do peers+=("$i"); peer_letters+="${peer_letters:+, }$(letter "$i")"; done
  kubo_peering "$index" "$index" "${peers[@]}"
  start_kubo "$index"
  kubo_connect "$index" "${peers[@]}"
  start_gateway "$index"
  replica_ports "$index"
  wait_until "healthy (/healthz 200)" 90 "$(gateway_pid "$index")" http_ok "$gateway_port" /healthz
  leave_balancer() {
    haproxy_cli "disable server $backend/gateway-$name" >/dev/null 2>&1
    haproxy_cli "shutdown sessions server $backend/gateway-$name" >/dev/null 2>&1
    haproxy_cli "del server $backend/gateway-$name" >/dev/null 2>&1
  }
  answer=$(haproxy_cli "add server $backend/gateway-$name 127.0.0.1:$gateway_port $dynamic_server_options")
  case $answer in *"New server registered"*) ;; *) echo "cluster join: HAProxy refused the server: $answer" >&2; exit 1 ;; esac
  cleanup_hooks+=(leave_balancer)
  haproxy_cli "enable health $backend/gateway-$name" >/dev/null
  haproxy_cli "enable server $backend/gateway-$name" >/dev/null
  cat <<MSG
[cluster join] replica $name joined the cluster in $state (logs kubo-$name.log, gateway-$name.log)
  gateway   http://127.0.0.1:$gateway_port  (also behind the balancer http://127.0.0.1:$cluster_balancer_port as gateway-$name)
  Kubo      RPC http://127.0.0.1:$kubo_api (loopback only), swarm /ip4/127.0.0.1/tcp/$kubo_swarm, peered with replicas $peer_letters
  It pins every registered CID, fetching from the other Kubos. Ctrl-C takes it out of the balancer and stops it.
MSG
  set +e
  wait -n -p crashed "${pids[@]}"
  status=$?
  set -e
  { report_exit "$crashed" "$status" "[cluster join] CRASH:"; echo "[cluster join] stopping replica $name"; } >&2
  stop_all
  exit 1
fi

# --- the cluster ----------------------------------------------------------------
# The light clients' chain spec names this node's p2p WebSocket port.
"$node_js" "$root/chain-spec/generate.ts" --bootnode-addr "/ip4/127.0.0.1/tcp/$ws_port/ws" \
  --out "$state/chain-spec" --no-publish >/dev/null
chain_spec=$state/chain-spec/modnet-dev.raw.json

run node "$state/node.log" "$node_bin" --dev --base-path "$state/chain" \
  --rpc-port "$rpc_port" --prometheus-port "$prometheus_port" \
  --listen-addr "/ip4/127.0.0.1/tcp/$ws_port/ws" --listen-addr "/ip4/127.0.0.1/tcp/$tcp_port" \
  --no-telemetry --no-mdns
node_pid=$!

indexes=()
for ((i = 0; i < replicas; i++)); do indexes+=("$i"); kubo_setup "$i"; done
for i in "${indexes[@]}"; do kubo_peering "$i" "${indexes[@]}"; done
for i in "${indexes[@]}"; do start_kubo "$i"; done
for i in "${indexes[@]}"; do kubo_connect "$i" "${indexes[@]:i+1}"; done
wait_until "its RPC port open" 60 "$node_pid" port_open "$rpc_port"
for i in "${indexes[@]}"; do start_gateway "$i"; done
# HAProxy starts once the gateways are healthy, so it never sees them down at start.
for i in "${indexes[@]}"; do
  replica_ports "$i"
  wait_until "healthy (/healthz 200)" 90 "$(gateway_pid "$i")" http_ok "$gateway_port" /healthz
done
write_haproxy_config "$replicas"
run haproxy "$state/haproxy.log" "$haproxy_bin" -db -f "$state/haproxy.cfg"
wait_until "its port open" 30 "$!" port_open "$balancer_port"
# What `cluster.sh join` needs to find this cluster.
printf 'cluster_%s=%s\n' replicas "$replicas" balancer_port "$balancer_port" rpc_port "$rpc_port" \
  gateway_base "$gateway_base" kubo_base "$kubo_base" >"$run_dir/cluster.env"
# A joined replica (its own script) goes when the cluster does.
stop_joined() {
  local file
  for file in "$run_dir"/join-*.pid; do
    [ -f "$file" ] && kill -TERM "$(cat "$file")" 2>/dev/null
  done
  return 0
}
cleanup_hooks+=(stop_joined)

replica_lines=
for i in "${indexes[@]}"; do
  replica_ports "$i"
  replica_lines+="  replica $(letter "$i")              gateway http://127.0.0.1:$gateway_port, Kubo RPC http://127.0.0.1:$kubo_api (loopback only), swarm /ip4/127.0.0.1/tcp/$kubo_swarm"$'\n'
done
logs_list="node.log, haproxy.log, $(for i in "${indexes[@]}"; do printf 'kubo-%s.log, gateway-%s.log, ' "$(letter "$i")" "$(letter "$i")"; done)"
cli="MODNET_CHAIN_SPEC=$chain_spec bin/modnet --ipfs gateway:http://127.0.0.1:$balancer_port"
cat <<MSG
[cluster] Mod-Net cluster: $replicas replicas behind HAProxy (state in $state; logs ${logs_list%, })
  chain JSON-RPC         ws://127.0.0.1:$rpc_port
  p2p for light clients  /ip4/127.0.0.1/tcp/$ws_port/ws  (chain spec: $chain_spec)
  chain Prometheus       http://127.0.0.1:$prometheus_port/metrics
  balancer               http://127.0.0.1:$balancer_port  (uploads, /ipfs/<cid>, /api/v1/...; HAProxy config $state/haproxy.cfg)
${replica_lines}  One more replica: scripts/cluster.sh join (from another terminal).
  From another terminal (dev accounts only):
    $cli register --metadata examples/hello-module.json --key-uri //Alice
  A replica that dies is reported and the balancer routes around it; the node
  or HAProxy dying stops the cluster. Ctrl-C stops everything.
MSG

# Supervise: a replica process ending is reported, and the cluster goes on
# while a whole replica (Kubo and gateway) is left; the node, HAProxy or the
# last whole replica ending is fatal.
whole_replicas() {
  local pid count=0 replica
  declare -A kubo_up=()
  for pid in "${!alive[@]}"; do [[ ${names[$pid]} == kubo-* ]] && kubo_up[${names[$pid]#kubo-}]=1; done
  for pid in "${!alive[@]}"; do
    replica=${names[$pid]#gateway-}
    [[ ${names[$pid]} == gateway-* && -n ${kubo_up[$replica]:-} ]] && count=$((count + 1))
  done
  echo "$count"
}
while :; do
  set +e
  wait -n -p ended "${!alive[@]}"
  status=$?
  set -e
  [ "$stopping" = 1 ] && exit 130
  unset "alive[$ended]"
  name=${names[$ended]:-?}
  left=$(whole_replicas)
  if [[ $name == gateway-* || $name == kubo-* ]] && [ "$left" -gt 0 ]; then
    replica=${name#*-}
    {
      report_exit "$ended" "$status" "[cluster] REPLICA DOWN: replica $replica:"
      [[ $name == kubo-* ]] && echo "[cluster] gateway $replica is unhealthy without its Kubo (/healthz 503)"
      echo "[cluster] the balancer routes around replica $replica; $left whole replica(s) left; the cluster keeps running"
    } >&2
    continue
  fi
  {
    report_exit "$ended" "$status" "[cluster] CRASH:"
    [[ $name == gateway-* || $name == kubo-* ]] && echo "[cluster] no whole replica (Kubo and gateway) is left"
    echo "[cluster] stopping the rest"
  } >&2
  stop_all
  exit 1
done
