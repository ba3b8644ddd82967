/** For operators: /healthz (IPFS, chain and storage) and /metrics (Prometheus). */
import type { IPFSClient } from '../../lib/ipfs/client.ts'
import type { ChainView } from '../chain-follower.ts'
import { sendJson } from '../http/http-error.ts'
import type { Metrics } from '../metrics.ts'
import type { PinKeeper } from '../pin-keeper.ts'
import type { StorageHealth } from '../storage-health.ts'
import { CORS, type Handler } from './context.ts'

/** How far the follower may trail the finalized head before /healthz says so (a minute of 1 s blocks). */
export const MAX_FOLLOWER_LAG_BLOCKS = 60

export interface OpsDeps {
  ipfs: IPFSClient
  chain: ChainView
  storage: StorageHealth
  keeper: PinKeeper
  metrics: Metrics
  /** A chain head older than this makes /healthz report the chain stale. */
  chainStaleMs: number
  now: () => number
}

export function opsRoutes(deps: OpsDeps): { health: Handler; metricsPage: Handler } {
  async function check() {
    const ipfs = await deps.ipfs.status()
    const { chain } = deps
    const fresh = chain.seenAt !== undefined && deps.now() - chain.seenAt < deps.chainStaleMs
    const behind = chain.finalized !== undefined && chain.processed !== undefined ? chain.finalized - chain.processed : undefined
    // A gateway whose follower cannot keep up pins nothing new: not healthy (a balancer should prefer another).
    const following = behind !== undefined && behind <= MAX_FOLLOWER_LAG_BLOCKS
    const chainOk = chain.connected && fresh && following
    const chainStatus = {
      ok: chainOk,
      connected: chain.connected,
      finalized: chain.finalized ?? null,
      processed: chain.processed ?? null,
      detail: !chain.connected ? 'not connected to the chain'
        : !fresh ? 'no finalized block seen recently'
        : chain.processed === undefined ? `finalized block #${chain.finalized}; the registry's state is not read yet`
        : !following ? `registry changes stored only up to #${chain.processed} of finalized #${chain.finalized}${chain.lastError ? ` (${chain.lastError})` : ''}`
        : `finalized block #${chain.finalized}${behind ? `, registry changes stored up to #${chain.processed}` : ''}`,
    }
    const storage = deps.storage.status()
    const ok = ipfs.ok && chainOk && storage.ok
    deps.metrics.healthy.set(ok ? 1 : 0)
    deps.metrics.chainHeadAge.set(chain.seenAt === undefined ? -1 : (deps.now() - chain.seenAt) / 1000)
    return { ok, body: { status: ok ? 'ok' : 'degraded', ipfs, chain: chainStatus, storage } }
  }

  return {
    async health({ res }) {
      const { ok, body } = await check()
      sendJson(res, ok ? 200 : 503, body, CORS)
    },

    async metricsPage({ res }) {
      await check()
      deps.keeper.updateGauges()
      const text = await deps.metrics.registry.metrics()
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType, 'content-length': Buffer.byteLength(text) })
      res.end(text)
    },
  }
}
