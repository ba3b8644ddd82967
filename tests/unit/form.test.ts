/**
 * lib/web/form.ts: the register form's fields → a metadata document, a
 * document → fields, and schema problems keyed by the field they belong to.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { documentFrom, EMPTY_FIELDS, fieldsFrom, issuesByField, type FormFields } from '../../lib/web/form.ts'
import { METADATA_SCHEMA, type ModuleMetadata } from '../../lib/types/metadata.ts'
import { validateMetadata } from '../../lib/types/validate.ts'

const example = JSON.parse(readFileSync(new URL('../../examples/hello-module.json', import.meta.url), 'utf8')) as ModuleMetadata
const NOW = new Date('2025-03-04T05:06:07.891Z')
const good: FormFields = { name: 'my-module', version: '1.2.3', description: 'Does one thing.', license: 'Apache-2.0 OR MIT', keywords: 'one, two', repository: 'https://example.org/repo.git', homepage: 'https://example.org/' }

const NAME_RULE = 'must be 1 to 64 characters of lowercase letters, digits, ".", "_" or "-", beginning and ending with a letter or digit'
const KEYWORD_RULE = 'must be 1 to 32 characters of lowercase letters, digits or "-", beginning with a letter or digit'

describe('documentFrom', () => {
  test('every field, trimmed, in a valid document created now (to the second)', () => {
    const padded = Object.fromEntries(Object.entries(good).map(([k, v]) => [k, ` ${v}\n`])) as unknown as FormFields
    const doc = documentFrom(padded, {}, NOW)
    assert.deepEqual(doc, {
      schema: METADATA_SCHEMA,
      name: 'my-module',
      version: '1.2.3',
      description: 'Does one thing.',
      created: '2025-03-04T05:06:07Z',
      license: 'Apache-2.0 OR MIT',
      repository: 'https://example.org/repo.git',
      homepage: 'https://example.org/',
      keywords: ['one', 'two'],
    })
    assert.equal(validateMetadata(doc).ok, true)
  })

  test('empty optional fields are left out; keywords are split on commas, blanks dropped', () => {
    const doc = documentFrom({ ...good, license: '  ', repository: '', homepage: ' ', keywords: ' , a ,, b-2 ,' }, {}, NOW)
    assert.deepEqual(doc.keywords, ['a', 'b-2'])
    for (const key of ['license', 'repository', 'homepage']) assert.equal(key in doc, false, key)
    assert.equal('keywords' in documentFrom({ ...good, keywords: ' , ' }, {}, NOW), false, 'no keywords at all')
  })

  test('a base version keeps what the form does not show, drops its signature and previous, and takes the fields', () => {
    const base: ModuleMetadata = { ...example, previous: 'bafkreiajopbkhkamxt6lwremvl5y3nm5ulnylm22d2xlwdczdrbfdtt4lq', signature: { type: 'sr25519', value: `0x${'ab'.repeat(64)}` } }
    const doc = documentFrom({ ...fieldsFrom(base), version: '1.1.0', license: '', keywords: '' }, base, NOW)
    assert.equal('signature' in doc, false)
    assert.equal('previous' in doc, false)
    assert.deepEqual(doc.authors, example.authors)
    assert.deepEqual(doc.artifacts, example.artifacts)
    assert.deepEqual(doc['x-example'], example['x-example' as keyof ModuleMetadata])
    assert.equal(doc.version, '1.1.0')
    assert.equal(doc.created, '2025-03-04T05:06:07Z', 'created is now, not the base\'s')
    assert.equal('license' in doc, false, 'a field cleared in the form is gone, even if the base had it')
    assert.equal('keywords' in doc, false)
    assert.equal(doc.repository, example.repository)
    assert.equal(validateMetadata(doc).ok, true)
    assert.equal('signature' in base, true, 'the base is not changed')
  })

  test('fields from a document and back give the same document (but for created)', () => {
    const doc = documentFrom(fieldsFrom(example), example, new Date(example.created!))
    assert.deepEqual(doc, example)
  })
})

describe('fieldsFrom', () => {
  test('a document\'s properties as form text; absent optional ones empty', () => {
    assert.deepEqual(fieldsFrom(example), {
      name: 'hello-module',
      version: '1.0.0',
      description: example.description,
      license: 'MIT-0',
      keywords: 'example, hello, getting-started',
      repository: 'https://github.com/example/hello-module',
      homepage: 'https://example.org/mod-net/hello-module',
    })
    assert.deepEqual(fieldsFrom({ schema: METADATA_SCHEMA, name: 'bare', version: '0.1.0', description: 'd', created: '2025-01-01T00:00:00Z' } as ModuleMetadata),
      { name: 'bare', version: '0.1.0', description: 'd', license: '', keywords: '', repository: '', homepage: '' })
  })
})

describe('issuesByField', () => {
  test('a valid document has no issues', () => {
    assert.deepEqual(issuesByField(documentFrom(good, {}, NOW)), {})
  })

  test('the empty form: the name and the description are missing', () => {
    assert.deepEqual(issuesByField(documentFrom(EMPTY_FIELDS, {}, NOW)), { name: [NAME_RULE], description: ['must not be empty'] })
  })

  test('each field\'s problem is under that field, in words', () => {
    const issues = issuesByField(documentFrom({ ...good, name: 'Bad Name', version: 'v1.0', license: 'NOT A LICENSE', keywords: 'ok, Bad Keyword, ok', repository: 'ftp://example.org/x', homepage: 'nope' }, {}, NOW))
    assert.deepEqual(issues.name, [NAME_RULE])
    assert.deepEqual(issues.version, ['must be a SemVer 2.0 version such as 1.2.3 or 2.0.0-rc.1 (no leading "v")'])
    assert.deepEqual(issues.license, ['must be an SPDX license expression such as MIT or Apache-2.0 OR MIT'])
    assert.deepEqual(issues.repository, ['must be a URL starting with https://, http://, git+https://, git+ssh:// or ssh://'])
    assert.ok(issues.homepage.includes('must be an absolute URL such as https://example.org/'))
    assert.deepEqual(issues.keywords, [KEYWORD_RULE, 'duplicates item 0 (/keywords/0)'], '/keywords/1 and /keywords/2 under keywords')
    assert.equal(issues.description, undefined)
    assert.equal(issues[''], undefined)
  })

  test('a description too long is under description', () => {
    assert.deepEqual(issuesByField(documentFrom({ ...good, description: 'x'.repeat(1025) }, {}, NOW)), { description: ['must be at most 1024 characters long'] })
  })

  test('problems in properties the form does not show are under \'\', naming where they are', () => {
    const issues = issuesByField(documentFrom(good, { authors: [{ name: 'Jane', email: 'not-an-email' }] }, NOW))
    assert.deepEqual(issues, { '': ['/authors/0/email: must be an email address such as jane@example.org'] })
    const unknown = issuesByField(documentFrom(good, { bogus: 1 } as Partial<ModuleMetadata>, NOW))
    assert.deepEqual(unknown, { '': ['/bogus: unknown property "bogus" (extension properties must start with "x-")'] })
  })

  test('a document that is not an object: the problem is under \'\'', () => {
    assert.deepEqual(Object.keys(issuesByField('text')), [''])
    assert.deepEqual(Object.keys(issuesByField(null)), [''])
  })
})
