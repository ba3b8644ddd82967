/**
 * lib/chain/decode.ts without a node: CIDs to and from the chain's binary
 * form, records from codec-like values, and registry events picked out of a
 * block's events (through a stand-in for the API's event matchers).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import type { ApiPromise } from '@polkadot/api'
import { hexToU8a, u8aToHex } from '@polkadot/util'
import { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { sha256 } from 'multiformats/hashes/sha2'
import { identity } from 'multiformats/hashes/identity'
import { create as createDigest } from 'multiformats/hashes/digest'
import { cidFromChain, cidToChain, recordFromChain, registryEvents } from '../../lib/chain/decode.ts'

const fixture = JSON.parse(readFileSync(new URL('../fixtures/storage-proofs.json', import.meta.url), 'utf8')) as {
  modules: { moduleKey: string; value: string; record: { key: string; owner: string; cid: string; revision: number; registeredAt: number; updatedAt: number; deposit: string } }[]
}

const bytes = (text: string) => new TextEncoder().encode(text)
const rawCid = async (text: string) => CID.create(1, 0x55, await sha256.digest(bytes(text)))

describe('CIDs to and from the chain', () => {
  test('every kind of CID the registry takes round-trips, as the same CID', async () => {
    const cids: CID[] = [
      await rawCid('hello'), // CIDv1, raw, sha2-256
      CID.create(1, 0x70, await sha256.digest(bytes('a dag-pb root'))), // CIDv1, dag-pb
      CID.create(0, 0x70, await sha256.digest(bytes('a v0 root'))), // CIDv0 (Qm…)
      CID.create(1, 0x55, createDigest(0xb220, new Uint8Array(32).fill(7))), // blake2b-256
      CID.create(1, 0x55, identity.digest(bytes('tiny'))),
    ]
    for (const cid of cids) {
      const hex = cidToChain(cid)
      assert.match(hex, /^0x([0-9a-f]{2})+$/, 'even-length lowercase 0x-hex')
      assert.equal(hex, u8aToHex(cid.bytes), 'the binary CID, nothing added')
      assert.equal(cidToChain(cid.toString()), hex, 'the string form gives the same bytes')
      assert.equal(cidFromChain(hex), cid.toString(), `${cid} back as it was`)
      assert.ok(CID.parse(cidFromChain(hex)).equals(cid))
    }
    assert.ok(cidFromChain(cidToChain(cids[2])).startsWith('Qm'), 'a v0 CID stays v0')
    assert.ok(cidFromChain(cidToChain(cids[0])).startsWith('bafkrei'), 'a v1 CID comes back in base32')
  })

  test('a CID given in another multibase comes back in the canonical one', async () => {
    const cid = await rawCid('multibase')
    assert.equal(cidFromChain(cidToChain(cid.toString(base36))), cid.toString())
    assert.equal(cidFromChain(cidToChain(cid.toString(base58btc))), cid.toString())
  })

  test('the bytes are the ones the node stores in a record', () => {
    for (const { value, record } of fixture.modules) {
      const hex = cidToChain(record.cid)
      // After the 32-byte owner: the compact length of the CID (one byte, length << 2), then the CID.
      const stored = value.slice(2 + 64)
      assert.equal(Number.parseInt(stored.slice(0, 2), 16) >> 2, (hex.length - 2) / 2)
      assert.ok(stored.slice(2).startsWith(hex.slice(2)), `${record.cid} as stored`)
      assert.equal(cidFromChain(`0x${stored.slice(2, hex.length)}`), record.cid)
    }
  })

  test('a malformed CID is refused both ways', () => {
    assert.throws(() => cidToChain('not-a-cid'))
    assert.throws(() => cidFromChain('0x0155'))
  })
})

/** What `recordFromChain` reads of a polkadot-js record: only these methods. */
function codecRecord(record: (typeof fixture.modules)[number]['record']) {
  return {
    owner: { toString: () => record.owner },
    cid: { toHex: () => cidToChain(record.cid) },
    revision: { toNumber: () => record.revision },
    registeredAt: { toNumber: () => record.registeredAt },
    updatedAt: { toNumber: () => record.updatedAt },
    deposit: { toBigInt: () => BigInt(record.deposit) },
  }
}

describe('recordFromChain', () => {
  test('turns codec values into a plain record, field by field', () => {
    for (const { moduleKey, record } of fixture.modules) {
      assert.deepEqual(recordFromChain(moduleKey, codecRecord(record)), { ...record, deposit: BigInt(record.deposit) })
    }
  })

  test('each field comes from its own codec value', async () => {
    const cid = await rawCid('fields')
    const record = recordFromChain('0x01', {
      owner: { toString: () => 'owner' },
      cid: { toHex: () => u8aToHex(cid.bytes) },
      revision: { toNumber: () => 2 },
      registeredAt: { toNumber: () => 3 },
      updatedAt: { toNumber: () => 5 },
      deposit: { toBigInt: () => 2n ** 100n },
    })
    assert.deepEqual(record, { key: '0x01', owner: 'owner', cid: cid.toString(), revision: 2, registeredAt: 3, updatedAt: 5, deposit: 2n ** 100n })
  })
})

describe('registryEvents', () => {
  // Stands in for api.events.moduleRegistry.X.is: polkadot-js matches the event's index; here, its name.
  const matcher = (method: string) => ({ is: (event: { section: string; method: string }) => event.section === 'moduleRegistry' && event.method === method })
  const api = { events: { moduleRegistry: Object.fromEntries(['ModuleRegistered', 'ModuleUpdated', 'ModuleRemoved', 'OwnershipTransferred'].map((m) => [m, matcher(m)])) } } as unknown as ApiPromise
  const hex = (value: string) => ({ toHex: () => value })
  const text = (value: string) => ({ toString: () => value })
  const event = (section: string, method: string, data: Record<string, unknown>) => ({ event: { section, method, data } })

  test('picks the registry\'s events, in order, with the block they are in', async () => {
    const [a, b] = [await rawCid('a'), await rawCid('b')]
    const records = [
      event('system', 'ExtrinsicSuccess', {}),
      event('moduleRegistry', 'ModuleRegistered', { key: hex('0x01'), owner: text('alice'), cid: hex(cidToChain(a)) }),
      event('balances', 'Reserved', { who: text('alice') }),
      event('moduleRegistry', 'ModuleUpdated', { key: hex('0x01'), owner: text('alice'), oldCid: hex(cidToChain(a)), newCid: hex(cidToChain(b)), revision: { toNumber: () => 1 } }),
      event('moduleRegistry', 'OwnershipTransferred', { key: hex('0x01'), from: text('alice'), to: text('bob') }),
      event('moduleRegistry', 'ModuleRemoved', { key: hex('0x01'), owner: text('bob') }),
      event('moduleRegistry', 'SomethingNew', { key: hex('0x01') }),
    ]
    const where = { blockHash: '0xbeef', blockNumber: 7 }
    assert.deepEqual(registryEvents(api, records, where.blockHash, where.blockNumber), [
      { type: 'ModuleRegistered', key: '0x01', owner: 'alice', cid: a.toString(), ...where },
      { type: 'ModuleUpdated', key: '0x01', owner: 'alice', oldCid: a.toString(), newCid: b.toString(), revision: 1, ...where },
      { type: 'OwnershipTransferred', key: '0x01', from: 'alice', to: 'bob', ...where },
      { type: 'ModuleRemoved', key: '0x01', owner: 'bob', ...where },
    ])
  })

  test('a runtime without the registry pallet has no registry events', () => {
    const bare = { events: {} } as unknown as ApiPromise
    assert.deepEqual(registryEvents(bare, [event('moduleRegistry', 'ModuleRemoved', { key: hex('0x01'), owner: text('bob') })], '0x00', 1), [])
    assert.deepEqual(registryEvents(api, [], '0x00', 1), [])
  })
})
