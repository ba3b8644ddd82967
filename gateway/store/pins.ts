/**
 * The pin ledger: which CIDs the gateway keeps and whether the IPFS backend
 * holds them. An upload is kept provisionally until `provisional_until`; a CID
 * some retained module revision names is `registered` and kept as long as the
 * retention policy keeps that revision. Pinning a registered CID the backend
 * does not hold yet is the pin worker's job: rows wait as `pending`, and
 * failures become `unavailable` with a backoff, never blocking anything else.
 */
import type { Database } from './database.ts'

export type PinStatus = 'pinned' | 'pending' | 'unavailable'

export interface PinView {
  cid: string
  /** Why the gateway keeps it: a module revision on chain, or an upload awaiting registration. */
  state: 'registered' | 'provisional' | 'none'
  /** Whether the IPFS backend holds it (absent for `none`). */
  status?: PinStatus
  /** Provisional pins: when the pin is dropped unless a registration names the CID (ms). */
  expiresAt?: number
  /** Module keys whose retained revisions name the CID. */
  keys?: string[]
  attempts?: number
  lastError?: string
  /** When the pin worker tries again (ms). */
  nextAttemptAt?: number
}

export interface PinCounts {
  provisional: number
  pinned: number
  pending: number
  unavailable: number
}

interface PinRow {
  cid: string
  provisional_until: number | null
  registered: number
  status: PinStatus
  attempts: number
  next_attempt_at: number | null
  last_error: string | null
}

/** First retry after a failed pin, doubled per failure up to {@link MAX_RETRY_MS}. */
export const FIRST_RETRY_MS = 5_000
export const MAX_RETRY_MS = 60 * 60_000

export class PinStore {
  readonly #db: Database

  constructor(db: Database) {
    this.#db = db
  }

  status(cid: string): PinView {
    const row = this.#db.prepare('SELECT * FROM pins WHERE cid = ?').get(cid) as PinRow | undefined
    if (row === undefined) return { cid, state: 'none' }
    const keys = (this.#db.prepare('SELECT DISTINCT key FROM revisions WHERE cid = ? ORDER BY key').all(cid) as { key: string }[]).map((r) => r.key)
    return {
      cid,
      state: row.registered === 1 ? 'registered' : 'provisional',
      status: row.status,
      ...(row.registered === 1 ? { keys } : { expiresAt: row.provisional_until! }),
      ...(row.status !== 'pinned' ? { attempts: row.attempts, lastError: row.last_error ?? undefined, nextAttemptAt: row.next_attempt_at ?? undefined } : {}),
    }
  }

  counts(): PinCounts {
    const row = this.#db.prepare(`SELECT
      COALESCE(SUM(registered = 0), 0) AS provisional,
      COALESCE(SUM(registered = 1 AND status = 'pinned'), 0) AS pinned,
      COALESCE(SUM(registered = 1 AND status = 'pending'), 0) AS pending,
      COALESCE(SUM(registered = 1 AND status = 'unavailable'), 0) AS unavailable
      FROM pins`).get() as unknown as PinCounts
    return { provisional: Number(row.provisional), pinned: Number(row.pinned), pending: Number(row.pending), unavailable: Number(row.unavailable) }
  }

  /**
   * Records an upload the backend has just pinned. A new provisional pin
   * expires at `now + ttlMs`; uploading the same bytes again does not extend
   * it (else re-uploads would keep unregistered content forever).
   */
  uploaded(cid: string, now: number, ttlMs: number): PinView {
    this.#db.prepare(`INSERT INTO pins (cid, provisional_until, registered, status, created_at) VALUES (?, ?, 0, 'pinned', ?)
      ON CONFLICT (cid) DO UPDATE SET status = 'pinned', attempts = 0, next_attempt_at = NULL, last_error = NULL`).run(cid, now + ttlMs, now)
    return this.status(cid)
  }

  /** Marks `cid` as named by a retained revision; the pin worker pins it if the backend lacks it. */
  registered(cid: string, now: number): void {
    this.#db.prepare(`INSERT INTO pins (cid, provisional_until, registered, status, next_attempt_at, created_at) VALUES (?, NULL, 1, 'pending', ?, ?)
      ON CONFLICT (cid) DO UPDATE SET registered = 1, provisional_until = NULL`).run(cid, now, now)
  }

  /** Registered pins the worker should try now, oldest attempt first. */
  due(now: number, limit: number): string[] {
    return (this.#db.prepare(`SELECT cid FROM pins WHERE registered = 1 AND status != 'pinned' AND COALESCE(next_attempt_at, 0) <= ?
      ORDER BY COALESCE(next_attempt_at, 0) LIMIT ?`).all(now, limit) as { cid: string }[]).map((r) => r.cid)
  }

  /** When the next due pin is (ms), if any. */
  nextDue(): number | undefined {
    const row = this.#db.prepare(`SELECT MIN(COALESCE(next_attempt_at, 0)) AS at FROM pins WHERE registered = 1 AND status != 'pinned'`).get() as { at: number | null }
    return row.at ?? undefined
  }

  pinned(cid: string): void {
    this.#db.prepare(`UPDATE pins SET status = 'pinned', attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE cid = ?`).run(cid)
  }

  /** A failed pin attempt: `unavailable`, retried after an exponential backoff. */
  failed(cid: string, error: string, now: number): void {
    const row = this.#db.prepare('SELECT attempts FROM pins WHERE cid = ?').get(cid) as { attempts: number } | undefined
    if (row === undefined) return
    const attempts = row.attempts + 1
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts - 1, 20))
    this.#db.prepare(`UPDATE pins SET status = 'unavailable', attempts = ?, next_attempt_at = ?, last_error = ? WHERE cid = ?`)
      .run(attempts, now + delay, error.slice(0, 500), cid)
  }

  /**
   * Pins no longer wanted: provisional ones past their time, and registered
   * ones no retained revision names any more (unless still provisional).
   */
  unwanted(now: number): string[] {
    return (this.#db.prepare(`SELECT cid FROM pins p WHERE
        (registered = 0 AND provisional_until <= ?)
        OR (registered = 1 AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.cid = p.cid) AND COALESCE(provisional_until, 0) <= ?)`)
      .all(now, now) as { cid: string }[]).map((r) => r.cid)
  }

  /** Forgets `cid` (the caller unpins it from the backend afterwards). */
  drop(cid: string): void {
    this.#db.prepare('DELETE FROM pins WHERE cid = ?').run(cid)
  }
}
