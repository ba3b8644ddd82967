'use client'
/** Live feed: registry events as their blocks are finalized (read through the light client). */
import { useEffect, useState } from 'react'
import type { RegistryEvent } from '../lib/types/chain.ts'
import { session } from '../lib/web/session.ts'
import { shortHex } from '../lib/web/modules.ts'
import { SiteLink, viewHref } from './SiteLink.tsx'

const MAX_EVENTS = 200

function describe(event: RegistryEvent): string {
  switch (event.type) {
    case 'ModuleRegistered': return `registered by ${shortHex(event.owner, 5)} → ${shortHex(event.cid, 8)}`
    case 'ModuleUpdated': return `updated to revision ${event.revision} → ${shortHex(event.newCid, 8)}`
    case 'ModuleRemoved': return `removed by ${shortHex(event.owner, 5)}`
    case 'OwnershipTransferred': return `transferred ${shortHex(event.from, 5)} → ${shortHex(event.to, 5)}`
  }
}

export function FeedView() {
  const [events, setEvents] = useState<RegistryEvent[]>([])
  const [following, setFollowing] = useState(false)
  const [error, setError] = useState<string | undefined>()

  useEffect(() => {
    let unsubscribe: (() => void) | undefined
    let cancelled = false
    void (async () => {
      try {
        const { client } = await session()
        unsubscribe = await client.watchEvents((batch) => {
          if (!cancelled) setEvents((current) => [...batch.slice().reverse(), ...current].slice(0, MAX_EVENTS))
        }, (failure) => setError(failure.message))
        if (cancelled) unsubscribe()
        else setFollowing(true)
      } catch (failure) {
        if (!cancelled) setError((failure as Error).message)
      }
    })()
    return () => { cancelled = true; unsubscribe?.() }
  }, [])

  return (
    <section aria-labelledby="feed-title" className="space-y-6">
      <div>
        <h1 id="feed-title" className="text-2xl font-semibold tracking-tight">Live feed</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{following ? 'Following finalized blocks: new registry events appear here as they finalize.' : 'Starting the light client…'}</p>
      </div>
      {error && <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
      <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" data-testid="feed" aria-live="polite">
        {events.length === 0 && <li className="px-4 py-6 text-center text-sm text-slate-500">No registry events since this page opened.</li>}
        {events.map((event) => (
          <li key={`${event.blockHash}-${event.type}-${event.key}`} className="flex flex-wrap items-baseline gap-x-3 px-4 py-3 text-sm">
            <span className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800">#{event.blockNumber}</span>
            <span className="font-medium">{event.type}</span>
            <SiteLink href={viewHref('module', { key: event.key })} className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300">{shortHex(event.key)}</SiteLink>
            <span className="text-slate-600 dark:text-slate-400">{describe(event)}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
