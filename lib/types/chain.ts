/**
 * What the registry chain returns, in plain types shared by the CLI, the
 * gateway and the web app. Keys are 0x-hex public keys, CIDs are strings,
 * accounts are SS58 addresses, block numbers are numbers, balances bigints.
 */

/** A module as stored on chain (pallet `ModuleRegistry`, storage `Modules`). */
export interface ModuleRecord {
  /** The module's public key, 0x-hex: 32 bytes (sr25519/ed25519) or 33 (ecdsa). */
  key: string
  /** SS58 address of the only account that may update, remove or transfer it. */
  owner: string
  /** CID of the module's metadata document. */
  cid: string
  /** 0 at registration, +1 per update. */
  revision: number
  registeredAt: number
  updatedAt: number
  /** Deposit held from the owner for this record, in the chain's smallest unit. */
  deposit: bigint
}

/** The block a chain read was made at, and who vouches for it. */
export interface ReadPoint {
  blockHash: string
  blockNumber: number
  /**
   * `light-client`: smoldot checked a storage proof (or, for runtime API reads such as
   *   listing pages, executed the call against a call proof) at a GRANDPA-finalized header;
   * `rpc`: the answer of a JSON-RPC node, trusted as is.
   */
  verifiedBy: 'light-client' | 'rpc'
  finalized: boolean
}

interface EventBase {
  key: string
  blockNumber: number
  blockHash: string
}

/** The pallet's events, the registry's audit trail (and, in order, what a key's history commitment hashes). */
export type RegistryEvent =
  | (EventBase & { type: 'ModuleRegistered'; owner: string; cid: string })
  | (EventBase & { type: 'ModuleUpdated'; owner: string; oldCid: string; newCid: string; revision: number })
  | (EventBase & { type: 'ModuleRemoved'; owner: string })
  /** The recipient accepted an offer: the module and its deposit are theirs. */
  | (EventBase & { type: 'OwnershipTransferred'; from: string; to: string })
  /** The owner offered the module to `to`, who can accept until block `expiresAt`. */
  | (EventBase & { type: 'TransferOffered'; from: string; to: string; expiresAt: number })
  /** A pending offer was withdrawn or declined. */
  | (EventBase & { type: 'TransferCancelled'; owner: string; to: string })
  | (EventBase & { type: 'RevisionYanked'; owner: string; revision: number; yanked: boolean })
  /** `note` undefined: the deprecation was lifted. */
  | (EventBase & { type: 'DeprecationSet'; owner: string; note?: string })

/**
 * A key's history commitment (`ModuleHistory`): how many events the hash
 * chain covers (also the next key-ownership proof's nonce) and its head, 0x-hex.
 */
export interface HistoryHead {
  length: number
  head: string
}

/** A pending transfer offer. */
export interface TransferOffer {
  to: string
  /** The last block in which it can be accepted. */
  expiresAt: number
}

/** What an owner has said about a module besides its CID (`ModuleStatuses`); empty when nothing is set. */
export interface ModuleStatus {
  /** Yanked revisions, ascending. */
  yanked: number[]
  deprecation?: string
  transferOffer?: TransferOffer
}

/** Stages a transaction reports while the caller waits. */
export type TxStage = 'signing' | 'ready' | 'inBlock' | 'finalized'

export interface TxProgress {
  stage: TxStage
  /** For `inBlock` and `finalized`. */
  blockHash?: string
}

/** A transaction that made it: where, and what it emitted. */
export interface TxResult {
  blockHash: string
  blockNumber: number
  /** `finalized` unless the caller asked to stop at inclusion. */
  stage: 'inBlock' | 'finalized'
  events: RegistryEvent[]
}
