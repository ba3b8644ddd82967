/**
 * Following finalized blocks: the registry events of each, in block order,
 * none skipped (blocks the subscription jumps over are fetched by walking
 * parent hashes).
 */
import type { ApiPromise } from '@polkadot/api'
import type { Header } from '@polkadot/types/interfaces'
import type { RegistryEvent } from '../types/chain.ts'
import { registryEvents } from './decode.ts'
import { blockEvents } from './events.ts'

export interface BlockRef { hash: string; number: number }

/** Stop following finalized blocks. */
export type Unsubscribe = () => void

/** How far back a gap is filled: older missed blocks are skipped. */
const MAX_GAP = 256

export async function followFinalizedEvents(
  api: ApiPromise,
  onEvents: (events: RegistryEvent[], block: BlockRef) => void,
  onError?: (error: Error) => void,
): Promise<Unsubscribe> {
  let last: BlockRef | undefined
  let queue = Promise.resolve()
  return await api.rpc.chain.subscribeFinalizedHeads((header) => {
    queue = queue.then(async () => {
      for (const block of await blocksSince(api, last, header)) {
        const { records } = await blockEvents(api, block.hash)
        const events = registryEvents(api, records, block.hash, block.number)
        last = block
        if (events.length > 0) onEvents(events, block)
      }
    }).catch((error: Error) => onError?.(error))
  })
}

/** The blocks after `last` up to `head`, oldest first (at most {@link MAX_GAP}). */
async function blocksSince(api: ApiPromise, last: BlockRef | undefined, head: Header): Promise<BlockRef[]> {
  const blocks = [{ hash: head.hash.toHex(), number: head.number.toNumber() }]
  if (last === undefined) return blocks
  let parent = head.parentHash.toHex()
  let number = head.number.toNumber() - 1
  while (number > last.number && blocks.length < MAX_GAP) {
    const header = await api.rpc.chain.getHeader(parent)
    blocks.push({ hash: parent, number })
    parent = header.parentHash.toHex()
    number--
  }
  return blocks.reverse()
}
