/**
 * The Mod-Net API: uploads of metadata documents (provisional pins), pin
 * status, event hints per module, and storage and finality proofs for module
 * cards (relayed from the node: cards are verified by whoever uses them).
 */
import type { IncomingMessage } from 'node:http'
import type { FinalityProofAnswer } from '../../lib/chain/grandpa.ts'
import { isRegistryStorageKey } from '../../lib/chain/storage-keys.ts'
import { parseCid } from '../../lib/ipfs/cid.ts'
import { canonicalBytes, parseJsonDocument } from '../../lib/types/canonical.ts'
import { MetadataParseError } from '../../lib/types/errors.ts'
import { validateMetadata } from '../../lib/types/validate.ts'
import { HttpError, sendJson } from '../http/http-error.ts'
import { decodePathSegment } from '../http/request-target.ts'
import type { Metrics } from '../metrics.ts'
import type { PinKeeper } from '../pin-keeper.ts'
import type { PinView } from '../store/pins.ts'
import type { ChainIndex } from '../store/chain-index.ts'
import { CORS, type Handler } from './context.ts'


export interface ApiDeps {
  keeper: PinKeeper
  index: ChainIndex
  metrics: Metrics
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: number
  /** Storage proofs from the followed node, for module cards. */
  storageProof?: (storageKey: string, at: string) => Promise<string[]>
  /** GRANDPA justifications from the followed node, for module cards. */
  finalityProof?: (blockNumber: number) => Promise<FinalityProofAnswer | null>
}

export function apiRoutes(deps: ApiDeps): { upload: Handler; pinStatus: Handler; moduleEvents: Handler; storageProof: Handler; finalityProof: Handler } {
  return {
    async upload({ req, res }) {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
      if (type !== 'application/json') throw new HttpError(415, `send the metadata document as application/json (got ${type || 'no content type'})`)
      const body = await readBody(req, deps.maxUploadBytes)
      let document: unknown
      try {
        document = parseJsonDocument(body)
      } catch (error) {
        deps.metrics.uploads.inc({ outcome: 'malformed' })
        throw new HttpError(400, error instanceof MetadataParseError ? error.message : 'the body is not JSON')
      }
      const result = validateMetadata(document)
      if (!result.ok) {
        deps.metrics.uploads.inc({ outcome: 'invalid' })
        throw new HttpError(422, `the document does not match schema modnet/module-metadata/v1 (${result.issues.length} problem${result.issues.length === 1 ? '' : 's'})`, { issues: result.issues })
      }
      // Only canonical bytes: the same document must always get the same CID.
      if (!sameBytes(canonicalBytes(document), body)) {
        deps.metrics.uploads.inc({ outcome: 'not-canonical' })
        throw new HttpError(422, 'the document is valid but not in canonical form (RFC 8785: sorted keys, no insignificant whitespace); send canonicalBytes(document)')
      }
      const view = await deps.keeper.upload(body)
      deps.metrics.uploads.inc({ outcome: 'stored' })
      sendJson(res, 201, { ...pinJson(view), size: body.length }, CORS)
    },

    async pinStatus({ res, params }) {
      sendJson(res, 200, pinJson(deps.keeper.status(cidParam(params[0]))), CORS)
    },

    async moduleEvents({ res, params }) {
      const key = params[0].toLowerCase()
      sendJson(res, 200, { key, events: deps.index.eventsOf(key), note: 'hints: replay them against the key\'s history commitment (ModuleHistory), or check each against its block, with a light client' }, CORS)
    },

    async storageProof({ res, target }) {
      const key = target.query.get('key') ?? ''
      const at = target.query.get('at') ?? ''
      // Registry keys only (twox128("ModuleRegistry") prefix): not a general state proxy.
      if (!isRegistryStorageKey(key)) throw new HttpError(400, 'key must be a 0x-hex storage key of the ModuleRegistry pallet')
      if (!/^0x[0-9a-f]{64}$/.test(at)) throw new HttpError(400, 'at must be a 0x-hex block hash')
      if (deps.storageProof === undefined) throw new HttpError(501, 'this gateway cannot give storage proofs')
      try {
        sendJson(res, 200, { key, at, proof: await deps.storageProof(key, at) }, CORS)
      } catch (error) {
        throw new HttpError(503, `no storage proof: ${(error as Error).message}`)
      }
    },

    async finalityProof({ res, target }) {
      const raw = target.query.get('block') ?? ''
      if (!/^\d{1,10}$/.test(raw) || Number(raw) > 0xffffffff) throw new HttpError(400, 'block must be a block number (0 to 4294967295)')
      if (deps.finalityProof === undefined) throw new HttpError(501, 'this gateway cannot give finality proofs')
      let answer: FinalityProofAnswer | null
      try {
        answer = await deps.finalityProof(Number(raw))
      } catch (error) {
        // A node without the method (not a modnet-node, or an older one) will never have one: 501, not "try later".
        throw new HttpError((error as { code?: string }).code === 'CHAIN_UNSUPPORTED' ? 501 : 503, `no finality proof: ${(error as Error).message}`)
      }
      if (answer === null) throw new HttpError(404, `no justification covers block #${raw} yet (not finalized, or the node has none)`)
      sendJson(res, 200, answer, CORS)
    },
  }
}

/** A pin as the API shows it (times as ISO strings). */
function pinJson(view: PinView): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())
  return { ...view, expiresAt: iso(view.expiresAt), nextAttemptAt: iso(view.nextAttemptAt) }
}

export function cidParam(raw: string): string {
  return parseCid(decodePathSegment(raw)).toString()
}

/**
 * The body, refusing more than `limit` bytes (413) without reading the rest.
 * A body that stops arriving is cut by the server's request timeout.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) throw new HttpError(413, `the upload is ${declared} bytes; the limit is ${limit}`)
  const chunks: Buffer[] = []
  let length = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      length += chunk.length
      if (length > limit) throw new HttpError(413, `the upload is over the ${limit}-byte limit`)
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new HttpError(400, `the request body could not be read: ${(error as Error).message}`)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
