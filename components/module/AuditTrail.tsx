/** The module's registry events: proved by the key's history commitment or by their block's events (light client), or marked unchecked with the reason. */
import type { Async } from '../../hooks/useAsync.ts'
import type { RegistryEvent } from '../../lib/types/chain.ts'
import type { ProvedHistory } from '../../lib/registry/history.ts'
import { shortHex } from '../../lib/web/modules.ts'
import { BlockBadge } from '../ui/Badge.tsx'
import { PanelSection } from '../ui/Panel.tsx'

export function AuditTrail({ audit }: { audit: Async<ProvedHistory> }) {
  return (
    <PanelSection id="audit" title="Audit trail" titleClassName="mb-1">
      <p className="mb-3 text-xs text-slate-500">
        The gateway gives the events; the light client proves them against the key's history commitment on chain (or, without one, against each block's events).
      </p>
      {(audit.state === 'loading' || audit.state === 'idle') && <p className="text-sm text-slate-500">Reading events…</p>}
      {audit.state === 'error' && <p className="text-sm text-slate-500">Unavailable: {audit.error}</p>}
      {audit.state === 'ready' && audit.value.commitment !== undefined && (
        <p className="mb-2 text-xs text-slate-500" data-testid="history-commitment">
          The chain commits to {audit.value.commitment.history.length} event{audit.value.commitment.history.length === 1 ? '' : 's'} for this key (block #{audit.value.commitment.at.blockNumber}).
          {audit.value.problem !== undefined && <> The gateway's events do not prove it: {audit.value.problem}.</>}
        </p>
      )}
      {audit.state === 'ready' && audit.value.entries.length === 0 && <p className="text-sm text-slate-500">No events indexed for this module.</p>}
      {audit.state === 'ready' && audit.value.entries.length > 0 && (
        <ol className="space-y-2 text-sm" data-testid="audit">
          {audit.value.entries.map((entry, i) => entry.state === 'proved' ? (
            <li key={i} data-state="proved" data-by={entry.by} className="flex flex-wrap items-baseline gap-x-3">
              <span className="text-emerald-600" aria-label={entry.by === 'commitment' ? 'proved by the history commitment' : 'proved by its block\'s events'}
                title={entry.by === 'commitment' ? 'proved by the history commitment' : 'proved by its block\'s events'}>✓</span>
              <BlockBadge number={entry.event.blockNumber} />
              <b>{entry.event.type}</b>
              <span className="text-slate-600 dark:text-slate-400">{describe(entry.event)}</span>
            </li>
          ) : (
            <li key={i} data-state="unchecked" className="flex flex-wrap items-baseline gap-x-3 text-slate-500">
              <span aria-label="not verified">?</span>
              <span className="font-mono text-xs">#{entry.blockNumber}</span>
              <b>{entry.type}</b>
              <span>not verified: {entry.reason}</span>
            </li>
          ))}
        </ol>
      )}
    </PanelSection>
  )
}

function describe(event: RegistryEvent): string {
  switch (event.type) {
    case 'ModuleRegistered': return `by ${shortHex(event.owner, 5)}, metadata ${shortHex(event.cid, 8)}`
    case 'ModuleUpdated': return `revision ${event.revision}, metadata ${shortHex(event.newCid, 8)}`
    case 'ModuleRemoved': return `by ${shortHex(event.owner, 5)}`
    case 'OwnershipTransferred': return `${shortHex(event.from, 5)} → ${shortHex(event.to, 5)}`
    case 'TransferOffered': return `offered to ${shortHex(event.to, 5)} until block ${event.expiresAt}`
    case 'TransferCancelled': return `offer to ${shortHex(event.to, 5)} cancelled`
    case 'RevisionYanked': return event.yanked ? `revision ${event.revision} yanked` : `revision ${event.revision} restored`
    case 'DeprecationSet': return event.note === undefined ? 'no longer deprecated' : `deprecated: ${event.note}`
  }
}
