/**
 * Registry encodings the smoke test and the benchmark use with raw @polkadot/api.
 */
import { u8aConcat, u8aToHex } from '@polkadot/util'
import { sha256AsU8a } from '@polkadot/util-crypto'

export { KEY_OWNERSHIP_DOMAIN, keyOwnershipPayload } from '../../lib/chain/key-ownership.ts'

/**
 * Binary CIDv1 (raw codec, sha2-256) of `bytes`, as hex: polkadot-js reads a
 * Uint8Array given for `Bytes` as already SCALE-encoded.
 */
export function rawCidHex(bytes: Uint8Array): string {
  return u8aToHex(u8aConcat(new Uint8Array([0x01, 0x55, 0x12, 0x20]), sha256AsU8a(bytes)))
}
