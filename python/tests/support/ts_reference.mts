/**
 * The TypeScript library's answers, for the Python client's cross-language
 * tests: reads a JSON array of requests on stdin, prints a JSON array of
 * answers (one per request, in order). Run with node >= 24 (type stripping).
 *
 *   {"op":"parse","b64":…}            → {canonical: b64, cid} | {problem}
 *   {"op":"cid","b64":…}              → {cid}            (computeCid of the bytes)
 *   {"op":"blob","size":n}            → {cid}            (bytes (i*31+7) % 251)
 *   {"op":"validate","b64":…}         → {issues} | {problem}
 *   {"op":"format","name":…,"values":[…]} → {results: [bool…]}
 *   {"op":"parseCid","value":…}       → {cid} | {code}
 *   {"op":"importSmall","b64":…,"chunkSize":n,"maxLinks":m} → {cid}  (ipfs-unixfs-importer, computeCid's
 *                                      settings but small chunks and few links: deep trees in few bytes)
 *   {"op":"signatureMessage","b64":…,"genesisHash":…,"revision":n} → {message: b64, legacy: b64} | {problem}
 *                                      | {error: code or error name, message}  (what a module key signs for the
 *                                      parsed document on that chain at that revision, and the version-1 message)
 */
import { fullFormats } from 'ajv-formats/dist/formats.js'
import { canonicalBytes, parseJsonDocument } from '../../../lib/types/canonical.ts'
import { validateMetadata, isSemverVersion, isSemverRange, isSpdxExpression, isCid } from '../../../lib/types/validate.ts'
import { computeCid, parseCid } from '../../../lib/ipfs/cid.ts'
import { isModnetError } from '../../../lib/types/errors.ts'
import { legacySignatureMessage, signatureMessage } from '../../../lib/types/signature.ts'
import { importFile } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

type Request = {
  op: string; b64?: string; size?: number; name?: string; values?: string[]; value?: string; chunkSize?: number; maxLinks?: number
  genesisHash?: string; revision?: number
}

const dateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate
const FORMATS: Record<string, (value: string) => boolean> = {
  semver: isSemverVersion,
  'semver-range': isSemverRange,
  spdx: isSpdxExpression,
  cid: isCid,
  email: (value) => (fullFormats.email as RegExp).test(value),
  uri: fullFormats.uri as (value: string) => boolean,
  'date-time': dateTime,
}

const bytesOf = (b64: string | undefined): Uint8Array => new Uint8Array(Buffer.from(b64 ?? '', 'base64'))

async function answer(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'parse': {
      let document: unknown
      try {
        document = parseJsonDocument(bytesOf(request.b64))
      } catch (error) {
        return { problem: (error as { problem?: string }).problem ?? 'other' }
      }
      try {
        const canonical = canonicalBytes(document)
        return { canonical: Buffer.from(canonical).toString('base64'), cid: (await computeCid(canonical)).toString() }
      } catch (error) {
        return { encodingError: (error as { path?: string }).path ?? '' }
      }
    }
    case 'cid':
      return { cid: (await computeCid(bytesOf(request.b64))).toString() }
    case 'blob': {
      const size = request.size ?? 0
      const bytes = new Uint8Array(size)
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 251
      return { cid: (await computeCid(bytes)).toString() }
    }
    case 'validate': {
      let document: unknown
      try {
        document = parseJsonDocument(bytesOf(request.b64))
      } catch (error) {
        return { problem: (error as { problem?: string }).problem ?? 'other' }
      }
      const result = validateMetadata(document)
      return { issues: result.ok ? [] : result.issues }
    }
    case 'format': {
      const check = FORMATS[request.name ?? '']
      return { results: (request.values ?? []).map((value) => check(value)) }
    }
    case 'parseCid':
      try {
        return { cid: parseCid(request.value ?? '').toString() }
      } catch (error) {
        return { code: isModnetError(error) ? error.code : 'other' }
      }
    case 'importSmall': {
      const discard = { async put(cid: unknown): Promise<unknown> { return cid } }
      const settings = {
        cidVersion: 1 as const,
        rawLeaves: true,
        chunker: fixedSize({ chunkSize: request.chunkSize }),
        layout: balanced({ maxChildrenPerNode: request.maxLinks }),
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { cid } = await importFile({ content: bytesOf(request.b64) }, discard as any, settings)
      return { cid: cid.toString() }
    }
    case 'signatureMessage': {
      let document: unknown
      try {
        document = parseJsonDocument(bytesOf(request.b64))
      } catch (error) {
        return { problem: (error as { problem?: string }).problem ?? 'other' }
      }
      try {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const message = signatureMessage(document as any, { genesisHash: request.genesisHash as string, revision: request.revision as number })
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return { message: Buffer.from(message).toString('base64'), legacy: Buffer.from(legacySignatureMessage(document as any)).toString('base64') }
      } catch (error) {
        return { error: isModnetError(error) ? error.code : (error as Error).name, message: (error as Error).message }
      }
    }
    default:
      return { error: `unknown op ${request.op}` }
  }
}

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
const requests = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request[]
const answers: unknown[] = []
for (const request of requests) answers.push(await answer(request))
process.stdout.write(JSON.stringify(answers))
