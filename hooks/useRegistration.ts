'use client'
/**
 * Register or update a module from the form's document: the library's
 * `registerModule` flow (the module key signs the document when this browser
 * or its wallet holds it, the CID is computed here, the gateway's CID must
 * match, then the extrinsic signed by the chosen account), each stage a step.
 */
import { useCallback, useState } from 'react'
import type { TxProgress } from '../lib/types/chain.ts'
import { session } from '../lib/web/session.ts'
import type { WalletAccount } from '../lib/web/wallet.ts'
import { messageOf } from './useAsync.ts'

export type Step = { label: string; state: 'done' | 'active' | 'failed' }

export interface Registered {
  key: string
  cid: string
  blockNumber?: number
  /** `registered`, `updated` or `unchanged`. */
  action: string
  /** Why the document was not signed by the module key; absent when it was. */
  unsignedReason?: string
}

export type Registration =
  | { state: 'idle' }
  | { state: 'working'; steps: Step[] }
  | { state: 'done'; steps: Step[]; result: Registered }
  | { state: 'failed'; steps: Step[]; error: string }

/** `updateKey` undefined: register the account's own key; else update that module. */
export function useRegistration(): { registration: Registration; register(doc: unknown, account: WalletAccount, updateKey: string | undefined): void } {
  const [registration, setRegistration] = useState<Registration>({ state: 'idle' })

  const register = useCallback((doc: unknown, account: WalletAccount, updateKey: string | undefined) => {
    const steps: Step[] = [
      { label: 'Metadata valid; CID computed in the browser', state: 'done' },
      { label: 'Checking the module on chain…', state: 'active' },
    ]
    const show = () => setRegistration({ state: 'working', steps: [...steps] })
    const advance = (label: string, state: Step['state'] = 'active') => {
      steps[steps.length - 1] = { ...steps[steps.length - 1], state: 'done' }
      steps.push({ label, state })
      show()
    }
    show()
    void (async () => {
      const { client, ipfs } = await session()
      const { registerModule } = await import('../lib/registry/register.ts')
      // registerModule decides who signs the document (lib/registry/metadata-signer.ts);
      // a wallet's refusal stops it before anything is uploaded or sent.
      return await registerModule({ chain: client, ipfs }, doc, account.signer, {
        mode: updateKey === undefined ? 'register' : 'update',
        moduleKey: updateKey ?? client.accountKey(account.signer),
        onSigning: (signing) => advance(signing.signer === undefined
          ? `Not signed by the module key: ${signing.reason}; uploading through the gateway…`
          : signing.by === 'wallet'
            ? 'Asking your wallet to sign the metadata with the module key…'
            : 'Signing the metadata with the module key, then uploading through the gateway…'),
        onStored: (cid) => advance(`Stored as ${cid} (the gateway's CID matches ours); signing the transaction…`),
        onProgress: ({ stage, blockHash }: TxProgress) => {
          if (stage === 'ready') advance('In the transaction pool, waiting for a block…')
          if (stage === 'inBlock') advance(`In block ${blockHash?.slice(0, 12)}…, waiting for finality…`)
          if (stage === 'finalized') advance('Finalized', 'done')
        },
      })
    })().then(({ key, cid, blockNumber, action, unsignedReason }) => {
      setRegistration({ state: 'done', steps: steps.map((step) => ({ ...step, state: 'done' })), result: { key, cid, blockNumber, action, unsignedReason } })
    }, (failure: unknown) => {
      steps[steps.length - 1] = { ...steps[steps.length - 1], state: 'failed' }
      setRegistration({ state: 'failed', steps: [...steps], error: messageOf(failure) })
    })
  }, [])

  return { registration, register }
}
