'use client'
/** Transactions on a module page: the owner offers or removes it, the recipient of an offer accepts or declines it; with the transaction's stage as it goes. */
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
  /** Offers the module to `recipient` (it passes to them when they accept). */
  transfer(account: WalletAccount, recipient: string): void
  accept(account: WalletAccount): void
  /** Withdraws (owner) or declines (recipient) the pending offer. */
  cancel(account: WalletAccount): void
  remove(account: WalletAccount): void
}

type Action = 'remove' | 'transfer' | 'accept' | 'cancel'
const DONE: Record<Action, string> = {
  remove: 'Removed (finalized).',
  transfer: 'Offered (finalized): the module passes to the recipient when they accept it.',
  accept: 'Accepted (finalized): the module is yours.',
  cancel: 'Offer cancelled (finalized).',
}

/** `onChanged` runs once a transaction is finalized, so the page reads the module again. */
export function useOwnerActions(moduleKey: string, onChanged: () => void): OwnerActions {
  const [status, setStatus] = useState<ActionStatus>({ state: 'idle' })

  const run = useCallback((action: Action, account: WalletAccount, recipient = '') => {
    setStatus({ state: 'working', stage: STAGE.signing })
    void (async () => {
      const { client } = await session()
      const options = { onProgress: (p: TxProgress) => setStatus({ state: 'working', stage: STAGE[p.stage] }) }
      if (action === 'remove') await client.remove(moduleKey, account.signer, options)
      else if (action === 'transfer') await client.transferOwnership(moduleKey, recipient, account.signer, options)
      else if (action === 'accept') await client.acceptOwnership(moduleKey, account.signer, options)
      else await client.cancelTransfer(moduleKey, account.signer, options)
    })().then(() => {
      setStatus({ state: 'done', message: DONE[action] })
      onChanged()
    }, (failure: unknown) => setStatus({ state: 'error', error: messageOf(failure) }))
  }, [moduleKey, onChanged])

  return {
    status,
    transfer: useCallback((account: WalletAccount, recipient: string) => run('transfer', account, recipient), [run]),
    accept: useCallback((account: WalletAccount) => run('accept', account), [run]),
    cancel: useCallback((account: WalletAccount) => run('cancel', account), [run]),
    remove: useCallback((account: WalletAccount) => run('remove', account), [run]),
  }
}
