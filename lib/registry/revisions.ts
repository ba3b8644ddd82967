/**
 * Which metadata document each revision of a module had, as far as the key's
 * proved history can say, and from that the latest revision that is not
 * yanked. The chain stores only the current CID; earlier ones are known from
 * the `ModuleRegistered` / `ModuleUpdated` events, proved here only when the
 * key's history commitment covers them (a set of events proved one block at
 * a time could be missing one, so it does not prove which CID a revision had).
 */
import type { ModuleRecord, ModuleStatus } from '../types/chain.ts'
import type { ProvedHistory } from './history.ts'

/** A revision's metadata CID, proved by the history commitment. */
export interface ProvedRevision {
  revision: number
  cid: string
  /** The block of the event that set it. */
  blockNumber: number
}

export type RevisionMap =
  | { proved: true; revisions: ProvedRevision[] }
  | { proved: false; reason: string }

const CID_EVENTS = new Set(['ModuleRegistered', 'ModuleUpdated', 'ModuleRemoved'])

/**
 * The revisions 0…`record.revision` of the module's current registration and
 * the CID each pointed at, from `history`; or why they cannot be proved. The
 * last one must be the record itself (same revision and CID), or the history
 * and the record do not describe the same registration.
 */
export function provedRevisions(history: ProvedHistory, record: ModuleRecord): RevisionMap {
  if (history.commitment === undefined) return { proved: false, reason: 'this chain keeps no history commitment (a runtime before spec 103)' }
  if (history.problem !== undefined) return { proved: false, reason: `the event source does not replay to the history commitment (${history.problem})` }
  const relevant = history.entries.filter((entry) => CID_EVENTS.has(entry.state === 'proved' ? entry.event.type : entry.type))
  const unproved = relevant.find((entry) => entry.state !== 'proved' || entry.by !== 'commitment')
  if (unproved !== undefined) return { proved: false, reason: 'some of its registrations and updates are not covered by the history commitment' }
  const events = relevant.flatMap((entry) => (entry.state === 'proved' ? [entry.event] : []))
  const start = events.findLastIndex((event) => event.type === 'ModuleRegistered')
  if (start < 0) return { proved: false, reason: 'the proved history has no registration of this key' }
  const revisions: ProvedRevision[] = []
  for (const event of events.slice(start)) {
    if (event.type === 'ModuleRemoved') return { proved: false, reason: 'the proved history ends with the module removed' }
    const revision = event.type === 'ModuleUpdated' ? event.revision : 0
    const cid = event.type === 'ModuleUpdated' ? event.newCid : event.type === 'ModuleRegistered' ? event.cid : ''
    if (revision !== revisions.length) return { proved: false, reason: `the proved history skips from revision ${revisions.length - 1} to ${revision}` }
    revisions.push({ revision, cid, blockNumber: event.blockNumber })
  }
  // The history may have been read at a later finalized block than the record: later revisions are not the record's.
  const upTo = revisions.slice(0, record.revision + 1)
  const last = upTo.at(-1)
  if (last === undefined || last.revision !== record.revision || last.cid !== record.cid) {
    return { proved: false, reason: `the proved history does not end at the record (revision ${record.revision}, ${record.cid})` }
  }
  return { proved: true, revisions: upTo }
}

export type LatestNotYanked =
  /** The current revision is not yanked: it is the latest. */
  | { state: 'current'; revision: number; cid: string }
  /** The current revision is yanked; this earlier one is not, and its CID is proved by the history commitment. */
  | { state: 'earlier'; revision: number; cid: string; blockNumber: number }
  /** Every revision is yanked. */
  | { state: 'none' }
  /** The current revision is yanked, and which CID an earlier revision had cannot be proved. */
  | { state: 'unproved'; reason: string }

/**
 * The latest revision of the module that is not yanked ("latest" skips
 * yanked revisions; they stay resolvable by CID). An earlier revision's CID
 * is named only when `revisions` proves it; `revisions` is not needed (and
 * may be undefined) while the current revision is not yanked.
 */
export function latestNotYanked(record: ModuleRecord, status: ModuleStatus, revisions: RevisionMap | undefined): LatestNotYanked {
  const yanked = new Set(status.yanked)
  if (!yanked.has(record.revision)) return { state: 'current', revision: record.revision, cid: record.cid }
  let candidate = record.revision - 1
  while (candidate >= 0 && yanked.has(candidate)) candidate -= 1
  if (candidate < 0) return { state: 'none' }
  if (revisions === undefined) return { state: 'unproved', reason: 'no history of the key was read' }
  if (!revisions.proved) return { state: 'unproved', reason: revisions.reason }
  const found = revisions.revisions.find((entry) => entry.revision === candidate)
  if (found === undefined) return { state: 'unproved', reason: `revision ${candidate} is not in the proved history` }
  return { state: 'earlier', revision: found.revision, cid: found.cid, blockNumber: found.blockNumber }
}
