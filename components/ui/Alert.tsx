/**
 * A boxed message. Errors and warnings are announced (`role="alert"`); info
 * and success are not, unless the caller passes a role.
 */
import type { ComponentPropsWithoutRef } from 'react'

export type AlertTone = 'error' | 'warning' | 'info' | 'success'

const TONE: Record<AlertTone, string> = {
  error: 'border-rose-300 bg-rose-50 text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200',
  warning: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200',
  info: 'border-slate-300 bg-slate-50 text-slate-800 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200',
  success: 'border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
}

export function Alert({ tone, className = '', ...rest }: { tone: AlertTone } & ComponentPropsWithoutRef<'p'>) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : undefined
  return <p role={role} className={`break-words rounded-md border p-3 text-sm ${TONE[tone]} ${className}`} {...rest} />
}

/** A one-line error under the control it is about. */
export function ErrorText({ className = '', ...rest }: ComponentPropsWithoutRef<'span'>) {
  return <span role="alert" className={`text-rose-700 dark:text-rose-400 ${className}`} {...rest} />
}
