/** Form controls with the app's look; `invalid` outlines a control whose value has problems. */
import type { ComponentPropsWithoutRef, ReactNode } from 'react'

export function controlClass(invalid = false): string {
  return `w-full rounded-md border bg-white px-3 py-2 shadow-sm dark:bg-slate-950 ${invalid ? 'border-rose-500' : 'border-slate-300 dark:border-slate-700'}`
}

/** A control inside its label: the label text above it, so clicking the text focuses the control. */
export function LabeledControl({ label, className = '', children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <label className={`block text-sm ${className}`}>
      <span className="mb-1 block font-medium">{label}</span>
      {children}
    </label>
  )
}

export function TextInput({ invalid, ...rest }: { invalid?: boolean } & ComponentPropsWithoutRef<'input'>) {
  return <input aria-invalid={invalid || undefined} className={controlClass(invalid)} {...rest} />
}

export function TextArea({ invalid, ...rest }: { invalid?: boolean } & ComponentPropsWithoutRef<'textarea'>) {
  return <textarea aria-invalid={invalid || undefined} className={controlClass(invalid)} {...rest} />
}

export function Select(props: ComponentPropsWithoutRef<'select'>) {
  return <select className={controlClass()} {...props} />
}
