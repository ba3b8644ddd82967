/**
 * Registration and lookup latency as users see it, against a real dev node
 * and a real gateway on free loopback ports: the library's `registerModule`
 * in a running process (call → finalized) and the `modnet` CLI end to end
 * (process start → exit), each through the light client (the default) and a
 * trusted RPC node (the reference), and `modnet get`. Beside them, the
 * physical limit: when the node itself finalized the same block. Each run
 * starts at a random point of the slot; the CLI runs with a warm start saved
 * by the run before it, as a user's second command would.
 *
 *   node bench/registration.ts [--runs 10]
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { generateChainSpecs } from '../chain-spec/generate.ts'
import { ModuleRegistryClient } from '../lib/chain/index.ts'
import { GatewayIpfs } from '../lib/ipfs/index.ts'
import { startGateway } from '../tests/support/gateway.ts'
import { startDevNode } from '../tests/support/node.ts'
import { columns, summarize } from './stats.ts'
import { registerModule } from '../lib/registry/index.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } })
const runs = Number(values.runs)
// bin/modnet, as users run it: the bundle (dist/modnet.mjs) when it is current.
const CLI = fileURLToPath(new URL('../bin/modnet', import.meta.url))
const example = JSON.parse(readFileSync(new URL('../examples/hello-module.json', import.meta.url), 'utf8'))
let serial = 0
const document = (label: string) => ({ ...example, name: `bench-${label}-${++serial}`, description: `benchmark ${label} ${serial} ${Date.now()}` })

/** Users do not submit in step with the chain: each run starts at a random point of a 1 s slot. */
const randomSlotPhase = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 1000))

interface Row { name: string; samples: number[] }
const rows: Row[] = []
const row = (name: string): number[] => {
  const samples: number[] = []
  rows.push({ name, samples })
  return samples
}

await cryptoWaitReady()
const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-registration-'))
const node = await startDevNode(join(dir, 'chain'))
const gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl, '--upload-burst', '1000', '--read-burst', '10000'])
const specFile = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
const chainSpec = readFileSync(specFile, 'utf8')
const ipfs = new GatewayIpfs(gateway.url)
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice') // DEV key

// When the node itself finalized each block: the floor any client can report.
const watcher = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
const nodeFinalizedAt = new Map<number, number>()
let finalizedUpTo = 0
await watcher.rpc.chain.subscribeFinalizedHeads((header) => {
  const now = performance.now()
  for (let n = finalizedUpTo + 1; n <= header.number.toNumber(); n++) nodeFinalizedAt.set(n, now)
  finalizedUpTo = Math.max(finalizedUpTo, header.number.toNumber())
})
async function nodeFinalized(block: number): Promise<number> {
  while (!nodeFinalizedAt.has(block)) await new Promise((resolve) => setTimeout(resolve, 20))
  return nodeFinalizedAt.get(block)!
}

async function cli(args: string[], home: string): Promise<{ ms: number; json: any }> {
  const started = performance.now()
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(CLI, ['--ipfs', `gateway:${gateway.url}`, ...args, '--json'], { env: { ...process.env, MODNET_HOME: home }, timeout: 120_000 }, (error, out, err) => {
      if (error) reject(new Error(`modnet ${args.join(' ')} failed: ${err || error.message}`))
      else resolve(out)
    })
  })
  return { ms: performance.now() - started, json: JSON.parse(stdout) }
}

try {
  for (const kind of ['light-client', 'rpc'] as const) {
    const connection = kind === 'rpc' ? { kind, url: node.rpcUrl } : { kind, chainSpec }
    const client = await ModuleRegistryClient.connect(connection, { timeoutMs: 120_000 })
    const total = row(`library registerModule, ${kind}: call -> finalized`)
    const floor = row(`  the node finalized that block: call -> finalized`)
    for (let i = 0; i < runs; i++) {
      const moduleKey = new Keyring({ type: 'ed25519' }).addFromUri(`//bench-registration-${kind}-${i}-${Date.now()}`)
      await randomSlotPhase()
      const started = performance.now()
      const result = await registerModule({ chain: client, ipfs }, document(kind), alice, { moduleKey: u8aToHex(moduleKey.publicKey), moduleSigner: moduleKey })
      total.push(performance.now() - started)
      floor.push((await nodeFinalized(result.blockNumber!)) - started)
    }
    await client.disconnect()
  }

  for (const kind of ['light-client', 'rpc'] as const) {
    const target = kind === 'rpc' ? ['--rpc', node.rpcUrl] : ['--chain-spec', specFile]
    const home = mkdtempSync(join(dir, `home-${kind}-`))
    const register = row(`modnet register, ${kind}: process start -> finalized`)
    const floor = row(`  the node finalized that block: start -> finalized`)
    const get = row(`modnet get, ${kind}: process start -> verified`)
    for (let i = 0; i < runs; i++) {
      const file = join(dir, `module-${kind}-${i}.json`)
      writeFileSync(file, JSON.stringify(document(`cli-${kind}`)))
      await randomSlotPhase()
      const started = performance.now()
      const { ms, json } = await cli([...target, 'register', '--metadata', file, '--key-uri', '//Alice', '--module-key-uri', `//bench-cli-${kind}-${i}-${Date.now()}`, '--module-key-type', 'ed25519'], home)
      register.push(ms)
      floor.push((await nodeFinalized(json.blockNumber)) - started)
      get.push((await cli([...target, 'get', json.key], home)).ms)
    }
  }
} finally {
  await watcher.disconnect()
  await gateway.stop()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
}

const stats = (samples: number[]) => columns(summarize(samples))

const width = Math.max(...rows.map(({ name }) => name.length))
console.log(`Mod-Net registration latency, ${new Date().toISOString()}, dev node (1 validator, 1 s slots) + gateway on loopback`)
console.log(`${'path'.padEnd(width)}    n  mean ms   p50 ms   p95 ms   max ms`)
for (const { name, samples } of rows) console.log(`${name.padEnd(width)} ${String(samples.length).padStart(4)} ${stats(samples)}`)
const median = (name: string) => summarize(rows.find((r) => r.name.startsWith(name))!.samples).p50
console.log(`ratios (p50): library light client / RPC ${(median('library registerModule, light') / median('library registerModule, rpc')).toFixed(2)}; CLI light client / RPC ${(median('modnet register, light') / median('modnet register, rpc')).toFixed(2)}`)
// smoldot keeps the process alive after its chain is removed.
process.exit(0)
