/** What the registry flows need: the chain (only the calls they make) and IPFS. */
import type { ModuleRegistryClient } from '../chain/client.ts'
import type { IPFSClient } from '../ipfs/client.ts'

export type RegistryChain = Pick<ModuleRegistryClient, 'getModule' | 'requireModule' | 'register' | 'update' | 'accountKey' | 'headerAt' | 'genesisHash'>

export interface RegistryDeps {
  chain: RegistryChain
  ipfs: Pick<IPFSClient, 'add' | 'cat'>
}
