/** provedHistory: which entries the commitment proves, which fall back to their blocks, and what it says when a source lies. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { create } from 'multiformats/hashes/digest'
import { ChainError } from '../../lib/chain/errors.ts'
import { replayHistory } from '../../lib/chain/history.ts'
import { provedHistory, type EventHint } from '../../lib/registry/history.ts'
import type { HistoryHead, ReadPoint, RegistryEvent } from '../../lib/types/chain.ts'

await cryptoWaitReady()
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice').address // DEV key
const key = `0x${'01'.repeat(32)}`
const cidN = (n: number): string => CID.createV1(0x55, create(sha256.code, new Uint8Array(32).fill(n))).toString()
const hashOf = (n: number) => `0x${n.toString(16).padStart(64, '0')}`
const at = (blockNumber: number) => ({ key, blockNumber, blockHash: hashOf(blockNumber) })
const events: RegistryEvent[] = [
  { type: 'ModuleRegistered', owner: alice, cid: cidN(1), ...at(10) },
  { type: 'ModuleUpdated', owner: alice, oldCid: cidN(1), newCid: cidN(2), revision: 1, ...at(20) },
  { type: 'RevisionYanked', owner: alice, revision: 0, yanked: true, ...at(30) },
]
const hint = (event: RegistryEvent, whole = true): EventHint => ({ type: event.type, blockNumber: event.blockNumber, blockHash: event.blockHash, ...(whole ? { event } : {}) })

/** A chain whose commitment covers `covered` (read at block `readAt`) and that still has the blocks in `readable`. */
function chain(covered: RegistryEvent[] | 'unsupported', readAt: number, readable: RegistryEvent[] = []) {
  return {
    async getHistory(): Promise<{ history: HistoryHead; at: ReadPoint }> {
      if (covered === 'unsupported') throw new ChainError('CHAIN_UNSUPPORTED', 'spec 102')
      return { history: replayHistory(covered), at: { blockHash: hashOf(readAt), blockNumber: readAt, verifiedBy: 'light-client', finalized: true } }
    },
    async eventsAt(blockHash: string): Promise<{ events: RegistryEvent[]; blockNumber: number }> {
      const found = readable.filter((event) => event.blockHash === blockHash)
      if (found.length === 0) throw new ChainError('CHAIN_UNAVAILABLE', 'state pruned')
      return { events: found, blockNumber: found[0]!.blockNumber }
    },
  }
}
const states = (history: Awaited<ReturnType<typeof provedHistory>>) =>
  history.entries.map((entry) => (entry.state === 'proved' ? `${entry.event.type}:${entry.by}` : `${entry.type}:unchecked`))

test('every event the commitment covers is proved by it, with no block read', async () => {
  const history = await provedHistory({ chain: chain(events, 40) }, key, events.map((event) => hint(event)))
  assert.deepEqual(states(history), ['ModuleRegistered:commitment', 'ModuleUpdated:commitment', 'RevisionYanked:commitment'])
  assert.equal(history.problem, undefined)
})

test('events before the commitment (an upgraded chain) are checked by block, or left unchecked with the reason', async () => {
  const history = await provedHistory({ chain: chain(events.slice(1), 40, [events[0]!]) }, key, events.map((event) => hint(event)))
  assert.deepEqual(states(history), ['ModuleRegistered:block', 'ModuleUpdated:commitment', 'RevisionYanked:commitment'])
  const pruned = await provedHistory({ chain: chain(events.slice(1), 40) }, key, events.map((event) => hint(event)))
  assert.deepEqual(states(pruned), ['ModuleRegistered:unchecked', 'ModuleUpdated:commitment', 'RevisionYanked:commitment'])
  assert.match((pruned.entries[0] as { reason: string }).reason, /could not read that block \(state pruned\)/)
})

test('events after the block the commitment was read at are checked by block', async () => {
  const history = await provedHistory({ chain: chain(events.slice(0, 2), 25, [events[2]!]) }, key, events.map((event) => hint(event)))
  assert.deepEqual(states(history), ['ModuleRegistered:commitment', 'ModuleUpdated:commitment', 'RevisionYanked:block'])
})

test('a source that drops an event, alters one or gives no data proves nothing, and says why', async () => {
  const dropped = await provedHistory({ chain: chain(events, 40) }, key, [hint(events[0]!), hint(events[2]!)])
  assert.match(dropped.problem ?? '', /chain commits to 3 events for this key; the source gave 2/)
  assert.deepEqual(states(dropped), ['ModuleRegistered:unchecked', 'RevisionYanked:unchecked'])
  const altered = await provedHistory({ chain: chain(events, 40) }, key, events.map((event, i) => hint(i === 1 ? { ...event, revision: 7 } as RegistryEvent : event)))
  assert.match(altered.problem ?? '', /do not hash to the chain's commitment/)
  const bare = await provedHistory({ chain: chain(events, 40) }, key, [hint(events[0]!), hint(events[1]!, false), hint(events[2]!)])
  assert.match(bare.problem ?? '', /some events without their data/)
  const garbage = await provedHistory({ chain: chain(events, 40) }, key, events.map((event, i) => hint(i === 0 ? { ...event, owner: 'not an address' } as RegistryEvent : event)))
  assert.match(garbage.problem ?? '', /not a registry event/)
  assert.equal(garbage.entries.filter((entry) => entry.state === 'proved').length, 0)
})

test('another key\'s events in the answer are ignored; a runtime without commitments checks every event by block', async () => {
  const other = { ...events[0]!, key: `0x${'02'.repeat(32)}` }
  const mixed = await provedHistory({ chain: chain(events, 40) }, key, [hint(other), ...events.map((event) => hint(event))])
  assert.deepEqual(states(mixed), ['ModuleRegistered:commitment', 'ModuleUpdated:commitment', 'RevisionYanked:commitment'])
  const old = await provedHistory({ chain: chain('unsupported', 40, events) }, key, events.map((event) => hint(event)))
  assert.equal(old.commitment, undefined)
  assert.deepEqual(states(old), ['ModuleRegistered:block', 'ModuleUpdated:block', 'RevisionYanked:block'])
})
