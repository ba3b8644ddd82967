/**
 * The web app in a real Chromium against a real dev node, the real gateway
 * and the static export served on loopback: it syncs through smoldot (no
 * JSON-RPC socket to the node), lists modules registered through the CLI,
 * and shows a module with its verification marks.
 *
 * Every page a test opens is watched (tests/support/browser.ts watchPage):
 * an uncaught exception, an HTTP error or failed request from one of our
 * servers, or any contact with the node's JSON-RPC port fails the test after
 * it ends, unless the test declares that error as expected.
 */
import { after, afterEach, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { ApiPromise, WsProvider } from '@polkadot/api'
import { Keyring } from '@polkadot/keyring'
import type { SignerPayloadJSON, SignerPayloadRaw } from '@polkadot/types/types'
import { u8aToHex, u8aWrapBytes } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import type { Browser, Page } from 'playwright-core'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { checkPages, fakeSubstrateConnectScript, launchChromium, watchPage, type PageWatch } from '../support/browser.ts'
import { modnet } from '../support/cli.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { startDevNode, type DevNode } from '../support/node.ts'
import { kuboBinary, startKubo } from '../support/kubo.ts'
import { contrast, luminance, paintedColours } from '../support/colour.ts'
import { tamperingProxy } from '../support/tamper.ts'
import { deploySite as deploySiteTo, serveSite } from '../support/site.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ARTIFACTS = join(ROOT, 'test-results', 'e2e')
const example = JSON.parse(readFileSync(join(ROOT, 'examples', 'hello-module.json'), 'utf8'))
const run = promisify(execFile)
const ALICE_KEY = '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d'

let dir: string
let node: DevNode
let gateway: RunningGateway
let site: Server
let siteUrl: string
let chromium: { browser: Browser; close(): Promise<void> }
let chainSpecFile: string

/** The export as a deployer ships it, under this test's temp dir. */
function deploySite(name: string, gatewayUrl: string): string {
  return deploySiteTo(join(dir, name), chainSpecFile, gatewayUrl)
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), 'modnet-e2e-'))
  node = await startDevNode(join(dir, 'chain'))
  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
  chainSpecFile = generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev
  ;({ server: site, url: siteUrl } = await serveSite(deploySite('web', gateway.url)))

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

/** The pages the running test opened; afterEach closes them and fails the test on what went wrong in them. */
const watches: PageWatch[] = []
afterEach(async (t) => checkPages(watches.splice(0), (t as { passed?: boolean }).passed !== false))

/**
 * Watches `page` for errors (see the file's header) against the servers every
 * test has, plus `servers` the test started itself (a proxy, a site copy, Kubo).
 */
function watch(page: Page, ...servers: string[]): PageWatch {
  const watched = watchPage(page, {
    ownOrigins: [siteUrl, gateway.url, node.rpcHttpUrl, node.prometheusUrl, `http://127.0.0.1:${node.ports.p2p}`, ...servers],
    forbidden: [{ origin: node.rpcUrl, why: "the node's JSON-RPC port" }],
  })
  watches.push(watched)
  return watched
}

/** A watched page that also records every Web Worker it starts. */
async function openPage(path: string, base = siteUrl, ...servers: string[]): Promise<{ page: Page; watched: PageWatch; workers: string[] }> {
  const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } })
  const watched = watch(page, base, ...servers)
  const workers: string[] = []
  page.on('worker', (worker) => workers.push(worker.url()))
  await page.goto(new URL(path, base).href)
  return { page, watched, workers }
}

test('Browse syncs through the light client and lists the modules registered through the CLI', async () => {
  const { page, watched, workers } = await openPage('')
  await page.waitForSelector('[data-testid=status-bar][data-phase=synced]', { timeout: 90_000 })
  // smoldot's wasm runs in its worker; this first visit started cold.
  assert.equal(await page.getAttribute('[data-testid=status-bar]', 'data-thread'), 'worker')
  assert.equal(await page.getAttribute('[data-testid=status-bar]', 'data-warm-start'), 'false')
  assert.deepEqual(workers, [new URL('smoldot-worker.js', siteUrl).href])
  await page.waitForSelector('[data-testid=module-count]', { timeout: 60_000 })
  assert.equal(await page.textContent('[data-testid=module-count]'), '2')
  await page.getByRole('link', { name: 'hello-module' }).waitFor({ timeout: 30_000 })
  await page.getByRole('link', { name: 'search-indexer' }).waitFor()
  await page.screenshot({ path: join(ARTIFACTS, 'browse.png'), fullPage: true })

  await page.getByLabel('Search name, description, keywords').fill('full-text')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=module-rows] tr').length === 1)
  assert.equal(await page.getByRole('link', { name: 'search-indexer' }).count(), 1)
  assert.equal(await page.getByRole('link', { name: 'hello-module' }).count(), 0)
  await page.waitForFunction(() => /metadata of 2 of 2 modules hash-checked \(kept in this browser\)\.$/.test(document.querySelector('[data-testid=index-progress]')?.textContent?.trim() ?? ''))

  // A return visit: the records are read from the chain again, the metadata comes from the index this browser kept.
  const ipfsReads: string[] = []
  page.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/ipfs/')) ipfsReads.push(request.url()) })
  await page.reload()
  await page.waitForSelector('[data-testid=module-count]', { timeout: 60_000 })
  assert.equal(await page.getAttribute('[data-testid=status-bar]', 'data-warm-start'), 'true', 'smoldot resumed from the database the first visit kept')
  await page.getByRole('link', { name: 'search-indexer' }).waitFor({ timeout: 30_000 })
  await page.getByLabel('Search name, description, keywords').fill('full-text')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=module-rows] tr').length === 1 && document.querySelector('[data-testid=index-progress]')?.textContent?.trim().endsWith('.'))
  assert.deepEqual(ipfsReads, [], 'no metadata fetched again on a return visit')

  const rpc = new URL(node.rpcUrl).host
  assert.deepEqual(watched.urls().filter((url) => new URL(url).host === rpc), [], 'no JSON-RPC to the node, neither WebSocket nor HTTP')
  const p2p = `ws://127.0.0.1:${node.ports.p2p}`
  assert.ok(watched.urls().some((url) => url.startsWith(p2p)), `smoldot dials the node's p2p WebSocket ${p2p} (saw ${watched.urls().filter((url) => url.startsWith('ws')).join(', ')})`)
  await page.close()
})

test('dark mode on a phone-sized screen, and the keyboard reaches the navigation', async () => {
  const context = await chromium.browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 844 }, isMobile: true })
  try {
    const page = await context.newPage()
    watch(page)
    await page.goto(siteUrl)
    await page.getByRole('link', { name: 'hello-module' }).waitFor({ timeout: 90_000 })
    // The same page painted in each scheme: dark is darker, and the text stays readable (WCAG AA) in both.
    await page.emulateMedia({ colorScheme: 'light' })
    const light = await paintedColours(page, 'body')
    await page.emulateMedia({ colorScheme: 'dark' })
    const dark = await paintedColours(page, 'body')
    const seen = `light ${JSON.stringify(light)}, dark ${JSON.stringify(dark)}`
    for (const { background, text } of [light, dark]) assert.ok(background[3] === 255 && text[3] === 255, `opaque colours (${seen})`)
    assert.notDeepEqual(dark.background, light.background, `the background changes with the scheme (${seen})`)
    assert.notDeepEqual(dark.text, light.text, `the text colour changes with the scheme (${seen})`)
    assert.ok(luminance(dark.background) < luminance(light.background), `dark background darker than light (${seen})`)
    assert.ok(luminance(dark.text) > luminance(dark.background), `light text on the dark background (${seen})`)
    for (const { background, text } of [light, dark]) assert.ok(contrast(text, background) >= 4.5, `text contrast at least 4.5:1 (${seen})`)
    await page.screenshot({ path: join(ARTIFACTS, 'browse-dark-mobile.png'), fullPage: true })
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'MMod-Net')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Browse')
  } finally {
    await context.close()
  }
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
  // "Download proof" gives a module card that the CLI checks offline.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download proof' }).click()])
  const cardFile = join(dir, 'card.json')
  await download.saveAs(cardFile)
  const checked = await modnet(['verify-card', cardFile, '--json'])
  assert.equal(checked.code, 0, checked.stderr)
  assert.equal(checked.json.key, ALICE_KEY)

  // The audit trail: the gateway's events, proved by the key's history commitment.
  await page.waitForSelector('[data-testid=audit] li[data-state=proved][data-by=commitment]', { timeout: 60_000 })
  assert.match((await page.textContent('[data-testid=history-commitment]')) ?? '', /The chain commits to 1 event for this key/)
  assert.match((await page.textContent('[data-testid=audit]')) ?? '', /ModuleRegistered/)
  await page.screenshot({ path: join(ARTIFACTS, 'module.png'), fullPage: true })
  await page.close()
})

test('the owner offers a module from its page and the recipient accepts it there; deprecation and yanks show; a look-alike name is pointed out in Browse and the register form', async () => {
  const cli = ['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`]
  const file = join(dir, 'offered.json')
  writeFileSync(file, JSON.stringify({ ...example, name: 'offered-module' }))
  // A module key of its own: Ferdie's account key is the wallet test's module.
  const registered = await modnet([...cli, 'register', '--metadata', file, '--key-uri', '//Ferdie', '--module-key-uri', '//offered-module', '--json'])
  assert.equal(registered.code, 0, registered.stderr)
  const key: string = registered.json.key
  for (const args of [['yank', key, '0'], ['deprecate', key, 'use hello-module instead']]) {
    const done = await modnet([...cli, ...args, '--key-uri', '//Ferdie'])
    assert.equal(done.code, 0, done.stderr)
  }
  await cryptoWaitReady()
  const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve').address // DEV key

  const { page } = await openPage(`?view=module&key=${key}`)
  await page.waitForSelector('[data-testid=deprecated]', { timeout: 90_000 })
  assert.match((await page.textContent('[data-testid=deprecated]')) ?? '', /Deprecated by its owner: use hello-module instead/)
  assert.match((await page.textContent('[data-testid=yanked]')) ?? '', /This revision \(0\) is yanked/)
  await page.waitForFunction(() => (document.querySelector('[data-testid=actions-account]') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent?.includes('(owner)') === true, undefined, { timeout: 60_000 })
  await page.getByLabel('Offer to (address)').fill(eve)
  await page.getByRole('button', { name: 'Offer', exact: true }).click()
  await page.waitForFunction(() => /Offered \(finalized\)/.test(document.querySelector('[data-testid=actions-status]')?.textContent ?? ''), undefined, { timeout: 60_000 })
  await page.waitForSelector('[data-testid=transfer-offer]', { timeout: 60_000 })
  assert.match((await page.textContent('[data-testid=transfer-offer]')) ?? '', new RegExp(`Offered to ${eve} until block #\\d+`))

  // The recipient (a dev account this browser holds) is preselected, and accepts.
  await page.waitForFunction(() => (document.querySelector('[data-testid=actions-account]') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent?.includes('(offered to)') === true, undefined, { timeout: 60_000 })
  await page.getByRole('button', { name: 'Accept the transfer' }).click()
  await page.waitForFunction(() => /Accepted \(finalized\)/.test(document.querySelector('[data-testid=actions-status]')?.textContent ?? ''), undefined, { timeout: 60_000 })
  const now = await modnet([...cli, 'get', key, '--json'])
  assert.equal(now.json.record.owner, eve)
  assert.equal(now.json.status.transferOffer, undefined)
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=audit] li[data-by=commitment]').length >= 5, undefined, { timeout: 60_000 })
  assert.match((await page.textContent('[data-testid=audit]')) ?? '', /TransferOffered[\s\S]*OwnershipTransferred/)
  await page.close()

  // A look-alike name ("1" for "l") is pointed out in Browse, on both rows.
  const copy = join(dir, 'copycat.json')
  writeFileSync(copy, JSON.stringify({ ...example, name: 'offered-modu1e' }))
  const copycat = await modnet([...cli, 'register', '--metadata', copy, '--key-uri', '//Dave', '--module-key-uri', '//copycat-module', '--json'])
  assert.equal(copycat.code, 0, copycat.stderr)
  const { page: browse } = await openPage('')
  await browse.waitForFunction(() => document.querySelectorAll('[data-testid=look-alike]').length >= 2, undefined, { timeout: 90_000 })
  const rows = await browse.$$eval('[data-testid=module-rows] tr', (trs) => trs.map((tr) => tr.textContent ?? ''))
  assert.ok(rows.some((row) => /offered-modu1e.*looks like "offered-module"/.test(row)), rows.join('\n'))
  assert.ok(rows.some((row) => /offered-module.*looks like "offered-modu1e"/.test(row)), rows.join('\n'))
  assert.ok(!rows.some((row) => /^hello-module.*looks like/.test(row)), 'an unrelated name is not flagged')
  await browse.close()

  // Choosing that name in the register form is warned about, naming both modules.
  const { page: form } = await openPage('?view=register')
  await form.waitForFunction(() => document.querySelectorAll('[data-testid=account] option').length >= 6, undefined, { timeout: 90_000 })
  await form.getByLabel('Name').fill('offered-module')
  await form.waitForSelector('[data-testid=name-look-alikes]', { timeout: 60_000 })
  const warning = (await form.textContent('[data-testid=name-look-alikes]')) ?? ''
  assert.match(warning, new RegExp(`"offered-module" \\(module ${key}\\) has the same name`))
  assert.match(warning, /"offered-modu1e" \(module 0x[0-9a-f]+\) has a name that reads the same/)
  await form.getByLabel('Name').fill('entirely-different')
  await form.waitForSelector('[data-testid=name-look-alikes]', { state: 'detached', timeout: 10_000 })
  await form.close()
})

test('register through the form with a dev account, update it, and a stranger is refused in words', async () => {
  await cryptoWaitReady()
  const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie')
  const charlieKey = u8aToHex(charlie.publicKey)
  const { page: feed } = await openPage('?view=feed')
  await feed.waitForFunction(() => /Following finalized blocks/.test(document.body.textContent ?? ''), undefined, { timeout: 90_000 })
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

  await feed.waitForFunction((key) => (document.querySelector('[data-testid=feed]')?.textContent ?? '').includes('ModuleRegistered') && document.querySelector(`[data-testid=feed] a[href*="${key.slice(0, 10)}"]`) !== null, charlieKey, { timeout: 60_000 })
  await feed.screenshot({ path: join(ARTIFACTS, 'feed.png'), fullPage: true })
  await feed.close()

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
  // The earlier version's CID is in the key's proved history, as revision 0.
  await page.waitForSelector('[data-testid=version-on-chain]', { timeout: 60_000 })
  assert.equal(await page.textContent('[data-testid=version-on-chain]'), 'revision 0 in the proved history')

  // Dave is not the owner: the update is refused with the pallet's error, in words.
  await page.goto(new URL(`?view=register&key=${charlieKey}`, siteUrl).href)
  await page.waitForFunction(() => (document.getElementById('name') as HTMLInputElement | null)?.value === 'form-module', undefined, { timeout: 90_000 })
  await page.getByLabel('Account').selectOption('3')
  // Dave's key is not the module key: the form says the document will go unsigned, and why.
  assert.equal(await page.getAttribute('[data-testid=signing-note]', 'data-signed'), 'false')
  assert.match((await page.textContent('[data-testid=signing-note]')) ?? '', new RegExp(`will not be signed by the module key: the module key ${charlieKey} is not this account's key`))
  await page.getByLabel('Version').fill('6.6.6')
  await page.getByRole('button', { name: 'Sign and update' }).click()
  await page.waitForSelector('[data-testid=register-error]', { timeout: 90_000 })
  assert.match((await page.textContent('[data-testid=register-error]')) ?? '', /moduleRegistry\.NotOwner: Only the module's owner may do this/)
  await page.screenshot({ path: join(ARTIFACTS, 'register-refused.png'), fullPage: true })

  // My modules lists it under Charlie.
  await page.goto(new URL('?view=mine', siteUrl).href)
  await page.getByRole('link', { name: 'form-module v1.1.0' }).waitFor({ timeout: 90_000 })
  await page.screenshot({ path: join(ARTIFACTS, 'mine.png'), fullPage: true })

  // The owner removes it from its page; it is gone.
  await page.goto(new URL(`?view=module&key=${charlieKey}`, siteUrl).href)
  await page.waitForSelector('[data-testid=actions-account] option >> text=/Charlie.*owner/', { state: 'attached', timeout: 90_000 })
  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByRole('button', { name: 'Remove' }).click()
  await page.waitForFunction(() => /No module is registered under/.test(document.querySelector('main')?.textContent ?? ''), undefined, { timeout: 90_000 })
  const gone = await modnet(['--rpc', node.rpcUrl, 'get', charlieKey])
  assert.equal(gone.code, 3, gone.stderr)
  await page.close()
})

test('a wallet extension (injected test wallet) registers through the form, signing the metadata with signRaw (a refusal stops it, nothing written); its module reaches Browse and the CLI', async () => {
  // The wallet lives in the test: the page sees window.injectedWeb3, the extension API
  // @polkadot/extension-dapp reads, and signing happens here with a dev seed.
  // signRaw signs as @polkadot/extension-base's RequestBytesSign: pair.sign(u8aWrapBytes(data)).
  const api = await ApiPromise.create({ provider: new WsProvider(node.rpcUrl), noInitWarn: true })
  const ferdie = new Keyring({ type: 'sr25519' }).addFromUri('//Ferdie')
  const ferdieKey = u8aToHex(ferdie.publicKey)
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } })
  let refuse = true
  const rawRequests: SignerPayloadRaw[] = []
  let payloadsSigned = 0
  try {
    await context.exposeBinding('__testWalletSignPayload', (_source, payload: SignerPayloadJSON) => {
      payloadsSigned++
      return api.registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(ferdie).signature
    })
    await context.exposeBinding('__testWalletSignRaw', (_source, payload: SignerPayloadRaw) => {
      rawRequests.push(payload)
      // The user's answer in the wallet's popup: a refusal rejects signRaw, as extension-base does ('Cancelled').
      return refuse ? { refused: 'Cancelled' } : { signature: u8aToHex(ferdie.sign(u8aWrapBytes(payload.data))) }
    })
    await context.addInitScript(({ address }) => {
      const account = { address, name: 'Test Wallet', type: 'sr25519' }
      const w = window as unknown as {
        __testWalletSignPayload(p: unknown): Promise<string>
        __testWalletSignRaw(p: unknown): Promise<{ refused?: string; signature?: string }>
        injectedWeb3: unknown
      }
      let id = 0
      w.injectedWeb3 = {
        'modnet-test-wallet': {
          version: '0.1.0',
          enable: async () => ({
            accounts: { get: async () => [account], subscribe: (cb: (a: unknown[]) => void) => { cb([account]); return () => {} } },
            signer: {
              signPayload: async (payload: unknown) => ({ id: ++id, signature: await w.__testWalletSignPayload(payload) }),
              signRaw: async (payload: unknown) => {
                const answer = await w.__testWalletSignRaw(payload)
                if (answer.refused !== undefined) throw new Error(answer.refused)
                return { id: ++id, signature: answer.signature }
              },
            },
          }),
        },
      }
    }, { address: ferdie.address })
    const page = await context.newPage()
    watch(page)
    await page.goto(new URL('?view=register', siteUrl).href)
    await page.waitForFunction(() => /Test Wallet/.test(document.querySelector('[data-testid=account]')?.textContent ?? ''), undefined, { timeout: 90_000 })
    assert.doesNotMatch((await page.textContent('[data-testid=account]')) ?? '', /\(dev\)/, 'no dev accounts when a wallet is present')
    // The module key is the wallet account's own key: the form says the wallet will sign the metadata.
    assert.equal(await page.getAttribute('[data-testid=signing-note]', 'data-signed'), 'true')
    assert.match((await page.textContent('[data-testid=signing-note]')) ?? '', /signed by the module key: your wallet asks you to sign it first/)
    await page.getByLabel('Name').fill('wallet-module')
    await page.getByLabel('Description').fill('Signed by a browser wallet extension.')

    // The user declines in the wallet: the form says so, and nothing is uploaded or registered.
    const uploadsBefore = await gatewayUploads()
    await page.getByRole('button', { name: 'Sign and register' }).click()
    await page.waitForSelector('[data-testid=register-error]', { timeout: 90_000 })
    assert.equal((await page.textContent('[data-testid=register-error]'))?.trim(), 'the wallet did not sign the metadata (Cancelled); nothing was uploaded or registered')
    assert.match((await page.textContent('[data-testid=progress] li[data-state=failed]')) ?? '', /Asking your wallet to sign the metadata with the module key/)
    assert.equal(rawRequests.length, 1, 'the wallet was asked once')
    assert.equal(payloadsSigned, 0, 'no transaction was signed')
    assert.equal(await gatewayUploads(), uploadsBefore, 'nothing was uploaded to the gateway')
    const none = await modnet(['--rpc', node.rpcUrl, 'get', ferdieKey])
    assert.equal(none.code, 3, `nothing is registered under the wallet's key: ${none.stdout}${none.stderr}`)
    await page.screenshot({ path: join(ARTIFACTS, 'wallet-refused.png'), fullPage: true })

    // The user signs: the v2 message for this chain at revision 0, as hex bytes.
    refuse = false
    await page.getByRole('button', { name: 'Sign and register' }).click()
    await page.waitForSelector('[data-testid=register-done]', { timeout: 90_000 })
    assert.equal(rawRequests.length, 2)
    assert.equal(rawRequests[1]!.type, 'bytes')
    assert.equal(rawRequests[1]!.address, ferdie.address)
    assert.match(Buffer.from(rawRequests[1]!.data.slice(2), 'hex').toString('utf8'), new RegExp(`^modnet/module-metadata-signature/v2:${api.genesisHash.toHex()}:0:\\{`))
    assert.equal((await page.textContent('[data-testid=register-signature]'))?.trim(), 'The metadata is signed by the module key.')

    // The module page checks the signature against the module key: valid.
    await page.goto(new URL(`?view=module&key=${ferdieKey}`, siteUrl).href)
    await page.waitForSelector('[data-testid=verify-signature]', { timeout: 90_000 })
    assert.equal(await page.getAttribute('[data-testid=verify-signature]', 'data-mark'), 'ok')
    assert.match((await page.textContent('[data-testid=verify-signature]')) ?? '', /Valid: the module key signed this document\./)
    await page.screenshot({ path: join(ARTIFACTS, 'wallet-signed-module.png'), fullPage: true })

    await page.goto(siteUrl)
    await page.getByRole('link', { name: 'wallet-module' }).waitFor({ timeout: 90_000 })
    const cli = await modnet(['--rpc', node.rpcUrl, '--ipfs', `gateway:${gateway.url}`, 'get', ferdieKey, '--json'])
    assert.equal(cli.code, 0, cli.stderr)
    assert.equal(cli.json.metadata.name, 'wallet-module')
    assert.equal(cli.json.record.owner, ferdie.address)
    assert.deepEqual(cli.json.verification.signature, { status: 'valid' })
    assert.equal(cli.json.metadata.signature.type, 'sr25519')
  } finally {
    await context.close()
    await api.disconnect()
  }
})

/** Metadata uploads the gateway has answered, whatever their outcome (its /metrics). */
async function gatewayUploads(): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text()
  return text.split('\n').filter((line) => line.startsWith('modnet_gateway_uploads_total')).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

test('a gateway that returns tampered metadata makes the module page show a verification failure, not the content', async () => {
  const tampering = await tamperingProxy(gateway.url)
  const lying = await serveSite(deploySite('web-tampered', tampering.url))
  try {
    const { page } = await openPage(`?view=module&key=${ALICE_KEY}`, lying.url, tampering.url)
    await page.waitForSelector('[data-testid=verify-metadata]', { timeout: 90_000 })
    assert.equal(await page.getAttribute('[data-testid=verify-record]', 'data-mark'), 'ok')
    assert.equal(await page.getAttribute('[data-testid=verify-metadata]', 'data-mark'), 'fail')
    assert.match((await page.textContent('[data-testid=verify-metadata]')) ?? '', /do not match its sha2-256 hash/)
    assert.doesNotMatch((await page.textContent('main')) ?? '', /A minimal Mod-Net example module/, 'tampered content is not shown')
    assert.ok(tampering.tampered() > 0)
    await page.screenshot({ path: join(ARTIFACTS, 'module-tampered.png'), fullPage: true })
    await page.close()
  } finally {
    lying.server.close()
    tampering.server.close()
  }
})

test('the export added to IPFS works from a gateway path /ipfs/<cid>/', async () => {
  const kubo = await startKubo()
  try {
    const site = deploySite('web-ipfs', gateway.url)
    const { stdout } = await run(kuboBinary(), ['add', '-r', '-Q', '--cid-version=1', site], { env: { ...process.env, IPFS_PATH: kubo.repo } })
    const root = `${kubo.gatewayUrl}/ipfs/${stdout.trim()}/`
    const { page, workers } = await openPage('', root)
    await page.getByRole('link', { name: 'hello-module' }).waitFor({ timeout: 90_000 })
    assert.deepEqual(workers, [`${root}smoldot-worker.js`], 'the light client\'s worker loads from under the IPFS path')
    assert.equal(await page.getAttribute('[data-testid=status-bar]', 'data-thread'), 'worker')
    await page.getByRole('link', { name: 'hello-module' }).click()
    await page.waitForSelector('[data-testid=verify-metadata][data-mark=ok]', { timeout: 90_000 })
    assert.ok(page.url().startsWith(root), `stayed under the IPFS path: ${page.url()}`)
    await page.screenshot({ path: join(ARTIFACTS, 'ipfs-path-module.png'), fullPage: true })
    await page.close()
  } finally {
    await kubo.stop()
  }
})

test('where the light client\'s worker cannot load, smoldot runs on the page\'s thread and the page still works', async () => {
  const copy = deploySite('web-no-worker', gateway.url)
  rmSync(join(copy, 'smoldot-worker.js'))
  const served = await serveSite(copy)
  try {
    const { page, watched } = await openPage('', served.url)
    // The missing worker script: a 404, and Chromium fails the worker's load.
    watched.expect(/^HTTP 404 GET http:\/\/127\.0\.0\.1:\d+\/smoldot-worker\.js$/, /^request failed: GET http:\/\/127\.0\.0\.1:\d+\/smoldot-worker\.js \(net::ERR_FAILED\)$/)
    await page.getByRole('link', { name: 'hello-module' }).waitFor({ timeout: 90_000 })
    assert.equal(await page.getAttribute('[data-testid=status-bar]', 'data-thread'), 'main-thread')
    await page.close()
  } finally {
    served.server.close()
  }
})

test('with the Substrate Connect extension installed, the page uses its light client and starts no smoldot of its own', async () => {
  const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } })
  watch(page)
  const workers: string[] = []
  page.on('worker', (worker) => workers.push(worker.url()))
  await page.addInitScript({ content: await fakeSubstrateConnectScript() })
  await page.goto(siteUrl)
  await page.getByRole('link', { name: 'hello-module' }).waitFor({ timeout: 90_000 })
  assert.equal(await page.getAttribute('[data-testid=status-bar]', 'data-thread'), 'extension')
  assert.equal(await page.evaluate(() => (window as any).__fakeSubstrateConnect.chainsAdded), 1)
  assert.deepEqual(workers, [], 'no smoldot worker of its own')
  await page.close()
})

test('the status bar says when the node goes away and syncs again by itself when it is back', async () => {
  const { page, watched } = await openPage('')
  await page.waitForSelector('[data-testid=status-bar][data-phase=synced]', { timeout: 90_000 })
  // While the node is down the gateway's follower has no chain: its /healthz says so.
  watched.expect(/^HTTP 503 GET http:\/\/127\.0\.0\.1:\d+\/healthz$/)
  await node.stop()
  await page.waitForSelector('[data-testid=status-bar][data-phase=no-peers]', { timeout: 120_000 })
  assert.match((await page.textContent('[data-testid=status-bar]')) ?? '', /node unreachable, retrying/)
  await page.screenshot({ path: join(ARTIFACTS, 'node-unreachable.png') })
  node = await startDevNode(node.basePath, node.ports)
  await page.waitForSelector('[data-testid=status-bar][data-phase=synced]', { timeout: 180_000 })
  const before = Number((await page.textContent('[data-testid=finalized]'))?.slice(1))
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=finalized]')?.textContent?.slice(1)) > n, before, { timeout: 60_000 })
  await page.close()
})
