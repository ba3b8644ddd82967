/**
 * Listing and browsing a large registry. Registers N modules (default
 * 100,000; each with its own metadata document on the gateway) on a real dev
 * node, then measures:
 * - the library's `listModules` (the paged runtime API) through the light
 *   client, beside the same call through a trusted RPC node (the reference)
 *   and the listing it replaces (every storage key through smoldot);
 * - the web app's Browse in Chromium: first page after the light client is
 *   ready, page turns, the search index filling, a search, and a return
 *   visit (index kept in IndexedDB).
 * Prints a table (ms unless marked).
 *
 * `--chain-only` registers the modules with CIDs of documents that are never
 * uploaded and measures only the library: the chain side at a scale whose
 * uploads alone would take the gateway most of an hour.
 *
 *   node bench/browse-modules.ts [--modules N] [--turns 20] [--chain-only]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { u8aToHex } from '@polkadot/util'
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto'
import type { Page } from 'playwright-core'
import { generateChainSpecs } from '../chain-spec/generate.ts'
import { cidToChain, keyOwnershipProof, ModuleRegistryClient } from '../lib/chain/index.ts'
import { computeCid, GatewayIpfs } from '../lib/ipfs/index.ts'
import { canonicalBytes } from '../lib/types/index.ts'
import { eachLimited } from '../lib/web/modules.ts'
import { launchChromium } from '../tests/support/browser.ts'
import { startGateway } from '../tests/support/gateway.ts'
import { startDevNode } from '../tests/support/node.ts'
import { deploySite, serveSite } from '../tests/support/site.ts'
import { summarize } from './stats.ts'

const { values } = parseArgs({ options: { modules: { type: 'string', default: '100000' }, turns: { type: 'string', default: '20' }, 'chain-only': { type: 'boolean', default: false } } })
const total = Number(values.modules)
const chainOnly = values['chain-only'] === true
/** Owners registering at once (a hundred 250-call batches at once left the node's RPC silent for a minute). */
const OWNERS_AT_ONCE = 8
const turns = Number(values.turns)
const PER_OWNER = 1000 // MaxModulesPerOwner is 1024
const PER_BATCH = 250

interface Row { name: string; samples: number[]; target?: string; unit?: string }
const rows: Row[] = []
const record = (name: string, samples: number[], target?: string, unit?: string) => rows.push({ name, samples, target, unit })
const since = (start: number) => performance.now() - start
const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now()
  const result = await run()
  return [result, since(start)]
}
const log = (text: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${text}\n`)

await cryptoWaitReady()
const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-browse-'))
const node = await startDevNode(join(dir, 'chain'))
const gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl, '--upload-burst', '1000000', '--upload-rate', '1000000', '--read-burst', '10000000', '--read-rate', '1000000'])
const api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
const chromium = await launchChromium()
try {
  const keyring = new Keyring({ type: 'sr25519' })
  const alice = keyring.addFromUri('//Alice') // DEV key
  const owners = Array.from({ length: Math.ceil(total / PER_OWNER) }, (_, i) => keyring.addFromUri(`//bench-owner-${i}`))
  const finalized = (tx: any, signer: KeyringPair) => new Promise<void>((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError }: any) => {
      if (dispatchError) reject(new Error(dispatchError.toString()))
      if (status.isFinalized) resolve()
    }).catch(reject)
  })
  await finalized(api.tx.utility.batchAll(owners.map((o) => api.tx.balances.transferKeepAlive(o.address, 10n ** 16n))), alice)

  // Setup: N documents on the gateway, N registrations (timed only for the log).
  const ipfs = new GatewayIpfs(gateway.url)
  const cids: string[] = new Array(total)
  let started = performance.now()
  await eachLimited(Array.from({ length: total }, (_, i) => i), 16, async (i) => {
    const doc = { schema: 'modnet/module-metadata/v1', name: `bench-module-${i}`, version: '1.0.0', description: `Benchmark module number ${i}.`, keywords: ['bench', `group-${i % 100}`] }
    cids[i] = (chainOnly ? await computeCid(canonicalBytes(doc)) : await ipfs.add(canonicalBytes(doc))).toString()
    if (i % 10_000 === 0) log(`${chainOnly ? 'computed' : 'uploaded'} ${i} documents`)
  })
  log(`${chainOnly ? 'computed' : 'uploaded'} ${total} documents in ${(since(started) / 1000).toFixed(0)} s`)
  started = performance.now()
  const genesis = api.genesisHash.toHex()
  const moduleKeys = new Keyring({ type: 'ed25519' })
  let registered = 0
  // One connection per group of owners, never reconnecting: a reconnect resubmits what is being
  // watched ("Transaction Already Imported"), and one busy connection was dropped by the node.
  const groups = Array.from({ length: OWNERS_AT_ONCE }, (_, g) => owners.map((owner, o) => ({ owner, o })).filter(({ o }) => o % OWNERS_AT_ONCE === g))
  await Promise.all(groups.map(async (group) => {
    const provider = new WsProvider(node.rpcUrl, false)
    await provider.connect() // without reconnects it dials only when asked
    const connection = await ApiPromise.create({ provider, noInitWarn: true })
    try {
      for (const { owner, o } of group) await registerOwned(connection, owner, o)
    } finally {
      await connection.disconnect()
    }
  }))
  async function registerOwned(api: ApiPromise, owner: KeyringPair, o: number): Promise<void> {
    const mine = cids.slice(o * PER_OWNER, (o + 1) * PER_OWNER)
    for (let start = 0; start < mine.length; start += PER_BATCH) {
      const calls = mine.slice(start, start + PER_BATCH).map((cid, j) => {
        // From a seed, not a derivation path: a path costs a PBKDF2 per key, the bench's bottleneck at 100,000.
        const moduleKey = moduleKeys.addFromSeed(blake2AsU8a(`bench-module-${o}-${start + j}`))
        const key = u8aToHex(moduleKey.publicKey)
        return api.tx.moduleRegistry.registerModule(key, cidToChain(cid), keyOwnershipProof(genesis, owner.address, key, 0, moduleKey))
      })
      await finalized(api.tx.utility.batchAll(calls), owner)
      registered += calls.length
      if (registered % 10_000 < PER_BATCH) log(`registered ${registered}`)
    }
  }
  log(`registered ${total} modules in ${(since(started) / 1000).toFixed(0)} s`)

  const specFile = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev

  // ---- the library, in one Node process ----
  const light = await ModuleRegistryClient.connect({ kind: 'light-client', chainSpec: readFileSync(specFile, 'utf8') }, { timeoutMs: 120_000 })
  const rpc = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const at = (await light.count()).at.blockHash as `0x${string}`
  for (const [kind, client] of [['light client', light], ['RPC (reference)', rpc]] as const) {
    const first: number[] = []
    const next: number[] = []
    const thousand: number[] = []
    let startKey: string | undefined
    for (let i = 0; i < turns; i++) {
      first.push((await timed(() => client.listModules({ pageSize: 25, at })))[1])
      const [page, ms] = await timed(() => client.listModules({ pageSize: 25, startKey, at }))
      if (i > 0) next.push(ms)
      startKey = page.nextKey
    }
    startKey = undefined
    for (let i = 0; i < 5; i++) {
      const [page, ms] = await timed(() => client.listModules({ pageSize: 1000, startKey, at }))
      thousand.push(ms)
      startKey = page.nextKey
    }
    record(`library, ${kind}: first page (25)`, first, kind === 'light client' ? '≤ 1000' : undefined)
    record(`library, ${kind}: next page (25)`, next, kind === 'light client' ? '≤ 200' : undefined)
    record(`library, ${kind}: a page of 1000`, thousand)
  }
  // What listing cost before the paged runtime API: every key under the prefix through smoldot.
  const prefix = light.api.query.moduleRegistry.modules.keyPrefix()
  const [keys, allKeysMs] = await timed(() => light.api.rpc.state.getKeysPaged(prefix, 1_000_000, null, at))
  record(`library, light client: every key (${keys.length}), the old listing`, [allKeysMs])
  await light.disconnect()
  await rpc.disconnect()

  if (!chainOnly) {
    // ---- the web app in Chromium ----
    const site = await serveSite(deploySite(join(dir, 'web'), specFile, gateway.url))
    const context = await chromium.browser.newContext()
    const page = await context.newPage()
    const marks = () => page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])))
    const firstPage = async (): Promise<number> => {
      await page.waitForFunction(() => performance.getEntriesByName('modnet:browse:first-page').length > 0, undefined, { timeout: 300_000 })
      const m = await marks()
      return m['modnet:browse:first-page'] - m['modnet:browse:connected']
    }
    const indexed = () => page.evaluate(() => Number(document.querySelector('[data-testid=indexed]')?.textContent ?? 0))
    const rowsText = () => page.evaluate(() => document.querySelector('[data-testid=module-rows]')?.textContent ?? '')

    await page.goto(site.url)
    const indexStart = performance.now()
    record('Browse: first page after the light client is ready', [await firstPage()], '≤ 1000')
    await page.getByRole('link', { name: /^bench-module-/ }).first().waitFor({ timeout: 60_000 })
    const turnPages = async (): Promise<number[]> => {
      const samples: number[] = []
      const next = page.getByRole('button', { name: 'Next' })
      for (let i = 0; i < turns; i++) {
        await next.waitFor()
        await page.waitForFunction(() => !(document.querySelector('nav[aria-label=Pages] button:last-child') as HTMLButtonElement | null)?.disabled)
        const before = await rowsText()
        const start = performance.now()
        await next.click()
        await page.waitForFunction((b) => document.querySelector('[data-testid=module-rows]')?.textContent !== b && !document.body.textContent?.includes('loading…'), before, { polling: 'raf' })
        samples.push(since(start))
      }
      return samples
    }
    record('Browse: next page (25 rows, names shown), while indexing', await turnPages(), '≤ 200')

    let last = 0
    const progress = setInterval(() => void indexed().then((n) => { if (n !== last) log(`search index: ${n} of ${total}`); last = n }, () => undefined), 15_000)
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=indexed]')?.textContent ?? 0) >= n, total, { timeout: 3_600_000, polling: 1000 })
    clearInterval(progress)
    const indexMs = since(indexStart)
    record(`Browse: search index complete (${total} documents hash-checked), s`, [indexMs / 1000], undefined, 's')
    record('Browse: documents indexed per second', [total / (indexMs / 1000)], undefined, '/s')

    record('Browse: next page (25 rows, names shown), index complete', await turnPages(), '≤ 200')

    const search = async (query: string, expected: number): Promise<number> => {
      const start = performance.now()
      await page.getByLabel('Search name, description, keywords').fill(query)
      try {
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid=module-rows] tr').length === n && !document.body.textContent?.includes('loading…'), Math.min(25, expected), { polling: 'raf' })
      } catch (error) {
        const shown = await page.evaluate(() => ({ rows: document.querySelectorAll('[data-testid=module-rows] tr').length, text: document.querySelector('main')?.textContent?.slice(0, 600) }))
        throw new Error(`search "${query}": expected ${Math.min(25, expected)} rows, page shows ${JSON.stringify(shown)}`, { cause: error })
      }
      return since(start)
    }
    const matches = Math.ceil(total / 100)
    record(`Browse: search "group-42" (${matches} matches among ${total})`, [await search('group-42', matches)])

    // Return visit: records from the chain again, metadata from IndexedDB.
    await page.reload()
    const reloaded = performance.now()
    record('Browse, return visit: first page after the light client is ready', [await firstPage()], '≤ 1000')
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=indexed]')?.textContent ?? 0) >= n, total, { timeout: 600_000, polling: 200 })
    record(`Browse, return visit: page load → all ${total} searchable again, s`, [since(reloaded) / 1000], undefined, 's')
    record('Browse, return visit: search "group-77"', [await search('group-77', matches)])
    site.server.close()
  }
} finally {
  await chromium.close()
  await api.disconnect()
  await gateway.stop()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
}

const width = Math.max(...rows.map((r) => r.name.length))
console.log(`\nBrowse and listing at ${total} modules (${new Date().toISOString().slice(0, 10)})`)
console.log(`${'step'.padEnd(width)}  ${'n'.padStart(3)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}  target`)
for (const { name, samples, target } of rows) {
  const s = summarize(samples)
  const f = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0)).padStart(8)
  console.log(`${name.padEnd(width)}  ${String(s.n).padStart(3)} ${f(s.p50)} ${f(s.p95)} ${f(s.max)}  ${target ?? ''}`)
}
process.exit(0)
