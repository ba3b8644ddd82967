/**
 * A module's dependency tree, every node proved. From the root key, each
 * node's record and status are read at one finalized block (through the
 * light client, a storage proof per read; over RPC, trusted: the ReadPoint
 * says which), its metadata is fetched and hash-checked against the CID, and
 * the dependencies that name a module key are followed. Dependencies given
 * by name only are listed, not resolved: names are claims, keys identities.
 *
 * Rules (each failure names the module and the path to it):
 * - no module under a key: failure (`missing`);
 * - the revision used is yanked: failure (`yanked`), naming the latest
 *   revision that is not, when the key's history proves its CID;
 * - deprecated: a warning with the owner's note;
 * - a `version` range the metadata's version does not satisfy: failure;
 * - metadata that is not schema-valid: failure (its dependencies cannot be read);
 * - bytes that do not hash to the CID: failure (`unverified`);
 * - a key already on the path: failure (`cycle`), not followed again;
 * - deeper than `maxDepth` or more than `maxNodes` modules: failure (`limit`);
 * - a pinned `cid` equal to the record's: proved current. Another pin: the
 *   pinned document is fetched (hash-checked against the pin) and followed,
 *   and it is tied to the key only if the key's history commitment proves it
 *   was one of its revisions (then a yanked pinned revision fails); otherwise
 *   the node carries the warning "pinned to a document the record does not
 *   point at: not proved to be this module's".
 */
import semverSatisfies from 'semver/functions/satisfies.js'
import { IPFSError } from '../ipfs/errors.ts'
import type { ModuleRecord, ModuleStatus, ReadPoint } from '../types/chain.ts'
import { parseJsonDocument } from '../types/canonical.ts'
import { MAX_METADATA_BYTES } from '../types/metadata.ts'
import type { DependencyByKey, ModuleMetadata } from '../types/metadata.ts'
import { validateMetadata } from '../types/validate.ts'
import type { ResolveDeps } from './deps.ts'
import { provedHistory, type EventHint } from './history.ts'
import { latestNotYanked, provedRevisions, type LatestNotYanked, type RevisionMap } from './revisions.ts'

/** How deep the walk goes by default: a chain of 16 modules is already unusual. */
export const DEFAULT_MAX_DEPTH = 16
/** How many modules the walk reads by default (each costs a record, a status and a metadata read). */
export const DEFAULT_MAX_NODES = 256

export type FailureKind = 'missing' | 'yanked' | 'version' | 'invalid' | 'unverified' | 'cycle' | 'limit'

export interface ResolveProblem {
  kind: FailureKind
  /** Module keys from the root to the node concerned (the node's own last). */
  path: string[]
  message: string
}

export interface ResolveWarning {
  path: string[]
  message: string
}

/** How a pinned CID relates to the record. */
export type PinCheck =
  | { state: 'current' }
  /** An earlier revision, proved by the key's history commitment. */
  | { state: 'earlier-revision'; revision: number }
  | { state: 'unproved'; reason: string }

export interface ResolvedNode {
  /** The name the dependent gave it (absent for the root). A claim, like every name. */
  name?: string
  /** Absent for a dependency by name only. */
  key?: string
  /** What the dependent asked for: a range by name, or the key (with `version`, `cid`). */
  wanted?: string | DependencyByKey
  /**
   * `ok`: proved (warnings aside); `named-only`: by name, not resolved;
   * `repeat`: resolved elsewhere in the tree; the others are failures.
   */
  state: 'ok' | 'named-only' | 'repeat' | FailureKind
  record?: ModuleRecord
  status?: ModuleStatus
  /** Where the record and the status were read and who vouches for them. */
  readAt?: ReadPoint
  /** The document followed: the record's, or the pinned one. `hashChecked`: its bytes hash to `cid`. */
  metadata?: { cid: string; bytes: number; hashChecked: true; name?: string; version?: string }
  pin?: { cid: string } & PinCheck
  /** For a yanked revision: the latest one that is not. */
  latest?: LatestNotYanked
  /** Why it failed, when it did. */
  problem?: string
  warnings: string[]
  children: ResolvedNode[]
}

export interface ResolvedTree {
  root: ResolvedNode
  /** The finalized block every record and status was read at. */
  at: ReadPoint
  /** No failures (warnings may remain). */
  ok: boolean
  failures: ResolveProblem[]
  warnings: ResolveWarning[]
  /** Modules read (repeats and names only not counted). */
  modules: number
}

export interface ResolveOptions {
  maxDepth?: number
  maxNodes?: number
  /**
   * Events of a key from an untrusted source (a gateway's index), replayed
   * against the key's history commitment: proves earlier revisions' CIDs (for
   * pins to an earlier document and for the latest revision not yanked).
   * Without it, those are reported as not proved.
   */
  eventHints?: (key: string) => Promise<EventHint[]>
  signal?: AbortSignal
}

/** Resolves `key`'s dependency tree. Throws only when the root is not registered, or the chain or IPFS cannot be reached. */
export async function resolveDependencies(deps: ResolveDeps, key: string, options: ResolveOptions = {}): Promise<ResolvedTree> {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES
  const { record: rootRecord, at } = await deps.chain.requireModule(key)
  const failures: ResolveProblem[] = []
  const warnings: ResolveWarning[] = []
  const seen = new Map<string, ResolvedNode>()
  const revisionMaps = new Map<string, Promise<RevisionMap>>()
  let modules = 0

  const revisionsOf = (record: ModuleRecord): Promise<RevisionMap> => {
    let map = revisionMaps.get(record.key)
    if (map === undefined) {
      const hints = options.eventHints
      map = hints === undefined
        ? Promise.resolve({ proved: false, reason: 'no event source was given to replay against the history commitment' } as RevisionMap)
        : hints(record.key)
          .then((list) => provedHistory(deps, record.key, list))
          .then((history) => provedRevisions(history, record))
          .catch((error: unknown) => ({ proved: false, reason: `the key's history could not be read (${(error as Error).message})` }) as RevisionMap)
      revisionMaps.set(record.key, map)
    }
    return map
  }

  const fail = (node: ResolvedNode, path: string[], kind: FailureKind, message: string): ResolvedNode => {
    node.state = kind
    node.problem = message
    failures.push({ kind, path, message })
    return node
  }
  const warn = (node: ResolvedNode, path: string[], message: string) => {
    node.warnings.push(message)
    warnings.push({ path, message })
  }

  async function visit(moduleKey: string, name: string | undefined, wanted: DependencyByKey | undefined, ancestors: string[], known?: { record: ModuleRecord; at: ReadPoint }): Promise<ResolvedNode> {
    options.signal?.throwIfAborted()
    const path = [...ancestors, moduleKey]
    const label = describe(name, moduleKey)
    const node: ResolvedNode = { ...(name === undefined ? {} : { name }), key: moduleKey, ...(wanted === undefined ? {} : { wanted }), state: 'ok', warnings: [], children: [] }
    if (ancestors.includes(moduleKey)) {
      return fail(node, path, 'cycle', `dependency cycle: ${path.map((k) => short(k)).join(' → ')} (${label} is already on the path; not followed again)`)
    }
    const seenKey = `${moduleKey}|${wanted?.cid ?? ''}|${wanted?.version ?? ''}`
    const earlier = seen.get(seenKey)
    if (earlier !== undefined) {
      return { ...node, state: 'repeat', record: earlier.record, readAt: earlier.readAt, metadata: earlier.metadata, ...(earlier.pin === undefined ? {} : { pin: earlier.pin }) }
    }
    if (ancestors.length > maxDepth) return fail(node, path, 'limit', `${label} is deeper than ${maxDepth} levels: not resolved (the depth limit)`)
    if (modules >= maxNodes) return fail(node, path, 'limit', `${label} would be module number ${modules + 1}: not resolved (the limit is ${maxNodes} modules)`)
    seen.set(seenKey, node)
    modules += 1

    const read = known ?? (await deps.chain.getModule(moduleKey, at.blockHash as `0x${string}`))
    // Read at the root's block: as final as the root's read.
    node.readAt = read.at.blockHash === at.blockHash ? { ...read.at, finalized: at.finalized } : read.at
    if (read.record === null) {
      return fail(node, path, 'missing', `${label} is not registered (at finalized block #${read.at.blockNumber}); path: ${describePath(path)}`)
    }
    const record = read.record
    node.record = record
    const { status } = await deps.chain.getModuleStatus(moduleKey, read.at.blockHash as `0x${string}`)
    node.status = status
    if (status.deprecation !== undefined) warn(node, path, `${label} is deprecated: ${status.deprecation}`)

    // Which document: the record's, or the pinned one.
    let documentCid = record.cid
    let revisionUsed = record.revision
    if (wanted?.cid !== undefined && wanted.cid !== record.cid) {
      documentCid = wanted.cid
      const revisions = await revisionsOf(record)
      const found = revisions.proved ? revisions.revisions.find((entry) => entry.cid === wanted.cid) : undefined
      if (found !== undefined) {
        node.pin = { cid: wanted.cid, state: 'earlier-revision', revision: found.revision }
        revisionUsed = found.revision
        warn(node, path, `${label} is pinned to revision ${found.revision}, not the current revision ${record.revision} (${record.cid}); the pin is proved by the key's history commitment`)
      } else {
        const reason = revisions.proved ? 'the proved history of the key never pointed at it' : revisions.reason
        node.pin = { cid: wanted.cid, state: 'unproved', reason }
        revisionUsed = -1
        warn(node, path, `${label} is pinned to ${wanted.cid}, a document the record (revision ${record.revision}, ${record.cid}) does not point at: not proved to be this module's (${reason})`)
      }
    } else if (wanted?.cid !== undefined) {
      node.pin = { cid: wanted.cid, state: 'current' }
    }

    if (revisionUsed >= 0 && status.yanked.includes(revisionUsed)) {
      const which = revisionUsed === record.revision ? `its current revision ${revisionUsed}` : `the pinned revision ${revisionUsed}`
      let latestText = ''
      if (revisionUsed === record.revision) {
        const latest = latestNotYanked(record, status, status.yanked.includes(record.revision) ? await revisionsOf(record) : undefined)
        node.latest = latest
        latestText = latest.state === 'earlier'
          ? `; the latest revision not yanked is ${latest.revision} (${latest.cid}, proved by the history commitment)`
          : latest.state === 'none' ? '; every revision is yanked' : latest.state === 'unproved' ? `; the latest revision not yanked cannot be proved (${latest.reason})` : ''
      }
      fail(node, path, 'yanked', `${label}: ${which} is yanked${latestText}; path: ${describePath(path)}`)
    }

    // The document, hash-checked against its CID.
    let bytes: Uint8Array
    try {
      bytes = await deps.ipfs.cat(documentCid, { maxBytes: MAX_METADATA_BYTES, signal: options.signal })
    } catch (error) {
      if (error instanceof IPFSError && (error.code === 'IPFS_VERIFICATION_FAILED' || error.code === 'IPFS_CID_MISMATCH' || error.code === 'IPFS_TOO_LARGE' || error.code === 'IPFS_BAD_CID' || error.code === 'IPFS_UNSUPPORTED')) {
        return node.state === 'ok' ? fail(node, path, 'unverified', `${label}: its metadata ${documentCid} could not be verified (${error.message})`) : node
      }
      if (error instanceof IPFSError && error.code === 'IPFS_NOT_FOUND') {
        return node.state === 'ok' ? fail(node, path, 'missing', `${label}: its metadata ${documentCid} is not on IPFS (${error.message}); path: ${describePath(path)}`) : node
      }
      throw error
    }
    let document: unknown
    try {
      document = parseJsonDocument(bytes)
    } catch (error) {
      node.metadata = { cid: documentCid, bytes: bytes.length, hashChecked: true }
      return node.state === 'ok' ? fail(node, path, 'invalid', `${label}: its metadata ${documentCid} is not a JSON document (${(error as Error).message})`) : node
    }
    const metadata = document as Partial<ModuleMetadata>
    node.metadata = {
      cid: documentCid,
      bytes: bytes.length,
      hashChecked: true,
      ...(typeof metadata?.name === 'string' ? { name: metadata.name } : {}),
      ...(typeof metadata?.version === 'string' ? { version: metadata.version } : {}),
    }
    const validation = validateMetadata(document)
    if (!validation.ok) {
      const issues = validation.issues.slice(0, 3).map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')
      return node.state === 'ok' ? fail(node, path, 'invalid', `${label}: its metadata ${documentCid} is not valid (${issues}); its dependencies cannot be read`) : node
    }
    if (name !== undefined && validation.metadata.name !== name) {
      warn(node, path, `${label}: the dependent calls it "${name}", its own metadata says "${validation.metadata.name}" (names are claims; the key is what was followed)`)
    }
    if (wanted?.version !== undefined && !semverSatisfies(validation.metadata.version, wanted.version, { includePrerelease: true })) {
      if (node.state === 'ok') fail(node, path, 'version', `${label}: version ${validation.metadata.version} does not satisfy the range ${wanted.version} the dependent asks for; path: ${describePath(path)}`)
    }

    for (const [childName, spec] of Object.entries(validation.metadata.dependencies ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (typeof spec === 'string') {
        node.children.push({ name: childName, wanted: spec, state: 'named-only', warnings: [], children: [] })
        continue
      }
      node.children.push(await visit(spec.key, childName, spec, path))
    }
    return node
  }

  const root = await visit(rootRecord.key, undefined, undefined, [], { record: rootRecord, at })
  return { root, at, ok: failures.length === 0, failures, warnings, modules }
}

function short(key: string): string {
  return `${key.slice(0, 8)}…${key.slice(-4)}`
}

function describe(name: string | undefined, key: string): string {
  return name === undefined ? `module ${key}` : `dependency "${name}" (${key})`
}

function describePath(path: string[]): string {
  return path.map(short).join(' → ')
}

