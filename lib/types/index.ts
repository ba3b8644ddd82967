/**
 * Mod-Net module metadata: types, canonical JSON, validation and signatures.
 * Isomorphic (Node and browsers). Call `await cryptoWaitReady()` from
 * @polkadot/util-crypto before signing with a Keyring pair or verifying.
 */
export {
  ModnetError,
  CanonicalEncodingError,
  MetadataParseError,
  MetadataValidationError,
  isModnetError,
  displayPath,
} from './errors.ts'
export type { MetadataParseProblem, ValidationIssue } from './errors.ts'

export {
  METADATA_SCHEMA,
  METADATA_SCHEMA_ID,
  MAX_METADATA_BYTES,
  SIGNATURE_TYPES,
  ENDPOINT_PROTOCOLS,
} from './metadata.ts'
export type {
  ModuleMetadata,
  Author,
  Artifact,
  Endpoint,
  EndpointProtocol,
  MetadataSignature,
  SignatureType,
} from './metadata.ts'

export { canonicalJson, canonicalBytes, parseJsonDocument, jsonPointer } from './canonical.ts'
export type { ParseJsonOptions } from './canonical.ts'

export {
  validateMetadata,
  assertValidMetadata,
  moduleMetadataJsonSchema,
  isSemverVersion,
  isSemverRange,
  isSpdxExpression,
  isCid,
} from './validate.ts'
export type { ValidationResult } from './validate.ts'

export {
  LEGACY_METADATA_SIGNATURE_CONTEXT,
  legacySignatureMessage,
  METADATA_SIGNATURE_CONTEXT,
  signatureMessage,
  signMetadata,
  attachSignature,
  verifyMetadataSignature,
} from './signature.ts'
export type { MetadataSigner, SignatureBinding, SignatureVerification } from './signature.ts'

export type { HistoryHead, ModuleRecord, ModuleStatus, ReadPoint, RegistryEvent, TransferOffer, TxStage, TxProgress, TxResult } from './chain.ts'
