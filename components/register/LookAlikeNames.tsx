/** Other modules whose names could be taken for the one being chosen: names are claims in metadata, the key is the module. */
import { describeLookAlike, type LookAlike } from '../../lib/types/names.ts'
import { Alert } from '../ui/Alert.tsx'

export function LookAlikeNames({ alikes }: { alikes: LookAlike[] }) {
  if (alikes.length === 0) return null
  return (
    <Alert tone="warning" data-testid="name-look-alikes">
      <p>Names are not unique; a module is its key. Readers may take this name for another module's:</p>
      <ul className="mt-1 list-disc pl-5 text-sm">
        {alikes.slice(0, 5).map((alike) => <li key={alike.key} className="break-all">{describeLookAlike(alike)}</li>)}
      </ul>
    </Alert>
  )
}
