/** The document the fields make, as it will be uploaded (on update the flow may still add `previous`, and a signature by the module key when this browser or its wallet holds it). */
import { Panel } from '../ui/Panel.tsx'

export function DocumentPreview({ doc }: { doc: unknown }) {
  return (
    <Panel as="details" className="text-sm">
      <summary className="cursor-pointer font-semibold">Document preview</summary>
      <pre className="mt-3 overflow-x-auto text-xs">{JSON.stringify(doc, null, 2)}</pre>
    </Panel>
  )
}
