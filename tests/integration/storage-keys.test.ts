/**
 * lib/chain/storage-keys.ts against the keys a real `modnet-node --dev`
 * stores: module keys of 32 bytes (sr25519, ed25519) and 33 bytes (ecdsa),
 * the owner index, the count, and the gateway's "registry keys only" check.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { ModuleRegistryClient } from '../../lib/chain/index.ts'
import {
  isRegistryStorageKey, MODULE_COUNT_KEY, moduleKeyOfStorageKey, MODULES_PREFIX, moduleStorageKey, ownerModulesPrefix, ownerModuleStorageKey,
} from '../../lib/chain/storage-keys.ts'
import { rpc, startDevNode, type DevNode } from '../support/node.ts'

let node: DevNode
let client: ModuleRegistryClient
let dataDir: string
const moduleKeys: string[] = []
let aliceId: string

before(async () => {
  await cryptoWaitReady()
  dataDir = mkdtempSync(join(tmpdir(), 'modnet-keys-'))
  node = await startDevNode(join(dataDir, 'chain'))
  client = await ModuleRegistryClient.connect({ kind: 'rpc', url: node.rpcUrl })
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
  aliceId = u8aToHex(alice.publicKey)
  const keys = [alice, new Keyring({ type: 'ed25519' }).addFromUri('//keys-ed'), new Keyring({ type: 'ecdsa' }).addFromUri('//keys-ecdsa')]
  for (const [i, key] of keys.entries()) {
    const cid = CID.create(1, 0x55, await sha256.digest(new TextEncoder().encode(`storage keys ${i}`))).toString()
    const moduleKey = u8aToHex(key.publicKey)
    await client.register(moduleKey, cid, alice, { moduleSigner: key === alice ? undefined : key, waitFor: 'inBlock' })
    moduleKeys.push(moduleKey)
  }
})

after(async () => {
  await client?.disconnect()
  await node?.stop()
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
})

/** The storage keys under `prefix`, straight from the node's JSON-RPC. */
async function keysUnder(prefix: string): Promise<string[]> {
  return ((await rpc(node, 'state_getKeysPaged', [prefix, 1000])) as string[]).sort()
}

test('the Modules keys the node stores are the ones built here, and parse back to the module keys', async () => {
  assert.deepEqual(moduleKeys.map((key) => key.length), [66, 66, 68], 'a 33-byte ecdsa key is among them')
  const stored = await keysUnder(MODULES_PREFIX)
  assert.deepEqual(stored, moduleKeys.map(moduleStorageKey).sort())
  assert.deepEqual(stored.map((key) => moduleKeyOfStorageKey(key, MODULES_PREFIX)).sort(), [...moduleKeys].sort())
  for (const key of moduleKeys) assert.equal(moduleStorageKey(key), client.api.query.moduleRegistry.modules.key(key), 'the same as the metadata-built key')
})

test('the owner index and the count live under the keys built here', async () => {
  const stored = await keysUnder(ownerModulesPrefix(aliceId))
  assert.deepEqual(stored, moduleKeys.map((key) => ownerModuleStorageKey(aliceId, key)).sort())
  assert.deepEqual(stored.map((key) => moduleKeyOfStorageKey(key, ownerModulesPrefix(aliceId))).sort(), [...moduleKeys].sort())
  assert.equal(await rpc(node, 'state_getStorage', [MODULE_COUNT_KEY]), u8aToHex(client.api.createType('u64', moduleKeys.length).toU8a()), 'ModuleCount, u64 little-endian')
})

test('only registry keys pass the gateway\'s check; a key that is cut short does not parse', () => {
  for (const key of moduleKeys) assert.ok(isRegistryStorageKey(moduleStorageKey(key)))
  assert.equal(isRegistryStorageKey(client.api.query.system.account.key(aliceId)), false)
  assert.equal(isRegistryStorageKey(MODULES_PREFIX.toUpperCase()), false)
  assert.throws(() => moduleKeyOfStorageKey(moduleStorageKey(moduleKeys[0]).slice(0, -2), MODULES_PREFIX), /does not end in a module key/)
  assert.throws(() => moduleKeyOfStorageKey(client.api.query.system.account.key(aliceId), MODULES_PREFIX), /is not under/)
})
