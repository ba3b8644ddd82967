/** What the owner said about the module on chain: deprecated (with the note), yanked revisions, a pending transfer offer. Read with the record, so proved the same way. */
import type { ModuleRecord, ModuleStatus } from '../../lib/types/chain.ts'
import { Alert } from '../ui/Alert.tsx'

export function StatusNotice({ record, status }: { record: ModuleRecord; status: ModuleStatus | undefined }) {
  if (status === undefined) return null
  const currentYanked = status.yanked.includes(record.revision)
  return (
    <>
      {status.deprecation !== undefined && (
        <Alert tone="warning" data-testid="deprecated"><b>Deprecated by its owner:</b> {status.deprecation}</Alert>
      )}
      {status.yanked.length > 0 && (
        <Alert tone="warning" data-testid="yanked">
          {currentYanked ? <><b>This revision ({record.revision}) is yanked</b>: its owner withdrew it. </> : null}
          Yanked revision{status.yanked.length === 1 ? '' : 's'}: {status.yanked.join(', ')}.
        </Alert>
      )}
      {status.transferOffer !== undefined && (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="transfer-offer">
          Offered to <span className="font-mono text-xs">{status.transferOffer.to}</span> until block #{status.transferOffer.expiresAt}; it passes to them when they accept.
        </p>
      )}
    </>
  )
}
