/**
 * History commitments (pallet `ModuleHistory`, `HistoryHead` in
 * pallet/src/types.rs): a hash chain over all of a key's registry events.
 * Each event `e` in block `n` turns the head `h` into
 * `blake2b-256(h ‖ u32le(n) ‖ SCALE(e))`, `e` encoded as the pallet's `Event`
 * (variant index first). Events from any source (a gateway's index, an
 * archive) that replay to the head read with a proof at a finalized block are
 * proved, whatever the node has pruned since.
 */
import { blake2AsU8a, decodeAddress } from '@polkadot/util-crypto'
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
import { CID } from 'multiformats/cid'
import type { HistoryHead, RegistryEvent } from '../types/chain.ts'
import { ChainError } from './errors.ts'

/** The head of a key that never had an event. */
export const EMPTY_HISTORY: HistoryHead = { length: 0, head: `0x${'00'.repeat(32)}` }

/** Variant indices of the pallet's `Event` (its declaration order). */
const VARIANT: Record<RegistryEvent['type'], number> = {
  ModuleRegistered: 0,
  ModuleUpdated: 1,
  ModuleRemoved: 2,
  OwnershipTransferred: 3,
  TransferOffered: 4,
  TransferCancelled: 5,
  RevisionYanked: 6,
  DeprecationSet: 7,
}

const bytes = (value: Uint8Array): Uint8Array => u8aConcat(compactToU8a(value.length), value)
const u32 = (value: number): Uint8Array => {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value, true)
  return out
}
const account = (address: string): Uint8Array => decodeAddress(address)
const cid = (value: string): Uint8Array => bytes(CID.parse(value).bytes)

/** The event as the pallet SCALE-encodes it. */
export function encodeRegistryEvent(event: RegistryEvent): Uint8Array {
  const head = [Uint8Array.of(VARIANT[event.type]), bytes(hexToU8a(event.key))]
  switch (event.type) {
    case 'ModuleRegistered': return u8aConcat(...head, account(event.owner), cid(event.cid))
    case 'ModuleUpdated': return u8aConcat(...head, account(event.owner), cid(event.oldCid), cid(event.newCid), u32(event.revision))
    case 'ModuleRemoved': return u8aConcat(...head, account(event.owner))
    case 'OwnershipTransferred': return u8aConcat(...head, account(event.from), account(event.to))
    case 'TransferOffered': return u8aConcat(...head, account(event.from), account(event.to), u32(event.expiresAt))
    case 'TransferCancelled': return u8aConcat(...head, account(event.owner), account(event.to))
    case 'RevisionYanked': return u8aConcat(...head, account(event.owner), u32(event.revision), Uint8Array.of(event.yanked ? 1 : 0))
    case 'DeprecationSet': return u8aConcat(...head, account(event.owner), event.note === undefined ? Uint8Array.of(0) : u8aConcat(Uint8Array.of(1), bytes(new TextEncoder().encode(event.note))))
  }
}

/** The head after `event` (in its block). */
export function nextHead(history: HistoryHead, event: RegistryEvent): HistoryHead {
  const input = u8aConcat(hexToU8a(history.head), u32(event.blockNumber), encodeRegistryEvent(event))
  return { length: history.length + 1, head: u8aToHex(blake2AsU8a(input, 256)) }
}

/** The head after all of `events`, in order, from `from` (default: the empty history). */
export function replayHistory(events: readonly RegistryEvent[], from: HistoryHead = EMPTY_HISTORY): HistoryHead {
  return events.reduce(nextHead, from)
}

export interface CheckedHistory {
  /** The events the commitment covers, oldest first, each proved by it. Empty when they did not replay. */
  proved: RegistryEvent[]
  /** Events given that the commitment does not cover (before it started, e.g. before the runtime upgrade that added it). */
  before: RegistryEvent[]
  /** Why the events do not prove the commitment, when they do not. */
  problem?: string
}

/**
 * Checks a key's events (all of them that a source knows, oldest first,
 * from any source) against its commitment read from the chain. The last
 * `commitment.length` events must replay to `commitment.head`; older ones
 * predate the commitment. A source that dropped, added, altered or reordered
 * an event is caught: nothing is then proved, and `problem` says so.
 */
export function checkHistory(events: readonly RegistryEvent[], commitment: HistoryHead): CheckedHistory {
  const keys = new Set(events.map((event) => event.key.toLowerCase()))
  if (keys.size > 1) throw new ChainError('BAD_PROOF', `a history is one key's events; these name ${keys.size} keys`)
  if (events.length < commitment.length) {
    return { proved: [], before: [...events], problem: `the chain commits to ${commitment.length} events for this key; the source gave ${events.length}` }
  }
  const split = events.length - commitment.length
  const covered = events.slice(split)
  let replayed: HistoryHead
  try {
    replayed = replayHistory(covered)
  } catch (error) {
    return { proved: [], before: [...events], problem: `an event from the source is not a registry event (${(error as Error).message})` }
  }
  if (replayed.head !== commitment.head.toLowerCase()) {
    return { proved: [], before: [...events], problem: `the source's last ${commitment.length} events do not hash to the chain's commitment (${commitment.head.slice(0, 18)}…): one was dropped, altered, added or reordered` }
  }
  return { proved: covered, before: events.slice(0, split) }
}
