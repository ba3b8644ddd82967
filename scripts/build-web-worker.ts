/**
 * Bundles the web app's smoldot worker (web-worker/smoldot-worker.ts) into
 * public/smoldot-worker.js, which `next build` copies into the export. One
 * self-contained classic-script file (smoldot's wasm is inlined in its JS),
 * so a relative URL finds it under any base path.
 *
 *   node scripts/build-web-worker.ts
 */
import { join } from 'node:path'
import { build } from 'esbuild'

const root = join(import.meta.dirname, '..')
const outfile = join(root, 'public', 'smoldot-worker.js')

await build({
  entryPoints: [join(root, 'web-worker', 'smoldot-worker.ts')],
  outfile,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
})
console.log(`built ${outfile}`)
