/**
 * Module cards: a module's on-chain record and metadata packed with what it
 * takes to check them offline: the block header (its hash is the finalized
 * block the light client read), a storage proof of the record against that
 * header's state root, and the exact metadata bytes (checked against the CID).
 * `verifyCard` needs no node and no network.
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
import type { CardDeps } from './deps.ts'
import type { StorageProofSource } from './storage-proofs.ts'

export const CARD_FORMAT = 'modnet/module-card/v1'

export interface ModuleCard {
  format: typeof CARD_FORMAT
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
  /** How `blockHash` was known to be finalized when the card was made. */
  finalizedBy: 'light-client' | 'rpc'
  createdAt: string
}

export interface CardCheck {
  key: string
  cid: string
  blockNumber: number
  blockHash: string
  genesisHash: string
  metadataBytes: number
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
 * the card's, and the metadata bytes match the record's CID. Throws
 * `BAD_PROOF` naming the first thing that does not hold.
 */
export function verifyCard(card: ModuleCard, options: { genesisHash?: string } = {}): CardCheck {
  const fail = (why: string): never => { throw new ChainError('BAD_PROOF', `the module card does not check out: ${why}`) }
  if (card?.format !== CARD_FORMAT) fail(`unknown format ${JSON.stringify(card?.format)} (expected ${CARD_FORMAT})`)
  const malformed = malformedField(card)
  if (malformed !== undefined) fail(`its field ${malformed}`)
  if (options.genesisHash !== undefined && card.genesisHash !== options.genesisHash) fail(`it is for chain ${card.genesisHash}, not ${options.genesisHash}`)
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
  return { key: claimed.key, cid: proved.cid, blockNumber, blockHash: card.blockHash, genesisHash: card.genesisHash, metadataBytes: metadata.length }
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
  ]
  return checks.find(([, ok]) => !ok)?.[0]
}

/** A readable file name for a card. */
export function cardFileName(card: Pick<ModuleCard, 'record' | 'blockNumber'>): string {
  return `modnet-card-${card.record.key.slice(2, 14)}-${card.blockNumber}.json`
}

/**
 * A card for `key` at the last finalized block: record and header from the
 * client, proof from `proofSource`, metadata from IPFS (hash-checked), and the
 * whole card verified before it is returned.
 */
export async function makeCard({ chain, ipfs }: CardDeps, key: string, proofSource: StorageProofSource): Promise<ModuleCard> {
  const { record, at } = await chain.requireModule(key)
  const [header, proof, metadata] = await Promise.all([
    chain.headerAt(at.blockHash),
    proofSource(moduleStorageKey(record.key), at.blockHash),
    ipfs.cat(record.cid, { maxBytes: MAX_METADATA_BYTES }),
  ])
  const card = buildCard({
    genesisHash: chain.genesisHash,
    blockHash: at.blockHash,
    blockNumber: at.blockNumber,
    header,
    storageKey: moduleStorageKey(record.key),
    proof,
    record,
    metadata,
    finalizedBy: at.verifiedBy,
  })
  verifyCard(card, { genesisHash: chain.genesisHash })
  return card
}
