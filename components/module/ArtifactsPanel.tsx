/** The artifacts the metadata lists, by CID. */
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import { shortHex } from '../../lib/web/modules.ts'
import { PanelSection } from '../ui/Panel.tsx'

export function ArtifactsPanel({ artifacts }: { artifacts: NonNullable<ModuleMetadata['artifacts']> }) {
  return (
    <PanelSection id="artifacts" title="Artifacts">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500"><tr><th scope="col" className="py-2">Name</th><th scope="col">CID</th><th scope="col">Type</th><th scope="col" className="text-right">Size</th></tr></thead>
        <tbody>{artifacts.map((a) => (
          <tr key={a.cid} className="border-t border-slate-100 dark:border-slate-800"><td className="py-2">{a.name ?? '–'}</td><td className="font-mono text-xs" title={a.cid}>{shortHex(a.cid, 10)}</td><td>{a.mediaType}</td><td className="text-right">{a.size.toLocaleString()} B</td></tr>
        ))}</tbody>
      </table>
    </PanelSection>
  )
}
