/**
 * What a CAR walk needs to know of one verified block: its links, and whether
 * it is a UnixFS file (with the sizes of its parts) or a HAMT shard (with its
 * sub-shards). Decoding is ipfs-unixfs-exporter's (dag-pb/UnixFS, raw,
 * DAG-CBOR, DAG-JSON, JSON); a block it cannot decode (another codec, dag-pb
 * without UnixFS data, bytes that do not parse) is a leaf: it is sent, and
 * nothing under it.
 */
import { exporter, type UnixFSEntry } from 'ipfs-unixfs-exporter'
import { CID } from 'multiformats/cid'

export interface FileLayout {
  /** Bytes of the file under this node. */
  size: number
  /** Bytes held in the node itself, before its children's. */
  dataLength: number
  /** Bytes under each link, in link order. */
  blockSizes: number[]
}

export interface DecodedNode {
  /** `file`: a UnixFS file node or a raw block; `hamt`: a HAMT shard; `other`: anything else. */
  kind: 'file' | 'hamt' | 'other'
  /** Every CID the block links to, in order. */
  links: CID[]
  /** For `file`. */
  file?: FileLayout
  /** For `hamt`: the links to sub-shards (the others are the directory's entries). */
  shards?: CID[]
}

export async function decodeNode(cid: CID, bytes: Uint8Array): Promise<DecodedNode> {
  const only = {
    async * get(wanted: CID): AsyncGenerator<Uint8Array> {
      if (!wanted.equals(cid)) throw new Error(`decoding ${cid} asked for another block (${wanted})`)
      yield bytes
    },
  }
  let entry: UnixFSEntry
  try {
    entry = await exporter(cid, only)
  } catch {
    return { kind: 'other', links: [] }
  }
  switch (entry.type) {
    case 'raw':
    case 'identity':
      return { kind: 'file', links: [], file: { size: bytes.length, dataLength: bytes.length, blockSizes: [] } }
    case 'object':
      return { kind: 'other', links: cidsIn(entry.object) }
    case 'file': {
      const links = entry.node.Links.map((link) => link.Hash)
      if (entry.unixfs.type !== 'file' && entry.unixfs.type !== 'raw') return { kind: 'other', links }
      const blockSizes = entry.unixfs.blockSizes.map(Number)
      const dataLength = entry.unixfs.data?.length ?? 0
      return { kind: 'file', links, file: { size: Number(entry.unixfs.fileSize()), dataLength, blockSizes } }
    }
    case 'directory': {
      const links = entry.node.Links.map((link) => link.Hash)
      if (entry.unixfs.type !== 'hamt-sharded-directory') return { kind: 'other', links }
      // Sub-shard links are named by their bucket alone: as many hex digits as the fanout needs.
      const width = (Number(entry.unixfs.fanout ?? 256n) - 1).toString(16).length
      const shards = entry.node.Links.filter((link) => (link.Name ?? '').length === width).map((link) => link.Hash)
      return { kind: 'hamt', links, shards }
    }
  }
}

/** The CIDs in a decoded DAG-CBOR/DAG-JSON value, depth-first in the value's order. */
export function cidsIn(value: unknown): CID[] {
  const found: CID[] = []
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const item = stack.pop()
    const cid = CID.asCID(item)
    if (cid !== null) {
      found.push(cid)
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i])
    } else if (item !== null && typeof item === 'object' && !(item instanceof Uint8Array)) {
      const values = Object.values(item)
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i])
    }
  }
  return found
}
