/**
 * The web app's start in Chromium, against a real dev node and gateway: page
 * open → a module's on-chain record proved by the light client, and →
 * its metadata hash-checked, on a first visit (cold: smoldot syncs from the
 * chain spec) and a return visit (warm: smoldot resumes from the database
 * kept in IndexedDB); and the page's main-thread tasks over 50 ms while it
 * syncs (Long Tasks API). smoldot in its Web Worker (the default) beside
 * smoldot on the page's thread (the site without its worker file: the
 * fallback, and how the app ran before), in the same run.
 *
 *   node bench/web-start.ts [--runs 5]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import type { BrowserContext } from 'playwright-core'
import { generateChainSpecs } from '../chain-spec/generate.ts'
import { ModuleRegistryClient } from '../lib/chain/index.ts'
import { GatewayIpfs } from '../lib/ipfs/index.ts'
import { launchChromium } from '../tests/support/browser.ts'
import { startGateway } from '../tests/support/gateway.ts'
import { startDevNode } from '../tests/support/node.ts'
import { deploySite, serveSite } from '../tests/support/site.ts'
import { summarize } from './stats.ts'
import { registerModule } from '../lib/registry/index.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } })
const runs = Number(values.runs)

interface Visit { recordMs: number; metadataMs: number; longTasks: number[]; marks: Record<string, number> }

await cryptoWaitReady()
const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-web-start-'))
const node = await startDevNode(join(dir, 'chain'))
const gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl, '--read-burst', '100000', '--read-rate', '1000000'])
const chromium = await launchChromium()
const table: { name: string; values: number[]; target?: string }[] = []
try {
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice') // DEV key
  const example = JSON.parse(readFileSync(new URL('../examples/hello-module.json', import.meta.url), 'utf8'))
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const ipfs = new GatewayIpfs(gateway.url)
  const { key } = await registerModule({ chain: client, ipfs }, example, alice)
  await client.disconnect()

  const specFile = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
  const withWorker = await serveSite(deploySite(join(dir, 'web'), specFile, gateway.url))
  const withoutWorkerDir = deploySite(join(dir, 'web-main-thread'), specFile, gateway.url)
  rmSync(join(withoutWorkerDir, 'smoldot-worker.js'))
  const withoutWorker = await serveSite(withoutWorkerDir)

  /** One visit of the module page in `context`: times from navigation start, long tasks until the metadata is shown. */
  const visit = async (context: BrowserContext, url: string, expectedThread: string): Promise<Visit> => {
    const page = await context.newPage()
    await page.addInitScript(() => {
      const tasks: number[] = []
      ;(window as any).__longTasks = tasks
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) tasks.push(entry.duration) }).observe({ type: 'longtask', buffered: true })
    })
    await page.goto(`${url}?view=module&key=${key}`)
    await page.waitForSelector('[data-testid=verify-record][data-mark=ok]', { timeout: 120_000 })
    const recordMs = await page.evaluate(() => performance.now())
    await page.waitForSelector('[data-testid=verify-metadata][data-mark=ok]', { timeout: 60_000 })
    const metadataMs = await page.evaluate(() => performance.now())
    const thread = await page.getAttribute('[data-testid=status-bar]', 'data-thread')
    if (thread !== expectedThread) throw new Error(`smoldot ran on ${thread}, expected ${expectedThread}`)
    // Let the page save its warm start (it saves once connected) before closing.
    await page.waitForTimeout(500)
    const longTasks = await page.evaluate(() => (window as any).__longTasks as number[])
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('modnet:session:')).map((m) => [m.name.slice('modnet:session:'.length), m.startTime])))
    await page.close()
    return { recordMs, metadataMs, longTasks, marks }
  }

  for (const [label, site, thread] of [['worker', withWorker.url, 'worker'], ['page thread (reference)', withoutWorker.url, 'main-thread']] as const) {
    const cold: Visit[] = []
    const warm: Visit[] = []
    for (let run = 0; run < runs; run++) {
      const context = await chromium.browser.newContext()
      cold.push(await visit(context, site, thread))
      warm.push(await visit(context, site, thread))
      await context.close()
    }
    for (const [visitLabel, visits] of [['first visit', cold], ['return visit', warm]] as const) {
      for (const step of Object.keys(visits[0].marks)) table.push({ name: `${label}, ${visitLabel}: open → session ${step} (ms)`, values: visits.map((v) => v.marks[step] ?? NaN) })
      table.push({ name: `${label}, ${visitLabel}: open → record proved (ms)`, values: visits.map((v) => v.recordMs), target: visitLabel === 'return visit' ? '≤ 1000' : undefined })
      table.push({ name: `${label}, ${visitLabel}: open → metadata hash-checked (ms)`, values: visits.map((v) => v.metadataMs) })
      table.push({ name: `${label}, ${visitLabel}: longest main-thread task (ms)`, values: visits.map((v) => Math.max(0, ...v.longTasks)), target: '≤ 50' })
      table.push({ name: `${label}, ${visitLabel}: main-thread tasks over 50 ms`, values: visits.map((v) => v.longTasks.length), target: '0' })
    }
  }
  withWorker.server.close()
  withoutWorker.server.close()
} finally {
  await chromium.close()
  await gateway.stop()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
}

const width = Math.max(...table.map((r) => r.name.length))
console.log(`\nWeb app start (${runs} runs each, Chromium, ${new Date().toISOString().slice(0, 10)})`)
console.log(`${'step'.padEnd(width)}  ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)}  target`)
for (const { name, values: samples, target } of table) {
  const s = summarize(samples)
  console.log(`${name.padEnd(width)}  ${s.p50.toFixed(0).padStart(7)} ${s.p95.toFixed(0).padStart(7)} ${s.max.toFixed(0).padStart(7)}  ${target ?? ''}`)
}
process.exit(0)
