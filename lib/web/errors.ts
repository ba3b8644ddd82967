import { ModnetError } from '../types/errors.ts'

/**
 * The web app's own failures (what the chain and IPFS errors do not cover). Codes:
 * - `SITE_CONFIG`: the site's config.json or chain spec cannot be loaded or lacks a field.
 * (The gateway's event index failing is `EVENT_INDEX`, from lib/registry/history.ts.)
 */
export type WebErrorCode = 'SITE_CONFIG'

export class WebError extends ModnetError {
  declare readonly code: WebErrorCode

  constructor(code: WebErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'WebError'
  }
}
