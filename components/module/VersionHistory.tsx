/**
 * The current version and the earlier ones its `previous` links lead to, each
 * hash-checked; and, where the key's proved history names the CID, the
 * revision it had on chain (and whether the owner yanked it).
 */
import type { Async } from '../../hooks/useAsync.ts'
import type { ProvedHistory } from '../../lib/registry/history.ts'
import type { ModuleRecord, ModuleStatus } from '../../lib/types/chain.ts'
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import { shortHex, type HistoryEntry } from '../../lib/web/modules.ts'
import { PanelSection } from '../ui/Panel.tsx'

/** CID → revision, from the registrations and updates the history proves. */
function provedRevisions(audit: Async<ProvedHistory> | undefined): Map<string, number> {
  const revisions = new Map<string, number>()
  if (audit?.state !== 'ready') return revisions
  for (const entry of audit.value.entries) {
    if (entry.state !== 'proved') continue
    if (entry.event.type === 'ModuleRegistered') revisions.set(entry.event.cid, 0)
    else if (entry.event.type === 'ModuleUpdated') revisions.set(entry.event.newCid, entry.event.revision)
  }
  return revisions
}

function OnChain({ cid, revisions, status }: { cid: string; revisions: Map<string, number>; status: ModuleStatus | undefined }) {
  const revision = revisions.get(cid)
  if (revision === undefined) return null
  const yanked = status?.yanked.includes(revision) === true
  return <span className={yanked ? 'text-amber-700 dark:text-amber-400' : 'text-emerald-700 dark:text-emerald-400'} data-testid="version-on-chain">revision {revision} in the proved history{yanked ? ' · yanked' : ''}</span>
}

export function VersionHistory({ record, current, earlier, audit, status }: {
  record: ModuleRecord
  current: ModuleMetadata
  earlier: Async<HistoryEntry[]>
  audit?: Async<ProvedHistory>
  status?: ModuleStatus
}) {
  const revisions = provedRevisions(audit)
  return (
    <PanelSection id="history" title="Version history">
      <ol className="space-y-2 text-sm" data-testid="history">
        <li className="flex flex-wrap gap-x-3"><b>v{current.version}</b><span className="text-slate-500">current · revision {record.revision}{status?.yanked.includes(record.revision) === true ? ' · yanked' : ''}</span><code className="text-xs">{shortHex(record.cid, 10)}</code></li>
        {earlier.state === 'loading' && <li className="text-slate-500">Following previous versions…</li>}
        {earlier.state === 'error' && <li className="text-slate-500">Earlier versions unavailable: {earlier.error}</li>}
        {earlier.state === 'ready' && earlier.value.map(({ cid, result }) => (
          <li key={cid} className="flex flex-wrap gap-x-3">
            <b>{result.state === 'verified' ? `v${result.metadata.version}` : 'unavailable'}</b>
            <span className="text-slate-500">{result.state === 'verified' ? 'hash-checked' : result.state === 'failed' ? result.error : 'invalid document'}</span>
            <code className="text-xs">{shortHex(cid, 10)}</code>
            <OnChain cid={cid} revisions={revisions} status={status} />
          </li>
        ))}
      </ol>
    </PanelSection>
  )
}
