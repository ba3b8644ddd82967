'use client'
/** "Download proof": a module card (record + storage proof + finalized header + metadata) the CLI checks offline. */
import { useModuleCard } from '../../hooks/useModuleCard.ts'
import { ErrorText } from '../ui/Alert.tsx'
import { Button } from '../ui/Button.tsx'

export function DownloadCard({ moduleKey }: { moduleKey: string }) {
  const { status, download } = useModuleCard(moduleKey)
  return (
    <span className="inline-flex flex-col">
      <Button onClick={download} disabled={status.state === 'working'}>{status.state === 'working' ? 'Preparing proof…' : 'Download proof'}</Button>
      {status.state === 'error' && <ErrorText className="mt-1 text-xs">{status.error}</ErrorText>}
    </span>
  )
}
