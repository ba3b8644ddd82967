/**
 * Turns polkadot-js codec values from the registry pallet into the plain
 * types of lib/types/chain.ts.
 */
import type { ApiPromise } from '@polkadot/api'
import { hexToU8a, u8aToString } from '@polkadot/util'
import { CID } from 'multiformats/cid'
import type { HistoryHead, ModuleRecord, ModuleStatus, RegistryEvent } from '../types/chain.ts'

/** A binary CID from chain (hex) as a CID string; the pallet only stores well-formed ones. */
export function cidFromChain(hex: string): string {
  return CID.decode(hexToU8a(hex)).toString()
}

/** Binary form of a CID string, as 0x-hex for a `Bytes` argument. */
export function cidToChain(cid: string | CID): string {
  const parsed = typeof cid === 'string' ? CID.parse(cid) : cid
  return `0x${Array.from(parsed.bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

interface RawRecord {
  owner: { toString(): string }
  cid: { toHex(): string }
  revision: { toNumber(): number }
  registeredAt: { toNumber(): number }
  updatedAt: { toNumber(): number }
  deposit: { toBigInt(): bigint }
}

export function recordFromChain(key: string, raw: RawRecord): ModuleRecord {
  return {
    key,
    owner: raw.owner.toString(),
    cid: cidFromChain(raw.cid.toHex()),
    revision: raw.revision.toNumber(),
    registeredAt: raw.registeredAt.toNumber(),
    updatedAt: raw.updatedAt.toNumber(),
    deposit: raw.deposit.toBigInt(),
  }
}

export function historyFromChain(raw: any): HistoryHead {
  return { length: raw.length.toNumber(), head: raw.head.toHex() }
}

/** An `Option<ModuleStatus>` from storage; `None` is the empty status. */
export function statusFromChain(raw: any): ModuleStatus {
  if (!raw.isSome) return { yanked: [] }
  const status = raw.unwrap()
  const out: ModuleStatus = { yanked: [...status.yanked].map((revision: any) => revision.toNumber()) }
  if (status.deprecation.isSome) out.deprecation = u8aToString(status.deprecation.unwrap().toU8a(true))
  if (status.transferOffer.isSome) {
    const offer = status.transferOffer.unwrap()
    out.transferOffer = { to: offer.to.toString(), expiresAt: offer.expiresAt.toNumber() }
  }
  return out
}

/** Registry events among a block's `System.Events`. */
export function registryEvents(api: ApiPromise, records: Iterable<{ event: any }>, blockHash: string, blockNumber: number): RegistryEvent[] {
  const out: RegistryEvent[] = []
  for (const { event } of records) {
    if (!api.events.moduleRegistry) continue
    const where = { blockHash, blockNumber }
    const data = event.data as any
    if (api.events.moduleRegistry.ModuleRegistered.is(event)) {
      out.push({ type: 'ModuleRegistered', key: data.key.toHex(), owner: data.owner.toString(), cid: cidFromChain(data.cid.toHex()), ...where })
    } else if (api.events.moduleRegistry.ModuleUpdated.is(event)) {
      out.push({ type: 'ModuleUpdated', key: data.key.toHex(), owner: data.owner.toString(), oldCid: cidFromChain(data.oldCid.toHex()), newCid: cidFromChain(data.newCid.toHex()), revision: data.revision.toNumber(), ...where })
    } else if (api.events.moduleRegistry.ModuleRemoved.is(event)) {
      out.push({ type: 'ModuleRemoved', key: data.key.toHex(), owner: data.owner.toString(), ...where })
    } else if (api.events.moduleRegistry.OwnershipTransferred.is(event)) {
      out.push({ type: 'OwnershipTransferred', key: data.key.toHex(), from: data.from.toString(), to: data.to.toString(), ...where })
    } else if (api.events.moduleRegistry.TransferOffered?.is(event)) {
      out.push({ type: 'TransferOffered', key: data.key.toHex(), from: data.from.toString(), to: data.to.toString(), expiresAt: data.expiresAt.toNumber(), ...where })
    } else if (api.events.moduleRegistry.TransferCancelled?.is(event)) {
      out.push({ type: 'TransferCancelled', key: data.key.toHex(), owner: data.owner.toString(), to: data.to.toString(), ...where })
    } else if (api.events.moduleRegistry.RevisionYanked?.is(event)) {
      out.push({ type: 'RevisionYanked', key: data.key.toHex(), owner: data.owner.toString(), revision: data.revision.toNumber(), yanked: data.yanked.isTrue, ...where })
    } else if (api.events.moduleRegistry.DeprecationSet?.is(event)) {
      const note = data.note.isSome ? u8aToString(data.note.unwrap().toU8a(true)) : undefined
      out.push({ type: 'DeprecationSet', key: data.key.toHex(), owner: data.owner.toString(), ...(note === undefined ? {} : { note }), ...where })
    }
  }
  return out
}
