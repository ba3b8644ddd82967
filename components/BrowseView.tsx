'use client'
/**
 * Browse: the registry a page at a time, read from the chain at one finalized
 * block; search over the metadata indexed so far (hash-checked documents, kept
 * in this browser).
 */
import { useBrowse, type Browse } from '../hooks/useBrowse.ts'
import { IndexProgress } from './browse/IndexProgress.tsx'
import { ModuleTable } from './browse/ModuleTable.tsx'
import { Pager } from './browse/Pager.tsx'
import { Alert } from './ui/Alert.tsx'
import { LabeledControl, TextInput } from './ui/FormControls.tsx'
import { PageHeading } from './ui/PageHeading.tsx'

export function BrowseView() {
  const browse = useBrowse()
  const { count, at, query } = browse
  return (
    <section aria-labelledby="browse-title" className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <PageHeading id="browse-title" title="Modules" description={count === undefined
          ? 'Reading the registry through the light client…'
          : <><b data-testid="module-count">{count}</b> registered (<code>ModuleCount</code>), listed a page at a time at finalized block #{at?.blockNumber}, each read checked by the light client.</>}>
          {count !== undefined && <IndexProgress browse={browse} count={count} />}
        </PageHeading>
        <LabeledControl label="Search name, description, keywords" className="w-full max-w-sm">
          <TextInput type="search" value={query} onChange={(e) => browse.setQuery(e.target.value)} placeholder="e.g. hello" />
        </LabeledControl>
      </div>
      {browse.error && <Alert tone="error">{browse.error}</Alert>}
      <ModuleTable rows={browse.rows} empty={emptyText(browse)} metadataOf={browse.metadataOf} lookAlikesOf={browse.lookAlikesOf} />
      {browse.pages > 1 && <Pager browse={browse} />}
    </section>
  )
}

/** Why a page has no rows: an empty registry, no match, or no match yet. */
function emptyText({ query, progress }: Browse): string {
  if (query.trim() === '') return 'No modules registered yet.'
  return progress.done ? 'No module matches.' : `No match among the ${progress.indexed} modules indexed so far.`
}
