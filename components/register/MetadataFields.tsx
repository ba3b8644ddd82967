/** The metadata document's fields, each with its hint, or its problems once it was left. */
import type { ReactNode } from 'react'
import type { FieldName, MetadataForm } from '../../hooks/useMetadataForm.ts'
import { TextArea, TextInput } from '../ui/FormControls.tsx'

const FIELDS: Record<FieldName, { label: string; hint: string }> = {
  name: { label: 'Name', hint: 'lowercase letters, digits, . _ -' },
  version: { label: 'Version', hint: 'SemVer, e.g. 1.0.0' },
  description: { label: 'Description', hint: 'what the module does' },
  license: { label: 'License', hint: 'SPDX expression, e.g. MIT or Apache-2.0 OR MIT' },
  keywords: { label: 'Keywords', hint: 'comma-separated' },
  repository: { label: 'Repository', hint: 'https://…' },
  homepage: { label: 'Homepage', hint: 'https://…' },
}

export function MetadataFields({ form }: { form: MetadataForm }) {
  return (Object.keys(FIELDS) as FieldName[]).map((field) => {
    const errors = form.errorsOf(field)
    const control = {
      id: field,
      value: form.fields[field],
      invalid: errors !== undefined,
      'aria-describedby': `${field}-help`,
      onBlur: () => form.touch(field),
    }
    return (
      <FormField key={field} id={field} label={FIELDS[field].label} hint={FIELDS[field].hint} errors={errors}>
        {field === 'description'
          ? <TextArea rows={3} {...control} onChange={(e) => form.setField(field, e.target.value)} />
          : <TextInput {...control} onChange={(e) => form.setField(field, e.target.value)} />}
      </FormField>
    )
  })
}

/** A label, its control, and a help line (`<id>-help`) that turns into the field's problems. */
function FormField({ id, label, hint, errors, children }: { id: string; label: string; hint: string; errors?: string[]; children: ReactNode }) {
  return (
    <div className="text-sm">
      <label htmlFor={id} className="mb-1 block font-medium">{label}</label>
      {children}
      <p id={`${id}-help`} className={`mt-1 text-xs ${errors ? 'text-rose-700 dark:text-rose-400' : 'text-slate-500'}`} data-testid={`${id}-help`}>{errors ? errors.join('; ') : hint}</p>
    </div>
  )
}
