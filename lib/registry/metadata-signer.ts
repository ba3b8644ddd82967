/**
 * Which key signs a metadata document: the one place that decides it, for
 * the CLI, the web form and the library alike.
 *
 * A signature is by the module key, so only the holder of that key can make
 * it: the module-key signer given for the key-ownership proof, or the account
 * itself when the module key is its own key and it can sign here (a local key
 * pair; a wallet extension cannot sign synchronously). Otherwise the document
 * goes unsigned, which readers show as "absent", never as valid.
 */
import { hexToU8a, u8aEq } from '@polkadot/util'
import type { ModuleKeySigner } from '../chain/key-ownership.ts'
import type { AccountSigner } from '../chain/tx.ts'

export function metadataSignerFor(moduleKey: string, account: AccountSigner, moduleSigner?: ModuleKeySigner): ModuleKeySigner | undefined {
  const key = hexToU8a(moduleKey)
  if (moduleSigner !== undefined && u8aEq(moduleSigner.publicKey, key)) return moduleSigner
  // Like the key-ownership proof, which is `SignerIsKey` whatever module-key signer is given.
  if (isLocalKeyPair(account) && u8aEq(account.publicKey, key)) return account
  return undefined
}

function isLocalKeyPair(account: AccountSigner): account is AccountSigner & ModuleKeySigner {
  return 'sign' in account && typeof account.sign === 'function' && 'publicKey' in account
}
