/**
 * A module's audit trail: the gateway says which blocks hold its registry
 * events (hints); the light client reads each block's events itself, so every
 * entry shown is either proved or marked as unchecked.
 */
import type { ModuleRegistryClient } from '../chain/client.ts'
import type { RegistryEvent } from '../types/chain.ts'
import { readBoundedJson } from '../http/bounded-body.ts'
import { WebError } from './errors.ts'

/**
 * The events answer is read no further than this. The gateway keeps at most
 * 1000 hints per module (gateway/store/chain-index.ts), about 130 bytes each in JSON:
 * 1 MiB is several times that.
 */
export const MAX_EVENTS_ANSWER_BYTES = 1024 * 1024

export type AuditEntry =
  | { state: 'proved'; event: RegistryEvent }
  | { state: 'unchecked'; type: string; blockNumber: number; blockHash: string; reason: string }

interface Hint {
  type: string
  blockNumber: number
  blockHash: string
}

export async function auditTrail(client: ModuleRegistryClient, gatewayUrl: string, key: string): Promise<AuditEntry[]> {
  const response = await fetch(`${gatewayUrl}/api/v1/modules/${key.toLowerCase()}/events`)
  if (!response.ok) {
    await response.body?.cancel().catch(() => {})
    throw new WebError('EVENT_INDEX', `the gateway has no event index (HTTP ${response.status})`)
  }
  const body = (await readBoundedJson(response, MAX_EVENTS_ANSWER_BYTES, 'the gateway\'s event list')) as { events?: unknown } | null
  if (!Array.isArray(body?.events)) throw new WebError('EVENT_INDEX', 'the gateway\'s event list has no "events" array')
  const hints = body.events as Hint[]
  const entries: AuditEntry[] = []
  for (const blockHash of [...new Set(hints.map((hint) => hint.blockHash))]) {
    const hinted = hints.filter((hint) => hint.blockHash === blockHash)
    try {
      const { events } = await client.eventsAt(blockHash)
      const mine = events.filter((event) => event.key.toLowerCase() === key.toLowerCase())
      for (const event of mine) entries.push({ state: 'proved', event })
      for (const hint of hinted.filter((h) => !mine.some((event) => event.type === h.type))) {
        entries.push({ state: 'unchecked', ...hint, reason: 'the gateway named this block, but its events do not include it' })
      }
    } catch (error) {
      for (const hint of hinted) entries.push({ state: 'unchecked', ...hint, reason: `the light client could not read that block (${(error as Error).message})` })
    }
  }
  const number = (entry: AuditEntry) => (entry.state === 'proved' ? entry.event.blockNumber : entry.blockNumber)
  return entries.sort((a, b) => number(a) - number(b))
}
