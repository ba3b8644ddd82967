/**
 * Backup and restore drills, with real processes:
 * - a gateway's database and pin set (as CAR files through its own
 *   trustless endpoint) are exported while it runs; its data directory is
 *   wiped; after a restore every registered metadata document is served again;
 * - a node's chain is exported (`export-blocks`), its data wiped and the
 *   blocks imported again: every module is there.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import { canonicalBytes } from '../../lib/types/index.ts'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { nodeBinary, startDevNode, waitFor, type DevNode } from '../support/node.ts'

const run = promisify(execFile)
const BACKUP = fileURLToPath(new URL('../../gateway/backup.ts', import.meta.url))
const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8'))
let dir: string
let node: DevNode
let gateway: RunningGateway | undefined
/** Registered modules: key → metadata bytes. */
const modules = new Map<string, { cid: string; bytes: Uint8Array }>()

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-backup-'))
  node = await startDevNode(join(dir, 'chain'))
  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  try {
    for (const name of ['Alice', 'Bob', 'Charlie']) {
      const bytes = canonicalBytes({ ...example, name: `backup-${name.toLowerCase()}`, description: `backup drill ${name}` })
      const response = await fetch(`${gateway.url}/api/v1/metadata`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes })
      const { cid } = (await response.json()) as { cid: string }
      const signer = new Keyring({ type: 'sr25519' }).addFromUri(`//${name}`)
      await client.register(client.accountKey(signer), cid, signer)
      modules.set(client.accountKey(signer), { cid, bytes })
    }
  } finally {
    await client.disconnect()
  }
  const url = gateway.url
  for (const { cid } of modules.values()) {
    await waitFor(async () => ((await (await fetch(`${url}/api/v1/pins/${cid}`)).json()) as { status?: string }).status === 'pinned', 30_000)
  }
})

after(async () => {
  await gateway?.stop()
  await node?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('gateway drill: export while running, wipe, restore: every registered document is served again', async () => {
  const backup = join(dir, 'gateway-backup')
  const exported = await run(process.execPath, [BACKUP, 'export', '--gateway', gateway!.url, '--data-dir', join(dir, 'gateway'), '--out', backup])
  assert.match(exported.stdout, /backed up the database and 3 CAR files/)
  await gateway!.stop()
  rmSync(join(dir, 'gateway'), { recursive: true, force: true })
  gateway = undefined

  const refused = await run(process.execPath, [BACKUP, 'restore', '--from', join(dir, 'nowhere'), '--data-dir', join(dir, 'gateway')]).catch((error) => error)
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, /not a gateway backup/)
  const restored = await run(process.execPath, [BACKUP, 'restore', '--from', backup, '--data-dir', join(dir, 'gateway')])
  assert.match(restored.stdout, /restored 3 CAR files/)

  gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
  const url = gateway.url
  for (const [key, { cid, bytes }] of modules) {
    const pin = (await (await fetch(`${url}/api/v1/pins/${cid}`)).json()) as { state: string; status: string; keys: string[] }
    assert.deepEqual([pin.state, pin.status, pin.keys], ['registered', 'pinned', [key]])
    const block: Response = await fetch(`${url}/ipfs/${cid}?format=raw`)
    assert.equal(block.status, 200)
    assert.deepEqual(new Uint8Array(await block.arrayBuffer()), bytes)
  }
  const again = await run(process.execPath, [BACKUP, 'restore', '--from', backup, '--data-dir', join(dir, 'gateway')]).catch((error) => error)
  assert.match(again.stderr, /exists: restore into an empty data directory/, 'a restore never overwrites')
})

test('node drill: export-blocks, wipe, import-blocks: every module is there', async () => {
  const chain = join(dir, 'chain')
  const ports = node.ports
  await node.stop()
  const file = join(dir, 'chain.blocks')
  await run(nodeBinary(), ['export-blocks', '--dev', '--base-path', chain, '--binary', file], { maxBuffer: 64 * 1024 * 1024 })
  assert.ok(existsSync(file))
  rmSync(chain, { recursive: true, force: true })
  await run(nodeBinary(), ['import-blocks', '--dev', '--base-path', chain, '--binary', file], { maxBuffer: 64 * 1024 * 1024 })
  node = await startDevNode(chain, ports)
  const client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  try {
    // Imported blocks come back unfinalized: GRANDPA finalizes them once the node runs again.
    const best = (await client.status()).best
    assert.ok(best > 3, `the chain was imported (best block #${best})`)
    await waitFor(async () => (await client.status()).finalized >= best, 60_000)
    for (const [key, { cid }] of modules) assert.equal((await client.requireModule(key)).record.cid, cid)
    assert.equal((await client.count()).count, modules.size)
  } finally {
    await client.disconnect()
  }
})
