/**
 * Reports what the web app's first load costs: the JavaScript and CSS the
 * exported index.html references, raw and gzipped, and the largest lazily
 * loaded chunks (smoldot is one of them and must stay out of the first load).
 *
 *   node scripts/report-bundle.ts [DIR]   (default: out)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = process.argv[2] ?? 'out'
const html = readFileSync(join(root, 'index.html'), 'utf8')
const initial = new Set([...html.matchAll(/(?:src|href)="\.\/(_next\/static\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]))
const size = (file: string) => {
  const bytes = readFileSync(join(root, file))
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`

let raw = 0
let gzip = 0
for (const file of initial) {
  const s = size(file)
  raw += s.raw
  gzip += s.gzip
}
console.log(`first load: ${initial.size} files, ${kb(raw)} raw, ${kb(gzip)} gzipped (JS and CSS referenced by index.html)`)

const chunks = join(root, '_next', 'static', 'chunks')
const lazy = readdirSync(chunks)
  .map((name) => `_next/static/chunks/${name}`)
  .filter((file) => !initial.has(file) && statSync(join(root, file)).isFile())
  .map((file) => ({ file, ...size(file) }))
  .sort((a, b) => b.raw - a.raw)
  .slice(0, 3)
for (const chunk of lazy) console.log(`lazy chunk: ${chunk.file} ${kb(chunk.raw)} raw, ${kb(chunk.gzip)} gzipped`)
