/** What every route handler gets: the request, its parsed target and its client. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestTarget } from '../http/request-target.ts'

export interface RequestContext {
  req: IncomingMessage
  res: ServerResponse
  target: RequestTarget
  /** The route pattern's captures. */
  params: string[]
  /** The client's address (after trusted proxies). */
  client: string
}

export type Handler = (ctx: RequestContext) => Promise<void>

/** CORS for browsers on any origin: reads and uploads carry no credentials. */
export const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, accept, range',
  'access-control-expose-headers': 'content-length, content-range, content-disposition, content-location, etag, x-ipfs-path, x-ipfs-roots, retry-after',
}
