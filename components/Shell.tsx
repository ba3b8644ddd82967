'use client'
/** Every page's frame: header with navigation, status bar, content. */
import type { ReactNode } from 'react'
import { SiteLink, viewHref } from './SiteLink.tsx'
import { StatusBar } from './StatusBar.tsx'

const NAV = [
  { id: 'browse', label: 'Browse' },
  { id: 'register', label: 'Register' },
  { id: 'mine', label: 'My modules' },
  { id: 'feed', label: 'Live feed' },
]

export function Shell({ page, children }: { page: string; children: ReactNode }) {
  return (
    <>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <SiteLink href={viewHref('browse')} className="flex items-center gap-2 text-lg font-semibold tracking-tight">
            <span className="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 text-sm font-bold text-white" aria-hidden="true">M</span>
            Mod-Net
          </SiteLink>
          <nav aria-label="Main" className="flex flex-wrap gap-1 text-sm">
            {NAV.map((item) => (
              <SiteLink key={item.id} href={viewHref(item.id)} aria-current={item.id === page ? 'page' : undefined}
                className={`whitespace-nowrap rounded-md px-3 py-1.5 ${item.id === page ? 'bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}>
                {item.label}
              </SiteLink>
            ))}
          </nav>
        </div>
        <StatusBar />
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  )
}
