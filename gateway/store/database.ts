/**
 * The gateway's state in one SQLite database (Node's built-in `node:sqlite`):
 * the pin ledger, the module revisions the chain named, the event index and
 * the chain follower's cursor. WAL mode with full sync: an acknowledged
 * change survives a killed process and a power cut, and a torn write is
 * rolled back by SQLite on the next open rather than read as garbage.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { MIGRATIONS } from './migrations.ts'

export type Database = DatabaseSync

/** The newest schema version this code knows (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length

export class StoreError extends Error {
  readonly code: 'STORE_NEWER_SCHEMA' | 'STORE_UNREADABLE'
  constructor(code: StoreError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreError'
    this.code = code
  }
}

/** Opens (creating if needed) the database at `file` and brings its schema up to date. */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  let db: DatabaseSync
  try {
    db = new DatabaseSync(file)
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = FULL')
    db.exec('PRAGMA foreign_keys = ON')
    db.exec('PRAGMA busy_timeout = 5000')
  } catch (error) {
    throw new StoreError('STORE_UNREADABLE', `cannot open the gateway database ${file}: ${(error as Error).message}`, { cause: error })
  }
  migrate(db, file)
  return db
}

function migrate(db: DatabaseSync, file: string): void {
  const current = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version
  if (current > SCHEMA_VERSION) {
    db.close()
    throw new StoreError('STORE_NEWER_SCHEMA', `${file} has schema version ${current}, newer than this gateway's ${SCHEMA_VERSION}: run a newer gateway`)
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version])
      db.exec(`PRAGMA user_version = ${version + 1}`)
    })
  }
}

/** Runs `change` in one transaction: all of it is stored, or none. */
export function transaction<T>(db: Database, change: () => T): T {
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = change()
    db.exec('COMMIT')
    return result
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK')
    throw error
  }
}
