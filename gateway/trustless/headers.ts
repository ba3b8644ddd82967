/**
 * Response headers of /ipfs answers (trustless and path gateway specs):
 * caching, ETags distinct per representation, Content-Disposition,
 * conditional requests and Content-Location.
 */
import { createHash } from 'node:crypto'
import type { CID } from 'multiformats/cid'
import { CORS } from '../routes/context.ts'
import { formatEntityBytes } from './entity-bytes.ts'
import { CAR_TYPE, type CarOptions, type TrustlessRequest } from './negotiate.ts'

/** Content addressed by an immutable CID never changes: cache it for a year (the spec's 29030400 s). */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=29030400, immutable'

/** Headers of every answer with a body from /ipfs (and of its 304). */
export function ipfsHeaders(requestPath: string, segmentRoots: CID[]): Record<string, string> {
  return {
    ...CORS,
    'cache-control': IMMUTABLE_CACHE_CONTROL,
    'x-content-type-options': 'nosniff',
    vary: 'Accept',
    'x-ipfs-path': requestPath,
    'x-ipfs-roots': segmentRoots.join(','),
  }
}

export function rawEtag(cid: CID): string {
  return `"${cid}.raw"`
}

export function contentEtag(cid: CID): string {
  return `"${cid}"`
}

/** The CAR's bytes depend on the path and every CAR parameter: all of them go into its ETag. */
export function carEtag(root: CID, segments: string[], options: CarOptions): string {
  const parts = [
    root.toString(),
    ...segments,
    `scope=${options.scope}`,
    `bytes=${options.entityBytes === undefined ? '' : formatEntityBytes(options.entityBytes)}`,
    `order=${options.order}`,
    `dups=${options.dups ? 'y' : 'n'}`,
  ]
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16)
  return `"${root}.car.${digest}"`
}

export function carContentType(options: CarOptions): string {
  return `${CAR_TYPE}; version=1; order=${options.order}; dups=${options.dups ? 'y' : 'n'}`
}

/**
 * `attachment; filename="…"`; a name that is not plain printable ASCII also
 * gets `filename*` (RFC 6266) and an ASCII stand-in.
 */
export function attachment(filename: string): string {
  const clean = filename.replace(/[\u0000-\u001f\u007f/\\"]/g, '_').slice(0, 255) || 'download'
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_')
  if (ascii === clean) return `attachment; filename="${ascii}"`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`
}

/** If-None-Match (weak comparison, RFC 9110 13.1.2): `*` or any listed tag equal to `etag`. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag))
}

/** Where the representation chosen by Accept lives with `?format=` (so caches tell the formats apart). */
export function contentLocation(requestPath: string, query: URLSearchParams, request: TrustlessRequest): string | undefined {
  if (request.negotiatedBy !== 'accept') return undefined
  const params = new URLSearchParams(query)
  params.set('format', request.format)
  if (request.format === 'car') {
    params.set('car-order', request.car.order)
    params.set('car-dups', request.car.dups ? 'y' : 'n')
  }
  return `${requestPath}?${params}`
}
