/**
 * Exit codes and one-line reasons for every failure. A user error never
 * prints a stack trace (set MODNET_DEBUG=1 to see one).
 */
import { ChainError } from '../lib/chain/errors.ts'
import { IPFSError } from '../lib/ipfs/errors.ts'
import { ModnetError } from '../lib/types/errors.ts'

export const EXIT = {
  ok: 0,
  failure: 1,
  /** Bad usage, unreadable file, invalid metadata, malformed key or CID. */
  badInput: 2,
  /** No module under the key, or content not found on IPFS. */
  notFound: 3,
  /** The chain refused the transaction (the pallet's error is printed). */
  refused: 4,
  /** Node, light client, IPFS or gateway unreachable or too slow. */
  unavailable: 5,
  /** Bytes did not match their CID, or a proof or card did not check out. */
  verification: 6,
} as const

/** A CLI-level user error (bad option values, unreadable files). */
export class UsageError extends ModnetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options)
    this.name = 'UsageError'
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.badInput
  if (error instanceof ChainError) {
    switch (error.code) {
      case 'MODULE_NOT_FOUND': return EXIT.notFound
      case 'CHAIN_DISPATCH':
      case 'CHAIN_INVALID_TX':
      case 'CHAIN_DROPPED': return EXIT.refused
      case 'BAD_KEY':
      case 'BAD_SIGNER': return EXIT.badInput
      case 'BAD_PROOF': return EXIT.verification
      default: return EXIT.unavailable
    }
  }
  if (error instanceof IPFSError) {
    switch (error.code) {
      case 'IPFS_NOT_FOUND': return EXIT.notFound
      case 'IPFS_VERIFICATION_FAILED':
      case 'IPFS_CID_MISMATCH': return EXIT.verification
      case 'IPFS_UNAVAILABLE':
      case 'IPFS_TIMEOUT': return EXIT.unavailable
      default: return EXIT.badInput
    }
  }
  if (error instanceof ModnetError) {
    // `modnet resolve`: a dependency that is not there (or withdrawn), or whose bytes did not match.
    if (error.code === 'DEPENDENCY_MISSING' || error.code === 'DEPENDENCY_YANKED') return EXIT.notFound
    if (error.code === 'DEPENDENCY_UNVERIFIED') return EXIT.verification
    return EXIT.badInput
  }
  return EXIT.failure
}

/** The message to print: the error's own words, which name what was wrong (no stack: MODNET_DEBUG=1 shows one). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
