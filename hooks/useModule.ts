'use client'
/** One module: its finalized record (proof-checked by the light client), its metadata hash-checked and validated, its signature checked. */
import type { ModuleMetadata } from '../lib/types/metadata.ts'
import { moduleDetails, type ModuleDetails } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { useAsync, type Reloadable } from './useAsync.ts'

/** `key` undefined: no module to read (the state stays `idle`). */
export function useModule(key: string | undefined): Reloadable<ModuleDetails> {
  return useAsync(key === undefined ? undefined : async () => {
    const { client, ipfs } = await session()
    return await moduleDetails(client, ipfs, key)
  }, [key])
}

/** The module's metadata when it was hash-checked and is a valid document; undefined otherwise (nothing of it is shown then). */
export function verifiedMetadata(details: ModuleDetails | undefined): ModuleMetadata | undefined {
  return details?.metadata?.state === 'verified' ? details.metadata.metadata : undefined
}
