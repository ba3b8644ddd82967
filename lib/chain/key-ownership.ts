/**
 * Key-ownership proofs (pallet/src/proof.rs): registering a module under a
 * key needs either the key to be the signer's own account key, or a signature
 * by the key over domain ‖ genesis hash ‖ account ‖ key ‖ nonce, so that a
 * proof is good for one chain, one account and one registration: the nonce
 * (u32 little-endian) is the key's history length, which every registration
 * raises, so a removed module cannot be registered again with an old proof.
 */
import { stringToU8a, u8aConcat, u8aEq, u8aToHex, hexToU8a } from '@polkadot/util'
import { decodeAddress } from '@polkadot/util-crypto'
import { ChainError } from './errors.ts'

/** Must equal `PROOF_DOMAIN` in pallet/src/proof.rs. */
export const KEY_OWNERSHIP_DOMAIN = stringToU8a('modnet/register-module/v2:')
/** The domain of runtimes before spec 103, whose proofs bind no nonce. */
export const LEGACY_KEY_OWNERSHIP_DOMAIN = stringToU8a('modnet/register-module/v1:')

/** Something that signs with the module key: a polkadot-js KeyringPair fits. */
export interface ModuleKeySigner {
  readonly type: string
  readonly publicKey: Uint8Array
  sign(message: Uint8Array): Uint8Array
}

/** The encoded `KeyOwnershipProof` variants, as polkadot-js takes them. */
export type KeyOwnershipProof = 'SignerIsKey' | { Signature: Record<'Sr25519' | 'Ed25519' | 'Ecdsa', string> | Record<string, string> }

/**
 * The bytes a module key signs; `nonce` is the key's history length
 * (`ModuleHistory`), 0 for a key never registered; `'legacy'` for a runtime
 * before spec 103 (no history, v1 domain, no nonce).
 */
export function keyOwnershipPayload(genesisHash: Uint8Array, account: Uint8Array, moduleKey: Uint8Array, nonce: number | 'legacy'): Uint8Array {
  if (nonce === 'legacy') return u8aConcat(LEGACY_KEY_OWNERSHIP_DOMAIN, genesisHash, account, moduleKey)
  if (!Number.isInteger(nonce) || nonce < 0 || nonce > 0xffff_ffff) throw new ChainError('BAD_SIGNER', `key-ownership nonce ${nonce} is not a u32`)
  const le = new Uint8Array(4)
  new DataView(le.buffer).setUint32(0, nonce, true)
  return u8aConcat(KEY_OWNERSHIP_DOMAIN, genesisHash, account, moduleKey, le)
}

const VARIANT: Record<string, string> = { sr25519: 'Sr25519', ed25519: 'Ed25519', ecdsa: 'Ecdsa' }

/**
 * The proof for `account` registering `moduleKey` (0x-hex) on the chain with
 * `genesisHash`, when the key's history has `nonce` events: `SignerIsKey`
 * when the key is the account's own, otherwise a signature by `moduleSigner`,
 * which must hold that key.
 */
export function keyOwnershipProof(genesisHash: string, account: string, moduleKey: string, nonce: number | 'legacy', moduleSigner?: ModuleKeySigner): KeyOwnershipProof {
  const accountId = decodeAddress(account)
  const key = hexToU8a(moduleKey)
  if (u8aEq(key, accountId)) return 'SignerIsKey'
  if (moduleSigner === undefined) {
    throw new ChainError('BAD_SIGNER', `module key ${moduleKey} is not the signer's own key: the module key's secret is needed to prove ownership (--module-key-uri or --module-key-file)`)
  }
  if (!u8aEq(moduleSigner.publicKey, key)) {
    throw new ChainError('BAD_SIGNER', `the module-key signer holds ${u8aToHex(moduleSigner.publicKey)}, not the module key ${moduleKey}`)
  }
  const variant = VARIANT[moduleSigner.type]
  if (variant === undefined) throw new ChainError('BAD_SIGNER', `a ${moduleSigner.type} key cannot sign a key-ownership proof (sr25519, ed25519 or ecdsa only)`)
  const signature = moduleSigner.sign(keyOwnershipPayload(hexToU8a(genesisHash), accountId, key, nonce))
  return { Signature: { [variant]: u8aToHex(signature) } }
}
