/**
 * resolveDependencies over an in-memory registry (records, statuses, history
 * commitments) and an in-memory IPFS: the tree, every node's proof, and each
 * rule (missing, yanked, deprecated, version, pins, cycles, limits, names only);
 * provedRevisions and latestNotYanked on their own.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChainError } from '../../lib/chain/errors.ts'
import { replayHistory } from '../../lib/chain/history.ts'
import { computeCid } from '../../lib/ipfs/cid.ts'
import { IPFSError } from '../../lib/ipfs/errors.ts'
import type { EventHint } from '../../lib/registry/history.ts'
import { resolveDependencies, type ResolvedNode } from '../../lib/registry/resolve.ts'
import { latestNotYanked, provedRevisions } from '../../lib/registry/revisions.ts'
import { canonicalBytes } from '../../lib/types/canonical.ts'
import type { HistoryHead, ModuleRecord, ModuleStatus, ReadPoint, RegistryEvent } from '../../lib/types/chain.ts'
import type { ModuleMetadata } from '../../lib/types/metadata.ts'

const OWNER = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY' // DEV key (Alice)
const keyOf = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(32)}`
const A = keyOf(0xa1), B = keyOf(0xb2), C = keyOf(0xc3), D = keyOf(0xd4)
const AT: ReadPoint = { blockHash: `0x${'ee'.repeat(32)}`, blockNumber: 500, verifiedBy: 'light-client', finalized: true }

/** An in-memory registry: each module's revisions (documents), yanks, deprecation, and its history events. */
class Registry {
  blocks = new Map<string, Uint8Array>()
  records = new Map<string, ModuleRecord>()
  statuses = new Map<string, ModuleStatus>()
  events = new Map<string, RegistryEvent[]>()
  reads: string[] = []
  tampered = new Set<string>()
  #block = 10

  async put(doc: Partial<ModuleMetadata>): Promise<string> {
    const bytes = canonicalBytes({ schema: 'modnet/module-metadata/v1', description: 'test', version: '1.0.0', ...doc })
    const cid = (await computeCid(bytes)).toString()
    this.blocks.set(cid, bytes)
    return cid
  }

  /** Registers (or updates) `key` to a document, recording the event the chain would. */
  async publish(key: string, doc: Partial<ModuleMetadata>): Promise<string> {
    const cid = await this.put(doc)
    const old = this.records.get(key)
    const blockNumber = (this.#block += 10)
    const where = { key, blockNumber, blockHash: `0x${blockNumber.toString(16).padStart(64, '0')}` }
    const list = this.events.get(key) ?? []
    if (old === undefined) {
      this.records.set(key, { key, owner: OWNER, cid, revision: 0, registeredAt: blockNumber, updatedAt: blockNumber, deposit: 1n })
      list.push({ type: 'ModuleRegistered', owner: OWNER, cid, ...where })
    } else {
      this.records.set(key, { ...old, cid, revision: old.revision + 1, updatedAt: blockNumber })
      list.push({ type: 'ModuleUpdated', owner: OWNER, oldCid: old.cid, newCid: cid, revision: old.revision + 1, ...where })
    }
    this.events.set(key, list)
    return cid
  }

  yank(key: string, revision: number) {
    const status = this.statuses.get(key) ?? { yanked: [] }
    this.statuses.set(key, { ...status, yanked: [...status.yanked, revision].sort((a, b) => a - b) })
  }

  get deps() {
    const registry = this
    return {
      chain: {
        async requireModule(key: string) {
          const record = registry.records.get(key)
          if (record === undefined) throw new ChainError('MODULE_NOT_FOUND', `no module is registered under key ${key}`)
          return { record, at: AT }
        },
        async getModule(key: string, at?: string) {
          assert.equal(at, AT.blockHash, 'every node is read at the root\'s block')
          registry.reads.push(key)
          return { record: registry.records.get(key) ?? null, at: AT }
        },
        async getModuleStatus(key: string) {
          return { status: registry.statuses.get(key) ?? { yanked: [] }, at: AT }
        },
        async getHistory(key: string): Promise<{ history: HistoryHead; at: ReadPoint }> {
          return { history: replayHistory(registry.events.get(key) ?? []), at: AT }
        },
        async eventsAt(): Promise<{ events: RegistryEvent[]; blockNumber: number }> {
          throw new ChainError('CHAIN_UNAVAILABLE', 'pruned')
        },
      },
      ipfs: {
        async cat(cid: { toString(): string } | string) {
          const bytes = registry.blocks.get(cid.toString())
          if (bytes === undefined) throw new IPFSError('IPFS_NOT_FOUND', `${cid} not found`)
          if (registry.tampered.has(cid.toString())) throw new IPFSError('IPFS_VERIFICATION_FAILED', `a block of ${cid} does not match its CID`)
          return bytes
        },
      },
    }
  }

  hints = async (key: string): Promise<EventHint[]> =>
    (this.events.get(key) ?? []).map((event) => ({ type: event.type, blockNumber: event.blockNumber, blockHash: event.blockHash, event }))
}

const flat = (node: ResolvedNode, depth = 0): string[] =>
  [`${'  '.repeat(depth)}${node.name ?? 'root'} ${node.state}`, ...node.children.flatMap((child) => flat(child, depth + 1))]

test('A → B → C by key: every node read at the root\'s block and its metadata hash-checked; names only are listed, not resolved', async () => {
  const r = new Registry()
  await r.publish(C, { name: 'c' })
  await r.publish(B, { name: 'b', dependencies: { c: { key: C }, tokenizer: '^1.0.0' } })
  await r.publish(A, { name: 'a', dependencies: { b: { key: B, version: '^1.0.0', cid: r.records.get(B)!.cid } } })
  const tree = await resolveDependencies(r.deps, A)
  assert.equal(tree.ok, true, JSON.stringify(tree.failures))
  assert.deepEqual(flat(tree.root), ['root ok', '  b ok', '    c ok', '    tokenizer named-only'])
  const b = tree.root.children[0]!
  assert.equal(b.key, B)
  assert.deepEqual(b.pin, { cid: r.records.get(B)!.cid, state: 'current' })
  assert.deepEqual(b.metadata, { cid: r.records.get(B)!.cid, bytes: r.blocks.get(r.records.get(B)!.cid)!.length, hashChecked: true, name: 'b', version: '1.0.0' })
  assert.equal(b.readAt?.verifiedBy, 'light-client')
  assert.equal(b.children[1]!.key, undefined)
  assert.equal(b.children[1]!.wanted, '^1.0.0')
  assert.deepEqual(r.reads, [B, C])
  assert.equal(tree.modules, 3)
})

test('a dependency on an unregistered key fails, naming it and the path to it', async () => {
  const r = new Registry()
  await r.publish(B, { name: 'b', dependencies: { ghost: { key: D } } })
  await r.publish(A, { name: 'a', dependencies: { b: { key: B } } })
  const tree = await resolveDependencies(r.deps, A)
  assert.equal(tree.ok, false)
  assert.deepEqual(tree.failures.map((f) => [f.kind, f.path]), [['missing', [A, B, D]]])
  assert.match(tree.failures[0]!.message, new RegExp(`dependency "ghost" \\(${D}\\) is not registered .*path: 0xa1a1a1…a1a1 → 0xb2b2b2…b2b2 → 0xd4d4d4…d4d4`))
})

test('the root that is not registered is an error, not a tree', async () => {
  await assert.rejects(resolveDependencies(new Registry().deps, A), (error: ChainError) => error.code === 'MODULE_NOT_FOUND')
})

test('a yanked current revision fails and names the latest revision that is not, proved by the history commitment', async () => {
  const r = new Registry()
  const c0 = await r.publish(C, { name: 'c', version: '1.0.0' })
  await r.publish(C, { name: 'c', version: '1.1.0' })
  await r.publish(C, { name: 'c', version: '1.2.0' })
  r.yank(C, 2)
  r.yank(C, 1)
  await r.publish(A, { name: 'a', dependencies: { c: { key: C } } })
  const without = await resolveDependencies(r.deps, A)
  assert.deepEqual(without.failures.map((f) => [f.kind, f.path]), [['yanked', [A, C]]])
  assert.match(without.failures[0]!.message, /its current revision 2 is yanked; the latest revision not yanked cannot be proved \(no event source/)
  const withHistory = await resolveDependencies(r.deps, A, { eventHints: r.hints })
  assert.deepEqual(withHistory.root.children[0]!.latest, { state: 'earlier', revision: 0, cid: c0, blockNumber: r.events.get(C)![0]!.blockNumber })
  assert.match(withHistory.failures[0]!.message, new RegExp(`the latest revision not yanked is 0 \\(${c0}, proved by the history commitment\\)`))
})

test('a deprecated dependency is a warning; a version outside the range is a failure', async () => {
  const r = new Registry()
  await r.publish(C, { name: 'c', version: '2.0.0' })
  r.statuses.set(C, { yanked: [], deprecation: 'use d instead' })
  await r.publish(A, { name: 'a', dependencies: { c: { key: C, version: '^2.0.0' } } })
  const ok = await resolveDependencies(r.deps, A)
  assert.equal(ok.ok, true)
  assert.deepEqual(ok.warnings.map((w) => w.message), [`dependency "c" (${C}) is deprecated: use d instead`])
  await r.publish(A, { name: 'a', dependencies: { c: { key: C, version: '^1.0.0' } } })
  const bad = await resolveDependencies(r.deps, A)
  assert.deepEqual(bad.failures.map((f) => f.kind), ['version'])
  assert.match(bad.failures[0]!.message, /version 2\.0\.0 does not satisfy the range \^1\.0\.0/)
})

test('a cycle A → B → A is reported once and not followed again', async () => {
  const r = new Registry()
  await r.publish(B, { name: 'b', dependencies: { a: { key: A } } })
  await r.publish(A, { name: 'a', dependencies: { b: { key: B } } })
  const tree = await resolveDependencies(r.deps, A)
  assert.deepEqual(flat(tree.root), ['root ok', '  b ok', '    a cycle'])
  assert.deepEqual(tree.failures.map((f) => [f.kind, f.path]), [['cycle', [A, B, A]]])
  assert.deepEqual(r.reads, [B])
})

test('a module reached twice (a diamond) is read once; the second is a repeat', async () => {
  const r = new Registry()
  await r.publish(D, { name: 'd' })
  await r.publish(C, { name: 'c', dependencies: { d: { key: D } } })
  await r.publish(B, { name: 'b', dependencies: { d: { key: D } } })
  await r.publish(A, { name: 'a', dependencies: { b: { key: B }, c: { key: C } } })
  const tree = await resolveDependencies(r.deps, A)
  assert.deepEqual(flat(tree.root), ['root ok', '  b ok', '    d ok', '  c ok', '    d repeat'])
  assert.deepEqual(r.reads, [B, D, C])
})

test('pins: the current CID is proved current; an earlier revision is proved by the history (and fails when yanked); any other CID is not proved', async () => {
  const r = new Registry()
  const c0 = await r.publish(C, { name: 'c', version: '1.0.0' })
  await r.publish(C, { name: 'c', version: '1.1.0' })
  const stranger = await r.put({ name: 'c', version: '9.9.9' })
  await r.publish(A, { name: 'a', dependencies: { c: { key: C, cid: c0 } } })
  const earlier = await resolveDependencies(r.deps, A, { eventHints: r.hints })
  assert.equal(earlier.ok, true)
  assert.deepEqual(earlier.root.children[0]!.pin, { cid: c0, state: 'earlier-revision', revision: 0 })
  assert.equal(earlier.root.children[0]!.metadata?.version, '1.0.0', 'the pinned document is the one followed')
  assert.match(earlier.warnings[0]!.message, /pinned to revision 0, not the current revision 1 .* proved by the key's history commitment/)

  r.yank(C, 0)
  const yanked = await resolveDependencies(r.deps, A, { eventHints: r.hints })
  assert.deepEqual(yanked.failures.map((f) => f.kind), ['yanked'])
  assert.match(yanked.failures[0]!.message, /the pinned revision 0 is yanked/)

  const noHistory = await resolveDependencies(r.deps, A)
  assert.equal(noHistory.ok, true, 'without the history the pin cannot be tied to a revision, so not to a yank either')
  assert.equal(noHistory.root.children[0]!.pin?.state, 'unproved')

  await r.publish(A, { name: 'a', dependencies: { c: { key: C, cid: stranger } } })
  const other = await resolveDependencies(r.deps, A, { eventHints: r.hints })
  assert.deepEqual(other.root.children[0]!.pin, { cid: stranger, state: 'unproved', reason: 'the proved history of the key never pointed at it' })
  assert.match(other.warnings.at(-1)!.message, /does not point at: not proved to be this module's/)
})

test('metadata that does not match its CID, or is not on IPFS, fails that node', async () => {
  const r = new Registry()
  const c = await r.publish(C, { name: 'c' })
  await r.publish(A, { name: 'a', dependencies: { c: { key: C } } })
  r.tampered.add(c)
  assert.deepEqual((await resolveDependencies(r.deps, A)).failures.map((f) => f.kind), ['unverified'])
  r.tampered.clear()
  r.blocks.delete(c)
  assert.deepEqual((await resolveDependencies(r.deps, A)).failures.map((f) => f.kind), ['missing'])
})

test('depth and size limits stop the walk', async () => {
  const r = new Registry()
  const keys = Array.from({ length: 6 }, (_, i) => keyOf(0x10 + i))
  for (let i = keys.length - 1; i >= 0; i--) {
    await r.publish(keys[i]!, { name: `m${i}`, ...(i + 1 < keys.length ? { dependencies: { [`m${i + 1}`]: { key: keys[i + 1]! } } } : {}) })
  }
  const deep = await resolveDependencies(r.deps, keys[0]!, { maxDepth: 3 })
  assert.deepEqual(deep.failures.map((f) => [f.kind, f.path.length]), [['limit', 5]])
  const wide = await resolveDependencies(r.deps, keys[0]!, { maxNodes: 2 })
  assert.deepEqual(wide.failures.map((f) => [f.kind, f.path.length]), [['limit', 3]])
  assert.equal(wide.modules, 2)
})

test('a dependent that calls the module by another name gets a warning (names are claims)', async () => {
  const r = new Registry()
  await r.publish(C, { name: 'real-name' })
  await r.publish(A, { name: 'a', dependencies: { nickname: { key: C } } })
  const tree = await resolveDependencies(r.deps, A)
  assert.equal(tree.ok, true)
  assert.match(tree.warnings[0]!.message, /calls it "nickname", its own metadata says "real-name"/)
})

test('provedRevisions: only the current registration, contiguous, ending at the record; latestNotYanked skips yanked ones', async () => {
  const r = new Registry()
  const c0 = await r.publish(C, { name: 'c', version: '1.0.0' })
  const c1 = await r.publish(C, { name: 'c', version: '1.1.0' })
  const record = r.records.get(C)!
  const entries = r.events.get(C)!.map((event) => ({ state: 'proved' as const, by: 'commitment' as const, event }))
  const commitment = { history: replayHistory(r.events.get(C)!), at: AT }
  const map = provedRevisions({ commitment, entries }, record)
  assert.deepEqual(map, { proved: true, revisions: [{ revision: 0, cid: c0, blockNumber: entries[0]!.event.blockNumber }, { revision: 1, cid: c1, blockNumber: entries[1]!.event.blockNumber }] })
  assert.equal(provedRevisions({ entries }, record).proved, false, 'no commitment, no proof')
  assert.equal(provedRevisions({ commitment, entries: [entries[0]!, { ...entries[1]!, by: 'block' as const }] }, record).proved, false)
  assert.match((provedRevisions({ commitment, entries: [entries[0]!] }, record) as { reason: string }).reason, /does not end at the record/)
  assert.deepEqual(latestNotYanked(record, { yanked: [] }, undefined), { state: 'current', revision: 1, cid: c1 })
  assert.deepEqual(latestNotYanked(record, { yanked: [1] }, map), { state: 'earlier', revision: 0, cid: c0, blockNumber: entries[0]!.event.blockNumber })
  assert.deepEqual(latestNotYanked(record, { yanked: [0, 1] }, map), { state: 'none' })
  assert.equal(latestNotYanked(record, { yanked: [1] }, { proved: false, reason: 'x' }).state, 'unproved')
})
