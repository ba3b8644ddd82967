/**
 * Registering a module: validate → canonical bytes (signed by the module key
 * when its holder is at hand) → IPFS → register or update on chain.
 */
import type { TxResult } from '../types/chain.ts'
import { canonicalBytes } from '../types/canonical.ts'
import type { ModuleMetadata } from '../types/metadata.ts'
import type { SignatureBinding } from '../types/signature.ts'
import { assertValidMetadata } from '../types/validate.ts'
import type { RegisterOptions } from '../chain/client.ts'
import { ChainError } from '../chain/errors.ts'
import { parseModuleKey } from '../chain/keys.ts'
import type { AccountSigner } from '../chain/tx.ts'
import type { RegisterDeps } from './deps.ts'
import { metadataSigning, MetadataSigningError, signMetadataWith, type AsyncMetadataSigner, type MetadataSigning } from './metadata-signer.ts'

export interface RegisterModuleOptions extends RegisterOptions {
  /** The module key (0x-hex or SS58); default the signer's own account key. */
  moduleKey?: string
  /** Sign the metadata with the module key when its holder is at hand (default true; see metadata-signer.ts). */
  signMetadata?: boolean
  /**
   * Called once it is known who signs the document (or why nobody does), before
   * any signing: a wallet extension then asks its user. Not called for a
   * document that is signed already.
   */
  onSigning?: (signing: MetadataSigning) => void
  /** On update, set `previous` to the current CID when the document has none and is unsigned (default true). */
  linkPrevious?: boolean
  /** `register` refuses an existing module, `update` a missing one; `auto` (default) does whichever applies. */
  mode?: 'register' | 'update' | 'auto'
  /** Called with the CID once the document is stored, before the chain is asked. */
  onStored?: (cid: string) => void
}

export interface RegisterModuleResult {
  key: string
  cid: string
  /** `registered`, `updated`, or `unchanged` (the module already points at this CID: no transaction). */
  action: 'registered' | 'updated' | 'unchanged'
  blockHash?: string
  blockNumber?: number
  /** The exact document stored (with `previous` and `signature` if they were added). */
  metadata: ModuleMetadata
  /** Why the stored document has no signature by the module key; absent when it has one. */
  unsignedReason?: string
  tx?: TxResult
}

export async function registerModule({ chain, ipfs }: RegisterDeps, metadata: unknown, signer: AccountSigner, options: RegisterModuleOptions = {}): Promise<RegisterModuleResult> {
  let document = assertValidMetadata(metadata)
  const key = parseModuleKey(options.moduleKey ?? chain.accountKey(signer))
  options.signal?.throwIfAborted()
  // Best block: the freshest view of whether this is a register or an update.
  const { record: current } = await chain.getModule(key, 'best')
  const mode = options.mode ?? 'auto'
  if (mode === 'register' && current !== null) {
    throw new ChainError('CHAIN_DISPATCH', `moduleRegistry.ModuleAlreadyExists: A module with this key is already registered (${key}, owner ${current.owner}); use update.`, { pallet: 'moduleRegistry', error: 'ModuleAlreadyExists' })
  }
  if (mode === 'update' && current === null) {
    throw new ChainError('MODULE_NOT_FOUND', `no module is registered under ${key}; use register`)
  }
  if (current !== null && current.owner !== signer.address) {
    throw new ChainError('CHAIN_DISPATCH', `moduleRegistry.NotOwner: Only the module's owner may do this (module ${key} belongs to ${current.owner}, not ${signer.address}).`, { pallet: 'moduleRegistry', error: 'NotOwner' })
  }
  if (current !== null && (options.linkPrevious ?? true) && document.previous === undefined && document.signature === undefined) {
    document = { ...document, previous: current.cid }
  }
  let unsignedReason: string | undefined
  if (document.signature === undefined) {
    const signing: MetadataSigning = options.signMetadata === false
      ? { signer: undefined, reason: 'signing was turned off' }
      : metadataSigning(key, signer, options.moduleSigner)
    options.onSigning?.(signing)
    // Bound to this chain and to the revision the module will have while it points here.
    const binding = { genesisHash: chain.genesisHash, revision: current === null ? 0 : current.revision + 1 }
    if (signing.signer === undefined) unsignedReason = signing.reason
    else document = await signOrStop(document, signing.signer, binding)
    options.signal?.throwIfAborted()
  }
  const cid = (await ipfs.add(canonicalBytes(document), { signal: options.signal })).toString()
  options.onStored?.(cid)
  if (current !== null && current.cid === cid) return { key, cid, action: 'unchanged', metadata: document, unsignedReason }
  const tx = current === null
    ? await chain.register(key, cid, signer, options)
    : await chain.update(key, cid, signer, options)
  return { key, cid, action: current === null ? 'registered' : 'updated', blockHash: tx.blockHash, blockNumber: tx.blockNumber, metadata: document, unsignedReason, tx }
}

/** Signs, or stops the registration before anything is stored or sent: a refused or bad signature says so. */
async function signOrStop(document: ModuleMetadata, signer: AsyncMetadataSigner, binding: SignatureBinding): Promise<ModuleMetadata> {
  try {
    return await signMetadataWith(document, signer, binding)
  } catch (error) {
    if (!(error instanceof MetadataSigningError)) throw error
    throw new MetadataSigningError(error.code as 'SIGNATURE_REFUSED' | 'SIGNATURE_INVALID', `${error.message}; nothing was uploaded or registered`, { cause: error })
  }
}
