/**
 * Unit tests for lib/types: the v1 metadata schema and validator, canonical
 * JSON (RFC 8785), strict document parsing and module-key signatures.
 */
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'
import { u8aToHex, u8aWrapBytes } from '@polkadot/util'
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import { create as createDigest } from 'multiformats/hashes/digest'
import {
  CanonicalEncodingError,
  ENDPOINT_PROTOCOLS,
  MAX_METADATA_BYTES,
  METADATA_SCHEMA,
  MetadataParseError,
  MetadataValidationError,
  ModnetError,
  SIGNATURE_TYPES,
  assertValidMetadata,
  attachSignature,
  canonicalBytes,
  canonicalJson,
  moduleMetadataJsonSchema,
  parseJsonDocument,
  signMetadata,
  legacySignatureMessage,
  signatureMessage,
  validateMetadata,
  verifyMetadataSignature,
} from '../../lib/types/index.ts'
import type { ModuleMetadata, ValidationIssue } from '../../lib/types/index.ts'

const EXAMPLE_BYTES = readFileSync(new URL('../../examples/hello-module.json', import.meta.url))
const example = (): ModuleMetadata => parseJsonDocument(EXAMPLE_BYTES) as ModuleMetadata
// `any` on purpose: the cases below build documents the types forbid.
type Doc = Record<string, any>

const HELLO_CID = 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq'
const text = (s: string) => new TextEncoder().encode(s)
const sig128 = `0x${'ab'.repeat(64)}`
const sig130 = `0x${'cd'.repeat(65)}`

function assertHumanMessages(issues: ValidationIssue[]): void {
  for (const { message } of issues) {
    assert.equal(typeof message, 'string')
    assert.match(message, /[a-z]{3,}/i, `message should be words: ${message}`)
    assert.doesNotMatch(message, /must match (pattern|format)|must NOT have/, `message should be rewritten: ${message}`)
  }
}

function issuesOf(doc: unknown): ValidationIssue[] {
  const result = validateMetadata(doc)
  assert.equal(result.ok, false, 'document should be invalid')
  return result.ok ? [] : result.issues
}

describe('example and valid documents', () => {
  test('examples/hello-module.json validates', () => {
    const result = validateMetadata(example())
    assert.deepEqual(result.ok ? [] : result.issues, [])
    assert.equal(result.ok, true)
    if (result.ok) assert.equal(result.metadata.schema, METADATA_SCHEMA)
    assert.equal(assertValidMetadata(example()).name, 'hello-module')
  })

  test('the example artifact really is "hello from mod-net\\n"', async () => {
    const bytes = text('hello from mod-net\n')
    const artifact = example().artifacts![0]!
    assert.equal(artifact.size, bytes.length)
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
    assert.equal(artifact.sha256, u8aToHex(digest).slice(2))
    const cid = CID.createV1(0x55 /* raw */, createDigest(0x12 /* sha2-256 */, digest))
    assert.equal(artifact.cid, cid.toString())
  })

  const minimal: Doc = { schema: METADATA_SCHEMA, name: 'm', version: '0.0.0', description: 'x' }
  const valid: { name: string; doc: Doc }[] = [
    { name: 'only required properties', doc: minimal },
    { name: 'prerelease and build metadata', doc: { ...minimal, version: '2.0.0-rc.1+build.5' } },
    { name: 'name with dots and underscores, 64 chars', doc: { ...minimal, name: `a.b_c-${'d'.repeat(57)}z` } },
    { name: 'SPDX expression with OR and WITH', doc: { ...minimal, license: '(Apache-2.0 OR MIT) AND GPL-2.0-only WITH Classpath-exception-2.0' } },
    { name: 'SPDX LicenseRef', doc: { ...minimal, license: 'LicenseRef-Proprietary' } },
    { name: 'git+ssh repository', doc: { ...minimal, repository: 'git+ssh://git@github.com/example/m.git' } },
    { name: 'CIDv0 previous', doc: { ...minimal, previous: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG' } },
    { name: 'base36 CIDv1 previous', doc: { ...minimal, previous: CID.parse(HELLO_CID).toString(base36) } },
    { name: 'dependencies', doc: { ...minimal, dependencies: { tokenizer: '^1.2.0', 'x.y': '>=1.0.0 <2.0.0 || 3.x' } } },
    { name: 'a dependency by key (sr25519-sized)', doc: { ...minimal, dependencies: { tokenizer: { key: `0x${'ab'.repeat(32)}` } } } },
    { name: 'a dependency by key with a version range and a pinned CID, beside one by name', doc: { ...minimal, dependencies: { tokenizer: '^1.2.0', core: { key: `0x02${'cd'.repeat(32)}`, version: '~2.1', cid: HELLO_CID } } } },
    { name: 'ecdsa signature shape', doc: { ...minimal, signature: { type: 'ecdsa', value: sig130 } } },
    { name: 'sr25519 signature shape', doc: { ...minimal, signature: { type: 'sr25519', value: sig128 } } },
    { name: 'extension properties hold anything', doc: { ...minimal, 'x-anything': { deep: [1, null, true] }, 'x-': 3 } },
    { name: 'wss endpoint with offset date-time', doc: { ...minimal, endpoints: [{ url: 'wss://rpc.example.org' }], created: '2025-06-01T12:00:00.5+02:00' } },
    { name: 'artifact of maximum safe size', doc: { ...minimal, artifacts: [{ ...example().artifacts![0]!, size: Number.MAX_SAFE_INTEGER }] } },
  ]
  for (const { name, doc } of valid) {
    test(`valid: ${name}`, () => {
      const result = validateMetadata(doc)
      assert.deepEqual(result.ok ? [] : result.issues, [])
    })
  }

  test('schema enums match the TypeScript constants', () => {
    const props = (moduleMetadataJsonSchema as any).properties
    assert.deepEqual(props.signature.properties.type.enum, [...SIGNATURE_TYPES])
    assert.deepEqual(props.endpoints.items.properties.protocol.enum, [...ENDPOINT_PROTOCOLS])
    assert.equal(props.schema.const, METADATA_SCHEMA)
  })

  test('every property has a title and description; every free string has a maxLength', () => {
    const problems: string[] = []
    const visit = (schema: any, where: string): void => {
      if (typeof schema !== 'object' || schema === null) return
      if (typeof schema.title !== 'string' || typeof schema.description !== 'string') problems.push(`${where}: title/description`)
      if (schema.type === 'string' && schema.maxLength === undefined && schema.const === undefined && schema.enum === undefined) {
        problems.push(`${where}: maxLength`)
      }
      for (const [k, v] of Object.entries(schema.properties ?? {})) visit(v, `${where}/properties/${k}`)
      for (const [k, v] of Object.entries(schema.patternProperties ?? {})) visit(v, `${where}/patternProperties/${k}`)
      for (const [k, v] of Object.entries(schema.$defs ?? {})) visit(v, `${where}/$defs/${k}`)
      for (const key of ['items', 'additionalProperties', 'propertyNames']) {
        if (typeof schema[key] === 'object') visit(schema[key], `${where}/${key}`)
      }
    }
    visit(moduleMetadataJsonSchema, '#')
    assert.deepEqual(problems, [])
  })
})

interface InvalidCase {
  name: string
  mutate: (doc: Doc) => unknown
  paths: string[]
}

const invalidCases: InvalidCase[] = [
  { name: 'missing schema', mutate: (d) => { delete d.schema }, paths: ['/schema'] },
  { name: 'wrong schema identifier', mutate: (d) => { d.schema = 'modnet/module-metadata/v2' }, paths: ['/schema'] },
  { name: 'missing name', mutate: (d) => { delete d.name }, paths: ['/name'] },
  { name: 'missing version', mutate: (d) => { delete d.version }, paths: ['/version'] },
  { name: 'missing description', mutate: (d) => { delete d.description }, paths: ['/description'] },
  { name: 'uppercase name', mutate: (d) => { d.name = 'Hello' }, paths: ['/name'] },
  { name: 'name ending in a dash', mutate: (d) => { d.name = 'hello-' }, paths: ['/name'] },
  { name: 'name of 65 characters', mutate: (d) => { d.name = 'a'.repeat(65) }, paths: ['/name'] },
  { name: 'name is a number', mutate: (d) => { d.name = 42 }, paths: ['/name'] },
  { name: 'version with leading v', mutate: (d) => { d.version = 'v1.2.3' }, paths: ['/version'] },
  { name: 'version with leading =', mutate: (d) => { d.version = '=1.2.3' }, paths: ['/version'] },
  { name: 'version with two parts', mutate: (d) => { d.version = '1.2' }, paths: ['/version'] },
  { name: 'version with leading zero', mutate: (d) => { d.version = '01.2.3' }, paths: ['/version'] },
  { name: 'version padded with spaces', mutate: (d) => { d.version = ' 1.2.3 ' }, paths: ['/version'] },
  { name: 'empty description', mutate: (d) => { d.description = '' }, paths: ['/description'] },
  { name: 'description over 1024 characters', mutate: (d) => { d.description = 'x'.repeat(1025) }, paths: ['/description'] },
  { name: 'unknown top-level property', mutate: (d) => { d.colour = 'red' }, paths: ['/colour'] },
  { name: 'author without a name', mutate: (d) => { delete d.authors[0].name }, paths: ['/authors/0/name'] },
  { name: 'author with a bad email', mutate: (d) => { d.authors[0].email = 'not-an-email' }, paths: ['/authors/0/email'] },
  { name: 'author with a javascript: url', mutate: (d) => { d.authors[0].url = 'javascript:alert(1)' }, paths: ['/authors/0/url'] },
  { name: 'author with an unknown property', mutate: (d) => { d.authors[0].twitter = '@x' }, paths: ['/authors/0/twitter'] },
  { name: 'too many authors', mutate: (d) => { d.authors = Array.from({ length: 33 }, () => ({ name: 'a' })) }, paths: ['/authors'] },
  { name: 'license is not SPDX', mutate: (d) => { d.license = 'Apache 2' }, paths: ['/license'] },
  { name: 'repository with ftp scheme', mutate: (d) => { d.repository = 'ftp://example.org/x' }, paths: ['/repository'] },
  { name: 'homepage is not a URL', mutate: (d) => { d.homepage = 'example dot org' }, paths: ['/homepage'] },
  { name: 'duplicate keyword', mutate: (d) => { d.keywords = ['a', 'b', 'a', 'b', 'a'] }, paths: ['/keywords/2', '/keywords/3', '/keywords/4'] },
  { name: 'uppercase keyword', mutate: (d) => { d.keywords[1] = 'Hello' }, paths: ['/keywords/1'] },
  { name: 'too many keywords', mutate: (d) => { d.keywords = Array.from({ length: 21 }, (_, i) => `k${i}`) }, paths: ['/keywords'] },
  { name: 'artifacts is not an array', mutate: (d) => { d.artifacts = d.artifacts[0] }, paths: ['/artifacts'] },
  { name: 'artifact with a bad CID', mutate: (d) => { d.artifacts[0].cid = 'bafynotacid' }, paths: ['/artifacts/0/cid'] },
  { name: 'artifact with negative size', mutate: (d) => { d.artifacts[0].size = -1 }, paths: ['/artifacts/0/size'] },
  { name: 'artifact with fractional size', mutate: (d) => { d.artifacts[0].size = 1.5 }, paths: ['/artifacts/0/size'] },
  { name: 'artifact larger than 2^53-1', mutate: (d) => { d.artifacts[0].size = 2 ** 53 }, paths: ['/artifacts/0/size'] },
  { name: 'artifact size as a string', mutate: (d) => { d.artifacts[0].size = '19' }, paths: ['/artifacts/0/size'] },
  { name: 'artifact media type without subtype', mutate: (d) => { d.artifacts[0].mediaType = 'text' }, paths: ['/artifacts/0/mediaType'] },
  { name: 'artifact media type with parameters', mutate: (d) => { d.artifacts[0].mediaType = 'text/plain; charset=utf-8' }, paths: ['/artifacts/0/mediaType'] },
  { name: 'artifact sha256 in uppercase', mutate: (d) => { d.artifacts[0].sha256 = d.artifacts[0].sha256.toUpperCase() }, paths: ['/artifacts/0/sha256'] },
  { name: 'artifact missing cid and sha256', mutate: (d) => { delete d.artifacts[0].cid; delete d.artifacts[0].sha256 }, paths: ['/artifacts/0/cid', '/artifacts/0/sha256'] },
  { name: 'second artifact with an unknown property', mutate: (d) => { d.artifacts.push({ ...d.artifacts[0], url: 'https://x' }) }, paths: ['/artifacts/1/url'] },
  { name: 'endpoint with ftp URL', mutate: (d) => { d.endpoints[0].url = 'ftp://example.org' }, paths: ['/endpoints/0/url'] },
  { name: 'endpoint with unknown protocol', mutate: (d) => { d.endpoints[0].protocol = 'smtp' }, paths: ['/endpoints/0/protocol'] },
  { name: 'endpoint without url', mutate: (d) => { delete d.endpoints[0].url }, paths: ['/endpoints/0/url'] },
  { name: 'dependency with a bad name', mutate: (d) => { d.dependencies = { 'Bad Name': '^1.0.0' } }, paths: ['/dependencies/Bad Name'] },
  { name: 'dependency name with a slash', mutate: (d) => { d.dependencies = { 'a/b': '^1.0.0' } }, paths: ['/dependencies/a~1b'] },
  { name: 'dependency with a bad range', mutate: (d) => { d.dependencies = { tokenizer: 'latest' } }, paths: ['/dependencies/tokenizer'] },
  { name: 'dependency with an empty range', mutate: (d) => { d.dependencies = { tokenizer: '' } }, paths: ['/dependencies/tokenizer'] },
  { name: 'dependency by key without a key', mutate: (d) => { d.dependencies = { core: { version: '^1' } } }, paths: ['/dependencies/core/key'] },
  { name: 'dependency key in uppercase hex', mutate: (d) => { d.dependencies = { core: { key: `0x${'AB'.repeat(32)}` } } }, paths: ['/dependencies/core/key'] },
  { name: 'dependency key of 31 bytes', mutate: (d) => { d.dependencies = { core: { key: `0x${'ab'.repeat(31)}` } } }, paths: ['/dependencies/core/key'] },
  { name: 'dependency key as an SS58 address', mutate: (d) => { d.dependencies = { core: { key: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY' } } }, paths: ['/dependencies/core/key'] },
  { name: 'dependency by key with a bad pin and range', mutate: (d) => { d.dependencies = { core: { key: `0x${'ab'.repeat(32)}`, cid: 'Qm123', version: 'latest' } } }, paths: ['/dependencies/core/cid', '/dependencies/core/version'] },
  { name: 'dependency by key with an unknown property', mutate: (d) => { d.dependencies = { core: { key: `0x${'ab'.repeat(32)}`, name: 'core' } } }, paths: ['/dependencies/core/name'] },
  { name: 'dependency that is a number', mutate: (d) => { d.dependencies = { core: 5 } }, paths: ['/dependencies/core'] },
  { name: 'dependency that is an array', mutate: (d) => { d.dependencies = { core: [`0x${'ab'.repeat(32)}`] } }, paths: ['/dependencies/core'] },
  { name: 'previous is not a CID', mutate: (d) => { d.previous = 'ipfs://bafy' }, paths: ['/previous'] },
  { name: 'created is a date only', mutate: (d) => { d.created = '2025-06-01' }, paths: ['/created'] },
  { name: 'created without time zone', mutate: (d) => { d.created = '2025-06-01T12:00:00' }, paths: ['/created'] },
  { name: 'ecdsa signature of 64 bytes', mutate: (d) => { d.signature = { type: 'ecdsa', value: sig128 } }, paths: ['/signature/value'] },
  { name: 'sr25519 signature of 65 bytes', mutate: (d) => { d.signature = { type: 'sr25519', value: sig130 } }, paths: ['/signature/value'] },
  { name: 'signature in uppercase hex', mutate: (d) => { d.signature = { type: 'ed25519', value: sig128.toUpperCase() } }, paths: ['/signature/value'] },
  { name: 'unknown signature type', mutate: (d) => { d.signature = { type: 'rsa', value: sig128 } }, paths: ['/signature/type'] },
  { name: 'signature with extra property', mutate: (d) => { d.signature = { type: 'sr25519', value: sig128, key: '0x' } }, paths: ['/signature/key'] },
  { name: 'signature without value', mutate: (d) => { d.signature = { type: 'sr25519' } }, paths: ['/signature/value'] },
  { name: 'document is an array', mutate: () => [], paths: [''] },
  { name: 'document is null', mutate: () => null, paths: [''] },
  { name: 'extension value is a Date', mutate: (d) => { d['x-when'] = new Date(0) }, paths: ['/x-when'] },
  { name: 'extension value contains NaN', mutate: (d) => { d['x-stats'] = { ratio: Number.NaN } }, paths: ['/x-stats/ratio'] },
  { name: 'canonical form over the size limit', mutate: (d) => { d['x-padding'] = 'x'.repeat(MAX_METADATA_BYTES) }, paths: [''] },
]

describe('invalid documents', () => {
  test('there are at least 25 cases', () => assert.ok(invalidCases.length >= 25))
  for (const { name, mutate, paths } of invalidCases) {
    test(name, () => {
      const doc: Doc = structuredClone(example())
      const replaced = mutate(doc)
      const issues = issuesOf(replaced === undefined ? doc : replaced)
      assert.deepEqual([...new Set(issues.map((i) => i.path))].sort(), [...paths].sort(), JSON.stringify(issues, null, 1))
      assertHumanMessages(issues)
    })
  }

  test('messages say what is wrong in plain words', () => {
    const doc: Doc = example()
    doc.colour = 'red'
    doc.version = 'v1.2.3'
    delete doc.description
    const byPath = Object.fromEntries(issuesOf(doc).map((i) => [i.path, i.message]))
    assert.equal(byPath['/colour'], 'unknown property "colour" (extension properties must start with "x-")')
    assert.match(byPath['/version']!, /SemVer 2\.0 version such as 1\.2\.3/)
    assert.equal(byPath['/description'], 'required property "description" is missing')
  })

  test('many problems are reported together', () => {
    const doc: Doc = example()
    delete doc.schema
    doc.name = 'Bad Name'
    doc.version = '1'
    doc.colour = 'red'
    doc.keywords = ['ok', 'ok']
    doc.artifacts[0].size = -5
    doc.artifacts[0].cid = 'nope'
    doc.endpoints[0].url = 'mailto:a@b.c'
    doc.dependencies = { Dep: 'nope' }
    doc.signature = { type: 'ecdsa', value: sig128 }
    doc['x-bad'] = undefined
    const issues = issuesOf(doc)
    assert.deepEqual(
      [...new Set(issues.map((i) => i.path))].sort(),
      [
        '/schema', '/name', '/version', '/colour', '/keywords/1', '/artifacts/0/size', '/artifacts/0/cid',
        '/endpoints/0/url', '/dependencies/Dep', '/signature/value', '/x-bad',
      ].sort(),
    )
    assertHumanMessages(issues)
  })

  test('assertValidMetadata throws MetadataValidationError listing issues one per line', () => {
    const doc: Doc = example()
    doc.version = 'latest'
    doc.colour = 'red'
    assert.throws(
      () => assertValidMetadata(doc),
      (error: unknown) => {
        assert.ok(error instanceof MetadataValidationError)
        assert.ok(error instanceof ModnetError)
        assert.equal(error.code, 'METADATA_INVALID')
        assert.equal(error.issues.length, 2)
        const lines = error.message.split('\n').slice(1)
        assert.deepEqual(lines.sort(), error.issues.map((i) => `${i.path}: ${i.message}`).sort())
        return true
      },
    )
    assert.throws(() => assertValidMetadata(42), /\(root\): must be an object/)
  })

  test('the size limit applies to the canonical form, not the input text', () => {
    const doc: Doc = example()
    const base = canonicalBytes(doc).length
    const overhead = canonicalBytes({ ...doc, 'x-p': '' }).length - base
    doc['x-p'] = 'y'.repeat(MAX_METADATA_BYTES - base - overhead)
    assert.equal(canonicalBytes(doc).length, MAX_METADATA_BYTES)
    assert.equal(validateMetadata(doc).ok, true)
    // Indented text far over the limit is fine: only the canonical size counts.
    assert.ok(text(JSON.stringify(doc, null, 8)).length > MAX_METADATA_BYTES)
    doc['x-p'] += 'y'
    const issues = issuesOf(doc)
    assert.deepEqual(issues.map((i) => i.path), [''])
    assert.match(issues[0]!.message, new RegExp(`${MAX_METADATA_BYTES + 1} bytes.*${MAX_METADATA_BYTES}`))
  })
})

describe('canonical JSON (RFC 8785)', () => {
  test('key order and whitespace do not matter', () => {
    const a = parseJsonDocument(text('{"b":1,"a":{"y":[3,2,1],"x":"s"}}'))
    const b = parseJsonDocument(text('{\n  "a": {\n    "x": "s",\n    "y": [ 3, 2, 1 ]\n  },\n  "b": 1\n}\n'))
    assert.deepEqual(canonicalBytes(a), canonicalBytes(b))
    assert.equal(canonicalJson(a), '{"a":{"x":"s","y":[3,2,1]},"b":1}')
  })

  test('the example canonicalises identically however it is formatted', () => {
    const doc = example()
    const reordered = Object.fromEntries(Object.entries(doc).reverse())
    assert.deepEqual(canonicalBytes(reordered), canonicalBytes(doc))
    assert.deepEqual(canonicalBytes(parseJsonDocument(text(JSON.stringify(doc, null, 3)))), canonicalBytes(doc))
  })

  test('nested arrays keep their order', () => {
    assert.equal(canonicalJson([[3, [2, 1]], { b: [1, 0] }, []]), '[[3,[2,1]],{"b":[1,0]},[]]')
  })

  test('unicode strings and escapes', () => {
    assert.equal(canonicalJson({ s: 'é€😀\u2028' }), '{"s":"é€😀\u2028"}')
    assert.equal(canonicalJson('\u0000\u001f\b\t\n\f\r"\\/'), '"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\/"')
    assert.deepEqual(canonicalBytes('€'), new Uint8Array([0x22, 0xe2, 0x82, 0xac, 0x22]))
  })

  test('numbers use the ECMAScript form', () => {
    assert.equal(canonicalJson([1.0, 1e21, 1e20, -0, 0.1, 1e-7, 123.456e3, -1.5e-10]), '[1,1e+21,100000000000000000000,0,0.1,1e-7,123456,-1.5e-10]')
    assert.equal(canonicalJson(parseJsonDocument(text('[1.0, 1E21, -0, 2.50]'))), '[1,1e+21,0,2.5]')
  })

  test('RFC 8785 §3.2.2 example', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
    assert.equal(canonicalJson(parseJsonDocument(text(input))), expected)
  })

  test('RFC 8785 §3.2.3 property sorting by UTF-16 code units', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`
    const out = canonicalJson(parseJsonDocument(text(input)))
    assert.equal(
      out,
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    )
  })

  test('RFC 8785 appendix B number samples (IEEE 754 bit patterns)', () => {
    const fromBits = (hex: string): number => new DataView(new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16))).buffer).getFloat64(0)
    const samples: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af6', '1e+23'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['444b1ae4d6e2ef50', '1e+21'],
    ]
    for (const [bits, expected] of samples) assert.equal(canonicalJson(fromBits(bits)), expected, bits)
  })

  const rejects: [string, unknown, string][] = [
    ['NaN', { artifacts: [{ size: Number.NaN }] }, '/artifacts/0/size'],
    ['Infinity', { a: [1, Number.POSITIVE_INFINITY] }, '/a/1'],
    ['-Infinity', Number.NEGATIVE_INFINITY, ''],
    ['undefined property', { a: { b: undefined } }, '/a/b'],
    ['undefined array item', [undefined], '/0'],
    ['array hole', [1, , 3], '/1'], // eslint-disable-line no-sparse-arrays
    ['Date', { created: new Date(0) }, '/created'],
    ['Map', { m: new Map() }, '/m'],
    ['class instance', { c: new (class Point { x = 1 })() }, '/c'],
    ['function', { f: () => 1 }, '/f'],
    ['symbol', { s: Symbol('s') }, '/s'],
    ['bigint', { n: 1n }, '/n'],
    ['Uint8Array', { b: new Uint8Array(1) }, '/b'],
    ['lone surrogate', { s: 'a\ud800b' }, '/s'],
    ['lone surrogate in a key', { ['k\udc00']: 1 }, '/k\udc00'],
    ['escaped path', { 'a/b': { '~c': Number.NaN } }, '/a~1b/~0c'],
  ]
  for (const [name, value, path] of rejects) {
    test(`rejects ${name} with its path`, () => {
      assert.throws(
        () => canonicalJson(value),
        (error: unknown) => {
          assert.ok(error instanceof CanonicalEncodingError)
          assert.ok(error instanceof ModnetError)
          assert.equal(error.code, 'CANONICAL_ENCODING')
          assert.equal(error.path, path)
          assert.ok(error.message.includes(path === '' ? '(root)' : path), error.message)
          return true
        },
      )
    })
  }

  test('rejects circular structures', () => {
    const a: Doc = { b: {} }
    a.b.a = a
    assert.throws(() => canonicalJson(a), { name: 'CanonicalEncodingError', path: '/b/a' })
    const shared = { x: 1 }
    assert.equal(canonicalJson({ a: shared, b: shared }), '{"a":{"x":1},"b":{"x":1}}')
  })

  test('null-prototype objects are plain', () => {
    const o = Object.assign(Object.create(null) as object, { b: 1, a: 2 })
    assert.equal(canonicalJson(o), '{"a":2,"b":1}')
  })
})

describe('parseJsonDocument', () => {
  const parseError = (bytes: Uint8Array, problem: string, pattern: RegExp, path?: string) =>
    assert.throws(
      () => parseJsonDocument(bytes, { maxBytes: 1000 }),
      (error: unknown) => {
        assert.ok(error instanceof MetadataParseError)
        assert.ok(error instanceof ModnetError)
        assert.equal(error.code, 'METADATA_PARSE')
        assert.equal(error.problem, problem)
        assert.match(error.message, pattern)
        assert.equal(error.path, path)
        return true
      },
    )

  test('parses the example', () => assert.equal((parseJsonDocument(EXAMPLE_BYTES) as Doc).name, 'hello-module'))
  test('invalid UTF-8', () => parseError(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'invalid-utf8', /not valid UTF-8/))
  test('overlong UTF-8', () => parseError(new Uint8Array([0x22, 0xc0, 0xaf, 0x22]), 'invalid-utf8', /UTF-8/))
  test('byte order mark', () => parseError(new Uint8Array([0xef, 0xbb, 0xbf, 0x31]), 'byte-order-mark', /byte order mark/))
  test('invalid JSON, with the parser message', () => parseError(text('{"a":1,}'), 'invalid-json', /not valid JSON: .+/))
  test('trailing garbage', () => parseError(text('{} {}'), 'invalid-json', /not valid JSON/))
  test('too large', () => parseError(text(`"${'a'.repeat(1000)}"`), 'too-large', /1002 bytes.*1000/))
  test('nested too deep', () => {
    parseError(text(`${'['.repeat(33)}${']'.repeat(33)}`), 'too-deep', /more than 32 levels/)
    parseError(text(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`), 'too-deep', /more than 32 levels/)
    // Brackets inside strings do not count, escaped quotes do not end a string.
    assert.deepEqual(parseJsonDocument(text(`{"a":"\\"${'['.repeat(40)}\\""}`)), { a: `"${'['.repeat(40)}"` })
    assert.equal((parseJsonDocument(text(`${'['.repeat(32)}${']'.repeat(32)}`)) as unknown[]).length, 1)
  })
  test('duplicate key at the root', () => parseError(text('{"a":1,"b":2,"a":3}'), 'duplicate-key', /duplicate property "a" in \(root\)/, '/a'))
  test('duplicate key deep inside, with escapes', () =>
    parseError(
      text('{"x":[{"q":"\\"{["},{"k":1,"k\\u0031":2,"\\u006b":3}]}'),
      'duplicate-key',
      /duplicate property "k" in \/x\/1/,
      '/x/1/k',
    ))
  test('same key in sibling objects is fine', () => {
    assert.deepEqual(parseJsonDocument(text('[{"a":1},{"a":2},{"b":{"a":3}},"a","a"]')), [{ a: 1 }, { a: 2 }, { b: { a: 3 } }, 'a', 'a'])
  })
  test('strings that look like structure do not confuse the duplicate check', () => {
    assert.deepEqual(parseJsonDocument(text('{"a":"}\\"{,","b":"a","c":["a","a"]}')), { a: '}"{,', b: 'a', c: ['a', 'a'] })
  })
})

describe('signatures', () => {
  const GENESIS = `0x${'ab'.repeat(32)}`
  const AT = { genesisHash: GENESIS, revision: 3 }
  let pairs: Record<'sr25519' | 'ed25519' | 'ecdsa', KeyringPair>
  before(async () => {
    await cryptoWaitReady()
    pairs = {
      sr25519: new Keyring({ type: 'sr25519' }).addFromUri('//Alice'),
      ed25519: new Keyring({ type: 'ed25519' }).addFromUri('//Alice'),
      ecdsa: new Keyring({ type: 'ecdsa' }).addFromUri('//Alice'),
    }
  })

  test('the message is the prefix, the chain and revision, then the canonical unsigned document', () => {
    const doc = example()
    const expected = `modnet/module-metadata-signature/v2:${GENESIS}:3:${canonicalJson(doc)}`
    assert.equal(new TextDecoder().decode(signatureMessage(doc, { genesisHash: GENESIS, revision: 3 })), expected)
    assert.deepEqual(signatureMessage({ ...doc, signature: { type: 'sr25519', value: sig128 } }, AT), signatureMessage(doc, AT))
    for (const binding of [{ genesisHash: GENESIS.toUpperCase(), revision: 0 }, { genesisHash: '0x12', revision: 0 }, { genesisHash: GENESIS, revision: -1 }, { genesisHash: GENESIS, revision: 1.5 }, { genesisHash: GENESIS, revision: 2 ** 32 }]) {
      assert.throws(() => signatureMessage(doc, binding), { code: 'SIGNATURE_INVALID' }, JSON.stringify(binding))
    }
  })

  test('a signature is valid on its chain at its revision only; a version-1 signature says what it is', () => {
    const signed = signMetadata(example(), pairs.sr25519, AT)
    assert.deepEqual(verifyMetadataSignature(signed, pairs.sr25519.publicKey, AT), { status: 'valid' })
    const later = verifyMetadataSignature(signed, pairs.sr25519.publicKey, { ...AT, revision: AT.revision + 1 })
    assert.equal(later.status, 'invalid')
    assert.match(later.reason!, /does not match this document and module key on this chain at revision 4/)
    assert.equal(verifyMetadataSignature(signed, pairs.sr25519.publicKey, { ...AT, genesisHash: `0x${'cd'.repeat(32)}` }).status, 'invalid')
    const v1 = attachSignature(example(), 'sr25519', u8aToHex(pairs.sr25519.sign(legacySignatureMessage(example()))))
    const old = verifyMetadataSignature(v1, pairs.sr25519.publicKey, AT)
    assert.equal(old.status, 'invalid')
    assert.match(old.reason!, /format v1, which binds neither the chain nor the revision/)
  })

  for (const type of ['sr25519', 'ed25519', 'ecdsa'] as const) {
    test(`${type}: sign, validate and verify`, () => {
      const pair = pairs[type]
      assert.equal(pair.publicKey.length, type === 'ecdsa' ? 33 : 32)
      const doc = example()
      const signed = signMetadata(doc, pair, AT)
      assert.equal(doc.signature, undefined, 'input is not modified')
      assert.equal(signed.signature.type, type)
      assert.equal(signed.signature.value.length, type === 'ecdsa' ? 132 : 130)
      assert.deepEqual(validateMetadata(signed).ok, true)
      assert.deepEqual(verifyMetadataSignature(signed, pair.publicKey, AT), { status: 'valid' })
      // Re-serialised in another key order and indentation: still valid.
      const reparsed = parseJsonDocument(text(JSON.stringify(Object.fromEntries(Object.entries(signed).reverse()), null, 2)))
      assert.equal(verifyMetadataSignature(reparsed, pair.publicKey, AT).status, 'valid')
    })

    test(`${type}: tampered document is invalid`, () => {
      const signed: Doc = signMetadata(example(), pairs[type], AT)
      signed.version = '1.0.1'
      const result = verifyMetadataSignature(signed, pairs[type].publicKey, AT)
      assert.equal(result.status, 'invalid')
      assert.match(result.reason!, /does not match/)
    })

    test(`${type}: <Bytes>-wrapped signature (browser extension) is accepted`, () => {
      const doc = example()
      const wrapped = pairs[type].sign(u8aWrapBytes(signatureMessage(doc, AT)))
      const signed = attachSignature(doc, type, u8aToHex(wrapped))
      assert.deepEqual(verifyMetadataSignature(signed, pairs[type].publicKey, AT), { status: 'valid' })
    })
  }

  test('absent signature', () => {
    const result = verifyMetadataSignature(example(), pairs.sr25519.publicKey, AT)
    assert.equal(result.status, 'absent')
  })

  test('wrong key of the same type is invalid', () => {
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob')
    const signed = signMetadata(example(), pairs.sr25519, AT)
    assert.equal(verifyMetadataSignature(signed, bob.publicKey, AT).status, 'invalid')
    const bobEcdsa = new Keyring({ type: 'ecdsa' }).addFromUri('//Bob')
    assert.equal(verifyMetadataSignature(signMetadata(example(), pairs.ecdsa, AT), bobEcdsa.publicKey, AT).status, 'invalid')
  })

  test('key that cannot have made the declared signature type is invalid', () => {
    const ecdsaSigned = signMetadata(example(), pairs.ecdsa, AT)
    const r1 = verifyMetadataSignature(ecdsaSigned, pairs.sr25519.publicKey, AT)
    assert.equal(r1.status, 'invalid')
    assert.match(r1.reason!, /32-byte module key cannot have made a ecdsa signature/)
    const r2 = verifyMetadataSignature(signMetadata(example(), pairs.sr25519, AT), pairs.ecdsa.publicKey, AT)
    assert.equal(r2.status, 'invalid')
  })

  test('signature declared with the wrong scheme is invalid', () => {
    const signed = signMetadata(example(), pairs.sr25519, AT)
    const mislabelled = { ...signed, signature: { type: 'ed25519' as const, value: signed.signature.value } }
    const result = verifyMetadataSignature(mislabelled, pairs.sr25519.publicKey, AT)
    assert.equal(result.status, 'invalid')
  })

  test('malformed signature objects are invalid, not exceptions', () => {
    const key = pairs.sr25519.publicKey
    for (const signature of [null, 'x', { type: 'sr25519' }, { type: 'rsa', value: sig128 }, { type: 'sr25519', value: '0x12' }]) {
      const result = verifyMetadataSignature({ ...example(), signature }, key, AT)
      assert.equal(result.status, 'invalid', JSON.stringify(signature))
      assert.ok(result.reason)
    }
    assert.equal(verifyMetadataSignature('not a doc', key, AT).status, 'invalid')
    assert.equal(verifyMetadataSignature(signMetadata(example(), pairs.sr25519, AT), new Uint8Array(31), AT).status, 'invalid')
  })

  test('ethereum pairs and wrong-length signatures are refused when signing', () => {
    const eth = new Keyring({ type: 'ethereum' }).addFromSeed(new Uint8Array(32).fill(7))
    assert.throws(() => signMetadata(example(), eth, AT), { code: 'SIGNATURE_INVALID' })
    assert.throws(() => signMetadata(example(), { type: 'ecdsa', sign: () => new Uint8Array(64) }, AT), { code: 'SIGNATURE_INVALID' })
  })
})

test('the schema\'s cid format refuses a CID string with a character above U+00FF (multiformats would read it as a digit)', async () => {
  const { isCid } = await import('../../lib/types/validate.ts')
  const cid = 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG'
  assert.equal(isCid(cid), true)
  assert.equal(isCid(`${cid.slice(0, 10)}€${cid.slice(11)}`), false)
  assert.equal(isCid(`bafkreibiifug${'\u00e9'}`), false)
})
