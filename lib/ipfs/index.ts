/**
 * Mod-Net's IPFS access: `IPFSClient` with embedded Helia, Kubo and
 * trustless-gateway backends. Everything read is verified against its CID.
 */
import { MemoryBlockstore } from 'blockstore-core/memory'
import { MemoryDatastore } from 'datastore-core/memory'
import type { IPFSClient } from './client.ts'
import { EmbeddedIpfs, type EmbeddedStorage } from './embedded.ts'
import { IpfsError } from './errors.ts'
import { GatewayIpfs } from './gateway.ts'
import { KuboIpfs } from './kubo.ts'

export { BlockBackedClient } from './client.ts'
export type { IPFSClient, IpfsBackendKind, IpfsStatus, CatOptions, AddOptions } from './client.ts'
export { IpfsError, isTransient } from './errors.ts'
export type { IpfsErrorCode } from './errors.ts'
export { computeCid, parseCid, importSettings, UNIXFS_CHUNK_SIZE, UNIXFS_MAX_LINKS, CODEC_RAW, CODEC_DAG_PB } from './cid.ts'
export { verifyBlock } from './verify.ts'
export { verifiedContent, DEFAULT_MAX_CONTENT_BYTES } from './content.ts'
export type { BlockFetcher, ReadOptions } from './content.ts'
export { withRetry } from './retry.ts'
export type { RetryOptions } from './retry.ts'
export { EmbeddedIpfs, KuboIpfs, GatewayIpfs }
export type { EmbeddedStorage }

export interface CreateIpfsOptions {
  /** Storage for `embedded` (e.g. `fileStorage(dir)` from lib/ipfs/node-storage.ts); in memory by default. */
  embeddedStorage?: EmbeddedStorage
}

/**
 * Opens the backend a spec names: `embedded`, `kubo:<RPC URL>` or
 * `gateway:<URL>` (the forms the CLI's `--ipfs` option takes).
 */
export async function createIPFSClient(spec: string, options: CreateIpfsOptions = {}): Promise<IPFSClient> {
  const [kind, ...rest] = spec.split(':')
  const url = rest.join(':')
  switch (kind) {
    case 'embedded':
      if (url !== '') break
      return await EmbeddedIpfs.open(options.embeddedStorage ?? memoryStorage())
    case 'kubo':
      return new KuboIpfs(checkUrl(url, spec))
    case 'gateway':
      return new GatewayIpfs(checkUrl(url, spec))
  }
  throw new IpfsError('IPFS_UNSUPPORTED', `unknown IPFS backend "${spec}": use embedded, kubo:http://127.0.0.1:5001 or gateway:http://127.0.0.1:8088`)
}

export function memoryStorage(): EmbeddedStorage {
  return { blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore(), location: 'memory' }
}

function checkUrl(url: string, spec: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url
  } catch { /* reported below */ }
  throw new IpfsError('IPFS_UNSUPPORTED', `"${spec}" needs an http(s) URL after the colon, e.g. ${spec.split(':')[0]}:http://127.0.0.1:${spec.startsWith('kubo') ? 5001 : 8088}`)
}
