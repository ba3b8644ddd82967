/**
 * The web app in a real Chromium against a real dev node, the real gateway
 * and the static export served on loopback: it syncs through smoldot (no
 * JSON-RPC socket to the node), lists modules registered through the CLI,
 * and shows a module with its verification marks.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { serveStatic } from '../../scripts/serve-static.ts'
import { launchChromium } from '../support/browser.ts'
import { modnet } from '../support/cli.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { startDevNode, type DevNode } from '../support/node.ts'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const EXPORT = join(ROOT, 'out')
const ARTIFACTS = join(ROOT, 'test-results', 'e2e')
const example = JSON.parse(readFileSync(join(ROOT, 'examples', 'hello-module.json'), 'utf8'))
const ALICE_KEY = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d'

let dir: string
let node: DevNode
let gateway: RunningGateway
let site: Server
let siteUrl: string
let chromium: { browser: Browser; close(): Promise<void> }

before(async () => {
  if (!existsSync(join(EXPORT, 'index.html'))) throw new Error(`no static export in ${EXPORT}: run \`make web\` first`)
  mkdirSync(ARTIFACTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'modnet-e2e-'))
  node = await startDevNode(join(dir, 'chain'))
  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
  // The export as a deployer would ship it: its config.json and chain spec point at this stack.
  const web = join(dir, 'web')
  cpSync(EXPORT, web, { recursive: true })
  const spec = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
  mkdirSync(join(web, 'chain-specs'), { recursive: true })
  cpSync(spec, join(web, 'chain-specs', 'modnet-dev.raw.json'))
  writeFileSync(join(web, 'config.json'), JSON.stringify({ chainSpec: 'chain-specs/modnet-dev.raw.json', gateway: gateway.url, devAccounts: true }))
  site = serveStatic(web)
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`

  const cli = ['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`]
  const file = join(dir, 'hello.json')
  writeFileSync(file, JSON.stringify(example))
  const first = await modnet([...cli, 'register', '--metadata', file, '--key-uri', '//Alice', '--json'])
  assert.equal(first.code, 0, first.stderr)
  const second = join(dir, 'search.json')
  writeFileSync(second, JSON.stringify({ ...example, name: 'search-indexer', description: 'Indexes module metadata for full-text search.', keywords: ['search', 'index'] }))
  const registered = await modnet([...cli, 'register', '--metadata', second, '--key-uri', '//Bob', '--json'])
  assert.equal(registered.code, 0, registered.stderr)
  chromium = await launchChromium()
})

after(async () => {
  await chromium?.close()
  site?.close()
  await gateway?.stop()
  await node?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A page that records every WebSocket it opens. */
async function openPage(path: string): Promise<{ page: Page; sockets: string[] }> {
  const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } })
  const sockets: string[] = []
  page.on('websocket', (socket) => sockets.push(socket.url()))
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`))
  page.on('response', (response) => { if (response.status() >= 400) console.error(`HTTP ${response.status()} ${response.url()}`) })
  await page.goto(new URL(path, siteUrl).href)
  return { page, sockets }
}

test('Browse syncs through the light client and lists the modules registered through the CLI', async () => {
  const { page, sockets } = await openPage('')
  await page.waitForSelector('[data-testid=status-bar][data-phase=synced]', { timeout: 90_000 })
  await page.waitForSelector('[data-testid=module-count]', { timeout: 60_000 })
  assert.equal(await page.textContent('[data-testid=module-count]'), '2')
  await page.getByRole('link', { name: 'hello-module' }).waitFor({ timeout: 30_000 })
  await page.getByRole('link', { name: 'search-indexer' }).waitFor()
  await page.screenshot({ path: join(ARTIFACTS, 'browse.png'), fullPage: true })

  await page.getByLabel('Search name, description, keywords').fill('full-text')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=module-rows] tr').length === 1)
  assert.equal(await page.getByRole('link', { name: 'search-indexer' }).count(), 1)
  assert.equal(await page.getByRole('link', { name: 'hello-module' }).count(), 0)

  const rpcPort = new URL(node.rpcUrl).port
  assert.deepEqual(sockets.filter((url) => url.includes(`:${rpcPort}`)), [], 'no JSON-RPC WebSocket to the node')
  assert.ok(sockets.some((url) => url.startsWith('ws://127.0.0.1:')), `smoldot dials the node's p2p WebSocket (saw ${sockets.join(', ')})`)
  await page.close()
})

test('a module page shows the record and metadata with both verification marks green', async () => {
  const { page } = await openPage(`?view=module&key=${ALICE_KEY}`)
  await page.waitForSelector('[data-testid=verify-metadata]', { timeout: 90_000 })
  assert.equal(await page.getAttribute('[data-testid=verify-record]', 'data-mark'), 'ok')
  assert.equal(await page.getAttribute('[data-testid=verify-metadata]', 'data-mark'), 'ok')
  assert.equal(await page.getAttribute('[data-testid=verify-schema]', 'data-mark'), 'ok')
  assert.equal(await page.getAttribute('[data-testid=verify-signature]', 'data-mark'), 'ok')
  assert.equal(await page.textContent('[data-testid=record-key]'), ALICE_KEY)
  assert.equal(await page.textContent('#module-title') !== null, true)
  assert.match((await page.textContent('#module-title')) ?? '', /hello-module/)
  await page.screenshot({ path: join(ARTIFACTS, 'module.png'), fullPage: true })
  await page.close()
})

test('register through the form with a dev account, update it, and a stranger is refused in words', async () => {
  await cryptoWaitReady()
  const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie')
  const charlieKey = u8aToHex(charlie.publicKey)
  const { page } = await openPage('?view=register')
  const account = page.getByLabel('Account')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=account] option').length >= 6, undefined, { timeout: 90_000 })
  await account.selectOption('2') // dev accounts in order: Alice, Bob, Charlie, Dave…
  assert.match(await account.evaluate((el: HTMLSelectElement) => el.selectedOptions[0].textContent ?? ''), /^Charlie \(dev\)/)

  // Live validation shows the problem at the field.
  await page.getByLabel('Name').fill('Not A Name')
  await page.getByLabel('Name').blur()
  assert.match((await page.textContent('[data-testid=name-help]')) ?? '', /lowercase/)
  await page.getByLabel('Name').fill('form-module')
  await page.getByLabel('Description').fill('Registered through the web form.')
  await page.getByLabel('Keywords').fill('web, form')
  await page.screenshot({ path: join(ARTIFACTS, 'register.png'), fullPage: true })
  await page.getByRole('button', { name: 'Sign and register' }).click()
  await page.waitForSelector('[data-testid=register-done]', { timeout: 90_000 })
  assert.match((await page.textContent('[data-testid=progress]')) ?? '', /the gateway's CID matches ours[\s\S]*Finalized/)

  const cli = await modnet(['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`, 'get', charlieKey, '--json'])
  assert.equal(cli.code, 0, cli.stderr)
  assert.equal(cli.json.metadata.name, 'form-module')
  assert.equal(cli.json.verification.signature.status, 'valid')

  // Update: new version, linked to the first.
  await page.goto(new URL(`?view=register&key=${charlieKey}`, siteUrl).href)
  await page.waitForFunction(() => (document.getElementById('name') as HTMLInputElement | null)?.value === 'form-module', undefined, { timeout: 90_000 })
  await page.getByLabel('Version').fill('1.1.0')
  await page.getByRole('button', { name: 'Sign and update' }).click()
  await page.waitForSelector('[data-testid=register-done]', { timeout: 90_000 })
  await page.goto(new URL(`?view=module&key=${charlieKey}`, siteUrl).href)
  await page.waitForSelector('[data-testid=record-revision]', { timeout: 90_000 })
  assert.equal(await page.textContent('[data-testid=record-revision]'), '1')
  await page.waitForFunction(() => /v1\.0\.0/.test(document.querySelector('[data-testid=history]')?.textContent ?? ''), undefined, { timeout: 30_000 })

  // Dave is not the owner: the update is refused with the pallet's error, in words.
  await page.goto(new URL(`?view=register&key=${charlieKey}`, siteUrl).href)
  await page.waitForFunction(() => (document.getElementById('name') as HTMLInputElement | null)?.value === 'form-module', undefined, { timeout: 90_000 })
  await page.getByLabel('Account').selectOption('3')
  await page.getByLabel('Version').fill('6.6.6')
  await page.getByRole('button', { name: 'Sign and update' }).click()
  await page.waitForSelector('[data-testid=register-error]', { timeout: 90_000 })
  assert.match((await page.textContent('[data-testid=register-error]')) ?? '', /moduleRegistry\.NotOwner: Only the module's owner may do this/)
  await page.screenshot({ path: join(ARTIFACTS, 'register-refused.png'), fullPage: true })
  await page.close()
})
