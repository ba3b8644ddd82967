/** History commitments: the TypeScript encoder against the pallet's own vector, and tampering caught. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { create } from 'multiformats/hashes/digest'
import type { RegistryEvent } from '../../lib/types/chain.ts'
import { checkHistory, EMPTY_HISTORY, replayHistory } from '../../lib/chain/history.ts'

await cryptoWaitReady()
const keyring = new Keyring({ type: 'sr25519' })
const alice = keyring.addFromUri('//Alice').address // DEV key
const bob = keyring.addFromUri('//Bob').address // DEV key
/** `cid_n(n)` of pallet/src/tests.rs: raw/sha2-256 CIDv1 with digest `[n; 32]`. */
const cidN = (n: number): string => CID.createV1(0x55, create(sha256.code, new Uint8Array(32).fill(n))).toString()
const key = `0x${'01'.repeat(32)}`
const at = (blockNumber: number) => ({ key, blockNumber, blockHash: `0x${blockNumber.toString(16).padStart(64, '0')}` })

/** The events of `history::cross_language_vector` in pallet/src/tests.rs. */
const vector: RegistryEvent[] = [
  { type: 'ModuleRegistered', owner: alice, cid: cidN(1), ...at(1) },
  { type: 'ModuleUpdated', owner: alice, oldCid: cidN(1), newCid: cidN(2), revision: 1, ...at(2) },
  { type: 'RevisionYanked', owner: alice, revision: 0, yanked: true, ...at(3) },
  { type: 'DeprecationSet', owner: alice, note: 'old – use v2', ...at(3) },
  { type: 'TransferOffered', from: alice, to: bob, expiresAt: 14, ...at(4) },
  { type: 'TransferCancelled', owner: alice, to: bob, ...at(5) },
  { type: 'DeprecationSet', owner: alice, ...at(6) },
  { type: 'OwnershipTransferred', from: alice, to: bob, ...at(7) },
  { type: 'ModuleRemoved', owner: bob, ...at(8) },
]
const PALLET_HEAD = '0xf9ec3268108ee505c03fd820dd3248534e8a532bf1a1104748c07239094c72e3'

test('the events replay to the head the pallet computes for them', () => {
  assert.deepEqual(replayHistory(vector), { length: 9, head: PALLET_HEAD })
  assert.deepEqual(replayHistory([]), EMPTY_HISTORY)
})

test('a complete history is proved; older events are outside the commitment', () => {
  const commitment = { length: 9, head: PALLET_HEAD }
  assert.deepEqual(checkHistory(vector, commitment), { proved: vector, before: [] })
  const older: RegistryEvent = { type: 'ModuleRegistered', owner: bob, cid: cidN(9), ...at(0) }
  assert.deepEqual(checkHistory([older, ...vector], commitment), { proved: vector, before: [older] })
})

test('a dropped, altered, added or reordered event proves nothing', () => {
  const commitment = { length: 9, head: PALLET_HEAD }
  const cases: Record<string, RegistryEvent[]> = {
    dropped: vector.slice(1),
    'altered cid': vector.map((e, i) => (i === 1 ? { ...e, newCid: cidN(7) } as RegistryEvent : e)),
    'altered block': vector.map((e, i) => (i === 4 ? { ...e, blockNumber: 5 } : e)),
    'altered note': vector.map((e, i) => (i === 3 ? { ...e, note: 'old - use v2' } as RegistryEvent : e)),
    'altered owner': vector.map((e, i) => (i === 8 ? { ...e, owner: alice } as RegistryEvent : e)),
    'yank flipped': vector.map((e, i) => (i === 2 ? { ...e, yanked: false } as RegistryEvent : e)),
    reordered: [vector[0]!, vector[2]!, vector[1]!, ...vector.slice(3)],
    added: [...vector.slice(0, 5), { type: 'TransferOffered', from: alice, to: bob, expiresAt: 15, ...at(5) }, ...vector.slice(5)],
  }
  for (const [name, events] of Object.entries(cases)) {
    const checked = checkHistory(events, commitment)
    assert.deepEqual(checked.proved, [], name)
    assert.match(checked.problem ?? '', /chain commits to 9 events|do not hash to the chain's commitment/, name)
  }
})

test('events of two keys are not one history', () => {
  assert.throws(() => checkHistory([vector[0]!, { ...vector[1]!, key: `0x${'02'.repeat(32)}` }], { length: 2, head: PALLET_HEAD }), /name 2 keys/)
})
