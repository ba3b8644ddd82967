import { ModnetError } from '../types/errors.ts'

/**
 * The web app's own failures (what the chain and IPFS errors do not cover). Codes:
 * - `SITE_CONFIG`: the site's config.json or chain spec cannot be loaded or lacks a field;
 * - `EVENT_INDEX`: the gateway's event index (hints for the audit trail) cannot be read.
 */
export type WebErrorCode = 'SITE_CONFIG' | 'EVENT_INDEX'

export class WebError extends ModnetError {
  declare readonly code: WebErrorCode

  constructor(code: WebErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'WebError'
  }
}
