/**
 * A network made the way docs/operators.md says, with no dev key anywhere:
 * fresh operator keys, a network file, `chain-spec/new-network.ts`, keys put
 * in the validator's keystore with `modnet-node key insert`. The validator
 * authors and finalizes, and the genesis holds what the file said. The same
 * command refuses a file with a dev key, in words, and writes nothing.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keyring } from '@polkadot/keyring'
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto'
import { connectApi } from '../../lib/chain/index.ts'
import { SESSION_LENGTH_KEY } from '../../chain-spec/new-network.ts'
import { waitUntil } from '../../scripts/child-process.ts'
import { NodeProcess } from '../../scripts/network/node-process.ts'
import { nodeBinary } from '../support/node.ts'
import { freePort } from '../support/ports.ts'

const NEW_NETWORK = join(import.meta.dirname, '..', '..', 'chain-spec', 'new-network.ts')
let dir: string
let validator: NodeProcess | undefined

function newNetwork(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [NEW_NETWORK, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr })
    })
  })
}

before(async () => {
  await cryptoWaitReady()
  dir = mkdtempSync(join(tmpdir(), 'modnet-new-network-'))
})

after(async () => {
  await validator?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a network from operators\' own keys authors, finalizes and holds its genesis', { timeout: 5 * 60_000 }, async () => {
  const sr = new Keyring({ type: 'sr25519', ss58Format: 42 })
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 })
  const seed = mnemonicGenerate()
  const sudo = sr.addFromUri(mnemonicGenerate()).address
  const account = sr.addFromUri(seed).address
  const nodeBase = join(dir, 'validator')
  const p2p = await freePort()
  const key = (() => { execFileSync(nodeBinary(), ['key', 'generate-node-key', '--file', join(dir, 'boot-key')], { stdio: 'ignore' }); return execFileSync(nodeBinary(), ['key', 'inspect-node-key', '--file', join(dir, 'boot-key')]).toString().trim() })()
  const file = join(dir, 'network.json')
  writeFileSync(file, JSON.stringify({
    name: 'Operators Net', id: 'operators_net', chainType: 'Local',
    validators: [{ account, aura: account, grandpa: ed.addFromUri(seed).address }],
    governance: { sudo },
    endowed: { [account]: '5000000000000000', [sudo]: '7000000000000000' },
    bootNodes: [`/ip4/127.0.0.1/tcp/${p2p}/p2p/${key}`],
    sessionLength: 50,
  }))
  const spec = join(dir, 'operators.raw.json')
  const made = await newNetwork([file, '--out', spec])
  assert.equal(made.code, 0, made.stderr)
  assert.match(made.stdout, /chain spec of "Operators Net"/)
  assert.match(made.stderr, /warning: no bootnode has a \/ws/, 'a spec no browser can use is pointed out')

  // The operator's keystore: Aura (sr25519) and GRANDPA (ed25519) secrets from its own seed.
  for (const [scheme, type] of [['sr25519', 'aura'], ['ed25519', 'gran']]) {
    execFileSync(nodeBinary(), ['key', 'insert', '--base-path', nodeBase, '--chain', spec, '--scheme', scheme, '--suri', seed, '--key-type', type], { stdio: 'ignore' })
  }
  validator = new NodeProcess(nodeBinary(), { name: 'operator', role: 'validator', chainSpec: spec, basePath: nodeBase, rpcPort: await freePort(), p2pPort: p2p })
  await validator.start()
  await waitUntil('the validator to finalize block 3', async () => (await validator!.heads()).finalized >= 3, 60_000)

  const api = await connectApi({ kind: 'rpc', url: validator.rpcUrl })
  try {
    assert.equal((await api.query.sudo.key()).toString(), sudo)
    assert.deepEqual((await api.query.validatorSet.members()).toJSON(), [account])
    assert.deepEqual((await api.query.session.validators()).toJSON(), [account])
    assert.equal(((await api.query.system.account(sudo)) as unknown as { data: { free: { toString(): string } } }).data.free.toString(), '7000000000000000')
    const sessionLength = (await api.rpc.state.getStorage(SESSION_LENGTH_KEY)) as unknown as { unwrap(): Uint8Array }
    assert.equal(api.createType('u32', sessionLength.unwrap()).toNumber(), 50, 'the session length of the file')
  } finally {
    await api.disconnect()
  }
})

test('a network file with a dev key is refused in words and nothing is written', async () => {
  const sr = new Keyring({ type: 'sr25519', ss58Format: 42 })
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 })
  const file = join(dir, 'dev.json')
  writeFileSync(file, JSON.stringify({
    name: 'Dev', id: 'dev_net',
    validators: [{ account: sr.addFromUri('//Alice').address, aura: sr.addFromUri('//Alice').address, grandpa: ed.addFromUri('//Alice').address }],
    governance: { sudo: sr.addFromUri('//Alice').address },
    bootNodes: ['/dns/boot.example.org/tcp/443/wss/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp'],
  }))
  const out = join(dir, 'dev.raw.json')
  const refused = await newNetwork([file, '--out', out])
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, /refusing well-known development keys .*validators\[0\]\.aura is the sr25519 dev key \/\/Alice.*pass --dev-keys/)
  assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace')
  assert.ok(!existsSync(out))
  const allowed = await newNetwork([file, '--out', out, '--dev-keys'])
  assert.equal(allowed.code, 0, allowed.stderr)
  assert.match(allowed.stderr, /DEV KEYS/)
})
