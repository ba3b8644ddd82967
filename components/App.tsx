'use client'
/**
 * The whole app on one static page, views picked by the query string
 * (`?view=module&key=0x…`). One HTML file keeps every asset URL relative to
 * the same place, so the export works from any base path, including an IPFS
 * gateway's /ipfs/<cid>/ (nested export pages would need `../_next/`).
 */
import { useEffect, useState } from 'react'
import { BrowseView } from './BrowseView.tsx'
import { ModuleView } from './ModuleView.tsx'
import { FeedView } from './FeedView.tsx'
import { MineView } from './MineView.tsx'
import { RegisterView } from './RegisterView.tsx'
import { Shell } from './Shell.tsx'

export type View = 'browse' | 'module' | 'register' | 'mine' | 'feed'

const VIEWS: View[] = ['browse', 'module', 'register', 'mine', 'feed']

export function App() {
  const [view, setView] = useState<View | undefined>()
  useEffect(() => {
    const requested = new URLSearchParams(window.location.search).get('view') ?? 'browse'
    setView((VIEWS as string[]).includes(requested) ? (requested as View) : 'browse')
  }, [])
  return (
    <Shell page={view ?? 'browse'}>
      {view === 'browse' && <BrowseView />}
      {view === 'module' && <ModuleView />}
      {view === 'register' && <RegisterView />}
      {view === 'mine' && <MineView />}
      {view === 'feed' && <FeedView />}
    </Shell>
  )
}
