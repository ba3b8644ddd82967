/** The current version and the earlier ones its `previous` links lead to, each hash-checked. */
import type { Async } from '../../hooks/useAsync.ts'
import type { ModuleRecord } from '../../lib/types/chain.ts'
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import { shortHex, type HistoryEntry } from '../../lib/web/modules.ts'
import { PanelSection } from '../ui/Panel.tsx'

export function VersionHistory({ record, current, earlier }: { record: ModuleRecord; current: ModuleMetadata; earlier: Async<HistoryEntry[]> }) {
  return (
    <PanelSection id="history" title="Version history">
      <ol className="space-y-2 text-sm" data-testid="history">
        <li className="flex flex-wrap gap-x-3"><b>v{current.version}</b><span className="text-slate-500">current · revision {record.revision}</span><code className="text-xs">{shortHex(record.cid, 10)}</code></li>
        {earlier.state === 'loading' && <li className="text-slate-500">Following previous versions…</li>}
        {earlier.state === 'error' && <li className="text-slate-500">Earlier versions unavailable: {earlier.error}</li>}
        {earlier.state === 'ready' && earlier.value.map(({ cid, result }) => (
          <li key={cid} className="flex flex-wrap gap-x-3">
            <b>{result.state === 'verified' ? `v${result.metadata.version}` : 'unavailable'}</b>
            <span className="text-slate-500">{result.state === 'verified' ? 'hash-checked' : result.state === 'failed' ? result.error : 'invalid document'}</span>
            <code className="text-xs">{shortHex(cid, 10)}</code>
          </li>
        ))}
      </ol>
    </PanelSection>
  )
}
