/**
 * A `ModuleRecord` decoded from the bytes the runtime stores, without the
 * chain's metadata: what a storage proof yields (module cards, offline checks).
 */
import { encodeAddress } from '@polkadot/util-crypto'
import { CID } from 'multiformats/cid'
import type { ModuleRecord } from '../types/chain.ts'
import { ChainError } from './errors.ts'
import { Reader } from './trie-proof.ts'

/** Decodes the record stored under module key `key` (owner, CID, revision, blocks, deposit). */
export function decodeRecord(key: string, value: Uint8Array, ss58Format = 42): ModuleRecord {
  const reader = new Reader(value)
  const owner = encodeAddress(reader.bytes(32), ss58Format)
  const cidBytes = reader.bytes(reader.compact())
  let cid: string
  try {
    cid = CID.decode(cidBytes).toString()
  } catch (error) {
    throw new ChainError('BAD_PROOF', `the stored record's CID is malformed: ${(error as Error).message}`, { cause: error })
  }
  const record = { key, owner, cid, revision: reader.u32(), registeredAt: reader.u32(), updatedAt: reader.u32(), deposit: reader.u128() }
  if (reader.remaining !== 0) throw new ChainError('BAD_PROOF', `the stored record has ${reader.remaining} unexpected trailing bytes`)
  return record
}
