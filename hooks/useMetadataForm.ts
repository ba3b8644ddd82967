'use client'
/**
 * The register form's state: fields as typed, the document they make,
 * schema problems by field (shown once a field was left, or on submit), and
 * the fields of the current version when updating.
 */
import { useEffect, useMemo, useState } from 'react'
import type { ModuleMetadata } from '../lib/types/metadata.ts'
import { documentFrom, EMPTY_FIELDS, fieldsFrom, issuesByField, type FormFields } from '../lib/web/form.ts'

export type FieldName = keyof FormFields

export interface MetadataForm {
  fields: FormFields
  /** The document to register, rebuilt as the fields change. */
  doc: Record<string, unknown>
  valid: boolean
  /** Problems not tied to one field. */
  otherIssues?: string[]
  /** A field's problems once it was touched; undefined when there are none to show. */
  errorsOf(field: FieldName): string[] | undefined
  setField(field: FieldName, value: string): void
  touch(field: FieldName): void
  touchAll(): void
}

/** `current`: the version being updated (its other properties are kept); its fields fill the form when it arrives. */
export function useMetadataForm(current: ModuleMetadata | undefined): MetadataForm {
  const [fields, setFields] = useState<FormFields>(EMPTY_FIELDS)
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({})
  useEffect(() => { if (current !== undefined) setFields(fieldsFrom(current)) }, [current])
  const doc = useMemo(() => documentFrom(fields, current), [fields, current])
  const issues = useMemo(() => issuesByField(doc), [doc])

  return {
    fields,
    doc,
    valid: Object.keys(issues).length === 0,
    otherIssues: issues[''],
    errorsOf: (field) => (touched[field] ? issues[field] : undefined),
    setField: (field, value) => setFields((now) => ({ ...now, [field]: value })),
    touch: (field) => setTouched((now) => ({ ...now, [field]: true })),
    touchAll: () => setTouched(Object.fromEntries(Object.keys(EMPTY_FIELDS).map((field) => [field, true]))),
  }
}
