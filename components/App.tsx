'use client'
/**
 * The whole app on one static page, views picked by the query string
 * (`?view=module&key=0x…`). One HTML file keeps every asset URL relative to
 * the same place, so the export works from any base path, including an IPFS
 * gateway's /ipfs/<cid>/ (nested export pages would need `../_next/`).
 * Each view is its own chunk, loaded when shown: the first load stays small.
 */
import { lazy, Suspense, useEffect, useState } from 'react'
import { Shell } from './Shell.tsx'

export type View = 'browse' | 'module' | 'register' | 'mine' | 'feed'

const VIEWS = {
  browse: lazy(() => import('./BrowseView.tsx').then((m) => ({ default: m.BrowseView }))),
  module: lazy(() => import('./ModuleView.tsx').then((m) => ({ default: m.ModuleView }))),
  register: lazy(() => import('./RegisterView.tsx').then((m) => ({ default: m.RegisterView }))),
  mine: lazy(() => import('./MineView.tsx').then((m) => ({ default: m.MineView }))),
  feed: lazy(() => import('./FeedView.tsx').then((m) => ({ default: m.FeedView }))),
}

export function App() {
  const [view, setView] = useState<View | undefined>()
  useEffect(() => {
    const requested = new URLSearchParams(window.location.search).get('view') ?? 'browse'
    setView(requested in VIEWS ? (requested as View) : 'browse')
  }, [])
  const Current = view === undefined ? undefined : VIEWS[view]
  return (
    <Shell page={view ?? 'browse'}>
      <Suspense fallback={<p className="text-slate-500">Loading…</p>}>{Current && <Current />}</Suspense>
    </Shell>
  )
}
