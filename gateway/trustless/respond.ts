/**
 * The three answers of GET/HEAD /ipfs/<cid>[/<path>] once the path is
 * resolved: a raw block (with Range), a CAR (streamed), or a file's content.
 * Everything that can fail before the first byte (a missing block, a bad
 * range, a budget) fails as an HTTP status; a CAR that fails later is cut.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CID } from 'multiformats/cid'
import type { IPFSClient } from '../../lib/ipfs/client.ts'
import { IPFSError } from '../../lib/ipfs/errors.ts'
import { HttpError } from '../http/http-error.ts'
import type { BlockReader, ReadBudget } from './block-reader.ts'
import { parseRange } from './byte-range.ts'
import { carBlocks, planCar } from './car-blocks.ts'
import { writeCar } from './car-stream.ts'
import { attachment, carContentType, carEtag, contentEtag, contentLocation, ipfsHeaders, notModified, rawEtag } from './headers.ts'
import { RAW_TYPE, type TrustlessRequest } from './negotiate.ts'
import type { ResolvedPath } from './resolve-path.ts'

export interface Answer {
  req: IncomingMessage
  res: ServerResponse
  /** The request's path as sent (X-Ipfs-Path). */
  requestPath: string
  query: URLSearchParams
  request: TrustlessRequest
  /** The path after the CID, percent-decoded. */
  segments: string[]
  resolved: ResolvedPath
  reader: BlockReader
}

/** Time `Cache-Control: only-if-cached` allows for finding the root block. */
export const ONLY_IF_CACHED_TIMEOUT_MS = 2_000

export function wantsOnlyIfCached(req: IncomingMessage): boolean {
  return (req.headers['cache-control'] ?? '').split(',').some((directive) => directive.trim().toLowerCase() === 'only-if-cached')
}

/**
 * `Cache-Control: only-if-cached`: 412 unless the root block is at hand. The
 * IPFS client has no "local only" read, so "at hand" is "read within
 * {@link ONLY_IF_CACHED_TIMEOUT_MS}" (a Kubo or embedded store without the
 * block answers "not found" at once).
 */
export async function requireCached(root: CID, reader: BlockReader): Promise<void> {
  try {
    await reader.get(root, ONLY_IF_CACHED_TIMEOUT_MS)
  } catch (error) {
    if (error instanceof IPFSError && (error.code === 'IPFS_NOT_FOUND' || error.code === 'IPFS_TIMEOUT')) {
      throw new HttpError(412, `${root} is not in this gateway's store, and the request said only-if-cached`)
    }
    throw error
  }
}

export async function serveRaw(answer: Answer): Promise<void> {
  const { req, res, resolved } = answer
  const bytes = await answer.reader.get(resolved.terminal)
  const etag = rawEtag(resolved.terminal)
  const headers: Record<string, string | number> = {
    ...common(answer),
    etag,
    'content-type': RAW_TYPE,
    'content-disposition': attachment(answer.request.filename ?? `${resolved.terminal}.bin`),
    'accept-ranges': 'bytes',
  }
  if (notModified(req.headers['if-none-match'], etag)) return void res.writeHead(304, { ...common(answer), etag }).end()
  const ifRange = req.headers['if-range']
  const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, bytes.length) : { kind: 'whole' as const }
  if (range.kind === 'unsatisfiable') {
    throw new HttpError(416, `the range "${String(req.headers.range).slice(0, 100)}" lies outside the ${bytes.length}-byte block`, {}, { 'content-range': `bytes */${bytes.length}` })
  }
  const body = range.kind === 'part' ? bytes.subarray(range.start, range.end + 1) : bytes
  if (range.kind === 'part') headers['content-range'] = `bytes ${range.start}-${range.end}/${bytes.length}`
  res.writeHead(range.kind === 'part' ? 206 : 200, { ...headers, 'content-length': body.length })
  res.end(req.method === 'HEAD' ? undefined : body)
}

export async function serveCar(answer: Answer, budget: ReadBudget): Promise<void> {
  const { req, res, resolved, request, reader } = answer
  const plan = await planCar(resolved, request.car, reader, budget)
  const etag = carEtag(resolved.root, answer.segments, request.car)
  const headers = {
    ...common(answer),
    etag,
    'content-type': carContentType(request.car),
    'content-disposition': attachment(request.filename ?? `${resolved.terminal}.car`),
    'accept-ranges': 'none',
  }
  if (notModified(req.headers['if-none-match'], etag)) return void res.writeHead(304, { ...common(answer), etag }).end()
  res.writeHead(200, headers)
  if (req.method === 'HEAD') return void res.end()
  try {
    await writeCar(res, [resolved.terminal], carBlocks(plan, reader))
  } catch (error) {
    // A client that left is no failure. Anything else cuts the response where
    // it is (the server destroys it): the blocks sent so far go out first, so
    // the client sees a 200 whose CAR breaks off, as the spec describes.
    if (reader.signal.aborted) return
    await flushed(res, CUT_FLUSH_MS)
    throw error
  }
  if (!res.destroyed) res.end()
}

/** Time a cut CAR waits for the bytes already written to leave (a client that does not read gets no more). */
const CUT_FLUSH_MS = 5_000

function flushed(res: ServerResponse, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = res.socket
    if (socket === null || socket.destroyed) return resolve()
    const timer = setTimeout(resolve, timeoutMs)
    socket.write('', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Without a format: the content of the UnixFS file (or the single block) at the path, verified. */
export async function serveContent(answer: Answer, ipfs: IPFSClient, maxContentBytes: number): Promise<void> {
  const { req, res, resolved } = answer
  // The root block must be there before a 304 says the client's copy is current.
  await answer.reader.get(resolved.terminal)
  const etag = contentEtag(resolved.terminal)
  const headers = { ...common(answer), etag, 'content-type': 'application/octet-stream' }
  if (notModified(req.headers['if-none-match'], etag)) return void res.writeHead(304, { ...common(answer), etag }).end()
  const bytes = await ipfs.cat(resolved.terminal, { attempts: 1, maxBytes: maxContentBytes, signal: answer.reader.signal })
  res.writeHead(200, { ...headers, 'content-length': bytes.length })
  res.end(req.method === 'HEAD' ? undefined : bytes)
}

function common(answer: Answer): Record<string, string> {
  const location = contentLocation(answer.requestPath, answer.query, answer.request)
  return {
    ...ipfsHeaders(answer.requestPath, answer.resolved.segmentRoots),
    ...(location === undefined ? {} : { 'content-location': location }),
  }
}
