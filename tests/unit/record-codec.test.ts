/**
 * lib/chain/record-codec.ts: `decodeRecord` on the bytes a real node stores
 * (tests/fixtures/storage-proofs.json, from `state_getStorage`), and on bytes
 * that are not a record.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { bnToU8a, hexToU8a, u8aConcat } from '@polkadot/util'
import { cryptoWaitReady, decodeAddress, encodeAddress } from '@polkadot/util-crypto'
import { ChainError } from '../../lib/chain/errors.ts'
import { decodeRecord } from '../../lib/chain/record-codec.ts'

await cryptoWaitReady()

const fixture = JSON.parse(readFileSync(new URL('../fixtures/storage-proofs.json', import.meta.url), 'utf8')) as {
  modules: { kind: string; moduleKey: string; value: string; record: { key: string; owner: string; cid: string; revision: number; registeredAt: number; updatedAt: number; deposit: string } }[]
}

function badProof(message: string) {
  return (error: unknown) => error instanceof ChainError && error.code === 'BAD_PROOF' && error.message.includes(message)
}

test('the stored bytes decode to the record the node reports', () => {
  assert.ok(fixture.modules.some((m) => m.record.revision > 0 && m.record.updatedAt > m.record.registeredAt), 'an updated record among them')
  for (const { kind, moduleKey, value, record } of fixture.modules) {
    assert.deepEqual(decodeRecord(moduleKey, hexToU8a(value)), { ...record, deposit: BigInt(record.deposit) }, kind)
  }
})

test('the owner is shown in the SS58 format asked for', () => {
  const { moduleKey, value, record } = fixture.modules[0]
  const polkadot = decodeRecord(moduleKey, hexToU8a(value), 0).owner
  assert.equal(polkadot, encodeAddress(decodeAddress(record.owner), 0))
  assert.notEqual(polkadot, record.owner)
})

test('the deposit is a full u128, the blocks full u32s', () => {
  const { moduleKey, value, record } = fixture.modules[0]
  const bytes = hexToU8a(value)
  const big = u8aConcat(bytes.subarray(0, bytes.length - 28), bnToU8a(2 ** 32 - 2, { bitLength: 32 }), bnToU8a(2 ** 31 + 1, { bitLength: 32 }), bnToU8a(2 ** 32 - 1, { bitLength: 32 }), bnToU8a(2n ** 127n + 3n, { bitLength: 128 }))
  assert.equal(big.length, bytes.length)
  assert.deepEqual(decodeRecord(moduleKey, big), { ...record, revision: 2 ** 32 - 2, registeredAt: 2 ** 31 + 1, updatedAt: 2 ** 32 - 1, deposit: 2n ** 127n + 3n })
})

test('trailing bytes are refused, and say how many', () => {
  const { moduleKey, value } = fixture.modules[0]
  assert.throws(() => decodeRecord(moduleKey, u8aConcat(hexToU8a(value), new Uint8Array([0]))), badProof('the stored record has 1 unexpected trailing bytes'))
  assert.throws(() => decodeRecord(moduleKey, u8aConcat(hexToU8a(value), new Uint8Array(5))), badProof('has 5 unexpected trailing bytes'))
})

test('a record cut short anywhere is BAD_PROOF "truncated data"', () => {
  const { moduleKey, value } = fixture.modules[0]
  const bytes = hexToU8a(value)
  // In the owner, the CID's length, the CID, each u32 and the deposit.
  for (const length of [0, 31, 32, 33, 60, 70, bytes.length - 28, bytes.length - 17, bytes.length - 1]) {
    assert.throws(() => decodeRecord(moduleKey, bytes.subarray(0, length)), badProof('truncated data'), `${length} of ${bytes.length} bytes`)
  }
})

test('bytes where the CID should be that are no CID are BAD_PROOF too', () => {
  const { moduleKey, value } = fixture.modules[0]
  const bytes = hexToU8a(value).slice()
  bytes[33] = 0x07 // the CID's version byte: no CID has version 7
  assert.throws(() => decodeRecord(moduleKey, bytes), badProof('the stored record\'s CID'))
})
