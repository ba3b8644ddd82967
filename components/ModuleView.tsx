'use client'
/** A module: on-chain record and metadata, each marked with how it was verified, owner actions, artifacts and history. */
import { useCallback } from 'react'
import { useAuditTrail } from '../hooks/useAuditTrail.ts'
import { valueOf } from '../hooks/useAsync.ts'
import { useModule, verifiedMetadata } from '../hooks/useModule.ts'
import { useVersionHistory } from '../hooks/useVersionHistory.ts'
import { shortHex } from '../lib/web/modules.ts'
import type { ViewProps } from './App.tsx'
import { AboutPanel } from './module/AboutPanel.tsx'
import { ArtifactsPanel } from './module/ArtifactsPanel.tsx'
import { AuditTrail } from './module/AuditTrail.tsx'
import { ModuleActions } from './module/ModuleActions.tsx'
import { ModuleHeader } from './module/ModuleHeader.tsx'
import { RecordPanel } from './module/RecordPanel.tsx'
import { StatusNotice } from './module/StatusNotice.tsx'
import { VerificationPanel } from './module/VerificationPanel.tsx'
import { VersionHistory } from './module/VersionHistory.tsx'
import { Alert } from './ui/Alert.tsx'

export function ModuleView({ query }: ViewProps) {
  const key = query.get('key') ?? ''
  const module = useModule(key === '' ? undefined : key)
  const details = valueOf(module)
  const record = details?.record ?? undefined
  // The trail is read once the record is found, as the rest of the page.
  const audit = useAuditTrail(record === undefined ? undefined : key)
  const metadata = verifiedMetadata(details)
  const earlier = useVersionHistory(metadata)
  const { reload: reloadModule } = module
  const { reload: reloadAudit } = audit
  const reload = useCallback(() => { reloadModule(); reloadAudit() }, [reloadModule, reloadAudit])

  if (key === '') return <Alert tone="error">No module key in the address: open a module from Browse.</Alert>
  if (module.state === 'error') return <Alert tone="error">{module.error}</Alert>
  if (details === undefined) return <p className="text-slate-500">Reading module {shortHex(key)} through the light client…</p>
  if (record === undefined) return <Alert tone="warning">No module is registered under {key} (finalized block #{details.at.blockNumber}).</Alert>

  return (
    <article className="space-y-8" aria-labelledby="module-title">
      <ModuleHeader record={record} metadata={metadata} />
      <StatusNotice record={record} status={details.status} />
      <VerificationPanel record={record} details={details} />
      <section aria-labelledby="record-title" className="grid gap-6 md:grid-cols-2">
        <RecordPanel record={record} />
        {metadata && <AboutPanel metadata={metadata} />}
      </section>
      <ModuleActions record={record} offer={details.status?.transferOffer} onChanged={reload} />
      {metadata?.artifacts && metadata.artifacts.length > 0 && <ArtifactsPanel artifacts={metadata.artifacts} />}
      {metadata && <VersionHistory record={record} current={metadata} earlier={earlier} audit={audit} status={details.status} />}
      <AuditTrail audit={audit} />
    </article>
  )
}
