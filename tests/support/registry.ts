/**
 * Registry encodings the tests and benchmarks share, until lib/ has them.
 */
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { sha256AsU8a } from '@polkadot/util-crypto'

/** Must match `PROOF_DOMAIN` in `pallet/src/proof.rs`. */
export const PROOF_DOMAIN = stringToU8a('modnet/register-module/v1:')

/** The bytes a module key signs to let `account` register it (pallet/src/proof.rs). */
export function proofPayload(genesisHash: Uint8Array, account: Uint8Array, moduleKey: Uint8Array): Uint8Array {
  return u8aConcat(PROOF_DOMAIN, genesisHash, account, moduleKey)
}

/**
 * Binary CIDv1 (raw codec, sha2-256) of `bytes`, as hex: polkadot-js reads a
 * Uint8Array given for `Bytes` as already SCALE-encoded.
 */
export function rawCidHex(bytes: Uint8Array): string {
  return u8aToHex(u8aConcat(new Uint8Array([0x01, 0x55, 0x12, 0x20]), sha256AsU8a(bytes)))
}
