/**
 * How many browsers' light clients one RPC/bootnode serves: starts a network
 * (1 validator + the RPC node with the given flags), then N smoldot clients
 * booted from its chain spec, as N browser tabs would be. After they settle it
 * counts the clients that have a peer and a finalized head close to the
 * node's, and reads the node's peer count, memory and CPU. The reference is
 * the node's own `--in-peers-light` slot count.
 *
 * Then, for `--read-seconds`, every client reads a registered module's record
 * once a second at its finalized head (a proof-checked read, as the web app
 * does): reads served per second, their p50/p99, failures, and the node's
 * CPU per client while they read.
 *
 *   node bench/light-clients.ts [--clients 50] [--in-peers-light N] [--settle 30] [--read-seconds 20]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { start, type Chain, type Client } from 'smoldot'
import { ModuleRegistryClient, moduleStorageKey } from '../lib/chain/index.ts'
import { computeCid } from '../lib/ipfs/index.ts'
import { LocalNetwork } from '../scripts/network/local-network.ts'
import { sleep } from '../scripts/child-process.ts'
import { freePort } from '../tests/support/ports.ts'
import { summarize } from './stats.ts'

const { values } = parseArgs({ options: {
  clients: { type: 'string', default: '50' },
  'in-peers-light': { type: 'string' },
  settle: { type: 'string', default: '30' },
  'read-seconds': { type: 'string', default: '20' },
} })
const readSeconds = Number(values['read-seconds'])
const clients = Number(values.clients)
const inPeersLight = values['in-peers-light']
const settle = Number(values.settle)

/** One JSON-RPC call to a smoldot chain; undefined when it has no answer within 5 s (no peer to ask). */
async function request(chain: Chain, method: string, params: unknown[] = []): Promise<any> {
  const id = Math.floor(Math.random() * 1e9)
  chain.sendJsonRpc(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
  const answer = (async () => {
    for (;;) {
      const message = JSON.parse(await chain.nextJsonRpcResponse())
      if (message.id === id) return message.result
    }
  })()
  return await Promise.race([answer, sleep(5_000).then(() => undefined)])
}

function nodeUsage(pid: number): { rssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return { rssMb: rssKb / 1024, cpuSeconds: (Number(stat[11]) + Number(stat[12])) / 100 }
}

/** Registers one module under Alice's own key (DEV) through the node's RPC; returns the key. */
async function registerOneModule(rpcUrl: string): Promise<string> {
  await cryptoWaitReady()
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice') // DEV key
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: rpcUrl })
  const key = u8aToHex(alice.publicKey)
  await client.register(key, (await computeCid(new TextEncoder().encode('light-client bench'))).toString(), alice)
  await client.disconnect()
  return key
}

/** Each client reads `storageKey` at its finalized head once a second; the latencies of the reads that came back. */
async function readEverySecond(chains: Chain[], storageKey: string, seconds: number, nodePid: number): Promise<{ latencies: number[]; failed: number; nodeCpuPercent?: number }> {
  const latencies: number[] = []
  let failed = 0
  const before = nodePid ? nodeUsage(nodePid) : undefined
  const started = performance.now()
  await Promise.all(chains.map(async (chain, i) => {
    await sleep((i / chains.length) * 1000) // spread over the second
    for (let n = 0; n < seconds; n++) {
      const due = started + (i / chains.length) * 1000 + n * 1000
      const t = performance.now()
      const head = await request(chain, 'chain_getFinalizedHead')
      const value = head === undefined ? undefined : await request(chain, 'state_getStorage', [storageKey, head])
      if (typeof value === 'string') latencies.push(performance.now() - t)
      else failed++
      await sleep(Math.max(0, due + 1000 - performance.now()))
    }
  }))
  const after = nodePid ? nodeUsage(nodePid) : undefined
  const elapsed = (performance.now() - started) / 1000
  return { latencies, failed, nodeCpuPercent: before && after ? ((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100 : undefined }
}

const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-light-'))
const network = await LocalNetwork.create({
  home: dir,
  ports: { rpc: await freePort(), p2p: await freePort(), ws: await freePort(), validators: [{ rpc: await freePort(), p2p: await freePort() }] },
})
if (inPeersLight !== undefined) network.rpcNode.spec.extraArgs = ['--in-peers-light', inPeersLight]
// Browsers can only dial the RPC node's WebSocket; smoldot in Node would also find the
// validator over TCP, so the validator takes no light clients, as docs/operators.md advises.
network.validators[0].spec.extraArgs = ['--in-peers-light', '0']
const smoldots: Client[] = []
try {
  await network.start(2)
  const moduleKey = await registerOneModule(network.rpcNode.rpcUrl)
  const pid = network.rpcNode.pid ?? 0
  const spec = network.chainSpec()
  const before = pid ? nodeUsage(pid) : undefined
  const chains: Chain[] = []
  const started = performance.now()
  for (let i = 0; i < clients; i++) {
    const client = start({ maxLogLevel: 1 })
    smoldots.push(client)
    chains.push(await client.addChain({ chainSpec: spec }))
  }
  await sleep(settle * 1000)
  const nodeFinalized = (await network.rpcNode.heads()).finalized
  let withPeer = 0
  let current = 0
  for (const chain of chains) {
    const health = await request(chain, 'system_health')
    if (health?.peers > 0) withPeer++
    const head = await request(chain, 'chain_getFinalizedHead')
    const header = head === undefined ? undefined : await request(chain, 'chain_getHeader', [head])
    if (header !== undefined && parseInt(header.number, 16) >= nodeFinalized - 5) current++
  }
  const nodePeers = (await network.rpcNode.rpc('system_health')).peers
  const after = pid ? nodeUsage(pid) : undefined
  const seconds = (performance.now() - started) / 1000
  console.log(`light clients against one RPC node, ${new Date().toISOString()}, --in-peers-light ${inPeersLight ?? '(default 500)'}`)
  console.log(`smoldot clients started           ${clients}`)
  console.log(`with a peer                       ${withPeer}`)
  console.log(`finalized within 5 of the node    ${current}`)
  console.log(`RPC node peers (incl. validator)  ${nodePeers}`)
  if (before && after) {
    console.log(`RPC node memory                   ${after.rssMb.toFixed(0)} MB (was ${before.rssMb.toFixed(0)} MB)`)
    console.log(`RPC node CPU over the run         ${(((after.cpuSeconds - before.cpuSeconds) / seconds) * 100).toFixed(0)} % of one core`)
  }
  console.log(`ratio: clients with a peer / min(clients, in-peers-light) = ${(withPeer / Math.min(clients, Number(inPeersLight ?? 500))).toFixed(2)}`)
  if (readSeconds > 0) {
    const reads = await readEverySecond(chains, moduleStorageKey(moduleKey), readSeconds, pid)
    const latency = summarize(reads.latencies)
    console.log(`module reads, each client once a second for ${readSeconds} s:`)
    console.log(`  served                          ${reads.latencies.length} (${(reads.latencies.length / readSeconds).toFixed(1)}/s), failed ${reads.failed}`)
    console.log(`  latency p50 / p99               ${latency.p50.toFixed(0)} / ${latency.p99.toFixed(0)} ms`)
    if (reads.nodeCpuPercent !== undefined) console.log(`  RPC node CPU while reading      ${reads.nodeCpuPercent.toFixed(0)} % of one core (${(reads.nodeCpuPercent / Math.max(1, withPeer)).toFixed(2)} % per client with a peer)`)
  }
} finally {
  for (const client of smoldots) await client.terminate().catch(() => undefined)
  await network.stop()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
