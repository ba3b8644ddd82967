/**
 * Module keys and accounts as users write them.
 */
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto'
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util'
import { ChainError } from './errors.ts'

/**
 * A module key from 0x-hex (32 or 33 bytes) or an SS58 address (32 bytes).
 * Returned as 0x-hex, the form the chain API and the CLI print.
 */
export function parseModuleKey(input: string): string {
  const text = input.trim()
  if (isHex(text)) {
    const bytes = hexToU8a(text)
    if (bytes.length === 32 || bytes.length === 33) return u8aToHex(bytes)
    throw new ChainError('BAD_KEY', `module key ${short(text)} is ${bytes.length} bytes; it must be 32 (sr25519, ed25519) or 33 (compressed ecdsa)`)
  }
  try {
    return u8aToHex(decodeAddress(text))
  } catch {
    throw new ChainError('BAD_KEY', `module key "${short(text)}" is neither 0x-hex nor an SS58 address`)
  }
}

/** An account from an SS58 address or 0x-hex public key, as SS58 with `ss58Format`. */
export function parseAccount(input: string, ss58Format = 42): string {
  try {
    return encodeAddress(decodeAddress(input.trim()), ss58Format)
  } catch {
    throw new ChainError('BAD_KEY', `"${short(input)}" is not an account: give an SS58 address or a 0x-hex public key`)
  }
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
