/** One page of modules: name (from the hash-checked metadata), version, key, owner, revision, last update. */
import type { RowMetadata } from '../../hooks/useBrowse.ts'
import type { ModuleRecord } from '../../lib/types/chain.ts'
import { describeLookAlike, type LookAlike } from '../../lib/types/names.ts'
import { shortHex } from '../../lib/web/modules.ts'
import { SiteLink, viewHref } from '../SiteLink.tsx'
import { Panel } from '../ui/Panel.tsx'

const COLUMNS = [
  { label: 'Name', className: 'px-4 py-3' },
  { label: 'Version', className: 'px-4 py-3' },
  { label: 'Key', className: 'hidden px-4 py-3 sm:table-cell' },
  { label: 'Owner', className: 'hidden px-4 py-3 md:table-cell' },
  { label: 'Revision', className: 'px-4 py-3 text-right' },
  { label: 'Updated', className: 'px-4 py-3 text-right' },
]

/** `rows` undefined: the first page is not read yet. `empty`: what to say when there are no rows. */
export function ModuleTable({ rows, empty, metadataOf, lookAlikesOf }: {
  rows: ModuleRecord[] | undefined
  empty: string
  metadataOf(record: ModuleRecord): RowMetadata | undefined
  lookAlikesOf(record: ModuleRecord): LookAlike[]
}) {
  return (
    <Panel padding="none" className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60">
          <tr>{COLUMNS.map((column) => <th key={column.label} scope="col" className={column.className}>{column.label}</th>)}</tr>
        </thead>
        <tbody data-testid="module-rows">
          {rows === undefined && <MessageRow text="Waiting for the light client…" />}
          {rows?.length === 0 && <MessageRow text={empty} />}
          {rows?.map((record) => <ModuleRow key={record.key} record={record} doc={metadataOf(record)} alikes={lookAlikesOf(record)} />)}
        </tbody>
      </table>
    </Panel>
  )
}

function MessageRow({ text }: { text: string }) {
  return <tr><td colSpan={COLUMNS.length} className="px-4 py-8 text-center text-slate-500">{text}</td></tr>
}

function ModuleRow({ record, doc, alikes }: { record: ModuleRecord; doc: RowMetadata | undefined; alikes: LookAlike[] }) {
  const meta = doc?.state === 'verified' || doc?.state === 'indexed' ? doc.metadata : undefined
  return (
    <tr className="border-b border-slate-100 last:border-0 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50">
      <td className="px-4 py-3">
        <SiteLink href={viewHref('module', { key: record.key })} title={doc?.state === 'failed' ? doc.error : undefined} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{rowLabel(doc)}</SiteLink>
        {alikes.length > 0 && (
          <p className="mt-0.5 text-xs text-amber-700 dark:text-amber-400" data-testid="look-alike" title={alikes.map(describeLookAlike).join('\n')}>
            ⚠ looks like {alikes.length === 1 ? `"${alikes[0]!.name}" (${shortHex(alikes[0]!.key)})` : `${alikes.length} other modules`}: names are not unique, the key is the module
          </p>
        )}
        {meta?.description && <p className="mt-0.5 line-clamp-1 text-xs text-slate-500">{meta.description}</p>}
      </td>
      <td className="px-4 py-3">{meta?.version ?? '–'}</td>
      <td className="hidden px-4 py-3 font-mono text-xs sm:table-cell" title={record.key}>{shortHex(record.key)}</td>
      <td className="hidden px-4 py-3 font-mono text-xs md:table-cell" title={record.owner}>{shortHex(record.owner, 5)}</td>
      <td className="px-4 py-3 text-right">{record.revision}</td>
      <td className="px-4 py-3 text-right">#{record.updatedAt}</td>
    </tr>
  )
}

function rowLabel(doc: RowMetadata | undefined): string {
  if (doc === undefined) return 'loading…'
  if (doc.state === 'indexed' || doc.state === 'verified') return doc.metadata.name
  return doc.state === 'failed' ? 'metadata unavailable' : 'invalid metadata'
}
