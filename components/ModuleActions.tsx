'use client'
/** Owner actions on a module page: transfer it or remove it, signed by a wallet account. */
import { useEffect, useState } from 'react'
import type { ModuleRecord, TxProgress } from '../lib/types/chain.ts'
import { session } from '../lib/web/session.ts'
import { loadAccounts, type WalletAccount } from '../lib/web/wallet.ts'

const STAGE: Record<TxProgress['stage'], string> = {
  signing: 'Signing…',
  ready: 'In the transaction pool…',
  inBlock: 'In a block, waiting for finality…',
  finalized: 'Finalized',
}

export function ModuleActions({ record, onChanged }: { record: ModuleRecord; onChanged: () => void }) {
  const [accounts, setAccounts] = useState<WalletAccount[]>([])
  const [accountIndex, setAccountIndex] = useState(0)
  const [recipient, setRecipient] = useState('')
  const [status, setStatus] = useState<string | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void (async () => {
      const { client, config } = await session()
      const found = await loadAccounts(config.devAccounts, client.ss58Format)
      setAccounts(found)
      const owner = found.findIndex((a) => a.address === record.owner)
      if (owner >= 0) setAccountIndex(owner)
    })().catch((failure: Error) => setError(failure.message))
  }, [record.owner])

  async function run(action: 'remove' | 'transfer') {
    const account = accounts[accountIndex]
    if (account === undefined) return
    if (action === 'remove' && !window.confirm('Remove this module from the registry? Its deposit is released to the owner.')) return
    setBusy(true)
    setError(undefined)
    try {
      const { client } = await session()
      const options = { onProgress: (p: TxProgress) => setStatus(STAGE[p.stage]) }
      if (action === 'remove') await client.remove(record.key, account.signer, options)
      else await client.transferOwnership(record.key, recipient, account.signer, options)
      setStatus(action === 'remove' ? 'Removed (finalized).' : 'Transferred (finalized).')
      onChanged()
    } catch (failure) {
      setStatus(undefined)
      setError((failure as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="actions-title" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h2 id="actions-title" className="mb-3 text-lg font-semibold">Owner actions</h2>
      <div className="grid gap-4 md:grid-cols-[1fr_1fr_auto] md:items-end">
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Sign as</span>
          <select data-testid="actions-account" value={accountIndex} onChange={(e) => setAccountIndex(Number(e.target.value))} className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950">
            {accounts.length === 0 && <option>No wallet accounts</option>}
            {accounts.map((a, i) => <option key={a.address} value={i}>{a.name}{a.address === record.owner ? ' (owner)' : ''}</option>)}
          </select>
        </label>
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Transfer to (address)</span>
          <input value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder="5…" className="w-full rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
        </label>
        <div className="flex gap-2">
          <button type="button" disabled={busy || recipient.trim() === ''} onClick={() => void run('transfer')} className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800">Transfer</button>
          <button type="button" disabled={busy} onClick={() => void run('remove')} className="rounded-md bg-rose-600 px-3 py-2 text-sm font-medium text-white hover:bg-rose-500 disabled:opacity-50">Remove</button>
        </div>
      </div>
      {status && <p role="status" data-testid="actions-status" className="mt-3 text-sm">{status}</p>}
      {error && <p role="alert" data-testid="actions-error" className="mt-3 break-all rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
    </section>
  )
}
