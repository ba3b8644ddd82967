/**
 * Hardening every Mod-Net HTTP server shares (the gateway, the static web
 * server): timeouts for slow clients, a cap on open connections per client,
 * and malformed requests (bad request lines, oversize headers, broken
 * chunking, lying Content-Length) answered with a 4xx in words rather than
 * crashing or hanging the process.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { clientKey, normalizeAddress, type TrustedProxies } from './client-address.ts'
import { rawJsonAnswer } from './http-error.ts'

export interface GuardLimits {
  /** Whole header block, in bytes (Node answers 431 above it). */
  maxHeaderBytes: number
  /** Time to receive the request headers. */
  headersTimeoutMs: number
  /** Time to receive the whole request, body included. */
  requestTimeoutMs: number
  /** A connection with no traffic either way for this long is closed. */
  idleTimeoutMs: number
  /** Idle keep-alive connections are closed after this long. */
  keepAliveTimeoutMs: number
  /** Open connections one client (IPv4 address or IPv6 /64) may hold; trusted proxies are exempt. */
  maxConnectionsPerClient: number
  /** Open connections in all. */
  maxConnections: number
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = {
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerClient: 64,
  maxConnections: 4096,
}

export interface GuardOptions {
  limits: GuardLimits
  trustedProxies?: TrustedProxies
  /** Told about every refusal made below the request handlers (for metrics). */
  onRefused?: (reason: 'malformed' | 'timeout' | 'headers-too-large' | 'too-many-connections') => void
}

/** An HTTP server with the guards in place, calling `handler` for well-formed requests. */
export function createGuardedServer(handler: RequestListener<typeof IncomingMessage, typeof ServerResponse>, options: GuardOptions): Server {
  const { limits } = options
  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often the two timeouts above are checked (default 30 s).
    connectionsCheckingInterval: 1_000,
  }, handler)
  server.maxConnections = limits.maxConnections
  server.setTimeout(limits.idleTimeoutMs, (socket: Socket) => socket.destroy())

  const open = new Map<string, number>()
  server.on('connection', (socket: Socket) => {
    const address = normalizeAddress(socket.remoteAddress ?? '')
    if (options.trustedProxies?.has(address)) return
    const key = clientKey(address)
    const count = (open.get(key) ?? 0) + 1
    if (count > limits.maxConnectionsPerClient) {
      options.onRefused?.('too-many-connections')
      socket.end(rawJsonAnswer(429, 'Too Many Requests', `too many open connections from your address (the limit is ${limits.maxConnectionsPerClient})`))
      socket.destroySoon()
      return
    }
    open.set(key, count)
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1
      if (left <= 0) open.delete(key)
      else open.set(key, left)
    })
  })

  server.on('clientError', (error: NodeJS.ErrnoException & { bytesParsed?: number }, socket: Socket) => {
    if (!socket.writable || (error.code === 'ECONNRESET')) return void socket.destroy()
    const [status, reason, words, refusal] = describeClientError(error, limits)
    options.onRefused?.(refusal)
    socket.end(rawJsonAnswer(status, reason, words))
    socket.destroySoon()
  })
  return server
}

function describeClientError(error: NodeJS.ErrnoException, limits: GuardLimits): [number, string, string, 'malformed' | 'timeout' | 'headers-too-large'] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large', `the request headers are over the ${limits.maxHeaderBytes}-byte limit`, 'headers-too-large']
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', `the request was not received in time (headers within ${limits.headersTimeoutMs / 1000} s, the whole request within ${limits.requestTimeoutMs / 1000} s)`, 'timeout']
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
    case 'HPE_INVALID_CHUNK_SIZE':
      return [400, 'Bad Request', 'the chunked request body is malformed', 'malformed']
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
      return [400, 'Bad Request', 'the request has an invalid Content-Length (or both Content-Length and Transfer-Encoding)', 'malformed']
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return [400, 'Bad Request', 'the request has an invalid Transfer-Encoding', 'malformed']
    case 'HPE_INVALID_METHOD':
      return [400, 'Bad Request', 'the request method is not a valid HTTP method', 'malformed']
    case 'HPE_INVALID_URL':
      return [400, 'Bad Request', 'the request target is not a valid URL', 'malformed']
    case 'HPE_INVALID_VERSION':
      return [400, 'Bad Request', 'the request line does not end in a valid HTTP version', 'malformed']
    default:
      return [400, 'Bad Request', 'the request is not valid HTTP/1.1', 'malformed']
  }
}
