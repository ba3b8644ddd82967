/** `modnet get`, `modnet list`, `modnet status`. */
import type { Command } from 'commander'
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import type { ModuleRecord, ReadPoint } from '../../lib/types/chain.ts'
import { parseModuleKey } from '../../lib/chain/keys.ts'
import { openChain, openIpfs, type GlobalOptions } from '../context.ts'
import { UsageError } from '../exit.ts'
import { createOutput, table } from '../output.ts'

export function readCommands(program: Command): void {
  program.command('get')
    .description('look a module up: its on-chain record (finalized) and its metadata, verified against the CID')
    .argument('<key>', 'module key: 0x-hex public key or SS58 address')
    .action(async (key: string, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      parseModuleKey(key)
      const ipfs = await openIpfs(globals)
      const client = await openChain(globals)
      const { retrieveModule } = await import('../../lib/registry/retrieve.ts')
      const module = await retrieveModule({ chain: client, ipfs }, key)
      const metadata = module.metadata as Partial<ModuleMetadata>
      const { schema, signature } = module.verification
      out.result({ record: module.record, readAt: module.readAt, metadata: module.metadata, verification: module.verification }, () => [
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
        ]),
        '',
        'verification:',
        `  record    ${describeReadPoint(module.readAt)}`,
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

export function describeReadPoint(at: ReadPoint): string {
  return at.verifiedBy === 'light-client'
    ? `storage proof checked by the light client at finalized block #${at.blockNumber}`
    : `read from the RPC node at ${at.finalized ? 'finalized ' : ''}block #${at.blockNumber} (not independently verified)`
}
