/**
 * Mod-Net's chain access: `ModuleRegistryClient` over the smoldot light
 * client or a JSON-RPC node. The flows that also use IPFS (register,
 * retrieve, module cards) are in lib/registry.
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
export { KEY_OWNERSHIP_DOMAIN, keyOwnershipProof, keyOwnershipPayload, LEGACY_KEY_OWNERSHIP_DOMAIN } from './key-ownership.ts'
export type { KeyOwnershipProof, ModuleKeySigner } from './key-ownership.ts'
export { blockEvents } from './events.ts'
export { submit } from './tx.ts'
export type { AccountSigner, SubmitOptions } from './tx.ts'
export { cidFromChain, cidToChain, recordFromChain, registryEvents } from './decode.ts'
export { decodeRecord } from './record-codec.ts'
export { checkHistory, EMPTY_HISTORY, encodeRegistryEvent, nextHead, replayHistory } from './history.ts'
export type { CheckedHistory } from './history.ts'
export { followFinalizedEvents } from './follow.ts'
export type { BlockRef } from './follow.ts'
export { isRegistryStorageKey, moduleKeyOfStorageKey, moduleStorageKey, MODULE_COUNT_KEY, MODULES_PREFIX, OWNER_MODULES_PREFIX, ownerModulesPrefix, ownerModuleStorageKey, PALLET_PREFIX } from './storage-keys.ts'
export { valueFromStorageProof } from './trie-proof.ts'
