import { ModnetError } from '../types/errors.ts'

/**
 * Chain failures. Codes:
 * - `CHAIN_UNAVAILABLE`: the node or light client cannot be reached;
 * - `CHAIN_TIMEOUT`: no answer or no finality in time;
 * - `CHAIN_DISPATCH`: the transaction was included but the runtime refused it
 *   (`pallet` and `error` name the reason, e.g. `moduleRegistry` / `NotOwner`); nothing changed;
 * - `CHAIN_INVALID_TX`: the pool rejected the transaction (fees, nonce, signature);
 * - `CHAIN_DROPPED`: the transaction left the pool without being included;
 * - `MODULE_NOT_FOUND`: no module under that key (client-side read);
 * - `BAD_KEY`: a module key or account that cannot be parsed;
 * - `BAD_SIGNER`: a signer that cannot make the required signature;
 * - `BAD_PROOF`: a storage proof, header or module card that does not check out;
 * - `CHAIN_UNSUPPORTED`: the connection cannot do what was asked (e.g. a subscription smoldot does not offer).
 */
export type ChainErrorCode =
  | 'CHAIN_UNAVAILABLE'
  | 'CHAIN_TIMEOUT'
  | 'CHAIN_DISPATCH'
  | 'CHAIN_INVALID_TX'
  | 'CHAIN_DROPPED'
  | 'MODULE_NOT_FOUND'
  | 'BAD_KEY'
  | 'BAD_SIGNER'
  | 'BAD_PROOF'
  | 'CHAIN_UNSUPPORTED'

export class ChainError extends ModnetError {
  declare readonly code: ChainErrorCode
  /** For `CHAIN_DISPATCH`: the pallet (e.g. `moduleRegistry`) and its error name (e.g. `NotOwner`). */
  readonly pallet?: string
  readonly error?: string

  constructor(code: ChainErrorCode, message: string, options?: { cause?: unknown; pallet?: string; error?: string }) {
    super(code, message, options)
    this.name = 'ChainError'
    this.pallet = options?.pallet
    this.error = options?.error
  }
}
