'use client'
/** Browse: every module at one finalized block, searchable over verified metadata, paged. */
import { useEffect, useMemo, useState } from 'react'
import type { ModuleRecord, ReadProof } from '../lib/types/chain.ts'
import { allModules, eachLimited, matches, metadataFor, shortHex, type MetadataResult } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { SiteLink, viewHref } from './SiteLink.tsx'

const PAGE_SIZE = 25

export function BrowseView() {
  const [records, setRecords] = useState<ModuleRecord[] | undefined>()
  const [count, setCount] = useState<number | undefined>()
  const [at, setAt] = useState<ReadProof | undefined>()
  const [metadata, setMetadata] = useState<Record<string, MetadataResult>>({})
  const [error, setError] = useState<string | undefined>()
  const [query, setQuery] = useState('')
  const [page, setPage] = useState(0)

  useEffect(() => {
    let cancelled = false
    void (async () => {
      try {
        const { client, ipfs } = await session()
        const result = await allModules(client, (loaded) => { if (!cancelled) setRecords([...loaded]) })
        if (cancelled) return
        setRecords(result.modules)
        setCount(result.count)
        setAt(result.at)
        // Metadata for search: fetched and verified in the background, a few at a time,
        // and handed to React in batches (one render per document would be quadratic).
        let pending: Record<string, MetadataResult> = {}
        const flush = () => {
          if (cancelled || Object.keys(pending).length === 0) return
          const batch = pending
          pending = {}
          setMetadata((current) => ({ ...current, ...batch }))
        }
        const timer = setInterval(flush, 300)
        try {
          await eachLimited(result.modules, 8, async (record) => {
            // Await first: `pending[cid] = await …` would pick the object before a flush replaces it.
            const fetched = await metadataFor(ipfs, record.cid)
            pending[record.cid] = fetched
          })
        } finally {
          clearInterval(timer)
          flush()
        }
      } catch (failure) {
        if (!cancelled) setError((failure as Error).message)
      }
    })()
    return () => { cancelled = true }
  }, [])

  const filtered = useMemo(() => (records ?? []).filter((record) => {
    const doc = metadata[record.cid]
    return matches(query, record, doc?.state === 'verified' ? doc.metadata : undefined)
  }), [records, metadata, query])
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE))
  const shown = filtered.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
  const verifiedCount = Object.values(metadata).filter((m) => m.state === 'verified').length
  const failedCount = Object.values(metadata).filter((m) => m.state !== 'verified').length

  return (
    <section aria-labelledby="browse-title" className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="browse-title" className="text-2xl font-semibold tracking-tight">Modules</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {count === undefined
              ? 'Reading the registry through the light client…'
              : <><b data-testid="module-count">{count}</b> registered (<code>ModuleCount</code>), read at finalized block #{at?.blockNumber} with a storage proof; metadata verified for {verifiedCount} of {records?.length ?? 0}{failedCount > 0 ? `, ${failedCount} unavailable or invalid` : ''}.</>}
          </p>
        </div>
        <label className="block w-full max-w-sm text-sm">
          <span className="mb-1 block font-medium">Search name, description, keywords</span>
          <input type="search" value={query} onChange={(e) => { setQuery(e.target.value); setPage(0) }} placeholder="e.g. hello"
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm dark:border-slate-700 dark:bg-slate-900" />
        </label>
      </div>

      {error && <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">{error}</p>}

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60">
            <tr><th scope="col" className="px-4 py-3">Name</th><th scope="col" className="px-4 py-3">Version</th><th scope="col" className="hidden px-4 py-3 sm:table-cell">Key</th><th scope="col" className="hidden px-4 py-3 md:table-cell">Owner</th><th scope="col" className="px-4 py-3 text-right">Revision</th><th scope="col" className="px-4 py-3 text-right">Updated</th></tr>
          </thead>
          <tbody data-testid="module-rows">
            {records === undefined && <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">Waiting for the light client…</td></tr>}
            {records !== undefined && shown.length === 0 && <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">{records.length === 0 ? 'No modules registered yet.' : 'No module matches.'}</td></tr>}
            {shown.map((record) => {
              const doc = metadata[record.cid]
              const meta = doc?.state === 'verified' ? doc.metadata : undefined
              return (
                <tr key={record.key} className="border-b border-slate-100 last:border-0 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50">
                  <td className="px-4 py-3">
                    <SiteLink href={viewHref('module', { key: record.key })} title={doc?.state === 'failed' ? doc.error : undefined} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{meta?.name ?? (doc?.state === undefined ? 'loading…' : doc.state === 'failed' ? 'metadata unavailable' : 'invalid metadata')}</SiteLink>
                    {meta?.description && <p className="mt-0.5 line-clamp-1 text-xs text-slate-500">{meta.description}</p>}
                  </td>
                  <td className="px-4 py-3">{meta?.version ?? '–'}</td>
                  <td className="hidden px-4 py-3 font-mono text-xs sm:table-cell" title={record.key}>{shortHex(record.key)}</td>
                  <td className="hidden px-4 py-3 font-mono text-xs md:table-cell" title={record.owner}>{shortHex(record.owner, 5)}</td>
                  <td className="px-4 py-3 text-right">{record.revision}</td>
                  <td className="px-4 py-3 text-right">#{record.updatedAt}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>

      {pages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)} className="rounded-md border px-3 py-1.5 disabled:opacity-40 dark:border-slate-700">Previous</button>
          <span>Page {page + 1} of {pages}</span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)} className="rounded-md border px-3 py-1.5 disabled:opacity-40 dark:border-slate-700">Next</button>
        </nav>
      )}
    </section>
  )
}
