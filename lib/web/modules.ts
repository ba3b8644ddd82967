/**
 * Module data for the pages: every record read at one finalized block through
 * the light client, every metadata document fetched block by block and
 * hash-checked, then parsed and validated. Documents are immutable (named by
 * their hash), so they are cached by CID for the page's lifetime.
 */
import type { ModuleRegistryClient } from '../chain/client.ts'
import type { IPFSClient } from '../ipfs/client.ts'
import { parseJsonDocument } from '../types/canonical.ts'
import type { ModuleRecord, ModuleStatus, ReadPoint } from '../types/chain.ts'
import { MAX_METADATA_BYTES, type ModuleMetadata } from '../types/metadata.ts'
import { validateMetadata } from '../types/validate.ts'

export type MetadataResult =
  | { state: 'verified'; metadata: ModuleMetadata; bytes: number }
  | { state: 'invalid'; document: unknown; problems: string[] }
  | { state: 'failed'; error: string; code?: string }

const cache = new Map<string, Promise<MetadataResult>>()

/** The document at `cid`, hash-checked; never throws. */
export function metadataFor(ipfs: IPFSClient, cid: string): Promise<MetadataResult> {
  let result = cache.get(cid)
  if (result === undefined) {
    result = fetchMetadata(ipfs, cid)
    cache.set(cid, result)
    // Transient failures may be retried by a later call.
    void result.then((r) => { if (r.state === 'failed' && r.code !== 'IPFS_VERIFICATION_FAILED') cache.delete(cid) })
  }
  return result
}

/** The document at `cid`, fetched now (not cached), hash-checked and validated; never throws. */
export async function fetchMetadata(ipfs: IPFSClient, cid: string): Promise<MetadataResult> {
  try {
    const bytes = await ipfs.cat(cid, { maxBytes: MAX_METADATA_BYTES, attempts: 2 })
    const document = parseJsonDocument(bytes)
    const validation = validateMetadata(document)
    if (!validation.ok) return { state: 'invalid', document, problems: validation.issues.map((i) => `${i.path || '(root)'}: ${i.message}`) }
    return { state: 'verified', metadata: validation.metadata, bytes: bytes.length }
  } catch (error) {
    return { state: 'failed', error: (error as Error).message, code: (error as { code?: string }).code }
  }
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++])
  }))
}

export function shortHex(hex: string, keep = 6): string {
  return hex.length <= keep * 2 + 3 ? hex : `${hex.slice(0, keep + 2)}…${hex.slice(-keep)}`
}

export interface ModuleDetails {
  record: ModuleRecord | null
  /** Yanked revisions, deprecation, a pending offer: read at `at`, like the record. */
  status?: ModuleStatus
  at: ReadPoint
  metadata?: MetadataResult
  signature?: { status: 'valid' | 'absent' | 'invalid'; reason?: string }
}

/** One module: the finalized record (proof-checked) and its verified metadata and signature. */
export async function moduleDetails(client: ModuleRegistryClient, ipfs: IPFSClient, key: string): Promise<ModuleDetails> {
  const { record, at } = await client.getModule(key)
  if (record === null) return { record, at }
  const { status } = await client.getModuleStatus(key, at.blockHash as `0x${string}`)
  const metadata = await metadataFor(ipfs, record.cid)
  if (metadata.state === 'failed') return { record, status, at, metadata }
  const { cryptoWaitReady } = await import('@polkadot/util-crypto')
  const { hexToU8a } = await import('@polkadot/util')
  const { verifyMetadataSignature } = await import('../types/signature.ts')
  await cryptoWaitReady()
  const document = metadata.state === 'verified' ? metadata.metadata : metadata.document
  return { record, status, at, metadata, signature: verifyMetadataSignature(document, hexToU8a(record.key), { genesisHash: client.genesisHash, revision: record.revision }) }
}

export interface HistoryEntry {
  cid: string
  result: MetadataResult
}

/** Earlier versions, newest first, by following `previous` CIDs (each one hash-checked), up to `limit`. */
export async function history(ipfs: IPFSClient, metadata: ModuleMetadata, limit = 50): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = []
  const seen = new Set<string>()
  let previous = metadata.previous
  while (previous !== undefined && entries.length < limit && !seen.has(previous)) {
    seen.add(previous)
    const result = await metadataFor(ipfs, previous)
    entries.push({ cid: previous, result })
    previous = result.state === 'verified' ? result.metadata.previous : undefined
  }
  return entries
}
