/**
 * The gateway backend with a Helia node in front: blocks are fetched by
 * Helia's trustless-gateway block broker (which checks each block's hash) and
 * kept in its in-memory blockstore for the page's lifetime. What is read is
 * verified again by `BlockBackedClient`. When Helia cannot get a block, the
 * gateway is asked directly, so the error says precisely what went wrong
 * (not found, or bytes that do not match their CID). Uploads go to the Mod-Net
 * gateway as in `GatewayIpfs`. This is the browser's IPFS client.
 */
import { createHeliaLight } from 'helia'
import { fallbackRouter } from '@helia/fallback-router'
import { trustlessGatewayBlockBroker } from '@helia/trustless-gateway-client'
import type { Helia, Router } from '@helia/interface'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { MemoryDatastore } from 'datastore-core/memory'
import type { CID } from 'multiformats/cid'
import { concatBytes } from './content.ts'
import { GatewayIpfs } from './gateway.ts'

/**
 * A router that names the configured gateway as the provider of everything.
 * It is `fallbackRouter` without the "fallback" capability: Helia 7 consults
 * fallback routers only after the others, and with no other router its
 * provider search never ends (checked with helia 7.1.15).
 */
function gatewayRouter(url: string): Router {
  const inner = fallbackRouter({ gateways: [url], shuffle: false })
  return {
    name: 'mod-net-gateway',
    findProviders: (cid, options) => inner.findProviders!(cid, options),
    toString: () => `mod-net-gateway(${url})`,
  } as Router
}

export class HeliaGatewayIpfs extends GatewayIpfs {
  readonly #helia: Helia

  private constructor(url: string, helia: Helia) {
    super(url)
    this.#helia = helia
  }

  static async open(url: string): Promise<HeliaGatewayIpfs> {
    const helia = await createHeliaLight({
      blockstore: new MemoryBlockstore(),
      datastore: new MemoryDatastore(),
      // Only the configured gateway: loopback and plain http are allowed for local stacks.
      blockBrokers: [trustlessGatewayBlockBroker({ allowInsecure: true, allowLocal: true })],
      routers: [gatewayRouter(url)],
    }).start()
    return new HeliaGatewayIpfs(url, helia)
  }

  protected fetchBlock = async (cid: CID, signal: AbortSignal): Promise<Uint8Array> => {
    try {
      const chunks: Uint8Array[] = []
      for await (const chunk of this.#helia.blockstore.get(cid, { signal })) chunks.push(chunk)
      return concatBytes(chunks)
    } catch {
      signal.throwIfAborted()
      // Ask the gateway itself: its answer is checked too, and names the problem.
      return await this.fetchFromGateway(cid, signal)
    }
  }

  async close(): Promise<void> {
    await this.#helia.stop()
  }
}
