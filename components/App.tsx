'use client'
/**
 * The whole app on one static page, views picked by the query string
 * (`?view=module&key=0x…`), which each view gets as `query`. One HTML file
 * keeps every asset URL relative to the same place, so the export works from
 * any base path, including an IPFS gateway's /ipfs/<cid>/ (nested export
 * pages would need `../_next/`). Each view is its own chunk, loaded when
 * shown: the first load stays small.
 */
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react'
import { useLocationQuery } from '../hooks/useLocationQuery.ts'
import { Shell } from './Shell.tsx'

export type View = 'browse' | 'module' | 'register' | 'mine' | 'feed'

/** What every view is given: the page's query string (read after mount, so never during the static prerender). */
export interface ViewProps {
  query: URLSearchParams
}

const VIEWS: Record<View, LazyExoticComponent<ComponentType<ViewProps>>> = {
  browse: lazy(() => import('./BrowseView.tsx').then((m) => ({ default: m.BrowseView }))),
  module: lazy(() => import('./ModuleView.tsx').then((m) => ({ default: m.ModuleView }))),
  register: lazy(() => import('./RegisterView.tsx').then((m) => ({ default: m.RegisterView }))),
  mine: lazy(() => import('./MineView.tsx').then((m) => ({ default: m.MineView }))),
  feed: lazy(() => import('./FeedView.tsx').then((m) => ({ default: m.FeedView }))),
}

function viewOf(query: URLSearchParams): View {
  const requested = query.get('view') ?? 'browse'
  return requested in VIEWS ? (requested as View) : 'browse'
}

export function App() {
  const query = useLocationQuery()
  const view = query === undefined ? undefined : viewOf(query)
  const Current = view === undefined ? undefined : VIEWS[view]
  return (
    <Shell page={view ?? 'browse'}>
      <Suspense fallback={<p className="text-slate-500">Loading…</p>}>{Current && query && <Current query={query} />}</Suspense>
    </Shell>
  )
}
