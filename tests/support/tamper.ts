/** An HTTP proxy that flips one byte of every successful response body it relays: a lying gateway. */
import { createServer, type Server } from 'node:http'

export async function tamperingProxy(target: string): Promise<{ server: Server; url: string; tampered: () => number }> {
  let count = 0
  const server = createServer(async (req, res) => {
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } })
    const body = new Uint8Array(await upstream.arrayBuffer())
    if (upstream.ok && body.length > 0 && req.url?.startsWith('/ipfs/')) {
      body[0] ^= 0x20
      count++
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
      'access-control-allow-origin': '*',
    })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return { server, url: `http://127.0.0.1:${address.port}`, tampered: () => count }
}
