/** `modnet resolve KEY`: the dependency tree, every node proved (lib/registry/resolve.ts). */
import type { Command } from 'commander'
import { parseModuleKey } from '../../lib/chain/keys.ts'
import type { FailureKind, ResolvedNode, ResolvedTree } from '../../lib/registry/resolve.ts'
import type { ReadPoint } from '../../lib/types/chain.ts'
import { ModnetError } from '../../lib/types/errors.ts'
import { openChain, openIpfs, type GlobalOptions } from '../context.ts'
import { UsageError } from '../exit.ts'
import { createOutput } from '../output.ts'
import { describeReadPoint, eventsGateway } from './read.ts'

/** The error (and so the exit code, cli/exit.ts) for a failed resolution: the worst kind of failure decides. */
const CODE_OF: Record<FailureKind, string> = {
  unverified: 'DEPENDENCY_UNVERIFIED',
  missing: 'DEPENDENCY_MISSING',
  yanked: 'DEPENDENCY_YANKED',
  version: 'DEPENDENCY_VERSION',
  invalid: 'DEPENDENCY_INVALID',
  cycle: 'DEPENDENCY_CYCLE',
  limit: 'DEPENDENCY_LIMIT',
}
const ORDER: FailureKind[] = ['unverified', 'missing', 'yanked', 'version', 'invalid', 'cycle', 'limit']

export function resolveCommand(program: Command): void {
  program.command('resolve')
    .description('the dependency tree of a module: every dependency named by key is looked up at the same finalized block and its metadata hash-checked; fails on a missing or yanked one')
    .argument('<key>', 'module key: 0x-hex public key or SS58 address')
    .option('--gateway <url>', 'the Mod-Net gateway whose event index proves earlier revisions (pins, latest not yanked) (default: the --ipfs gateway, else the local one)')
    .option('--max-depth <n>', 'how deep to follow dependencies (1-64)', '16')
    .option('--max-modules <n>', 'how many modules to read at most (1-4096)', '256')
    .action(async (keyArgument: string, options: { gateway?: string; maxDepth: string; maxModules: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      const key = parseModuleKey(keyArgument)
      const maxDepth = whole(options.maxDepth, '--max-depth', 1, 64)
      const maxNodes = whole(options.maxModules, '--max-modules', 1, 4096)
      const gateway = eventsGateway(options.gateway, globals)
      const ipfs = await openIpfs(globals)
      const client = await openChain(globals)
      const { resolveDependencies } = await import('../../lib/registry/resolve.ts')
      const { gatewayEventHints } = await import('../../lib/registry/history.ts')
      const tree = await resolveDependencies({ chain: client, ipfs }, key, { maxDepth, maxNodes, eventHints: (moduleKey) => gatewayEventHints(gateway, moduleKey) })
      out.result({ key, ...tree }, () => [...describeNode(tree.root, '', '', true), '', ...summary(tree)])
      if (!tree.ok) {
        const worst = ORDER.find((kind) => tree.failures.some((failure) => failure.kind === kind))!
        const first = tree.failures.find((failure) => failure.kind === worst)!
        const more = tree.failures.length - 1
        throw new ModnetError(CODE_OF[worst], `${first.message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'}, listed above)` : ''}`)
      }
    })
}

function whole(text: string, option: string, min: number, max: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}, not "${text.slice(0, 40)}"`)
  return n
}

/** One node and its subtree, as lines: the module, then how its record and metadata were proved. */
function describeNode(node: ResolvedNode, lead: string, childLead: string, root = false): string[] {
  const lines: string[] = []
  const title = root ? '' : `${node.name} `
  if (node.state === 'named-only') {
    lines.push(`${lead}${title}${String(node.wanted)}  not resolved: named only (names are claims, not identities; name it by key to resolve it)`)
    return lines
  }
  const meta = node.metadata
  // The dependent's name for it first; the module's own name only when it differs (names are claims).
  const own = meta?.name === undefined || meta.name === node.name ? '' : `${root ? '' : 'its metadata says '}${meta.name} `
  const what = meta === undefined ? '' : `${own}${meta.version ?? '?'}  `
  const pin = node.pin === undefined ? '' : node.pin.state === 'current' ? '  [pinned: current]' : node.pin.state === 'earlier-revision' ? `  [pinned: revision ${node.pin.revision}]` : '  [pinned: NOT PROVED to be this module\'s]'
  if (node.state === 'repeat') {
    lines.push(`${lead}${title}${what}${node.key}  (resolved above)`)
    return lines
  }
  lines.push(`${lead}${root ? '' : title}${what}${node.key}${node.record === undefined ? '' : `  revision ${node.record.revision}`}${pin}`)
  const detail = (text: string) => lines.push(`${childLead}${node.children.length > 0 ? '│ ' : '  '}  ${text}`)
  if (node.readAt !== undefined && node.record !== undefined) detail(`record    ${describeReadPoint(node.readAt)}`)
  if (meta !== undefined) detail(`metadata  ${meta.bytes} bytes, hash-checked against ${meta.cid}`)
  for (const warning of node.warnings) detail(`warning   ${warning}`)
  if (node.problem !== undefined) detail(`FAILED    (${node.state}) ${node.problem}`)
  node.children.forEach((child, index) => {
    const last = index === node.children.length - 1
    lines.push(...describeNode(child, `${childLead}${last ? '└─ ' : '├─ '}`, `${childLead}${last ? '   ' : '│  '}`))
  })
  return lines
}

function summary(tree: ResolvedTree): string[] {
  const named = countNamed(tree.root)
  return [
    `${tree.modules} module(s) read at ${describeAt(tree.at)}; every metadata document fetched was hash-checked against its CID`,
    ...(named > 0 ? [`${named} dependenc${named === 1 ? 'y' : 'ies'} named only: not resolved`] : []),
    ...(tree.warnings.length > 0 ? [`${tree.warnings.length} warning(s)`] : []),
    tree.ok ? 'resolved: no missing, yanked or unverified dependency' : `NOT RESOLVED: ${tree.failures.length} problem(s)`,
  ]
}

function describeAt(at: ReadPoint): string {
  return at.verifiedBy === 'light-client' ? `finalized block #${at.blockNumber} (storage proofs checked by the light client)` : `block #${at.blockNumber} of the RPC node (trusted, not independently verified)`
}

function countNamed(node: ResolvedNode): number {
  return node.children.reduce((sum, child) => sum + (child.state === 'named-only' ? 1 : 0) + countNamed(child), 0)
}
