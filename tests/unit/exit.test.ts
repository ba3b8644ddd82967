/**
 * cli/exit.ts: the exit code for every kind of failure (README "Exit codes"),
 * and the one-line reason printed for it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeError, EXIT, exitCodeFor, UsageError } from '../../cli/exit.ts'
import { ChainError, type ChainErrorCode } from '../../lib/chain/errors.ts'
import { IPFSError, type IPFSErrorCode } from '../../lib/ipfs/errors.ts'
import { CanonicalEncodingError, MetadataParseError, MetadataValidationError, ModnetError } from '../../lib/types/errors.ts'
import { WebError } from '../../lib/web/errors.ts'

test('the codes are the ones the README documents', () => {
  assert.deepEqual({ ...EXIT }, { ok: 0, failure: 1, badInput: 2, notFound: 3, refused: 4, unavailable: 5, verification: 6 })
})

test('every chain error code has its exit code', () => {
  // A Record over the code type: a code added to ChainErrorCode fails the typecheck until it is listed here.
  const expected: Record<ChainErrorCode, number> = {
    CHAIN_UNAVAILABLE: 5,
    CHAIN_TIMEOUT: 5,
    CHAIN_UNSUPPORTED: 5,
    CHAIN_DISPATCH: 4,
    CHAIN_INVALID_TX: 4,
    CHAIN_DROPPED: 4,
    MODULE_NOT_FOUND: 3,
    BAD_KEY: 2,
    BAD_SIGNER: 2,
    BAD_PROOF: 6,
  }
  for (const [code, exit] of Object.entries(expected)) {
    assert.equal(exitCodeFor(new ChainError(code as ChainErrorCode, 'x')), exit, code)
  }
  assert.equal(exitCodeFor(new ChainError('CHAIN_DISPATCH', 'moduleRegistry.NotOwner', { pallet: 'moduleRegistry', error: 'NotOwner' })), EXIT.refused)
})

test('every IPFS error code has its exit code', () => {
  const expected: Record<IPFSErrorCode, number> = {
    IPFS_NOT_FOUND: 3,
    IPFS_VERIFICATION_FAILED: 6,
    IPFS_CID_MISMATCH: 6,
    IPFS_UNAVAILABLE: 5,
    IPFS_TIMEOUT: 5,
    IPFS_TOO_LARGE: 2,
    IPFS_READ_ONLY: 2,
    IPFS_REJECTED: 2,
    IPFS_BAD_CID: 2,
    IPFS_UNSUPPORTED: 2,
  }
  for (const [code, exit] of Object.entries(expected)) {
    assert.equal(exitCodeFor(new IPFSError(code as IPFSErrorCode, 'x')), exit, code)
  }
})

test('usage and other library errors are bad input; anything else is a failure', () => {
  assert.equal(exitCodeFor(new UsageError('--page-size must be a number')), EXIT.badInput)
  assert.equal(exitCodeFor(new MetadataValidationError([{ path: '/name', message: 'must not be empty' }])), EXIT.badInput)
  assert.equal(exitCodeFor(new MetadataParseError('invalid-json', 'not JSON')), EXIT.badInput)
  assert.equal(exitCodeFor(new CanonicalEncodingError('/size', 'NaN')), EXIT.badInput)
  assert.equal(exitCodeFor(new WebError('SITE_CONFIG', 'no config')), EXIT.badInput)
  assert.equal(exitCodeFor(new ModnetError('SOMETHING_NEW', 'x')), EXIT.badInput)
  // Not ours: a bug or the unexpected, exit 1 (and main.ts prints the stack).
  assert.equal(exitCodeFor(new Error('boom')), EXIT.failure)
  assert.equal(exitCodeFor(new TypeError('x is undefined')), EXIT.failure)
  assert.equal(exitCodeFor(new DOMException('aborted', 'AbortError')), EXIT.failure)
  assert.equal(exitCodeFor('a string'), EXIT.failure)
  assert.equal(exitCodeFor(undefined), EXIT.failure)
  assert.equal(exitCodeFor({ code: 'BAD_PROOF', message: 'looks like one' }), EXIT.failure, 'only real ChainErrors count')
})

test('a UsageError is a ModnetError with code USAGE, matched before anything else', () => {
  const error = new UsageError('cannot read the card x.json: no such file', { cause: new Error('ENOENT') })
  assert.ok(error instanceof ModnetError)
  assert.equal(error.code, 'USAGE')
  assert.equal(error.name, 'UsageError')
  assert.equal((error.cause as Error).message, 'ENOENT')
})

test('the reason printed is the error\'s own message, without a stack; non-errors as text', () => {
  const chain = new ChainError('BAD_KEY', 'module key "x" is neither 0x-hex nor an SS58 address')
  assert.equal(describeError(chain), 'module key "x" is neither 0x-hex nor an SS58 address')
  assert.equal(describeError(new MetadataValidationError([{ path: '/name', message: 'must not be empty' }, { path: '', message: 'too big' }])),
    'invalid module metadata (2 problems):\n/name: must not be empty\n(root): too big', 'schema errors one per line')
  assert.equal(describeError(new Error('boom')), 'boom')
  assert.equal(describeError('plain text'), 'plain text')
  assert.equal(describeError(42), '42')
  assert.equal(describeError(undefined), 'undefined')
  assert.ok(!describeError(new Error('boom')).includes('at '), 'no stack')
})

test('a failed dependency resolution: missing or yanked is "not found", unmatched bytes "verification", the rest bad input', () => {
  assert.equal(exitCodeFor(new ModnetError('DEPENDENCY_MISSING', 'x')), EXIT.notFound)
  assert.equal(exitCodeFor(new ModnetError('DEPENDENCY_YANKED', 'x')), EXIT.notFound)
  assert.equal(exitCodeFor(new ModnetError('DEPENDENCY_UNVERIFIED', 'x')), EXIT.verification)
  assert.equal(exitCodeFor(new ModnetError('DEPENDENCY_CYCLE', 'x')), EXIT.badInput)
})
