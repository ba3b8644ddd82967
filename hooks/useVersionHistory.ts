'use client'
/** Earlier versions of a module, newest first, following each document's `previous` CID (every one hash-checked). */
import type { ModuleMetadata } from '../lib/types/metadata.ts'
import { history, type HistoryEntry } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { useAsync, type Async } from './useAsync.ts'

/** `idle` when the document names no previous version. */
export function useVersionHistory(metadata: ModuleMetadata | undefined): Async<HistoryEntry[]> {
  const current = metadata?.previous === undefined ? undefined : metadata
  // Keyed by the previous CID: a reload that reads the same document again does not walk again.
  return useAsync(current === undefined ? undefined : async () => {
    const { ipfs } = await session()
    return await history(ipfs, current)
  }, [current?.previous])
}
