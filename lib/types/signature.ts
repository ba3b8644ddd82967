/**
 * Metadata signatures by the module key.
 *
 * The signed message is the UTF-8 bytes of
 * `"modnet/module-metadata-signature/v1:"` followed by the canonical (RFC 8785)
 * encoding of the document without its `signature` property. The prefix keeps a
 * metadata signature from being valid as anything else (e.g. an extrinsic).
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
export const METADATA_SIGNATURE_CONTEXT = 'modnet/module-metadata-signature/v1:'

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
 * The bytes a module key signs for `doc`: context prefix ‖ canonical JSON of `doc`
 * without `signature`. Any existing signature is ignored.
 * @throws {CanonicalEncodingError} if `doc` is not JSON data.
 */
export function signatureMessage(doc: ModuleMetadata | Record<string, unknown>): Uint8Array<ArrayBuffer> {
  if (!isRecord(doc)) throw new TypeError('signatureMessage: the document must be an object')
  const { signature: _ignored, ...unsigned } = doc as Record<string, unknown>
  const prefix = new TextEncoder().encode(METADATA_SIGNATURE_CONTEXT)
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
 * Signs `doc` with `pair` (the module key) and returns a copy with `signature` set.
 * The document is not validated here; validate it first if it comes from outside.
 * Requires `await cryptoWaitReady()` beforehand when `pair` is a Keyring pair.
 * @throws {ModnetError} code 'SIGNATURE_INVALID' for an unsupported key type or a wrong-length signature.
 * @throws {CanonicalEncodingError} if `doc` is not JSON data.
 */
export function signMetadata<T extends ModuleMetadata>(doc: T, pair: MetadataSigner): T & { signature: MetadataSignature } {
  if (!isSignatureType(pair.type)) {
    throw new ModnetError(
      'SIGNATURE_INVALID',
      `cannot sign module metadata with a ${JSON.stringify(pair.type)} key; use ${SIGNATURE_TYPES.join(', ')}`,
    )
  }
  return attachSignature(doc, pair.type, pair.sign(signatureMessage(doc)))
}

/**
 * Checks `doc.signature` against `moduleKey` (the module's public key: 32 bytes for
 * sr25519/ed25519, 33 bytes — compressed — for ecdsa). The declared signature type must
 * be one that key can have, and the signature must be by that scheme. A signature over
 * the `<Bytes>…</Bytes>`-wrapped message is accepted too.
 * Never throws for bad input. Requires `await cryptoWaitReady()` beforehand.
 */
export function verifyMetadataSignature(doc: unknown, moduleKey: Uint8Array): SignatureVerification {
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
    message = signatureMessage(doc)
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
    return { status: 'invalid', reason: 'the signature does not match this document and module key' }
  }
  if (result.crypto !== type) {
    return { status: 'invalid', reason: `the signature is declared ${type} but verifies as ${result.crypto}` }
  }
  return { status: 'valid' }
}
