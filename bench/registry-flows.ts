/**
 * Measures the registry's user-facing flows against a real dev node and a real
 * gateway (embedded Helia) on free loopback ports, and prints a table:
 * canonical encoding + CID, gateway upload, verified read through the
 * gateway, the whole `registerModule` (to finality) and `retrieveModule`
 * over RPC, light-client start-up, and `retrieveModule` through smoldot.
 *
 *   node bench/registry-flows.ts [--iterations N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { generateChainSpecs } from '../chain-spec/generate.ts'
import { ModuleRegistryClient } from '../lib/chain/index.ts'
import { computeCid, GatewayIpfs } from '../lib/ipfs/index.ts'
import { canonicalBytes } from '../lib/types/index.ts'
import { startGateway } from '../tests/support/gateway.ts'
import { startDevNode } from '../tests/support/node.ts'
import { columns, summarize } from './stats.ts'
import { registerModule, retrieveModule } from '../lib/registry/index.ts'

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '10' } } })
const iterations = Number(values.iterations)
const example = JSON.parse(readFileSync(new URL('../examples/hello-module.json', import.meta.url), 'utf8'))
const rows: [string, number[]][] = []

async function measure(name: string, count: number, run: (i: number) => Promise<unknown>): Promise<void> {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    await run(i)
    samples.push(performance.now() - started)
  }
  rows.push([name, samples])
}

function document(i: number, label: string) {
  return { ...example, name: `bench-${label}-${i}`, description: `benchmark module ${label} ${i} ${Date.now()}` }
}

await cryptoWaitReady()
const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-flows-'))
const node = await startDevNode(join(dir, 'chain'))
const gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl, '--upload-burst', '1000', '--read-burst', '10000'])
const chainSpec = readFileSync(generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev, 'utf8')
const ipfs = new GatewayIpfs(gateway.url)
try {
  await measure('canonical bytes + CID (example, 1.1 KB)', 100, async () => computeCid(canonicalBytes(example)))

  const uploaded: string[] = []
  await measure('gateway upload (POST, validated, pinned)', iterations, async (i) => uploaded.push((await ipfs.add(canonicalBytes(document(i, 'upload')))).toString()))
  await measure('verified read via gateway (?format=raw)', iterations, async (i) => ipfs.cat(uploaded[i]))

  const rpc = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice') // DEV key
  const keys: string[] = []
  await measure('registerModule over RPC, to finalized', iterations, async (i) => {
    const moduleKey = new Keyring({ type: 'ed25519' }).addFromUri(`//bench-module-${i}`)
    const result = await registerModule({ chain: rpc, ipfs }, document(i, 'register'), alice, { moduleKey: u8aToHex(moduleKey.publicKey), moduleSigner: moduleKey })
    keys.push(result.key)
  })
  await measure('retrieveModule over RPC (record + verified metadata)', iterations, async (i) => retrieveModule({ chain: rpc, ipfs }, keys[i]))
  await rpc.disconnect()

  let light: ModuleRegistryClient | undefined
  await measure('light client: start to API ready', 1, async () => {
    light = await ModuleRegistryClient.connect({ kind: 'light-client', chainSpec }, { timeoutMs: 120_000 })
  })
  await measure('retrieveModule via light client (proof-checked)', iterations, async (i) => retrieveModule({ chain: light!, ipfs }, keys[i]))
} finally {
  await gateway.stop()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
}

const stats = (samples: number[]) => columns(summarize(samples), { digits: 'auto' })

const width = Math.max(...rows.map(([name]) => name.length))
console.log(`${'flow'.padEnd(width)}    n  mean ms   p50 ms   p95 ms   max ms`)
for (const [name, samples] of rows) console.log(`${name.padEnd(width)} ${String(samples.length).padStart(4)} ${stats(samples)}`)
// smoldot keeps the process alive after its chain is removed.
process.exit(0)
