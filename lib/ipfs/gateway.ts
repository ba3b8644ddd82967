/**
 * The gateway backend: reads through any trustless HTTP gateway
 * (`GET /ipfs/<cid>?format=raw`, one block at a time, each verified here, so
 * the gateway need not be trusted). Writes work only against a Mod-Net
 * gateway, whose upload endpoint takes metadata documents and answers with the
 * CID it stored, which is compared with the CID computed here.
 */
import type { CID } from 'multiformats/cid'
import { BodyInvalidError, BodyTooLargeError, readBoundedBytes, readBoundedJson, readTextPrefix } from '../http/bounded-body.ts'
import { parseCid } from './cid.ts'
import { BlockBackedClient, type AddOptions, type IPFSStatus } from './client.ts'
import { IPFSError } from './errors.ts'

/**
 * A block larger than this is refused, and its body is read no further than
 * this (IPFS blocks are at most 2 MiB by convention; 1 KiB of slack).
 */
export const MAX_BLOCK_BYTES = 2 * 1024 * 1024 + 1024

/** The upload answer is `{ "cid": "…" }`: 64 KiB is far more than it needs. */
export const MAX_UPLOAD_ANSWER_BYTES = 64 * 1024

/** The Mod-Net gateway's upload path (gateway/). */
export const UPLOAD_PATH = '/api/v1/metadata'

export class GatewayIpfs extends BlockBackedClient {
  readonly kind = 'gateway' as const
  readonly location: string

  constructor(url: string) {
    super()
    this.location = url.replace(/\/+$/, '')
  }

  protected fetchBlock = (cid: CID, signal: AbortSignal): Promise<Uint8Array> => this.fetchFromGateway(cid, signal)

  /** `GET /ipfs/<cid>?format=raw`: one block, unverified (the caller checks it). */
  protected async fetchFromGateway(cid: CID, signal: AbortSignal): Promise<Uint8Array> {
    const response = await this.#fetch(`reading block ${cid}`, `/ipfs/${cid}?format=raw`, {
      headers: { accept: 'application/vnd.ipld.raw' },
      signal,
    })
    if (response.status === 404) {
      await response.body?.cancel().catch(() => {})
      throw new IPFSError('IPFS_NOT_FOUND', `the gateway ${this.location} does not have ${cid}`)
    }
    if (!response.ok) throw await this.#failure(`reading block ${cid}`, response)
    return await this.#body(() => readBoundedBytes(response, MAX_BLOCK_BYTES, `block ${cid}`), signal)
  }

  protected async store(bytes: Uint8Array, options: AddOptions): Promise<CID> {
    const response = await this.#fetch('uploading metadata', UPLOAD_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes as Uint8Array<ArrayBuffer>,
      signal: options.signal,
    })
    if (response.status === 404 || response.status === 405) {
      await response.body?.cancel().catch(() => {})
      throw new IPFSError('IPFS_READ_ONLY', `the gateway ${this.location} does not accept uploads (it is not a Mod-Net gateway)`)
    }
    if (!response.ok) throw await this.#failure('uploading metadata', response)
    const body = (await this.#body(() => readBoundedJson(response, MAX_UPLOAD_ANSWER_BYTES, 'the upload answer'), options.signal)) as { cid?: unknown } | null
    if (typeof body?.cid !== 'string') throw new IPFSError('IPFS_UNAVAILABLE', `the gateway ${this.location} answered the upload without a CID`)
    return parseCid(body.cid)
  }

  async pin(): Promise<void> {
    throw new IPFSError('IPFS_READ_ONLY', `pins are kept by the gateway ${this.location} itself: it keeps what the chain registers`)
  }

  async unpin(): Promise<void> {
    throw new IPFSError('IPFS_READ_ONLY', `pins are kept by the gateway ${this.location} itself`)
  }

  async isPinned(): Promise<boolean> {
    return false
  }

  async status(): Promise<IPFSStatus> {
    try {
      const response = await fetch(`${this.location}/healthz`, { signal: AbortSignal.timeout(5_000) })
      await response.body?.cancel()
      if (response.ok) return { kind: this.kind, location: this.location, ok: true, detail: 'Mod-Net gateway healthy' }
      if (response.status === 404) return { kind: this.kind, location: this.location, ok: true, detail: 'gateway reachable (no /healthz: read-only use)' }
      return { kind: this.kind, location: this.location, ok: false, detail: `gateway /healthz answered HTTP ${response.status}` }
    } catch (error) {
      return { kind: this.kind, location: this.location, ok: false, detail: `cannot reach the gateway: ${(error as Error).message}` }
    }
  }

  async #fetch(what: string, path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.location}${path}`, init)
    } catch (error) {
      if (init.signal?.aborted) throw error
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
      throw new IPFSError('IPFS_UNAVAILABLE', `${what}: cannot reach the gateway ${this.location} (${reason})`, { cause: error })
    }
  }

  /** Runs a bounded body read, mapping its errors to IPFSError (a body cut off mid-way may pass: transient). */
  async #body<T>(read: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await read()
    } catch (error) {
      if (signal?.aborted) throw error
      if (error instanceof BodyTooLargeError) throw new IPFSError('IPFS_TOO_LARGE', error.describe(`the gateway ${this.location}`), { cause: error })
      if (error instanceof BodyInvalidError) throw new IPFSError('IPFS_UNAVAILABLE', `the gateway ${this.location} answered badly: ${error.message}`, { cause: error })
      throw new IPFSError('IPFS_UNAVAILABLE', `the gateway ${this.location} broke off its answer (${(error as Error).message})`, { cause: error })
    }
  }

  async #failure(what: string, response: Response): Promise<IPFSError> {
    // Only the opening: the reason is short, and an error page may be endless.
    const text = (await readTextPrefix(response)).trim()
    let reason = text
    try {
      const error = (JSON.parse(text) as { error?: unknown }).error
      if (typeof error === 'string') reason = error
    } catch { /* not JSON (or cut off): use the text */ }
    reason = reason.length > 500 ? `${reason.slice(0, 500)}…` : reason
    // 429 and 5xx may pass; other statuses are the request's fault.
    const code = response.status === 429 || response.status >= 500 ? 'IPFS_UNAVAILABLE' : 'IPFS_REJECTED'
    return new IPFSError(code, `${what}: the gateway ${this.location} answered HTTP ${response.status}${reason ? `: ${reason}` : ''}`)
  }
}
