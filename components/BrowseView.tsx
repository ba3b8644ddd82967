'use client'
/**
 * Browse: the registry a page at a time, read from the chain at one finalized
 * block; search over the metadata indexed so far (hash-checked documents, kept
 * in this browser).
 */
import { useBrowse, type RowMetadata } from '../hooks/useBrowse.ts'
import { shortHex } from '../lib/web/modules.ts'
import { SiteLink, viewHref } from './SiteLink.tsx'

function rowLabel(doc: RowMetadata | undefined): string {
  if (doc === undefined) return 'loading…'
  if (doc.state === 'indexed' || doc.state === 'verified') return doc.metadata.name
  return doc.state === 'failed' ? 'metadata unavailable' : 'invalid metadata'
}

export function BrowseView() {
  const browse = useBrowse()
  const { count, at, rows, progress, query } = browse

  return (
    <section aria-labelledby="browse-title" className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="browse-title" className="text-2xl font-semibold tracking-tight">Modules</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {count === undefined
              ? 'Reading the registry through the light client…'
              : <><b data-testid="module-count">{count}</b> registered (<code>ModuleCount</code>), listed a page at a time at finalized block #{at?.blockNumber}, each read checked by the light client.</>}
          </p>
          {count !== undefined && (
            <p className="mt-1 text-xs text-slate-500" data-testid="index-progress">
              Search index: metadata of <span data-testid="indexed">{progress.indexed}</span> of {count} modules hash-checked
              {browse.persistentIndex ? ' (kept in this browser)' : ''}
              {progress.unavailable > 0 ? `, ${progress.unavailable} unavailable or invalid` : ''}
              {progress.done ? '.' : '…'}
            </p>
          )}
        </div>
        <label className="block w-full max-w-sm text-sm">
          <span className="mb-1 block font-medium">Search name, description, keywords</span>
          <input type="search" value={query} onChange={(e) => browse.setQuery(e.target.value)} placeholder="e.g. hello"
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm dark:border-slate-700 dark:bg-slate-900" />
        </label>
      </div>

      {browse.error && <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">{browse.error}</p>}

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60">
            <tr><th scope="col" className="px-4 py-3">Name</th><th scope="col" className="px-4 py-3">Version</th><th scope="col" className="hidden px-4 py-3 sm:table-cell">Key</th><th scope="col" className="hidden px-4 py-3 md:table-cell">Owner</th><th scope="col" className="px-4 py-3 text-right">Revision</th><th scope="col" className="px-4 py-3 text-right">Updated</th></tr>
          </thead>
          <tbody data-testid="module-rows">
            {rows === undefined && <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">Waiting for the light client…</td></tr>}
            {rows !== undefined && rows.length === 0 && <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500">{query.trim() === '' ? 'No modules registered yet.' : progress.done ? 'No module matches.' : `No match among the ${progress.indexed} modules indexed so far.`}</td></tr>}
            {rows?.map((record) => {
              const doc = browse.metadataOf(record)
              const meta = doc?.state === 'verified' || doc?.state === 'indexed' ? doc.metadata : undefined
              return (
                <tr key={record.key} className="border-b border-slate-100 last:border-0 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50">
                  <td className="px-4 py-3">
                    <SiteLink href={viewHref('module', { key: record.key })} title={doc?.state === 'failed' ? doc.error : undefined} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{rowLabel(doc)}</SiteLink>
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

      {browse.pages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
          {query.trim() !== '' && <span className="mr-auto text-slate-500">{browse.matches} match{browse.matches === 1 ? '' : 'es'} among {progress.listed} modules{progress.done ? '' : ' indexed so far'}</span>}
          <button type="button" disabled={browse.page === 0 || browse.turning} onClick={browse.previous} className="rounded-md border px-3 py-1.5 disabled:opacity-40 dark:border-slate-700">Previous</button>
          <span aria-live="polite">Page {browse.page + 1} of {browse.pages}</span>
          <button type="button" disabled={browse.page + 1 >= browse.pages || browse.turning} onClick={browse.next} className="rounded-md border px-3 py-1.5 disabled:opacity-40 dark:border-slate-700">Next</button>
        </nav>
      )}
    </section>
  )
}
