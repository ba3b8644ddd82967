/**
 * How a card maker gathers finality (collectFinality, lib/registry/finality-proofs.ts):
 * the latest justification, then the set-change blocks from genesis up to it,
 * asked block by block, with a source that answers like modnet_finalityProof.
 * Whether the justifications hold is verifyCard's job (tests/unit/grandpa.test.ts,
 * tests/integration/card.test.ts and network.test.ts on real nodes).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compactToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { blake2AsU8a } from '@polkadot/util-crypto'
import { ChainError } from '../../lib/chain/errors.ts'
import type { FinalityProofAnswer } from '../../lib/chain/grandpa.ts'
import { collectFinality, type FinalityProofSource } from '../../lib/registry/finality-proofs.ts'

/** A header at `number`; with `change`, it carries a GRANDPA ScheduledChange (one authority, delay 0). */
function answer(number: number, change: boolean): FinalityProofAnswer {
  const log = u8aConcat([1], compactToU8a(1), new Uint8Array(32).fill(number), new Uint8Array(8).fill(0).map((_, i) => (i === 0 ? 1 : 0)), new Uint8Array(4))
  const digest = change ? [u8aConcat([4], stringToU8a('FRNK'), compactToU8a(log.length), log)] : []
  const header = u8aConcat(new Uint8Array(32), compactToU8a(number), new Uint8Array(64), compactToU8a(digest.length), ...digest)
  return { block: u8aToHex(blake2AsU8a(header, 256)), number, header: u8aToHex(header), justification: `0x${number.toString(16).padStart(2, '0')}` }
}

/** A source over set-change blocks `changes` and a latest justification at `latest`, recording what it was asked. */
function source(changes: number[], latest: number): { ask: FinalityProofSource; asked: number[] } {
  const asked: number[] = []
  return {
    asked,
    ask: async (block) => {
      asked.push(block)
      const end = changes.find((n) => n >= block)
      return end === undefined ? answer(latest, false) : answer(end, true)
    },
  }
}

test('a chain that never changed its set: the latest justification, no set changes (block 1 is answered with the latest too)', async () => {
  const { ask, asked } = source([], 50)
  const result = await collectFinality(ask, 48)
  assert.equal(result?.block.number, 50)
  assert.deepEqual(result?.finality.setChanges, [])
  assert.deepEqual(asked, [48, 1])
})

test('two set changes: each set-change block is asked for in turn, from block 1', async () => {
  const { ask, asked } = source([10, 25], 40)
  const result = await collectFinality(ask, 38)
  assert.equal(result?.block.number, 40)
  assert.deepEqual(result?.finality.setChanges.map(({ justification }) => justification), ['0x0a', '0x19'])
  assert.deepEqual(asked, [38, 1, 11, 26])
})

test('a card at a set-change block itself needs only the changes before it', async () => {
  const { ask } = source([10, 25], 40)
  const result = await collectFinality(ask, 20) // the node answers with the second set's last block, #25
  assert.equal(result?.block.number, 25)
  assert.deepEqual(result?.finality.setChanges.map(({ justification }) => justification), ['0x0a'])
})

test('no justification yet: null, and the card goes without', async () => {
  assert.equal(await collectFinality(async () => null, 5), null)
})

test('a source that skips, goes back or loses a set change is refused in words', async () => {
  const refuses = async (ask: FinalityProofSource, code: string, message: RegExp) => {
    await assert.rejects(collectFinality(ask, 30), (error: unknown) => error instanceof ChainError && error.code === code && message.test(error.message))
  }
  await refuses(async (block) => (block === 30 ? answer(40, false) : answer(12, false)), 'BAD_PROOF', /for block #1 is for block #12, which changes no authority set/)
  await refuses(async (block) => (block === 30 ? answer(40, false) : block === 1 ? answer(10, true) : answer(5, true)), 'BAD_PROOF', /asked for block #11, the source answered with the earlier block #5/)
  await refuses(async (block) => (block === 30 ? answer(40, false) : null), 'CHAIN_UNAVAILABLE', /no justification for the authority set that finalized block #1/)
})
