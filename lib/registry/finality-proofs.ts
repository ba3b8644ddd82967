/**
 * Where module cards get their GRANDPA finality proof: a modnet-node over RPC
 * (`modnet_finalityProof`) or a Mod-Net gateway relaying one. Neither is
 * trusted: the card carries the justification and the authority-set changes
 * since genesis, and `verifyCard` checks them against a chain spec.
 */
import { hexToU8a } from '@polkadot/util'
import { BodyTooLargeError, errorReason, readBoundedJson } from '../http/bounded-body.ts'
import type { ModuleRegistryClient } from '../chain/client.ts'
import { ChainError } from '../chain/errors.ts'
import { decodeHeader, MAX_SET_CHANGES, parseFinalityAnswer, scheduledChange, type FinalityProofAnswer } from '../chain/grandpa.ts'

/** A justification answer is a header and one signed precommit per authority (at most 32 here): a few KiB. 1 MiB is ample. */
export const MAX_FINALITY_ANSWER_BYTES = 1024 * 1024

/** The justification covering a block number (see `ModuleRegistryClient.finalityProof`), or null when the source has none. */
export type FinalityProofSource = (blockNumber: number) => Promise<FinalityProofAnswer | null>

/** What a card carries to prove its block final: the block's justification and each authority-set change before it. */
export interface CardFinality {
  /** SCALE `GrandpaJustification` of the card's block, hex. */
  justification: string
  /** From genesis on: each block that changed the authority set (SCALE header) with its justification by the outgoing set. */
  setChanges: { header: string; justification: string }[]
}

/** Finality proofs from the node the client is connected to over RPC. */
export function rpcFinalityProofs(chain: Pick<ModuleRegistryClient, 'finalityProof'>): FinalityProofSource {
  return async (blockNumber) => await chain.finalityProof(blockNumber)
}

/** Finality proofs from a Mod-Net gateway (untrusted: the card is verified before it is returned). */
export function gatewayFinalityProofs(gatewayUrl: string): FinalityProofSource {
  const noProof = (reason: string, cause?: unknown) => new ChainError('CHAIN_UNAVAILABLE', `the gateway gave no finality proof: ${reason}`, { cause })
  return async (blockNumber) => {
    let body: unknown
    try {
      const response = await fetch(`${gatewayUrl}/api/v1/finality?block=${blockNumber}`)
      if (response.status === 404) {
        await response.body?.cancel()
        return null
      }
      if (!response.ok) {
        const reason = await errorReason(response)
        if (response.status === 501) throw new ChainError('CHAIN_UNSUPPORTED', `the gateway gives no finality proofs: ${reason}`)
        throw noProof(reason)
      }
      body = await readBoundedJson(response, MAX_FINALITY_ANSWER_BYTES, 'the finality answer')
    } catch (error) {
      if (error instanceof ChainError) throw error
      throw noProof(error instanceof BodyTooLargeError ? error.describe('the gateway') : (error as Error).message, error)
    }
    return parseFinalityAnswer(body)
  }
}

/**
 * The latest justification at or after `atLeast`, and the authority-set
 * changes from genesis up to it: the node answers for block 1 with the
 * justification of the first set's last block (a set-change block), for the
 * block after that with the next, and so on until its answer is the latest.
 * Null when the source has no justification yet.
 */
export async function collectFinality(source: FinalityProofSource, atLeast: number): Promise<{ block: FinalityProofAnswer; finality: CardFinality } | null> {
  const latest = await source(atLeast)
  if (latest === null) return null
  const setChanges: CardFinality['setChanges'] = []
  let from = 1
  for (;;) {
    const answer = from >= latest.number ? latest : await source(from)
    if (answer === null) throw new ChainError('CHAIN_UNAVAILABLE', `no justification for the authority set that finalized block #${from}: the source cannot prove the set changes before block #${latest.number}`)
    if (answer.number >= latest.number) break
    if (scheduledChange(decodeHeader(hexToU8a(answer.header))) === undefined) {
      throw new ChainError('BAD_PROOF', `the justification the source gave for block #${from} is for block #${answer.number}, which changes no authority set`)
    }
    if (answer.number < from) throw new ChainError('BAD_PROOF', `asked for block #${from}, the source answered with the earlier block #${answer.number}`)
    setChanges.push({ header: answer.header, justification: answer.justification })
    if (setChanges.length > MAX_SET_CHANGES) throw new ChainError('CHAIN_UNAVAILABLE', `more than ${MAX_SET_CHANGES} authority-set changes before block #${latest.number}`)
    from = answer.number + 1
  }
  return { block: latest, finality: { justification: latest.justification, setChanges } }
}
