'use client'
/** A module: on-chain record and metadata, each marked with how it was verified, artifacts and history. */
import { useEffect, useState, type ReactNode } from 'react'
import type { RegistryEvent } from '../lib/types/chain.ts'
import type { ModuleMetadata } from '../lib/types/metadata.ts'
import { auditTrail, type AuditEntry } from '../lib/web/audit.ts'
import { history, moduleDetails, shortHex, type HistoryEntry, type ModuleDetails } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { DownloadCard } from './DownloadCard.tsx'
import { ModuleActions } from './ModuleActions.tsx'
import { SiteLink, viewHref } from './SiteLink.tsx'
import { VerificationItem, type Mark } from './Verification.tsx'

export function ModuleView() {
  const [key, setKey] = useState<string | undefined>()
  const [details, setDetails] = useState<ModuleDetails | undefined>()
  const [versions, setVersions] = useState<HistoryEntry[] | undefined>()
  const [audit, setAudit] = useState<AuditEntry[] | string | undefined>()
  const [error, setError] = useState<string | undefined>()

  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    const requested = new URLSearchParams(window.location.search).get('key') ?? ''
    setKey(requested)
    if (requested === '') return setError('No module key in the address: open a module from Browse.')
    let cancelled = false
    void (async () => {
      try {
        const { client, ipfs, config } = await session()
        const loaded = await moduleDetails(client, ipfs, requested)
        if (cancelled) return
        setDetails(loaded)
        void auditTrail(client, config.gateway, requested).then(
          (entries) => { if (!cancelled) setAudit(entries) },
          (failure: Error) => { if (!cancelled) setAudit(failure.message) })
        if (loaded.metadata?.state === 'verified') {
          const earlier = await history(ipfs, loaded.metadata.metadata)
          if (!cancelled) setVersions(earlier)
        }
      } catch (failure) {
        if (!cancelled) setError((failure as Error).message)
      }
    })()
    return () => { cancelled = true }
  }, [generation])

  if (error) return <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-4 text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">{error}</p>
  if (details === undefined) return <p className="text-slate-500">Reading module {key ? shortHex(key) : ''} through the light client…</p>
  const { record, at, metadata, signature } = details
  if (record === null) return <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">No module is registered under {key} (finalized block #{at.blockNumber}).</p>

  const meta: ModuleMetadata | undefined = metadata?.state === 'verified' ? metadata.metadata : undefined
  const metadataMark: Mark = metadata?.state === 'failed' ? 'fail' : 'ok'
  const schemaMark: Mark = metadata?.state === 'verified' ? 'ok' : metadata?.state === 'invalid' ? 'warn' : 'fail'
  const signatureMark: Mark = signature?.status === 'valid' ? 'ok' : signature?.status === 'invalid' ? 'fail' : 'warn'

  return (
    <article className="space-y-8" aria-labelledby="module-title">
      <header>
        <p className="text-sm text-slate-500">Module</p>
        <h1 id="module-title" className="text-3xl font-semibold tracking-tight">{meta?.name ?? shortHex(record.key)} {meta && <span className="ml-2 align-middle text-base font-normal text-slate-500">v{meta.version}</span>}</h1>
        {meta?.description && <p className="mt-2 max-w-3xl text-slate-700 dark:text-slate-300">{meta.description}</p>}
        <div className="mt-3 flex flex-wrap items-start gap-2">
          <SiteLink href={viewHref('register', { key: record.key })} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Publish a new version</SiteLink>
          <DownloadCard moduleKey={record.key} />
        </div>
        {meta?.keywords && <ul className="mt-3 flex flex-wrap gap-2" aria-label="Keywords">{meta.keywords.map((k) => <li key={k} className="rounded-full bg-slate-200 px-2.5 py-0.5 text-xs dark:bg-slate-800">{k}</li>)}</ul>}
      </header>

      <section aria-labelledby="verification-title" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 id="verification-title" className="mb-4 text-lg font-semibold">Verification</h2>
        <ul className="space-y-4">
          <VerificationItem testId="verify-record" mark="ok" title="On-chain record"
            detail={`Storage proof checked by the smoldot light client against finalized block #${at.blockNumber} (${shortHex(at.blockHash, 8)}).`} />
          <VerificationItem testId="verify-metadata" mark={metadataMark} title="Metadata bytes"
            detail={metadata?.state === 'failed' ? `Not shown: ${metadata.error}` : `Hash matches the registered CID ${record.cid}.`} />
          {metadata?.state !== 'failed' && <VerificationItem testId="verify-schema" mark={schemaMark} title="Schema"
            detail={metadata?.state === 'verified' ? 'Valid modnet/module-metadata/v1 document.' : `Does not match the schema: ${metadata?.state === 'invalid' ? metadata.problems.join('; ') : ''}`} />}
          {metadata?.state !== 'failed' && <VerificationItem testId="verify-signature" mark={signatureMark} title="Signature by the module key"
            detail={signature?.status === 'valid' ? 'Valid: the module key signed this document.' : signature?.status === 'absent' ? 'Absent: the document is not signed.' : `Invalid: ${signature?.reason ?? 'does not verify'}.`} />}
        </ul>
      </section>

      <section aria-labelledby="record-title" className="grid gap-6 md:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h2 id="record-title" className="mb-3 text-lg font-semibold">On-chain record</h2>
          <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
            <Field label="Key"><code className="break-all" data-testid="record-key">{record.key}</code></Field>
            <Field label="Owner"><code className="break-all" data-testid="record-owner">{record.owner}</code></Field>
            <Field label="Metadata CID"><code className="break-all" data-testid="record-cid">{record.cid}</code></Field>
            <Field label="Revision"><span data-testid="record-revision">{record.revision}</span></Field>
            <Field label="Registered">block #{record.registeredAt}</Field>
            <Field label="Updated">block #{record.updatedAt}</Field>
            <Field label="Deposit">{formatUnits(record.deposit)} MODNET</Field>
          </dl>
        </div>
        {meta && (
          <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 className="mb-3 text-lg font-semibold">About</h2>
            <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
              {meta.license && <Field label="License">{meta.license}</Field>}
              {meta.authors && <Field label="Authors">{meta.authors.map((a) => a.name).join(', ')}</Field>}
              {meta.repository && <Field label="Repository"><a className="break-all text-indigo-700 hover:underline dark:text-indigo-300" href={meta.repository} rel="noopener noreferrer">{meta.repository}</a></Field>}
              {meta.homepage && <Field label="Homepage"><a className="break-all text-indigo-700 hover:underline dark:text-indigo-300" href={meta.homepage} rel="noopener noreferrer">{meta.homepage}</a></Field>}
              {meta.created && <Field label="Created">{meta.created}</Field>}
              {meta.dependencies && <Field label="Dependencies">{Object.entries(meta.dependencies).map(([n, r]) => `${n} ${r}`).join(', ')}</Field>}
            </dl>
          </div>
        )}
      </section>

      <ModuleActions record={record} onChanged={() => setGeneration((n) => n + 1)} />

      {meta?.artifacts && meta.artifacts.length > 0 && (
        <section aria-labelledby="artifacts-title" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h2 id="artifacts-title" className="mb-3 text-lg font-semibold">Artifacts</h2>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500"><tr><th scope="col" className="py-2">Name</th><th scope="col">CID</th><th scope="col">Type</th><th scope="col" className="text-right">Size</th></tr></thead>
            <tbody>{meta.artifacts.map((a) => (
              <tr key={a.cid} className="border-t border-slate-100 dark:border-slate-800"><td className="py-2">{a.name ?? '–'}</td><td className="font-mono text-xs" title={a.cid}>{shortHex(a.cid, 10)}</td><td>{a.mediaType}</td><td className="text-right">{a.size.toLocaleString()} B</td></tr>
            ))}</tbody>
          </table>
        </section>
      )}

      {meta && (
        <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h2 id="history-title" className="mb-3 text-lg font-semibold">Version history</h2>
          <ol className="space-y-2 text-sm" data-testid="history">
            <li className="flex flex-wrap gap-x-3"><b>v{meta.version}</b><span className="text-slate-500">current · revision {record.revision}</span><code className="text-xs">{shortHex(record.cid, 10)}</code></li>
            {versions === undefined && meta.previous && <li className="text-slate-500">Following previous versions…</li>}
            {versions?.map((entry) => (
              <li key={entry.cid} className="flex flex-wrap gap-x-3">
                <b>{entry.result.state === 'verified' ? `v${entry.result.metadata.version}` : 'unavailable'}</b>
                <span className="text-slate-500">{entry.result.state === 'verified' ? 'hash-checked' : entry.result.state === 'failed' ? entry.result.error : 'invalid document'}</span>
                <code className="text-xs">{shortHex(entry.cid, 10)}</code>
              </li>
            ))}
          </ol>
        </section>
      )}
      <section aria-labelledby="audit-title" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 id="audit-title" className="mb-1 text-lg font-semibold">Audit trail</h2>
        <p className="mb-3 text-xs text-slate-500">The gateway names the blocks; the light client reads each block's events itself.</p>
        {audit === undefined && <p className="text-sm text-slate-500">Reading events…</p>}
        {typeof audit === 'string' && <p className="text-sm text-slate-500">Unavailable: {audit}</p>}
        {Array.isArray(audit) && audit.length === 0 && <p className="text-sm text-slate-500">No events indexed for this module.</p>}
        {Array.isArray(audit) && audit.length > 0 && (
          <ol className="space-y-2 text-sm" data-testid="audit">
            {audit.map((entry, i) => entry.state === 'proved' ? (
              <li key={i} data-state="proved" className="flex flex-wrap items-baseline gap-x-3">
                <span className="text-emerald-600" aria-label="proved">✓</span>
                <span className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800">#{entry.event.blockNumber}</span>
                <b>{entry.event.type}</b>
                <span className="text-slate-600 dark:text-slate-400">{auditText(entry.event)}</span>
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
      </section>
    </article>
  )
}

function auditText(event: RegistryEvent): string {
  switch (event.type) {
    case 'ModuleRegistered': return `by ${shortHex(event.owner, 5)}, metadata ${shortHex(event.cid, 8)}`
    case 'ModuleUpdated': return `revision ${event.revision}, metadata ${shortHex(event.newCid, 8)}`
    case 'ModuleRemoved': return `by ${shortHex(event.owner, 5)}`
    case 'OwnershipTransferred': return `${shortHex(event.from, 5)} → ${shortHex(event.to, 5)}`
  }
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return <><dt className="text-slate-500">{label}</dt><dd>{children}</dd></>
}

/** A balance in the chain's smallest unit (12 decimals) as a decimal string. */
function formatUnits(value: bigint, decimals = 12): string {
  const whole = value / 10n ** BigInt(decimals)
  const fraction = (value % 10n ** BigInt(decimals)).toString().padStart(decimals, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : whole.toString()
}
