/**
 * How the web app's Browse view copes with many modules: registers N modules
 * (default 10,000; each with its own metadata document on the gateway) on a
 * real dev node, then opens Browse in Chromium and measures, through the
 * light client: time to the module count, to every record listed, to every
 * document verified, a page turn and a search. Prints a table.
 *
 *   node bench/browse-modules.ts [--modules N]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { generateChainSpecs } from '../chain-spec/generate.ts'
import { cidToChain, keyOwnershipProof } from '../lib/chain/index.ts'
import { GatewayIpfs } from '../lib/ipfs/index.ts'
import { canonicalBytes } from '../lib/types/index.ts'
import { launchChromium } from '../tests/support/browser.ts'
import { startGateway } from '../tests/support/gateway.ts'
import { startDevNode } from '../tests/support/node.ts'
import { deploySite, serveSite } from '../tests/support/site.ts'

const { values } = parseArgs({ options: { modules: { type: 'string', default: '10000' } } })
const total = Number(values.modules)
const PER_OWNER = 1000 // MaxModulesPerOwner is 1024
const PER_BATCH = 250
const rows: [string, string][] = []
const time = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now()
  const result = await run()
  rows.push([name, `${((performance.now() - started) / 1000).toFixed(2)} s`])
  return result
}

await cryptoWaitReady()
const dir = mkdtempSync(join(tmpdir(), 'modnet-bench-browse-'))
const node = await startDevNode(join(dir, 'chain'))
const gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl, '--upload-burst', '100000', '--read-burst', '1000000', '--read-rate', '1000000'])
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
  await time('fund owners', () => finalized(api.tx.utility.batchAll(owners.map((o) => api.tx.balances.transferKeepAlive(o.address, 10n ** 16n))), alice))

  const ipfs = new GatewayIpfs(gateway.url)
  const cids = await time(`upload ${total} documents`, async () => {
    const out: string[] = []
    for (let i = 0; i < total; i++) {
      const doc = { schema: 'modnet/module-metadata/v1', name: `bench-module-${i}`, version: '1.0.0', description: `Benchmark module number ${i}.`, keywords: ['bench', `group-${i % 100}`] }
      out.push((await ipfs.add(canonicalBytes(doc))).toString())
    }
    return out
  })

  const genesis = api.genesisHash.toHex()
  await time(`register ${total} modules (batches of ${PER_BATCH})`, async () => {
    await Promise.all(owners.map(async (owner, o) => {
      const mine = cids.slice(o * PER_OWNER, (o + 1) * PER_OWNER)
      for (let start = 0; start < mine.length; start += PER_BATCH) {
        const calls = mine.slice(start, start + PER_BATCH).map((cid, j) => {
          const moduleKey = new Keyring({ type: 'ed25519' }).addFromUri(`//bench-module-${o}-${start + j}`)
          const key = u8aToHex(moduleKey.publicKey)
          return api.tx.moduleRegistry.registerModule(key, cidToChain(cid), keyOwnershipProof(genesis, owner.address, key, moduleKey))
        })
        await finalized(api.tx.utility.batchAll(calls), owner)
      }
    }))
  })

  const spec = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
  const site = await serveSite(deploySite(join(dir, 'web'), spec, gateway.url))
  const page = await chromium.browser.newPage()
  const opened = performance.now()
  await page.goto(site.url)
  const since = () => `${((performance.now() - opened) / 1000).toFixed(2)} s`
  // Progress on stderr while waiting: what the page says about the registry.
  const progress = setInterval(() => {
    void page.evaluate(() => `${document.querySelector('#browse-title + p')?.textContent ?? ''} ${document.querySelector('[role=alert]')?.textContent ?? ''} ${document.querySelector('[data-testid=module-rows] a[title]')?.getAttribute('title') ?? ''}`)
      .then((text) => process.stderr.write(`[${since()}] ${text}\n`), () => undefined)
  }, 10_000)
  await page.waitForSelector('[data-testid=module-count]', { timeout: 600_000 })
  rows.push(['Browse: module count and every record listed', since()])
  await page.waitForFunction((n) => new RegExp(`metadata verified for ${n} of ${n}\\.`).test(document.body.textContent ?? ''), total, { timeout: 1_800_000, polling: 500 })
  rows.push(['Browse: every document fetched and verified', since()])
  await time('Browse: next page (25 rows)', async () => {
    const before = await page.textContent('[data-testid=module-rows]')
    await page.getByRole('button', { name: 'Next' }).click()
    await page.waitForFunction((b) => document.querySelector('[data-testid=module-rows]')?.textContent !== b, before)
  })
  const matches = Math.ceil(total / 100)
  await time(`Browse: search "group-42" (${matches} matches)`, async () => {
    await page.getByLabel('Search name, description, keywords').fill('group-42')
    await page.waitForFunction((rows) => document.querySelectorAll('[data-testid=module-rows] tr').length === rows, Math.min(25, matches))
  })
  clearInterval(progress)
  site.server.close()
} finally {
  await chromium.close()
  await api.disconnect()
  await gateway.stop()
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
}

const width = Math.max(...rows.map(([name]) => name.length))
console.log(`${'step'.padEnd(width)}  time`)
for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`)
process.exit(0)
