/**
 * Module keys and accounts as users write them.
 */
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto'
import { hexToU8a, u8aToHex } from '@polkadot/util'
import { ChainError } from './errors.ts'

/**
 * A module key from 0x-hex (32 or 33 bytes) or an SS58 address (32 bytes).
 * Returned as 0x-hex, the form the chain API and the CLI print.
 */
export function parseModuleKey(input: string): string {
  const text = input.trim()
  const bytes = keyBytes(text, `module key "${short(text)}"`, 'is neither 0x-hex nor an SS58 address')
  if (bytes.length === 32 || bytes.length === 33) return u8aToHex(bytes)
  throw new ChainError('BAD_KEY', `module key ${short(text)} is ${bytes.length} bytes; it must be 32 (sr25519, ed25519) or 33 (compressed ecdsa)`)
}

/** An account (32 bytes) from an SS58 address or 0x-hex public key, as SS58 with `ss58Format`. */
export function parseAccount(input: string, ss58Format = 42): string {
  const text = input.trim()
  const bytes = keyBytes(text, `"${short(text)}"`, 'is not an account: give an SS58 address or a 0x-hex public key')
  if (bytes.length !== 32) throw new ChainError('BAD_KEY', `"${short(text)}" is ${bytes.length} bytes; an account is 32 (an SS58 address or a 0x-hex public key)`)
  return encodeAddress(bytes, ss58Format)
}

/** The bytes of 0x-hex or of an SS58 address (of any length), or BAD_KEY saying what is wrong with `text`. */
function keyBytes(text: string, subject: string, notAKey: string): Uint8Array {
  if (/^0x/i.test(text)) {
    if (!/^0x[0-9a-f]*$/i.test(text)) throw new ChainError('BAD_KEY', `${subject} is not valid hex: it has a character other than 0-9 and a-f`)
    if (text.length % 2 !== 0) throw new ChainError('BAD_KEY', `${subject} is not valid hex: it has an odd number of digits`)
    return hexToU8a(`0x${text.slice(2)}`)
  }
  try {
    return decodeAddress(text)
  } catch (error) {
    // polkadot-js says "Decoding <text>: <reason>"; the reason (checksum, length, character) is what the user needs.
    const message = (error as Error).message
    const reason = message.startsWith(`Decoding ${text}: `) ? message.slice(`Decoding ${text}: `.length) : message
    throw new ChainError('BAD_KEY', `${subject} ${notAKey} (${reason.charAt(0).toLowerCase()}${reason.slice(1)})`, { cause: error })
  }
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
