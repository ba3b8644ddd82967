'use client'
/** Light client and IPFS status, on every page. Showing it starts the session. */
import { useStartSession } from '../hooks/useStartSession.ts'
import { useStatus, type ChainPhase } from '../lib/web/store.ts'

const PHASE: Record<ChainPhase, { label: string; tone: string }> = {
  idle: { label: 'light client idle', tone: 'bg-slate-400' },
  starting: { label: 'starting light client…', tone: 'bg-amber-400 animate-pulse' },
  syncing: { label: 'syncing', tone: 'bg-amber-400 animate-pulse' },
  synced: { label: 'synced', tone: 'bg-emerald-500' },
  'no-peers': { label: 'no peers: node unreachable, retrying', tone: 'bg-rose-500 animate-pulse' },
  error: { label: 'light client failed', tone: 'bg-rose-600' },
}

export function StatusBar() {
  const chain = useStatus((s) => s.chain)
  const ipfs = useStatus((s) => s.ipfs)
  useStartSession()
  const phase = PHASE[chain.phase]
  return (
    <div role="status" aria-live="polite" data-testid="status-bar" data-phase={chain.phase} data-thread={chain.thread} data-warm-start={chain.warmStart}
      className="flex flex-wrap items-center gap-x-5 gap-y-1 border-b border-slate-200 bg-white/70 px-4 py-2 text-xs text-slate-600 backdrop-blur dark:border-slate-800 dark:bg-slate-900/70 dark:text-slate-400">
      <span className="flex items-center gap-2 font-medium text-slate-800 dark:text-slate-200">
        <span className={`inline-block h-2 w-2 rounded-full ${phase.tone}`} aria-hidden="true" />
        {phase.label}
      </span>
      {chain.chain && <span>{chain.chain}</span>}
      {chain.thread && <span title="where smoldot's WebAssembly runs; a warm start resumes from the last visit's finalized block">{chain.thread === 'extension' ? 'in the Substrate Connect extension' : chain.thread === 'worker' ? 'in a worker' : 'on the page thread'}{chain.warmStart ? ', warm start' : ''}</span>}
      <span>peers <b data-testid="peers">{chain.peers}</b></span>
      <span>best <b data-testid="best">{chain.best === undefined ? '–' : `#${chain.best}`}</b></span>
      <span>finalized <b data-testid="finalized">{chain.finalized === undefined ? '–' : `#${chain.finalized}`}</b></span>
      <span className="flex items-center gap-2">
        <span className={`inline-block h-2 w-2 rounded-full ${ipfs.ok === undefined ? 'bg-slate-400' : ipfs.ok ? 'bg-emerald-500' : 'bg-rose-500'}`} aria-hidden="true" />
        IPFS: {ipfs.detail}
      </span>
      {chain.phase === 'error' && chain.error && <span className="text-rose-600 dark:text-rose-400">{chain.error}</span>}
    </div>
  )
}
