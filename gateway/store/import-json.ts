/**
 * One-time import of the JSON state files earlier gateways kept
 * (`pins.json`, `events.json`) into the database. Idempotent: a crash
 * before the files are renamed to `*.imported` only repeats the import. A
 * file that does not parse (truncated by a crash mid-write) is set aside as
 * `*.corrupt` and reported: what it held is recovered from the chain (the
 * follower re-reads the current state) and from the IPFS backend's pins.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { transaction, type Database } from './database.ts'

type LegacyPin = { state: 'provisional'; expiresAt: number } | { state: 'registered'; key: string; blockNumber: number }
type LegacyHint = { type: string; blockNumber: number; blockHash: string }

export interface ImportReport {
  file: string
  outcome: 'imported' | 'corrupt'
  entries: number
  detail?: string
}

export function importLegacyJson(db: Database, dataDir: string, now: number): ImportReport[] {
  const reports: ImportReport[] = []
  const pinsFile = join(dataDir, 'pins.json')
  const eventsFile = join(dataDir, 'events.json')
  if (existsSync(pinsFile)) {
    reports.push(importFile(pinsFile, (value) => {
      const pins = (value as { pins?: Record<string, LegacyPin> }).pins ?? {}
      for (const [cid, pin] of Object.entries(pins)) {
        if (pin.state === 'provisional') {
          db.prepare(`INSERT INTO pins (cid, provisional_until, registered, status, created_at) VALUES (?, ?, 0, 'pinned', ?) ON CONFLICT DO NOTHING`).run(cid, pin.expiresAt, now)
        } else {
          const key = pin.key.toLowerCase()
          db.prepare('INSERT INTO modules (key) VALUES (?) ON CONFLICT DO NOTHING').run(key)
          db.prepare(`INSERT INTO revisions (key, cid, block_number, source) VALUES (?, ?, ?, 'event') ON CONFLICT DO NOTHING`).run(key, cid, pin.blockNumber)
          // Whether the old ledger got the pin is unknown: the pin worker checks (pinning is idempotent).
          db.prepare(`INSERT INTO pins (cid, provisional_until, registered, status, next_attempt_at, created_at) VALUES (?, NULL, 1, 'pending', ?, ?)
            ON CONFLICT (cid) DO UPDATE SET registered = 1, provisional_until = NULL`).run(cid, now, now)
        }
      }
      return Object.keys(pins).length
    }, db))
  }
  if (existsSync(eventsFile)) {
    reports.push(importFile(eventsFile, (value) => {
      const byKey = (value as { byKey?: Record<string, LegacyHint[]> }).byKey ?? {}
      let count = 0
      for (const [key, hints] of Object.entries(byKey)) {
        hints.forEach((hint, position) => {
          // Old hints carry no position within their block: keep their order under a high offset.
          db.prepare('INSERT INTO events (block_hash, position, block_number, key, type) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
            .run(hint.blockHash, 1_000_000 + position, hint.blockNumber, key.toLowerCase(), hint.type)
          count++
        })
      }
      return count
    }, db))
  }
  return reports
}

function importFile(file: string, load: (value: unknown) => number, db: Database): ImportReport {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    renameSync(file, `${file}.corrupt`)
    return { file, outcome: 'corrupt', entries: 0, detail: `${(error as Error).message}; set aside as ${file}.corrupt` }
  }
  const entries = transaction(db, () => load(value))
  renameSync(file, `${file}.imported`)
  return { file, outcome: 'imported', entries }
}
