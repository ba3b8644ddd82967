/**
 * On-disk storage for the embedded backend in Node (blocks and pins survive
 * restarts). Kept apart from the isomorphic modules: browsers cannot load it.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { FsBlockstore } from 'blockstore-fs'
import { FsDatastore } from 'datastore-fs'
import type { EmbeddedStorage } from './embedded.ts'

export function fileStorage(directory: string): EmbeddedStorage {
  const root = resolve(directory)
  mkdirSync(root, { recursive: true })
  return {
    blockstore: new FsBlockstore(join(root, 'blocks')),
    datastore: new FsDatastore(join(root, 'datastore')),
    location: root,
  }
}
