/** Retrieving a module: the record (and its status) at the finalized block → its CID → hash-checked metadata. */
import { hexToU8a } from '@polkadot/util'
import type { ModuleRecord, ModuleStatus, ReadPoint } from '../types/chain.ts'
import { parseJsonDocument } from '../types/canonical.ts'
import type { ValidationIssue } from '../types/errors.ts'
import { MAX_METADATA_BYTES } from '../types/metadata.ts'
import { verifyMetadataSignature } from '../types/signature.ts'
import { validateMetadata } from '../types/validate.ts'
import type { RetrieveDeps } from './deps.ts'

export interface MetadataVerification {
  /** The bytes fetched hash to the on-chain CID (always true when a result is returned: mismatches throw). */
  cidMatches: true
  schema: { valid: true } | { valid: false; issues: ValidationIssue[] }
  signature: { status: 'valid' | 'absent' | 'invalid'; reason?: string }
}

export interface RetrievedModule {
  record: ModuleRecord
  /** Yanked revisions, deprecation, pending transfer offer: read at the same block as the record. */
  status: ModuleStatus
  /** Where the record and status were read and who checked them. */
  readAt: ReadPoint
  /** The document, schema-valid or not (see `verification.schema`). */
  metadata: unknown
  metadataBytes: Uint8Array
  verification: MetadataVerification
}

export async function retrieveModule({ chain, ipfs }: RetrieveDeps, key: string, options: { signal?: AbortSignal } = {}): Promise<RetrievedModule> {
  const { record, at } = await chain.requireModule(key)
  const { status } = await chain.getModuleStatus(key, at.blockHash as `0x${string}`)
  const metadataBytes = await ipfs.cat(record.cid, { maxBytes: MAX_METADATA_BYTES, signal: options.signal })
  const metadata = parseJsonDocument(metadataBytes)
  const result = validateMetadata(metadata)
  return {
    record,
    status,
    readAt: at,
    metadata,
    metadataBytes,
    verification: {
      cidMatches: true,
      schema: result.ok ? { valid: true } : { valid: false, issues: result.issues },
      signature: verifyMetadataSignature(metadata, hexToU8a(record.key), { genesisHash: chain.genesisHash, revision: record.revision }),
    },
  }
}
