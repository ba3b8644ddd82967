/** `modnet register`, `update`, `remove`, `transfer`: signed transactions. */
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

  signerOptions(program.command('remove').description('remove an owned module and release its deposit'))
    .argument('<key>', 'module key')
    .action(async (key: string, options: WriteOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      parseModuleKey(key)
      const signer = await requireSigner(options)
      const client = await openChain(globals)
      const tx = await client.remove(key, signer, { waitFor: waitStage(options.wait), onProgress: (p) => out.txProgress(p) })
      out.result(txJson(tx), () => [`removed module ${key} in block #${tx.blockNumber} (${tx.blockHash})`])
    })

  signerOptions(program.command('transfer').description('give an owned module, and its deposit, to another account'))
    .argument('<key>', 'module key')
    .argument('<new-owner>', 'the new owner\'s account (SS58 or 0x-hex)')
    .action(async (key: string, newOwner: string, options: WriteOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>()
      const out = createOutput(globals.json === true)
      parseModuleKey(key)
      parseAccount(newOwner)
      const signer = await requireSigner(options)
      const client = await openChain(globals)
      const tx = await client.transferOwnership(key, newOwner, signer, { waitFor: waitStage(options.wait), onProgress: (p) => out.txProgress(p) })
      out.result(txJson(tx), () => [`transferred module ${key} to ${newOwner} in block #${tx.blockNumber} (${tx.blockHash})`])
    })
}

function waitStage(value: string | undefined): 'inBlock' | 'finalized' {
  if (value === undefined || value === 'finalized') return 'finalized'
  if (value === 'inBlock') return 'inBlock'
  throw new UsageError(`--wait must be inBlock or finalized, not "${value}"`)
}

function txJson(tx: TxResult) {
  return { blockHash: tx.blockHash, blockNumber: tx.blockNumber, stage: tx.stage, events: tx.events }
}
