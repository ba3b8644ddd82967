/**
 * App-wide state (zustand): what the status bar shows about the light client
 * and IPFS. Data about modules is not kept here: views load it through the
 * hooks in hooks/, which ask the session.
 */
import { create } from 'zustand'

export type ChainPhase = 'idle' | 'starting' | 'syncing' | 'synced' | 'no-peers' | 'error'

export interface ChainState {
  phase: ChainPhase
  chain?: string
  peers: number
  best?: number
  finalized?: number
  error?: string
  /** Where the light client runs: the Substrate Connect extension, or our smoldot in a worker or on the page's thread. */
  thread?: 'extension' | 'worker' | 'main-thread'
  /** Whether smoldot started from the database an earlier visit saved. */
  warmStart?: boolean
}

export interface IPFSState {
  ok?: boolean
  detail: string
}

interface StatusStore {
  chain: ChainState
  ipfs: IPFSState
  setChain(chain: ChainState): void
  setIpfs(ipfs: IPFSState): void
}

export const useStatus = create<StatusStore>((set) => ({
  chain: { phase: 'idle', peers: 0 },
  ipfs: { detail: 'not checked yet' },
  setChain: (chain) => set({ chain }),
  setIpfs: (ipfs) => set({ ipfs }),
}))
