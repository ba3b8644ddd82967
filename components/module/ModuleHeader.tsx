/** A module's title (name and version, or its key when the metadata is not verified), description, keywords and what one can do with it. */
import type { ModuleRecord } from '../../lib/types/chain.ts'
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import { shortHex } from '../../lib/web/modules.ts'
import { SiteLink, viewHref } from '../SiteLink.tsx'
import { Badge } from '../ui/Badge.tsx'
import { buttonClass } from '../ui/Button.tsx'
import { DownloadCard } from './DownloadCard.tsx'

export function ModuleHeader({ record, metadata }: { record: ModuleRecord; metadata: ModuleMetadata | undefined }) {
  return (
    <header>
      <p className="text-sm text-slate-500">Module</p>
      <h1 id="module-title" className="text-3xl font-semibold tracking-tight">{metadata?.name ?? shortHex(record.key)} {metadata && <span className="ml-2 align-middle text-base font-normal text-slate-500">v{metadata.version}</span>}</h1>
      {metadata?.description && <p className="mt-2 max-w-3xl text-slate-700 dark:text-slate-300">{metadata.description}</p>}
      <div className="mt-3 flex flex-wrap items-start gap-2">
        <SiteLink href={viewHref('register', { key: record.key })} className={buttonClass('secondary')}>Publish a new version</SiteLink>
        <DownloadCard moduleKey={record.key} />
      </div>
      {metadata?.keywords && <ul className="mt-3 flex flex-wrap gap-2" aria-label="Keywords">{metadata.keywords.map((k) => <li key={k}><Badge variant="tag">{k}</Badge></li>)}</ul>}
    </header>
  )
}
