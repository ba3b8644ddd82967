/**
 * Writes a CARv1 (`@ipld/car`'s CarWriter) to an HTTP response as its blocks
 * arrive, with backpressure: the next block is only read once the client has
 * taken the previous ones. A client that goes away stops the walk (its
 * reads are aborted); a walk that fails ends here with the error, for the
 * caller to cut the response.
 */
import type { ServerResponse } from 'node:http'
import { CarWriter } from '@ipld/car/writer'
import type { CID } from 'multiformats/cid'
import type { Block } from './block-reader.ts'

export async function writeCar(res: ServerResponse, roots: CID[], blocks: AsyncIterable<Block>): Promise<void> {
  const { writer, out } = CarWriter.create(roots)
  let failure: { error: unknown } | undefined
  // `put` resolves once its bytes have been taken from `out` below, so blocks are read no faster than they are sent.
  const producing = (async () => {
    try {
      for await (const block of blocks) await writer.put(block)
    } catch (error) {
      failure = { error }
    } finally {
      await writer.close()
    }
  })()
  for await (const chunk of out) {
    // Once the client is gone, keep taking from `out` so the walk reaches its (aborted) next read and stops.
    if (res.destroyed || res.writableEnded) continue
    if (!res.write(chunk)) await drained(res)
  }
  await producing
  if (failure !== undefined) throw failure.error
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}
