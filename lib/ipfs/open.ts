/**
 * Opens the IPFS backend a spec names, loading only that backend's code
 * (Helia and the Kubo client take a while to load; the CLI mostly needs
 * neither).
 */
import { MemoryBlockstore } from 'blockstore-core/memory'
import { MemoryDatastore } from 'datastore-core/memory'
import type { IPFSClient } from './client.ts'
import type { EmbeddedStorage } from './embedded.ts'
import { IPFSError } from './errors.ts'

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
      return await (await import('./embedded.ts')).EmbeddedIpfs.open(options.embeddedStorage ?? memoryStorage())
    case 'kubo':
      return new (await import('./kubo.ts')).KuboIpfs(checkUrl(url, spec))
    case 'gateway':
      return new (await import('./gateway.ts')).GatewayIpfs(checkUrl(url, spec))
  }
  throw new IPFSError('IPFS_UNSUPPORTED', `unknown IPFS backend "${spec}": use embedded, kubo:http://127.0.0.1:5001 or gateway:http://127.0.0.1:8088`)
}

export function memoryStorage(): EmbeddedStorage {
  return { blockstore: new MemoryBlockstore(), datastore: new MemoryDatastore(), location: 'memory' }
}

function checkUrl(url: string, spec: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url
  } catch { /* reported below */ }
  throw new IPFSError('IPFS_UNSUPPORTED', `"${spec}" needs an http(s) URL after the colon, e.g. ${spec.split(':')[0]}:http://127.0.0.1:${spec.startsWith('kubo') ? 5001 : 8088}`)
}
