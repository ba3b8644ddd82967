/**
 * The registry's two data flows, chain and IPFS together:
 * register (validate → canonical bytes → IPFS → register/update on chain) and
 * retrieve (record at the finalized block → CID → verified metadata).
 */
import { hexToU8a } from '@polkadot/util'
import type { IPFSClient } from '../ipfs/client.ts'
import type { ModuleRecord, ReadPoint, TxResult } from '../types/chain.ts'
import { canonicalBytes, parseJsonDocument } from '../types/canonical.ts'
import { MAX_METADATA_BYTES, type ModuleMetadata } from '../types/metadata.ts'
import { signMetadata, verifyMetadataSignature } from '../types/signature.ts'
import { assertValidMetadata, validateMetadata } from '../types/validate.ts'
import type { ValidationIssue } from '../types/errors.ts'
import type { ModuleRegistryClient, RegisterOptions } from './client.ts'
import { ChainError } from './errors.ts'
import { parseModuleKey } from './keys.ts'
import type { ModuleKeySigner } from './key-ownership.ts'
import type { AccountSigner } from './tx.ts'

export interface RegisterModuleOptions extends RegisterOptions {
  /** The module key (0x-hex or SS58); default the signer's own account key. */
  moduleKey?: string
  /** Sign the metadata with the module key (needs its secret: `moduleSigner`, or the signer itself when it is the key). */
  signWith?: ModuleKeySigner
  /** On update, set `previous` to the current CID when the document has none and is unsigned (default true). */
  linkPrevious?: boolean
  /** `register` refuses an existing module, `update` a missing one; `auto` (default) does whichever applies. */
  mode?: 'register' | 'update' | 'auto'
  /** Called with the CID once the document is stored, before the chain is asked. */
  onStored?: (cid: string) => void
}

export interface RegisterModuleResult {
  key: string
  cid: string
  /** `registered`, `updated`, or `unchanged` (the module already points at this CID: no transaction). */
  action: 'registered' | 'updated' | 'unchanged'
  blockHash?: string
  blockNumber?: number
  /** The exact document stored (with `previous` and `signature` if they were added). */
  metadata: ModuleMetadata
  tx?: TxResult
}

export async function registerModule(client: ModuleRegistryClient, ipfs: IPFSClient, metadata: unknown, signer: AccountSigner, options: RegisterModuleOptions = {}): Promise<RegisterModuleResult> {
  let document = assertValidMetadata(metadata)
  const key = parseModuleKey(options.moduleKey ?? client.accountKey(signer))
  // Best block: the freshest view of whether this is a register or an update.
  const { record: current } = await client.getModule(key, 'best')
  const mode = options.mode ?? 'auto'
  if (mode === 'register' && current !== null) {
    throw new ChainError('CHAIN_DISPATCH', `moduleRegistry.ModuleAlreadyExists: A module with this key is already registered (${key}, owner ${current.owner}); use update.`, { pallet: 'moduleRegistry', error: 'ModuleAlreadyExists' })
  }
  if (mode === 'update' && current === null) {
    throw new ChainError('MODULE_NOT_FOUND', `no module is registered under ${key}; use register`)
  }
  if (current !== null && current.owner !== signer.address) {
    throw new ChainError('CHAIN_DISPATCH', `moduleRegistry.NotOwner: Only the module's owner may do this (module ${key} belongs to ${current.owner}, not ${signer.address}).`, { pallet: 'moduleRegistry', error: 'NotOwner' })
  }
  if (current !== null && (options.linkPrevious ?? true) && document.previous === undefined && document.signature === undefined) {
    document = { ...document, previous: current.cid }
  }
  if (options.signWith !== undefined && document.signature === undefined) document = signMetadata(document, options.signWith)
  const bytes = canonicalBytes(document)
  const cid = (await ipfs.add(bytes)).toString()
  options.onStored?.(cid)
  if (current !== null && current.cid === cid) return { key, cid, action: 'unchanged', metadata: document }
  const tx = current === null
    ? await client.register(key, cid, signer, options)
    : await client.update(key, cid, signer, options)
  return { key, cid, action: current === null ? 'registered' : 'updated', blockHash: tx.blockHash, blockNumber: tx.blockNumber, metadata: document, tx }
}

export interface MetadataVerification {
  /** The bytes fetched hash to the on-chain CID (always true when a result is returned: mismatches throw). */
  cidMatches: true
  schema: { valid: true } | { valid: false; issues: ValidationIssue[] }
  signature: { status: 'valid' | 'absent' | 'invalid'; reason?: string }
}

export interface RetrievedModule {
  record: ModuleRecord
  /** Where the record was read and who checked it. */
  readAt: ReadPoint
  /** The document, schema-valid or not (see `verification.schema`). */
  metadata: unknown
  metadataBytes: Uint8Array
  verification: MetadataVerification
}

export async function retrieveModule(client: ModuleRegistryClient, ipfs: IPFSClient, key: string): Promise<RetrievedModule> {
  const { record, at } = await client.requireModule(key)
  const metadataBytes = await ipfs.cat(record.cid, { maxBytes: MAX_METADATA_BYTES })
  const metadata = parseJsonDocument(metadataBytes)
  const result = validateMetadata(metadata)
  return {
    record,
    readAt: at,
    metadata,
    metadataBytes,
    verification: {
      cidMatches: true,
      schema: result.ok ? { valid: true } : { valid: false, issues: result.issues },
      signature: verifyMetadataSignature(metadata, hexToU8a(record.key)),
    },
  }
}
