/**
 * A module key's history, proved. The chain keeps a commitment to all of a
 * key's events (`ModuleHistory`, lib/chain/history.ts), read with a proof at
 * a finalized block; events from an untrusted source (the gateway's index)
 * that replay to it are proved, however long ago the node pruned their
 * blocks. Events the commitment does not cover (before the runtime upgrade
 * that added it, or when the source's events do not replay) are checked
 * against their own block's events where the chain still has them, and
 * otherwise shown as unchecked, with the reason.
 */
import { ChainError } from '../chain/errors.ts'
import { checkHistory } from '../chain/history.ts'
import { readBoundedJson } from '../http/bounded-body.ts'
import { ModnetError } from '../types/errors.ts'
import type { HistoryHead, ReadPoint, RegistryEvent } from '../types/chain.ts'
import type { HistoryDeps } from './deps.ts'

/** What a source says happened: always the block and type, and (newer indexes) the whole event. */
export interface EventHint {
  type: string
  blockNumber: number
  blockHash: string
  event?: unknown
}

export type HistoryEntry =
  /** `commitment`: replayed to the key's history commitment; `block`: found in its block's events read by the client. */
  | { state: 'proved'; by: 'commitment' | 'block'; event: RegistryEvent }
  | { state: 'unchecked'; type: string; blockNumber: number; blockHash: string; reason: string }

export interface ProvedHistory {
  /** The commitment, and where it was read; absent on a runtime without history commitments (before spec 103). */
  commitment?: { history: HistoryHead; at: ReadPoint }
  /** Oldest first. */
  entries: HistoryEntry[]
  /** Why the source's events did not replay to the commitment, when they did not. */
  problem?: string
}

/**
 * The gateway's index keeps at most 1000 events per module
 * (gateway/store/chain-index.ts), under 500 bytes each in JSON: 1 MiB is twice that.
 */
export const MAX_EVENTS_ANSWER_BYTES = 1024 * 1024

/** The events a Mod-Net gateway indexed for `key` (`GET /api/v1/modules/<key>/events`), unchecked. Code `EVENT_INDEX` when it cannot say. */
export async function gatewayEventHints(gatewayUrl: string, key: string): Promise<EventHint[]> {
  const response = await fetch(`${gatewayUrl}/api/v1/modules/${key.toLowerCase()}/events`)
  if (!response.ok) {
    await response.body?.cancel().catch(() => {})
    throw new ModnetError('EVENT_INDEX', `the gateway has no event index (HTTP ${response.status})`)
  }
  const body = (await readBoundedJson(response, MAX_EVENTS_ANSWER_BYTES, 'the gateway\'s event list')) as { events?: unknown } | null
  if (!Array.isArray(body?.events)) throw new ModnetError('EVENT_INDEX', 'the gateway\'s event list has no "events" array')
  return body.events.filter(isHint)
}

/**
 * `key`'s history from `hints` (oldest first), each entry proved by the
 * commitment, by its block's events, or marked unchecked.
 */
export async function provedHistory(deps: HistoryDeps, key: string, hints: readonly EventHint[]): Promise<ProvedHistory> {
  const commitment = await deps.chain.getHistory(key).catch((error: unknown) => {
    if (error instanceof ChainError && error.code === 'CHAIN_UNSUPPORTED') return undefined
    throw error
  })
  const mine = hints.filter((hint) => hint.event === undefined || eventOfKey(hint.event, key) !== undefined)
  // The commitment was read at a finalized block: later events are checked by block.
  const upTo = commitment?.at.blockNumber ?? -1
  const covered = mine.filter((hint) => hint.blockNumber <= upTo)
  const later = mine.filter((hint) => hint.blockNumber > upTo)

  let proved: RegistryEvent[] = []
  let rest: EventHint[] = covered
  let problem: string | undefined
  const firstWhole = covered.findIndex((hint) => hint.event !== undefined)
  const whole = firstWhole < 0 ? [] : covered.slice(firstWhole)
  if (commitment !== undefined && commitment.history.length > 0) {
    if (whole.some((hint) => hint.event === undefined)) {
      problem = 'the source gave some events without their data'
    } else {
      const events = whole.map((hint) => eventOfKey(hint.event, key)!)
      const checked = checkHistory(events, commitment.history)
      if (checked.problem === undefined) {
        proved = checked.proved
        rest = [...covered.slice(0, firstWhole), ...whole.slice(0, checked.before.length)]
      } else {
        problem = checked.problem
      }
    }
  }
  const byBlock = await checkByBlock(deps, key, [...rest, ...later])
  const entries: HistoryEntry[] = [...byBlock, ...proved.map((event) => ({ state: 'proved' as const, by: 'commitment' as const, event }))]
  entries.sort((a, b) => blockOf(a) - blockOf(b))
  return { ...(commitment === undefined ? {} : { commitment }), entries, ...(problem === undefined ? {} : { problem }) }
}

/** Reads each named block's events through the client: the key's events there are proved, the rest unchecked. */
async function checkByBlock(deps: HistoryDeps, key: string, hints: readonly EventHint[]): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = []
  for (const blockHash of [...new Set(hints.map((hint) => hint.blockHash))]) {
    const named = hints.filter((hint) => hint.blockHash === blockHash)
    try {
      const { events } = await deps.chain.eventsAt(blockHash)
      const found = events.filter((event) => event.key.toLowerCase() === key.toLowerCase())
      for (const event of found) entries.push({ state: 'proved', by: 'block', event })
      for (const hint of named.filter((h) => !found.some((event) => event.type === h.type))) {
        entries.push({ state: 'unchecked', ...plain(hint), reason: 'the source named this block, but its events do not include it' })
      }
    } catch (error) {
      for (const hint of named) entries.push({ state: 'unchecked', ...plain(hint), reason: `the client could not read that block (${(error as Error).message})` })
    }
  }
  return entries
}

const blockOf = (entry: HistoryEntry): number => (entry.state === 'proved' ? entry.event.blockNumber : entry.blockNumber)
const plain = (hint: EventHint) => ({ type: hint.type, blockNumber: hint.blockNumber, blockHash: hint.blockHash })

function isHint(value: unknown): value is EventHint {
  const hint = value as EventHint
  return typeof hint === 'object' && hint !== null && typeof hint.type === 'string' && hint.type.length <= 64 &&
    Number.isSafeInteger(hint.blockNumber) && typeof hint.blockHash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(hint.blockHash)
}

const TYPES = new Set(['ModuleRegistered', 'ModuleUpdated', 'ModuleRemoved', 'OwnershipTransferred', 'TransferOffered', 'TransferCancelled', 'RevisionYanked', 'DeprecationSet'])

/**
 * The source's event as a `RegistryEvent` of `key`, or undefined when it is
 * not one. Only shapes are checked here; the commitment checks the contents.
 */
function eventOfKey(value: unknown, key: string): RegistryEvent | undefined {
  const event = value as Record<string, unknown>
  if (typeof event !== 'object' || event === null || !TYPES.has(event.type as string)) return undefined
  if (typeof event.key !== 'string' || event.key.toLowerCase() !== key.toLowerCase()) return undefined
  if (!Number.isSafeInteger(event.blockNumber) || typeof event.blockHash !== 'string') return undefined
  const strings = ['owner', 'cid', 'oldCid', 'newCid', 'from', 'to', 'note'].filter((field) => field in event)
  if (strings.some((field) => typeof event[field] !== 'string')) return undefined
  const numbers = ['revision', 'expiresAt'].filter((field) => field in event)
  if (numbers.some((field) => !Number.isSafeInteger(event[field]))) return undefined
  if ('yanked' in event && typeof event.yanked !== 'boolean') return undefined
  return event as unknown as RegistryEvent
}
