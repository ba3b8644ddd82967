/**
 * The Mod-Net gateway's HTTP API:
 *
 *   POST /api/v1/metadata      upload a metadata document (canonical JSON, schema v1): provisional pin
 *   GET  /api/v1/pins/<cid>    what the gateway keeps for a CID
 *   GET  /api/v1/modules/<key>/events  blocks holding the module's registry events (hints to verify)
 *   GET  /api/v1/proof?key=<storage key>&at=<block hash>  a storage proof of a registry key (to verify)
 *   GET  /ipfs/<cid>?format=raw  one verified block (trustless gateway, application/vnd.ipld.raw)
 *   GET  /ipfs/<cid>           the verified content
 *   GET  /healthz              IPFS backend and chain reachable
 *   GET  /metrics              Prometheus metrics
 *
 * Every answer is JSON except blocks, content and metrics; every refusal
 * says why in `error`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { u8aToHex } from '@polkadot/util'
import { xxhashAsU8a } from '@polkadot/util-crypto'
import type { IPFSClient } from '../lib/ipfs/client.ts'
import { IpfsError } from '../lib/ipfs/errors.ts'
import { parseCid } from '../lib/ipfs/cid.ts'
import { canonicalBytes, parseJsonDocument } from '../lib/types/canonical.ts'
import { MetadataParseError } from '../lib/types/errors.ts'
import { MAX_METADATA_BYTES } from '../lib/types/metadata.ts'
import { validateMetadata } from '../lib/types/validate.ts'
import type { ChainView } from './chain-follower.ts'
import type { Logger } from './log.ts'
import type { Metrics } from './metrics.ts'
import type { EventIndex } from './events.ts'
import type { PinLedger } from './pins.ts'
import { RateLimiter, type RateLimit } from './rate-limit.ts'

export interface GatewayConfig {
  /** Largest upload accepted, in bytes (default 64 KiB, the metadata limit). */
  maxUploadBytes: number
  /** How long an upload stays pinned without a registration naming it. */
  provisionalTtlMs: number
  uploadLimit: RateLimit
  readLimit: RateLimit
  /** Largest content served by GET /ipfs/<cid> without ?format=raw. */
  maxContentBytes: number
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean
  /** A chain head older than this makes /healthz report the chain stale. */
  chainStaleMs: number
}

export const DEFAULT_CONFIG: GatewayConfig = {
  maxUploadBytes: MAX_METADATA_BYTES,
  provisionalTtlMs: 60 * 60_000,
  uploadLimit: { perMinute: 30, burst: 10 },
  readLimit: { perMinute: 1200, burst: 200 },
  maxContentBytes: 16 * 1024 * 1024,
  trustProxy: false,
  chainStaleMs: 60_000,
}

export interface GatewayDeps {
  ipfs: IPFSClient
  ledger: PinLedger
  events: EventIndex
  chain: ChainView
  /** Storage proofs from the followed node, for module cards. */
  readProof?: (storageKey: string, at: string) => Promise<string[]>
  metrics: Metrics
  log: Logger
  now?: () => number
}

/** An answer with a status and an `error` in words. */
class HttpError extends Error {
  readonly status: number
  readonly body: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(error)
    this.status = status
    this.body = { error, ...extra }
    this.headers = headers
  }
}

/** twox128("ModuleRegistry"), the prefix of every registry storage key. */
const REGISTRY_PREFIX = u8aToHex(xxhashAsU8a('ModuleRegistry', 128))

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, accept',
  'access-control-expose-headers': 'content-length, etag, x-ipfs-path, x-ipfs-roots, retry-after',
}

export function createGateway(config: GatewayConfig, deps: GatewayDeps): Server {
  const now = deps.now ?? Date.now
  const uploads = new RateLimiter(config.uploadLimit, now)
  const reads = new RateLimiter(config.readLimit, now)

  const routes: { name: string; match: (method: string, path: string) => RegExpExecArray | null | boolean; limiter?: RateLimiter; handle: (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray | null | boolean) => Promise<void> }[] = [
    { name: 'upload', match: (m, p) => m === 'POST' && p === '/api/v1/metadata', limiter: uploads, handle: upload },
    { name: 'pin', match: (m, p) => (m === 'GET' || m === 'HEAD') && /^\/api\/v1\/pins\/([^/]+)$/.exec(p), limiter: reads, handle: pinStatus },
    { name: 'events', match: (m, p) => (m === 'GET' || m === 'HEAD') && /^\/api\/v1\/modules\/(0x[0-9a-fA-F]{64,66})\/events$/.exec(p), limiter: reads, handle: moduleEvents },
    { name: 'proof', match: (m, p) => m === 'GET' && p === '/api/v1/proof', limiter: reads, handle: storageProof },
    { name: 'ipfs', match: (m, p) => (m === 'GET' || m === 'HEAD') && /^\/ipfs\/([^/]+)\/?$/.exec(p), limiter: reads, handle: ipfsRead },
    { name: 'healthz', match: (m, p) => m === 'GET' && p === '/healthz', handle: health },
    { name: 'metrics', match: (m, p) => m === 'GET' && p === '/metrics', handle: metricsPage },
  ]

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') throw new HttpError(415, `send the metadata document as application/json (got ${type || 'no content type'})`)
    const body = await readBody(req, config.maxUploadBytes)
    let document: unknown
    try {
      document = parseJsonDocument(body)
    } catch (error) {
      deps.metrics.uploads.inc({ outcome: 'malformed' })
      throw new HttpError(400, error instanceof MetadataParseError ? error.message : 'the body is not JSON')
    }
    const result = validateMetadata(document)
    if (!result.ok) {
      deps.metrics.uploads.inc({ outcome: 'invalid' })
      throw new HttpError(422, `the document does not match schema modnet/module-metadata/v1 (${result.issues.length} problem${result.issues.length === 1 ? '' : 's'})`, { issues: result.issues })
    }
    // Only canonical bytes: the same document must always get the same CID.
    if (!sameBytes(canonicalBytes(document), body)) {
      deps.metrics.uploads.inc({ outcome: 'not-canonical' })
      throw new HttpError(422, 'the document is valid but not in canonical form (RFC 8785: sorted keys, no insignificant whitespace); send canonicalBytes(document)')
    }
    const cid = (await deps.ipfs.add(body)).toString()
    const entry = await deps.ledger.provisional(cid, now() + config.provisionalTtlMs)
    deps.metrics.uploads.inc({ outcome: 'stored' })
    updatePinGauge()
    send(res, 201, { cid, size: body.length, ...entry, expiresAt: entry.state === 'provisional' ? new Date(entry.expiresAt).toISOString() : undefined })
  }

  async function pinStatus(_req: IncomingMessage, res: ServerResponse, match: RegExpExecArray | null | boolean): Promise<void> {
    const cid = cidParam(match)
    const status = deps.ledger.status(cid)
    send(res, 200, { cid, ...status, expiresAt: status.state === 'provisional' ? new Date(status.expiresAt).toISOString() : undefined })
  }

  async function moduleEvents(_req: IncomingMessage, res: ServerResponse, match: RegExpExecArray | null | boolean): Promise<void> {
    const key = (match as RegExpExecArray)[1].toLowerCase()
    send(res, 200, { key, events: deps.events.of(key), note: 'hints: check each against the block with a light client' })
  }

  async function storageProof(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway')
    const key = url.searchParams.get('key') ?? ''
    const at = url.searchParams.get('at') ?? ''
    // Registry keys only (twox128("ModuleRegistry") prefix): not a general state proxy.
    if (!/^0x[0-9a-f]{64,400}$/.test(key) || !key.startsWith(REGISTRY_PREFIX)) throw new HttpError(400, 'key must be a 0x-hex storage key of the ModuleRegistry pallet')
    if (!/^0x[0-9a-f]{64}$/.test(at)) throw new HttpError(400, 'at must be a 0x-hex block hash')
    if (deps.readProof === undefined) throw new HttpError(501, 'this gateway cannot give storage proofs')
    try {
      send(res, 200, { key, at, proof: await deps.readProof(key, at) })
    } catch (error) {
      throw new HttpError(503, `no storage proof: ${(error as Error).message}`)
    }
  }

  async function ipfsRead(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray | null | boolean): Promise<void> {
    const cid = cidParam(match)
    const url = new URL(req.url ?? '/', 'http://gateway')
    const format = url.searchParams.get('format') ?? (accepts(req, 'application/vnd.ipld.raw') ? 'raw' : accepts(req, 'application/vnd.ipld.car') ? 'car' : '')
    if (format !== '' && format !== 'raw') throw new HttpError(406, `format "${format}" is not served here: ask for ?format=raw (one block) or for the content`)
    const headers = {
      'x-ipfs-path': `/ipfs/${cid}`,
      'x-ipfs-roots': cid,
      'cache-control': 'public, max-age=29030400, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'Accept',
    }
    const bytes = format === 'raw'
      ? await deps.ipfs.getBlock(cid, { attempts: 1 })
      : await deps.ipfs.cat(cid, { attempts: 1, maxBytes: config.maxContentBytes })
    const contentType = format === 'raw' ? 'application/vnd.ipld.raw' : 'application/octet-stream'
    res.writeHead(200, { ...CORS, ...headers, 'content-type': contentType, 'content-length': bytes.length, etag: `"${cid}${format === 'raw' ? '.raw' : ''}"` })
    res.end(req.method === 'HEAD' ? undefined : bytes)
  }

  async function health(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ipfs = await deps.ipfs.status()
    const fresh = deps.chain.seenAt !== undefined && now() - deps.chain.seenAt < config.chainStaleMs
    const chainOk = deps.chain.connected && fresh
    const chain = {
      ok: chainOk,
      connected: deps.chain.connected,
      finalized: deps.chain.finalized ?? null,
      detail: !deps.chain.connected ? 'not connected to the chain' : fresh ? `finalized block #${deps.chain.finalized}` : 'no finalized block seen recently',
    }
    const ok = ipfs.ok && chainOk
    send(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', ipfs, chain })
  }

  async function metricsPage(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    updatePinGauge()
    const text = await deps.metrics.registry.metrics()
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType })
    res.end(text)
  }

  function updatePinGauge(): void {
    const counts = deps.ledger.counts()
    deps.metrics.pins.set({ state: 'provisional' }, counts.provisional)
    deps.metrics.pins.set({ state: 'registered' }, counts.registered)
  }

  function clientOf(req: IncomingMessage): string {
    const forwarded = req.headers['x-forwarded-for']
    if (config.trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0].trim()
    return req.socket.remoteAddress ?? 'unknown'
  }

  return createServer((req, res) => {
    const started = performance.now()
    const method = req.method ?? 'GET'
    const path = new URL(req.url ?? '/', 'http://gateway').pathname
    let routeName = 'unknown'
    const finish = () => {
      const seconds = (performance.now() - started) / 1000
      deps.metrics.requests.inc({ route: routeName, method, status: String(res.statusCode) })
      deps.metrics.latency.observe({ route: routeName }, seconds)
      deps.log.log(res.statusCode >= 500 ? 'error' : 'info', 'request', { method, path, route: routeName, status: res.statusCode, ms: Math.round(seconds * 1000), client: clientOf(req) })
    }
    res.on('finish', finish)
    void (async () => {
      if (method === 'OPTIONS') {
        routeName = 'preflight'
        res.writeHead(204, { ...CORS, 'access-control-max-age': '86400' })
        return res.end()
      }
      const route = routes.find((r) => r.match(method, path))
      if (route === undefined) throw new HttpError(404, `no such endpoint: ${method} ${path}`)
      routeName = route.name
      const wait = route.limiter?.take(clientOf(req)) ?? 0
      if (wait > 0) {
        deps.metrics.rateLimited.inc({ route: route.name })
        throw new HttpError(429, `too many requests: try again in ${wait} s`, { retryAfterSeconds: wait }, { 'retry-after': String(wait) })
      }
      await route.handle(req, res, route.match(method, path))
    })().catch((error: unknown) => {
      const failure = toHttpError(error)
      if (failure.status >= 500) deps.log.log('error', 'request failed', { path, error: (error as Error)?.message })
      if (res.headersSent) return res.destroy()
      // An unread request body (refused upload): answer, then close rather than read it all.
      const unread = !req.complete
      send(res, failure.status, failure.body, unread ? { ...failure.headers, connection: 'close' } : failure.headers)
      if (unread) res.on('finish', () => req.socket.destroySoon())
    })
  })
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error
  if (error instanceof IpfsError) {
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

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`
  res.writeHead(status, { ...CORS, ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function cidParam(match: RegExpExecArray | null | boolean): string {
  const value = decodeURIComponent((match as RegExpExecArray)[1])
  return parseCid(value).toString()
}

function accepts(req: IncomingMessage, type: string): boolean {
  return (req.headers.accept ?? '').split(',').some((part) => part.split(';')[0].trim() === type)
}

/** The body, refusing more than `limit` bytes (413) without reading the rest. */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) throw new HttpError(413, `the upload is ${declared} bytes; the limit is ${limit}`)
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length
    if (length > limit) throw new HttpError(413, `the upload is over the ${limit}-byte limit`)
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
