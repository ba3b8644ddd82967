/**
 * Accounts the browser can sign with: those of a wallet extension
 * (polkadot.js, Talisman, SubWallet… through @polkadot/extension-dapp), or,
 * on a dev chain with none installed, the well-known dev accounts, which
 * anyone can sign for and so are for development only.
 */
import type { AccountSigner } from '../chain/tx.ts'

export interface WalletAccount {
  address: string
  name: string
  source: string
  /** True for the well-known dev keys (//Alice…): never for real value. */
  dev: boolean
  /** Signs transactions; a local key pair (the dev accounts) also signs metadata (lib/registry/metadata-signer.ts). */
  signer: AccountSigner
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
      signer: { address: account.address, signer: injected.signer },
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
