/**
 * CIDs: parsing with clear errors, and computing the CID of bytes exactly as
 * Helia's `unixfs.addBytes` (and Kubo with the matching options) would.
 */
import { CID } from 'multiformats/cid'
import { bases } from 'multiformats/basics'
import { importFile } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { IPFSError } from './errors.ts'

/** Multicodec codes this library reads content of. */
export const CODEC_RAW = 0x55
export const CODEC_DAG_PB = 0x70

/** UnixFS import settings shared by every backend: CIDv1, raw leaves, 1 MiB chunks, 1024 links per node (Helia's defaults, Kubo's `unixfs-v1-2025` profile). */
export const UNIXFS_CHUNK_SIZE = 1_048_576
export const UNIXFS_MAX_LINKS = 1024

export function importSettings() {
  return {
    cidVersion: 1 as const,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize: UNIXFS_CHUNK_SIZE }),
    layout: balanced({ maxChildrenPerNode: UNIXFS_MAX_LINKS }),
  }
}

/** Every multibase `multiformats` knows (`CID.parse` alone reads only base32, base36 and base58btc). */
const [firstBase, ...otherBases] = Object.values(bases)
const ANY_MULTIBASE = otherBases.reduce<ReturnType<typeof firstBase.decoder.or<string>>>((all, base) => all.or(base.decoder), firstBase.decoder.or(firstBase.decoder))

/** Parses a CID given as a string (any multibase `multiformats` knows) or in binary form. */
export function parseCid(value: string | Uint8Array | CID): CID {
  if (value instanceof CID) return value
  try {
    if (typeof value === 'string') {
      const text = value.trim()
      // Every alphabet but base256emoji's is printable ASCII; multiformats' base-x decoder
      // (base58btc, base36, base10) would read a character above U+00FF as some digit.
      if (!text.startsWith('\u{1F680}') && /[^\x21-\x7e]/u.test(text)) throw new Error('it has a character no multibase alphabet uses')
      return CID.parse(text, ANY_MULTIBASE)
    }
    return CID.decode(value)
  } catch (error) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 100)}"` : `${value.length} bytes`
    throw new IPFSError('IPFS_BAD_CID', `${shown} is not a valid CID: ${(error as Error).message}`, { cause: error })
  }
}

/**
 * The CID `bytes` get when added as a UnixFS file with {@link importSettings}:
 * a raw-codec CID when they fit one chunk, otherwise a dag-pb root.
 */
export async function computeCid(bytes: Uint8Array): Promise<CID> {
  const discard = { async put(cid: CID): Promise<CID> { return cid } }
  const { cid } = await importFile({ content: bytes }, discard, importSettings())
  return cid
}
