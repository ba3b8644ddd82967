/**
 * The light client's warm start, kept in $MODNET_HOME between CLI runs: the
 * next command starts smoldot at the last finalized block it saw, with its
 * runtime, peers and the chain metadata, instead of syncing from the chain
 * spec's genesis. Stored per chain spec (by its hash), readable only by the
 * user: smoldot trusts this content as it trusts the chain spec.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ModuleRegistryClient, WarmStart } from '../lib/chain/client.ts'
import { modnetHome } from './paths.ts'

/** Larger files than these are not ours: ignored. */
const MAX_DATABASE_BYTES = 8 * 1024 * 1024
const MAX_METADATA_BYTES = 32 * 1024 * 1024

function directory(chainSpec: string): string {
  const id = createHash('sha256').update(chainSpec).digest('hex').slice(0, 16)
  return join(modnetHome(), 'cli', 'light-client', id)
}

function readLimited(file: string, limit: number): string | undefined {
  try {
    if (statSync(file).size > limit) return undefined
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** What an earlier run saved for this chain spec; empty when nothing (or nothing usable) was. */
export function loadWarmStart(chainSpec: string): Partial<WarmStart> {
  const dir = directory(chainSpec)
  const databaseContent = readLimited(join(dir, 'database.json'), MAX_DATABASE_BYTES)
  let metadata: WarmStart['metadata'] | undefined
  try {
    const parsed = JSON.parse(readLimited(join(dir, 'metadata.json'), MAX_METADATA_BYTES) ?? 'null') as unknown
    if (parsed !== null && typeof parsed === 'object' && Object.values(parsed).every((v) => typeof v === 'string' && v.startsWith('0x'))) {
      metadata = parsed as WarmStart['metadata']
    }
  } catch { /* a damaged file: start cold */ }
  return { databaseContent, metadata }
}

/** Saves the client's warm start (best effort: a failure only means a cold start next time). */
export async function saveWarmStart(client: ModuleRegistryClient, chainSpec: string): Promise<void> {
  const state = await client.warmStart().catch(() => undefined)
  if (state === undefined) return
  const dir = directory(chainSpec)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeAtomically(join(dir, 'database.json'), state.databaseContent)
    writeAtomically(join(dir, 'metadata.json'), JSON.stringify(state.metadata))
  } catch { /* read-only home: start cold next time */ }
}

function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, content, { mode: 0o600 })
  renameSync(temporary, file)
}
