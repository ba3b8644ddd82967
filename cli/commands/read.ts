/** `modnet get`, `modnet list`, `modnet status`, `modnet history`. */
import type { Command } from 'commander'
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import type { ModuleRecord, ModuleStatus, ReadPoint, RegistryEvent } from '../../lib/types/chain.ts'
import type { HistoryDeps } from '../../lib/registry/deps.ts'
import type { LatestNotYanked, RevisionMap } from '../../lib/registry/revisions.ts'
import { ChainError } from '../../lib/chain/errors.ts'
import { parseModuleKey } from '../../lib/chain/keys.ts'
import { describeLookAlike, type LookAlike } from '../../lib/types/names.ts'
import { openChain, openIpfs, type GlobalOptions } from '../context.ts'
import { UsageError } from '../exit.ts'
import { DEFAULT_GATEWAY_URL } from '../paths.ts'
import { createOutput, table } from '../output.ts'

export function readCommands(program: Command): void {
  program.command('get')
    .description('look a module up: its on-chain record (finalized) and its metadata, verified against the CID')
    .argument('[key]', 'module key: 0x-hex public key or SS58 address')
    .option('--name <name>', 'find the module by the name in its metadata instead (reads every module\'s metadata; warns of look-alike names)')
    .action(async (keyArgument: string | undefined, options: { name?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      if ((keyArgument === undefined) === (options.name === undefined)) throw new UsageError('get a module by KEY or by --name NAME (one of the two)')
      if (keyArgument !== undefined) parseModuleKey(keyArgument)
      const ipfs = await openIpfs(globals)
      const client = await openChain(globals)
      let key = keyArgument
      let alikes: LookAlike[] = []
      if (options.name !== undefined) {
        const { modulesNamed } = await import('../../lib/registry/by-name.ts')
        const found = await modulesNamed({ chain: client, ipfs }, options.name)
        alikes = found.lookAlikes
        if (found.matches.length === 0) {
          const hint = alikes.length === 0 ? '' : `; names that look like it: ${alikes.slice(0, 5).map(describeLookAlike).join('; ')}`
          throw new ChainError('MODULE_NOT_FOUND', `no module's verified metadata is named "${options.name}" (at block #${found.at.blockNumber}${found.unreadable > 0 ? `; ${found.unreadable} module(s) had no readable metadata` : ''})${hint}`)
        }
        if (found.matches.length > 1) {
          throw new UsageError(`${found.matches.length} modules are named "${options.name}" — names are claims in metadata, not unique; the key is the module's identity. Get one by its key: ${found.matches.map((m) => `${m.key} (owner ${m.owner})`).join(', ')}`)
        }
        key = found.matches[0]!.key
      }
      const { retrieveModule } = await import('../../lib/registry/retrieve.ts')
      const module = await retrieveModule({ chain: client, ipfs }, key!)
      const metadata = module.metadata as Partial<ModuleMetadata>
      const { schema, signature } = module.verification
      const { status } = module
      const currentYanked = status.yanked.includes(module.record.revision)
      const latest = await latestRevision({ chain: client }, module.record, status, globals)
      if (!out.json) for (const alike of alikes) process.stderr.write(`warning: ${describeLookAlike(alike)}: make sure ${module.record.key} is the module you mean\n`)
      if (!out.json && currentYanked) process.stderr.write(`warning: the current revision ${module.record.revision} of ${module.record.key} is yanked; ${describeLatest(latest)}\n`)
      out.result({ record: module.record, status, currentYanked, latest, readAt: module.readAt, metadata: module.metadata, verification: module.verification, ...(options.name === undefined ? {} : { lookAlikes: alikes }) }, () => [
        ...table([
          ['name', metadata.name],
          ['version', metadata.version],
          ['description', metadata.description],
          ['key', module.record.key],
          ['owner', module.record.owner],
          ['cid', module.record.cid],
          ['revision', module.record.revision],
          ['registered', `block #${module.record.registeredAt}`],
          ['updated', `block #${module.record.updatedAt}`],
          ['deposit', module.record.deposit.toString()],
          ['previous', metadata.previous],
          ['DEPRECATED', status.deprecation],
          ['yanked', status.yanked.length === 0 ? undefined : `revision${status.yanked.length === 1 ? '' : 's'} ${status.yanked.join(', ')}${currentYanked ? ' (including this one)' : ''}`],
          ['YANKED', currentYanked ? `the current revision ${module.record.revision} is yanked: "latest" skips it (its CID stays resolvable)` : undefined],
          ['latest not yanked', currentYanked ? describeLatest(latest) : undefined],
          ['offered to', status.transferOffer === undefined ? undefined : `${status.transferOffer.to} until block #${status.transferOffer.expiresAt}`],
        ]),
        '',
        'verification:',
        `  record    ${describeReadPoint(module.readAt)} (with its status)`,
        `  metadata  ${module.metadataBytes.length} bytes, hash matches ${module.record.cid}`,
        `  schema    ${schema.valid ? 'valid (modnet/module-metadata/v1)' : `INVALID: ${schema.issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`}`,
        `  signature ${signature.status === 'valid' ? 'valid, by the module key' : signature.status === 'absent' ? 'absent (the metadata is not signed)' : `INVALID: ${signature.reason ?? 'does not verify'}`}`,
      ])
    })

  program.command('list')
    .description('list registered modules (finalized state), a page at a time')
    .option('--page-size <n>', 'modules per page (1-1000)', '100')
    .option('--start <cursor>', 'continue after this cursor (printed at the end of a page)')
    .option('--all', 'fetch every page')
    .option('--owner <account>', 'only the modules this account owns (SS58 or 0x-hex), every page')
    .action(async (options: { pageSize: string; start?: string; all?: boolean; owner?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      const pageSize = Number(options.pageSize)
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new UsageError(`--page-size must be a whole number from 1 to 1000, not "${options.pageSize}"`)
      if (options.start !== undefined && !/^0x([0-9a-fA-F]{64}|[0-9a-fA-F]{66})$/.test(options.start)) throw new UsageError(`--start takes the cursor a previous page printed (a module key, 0x and 64 or 66 hex digits), not "${options.start.slice(0, 80)}"`)
      const client = await openChain(globals)
      const owner = options.owner
      const { count } = owner === undefined ? await client.count() : { count: undefined }
      const modules: ModuleRecord[] = []
      let cursor = options.start
      let at: ReadPoint | undefined
      do {
        const pageOptions = { pageSize, startKey: cursor, at: at?.blockHash as `0x${string}` | undefined }
        const page = owner === undefined ? await client.listModules(pageOptions) : await client.listModulesOf(owner, pageOptions)
        modules.push(...page.modules)
        cursor = page.nextKey
        at ??= page.at
      } while ((options.all === true || owner !== undefined) && cursor !== undefined) // an owner has at most 1024
      const of = owner === undefined ? `of ${count} module(s)` : `module(s) owned by ${owner}`
      out.result({ ...(owner === undefined ? { count } : { owner }), modules, nextCursor: cursor ?? null, at }, () => [
        ...modules.map((m) => `${m.key}  rev ${m.revision}  ${m.cid}  owner ${m.owner}`),
        `${modules.length} ${of}${cursor !== undefined ? ` · more: --start ${cursor}` : ''} · ${at ? describeReadPoint(at) : ''}`,
      ])
    })

  program.command('history')
    .description('every change a module key has seen, proved against the history commitment the chain keeps for it')
    .argument('<key>', 'module key: 0x-hex public key or SS58 address')
    .option('--gateway <url>', 'the Mod-Net gateway whose event index to replay (default: the --ipfs gateway, else the local one)')
    .action(async (key: string, options: { gateway?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      const moduleKey = parseModuleKey(key)
      const gateway = eventsGateway(options.gateway, globals)
      const client = await openChain(globals)
      const { gatewayEventHints, provedHistory } = await import('../../lib/registry/history.ts')
      const history = await provedHistory({ chain: client }, moduleKey, await gatewayEventHints(gateway, moduleKey))
      const proved = history.entries.filter((entry) => entry.state === 'proved').length
      out.result({ key: moduleKey, ...history }, () => [
        ...history.entries.map((entry) => entry.state === 'proved'
          ? `#${entry.event.blockNumber}  ${entry.event.type.padEnd(20)}  ${describeEvent(entry.event)}  [proved by ${entry.by === 'commitment' ? 'the history commitment' : 'its block\'s events'}]`
          : `#${entry.blockNumber}  ${entry.type.padEnd(20)}  [NOT VERIFIED: ${entry.reason}]`),
        '',
        history.commitment === undefined
          ? 'this chain keeps no history commitment (a runtime before spec 103): entries are proved by their blocks only, while the chain has them'
          : `the chain commits to ${history.commitment.history.length} event(s) for this key (head ${history.commitment.history.head}, ${describeReadPoint(history.commitment.at)})`,
        ...(history.problem === undefined ? [] : [`the gateway's events do not prove it: ${history.problem}`]),
        `${proved} of ${history.entries.length} event(s) proved`,
      ])
    })

  program.command('status')
    .description('the chain (sync, peers, best and finalized blocks) and the IPFS backend')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      const ipfs = await openIpfs(globals)
      const client = await openChain(globals)
      const [chain, ipfsStatus, { count }] = await Promise.all([client.status(), ipfs.status(), client.count()])
      out.result({ chain, ipfs: ipfsStatus, modules: count }, () => table([
        ['chain', `${chain.chain} (spec version ${chain.specVersion}, genesis ${chain.genesisHash})`],
        ['connection', chain.connection === 'light-client' ? 'smoldot light client (verifies proofs)' : `RPC node ${chain.endpoint} (trusted)`],
        ['peers', chain.peers],
        ['syncing', chain.isSyncing ? 'yes' : 'no'],
        ['best', `#${chain.best}`],
        ['finalized', `#${chain.finalized} ${chain.finalizedHash}`],
        ['modules', count],
        ['ipfs', `${ipfsStatus.kind} ${ipfsStatus.location}: ${ipfsStatus.ok ? 'ok' : 'NOT OK'} (${ipfsStatus.detail})`],
      ]))
    })
}

/**
 * The latest revision that is not yanked. Only when the current one is
 * yanked is the key's history read (from the gateway's event index, proved
 * against the chain's history commitment): an earlier revision's CID is named
 * only when that proves it.
 */
async function latestRevision(deps: { chain: HistoryDeps['chain'] }, record: ModuleRecord, status: ModuleStatus, globals: GlobalOptions): Promise<LatestNotYanked> {
  const { latestNotYanked, provedRevisions } = await import('../../lib/registry/revisions.ts')
  if (!status.yanked.includes(record.revision)) return latestNotYanked(record, status, undefined)
  const { gatewayEventHints, provedHistory } = await import('../../lib/registry/history.ts')
  let revisions: RevisionMap
  try {
    const gateway = eventsGateway(undefined, globals)
    revisions = provedRevisions(await provedHistory(deps, record.key, await gatewayEventHints(gateway, record.key)), record)
  } catch (error) {
    revisions = { proved: false, reason: `the key's history could not be read (${(error as Error).message})` }
  }
  return latestNotYanked(record, status, revisions)
}

function describeLatest(latest: LatestNotYanked): string {
  switch (latest.state) {
    case 'current': return `revision ${latest.revision} (${latest.cid}), the current one`
    case 'earlier': return `the latest revision not yanked is ${latest.revision}: ${latest.cid} (proved by the key's history commitment; the document stays on IPFS under that CID)`
    case 'none': return 'every revision is yanked'
    case 'unproved': return `which earlier revision is the latest not yanked cannot be proved: ${latest.reason}`
  }
}

/** The gateway whose event index `history` reads: `--gateway`, else the `--ipfs` gateway, else the local one. */
export function eventsGateway(option: string | undefined, globals: GlobalOptions): string {
  const ipfs = globals.ipfs ?? process.env.MODNET_IPFS
  const url = option ?? (ipfs?.startsWith('gateway:') === true ? ipfs.slice('gateway:'.length) : DEFAULT_GATEWAY_URL)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(`--gateway must be an http(s) URL, not "${url.slice(0, 80)}"`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--gateway must be an http(s) URL, not "${url.slice(0, 80)}"`)
  return url.replace(/\/+$/, '')
}

/** One line about an event, for people. */
export function describeEvent(event: RegistryEvent): string {
  switch (event.type) {
    case 'ModuleRegistered': return `by ${event.owner}, metadata ${event.cid}`
    case 'ModuleUpdated': return `revision ${event.revision}, metadata ${event.newCid}`
    case 'ModuleRemoved': return `by ${event.owner}`
    case 'OwnershipTransferred': return `${event.from} → ${event.to}`
    case 'TransferOffered': return `offered to ${event.to} until block #${event.expiresAt}`
    case 'TransferCancelled': return `offer to ${event.to} cancelled`
    case 'RevisionYanked': return `revision ${event.revision} ${event.yanked ? 'yanked' : 'restored'}`
    case 'DeprecationSet': return event.note === undefined ? 'deprecation lifted' : `deprecated: ${event.note}`
  }
}

export function describeReadPoint(at: ReadPoint): string {
  return at.verifiedBy === 'light-client'
    ? `storage proof checked by the light client at finalized block #${at.blockNumber}`
    : `read from the RPC node at ${at.finalized ? 'finalized ' : ''}block #${at.blockNumber} (not independently verified)`
}
