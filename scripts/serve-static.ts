/**
 * Serves a directory (the web app's static export) over HTTP on loopback,
 * the way any static host would: files as they are, `dir/` → `dir/index.html`.
 * Hardened like the gateway (gateway/http/guard.ts): malformed requests,
 * bad percent-encoding and slow clients get a 4xx in words, never a crash.
 *
 *   node scripts/serve-static.ts DIR [--port 3000] [--host 127.0.0.1] [--headers-timeout S] [--request-timeout S]
 */
import { createReadStream, statSync } from 'node:fs'
import type { Server } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createGuardedServer, DEFAULT_GUARD_LIMITS, type GuardLimits } from '../gateway/http/guard.ts'
import { HttpError, sendJson } from '../gateway/http/http-error.ts'
import { decodePathSegment, parseRequestTarget } from '../gateway/http/request-target.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

export function serveStatic(directory: string, limits: GuardLimits = DEFAULT_GUARD_LIMITS): Server {
  const root = resolve(directory)
  return createGuardedServer((req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'GET or HEAD only: this is a static site', {}, { allow: 'GET, HEAD' })
      const pathname = decodePathSegment(parseRequestTarget(req.url).pathname)
      if (pathname.includes('\0')) throw new HttpError(400, 'the path contains a NUL byte')
      let file = normalize(join(root, pathname))
      if (file !== root && !file.startsWith(root + sep)) throw new HttpError(403, 'the path leaves the site')
      try {
        if (statSync(file).isDirectory()) file = join(file, 'index.html')
        const size = statSync(file).size
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size, 'x-content-type-options': 'nosniff' })
        if (req.method === 'HEAD') return void res.end()
        createReadStream(file).on('error', () => res.destroy()).pipe(res)
      } catch {
        throw new HttpError(404, `not found: ${pathname.slice(0, 200)}`)
      }
    } catch (error) {
      const failure = error instanceof HttpError ? error : new HttpError(500, 'internal error')
      sendJson(res, failure.status, failure.body, failure.headers)
    }
  }, { limits })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '3000' },
      host: { type: 'string', default: '127.0.0.1' },
      'headers-timeout': { type: 'string', default: String(DEFAULT_GUARD_LIMITS.headersTimeoutMs / 1000) },
      'request-timeout': { type: 'string', default: String(DEFAULT_GUARD_LIMITS.requestTimeoutMs / 1000) },
    },
  })
  const seconds = (name: 'headers-timeout' | 'request-timeout') => {
    const value = Number(values[name])
    if (!(value > 0)) {
      console.error(`--${name} must be a positive number of seconds, not "${values[name]}"`)
      process.exit(2)
    }
    return value * 1000
  }
  const server = serveStatic(positionals[0] ?? 'out', { ...DEFAULT_GUARD_LIMITS, headersTimeoutMs: seconds('headers-timeout'), requestTimeoutMs: seconds('request-timeout') })
  server.listen(Number(values.port), values.host, () => {
    const address = server.address()
    console.log(`web app on http://${values.host}:${typeof address === 'object' && address !== null ? address.port : values.port}/`)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)))
}
