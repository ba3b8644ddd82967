/**
 * `make network`: a 4-validator Mod-Net network plus one RPC/bootnode on
 * loopback, until Ctrl-C. State lives in $MODNET_HOME/network (default
 * .modnet/network), so a restart continues the same chain.
 *
 * Ports (the same variables as `make start`): MODNET_RPC_PORT=9944 is the
 * RPC/bootnode's JSON-RPC, MODNET_P2P_WS_PORT=30333 its WebSocket p2p port for
 * browsers, MODNET_P2P_TCP_PORT (default the next one) its TCP p2p port,
 * MODNET_PROMETHEUS_PORT=9615 its metrics. Validator i (1-4) listens on JSON-RPC
 * MODNET_RPC_PORT+i and p2p TCP MODNET_P2P_TCP_PORT+i. MODNET_VALIDATORS sets
 * how many validators (1-6, default 4), MODNET_SESSION_LENGTH the session
 * length in blocks (default 20).
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LocalNetwork, DEV_NAMES } from './network/local-network.ts'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))

function port(name: string, fallback: number): number {
  const value = process.env[name]
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`[network] ${name}=${value} is not a TCP port (1-65535)`)
    process.exit(2)
  }
  return n
}

const rpc = port('MODNET_RPC_PORT', 9944)
const ws = port('MODNET_P2P_WS_PORT', 30333)
const p2p = port('MODNET_P2P_TCP_PORT', ws + 1)
const prometheus = port('MODNET_PROMETHEUS_PORT', 9615)
const count = port('MODNET_VALIDATORS', 4)
if (count > DEV_NAMES.length) {
  console.error(`[network] MODNET_VALIDATORS=${count}: at most ${DEV_NAMES.length} (one per dev key)`)
  process.exit(2)
}
const sessionLength = port('MODNET_SESSION_LENGTH', 20)
const home = join(process.env.MODNET_HOME ?? join(root, '.modnet'), 'network')

const network = await LocalNetwork.create({
  home,
  sessionLength,
  ports: {
    rpc, ws, p2p, prometheus,
    validators: Array.from({ length: count }, (_, i) => ({ rpc: rpc + i + 1, p2p: p2p + i + 1 })),
  },
})

let stopping = false
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    console.log('[network] stopping...')
    await network.stop()
  }
  process.exit(code)
}
process.on('SIGINT', () => void stop(130))
process.on('SIGTERM', () => void stop(143))
process.on('SIGHUP', () => void stop(129))

try {
  await network.start()
} catch (error) {
  console.error(`[network] could not start: ${(error as Error).message}`)
  await stop(1)
}
// Where the CLI and the web app look by default for a chain spec named like this one.
const published = join(root, 'chain-spec', 'modnet-network.raw.json')
copyFileSync(network.specFile, published)
mkdirSync(join(root, 'public', 'chain-specs'), { recursive: true })
copyFileSync(network.specFile, join(root, 'public', 'chain-specs', 'modnet-network.raw.json'))

console.log(`[network] Mod-Net local network (state in ${home}; each node logs to <node>/node.log)
  RPC/bootnode JSON-RPC  ws://127.0.0.1:${rpc}   (safe methods, archive)
  p2p for light clients  ${network.rpcNode.wsAddr}
  p2p for full nodes     ${network.rpcNode.p2pAddr}
  Prometheus             http://127.0.0.1:${prometheus}/metrics
${network.validators.map((v) => `  validator ${v.name.padEnd(8)}     ws://127.0.0.1:${v.spec.rpcPort}   (operator RPC, unsafe)`).join('\n')}
  chain spec             ${published}
                         (also public/chain-specs/modnet-network.raw.json for the web app's config.json)
  From another terminal (through the light client; sudo is the dev key //Alice):
    MODNET_CHAIN_SPEC=${published} bin/modnet status
    node scripts/validator.ts status --rpc ws://127.0.0.1:${rpc}
  Ctrl-C stops every node.`)

// A node that exits by itself is a crash: say which, show its log, stop the rest.
for (;;) {
  await new Promise((r) => setTimeout(r, 1000))
  const crashed = network.nodes.find((n) => !n.running)
  if (crashed !== undefined && !stopping) {
    console.error(`[network] CRASH: node ${crashed.name} exited; the last lines of ${crashed.logFile}:\n${crashed.logTail(20).replace(/^/gm, '  | ')}`)
    await stop(1)
  }
}
