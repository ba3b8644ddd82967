/**
 * Reads content by CID from any source of blocks, verifying every block.
 */
import { exporter } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { CODEC_DAG_PB, CODEC_RAW } from './cid.ts'
import { IPFSError } from './errors.ts'
import { verifyBlock } from './verify.ts'

/** Fetches the unverified bytes of one block; `verifiedContent` checks them. */
export type BlockFetcher = (cid: CID, signal: AbortSignal) => Promise<Uint8Array>

export interface ReadOptions {
  /** Refuse content larger than this (default 64 MiB). */
  maxBytes?: number
  signal?: AbortSignal
}

export const DEFAULT_MAX_CONTENT_BYTES = 64 * 1024 * 1024

/**
 * The bytes of `cid`: a UnixFS file (dag-pb) is reassembled from its verified
 * blocks, any other codec is returned as its single verified block.
 */
export async function verifiedContent(cid: CID, fetchBlock: BlockFetcher, options: ReadOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CONTENT_BYTES
  const signal = options.signal ?? new AbortController().signal
  const fetchVerified = async (blockCid: CID): Promise<Uint8Array> => verifyBlock(blockCid, await fetchBlock(blockCid, signal))

  if (cid.code !== CODEC_DAG_PB && cid.code !== CODEC_RAW) {
    return checkSize(cid, await fetchVerified(cid), maxBytes)
  }
  const blockstore = {
    async *get(blockCid: CID): AsyncGenerator<Uint8Array> {
      yield await fetchVerified(blockCid)
    },
  }
  const entry = await exporter(cid, blockstore, { signal })
  if (entry.type === 'directory' || entry.type === 'object') throw new IPFSError('IPFS_UNSUPPORTED', `${cid} is a ${entry.type}, not a file`)
  if (entry.size > BigInt(maxBytes)) throw tooLarge(cid, entry.size, maxBytes)
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const chunk of entry.content({ signal }) as AsyncIterable<Uint8Array>) {
    length += chunk.length
    if (length > maxBytes) throw tooLarge(cid, BigInt(length), maxBytes)
    chunks.push(chunk)
  }
  return concatBytes(chunks)
}

/** The size `cid`'s root block declares for the content (UnixFS file size, else the block's own), verified. */
export async function declaredSize(cid: CID, fetchBlock: BlockFetcher, signal: AbortSignal): Promise<bigint> {
  const root = verifyBlock(cid, await fetchBlock(cid, signal))
  if (cid.code !== CODEC_DAG_PB) return BigInt(root.length)
  // Only the root is read: the exporter reads a file's size from its UnixFS header.
  const entry = await exporter(cid, { async *get() { yield root } }, { signal })
  return entry.type === 'directory' ? 0n : BigInt(entry.size)
}

function checkSize(cid: CID, bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.length > maxBytes) throw tooLarge(cid, BigInt(bytes.length), maxBytes)
  return bytes
}

function tooLarge(cid: CID, size: bigint, maxBytes: number): IPFSError {
  return new IPFSError('IPFS_TOO_LARGE', `${cid} holds at least ${size} bytes, more than the ${maxBytes} allowed`)
}

export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}
