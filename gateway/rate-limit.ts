/**
 * Per-client token buckets: `burst` requests at once, refilled at `perMinute`.
 * A refused request learns how long until the next token (Retry-After).
 *
 * Memory is bounded whatever the number of client addresses: idle buckets
 * are forgotten, and past `maxClients` the least recently seen client's
 * bucket goes (to evict a busy client that way an attacker needs more
 * distinct IPv4 addresses or IPv6 /64s than `maxClients`).
 */
export interface RateLimit {
  perMinute: number
  burst: number
}

interface Bucket {
  tokens: number
  updated: number
}

/** Buckets idle this long are forgotten (a full bucket refills in less for any sane limit). */
const IDLE_MS = 10 * 60_000
/** Clients tracked at most per limiter (about 100 bytes each). */
export const MAX_TRACKED_CLIENTS = 100_000

export class RateLimiter {
  readonly #limit: RateLimit
  /** In least-recently-seen order: a take moves the client to the end. */
  readonly #buckets = new Map<string, Bucket>()
  readonly #now: () => number
  readonly #maxClients: number
  #lastSweep = 0

  constructor(limit: RateLimit, now: () => number = Date.now, maxClients = MAX_TRACKED_CLIENTS) {
    this.#limit = limit
    this.#now = now
    this.#maxClients = maxClients
  }

  get trackedClients(): number {
    return this.#buckets.size
  }

  /** Takes a token for `client` (see `clientKey`): 0 if allowed, else the seconds to wait. */
  take(client: string): number {
    const now = this.#now()
    this.#sweep(now)
    const ratePerMs = this.#limit.perMinute / 60_000
    const bucket = this.#buckets.get(client) ?? { tokens: this.#limit.burst, updated: now }
    bucket.tokens = Math.min(this.#limit.burst, bucket.tokens + (now - bucket.updated) * ratePerMs)
    bucket.updated = now
    this.#buckets.delete(client)
    this.#buckets.set(client, bucket)
    if (this.#buckets.size > this.#maxClients) this.#buckets.delete(this.#buckets.keys().next().value!)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000))
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < IDLE_MS) return
    this.#lastSweep = now
    // Oldest first: stop at the first bucket still in use.
    for (const [client, bucket] of this.#buckets) {
      if (now - bucket.updated <= IDLE_MS) break
      this.#buckets.delete(client)
    }
  }
}
