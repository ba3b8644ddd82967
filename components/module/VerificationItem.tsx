/** One verification line: a mark, what was checked, and how. */
export type Mark = 'ok' | 'warn' | 'fail' | 'pending'

const STYLE: Record<Mark, { icon: string; tone: string; label: string }> = {
  ok: { icon: '✓', tone: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300', label: 'verified' },
  warn: { icon: '!', tone: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300', label: 'warning' },
  fail: { icon: '✕', tone: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300', label: 'failed' },
  pending: { icon: '…', tone: 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300', label: 'checking' },
}

export function VerificationItem({ mark, title, detail, testId }: { mark: Mark; title: string; detail: string; testId: string }) {
  const style = STYLE[mark]
  return (
    <li data-testid={testId} data-mark={mark} className="flex gap-3">
      <span className={`mt-0.5 grid h-6 w-6 shrink-0 place-items-center rounded-full text-sm font-bold ${style.tone}`} role="img" aria-label={style.label}>{style.icon}</span>
      <div>
        <p className="font-medium">{title}</p>
        <p className="text-sm text-slate-600 dark:text-slate-400">{detail}</p>
      </div>
    </li>
  )
}
