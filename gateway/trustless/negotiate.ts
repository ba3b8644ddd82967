/**
 * What a `GET /ipfs/<cid>[/<path>]` asks for: a raw block, a CAR (with its
 * parameters) or the content, from `?format=`, the `Accept` header and the
 * CAR query parameters (trustless gateway spec, IPIP-412, IPIP-523).
 * Refusals are HttpErrors in words: 400 for a malformed parameter, 406 for a
 * well-formed request this gateway does not serve.
 */
import { HttpError } from '../http/http-error.ts'
import { parseEntityBytes, type EntityBytes } from './entity-bytes.ts'

export const RAW_TYPE = 'application/vnd.ipld.raw'
export const CAR_TYPE = 'application/vnd.ipld.car'

export type ResponseFormat = 'raw' | 'car' | 'content'
export type DagScope = 'block' | 'entity' | 'all'
export type CarOrder = 'dfs' | 'unk'

/** The CAR a request asks for (defaults filled in). */
export interface CarOptions {
  /** What follows the path's blocks: the terminal block, its entity, or its whole DAG. @default 'all' */
  scope: DagScope
  /** Only the blocks holding these bytes of a file (implies `entity` scope). */
  entityBytes?: EntityBytes
  /** Blocks are always sent depth-first; `unk` is only what the client said it accepts. @default 'dfs' */
  order: CarOrder
  /** Send a block again each time the DAG walk meets it. @default false (dups=n, as boxo/Kubo) */
  dups: boolean
}

export interface TrustlessRequest {
  format: ResponseFormat
  /** Where the format came from: `?format=`, the Accept header, or neither (content). */
  negotiatedBy: 'query' | 'accept' | 'default'
  /** For `format: 'car'`. */
  car: CarOptions
  /** `?filename=` for Content-Disposition, as given. */
  filename?: string
}

interface MediaRange {
  type: string
  params: Record<string, string>
  q: number
  index: number
}

/** Accept entries looked at; the header itself is already capped by the server. */
const MAX_ACCEPT_ENTRIES = 64

/** Types that name an IPLD/IPFS response this gateway does not serve (an Accept of only these is a 406). */
const UNSERVED = /^application\/(vnd\.ipld\.|vnd\.ipfs\.|x-tar$)/

export function negotiate(query: URLSearchParams, accept: string | undefined): TrustlessRequest {
  const ranges = parseAccept(accept ?? '')
  const fromQuery = query.get('format') ?? ''
  const filename = query.get('filename') ?? undefined
  let format: ResponseFormat
  let negotiatedBy: TrustlessRequest['negotiatedBy']
  if (fromQuery !== '') {
    if (fromQuery !== 'raw' && fromQuery !== 'car') {
      throw new HttpError(406, `format "${fromQuery.slice(0, 50)}" is not served here: ask for ?format=raw (one block), ?format=car (a CAR of the DAG) or no format (a file's content)`)
    }
    format = fromQuery
    negotiatedBy = 'query'
  } else {
    const chosen = preferred(ranges)
    if (chosen !== undefined) {
      format = chosen.type === RAW_TYPE ? 'raw' : 'car'
      negotiatedBy = 'accept'
    } else if (ranges.length > 0 && ranges.every((range) => range.q === 0 || UNSERVED.test(range.type))) {
      const asked = ranges.filter((range) => range.q > 0).map(describe).join(', ')
      throw new HttpError(406, `none of the accepted types (${asked.slice(0, 200)}) is served here: accept ${RAW_TYPE}, ${CAR_TYPE} (version=1) or any type for a file's content`)
    } else {
      format = 'content'
      negotiatedBy = 'default'
    }
  }
  const car = format === 'car' ? carOptions(query, bestCar(ranges)) : { scope: 'all' as const, order: 'dfs' as const, dups: false }
  return { format, negotiatedBy, car, filename }
}

/** The Accept entry to answer: the highest `q` among raw and CARv1, the first listed on a tie. */
function preferred(ranges: MediaRange[]): MediaRange | undefined {
  return ranges
    .filter((range) => range.q > 0 && (range.type === RAW_TYPE || (range.type === CAR_TYPE && carVersionOk(range.params.version))))
    .sort((a, b) => b.q - a.q || a.index - b.index)[0]
}

function bestCar(ranges: MediaRange[]): MediaRange | undefined {
  return ranges
    .filter((range) => range.q > 0 && range.type === CAR_TYPE && carVersionOk(range.params.version))
    .sort((a, b) => b.q - a.q || a.index - b.index)[0]
}

function carVersionOk(version: string | undefined): boolean {
  return version === undefined || version === '1'
}

/** CAR parameters: the query's `car-*` first, then the Accept entry's, then the defaults. */
function carOptions(query: URLSearchParams, accepted: MediaRange | undefined): CarOptions {
  const version = query.get('car-version') ?? ''
  if (version !== '' && version !== '1') throw new HttpError(406, `car-version=${version.slice(0, 20)} is not served here: only CAR version 1`)

  const order = pick(query, 'car-order', accepted, 'order', ['dfs', 'unk'], 'dfs')
  const dups = pick(query, 'car-dups', accepted, 'dups', ['y', 'n'], 'n')

  const scopeText = query.get('dag-scope') ?? ''
  if (scopeText !== '' && scopeText !== 'block' && scopeText !== 'entity' && scopeText !== 'all') {
    throw new HttpError(400, `dag-scope must be block, entity or all (got "${scopeText.slice(0, 20)}")`)
  }
  const bytesText = query.get('entity-bytes')
  const entityBytes = bytesText === null ? undefined : parseEntityBytes(bytesText)
  // entity-bytes implies dag-scope=entity (unless only the block was asked for).
  const scope: DagScope = scopeText === 'block' ? 'block' : entityBytes !== undefined ? 'entity' : (scopeText || 'all') as DagScope
  return { scope, entityBytes: scope === 'entity' ? entityBytes : undefined, order: order as CarOrder, dups: dups === 'y' }
}

function pick(query: URLSearchParams, queryName: string, accepted: MediaRange | undefined, paramName: string, allowed: string[], fallback: string): string {
  const fromQuery = query.get(queryName) ?? ''
  if (fromQuery !== '') {
    if (!allowed.includes(fromQuery)) throw new HttpError(400, `${queryName} must be ${allowed.join(' or ')} (got "${fromQuery.slice(0, 20)}")`)
    return fromQuery
  }
  const fromAccept = accepted?.params[paramName] ?? ''
  if (fromAccept !== '') {
    if (!allowed.includes(fromAccept)) throw new HttpError(406, `${CAR_TYPE} with ${paramName}=${fromAccept.slice(0, 20)} is not served here: ${paramName} must be ${allowed.join(' or ')}`)
    return fromAccept
  }
  return fallback
}

/** RFC 9110 Accept: comma-separated media ranges with `;name=value` parameters (quoted or not) and `q`. */
export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of splitOutsideQuotes(header, ',')) {
    if (ranges.length >= MAX_ACCEPT_ENTRIES) break
    const [typeText, ...paramTexts] = splitOutsideQuotes(part, ';')
    const type = typeText.trim().toLowerCase()
    if (!/^[\w.+*-]+\/[\w.+*-]+$/.test(type)) continue
    const params: Record<string, string> = {}
    let q = 1
    for (const paramText of paramTexts) {
      const eq = paramText.indexOf('=')
      if (eq < 0) continue
      const name = paramText.slice(0, eq).trim().toLowerCase()
      let value = paramText.slice(eq + 1).trim()
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1')
      if (name === 'q') {
        const parsed = Number(value)
        q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? parsed : 1
      } else {
        params[name] = value
      }
    }
    ranges.push({ type, params, q, index: ranges.length })
  }
  return ranges
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '"') quoted = !quoted
    if (char === '\\' && quoted && i + 1 < text.length) {
      current += char + text[++i]
      continue
    }
    if (char === separator && !quoted) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts.filter((part) => part.trim() !== '')
}

function describe(range: MediaRange): string {
  const params = Object.entries(range.params).map(([name, value]) => `;${name}=${value}`).join('')
  return `${range.type}${params}`
}
