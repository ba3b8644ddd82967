/** Who authored which block, read from the chain as Aura checks it. */
import type { ApiPromise } from '@polkadot/api'

/**
 * Aura public keys (hex) of the authors of blocks `from`+1 … `to`: each block's
 * slot (its pre-runtime digest) indexes the authorities at its parent. Block
 * import checks the seal against exactly that authority, so a block in a
 * validator's slot was signed with the key only that validator's node holds.
 */
export async function authorsOf(api: ApiPromise, from: number, to: number): Promise<string[]> {
  const authors: string[] = []
  for (let n = from + 1; n <= to; n++) {
    const hash = await api.rpc.chain.getBlockHash(n)
    const header = await api.rpc.chain.getHeader(hash)
    const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura')
    if (preRuntime === undefined) continue
    const slot = api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt()
    const authorities = (await (await api.at(header.parentHash)).query.aura.authorities()).toJSON() as string[]
    authors.push(authorities[Number(slot % BigInt(authorities.length))])
  }
  return authors
}
