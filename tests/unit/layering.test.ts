/**
 * The library's rooms depend one way (ARCHITECTURE.md, "The library"): this
 * reads every import in lib/ and fails on an edge the map does not allow, so
 * the map stays true (e.g. lib/chain importing lib/ipfs again).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const LIB = fileURLToPath(new URL('../../lib/', import.meta.url))

/** Which rooms each room may import from (besides itself). */
const ALLOWED: Record<string, string[]> = {
  types: [],
  http: ['types'],
  ipfs: ['types', 'http'],
  chain: ['types', 'http'],
  registry: ['types', 'http', 'ipfs', 'chain'],
  web: ['types', 'http', 'ipfs', 'chain', 'registry'],
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (/\.tsx?$/.test(entry.name)) yield path
  }
}

test('lib/ rooms import only the rooms below them', () => {
  const rooms = readdirSync(LIB, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
  assert.deepEqual(rooms.filter((room) => ALLOWED[room] === undefined), [], 'every room of lib/ has a place in the map')
  const violations: string[] = []
  let edges = 0
  for (const file of sourceFiles(LIB)) {
    const room = relative(LIB, file).split('/')[0]
    for (const [, target] of readFileSync(file, 'utf8').matchAll(/(?:from|import\(?)\s*'(\.[^']+)'/g)) {
      const resolved = relative(LIB, join(file, '..', target)).split('/')
      if (resolved[0] === '..') {
        // Data the library is built on (the metadata schema) is fine; code outside lib/ is not.
        if (!/^\.\.\/schema\/[^/]+\.json$/.test(resolved.join('/'))) violations.push(`${relative(LIB, file)} imports ${target}, outside lib/`)
        continue
      }
      edges++
      if (resolved[0] !== room && !ALLOWED[room].includes(resolved[0])) violations.push(`${relative(LIB, file)} imports ${target} (lib/${room} may not depend on lib/${resolved[0]})`)
    }
  }
  assert.ok(edges > 100, `read the imports (${edges})`)
  assert.deepEqual(violations, [])
})
