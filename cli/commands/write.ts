/** `modnet register`, `update`, `remove`, `transfer`, `accept`, `cancel-transfer`, `yank`, `deprecate`: signed transactions. */
import type { Command } from 'commander'
import { parseAccount, parseModuleKey } from '../../lib/chain/keys.ts'
import { parseJsonDocument } from '../../lib/types/canonical.ts'
import { assertValidMetadata } from '../../lib/types/validate.ts'
import type { TxResult } from '../../lib/types/chain.ts'
import { loadPair, openChain, openIpfs, readMetadataFile, requireSigner, type GlobalOptions, type KeyOptions } from '../context.ts'
import { UsageError } from '../exit.ts'
import { createOutput } from '../output.ts'

interface WriteOptions extends KeyOptions {
  wait?: string
}

interface MetadataOptions extends WriteOptions {
  metadata: string
  moduleKey?: string
  moduleKeyUri?: string
  moduleKeyFile?: string
  moduleKeyType?: string
  sign?: boolean
}

function signerOptions(command: Command): Command {
  return command
    .option('--key-uri <uri>', 'secret URI of the signing account (dev chain: //Alice); or set MODNET_KEY_URI')
    .option('--key-file <file>', 'file holding the signing account\'s secret URI or mnemonic')
    .option('--key-type <type>', 'sr25519, ed25519 or ecdsa', 'sr25519')
    .option('--wait <stage>', 'return at inBlock or finalized', 'finalized')
}

function metadataCommand(program: Command, name: 'register' | 'update', description: string): void {
  signerOptions(program.command(name).description(description))
    .requiredOption('--metadata <file>', 'the module\'s metadata document (JSON, schema modnet/module-metadata/v1)')
    .option('--module-key <key>', 'module public key (0x-hex or SS58); default the signing account\'s own key')
    .option('--module-key-uri <uri>', 'secret URI of the module key, to prove ownership and sign the metadata')
    .option('--module-key-file <file>', 'file holding the module key\'s secret URI')
    .option('--module-key-type <type>', 'sr25519, ed25519 or ecdsa', 'sr25519')
    .option('--no-sign', 'do not sign the metadata with the module key')
    .action(async (options: MetadataOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      const document = parseJsonDocument(readMetadataFile(options.metadata))
      assertValidMetadata(document)
      if (options.moduleKey !== undefined) parseModuleKey(options.moduleKey)
      const signer = await requireSigner(options)
      const moduleSigner = await loadPair(options.moduleKeyUri, options.moduleKeyFile, options.moduleKeyType, 'module key')
      const ipfs = await openIpfs(globals)
      const client = await openChain(globals)
      const moduleKey = options.moduleKey ?? (moduleSigner !== undefined ? `0x${Buffer.from(moduleSigner.publicKey).toString('hex')}` : undefined)
      const { registerModule } = await import('../../lib/registry/register.ts')
      const result = await registerModule({ chain: client, ipfs }, document, signer, {
        mode: name,
        moduleKey,
        moduleSigner,
        signMetadata: options.sign !== false,
        waitFor: waitStage(options.wait),
        onStored: (cid) => out.progress(`metadata stored on IPFS (${ipfs.kind}) as ${cid}`),
        onProgress: (progress) => out.txProgress(progress),
      })
      out.result({ key: result.key, cid: result.cid, action: result.action, blockHash: result.blockHash ?? null, blockNumber: result.blockNumber ?? null, events: result.tx?.events ?? [] }, () => [
        result.action === 'unchanged'
          ? `module ${result.key} already points at ${result.cid}: nothing to do`
          : `${result.action} module ${result.key} → ${result.cid} in block #${result.blockNumber} (${result.blockHash})`,
      ])
    })
}

export function writeCommands(program: Command): void {
  metadataCommand(program, 'register', 'store a metadata document on IPFS and register its CID under a module key')
  metadataCommand(program, 'update', 'store a new metadata document and point an owned module at it (links `previous`)')

  ownerCommand(program, 'remove', 'remove an owned module and release its deposit', [], (client, key, _args, signer, tx) => client.remove(key, signer, tx),
    (key) => `removed module ${key}`)

  ownerCommand(program, 'transfer', 'offer an owned module to another account; it passes to them, with its deposit, when they run `modnet accept`',
    [['<new-owner>', 'the recipient\'s account (SS58 or 0x-hex)', (value) => { parseAccount(value) }]],
    (client, key, [newOwner], signer, tx) => client.transferOwnership(key, newOwner!, signer, tx),
    (key, [newOwner], result) => {
      const offer = result.events.find((event) => event.type === 'TransferOffered')
      const until = offer?.type === 'TransferOffered' ? ` until block #${offer.expiresAt}` : ''
      return `offered module ${key} to ${newOwner}${until}: it passes to them when they run \`modnet accept ${key}\``
    })

  ownerCommand(program, 'accept', 'accept a module offered to the signing account: it becomes yours, with its deposit', [],
    (client, key, _args, signer, tx) => client.acceptOwnership(key, signer, tx),
    (key) => `accepted module ${key}: it is yours`)

  ownerCommand(program, 'cancel-transfer', 'withdraw (owner) or decline (recipient) a pending transfer offer', [],
    (client, key, _args, signer, tx) => client.cancelTransfer(key, signer, tx),
    (key) => `cancelled the transfer offer of module ${key}`)

  ownerCommand(program, 'yank', 'yank a revision: clients skip it when resolving the latest version; it stays resolvable by CID',
    [['<revision>', 'the revision to yank (0 is the registration)', parseRevision]],
    (client, key, [revision], signer, tx, options) => client.setYanked(key, parseRevision(revision!), options.restore !== true, signer, tx),
    (key, [revision], _result, options) => options.restore === true ? `restored revision ${revision} of module ${key}` : `yanked revision ${revision} of module ${key}`,
    (command) => command.option('--restore', 'undo a yank'))

  ownerCommand(program, 'deprecate', 'deprecate an owned module with a note saying why and what to use instead',
    [['[note]', 'the deprecation note (UTF-8); leave out with --lift', () => {}]],
    (client, key, [note], signer, tx, options) => client.setDeprecation(key, options.lift === true ? null : note!, signer, tx),
    (key, _args, _result, options) => options.lift === true ? `module ${key} is no longer deprecated` : `deprecated module ${key}`,
    (command) => command.option('--lift', 'lift the deprecation'),
    (args, options) => {
      if (options.lift === true && args[0] !== undefined) throw new UsageError('give a note or --lift, not both')
      if (options.lift !== true && (args[0] === undefined || args[0].trim() === '')) throw new UsageError('give a deprecation note saying why and what to use instead (or --lift to undo one)')
    })
}

type Client = Awaited<ReturnType<typeof openChain>>
type Signer = Awaited<ReturnType<typeof requireSigner>>
type TxOptions = { waitFor: 'inBlock' | 'finalized'; onProgress: (progress: Parameters<ReturnType<typeof createOutput>['txProgress']>[0]) => void }
interface OwnerOptions extends WriteOptions {
  restore?: boolean
  lift?: boolean
}

/**
 * A command that signs one registry call about a module key: checks every
 * argument before connecting, then submits and reports in words or JSON.
 */
function ownerCommand(
  program: Command,
  name: string,
  description: string,
  args: Array<[spec: string, description: string, check: (value: string) => void]>,
  run: (client: Client, key: string, args: Array<string | undefined>, signer: Signer, tx: TxOptions, options: OwnerOptions) => Promise<TxResult>,
  describe: (key: string, args: Array<string | undefined>, result: TxResult, options: OwnerOptions) => string,
  extraOptions: (command: Command) => Command = (command) => command,
  checkAll: (args: Array<string | undefined>, options: OwnerOptions) => void = () => {},
): void {
  let command = signerOptions(program.command(name).description(description)).argument('<key>', 'module key')
  for (const [spec, text] of args) command = command.argument(spec, text)
  extraOptions(command).action(async (key: string, ...rest: unknown[]) => {
    const values = rest.slice(0, args.length) as Array<string | undefined>
    const options = rest[args.length] as OwnerOptions
    const globals = (rest[args.length + 1] as Command).optsWithGlobals<GlobalOptions>()
    const out = createOutput(globals.json === true)
    parseModuleKey(key)
    args.forEach(([, , check], i) => { if (values[i] !== undefined) check(values[i]!) })
    checkAll(values, options)
    const signer = await requireSigner(options)
    const client = await openChain(globals)
    const tx = await run(client, key, values, signer, { waitFor: waitStage(options.wait), onProgress: (p) => out.txProgress(p) }, options)
    out.result(txJson(tx), () => [`${describe(key, values, tx, options)} in block #${tx.blockNumber} (${tx.blockHash})`])
  })
}

function parseRevision(value: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffff_ffff) throw new UsageError(`revision must be a whole number from 0 to 4294967295, not "${value}"`)
  return Number(value)
}

function waitStage(value: string | undefined): 'inBlock' | 'finalized' {
  if (value === undefined || value === 'finalized') return 'finalized'
  if (value === 'inBlock') return 'inBlock'
  throw new UsageError(`--wait must be inBlock or finalized, not "${value}"`)
}

function txJson(tx: TxResult) {
  return { blockHash: tx.blockHash, blockNumber: tx.blockNumber, stage: tx.stage, events: tx.events }
}
