'use client'
/** Live feed: registry events as their blocks are finalized (read through the light client). */
import { useRegistryFeed } from '../hooks/useRegistryFeed.ts'
import type { RegistryEvent } from '../lib/types/chain.ts'
import { shortHex } from '../lib/web/modules.ts'
import { SiteLink, viewHref } from './SiteLink.tsx'
import { Alert } from './ui/Alert.tsx'
import { BlockBadge } from './ui/Badge.tsx'
import { PageHeading } from './ui/PageHeading.tsx'
import { Panel } from './ui/Panel.tsx'

const STATE = {
  starting: 'Starting the light client…',
  following: 'Following finalized blocks: new registry events appear here as they finalize.',
  error: 'Not following finalized blocks.',
}

export function FeedView() {
  const feed = useRegistryFeed()
  return (
    <section aria-labelledby="feed-title" className="space-y-6">
      <PageHeading id="feed-title" title="Live feed" description={STATE[feed.state]} />
      {feed.state === 'error' && <Alert tone="error">{feed.error}</Alert>}
      <Panel as="ol" padding="none" className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="feed" aria-live="polite">
        {feed.events.length === 0 && <li className="px-4 py-6 text-center text-sm text-slate-500">No registry events since this page opened.</li>}
        {feed.events.map((event) => (
          <li key={`${event.blockHash}-${event.type}-${event.key}`} className="flex flex-wrap items-baseline gap-x-3 px-4 py-3 text-sm">
            <BlockBadge number={event.blockNumber} />
            <span className="font-medium">{event.type}</span>
            <SiteLink href={viewHref('module', { key: event.key })} className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300">{shortHex(event.key)}</SiteLink>
            <span className="text-slate-600 dark:text-slate-400">{describe(event)}</span>
          </li>
        ))}
      </Panel>
    </section>
  )
}

function describe(event: RegistryEvent): string {
  switch (event.type) {
    case 'ModuleRegistered': return `registered by ${shortHex(event.owner, 5)} → ${shortHex(event.cid, 8)}`
    case 'ModuleUpdated': return `updated to revision ${event.revision} → ${shortHex(event.newCid, 8)}`
    case 'ModuleRemoved': return `removed by ${shortHex(event.owner, 5)}`
    case 'OwnershipTransferred': return `transferred ${shortHex(event.from, 5)} → ${shortHex(event.to, 5)}`
    case 'TransferOffered': return `offered to ${shortHex(event.to, 5)} until block ${event.expiresAt}`
    case 'TransferCancelled': return `offer to ${shortHex(event.to, 5)} cancelled`
    case 'RevisionYanked': return event.yanked ? `revision ${event.revision} yanked` : `revision ${event.revision} restored`
    case 'DeprecationSet': return event.note === undefined ? 'no longer deprecated' : `deprecated: ${event.note}`
  }
}
