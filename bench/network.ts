/**
 * A Mod-Net network on loopback, measured: block interval, finality lag
 * (blocks and ms), register_module to finalized, how long finality takes to
 * resume once stalled validators return, and warp-sync time of a new full node
 * and of smoldot. The same measurements on a one-validator network of the same
 * build run first, as the reference: the ratio is the cost of four voters.
 * The slot (1000 ms) is the physical limit of the block interval.
 *
 *   node bench/network.ts [--seconds 60] [--rounds 3] [--blocks N]
 *
 * --blocks N waits, before the warp-sync measurements, until the chain has N
 * blocks (1 s each: N = 10,000 takes about 2.8 hours).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { computeCid } from '../lib/ipfs/index.ts'
import { ModuleRegistryClient } from '../lib/chain/index.ts'
import { LocalNetwork } from '../scripts/network/local-network.ts'
import { sleep, waitUntil } from '../scripts/child-process.ts'
import { freePort } from '../tests/support/ports.ts'
import { columns, summarize, type Summary } from './stats.ts'

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '60' },
  rounds: { type: 'string', default: '3' },
  blocks: { type: 'string', default: '0' },
} })
const seconds = Number(values.seconds)
const rounds = Number(values.rounds)
const minBlocks = Number(values.blocks)
const SLOT_MS = 1000
const LIGHT_CLIENT_READ = join(import.meta.dirname, '..', 'tests', 'support', 'light-client-modules.ts')

type Stats = Summary
const stats = summarize
const fmt = (s: Stats, digits = 0) => columns(s, { digits, width: 7 }) + `   (n=${s.n})`

async function newNetwork(validators: number): Promise<{ network: LocalNetwork; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `modnet-bench-network-${validators}-`))
  const ports = []
  for (let i = 0; i < validators; i++) ports.push({ rpc: await freePort(), p2p: await freePort() })
  const network = await LocalNetwork.create({ home: dir, sessionLength: 600, ports: { rpc: await freePort(), p2p: await freePort(), ws: await freePort(), validators: ports } })
  await network.start(2)
  return { network, dir }
}

/** Block interval and finality lag seen from the RPC node for `seconds`, then register_module latency. */
async function steadyState(network: LocalNetwork): Promise<{ interval: Stats; lagBlocks: Stats; lagMs: Stats; register: Stats }> {
  const api = await ApiPromise.create({ provider: new WsProvider(network.rpcNode.rpcUrl), noInitWarn: true })
  const imported = new Map<number, number>()
  const intervals: number[] = []
  const lagBlocks: number[] = []
  const lagMs: number[] = []
  let lastImport = 0
  let best = 0
  let finalizedUpTo = 0
  const unsubBest = await api.rpc.chain.subscribeNewHeads((header) => {
    const now = performance.now()
    const n = header.number.toNumber()
    if (imported.has(n)) return
    imported.set(n, now)
    if (lastImport && n === best + 1) intervals.push(now - lastImport)
    lastImport = now
    best = Math.max(best, n)
  })
  const unsubFinal = await api.rpc.chain.subscribeFinalizedHeads((header) => {
    const now = performance.now()
    const n = header.number.toNumber()
    lagBlocks.push(best - n)
    for (let k = Math.max(finalizedUpTo + 1, 1); k <= n; k++) {
      const at = imported.get(k)
      if (at !== undefined && finalizedUpTo > 0) lagMs.push(now - at)
    }
    finalizedUpTo = Math.max(finalizedUpTo, n)
  })
  await sleep(seconds * 1000)
  unsubBest()
  unsubFinal()
  await api.disconnect()

  const register: number[] = []
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: network.rpcNode.rpcUrl })
  const keyring = new Keyring({ type: 'sr25519' })
  const ferdie = keyring.addFromUri('//Ferdie') // DEV key
  try {
    for (let i = 0; i < 5; i++) {
      const moduleKey = keyring.addFromUri(`//bench-network/${Date.now()}/${i}`)
      const cid = (await computeCid(new TextEncoder().encode(`bench network ${Date.now()} ${i}`))).toString()
      const started = performance.now()
      await client.register(u8aToHex(moduleKey.publicKey), cid, ferdie, { moduleSigner: moduleKey })
      register.push(performance.now() - started)
    }
  } finally {
    await client.disconnect()
  }
  return { interval: stats(intervals), lagBlocks: stats(lagBlocks), lagMs: stats(lagMs), register: stats(register) }
}

/** Stops two of four validators for 10 s, starts them again, times finality's return. */
async function finalityResume(network: LocalNetwork): Promise<{ fromStart: Stats; fromUp: Stats }> {
  const fromStart: number[] = []
  const fromUp: number[] = []
  for (let round = 0; round < rounds; round++) {
    const [, , c, d] = network.validators
    await Promise.all([c.stop(), d.stop()])
    await sleep(10_000)
    const stalledAt = (await network.rpcNode.heads()).finalized
    const started = performance.now()
    await Promise.all([c.start(), d.start()])
    const up = performance.now()
    await waitUntil('finality to resume', async () => (await network.rpcNode.heads()).finalized > stalledAt + 1, 120_000)
    fromStart.push(performance.now() - started)
    fromUp.push(performance.now() - up)
    await sleep(5_000)
  }
  return { fromStart: stats(fromStart), fromUp: stats(fromUp) }
}

function lightClientSync(specFile: string, minFinalized: number): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [LIGHT_CLIENT_READ, specFile, String(minFinalized)], { timeout: 600_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr || error.message))
      else resolve(performance.now() - started)
    })
  })
}

/** Warp sync of a new full node and of smoldot to the current finalized block. */
async function warpSync(network: LocalNetwork): Promise<{ chain: number; setId: number; fullNodeMs: number; smoldotMs: number }> {
  const target = (await network.rpcNode.heads()).finalized
  const setId = await (async () => {
    const api = await ApiPromise.create({ provider: new WsProvider(network.rpcNode.rpcUrl), noInitWarn: true })
    try { return (await api.query.grandpa.currentSetId()).toJSON() as number } finally { await api.disconnect() }
  })()
  const started = performance.now()
  const late = await network.addNode(`warp-${Date.now()}`, 'full', { rpc: await freePort(), p2p: await freePort() })
  await waitUntil('the new full node to reach the finalized block', async () => (await late.heads()).finalized >= target, 600_000)
  const fullNodeMs = performance.now() - started
  await late.stop()
  const smoldotMs = await lightClientSync(network.specFile, target)
  return { chain: target, setId, fullNodeMs, smoldotMs }
}

await cryptoWaitReady()
const results: Record<number, Awaited<ReturnType<typeof steadyState>>> = {}
for (const validators of [1, 4]) {
  const { network, dir } = await newNetwork(validators)
  try {
    results[validators] = await steadyState(network)
    if (validators === 4) {
      const resume = await finalityResume(network)
      if (minBlocks > 0) await waitUntil(`the chain to reach ${minBlocks} blocks`, async () => (await network.rpcNode.heads()).finalized >= minBlocks, (minBlocks + 600) * 1000)
      const warp = await warpSync(network)
      const one = results[1]
      const four = results[4]
      console.log(`Mod-Net loopback network, ${new Date().toISOString()}, ${seconds} s of blocks per network, modnet-node ${network.validators.length} validators + 1 RPC node`)
      console.log('metric                                        mean     p50     p95     max')
      console.log(`block interval, 1 validator (ms)           ${fmt(one.interval)}`)
      console.log(`block interval, 4 validators (ms)          ${fmt(four.interval)}`)
      console.log(`finality lag, 1 validator (blocks)         ${fmt(one.lagBlocks, 1)}`)
      console.log(`finality lag, 4 validators (blocks)        ${fmt(four.lagBlocks, 1)}`)
      console.log(`finality lag, 1 validator (ms)             ${fmt(one.lagMs)}`)
      console.log(`finality lag, 4 validators (ms)            ${fmt(four.lagMs)}`)
      console.log(`register -> finalized, 1 validator (ms)    ${fmt(one.register)}`)
      console.log(`register -> finalized, 4 validators (ms)   ${fmt(four.register)}`)
      console.log(`finality resumes, from restart (ms)        ${fmt(resume.fromStart)}`)
      console.log(`finality resumes, from RPC up (ms)         ${fmt(resume.fromUp)}`)
      console.log(`ratios: block interval p50 / slot ${(four.interval.p50 / SLOT_MS).toFixed(2)}; 4 / 1 validators: finality lag p50 ${(four.lagMs.p50 / one.lagMs.p50).toFixed(2)}, register -> finalized p50 ${(four.register.p50 / one.register.p50).toFixed(2)}`)
      console.log(`warp sync at block #${warp.chain} (GRANDPA set ${warp.setId}): new full node ${(warp.fullNodeMs / 1000).toFixed(1)} s (process start to finalized target), smoldot ${(warp.smoldotMs / 1000).toFixed(1)} s (process start to a proved read at the target)`)
    }
  } finally {
    await network.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
process.exit(0)
