/** Buttons, and `buttonClass` for links that look like one. */
import type { ComponentPropsWithoutRef } from 'react'

export type ButtonVariant = 'primary' | 'secondary' | 'danger'
export type ButtonSize = 'sm' | 'md' | 'lg'

const VARIANT: Record<ButtonVariant, string> = {
  primary: 'bg-indigo-600 font-medium text-white shadow-sm hover:bg-indigo-500',
  secondary: 'border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800',
  danger: 'bg-rose-600 font-medium text-white hover:bg-rose-500',
}

const SIZE: Record<ButtonSize, string> = {
  sm: 'px-3 py-1.5 text-sm',
  md: 'px-3 py-2 text-sm',
  lg: 'px-4 py-2',
}

export function buttonClass(variant: ButtonVariant, size: ButtonSize = 'sm'): string {
  return `rounded-md disabled:opacity-50 ${VARIANT[variant]} ${SIZE[size]}`
}

export function Button({ variant = 'secondary', size, type = 'button', className = '', ...rest }: { variant?: ButtonVariant; size?: ButtonSize } & ComponentPropsWithoutRef<'button'>) {
  return <button type={type} className={`${buttonClass(variant, size)} ${className}`} {...rest} />
}
