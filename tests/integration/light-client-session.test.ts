/**
 * One long light-client session, as the web app and library users have:
 * several registrations in a row each finalized (smoldot once hung the whole
 * process at the second: a third request for the same block body got its
 * only peer shut for 10 s, and its storage subscription then spun without
 * end), and a node that goes away turns reads into errors while the process
 * stays responsive (checked in a child process: a blocked event loop there
 * is a failed test here, not a hung run).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { generateChainSpecs } from '../../chain-spec/generate.ts'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import { computeCid } from '../../lib/ipfs/index.ts'
import { startDevNode, type DevNode } from '../support/node.ts'

let node: DevNode
let dir: string
let client: ModuleRegistryClient
const keyring = new Keyring({ type: 'sr25519' })
/** System.Account of //Alice (DEV key): present from genesis. */
const SYSTEM_ACCOUNT_ALICE = '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d'

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-light-session-'))
  node = await startDevNode(join(dir, 'chain'))
  const chainSpec = readFileSync(generateChainSpecs({ outDir: join(dir, 'specs'), bootnodeAddr: node.wsListenAddr, publish: false }).dev, 'utf8')
  client = await ModuleRegistryClient.connect({ kind: 'light-client', chainSpec }, { timeoutMs: 120_000 })
})

after(async () => {
  await client?.disconnect()
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
  // smoldot 3.4 leaves timers behind after terminate(), which would keep this
  // process alive: end it once the results are out.
  setTimeout(() => process.exit(), 1_000).unref()
})

test('four registrations in a row through one light client are each finalized and read back', { timeout: 120_000 }, async () => {
  const alice = keyring.addFromUri('//Alice') // DEV key
  for (let i = 0; i < 4; i++) {
    const moduleKey = new Keyring({ type: 'ed25519' }).addFromUri(`//light-session-${i}`)
    const cid = (await computeCid(new TextEncoder().encode(`light session ${i}`))).toString()
    const result = await client.register(u8aToHex(moduleKey.publicKey), cid, alice, { moduleSigner: moduleKey })
    assert.equal(result.stage, 'finalized')
    assert.deepEqual(result.events.map((event) => event.type), ['ModuleRegistered'])
    const { record, at } = await client.getModule(u8aToHex(moduleKey.publicKey))
    assert.equal(record?.cid, cid)
    assert.equal(at.verifiedBy, 'light-client')
  }
})

test('with its only node gone, a storage subscription fails in words and the process keeps running', { timeout: 120_000 }, async () => {
  // A second node of our own, so the session above keeps its peer.
  const lonely = await startDevNode(join(dir, 'lonely'))
  const spec = generateChainSpecs({ outDir: join(dir, 'lonely-specs'), bootnodeAddr: lonely.wsListenAddr, publish: false }).dev
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'support', 'light-client-no-peer.ts'), spec, SYSTEM_ACCOUNT_ALICE], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  try {
    assert.equal((await lines.next()).value, 'ready')
    await lonely.stop()
    child.stdin.write('node stopped\n')
    const report = await Promise.race([
      lines.next().then(({ value }) => JSON.parse(String(value))),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the light client process stopped answering: its event loop is blocked')), 45_000)),
    ]) as { outcome: string; longestGapMs: number }
    assert.match(report.outcome, /^error: .*no node available/i)
    assert.ok(report.longestGapMs < 1_000, `the event loop stalled for ${report.longestGapMs} ms`)
  } finally {
    child.kill('SIGKILL')
    await lonely.stop()
  }
})
