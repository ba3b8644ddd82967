/**
 * The register form's document: fields as typed → a metadata document, and
 * validation issues keyed by field, so errors show where they belong.
 */
import type { ValidationIssue } from '../types/errors.ts'
import { METADATA_SCHEMA, type ModuleMetadata } from '../types/metadata.ts'
import { validateMetadata } from '../types/validate.ts'

export interface FormFields {
  name: string
  version: string
  description: string
  license: string
  keywords: string
  repository: string
  homepage: string
}

export const EMPTY_FIELDS: FormFields = { name: '', version: '1.0.0', description: '', license: 'MIT', keywords: '', repository: '', homepage: '' }
const FORM_FIELDS = new Set(Object.keys(EMPTY_FIELDS))

/** The document the fields describe (empty optional fields left out); `base` keeps other properties of an existing version. */
export function documentFrom(fields: FormFields, base: Partial<ModuleMetadata> = {}, now = new Date()): Record<string, unknown> {
  const { signature: _signature, previous: _previous, ...kept } = base
  const doc: Record<string, unknown> = { ...kept, schema: METADATA_SCHEMA, name: fields.name.trim(), version: fields.version.trim(), description: fields.description.trim(), created: now.toISOString().replace(/\.\d{3}Z$/, 'Z') }
  const optional: [keyof FormFields, unknown][] = [
    ['license', fields.license.trim()],
    ['repository', fields.repository.trim()],
    ['homepage', fields.homepage.trim()],
    ['keywords', fields.keywords.split(',').map((k) => k.trim()).filter(Boolean)],
  ]
  for (const [key, value] of optional) {
    if (value === '' || (Array.isArray(value) && value.length === 0)) delete doc[key]
    else doc[key] = value
  }
  return doc
}

export function fieldsFrom(metadata: ModuleMetadata): FormFields {
  return {
    name: metadata.name,
    version: metadata.version,
    description: metadata.description,
    license: metadata.license ?? '',
    keywords: (metadata.keywords ?? []).join(', '),
    repository: metadata.repository ?? '',
    homepage: metadata.homepage ?? '',
  }
}

/** Schema problems by form field (`keywords` collects `/keywords/2` too); others under `''`. */
export function issuesByField(doc: unknown): Record<string, string[]> {
  const result = validateMetadata(doc)
  if (result.ok) return {}
  const byField: Record<string, string[]> = {}
  for (const issue of result.issues as ValidationIssue[]) {
    const top = issue.path.split('/')[1] ?? ''
    // A property the form has no field for (kept from `base`) is named in the message, under ''.
    const [field, message] = FORM_FIELDS.has(top) ? [top, issue.message] : ['', issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`]
    ;(byField[field] ??= []).push(message)
  }
  return byField
}
