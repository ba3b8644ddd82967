'use client'
/** My modules: what the connected accounts own, from the pallet's owner index at a finalized block. */
import { useEffect, useState } from 'react'
import type { ModuleRecord, ReadPoint } from '../lib/types/chain.ts'
import { session } from '../lib/web/session.ts'
import { loadAccounts, type WalletAccount } from '../lib/web/wallet.ts'
import { eachLimited, metadataFor, shortHex, type MetadataResult } from '../lib/web/modules.ts'
import { SiteLink, viewHref } from './SiteLink.tsx'

interface Owned {
  account: WalletAccount
  keys: string[]
}

export function MineView() {
  const [owned, setOwned] = useState<Owned[] | undefined>()
  const [at, setAt] = useState<ReadPoint | undefined>()
  const [names, setNames] = useState<Record<string, MetadataResult>>({})
  const [error, setError] = useState<string | undefined>()

  useEffect(() => {
    let cancelled = false
    void (async () => {
      try {
        const { client, ipfs, config } = await session()
        const accounts = await loadAccounts(config.devAccounts, client.ss58Format)
        const results: Owned[] = []
        const records: ModuleRecord[] = []
        for (const account of accounts) {
          const owns: ModuleRecord[] = []
          let startKey: string | undefined
          do {
            // The owner index with each record, a page per runtime call (at most 1024 modules per owner).
            const page = await client.listModulesOf(account.address, { pageSize: 1000, startKey })
            owns.push(...page.modules)
            startKey = page.nextKey
            setAt(page.at)
          } while (startKey !== undefined)
          results.push({ account, keys: owns.map((record) => record.key).sort() })
          records.push(...owns)
        }
        if (cancelled) return
        setOwned(results)
        await eachLimited(records, 4, async (record) => {
          const meta = await metadataFor(ipfs, record.cid)
          if (!cancelled) setNames((current) => ({ ...current, [record.key]: meta }))
        })
      } catch (failure) {
        if (!cancelled) setError((failure as Error).message)
      }
    })()
    return () => { cancelled = true }
  }, [])

  return (
    <section aria-labelledby="mine-title" className="space-y-6">
      <div>
        <h1 id="mine-title" className="text-2xl font-semibold tracking-tight">My modules</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">From the owner index (<code>OwnerModules</code>){at ? `, read at finalized block #${at.blockNumber} by a runtime call the light client checked against its proof` : ''}.</p>
      </div>
      {error && <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
      {owned === undefined && !error && <p className="text-slate-500">Looking for your accounts and their modules…</p>}
      {owned?.length === 0 && <p className="text-slate-500">No wallet extension found: install polkadot.js, Talisman or SubWallet and allow this site.</p>}
      <div className="grid gap-4 md:grid-cols-2" data-testid="mine">
        {owned?.map(({ account, keys }) => (
          <div key={account.address} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 className="font-semibold">{account.name}</h2>
            <p className="mb-3 break-all font-mono text-xs text-slate-500">{account.address}</p>
            {keys.length === 0 ? <p className="text-sm text-slate-500">No modules.</p> : (
              <ul className="space-y-1 text-sm">
                {keys.map((key) => {
                  const meta = names[key]
                  return (
                    <li key={key}>
                      <SiteLink href={viewHref('module', { key })} className="text-indigo-700 hover:underline dark:text-indigo-300">{meta?.state === 'verified' ? `${meta.metadata.name} v${meta.metadata.version}` : shortHex(key)}</SiteLink>
                    </li>
                  )
                })}
              </ul>
            )}
          </div>
        ))}
      </div>
    </section>
  )
}
