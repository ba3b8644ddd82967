/**
 * The retention policy (documented in ARCHITECTURE.md, "Gateway state"):
 * - a module's current CID and its previous `keepRevisions` CIDs are kept
 *   (0: every revision); older ones are let go as new revisions arrive
 *   (ChainIndex trims them);
 * - a removed module's CIDs are kept `removedRetentionMs` after the gateway
 *   learned of the removal, then let go (`forgetRemovedModules`);
 * - uploads nobody registers are kept until their provisional time is up,
 *   which uploading the same bytes again does not extend;
 * - event hints: the newest MAX_EVENTS_PER_KEY per module.
 * The pin keeper's sweep then unpins every CID left without a reason.
 */
import type { Database } from './database.ts'

export interface RetentionPolicy {
  /** Previous revisions kept per module besides the current one (0: all). */
  keepRevisions: number
  /** How long a removed module's metadata stays. */
  removedRetentionMs: number
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  keepRevisions: 100,
  removedRetentionMs: 30 * 24 * 60 * 60_000,
}

/** Forgets modules removed more than `removedRetentionMs` ago (their revisions go with them). */
export function forgetRemovedModules(db: Database, policy: RetentionPolicy, now: number): number {
  return Number(db.prepare('DELETE FROM modules WHERE removed_at <= ?').run(now - policy.removedRetentionMs).changes)
}
