/** Previous / next page, and while searching how many modules match among those indexed so far. */
import type { Browse } from '../../hooks/useBrowse.ts'
import { Button } from '../ui/Button.tsx'

export function Pager({ browse }: { browse: Browse }) {
  const { page, pages, turning, progress } = browse
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
      {browse.query.trim() !== '' && <span className="mr-auto text-slate-500">{browse.matches} match{browse.matches === 1 ? '' : 'es'} among {progress.listed} modules{progress.done ? '' : ' indexed so far'}</span>}
      <Button disabled={page === 0 || turning} onClick={browse.previous}>Previous</Button>
      <span aria-live="polite">Page {page + 1} of {pages}</span>
      <Button disabled={page + 1 >= pages || turning} onClick={browse.next}>Next</Button>
    </nav>
  )
}
