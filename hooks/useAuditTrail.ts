'use client'
/** A module's registry events: blocks named by the gateway, each block's events read by the light client (proved, or unchecked with the reason). */
import { auditTrail, type AuditEntry } from '../lib/web/audit.ts'
import { session } from '../lib/web/session.ts'
import { useAsync, type Reloadable } from './useAsync.ts'

/** `key` undefined: nothing to read yet (`idle`). */
export function useAuditTrail(key: string | undefined): Reloadable<AuditEntry[]> {
  return useAsync(key === undefined ? undefined : async () => {
    const { client, config } = await session()
    return await auditTrail(client, config.gateway, key)
  }, [key])
}
