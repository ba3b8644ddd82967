/**
 * An index of registry events by module key, kept as the gateway follows
 * finalized blocks. It only gives hints (which block holds which event): a
 * light client checks each against the block's own `System.Events`.
 */
import type { RegistryEvent } from '../lib/types/chain.ts'
import { readJsonFile, writeJsonFile } from './json-file.ts'

export interface EventHint {
  type: RegistryEvent['type']
  blockNumber: number
  blockHash: string
}

/** Hints kept per module (the newest). */
const MAX_PER_KEY = 1000

export class EventIndex {
  readonly #file: string
  readonly #byKey: Map<string, EventHint[]>

  constructor(file: string) {
    this.#file = file
    const stored = readJsonFile<{ version: 1; byKey: Record<string, EventHint[]> }>(file, { version: 1, byKey: {} })
    this.#byKey = new Map(Object.entries(stored.byKey))
  }

  /** Hints for `key`, oldest first. */
  of(key: string): EventHint[] {
    return this.#byKey.get(key.toLowerCase()) ?? []
  }

  add(events: RegistryEvent[]): void {
    for (const event of events) {
      const key = event.key.toLowerCase()
      const list = this.#byKey.get(key) ?? []
      if (list.some((hint) => hint.blockHash === event.blockHash && hint.type === event.type)) continue
      list.push({ type: event.type, blockNumber: event.blockNumber, blockHash: event.blockHash })
      this.#byKey.set(key, list.slice(-MAX_PER_KEY))
    }
    writeJsonFile(this.#file, { version: 1, byKey: Object.fromEntries(this.#byKey) })
  }
}
