'use client'
/** The accounts this browser can sign with: a wallet extension's, else (where config.json allows) the dev accounts. */
import { session } from '../lib/web/session.ts'
import { loadAccounts, type WalletAccount } from '../lib/web/wallet.ts'
import { useAsync, type Async } from './useAsync.ts'

export function useAccounts(): Async<WalletAccount[]> {
  return useAsync(async () => {
    const { client, config } = await session()
    return await loadAccounts(config.devAccounts, client.ss58Format)
  }, [])
}
