/**
 * Registry calls in a block's body, for blocks whose state (and so whose
 * events) the node has pruned. A call in a block says what was asked, not
 * whether it succeeded: callers may use it to keep content, never to drop it.
 * Calls wrapped in `utility.batch*`, `sudo`, `proxy` and the like are found
 * too, by walking every argument that is itself a call.
 */
import type { ApiPromise } from '@polkadot/api'
import { cidFromChain } from './decode.ts'
import { ChainError } from './errors.ts'

export interface RegistryCallInBlock {
  method: 'registerModule' | 'updateModule'
  key: string
  cid: string
}

interface CallLike {
  section: string
  method: string
  args: unknown[]
}

function isCall(value: unknown): value is CallLike {
  const call = value as CallLike
  return typeof call?.section === 'string' && typeof call.method === 'string' && Array.isArray(call.args)
}

/**
 * The `registerModule` / `updateModule` calls in the block `blockHash`,
 * decoded with the current metadata: the block is fetched raw, because
 * polkadot-js would decode it with the metadata at that block, which needs
 * the very state the node has pruned.
 */
export async function registryCallsInBlock(api: ApiPromise, blockHash: string): Promise<RegistryCallInBlock[]> {
  const raw = (await api.rpc.chain.getBlock.raw(blockHash)) as unknown as { block: { extrinsics: string[] } } | null
  if (raw === null) throw new ChainError('CHAIN_UNAVAILABLE', `the node does not have block ${blockHash}`)
  const found: RegistryCallInBlock[] = []
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8) return
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1))
    if (!isCall(value)) return
    if (value.section === 'moduleRegistry' && (value.method === 'registerModule' || value.method === 'updateModule')) {
      const [key, cid] = value.args as { toHex(): string }[]
      try {
        found.push({ method: value.method, key: key.toHex(), cid: cidFromChain(cid.toHex()) })
      } catch { /* not a CID: the pallet refused this call */ }
      return
    }
    for (const arg of value.args) visit(arg, depth + 1)
  }
  for (const hex of raw.block.extrinsics) visit(api.createType('Extrinsic', hex).method, 0)
  return found
}
