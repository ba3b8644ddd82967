'use client'
/** "Download proof": a module card (record + storage proof + finalized header + metadata) the CLI checks offline. */
import { useState } from 'react'
import { session } from '../lib/web/session.ts'

export function DownloadCard({ moduleKey }: { moduleKey: string }) {
  const [state, setState] = useState<'idle' | 'working' | string>('idle')

  async function download() {
    setState('working')
    try {
      const { client, ipfs, config } = await session()
      const { makeCard, gatewayStorageProofs, cardFileName } = await import('../lib/registry/index.ts')
      // The proof comes from the gateway; makeCard verifies it against the header the light client vouches for.
      const card = await makeCard({ chain: client, ipfs }, moduleKey, gatewayStorageProofs(config.gateway))
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(card, null, 2)}\n`], { type: 'application/json' }))
      const link = Object.assign(document.createElement('a'), { href: url, download: cardFileName(card) })
      link.click()
      URL.revokeObjectURL(url)
      setState('idle')
    } catch (error) {
      setState((error as Error).message)
    }
  }

  return (
    <span className="inline-flex flex-col">
      <button type="button" onClick={() => void download()} disabled={state === 'working'} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800">
        {state === 'working' ? 'Preparing proof…' : 'Download proof'}
      </button>
      {state !== 'idle' && state !== 'working' && <span role="alert" className="mt-1 text-xs text-rose-700 dark:text-rose-400">{state}</span>}
    </span>
  )
}
