/**
 * Backup and restore of a gateway's state: its database and its pin set.
 *
 *   node gateway/backup.ts export  --gateway http://127.0.0.1:8088 --data-dir DIR --out BACKUP
 *   node gateway/backup.ts restore --from BACKUP --data-dir DIR [--ipfs embedded|kubo:URL]
 *
 * `export` runs beside a live gateway: the database is copied as a
 * consistent snapshot (SQLite `VACUUM INTO`, which WAL readers may do while
 * the gateway writes), and every pinned CID is fetched as a CAR through the
 * gateway's own trustless endpoint (`/ipfs/<cid>?format=car`), so it works
 * whatever the IPFS backend. `restore` puts the database back and imports
 * every CAR into the backend (each block checked against its CID, roots
 * pinned) — into an empty data directory only. See ARCHITECTURE.md, "Backup".
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { pipeline } from 'node:stream/promises'
import { DatabaseSync } from 'node:sqlite'
import { Command } from 'commander'
import { createIPFSClient } from '../lib/ipfs/index.ts'
import { fileStorage } from '../lib/ipfs/node-storage.ts'
import { SCHEMA_VERSION } from './store/database.ts'

const DATABASE = 'gateway.sqlite'

export interface BackupManifest {
  format: 'modnet-gateway-backup/1'
  createdAt: string
  schemaVersion: number
  /** CIDs whose CAR is in cars/<cid>.car. */
  cids: string[]
  /** Pinned CIDs the gateway could not give as a CAR (named with the reason). */
  missing: { cid: string; reason: string }[]
}

class BackupError extends Error {
  override name = 'BackupError'
}

export async function exportBackup(options: { gateway: string; dataDir: string; out: string; timeoutMs?: number }): Promise<BackupManifest> {
  const out = resolve(options.out)
  if (existsSync(join(out, 'manifest.json'))) throw new BackupError(`${out} already holds a backup: choose an empty directory`)
  mkdirSync(join(out, 'cars'), { recursive: true })
  const source = join(resolve(options.dataDir), DATABASE)
  if (!existsSync(source)) throw new BackupError(`no gateway database at ${source}`)
  const db = new DatabaseSync(source, { readOnly: true })
  let cids: string[]
  try {
    db.exec(`VACUUM INTO '${join(out, DATABASE).replaceAll("'", "''")}'`)
    cids = (db.prepare(`SELECT cid FROM pins WHERE status = 'pinned' ORDER BY cid`).all() as { cid: string }[]).map((row) => row.cid)
  } finally {
    db.close()
  }
  const manifest: BackupManifest = { format: 'modnet-gateway-backup/1', createdAt: new Date().toISOString(), schemaVersion: SCHEMA_VERSION, cids: [], missing: [] }
  const base = options.gateway.replace(/\/+$/, '')
  for (const cid of cids) {
    try {
      const response = await fetch(`${base}/ipfs/${cid}?format=car&dag-scope=all`, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) })
      if (!response.ok || response.body === null) {
        manifest.missing.push({ cid, reason: `the gateway answered HTTP ${response.status}` })
        await response.body?.cancel()
        continue
      }
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(join(out, 'cars', `${cid}.car`)))
      manifest.cids.push(cid)
    } catch (error) {
      manifest.missing.push({ cid, reason: (error as Error).message })
    }
  }
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}

export async function restoreBackup(options: { from: string; dataDir: string; ipfs: string }): Promise<{ database: string; imported: number }> {
  const from = resolve(options.from)
  const dataDir = resolve(options.dataDir)
  const manifestFile = join(from, 'manifest.json')
  if (!existsSync(manifestFile)) throw new BackupError(`${from} is not a gateway backup (no manifest.json)`)
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest
  if (manifest.format !== 'modnet-gateway-backup/1') throw new BackupError(`${manifestFile} is not a modnet-gateway-backup/1 manifest`)
  if (manifest.schemaVersion > SCHEMA_VERSION) throw new BackupError(`the backup has schema version ${manifest.schemaVersion}, newer than this gateway's ${SCHEMA_VERSION}`)
  const target = join(dataDir, DATABASE)
  if (existsSync(target)) throw new BackupError(`${target} exists: restore into an empty data directory (move the old one aside first)`)
  mkdirSync(dataDir, { recursive: true })
  const ipfs = await createIPFSClient(options.ipfs, { embeddedStorage: options.ipfs === 'embedded' ? fileStorage(join(dataDir, 'ipfs')) : undefined })
  let imported = 0
  try {
    for (const file of readdirSync(join(from, 'cars')).filter((name) => name.endsWith('.car')).sort()) {
      await ipfs.importCar(createReadStream(join(from, 'cars', file)))
      imported++
    }
  } finally {
    await ipfs.close()
  }
  // The database last: a restore cut short leaves no database, so it can simply be run again.
  copyFileSync(join(from, DATABASE), target)
  return { database: target, imported }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const program = new Command('modnet-gateway-backup').description('Back up and restore a Mod-Net gateway (database + pinned content as CAR files)')
  program.command('export')
    .requiredOption('--gateway <url>', 'the running gateway to read CARs from')
    .requiredOption('--data-dir <dir>', 'the gateway\'s data directory (its database is snapshotted)')
    .requiredOption('--out <dir>', 'an empty directory for the backup')
    .action(async (opts: { gateway: string; dataDir: string; out: string }) => {
      const manifest = await exportBackup(opts)
      console.log(`backed up the database and ${manifest.cids.length} CAR files to ${resolve(opts.out)}${manifest.missing.length > 0 ? `; ${manifest.missing.length} pinned CIDs could not be read (listed in manifest.json)` : ''}`)
      if (manifest.missing.length > 0) process.exitCode = 1
    })
  program.command('restore')
    .requiredOption('--from <dir>', 'a backup made by `export`')
    .requiredOption('--data-dir <dir>', 'an empty data directory for the gateway')
    .option('--ipfs <backend>', 'embedded (in --data-dir) or kubo:http://127.0.0.1:5001', 'embedded')
    .action(async (opts: { from: string; dataDir: string; ipfs: string }) => {
      const result = await restoreBackup(opts)
      console.log(`restored ${result.imported} CAR files and the database ${result.database}; start the gateway on this data directory`)
    })
  try {
    await program.parseAsync()
  } catch (error) {
    console.error(`modnet-gateway-backup: ${(error as Error).message}`)
    process.exit(error instanceof BackupError ? 2 : 1)
  }
}
