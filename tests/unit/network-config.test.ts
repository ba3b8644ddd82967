/**
 * Unit tests for chain-spec/network-config.ts: a new network's file is
 * checked field by field, dev keys are refused unless asked for, and the
 * genesis patch carries the operators' keys.
 */
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Keyring } from '@polkadot/keyring'
import { mnemonicGenerate, cryptoWaitReady, createKeyMulti, encodeAddress } from '@polkadot/util-crypto'
import { checkNetworkConfig, NetworkConfigError, specJson } from '../../chain-spec/network-config.ts'

const BOOT = '/dns/boot.example.org/tcp/443/wss/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp'
let sr: Keyring
let ed: Keyring

function operator(): { account: string; aura: string; grandpa: string } {
  const seed = mnemonicGenerate()
  const account = sr.addFromUri(seed).address
  return { account, aura: account, grandpa: ed.addFromUri(seed).address }
}

function network(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const validators = [operator(), operator()]
  return {
    name: 'Test', id: 'test',
    validators,
    governance: { sudo: operator().account },
    endowed: { [validators[0].account]: '1000000000000000' },
    bootNodes: [BOOT],
    ...overrides,
  }
}

async function refused(input: unknown, pattern: RegExp, options = {}): Promise<void> {
  await assert.rejects(checkNetworkConfig(input, options), (error: unknown) => {
    assert.ok(error instanceof NetworkConfigError, String(error))
    assert.match(error.message, pattern)
    return true
  })
}

before(async () => {
  await cryptoWaitReady()
  sr = new Keyring({ type: 'sr25519', ss58Format: 42 })
  ed = new Keyring({ type: 'ed25519', ss58Format: 42 })
})

describe('a new network file', () => {
  test('with the operators\' own keys becomes a genesis patch with those keys', async () => {
    const input = network({ sessionLength: 100 })
    const checked = await checkNetworkConfig(input)
    const validators = input.validators as ReturnType<typeof operator>[]
    assert.deepEqual((checked.patch.validatorSet as { members: string[] }).members, validators.map((v) => v.account))
    assert.deepEqual((checked.patch.session as { keys: unknown[] }).keys[0], [validators[0].account, validators[0].account, { aura: validators[0].aura, grandpa: validators[0].grandpa }])
    assert.equal(checked.governanceAccount, (input.governance as { sudo: string }).sudo)
    assert.equal(checked.sessionLength, 100)
    assert.equal(checked.chainType, 'Live')
    assert.ok(checked.warnings.some((w) => w.includes('no endowment')), 'the unfunded validator is pointed out')
  })

  test('refuses every well-known dev key, naming where it is, unless --dev-keys', async () => {
    const alice = sr.addFromUri('//Alice').address
    await refused(network({ governance: { sudo: alice } }), /governance\.sudo is the sr25519 dev key \/\/Alice/)
    const input = network()
    ;(input.validators as ReturnType<typeof operator>[])[1].grandpa = ed.addFromUri('//Bob//stash').address
    await refused(input, /validators\[1\]\.grandpa is the ed25519 dev key \/\/Bob\/\/stash/)
    await refused(network({ endowed: { [sr.addFromUri('//Ferdie').address]: '1000000000000' } }), /endowed.* is the sr25519 dev key \/\/Ferdie/)
    const allowed = await checkNetworkConfig(network({ governance: { sudo: alice } }), { allowDevKeys: true })
    assert.ok(allowed.warnings.some((w) => w.startsWith('DEV KEYS')))
  })

  test('derives a multisig governance account as pallet-multisig does', async () => {
    const signatories = [operator().account, operator().account, operator().account]
    const checked = await checkNetworkConfig(network({ governance: { multisig: { signatories, threshold: 2 } } }))
    assert.equal(checked.governanceAccount, encodeAddress(createKeyMulti(signatories, 2), 42))
    await refused(network({ governance: { multisig: { signatories, threshold: 4 } } }), /threshold: expected a whole number from 2 to 3/)
    await refused(network({ governance: { multisig: { signatories: [signatories[0], signatories[0]], threshold: 2 } } }), /listed twice/)
  })

  test('names the problem in a bad file', async () => {
    await refused([], /must hold a JSON object/)
    await refused(network({ extra: 1 }), /unknown field "extra"/)
    await refused(network({ id: 'Bad Id' }), /^id: expected an id/)
    await refused(network({ validators: [] }), /at least one validator/)
    await refused(network({ bootNodes: [] }), /at least one bootnode/)
    await refused(network({ bootNodes: ['/ip4/1.2.3.4/tcp/30333'] }), /bootNodes\[0\]: expected a multiaddr/)
    await refused(network({ sessionLength: 2 }), /sessionLength: expected a whole number from 5/)
    const same = operator()
    await refused(network({ validators: [same, same] }), /repeats the key of validators\[0\]/)
    const short = network()
    ;(short.validators as ReturnType<typeof operator>[])[0].aura = '0x1234'
    await refused(short, /validators\[0\]\.aura: a public key is 32 bytes/)
    await refused(network({ endowed: { [operator().account]: '12' } }), /at least 1000000000 \(the existential deposit\)/)
    await refused(network({ endowed: { [operator().account]: 1e15 } }), /as a decimal string/)
    await refused(network({ governance: {} }), /governance: expected/)
  })

  test('warns when no bootnode is reachable from a browser', async () => {
    const checked = await checkNetworkConfig(network({ bootNodes: ['/dns/boot.example.org/tcp/30333/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp'] }))
    assert.ok(checked.warnings.some((w) => w.includes('browsers')))
  })

  test('writes balances beyond 2^53 as exact JSON numbers', () => {
    assert.equal(specJson({ b: [['x', (1n << 100n)]] }).replace(/\s/g, ''), `{"b":[["x",${(1n << 100n).toString()}]]}`)
  })
})
