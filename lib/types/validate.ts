/**
 * Validation of module metadata documents against schema/module-metadata.v1.json.
 *
 * Every problem is reported, each with the JSON Pointer of the offending value
 * and a plain-words message; the canonical size limit (MAX_METADATA_BYTES) is
 * checked too. The schema is compiled once, on first use.
 *
 * Note for browser use: Ajv compiles schemas to code with `new Function`, so a
 * page with a Content-Security-Policy must allow 'unsafe-eval' (or a future
 * build step must switch to Ajv's standalone code).
 */
/// <reference path="./spdx-expression-parse.d.ts" />
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'
import type { FormatsPlugin } from 'ajv-formats'
import semverValid from 'semver/functions/valid.js'
import semverValidRange from 'semver/ranges/valid.js'
import parseSpdx from 'spdx-expression-parse'
import { CID } from 'multiformats/cid'
import schema from '../../schema/module-metadata.v1.json' with { type: 'json' }
import { CanonicalEncodingError, MetadataValidationError } from './errors.ts'
import type { ValidationIssue } from './errors.ts'
import { canonicalBytes, jsonPointer } from './canonical.ts'
import { MAX_METADATA_BYTES } from './metadata.ts'
import type { ModuleMetadata } from './metadata.ts'

/** The v1 JSON Schema, as a plain object (e.g. for editors or forms). */
export const moduleMetadataJsonSchema: Readonly<Record<string, unknown>> = schema

export type ValidationResult = { ok: true; metadata: ModuleMetadata } | { ok: false; issues: ValidationIssue[] }

// ajv-formats is CommonJS with `exports.default`: Node ESM hands us module.exports
// (the plugin function, which also has `.default`), bundlers may hand us either.
const addFormats: FormatsPlugin =
  (addFormatsImport as unknown as { default?: FormatsPlugin }).default ?? (addFormatsImport as unknown as FormatsPlugin)

/** The regular expression of https://semver.org (SemVer 2.0.0), which semver.valid is looser than. */
const SEMVER_2_REGEX =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

/** SemVer 2.0.0 version: the official grammar, and semver's own limits (length, safe integers). */
export function isSemverVersion(value: string): boolean {
  return SEMVER_2_REGEX.test(value) && semverValid(value) !== null
}

/** A range npm's semver understands, e.g. `^1.2.0`, `~2.1`, `>=1.0.0 <2.0.0`, `1.x || 2.x`. */
export function isSemverRange(value: string): boolean {
  return value.trim() !== '' && semverValidRange(value) !== null
}

/** An SPDX license expression, e.g. `MIT`, `Apache-2.0 OR MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`. */
export function isSpdxExpression(value: string): boolean {
  try {
    parseSpdx(value)
    return true
  } catch {
    return false
  }
}

/** A CIDv0 or CIDv1 string in a multibase `CID.parse` reads without help (base58btc, base32, base36). */
export function isCid(value: string): boolean {
  // Those alphabets are ASCII; multiformats' base-x decoder would read a character above U+00FF as a digit.
  if (/[^\x21-\x7e]/.test(value)) return false
  try {
    CID.parse(value)
    return true
  } catch {
    return false
  }
}

const FORMAT_MESSAGES: Record<string, string> = {
  semver: 'must be a SemVer 2.0 version such as 1.2.3 or 2.0.0-rc.1 (no leading "v")',
  'semver-range': 'must be a SemVer version range such as ^1.2.0, ~2.1 or >=1.0.0 <2.0.0',
  spdx: 'must be an SPDX license expression such as MIT or Apache-2.0 OR MIT',
  cid: 'must be an IPFS CID: CIDv0 (Qm…) or CIDv1 in base32, base36 or base58btc (such as bafy…)',
  email: 'must be an email address such as jane@example.org',
  uri: 'must be an absolute URL such as https://example.org/',
  'date-time': 'must be an RFC 3339 date and time with a time zone, such as 2025-01-31T12:00:00Z',
}

const NAME_RULE = 'must be 1 to 64 characters of lowercase letters, digits, ".", "_" or "-", beginning and ending with a letter or digit'

const PATTERN_MESSAGES: Record<string, string> = {
  '^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$': NAME_RULE,
  '^[a-z0-9][a-z0-9-]{0,31}$': 'must be 1 to 32 characters of lowercase letters, digits or "-", beginning with a letter or digit',
  '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$':
    'must be a media type written as type/subtype without parameters, such as application/wasm',
  '^[0-9a-f]{64}$': 'must be a SHA-256 digest written as 64 lowercase hexadecimal characters',
  '^0x[0-9a-f]{128}$': 'must be "0x" followed by 128 lowercase hexadecimal characters (a 64-byte sr25519 or ed25519 signature)',
  '^0x[0-9a-f]{130}$': 'must be "0x" followed by 130 lowercase hexadecimal characters (a 65-byte ecdsa signature)',
  '^(?:https?|git\\+https|git\\+ssh|ssh)://': 'must be a URL starting with https://, http://, git+https://, git+ssh:// or ssh://',
  '^(?:https?|wss?)://': 'must be a URL starting with http://, https://, ws:// or wss://',
  '^https?://': 'must be a URL starting with https:// or http://',
  '^0x(?:[0-9a-f]{64}|[0-9a-f]{66})$': 'must be a module key: "0x" followed by 64 or 66 lowercase hexadecimal characters (a 32- or 33-byte public key)',
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
}

let compiled: ValidateFunction | undefined

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
    addFormats(ajv, ['email', 'uri', 'date-time'])
    ajv.addFormat('semver', { type: 'string', validate: isSemverVersion })
    ajv.addFormat('semver-range', { type: 'string', validate: isSemverRange })
    ajv.addFormat('spdx', { type: 'string', validate: isSpdxExpression })
    ajv.addFormat('cid', { type: 'string', validate: isCid })
    compiled = ajv.compile(schema)
  }
  return compiled
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}

/** Turns one Ajv error into zero or more issues with human messages. */
function toIssues(error: ErrorObject, data: unknown): ValidationIssue[] {
  const path = error.instancePath
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      // `if`: the then/else error itself is reported. `propertyNames`: the inner error
      // (marked with `propertyName`) is reported, at the offending name's path.
      return []
    case 'required': {
      const name = String(params.missingProperty)
      return [{ path: jsonPointer(path, name), message: `required property "${name}" is missing` }]
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty)
      const hint = path === '' ? ' (extension properties must start with "x-")' : ''
      return [{ path: jsonPointer(path, name), message: `unknown property "${name}"${hint}` }]
    }
    case 'type': {
      const types = String(params.type).split(',')
      return [{ path, message: `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}` }]
    }
    case 'const':
      return [{ path, message: `must be exactly ${quote(params.allowedValue)}` }]
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(quote)
      return [{ path, message: `must be one of ${allowed.join(', ')}` }]
    }
    case 'minLength':
      return [{ path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${plural(Number(params.limit), 'character')} long` }]
    case 'maxLength':
      return [{ path, message: `must be at most ${plural(Number(params.limit), 'character')} long` }]
    case 'minimum':
      return [{ path, message: `must be at least ${String(params.limit)}` }]
    case 'maximum':
      return [{ path, message: `must be at most ${String(params.limit)}` }]
    case 'minItems':
      return [{ path, message: `must have at least ${plural(Number(params.limit), 'item')}` }]
    case 'maxItems':
      return [{ path, message: `must have at most ${plural(Number(params.limit), 'item')}` }]
    case 'maxProperties':
      return [{ path, message: `must have at most ${String(params.limit)} entries` }]
    case 'uniqueItems':
      return duplicateItems(path, data)
    case 'format': {
      const format = String(params.format)
      return [{ path: nameAwarePath(error), message: namePrefix(error) + (FORMAT_MESSAGES[format] ?? `must be in ${format} format`) }]
    }
    case 'pattern': {
      const pattern = String(params.pattern)
      const message = PATTERN_MESSAGES[pattern] ?? `must match the regular expression ${pattern}`
      return [{ path: nameAwarePath(error), message: namePrefix(error) + message }]
    }
    default:
      return [{ path: nameAwarePath(error), message: namePrefix(error) + (error.message ?? `fails the "${error.keyword}" rule`) }]
  }
}

/** Errors raised by `propertyNames` carry the offending name; point at that member. */
function nameAwarePath(error: ErrorObject): string {
  return error.propertyName === undefined ? error.instancePath : jsonPointer(error.instancePath, error.propertyName)
}

function namePrefix(error: ErrorObject): string {
  if (error.propertyName === undefined) return ''
  return `${error.instancePath === '/dependencies' ? 'dependency' : 'property'} name "${error.propertyName}" `
}

/** Ajv stops at the first duplicate; report every later copy of an earlier item. */
function duplicateItems(path: string, data: unknown): ValidationIssue[] {
  const array = resolvePointer(data, path)
  if (!Array.isArray(array)) return [{ path, message: 'must not contain duplicate items' }]
  const seen = new Map<string, number>()
  const issues: ValidationIssue[] = []
  array.forEach((item, index) => {
    let key: string
    try {
      key = JSON.stringify(sortDeep(item)) ?? ''
    } catch {
      return
    }
    const first = seen.get(key)
    if (first === undefined) seen.set(key, index)
    else issues.push({ path: jsonPointer(path, index), message: `duplicates item ${first} (${jsonPointer(path, first)})` })
  })
  return issues.length > 0 ? issues : [{ path, message: 'must not contain duplicate items' }]
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep)
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sortDeep(record[k])]))
  }
  return value
}

function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root
  let current = root
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[token]
  }
  return current
}

/**
 * Checks `doc` against the v1 metadata schema and the canonical size limit.
 * Never throws for bad input; returns every problem found.
 */
export function validateMetadata(doc: unknown): ValidationResult {
  const validate = validator()
  const issues: ValidationIssue[] = []
  if (!validate(doc)) {
    for (const error of validate.errors ?? []) issues.push(...toIssues(error, doc))
  }
  if (typeof doc === 'object' && doc !== null) {
    try {
      const size = canonicalBytes(doc).length
      if (size > MAX_METADATA_BYTES) {
        issues.push({
          path: '',
          message: `document is ${size} bytes in canonical form, more than the ${MAX_METADATA_BYTES}-byte limit`,
        })
      }
    } catch (error) {
      if (!(error instanceof CanonicalEncodingError)) throw error
      issues.push({ path: error.path, message: `is not valid JSON data: ${error.problem}` })
    }
  }
  const unique = dedupe(issues)
  return unique.length === 0 ? { ok: true, metadata: doc as ModuleMetadata } : { ok: false, issues: unique }
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Like {@link validateMetadata} but returns the typed document or throws.
 * @throws {MetadataValidationError} listing every issue, one per line as `path: message`.
 */
export function assertValidMetadata(doc: unknown): ModuleMetadata {
  const result = validateMetadata(doc)
  if (!result.ok) throw new MetadataValidationError(result.issues)
  return result.metadata
}
