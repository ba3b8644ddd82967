/**
 * Signs and submits an extrinsic, reporting ready → in block → finalized,
 * and turning every way it can fail into a `ChainError` in words.
 */
import type { ApiPromise } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { KeyringPair } from '@polkadot/keyring/types'
import type { Signer } from '@polkadot/types/types'
import type { TxProgress, TxResult } from '../types/chain.ts'
import { registryEvents } from './decode.ts'
import { ChainError } from './errors.ts'

/** Who signs: a keyring pair (CLI, tests) or an address with an injected signer (wallet extensions). */
export type AccountSigner = KeyringPair | { address: string; signer: Signer }

export interface SubmitOptions {
  onProgress?: (progress: TxProgress) => void
  /** Resolve at inclusion or at finality (default). */
  waitFor?: 'inBlock' | 'finalized'
  /** Give up waiting after this long (default 120 s); the transaction may still land. */
  timeoutMs?: number
}

export function signerAddress(signer: AccountSigner): string {
  return signer.address
}

export async function submit(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, account: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
  const waitFor = options.waitFor ?? 'finalized'
  const timeoutMs = options.timeoutMs ?? 120_000
  const report = options.onProgress ?? (() => {})
  report({ stage: 'signing' })
  return await new Promise<TxResult>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined
    let settled = false
    const finish = (outcome: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      unsubscribe?.()
      outcome()
    }
    const timer = setTimeout(() => finish(() => reject(new ChainError('CHAIN_TIMEOUT', `the transaction was not ${waitFor === 'finalized' ? 'finalized' : 'included'} within ${timeoutMs / 1000} s`))), timeoutMs)
    const [address, signOptions] = 'signer' in account && !('sign' in account) ? [account.address, { signer: account.signer }] : [account as KeyringPair, {}]
    tx.signAndSend(address, signOptions, async ({ status, dispatchError, events }) => {
      try {
        if (status.isReady || status.isBroadcast) return report({ stage: 'ready' })
        if (status.isInvalid || status.isDropped || status.isUsurped) {
          const code = status.isInvalid ? 'CHAIN_INVALID_TX' : 'CHAIN_DROPPED'
          return finish(() => reject(new ChainError(code, `the transaction was ${status.type.toLowerCase()} by the transaction pool`)))
        }
        if (status.isRetracted || status.isFinalityTimeout) return
        if (!status.isInBlock && !status.isFinalized) return
        const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex()
        if (dispatchError !== undefined) return finish(() => reject(dispatchFailure(api, dispatchError)))
        const stage = status.isInBlock ? 'inBlock' : 'finalized'
        report({ stage, blockHash })
        if (stage === 'inBlock' && waitFor === 'finalized') return
        const header = await api.rpc.chain.getHeader(blockHash)
        const blockNumber = header.number.toNumber()
        finish(() => resolve({ blockHash, blockNumber, stage, events: registryEvents(api, events, blockHash, blockNumber) }))
      } catch (error) {
        finish(() => reject(error))
      }
    }).then((unsub) => {
      if (settled) unsub()
      else unsubscribe = unsub
    }, (error: unknown) => finish(() => reject(poolRejection(error))))
  })
}

/** A module error as `moduleRegistry.NotOwner: Only the module's owner may do this.` */
function dispatchFailure(api: ApiPromise, dispatchError: any): ChainError {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule)
    const docs = meta.docs.join(' ').trim()
    return new ChainError('CHAIN_DISPATCH', `${meta.section}.${meta.name}${docs ? `: ${docs}` : ''}`, { pallet: meta.section, error: meta.name })
  }
  if (dispatchError.isToken) return new ChainError('CHAIN_DISPATCH', `token error: ${dispatchError.asToken.type}`, { pallet: 'token', error: dispatchError.asToken.type })
  if (dispatchError.isBadOrigin) return new ChainError('CHAIN_DISPATCH', 'bad origin: this account may not make that call', { pallet: 'system', error: 'BadOrigin' })
  return new ChainError('CHAIN_DISPATCH', `the runtime refused the call: ${dispatchError.type}`, { error: dispatchError.type })
}

/** Errors from submitting: the pool's `1010: Invalid Transaction: …`, a signer that refused, a dead connection. */
function poolRejection(error: unknown): ChainError {
  if (error instanceof ChainError) return error
  const message = error instanceof Error ? error.message : String(error)
  if (/^1010|Invalid Transaction|Inability to pay/i.test(message)) {
    return new ChainError('CHAIN_INVALID_TX', `the transaction pool refused the transaction: ${message.replace(/^1010:\s*/, '')}`, { cause: error })
  }
  if (/cancel|reject/i.test(message)) return new ChainError('BAD_SIGNER', `signing was refused: ${message}`, { cause: error })
  return new ChainError('CHAIN_UNAVAILABLE', `submitting the transaction failed: ${message}`, { cause: error })
}
