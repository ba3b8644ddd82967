/** The gateway's Prometheus metrics (GET /metrics); deploy/ has alert rules and dashboards over these names. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'modnet_gateway_' })
  let blockCacheSource: (() => BlockCacheCounts) | undefined
  const reported = { hits: 0, misses: 0 }
  const refreshBlockCache = () => {
    if (blockCacheSource === undefined) return
    const { hits, misses, bytes } = blockCacheSource()
    blockCacheLookups.inc({ result: 'hit' }, hits - reported.hits)
    blockCacheLookups.inc({ result: 'miss' }, misses - reported.misses)
    Object.assign(reported, { hits, misses })
    blockCacheBytes.set(bytes)
  }
  const blockCacheLookups = new Counter({ name: 'modnet_gateway_block_cache_lookups_total', help: 'Verified-block cache lookups by result (hit, miss)', labelNames: ['result'] as const, registers: [registry], collect: refreshBlockCache })
  const blockCacheBytes = new Gauge({ name: 'modnet_gateway_block_cache_bytes', help: 'Bytes of verified blocks held in memory', registers: [registry], collect: refreshBlockCache })
  return {
    registry,
    requests: new Counter({ name: 'modnet_gateway_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [registry] }),
    latency: new Histogram({ name: 'modnet_gateway_request_duration_seconds', help: 'HTTP request latency by route', labelNames: ['route'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    uploads: new Counter({ name: 'modnet_gateway_uploads_total', help: 'Metadata uploads by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    rateLimited: new Counter({ name: 'modnet_gateway_rate_limited_total', help: 'Requests refused with 429, by route', labelNames: ['route'] as const, registers: [registry] }),
    connectionsRefused: new Counter({ name: 'modnet_gateway_connections_refused_total', help: 'Connections or requests refused before reaching a route, by reason', labelNames: ['reason'] as const, registers: [registry] }),
    pins: new Gauge({ name: 'modnet_gateway_pins', help: 'Pins in the ledger: provisional uploads, and registered CIDs by backend status (pinned, pending, unavailable)', labelNames: ['state'] as const, registers: [registry] }),
    pinAttempts: new Counter({ name: 'modnet_gateway_pin_attempts_total', help: 'Pin worker attempts by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    pinsExpired: new Counter({ name: 'modnet_gateway_pins_expired_total', help: 'Pins let go: provisional uploads nobody registered, revisions past the retention policy', registers: [registry] }),
    chainFinalized: new Gauge({ name: 'modnet_gateway_chain_finalized_block', help: 'Last finalized block the gateway has seen', registers: [registry] }),
    chainHeadAge: new Gauge({ name: 'modnet_gateway_chain_head_age_seconds', help: 'Seconds since the gateway last saw a new finalized block (-1: never)', registers: [registry] }),
    followerBlock: new Gauge({ name: 'modnet_gateway_follower_block', help: 'Last finalized block whose registry changes the gateway has stored', registers: [registry] }),
    chainEvents: new Counter({ name: 'modnet_gateway_chain_events_total', help: 'Registry events seen in finalized blocks, by type', labelNames: ['type'] as const, registers: [registry] }),
    storageErrors: new Counter({ name: 'modnet_gateway_storage_errors_total', help: 'Failed writes to the gateway database, by operation', labelNames: ['operation'] as const, registers: [registry] }),
    diskFree: new Gauge({ name: 'modnet_gateway_disk_free_bytes', help: 'Free bytes on the data directory\'s filesystem', registers: [registry] }),
    diskSize: new Gauge({ name: 'modnet_gateway_disk_size_bytes', help: 'Size of the data directory\'s filesystem in bytes', registers: [registry] }),
    healthy: new Gauge({ name: 'modnet_gateway_healthy', help: '1 when /healthz answers 200 (IPFS, chain and storage fine), else 0', registers: [registry] }),
    blockCacheLookups,
    blockCacheBytes,
    /** Where the block cache's counts come from; read when Prometheus scrapes, not per request. */
    watchBlockCache(source: () => BlockCacheCounts): void {
      blockCacheSource = source
    },
  }
}

interface BlockCacheCounts { hits: number; misses: number; bytes: number }

export type Metrics = ReturnType<typeof createMetrics>
