/**
 * Mod-Net's IPFS access: `IPFSClient` with embedded Helia, Kubo and
 * trustless-gateway backends. Everything read is verified against its CID.
 */
import { EmbeddedIpfs, type EmbeddedStorage } from './embedded.ts'
import { GatewayIpfs } from './gateway.ts'
import { KuboIpfs } from './kubo.ts'

export { BlockBackedClient } from './client.ts'
export type { IPFSClient, IPFSBackendKind, IPFSStatus, CatOptions, AddOptions } from './client.ts'
export { IPFSError, isTransient } from './errors.ts'
export type { IPFSErrorCode } from './errors.ts'
export { computeCid, parseCid, importSettings, UNIXFS_CHUNK_SIZE, UNIXFS_MAX_LINKS, CODEC_RAW, CODEC_DAG_PB } from './cid.ts'
export { verifyBlock } from './verify.ts'
export { verifiedContent, DEFAULT_MAX_CONTENT_BYTES } from './content.ts'
export type { BlockFetcher, ReadOptions } from './content.ts'
export { withRetry } from './retry.ts'
export type { RetryOptions } from './retry.ts'
export { EmbeddedIpfs, KuboIpfs, GatewayIpfs }
export type { EmbeddedStorage }
export { createIPFSClient, memoryStorage } from './open.ts'
export type { CreateIpfsOptions } from './open.ts'
