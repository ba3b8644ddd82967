/** Dependency invariants the code relies on. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'

test('exactly one smoldot is installed (the provider bridge and @polkadot/api share it)', () => {
  const tree = JSON.parse(execFileSync('npm', ['ls', 'smoldot', '--all', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
  const versions = new Set<string>()
  const walk = (node: { version?: string; dependencies?: Record<string, any> }, name?: string) => {
    if (name === 'smoldot' && node.version) versions.add(node.version)
    for (const [child, value] of Object.entries(node.dependencies ?? {})) walk(value, child)
  }
  walk(tree)
  assert.equal(versions.size, 1, `smoldot versions: ${[...versions].join(', ')}`)
  const [version] = versions
  const [major, minor, patch] = version.split('.').map(Number)
  assert.ok(major > 2 || (major === 2 && (minor > 0 || patch >= 35)), `smoldot ${version} is older than 2.0.35`)
})
