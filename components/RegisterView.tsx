'use client'
/**
 * Register or update a module: metadata built in a form and validated as you
 * type, its CID computed here, uploaded through the gateway (whose CID must
 * match), then the extrinsic signed by the chosen account, with progress.
 */
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react'
import type { ModuleMetadata } from '../lib/types/metadata.ts'
import type { TxProgress } from '../lib/types/chain.ts'
import { documentFrom, EMPTY_FIELDS, fieldsFrom, issuesByField, type FormFields } from '../lib/web/form.ts'
import { moduleDetails } from '../lib/web/modules.ts'
import { session } from '../lib/web/session.ts'
import { loadAccounts, type WalletAccount } from '../lib/web/wallet.ts'
import { SiteLink, viewHref } from './SiteLink.tsx'

type Step = { label: string; state: 'done' | 'active' | 'failed' }

const LABELS: Record<keyof FormFields, { label: string; hint: string }> = {
  name: { label: 'Name', hint: 'lowercase letters, digits, . _ -' },
  version: { label: 'Version', hint: 'SemVer, e.g. 1.0.0' },
  description: { label: 'Description', hint: 'what the module does' },
  license: { label: 'License', hint: 'SPDX expression, e.g. MIT or Apache-2.0 OR MIT' },
  keywords: { label: 'Keywords', hint: 'comma-separated' },
  repository: { label: 'Repository', hint: 'https://…' },
  homepage: { label: 'Homepage', hint: 'https://…' },
}

export function RegisterView() {
  const [updateKey, setUpdateKey] = useState<string | undefined>()
  const [base, setBase] = useState<ModuleMetadata | undefined>()
  const [fields, setFields] = useState<FormFields>(EMPTY_FIELDS)
  const [touched, setTouched] = useState<Partial<Record<keyof FormFields, boolean>>>({})
  const [accounts, setAccounts] = useState<WalletAccount[] | undefined>()
  const [accountIndex, setAccountIndex] = useState(0)
  const [steps, setSteps] = useState<Step[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const [done, setDone] = useState<{ key: string; cid: string; blockNumber?: number; action: string } | undefined>()

  useEffect(() => {
    const key = new URLSearchParams(window.location.search).get('key') ?? undefined
    setUpdateKey(key)
    void (async () => {
      try {
        const { client, ipfs, config } = await session()
        const found = await loadAccounts(config.devAccounts, client.ss58Format)
        setAccounts(found)
        if (key !== undefined) {
          const details = await moduleDetails(client, ipfs, key)
          if (details.metadata?.state === 'verified') {
            setBase(details.metadata.metadata)
            setFields(fieldsFrom(details.metadata.metadata))
          }
          // Preselect the owner when this browser holds its key.
          const ownerIndex = found.findIndex((a) => a.address === details.record?.owner)
          if (ownerIndex >= 0) setAccountIndex(ownerIndex)
        }
      } catch (failure) {
        setError((failure as Error).message)
      }
    })()
  }, [])

  const doc = useMemo(() => documentFrom(fields, base), [fields, base])
  const issues = useMemo(() => issuesByField(doc), [doc])
  const account = accounts?.[accountIndex]
  const valid = Object.keys(issues).length === 0

  async function submit(event: FormEvent) {
    event.preventDefault()
    setTouched(Object.fromEntries(Object.keys(LABELS).map((k) => [k, true])))
    if (!valid || account === undefined) return
    setBusy(true)
    setError(undefined)
    setDone(undefined)
    const progress: Step[] = [{ label: 'Metadata valid; CID computed in the browser', state: 'done' }, { label: 'Checking the module on chain, then uploading through the gateway…', state: 'active' }]
    setSteps([...progress])
    const advance = (label: string, state: Step['state'] = 'active') => {
      progress[progress.length - 1] = { ...progress[progress.length - 1], state: 'done' }
      progress.push({ label, state })
      setSteps([...progress])
    }
    try {
      const { client, ipfs } = await session()
      const { registerModule } = await import('../lib/registry/register.ts')
      const result = await registerModule({ chain: client, ipfs }, doc, account.signer, {
        mode: updateKey === undefined ? 'register' : 'update',
        moduleKey: updateKey ?? client.accountKey(account.signer),
        onStored: (cid) => advance(`Stored as ${cid} (the gateway's CID matches ours); signing…`),
        onProgress: ({ stage, blockHash }: TxProgress) => {
          if (stage === 'ready') advance('In the transaction pool, waiting for a block…')
          if (stage === 'inBlock') advance(`In block ${blockHash?.slice(0, 12)}…, waiting for finality…`)
          if (stage === 'finalized') advance('Finalized', 'done')
        },
      })
      progress.forEach((step) => { step.state = 'done' })
      setSteps([...progress])
      setDone({ key: result.key, cid: result.cid, blockNumber: result.blockNumber, action: result.action })
    } catch (failure) {
      progress[progress.length - 1] = { ...progress[progress.length - 1], state: 'failed' }
      setSteps([...progress])
      setError((failure as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="register-title" className="grid gap-8 lg:grid-cols-[1fr_22rem]">
      <form onSubmit={submit} noValidate className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div>
          <h1 id="register-title" className="text-2xl font-semibold tracking-tight">{updateKey ? 'Update module' : 'Register a module'}</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {updateKey ? <>New version of <code className="break-all">{updateKey}</code>; it links to the current one as <code>previous</code>.</> : 'The module key is the signing account\'s own public key.'}
          </p>
        </div>
        <label className="block text-sm">
          <span className="mb-1 block font-medium">Account</span>
          <select value={accountIndex} onChange={(e) => setAccountIndex(Number(e.target.value))} disabled={accounts === undefined || accounts.length === 0}
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" data-testid="account">
            {accounts === undefined && <option>Looking for wallet accounts…</option>}
            {accounts?.length === 0 && <option>No wallet extension found</option>}
            {accounts?.map((a, i) => <option key={a.address} value={i}>{a.name} — {a.address.slice(0, 8)}…</option>)}
          </select>
          {account?.dev && <span className="mt-1 block text-xs text-amber-700 dark:text-amber-400">Development account: its secret is public. Dev chains only.</span>}
        </label>
        {(Object.keys(LABELS) as (keyof FormFields)[]).map((field) => (
          <Field key={field} id={field} label={LABELS[field].label} hint={LABELS[field].hint} errors={touched[field] ? issues[field] : undefined}>
            {field === 'description'
              ? <textarea id={field} rows={3} value={fields[field]} onChange={(e) => setFields({ ...fields, [field]: e.target.value })} onBlur={() => setTouched({ ...touched, [field]: true })} aria-invalid={touched[field] && issues[field] ? true : undefined} aria-describedby={`${field}-help`} className={inputClass(touched[field] && issues[field])} />
              : <input id={field} value={fields[field]} onChange={(e) => setFields({ ...fields, [field]: e.target.value })} onBlur={() => setTouched({ ...touched, [field]: true })} aria-invalid={touched[field] && issues[field] ? true : undefined} aria-describedby={`${field}-help`} className={inputClass(touched[field] && issues[field])} />}
          </Field>
        ))}
        {issues[''] && <p role="alert" className="text-sm text-rose-700">{issues[''].join('; ')}</p>}
        <button type="submit" disabled={busy || account === undefined} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-500 disabled:opacity-50">
          {busy ? 'Working…' : updateKey ? 'Sign and update' : 'Sign and register'}
        </button>
      </form>

      <aside aria-labelledby="progress-title" className="space-y-4">
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h2 id="progress-title" className="mb-3 font-semibold">Progress</h2>
          {steps.length === 0 && <p className="text-sm text-slate-500">Nothing submitted yet.</p>}
          <ol className="space-y-2 text-sm" data-testid="progress">
            {steps.map((step, i) => (
              <li key={i} data-state={step.state} className="flex gap-2">
                <span aria-hidden="true">{step.state === 'done' ? '✓' : step.state === 'failed' ? '✕' : '…'}</span>
                <span className={`break-all ${step.state === 'failed' ? 'text-rose-700 dark:text-rose-400' : ''}`}>{step.label}</span>
              </li>
            ))}
          </ol>
          {error && <p role="alert" data-testid="register-error" className="mt-3 break-all rounded-md bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
          {done && (
            <p data-testid="register-done" className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
              Module {done.action} in block #{done.blockNumber}. <SiteLink href={viewHref('module', { key: done.key })} className="font-medium underline">Open it</SiteLink>
            </p>
          )}
        </div>
        <details className="rounded-lg border border-slate-200 bg-white p-5 text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <summary className="cursor-pointer font-semibold">Document preview</summary>
          <pre className="mt-3 overflow-x-auto text-xs">{JSON.stringify(doc, null, 2)}</pre>
        </details>
      </aside>
    </section>
  )
}

function inputClass(invalid: unknown): string {
  return `w-full rounded-md border px-3 py-2 shadow-sm dark:bg-slate-950 ${invalid ? 'border-rose-500' : 'border-slate-300 dark:border-slate-700'}`
}

function Field({ id, label, hint, errors, children }: { id: string; label: string; hint: string; errors?: string[]; children: ReactNode }) {
  return (
    <div className="text-sm">
      <label htmlFor={id} className="mb-1 block font-medium">{label}</label>
      {children}
      <p id={`${id}-help`} className={`mt-1 text-xs ${errors ? 'text-rose-700 dark:text-rose-400' : 'text-slate-500'}`} data-testid={`${id}-help`}>{errors ? errors.join('; ') : hint}</p>
    </div>
  )
}
