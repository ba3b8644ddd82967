/**
 * What the gateway has learned from the finalized chain: the modules, every
 * CID each pointed at, the registry events by module (audit-trail hints, whole
 * events a client replays against the key's history commitment) and
 * the cursor (the last block fully processed). Each finalized block is
 * stored in one transaction together with the cursor, so a crash replays a
 * whole block or none of it.
 */
import type { RegistryEvent } from '../../lib/types/chain.ts'
import { transaction, type Database } from './database.ts'
import { PinStore } from './pins.ts'

export interface BlockRef {
  number: number
  hash: string
}

/**
 * A registry call found in a block body (used where the node has pruned the
 * block's state, so its events cannot be read): its outcome is unknown, so it
 * can only add pins, never remove anything.
 */
export interface RegistryCall {
  key: string
  cid: string
}

/** A module as the chain's current state has it. */
export interface CurrentModule {
  key: string
  cid: string
  updatedAt: number
}

export interface EventHint {
  type: RegistryEvent['type']
  blockNumber: number
  blockHash: string
  /** The whole event, for rows indexed since the index kept it (schema 2). */
  event?: RegistryEvent
}

/** Hints kept per module (the newest). */
export const MAX_EVENTS_PER_KEY = 1000

export class ChainIndex {
  readonly #db: Database
  readonly #pins: PinStore

  readonly #keepRevisions: number

  /** `keepRevisions`: previous revisions kept per module besides the current one (0: all). */
  constructor(db: Database, pins: PinStore, keepRevisions: number) {
    this.#db = db
    this.#pins = pins
    this.#keepRevisions = keepRevisions
  }

  cursor(): BlockRef | undefined {
    const row = this.#db.prepare('SELECT block_number, block_hash FROM cursor WHERE id = 1').get() as { block_number: number; block_hash: string } | undefined
    return row === undefined ? undefined : { number: row.block_number, hash: row.block_hash }
  }

  /** The genesis hash of the chain this index follows. */
  genesis(): string | undefined {
    return (this.#db.prepare(`SELECT value FROM meta WHERE name = 'genesis'`).get() as { value: string } | undefined)?.value
  }

  /** Starts following a chain with another genesis: the cursor is reset (pins and revisions stay). */
  setGenesis(hash: string): void {
    transaction(this.#db, () => {
      this.#db.prepare(`INSERT INTO meta (name, value) VALUES ('genesis', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(hash)
      this.#db.prepare('DELETE FROM cursor').run()
    })
  }

  /** Event hints for `key`, oldest first, in the order the chain emitted them. */
  eventsOf(key: string): EventHint[] {
    const rows = this.#db.prepare('SELECT type, block_number, block_hash, event FROM events WHERE key = ? ORDER BY block_number, position').all(key.toLowerCase()) as
      { type: EventHint['type']; block_number: number; block_hash: string; event: string | null }[]
    return rows.map((row) => ({
      type: row.type,
      blockNumber: row.block_number,
      blockHash: row.block_hash,
      ...(row.event === null ? {} : { event: JSON.parse(row.event) as RegistryEvent }),
    }))
  }

  moduleCount(): number {
    return Number((this.#db.prepare('SELECT COUNT(*) AS n FROM modules WHERE removed_at IS NULL').get() as { n: number }).n)
  }

  /** Stores one finalized block's registry events (or, state pruned, its calls) and moves the cursor to it. */
  applyBlock(block: BlockRef, changes: { events: RegistryEvent[]; calls?: RegistryCall[] }, now: number): void {
    transaction(this.#db, () => {
      changes.events.forEach((event, position) => {
        const key = event.key.toLowerCase()
        this.#db.prepare('INSERT INTO events (block_hash, position, block_number, key, type, event) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
          .run(block.hash, position, block.number, key, event.type, JSON.stringify(event))
        this.#db.prepare(`DELETE FROM events WHERE key = ? AND rowid NOT IN (
          SELECT rowid FROM events WHERE key = ? ORDER BY block_number DESC, position DESC LIMIT ?)`).run(key, key, MAX_EVENTS_PER_KEY)
        if (event.type === 'ModuleRegistered') this.#pointed(key, event.cid, block.number, 'event', now)
        else if (event.type === 'ModuleUpdated') this.#pointed(key, event.newCid, block.number, 'event', now)
        else if (event.type === 'ModuleRemoved') this.#db.prepare('UPDATE modules SET removed_at = ? WHERE key = ?').run(now, key)
      })
      for (const call of changes.calls ?? []) this.#pointed(call.key.toLowerCase(), call.cid, block.number, 'call', now)
      this.#setCursor(block)
    })
  }

  /**
   * Takes the chain's current state as the truth at `block`: every module's
   * current CID is kept, and modules missing from it are removed (this is how
   * removals in pruned blocks are learned).
   */
  applyCurrentState(block: BlockRef, modules: CurrentModule[], now: number, moveCursor: boolean): void {
    transaction(this.#db, () => {
      const present = new Set<string>()
      for (const module of modules) {
        const key = module.key.toLowerCase()
        present.add(key)
        this.#pointed(key, module.cid, module.updatedAt, 'state', now)
      }
      const listed = this.#db.prepare('SELECT key FROM modules WHERE removed_at IS NULL').all() as { key: string }[]
      for (const { key } of listed) if (!present.has(key)) this.#db.prepare('UPDATE modules SET removed_at = ? WHERE key = ?').run(now, key)
      if (moveCursor) this.#setCursor(block)
    })
  }

  #pointed(key: string, cid: string, blockNumber: number, source: 'event' | 'state' | 'call', now: number): void {
    this.#db.prepare('INSERT INTO modules (key, removed_at) VALUES (?, NULL) ON CONFLICT (key) DO UPDATE SET removed_at = NULL').run(key)
    this.#db.prepare(`INSERT INTO revisions (key, cid, block_number, source) VALUES (?, ?, ?, ?)
      ON CONFLICT (key, cid) DO UPDATE SET block_number = MAX(block_number, excluded.block_number),
        source = CASE WHEN source = 'call' THEN excluded.source ELSE source END`).run(key, cid, blockNumber, source)
    this.#pins.registered(cid, now)
    // Retention: the current revision and the previous `keepRevisions` (then the sweeper unpins the rest).
    if (this.#keepRevisions > 0) {
      this.#db.prepare(`DELETE FROM revisions WHERE key = ? AND rowid NOT IN (
        SELECT rowid FROM revisions WHERE key = ? ORDER BY block_number DESC LIMIT ?)`).run(key, key, this.#keepRevisions + 1)
    }
  }

  #setCursor(block: BlockRef): void {
    this.#db.prepare('INSERT INTO cursor (id, block_number, block_hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash')
      .run(block.number, block.hash)
  }
}
