/**
 * lib/registry/metadata-signer.ts: who signs a metadata document. Only the
 * holder of the module key: the module-key signer when one is given, else the
 * account itself when the module key is its own key (a local key pair, or a
 * wallet extension through `signRaw`); otherwise nobody (the document goes
 * unsigned, and the reason says why). The wallet here signs as
 * @polkadot/extension-base does: `pair.sign(u8aWrapBytes(data))`.
 */
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { readFileSync } from 'node:fs'
import type { Signer, SignerPayloadRaw } from '@polkadot/types/types'
import { u8aToHex, u8aWrapBytes } from '@polkadot/util'
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto'
import { CID } from 'multiformats/cid'
import { computeCid } from '../../lib/ipfs/cid.ts'
import { canonicalBytes } from '../../lib/types/canonical.ts'
import type { ModuleMetadata } from '../../lib/types/metadata.ts'
import { verifyMetadataSignature } from '../../lib/types/signature.ts'
import { metadataSignerFor, metadataSigning, MetadataSigningError, signMetadataWith, walletMetadataSigner } from '../../lib/registry/metadata-signer.ts'
import { registerModule } from '../../lib/registry/register.ts'
import type { RegisterDeps } from '../../lib/registry/deps.ts'

let alice: KeyringPair
let bob: KeyringPair
let ed: KeyringPair
let ecdsa: KeyringPair
const hex = (pair: KeyringPair) => u8aToHex(pair.publicKey)

before(async () => {
  await cryptoWaitReady()
  alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
  bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob')
  ed = new Keyring({ type: 'ed25519' }).addFromUri('//signer-ed')
  ecdsa = new Keyring({ type: 'ecdsa' }).addFromUri('//signer-ecdsa')
})

/** An account as a wallet extension gives it: an address and a signer that cannot sign synchronously. */
function walletAccount(pair: KeyringPair) {
  return { address: pair.address, signer: {} as Signer }
}

test('the module key is the account\'s own key, and the account is a key pair: the pair signs', () => {
  assert.equal(metadataSignerFor(hex(alice), alice), alice)
  assert.equal(metadataSignerFor(hex(ed), ed), ed, 'an ed25519 account too')
  assert.equal(metadataSignerFor(hex(alice).toUpperCase().replace('0X', '0x'), alice), alice, 'the key in uppercase hex')
})

test('the module key is another key, and no module-key signer: nobody signs', () => {
  assert.equal(metadataSignerFor(hex(bob), alice), undefined)
  assert.equal(metadataSignerFor(hex(ecdsa), alice), undefined)
})

test('a wallet-extension account whose signer has no signRaw cannot sign, even for its own key', () => {
  assert.equal(metadataSignerFor(hex(alice), walletAccount(alice)), undefined)
  assert.deepEqual(metadataSigning(hex(alice), walletAccount(alice)), { signer: undefined, reason: 'the wallet cannot sign raw bytes (its signer has no signRaw)' })
  // Even one that carries its public key and a `sign` that is not a key pair's.
  const withKey = { ...walletAccount(alice), publicKey: alice.publicKey, type: 'sr25519' }
  assert.equal(metadataSignerFor(hex(alice), withKey), undefined)
  assert.equal(metadataSignerFor(hex(alice), { ...withKey, sign: 'not a function' } as unknown as typeof withKey), undefined)
})

test('a module-key signer holding the key signs, whoever the account is', () => {
  assert.equal(metadataSignerFor(hex(bob), alice, bob), bob)
  assert.equal(metadataSignerFor(hex(ed), walletAccount(alice), ed), ed)
  assert.equal(metadataSignerFor(hex(ecdsa), alice, ecdsa), ecdsa, 'a 33-byte ecdsa key')
})

test('a module-key signer holding another key does not sign; an account holding the key itself still does', () => {
  assert.equal(metadataSignerFor(hex(bob), alice, ed), undefined)
  assert.equal(metadataSignerFor(hex(ed), walletAccount(alice), ecdsa), undefined)
  assert.equal(metadataSignerFor(hex(bob), bob, ed), bob, 'the account is the key: it signs, as its registration needs no other proof')
})

test('an ecdsa account\'s own module key is the hash in its address, which its key cannot sign for', () => {
  const accountKey = u8aToHex(decodeAddress(ecdsa.address))
  assert.equal((accountKey.length - 2) / 2, 32)
  assert.notEqual(accountKey, hex(ecdsa))
  assert.equal(metadataSignerFor(accountKey, ecdsa), undefined)
})

// ---- wallet extensions: signRaw ----

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8')) as ModuleMetadata
const GENESIS = `0x${'ab'.repeat(32)}`

/**
 * A wallet extension's account for `pair`, its signer signing as
 * @polkadot/extension-base's RequestBytesSign does: the `<Bytes>`-wrapped data,
 * returned as bare hex. `answer` replaces what it does (to refuse, or lie).
 */
function extensionAccount(pair: KeyringPair, answer?: (payload: SignerPayloadRaw) => Promise<{ id: number; signature: string }>) {
  const requests: SignerPayloadRaw[] = []
  const signer: Signer = {
    signRaw: async (payload) => {
      requests.push(payload)
      if (answer !== undefined) return await answer(payload) as { id: number; signature: `0x${string}` }
      return { id: requests.length, signature: u8aToHex(pair.sign(u8aWrapBytes(payload.data))) }
    },
  }
  return { account: { address: pair.address, signer, type: pair.type as string }, requests }
}

test('a wallet account with signRaw signs for its own key: the exact v2 message as bytes, verified valid at that binding only', async () => {
  for (const pair of [alice, ed]) {
    const { account, requests } = extensionAccount(pair)
    const signing = metadataSigning(hex(pair), account)
    assert.equal(signing.signer === undefined ? signing.reason : signing.by, 'wallet')
    const binding = { genesisHash: GENESIS, revision: 3 }
    const signed = await signMetadataWith(example, signing.signer!, binding)
    assert.equal(requests.length, 1)
    assert.equal(requests[0]!.address, pair.address)
    assert.equal(requests[0]!.type, 'bytes')
    assert.match(requests[0]!.data, /^0x[0-9a-f]+$/)
    assert.equal(Buffer.from(requests[0]!.data.slice(2), 'hex').toString('utf8'), `modnet/module-metadata-signature/v2:${GENESIS}:3:${new TextDecoder().decode(canonicalBytes(example))}`)
    assert.equal(signed.signature.type, pair.type, 'the scheme is found from the signature')
    assert.deepEqual(verifyMetadataSignature(signed, pair.publicKey, binding), { status: 'valid' })
    assert.equal(verifyMetadataSignature(signed, pair.publicKey, { ...binding, revision: 4 }).status, 'invalid')
  }
})

test('a wallet account does not sign for a module key that is not its own, nor an ecdsa/ethereum account for its hashed key', () => {
  const signing = metadataSigning(hex(bob), extensionAccount(alice).account)
  assert.equal(signing.signer, undefined)
  assert.match(signing.signer === undefined ? signing.reason : '', new RegExp(`the module key ${hex(bob)} is not this account's key`))
  for (const type of ['ecdsa', 'ethereum']) {
    const account = { ...extensionAccount(alice).account, type }
    assert.deepEqual(metadataSigning(hex(alice), account), { signer: undefined, reason: `a ${type} account's own module key is the hash of its public key, which its key cannot sign for` })
  }
})

test('a wallet that refuses to sign is a SIGNATURE_REFUSED error naming its reason', async () => {
  const { account } = extensionAccount(alice, async () => { throw new Error('Cancelled') })
  await assert.rejects(signMetadataWith(example, metadataSignerFor(hex(alice), account)!, { genesisHash: GENESIS, revision: 0 }),
    (error: unknown) => error instanceof MetadataSigningError && error.code === 'SIGNATURE_REFUSED' && error.message === 'the wallet did not sign the metadata (Cancelled)')
})

test('a wallet\'s signature by another key, over another message, or not hex is refused, never attached', async () => {
  const byBob = extensionAccount(alice, async (payload) => ({ id: 1, signature: u8aToHex(bob.sign(u8aWrapBytes(payload.data))) })).account
  const otherMessage = extensionAccount(alice, async () => ({ id: 1, signature: u8aToHex(alice.sign(u8aWrapBytes('something else'))) })).account
  const notHex = extensionAccount(alice, async () => ({ id: 1, signature: 'yes' })).account
  for (const account of [byBob, otherMessage, notHex]) {
    await assert.rejects(signMetadataWith(example, metadataSignerFor(hex(alice), account)!, { genesisHash: GENESIS, revision: 0 }),
      (error: unknown) => error instanceof MetadataSigningError && error.code === 'SIGNATURE_INVALID')
  }
})

test('walletMetadataSigner holds the address\'s key', () => {
  assert.deepEqual(walletMetadataSigner(alice.address, extensionAccount(alice).account.signer).publicKey, alice.publicKey)
})

test('key pairs sign through the same path: sr25519, ed25519 and a 33-byte ecdsa module key', async () => {
  const binding = { genesisHash: GENESIS, revision: 0 }
  for (const pair of [alice, ed, ecdsa]) {
    const signed = await signMetadataWith(example, pair, binding)
    assert.equal(signed.signature.type, pair.type)
    assert.deepEqual(verifyMetadataSignature(signed, pair.publicKey, binding), { status: 'valid' })
  }
})

// ---- registerModule: a refusal stops the flow before anything is written ----

/** In-memory deps: records what was stored and sent. `current` is the module's record when it exists. */
function fakeDeps(current: { cid: string; revision: number; owner: string } | null) {
  const stored: Uint8Array[] = []
  const sent: string[] = []
  const deps = {
    chain: {
      genesisHash: GENESIS,
      accountKey: (signer: { address: string }) => u8aToHex(decodeAddress(signer.address)),
      getModule: async () => ({ record: current === null ? null : { key: hex(alice), registeredAt: 1, updatedAt: 1, deposit: 0n, ...current } }),
      register: async (_key: string, cid: string) => { sent.push(`register ${cid}`); return { blockHash: '0x01', blockNumber: 1, events: [] } },
      update: async (_key: string, cid: string) => { sent.push(`update ${cid}`); return { blockHash: '0x02', blockNumber: 2, events: [] } },
    },
    ipfs: { add: async (bytes: Uint8Array) => { stored.push(bytes); return await computeCid(bytes) } },
  } as unknown as RegisterDeps
  return { deps, stored, sent }
}

test('registerModule with a wallet account: signed through signRaw for revision 0, or current + 1 on update', async () => {
  const fresh = fakeDeps(null)
  const seen: string[] = []
  const registered = await registerModule(fresh.deps, example, extensionAccount(alice).account, { onSigning: (s) => seen.push(s.signer === undefined ? s.reason : s.by) })
  assert.deepEqual(seen, ['wallet'])
  assert.equal(registered.action, 'registered')
  assert.equal(registered.unsignedReason, undefined)
  const doc = JSON.parse(new TextDecoder().decode(fresh.stored[0]))
  assert.deepEqual(verifyMetadataSignature(doc, alice.publicKey, { genesisHash: GENESIS, revision: 0 }), { status: 'valid' })
  assert.deepEqual(fresh.sent, [`register ${registered.cid}`])

  const old = await computeCid(canonicalBytes(example))
  const existing = fakeDeps({ cid: old.toString(), revision: 4, owner: alice.address })
  const updated = await registerModule(existing.deps, { ...example, version: '1.1.0' }, extensionAccount(alice).account, { mode: 'update' })
  assert.equal(updated.action, 'updated')
  assert.equal(updated.metadata.previous, old.toString())
  assert.deepEqual(verifyMetadataSignature(updated.metadata, alice.publicKey, { genesisHash: GENESIS, revision: 5 }), { status: 'valid' })
  assert.ok(CID.parse(updated.cid))
})

test('registerModule: when the wallet refuses, nothing is uploaded or sent, and the error says so', async () => {
  const { deps, stored, sent } = fakeDeps(null)
  const { account } = extensionAccount(alice, async () => { throw new Error('Rejected by user') })
  await assert.rejects(registerModule(deps, example, account), (error: unknown) => error instanceof MetadataSigningError && error.code === 'SIGNATURE_REFUSED' &&
    error.message === 'the wallet did not sign the metadata (Rejected by user); nothing was uploaded or registered')
  assert.deepEqual(stored, [])
  assert.deepEqual(sent, [])
})

test('registerModule says why a document went unsigned: another module key, or signing turned off', async () => {
  const other = fakeDeps(null)
  const seen: string[] = []
  const result = await registerModule(other.deps, example, extensionAccount(alice).account, { moduleKey: hex(bob), onSigning: (s) => seen.push(s.signer === undefined ? 'unsigned' : s.by) })
  assert.deepEqual(seen, ['unsigned'])
  assert.match(result.unsignedReason ?? '', /is not this account's key/)
  assert.equal(result.metadata.signature, undefined)
  const off = await registerModule(fakeDeps(null).deps, example, alice, { signMetadata: false })
  assert.equal(off.unsignedReason, 'signing was turned off')
  assert.equal(off.metadata.signature, undefined)
})
