/**
 * GET/HEAD /ipfs/<cid>: blocks (`?format=raw`) and verified content.
 */
import type { IPFSClient } from '../../lib/ipfs/client.ts'
import { HttpError } from '../http/http-error.ts'
import { cidParam } from './api.ts'
import { CORS, type Handler } from './context.ts'

export interface IpfsDeps {
  ipfs: IPFSClient
  /** Largest content served without ?format=raw. */
  maxContentBytes: number
}

export function ipfsRoutes(deps: IpfsDeps): { ipfsRead: Handler } {
  return {
    async ipfsRead({ req, res, target, params }) {
      const cid = cidParam(params[0])
      const format = target.query.get('format') ?? (accepts(req, 'application/vnd.ipld.raw') ? 'raw' : accepts(req, 'application/vnd.ipld.car') ? 'car' : '')
      if (format !== '' && format !== 'raw') throw new HttpError(406, `format "${format}" is not served here: ask for ?format=raw (one block) or for the content`)
      const headers = {
        'x-ipfs-path': `/ipfs/${cid}`,
        'x-ipfs-roots': cid,
        'cache-control': 'public, max-age=29030400, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'Accept',
      }
      const bytes = format === 'raw'
        ? await deps.ipfs.getBlock(cid, { attempts: 1 })
        : await deps.ipfs.cat(cid, { attempts: 1, maxBytes: deps.maxContentBytes })
      const contentType = format === 'raw' ? 'application/vnd.ipld.raw' : 'application/octet-stream'
      res.writeHead(200, { ...CORS, ...headers, 'content-type': contentType, 'content-length': bytes.length, etag: `"${cid}${format === 'raw' ? '.raw' : ''}"` })
      res.end(req.method === 'HEAD' ? undefined : bytes)
    },
  }
}

function accepts(req: import('node:http').IncomingMessage, type: string): boolean {
  return (req.headers.accept ?? '').split(',').some((part) => part.split(';')[0].trim() === type)
}
