/**
 * The blocks of a CAR response, depth-first: the blocks of the path, then
 * what `dag-scope` asks for at its end (`block`: the terminal block; `entity`:
 * a whole UnixFS file, or the part `entity-bytes` names, or every shard of a
 * HAMT directory, else the block; `all`: the whole DAG under the terminal).
 * `dups=n` sends each block once (an exact set of the CIDs sent); identity
 * CIDs are never sent (their bytes are in the CID). Blocks are read one at a
 * time, as the CAR is written, so a slow client slows the walk down.
 */
import type { CID } from 'multiformats/cid'
import { IPFSError } from '../../lib/ipfs/errors.ts'
import { IDENTITY_HASH, type Block, type BlockReader, type ReadBudget } from './block-reader.ts'
import { decodeNode } from './dag-node.ts'
import { resolveEntityBytes, type ByteInterval } from './entity-bytes.ts'
import type { CarOptions } from './negotiate.ts'
import type { ResolvedPath } from './resolve-path.ts'

export interface CarPlan {
  pathBlocks: Block[]
  /** The block at the end of the path, read while planning. */
  terminal: Block
  dups: boolean
  /** What follows the path's blocks. */
  walk: 'block' | 'file' | 'hamt' | 'all'
  /** For `file`: the bytes whose blocks are sent (none when undefined: the root only). */
  interval?: ByteInterval
  /** For `file`: whether `interval` is the whole file. */
  wholeFile?: boolean
}

/**
 * Reads the terminal block and decides the walk, before anything is sent, so
 * that a missing root (404), an `entity-bytes` past the end (400) or a file
 * larger than the budget (413) is still an HTTP status.
 */
export async function planCar(resolved: ResolvedPath, options: CarOptions, reader: BlockReader, budget: ReadBudget): Promise<CarPlan> {
  const bytes = await reader.get(resolved.terminal)
  const base = { pathBlocks: resolved.pathBlocks, terminal: { cid: resolved.terminal, bytes }, dups: options.dups }
  if (options.scope === 'block') return { ...base, walk: 'block' }
  const node = await decodeNode(resolved.terminal, bytes)
  if (node.kind === 'file' && node.file !== undefined) {
    const interval = resolveEntityBytes(options.scope === 'entity' ? options.entityBytes : undefined, node.file.size)
    const wanted = interval === undefined ? 0 : interval.last - interval.first + 1
    if (wanted > budget.maxBytes) {
      throw new IPFSError('IPFS_TOO_LARGE', `${resolved.terminal} is a ${node.file.size}-byte file; one CAR response carries at most ${budget.maxBytes} bytes: ask for a part of it with entity-bytes`)
    }
    const wholeFile = interval !== undefined && interval.first === 0 && interval.last === node.file.size - 1
    return { ...base, walk: options.scope === 'all' ? 'all' : 'file', interval, wholeFile }
  }
  if (options.scope === 'all') return { ...base, walk: 'all' }
  return { ...base, walk: node.kind === 'hamt' ? 'hamt' : 'block' }
}

export async function * carBlocks(plan: CarPlan, reader: BlockReader): AsyncGenerator<Block> {
  const sent = new Set<string>()
  /** Whether the block goes into the CAR (and notes it for dups=n). */
  const send = (cid: CID): boolean => {
    if (cid.multihash.code === IDENTITY_HASH) return false
    if (plan.dups) return true
    const key = cid.toString()
    if (sent.has(key)) return false
    sent.add(key)
    return true
  }
  /** dups=n: a block already sent went with everything under it (a walk without a byte range). */
  const alreadySent = (cid: CID): boolean => !plan.dups && sent.has(cid.toString())

  for (const block of plan.pathBlocks) {
    if (send(block.cid)) yield block
  }
  switch (plan.walk) {
    case 'block':
      if (send(plan.terminal.cid)) yield plan.terminal
      return
    case 'file':
      yield * fileBlocks(plan, reader, send, alreadySent)
      return
    case 'hamt':
    case 'all':
      yield * dagBlocks(plan, reader, send, alreadySent)
  }
}

/** A UnixFS file's blocks that hold bytes in `plan.interval`, in file order, with every node above them. */
async function * fileBlocks(plan: CarPlan, reader: BlockReader, send: (cid: CID) => boolean, alreadySent: (cid: CID) => boolean): AsyncGenerator<Block> {
  const interval = plan.interval
  const stack: Array<{ cid: CID; start: number; bytes?: Uint8Array }> = [{ ...plan.terminal, start: 0 }]
  while (stack.length > 0) {
    const { cid, start, bytes: known } = stack.pop()!
    // A repeated subtree covers other bytes of a range: walk it again unless the range is the whole file.
    if (plan.wholeFile === true && alreadySent(cid)) continue
    const bytes = known ?? await reader.get(cid)
    if (send(cid)) yield { cid, bytes }
    if (interval === undefined) continue
    const node = await decodeNode(cid, bytes)
    if (node.file === undefined || node.file.blockSizes.length === 0) continue
    if (node.links.length !== node.file.blockSizes.length) {
      throw new IPFSError('IPFS_UNSUPPORTED', `${cid} is not a valid UnixFS file node: ${node.links.length} links but ${node.file.blockSizes.length} block sizes`)
    }
    const children: Array<{ cid: CID; start: number }> = []
    let offset = start + node.file.dataLength
    for (let i = 0; i < node.links.length && offset <= interval.last; i++) {
      const end = offset + node.file.blockSizes[i]
      if (end > interval.first) children.push({ cid: node.links[i], start: offset })
      offset = end
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
  }
}

/** `all`: every block under the terminal; `hamt`: the terminal shard and its sub-shards. */
async function * dagBlocks(plan: CarPlan, reader: BlockReader, send: (cid: CID) => boolean, alreadySent: (cid: CID) => boolean): AsyncGenerator<Block> {
  const stack: Array<{ cid: CID; bytes?: Uint8Array }> = [plan.terminal]
  while (stack.length > 0) {
    const { cid, bytes: known } = stack.pop()!
    if (alreadySent(cid)) continue
    const bytes = known ?? await reader.get(cid)
    if (send(cid)) yield { cid, bytes }
    const node = await decodeNode(cid, bytes)
    const next = plan.walk === 'all' ? node.links : node.shards ?? []
    for (let i = next.length - 1; i >= 0; i--) stack.push({ cid: next[i] })
  }
}
