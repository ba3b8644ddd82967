/**
 * GRANDPA finality, checked offline: block headers, justifications and the
 * authority-set changes between them, decoded from SCALE and verified with no
 * node. A justification proves a block final when more than two thirds of the
 * weight of the authority set then in charge signed precommits for that block
 * or its descendants; which set is in charge is followed from the chain spec's
 * genesis set through each `ScheduledChange` digest, the way warp sync does
 * (sc-consensus-grandpa's `warp_proof.rs`).
 */
import { bnToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { blake2AsU8a, ed25519Verify } from '@polkadot/util-crypto'
import { ChainError } from './errors.ts'
import { Reader } from './trie-proof.ts'

/** An authority set: its id (0 at genesis, +1 per change) and its ed25519 keys with their weights. */
export interface AuthoritySet {
  setId: bigint
  authorities: { id: string; weight: bigint }[]
}

export interface DecodedHeader {
  hash: string
  parentHash: string
  number: number
  stateRoot: Uint8Array
  /** `Consensus` digest items by engine id (four ASCII letters), in order. */
  consensus: { engine: string; data: Uint8Array }[]
}

export interface SignedPrecommit {
  targetHash: string
  targetNumber: number
  signature: Uint8Array
  id: string
}

export interface Justification {
  round: bigint
  targetHash: string
  targetNumber: number
  precommits: SignedPrecommit[]
  /** Headers linking precommit targets to the commit target. */
  ancestries: DecodedHeader[]
}

/** What a verified justification showed. */
export interface FinalityCheck {
  blockHash: string
  blockNumber: number
  setId: bigint
  /** Weight of the distinct authorities whose valid precommits count. */
  signedWeight: bigint
  threshold: bigint
  totalWeight: bigint
  signers: number
}

const GRANDPA_ENGINE = 'FRNK'
/** Set-change fragments a verifier follows at most: a bound on work for a hostile card. */
export const MAX_SET_CHANGES = 10_000
const MAX_AUTHORITIES = 10_000

function fail(why: string): never {
  throw new ChainError('BAD_PROOF', why)
}

const u64le = (value: bigint): Uint8Array => bnToU8a(value, { bitLength: 64, isLe: true })
const u32le = (value: number): Uint8Array => bnToU8a(value, { bitLength: 32, isLe: true })

const hex = (bytes: Uint8Array): string => u8aToHex(bytes)

/** Reads one SCALE-encoded header from `reader`, hashing exactly its bytes. */
function readHeader(reader: Reader, whole: Uint8Array, start: number): DecodedHeader {
  const parentHash = hex(reader.bytes(32))
  const number = reader.compact()
  if (number > 0xffffffff) fail(`a header's block number ${number} does not fit a u32`)
  const stateRoot = reader.bytes(32)
  reader.bytes(32) // extrinsics root
  const consensus: DecodedHeader['consensus'] = []
  const items = reader.compact()
  for (let i = 0; i < items; i++) {
    const kind = reader.byte()
    switch (kind) {
      case 0: reader.bytes(reader.compact()); break // Other
      case 4: case 5: case 6: { // Consensus, Seal, PreRuntime
        const engine = new TextDecoder().decode(reader.bytes(4))
        const data = reader.bytes(reader.compact())
        if (kind === 4) consensus.push({ engine, data })
        break
      }
      case 8: break // RuntimeEnvironmentUpdated
      default: fail(`a header has a digest item of unknown kind ${kind}`)
    }
  }
  const end = whole.length - reader.remaining
  return { hash: hex(blake2AsU8a(whole.subarray(start, end), 256)), parentHash, number, stateRoot, consensus }
}

/** Decodes a whole SCALE header; its hash is blake2b-256 of these bytes. */
export function decodeHeader(bytes: Uint8Array): DecodedHeader {
  const reader = new Reader(bytes)
  const header = readHeader(reader, bytes, 0)
  if (reader.remaining !== 0) fail(`a header has ${reader.remaining} bytes left over`)
  return header
}

/** Decodes a SCALE `GrandpaJustification<Header>`. */
export function decodeJustification(bytes: Uint8Array): Justification {
  const reader = new Reader(bytes)
  const round = reader.u64()
  const targetHash = hex(reader.bytes(32))
  const targetNumber = reader.u32()
  const count = reader.compact()
  if (count > MAX_AUTHORITIES * 2) fail(`a justification claims ${count} precommits`)
  const precommits: SignedPrecommit[] = []
  for (let i = 0; i < count; i++) {
    precommits.push({ targetHash: hex(reader.bytes(32)), targetNumber: reader.u32(), signature: reader.bytes(64), id: hex(reader.bytes(32)) })
  }
  const ancestryCount = reader.compact()
  if (ancestryCount > 100_000) fail(`a justification claims ${ancestryCount} ancestry headers`)
  const ancestries: DecodedHeader[] = []
  for (let i = 0; i < ancestryCount; i++) ancestries.push(readHeader(reader, bytes, bytes.length - reader.remaining))
  if (reader.remaining !== 0) fail(`a justification has ${reader.remaining} bytes left over`)
  return { round, targetHash, targetNumber, precommits, ancestries }
}

/** The bytes an authority signs for a precommit: SCALE `(Message::Precommit, round, set_id)`. */
export function precommitPayload(targetHash: string, targetNumber: number, round: bigint, setId: bigint): Uint8Array {
  return u8aConcat([1], hexToU8a(targetHash), u32le(targetNumber), u64le(round), u64le(setId))
}

/** GRANDPA's supermajority: total weight minus the most that may be faulty, `(total - 1) / 3`. */
export function finalityThreshold(totalWeight: bigint): bigint {
  return totalWeight - (totalWeight - 1n) / 3n
}

/** Whether `descendant` is `ancestor` or reaches it through `headers` by parent hashes. */
function descends(descendant: { hash: string; number: number }, ancestor: { hash: string; number: number }, headers: Map<string, DecodedHeader>): boolean {
  let current = descendant
  while (current.number > ancestor.number) {
    const header = headers.get(current.hash)
    if (header === undefined) return false
    current = { hash: header.parentHash, number: header.number - 1 }
  }
  return current.number === ancestor.number && current.hash === ancestor.hash
}

/**
 * Verifies that `justification` finalizes `target` under `set`: the commit
 * names the target, every counted precommit is signed by a distinct member of
 * the set for this round and set id and votes for the target or a descendant
 * (through the justification's ancestry headers), and their weight reaches the
 * supermajority. Precommits that do not count (a second vote by the same
 * authority, a vote off the target's chain) are left out rather than trusted,
 * so a justification that relies on equivocations is refused: safe, and not
 * something an honest set produces.
 */
export function verifyJustification(bytes: Uint8Array, set: AuthoritySet, target: { hash: string; number: number }): FinalityCheck {
  const justification = decodeJustification(bytes)
  if (justification.targetHash !== target.hash || justification.targetNumber !== target.number) {
    fail(`the justification is for block #${justification.targetNumber} (${justification.targetHash}), not #${target.number} (${target.hash})`)
  }
  const weights = new Map(set.authorities.map(({ id, weight }) => [id, weight]))
  const totalWeight = set.authorities.reduce((sum, { weight }) => sum + weight, 0n)
  if (totalWeight === 0n) fail(`authority set ${set.setId} is empty`)
  const ancestry = new Map(justification.ancestries.map((header) => [header.hash, header]))
  const counted = new Set<string>()
  let outsiders = 0
  let badSignatures = 0
  let signedWeight = 0n
  for (const precommit of justification.precommits) {
    const weight = weights.get(precommit.id)
    if (weight === undefined) { outsiders++; continue }
    if (counted.has(precommit.id)) continue
    const payload = precommitPayload(precommit.targetHash, precommit.targetNumber, justification.round, set.setId)
    if (!ed25519Verify(payload, precommit.signature, hexToU8a(precommit.id))) { badSignatures++; continue }
    if (!descends({ hash: precommit.targetHash, number: precommit.targetNumber }, target, ancestry)) continue
    counted.add(precommit.id)
    signedWeight += weight
  }
  const threshold = finalityThreshold(totalWeight)
  if (signedWeight < threshold) {
    const why = [
      `${counted.size} of ${set.authorities.length} authorities of set ${set.setId} signed for it (weight ${signedWeight} of the ${threshold} needed)`,
      outsiders > 0 ? `${outsiders} precommit(s) by keys outside that set` : '',
      badSignatures > 0 ? `${badSignatures} signature(s) that do not verify for round ${justification.round} of set ${set.setId}` : '',
    ].filter(Boolean).join('; ')
    fail(`the justification does not finalize block #${target.number}: ${why}`)
  }
  return { blockHash: target.hash, blockNumber: target.number, setId: set.setId, signedWeight, threshold, totalWeight, signers: counted.size }
}

/** Decodes SCALE `Vec<(AuthorityId, u64)>`. */
export function decodeAuthorityList(reader: Reader): AuthoritySet['authorities'] {
  const count = reader.compact()
  if (count === 0 || count > MAX_AUTHORITIES) fail(`an authority list claims ${count} authorities`)
  const authorities: AuthoritySet['authorities'] = []
  for (let i = 0; i < count; i++) authorities.push({ id: hex(reader.bytes(32)), weight: reader.u64() })
  return authorities
}

/**
 * The authority set a header hands over to, from its GRANDPA `ScheduledChange`
 * digest (enacted at once: delay 0, as the runtime schedules them and as warp
 * sync requires); undefined when it has none. A forced change or a delayed one
 * is refused in words: neither can be followed offline from justifications.
 */
export function scheduledChange(header: DecodedHeader): AuthoritySet['authorities'] | undefined {
  let change: AuthoritySet['authorities'] | undefined
  for (const { engine, data } of header.consensus) {
    if (engine !== GRANDPA_ENGINE) continue
    const reader = new Reader(data)
    const kind = reader.byte()
    if (kind === 2) fail(`block #${header.number} carries a forced authority-set change, which cannot be checked from justifications`)
    if (kind !== 1) continue
    const authorities = decodeAuthorityList(reader)
    const delay = reader.u32()
    if (delay !== 0) fail(`block #${header.number} schedules an authority-set change with a delay of ${delay} blocks; only immediate changes can be followed`)
    if (change !== undefined) fail(`block #${header.number} carries two authority-set changes`)
    change = authorities
  }
  return change
}

/** One step of a warp proof: a block that changes the authority set, and its justification by the outgoing set. */
export interface SetChangeFragment {
  header: Uint8Array
  justification: Uint8Array
}

/**
 * Follows `fragments` from `genesisSet`: each fragment's block must be
 * finalized by the set in charge and hand over to the next one, at a higher
 * block than the last. Returns the set in charge after the last fragment and
 * the block it took over at.
 */
export function followSetChanges(genesisSet: AuthoritySet, fragments: SetChangeFragment[]): { set: AuthoritySet; since: number } {
  if (fragments.length > MAX_SET_CHANGES) fail(`${fragments.length} authority-set changes are more than the ${MAX_SET_CHANGES} a verifier follows`)
  let set = genesisSet
  let since = 0
  for (const [index, fragment] of fragments.entries()) {
    const header = decodeHeader(fragment.header)
    if (header.number <= since) fail(`set change ${index + 1} is at block #${header.number}, not after #${since}`)
    try {
      verifyJustification(fragment.justification, set, header)
    } catch (error) {
      fail(`set change ${index + 1} (block #${header.number}): ${(error as Error).message}`)
    }
    const next = scheduledChange(header)
    if (next === undefined) fail(`set change ${index + 1} (block #${header.number}) carries no authority-set change`)
    set = { setId: set.setId + 1n, authorities: next! }
    since = header.number
  }
  return { set, since }
}

/** A node's answer to `modnet_finalityProof` (hex), as relayed by a client or gateway. */
export interface FinalityProofAnswer {
  block: string
  number: number
  header: string
  justification: string
}

/** A `modnet_finalityProof` answer checked for shape and for its header hashing to its block; null stays null. Its justification is verified later, against a trusted set. */
export function parseFinalityAnswer(json: unknown): FinalityProofAnswer | null {
  if (json === null) return null
  const answer = json as Partial<FinalityProofAnswer>
  const isHex = (value: unknown): value is string => typeof value === 'string' && /^0x(?:[0-9a-f]{2})*$/.test(value)
  if (typeof answer !== 'object' || !isHex(answer.block) || answer.block.length !== 66 || !Number.isSafeInteger(answer.number) || !isHex(answer.header) || !isHex(answer.justification)) {
    fail('the finality proof answer is not { block, number, header, justification } in hex')
  }
  const header = decodeHeader(hexToU8a(answer.header))
  if (header.hash !== answer.block || header.number !== answer.number) fail(`the finality proof's header is not block #${answer.number} (${answer.block})`)
  return { block: answer.block, number: answer.number!, header: answer.header, justification: answer.justification }
}
