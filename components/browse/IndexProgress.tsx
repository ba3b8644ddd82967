/** How far the search index got: documents hash-checked of the modules registered, and whether this browser keeps them. */
import type { Browse } from '../../hooks/useBrowse.ts'

export function IndexProgress({ browse, count }: { browse: Browse; count: number }) {
  const { progress } = browse
  return (
    <p className="mt-1 text-xs text-slate-500" data-testid="index-progress">
      Search index: metadata of <span data-testid="indexed">{progress.indexed}</span> of {count} modules hash-checked
      {browse.persistentIndex ? ' (kept in this browser)' : ''}
      {progress.unavailable > 0 ? `, ${progress.unavailable} unavailable or invalid` : ''}
      {progress.done ? '.' : '…'}
    </p>
  )
}
