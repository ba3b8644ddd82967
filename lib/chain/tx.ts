/**
 * Signs and submits an extrinsic, reporting ready → in block → finalized,
 * and turning every way it can fail into a `ChainError` in words.
 */
import type { ApiPromise } from '@polkadot/api'
import type { SubmittableExtrinsic } from '@polkadot/api/types'
import type { KeyringPair } from '@polkadot/keyring/types'
import type { Signer } from '@polkadot/types/types'
import type { RegistryEvent, TxProgress, TxResult } from '../types/chain.ts'
import { registryEvents } from './decode.ts'
import { ChainError } from './errors.ts'
import { blockEvents } from './events.ts'

/** Who signs: a keyring pair (CLI, tests) or an address with an injected signer (wallet extensions). */
export type AccountSigner = KeyringPair | { address: string; signer: Signer }

export interface SubmitOptions {
  onProgress?: (progress: TxProgress) => void
  /** Resolve at inclusion or at finality (default). */
  waitFor?: 'inBlock' | 'finalized'
  /** Give up waiting after this long (default 120 s); the transaction may still land. */
  timeoutMs?: number
  /** Stop waiting: rejects with the signal's reason. A transaction already sent may still land. */
  signal?: AbortSignal
}

export function signerAddress(signer: AccountSigner): string {
  return signer.address
}

export async function submit(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, account: AccountSigner, options: SubmitOptions = {}): Promise<TxResult> {
  const waitFor = options.waitFor ?? 'finalized'
  const timeoutMs = options.timeoutMs ?? 120_000
  const report = options.onProgress ?? (() => {})
  options.signal?.throwIfAborted()
  report({ stage: 'signing' })
  return await new Promise<TxResult>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined
    let settled = false
    // The outcome read at inclusion; finality of that same block needs no second read
    // (over the light client, a block just finalized can be briefly unreadable).
    let included: { blockHash: string; outcome: Promise<Outcome> } | undefined
    const finish = (outcome: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      unsubscribe?.()
      outcome()
    }
    const timer = setTimeout(() => finish(() => reject(new ChainError('CHAIN_TIMEOUT', `the transaction was not ${waitFor === 'finalized' ? 'finalized' : 'included'} within ${timeoutMs / 1000} s`))), timeoutMs)
    const onAbort = () => finish(() => reject(options.signal!.reason))
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const [address, signOptions] = 'signer' in account && !('sign' in account) ? [account.address, { signer: account.signer }] : [account as KeyringPair, {}]
    tx.signAndSend(address, signOptions, async ({ status, txHash }) => {
      try {
        if (status.isReady || status.isBroadcast) return report({ stage: 'ready' })
        if (status.isInvalid || status.isDropped || status.isUsurped) {
          const code = status.isInvalid ? 'CHAIN_INVALID_TX' : 'CHAIN_DROPPED'
          return finish(() => reject(new ChainError(code, `the transaction was ${status.type.toLowerCase()} by the transaction pool`)))
        }
        if (!status.isInBlock && !status.isFinalized) return
        const stage = status.isInBlock ? 'inBlock' : 'finalized'
        const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex()
        // Read the outcome ourselves: polkadot-js' own event lookup comes back empty for
        // finalized blocks over the light client, which would hide a failed dispatch.
        if (included?.blockHash !== blockHash) included = { blockHash, outcome: extrinsicOutcome(api, blockHash, txHash.toHex(), signerAddress(account)) }
        const outcome = await included.outcome
        if (outcome.dispatchError !== undefined) return finish(() => reject(dispatchFailure(api, outcome.dispatchError)))
        report({ stage, blockHash })
        if (stage === 'inBlock' && waitFor === 'finalized') return
        finish(() => resolve({ blockHash, blockNumber: outcome.blockNumber, stage, events: outcome.events }))
      } catch (error) {
        finish(() => reject(error))
      }
    }).then((unsub) => {
      if (settled) unsub()
      else unsubscribe = unsub
    }, (error: unknown) => finish(() => reject(poolRejection(error))))
  })
}

/** The events and dispatch error of extrinsic `txHash`, sent by `signer`, in block `blockHash`. */
interface Outcome { blockNumber: number; events: RegistryEvent[]; dispatchError?: any }

async function extrinsicOutcome(api: ApiPromise, blockHash: string, txHash: string, signer: string): Promise<Outcome> {
  const { records, blockNumber } = await blockEvents(api, blockHash)
  const index = await extrinsicIndex(api, blockHash, txHash, signer, records)
  const mine = records.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index)
  const failed = mine.find(({ event }) => api.events.system.ExtrinsicFailed.is(event))
  return { blockNumber, events: registryEvents(api, mine, blockHash, blockNumber), dispatchError: failed?.event.data[0] }
}

/**
 * Where the extrinsic sits in its block: found by hash in the block body, or,
 * when the body cannot be had (the light client may answer `chain_getBlock`
 * with null), as the one extrinsic in the block whose fee `signer` paid.
 */
async function extrinsicIndex(api: ApiPromise, blockHash: string, txHash: string, signer: string, records: { phase: any; event: any }[]): Promise<number> {
  const signedBlock = await api.rpc.chain.getBlock(blockHash).catch(() => undefined)
  if (signedBlock !== undefined && signedBlock.block.header.hash.toHex() === blockHash) {
    const index = signedBlock.block.extrinsics.findIndex((extrinsic) => extrinsic.hash.toHex() === txHash)
    if (index >= 0) return index
  }
  const paidBySigner = new Set(records
    .filter(({ phase, event }) => phase.isApplyExtrinsic && api.events.transactionPayment?.TransactionFeePaid.is(event) && event.data[0].toString() === signer)
    .map(({ phase }) => phase.asApplyExtrinsic.toNumber() as number))
  if (paidBySigner.size === 1) return [...paidBySigner][0]
  throw new ChainError('CHAIN_UNAVAILABLE', `cannot tell which extrinsic of block ${blockHash} is transaction ${txHash}: the block body is unavailable and ${signer} sent ${paidBySigner.size} in it`)
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
