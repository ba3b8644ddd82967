/**
 * What each registry flow needs, and no more: the chain calls it makes and
 * the IPFS operations it uses. A caller (or a unit test) provides just these.
 */
import type { ModuleRegistryClient } from '../chain/client.ts'
import type { IPFSClient } from '../ipfs/client.ts'

export interface FlowDeps<ChainCalls extends keyof ModuleRegistryClient, IpfsCalls extends keyof IPFSClient> {
  chain: Pick<ModuleRegistryClient, ChainCalls>
  ipfs: Pick<IPFSClient, IpfsCalls>
}

export type RegisterDeps = FlowDeps<'getModule' | 'register' | 'update' | 'accountKey' | 'genesisHash', 'add'>
export type RetrieveDeps = FlowDeps<'requireModule' | 'getModuleStatus' | 'genesisHash', 'cat'>
export type CardDeps = FlowDeps<'requireModule' | 'headerAt' | 'genesisHash', 'cat'>
/** The history needs no IPFS: the chain's commitment and events from an untrusted source. */
export type HistoryDeps = { chain: Pick<ModuleRegistryClient, 'getHistory' | 'eventsAt'> }
/** The dependency walk: records and statuses at one block, metadata by CID, and the key's history for earlier revisions. */
export type ResolveDeps = FlowDeps<'requireModule' | 'getModule' | 'getModuleStatus' | 'getHistory' | 'eventsAt', 'cat'>
