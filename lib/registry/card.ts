/**
 * Module cards: a module's on-chain record and metadata packed with what it
 * takes to check them offline: the block header, a storage proof of the record
 * against that header's state root, the exact metadata bytes (checked against
 * the CID), and the block's GRANDPA justification with every authority-set
 * change since genesis. `verifyCard` needs no node and no network; given the
 * chain spec (the trust anchor a light client uses too) it also proves that
 * the chain's validators finalized the card's block.
 */
import { base64Decode, base64Encode, blake2AsU8a } from '@polkadot/util-crypto'
import { hexToU8a, u8aToHex } from '@polkadot/util'
import { CID } from 'multiformats/cid'
import { verifyBlock } from '../ipfs/verify.ts'
import { MAX_METADATA_BYTES } from '../types/metadata.ts'
import type { ModuleRecord } from '../types/chain.ts'
import { ChainError } from '../chain/errors.ts'
import { decodeRecord } from '../chain/record-codec.ts'
import { moduleStorageKey } from '../chain/storage-keys.ts'
import { Reader, valueFromStorageProof } from '../chain/trie-proof.ts'
import type { ChainAnchor } from '../chain/chain-spec.ts'
import { decodeHeader, followSetChanges, verifyJustification } from '../chain/grandpa.ts'
import type { CardDeps } from './deps.ts'
import { collectFinality, type CardFinality, type FinalityProofSource } from './finality-proofs.ts'
import type { StorageProofSource } from './storage-proofs.ts'

export const CARD_FORMAT = 'modnet/module-card/v2'
/** Cards before finality proofs: still verified, their finality reported unchecked. */
export const CARD_FORMAT_V1 = 'modnet/module-card/v1'

export interface ModuleCard {
  format: typeof CARD_FORMAT | typeof CARD_FORMAT_V1
  genesisHash: string
  blockHash: string
  blockNumber: number
  /** The SCALE-encoded header of `blockHash`. */
  header: string
  storageKey: string
  /** Trie nodes, as `state_getReadProof` returns them. */
  proof: string[]
  record: Omit<ModuleRecord, 'deposit'> & { deposit: string }
  /** The metadata document's exact bytes, base64. */
  metadata: string
  /** How `blockHash` was known to be finalized when the card was made: its justification (in `finality`), or the reader's word. */
  finalizedBy: 'justification' | 'light-client' | 'rpc'
  /** The proof that `blockHash` is final; absent when the source had none (then only the maker's word says so). */
  finality?: CardFinality
  createdAt: string
}

/** Whether the card's block was proved final offline, and by what; or why not. */
export type FinalityVerdict =
  | { status: 'proved'; chain: string; setId: string; signers: number; authorities: number; signedWeight: string; threshold: string; setChanges: number }
  | { status: 'unchecked'; reason: string }

export interface CardCheck {
  key: string
  cid: string
  blockNumber: number
  blockHash: string
  genesisHash: string
  metadataBytes: number
  finality: FinalityVerdict
}

export function buildCard(parts: Omit<ModuleCard, 'format' | 'metadata' | 'createdAt' | 'record'> & { record: ModuleRecord; metadata: Uint8Array }): ModuleCard {
  return {
    ...parts,
    format: CARD_FORMAT,
    record: { ...parts.record, deposit: parts.record.deposit.toString() },
    metadata: base64Encode(parts.metadata),
    createdAt: new Date().toISOString(),
  }
}

/**
 * Checks a card: the header hashes to `blockHash`, the proof yields the
 * record under the module's key at the header's state root, the record equals
 * the card's, and the metadata bytes match the record's CID. With `anchor`
 * (from the chain spec, `chainAnchor`), the card must be for that chain and
 * its finality proof must hold: the authority set followed from genesis
 * through each change, and a supermajority of the set then in charge signed
 * the card's block. Throws `BAD_PROOF` naming the first thing that does not
 * hold; a card without a finality proof, or checked without an anchor, comes
 * back with its finality `unchecked` and the reason.
 */
export function verifyCard(card: ModuleCard, options: { genesisHash?: string; anchor?: ChainAnchor } = {}): CardCheck {
  const fail = (why: string): never => { throw new ChainError('BAD_PROOF', `the module card does not check out: ${why}`) }
  if (card?.format !== CARD_FORMAT && card?.format !== CARD_FORMAT_V1) fail(`unknown format ${JSON.stringify(card?.format)} (expected ${CARD_FORMAT})`)
  const malformed = malformedField(card)
  if (malformed !== undefined) fail(`its field ${malformed}`)
  if (options.genesisHash !== undefined && card.genesisHash !== options.genesisHash) fail(`it is for chain ${card.genesisHash}, not ${options.genesisHash}`)
  if (options.anchor !== undefined && card.genesisHash !== options.anchor.genesisHash) {
    fail(`it is for chain ${card.genesisHash}, not the chain spec's ${options.anchor.genesisHash}${options.anchor.name === '' ? '' : ` (${options.anchor.name})`}`)
  }
  const header = hexToU8a(card.header)
  if (u8aToHex(blake2AsU8a(header, 256)) !== card.blockHash) fail('the header does not hash to the block hash')
  const headerReader = new Reader(header)
  headerReader.bytes(32) // parent hash
  const blockNumber = headerReader.compact()
  const stateRoot = headerReader.bytes(32)
  if (blockNumber !== card.blockNumber) fail(`the header is block #${blockNumber}, the card says #${card.blockNumber}`)
  if (card.storageKey !== moduleStorageKey(card.record.key)) fail('the storage key is not the module key\'s')
  const value = valueFromStorageProof(stateRoot, card.proof.map((node) => hexToU8a(node)), hexToU8a(card.storageKey))
  if (value === null) fail('the proof shows no module under this key at that block')
  const proved = decodeRecord(card.record.key, value!, 42)
  const claimed = card.record
  if (proved.owner !== claimed.owner || proved.cid !== claimed.cid || proved.revision !== claimed.revision || proved.registeredAt !== claimed.registeredAt || proved.updatedAt !== claimed.updatedAt || proved.deposit.toString() !== claimed.deposit) {
    fail('the record in the card differs from the proved one')
  }
  const metadata = base64Decode(card.metadata)
  try {
    verifyBlock(CID.parse(proved.cid), metadata)
  } catch {
    fail(`the metadata bytes do not match the CID ${proved.cid}`)
  }
  const finality = finalityVerdict(card, options.anchor, fail)
  return { key: claimed.key, cid: proved.cid, blockNumber, blockHash: card.blockHash, genesisHash: card.genesisHash, metadataBytes: metadata.length, finality }
}

/** Checks the card's finality proof against the anchor (throwing through `fail`), or says why it cannot be checked. */
function finalityVerdict(card: ModuleCard, anchor: ChainAnchor | undefined, fail: (why: string) => never): FinalityVerdict {
  if (card.finality === undefined) return { status: 'unchecked', reason: 'the card carries no finality proof (its source had no GRANDPA justification to give)' }
  if (anchor === undefined) return { status: 'unchecked', reason: 'no trust anchor: give the chain spec of the chain you trust to check who finalized the block' }
  try {
    const fragments = card.finality.setChanges.map(({ header, justification }) => ({ header: hexToU8a(header), justification: hexToU8a(justification) }))
    const { set, since } = followSetChanges(anchor.genesisAuthorities, fragments)
    if (since >= card.blockNumber) fail(`its authority-set changes go up to block #${since}, past the card's block #${card.blockNumber}`)
    const check = verifyJustification(hexToU8a(card.finality.justification), set, { hash: card.blockHash, number: card.blockNumber })
    return {
      status: 'proved',
      chain: anchor.name === '' ? anchor.genesisHash : anchor.name,
      setId: check.setId.toString(),
      signers: check.signers,
      authorities: set.authorities.length,
      signedWeight: check.signedWeight.toString(),
      threshold: check.threshold.toString(),
      setChanges: fragments.length,
    }
  } catch (error) {
    if (error instanceof ChainError && error.message.startsWith('the module card does not check out')) throw error
    return fail(`its finality proof: ${(error as Error).message}`)
  }
}

const HEX = /^0x(?:[0-9a-f]{2})*$/
const HASH = /^0x[0-9a-f]{64}$/

/** What is wrong with a card's shape (a file read from anywhere), in words; undefined when each field has its type. */
function malformedField(card: ModuleCard): string | undefined {
  const record = card.record as Partial<ModuleCard['record']> | undefined
  const checks: [string, boolean][] = [
    ['genesisHash is not a 32-byte 0x-hex hash', typeof card.genesisHash === 'string' && HASH.test(card.genesisHash)],
    ['blockHash is not a 32-byte 0x-hex hash', typeof card.blockHash === 'string' && HASH.test(card.blockHash)],
    ['blockNumber is not a whole number', Number.isSafeInteger(card.blockNumber) && card.blockNumber >= 0],
    ['header is not 0x-hex', typeof card.header === 'string' && HEX.test(card.header)],
    ['storageKey is not 0x-hex', typeof card.storageKey === 'string' && HEX.test(card.storageKey)],
    ['proof is not a list of 0x-hex trie nodes', Array.isArray(card.proof) && card.proof.every((node) => typeof node === 'string' && HEX.test(node))],
    ['metadata is not base64', typeof card.metadata === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(card.metadata)],
    ['record is missing', typeof record === 'object' && record !== null],
    ['record.key is not 0x-hex', typeof record?.key === 'string' && HEX.test(record.key)],
    ['record.owner/cid are not strings', typeof record?.owner === 'string' && typeof record?.cid === 'string'],
    ['record.revision/registeredAt/updatedAt are not whole numbers', [record?.revision, record?.registeredAt, record?.updatedAt].every((n) => Number.isSafeInteger(n))],
    ['record.deposit is not a decimal string', typeof record?.deposit === 'string' && /^\d+$/.test(record.deposit)],
    ['finality is not { justification, setChanges: [{ header, justification }] } in 0x-hex', card.finality === undefined || (
      typeof card.finality === 'object' && card.finality !== null && typeof card.finality.justification === 'string' && HEX.test(card.finality.justification) &&
      Array.isArray(card.finality.setChanges) && card.finality.setChanges.every((change) => typeof change?.header === 'string' && HEX.test(change.header) && typeof change.justification === 'string' && HEX.test(change.justification)))],
  ]
  return checks.find(([, ok]) => !ok)?.[0]
}

/** A readable file name for a card. */
export function cardFileName(card: Pick<ModuleCard, 'record' | 'blockNumber'>): string {
  return `modnet-card-${card.record.key.slice(2, 14)}-${card.blockNumber}.json`
}

/**
 * A card for `key` at a finalized block. With `finalitySource`, at the block
 * of the source's latest GRANDPA justification (at or after the client's
 * finalized block), carrying that justification and the set changes before
 * it; the record is the one the storage proof shows there. Without one (or
 * when it has no justification), at the client's finalized block with no
 * finality proof. Metadata from IPFS (hash-checked); the whole card is
 * verified before it is returned, its finality too when `anchor` is given.
 */
export async function makeCard(
  { chain, ipfs }: CardDeps,
  key: string,
  proofSource: StorageProofSource,
  finalitySource?: FinalityProofSource,
  options: { anchor?: ChainAnchor } = {},
): Promise<ModuleCard> {
  const { record: current, at } = await chain.requireModule(key)
  const storageKey = moduleStorageKey(current.key)
  const justified = finalitySource === undefined ? null : await collectFinality(finalitySource, at.blockNumber).catch((error: unknown) => {
    // A source that cannot give finality proofs at all (an older node): the card goes without, and says so.
    if (error instanceof ChainError && error.code === 'CHAIN_UNSUPPORTED') return null
    throw error
  })
  let card: ModuleCard
  if (justified === null) {
    const [header, proof, metadata] = await Promise.all([
      chain.headerAt(at.blockHash),
      proofSource(storageKey, at.blockHash),
      ipfs.cat(current.cid, { maxBytes: MAX_METADATA_BYTES }),
    ])
    card = buildCard({ genesisHash: chain.genesisHash, blockHash: at.blockHash, blockNumber: at.blockNumber, header, storageKey, proof, record: current, metadata, finalizedBy: at.verifiedBy })
  } else {
    const { block, finality } = justified
    const proof = await proofSource(storageKey, block.block)
    const value = valueFromStorageProof(decodeHeader(hexToU8a(block.header)).stateRoot, proof.map((node) => hexToU8a(node)), hexToU8a(storageKey))
    if (value === null) throw new ChainError('MODULE_NOT_FOUND', `module ${current.key} is not registered at the justified block #${block.number}`)
    const record = decodeRecord(current.key, value, 42)
    const metadata = await ipfs.cat(record.cid, { maxBytes: MAX_METADATA_BYTES })
    card = buildCard({ genesisHash: chain.genesisHash, blockHash: block.block, blockNumber: block.number, header: block.header, storageKey, proof, record, metadata, finalizedBy: 'justification', finality })
  }
  verifyCard(card, { genesisHash: chain.genesisHash, anchor: options.anchor })
  return card
}
