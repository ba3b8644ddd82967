/**
 * GRANDPA justifications and authority-set changes checked offline
 * (lib/chain/grandpa.ts), on headers and justifications built here with real
 * ed25519 keys in the node's SCALE layout: what counts towards finality, what
 * does not, and each way a proof can be wrong. The same code checks a real
 * node's justifications in tests/integration/card.test.ts and network.test.ts.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compactToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { blake2AsU8a, cryptoWaitReady, ed25519PairFromSeed, ed25519Sign } from '@polkadot/util-crypto'
import {
  decodeHeader, decodeJustification, finalityThreshold, followSetChanges, precommitPayload, scheduledChange, verifyJustification, type AuthoritySet,
} from '../../lib/chain/grandpa.ts'
import { ChainError } from '../../lib/chain/errors.ts'

await cryptoWaitReady()

type Pair = ReturnType<typeof ed25519PairFromSeed>
const pair = (n: number): Pair => ed25519PairFromSeed(blake2AsU8a(stringToU8a(`authority ${n}`), 256))
const setOf = (pairs: Pair[], setId = 0n): AuthoritySet => ({ setId, authorities: pairs.map((p) => ({ id: u8aToHex(p.publicKey), weight: 1n })) })
const [a, b, c, d, e, f, g, h] = Array.from({ length: 8 }, (_, i) => pair(i))
const SET0 = setOf([a, b, c, d])

function u64le(value: bigint): Uint8Array {
  return Uint8Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn))
}
const u32le = (value: number): Uint8Array => Uint8Array.from({ length: 4 }, (_, i) => (value >>> (8 * i)) & 0xff)

function grandpaLog(kind: number, body: Uint8Array): Uint8Array {
  const data = u8aConcat([kind], body)
  return u8aConcat([4], stringToU8a('FRNK'), compactToU8a(data.length), data)
}
function change(pairs: Pair[], delay = 0): Uint8Array {
  return u8aConcat(compactToU8a(pairs.length), ...pairs.map((p) => u8aConcat(p.publicKey, u64le(1n))), u32le(delay))
}

/** A SCALE header; `digest` items already encoded. */
function header(parent: Uint8Array, number: number, digest: Uint8Array[] = []): { bytes: Uint8Array; hash: string } {
  const bytes = u8aConcat(parent, compactToU8a(number), new Uint8Array(32).fill(7), new Uint8Array(32).fill(9), compactToU8a(digest.length), ...digest)
  return { bytes, hash: u8aToHex(blake2AsU8a(bytes, 256)) }
}

const genesis = header(new Uint8Array(32), 0)
const block1 = header(blake2AsU8a(genesis.bytes, 256), 1)
const block2 = header(blake2AsU8a(block1.bytes, 256), 2)

interface Vote { by: Pair; hash: string; number: number; setId?: bigint; round?: bigint }

function justification(round: bigint, target: { hash: string; number: number }, votes: Vote[], ancestries: Uint8Array[] = [], setId = 0n): Uint8Array {
  const precommits = votes.map((vote) => {
    const payload = precommitPayload(vote.hash, vote.number, vote.round ?? round, vote.setId ?? setId)
    return u8aConcat(vote.hash, u32le(vote.number), ed25519Sign(payload, vote.by), vote.by.publicKey)
  })
  return u8aConcat(u64le(round), target.hash, u32le(target.number), compactToU8a(votes.length), ...precommits, compactToU8a(ancestries.length), ...ancestries)
}

const votesFor = (pairs: Pair[], target: { hash: string; number: number }, extra: Partial<Vote> = {}): Vote[] => pairs.map((by) => ({ by, ...target, ...extra }))
const target1 = { hash: block1.hash, number: 1 }

function refused(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ChainError && error.code === 'BAD_PROOF', `a BAD_PROOF ChainError, got ${String(error)}`)
    assert.match(error.message, message)
    return true
  })
}

test('the supermajority is more than two thirds of the weight', () => {
  assert.deepEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 10n, 100n].map(finalityThreshold), [1n, 2n, 3n, 3n, 4n, 5n, 5n, 7n, 67n])
})

test('three of four authorities finalize a block; what they signed is decoded back', () => {
  const bytes = justification(5n, target1, votesFor([a, b, c], target1))
  const check = verifyJustification(bytes, SET0, target1)
  assert.deepEqual({ ...check }, { blockHash: block1.hash, blockNumber: 1, setId: 0n, signedWeight: 3n, threshold: 3n, totalWeight: 4n, signers: 3 })
  const decoded = decodeJustification(bytes)
  assert.equal(decoded.round, 5n)
  assert.deepEqual(decoded.precommits.map((p) => p.id), [a, b, c].map((p) => u8aToHex(p.publicKey)))
})

test('two of four do not, and the refusal says how many signed of how many needed', () => {
  refused(() => verifyJustification(justification(5n, target1, votesFor([a, b], target1)), SET0, target1), /^the justification does not finalize block #1: 2 of 4 authorities of set 0 signed for it \(weight 2 of the 3 needed\)$/)
})

test('an authority counts once however often it signs', () => {
  refused(() => verifyJustification(justification(1n, target1, votesFor([a, a, a, b], target1)), SET0, target1), /2 of 4 authorities/)
})

test('signatures for another set id, another round or a forged one do not count', () => {
  refused(() => verifyJustification(justification(1n, target1, votesFor([a, b, c], target1), [], 1n), SET0, target1), /3 signature\(s\) that do not verify for round 1 of set 0/)
  refused(() => verifyJustification(justification(1n, target1, votesFor([a, b, c], target1, { round: 2n })), SET0, target1), /do not verify for round 1/)
  const forged = justification(1n, target1, votesFor([a, b, c], target1))
  forged[8 + 32 + 4 + 1 + 32 + 4 + 10] ^= 1 // one bit of the first signature
  refused(() => verifyJustification(forged, SET0, target1), /2 of 4 authorities .*1 signature\(s\) that do not verify/)
})

test('keys outside the set do not count: the wrong set signed', () => {
  refused(() => verifyJustification(justification(1n, target1, votesFor([e, f, g, h], target1)), SET0, target1), /0 of 4 authorities of set 0 .*4 precommit\(s\) by keys outside that set/)
})

test('a justification for another block is refused, whoever signed it', () => {
  const bytes = justification(1n, target1, votesFor([a, b, c, d], target1))
  refused(() => verifyJustification(bytes, SET0, { hash: block2.hash, number: 2 }), /is for block #1 \(0x[0-9a-f]{64}\), not #2/)
})

test('votes for a descendant count only with the ancestry headers that link it to the target', () => {
  const target2 = { hash: block2.hash, number: 2 }
  const votes = [...votesFor([a, b], target2), ...votesFor([c], target1)]
  assert.equal(verifyJustification(justification(1n, target1, votes, [block2.bytes]), SET0, target1).signers, 3)
  refused(() => verifyJustification(justification(1n, target1, votes), SET0, target1), /1 of 4 authorities/)
  // A vote for a block that is not on the target's chain does not count, even with a header for it.
  const fork = header(new Uint8Array(32).fill(1), 2)
  const forkVotes = [...votesFor([a, b], { hash: fork.hash, number: 2 }), ...votesFor([c], target1)]
  refused(() => verifyJustification(justification(1n, target1, forkVotes, [fork.bytes]), SET0, target1), /1 of 4 authorities/)
})

test('truncated or padded justifications and headers are refused in words', () => {
  const bytes = justification(1n, target1, votesFor([a, b, c], target1))
  refused(() => decodeJustification(bytes.subarray(0, bytes.length - 5)), /^truncated data: wanted/)
  refused(() => decodeJustification(u8aConcat(bytes, [0])), /^a justification has 1 bytes left over$/)
  refused(() => decodeHeader(u8aConcat(block1.bytes, [0])), /^a header has 1 bytes left over$/)
})

test('authority-set changes are followed from genesis, each justified by the outgoing set', () => {
  const handover = header(blake2AsU8a(block1.bytes, 256), 2, [grandpaLog(1, change([e, f, g, h]))])
  const target = { hash: handover.hash, number: 2 }
  assert.deepEqual(scheduledChange(decodeHeader(handover.bytes))?.map((x) => x.id), [e, f, g, h].map((p) => u8aToHex(p.publicKey)))
  const fragment = { header: handover.bytes, justification: justification(3n, target, votesFor([a, b, c], target)) }
  const { set, since } = followSetChanges(SET0, [fragment])
  assert.equal(set.setId, 1n)
  assert.equal(since, 2)
  assert.deepEqual(set.authorities, setOf([e, f, g, h]).authorities)

  // After the change, the new set finalizes; the old one no longer can, with either set id.
  const block3 = header(blake2AsU8a(handover.bytes, 256), 3)
  const target3 = { hash: block3.hash, number: 3 }
  assert.equal(verifyJustification(justification(1n, target3, votesFor([e, f, g], target3), [], 1n), set, target3).setId, 1n)
  refused(() => verifyJustification(justification(1n, target3, votesFor([a, b, c], target3), [], 0n), set, target3), /keys outside that set/)
  refused(() => verifyJustification(justification(1n, target3, votesFor([a, b, c], target3), [], 1n), set, target3), /keys outside that set/)
  // Skipping the change leaves the verifier with set 0, which did not sign block 3.
  refused(() => verifyJustification(justification(1n, target3, votesFor([e, f, g], target3), [], 1n), SET0, target3), /0 of 4 authorities of set 0/)
})

test('a set change justified by the wrong set, one without a change, a delayed or forced one, or out of order is refused', () => {
  const handover = header(blake2AsU8a(block1.bytes, 256), 2, [grandpaLog(1, change([e, f, g, h]))])
  const target = { hash: handover.hash, number: 2 }
  refused(() => followSetChanges(SET0, [{ header: handover.bytes, justification: justification(1n, target, votesFor([e, f, g], target)) }]), /^set change 1 \(block #2\): the justification does not finalize block #2: 0 of 4/)
  const plain = { header: block1.bytes, justification: justification(1n, target1, votesFor([a, b, c], target1)) }
  refused(() => followSetChanges(SET0, [plain]), /^set change 1 \(block #1\) carries no authority-set change$/)
  const delayed = header(blake2AsU8a(block1.bytes, 256), 2, [grandpaLog(1, change([e, f, g, h], 5))])
  const delayedTarget = { hash: delayed.hash, number: 2 }
  refused(() => followSetChanges(SET0, [{ header: delayed.bytes, justification: justification(1n, delayedTarget, votesFor([a, b, c], delayedTarget)) }]), /delay of 5 blocks/)
  const forced = header(blake2AsU8a(block1.bytes, 256), 2, [grandpaLog(2, u8aConcat(u32le(1), change([e, f, g, h])))])
  const forcedTarget = { hash: forced.hash, number: 2 }
  refused(() => followSetChanges(SET0, [{ header: forced.bytes, justification: justification(1n, forcedTarget, votesFor([a, b, c], forcedTarget)) }]), /forced authority-set change/)
  const fragment = { header: handover.bytes, justification: justification(3n, target, votesFor([a, b, c], target)) }
  refused(() => followSetChanges(SET0, [fragment, fragment]), /^set change 2 is at block #2, not after #2$/)
})
