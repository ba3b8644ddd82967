/**
 * GET/HEAD /ipfs/<cid>[/<path>]: a trustless gateway (raw blocks, CARs) and
 * the verified content of files.
 *
 * - `?format=raw` / `Accept: application/vnd.ipld.raw`: the block at the end
 *   of the path (Range supported);
 * - `?format=car` / `Accept: application/vnd.ipld.car`: a CARv1 of the path's
 *   blocks and the DAG at its end (`dag-scope`, `entity-bytes`, `order`/
 *   `car-order`, `dups`/`car-dups`), streamed; at most
 *   {@link DEFAULT_READ_BUDGET} blocks/bytes are read per response;
 * - neither: the content of the UnixFS file at the path (up to `maxContentBytes`).
 *
 * Every block is verified against its CID by the IPFS client; each fetch has
 * a time limit (504 when it runs out); a missing block is a 404 before the
 * answer starts, and cuts a CAR after it has started.
 */
import type { IPFSClient } from '../../lib/ipfs/client.ts'
import { parseCid } from '../../lib/ipfs/cid.ts'
import { decodePathSegment } from '../http/request-target.ts'
import type { VerifiedBlockCache } from '../trustless/block-cache.ts'
import { BlockReader, DEFAULT_BLOCK_TIMEOUT_MS, DEFAULT_READ_BUDGET, type ReadBudget } from '../trustless/block-reader.ts'
import { negotiate } from '../trustless/negotiate.ts'
import { resolvePath } from '../trustless/resolve-path.ts'
import { requireCached, serveCar, serveContent, serveRaw, wantsOnlyIfCached, type Answer } from '../trustless/respond.ts'
import type { Handler } from './context.ts'

export interface IPFSDeps {
  ipfs: IPFSClient
  /** Largest content served without a format. */
  maxContentBytes: number
  /** What one response may read. @default DEFAULT_READ_BUDGET */
  budget?: ReadBudget
  /** Time allowed for each block fetch. @default DEFAULT_BLOCK_TIMEOUT_MS */
  blockTimeoutMs?: number
  /** Verified blocks shared across requests; none by default. */
  blockCache?: VerifiedBlockCache
}

export function ipfsRoutes(deps: IPFSDeps): { ipfsRead: Handler } {
  const budget = deps.budget ?? DEFAULT_READ_BUDGET
  const timeoutMs = deps.blockTimeoutMs ?? DEFAULT_BLOCK_TIMEOUT_MS
  return {
    async ipfsRead({ req, res, target, params }) {
      const root = parseCid(decodePathSegment(params[0]))
      const segments = (params[1] ?? '').split('/').filter((segment) => segment !== '').map(decodePathSegment)
      const request = negotiate(target.query, req.headers.accept)
      // The client going away aborts every read still to come.
      const gone = new AbortController()
      res.once('close', () => gone.abort())
      const reader = new BlockReader(deps.ipfs, { budget, timeoutMs, signal: gone.signal, cache: deps.blockCache })
      try {
        if (wantsOnlyIfCached(req)) await requireCached(root, reader)
        const resolved = await resolvePath(root, segments, reader)
        const answer: Answer = { req, res, requestPath: target.pathname, query: target.query, request, segments, resolved, reader }
        if (request.format === 'raw') return await serveRaw(answer)
        if (request.format === 'car') return await serveCar(answer, budget)
        return await serveContent(answer, deps.ipfs, deps.maxContentBytes)
      } catch (error) {
        // A client that left mid-read is nobody's failure: there is no one to answer.
        if (gone.signal.aborted) return
        throw error
      }
    },
  }
}
