/**
 * Opens `@polkadot/api` on the registry chain, through the smoldot light
 * client (given a chain spec) or a JSON-RPC WebSocket node.
 */
import { ApiPromise, WsProvider } from '@polkadot/api'
import type { ProviderInterface } from '@polkadot/rpc-provider/types'
import { ChainError } from './errors.ts'
import { SmoldotProvider, type SmoldotProviderOptions } from './smoldot-provider.ts'

/**
 * modnet-node's own RPC methods (node/src/rpc.rs). The API decorates them only
 * where the node lists them in `rpc_methods`, so a light client or another
 * node simply lacks them.
 */
const MODNET_RPC = {
  modnet: {
    finalityProof: {
      description: 'The GRANDPA justification covering a block: { block, number, header, justification } or null',
      params: [{ name: 'block', type: 'u32' }],
      type: 'Json',
    },
  },
}

export type Connection =
  | { kind: 'light-client'; chainSpec: string; smoldot?: SmoldotProviderOptions }
  | { kind: 'rpc'; url: string; reconnect?: boolean }

export interface ConnectOptions {
  /** How long to wait for the chain's metadata before giving up (default 30 s; a light client must sync first). */
  timeoutMs?: number
  /**
   * Chain metadata known from an earlier run, keyed `<genesis hash>-<spec version>`
   * (`api.runtimeMetadata.toHex()`): skips downloading it when the runtime is
   * still that version. Trusted like the chain spec.
   */
  metadata?: Record<string, `0x${string}`>
  /** Give up connecting: rejects with the signal's reason and closes what was opened. */
  signal?: AbortSignal
}

/** The light client behind each API opened with `connectApi`, for its warm-start database. */
const lightClients = new WeakMap<ApiPromise, SmoldotProvider>()

export function lightClientOf(api: ApiPromise): SmoldotProvider | undefined {
  return lightClients.get(api)
}

export async function connectApi(connection: Connection, options: ConnectOptions = {}): Promise<ApiPromise> {
  const timeoutMs = options.timeoutMs ?? 30_000
  options.signal?.throwIfAborted()
  const where = connection.kind === 'rpc' ? `the node at ${connection.url}` : 'the chain through the light client'
  let provider: ProviderInterface
  if (connection.kind === 'rpc') {
    checkRpcUrl(connection.url)
    // Without reconnects, a node that is down is an error now, not a retry loop.
    provider = new WsProvider(connection.url, connection.reconnect === true ? 2_500 : false)
  } else {
    provider = new SmoldotProvider(connection.chainSpec, connection.smoldot)
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  // Rejects on the timeout or the caller's signal, whichever comes first.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainError('CHAIN_TIMEOUT', `no answer from ${where} within ${timeoutMs / 1000} s`)), timeoutMs)
    onAbort = () => reject(options.signal!.reason)
    options.signal?.addEventListener('abort', onAbort, { once: true })
  })
  // Listen before connecting: WsProvider reports a refused socket as an 'error' event, possibly at once.
  const connected = new Promise<void>((resolve, reject) => {
    const offConnected = provider.on('connected', () => { offConnected(); offError(); resolve() })
    const offError = provider.on('error', (error: unknown) => {
      offConnected()
      offError()
      reject(new ChainError('CHAIN_UNAVAILABLE', `cannot reach ${where}${describe(error) ? `: ${describe(error)}` : ' (connection refused or closed)'}`))
    })
  })
  connected.catch(() => undefined) // may settle after a timeout: never unhandled
  timeout.catch(() => undefined)
  try {
    // A reconnecting WsProvider dials by itself; the others wait to be asked.
    const dial = provider.isConnected || (connection.kind === 'rpc' && connection.reconnect === true) ? Promise.resolve() : provider.connect()
    await Promise.race([dial.then(() => (provider.isConnected ? undefined : connected)), timeout])
    const api = new ApiPromise({ provider, noInitWarn: true, throwOnConnect: true, metadata: options.metadata, rpc: MODNET_RPC })
    const ready = await Promise.race([api.isReadyOrError, timeout])
    if (provider instanceof SmoldotProvider) lightClients.set(ready, provider)
    return ready
  } catch (error) {
    await provider.disconnect().catch(() => undefined)
    if (error instanceof ChainError || (options.signal?.aborted === true && error === options.signal.reason)) throw error
    throw new ChainError('CHAIN_UNAVAILABLE', `cannot reach ${where}: ${describe(error)}`, { cause: error })
  } finally {
    clearTimeout(timer)
    if (onAbort !== undefined) options.signal?.removeEventListener('abort', onAbort)
  }
}

function checkRpcUrl(url: string): void {
  let protocol = ''
  try {
    protocol = new URL(url).protocol
  } catch { /* reported below */ }
  if (protocol !== 'ws:' && protocol !== 'wss:') {
    throw new ChainError('CHAIN_UNAVAILABLE', `"${url}" is not a WebSocket URL: use ws://127.0.0.1:9944 or wss://…`)
  }
}

function describe(error: unknown): string {
  if (error === undefined || error === null) return ''
  if (error instanceof Error) return error.message
  const event = error as { message?: string; type?: string }
  return event.message ?? event.type ?? String(error)
}
