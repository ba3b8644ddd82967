/**
 * Where module cards get their storage proof: a node over RPC, or a Mod-Net
 * gateway (untrusted; the card is verified before it is used).
 */
import { BodyTooLargeError, errorReason, readBoundedJson } from '../http/bounded-body.ts'
import type { ModuleRegistryClient } from '../chain/client.ts'
import { ChainError } from '../chain/errors.ts'

/**
 * The gateway's proof answer is read no further than this. A proof of one key
 * is the trie nodes on its path, each at most about 1 KiB in hex (a branch of
 * 16 hashes), a handful to a few dozen of them: tens of KiB. 1 MiB is ample.
 */
export const MAX_PROOF_ANSWER_BYTES = 1024 * 1024

/** Where a storage proof comes from: a node's `state_getReadProof` (the light client has none to give). */
export type StorageProofSource = (storageKey: string, blockHash: string) => Promise<string[]>

/** Proofs from the node the client is connected to over RPC. */
export function rpcStorageProofs(chain: Pick<ModuleRegistryClient, 'storageProof'>): StorageProofSource {
  return async (storageKey, blockHash) => await chain.storageProof(storageKey, blockHash)
}

/** Proofs from a Mod-Net gateway (untrusted: the card is verified before it is returned). */
export function gatewayStorageProofs(gatewayUrl: string): StorageProofSource {
  const noProof = (reason: string, cause?: unknown) => new ChainError('CHAIN_UNAVAILABLE', `the gateway gave no storage proof: ${reason}`, { cause })
  return async (storageKey, blockHash) => {
    let body: { proof?: unknown } | null
    try {
      const response = await fetch(`${gatewayUrl}/api/v1/proof?key=${storageKey}&at=${blockHash}`)
      if (!response.ok) throw noProof(await errorReason(response))
      body = (await readBoundedJson(response, MAX_PROOF_ANSWER_BYTES, 'the proof answer')) as { proof?: unknown } | null
    } catch (error) {
      if (error instanceof ChainError) throw error
      throw noProof(error instanceof BodyTooLargeError ? error.describe('the gateway') : (error as Error).message, error)
    }
    const proof = body?.proof
    if (!Array.isArray(proof) || !proof.every((node) => typeof node === 'string')) throw noProof('the answer has no "proof" list of hex strings')
    return proof as string[]
  }
}
