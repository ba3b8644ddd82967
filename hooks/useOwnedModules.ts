'use client'
/** What the accounts this browser holds own, from the pallet's owner index (one runtime call per page, checked by the light client). */
import type { ModuleRecord } from '../lib/types/chain.ts'
import { session } from '../lib/web/session.ts'
import { loadAccounts, type WalletAccount } from '../lib/web/wallet.ts'
import { useAsync, type Async } from './useAsync.ts'

export interface OwnedModules {
  /** Every account, with the keys of the modules it owns (sorted); empty when no wallet answers. */
  owners: { account: WalletAccount; keys: string[] }[]
  records: ModuleRecord[]
  /** The finalized block of the last read; undefined when there was nothing to read. */
  atBlock?: number
}

/** Each owner's page holds at most 1024 modules; 1000 a call keeps the answers small. */
const PAGE_SIZE = 1000

export function useOwnedModules(): Async<OwnedModules> {
  return useAsync(async (signal) => {
    const { client, config } = await session()
    const accounts = await loadAccounts(config.devAccounts, client.ss58Format)
    const owned: OwnedModules = { owners: [], records: [] }
    for (const account of accounts) {
      const records: ModuleRecord[] = []
      let startKey: string | undefined
      do {
        signal.throwIfAborted()
        const page = await client.listModulesOf(account.address, { pageSize: PAGE_SIZE, startKey })
        records.push(...page.modules)
        startKey = page.nextKey
        owned.atBlock = page.at.blockNumber
      } while (startKey !== undefined)
      owned.owners.push({ account, keys: records.map((record) => record.key).sort() })
      owned.records.push(...records)
    }
    return owned
  }, [])
}
