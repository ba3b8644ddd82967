/**
 * Which key signs a metadata document: the one place that decides it, for
 * the CLI, the web form and the library alike.
 *
 * A signature is by the module key, so only the holder of that key can make
 * it: the module-key signer given for the key-ownership proof, or the account
 * itself when the module key is its own key: a local key pair signs here, a
 * wallet extension signs through its `signRaw` (asynchronously: it asks its
 * user, who may refuse). Otherwise the document goes unsigned, which readers
 * show as "absent", never as valid, and {@link metadataSigning} says why.
 */
import type { Signer } from '@polkadot/types/types'
import { hexToU8a, isHex, u8aEq, u8aToHex } from '@polkadot/util'
import { decodeAddress, signatureVerify } from '@polkadot/util-crypto'
import { ModnetError } from '../types/errors.ts'
import type { MetadataSignature, ModuleMetadata } from '../types/metadata.ts'
import { attachSignature, signatureMessage, type SignatureBinding } from '../types/signature.ts'
import type { ModuleKeySigner } from '../chain/key-ownership.ts'
import type { AccountSigner } from '../chain/tx.ts'

/**
 * Signs with the module key, synchronously (a key pair) or not (a wallet
 * extension, which asks its user first). `sign` gets the v2 message
 * ({@link signatureMessage}) and returns the bare signature; a signature over
 * the `<Bytes>…</Bytes>`-wrapped message, which extensions make, is accepted.
 */
export interface AsyncMetadataSigner {
  /** The module key it signs with. */
  readonly publicKey: Uint8Array
  /** `sr25519`, `ed25519` or `ecdsa`; absent when the signature itself must tell (a wallet may not say). */
  readonly type?: string
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>
}

/** Who signs a document, or why nobody does. */
export type MetadataSigning =
  | { signer: AsyncMetadataSigner; by: 'module-key-signer' | 'account' | 'wallet' }
  | { signer: undefined; reason: string }

/** A wallet did not sign (refused, or failed) or gave a signature that does not verify. Codes `SIGNATURE_REFUSED`, `SIGNATURE_INVALID`. */
export class MetadataSigningError extends ModnetError {
  constructor(code: 'SIGNATURE_REFUSED' | 'SIGNATURE_INVALID', message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'MetadataSigningError'
  }
}

/** Account types whose account id is a hash of the public key, not the key: they cannot sign for their own module key. */
const HASHED_ACCOUNT_TYPES = ['ecdsa', 'ethereum']

/**
 * Who signs a document registered under `moduleKey` (0x-hex) by `account`:
 * `moduleSigner` when it holds the key, else the account when the key is its
 * own (a key pair, or a wallet extension's signer with `signRaw`), else
 * nobody, with the reason in words.
 * An extension account may carry the `type` its wallet reports (an
 * `ecdsa`/`ethereum` account cannot sign for its own key).
 */
export function metadataSigning(moduleKey: string, account: AccountSigner & { type?: string }, moduleSigner?: ModuleKeySigner): MetadataSigning {
  const key = hexToU8a(moduleKey)
  if (moduleSigner !== undefined && u8aEq(moduleSigner.publicKey, key)) return { signer: moduleSigner, by: 'module-key-signer' }
  // Like the key-ownership proof, which is `SignerIsKey` whatever module-key signer is given.
  const own = u8aEq(decodeAddress(account.address), key)
  if (!own) {
    return { signer: undefined, reason: `the module key ${u8aToHex(key)} is not this account's key, and only the module key's holder can sign the document (the CLI signs with --module-key-uri)` }
  }
  if (isLocalKeyPair(account)) {
    if (u8aEq(account.publicKey, key)) return { signer: account, by: 'account' }
    return { signer: undefined, reason: `a ${account.type} account's own module key is the hash of its public key, which its key cannot sign for` }
  }
  if (typeof account.type === 'string' && HASHED_ACCOUNT_TYPES.includes(account.type)) {
    return { signer: undefined, reason: `a ${account.type} account's own module key is the hash of its public key, which its key cannot sign for` }
  }
  const signer = 'signer' in account ? account.signer : undefined
  if (signer?.signRaw === undefined || typeof signer.signRaw !== 'function') {
    return { signer: undefined, reason: 'the wallet cannot sign raw bytes (its signer has no signRaw)' }
  }
  return { signer: walletMetadataSigner(account.address, signer), by: 'wallet' }
}

/** {@link metadataSigning}'s signer, or undefined when nobody can sign. */
export function metadataSignerFor(moduleKey: string, account: AccountSigner & { type?: string }, moduleSigner?: ModuleKeySigner): AsyncMetadataSigner | undefined {
  return metadataSigning(moduleKey, account, moduleSigner).signer
}

/**
 * A signer over a wallet extension's `signRaw` for `address` (whose key must
 * be the module key): it asks for `{ address, data: 0x-hex message, type:
 * 'bytes' }`, which the wallet signs wrapped in `<Bytes>…</Bytes>`. A refusal
 * (or any failure of the wallet) is a {@link MetadataSigningError}
 * `SIGNATURE_REFUSED`.
 */
export function walletMetadataSigner(address: string, signer: Pick<Signer, 'signRaw'>): AsyncMetadataSigner {
  return {
    publicKey: decodeAddress(address),
    async sign(message: Uint8Array): Promise<Uint8Array> {
      let signature: unknown
      try {
        signature = (await signer.signRaw!({ address, data: u8aToHex(message), type: 'bytes' })).signature
      } catch (error) {
        const why = error instanceof Error && error.message !== '' ? error.message : String(error)
        throw new MetadataSigningError('SIGNATURE_REFUSED', `the wallet did not sign the metadata (${why})`, { cause: error })
      }
      if (typeof signature !== 'string' || !isHex(signature)) {
        throw new MetadataSigningError('SIGNATURE_INVALID', `the wallet answered the metadata signing request with ${JSON.stringify(signature)}, not a hex signature`)
      }
      return hexToU8a(signature)
    },
  }
}

/**
 * Signs `doc` for `binding` with `signer` (awaiting it: a wallet asks its
 * user) and returns a copy with `signature` set. The signature is checked
 * against the signer's key first, and its scheme found from it when the
 * signer does not say: a wallet's bad signature is never stored.
 * Requires `await cryptoWaitReady()` beforehand.
 * @throws {MetadataSigningError} when the wallet refuses or its signature does not verify.
 */
export async function signMetadataWith<T extends ModuleMetadata>(doc: T, signer: AsyncMetadataSigner, binding: SignatureBinding): Promise<T & { signature: MetadataSignature }> {
  const message = signatureMessage(doc, binding)
  const signature = await signer.sign(message)
  let check: ReturnType<typeof signatureVerify>
  try {
    check = signatureVerify(message, signature, signer.publicKey)
  } catch (error) {
    throw new MetadataSigningError('SIGNATURE_INVALID', `cannot check the metadata signature: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
  if (!check.isValid) {
    throw new MetadataSigningError('SIGNATURE_INVALID', `the metadata signature does not verify with the module key ${u8aToHex(signer.publicKey)}`)
  }
  if (signer.type !== undefined && signer.type !== check.crypto) {
    throw new MetadataSigningError('SIGNATURE_INVALID', `the metadata signature should be ${signer.type} but verifies as ${check.crypto}`)
  }
  return attachSignature(doc, check.crypto as MetadataSignature['type'], signature)
}

function isLocalKeyPair(account: AccountSigner): account is AccountSigner & ModuleKeySigner {
  return 'sign' in account && typeof account.sign === 'function' && 'publicKey' in account
}
