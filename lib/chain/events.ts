/** A block's `System.Events`, decoded with the runtime that wrote them. */
import type { ApiPromise } from '@polkadot/api'

export interface EventRecordLike {
  phase: any
  event: any
}

/**
 * The event records of block `blockHash`. They are decoded with the metadata
 * of the runtime that executed the block, its parent's: the block that enacts
 * a runtime upgrade (`system.setCode`) already reports the new runtime in its
 * own state, yet its events were written by the old one, and decoding them
 * with the new types fails or, worse, misreads them.
 */
export async function blockEvents(api: ApiPromise, blockHash: string): Promise<{ records: EventRecordLike[]; blockNumber: number }> {
  const header = await api.rpc.chain.getHeader(blockHash)
  const blockNumber = header.number.toNumber()
  const executedBy = blockNumber === 0 ? await api.at(blockHash) : await api.at(header.parentHash)
  const entry = executedBy.query.system.events
  const raw = await api.rpc.state.getStorage.raw(entry.key(), blockHash)
  const type = executedBy.registry.createLookupType(entry.creator.meta.type.asPlain)
  const records = executedBy.registry.createType(type, raw) as unknown as Iterable<EventRecordLike>
  return { records: [...records], blockNumber }
}
