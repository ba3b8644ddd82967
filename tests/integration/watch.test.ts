/**
 * `modnet watch` against a real dev node: one watcher follows a module key,
 * another every event naming an account (and posts each to a webhook on
 * loopback). A registration, an update, an offer and its acceptance by
 * another account are reported, in order, by both; events of other modules
 * are not; a webhook that fails at first still gets every event (retried);
 * SIGINT ends the watch with exit 0. Bad input is refused before connecting.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import { computeCid } from '../../lib/ipfs/index.ts'
import type { RegistryEvent } from '../../lib/types/chain.ts'
import { modnet } from '../support/cli.ts'
import { startDevNode, waitFor, type DevNode } from '../support/node.ts'

const MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url))
let dir: string
let node: DevNode
let client: ModuleRegistryClient
let hook: Server
let hookUrl: string
const posted: RegistryEvent[] = []
let refuseFirst = 2

interface Watcher { child: ChildProcess; lines: string[]; stderr: () => string }

function watch(args: string[]): Watcher {
  const child = spawn(process.execPath, [MAIN, '--rpc', node.rpcUrl, 'watch', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const parts = out.split('\n')
    out = parts.pop()!
    lines.push(...parts)
  })
  child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString() })
  return { child, lines, stderr: () => err }
}

async function stop(watcher: Watcher): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => watcher.child.once('exit', (code) => resolve(code)))
  watcher.child.kill('SIGINT')
  return await exited
}

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-watch-'))
  node = await startDevNode(join(dir, 'chain'))
  client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  hook = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => { body += chunk })
    req.on('end', () => {
      // The first deliveries fail: the watcher must retry them.
      if (refuseFirst-- > 0) return void res.writeHead(503).end()
      posted.push(JSON.parse(body))
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve))
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`
})

after(async () => {
  hook?.close()
  await client?.disconnect()
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a key watcher and an owner watcher report the module\'s changes as they are finalized; SIGINT stops them', { timeout: 5 * 60_000 }, async () => {
  const keyring = new Keyring({ type: 'sr25519' })
  const ferdie = keyring.addFromUri('//Ferdie') // DEV key
  const eve = keyring.addFromUri('//Eve') // DEV key
  const moduleKey = new Keyring({ type: 'ed25519' }).addFromUri('//watched-module') // DEV key
  const key = u8aToHex(moduleKey.publicKey)
  const cid = async (text: string) => (await computeCid(new TextEncoder().encode(text))).toString()

  const byKey = watch([key, '--json'])
  const byOwner = watch(['--owner', ferdie.address, '--webhook', hookUrl])
  await waitFor(async () => /watching module/.test(byKey.stderr()) && /watching account/.test(byOwner.stderr()), 60_000)

  // Another module's events are not reported.
  await client.register(client.accountKey(eve), await cid('not watched'), eve)
  const done: RegistryEvent[] = []
  done.push(...(await client.register(key, await cid('watched v1'), ferdie, { moduleSigner: moduleKey })).events)
  done.push(...(await client.update(key, await cid('watched v2'), ferdie)).events)
  done.push(...(await client.transferOwnership(key, eve.address, ferdie)).events)
  done.push(...(await client.acceptOwnership(key, eve)).events)
  assert.deepEqual(done.map((e) => e.type), ['ModuleRegistered', 'ModuleUpdated', 'TransferOffered', 'OwnershipTransferred'])

  await waitFor(async () => byKey.lines.length >= 4 && byOwner.lines.length >= 4 && posted.length >= 4, 60_000)
  assert.deepEqual(byKey.lines.map((line) => JSON.parse(line)), done)
  assert.deepEqual(posted, done, 'every event reached the webhook, the refused ones by a retry')
  assert.match(byOwner.lines[2]!, new RegExp(`^#\\d+\\s+TransferOffered\\s+${key}\\s+offered to ${eve.address} until block #\\d+$`))
  assert.match(byOwner.lines[3]!, new RegExp(`OwnershipTransferred\\s+${key}\\s+${ferdie.address} → ${eve.address}`))

  // Eve's module events after the transfer no longer name Ferdie: the owner watcher stays quiet.
  await client.setYanked(key, 0, true, eve)
  await waitFor(async () => byKey.lines.length >= 5, 60_000)
  assert.equal(byOwner.lines.length, 4)

  assert.equal(await stop(byKey), 0)
  assert.equal(await stop(byOwner), 0)
})

test('watch refuses bad input in words, before connecting', async () => {
  const cases: [string[], RegExp][] = [
    [['watch'], /watch a module KEY or an --owner ACCOUNT \(one of the two\)/],
    [['watch', '0x1234'], /module key 0x1234 is 2 bytes/],
    [['watch', '--owner', 'nobody'], /"nobody" is not an account/],
    [['watch', '--owner', '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', '--webhook', 'ftp://example.org'], /--webhook must be an http\(s\) URL/],
  ]
  for (const [args, message] of cases) {
    const result = await modnet(['--rpc', 'ws://127.0.0.1:1', ...args])
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
    assert.match(result.stderr, message)
  }
})
