'use client'
/**
 * A module's history: the chain's commitment read by the light client, the
 * gateway's indexed events replayed against it (proved), the rest checked
 * against their blocks where the light client can still read them.
 */
import { gatewayEventHints, provedHistory, type ProvedHistory } from '../lib/registry/history.ts'
import { session } from '../lib/web/session.ts'
import { useAsync, type Reloadable } from './useAsync.ts'

/** `key` undefined: nothing to read yet (`idle`). */
export function useAuditTrail(key: string | undefined): Reloadable<ProvedHistory> {
  return useAsync(key === undefined ? undefined : async () => {
    const { client, config } = await session()
    return await provedHistory({ chain: client }, key, await gatewayEventHints(config.gateway, key))
  }, [key])
}
