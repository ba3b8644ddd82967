'use client'
/** My modules: what the connected accounts own, from the pallet's owner index at a finalized block. */
import { valueOf } from '../hooks/useAsync.ts'
import { useMetadataByKey } from '../hooks/useMetadataByKey.ts'
import { useOwnedModules } from '../hooks/useOwnedModules.ts'
import { shortHex, type MetadataResult } from '../lib/web/modules.ts'
import type { WalletAccount } from '../lib/web/wallet.ts'
import { SiteLink, viewHref } from './SiteLink.tsx'
import { Alert } from './ui/Alert.tsx'
import { PageHeading } from './ui/PageHeading.tsx'
import { Panel } from './ui/Panel.tsx'

export function MineView() {
  const owned = useOwnedModules()
  const value = valueOf(owned)
  const metadata = useMetadataByKey(value?.records)
  const at = value?.atBlock

  return (
    <section aria-labelledby="mine-title" className="space-y-6">
      <PageHeading id="mine-title" title="My modules"
        description={<>From the owner index (<code>OwnerModules</code>){at !== undefined ? `, read at finalized block #${at} by a runtime call the light client checked against its proof` : ''}.</>} />
      {owned.state === 'error' && <Alert tone="error">{owned.error}</Alert>}
      {owned.state === 'loading' && <p className="text-slate-500">Looking for your accounts and their modules…</p>}
      {value?.owners.length === 0 && <p className="text-slate-500">No wallet extension found: install polkadot.js, Talisman or SubWallet and allow this site.</p>}
      <div className="grid gap-4 md:grid-cols-2" data-testid="mine">
        {value?.owners.map(({ account, keys }) => <OwnerCard key={account.address} account={account} keys={keys} metadata={metadata} />)}
      </div>
    </section>
  )
}

/** One account and its modules, named by their verified metadata once it is in (by key until then). */
function OwnerCard({ account, keys, metadata }: { account: WalletAccount; keys: string[]; metadata: Record<string, MetadataResult> }) {
  return (
    <Panel>
      <h2 className="font-semibold">{account.name}</h2>
      <p className="mb-3 break-all font-mono text-xs text-slate-500">{account.address}</p>
      {keys.length === 0 ? <p className="text-sm text-slate-500">No modules.</p> : (
        <ul className="space-y-1 text-sm">
          {keys.map((key) => {
            const meta = metadata[key]
            return (
              <li key={key}>
                <SiteLink href={viewHref('module', { key })} className="text-indigo-700 hover:underline dark:text-indigo-300">{meta?.state === 'verified' ? `${meta.metadata.name} v${meta.metadata.version}` : shortHex(key)}</SiteLink>
              </li>
            )
          })}
        </ul>
      )}
    </Panel>
  )
}
