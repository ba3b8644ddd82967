/**
 * Who a request comes from, for rate limits and connection caps.
 *
 * Behind proxies the operator runs, the client is the right-most
 * `X-Forwarded-For` address that is not one of those proxies: each trusted
 * proxy appends the address it saw, so everything left of that was written
 * by the client and may be forged. Without trusted proxies the header is
 * ignored. IPv6 clients are grouped by /64, the block one subscriber usually
 * gets, so a client cannot get a fresh limit from each of its addresses.
 */
import type { IncomingMessage } from 'node:http'
import { BlockList, isIP } from 'node:net'

export class TrustedProxies {
  readonly #list = new BlockList()
  readonly size: number

  /** `entries`: addresses or CIDR blocks, e.g. `127.0.0.1`, `10.0.0.0/8`, `fd00::/8`. */
  constructor(entries: string[]) {
    for (const entry of entries) {
      const [address, prefix] = entry.trim().split('/')
      const family = isIP(address)
      if (family === 0) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR block`)
      const type = family === 4 ? 'ipv4' : 'ipv6'
      if (prefix === undefined) {
        this.#list.addAddress(address, type)
        continue
      }
      const bits = Number(prefix)
      if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`trusted proxy "${entry}" has an invalid prefix length`)
      this.#list.addSubnet(address, bits, type)
    }
    this.size = entries.length
  }

  has(address: string): boolean {
    const family = isIP(address)
    return family !== 0 && this.#list.check(address, family === 4 ? 'ipv4' : 'ipv6')
  }
}

/** The client's address: the peer, or (from trusted proxies) the right-most untrusted forwarded address. */
export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  let address = normalizeAddress(req.socket.remoteAddress ?? '')
  if (trusted.size === 0 || !trusted.has(address)) return address
  const header = req.headers['x-forwarded-for']
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',')
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(forwarded[i].trim())
    // Garbage in the chain: stop at the last address a trusted proxy vouched for.
    if (isIP(hop) === 0) break
    address = hop
    if (!trusted.has(hop)) break
  }
  return address
}

/** The key a client is counted under: IPv4 as is, IPv6 by its /64. */
export function clientKey(address: string): string {
  if (isIP(address) !== 6) return address
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`
}

/** `::ffff:1.2.3.4` is the IPv4 client 1.2.3.4 (dual-stack sockets report it so). */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped ? mapped[1] : address.toLowerCase()
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
function expandIpv6(address: string): string[] {
  let text = address.split('%')[0]
  // An embedded IPv4 tail (::1.2.3.4) becomes two hex groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number)
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const middle = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0')
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16).toString(16))
}
