/**
 * The browser's one connection to Mod-Net: the smoldot light client (booted
 * from the configured chain spec, no RPC server involved; in a Web Worker,
 * warm from the last visit: lib/web/light-client.ts) and a Helia node
 * fetching verified blocks from the configured gateway. Started lazily, after first paint: smoldot
 * is a few megabytes.
 */
import type { ModuleRegistryClient } from '../chain/client.ts'
import type { HeliaGatewayIpfs } from '../ipfs/helia-gateway.ts'
import { readBoundedText } from '../http/bounded-body.ts'
import { loadConfig, type WebConfig } from './config.ts'
import { keepWarm, loadWarmStart, startLightClient } from './light-client.ts'
import { useStatus } from './store.ts'
import { WebError } from './errors.ts'

export interface Session {
  config: WebConfig
  client: ModuleRegistryClient
  ipfs: HeliaGatewayIpfs
}

/**
 * The chain spec is read no further than this. A raw spec holds the
 * compressed runtime wasm in hex (twice its size) plus the genesis storage: a
 * few MB for a runtime like this one. 16 MiB leaves ample room for a larger
 * runtime or genesis while still refusing an endless answer.
 */
export const MAX_CHAIN_SPEC_BYTES = 16 * 1024 * 1024

let started: Promise<Session> | undefined

/** The session, started on first call. */
export function session(): Promise<Session> {
  started ??= start().catch((error: unknown) => {
    started = undefined
    useStatus.getState().setChain({ phase: 'error', peers: 0, error: (error as Error).message })
    throw error
  })
  return started
}

async function start(): Promise<Session> {
  const { setChain } = useStatus.getState()
  setChain({ phase: 'starting', peers: 0 })
  mark('start')
  const config = await loadConfig()
  const specResponse = await fetch(config.chainSpec)
  if (!specResponse.ok) {
    await specResponse.body?.cancel().catch(() => {})
    throw new WebError('SITE_CONFIG', `cannot load the chain spec ${config.chainSpec}: HTTP ${specResponse.status}`)
  }
  const chainSpec = await readBoundedText(specResponse, MAX_CHAIN_SPEC_BYTES, `the chain spec ${config.chainSpec}`)
  mark('chain-spec')
  const [{ ModuleRegistryClient }, { HeliaGatewayIpfs }, lightClient, warm] = await Promise.all([
    import('../chain/client.ts'),
    import('../ipfs/helia-gateway.ts'),
    startLightClient(),
    loadWarmStart(chainSpec),
  ])
  mark('light-client-started')
  const ipfs = await HeliaGatewayIpfs.open(config.gateway)
  mark('ipfs-started')
  const warmStart = warm?.databaseContent !== undefined
  setChain({ phase: 'starting', peers: 0, thread: lightClient.thread, warmStart })
  const client = await ModuleRegistryClient.connect(
    { kind: 'light-client', chainSpec, smoldot: { client: lightClient.client, databaseContent: warm?.databaseContent } },
    { timeoutMs: 120_000, metadata: warm?.metadata },
  )
  mark('connected')
  keepWarm(client, chainSpec)
  const current: Session = { config, client, ipfs }
  void watchStatus(current)
  return current
}

/** A `modnet:session:<step>` performance mark: bench/web-start.ts reads where the start-up time goes. */
function mark(step: string): void {
  performance.mark(`modnet:session:${step}`)
}

/** Polls the light client and the gateway for the status bar. */
async function watchStatus({ client, ipfs }: Session): Promise<void> {
  const { setChain, setIpfs } = useStatus.getState()
  for (;;) {
    try {
      const status = await client.status()
      const phase = status.peers === 0 ? 'no-peers' : status.isSyncing ? 'syncing' : 'synced'
      setChain({ ...useStatus.getState().chain, phase, chain: status.chain, peers: status.peers, best: status.best, finalized: status.finalized, error: undefined })
    } catch (error) {
      setChain({ ...useStatus.getState().chain, phase: 'no-peers', error: (error as Error).message })
    }
    const ipfsStatus = await ipfs.status()
    setIpfs({ ok: ipfsStatus.ok, detail: ipfsStatus.detail })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
  }
}
