/**
 * Resolves `/ipfs/<cid>/<path>` to the CID at its end, noting every block read
 * on the way (UnixFS directories, HAMT shards, DAG-CBOR/DAG-JSON nodes): a CAR
 * for the path starts with those, so the client can verify the path itself.
 */
import { BadPathError, NoResolverError, NotFoundError, NotUnixFSError, walkPath } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { IPFSError } from '../../lib/ipfs/errors.ts'
import { HttpError } from '../http/http-error.ts'
import type { Block, BlockReader } from './block-reader.ts'

export interface ResolvedPath {
  root: CID
  /** The blocks read to walk the path, in order (the root first, HAMT shards included), the terminal's excluded. */
  pathBlocks: Block[]
  /** One CID per path segment, the root first and the terminal last (X-Ipfs-Roots). */
  segmentRoots: CID[]
  /** The CID the path ends at. */
  terminal: CID
}

/** Path segments taken (a longer path is refused before anything is read). */
export const MAX_PATH_SEGMENTS = 64

/** `segments` are already percent-decoded. */
export async function resolvePath(root: CID, segments: string[], reader: BlockReader): Promise<ResolvedPath> {
  if (segments.length === 0) return { root, pathBlocks: [], segmentRoots: [root], terminal: root }
  if (segments.length > MAX_PATH_SEGMENTS) throw new HttpError(400, `the path has ${segments.length} segments; at most ${MAX_PATH_SEGMENTS} are resolved`)
  for (const segment of segments) {
    // walkPath splits on "/" and treats "\/" as an escaped slash: names holding either cannot be asked for.
    if (segment.includes('/') || segment.endsWith('\\')) throw new HttpError(400, `the path segment "${segment.slice(0, 100)}" holds a "/" or ends in "\\"`)
  }

  const read: Block[] = []
  const recording = {
    async * get(cid: CID): AsyncGenerator<Uint8Array> {
      const bytes = await reader.get(cid)
      read.push({ cid, bytes })
      yield bytes
    },
  }
  const entries: Array<{ cid: CID; remainder: string[] }> = []
  try {
    for await (const entry of walkPath(`${root}/${segments.join('/')}`, recording, { yieldSubShards: true, signal: reader.signal })) {
      entries.push({ cid: entry.cid, remainder: entry.remainder })
    }
  } catch (error) {
    throw translate(error, root, segments)
  }
  const terminal = entries[entries.length - 1].cid
  // A path that ends inside a DAG-CBOR node ends at the node itself: it is the terminal, not a path block.
  const pathBlocks = read.at(-1)?.cid.equals(terminal) === true ? read.slice(0, -1) : read
  // Logical segments only: a HAMT sub-shard leaves the remaining path as it was.
  const segmentRoots = entries.filter((entry, i) => i === 0 || entry.remainder.length < entries[i - 1].remainder.length).map((entry) => entry.cid)
  return { root, pathBlocks, segmentRoots, terminal }
}

function translate(error: unknown, root: CID, segments: string[]): unknown {
  const path = `/ipfs/${root}/${segments.join('/')}`.slice(0, 300)
  if (error instanceof NotFoundError || error instanceof BadPathError) return new HttpError(404, `${path} does not exist: ${error.message}`)
  if (error instanceof NoResolverError || error instanceof NotUnixFSError) return new IPFSError('IPFS_UNSUPPORTED', `cannot follow ${path}: ${error.message}`)
  return error
}
