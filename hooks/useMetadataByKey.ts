'use client'
/**
 * The metadata of each record, fetched and hash-checked four at a time and
 * shown as each arrives: an owner may hold up to 1024 modules.
 */
import { useState } from 'react'
import type { ModuleRecord } from '../lib/types/chain.ts'
import { eachLimited, metadataFor, type MetadataResult } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { useAbortableEffect } from './useAsync.ts'

const AT_ONCE = 4

/** By module key; a key is missing until its document is in (`metadataFor` never fails, it says why in the result). */
export function useMetadataByKey(records: ModuleRecord[] | undefined): Record<string, MetadataResult> {
  const [byKey, setByKey] = useState<Record<string, MetadataResult>>({})
  useAbortableEffect((signal) => {
    if (records === undefined) return
    // A session that fails to start is shown by the status bar; rows keep their keys.
    void session().then(({ ipfs }) => eachLimited(records, AT_ONCE, async (record) => {
      if (signal.aborted) return
      const metadata = await metadataFor(ipfs, record.cid)
      if (!signal.aborted) setByKey((current) => ({ ...current, [record.key]: metadata }))
    })).catch(() => undefined)
  }, [records])
  return byKey
}
