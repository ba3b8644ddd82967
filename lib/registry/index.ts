/**
 * The registry's flows, where the chain and IPFS meet: register, retrieve,
 * module cards, and a key's proved history. Each takes only what it uses:
 * `{ chain, ipfs }` (the history: `{ chain }` and events from any source).
 */
export type { CardDeps, FlowDeps, HistoryDeps, RegisterDeps, ResolveDeps, RetrieveDeps } from './deps.ts'
export { registerModule } from './register.ts'
export type { RegisterModuleOptions, RegisterModuleResult } from './register.ts'
export { retrieveModule } from './retrieve.ts'
export type { MetadataVerification, RetrievedModule } from './retrieve.ts'
export { metadataSignerFor, metadataSigning, MetadataSigningError, signMetadataWith, walletMetadataSigner } from './metadata-signer.ts'
export type { AsyncMetadataSigner, MetadataSigning } from './metadata-signer.ts'
export { buildCard, CARD_FORMAT, cardFileName, makeCard, verifyCard, type FinalityVerdict } from './card.ts'
export { collectFinality, gatewayFinalityProofs, rpcFinalityProofs, type CardFinality, type FinalityProofSource } from './finality-proofs.ts'
export type { CardCheck, ModuleCard } from './card.ts'
export { gatewayStorageProofs, MAX_PROOF_ANSWER_BYTES, rpcStorageProofs } from './storage-proofs.ts'
export type { StorageProofSource } from './storage-proofs.ts'
export { gatewayEventHints, MAX_EVENTS_ANSWER_BYTES, provedHistory } from './history.ts'
export type { EventHint, HistoryEntry, ProvedHistory } from './history.ts'
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES, resolveDependencies } from './resolve.ts'
export type { FailureKind, PinCheck, ResolvedNode, ResolvedTree, ResolveOptions, ResolveProblem, ResolveWarning } from './resolve.ts'
export { latestNotYanked, provedRevisions } from './revisions.ts'
export type { LatestNotYanked, ProvedRevision, RevisionMap } from './revisions.ts'
