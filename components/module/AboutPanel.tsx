/** What the verified metadata says about the module besides its name: license, authors, links, dependencies. */
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import { KeyValue, KeyValueList } from '../ui/KeyValue.tsx'
import { Panel, PanelTitle } from '../ui/Panel.tsx'

const LINK = 'break-all text-indigo-700 hover:underline dark:text-indigo-300'

export function AboutPanel({ metadata }: { metadata: ModuleMetadata }) {
  const { license, authors, repository, homepage, created, dependencies } = metadata
  return (
    <Panel>
      <PanelTitle>About</PanelTitle>
      <KeyValueList>
        {license && <KeyValue label="License">{license}</KeyValue>}
        {authors && <KeyValue label="Authors">{authors.map((a) => a.name).join(', ')}</KeyValue>}
        {repository && <KeyValue label="Repository"><a className={LINK} href={repository} rel="noopener noreferrer">{repository}</a></KeyValue>}
        {homepage && <KeyValue label="Homepage"><a className={LINK} href={homepage} rel="noopener noreferrer">{homepage}</a></KeyValue>}
        {created && <KeyValue label="Created">{created}</KeyValue>}
        {dependencies && <KeyValue label="Dependencies">{Object.entries(dependencies).map(([n, d]) => (typeof d === 'string' ? `${n} ${d} (by name only)` : `${n}${d.version === undefined ? '' : ` ${d.version}`} (key ${d.key.slice(0, 10)}…${d.cid === undefined ? '' : `, pinned ${d.cid.slice(0, 12)}…`})`)).join(', ')}</KeyValue>}
      </KeyValueList>
    </Panel>
  )
}
