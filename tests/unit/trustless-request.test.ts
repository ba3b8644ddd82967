/**
 * Trustless gateway requests on their own: format negotiation (?format=,
 * Accept, CAR parameters and their precedence), entity-bytes, HTTP ranges
 * over a block, and the response headers (ETags, Content-Disposition,
 * If-None-Match, Content-Location).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import { HttpError } from '../../gateway/http/http-error.ts'
import { parseRange } from '../../gateway/trustless/byte-range.ts'
import { parseEntityBytes, resolveEntityBytes } from '../../gateway/trustless/entity-bytes.ts'
import { attachment, carContentType, carEtag, contentLocation, notModified, rawEtag } from '../../gateway/trustless/headers.ts'
import { negotiate, parseAccept } from '../../gateway/trustless/negotiate.ts'

const q = (text: string) => new URLSearchParams(text)
const CAR = 'application/vnd.ipld.car'
const RAW = 'application/vnd.ipld.raw'

/** Runs `run` and returns the HttpError status it throws. */
function status(run: () => unknown): number {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof HttpError, `expected an HttpError, got ${error}`)
    assert.ok(error.message.length > 10, 'refusals say why in words')
    return error.status
  }
  assert.fail('expected a refusal')
}

describe('format negotiation', () => {
  test('?format= chooses raw or CAR, whatever Accept says', () => {
    assert.equal(negotiate(q('format=raw'), CAR).format, 'raw')
    assert.equal(negotiate(q('format=car'), RAW).format, 'car')
    assert.equal(negotiate(q('format=raw'), undefined).negotiatedBy, 'query')
  })

  test('without ?format=, Accept chooses; the highest q wins, then the first listed', () => {
    assert.equal(negotiate(q(''), RAW).format, 'raw')
    assert.equal(negotiate(q(''), `${CAR}; version=1`).format, 'car')
    assert.equal(negotiate(q(''), `${RAW};q=0.5, ${CAR}`).format, 'car')
    assert.equal(negotiate(q(''), `${RAW}, ${CAR}`).format, 'raw')
    assert.equal(negotiate(q(''), `text/html, ${CAR};version=2, ${RAW};q=0.1`).format, 'raw', 'CARv2 is skipped, raw is still acceptable')
    assert.equal(negotiate(q(''), RAW).negotiatedBy, 'accept')
  })

  test('no Accept, a browser Accept or a generic one gives the content', () => {
    for (const accept of [undefined, '', '*/*', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json', `application/vnd.ipld.dag-json, */*`]) {
      const request = negotiate(q(''), accept)
      assert.equal(request.format, 'content', String(accept))
      assert.equal(request.negotiatedBy, 'default')
    }
  })

  test('an unsupported format, or an Accept of only IPLD types not served here, is a 406', () => {
    for (const format of ['tar', 'dag-json', 'dag-cbor', 'ipns-record', 'json', 'nonsense']) assert.equal(status(() => negotiate(q(`format=${format}`), undefined)), 406, format)
    assert.equal(status(() => negotiate(q(''), 'application/vnd.ipld.dag-json')), 406)
    assert.equal(status(() => negotiate(q(''), `${CAR}; version=2`)), 406)
    assert.equal(status(() => negotiate(q(''), `${RAW};q=0`)), 406)
    assert.equal(status(() => negotiate(q('format=car&car-version=2'), undefined)), 406)
  })

  test('an empty ?format= is no format', () => {
    assert.equal(negotiate(q('format='), RAW).format, 'raw')
  })
})

describe('CAR parameters', () => {
  test('defaults: dag-scope=all, order=dfs, dups=n', () => {
    assert.deepEqual(negotiate(q('format=car'), undefined).car, { scope: 'all', entityBytes: undefined, order: 'dfs', dups: false })
  })

  test('order and dups come from the Accept entry, the car-* query parameters take precedence (IPIP-523)', () => {
    assert.deepEqual(pick(negotiate(q(''), `${CAR}; version=1; order=unk; dups=y`).car), ['unk', true])
    assert.deepEqual(pick(negotiate(q('format=car'), `${CAR}; order=dfs; dups=y`).car), ['dfs', true], '?format=car keeps the Accept parameters')
    assert.deepEqual(pick(negotiate(q('format=car&car-order=dfs'), `${CAR}; order=unk`).car), ['dfs', false])
    assert.deepEqual(pick(negotiate(q('format=car&car-dups=y'), `${CAR}; dups=n`).car), ['dfs', true])
    assert.deepEqual(pick(negotiate(q(''), `${CAR}; order="unk"`).car), ['unk', false], 'quoted parameter values')
  })

  test('bad values: 400 in the query, 406 in Accept', () => {
    assert.equal(status(() => negotiate(q('format=car&car-order=bfs'), undefined)), 400)
    assert.equal(status(() => negotiate(q('format=car&car-dups=maybe'), undefined)), 400)
    assert.equal(status(() => negotiate(q('format=car&dag-scope=most'), undefined)), 400)
    assert.equal(status(() => negotiate(q(''), `${CAR}; order=bfs`)), 406)
  })

  test('entity-bytes implies dag-scope=entity, except beside dag-scope=block', () => {
    assert.deepEqual(negotiate(q('format=car&entity-bytes=0:99'), undefined).car.scope, 'entity')
    assert.deepEqual(negotiate(q('format=car&dag-scope=all&entity-bytes=-5:*'), undefined).car.entityBytes, { from: -5 })
    const block = negotiate(q('format=car&dag-scope=block&entity-bytes=0:99'), undefined).car
    assert.equal(block.scope, 'block')
    assert.equal(block.entityBytes, undefined)
  })

  test('the CAR parameters are ignored for raw blocks', () => {
    assert.equal(negotiate(q('format=raw&dag-scope=nonsense&car-version=7'), undefined).format, 'raw')
  })

  function pick(car: { order: string; dups: boolean }): [string, boolean] {
    return [car.order, car.dups]
  }
})

describe('Accept parsing', () => {
  test('types are lowercased, parameters kept, q read, junk skipped', () => {
    const ranges = parseAccept('Application/Vnd.IPLD.CAR ; Version=1 ; q=0.5, garbage, */*;q=0.1, text/plain;q=7')
    assert.deepEqual(ranges.map((range) => [range.type, range.q]), [['application/vnd.ipld.car', 0.5], ['*/*', 0.1], ['text/plain', 1]])
    assert.deepEqual(ranges[0].params, { version: '1' })
  })

  test('commas and semicolons inside quotes do not split', () => {
    const [range] = parseAccept('application/vnd.ipld.car; note="a, b; c"; order=dfs')
    assert.deepEqual(range.params, { note: 'a, b; c', order: 'dfs' })
  })

  test('at most 64 entries are looked at', () => {
    assert.equal(parseAccept(Array.from({ length: 500 }, () => 'text/plain').join(',')).length, 64)
  })
})

describe('entity-bytes', () => {
  test('parses from:to, * and negative offsets', () => {
    assert.deepEqual(parseEntityBytes('0:1023'), { from: 0, to: 1023 })
    assert.deepEqual(parseEntityBytes('512:*'), { from: 512 })
    assert.deepEqual(parseEntityBytes('-9999:-3'), { from: -9999, to: -3 })
    assert.deepEqual(parseEntityBytes('499:-1000'), { from: 499, to: -1000 })
  })

  test('malformed or backwards ranges are a 400', () => {
    for (const text of ['', '5', '1:2:3', 'a:b', '1.5:2', '*:5', '10:5', '-3:-9', '1e3:*', '9999999999999999:*']) {
      assert.equal(status(() => parseEntityBytes(text)), 400, text)
    }
  })

  test('resolves against the entity size as the spec examples do (a 1026-byte file)', () => {
    const size = 1026
    const resolve = (text: string) => resolveEntityBytes(parseEntityBytes(text), size)
    assert.deepEqual(resolve('0:*'), { first: 0, last: 1025 })
    assert.deepEqual(resolve('512:1023'), { first: 512, last: 1023 })
    assert.deepEqual(resolve('512:-256'), { first: 512, last: 770 })
    assert.deepEqual(resolve('-5:*'), { first: 1021, last: 1025 })
    assert.deepEqual(resolve('-9999:*'), { first: 0, last: 1025 })
    assert.deepEqual(resolve('-9999:-3'), { first: 0, last: 1023 })
    assert.deepEqual(resolve('0:0'), { first: 0, last: 0 })
    assert.deepEqual(resolve('1000:5000'), { first: 1000, last: 1025 }, 'a range running past the end is cut at the end')
    assert.equal(resolve('600:-500'), undefined, 'an empty range: only the root block')
    assert.equal(resolveEntityBytes(undefined, 0), undefined, 'an empty file: only the root block')
    assert.deepEqual(resolveEntityBytes(undefined, 10), { first: 0, last: 9 })
    assert.equal(status(() => resolve('1026:*')), 400, 'a range wholly past the end is known before anything is sent')
  })
})

describe('HTTP Range over a block', () => {
  test('one range is a part; suffixes and open ends work', () => {
    assert.deepEqual(parseRange('bytes=6-16', 57), { kind: 'part', start: 6, end: 16 })
    assert.deepEqual(parseRange('bytes=50-', 57), { kind: 'part', start: 50, end: 56 })
    assert.deepEqual(parseRange('bytes=-5', 57), { kind: 'part', start: 52, end: 56 })
    assert.deepEqual(parseRange('bytes=-500', 57), { kind: 'part', start: 0, end: 56 })
    assert.deepEqual(parseRange('bytes=10-1000', 57), { kind: 'part', start: 10, end: 56 })
  })

  test('several ranges, other units and malformed headers get the whole block', () => {
    for (const header of [undefined, 'bytes=7-9,1-3', 'items=1-2', 'bytes=9-7', 'bytes=-', 'bytes=a-b', 'nonsense']) {
      assert.deepEqual(parseRange(header, 57), { kind: 'whole' }, String(header))
    }
  })

  test('a range past the end, or a zero suffix, cannot be satisfied', () => {
    assert.deepEqual(parseRange('bytes=57-', 57), { kind: 'unsatisfiable' })
    assert.deepEqual(parseRange('bytes=-0', 57), { kind: 'unsatisfiable' })
  })
})

describe('response headers', () => {
  const root = CID.parse('bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa')
  const base = { scope: 'all' as const, order: 'dfs' as const, dups: false }

  test('a CAR ETag differs with every parameter and the path, and is stable', () => {
    const tags = [
      carEtag(root, [], base),
      carEtag(root, ['a'], base),
      carEtag(root, ['a', 'b'], base),
      carEtag(root, ['a/b'], base),
      carEtag(root, [], { ...base, scope: 'entity' }),
      carEtag(root, [], { ...base, scope: 'block' }),
      carEtag(root, [], { ...base, scope: 'entity', entityBytes: { from: 0, to: 9 } }),
      carEtag(root, [], { ...base, scope: 'entity', entityBytes: { from: 0 } }),
      carEtag(root, [], { ...base, order: 'unk' }),
      carEtag(root, [], { ...base, dups: true }),
    ]
    assert.equal(new Set(tags).size, tags.length)
    assert.equal(carEtag(root, ['a'], base), carEtag(root, ['a'], { ...base }))
    assert.match(tags[0], /^"bafy\w+\.car\.[\w-]{16}"$/)
    assert.notEqual(tags[0], rawEtag(root))
    assert.equal(rawEtag(root), `"${root}.raw"`)
  })

  test('the CAR Content-Type says version, order and dups', () => {
    assert.equal(carContentType({ ...base, order: 'unk', dups: true }), 'application/vnd.ipld.car; version=1; order=unk; dups=y')
  })

  test('If-None-Match: exact tags, lists, weak forms and * match; other tags do not', () => {
    const etag = rawEtag(root)
    assert.ok(notModified(etag, etag))
    assert.ok(notModified(`"x", ${etag}`, etag))
    assert.ok(notModified(`W/${etag}`, etag))
    assert.ok(notModified('*', etag))
    assert.ok(!notModified(undefined, etag))
    assert.ok(!notModified(`"${root}"`, etag), 'the content ETag is not the raw block ETag')
    assert.ok(!notModified(carEtag(root, [], base), etag))
  })

  test('Content-Disposition is an attachment; odd names are made safe, non-ASCII ones get filename*', () => {
    assert.equal(attachment('foobar.bin'), 'attachment; filename="foobar.bin"')
    assert.equal(attachment('a"b\\c/d\r\ne.bin'), 'attachment; filename="a_b_c_d__e.bin"')
    assert.equal(attachment('résumé.car'), `attachment; filename="r_sum_.car"; filename*=UTF-8''r%C3%A9sum%C3%A9.car`)
    assert.equal(attachment(''), 'attachment; filename="download"')
  })

  test('Content-Location names the format only when Accept chose it', () => {
    const viaAccept = negotiate(q(''), `${CAR}; dups=y`)
    assert.equal(contentLocation('/ipfs/x/y', q('dag-scope=block'), viaAccept), '/ipfs/x/y?dag-scope=block&format=car&car-order=dfs&car-dups=y')
    assert.equal(contentLocation('/ipfs/x', q(''), negotiate(q(''), RAW)), '/ipfs/x?format=raw')
    assert.equal(contentLocation('/ipfs/x', q('format=raw'), negotiate(q('format=raw'), undefined)), undefined)
  })
})
