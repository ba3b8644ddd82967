import { ModnetError } from '../types/errors.ts'

/**
 * Why an IPFS operation failed. Codes:
 * - `IPFS_NOT_FOUND`: no backend had the content (or a block of it) in time;
 * - `IPFS_TIMEOUT`: an attempt took longer than allowed;
 * - `IPFS_UNAVAILABLE`: the backend could not be reached or answered with an error;
 * - `IPFS_VERIFICATION_FAILED`: bytes did not match their CID and were discarded;
 * - `IPFS_CID_MISMATCH`: a backend stored content under a CID other than the one computed here;
 * - `IPFS_TOO_LARGE`: content exceeds the size the caller allowed;
 * - `IPFS_READ_ONLY`: the backend cannot store content;
 * - `IPFS_REJECTED`: the backend refused the request as invalid (e.g. a gateway's schema check);
 * - `IPFS_BAD_CID`: a CID string or binary CID could not be parsed;
 * - `IPFS_UNSUPPORTED`: a codec or hash this library cannot verify.
 */
export type IPFSErrorCode =
  | 'IPFS_NOT_FOUND'
  | 'IPFS_TIMEOUT'
  | 'IPFS_UNAVAILABLE'
  | 'IPFS_VERIFICATION_FAILED'
  | 'IPFS_CID_MISMATCH'
  | 'IPFS_TOO_LARGE'
  | 'IPFS_READ_ONLY'
  | 'IPFS_REJECTED'
  | 'IPFS_BAD_CID'
  | 'IPFS_UNSUPPORTED'

export class IPFSError extends ModnetError {
  declare readonly code: IPFSErrorCode

  constructor(code: IPFSErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'IPFSError'
  }
}

/** Errors worth another attempt: the network or the backend may recover. */
export function isTransient(error: unknown): boolean {
  return error instanceof IPFSError && (error.code === 'IPFS_TIMEOUT' || error.code === 'IPFS_UNAVAILABLE')
}
