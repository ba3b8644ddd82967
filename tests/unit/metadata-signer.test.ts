/**
 * lib/registry/metadata-signer.ts: who signs a metadata document. Only the
 * holder of the module key: the module-key signer when one is given, else the
 * account itself when the module key is its own key and it is a local key
 * pair; otherwise nobody (the document goes unsigned).
 */
import { before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import type { Signer } from '@polkadot/types/types'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto'
import { metadataSignerFor } from '../../lib/registry/metadata-signer.ts'

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

test('a wallet-extension account cannot sign here, even for its own key', () => {
  assert.equal(metadataSignerFor(hex(alice), walletAccount(alice)), undefined)
  // Even one that carries its public key: signing here needs a synchronous sign function.
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
