/**
 * Module cards: a module's on-chain record and metadata packed with what it
 * takes to check them offline: the block header (its hash is the finalized
 * block the light client read), a storage proof of the record against that
 * header's state root, and the exact metadata bytes (checked against the CID).
 * `verifyCard` needs no node and no network.
 */
import { base64Decode, base64Encode, blake2AsU8a, encodeAddress } from '@polkadot/util-crypto'
import { hexToU8a, u8aToHex } from '@polkadot/util'
import { CID } from 'multiformats/cid'
import { BodyTooLargeError, readBoundedJson, readTextPrefix } from '../http/bounded-body.ts'
import type { IPFSClient } from '../ipfs/client.ts'
import { verifyBlock } from '../ipfs/verify.ts'
import { MAX_METADATA_BYTES } from '../types/metadata.ts'
import type { ModuleRecord } from '../types/chain.ts'
import type { ModuleRegistryClient } from './client.ts'
import { ChainError } from './errors.ts'
import { moduleStorageKey } from './storage-keys.ts'
import { Reader, valueFromStorageProof } from './trie-proof.ts'

export const CARD_FORMAT = 'modnet/module-card/v1'

/**
 * The gateway's proof answer is read no further than this. A proof of one key
 * is the trie nodes on its path, each at most about 1 KiB in hex (a branch of
 * 16 hashes), a handful to a few dozen of them: tens of KiB. 1 MiB is ample.
 */
export const MAX_PROOF_ANSWER_BYTES = 1024 * 1024

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

/** Decodes a `ModuleRecord` as the runtime stores it. */
export function decodeRecord(key: string, value: Uint8Array, ss58Format = 42): ModuleRecord {
  const reader = new Reader(value)
  const owner = encodeAddress(reader.bytes(32), ss58Format)
  const cid = CID.decode(reader.bytes(reader.compact())).toString()
  const record = { key, owner, cid, revision: reader.u32(), registeredAt: reader.u32(), updatedAt: reader.u32(), deposit: reader.u128() }
  if (reader.remaining !== 0) throw new ChainError('BAD_PROOF', `the stored record has ${reader.remaining} unexpected trailing bytes`)
  return record
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
  if (card.format !== CARD_FORMAT) fail(`unknown format ${JSON.stringify(card.format)} (expected ${CARD_FORMAT})`)
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

/** A readable file name for a card. */
export function cardFileName(card: Pick<ModuleCard, 'record' | 'blockNumber'>): string {
  return `modnet-card-${card.record.key.slice(2, 14)}-${card.blockNumber}.json`
}

/** Where a storage proof comes from: a node's `state_getReadProof` (the light client has none to give). */
export type StorageProofSource = (storageKey: string, blockHash: string) => Promise<string[]>

/** Proofs from the node the client is connected to over RPC. */
export function rpcStorageProofs(client: ModuleRegistryClient): StorageProofSource {
  return async (storageKey, blockHash) => {
    const result = await client.api.rpc.state.getReadProof([storageKey], blockHash)
    return result.proof.map((node) => node.toHex())
  }
}

/** Proofs from a Mod-Net gateway (untrusted: the card is verified before it is returned). */
export function gatewayStorageProofs(gatewayUrl: string): StorageProofSource {
  const noProof = (reason: string, cause?: unknown) => new ChainError('CHAIN_UNAVAILABLE', `the gateway gave no storage proof: ${reason}`, { cause })
  return async (storageKey, blockHash) => {
    let body: { proof?: unknown } | null
    try {
      const response = await fetch(`${gatewayUrl}/api/v1/proof?key=${storageKey}&at=${blockHash}`)
      if (!response.ok) {
        // The reason is in the opening of the error body; the rest is not read.
        let reason = `HTTP ${response.status}`
        try {
          const error = (JSON.parse(await readTextPrefix(response)) as { error?: unknown }).error
          if (typeof error === 'string') reason = `${error} (HTTP ${response.status})`
        } catch { /* not JSON: the status says enough */ }
        throw noProof(reason)
      }
      body = (await readBoundedJson(response, MAX_PROOF_ANSWER_BYTES, 'the proof answer')) as { proof?: unknown } | null
    } catch (error) {
      if (error instanceof ChainError) throw error
      throw noProof(error instanceof BodyTooLargeError ? error.describe('the gateway') : (error as Error).message, error)
    }
    const proof = body?.proof
    if (!Array.isArray(proof) || !proof.every((node) => typeof node === 'string')) throw noProof('the answer has no "proof" list of hex strings')
    return proof as string[]
  }
}

/**
 * A card for `key` at the last finalized block: record and header from the
 * client, proof from `proofSource`, metadata from IPFS (hash-checked), and the
 * whole card verified before it is returned.
 */
export async function makeCard(client: ModuleRegistryClient, ipfs: IPFSClient, key: string, proofSource: StorageProofSource): Promise<ModuleCard> {
  const { record, at } = await client.requireModule(key)
  const [header, proof, metadata] = await Promise.all([
    client.api.rpc.chain.getHeader(at.blockHash),
    proofSource(moduleStorageKey(record.key), at.blockHash),
    ipfs.cat(record.cid, { maxBytes: MAX_METADATA_BYTES }),
  ])
  const card = buildCard({
    genesisHash: client.api.genesisHash.toHex(),
    blockHash: at.blockHash,
    blockNumber: at.blockNumber,
    header: header.toHex(),
    storageKey: moduleStorageKey(record.key),
    proof,
    record,
    metadata,
    finalizedBy: at.verifiedBy,
  })
  verifyCard(card, { genesisHash: client.api.genesisHash.toHex() })
  return card
}
