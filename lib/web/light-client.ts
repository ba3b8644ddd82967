/**
 * The browser's light client. When the user has the Substrate Connect
 * extension, its shared light client is used (found through
 * `@substrate/smoldot-discovery`; no smoldot is embedded then). Otherwise the
 * page runs its own smoldot, whose WebAssembly runs in a Web Worker
 * (public/smoldot-worker.js, found relative to `document.baseURI`, so any
 * base path works) and the page keeps only smoldot's JSON-RPC front end
 * (`startWithBytecode`); where no worker can start it runs on the page's
 * thread. Its database (finalized block, runtime, peers) and the chain
 * metadata are kept in IndexedDB per chain spec, so a return visit starts at
 * the last finalized block instead of syncing from genesis.
 */
import type { ModuleRegistryClient, WarmStart } from '../chain/client.ts'
import type { LightClientHost } from '../chain/smoldot-provider.ts'
import { idbRequest, openStore, settled } from './idb.ts'

/** Where the light client runs: the Substrate Connect extension, or our smoldot in a worker or on the page's thread. */
export type LightClientThread = 'extension' | 'worker' | 'main-thread'

export interface BrowserLightClient {
  client: LightClientHost
  thread: LightClientThread
}

const WORKER_FILE = 'smoldot-worker.js'
/** Compiling smoldot takes well under a second; a worker silent for this long is not coming. */
const WORKER_START_TIMEOUT_MS = 15_000

export async function startLightClient(): Promise<BrowserLightClient> {
  const extension = await substrateConnect().catch((error: Error) => {
    console.warn(`the Substrate Connect extension is installed but did not answer: ${error.message}`)
    return undefined
  })
  if (extension !== undefined) return { client: extension, thread: 'extension' }
  if (typeof Worker === 'function') {
    try {
      const { worker, bytecode } = await startWorker()
      const { startWithBytecode } = await import('smoldot/no-auto-bytecode')
      const { port1, port2 } = new MessageChannel()
      worker.postMessage(port1, [port1])
      return { client: startWithBytecode({ bytecode, portToWorker: port2, maxLogLevel: 1 }), thread: 'worker' }
    } catch (error) {
      console.warn(`smoldot runs on the page's thread: its worker did not start (${(error as Error).message})`)
    }
  }
  const { start } = await import('smoldot')
  return { client: start({ maxLogLevel: 1 }), thread: 'main-thread' }
}

/** Answering discovery is the extension's job; its light client may take this long to come up. */
const EXTENSION_TIMEOUT_MS = 10_000

/** The Substrate Connect extension's light client, if one announced itself. */
async function substrateConnect(): Promise<LightClientHost | undefined> {
  const { getSmoldotExtensionProviders } = await import('@substrate/smoldot-discovery')
  const [detail] = getSmoldotExtensionProviders()
  if (detail === undefined) return undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${EXTENSION_TIMEOUT_MS / 1000} s`)), EXTENSION_TIMEOUT_MS) })
  try {
    const extension = await Promise.race([detail.provider, timeout])
    // The extension keeps its own database: ours is offered, and it may use it.
    return { addChain: ({ chainSpec, databaseContent }) => extension.addChain(chainSpec, { databaseContent }) }
  } finally {
    clearTimeout(timer)
  }
}

function startWorker(): Promise<{ worker: Worker; bytecode: any }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(WORKER_FILE, document.baseURI))
    const fail = (reason: string) => {
      clearTimeout(timer)
      worker.terminate()
      reject(new Error(reason))
    }
    const timer = setTimeout(() => fail(`no answer from ${WORKER_FILE} within ${WORKER_START_TIMEOUT_MS / 1000} s`), WORKER_START_TIMEOUT_MS)
    worker.onerror = (event) => { event.preventDefault(); fail(`${WORKER_FILE} failed to load or run${event.message ? `: ${event.message}` : ''}`) }
    worker.onmessage = (event) => {
      clearTimeout(timer)
      worker.onerror = null
      worker.onmessage = null
      resolve({ worker, bytecode: event.data })
    }
  })
}

// ---- warm start ----

const DB_NAME = 'modnet-light-client'
const STORE = 'chains'
/** Larger entries than these are not ours: ignored (smoldot's database is capped when saved). */
const MAX_DATABASE_CHARS = 8 * 1024 * 1024
const SAVE_EVERY_MS = 60_000

/** What an earlier visit saved for this chain spec; undefined when nothing usable was. */
export async function loadWarmStart(chainSpec: string): Promise<Partial<WarmStart> | undefined> {
  try {
    const db = await openStore(DB_NAME, STORE)
    const saved = await idbRequest<unknown>(db.transaction(STORE, 'readonly').objectStore(STORE).get(await chainId(chainSpec)))
    db.close()
    if (saved === null || typeof saved !== 'object') return undefined
    const { databaseContent, metadata } = saved as Record<string, unknown>
    const usableMetadata = metadata !== null && typeof metadata === 'object' && Object.values(metadata).every((v) => typeof v === 'string' && v.startsWith('0x'))
    return {
      databaseContent: typeof databaseContent === 'string' && databaseContent.length <= MAX_DATABASE_CHARS ? databaseContent : undefined,
      metadata: usableMetadata ? (metadata as WarmStart['metadata']) : undefined,
    }
  } catch {
    return undefined // no IndexedDB (private browsing, blocked storage): a cold start
  }
}

/**
 * Saves the client's warm start now, then every minute and whenever the page
 * is hidden (the last chance a closing tab reliably gets). Best effort.
 */
export function keepWarm(client: ModuleRegistryClient, chainSpec: string): void {
  const save = async () => {
    const state = await client.warmStart().catch(() => undefined)
    if (state === undefined) return
    try {
      const db = await openStore(DB_NAME, STORE)
      const tx = db.transaction(STORE, 'readwrite')
      tx.objectStore(STORE).put(state, await chainId(chainSpec))
      await settled(tx)
      db.close()
    } catch { /* a cold start next time */ }
  }
  void save()
  setInterval(() => void save(), SAVE_EVERY_MS)
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') void save() })
}

async function chainId(chainSpec: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(chainSpec)))
  return Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('')
}
