/**
 * Bundles the `modnet` CLI into one file, dist/modnet.mjs, which bin/modnet
 * runs while it is newer than every source. Loaded from node_modules, the
 * CLI's thousand-odd modules cost Node seconds of module resolution on each
 * start (package.json lookups, mostly @polkadot/*); one bundle costs none.
 * No source map: `--debug` (bin/modnet) runs the sources, for readable traces.
 *
 *   node scripts/build-cli.ts
 */
import { join } from 'node:path'
import { build } from 'esbuild'

const root = join(import.meta.dirname, '..')
const outfile = join(root, 'dist', 'modnet.mjs')

await build({
  entryPoints: [join(root, 'cli', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // cli/paths.ts finds the repository from import.meta.url: dist/ sits at the same depth as cli/.
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __modnetRequire } from 'node:module'; const require = __modnetRequire(import.meta.url);" },
  logLevel: 'warning',
})
console.log(`built ${outfile}`)
