/**
 * The Mod-Net gateway's HTTP API:
 *
 *   POST /api/v1/metadata      upload a metadata document (canonical JSON, schema v1): provisional pin
 *   GET  /api/v1/pins/<cid>    what the gateway keeps for a CID, and whether IPFS holds it
 *   GET  /api/v1/modules/<key>/events  blocks holding the module's registry events (hints to verify)
 *   GET  /api/v1/proof?key=<storage key>&at=<block hash>  a storage proof of a registry key (to verify)
 *   GET  /api/v1/finality?block=<number>  the GRANDPA justification covering a block, with its header (to verify)
 *   GET  /ipfs/<cid>[/<path>]?format=raw|car  trustless gateway: one verified block, or a CAR of the DAG
 *   GET  /ipfs/<cid>[/<path>]  the verified content of a file
 *   GET  /healthz              IPFS backend, chain and storage
 *   GET  /metrics              Prometheus metrics
 *
 * Every answer is JSON except blocks, content and metrics; every refusal
 * says why in `error`. Every request is treated as hostile: the request
 * target, headers and body are parsed defensively, and malformed requests,
 * slow clients and too many connections are refused in words (http/guard.ts).
 */
import type { FinalityProofAnswer } from '../lib/chain/grandpa.ts'
import type { Server } from 'node:http'
import type { IPFSClient } from '../lib/ipfs/client.ts'
import { IPFSError } from '../lib/ipfs/errors.ts'
import { MAX_METADATA_BYTES } from '../lib/types/metadata.ts'
import type { ChainView } from './chain-follower.ts'
import { clientAddress, clientKey, TrustedProxies } from './http/client-address.ts'
import { createGuardedServer, DEFAULT_GUARD_LIMITS, type GuardLimits } from './http/guard.ts'
import { HttpError, sendJson } from './http/http-error.ts'
import { parseRequestTarget } from './http/request-target.ts'
import type { Logger } from './log.ts'
import type { Metrics } from './metrics.ts'
import type { PinKeeper } from './pin-keeper.ts'
import { RateLimiter, type RateLimit } from './rate-limit.ts'
import { DEFAULT_BLOCK_CACHE_LIMITS, VerifiedBlockCache } from './trustless/block-cache.ts'
import { apiRoutes } from './routes/api.ts'
import { CORS, type Handler } from './routes/context.ts'
import { ipfsRoutes } from './routes/ipfs.ts'
import { opsRoutes } from './routes/ops.ts'
import { StorageFailure, type StorageHealth } from './storage-health.ts'
import type { ChainIndex } from './store/chain-index.ts'

export interface GatewayConfig {
  /** Largest upload accepted, in bytes (default 64 KiB, the metadata limit). */
  maxUploadBytes: number
  uploadLimit: RateLimit
  readLimit: RateLimit
  /** Largest content served by GET /ipfs/<cid> without ?format=raw. */
  maxContentBytes: number
  /** Memory for verified blocks shared across requests, in bytes (0: none). */
  blockCacheBytes: number
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); none by default. */
  trustedProxies: string[]
  /** A chain head older than this makes /healthz report the chain stale. */
  chainStaleMs: number
  guard: GuardLimits
}

export const DEFAULT_CONFIG: GatewayConfig = {
  maxUploadBytes: MAX_METADATA_BYTES,
  uploadLimit: { perMinute: 30, burst: 10 },
  readLimit: { perMinute: 1200, burst: 200 },
  maxContentBytes: 16 * 1024 * 1024,
  blockCacheBytes: DEFAULT_BLOCK_CACHE_LIMITS.maxBytes,
  trustedProxies: [],
  chainStaleMs: 60_000,
  guard: DEFAULT_GUARD_LIMITS,
}

export interface GatewayDeps {
  ipfs: IPFSClient
  keeper: PinKeeper
  index: ChainIndex
  chain: ChainView
  storage: StorageHealth
  /** Storage proofs from the followed node, for module cards. */
  storageProof?: (storageKey: string, at: string) => Promise<string[]>
  /** GRANDPA justifications from the followed node (`modnet_finalityProof`), for module cards. */
  finalityProof?: (blockNumber: number) => Promise<FinalityProofAnswer | null>
  metrics: Metrics
  log: Logger
  now?: () => number
}

interface Route {
  name: string
  methods: string[]
  pattern: RegExp
  limiter?: RateLimiter
  handle: Handler
}

export function createGateway(config: GatewayConfig, deps: GatewayDeps): Server {
  const now = deps.now ?? Date.now
  const trusted = new TrustedProxies(config.trustedProxies)
  const uploads = new RateLimiter(config.uploadLimit, now)
  const reads = new RateLimiter(config.readLimit, now)
  const api = apiRoutes({ keeper: deps.keeper, index: deps.index, metrics: deps.metrics, maxUploadBytes: config.maxUploadBytes, storageProof: deps.storageProof, finalityProof: deps.finalityProof })
  const blockCache = config.blockCacheBytes > 0 ? new VerifiedBlockCache({ ...DEFAULT_BLOCK_CACHE_LIMITS, maxBytes: config.blockCacheBytes }) : undefined
  if (blockCache !== undefined) {
    deps.metrics.watchBlockCache(() => blockCache.stats)
    // Dropped content stops being served at once; the cache fills again from what is kept.
    deps.keeper.onDropped?.(() => blockCache.clear())
  }
  const ipfs = ipfsRoutes({ ipfs: deps.ipfs, maxContentBytes: config.maxContentBytes, blockCache })
  const ops = opsRoutes({ ipfs: deps.ipfs, chain: deps.chain, storage: deps.storage, keeper: deps.keeper, metrics: deps.metrics, chainStaleMs: config.chainStaleMs, now })
  const READ = ['GET', 'HEAD']
  const routes: Route[] = [
    { name: 'upload', methods: ['POST'], pattern: /^\/api\/v1\/metadata$/, limiter: uploads, handle: api.upload },
    { name: 'pin', methods: READ, pattern: /^\/api\/v1\/pins\/([^/]+)$/, limiter: reads, handle: api.pinStatus },
    { name: 'events', methods: READ, pattern: /^\/api\/v1\/modules\/(0x[0-9a-fA-F]{64,66})\/events$/, limiter: reads, handle: api.moduleEvents },
    { name: 'proof', methods: ['GET'], pattern: /^\/api\/v1\/proof$/, limiter: reads, handle: api.storageProof },
    { name: 'finality', methods: ['GET'], pattern: /^\/api\/v1\/finality$/, limiter: reads, handle: api.finalityProof },
    { name: 'ipfs', methods: READ, pattern: /^\/ipfs\/([^/]+)(\/.*)?$/, limiter: reads, handle: ipfs.ipfsRead },
    { name: 'healthz', methods: ['GET'], pattern: /^\/healthz$/, handle: ops.health },
    { name: 'metrics', methods: ['GET'], pattern: /^\/metrics$/, handle: ops.metricsPage },
  ]

  return createGuardedServer((req, res) => {
    const started = performance.now()
    const method = req.method ?? 'GET'
    const client = clientAddress(req, trusted)
    let path = '(unparsed)'
    let routeName = 'unknown'
    // 'close' comes for every answer; without 'finish' first, it was cut (a CAR
    // whose block went missing mid-stream, or a client that left).
    let finished = false
    res.once('finish', () => { finished = true })
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000
      const status = finished ? String(res.statusCode) : res.headersSent ? `${res.statusCode}-cut` : 'none'
      deps.metrics.requests.inc({ route: routeName, method: KNOWN_METHODS.has(method) ? method : 'other', status })
      deps.metrics.latency.observe({ route: routeName }, seconds)
      deps.log.log(res.statusCode >= 500 ? 'error' : finished ? 'info' : 'warn', 'request', { method, path, route: routeName, status, ms: Math.round(seconds * 1000), client })
    })
    void (async () => {
      const target = parseRequestTarget(req.url)
      path = target.pathname.slice(0, 300)
      if (method === 'OPTIONS') {
        routeName = 'preflight'
        res.writeHead(204, { ...CORS, 'access-control-max-age': '86400' })
        return res.end()
      }
      const route = routes.find((r) => r.pattern.test(target.pathname))
      if (route === undefined) throw new HttpError(404, `no such endpoint: ${target.pathname.slice(0, 200)}`)
      routeName = route.name
      if (!route.methods.includes(method)) throw new HttpError(405, `${route.methods.join(' or ')} only here`, {}, { allow: route.methods.join(', ') })
      const wait = route.limiter?.take(clientKey(client)) ?? 0
      if (wait > 0) {
        deps.metrics.rateLimited.inc({ route: route.name })
        throw new HttpError(429, `too many requests: try again in ${wait} s`, { retryAfterSeconds: wait }, { 'retry-after': String(wait) })
      }
      await route.handle({ req, res, target, params: route.pattern.exec(target.pathname)!.slice(1), client })
    })().catch((error: unknown) => {
      const failure = toHttpError(error)
      if (failure.status >= 500) deps.log.log('error', 'request failed', { path, error: (error as Error)?.message })
      if (res.headersSent) return res.destroy()
      // An unread request body (refused upload): answer, then close rather than read it all.
      const unread = !req.complete
      sendJson(res, failure.status, failure.body, { ...CORS, ...failure.headers, ...(unread ? { connection: 'close' } : {}) })
      if (unread) res.on('finish', () => req.socket?.destroySoon())
    })
  }, {
    limits: config.guard,
    trustedProxies: trusted,
    onRefused: (reason) => deps.metrics.connectionsRefused.inc({ reason }),
  })
}

/** Methods counted by name in metrics (anything else is "other", so labels stay bounded). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error
  if (error instanceof StorageFailure) return new HttpError(503, error.message)
  if (error instanceof IPFSError) {
    const status: Record<string, number> = {
      IPFS_BAD_CID: 400,
      IPFS_NOT_FOUND: 404,
      IPFS_TOO_LARGE: 413,
      IPFS_UNSUPPORTED: 422,
      IPFS_VERIFICATION_FAILED: 502,
      IPFS_TIMEOUT: 504,
    }
    return new HttpError(status[error.code] ?? 503, error.message)
  }
  return new HttpError(500, 'internal error')
}
