/**
 * Error hierarchy of the Mod-Net library.
 *
 * Every error the library throws on purpose extends {@link ModnetError} and
 * carries a stable, machine-readable `code` (for example `'METADATA_INVALID'`)
 * that callers can switch on instead of parsing messages. Messages are for
 * humans and may change; codes may not.
 */
export class ModnetError extends Error {
  /** Stable, machine-readable error code, e.g. `'METADATA_INVALID'`. */
  readonly code: string

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    // Explicit (not `new.target.name`) so minifiers cannot mangle it.
    this.name = 'ModnetError'
  }
}

/** Type guard: is `error` a {@link ModnetError}, optionally with the given `code`? */
export function isModnetError(error: unknown, code?: string): error is ModnetError {
  return error instanceof ModnetError && (code === undefined || error.code === code)
}

/** Renders a JSON Pointer for messages: the root (`''`) is shown as `(root)`. */
export function displayPath(path: string): string {
  return path === '' ? '(root)' : path
}

/** A value cannot be encoded as canonical JSON (RFC 8785). Code `'CANONICAL_ENCODING'`. */
export class CanonicalEncodingError extends ModnetError {
  /** JSON Pointer of the offending value, `''` for the root, e.g. `/artifacts/0/size`. */
  readonly path: string
  /** What is wrong with the value there, e.g. `number NaN is not finite; JSON has no NaN or Infinity`. */
  readonly problem: string

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super('CANONICAL_ENCODING', `cannot encode ${displayPath(path)} as canonical JSON: ${problem}`, options)
    this.name = 'CanonicalEncodingError'
    this.path = path
    this.problem = problem
  }
}

/** Why {@link MetadataParseError} was thrown. */
export type MetadataParseProblem = 'too-large' | 'too-deep' | 'invalid-utf8' | 'byte-order-mark' | 'invalid-json' | 'duplicate-key'

/** Bytes are not a well-formed JSON document. Code `'METADATA_PARSE'`. */
export class MetadataParseError extends ModnetError {
  readonly problem: MetadataParseProblem
  /** For `'duplicate-key'`: JSON Pointer of the repeated member. */
  readonly path: string | undefined

  constructor(problem: MetadataParseProblem, message: string, options?: { cause?: unknown; path?: string }) {
    super('METADATA_PARSE', message, options)
    this.name = 'MetadataParseError'
    this.problem = problem
    this.path = options?.path
  }
}

/** One problem found while validating a metadata document. */
export interface ValidationIssue {
  /** JSON Pointer (RFC 6901) of the offending value; `''` for the document itself, e.g. `/artifacts/0/cid`. */
  path: string
  /** Plain-words explanation, e.g. `must be a SemVer 2.0 version such as 1.2.3`. */
  message: string
}

/** A metadata document does not satisfy the v1 schema. Code `'METADATA_INVALID'`. */
export class MetadataValidationError extends ModnetError {
  readonly issues: ValidationIssue[]

  constructor(issues: ValidationIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((issue) => `${displayPath(issue.path)}: ${issue.message}`)
    super('METADATA_INVALID', `invalid module metadata (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):\n${lines.join('\n')}`, options)
    this.name = 'MetadataValidationError'
    this.issues = issues
  }
}
