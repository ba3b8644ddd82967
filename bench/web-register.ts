/**
 * The web app's register/update form in Chromium, against a real dev node and
 * gateway: click on "Sign and update" → "Finalized" shown, through the
 * page's light client, with a dev account. Beside it, in the same run, the
 * library's `registerModule` (update) over a trusted RPC node: the reference.
 * Each run starts at a random point of the 1-second slot.
 *
 *   node bench/web-register.ts [--runs 10]
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
import { GatewayIpfs } from '../lib/ipfs/index.ts'
import { launchChromium } from '../tests/support/browser.ts'
import { startGateway } from '../tests/support/gateway.ts'
import { startDevNode } from '../tests/support/node.ts'
import { deploySite, serveSite } from '../tests/support/site.ts'
import { summarize } from './stats.ts'
import { registerModule } from '../lib/registry/index.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } })
const runs = Number(values.runs)
const randomSlotPhase = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 1000))

await cryptoWaitReady()
const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-web-register-'))
const node = await startDevNode(join(dir, 'chain'))
const gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl, '--upload-burst', '1000', '--read-burst', '100000', '--read-rate', '1000000'])
const chromium = await launchChromium()
const web: number[] = []
const library: number[] = []
try {
  const keyring = new Keyring({ type: 'sr25519' })
  const charlieKey = u8aToHex(keyring.addFromUri('//Charlie').publicKey) // DEV key, as the form's dev accounts
  const dave = keyring.addFromUri('//Dave') // DEV key
  const example = JSON.parse(readFileSync(new URL('../examples/hello-module.json', import.meta.url), 'utf8'))
  const specFile = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
  const site = await serveSite(deploySite(join(dir, 'web'), specFile, gateway.url))
  const page = await chromium.browser.newPage()

  // First registration through the form (not timed: it makes the module the runs update).
  await page.goto(`${site.url}?view=register`)
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=account] option').length >= 6, undefined, { timeout: 120_000 })
  await page.getByLabel('Account').selectOption('2') // dev accounts in order: Alice, Bob, Charlie…
  await page.getByLabel('Name').fill('web-bench')
  await page.getByLabel('Description').fill('Registered by bench/web-register.ts.')
  await page.getByRole('button', { name: 'Sign and register' }).click()
  await page.waitForSelector('[data-testid=register-done]', { timeout: 120_000 })

  for (let run = 1; run <= runs; run++) {
    await page.goto(`${site.url}?view=register&key=${charlieKey}`)
    await page.waitForFunction(() => (document.getElementById('name') as HTMLInputElement | null)?.value === 'web-bench', undefined, { timeout: 120_000 })
    await page.waitForSelector('[data-testid=status-bar][data-phase=synced]', { timeout: 120_000 })
    await page.getByLabel('Version').fill(`1.0.${run}`)
    await randomSlotPhase()
    const start = performance.now()
    await page.getByRole('button', { name: 'Sign and update' }).click()
    await page.waitForSelector('[data-testid=register-done]', { timeout: 120_000 })
    web.push(performance.now() - start)
    process.stderr.write(`web run ${run}: ${(web[web.length - 1] / 1000).toFixed(2)} s\n`)
  }
  await page.close()
  site.server.close()

  // The reference: the same update through the library over RPC, in this process.
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const ipfs = new GatewayIpfs(gateway.url)
  await registerModule({ chain: client, ipfs }, { ...example, name: 'rpc-bench' }, dave)
  for (let run = 1; run <= runs; run++) {
    await randomSlotPhase()
    const start = performance.now()
    await registerModule({ chain: client, ipfs }, { ...example, name: 'rpc-bench', version: `1.0.${run}` }, dave, { mode: 'update' })
    library.push(performance.now() - start)
  }
  await client.disconnect()
} finally {
  await chromium.close()
  await gateway.stop()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
}

const p50 = (samples: number[]) => summarize(samples).p50
console.log(`\nRegister form, click → finalized shown (${runs} runs each, Chromium, ${new Date().toISOString().slice(0, 10)})`)
console.log(`${'path'.padEnd(52)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'max'.padStart(6)}  target`)
for (const [name, samples, target] of [['web app, light client (click → "Finalized")', web, '≤ 2000'], ['library over RPC (reference)', library, '']] as const) {
  const s = summarize(samples)
  console.log(`${name.padEnd(52)} ${s.p50.toFixed(0).padStart(6)} ${s.p95.toFixed(0).padStart(6)} ${s.max.toFixed(0).padStart(6)}  ${target}`)
}
console.log(`ratio web / reference (p50): ${(p50(web) / p50(library)).toFixed(2)}`)
process.exit(0)
