'use client'
/** An owner's transactions on a module page: transfer it or remove it, with the transaction's stage as it goes. */
import { useCallback, useState } from 'react'
import type { TxProgress } from '../lib/types/chain.ts'
import { session } from '../lib/web/session.ts'
import type { WalletAccount } from '../lib/web/wallet.ts'
import { messageOf } from './useAsync.ts'

export type ActionStatus =
  | { state: 'idle' }
  | { state: 'working'; stage: string }
  | { state: 'done'; message: string }
  | { state: 'error'; error: string }

const STAGE: Record<TxProgress['stage'], string> = {
  signing: 'Signing…',
  ready: 'In the transaction pool…',
  inBlock: 'In a block, waiting for finality…',
  finalized: 'Finalized',
}

export interface OwnerActions {
  status: ActionStatus
  transfer(account: WalletAccount, recipient: string): void
  remove(account: WalletAccount): void
}

/** `onChanged` runs once a transaction is finalized, so the page reads the module again. */
export function useOwnerActions(moduleKey: string, onChanged: () => void): OwnerActions {
  const [status, setStatus] = useState<ActionStatus>({ state: 'idle' })

  const run = useCallback((action: 'remove' | 'transfer', account: WalletAccount, recipient = '') => {
    setStatus({ state: 'working', stage: STAGE.signing })
    void (async () => {
      const { client } = await session()
      const options = { onProgress: (p: TxProgress) => setStatus({ state: 'working', stage: STAGE[p.stage] }) }
      if (action === 'remove') await client.remove(moduleKey, account.signer, options)
      else await client.transferOwnership(moduleKey, recipient, account.signer, options)
    })().then(() => {
      setStatus({ state: 'done', message: action === 'remove' ? 'Removed (finalized).' : 'Transferred (finalized).' })
      onChanged()
    }, (failure: unknown) => setStatus({ state: 'error', error: messageOf(failure) }))
  }, [moduleKey, onChanged])

  return {
    status,
    transfer: useCallback((account: WalletAccount, recipient: string) => run('transfer', account, recipient), [run]),
    remove: useCallback((account: WalletAccount) => run('remove', account), [run]),
  }
}
