/**
 * Canonical JSON (RFC 8785, "JCS") and strict JSON document parsing.
 *
 * Canonical form is what Mod-Net hashes, signs and size-limits: object
 * members sorted by the UTF-16 code units of their names, no insignificant
 * whitespace, numbers in ECMAScript `Number.prototype.toString` form
 * (`1.0` → `1`, `-0` → `0`, `1e21` → `1e+21`) and strings escaped exactly as
 * `JSON.stringify` escapes them. Only JSON values are accepted: anything
 * `JSON.stringify` would silently drop or convert (undefined, functions,
 * NaN, Dates, Maps, class instances...) is an error instead.
 */
import { CanonicalEncodingError, MetadataParseError, displayPath } from './errors.ts'

/** Appends one reference token to a JSON Pointer (RFC 6901), escaping `~` and `/`. */
export function jsonPointer(base: string, token: string | number): string {
  return `${base}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`
}

// A code point of general category Cs in a `u` regexp is an unpaired surrogate.
const LONE_SURROGATE = /\p{Cs}/u

function describe(value: object): string {
  const proto: unknown = Object.getPrototypeOf(value)
  const ctor = typeof proto === 'object' && proto !== null ? (proto as { constructor?: unknown }).constructor : undefined
  const name = typeof ctor === 'function' && ctor.name !== '' ? ctor.name : Object.prototype.toString.call(value).slice(8, -1)
  return `a ${name} object`
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto === null || proto === Object.prototype) return true
  // A plain object from another realm (iframe, vm context): its prototype is that realm's Object.prototype.
  return (
    typeof proto === 'object' &&
    Object.getPrototypeOf(proto) === null &&
    Object.prototype.toString.call(value) === '[object Object]'
  )
}

function encodeString(value: string, path: string, what: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new CanonicalEncodingError(path, `${what} contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding`)
  }
  return JSON.stringify(value)
}

function encode(value: unknown, path: string, out: string[], ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(encodeString(value, path, 'string'))
      return
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalEncodingError(path, `number ${String(value)} is not finite; JSON has no NaN or Infinity`)
      }
      out.push(JSON.stringify(value))
      return
    case 'boolean':
      out.push(value ? 'true' : 'false')
      return
    case 'undefined':
      throw new CanonicalEncodingError(path, 'value is undefined; JSON has no undefined (omit the property instead)')
    case 'bigint':
      throw new CanonicalEncodingError(path, 'value is a bigint; convert it to a number or a string first')
    case 'symbol':
      throw new CanonicalEncodingError(path, 'value is a symbol, which is not a JSON value')
    case 'function':
      throw new CanonicalEncodingError(path, 'value is a function, which is not a JSON value')
    case 'object': {
      if (value === null) {
        out.push('null')
        return
      }
      if (ancestors.has(value)) {
        throw new CanonicalEncodingError(path, 'value contains a circular reference')
      }
      if (Array.isArray(value)) {
        ancestors.add(value)
        out.push('[')
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',')
          encode(value[i], jsonPointer(path, i), out, ancestors)
        }
        out.push(']')
        ancestors.delete(value)
        return
      }
      if (!isPlainObject(value)) {
        throw new CanonicalEncodingError(
          path,
          `value is ${describe(value)}; only plain objects, arrays, strings, finite numbers, booleans and null can be encoded`,
        )
      }
      ancestors.add(value)
      const record = value as Record<string, unknown>
      // Default sort compares UTF-16 code units, which is exactly what RFC 8785 §3.2.3 asks for.
      const keys = Object.keys(record).sort()
      out.push('{')
      keys.forEach((key, i) => {
        const childPath = jsonPointer(path, key)
        if (i > 0) out.push(',')
        out.push(encodeString(key, childPath, 'property name'), ':')
        encode(record[key], childPath, out, ancestors)
      })
      out.push('}')
      ancestors.delete(value)
      return
    }
    default:
      throw new CanonicalEncodingError(path, `value of type ${typeof value} is not a JSON value`)
  }
}

/**
 * RFC 8785 canonical JSON text of `value`.
 * @throws {CanonicalEncodingError} if `value` (at any depth) is not a JSON value; `.path` says where.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = []
  encode(value, '', out, new Set())
  return out.join('')
}

const encoder = new TextEncoder()

/**
 * UTF-8 bytes of {@link canonicalJson}`(value)`: the bytes Mod-Net hashes and signs.
 * @throws {CanonicalEncodingError}
 */
export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return encoder.encode(canonicalJson(value))
}

/** Options for {@link parseJsonDocument}. */
export interface ParseJsonOptions {
  /** Reject inputs longer than this many bytes before decoding them. */
  maxBytes?: number
  /**
   * Reject arrays and objects nested deeper than this (default
   * {@link MAX_JSON_DEPTH}): deep nesting costs the checks below quadratic
   * time and memory, and no metadata document needs it.
   */
  maxDepth?: number
}

/** Deepest nesting of arrays and objects a parsed document may have (schema v1 needs 4). */
export const MAX_JSON_DEPTH = 32

/**
 * Parses a JSON document from bytes, strictly: the bytes must be valid UTF-8
 * without a byte order mark, must be one JSON value (RFC 8259), and objects must
 * not repeat a member name (JSON.parse would silently keep the last one, so two
 * readers could disagree about the document).
 * @throws {MetadataParseError} with `.problem` = 'too-large' | 'too-deep' |
 *   'byte-order-mark' | 'invalid-utf8' | 'invalid-json' | 'duplicate-key'.
 */
export function parseJsonDocument(bytes: Uint8Array, options: ParseJsonOptions = {}): unknown {
  const { maxBytes } = options
  if (maxBytes !== undefined && bytes.length > maxBytes) {
    throw new MetadataParseError('too-large', `document is ${bytes.length} bytes, more than the ${maxBytes}-byte limit`)
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new MetadataParseError('byte-order-mark', 'document starts with a UTF-8 byte order mark; JSON documents must not have one')
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch (cause) {
    throw new MetadataParseError('invalid-utf8', 'document is not valid UTF-8 text', { cause })
  }
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH
  if (nestingDepth(text, maxDepth) > maxDepth) {
    throw new MetadataParseError('too-deep', `document nests arrays or objects more than ${maxDepth} levels deep`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new MetadataParseError('invalid-json', `document is not valid JSON: ${detail}`, { cause })
  }
  const duplicate = findDuplicateKey(text)
  if (duplicate !== undefined) {
    throw new MetadataParseError(
      'duplicate-key',
      `duplicate property "${duplicate.key}" in ${displayPath(duplicate.parent)}; each property may appear only once`,
      { path: duplicate.path },
    )
  }
  return value
}

interface ScanFrame {
  /** Member names seen so far; null for arrays. */
  keys: Set<string> | null
  path: string
  /** Arrays: index of the current element. */
  index: number
  /** Objects: name of the current member. */
  key: string
  /** Objects: the next string is a member name. */
  expectKey: boolean
}

/** Finds the first repeated member name. `text` must already be known to be valid JSON. */
/** How deep arrays and objects nest in `text` (strings skipped), counting up to `limit + 1`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0
  let deepest = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      deepest = Math.max(deepest, ++depth)
      if (deepest > limit) return deepest
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--
    }
  }
  return deepest
}

function findDuplicateKey(text: string): { key: string; parent: string; path: string } | undefined {
  const stack: ScanFrame[] = []
  const childPath = (): string => {
    const top = stack[stack.length - 1]
    if (top === undefined) return ''
    return top.keys === null ? jsonPointer(top.path, top.index) : jsonPointer(top.path, top.key)
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      let j = i + 1
      let escaped = false
      for (;;) {
        const d = text.charCodeAt(j)
        if (d === 0x5c /* \ */) {
          escaped = true
          j += 2
        } else if (d === 0x22) {
          break
        } else {
          j++
        }
      }
      const top = stack[stack.length - 1]
      if (top !== undefined && top.keys !== null && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j)
        if (top.keys.has(key)) return { key, parent: top.path, path: jsonPointer(top.path, key) }
        top.keys.add(key)
        top.key = key
        top.expectKey = false
      }
      i = j
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ keys: c === 0x7b ? new Set() : null, path: childPath(), index: 0, key: '', expectKey: true })
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop()
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1]
      if (top !== undefined) {
        if (top.keys === null) top.index++
        else top.expectKey = true
      }
    }
  }
  return undefined
}
