'use client'
/**
 * "Download proof": a module card (record, storage proof, finalized header,
 * GRANDPA justification, metadata) that `modnet verify-card` checks offline,
 * saved as a JSON file.
 */
import { useCallback, useState } from 'react'
import { session } from '../lib/web/session.ts'
import { messageOf } from './useAsync.ts'

export type CardDownload = { state: 'idle' } | { state: 'working' } | { state: 'error'; error: string }

export function useModuleCard(moduleKey: string): { status: CardDownload; download(): void } {
  const [status, setStatus] = useState<CardDownload>({ state: 'idle' })

  const download = useCallback(() => {
    setStatus({ state: 'working' })
    void (async () => {
      const { client, ipfs, config } = await session()
      const { makeCard, gatewayStorageProofs, gatewayFinalityProofs, cardFileName } = await import('../lib/registry/index.ts')
      // Storage and finality proofs come from the gateway; the card is verified before it is saved,
      // and `modnet verify-card --chain-spec` checks its justification against the chain spec.
      const card = await makeCard({ chain: client, ipfs }, moduleKey, gatewayStorageProofs(config.gateway), gatewayFinalityProofs(config.gateway))
      saveJson(cardFileName(card), card)
    })().then(() => setStatus({ state: 'idle' }), (failure: unknown) => setStatus({ state: 'error', error: messageOf(failure) }))
  }, [moduleKey])

  return { status, download }
}

/** Offers `value` as a JSON file download. */
function saveJson(fileName: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }))
  Object.assign(document.createElement('a'), { href: url, download: fileName }).click()
  URL.revokeObjectURL(url)
}
