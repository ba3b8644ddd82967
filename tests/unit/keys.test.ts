/**
 * lib/chain/keys.ts: module keys and accounts as users write them (0x-hex,
 * SS58 of any network), and BAD_KEY errors that say what is wrong.
 */
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Keyring } from '@polkadot/keyring'
import { u8aToHex } from '@polkadot/util'
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto'
import { ChainError } from '../../lib/chain/errors.ts'
import { parseAccount, parseModuleKey } from '../../lib/chain/keys.ts'

let sr: string // Alice's sr25519 public key, 0x-hex (32 bytes)
let ed: string // an ed25519 public key (32 bytes)
let ecdsa: string // a compressed ecdsa public key (33 bytes)
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'

before(async () => {
  await cryptoWaitReady()
  sr = u8aToHex(new Keyring({ type: 'sr25519' }).addFromUri('//Alice').publicKey)
  ed = u8aToHex(new Keyring({ type: 'ed25519' }).addFromUri('//keys-ed').publicKey)
  ecdsa = u8aToHex(new Keyring({ type: 'ecdsa' }).addFromUri('//keys-ecdsa').publicKey)
})

/** A BAD_KEY ChainError whose message contains every one of `parts`. */
function badKey(...parts: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof ChainError, `a ChainError, not ${String(error)}`)
    assert.equal(error.code, 'BAD_KEY')
    for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" says ${JSON.stringify(part)}`)
    return true
  }
}

/** `address` with its last character changed to another base58 character: the checksum no longer matches. */
const badChecksum = (address: string) => address.slice(0, -1) + (address.endsWith('a') ? 'b' : 'a')

describe('parseModuleKey', () => {
  test('0x-hex of 32 and 33 bytes, as lowercase 0x-hex', () => {
    assert.equal(sr, '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d')
    for (const key of [sr, ed, ecdsa]) assert.equal(parseModuleKey(key), key)
    assert.equal((ecdsa.length - 2) / 2, 33)
  })

  test('uppercase hex digits and surrounding whitespace are accepted', () => {
    assert.equal(parseModuleKey(`0x${sr.slice(2).toUpperCase()}`), sr)
    assert.equal(parseModuleKey(`0X${ecdsa.slice(2).toUpperCase()}`), ecdsa)
    assert.equal(parseModuleKey(`  ${sr}\n`), sr)
    assert.equal(parseModuleKey(`\t${ALICE} `), sr)
  })

  test('SS58 addresses of any network give the public key', () => {
    for (const format of [42, 0, 2, 5, 1284]) {
      const address = encodeAddress(sr, format)
      assert.equal(parseModuleKey(address), sr, `format ${format}: ${address}`)
    }
    assert.equal(parseModuleKey(encodeAddress(ed, 0)), ed)
    assert.equal(parseModuleKey(encodeAddress(ecdsa, 42)), ecdsa, 'a 33-byte key in SS58')
  })

  test('hex of any other length is refused, naming the length and the lengths allowed', () => {
    for (const bytes of [0, 1, 20, 31, 34, 64]) {
      const hex = `0x${'ab'.repeat(bytes)}`
      assert.throws(() => parseModuleKey(hex), badKey(`module key ${hex.length > 80 ? `${hex.slice(0, 77)}...` : hex} is ${bytes} bytes`, 'it must be 32 (sr25519, ed25519) or 33 (compressed ecdsa)'), `${bytes} bytes`)
    }
  })

  test('malformed hex is refused as hex, saying why', () => {
    assert.throws(() => parseModuleKey(sr.slice(0, -1)), badKey('module key', 'not valid hex', 'odd number of digits'))
    assert.throws(() => parseModuleKey(`${sr.slice(0, -1)}g`), badKey('not valid hex', 'a character other than 0-9 and a-f'))
  })

  test('an SS58 address with a bad checksum is refused, and the message says so', () => {
    for (const format of [42, 0, 1284]) {
      const address = badChecksum(encodeAddress(sr, format))
      assert.throws(() => parseModuleKey(address), badKey(`"${address}"`, 'is neither 0x-hex nor an SS58 address', 'checksum'), `format ${format}`)
    }
  })

  test('an SS58 address of an account index (not a key) is refused, naming its length', () => {
    for (const bytes of [1, 2, 4, 8]) {
      const address = encodeAddress(new Uint8Array(bytes).fill(7), 42)
      assert.throws(() => parseModuleKey(address), badKey(`module key ${address} is ${bytes} bytes`, 'it must be 32 (sr25519, ed25519) or 33 (compressed ecdsa)'), `${bytes}-byte index`)
    }
  })

  test('text that is neither hex nor SS58 is refused, and a long one is shortened in the message', () => {
    assert.throws(() => parseModuleKey('not-a-key'), badKey('module key "not-a-key" is neither 0x-hex nor an SS58 address'))
    assert.throws(() => parseModuleKey(''), badKey('module key "" is neither 0x-hex nor an SS58 address'))
    assert.throws(() => parseModuleKey('   '), badKey('module key ""'))
    assert.throws(() => parseModuleKey(ALICE.slice(0, -4)), badKey('is neither 0x-hex nor an SS58 address', 'length'))
    const long = 'x'.repeat(200)
    assert.throws(() => parseModuleKey(long), (error: unknown) => error instanceof ChainError && error.message.includes(`"${'x'.repeat(77)}..."`) && !error.message.includes('x'.repeat(78)))
  })
})

describe('parseAccount', () => {
  test('an SS58 address of any network, or 32-byte hex, in the SS58 format asked for', () => {
    assert.equal(parseAccount(ALICE), ALICE)
    assert.equal(parseAccount(sr), ALICE)
    assert.equal(parseAccount(`0x${sr.slice(2).toUpperCase()}`), ALICE, 'uppercase hex')
    assert.equal(parseAccount(`  ${encodeAddress(sr, 0)}\n`), ALICE, 'a Polkadot address, with whitespace')
    assert.equal(parseAccount(ALICE, 0), encodeAddress(sr, 0))
    assert.equal(parseAccount(encodeAddress(sr, 2), 1284), encodeAddress(sr, 1284))
  })

  test('a bad checksum is refused, and the message says so', () => {
    const address = badChecksum(ALICE)
    assert.throws(() => parseAccount(address), badKey(`"${address}" is not an account`, 'checksum'))
  })

  test('anything but 32 bytes is not an account: hex or SS58 of another length is refused, naming its length', () => {
    assert.throws(() => parseAccount(ecdsa), badKey(`is 33 bytes`, 'an account is 32'), 'a 33-byte ecdsa key')
    assert.throws(() => parseAccount(`0x${'ab'.repeat(31)}`), badKey('is 31 bytes', 'an account is 32'))
    assert.throws(() => parseAccount('0x01020304'), badKey('is 4 bytes', 'an account is 32'))
    const index = encodeAddress(new Uint8Array([1, 2, 3, 4]), 42)
    assert.throws(() => parseAccount(index), badKey(`"${index}" is 4 bytes`, 'an account is 32'), 'an account index')
  })

  test('text that is neither is refused', () => {
    assert.throws(() => parseAccount('nobody'), badKey('"nobody" is not an account: give an SS58 address or a 0x-hex public key'))
    assert.throws(() => parseAccount(''), badKey('"" is not an account'))
    assert.throws(() => parseAccount('0xabc'), badKey('"0xabc" is not valid hex', 'odd number of digits'))
  })
})
