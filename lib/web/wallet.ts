/**
 * Accounts the browser can sign with: those of a wallet extension
 * (polkadot.js, Talisman, SubWallet… through @polkadot/extension-dapp), or,
 * on a dev chain with none installed, the well-known dev accounts, which
 * anyone can sign for and so are for development only.
 */
import { parseModuleKey } from '../chain/keys.ts'
import type { AccountSigner } from '../chain/tx.ts'
import { metadataSigning } from '../registry/metadata-signer.ts'

export interface WalletAccount {
  address: string
  name: string
  source: string
  /** True for the well-known dev keys (//Alice…): never for real value. */
  dev: boolean
  /**
   * Signs transactions, and metadata for the account's own module key
   * (lib/registry/metadata-signer.ts): a local key pair (the dev accounts)
   * directly, an extension through its `signRaw`. An extension account
   * carries the key type its wallet reports.
   */
  signer: AccountSigner & { type?: string }
}

/** What the register form says, before submitting, about the module-key signature the document will get. */
export interface SigningNote {
  signed: boolean
  /** In words, e.g. why the document will go unsigned. */
  text: string
}

/**
 * Whether a document `account` registers under `moduleKey` (0x-hex or SS58)
 * will be signed by the module key, and by whom, or why not: the same
 * decision `registerModule` takes (lib/registry/metadata-signer.ts).
 * Undefined while the account or key is not known (or the key is malformed).
 */
export function signingNote(moduleKey: string | undefined, account: WalletAccount | undefined): SigningNote | undefined {
  if (moduleKey === undefined || account === undefined) return undefined
  let key: string
  try {
    key = parseModuleKey(moduleKey)
  } catch {
    return undefined
  }
  const signing = metadataSigning(key, account.signer)
  if (signing.signer === undefined) {
    return { signed: false, text: `The metadata will not be signed by the module key: ${signing.reason}. Its page will show the signature as absent.` }
  }
  return {
    signed: true,
    text: signing.by === 'wallet'
      ? 'The metadata will be signed by the module key: your wallet asks you to sign it first, and nothing is uploaded or sent if you decline.'
      : 'The metadata will be signed by the module key (this account\'s key).',
  }
}

const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']

/** Extension accounts if any extension answers, else (when allowed) the dev accounts. */
export async function loadAccounts(allowDev: boolean, ss58Format = 42): Promise<WalletAccount[]> {
  const fromExtensions = await extensionAccounts(ss58Format).catch(() => [])
  if (fromExtensions.length > 0 || !allowDev) return fromExtensions
  return await devAccounts(ss58Format)
}

async function extensionAccounts(ss58Format: number): Promise<WalletAccount[]> {
  const { web3Accounts, web3Enable, web3FromSource } = await import('@polkadot/extension-dapp')
  const extensions = await web3Enable('Mod-Net')
  if (extensions.length === 0) return []
  const accounts = await web3Accounts({ ss58Format })
  return await Promise.all(accounts.map(async (account) => {
    const injected = await web3FromSource(account.meta.source)
    return {
      address: account.address,
      name: account.meta.name ?? account.address,
      source: account.meta.source,
      dev: false,
      signer: { address: account.address, signer: injected.signer, type: account.type },
    }
  }))
}

async function devAccounts(ss58Format: number): Promise<WalletAccount[]> {
  const [{ Keyring }, { cryptoWaitReady }] = await Promise.all([import('@polkadot/keyring'), import('@polkadot/util-crypto')])
  await cryptoWaitReady()
  const keyring = new Keyring({ type: 'sr25519', ss58Format })
  return DEV_NAMES.map((name) => {
    const pair = keyring.addFromUri(`//${name}`)
    return { address: pair.address, name: `${name} (dev)`, source: 'dev', dev: true, signer: pair }
  })
}
