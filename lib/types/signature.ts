/**
 * Metadata signatures by the module key.
 *
 * The signed message is the UTF-8 bytes of
 * `"modnet/module-metadata-signature/v2:<genesis hash>:<revision>:"` followed
 * by the canonical (RFC 8785) encoding of the document without its
 * `signature` property; the genesis hash is 0x and 64 lowercase hex digits,
 * the revision the decimal revision the module has on chain while it points
 * at this document (0 when registered, +1 per update). The prefix keeps a
 * metadata signature from being valid as anything else (e.g. an extrinsic);
 * the chain and revision keep an old signed document from showing "valid"
 * when it is pointed at again later, or on another chain. Version 1 (no
 * chain, no revision) is recognised only to say so.
 * Verification also accepts a signature over that message wrapped in
 * `<Bytes>…</Bytes>`, which is what browser wallet extensions (polkadot-js,
 * Talisman, SubWallet...) sign when asked to sign raw bytes.
 *
 * IMPORTANT: sr25519 and ecdsa need the crypto backends initialised. Call
 * `await cryptoWaitReady()` (from @polkadot/util-crypto) once before using
 * {@link signMetadata} with a Keyring pair or {@link verifyMetadataSignature}.
 */
import { u8aToHex, hexToU8a } from '@polkadot/util'
import { signatureVerify } from '@polkadot/util-crypto'
import { canonicalBytes } from './canonical.ts'
import { ModnetError } from './errors.ts'
import { SIGNATURE_TYPES } from './metadata.ts'
import type { MetadataSignature, ModuleMetadata, SignatureType } from './metadata.ts'

/** Domain-separation prefix of the signed message. */
export const METADATA_SIGNATURE_CONTEXT = 'modnet/module-metadata-signature/v2:'
/** The prefix of version 1, which bound neither the chain nor the revision. */
export const LEGACY_METADATA_SIGNATURE_CONTEXT = 'modnet/module-metadata-signature/v1:'

/** Where a signature is valid: the chain (its genesis hash, 0x-hex) and the module's revision while it points at the document. */
export interface SignatureBinding {
  genesisHash: string
  revision: number
}

const SIGNATURE_BYTES: Record<SignatureType, number> = { sr25519: 64, ed25519: 64, ecdsa: 65 }
const KEY_BYTES: Record<SignatureType, number> = { sr25519: 32, ed25519: 32, ecdsa: 33 }

/**
 * Anything that signs bytes with the module key. A @polkadot/keyring `KeyringPair`
 * fits (its `type` must then be sr25519, ed25519 or ecdsa; `ethereum` is refused).
 */
export interface MetadataSigner {
  readonly type: string
  sign(message: Uint8Array): Uint8Array
}

/** Result of {@link verifyMetadataSignature}. `reason` explains `'invalid'` (and `'absent'`). */
export interface SignatureVerification {
  status: 'valid' | 'absent' | 'invalid'
  reason?: string
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isSignatureType(value: unknown): value is SignatureType {
  return typeof value === 'string' && (SIGNATURE_TYPES as readonly string[]).includes(value)
}

/**
 * The bytes a module key signs for `doc` at `binding`: context prefix, chain
 * and revision, then the canonical JSON of `doc` without `signature`. Any
 * existing signature is ignored.
 * @throws {CanonicalEncodingError} if `doc` is not JSON data.
 * @throws {ModnetError} code 'SIGNATURE_INVALID' for a malformed binding.
 */
export function signatureMessage(doc: ModuleMetadata | Record<string, unknown>, binding: SignatureBinding): Uint8Array<ArrayBuffer> {
  const { genesisHash, revision } = binding
  if (typeof genesisHash !== 'string' || !/^0x[0-9a-f]{64}$/.test(genesisHash)) {
    throw new ModnetError('SIGNATURE_INVALID', `a signature binds a genesis hash of 0x and 64 lowercase hex digits, not ${JSON.stringify(genesisHash)}`)
  }
  if (!Number.isInteger(revision) || revision < 0 || revision > 0xffff_ffff) {
    throw new ModnetError('SIGNATURE_INVALID', `a signature binds a revision from 0 to 4294967295, not ${revision}`)
  }
  return prefixed(`${METADATA_SIGNATURE_CONTEXT}${genesisHash}:${revision}:`, doc)
}

/** The version-1 message (no chain, no revision): only to recognise old signatures. */
export function legacySignatureMessage(doc: ModuleMetadata | Record<string, unknown>): Uint8Array<ArrayBuffer> {
  return prefixed(LEGACY_METADATA_SIGNATURE_CONTEXT, doc)
}

function prefixed(context: string, doc: ModuleMetadata | Record<string, unknown>): Uint8Array<ArrayBuffer> {
  if (!isRecord(doc)) throw new TypeError('signatureMessage: the document must be an object')
  const { signature: _ignored, ...unsigned } = doc as Record<string, unknown>
  const prefix = new TextEncoder().encode(context)
  const body = canonicalBytes(unsigned)
  const message = new Uint8Array(prefix.length + body.length)
  message.set(prefix, 0)
  message.set(body, prefix.length)
  return message
}

/**
 * Returns a copy of `doc` with `signature` set to `{ type, value: 0x-hex of signature }`.
 * Use it when the signature comes from elsewhere, e.g. a wallet extension's `signRaw`
 * over {@link signatureMessage} (which signs the `<Bytes>`-wrapped message; that is accepted).
 * @throws {ModnetError} code 'SIGNATURE_INVALID' if the signature has the wrong length for `type`.
 */
export function attachSignature<T extends ModuleMetadata>(
  doc: T,
  type: SignatureType,
  signature: Uint8Array | string,
): T & { signature: MetadataSignature } {
  if (!isSignatureType(type)) {
    throw new ModnetError('SIGNATURE_INVALID', `unsupported signature type ${JSON.stringify(type)}; expected one of ${SIGNATURE_TYPES.join(', ')}`)
  }
  const bytes = typeof signature === 'string' ? hexToU8a(signature) : signature
  if (bytes.length !== SIGNATURE_BYTES[type]) {
    throw new ModnetError('SIGNATURE_INVALID', `a ${type} signature is ${SIGNATURE_BYTES[type]} bytes, got ${bytes.length}`)
  }
  return { ...doc, signature: { type, value: u8aToHex(bytes) } }
}

/**
 * Signs `doc` with `pair` (the module key) for `binding` (this chain, the
 * revision the module will have while it points at the document) and returns
 * a copy with `signature` set.
 * The document is not validated here; validate it first if it comes from outside.
 * Requires `await cryptoWaitReady()` beforehand when `pair` is a Keyring pair.
 * @throws {ModnetError} code 'SIGNATURE_INVALID' for an unsupported key type or a wrong-length signature.
 * @throws {CanonicalEncodingError} if `doc` is not JSON data.
 */
export function signMetadata<T extends ModuleMetadata>(doc: T, pair: MetadataSigner, binding: SignatureBinding): T & { signature: MetadataSignature } {
  if (!isSignatureType(pair.type)) {
    throw new ModnetError(
      'SIGNATURE_INVALID',
      `cannot sign module metadata with a ${JSON.stringify(pair.type)} key; use ${SIGNATURE_TYPES.join(', ')}`,
    )
  }
  return attachSignature(doc, pair.type, pair.sign(signatureMessage(doc, binding)))
}

/**
 * Checks `doc.signature` against `moduleKey` (the module's public key: 32 bytes for
 * sr25519/ed25519, 33 bytes — compressed — for ecdsa) at `binding` (the chain and the
 * revision the module has while it points at `doc`). The declared signature type must
 * be one that key can have, and the signature must be by that scheme. A signature over
 * the `<Bytes>…</Bytes>`-wrapped message is accepted too. A version-1 signature (no
 * chain, no revision) is invalid, and the reason says so.
 * Never throws for bad input. Requires `await cryptoWaitReady()` beforehand.
 */
export function verifyMetadataSignature(doc: unknown, moduleKey: Uint8Array, binding: SignatureBinding): SignatureVerification {
  if (!isRecord(doc)) return { status: 'invalid', reason: 'the document is not an object' }
  const signature = doc.signature
  if (signature === undefined) return { status: 'absent', reason: 'the document has no signature' }
  if (!isRecord(signature)) return { status: 'invalid', reason: 'signature must be an object with "type" and "value"' }
  const { type, value } = signature
  if (!isSignatureType(type)) {
    return { status: 'invalid', reason: `signature type must be one of ${SIGNATURE_TYPES.join(', ')}` }
  }
  const hexLength = 2 + 2 * SIGNATURE_BYTES[type]
  if (typeof value !== 'string' || value.length !== hexLength || !/^0x[0-9a-f]*$/.test(value)) {
    return {
      status: 'invalid',
      reason: `a ${type} signature value must be "0x" and ${hexLength - 2} lowercase hexadecimal characters`,
    }
  }
  if (!(moduleKey instanceof Uint8Array)) return { status: 'invalid', reason: 'the module key must be a Uint8Array' }
  if (moduleKey.length !== KEY_BYTES[type]) {
    return {
      status: 'invalid',
      reason: `a ${moduleKey.length}-byte module key cannot have made a ${type} signature (${type} keys are ${KEY_BYTES[type]} bytes)`,
    }
  }
  if (type === 'ecdsa' && moduleKey[0] !== 0x02 && moduleKey[0] !== 0x03) {
    return { status: 'invalid', reason: 'an ecdsa module key must be a 33-byte compressed public key (starting 0x02 or 0x03)' }
  }
  let message: Uint8Array
  try {
    message = signatureMessage(doc, binding)
  } catch (error) {
    return { status: 'invalid', reason: error instanceof Error ? error.message : String(error) }
  }
  let result: ReturnType<typeof signatureVerify>
  try {
    result = signatureVerify(message, hexToU8a(value), moduleKey)
  } catch (error) {
    return { status: 'invalid', reason: `cannot check the signature: ${error instanceof Error ? error.message : String(error)}` }
  }
  if (!result.isValid) {
    let legacy = false
    try {
      legacy = signatureVerify(legacySignatureMessage(doc), hexToU8a(value), moduleKey).isValid
    } catch { /* not a legacy signature either */ }
    if (legacy) {
      return { status: 'invalid', reason: 'signed in format v1, which binds neither the chain nor the revision: it may be an old document pointed at again; sign it again' }
    }
    return { status: 'invalid', reason: `the signature does not match this document and module key on this chain at revision ${binding.revision}` }
  }
  if (result.crypto !== type) {
    return { status: 'invalid', reason: `the signature is declared ${type} but verifies as ${result.crypto}` }
  }
  return { status: 'valid' }
}
