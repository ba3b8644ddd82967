/**
 * Mod-Net's chain access: `ModuleRegistryClient` over the smoldot light
 * client or a JSON-RPC node, and the register / retrieve flows.
 */
export { ModuleRegistryClient } from './client.ts'
export type { ChainStatus, ModulePage, ReadAt, RegisterOptions, Unsubscribe, WarmStart } from './client.ts'
export { connectApi } from './connect.ts'
export type { Connection, ConnectOptions } from './connect.ts'
export { SmoldotProvider } from './smoldot-provider.ts'
export type { SmoldotProviderOptions } from './smoldot-provider.ts'
export { ChainError } from './errors.ts'
export type { ChainErrorCode } from './errors.ts'
export { parseAccount, parseModuleKey } from './keys.ts'
export { KEY_OWNERSHIP_DOMAIN, keyOwnershipProof, keyOwnershipPayload } from './key-ownership.ts'
export type { KeyOwnershipProof, ModuleKeySigner } from './key-ownership.ts'
export { blockEvents } from './events.ts'
export { submit } from './tx.ts'
export type { AccountSigner, SubmitOptions } from './tx.ts'
export { cidFromChain, cidToChain, recordFromChain, registryEvents } from './decode.ts'
export { registerModule, retrieveModule } from './flows.ts'
export type { MetadataVerification, RegisterModuleOptions, RegisterModuleResult, RetrievedModule } from './flows.ts'
export { buildCard, CARD_FORMAT, decodeRecord, gatewayStorageProofs, makeCard, moduleStorageKey, rpcStorageProofs, verifyCard } from './card.ts'
export type { CardCheck, ModuleCard, StorageProofSource } from './card.ts'
export { valueFromStorageProof } from './trie-proof.ts'
